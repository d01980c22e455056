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

import functools
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar, overload

from policyq import query, store
from policyq.errors import UsageError
from policyq.model import PARK_KINDS
from policyq.query import Filters

Record = dict[str, Any]
Places = str | Iterable[str] | None


class Records(list[Record]):
    """Records of a listing: a plain list, plus ``total``, the number matched before ``limit``,
    and ``notes``, what the listing covered beyond what was asked (a zone's places via ``related``)."""

    total: int
    notes: tuple[str, ...]

    def __init__(self, records: Iterable[Record], total: int | None = None, notes: Iterable[str] = ()) -> None:
        super().__init__(records)
        self.total = len(self) if total is None else total
        self.notes = tuple(notes)


@dataclass(frozen=True)
class Answer:
    """A question answered: the ``command`` (the :class:`Store` method: zones, parks, targets,
    indicators, sources or show) and its keyword ``options``, the ``table`` its ``records``
    come from, ``understood`` (how the question was read and the same query as flags), and
    ``notes`` (what the records cover beyond what was asked, or why there is no answer). A
    question about one place keeps its record as :meth:`Store.show` gives it in ``shown``;
    one about an attribute of a place (when it was established or designated, who designated
    it) has that place's record in ``records`` and the ``fields`` that answer it, and
    ``found`` is False when the record does not hold the answer; one about its sources has
    the sources in ``records``. ``order`` is the sort a comparison asks for."""

    command: str
    table: str
    options: dict[str, Any]
    records: Records
    understood: str
    notes: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    shown: Record | None = None
    found: bool = True
    order: str | None = None

    @property
    def flags(self) -> str:
        """The same query as a command line."""
        from policyq.ask import command_line

        return command_line(self.command, self.options, self.fields, self.order)


def years(value: int | str | tuple[int | None, int | None] | None) -> tuple[int | None, int | None]:
    """``2025``, ``"2025"``, ``"2020-2025"``, ``"2022-"`` (from 2022), ``"-2025"`` (up to 2025)
    or ``(2020, 2025)`` as a (from, to) pair."""
    if value is None:
        return None, None
    lo: int | None
    hi: int | None
    if isinstance(value, tuple):
        lo, hi = value
    elif isinstance(value, int) and not isinstance(value, bool):
        lo = hi = value
    else:
        first, sep, last = str(value).strip().partition("-")
        try:
            lo = int(first) if first or not sep else None
            hi = (int(last) if last else None) if sep else lo
        except ValueError:
            lo = hi = None
        if lo is None and hi is None:
            raise UsageError(
                f"--year takes a year such as 2025, or a range such as 2020-2025, 2022- or -2025, not '{value}'"
            )
    if lo is not None and hi is not None and lo > hi:
        raise UsageError(f"--year range {lo}-{hi} runs backwards; write it as {hi}-{lo}")
    return lo, hi


Amount = float | str | None


def amounts(**bounds: Amount) -> tuple[dict[str, float | None], str | None]:
    """Bounds given as numbers or as amounts people write ('100bn', '1.5tn', '100亿', '7.4%'),
    as numbers, and the unit the amounts name (all the same one), if any."""
    from policyq import vocab

    out: dict[str, float | None] = {}
    units = {}
    for name, value in bounds.items():
        if isinstance(value, str):
            parsed = vocab.parse_amount(value)
            out[name] = parsed.value
            if parsed.unit:
                units[parsed.unit] = value
        else:
            out[name] = value
    if len(units) > 1:
        raise UsageError(f"amounts in different units: {', '.join(repr(v) for v in units.values())}")
    return out, next(iter(units), None)


def _names(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """One name or several, as a tuple."""
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


# --- arguments: a value of the wrong type is a UsageError naming the argument, never a raw
# TypeError or AttributeError from deep inside a query ----------------------------------------


def _shown(value: Any) -> str:
    import reprlib

    return f"{type(value).__name__} {reprlib.repr(value)}"


def _wrong(name: str, want: str, value: Any) -> UsageError:
    return UsageError(f"{name}= takes {want}, not {_shown(value)}")


def _text(name: str, value: Any) -> Any:
    if value is not None and not isinstance(value, str):
        raise _wrong(name, "text or None", value)
    return value


def _required_text(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        raise _wrong(name, "text", value)
    return value


def _texts(name: str, value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (bytes, dict)) or not isinstance(value, Iterable):
        raise _wrong(name, "a name or a list of names", value)
    names = tuple(value)  # read once: an iterator given here is not read again
    for item in names:
        if not isinstance(item, str):
            raise _wrong(name, "a name or a list of names", item)
    return names


def _flag(name: str, value: Any) -> Any:
    if not isinstance(value, bool):
        raise _wrong(name, "True or False", value)
    return value


def _count(name: str, value: Any) -> Any:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise _wrong(name, "a whole number or None", value)
    return value


def _year(name: str, value: Any) -> Any:
    if isinstance(value, tuple):
        if len(value) != 2:
            raise _wrong(name, "a (from, to) pair of years", value)
        for part in value:
            _count(name, part)
    elif value is not None and not isinstance(value, str):
        _count(name, value)
    return value


def _amount(name: str, value: Any) -> Any:
    import math

    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _wrong(name, "a number or an amount such as '100bn'", value)
    if isinstance(value, float) and not math.isfinite(value):
        raise _wrong(name, "a finite number", value)
    return value


_ARGUMENTS: dict[str, Callable[[str, Any], Any]] = {
    **dict.fromkeys(("place", "kind"), _texts),
    **dict.fromkeys(("sector", "source", "metric", "unit", "sort", "table", "input_format"), _text),
    **dict.fromkeys(("name", "text", "question", "record_id", "style"), _required_text),
    **dict.fromkeys(("desc", "exact", "replace", "skip_existing", "dry_run", "force"), _flag),
    **dict.fromkeys(("min_value", "max_value", "above", "below"), _amount),
    "limit": _count,
    "due_by": _count,
    "year": _year,
}

Method = TypeVar("Method", bound=Callable[..., Any])


def _checked(**own: Callable[[str, Any], Any]) -> Callable[[Method], Method]:
    """A public method of ``Store`` whose arguments are checked (by ``_ARGUMENTS``, or ``own``
    for this method), and which sees the store as it is when it is called."""

    def wrap(method: Method) -> Method:
        import inspect

        signature = inspect.signature(method)
        checks = {name: own.get(name) or _ARGUMENTS.get(name) for name in signature.parameters}

        @functools.wraps(method)
        def checked(self: Store, *args: Any, **kwargs: Any) -> Any:
            bound = signature.bind(self, *args, **kwargs)
            for name, value in bound.arguments.items():
                check = checks.get(name)
                if check is not None:
                    bound.arguments[name] = check(name, value)
            if self._calls == 0:
                self._refresh()
            self._calls += 1
            try:
                return method(*bound.args, **bound.kwargs)
            finally:
                self._calls -= 1

        return checked  # type: ignore[return-value]

    return wrap


def _path(value: Any) -> str | None:
    """A store path given to the API as text or a path object (None: the default)."""
    if value is None:
        return None
    named = os.fspath(value) if isinstance(value, (str, os.PathLike)) else None
    if not isinstance(named, str):
        raise _wrong("path", "a path as text or a pathlib.Path", value)
    return named


@dataclass(frozen=True)
class _Built:
    """What ``ask`` reads from one store file besides its records: the place index, the source
    ids, the sectors of its zones and the wording of its figures."""

    places: Any
    sources: list[str]
    sectors: set[str]
    labels: list[tuple[str, str, str]]  # each figure's metric, family and wording


# Built from a store file, by its path and its file's identity (device, inode, size, times): a
# file written since has another identity, so nothing is answered from what it held before.
_BUILT: dict[tuple[str, tuple[int, ...]], _Built] = {}


class Store:
    """A policyq store. ``Store()`` opens the one queries read by default (``$POLICYQ_STORE``,
    else the user store, else the bundled one); ``Store(path)`` another. Reads happen on first
    use; each call sees the store as it is then."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self._arg = _path(path)
        self.path: Path = store.read_path(self._arg)
        self._db: Any = None
        self._warned = False
        self._seen: tuple[int, ...] | None = None  # the file the store was read from: device, inode, size, time
        self._calls = 0  # public calls under way: a call within a call reads what its caller read

    def _refresh(self) -> None:
        """Read the store afresh when its file changed since it was read (another writer)."""
        try:
            st = os.stat(self.path)
            seen: tuple[int, ...] | None = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        except OSError:  # reading it will say what is wrong
            seen = None
        if seen is None or seen != self._seen:
            self._db, self._warned, self._seen = None, False, seen

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    @property
    def db(self) -> Any:
        if self._db is None:
            self._db = store.open_db(self.path)
            key = self._key()
            built = _BUILT.get(key) if key else None
            if built is not None:  # the same bytes were indexed before: their place index
                self._db._policyq_places = built.places
        return self._db

    def _key(self) -> tuple[str, tuple[int, ...]] | None:
        """What identifies the bytes read: the path and its file's device, inode, size and times."""
        return (str(self.path), self._seen) if self._seen is not None else None

    def _built(self) -> _Built:
        """What ``ask`` reads from the store besides its records, built once per file as it is."""
        key = self._key()
        built = _BUILT.get(key) if key else None
        if built is None:
            facts = [r for t in ("targets", "indicators") for r in self.db.table(t).all()]
            labels = [(str(r.get("metric") or ""), str(r.get("family") or ""), str(r.get("metric_label") or ""))
                      for r in facts]  # fmt: skip
            built = _Built(
                query.places(self.db),
                [s["id"] for s in self.db.table("sources").all()],
                {s for z in self.db.table("zones").all() for s in z.get("sectors") or () if isinstance(s, str)},
                labels,
            )
            if key:
                if len(_BUILT) >= 4:
                    _BUILT.clear()
                _BUILT[key] = built
        return built

    @_checked()
    def places(self) -> Any:
        """The index of places by id, name, alias and Chinese name (``policyq.places.Places``)."""
        return query.places(self.db)

    @_checked()
    def names(self) -> dict[str, dict[str, str]]:
        """What a table shows for an id: ``{"zones": {id: name}}``."""
        return {"zones": {zid: z["name"] for zid, z in query.places(self.db).by_id.items()}}

    def _check(self, table: str, records: list[Record]) -> None:
        """Warn, once for this Store, when what a query returns breaks the rules of ``validate``."""
        if not self._warned:
            self._warned = store.check_returned(self.path, table, records, self.db.storage.read())

    def _listing(
        self,
        table: str,
        records: list[Record],
        sort: str | None,
        desc: bool,
        limit: int | None,
        f: Filters | None = None,
    ) -> Records:
        self._check(table, records)
        total = len(records)
        notes = query.scope_notes(self.db, f) if f is not None else ()
        return Records(query.order(records, table, sort, desc, limit), total, notes)

    # --- listings -------------------------------------------------------------------------

    @_checked()
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
        f = Filters(place=_names(place), kinds=_names(kind), sector=sector, source=source)
        return self._listing("zones", query.list_zones(self.db, f), sort, desc, limit, f)

    @_checked()
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
        f = Filters(place=_names(place), kinds=PARK_KINDS, sector=sector, source=source)
        return self._listing("zones", query.list_zones(self.db, f), sort, desc, limit, f)

    def _facts(
        self, table: str, due_by: int | None, year: Any, sort: Any, desc: bool, limit: Any, **kw: Any
    ) -> Records:
        lo, hi = years(year)
        if due_by is not None:
            hi = due_by if hi is None else min(hi, due_by)
        bounds, named = amounts(**{k: kw.pop(k) for k in ("min_value", "max_value", "above", "below")})
        unit = kw.pop("unit")
        if named and unit and named.casefold() != unit.casefold():
            raise UsageError(f"--unit {unit} but the amounts are in {named}")
        f = Filters(
            place=_names(kw.pop("place")), year_from=lo, year_to=hi, unit=unit or named,
            min_value=bounds["min_value"], max_value=bounds["max_value"], above=bounds["above"], below=bounds["below"],
            **kw,
        )  # fmt: skip
        return self._listing(table, query.list_facts(self.db, table, f), sort, desc, limit, f)

    @_checked()
    def targets(
        self,
        *,
        place: Places = None,
        year: int | str | tuple[int, int] | None = None,
        due_by: int | None = None,
        metric: str | None = None,
        sector: str | None = None,
        source: str | None = None,
        min_value: Amount = None,
        max_value: Amount = None,
        above: Amount = None,
        below: Amount = None,
        unit: str | None = None,
        exact: bool = False,
        sort: str | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Records:
        """Numbers someone committed to reach, about ``place`` (one or several) or anything
        below them (``exact``: about them only). Bounds take numbers or amounts ('100bn');
        ``above``/``below`` are strict."""
        return self._facts(
            "targets", due_by, year, sort, desc, limit,
            place=place, metric=metric, sector=sector, source=source, min_value=min_value, max_value=max_value,
            above=above, below=below, unit=unit, exact=exact,
        )  # fmt: skip

    @_checked()
    def indicators(
        self,
        *,
        place: Places = None,
        year: int | str | tuple[int, int] | None = None,
        metric: str | None = None,
        sector: str | None = None,
        source: str | None = None,
        min_value: Amount = None,
        max_value: Amount = None,
        above: Amount = None,
        below: Amount = None,
        unit: str | None = None,
        exact: bool = False,
        sort: str | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Records:
        """Numbers reported as fact, about ``place`` (one or several) or anything below them;
        the same filters as :meth:`targets`."""
        return self._facts(
            "indicators", None, year, sort, desc, limit,
            place=place, metric=metric, sector=sector, source=source, min_value=min_value, max_value=max_value,
            above=above, below=below, unit=unit, exact=exact,
        )  # fmt: skip

    @_checked()
    def sources(self, *, sort: str | None = None, desc: bool = False, limit: int | None = None) -> Records:
        """The source documents."""
        return self._listing("sources", query.list_sources(self.db), sort, desc, limit)

    @_checked()
    def search(self, text: str, *, sort: str | None = None, desc: bool = False, limit: int | None = None) -> Records:
        """Records whose names, aliases, metrics, sectors or notes contain ``text``."""
        return self._listing("search", query.search(self.db, text), sort, desc, limit)

    @_checked()
    def show(self, name: str) -> Record:
        """One record by id (or a place by any name): ``{"table", "record", "related"}``."""
        shown: Record = query.show(self.db, name)
        self._check(shown["table"], [shown["record"]])
        return shown

    @_checked(place=_text, depth=_count)
    def tree(self, place: str | None = None, *, depth: int | None = None) -> list[Record]:
        """The place hierarchy below ``place`` (from the top when None), as nested records
        ``{id, name, name_zh, kind, code, parent, related, targets, indicators, children: [...]}``,
        where ``targets`` and ``indicators`` count the facts about each place itself; ``depth``
        levels below the top at most (all when None)."""
        return query.tree(self.db, place, depth)

    @_checked()
    def progress(
        self,
        *,
        place: Places = None,
        year: int | str | tuple[int | None, int | None] | None = None,
        metric: str | None = None,
        sort: str | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Records:
        """Each target with the indicators that speak to it: ``{"target": {…}, "status": …,
        "why": …, "evidence": [{"indicator": {…}, "relation": "same place" | "within" |
        "containing", "timing": "before deadline" | "at deadline" | "after deadline" |
        "undated", "reaches": True | False | None, "ratio": indicator value / target value, or
        None where it would not mean that}]}``. Statuses and rules: docs/progress.md. ``sort``
        takes a column of ``policyq.provenance.PROGRESS_FIELDS`` (``-ratio``); ``limit`` counts
        targets."""
        from policyq import provenance

        lo, hi = years(year)
        items = provenance.progress(self.db, Filters(place=_names(place), year_from=lo, year_to=hi, metric=metric))
        return Records(provenance.order(items, sort, desc, limit), len(items))

    @overload
    def cite(self, name: str, *, style: Literal["text", "bibtex"] = "text") -> str: ...

    @overload
    def cite(self, name: str, *, style: Literal["csl"]) -> list[Record]: ...

    @_checked()
    def cite(self, name: str, *, style: str = "text") -> str | list[Record]:
        """The citation of the sources behind a fact, a place (all its sources) or a source:
        ``text`` (a reference to paste; a fact's quote above it) or ``bibtex`` as a string,
        ``csl`` as a list of CSL-JSON items."""
        from policyq import provenance

        return provenance.cite(self.db, name, style)

    @_checked()
    def ask(self, question: str, *, sort: str | None = None, desc: bool = False, limit: int | None = None) -> Answer:
        """A question in plain words, answered: the query it was read as (``answer.flags`` is the
        same query as a command line) and its records. A question about one place ("AIsland",
        "when was AIsland launched") is answered from its record, which ``answer.shown`` holds
        as :meth:`show` returns it. A question about a place's own figures ("GDP of Shandong")
        that finds none says in ``notes`` where the figures below it are, without giving them."""
        from policyq import ask

        built = self._built()
        q = ask.parse(
            question,
            built.places,
            sources=built.sources,
            sectors=built.sectors,
            probe=lambda table, options: len(getattr(self, table)(**options)),
            labels=built.labels,
        )
        if q.command == "show":
            shown = self.show(q.options["name"])
            record = shown["record"]
            if q.attribute == "sources":  # the sources themselves, as `sources` lists them
                cited = set(record.get("sources") or ())
                found = [s for s in self.sources(sort=sort, desc=desc) if s["id"] in cited]
                records = Records(found[:limit] if limit is not None else found, len(found))
                return Answer(q.command, "sources", q.options, records, q.explanation)
            if q.attribute:  # when it was established or designated, who designated it: fields of its record
                missing = q.missing(record)
                records = Records([] if missing else [record])
                return Answer(q.command, "zones", q.options, records, q.explanation, (missing,) if missing else (),
                              q.fields, shown, found=missing is None)  # fmt: skip
            return Answer(q.command, shown["table"], q.options, Records([record]), q.explanation, (), q.fields, shown)
        if q.attribute == "sources":  # the sources of the facts asked about
            cited = {r["source"] for r in getattr(self, q.command)(**q.options)}
            found = [s for s in self.sources(sort=sort, desc=desc) if s["id"] in cited]
            records = Records(found[:limit] if limit is not None else found, len(found))
            return Answer(q.command, "sources", q.options, records, q.explanation)
        if sort is None and q.order:  # a comparison: highest first
            sort = q.order
        records = getattr(self, q.command)(**q.options, sort=sort, desc=desc, limit=limit)
        notes = records.notes
        if not records and q.options.get("exact"):
            wider = {**q.options, "exact": False}
            if getattr(self, q.command)(**wider):
                notes += (
                    f"none about the place itself; for the places below it: {ask.command_line(q.command, wider)}",
                )
        answer = Records(records, records.total, notes)
        return Answer(q.command, q.table, q.options, answer, q.explanation, notes, q.fields, order=q.order)

    # --- writes -----------------------------------------------------------------------------

    @property
    def write_path(self) -> Path:
        """The file a write changes (never the bundled store)."""
        return store.write_path(self._arg)

    @_checked()
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
            name = _path(records) or ""
            label = "stdin" if name == "-" else name
            incoming = ingest.read_records(name, writes.read_input(name), input_format, table)
        else:
            label = "records"
            if isinstance(records, (set, frozenset, bytes)) or not isinstance(records, Iterable):
                raise _wrong("records", "a file path, a dict of tables or a list of records", records)
            data = records if isinstance(records, dict) else list(records)

            def refuse(value: Any) -> Any:
                raise _wrong("records", "values a store can hold (text, numbers, lists, dicts, None)", value)

            try:
                text = json.dumps(data, ensure_ascii=False, default=refuse)
            except (ValueError, RecursionError) as exc:  # a circular or far too deep structure
                raise UsageError(f"records= cannot be read as records: {exc}") from None
            incoming = ingest.read_records("records.json", text, "json", table)
        self._db = None
        return writes.import_records(
            self.write_path, incoming, label, replace=replace, skip_existing=skip_existing, dry_run=dry_run
        )

    @_checked()
    def remove(self, record_id: str) -> str:
        """Remove a record nothing else refers to; returns the table it was in."""
        from policyq import writes

        self._db = None
        return writes.remove(self.write_path, record_id)

    @_checked()
    def validate(self) -> list[Any]:
        """Every problem in the store (an empty list when it is valid)."""
        from policyq import writes

        return writes.validate(self.path)[1]

    @classmethod
    def init(cls, path: str | os.PathLike[str] | None = None, *, force: bool = False) -> Store:
        """Create a store from the bundled one (default: the user store) and open it."""

        _flag("force", force)
        return cls(store.init_store(_path(path), force=force))
