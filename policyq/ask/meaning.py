"""Reading what a question asks for: kinds of record and of zone, metrics (several words making
one), sectors, counts, tense, question words, and questions about one attribute of
a place (when it was established or designated, who designated it)."""

from __future__ import annotations

from policyq import vocab
from policyq.ask.reader import Reader
from policyq.ask.tokens import split
from policyq.ask.words import (
    APPROVERS,
    ASKING,
    ATTRIBUTES,
    BEFORE,
    COME_FROM,
    COUNT_AFTER,
    COUNT_WORDS,
    FACTS,
    FIRST,
    MET,
    QUESTION,
    STOP,
    TENSE,
    TITLES,
    WHEN,
    WHO,
)
from policyq.model import METRICS


def read_attributes(r: Reader) -> None:
    """'how big is X', 'when was X launched', 'who designated X'."""
    texts = [t.text for t in r.tokens]
    for i, t in enumerate(texts):
        titled = t in ("titles", "honours", "honors") and not any(r.text(k) in ("source", "sources") for k in range(i))
        if t in ("designation", "designations", "称号", "认定") or titled:  # 'AIsland's designations', 'titles'
            r.take(i, i + 1, "when")
            r.attribute = "designations"
            return
        big = 2 if t == "how" and i + 1 < len(texts) and texts[i + 1] in ("big", "large", "extensive") else 0
        if t in ("多大", "有多大"):
            big = 1
        if big:
            r.take(i, i + big, "how big")
            r.metric, r.attribute, r.exact_hint, r.sized = "area", "area", True, True
            return
        noun = _attribute_noun(r, i)
        if noun:  # 'approval date', 'launch year', 'date of establishment'
            r.take(*noun[1], "when")
            r.attribute = noun[0]
            return
        if t in ("时间", "日期", "年份") and i and r.free(i - 1):  # "成立时间": when it was established
            for attribute, verbs in ATTRIBUTES.items():
                if texts[i - 1] in verbs:
                    r.take(i - 1, i + 1, "when")
                    r.attribute = attribute if attribute == "established" else "designated"
                    return
        when = 1 if t == "when" else r.phrase_at(i, WHEN, after=True)  # "in which year"
        if when:  # the verb after the question word ('when was X launched') or before it ('成立于哪一年')
            for j in [*range(i + when, len(texts)), *range(i)]:
                for attribute, verbs in ATTRIBUTES.items():
                    n = r.phrase_at(j, verbs, after=True)
                    if n:
                        r.take(i, i + when, "when")
                        r.take(j, j + n, "when")
                        r.attribute = attribute if attribute == "established" else "designated"
                        _first(r, j + n)
                        return
        if r.phrase_at(i, APPROVERS, after=True):  # '批准单位', 'the approving body': who designated it
            r.take(i, i + r.phrase_at(i, APPROVERS, after=True), "who")
            r.attribute = "designated_by"
            _verbs(r)
            return
        who = 1 if t in ("who", "whom", "谁") else r.phrase_at(i, WHO, after=True)
        if who:
            verbs = (*ATTRIBUTES["designated"], "set up", "established", "launched", "设立", "建立")
            for j in range(i + 1, len(texts)):
                n = r.phrase_at(j, verbs, after=True)
                if n:  # 'who approved X', 'which body set up X', '哪个部门批准…'
                    r.take(i, i + who, "who")
                    r.take(j, j + n, "who")
                    r.attribute = "designated_by"
                    _first(r, j + n)
                    _verbs(r)
                    return


_NOUNS = {
    **dict.fromkeys(("approval", "selection", "recognition", "accreditation"), "designated"),
    **dict.fromkeys(("launch", "opening", "founding", "establishment", "inauguration", "creation", "start"),
                    "established"),
}  # fmt: skip
_DATES = ("date", "year", "day", "month", "time")


def _attribute_noun(r: Reader, i: int) -> tuple[str, tuple[int, int]] | None:
    """'approval date', 'launch year' at ``i``, or 'date of approval': the attribute and the tokens."""
    if r.text(i) in _NOUNS and r.text(i + 1) in _DATES:
        return _NOUNS[r.text(i)], (i, i + 2)
    if r.text(i) in _DATES and r.text(i + 1) == "of" and r.text(i + 2) in _NOUNS:
        return _NOUNS[r.text(i + 2)], (i, i + 3)
    return None


def _verbs(r: Reader) -> None:
    """Other verbs of a designation in a question about who made it ('批准深圳成为先导区')."""
    for k in range(len(r.tokens)):
        if r.free(k) and r.text(k) in ATTRIBUTES["designated"]:
            r.take(k, k + 1, "who")


def _first(r: Reader, i: int) -> None:
    """'chosen as the first AI pilot zone': 'first' is part of the designation asked about, as is
    the word for a designation ('gave Shenzhen its pilot zone status', '称号')."""
    for k in range(i, min(i + 5, len(r.tokens))):  # 'picked as China's first'
        if r.free(k) and r.text(k) in FIRST:
            r.take(k, k + 1, "when")
    for k in range(len(r.tokens)):
        if r.free(k) and r.text(k) in TITLES:
            r.take(k, k + 1, "when")


def read_tense(r: Reader) -> None:
    """'already', 'currently', '目前' (what is reported) or 'will', 'should', '计划' (what is
    planned): which kind of figure, when no other word says."""
    for i in range(len(r.tokens)):
        n = r.phrase_at(i, TENSE, after=True)
        if n:
            said = " ".join(r.text(i + k) for k in range(n))
            r.tense = r.tense or TENSE[said]
            r.take(i, i + n, "tense")
            launch = said.startswith("since ") and r.text(i + n) == "in" and r.free(i + n + 1)
            if launch and r.tokens[i + n + 1].kind == "num":  # 'since its launch in 2019': when it began
                r.take(i + n, i + n + 2, "tense")
                r.readings.append(f"'{said} in {r.text(i + n + 1)}' as when it began, not the year asked about")


def read_achieved(r: Reader) -> None:
    """'预计实现多少产值', 'reach how much': what is to be achieved (a figure), not whether a
    target was met."""
    for i in range(len(r.tokens) - 1):
        if r.free(i) and r.text(i) in MET and r.phrase_at(i + 1, QUESTION, after=True):
            r.take(i, i + 1, "stop")


def read_questions(r: Reader) -> None:
    """Question words left over ('how many' not before what it counts) ask, and say nothing;
    nor does the unit an answer is asked in ('是多少亿元': how many hundred million yuan)."""
    for i in range(len(r.tokens)):
        n = r.phrase_at(i, QUESTION, after=True)
        if n:
            r.take(i, i + n, "stop")
            r.loose_count |= r.text(i) != "how" or r.text(i + 1) == "many"
            if r.asks_figure is None:
                joiner = "" if r.tokens[i].kind == "cjk" else " "
                r.asks_figure = joiner.join(r.text(k) for k in range(i, i + n))
            before = r.phrase_at(i, BEFORE)  # '规模超过多少', 'more than how many': the figure asked for
            r.take(i - before, i, "stop")
        if r.free(i) and r.text(i) in ("percent", "%") and r.tokens[i - 1].kind != "num" and i:
            r.take(i, i + 1, "stop")  # 'by what percent': the unit the answer is asked in
        if r.free(i) and r.text(i) == "how" and r.text(i + 1) in ("does", "do", "did", "is", "are", "was", "were"):
            r.take(i, i + 1, "stop")  # 'how does X compare with Y': a question word
        if r.text(i) in ("多少", "是多少", "为多少", "有多少"):
            j = i + 1
            while r.free(j) and r.text(j) in ("万", "亿", "万亿", "元", "亿元", "万元"):
                r.take(j, j + 1, "stop")
                j += 1


def read_words(r: Reader) -> None:
    """Tables, kinds, metrics, sectors and empty words: the longest known phrase first."""
    n = len(r.tokens)
    for size in range(min(6, n), 0, -1):
        for start in range(n - size + 1):
            span = r.tokens[start : start + size]
            if any(t.used or t.kind not in ("word", "cjk", "poss", "sym") for t in span):
                continue
            joined = "".join(t.text for t in span) if span[0].kind == "cjk" else " ".join(t.text for t in span)
            key = vocab.phrase_key(joined) or joined
            meaning = r.lex.get(key)
            if meaning is None and size == 1 and joined in STOP:
                meaning = ("stop", joined)
            if meaning is None:
                continue
            what, value = meaning
            if what == "metric" and value == "area" and joined == "areas":
                what, value = "kind", "area"  # 'areas' are places; 'area' is a figure
            _understand(r, what, value, start, size)


def _understand(r: Reader, what: str, value: str, start: int, size: int) -> None:
    joined = " ".join(t.text for t in r.tokens[start : start + size])
    if what == "stop":
        said = "".join(t.text for t in r.tokens[start : start + size]) if r.tokens[start].kind == "cjk" else joined
        if said in ASKING and r.asks_figure is None:  # '有多少': a number is asked for
            r.asks_figure = said
        r.take(start, start + size, "stop")
        return
    if what == "share_of":
        r.share_of = True
        r.take(start, start + size, "metric")
        return
    if what == "table":
        if value == "parks":
            _kind(r, "park", start, size)
        elif r.table != value and {r.table, value} in ({"sources", "targets"}, {"sources", "indicators"}):
            r.facts_of = value if value in FACTS else r.table  # 'sources of Lingang's targets'
            r.table = "sources"
            r.take(start, start + size, "table")
        elif r.table not in (None, value):
            raise r.refuse_error([joined], "one kind of record")
        else:
            r.table = value
            r.take(start, start + size, "table")
            r.heads.append((start, size, value))
        return
    if what == "kind":
        _kind(r, value, start, size)
        return
    if what == "metric":
        if value == "count" and _names_records(r, start + size):
            r.take(start, start + size, "stop")  # "count targets in Lingang": how many targets
            return
        if r.sized and r.metric == "area" and value != "area":  # "how big is Qingdao's economy"
            r.metric = None
        if joined == "size" and r.metric not in (None, "area"):  # 'the size of Shenzhen's economy': its GDP
            r.sized = True
            r.take(start, start + size, "metric")
            return
        between = r.tokens[min(start, r.metric_at) : max(start, r.metric_at)]
        parted = any(t.kind == "sep" or t.text in _AND for t in between)  # 'GDP and growth': two metrics
        merged = _one_metric(r.metric, value) if not parted or r.metric in (None, value) else None
        r.metric_at = start
        if merged is None:
            raise r.refuse_error([joined], "one metric (ask once per metric)")
        r.metric = merged
        r.sized |= joined == "size"
        r.take(start, start + size, "metric")
        r.heads.append((start, size, value))
        return
    if what == "sector":
        after_metric = r.tokens[start - 1].meaning == "metric" if start else False
        figures = r.text(start + 1) in ("on", "about", *COME_FROM)
        if value == "data" and size == 1 and (after_metric or figures):
            r.take(start, start + size, "stop")  # 'GDP data', '青岛GDP数据', 'data on GDP': the figures
            return
        if r.sector not in (None, value):  # a second sector: one figure's own wording, or refused (wording)
            r.more_sectors.append(value)
        else:
            r.sector = value
        r.take(start, start + size, "sector")


def _kind(r: Reader, kind: str, start: int, size: int) -> None:
    for k in kind.split("+"):
        if k not in r.kinds:
            r.kinds.append(k)
    r.take(start, start + size, "kind")
    r.heads.append((start, size, kind))


def _names_records(r: Reader, i: int) -> bool:
    """Whether the words from ``i`` name a kind of record or of place ('the targets', 'parks')."""
    while r.text(i) in ("the", "all", "of"):
        i += 1
    for size in (4, 3, 2, 1):
        meaning = r.lex.get(vocab.phrase_key(" ".join(r.text(i + k) for k in range(size))))
        if meaning and meaning[0] in ("table", "kind"):
            return True
    return False


def read_counts(r: Reader) -> None:
    """'how many targets' (the listing says how many), 'how many AI companies', 'number of
    parks' (the count the sources report, for parks and pilot areas)."""
    _count_groups(r)
    for start, size, value in sorted(r.heads):
        is_kind = r.tokens[start].meaning == "kind"
        j = start
        while j > 0 and r.tokens[j - 1].meaning == "sector":
            j -= 1  # "how many data companies": the count is of the companies
        of_sector = j < start
        n = _count_before(r, j)
        while not n and j > 0 and r.tokens[j - 1].meaning == "stop":  # 'how many municipal-level parks'
            j -= 1
            n = _count_before(r, j)
        if n:
            r.take(j - n, j, "count")
        elif not _count_after(r, start + size):
            continue
        if not is_kind:
            continue
        # the store does not list every place that exists, and counts parks of no sector
        if value not in vocab.COUNT_METRICS or of_sector:
            said = [r.text(k) for k in range(j - n, j)] or ["how many"]  # the count words as written
            asked = ("" if r.tokens[j - n].kind == "cjk" else " ").join(said) if n else "how many"
            raise r.refuse_error([asked], "counts the sources report: parks, pilot areas, companies, factories…")
        metric = vocab.COUNT_METRICS[value]
        if r.metric not in (None, metric):
            raise r.refuse_error([r.text(start)], "one metric (ask once per metric)")
        r.metric = metric
        r.kinds = [k for k in r.kinds if k not in value.split("+")]
        r.take(start, start + size, "metric")


def _count_groups(r: Reader) -> None:
    """'how many municipal-level characteristic industrial parks does Pudong have': a count
    before the name of a group of parks is the park count of the place the group lies in."""
    for start, _, zid in list(r.spans):
        zone = r.index.by_id[zid]
        n = _count_before(r, start)
        if zone.get("kind") != "park_group" or not n or r.metric not in (None, "park_count"):
            continue
        r.take(start - n, start, "count")
        r.metric = "park_count"
        r.spans = [span for span in r.spans if span[2] != zid]
        r.places = [p for p in r.places if p != zid]
        if not r.places and zone.get("parent"):
            r.places = [zone["parent"]]
        where = " and ".join(r.index.name(p) for p in r.places)
        r.readings.append(f"'how many {zone['name']}' as the park count of {where}")


def _count_before(r: Reader, i: int) -> int:
    """Length in tokens of 'how many', 'the number of', 'count'… ending just before ``i``."""
    best = 0
    for phrase in COUNT_WORDS:
        parts = split(phrase)
        s = i - len(parts)
        if len(parts) > best and s >= 0:
            span = r.tokens[s:i]
            if tuple(t.text for t in span) == parts and all(not t.used or t.meaning == "stop" for t in span):
                best = len(parts)
    return best


def _count_after(r: Reader, i: int) -> bool:
    """Take '数量', '有多少' just after ``i`` ('园区数量', '企业有多少'); whether there was one."""
    j = i
    while r.text(j) in ("有", "的", "是") and r.tokens[j].meaning == "stop":
        j += 1
    k = j + 1
    while r.text(k) and r.tokens[k].meaning == "stop":
        k += 1
    if r.text(k) and r.tokens[k].meaning in ("metric", "kind"):  # '园区有多少家龙头企业': the companies counted
        return False
    if r.free(j) and r.text(j) in COUNT_AFTER:
        r.take(j, j + 1, "count")
        return True
    return False


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
        if METRICS.get(a, ("",))[0] == "share" and METRICS.get(b, (b,))[0] == "output":
            return a  # the share of strategic emerging industries in industrial output is a share
        family = METRICS.get(b, (b,))[0]
        if f"{family}_{a}" in METRICS:  # share and industrial output: the output share
            return f"{family}_{a}"
    return None
