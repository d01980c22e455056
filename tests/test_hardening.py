"""Nothing in a store or an import file can hurt the user: symlinks, control characters,
CSV formulas, numbers too large to keep, deep nesting, FIFOs and devices, invalid stores.

Each numbered section is one class of attack; every outcome is a result or one line on
stderr with a documented exit code, and a store is never lost, torn or silently changed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import BUNDLED, run

from policyq import store

TARGET = {
    "id": "hard-target-2030",
    "subject": "pudong",
    "metric": "output_value",
    "metric_label": "test output",
    "family": "output",
    "comparator": ">",
    "value": 2000000000000,
    "unit": "CNY",
    "year": 2030,
    "deadline": "2030",
    "source": "pudong-industrial-system-2022",
}
CONTROL = "T\x1b]0;pwned\x07X\x1b[2J"  # sets the window title, then clears the screen
RAW_CONTROLS = ("\x1b", "\x07", "\x9b", "\x00", "\x7f")
SCRIPT = Path(sys.executable).parent / "policyq"  # the installed console script


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def bundled() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(BUNDLED.read_text(encoding="utf-8"))
    return data


def hand_made(path: Path, change: Any = None, text: str | None = None) -> Path:
    """A store written without policyq's checks, as a hostile or careless hand would."""
    data = bundled()
    if change:
        change(data)
    path.write_text(text if text is not None else store.dump_tables(data), encoding="utf-8")
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
    shutil.copyfile(BUNDLED, real)
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
    assert force.exit_code == 0 and link.is_symlink() and real.read_bytes() == BUNDLED.read_bytes()


def test_1_a_symlink_and_its_target_share_one_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from filelock import FileLock

    real = tmp_path / "store.json"
    shutil.copyfile(BUNDLED, real)
    (tmp_path / "link.json").symlink_to("store.json")
    monkeypatch.setattr(store, "LOCK_TIMEOUT", 0.3)
    file = write_json(tmp_path / "one.json", {"targets": [TARGET]})
    with FileLock(f"{real}.lock"):  # a writer busy with the real file
        result = run("import", str(file), "--store", str(tmp_path / "link.json"))
    one_line_error(result, 3)
    assert "locked by another writer" in result.stderr and real.read_bytes() == BUNDLED.read_bytes()


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
        assert "control character" in result.stderr and field in result.stderr
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
    shutil.copyfile(BUNDLED, mine)
    assert (
        run("import", str(write_json(tmp_path / "f.json", {"targets": formulas})), "--store", str(mine)).exit_code == 0
    )
    exported = tmp_path / "targets.csv"
    exported.write_bytes(run("targets", "--format", "csv", "--store", str(mine)).stdout.encode())
    again = tmp_path / "again.json"
    shutil.copyfile(BUNDLED, again)
    imported = run("import", str(exported), "--table", "targets", "--replace", "--store", str(again))
    assert imported.exit_code == 0, imported
    assert json.loads(again.read_text())["targets"] == json.loads(mine.read_text())["targets"]


def test_3_csv_safe_defuses_formula_cells_and_keeps_numbers(tmp_path: Path) -> None:
    formulas = [dict(TARGET, id=f"formula-{n}", note=f, value=-5 + n) for n, f in enumerate(FORMULAS)]
    mine = tmp_path / "mine.json"
    shutil.copyfile(BUNDLED, mine)
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


def test_4_a_device_as_store_is_refused_at_once() -> None:
    for device in ("/dev/zero", "/dev/urandom", "/dev/null"):
        if not os.path.exists(device):
            continue
        for args in (("zones",), ("validate",), ("import", str(BUNDLED))):
            result = cli(*args, "--store", device, timeout=30)
            assert result.returncode == 3 and b"device" in result.stderr and result.stderr.count(b"\n") == 1


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
        monkeypatch.setattr(store, "STREAM_MIN_BYTES", 0)  # read through orjson, as a large store is
    result = run("import", str(write_json(tmp_path / "one.json", {"targets": [TARGET]})), "--store", str(path))
    one_line_error(result, 3)
    assert "too large to keep exactly" in result.stderr
    assert path.read_bytes() == before


# --- 6. temporary files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["s.json", "[a].json", "we*ird?.json"])
def test_6_a_writer_removes_its_own_stale_temp_files_and_no_one_elses(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    shutil.copyfile(BUNDLED, path)
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


def test_7_a_fifo_or_socket_as_store_is_refused_at_once_and_the_lock_is_free(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    sock_path = tmp_path / "sock.json"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    try:
        for path, kind in ((fifo, b"FIFO"), (sock_path, b"socket")):
            for args in (("zones",), ("show", "pudong"), ("import", str(BUNDLED)), ("remove", "x")):
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
        ("import", str(BUNDLED), "--store", str(path)),
    ):
        result = run(*args, env={"POLICYQ_MAX_STORE_MB": "2"})
        one_line_error(result, 3)
        assert "over the 2 MB limit" in result.stderr and "POLICYQ_MAX_STORE_MB" in result.stderr
    with path.open("wb") as fh:
        fh.truncate(2 * 2**30)  # 2 GB (sparse): over the default limit of 1024 MB
    default = run("targets", env={"POLICYQ_STORE": str(path)})
    one_line_error(default, 3)
    assert "over the 1,024 MB limit" in default.stderr
    big_input = run("import", str(path), "--store", str(BUNDLED), env={"POLICYQ_MAX_STORE_MB": "2"})
    one_line_error(big_input, 2)
    bad = run("zones", env={"POLICYQ_MAX_STORE_MB": "lots"})
    one_line_error(bad, 2)
    assert "POLICYQ_MAX_STORE_MB" in bad.stderr


def test_7_a_waiting_writer_says_so_and_says_again_when_it_gives_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.json"
    shutil.copyfile(BUNDLED, path)
    hold = f"import filelock,time; lock = filelock.FileLock({str(path) + '.lock'!r}); lock.acquire(); "
    holder = subprocess.Popen(
        [sys.executable, "-c", hold + "print('held', flush=True); time.sleep(60)"], stdout=subprocess.PIPE
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        monkeypatch.setattr(store, "LOCK_NOTICE_AFTER", 0.2)
        monkeypatch.setattr(store, "LOCK_TIMEOUT", 1.0)
        result = run("import", str(write_json(tmp_path / "one.json", {"targets": [TARGET]})), "--store", str(path))
    finally:
        holder.kill()
        holder.wait()
    lines = result.stderr.splitlines()
    assert result.exit_code == 3 and len(lines) == 2, result
    assert lines[0].startswith("policyq: waiting for another writer") and str(path) in lines[0]
    assert lines[1].startswith(f"policyq: store {path} is still locked by another writer after 1 s")
    assert path.read_bytes() == BUNDLED.read_bytes()


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
    path.write_text(spoil(BUNDLED.read_text(encoding="utf-8")), encoding="utf-8")
    before = path.read_bytes()
    assert before != BUNDLED.read_bytes()
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


def test_8_init_force_says_what_it_replaces(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_bytes(BUNDLED.read_bytes()[:5000])  # a truncated store
    result = run("init", str(path), "--force")
    assert result.exit_code == 0
    assert "replacing" in result.stderr and "not a valid store" in result.stderr and "not valid JSON" in result.stderr
    again = run("init", str(path), "--force")
    assert again.exit_code == 0 and "a valid store of 6 sources, 3235 zones" in again.stderr


def test_8_init_force_never_replaces_the_bundled_store(tmp_path: Path) -> None:
    before = BUNDLED.read_bytes()
    (tmp_path / "link.json").symlink_to(BUNDLED)
    for target in (BUNDLED, tmp_path / "link.json"):
        one_line_error(run("init", str(target), "--force"), 2)
    assert BUNDLED.read_bytes() == before and not list(BUNDLED.parent.glob(".*.tmp"))


def test_8_a_read_only_store_is_refused_and_mode_bits_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    shutil.copyfile(BUNDLED, path)
    file = write_json(tmp_path / "one.json", {"targets": [TARGET]})
    path.chmod(0o444)
    s = ("--store", str(path))
    for args in (("import", str(file), *s), ("remove", "aisland-area", *s), ("init", str(path), "--force")):
        result = run(*args)
        one_line_error(result, 3)
        assert "read-only" in result.stderr
    assert path.read_bytes() == BUNDLED.read_bytes() and stat.S_IMODE(path.stat().st_mode) == 0o444
    for mode in (0o4640, 0o2664, 0o1600):
        path.chmod(mode)
        assert run("import", str(file), "--store", str(path), "--replace").exit_code == 0
        assert stat.S_IMODE(path.stat().st_mode) == mode, oct(path.stat().st_mode)
    if os.geteuid() == 0:  # only root can give a file away: the owner and group stay too
        os.chown(path, 65534, 65534)
        assert run("import", str(file), "--store", str(path), "--replace").exit_code == 0
        assert (path.stat().st_uid, path.stat().st_gid) == (65534, 65534)
