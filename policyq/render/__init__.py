"""Turning records into text: table, json, jsonl, csv, tsv.

Renderers return strings (or, for tables, write to a file object) and know nothing of the
CLI. Data formats carry the stored fields as they are; only the table makes numbers human
("over CNY 1.5 tn"). rich is imported only when a table is drawn.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from typing import IO, Any

from policyq.errors import UsageError
from policyq.model import COMPARATORS

FORMATS = ("table", "json", "jsonl", "csv", "tsv")
Record = dict[str, Any]


def resolve_format(fmt: str | None, as_json: bool, isatty: bool) -> str:
    """The format to print: ``--json``, else ``--format``, else a table on a terminal and TSV when piped."""
    chosen = "json" if as_json else fmt
    if chosen is None:
        return "table" if isatty else "tsv"
    if chosen not in FORMATS:
        raise UsageError(f"unknown format '{chosen}'; valid formats: {', '.join(FORMATS)}")
    return chosen


def select_fields(records: Sequence[Record], table: str, fields: str | None, valid: Sequence[str]) -> list[Record]:
    """Records cut to ``fields`` (comma-separated, in that order); all fields when None."""
    if not fields:
        return list(records)
    wanted = [f.strip() for f in fields.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in valid]
    if unknown or not wanted:
        what = f"unknown field '{unknown[0]}'" if unknown else "no fields given"
        raise UsageError(f"{what} for {table}; valid fields: {','.join(valid)}")
    return [{f: r.get(f) for f in wanted} for r in records]


# --- data formats ---------------------------------------------------------------------------


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_jsonl(records: Sequence[Any]) -> str:
    """One compact JSON object per line. Uses orjson when a large store already loaded it
    (several times faster); both give the same JSON values."""
    orjson = sys.modules.get("orjson")
    if orjson is not None:
        try:
            return b"".join(orjson.dumps(r) + b"\n" for r in records).decode()
        except TypeError:  # e.g. an integer beyond 64 bits, which the standard encoder writes
            pass
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    return "".join(dumps(r) + "\n" for r in records)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return "; ".join(value)
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def to_csv(records: Sequence[Record], columns: Sequence[str]) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for r in records:
        writer.writerow([_cell(r.get(c)) for c in columns])
    return out.getvalue()


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def to_tsv(records: Sequence[Record], columns: Sequence[str]) -> str:
    """Tab-separated with a header; tabs, newlines and backslashes inside a value are escaped."""
    lines = ["\t".join(columns)]
    lines.extend("\t".join(_cell(r.get(c)).translate(_TSV_ESCAPES) for c in columns) for r in records)
    return "\n".join(lines) + "\n"


# --- human numbers --------------------------------------------------------------------------


def _num(x: float) -> str:
    text = f"{x:,.6f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def money(currency: str, value: float) -> str:
    """'CNY 1.5 tn', 'CNY 785.66 bn', 'US$ 14.5 bn'."""
    for size, suffix in ((1e12, "tn"), (1e9, "bn"), (1e6, "mn")):
        if abs(value) >= size:
            return f"{currency} {_num(value / size)} {suffix}"
    return f"{currency} {_num(value)}"


def human_value(value: Any, unit: str | None, comparator: str | None = "=") -> str:
    """A stored value as a reader would say it: 'over CNY 1.5 tn', '7.4%', 'top 2'."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return "" if value is None else str(value)
    if unit == "rank":
        return f"top {_num(value)}" if comparator == "<=" else f"#{_num(value)}"
    text = {
        "CNY": lambda: money("CNY", value),
        "USD": lambda: money("US$", value),
        "percent": lambda: f"{_num(value)}%",
        "m2": lambda: f"{_num(value)} m²",
        "km2": lambda: f"{_num(value)} km²",
        "per_10k_people": lambda: f"{_num(value)} per 10,000 people",
        "ratio": lambda: f"{_num(value)}×",
    }.get(unit or "", lambda: _num(value))()
    word = COMPARATORS.get(comparator or "=", comparator or "")
    return f"{word} {text}" if word else text


# --- tables ---------------------------------------------------------------------------------

# Human columns per table: (header, function of record and context).
Context = Mapping[str, Mapping[str, Any]]  # {"zones": {id: name}}: what a table shows for an id


def _subject(r: Record, ctx: Context) -> str:
    subject = str(r.get("subject"))
    return str(ctx["zones"].get(subject, subject))


def _usd(r: Record, ctx: Context) -> str:
    return money("US$", r["usd"]) if isinstance(r.get("usd"), (int, float)) else ""


def _value(r: Record, ctx: Context) -> str:
    return human_value(r.get("value"), r.get("unit"), r.get("comparator"))


def _fact_columns(value: str, period: str, period_field: str) -> list[tuple[str, Any]]:
    """Targets and indicators show the same columns but for what the value and period are called."""
    return [
        ("ID", lambda r, c: r.get("id")),
        ("Subject", _subject),
        ("Metric", lambda r, c: r.get("metric_label")),
        (value, _value),
        ("USD", _usd),
        (period, lambda r, c: r.get(period_field) or r.get("year")),
        ("Source", lambda r, c: r.get("source")),
    ]


COLUMNS: dict[str, list[tuple[str, Any]]] = {
    "zones": [
        ("ID", lambda r, c: r.get("id")),
        ("Name", lambda r, c: r.get("name")),
        ("中文", lambda r, c: r.get("name_zh")),
        ("Kind", lambda r, c: r.get("kind")),
        ("In", lambda r, c: c["zones"].get(r.get("parent"), r.get("parent"))),
    ],
    "targets": _fact_columns("Target", "By", "deadline"),
    "indicators": _fact_columns("Value", "As of", "as_of"),
    "search": [
        ("Table", lambda r, c: r.get("table")),
        ("ID", lambda r, c: r.get("id")),
        ("Name", lambda r, c: r.get("name")),
        ("Matched", lambda r, c: f"{r.get('field')}: {r.get('text')}"),
    ],
    "sources": [
        ("ID", lambda r, c: r.get("id")),
        ("Title", lambda r, c: r.get("title")),
        ("Publisher", lambda r, c: r.get("publisher")),
        ("Published", lambda r, c: r.get("published")),
    ],
}


def _console(file: IO[str]) -> Any:
    from rich.console import Console

    # Cells are data: no markup or emoji codes may be read into them (and parsing them is slow).
    return Console(file=file, highlight=False, soft_wrap=False, markup=False, emoji=False)


# Columns that must never be cut or wrapped: figures and dates. The others fold.
_NO_WRAP = {"Target", "Value", "USD", "By", "As of", "Published", "Field", "value", "usd", "year", "deadline", "as_of"}


def _table(title: str | None, headers: Sequence[str]) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", header_style="bold", pad_edge=False)
    for header in headers:
        table.add_column(header, no_wrap=header in _NO_WRAP, overflow="fold")
    return table


def draw_table(
    file: IO[str], records: Sequence[Record], table: str, ctx: Context, fields: Sequence[str] | None, title: str
) -> None:
    """A rich table: the human columns, or the chosen ``fields`` as stored."""
    if fields:
        columns = [(f, lambda r, c, f=f: _cell(r.get(f))) for f in fields]
    else:  # the human columns, less any that are empty in every row (often USD)
        columns = [(h, fn) for h, fn in COLUMNS[table] if any(_cell(fn(r, ctx)) for r in records)]
    grid = _table(title, [h for h, _ in columns])
    for r in records:
        grid.add_row(*[_cell(fn(r, ctx)) for _, fn in columns])
    _console(file).print(grid)


def draw_record(file: IO[str], shown: Record, ctx: Context, fields: Sequence[str] | None) -> None:
    """One record as field/value rows, then its related records as small tables."""
    console = _console(file)
    record, table = shown["record"], shown["table"]
    grid = _table(f"{table[:-1]} {record.get('id')}", ("Field", "Value"))
    for field, value in record.items():
        if fields and field not in fields:
            continue
        grid.add_row(field, _cell(value) if field != "value" else f"{_cell(value)} ({_value(record, ctx)})")
    console.print(grid)
    if fields:
        return
    for name, related in shown["related"].items():
        rows = related if isinstance(related, list) else [related] if related else []
        if not rows:
            continue
        kind = "zones" if name in ("ancestors", "children", "related", "subject") else name
        sub = _table(name, [h for h, _ in COLUMNS[kind]])
        for r in rows:
            sub.add_row(*[_cell(fn(r, ctx)) for _, fn in COLUMNS[kind]])
        console.print(sub)
