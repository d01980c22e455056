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
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from policyq import __version__, complete, render
from policyq.api import Records, Store
from policyq.env import Environment
from policyq.errors import ExitCode, ImportRefused, PolicyqError, StoreWarning, UsageError
from policyq.schema import FIELDS, KINDS, UNITS

if TYPE_CHECKING:
    from policyq.api import ImportResult


class PolicyqGroup(TyperGroup):
    """The one place that turns errors into a line on stderr and an exit code."""

    def main(self, args: Any = None, *rest: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        import warnings

        args = (_fields_alone(list(sys.argv[1:] if args is None else args)), *rest)

        env = kwargs.get("obj") if isinstance(kwargs.get("obj"), Environment) else None
        with warnings.catch_warnings():
            warnings.simplefilter("always", StoreWarning)  # the store module says each thing once
            shown = warnings.showwarning

            def show(message: Any, category: type[Warning], *rest: Any, **kw: Any) -> None:
                if issubclass(category, StoreWarning):
                    with contextlib.suppress(OSError, ValueError, AttributeError):  # stderr closed or full
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
        except (BrokenPipeError, _ReaderGone):
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


def _fields_alone(argv: list[str]) -> list[str]:
    """``--fields`` given no value (last, or before another option) asks for the list of
    fields: it is read as ``--fields ?``."""
    out = []
    for n, word in enumerate(argv):
        out.append(word)
        if word == "--":
            return out + argv[n + 1 :]
        if word == "--fields" and (n + 1 == len(argv) or argv[n + 1].startswith("-")):
            out.append("?")
    return out


# What Python's own limits mean here: the data was more than policyq can handle. Never a traceback.
_LIMITS: dict[type[BaseException], str] = {
    RecursionError: "the data is nested too deeply",
    MemoryError: "the store is too large for this machine's memory",
    OverflowError: "a number is too large to handle ('policyq validate' names the record)",
    UnicodeError: "text that is not valid Unicode ('policyq validate' names the record)",
}


class _ReaderGone(Exception):
    """Output met a closed pipe. Not an ``OSError``: click would end such a one with exit 1."""


def _silence_stdout() -> None:
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _fail(env: Environment | None, message: str, code: int) -> int:
    """Say what went wrong, and return the exit code, which stands even when stderr cannot be written."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        (env or Environment()).log(message)
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


def _store_of(ctx: typer.Context) -> str:
    return complete.store_path(ctx.params.get("store_path"))


def complete_place(ctx: typer.Context, incomplete: str) -> list[str]:
    return complete.guarded(lambda: complete.places(_store_of(ctx), incomplete))


def complete_record(ctx: typer.Context, incomplete: str) -> list[str]:
    """What show and cite take: a place by any name, or the id of any record."""
    return complete.guarded(lambda: complete.records(_store_of(ctx), incomplete))


def complete_metric(ctx: typer.Context, incomplete: str) -> list[str]:
    """The metrics and families of the command's own table (both tables for ask)."""
    return complete.guarded(lambda: complete.metrics(ctx.info_name or "", _store_of(ctx), incomplete))


def complete_sector(ctx: typer.Context, incomplete: str) -> list[str]:
    return complete.guarded(lambda: complete.sectors(_store_of(ctx), incomplete))


def complete_source(ctx: typer.Context, incomplete: str) -> list[str]:
    return complete.guarded(lambda: complete.sources(_store_of(ctx), incomplete))


def complete_unit(incomplete: str) -> list[str]:
    return complete.units(incomplete)


def complete_kind(incomplete: str) -> list[str]:
    return complete.kinds(incomplete)


def complete_format(ctx: typer.Context, incomplete: str) -> list[str]:
    return complete.formats(ctx.info_name or "", incomplete)


def complete_style(incomplete: str) -> list[str]:
    return complete.styles(incomplete)


def complete_fields(ctx: typer.Context, incomplete: str) -> list[str]:
    return complete.fields(ctx.info_name or "", incomplete)


# --- options --------------------------------------------------------------------------------

StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store", metavar="PATH", help="Store to use (default: $POLICYQ_STORE, the user store, or the bundled one)."
    ),
]
NewStoreArg = Annotated[
    str | None, typer.Argument(metavar="PATH", help="Where to create the store (default: the user store).")
]
CheckedStoreArg = Annotated[
    str | None, typer.Argument(metavar="PATH", help="Store to check (default: the store queries read).")
]
ShownArg = Annotated[
    str,
    typer.Argument(
        metavar="NAME", help="An id, or a place's name, alias or Chinese name.", autocompletion=complete_record
    ),
]
TextArg = Annotated[str, typer.Argument(metavar="TEXT", help="Words to look for.")]
CitedArg = Annotated[
    str,
    typer.Argument(
        metavar="NAME",
        help="A target, indicator or source id, or a place's id, name, alias or Chinese name.",
        autocompletion=complete_record,
    ),
]
QuestionArg = Annotated[str, typer.Argument(metavar="QUESTION", help="A question in plain words.")]
DocumentArg = Annotated[
    str, typer.Argument(metavar="FILE", help="A text, Markdown, HTML or PDF document; - reads stdin.")
]
DraftArg = Annotated[str, typer.Argument(metavar="DRAFT", help="A draft from 'policyq extract -o jsonl'.")]
ImportArg = Annotated[
    str, typer.Argument(metavar="FILE", help="JSON, JSON lines, CSV or TSV file to import; - reads stdin.")
]
RecordIdArg = Annotated[str, typer.Argument(metavar="ID", help="Id of the record to remove.")]
TopArg = Annotated[
    str | None,
    typer.Argument(metavar="PLACE", help="The place at the top (default: every place).", autocompletion=complete_place),
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
SourceOpt = Annotated[
    str | None,
    typer.Option("--source", metavar="ID", help="Only records citing this source id.", autocompletion=complete_source),
]
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
# The filters of targets and indicators, declared once (``policyq.api.FactFilters``); --chart
# goes with them to the output options.
FACT_FILTERS: list[tuple[str, Any, Any]] = [
    ("place", InOpt, None),
    ("year", YearOpt, None),
    ("metric", MetricOpt, None),
    ("sector", SectorOpt, None),
    ("source", SourceOpt, None),
    ("min_value", MinOpt, None),
    ("max_value", MaxOpt, None),
    ("above", AboveOpt, None),
    ("below", BelowOpt, None),
    ("unit", UnitOpt, None),
    ("exact", ExactOpt, False),
]


JqOpt = Annotated[
    str | None,
    typer.Option(
        "--jq",
        metavar="EXPR",
        help="Filter the JSON output with a jq expression; strings print as text (needs policyq[jq]).",
    ),
]


QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, no summary line on stderr.")]


def progress_shown(env: Environment, quiet: bool) -> Any:
    """A progress bar on stderr for the long steps of the work inside the block: only on a
    terminal, never with --quiet."""
    from policyq.render.bar import progress_bars

    try:
        terminal = env.stderr.isatty()
    except (AttributeError, ValueError):
        terminal = False
    return progress_bars(env.stderr, show=terminal and not quiet)


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
    jq: str | None = None
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
                    "--fields",
                    metavar="A,B",
                    help="Fields to show, in order; alone or with ? lists the fields there are.",
                    autocompletion=complete_fields,
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
                    "--csv-safe", help="csv, tsv: prefix ' to text cells a spreadsheet would run as formulas (= + - @)."
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
    options.append(("jq", JqOpt, None))
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


def command(
    table: str | None = None, *, listing: bool = True, facts: bool = False, name: str | None = None
) -> Callable[..., Any]:
    """Register a command. It receives ``env`` (an ``Environment``) and, when ``table`` is
    given, ``out`` (the shared output options, added to its signature here so that every
    listing has the same ones, with the same help and completion); with ``facts``, ``filters``
    (the options of ``FACT_FILTERS``, as keyword arguments of ``Store.targets``) and --chart."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        own = [
            p.replace(kind=inspect.Parameter.KEYWORD_ONLY)  # Typer passes every value by name
            for p in inspect.signature(fn).parameters.values()
            if p.name not in ("env", "out", "filters")
        ]
        extra = _output_params(table, listing) if table else []
        names = [p.name for p in extra]
        kept = [*FACT_FILTERS, ("chart", ChartOpt, False)] if facts else []
        shared = [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, annotation=a, default=d) for n, a, d in kept]

        @functools.wraps(fn)
        def wrapper(ctx: typer.Context, **kwargs: Any) -> Any:
            env = ctx.obj if isinstance(ctx.obj, Environment) else Environment()
            if table:
                kwargs["out"] = Output(**{n: kwargs.pop(n) for n in names}, chart=kwargs.pop("chart", False))
            if facts:
                kwargs["filters"] = {n: kwargs.pop(n) for n, _, _ in FACT_FILTERS}
            try:
                return fn(env=env, **kwargs)
            except BrokenPipeError:
                raise _ReaderGone from None

        params = [*shared, *own, _CTX, *extra]
        wrapper.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in params}
        return app.command(name)(wrapper)

    return register


def emit(env: Environment, view: render.View, out: Output) -> int:
    """Print what a command found through the one output path; 0 when there was anything, else 1.
    On a terminal, output longer than the screen goes through the pager (``policyq.render.pager``)."""
    if out.fields in ("?", ""):  # --fields alone or '--fields ?': what --fields may name, a line each
        env.write("".join(f"{f}\n" for f in view.valid))
        return ExitCode.OK
    if out.jq is not None:
        if out.format not in (None, "json"):
            raise UsageError(f"--jq filters JSON output; drop --format {out.format}")
        found = Captured()
        counted = render.output(found, replace(out, format="json", chart=False), view)
        env.write(render.jq_text(out.jq, found.text))
        if not counted:
            env.log(f"no {view.noun} matched")
        return ExitCode.OK if counted else ExitCode.NO_MATCH
    from policyq.render import pager

    for note in getattr(view.data, "notes", ()):  # places included beyond those named (--in a pilot zone)
        env.log(note)
    held = pager.Held(env.stdout) if pager.wanted(env.stdout, os.environ, out.no_pager) else None
    shown = render.output(replace(env, stdout=held) if held else env, out, view)
    if held:
        pager.show(held.getvalue(), env.stdout, os.environ)
    if shown:
        return ExitCode.OK
    if view.total:  # found, but --limit 0 shows none
        env.log(f"{render.counted(view.total, view.noun)} matched; --limit 0 shows none")
    else:
        env.log(f"no {view.noun} matched")
    return ExitCode.NO_MATCH


class Captured:
    """Output kept as text (for --jq), as a pipe would receive it."""

    stdout_isatty = False

    def __init__(self) -> None:
        import io

        self.stdout = io.StringIO()
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text


def json_out(env: Environment, data: Any, jq: str | None) -> None:
    """``data`` as JSON, or what ``--jq`` makes of it."""
    text = render.to_json(data)
    env.write(render.jq_text(jq, text) if jq is not None else text)


def listing(store: Store, records: Records, out: Output, kind: str = "listing") -> render.View:
    """The view of a result: its records, how many matched before --limit, and names for ids."""
    lookup = render.store_lookup(store)
    return render.View(kind, records.table, records, records.fields, records.noun, records.total, out.limit, lookup)


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
    return emit(env, listing(store, records, out), out)


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
    return emit(env, listing(store, records, out), out)


@command("targets", facts=True)
def targets(
    env: Environment,
    out: Output,
    filters: dict[str, Any],
    due_by: Annotated[
        int | None, typer.Option("--due-by", metavar="YEAR", help="Only targets due in YEAR or earlier.")
    ] = None,
) -> int:
    """List targets: what places committed to reach, and by when.

    \b
    Examples:
      policyq targets --year 2025 --metric output
      policyq targets --in Lingang --due-by 2025
      policyq targets --above 100bn --sector AI --sort value --desc --json
    """
    store = Store(out.store_path)
    records = store.targets(due_by=due_by, sort=out.sort, desc=out.desc, limit=out.limit, **filters)
    return emit(env, listing(store, records, out), out)


@command("indicators", facts=True)
def indicators(env: Environment, out: Output, filters: dict[str, Any]) -> int:
    """List reported figures: output, GDP, counts, growth, ranks. Also areas, densities and
    shares.

    \b
    Examples:
      policyq indicators --in Qingdao
      policyq indicators --metric gdp --sort value --desc --chart
      policyq indicators --in Shanghai --year 2023 --format csv
    """
    store = Store(out.store_path)
    records = store.indicators(sort=out.sort, desc=out.desc, limit=out.limit, **filters)
    return emit(env, listing(store, records, out), out)


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
    return emit(env, listing(store, records, out), out)


@command("search")
def search(env: Environment, out: Output, text: TextArg) -> int:
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
    view = listing(store, records, out)
    view.match = text  # excerpts are centred on it
    return emit(env, view, out)


@command("show", listing=False)
def show(
    env: Environment,
    out: Output,
    name: ShownArg,
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
    place: TopArg = None,
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
    store = Store(out.store_path)
    return emit(env, listing(store, store.tree(place, depth=depth), out, "tree"), out)


@command("progress")
def progress(env: Environment, out: Output, place: InOpt = None, year: YearOpt = None, metric: MetricOpt = None) -> int:
    """Each target, its status and the figures reported for it.

    Statuses: met, not met, on track, not yet due, partial evidence, no figure (the rules:
    docs/progress.md).

    A figure counts when it has the same metric family and industries, for the target's
    place, a place within it (partial evidence, never a share) or one containing it. Each
    figure says its timing (before, at or after the deadline); ratio is given only for the
    same place, unit and industries and an exact figure. JSON gives one object per target
    {target, status, why, evidence: [{indicator, relation, timing, reaches, ratio}]}; csv,
    tsv and --fields give one row per target and figure.

    \b
    Examples:
      policyq progress
      policyq progress --in Lingang --json
      policyq progress --metric output --year 2020-2025
      policyq progress --sort -ratio --fields target_id,ratio,relation
    """
    store = Store(out.store_path)
    items = store.progress(place=place, year=year, metric=metric, sort=out.sort, desc=out.desc, limit=out.limit)
    return emit(env, listing(store, items, out, "progress"), out)


@command()
def cite(
    env: Environment,
    name: CitedArg,
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
    jq: JqOpt = None,
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
    if isinstance(cited, str):
        if jq is not None:
            raise UsageError(f"--jq filters JSON output; use it with --style csl, not --style {style}")
        if style == "text":
            env.write_prose(cited)  # wrapped at words on a terminal
        else:
            env.write(cited)
    else:
        json_out(env, cited, jq)
    return ExitCode.OK


@command("ask")
def ask(
    env: Environment,
    out: Output,
    question: QuestionArg,
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
    human = render.resolve_format(out.format, out.json, env.stdout_isatty) in ("table", "markdown")  # checked first
    answer = store.ask(question, sort=out.sort, desc=out.desc, limit=out.limit)
    render.field_list(out.fields, answer.table, FIELDS[answer.table])  # a bad --fields, before the reading is said
    env.log(answer.understood)  # wrapped at words on a terminal, one line when piped
    if explain:
        return ExitCode.OK
    if not answer.found:  # the place's record does not hold what was asked
        for note in answer.notes:
            env.log(note)
        return ExitCode.NO_MATCH
    fields = out.fields or ",".join(answer.fields) or None
    if answer.shown is not None and (human or not answer.fields):  # one place: its record, as `show` gives it
        lookup = render.store_lookup(store)
        view = render.View("record", answer.table, answer.shown, FIELDS[answer.table], lookup=lookup)
        return emit(env, view, replace(out, fields=fields))
    return emit(env, listing(store, answer.records, out), replace(out, fields=fields))


# --- documents: extract, review ----------------------------------------------------------------


@command("extract", listing=False)
def extract(
    env: Environment,
    out: Output,
    file: DocumentArg,
    lang: Annotated[
        str, typer.Option("--lang", metavar="LANG", help="auto (both), en or zh: the language rules to apply.")
    ] = "auto",
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            metavar="ID",
            help="The id of the document's source in the store (default: drafted from it).",
            autocompletion=complete_source,
        ),
    ] = None,
) -> int:
    """Draft records from a policy document. One candidate for each figure that is a target or
    an indicator, with its sentence as the quote.

    Each candidate is a flat object: the record's fields, its table, and keys for review
    (subject_text, start, end, confidence, why). -o jsonl is the draft file that 'policyq
    review' and 'policyq import' read; a source the store lacks is drafted as its first line.

    \b
    Examples:
      policyq extract plan.txt
      policyq extract notice.html -o jsonl > draft.jsonl
      policyq extract report.pdf --source lingang-data-park-2023 --json
      policyq review draft.jsonl
    """
    from policyq.render import candidates as view

    fmt = render.resolve_format(out.format, out.json, env.stdout_isatty)
    fields = render.field_list(out.fields, "candidates", view.columns())
    store = Store(out.store_path)
    bar = view.Bar(env.stderr)
    try:
        drafted = store.extract(file, lang=lang, source=source, progress=bar)
    finally:
        bar.close()
    if drafted.source:
        env.log(f"drafted source '{drafted.source['id']}' from the document: check its title, date and publisher")
    if not drafted.candidates:
        env.log(f"no figures found in {'stdin' if file == '-' else file}")
        return ExitCode.NO_MATCH
    places = store.places()
    size = render.width(env) if fmt == "table" else 80
    shown = view.render(
        drafted.records(), drafted.candidates, fmt, fields, not out.no_header, size, places.name,
        out.csv_safe,
    )  # fmt: skip
    env.write(shown if isinstance(shown, str) else render.draw(env, shown, size))
    unplaced = sum(1 for c in drafted.candidates if not c.get("subject"))
    if unplaced:
        env.log(f"{unplaced} of {len(drafted.candidates)} candidates name no place: set subject before importing")
    return ExitCode.OK


@command()
def review(
    env: Environment,
    draft: DraftArg,
    output: Annotated[
        str | None,
        typer.Option("--out", metavar="FILE", help="Where accepted records go (default: DRAFT with .accepted.jsonl)."),
    ] = None,
    store_path: Annotated[
        str | None,
        typer.Option("--store", metavar="PATH", help="Also import the accepted records into this store when done."),
    ] = None,
) -> int:
    """Review a draft's candidates on a terminal. Accept, reject or edit each one; progress is
    kept beside the draft, so quitting and running it again resumes where you left off.

    Keys: a accept, r reject, e edit a field, b back, q quit (and save). Accepted records go
    to a file ready for 'policyq import' (or into --store). Without a terminal, edit the
    draft itself and run 'policyq import DRAFT'.

    \b
    Examples:
      policyq extract plan.txt -o jsonl > draft.jsonl
      policyq review draft.jsonl
      policyq review draft.jsonl --store ./research.json
    """
    from policyq.api import review as reviewing

    session = reviewing(draft, output)
    store = Store(store_path)
    lookup = render.store_lookup(store)()
    lookup.sources = {**{s["id"]: s for s in session.sources}, **lookup.sources}  # drafted sources too
    done = session.run(env, store.places(), lookup)
    if done and store_path:
        _imported(env, Store(store_path).import_records(session.accepted_tables()))
    return ExitCode.OK


def _imported(env: Environment, done: "ImportResult") -> None:
    env.log(f"{done.store}: added {len(done.added)}, replaced {len(done.replaced)}, skipped {len(done.skipped)}")


# --- the store: init, import, validate, remove ------------------------------------------------


@command()
def init(
    env: Environment,
    path: NewStoreArg = None,
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
    file: ImportArg,
    table: Annotated[
        str | None,
        typer.Option("--table", metavar="TABLE", help="Table of the records (needed for arrays, JSON lines, CSV)."),
    ] = None,
    input_format: Annotated[
        str | None,
        typer.Option(
            "--input-format", metavar="FORMAT", help="json, jsonl, csv or tsv (default: from the name or content)."
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
    quiet: QuietOpt = False,
) -> int:
    """Validate and add records to a user store, all or nothing.

    \b
    Examples:
      policyq import new-targets.json
      policyq import figures.csv --table indicators --dry-run
      cat more.jsonl | policyq import - --table targets --replace
    """
    try:
        with progress_shown(env, quiet):
            done = Store(store_path).import_records(
                file,
                table=table,
                input_format=input_format,
                replace=replace,
                skip_existing=skip_existing,
                dry_run=dry_run,
            )
    except ImportRefused as exc:
        if dry_run:  # a dry run lists every problem, not just the first
            env.write("".join(f"problem\t{d}\n" for d in exc.details))
        raise
    if dry_run:
        for verb, items in (("add", done.added), ("replace", done.replaced), ("skip", done.skipped)):
            env.write("".join(f"{verb}\t{t}\t{rid}\n" for t, rid in items))
        if not quiet:
            env.log(f"dry run, nothing written to {done.store}")
        return ExitCode.OK
    if not quiet:
        _imported(env, done)
    return ExitCode.OK


@command()
def validate(
    env: Environment,
    path: CheckedStoreArg = None,
    store_path: StoreOpt = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", "-o", metavar="FORMAT", help="text (default) or json.", autocompletion=complete_format
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")] = False,
    jq: JqOpt = None,
    quiet: QuietOpt = False,
) -> int:
    """Check a store and list every problem in it. It checks fields, types, units,
    comparators, references, unique ids and cycles.

    Prints every problem with its table, record id and field; exit 0 when clean, 3 when not.
    JSON gives {store, valid, counts, problems: [{table, record, field, message}]}.

    \b
    Examples:
      policyq validate
      policyq validate ./research.json
      policyq validate -o json
    """
    chosen = "json" if as_json or jq is not None else fmt or "text"
    if chosen not in ("text", "json"):
        raise UsageError(f"validate prints text or json, not '{chosen}'")
    if path == "":  # names no file: taking it for "no choice" would check another store
        raise UsageError("the store path is empty; name a store file, e.g. ./research.json, or leave it out")
    with progress_shown(env, quiet):
        checked = Store(store_path if path is None else path).validate()
    target, counts, problems = checked.store, checked.counts, checked.problems
    if chosen == "json":
        found = [{"table": p.table, "record": p.record, "field": p.field, "message": p.message} for p in problems]
        json_out(env, {"store": str(target), "valid": not problems, "counts": counts, "problems": found}, jq)
        if problems:
            env.log(f"store {target} is invalid: {len(problems)} problem(s)")
        return ExitCode.STORE if problems else ExitCode.OK
    if problems:
        env.write("".join(f"{p}\n" for p in problems))
        if not quiet:
            env.log(f"store {target} is invalid: {len(problems)} problem(s)")
        return ExitCode.STORE
    env.write(f"ok\t{target}\t{', '.join(f'{n} {t}' for t, n in counts.items())}\n")
    return ExitCode.OK


@command()
def remove(
    env: Environment,
    record_id: RecordIdArg,
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


@command()
def export(
    env: Environment,
    sqlite: Annotated[
        str,
        typer.Option(
            "--sqlite", metavar="FILE", help="Write the store as an SQLite database (one table per store table)."
        ),
    ],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    store_path: StoreOpt = None,
) -> int:
    """Export the store as an SQLite database. One table per store table, for Datasette,
    sqlite-utils or DuckDB: columns are the store's fields, lists and objects JSON text, dates
    text.

    \b
    Examples:
      policyq export --sqlite policyq.db
      policyq export --sqlite policyq.db --force
    """
    counts = Store(store_path).export_sqlite(sqlite, force=force)
    env.log(f"wrote {sqlite}: {', '.join(f'{n} {t}' for t, n in counts.items())}")
    return ExitCode.OK


SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def complete_shell(incomplete: str) -> list[str]:
    return [s for s in SHELLS if s.startswith(incomplete)]


@command()
def completion(
    env: Environment,
    shell: Annotated[
        str,
        typer.Argument(metavar="SHELL", help=f"{', '.join(SHELLS)}.", autocompletion=complete_shell),
    ],
) -> int:
    """Print the completion script for SHELL. Save it where that shell loads completions
    from, e.g. ~/.config/fish/completions/policyq.fish, or a file named _policyq in zsh's
    $fpath.

    \b
    Examples:
      policyq completion bash
      policyq completion zsh
      policyq completion fish
    """
    env.write(completion_script(shell) + "\n")
    return ExitCode.OK


def completion_script(shell: str) -> str:
    """Typer's completion script for ``shell``; a usage error naming the shells for any other."""
    from typer._completion_shared import get_completion_script

    if shell not in SHELLS:
        raise UsageError(f"unknown shell '{shell}'; valid shells: {', '.join(SHELLS)}")
    return get_completion_script(prog_name="policyq", complete_var="_POLICYQ_COMPLETE", shell=shell)


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

    if sys.argv[1:2] == ["--show-completion"] and sys.argv[2:3] and sys.argv[2] in SHELLS:
        # Typer reads a shell named here as a stray argument and prints the current shell's script
        sys.argv[1:3] = ["completion", sys.argv[2]]
    _prune_to_invoked_command(sys.argv[1:])
    if hasattr(sys.stdout, "reconfigure"):
        codecs.register_error("policyq", _encode_error)
        sys.stdout.reconfigure(encoding="utf-8", errors="policyq")
    app(prog_name="policyq")
