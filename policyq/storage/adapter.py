"""The TinyDB adapter: a store opened for reading (parsed once, or streamed when large), the
queries whose equality tests rule records out from their raw bytes, and a transaction that
hands a TinyDB the store read afresh under the lock and writes it back atomically."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.queries import QueryInstance
from tinydb.storages import Storage

from policyq.errors import StoreError
from policyq.storage.files import check_replaceable, commit, locked, real_path
from policyq.storage.layout import LazyTable, Prefilter, dump_tables
from policyq.storage.reading import Tables, load_tables, read_for_write


class ReadOnlyStorage(Storage):
    """TinyDB storage that parses the store once and refuses to write.

    TinyDB calls ``read()`` on every table access; the parsed tables are kept, so one
    command parses the file once. The file is only ever opened for reading, so a
    read-only installation works.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._tables: Tables | None = None

    def read(self) -> Tables:
        if self._tables is None:
            self._tables = load_tables(self.path)
        return self._tables

    def write(self, data: Tables) -> None:
        raise StoreError(f"store {self.path} was opened for reading only")


def open_db(path: Path) -> TinyDB:
    """A TinyDB over the store at ``path``, for reading. The file is read on first use."""
    return TinyDB(path, storage=ReadOnlyStorage)


Equals = tuple[tuple[str, frozenset[Any]], ...]


class FieldQuery(QueryInstance):
    """A TinyDB query that is true only when a record's top-level field equals one of some
    values: ``equals`` lists the alternatives ``(field, values)``. ``search`` uses them to
    rule records out from their raw bytes. ``a | b`` of two such queries is one too."""

    def __init__(self, test: Callable[[Mapping[str, Any]], bool], hashval: Any, equals: Equals) -> None:
        super().__init__(test, hashval)
        self.equals = equals

    def __or__(self, other: QueryInstance) -> QueryInstance:
        either = super().__or__(other)
        if not isinstance(other, FieldQuery):
            return either
        return FieldQuery(either._test, either._hash, self.equals + other.equals)


def search(db: TinyDB, table: str, conds: list[QueryInstance]) -> list[dict[str, Any]]:
    """The records of ``table`` for which every one of ``conds`` is true, in stored order, as
    plain dicts. A large store is scanned as it streams: the ``FieldQuery`` with the fewest
    values rules out, from their bytes, the records that cannot match, and only the others
    are decoded and tested (one dict per record kept). Otherwise TinyDB searches."""

    def every(record: Mapping[str, Any]) -> bool:
        return all(cond(record) for cond in conds)

    match = conds[0] if len(conds) == 1 else every if conds else None
    storage = db.storage
    docs = storage.read().get(table) if isinstance(storage, ReadOnlyStorage) else None
    if isinstance(docs, LazyTable):
        hints = [c.equals for c in conds if isinstance(c, FieldQuery)]
        narrowest = min(hints, key=lambda h: sum(len(values) for _, values in h), default=None)
        return docs.select(match, Prefilter(narrowest) if narrowest else None)
    found = db.table(table).search(QueryInstance(match, None)) if match else db.table(table).all()
    return [dict(d) for d in found]


class MemoryStorage(Storage):
    """TinyDB storage over tables read once under the lock; writes stay in memory until commit."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def read(self) -> Tables:
        return self.tables

    def write(self, data: Tables) -> None:
        self.tables = data


@contextmanager
def transaction(path: Path) -> Iterator[TinyDB]:
    """Lock the store, read it afresh, yield a TinyDB over it, and commit atomically.

    If the block raises, nothing is written and the store stays byte for byte the same.
    A fresh read under the lock matters: TinyDB tables remember their next document id,
    so a long-lived instance would reuse ids another process has taken. A symlink is
    followed: the file it points to is locked and replaced, and the link stays.
    A store that is read-only, not a regular file, or invalid is refused.
    """
    real = real_path(path)
    with locked(real):
        storage = MemoryStorage(read_for_write(real))
        check_replaceable(real, os.stat(real))
        yield TinyDB(storage=lambda: storage)
        commit(real, dump_tables(storage.tables))
