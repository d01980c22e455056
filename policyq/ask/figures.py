"""Reading the figures a question bounds: amounts with their comparators and units, periods,
'per 10,000 people', 'in US dollars', and source ids."""

from __future__ import annotations

import re

from policyq import vocab
from policyq.ask.reader import Reader
from policyq.ask.words import (
    AFTER,
    AREA_UNITS,
    BEFORE,
    BOUND_WORDS,
    CURRENCY_BEFORE,
    MEASURE_WORDS,
    PER_PEOPLE,
    RANGE_JOIN,
    RANGE_OPENERS,
    SCALE_WORDS,
    UNIT_WORDS,
    USD,
    YEAR_AFTER,
    YEAR_BEFORE,
)


def read_sources(r: Reader) -> None:
    for i, t in enumerate(r.tokens):
        if t.kind == "source":
            if r.source and r.source != t.text:
                raise r.refuse_error([t.text], "one source at a time")
            r.source = t.text
            r.take(i, i + 1, "source")
            # "from the X source", "in document X": the word names no table here
            for j in (i - 1, i + 1):
                if r.free(j) and r.lex.get(vocab.phrase_key(r.text(j))) == ("table", "sources"):
                    r.take(j, j + 1, "source")
    _hedges(r)


_HEDGES = ("according to", "based on", "per", "as per", "as stated in", "as reported in", "根据", "据", "按照")
_SAYS = ("say", "says", "said", "report", "reports", "reported", "state", "states", "stated", "give", "gives",
         "put", "puts", "称", "显示", "表示")  # fmt: skip


def _hedges(r: Reader) -> None:
    """'according to the sources, what was X', 'what does the source say about X', '据报道':
    the sources vouch for the figure asked; they are not what is asked for (which 'which sources
    mention X' asks)."""
    for i, t in enumerate(r.tokens):
        if not r.free(i) or r.lex.get(vocab.phrase_key(t.text)) != ("table", "sources"):
            continue
        j = i
        while j > 0 and r.text(j - 1) in ("the", "these", "those", "its", "their", "this", "that"):
            j -= 1
        n = max((len(h.split()) for h in _HEDGES if tuple(h.split()) == tuple(r.text(j - len(h.split()) + k)
                 for k in range(len(h.split())))), default=0)  # fmt: skip
        says = r.text(i + 1) in _SAYS and r.text(j - 1) not in ("which", "what")
        if n or says:
            r.take(j - n, i + 1 + says, "stop")


def read_amounts(r: Reader) -> None:
    i = 0
    while i < len(r.tokens):
        t = r.tokens[i]
        if t.used or t.kind != "num" or _is_year(r, i):
            i += 1
            continue
        start, bound = i, None
        n = r.phrase_at(i, BEFORE)
        k = i - n
        if n:
            bound, start = BEFORE[" ".join(r.text(k + m) for m in range(n))], k
        # a currency before the number: "CNY 100 bn", "over ¥100bn"
        pre = ""
        if r.free(i - 1) and r.text(i - 1) in CURRENCY_BEFORE and (not n or i - 1 >= k + n):
            pre = r.text(i - 1)
            if not n:
                m2 = r.phrase_at(i - 1, BEFORE)
                if m2:
                    bound, start = BEFORE[" ".join(r.text(i - 1 - m2 + m) for m in range(m2))], i - 1 - m2
                else:
                    start = i - 1
        end = i + 1
        scale = unit = area = ""
        if r.free(end) and r.text(end) in SCALE_WORDS:
            scale, end = r.text(end), end + 1
        square = r.phrase_at(end, AREA_UNITS, after=True)  # '5万平方米', '50,000 square metres'
        if square:
            area, end = AREA_UNITS[" ".join(r.text(end + k) for k in range(square))], end + square
        elif r.free(end) and r.text(end) in UNIT_WORDS:
            unit, end = r.text(end), end + 1
        elif r.free(end) and r.text(end) == "per" and r.text(end + 1) == "cent":
            unit, end = "percent", end + 2
        elif r.free(end) and r.text(end) in MEASURE_WORDS:
            end += 1  # "100家企业": a measure word, no unit
        after = r.phrase_at(end, AFTER, after=True)
        if after:
            if bound:
                raise r.refuse_error([r.text(end)], "one comparator for an amount")
            bound = AFTER[" ".join(r.text(end + m) for m in range(after))]
            end += after
        if bound is None:
            # "between 10 and 100 billion yuan", "from 10bn to 100bn"
            opener = r.text(i - 1) if r.free(i - 1) else ""
            if opener in RANGE_OPENERS or r.prev_word(i) == "between":
                i = _between(r, i, RANGE_OPENERS.get(opener, "and"))
                continue
            i += 1
            continue  # a bare number is left over and refused
        amount = vocab.parse_amount(f"{pre} {t.text}{scale} {unit}".strip())
        if area:
            amount.unit, amount.money_scale = area, False
        _bound(r, bound, amount)
        r.take(start, end, "amount")
        i = end


def _between(r: Reader, i: int, join: str) -> int:
    """'between A and B', 'from A to B' (amounts): at least A and at most B."""
    j = i + 1
    scale_a = ""
    if r.free(j) and r.text(j) in SCALE_WORDS:
        scale_a, j = r.text(j), j + 1
    if r.text(j) != join or r.tokens[j + 1 : j + 2] == [] or r.tokens[j + 1].kind != "num":
        return i + 1
    k = j + 2
    scale_b = unit = ""
    if r.free(k) and r.text(k) in SCALE_WORDS:
        scale_b, k = r.text(k), k + 1
    if r.free(k) and r.text(k) in UNIT_WORDS:
        unit, k = r.text(k), k + 1
    low = vocab.parse_amount(f"{r.text(i)}{scale_a or scale_b} {unit}".strip())
    high = vocab.parse_amount(f"{r.text(j + 1)}{scale_b} {unit}".strip())
    _bound(r, "min", low)
    _bound(r, "max", high)
    start = i - 1 if r.text(i - 1) in RANGE_OPENERS else i
    r.take(start, k, "amount")
    return k


def _bound(r: Reader, bound: str, amount: vocab.Amount) -> None:
    if amount.unit is None and 0 < amount.value < 1:  # 0.4: a share as a fraction, or 0.4 of what?
        raise r.refuse_error(
            [f"{amount.value:g}"], "a unit for a fraction: a share or growth rate in percent (40%), money in yuan"
        )
    if bound == "equal":  # "exactly 100 billion": at least and at most
        _bound(r, "min", amount)
        _bound(r, "max", amount)
        return
    if bound in r.bounds:
        raise r.refuse_error([BOUND_WORDS[bound]], "one bound of each kind")
    r.bounds[bound] = amount.value
    if amount.unit:
        if r.unit and r.unit != amount.unit:
            raise r.refuse_error([amount.unit], "amounts in one unit")
        r.unit = amount.unit
    r.money_scale |= amount.money_scale


def _is_year(r: Reader, i: int) -> bool:
    t = r.tokens[i]
    if t.kind != "num" or not re.fullmatch(r"(19|20)\d\d", t.text):
        return False
    nxt = r.text(i + 1)
    unit = nxt in UNIT_WORDS and r.free(i + 1)  # '2018 USD' once 'USD' is read as the dollar figure: a year
    return nxt not in SCALE_WORDS and not unit and not r.phrase_at(i, BEFORE)


def read_periods(r: Reader) -> None:
    for i, t in enumerate(r.tokens):
        if t.used:
            continue
        if t.kind == "range":
            first, last = (int(y) for y in re.findall(r"\d{4}", t.text))
            _period(r, first, last, f"{first}-{last}", i, i + 1 + (r.text(i + 1) == "年"))
            continue
        if not _is_year(r, i):
            continue
        year = int(t.text)
        start, end = i, i + 1
        if r.free(end) and r.text(end) in ("年", "年度"):
            end += 1
        # "2020 to 2025", "from 2020 to 2025", "between 2020 and 2025"
        if r.free(end) and r.text(end) in RANGE_JOIN and r.free(end + 1) and _is_year(r, end + 1):
            until = int(r.text(end + 1))
            stop = end + 2 + (r.text(end + 2) == "年")
            before = r.phrase_at(start, ("from", "between", "从", "自"))
            if r.text(end) == "and" and r.text(start - 1) != "between":  # "2018 and 2023": two years
                raise r.refuse_error([f"{year} and {until}"], "one year or one range, e.g. 2018-2023")
            _period(r, year, until, f"{year}-{until}", start - before, stop)
            continue
        n = r.phrase_at(start, YEAR_BEFORE)
        how = YEAR_BEFORE[" ".join(r.text(start - n + m) for m in range(n))] if n else "in"
        a = r.phrase_at(end, YEAR_AFTER, after=True)
        after = YEAR_AFTER[" ".join(r.text(end + m) for m in range(a))] if a else "in"
        as_of = (bool(n) and r.text(start - n) in ("截至", "截止")) or (a > 0 and after == "in" and how == "in")
        if a and after != "in":  # '2022年以来', '2025年底前': the word after bounds the year
            if n and how not in ("in", after):
                raise r.refuse_error([r.text(end)], "one way of bounding a year")
            how = after
        elif as_of:  # '截至2022年(底)', '2023年末': as of (the end of) 2022, the figures of 2022
            how = "in"
        bounds: dict[str, tuple[int | None, int | None]] = {
            "in": (year, year),
            "to": (None, year),
            "before": (None, year - 1),
            "from": (year, None),
            "after": (year + 1, None),
        }
        lo, hi = bounds[how]
        said = {"in": f"as of the end of {year}" if as_of else f"{year}", "to": f"by {year}",
                "before": f"before {year}", "from": f"since {year}", "after": f"after {year}"}[how]  # fmt: skip
        if n == 1 and not a and r.text(start - 1) == "from":  # 'figures from 2018' are 2018's figures
            r.readings.append(f"'from {year}' as the year {year} ('since {year}' asks for the years after too)")
        _period(r, lo, hi, said, start - n, end + a)


def _period(r: Reader, lo: int | None, hi: int | None, said: str, start: int, end: int) -> None:
    if r.period is not None:
        raise r.refuse_error([said], "one period")
    if lo is not None and hi is not None and lo > hi:
        raise r.refuse_error([said], "a period that runs forwards")
    r.period = (lo, hi, said)
    r.take(start, end, "period")


def read_density(r: Reader) -> None:
    """'robots per 10,000 people', '每万人…机器人': robot density, not the robotics sector."""
    for i in range(len(r.tokens)):
        n = r.phrase_at(i, PER_PEOPLE, after=True)
        if not n:
            continue
        if r.metric not in (None, "density"):
            raise r.refuse_error([r.text(i)], "one metric (ask once per metric)")
        r.metric = "density"
        r.take(i, i + n, "metric")
        r.heads.append((i, n, "density"))
        for j, t in enumerate(r.tokens):
            if r.free(j) and t.text in ("robots", "robot", "机器人"):
                r.take(j, j + 1, "metric")
                for k in (j - 1, j + 1):  # 'industrial robots', 'robot count', 'number of robots'
                    if r.free(k) and r.text(k) in ("industrial", "count", "number", "工业", "数量"):
                        r.take(k, k + 1, "metric")


def read_units_asked(r: Reader) -> None:
    """'the planned area, in square kilometres': the unit an answer is asked in (the figure is
    shown as the source gives it), not a bound or a second metric."""
    for i in range(1, len(r.tokens)):
        if r.text(i - 1) == "in" and r.free(i - 1) and r.tokens[i - 2 : i - 1] != [] and r.tokens[i - 2].kind != "num":
            n = r.phrase_at(i, AREA_UNITS, after=True)
            if n:
                r.take(i - 1, i + n, "stop")


def read_usd(r: Reader) -> None:
    """'in US dollars', '以美元计': the US-dollar figure the source states beside the yuan."""
    for i in range(len(r.tokens)):
        n = r.phrase_at(i, USD, after=True)
        if n:
            r.usd = True
            r.take(i, i + n, "usd")


_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
             "5th": 5}  # fmt: skip
_COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10, "一": 1, "二": 2, "两": 2, "三": 3,
           "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}  # fmt: skip


def read_ranks(r: Reader) -> None:
    """A rank said with its number: 'third-largest' and '第三大' are rank 3, 'top two' and
    '前两名' a rank of at most 2; the rank is the figure asked for, the number bounds it."""
    for i in range(len(r.tokens)):
        if not r.free(i):
            continue
        text, nxt = r.text(i), r.text(i + 1)
        found: tuple[str, int, int] | None = None  # bound, rank, tokens
        if text in _ORDINALS and nxt in ("largest", "biggest") and r.free(i + 1):
            found = ("equal", _ORDINALS[text], 2)
        elif text == "top" and (nxt in _COUNTS or (r.tokens[i + 1 : i + 2] and r.tokens[i + 1].kind == "num")):
            found = ("max", int(_COUNTS.get(nxt) or float(nxt)), 2)
        elif len(text) == 3 and text[0] == "第" and text[2] == "大" and text[1] in _COUNTS:
            found = ("equal", _COUNTS[text[1]], 1)
        elif len(text) == 3 and text[0] == "前" and text[2] in "名位" and text[1] in _COUNTS:
            found = ("max", _COUNTS[text[1]], 1)
        if found is None:
            continue
        bound, rank, n = found
        if r.metric not in (None, "rank") or r.bounds:
            raise r.refuse_error([text], "one figure and one bound")
        r.metric, r.unit = "rank", "rank"
        r.bounds.update({"min": rank, "max": rank} if bound == "equal" else {"max": rank})
        r.take(i, i + n, "metric")
        r.heads.append((i, n, "rank"))
        said = " ".join(r.text(i + k) for k in range(n))
        r.readings.append(f"'{said}' as a rank of {'' if bound == 'equal' else 'at most '}{rank}")
