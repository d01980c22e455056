"""Property-based tests: random import files, arguments and store files never crash policyq.

Every outcome is a result or one line on stderr with a documented exit code.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import BUNDLED, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyq import store
from policyq.model import FIELDS

EXIT_CODES = {0, 1, 2, 3}
SMALL_STORE_LIMIT = store.STREAM_MIN_BYTES
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
field_names = st.sampled_from(sorted({f for fields in FIELDS.values() for f in fields} | {"x"}))
records = st.dictionaries(field_names, json_values | st.sampled_from(["pudong", "CNY", ">", 2025, "2025"]), max_size=10)
tables = st.sampled_from(["targets", "indicators", "zones", "sources", "nope"])


def assert_clean(result: object) -> None:
    code, err = result.exit_code, result.stderr  # type: ignore[attr-defined]
    assert code in EXIT_CODES, result
    assert "Traceback" not in err
    if code >= 2:
        assert err.startswith("policyq: ") and err.count("\n") == 1, err


@SETTINGS
@given(data=st.dictionaries(tables, st.lists(records, max_size=3) | json_values, max_size=3))
def test_random_import_files(tmp_path_factory, data) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("imp")
    path = folder / "store.json"
    path.write_bytes(BUNDLED.read_bytes())
    file = folder / "in.json"
    file.write_text(json.dumps(data))
    result = run("import", str(file), "--store", str(path))
    assert_clean(result)
    if result.exit_code != 0:
        assert path.read_bytes() == BUNDLED.read_bytes()
    assert run("validate", str(path)).exit_code == 0


@SETTINGS
@given(
    raw=st.binary(max_size=200) | st.text(max_size=200).map(str.encode),
    fmt=st.sampled_from([None, "json", "jsonl", "csv"]),
    table=st.sampled_from([None, "targets", "zones"]),
)
def test_random_bytes_as_import_input(tmp_path_factory, raw: bytes, fmt: str | None, table: str | None) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("raw")
    path = folder / "store.json"
    path.write_bytes(BUNDLED.read_bytes())
    file = folder / "in.data"
    file.write_bytes(raw)
    args = ["import", str(file), "--store", str(path)]
    args += ["--input-format", fmt] if fmt else []
    args += ["--table", table] if table else []
    result = run(*args)
    assert_clean(result)
    if result.exit_code != 0:
        assert path.read_bytes() == BUNDLED.read_bytes()


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
    assert_clean(run(*args, "--store", str(BUNDLED)) if args[0] != "ask" else run(*args))


@SETTINGS
@given(data=json_values | st.dictionaries(tables, json_values, max_size=3), large=st.booleans())
def test_random_store_files(tmp_path_factory, monkeypatch_session, data, large: bool) -> None:  # type: ignore[no-untyped-def]
    path: Path = tmp_path_factory.mktemp("st") / "store.json"
    text = json.dumps(data)
    path.write_text(text)
    monkeypatch_session.setattr(store, "STREAM_MIN_BYTES", 0 if large else SMALL_STORE_LIMIT)
    for args in (("zones",), ("targets", "--year", "2025", "--json"), ("show", "x"), ("search", "a")):
        assert_clean(run(*args, "--store", str(path)))
    assert_clean(run("validate", str(path)))
    assert path.read_text() == text
