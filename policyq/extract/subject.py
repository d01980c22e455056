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


class Gazetteer:
    """Finds place names in text, longest name first."""

    def __init__(self, zones: Iterable[dict[str, Any]]) -> None:
        self.zones = list(zones)
        self.places = Places(self.zones)
        names: set[str] = set()
        for zone in self.zones:
            for name in (zone.get("name"), zone.get("name_zh"), *(zone.get("aliases") or ())):
                if isinstance(name, str) and len(name.strip()) >= 2:
                    names.add(name.strip())
        latin = sorted((n for n in names if not has_cjk(n)), key=len, reverse=True)
        cjk = sorted((n for n in names if has_cjk(n)), key=len, reverse=True)
        # a name may be wrapped across lines: any run of spaces stands for its spaces
        parts = ["(?<![\\w-])" + re.escape(n).replace("\\ ", "\\s+") + "(?![\\w-])" for n in latin]
        parts += [re.escape(n) for n in cjk]
        self._pattern = re.compile("|".join(parts), re.IGNORECASE) if parts else None

    def mentions(self, text: str) -> list[Mention]:
        if self._pattern is None:
            return []
        out = []
        for m in self._pattern.finditer(text):
            name = m.group()
            if (
                name.isupper()
                and len(name) <= 4
                and not any(  # 'SDE', 'GBA' as written, not 'sde'
                    name == alias for z in self.zones for alias in (z.get("aliases") or ())
                )
            ):
                continue
            ids = self.places.matches(" ".join(name.split()))
            if ids:
                out.append(Mention(m.start(), m.end(), name, ids))
        return out

    def kind(self, zid: str) -> str:
        return str(self.places.by_id.get(zid, {}).get("kind", ""))

    def is_ancestor(self, a: str, b: str) -> bool:
        """Whether place ``a`` contains place ``b``."""
        return a in self.places.ancestors(b)


@dataclass
class Subject:
    ids: list[str]  # the place(s) the figure belongs to; empty when none or ambiguous
    text: str | None  # as written
    how: str  # which rule decided


def _specific(gaz: Gazetteer, mentions: list[Mention]) -> list[Mention]:
    """Mentions without those that contain another mentioned place."""
    single = [m for m in mentions if len(m.ids) == 1]
    return [
        m
        for m in mentions
        if len(m.ids) != 1 or not any(gaz.is_ancestor(m.ids[0], o.ids[0]) for o in single if o is not m)
    ]


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
