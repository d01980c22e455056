"""Reading a question: passes over its tokens that take the words they understand (places,
amounts, periods, tables, kinds, metrics, sectors, counts, attributes) and leave the rest."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from typing import Any

from policyq import vocab
from policyq.ask.tokens import split, tokenize
from policyq.ask.words import (
    AFTER,
    ATTRIBUTES,
    BEFORE,
    BOUND_WORDS,
    COMPARE,
    COUNT_AFTER,
    COUNT_WORDS,
    CURRENCY_BEFORE,
    EXAMPLE,
    MEASURE_WORDS,
    NAME_KINDS,
    NAME_KINDS_BEFORE,
    NEGATIONS,
    OF,
    PER_PEOPLE,
    PLACE_LINKS,
    QUESTION,
    RANGE_JOIN,
    RANGE_OPENERS,
    SCALE_WORDS,
    STOP,
    TENSE,
    UNIT_WORDS,
    USD,
    WHEN,
    WHO,
    YEAR_AFTER,
    YEAR_BEFORE,
    lexicon,
)
from policyq.errors import UsageError
from policyq.model import METRICS
from policyq.places import Places


class Reader:
    """One question being read: its tokens and what has been understood so far."""

    def __init__(self, question: str, index: Places, sources: Iterable[str], sectors: Iterable[str]) -> None:
        self.question, self.index = question, index
        self.lex = lexicon(sectors)
        cjk = {k for k in self.lex if vocab.has_cjk(k)} | {k for k in (*BEFORE, *AFTER, *YEAR_BEFORE, *YEAR_AFTER)}
        cjk |= {"年", "万", "亿", "万亿", "元", "美元", "几个", "多大", "有多大", "谁", *COUNT_AFTER, *COUNT_WORDS}
        cjk |= {*NEGATIONS, *WHEN, *WHO, *TENSE, *COMPARE, *USD, *PER_PEOPLE, *QUESTION, "哪里", "哪儿", "在哪", "全国"}
        cjk |= {verb for verbs in ATTRIBUTES.values() for verb in verbs} | {"时间", "日期"}
        cjk |= {name for zone in index.by_id.values() for name in names(zone) if vocab.has_cjk(name)}
        self.tokens = tokenize(question, {w for w in cjk if vocab.has_cjk(w)}, sources)
        self.places: list[str] = []  # ids, in the order the question names them
        self.exact_hint = False
        self.table: str | None = None
        self.kinds: list[str] = []
        self.metric: str | None = None
        self.sector: str | None = None
        self.source: str | None = None
        self.bounds: dict[str, float] = {}
        self.unit: str | None = None
        self.money_scale = False
        self.period: tuple[int | None, int | None, str] | None = None  # from, to, how it was said
        self.attribute: str | None = None
        self.sized = False  # the metric was said as 'size' or 'how big': an area, or an industry's scale
        self.spans: list[tuple[int, int, str]] = []  # where each place is named: start, end, id
        self.heads: list[tuple[int, int, str]] = []  # tables, kinds and metrics named: start, size, value
        self.metric_at = 0  # where the last metric word was read
        self.loose_count = False  # 'how many' read as a question word, not before what it counts
        self.tense: str | None = None  # the table words of tense point to: 'already' indicators, 'will' targets
        self.compare = False  # a comparative ('higher', 'grew faster', '更高'): the figures sorted
        self.usd = False  # the figure in US dollars, as the source states it
        self.readings: list[str] = []  # how a word was read where it could be read otherwise

    # -- helpers --

    def free(self, i: int) -> bool:
        return 0 <= i < len(self.tokens) and not self.tokens[i].used

    def text(self, i: int) -> str:
        return self.tokens[i].text if 0 <= i < len(self.tokens) else ""

    def take(self, start: int, stop: int, meaning: str) -> None:
        for t in self.tokens[start:stop]:
            t.used, t.meaning = True, meaning

    def phrase_at(self, i: int, phrases: Iterable[str], after: bool = False) -> int:
        """Length in tokens of the longest of ``phrases`` ending just before ``i`` (or, with
        ``after``, starting at ``i``), among free tokens; 0 when none."""
        best = 0
        for phrase in phrases:
            parts = split(phrase)
            n = len(parts)
            start = i if after else i - n
            fits = n > best and start >= 0 and all(self.free(start + k) for k in range(n))
            if fits and [self.text(start + k) for k in range(n)] == parts:
                best = n
        return best

    def _prev_word(self, i: int) -> str:
        j = i - 1
        while j >= 0 and self.tokens[j].text in ("the", "a", "an"):
            j -= 1
        return self.text(j)

    # -- passes, in order --

    def read_attributes(self) -> None:
        """'how big is X', 'when was X launched', 'who designated X'."""
        texts = [t.text for t in self.tokens]
        for i, t in enumerate(texts):
            big = 2 if t == "how" and i + 1 < len(texts) and texts[i + 1] in ("big", "large") else 0
            if t in ("多大", "有多大"):
                big = 1
            if big:
                self.take(i, i + big, "how big")
                self.metric, self.attribute, self.exact_hint, self.sized = "area", "area", True, True
                return
            if t in ("时间", "日期") and i and self.free(i - 1):  # "成立时间": when it was established
                for attribute, verbs in ATTRIBUTES.items():
                    if texts[i - 1] in verbs:
                        self.take(i - 1, i + 1, "when")
                        self.attribute = attribute if attribute == "established" else "designated"
                        return
            when = 1 if t == "when" else self.phrase_at(i, WHEN, after=True)  # "in which year"
            if when:  # the verb after the question word ('when was X launched') or before it ('成立于哪一年')
                for j in [*range(i + when, len(texts)), *range(i)]:
                    for attribute, verbs in ATTRIBUTES.items():
                        n = self.phrase_at(j, verbs, after=True)
                        if n:
                            self.take(i, i + when, "when")
                            self.take(j, j + n, "when")
                            self.attribute = attribute if attribute == "established" else "designated"
                            self._first(j + n)
                            return
            who = 1 if t in ("who", "whom", "谁") else self.phrase_at(i, WHO, after=True)
            if who:
                for j in range(i + 1, len(texts)):
                    if self.phrase_at(j, ATTRIBUTES["designated"], after=True):
                        self.take(i, i + who, "who")
                        self.take(j, j + 1, "who")
                        self.attribute = "designated_by"
                        self._first(j + 1)
                        return

    def _first(self, i: int) -> None:
        """'chosen as the first AI pilot zone': 'first' is part of the designation asked about."""
        for k in range(i, min(i + 3, len(self.tokens))):
            if self.free(k) and self.text(k) in ("first", "首个", "首批"):
                self.take(k, k + 1, "when")

    def read_places(self) -> None:
        """Place names, longest first ('Lingang data park' before 'Lingang')."""
        chosen: list[tuple[int, int, str]] = []
        n = len(self.tokens)
        for size in range(min(10, n), 0, -1):
            for start in range(n - size + 1):
                span = self.tokens[start : start + size]
                if any(t.used or t.kind not in ("word", "cjk", "num") for t in span) or span[0].kind == "num":
                    continue
                if size == 1 and (span[0].text in STOP or vocab.phrase_key(span[0].text) in self.lex):
                    continue  # a common word is not read as a place even if a store names one so
                joined = "".join(t.text for t in span) if span[0].kind == "cjk" else " ".join(t.text for t in span)
                ids = self.index.matches(joined)
                if len(ids) > 1:
                    options = ", ".join(f"'{i}' ({self.index.name(i)})" for i in ids)
                    raise UsageError(f"'{joined}' names several places: {options}; ask with an id")
                if ids:
                    self.take(start, start + size, "place")
                    chosen.append((start, start + size, ids[0]))
        countries = [z for z, zone in self.index.by_id.items() if zone.get("kind") == "country"]
        for i, t in enumerate(self.tokens):  # '山东在全国排名第几': the country
            if self.free(i) and t.text in ("全国", "nationwide") and len(countries) == 1:
                self.take(i, i + 1, "place")
                chosen.append((i, i + 1, countries[0]))
        chosen = [self._with_kind_word(*span) for span in sorted(chosen)]
        outer: set[int] = set()
        for k, ((_, end, zid), (start, _, other)) in enumerate(itertools.pairwise(chosen)):
            between = {self.text(j) for j in range(end, start)}
            if between <= {"in", "inside", "within", "under", "of", "'s", "的", "在", "the"}:
                if other in self.index.ancestors(zid):  # 'Lingang of Shanghai', 'Qingdao in Shandong'
                    outer.add(k + 1)
                    self._nested(zid, other)
                elif zid in self.index.ancestors(other):  # "Shanghai's Lingang", '上海临港'
                    outer.add(k)
                    self._nested(other, zid)
        chosen = [span for k, span in enumerate(chosen) if k not in outer]
        for start, end, _ in chosen:
            if self._prev_word(start) in OF or self.text(end) == "'s":
                self.exact_hint = True
        self.places = list(dict.fromkeys(zid for _, _, zid in chosen))
        self.spans = chosen

    def _with_kind_word(self, start: int, end: int, zid: str) -> tuple[int, int, str]:
        """A place's span with the word for its own kind beside it: 'Jinan city', 'the city of
        Shanghai', 'Lingang FTZ', 'the Zhangjiang area', 'the Lingang area'."""
        kind = self.index.by_id[zid].get("kind")
        names = [
            p for p, kinds in NAME_KINDS.items() if kind in kinds or (p == "area" and self.text(start - 1) == "the")
        ]
        n = self.phrase_at(end, names, after=True)
        if n:
            self.take(end, end + n, "place")
            end += n
        before = [p for p in names if p in NAME_KINDS_BEFORE]  # 'the area of X' is its area
        m = self.phrase_at(start - 1, before) if self.text(start - 1) == "of" and self.free(start - 1) else 0
        if m:
            self.take(start - 1 - m, start, "place")
            start -= 1 + m
        return start, end, zid

    def read_tense(self) -> None:
        """'already', 'currently', '目前' (what is reported) or 'will', 'should', '计划' (what is
        planned): which kind of figure, when no other word says."""
        for i in range(len(self.tokens)):
            n = self.phrase_at(i, TENSE, after=True)
            if n:
                said = " ".join(self.text(i + k) for k in range(n))
                self.tense = self.tense or TENSE[said]
                self.take(i, i + n, "tense")

    def read_density(self) -> None:
        """'robots per 10,000 people', '每万人…机器人': robot density, not the robotics sector."""
        for i in range(len(self.tokens)):
            n = self.phrase_at(i, PER_PEOPLE, after=True)
            if not n:
                continue
            if self.metric not in (None, "density"):
                raise self.refuse_error([self.text(i)], "one metric (ask once per metric)")
            self.metric = "density"
            self.take(i, i + n, "metric")
            self.heads.append((i, n, "density"))
            for j, t in enumerate(self.tokens):
                if self.free(j) and t.text in ("robots", "robot", "机器人"):
                    self.take(j, j + 1, "metric")

    def read_usd(self) -> None:
        """'in US dollars', '以美元计': the US-dollar figure the source states beside the yuan."""
        for i in range(len(self.tokens)):
            n = self.phrase_at(i, USD, after=True)
            if n:
                self.usd = True
                self.take(i, i + n, "usd")

    def read_compare(self) -> None:
        """'which is higher, A or B', 'which grew faster', '哪个更高', 'A比B高': the named places'
        figures, sorted."""
        than = any(t.text == "比" for t in self.tokens)
        for i, t in enumerate(self.tokens):
            if self.free(i) and (t.text in COMPARE or (than and t.text in ("比", "高", "快", "大", "多", "低", "慢"))):
                self.compare = True
                self.take(i, i + 1, "compare")

    def read_questions(self) -> None:
        """Question words left over ('how many' not before what it counts) ask, and say nothing;
        nor does the unit an answer is asked in ('是多少亿元': how many hundred million yuan)."""
        for i in range(len(self.tokens)):
            n = self.phrase_at(i, QUESTION, after=True)
            if n:
                self.take(i, i + n, "stop")
                self.loose_count |= self.text(i) != "how" or self.text(i + 1) == "many"
            if self.text(i) in ("多少", "是多少", "为多少", "有多少"):
                j = i + 1
                while self.free(j) and self.text(j) in ("万", "亿", "万亿", "元", "亿元", "万元"):
                    self.take(j, j + 1, "stop")
                    j += 1

    def read_sources(self) -> None:
        for i, t in enumerate(self.tokens):
            if t.kind == "source":
                if self.source and self.source != t.text:
                    raise self.refuse_error([t.text], "one source at a time")
                self.source = t.text
                self.take(i, i + 1, "source")
                # "from the X source", "in document X": the word names no table here
                for j in (i - 1, i + 1):
                    if self.free(j) and self.lex.get(vocab.phrase_key(self.text(j))) == ("table", "sources"):
                        self.take(j, j + 1, "source")

    def read_amounts(self) -> None:
        i = 0
        while i < len(self.tokens):
            t = self.tokens[i]
            if t.used or t.kind != "num" or self._is_year(i):
                i += 1
                continue
            start, bound = i, None
            n = self.phrase_at(i, BEFORE)
            k = i - n
            if n:
                bound, start = BEFORE[" ".join(self.text(k + m) for m in range(n))], k
            # a currency before the number: "CNY 100 bn", "over ¥100bn"
            pre = ""
            if self.free(i - 1) and self.text(i - 1) in CURRENCY_BEFORE and (not n or i - 1 >= k + n):
                pre = self.text(i - 1)
                if not n:
                    m2 = self.phrase_at(i - 1, BEFORE)
                    if m2:
                        bound, start = BEFORE[" ".join(self.text(i - 1 - m2 + m) for m in range(m2))], i - 1 - m2
                    else:
                        start = i - 1
            end = i + 1
            scale = unit = ""
            if self.free(end) and self.text(end) in SCALE_WORDS:
                scale, end = self.text(end), end + 1
            if self.free(end) and self.text(end) in UNIT_WORDS:
                unit, end = self.text(end), end + 1
            elif self.free(end) and self.text(end) == "per" and self.text(end + 1) == "cent":
                unit, end = "percent", end + 2
            elif self.free(end) and self.text(end) in MEASURE_WORDS:
                end += 1  # "100家企业": a measure word, no unit
            after = self.phrase_at(end, AFTER, after=True)
            if after:
                if bound:
                    raise self.refuse_error([self.text(end)], "one comparator for an amount")
                bound = AFTER[" ".join(self.text(end + m) for m in range(after))]
                end += after
            if bound is None:
                # "between 10 and 100 billion yuan", "from 10bn to 100bn"
                opener = self.text(i - 1) if self.free(i - 1) else ""
                if opener in RANGE_OPENERS or self._prev_word(i) == "between":
                    i = self._between(i, RANGE_OPENERS.get(opener, "and"))
                    continue
                i += 1
                continue  # a bare number is left over and refused
            amount = vocab.parse_amount(f"{pre} {t.text}{scale} {unit}".strip())
            self._bound(bound, amount)
            self.take(start, end, "amount")
            i = end

    def _between(self, i: int, join: str) -> int:
        """'between A and B', 'from A to B' (amounts): at least A and at most B."""
        j = i + 1
        scale_a = ""
        if self.free(j) and self.text(j) in SCALE_WORDS:
            scale_a, j = self.text(j), j + 1
        if self.text(j) != join or self.tokens[j + 1 : j + 2] == [] or self.tokens[j + 1].kind != "num":
            return i + 1
        k = j + 2
        scale_b = unit = ""
        if self.free(k) and self.text(k) in SCALE_WORDS:
            scale_b, k = self.text(k), k + 1
        if self.free(k) and self.text(k) in UNIT_WORDS:
            unit, k = self.text(k), k + 1
        low = vocab.parse_amount(f"{self.text(i)}{scale_a or scale_b} {unit}".strip())
        high = vocab.parse_amount(f"{self.text(j + 1)}{scale_b} {unit}".strip())
        self._bound("min", low)
        self._bound("max", high)
        start = i - 1 if self.text(i - 1) in RANGE_OPENERS else i
        self.take(start, k, "amount")
        return k

    def _bound(self, bound: str, amount: vocab.Amount) -> None:
        if amount.unit is None and 0 < amount.value < 1:  # 0.4: a share as a fraction, or 0.4 of what?
            raise self.refuse_error(
                [f"{amount.value:g}"], "a unit for a fraction: a share or growth rate in percent (40%), money in yuan"
            )
        if bound == "equal":  # "exactly 100 billion": at least and at most
            self._bound("min", amount)
            self._bound("max", amount)
            return
        if bound in self.bounds:
            raise self.refuse_error([BOUND_WORDS[bound]], "one bound of each kind")
        self.bounds[bound] = amount.value
        if amount.unit:
            if self.unit and self.unit != amount.unit:
                raise self.refuse_error([amount.unit], "amounts in one unit")
            self.unit = amount.unit
        self.money_scale |= amount.money_scale

    def _is_year(self, i: int) -> bool:
        t = self.tokens[i]
        if t.kind != "num" or not re.fullmatch(r"(19|20)\d\d", t.text):
            return False
        nxt = self.text(i + 1)
        return nxt not in SCALE_WORDS and nxt not in UNIT_WORDS and not self.phrase_at(i, BEFORE)

    def read_periods(self) -> None:
        for i, t in enumerate(self.tokens):
            if t.used:
                continue
            if t.kind == "range":
                first, last = (int(y) for y in re.findall(r"\d{4}", t.text))
                self._period(first, last, f"{first}-{last}", i, i + 1 + (self.text(i + 1) == "年"))
                continue
            if not self._is_year(i):
                continue
            year = int(t.text)
            start, end = i, i + 1
            if self.free(end) and self.text(end) == "年":
                end += 1
            # "2020 to 2025", "from 2020 to 2025", "between 2020 and 2025"
            if self.free(end) and self.text(end) in RANGE_JOIN and self.free(end + 1) and self._is_year(end + 1):
                until = int(self.text(end + 1))
                stop = end + 2 + (self.text(end + 2) == "年")
                before = self.phrase_at(start, ("from", "between", "从", "自"))
                if self.text(end) == "and" and self.text(start - 1) != "between":  # "2018 and 2023": two years
                    raise self.refuse_error([f"{year} and {until}"], "one year or one range, e.g. 2018-2023")
                self._period(year, until, f"{year}-{until}", start - before, stop)
                continue
            n = self.phrase_at(start, YEAR_BEFORE)
            how = YEAR_BEFORE[" ".join(self.text(start - n + m) for m in range(n))] if n else "in"
            a = self.phrase_at(end, YEAR_AFTER, after=True)
            if a:
                if n and how != "in":
                    raise self.refuse_error([self.text(end)], "one way of bounding a year")
                how = YEAR_AFTER[" ".join(self.text(end + m) for m in range(a))]
            bounds: dict[str, tuple[int | None, int | None]] = {
                "in": (year, year),
                "to": (None, year),
                "before": (None, year - 1),
                "from": (year, None),
                "after": (year + 1, None),
            }
            lo, hi = bounds[how]
            said = {"in": f"{year}", "to": f"by {year}", "before": f"before {year}", "from": f"since {year}",
                    "after": f"after {year}"}[how]  # fmt: skip
            if n == 1 and not a and self.text(start - 1) == "from":  # 'figures from 2018' are 2018's figures
                self.readings.append(f"'from {year}' as the year {year} ('since {year}' asks for the years after too)")
            self._period(lo, hi, said, start - n, end + a)

    def _period(self, lo: int | None, hi: int | None, said: str, start: int, end: int) -> None:
        if self.period is not None:
            raise self.refuse_error([said], "one period")
        if lo is not None and hi is not None and lo > hi:
            raise self.refuse_error([said], "a period that runs forwards")
        self.period = (lo, hi, said)
        self.take(start, end, "period")

    def read_words(self) -> None:
        """Tables, kinds, metrics, sectors and empty words: the longest known phrase first."""
        n = len(self.tokens)
        for size in range(min(6, n), 0, -1):
            for start in range(n - size + 1):
                span = self.tokens[start : start + size]
                if any(t.used or t.kind not in ("word", "cjk", "poss", "sym") for t in span):
                    continue
                joined = "".join(t.text for t in span) if span[0].kind == "cjk" else " ".join(t.text for t in span)
                key = vocab.phrase_key(joined) or joined
                meaning = self.lex.get(key)
                if meaning is None and size == 1 and joined in STOP:
                    meaning = ("stop", joined)
                if meaning is None:
                    continue
                what, value = meaning
                if what == "metric" and value == "area" and joined == "areas":
                    what, value = "kind", "area"  # 'areas' are places; 'area' is a figure
                self._understand(what, value, start, size)

    def _understand(self, what: str, value: str, start: int, size: int) -> None:
        joined = " ".join(t.text for t in self.tokens[start : start + size])
        if what == "stop":
            self.take(start, start + size, "stop")
            return
        if what == "table":
            if value == "parks":
                self._kind("park", start, size)
            elif self.table not in (None, value):
                raise self.refuse_error([joined], "one kind of record")
            else:
                self.table = value
                self.take(start, start + size, "table")
                self.heads.append((start, size, value))
            return
        if what == "kind":
            self._kind(value, start, size)
            return
        if what == "metric":
            if value == "count" and self._names_records(start + size):
                self.take(start, start + size, "stop")  # "count targets in Lingang": how many targets
                return
            if self.sized and self.metric == "area" and value != "area":  # "how big is Qingdao's economy"
                self.metric = None
            between = self.tokens[min(start, self.metric_at) : max(start, self.metric_at)]
            parted = any(t.kind == "sep" or t.text in _AND for t in between)  # 'GDP and growth': two metrics
            merged = _one_metric(self.metric, value) if not parted or self.metric in (None, value) else None
            self.metric_at = start
            if merged is None:
                raise self.refuse_error([joined], "one metric (ask once per metric)")
            self.metric = merged
            self.sized |= joined == "size"
            self.take(start, start + size, "metric")
            self.heads.append((start, size, value))
            return
        if what == "sector":
            if self.sector not in (None, value):
                raise self.refuse_error([joined], "one sector (ask once per sector)")
            self.sector = value
            self.take(start, start + size, "sector")

    def _kind(self, kind: str, start: int, size: int) -> None:
        for k in kind.split("+"):
            if k not in self.kinds:
                self.kinds.append(k)
        self.take(start, start + size, "kind")
        self.heads.append((start, size, kind))

    def _names_records(self, i: int) -> bool:
        """Whether the words from ``i`` name a kind of record or of place ('the targets', 'parks')."""
        while self.text(i) in ("the", "all", "of"):
            i += 1
        for size in (3, 2, 1):
            meaning = self.lex.get(vocab.phrase_key(" ".join(self.text(i + k) for k in range(size))))
            if meaning and meaning[0] in ("table", "kind"):
                return True
        return False

    def read_counts(self) -> None:
        """'how many targets' (the listing says how many), 'how many AI companies', 'number of
        parks' (the count the sources report, for parks and pilot areas)."""
        self._count_groups()
        for start, size, value in sorted(self.heads):
            is_kind = self.tokens[start].meaning == "kind"
            j = start
            while j > 0 and self.tokens[j - 1].meaning == "sector":
                j -= 1  # "how many data companies": the count is of the companies
            of_sector = j < start
            n = self._count_before(j)
            while not n and j > 0 and self.tokens[j - 1].meaning == "stop":  # 'how many municipal-level parks'
                j -= 1
                n = self._count_before(j)
            if n:
                self.take(j - n, j, "count")
            elif not self._count_after(start + size):
                continue
            if not is_kind:
                continue
            # the store does not list every place that exists, and counts parks of no sector
            if value not in vocab.COUNT_METRICS or of_sector:
                raise self.refuse_error(
                    ["how many"], "counts the sources report: parks, pilot areas, companies, factories…"
                )
            metric = vocab.COUNT_METRICS[value]
            if self.metric not in (None, metric):
                raise self.refuse_error([self.text(start)], "one metric (ask once per metric)")
            self.metric = metric
            self.kinds = [k for k in self.kinds if k not in value.split("+")]
            self.take(start, start + size, "metric")

    def _count_groups(self) -> None:
        """'how many municipal-level characteristic industrial parks does Pudong have': a count
        before the name of a group of parks is the park count of the place the group lies in."""
        for start, _, zid in list(self.spans):
            zone = self.index.by_id[zid]
            n = self._count_before(start)
            if zone.get("kind") != "park_group" or not n or self.metric not in (None, "park_count"):
                continue
            self.take(start - n, start, "count")
            self.metric = "park_count"
            self.spans = [span for span in self.spans if span[2] != zid]
            self.places = [p for p in self.places if p != zid]
            if not self.places and zone.get("parent"):
                self.places = [zone["parent"]]
            where = " and ".join(self.index.name(p) for p in self.places)
            self.readings.append(f"'how many {zone['name']}' as the park count of {where}")

    def _count_before(self, i: int) -> int:
        """Length in tokens of 'how many', 'the number of', 'count'… ending just before ``i``."""
        best = 0
        for phrase in COUNT_WORDS:
            parts = split(phrase)
            s = i - len(parts)
            if len(parts) > best and s >= 0:
                span = self.tokens[s:i]
                if [t.text for t in span] == parts and all(not t.used or t.meaning == "stop" for t in span):
                    best = len(parts)
        return best

    def _count_after(self, i: int) -> bool:
        """Take '数量', '有多少' just after ``i`` ('园区数量', '企业有多少'); whether there was one."""
        j = i
        while self.text(j) in ("有", "的", "是") and self.tokens[j].meaning == "stop":
            j += 1
        if self.free(j) and self.text(j) in COUNT_AFTER:
            self.take(j, j + 1, "count")
            return True
        return False

    def read_adjuncts(self) -> None:
        """'Shandong GDP', '山东的GDP': a place just before a metric names whose figure it is,
        as 'Shandong's GDP' does; its cities' GDP is not Shandong's."""
        named = {k for start, end, _ in self.spans for k in range(start, end)}
        for _, end, _ in self.spans:
            j = end
            while 0 <= j < len(self.tokens) and (
                self.text(j) in ("的", "在")
                or self.tokens[j].meaning == "period"
                or (self.tokens[j].meaning == "place" and j not in named)  # '山东在全国排名': where Shandong lies
            ):
                j += 1
            if 0 <= j < len(self.tokens) and self.tokens[j].meaning == "metric":
                self.exact_hint = True

    def _nested(self, inner: str, outer: str) -> None:
        self.readings.append(f"'{self.index.name(outer)}' as where {self.index.name(inner)} lies")

    def check_nesting(self) -> None:
        """Two places one inside the other, the outer named after 'in': in "Qingdao's rank in
        Shandong" and "Pudong's parks in Shanghai" the outer place says where the inner one lies;
        neither Shandong's own rank nor Shanghai's other parks were asked for, so the question
        is about the inner place, and the reading says so."""
        for start, _, outer in list(self.spans):
            inner = [z for _, _, z in self.spans if outer in self.index.ancestors(z)]
            if inner and self._prev_word(start) in ("in", "inside", "within", "across", "在"):
                self._nested(inner[0], outer)
                self.spans = [span for span in self.spans if span[2] != outer]
                self.places = [p for p in self.places if p != outer]

    def zones_named(self) -> list[str]:
        """Zones of the kinds (and the sector) named that lie in every place named: 'the AI pilot
        zone in Pudong', 'the Jinan and Qingdao pilot zone' (a zone spanning both)."""
        kinds = {k for kind in self.kinds for k in (("park", "park_group") if kind == "park" else (kind,))}
        pattern = vocab.sector_pattern(self.sector) if self.sector else None
        fits = []
        for zid, zone in self.index.by_id.items():
            if zone.get("kind") not in kinds:
                continue
            if pattern and not any(pattern.search(str(s).casefold()) for s in zone.get("sectors") or ()):
                continue
            around = set(self.index.ancestors(zid))
            for other in zone.get("related") or ():
                around |= {other, *self.index.ancestors(other)}
            if all(p in around for p in self.places):
                fits.append(zid)
        return fits

    def _place_word(self, word: str) -> bool:
        """Whether ``word`` names a kind of place: 'district', 'city', 'area', 'zone'."""
        meaning = self.lex.get(vocab.phrase_key(word)) or ("", "")
        return word == "area" or meaning[0] == "kind" or meaning in (("table", "zones"), ("table", "parks"))

    def read_where(self) -> None:
        """'Which district is AIsland in?', 'in which city is Qingdao', 'where is AIsland': where a
        place lies, which its record gives; not a listing of what lies in it."""
        texts = [t.text for t in self.tokens if t.kind != "sep"]
        dangling = bool(texts) and texts[-1] in ("in", "inside", "within")
        which_place = [
            i for i, (a, b) in enumerate(itertools.pairwise(texts)) if a in ("which", "what") and self._place_word(b)
        ]
        in_which = any(i and texts[i - 1] in ("in", "within") for i in which_place)
        where = bool({"where", "哪里", "哪儿", "在哪"} & set(texts))
        came = [i for i in range(len(self.tokens)) if self.phrase_at(i, ("come from", "comes from", "came from"), True)]
        if where and came:  # 'where does the information on AIsland come from': its sources
            self.table = "sources"
            for i, t in enumerate(self.tokens):
                if t.text == "where" or i in (came[0], came[0] + 1):
                    self.take(i, i + 1, "table")
            return
        if where and {"rank", "ranking", "ranked", "排名", "排第几"} & set(texts):  # 'where does X rank': its rank
            for i, t in enumerate(self.tokens):
                if t.text in ("where", "哪里", "哪儿", "在哪"):
                    self.take(i, i + 1, "stop")
            return
        if self.places and (where or (which_place and (dangling or in_which))):
            zid = self.places[0]
            raise UsageError(
                f"'{self.question.strip()}' asks where a place lies; policyq lists what lies in a place. The "
                f"record of {self.index.name(zid)} names the place it is in: policyq show {zid} --fields id,name,parent"
            )

    # -- the verdict --

    def leftovers(self) -> list[str]:
        ignored = {"'s", "–", "—", "~"}
        return [t.text for t in self.tokens if not t.used and t.text not in ignored and t.text not in STOP]

    def unknown_place(self) -> str | None:
        """'parks in Atlantis': when the only words not understood follow 'in', 'for'…, they are
        taken for the name of a place policyq does not know, returned."""
        left = [i for i, t in enumerate(self.tokens) if not t.used and t.text not in STOP]
        if not left or left != list(range(left[0], left[-1] + 1)):
            return None
        i = left[0]
        link = self.text(i - 1) in PLACE_LINKS and self.text(i - 1) != "'s"  # "Shanghai's unemployment rate"
        if i and link and all(self.tokens[k].kind in ("word", "cjk") for k in left):
            return " ".join(self.text(k) for k in left)
        return None

    def negated(self, words: list[str]) -> bool:
        """Whether the words not understood leave records out ('not', 'except', '除了')."""
        return any(w in NEGATIONS for w in words)

    def refuse_error(self, words: list[str], needs: str) -> UsageError:
        """A question whose words are all known but do not make one query."""
        what = ", ".join(f"'{w}'" for w in words)
        return UsageError(
            f"cannot answer '{self.question.strip()}' as asked: {what} does not fit (policyq needs {needs}); {EXAMPLE}"
        )


_AND = {"and", "or", "vs", "versus", "和", "与", "及", "或"}


def _one_metric(said: str | None, value: str) -> str | None:
    """The metric two metric words make together, or None when they are two metrics: 'GDP' and
    'grow' are GDP growth; 'smart factory' and 'count' the factory count."""
    if said in (None, value):
        return value
    assert said is not None
    for a, b in ((said, value), (value, said)):
        joined = next((m for m in METRICS if m == f"{a}_{b}" or m.startswith(f"{a}_{b}_")), None)
        if joined:  # gdp + growth, gdp + rank
            return joined
        if b == "count" and METRICS.get(a, ("",))[0] in ("count", "enterprises", "products"):
            return a  # a count metric and the word 'count'
        if b == "count" and a in ("enterprises", "products"):
            return a
        if METRICS.get(a, ("",))[0] == b:  # gdp_growth and 'grow'
            return a
        family = METRICS.get(b, (b,))[0]
        if f"{family}_{a}" in METRICS:  # share and industrial output: the output share
            return f"{family}_{a}"
    return None


def names(zone: dict[str, Any]) -> list[str]:
    return [n for n in (zone.get("name"), zone.get("name_zh"), *(zone.get("aliases") or ())) if n]
