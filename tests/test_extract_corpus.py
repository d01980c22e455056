"""The labelled sentences that `extract` is measured on (benchmarks/extract_corpus/labelled.jsonl)
are consistent with their own conventions (benchmarks/extract_corpus/README.md):

- every line is one object with the keys in order, every figure has its keys in order and values
  from the vocabularies (units, comparators, tables);
- each figure's value, and its USD equivalent, is written in the sentence, in one of the forms a
  document uses (1.5 trillion, 1,200.15 billion, 4000亿, 1.3万亿, 两千, 百分之二十五, first, 第六);
  its place and its label are the sentence's own words;
- the set covers what the benchmark needs: its size, both languages in about equal parts, every
  comparator and both tables in each language, sentences without a figure, two figures in one
  sentence, USD equivalents;
- the sentences are the project's own: none shares a long run of words with the source documents
  (when they are at hand, ``../shared/sources``).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from conftest import ROOT

from policyq.schema import COMPARATORS, UNITS

CORPUS = ROOT / "benchmarks" / "extract_corpus" / "labelled.jsonl"
README = CORPUS.with_name("README.md")
SOURCES = ROOT.parent / "shared" / "sources"
ITEM_KEYS = ["id", "lang", "text", "figures", "note"]
FIGURE_KEYS = ["value", "unit", "comparator", "year", "table", "usd", "subject_text", "metric_label"]
TABLES = ("targets", "indicators")
LINES = CORPUS.read_text(encoding="utf-8").splitlines()
ITEMS: list[dict[str, Any]] = [json.loads(line) for line in LINES]
CJK = re.compile(r"[\u4e00-\u9fff]")


# --- the numbers a sentence writes --------------------------------------------------------------

_SCALES = {"trillion": 12, "billion": 9, "million": 6, "thousand": 3, "万亿": 12, "亿": 8, "万": 4, "千": 3}
_NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
_ORDINAL_WORDS = "zeroth first second third fourth fifth sixth seventh eighth ninth tenth"
_WORDS = {w: n for words in (_NUMBER_WORDS, _ORDINAL_WORDS) for n, w in enumerate(words.split(" "))}
_WORDS |= {"twice": 2, "double": 2, "doubled": 2, "triple": 3, "tripled": 3}
_ZH_DIGITS = {ch: n for n, ch in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_ZH_WORDS = {"翻一番": 2, "首位": 1}  # double; first place
_ZH_UNITS = {"十": 1, "百": 2, "千": 3}
_ZH_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")
_ARABIC = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(trillion|billion|million|thousand|万亿|亿|万|千)?")
_WORD_ALTERNATIVES = "|".join(sorted(_WORDS, key=len, reverse=True))
_WORD = re.compile(r"\b(" + _WORD_ALTERNATIVES + r")\b\s*(trillion|billion|million|thousand)?")


def _zh_section(text: str) -> int | None:
    """一千二百三十 -> 1230 (a part below 万); None if it is not one."""
    total, digit = 0, None
    for ch in text:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            total += (1 if digit is None else digit) * 10 ** _ZH_UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def zh_numeral(text: str) -> int | None:
    """两千 -> 2000, 三千五百万 -> 35000000, 二十五 -> 25; None for a run that is not a numeral."""
    total = 0
    for scale, power in (("亿", 8), ("万", 4)):
        if scale in text:
            head, _, text = text.partition(scale)
            section = _zh_section(head) if head else None
            if section is None:
                return None
            total += section * 10**power
    rest = _zh_section(text)
    return None if rest is None else total + rest


def written_values(text: str) -> set[Decimal]:
    """Every number the sentence writes, alone and with the scale word after it."""
    found: set[Decimal] = set()
    for number, scale in _ARABIC.findall(text):
        base = Decimal(number.replace(",", ""))
        found |= {base, base.scaleb(_SCALES[scale]) if scale else base}
    for word, scale in _WORD.findall(text.lower()):
        base = Decimal(_WORDS[word])
        found |= {base, base.scaleb(_SCALES[scale]) if scale else base}
    for run in _ZH_NUMERAL.findall(text):
        for i in range(len(run)):  # 第六 is a run too; a numeral may follow other characters
            value = zh_numeral(run[i:])
            if value is not None:
                found.add(Decimal(value))
    found |= {Decimal(value) for word, value in _ZH_WORDS.items() if word in text}
    return found


def is_written(value: float, text: str) -> bool:
    return any(math.isclose(value, float(w), rel_tol=1e-12) for w in written_values(text))


def test_number_reader_reads_the_forms_of_the_convention() -> None:
    """The reader used below is right on the forms the README lists (else the check is empty)."""
    cases = {
        "CNY 1.5 trillion": 1.5e12,
        "CNY 1,200.15 billion": 1.20015e12,
        "300 million yuan": 3e8,
        "4000亿元": 4e11,
        "1.3万亿元": 1.3e12,
        "两千家": 2000,
        "三千亿元": 3e11,
        "百分之二十五": 25,
        "排名第六": 6,
        "ranked third": 3,
        "four trillion yuan": 4e12,
        "一千二百三十个": 1230,
    }
    for text, value in cases.items():
        assert is_written(value, text), text
    assert not is_written(1.5e9, "CNY 1.5 trillion")
    assert not is_written(26, "百分之二十五")


# --- each line -----------------------------------------------------------------------------------


@pytest.mark.parametrize("item", ITEMS, ids=[item["id"] for item in ITEMS])
def test_item_is_well_formed(item: dict[str, Any]) -> None:
    assert list(item) == ITEM_KEYS
    assert re.fullmatch(r"(en|zh)-\d{3}", item["id"]) and item["id"][:2] == item["lang"]
    text = item["text"]
    assert isinstance(text, str) and text == text.strip() and "\n" not in text
    assert bool(CJK.search(text)) == (item["lang"] == "zh"), "a Chinese item is written in Chinese, an English one not"
    assert isinstance(item["note"], str) and item["note"].strip()
    for figure in item["figures"]:
        assert list(figure) == FIGURE_KEYS
        assert figure["unit"] in UNITS
        assert figure["comparator"] in COMPARATORS
        assert figure["table"] in TABLES
        year = figure["year"]
        assert year is None or (type(year) is int and 1990 <= year <= 2060)
        for key in ("value", "usd"):
            number = figure[key]
            if number is not None or key == "value":
                assert type(number) in (int, float) and number > 0, key
                assert is_written(number, text), f"{key} {number} is not written in the sentence"
        if figure["usd"] is not None:
            assert figure["unit"] != "USD" and re.search(r"USD|US\$|\$|美元", text)
        if figure["unit"] == "USD":
            assert re.search(r"USD|US\$|\$|美元", text)
        place = figure["subject_text"]
        assert place is None or (place.strip() and place in text)
        label = figure["metric_label"]
        assert isinstance(label, str) and label.strip() and label.lower() in text.lower()
        assert not is_written(figure["value"], label), "the label names what is measured, not the figure"


def test_ids_run_in_order_without_gaps() -> None:
    for lang in ("en", "zh"):
        ids = [item["id"] for item in ITEMS if item["lang"] == lang]
        assert ids == [f"{lang}-{n:03d}" for n in range(1, len(ids) + 1)]


def test_each_text_appears_once() -> None:
    repeated = [t for t, n in Counter(item["text"] for item in ITEMS).items() if n > 1]
    assert not repeated


# --- the set as a whole --------------------------------------------------------------------------


def test_the_set_covers_what_the_benchmark_needs() -> None:
    assert len(ITEMS) >= 170
    langs = Counter(item["lang"] for item in ITEMS)
    assert 0.45 <= langs["zh"] / len(ITEMS) <= 0.55
    assert sum(not item["figures"] for item in ITEMS) >= 15
    for lang in ("en", "zh"):
        items = [item for item in ITEMS if item["lang"] == lang]
        figures = [f for item in items for f in item["figures"]]
        assert {f["comparator"] for f in figures} == set(COMPARATORS), lang
        assert {f["table"] for f in figures} == set(TABLES), lang
        assert {"CNY", "USD", "count", "percent", "m2", "km2", "per_10k_people", "ratio", "rank"} <= {
            f["unit"] for f in figures
        }, lang
        assert sum(not item["figures"] for item in items) >= 5, lang
        assert sum(len(item["figures"]) >= 2 for item in items) >= 5, lang
        assert sum(f["usd"] is not None for f in figures) >= 3, lang
        assert sum(f["year"] is None for f in figures) >= 3, lang


def count_table(items: list[dict[str, Any]]) -> str:
    """The table of counts in the README, from the items."""

    def row(name: str, count: Callable[[list[dict[str, Any]]], int]) -> str:
        by_lang = [count([i for i in items if i["lang"] == lang]) for lang in ("en", "zh")]
        return f"| {name} | {by_lang[0]} | {by_lang[1]} | {sum(by_lang)} |"

    def figures(selected: list[dict[str, Any]], keep: Callable[[dict[str, Any]], bool]) -> int:
        return sum(keep(f) for item in selected for f in item["figures"])

    rows = [
        "| | English | Chinese | all |",
        "| --- | ---: | ---: | ---: |",
        row("items", len),
        row("items without a figure", lambda s: sum(not i["figures"] for i in s)),
        row("items with two or more figures", lambda s: sum(len(i["figures"]) >= 2 for i in s)),
        row("figures", lambda s: figures(s, lambda f: True)),
    ]

    def having(field: str, value: str) -> Callable[[list[dict[str, Any]]], int]:
        return lambda s: figures(s, lambda f: f[field] == value)

    rows += [row(f"table `{t}`", having("table", t)) for t in TABLES]
    rows += [row(f"comparator `{c}`", having("comparator", c)) for c in COMPARATORS]
    rows += [row(f"unit `{u}`", having("unit", u)) for u in UNITS]
    rows += [
        row("with a USD equivalent", lambda s: figures(s, lambda f: f["usd"] is not None)),
        row("year null", lambda s: figures(s, lambda f: f["year"] is None)),
        row("subject_text null", lambda s: figures(s, lambda f: f["subject_text"] is None)),
    ]
    return "\n".join(rows)


def test_readme_counts_are_the_files() -> None:
    """benchmarks/extract_corpus/README.md shows this table; regenerate it after editing the set:
    python -c 'import sys; sys.path[:0] = ["tests"]; import test_extract_corpus as t; print(t.count_table(t.ITEMS))'
    """
    assert count_table(ITEMS) in README.read_text(encoding="utf-8")


# --- our own writing -----------------------------------------------------------------------------


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


@pytest.mark.skipif(not SOURCES.is_dir(), reason="the source documents are not beside the repository")
def test_no_sentence_is_taken_from_a_source_document() -> None:
    """No run of 40 characters (20 in Chinese) of a sentence is found in a source document."""
    sources = [_squash(p.read_text(encoding="utf-8", errors="replace")) for p in sorted(SOURCES.glob("*.txt"))]
    assert sources
    for item in ITEMS:
        text = _squash(item["text"])
        width = 20 if item["lang"] == "zh" else 40
        for start in range(max(1, len(text) - width + 1)):
            window = text[start : start + width]
            assert not any(window in source for source in sources), f"{item['id']}: {window!r}"
