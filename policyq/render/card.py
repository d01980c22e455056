"""``show``: one record as a card. A heading says what it is; every field that has a value
follows under its full label, wrapped at words; a zone's designations read as lines (what,
status, by whom, when, source); the figure reads as a person says it, with the stored number
beside it; then the related records as compact tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from policyq.render import data, human, table
from policyq.render.cells import NBSP, Block, width, wrap
from policyq.render.human import Lookup, Record
from policyq.text import visible

FOLDED = ("comparator", "unit")  # shown in the value line
_ZONE_EXTRAS = ("established", "status", "sectors")
# Related records shown under a card: (key in "related", heading, table, columns left out).
SECTIONS: dict[str, list[tuple[str, str, str, tuple[str, ...]]]] = {
    "zones": [  # the figures first, then (after the designations) the places and sources
        ("targets", "Targets", "targets", ("subject",)),
        ("indicators", "Indicators", "indicators", ("subject",)),
        ("children", "Inside it", "zones", ("parent", *_ZONE_EXTRAS)),
        ("related", "Related places", "zones", _ZONE_EXTRAS),
        ("sources", "Sources", "sources", ()),
    ],
    "sources": [
        ("targets", "Targets", "targets", ("source",)),
        ("indicators", "Indicators", "indicators", ("source",)),
        ("zones", "Places it names", "zones", _ZONE_EXTRAS),
    ],
}


class Card:
    """What a card shows: a heading and the line under it, fields as (label, value), designations
    as (title, detail lines), and related tables as (heading, table, records, columns left out)."""

    def __init__(self, heading: str, sub: str) -> None:
        self.heading, self.sub = heading, sub
        self.rows: list[tuple[str, str]] = []
        self.designations: list[tuple[str, list[str]]] = []
        self.sections: list[tuple[str, str, list[Record], tuple[str, ...]]] = []
        self.within = ""  # for a place: how many facts lie in the places within it


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _zone(zid: Any, lookup: Lookup) -> str:
    name = lookup.zone(zid)
    return f"{name} ({zid})" if name != zid else str(zid)


def _glue(text: str) -> str:
    """``text`` kept on one line when wrapped."""
    return text.replace(" ", NBSP)


def _dated(value: Any, precision: Any) -> str:
    if precision in ("year", "month"):
        return f"{value} ({precision} only)"
    return data.cell(value)


def _published_by(source: Record) -> str:
    """'Science and Technology Daily, 2023-05-15'; an outlet not named is called what tables call it."""
    return ", ".join(str(p) for p in (source.get("publisher") or "unnamed outlet", source.get("published")) if p)


def _path(ancestors: Sequence[Record]) -> str:
    return " › ".join(str(a.get("name")) for a in ancestors)


def _value(name: str, record: Record, shown: Record, lookup: Lookup) -> str:
    """A field's value as the card shows it."""
    value: Any = record.get(name)
    related = shown.get("related") or {}
    if name in ("parent",):
        return _zone(value, lookup)
    if name == "kind":
        return human.kind_word(value)
    if name == "related":
        return "\n".join(_zone(z, lookup) for z in _list(value))
    if name == "subject":
        subject = related.get("subject") or {}
        where = _path(related.get("ancestors") or ())
        kind = f"{human.kind_word(subject.get('kind'))} in {where}" if where else subject.get("kind")
        return _zone(value, lookup) + (f", {kind}" if kind else "")
    if name == "value":
        return human.human_value(value, record.get("unit"), record.get("comparator")) + _glue(
            f"  (stored as {human.stored_value(record)})"
        )
    if name == "usd":
        return human.usd(value) + _glue(f"  (stored as {data.cell(value)})") if human.usd(value) else data.cell(value)
    if name == "source":
        source = lookup.sources.get(value) if isinstance(value, str) else None
        if not source:
            return data.cell(value)
        return "\n".join(str(p) for p in (value, source.get("title"), _published_by(source)) if p)
    if name == "sources":
        return "\n".join(f"{s} ({lookup.label(s)})" if lookup.has(s) else str(s) for s in _list(value))
    if name == "quote":
        return f"“{value}”"
    precision = record.get(f"{name}_precision")
    if precision is not None:
        return _dated(value, precision)
    return data.cell(value)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _label(name: str, table: str) -> str:
    if name == "value":
        return "Target" if table == "targets" else "Value"
    return human.label(name)


def _designation(d: Any, lookup: Lookup) -> tuple[str, list[str]]:
    if not isinstance(d, dict):
        return data.cell(d), []
    how = ", ".join(str(p) for p in (d.get("status"), f"by {d['by']}" if d.get("by") else None, d.get("date")) if p)
    source = d.get("source")
    where = f"source {source} ({lookup.label(source)})" if lookup.has(source) else data.cell(source)
    details = [" · ".join(p for p in (how, where) if p)]
    details += [f"“{d['quote']}”"] if d.get("quote") else []
    details += [str(d["note"])] if d.get("note") else []
    return data.cell(d.get("title")), details


def build(shown: Record, lookup: Lookup, fields: Sequence[str] | None = None) -> Card:
    """The card of a ``show`` result: ``{"table", "record", "related"}``."""
    record, kind = shown["record"], shown["table"]
    related = shown.get("related") or {}
    if kind == "zones":
        where = _path(related.get("ancestors") or ())
        card = Card(
            "  ".join(str(p) for p in (record.get("name"), record.get("name_zh")) if p),
            f"{human.kind_word(record.get('kind'))} in {where}" if where else human.kind_word(record.get("kind")),
        )
    elif kind == "sources":
        card = Card(str(record.get("title")), _published_by(record))
    else:
        value = human.human_value(record.get("value"), record.get("unit"), record.get("comparator"))
        when = f"by {record.get('deadline')}" if kind == "targets" else f"as of {record.get('as_of')}"
        card = Card(
            f"{lookup.zone(record.get('subject'))}: {record.get('metric_label')}",
            f"{table.singular(kind).capitalize()}: {value}, {when}",
        )
    names = list(fields) if fields else [n for n in record if n != "designations"]
    if not fields and "metric" in names and "metric_label" in names:  # the metric as said, then its name
        names.remove("metric_label")
        names.insert(names.index("metric"), "metric_label")
    for name in names:
        folded = name in FOLDED or (name.endswith("_precision") and name[: -len("_precision")] in record)
        if _empty(record.get(name)) or (folded and not fields) or name == "designations":
            continue
        card.rows.append((_label(name, kind), _value(name, record, shown, lookup)))
    if not fields or "designations" in fields:
        listed = [d for d in record.get("designations") or () if d]
        card.designations = [_designation(d, lookup) for d in listed]
        quotes = [d.get("quote") if isinstance(d, dict) else None for d in listed]
        for n in range(1, len(listed)):
            if quotes[n] and quotes[n] == quotes[n - 1]:  # one passage often names several titles
                card.designations[n][1][1] = "(quoted from the same passage as above)"
    if kind == "zones" and not fields and lookup.tree is not None:
        card.within = _within(record, lookup)
    if not fields:
        for key, heading, tbl, omit in SECTIONS.get(kind, ()):
            rows = related.get(key) or []
            if rows:
                card.sections.append((heading, tbl, list(rows), omit))
    return card


def _within(record: Record, lookup: Lookup) -> str:
    """'Places within it hold 5 more targets and 9 more indicators: …', naming the commands that list them."""
    from policyq.render.tree import totals

    nodes = lookup.tree(str(record.get("id"))) if lookup.tree else []
    counts = []
    for key in ("targets", "indicators"):
        within = sum(totals(nodes, key)[id(n)] - (n.get(key) or 0) for n in nodes)
        if within:
            counts.append(f"{within} more {key if within != 1 else key[:-1]}")
    if not counts:
        return ""
    flags = f"--in {record.get('id')}"
    lists = f"'policyq targets {flags}' and 'policyq indicators {flags}'"
    return f"Places within it hold {' and '.join(counts)}: {lists} list them with its own."


def _related(tbl: str) -> list[human.Col]:
    """Columns of a related table: a card lists records to look at next, so ids come before sources."""
    return [
        c.but(priority=3.5) if c.field == "id" and tbl in ("targets", "indicators") else c for c in human.COLUMNS[tbl]
    ]


def draw(card: Card, lookup: Lookup, size: int, wide: bool = False) -> Block:
    """The card for a terminal ``size`` cells wide."""
    block = Block()
    block.text(wrap(visible(card.heading), size)[0], "bold")
    block.text(wrap(visible(card.sub), size)[0], "dim")
    block.text([""])
    labels = max((width(label) for label, _ in card.rows), default=0)
    longest = max((width(w) for _, v in card.rows for w in v.replace("\n", " ").split(" ")), default=0)
    side = size - labels - 2 >= max(30, longest)  # room for values beside their labels, no word cut
    for label, value in card.rows:
        text = visible(value, keep="\n")
        if side:
            lines = wrap(text, size - labels - 2)[0]
            block.lines.append(((label, "bold"), (" " * (labels - width(label) + 2) + lines[0], "")))
            block.text([" " * (labels + 2) + line for line in lines[1:]])
        else:
            block.text([label], "bold")
            block.text(["  " + line for line in wrap(text, size - 2)[0]])
    figures = [sec for sec in card.sections if sec[1] in ("targets", "indicators")]
    for section in figures:
        _section(block, section, lookup, size, wide)
    if card.within:
        block.text([""])
        block.text(_lines(card.within, size))
    if card.designations:
        block.text([""])
        block.text(["Designations"], "bold")
        for title, details in card.designations:
            lines = wrap(visible(title), size - 4)[0]
            block.text([("  • " if n == 0 else "    ") + line for n, line in enumerate(lines)])
            for detail in details:
                block.text(["    " + line for line in wrap(visible(detail), size - 4)[0]], "dim")
    for section in card.sections:
        if section not in figures:
            _section(block, section, lookup, size, wide)
    note = table.footnote(block, size)
    if note:
        block.text([""])
        block.text(wrap(note, size)[0], "dim")
    return block


def _lines(text: str, size: int) -> list[str]:
    """``text`` wrapped at words, a command (``policyq …``) kept on one line when it fits."""
    from policyq.render.cells import wrap_words

    return wrap_words(visible(text), size)


def _section(
    block: Block, section: tuple[str, str, list[Record], tuple[str, ...]], lookup: Lookup, size: int, wide: bool
) -> None:
    heading, tbl, rows, omit = section
    grid = table.grid(table.columns(rows, _related(tbl), lookup, omit), size, wide)
    grid.hidden = [f"{h} ({heading})" for h in grid.hidden]
    block.text([""])
    block.text([f"{heading} ({len(rows)})"], "bold")
    block.add(grid)


def _md_section(section: tuple[str, str, list[Record], tuple[str, ...]], lookup: Lookup) -> list[str]:
    heading, tbl, rows, omit = section
    cols = [c for c in table.columns(rows, _related(tbl), lookup, omit) if any(x.strip() for x in c.cells)]
    cells = list(zip(*(c.cells for c in cols), strict=True))
    return ["", f"### {heading} ({len(rows)})", "", data.to_markdown([c.header for c in cols], cells).rstrip("\n")]


def markdown(card: Card, lookup: Lookup) -> str:
    """The card as markdown: a heading, a field table, designations as a list, related tables."""
    out = [f"## {data.md_text(card.heading)}", "", f"_{data.md_text(card.sub)}_", ""]
    out.append(data.to_markdown(["Field", "Value"], card.rows).rstrip("\n"))
    figures = [sec for sec in card.sections if sec[1] in ("targets", "indicators")]
    for section in figures:
        out += _md_section(section, lookup)
    if card.within:
        out += ["", data.md_text(card.within)]
    if card.designations:
        out += ["", "**Designations**", ""]
        for title, details in card.designations:
            out.append(f"- {data.md_text(title)}" + "".join(f"<br>{data.md_text(d)}" for d in details))
    for section in card.sections:
        if section not in figures:
            out += _md_section(section, lookup)
    return "\n".join(out) + "\n"
