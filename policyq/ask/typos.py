"""Near misses: a word not understood that is a misspelling of a known name ('shenzen',
'Qindao', 'desnity', 'Pudnog'). A name one edit away (a letter missing, extra, wrong or two
letters swapped; two edits for words of seven letters or more) is taken when no other name is
as near, the reading stated; names about as near are only offered ('did you mean'), never
chosen between."""

from __future__ import annotations

import difflib
import functools
import re
import weakref

from policyq import vocab
from policyq.ask.reader import names
from policyq.places import Places

NEAR = 0.65  # place names at least this alike are offered as 'did you mean'
NEAR_WORD = 0.75  # metric and sector words, which short words resemble more easily


# A name's place in the known names, its key, identity, how to say it, and its key's letters.
_Entry = tuple[int, str, str, str, frozenset[str]]


class _Known:
    """The known names (key -> (identity, how to say it)), with what spares most of them the full
    comparison: the names by the length of their key with their letters (a misspelling is looked
    for among names of about its length that share about its letters), and how many times each
    letter is in each name (the bound on how alike a word and a name can be)."""

    def __init__(self, names: dict[str, tuple[str, str]]) -> None:
        self.names = names
        self.rows = list(names.items())
        self.lengths = [len(key) for key in names]
        self.floors = [NEAR if identity.startswith("place:") else NEAR_WORD for identity, _ in names.values()]
        self.letters = set().union(*names)  # a word's other letters are in no name: they count for none
        self._counts: dict[str, list[int]] = {}

    @functools.cached_property
    def by_length(self) -> dict[int, list[_Entry]]:
        """Built when first needed: a refusal only offers near names, from ``rows``."""
        by_length: dict[int, list[_Entry]] = {}
        for at, (key, (identity, name)) in enumerate(self.rows):
            by_length.setdefault(len(key), []).append((at, key, identity, name, frozenset(key)))
        return by_length

    def counts(self, letter: str) -> list[int]:
        """How many times ``letter`` (one of ``letters``) is in each name's key, in the names'
        order; counted when a word first has that letter."""
        counts = self._counts.get(letter)
        if counts is None:
            counts = self._counts[letter] = [key.count(letter) for key, _ in self.rows]
        return counts


_KNOWN: weakref.WeakKeyDictionary[Places, tuple[int, _Known]] = weakref.WeakKeyDictionary()


def _known(index: Places, lex: dict[str, tuple[str, str]]) -> _Known:
    """Every Latin name a question may use -> (what it is, how to say it): places, metrics, sectors.
    Built once per index and lexicon."""
    cached = _KNOWN.get(index)
    if cached is None or cached[0] != id(lex):
        _KNOWN[index] = (id(lex), _Known(_names(index, lex)))
    return _KNOWN[index][1]


def _names(index: Places, lex: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    known: dict[str, tuple[str, str]] = {}
    for zid, zone in index.by_id.items():
        for name in names(zone):
            if not vocab.has_cjk(name):
                known.setdefault(name.casefold(), (f"place:{zid}", zone["name"]))
    words = [*((k, ("metric", v)) for k, v in vocab.METRIC_WORDS.items())]
    words += [
        (name, ("sector", canonical)) for canonical, aliases in vocab.SECTORS.items() for name in (canonical, *aliases)
    ]
    words += list(lex.items())
    for key, (what, value) in words:
        if what in ("metric", "sector") and not vocab.has_cjk(key) and len(key) > 2:
            known.setdefault(key.casefold(), (f"{what}:{value}", key.casefold()))
    return known


def _edits(a: str, b: str) -> int:
    """Letters to add, remove, change or swap to make ``a`` of ``b`` (optimal string alignment)."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def _near(word: str, known: _Known) -> list[tuple[float, str, str]]:
    """(likeness, identity, name) of the names near ``word``, nearest first, one per identity."""
    word = word.casefold()
    # The likeness of a word and a name is at most that of the letters they have in common in any
    # order (what difflib's quick_ratio counts). Counted for every name at once, letter by letter,
    # it leaves the few names that may reach their floor to be compared in full, in their order.
    common = [0] * len(known.rows)
    for letter in known.letters.intersection(word):
        n = word.count(letter)
        common = [m + (k if k < n else n) for m, k in zip(common, known.counts(letter), strict=True)]
    size = len(word)
    bounds = [2.0 * m / (size + length) for m, length in zip(common, known.lengths, strict=True)]
    scored: dict[str, tuple[float, str]] = {}
    for at in [at for at, (bound, floor) in enumerate(zip(bounds, known.floors, strict=True)) if bound >= floor]:
        key, (identity, name) = known.rows[at]
        if abs(len(key) - size) > max(4, size) or bounds[at] <= scored.get(identity, (0.0, ""))[0]:
            continue  # too long or short, or cannot be nearer than a name of its identity already seen
        floor = known.floors[at]
        ratio = difflib.SequenceMatcher(None, word, key).ratio()
        if ratio >= floor and ratio > scored.get(identity, (0.0, ""))[0]:
            scored[identity] = (ratio, name)
    return sorted(((r, i, n) for i, (r, n) in scored.items()), reverse=True)


def correction(word: str, index: Places, lex: dict[str, tuple[str, str]]) -> str | None:
    """The one name ``word`` clearly misspells, or None (too short, too far, or two names as near)."""
    word = word.casefold()
    if vocab.has_cjk(word) or not word.isalpha():
        return None
    known = _known(index, lex)
    # A word of four letters or fewer is one edit from too many of China's 3,000 places to be read
    # as a misspelling of one ('Shan': Eshan, Shanxi, Shaanxi…); it is offered, never taken, unless
    # it is a metric or sector word with two letters swapped ('GPD' for GDP) and no other is.
    if len(word) < 5:
        swapped = {
            name
            for key, (identity, name) in known.names.items()
            if not identity.startswith("place:") and len(key) == len(word) >= 3 and key != word
            and sorted(key) == sorted(word) and _edits(word, key) == 1
        }  # fmt: skip
        return swapped.pop() if len(swapped) == 1 else None
    most = 1 if len(word) < 7 else 2
    # An edit changes at most two of the letters a word is made of (a letter changed: one gone,
    # another come), so a name whose letters and the word's differ by more than twice the edits
    # allowed is farther than that and is not compared letter by letter. The names left are taken
    # in their own order, which decides between names of one identity as near.
    letters = frozenset(word)
    candidates = sorted(
        entry
        for length in range(len(word) - most, len(word) + most + 1)
        for entry in known.by_length.get(length, ())
        if len(entry[4] ^ letters) <= 2 * most and entry[1] != word
    )
    nearest: dict[str, tuple[int, int, str]] = {}  # identity -> (edits as pinyin sounds, edits, name)
    for _, key, identity, name, _ in candidates:
        edits = _edits(word, key)
        if edits > most:
            continue
        heard = (_edits(_sounds(word), _sounds(key)), edits)
        if heard < nearest.get(identity, (most + 1, most + 1, ""))[:2]:
            nearest[identity] = (*heard, name)
    ranked = sorted(nearest.values())
    if not ranked or (len(ranked) > 1 and ranked[1][:2] == ranked[0][:2]):
        return None
    return ranked[0][2]


def _sounds(word: str) -> str:
    """``word`` with the pinyin initials people most often write without their h (zh, ch, sh)
    written without it, so that 'shenzen' is nearer Shenzhen than Shenze."""
    return word.replace("zh", "z").replace("ch", "c").replace("sh", "s")


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
