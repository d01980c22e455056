"""The Python API: the same queries and writes as the command line, as methods.

    >>> from policyq import Store
    >>> store = Store()                      # the store queries read by default
    >>> [p["id"] for p in store.parks(place="Pudong")][:2]
    ['pudong-characteristic-parks', 'pudong-metaverse-park']

Methods take the command-line flags as keyword arguments (``place=``, ``year=``, ``metric=``,
``sector=``, ``kind=``, ``min_value=``…) and return plain dicts in stored field order, exactly
what ``--format json`` prints. Listings return :class:`Records`, a list that also knows how many
records matched before ``limit``. Errors are :class:`policyq.errors.PolicyqError` subclasses
carrying the exit code the CLI ends with.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from policyq import query, store
from policyq.errors import UsageError
from policyq.model import PARK_KINDS
from policyq.query import Filters

Record = dict[str, Any]
Places = str | Iterable[str] | None


class Records(list[Record]):
    """Records of a listing: a plain list, plus ``total``, the number matched before ``limit``."""

    total: int

    def __init__(self, records: Iterable[Record], total: int | None = None) -> None:
        super().__init__(records)
        self.total = len(self) if total is None else total


def years(value: int | str | tuple[int, int] | None) -> tuple[int | None, int | None]:
    """``2025``, ``"2025"``, ``"2020-2025"`` or ``(2020, 2025)`` as a (from, to) pair."""
    if value is None:
        return None, None
    if isinstance(value, tuple):
        lo, hi = value
    elif isinstance(value, int) and not isinstance(value, bool):
        lo = hi = value
    else:
        first, sep, last = str(value).strip().partition("-")
        try:
            lo = int(first)
            hi = int(last) if sep else lo
        except ValueError:
            raise UsageError(f"--year takes a year such as 2025 or a range such as 2020-2025, not '{value}'") from None
    if lo > hi:
        raise UsageError(f"--year range {lo}-{hi} runs backwards; write it as {hi}-{lo}")
    return lo, hi


def _names(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """One name or several, as a tuple."""
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


class Store:
    """A policyq store. ``Store()`` opens the one queries read by default (``$POLICYQ_STORE``,
    else the user store, else the bundled one); ``Store(path)`` another. Reads happen on first
    use; each call sees the store as it is then."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self._arg = None if path is None else os.fspath(path)
        self.path: Path = store.read_path(self._arg)
        self._db: Any = None

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    @property
    def db(self) -> Any:
        if self._db is None:
            self._db = store.open_db(self.path)
        return self._db

    def places(self) -> Any:
        """The index of places by id, name, alias and Chinese name (``policyq.places.Places``)."""
        return query.places(self.db)

    def names(self) -> dict[str, dict[str, str]]:
        """What a table shows for an id: ``{"zones": {id: name}}``."""
        return {"zones": {z["id"]: z["name"] for z in self.db.table("zones").all()}}

    def _listing(self, table: str, records: list[Record], sort: str | None, desc: bool, limit: int | None) -> Records:
        total = len(records)
        return Records(query.order(records, table, sort, desc, limit), total)

    # --- listings -------------------------------------------------------------------------

    def zones(
        self,
        *,
        place: Places = None,
        kind: str | Iterable[str] | None = None,
        sector: str | None = None,
        source: str | None = None,
        sort: str | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Records:
        """Places below ``place`` (all places when None), of ``kind``, with ``sector``, citing ``source``."""
        f = Filters(place=_first(place), kinds=_names(kind), sector=sector, source=source)
        return self._listing("zones", query.list_zones(self.db, f), sort, desc, limit)

    def parks(
        self,
        *,
        place: Places = None,
        sector: str | None = None,
        source: str | None = None,
        sort: str | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Records:
        """Industrial parks (zones of kind ``park`` or ``park_group``) below ``place``."""
        f = Filters(place=_first(place), kinds=PARK_KINDS, sector=sector, source=source)
        return self._listing("zones", query.list_zones(self.db, f), sort, desc, limit)

    def _facts(
        self, table: str, due_by: int | None, year: Any, sort: Any, desc: bool, limit: Any, **kw: Any
    ) -> Records:
        lo, hi = years(year)
        if due_by is not None:
            hi = due_by if hi is None else min(hi, due_by)
        f = Filters(place=_first(kw.pop("place")), year_from=lo, year_to=hi, **kw)
        return self._listing(table, query.list_facts(self.db, table, f), sort, desc, limit)

    def targets(
        self,
        *,
        place: Places = None,
        year: int | str | tuple[int, int] | None = None,
        due_by: int | None = None,
        metric: str | None = None,
        sector: str | None = None,
        source: str | None = None,
        min_value: float | None = None,
        max_value: float | None = None,
        sort: str | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Records:
        """Numbers someone committed to reach, about ``place`` or anything below it."""
        return self._facts(
            "targets", due_by, year, sort, desc, limit,
            place=place, metric=metric, sector=sector, source=source, min_value=min_value, max_value=max_value,
        )  # fmt: skip

    def indicators(
        self,
        *,
        place: Places = None,
        year: int | str | tuple[int, int] | None = None,
        metric: str | None = None,
        sector: str | None = None,
        source: str | None = None,
        min_value: float | None = None,
        max_value: float | None = None,
        sort: str | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Records:
        """Numbers reported as fact, about ``place`` or anything below it."""
        return self._facts(
            "indicators", None, year, sort, desc, limit,
            place=place, metric=metric, sector=sector, source=source, min_value=min_value, max_value=max_value,
        )  # fmt: skip

    def sources(self, *, sort: str | None = None, desc: bool = False, limit: int | None = None) -> Records:
        """The source documents."""
        return self._listing("sources", query.list_sources(self.db), sort, desc, limit)

    def search(self, text: str, *, sort: str | None = None, desc: bool = False, limit: int | None = None) -> Records:
        """Records whose names, aliases, metrics, sectors or notes contain ``text``."""
        return self._listing("search", query.search(self.db, text), sort, desc, limit)

    def show(self, name: str) -> Record:
        """One record by id (or a place by any name): ``{"table", "record", "related"}``."""
        return query.show(self.db, name)

    def tree(self, place: str | None = None) -> list[Record]:
        """The place hierarchy below ``place`` (from the top when None), as nested records
        ``{id, name, name_zh, kind, parent, related, targets, indicators, children: [...]}``,
        where ``targets`` and ``indicators`` count the facts about each place itself."""
        return query.tree(self.db, place)

    def ask(self, question: str) -> tuple[Any, Records]:
        """A question in plain words: how it was understood, and the records that answer it."""
        from policyq import ask

        q = ask.parse(question, query.places(self.db))
        if q.table == "sources":
            return q, self.sources()
        if q.table == "zones":
            # "parks" in a question means what the parks command lists: parks and park groups
            kinds = PARK_KINDS if q.filters.kinds == ("park",) else q.filters.kinds
            f = Filters(place=q.filters.place, kinds=kinds, sector=q.filters.sector, source=q.filters.source)
            return q, self._listing("zones", query.list_zones(self.db, f), None, False, None)
        return q, self._listing(q.table, query.list_facts(self.db, q.table, q.filters), None, False, None)

    # --- writes -----------------------------------------------------------------------------

    @property
    def write_path(self) -> Path:
        """The file a write changes (never the bundled store)."""
        return store.write_path(self._arg)

    def import_records(
        self,
        records: str | os.PathLike[str] | Iterable[Record] | Record,
        *,
        table: str | None = None,
        input_format: str | None = None,
        replace: bool = False,
        skip_existing: bool = False,
        dry_run: bool = False,
    ) -> Any:
        """Validate and add records, all or nothing: a file path (JSON, JSON lines, CSV), a dict
        of tables ``{"targets": [...]}``, or a list of records of ``table``."""
        import json

        from policyq import ingest, writes

        if isinstance(records, (str, os.PathLike)):
            name = os.fspath(records)
            label = "stdin" if name == "-" else name
            incoming = ingest.read_records(name, writes.read_input(name), input_format, table)
        else:
            label = "records"
            data = records if isinstance(records, dict) else list(records)
            incoming = ingest.read_records("records.json", json.dumps(data, ensure_ascii=False), "json", table)
        self._db = None
        return writes.import_records(
            self.write_path, incoming, label, replace=replace, skip_existing=skip_existing, dry_run=dry_run
        )

    def remove(self, record_id: str) -> str:
        """Remove a record nothing else refers to; returns the table it was in."""
        from policyq import writes

        self._db = None
        return writes.remove(self.write_path, record_id)

    def validate(self) -> list[Any]:
        """Every problem in the store (an empty list when it is valid)."""
        from policyq import writes

        return writes.validate(self.path)[1]

    @classmethod
    def init(cls, path: str | os.PathLike[str] | None = None, *, force: bool = False) -> Store:
        """Create a store from the bundled one (default: the user store) and open it."""
        from policyq import writes

        return cls(writes.init(None if path is None else os.fspath(path), force=force))


def _first(place: Places) -> str | None:
    """Today's filters take one place; a list of several is refused rather than cut short."""
    names = _names(place)
    if len(names) > 1:
        raise UsageError("several places at once are not supported yet; give one place")
    return names[0] if names else None
