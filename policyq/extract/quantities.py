"""Figures in a sentence: a number with what it counts, measures or costs.

``find(sentence, lang)`` returns each figure once, with its span, value in base units and a
unit of the store (``CNY``, ``USD``, ``percent``, ``count``, ``m2``, ``km2``, ``ratio``,
``rank``, ``per_10k_people``). A US-dollar amount in parentheses right after a yuan amount is
that amount's ``usd``, not a figure of its own; any other equivalent in parentheses (square
yards for square metres) is dropped.

Not figures: years and dates ("2023-2025", "May 11", "2023-07-06 09:24"), numbers inside a
name ("5G", "TOP30", "COVID-19", "2+(3+6)"), a number inside a short quoted name ("one core,
three parks, two ports"), numbers that count nothing the store counts ("three goals"),
lengths and temperatures.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from policyq.extract.numbers import MONEY_SCALES, ORDINALS, SCALES, WORDS, exact, parse_number
from policyq.vocab import has_cjk

# Full-width digits and signs become ASCII one character for one, so offsets stay the same.
_WIDE = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "％": "%", "．": ".", "，": ","})


def normalize(text: str) -> str:
    """``text`` with full-width digits, per cent sign and full stop made ASCII: the same
    length, so an offset into the result is an offset into ``text``."""
    return text.translate(_WIDE)


@dataclass
class Figure:
    start: int  # offsets of the figure (number and unit) in the sentence
    end: int
    value: int | float
    unit: str
    kind: str  # money, percent, count, area, ratio, rank, density
    noun: str = ""  # what a count counts, in the document's words ("key AI businesses")
    usd: int | float | None = None
    comparator: str | None = None  # when the figure's own words say it ("top two": <=)
    implied_currency: bool = False  # "120 billion" with no currency: read as yuan
    lang: str = "en"


_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDNUM = "|".join(sorted((w for w in WORDS if w != "one"), key=len, reverse=True))
_SCALE_EN = r"trillion|billion|million|thousand|bn|tn|mn|mln"
_STOP = (
    r"(?:trillion|billion|million|thousand|bn|tn|yuan|rmb|cny|usd|dollars|percent|square|times"
    r"|of|in|and|or|the|to|for|from|by|with|at|on|per|than|as|is|are|was|were|a|an|its|their|this|that)\b"
)
# Plural words that do not name something a store counts ("three goals", "two years").
_NOT_COUNTED = (
    "goals|industries|aspects|tasks|measures|steps|priorities|years|months|weeks|days|hours|minutes|seconds|times"
    "|points|rounds|quarters|sessions|phases|stages|batches|categories|types|kinds|fields|sectors|chains|links|levels|ways"
    "|parts|yards|meters|metres|kilometers|kilometres|tons|tonnes|percentage|dollars|yuan|decades|terms|items"
    "|principles|dimensions|pillars|functions|roles|lines|ports|cores|is|was|has|does|this|plans|aims|targets"
)
_NOUNS = (
    r"enterprises?|compan(?:y|ies)|firms?|business(?:es)?|corporations?|start-?ups?|SMEs|parks?|factor(?:y|ies)"
    r"|applications?|products?|areas?|zones?|projects?|platforms?|institutions?|institutes?|cent(?:er|re)s?|labs?"
    r"|laborator(?:y|ies)|bases?|clusters?|hubs?|unicorns?|patents?|talents?|researchers?|employees?|workers?"
    r"|jobs|people|persons?|residents?|users?|scenarios?|scenes?|robots?|vehicles?|stations?|hospitals?"
    r"|schools?|universit(?:y|ies)|headquarters|plants?|incubators?|accelerators?|data ?cent(?:er|re)s?"
    rf"|workshops?|units|cars|computers|devices|institutes|(?!(?:{_NOT_COUNTED})\b)[a-z]{{3,}}(?<!ic)s"
)

_PEOPLE = r"(?:people|persons|residents|workers|employees|population|inhabitants)\b"
_ORDINAL_WORDS = "|".join(ORDINALS)
_NAMED_NOUN = re.compile(rf"(?:{_NOUNS.rsplit('|(?!', 1)[0]})$", re.IGNORECASE)
_EN_PATTERN = rf"""
    (?P<per10k>(?P<pn>{_NUM})\s+(?:[a-z-]+\s+){{0,2}}?per\s+10,?000\s+(?:[a-z-]+\s+){{0,2}}?{_PEOPLE}
      |per\s+10,?000\s+(?:[a-z-]+\s+){{0,2}}?{_PEOPLE}[^.;]{{0,60}}?
        \b(?:reached|was|is|stood\s+at|hit|of|to|at)\s+(?P<pn2>{_NUM})\b)
    | (?P<percent>(?P<cn>{_NUM}|{_WORDNUM})\s*(?:%|percent\b|per\s+cent\b))
    | (?P<area>(?P<an>{_NUM})(?:\s+(?P<ascale>thousand|million))?\s*
        (?P<au>square\s+(?:meters|metres|kilometers|kilometres)|sq\.?\s?km|sq\.?\s?m|km2|km²|m2|m²)\b)
    | (?P<ratio>(?P<twice>twice|double)\b|(?P<rn>{_NUM}|{_WORDNUM})(?:\s+times\b|-fold\b))
    | (?P<top>\btop\s+(?P<tn>\d+|{_WORDNUM})\b)
    | (?P<nth>\b(?:(?P<ord>{_ORDINAL_WORDS})|(?P<ordn>\d+)(?:st|nd|rd|th))[- ](?:largest|biggest|highest)\b
      |\brank(?:s|ed|ing)?\s+(?:(?P<ord2>{_ORDINAL_WORDS})|No\.\s?(?P<ordn2>\d+)|(?P<ordn3>\d+)(?:st|nd|rd|th))\b)
    | (?P<count>(?P<kn>{_NUM}|{_WORDNUM})(?:\s+(?P<kscale>thousand|million))?
        \s+(?P<noun>(?:(?!{_STOP})['‘"“]?[A-Za-z0-9][\w&'’-]*['’"”]?\s+){{0,3}}(?:{_NOUNS}))\b)
    | (?P<money>(?:(?P<pre>CNY|RMB|USD|US\$|\$|¥|￥)\s?)?(?P<mn>{_NUM}|{_WORDNUM}|one)
        (?:\s*(?P<scale>{_SCALE_EN})\b)?(?:\s*(?P<post>yuan|RMB|renminbi|CNY|US\s+dollars|dollars|USD)\b)?)
    """
# One run of numeral characters, bounded: a nested repetition here would backtrack without end
# on a long run that is not a figure.
_CN_NUM = r"[零〇一二两三四五六七八九十百千][零〇一二两三四五六七八九十百千万亿]{0,15}"
_ZH_NUM = rf"\d+(?:,\d{{3}})*(?:\.\d+)?|{_CN_NUM}"
_ZH_PATTERN = rf"""
    (?P<per10k>每万[\u4e00-\u9fff]{{0,24}}?(?P<pn>{_ZH_NUM})(?:台|个|件|人|家|项|辆)?)
    | (?P<percent>(?P<cn>\d+(?:\.\d+)?)%|百分之(?P<cn2>{_ZH_NUM}))
    | (?P<area>(?P<an>{_ZH_NUM})(?P<ascale>万)?(?P<au>平方公里|平方千米|平方米))
    | (?P<money>(?P<pre>人民币)?(?P<mn>{_ZH_NUM})(?P<scale>万亿|亿|万)?(?P<post>元|美元)
               |(?P<mn2>{_ZH_NUM})(?P<scale2>万亿|亿)(?![元美]))
    | (?P<ratio>(?P<rn>{_ZH_NUM})倍|翻(?P<fan>一|两)番)
    | (?P<top>前(?P<tn>{_ZH_NUM})(?:名|位|强|(?=[。，；、”]|$)))
    | (?P<nth>(?:排名|位列|位居|居|排)[\u4e00-\u9fff]{{0,8}}?(?:第(?P<ordn>{_ZH_NUM})(?:名|位)?|(?P<first>首位))
      |第(?P<ordn2>{_ZH_NUM})(?:名|位|大))
    | (?P<count>(?P<kn>{_ZH_NUM})(?P<kscale>万)?(?P<more>余|多)?
        (?P<measure>家|个|项|座|所|款|台|套|名|位|条|人|辆|件|架|部|栋|户)
        (?P<noun>[\u4e00-\u9fff]{{0,8}}))
    """


@functools.cache
def _pattern(zh: bool) -> re.Pattern[str]:
    """The English or the Chinese pattern, compiled when first needed (tens of milliseconds
    each): an English document never compiles the Chinese one."""
    if zh:
        return re.compile(_ZH_PATTERN, re.VERBOSE)
    return re.compile(_EN_PATTERN, re.VERBOSE | re.IGNORECASE)


_MONTHS = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+$|\b(?:no|num|number)\.?\s*$", re.IGNORECASE
)
_CURRENCY = {"cny": "CNY", "rmb": "CNY", "¥": "CNY", "￥": "CNY", "yuan": "CNY", "renminbi": "CNY", "人民币": "CNY"}
_CURRENCY.update({"元": "CNY", "usd": "USD", "us$": "USD", "$": "USD", "dollars": "USD", "us dollars": "USD"})
_CURRENCY["美元"] = "USD"
_ZH_NOUN_STOP = re.compile(r"[的，。；、和与及以等在中上]")
_CN_HINT = "零〇一二两三四五六七八九十百千万亿"


def _is_year(text: str) -> bool:
    return bool(re.fullmatch(r"(19|20)\d\d", text))


def _bad_edges(text: str, m: re.Match[str], zh: bool) -> bool:
    """A number glued to a name or a date: '5G', 'TOP30', 'COVID-19', '2+(3+6)', '09:24'."""
    group = next((n for n in _NUMBER_GROUPS if (m.groupdict().get(n) is not None)), None)
    if group is None:
        return False
    start, end = m.span(group)
    if zh:
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        return before in "0123456789.+-/:" or after in "+:/" or (after.isascii() and after.isalpha())
    if end < m.end() and not text[end].isspace():
        end = m.end()  # a unit glued to the number ('100bn', '25%'): look past it
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if before.isascii() and (before.isalnum() or before in "_.+/:"):
        return True
    if before == "-" and start >= 2 and text[start - 2].isalnum():
        return True
    if after.isascii() and (after.isalnum() or after in "+:/"):
        return True
    return after == "-" and end + 1 < len(text) and text[end + 1].isdigit()


_NUMBER_GROUPS = ("pn", "pn2", "mn", "mn2", "cn", "cn2", "an", "rn", "kn")


def _value(text: str | None) -> float | None:
    return None if text is None else parse_number(text.replace(" ", "") if text[:1].isdigit() else text)


def _en(m: re.Match[str]) -> Figure | None:
    kind = m.lastgroup or ""
    g = m.group
    if kind == "per10k":
        v = _value(g("pn") or g("pn2"))
        return None if v is None else Figure(m.start(), m.end(), exact(v), "per_10k_people", "density")
    if kind == "money":
        pre, scale, post, num = g("pre"), g("scale"), g("post"), g("mn")
        if not (pre or scale or post) or (num.casefold() == "one" and not scale):
            return None
        if _is_year(num) and not scale:
            return None
        v = _value(num)
        if v is None:
            return None
        currency = _CURRENCY.get((pre or post or "").casefold().replace("  ", " "))
        if currency is None and (not scale or scale.casefold() not in MONEY_SCALES):
            return None  # "3 million" with no currency and no counted noun: not sure what it is
        return Figure(
            m.start(),
            m.end(),
            exact(v * (SCALES[scale.casefold()] if scale else 1)),
            currency or "CNY",
            "money",
            implied_currency=currency is None,
        )
    if kind == "percent":
        v = _value(g("cn"))
        return None if v is None else Figure(m.start(), m.end(), exact(v), "percent", "percent")
    if kind == "area":
        v = _value(g("an"))
        unit = "km2" if "k" in g("au").casefold() else "m2"
        scale = SCALES[g("ascale").casefold()] if g("ascale") else 1
        return None if v is None else Figure(m.start(), m.end(), exact(v * scale), unit, "area")
    if kind == "ratio":
        v = 2.0 if g("twice") else _value(g("rn"))
        return None if v is None else Figure(m.start(), m.end(), exact(v), "ratio", "ratio")
    if kind == "top":
        v = _value(g("tn"))
        return None if v is None else Figure(m.start(), m.end(), exact(v), "rank", "rank", comparator="<=")
    if kind == "nth":
        word = g("ord") or g("ord2")
        v = float(ORDINALS[word.casefold()]) if word else _value(g("ordn") or g("ordn2") or g("ordn3"))
        return None if v is None else Figure(m.start(), m.end(), exact(v), "rank", "rank", comparator="=")
    if kind == "count":
        num = g("kn")
        if _is_year(num) or ("." in num and not g("kscale")):
            return None
        v = _value(num)
        if v is None:
            return None
        v *= SCALES[g("kscale").casefold()] if g("kscale") else 1
        if not num[0].isdigit() and not _NAMED_NOUN.search(g("noun")):
            return None  # "the two cities": a plural after a number word is not counted unless the store counts it
        return Figure(m.start(), m.end(), exact(v), "count", "count", noun=" ".join(g("noun").split()))
    return None


def _zh(m: re.Match[str]) -> Figure | None:
    kind = m.lastgroup or ""
    g = m.group
    f: Figure | None = None
    if kind == "per10k":
        v = _value(g("pn"))
        f = None if v is None else Figure(m.start(), m.end(), exact(v), "per_10k_people", "density")
    elif kind == "percent":
        v = _value(g("cn") or g("cn2"))
        f = None if v is None else Figure(m.start(), m.end(), exact(v), "percent", "percent")
    elif kind == "area":
        v = _value(g("an"))
        if v is not None:
            v *= 1e4 if g("ascale") else 1
            f = Figure(m.start(), m.end(), exact(v), "m2" if g("au") == "平方米" else "km2", "area")
    elif kind == "money":
        num, scale = (g("mn"), g("scale")) if g("mn") else (g("mn2"), g("scale2"))
        if _is_year(num) and not scale:
            return None
        v = _value(num)
        if v is not None:
            currency = _CURRENCY.get(g("post") or "")
            f = Figure(
                m.start(),
                m.end(),
                exact(v * (SCALES[scale] if scale else 1)),
                currency or "CNY",
                "money",
                implied_currency=currency is None,
            )
    elif kind == "ratio":
        v = _value(g("rn")) if g("rn") else {"一": 2.0, "两": 4.0}[g("fan")]
        f = None if v is None else Figure(m.start(), m.end(), exact(v), "ratio", "ratio")
    elif kind == "top":
        v = _value(g("tn"))
        f = None if v is None else Figure(m.start(), m.end(), exact(v), "rank", "rank", comparator="<=")
    elif kind == "nth":
        v = 1.0 if g("first") else _value(g("ordn") or g("ordn2"))
        f = None if v is None else Figure(m.start(), m.end(), exact(v), "rank", "rank", comparator="=")
    elif kind == "count":
        num = g("kn")
        if _is_year(num) or num in ("一", "两") or ("." in num and not g("kscale")):
            return None  # 一个, 一家: an article, not a count
        v = _value(num)
        if v is not None:
            noun = _ZH_NOUN_STOP.split(g("noun"))[0]
            end = m.start("noun") + len(noun)
            f = Figure(m.start(), end, exact(v * (1e4 if g("kscale") else 1)), "count", "count", noun=noun)
            f.comparator = ">" if g("more") else None
    if f is not None:
        f.lang = "zh"
    return f


_NUMBER_OF = re.compile(
    r"\bnumber\s+of\s+(?P<noun>(?:(?!(?:in|to|will|is|was|has|from|at|by|that|which|would|should|below|above"
    r"|over|under|than|rise|grow|fall|reach|exceed|and)\b)[A-Za-z'‘’-]+\s*){1,6})",
    re.IGNORECASE,
)
_BARE = re.compile(
    r"\b(?:to|exceeds?|exceeded|reach(?:es|ed)?|from|below|above|over|than|at|hit|surpass(?:es|ed)?)\s+"
    r"(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?![\w%]|[.,]\d|\s*(?:%|percent|per\b|billion|million|trillion|yuan|rmb|square))",
    re.IGNORECASE,
)


def _numbers_of(text: str, found: list[Figure], blocked: list[tuple[int, int]]) -> list[Figure]:
    """Counts whose noun comes first: 'the number of listed companies to rise to 80',
    'keep the number of pilot schemes at no more than 30', 'grow it to 450, up from 400'."""
    out: list[Figure] = []
    for head in _NUMBER_OF.finditer(text):
        ends = [i for i in (text.find(";", head.end()), text.find(". ", head.end())) if i >= 0]
        clause_end = min([*ends, len(text), head.end() + 200])
        for m in _BARE.finditer(text, head.end(), clause_end):
            start, end = m.span("n")
            if _is_year(m.group("n")) or any(f.start <= start < f.end for f in (*found, *out)):
                continue
            if any(a <= start < b for a, b in blocked):
                continue
            noun = " ".join(head.group("noun").split())
            out.append(Figure(start, end, exact(float(m.group("n").replace(",", ""))), "count", "count", noun=noun))
    return out


def _quoted_names(text: str) -> list[tuple[int, int]]:
    """Spans of short quoted phrases: names ('"one core, three parks, two ports"', “十四五”)."""
    spans = []
    for m in re.finditer(r"“[^”]{1,50}”|\"[^\"]{1,50}\"|'[^']{1,40}'|《[^》]{1,50}》|「[^」]{1,50}」", text):
        inner = m.group()[1:-1]
        if not re.search(r"[.!?。！？]\s|[.!?。！？]$", inner):
            spans.append((m.start(), m.end()))
    return spans


def find(sentence: str, lang: str = "auto", masked: list[tuple[int, int]] | None = None) -> list[Figure]:
    """The figures of ``sentence`` in order. ``masked`` spans (place names) hold none."""
    text = normalize(sentence)
    blocked = _quoted_names(text) + list(masked or ())
    found: list[Figure] = []
    patterns = []
    if lang in ("auto", "en"):
        patterns.append((_pattern(False), _en, False))
    if lang == "zh" or (lang == "auto" and has_cjk(text)):
        patterns.append((_pattern(True), _zh, True))
    for pattern, build, zh in patterns:
        for m in pattern.finditer(text):
            if _bad_edges(text, m, zh):
                continue
            if not zh and _MONTHS.search(text[max(0, m.start() - 12) : m.start()]):
                continue  # "May 11", "No. 3"
            if zh and m.start() and text[m.start() - 1] in _CN_HINT + "第" and m.group()[:1] in _CN_HINT:
                continue  # inside a longer run of numerals the pattern did not take whole
            figure = build(m)
            if figure is None or any(a <= figure.start < b for a, b in blocked):
                continue
            if figure.kind == "money" and _THRESHOLD.match(text, figure.end):
                continue  # "enterprises earning over 10 billion yuan each", 超百亿元企业: a threshold

            found.append(figure)
    if lang in ("auto", "en"):
        found.extend(_numbers_of(text, found, blocked))
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Figure] = []
    for f in found:
        if kept and f.start < kept[-1].end:
            continue
        kept.append(f)
    return _fold_equivalents(text, kept)


# What follows an amount that is a threshold qualifying something else, not a figure.
_THRESHOLD = re.compile(r"\s*(?i:each|apiece|a piece)\b|(?:以上|以下)?的?(?:企业|项目|公司|园区|集群)")
_EQUIV = re.compile(
    r"\s*[(（]\s*(?:about|approximately|approx\.|around|roughly|some|约合|折合|合|约)?\s*$", re.IGNORECASE
)


def _fold_equivalents(text: str, figures: list[Figure]) -> list[Figure]:
    """A figure in parentheses right after another is its equivalent: a USD amount after a
    yuan amount becomes that figure's ``usd``; other equivalents are dropped."""
    out: list[Figure] = []
    for f in figures:
        if out and _EQUIV.fullmatch(text[out[-1].end : f.start]):
            prev = out[-1]
            if prev.kind == "money" and f.unit == "USD" and prev.unit == "CNY":
                prev.usd = f.value
            if prev.kind in ("money", "area", "density"):
                continue
        out.append(f)
    return out
