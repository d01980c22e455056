"""Questions in plain words turned into exactly the options the command line takes.

"AI targets for Shanghai" is ``policyq targets --in shanghai --sector 'artificial intelligence'``;
"compare GDP of Qingdao, Jinan and Shenzhen" is ``policyq indicators --in qingdao --in jinan
--in shenzhen --metric gdp --exact``; "浦东的园区" is ``policyq parks --in pudong``.

Every word must be understood: a place, a kind of record, a sector, a metric, a period, an
amount with its comparator, or a word with no meaning of its own ("the", "show me",
"compare"). A question with any other word left over is refused, saying what was understood,
what was not, and the flags to try: a wrong answer is worse than none.
"""

from __future__ import annotations

from collections.abc import Iterable

from policyq.ask.decide import Probe, Question, command_line, decide, refusal
from policyq.ask.reader import Reader
from policyq.ask.words import EXAMPLE
from policyq.errors import UsageError
from policyq.places import Places

__all__ = ["EXAMPLE", "Question", "command_line", "parse"]


def parse(
    question: str,
    index: Places,
    *,
    sources: Iterable[str] = (),
    sectors: Iterable[str] = (),
    probe: Probe | None = None,
) -> Question:
    """Understand ``question`` or raise a usage error saying what was not understood.

    ``sources`` are the store's source ids and ``sectors`` its sector names, so that questions
    may name them; ``probe(table, options)`` counts the records a listing would return, used
    only to choose between targets and indicators when the question does not say which.
    """
    if not question.strip():
        raise UsageError(f"empty question; {EXAMPLE}")
    r = Reader(question, index, sources, sectors)
    r.read_sources()
    r.read_attributes()
    r.read_places()
    r.read_where()
    r.read_amounts()
    r.read_periods()
    r.read_words()
    if r.sized and r.sector:  # "how big is the AI industry", "size of the AI industry": its scale, not an area
        r.metric = "output"
    r.read_counts()
    r.read_adjuncts()
    r.unknown_place()
    left = r.leftovers()
    if left:
        raise refusal(r, left)
    r.check_nesting()
    return decide(r, probe)
