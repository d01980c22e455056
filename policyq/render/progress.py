"""``policyq progress`` on a terminal: each target, then the figures reported that speak to it,
each with its place's relation to the target's, its period, and a bar of indicator / target
where the units match (full at 100%; the percentage says how far past it)."""

from __future__ import annotations

from collections.abc import Sequence

from policyq.render.chart import bar
from policyq.render.data import to_markdown
from policyq.render.human import Lookup, Record, human_value
from policyq.render.layout import GAP, Block, Line, styled, width, wrap
from policyq.text import visible

LABEL = 12  # "  reported  "
BAR = 20  # cells for 100%


def _figure(r: Record) -> str:
    return visible(human_value(r.get("value"), r.get("unit"), r.get("comparator")))


def _due(t: Record) -> str:
    deadline = t.get("deadline") or t.get("year")
    return f"by {visible(str(deadline))}" if deadline else ""


def _when(i: Record) -> str:
    return visible(str(i.get("as_of") or i.get("year") or ""))


def _percent(ratio: float) -> str:
    text = f"{ratio * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _heading(text: str, fid: str, size: int) -> list[Line]:
    """The heading, with the id at the right when both fit on one line, else on a line below."""
    room = size - width(fid) - GAP
    if width(text) <= room:
        return [((text, "bold"), (" " * (room - width(text) + GAP), ""), (fid, "dim"))]
    return [styled(line, "bold") for line in wrap(text, size, 2)[0]] + [styled(fid, "dim")]


def draw(items: Sequence[Record], lookup: Lookup, size: int, title: str) -> Block:
    """The progress view, ``size`` cells wide, under ``title``."""
    facts = [it["target"] for it in items] + [e["indicator"] for it in items for e in it["evidence"]]
    value_w = max((width(_figure(r)) for r in facts), default=0)
    when_w = max([width(_due(it["target"])) for it in items] + [width(_when(e["indicator"])) for e in _all(items)])
    bar_w = max(5, min(BAR, size - LABEL - value_w - when_w - 3 * GAP - len("100%")))
    text_w = max(10, size - LABEL)
    block = Block()
    block.text(wrap(title, size)[0], "bold")
    indent = " " * LABEL
    for it in items:
        t = it["target"]
        head = f"{lookup.zone(t.get('subject'))} · {t.get('metric_label')}"
        block.text([""])
        block.lines += _heading(visible(head), visible(str(t.get("id"))), size)
        block.text([_row("target", _figure(t), _due(t), value_w, when_w)])
        if not it["evidence"]:
            block.lines.append(((indent, ""), ("no figure reported for it", "dim")))
        for e in it["evidence"]:
            i, ratio = e["indicator"], e["ratio"]
            row = _row("reported", _figure(i), _when(i), value_w, when_w)
            if ratio is None:
                block.text([row])
            else:
                shape = bar(min(ratio, 1.0), 1.0, bar_w)
                rest = " " * (bar_w - width(shape) + 1) + _percent(ratio)
                block.lines.append(((row + " " * GAP, ""), (shape, "accent"), (rest, "")))
            about = f"{lookup.zone(i.get('subject'))} · {i.get('metric_label')}"
            block.text([indent + line for line in wrap(visible(about), text_w, 2)[0]])
            where = f"{e['relation']} · {i.get('id')}" + ("" if ratio is not None else " · units differ")
            block.lines += [((indent, ""), (line, "dim")) for line in wrap(visible(where), text_w)[0]]
    return block


def _all(items: Sequence[Record]) -> list[Record]:
    return [e for it in items for e in it["evidence"]]


def _row(label: str, figure: str, when: str, value_w: int, when_w: int) -> str:
    cells = [f"  {label:<{LABEL - 2}}" + figure + " " * (value_w - width(figure)), when + " " * (when_w - width(when))]
    return (" " * GAP).join(cells)


def markdown(items: Sequence[Record], lookup: Lookup) -> str:
    """A pipe table: one row per target and figure reported for it."""
    rows = []
    for it in items:
        t = it["target"]
        aim = [f"{lookup.zone(t.get('subject'))}: {t.get('metric_label')}", _figure(t), _due(t), str(t.get("id"))]
        for e in it["evidence"] or [None]:
            if e is None:
                rows.append([*aim, "", "", "", "", ""])
                continue
            i, ratio = e["indicator"], e["ratio"]
            percent = _percent(ratio) if ratio is not None else "units differ"
            rows.append(
                [
                    *aim,
                    _figure(i),
                    _when(i),
                    e["relation"],
                    percent,
                    str(i.get("id")),
                ]
            )
    headers = ["Target", "Aim", "By", "Target id", "Reported", "As of", "Where", "Progress", "Indicator id"]
    return to_markdown(headers, rows)
