"""Words left over that the store itself uses: the sources' own wording of a figure ('the
computing power supply system') and the titles of a place's designations ('a national-level
exchange'). They narrow what is asked; words that order, sum, date or negate never do."""

from __future__ import annotations

import copy

from policyq import vocab
from policyq.ask.decide import Probe, decide
from policyq.ask.reader import Reader
from policyq.ask.words import MET, NEGATIONS, ORDER_WORDS
from policyq.errors import UsageError

Worded = list[tuple[str, str, str]]  # each stored figure's metric, family, and the text --metric words match


def read_wording(r: Reader, left: list[str], probe: Probe | None, worded: Worded) -> bool:
    """Words left over that are the source's own wording of the figure asked about ('Lingang's
    computing power supply system': the investment 'in a multi-computing power supply system')
    narrow the figures to those worded so, the reading saying so; whether they were taken.
    Only whole words of the stored wording (``worded``: each figure's metric, family and the
    text of its metric and wording), never words that order, negate or judge; only when every
    stored figure so worded is of the metric asked ('emerging industries output' is no output
    figure: those words are a share's), and when such figures exist among those the rest of the
    question asks for."""
    words = list(dict.fromkeys(left))
    if not probe or any(len(w) < 3 or not w.isalpha() or w in ORDER_WORDS | MET | NEGATIONS for w in words):
        return False
    stems = {vocab.stem(w) for *_, text in worded for w in vocab.words(text)}
    if any(vocab.stem(w) not in stems for w in words):
        return False
    patterns = [vocab.sector_pattern(w) for w in vocab.words(" ".join([r.metric or "", *words]))]
    matched = [(metric, family) for metric, family, text in worded if all(p.search(text) for p in patterns)]
    if not matched or (r.metric and any(r.metric not in pair for pair in matched)):
        return False
    if any(t.kind != "word" for t in r.tokens if not t.used and t.text in words):
        return False
    if not _found(r, words, probe):
        return False
    r.wording = words
    for i, t in enumerate(r.tokens):
        if not t.used and t.text in words:
            r.take(i, i + 1, "metric")
    r.readings.append(f"'{' '.join(words)}' as the source's own wording of the figure")
    return True


def _found(r: Reader, words: list[str], probe: Probe, sector: str | None = None) -> bool:
    """Whether the question, its figures narrowed by ``words`` (and ``sector`` in place of its
    own), asks for figures that exist."""
    trial = copy.copy(r)
    trial.readings, trial.places, trial.kinds, trial.wording = [*r.readings], [*r.places], [*r.kinds], words
    trial.sector, trial.more_sectors = sector if sector is not None else r.sector, []
    try:
        q = decide(trial, probe)
    except UsageError:
        return False
    return q.command in ("targets", "indicators") and not q.attribute and bool(probe(q.command, q.options))


def read_sectors(r: Reader, probe: Probe | None, worded: Worded) -> None:
    """Several sectors named for one figure ('the output target for green, metaverse and
    intelligent terminal industries'): the figures whose own wording names every one of them,
    when those are of the metric asked and exist among those asked for; else refused, one
    sector at a time."""
    if not r.more_sectors:
        return
    named = [r.sector or "", *r.more_sectors]
    words = [w for s in named for w in vocab.words(s) if w not in ("and", "or", "of", "the")]
    patterns = [vocab.sector_pattern(w) for w in vocab.words(" ".join([r.metric or "", *words]))]
    matched = [(m, f) for m, f, text in worded if all(p.search(text) for p in patterns)]
    fits = bool(matched) and not (r.metric and any(r.metric not in pair for pair in matched))
    if not probe or not fits or not _found(r, [*r.wording, *words], probe, sector=""):
        said = [t.text for t in r.tokens if t.meaning == "sector"]
        raise r.refuse_error(said[-1:] or named[-1:], "one sector (ask once per sector)")
    r.wording, r.sector, r.more_sectors = [*r.wording, *words], None, []
    r.readings.append(f"'{', '.join(named)}' as the source's own wording of one figure")


def read_titles(r: Reader, left: list[str]) -> bool:
    """In a question about a place's designation, words left over that are words of its
    designations' titles ('when did the Shanghai Data Exchange become a national-level exchange')
    name that designation; whether they were taken."""
    if r.attribute not in ("designated", "designated_by", "designations") or not r.places:
        return False
    titled = {
        vocab.stem(w)
        for p in r.places
        for d in r.index.record(p).get("designations") or ()
        for w in vocab.words(str(d.get("title") or ""))
    }
    words = list(dict.fromkeys(left))
    if any(vocab.stem(w) not in titled or w in ORDER_WORDS | NEGATIONS for w in words):
        return False
    for i, t in enumerate(r.tokens):
        if not t.used and t.text in words:
            r.take(i, i + 1, "when")
    r.readings.append(f"'{' '.join(words)}' as words of its designation")
    return True
