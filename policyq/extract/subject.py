"""Which place a figure belongs to: the places a sentence names, through the store's zones
(ids, names, aliases, Chinese names), and the rules that pick one for a figure.

1. a place named before the figure in its clause; of several, not one that contains another
   named there ("East China's Shanghai" is Shanghai, "AIsland ... one of Shanghai's parks" is
   AIsland); an "Nth-largest" rank belongs to the place just before it;
2. else a noun standing for a place ("the city", "the park", "this region", 该市, 园区): the
   latest place of that kind named before;
3. else a pronoun ("it", "we"): the place of the sentence before;
4. else a place named after the figure in its clause;
5. else the place of the sentence before (low confidence).
A name that fits several places is kept as ``subject_text`` with no subject.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from policyq.errors import UsageError
from policyq.places import Places
from policyq.vocab import has_cjk


@dataclass
class Mention:
    start: int
    end: int
    text: str
    ids: list[str]  # one id, or several when the name is ambiguous


# A noun standing for a place, and the kinds of place it may stand for.
_ANAPHORA: list[tuple[str, tuple[str, ...]]] = [
    (r"\b(?:the|this|that) (?:city|municipality)\b|该市|全市|本市", ("municipality", "city")),
    (r"\b(?:the|this|that) (?:park|industrial park)\b|该园区|园区内|本园区", ("park", "park_group")),
    (r"\b(?:the|this|that) platform\b|该平台|平台上", ("platform",)),
    (
        r"\b(?:the|this|that) (?:area|district|region|zone|new area)\b|该区|全区|本区|新区",
        ("district", "area", "free_trade_zone", "pilot_zone", "pilot_area", "region"),
    ),
    (r"\b(?:the|this|that) province\b|该省|全省|本省", ("province",)),
    (r"\b(?:the|this|that) (?:country|nation)\b|全国", ("country",)),
]
_PRONOUN = re.compile(r"\b(?:it|its|they|their|we|our)\b|其|我们", re.IGNORECASE)


_WORD = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*(?:['’](?![sS]\b)[A-Za-z]+)*")
_MAX_WORDS = 8


def _latin_key(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").replace("’", "'").split())


class Gazetteer:
    """Finds place names in text: the store's zones by name, alias and Chinese name, longest
    name first. Names are looked up word by word (and character by character in Chinese),
    so thousands of places cost no more than a few."""

    def __init__(self, zones: Iterable[dict[str, Any]]) -> None:
        self.zones = list(zones)
        self.places = Places(self.zones)
        self._latin: dict[str, str] = {}  # key -> the name as written in the store
        self._cjk: set[str] = set()
        self._exact_case: set[str] = set()  # 'SDE', 'GBA': only as written
        for zone in self.zones:
            for name in (zone.get("name"), zone.get("name_zh"), *(zone.get("aliases") or ())):
                if not isinstance(name, str):
                    continue
                name = name.strip()
                if len(name) < 2:
                    continue
                if not name.isascii() and has_cjk(name):  # isascii, in C, rules out most names at once
                    self._cjk.add(name)
                else:
                    self._latin.setdefault(_latin_key(name), name)
                    if name.isupper() and len(name) <= 4:
                        self._exact_case.add(name)
        self._cjk_longest = max(map(len, self._cjk), default=0)
        self._ancestors: dict[str, frozenset[str]] = {}

    def _ids(self, name: str) -> list[str]:
        try:
            return self.places.matches(name)
        except UsageError:
            return []

    def mentions(self, text: str) -> list[Mention]:
        out = self._latin_mentions(text) + self._cjk_mentions(text)
        return sorted(out, key=lambda m: m.start)

    def _latin_mentions(self, text: str) -> list[Mention]:
        if not self._latin:
            return []
        words = list(_WORD.finditer(text))
        out: list[Mention] = []
        i = 0
        while i < len(words):
            for n in range(min(_MAX_WORDS, len(words) - i), 0, -1):
                start, end = words[i].start(), words[i + n - 1].end()
                between = text[start:end]
                if n > 1 and re.search(r"[^\w\s'’-]", between):
                    continue  # a name does not run across punctuation
                name = self._latin.get(_latin_key(between))
                if name is None or (name in self._exact_case and between != name):
                    continue
                ids = self._ids(name)
                if ids:
                    out.append(Mention(start, end, between, ids))
                    i += n - 1
                    break
            i += 1
        return out

    def _cjk_mentions(self, text: str) -> list[Mention]:
        if not self._cjk:
            return []
        out: list[Mention] = []
        i = 0
        while i < len(text):
            if "\u3400" <= text[i] <= "\u9fff":
                for n in range(min(self._cjk_longest, len(text) - i), 1, -1):
                    piece = text[i : i + n]
                    if piece in self._cjk:
                        ids = self._ids(piece)
                        if ids:
                            out.append(Mention(i, i + n, piece, ids))
                            i += n - 1
                            break
            i += 1
        return out

    def kind(self, zid: str) -> str:
        return str(self.places.by_id.get(zid, {}).get("kind", ""))

    def is_ancestor(self, a: str, b: str) -> bool:
        """Whether place ``a`` contains place ``b``."""
        if b not in self._ancestors:
            self._ancestors[b] = frozenset(self.places.ancestors(b))
        return a in self._ancestors[b]


@dataclass
class Subject:
    ids: list[str]  # the place(s) the figure belongs to; empty when none or ambiguous
    text: str | None  # as written
    how: str  # which rule decided


def _specific(gaz: Gazetteer, mentions: list[Mention]) -> list[Mention]:
    """Mentions without those that contain another mentioned place."""
    single = {m.ids[0] for m in mentions if len(m.ids) == 1}
    return [m for m in mentions if len(m.ids) != 1 or not any(gaz.is_ancestor(m.ids[0], o) for o in single)]


def choose(
    gaz: Gazetteer,
    sentence: str,
    mentions: list[Mention],
    clause: tuple[int, int],
    figure_start: int,
    figure_end: int,
    kind: str,
    history: list[Mention],
    previous: Subject | None,
) -> Subject:
    """The subject of a figure at ``figure_start`` in ``sentence``; ``history`` holds the
    places named in earlier sentences, latest last; ``previous`` the last subject chosen."""
    lo, hi = clause
    own = [m for m in mentions if not (m.start < figure_end and m.end > figure_start)]
    before = [m for m in own if lo <= m.start and m.end <= figure_start]
    if before and kind == "rank" and re.search(r"largest|biggest|大", sentence[figure_start:figure_end]):
        last = before[-1]
        return Subject(last.ids if len(last.ids) == 1 else [], last.text, "named just before")
    if before:
        chosen = _specific(gaz, before)
        first = chosen[0]
        if kind == "rank":  # "Qingdao and Jinan are the top two": the rank is each one's
            tied = [m for m in chosen if len(m.ids) == 1]
            if len(tied) > 1 and all(not gaz.is_ancestor(a.ids[0], b.ids[0]) for a in tied for b in tied):
                return Subject([m.ids[0] for m in tied], " and ".join(m.text for m in tied), "named before, each")
        return Subject(first.ids if len(first.ids) == 1 else [], first.text, "named before in its clause")
    window = sentence[lo:figure_start]
    for pattern, kinds in _ANAPHORA:
        found = list(re.finditer(pattern, window, re.IGNORECASE))
        m = found[-1] if found else re.search(pattern, sentence[figure_end:hi], re.IGNORECASE)
        if m is not None:
            for earlier in reversed(history + [x for x in mentions if x.end <= lo]):
                if len(earlier.ids) == 1 and gaz.kind(earlier.ids[0]) in kinds:
                    return Subject(
                        earlier.ids, m.group(), f"'{m.group()}': the {gaz.kind(earlier.ids[0])} named before"
                    )
    if _PRONOUN.search(window) and previous is not None:
        return Subject(previous.ids, previous.text, "a pronoun: the place of the sentence before")
    after = [m for m in own if m.start >= figure_end and m.end <= hi]
    if after:
        first = _specific(gaz, after)[0]
        return Subject(first.ids if len(first.ids) == 1 else [], first.text, "named after, in its clause")
    if previous is not None:
        return Subject(previous.ids, previous.text, "none named: the place of the sentence before")
    return Subject([], None, "no place named")
