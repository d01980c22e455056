"""Shared fixtures: every test runs the real CLI against a known store, isolated from the
user's own store and environment, at a fixed terminal width."""

from __future__ import annotations

import functools
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer.testing
from typer.testing import CliRunner

from policyq.cli import app

# CliRunner turns the Typer app into a click command on every call (about 10 ms, most of a
# typical test); the app does not change while the tests run, so build it once.
typer.testing._get_command = functools.lru_cache(maxsize=None)(typer.testing._get_command)

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data" / "policyq.json"

# One complete, valid record of each fact table: a target for Pudong's industrial output and an
# indicator of it, both citing a bundled source. The figures are the tests' own.
_SAMPLE_TARGET: dict[str, Any] = {
    "id": "sample-target-2030",
    "subject": "pudong",
    "metric": "output_value",
    "metric_label": "test output",
    "family": "output",
    "comparator": ">",
    "value": 2_000_000_000_000,
    "unit": "CNY",
    "year": 2030,
    "deadline": "2030",
    "source": "pudong-industrial-system-2022",
}
_SAMPLES: dict[str, dict[str, Any]] = {
    "targets": _SAMPLE_TARGET,
    "indicators": {k: v for k, v in _SAMPLE_TARGET.items() if k != "deadline"}
    | {"id": "sample-indicator-2023", "comparator": "=", "year": 2023, "as_of": "2023"},
}


MakeRecord = Callable[..., dict[str, Any]]


def sample(table: str, **overrides: Any) -> dict[str, Any]:
    """A complete, valid record of ``table`` ("targets" or "indicators") with ``overrides``
    applied; a fresh dict each call, so a test may change it freely."""
    return {**_SAMPLES[table], **overrides}


def examples(everyday: int) -> int:
    """How many examples a property-based test tries: ``everyday`` in the everyday run (kept
    short), ``$POLICYQ_FUZZ_EXAMPLES`` in a long one (.ci/run sets it for its second pass)."""
    return int(os.environ.get("POLICYQ_FUZZ_EXAMPLES", everyday))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Property-based tests carry the ``property`` mark, so a long run can pick them out."""
    for item in items:
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.property)


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No user store, no $POLICYQ_STORE, no cache, no colour, 100 columns."""
    monkeypatch.delenv("POLICYQ_STORE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # which stores writes found valid
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)


class Result:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code, self.stdout, self.stderr = exit_code, stdout, stderr

    def json(self) -> Any:
        return json.loads(self.stdout)

    def __repr__(self) -> str:
        return f"Result(exit={self.exit_code}, stdout={self.stdout[:300]!r}, stderr={self.stderr[:300]!r})"


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
    """Run policyq in-process with CliRunner; stdout and stderr apart."""
    runner = CliRunner()
    result = runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False, prog_name="policyq")
    return Result(result.exit_code, result.stdout, result.stderr)


def records(*args: str) -> list[dict[str, Any]]:
    """The JSON records a listing command prints (an empty list when nothing matched)."""
    result = run(*args, "--format", "json")
    assert result.exit_code in (0, 1), result
    return result.json()


@pytest.fixture
def make_record() -> MakeRecord:
    """The record factory: ``make_record("targets", id="mine-2030", value=5)``."""
    return sample


@pytest.fixture
def user_store(tmp_path: Path) -> Path:
    """A writable copy of the bundled store."""
    path = tmp_path / "store.json"
    shutil.copyfile(BUNDLED, path)
    return path
