"""Stored values as a person reads them: figures ("over CNY 1.5 tn"), place names for ids,
short source labels ("Pudong gov, 2022-08"), and the columns each table shows.

Nothing here draws; the table, card, tree and chart views lay these strings out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from policyq.render.data import cell
from policyq.schema import COMPARATORS

Record = dict[str, Any]

# --- figures --------------------------------------------------------------------------------


BIG = 1e15  # from here on a number is written in scientific notation: '1.5e20', not 21 digits
SMALL = 1e-6  # and below this (but not 0): '5e-324', which six decimals would show as 0


def _scientific(x: float) -> str:
    """``x`` as '1.5e20', every digit it holds kept: '1e308', '5e-324', '1.2345678901234567e16'."""
    text = repr(x)
    if "e" in text:
        mantissa, _, exponent = text.partition("e")
        return f"{mantissa.removesuffix('.0')}e{int(exponent)}"
    digits = str(abs(int(x)))  # 1e15 <= |x| < 1e16, written without an exponent
    mantissa = f"{digits[0]}.{digits[1:]}".rstrip("0").rstrip(".")
    return f"{'-' if x < 0 else ''}{mantissa}e{len(digits) - 1}"


def _num(x: float) -> str:
    if x and not SMALL <= abs(x) < BIG:
        return _scientific(x)
    text = f"{x:,.6f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def money(currency: str, value: float) -> str:
    """'CNY 1.5 tn', 'CNY 785.66 bn', 'US$ 14.5 bn'; beyond a million tn, 'CNY 1e308'."""
    if abs(value) >= BIG * 1e3:
        return f"{currency} {_num(value)}"
    for size, suffix in ((1e12, "tn"), (1e9, "bn"), (1e6, "mn")):
        if abs(value) >= size:
            return f"{currency} {_num(value / size)} {suffix}"
    return f"{currency} {_num(value)}"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def amount(value: float, unit: str | None) -> str:
    """A number in its unit, without a comparator: 'CNY 1.5 tn', '7.4%', '66,000 m²'."""
    if unit == "CNY":
        return money("CNY", value)
    if unit == "USD":
        return money("US$", value)
    suffix = {"percent": "%", "m2": " m²", "km2": " km²", "per_10k_people": " per 10,000 people", "ratio": "×"}
    return _num(value) + suffix.get(unit or "", "")


def human_value(value: Any, unit: str | None, comparator: str | None = "=") -> str:
    """A stored value as a reader would say it: 'over CNY 1.5 tn', '7.4%', 'top 2'."""
    if not _is_number(value):
        return "" if value is None else str(value)
    if unit == "rank":
        return f"top {_num(value)}" if comparator == "<=" else f"#{_num(value)}"
    word = COMPARATORS.get(comparator or "=", comparator or "")
    text = amount(value, unit)
    return f"{word} {text}" if word else text


def stored_value(record: Record) -> str:
    """The figure exactly as stored: comparator, number in base units, unit ('> 1500000000000 CNY')."""
    value = record.get("value")
    number = repr(value) if isinstance(value, float) else cell(value)
    comparator = record.get("comparator")
    parts = [p for p in (comparator if comparator != "=" else None, number, record.get("unit")) if p]
    return " ".join(str(p) for p in parts)


def usd(value: Any) -> str:
    return money("US$", value) if _is_number(value) else ""


# --- what a table shows for an id -----------------------------------------------------------


_OUTLETS = {"Daily", "News", "Times", "Post", "Herald", "Review", "Journal", "Weekly", "Agency", "Online"}


def source_label(source: Mapping[str, Any]) -> str:
    """A short label for a source: who published it and when, 'Pudong gov, 2022-08'.

    The publisher is cut to its name (before a parenthesis or comma); a government is named
    by its first word and 'gov'; a long newspaper name becomes initials and its last word
    ('S&T Daily'); other long names are cut at a word with '…'. A source whose outlet is not
    known says so. The date keeps year and month.
    """
    publisher = str(source.get("publisher") or "").split(" (")[0].split(",")[0].strip()
    words = publisher.split()
    if words and words[-1].casefold() == "government":
        publisher = f"{words[0]} gov"
    elif len(publisher) > 20 and len(words) > 2 and words[-1] in _OUTLETS:
        initials = "".join("&" if w == "and" else w[0] for w in words[:-1] if w == "and" or w[0].isupper())
        publisher = f"{initials} {words[-1]}"  # 'Science and Technology Daily': 'S&T Daily'
    elif len(publisher) > 20:
        from policyq.render.cells import truncate

        publisher = truncate(publisher, 20)
    date = str(source.get("published") or "")[:7]
    who = publisher or "unnamed outlet"
    return f"{who}, {date}" if date else who


class Lookup:
    """Names for ids: zone id -> name, source id -> source record."""

    def __init__(self, zones: Mapping[str, str] | None = None, sources: Mapping[str, Record] | None = None) -> None:
        self.zones: Mapping[str, str] = zones if zones is not None else {}  # not read before it is used
        self.sources: Mapping[str, Record] = sources or {}
        self.match: str | None = None  # the words a search looked for
        self.tree: Callable[[str], list[Record]] | None = None  # a place's tree, for counts within it

    def zone(self, zid: Any) -> str:
        return str(self.zones.get(zid, zid)) if isinstance(zid, str) else cell(zid)

    def has(self, sid: Any) -> bool:
        """Whether ``sid`` names a known source."""
        return isinstance(sid, str) and sid in self.sources

    def label(self, sid: Any) -> str:
        source = self.sources.get(sid) if isinstance(sid, str) else None
        return source_label(source) if source else cell(sid)


# Kinds of place as a reader says them; any other kind reads with its underscores as spaces.
KIND_WORDS = {"free_trade_zone": "free-trade zone", "park_group": "group of parks"}


def kind_word(kind: Any) -> str:
    """'free-trade zone' for ``free_trade_zone``, 'group of parks' for ``park_group``,
    'autonomous prefecture' for ``autonomous_prefecture``."""
    if not isinstance(kind, str):
        return cell(kind)
    return KIND_WORDS.get(kind) or kind.replace("_", " ")


# Full labels of stored fields, as record cards and search results name them.
LABELS = {
    "id": "ID",
    "name": "Name",
    "name_zh": "Chinese name",
    "kind": "Kind",
    "parent": "Part of",
    "related": "Related places",
    "aliases": "Also called",
    "designations": "Designations",
    "sectors": "Sectors",
    "established": "Established",
    "status": "Status",
    "sources": "Sources",
    "subject": "Subject",
    "metric_label": "Metric",
    "metric": "Metric name",
    "family": "Family",
    "usd": "US$ figure",
    "year": "Year",
    "deadline": "Deadline",
    "as_of": "As of",
    "source": "Source",
    "quote": "Quote",
    "note": "Note",
    "title": "Title",
    "publisher": "Publisher",
    "published": "Published",
    "url": "URL",
    "language": "Language",
    "authors": "Authors",
}


def label(name: str) -> str:
    """A stored field's full label: 'Metric' for ``metric_label``, 'Chinese name' for ``name_zh``."""
    return LABELS.get(name) or name.replace("_", " ").capitalize()


# --- columns --------------------------------------------------------------------------------

Cell = Callable[[Record, Lookup], str]


class Col:
    """One column a table may show.

    ``fixed`` cells (ids, figures, dates) are never cut or wrapped; text is wrapped at words
    up to ``lines`` lines and then cut with '…'. ``priority`` orders who gives way when the
    terminal is narrow (0 stays longest); ``want`` is the width a text column gets before
    lower-priority columns are let in. ``short`` is a narrower form of the cells. ``extra``
    columns are shown only when every other column has its full width.
    """

    def __init__(
        self,
        field: str,
        header: str,
        get: Cell,
        fixed: bool = False,
        priority: float = 5,
        want: int = 20,
        lines: int = 1,
        short: Cell | None = None,
        right: bool = False,
        extra: bool = False,
    ) -> None:  # a plain class: a dataclass costs start-up time
        self.field, self.header, self.get, self.fixed, self.priority = field, header, get, fixed, priority
        self.want, self.lines, self.short, self.right, self.extra = want, lines, short, right, extra

    def but(self, **changes: Any) -> Col:
        """A copy with ``changes``."""
        out = Col.__new__(Col)
        out.__dict__.update(self.__dict__, **changes)
        return out


def _get(name: str) -> Cell:
    return lambda r, lk: cell(r.get(name))


LEAD = 16  # characters of context kept before a match deep in a long text


def excerpt(text: str, match: str | None) -> str:
    """``text`` from a few words before the first place ``match`` (or, failing that, its first
    word found) occurs, with '…' where the start was left out, so that a cut end never hides it."""
    if not match or len(text) <= 2 * LEAD:
        return text
    folded = text.casefold()
    words = [match.strip(), *sorted(match.split(), key=len, reverse=True)]
    at = next((folded.find(w.casefold()) for w in words if w and folded.find(w.casefold()) >= 0), -1)
    if at <= LEAD:
        return text
    start = text.find(" ", at - LEAD, at)
    return "…" + text[start + 1 :] if start >= 0 else text


def _matched(r: Record, lk: Lookup) -> str:
    """A search hit: the field and text that matched, centred on the match, and for a fact its
    figure as a person says it."""
    figure = _value(r, lk) if r.get("value") is not None else ""
    text = excerpt(cell(r.get("text")), lk.match)
    return (f"{figure} — " if figure else "") + f"{label(str(r.get('field')))}: {text}"


TABLE_WORDS = {"zones": "place", "targets": "target", "indicators": "indicator", "sources": "source"}


def _value(r: Record, lk: Lookup) -> str:
    return human_value(r.get("value"), r.get("unit"), r.get("comparator"))


def _sectors(r: Record, lk: Lookup) -> str:
    return (
        ", ".join(str(s) for s in r.get("sectors") or ())
        if isinstance(r.get("sectors"), list)
        else cell(r.get("sectors"))
    )


def _facts(value: str, period: str, period_field: str) -> list[Col]:
    """Targets and indicators show the same columns but for what the value and period are called.
    The figure, the place, the date (as its year when narrow) and the ID (to follow a row to
    ``show`` or ``cite``) are the last to go; the source's long words for the metric wrap and
    give way first, then the sectors, the source and the US$ figure."""
    return [
        Col("id", "ID", _get("id"), fixed=True, priority=3),
        Col("subject", "Subject", lambda r, lk: lk.zone(r.get("subject")), priority=1, want=9, lines=2),
        Col("metric_label", "Metric", _get("metric_label"), priority=4, want=12, lines=2),
        Col("sectors", "Sectors", _sectors, priority=5, want=14, lines=2),
        Col("value", value, _value, fixed=True, priority=0),
        Col("usd", "US$ figure", lambda r, lk: usd(r.get("usd")), fixed=True, priority=7),
        Col(
            period_field,
            period,
            lambda r, lk: cell(r.get(period_field) or r.get("year")),
            fixed=True,
            priority=2,
            short=lambda r, lk: cell(r.get("year") or r.get(period_field)),  # the year: true, if less precise
        ),
        Col("source", "Source", _get("source"), fixed=True, priority=6, short=lambda r, lk: lk.label(r.get("source"))),
    ]


COLUMNS: dict[str, list[Col]] = {
    "zones": [
        Col("id", "ID", _get("id"), fixed=True, priority=1),
        Col("name", "Name", _get("name"), priority=0, want=22, lines=2),
        Col("name_zh", "Chinese name", _get("name_zh"), fixed=True, priority=4, extra=True),
        Col("kind", "Kind", lambda r, lk: kind_word(r.get("kind")), priority=2, want=12, lines=2),
        Col("parent", "Part of", lambda r, lk: lk.zone(r.get("parent")), priority=3, want=16),
        Col("established", "Established", _get("established"), fixed=True, priority=6, extra=True),
        Col("status", "Status", _get("status"), priority=7, want=12, extra=True),
        Col("sectors", "Sectors", _sectors, priority=8, want=30, lines=2, extra=True),
    ],
    "targets": _facts("Target", "By", "deadline"),
    "indicators": _facts("Value", "As of", "as_of"),
    "search": [
        Col(
            "table",
            "Type",
            lambda r, lk: TABLE_WORDS.get(str(r.get("table")), cell(r.get("table"))),
            fixed=True,
            priority=1,
        ),
        Col("id", "ID", _get("id"), fixed=True, priority=0),
        Col("name", "Name", _get("name"), priority=3, want=18, lines=2),
        Col("text", "Matched", _matched, priority=2, want=24, lines=3),
    ],
    "sources": [
        Col("id", "ID", _get("id"), fixed=True, priority=0),
        Col("title", "Title", _get("title"), priority=1, want=34, lines=2),
        Col("publisher", "Publisher", _get("publisher"), priority=3, want=24),
        Col("published", "Published", _get("published"), fixed=True, priority=2),
        Col("authors", "Authors", _get("authors"), priority=4, want=16, extra=True),
    ],
}

# Stored fields whose cells are ids, figures, dates or codes: never cut or wrapped.
FIXED_FIELDS = frozenset(
    {"id", "value", "usd", "year", "deadline", "as_of", "published", "established", "source", "unit", "comparator"}
    | {"kind", "table", "language", "metric", "family", "depth", "targets", "indicators", "field"}
    | {"relation", "timing", "reaches", "ratio"}
)


def _title(designation: Any) -> str:
    return cell(designation.get("title")) if isinstance(designation, dict) else cell(designation)


def field_column(name: str) -> Col:
    """The column for a stored field chosen with ``--fields``: the field's name as header and
    its human value (a figure as 'over CNY 1.5 tn', a place id as the place's name)."""
    get: Cell
    if name == "value":
        get = _value
    elif name == "usd":
        get = lambda r, lk: usd(r.get("usd"))  # noqa: E731
    elif name in ("subject", "parent"):
        get = lambda r, lk: lk.zone(r.get(name))  # noqa: E731
    elif name == "related":
        get = lambda r, lk: "; ".join(lk.zone(z) for z in r.get("related") or ())  # noqa: E731
    elif name == "kind":
        get = lambda r, lk: kind_word(r.get("kind"))  # noqa: E731
    elif name == "designations":
        get = lambda r, lk: "; ".join(_title(d) for d in r.get("designations") or ())  # noqa: E731
    else:
        get = _get(name)
    return Col(name, name, get, fixed=name in FIXED_FIELDS, want=30, lines=2)
