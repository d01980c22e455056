"""benchmarks/adversarial.py, the rerunnable attack on the installed command: its checks
can fail, a few of its hostile cases run in the everyday suite, and the whole of it, at a
small size, among the slow trials."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import script_module

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "adversarial.py"


adversarial = script_module(SCRIPT)


def _adversarial(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )


def _totals(stdout: str) -> dict[str, int]:
    [line] = [line for line in stdout.splitlines() if line.startswith("totals: ")]
    pairs = [part.rsplit(" ", 1) for part in line.removeprefix("totals: ").split(", ")]
    return {name: int(count) for name, count in pairs}


@pytest.mark.parametrize(
    ("code", "err", "out", "human", "found"),
    [
        (0, b"", b"ok\n", True, {}),
        (None, b"", b"", False, {"hangs": 1}),
        (1, b"Traceback (most recent call last):\n  x\n", b"", False, {"wrong exit codes": 1, "tracebacks": 1}),
        (2, b"policyq: one\npolicyq: two\n", b"", False, {"other": 1}),
        (0, b"", "Pudong\u202e\n".encode(), True, {"injections": 1}),
        (0, b"", "Pudong\u202e\n".encode(), False, {}),  # JSON and the like are checked apart
        (0, b"", b"a,b\r\nc,d\r\n", True, {}),  # CSV's own line ends
    ],
)
def test_the_shared_checks_count_what_they_find(
    code: int | None, err: bytes, out: bytes, human: bool, found: dict[str, int]
) -> None:
    report = adversarial.Report()
    row = report.row("test", "case")
    ran = adversarial.Ran(["policyq", "zones"], code, out, err, 0.1)
    passed = adversarial.judge(report, row, ran, [0, 2], human=human)
    assert dict(row.found) == found and passed == (not found)


def test_hostile_cases_run_against_the_installed_command() -> None:
    done = _adversarial("--parts", "hostile", "--cases", "bibtex,duplicate-keys", timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert set(_totals(done.stdout).values()) == {0}
    assert "one entry, the source's own" in done.stdout and "each refused, store unchanged" in done.stdout


def test_a_bad_option_is_a_usage_error() -> None:
    done = _adversarial("--parts", "everything", timeout=30)
    assert done.returncode == 2 and "--parts" in done.stderr


@pytest.mark.slow  # every part at a small size: about a minute
def test_slow_the_whole_adversarial_run_at_a_small_size_finds_nothing() -> None:
    done = _adversarial("--size", "2000", "--kills", "12", "--writers", "3", timeout=900)
    assert done.returncode == 0, done.stdout[-4000:]
    totals = _totals(done.stdout)
    assert list(totals) == list(adversarial.CATEGORIES) and set(totals.values()) == {0}
