"""Text from a store or a file made safe to show: control characters become visible.

Names and notes come from stores and import files that anyone may write. A terminal obeys
escape sequences (ESC, CSI, OSC…) in what it prints, so every human view, every delimited
format and every error message passes text through :func:`visible` first. JSON output needs
no such care: its encoder escapes control characters itself.
"""

from __future__ import annotations

# C0 controls and DEL become their Unicode control pictures (ESC -> '␛', BEL -> '␇'); C1
# controls, lone surrogates, the bidirectional overrides that can reorder a line on screen and
# the invisible formatting characters (Unicode category Cf: zero-width spaces and joiners,
# bidirectional marks, the BOM, tag characters) and line and paragraph separators become
# escapes such as '\x9b', '\u202e' or '\u200b'. Built on first use: most text never needs it.
_TABLE: dict[int, str] = {}
_INVISIBLE = (
    (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F),
    (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x2028, 0x202E),
    (0x2060, 0x2064), (0x2066, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD),
    (0x110CD, 0x110CD), (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)  # fmt: skip


def _table() -> dict[int, str]:
    if not _TABLE:
        _TABLE.update({c: chr(0x2400 + c) for c in range(0x20)})
        _TABLE[0x7F] = "\u2421"
        _TABLE.update({c: f"\\x{c:02x}" for c in range(0x80, 0xA0)})
        _TABLE.update(
            {c: f"\\u{c:04x}" if c < 0x10000 else f"\\U{c:08x}" for a, b in _INVISIBLE for c in range(a, b + 1)}
        )
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
