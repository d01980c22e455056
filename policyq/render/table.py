"""Listings as tables that fit the terminal: a truthful summary line, columns by priority,
and a note saying what was left out to fit."""

from __future__ import annotations

from collections.abc import Sequence

from policyq.render.cells import NBSP, Block, Column, fit, plan, wrap
from policyq.render.human import COLUMNS, Col, Lookup, Record, field_column
from policyq.text import visible


def columns(records: Sequence[Record], specs: Sequence[Col], lookup: Lookup, omit: Sequence[str] = ()) -> list[Column]:
    """Layout columns of ``specs`` filled from ``records``, control characters made visible."""
    out = []
    for spec in specs:
        if spec.field in omit:
            continue
        short = [visible(spec.short(r, lookup), keep="\n") for r in records] if spec.short else None
        out.append(
            Column(
                header=spec.header,
                cells=[visible(spec.get(r, lookup), keep="\n") for r in records],  # a line break wraps
                fixed=spec.fixed,
                priority=spec.priority,
                want=spec.want,
                lines=spec.lines,
                short=short,
                right=spec.right,
                extra=spec.extra,
            )
        )
    return out


def specs(table: str, fields: Sequence[str] | None) -> list[Col]:
    """The human columns of ``table``, or one column per chosen field."""
    return [field_column(f) for f in fields] if fields else COLUMNS[table]


def summary(count: int, total: int | None, noun: str, limit: int | None) -> str:
    """'31 zones', '1 park', or 'Showing 5 of 31 zones (--limit 5)'."""
    if total is not None and total > count:
        return f"Showing {count} of {total} {noun}" + (f" (--limit {limit})" if limit is not None else "")
    return f"{count} {noun if count != 1 else singular(noun)}"


def singular(noun: str) -> str:
    return noun[:-1] if noun.endswith("s") else noun


def footnote(block: Block, size: int) -> str:
    """What a narrow terminal left out, and the flag that shows it."""
    hidden = f"Not shown at {size} columns: {', '.join(block.hidden)}." if block.hidden else ""
    cut = "… marks cut text." if block.cut else ""
    flag = "--wide shows every column in full.".replace(" ", NBSP)  # the flag is not parted from what it does
    return f"{hidden} {cut} {flag}".strip() if hidden or cut else ""


def grid(cols: Sequence[Column], size: int, wide: bool = False, header: bool = True, every: bool = False) -> Block:
    """A table of ``cols`` fitted to ``size`` cells: columns by priority, or ``every`` column,
    or (``wide``) every column with no text cut."""
    if every:  # columns chosen with --fields: in the order given
        for n, c in enumerate(cols):
            c.priority, c.extra = n, False
    shown, hidden = fit(cols, size, "wide" if wide else "all" if every else "fit")
    planned, was_cut = plan(shown, header=header, wide=wide)
    return Block([planned], [c.header for c in hidden], was_cut)


def listing(
    records: Sequence[Record],
    table: str,
    lookup: Lookup,
    *,
    size: int,
    title: str,
    fields: Sequence[str] | None = None,
    wide: bool = False,
    header: bool = True,
) -> Block:
    """A listing: the summary line, the table, and a note on anything left out."""
    block = grid(columns(records, specs(table, fields), lookup), size, wide, header, every=bool(fields))
    return framed(block, title, size) if header else block


def framed(block: Block, title: str, size: int) -> Block:
    """``block`` under its title, with the footnote on what was left out, each wrapped to ``size``."""
    out = Block()
    out.text(wrap(title, size)[0], "bold")
    out.text([""])
    out.lines += block.lines
    note = footnote(block, size)
    if note:
        out.text([""])
        out.text(wrap(note, size)[0], "dim")
    return out
