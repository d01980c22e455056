"""Questions in plain words turned into exactly the options the command line takes.

"AI targets for Shanghai" is ``policyq targets --in shanghai --sector 'artificial intelligence'``;
"compare GDP of Qingdao, Jinan and Shenzhen" is ``policyq indicators --in qingdao --in jinan
--in shenzhen --metric gdp --exact --sort -value``; "浦东的园区" is ``policyq parks --in pudong``.

Every word that could change the answer must be understood: a place, a kind of record, a
sector, a metric, a period, an amount with its comparator; question words, tense and filler
("how many", "did", "already", "the", "show me") only ask. A question with any other word left
over is refused, saying what was understood, what was not, the names it is near and the flags
to try: a wrong answer is worse than none.

The package: ``words`` (the vocabulary of questions), ``tokens`` (a question as tokens),
``reader`` (a question being read), the reading passes ``where``, ``figures``, ``meaning`` and
``compare``, ``wording`` (words the store itself uses), ``typos`` (near misses), and ``decide``
(the command and options, or the refusal).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from policyq.ask import compare, figures, meaning, typos, where, wording
from policyq.ask.decide import Probe, Question, command_line, decide, refusal
from policyq.ask.reader import Reader
from policyq.ask.words import EXAMPLE
from policyq.errors import UsageError
from policyq.places import Places

__all__ = ["EXAMPLE", "Question", "command_line", "parse"]


class _NotUnderstood(UsageError):
    """A refusal for words not understood, which a near-miss reading may yet answer."""

    def __init__(self, message: str, words: list[str], reader: Reader) -> None:
        super().__init__(message)
        self.words, self.reader = words, reader


def parse(
    question: str,
    index: Places,
    *,
    sources: Iterable[str] = (),
    sectors: Iterable[str] = (),
    probe: Probe | None = None,
    labels: Iterable[tuple[str, str, str]] = (),
) -> Question:
    """Understand ``question`` or raise a usage error saying what was not understood.

    ``sources`` are the store's source ids and ``sectors`` its sector names, so that questions
    may name them; ``labels`` each stored figure's metric, family and the source's own wording
    of it, whose words a question may use to narrow the figures; ``probe(table, options)``
    counts the records a listing would return, used to choose between targets and indicators
    when the question does not say which, to offer only hints that find something, and to
    answer a zone's figure with its places' figures.

    A question whose unknown words (one or two) each clearly misspell one known name ('shenzen',
    'GPD') is read with those names, and the reading says so; near names are otherwise offered,
    not chosen.
    """
    if not question.strip():
        raise UsageError(f"empty question; {EXAMPLE}")
    worded = [(m, f, f"{m} {f} {label}".replace("_", " ").casefold()) for m, f, label in labels]
    try:
        return _read(question, index, sources, sectors, probe, worded)
    except _NotUnderstood as refused:
        words = list(dict.fromkeys(refused.words))
        names = [typos.correction(w, index, refused.reader.lex) for w in words] if len(words) <= 2 else [None]
        if None in names:
            raise UsageError(str(refused)) from None
        corrected = question
        for word, name in zip(words, names, strict=True):
            corrected = typos.replace_word(corrected, word, str(name))
        try:
            q = _read(corrected, index, sources, sectors, probe, worded)
        except UsageError:
            raise UsageError(str(refused)) from None
        said = q.explanation.removeprefix("understood: ")
        read = "; ".join(f"'{typos.as_written(question, w)}' as {n}" for w, n in zip(words, names, strict=True))
        return dataclasses.replace(q, explanation=f"understood: {read}; {said}")


def _read(
    question: str,
    index: Places,
    sources: Iterable[str],
    sectors: Iterable[str],
    probe: Probe | None,
    worded: wording.Worded,
) -> Question:
    r = Reader(question, index, sources, sectors)
    figures.read_sources(r)
    meaning.read_attributes(r)
    meaning.read_tense(r)
    meaning.read_achieved(r)
    where.read_places(r)
    where.read_where(r)
    figures.read_density(r)
    figures.read_ranks(r)
    figures.read_amounts(r)
    figures.read_usd(r)
    figures.read_units_asked(r)
    figures.read_periods(r)
    compare.read_compare(r)
    meaning.read_words(r)
    industry = any(t.text in ("industry", "industries", "产业", "行业") and t.meaning != "place" for t in r.tokens)
    if r.sized and r.metric == "area" and (r.sector or industry):  # "how big is the AI industry": its scale
        r.metric = "output"
    meaning.read_counts(r)
    meaning.read_questions(r)
    where.read_adjuncts(r)
    unknown = where.unknown_place(r)
    if unknown:
        near = typos.suggestion([unknown], index, r.lex) or index.suggest(unknown)
        raise _NotUnderstood(f"no place '{unknown}'{near}", [unknown], r)
    where.check_nesting(r)
    wording.read_sectors(r, probe, worded)
    left = r.leftovers()
    if left and not wording.read_titles(r, left) and not wording.read_wording(r, left, probe, worded):
        refused = refusal(r, left, probe, typos.suggestion(left, index, r.lex))
        raise _NotUnderstood(str(refused), left, r) if not r.negated(left) else refused
    return decide(r, probe)
