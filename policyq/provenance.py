"""Where a figure comes from, and how a target stands.

``cite`` finds the sources behind a fact, a place or a source (by id, or a place by any name)
and writes them as a reference to paste into an article (``text``), as BibTeX, or as CSL-JSON
(what Zotero and pandoc read). Dates stay exactly as precise as the source: a source dated
only to a year is cited with its year, never with a made-up month or day.

``progress`` sets each target against the indicators that speak to it: the same metric
family and the same scope of industries (both name none, or they share one), reported for
the target's place, a place within it or a place containing it. The relation is named
("within: Pudong New Area is in Shanghai": evidence, not proof), and ``ratio`` is the
indicator's value over the target's when their units match. Comparators stay on the records.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from tinydb import TinyDB

from policyq import query
from policyq.model import FIELDS
from policyq.query import FACT_TABLES, Filters

Record = dict[str, Any]
STYLES = ("text", "bibtex", "csl")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# --- citations ------------------------------------------------------------------------------


def cited(db: TinyDB, name: str) -> tuple[list[Record], Record | None]:
    """The sources behind ``name`` (in store order for a place), and the fact when it names one.

    A place's sources are those it cites, those of its designations and those of the facts
    about it."""
    shown = query.show(db, name)
    table, record, related = shown["table"], shown["record"], shown["related"]
    if table == "sources":
        return [record], None
    if table in FACT_TABLES:
        return list(related["sources"]), record
    wanted = {s["id"] for s in related["sources"]} | {f.get("source") for t in FACT_TABLES for f in related[t]}
    return [s for s in query.list_sources(db) if s["id"] in wanted], None


def cite(db: TinyDB, name: str, style: str = "text") -> str | list[Record]:
    """The citation of the sources behind ``name``: text or BibTeX as a string, CSL-JSON as a
    list of items."""
    if style not in STYLES:
        from policyq.errors import UsageError

        raise UsageError(f"unknown citation style '{style}'; valid styles: {', '.join(STYLES)}")
    sources, fact = cited(db, name)
    if not sources:
        return [] if style == "csl" else ""
    if style == "csl":
        return [csl_item(s) for s in sources]
    if style == "bibtex":
        return "\n".join(bibtex_entry(s) for s in sources)
    quote = f"“{fact['quote']}”\n" if fact and fact.get("quote") else ""
    return quote + "".join(text_reference(s) + "\n" for s in sources)


def human_date(date: str | None) -> str:
    """'6 July 2023', 'May 2019' or '2019', as precise as the date; 'undated' for none."""
    if not date:
        return "undated"
    year, *rest = date.split("-")
    if not rest:
        return year
    month = _MONTHS[int(rest[0]) - 1]
    return f"{int(rest[1])} {month} {year}" if len(rest) > 1 else f"{month} {year}"


def _and(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def text_reference(source: Record) -> str:
    """Authors or publisher, “Title”, publisher, date. URL — the parts the source has."""
    authors = list(source.get("authors") or ())
    publisher = source.get("publisher")
    parts = [_and(authors)] if authors else [publisher] if publisher else []
    parts.append(f"“{source['title']}”")
    if authors and publisher:
        parts.append(publisher)
    elif not publisher:
        parts.append("outlet not named")
    parts.append(human_date(source.get("published")))
    url = source.get("url")
    return ", ".join(parts) + "." + (f" {url}" if url else "")


_BIBTEX_SPECIAL = str.maketrans(
    {c: "\\" + c for c in "&%$#_{}"} | {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\^{}"}
)
_BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def bibtex_entry(source: Record) -> str:
    """An ``@online`` entry (``@misc`` when the source has no address) keyed by the source id.

    Authors are literal names in braces (no guess at which part is the family name); the
    title is braced to keep its capitals; ``date`` (biblatex) and ``year``/``month``
    (BibTeX) are as precise as the source."""

    def esc(text: str) -> str:
        return text.translate(_BIBTEX_SPECIAL)

    url = source.get("url")
    fields: list[tuple[str, str]] = [("title", "{{" + esc(source["title"]) + "}}")]
    authors = source.get("authors") or ()
    if authors:
        fields.append(("author", "{" + " and ".join("{" + esc(a) + "}" for a in authors) + "}"))
    if source.get("publisher"):
        fields.append(("organization" if url else "howpublished", "{" + esc(source["publisher"]) + "}"))
    date = source.get("published")
    if date:
        fields.append(("date", "{" + date + "}"))
        fields.append(("year", "{" + date[:4] + "}"))
        if len(date) > 4:
            fields.append(("month", _BIBTEX_MONTHS[int(date[5:7]) - 1]))
    if url:
        fields.append(("url", "{" + url + "}"))
    body = "".join(f"  {k} = {v},\n" for k, v in fields)
    return f"@{'online' if url else 'misc'}{{{source['id']},\n{body}}}\n"


def csl_item(source: Record) -> Record:
    """A CSL-JSON item: ``issued`` has as many date parts as the source's date, and fields the
    source lacks are left out (CSL has no null)."""
    item: Record = {"id": source["id"], "type": "webpage", "title": source["title"]}
    if source.get("authors"):
        item["author"] = [{"literal": a} for a in source["authors"]]
    if source.get("publisher"):
        item["publisher"] = source["publisher"]
    if source.get("published"):
        item["issued"] = {"date-parts": [[int(p) for p in source["published"].split("-")]]}
    if source.get("url"):
        item["URL"] = source["url"]
    if source.get("language"):
        item["language"] = source["language"]
    return item


# --- progress -------------------------------------------------------------------------------

# One row per target and piece of evidence (a target without evidence: one row, evidence empty).
PROGRESS_FIELDS = (
    *(f"target_{f}" for f in FIELDS["targets"]),
    *(f"indicator_{f}" for f in FIELDS["indicators"]),
    "relation",
    "ratio",
)
_RELATION_ORDER = ("same place", "within", "containing")


def progress(db: TinyDB, f: Filters) -> list[Record]:
    """``{"target": …, "evidence": [{"indicator": …, "relation": …, "ratio": …}]}`` for each
    target ``f`` selects, in store order; the evidence nearest the target's place first."""
    index = query.places(db)
    by_place: dict[tuple[Any, Any], list[Record]] = {}
    for i in query.list_facts(db, "indicators", Filters()):
        by_place.setdefault((i.get("family"), i.get("subject")), []).append(i)
    out = []
    for t in query.list_facts(db, "targets", f):
        place = str(t.get("subject"))
        if place in index.by_id:
            near = [place, *sorted(index.descendants(place) - {place}), *index.ancestors(place)]
        else:
            near = [place]
        evidence: list[Record] = [
            {"indicator": i, "relation": _relation(index, place, p), "ratio": _ratio(i, t)}
            for p in near
            for i in by_place.get((t.get("family"), p), ())
            if _same_scope(t, i)
        ]
        evidence.sort(key=lambda e: (_RELATION_ORDER.index(e["relation"].split(":")[0]), _when(e["indicator"])))
        out.append({"target": t, "evidence": evidence})
    return out


def _when(r: Record) -> tuple[int, str]:
    return (r.get("year") or 0, str(r.get("as_of") or ""))


def _same_scope(target: Record, indicator: Record) -> bool:
    """Both about industry as a whole, or sharing an industry."""
    a, b = set(target.get("sectors") or ()), set(indicator.get("sectors") or ())
    return a == b or bool(a & b)


def _relation(index: Any, target_place: str, place: str) -> str:
    if place == target_place:
        return "same place"
    if place in index.descendants(target_place):
        return f"within: {index.name(place)} is in {index.name(target_place)}"
    return f"containing: {index.name(target_place)} is in {index.name(place)}"


def _ratio(indicator: Record, target: Record) -> float | None:
    """Indicator over target when both are numbers in the same unit (never for ranks)."""
    a, b = indicator.get("value"), target.get("value")
    if not isinstance(a, (int, float)) or not isinstance(b, (int, float)) or isinstance(a, bool) or isinstance(b, bool):
        return None
    if not b or indicator.get("unit") != target.get("unit") or target.get("unit") == "rank":
        return None
    return round(a / b, 6)


def flatten(items: Iterable[Record]) -> list[Record]:
    """Progress as flat rows with the columns of ``PROGRESS_FIELDS``."""
    rows = []
    for item in items:
        head = {f"target_{k}": item["target"].get(k) for k in FIELDS["targets"]}
        for e in item["evidence"] or [None]:
            found = e["indicator"] if e else {}
            rows.append(
                {
                    **head,
                    **{f"indicator_{k}": found.get(k) for k in FIELDS["indicators"]},
                    "relation": e["relation"] if e else None,
                    "ratio": e["ratio"] if e else None,
                }
            )
    return rows


def order(items: list[Record], sort: str | None, desc: bool, limit: int | None) -> list[Record]:
    """Targets ordered by a column of ``PROGRESS_FIELDS`` (a target by its first row; its evidence
    by the same column), cut to ``limit`` targets."""
    if sort:
        rows = query.order(flatten(items), "progress", sort, desc, None, valid=PROGRESS_FIELDS)
        groups: dict[Any, list[Record]] = {}
        for row in rows:
            groups.setdefault(row["target_id"], []).append(row)
        by_id = {item["target"]["id"]: item for item in items}
        items = [_regroup(by_id[tid], group) for tid, group in groups.items()]
    return query.order(items, "progress", None, False, limit, valid=PROGRESS_FIELDS)


def _regroup(item: Record, rows: list[Record]) -> Record:
    """``item`` with its evidence in the order of its ``rows``."""
    position = {r["indicator_id"]: n for n, r in enumerate(rows)}
    return {**item, "evidence": sorted(item["evidence"], key=lambda e: position[e["indicator"]["id"]])}
