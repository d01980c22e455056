"""Text from a store or a file made safe to show: control characters become visible.

Names and notes come from stores and import files that anyone may write. A terminal obeys
escape sequences (ESC, CSI, OSC…) in what it prints, so every human view, every delimited
format and every error message passes text through :func:`visible` first. JSON output needs
no such care: its encoder escapes control characters itself.
"""

from __future__ import annotations

# C0 controls and DEL become their Unicode control pictures (ESC -> '␛', BEL -> '␇'); C1
# controls, lone surrogates and the bidirectional overrides that can reorder a line on screen
# become escapes such as '\x9b' or '\u202e'. Built on first use: most text never needs it.
_TABLE: dict[int, str] = {}


def _table() -> dict[int, str]:
    if not _TABLE:
        _TABLE.update({c: chr(0x2400 + c) for c in range(0x20)})
        _TABLE[0x7F] = "\u2421"
        _TABLE.update({c: f"\\x{c:02x}" for c in range(0x80, 0xA0)})
        _TABLE.update({c: f"\\u{c:04x}" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})
        _TABLE.update({c: f"\\u{c:04x}" for c in range(0xD800, 0xE000)})
    return _TABLE


def visible(text: str, keep: str = "") -> str:
    """``text`` with every control character made visible; characters in ``keep`` (e.g. a
    newline in a wrapped note) pass unchanged."""
    if text.isprintable():  # every character the table changes is unprintable
        return text
    if not keep:
        return text.translate(_table())
    table = {c: v for c, v in _table().items() if chr(c) not in keep}
    return text.translate(table)
