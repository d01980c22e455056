"""``--chart``: targets or indicators as horizontal bars, one per record, labelled by subject
and metric, each with its figure and the year it is due or was reported.

Only like figures share a scale: records are grouped by metric family and unit (growth rates
apart from shares, enterprises apart from output), and the family ``count`` — a catch-all for
things counted — by metric (factories apart from pilot areas). A record alone in its group
is shown as its value without a bar: a full bar would compare it with nothing. Ranks are
orders, not amounts, and are listed rather than drawn."""

from __future__ import annotations

from collections.abc import Sequence

from policyq.errors import UsageError
from policyq.render import human
from policyq.render.cells import GAP, Block, width, wrap
from policyq.render.human import Lookup, Record
from policyq.text import visible

EIGHTHS = " ▏▎▍▌▋▊▉"
UNIT_NAMES = {
    "CNY": "CNY",
    "USD": "US$",
    "count": "count",
    "percent": "per cent",
    "m2": "square metres",
    "km2": "square kilometres",
    "per_10k_people": "per 10,000 people",
    "ratio": "multiple",
}


FAMILY_WORDS = {"gdp": "GDP", "growth": "growth rates", "share": "shares", "products": "products"}


def group_of(r: Record) -> tuple[str, str]:
    """The group a record is drawn in: its metric family (or, for things merely counted, its
    metric) and its unit."""
    family = str(r.get("family") or r.get("metric") or "")
    what = str(r.get("metric") or family) if family == "count" else family
    return what, str(r.get("unit"))


def group_name(key: tuple[str, str]) -> str:
    """'growth rates (per cent)', 'enterprises (count)', 'pilot areas (count)'."""
    from policyq.model import METRICS

    what, unit = key
    if what in METRICS and METRICS[what][0] == "count":
        words = METRICS[what][1].removeprefix("number of ").split(" (")[0]
    else:
        words = FAMILY_WORDS.get(what) or what.replace("_", " ")
    return f"{words} ({UNIT_NAMES.get(unit, unit)})"


def _refusal(records: Sequence[Record]) -> str:
    if len(records) == 1:
        return "nothing to chart: the record is a rank (an order, not an amount); drop --chart to list it"
    return f"nothing to chart: all {len(records)} records are ranks (orders, not amounts); drop --chart to list them"


def bar(value: float, top: float, size: int) -> str:
    """A bar of ``value`` against ``top`` in at most ``size`` cells, in eighths of a cell;
    a positive value too small to see still gets the thinnest bar."""
    if top <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value / top * size * 8))
    return "█" * (eighths // 8) + (EIGHTHS[eighths % 8] if eighths % 8 else "")


def _label(r: Record, lookup: Lookup, size: int) -> list[str]:
    """'Subject · metric' in lines of ``size`` cells: two, or three rather than cut, so that a
    long place name leaves room for what the bar measures."""
    text = f"{lookup.zone(r.get('subject'))} · {r.get('metric_label')}"
    short, was_cut = wrap(visible(text), size, 2)
    return wrap(visible(text), size, 3)[0] if was_cut else short


def _when(r: Record) -> str:
    """The year a target is due ('by 2025') or a figure was reported ('2022'): the table and
    the card give the exact date."""
    year = visible(str(r.get("year") or str(r.get("deadline") or r.get("as_of") or "")[:4]))
    return f"by {year}" if "deadline" in r and year else year


def draw(records: Sequence[Record], lookup: Lookup, size: int, title: str) -> Block:
    """The chart, ``size`` cells wide, under ``title``."""
    groups: dict[tuple[str, str], list[Record]] = {}
    left_out: list[Record] = []
    for r in records:
        value = r.get("value")
        if r.get("unit") == "rank" or not isinstance(value, (int, float)) or isinstance(value, bool):
            left_out.append(r)
        else:
            groups.setdefault(group_of(r), []).append(r)
    if not groups:  # nothing has an amount to draw: say so rather than print an empty chart
        raise UsageError(_refusal(records))
    drawn = [r for rows in groups.values() for r in rows]
    values = {id(r): visible(human.human_value(r["value"], r.get("unit"), r.get("comparator"))) for r in drawn}
    value_w = max((width(v) for v in values.values()), default=0)
    whens = {id(r): _when(r) for r in drawn}
    when_w = max((width(w) for w in whens.values()), default=0)
    rest = size - value_w - when_w - 3 * GAP  # for the label and the bar
    longest = max((width(_label(r, lookup, 10**6)[0]) for r in drawn), default=0)
    label_w = min(longest, max(10, rest * 3 // 5))
    bar_w = max(5, rest - label_w)
    label_w = min(label_w, rest - bar_w)
    block = Block()
    block.text(wrap(title + " · bars scaled within each group of like figures", size)[0], "bold")
    for key, rows in groups.items():
        top = max(float(r["value"]) for r in rows) if len(rows) > 1 else 0.0  # alone: no bar
        block.text([""])
        block.text([group_name(key)], "bold")
        wrapped = [_label(r, lookup, label_w) for r in rows]
        parted = any(len(w) > 1 for w in wrapped)  # a blank line between bars whose labels wrap
        for n, (r, (label, *more)) in enumerate(zip(rows, wrapped, strict=True)):
            shape, value = bar(float(r["value"]), top, bar_w), values[id(r)]
            gap_l, gap_b = " " * (label_w - width(label) + GAP), " " * (bar_w - width(shape) + GAP)
            gap_v = " " * (value_w - width(value) + GAP)
            block.text([""] * (parted and n > 0))
            block.lines.append(
                ((label + gap_l, ""), (shape, "accent"), (gap_b + value, ""), (gap_v + whens[id(r)], "dim"))
            )
            block.text(more)
    if any(len(rows) == 1 for rows in groups.values()):
        block.text([""])
        block.text(wrap("A figure alone in its group has no bar: it is compared with nothing.", size)[0], "dim")
    if left_out:
        ids = ", ".join(str(r.get("id")) for r in left_out)
        what = "1 rank" if len(left_out) == 1 else f"{len(left_out)} ranks"
        note = f"Not drawn: {what} (an order, not an amount): {ids}"
        block.text([""])
        block.text(wrap(visible(note), size)[0], "dim")
    return block
