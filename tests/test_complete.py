"""Shell completion: answered before Typer loads, right for each table, and inserted by real
shells as one word for a multi-word place."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policyq import complete

ROOT = Path(__file__).resolve().parent.parent
IDE_PARK = "International Data Economy Industrial Park"


def ask_completion(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """One completion request, as a shell makes it, to a real policyq process."""
    full = {k: v for k, v in os.environ.items() if k not in ("POLICYQ_STORE", "COMP_WORDS", "_TYPER_COMPLETE_ARGS")}
    full.update(XDG_DATA_HOME=str(tmp_path / "xdg"), **env)
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "policyq"], env=full, capture_output=True, text=True, timeout=60
    )


def bash_request(tmp_path: Path, line: str) -> subprocess.CompletedProcess[str]:
    words = line.split(" ")
    return ask_completion(tmp_path, _POLICYQ_COMPLETE="complete_bash", COMP_WORDS=line, COMP_CWORD=str(len(words) - 1))


def imported(result: subprocess.CompletedProcess[str]) -> set[str]:
    return {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time")}


def test_values_are_answered_before_typer_is_imported(tmp_path: Path) -> None:
    result = bash_request(tmp_path, "policyq parks --in Pu")
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == "Pudong\\ New\\ Area"
    assert "typer" not in imported(result) and "tinydb" not in imported(result)
    commands = bash_request(tmp_path, "policyq tar")  # command names: Typer answers
    assert commands.stdout.split() == ["targets"] and "typer" in imported(commands)


def test_a_fifo_device_or_broken_store_completes_nothing_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    for store in (fifo, Path("/dev/zero"), broken):
        for option in ("--in Pu", "--metric ou", "--sector da"):
            result = bash_request(tmp_path, f"policyq targets --store {store} {option}")  # timeout: 60 s
            assert (result.returncode, result.stdout) == (0, ""), (store, option, result)
            assert "Traceback" not in result.stderr


def test_metric_completion_offers_only_the_tables_metrics(tmp_path: Path) -> None:
    targets = bash_request(tmp_path, "policyq targets --metric ").stdout.split()
    indicators = bash_request(tmp_path, "policyq indicators --metric ").stdout.split()
    assert "data_products" in targets and "gdp" not in targets and "investment" in targets
    assert "gdp" in indicators and "data_products" not in indicators and "robot_density" in indicators
    assert bash_request(tmp_path, "policyq indicators --metric gdp_g").stdout.split() == ["gdp_growth"]


def test_sector_kind_unit_source_and_field_completion(tmp_path: Path) -> None:
    assert bash_request(tmp_path, "policyq targets --sector art").stdout.splitlines() == ["artificial\\ intelligence"]
    assert "smart\\ chips" in bash_request(tmp_path, "policyq zones --sector sm").stdout.splitlines()
    assert bash_request(tmp_path, "policyq zones --kind pilot_").stdout.split() == ["pilot_zone", "pilot_area"]
    assert bash_request(tmp_path, "policyq indicators --unit per").stdout.split() == ["percent", "per_10k_people"]
    assert bash_request(tmp_path, "policyq targets --source lingang").stdout.split() == ["lingang-data-park-2023"]
    assert "id,established" in bash_request(tmp_path, "policyq show aisland --fields id,est").stdout.split()
    assert "id,deadline" in bash_request(tmp_path, "policyq targets --fields id,dead").stdout.split()


def test_zsh_and_fish_protocols(tmp_path: Path) -> None:
    zsh = ask_completion(tmp_path, _POLICYQ_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS="policyq show Inter")
    assert zsh.stdout.strip() == f"_arguments '*: :((\"{IDE_PARK}\"))'"
    none = ask_completion(tmp_path, _POLICYQ_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS="policyq show Xyz")
    assert none.stdout.strip() == "_files"
    fish = {"_POLICYQ_COMPLETE": "complete_fish", "_TYPER_COMPLETE_ARGS": "policyq parks --in Inter"}
    got = ask_completion(tmp_path, _TYPER_COMPLETE_FISH_ACTION="get-args", **fish)
    assert got.stdout.splitlines() == [IDE_PARK]
    assert ask_completion(tmp_path, _TYPER_COMPLETE_FISH_ACTION="is-args", **fish).returncode == 0


def test_bash_escapes_what_the_shell_would_split_and_keeps_an_opened_quote() -> None:
    assert complete.bash_word("People's Republic of China", "") == "People\\'s\\ Republic\\ of\\ China"
    assert complete.bash_word("张江人工智能岛", "") == "张江人工智能岛"
    assert complete.bash_word(IDE_PARK, "'") == IDE_PARK  # readline closes the quote itself
    assert complete.request(
        {"_POLICYQ_COMPLETE": "complete_bash", "COMP_WORDS": "policyq show 'Inter", "COMP_CWORD": "2"}
    ) == (
        "bash",
        ["show"],
        "Inter",
        "'",
    )


def test_a_large_store_is_read_no_further_than_its_zones(tmp_path: Path) -> None:
    data = json.loads((ROOT / "data" / "policyq.json").read_text())
    zones = "".join(f'"{n}": {json.dumps(z, ensure_ascii=False)},\n' for n, z in data["zones"].items()).rstrip(",\n")
    filler = "x" * (complete.BIG + 1024)  # not JSON: reading it would fail
    text = '{\n"sources": {},\n"zones": {\n' + zones + '\n},\n"targets": {\n"1": ' + filler + "\n}\n}\n"
    big = tmp_path / "big.json"
    big.write_text(text)
    result = bash_request(tmp_path, f"policyq parks --store {big} --in Inter")
    assert result.stdout.splitlines() == ["International\\ Data\\ Economy\\ Industrial\\ Park"]


# --- real shells: type, press TAB, run what was inserted ---------------------------------------


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    """A directory with a `policyq` that runs this checkout with this interpreter."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "policyq"
    script.write_text(f'#!/bin/sh\nexec {sys.executable} -m policyq "$@"\n')
    script.chmod(0o755)
    return folder


def shell_env(tmp_path: Path, bin_dir: Path) -> dict[str, str]:
    return {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "xdg"),
        "TERM": "xterm",
        "PYTHONPATH": str(ROOT),
    }


def completion_script(shell: str, env: dict[str, str], tmp_path: Path) -> Path:
    made = subprocess.run(
        ["policyq"], env={**env, "_POLICYQ_COMPLETE": f"source_{shell}"}, capture_output=True, text=True, timeout=60
    )
    path = tmp_path / f"completion.{shell}"
    path.write_text(made.stdout)
    return path


@pytest.mark.parametrize("typed", ["Inter", "'Inter", '"Inter'])
def test_bash_completes_a_multi_word_place_into_one_argument(tmp_path: Path, bin_dir: Path, typed: str) -> None:
    """bash runs the completion function, and the reply, inserted where the word was typed
    (after an opening quote, which readline then closes), is one argument naming the place."""
    env = shell_env(tmp_path, bin_dir)
    script = completion_script("bash", env, tmp_path)
    quote = {"'": "'", '"': '\\"'}.get(typed[0], "")  # as it stands inside the double quotes below
    program = f"""
        source {script}
        COMP_WORDS=(policyq show {shlex.quote(typed)}); COMP_CWORD=2  # each word as typed, quotes and all
        _policyq_completion policyq
        [ ${{#COMPREPLY[@]}} -eq 1 ] || exit 9
        eval "policyq show {quote}${{COMPREPLY[0]}}{quote} --json"
    """
    result = subprocess.run(["bash", "--norc", "-c", program], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["record"]["id"] == "international-data-economy-park"


SHELLS = {
    "bash": ("bash --norc --noprofile", "source {script}"),
    "zsh": ("zsh -f", "autoload -Uz compinit && compinit -u -D && source {script}"),
    "fish": ("fish --no-config", "source {script}"),
}


@pytest.mark.slow
@pytest.mark.parametrize("shell", list(SHELLS))
@pytest.mark.parametrize("typed", ["Inter", "'Inter"])
def test_interactive_shell_inserts_a_multi_word_place_as_one_word(
    tmp_path: Path, bin_dir: Path, shell: str, typed: str
) -> None:
    """In a terminal: type `policyq show Inter`, press TAB, run the line."""
    if not shutil.which("tmux") or not shutil.which(shell):
        pytest.skip(f"needs tmux and {shell}")
    env = shell_env(tmp_path, bin_dir)
    script = completion_script(shell, env, tmp_path)
    command, setup = SHELLS[shell]
    out, done = tmp_path / "out.json", tmp_path / "done"
    session = f"policyq-test-{os.getpid()}-{shell}"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "200", "-y", "20", command], env=env, check=True)
    try:
        keys = [setup.format(script=script), "Enter", f"policyq show {typed}", "Tab"]
        keys += [f" --json > {out}; echo ok > {done}", "Enter"]
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", session, key], check=True)
            time.sleep(0.3)
        deadline = time.monotonic() + 30
        while not done.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False)
    assert done.exists(), screen
    assert json.loads(out.read_text())["record"]["id"] == "international-data-economy-park", screen
