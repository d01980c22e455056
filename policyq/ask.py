"""Free-text questions ("parks in Pudong", "2025 output targets") turned into ``Filters``.

The parser is deliberately small and literal: it looks for a kind of record, a place, years,
a metric and a kind of zone, says what it understood, and refuses a question it cannot place
rather than guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from policyq.errors import UsageError
from policyq.places import Places
from policyq.query import Filters

EXAMPLE = (
    "try e.g. 'parks in Pudong', '2025 output targets', 'indicators for Qingdao' or 'targets due by 2025 in Lingang'"
)

# word -> (table, zone kind)
_TABLE_WORDS = {
    "park": ("zones", "park"),
    "parks": ("zones", "park"),
    "target": ("targets", None),
    "targets": ("targets", None),
    "goal": ("targets", None),
    "goals": ("targets", None),
    "plan": ("targets", None),
    "plans": ("targets", None),
    "indicator": ("indicators", None),
    "indicators": ("indicators", None),
    "figure": ("indicators", None),
    "figures": ("indicators", None),
    "statistics": ("indicators", None),
    "stats": ("indicators", None),
    "facts": ("indicators", None),
    "data": ("indicators", None),
    "zone": ("zones", None),
    "zones": ("zones", None),
    "place": ("zones", None),
    "places": ("zones", None),
    "source": ("sources", None),
    "sources": ("sources", None),
    "documents": ("sources", None),
}
# Phrases naming a kind of zone, longest first.
_KIND_PHRASES = [
    ("free trade zones", "free_trade_zone"),
    ("free trade zone", "free_trade_zone"),
    ("pilot zones", "pilot_zone"),
    ("pilot zone", "pilot_zone"),
    ("pilot areas", "pilot_area"),
    ("pilot area", "pilot_area"),
    ("districts", "district"),
    ("district", "district"),
    ("cities", "city"),
    ("city", "city"),
    ("provinces", "province"),
    ("province", "province"),
    ("facilities", "facility"),
    ("facility", "facility"),
    ("platforms", "platform"),
    ("platform", "platform"),
    ("areas", "area"),
    ("clusters", "cluster"),
]
# Words for metrics, mapped to what --metric accepts.
_METRIC_WORDS = {
    "output": "output",
    "scale": "output",
    "revenue": "output",
    "gdp": "gdp",
    "growth": "growth",
    "enterprises": "enterprises",
    "enterprise": "enterprises",
    "companies": "enterprises",
    "company": "enterprises",
    "firms": "enterprises",
    "businesses": "enterprises",
    "investment": "investment",
    "invest": "investment",
    "area": "area",
    "size": "area",
    "density": "density",
    "robots": "density",
    "robot": "density",
    "share": "share",
    "rank": "rank",
    "ranking": "rank",
    "factories": "factory_count",
    "products": "data_products",
}
_PLACE_WORDS = {"in", "for", "of", "at", "inside", "within", "under"}
_STOP = {
    "in",
    "for",
    "of",
    "the",
    "a",
    "an",
    "all",
    "at",
    "on",
    "and",
    "with",
    "what",
    "which",
    "are",
    "is",
    "show",
    "me",
    "list",
    "set",
    "due",
    "by",
    "before",
    "since",
    "after",
    "until",
    "to",
    "from",
    "about",
    "inside",
    "within",
    "under",
    "there",
    "how",
    "many",
    "much",
    "new",
    "area's",
    "'s",
    "any",
    "their",
}


@dataclass(frozen=True)
class Question:
    """A question understood: the table to list, its filters, and a sentence saying so."""

    table: str
    filters: Filters
    explanation: str


def _find_place(words: list[str], text: str, index: Places) -> tuple[str | None, set[int]]:
    """The longest run of words naming a place (or a Chinese name in the text), and the word positions used."""
    for size in range(min(6, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            phrase = " ".join(words[start : start + size])
            if phrase in _STOP or phrase in _TABLE_WORDS:
                continue
            ids = index.matches(phrase)
            if len(ids) == 1:
                return ids[0], set(range(start, start + size))
            if ids:
                raise UsageError(f"'{phrase}' names several places; ask with an id ({', '.join(ids)})")
    for zone in index.by_id.values():
        for name in (zone.get("name_zh"), *(zone.get("aliases") or ())):
            if name and re.search(r"[\u4e00-\u9fff]", name) and name in text:
                return zone["id"], set()
    return None, set()


def parse(question: str, index: Places) -> Question:
    """Understand ``question`` or raise a usage error that shows how to ask."""
    text = question.strip()
    words = re.findall(r"[\w'-]+", text.casefold().replace("’", "'"))
    if not words:
        raise UsageError(f"empty question; {EXAMPLE}")
    used: set[int] = set()
    place, place_words = _find_place(words, text, index)
    used |= place_words

    table, kind = None, None
    joined = " ".join(w for i, w in enumerate(words) if i not in used)
    for phrase, k in _KIND_PHRASES:
        if re.search(rf"\b{phrase}\b", joined):
            kind, table = k, "zones"
            used |= {i for i, w in enumerate(words) if w in phrase.split() and i not in place_words}
            break
    for i, w in enumerate(words):
        if i not in used and w in _TABLE_WORDS and table is None:
            table, kind = _TABLE_WORDS[w]
            used.add(i)

    metric = None
    for i, w in enumerate(words):
        if i not in used and w in _METRIC_WORDS and metric is None:
            metric = _METRIC_WORDS[w]
            used.add(i)

    year_from = year_to = None
    for i, w in enumerate(words):
        if re.fullmatch(r"(19|20)\d\d", w):
            before = words[i - 1] if i else ""
            year = int(w)
            if before in ("by", "before", "until", "to"):
                year_to = year - 1 if before == "before" else year
            elif before in ("since", "after", "from"):
                year_from = year + 1 if before == "after" else year
            else:
                year_from = year_to = year
            used.add(i)

    if table is None:
        if metric or year_from or year_to:
            table = "targets" if any(w in ("by", "due", "will", "plans", "goal") for w in words) else "indicators"
        elif place:
            table = "zones"
        else:
            raise UsageError(f"could not understand '{question}'; {EXAMPLE}")
    leftover = [w for i, w in enumerate(words) if i not in used and w not in _STOP]
    for i, w in enumerate(words):  # "in Atlantis": a place we do not know is an error, not ignored
        if i not in used and w not in _STOP and i and words[i - 1] in _PLACE_WORDS and not place:
            raise UsageError(f"no place '{w}'{index.suggest(w)}")
    if leftover and not (place or metric or kind or year_from or year_to or table):
        raise UsageError(f"could not understand '{question}'; {EXAMPLE}")
    if table == "zones" and (metric or year_from or year_to):
        raise UsageError(f"zones have no metrics or years; ask for targets or indicators; {EXAMPLE}")

    filters = Filters(place=place, kinds=(kind,) if kind else (), metric=metric, year_from=year_from, year_to=year_to)
    if table == "sources":
        filters = replace(filters, place=None)
    return Question(table, filters, _explain(table, filters, index, leftover))


def _explain(table: str, f: Filters, index: Places, leftover: list[str]) -> str:
    what = {"zones": "zones", "targets": "targets", "indicators": "indicators", "sources": "sources"}[table]
    if f.kinds:
        what = f"zones of kind {f.kinds[0]}"
    parts = [what]
    if f.metric:
        parts.append(f"with metric '{f.metric}'")
    if f.place:
        parts.append(f"in {index.name(f.place)} ({f.place}) and below")
    if f.year_from is not None and f.year_from == f.year_to:
        parts.append(f"for {f.year_from}")
    elif f.year_to is not None:
        parts.append(f"due by {f.year_to}" if table == "targets" else f"up to {f.year_to}")
    elif f.year_from is not None:
        parts.append(f"from {f.year_from}")
    sentence = "understood: " + " ".join(parts)
    if leftover:
        sentence += f" (ignored: {' '.join(leftover)})"
    return sentence
