"""Reading where a question is about: place names (a place with the word for its own kind,
'X in Y' naming X), whose figure a place before a metric asks for, where-questions, and a name
after 'in' that no place has."""

from __future__ import annotations

import itertools

from policyq import vocab
from policyq.ask.reader import Reader
from policyq.ask.words import (
    COME_FROM,
    NAME_KINDS,
    NAME_KINDS_BEFORE,
    OF,
    PLACE_LINKS,
    POSSESS,
    SHORT_NAMES,
    STOP,
    WHERE,
)
from policyq.errors import UsageError
from policyq.model import METRICS

_ADDRESS = {",", "，", "、", "(", ")", "（", "）"}


def read_places(r: Reader) -> None:
    """Place names, longest first ('Lingang data park' before 'Lingang')."""
    chosen: list[tuple[int, int, str]] = []
    several: list[tuple[int, int, str, list[str]]] = []  # names of several places: 'Suzhou'
    n = len(r.tokens)
    for size in range(min(10, n), 0, -1):
        for start in range(n - size + 1):
            span = r.tokens[start : start + size]
            if any(t.used or t.kind not in ("word", "cjk", "num") for t in span) or span[0].kind == "num":
                continue
            if size == 1 and (span[0].text in STOP or vocab.phrase_key(span[0].text) in r.lex):
                continue  # a common word is not read as a place even if a store names one so
            joined = "".join(t.text for t in span) if span[0].kind == "cjk" else " ".join(t.text for t in span)
            ids = r.index.matches(joined) or r.index.matches(SHORT_NAMES.get(joined, ""))
            if not ids and joined in r.short_names:  # '人工智能岛': 张江人工智能岛 without 张江
                ids = [r.short_names[joined]]
                r.readings.append(f"'{joined}' as {r.index.name(ids[0])}")
            if len(ids) > 1:
                r.take(start, start + size, "place")
                several.append((start, start + size, joined, ids))
            elif ids:
                r.take(start, start + size, "place")
                chosen.append((start, start + size, ids[0]))
    for start, end, joined, ids in several:  # 'Suzhou, Jiangsu', 'Suzhou in Anhui': the one in a place named
        within = [i for i in ids if any(other in r.index.ancestors(i) for _, _, other in chosen)]
        if len(within) != 1:
            options = ", ".join(f"'{i}' ({r.index.name(i)})" for i in ids)
            raise UsageError(f"'{joined}' names several places: {options}; ask with an id or the place it lies in")
        chosen.append((start, end, within[0]))
    nationwide = [i for i, t in enumerate(r.tokens) if r.free(i) and t.text in ("全国", "nationwide")]
    countries = [z for z, zone in r.index.by_id.items() if zone.get("kind") == "country"] if nationwide else []
    for i in nationwide:  # '山东在全国排名第几': the country
        if len(countries) == 1:
            r.take(i, i + 1, "place")
            chosen.append((i, i + 1, countries[0]))
    chosen = [_with_kind_word(r, *span) for span in sorted(chosen)]
    outer: set[int] = set()
    for k, ((_, end, zid), (start, _, other)) in enumerate(itertools.pairwise(chosen)):
        between = {r.text(j) for j in range(end, start)}
        address = between <= _ADDRESS and other in r.index.ancestors(zid)  # 'AIsland, Pudong', 'Jinan (Shandong)'
        if address or between <= {"in", "inside", "within", "under", "of", "'s", "的", "在", "the"}:
            if other in r.index.ancestors(zid):  # 'Lingang of Shanghai', 'Qingdao in Shandong'
                outer.add(k + 1)
                _nested(r, zid, other)
            elif zid in r.index.ancestors(other):  # "Shanghai's Lingang", '上海临港'
                outer.add(k)
                _nested(r, other, zid)
    chosen = [span for k, span in enumerate(chosen) if k not in outer]
    for start, end, _ in chosen:
        if r.prev_word(start) in OF or r.text(end) == "'s":
            r.exact_hint = True
    r.places = list(dict.fromkeys(zid for _, _, zid in chosen))
    r.spans = chosen


def _with_kind_word(r: Reader, start: int, end: int, zid: str) -> tuple[int, int, str]:
    """A place's span with the word for its own kind beside it: 'Jinan city', 'the city of
    Shanghai', 'Lingang FTZ', 'the Zhangjiang area', 'the Lingang area'."""
    kind = r.index.by_id[zid].get("kind")
    names = [p for p, kinds in NAME_KINDS.items() if kind in kinds or (p == "area" and r.text(start - 1) == "the")]
    n = r.phrase_at(end, names, after=True)
    if n:
        r.take(end, end + n, "place")
        end += n
    before = [p for p in names if p in NAME_KINDS_BEFORE]  # 'the area of X' is its area
    m = r.phrase_at(start - 1, before) if r.text(start - 1) == "of" and r.free(start - 1) else 0
    if m:
        r.take(start - 1 - m, start, "place")
        start -= 1 + m
    return start, end, zid


def read_adjuncts(r: Reader) -> None:
    """'Shandong GDP', '山东的GDP': a place just before a metric names whose figure it is,
    as 'Shandong's GDP' does; its cities' GDP is not Shandong's."""
    named = {k for start, end, _ in r.spans for k in range(start, end)}
    for start, end, _ in r.spans:
        j = end
        while 0 <= j < len(r.tokens) and (
            r.text(j) in ("的", "在")
            or r.tokens[j].meaning == "period"
            or (r.tokens[j].meaning == "place" and j not in named)  # '山东在全国排名': where Shandong lies
        ):
            j += 1
        if 0 <= j < len(r.tokens) and r.tokens[j].meaning == "metric":
            r.exact_hint = True
        k = j
        while 0 <= k < len(r.tokens) and r.tokens[k].meaning in ("sector", "stop") and r.tokens[k].kind != "sep":
            k += 1
        if k > j and 0 <= k < len(r.tokens) and r.tokens[k].meaning == "metric":  # 'Pudong AI companies'
            r.prefer_own = True
        k = end  # 'does Pudong have', '浦东有多少家', '浦东重点人工智能企业有几家'
        while k < len(r.tokens) and r.tokens[k].meaning in ("stop", "sector", "metric", "period", "tense"):
            if r.text(k) in POSSESS:
                break
            k += 1
        if r.text(k) in POSSESS and r.prev_word(start) not in ("in", "在"):
            r.own_hint = r.text(k)


def _nested(r: Reader, inner: str, outer: str) -> None:
    r.readings.append(f"'{r.index.name(outer)}' as where {r.index.name(inner)} lies")


def check_nesting(r: Reader) -> None:
    """Two places one inside the other, the outer named after 'in': in "Qingdao's rank in
    Shandong" and "Pudong's parks in Shanghai" the outer place says where the inner one lies
    (as it does wherever a rank is asked: '山东是中国第几大省' is Shandong's rank in China);
    neither Shandong's own rank nor Shanghai's other parks were asked for, so the question
    is about the inner place, and the reading says so."""
    ranked = METRICS.get(r.metric or "", (r.metric,))[0] == "rank"  # 'Qingdao's GDP rank, Shandong': rank within it
    for start, _, outer in list(r.spans):
        inner = [z for _, _, z in r.spans if outer in r.index.ancestors(z)]
        if inner and (ranked or r.prev_word(start) in ("in", "inside", "within", "across", "among", "在")):
            _nested(r, inner[0], outer)
            r.spans = [span for span in r.spans if span[2] != outer]
            r.places = [p for p in r.places if p != outer]


def _place_word(r: Reader, word: str) -> bool:
    """Whether ``word`` names a kind of place: 'district', 'city', 'area', 'zone'."""
    meaning = r.lex.get(vocab.phrase_key(word)) or ("", "")
    return word == "area" or meaning[0] == "kind" or meaning in (("table", "zones"), ("table", "parks"))


def read_where(r: Reader) -> None:
    """'Which district is AIsland in?', 'in which city is Qingdao', 'where is AIsland': where a
    place lies, which its record gives; not a listing of what lies in it."""
    texts = [t.text for t in r.tokens if t.kind != "sep"]
    dangling = bool(texts) and texts[-1] in ("in", "inside", "within")
    which_place = [
        i for i, (a, b) in enumerate(itertools.pairwise(texts)) if a in ("which", "what") and _place_word(r, b)
    ]
    in_which = any(i and texts[i - 1] in ("in", "within") for i in which_place)
    part = any(r.phrase_at(i, ("part of", "belong to", "belongs to"), True) for i in range(len(r.tokens)))
    where = bool({"where", *WHERE} & set(texts)) or part  # 'which district is X part of'
    came = [(i, n) for i in range(len(r.tokens)) for n in [r.phrase_at(i, COME_FROM, True)] if n]
    sourced = any(r.lex.get(vocab.phrase_key(t)) == ("table", "sources") for t in texts)  # '来自哪些文件'
    if (where or sourced) and came:  # 'where does the information on AIsland come from', '青岛GDP数据出自哪里
        r.table = "sources"
        start, n = came[0]
        for i, t in enumerate(r.tokens):
            if t.text in ("where", *WHERE) or start <= i < start + n:
                r.take(i, i + 1, "table")
        return
    if where and {"rank", "ranking", "ranked", "排名", "排第几"} & set(texts):  # 'where does X rank': its rank
        for i, t in enumerate(r.tokens):
            if t.text in ("where", *WHERE):
                r.take(i, i + 1, "stop")
        return
    if r.places and (where or (which_place and (dangling or in_which))):
        # 'where is X', 'which district is X in', 'X位于哪里': X's record, which names the place it lies in
        r.attribute = "where"
        at = [i for i, t in enumerate(r.tokens) if t.kind != "sep"]  # token index of each of texts
        said = {k for w in which_place for k in (w - 1, w, w + 1) if k != w - 1 or texts[k] in ("in", "within")}
        said |= {k for k, text in enumerate(texts) if text in ("where", *WHERE, "part", "belong", "belongs")}
        said |= {k + 1 for k, text in enumerate(texts) if text in ("part", "belong", "belongs")}
        if dangling:
            said.add(len(texts) - 1)
        for k in said:
            if 0 <= k < len(at) and r.free(at[k]):
                r.take(at[k], at[k] + 1, "where")


# -- the verdict --


def unknown_place(r: Reader) -> str | None:
    """'parks in Atlantis': when the only words not understood follow 'in', 'for'…, they are
    taken for the name of a place policyq does not know, returned."""
    left = [i for i, t in enumerate(r.tokens) if not t.used and t.text not in STOP]
    if not left or left != list(range(left[0], left[-1] + 1)):
        return None
    i = left[0]
    link = r.text(i - 1) in PLACE_LINKS and r.text(i - 1) != "'s"  # "Shanghai's unemployment rate"
    if i and link and all(r.tokens[k].kind in ("word", "cjk") for k in left):
        return " ".join(r.text(k) for k in left)
    return None
