"""Data formats: json, jsonl, csv, tsv and markdown pipe tables.

json, jsonl, csv and tsv carry the stored fields as they are, in encodings that read back
unchanged (README, "Formats"):

- JSON escapes every character that could hide or reorder text, or break a reader that splits
  lines: C0 and C1 controls, bidirectional marks and overrides, invisible characters (U+200B,
  U+2060, BOM, tag characters…) and U+2028/U+2029. A number that is not finite (a ratio of
  two extreme values) has no JSON form and is written as ``null``.
- CSV and TSV write a list as a JSON array in its cell (``["AI","5G"]``) and an object as JSON;
  ``None`` and non-finite numbers as an empty cell.
- TSV is the IANA ``text/tab-separated-values`` format: one record a line, a tab between
  cells. A value that holds a tab or line break, or starts with a double quote, is quoted the
  way CSV quotes (``"a""b"``), which pandas, polars, the csv module and ``policyq import``
  read back, and which line tools show as it is.

A markdown table is for people (reports, notes): it takes cells already made human by the
caller and escapes what Markdown or HTML would act on.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from policyq.text import visible

Record = dict[str, Any]

# What JSON output escapes beyond what the encoder does: C1 controls, bidi marks and overrides
# (U+061C, U+200E/F, U+202A-E, U+2066-9), invisible characters (U+00AD, U+180E, U+200B-D,
# U+2060-4, U+FEFF, tag characters), U+2028/9 (line breaks to JavaScript and to str.splitlines)
# and lone surrogates. Outside strings a JSON text is ASCII, so these can be escaped in place.
_JSON_UNSAFE = re.compile(
    "[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # a surrogate pair, as JSON writes characters beyond the BMP
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_safe(text: str) -> str:
    """A JSON text with every character of ``_JSON_UNSAFE`` as a ``\\uXXXX`` escape."""
    return text if text.isascii() else _JSON_UNSAFE.sub(_escape, text)


def finite(data: Any) -> Any:
    """``data`` with every float that is not finite replaced by None (JSON has no infinity)."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {k: finite(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [finite(v) for v in data]
    return data


def _dumps(data: Any, **kw: Any) -> str:
    try:
        return json.dumps(data, ensure_ascii=False, allow_nan=False, **kw)
    except ValueError:  # Infinity or NaN somewhere: null instead
        return json.dumps(finite(data), ensure_ascii=False, allow_nan=False, **kw)


def to_json(data: Any) -> str:
    return json_safe(_dumps(data, indent=2)) + "\n"


def to_jsonl(records: Sequence[Any]) -> str:
    """One compact JSON object per line. Uses orjson when a large store already loaded it
    (several times faster); both give the same JSON values (orjson writes a non-finite float as
    null, as the standard encoder does here)."""
    orjson = sys.modules.get("orjson")
    if orjson is not None:
        try:
            return json_safe(b"".join(orjson.dumps(r) + b"\n" for r in records).decode())
        except TypeError:  # e.g. an integer beyond 64 bits, which the standard encoder writes
            pass
    return json_safe("".join(_dumps(r, separators=(",", ":")) + "\n" for r in records))


def jq_text(expression: str, text: str) -> str:
    """What the jq ``expression`` makes of the JSON ``text``, one result a line: a string as
    its text (control characters made visible), anything else as compact JSON; as ``gh --jq``
    prints them. The compiled jq binding is imported only here."""
    from policyq.errors import UsageError

    try:
        import jq
    except ImportError:
        raise UsageError("--jq needs the jq package: pip install 'policyq[jq]' (or pipe --json to jq)") from None
    try:
        results = jq.compile(expression).input_text(text).all()
    except ValueError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "invalid expression"
        raise UsageError(f"--jq '{visible(expression)}': {visible(first)}") from None
    lines = (visible(r) if isinstance(r, str) else json_safe(_dumps(r, separators=(",", ":"))) for r in results)
    return "".join(line + "\n" for line in lines)


def cell(value: Any) -> str:
    """A stored value as text for people: lists of strings joined with '; ', other lists and
    objects as JSON, None as nothing."""
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


def data_cell(value: Any) -> str:
    """A stored value as one CSV or TSV cell that reads back unchanged: lists and objects as
    JSON (``["a, b","c; d"]``), None and non-finite numbers as an empty cell."""
    if isinstance(value, (list, dict)):
        return _dumps(value, separators=(",", ":"))
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return cell(value)


# How a cell starts when a spreadsheet would run it as a formula (the OWASP list); spreadsheets
# also skip leading spaces and line breaks before one.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _defused(shown: str, value: Any) -> str:
    """``shown`` with a leading ``'`` when a spreadsheet would run it as a formula; numbers stay."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return shown
    if shown.startswith(FORMULA_START) or shown.lstrip(" \n\r\t").startswith(FORMULA_START[:4]):
        return "'" + shown
    return shown


def to_csv(records: Sequence[Record], columns: Sequence[str], header: bool = True, *, safe: bool = False) -> str:
    """CSV as RFC 4180 has it: rows end with CRLF; a value holding a comma, a quote, CR or LF is
    quoted, so any CSV reader gets the same rows back. Control characters other than tab, CR and
    LF are made visible. With ``safe`` (``--csv-safe``), a text cell that a spreadsheet would run
    as a formula (it starts with = + - @, a tab or CR, maybe after spaces or line breaks) gets a
    leading ``'``; numbers stay numbers. It is off by default, since the data must import back
    unchanged."""
    import csv
    import io

    def text(value: Any) -> str:
        shown = visible(data_cell(value), keep="\t\r\n")
        return _defused(shown, value) if safe else shown

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if header:
        writer.writerow(columns)
    for r in records:
        writer.writerow([text(r.get(c)) for c in columns])
    return out.getvalue()


_TSV_QUOTE = re.compile('[\t\n\r]|^"')


def _tsv_cell(text: str) -> str:
    if _TSV_QUOTE.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def to_tsv(records: Sequence[Record], columns: Sequence[str], header: bool = True, *, safe: bool = False) -> str:
    """Tab-separated with a header (IANA ``text/tab-separated-values``). A value holding a tab
    or line break, or starting with ``"``, is quoted as CSV quotes it; ``safe`` as for CSV."""

    def text(value: Any) -> str:
        shown = visible(data_cell(value), keep="\t\r\n")
        return _tsv_cell(_defused(shown, value) if safe else shown)

    lines = ["\t".join(_tsv_cell(visible(c, keep="\t\r\n")) for c in columns)] if header else []
    lines.extend("\t".join(text(r.get(c)) for c in columns) for r in records)
    return "".join(line + "\n" for line in lines)


# What Markdown (CommonMark and GFM) or HTML would act on in a table cell, written with a
# backslash escape (CommonMark has one for every ASCII punctuation character). An underscore
# inside a word (output_value) opens no emphasis and stays as it is.
_MD_SPECIAL = re.compile(r"([\\`*\[\]<>&|~]|(?<!\w)_|_(?!\w))")


def md_text(text: str) -> str:
    """A markdown table cell: Markdown and HTML syntax escaped (``<img …>`` stays text), line
    breaks as <br>, control characters visible."""
    text = _MD_SPECIAL.sub(r"\\\g<0>", visible(text.replace("\u00a0", " "), keep="\n"))
    return "<br>".join(text.splitlines())


def to_markdown(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A pipe table (GitHub-flavoured markdown) of text cells."""
    lines = ["| " + " | ".join(md_text(h) for h in headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines.extend("| " + " | ".join(md_text(c) for c in row) + " |" for row in rows)
    return "".join(line + "\n" for line in lines)


def select(rows: Sequence[Mapping[str, Any]], fields: Sequence[str] | None) -> list[dict[str, Any]]:
    """``rows`` with only ``fields``, in that order (every field when None)."""
    return [{f: r.get(f) for f in fields} for r in rows] if fields else [dict(r) for r in rows]


def as_data(fmt: str, rows: Sequence[Record], columns: Sequence[str], header: bool, csv_safe: bool) -> str | None:
    """``rows`` in the data format ``fmt`` (json, jsonl, csv, tsv); None for a human one."""
    if fmt == "json":
        return to_json(rows)
    if fmt == "jsonl":
        return to_jsonl(rows)
    if fmt in ("csv", "tsv"):
        return (to_csv if fmt == "csv" else to_tsv)(rows, columns, header, safe=csv_safe)
    return None
