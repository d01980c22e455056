"""A question as tokens: words, numbers, years, symbols, source ids kept whole, and runs of
Chinese characters cut into the known words they hold."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from policyq import vocab

TOKEN = re.compile(
    r"(?P<range>(?<!\d)(?:19|20)\d\d\s*[-–—~]\s*(?:19|20)\d\d(?!\d))"
    r"|(?P<word>\d[gG]\b|[a-z][a-z0-9]*(?:'[aeo][a-z]*)*)"  # Xi'an, Lu'an, Pu'er: a pinyin syllable, not "I'd" or "'s"
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


def segment(run: str, lexicon: set[str]) -> list[Token]:
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
        for m in TOKEN.finditer(part):
            kind = m.lastgroup or "other"
            if kind == "cjk":
                tokens.extend(segment(m.group(), cjk_words))
            elif kind == "poss":
                tokens.append(Token("'s", "poss"))
            elif kind == "sep":
                tokens.append(Token(m.group(), kind, used=True, meaning="stop"))
            else:
                tokens.append(Token(m.group(), kind))
    return tokens


@functools.cache
def split(phrase: str) -> tuple[str, ...]:
    """A phrase as the tokens the tokenizer would make of it."""
    if vocab.has_cjk(phrase) or not re.search(r"[a-z0-9]", phrase):
        return (phrase,)
    return tuple(phrase.split())
