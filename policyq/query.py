"""Pure query functions: a store and ``Filters`` in, lists of plain records out. Never prints."""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tinydb import TinyDB
from tinydb.queries import QueryInstance

from policyq import vocab
from policyq.choices import SEARCH_RESULT_FIELDS, TREE_FIELDS
from policyq.choices import TREE_ROW_FIELDS as TREE_ROW_FIELDS  # re-exported: callers name it from here
from policyq.errors import UsageError
from policyq.model import FAMILIES, FIELDS, METRICS
from policyq.places import Places
from policyq.schema import KINDS, UNITS
from policyq.storage import adapter
from policyq.storage.layout import LazyTable
from policyq.storage.zones import line_places

Record = dict[str, Any]
FACT_TABLES = ("targets", "indicators")


@dataclass(frozen=True)
class Filters:
    """What a listing asks for. Every field is optional; unset fields do not filter."""

    place: str | tuple[str, ...] | None = None  # as typed: ids, names, aliases or Chinese names (a union)
    kinds: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    metric: str | None = None
    sector: str | None = None
    source: str | None = None
    min_value: float | None = None  # at least
    max_value: float | None = None  # at most
    above: float | None = None  # over (strictly)
    below: float | None = None  # under (strictly)
    unit: str | None = None
    exact: bool = False  # only the named places themselves, not what lies below them

    @property
    def places(self) -> tuple[str, ...]:
        return (self.place,) if isinstance(self.place, str) else tuple(self.place or ())

    @property
    def bounded(self) -> bool:
        return any(v is not None for v in (self.min_value, self.max_value, self.above, self.below))


def _norm(text: str) -> str:
    return "_".join(text.casefold().replace("-", " ").split())


def kept_places(db: TinyDB) -> Places | None:
    """The place index built for ``db`` (a store opened for reading), if one was."""
    return getattr(db, "_policyq_places", None) if isinstance(db.storage, adapter.ReadOnlyStorage) else None


def keep_places(db: TinyDB, index: Places) -> None:
    """Give ``db`` (a store opened for reading) the place index of the same file's contents."""
    if isinstance(db.storage, adapter.ReadOnlyStorage):
        db._policyq_places = index


def places(db: TinyDB) -> Places:
    """The place index of ``db``; of a store opened for reading, built once (thousands of zones)."""
    if not isinstance(db.storage, adapter.ReadOnlyStorage):
        return Places(db.table("zones").all())
    cached: Places | None = kept_places(db)
    if cached is None:
        zones = db.storage.read().get("zones")
        # Thousands of small dicts and lists, none in a reference cycle: the cyclic collector
        # would only cost time (as in LazyTable.select).
        collecting = gc.isenabled()
        gc.disable()
        try:
            cached = line_places(zones) if isinstance(zones, LazyTable) else None
            if cached is None:  # not read off the start of the lines: every zone decoded
                records = zones.select(None) if isinstance(zones, LazyTable) else list((zones or {}).values())
                cached = Places(records)
        finally:
            if collecting:
                gc.enable()
        db._policyq_places = cached
    return cached


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


def _ids(value: Any) -> list[str]:
    """The ids a list field such as ``related`` holds; a value of another shape (a store not yet
    validated) holds none."""
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


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
    hashval = ("policyq", field, test.__name__, key)
    if test is _eq or test is _one_of:  # true only when the field equals one of these values
        values = frozenset(operand) if test is _one_of else frozenset([operand])
        return adapter.FieldQuery(run, hashval, ((field, values),))
    return QueryInstance(run, hashval)


def _eq(a: Any, b: Any) -> bool:
    return a == b


def _ge(a: Any, b: Any) -> bool:
    return a >= b


def _le(a: Any, b: Any) -> bool:
    return a <= b


def _one_of(a: Any, b: frozenset[Any]) -> bool:
    return a in b


def _stems(name: str) -> tuple[str, ...]:
    return tuple(vocab.stem(w) for w in name.split("_"))


# Metric and family names by their word stems, in order and in any order.
_NAMES = tuple(dict.fromkeys((*METRICS, *FAMILIES)))
_BY_STEMS = {_stems(n): n for n in _NAMES}
_BY_STEM_SET = {tuple(sorted(_stems(n))): n for n in _NAMES}


def metric_name(text: str) -> str | None:
    """The metric or family ``text`` names, tolerant of plurals, word order and everyday words:
    'output', 'robot densities', 'density robot', 'companies' (-> enterprises), 'growth rate'."""
    key = _norm(text)
    if key in METRICS or key in FAMILIES:
        return key
    stems = tuple(vocab.stem(w) for w in vocab.words(text))
    return vocab.metric_word(text) or _BY_STEMS.get(stems) or _BY_STEM_SET.get(tuple(sorted(stems)))


def _metric_words(record: Mapping[str, Any], patterns: tuple[re.Pattern[str], ...]) -> bool:
    text = " ".join(str(record.get(f) or "") for f in ("metric", "family", "metric_label")).replace("_", " ")
    low = text.casefold()
    return all(p.search(low) for p in patterns)


def metric_condition(text: str) -> QueryInstance:
    """Match a metric name or family exactly when ``text`` names one (see ``metric_name``);
    otherwise records whose metric, family or source wording holds every word of ``text``,
    plurals aside ("robots" finds both robot-density indicators)."""
    name = metric_name(text)
    if name:
        return field_test("metric", _eq, name) | field_test("family", _eq, name)
    patterns = tuple(vocab.sector_pattern(w) for w in vocab.words(text) or [text])
    return QueryInstance(lambda r: _metric_words(r, patterns), ("policyq", "metric-words", text.casefold()))


def _any_sector(a: Any, pattern: re.Pattern[str]) -> bool:
    return isinstance(a, list) and any(pattern.search(str(s).casefold()) for s in a)


def check_unit(unit: str) -> str:
    for known in UNITS:
        if unit.casefold() == known.casefold():
            return known
    raise UsageError(f"unknown unit '{unit}'; valid units: {', '.join(UNITS)}")


def value_test(f: Filters) -> Callable[[Mapping[str, Any]], bool]:
    """Whether a record's figure meets the bounds of ``f``, as far as its own comparator
    guarantees: 'over 100' is over 100 and at least 100; 'over 30' is not known to be under 100;
    'top 2' (<= 2) is at most 5."""

    def run(r: Mapping[str, Any]) -> bool:
        v, c = r.get("value"), r.get("comparator") or "="
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            return False
        lower, upper = c not in ("<", "<="), c not in (">", ">=")  # which sides the record bounds
        return not (
            (f.min_value is not None and not (lower and v >= f.min_value))
            or (f.above is not None and not (lower and (v > f.above or (v == f.above and c == ">"))))
            or (f.max_value is not None and not (upper and v <= f.max_value))
            or (f.below is not None and not (upper and (v < f.below or (v == f.below and c == "<"))))
        )

    return run


# --- places: what --in covers -----------------------------------------------------------------


class Scope:
    """The places a filter covers: ``roots`` as named, ``covered`` those and everything under
    them (and the places a named zone spans, via ``related``), and ``notes`` saying which places
    were included that way. (A plain class: a dataclass costs start-up time.)"""

    __slots__ = ("covered", "notes", "roots")

    def __init__(self, roots: tuple[str, ...], covered: frozenset[str], notes: tuple[str, ...] = ()) -> None:
        self.roots, self.covered, self.notes = roots, covered, notes


def tied_places(index: Places, zid: str) -> list[str]:
    """The places a zone spans: its ``related`` places when it names several (the Jinan-Qingdao
    pilot zone spans Jinan and Qingdao), less any that contain it. A place related to one other
    (a city to its region) spans nothing."""
    related = [r for r in _ids(index.by_id[zid].get("related")) if r in index.by_id]
    ancestors = set(index.ancestors(zid))
    spans = [r for r in related if r not in ancestors and r != zid]
    return spans if len(spans) >= 2 else []


def scope(index: Places, f: Filters) -> Scope | None:
    """What ``f.place`` covers (None when no place is given)."""
    if not f.places:
        return None
    roots = tuple(dict.fromkeys(index.resolve(p) for p in f.places))
    if f.exact:
        return Scope(roots, frozenset(roots))
    covered: set[str] = set()
    notes = []
    for root in roots:
        covered |= index.descendants(root)
        tied = tied_places(index, root)
        for t in tied:
            covered |= index.descendants(t)
        if tied:
            names = " and ".join(index.name(t) for t in tied)
            notes.append(f"via {index.name(root)}: including {names} and the places below them, which it spans")
    return Scope(roots, frozenset(covered), tuple(notes))


def scope_notes(db: TinyDB, f: Filters) -> tuple[str, ...]:
    """What a listing should say about the places it covered beyond those named."""
    found = scope(places(db), f) if f.places else None
    return found.notes if found else ()


def list_zones(db: TinyDB, f: Filters) -> list[Record]:
    """Zones below ``f.place`` (not the place itself, unless ``f.exact``), of ``f.kinds``, in
    ``f.sector``, citing ``f.source``."""
    index = places(db)
    ids = list(index.by_id)
    covered = scope(index, f)
    if covered:
        inside = covered.covered if f.exact else covered.covered - set(covered.roots)
        ids = [zid for zid in ids if zid in inside]
    if f.kinds:
        kinds = check_kinds(f.kinds)
        ids = [zid for zid in ids if index.by_id[zid].get("kind") in kinds]
    zones = index.records(ids)
    if f.sector:
        pattern = vocab.sector_pattern(f.sector)
        zones = [z for z in zones if _any_sector(z.get("sectors"), pattern)]
    if f.source:
        sid = _source_id(db, f.source)
        zones = [z for z in zones if sid in (z.get("sources") or ())]
    return [dict(z) for z in zones]  # copies: the index is kept for the next query


def list_facts(db: TinyDB, table: str, f: Filters) -> list[Record]:
    """Targets or indicators about ``f.place`` or anything below it, filtered by ``f``."""
    conds: list[QueryInstance] = []
    covered = scope(places(db), f) if f.places else None  # the place index only when a place is named
    if covered:
        conds.append(field_test("subject", _one_of, covered.covered))
    if f.year_from is not None and f.year_from == f.year_to:
        conds.append(field_test("year", _eq, f.year_from))  # one test per record, not two
    else:
        if f.year_from is not None:
            conds.append(field_test("year", _ge, f.year_from))
        if f.year_to is not None:
            conds.append(field_test("year", _le, f.year_to))
    if f.source:
        conds.append(field_test("source", _eq, _source_id(db, f.source)))
    if f.unit:
        conds.append(field_test("unit", _eq, check_unit(f.unit)))
    if f.bounded:
        bounds = (f.min_value, f.max_value, f.above, f.below)
        conds.append(QueryInstance(value_test(f), ("policyq", "value", bounds)))
    if f.metric:
        conds.append(metric_condition(f.metric))
    if f.sector:
        conds.append(field_test("sectors", _any_sector, vocab.sector_pattern(f.sector)))
    return adapter.search(db, table, conds)


def list_sources(db: TinyDB) -> list[Record]:
    return [dict(s) for s in db.table("sources").all()]


def order(
    records: list[Record],
    table: str,
    sort: str | None,
    desc: bool,
    limit: int | None,
    valid: tuple[str, ...] | None = None,
) -> list[Record]:
    """Sort by a field (missing values last, either way) and cut to ``limit``. ``valid``: the
    fields one may sort by (default: those of ``table``)."""
    if sort:
        if sort.startswith("-"):
            sort, desc = sort[1:], True
        valid = valid or FIELDS.get(table, SEARCH_RESULT_FIELDS)
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


class _Related:
    """What ``show`` reads besides the record it shows: the sources, the zones through the
    place index (kept for the next query; a zone decoded when it is asked for), and of the
    fact tables only the records asked for (read as the store streams: a large store is never
    held whole)."""

    def __init__(self, db: TinyDB) -> None:
        self.db, self.index = db, places(db)
        self.sources = {s["id"]: s for s in _rows(db, "sources")}

    def zone(self, zid: Any) -> Record | None:
        """The zone ``zid`` (a copy: the index is kept), or None when there is none."""
        return dict(self.index.record(zid)) if isinstance(zid, str) and zid in self.index.by_id else None

    def zones(self, ids: Iterable[Any]) -> list[Record]:
        return [z for z in map(self.zone, ids) if z is not None]

    def facts(self, table: str, field: str, value: Any) -> list[Record]:
        return adapter.search(self.db, table, [field_test(field, _eq, value)])


def _rows(db: TinyDB, table: str) -> list[Record]:
    return [dict(r) for r in db.table(table).all()]


def show(db: TinyDB, name: str) -> Record:
    """One record by id, or a place by any name, with the records related to it."""
    tables = _Related(db)
    if name in tables.sources:  # an id, looked for in the tables' order: sources, zones, facts
        return _with_related(tables, "sources", tables.sources[name])
    zone = tables.zone(name)
    if zone is not None:
        return _with_related(tables, "zones", zone)
    for table in FACT_TABLES:
        found = tables.facts(table, "id", name)
        if found:
            return _with_related(tables, table, found[0])
    index = tables.index
    ids = index.matches(name)
    if len(ids) > 1:
        raise index.ambiguous(name, ids)
    if ids:
        return _with_related(tables, "zones", dict(index.record(ids[0])))
    raise UsageError(f"no record or place '{name}'{_suggest_record(db, index, name)}")


def _suggest_record(db: TinyDB, index: Places, name: str) -> str:
    """A did-you-mean for ``show``: for text written like an id ('qingdao-gdp-2019'), the
    fact and source ids that begin with it or nearly match it; else places by name; else
    where to look."""
    import difflib

    key = name.strip()
    close: list[str] = []
    if "-" in key and " " not in key and key == key.lower():
        ids = [str(r.get("id")) for t in ("targets", "indicators", "sources") for r in db.table(t).all()]
        close = [i for i in ids if i.startswith(key)][:3] or difflib.get_close_matches(key, ids, n=3, cutoff=0.8)
    if close:
        return " — did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    hint = index.suggest(name)
    return hint if "did you mean" in hint else "; 'policyq search WORDS' finds records by any word"


def _with_related(tables: _Related, table: str, record: Record) -> Record:
    index, sources = tables.index, tables.sources
    related: dict[str, Any] = {}
    if table == "zones":
        zid = record["id"]
        related["ancestors"] = tables.zones(index.ancestors(zid))
        related["children"] = tables.zones(index.children.get(zid, ()))
        related["related"] = tables.zones(_ids(record.get("related")))
        for fact in FACT_TABLES:
            related[fact] = tables.facts(fact, "subject", zid)
        designations = record.get("designations")
        given = [d.get("source") for d in designations if isinstance(d, dict)] if isinstance(designations, list) else []
        cited = _ids(record.get("sources")) + [s for s in given if isinstance(s, str)]
        related["sources"] = [sources[s] for s in dict.fromkeys(cited) if s in sources]
    elif table in FACT_TABLES:
        subject = tables.zone(record.get("subject"))
        related["subject"] = subject
        related["ancestors"] = tables.zones(index.ancestors(subject["id"])) if subject else []
        related["sources"] = [sources[record["source"]]] if record.get("source") in sources else []
    else:
        sid = record["id"]
        for fact in FACT_TABLES:
            related[fact] = tables.facts(fact, "source", sid)

        def cites(zone: Mapping[str, Any]) -> bool:
            return sid in (zone.get("sources") or ())

        related["zones"] = adapter.search(tables.db, "zones", [QueryInstance(cites, None)])
    return {"table": table, "record": record, "related": related}


# Fields searched, in the order a match is reported (the most telling first).
SEARCH_FIELDS = {
    "sources": ("title", "publisher", "id", "note"),
    "zones": ("name", "name_zh", "aliases", "id", "sectors", "designations", "note"),
    "targets": ("metric_label", "metric", "family", "id", "sectors", "quote", "note"),
    "indicators": ("metric_label", "metric", "family", "id", "sectors", "quote", "note"),
}


def _matcher(text: str) -> Callable[[str], int | None]:
    """How well a stored string matches the search text: 0 equal, 1 contains it, 2 holds each
    of its words (plurals aside: 'robots' finds 'robot density'; sector names: 'AI' finds
    'artificial intelligence'), None not at all. Text of three letters or fewer is matched as
    words only, so 'AI' does not find 'chain'."""
    needle = text.casefold().strip()
    substring = len(needle) > 3 or vocab.has_cjk(needle)
    patterns = [vocab.sector_pattern(w) for w in vocab.words(needle)] or [re.compile(re.escape(needle))]
    whole = vocab.sector_pattern(needle) if vocab.sector_name(needle) else None

    def rank(value: str) -> int | None:
        low = value.casefold()
        if low == needle:
            return 0
        if substring and needle in low:
            return 1
        if (whole and whole.search(low)) or all(p.search(low) for p in patterns):
            return 2
        return None

    return rank


# Result order: (how it matched, whether in a name) -> tier. Exact names and ids first, then
# names holding the text, exact matches elsewhere (a sector), names holding its words, then the rest.
_NAME_FIELDS = {"name", "name_zh", "aliases", "id", "title", "metric_label"}
_TIERS = {0: {True: 0, False: 2}, 1: {True: 1, False: 4}, 2: {True: 3, False: 5}}


def _strings(value: Any) -> list[Any]:
    """What a field holds to search: the value, its items, or each designation's title and quote."""
    if not isinstance(value, list):
        return [value]
    return [s for v in value for s in ((v.get("title"), v.get("quote")) if isinstance(v, dict) else (v,))]


def search(db: TinyDB, text: str) -> list[Record]:
    """Records in any table whose names, aliases, metrics, sectors or notes match ``text``, best
    first: exact names and ids, then names holding the text, then other fields, then word
    matches. Facts carry their figure (value, unit, comparator)."""
    if not text.strip():
        raise UsageError("search needs some text, e.g. policyq search metaverse")
    rank = _matcher(text)
    kept = kept_places(db)  # the index kept from an earlier query spares decoding the zones again
    # (the zones decoded are let go at once: a large store's are not held while it is scanned)
    names = {z["id"]: z["name"] for z in (kept.by_id.values() if kept is not None else db.table("zones").all())}
    hits: list[tuple[int, int, Record]] = []

    def best_of(r: Mapping[str, Any], fields: tuple[str, ...]) -> tuple[int, str, str] | None:
        best: tuple[int, str, str] | None = None
        for field in fields:
            for v in _strings(r.get(field)):
                score = rank(v) if isinstance(v, str) else None
                if score is not None and isinstance(v, str):
                    key = _TIERS[score][field in _NAME_FIELDS]
                    if best is None or key < best[0]:
                        best = (key, field, v)
        return best

    for table, fields in SEARCH_FIELDS.items():
        # Only the records that match are kept: a large store streams past.
        def found(r: Mapping[str, Any], fields: tuple[str, ...] = fields) -> bool:
            return best_of(r, fields) is not None

        matched = adapter.search(db, table, [QueryInstance(found, None)])
        for r in matched:
            best = best_of(r, fields)
            if best is not None:
                fact = table in FACT_TABLES
                hit = {
                    "table": table,
                    "id": r.get("id"),
                    "name": _title(r, table, names),
                    "field": best[1],
                    "text": best[2],
                    "value": r.get("value") if fact else None,
                    "unit": r.get("unit") if fact else None,
                    "comparator": r.get("comparator") if fact else None,
                }
                hits.append((best[0], len(hits), hit))
    return [hit for *_, hit in sorted(hits, key=lambda h: (h[0], h[1]))]


def _title(r: Record, table: str, names: dict[str, str]) -> str:
    if table == "zones":
        return str(r.get("name"))
    if table == "sources":
        return str(r.get("title"))
    subject = str(r.get("subject"))
    return f"{names.get(subject, subject)}: {r.get('metric_label')}"


# --- the place tree -------------------------------------------------------------------------


def tree(db: TinyDB, place: str | None = None, depth: int | None = None) -> list[Record]:
    """The places below ``place`` (every top-level place when None) as nested records
    ``{id, name, name_zh, kind, code, parent, related, targets, indicators, children}``; ``targets``
    and ``indicators`` count the facts about the place itself. Each place appears once, so a
    parent loop in an unvalidated store cannot make it endless. ``depth``: levels below the top
    places at most (0: the top places alone; None: all)."""
    if depth is not None and depth < 0:
        raise UsageError(f"--depth must be 0 or more, not {depth}")
    index = places(db)
    counts: dict[str, dict[Any, int]] = {}
    for table in FACT_TABLES:
        counted = counts[table] = {}

        def count(r: Mapping[str, Any], counted: dict[Any, int] = counted) -> bool:
            counted[r.get("subject")] = counted.get(r.get("subject"), 0) + 1
            return False  # counted, not kept: a large store streams past

        adapter.search(db, table, [QueryInstance(count, None)])
    if place:
        tops = [index.resolve(place)]
    else:
        tops = [zid for zid, z in index.by_id.items() if z.get("parent") not in index.by_id]
    roots: list[Record] = []
    seen: set[str] = set()
    stack: list[tuple[str, list[Record], int]] = [(zid, roots, 0) for zid in reversed(tops)]
    while stack:
        zid, siblings, level = stack.pop()
        if zid in seen:
            continue
        seen.add(zid)
        zone = index.by_id[zid]
        node: Record = {f: zone.get(f) for f in TREE_FIELDS[:6]}
        node["related"] = _ids(zone.get("related"))
        node.update({t: counts[t].get(zid, 0) for t in FACT_TABLES}, children=[])
        siblings.append(node)
        if depth is None or level < depth:
            stack.extend((kid, node["children"], level + 1) for kid in reversed(index.children.get(zid, ())))
    return roots
