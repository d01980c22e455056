"""Changing a store: init, import, remove, and validate before anything is written.

Every write locks the store, reads it afresh, changes it, writes a temporary file and moves it
over the store (``store.transaction``, ``store.locked_bytes``). A refused change raises before
the write, so the store stays byte for byte the same. A write refuses a store that is not
valid; an import into a large store is still fast because the exact bytes of every store
policyq validated or wrote are remembered (as a digest, in ``$XDG_CACHE_HOME/policyq``), so the
store it wrote last time is not validated again: the incoming records are checked against an
index of ids and references, and only the lines they change are written anew.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policyq import schema, store
from policyq.errors import UsageError
from policyq.model import FIELDS, Problem

Tables = Mapping[str, Any]


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, for a dry run, would do): ``(table, id)`` pairs per verb."""

    store: Path
    added: list[tuple[str, str]]
    replaced: list[tuple[str, str]]
    skipped: list[tuple[str, str]]
    dry_run: bool


def read_input(file: str) -> str:
    """The text of an import file (``-`` is stdin)."""
    import sys

    limit = store.max_store_bytes()
    try:
        if file == "-":
            if sys.stdin is None or getattr(sys.stdin, "closed", False):
                raise UsageError("stdin is closed, so '-' has nothing to read; pipe the records in or name a file")
            raw = sys.stdin.buffer.read(limit + 1)
        else:
            with open(file, "rb") as fh:  # a FIFO is fine here: `policyq import <(…)` reads one
                raw = fh.read(limit + 1)
        if len(raw) > limit:
            raise UsageError(
                f"{'stdin' if file == '-' else file} is larger than {limit / 2**20:,.0f} MB, the limit for "
                f"a store; set {store.ENV_MAX_STORE_MB} to allow more"
            )
        return raw.decode("utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"no file '{file}'") from None
    except IsADirectoryError:
        raise UsageError(f"'{file}' is a directory, not a file to import") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"{file} is not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise UsageError(f"cannot read {file}: {exc.strerror or exc}") from None


def import_records(
    target: Path,
    incoming: list[Any],
    label: str,
    *,
    replace: bool = False,
    skip_existing: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Validate ``incoming`` (``ingest.Incoming`` records) against the store and add them, all or nothing."""
    if replace and skip_existing:
        raise UsageError("--replace and --skip-existing exclude each other; choose one")
    if dry_run:
        real = store.real_path(target)
        plan, _ = _plan_import(real, store.read_store_bytes(real), incoming, label, replace, skip_existing)
    else:
        with store.locked_bytes(target) as (real, raw):
            plan, new = _plan_import(real, raw, incoming, label, replace, skip_existing)
            digest = _hashing(new)
            store.commit(real, new)
            # Valid: a valid store, with valid records that fit its index; every line starts
            # with its id (policyq writes the id first), so the next import need not read them all.
            remember_valid(digest(), {"next_id": plan.next_id} if isinstance(new, list) else None)

    def pairs(items: list[Any]) -> list[tuple[str, str]]:
        return [(i.table, str(i.record.get("id"))) for i in items]

    return ImportResult(target, pairs(plan.added), pairs(plan.replaced), pairs(plan.skipped), dry_run)


Pieces = str | list[bytes | memoryview]


def _plan_import(
    real: Path, raw: bytes, incoming: list[Any], label: str, replace: bool, skip_existing: bool
) -> tuple[Any, Pieces]:
    """The plan of an import into the store whose bytes are ``raw``, and the new store's bytes.

    Bytes not seen valid before are read whole and validated first (a ``StoreError`` when they
    are not). A store in the line layout then gets its index read off the start of its lines,
    and the new store is the old one's bytes with the changed and added lines, every other line
    copied as it is. A store in any other layout is written back whole, in the line layout.
    """
    from policyq import ingest, layout

    digest = _hashing(raw)
    lines = layout.line_tables(raw)
    ids = [i.record["id"] for i in incoming if isinstance(i.record.get("id"), str)]
    known = known_valid(digest())
    tables = None
    if known is None:  # the very bytes that were read are checked, and remembered valid
        tables = store.read_for_write(real, raw)
    facts = known.get("next_id") if known else None
    next_id = facts if isinstance(facts, dict) and all(type(n) is int for n in facts.values()) else None
    index = ingest.Index.of_lines(raw, lines, ids, next_id) if lines is not None else None
    if known is None or (index is not None and next_id is None):
        remember_valid(digest(), {"next_id": index.next_id} if index is not None else None)
    if index is None:  # another layout, or lines that do not start with their ids: read it whole
        tables = tables if tables is not None else store.load_exact(real, raw)
        index, lines = ingest.Index.of_tables(tables), None
    plan = ingest.plan_import(index, incoming, label, replace=replace, skip_existing=skip_existing)
    pieces = layout.splice(raw, lines, plan.changes, index.next_id) if lines is not None else None
    if pieces is not None:
        return plan, pieces
    tables = tables if tables is not None else store.load_exact(real, raw)
    return plan, layout.dump_tables(plan.apply(tables))


# --- which store contents are known to be valid -----------------------------------------------

VALID_KEPT = 64  # digests remembered (the most recent)


def _valid_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "policyq" / "valid-stores"


@functools.cache
def _rules() -> bytes:
    """What a store's validity depends on besides its bytes: policyq's own code."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.digest()


def _hashing(data: bytes | Pieces) -> Callable[[], str]:
    """``_digest(data)``, computed in another thread while this one goes on (hashing a large
    store takes tens of milliseconds, and releases the interpreter lock): call the result to
    wait for it."""
    import threading

    found: list[str] = []
    worker = threading.Thread(target=lambda: found.append(_digest(data)), daemon=True)
    worker.start()

    def result() -> str:
        worker.join()
        return found[0]

    return result


def _digest(data: bytes | Pieces) -> str:
    digest = hashlib.sha256(_rules())
    pieces: Iterable[bytes | memoryview] = (
        [data.encode("utf-8")] if isinstance(data, str) else ([data] if isinstance(data, bytes) else data)
    )
    for piece in pieces:
        digest.update(piece)
    return digest.hexdigest()


def known_valid(digest: str) -> dict[str, Any] | None:
    """What is known of store bytes with this digest that passed validation, by this version of
    policyq (``{}`` when nothing more); None when they are not known to be valid."""
    import json

    try:
        text = (_valid_folder() / digest).read_text(encoding="utf-8")
    except OSError:
        return None
    try:
        facts = json.loads(text) if text else {}
    except ValueError:  # written by a writer that was killed: still valid, nothing more known
        return {}
    return facts if isinstance(facts, dict) else {}


def remember_valid(digest: str, facts: Mapping[str, Any] | None = None) -> None:
    """Remember that store bytes with this digest are valid, and ``facts`` about them; forget
    all but the latest few. A cache that cannot be written only means the next write validates
    the store again."""
    import json

    folder = _valid_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / digest).write_text(json.dumps(facts or {}), encoding="utf-8")
        entries = sorted(os.scandir(folder), key=lambda entry: entry.stat().st_mtime_ns)
        for entry in entries[:-VALID_KEPT]:
            os.unlink(entry.path)
    except OSError:
        pass


def referrers(tables: Tables, record_id: str) -> list[tuple[str, str, str]]:
    """Every ``(table, id, field)`` whose field refers to ``record_id``."""
    found: list[tuple[str, str, str]] = []
    for table in FIELDS:
        docs = tables.get(table)
        for r in docs.values() if isinstance(docs, Mapping) else ():
            if not isinstance(r, dict):
                continue
            rid = str(r.get("id"))
            refs: list[tuple[str, Any]] = []
            for f in schema.REFERENCES.get(table, ()):
                value = r.get(f.name)
                if not f.is_list:
                    refs.append((f.name, value))
                elif isinstance(value, list):
                    refs.extend((f.name, v) for v in value)
            for n, d in enumerate(r.get("designations") or () if table == "zones" else ()):
                if isinstance(d, dict):
                    refs.extend((f"designations[{n}].{f.name}", d.get(f.name)) for f in schema.DESIGNATION_REFERENCES)
            found.extend((table, rid, field) for field, value in refs if value == record_id and rid != record_id)
    return found


def remove(target: Path, record_id: str) -> str:
    """Remove the record ``record_id``; refused while another record refers to it. Returns its table."""
    with store.transaction(target) as db:
        tables = _tables(db)
        where = next(
            (
                (t, doc_id)
                for t in FIELDS
                for doc_id, r in (tables.get(t) or {}).items()
                if isinstance(r, dict) and r.get("id") == record_id
            ),
            None,
        )
        if where is None:
            raise UsageError(f"no record with id '{record_id}' in {target}")
        users = referrers(tables, record_id)
        if users:
            table, rid, field = users[0]
            more = f" (and {len(users) - 1} more)" if len(users) > 1 else ""
            raise UsageError(
                f"cannot remove '{record_id}': {table}[{rid}].{field} refers to it{more}; "
                "remove or change that record first"
            )
        table, doc_id = where
        del tables[table][doc_id]
        db.storage.write(tables)
    return table


def _tables(db: Any) -> dict[str, Any]:
    """The tables of a store opened by ``store.transaction`` (read afresh under the lock)."""
    tables: dict[str, Any] = db.storage.read() or {}
    return tables


def validate(target: Path) -> tuple[dict[str, int], list[Problem]]:
    """Counts of records per table, and every problem in the store at ``target``."""
    from policyq.model import validate as check

    tables = store.load_exact(target)
    counts = {t: len(tables.get(t) or {}) for t in FIELDS}
    return counts, check(tables)


def init(path: str | None, *, force: bool) -> Path:
    """Create a store from the bundled one (default: the user store)."""
    return store.init_store(path, force=force)
