"""Changing a store: init, import, remove, and validate before anything is written.

Every write goes through ``store.transaction``: lock, read afresh, change, write a temporary
file and move it over the store. A refused change raises before the write, so the store stays
byte for byte the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policyq import store
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
    from policyq import ingest

    if replace and skip_existing:
        raise UsageError("--replace and --skip-existing exclude each other; choose one")
    if dry_run:
        tables = store.read_for_write(target)
        plan = ingest.plan_import(tables, incoming, label, replace=replace, skip_existing=skip_existing)
    else:
        with store.transaction(target) as db:
            plan = ingest.plan_import(_tables(db), incoming, label, replace=replace, skip_existing=skip_existing)
            db.storage.write(plan.tables)

    def pairs(items: list[Any]) -> list[tuple[str, str]]:
        return [(i.table, str(i.record.get("id"))) for i in items]

    return ImportResult(target, pairs(plan.added), pairs(plan.replaced), pairs(plan.skipped), dry_run)


def referrers(tables: Tables, record_id: str) -> list[tuple[str, str, str]]:
    """Every ``(table, id, field)`` whose field refers to ``record_id``."""
    found: list[tuple[str, str, str]] = []
    for table in FIELDS:
        docs = tables.get(table)
        for r in docs.values() if isinstance(docs, Mapping) else ():
            if not isinstance(r, dict):
                continue
            rid = str(r.get("id"))
            refs: list[tuple[str, Any]] = [
                ("parent", r.get("parent")),
                ("subject", r.get("subject")),
                ("source", r.get("source")),
            ]
            for field in ("related", "sources"):
                refs.extend((field, v) for v in r.get(field) or () if isinstance(r.get(field), list))
            for n, d in enumerate(r.get("designations") or ()):
                if isinstance(d, dict):
                    refs.append((f"designations[{n}].source", d.get("source")))
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
