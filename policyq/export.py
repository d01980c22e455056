"""``policyq export --sqlite FILE``: the store as an SQLite database, one table per store
table, for Datasette, sqlite-utils, DuckDB and any SQL client.

Each table has the store's fields as columns, in the store's order, ``id`` its primary key.
Text and dates are TEXT (a date stays ``2025``, never a number), ``value`` and ``usd`` NUMERIC,
``year`` INTEGER; lists and objects (sectors, designations…) are JSON text, which SQLite's
``json_each`` and DuckDB's JSON functions read. The file is written whole or not at all: it is
built beside the target and moved over it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from policyq.errors import UsageError
from policyq.model import FIELDS

_AFFINITY = {"value": "NUMERIC", "usd": "NUMERIC", "year": "INTEGER"}


def _column(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


def to_sqlite(store: Any, path: str, *, force: bool = False) -> dict[str, int]:
    """Write every table of ``store`` (a ``policyq.Store``) to the SQLite file ``path``; how many
    records each table got. An existing file is replaced only with ``force``."""
    import sqlite3

    from policyq.storage.files import fsync_dir, temp_name

    target = Path(path)
    if not path:
        raise UsageError("--sqlite needs a file name")
    if target.exists() and not force:
        raise UsageError(f"{path} exists; add --force to replace it")
    if target.is_dir():
        raise UsageError(f"{path} is a directory; name a file")
    read = {"sources": store.sources, "zones": store.zones, "targets": store.targets, "indicators": store.indicators}
    tables = {name: list(read[name]()) for name in FIELDS}
    folder = target.parent if str(target.parent) else Path(".")
    tmp = folder / temp_name(target)
    try:
        db = sqlite3.connect(tmp)
        try:
            for name, records in tables.items():
                fields = FIELDS[name]
                columns = ", ".join(
                    f'"{f}" TEXT PRIMARY KEY' if f == "id" else f'"{f}" {_AFFINITY.get(f, "TEXT")}' for f in fields
                )
                db.execute(f'CREATE TABLE "{name}" ({columns})')
                marks = ", ".join("?" for _ in fields)
                db.executemany(
                    f'INSERT INTO "{name}" VALUES ({marks})', ([_column(r.get(f)) for f in fields] for r in records)
                )
            db.commit()
        finally:
            db.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        if tmp.exists():
            tmp.unlink()
        raise
    fsync_dir(folder)
    return {name: len(records) for name, records in tables.items()}
