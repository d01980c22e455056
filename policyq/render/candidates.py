"""The human view of extracted candidates: each one as a heading line (number, table, figure,
period, place, confidence), its metric, and its sentence with the figure highlighted, wrapped
at word boundaries to the terminal's width."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from policyq.render.cells import Block, Line, truncate, width
from policyq.render.human import human_value
from policyq.text import visible

INDENT = "    "


def sentence_lines(quote: str, start: int, end: int, size: int) -> list[Line]:
    """``quote`` wrapped to ``size`` cells, the characters ``start:end`` in the accent style."""
    lines: list[Line] = []
    current: list[tuple[str, str]] = []
    used = 0
    for m in re.finditer(r"\S+", quote):
        word_w = width(m.group())
        if current and used + 1 + word_w > size:
            lines.append(tuple(current))
            current, used = [], 0
        if current:
            current.append((" ", "accent" if start < m.start() <= end - 1 and start < end else ""))
            used += 1
        a, b = m.start(), m.end()
        for lo, hi, style in ((a, min(b, start), ""), (max(a, start), min(b, end), "accent"), (max(a, end), b, "")):
            if hi > lo:
                current.append((visible(quote[lo:hi]), style))
        used += word_w
    if current:
        lines.append(tuple(current))
    return lines


def heading(n: int, c: Mapping[str, Any], lookup_name: Any, size: int = 80) -> str:
    period = c.get("deadline") if c.get("table") == "targets" else c.get("as_of")
    place = lookup_name(c["subject"]) if c.get("subject") else f"no place ({c.get('subject_text') or 'none named'})"
    kind = "target" if c.get("table") == "targets" else "indicator"
    value = human_value(c.get("value"), c.get("unit"), c.get("comparator"))
    conf = c.get("confidence")
    head = visible(f"{n:>3}  {kind:<9}  {value}  {period or 'no date'}  {conf or 0:.2f}  ")
    return head + truncate(visible(place), max(8, size - width(head)))


def draw(candidates: Sequence[Mapping[str, Any]], size: int, lookup_name: Any, title: str) -> Block:
    block = Block()
    block.text([title], "bold")
    room = max(20, size - len(INDENT))
    for n, c in enumerate(candidates, 1):
        block.text([""])
        block.lines.append(((heading(n, c, lookup_name, size), "bold"),))
        metric = c.get("metric") or "no metric"
        label = c.get("metric_label") or ""
        block.text([visible(f"{INDENT}{metric} — {label}")[: size - 1]], "dim")
        for line in quote_lines(c, room):
            block.lines.append(((INDENT, ""), *line))
    return block


def quote_lines(c: Mapping[str, Any], size: int) -> list[Line]:
    """A candidate's sentence, wrapped, with its figure highlighted."""
    quote = str(c.get("quote") or "")
    figure = str(c.get("figure") or "")
    lo = quote.find(figure) if figure else -1
    return sentence_lines(quote, lo, lo + len(figure) if lo >= 0 else -1, size)


def record_block(n: int, total: int, c: Mapping[str, Any], size: int, lookup: Any) -> Block:
    """One candidate for review: where it is in the draft, its sentence with the figure
    highlighted, the record as ``show`` prints it (``lookup``: a ``policyq.render.Lookup``),
    the fields still to fill, and why it was read so."""
    from policyq.model import FIELDS
    from policyq.render import card

    table = str(c.get("table"))
    block = Block()
    kind = "target" if table == "targets" else "indicator"
    block.text([truncate(f"Candidate {n} of {total}: {kind}, confidence {c.get('confidence')}", size)], "bold")
    for line in quote_lines(c, max(20, size - 2)):
        block.lines.append((("  ", ""), *line))
    block.text([""])
    record = {k: c.get(k) for k in FIELDS.get(table, ()) if k != "quote"}
    if record.get("subject") is None:  # the card names a place by its subject
        record["subject"] = f"no place yet ({c.get('subject_text') or 'none named'})"
    block.add(card.draw(card.build({"table": table, "record": record, "related": {}}, lookup), lookup, size))
    missing = [k for k in ("subject", "metric", "family", "year", "value", "unit") if c.get(k) is None]
    if missing:
        block.text([""])
        block.text([truncate(f"To fill before import: {', '.join(missing)} (e to edit)", size)], "bold")
    if c.get("why"):
        block.text([truncate(visible(f"Why: {c['why']}"), size)], "dim")
    return block


def columns() -> list[str]:
    """The columns of csv and tsv output: ``table``, every field of a target or an indicator,
    then the review keys."""
    from policyq.choices import REVIEW_KEYS
    from policyq.model import FIELDS

    fields = ["table", *FIELDS["targets"]]
    fields[fields.index("deadline_precision") + 1 : fields.index("deadline_precision") + 1] = [
        "as_of",
        "as_of_precision",
    ]
    return fields + [k for k in REVIEW_KEYS if k != "table"]


def render(
    records: Sequence[Mapping[str, Any]],
    candidates: Sequence[Mapping[str, Any]],
    fmt: str,
    fields: list[str] | None,
    header: bool,
    size: int,
    lookup_name: Any,
    csv_safe: bool = False,
) -> str | Block:
    """The draft in ``fmt``: json and jsonl carry every record (a drafted source first), csv,
    tsv and markdown the candidates; a table is a ``Block`` to draw."""
    from policyq.render.data import as_data, select, to_markdown

    shown = records if fmt in ("json", "jsonl") else candidates  # json carries a drafted source too
    text = as_data(fmt, select(shown, fields), fields or columns(), header, csv_safe)
    if text is not None:
        return text
    if fmt == "markdown":
        heads = ["#", "table", "value", "period", "place", "metric", "confidence", "quote"]
        rows = []
        for n, c in enumerate(candidates, 1):
            period = c.get("deadline") if c.get("table") == "targets" else c.get("as_of")
            value = human_value(c.get("value"), c.get("unit"), c.get("comparator"))
            place = c.get("subject") or ""
            cells = [str(n), str(c.get("table")), value, str(period or ""), place, str(c.get("metric") or "")]
            rows.append([*cells, f"{c.get('confidence')}", str(c.get("quote"))])
        return to_markdown(heads, rows)
    noun = "candidate" if len(candidates) == 1 else "candidates"
    return draw(candidates, size, lookup_name, f"{len(candidates)} {noun}")


class Bar:
    """A progress bar on stderr for a long document, only when stderr is a terminal; called
    as ``bar(done, total)``. Documents under ``LONG`` characters show none."""

    LONG = 100_000

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.progress: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.progress is None:
            if total < self.LONG or not _isatty(self.stream):
                return
            from rich.console import Console
            from rich.progress import Progress

            self.progress = Progress(console=Console(file=self.stream), transient=True)
            self.progress.start()
            self.task = self.progress.add_task("reading", total=total)
        self.progress.update(self.task, completed=done)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
