"""Questions in plain words turned into exactly the options the command line takes.

"AI targets for Shanghai" is ``policyq targets --in shanghai --sector 'artificial intelligence'``;
"compare GDP of Qingdao, Jinan and Shenzhen" is ``policyq indicators --in qingdao --in jinan
--in shenzhen --metric gdp --exact``; "浦东的园区" is ``policyq parks --in pudong``.

Every word must be understood: a place, a kind of record, a sector, a metric, a period, an
amount with its comparator, or a word with no meaning of its own ("the", "show me",
"compare"). A question with any other word left over is refused, saying what was understood,
what was not, and the flags to try: a wrong answer is worse than none.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import shlex
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from policyq import vocab
from policyq.errors import UsageError
from policyq.model import FAMILIES, METRICS, UNITS
from policyq.places import Places

EXAMPLE = (
    "try e.g. 'parks in Pudong', '2025 output targets', 'indicators for Qingdao' or 'targets due by 2025 in Lingang'"
)
FACTS = ("targets", "indicators")

# --- the words ------------------------------------------------------------------------------

# Words that name what to list. "parks" lists parks and park groups, as the parks command does.
_TABLES = {
    "targets": ("target", "goal", "objective", "plan", "planned", "commitment", "promise", "promised", "pledge",
                "pledged", "aim", "ambition", "目标", "规划目标"),
    "indicators": ("indicator", "figure", "statistic", "stats", "fact", "reported", "指标", "统计"),
    "sources": ("source", "document", "article", "来源", "文件"),
    "zones": ("zone", "place", "location", "地区", "区域"),
    "parks": ("park", "industrial park", "产业园", "园区", "产业园区"),
}  # fmt: skip
_KINDS = {
    "free_trade_zone": (
        "free trade zone",
        "free-trade zone",
        "pilot free trade zone",
        "ftz",
        "自贸区",
        "自由贸易试验区",
    ),
    "pilot_zone": ("pilot zone",),
    "pilot_area": ("pilot area",),
    "pilot_zone+pilot_area": ("先导区",),  # the Chinese name of both
    "district": ("district", "区县"),
    "city": ("city", "城市"),
    "province": ("province", "省份"),
    "municipality": ("municipality", "直辖市"),
    "country": ("country", "国家"),
    "region": ("region",),
    "cluster": ("cluster", "产业集群", "集群"),
    "park_group": ("park group",),
    "platform": ("platform", "平台"),
    "facility": ("facility", "设施"),
}
# Words that carry no meaning of their own in a question.
# fmt: off
_STOP = {
    "the", "a", "an", "all", "any", "of", "in", "for", "at", "on", "and", "or", "with", "within", "inside",
    "under", "what", "which", "is", "are", "was", "were", "be", "do", "does", "did", "have", "has", "had",
    "will", "there", "show", "me", "list", "give", "find", "get", "display", "tell", "see", "please", "can",
    "could", "you", "i", "we", "need", "want", "know", "its", "it", "their", "they", "this", "that", "these",
    "those", "set", "by", "due", "to", "as", "'s", "vs", "versus", "compare", "compared", "comparison",
    "between", "against", "industry", "industries", "sector", "sectors", "field", "fields", "related",
    "regarding", "concerning", "about", "from", "according", "everything", "information", "info", "details", "overview",
    "value", "values", "valued", "worth",
    "host", "hosts", "hosted", "house", "houses", "housed", "attract", "attracts", "attracted", "contain",
    "contains", "record", "recorded",
    "、", "的", "是多少", "为多少",
    "有", "有哪些", "哪些", "什么", "是", "在", "中", "里", "和", "与", "及", "吗", "呢", "了",
    "产业", "行业", "列出", "显示", "请", "所有", "全部", "各", "对比", "比较",
}
# fmt: on
_PLACE_LINKS = {"in", "for", "of", "at", "inside", "within", "under", "'s", "的", "在"}
# The word for a place's own kind, beside its name, is part of the name ("Jinan city").
_NAME_KINDS: dict[str, tuple[str, ...]] = {
    "city": ("city", "municipality"),
    "municipality": ("municipality",),
    "province": ("province",),
    "district": ("district",),
    "area": ("area",),
    "region": ("region",),
    "zone": ("free_trade_zone", "pilot_zone"),
    "ftz": ("free_trade_zone",),
    "free trade zone": ("free_trade_zone",),
    "pilot zone": ("pilot_zone",),
    "pilot area": ("pilot_area",),
    "park": ("park",),
}
_NAME_KINDS_BEFORE = ("city", "municipality", "province", "district", "region")  # "the city of Jinan"
_COUNT_WORDS = ("how many", "how much", "number of", "the number of", "count", "count of", "the count of", "多少",
                "几个")  # fmt: skip
_COUNT_AFTER = ("多少", "数量", "个数", "数目")  # "园区数量": the number of parks
_OF = {"of", "'s"}  # "GDP of X", "X's GDP": figures about X itself (的 is wider: 上海的园区)


def _phrases(**groups: str) -> dict[str, str]:
    """Phrase -> meaning, from comma-separated phrases per meaning."""
    return {p.strip(): meaning for meaning, phrases in groups.items() for p in phrases.split(",")}


# Comparators before an amount ("over 100bn") and after it ("100bn or more", "100亿以上")
_BEFORE = _phrases(
    above="over,above,more than,greater than,bigger than,larger than,higher than,exceeding,exceed,exceeds,"
    "surpassing,in excess of,>,超过,高于,大于,多于",
    min="at least,no less than,not less than,no fewer than,not fewer than,minimum of,>=,≥,至少,不少于,不低于",
    below="under,below,less than,fewer than,lower than,smaller than,<,低于,少于,小于,不到",
    max="at most,no more than,not more than,maximum of,<=,≤,至多,最多,不超过,不高于",
    equal="exactly,equal to,equals,precisely,=",
)
_AFTER = _phrases(
    min="or more,or above,and above,or over,and up,+,以上", max="or less,or fewer,or below,and below,以下"
)
_BOUND_WORDS = {"above": "over", "min": "at least", "below": "under", "max": "at most"}
_BOUND_OPTION = {"above": "above", "min": "min_value", "below": "below", "max": "max_value"}
_SCALE_WORDS = set(vocab.SCALES)
_UNIT_WORDS = {"yuan", "cny", "rmb", "renminbi", "元", "%", "percent", "pct", "usd", "dollars", "dollar", "美元"}
_MEASURE_WORDS = {"家", "个", "项", "座"}  # Chinese measure words after a number of things
_CURRENCY_BEFORE = {"cny", "rmb", "¥", "￥", "$", "usd"}

# Periods: words before a year ("by 2025") or after it ("2022年以来") -> how the year bounds it
_YEAR_BEFORE = _phrases(
    **{"in": "in,for,during,of,as of,year,in the year,due,due in"},
    to="by,due by,until,till,through,up to,no later than,by the end of,the end of,end of,到,至,截至",
    before="before",
    **{"from": "since,from,starting,starting in,自,从"},
    after="after",
)
_YEAR_AFTER = _phrases(**{"from": "以来", "after": "以后,之后", "to": "前,以前,之前,年底,年底前,底前"})
_RANGE_OPENERS = {"between": "and", "from": "to"}  # amounts: "between 10 and 100bn", "from 10bn to 100bn"
_RANGE_JOIN = {"to", "-", "–", "—", "through", "and", "至", "到", "~"}

# Attribute questions about one place, answered from its record as `show` gives it.
_ATTRIBUTES = {
    "established": ("launched", "established", "founded", "set up", "created", "opened", "inaugurated", "started",
                    "unveiled", "built", "launch", "open", "start", "begin", "establish", "成立", "设立", "建立",
                    "启动", "揭牌", "开园"),
    "designated": ("designated", "approved", "selected", "named", "recognised", "recognized", "批准", "获批"),
}  # fmt: skip

_WHEN = ("in which year", "in what year", "which year", "what year", "what date", "哪一年", "哪年", "何时", "什么时候")
_TOKEN = re.compile(
    r"(?P<range>(?<!\d)(?:19|20)\d\d\s*[-–—~]\s*(?:19|20)\d\d(?!\d))"
    r"|(?P<word>\d[gG]\b|[a-z][a-z0-9]*)"
    r"|(?P<num>(?:(?<![\w.])-)?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:e[+-]?\d+)?))"
    r"|(?P<poss>['’]s\b)"
    r"|(?P<sym>>=|<=|[%$¥￥<>≥≤+~–—])"
    r"|(?P<cjk>[\u3400-\u9fff]+)"
    r"|(?P<sep>[,.;:!?()\[\]/&|、，。；：？！（）])"  # punctuation parts phrases: "GDP, growth" is two metrics
    r"|(?P<other>[^\s\"“”'’\-])"
)


@dataclass
class Token:
    text: str  # as matched, lower case
    kind: str  # word, num, cjk, sym, range, poss, source, sep (punctuation), other
    used: bool = False
    meaning: str = ""  # what it was understood as, for the explanation


# --- the answer -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """A question understood: the command to run and its options (the ``Store`` method and its
    keyword arguments), the sentence saying so, and, for a question about one attribute of a
    place, the fields that answer it."""

    command: str  # zones, parks, targets, indicators, sources or show
    options: dict[str, Any]
    explanation: str
    fields: tuple[str, ...] = ()
    attribute: str | None = None  # established, designated_by or designated

    @property
    def table(self) -> str:
        return "zones" if self.command in ("parks", "show") else self.command

    @property
    def flags(self) -> str:
        """The same question as a command line."""
        return command_line(self.command, self.options, self.fields)

    def missing(self, record: dict[str, Any]) -> str | None:
        """Why the record shown does not answer an attribute question, or None when it does."""
        name = record.get("name", record.get("id"))
        if self.attribute == "established" and not record.get("established"):
            return f"the store records no date when {name} was established"
        designations = record.get("designations") or []
        if self.attribute == "designated_by" and not any(d.get("by") for d in designations):
            return f"the store does not record who designated {name}"
        if self.attribute == "designated" and not any(d.get("date") for d in designations):
            return f"the store records no date of a designation of {name}"
        return None


_FLAG = {
    "place": "--in",
    "kind": "--kind",
    "year": "--year",
    "due_by": "--due-by",
    "metric": "--metric",
    "sector": "--sector",
    "source": "--source",
    "min_value": "--min",
    "max_value": "--max",
    "above": "--above",
    "below": "--below",
    "unit": "--unit",
    "exact": "--exact",
}


def command_line(command: str, options: dict[str, Any], fields: Iterable[str] = ()) -> str:
    words = ["policyq", command]
    if command == "show":
        words.append(shlex.quote(options["name"]))
    for key, value in options.items():
        flag = _FLAG.get(key)
        if flag is None or value is None or value is False:
            continue
        if value is True:
            words.append(flag)
        elif key in ("min_value", "max_value", "above", "below"):
            words += [flag, vocab.human_amount(value)]
        elif isinstance(value, (list, tuple)):
            for v in value:
                words += [flag, shlex.quote(str(v))]
        elif key == "year" and str(value).startswith("-"):
            words.append(f"{flag}={value}")
        else:
            words += [flag, shlex.quote(str(value))]
    if fields:
        words += ["--fields", ",".join(fields)]
    return " ".join(words)


# --- reading a question ----------------------------------------------------------------------


def _segment(run: str, lexicon: set[str]) -> list[Token]:
    """A run of Chinese characters as known words, longest first; unknown characters alone."""
    out, i = [], 0
    while i < len(run):
        for size in range(min(12, len(run) - i), 0, -1):
            piece = run[i : i + size]
            if piece in lexicon:
                out.append(Token(piece, "cjk"))
                i += size
                break
        else:
            out.append(Token(run[i], "other"))
            i += 1
    return out


# Numbers spelled out before a scale word: "a hundred billion", "one trillion", "five thousand".
_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}  # fmt: skip
_SPELLED = re.compile(rf"\b(?:({'|'.join(_NUMBER_WORDS)})\s+)?(hundred\s+)?(?=(?:thousand|million|billion|trillion)\b)")


def _spelled_digits(m: re.Match[str]) -> str:
    word, hundred = m.group(1), m.group(2)
    if not (word or hundred):
        return m.group(0)
    return f"{_NUMBER_WORDS.get(word or 'one', 1) * (100 if hundred else 1)} "


def tokenize(question: str, cjk_words: set[str], source_ids: Iterable[str] = ()) -> list[Token]:
    # full-width digits and letters as ASCII ('２０２５年' is '2025年'); curly quotes as straight ones
    text = unicodedata.normalize("NFKC", question).casefold().replace("’", "'").replace("‘", "'").replace("a.i.", "ai")
    text = _SPELLED.sub(_spelled_digits, text)  # "a hundred billion" is "100 billion"
    # source ids hold hyphens and digits; keep each whole
    marks: dict[str, str] = {}
    for n, sid in enumerate(sorted(source_ids, key=len, reverse=True)):
        pattern = rf"(?<![\w-]){re.escape(sid.casefold())}(?![\w-])"
        if re.search(pattern, text):
            marks[f"\x00{n}\x00"] = sid
            text = re.sub(pattern, f" \x00{n}\x00 ", text)
    tokens: list[Token] = []
    for part in re.split(r"(\x00\d+\x00)", text):
        if part in marks:
            tokens.append(Token(marks[part], "source"))
            continue
        for m in _TOKEN.finditer(part):
            kind = m.lastgroup or "other"
            if kind == "cjk":
                tokens.extend(_segment(m.group(), cjk_words))
            elif kind == "poss":
                tokens.append(Token("'s", "poss"))
            elif kind == "sep":
                tokens.append(Token(m.group(), kind, used=True, meaning="stop"))
            else:
                tokens.append(Token(m.group(), kind))
    return tokens


def _lexicon(store_sectors: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Phrase key -> (what it is, its value): tables, kinds, metrics, sectors, stop words."""
    lex: dict[str, tuple[str, str]] = {}
    for value, names in _TABLES.items():
        for name in (value, *names):
            lex[vocab.phrase_key(name)] = ("table", value)
    for kind, names in _KINDS.items():
        for name in names:
            lex[vocab.phrase_key(name)] = ("kind", kind)
    for canonical, aliases in vocab.SECTORS.items():
        for name in (canonical, *aliases):
            lex.setdefault(vocab.phrase_key(name), ("sector", canonical))
    for sector in store_sectors:
        lex.setdefault(vocab.phrase_key(sector), ("sector", vocab.sector_name(sector) or sector))
    for name, metric in vocab.METRIC_WORDS.items():
        lex[vocab.phrase_key(name)] = ("metric", metric)
    for name in (*METRICS, *FAMILIES):  # the names themselves, in words: "output share", "park count"
        lex.setdefault(vocab.phrase_key(name.replace("_", " ")), ("metric", name))
    for word in _STOP:
        lex.setdefault(vocab.phrase_key(word) or word, ("stop", word))
    return lex


class _Reader:
    """One question being read: its tokens and what has been understood so far."""

    def __init__(self, question: str, index: Places, sources: Iterable[str], sectors: Iterable[str]) -> None:
        self.question, self.index = question, index
        self.lex = _lexicon(sectors)
        cjk = {k for k in self.lex if vocab.has_cjk(k)} | {k for k in (*_BEFORE, *_AFTER, *_YEAR_BEFORE, *_YEAR_AFTER)}
        cjk |= {"年", "万", "亿", "万亿", "元", "美元", "几个", *_COUNT_AFTER, *_NEGATIONS, *_WHEN}
        cjk |= {verb for verbs in _ATTRIBUTES.values() for verb in verbs} | {"时间", "日期"}
        cjk |= {name for zone in index.by_id.values() for name in _names(zone) if vocab.has_cjk(name)}
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
            parts = _split(phrase)
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
            if t == "how" and i + 1 < len(texts) and texts[i + 1] in ("big", "large"):
                self.take(i, i + 2, "how big")
                self.metric, self.attribute, self.exact_hint, self.sized = "area", "area", True, True
                return
            if t in ("时间", "日期") and i and self.free(i - 1):  # "成立时间": when it was established
                for attribute, verbs in _ATTRIBUTES.items():
                    if texts[i - 1] in verbs:
                        self.take(i - 1, i + 1, "when")
                        self.attribute = attribute if attribute == "established" else "designated"
                        return
            when = 1 if t == "when" else self.phrase_at(i, _WHEN, after=True)  # "in which year"
            if when:
                for j in range(i + when, len(texts)):
                    for attribute, verbs in _ATTRIBUTES.items():
                        n = self.phrase_at(j, verbs, after=True)
                        if n:
                            self.take(i, i + when, "when")
                            self.take(j, j + n, "when")
                            self.attribute = attribute if attribute == "established" else "designated"
                            return
            if t == "who":
                for j in range(i + 1, len(texts)):
                    if self.phrase_at(j, _ATTRIBUTES["designated"], after=True):
                        self.take(i, i + 1, "who")
                        self.take(j, j + 1, "who")
                        self.attribute = "designated_by"
                        return

    def read_places(self) -> None:
        """Place names, longest first ('Lingang data park' before 'Lingang')."""
        chosen: list[tuple[int, int, str]] = []
        n = len(self.tokens)
        for size in range(min(10, n), 0, -1):
            for start in range(n - size + 1):
                span = self.tokens[start : start + size]
                if any(t.used or t.kind not in ("word", "cjk", "num") for t in span) or span[0].kind == "num":
                    continue
                if size == 1 and (span[0].text in _STOP or vocab.phrase_key(span[0].text) in self.lex):
                    continue  # a common word is not read as a place even if a store names one so
                joined = "".join(t.text for t in span) if span[0].kind == "cjk" else " ".join(t.text for t in span)
                ids = self.index.matches(joined)
                if len(ids) > 1:
                    options = ", ".join(f"'{i}' ({self.index.name(i)})" for i in ids)
                    raise UsageError(f"'{joined}' names several places: {options}; ask with an id")
                if ids:
                    self.take(start, start + size, "place")
                    chosen.append((start, start + size, ids[0]))
        chosen = [self._with_kind_word(*span) for span in sorted(chosen)]
        for (_, end, zid), (start, _, other) in itertools.pairwise(chosen):
            between = {self.text(k) for k in range(end, start)}
            if between and between <= {"in", "inside", "within", "under", "of", "的", "在"}:
                raise UsageError(
                    f"'{self.index.name(zid)}' inside '{self.index.name(other)}': name one place, "
                    f'e.g. policyq ask "... in {self.index.name(zid)}"'
                )
        for start, end, _ in chosen:
            if self._prev_word(start) in _OF or self.text(end) == "'s":
                self.exact_hint = True
        self.places = list(dict.fromkeys(zid for _, _, zid in chosen))
        self.spans = chosen

    def _with_kind_word(self, start: int, end: int, zid: str) -> tuple[int, int, str]:
        """A place's span with the word for its own kind beside it: 'Jinan city', 'the city of
        Shanghai', 'Lingang FTZ', 'the Zhangjiang area', 'the Lingang area'."""
        kind = self.index.by_id[zid].get("kind")
        names = [
            p for p, kinds in _NAME_KINDS.items() if kind in kinds or (p == "area" and self.text(start - 1) == "the")
        ]
        n = self.phrase_at(end, names, after=True)
        if n:
            self.take(end, end + n, "place")
            end += n
        before = [p for p in names if p in _NAME_KINDS_BEFORE]  # 'the area of X' is its area
        m = self.phrase_at(start - 1, before) if self.text(start - 1) == "of" and self.free(start - 1) else 0
        if m:
            self.take(start - 1 - m, start, "place")
            start -= 1 + m
        return start, end, zid

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
            n = self.phrase_at(i, _BEFORE)
            k = i - n
            if n:
                bound, start = _BEFORE[" ".join(self.text(k + m) for m in range(n))], k
            # a currency before the number: "CNY 100 bn", "over ¥100bn"
            pre = ""
            if self.free(i - 1) and self.text(i - 1) in _CURRENCY_BEFORE and (not n or i - 1 >= k + n):
                pre = self.text(i - 1)
                if not n:
                    m2 = self.phrase_at(i - 1, _BEFORE)
                    if m2:
                        bound, start = _BEFORE[" ".join(self.text(i - 1 - m2 + m) for m in range(m2))], i - 1 - m2
                    else:
                        start = i - 1
            end = i + 1
            scale = unit = ""
            if self.free(end) and self.text(end) in _SCALE_WORDS:
                scale, end = self.text(end), end + 1
            if self.free(end) and self.text(end) in _UNIT_WORDS:
                unit, end = self.text(end), end + 1
            elif self.free(end) and self.text(end) == "per" and self.text(end + 1) == "cent":
                unit, end = "percent", end + 2
            elif self.free(end) and self.text(end) in _MEASURE_WORDS:
                end += 1  # "100家企业": a measure word, no unit
            after = self.phrase_at(end, _AFTER, after=True)
            if after:
                if bound:
                    raise self.refuse_error([self.text(end)], "one comparator for an amount")
                bound = _AFTER[" ".join(self.text(end + m) for m in range(after))]
                end += after
            if bound is None:
                # "between 10 and 100 billion yuan", "from 10bn to 100bn"
                opener = self.text(i - 1) if self.free(i - 1) else ""
                if opener in _RANGE_OPENERS or self._prev_word(i) == "between":
                    i = self._between(i, _RANGE_OPENERS.get(opener, "and"))
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
        if self.free(j) and self.text(j) in _SCALE_WORDS:
            scale_a, j = self.text(j), j + 1
        if self.text(j) != join or self.tokens[j + 1 : j + 2] == [] or self.tokens[j + 1].kind != "num":
            return i + 1
        k = j + 2
        scale_b = unit = ""
        if self.free(k) and self.text(k) in _SCALE_WORDS:
            scale_b, k = self.text(k), k + 1
        if self.free(k) and self.text(k) in _UNIT_WORDS:
            unit, k = self.text(k), k + 1
        low = vocab.parse_amount(f"{self.text(i)}{scale_a or scale_b} {unit}".strip())
        high = vocab.parse_amount(f"{self.text(j + 1)}{scale_b} {unit}".strip())
        self._bound("min", low)
        self._bound("max", high)
        start = i - 1 if self.text(i - 1) in _RANGE_OPENERS else i
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
            raise self.refuse_error([_BOUND_WORDS[bound]], "one bound of each kind")
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
        return nxt not in _SCALE_WORDS and nxt not in _UNIT_WORDS and not self.phrase_at(i, _BEFORE)

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
            if self.free(end) and self.text(end) in _RANGE_JOIN and self.free(end + 1) and self._is_year(end + 1):
                until = int(self.text(end + 1))
                stop = end + 2 + (self.text(end + 2) == "年")
                before = self.phrase_at(start, ("from", "between", "从", "自"))
                if self.text(end) == "and" and self.text(start - 1) != "between":  # "2018 and 2023": two years
                    raise self.refuse_error([f"{year} and {until}"], "one year or one range, e.g. 2018-2023")
                self._period(year, until, f"{year}-{until}", start - before, stop)
                continue
            n = self.phrase_at(start, _YEAR_BEFORE)
            how = _YEAR_BEFORE[" ".join(self.text(start - n + m) for m in range(n))] if n else "in"
            a = self.phrase_at(end, _YEAR_AFTER, after=True)
            if a:
                if n and how != "in":
                    raise self.refuse_error([self.text(end)], "one way of bounding a year")
                how = _YEAR_AFTER[" ".join(self.text(end + m) for m in range(a))]
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
                if meaning is None and size == 1 and joined in _STOP:
                    meaning = ("stop", joined)
                if meaning is None:
                    continue
                what, value = meaning
                if what == "metric" and value == "area" and joined.endswith("s"):
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
            if self.metric not in (None, value):
                raise self.refuse_error([joined], "one metric (ask once per metric)")
            self.metric = value
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
        for start, size, value in sorted(self.heads):
            is_kind = self.tokens[start].meaning == "kind"
            j = start
            while not is_kind and j > 0 and self.tokens[j - 1].meaning == "sector":
                j -= 1  # "how many data companies": the count is of the companies
            n = self._count_before(j)
            if n:
                self.take(j - n, j, "count")
            elif not self._count_after(start + size):
                continue
            if not is_kind:
                continue
            if value not in vocab.COUNT_METRICS:  # the store does not list every place that exists
                raise self.refuse_error(
                    ["how many"], "counts the sources report: parks, pilot areas, companies, factories…"
                )
            metric = vocab.COUNT_METRICS[value]
            if self.metric not in (None, metric):
                raise self.refuse_error([self.text(start)], "one metric (ask once per metric)")
            self.metric = metric
            self.kinds = [k for k in self.kinds if k not in value.split("+")]
            self.take(start, start + size, "metric")

    def _count_before(self, i: int) -> int:
        """Length in tokens of 'how many', 'the number of', 'count'… ending just before ``i``."""
        best = 0
        for phrase in _COUNT_WORDS:
            parts = _split(phrase)
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
        if self.free(j) and self.text(j) in _COUNT_AFTER:
            self.take(j, j + 1, "count")
            return True
        return False

    def read_adjuncts(self) -> None:
        """'Shandong GDP', '山东的GDP': a place just before a metric names whose figure it is,
        as 'Shandong's GDP' does; its cities' GDP is not Shandong's."""
        for _, end, _ in self.spans:
            j = end
            while 0 <= j < len(self.tokens) and (self.text(j) == "的" or self.tokens[j].meaning == "period"):
                j += 1
            if 0 <= j < len(self.tokens) and self.tokens[j].meaning == "metric":
                self.exact_hint = True

    def check_nesting(self) -> None:
        """Refuse two places one inside the other, the outer named after 'in': in "Qingdao's rank
        in Shandong" and "Pudong's parks in Shanghai" the outer place says where the inner one
        lies; neither Shandong's own rank nor Shanghai's other parks were asked for."""
        for start, _, outer in self.spans:
            inner = [z for _, _, z in self.spans if outer in self.index.ancestors(z)]
            if inner and self._prev_word(start) in ("in", "inside", "within", "across", "在"):
                name = self.index.name(inner[0])
                example = f"{name} {self.metric.replace('_', ' ')}" if self.metric else f"... in {name}"
                raise UsageError(
                    f"'{name}' in '{self.index.name(outer)}': name one place, e.g. policyq ask \"{example}\""
                )

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
        if self.places and ("where" in texts or (which_place and (dangling or in_which))):
            zid = self.places[0]
            raise UsageError(
                f"'{self.question.strip()}' asks where a place lies; policyq lists what lies in a place. The "
                f"record of {self.index.name(zid)} names the place it is in: policyq show {zid} --fields id,name,parent"
            )

    # -- the verdict --

    def leftovers(self) -> list[str]:
        ignored = {"'s", "–", "—", "~"}
        return [t.text for t in self.tokens if not t.used and t.text not in ignored and t.text not in _STOP]

    def unknown_place(self) -> None:
        """'parks in Atlantis': when the only words not understood follow 'in', 'for'…, they are
        taken for a place policyq does not know."""
        left = [i for i, t in enumerate(self.tokens) if not t.used and t.text not in _STOP]
        if not left or left != list(range(left[0], left[-1] + 1)):
            return
        i = left[0]
        if i and self.text(i - 1) in _PLACE_LINKS and all(self.tokens[k].kind in ("word", "cjk") for k in left):
            name = " ".join(self.text(k) for k in left)
            raise UsageError(f"no place '{name}'{self.index.suggest(name)}")

    def refuse_error(self, words: list[str], needs: str) -> UsageError:
        """A question whose words are all known but do not make one query."""
        what = ", ".join(f"'{w}'" for w in words)
        return UsageError(
            f"cannot answer '{self.question.strip()}' as asked: {what} does not fit (policyq needs {needs}); {EXAMPLE}"
        )


def _names(zone: dict[str, Any]) -> list[str]:
    return [n for n in (zone.get("name"), zone.get("name_zh"), *(zone.get("aliases") or ())) if n]


def _split(phrase: str) -> list[str]:
    """A phrase as the tokens the tokenizer would make of it."""
    if vocab.has_cjk(phrase) or not re.search(r"[a-z0-9]", phrase):
        return [phrase]
    return phrase.split()


Probe = Callable[[str, dict[str, Any]], int]


def parse(
    question: str,
    index: Places,
    *,
    sources: Iterable[str] = (),
    sectors: Iterable[str] = (),
    probe: Probe | None = None,
) -> Question:
    """Understand ``question`` or raise a usage error saying what was not understood.

    ``sources`` are the store's source ids and ``sectors`` its sector names, so that questions
    may name them; ``probe(table, options)`` counts the records a listing would return, used
    only to choose between targets and indicators when the question does not say which.
    """
    if not question.strip():
        raise UsageError(f"empty question; {EXAMPLE}")
    r = _Reader(question, index, sources, sectors)
    r.read_sources()
    r.read_attributes()
    r.read_places()
    r.read_where()
    r.read_amounts()
    r.read_periods()
    r.read_words()
    if r.sized and r.sector:  # "how big is the AI industry", "size of the AI industry": its scale, not an area
        r.metric = "output"
    r.read_counts()
    r.read_adjuncts()
    r.unknown_place()
    left = r.leftovers()
    if left:
        raise _refusal(r, left)
    r.check_nesting()
    return _decide(r, probe)


_NEGATIONS = {
    "not",
    "no",
    "without",
    "except",
    "excluding",
    "exclude",
    "outside",
    "non",
    "other",
    "besides",
    "aren",
    "isn",
    "don",
    "doesn",
    "didn",
    "weren",
    "wasn",
    "不",
    "除了",
    "以外",
}


def _refusal(r: _Reader, left: list[str]) -> UsageError:
    """Refuse, saying what was understood and the flags for it, and what was not."""
    negated = [w for w in left if w in _NEGATIONS]
    if negated:  # the flags for the rest would answer the opposite question
        return UsageError(
            f"cannot leave records out ('{negated[0]}' in '{r.question.strip()}'); ask for what to include, {EXAMPLE}"
        )
    understood = [t.text for t in r.tokens if t.used and t.meaning not in ("stop", "count")]
    tail = f"; {EXAMPLE}"
    if understood:
        tail = f"; understood: {' '.join(understood)}" + tail
        with contextlib.suppress(UsageError):  # the words understood may not make a query alone
            tail = f"; understood: {' '.join(understood)} — try: {_decide(r, None, strict=False).flags}"
    what = " ".join(dict.fromkeys(left))
    return UsageError(f"did not understand '{what}' in '{r.question.strip()}'{tail}")


def _decide(r: _Reader, probe: Probe | None, strict: bool = True) -> Question:
    """The command and options for what was read."""
    refuse = r.refuse_error if strict else (lambda words, needs=None: UsageError(""))
    facts_asked = r.metric or r.period or r.bounds or r.unit
    places = list(dict.fromkeys(r.places))

    # attribute questions: one place, its record
    if r.attribute in ("established", "designated", "designated_by"):
        if len(places) != 1 or r.table or r.kinds or facts_asked or r.sector:
            raise refuse(["when" if r.attribute != "designated_by" else "who"], "one place in such a question")
        fields = {
            "established": ("id", "name", "established"),
            "designated": ("id", "name", "designations"),
            "designated_by": ("id", "name", "designations"),
        }[r.attribute]
        name = places[0]
        said = {"established": "when it was established", "designated": "when it was designated",
                "designated_by": "who designated it"}[r.attribute]  # fmt: skip
        return _question("show", {"name": name}, f"{r.index.name(name)} ({name}): {said}", fields, r.attribute)

    table = r.table
    if r.kinds:
        if table not in (None, "zones"):
            raise refuse([table], "zones or records, not both")
        table = "zones"
    if table == "sources":
        if places and not (r.kinds or facts_asked or r.sector or r.source) and len(places) == 1:
            name = places[0]
            return _question(
                "show", {"name": name}, f"the sources of {r.index.name(name)} ({name})", ("id", "name", "sources")
            )
        if places or r.kinds or facts_asked or r.sector or r.source:
            raise refuse(["sources"], "sources alone, or the sources of one place")
        return _question("sources", {}, "the source documents")
    if table == "zones" and facts_asked:
        raise refuse(
            [r.metric or (r.period and r.period[2]) or "amount"],
            "figures of targets or indicators; zones have no figures or years",
        )
    if table is None and not facts_asked:
        if len(places) == 1 and not (r.sector or r.source):
            name = places[0]
            return _question("show", {"name": name}, f"{r.index.name(name)} ({name})")
        if len(places) > 1 and not r.sector:
            table = "indicators"  # "Qingdao vs Jinan": their figures side by side
        elif not strict:
            table = "targets"
        else:
            raise refuse(
                [w for w in (r.sector, r.source) if w] or ["?"], "what to list: parks, zones, targets or indicators"
            )

    if table == "zones":
        kinds = r.kinds or []
        command = "parks" if kinds == ["park"] else "zones"
        options: dict[str, Any] = {}
        if places:
            options["place"] = places
        if command == "zones" and kinds:
            options["kind"] = [k for kind in kinds for k in (("park", "park_group") if kind == "park" else (kind,))]
        if r.sector:
            options["sector"] = r.sector
        if r.source:
            options["source"] = r.source
        return _question(command, options, _explain(r, command, options))

    options = _fact_options(r)
    if table is None:
        table = _choose_table(r, options, probe, strict)
    if table == "targets" and r.period and r.period[0] is None:  # "by 2025": --due-by, in its place
        options = {("due_by" if k == "year" else k): (r.period[1] if k == "year" else v) for k, v in options.items()}
    if strict:
        _one_unit(r, table, options, probe)
    return _question(table, options, _explain(r, table, options))


def _one_unit(r: _Reader, table: str, options: dict[str, Any], probe: Probe | None) -> None:
    """Refuse an amount without a unit ('area over 10000', 'targets over 2020') when the
    records it would be compared with are in several units: 10,000 compared with m2 and km2
    alike, or with yuan and counts alike, answers a question nobody asked."""
    if not r.bounds or options.get("unit") or probe is None:
        return
    base = {k: v for k, v in options.items() if k not in _BOUND_OPTION.values()}
    units = [u for u in UNITS if probe(table, {**base, "unit": u})]
    if units == ["CNY"] and all(abs(v) < 1e6 for v in r.bounds.values()):  # "output over 100": 100 what?
        raise UsageError(
            f"'{r.question.strip()}': the {table} are in yuan and the amount has no scale; say e.g. "
            f"'100 billion yuan', '100bn' or '100亿', or try: {command_line(table, {**options, 'unit': 'CNY'})}"
        )
    if len(units) > 1:
        raise UsageError(
            f"'{r.question.strip()}': the amount has no unit and the {table} it would be compared with are "
            f"in {', '.join(units)}; say which (e.g. '100 billion yuan', '7.4%', '1,000 companies') "
            f"or give --unit, e.g. {command_line(table, {**options, 'unit': units[0]})}"
        )


def _question(
    command: str, options: dict[str, Any], sentence: str, fields: tuple[str, ...] = (), attribute: str | None = None
) -> Question:
    """The question, explained in words and as the command line that gives the same answer."""
    explanation = f"understood: {sentence} — {command_line(command, options, fields)}"
    return Question(command, options, explanation, fields, attribute)


def _fact_options(r: _Reader) -> dict[str, Any]:
    options: dict[str, Any] = {}
    places = list(dict.fromkeys(r.places))
    if places:
        options["place"] = places
    if r.period:
        lo, hi, _ = r.period
        options["year"] = lo if lo == hi else f"{lo if lo is not None else ''}-{hi if hi is not None else ''}"
    if r.metric:
        options["metric"] = r.metric
    if r.sector:
        options["sector"] = r.sector
    if r.source:
        options["source"] = r.source
    for bound, value in r.bounds.items():
        options[_BOUND_OPTION[bound]] = value
    unit = r.unit
    counted = r.metric in ("enterprises", "factory_count", "application_count", "data_products", "park_count",
                           "pilot_area_count", "count", "products")  # fmt: skip
    if unit is None and r.money_scale and not counted:
        unit = "CNY"  # billions and trillions are money here
    if unit:
        options["unit"] = unit
    if places and r.exact_hint and r.metric:
        options["exact"] = True
    return options


def _choose_table(r: _Reader, options: dict[str, Any], probe: Probe | None, strict: bool) -> str:
    """Targets or indicators, when the question does not say: a deadline means targets; else
    whichever has matching records; both is a question to ask back."""
    words = {t.text for t in r.tokens}
    if (r.period and r.period[0] is None and r.period[2].startswith("by")) or words & {"due", "will"}:
        return "targets"
    if probe is None or not strict:
        return "indicators"
    found = {t: probe(t, options) for t in FACTS}
    if found["targets"] and found["indicators"]:
        raise UsageError(
            f"'{r.question.strip()}' matches both targets ({found['targets']}) and indicators "
            f"({found['indicators']}); ask for 'targets' or 'indicators', e.g. "
            f"{command_line('indicators', options)}"
        )
    return "targets" if found["targets"] else "indicators"


def _explain(r: _Reader, command: str, options: dict[str, Any]) -> str:
    what = command
    if options.get("kind"):
        what = "zones of kind " + ", ".join(dict.fromkeys(options["kind"]))
    parts = [what]
    if r.metric:
        parts.append(f"with metric '{r.metric}'")
    if r.sector:
        parts.append(f"in the sector '{r.sector}'")
    if options.get("place"):
        names = " and ".join(f"{r.index.name(p)} ({p})" for p in options["place"])
        parts.append(f"of {names} itself" if options.get("exact") else f"in {names} and below")
    if r.period:
        lo, hi, _ = r.period
        if lo is None:
            parts.append(f"due by {hi}" if command == "targets" else f"up to {hi}")
        elif hi is None:
            parts.append(f"from {lo}")
        else:
            parts.append(f"for {lo}" if lo == hi else f"for {lo}-{hi}")
    if r.bounds:
        unit = f" {options['unit']}" if options.get("unit") else ""
        said = [f"{_BOUND_WORDS[b]} {vocab.human_amount(v)}{unit}" for b, v in r.bounds.items()]
        parts.append("with value " + " and ".join(said))
    elif options.get("unit"):
        parts.append(f"in {options['unit']}")
    if options.get("source"):
        parts.append(f"from source {options['source']}")
    return " ".join(parts)
