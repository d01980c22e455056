"""The record types of a store and the rules every record must satisfy.

``FIELDS`` is the contract: the fields of each table in the order JSON output keeps.
``validate`` checks a whole store (types, vocabularies, references, unique ids, no cycles
in the place tree) and is used by ``policyq validate``, by tests, and before any write.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from policyq import schema
from policyq.report import steps
from policyq.schema import (
    COMPARATORS,
    DESIGNATION_FIELDS,
    DESIGNATION_STATUSES,
    FIELDS,
    KINDS,
    NOT_NEGATIVE_UNITS,
    PRECISION_FIELDS,
    PRECISIONS,
    UNITS,
)
from policyq.text import visible

# The controlled metric names and the family each belongs to. A store may add metrics of its
# own (a lower-case name); a metric named here must carry the family named here.
METRICS: dict[str, tuple[str, str]] = {
    "output_value": ("output", "output value of an industry, park or place (CNY)"),
    "industry_scale": ("output", "scale (revenue) of an industry (CNY)"),
    "industrial_output": ("output", "total industrial output (CNY)"),
    "gdp": ("gdp", "gross domestic product (CNY)"),
    "gdp_growth": ("growth", "GDP growth (percent)"),
    "enterprise_count": ("enterprises", "number of enterprises"),
    "investment": ("investment", "money to be invested (CNY)"),
    "data_products": ("products", "number of data products listed"),
    "area": ("area", "area (m2 or km2)"),
    "planned_area": ("area", "planned area (m2 or km2)"),
    "application_count": ("count", "number of applications hosted"),
    "park_count": ("count", "number of parks"),
    "pilot_area_count": ("count", "number of pilot areas"),
    "factory_count": ("count", "number of factories"),
    "robot_density": ("density", "industrial robots per 10,000 people"),
    "robot_density_ratio": ("density", "robot density as a multiple of a benchmark"),
    "output_share": ("share", "share of an output total (percent)"),
    "province_rank": ("rank", "rank among China's provinces"),
    "gdp_rank_in_province": ("rank", "rank by GDP among the cities of a province"),
}
FAMILIES = tuple(dict.fromkeys(family for family, _ in METRICS.values()))
YEARS = (1900, 2100)

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_CODE = re.compile(r"^[0-9]{6}$")  # a GB/T 2260 administrative division code
_METRIC = re.compile(r"^[a-z][a-z0-9_]*$")
_DATE_FORM = re.compile(r"[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?")


def is_date(text: str) -> bool:
    """Whether ``text`` is a date as YYYY, YYYY-MM or YYYY-MM-DD, and a day the calendar has
    (no 2025-02-30)."""
    if not _DATE_FORM.fullmatch(text):
        return False
    if len(text) == 10:
        import datetime

        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            return False
    return True


# field -> (allowed types, required), derived from the schema. Optional fields accept None.
_TYPES: dict[str, tuple[type, ...]] = {
    schema.TEXT: (str,),
    schema.NUMBER: (int, float),
    schema.INTEGER: (int,),
    schema.TEXTS: (list,),
    schema.DESIGNATIONS: (list,),
}
_RULES: dict[str, dict[str, tuple[tuple[type, ...], bool]]] = {
    table: {
        f.name: (
            _TYPES[f.type] if f.required or f.is_list else (*_TYPES[f.type], type(None)),
            f.required,
        )
        for f in fields
    }
    for table, fields in schema.TABLES.items()
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one record: where it is and what would be right."""

    table: str
    record: str
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.table}[{self.record}]" + (f".{self.field}" if self.field else "")
        text = f"{where}: {self.message}".replace("\r", "\\r").replace("\n", "\\n")  # one line each
        return visible(text)  # and no control character from a record reaches a terminal


def date_precision(date: Any) -> str | None:
    """'year', 'month' or 'day' for a date written YYYY, YYYY-MM or YYYY-MM-DD; else None."""
    if not isinstance(date, str) or not is_date(date):
        return None
    return PRECISIONS[date.count("-")]


def normalize(table: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """The record with every field of its table present, in the documented order.

    Missing list fields become ``[]`` and other missing fields ``None``; a missing date
    precision is read off its date; unknown fields are kept after the known ones so that
    ``validate`` can name them.
    """
    rules = _RULES[table]
    out: dict[str, Any] = {}
    for field in FIELDS[table]:
        if field in record:
            out[field] = record[field]
        else:
            out[field] = [] if rules[field][0] == (list,) else None
    for date, precision in PRECISION_FIELDS.items():
        if precision in out and out[precision] is None:
            out[precision] = date_precision(out.get(date))
    if table == "zones" and isinstance(out.get("designations"), list):
        out["designations"] = [_designation(d) if isinstance(d, dict) else d for d in out["designations"]]
    for field, value in record.items():
        if field not in out:
            out[field] = value
    return out


def _label(record: Any, index: int) -> str:
    rid = record.get("id") if isinstance(record, dict) else None
    return rid if isinstance(rid, str) and rid else f"#{index}"


# The largest integer every JSON reader holds exactly: most (orjson, JavaScript, jq) read
# numbers as 64-bit floats, which have 53 bits of precision.
MAX_EXACT_INTEGER = 2**53
# Characters a text field may not hold, by Unicode category: controls, C0 and C1 (a terminal
# obeys escape sequences), format characters (invisible: zero-width spaces and joiners, the
# bidirectional marks and overrides that reorder a line on screen, the BOM, tag characters),
# line and paragraph separators (some readers break lines there), and lone surrogates (not
# Unicode text; no UTF-8 file can hold them). "Pudong\u200b New Area" would look like the
# real one. Notes and quotes may hold newlines and tabs; other spaces (U+00A0, U+3000) are text.
_UNSAFE_CATEGORIES = {
    "Cc": "control",
    "Cf": "invisible formatting",
    "Zl": "line separator",
    "Zp": "paragraph separator",
}
MULTILINE_FIELDS = schema.MULTILINE_FIELDS


def text_problem(field: str, text: str) -> str | None:
    """Why ``text`` may not be stored in ``field`` (e.g. 'designations[0].note'), or None."""
    if text.isprintable():  # the common case, in C
        return None
    import unicodedata

    multiline = field.rsplit(".", 1)[-1] in MULTILINE_FIELDS
    for at, char in enumerate(text):
        if char.isprintable() or (multiline and char in "\n\t"):
            continue
        code = f"U+{ord(char):04X}"
        if "\ud800" <= char <= "\udfff":
            return f"holds a lone surrogate ({code}) at position {at}, which is not Unicode text"
        kind = _UNSAFE_CATEGORIES.get(unicodedata.category(char))
        if kind is None:  # a space other than U+0020, a private-use or unassigned code point
            continue
        hint = "; only notes and quotes may hold line breaks and tabs" if char in "\n\t" else ""
        name = unicodedata.name(char, "")
        named = f" ({name})" if name and kind != "control" else ""
        return f"holds the {kind} character {code}{named} at position {at}; text must be printable{hint}"
    return None


def _brief(value: Any) -> str:
    """A short, safe rendering of a value for a message (never a 5,000-digit number)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"an integer of {len(str(value)) if value.bit_length() < 10_000 else 'thousands of'} digits"
    import reprlib

    brief = reprlib.Repr()
    brief.maxlevel, brief.maxstring, brief.maxother = 3, 40, 40
    return brief.repr(value)


def number_problem(value: int | float) -> str | None:
    """Why a number may not be stored as it is: an integer beyond what a float holds exactly, or
    a number that is not finite."""
    if isinstance(value, int):
        if abs(value) > MAX_EXACT_INTEGER:
            return (
                f"{_brief(value)} is too large to keep exactly (integers up to 2^53 = {MAX_EXACT_INTEGER:,}); "
                "write an approximate figure as a decimal, e.g. 1.5e22"
            )
        return None
    return None if math.isfinite(value) else f"must be a finite number, not {value}"


def _check_fields(table: str, rid: str, record: dict[str, Any]) -> Iterable[Problem]:
    rules = _RULES[table]
    for field in record:
        if field not in rules:
            yield Problem(table, rid, field, f"unknown field; valid fields: {', '.join(FIELDS[table])}")
    for field, (types, required) in rules.items():
        value = record.get(field)
        if value is None:
            if required:
                yield Problem(table, rid, field, "is required")
            continue
        if isinstance(value, bool) or not isinstance(value, types):
            names = " or ".join(
                "null"
                if t is type(None)
                else {"str": "text", "int": "integer", "float": "number", "list": "list"}[t.__name__]
                for t in types
            )
            yield Problem(table, rid, field, f"must be {names}, not {type(value).__name__} {_brief(value)}")
        elif isinstance(value, list) and field != "designations" and not all(isinstance(v, str) for v in value):
            yield Problem(table, rid, field, "must be a list of text")
        elif isinstance(value, str) and required and not value.strip():
            yield Problem(table, rid, field, "must not be empty")
        elif isinstance(value, (str, list)):
            texts = [value] if isinstance(value, str) else value if field != "designations" else []
            problem = next(filter(None, (text_problem(field, t) for t in texts)), None)
            if problem:
                yield Problem(table, rid, field, problem)


# Each table's fields for ``_fields_clean``: their names, and for each its allowed types (each
# exactly, so a bool is never taken for an int), whether it is required, and whether it is a
# list of text.
_PLAIN: dict[str, tuple[frozenset[str], tuple[tuple[str, tuple[type, ...], bool, bool], ...]]] = {
    table: (
        frozenset(rules),
        tuple(
            (field, types, required, list in types and field != "designations")
            for field, (types, required) in rules.items()
        ),
    )
    for table, rules in _RULES.items()
}


def _fields_clean(table: str, record: dict[str, Any]) -> bool:
    """Whether ``_check_fields`` finds nothing in ``record``, answered in one pass for the
    common case of a valid record. False means only that ``_check_fields`` must say."""
    known, fields = _PLAIN[table]
    if not known.issuperset(record):
        return False
    get = record.get
    for field, types, required, texts in fields:
        value = get(field)
        if value is None:
            if required:
                return False
            continue
        kind = type(value)
        if kind not in types:  # a subclass (bool among them) is left to _check_fields
            return False
        if kind is str:
            if not value.isprintable() or (required and not value.strip()):
                return False
        elif texts:
            try:
                joined = "".join(value)  # every item text, each printable when all are
            except TypeError:
                return False
            if not joined.isprintable():
                return False
    return True


def _check_values(table: str, rid: str, r: dict[str, Any]) -> Iterable[Problem]:
    if isinstance(r.get("id"), str) and not _ID.match(r["id"]):
        yield Problem(table, rid, "id", "must be lower-case letters, digits, '.', '_' or '-' (e.g. 'pudong-gdp-2022')")
    for field in schema.DATE_FIELDS[table]:
        value = r.get(field)
        if isinstance(value, str) and not is_date(value):
            form = "a day the calendar has" if _DATE_FORM.fullmatch(value) else "a date as YYYY, YYYY-MM or YYYY-MM-DD"
            yield Problem(table, rid, field, f"must be {form}, not {value!r}")
        precision, want = PRECISION_FIELDS.get(field), date_precision(value)
        if precision in r and r[precision] != want and (want or value is None):  # a bad date is named above
            message = f"must be {want!r} for {field} {value!r}" if want else f"must be null while {field} is null"
            yield Problem(table, rid, precision, message)
    if table == "zones":
        if isinstance(r.get("code"), str) and not _CODE.match(r["code"]):
            yield Problem(table, rid, "code", f"must be a six-digit division code such as '320500', not {r['code']!r}")
        if isinstance(r.get("kind"), str) and r["kind"] not in KINDS:
            yield Problem(table, rid, "kind", f"unknown kind {r['kind']!r}; valid kinds: {', '.join(KINDS)}")
        designations = r.get("designations")
        for n, d in enumerate(designations if isinstance(designations, list) else []):
            yield from _check_designation(rid, n, d)
        return
    if table in ("targets", "indicators"):
        if isinstance(r.get("comparator"), str) and r["comparator"] not in COMPARATORS:
            yield Problem(
                table, rid, "comparator", f"unknown comparator {r['comparator']!r}; valid: {' '.join(COMPARATORS)}"
            )
        if isinstance(r.get("unit"), str) and r["unit"] not in UNITS:
            yield Problem(table, rid, "unit", f"unknown unit {r['unit']!r}; valid units: {', '.join(UNITS)}")
        for field in ("metric", "family"):
            if isinstance(r.get(field), str) and not _METRIC.match(r[field]):
                yield Problem(table, rid, field, "must be a lower-case name like 'output_value'")
        metric, family = r.get("metric"), r.get("family")
        if isinstance(metric, str) and metric in METRICS and isinstance(family, str) and METRICS[metric][0] != family:
            yield Problem(
                table, rid, "family", f"metric {metric!r} belongs to family {METRICS[metric][0]!r}, not {family!r}"
            )
        for field in ("value", "usd"):
            value = r.get(field)
            problem = number_problem(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
            if problem:
                yield Problem(table, rid, field, problem)
        value, unit = r.get("value"), r.get("unit")
        if unit in NOT_NEGATIVE_UNITS and isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
            yield Problem(table, rid, "value", f"must not be negative for unit {unit!r} ({UNITS[unit]}), not {value}")
        year = r.get("year")
        if isinstance(year, int) and not isinstance(year, bool):
            if not YEARS[0] <= year <= YEARS[1]:
                yield Problem(table, rid, "year", f"must be between {YEARS[0]} and {YEARS[1]}, not {_brief(year)}")
            period = r.get("deadline" if table == "targets" else "as_of")
            if isinstance(period, str) and is_date(period) and int(period[:4]) != year:
                field = "deadline" if table == "targets" else "as_of"
                yield Problem(table, rid, field, f"year {period[:4]} does not match year {year}")


def _designation(d: Mapping[str, Any]) -> dict[str, Any]:
    """A designation with every field present, in order, its date's precision read off the date."""
    out = {key: d.get(key) for key in DESIGNATION_FIELDS}
    if out["date_precision"] is None:
        out["date_precision"] = date_precision(out["date"])
    return out | {k: v for k, v in d.items() if k not in out}


def _check_designation(rid: str, n: int, d: Any) -> Iterable[Problem]:
    field = f"designations[{n}]"
    if not isinstance(d, dict):
        yield Problem("zones", rid, field, f"must be an object with {', '.join(DESIGNATION_FIELDS)}")
        return
    for key in d:
        if key not in DESIGNATION_FIELDS:
            yield Problem(
                "zones", rid, f"{field}.{key}", f"unknown field; valid fields: {', '.join(DESIGNATION_FIELDS)}"
            )
    for key in DESIGNATION_FIELDS:
        value = d.get(key)
        if key in ("title", "source") and (not isinstance(value, str) or not value.strip()):
            yield Problem("zones", rid, f"{field}.{key}", "is required text")
        elif value is not None and not isinstance(value, str):
            yield Problem("zones", rid, f"{field}.{key}", "must be text or null")
        elif isinstance(value, str) and text_problem(key, value):
            yield Problem("zones", rid, f"{field}.{key}", str(text_problem(key, value)))
    if isinstance(d.get("date"), str) and not is_date(d["date"]):
        yield Problem("zones", rid, f"{field}.date", "must be a date as YYYY, YYYY-MM or YYYY-MM-DD")
    want = date_precision(d.get("date"))
    if "date_precision" in d and d["date_precision"] != want and (want or d.get("date") is None):
        message = f"must be {want!r} for date {d['date']!r}" if want else "must be null while date is null"
        yield Problem("zones", rid, f"{field}.date_precision", message)
    if isinstance(d.get("status"), str) and d["status"] not in DESIGNATION_STATUSES:
        yield Problem("zones", rid, f"{field}.status", f"must be one of: {', '.join(DESIGNATION_STATUSES)}")


def _records(tables: Mapping[str, Any], table: str) -> list[Any]:
    docs = tables.get(table)
    return [doc for _, doc in docs.items()] if isinstance(docs, Mapping) else []


def _own_problems(table: str, rid: str, record: Any) -> list[Problem]:
    """What is wrong with one record by its own rules (its references aside)."""
    if not isinstance(record, dict):
        return [Problem(table, rid, None, "must be an object")]
    if _fields_clean(table, record):
        return list(_check_values(table, rid, record))
    return [*_check_fields(table, rid, record), *_check_values(table, rid, record)]


def validate(tables: Mapping[str, Any]) -> list[Problem]:
    """Every problem in a store (``{table: {doc_id: record}}``), in table and record order:
    each record's own problems (ids repeated across the store among them), then its
    references to zones and sources, then cycles in the place tree. Each table is read once,
    record by record (a streamed store's documents are decoded one at a time): what is kept is
    the ids, the zones and the problems, so validating a large store holds little more."""
    problems: list[Problem] = []
    for name in tables:
        if name not in FIELDS and name != "_default":
            problems.append(Problem(name, "*", None, f"unknown table; valid tables: {', '.join(FIELDS)}"))
    seen: dict[str, str] = {}
    ids: dict[str, set[str]] = {t: set() for t in FIELDS}
    zones: list[tuple[str, dict[str, Any]]] = []  # their references wait until every zone is known
    references: list[Problem] = []
    for table in FIELDS:
        docs = tables.get(table)
        items = docs.items() if isinstance(docs, Mapping) else ()
        total = (lambda docs=docs: len(docs)) if isinstance(docs, dict) else getattr(docs, "count_hint", None)
        for index, (_, record) in enumerate(steps(items, f"validating {table}", total), 1):
            rid = _label(record, index)
            problems.extend(_own_problems(table, rid, record))
            if not isinstance(record, dict):
                continue
            if isinstance(record.get("id"), str):
                if record["id"] in seen:
                    problems.append(Problem(table, rid, "id", f"duplicate id (also in {seen[record['id']]})"))
                seen[record["id"]] = table
                ids[table].add(record["id"])
            if table == "zones":
                zones.append((rid, record))
            elif table in TABLE_REFERRERS:  # every zone and source is known by now (FIELDS order)
                references.extend(_references(table, rid, record, ids["zones"], ids["sources"]))
    zone_references = [p for rid, r in zones for p in _references("zones", rid, r, ids["zones"], ids["sources"])]
    parents = {
        r["id"]: r["parent"] for _, r in zones if isinstance(r.get("id"), str) and isinstance(r.get("parent"), str)
    }
    return problems + zone_references + references + list(_check_cycles(parents))


TABLE_REFERRERS = ("targets", "indicators")  # tables after zones and sources whose records refer to them


def validate_changes(refs: Mapping[str, Mapping[str, Any]], changes: Mapping[str, Mapping[str, Any]]) -> list[Problem]:
    """The problems that ``changes`` (``{table: {doc_id: record}}``, records added or replacing
    others) would bring into a valid store whose zones and sources are ``refs``: each changed
    record's own rules, its references to the zones and sources the store will then hold, and
    cycles in the place tree. Records the store already holds, valid, are not checked again, so
    an import into a store of thousands of places costs what its own records cost."""
    problems: list[Problem] = []
    held = {t: {**(refs.get(t) or {}), **(changes.get(t) or {})} for t in TABLE_REFS}
    ids = {
        t: {r["id"] for r in docs.values() if isinstance(r, dict) and isinstance(r.get("id"), str)}
        for t, docs in held.items()
    }
    for table in FIELDS:
        for index, record in enumerate((changes.get(table) or {}).values(), 1):
            rid = _label(record, index)
            problems.extend(_own_problems(table, rid, record))
            if isinstance(record, dict):
                problems.extend(_references(table, rid, record, ids["zones"], ids["sources"]))
    if changes.get("zones"):
        parents = {
            r["id"]: r["parent"]
            for r in held["zones"].values()
            if isinstance(r, dict) and isinstance(r.get("id"), str) and isinstance(r.get("parent"), str)
        }
        problems.extend(_check_cycles(parents))
    return problems


_KINDS_REFERRED = {"zones": "zone", "sources": "source"}
# Each table's fields that refer to another table: name, whether a list, and the table referred to.
_REFERRING = {t: tuple((f.name, f.is_list, f.refers or "") for f in fs) for t, fs in schema.REFERENCES.items()}


def _references(table: str, rid: str, r: dict[str, Any], zones: set[str], sources: set[str]) -> list[Problem]:
    """Problems with one record's references to zones and sources (the schema says which
    fields refer), field by field, each list in its order, then the designations'."""
    pools = {"zones": zones, "sources": sources}
    problems: list[Problem] = []
    for name, is_list, referred in _REFERRING[table]:
        value = r.get(name)
        pool = pools[referred]
        for v in (value if isinstance(value, list) else ()) if is_list else (value,):
            if isinstance(v, str) and v not in pool:
                problems.append(Problem(table, rid, name, f"no {_KINDS_REFERRED[referred]} with id {v!r}"))
    designations = r.get("designations") if table == "zones" else None
    for n, d in enumerate(designations if isinstance(designations, list) else []):
        if isinstance(d, dict):
            for f in schema.DESIGNATION_REFERENCES:
                value = d.get(f.name)
                if isinstance(value, str) and value not in pools[f.refers or ""]:
                    kind = _KINDS_REFERRED[f.refers or ""]
                    problems.append(Problem(table, rid, f"designations[{n}].{f.name}", f"no {kind} with id {value!r}"))
    return problems


def _check_references(tables: Mapping[str, Any], ids: dict[str, set[str]]) -> Iterable[Problem]:
    parents: dict[str, str] = {}
    for table in ("zones", "targets", "indicators"):
        for index, r in enumerate(_records(tables, table), 1):
            if not isinstance(r, dict):
                continue
            yield from _references(table, _label(r, index), r, ids["zones"], ids["sources"])
            if table == "zones" and isinstance(r.get("parent"), str) and isinstance(r.get("id"), str):
                parents[r["id"]] = r["parent"]
    yield from _check_cycles(parents)


TABLE_REFS = schema.REFERRED  # the tables records refer to


def first_problem(table: str, records: Iterable[Any], tables: Mapping[str, Any]) -> Problem | None:
    """The first problem among ``records`` of ``table`` — each one's own rules, its references
    to the zones and sources of ``tables``, ids repeated among them — or None. This checks
    what a query returns without validating the whole store."""
    ids: dict[str, set[str]] = {}
    seen: set[str] = set()
    for index, record in enumerate(records, 1):
        rid = _label(record, index)
        if not isinstance(record, dict):
            return Problem(table, rid, None, "must be an object")
        if not ids:
            ids = {t: {str(r.get("id")) for r in _records(tables, t) if isinstance(r, dict)} for t in TABLE_REFS}
        fields = () if _fields_clean(table, record) else _check_fields(table, rid, record)
        own = (fields, _check_values(table, rid, record))
        refs = _references(table, rid, record, ids["zones"], ids["sources"])
        for problem in (*own, refs):
            for found in problem:
                return found
        if rid in seen:
            return Problem(table, rid, "id", "duplicate id")
        seen.add(rid)
    return None


def _check_cycles(parents: dict[str, str]) -> Iterable[Problem]:
    """Each cycle of the place tree once, named from the first of its zones in store order.
    Every zone is walked once: a walk stops at a zone an earlier walk reached."""
    walked: dict[str, int] = {}  # zone -> the walk that reached it
    order = {zone: n for n, zone in enumerate(parents)}
    for number, start in enumerate(parents):
        path, node = [], start
        while node in parents and node not in walked:
            walked[node] = number
            path.append(node)
            node = parents[node]
        if node in walked and walked[node] == number:  # this walk came back to itself: a cycle
            cycle = path[path.index(node) :]
            first = min(cycle, key=order.__getitem__)
            at = cycle.index(first)
            cycle = cycle[at:] + cycle[:at]
            yield Problem("zones", first, "parent", "cycle in the place tree: " + " -> ".join([*cycle, first]))
