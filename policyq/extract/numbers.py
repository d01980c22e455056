"""Numbers as documents write them, in English and Chinese.

``parse_number`` reads one written number: ``1,200.15`` -> 1200.15, ``four`` -> 4,
``三千`` -> 3000, ``一万二千`` -> 12000, ``二十五`` -> 25. ``SCALES`` are the words that
multiply it (``billion``, ``亿``, ``万亿``). The figure finder (``policyq.extract.quantities``)
decides what a number counts, measures or costs.
"""

from __future__ import annotations

import itertools

WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a hundred": 100,
    "one hundred": 100,
}
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
SCALES = {
    "thousand": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "千": 1e3,
    "万": 1e4,
    "亿": 1e8,
    "万亿": 1e12,
}
# Scales only money is counted in, in this domain: a bare "120 billion" is yuan.
MONEY_SCALES = {"billion", "bn", "trillion", "tn", "亿", "万亿"}

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL = {"十": 10, "百": 100, "千": 1000}
CN_CHARS = "".join(CN_DIGITS) + "十百千万亿"


def cn_number(text: str) -> int | None:
    """A number written in Chinese numerals, or None: '三千' -> 3000, '一万二千' -> 12000,
    '两千三百万' -> 23000000, '一万亿' -> 10**12, '二十五' -> 25, '一千零五' -> 1005; None for
    '一二三'."""
    if not text or any(c not in CN_CHARS for c in text) or not any(c in CN_DIGITS or c in CN_SMALL for c in text):
        return None
    if any(a in CN_DIGITS and b in CN_DIGITS and "零" not in a + b for a, b in itertools.pairwise(text)):
        return None  # '一二三': digits side by side are a list or a year, not an amount
    total, section, num = 0, 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            num = CN_DIGITS[ch]
        elif ch in CN_SMALL:
            section += (num or 1) * CN_SMALL[ch]
            num = 0
        elif ch == "万":
            section = (section + num) * 10**4
            num = 0
        else:  # 亿
            total = (total + section + num) * 10**8
            section = num = 0
    return total + section + num


def parse_number(text: str) -> float | None:
    """One written number: digits with thousands commas and a decimal point, an English
    number word, or Chinese numerals. None when ``text`` is none of these."""
    t = text.strip().casefold()
    if not t:
        return None
    if t in WORDS:
        return float(WORDS[t])
    digits = t.replace(",", "").replace("，", "")
    try:
        return float(digits)
    except ValueError:
        pass
    value = cn_number(text.strip())
    return None if value is None else float(value)


def exact(value: float) -> int | float:
    """A whole number as an int (so JSON shows 100000000000, not 1e11), else the float,
    rounded to undo binary noise (1.3 * 1e12)."""
    rounded = float(f"{value:.15g}")
    if rounded.is_integer() and abs(rounded) < 2**53:
        return int(rounded)
    return rounded
