"""Nothing in a store or an import file can hurt the user: symlinks, control characters,
CSV formulas, numbers too large to keep, deep nesting, FIFOs and devices, invalid stores.

Each numbered section is one class of attack; every outcome is a result or one line on
stderr with a documented exit code, and a store is never lost, torn or silently changed.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import BUNDLED, SEED, records, run, sample

from policyq.storage import files, layout, reading

TARGET = sample("targets", id="hard-target-2030")
CONTROL = "T\x1b]0;pwned\x07X\x1b[2J"  # sets the window title, then clears the screen
RAW_CONTROLS = ("\x1b", "\x07", "\x9b", "\x00", "\x7f")
SCRIPT = Path(sys.executable).parent / "policyq"  # the installed console script


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def bundled() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SEED.read_text(encoding="utf-8"))
    return data


def hand_made(path: Path, change: Any = None, text: str | None = None) -> Path:
    """A store written without policyq's checks, as a hostile or careless hand would."""
    data = bundled()
    if change:
        change(data)
    path.write_text(text if text is not None else layout.dump_tables(data), encoding="utf-8")
    return path


def one_line_error(result: Any, code: int) -> None:
    assert result.exit_code == code, result
    assert result.stderr.startswith("policyq: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr


def cli(*args: str, env: dict[str, str] | None = None, timeout: float = 60, **kw: Any) -> subprocess.CompletedProcess:
    """The installed ``policyq`` command in a real process."""
    full = {k: v for k, v in os.environ.items() if k != "POLICYQ_STORE"}
    full.update(env or {})
    return subprocess.run([str(SCRIPT), *args], capture_output=True, env=full, timeout=timeout, **kw)


def no_raw_controls(text: str) -> bool:
    return not any(c in text for c in RAW_CONTROLS)


# --- 1. symlinks --------------------------------------------------------------------------------


@pytest.mark.parametrize("via", ["--store", "POLICYQ_STORE", "user store"])
def test_1_writes_through_a_symlink_change_the_real_store_and_keep_the_link(tmp_path: Path, via: str) -> None:
    real = tmp_path / "real" / "store.json"
    real.parent.mkdir()
    shutil.copyfile(SEED, real)  # what init writes in these tests (conftest)
    link = tmp_path / "xdg" / "policyq" / "policyq.json" if via == "user store" else tmp_path / "link.json"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(os.path.relpath(real, link.parent))
    args = ("--store", str(link)) if via == "--store" else ()
    env = {"POLICYQ_STORE": str(link)} if via == "POLICYQ_STORE" else None
    file = write_json(tmp_path / "one.json", {"targets": [TARGET]})

    assert run("import", str(file), *args, env=env).exit_code == 0
    assert run("remove", "aisland-area", *args, env=env).exit_code == 0
    assert link.is_symlink() and link.resolve() == real.resolve()
    ids = [r["id"] for t in ("targets", "indicators") for r in json.loads(real.read_text())[t].values()]
    assert "hard-target-2030" in ids and "aisland-area" not in ids
    assert (real.parent / "store.json.lock").exists() and not Path(
        f"{link}.lock"
    ).exists()  # one lock, beside the target
    assert not [p for p in tmp_path.rglob("*.tmp")]
    force = run("init", str(link), "--force")
    assert force.exit_code == 0 and link.is_symlink() and real.read_bytes() == SEED.read_bytes()


def test_1_a_symlink_and_its_target_share_one_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from filelock import FileLock

    real = tmp_path / "store.json"
    shutil.copyfile(SEED, real)
    (tmp_path / "link.json").symlink_to("store.json")
    monkeypatch.setattr(files, "LOCK_TIMEOUT", 0.3)
    file = write_json(tmp_path / "one.json", {"targets": [TARGET]})
    with FileLock(f"{real}.lock"):  # a writer busy with the real file
        result = run("import", str(file), "--store", str(tmp_path / "link.json"))
    one_line_error(result, 3)
    assert "locked by another writer" in result.stderr and real.read_bytes() == SEED.read_bytes()


# --- 2. control characters ------------------------------------------------------------------------


def _zone(**fields: Any) -> dict[str, Any]:
    return {"id": "hard-zone", "name": "Hard zone", "kind": "park", "parent": "pudong", **fields}


@pytest.mark.parametrize(
    ("table", "record", "field"),
    [
        ("zones", _zone(name=CONTROL), "name"),
        ("zones", _zone(aliases=["ok", "bad\x9b2J"]), "aliases"),
        ("zones", _zone(note="line\x1b[31m red"), "note"),
        ("zones", _zone(name="evil\u202etxt.exe"), "name"),
        ("zones", _zone(name="carriage\rreturn"), "name"),
        ("zones", _zone(name="two\nlines"), "name"),
        ("zones", _zone(designations=[{"title": "t\x07", "source": "pudong-industrial-system-2022"}]), "title"),
        ("targets", dict(TARGET, metric_label="del\x7f"), "metric_label"),
        ("targets", dict(TARGET, note="nul\x00"), "note"),
    ],
)
def test_2_control_characters_are_refused_on_import(
    user_store: Path, tmp_path: Path, table: str, record: dict[str, Any], field: str
) -> None:
    before = user_store.read_bytes()
    file = write_json(tmp_path / "in.json", {table: [record]})
    for extra in ((), ("--dry-run",)):
        result = run("import", str(file), "--store", str(user_store), *extra)
        assert result.exit_code == 2, result
        assert "character U+" in result.stderr and field in result.stderr
        assert no_raw_controls(result.stderr + result.stdout) and "\u202e" not in result.stderr
    assert user_store.read_bytes() == before


def test_2_notes_may_hold_line_breaks_and_tabs(user_store: Path, tmp_path: Path) -> None:
    note = "first line\n\tindented second line"
    file = write_json(tmp_path / "in.json", {"targets": [dict(TARGET, note=note)]})
    assert run("import", str(file), "--store", str(user_store)).exit_code == 0
    shown = run("show", "hard-target-2030", "--store", str(user_store), "--json").json()
    assert shown["record"]["note"] == note


def test_2_outputs_and_errors_never_send_control_characters(tmp_path: Path) -> None:
    def poison(data: dict[str, Any]) -> None:
        data["zones"]["3"]["name"] = CONTROL
        data["targets"]["1"]["note"] = "note \x1b[2J\x9b with controls"

    path = hand_made(tmp_path / "s.json", poison)
    zone_id = bundled()["zones"]["3"]["id"]
    s = ("--store", str(path))
    commands = [
        ("zones", "--format", "table"),
        ("zones", "--format", "tsv"),
        ("zones", "--format", "csv"),
        ("targets", "--format", "table", "--fields", "id,note"),
        ("targets", "--format", "tsv", "--fields", "id,note"),
        ("targets", "--format", "csv", "--fields", "id,note"),
        ("search", "pwned"),
        ("search", "pwned", "--format", "table"),
        ("show", zone_id),
        ("show", zone_id, "--format", "tsv"),
    ]
    for args in commands:
        result = run(*args, *s)
        assert result.exit_code == 0, (args, result)
        assert no_raw_controls(result.stdout + result.stderr), (args, result)
        assert "pwned" in result.stdout or "2J" in result.stdout, args
    for args in (("show", "\x1b]0;x\x07"), ("parks", "--in", "Pudng\x1b[2J"), ("zones", "--kind", "\x9b1m")):
        result = run(*args, *s)
        one_line_error(result, 2)
        assert no_raw_controls(result.stderr), (args, result.stderr)
    assert "did you mean" in run("parks", "--in", "Pudng\x1b[2J", *s).stderr
    problems = run("validate", str(path))
    assert problems.exit_code == 3 and no_raw_controls(problems.stdout + problems.stderr)
    assert "control character U+001B" in problems.stdout


# --- 3. CSV ----------------------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "=1+1"]


def test_3_csv_quotes_line_breaks_ends_rows_with_crlf_and_round_trips(tmp_path: Path) -> None:
    def breaks(data: dict[str, Any]) -> None:
        data["targets"]["1"]["note"] = "carriage\rreturn"
        data["targets"]["2"]["note"] = 'two\nlines, and a "quote"'
        data["targets"]["3"]["note"] = "crlf\r\ninside"

    path = hand_made(tmp_path / "s.json", breaks)
    out = cli("targets", "--format", "csv", "--store", str(path))  # a real process: CliRunner folds CRLF
    assert out.returncode == 0
    raw = out.stdout.decode("utf-8")
    assert raw.endswith("\r\n") and raw.count("\r\n") >= len(bundled()["targets"]) + 1
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    assert len(rows) == len(bundled()["targets"]) + 1 and {len(r) for r in rows} == {len(rows[0])}
    notes = {r[0]: r[rows[0].index("note")] for r in rows[1:]}
    assert notes[bundled()["targets"]["1"]["id"]] == "carriage\rreturn"
    assert notes[bundled()["targets"]["3"]["id"]] == "crlf\r\ninside"


def test_3_csv_export_imports_back_unchanged(tmp_path: Path) -> None:
    formulas = [dict(TARGET, id=f"formula-{n}", note=f, metric_label=f) for n, f in enumerate(FORMULAS)]
    mine = tmp_path / "mine.json"
    shutil.copyfile(SEED, mine)
    assert (
        run("import", str(write_json(tmp_path / "f.json", {"targets": formulas})), "--store", str(mine)).exit_code == 0
    )
    exported = tmp_path / "targets.csv"
    exported.write_bytes(run("targets", "--format", "csv", "--store", str(mine)).stdout.encode())
    again = tmp_path / "again.json"
    shutil.copyfile(SEED, again)
    imported = run("import", str(exported), "--table", "targets", "--replace", "--store", str(again))
    assert imported.exit_code == 0, imported
    assert json.loads(again.read_text())["targets"] == json.loads(mine.read_text())["targets"]


def test_3_csv_safe_defuses_formula_cells_and_keeps_numbers(tmp_path: Path) -> None:
    formulas = [dict(TARGET, id=f"formula-{n}", note=f, value=-5 + n) for n, f in enumerate(FORMULAS)]
    mine = tmp_path / "mine.json"
    shutil.copyfile(SEED, mine)
    assert (
        run("import", str(write_json(tmp_path / "f.json", {"targets": formulas})), "--store", str(mine)).exit_code == 0
    )
    s = ("--store", str(mine), "--format", "csv", "--fields", "id,value,note")
    plain = list(csv.reader(io.StringIO(run("targets", *s).stdout, newline="")))
    safe = list(csv.reader(io.StringIO(run("targets", *s, "--csv-safe").stdout, newline="")))
    plain_notes = {r[0]: r[2] for r in plain[1:]}
    safe_rows = {r[0]: r for r in safe[1:]}
    for n, formula in enumerate(FORMULAS):
        assert plain_notes[f"formula-{n}"] == formula  # by default the data round-trips
        assert safe_rows[f"formula-{n}"][2] == "'" + formula
        assert safe_rows[f"formula-{n}"][1] == str(-5 + n)  # a negative number is not a formula
    shown = run("show", "formula-0", "--store", str(mine), "--format", "csv", "--csv-safe")
    assert "'=HYPERLINK" in shown.stdout
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "--csv-safe" in readme and "formula" in readme


# --- 4. no tracebacks -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", [10**309, -(10**400), 2**53 + 1, 12345678901234567890123], ids=["1e309", "-1e400", "2^53+1", "1.2e22"]
)
def test_4_integers_too_large_to_keep_are_refused_not_a_traceback(user_store: Path, tmp_path: Path, value: int) -> None:
    file = tmp_path / "in.json"
    file.write_text(json.dumps({"targets": [dict(TARGET, value=value)]}))
    before = user_store.read_bytes()
    for extra in ((), ("--dry-run",)):
        result = run("import", str(file), "--store", str(user_store), *extra)
        assert result.exit_code == 2 and "value" in result.stderr and "too large to keep exactly" in result.stderr
        assert "Traceback" not in result.stderr
    assert user_store.read_bytes() == before
    path = hand_made(tmp_path / "big.json", lambda d: d["targets"]["1"].update(value=value))
    checked = run("validate", str(path))
    assert checked.exit_code == 3 and "too large to keep exactly" in checked.stdout
    for fmt in ("table", "json", "csv"):
        shown = run("targets", "--format", fmt, "--store", str(path))
        assert shown.exit_code in (0, 3) and "Traceback" not in shown.stderr
        assert "invalid" in shown.stderr or "cannot finish" in shown.stderr


def test_4_deep_nesting_is_one_line_not_a_traceback(user_store: Path, tmp_path: Path) -> None:
    deep = "[" * 3000 + "]" * 3000
    cases = {
        "file.json": ('{"targets": [' + deep + "]}", ()),
        "line.jsonl": (deep + "\n", ("--table", "targets")),
        "record.json": (json.dumps({"targets": [dict(TARGET, note=json.loads("[" * 20 + "]" * 20))]}), ()),
    }
    before = user_store.read_bytes()
    for name, (text, extra) in cases.items():
        (tmp_path / name).write_text(text)
        result = run("import", str(tmp_path / name), "--store", str(user_store), *extra)
        one_line_error(result, 2)
        assert "deep" in result.stderr, result.stderr
    assert user_store.read_bytes() == before
    (tmp_path / "deep-store.json").write_text('{"zones": {"1": {"id": ' + deep + "}}}")
    for args in (
        ("zones", "--store", str(tmp_path / "deep-store.json")),
        ("validate", str(tmp_path / "deep-store.json")),
    ):
        one_line_error(run(*args), 3)


def test_4_a_lone_surrogate_is_refused_by_the_dry_run_and_the_import_alike(user_store: Path, tmp_path: Path) -> None:
    file = tmp_path / "in.json"
    file.write_text(json.dumps({"targets": [dict(TARGET, metric_label="half \ud800 a character")]}))
    before = user_store.read_bytes()
    dry = run("import", str(file), "--store", str(user_store), "--dry-run")
    real = run("import", str(file), "--store", str(user_store))
    for result in (dry, real):
        assert result.exit_code == 2 and "lone surrogate" in result.stderr and "Traceback" not in result.stderr
    assert user_store.read_bytes() == before
    # a store written by hand may hold one: JSON output keeps it (as an escape), with a warning
    data = bundled()
    data["zones"]["3"]["name"] = "half \ud800 a character"
    path = write_json(tmp_path / "s.json", data)  # as a \\ud800 escape: no UTF-8 file holds it raw
    for fmt in ("json", "tsv", "table"):
        shown = cli("show", bundled()["zones"]["3"]["id"], "--store", str(path), "--format", fmt)
        assert shown.returncode == 0 and shown.stderr.count(b"\n") == 1 and b"lone surrogate" in shown.stderr
        shown.stdout.decode("utf-8")  # valid UTF-8 whatever the store holds
    shown = cli("show", bundled()["zones"]["3"]["id"], "--store", str(path), "--format", "json")
    assert json.loads(shown.stdout)["record"]["name"] == "half \ud800 a character"


def _without_dac_override() -> list[str] | None:
    """A command prefix under which folder permissions apply (root ignores them)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None or subprocess.run([setpriv, "--bounding-set=-dac_override", "true"]).returncode != 0:
        return None
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


@pytest.mark.parametrize("locked", ["HOME", "XDG_DATA_HOME"])
def test_4_a_home_folder_one_may_not_enter_leaves_the_bundled_store(tmp_path: Path, locked: str) -> None:
    prefix = _without_dac_override()
    if prefix is None:
        pytest.skip("needs setpriv to drop root's permission override")
    shut = tmp_path / "shut"
    shut.mkdir()
    shut.chmod(0)
    env = {k: v for k, v in os.environ.items() if k != "POLICYQ_STORE"}
    env.update({"HOME": str(shut), "XDG_DATA_HOME": ""} if locked == "HOME" else {"XDG_DATA_HOME": str(shut / "x")})
    try:

        def policyq(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run([*prefix, str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=60)

        parks = policyq("parks", "--in", "Pudong", "--format", "tsv")
        assert parks.returncode == 0 and "aisland" in parks.stdout, parks.stderr
        assert parks.stderr.count("\n") == 1 and "bundled store" in parks.stderr
        imported = policyq("import", str(write_json(tmp_path / "one.json", {"targets": [TARGET]})))
        assert (
            imported.returncode == 3 and imported.stderr.startswith("policyq: ") and "Traceback" not in imported.stderr
        )
    finally:
        shut.chmod(0o700)


def test_4_a_store_path_that_is_not_utf8_is_named_not_a_traceback(tmp_path: Path) -> None:
    env = {"PYTHONIOENCODING": "utf-8", "XDG_DATA_HOME": str(tmp_path / "xdg")}
    folder = os.fsencode(tmp_path)
    missing = cli("zones", "--store", os.fsdecode(folder + b"/\xff.json"), env=env)
    assert missing.returncode == 3 and missing.stderr.count(b"\n") == 1 and b"Traceback" not in missing.stderr
    made = cli("init", os.fsdecode(folder + b"/\xfe.json"), env=env)
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == folder + b"/\xfe.json"  # the path's own bytes, usable by a script
    checked = cli("validate", os.fsdecode(folder + b"/\xfe.json"), env=env)
    assert checked.returncode == 0 and folder + b"/\xfe.json" in checked.stdout


@pytest.mark.slow  # nine processes, each given 30 s to prove it does not hang
def test_4_a_device_as_store_is_refused_at_once() -> None:
    for device in ("/dev/zero", "/dev/urandom", "/dev/null"):
        if not os.path.exists(device):
            continue
        for args in (("zones",), ("validate",), ("import", str(SEED))):
            result = cli(*args, "--store", device, timeout=30)
            assert result.returncode == 3 and b"device" in result.stderr and result.stderr.count(b"\n") == 1


@pytest.mark.slow  # timing-sensitive: run alone, not among the parallel everyday tests
def test_4_ctrl_c_during_start_up_ends_quietly_with_130(tmp_path: Path) -> None:
    """A real SIGINT delivered while the command line is still being imported."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(
        textwrap.dedent(
            """
            import os, signal, sys

            class InterruptOnImport:
                def find_spec(self, name, path=None, target=None):
                    if name == os.environ.get("INTERRUPT_AT"):
                        os.kill(os.getpid(), signal.SIGINT)
                    return None

            sys.meta_path.insert(0, InterruptOnImport())
            """
        )
    )
    for module in ("typer", "policyq.cli", "policyq.api", "policyq.env"):
        result = cli("zones", env={"PYTHONPATH": str(hooks), "INTERRUPT_AT": module})
        assert result.returncode == 130, (module, result.stderr)
        assert result.stderr.strip() == b"", (module, result.stderr)


# --- 5. exact figures ---------------------------------------------------------------------------------


def test_5_csv_integers_are_kept_exactly_or_refused(user_store: Path, tmp_path: Path) -> None:
    header = "id,subject,metric,metric_label,family,comparator,value,unit,year,deadline,source\n"
    row = "{id},pudong,output_value,x,output,>,{value},CNY,2030,2030,pudong-industrial-system-2022\n"
    exact = tmp_path / "exact.csv"
    exact.write_text(header + row.format(id="exact", value="9007199254740991"))
    assert run("import", str(exact), "--table", "targets", "--store", str(user_store)).exit_code == 0
    stored = {r["id"]: r["value"] for r in json.loads(user_store.read_text())["targets"].values()}
    assert stored["exact"] == 9007199254740991 and type(stored["exact"]) is int
    before = user_store.read_bytes()
    for value in ("123456789012345678", "9007199254740993", '"1,234,567,890,123,456,789"'):
        big = tmp_path / "big.csv"
        big.write_text(header + row.format(id="big", value=value))
        result = run("import", str(big), "--table", "targets", "--store", str(user_store))
        assert result.exit_code == 2 and "too large to keep exactly" in result.stderr, (value, result)
    assert user_store.read_bytes() == before


@pytest.mark.parametrize("large", [False, True], ids=["json", "orjson"])
def test_5_a_store_holding_a_long_integer_is_never_rewritten_as_a_float(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, large: bool
) -> None:
    path = hand_made(tmp_path / "s.json", lambda d: d["indicators"]["1"].update(value=12345678901234567890123))
    before = path.read_bytes()
    if large:
        monkeypatch.setattr(reading, "STREAM_MIN_BYTES", 0)  # read through orjson, as a large store is
    result = run("import", str(write_json(tmp_path / "one.json", {"targets": [TARGET]})), "--store", str(path))
    one_line_error(result, 3)
    assert "too large to keep exactly" in result.stderr
    assert path.read_bytes() == before


# --- 6. temporary files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["s.json", "[a].json", "we*ird?.json"])
def test_6_a_writer_removes_its_own_stale_temp_files_and_no_one_elses(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    shutil.copyfile(SEED, path)
    own = tmp_path / f".{name}.0123456789abcdef.tmp"
    others = [
        tmp_path / f".{name}.bak.0123456789abcdef.tmp",  # the store '{name}.bak'
        tmp_path / f".{name}.bak.k2j4h5g6.tmp",
        tmp_path / f".x{name}.0123456789abcdef.tmp",
        tmp_path / f".{name}.0123456789abcdef.tmp.keep",
    ]
    for f in [own, *others]:
        f.write_text("someone's half-written store")
    assert (
        run("import", str(write_json(tmp_path / "one.json", {"targets": [TARGET]})), "--store", str(path)).exit_code
        == 0
    )
    assert not own.exists()
    assert all(f.exists() for f in others)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(f".{name}.") and p not in others]


# --- 7. hangs ----------------------------------------------------------------------------------------------


@pytest.mark.slow  # eleven processes, each given 30 s to prove it does not hang
def test_7_a_fifo_or_socket_as_store_is_refused_at_once_and_the_lock_is_free(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    sock_path = tmp_path / "sock.json"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    try:
        for path, kind in ((fifo, b"FIFO"), (sock_path, b"socket")):
            for args in (("zones",), ("show", "pudong"), ("import", str(SEED)), ("remove", "x")):
                result = cli(*args, "--store", str(path), timeout=30)
                assert result.returncode == 3 and kind in result.stderr and result.stderr.count(b"\n") == 1, result
            checked = cli("validate", str(path), timeout=30)
            assert checked.returncode == 3 and kind in checked.stderr
        refused = cli("init", str(fifo), "--force", timeout=30)
        assert refused.returncode == 3 and stat.S_ISFIFO(fifo.stat().st_mode)  # never replaced
    finally:
        sock.close()


def test_7_stores_over_the_size_limit_are_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as fh:
        fh.truncate(3 * 2**20)  # 3 MB of nothing (sparse)
    for args in (
        ("zones", "--store", str(path)),
        ("validate", str(path)),
        ("import", str(SEED), "--store", str(path)),
    ):
        result = run(*args, env={"POLICYQ_MAX_STORE_MB": "2"})
        one_line_error(result, 3)
        assert "over the 2 MB limit" in result.stderr and "POLICYQ_MAX_STORE_MB" in result.stderr
    with path.open("wb") as fh:
        fh.truncate(2 * 2**30)  # 2 GB (sparse): over the default limit of 1024 MB
    default = run("targets", env={"POLICYQ_STORE": str(path)})
    one_line_error(default, 3)
    assert "over the 1,024 MB limit" in default.stderr
    big_input = run("import", str(path), "--store", str(SEED), env={"POLICYQ_MAX_STORE_MB": "2"})
    one_line_error(big_input, 2)
    bad = run("zones", env={"POLICYQ_MAX_STORE_MB": "lots"})
    one_line_error(bad, 2)
    assert "POLICYQ_MAX_STORE_MB" in bad.stderr


def test_7_a_waiting_writer_says_so_and_says_again_when_it_gives_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.json"
    shutil.copyfile(SEED, path)
    hold = f"import filelock,time; lock = filelock.FileLock({str(path) + '.lock'!r}); lock.acquire(); "
    holder = subprocess.Popen(
        [sys.executable, "-c", hold + "print('held', flush=True); time.sleep(60)"], stdout=subprocess.PIPE
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        monkeypatch.setattr(files, "LOCK_NOTICE_AFTER", 0.2)
        monkeypatch.setattr(files, "LOCK_TIMEOUT", 1.0)
        result = run("import", str(write_json(tmp_path / "one.json", {"targets": [TARGET]})), "--store", str(path))
    finally:
        holder.kill()
        holder.wait()
    lines = result.stderr.splitlines()
    assert result.exit_code == 3 and len(lines) == 2, result
    assert lines[0].startswith("policyq: waiting for another writer") and str(path) in lines[0]
    assert lines[1].startswith(f"policyq: store {path} is still locked by another writer after 1 s")
    assert path.read_bytes() == SEED.read_bytes()


# --- 8. invalid stores, permissions ------------------------------------------------------------------------


def test_8_queries_on_an_invalid_store_warn_once(tmp_path: Path) -> None:
    def spoil(data: dict[str, Any]) -> None:
        for doc in data["targets"].values():
            doc["subject"] = "atlantis"

    path = hand_made(tmp_path / "s.json", spoil)
    for args in (("targets", "--json"), ("show", bundled()["targets"]["1"]["id"], "--json")):
        result = run(*args, "--store", str(path))
        assert result.exit_code == 0
        warnings = result.stderr.splitlines()
        assert len(warnings) == 1 and "is invalid" in warnings[0] and "no zone with id 'atlantis'" in warnings[0]
    assert run("targets", "--json").stderr == ""  # the bundled store is valid: no warning


@pytest.mark.parametrize(
    "args",
    [("zones",), ("parks", "--in", "Pudong"), ("targets",), ("indicators",), ("sources",), ("show", "aisland"),
     ("show", "qingdao-gdp-2018"), ("ask", "2025 output targets")],
)  # fmt: skip
def test_8_a_valid_user_store_gives_no_warning(user_store: Path, args: tuple[str, ...]) -> None:
    result = run(*args, "--store", str(user_store), "--format", "json")
    assert result.exit_code == 0 and "invalid" not in result.stderr, result.stderr


def test_8_writes_refuse_an_invalid_store_and_leave_it_untouched(tmp_path: Path) -> None:
    path = hand_made(tmp_path / "s.json", lambda d: d["indicators"]["2"].update(comparator="over"))
    before = path.read_bytes()
    file = write_json(tmp_path / "one.json", {"targets": [TARGET]})
    for args in (("remove", "aisland-area"), ("import", str(file)), ("import", str(file), "--dry-run")):
        result = run(*args, "--store", str(path))
        one_line_error(result, 3)
        assert "is invalid" in result.stderr and "comparator" in result.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("spoil", "key"),
    [
        (lambda t: t.replace('{"id": "aisland-area", ', '{"id": "aisland-area", "id": "other", ', 1), "id"),
        (lambda t: t.replace('"targets": {\n', '"targets": {\n"1": {"id": "ghost"},\n', 1), "1"),
        (lambda t: t.replace('\n"indicators": {', '\n"zones": {},\n"indicators": {', 1), "zones"),
    ],
    ids=["field", "document id", "table"],
)
def test_8_duplicate_keys_are_a_problem_not_silently_dropped(tmp_path: Path, spoil: Any, key: str) -> None:
    path = tmp_path / "s.json"
    path.write_text(spoil(SEED.read_text(encoding="utf-8")), encoding="utf-8")
    before = path.read_bytes()
    assert before != SEED.read_bytes()
    file = write_json(tmp_path / "o.json", {"targets": [TARGET]})
    for args in (
        ("validate", str(path)),
        ("import", str(file), "--store", str(path)),
        ("remove", "x", "--store", str(path)),
    ):
        result = run(*args)
        one_line_error(result, 3)
        assert f"holds the key '{key}' twice" in result.stderr, result.stderr
    assert path.read_bytes() == before


@pytest.mark.full_store
def test_8_init_force_says_what_it_replaces(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_bytes(BUNDLED.read_bytes()[:5000])  # a truncated store
    result = run("init", str(path), "--force")
    assert result.exit_code == 0
    assert "replacing" in result.stderr and "not a valid store" in result.stderr and "not valid JSON" in result.stderr
    again = run("init", str(path), "--force")
    assert again.exit_code == 0 and "a valid store of 6 sources, 3235 zones" in again.stderr


@pytest.mark.full_store
def test_8_init_force_never_replaces_the_bundled_store(tmp_path: Path) -> None:
    before = BUNDLED.read_bytes()
    (tmp_path / "link.json").symlink_to(BUNDLED)
    for target in (BUNDLED, tmp_path / "link.json"):
        one_line_error(run("init", str(target), "--force"), 2)
    assert BUNDLED.read_bytes() == before and not list(BUNDLED.parent.glob(".*.tmp"))


def test_8_a_read_only_store_is_refused_and_mode_bits_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    shutil.copyfile(SEED, path)
    file = write_json(tmp_path / "one.json", {"targets": [TARGET]})
    path.chmod(0o444)
    s = ("--store", str(path))
    for args in (("import", str(file), *s), ("remove", "aisland-area", *s), ("init", str(path), "--force")):
        result = run(*args)
        one_line_error(result, 3)
        assert "read-only" in result.stderr
    assert path.read_bytes() == SEED.read_bytes() and stat.S_IMODE(path.stat().st_mode) == 0o444
    for mode in (0o4640, 0o2664, 0o1600):
        path.chmod(mode)
        assert run("import", str(file), "--store", str(path), "--replace").exit_code == 0
        assert stat.S_IMODE(path.stat().st_mode) == mode, oct(path.stat().st_mode)
    if os.geteuid() == 0:  # only root can give a file away: the owner and group stay too
        os.chown(path, 65534, 65534)
        assert run("import", str(file), "--store", str(path), "--replace").exit_code == 0
        assert (path.stat().st_uid, path.stat().st_gid) == (65534, 65534)


# --- 9. second pass: no hang, no super-linear work ------------------------------------------------------


@contextlib.contextmanager
def within(seconds: float) -> Iterator[None]:
    """Fail, rather than wait for ever, when the block takes longer than ``seconds``."""

    def stop(*_: Any) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _long_line_store(path: Path, where: int, length: int) -> Path:
    """The bundled store with one zone's note ``length`` characters long (``where`` indexes the zones)."""
    data = bundled()
    zone = data["zones"][list(data["zones"])[where]]
    zone["note"] = "long words " * (length // 11)
    return hand_made(path, text=layout.dump_tables(data))


@pytest.mark.parametrize("where", [0, 5, -1], ids=["first", "middle", "last"])
def test_9_a_line_longer_than_a_read_is_streamed_not_a_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: int
) -> None:

    monkeypatch.setattr(layout, "CHUNK", 4096)  # a line over a chunk, in a store of any size
    path = _long_line_store(tmp_path / "s.json", where, 20_000)
    env = {"POLICYQ_STREAM_MIN_BYTES": "0"}
    s = ("--store", str(path))
    expected = {r["id"] for r in json.loads(SEED.read_text())["zones"].values()}
    with within(20):
        assert {r["id"] for r in json.loads(run("zones", *s, "--json", env=env).stdout)} == expected
        for args in (("zones", "--in", "pudong"), ("targets", "--year", "2025"), ("indicators",), ("progress",)):
            result = run(*args, *s, "--json", env=env)
            assert result.exit_code == 0 and result.stderr == "", (args, result)
        assert run("show", "pudong", *s, "--json", env=env).exit_code == 0


def test_9_a_refused_import_reads_its_records_a_fixed_number_of_times_not_once_per_problem() -> None:
    from policyq import ingest
    from policyq.errors import ImportRefused

    class Counted(list[ingest.Incoming]):
        walks = 0

        def __iter__(self) -> Iterator[ingest.Incoming]:
            Counted.walks += 1
            return super().__iter__()

    bad = [dict(TARGET, id=f"bad-{i}", unit="furlongs") for i in range(300)]
    incoming = Counted(ingest.Incoming("targets", r, f"targets[{i}]") for i, r in enumerate(bad))
    index = ingest.Index.of_tables(bundled())
    with pytest.raises(ImportRefused) as refused:
        ingest.plan_import(index, incoming, "bad.json", replace=False, skip_existing=False)
    assert len(refused.value.details) == 300 and refused.value.details[299].startswith("bad.json targets[299]: ")
    assert "(and 299 more" in str(refused.value)
    assert Counted.walks <= 3


def test_9_the_cycle_check_of_a_long_parent_chain_is_linear() -> None:
    from policyq.model import validate

    data = bundled()
    chain = {str(i): dict(_zone(), id=f"chain-{i}", parent=f"chain-{i - 1}" if i else "pudong") for i in range(3000)}
    data["zones"] = {**data["zones"], **{str(1000 + int(k)): z for k, z in chain.items()}}
    with within(10):  # cubic work took minutes; linear takes milliseconds
        assert validate(data) == []
    data["zones"]["1000"]["parent"] = "chain-2999"
    with within(10):
        problems = validate(data)
    assert [p.field for p in problems] == ["parent"] and "cycle in the place tree: chain-0 -> " in str(problems[0])


# --- 10. stores that stop working -----------------------------------------------------------------------


def _layouts() -> dict[str, str]:
    data = bundled()
    first_key_not_id = bundled()
    for docs in first_key_not_id.values():
        for doc_id, doc in docs.items():
            docs[doc_id] = {k: doc[k] for k in sorted(doc, key=lambda k: k == "id")}
    return {
        "indented": json.dumps(data, indent=2, ensure_ascii=False),
        "tinydb one line": json.dumps(data),
        "id not first": layout.dump_tables(first_key_not_id),
    }


@pytest.mark.parametrize("layout", ["indented", "tinydb one line", "id not first"])
@pytest.mark.parametrize("first", ["refused", "dry run"])
def test_10_a_refused_import_or_dry_run_never_blocks_later_imports(tmp_path: Path, layout: str, first: str) -> None:
    path = tmp_path / "s.json"
    path.write_text(_layouts()[layout], encoding="utf-8")
    good = write_json(tmp_path / "good.json", {"targets": [TARGET]})
    if first == "refused":
        one_line_error(run("import", str(write_json(tmp_path / "bad.json", {"targets": [dict(TARGET, unit="x")]})),
                           "--store", str(path)), 2)  # fmt: skip
    else:
        assert run("import", str(good), "--store", str(path), "--dry-run").exit_code == 0
    for _ in range(2):
        result = run("import", str(good), "--store", str(path), "--replace")
        assert result.exit_code == 0 and result.stderr.startswith(f"policyq: {path}: added "), result
    assert records("show", "hard-target-2030", "--store", str(path))
    from policyq import Store

    Store(path).import_records([dict(TARGET, value=3)], table="targets", replace=True)
    assert records("targets", "--store", str(path), "--in", "pudong", "--year", "2030")[0]["value"] == 3


def test_10_an_import_checks_the_bytes_it_read_not_a_second_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file swapped between two reads must not get an invalid store remembered as valid."""
    path = tmp_path / "s.json"
    invalid = hand_made(tmp_path / "bad.json", lambda d: d["targets"]["1"].update(unit="furlongs")).read_bytes()
    path.write_bytes(invalid)
    reads = []
    real_read = files.read_store_bytes

    def swapped(p: Path) -> bytes:  # the first read sees the invalid store, later ones a valid one
        reads.append(p)
        return invalid if len(reads) == 1 else SEED.read_bytes()

    monkeypatch.setattr(files, "read_store_bytes", swapped)
    one_line_error(
        run("import", str(write_json(tmp_path / "one.json", {"targets": [TARGET]})), "--store", str(path)), 3
    )
    monkeypatch.setattr(files, "read_store_bytes", real_read)
    assert path.read_bytes() == invalid
    again = run("import", str(tmp_path / "one.json"), "--store", str(path))
    one_line_error(again, 3)
    assert "furlongs" in again.stderr


def test_10_a_document_id_that_is_a_digit_only_to_unicode_is_refused(tmp_path: Path) -> None:
    path = hand_made(tmp_path / "s.json", lambda d: d["zones"].update({"²": d["zones"].pop("1")}))
    result = run("validate", str(path))
    one_line_error(result, 3)
    assert "document id '²', expected an integer" in result.stderr
    one_line_error(run("zones", "--store", str(path)), 3)


def test_10_a_line_separator_in_a_json_lines_file_is_text_not_a_line_break(user_store: Path, tmp_path: Path) -> None:
    file = tmp_path / "t.jsonl"
    file.write_text(json.dumps(dict(TARGET, note="one\u2028two"), ensure_ascii=False) + "\n", encoding="utf-8")
    result = run("import", str(file), "--table", "targets", "--store", str(user_store))
    one_line_error(result, 2)  # one record, refused for what it holds, not split into two broken lines
    assert "t.jsonl line 1: targets[hard-target-2030].note: holds the line separator character U+2028" in result.stderr


def test_10_a_csv_cell_longer_than_the_csv_module_allows_round_trips(user_store: Path, tmp_path: Path) -> None:
    quote = "a long quote " * 12_000 + "ends"  # 156,004 characters: over the csv module's 131,072
    s = ("--store", str(user_store))
    assert (
        run("import", str(write_json(tmp_path / "t.json", {"targets": [dict(TARGET, quote=quote)]})), *s).exit_code == 0
    )
    exported = run("targets", "--in", "pudong", "--year", "2030", "--format", "csv", *s)
    assert exported.exit_code == 0
    (tmp_path / "t.csv").write_text(exported.stdout, encoding="utf-8")
    again = run("import", str(tmp_path / "t.csv"), "--table", "targets", "--replace", *s)
    assert again.exit_code == 0, again
    assert run("show", "hard-target-2030", *s, "--json").json()["record"]["quote"] == quote


@pytest.mark.parametrize("command", ["import", "remove", "init", "zones", "validate"])
@pytest.mark.parametrize("how", ["--store", "POLICYQ_STORE"])
def test_10_an_empty_store_path_is_refused_not_taken_for_the_default(tmp_path: Path, command: str, how: str) -> None:
    user = tmp_path / "xdg" / "policyq" / "policyq.json"
    assert run("init").exit_code == 0 and user.is_file()
    before = user.read_bytes()
    file = str(write_json(tmp_path / "one.json", {"targets": [TARGET]}))
    args = {"import": [file], "remove": ["aisland-area"], "init": ["--force"], "zones": [], "validate": []}[command]
    if command in ("init", "validate"):  # each names its file as an argument too: an empty one
        args = ["", *args] if how == "--store" else args
    elif how == "--store":
        args += ["--store", ""]
    result = run(command, *args, env={"POLICYQ_STORE": ""} if how == "POLICYQ_STORE" else None)
    if command == "init" and how == "POLICYQ_STORE":  # init names its file as an argument, not by the variable
        assert result.exit_code == 0
        return
    one_line_error(result, 2)
    assert "empty" in result.stderr and user.read_bytes() == before


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('{"targets": [{"id": "a-1", "id": "hard-target-2030"}]}', "id"),
        ('{"targets": [], "targets": []}', "targets"),
    ],
)
def test_10_a_key_twice_in_an_import_file_is_refused(user_store: Path, tmp_path: Path, text: str, key: str) -> None:
    good = json.dumps(dict(TARGET))[1:-1]
    file = tmp_path / "twice.json"
    file.write_text(text.replace('"id": "a-1"', good + ', "id": "x"', 1), encoding="utf-8")
    before = user_store.read_bytes()
    result = run("import", str(file), "--store", str(user_store))
    one_line_error(result, 2)
    assert f"holds the key '{key}' twice in one object" in result.stderr and user_store.read_bytes() == before
    lines = tmp_path / "twice.jsonl"
    lines.write_text(json.dumps(TARGET) + "\n" + '{"id": "b-1", "value": 1, "value": 2}\n', encoding="utf-8")
    result = run("import", str(lines), "--table", "targets", "--store", str(user_store))
    one_line_error(result, 2)
    assert "twice.jsonl line 2 holds the key 'value' twice" in result.stderr
    header = tmp_path / "twice.csv"
    header.write_text("id,value,value\nc-1,1,2\n", encoding="utf-8")
    result = run("import", str(header), "--table", "targets", "--store", str(user_store))
    one_line_error(result, 2)
    assert "the column 'value' twice" in result.stderr and user_store.read_bytes() == before


@pytest.mark.parametrize(
    ("char", "kind"),
    [
        ("\u200b", "invisible formatting character U+200B (ZERO WIDTH SPACE)"),
        ("\u200f", "invisible formatting character U+200F (RIGHT-TO-LEFT MARK)"),
        ("\u061c", "invisible formatting character U+061C (ARABIC LETTER MARK)"),
        ("\ufeff", "invisible formatting character U+FEFF"),
        ("\U000e0041", "invisible formatting character U+E0041 (TAG LATIN CAPITAL LETTER A)"),
        ("\u2029", "paragraph separator character U+2029"),
        ("\x9b", "control character U+009B"),
        ("\x9d", "control character U+009D"),
    ],
)
def test_10_invisible_and_bidi_characters_are_refused_at_import(
    user_store: Path, tmp_path: Path, char: str, kind: str
) -> None:
    before = user_store.read_bytes()
    for table, record, field in (
        ("zones", _zone(name=f"Pudong{char} New Area"), "name"),
        ("zones", _zone(aliases=[f"Pu{char}dong"]), "aliases"),
        ("targets", dict(TARGET, quote=f"over CNY 2 tn{char}"), "quote"),
    ):
        result = run("import", str(write_json(tmp_path / "in.json", {table: [record]})), "--store", str(user_store))
        one_line_error(result, 2)
        assert f".{field}: holds the {kind}" in result.stderr, result.stderr
    assert user_store.read_bytes() == before
    spaced = _zone(name="Pudong\u00a0New\u3000Area")  # spaces other than U+0020 are text the sources use
    assert (
        run("import", str(write_json(tmp_path / "ok.json", {"zones": [spaced]})), "--store", str(user_store)).exit_code
        == 0
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"deadline": "2025-02-30", "year": 2025}, "deadline: must be a day the calendar has, not '2025-02-30'"),
        ({"unit": "count", "metric": "enterprise_count", "family": "enterprises", "value": -5}, "must not be negative"),
    ],
)
def test_10_impossible_dates_and_negative_counts_are_refused(
    user_store: Path, tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    result = run(
        "import",
        str(write_json(tmp_path / "t.json", {"targets": [dict(TARGET, **change)]})),
        "--store",
        str(user_store),
    )
    one_line_error(result, 2)
    assert message in result.stderr


# --- 11. streams -------------------------------------------------------------------------------------------


def _sh(line: str, **kw: Any) -> subprocess.CompletedProcess:
    """``line`` in a shell, where ``policyq`` is the installed command."""
    env = {k: v for k, v in os.environ.items() if k != "POLICYQ_STORE"}
    return subprocess.run(
        ["sh", "-c", line.replace("policyq", str(SCRIPT))], capture_output=True, env=env, timeout=60, **kw
    )


def test_11_closed_standard_streams_are_named_or_read_as_dev_null(user_store: Path, tmp_path: Path) -> None:
    s = f"--store {user_store}"
    closed_in = _sh(f"policyq import - --table targets {s} <&-")
    assert (
        closed_in.returncode == 2
        and closed_in.stderr
        == b"policyq: stdin is closed, so '-' has nothing to read; pipe the records in or name a file\n"
    )
    assert _sh(f"policyq zones {s} >&-").returncode == 0  # as with >/dev/null
    assert _sh(f"policyq zones --in nowhere-at-all {s} >&- 2>&-").returncode == 2
    file = write_json(tmp_path / "one.json", {"targets": [TARGET]})
    assert _sh(f"policyq import {file} {s} >&- 2>&-").returncode == 0
    assert "hard-target-2030" in user_store.read_text()  # the store was never given a standard stream's descriptor
    assert run("validate", str(user_store)).exit_code == 0


def test_11_a_reader_gone_ends_quietly_with_0(user_store: Path) -> None:
    read, write = os.pipe()
    os.close(read)  # no one will ever read: the first write fails
    try:
        for args in (("zones", "--json"), ("zones",), ("show", "pudong"), ("tree",)):
            result = subprocess.run(
                [str(SCRIPT), *args, "--store", str(user_store)], stdout=write, stderr=subprocess.PIPE
            )
            assert (result.returncode, result.stderr) == (0, b""), (args, result)
    finally:
        os.close(write)


def test_11_an_unwritable_stderr_keeps_the_exit_code(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.json")
    with open("/dev/full", "w") as full:
        assert subprocess.run([str(SCRIPT), "zones", "--store", missing], stderr=full).returncode == 3
    assert _sh(f"policyq zones --store {missing} 2>&-").returncode == 3


# --- 12. the Python API ---------------------------------------------------------------------------------------


@pytest.mark.full_store
def test_12_api_arguments_of_the_wrong_type_are_usage_errors_naming_them(user_store: Path) -> None:
    from decimal import Decimal

    from policyq import Store
    from policyq.errors import UsageError

    s: Any = Store(user_store)  # called with arguments of the wrong type on purpose
    calls = {
        "place=": lambda: s.zones(place=5),
        "kind=": lambda: s.zones(kind=[5]),
        "sector=": lambda: s.parks(sector=5),
        "sort=": lambda: s.sources(sort=5),
        "limit=": lambda: s.targets(limit="3"),
        "desc=": lambda: s.indicators(desc="yes"),
        "year=": lambda: s.targets(year=(2020, "x")),
        "min_value=": lambda: s.targets(min_value=float("nan")),
        "name=": lambda: s.show(None),
        "text=": lambda: s.search(5),
        "question=": lambda: s.ask(None),
        "record_id=": lambda: s.remove(5),
        "path=": lambda: type(s)(123),
        "records=": lambda: s.import_records({"a", "b"}, table="targets"),
        "records= holds a value of type Decimal": lambda: s.import_records(
            [dict(TARGET, value=Decimal("1"))], table="targets"
        ),
    }
    for name, call in calls.items():
        with pytest.raises(UsageError) as refused:
            call()
        assert name in str(refused.value), (name, refused.value)
    assert user_store.read_bytes() == BUNDLED.read_bytes()
    assert [z["id"] for z in s.zones(place=iter(["Pudong"]), limit=1)]  # an iterator is read once, and works


def test_12_a_store_object_sees_other_writers_changes(user_store: Path, tmp_path: Path) -> None:
    from policyq import Store

    reader = Store(user_store)
    assert not reader.targets(place="pudong", year=2030)
    assert (
        run(
            "import", str(write_json(tmp_path / "one.json", {"targets": [TARGET]})), "--store", str(user_store)
        ).exit_code
        == 0
    )
    assert [t["id"] for t in reader.targets(place="pudong", year=2030)] == ["hard-target-2030"]
    assert run("remove", "hard-target-2030", "--store", str(user_store)).exit_code == 0
    assert not reader.targets(place="pudong", year=2030)


def _chain(path: Path, depth: int) -> Path:
    """The bundled store with a chain of ``depth`` parks, each inside the one before, below Pudong."""
    data = bundled()
    base = len(data["zones"])
    for i in range(depth):
        parent = f"chain-{i - 1}" if i else "pudong"
        data["zones"][str(base + 1 + i)] = _zone(id=f"chain-{i}", name=f"Chain {i}", parent=parent)
    return hand_made(path, text=layout.dump_tables(data))


def test_12_a_tree_deeper_than_the_recursion_limit_is_written_as_json(tmp_path: Path) -> None:
    from policyq import Store

    path = _chain(tmp_path / "s.json", 1200)  # Python's recursion limit is 1,000
    nested = Store(path).tree("chain-0")
    depth, node = 0, nested[0]
    while node["children"]:
        depth, node = depth + 1, node["children"][0]
    assert depth == 1199 and node["id"] == "chain-1199"
    for fields in ((), ("--fields", "id,depth")):
        result = run("tree", "chain-0", "--json", *fields, "--store", str(path))
        assert result.exit_code == 0 and result.stderr == "", result
        text = result.stdout
        assert text.count('"children": [') == 1200 and text.rstrip().endswith("}\n]")
        assert '"id": "chain-1199"' in text and ('"depth": 1199' in text) == bool(fields)
    for fmt in ("table", "markdown"):  # the views count what lies within each place without recursion
        drawn = run("tree", "chain-0", "--format", fmt, "--store", str(path), env={"COLUMNS": "80"})
        assert drawn.exit_code == 0 and drawn.stderr == "", drawn
        if fmt == "table":  # at 80 columns the guides of places 1,199 deep leave no room: cut, and said so
            assert drawn.stdout.startswith("1200 places") and max(map(len, drawn.stdout.splitlines())) <= 80
            assert "… marks cut text" in drawn.stdout
        else:
            assert "Chain 1199" in drawn.stdout


@pytest.mark.parametrize("layout", ["indented", "tinydb one line"])
def test_9_a_text_full_of_braces_is_read_in_linear_time_in_any_layout(tmp_path: Path, layout: str) -> None:
    data = bundled()
    ids = list(data["zones"])
    for n in (0, 5, -1):  # first, middle and last, with and without nested objects
        data["zones"][ids[n]]["note"] = "x}}, }" * 50_000
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data, indent=2 if layout == "indented" else None, ensure_ascii=False), encoding="utf-8")
    expected = run("zones", "--store", str(path), "--json").json()
    with within(15):  # a decode per '}' took minutes
        streamed = run("zones", "--store", str(path), "--json", env={"POLICYQ_STREAM_MIN_BYTES": "0"})
    assert streamed.exit_code == 0 and streamed.json() == expected
    assert [z["note"] for z in expected if z["note"] and "}}" in z["note"]] == ["x}}, }" * 50_000] * 3


def test_9_replacing_many_lines_reads_the_store_a_few_times_not_once_per_line() -> None:

    class Scanned(bytes):
        """Bytes that count how much of themselves ``find`` searched."""

        searched = 0

        def find(self, sub: Any, start: Any = None, end: Any = None) -> int:
            Scanned.searched += (len(self) if end is None else end) - (start or 0)
            return super().find(sub, start, end)

    data = bundled()
    data["targets"] = {str(i): dict(TARGET, id=f"t-{i}", value=i) for i in range(1, 5001)}
    raw = Scanned(layout.dump_tables(data).encode())
    reader = layout.line_tables(raw)
    assert reader is not None
    late = {str(i): dict(TARGET, id=f"t-{i}", value=-i) for i in range(2501, 5001)}
    pieces = layout.splice(raw, reader, {"targets": late}, {"targets": 5001})
    assert pieces is not None
    data["targets"].update(late)
    assert b"".join(pieces) == layout.dump_tables(data).encode()
    assert Scanned.searched <= 2 * len(raw)


def _near_line_layouts() -> dict[str, str]:
    text = layout.dump_tables(bundled())
    return {
        "a space after a comma": text.replace('},\n"2": ', '}, \n"2": ', 1),
        "a tab after a colon": text.replace('"2": {', '"2":\t{', 1),
        "a space before a colon": text.replace('"3": {', '"3" : {', 1),
        "a record over two lines": text.replace(', "name": ', ',\n"name": ', 1),
        "two records on one line": text.replace('},\n"2": ', '}, "2": ', 1),
        "CRLF line ends": text.replace("\n", "\r\n"),
    }


@pytest.mark.parametrize("variant", list(_near_line_layouts()))
def test_10_any_json_layout_close_to_the_line_layout_is_read(tmp_path: Path, variant: str) -> None:
    path = tmp_path / "s.json"
    path.write_text(_near_line_layouts()[variant], encoding="utf-8")
    assert run("validate", str(path)).exit_code == 0
    s = ("--store", str(path), "--json")
    for args in (
        ("zones",),
        ("zones", "--in", "pudong"),
        ("targets", "--year", "2025"),
        ("show", "pudong"),
        ("indicators",),
    ):
        whole = run(*args, *s)
        streamed = run(*args, *s, env={"POLICYQ_STREAM_MIN_BYTES": "0"})
        assert whole.exit_code == 0 and (streamed.exit_code, streamed.stdout) == (0, whole.stdout), (args, streamed)


@pytest.mark.parametrize("form", ["line", "indented"])
def test_10_a_document_id_twice_is_refused_by_a_streaming_query_not_listed_twice(tmp_path: Path, form: str) -> None:
    data = bundled()
    text = layout.dump_tables(data) if form == "line" else json.dumps(data, indent=1, ensure_ascii=False)
    first = '"1": {"id": "lingang"' if form == "line" else None
    zones = data["zones"]
    line = json.dumps({"7": zones["7"]}, ensure_ascii=False)[1:-1]
    if first is None:  # indented: the same document id again, before the table's last document
        at = text.index('\n  "2": {', text.index('"zones"'))
        text = text[:at] + "\n  " + line + "," + text[at:]
    else:
        at = text.index("\n", text.index('"zones": {')) + 1
        text = text[:at] + line.replace('"7"', '"9"', 1) + ",\n" + text[at:]
    path = tmp_path / "s.json"
    path.write_text(text, encoding="utf-8")
    whole = run("zones", "--store", str(path))
    one_line_error(whole, 3)
    streamed = run("zones", "--store", str(path), env={"POLICYQ_STREAM_MIN_BYTES": "0"})
    one_line_error(streamed, 3)
    assert "a second time in table 'zones'" in streamed.stderr


# --- 13. long trials (pytest -m slow) ---------------------------------------------------------------------


def _big_line_store(path: Path, where: int) -> Path:
    """A store over 2 MiB (so it streams) with one zone line over 1 MiB, at ``where`` among the zones."""
    data = bundled()
    extra = {str(100 + i): dict(TARGET, id=f"pad-{i}", value=i + 1) for i in range(6000)}
    data["targets"].update(extra)
    zone = data["zones"][list(data["zones"])[where]]
    zone["note"] = "a long note " * 100_000  # 1.2 MB on one line
    path.write_text(layout.dump_tables(data), encoding="utf-8")
    assert path.stat().st_size > reading.STREAM_MIN_BYTES
    return path


@pytest.mark.slow
@pytest.mark.parametrize("where", [0, 10, -1], ids=["first", "middle", "last"])
def test_slow_a_store_with_a_line_over_1_mib_answers_every_query(tmp_path: Path, where: int) -> None:
    path = _big_line_store(tmp_path / "s.json", where)
    whole = {"POLICYQ_STREAM_MIN_BYTES": str(10 * 2**20)}  # the same store parsed whole, to compare
    for args in (
        ("zones",),
        ("zones", "--in", "pudong"),
        ("targets", "--in", "pudong", "--year", "2030"),
        ("indicators",),
        ("show", "pudong"),
        ("progress", "--in", "pudong"),
        ("search", "lingang"),
        ("tree",),
    ):
        streamed = cli(*args, "--store", str(path), "--format", "json", timeout=120)
        expected = cli(*args, "--store", str(path), "--format", "json", env=whole, timeout=120)
        assert streamed.returncode == expected.returncode and streamed.returncode in (0, 1), (args, streamed.stderr)
        assert (streamed.stdout, streamed.stderr) == (expected.stdout, expected.stderr), args
    assert cli("validate", str(path), timeout=120).returncode == 0


@pytest.mark.slow
def test_slow_a_2000_zone_parent_chain_imports_and_queries_in_time(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    shutil.copyfile(SEED, path)
    chain = [_zone(id=f"chain-{i}", name=f"Chain {i}", parent=f"chain-{i - 1}" if i else "pudong") for i in range(2000)]
    started = time.monotonic()
    first = cli("import", str(write_json(tmp_path / "chain.json", {"zones": chain})), "--store", str(path), timeout=120)
    assert first.returncode == 0, first.stderr
    again = cli(
        "import", str(write_json(tmp_path / "one.json", {"targets": [TARGET]})), "--store", str(path), timeout=120
    )
    assert again.returncode == 0, again.stderr
    deep = cli("tree", "chain-0", "--json", "--store", str(path), timeout=120)
    assert deep.returncode == 0 and deep.stdout.count(b'"children": [') == 2000
    assert cli("show", "chain-1999", "--store", str(path), timeout=120).returncode == 0
    assert cli("validate", str(path), timeout=120).returncode == 0
    print(f"2,000-zone chain: import, import, tree, show, validate in {time.monotonic() - started:.1f} s")


@pytest.mark.slow
@pytest.mark.parametrize("form", ["line", "indented", "tinydb one line", "id not first"])
def test_slow_refused_imports_and_dry_runs_then_a_valid_import_into_a_large_store(tmp_path: Path, form: str) -> None:
    data = bundled()
    data["targets"].update({str(100 + i): dict(TARGET, id=f"big-{i}", value=i + 1) for i in range(20_000)})
    text = {
        "line": layout.dump_tables,
        "indented": lambda d: json.dumps(d, indent=4),
        "tinydb one line": json.dumps,
        "id not first": lambda d: layout.dump_tables(
            {
                t: {k: {**{f: v for f, v in r.items() if f != "id"}, "id": r["id"]} for k, r in docs.items()}
                for t, docs in d.items()
            }
        ),
    }[form](data)
    path = tmp_path / "s.json"
    path.write_text(text, encoding="utf-8")
    bad = write_json(
        tmp_path / "bad.json", {"targets": [dict(TARGET, id=f"bad-{i}", unit="furlongs") for i in range(3000)]}
    )
    good = write_json(tmp_path / "good.json", {"targets": [dict(TARGET, id=f"good-{i}") for i in range(500)]})
    s = ("--store", str(path))
    refused = cli("import", str(bad), *s, timeout=120)
    assert refused.returncode == 2 and b"(and 2999 more; --dry-run lists them)" in refused.stderr
    listed = cli("import", str(bad), *s, "--dry-run", timeout=120)
    assert listed.returncode == 2 and listed.stdout.count(b"\n") == 3000
    assert path.read_text(encoding="utf-8") == text
    assert cli("import", str(good), *s, "--dry-run", timeout=120).returncode == 0
    for flags, code in (((), 0), ((), 2), (("--replace",), 0)):  # added, then refused as there, then replaced
        done = cli("import", str(good), *s, *flags, timeout=120)
        assert done.returncode == code, done.stderr
    assert cli("validate", str(path), timeout=120).returncode == 0
    ids = {r["id"] for r in json.loads(path.read_text())["targets"].values()}
    assert len(ids) == 7 + 20_000 + 500


def test_10_a_figure_near_the_float_limit_fits_80_columns(user_store: Path, tmp_path: Path) -> None:
    """1e308 was written out in full, 309 digits with commas, one line 400 cells wide."""
    from rich.cells import cell_len

    huge = [
        sample("indicators", id="huge-cny", value=1e308),
        sample("indicators", id="huge-count", value=1.7976931348623157e308, unit="count", metric="enterprise_count")
        | {"family": "enterprises"},
    ]
    s = ("--store", str(user_store))
    assert run("import", str(write_json(tmp_path / "huge.json", {"indicators": huge})), *s).exit_code == 0
    for args in (("indicators", "--in", "pudong"), ("show", "huge-cny"), ("show", "huge-count"), ("progress",)):
        result = run(*args, *s, "--format", "table", env={"COLUMNS": "80"})
        assert result.exit_code == 0, (args, result)
        assert max(cell_len(line) for line in result.stdout.splitlines()) <= 80, (args, result.stdout)
    shown = run("show", "huge-cny", *s, "--format", "table", env={"COLUMNS": "80"}).stdout
    assert "CNY 1e308" in shown and "1e+308 CNY" in shown  # the human figure and the stored one


@pytest.mark.parametrize("amount", ["1" * 4400, "1e400", "1e300tn"])
def test_10_an_amount_too_large_for_a_float_is_refused_not_read_as_infinity(amount: str) -> None:
    for args in (("targets", "--above", amount), ("ask", f"targets over {amount} yuan")):
        result = run(*args)
        one_line_error(result, 2)
        assert "too large an amount" in result.stderr and "inf" not in result.stderr


def test_10_invisible_characters_in_a_hand_made_store_are_shown_not_sent(tmp_path: Path) -> None:
    path = hand_made(tmp_path / "s.json", lambda d: d["zones"]["1"].update(name="Pudong\u200b New\u2028Area\U000e0041"))
    first = bundled()["zones"]["1"]["id"]
    for args in (("zones",), ("tree",), ("show", first), ("zones", "--format", "tsv")):
        result = run(*args, "--store", str(path))
        assert result.exit_code == 0 and "Pudong\\u200b New\\u2028Area\\U000e0041" in result.stdout.replace("\n", ""), (
            args
        )
        assert not any(c in result.stdout + result.stderr for c in "\u200b\u2028\U000e0041")


def test_10_aliases_of_the_wrong_shape_name_nothing_and_break_no_query(tmp_path: Path) -> None:
    path = hand_made(tmp_path / "s.json", lambda d: d["zones"]["1"].update(aliases=5, name_zh=7))
    for args in (("zones",), ("show", "pudong"), ("tree",), ("targets", "--in", "pudong"), ("parks", "--in", "pudong")):
        result = run(*args, "--store", str(path))
        assert result.exit_code in (0, 1) and "bug" not in result.stderr, (args, result)
    assert "aliases" in run("validate", str(path)).stdout


@pytest.mark.parametrize("field", ["related", "sectors", "designations", "sources", "parent"])
def test_10_a_zone_field_of_the_wrong_shape_breaks_no_query(tmp_path: Path, field: str) -> None:
    path = hand_made(tmp_path / "s.json", lambda d: d["zones"]["3"].update({field: 5}))
    for args in (("zones",), ("zones", "--in", "pudong"), ("show", "pudong"), ("tree",), ("targets", "--in", "pudong")):
        result = run(*args, "--store", str(path))
        assert result.exit_code in (0, 1) and "bug" not in result.stderr, (args, result)


# --- 22 (the rest): figures beyond any scale, and text wider than the terminal ------------------

LONG_ID = "z" + "x" * 299


_WIDE: list[bytes] = []  # the store _wide_store imports, kept for the next test in this process


def _wide_store(tmp_path: Path) -> Path:
    """A store holding a figure of 1e308 and one of 5e-324, a zone whose id is 300 characters
    and texts of 200,000 characters without a space."""
    path = tmp_path / "store.json"
    if _WIDE:
        path.write_bytes(_WIDE[0])
        return path
    shutil.copyfile(SEED, path)
    zone = {
        **{"id": LONG_ID, "name": "N" * 200_000, "name_zh": None, "kind": "park", "code": None, "parent": "pudong"},
        **{"related": [], "aliases": [], "designations": [], "sectors": [], "established": None},
        **{"established_precision": None, "status": None, "sources": ["pudong-industrial-system-2022"]},
        "note": "n" * 200_000,
    }
    targets = [
        sample("targets", id="huge-2030", value=1e308),
        sample("targets", id="tiny-2030", value=5e-324),
        sample("targets", id="long-2030", subject=LONG_ID, metric_label="M" * 200_000, quote="Q" * 200_000),
    ]
    data = {"zones": [zone], "targets": targets}
    done = run("import", str(write_json(tmp_path / "in.json", data)), "--store", str(path))
    assert done.exit_code == 0, done
    _WIDE.append(path.read_bytes())
    return path


def test_22_a_figure_beyond_a_million_tn_is_written_in_scientific_notation_not_309_digits(tmp_path: Path) -> None:
    path = _wide_store(tmp_path)
    shown = run("targets", "--in", "pudong", "--store", str(path), "--format", "table", "--wide")
    assert shown.exit_code == 0 and "CNY 1e308" in shown.stdout and "CNY 5e-324" in shown.stdout, shown
    assert "999,999,999" not in shown.stdout
    card = run("show", "huge-2030", "--store", str(path), "--format", "table")
    assert "CNY 1e308" in card.stdout and "1e+308" in card.stdout  # the human figure, and the stored one beside it
    assert {r["id"]: r["value"] for r in records("targets", "--store", str(path))}["huge-2030"] == 1e308


LONG_VIEWS = [
    ("targets", "--in", "pudong"),
    ("targets", "--in", "pudong", "--chart"),
    ("parks", "--in", "pudong"),
    ("zones", "--in", "pudong", "--fields", "id,name,note"),
    ("tree", "pudong"),
    ("show", LONG_ID),
    ("show", "long-2030"),
    ("show", "huge-2030"),
    ("search", "xxxxxxxxxx"),
    ("search", "NNNN"),
    ("progress", "--in", "pudong"),
]


@pytest.mark.parametrize("args", LONG_VIEWS, ids=lambda a: " ".join(a)[:40])
def test_22_every_human_view_stays_within_80_columns_whatever_the_store_holds(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    path = _wide_store(tmp_path)
    shown = run(*args, "--store", str(path), "--format", "table", env={"COLUMNS": "80"})
    assert shown.exit_code == 0, shown
    widest = max(len(line) for line in shown.stdout.splitlines())
    assert widest <= 80, (args, widest)
    if args == ("search", "xxxxxxxxxx"):  # an id wider than the terminal is folded, never cut
        assert LONG_ID in "".join(line.strip() for line in shown.stdout.splitlines())


def test_an_import_of_an_id_with_a_lone_surrogate_is_refused_as_such_not_a_crash(tmp_path: Path) -> None:
    """The ids an import looks for in the store's lines are encoded; one holding a lone
    surrogate is refused by the record's own check (exit 2), not by 'cannot finish'."""
    path = tmp_path / "store.json"
    shutil.copyfile(BUNDLED, path)
    before = path.read_bytes()
    file = tmp_path / "in.json"
    file.write_text('{"targets": [' + json.dumps(dict(TARGET)).replace('"hard-target-2030"', '"x\\ud800"') + "]}")
    refused = run("import", str(file), "--store", str(path))
    assert refused.exit_code == 2 and "lone surrogate" in refused.stderr and "cannot finish" not in refused.stderr
    assert path.read_bytes() == before
