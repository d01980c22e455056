"""User stores: init, import, remove — validated first, atomic, isolated, unchanged on failure."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import BUNDLED, run, sample

from policyq.model import validate
from policyq.storage import layout, reading

NEW_TARGET = sample("targets", id="test-target-2030")


def ids_in(path: Path, table: str) -> list[str]:
    return [r["id"] for r in json.loads(path.read_text())[table].values()]


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# --- init -------------------------------------------------------------------------------------


@pytest.mark.full_store
def test_init_creates_the_user_store_and_queries_read_it(tmp_path: Path) -> None:
    result = run("init")
    target = tmp_path / "xdg" / "policyq" / "policyq.json"
    assert result.exit_code == 0 and result.stdout.strip() == str(target.resolve())
    assert target.read_bytes() == BUNDLED.read_bytes()
    imported = run("import", str(write_json(tmp_path / "t.json", {"targets": [NEW_TARGET]})))
    assert imported.exit_code == 0, imported
    assert "test-target-2030" in ids_in(target, "targets")
    assert json.loads(run("targets", "--year", "2030", "--json").stdout)[0]["id"] == "test-target-2030"


@pytest.mark.full_store
def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    path.write_text("precious")
    refused = run("init", str(path))
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert path.read_text() == "precious"
    assert run("init", str(path), "--force").exit_code == 0
    assert path.read_bytes() == BUNDLED.read_bytes()


def test_writes_without_a_user_store_point_to_init(tmp_path: Path) -> None:
    result = run("import", str(write_json(tmp_path / "t.json", {"targets": [NEW_TARGET]})))
    assert result.exit_code == 2 and "policyq init" in result.stderr


@pytest.mark.full_store
def test_the_bundled_store_is_never_written(tmp_path: Path) -> None:
    before = BUNDLED.read_bytes()
    file = write_json(tmp_path / "t.json", {"targets": [NEW_TARGET]})
    for args in (("import", str(file), "--store", str(BUNDLED)), ("remove", "aisland-area", "--store", str(BUNDLED))):
        result = run(*args)
        assert result.exit_code == 2 and "policyq init" in result.stderr
    result = run("import", str(file), env={"POLICYQ_STORE": str(BUNDLED)})
    assert result.exit_code == 2
    assert BUNDLED.read_bytes() == before


# --- import -----------------------------------------------------------------------------------


def test_import_json_object_array_jsonl_csv_and_stdin(tmp_path: Path, user_store: Path) -> None:
    s = ("--store", str(user_store))
    obj = write_json(tmp_path / "a.json", {"targets": [NEW_TARGET]})
    assert run("import", str(obj), *s).exit_code == 0
    arr = write_json(tmp_path / "b.json", [dict(NEW_TARGET, id="t-array")])
    assert run("import", str(arr), "--table", "targets", *s).exit_code == 0
    jl = tmp_path / "c.jsonl"
    jl.write_text(json.dumps(dict(NEW_TARGET, id="t-jsonl")) + "\n\n")
    assert run("import", str(jl), "--table", "targets", *s).exit_code == 0
    csv_file = tmp_path / "d.csv"
    csv_file.write_text(
        "id,subject,metric,metric_label,family,comparator,value,unit,year,deadline,sectors,source\n"
        't-csv,lingang,investment,test,investment,=,"1,000,000",CNY,2027,2027,data; ai,lingang-data-park-2023\n'
    )
    assert run("import", str(csv_file), "--table", "targets", *s).exit_code == 0
    stdin = run("import", "-", "--table", "targets", *s, input=json.dumps([dict(NEW_TARGET, id="t-stdin")]))
    assert stdin.exit_code == 0, stdin
    stored = {r["id"]: r for r in json.loads(user_store.read_text())["targets"].values()}
    assert {"test-target-2030", "t-array", "t-jsonl", "t-csv", "t-stdin"} <= set(stored)
    assert stored["t-csv"]["value"] == 1_000_000 and stored["t-csv"]["sectors"] == ["data", "ai"]
    assert list(stored["t-csv"]) == list(stored["shanghai-ai-industry-scale-2020"])  # normalised field order
    assert validate(json.loads(user_store.read_text())) == []
    docs = json.loads(user_store.read_text())["targets"]
    assert sorted(int(k) for k in docs) == list(range(1, len(docs) + 1))


def test_import_dry_run_reports_and_writes_nothing(tmp_path: Path, user_store: Path) -> None:
    before = user_store.read_bytes()
    file = write_json(
        tmp_path / "a.json", {"targets": [NEW_TARGET, dict(NEW_TARGET, id="shanghai-ai-industry-scale-2020")]}
    )
    result = run("import", str(file), "--store", str(user_store), "--dry-run", "--replace")
    assert result.exit_code == 0
    assert result.stdout == "add\ttargets\ttest-target-2030\nreplace\ttargets\tshanghai-ai-industry-scale-2020\n"
    assert user_store.read_bytes() == before


def test_existing_ids_need_replace_or_skip_existing(tmp_path: Path, user_store: Path) -> None:
    s = ("--store", str(user_store))
    changed = dict(json.loads(BUNDLED.read_text())["targets"]["1"], note="revised")
    file = write_json(tmp_path / "a.json", {"targets": [changed, NEW_TARGET]})
    before = user_store.read_bytes()
    refused = run("import", str(file), *s)
    assert refused.exit_code == 2 and "already exists; use --replace or --skip-existing" in refused.stderr
    assert user_store.read_bytes() == before
    assert run("import", str(file), *s, "--skip-existing").exit_code == 0
    first = json.loads(user_store.read_text())["targets"]["1"]
    assert first["note"] != "revised" and "test-target-2030" in ids_in(user_store, "targets")
    assert run("import", str(file), *s, "--replace").exit_code == 0
    assert json.loads(user_store.read_text())["targets"]["1"]["note"] == "revised"
    assert run("import", str(file), *s, "--replace", "--skip-existing").exit_code == 2


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        (
            [dict(NEW_TARGET, value="lots")],
            "in.json targets[1]: targets[test-target-2030].value: must be integer or number",
        ),
        ([dict(NEW_TARGET, subject="atlantis")], "subject: no zone with id 'atlantis'"),
        ([dict(NEW_TARGET, unit="yuan")], "unit: unknown unit 'yuan'"),
        ([dict(NEW_TARGET, comparator="over")], "comparator: unknown comparator 'over'"),
        ([dict(NEW_TARGET, year=3025, deadline="3025")], "year: must be between 1900 and 2100"),
        ([dict(NEW_TARGET, colour="red")], "colour: unknown field"),
        ([NEW_TARGET, NEW_TARGET], "id 'test-target-2030' appears twice"),
        ([dict(NEW_TARGET, id="aisland")], "id 'aisland' is already used in zones"),
        ([{k: v for k, v in NEW_TARGET.items() if k != "metric"}], "metric: is required"),
    ],
)
def test_one_bad_record_refuses_the_whole_file(
    tmp_path: Path, user_store: Path, records: list[dict[str, Any]], expected: str
) -> None:
    good = dict(NEW_TARGET, id="a-good-one")
    file = write_json(tmp_path / "in.json", {"targets": [good, *records]})
    before = user_store.read_bytes()
    result = run("import", str(file), "--store", str(user_store))
    assert result.exit_code == 2, result
    assert result.stderr.startswith(f"policyq: {file}") and result.stderr.count("\n") == 1
    assert expected in result.stderr, result.stderr
    assert user_store.read_bytes() == before


def test_csv_errors_name_the_line(tmp_path: Path, user_store: Path) -> None:
    file = tmp_path / "in.csv"
    file.write_text("id,value\nx,1\ny,abc\n")
    result = run("import", str(file), "--table", "targets", "--store", str(user_store))
    assert result.exit_code == 2 and f"{file} line 3: value must be a number, not 'abc'" in result.stderr
    result = run("import", str(file), "--store", str(user_store))
    assert result.exit_code == 2 and "needs --table" in result.stderr


def test_dry_run_lists_every_problem(tmp_path: Path, user_store: Path) -> None:
    file = write_json(tmp_path / "in.json", {"targets": [dict(NEW_TARGET, unit="yuan", comparator="over")]})
    result = run("import", str(file), "--store", str(user_store), "--dry-run")
    assert result.exit_code == 2
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == ["problem", "problem"]


# --- remove -----------------------------------------------------------------------------------


def test_remove_a_record_and_refuse_while_referenced(user_store: Path) -> None:
    s = ("--store", str(user_store))
    assert run("remove", "aisland-area", *s).exit_code == 0
    assert "aisland-area" not in ids_in(user_store, "indicators")
    before = user_store.read_bytes()
    refused = run("remove", "aisland", *s)
    assert refused.exit_code == 2 and "cannot remove 'aisland'" in refused.stderr
    assert user_store.read_bytes() == before
    missing = run("remove", "no-such-id", *s)
    assert missing.exit_code == 2 and user_store.read_bytes() == before


def test_a_store_known_valid_then_changed_is_validated_again_before_a_remove(user_store: Path) -> None:
    """A write skips validating bytes it has seen valid (import remembers what it wrote); bytes
    changed since are new bytes, validated and refused when invalid."""
    s = ("--store", str(user_store))
    assert run("import", str(write_json(user_store.parent / "one.json", {"targets": [NEW_TARGET]})), *s).exit_code == 0
    text = user_store.read_text(encoding="utf-8")
    user_store.write_text(text.replace('"subject": "pudong"', '"subject": "atlantis"', 1), encoding="utf-8")
    before = user_store.read_bytes()
    refused = run("remove", "test-target-2030", *s)
    assert refused.exit_code == 3 and "no zone with id 'atlantis'" in refused.stderr, refused
    assert user_store.read_bytes() == before
    user_store.write_text(text, encoding="utf-8")  # the bytes import wrote, known valid
    assert run("remove", "test-target-2030", *s).exit_code == 0


# --- atomicity and isolation ------------------------------------------------------------------


def _cli(*args: str, **kwargs: Any) -> subprocess.Popen[bytes]:
    env = {**os.environ, "POLICYQ_STORE": ""}
    env.pop("POLICYQ_STORE")
    return subprocess.Popen(
        [sys.executable, "-m", "policyq", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, **kwargs
    )


def _errors(proc: subprocess.Popen[bytes]) -> bytes:
    """What a finished ``_cli`` process wrote to stderr."""
    return proc.stderr.read() if proc.stderr else b""


def _big_import(tmp_path: Path, n: int, prefix: str) -> Path:
    records = [dict(NEW_TARGET, id=f"{prefix}-{i}", value=i) for i in range(n)]
    return write_json(tmp_path / f"{prefix}.json", {"targets": records})


@pytest.mark.slow
def test_sigkill_during_import_leaves_the_old_or_the_new_store(tmp_path: Path) -> None:
    """Kill `policyq import` at random moments; after each kill the store is whole and valid."""
    path = tmp_path / "store.json"
    base = json.loads(BUNDLED.read_text())
    base["targets"] = {str(i): dict(NEW_TARGET, id=f"base-{i}", value=i) for i in range(1, 4001)}
    base_text = layout.dump_tables(base)
    before_ids = {r["id"] for r in base["targets"].values()}
    file = _big_import(tmp_path, 2000, "new")
    after_ids = before_ids | {f"new-{i}" for i in range(2000)}

    # The first import validates the whole store; later ones know its bytes valid and are
    # faster, so the second one, into the same bytes again, sets the pace of the kills.
    for _ in range(2):
        path.write_text(base_text)
        start = time.perf_counter()
        proc = _cli("import", str(file), "--store", str(path))
        assert proc.wait() == 0, _errors(proc)
        duration = time.perf_counter() - start
    rng = random.Random(20261123)
    killed = finished = 0
    outcomes = {"before": 0, "after": 0}
    while killed < 100:
        path.write_text(base_text)
        proc = _cli("import", str(file), "--store", str(path))
        # Half the kills anywhere, half late, where the store is read, checked and replaced.
        time.sleep(rng.uniform(0, duration * 1.1) if killed % 2 else rng.uniform(duration * 0.6, duration * 1.05))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait()
        if proc.returncode == 0:
            finished += 1
        data = reading.load_tables(path, lazy=False)
        assert validate(data) == []
        got = {r["id"] for r in data["targets"].values()}
        assert got in (before_ids, after_ids)
        outcomes["before" if got == before_ids else "after"] += 1
        assert killed + finished < 400
    assert outcomes["before"] > 0
    # Stray temporary files from killed writers are ignored by readers and removed by the next writer.
    assert run("targets", "--store", str(path), "--limit", "1", "--json").exit_code == 0
    path.write_text(base_text)
    assert run("import", str(_big_import(tmp_path, 1, "last")), "--store", str(path)).exit_code == 0
    assert not list(tmp_path.glob(".store.json.*.tmp"))
    print(f"SIGKILL trials: {killed} kills during import, outcomes {outcomes}")


@pytest.mark.slow
def test_concurrent_imports_both_land_and_readers_never_fail(tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    path.write_bytes(BUNDLED.read_bytes())
    rounds = 8
    for r in range(rounds):
        a, b = _big_import(tmp_path, 300, f"a{r}"), _big_import(tmp_path, 300, f"b{r}")
        readers = [_cli("targets", "--store", str(path), "--limit", "1", "--format", "json") for _ in range(2)]
        writers = [_cli("import", str(f), "--store", str(path)) for f in (a, b)]
        for p in writers + readers:
            p.wait()
            assert p.returncode == 0, _errors(p)
    data = json.loads(path.read_text())
    got = [t["id"] for t in data["targets"].values()]
    assert len(got) == len(set(got)) == 7 + rounds * 600
    assert validate(data) == []


@pytest.mark.slow
def test_writers_through_symlinks_share_one_lock_and_kills_lose_nothing(tmp_path: Path) -> None:
    """Importers through two symlinks and the real path at once, with readers, and one of
    them SIGKILLed at a random moment each round: every import lands whole or not at all,
    the links stay links, and no reader fails. ``POLICYQ_TRIAL_ROUNDS`` sets the rounds."""
    real = tmp_path / "real" / "store.json"
    real.parent.mkdir()
    real.write_bytes(BUNDLED.read_bytes())
    names = [tmp_path / "a" / "link.json", tmp_path / "b" / "c" / "link.json", real]
    for link in names[:2]:
        link.parent.mkdir(parents=True)
        link.symlink_to(os.path.relpath(real, link.parent))
    rng = random.Random(20261124)
    rounds = int(os.environ.get("POLICYQ_TRIAL_ROUNDS", "6"))
    landed: dict[str, bool] = {}
    kills = 0
    for r in range(rounds):
        files = [_big_import(tmp_path, 200, f"w{r}x{n}") for n in range(len(names))]
        writers = [_cli("import", str(f), "--store", str(name)) for f, name in zip(files, names, strict=True)]
        readers = [
            _cli("targets", "--store", str(rng.choice(names)), "--limit", "1", "--format", "json") for _ in range(2)
        ]
        victim = rng.randrange(len(writers))
        time.sleep(rng.uniform(0.05, 1.2))
        if writers[victim].poll() is None:
            writers[victim].send_signal(signal.SIGKILL)
            kills += 1
        for n, proc in enumerate(writers):
            proc.wait()
            assert proc.returncode == 0 or (n == victim and proc.returncode == -signal.SIGKILL), _errors(proc)
        for proc in readers:
            assert proc.wait() == 0, _errors(proc)
        data = reading.load_exact(real)
        assert validate(data) == []
        got = {t["id"] for t in data["targets"].values()}
        for n in range(len(names)):
            mine = {f"w{r}x{n}-{i}" for i in range(200)}
            assert mine <= got or not mine & got  # all or nothing
            landed[f"{r}/{n}"] = mine <= got
    assert all(link.is_symlink() for link in names[:2])
    assert sorted(p.name for p in tmp_path.rglob("*.lock")) == ["store.json.lock"]
    assert sum(landed.values()) >= len(landed) - kills
    print(f"symlink trials: {rounds} rounds, {kills} kills, {sum(landed.values())}/{len(landed)} imports landed")
