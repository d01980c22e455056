"""Long work shows a progress bar on a terminal's stderr, and nowhere else."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from conftest import BUNDLED, SEED
from typer.testing import CliRunner

from policyq import report
from policyq.cli import app
from policyq.env import Environment
from policyq.render import bar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def invoke(args: list[str], stderr: io.StringIO) -> int:
    env = Environment(stdout=io.StringIO(), stderr=stderr, isatty=False)
    result = CliRunner().invoke(app, args, obj=env, catch_exceptions=False)
    return result.exit_code


@pytest.fixture
def small_is_large(monkeypatch: pytest.MonkeyPatch) -> None:
    """The seed store's tables count as large work, so that the bar is drawn for them."""
    monkeypatch.setattr(bar, "LARGE", 5)
    monkeypatch.setattr(report, "EVERY", 3)


def records_file(tmp_path: Path) -> Path:
    target = next(iter(json.loads(SEED.read_text(encoding="utf-8"))["targets"].values()))
    path = tmp_path / "new.json"
    path.write_text(json.dumps({"targets": [dict(target, id=f"bar-{n}") for n in range(12)]}), encoding="utf-8")
    return path


@pytest.mark.usefixtures("small_is_large")
def test_validate_and_import_draw_a_bar_on_a_terminal(tmp_path: Path) -> None:
    seen = Terminal()
    assert invoke(["validate", str(SEED)], seen) == 0
    zones = len(json.loads(SEED.read_text(encoding="utf-8"))["zones"])
    assert "validating zones" in seen.getvalue() and f"{zones}/{zones}" in seen.getvalue()
    store = tmp_path / "store.json"
    store.write_bytes(SEED.read_bytes())
    seen = Terminal()
    assert invoke(["import", str(records_file(tmp_path)), "--store", str(store)], seen) == 0
    assert "checking ids" in seen.getvalue() and "12/12" in seen.getvalue()
    assert "added 12" in " ".join(seen.getvalue().split())  # the message wraps at the terminal's width


@pytest.mark.usefixtures("small_is_large")
def test_no_bar_when_piped_or_quiet(tmp_path: Path) -> None:
    piped = io.StringIO()  # not a terminal
    assert invoke(["validate", str(SEED)], piped) == 0
    assert piped.getvalue() == ""
    quiet = Terminal()
    store = tmp_path / "store.json"
    store.write_bytes(SEED.read_bytes())
    assert invoke(["import", str(records_file(tmp_path)), "--store", str(store), "--quiet"], quiet) == 0
    assert quiet.getvalue() == ""  # no bar, no summary
    assert invoke(["validate", str(SEED), "-q"], quiet) == 0 and quiet.getvalue() == ""


def test_small_work_draws_no_bar() -> None:
    seen = Terminal()  # the bundled store whole, gazetteer and all, is small work
    assert invoke(["validate", str(BUNDLED)], seen) == 0
    assert seen.getvalue() == ""


def test_the_core_reports_only_to_a_listener() -> None:
    heard: list[tuple[str, int, int]] = []
    items = list(range(5000))
    assert list(report.steps(items, "x")) == items  # nobody listening
    with report.listening(lambda what, done, total: heard.append((what, done, total))):
        assert list(report.steps(items, "counting")) == items
    assert heard[0] == ("counting", 0, 5000) and heard[-1] == ("counting", 5000, 5000)
    assert list(report.steps(items, "x")) == items and len(heard) == 4  # the listener is gone
