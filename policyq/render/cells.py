"""Laying text out in terminal cells: widths, word wrapping, cutting with '…', and planning a
table that fits the width it gets. Nothing here draws: ``policyq.render.screen`` hands what
is planned here to rich.

Rules every human view follows: ids and figures (``fixed`` cells) are never cut or wrapped
(one wider than the whole terminal is folded onto several lines, nothing left out);
text is wrapped at spaces, and when it must be cut it is cut at a word and ends with '…'
(a single word wider than its column is cut inside, also with '…'); a non-breaking space
(U+00A0) keeps its neighbours on one line and prints as a space. Widths count terminal cells:
a Chinese character takes two.

A view is planned as a :class:`Block` of items: a :data:`Line` (parts of text, each with a
style name: ``""``, ``"bold"``, ``"dim"`` or ``"accent"``) or a :class:`Grid` (a table).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import IO

ELLIPSIS = "…"
NBSP = "\u00a0"
GAP = 2  # cells between columns

Part = tuple[str, str]  # text and its style name
Line = tuple[Part, ...]


def styled(text: str, style: str = "") -> Line:
    """One line of ``text`` in one style."""
    return ((text, style),)


class _CharWidths(dict[str, int]):
    """Terminal cells of each character, looked up once per character: a table of thousands of
    Chinese names, or tree guides a thousand places deep, measures millions of characters. The
    first 20,000 characters seen are kept (a text of every character there is keeps no more)."""

    def __missing__(self, c: str) -> int:
        from unicodedata import combining, east_asian_width

        w = 0 if combining(c) else 2 if east_asian_width(c) in "WF" else 1
        if len(self) < 20_000:
            self[c] = w
        return w


_CHAR_WIDTHS = _CharWidths()


def width(text: str) -> int:
    """Terminal cells ``text`` takes."""
    if text.isascii():
        return len(text)
    return sum(map(_CHAR_WIDTHS.__getitem__, text))


def cut(text: str, size: int) -> str:
    """``text`` cut inside a word to ``size`` cells, ending with '…'."""
    if width(text) <= size:
        return text
    out, used = [], 0
    for c in text:
        w = width(c)
        if used + w > size - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + ELLIPSIS if size >= 1 else ""


def fold(text: str, size: int) -> list[str]:
    """``text`` in pieces of at most ``size`` cells, nothing left out (an id or a figure wider
    than the terminal); whole when it fits."""
    if width(text) <= size or size < 1:
        return [text]
    pieces: list[str] = []
    piece: list[str] = []
    used = 0
    for c in text:
        w = width(c)
        if used + w > size and piece:
            pieces.append("".join(piece))
            piece, used = [], 0
        piece.append(c)
        used += w
    return [*pieces, "".join(piece)]


def _words(text: str) -> list[str]:
    return [w for w in text.split(" ") if w]


def truncate(text: str, size: int) -> str:
    """``text`` in at most ``size`` cells: whole if it fits, else cut at a word with '…'."""
    if width(text) <= size:
        return text
    kept = ""
    for word in _words(text):
        candidate = f"{kept} {word}" if kept else word
        if width(candidate.rstrip(",;:")) + 1 > size:
            break
        kept = candidate
    if kept:
        return kept.rstrip(" ,;:·—-") + ELLIPSIS
    return cut(text, size)


def wrap(text: str, size: int, lines: int | None = None) -> tuple[list[str], bool]:
    """``text`` wrapped at spaces to ``size`` cells, a line break kept as one; at most
    ``lines`` lines, the last cut at a word with '…'. Returns the lines and whether any text
    was cut."""
    out: list[str] = []
    was_cut = False
    for paragraph in text.split("\n"):
        current = ""
        for word in _words(paragraph):
            if current and width(current) + 1 + width(word) <= size:
                current = f"{current} {word}"
                continue
            if current:
                out.append(current)
            if width(word) > size:
                word, was_cut = cut(word, size), True
            current = word
        out.append(current)
    if lines is not None and len(out) > lines:
        rest = " ".join(line for line in out[lines - 1 :] if line)
        out = [*out[: lines - 1], truncate(rest, size)]
        was_cut |= out[-1] != rest
    return out or [""], was_cut


def terminal_width(stream: IO[str] | None = None) -> int:
    """Columns to draw in: $COLUMNS, else the terminal's width (stdout, stderr or stdin), else 80."""
    env = os.environ.get("COLUMNS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    for s in (stream, sys.__stdout__, sys.__stderr__, sys.__stdin__):
        try:
            return os.get_terminal_size(s.fileno()).columns or 80  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            continue
    return 80


# --- tables ---------------------------------------------------------------------------------


class Column:
    """A column of text cells and how it may give way (see ``human.Col``). ``prefixes`` are
    drawn before a cell's first line and before its later lines (tree guides). ``size`` and
    ``use_short`` are set by :func:`fit`."""

    def __init__(
        self,
        header: str,
        cells: list[str],
        fixed: bool = False,
        priority: float = 5,
        want: int = 20,
        lines: int | None = 1,
        short: list[str] | None = None,
        right: bool = False,
        prefixes: list[tuple[str, str]] | None = None,
        extra: bool = False,
    ) -> None:  # a plain class: a dataclass costs start-up time
        self.header, self.cells, self.fixed, self.priority, self.want = header, cells, fixed, priority, want
        self.lines, self.short, self.right, self.prefixes, self.extra = lines, short, right, prefixes, extra
        self.size, self.use_short = 0, False
        self._measured: dict[str, int] = {}  # what ``fit`` asks again and again of cells that do not change

    @property
    def shown(self) -> list[str]:
        return self.short if self.use_short and self.short is not None else self.cells

    def _prefix(self) -> int:
        if "prefix" not in self._measured:
            prefixes = self.prefixes or ()
            self._measured["prefix"] = max((max(width(a), width(b)) for a, b in prefixes), default=0)
        return self._measured["prefix"]

    def natural(self, short: bool = False) -> int:
        cells = self.short if short and self.short is not None else self.cells
        key = "natural short" if cells is self.short else "natural"
        if key not in self._measured:
            longest = max((width(p) for c in cells for p in c.split("\n")), default=0)
            self._measured[key] = max(width(self.header), longest + self._prefix())
        return self._measured[key]

    def enough(self, short: bool = False) -> int:
        """About the width at which every cell fits its ``lines`` without being cut, but no
        more than twice what it wants: a column of long text is not let take all the room."""
        natural = self.natural(short)
        if self.fixed or not self.lines:
            return natural
        return min(
            natural, max(self.least(), -(-natural // self.lines) + 3 if self.lines > 1 else natural), 2 * self.want
        )

    def least(self) -> int:
        """Its header, or its longest word: narrower, words would be cut."""
        if self.fixed:
            return self.natural()
        if "least" not in self._measured:
            word = max((width(w) for c in self.cells for p in c.split("\n") for w in _words(p)), default=0)
            self._measured["least"] = max(width(self.header), word + self._prefix())
        return self._measured["least"]

    def wanted(self, short: bool = False) -> int:
        natural = self.natural(short)
        if self.fixed or (short and self.short is not None):
            return natural
        return max(width(self.header), min(natural, self.want + self._prefix()))


def fit(columns: Sequence[Column], total: int, mode: str = "fit") -> tuple[list[Column], list[Column]]:
    """The columns to show (in their order, each with ``size`` set) and those hidden, for a
    table ``total`` cells wide. Columns empty in every row are not shown, but for those chosen
    with ``--fields`` (``all``).

    ``fit``: by priority, each column is let in at the width it wants (its short form, when it
    has one) while the table stays within ``total``; the first that does not fit hides every
    column after it, so a wider terminal only ever adds columns. ``extra`` columns come last,
    into room still left. Room left widens text columns, first so that no text is cut, then
    a short form back to its full one, then text onto fewer lines.
    ``all`` (``--fields``): columns in their order, text columns narrowed down to 8 cells
    before a column is hidden.
    ``wide`` (``--wide``): every column and no text cut; text columns wrap, down to 20 cells or
    their longest word, and beyond that the table is wider than ``total``.
    """
    cols = list(columns) if mode == "all" else [c for c in columns if any(x.strip() for x in c.cells)]
    chosen: list[Column] = []

    def used() -> int:
        return sum(c.size for c in chosen) + GAP * (len(chosen) - 1) if chosen else 0

    def widen(target: Callable[[Column, bool], int]) -> None:
        """Text columns towards ``target`` widths: equal shares of the room, a column that
        needs less than its share taking only what it needs (so short text fits whole)."""
        needy = sorted(
            (c for c in chosen if not c.fixed and c.size < target(c, c.use_short)),
            key=lambda c: target(c, c.use_short) - c.size,
        )
        for n, c in enumerate(needy):
            share = (total - used()) // (len(needy) - n)
            c.size += max(0, min(share, target(c, c.use_short) - c.size))

    def unshorten() -> None:
        for c in chosen:
            if c.use_short and used() - c.size + c.wanted() <= total:
                c.size, c.use_short = c.wanted(), False

    def grow() -> None:
        """Figures and dates whole first, then text uncut, then short forms whole, then text on fewer lines."""
        for c in chosen:
            if c.fixed and c.use_short and used() - c.size + c.wanted() <= total:
                c.size, c.use_short = c.wanted(), False
        widen(Column.enough)
        unshorten()
        widen(Column.natural)

    def admit(group: list[Column], least: bool = False) -> bool:
        """Columns in priority order while they fit (at their wanted width, or at their
        ``least`` of 8 cells); one that does not fit hides the rest."""
        for c in sorted(group, key=lambda c: c.priority):
            # let in short, when that is narrower; grow() widens it back when there is room
            short = c.short is not None and c.natural(True) < c.natural()
            size = c.wanted(short) if not least or c.fixed else min(c.natural(), max(width(c.header), 8))
            if not chosen:  # the first column is always shown, within the width: text cut, an id folded
                size = min(size, total)
            elif used() + size + (GAP if chosen else 0) > total and chosen:
                return False
            c.size, c.use_short = size, short
            chosen.append(c)
        return True

    if mode == "wide":
        chosen = cols
        for c in cols:
            c.size = c.natural()
        floor = {id(c): min(c.natural(), max(c.least(), 20)) for c in cols}
        while used() > total:  # the widest text column gives way, one cell at a time
            give = [c for c in cols if not c.fixed and c.size > floor[id(c)]]
            if not give:
                break
            max(give, key=lambda c: c.size - floor[id(c)]).size -= 1
        return cols, []
    if mode == "all":
        admit(cols, least=True)
    else:
        if admit([c for c in cols if not c.extra]):
            grow()
            admit([c for c in cols if c.extra])
    grow()
    return [c for c in cols if c in chosen], [c for c in cols if c not in chosen]


class Grid:
    """A table planned by :func:`plan`: its ``columns`` (sized by :func:`fit`), each row's
    cells as lines, whether a header is drawn, and for each row whether a blank line follows it."""

    def __init__(self, columns: list[Column], rows: list[list[list[Line]]], header: bool, spaced: list[bool]) -> None:
        self.columns, self.rows, self.header, self.spaced = columns, rows, header, spaced

    def width(self) -> int:
        return sum(c.size for c in self.columns) + GAP * (len(self.columns) - 1)


def plan(shown: list[Column], header: bool = True, wide: bool = False) -> tuple[Grid, bool]:
    """The table of ``shown`` columns (sized by ``fit``) with each cell wrapped to its column,
    and whether text was cut; ``wide`` wraps text onto as many lines as it needs."""
    rows: list[list[list[Line]]] = []
    was_cut = False
    for i in range(len(shown[0].cells) if shown else 0):
        row: list[list[Line]] = []
        for c in shown:
            text = c.shown[i]
            first, later = c.prefixes[i] if c.prefixes else ("", "")
            if c.fixed:  # never cut; folded only when wider than the whole table may be
                lines = [piece for line in text.split("\n") for piece in fold(line, c.size - width(first))]
            else:
                lines, cut_here = wrap(text, c.size - max(width(first), width(later)), None if wide else c.lines)
                was_cut |= cut_here
            row.append([((first if n == 0 else later, "dim"), (line, "")) for n, line in enumerate(lines)])
        rows.append(row)
    # A blank line parts a row of several lines from its neighbours (its later lines would
    # otherwise read as rows of their own); rows of one line follow each other. Never in a tree.
    tall = [max((len(cell) for cell in r), default=1) > 1 for r in rows]
    spaced = [(tall[n] or tall[n + 1]) and not any(c.prefixes for c in shown) for n in range(len(rows) - 1)] + [
        False
    ] * bool(rows)
    return Grid(shown, rows, header, spaced), was_cut


Item = Line | Grid


class Block:
    """What a view shows (lines and tables, in order), and notes about what was left out to fit."""

    def __init__(self, lines: list[Item] | None = None, hidden: list[str] | None = None, cut: bool = False) -> None:
        self.lines: list[Item] = lines if lines is not None else []
        self.hidden: list[str] = hidden if hidden is not None else []
        self.cut = cut

    def add(self, other: Block) -> None:
        self.lines.extend(other.lines)
        self.hidden.extend(h for h in other.hidden if h not in self.hidden)
        self.cut |= other.cut

    def text(self, lines: Sequence[str], style: str = "") -> None:
        """Add each of ``lines`` in ``style``."""
        self.lines.extend(styled(line, style) for line in lines)


# --- words of a message, wrapped at spaces (policyq's lines on stderr, prose on a terminal) ------

_GLUE = re.compile(r"policyq(?: (?:'[^']*'|\"[^\"]*\"|[^\s'\"—;,()]+))+|(?<!\w)'[^'\n]+'(?!\w)")


def _split(word: str, size: int) -> list[str]:
    """A word wider than ``size`` cells in pieces of at most ``size`` (the only split allowed)."""
    pieces, current = [], ""
    for c in word:
        if current and width(current + c) > size:
            pieces.append(current)
            current = ""
        current += c
    return [*pieces, current]


def _units(text: str) -> list[str]:
    """The words of ``text``, those of a command or a quoted name joined into one unit."""
    spans = [m.span() for m in _GLUE.finditer(text)]
    units: list[str] = []
    glued_to = units_end = -1  # the end of the span the last unit belongs to; of the last word
    for m in re.finditer(r"\S+", text):
        if units and m.start() < glued_to:
            units[-1] += text[units_end : m.end()]
        else:
            units.append(m.group())
            glued_to = next((end for start, end in spans if start <= m.start() < end), -1)
        units_end = m.end()
    return units


def wrap_words(text: str, size: int | None, indent: int = 0) -> list[str]:
    """``text`` (one line) in lines of at most ``size`` cells, broken at spaces, later lines
    indented by ``indent``; a command or quoted name moves whole to the next line when it fits
    on one. ``size`` None: the text as one line."""
    if size is None or width(text) <= size:
        return [text]
    indent = indent if size - indent >= 20 else 0
    lines: list[str] = []
    current = ""
    for unit in _units(text):
        words = [unit] if width(unit) <= size - indent else unit.split(" ")
        for word in words:
            room = size - (indent if lines else 0)
            if current and width(current) + 1 + width(word) <= room:
                current = f"{current} {word}"
                continue
            if width(word) > size - indent:  # wider than any line: split, starting where we are
                pieces = _split(f"{current} {word}" if current else word, room)
                lines.append(pieces[0])
                rest = "".join(pieces[1:])
                pieces = _split(rest, size - indent) if rest else []
                lines += pieces[:-1]
                current = pieces[-1] if pieces else ""
                continue
            if current:
                lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    return [lines[0], *(" " * indent + line for line in lines[1:])]
