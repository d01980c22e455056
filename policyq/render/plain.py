"""Drawing a planned view as plain text, exactly as rich draws it when it prints no colour,
without importing rich's console (most of the time a table costs).

rich prints no style at all when its output is not a terminal (``TTY_COMPATIBLE``,
``FORCE_COLOR`` and ``isatty`` decide, as in ``rich.console.Console.is_terminal``). A view is
then only its text: each line of a table is its cells padded to their planned widths (right
for right-aligned columns), each column but the last followed by ``GAP`` spaces, a rule of
'─' under the header, and a blank line after a row the plan spaces, as rich's
``box.SIMPLE_HEAD`` table in ``policyq.render.screen``. Cell widths are measured with rich's
own measure (``rich.cells.cell_len``, only for text that is not ASCII). Whatever this module
cannot vouch for (a control character, a line wider than its column) is left to rich:
``draw`` returns None.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from typing import IO

from policyq.render.cells import GAP, NBSP, Grid, Item, Line

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # rich may expand or drop these: left to it


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


def draw(items: Sequence[Item], size: int) -> str | None:
    """``items`` as ``screen.draw`` draws them for a file that is not a terminal; None when
    that cannot be vouched for here."""
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
    for item in items:
        if not isinstance(item, Grid):
            out.append(_text(item).rstrip(" "))
            continue
        if not item.columns:
            continue
        rows = [[[c.header] for c in item.columns]] if item.header else []
        rows += [[[_text(line) for line in cell] for cell in row] for row in item.rows]
        for n, row in enumerate(rows):
            height = max(1, *(len(cell) for cell in row))
            for at in range(height):
                parts = []
                for column, cell in zip(item.columns, row, strict=True):
                    text = cell[at] if at < len(cell) else ""
                    text = text.rstrip() if column.right else text
                    room = column.size - measure(text)
                    if room < 0:
                        return None
                    parts.append(" " * room + text if column.right else text + " " * room)
                out.append((" " * GAP).join(parts).rstrip(" "))
            header = item.header and n == 0
            if header:
                out.append("─" * item.width())
            elif n < len(rows) - 1 and item.spaced[n - item.header]:
                out.append("")
    return "".join(line + "\n" for line in out)
