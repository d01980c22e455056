"""The policyq command line: an adapter only. It parses options, calls the ``Store`` API
(``policyq.api``) and hands the result to one output function. No storage access and no
business rules here; errors become exit codes in one place (``PolicyqGroup.main``).

Annotations here are real objects, not strings (no ``from __future__ import annotations``):
Typer reads them on every call, and evaluating string annotations costs ~20 ms of start-up.
"""

import contextlib
import functools
import inspect
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from policyq import __version__, render
from policyq.api import Records, Store
from policyq.env import Environment
from policyq.errors import ExitCode, PolicyqError, StoreWarning
from policyq.model import FIELDS, KINDS, UNITS
from policyq.query import SEARCH_RESULT_FIELDS


class PolicyqGroup(TyperGroup):
    """The one place that turns errors into a line on stderr and an exit code."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        import warnings

        env = kwargs.get("obj") if isinstance(kwargs.get("obj"), Environment) else None
        with warnings.catch_warnings():
            warnings.simplefilter("always", StoreWarning)  # the store module says each thing once
            shown = warnings.showwarning

            def show(message: Any, category: type[Warning], *rest: Any, **kw: Any) -> None:
                if issubclass(category, StoreWarning):
                    (env or Environment()).log(str(message))
                else:
                    shown(message, category, *rest, **kw)

            warnings.showwarning = show
            code = self._run(env, args, kwargs)
        return self._finish(code, standalone_mode)

    def _run(self, env: Environment | None, args: Any, kwargs: Any) -> Any:
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[misc]
        except PolicyqError as exc:
            code = _fail(env, str(exc), exc.code)
        except typer.TyperException as exc:  # click's usage errors: bad option, bad value
            if type(exc).__name__ == "NoArgsIsHelpError":  # bare 'policyq': the help, as a usage error
                sys.stderr.write(exc.format_message() + "\n")
                return ExitCode.USAGE
            ctx = getattr(exc, "ctx", None)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            code = _fail(env, exc.format_message() + hint, getattr(exc, "exit_code", ExitCode.USAGE))
        except (typer.Abort, KeyboardInterrupt):  # Ctrl-C: the terminal showed ^C; nothing to add
            code = ExitCode.INTERRUPTED
        except BrokenPipeError:
            # The reader went away (`| head -1`): stop quietly, and keep Python from
            # complaining when it flushes stdout at exit.
            _silence_stdout()
            code = ExitCode.OK
        except (RecursionError, MemoryError, OverflowError, UnicodeError) as exc:
            what = next(text for kind, text in _LIMITS.items() if isinstance(exc, kind))
            code = _fail(env, f"cannot finish: {what} ({type(exc).__name__}: {exc})", ExitCode.STORE)
        except OSError as exc:  # e.g. output to a full disk
            _silence_stdout()
            code = _fail(env, f"cannot finish: {exc.strerror or exc}", ExitCode.STORE)
        except Exception as exc:  # a record of the wrong shape in a store nobody validated, or a bug
            what = f"cannot finish ({type(exc).__name__}: {exc})"
            code = _fail(env, f"{what}; if 'policyq validate' finds no problem, it is a bug", ExitCode.STORE)
        return code

    @staticmethod
    def _finish(code: Any, standalone_mode: bool) -> int:
        code = int(code or 0)
        if standalone_mode:
            sys.exit(code)
        return code


# What Python's own limits mean here: the data was more than policyq can handle. Never a traceback.
_LIMITS: dict[type[BaseException], str] = {
    RecursionError: "the data is nested too deeply",
    MemoryError: "the store is too large for this machine's memory",
    OverflowError: "a number is too large to handle ('policyq validate' names the record)",
    UnicodeError: "text that is not valid Unicode ('policyq validate' names the record)",
}


def _silence_stdout() -> None:
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _fail(env: Environment | None, message: str, code: int) -> int:
    (env or Environment()).log_error(message)
    return int(code)


HELP = """Query the facts of China's regional industrial policy: zones, parks, targets and
indicators, each traced to its source.

\b
Examples:
  policyq parks --in Pudong
  policyq targets --year 2025 --metric output
  policyq indicators --in Qingdao --json
  policyq ask "targets due by 2025 in Lingang"
  policyq show aisland

\b
Output: a table on a terminal, tab-separated with a header when piped;
-o/--format table|json|jsonl|csv|tsv|markdown (or --json) to choose.
Store: --store PATH, else $POLICYQ_STORE, else the user store made by
'policyq init', else the bundled store.

\b
Exit codes:
    0  results found (or the command succeeded)
    1  nothing matched
    2  usage error: bad option or value, unknown name or field, refused import
    3  store error: missing, unreadable, not JSON, invalid or locked
  130  interrupted (Ctrl-C)
"""

app = typer.Typer(
    cls=PolicyqGroup,
    help=HELP,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


# --- completion -----------------------------------------------------------------------------

# Completions are plain values: with help text, Typer renders it through rich for zsh, fish
# and PowerShell, which doubles the time of every TAB.


def complete_place(ctx: typer.Context, incomplete: str) -> list[str]:
    try:
        return Store(ctx.params.get("store_path")).places().completions(incomplete)
    except PolicyqError:
        return []


def complete_metric(ctx: typer.Context, incomplete: str) -> list[str]:
    """The metrics and families of the command's own table (both tables for ask)."""
    from policyq import complete

    try:
        return complete.metric_values(ctx.info_name or "", str(Store(ctx.params.get("store_path")).path), incomplete)
    except (PolicyqError, OSError, ValueError):
        return []


def complete_sector(ctx: typer.Context, incomplete: str) -> list[str]:
    from policyq import complete

    try:
        zones = complete.read_tables(str(Store(ctx.params.get("store_path")).path), ("zones",))["zones"]
    except (PolicyqError, OSError, ValueError):
        zones = []
    return complete.sector_values(zones, incomplete)


def complete_unit(incomplete: str) -> list[str]:
    return [u for u in UNITS if u.casefold().startswith(incomplete.casefold())]


def complete_kind(incomplete: str) -> list[str]:
    return [k for k in KINDS if k.startswith(incomplete)]


def complete_format(incomplete: str) -> list[str]:
    return [f for f in render.FORMATS if f.startswith(incomplete)]


def complete_style(incomplete: str) -> list[str]:
    from policyq.provenance import STYLES

    return [s for s in STYLES if s.startswith(incomplete)]


def _field_completer(table: str) -> Callable[[str], list[str]]:
    def complete(incomplete: str) -> list[str]:
        done, _, last = incomplete.rpartition(",")
        prefix = done + "," if done else ""
        fields = FIELDS.get(table) or SEARCH_RESULT_FIELDS
        if table == "progress":
            from policyq.provenance import PROGRESS_FIELDS as fields
        return [prefix + f for f in fields if f.startswith(last) and f not in done.split(",")]

    return complete


# --- options --------------------------------------------------------------------------------

StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store", metavar="PATH", help="Store to use (default: $POLICYQ_STORE, the user store, or the bundled one)."
    ),
]
InOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--in",
        metavar="PLACE",
        help="Only PLACE and what lies below it (id, name, alias or Chinese name); repeat for several."
        " A zone spanning several places (Jinan-Qingdao) includes theirs, and says so.",
        autocompletion=complete_place,
    ),
]
YearOpt = Annotated[
    str | None,
    typer.Option(
        "--year",
        metavar="YEAR",
        help="Deadline (targets) or period (indicators): 2025, or a range 2020-2025, 2022- or -2025.",
    ),
]
MetricOpt = Annotated[
    str | None,
    typer.Option(
        "--metric",
        metavar="TEXT",
        help="Only figures of this metric: a metric name or family (output, enterprises), everyday words"
        " (companies, growth rate) or the source's own words (robot density); word order and plurals do"
        " not matter.",
        autocompletion=complete_metric,
    ),
]
SectorOpt = Annotated[
    str | None,
    typer.Option(
        "--sector",
        metavar="TEXT",
        help="Only records in this sector, by any common name (AI, 人工智能, chips, IC, metaverse, data).",
        autocompletion=complete_sector,
    ),
]
SourceOpt = Annotated[str | None, typer.Option("--source", metavar="ID", help="Only records citing this source id.")]
_AMOUNT_HELP = "in the record's unit: 1e11, 100bn, 1.5tn, 100亿, 1,000, 7.4%"
MinOpt = Annotated[
    str | None, typer.Option("--min", metavar="AMOUNT", help=f"Only figures of at least AMOUNT ({_AMOUNT_HELP}).")
]
MaxOpt = Annotated[str | None, typer.Option("--max", metavar="AMOUNT", help="Only figures of at most AMOUNT.")]
AboveOpt = Annotated[
    str | None,
    typer.Option("--above", metavar="AMOUNT", help="Only figures over AMOUNT ('over 100 bn' counts as over 100bn)."),
]
BelowOpt = Annotated[str | None, typer.Option("--below", metavar="AMOUNT", help="Only figures under AMOUNT.")]
UnitOpt = Annotated[
    str | None,
    typer.Option(
        "--unit", metavar="UNIT", help=f"Only figures in UNIT: {', '.join(UNITS)}.", autocompletion=complete_unit
    ),
]
ExactOpt = Annotated[
    bool, typer.Option("--exact", help="Only figures about the --in places themselves, not the places below them.")
]
ChartOpt = Annotated[
    bool, typer.Option("--chart", help="Draw a bar chart instead of the table (bars scaled within each unit).")
]


@dataclass(frozen=True)
class Output:
    """The output options every listing shares (declared once, in ``_output_params``)."""

    store_path: str | None = None
    format: str | None = None
    json: bool = False
    fields: str | None = None
    wide: bool = False
    no_header: bool = False
    csv_safe: bool = False
    no_pager: bool = False
    sort: str | None = None
    desc: bool = False
    limit: int | None = None
    chart: bool = False


def _output_params(table: str, listing: bool) -> list[inspect.Parameter]:
    """The shared output options, as parameters Typer reads from a command's signature."""
    options: list[tuple[str, Any, Any]] = [
        ("store_path", StoreOpt, None),
        (
            "format",
            Annotated[
                str | None,
                typer.Option(
                    "--format",
                    "-o",
                    metavar="FORMAT",
                    help=f"{', '.join(render.FORMATS)} or md (default: table on a terminal, tsv when piped).",
                    autocompletion=complete_format,
                ),
            ],
            None,
        ),
        ("json", Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")], False),
        (
            "fields",
            Annotated[
                str | None,
                typer.Option(
                    "--fields", metavar="A,B", help="Fields to show, in order.", autocompletion=_field_completer(table)
                ),
            ],
            None,
        ),
        (
            "wide",
            Annotated[
                bool, typer.Option("--wide", help="Tables: every column, nothing cut (may be wider than the terminal).")
            ],
            False,
        ),
        (
            "no_header",
            Annotated[bool, typer.Option("--no-header", help="csv, tsv and tables: no header line.")],
            False,
        ),
        (
            "csv_safe",
            Annotated[
                bool,
                typer.Option(
                    "--csv-safe", help="csv: prefix ' to text cells a spreadsheet would run as formulas (= + - @)."
                ),
            ],
            False,
        ),
        (
            "no_pager",
            Annotated[
                bool,
                typer.Option(
                    "--no-pager",
                    help="On a terminal, print long output directly, not through $POLICYQ_PAGER or $PAGER.",
                ),
            ],
            False,
        ),
    ]
    if listing:
        options += [
            (
                "sort",
                Annotated[
                    str | None,
                    typer.Option("--sort", metavar="FIELD", help="Sort by FIELD (-FIELD or --desc for descending)."),
                ],
                None,
            ),
            ("desc", Annotated[bool, typer.Option("--desc", help="Sort descending.")], False),
            (
                "limit",
                Annotated[int | None, typer.Option("--limit", "-n", metavar="N", help="Show at most N records.")],
                None,
            ),
        ]
    return [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, annotation=a, default=d) for n, a, d in options]


_CTX = inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context)


def command(table: str | None = None, *, listing: bool = True, name: str | None = None) -> Callable[..., Any]:
    """Register a command. It receives ``env`` (an ``Environment``) and, when ``table`` is
    given, ``out`` (the shared output options, added to its signature here so that every
    listing has the same ones, with the same help and completion)."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        own = [p for p in inspect.signature(fn).parameters.values() if p.name not in ("env", "out")]
        extra = _output_params(table, listing) if table else []
        names = [p.name for p in extra]

        @functools.wraps(fn)
        def wrapper(ctx: typer.Context, **kwargs: Any) -> Any:
            env = ctx.obj if isinstance(ctx.obj, Environment) else Environment()
            if table:
                kwargs["out"] = Output(**{n: kwargs.pop(n) for n in names})
            return fn(env=env, **kwargs)

        params = [*own, _CTX, *extra]
        wrapper.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in params}
        return app.command(name)(wrapper)

    return register


def emit(env: Environment, view: render.View, out: Output) -> int:
    """Print what a command found through the one output path; 0 when there was anything, else 1.
    On a terminal, output longer than the screen goes through the pager (``policyq.pager``)."""
    from policyq import pager

    for note in getattr(view.data, "notes", ()):  # places included beyond those named (--in a pilot zone)
        env.log(note)
    held = pager.Held(env.stdout) if pager.wanted(env.stdout, os.environ, out.no_pager) else None
    shown = render.output(replace(env, stdout=held) if held else env, out, view)
    if held:
        pager.show(held.getvalue(), env.stdout, os.environ)
    if shown:
        return ExitCode.OK
    if view.total:  # found, but --limit 0 shows none
        noun = view.noun if view.total > 1 else view.noun.removesuffix("s")
        env.log(f"{view.total} {noun} matched; --limit 0 shows none")
    else:
        env.log(f"no {view.noun} matched")
    return ExitCode.NO_MATCH


def listing(store: Store, table: str, records: Records, out: Output, noun: str) -> render.View:
    """A listing's view: its records, how many matched before --limit, and names for ids."""
    valid = FIELDS.get(table, SEARCH_RESULT_FIELDS)
    return render.View("listing", table, records, valid, noun, records.total, out.limit, render.store_lookup(store))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"policyq {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    pass


# --- listing commands -----------------------------------------------------------------------


@command("zones")
def zones(
    env: Environment,
    out: Output,
    place: InOpt = None,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            metavar="KIND",
            help=f"Only zones of KIND (repeatable): {', '.join(KINDS)}.",
            autocompletion=complete_kind,
        ),
    ] = None,
    sector: SectorOpt = None,
    source: SourceOpt = None,
) -> int:
    """List places, zones, parks, platforms and facilities.

    \b
    Examples:
      policyq zones --in Shanghai
      policyq zones --kind pilot_zone
      policyq zones --in Pudong --kind park --fields id,name,parent --json
    """
    store = Store(out.store_path)
    records = store.zones(
        place=place, kind=kind, sector=sector, source=source, sort=out.sort, desc=out.desc, limit=out.limit
    )
    return emit(env, listing(store, "zones", records, out, "zones"), out)


@command("zones")
def parks(
    env: Environment, out: Output, place: InOpt = None, sector: SectorOpt = None, source: SourceOpt = None
) -> int:
    """List industrial parks (zones of kind park or park_group).

    \b
    Examples:
      policyq parks --in Pudong
      policyq parks --in Zhangjiang --json
      policyq parks --sector data --fields id,name,parent
    """
    store = Store(out.store_path)
    records = store.parks(place=place, sector=sector, source=source, sort=out.sort, desc=out.desc, limit=out.limit)
    return emit(env, listing(store, "zones", records, out, "parks"), out)


@command("targets")
def targets(
    env: Environment,
    out: Output,
    place: InOpt = None,
    year: YearOpt = None,
    due_by: Annotated[
        int | None, typer.Option("--due-by", metavar="YEAR", help="Only targets due in YEAR or earlier.")
    ] = None,
    metric: MetricOpt = None,
    sector: SectorOpt = None,
    source: SourceOpt = None,
    min_value: MinOpt = None,
    max_value: MaxOpt = None,
    above: AboveOpt = None,
    below: BelowOpt = None,
    unit: UnitOpt = None,
    exact: ExactOpt = False,
    chart: ChartOpt = False,
) -> int:
    """List targets: what places committed to reach, and by when.

    \b
    Examples:
      policyq targets --year 2025 --metric output
      policyq targets --in Lingang --due-by 2025
      policyq targets --above 100bn --sector AI --sort value --desc --json
    """
    store = Store(out.store_path)
    records = store.targets(
        place=place, year=year, due_by=due_by, metric=metric, sector=sector, source=source,
        min_value=min_value, max_value=max_value, above=above, below=below, unit=unit, exact=exact,
        sort=out.sort, desc=out.desc, limit=out.limit,
    )  # fmt: skip
    return emit(env, listing(store, "targets", records, out, "targets"), replace(out, chart=chart))


@command("indicators")
def indicators(
    env: Environment,
    out: Output,
    place: InOpt = None,
    year: YearOpt = None,
    metric: MetricOpt = None,
    sector: SectorOpt = None,
    source: SourceOpt = None,
    min_value: MinOpt = None,
    max_value: MaxOpt = None,
    above: AboveOpt = None,
    below: BelowOpt = None,
    unit: UnitOpt = None,
    exact: ExactOpt = False,
    chart: ChartOpt = False,
) -> int:
    """List reported figures: output, GDP, counts, growth, ranks. Also areas, densities and
    shares.

    \b
    Examples:
      policyq indicators --in Qingdao
      policyq indicators --metric gdp --sort value --desc --chart
      policyq indicators --in Shanghai --year 2023 --format csv
    """
    store = Store(out.store_path)
    records = store.indicators(
        place=place, year=year, metric=metric, sector=sector, source=source,
        min_value=min_value, max_value=max_value, above=above, below=below, unit=unit, exact=exact,
        sort=out.sort, desc=out.desc, limit=out.limit,
    )  # fmt: skip
    return emit(env, listing(store, "indicators", records, out, "indicators"), replace(out, chart=chart))


@command("sources")
def sources(env: Environment, out: Output) -> int:
    """List the source documents every fact is traced to.

    \b
    Examples:
      policyq sources
      policyq sources --sort published --fields id,published,title
    """
    store = Store(out.store_path)
    records = store.sources(sort=out.sort, desc=out.desc, limit=out.limit)
    return emit(env, listing(store, "sources", records, out, "sources"), out)


@command("search")
def search(
    env: Environment, out: Output, text: Annotated[str, typer.Argument(metavar="TEXT", help="Words to look for.")]
) -> int:
    """Find the records that mention TEXT. Looks in ids, names, aliases, metrics, sectors,
    designations, notes and quotes.

    \b
    Examples:
      policyq search metaverse
      policyq search 张江
      policyq search robot --json
    """
    store = Store(out.store_path)
    records = store.search(text, sort=out.sort, desc=out.desc, limit=out.limit)
    return emit(env, listing(store, "search", records, out, "records"), out)


@command("show", listing=False)
def show(
    env: Environment,
    out: Output,
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME", help="An id, or a place's name, alias or Chinese name.", autocompletion=complete_place
        ),
    ],
) -> int:
    """Show one record in full, with its related records and sources.

    \b
    Examples:
      policyq show aisland
      policyq show 浦东
      policyq show shanghai-robot-density --json
    """
    store = Store(out.store_path)
    shown = store.show(name)
    view = render.View("record", shown["table"], shown, FIELDS[shown["table"]], lookup=render.store_lookup(store))
    return emit(env, view, out)


@command("tree", listing=False)
def tree(
    env: Environment,
    out: Output,
    place: Annotated[
        str | None,
        typer.Argument(
            metavar="PLACE", help="The place at the top (default: every place).", autocompletion=complete_place
        ),
    ] = None,
    depth: Annotated[
        int | None,
        typer.Option("--depth", "-d", metavar="N", help="Only N levels below the top (0: the top places alone)."),
    ] = None,
) -> int:
    """Show the place hierarchy. Each place with its Chinese name, kind, and how many
    targets and indicators it carries.

    JSON nests places as {id, name, ..., children: [...]}; jsonl, csv and tsv give one row
    per place with its depth and path.

    \b
    Examples:
      policyq tree Shanghai
      policyq tree Jiangsu --depth 1
      policyq tree --depth 1
      policyq tree Pudong --format csv
    """
    from policyq.query import TREE_ROW_FIELDS

    store = Store(out.store_path)
    nodes = store.tree(place, depth=depth)
    view = render.View("tree", "tree", nodes, TREE_ROW_FIELDS, "places", lookup=render.store_lookup(store))
    return emit(env, view, out)


@command("progress")
def progress(env: Environment, out: Output, place: InOpt = None, year: YearOpt = None, metric: MetricOpt = None) -> int:
    """Set each target against the figures reported for it. A figure counts when it has the
    same metric family and industries, for the target's place, a place within it, or one
    containing it.

    The relation is named ("within: Pudong New Area is in Shanghai": evidence, not proof);
    ratio is the figure over the target when their units match, else null. JSON gives one
    object per target {target, evidence: [{indicator, relation, ratio}]}; csv, tsv and
    --fields give one row per target and figure (target_*, indicator_*, relation, ratio).

    \b
    Examples:
      policyq progress
      policyq progress --in Lingang --json
      policyq progress --metric output --year 2020-2025
      policyq progress --sort -ratio --fields target_id,ratio,relation
    """
    from policyq.provenance import PROGRESS_FIELDS

    store = Store(out.store_path)
    items = store.progress(place=place, year=year, metric=metric, sort=out.sort, desc=out.desc, limit=out.limit)
    view = render.View(
        "progress", "progress", items, PROGRESS_FIELDS, "targets", items.total, out.limit, render.store_lookup(store)
    )
    return emit(env, view, out)


@command()
def cite(
    env: Environment,
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME",
            help="A target, indicator or source id, or a place's id, name, alias or Chinese name.",
            autocompletion=complete_place,
        ),
    ],
    style: Annotated[
        str,
        typer.Option(
            "--style",
            metavar="STYLE",
            help="text (a reference to paste; a fact's quote above it), bibtex, or csl (CSL-JSON).",
            autocompletion=complete_style,
        ),
    ] = "text",
    store_path: StoreOpt = None,
) -> int:
    """Cite the sources behind a fact, a place or a source. A place cites all its sources;
    dates are exactly as precise as the source gives them.

    \b
    Examples:
      policyq cite shanghai-robot-density
      policyq cite Pudong --style bibtex
      policyq cite lingang-data-park-2023 --style csl
    """
    cited = Store(store_path).cite(name, style=style)  # type: ignore[call-overload]
    if not cited:  # a place or fact of a store's own that names no source
        env.log(f"nothing to cite: '{name}' names no source")
        return ExitCode.NO_MATCH
    env.write(cited if isinstance(cited, str) else render.to_json(cited))
    return ExitCode.OK


@command("ask")
def ask(
    env: Environment,
    out: Output,
    question: Annotated[str, typer.Argument(metavar="QUESTION", help="A question in plain words.")],
    explain: Annotated[bool, typer.Option("--explain", help="Only say how the question was understood.")] = False,
) -> int:
    """Answer a question in plain words. It makes the same query the flags make, says on
    stderr how it understood it (and the flags), and refuses a question with any word it
    does not understand.

    \b
    Examples:
      policyq ask "AI targets for Shanghai"
      policyq ask "compare GDP of Qingdao, Jinan and Shenzhen"
      policyq ask "targets over 100 billion yuan due by 2025"
      policyq ask "临港的目标"
      policyq ask "when was AIsland launched"
    """
    store = Store(out.store_path)
    q, answer = store.ask(question, sort=out.sort, desc=out.desc, limit=out.limit)
    env.log(q.explanation)
    if explain:
        return ExitCode.OK
    if q.command == "show":  # a question about one place: its record, as `show` gives it
        missing = q.missing(answer["record"])
        if missing:
            env.log(missing)
            return ExitCode.NO_MATCH
        fields = out.fields or ",".join(q.fields) or None
        table = answer["table"]
        view = render.View("record", table, answer, FIELDS[table], lookup=render.store_lookup(store))
        return emit(env, view, replace(out, fields=fields))
    return emit(env, listing(store, q.table, answer, out, q.command), out)


# --- the store: init, import, validate, remove ------------------------------------------------


@command()
def init(
    env: Environment,
    path: Annotated[
        str | None, typer.Argument(metavar="PATH", help="Where to create the store (default: the user store).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing store.")] = False,
) -> int:
    """Create a user store to add facts to. It starts as a copy of the bundled one.

    \b
    Examples:
      policyq init
      policyq init ./research.json
    """
    target = Store.init(path, force=force).path
    use = "queries now read it" if path is None else f"use it with --store {target} or POLICYQ_STORE={target}"
    env.log(f"created {target}; {use}")
    env.write(f"{target}\n")
    return ExitCode.OK


@command(name="import")
def import_(
    env: Environment,
    file: Annotated[str, typer.Argument(metavar="FILE", help="JSON, JSON lines or CSV file to import; - reads stdin.")],
    table: Annotated[
        str | None,
        typer.Option("--table", metavar="TABLE", help="Table of the records (needed for arrays, JSON lines, CSV)."),
    ] = None,
    input_format: Annotated[
        str | None,
        typer.Option(
            "--input-format", metavar="FORMAT", help="json, jsonl or csv (default: from the name or content)."
        ),
    ] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace records whose id already exists.")] = False,
    skip_existing: Annotated[
        bool, typer.Option("--skip-existing", help="Keep records whose id already exists; import the rest.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and report what would change; write nothing.")
    ] = False,
    store_path: StoreOpt = None,
) -> int:
    """Validate and add records to a user store, all or nothing.

    \b
    Examples:
      policyq import new-targets.json
      policyq import figures.csv --table indicators --dry-run
      cat more.jsonl | policyq import - --table targets --replace
    """
    from policyq.ingest import ImportRefused

    try:
        done = Store(store_path).import_records(
            file, table=table, input_format=input_format, replace=replace, skip_existing=skip_existing, dry_run=dry_run
        )
    except ImportRefused as exc:
        if dry_run:  # a dry run lists every problem, not just the first
            env.write("".join(f"problem\t{d}\n" for d in exc.details))
        raise
    if dry_run:
        for verb, items in (("add", done.added), ("replace", done.replaced), ("skip", done.skipped)):
            env.write("".join(f"{verb}\t{t}\t{rid}\n" for t, rid in items))
        env.log(f"dry run, nothing written to {done.store}")
        return ExitCode.OK
    env.log(f"{done.store}: added {len(done.added)}, replaced {len(done.replaced)}, skipped {len(done.skipped)}")
    return ExitCode.OK


@command()
def validate(
    env: Environment,
    path: Annotated[
        str | None, typer.Argument(metavar="PATH", help="Store to check (default: the store queries read).")
    ] = None,
    store_path: StoreOpt = None,
) -> int:
    """Check a store and list every problem in it. It checks fields, types, units,
    comparators, references, unique ids and cycles.

    Prints every problem with its table, record id and field; exit 0 when clean, 3 when not.

    \b
    Examples:
      policyq validate
      policyq validate ./research.json
    """
    from policyq import writes

    target = Store(path or store_path).path
    counts, problems = writes.validate(target)
    if problems:
        env.write("".join(f"{p}\n" for p in problems))
        env.log(f"store {target} is invalid: {len(problems)} problem(s)")
        return ExitCode.STORE
    env.write(f"ok\t{target}\t{', '.join(f'{n} {t}' for t, n in counts.items())}\n")
    return ExitCode.OK


@command()
def remove(
    env: Environment,
    record_id: Annotated[str, typer.Argument(metavar="ID", help="Id of the record to remove.")],
    store_path: StoreOpt = None,
) -> int:
    """Remove one record from a user store. Refused while other records refer to it.

    \b
    Examples:
      policyq remove my-target-2026 --store ./research.json
    """
    store = Store(store_path)
    table = store.remove(record_id)
    env.log(f"removed {table} '{record_id}' from {store.write_path}")
    return ExitCode.OK


def _command_name(info: Any) -> str:
    return info.name or info.callback.__name__.strip("_").replace("_", "-")


def _prune_to_invoked_command(argv: list[str]) -> None:
    """Register only the command being run: Typer inspects every registered command's
    signature on each call, which is most of its start-up cost. ``policyq --help`` and
    completion of command names still see them all."""
    words = argv
    if os.environ.get("_POLICYQ_COMPLETE"):  # bash passes COMP_WORDS; zsh, fish, PowerShell this
        line = os.environ.get("COMP_WORDS") or os.environ.get("_TYPER_COMPLETE_ARGS", "")
        words = line.split()[1:]
        if len(words) < 2 and not line.endswith(" "):  # still completing the command's name
            return
    if words:
        keep = [c for c in app.registered_commands if _command_name(c) == words[0]]
        if keep:
            app.registered_commands = keep


def _encode_error(exc: UnicodeError) -> tuple[str | bytes, int]:
    """Characters UTF-8 cannot encode: a file name's undecodable bytes (U+DC80-U+DCFF, as
    Python reads them from the system) go out as those bytes; a lone surrogate from data as a
    JSON-style escape (``\\ud800``)."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    if all(0xDC80 <= ord(c) <= 0xDCFF for c in bad):
        return bytes(ord(c) - 0xDC00 for c in bad), exc.end
    return "".join(f"\\u{ord(c):04x}" for c in bad), exc.end


def main() -> None:
    """Console entry point (called by ``policyq.__main__.main``)."""
    import codecs

    _prune_to_invoked_command(sys.argv[1:])
    if hasattr(sys.stdout, "reconfigure"):
        codecs.register_error("policyq", _encode_error)
        sys.stdout.reconfigure(encoding="utf-8", errors="policyq")
    app(prog_name="policyq")
