"""The installed tool, run as a real subprocess: the wheel ships the store, pipes close quietly,
exit codes reach the shell."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def sh(command: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **(env or {})}
    full.pop("POLICYQ_STORE", None)
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=full, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def wheel_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr
    return out


@pytest.mark.slow  # builds and installs a wheel
def test_wheel_ships_the_store_and_answers_from_any_directory(wheel_dir: Path, tmp_path: Path) -> None:
    wheel = next(wheel_dir.glob("policyq-*.whl"))
    assert "policyq/data/policyq.json" in zipfile.ZipFile(wheel).namelist()
    target = tmp_path / "site"
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert installed.returncode == 0, installed.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PYTHONPATH": str(target), "XDG_DATA_HOME": str(tmp_path / "xdg")}
    result = sh(f"{sys.executable} -m policyq parks --in Pudong --format json", elsewhere, env)
    assert result.returncode == 0, result.stderr
    assert {"aisland", "lujiazui-digital-land"} <= {p["id"] for p in json.loads(result.stdout)}
    where = sh(f"{sys.executable} -c 'import policyq.storage.paths as s; print(s.bundled_path())'", elsewhere, env)
    assert where.stdout.strip().startswith(str(target))


def test_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    for fmt in ("tsv", "jsonl", "table"):
        result = sh(
            f"set -o pipefail; {sys.executable} -m policyq indicators --format {fmt} | head -1",
            tmp_path,
            {"XDG_DATA_HOME": str(tmp_path)},
        )
        assert result.returncode == 0, (fmt, result.stderr)
        assert result.stderr == ""
        assert len(result.stdout.splitlines()) == 1


def test_exit_codes_reach_the_shell(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path)}
    py = f"{sys.executable} -m policyq"
    assert sh(f"{py} targets --year 2025 --json", tmp_path, env).returncode == 0
    assert sh(f"{py} targets --year 1999 --json", tmp_path, env).returncode == 1
    assert sh(f"{py} targets --year abc", tmp_path, env).returncode == 2
    assert sh(f"{py} targets --store missing.json", tmp_path, env).returncode == 3
    piped = sh(f"{py} parks --in Zhangjiang | cut -f1", tmp_path, env)
    assert piped.stdout.splitlines() == ["id", "aisland"]


def test_shell_completion_completes_places_metrics_and_fields(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path), "_POLICYQ_COMPLETE": "complete_bash", "COMP_CWORD": "3"}
    py = f"{sys.executable} -m policyq"

    def complete(words: str) -> list[str]:
        result = sh(f"COMP_WORDS='{words}' {py}", tmp_path, {**env, "COMP_CWORD": str(len(words.split()) - 1)})
        return result.stdout.splitlines()

    assert complete("policyq parks --in Pu")[0] == "Pudong\\ New\\ Area"  # escaped: bash inserts it as it is
    assert "output_value" in complete("policyq targets --metric out")
    assert "id,value" in complete("policyq targets --fields id,val")
    assert "targets" in complete("policyq tar")
    zsh = sh(
        f"{py}",
        tmp_path,
        {
            "XDG_DATA_HOME": str(tmp_path),
            "_POLICYQ_COMPLETE": "complete_zsh",
            "_TYPER_COMPLETE_ARGS": "policyq show zhang",
        },
    )
    assert '"zhangjiang"' in zsh.stdout and '"zhangjiang-online"' in zsh.stdout
    assert "aisland" in complete("policyq show AI")[0].casefold()


def test_completion_reads_the_store_named_by_store(tmp_path: Path) -> None:
    data = json.loads((ROOT / "data" / "policyq.json").read_text())
    next(z for z in data["zones"].values() if z["id"] == "aisland")["name"] = "Puzzle Park"
    own = tmp_path / "own.json"
    own.write_text(json.dumps(data))
    env = {
        "XDG_DATA_HOME": str(tmp_path),
        "_POLICYQ_COMPLETE": "complete_bash",
        "COMP_CWORD": "5",
        "COMP_WORDS": f"policyq parks --store {own} --in Puz",
    }
    assert sh(f"{sys.executable} -m policyq", tmp_path, env).stdout.split("\n")[0] == "Puzzle\\ Park"
