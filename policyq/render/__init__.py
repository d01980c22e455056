"""Turning what a command found into text. Every command prints through one function,
:func:`output`, given a :class:`View` (a listing, one record, or the place tree) and the
output options.

Formats: ``table`` (the human views: width-aware listings, record cards, the place tree, bar
charts), ``json``, ``jsonl``, ``csv``, ``tsv`` and ``markdown`` (alias ``md``). The data
formats carry the stored fields as they are; only human views and markdown make numbers human
("over CNY 1.5 tn"). Renderers know nothing of the CLI, and the human views are imported only
when one is drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, Protocol

from policyq.choices import FORMATS
from policyq.errors import UsageError
from policyq.render.data import as_data, cell, jq_text, select, to_csv, to_json, to_jsonl, to_markdown, to_tsv

if TYPE_CHECKING:
    from policyq.render.cells import Block
    from policyq.render.human import Lookup


__all__ = [
    "FORMATS",
    "View",
    "cell",
    "counted",
    "draw",
    "jq_text",
    "output",
    "resolve_format",
    "store_lookup",
    "to_csv",
    "to_json",
    "to_jsonl",
    "to_markdown",
    "to_tsv",
    "width",
]

ALIASES = {"md": "markdown"}
Record = dict[str, Any]


def resolve_format(fmt: str | None, as_json: bool, isatty: bool) -> str:
    """The format to print: ``--json``, else ``--format``, else a table on a terminal and TSV when piped."""
    chosen = "json" if as_json else fmt
    if chosen is None:
        return "table" if isatty else "tsv"
    chosen = ALIASES.get(chosen, chosen)
    if chosen not in FORMATS:
        raise UsageError(f"unknown format '{chosen}'; valid formats: {', '.join(FORMATS)} (md for short)")
    return chosen


def field_list(fields: str | None, table: str, valid: Sequence[str]) -> list[str] | None:
    """``--fields`` as a list of valid field names, in the order given; None when not given."""
    if not fields:
        return None
    wanted = [f.strip() for f in fields.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in valid]
    if unknown or not wanted:
        what = f"unknown field '{unknown[0]}'" if unknown else "no fields given"
        raise UsageError(f"{what} for {table}; valid fields: {','.join(valid)}")
    return wanted


class _PlaceNames(Mapping[str, str]):
    """Place names by id, asked of the store's place index one at a time: a listing names a few
    places (and a listing of sources none, so the index is never read)."""

    def __init__(self, store: Any) -> None:
        self._store = store

    def __getitem__(self, zid: str) -> str:
        head = self._store.places().by_id.get(zid)
        if head is None:
            raise KeyError(zid)
        name: str = head["name"]
        return name

    def __iter__(self) -> Iterator[str]:
        return iter(self._store.places().by_id)

    def __len__(self) -> int:
        return len(self._store.places().by_id)


def store_lookup(store: Any) -> Callable[[], Lookup]:
    """What human views show for ids, read from ``store`` (a ``policyq.Store``) when first needed."""

    def make() -> Lookup:
        from policyq.render.human import Lookup

        lookup = Lookup(_PlaceNames(store), {s["id"]: s for s in store.sources()})
        lookup.tree = store.tree
        return lookup

    return make


class View:
    """What a command found.

    ``kind`` is ``listing`` (``data``: records of ``table``), ``record`` (``data``: the
    ``{"table", "record", "related"}`` of ``show``) or ``tree`` (``data``: nested places).
    ``valid`` are the fields ``--fields`` may name; ``total`` is how many matched before
    ``--limit``; ``lookup`` gives names for ids, read only when a human view needs them.
    """

    def __init__(
        self,
        kind: str,
        table: str,
        data: Any,
        valid: Sequence[str],
        noun: str = "records",
        total: int | None = None,
        limit: int | None = None,
        lookup: Callable[[], Lookup] | None = None,
    ) -> None:  # a plain class: a dataclass costs start-up time on every command
        self.kind, self.table, self.data, self.valid = kind, table, data, valid
        self.noun, self.total, self.limit, self.lookup = noun, total, limit, lookup
        self.match: str | None = None  # what a search looked for: its excerpts are centred on it


class Env(Protocol):
    """Where output goes (``policyq.env.Environment``)."""

    @property
    def stdout(self) -> IO[str]: ...

    @property
    def stdout_isatty(self) -> bool: ...

    def write(self, text: str) -> None: ...


def output(env: Env, options: Any, view: View) -> int:
    """Print ``view`` in the format ``options`` ask for (``format``, ``json``, ``fields``,
    ``wide``, ``no_header``, ``chart``; any missing is off); returns how many records it
    printed, so that the caller can say when nothing matched."""

    def opt(name: str) -> Any:
        return getattr(options, name, None)

    chart = bool(opt("chart")) and view.kind == "listing"
    if chart and opt("format") is None and not opt("json"):
        fmt = "table"  # a chart was asked for, even through a pipe
    else:
        fmt = resolve_format(opt("format"), bool(opt("json")), env.stdout_isatty)
    fields = field_list(opt("fields"), view.table, view.valid)
    header = not opt("no_header")
    if view.kind == "record":
        text, count = _record(env, view, fmt, fields, header, bool(opt("wide")), bool(opt("csv_safe")))
    else:
        records = view.data
        if view.kind == "progress":  # targets with their evidence; flat rows but for JSON
            from policyq.provenance import flatten

            if fmt in ("json", "jsonl") and not fields:
                env.write((to_json if fmt == "json" else to_jsonl)(view.data))
                return len(view.data)
            records = flatten(view.data)
        if view.kind == "tree":
            from policyq.render import tree

            if fmt == "json":
                env.write(tree.to_json(tree.select(view.data, fields)))
                return len(tree.flatten(view.data))
            records = tree.flatten(view.data)
        text = _listing(env, view, records, fmt, fields, header, bool(opt("wide")), chart, bool(opt("csv_safe")))
        count = len(records)
    if text:
        env.write(text)
    return count


def counted(n: int, noun: str) -> str:
    """``n`` with its noun, singular for one: "1 park", "3 parks"."""
    return f"{n} {noun.removesuffix('s') if n == 1 else noun}"


def width(env: Env) -> int:
    """The width human views are drawn to for ``env``'s stdout."""
    from policyq.render.cells import terminal_width

    return max(20, terminal_width(env.stdout))


def draw(env: Env, block: Block, size: int) -> str:
    """A human view as rich draws it for ``env``'s stdout (rich is imported here, not before;
    not at all when rich would print no colour and the view is plain text it can be drawn as)."""
    from policyq.render import plain

    codes = plain.styles(env.stdout)
    drawn = plain.draw(block.lines, size, codes) if codes is not None else None
    if drawn is not None:
        return drawn
    from policyq.render import screen

    return screen.draw(block.lines, size, env.stdout)


def _lookup(view: View) -> Lookup:
    from policyq.render.human import Lookup

    return view.lookup() if view.lookup else Lookup()


def _listing(
    env: Env,
    view: View,
    records: Sequence[Record],
    fmt: str,
    fields: list[str] | None,
    header: bool,
    wide: bool,
    chart: bool,
    csv_safe: bool = False,
) -> str:
    columns = fields or list(view.valid)
    text = as_data(fmt, select(records, fields), columns, header, csv_safe)
    if text is not None:
        return text
    if not records:
        return ""
    from policyq.render import table

    lookup = _lookup(view)
    lookup.match = view.match
    if view.kind == "progress" and not fields:
        from policyq.render import progress

        if fmt == "markdown":
            return progress.markdown(view.data, lookup)
        size = width(env)
        title = progress.title(view.data, table.summary(len(view.data), view.total, view.noun, view.limit))
        return draw(env, progress.draw(view.data, lookup, size, title), size)
    if view.kind == "tree" and not fields:
        from policyq.render import tree

        if fmt == "markdown":
            return tree.markdown(view.data, lookup)
        size = width(env)
        return draw(env, tree.draw(view.data, lookup, size, wide, header), size)
    specs = table.specs(view.table, fields or (None if view.table in table.COLUMNS else columns))
    if fmt == "markdown":
        cols = [c for c in table.columns(records, specs, lookup) if fields or any(x.strip() for x in c.cells)]
        return to_markdown([c.header for c in cols], list(zip(*(c.cells for c in cols), strict=True)))
    size = width(env)
    title = table.summary(len(records), view.total, view.noun, view.limit)
    if chart:
        from policyq.render import chart as bars

        return draw(env, bars.draw(records, lookup, size, title), size)
    block = table.listing(records, view.table, lookup, size=size, title=title, fields=fields, wide=wide, header=header)
    return draw(env, block, size)


def _record(
    env: Env, view: View, fmt: str, fields: list[str] | None, header: bool, wide: bool, csv_safe: bool = False
) -> tuple[str, int]:
    shown = view.data
    record = {f: shown["record"].get(f) for f in fields} if fields else shown["record"]
    if fmt == "json":
        return to_json({**shown, "record": record}), 1
    if fmt == "jsonl":
        return to_jsonl([{**shown, "record": record}]), 1
    if fmt == "csv":
        return to_csv([record], list(record), header, safe=csv_safe), 1
    if fmt == "tsv":
        return to_tsv([record], list(record), header, safe=csv_safe), 1
    from policyq.render import card

    lookup = _lookup(view)
    built = card.build(shown, lookup, fields)
    if fmt == "markdown":
        return card.markdown(built, lookup), 1
    size = width(env)
    return draw(env, card.draw(built, lookup, size, wide), size), 1
