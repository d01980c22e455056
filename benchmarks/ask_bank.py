"""The question banks' scores: each question of every tests/ask_bank/*.jsonl asked through the
real command line, against the bundled store.

    python benchmarks/ask_bank.py            # one line per file
    python benchmarks/ask_bank.py --verbose  # and every question not answered as expected

A bank line is ``{"q", "lang", "expect", "must", "must_not", "why"}``. ``expect`` is
``answer`` (exit 0, and the records printed by ``--json`` hold every ``must`` id and no
``must_not`` id), ``refuse`` (exit 2) or ``none`` (exit 1: understood, nothing stored).
Per file: answered / answerable, wrong (answered with exit 0 but not rightly: the worst
outcome, which must stay at 0), refused correctly and nothing-stored correctly. The tests
(tests/test_ask_bank.py) grade with the same function.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BANKS = ROOT / "tests" / "ask_bank"
BUNDLED = ROOT / "data" / "policyq.json"
EXIT = {"answer": 0, "none": 1, "refuse": 2}

# (arguments) -> (exit code, stdout, stderr)
Runner = Callable[[list[str]], tuple[int, str, str]]


@dataclass(frozen=True)
class Graded:
    question: dict[str, Any]
    verdict: str  # right, wrong (exit 0 but not right), or not (another exit than expected, never 0)
    code: int
    why: str  # what was wrong or missing, for the report
    hints: tuple[str, ...] = ()  # command lines a refusal offered


def read_bank(path: Path) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        if row.get("expect") not in EXIT or not isinstance(row.get("q"), str):
            raise ValueError(f"{path.name}: a line needs 'q' and 'expect' (answer, refuse or none): {row}")
    return rows


def ids(stdout: str) -> list[str]:
    """The ids of the records `ask --json` printed (a listing, or one place's record)."""
    data = json.loads(stdout or "[]")
    if isinstance(data, dict):
        return [data["record"]["id"]] if "record" in data else []
    return [r["id"] for r in data if isinstance(r, dict) and "id" in r]


def hints(stderr: str) -> tuple[str, ...]:
    """Command lines a message offers ('try: policyq …', 'e.g. policyq …', 'its record: policyq …')."""
    return tuple(m.strip().rstrip(".") for m in re.findall(r"(?:try: |e\.g\. |: )policyq ([^;—\n]+)", stderr))


def grade(row: dict[str, Any], run: Runner) -> Graded:
    code, out, err = run(["ask", row["q"], "--json", "--store", str(BUNDLED)])
    expect = row["expect"]
    if code != 0:
        verdict = "right" if code == EXIT[expect] else "not"
        return Graded(row, verdict, code, err.strip(), hints(err))
    if expect != "answer":
        return Graded(row, "wrong", code, f"answered, expected {expect}: {err.strip()}")
    found = set(ids(out))
    missing, extra = set(row.get("must", ())) - found, set(row.get("must_not", ())) & found
    if missing or extra:
        said = f"missing {sorted(missing)}" if missing else f"holds {sorted(extra)}"
        return Graded(row, "wrong", code, f"{said}: {err.strip()}")
    return Graded(row, "right", code, err.strip())


@dataclass(frozen=True)
class Score:
    name: str
    graded: list[Graded]

    def count(self, expect: str, verdict: str = "right") -> int:
        return sum(g.question["expect"] == expect and g.verdict == verdict for g in self.graded)

    def total(self, expect: str) -> int:
        return sum(g.question["expect"] == expect for g in self.graded)

    @property
    def wrong(self) -> list[Graded]:
        return [g for g in self.graded if g.verdict == "wrong"]

    @property
    def answered_share(self) -> float:
        return self.count("answer") / max(1, self.total("answer"))

    def line(self) -> str:
        return (
            f"{self.name}: answered {self.count('answer')}/{self.total('answer')} ({self.answered_share:.0%}), "
            f"wrong {len(self.wrong)}, refused correctly {self.count('refuse')}/{self.total('refuse')}, "
            f"nothing stored correctly {self.count('none')}/{self.total('none')}"
        )


def score(path: Path, run: Runner) -> Score:
    return Score(path.name, [grade(row, run) for row in read_bank(path)])


def cli_runner() -> Runner:
    """The real command line, in process (as the tests run it)."""
    from typer.testing import CliRunner

    from policyq.cli import app

    runner = CliRunner()

    def run(args: list[str]) -> tuple[int, str, str]:
        result = runner.invoke(app, args, env={"NO_COLOR": "1", "COLUMNS": "100", "POLICYQ_STORE": None})
        return result.exit_code, result.stdout, result.stderr

    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="list every question not answered as expected")
    args = parser.parse_args(argv)
    run = cli_runner()
    scores = [score(path, run) for path in sorted(BANKS.glob("*.jsonl"))]
    for s in scores:
        print(s.line())
        if args.verbose:
            for g in s.graded:
                if g.verdict != "right":
                    print(f"  [{g.verdict}, exit {g.code}, expected {g.question['expect']}] {g.question['q']}")
                    print(f"      {shlex.quote(g.why)[:300]}")
    return 1 if any(s.wrong for s in scores) else 0


if __name__ == "__main__":
    sys.exit(main())
