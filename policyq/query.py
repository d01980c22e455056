"""Pure query functions: a store and ``Filters`` in, lists of plain records out. Never prints."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tinydb import TinyDB
from tinydb.queries import QueryInstance

from policyq.errors import UsageError
from policyq.model import FAMILIES, FIELDS, KINDS, METRICS
from policyq.places import Places

Record = dict[str, Any]
FACT_TABLES = ("targets", "indicators")


@dataclass(frozen=True)
class Filters:
    """What a listing asks for. Every field is optional; unset fields do not filter."""

    place: str | None = None  # as typed: an id, name, alias or Chinese name
    kinds: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    metric: str | None = None
    sector: str | None = None
    source: str | None = None
    min_value: float | None = None
    max_value: float | None = None


def _norm(text: str) -> str:
    return "_".join(text.casefold().replace("-", " ").split())


def places(db: TinyDB) -> Places:
    return Places(db.table("zones").all())


def _source_id(db: TinyDB, text: str) -> str:
    sources = db.table("sources").all()
    ids = [s["id"] for s in sources]
    if text in ids:
        return text
    titled = [s["id"] for s in sources if text.casefold() in str(s.get("title", "")).casefold()]
    if len(titled) == 1:
        return titled[0]
    import difflib

    close = difflib.get_close_matches(text, ids, n=1)
    hint = f" — did you mean '{close[0]}'?" if close else "; 'policyq sources' lists them"
    raise UsageError(f"no source '{text}'{hint}")


def check_kinds(kinds: Iterable[str]) -> tuple[str, ...]:
    out = []
    for kind in kinds:
        k = _norm(kind)
        k = k[:-1] if k not in KINDS and k.endswith("s") and k[:-1] in KINDS else k
        if k not in KINDS:
            raise UsageError(f"unknown kind '{kind}'; valid kinds: {', '.join(KINDS)}")
        out.append(k)
    return tuple(out)


def field_test(field: str, test: Callable[[Any, Any], bool], operand: Any) -> QueryInstance:
    """A TinyDB query on one top-level field, reading the record directly.

    ``where(field)`` resolves a path through several calls per record, which dominates a scan
    of a large store; this does one. A missing field, or a value of the wrong type (a store
    not yet validated), simply does not match.
    """

    def run(record: Mapping[str, Any]) -> bool:
        value = record.get(field)
        if value is None:
            return False
        try:
            return bool(test(value, operand))
        except TypeError:
            return False

    key = tuple(sorted(operand)) if isinstance(operand, (set, frozenset)) else operand
    return QueryInstance(run, ("policyq", field, test.__name__, key))


def _eq(a: Any, b: Any) -> bool:
    return a == b


def _ge(a: Any, b: Any) -> bool:
    return a >= b


def _le(a: Any, b: Any) -> bool:
    return a <= b


def _one_of(a: Any, b: frozenset[Any]) -> bool:
    return a in b


def _contains(a: Any, b: str) -> bool:
    return b in str(a).casefold()


def _any_contains(a: Any, b: str) -> bool:
    return isinstance(a, list) and any(b in str(s).casefold() for s in a)


def metric_condition(text: str) -> QueryInstance:
    """Match a metric name or family exactly when ``text`` is one; otherwise any metric, family
    or source wording that contains it ("output" is the family of output value and industry
    scale; "robot" finds both robot-density indicators)."""
    key = _norm(text)
    if key in METRICS or key in FAMILIES:
        return field_test("metric", _eq, key) | field_test("family", _eq, key)
    words = text.casefold()
    return (
        field_test("metric", _contains, key)
        | field_test("family", _contains, key)
        | field_test("metric_label", _contains, words)
    )


def list_zones(db: TinyDB, f: Filters) -> list[Record]:
    """Zones below ``f.place`` (not the place itself), of ``f.kinds``, citing ``f.source``."""
    index = places(db)
    zones = list(index.by_id.values())
    if f.place:
        root = index.resolve(f.place)
        below = index.descendants(root) - {root}
        zones = [z for z in zones if z["id"] in below]
    if f.kinds:
        kinds = check_kinds(f.kinds)
        zones = [z for z in zones if z.get("kind") in kinds]
    if f.sector:
        low = f.sector.casefold()
        zones = [z for z in zones if _any_contains(z.get("sectors"), low)]
    if f.source:
        sid = _source_id(db, f.source)
        zones = [z for z in zones if sid in (z.get("sources") or ())]
    return zones


def list_facts(db: TinyDB, table: str, f: Filters) -> list[Record]:
    """Targets or indicators about ``f.place`` or anything below it, filtered by ``f``."""
    conds: list[QueryInstance] = []
    if f.place:
        index = places(db)
        conds.append(field_test("subject", _one_of, frozenset(index.descendants(index.resolve(f.place)))))
    if f.year_from is not None and f.year_from == f.year_to:
        conds.append(field_test("year", _eq, f.year_from))  # one test per record, not two
    else:
        if f.year_from is not None:
            conds.append(field_test("year", _ge, f.year_from))
        if f.year_to is not None:
            conds.append(field_test("year", _le, f.year_to))
    if f.source:
        conds.append(field_test("source", _eq, _source_id(db, f.source)))
    if f.min_value is not None:
        conds.append(field_test("value", _ge, f.min_value))
    if f.max_value is not None:
        conds.append(field_test("value", _le, f.max_value))
    if f.metric:
        conds.append(metric_condition(f.metric))
    if f.sector:
        conds.append(field_test("sectors", _any_contains, f.sector.casefold()))
    docs = db.table(table)
    if not conds:
        return [dict(d) for d in docs.all()]
    cond = conds[0]
    for c in conds[1:]:
        cond = cond & c
    return [dict(d) for d in docs.search(cond)]


def list_sources(db: TinyDB) -> list[Record]:
    return [dict(s) for s in db.table("sources").all()]


def order(records: list[Record], table: str, sort: str | None, desc: bool, limit: int | None) -> list[Record]:
    """Sort by a field (missing values last, either way) and cut to ``limit``."""
    if sort:
        if sort.startswith("-"):
            sort, desc = sort[1:], True
        valid = FIELDS.get(table, SEARCH_RESULT_FIELDS)
        if sort not in valid:
            raise UsageError(f"cannot sort by '{sort}'; valid fields: {', '.join(valid)}")
        present = [r for r in records if r.get(sort) is not None]
        missing = [r for r in records if r.get(sort) is None]
        present.sort(key=lambda r: _sort_key(r[sort]), reverse=desc)
        records = present + missing
    if limit is not None:
        if limit < 0:
            raise UsageError(f"--limit must be 0 or more, not {limit}")
        records = records[:limit]
    return records


def _sort_key(value: Any) -> tuple[int, Any]:
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, (int, float)):
        return (0, value)
    return (2, str(value).casefold())


# --- show and search ----------------------------------------------------------------------


def _all_tables(db: TinyDB) -> dict[str, list[Record]]:
    return {t: [dict(r) for r in db.table(t).all()] for t in FIELDS}


def show(db: TinyDB, name: str) -> Record:
    """One record by id, or a place by any name, with the records related to it."""
    tables = _all_tables(db)
    for table, records in tables.items():
        for r in records:
            if r.get("id") == name:
                return _with_related(tables, table, r)
    index = Places(tables["zones"])
    ids = index.matches(name)
    if len(ids) > 1:
        options = ", ".join(f"'{i}' ({index.by_id[i]['name']}, {index.by_id[i]['kind']})" for i in ids)
        raise UsageError(f"'{name}' names several records: {options}; use an id")
    if ids:
        return _with_related(tables, "zones", index.by_id[ids[0]])
    raise UsageError(f"no record or place '{name}'{index.suggest(name)}")


def _with_related(tables: dict[str, list[Record]], table: str, record: Record) -> Record:
    zones = {z["id"]: z for z in tables["zones"]}
    sources = {s["id"]: s for s in tables["sources"]}
    related: dict[str, Any] = {}
    if table == "zones":
        index = Places(tables["zones"])
        zid = record["id"]
        related["ancestors"] = [zones[a] for a in index.ancestors(zid)]
        related["children"] = [zones[c] for c in index.children.get(zid, ())]
        related["related"] = [zones[r] for r in record.get("related") or () if r in zones]
        for fact in FACT_TABLES:
            related[fact] = [r for r in tables[fact] if r.get("subject") == zid]
        cited = list(record.get("sources") or ()) + [d.get("source") for d in record.get("designations") or ()]
        related["sources"] = [sources[s] for s in dict.fromkeys(cited) if s in sources]
    elif table in FACT_TABLES:
        subject = zones.get(record.get("subject"))
        related["subject"] = subject
        related["ancestors"] = [zones[a] for a in Places(tables["zones"]).ancestors(subject["id"])] if subject else []
        related["sources"] = [sources[record["source"]]] if record.get("source") in sources else []
    else:
        sid = record["id"]
        for fact in FACT_TABLES:
            related[fact] = [r for r in tables[fact] if r.get("source") == sid]
        related["zones"] = [z for z in tables["zones"] if sid in (z.get("sources") or ())]
    return {"table": table, "record": record, "related": related}


# Fields searched, in the order a match is reported (the most telling first).
SEARCH_FIELDS = {
    "sources": ("title", "publisher", "id", "note"),
    "zones": ("name", "name_zh", "aliases", "id", "sectors", "note"),
    "targets": ("metric_label", "metric", "family", "id", "sectors", "note"),
    "indicators": ("metric_label", "metric", "family", "id", "sectors", "note"),
}
SEARCH_RESULT_FIELDS = ("table", "id", "name", "field", "text")


def search(db: TinyDB, text: str) -> list[Record]:
    """Records in any table whose names, aliases, metrics, sectors or notes contain ``text``."""
    needle = text.casefold().strip()
    if not needle:
        raise UsageError("search needs some text, e.g. policyq search metaverse")
    tables = _all_tables(db)
    names = {z["id"]: z["name"] for z in tables["zones"]}
    hits: list[Record] = []
    for table, fields in SEARCH_FIELDS.items():
        for r in tables[table]:
            for field in fields:
                value = r.get(field)
                values = value if isinstance(value, list) else [value]
                found = next((v for v in values if isinstance(v, str) and needle in v.casefold()), None)
                if found is not None:
                    hits.append(
                        {
                            "table": table,
                            "id": r.get("id"),
                            "name": _title(r, table, names),
                            "field": field,
                            "text": found,
                        }
                    )
                    break
    return hits


def _title(r: Record, table: str, names: dict[str, str]) -> str:
    if table == "zones":
        return str(r.get("name"))
    if table == "sources":
        return str(r.get("title"))
    subject = str(r.get("subject"))
    return f"{names.get(subject, subject)}: {r.get('metric_label')}"


# --- the place tree -------------------------------------------------------------------------

TREE_FIELDS = ("id", "name", "name_zh", "kind", "parent", "related", "targets", "indicators")
TREE_ROW_FIELDS = ("depth", "path", *TREE_FIELDS)  # a flat row per place: its depth and path of ids


def tree(db: TinyDB, place: str | None = None) -> list[Record]:
    """The places below ``place`` (every top-level place when None) as nested records
    ``{id, name, name_zh, kind, parent, related, targets, indicators, children}``; ``targets``
    and ``indicators`` count the facts about the place itself. Each place appears once, so a
    parent loop in an unvalidated store cannot make it endless."""
    index = places(db)
    counts: dict[str, dict[Any, int]] = {}
    for table in FACT_TABLES:
        counts[table] = {}
        for r in db.table(table).all():
            counts[table][r.get("subject")] = counts[table].get(r.get("subject"), 0) + 1
    if place:
        tops = [index.resolve(place)]
    else:
        tops = [zid for zid, z in index.by_id.items() if z.get("parent") not in index.by_id]
    roots: list[Record] = []
    seen: set[str] = set()
    stack: list[tuple[str, list[Record]]] = [(zid, roots) for zid in reversed(tops)]
    while stack:
        zid, siblings = stack.pop()
        if zid in seen:
            continue
        seen.add(zid)
        zone = index.by_id[zid]
        node: Record = {f: zone.get(f) for f in TREE_FIELDS[:5]}
        node["related"] = list(zone.get("related") or ())
        node.update({t: counts[t].get(zid, 0) for t in FACT_TABLES}, children=[])
        siblings.append(node)
        stack.extend((kid, node["children"]) for kid in reversed(index.children.get(zid, ())))
    return roots
