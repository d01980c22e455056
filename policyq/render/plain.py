"""Drawing a planned view as text, byte for byte as rich draws it, without importing rich's
console (most of the time a table costs).

Without colour (rich prints no style when its output is not a terminal: ``TTY_COMPATIBLE``,
``FORCE_COLOR`` and ``isatty`` decide, as in ``rich.console.Console.is_terminal``) a view is
only its text: each line of a table is its cells padded to their planned widths (right for
right-aligned columns), each column but the last followed by ``GAP`` spaces, a rule of '─'
under the header, and a blank line after a row the plan spaces, as rich's ``box.SIMPLE_HEAD``
table in ``policyq.render.screen``. On a terminal the same text carries the codes rich prints
for policyq's three styles (bold, dim, cyan; cyan dropped under ``NO_COLOR``): a bold header
and its padding, a dim rule and dim dividers, each styled part of a line in its code. Cell
widths are measured with rich's own measure (``rich.cells.cell_len``, only for text that is
not ASCII). Whatever this module cannot vouch for (a control character, a line wider than its
column, a dumb terminal, Windows) is left to rich: ``draw`` returns None, ``styles`` None.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import IO

from policyq.render.cells import NBSP, Grid, Item, Line

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # rich may expand or drop these: left to it


# The codes rich prints for policyq's styles (``screen.STYLES``): bold, dim and cyan, the same
# in every colour system rich detects; under ``NO_COLOR`` it keeps bold and dim, drops cyan.
_SGR = {"": "", "bold": "1", "dim": "2", "accent": "36"}
_CODE = re.compile(r"\x1b\[[0-9;]*m")  # a style code
_NOTHING = re.compile(r"\x1b\[[0-9;]*m\x1b\[0m")  # a style turned on and straight off


def _trim(line: str) -> str:
    """``line`` without the spaces among the style codes that end it (the codes kept, but a
    style turned on and straight off), read from the end: linear in the line's length."""
    end, codes = len(line), []
    while end:
        if line[end - 1] == " ":
            end -= 1
            continue
        start = line.rfind("\x1b[", max(0, end - 16), end) if line[end - 1] == "m" else -1
        if start < 0 or not _CODE.fullmatch(line, start, end):
            break
        codes.append(line[start:end])
        end = start
    return line[:end] + _NOTHING.sub("", "".join(reversed(codes))) if codes else line[:end]


def trimmed(text: str) -> str:
    """``text`` with no space ending a line, its style codes kept, as rich's lines are printed."""
    return "\n".join(_trim(line) for line in text.split("\n"))


def styles(file: IO[str]) -> dict[str, str] | None:
    """The codes rich prints for each style to ``file`` (empty ones when it prints no colour),
    or None where rich decides in ways not followed here (a dumb terminal, Windows)."""
    if colourless(file):
        return dict.fromkeys(_SGR, "")
    if os.environ.get("TERM", "") in ("dumb", "unknown") or sys.platform == "win32":
        return None
    no_colour = os.environ.get("NO_COLOR", "") != ""
    return {name: "" if no_colour and name == "accent" else code for name, code in _SGR.items()}


def colourless(file: IO[str]) -> bool:
    """Whether rich would print to ``file`` without any style (it is not a terminal)."""
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "0"
    force = os.environ.get("FORCE_COLOR")
    if force is not None:
        return force == ""
    isatty = getattr(file, "isatty", None)
    try:
        return isatty is None or not isatty()
    except ValueError:
        return True


def _measure(texts: list[str]) -> Callable[[str], int]:
    if all(t.isascii() for t in texts):
        return len
    from rich.cells import cell_len

    return cell_len


def _text(line: Line) -> str:
    return "".join(t for t, _ in line).replace(NBSP, " ")


def _styled(text: str, style: str, codes: dict[str, str]) -> str:
    code = codes[style]
    return f"\x1b[{code}m{text}\x1b[0m" if code and text else text


def _painted(line: Line, codes: dict[str, str]) -> str:
    return "".join(_styled(t.replace(NBSP, " "), s, codes) for t, s in line)


def _cell(
    line: Line | None, size: int, right: bool, measure: Callable[[str], int], codes: dict[str, str]
) -> str | None:
    """One line of a cell padded to ``size`` cells, styled as rich prints it; None when it is
    wider than that (rich cuts it)."""
    parts = list(line or ())
    if right:  # rich drops the spaces ending a right-aligned cell's text
        while parts and not parts[-1][0].rstrip():
            parts.pop()
        if parts:
            parts[-1] = (parts[-1][0].rstrip(), parts[-1][1])
    room = size - measure(_text(tuple(parts)))
    if room < 0:
        return None
    painted = _painted(tuple(parts), codes)
    return " " * room + painted if right else painted + " " * room


def draw(items: Sequence[Item], size: int, codes: dict[str, str] | None = None) -> str | None:
    """``items`` as ``screen.draw`` draws them: for a file that is not a terminal (``codes``
    None or empty), or with ``codes`` (``styles``), the style codes rich prints; None when that
    cannot be vouched for here."""
    codes = codes or dict.fromkeys(_SGR, "")
    texts: list[str] = []
    for item in items:
        if isinstance(item, Grid):
            texts.extend(c.header for c in item.columns)
            texts.extend(_text(line) for row in item.rows for cell in row for line in cell)
        else:
            texts.append(_text(item))
    if any(_UNSAFE.search(t) for t in texts):
        return None
    measure = _measure(texts)
    out: list[str] = []
    divider = _styled(" ", "dim", codes)
    for item in items:
        if not isinstance(item, Grid):
            out.append(_painted(item, codes))
            continue
        if not item.columns:
            continue
        if item.header:  # bold over the cell and its padding; a dim divider
            heads = [_cell(((c.header, ""),), c.size, c.right, measure, codes) for c in item.columns]
            if None in heads:
                return None
            bold = [_styled(h or "", "bold", codes) for h in heads]
            out.append((_styled(" ", "bold", codes) + divider).join(bold))
            out.append(_styled("─" * item.width(), "dim", codes))
        for n, row in enumerate(item.rows):
            height = max(1, *(len(cell) for cell in row))
            for at in range(height):
                cells = [
                    _cell(cell[at] if at < len(cell) else None, column.size, column.right, measure, codes)
                    for column, cell in zip(item.columns, row, strict=True)
                ]
                if None in cells:
                    return None
                out.append((" " + divider).join(c or "" for c in cells))
            if n < len(item.rows) - 1 and item.spaced[n]:
                out.append("")
    return trimmed("".join(line + "\n" for line in out))
