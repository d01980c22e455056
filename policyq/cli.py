"""The policyq command line: parse options, build Filters, query, render. No business logic here.

Annotations here are real objects, not strings (no ``from __future__ import annotations``):
Typer reads them on every call, and evaluating string annotations costs ~20 ms of start-up.
"""

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from policyq import __version__, query, render, store
from policyq.errors import ExitCode, PolicyqError, UsageError
from policyq.model import FIELDS, KINDS, METRICS, PARK_KINDS
from policyq.query import SEARCH_RESULT_FIELDS, Filters


class PolicyqGroup(TyperGroup):
    """The one place that turns errors into a line on stderr and an exit code."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:  # type: ignore[override]
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except PolicyqError as exc:
            code = _fail(str(exc), exc.code)
        except typer.TyperException as exc:  # click's usage errors: bad option, bad value
            if type(exc).__name__ == "NoArgsIsHelpError":  # bare 'policyq': the help, as a usage error
                sys.stderr.write(exc.format_message() + "\n")
                code = ExitCode.USAGE
                return self._finish(code, standalone_mode)
            ctx = getattr(exc, "ctx", None)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            code = _fail(exc.format_message() + hint, getattr(exc, "exit_code", ExitCode.USAGE))
        except typer.Abort:
            code = _fail("interrupted", ExitCode.INTERRUPTED)
        except BrokenPipeError:
            # The reader went away (`| head -1`): stop quietly, and keep Python from
            # complaining when it flushes stdout at exit.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            code = ExitCode.OK
        return self._finish(code, standalone_mode)

    @staticmethod
    def _finish(code: Any, standalone_mode: bool) -> int:
        code = int(code or 0)
        if standalone_mode:
            sys.exit(code)
        return code


def _fail(message: str, code: int) -> int:
    """Print an error as one line: names from a store or a file may hold line breaks."""
    sys.stderr.write("policyq: " + message.replace("\r", "\\r").replace("\n", "\\n") + "\n")
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
--format table|json|jsonl|csv|tsv (or --json) to choose.
Store: --store PATH, else $POLICYQ_STORE, else the user store made by
'policyq init', else the bundled store.

\b
Exit codes:
  0  results found (or the command succeeded)
  1  nothing matched
  2  usage error: bad option or value, unknown place or field, refused import
  3  store error: missing, unreadable, not JSON, wrong shape, invalid, locked
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


def _completion_db(ctx: typer.Context) -> Any:
    try:
        return store.open_db(store.read_path(ctx.params.get("store_path")))
    except PolicyqError:
        return None


# Completions are plain values: with help text, Typer renders it through rich for zsh, fish
# and PowerShell, which doubles the time of every TAB.


def complete_place(ctx: typer.Context, incomplete: str) -> list[str]:
    db = _completion_db(ctx)
    if db is None:
        return []
    try:
        return query.places(db).completions(incomplete)
    except PolicyqError:
        return []


def complete_metric(incomplete: str) -> list[str]:
    from policyq.model import FAMILIES

    return [v for v in (*METRICS, *FAMILIES) if v.startswith(incomplete.casefold())]


def complete_kind(incomplete: str) -> list[str]:
    return [k for k in KINDS if k.startswith(incomplete)]


def complete_format(incomplete: str) -> list[str]:
    return [f for f in render.FORMATS if f.startswith(incomplete)]


def _field_completer(table: str) -> Any:
    def complete(incomplete: str) -> list[str]:
        done, _, last = incomplete.rpartition(",")
        prefix = done + "," if done else ""
        fields = FIELDS.get(table, SEARCH_RESULT_FIELDS)
        return [prefix + f for f in fields if f.startswith(last) and f not in done.split(",")]

    return complete


# --- shared options -------------------------------------------------------------------------

StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store", metavar="PATH", help="Store to use (default: $POLICYQ_STORE, the user store, or the bundled one)."
    ),
]
InOpt = Annotated[
    str | None,
    typer.Option(
        "--in",
        metavar="PLACE",
        help="Only PLACE and what lies below it (id, name, alias or Chinese name).",
        autocompletion=complete_place,
    ),
]
FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        metavar="FORMAT",
        help="table, json, jsonl, csv or tsv (default: table on a terminal, tsv when piped).",
        autocompletion=complete_format,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")]
SortOpt = Annotated[
    str | None, typer.Option("--sort", metavar="FIELD", help="Sort by FIELD (-FIELD or --desc for descending).")
]
DescOpt = Annotated[bool, typer.Option("--desc", help="Sort descending.")]
LimitOpt = Annotated[int | None, typer.Option("--limit", metavar="N", help="Show at most N records.")]
YearOpt = Annotated[
    str | None,
    typer.Option(
        "--year", metavar="YEAR", help="Deadline (targets) or period (indicators): 2025, or a range 2020-2025."
    ),
]
MetricOpt = Annotated[
    str | None,
    typer.Option(
        "--metric",
        metavar="TEXT",
        help="Metric name, family (e.g. output) or words of the source's wording.",
        autocompletion=complete_metric,
    ),
]
SectorOpt = Annotated[
    str | None, typer.Option("--sector", metavar="TEXT", help="Only records whose sectors contain TEXT.")
]
SourceOpt = Annotated[str | None, typer.Option("--source", metavar="ID", help="Only records citing this source id.")]
MinOpt = Annotated[
    float | None, typer.Option("--min", metavar="VALUE", help="Only values >= VALUE (base units, e.g. 1e11).")
]
MaxOpt = Annotated[float | None, typer.Option("--max", metavar="VALUE", help="Only values <= VALUE (base units).")]


def _fields_opt(table: str) -> Any:
    return typer.Option(
        "--fields", metavar="A,B", help="Fields to show, in order.", autocompletion=_field_completer(table)
    )


@dataclass(frozen=True)
class Output:
    format: str | None
    json: bool
    fields: str | None
    sort: str | None = None
    desc: bool = False
    limit: int | None = None

    def resolve(self) -> str:
        fmt = "json" if self.json else self.format
        if fmt is None:
            return "table" if sys.stdout.isatty() else "tsv"
        if fmt not in render.FORMATS:
            raise UsageError(f"unknown format '{fmt}'; valid formats: {', '.join(render.FORMATS)}")
        return fmt


def _years(text: str | None) -> tuple[int | None, int | None]:
    if text is None:
        return None, None
    first, sep, last = text.strip().partition("-")
    try:
        lo = int(first)
        hi = int(last) if sep else lo
    except ValueError:
        raise UsageError(f"--year takes a year such as 2025 or a range such as 2020-2025, not '{text}'") from None
    if lo > hi:
        raise UsageError(f"--year range {text} runs backwards; write it as {hi}-{lo}")
    return lo, hi


def _context(db: Any) -> render.Context:
    return {"zones": {z["id"]: z["name"] for z in db.table("zones").all()}}


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def emit(db: Any, table: str, records: list[dict[str, Any]], out: Output, noun: str) -> int:
    """Sort, cut, select fields and print ``records``; 0 when there were any, else 1."""
    fmt = out.resolve()
    records = query.order(records, table, out.sort, out.desc, out.limit)
    valid = FIELDS.get(table, SEARCH_RESULT_FIELDS)
    chosen = render.select_fields(records, table, out.fields, valid)
    columns = [f.strip() for f in out.fields.split(",") if f.strip()] if out.fields else list(valid)
    if fmt == "json":
        _write(render.to_json(chosen))
    elif fmt == "jsonl":
        _write(render.to_jsonl(chosen))
    elif fmt == "csv":
        _write(render.to_csv(chosen, columns))
    elif fmt == "tsv":
        _write(render.to_tsv(chosen, columns))
    elif chosen:
        title = f"{len(chosen)} {noun}" if len(chosen) != 1 else f"1 {noun.rstrip('s')}"
        render.draw_table(sys.stdout, chosen, table, _context(db), columns if out.fields else None, title)
    if not chosen:
        sys.stderr.write(f"policyq: no {noun} matched\n")
        return ExitCode.NO_MATCH
    return ExitCode.OK


def _db(path: str | None) -> Any:
    return store.open_db(store.read_path(path))


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


@app.command()
def zones(
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
    store_path: StoreOpt = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    fields: Annotated[str | None, _fields_opt("zones")] = None,
    sort: SortOpt = None,
    desc: DescOpt = False,
    limit: LimitOpt = None,
) -> int:
    """List places, zones, parks, platforms and facilities.

    \b
    Examples:
      policyq zones --in Shanghai
      policyq zones --kind pilot_zone
      policyq zones --in Pudong --kind park --fields id,name,parent --json
    """
    db = _db(store_path)
    records = query.list_zones(db, Filters(place=place, kinds=tuple(kind or ()), sector=sector, source=source))
    return emit(db, "zones", records, Output(fmt, as_json, fields, sort, desc, limit), "zones")


@app.command()
def parks(
    place: InOpt = None,
    sector: SectorOpt = None,
    source: SourceOpt = None,
    store_path: StoreOpt = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    fields: Annotated[str | None, _fields_opt("zones")] = None,
    sort: SortOpt = None,
    desc: DescOpt = False,
    limit: LimitOpt = None,
) -> int:
    """List industrial parks (zones of kind park or park_group).

    \b
    Examples:
      policyq parks --in Pudong
      policyq parks --in Zhangjiang --json
      policyq parks --sector data --fields id,name,parent
    """
    db = _db(store_path)
    records = query.list_zones(db, Filters(place=place, kinds=PARK_KINDS, sector=sector, source=source))
    return emit(db, "zones", records, Output(fmt, as_json, fields, sort, desc, limit), "parks")


def _facts(
    table: str,
    place: str | None,
    year: str | None,
    metric: str | None,
    sector: str | None,
    source: str | None,
    min_value: float | None,
    max_value: float | None,
    due_by: int | None,
    store_path: str | None,
    out: Output,
) -> int:
    lo, hi = _years(year)
    if due_by is not None:
        hi = due_by if hi is None else min(hi, due_by)
    db = _db(store_path)
    f = Filters(
        place=place,
        year_from=lo,
        year_to=hi,
        metric=metric,
        sector=sector,
        source=source,
        min_value=min_value,
        max_value=max_value,
    )
    return emit(db, table, query.list_facts(db, table, f), out, table)


@app.command()
def targets(
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
    store_path: StoreOpt = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    fields: Annotated[str | None, _fields_opt("targets")] = None,
    sort: SortOpt = None,
    desc: DescOpt = False,
    limit: LimitOpt = None,
) -> int:
    """List numeric targets: what a place or park committed to reach, and by when.

    \b
    Examples:
      policyq targets --year 2025 --metric output
      policyq targets --in Lingang --due-by 2025
      policyq targets --min 1e11 --sort value --desc --json
    """
    out = Output(fmt, as_json, fields, sort, desc, limit)
    return _facts("targets", place, year, metric, sector, source, min_value, max_value, due_by, store_path, out)


@app.command()
def indicators(
    place: InOpt = None,
    year: YearOpt = None,
    metric: MetricOpt = None,
    sector: SectorOpt = None,
    source: SourceOpt = None,
    min_value: MinOpt = None,
    max_value: MaxOpt = None,
    store_path: StoreOpt = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    fields: Annotated[str | None, _fields_opt("indicators")] = None,
    sort: SortOpt = None,
    desc: DescOpt = False,
    limit: LimitOpt = None,
) -> int:
    """List reported figures: counts, output, GDP, growth, areas, densities, shares, ranks.

    \b
    Examples:
      policyq indicators --in Qingdao
      policyq indicators --metric gdp --sort value --desc
      policyq indicators --in Shanghai --year 2023 --format csv
    """
    out = Output(fmt, as_json, fields, sort, desc, limit)
    return _facts("indicators", place, year, metric, sector, source, min_value, max_value, None, store_path, out)


@app.command()
def sources(
    store_path: StoreOpt = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    fields: Annotated[str | None, _fields_opt("sources")] = None,
    sort: SortOpt = None,
    desc: DescOpt = False,
    limit: LimitOpt = None,
) -> int:
    """List the source documents every fact is traced to.

    \b
    Examples:
      policyq sources
      policyq sources --sort published --fields id,published,title
    """
    db = _db(store_path)
    return emit(db, "sources", query.list_sources(db), Output(fmt, as_json, fields, sort, desc, limit), "sources")


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Words to look for.")],
    store_path: StoreOpt = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    fields: Annotated[str | None, _fields_opt("search")] = None,
    limit: LimitOpt = None,
) -> int:
    """Find records whose names, aliases, metrics, sectors or notes contain TEXT.

    \b
    Examples:
      policyq search metaverse
      policyq search 张江
      policyq search robot --json
    """
    db = _db(store_path)
    return emit(db, "search", query.search(db, text), Output(fmt, as_json, fields, limit=limit), "records")


@app.command()
def show(
    name: Annotated[
        str, typer.Argument(help="An id, or a place's name, alias or Chinese name.", autocompletion=complete_place)
    ],
    store_path: StoreOpt = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    fields: Annotated[str | None, typer.Option("--fields", metavar="A,B", help="Fields of the record to show.")] = None,
) -> int:
    """Show one record in full, with its related records and sources.

    \b
    Examples:
      policyq show aisland
      policyq show 浦东
      policyq show shanghai-robot-density --json
    """
    db = _db(store_path)
    shown = query.show(db, name)
    table = shown["table"]
    out = Output(fmt, as_json, fields)
    fmt_ = out.resolve()
    if fields:
        shown = {**shown, "record": render.select_fields([shown["record"]], table, fields, FIELDS[table])[0]}
    if fmt_ == "json":
        _write(render.to_json(shown))
    elif fmt_ == "jsonl":
        _write(render.to_jsonl([shown]))
    elif fmt_ in ("csv", "tsv"):
        columns = list(shown["record"])
        writer = render.to_csv if fmt_ == "csv" else render.to_tsv
        _write(writer([shown["record"]], columns))
    else:
        render.draw_record(sys.stdout, shown, _context(db), list(shown["record"]) if fields else None)
    return ExitCode.OK


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="A question in plain words.")],
    explain: Annotated[bool, typer.Option("--explain", help="Only say how the question was understood.")] = False,
    store_path: StoreOpt = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    fields: Annotated[str | None, typer.Option("--fields", metavar="A,B", help="Fields to show, in order.")] = None,
    sort: SortOpt = None,
    desc: DescOpt = False,
    limit: LimitOpt = None,
) -> int:
    """Answer a question in plain words; says on stderr how it understood it.

    \b
    Examples:
      policyq ask "parks in Pudong"
      policyq ask "2025 output targets"
      policyq ask "indicators for Qingdao"
      policyq ask "targets due by 2025 in Lingang"
    """
    from policyq import ask as asking

    db = _db(store_path)
    q = asking.parse(question, query.places(db))
    sys.stderr.write(f"policyq: {q.explanation}\n")
    if explain:
        return ExitCode.OK
    out = Output(fmt, as_json, fields, sort, desc, limit)
    if q.table == "zones":
        noun = "parks" if q.filters.kinds == ("park",) else "zones"
        f = q.filters if noun == "zones" else Filters(place=q.filters.place, kinds=PARK_KINDS)
        return emit(db, "zones", query.list_zones(db, f), out, noun)
    if q.table == "sources":
        return emit(db, "sources", query.list_sources(db), out, "sources")
    return emit(db, q.table, query.list_facts(db, q.table, q.filters), out, q.table)


# --- the store: init, import, validate, remove ------------------------------------------------


@app.command()
def init(
    path: Annotated[str | None, typer.Argument(help="Where to create the store (default: the user store).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing store.")] = False,
) -> int:
    """Create a user store, a copy of the bundled one, to add facts to.

    \b
    Examples:
      policyq init
      policyq init ./research.json
    """
    target = store.init_store(path, force=force)
    use = "queries now read it" if path is None else f"use it with --store {target} or POLICYQ_STORE={target}"
    sys.stderr.write(f"policyq: created {target}; {use}\n")
    _write(f"{target}\n")
    return ExitCode.OK


@app.command("import")
def import_(
    file: Annotated[str, typer.Argument(help="JSON, JSON lines or CSV file to import; - reads stdin.")],
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
    from policyq import ingest

    if replace and skip_existing:
        raise UsageError("--replace and --skip-existing exclude each other; choose one")
    label = "stdin" if file == "-" else file
    text = _read_input(file)
    incoming = ingest.read_records(file, text, input_format, table)
    target = store.write_path(store_path)
    if dry_run:
        try:
            plan = ingest.plan_import(
                store.load_tables(target, lazy=False), incoming, label, replace=replace, skip_existing=skip_existing
            )
        except ingest.ImportRefused as exc:  # a dry run lists every problem, not just the first
            _write("".join(f"problem\t{d}\n" for d in exc.details))
            raise
        for verb, items in (("add", plan.added), ("replace", plan.replaced), ("skip", plan.skipped)):
            _write("".join(f"{verb}\t{i.table}\t{i.record.get('id')}\n" for i in items))
        sys.stderr.write(f"policyq: dry run, nothing written to {target}\n")
        return ExitCode.OK
    with store.transaction(target) as db:
        plan = ingest.plan_import(db.storage.read(), incoming, label, replace=replace, skip_existing=skip_existing)
        db.storage.write(plan.tables)
    sys.stderr.write(
        f"policyq: {target}: added {len(plan.added)}, replaced {len(plan.replaced)}, skipped {len(plan.skipped)}\n"
    )
    return ExitCode.OK


def _read_input(file: str) -> str:
    try:
        raw = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        return raw.decode("utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"no file '{file}'") from None
    except IsADirectoryError:
        raise UsageError(f"'{file}' is a directory, not a file to import") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"{file} is not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise UsageError(f"cannot read {file}: {exc.strerror or exc}") from None


@app.command()
def validate(
    path: Annotated[str | None, typer.Argument(help="Store to check (default: the store queries read).")] = None,
    store_path: StoreOpt = None,
) -> int:
    """Check a store: fields, types, units, comparators, references, unique ids, no cycles.

    Prints every problem with its table, record id and field; exit 0 when clean, 3 when not.

    \b
    Examples:
      policyq validate
      policyq validate ./research.json
    """
    from policyq.model import validate as check

    target = store.read_path(path or store_path)
    tables = store.load_tables(target, lazy=False)
    problems = check(tables)
    if problems:
        _write("".join(f"{p}\n" for p in problems))
        sys.stderr.write(f"policyq: store {target} is invalid: {len(problems)} problem(s)\n")
        return ExitCode.STORE
    counts = ", ".join(f"{len(tables.get(t) or {})} {t}" for t in FIELDS)
    _write(f"ok\t{target}\t{counts}\n")
    return ExitCode.OK


@app.command()
def remove(
    record_id: Annotated[str, typer.Argument(metavar="ID", help="Id of the record to remove.")],
    store_path: StoreOpt = None,
) -> int:
    """Remove one record from a user store (refused while other records refer to it).

    \b
    Examples:
      policyq remove my-target-2026 --store ./research.json
    """
    from tinydb import where

    from policyq.model import validate as check

    target = store.write_path(store_path)
    with store.transaction(target) as db:
        table = next((t for t in FIELDS if db.table(t).contains(where("id") == record_id)), None)
        if table is None:
            raise UsageError(f"no record with id '{record_id}' in {target}")
        before = {str(p) for p in check(db.storage.read())}
        db.table(table).remove(where("id") == record_id)
        problems = [p for p in check(db.storage.read()) if str(p) not in before]
        if problems:
            raise UsageError(f"cannot remove '{record_id}': {problems[0]}; remove or change that record first")
    sys.stderr.write(f"policyq: removed {table} '{record_id}' from {target}\n")
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


def main() -> None:
    """Console entry point."""
    _prune_to_invoked_command(sys.argv[1:])
    if (sys.stdout.encoding or "").lower().replace("-", "") != "utf8" and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    app(prog_name="policyq")
