"""What the words around a figure say about it: its comparator, its period, whether it is a
target or a reported figure, its metric and its sectors. English and Chinese side by side.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from policyq.extract.quantities import Figure

# --- comparators ------------------------------------------------------------------------------

# Words before a figure; the nearest wins. A one-character Chinese word (约, 近, 超, 逾) counts
# only right before the number: 签约, 近年来 and an earlier clause's 约 are not comparators.
_BEFORE = [
    (">=", r"at least|no less than|not less than|no fewer than|not fewer than|a minimum of|不低于|不少于|至少|不下于"),
    (
        "<=",
        r"up to|at most|at or below|no more than|not more than|no higher than|not higher than|a maximum of"
        r"|not exceeding|不超过|不高于|最多|至多|控制在",
    ),
    ("<", r"less than|fewer than|under|below|lower than|低于|少于|不足|不到|未满"),
    (
        ">",
        r"more than|over|exceed(?:s|ed|ing)?|surpass(?:es|ed|ing)?|above|upwards of|in excess of|beyond|topp(?:ed|ing)"
        r"|passed|超过|突破|高于|多于|超|逾",
    ),
    (
        "~",
        r"about|around|approximately|roughly|nearly|almost|close to|some|an estimated|estimated"
        r"|(?:maintained|kept|remained|stayed|held) at|大约|接近|将近|左右|保持在|维持在|约|近",
    ),
]
# Words right after a figure: English, and Chinese (以上 is over, 以下 under, as the issue and
# the corpus read them; 以内 is at most).
_AFTER = [
    (">=", r"or more|or above|and above"),
    ("<=", r"or less|or below|or fewer|以内|及以下"),
    (">", r"及以上|或以上|以上|多|余"),
    ("<", r"以下"),
    ("~", r"左右|上下"),
]
_BEFORE_RE = [(c, re.compile(rf"(?:^|(?<=[^A-Za-z]))(?:{w})(?=[^A-Za-z]|$)", re.IGNORECASE)) for c, w in _BEFORE]
_AFTER_RE = [(c, re.compile(rf"^\s*(?:{w})", re.IGNORECASE)) for c, w in _AFTER]


def comparator(text: str, figure: Figure, window_start: int) -> tuple[str, str | None]:
    """The comparator of ``figure`` in ``text`` and the words that say it ('=' and None when
    none do). Looks just after the figure ('以上', 'or more'), then back to ``window_start``
    (the previous figure or the clause's start), at most 40 characters."""
    if figure.comparator:
        return figure.comparator, None
    after = text[figure.end : figure.end + 12]
    for comp, pattern in _AFTER_RE:
        m = pattern.match(after)
        if m:
            return comp, m.group().strip()
    before = text[max(window_start, figure.start - 40) : figure.start]
    best: tuple[int, str, str] | None = None
    for comp, pattern in _BEFORE_RE:
        for m in pattern.finditer(before):
            word = m.group().strip(" ,，0123456789.")
            if len(word) == 1 and len(before) - m.start() > 2:
                continue
            if best is None or m.end() > best[0]:
                best = (m.end(), comp, word)
    if best is not None:
        return best[1], best[2]
    return "=", None


# --- periods --------------------------------------------------------------------------------


@dataclass
class Period:
    start: int
    end: int
    date: str  # "2025", "2025-06" or "2025-12-31"
    precision: str  # year, month, day
    deadline: bool  # "by 2025", "到2025年": a target's wording

    @property
    def year(self) -> int:
        return int(self.date[:4])


_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH = r"(?P<month>" + "|".join(m for m in _MONTH_NAMES) + r")"
_Y = r"(?P<year>(?:19|20)\d\d)"
_END_EN = (
    rf"(?:(?P<by1>by|before|until|till|through)\s+)?(?:the\s+)?end\s+of\s+{_Y}"
    r"|(?:as\s+of\s+)?(?P<y1>(?:19|20)\d\d)['’]s\s+end"
    r"|(?P<asof>as\s+of|at)\s+the\s+end\s+of\s+(?P<y2>(?:19|20)\d\d)"
)
_LEADS = r"by|before|until|till|in|as\s+of|during|for|since|from|through|within|of"
_ZH_DATE = (
    r"(?P<zlead>到|至|截至|截止|截止到|于|在)?(?P<y5>(?:19|20)\d\d)年(?:(?P<zm>\d{1,2})月(?:(?P<zd>\d{1,2})日)?)?"
    r"(?P<zend>底|末|年底)?(?P<ztail>(?:前|之前|以前)(?![一二三四五六七八九十两\d]))?"
)
_PERIODS = re.compile(
    rf"""
    (?P<end_en>{_END_EN})
    | (?P<month_en>(?P<by2>by|before|until|in|as\s+of|since)\s+{_MONTH}\s+(?P<y3>(?:19|20)\d\d))
    | (?P<year_en>(?P<lead>{_LEADS})\s+(?:the\s+year\s+)?(?P<y4>(?:19|20)\d\d)\b(?![-–]\d))
    | (?P<zh>{_ZH_DATE})
    """,
    re.VERBOSE | re.IGNORECASE,
)
# An event's year is not a figure's period: "since its launch in 2019", "founded in 2015".
_EVENT = re.compile(
    r"(?:launch(?:ed)?|found(?:ed)?|established|set up|opened|began|started|inaugurated|since|成立|设立|启动|自|从)"
    r"\W*(?:\w+\W+){0,2}?$",
    re.IGNORECASE,
)


def periods(text: str) -> list[Period]:
    """The periods a sentence names, with where and how precisely."""
    out = []
    for m in _PERIODS.finditer(text):
        g = m.group
        kind = m.lastgroup
        if _EVENT.search(text[max(0, m.start() - 30) : m.start()]):
            continue
        if kind == "end_en":
            year = g("year") or g("y1") or g("y2")
            out.append(Period(m.start(), m.end(), f"{year}-12-31", "day", bool(g("by1"))))
        elif kind == "month_en":
            lead = g("by2").casefold()
            if lead == "since":
                continue
            month = _MONTH_NAMES.index(g("month").casefold()) + 1
            out.append(Period(m.start(), m.end(), f"{g('y3')}-{month:02d}", "month", lead in ("by", "before", "until")))
        elif kind == "year_en":
            lead = g("lead").casefold()
            if lead in ("since", "from", "of"):
                continue
            deadline = lead in ("by", "before", "until", "till", "within", "through")
            out.append(Period(m.start(), m.end(), g("y4"), "year", deadline))
        elif kind == "zh":
            lead, year = g("zlead") or "", g("y5")
            deadline = lead in ("到", "至") or bool(g("ztail"))
            if g("zend"):
                out.append(Period(m.start(), m.end(), f"{year}-12-31", "day", deadline))
            elif g("zd") and 1 <= int(g("zm")) <= 12:
                out.append(Period(m.start(), m.end(), f"{year}-{int(g('zm')):02d}-{int(g('zd')):02d}", "day", deadline))
            elif g("zm") and 1 <= int(g("zm")) <= 12:
                out.append(Period(m.start(), m.end(), f"{year}-{int(g('zm')):02d}", "month", deadline))
            else:
                out.append(Period(m.start(), m.end(), year, "year", deadline))
    return out


def nearest_period(found: list[Period], figure: Figure) -> Period | None:
    """The period nearest the figure; one before it wins a tie."""
    if not found:
        return None
    return min(found, key=lambda p: (min(abs(p.end - figure.start), abs(p.start - figure.end)), p.start > figure.end))


_DATES = [
    re.compile(r"(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)"),
    re.compile(r"(?P<y>(?:19|20)\d\d)年(?P<m>\d{1,2})月(?P<d>\d{1,2})日"),
    re.compile(rf"(?P<mn>{'|'.join(_MONTH_NAMES)})\s+(?P<d>\d{{1,2}}),\s+(?P<y>(?:19|20)\d\d)", re.IGNORECASE),
    re.compile(r"(?P<y>(?:19|20)\d\d)/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)"),
]


def document_date(text: str) -> str | None:
    """The date a document gives near its top ('Updated: 2023-07-06', '2023年5月15日',
    'December 9, 2023'), as an ISO date; None when it gives none."""
    head = text[:800]
    found = []
    for pattern in _DATES:
        m = pattern.search(head)
        if m:
            month = int(m.group("m")) if "m" in pattern.groupindex else _MONTH_NAMES.index(m.group("mn").lower()) + 1
            day = int(m.group("d"))
            if 1 <= month <= 12 and 1 <= day <= 31:
                found.append((m.start(), f"{m.group('y')}-{month:02d}-{day:02d}"))
    return min(found)[1] if found else None


_ANY_YEAR = re.compile(r"(?<![\w.-])((?:19|20)\d\d)(?![\w-]|\.\d)")
_DEADLINE_BEFORE = re.compile(r"(?:\b(?:by|before|until|till|through|to|and|-|–)\s*|到|至)$", re.IGNORECASE)


def latest_year(text: str) -> int | None:
    """The latest year a document names other than as a deadline or the end of a span ('by
    2025', '2021 to 2025', 到2025年): a document undated in its header is of that year at
    the earliest."""
    years = [
        int(m.group(1))
        for m in _ANY_YEAR.finditer(text)
        if not _DEADLINE_BEFORE.search(text[max(0, m.start() - 10) : m.start()])
    ]
    return max(years, default=None)


# --- targets or indicators --------------------------------------------------------------------

_TARGET = re.compile(
    r"\b(?:will|shall|plans? to|planned (?:to|total|output|investment)|aims? (?:to|at)|aiming|strives? to|striving"
    r"|seeks? to|targets? (?:of|to|is)|goal (?:of|is)|expected to|is set to|are set to|aspires?|projected"
    r"|anticipated|earmarked|envisag\w+|forecast|to reach|to exceed|to achieve|to expand|to grow|to increase"
    r"|to double|to hit|intends? to|expects?|targets|requires?|to stay|to remain|to keep)\b"
    r"|力争|目标|将|计划|预计|争取|确保|规划到|力求|有望|拟|控制在|期间|年均|要求|不高于|不低于|至多",
    re.IGNORECASE,
)
_REPORTED = re.compile(
    r"\b(?:has|have|had|was|were|reached|recorded|totaled|totalled|stood|achieved|hit|grew|rose|increased|attracted"
    r"|exceeded|surpassed|topped|passed|produced|hosted|housed|opened|approved)\b"
    r"|已|已经|实现了|达到了|截至|截止",
    re.IGNORECASE,
)


def table(sentence: str, period: Period | None, doc_year: int | None) -> tuple[str, str]:
    """'targets' or 'indicators' for a figure of ``sentence``, and why: a word of a plan; a
    deadline not before the document's year (or, in an undated document, in a sentence with
    no verb of a report: "had 500 firms by the end of 2023" is reported); a year after the
    document's."""
    m = _TARGET.search(sentence)
    if m:
        return "targets", m.group()
    reported = _REPORTED.search(sentence)
    after_doc = doc_year is not None and period is not None and period.year >= doc_year
    if period is not None and period.deadline and (after_doc or (doc_year is None and not reported)):
        return "targets", "a deadline"
    if period is not None and doc_year is not None and period.year > doc_year:
        return "targets", "a year after the document's"
    return "indicators", reported.group() if reported else "no word of a plan"


# --- metrics and sectors ----------------------------------------------------------------------

# (pattern, metric); the nearest match before the figure wins, then one after it.
_MONEY_METRICS = [
    (r"total industrial output(?: value)?|industrial output(?: value)?|工业总产值|工业产值", "industrial_output"),
    (r"gross domestic product|\bGDP\b|地区生产总值|生产总值", "gdp"),
    (r"total output value|output value|collective output|total output|\boutput\b|产值", "output_value"),
    (
        r"industry scale|industrial scale|scale of [\w\s-]{0,30}?industr\w+|\bscale\b|revenue"
        r"|产业规模|规模|营业收入|营收",
        "industry_scale",
    ),
    (r"investment|invest(?:ed|ing)?|投资|投入", "investment"),
    (r"(?:[\w-]+\s+){0,2}industry\b|产业", "industry_scale"),  # "the data industry … exceed CNY 150 bn"
]
_COUNT_METRICS = [
    (r"enterprise|compan|firm|business|corporation|start-?up|SME|企业|公司", "enterprise_count"),
    (r"pilot area|先导区", "pilot_area_count"),
    (r"park|园区", "park_count"),
    (r"factor|工厂", "factory_count"),
    (r"data product|数据产品", "data_products"),
    (r"application|应用", "application_count"),
]
_PERCENT_METRICS = [
    (r"account(?:s|ed|ing)? for|share|proportion|占比|比重|占", "output_share"),
    (r"grow|growth|rising|rose|increase|增长|增速|增幅", "growth"),
]


@functools.cache
def _metrics() -> dict[str, tuple[str, str]]:
    from policyq.model import METRICS

    return METRICS


def _known(name: str | None, label: str) -> tuple[str | None, str | None, str]:
    """(metric, family, label): a metric of the store's vocabulary with its family, a family
    alone, or neither."""
    metrics = _metrics()
    if name in metrics:
        return name, metrics[name][0], label
    families = {f for f, _ in metrics.values()}
    return None, (name if name in families else None), label


def metric(sentence: str, figure: Figure, window_start: int) -> tuple[str | None, str | None, str]:
    """(metric, family, label) for ``figure``: the metric and family where the store's
    vocabulary fits (else None), and the document's words for it."""
    before = sentence[window_start : figure.start]
    after = sentence[figure.end : figure.end + 60]
    has_gdp = re.search(r"\bGDP\b|生产总值", sentence) is not None
    if figure.kind == "count":
        label = figure.noun
        if not label:  # Chinese: the noun before the figure ("企业三千家")
            m = re.search(r"([\u4e00-\u9fff]{1,6}?)(?:数量|总数|数)?(?:达到|达|超过|突破|约|为|共|有|近)*\s*$", before)
            label = m.group(1) if m else "count"
        return _known(_first(_COUNT_METRICS, label), label)
    if figure.kind == "money":
        return _known(*_nearest(before, after, _MONEY_METRICS, "amount"))
    if figure.kind == "percent":
        name, label = _nearest(before, after, _PERCENT_METRICS, "share")
        return _known("gdp_growth" if name == "growth" and has_gdp else name, label)
    if figure.kind == "area":
        if re.search(r"planned area|规划面积", before, re.IGNORECASE):
            return _known("planned_area", "planned area")
        m = re.search(r"(?:\w+\s+)?area|面积|spanning|占地", before + after, re.IGNORECASE)
        return _known("area", m.group() if m else "area")
    if figure.kind == "density":
        if re.search(r"robot|机器人", sentence, re.IGNORECASE):
            return _known("robot_density", "robot density")
        return _known(None, "per 10,000 people")
    if figure.kind == "ratio":
        if re.search(r"density|密度", sentence, re.IGNORECASE):
            return _known("robot_density_ratio", "robot density relative to a benchmark")
        return _known(None, "multiple")
    if figure.kind == "rank":
        if re.search(r"province|省", sentence[figure.end : figure.end + 30], re.IGNORECASE):
            return _known("province_rank", "rank among provinces")
        return _known("gdp_rank_in_province", "rank by GDP") if has_gdp else _known("rank", "rank")
    return _known(None, figure.kind)


def _first(table: list[tuple[str, str]], text: str) -> str | None:
    return next((name for pattern, name in table if re.search(pattern, text, re.IGNORECASE)), None)


def _nearest(before: str, after: str, table: list[tuple[str, str]], fallback: str) -> tuple[str | None, str]:
    """The metric named nearest before the figure (else first after it) and its words."""
    best: tuple[int, str, str] | None = None
    for pattern, name in table:
        for m in re.finditer(pattern, before, re.IGNORECASE):
            if best is None or m.end() > best[0] or (m.end() == best[0] and len(m.group()) > len(best[2])):
                best = (m.end(), name, m.group())
    if best is None:
        hits = [(m.start(), name, m.group()) for pattern, name in table for m in [re.search(pattern, after, re.I)] if m]
        best = min(hits) if hits else None
    if best is None:
        return None, fallback
    return best[1], " ".join(best[2].split())


@functools.cache
def _sector_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every sector name, longest first, and each name's canonical sector.
    Upper-case names and names with digits (AI, IC, 5G) match only as written."""
    from policyq.vocab import SECTORS, has_cjk

    names: dict[str, str] = {}
    parts = []
    for canonical, aliases in SECTORS.items():
        for name in (canonical, *aliases):
            names.setdefault(name.casefold(), canonical)
            if has_cjk(name):
                parts.append((len(name), re.escape(name)))
            elif name.isupper() or any(c.isdigit() for c in name):
                parts.append((len(name), rf"(?-i:(?<![\w-]){re.escape(name)}(?![\w-]))"))
            else:
                parts.append((len(name), rf"\b{re.escape(name)}\b"))
    ordered = [p for _, p in sorted(parts, key=lambda x: -x[0])]
    return re.compile("|".join(ordered), re.IGNORECASE), names


def sectors(sentence: str) -> list[str]:
    """The sectors a sentence names, by their canonical names, in order of appearance."""
    pattern, names = _sector_pattern()
    return list(dict.fromkeys(names[m.group().casefold()] for m in pattern.finditer(sentence)))
