"""A question being read: its tokens, what has been understood so far, and the helpers the
reading passes share (``where``: places; ``figures``: amounts and periods; ``meaning``: what is
asked for). Each pass takes the tokens it understands and leaves the rest."""

from __future__ import annotations

import functools
import weakref
from collections.abc import Iterable
from typing import Any

from policyq import vocab
from policyq.ask.tokens import split, tokenize
from policyq.ask.words import (
    AFTER,
    APPROVERS,
    AREA_UNITS,
    ATTRIBUTES,
    BEFORE,
    COME_FROM,
    COMPARE,
    COUNT_AFTER,
    COUNT_WORDS,
    EXAMPLE,
    FIRST,
    MET,
    NAME_KINDS,
    NEGATIONS,
    PER_PEOPLE,
    QUESTION,
    SHORT_NAMES,
    STOP,
    SUPERLATIVES,
    TENSE,
    TITLES,
    USD,
    WHEN,
    WHERE,
    WHO,
    YEAR_AFTER,
    YEAR_BEFORE,
    lexicon,
)
from policyq.errors import UsageError
from policyq.places import Places


@functools.lru_cache(maxsize=256)
def _by_edge(phrases: tuple[str, ...], first: bool) -> dict[str, list[tuple[str, ...]]]:
    """``phrases`` as tokens, by their first token (or their last): ``phrase_at`` looks at the
    phrases that start (or end) with the token there, not at all of them (hundreds, for every
    token of every question)."""
    by_edge: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        parts = split(phrase)
        by_edge.setdefault(parts[0] if first else parts[-1], []).append(parts)
    return by_edge


class Reader:
    """One question being read: its tokens and what has been understood so far."""

    def __init__(self, question: str, index: Places, sources: Iterable[str], sectors: Iterable[str]) -> None:
        self.question, self.index = question, index
        self.lex, cjk, self.short_names = vocabulary(index, frozenset(sectors))
        self.tokens = tokenize(question, cjk, sources)
        self.places: list[str] = []  # ids, in the order the question names them
        self.exact_hint = False
        self.prefer_own = False  # 'Pudong AI companies': Pudong's own figures, when it has them
        self.own_hint: str | None = None  # 'does Pudong have', '浦东有': the place's own figures, when it has them
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
        self.facts_of: str | None = None  # 'the sources of Lingang's targets': the table whose sources
        self.loose_count = False  # 'how many' read as a question word, not before what it counts
        self.asks_figure: str | None = None  # 'how many', 'how much', 多少… read as question words, as written
        self.tense: str | None = None  # the table words of tense point to: 'already' indicators, 'will' targets
        self.compare = False  # a comparative ('higher', 'grew faster', '更高'): the figures sorted
        self.usd = False  # the figure in US dollars, as the source states it
        self.share_of = False  # 'strategic emerging industries': what a share is of
        self.readings: list[str] = []  # how a word was read where it could be read otherwise
        self.wording: list[str] = []  # words read as the source's own wording of the figure ('supply system')
        self.more_sectors: list[str] = []  # sectors named after the first ('green, metaverse and terminals')

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
        edge = i if after else i - 1  # the token a phrase starts (or ends) with
        if not 0 <= edge < len(self.tokens):
            return 0
        best = 0
        for parts in _by_edge(tuple(phrases), after).get(self.tokens[edge].text, ()):
            n = len(parts)
            start = i if after else i - n
            if n <= best or start < 0:
                continue
            if all(self.free(start + k) for k in range(n)) and tuple(self.text(start + k) for k in range(n)) == parts:
                best = n
        return best

    def prev_word(self, i: int) -> str:
        j = i - 1
        while j >= 0 and self.tokens[j].text in ("the", "a", "an"):
            j -= 1
        return self.text(j)

    # -- passes, in order --

    def zones_named(self) -> list[str]:
        """Zones of the kinds (and the sector) named that lie in every place named: 'the AI pilot
        zone in Pudong', 'the Jinan and Qingdao pilot zone' (a zone spanning both)."""
        fits = self._zones_named(self.kinds)
        if not fits and "park_group" in self.kinds:  # '元宇宙特色产业园': one characteristic park
            fits = self._zones_named(["park" if k == "park_group" else k for k in self.kinds])
        return fits

    def _zones_named(self, named: list[str]) -> list[str]:
        kinds = {k for kind in named for k in (("park", "park_group") if kind == "park" else (kind,))}
        pattern = vocab.sector_pattern(self.sector) if self.sector else None
        fits = []
        for zid, zone in self.index.by_id.items():
            if zone.get("kind") not in kinds:
                continue
            sectors = self.index.record(zid).get("sectors") if pattern else None  # not in the index: read whole
            if pattern and not any(pattern.search(str(s).casefold()) for s in sectors or ()):
                continue
            around = set(self.index.ancestors(zid))
            for other in zone.get("related") or ():
                around |= {other, *self.index.ancestors(other)}
            if all(p in around for p in self.places):
                fits.append(zid)
        return fits

    def leftovers(self) -> list[str]:
        ignored = {"'s", "–", "—", "~"}
        return [t.text for t in self.tokens if not t.used and t.text not in ignored and t.text not in STOP]

    def negated(self, words: list[str]) -> bool:
        """Whether the words not understood leave records out ('not', 'except', '除了')."""
        return any(w in NEGATIONS for w in words)

    def refuse_error(self, words: list[str], needs: str) -> UsageError:
        """A question whose words are all known but do not make one query."""
        what = ", ".join(f"'{w}'" for w in words)
        return UsageError(
            f"cannot answer '{self.question.strip()}' as asked: {what} does not fit (policyq needs {needs}); {EXAMPLE}"
        )


def names(zone: dict[str, Any]) -> list[str]:
    return [n for n in (zone.get("name"), zone.get("name_zh"), *(zone.get("aliases") or ())) if n]


Vocabulary = tuple[dict[str, tuple[str, str]], set[str], dict[str, str]]
_VOCABULARY: weakref.WeakKeyDictionary[Places, dict[frozenset[str], Vocabulary]] = weakref.WeakKeyDictionary()


def vocabulary(index: Places, sectors: frozenset[str]) -> Vocabulary:
    """The words of questions about the places of ``index`` and a store's ``sectors``: the
    lexicon, the Chinese words a run of characters is cut into, and the places' short names.
    Built once per index and sectors."""
    known = _VOCABULARY.setdefault(index, {})
    if sectors not in known:
        lex = lexicon(sectors)
        cjk = {k for k in lex if vocab.has_cjk(k)} | {k for k in (*BEFORE, *AFTER, *YEAR_BEFORE, *YEAR_AFTER)}
        cjk |= {"年", "年度", "万", "亿", "万亿", "元", "美元", "几个", "多大", "有多大", "谁"}
        cjk |= {*COUNT_AFTER, *COUNT_WORDS}
        cjk |= {"年份", "排序", "排列"}
        cjk |= {"称号", "认定", "全国", "时间", "日期", *AREA_UNITS, *MET, *NEGATIONS, *WHEN, *WHO, *TENSE, *COMPARE,
                *USD, *PER_PEOPLE, *QUESTION, *WHERE, *COME_FROM, *SHORT_NAMES, *FIRST, *TITLES, *APPROVERS,
                *SUPERLATIVES}  # fmt: skip
        cjk |= {verb for verbs in ATTRIBUTES.values() for verb in verbs}
        cjk |= {f"{a}{n}{b}" for n in "一二两三四五六七八九十" for a, b in (("第", "大"), ("前", "名"), ("前", "位"))}
        words, short = place_words(index)
        known[sectors] = (lex, {w for w in cjk | words if vocab.has_cjk(w)}, short)
    return known[sectors]


_PLACE_WORDS: weakref.WeakKeyDictionary[Places, tuple[set[str], dict[str, str]]] = weakref.WeakKeyDictionary()


def place_words(index: Places) -> tuple[set[str], dict[str, str]]:
    """The Chinese names of the places of ``index`` (words a question is cut into), and the short
    names its zones go by: a zone's name without the name of a place it lies in ('人工智能岛' for
    张江人工智能岛 in Zhangjiang, 'Data Exchange' for the Shanghai Data Exchange), when that is
    one zone's alone (no other's name holds it) and is a name, not a description made of common
    words ('AI pilot zone').
    Built once per index."""
    if index not in _PLACE_WORDS:
        cjk = {name for zone in index.by_id.values() for name in names(zone) if vocab.has_cjk(name)}
        common = lexicon(())
        found: dict[str, set[str]] = {}
        for zid, zone in index.by_id.items():
            if zone.get("code"):  # a division of the code list goes by its own names
                continue
            for outer in index.ancestors(zid):
                for name in names(zone):
                    for prefix in names(index.by_id[outer]):
                        rest = _without(name, prefix)
                        if rest and not _described(rest, common) and not index.matches(rest):
                            found.setdefault(rest.casefold(), set()).add(zid)
        every = [name.casefold() for zone in index.by_id.values() if not zone.get("code") for name in names(zone)]
        short = {
            name: next(iter(ids))
            for name, ids in found.items()
            if len(ids) == 1 and sum(name in other for other in every) == 1  # 'experience center' names two
        }
        _PLACE_WORDS[index] = (cjk | {n for n in short if vocab.has_cjk(n)}, short)
    return _PLACE_WORDS[index]


def _without(name: str, prefix: str) -> str:
    """``name`` without ``prefix`` before it ('张江人工智能岛' without '张江'), or ''."""
    if vocab.has_cjk(name) != vocab.has_cjk(prefix):
        return ""
    if vocab.has_cjk(name):
        return name[len(prefix) :] if name.startswith(prefix) and len(name) - len(prefix) >= 3 else ""
    rest = name[len(prefix) + 1 :] if name.casefold().startswith(prefix.casefold() + " ") else ""
    return rest if len(rest.split()) >= 2 else ""


def _described(text: str, common: dict[str, tuple[str, str]]) -> bool:
    """Whether ``text`` is made only of common words (kinds, sectors, metrics, empty words)."""
    if vocab.has_cjk(text):
        known = {k for k in common if vocab.has_cjk(k)}
        return all(t.kind == "cjk" for t in tokenize(text, known))
    words, i = vocab.words(text), 0
    while i < len(words):  # the longest known phrase at each word
        n = next((n for n in range(min(4, len(words) - i), 0, -1) if _common(" ".join(words[i : i + n]), common)), 0)
        if not n:
            return False
        i += n
    return True


def _common(phrase: str, common: dict[str, tuple[str, str]]) -> bool:
    return vocab.phrase_key(phrase) in common or phrase in STOP or phrase in NAME_KINDS
