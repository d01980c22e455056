"""Changing a store: init, import, remove, and validate before anything is written.

Every write locks the store, reads it afresh, changes it, writes a temporary file and moves it
over the store (``storage.adapter.transaction``, ``storage.files.locked_bytes``). A refused change raises before
the write, so the store stays byte for byte the same. A write refuses a store that is not
valid; an import into a large store is still fast because the exact bytes of every store
policyq validated or wrote are remembered (``storage.validity``), so the
store it wrote last time is not validated again: the incoming records are checked against an
index of ids and references, and only the lines they change are written anew.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policyq import schema
from policyq.errors import PolicyqError, StoreError, UsageError
from policyq.model import FIELDS, Problem
from policyq.storage import files, paths, reading
from policyq.storage.adapter import transaction
from policyq.storage.layout import TABLES
from policyq.storage.paths import is_bundled
from policyq.storage.validity import Pieces, hashing, known_valid, remember_valid

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

    limit = files.max_store_bytes()
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
                f"a store; set {files.ENV_MAX_STORE_MB} to allow more"
            )
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{file} is not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise UsageError(files.unreadable(exc, f"file '{file}'", "a file to import")) from None


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
        real = files.real_path(target)
        plan, _ = _plan_import(real, files.read_store_bytes(real), incoming, label, replace, skip_existing)
    else:
        with files.locked_bytes(target) as (real, raw):
            plan, new = _plan_import(real, raw, incoming, label, replace, skip_existing)
            digest = hashing(new)
            files.commit(real, new)
            # Valid: a valid store, with valid records that fit its index; every line starts
            # with its id (policyq writes the id first), so the next import need not read them all.
            remember_valid(digest(), {"next_id": plan.next_id} if isinstance(new, list) else None)

    def pairs(items: list[Any]) -> list[tuple[str, str]]:
        return [(i.table, str(i.record.get("id"))) for i in items]

    return ImportResult(target, pairs(plan.added), pairs(plan.replaced), pairs(plan.skipped), dry_run)


def _plan_import(
    real: Path, raw: bytes, incoming: list[Any], label: str, replace: bool, skip_existing: bool
) -> tuple[Any, Pieces]:
    """The plan of an import into the store whose bytes are ``raw``, and the new store's bytes.

    Bytes not seen valid before are read whole and validated first (a ``StoreError`` when they
    are not). A store in the line layout then gets its index read off the start of its lines,
    and the new store is the old one's bytes with the changed and added lines, every other line
    copied as it is. A store in any other layout is written back whole, in the line layout.
    """
    from policyq import ingest
    from policyq.storage import layout

    digest = hashing(raw)
    lines = layout.line_tables(raw)
    # The ids to look for in the store's lines; one that is not Unicode text (a lone surrogate)
    # is in no store, and the record's own check refuses it.
    ids = [rid for rid in (i.record.get("id") for i in incoming) if isinstance(rid, str) and _is_text(rid)]
    known = known_valid(digest())
    tables = None
    if known is None:  # the very bytes that were read are checked (streamed), and remembered valid
        reading.check_valid(real, raw)
    facts = known.get("next_id") if known else None
    next_id = facts if isinstance(facts, dict) and all(type(n) is int for n in facts.values()) else None
    index = ingest.Index.of_lines(raw, lines, ids, next_id) if lines is not None else None
    if known is None or (index is not None and next_id is None):
        remember_valid(digest(), {"next_id": index.next_id} if index is not None else None)
    if index is None:  # another layout, or lines that do not start with their ids: read it whole
        tables = tables if tables is not None else reading.load_exact(real, raw)
        index, lines = ingest.Index.of_tables(tables), None
    plan = ingest.plan_import(index, incoming, label, replace=replace, skip_existing=skip_existing)
    pieces = layout.splice(raw, lines, plan.changes, index.next_id) if lines is not None else None
    if pieces is not None:
        return plan, pieces
    tables = tables if tables is not None else reading.load_exact(real, raw)
    return plan, layout.dump_tables(plan.apply(tables))


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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
    with transaction(target) as db:
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
    """The tables of a store opened by ``db.transaction`` (read afresh under the lock)."""
    tables: dict[str, Any] = db.storage.read() or {}
    return tables


def validate(target: Path) -> tuple[dict[str, int], list[Problem]]:
    """Counts of records per table, and every problem in the store at ``target`` (a large store
    is streamed: see ``reading.validate_store``)."""
    return reading.validate_store(target)


def _describe_existing(path: Path) -> str:
    """What ``init --force`` is about to replace, in a few words."""
    try:
        tables = reading.read_for_write(path)
    except PolicyqError as exc:
        return f"which was not a valid store ({exc})"
    counts = ", ".join(f"{len(tables.get(t) or {})} {t}" for t in TABLES)
    return f"a valid store of {counts}"


def init_store(path: str | None, *, force: bool) -> Path:
    """Copy the bundled store to ``path`` (default: the user store); refuses to overwrite without ``force``.

    With ``force`` an existing store is replaced, and a notice says what it held; a read-only
    file or anything but a regular file (a device, a FIFO) is never replaced.
    """
    if path is not None and not path:
        raise UsageError("the store path is empty; name a store file, e.g. ./research.json, or leave it out")
    target = Path(path) if path else Path(paths.user_store_path())
    real = files.real_path(target)
    if real.is_dir():
        raise UsageError(f"{target} is a directory; name the store file, e.g. {target / 'policyq.json'}")
    if real.exists() and not force:
        raise UsageError(f"{target} already exists; use --force to replace it with the bundled store")
    if is_bundled(real):
        raise UsageError(f"{target} is the bundled store, which is never written; name another path")
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create folder {real.parent}: {exc.strerror or exc}") from None
    text = Path(paths.bundled_path()).read_text(encoding="utf-8")
    with files.locked(real):
        try:
            st = os.stat(real)
        except FileNotFoundError:
            st = None
        if st is not None:
            if not force:  # another process created it meanwhile
                raise UsageError(f"{target} already exists; use --force to replace it with the bundled store")
            if not stat.S_ISREG(st.st_mode):
                raise StoreError(f"{target} is {files.file_kind(st)}, not a store file; nothing was replaced")
            files.check_replaceable(real, st)
            files.notice(f"replacing {target}, {_describe_existing(real)}")
        files.commit(real, text)
    return target.resolve()
