"""The question banks (tests/ask_bank/*.jsonl): questions as analysts ask them, each run through
the real command line. No question may be answered wrongly with exit 0; the banks the
grammar was built or developed with are held to what they score; a bank held back from whoever
builds the grammar is held to 85%.
Every command line a refusal offers as a hint must itself find something.

`python benchmarks/ask_bank.py` prints the same scores, per file; the grading is its code.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest
from conftest import run, script_module

pytestmark = pytest.mark.full_store  # the gazetteer's divisions are part of what is tested

ROOT = Path(__file__).resolve().parent.parent
BANKS = sorted((ROOT / "tests" / "ask_bank").glob("*.jsonl"))
# The bank the grammar was built with answers 289/289. heldout.jsonl, written apart from the
# grammar, scored 23/44 (0.52) when first run blind; heldout2.jsonl, written later the same way,
# scored 18/41 (0.43) blind, 23/41 (0.56) after the grammar's second pass. Both are development
# sets now, their misses read as classes of phrasing, and answer 44/44 and 41/41. heldout3.jsonl,
# written after that pass and kept from the grammar's sight, answered 42/43 (0.98) when first run
# blind, with one question answered wrongly: a count asked with words read as filler came back as
# the place's record ('张江人工智能岛有几个创新应用'). That class is refused or read now (a number
# asked of a place with nothing said of what is refused), and the bank is a development set too.
# A bank held back from whoever builds the grammar is the test of how general it is; its goal is 0.85.
SHARE = {"bank.jsonl": 1.0, "heldout.jsonl": 1.0, "heldout2.jsonl": 1.0, "heldout3.jsonl": 1.0}
HELD_BACK = 0.85


grading = script_module(ROOT / "benchmarks" / "ask_bank.py")


def _run(args: list[str]) -> tuple[int, str, str]:
    result = run(*args)
    return result.exit_code, result.stdout, result.stderr


def test_the_bank_is_large_in_both_languages_and_well_formed() -> None:
    rows = grading.read_bank(ROOT / "tests" / "ask_bank" / "bank.jsonl")
    assert len(rows) >= 120
    zh = sum(r["lang"] == "zh" for r in rows)
    assert 0.4 <= zh / len(rows) <= 0.6
    assert len({r["q"].casefold() for r in rows}) == len(rows)
    for row in rows:
        assert set(row) == {"q", "lang", "expect", "must", "must_not", "why"}, row
        assert (row["expect"] == "answer") == bool(row["must"]), row  # an answer names what it must hold
        assert not set(row["must"]) & set(row["must_not"]), row


PIECE = 40  # questions a test asks of a bank held to all it holds: the pieces spread over the workers


def _pieces() -> list[Any]:
    """(bank, first, end) of each test: a bank held to 100% in pieces (a piece must answer all it
    holds too), any other bank whole (its share is of the bank)."""
    out = []
    for path in BANKS:
        size = len(grading.read_bank(path))
        step = PIECE if SHARE.get(path.name) == 1.0 else size
        for first in range(0, size, step):
            end = min(size, first + step)
            out.append(pytest.param(path, first, end, id=f"{path.name}[{first}:{end}]"))
    return out


@pytest.mark.parametrize(("path", "first", "end"), _pieces())
def test_no_question_is_answered_wrongly_and_enough_are_answered(path: Path, first: int, end: int) -> None:
    rows = grading.read_bank(path)[first:end]
    score = grading.Score(path.name, [grading.grade(row, _run) for row in rows])
    print(score.line())
    wrong = [f"{g.question['q']!r}: {g.why}" for g in score.wrong]
    assert not wrong, "answered wrongly with exit 0:\n" + "\n".join(wrong)
    missed = [f"{g.question['q']!r} (exit {g.code}): {g.why}" for g in score.graded if g.verdict != "right"]
    floor = SHARE.get(path.name, HELD_BACK)
    assert not score.total("answer") or score.answered_share >= floor, score.line() + "\n" + "\n".join(missed)
    for g in score.graded:  # a hint printed with a refusal finds something
        for hint in g.hints:
            args = shlex.split(hint)
            if args and args[0] == "ask":
                args += ["--json"]
            code, _, err = _run(args)
            assert code == 0, (g.question["q"], hint, err)


def test_grading_counts_a_missing_record_as_wrong_and_a_refusal_as_not_answered() -> None:
    asked = {"q": "GDP of Qingdao", "lang": "en", "expect": "answer", "must": ["qingdao-gdp-2018"], "must_not": []}
    assert grading.grade(asked, _run).verdict == "right"
    assert grading.grade({**asked, "must": ["jinan-gdp-2018"]}, _run).verdict == "wrong"
    assert grading.grade({**asked, "must_not": ["qingdao-gdp-2018"]}, _run).verdict == "wrong"
    assert grading.grade({**asked, "q": "GDP of Atlantis"}, _run).verdict == "not"
    assert grading.grade({**asked, "expect": "refuse"}, _run).verdict == "wrong"
    assert grading.grade({**asked, "q": "GDP of Shandong", "expect": "none"}, _run).verdict == "right"
