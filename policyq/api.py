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
from typing import TYPE_CHECKING, Any, Literal, TypedDict, TypeVar, overload

from policyq import query
from policyq.choices import PROGRESS_FIELDS, SEARCH_RESULT_FIELDS, TREE_ROW_FIELDS
from policyq.errors import UsageError
from policyq.model import Problem
from policyq.query import Filters
from policyq.schema import FIELDS, PARK_KINDS
from policyq.storage import adapter, files, paths, reading

if TYPE_CHECKING:
    from tinydb import TinyDB
    from typing_extensions import Unpack

    from policyq.extract.draft import Draft
    from policyq.extract.review import Session
    from policyq.places import Places as PlaceIndex
    from policyq.writes import ImportResult

Record = dict[str, Any]
Places = str | Iterable[str] | None


class Records(list[Record]):
    """Records of a listing: a plain list, plus ``total``, the number matched before ``limit``;
    ``notes``, what the listing covered beyond what was asked (a zone's places via ``related``);
    ``table``, what its rows are (a store table, or ``search``, ``tree``, ``progress``);
    ``fields``, the fields ``--fields`` and ``sort`` may name; and ``noun``, what to call them
    ("parks", "targets", "records")."""

    total: int
    notes: tuple[str, ...]
    table: str
    fields: tuple[str, ...]
    noun: str

    def __init__(
        self,
        records: Iterable[Record],
        total: int | None = None,
        notes: Iterable[str] = (),
        *,
        table: str = "",
        fields: Iterable[str] = (),
        noun: str = "",
    ) -> None:
        super().__init__(records)
        self.total = len(self) if total is None else total
        self.notes = tuple(notes)
        self.table = table
        self.fields = tuple(fields) or FIELDS.get(table, ())
        self.noun = noun or table


@dataclass(frozen=True)
class Validation:
    """What :meth:`Store.validate` found: the ``store`` checked, its ``counts`` of records per
    table, and every problem (``table``, ``record``, ``field``, ``message``); ``valid`` when
    there is none."""

    store: Path
    counts: dict[str, int]
    problems: list[Problem]

    @property
    def valid(self) -> bool:
        return not self.problems


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


class ZoneFilters(TypedDict, total=False):
    """The filters of :meth:`Store.zones` and :meth:`Store.parks`, declared once: each is the
    command-line flag of the same name (``place`` is ``--in``)."""

    place: Places
    sector: str | None
    source: str | None


class FactFilters(ZoneFilters, total=False):
    """The filters :meth:`Store.targets` and :meth:`Store.indicators` share, declared once: the
    zone filters and these (``min_value`` is ``--min``)."""

    year: int | str | tuple[int | None, int | None] | None
    metric: str | None
    min_value: Amount
    max_value: Amount
    above: Amount
    below: Amount
    unit: str | None
    exact: bool


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


def _rest(filters: ZoneFilters) -> dict[str, Any]:
    """The filters but the place, as ``Filters`` takes them."""
    return {k: v for k, v in filters.items() if k != "place"}


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


Check = Callable[[str, Any], Any]


def _must(want: str, ok: Callable[[Any], bool]) -> Check:
    """A check that lets a value ``ok`` accepts through and refuses any other as not ``want``."""

    def check(name: str, value: Any) -> Any:
        if not ok(value):
            raise _wrong(name, want, value)
        return value

    return check


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_text = _must("text or None", lambda v: v is None or isinstance(v, str))
_required_text = _must("text", lambda v: isinstance(v, str))
_flag = _must("True or False", lambda v: isinstance(v, bool))
_count = _must("a whole number or None", lambda v: v is None or _whole(v))


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


_ARGUMENTS: dict[str, Check] = {
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


def _checked(keys: type | None = None, **own: Check) -> Callable[[Method], Method]:
    """A public method of ``Store`` whose arguments are checked (by ``_ARGUMENTS``, or ``own``
    for this method; those of its ``**filters`` must be ``keys``, a TypedDict), and which sees
    the store as it is when it is called."""

    def wrap(method: Method) -> Method:
        import inspect

        signature = inspect.signature(method)
        checks = {name: own.get(name) or _ARGUMENTS.get(name) for name in signature.parameters}
        more = next((p.name for p in signature.parameters.values() if p.kind is p.VAR_KEYWORD), None)
        named = list(getattr(keys, "__annotations__", {}))

        @functools.wraps(method)
        def checked(self: Store, *args: Any, **kwargs: Any) -> Any:
            bound = signature.bind(self, *args, **kwargs)
            for name, value in bound.arguments.items():
                check = checks.get(name)
                if check is not None:
                    bound.arguments[name] = check(name, value)
            for name, value in bound.arguments.get(more or "", {}).items():  # **filters: Unpack[keys]
                if name not in named:
                    valid = [n for n in signature.parameters if n not in ("self", more)]
                    raise UsageError(
                        f"{method.__name__}() takes no argument {name}=; valid: {', '.join(valid + named)}"
                    )
                bound.arguments[more or ""][name] = _ARGUMENTS[name](name, value)
            if self._calls == 0:
                self._refresh()
            self._calls += 1
            try:
                return method(*bound.args, **bound.kwargs)
            finally:
                self._calls -= 1
                if self._calls == 0:
                    self._keep_derived()

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


# What is derived from a store's contents (its place index, the sectors its zones name) is kept
# for the next call, and the next Store opened on the same file in this process, while the file
# is unchanged: a notebook or a service asking many questions builds them once. The file is
# known by the identity ``Store._refresh`` uses to see another writer's changes.
_DERIVED: dict[tuple[str, tuple[int, ...]], dict[str, Any]] = {}
_DERIVED_KEPT = 2  # stores whose derived data is kept (the most recently used)


@dataclass(frozen=True)
class _Built:
    """What ``ask`` reads from one store file besides its records and its place index (kept
    beside it): the source ids, the sectors of its zones and the wording of its figures."""

    sources: list[str]
    sectors: set[str]
    labels: list[tuple[str, str, str]]  # each figure's metric, family and wording


class Store:
    """A policyq store. ``Store()`` opens the one queries read by default (``$POLICYQ_STORE``,
    else the user store, else the bundled one); ``Store(path)`` another. Reads happen on first
    use; each call sees the store as it is then."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self._arg = _path(path)
        self.path: Path = Path(paths.read_path(self._arg, files.notice))
        self._db: TinyDB | None = None
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
    def db(self) -> TinyDB:
        """The TinyDB the queries read (opened on first use, read-only)."""
        if self._db is None:
            self._db = adapter.open_db(self.path)
            index = self._derived().get("places")
            if index is not None:
                query.keep_places(self._db, index)
        return self._db

    def _derived(self) -> dict[str, Any]:
        """What is derived from this store's file as it is now, shared with other Store objects
        on the same unchanged file; nothing is kept when the file could not be identified."""
        if self._seen is None:
            return {}
        key = (str(self.path), self._seen)
        kept = _DERIVED.pop(key, None) or {}
        _DERIVED[key] = kept  # the most recently used last
        while len(_DERIVED) > _DERIVED_KEPT:
            del _DERIVED[next(iter(_DERIVED))]
        return kept

    def _keep_derived(self) -> None:
        index = query.kept_places(self._db) if self._db is not None else None
        if index is not None:
            self._derived()["places"] = index

    def _built(self) -> _Built:
        """What ``ask`` reads from the store besides its records, built once per file as it is."""
        derived = self._derived()
        built: _Built | None = derived.get("ask")
        if built is None:
            facts = [r for t in ("targets", "indicators") for r in self.db.table(t).all()]
            labels = [(str(r.get("metric") or ""), str(r.get("family") or ""), str(r.get("metric_label") or ""))
                      for r in facts]  # fmt: skip
            built = derived["ask"] = _Built(
                [s["id"] for s in self.db.table("sources").all()],
                {s for z in self.db.table("zones").all() for s in z.get("sectors") or () if isinstance(s, str)},
                labels,
            )
        return built

    @_checked()
    def places(self) -> PlaceIndex:
        """The index of places by id, name, alias and Chinese name (``policyq.places.Places``)."""
        return query.places(self.db)

    @_checked()
    def names(self) -> dict[str, dict[str, str]]:
        """What a table shows for an id: ``{"zones": {id: name}}``."""
        return {"zones": {zid: z["name"] for zid, z in query.places(self.db).by_id.items()}}

    def _check(self, table: str, records: list[Record]) -> None:
        """Warn, once for this Store, when what a query returns breaks the rules of ``validate``."""
        if not self._warned:
            self._warned = reading.check_returned(self.path, table, records, self.db.storage.read() or {})

    def _listing(
        self,
        table: str,
        records: list[Record],
        sort: str | None,
        desc: bool,
        limit: int | None,
        f: Filters | None = None,
        noun: str = "",
    ) -> Records:
        self._check(table, records)
        total = len(records)
        notes = query.scope_notes(self.db, f) if f is not None else ()
        fields = SEARCH_RESULT_FIELDS if table == "search" else FIELDS[table]
        ordered = query.order(records, table, sort, desc, limit)
        return Records(ordered, total, notes, table=table, fields=fields, noun=noun)

    # --- listings -------------------------------------------------------------------------

    @_checked(ZoneFilters)
    def zones(
        self,
        *,
        kind: str | Iterable[str] | None = None,
        sort: str | None = None,
        desc: bool = False,
        limit: int | None = None,
        **filters: Unpack[ZoneFilters],
    ) -> Records:
        """Places below ``place`` (all places when None), of ``kind``, with ``sector``, citing ``source``."""
        f = Filters(place=_names(filters.get("place")), kinds=_names(kind), **_rest(filters))
        return self._listing("zones", query.list_zones(self.db, f), sort, desc, limit, f)

    @_checked(ZoneFilters)
    def parks(
        self, *, sort: str | None = None, desc: bool = False, limit: int | None = None, **filters: Unpack[ZoneFilters]
    ) -> Records:
        """Industrial parks (zones of kind ``park`` or ``park_group``) below ``place``."""
        f = Filters(place=_names(filters.get("place")), kinds=PARK_KINDS, **_rest(filters))
        return self._listing("zones", query.list_zones(self.db, f), sort, desc, limit, f, "parks")

    def _facts(
        self, table: str, due_by: int | None, sort: str | None, desc: bool, limit: int | None, filters: dict[str, Any]
    ) -> Records:
        kw = filters
        lo, hi = years(kw.pop("year", None))
        if due_by is not None:
            hi = due_by if hi is None else min(hi, due_by)
        bounds, named = amounts(**{k: kw.pop(k, None) for k in ("min_value", "max_value", "above", "below")})
        unit = kw.pop("unit", None)
        if named and unit and named.casefold() != unit.casefold():
            raise UsageError(f"--unit {unit} but the amounts are in {named}")
        f = Filters(
            place=_names(kw.pop("place", None)), year_from=lo, year_to=hi, unit=unit or named,
            min_value=bounds["min_value"], max_value=bounds["max_value"], above=bounds["above"], below=bounds["below"],
            **kw,
        )  # fmt: skip
        return self._listing(table, query.list_facts(self.db, table, f), sort, desc, limit, f)

    @_checked(FactFilters)
    def targets(
        self,
        *,
        due_by: int | None = None,
        sort: str | None = None,
        desc: bool = False,
        limit: int | None = None,
        **filters: Unpack[FactFilters],
    ) -> Records:
        """Numbers someone committed to reach, about ``place`` (one or several) or anything
        below them (``exact``: about them only), due by ``due_by``; the filters are
        :class:`FactFilters`. Bounds take numbers or amounts ('100bn'); ``above``/``below`` are
        strict."""
        return self._facts("targets", due_by, sort, desc, limit, dict(filters))

    @_checked(FactFilters)
    def indicators(
        self, *, sort: str | None = None, desc: bool = False, limit: int | None = None, **filters: Unpack[FactFilters]
    ) -> Records:
        """Numbers reported as fact, about ``place`` (one or several) or anything below them;
        the same filters as :meth:`targets` (:class:`FactFilters`)."""
        return self._facts("indicators", None, sort, desc, limit, dict(filters))

    @_checked()
    def sources(self, *, sort: str | None = None, desc: bool = False, limit: int | None = None) -> Records:
        """The source documents."""
        return self._listing("sources", query.list_sources(self.db), sort, desc, limit)

    @_checked()
    def search(self, text: str, *, sort: str | None = None, desc: bool = False, limit: int | None = None) -> Records:
        """Records whose names, aliases, metrics, sectors or notes contain ``text``."""
        return self._listing("search", query.search(self.db, text), sort, desc, limit, noun="records")

    @_checked()
    def show(self, name: str) -> Record:
        """One record by id (or a place by any name): ``{"table", "record", "related"}``."""
        shown: Record = query.show(self.db, name)
        self._check(shown["table"], [shown["record"]])
        return shown

    @_checked(place=_text, depth=_count)
    def tree(self, place: str | None = None, *, depth: int | None = None) -> Records:
        """The place hierarchy below ``place`` (from the top when None), as nested records
        ``{id, name, name_zh, kind, code, parent, related, targets, indicators, children: [...]}``,
        where ``targets`` and ``indicators`` count the facts about each place itself; ``depth``
        levels below the top at most (all when None). Its ``fields`` are those of a flat row per
        place (with ``depth`` and ``path``)."""
        return Records(query.tree(self.db, place, depth), table="tree", fields=TREE_ROW_FIELDS, noun="places")

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
        takes a column of the result's ``fields`` (``-ratio``); ``limit`` counts targets."""
        from policyq import provenance

        lo, hi = years(year)
        items = provenance.progress(self.db, Filters(place=_names(place), year_from=lo, year_to=hi, metric=metric))
        ordered = provenance.order(items, sort, desc, limit)
        return Records(ordered, len(items), table="progress", fields=PROGRESS_FIELDS, noun="targets")

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
            self.places(),
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
                records = Records(found[:limit] if limit is not None else found, len(found), table="sources")
                return Answer(q.command, "sources", q.options, records, q.explanation)
            if q.attribute:  # when it was established or designated, who designated it: fields of its record
                missing = q.missing(record)
                records = Records([] if missing else [record], table="zones")
                return Answer(q.command, "zones", q.options, records, q.explanation, (missing,) if missing else (),
                              q.fields, shown, found=missing is None)  # fmt: skip
            return Answer(
                q.command,
                shown["table"],
                q.options,
                Records([record], table=shown["table"]),
                q.explanation,
                (),
                q.fields,
                shown,
            )
        if q.attribute == "sources":  # the sources of the facts asked about
            cited = {r["source"] for r in getattr(self, q.command)(**q.options)}
            found = [s for s in self.sources(sort=sort, desc=desc) if s["id"] in cited]
            records = Records(found[:limit] if limit is not None else found, len(found), table="sources")
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
        answer = Records(records, records.total, notes, table=records.table, fields=records.fields, noun=records.noun)
        return Answer(q.command, q.table, q.options, answer, q.explanation, notes, q.fields, order=q.order)

    # --- writes -----------------------------------------------------------------------------

    @property
    def write_path(self) -> Path:
        """The file a write changes (never the bundled store)."""
        return Path(paths.write_path(self._arg))

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
    ) -> ImportResult:
        """Validate and add records, all or nothing: a file path (JSON, JSON lines, CSV), a dict
        of tables ``{"targets": [...]}``, or a list of records of ``table``. Returns what was
        added, replaced and skipped (with ``dry_run``, what would be); a refusal raises
        :class:`policyq.errors.ImportRefused`, whose ``details`` list every problem."""
        from policyq import ingest, writes

        if isinstance(records, (str, os.PathLike)):
            name = _path(records) or ""
            label = "stdin" if name == "-" else name
            incoming = ingest.read_records(name, writes.read_input(name), input_format, table)
        else:
            label = ingest.RECORDS
            if isinstance(records, (set, frozenset, bytes)) or not isinstance(records, Iterable):
                raise _wrong("records", "a file path, a dict of tables or a list of records", records)
            incoming = ingest.from_objects(records if isinstance(records, dict) else list(records), table)
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
    def validate(self) -> Validation:
        """The store checked whole: its counts of records per table and every problem in it
        (``.valid`` when there is none)."""
        from policyq import writes

        counts, problems = writes.validate(self.path)
        return Validation(self.path, counts, problems)

    @_checked(path=_required_text)
    def export_sqlite(self, path: str, *, force: bool = False) -> dict[str, int]:
        """Write every table to the SQLite file ``path`` (replaced only with ``force``); how many
        records each table got."""
        from policyq.export import to_sqlite

        return to_sqlite(self, path, force=force)

    @_checked(file=_required_text, lang=_required_text, source=_text)
    def extract(
        self,
        file: str,
        *,
        lang: str = "auto",
        source: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Draft:
        """The draft of the document ``file`` ('-' for stdin): a candidate record for each
        figure, its places and sources read against this store (``policyq.extract``)."""
        from policyq.extract import extract_file
        from policyq.extract.subject import Gazetteer

        zones = self.places().records()  # whole: a subject is matched by more than its names
        sources = list(self.sources())
        taken = [r["id"] for r in (*self.targets(), *self.indicators(), *sources, *zones)]
        derived = self._derived()  # the gazetteer of these zones, built once per file as it is
        gazetteer = derived.get("gazetteer")
        if gazetteer is None:
            gazetteer = derived["gazetteer"] = Gazetteer(zones)
        return extract_file(file, gazetteer, sources, taken, lang=lang, source=source, progress=progress)

    @classmethod
    def init(cls, path: str | os.PathLike[str] | None = None, *, force: bool = False) -> Store:
        """Create a store from the bundled one (default: the user store) and open it."""

        from policyq import writes

        _flag("force", force)
        return cls(writes.init_store(_path(path), force=force))


def review(draft: str, output: str | None = None) -> Session:
    """A review of the draft file ``draft`` (from ``policyq extract -o jsonl``), resumed where it
    was left; accepted records go to ``output`` (default: beside the draft, ``.accepted.jsonl``)."""
    from policyq.extract.review import Session

    return Session.open(draft, output)
