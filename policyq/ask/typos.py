"""Near misses: a word not understood that is a misspelling of a known name ('shenzen',
'Qindao', 'desnity'). One clearly nearest name is taken, the reading stated; two names about
as near are only offered ('did you mean'), never chosen between."""

from __future__ import annotations

import difflib
import re

from policyq import vocab
from policyq.ask.reader import names
from policyq.places import Places

CLEAR = 0.84  # a name at least this alike is a misspelling of it, when no other name is as near
NEAR = 0.65  # place names at least this alike are offered as 'did you mean'
NEAR_WORD = 0.75  # metric and sector words, which short words resemble more easily
TIE = 0.05  # a second name within this of the nearest makes the nearest unclear


def _known(index: Places, lex: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """Every Latin name a question may use -> (what it is, how to say it): places, metrics, sectors."""
    known: dict[str, tuple[str, str]] = {}
    for zid, zone in index.by_id.items():
        for name in names(zone):
            if not vocab.has_cjk(name):
                known.setdefault(name.casefold(), (f"place:{zid}", zone["name"]))
    for key, (what, value) in lex.items():
        if what in ("metric", "sector") and not vocab.has_cjk(key) and len(key) > 3:
            known.setdefault(key, (f"{what}:{value}", key))
    return known


def _near(word: str, known: dict[str, tuple[str, str]]) -> list[tuple[float, str, str]]:
    """(likeness, identity, name) of the names near ``word``, nearest first, one per identity."""
    word = word.casefold()
    scored: dict[str, tuple[float, str]] = {}
    for key, (identity, name) in known.items():
        if abs(len(key) - len(word)) > max(4, len(word)):
            continue
        ratio = difflib.SequenceMatcher(None, word, key).ratio()
        floor = NEAR if identity.startswith("place:") else NEAR_WORD
        if ratio >= floor and ratio > scored.get(identity, (0.0, ""))[0]:
            scored[identity] = (ratio, name)
    return sorted(((r, i, n) for i, (r, n) in scored.items()), reverse=True)


def correction(word: str, index: Places, lex: dict[str, tuple[str, str]]) -> str | None:
    """The one name ``word`` clearly misspells, or None (too short, too far, or two names as near)."""
    if len(word) < 4 or vocab.has_cjk(word) or not word.isalpha():
        return None
    near = _near(word, _known(index, lex))
    if not near or near[0][0] < CLEAR or (len(near) > 1 and near[0][0] - near[1][0] < TIE):
        return None
    return near[0][2]


def suggestion(words: list[str], index: Places, lex: dict[str, tuple[str, str]]) -> str:
    """' — did you mean …?' for the words not understood that are near known names, else ''."""
    known = _known(index, lex)
    offered: list[str] = []
    for word in words:
        if len(word) >= 3 and not vocab.has_cjk(word):
            offered += [name for _, _, name in _near(word, known)[:3] if name not in offered]
    if not offered:
        return ""
    return " — did you mean " + " or ".join(f"'{name}'" for name in offered[:3]) + "?"


def _word(word: str) -> str:
    return rf"(?<![\w-]){re.escape(word)}(?![\w-])"


def as_written(question: str, word: str) -> str:
    """``word`` (read in lower case) as ``question`` spells it."""
    m = re.search(_word(word), question, flags=re.IGNORECASE)
    return m.group() if m else word


def replace_word(question: str, word: str, name: str) -> str:
    """``question`` with ``word`` (any case) replaced by ``name``."""
    return re.sub(_word(word), name, question, flags=re.IGNORECASE)
