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


_SCRIPTS: dict[str, str] = {}  # shell -> the script policyq printed for it, in this process


def completion_script(shell: str, env: dict[str, str], tmp_path: Path) -> Path:
    """The completion script a real policyq prints for ``shell`` (asked once per process: it
    depends on the shell alone), written to a file in ``tmp_path``."""
    if shell not in _SCRIPTS:
        made = subprocess.run(
            ["policyq"], env={**env, "_POLICYQ_COMPLETE": f"source_{shell}"}, capture_output=True, text=True, timeout=60
        )
        assert made.returncode == 0 and made.stdout, made.stderr
        _SCRIPTS[shell] = made.stdout
    path = tmp_path / f"completion.{shell}"
    path.write_text(_SCRIPTS[shell])
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


# --- hostile names, every form of a value, every table ----------------------------------------

HOSTILE = 'Evil "; touch {mark}1; " $(touch {mark}2) `touch {mark}3` it\'s \\ end'


def hostile_store(tmp_path: Path) -> tuple[Path, str]:
    from policyq.storage import layout

    data = json.loads((ROOT / "data" / "policyq.json").read_text())
    name = HOSTILE.format(mark=tmp_path / "ran")
    data["zones"]["3"]["name"] = name
    path = tmp_path / "hostile.json"
    path.write_text(layout.dump_tables(data))
    return path, name


@pytest.mark.parametrize("command", ["show", "cite", "tree", "parks --in"])
@pytest.mark.parametrize("quote", ['"', "'", ""])
def test_bash_inserts_a_hostile_name_as_text_after_any_opening_quote(
    tmp_path: Path, bin_dir: Path, command: str, quote: str
) -> None:
    """A name holding $(…), backquotes or '"; …; "' ran as a command when the word being
    completed opened with a quote: readline closes the quote after the reply."""
    path, name = hostile_store(tmp_path)
    env = {**shell_env(tmp_path, bin_dir), "POLICYQ_STORE": str(path)}
    script = completion_script("bash", env, tmp_path)
    typed = quote + "Evil"
    words = f"policyq {command} {shlex.quote(typed)}"
    closing = {'"': '\\"', "'": "'"}.get(quote, "")  # the quotes readline puts around the reply
    program = f"""
        source {script}
        COMP_WORDS=({words}); COMP_CWORD={len(words.split()) - 1}
        _policyq_completion policyq
        [ ${{#COMPREPLY[@]}} -eq 1 ] || exit 9
        eval "printf '%s\\n' {closing}${{COMPREPLY[0]}}{closing}"
    """
    result = subprocess.run(["bash", "--norc", "-c", program], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == name + "\n"
    assert not list(tmp_path.glob("ran*")), "the completion ran a command"


def bash_words(tmp_path: Path, words: list[str], **env: str) -> list[str]:
    """Completion as bash asks for it: COMP_WORDS as bash split the line (it splits at '=')."""
    result = ask_completion(
        tmp_path,
        _POLICYQ_COMPLETE="complete_bash",
        COMP_WORDS=" ".join(words),
        COMP_CWORD=str(len(words) - 1),
        **env,
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result
    return result.stdout.splitlines()


def test_option_equals_value_completes_in_every_shell(tmp_path: Path) -> None:
    """`--in=Pu` completed nothing anywhere."""
    assert bash_words(tmp_path, ["policyq", "parks", "--in", "=", "Inter"]) == [IDE_PARK.replace(" ", "\\ ")]
    assert bash_words(tmp_path, ["policyq", "targets", "--sector", "=", "art"]) == ["artificial\\ intelligence"]
    assert bash_words(tmp_path, ["policyq", "parks", "--in", "="])[:1] == ["=China"]  # replaces bash's '=' word
    fish = {"_POLICYQ_COMPLETE": "complete_fish", "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    got = ask_completion(tmp_path, _TYPER_COMPLETE_ARGS="policyq parks --in=Inter", **fish)
    assert got.stdout.splitlines() == [f"--in={IDE_PARK}"]
    zsh = ask_completion(tmp_path, _POLICYQ_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS="policyq parks --in=Inter")
    assert zsh.stdout.strip() == f"_arguments '*: :((\"--in={IDE_PARK}\"))'"


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_go_on_after_an_escaped_space_or_in_a_quote(tmp_path: Path, shell: str) -> None:
    """`--in Pudong\\ ` + TAB gave nothing in zsh and fish."""
    extra = {"_TYPER_COMPLETE_FISH_ACTION": "get-args"} if shell == "fish" else {}
    for typed in ("International\\ ", "International\\ Data\\ E", '"International Data', "'International "):
        line = f"policyq parks --in {typed}"
        got = ask_completion(tmp_path, _POLICYQ_COMPLETE=f"complete_{shell}", _TYPER_COMPLETE_ARGS=line, **extra)
        assert IDE_PARK in got.stdout, (typed, got)


@pytest.mark.full_store
def test_show_and_cite_complete_the_ids_of_every_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """target, indicator and source ids never completed for show and cite. The first id of each
    table is asked of a real process, for both commands; every id is asked of the same answer()
    in this one, for show (cite completes with the same function)."""
    data = json.loads((ROOT / "data" / "policyq.json").read_text())
    for table in ("sources", "targets", "indicators", "zones"):
        docs = list(data[table].values())
        if table == "zones":  # the places of the documents, and one division in fifty of the rest
            docs = [z for n, z in enumerate(docs) if z["sources"] != ["gb2260-divisions"] or n % 50 == 0]
        for n, record in enumerate(docs):
            rid = record["id"]
            for command in ("show", "cite") if n == 0 else ("show",):
                words = ["policyq", command, rid[:-1]]
                if n == 0:
                    assert rid in bash_words(tmp_path, words), (command, rid)
                env = {"_POLICYQ_COMPLETE": "complete_bash", "COMP_WORDS": " ".join(words), "COMP_CWORD": "2"}
                assert complete.answer(env) == 0, (command, rid)
                assert rid in capsys.readouterr().out.splitlines(), (command, rid)


def test_a_hostile_store_completes_nothing_and_prints_no_traceback(tmp_path: Path) -> None:
    """`aliases: 5` gave a TypeError traceback, a 100k-deep array a RecursionError."""
    from policyq.storage import layout

    data = json.loads((ROOT / "data" / "policyq.json").read_text())
    data["zones"]["2"]["aliases"] = 5
    data["zones"]["4"]["sectors"] = 7
    odd = tmp_path / "odd.json"
    odd.write_text(layout.dump_tables(data))
    deep = tmp_path / "deep.json"
    deep.write_text('{"zones": {"1": ' + "[" * 100_000 + "]" * 100_000 + "}}")
    for path in (odd, deep):
        for words in (["--in", "Pu"], ["--sector", "a"], ["--source", "p"]):
            bash_words(tmp_path, ["policyq", "targets", "--store", str(path), *words])  # asserts no traceback
        bash_words(tmp_path, ["policyq", "show", "--store", str(path), "P"])
    assert "Pudong\\ New\\ Area" in bash_words(tmp_path, ["policyq", "parks", "--store", str(odd), "--in", "Pu"])


def test_a_store_of_two_mib_or_more_still_offers_its_places(tmp_path: Path) -> None:
    """read_tables stopped after `sources` on a large store: no place at all."""
    from policyq.storage import layout

    data = json.loads((ROOT / "data" / "policyq.json").read_text())
    data["sources"]["1"]["note"] = "x" * (complete.BIG + 1024)
    big = tmp_path / "big.json"
    big.write_text(layout.dump_tables(data))
    assert big.stat().st_size >= complete.BIG
    assert bash_words(tmp_path, ["policyq", "parks", "--store", str(big), "--in", "Inter"]) == [
        IDE_PARK.replace(" ", "\\ ")
    ]
    ids = bash_words(tmp_path, ["policyq", "show", "--store", str(big), "shanghai-robot"])
    assert "shanghai-robot-density" in ids


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_the_named_shells_script(tmp_path: Path, bin_dir: Path, shell: str) -> None:
    """For packagers: `--show-completion zsh` from bash printed the bash script."""
    env = {**shell_env(tmp_path, bin_dir), "SHELL": "/bin/bash"}
    expected = completion_script(shell, env, tmp_path).read_text()
    for args in (["completion", shell], ["--show-completion", shell]):
        made = subprocess.run(["policyq", *args], env=env, capture_output=True, text=True, timeout=60)
        assert made.returncode == 0 and made.stdout.strip() == expected.strip(), (args, made.stderr)


def test_completion_of_a_shell_it_does_not_know_names_those_it_does(tmp_path: Path, bin_dir: Path) -> None:
    env = {**shell_env(tmp_path, bin_dir), "SHELL": "/bin/bash"}
    bad = subprocess.run(["policyq", "completion", "tcsh"], env=env, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "valid shells: bash, zsh, fish" in bad.stderr


def test_record_ids_of_a_large_store_are_found_without_decoding_it(tmp_path: Path) -> None:
    """show/cite on a large store: ids by a search of the bytes, the same as decoding finds."""
    from policyq.storage import layout

    data = json.loads((ROOT / "data" / "policyq.json").read_text())
    data["sources"]["1"]["note"] = 'x {"id": "pudong-fake" ' * (complete.BIG // 20)  # no record line
    big = tmp_path / "big.json"
    big.write_text(layout.dump_tables(data))
    every = [r["id"] for t in ("sources", "zones", "targets", "indicators") for r in data[t].values()]
    for prefix in ("pu", "shanghai-", "gdp", "x", "Pu"):
        found = complete.record_ids(str(big), prefix)
        assert found is not None and sorted(found) == sorted(i for i in every if i.startswith(prefix.lower()))
    assert complete.record_ids(str(big), "") == []
    assert complete.record_ids(str(ROOT / "data" / "policyq.json"), "pu") is None  # small: read whole


# --- one engine: the fast path and Typer's callbacks give the same answers ----------------------

EVERY_KIND = [
    "policyq parks --in Pu",  # places
    "policyq tree Sh",
    "policyq show shanghai-r",  # records: places, then ids
    "policyq cite Inter",
    "policyq targets --sector a",  # sectors
    "policyq targets --metric ",  # metrics of the command's table
    "policyq indicators --metric g",
    "policyq indicators --unit p",  # units
    "policyq zones --kind p",  # kinds
    "policyq targets --format j",  # formats
    "policyq validate --format ",
    "policyq cite aisland --style b",  # styles
    "policyq targets --source l",  # source ids
    "policyq targets --fields id,dead",  # fields, for every kind of listing
    "policyq show aisland --fields na",
    "policyq parks --fields par",
    "policyq search data --fields t",
    "policyq tree --fields d",
    "policyq progress --fields target_i",
    "policyq extract plan.txt --fields sub",
]


def fish_request(line: str) -> dict[str, str]:
    return {
        "_POLICYQ_COMPLETE": "complete_fish",
        "_TYPER_COMPLETE_ARGS": line,
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
    }


@pytest.mark.parametrize("line", EVERY_KIND)
def test_the_fast_path_and_typers_callbacks_give_the_same_answers(
    line: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """fish prints values as they are in both: what the fast path answers before Typer loads
    is what Typer's own callbacks answer (`show … --fields na` disagreed)."""
    from typer.testing import CliRunner

    from policyq.cli import app

    for name, value in fish_request(line).items():
        monkeypatch.setenv(name, value)
    assert complete.answer() == 0, "the fast path did not answer"
    fast = capsys.readouterr().out.splitlines()
    typer_side = CliRunner().invoke(app, [], env=fish_request(line), prog_name="policyq")
    assert typer_side.exit_code == 0, typer_side.output
    assert fast, line
    assert typer_side.output.splitlines() == fast, line


def test_fields_offered_are_the_fields_the_command_takes() -> None:
    """Each completion of --fields is accepted by the command (and --fields ? lists them)."""
    from conftest import run

    for command, prefix in (("show aisland", "na"), ("tree", "d"), ("search data", "t"), ("parks", "")):
        offered = complete.fields(command.split()[0], prefix)
        assert offered, command
        listed = run(*command.split(), "--fields", "?").stdout.split()
        assert set(offered) <= set(listed), (command, offered, listed)


def test_a_relative_xdg_data_home_makes_tab_read_the_store_the_query_reads(tmp_path: Path) -> None:
    """A relative XDG_DATA_HOME is ignored (the XDG rules): the query read ~/.local/share's
    store while TAB read the one under the relative folder."""
    from policyq.storage import layout

    data = json.loads((ROOT / "data" / "policyq.json").read_text())
    aisland = next(z for z in data["zones"].values() if z["id"] == "aisland")
    for where, name in ((tmp_path / "home" / ".local" / "share", "Puzzle Home"), (tmp_path / "rel", "Puzzle Rel")):
        aisland["name"] = name
        (where / "policyq").mkdir(parents=True)
        (where / "policyq" / "policyq.json").write_text(layout.dump_tables(data))
    env = {k: v for k, v in os.environ.items() if k not in ("POLICYQ_STORE", "XDG_DATA_HOME")}
    env.update(HOME=str(tmp_path / "home"), XDG_DATA_HOME="rel")
    words = "policyq parks --in Puzzle"
    tab = {**env, "_POLICYQ_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": "3"}

    def policyq(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        argv = [sys.executable, *args]
        return subprocess.run(argv, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)

    offered = policyq("-m", "policyq", env=tab)
    assert offered.stdout.splitlines() == ["Puzzle\\ Home"], offered
    query = policyq("-m", "policyq", "show", "Puzzle Home", "--json", env=env)
    assert query.returncode == 0 and "aisland" in query.stdout, query
    typer_side = policyq("-c", "from policyq.cli import main; main()", env=tab)
    assert typer_side.stdout.splitlines() == ["Puzzle Home"], typer_side  # Typer's callback: the same store


@pytest.mark.parametrize("order", ["stored", "zones first", "zones last", "zones alone"])
def test_the_tables_beside_the_zones_are_read_as_a_whole_parse_reads_them(order: str) -> None:
    """TAB parses a smaller store without its zones' lines; what it gets is what parsing the
    whole gives, wherever the zones stand, and a file it cannot cut so is parsed whole."""
    from policyq.storage import layout

    data = json.loads((ROOT / "data" / "policyq.json").read_text(encoding="utf-8"))
    names = {"stored": list(data), "zones first": ["zones", "sources", "targets", "indicators"]}
    names |= {"zones last": ["sources", "targets", "indicators", "zones"], "zones alone": ["zones"]}
    raw = layout.dump_tables({t: data[t] for t in names[order]}).encode()
    expected = {t: v for t, v in json.loads(raw).items() if t != "zones"}
    assert complete._without_zones(raw) == expected
    assert complete._without_zones(raw.replace(b"\n", b"\n ")) is None  # not the line layout
    if order != "zones alone":  # cut out, the rest is not JSON
        assert complete._without_zones(raw.replace(b'\n"sources": {\n', b'\n"sources": [\n', 1)) is None
