"""A store read whole or streamed, and its shape checked.

A store is a TinyDB document: one JSON object per table, each mapping a document id (an
integer as a string) to a record, which policyq writes in its line layout (see ``layout``).

Small stores are parsed whole with the standard ``json`` module (importing orjson costs
more than parsing the bundled store). Large stores are streamed: the file is read forward in
chunks as the tables are used, a query's equality filters (year, place, source, unit, metric)
rule documents out from their raw bytes, and only the documents that may match are decoded,
with orjson, so a query holds the documents it returns and little else (``search``).

A write reads the store whole and exactly (``read_for_write``): integers as written, no key
twice in one object, and valid.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from policyq.errors import StoreError, UsageError
from policyq.storage.files import guarded_read, notice, open_store, read_store_bytes
from policyq.storage.layout import LazyTable, LazyTables
from policyq.storage.paths import is_bundled

ENV_STREAM_MIN_BYTES = "POLICYQ_STREAM_MIN_BYTES"
# Stores at least this large are streamed and decoded with orjson. Below it, the standard json
# module parses the whole store faster than orjson can be imported (~20 ms). The bundled store
# is always streamed: about 1 MB with the 3,200 places of the gazetteer, which a query of facts
# then skips without decoding them.
STREAM_MIN_BYTES = 2 * 1024 * 1024

Tables = dict[str, Any]


class DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object from its pairs, refusing a key given twice (JSON readers keep one of them)."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return obj


# One decoder for every exact reading: ``json.loads`` with a hook builds a new decoder on every
# call, which costs a third of decoding a record.
_EXACT_DECODER = json.JSONDecoder(object_pairs_hook=unique_keys)


def loads_exact(raw: bytes) -> Any:
    """``json.loads(raw, object_pairs_hook=unique_keys)``: integers as written, a key given twice
    a ``DuplicateKey``; the same value and the same errors, from one decoder built once."""
    if type(raw) is not bytes:
        return json.loads(raw, object_pairs_hook=unique_keys)
    return _EXACT_DECODER.decode(raw.decode(json.detect_encoding(raw), "surrogatepass"))


def _line_of_duplicate(raw: bytes) -> int | None:
    """The line holding an object with a repeated key, when the object sits on one line."""
    for number, line in enumerate(raw.splitlines(), 1):
        text = line.strip().rstrip(b",")
        for candidate in (text, text.partition(b": ")[2]):
            try:
                json.loads(candidate, object_pairs_hook=unique_keys)
            except DuplicateKey:
                return number
            except (ValueError, RecursionError):
                pass
    return None


def _twice(path: Path, raw: bytes, key: str) -> StoreError:
    line = _line_of_duplicate(raw)
    where = f" at line {line}" if line else ""
    return StoreError(
        f"store {path} holds the key '{key}' twice in one object{where}; "
        "JSON readers keep only one of them, so fix the file first"
    )


def load_exact(path: Path, raw: bytes | None = None) -> Tables:
    """Read a store whole, as a write or ``validate`` must: integers exactly as written (a fast
    parser may turn a long integer into a float) and no key twice in one object (a JSON
    reader keeps the last, so the next write would silently drop the others). ``raw``: the
    store's bytes, already read."""
    if raw is None:
        raw = read_store_bytes(path)
    if not raw or raw.isspace():
        raise StoreError(f"store {path} is empty; expected a JSON object of tables")
    try:
        data = loads_exact(raw)
    except DuplicateKey as exc:
        raise _twice(path, raw, exc.key) from None
    except RecursionError:
        raise StoreError(f"store {path} is nested too deeply to be a store") from None
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        raise _decode_error(path, exc) from None
    return check_shape(path, data)


# Queries check the records they return (at most this many) against the rules of validate.
CHECK_RETURNED = 1000


def check_returned(path: Path, table: str, records: Iterable[Mapping[str, Any]], tables: Mapping[str, Any]) -> bool:
    """Warn when a record a query returns breaks a rule of ``validate``; True if it did.

    Only what the query returns is checked (each record's own fields, and its references to
    zones and sources), so a query of a large store stays a scan, not a validation. The
    bundled store is known to be valid and is not checked.
    """
    from itertools import islice

    from policyq.model import FIELDS, first_problem

    if table not in FIELDS or is_bundled(path):
        return False
    problem = first_problem(table, islice(records, CHECK_RETURNED), tables)
    if problem is not None:
        notice(f"store {path} is invalid: {problem}; answers may be wrong ('policyq validate' lists every problem)")
    return problem is not None


def _decode_error(path: Path, exc: ValueError) -> StoreError:
    if isinstance(exc, UnicodeDecodeError):
        return StoreError(f"store {path} is not UTF-8 text (byte {exc.start})")
    line, col = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    msg = getattr(exc, "msg", None) or str(exc)
    if "UTF-8" in msg:  # orjson's wording for bad bytes
        return StoreError(f"store {path} is not UTF-8 text ({msg})")
    where = f" at line {line}, column {col}" if line else ""
    return StoreError(f"store {path} is not valid JSON{where}: {msg}")


def check_shape(path: Path, data: Any) -> Tables:
    """Refuse the shapes TinyDB mishandles: it must be an object of tables of documents."""
    if not isinstance(data, dict):
        found = "null" if data is None else type(data).__name__
        raise StoreError(f"store {path} must be a JSON object of tables, found {found}")
    for name, table in data.items():
        if isinstance(table, LazyTable):
            continue
        if not isinstance(table, dict):
            found = "null" if table is None else type(table).__name__
            raise StoreError(f"store {path}: table '{name}' must be an object of documents, found {found}")
        for doc_id, doc in table.items():
            if not (doc_id.isascii() and doc_id.isdigit()) or len(doc_id) > 18:  # '²' is a digit to isdigit()
                raise StoreError(
                    f"store {path}: table '{name}' has document id '{doc_id:.40}', "
                    "expected an integer of at most 18 digits"
                )
            if not isinstance(doc, dict):
                raise StoreError(f"store {path}: document {name}/{doc_id} must be an object")
    return data


def _loads(raw: bytes, big: bool) -> Any:
    if big:
        import orjson  # imported only for large stores: it costs more than parsing a small one

        return orjson.loads(raw)
    return loads_exact(raw)  # no slower than without the hook


def stream_min_bytes() -> int:
    """Stores at least this large are streamed (``$POLICYQ_STREAM_MIN_BYTES``, default
    ``STREAM_MIN_BYTES``; 0 streams every store, as tests of the streaming readers do)."""
    text = os.environ.get(ENV_STREAM_MIN_BYTES, "").strip()
    if not text:
        return STREAM_MIN_BYTES
    try:
        return max(0, int(text))
    except ValueError:
        raise UsageError(f"{ENV_STREAM_MIN_BYTES} must be a number of bytes, such as 0, not '{text}'") from None


def _parse_whole(path: Path, fh: BinaryIO, big: bool) -> Tables:
    fh.seek(0)
    raw = guarded_read(path, lambda _: fh.read())
    if not raw or raw.isspace():
        raise StoreError(f"store {path} is empty; expected a JSON object of tables")
    try:
        data = _loads(raw, big)
    except DuplicateKey as exc:
        raise _twice(path, raw, exc.key) from None
    except RecursionError:
        raise StoreError(f"store {path} is nested too deeply to be a store") from None
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError, from json and orjson
        raise _decode_error(path, exc) from None
    return check_shape(path, data)


def _stream_error(path: Path, fh: BinaryIO, exc: Exception) -> StoreError:
    """The store error for a problem the streaming reader met (``layout.LayoutError`` or
    ``layout.DocumentError``), named as a whole parse would name it where it can."""
    from policyq.storage.layout import LayoutError, line_number

    offset = getattr(exc, "offset", 0)
    problem = getattr(exc, "problem", str(exc))
    if isinstance(exc, LayoutError):  # not JSON that can be read as it streams: say what is wrong with it
        try:
            _parse_whole(path, fh, big=True)
        except StoreError as whole:
            return whole
    if "UTF-8" in problem:
        problem = f"is not UTF-8 text ({problem.partition(': ')[2] or problem})"
    if isinstance(exc, LayoutError):
        problem = f"cannot be read as a store: {problem}"
    return StoreError(f"store {path}: line {line_number(fh, offset)} {problem}")


def load_tables(path: Path, *, lazy: bool = True) -> Tables:
    """Read and shape-check a store. A large store comes back with lazy tables
    (``layout.LazyTables``): the file is read as the tables are used, and only the documents a
    query keeps are decoded."""
    threshold = stream_min_bytes()
    fh, size = open_store(path)
    big = size >= threshold or is_bundled(path)
    if big and lazy and size:
        try:
            return LazyTables(path, fh, size, lambda exc: _stream_error(path, fh, exc))  # type: ignore[return-value]
        except BaseException:
            fh.close()
            raise
    with fh:
        return _parse_whole(path, fh, big)


def read_for_write(path: Path, raw: bytes | None = None) -> Tables:
    """The store at ``path`` (or its bytes ``raw``, already read) read whole and exactly, as a
    write must see it: integers as written, no duplicate keys, and valid. Anything else is a
    ``StoreError`` naming the first problem, so that a write never silently drops or rewrites
    what it could not read. Bytes policyq has validated or written before (``validity``) are
    not validated again; others are remembered once they pass."""
    from policyq.model import validate
    from policyq.storage.validity import hashing, known_valid, remember_valid

    if raw is None:
        raw = read_store_bytes(path)
    digest = hashing(raw)  # in another thread, while the store is parsed
    tables = load_exact(path, raw)
    if known_valid(digest()) is None:
        _refuse_invalid(path, validate(tables))
        remember_valid(digest())
    return tables


def check_valid(path: Path, raw: bytes) -> None:
    """``read_for_write``'s checks of the store bytes ``raw``, without holding the store:
    a large one is streamed (``validate_store``). A ``StoreError`` names the first problem."""
    _refuse_invalid(path, validate_store(path, raw)[1])


def _refuse_invalid(path: Path, problems: list[Any]) -> None:
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise StoreError(
            f"store {path} is invalid: {problems[0]}{more}; nothing was written "
            f"('policyq validate {path}' lists every problem)"
        )


# --- validating a store as it streams ----------------------------------------------------------


def _exact(text: bytes) -> Any:
    """A document decoded as ``load_exact`` decodes the store: integers as written, no key twice."""
    from policyq.storage.layout import DocumentError

    try:
        return loads_exact(text)
    except DuplicateKey as exc:
        raise DocumentError(f"holds the key '{exc.key}' twice in one object", 0) from None


class _Counted(Mapping[str, Any]):
    """A table whose documents ``model.validate`` reads once, in order: counted as they pass,
    their ids checked as ``check_shape`` checks them."""

    def __init__(self, docs: Mapping[str, Any]) -> None:
        self.docs, self.count = docs, 0

    def items(self) -> Any:
        for doc_id, doc in self.docs.items():
            if not (doc_id.isascii() and doc_id.isdigit()) or len(doc_id) > 18:
                raise StoreError(f"document id '{doc_id:.40}'")  # named as load_exact names it
            self.count += 1
            yield doc_id, doc

    def count_hint(self) -> int | None:
        hint = getattr(self.docs, "count_hint", None)
        return hint() if hint is not None else None

    def __getitem__(self, doc_id: str) -> Any:
        return self.docs[doc_id]

    def __iter__(self) -> Any:
        return iter(self.docs)

    def __len__(self) -> int:
        return len(self.docs)


class _Checked(Mapping[str, Any]):
    def __init__(self, tables: Mapping[str, Any]) -> None:
        self.tables = tables
        self.counted: dict[str, _Counted] = {}

    def __getitem__(self, name: str) -> Any:
        docs = self.tables[name]
        if isinstance(docs, LazyTable):
            docs = self.counted.setdefault(name, _Counted(docs))
        return docs

    def __iter__(self) -> Any:
        return iter(self.tables)

    def __len__(self) -> int:
        return len(self.tables)


def validate_store(path: Path, raw: bytes | None = None) -> tuple[dict[str, int], list[Any]]:
    """Counts of records per table, and every problem (``model.Problem``) of the store at
    ``path`` (or of its bytes ``raw``), read as ``load_exact`` reads it: integers as written,
    no key twice in one object. A large store is streamed, one record decoded at a time, so that
    validating 100,000 records holds their ids and little else. A store that cannot be read is
    the ``StoreError`` that ``load_exact`` gives."""
    from policyq.model import FIELDS, validate

    try:
        checked = _Checked(_exact_tables(path, raw))
        problems = validate(checked)
    except StoreError:
        load_exact(path, raw)  # the store error a whole reading names, as every write names it
        raise
    counts = {}
    for t in FIELDS:
        docs = checked.tables.get(t)
        counts[t] = checked.counted[t].count if t in checked.counted else len(docs or {})
    return counts, problems


def _exact_tables(path: Path, raw: bytes | None) -> Tables:
    from policyq.storage.layout import reading_bytes

    def fail(exc: Exception) -> StoreError:
        return StoreError(f"store {path}: {getattr(exc, 'problem', exc)}")

    if raw is not None:
        if len(raw) < stream_min_bytes() or not raw.strip():
            return load_exact(path, raw)
        return LazyTables(path, reading_bytes(raw), len(raw), fail, loads=_exact)  # type: ignore[return-value]
    fh, size = open_store(path)
    if (size >= stream_min_bytes() or is_bundled(path)) and size:
        try:
            return LazyTables(path, fh, size, fail, loads=_exact)  # type: ignore[return-value]
        except BaseException:
            fh.close()
            raise
    with fh:
        return load_exact(path, guarded_read(path, lambda _: fh.read()))
