"""A document's candidate records: one flat object per figure that is a target or an
indicator, with the record's own fields, ``table`` and the keys a reviewer reads
(``subject_text``, ``start``, ``end``, ``confidence``, ``why``).

``quote`` is the figure's whole sentence, exactly as the text has it, and ``start``/``end``
the figure's offsets in the text: ``text[start:end]`` is the figure as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from policyq.errors import UsageError
from policyq.extract import quantities, rules
from policyq.extract.load import Document, Sentence, sentences
from policyq.extract.subject import Gazetteer, Mention, Subject, choose
from policyq.model import FIELDS, date_precision
from policyq.vocab import has_cjk

LANGS = ("auto", "en", "zh")


@dataclass
class Draft:
    candidates: list[dict[str, Any]]
    source: dict[str, Any] | None  # the drafted sources record, when the store has none for it
    text: str
    notes: list[str] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        """What the draft file holds, line by line: the source first (when drafted), then
        the candidates."""
        return ([self.source] if self.source else []) + self.candidates


def _slug(text: str, limit: int = 48) -> str:
    words = re.findall(r"[a-z0-9]+", text.casefold())
    out = ""
    for w in words:
        if len(out) + len(w) + 1 > limit:
            break
        out = f"{out}-{w}" if out else w
    return out or "x"


def draft_source(doc: Document, sources: Iterable[Mapping[str, Any]], lang: str) -> tuple[str, dict[str, Any] | None]:
    """The id of the document's source, and its drafted record when the store has none with
    its title."""
    head = doc.text[:1000]
    lines = [line.strip() for line in doc.text.splitlines() if line.strip()]
    title = doc.title or next(
        (line for line in lines if len(line) > 15 and not re.fullmatch(r"[\d\s.:-]+", line)), None
    )
    title = re.sub(r"^#+\s*", "", title or doc.name)[:200]
    title = title.split(" | ")[0].strip() or title
    for s in sources:
        if s.get("title") and s["title"].casefold() in head.casefold():
            return str(s["id"]), None
    date = rules.document_date(doc.text)
    url = re.search(r"https?://[^\s)\"'<>]+", head)
    publisher = re.search(
        r"(?:^|\n)\s*(?:Source|来源|发布单位|发布机构)\s*[:：]\s*(.+?)\s*(?:\||\n|$|\s{2,}|发布时间|日期|时间)", head
    )
    site = re.search(r"\b((?:[a-z0-9-]+\.)+(?:gov\.cn|com\.cn|org\.cn|com|cn|org|net))\b", head)
    published = date[:4] if date and not re.search(r"\d{4}-\d\d-\d\d|\d{4}年\d{1,2}月\d{1,2}日", head) else date
    language = lang if lang != "auto" else ("zh" if _mostly_chinese(doc.text) else "en")
    record: dict[str, Any] = {
        "table": "sources",
        "id": _source_id(title, published),
        "title": title,
        "publisher": publisher.group(1).strip() if publisher else (site.group(1) if site else None),
        "published": published,
        "published_precision": date_precision(published),
        "url": url.group() if url else None,
        "language": language,
        "authors": [],
        "note": "Drafted by policyq extract from the document's own header; check it.",
    }
    return str(record["id"]), record


def _source_id(title: str, published: str | None) -> str:
    """A readable id from the title's Latin words and the year; a title in Chinese gives
    'source-' and a short digest of the title instead."""
    import hashlib

    slug = _slug(title, 40) if re.search(r"[A-Za-z0-9]", title) else ""
    slug = slug or "source-" + hashlib.sha1(title.encode()).hexdigest()[:8]
    return f"{slug}-{published[:4]}" if published else slug


def _mostly_chinese(text: str) -> bool:
    sample = text[:4000]
    cjk = sum(1 for c in sample if "\u4e00" <= c <= "\u9fff")
    latin = sum(1 for c in sample if c.isascii() and c.isalpha())
    return cjk > latin / 4


def _clause(sentence: str, pos: int) -> tuple[int, int]:
    lo = max(sentence.rfind(";", 0, pos), sentence.rfind("；", 0, pos)) + 1
    ends = [i for i in (sentence.find(";", pos), sentence.find("；", pos)) if i >= 0]
    return lo, (min(ends) if ends else len(sentence))


def extract(
    doc: Document,
    zones: Iterable[dict[str, Any]] | Gazetteer,
    *,
    sources: Iterable[Mapping[str, Any]] = (),
    source: str | None = None,
    lang: str = "auto",
    taken_ids: Iterable[str] = (),
    progress: Callable[[int, int], None] | None = None,
) -> Draft:
    """The candidate records of ``doc``. ``zones`` are the places a subject may be;
    ``source`` the id of a source already in the store (else one is drafted, or found by its
    title); ``taken_ids`` ids a candidate must not reuse; ``progress(done, total)`` is told
    how many characters of the text are read. ``zones`` may be their ``Gazetteer``, built
    once by a caller that extracts many documents against them."""
    if lang not in LANGS:
        raise UsageError(f"unknown language '{lang}'; valid: {', '.join(LANGS)}")
    known_sources = list(sources)
    if source is not None:
        if source not in {s.get("id") for s in known_sources}:
            valid = ", ".join(str(s.get("id")) for s in known_sources) or "none yet"
            raise UsageError(f"no source '{source}' in the store; sources: {valid} (or leave out --source)")
        source_id, source_record = source, None
    else:
        source_id, source_record = draft_source(doc, known_sources, lang)
    gaz = zones if isinstance(zones, Gazetteer) else Gazetteer(zones)
    text = doc.text
    date = rules.document_date(text)
    doc_year = int(date[:4]) if date else None
    latest = None if date else rules.latest_year(text)
    used = Ids(taken_ids)
    candidates: list[dict[str, Any]] = []
    history: list[Mention] = []
    previous: Subject | None = None
    recent: list[tuple[Sentence, list[rules.Period]]] = []
    for sent in sentences(text):
        if progress is not None:
            progress(sent.end, len(text))
        s = sent.text
        sentence_sectors: list[str] | None = None
        mentions = gaz.mentions(s)
        found = quantities.find(s, lang, [(m.start, m.end) for m in mentions])
        periods = rules.periods(quantities.normalize(s))
        last_end = 0
        sentence_subject: Subject | None = None
        for fig in found:
            lo, hi = _clause(s, fig.start)
            window = max(lo, last_end)
            comp, _said = rules.comparator(quantities.normalize(s), fig, window)
            period = rules.nearest_period(periods, fig)
            table, table_why = rules.table(s, period, doc_year)
            carried = False
            if period is None:
                period, carried = _carry(recent, sent, table), True
                if period is None and table == "indicators" and date:
                    period = rules.Period(0, 0, date, "day", False)
                elif period is None and table == "indicators" and latest:
                    period = rules.Period(-1, -1, str(latest), "year", False)
            metric, family, label = rules.metric(quantities.normalize(s), fig, window)
            subject = choose(gaz, s, mentions, (lo, hi), fig.start, fig.end, fig.kind, history, previous)
            sentence_subject = subject if subject.ids else sentence_subject
            why = [f"table: {table_why!r}", f"subject: {subject.how}"]
            if carried and period is not None:
                origin = "a sentence before"
                if (period.start, period.end, period.date) == (0, 0, date):
                    origin = "the document's date"
                elif period.start == -1:
                    origin = "the latest year the undated document names"
                why.append(f"period {period.date}: from {origin}")
            confidence = 0.9
            confidence -= 0.2 if fig.implied_currency else 0
            confidence -= (
                0.35 if not subject.ids else (0.1 if "before" in subject.how and "clause" not in subject.how else 0)
            )
            confidence -= 0.15 if metric is None else 0
            confidence -= 0.3 if period is None else (0.2 if period.start == -1 else 0.1 if carried else 0)
            if fig.implied_currency:
                why.append("no currency written: read as yuan")
            zids: list[str | None] = [*subject.ids] or [None]
            if sentence_sectors is None:
                sentence_sectors = rules.sectors(s)
            for zid in zids:
                record = _record(table, fig, comp, period, zid, metric, family, label, s, source_id, used)
                record["sectors"] = list(sentence_sectors)
                record.update(
                    {
                        "subject_text": subject.text,
                        "figure": s[fig.start : fig.end],
                        "start": sent.start + fig.start,
                        "end": sent.start + fig.end,
                        "confidence": round(max(0.05, min(1.0, confidence)), 2),
                        "why": "; ".join(why),
                    }
                )
                candidates.append(record)
            last_end = fig.end
        history.extend(mentions)
        if sentence_subject is not None:
            previous = sentence_subject
        elif mentions:
            ids = _specific_ids(gaz, mentions)
            previous = Subject(ids[:1], next((m.text for m in mentions if m.ids == ids[:1]), None), "")
        recent = ([*recent, (sent, periods)])[-3:]
    return Draft(candidates, source_record, text)


def _specific_ids(gaz: Gazetteer, mentions: list[Mention]) -> list[str]:
    single = [m.ids[0] for m in mentions if len(m.ids) == 1]
    return [i for i in single if not any(gaz.is_ancestor(i, o) for o in single if o != i)]


def _carry(recent: list[tuple[Sentence, list[rules.Period]]], sent: Sentence, table: str) -> rules.Period | None:
    """A period from the two sentences before ('By that time', 'Furthermore, it seeks…'):
    for a target, a deadline in the same paragraph; for a reported figure, a period that is
    not a deadline."""
    for before, found in reversed(recent[-2:]):
        if not found:
            continue
        if table == "targets":
            if before.paragraph == sent.paragraph:
                deadlines = [p for p in found if p.deadline] or found
                return deadlines[-1]
            return None
        reported = [p for p in found if not p.deadline]
        if reported:
            return reported[-1]
    return None


class Ids:
    """Record ids not yet taken: a base id, else the base with -2, -3…"""

    def __init__(self, taken: Iterable[str]) -> None:
        self.taken = set(taken)
        self.next: dict[str, int] = {}

    def take(self, base: str) -> str:
        rid, n = base, self.next.get(base, 2)
        while rid in self.taken:
            rid, n = f"{base}-{n}", n + 1
        self.next[base] = n
        self.taken.add(rid)
        return rid


def _record(
    table: str,
    fig: quantities.Figure,
    comp: str,
    period: rules.Period | None,
    zid: str | None,
    metric: str | None,
    family: str | None,
    label: str,
    sentence: str,
    source_id: str,
    used: Ids,
) -> dict[str, Any]:
    year = period.year if period else None
    base = "-".join(p for p in (zid or "unknown", (metric or _slug(label, 24)).replace("_", "-"), str(year or "")) if p)
    rid = used.take(base)
    record: dict[str, Any] = {"table": table}
    for name in FIELDS[table]:
        record[name] = None
    record.update(
        {
            "id": rid,
            "subject": zid,
            "metric": metric,
            "metric_label": label,
            "family": family,
            "comparator": comp,
            "value": fig.value,
            "unit": fig.unit,
            "usd": fig.usd,
            "year": year,
            "sectors": [],
            "source": source_id,
            "quote": sentence,
        }
    )
    date_field = "deadline" if table == "targets" else "as_of"
    record[date_field] = period.date if period else None
    record[f"{date_field}_precision"] = period.precision if period else None
    return record


def language_of(text: str) -> str:
    return "zh" if has_cjk(text) else "en"
