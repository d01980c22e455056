"""Property-based tests: random import files, arguments and store files never crash policyq.

Every outcome is a result or one line on stderr with a documented exit code. Hostile input
(control characters, numbers of any size, deep nesting, lone surrogates, symlink chains,
FIFOs and devices) is either kept exactly or refused before anything is written.

Each test tries ``POLICYQ_FUZZ_EXAMPLES`` examples (25 in the everyday run; .ci/run runs them again with more).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import BUNDLED, SEED, Result, examples, run, sample
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyq import model
from policyq.model import FIELDS
from policyq.storage import reading

EXIT_CODES = {0, 1, 2, 3}
SMALL_STORE_LIMIT = reading.STREAM_MIN_BYTES
EXAMPLES = examples(15)
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
field_names = st.sampled_from(sorted({f for fields in FIELDS.values() for f in fields} | {"x"}))
records = st.dictionaries(field_names, json_values | st.sampled_from(["pudong", "CNY", ">", 2025, "2025"]), max_size=10)
tables = st.sampled_from(["targets", "indicators", "zones", "sources", "nope"])


def assert_clean(result: Result) -> None:
    code, err = result.exit_code, result.stderr
    assert code in EXIT_CODES, result
    assert "Traceback (most recent call last)" not in err  # the input itself may hold the word
    if code >= 2:
        assert err.startswith("policyq: ") and err.count("\n") == 1, err


@SETTINGS
@given(data=st.dictionaries(tables, st.lists(records, max_size=3) | json_values, max_size=3))
def test_random_import_files(tmp_path_factory: pytest.TempPathFactory, data: Any) -> None:
    folder = tmp_path_factory.mktemp("imp")
    path = folder / "store.json"
    path.write_bytes(SEED.read_bytes())
    file = folder / "in.json"
    file.write_text(json.dumps(data))
    result = run("import", str(file), "--store", str(path))
    assert_clean(result)
    if result.exit_code != 0:
        assert path.read_bytes() == SEED.read_bytes()
    assert run("validate", str(path)).exit_code == 0


@SETTINGS
@given(
    raw=st.binary(max_size=200) | st.text(max_size=200).map(str.encode),
    fmt=st.sampled_from([None, "json", "jsonl", "csv"]),
    table=st.sampled_from([None, "targets", "zones"]),
)
def test_random_bytes_as_import_input(
    tmp_path_factory: pytest.TempPathFactory, raw: bytes, fmt: str | None, table: str | None
) -> None:
    folder = tmp_path_factory.mktemp("raw")
    path = folder / "store.json"
    path.write_bytes(SEED.read_bytes())
    file = folder / "in.data"
    file.write_bytes(raw)
    args = ["import", str(file), "--store", str(path)]
    args += ["--input-format", fmt] if fmt else []
    args += ["--table", table] if table else []
    result = run(*args)
    assert_clean(result)
    if result.exit_code != 0:
        assert path.read_bytes() == SEED.read_bytes()


words = st.sampled_from(
    [
        "zones",
        "parks",
        "targets",
        "indicators",
        "sources",
        "show",
        "search",
        "ask",
        "validate",
        "--in",
        "--kind",
        "--year",
        "--metric",
        "--format",
        "--json",
        "--fields",
        "--sort",
        "--desc",
        "--limit",
        "--min",
        "--max",
        "--due-by",
        "--source",
        "--sector",
        "Pudong",
        "浦东",
        "2025",
        "abc",
        "-1",
        "id,value",
        "json",
        "xml",
        "table",
        "tsv",
        "output",
        "--",
        "-",
        "",
        "park",
        "aisland",
        "1e11",
        "nan",
        "2020-2025",
    ]
)


@SETTINGS
@given(args=st.lists(words | st.text(max_size=8), min_size=1, max_size=6))
def test_random_arguments(args: list[str]) -> None:
    if "validate" in args or "import" in args or "init" in args or "remove" in args:
        args = [a for a in args if a not in ("validate", "import", "init", "remove")] or ["zones"]
    assert_clean(run(*args, "--store", str(SEED)) if args[0] != "ask" else run(*args))


@SETTINGS
@given(data=json_values | st.dictionaries(tables, json_values, max_size=3), large=st.booleans())
def test_random_store_files(tmp_path_factory: pytest.TempPathFactory, data: Any, large: bool) -> None:
    path: Path = tmp_path_factory.mktemp("st") / "store.json"
    text = json.dumps(data)
    path.write_text(text)
    env = {reading.ENV_STREAM_MIN_BYTES: "0" if large else str(SMALL_STORE_LIMIT)}  # large: streamed
    for args in (("zones",), ("targets", "--year", "2025", "--json"), ("show", "x"), ("search", "a")):
        assert_clean(run(*args, "--store", str(path), env=env))
    assert_clean(run("validate", str(path), env=env))
    assert path.read_text() == text


# --- hostile input ------------------------------------------------------------------------------

TARGET = sample("targets", id="fuzz-target", metric_label="fuzz", value=1)
# Text mixing ordinary characters with every kind a terminal or a file may be hurt by.
HOSTILE = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.characters(max_codepoint=0x1F),
        st.sampled_from(["\x7f", "\x85", "\x9b", "\u202e", "\u2066", "\ud800", "\udcff", "浦", "东", "\u3000"]),
        st.characters(min_codepoint=0x80, max_codepoint=0x9F),
        st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
    ),
    max_size=12,
)
UNSAFE = {*map(chr, range(0x20)), *map(chr, range(0x7F, 0xA0)), *map(chr, range(0x202A, 0x202F))}
UNSAFE |= {*map(chr, range(0x2066, 0x206A)), *map(chr, range(0xD800, 0xE000))}


def fresh_store(factory: Any, name: str = "store.json") -> Path:
    path: Path = factory.mktemp("st") / name
    path.write_bytes(SEED.read_bytes())
    return path


def stored(path: Path, record_id: str) -> dict[str, Any] | None:
    for doc in json.loads(path.read_text(encoding="utf-8"))["targets"].values():
        if doc["id"] == record_id:
            return dict(doc)
    return None


@SETTINGS
@given(field=st.sampled_from(["metric_label", "note", "quote", "sectors"]), text=HOSTILE)
def test_text_is_kept_exactly_or_refused_and_never_reaches_a_terminal(
    tmp_path_factory: pytest.TempPathFactory, field: str, text: str
) -> None:
    path = fresh_store(tmp_path_factory)
    text = json.loads(json.dumps(text))  # as JSON reads it: a surrogate pair is one character
    value: Any = [text] if field == "sectors" else text
    file = path.parent / "in.json"
    file.write_text(json.dumps({"targets": [dict(TARGET, **{field: value})]}))  # surrogates as \u escapes
    result = run("import", str(file), "--store", str(path))
    assert_clean(result)
    allowed = "\n\t" if field in ("note", "quote") else ""
    bad = any(c in UNSAFE and c not in allowed for c in text)
    empty = field == "metric_label" and not text.strip()
    if bad or empty:
        assert result.exit_code == 2 and path.read_bytes() == SEED.read_bytes(), result
        assert not any(c in UNSAFE for c in result.stderr.replace("\n", ""))
        return
    assert result.exit_code == 0, result
    kept = stored(path, "fuzz-target")
    assert kept is not None and kept == {**kept, field: value}
    for fmt in ("table", "tsv", "csv"):
        shown = run("show", "fuzz-target", "--format", fmt, "--store", str(path))
        assert shown.exit_code == 0
        assert not any(c in UNSAFE - set("\n\t\r") for c in shown.stdout), (fmt, shown.stdout)


NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=2**53 - 3, max_value=2**53 + 3).map(lambda n: n * st_sign(n)),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
)


def st_sign(n: int) -> int:
    return -1 if n % 2 else 1


@SETTINGS
@given(value=NUMBERS, field=st.sampled_from(["value", "usd"]))
def test_numbers_of_any_size_are_kept_exactly_or_refused(
    tmp_path_factory: pytest.TempPathFactory, value: Any, field: str
) -> None:
    path = fresh_store(tmp_path_factory)
    file = path.parent / "in.json"
    file.write_text(json.dumps({"targets": [dict(TARGET, **{field: value})]}))  # NaN and Infinity too
    result = run("import", str(file), "--store", str(path))
    assert_clean(result)
    exact = abs(value) <= 2**53 if isinstance(value, int) else value == value and abs(value) != float("inf")
    if not exact:
        assert result.exit_code == 2 and field in result.stderr and path.read_bytes() == SEED.read_bytes(), result
        return
    assert result.exit_code == 0, result
    found = stored(path, "fuzz-target")
    assert found is not None
    kept = found[field]
    assert kept == value and type(kept) is type(value)
    listed = run("targets", "--year", "2030", "--format", "json", "--store", str(path)).json()
    assert [r[field] for r in listed if r["id"] == "fuzz-target"] == [value]


@SETTINGS
@given(
    depth=st.integers(min_value=1, max_value=5000),
    opener=st.sampled_from(["[", '{"a":']),
    where=st.sampled_from(["file", "field", "line", "store"]),
)
def test_nesting_of_any_depth_is_read_or_refused_in_one_line(
    tmp_path_factory: pytest.TempPathFactory, depth: int, opener: str, where: str
) -> None:
    path = fresh_store(tmp_path_factory)
    closer = "]" if opener == "[" else "}"
    nested = opener * depth + "1" + closer * depth
    file = path.parent / "in.json"
    if where == "store":
        path.write_text('{"zones": {"1": {"id": "z", "name": ' + nested + "}}}")
        before = path.read_bytes()
        for command in (("zones",), ("show", "z"), ("search", "z")):
            assert_clean(run(*command, "--store", str(path)))
        assert_clean(run("validate", str(path)))
        assert path.read_bytes() == before
        return
    args = ["import", str(file), "--store", str(path)]
    if where == "file":
        file.write_text('{"targets": [' + nested + "]}")
    elif where == "field":
        file.write_text(json.dumps({"targets": [TARGET]})[:-3] + ', "note": ' + nested + "}]}")
    else:
        file.write_text(nested + "\n")
        args += ["--table", "targets", "--input-format", "jsonl"]
    result = run(*args)
    assert_clean(result)
    assert result.exit_code == 2 and path.read_bytes() == SEED.read_bytes()


@SETTINGS
@given(hops=st.lists(st.tuples(st.booleans(), st.sampled_from(["a", "b", "c/d"])), min_size=1, max_size=4))
def test_writes_follow_any_chain_of_symlinks_to_the_store(
    tmp_path_factory: pytest.TempPathFactory, hops: list[tuple[bool, str]]
) -> None:
    root: Path = tmp_path_factory.mktemp("links")
    real = root / "real" / "store.json"
    real.parent.mkdir()
    real.write_bytes(SEED.read_bytes())
    target, links = real, []
    for n, (absolute, folder) in enumerate(hops):
        link = root / folder / f"link{n}.json"
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(target if absolute else os.path.relpath(target, link.parent))
        links.append(link)
        target = link
    file = root / "in.json"
    file.write_text(json.dumps({"targets": [TARGET]}))
    assert run("import", str(file), "--store", str(target)).exit_code == 0
    assert all(link.is_symlink() for link in links) and stored(real, "fuzz-target") is not None
    assert sorted(p.name for p in root.rglob("*.lock")) == ["store.json.lock"]
    assert (
        run("remove", "fuzz-target", "--store", str(target)).exit_code == 0 and real.read_bytes() == SEED.read_bytes()
    )


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: a command that blocks on a FIFO would otherwise never return."""

    def expire(*_: Any) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def special_file(folder: Path, kind: str) -> tuple[Path, Any]:
    path = folder / "store.json"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(path))
        return path, sock
    elif kind == "folder":
        path.mkdir()
    elif kind == "link to fifo":
        os.mkfifo(folder / "fifo")
        path.symlink_to("fifo")
    else:
        path = Path(kind)
    return path, None


@SETTINGS
@given(
    kind=st.sampled_from(["fifo", "socket", "folder", "link to fifo", "/dev/null", "/dev/zero", "/dev/urandom"]),
    command=st.sampled_from([("zones",), ("show", "pudong"), ("import", "IN"), ("remove", "x"), ("validate",)]),
)
def test_fifos_devices_and_folders_are_refused_at_once(
    tmp_path_factory: pytest.TempPathFactory, kind: str, command: tuple[str, ...]
) -> None:
    folder: Path = tmp_path_factory.mktemp("special")
    path, keep = special_file(folder, kind)
    file = folder / "in.json"
    file.write_text(json.dumps({"targets": [TARGET]}))
    args = [str(file) if a == "IN" else a for a in command]
    try:
        with deadline(20):
            result = run(*args, str(path)) if command == ("validate",) else run(*args, "--store", str(path))
            forced = run("init", str(path), "--force")
    finally:
        if keep is not None:
            keep.close()
    assert_clean(result)
    assert result.exit_code == 3, result
    assert_clean(forced)
    assert forced.exit_code in (2, 3), forced  # never replaced
    if kind in ("fifo", "link to fifo"):
        assert stat.S_ISFIFO(os.stat(path).st_mode)


_STORED = json.loads(BUNDLED.read_text(encoding="utf-8"))
_STORED_RECORDS = [(t, r) for t in FIELDS for r in _STORED.get(t, {}).values()]
odd_values = json_values | st.sampled_from(
    ["", " ", "a\nb", "a\tb", "\u200b", "\u00a0x", "\ud800", ["x", ""], ["a\nb"], [1], [None], 2**60, 1.5, True]
)


def test_every_stored_record_passes_the_quick_check_of_its_fields() -> None:
    assert all(model._fields_clean(table, record) for table, record in _STORED_RECORDS)


@settings(max_examples=examples(100), deadline=None)
@given(
    stored=st.sampled_from(_STORED_RECORDS),
    changes=st.dictionaries(field_names, odd_values, max_size=4),
    dropped=st.sets(field_names, max_size=3),
)
def test_a_record_the_quick_check_passes_has_no_problem_with_its_fields(
    stored: tuple[str, dict[str, Any]], changes: dict[str, Any], dropped: set[str]
) -> None:
    """``model._fields_clean`` spares the full check only where the full check finds nothing."""
    table, record = stored
    changed = {k: v for k, v in record.items() if k not in dropped} | changes
    if model._fields_clean(table, changed):
        assert list(model._check_fields(table, "x", changed)) == []
