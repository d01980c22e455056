"""Data formats: json, jsonl, csv, tsv and markdown pipe tables.

json, jsonl, csv and tsv carry the stored fields as they are. A markdown table is for people
(reports, notes): it takes cells already made human by the caller.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from policyq.text import visible

Record = dict[str, Any]


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


def cell(value: Any) -> str:
    """A stored value as one text cell: lists of strings joined with '; ', other lists and
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


_cell = cell  # the name the writers below have always used


# How a cell starts when a spreadsheet would run it as a formula (the OWASP list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def to_csv(records: Sequence[Record], columns: Sequence[str], header: bool = True, *, safe: bool = False) -> str:
    """CSV as RFC 4180 has it: rows end with CRLF; a value holding a comma, a quote, CR or LF is
    quoted, so any CSV reader gets the same rows back. Control characters other than tab, CR and
    LF are made visible. With ``safe`` (``--csv-safe``), a text cell that a spreadsheet would run
    as a formula (it starts with = + - @, a tab or CR) gets a leading ``'``; numbers stay
    numbers. It is off by default, since the data must import back unchanged."""
    import csv
    import io

    def text(value: Any) -> str:
        shown = visible(_cell(value), keep="\t\r\n")
        if safe and shown.startswith(FORMULA_START) and not isinstance(value, (int, float)):
            return "'" + shown
        return shown

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if header:
        writer.writerow(columns)
    for r in records:
        writer.writerow([text(r.get(c)) for c in columns])
    return out.getvalue()


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def to_tsv(records: Sequence[Record], columns: Sequence[str], header: bool = True) -> str:
    """Tab-separated with a header; tabs, newlines and backslashes inside a value are escaped."""
    lines = ["\t".join(columns)] if header else []
    lines.extend("\t".join(visible(_cell(r.get(c)).translate(_TSV_ESCAPES)) for c in columns) for r in records)
    return "".join(line + "\n" for line in lines)


def md_text(text: str) -> str:
    """A markdown table cell: pipes escaped, line breaks as <br>, control characters visible."""
    text = visible(text.replace("\u00a0", " "), keep="\n").replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(text.splitlines())


def to_markdown(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A pipe table (GitHub-flavoured markdown) of text cells."""
    lines = ["| " + " | ".join(md_text(h) for h in headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines.extend("| " + " | ".join(md_text(c) for c in row) + " |" for row in rows)
    return "".join(line + "\n" for line in lines)
