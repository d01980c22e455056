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

import math
import re
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


def date_words(source: Record) -> str:
    """The source's date as a citation may print it: as printed ('15 May 2023'); a page's
    stamp as what it is ('page updated 6 July 2023'); a date the source does not print, worked
    out from its text (its note says 'Undated', 'No publication date' or 'Dated to'), as
    inferred ('undated; 2019 inferred from the text')."""
    date = human_date(source.get("published"))
    note = str(source.get("note") or "")
    if not source.get("published"):
        return date
    if note.startswith(("Undated", "No publication date")) or "Dated to" in note:
        return f"undated; {date} inferred from the text"
    if "'Updated" in note:
        return f"page updated {date}"
    return date


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
    parts.append(date_words(source))
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
    "status",
    *(f"indicator_{f}" for f in FIELDS["indicators"]),
    "relation",
    "timing",
    "reaches",
    "ratio",
)
STATUSES = ("met", "not met", "on track", "not yet due", "partial evidence", "no figure")
RELATIONS = ("same place", "within", "containing")
TIMINGS = ("before deadline", "at deadline", "after deadline", "undated")
_LAST_DAY = {"01": 31, "02": 29, "03": 31, "04": 30, "05": 31, "06": 30}
_LAST_DAY |= {"07": 31, "08": 31, "09": 30, "10": 31, "11": 30, "12": 31}


def progress(db: TinyDB, f: Filters, today: str | None = None) -> list[Record]:
    """``{"target": …, "status": …, "why": …, "evidence": [{"indicator": …, "relation": …,
    "timing": …, "reaches": …, "ratio": …}]}`` for each target ``f`` selects, in store order;
    the evidence nearest the target's place first. The rules are in docs/progress.md;
    ``today`` (an ISO date, default the real one) decides whether a deadline has passed."""
    if today is None:
        from datetime import date

        today = date.today().isoformat()
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
        evidence = [
            _evidence(t, i, _relation(index, place, p))
            for p in near
            for i in by_place.get((t.get("family"), p), ())
            if _same_scope(t, i)
        ]
        evidence.sort(key=lambda e: (RELATIONS.index(e["relation"]), _when(e["indicator"])))
        status, why = _status(t, evidence, today)
        out.append({"target": t, "status": status, "why": why, "evidence": evidence})
    return out


def _when(r: Record) -> tuple[int, str]:
    year = r.get("year")
    return (year if isinstance(year, int) and not isinstance(year, bool) else 0, str(r.get("as_of") or ""))


def _same_scope(target: Record, indicator: Record) -> bool:
    """Both about industry as a whole, or sharing an industry."""
    a, b = set(target.get("sectors") or ()), set(indicator.get("sectors") or ())
    return a == b or bool(a & b)


def _relation(index: Any, target_place: str, place: str) -> str:
    if place == target_place:
        return "same place"
    return "within" if place in index.descendants(target_place) else "containing"


def _span(date: Any, year: Any) -> tuple[str, str] | None:
    """The first and last day of the period an ISO date (or, lacking one, a year) names."""
    text = str(date) if isinstance(date, str) and date else str(year) if isinstance(year, int) else ""
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        return None
    if len(text) == 4:
        return f"{text}-01-01", f"{text}-12-31"
    if len(text) == 7:
        return f"{text}-01", f"{text}-{_LAST_DAY.get(text[5:], 31):02d}"
    return text, text


def _timing(indicator: Record, target: Record) -> str:
    """Whether the figure's period ends before the deadline's begins, overlaps it, or begins after it."""
    fig = _span(indicator.get("as_of"), indicator.get("year"))
    due = _span(target.get("deadline"), target.get("year"))
    if fig is None or due is None:
        return "undated"
    if fig[1] < due[0]:
        return "before deadline"
    return "after deadline" if fig[0] > due[1] else "at deadline"


def _number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _reaches(indicator: Record, target: Record) -> bool | None:
    """True when the figure proves the target's figure reached, False when it proves it short,
    None when it proves neither (a floor below the target, a ceiling above it) or cannot be
    compared. ``over 120`` proves ``over 100`` reached; ``over 80`` proves nothing about it."""
    v, aim = indicator.get("value"), target.get("value")
    if not (_number(v) and _number(aim)) or target.get("unit") == "rank":
        return None
    says, wants = indicator.get("comparator") or "=", target.get("comparator") or "="
    least = v if says in ("=", "~", ">", ">=") else None
    most = v if says in ("=", "~", "<", "<=") else None
    strict = wants == ">"  # 'over 100' is not reached by exactly 100
    if least is not None and (least > aim or (least == aim and (not strict or says == ">"))):
        return True
    if most is not None and (most < aim or (most == aim and (strict or says == "<"))):
        return False
    return None


def _ratio(indicator: Record, target: Record) -> float | None:
    """Figure over target, only where that reads as how far the target was reached: the same
    place and unit, a figure stated exactly or as 'about' (a floor such as 'over 120' says
    only that the ratio is higher), never for ranks, and never a number JSON cannot hold."""
    a, b = indicator.get("value"), target.get("value")
    if not (_number(a) and _number(b)) or not b or indicator.get("unit") != target.get("unit"):
        return None
    if target.get("unit") == "rank" or (indicator.get("comparator") or "=") not in ("=", "~"):
        return None
    ratio = a / b
    return round(ratio, 6) if math.isfinite(ratio) and ratio >= 0 else None


def _evidence(target: Record, indicator: Record, relation: str) -> Record:
    """How one figure speaks to a target. Only a figure for the same place, in the same unit
    and about exactly the same industries is compared with it (``reaches``, ``ratio``)."""
    alike = (
        relation == "same place"
        and indicator.get("unit") == target.get("unit")
        and set(indicator.get("sectors") or ()) == set(target.get("sectors") or ())
    )
    return {
        "indicator": indicator,
        "relation": relation,
        "timing": _timing(indicator, target),
        "reaches": _reaches(indicator, target) if alike else None,
        "ratio": _ratio(indicator, target) if alike else None,
    }


def _status(target: Record, evidence: Sequence[Record], today: str) -> tuple[str, str]:
    """The target's status and the reason for it, by the rules of docs/progress.md."""
    if not evidence:
        return "no figure", "nothing reported speaks to it"
    direct = [e for e in evidence if e["reaches"] is not None or e["ratio"] is not None]
    at = [e for e in direct if e["timing"] == "at deadline"]
    if at:
        last = max(at, key=lambda e: _when(e["indicator"]))
        if last["reaches"] is True:
            return "met", "a figure for the place, for the deadline, reaches it"
        if last["reaches"] is False:
            return "not met", "a figure for the place, for the deadline, falls short of it"
    before = [e for e in direct if e["timing"] == "before deadline"]
    if before and max(before, key=lambda e: _when(e["indicator"]))["reaches"] is True:
        return "on track", "a figure for the place from before the deadline already reaches it"
    due = _span(target.get("deadline"), target.get("year"))
    if due is None or today <= due[1]:
        return "not yet due", "the deadline has not passed" + ("" if due else " (none is given)")
    return "partial evidence", _partial(evidence)


def _partial(evidence: Sequence[Record]) -> str:
    """Why the figures reported do not settle a target whose deadline has passed."""
    relations = {e["relation"] for e in evidence}
    if relations == {"within"}:
        return "only figures for places within its place"
    if "same place" not in relations:
        return "only figures for places around its place, or within it"
    if all(e["timing"] == "after deadline" for e in evidence if e["relation"] == "same place"):
        return "figures for its place come only from after the deadline"
    if all(e["reaches"] is None and e["ratio"] is None for e in evidence if e["relation"] == "same place"):
        return "figures for its place are in another unit or about other industries"
    if any(e["reaches"] is False for e in evidence):
        return "a figure from before the deadline falls short; none is reported for the deadline"
    return "the figures for its place neither reach it nor fall short of it for certain"


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
                    "status": item.get("status"),
                    **{f"indicator_{k}": found.get(k) for k in FIELDS["indicators"]},
                    **{k: e[k] if e else None for k in ("relation", "timing", "reaches", "ratio")},
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
