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
from policyq.choices import PROGRESS_FIELDS, STYLES
from policyq.model import FIELDS
from policyq.query import FACT_TABLES, Filters

Record = dict[str, Any]
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


# LaTeX for the characters TeX treats specially. Braces become macros, never ``\{``: BibTeX
# counts every brace, escaped or not, so a title holding ``}}`` would close the entry and
# whatever followed would be read as a new one. Every brace written is one of a pair.
_LATEX = str.maketrans(
    {c: "\\" + c for c in "&%$#_"}
    | {
        "\\": r"\textbackslash{}",
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)
_BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
# A newspaper, by the words its name holds: its articles are cited as such (container-title).
_NEWSPAPER = re.compile(r"\b(Daily|Times|News|Post|Herald|Gazette|Tribune|Zhoukan|Ribao|Bao)\b")


def latex(text: str) -> str:
    """``text`` with every character TeX acts on written as LaTeX; braces always balanced."""
    return text.translate(_LATEX)


def _url(url: str) -> str:
    """An address with the characters BibTeX or TeX would act on percent-encoded (the same URL)."""
    from urllib.parse import quote

    return quote(url, safe="!#$&'()*+,/:;=?@[]~-._%")


def _date_parts(date: Any) -> list[int]:
    """[year], [year, month] or [year, month, day] of a stored date; [] when it is not one."""
    found = _DATE.fullmatch(date) if isinstance(date, str) else None
    return [int(p) for p in found.groups() if p] if found else []


def person(name: str) -> dict[str, str]:
    """A name as CSL and BibTeX want it. Chinese names in the Roman alphabet are printed family
    name first in capitals ('JIN Feng'), and 'Family, Given' names their parts; any other name
    is kept whole (``literal``), never guessed at."""
    family, comma, given = name.partition(",")
    if comma and family.strip() and given.strip():
        return {"family": family.strip(), "given": given.strip()}
    words = name.split()
    if len(words) >= 2 and words[0].isupper() and len(words[0]) > 1 and not any(w.isupper() for w in words[1:]):
        return {"family": words[0], "given": " ".join(words[1:])}
    return {"literal": name}


def _bibtex_name(name: str) -> str:
    parts = person(name)
    if "literal" in parts:
        return "{" + latex(parts["literal"]) + "}"  # braced: one name, no parts guessed
    return "{" + latex(parts["family"]) + "}, " + latex(parts["given"])


def is_newspaper(source: Record) -> bool:
    return isinstance(source.get("publisher"), str) and bool(_NEWSPAPER.search(source["publisher"]))


def bibtex_entry(source: Record) -> str:
    """A classic BibTeX entry keyed by the source id: ``@article`` for a newspaper's article
    (``journal`` the paper), else ``@misc`` (``howpublished`` the publisher, ``url`` and
    ``howpublished = \\url{…}`` its address).

    Names written family name first in capitals are split into family and given names, others
    kept whole in braces; ``key`` (the publisher, else the title) sorts an entry without
    authors; the title is braced to keep its capitals; ``date`` (biblatex) and
    ``year``/``month`` (BibTeX) are as precise as the source. Every value is escaped for
    LaTeX, with no unpaired brace (``url`` percent-encoded), so no text can end the entry."""
    url = source.get("url") if isinstance(source.get("url"), str) else None
    publisher = source.get("publisher") if isinstance(source.get("publisher"), str) else None
    newspaper = is_newspaper(source)
    fields: list[tuple[str, str]] = [("title", "{{" + latex(str(source.get("title"))) + "}}")]
    authors = [a for a in source.get("authors") or () if isinstance(a, str)]
    if authors:
        fields.append(("author", "{" + " and ".join(_bibtex_name(a) for a in authors) + "}"))
    else:
        fields.append(("key", "{" + latex(publisher or str(source.get("title"))) + "}"))
    if publisher:
        fields.append(("journal" if newspaper else "howpublished", "{" + latex(publisher) + "}"))
    parts = _date_parts(source.get("published"))
    if parts:
        fields.append(("date", "{" + source["published"] + "}"))
        fields.append(("year", "{" + str(parts[0]) + "}"))
        if len(parts) > 1 and 1 <= parts[1] <= 12:
            fields.append(("month", _BIBTEX_MONTHS[parts[1] - 1]))
    if url:
        fields.append(("url", "{" + _url(url) + "}"))
        if not newspaper and not publisher:
            fields.append(("howpublished", "{\\url{" + _url(url) + "}}"))
    key = re.sub(r"[^A-Za-z0-9._:-]", "-", str(source.get("id"))) or "source"
    body = "".join(f"  {k} = {v},\n" for k, v in fields)
    return f"@{'article' if newspaper else 'misc'}{{{key},\n{body}}}\n"


def csl_item(source: Record) -> Record:
    """A CSL-JSON item: an article in a newspaper (``article-newspaper``, the paper its
    ``container-title``), a page on the web when the source has an address (``webpage``), else
    a ``document`` by its publisher. ``issued`` has as many date parts as the source's date;
    names are ``{family, given}`` where the name shows them (``person``); fields the source
    lacks are left out (CSL has no null)."""
    url, publisher = source.get("url"), source.get("publisher")
    newspaper = is_newspaper(source)
    kind = "article-newspaper" if newspaper else "webpage" if url else "document"
    item: Record = {"id": source["id"], "type": kind, "title": source["title"]}
    if source.get("authors"):
        item["author"] = [person(a) for a in source["authors"]]
    if publisher:
        item["container-title" if newspaper or url else "publisher"] = publisher
    parts = _date_parts(source.get("published"))
    if parts:
        item["issued"] = {"date-parts": [parts]}
    if url:
        item["URL"] = url
    if source.get("language"):
        item["language"] = source["language"]
    return item


# --- progress -------------------------------------------------------------------------------

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
    # Each place's neighbourhood once, not once per target and figure: the places within it,
    # then those containing it, each with its relation to it.
    nearby: dict[str, list[tuple[str, str]]] = {}
    for t in query.list_facts(db, "targets", f):
        place = str(t.get("subject"))
        near = nearby.get(place)
        if near is None:
            below = index.descendants(place) if place in index.by_id else {place}
            around = [place, *sorted(below - {place}), *(index.ancestors(place) if place in index.by_id else ())]
            near = nearby[place] = [
                (p, "same place" if p == place else "within" if p in below else "containing") for p in around
            ]
        evidence = [
            _evidence(t, i, relation)
            for p, relation in near
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
