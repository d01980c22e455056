"""``policyq progress`` on a terminal: each target under a heading naming its place, what it
measures and its industries; its status and the reason; then each figure reported that speaks
to it, with its date and how that date stands to the deadline, and what the figure shows.

A bar (full at 100%; the percentage says how far past it) is drawn only where the figure is
for the same place, in the same unit and about the same industries, and stated exactly or
as 'about' (a ``ratio``). A floor ('over 120' against 'over 100') says what it proves in
words; a figure for a place within the target's is never drawn as a share of it."""

from __future__ import annotations

from collections.abc import Sequence

from policyq.render.cells import GAP, Block, Line, styled, width, wrap
from policyq.render.chart import bar
from policyq.render.data import to_markdown
from policyq.render.human import Lookup, Record, human_value
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


def subject(t: Record, lookup: Lookup) -> str:
    """'Shanghai · industry scale (artificial intelligence)': the place, the source's words for
    the metric, and the industries when those words do not already name them."""
    label = str(t.get("metric_label") or t.get("metric") or "")
    sectors = [str(s) for s in t.get("sectors") or ()]
    named = all(s.split(" ")[0].casefold() in label.casefold() for s in sectors)
    scope = f" ({', '.join(sectors)})" if sectors and not named else ""
    return visible(f"{lookup.zone(t.get('subject'))} · {label}{scope}")


def reading(e: Record, target: Record, lookup: Lookup) -> str:
    """What one figure shows about the target, in words."""
    i, reaches = e["indicator"], e["reaches"]
    if e["relation"] == "within":
        return f"{lookup.zone(i.get('subject'))} lies within {lookup.zone(target.get('subject'))}: a part, not compared"
    if e["relation"] == "containing":
        return f"{lookup.zone(target.get('subject'))} lies within {lookup.zone(i.get('subject'))}: not compared"
    if reaches is None and e["ratio"] is None:
        if i.get("unit") != target.get("unit"):
            return "in another unit: not compared"
        if set(i.get("sectors") or ()) != set(target.get("sectors") or ()):
            return "about other industries too: not compared"
        return "proves neither reached nor short (a floor or ceiling)"
    floor = (i.get("comparator") or "=") in (">", ">=")
    if reaches is True:
        return f"{_figure(i)} proves {_figure(target)} reached" + (", not by how much" if floor else "")
    if reaches is False:
        return f"{_figure(i)} is short of {_figure(target)}"
    return "neither reached nor short for certain"


def _heading(text: str, fid: str, size: int) -> list[Line]:
    """The heading, with the id at the right when both fit on one line, else on a line below."""
    room = size - width(fid) - GAP
    if width(text) <= room:
        return [((text, "bold"), (" " * (room - width(text) + GAP), ""), (fid, "dim"))]
    return [styled(line, "bold") for line in wrap(text, size, 2)[0]] + [styled(fid, "dim")]


def title(items: Sequence[Record], summary: str) -> str:
    """'7 targets: 2 partial evidence, 5 no figure'."""
    counts: dict[str, int] = {}
    for it in items:
        counts[str(it.get("status"))] = counts.get(str(it.get("status")), 0) + 1
    return f"{summary}: " + ", ".join(f"{n} {s}" for s, n in counts.items()) if counts else summary


def draw(items: Sequence[Record], lookup: Lookup, size: int, heading: str) -> Block:
    """The progress view, ``size`` cells wide, under ``heading``."""
    facts = [it["target"] for it in items] + [e["indicator"] for e in _all(items)]
    value_w = max((width(_figure(r)) for r in facts), default=0)
    when_w = max([width(_due(it["target"])) for it in items] + [width(_when(e["indicator"])) for e in _all(items)])
    bar_w = max(5, min(BAR, size - LABEL - value_w - when_w - 3 * GAP - len("100%")))
    text_w = max(10, size - LABEL)
    block = Block()
    block.text(wrap(heading, size)[0], "bold")
    indent = " " * LABEL
    for it in items:
        t = it["target"]
        block.text([""])
        block.lines += _heading(subject(t, lookup), visible(str(t.get("id"))), size)
        block.text([_row("target", _figure(t), _due(t), value_w, when_w)])
        status = wrap(visible(f"{it.get('status')}: {it.get('why')}"), text_w)[0]
        block.lines.append((("  status    ", ""), (status[0], "bold")))
        block.text([indent + line for line in status[1:]], "bold")
        for e in it["evidence"]:
            i, ratio = e["indicator"], e["ratio"]
            row = _row("reported", _figure(i), _when(i), value_w, when_w)
            if ratio is None:
                timing = "" if e["timing"] == "before deadline" else e["timing"]
                block.lines.append(((row, ""), ((" " * GAP + timing).rstrip(), "bold")))
            else:
                shape = bar(min(ratio, 1.0), 1.0, bar_w)
                rest = " " * (bar_w - width(shape) + 1) + _percent(ratio)
                block.lines.append(((row + " " * GAP, ""), (shape, "accent"), (rest, "")))
                if e["timing"] != "before deadline":
                    block.text([indent + e["timing"]], "bold")
            about = f"{lookup.zone(i.get('subject'))} · {i.get('metric_label')}"
            block.text([indent + line for line in wrap(visible(about), text_w, 2)[0]])
            note = f"{reading(e, t, lookup)} · {i.get('id')}"
            block.lines += [((indent, ""), (line, "dim")) for line in wrap(visible(note), text_w)[0]]
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
        aim = [subject(t, lookup), _figure(t), _due(t), str(it.get("status")), str(t.get("id"))]
        for e in it["evidence"] or [None]:
            if e is None:
                rows.append([*aim, "", "", "", "", "", ""])
                continue
            i, ratio = e["indicator"], e["ratio"]
            shows = _percent(ratio) if ratio is not None else reading(e, t, lookup)
            rows.append([*aim, _figure(i), _when(i), e["timing"], e["relation"], shows, str(i.get("id"))])
    headers = ["Target", "Aim", "By", "Status", "Target id", "Reported", "As of", "Timing", "Place", "Shows"]
    return to_markdown([*headers, "Indicator id"], rows)
