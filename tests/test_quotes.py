"""Every target, indicator and designation in the bundled store quotes its source verbatim.

Two kinds of check:
- always: each quote is there, is one or two sentences, and contains the figure as a document
  writes it ("1.5 trillion", "260", "7.4%", "four trillion", "top two", "third-largest");
- when the source documents are at hand (``../shared/sources`` beside the repository, as in CI):
  each quote is found in the document its source names, word for word but for whitespace, with
  '…' standing for a cut (the pieces in order).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from conftest import BUNDLED, ROOT

SOURCES = ROOT.parent / "shared" / "sources"
TABLES: dict[str, list[dict[str, Any]]] = {
    t: list(docs.values()) for t, docs in json.loads(BUNDLED.read_text(encoding="utf-8")).items()
}
FACTS = [(t, r) for t in ("targets", "indicators") for r in TABLES[t]]
DESIGNATIONS = [(z["id"], d) for z in TABLES["zones"] for d in z["designations"]]
QUOTED = [(r["id"], r["source"], r["quote"]) for _, r in FACTS] + [
    (f"{zid}: {d['title']}", d["source"], d["quote"]) for zid, d in DESIGNATIONS
]


def squash(text: str) -> str:
    return " ".join(text.split())


# --- the figure as a document writes it ------------------------------------------------------

_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
_ORDINALS = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
_TIMES = {2: ("twice", "double"), 3: ("three times", "triple")}


def _numbers(n: float) -> set[str]:
    """How a number is written: '2400', '2,400', '1,200.15', and 'four' for small whole numbers."""
    plain = f"{n:.6f}".rstrip("0").rstrip(".")
    grouped = f"{n:,.6f}".rstrip("0").rstrip(".")
    out = {plain, grouped}
    if n == int(n) and int(n) < len(_WORDS):
        out.add(_WORDS[int(n)])
    return out


def spellings(value: float, unit: str, comparator: str) -> set[str]:
    """Every way the documents write a stored figure."""
    if unit == "rank":
        n = int(value)
        if comparator == "<=":
            return {f"top {w}" for w in _numbers(n)}
        return {_ORDINALS[n], f"No. {n}"} if n < len(_ORDINALS) else {f"No. {n}"}
    if unit == "ratio":
        return {f"{w} times" for w in _numbers(value)} | set(_TIMES.get(int(value), ()))
    if unit == "percent":
        return {f"{w}{sep}" for w in _numbers(value) for sep in ("%", " percent", " per cent")}
    out = _numbers(value)
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            out |= {f"{w} {word}" for w in _numbers(value / size)}
    return out


def mentions(quote: str, spelled: str) -> bool:
    """``spelled`` stands in ``quote`` as a whole figure ('100' is not in '1,000' or '100.5')."""
    return re.search(rf"(?<![\w.,]){re.escape(spelled)}(?![\w]|[.,]\d)", squash(quote)) is not None


def test_spellings_find_the_figure_and_only_it() -> None:
    assert mentions("exceed 1.5 trillion yuan", "1.5 trillion")
    assert mentions("is CNY 1,200.15 billion (USD", "1,200.15 billion")
    assert not any(mentions("more than 1,000 key enterprises", s) for s in spellings(100, "count", ">"))
    assert any(mentions("maintained at four trillion RMB", s) for s in spellings(4e12, "CNY", "~"))
    assert any(mentions("the top two cities", s) for s in spellings(2, "rank", "<="))
    assert any(mentions("the third-largest province", s) for s in spellings(3, "rank", "="))
    assert not any(mentions("the top two cities", s) for s in spellings(3, "rank", "<="))


@pytest.mark.parametrize("table,record", FACTS, ids=[r["id"] for _, r in FACTS])
def test_quote_states_the_figure(table: str, record: dict[str, Any]) -> None:
    quote = record.get("quote") or ""
    assert quote.strip(), f"{table} {record['id']} has no quote"
    spelled = spellings(record["value"], record["unit"], record["comparator"])
    assert any(mentions(quote, s) for s in spelled), f"{record['id']}: none of {sorted(spelled)} in {quote!r}"
    if record["usd"] is not None:  # the dollar figure is quoted too, as printed
        usd = {f"{w} billion" for w in _numbers(record["usd"] / 1e9)}
        assert any(mentions(quote, s) for s in usd), f"{record['id']}: none of {sorted(usd)} in {quote!r}"


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”]?\s+(?=[A-Z“\"])")


@pytest.mark.parametrize("name,source,quote", QUOTED, ids=[q[0] for q in QUOTED])
def test_quote_is_one_or_two_sentences(name: str, source: str, quote: str | None) -> None:
    assert quote and quote.strip(), f"{name} has no quote"
    assert len(_SENTENCE_END.split(squash(quote))) <= 2, f"{name}: more than two sentences: {quote!r}"
    assert len(quote) <= 400, f"{name}: {len(quote)} characters"
    assert "..." not in quote, f"{name}: a cut is marked with '…', not '...'"


# --- held to the documents --------------------------------------------------------------------


def _title_key(text: str) -> str:
    return squash(text.replace("\u2019", "'").replace("\u2018", "'")).casefold()


@pytest.fixture(scope="module")
def documents() -> dict[str, str]:
    """Each source id's document text (whitespace squashed), found by the title it prints."""
    files = sorted(SOURCES.glob("*.txt")) if SOURCES.is_dir() else []
    if not files:
        pytest.skip(f"the source documents are not at {SOURCES}")
    texts = [f.read_text(encoding="utf-8") for f in files]
    found: dict[str, str] = {}
    quoted = {source for _, source, _ in QUOTED}  # a data set (the division codes) is quoted nowhere
    for source in (s for s in TABLES["sources"] if s["id"] in quoted):
        matches = [t for t in texts if _title_key(source["title"]) in _title_key(t)]
        assert len(matches) == 1, f"source {source['id']}: {len(matches)} documents print its title"
        found[source["id"]] = squash(matches[0])
    return found


def find_in_order(quote: str, text: str) -> str | None:
    """The first piece of ``quote`` (split at '…') missing from ``text`` in order, or None."""
    at = 0
    for piece in (squash(p) for p in quote.split("…")):
        if not piece:
            continue
        hit = text.find(piece, at)
        if hit < 0:
            return piece
        at = hit + len(piece)
    return None


@pytest.mark.parametrize("name,source,quote", QUOTED, ids=[q[0] for q in QUOTED])
def test_quote_is_verbatim_in_its_document(documents: dict[str, str], name: str, source: str, quote: str) -> None:
    missing = find_in_order(quote, documents[source])
    assert missing is None, f"{name}: not in {source} as written: {missing!r}"


def test_a_changed_word_or_order_is_caught(documents: dict[str, str]) -> None:
    text = documents["shanghai-high-end-industry-2023"]
    assert find_in_order("The robot density in Shanghai is 260 robots per 10,000 people", text) is None
    assert find_in_order("The robot density in Shanghai is 270 robots per 10,000 people", text) is not None
    assert find_in_order("more than twice … The robot density in Shanghai", text) is not None
