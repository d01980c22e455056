"""Shared fixtures: every test runs the real CLI against a known store, isolated from the
user's own store and environment, at a fixed terminal width."""

from __future__ import annotations

import atexit
import functools
import gc
import itertools
import json
import os
import shutil
import tempfile
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

# The tests run the command line in this process some two thousand times, and the cyclic garbage
# collector's default pace (a collection every 700 new objects) made it a tenth of the run. What
# is imported by now lives as long as the run and is not walked again (``gc.freeze``, as
# ``policyq.__main__`` does at start-up), and collections come at a slower pace. No test depends
# on when garbage is collected.
gc.freeze()
gc.set_threshold(50_000, 20, 100)

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data" / "policyq.json"  # the bundled store as shipped: the facts and the gazetteer


def _without_the_gazetteer(full: Path, seed: Path) -> Path:
    """The bundled store without the gazetteer's divisions that no other record names: the
    places, parks and facts of the source documents, with the sources. Written in the store's
    own layout to ``seed``."""
    from policyq.storage.layout import dump_tables

    tables = json.loads(full.read_text(encoding="utf-8"))
    zones = tables["zones"]
    by_id = {z["id"]: (key, z) for key, z in zones.items()}
    kept = {key: z for key, z in zones.items() if z.get("sources") != ["gb2260-divisions"]}
    named = [r["subject"] for t in ("targets", "indicators") for r in tables[t].values()]
    todo = [*named, *(ref for z in kept.values() for ref in [z.get("parent"), *(z.get("related") or ())] if ref)]
    while todo:  # what the kept records name, and what those name in turn
        ref = todo.pop()
        key, zone = by_id[ref]
        if key not in kept:
            kept[key] = zone
            todo += [r for r in [zone.get("parent"), *(zone.get("related") or ())] if r]
    tables["zones"] = {key: zones[key] for key in zones if key in kept}  # stored order
    seed.write_text(dump_tables(tables), encoding="utf-8")
    return seed


# Most tests read the store without the gazetteer's thousands of divisions: what they test (views,
# writes, layouts, limits) does not depend on them, and reading 3,235 zones in every test would
# make the everyday run several times slower. Tests marked ``full_store`` (the gazetteer, ask's
# question banks, completion and the views of divisions) see the bundled store whole.
_SEED_DIR = tempfile.mkdtemp(prefix="policyq-seed-")
atexit.register(shutil.rmtree, _SEED_DIR, True)
SEED = _without_the_gazetteer(BUNDLED, Path(_SEED_DIR) / "policyq.json")

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


def script_module(path: Path) -> Any:
    """The script at ``path`` (a benchmark, say) imported as a module named after its file."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


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


# Homes of the tests that ask for no tmp_path: a folder each, made only if policyq writes there.
_HOMES = tempfile.mkdtemp(prefix="policyq-homes-")
atexit.register(shutil.rmtree, _HOMES, True)
_HOME_NUMBERS = itertools.count()


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """No user store, no $POLICYQ_STORE, no cache, no colour, 100 columns; the bundled store
    without the gazetteer unless the test is marked ``full_store``. The user store and the cache
    are those of ``tmp_path / "xdg"`` and ``tmp_path / "cache"`` for a test that uses tmp_path."""
    if "tmp_path" in request.fixturenames:
        home: Path = request.getfixturevalue("tmp_path")
    else:
        home = Path(_HOMES) / str(next(_HOME_NUMBERS))
    if request.node.get_closest_marker("full_store") is None:
        from policyq.storage import paths

        # found first; the real bundled file stays among the candidates, so it is still never written
        monkeypatch.setattr(paths, "BUNDLED_CANDIDATES", (str(SEED), *paths.BUNDLED_CANDIDATES))
    monkeypatch.delenv("POLICYQ_STORE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))  # which stores writes found valid
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
    from policyq.storage import paths

    path = tmp_path / "store.json"
    shutil.copyfile(paths.bundled_path(), path)
    return path
