"""Reading import files (JSON, JSON lines, CSV) into records, and planning their import.

Nothing here writes: ``plan_import`` checks the incoming records against an ``Index`` of the
store (where each id is, the next document ids, and the zones and sources records refer to),
not against the whole store again, and returns what would change, or raises a ``UsageError``
naming the file, the record and the field of the first problem.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from policyq.choices import REVIEW_KEYS
from policyq.errors import ImportRefused, UsageError
from policyq.model import FIELDS, TABLE_REFS, Problem, normalize, validate_changes
from policyq.report import steps
from policyq.schema import INTEGER_FIELDS, LIST_FIELDS, NUMBER_FIELDS
from policyq.storage.reading import DuplicateKey, unique_keys

if TYPE_CHECKING:
    from policyq.storage.layout import LineReader, Section

INPUT_FORMATS = ("json", "jsonl", "csv", "tsv")
_LIST_FIELDS = LIST_FIELDS
_NUMBER_FIELDS = NUMBER_FIELDS
_INT_FIELDS = INTEGER_FIELDS
# How deep a record may nest lists and objects (a zone's designations are 2 levels deep).
MAX_DEPTH = 16
_INTEGER = re.compile(r"[+-]?\d+")


@dataclass
class Incoming:
    """One record read from an import file, with where it came from."""

    table: str
    record: dict[str, Any]
    origin: str  # "line 3" or "targets[2]"


@dataclass
class Plan:
    """What an import changes: ``changes[table]`` maps document ids to the records to write
    there (an existing id is replaced, a new one added); and what it adds, replaces and skips."""

    changes: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    next_id: dict[str, int] = field(default_factory=dict)  # each table's next document id after it
    added: list[Incoming] = field(default_factory=list)
    replaced: list[Incoming] = field(default_factory=list)
    skipped: list[Incoming] = field(default_factory=list)

    def apply(self, tables: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
        """``tables`` with the changes made: replaced records keep their place, new ones come last."""
        new = {t: dict(docs) for t, docs in tables.items()}
        for table, docs in self.changes.items():
            new.setdefault(table, {}).update(docs)
        return new


@dataclass
class Index:
    """What an import is checked against instead of the whole store: where a record id is
    (``locate``), each table's next document id, and the tables records refer to (zones and
    sources), whole. The store itself has passed validation."""

    locate: Callable[[str], tuple[str, str] | None]
    next_id: dict[str, int]
    refs: dict[str, dict[str, Any]]

    @classmethod
    def of_tables(cls, tables: Mapping[str, Any]) -> Index:
        where = {r["id"]: (t, doc_id) for t in FIELDS for doc_id, r in (tables.get(t) or {}).items()}
        next_id = {t: max((int(k) for k in tables.get(t) or {}), default=0) + 1 for t in FIELDS}
        return cls(where.get, next_id, {t: dict(tables.get(t) or {}) for t in TABLE_REFS})

    @classmethod
    def of_lines(
        cls, raw: bytes, reader: LineReader, ids: Iterable[str], next_id: Mapping[str, int] | None = None
    ) -> Index | None:
        """The index of a store in the line layout, for the record ``ids`` an import brings:
        read off the start of each line, without decoding (only the zones and sources are
        decoded, with the json module: importing orjson would cost more). None when a line
        does not start with its record's id (the caller reads the store whole). ``next_id``,
        known from an earlier write of these exact bytes, spares reading every line's ids."""
        from policyq.storage.layout import record_ids

        wanted = {rid.encode() for rid in ids}
        targeted = next_id is not None and len(wanted) <= 64  # one search for a few ids, else a list of all
        where: dict[str, tuple[str, str]] = {}
        found_next = dict(next_id or {})
        refs: dict[str, dict[str, Any]] = {t: {} for t in TABLE_REFS}
        for section in reader.order:
            found = record_ids(raw, section, wanted if targeted else None)
            if found is None:
                return None
            if found:
                doc_ids, rids = zip(*found, strict=True)
                if not targeted:
                    found_next[section.name] = max(map(int, doc_ids)) + 1
                for rid in wanted.intersection(rids):
                    where[rid.decode()] = (section.name, doc_ids[rids.index(rid)].decode())
            if section.name in refs:
                refs[section.name] = _decoded(raw, reader, section)
        return cls(where.get, {t: found_next.get(t, 1) for t in FIELDS}, refs)


def _decoded(raw: bytes, reader: LineReader, section: Section) -> dict[str, Any]:
    """The documents of a table by id. Its lines, between braces, are the table as one JSON
    object: one call decodes them all (a call per document costs more than the decoding);
    each line alone, as before, if they are not."""
    try:
        docs = json.loads(b"{" + raw[section.start : section.end] + b"}")
    except ValueError:
        docs = None
    if not isinstance(docs, dict) or not all(type(d) is dict for d in docs.values()):
        return {doc_id: json.loads(text) for doc_id, text, _ in reader.documents(section)}
    return docs


def _table_name(name: str | None, where: str) -> str:
    if name not in FIELDS:
        raise UsageError(f"{where}: unknown table '{name}'; valid tables: {', '.join(FIELDS)}")
    return name


def detect_format(name: str, text: str) -> str:
    low = name.lower()
    if low.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if low.endswith(".json"):
        return "json"
    if low.endswith(".csv"):
        return "csv"
    if low.endswith((".tsv", ".tab")):
        return "tsv"
    head = text.lstrip()[:1]
    if head in ("{", "["):
        try:
            json.loads(text)
            return "json"
        except RecursionError:
            return "json"  # reading it as JSON names the problem
        except ValueError:
            return "jsonl"
    first = text.partition("\n")[0]
    return "tsv" if "\t" in first and "," not in first else "csv"  # a header: field names only


def read_records(name: str, text: str, fmt: str | None, table: str | None) -> list[Incoming]:
    """Records of an import file. ``name`` is used in messages ('-' is stdin)."""
    label = "stdin" if name == "-" else name
    if table is not None:
        table = _table_name(table, f"--table {table}")
    fmt = fmt or detect_format(name, text)
    if fmt not in INPUT_FORMATS:
        raise UsageError(f"unknown input format '{fmt}'; valid formats: {', '.join(INPUT_FORMATS)}")
    if table is None and fmt in ("json", "jsonl"):
        drafted = _from_draft(label, text, fmt)
        if drafted is not None:
            return drafted
    if fmt == "json":
        return _from_json(label, text, table)
    if table is None:
        raise UsageError(f"{label}: {fmt.upper()} input needs --table ({', '.join(FIELDS)})")
    if fmt == "jsonl":
        return _from_jsonl(label, text, table)
    return _from_csv(label, text, table, "\t" if fmt == "tsv" else ",")


def _twice(label: str, key: str, where: str = "") -> UsageError:
    return UsageError(
        f"{label}{where} holds the key '{key}' twice in one object; a JSON reader would keep only one of them, "
        "so remove the other"
    )


def _from_draft(label: str, text: str, fmt: str) -> list[Incoming] | None:
    """The records of a draft (``policyq extract -o jsonl`` or ``-o json``): objects that
    each name their ``table``; None when ``text`` is not one."""
    try:
        lines = [line for line in text.splitlines() if line.strip()]
        data = json.loads(text) if fmt == "json" else [json.loads(line) for line in lines]
    except (ValueError, RecursionError):
        return None  # the usual reader names the problem
    return _drafted(label, data, fmt)


def _drafted(label: str, data: Any, fmt: str) -> list[Incoming] | None:
    if not isinstance(data, list) or not data:
        return None
    if not all(isinstance(r, dict) and isinstance(r.get("table"), str) and r["table"] in FIELDS for r in data):
        return None
    out: list[Incoming] = []
    dropped: set[str] = set()
    for i, r in enumerate(data):
        where = f"line {i + 1}" if fmt == "jsonl" else f"{r['table']}[{i}]"
        dropped.update(k for k in r if k in REVIEW_KEYS and k not in FIELDS[r["table"]])
        record = {k: v for k, v in r.items() if k not in REVIEW_KEYS or k in FIELDS[r["table"]]}
        out.append(Incoming(r["table"], _object(record, label, where), where))
    if dropped - {"table"}:
        import warnings

        from policyq.errors import StoreWarning

        keys = ", ".join(k for k in REVIEW_KEYS if k in dropped and k != "table")
        warnings.warn(StoreWarning(f"{label} is a draft: review keys dropped ({keys})"), stacklevel=2)
    return out


def _from_json(label: str, text: str, table: str | None) -> list[Incoming]:
    try:
        data = json.loads(text, object_pairs_hook=unique_keys)
    except DuplicateKey as exc:
        from policyq.storage.reading import _line_of_duplicate

        line = _line_of_duplicate(text.encode("utf-8", "surrogatepass"))
        raise _twice(label, exc.key, f" line {line}" if line else "") from None
    except RecursionError:
        raise UsageError(f"{label} nests lists or objects too deeply (a record may nest {MAX_DEPTH} levels)") from None
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        where = f" at line {line}, column {getattr(exc, 'colno', '?')}" if line else ""
        raise UsageError(f"{label} is not valid JSON{where}: {getattr(exc, 'msg', exc)}") from None
    return _from_data(label, data, table, "a JSON array needs --table")


def from_objects(data: Any, table: str | None) -> list[Incoming]:
    """Records given as Python objects (the API's ``import_records``): a dict of tables, a list
    of records of ``table`` (or of a draft's candidates, each naming its table), or one record
    with ``table``. Values must be what a store holds: text, numbers, True/False, None, lists
    (or tuples) and dicts with text keys."""
    if table is not None:
        table = _table_name(table, f"table={table!r}")
    data = _plain(data)
    drafted = _drafted(RECORDS, data, "json") if table is None else None
    return drafted if drafted is not None else _from_data(RECORDS, data, table, "a list of records needs table=")


RECORDS = "records"  # how records given to the API are named in messages


def _plain(value: Any) -> Any:
    """``value`` with tuples as lists; a UsageError for anything a store cannot hold, or for
    nesting deeper than any record may (which also stops a structure that contains itself)."""

    def walk(v: Any, depth: int) -> Any:
        if v is None or isinstance(v, (str, bool, int)):
            return v
        if isinstance(v, float):
            if not math.isfinite(v):
                raise UsageError(f"records= holds the number {v}; a store holds only finite numbers")
            return v
        if depth > MAX_DEPTH + 2:  # a table, its records, then MAX_DEPTH levels within a record
            raise UsageError(f"records= nests lists or objects too deeply (a record may nest {MAX_DEPTH} levels)")
        if isinstance(v, dict):
            for k in v:
                if not isinstance(k, str):
                    raise _unheld(k, "a key")
            return {k: walk(x, depth + 1) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [walk(x, depth + 1) for x in v]
        raise _unheld(v, "a value")

    return walk(value, 0)


def _unheld(value: Any, what: str) -> UsageError:
    import reprlib

    return UsageError(
        f"records= holds {what} of type {type(value).__name__} ({reprlib.repr(value)}); "
        "a store holds text, numbers, True/False, None, lists and dicts with text keys"
    )


def _from_data(label: str, data: Any, table: str | None, needs_table: str) -> list[Incoming]:
    if isinstance(data, list):
        if table is None:
            raise UsageError(f"{label}: {needs_table} ({', '.join(FIELDS)})")
        rows = enumerate(steps(data, f"reading {table}"))
        return [Incoming(table, _object(r, label, f"{table}[{i}]"), f"{table}[{i}]") for i, r in rows]
    if not isinstance(data, dict):
        raise UsageError(f"{label}: expected an object of tables or an array of records, found {_kind(data)}")
    if table is not None and not (set(data) & set(FIELDS)):
        return [Incoming(table, data, f"{table}[0]")]  # a single record
    out: list[Incoming] = []
    for name, records in data.items():
        tname = _table_name(name, label)
        if table is not None and tname != table:
            continue
        if isinstance(records, dict):  # TinyDB layout: {doc_id: record}
            records = list(records.values())
        if not isinstance(records, list):
            raise UsageError(f"{label}: table '{name}' must be an array of records, found {_kind(records)}")
        rows = enumerate(steps(records, f"reading {tname}"))
        out.extend(Incoming(tname, _object(r, label, f"{tname}[{i}]"), f"{tname}[{i}]") for i, r in rows)
    return out


def _kind(value: Any) -> str:
    return (
        "null"
        if value is None
        else {"dict": "object", "list": "array", "str": "text"}.get(type(value).__name__, type(value).__name__)
    )


def _object(value: Any, label: str, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise UsageError(f"{label} {where}: a record must be an object, found {_kind(value)}")
    level: list[Any] = [value]
    for _ in range(MAX_DEPTH):  # one level of lists and objects at a time: no recursion
        level = [v for c in level for v in (c.values() if isinstance(c, dict) else c) if isinstance(v, (dict, list))]
        if not level:
            return value
    raise UsageError(f"{label} {where}: nests lists or objects more than {MAX_DEPTH} levels deep")


def _from_jsonl(label: str, text: str, table: str) -> list[Incoming]:
    out = []
    for n, line in enumerate(text.split("\n"), 1):  # only \n ends a line: U+2028 is text, not a break
        if not line.strip():
            continue
        try:
            value = json.loads(line, object_pairs_hook=unique_keys)
        except DuplicateKey as exc:
            raise _twice(label, exc.key, f" line {n}") from None
        except RecursionError:
            raise UsageError(f"{label} line {n} nests lists or objects more than {MAX_DEPTH} levels deep") from None
        except ValueError as exc:
            raise UsageError(f"{label} line {n} is not valid JSON: {getattr(exc, 'msg', exc)}") from None
        out.append(Incoming(table, _object(value, label, f"line {n}"), f"line {n}"))
    return out


def _from_csv(label: str, text: str, table: str, delimiter: str = ",") -> list[Incoming]:
    """CSV, or TSV as policyq writes it (a value with a tab or line break quoted as in CSV)."""
    import csv
    import io

    # A cell may be as long as the file: the csv module's default limit (131,072 characters)
    # would refuse a long quote or note that policyq itself exported.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise UsageError(f"{label} is empty; CSV input needs a header row") from None
    except csv.Error as exc:
        raise UsageError(f"{label} line 1 is not valid CSV: {exc}") from None
    header = [h.strip() for h in header]
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise UsageError(f"{label} line 1: the column '{name}' twice; a record takes one value per field")
        seen.add(name)
    unknown = [h for h in header if h not in FIELDS[table]]
    if unknown:
        raise UsageError(f"{label} line 1: unknown column '{unknown[0]}' for {table}; valid: {','.join(FIELDS[table])}")
    out = []
    try:
        for row in reader:
            n = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise UsageError(f"{label} line {n}: {len(row)} cells, but the header has {len(header)}")
            record = {h: _csv_value(h, cell, label, n) for h, cell in zip(header, row, strict=True)}
            out.append(Incoming(table, record, f"line {n}"))
    except csv.Error as exc:
        raise UsageError(f"{label} line {reader.line_num} is not valid CSV: {exc}") from None
    return out


def _csv_value(field_name: str, cell: str, label: str, line: int) -> Any:
    cell = cell.strip()
    if cell == "":
        return [] if field_name in _LIST_FIELDS or field_name == "designations" else None
    if field_name in _LIST_FIELDS:
        if cell.startswith("["):  # a JSON array, as policyq writes lists: items may hold ';'
            try:
                items = json.loads(cell)
            except ValueError:
                items = None
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise UsageError(
                    f"{label} line {line}: {field_name} must be a JSON array of text (as policyq writes it,"
                    f' ["a","b"]) or items separated by ";"'
                ) from None
            return items
        return [part.strip() for part in cell.split(";") if part.strip()]
    if field_name == "designations":
        try:
            return json.loads(cell)
        except ValueError:
            raise UsageError(f"{label} line {line}: designations must be a JSON array") from None
    if field_name in _NUMBER_FIELDS | _INT_FIELDS:
        digits = cell.replace(",", "").replace("_", "")
        try:
            if _INTEGER.fullmatch(digits):
                return int(digits)  # exactly as written; validation refuses what a float cannot hold
            number = float(digits)
        except ValueError:
            raise UsageError(f"{label} line {line}: {field_name} must be a number, not '{cell:.40}'") from None
        if not math.isfinite(number):
            raise UsageError(f"{label} line {line}: {field_name} must be a finite number, not '{cell}'")
        if number.is_integer() and abs(number) < 2**53:
            return int(number)
        if field_name in _INT_FIELDS:
            raise UsageError(f"{label} line {line}: {field_name} must be a whole number, not '{cell}'")
        return number
    return cell


def plan_import(index: Index, incoming: list[Incoming], label: str, *, replace: bool, skip_existing: bool) -> Plan:
    """What importing ``incoming`` changes; refuses the whole file on the first problem.

    The incoming records are validated with the zones and sources they may refer to, and their
    ids checked against ``index``: the rest of the store, which passed validation, is not read.
    """
    if not incoming:
        raise UsageError(f"{label} holds no records")
    plan = Plan(next_id=dict(index.next_id))
    seen: dict[str, str] = {}
    taken: dict[str, tuple[str, str]] = {}  # ids this file adds -> (table, doc id)
    next_id = plan.next_id
    for item in steps(incoming, "checking ids"):
        rid = item.record.get("id")
        if isinstance(rid, str):
            if rid in seen:
                raise UsageError(f"{label} {item.origin}: id '{rid}' appears twice in the file (also {seen[rid]})")
            seen[rid] = item.origin
        record = normalize(item.table, item.record)
        found = (taken.get(rid) or index.locate(rid)) if isinstance(rid, str) else None
        if found is not None:
            table, doc_id = found
            if table != item.table:
                raise UsageError(
                    f"{label} {item.origin}: id '{rid}' is already used in {table}; ids are unique across tables"
                )
            if skip_existing:
                plan.skipped.append(item)
                continue
            if not replace:
                raise UsageError(
                    f"{label} {item.origin}: {item.table} '{rid}' already exists; use --replace or --skip-existing"
                )
            plan.changes.setdefault(table, {})[doc_id] = record
            plan.replaced.append(item)
            continue
        doc_id = str(next_id.setdefault(item.table, 1))
        next_id[item.table] += 1
        plan.changes.setdefault(item.table, {})[doc_id] = record
        if isinstance(rid, str):
            taken[rid] = (item.table, doc_id)
        plan.added.append(item)
    # What validation sees: the records this import writes, against the zones and sources the
    # store will then hold (the store's own records were found valid before).
    problems = validate_changes(index.refs, plan.changes)
    if problems:
        origins = {(i.table, i.record.get("id")): i.origin for i in incoming if isinstance(i.record.get("id"), str)}
        details = [_describe([p], origins, label) for p in problems]
        raise ImportRefused(_describe(problems, origins, label), details)
    return plan


def _describe(problems: list[Problem], origins: Mapping[tuple[str, Any], str], label: str) -> str:
    first = problems[0]
    origin = origins.get((first.table, first.record))
    if origin is None and first.record.startswith("#"):
        origin = "a record without an id"
    where = f"{label} {origin}" if origin else label
    listed = "the error's details list them" if label == RECORDS else "--dry-run lists them"
    more = f" (and {len(problems) - 1} more; {listed})" if len(problems) > 1 else ""
    return f"{where}: {first}{more}"
