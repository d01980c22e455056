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
    trial = copy.copy(r)
    trial.readings, trial.places, trial.kinds, trial.wording = [*r.readings], [*r.places], [*r.kinds], words
    try:
        q = decide(trial, probe)
    except UsageError:
        return False
    if q.command not in ("targets", "indicators") or q.attribute or not probe(q.command, q.options):
        return False
    r.wording = words
    for i, t in enumerate(r.tokens):
        if not t.used and t.text in words:
            r.take(i, i + 1, "metric")
    r.readings.append(f"'{' '.join(words)}' as the source's own wording of the figure")
    return True


def read_titles(r: Reader, left: list[str]) -> bool:
    """In a question about a place's designation, words left over that are words of its
    designations' titles ('when did the Shanghai Data Exchange become a national-level exchange')
    name that designation; whether they were taken."""
    if r.attribute not in ("designated", "designated_by", "designations") or not r.places:
        return False
    titled = {
        vocab.stem(w)
        for p in r.places
        for d in r.index.by_id[p].get("designations") or ()
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
