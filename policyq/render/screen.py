"""Drawing a planned view with rich: lines become rich ``Text``, planned tables become rich
``Table`` objects with the widths ``cells.fit`` chose, and rich's ``Console`` writes them,
deciding on colour itself (only on a terminal; ``NO_COLOR``, ``FORCE_COLOR`` and
``TERM=dumb`` honoured).

rich is told nothing it could reinterpret: no markup, no emoji codes, no highlighting, and
cells it must not wrap again (``no_wrap``; the layout already wrapped them). A table of
columns sized ``a, b, c`` is ``a + b + c + 2 * GAP`` cells wide, as planned: each column but
the last is followed by one cell of padding and the one-cell divider of ``box.SIMPLE_HEAD``.
This module imports rich; it is imported only when a human view is drawn and
``render.plain`` cannot write rich's bytes itself (a dumb terminal, Windows, a control
character).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from policyq.render.cells import NBSP, Grid, Item, Line
from policyq.render.plain import trimmed

STYLES = {"": "", "bold": "bold", "dim": "dim", "accent": "cyan"}


def text(lines: Sequence[Line]) -> Text:
    """Lines of styled parts as one rich ``Text``, non-breaking spaces printed as spaces."""
    return Text("\n").join(Text.assemble(*((t.replace(NBSP, " "), STYLES[s]) for t, s in line)) for line in lines)


def table(grid: Grid) -> Table:
    """A planned table as a rich ``Table``: a bold header over a dim rule, columns as wide as planned."""
    out = Table(
        box=box.SIMPLE_HEAD,
        show_header=grid.header,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1, 0, 0),
        header_style="bold",
        border_style="dim",
    )
    for c in grid.columns:
        out.add_column(
            Text(c.header), width=c.size, no_wrap=True, overflow="ellipsis", justify="right" if c.right else "left"
        )
    for row, parted in zip(grid.rows, grid.spaced, strict=True):
        out.add_row(*(text(cell) for cell in row), end_section=parted)  # SIMPLE_HEAD: a blank line
    return out


def draw(items: Sequence[Item], size: int, file: IO[str]) -> str:
    """``items`` drawn for a terminal ``size`` cells wide (a ``--wide`` table may be wider)
    as rich's console for ``file`` would print them; lines end without trailing spaces."""
    room = max([size, *(item.width() for item in items if isinstance(item, Grid))])
    console = Console(file=file, width=room, height=25, soft_wrap=True, highlight=False, markup=False, emoji=False)
    with console.capture() as captured:
        for item in items:
            if isinstance(item, Grid):
                if item.columns:
                    console.print(table(item))
            else:
                console.print(text([item]))
    return trimmed(captured.get())
