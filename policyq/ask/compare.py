"""Reading comparisons: among the places a question names ('which is higher, A or B', 'which
of A, B and C grew fastest', 'rank A and B by GDP', 'A比B高'), and with a benchmark a figure is
stated against ('more than twice the international average', '比国际平均水平高出多少倍')."""

from __future__ import annotations

from policyq import vocab
from policyq.ask.reader import Reader
from policyq.ask.words import BEFORE, COMPARE, SUPERLATIVES
from policyq.model import METRICS


def read_compare(r: Reader) -> None:
    """'which is higher, A or B', 'which grew faster', '哪个更高', 'A比B高': the named places'
    figures, sorted. 'Who grew faster' asks the same. A comparison with a benchmark the store
    states a figure against ('higher than the international average', '比国际平均水平高出多少倍')
    is that figure, not a comparison of places."""
    than = any(t.text in ("比", "哪个", "谁", "哪一个", "哪座", "有没有") for t in r.tokens)  # 'A比B高', '哪个大'
    benchmark = _benchmark(r)
    if benchmark:
        _multiple(r)
    for i, t in enumerate(r.tokens):
        if r.free(i) and (t.text in COMPARE or (than and t.text in ("比", "高", "快", "大", "多", "低", "慢"))):
            same_rate = t.text == "same" and r.text(i + 1) in ("rate", "speed")  # 'grow at the same rate'
            r.take(i, i + 1 + same_rate, "metric" if benchmark else "compare")
            r.compare |= not benchmark
    for i, t in enumerate(r.tokens):
        if benchmark and r.free(i) and t.text in ("times", "倍", "twice", "double"):  # 'how many times', '高出…倍'
            r.take(i, i + 1, "metric")
    named = len(set(r.places)) >= 2
    for i, t in enumerate(r.tokens):  # among the places named: 'which of A and B grew fastest', 'rank A and B by'
        ranked = t.text in ("rank", "sort", "order", "排序") and any(r.text(k) in ("by", "按") for k in range(i))
        ranked |= t.text in ("rank", "sort", "order") and r.text(i + 1) != "of" and r.text(i - 1) in ("", ",")
        ranked |= t.text in ("排序", "排列")  # '深圳、青岛、济南GDP增速排序'
        if named and r.free(i) and (t.text in SUPERLATIVES or ranked):
            r.compare = True
            r.take(i, i + 1, "compare")
            r.readings.append(f"'{t.text}' as a comparison of the places named")
            by = next((k for k in range(i + 1, len(r.tokens)) if r.text(k) == "by"), None)
            if ranked and by is not None and r.tokens[by].meaning == "period" and r.period and r.period[1]:
                year = r.period[1]  # 'rank A and B by 2018 GDP': by the figures of 2018, not due by it
                r.period = (year, year, str(year))
                r.readings.append(f"'by {year}' as the figures of {year} to rank by")
    for i in range(len(r.tokens)):  # 'grow as fast as', 'as large as'
        alike = r.text(i + 1) in ("fast", "quickly", "rapidly", "high", "large", "big", "much", "strong", "strongly")
        if alike and r.text(i) == "as" and r.text(i + 2) == "as" and all(r.free(i + k) for k in range(3)):
            r.compare = True
            r.take(i, i + 3, "compare")
    if r.compare:
        for i, t in enumerate(r.tokens):
            if r.free(i) and t.text in ("who", "whose"):  # 'who grew faster, A or B'
                r.take(i, i + 1, "stop")


_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
             "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}  # fmt: skip


def _multiple(r: Reader) -> None:
    """'more than twice the international average', '超过国际平均水平的两倍': a bound on the
    figure stated as a multiple of the benchmark (a ratio), the comparator before it."""
    for i, t in enumerate(r.tokens):
        if not r.free(i):
            continue
        if t.text in ("twice", "double"):
            value, end = 2.0, i + 1
        elif r.text(i + 1) in ("times", "倍") and (t.kind == "num" or t.text in _NUMERALS):
            value, end = float(_NUMERALS.get(t.text) or t.text.replace(",", "")), i + 2
        else:
            continue
        for j in range(i - 1, -1, -1):  # the comparator before it: 'more than', '超过'
            n = r.phrase_at(j + 1, BEFORE) if r.free(j) else 0
            if n:
                bound = BEFORE[" ".join(r.text(j + 1 - n + k) for k in range(n))]
                if bound in r.bounds or bound == "equal":
                    return
                r.bounds[bound], r.unit = value, "ratio"
                r.take(j + 1 - n, j + 1, "amount")
                r.take(i, end, "amount")
                return
            if r.tokens[j].meaning == "place":
                return


def _benchmark(r: Reader) -> bool:
    """Whether the question names a benchmark a stored figure is measured against ('the
    international average')."""
    for i in range(len(r.tokens)):
        for size in (1, 2, 3, 4):
            span = r.tokens[i : i + size]
            joined = "".join(t.text for t in span) if span[0].kind == "cjk" else " ".join(t.text for t in span)
            meaning = r.lex.get(vocab.phrase_key(joined) or joined, ("", ""))
            if meaning[0] == "metric" and METRICS.get(meaning[1], ("", ""))[1].endswith("of a benchmark"):
                return True
    return False
