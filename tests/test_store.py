"""Reading stores: the fast paths agree, bad stores are reported (exit 3) and left untouched."""

from __future__ import annotations

import builtins
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import BUNDLED, SEED, examples, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyq import query
from policyq.model import validate
from policyq.storage import adapter, layout, reading


def grown_store(path: Path, copies: int = 40) -> dict[str, Any]:
    """The bundled store with its targets and indicators copied ``copies`` times under new ids."""
    data = json.loads(SEED.read_text())
    for table in ("targets", "indicators"):
        docs = list(data[table].values())
        grown: dict[str, Any] = {}
        for n in range(copies):
            for doc in docs:
                copy = dict(doc, id=f"{doc['id']}-{n}", value=doc["value"] + n)
                grown[str(len(grown) + 1)] = copy
        data[table] = grown
    path.write_text(layout.dump_tables(data), encoding="utf-8")
    return data


QUERIES = [
    ("targets", "--year", "2025", "--format", "jsonl"),
    ("targets", "--in", "Lingang", "--metric", "output", "--format", "json"),
    ("targets", "--source", "lingang-data-park-2023", "--format", "jsonl"),
    ("targets", "--format", "jsonl"),
    ("indicators", "--in", "Shanghai", "--sort", "value", "--desc", "--format", "csv"),
    ("indicators", "--min", "100", "--max", "1e12", "--format", "tsv"),
    ("parks", "--in", "Pudong", "--format", "json"),
    ("show", "qingdao", "--format", "json"),
    ("search", "robot", "--format", "json"),
]
# The same store in the layouts a user may have: policyq's own, what TinyDB(path).insert()
# writes (one line, non-ASCII escaped), indented JSON, and JSON without spaces.
LAYOUTS: dict[str, Callable[[Any], str]] = {
    "lines": layout.dump_tables,
    "tinydb": json.dumps,
    "indented": lambda data: json.dumps(data, indent=4, ensure_ascii=False),
    "compact": lambda data: json.dumps(data, separators=(",", ":")),
}
STREAM_ALL = {reading.ENV_STREAM_MIN_BYTES: "0"}  # every store counts as large: streamed


@pytest.fixture
def stream_all(monkeypatch: pytest.MonkeyPatch) -> None:
    """For one test: every store is streamed, whatever its size."""
    monkeypatch.setenv(reading.ENV_STREAM_MIN_BYTES, "0")


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_streaming_readers_and_whole_parse_give_the_same_answers(tmp_path: Path, layout: str) -> None:
    whole = tmp_path / "whole.json"
    data = grown_store(whole)  # small enough to be parsed whole by default
    streamed = tmp_path / f"{layout}.json"
    streamed.write_text(LAYOUTS[layout](data), encoding="utf-8")
    for args in QUERIES:
        expected = run(*args, "--store", str(whole))
        got = run(*args, "--store", str(streamed), env=STREAM_ALL)
        assert expected.exit_code == got.exit_code == 0, (args, got)
        assert got.stdout == expected.stdout, args
    assert isinstance(reading.load_tables(whole)["targets"], dict)


@pytest.mark.usefixtures("stream_all")
def test_each_layout_gets_its_reader(tmp_path: Path) -> None:
    data = json.loads(SEED.read_text())
    for name, dump in LAYOUTS.items():
        path = tmp_path / f"{name}.json"
        path.write_text(dump(data), encoding="utf-8")
        tables = reading.load_tables(path)
        assert isinstance(tables, layout.LazyTables)
        reader = layout.LineReader if name == "lines" else layout.JsonReader
        assert isinstance(tables.reader, reader), name
        assert list(tables) == list(data)
        assert {t: dict(tables[t].items()) for t in tables} == data


@pytest.mark.usefixtures("stream_all")
def test_a_store_that_leaves_the_line_layout_is_read_as_any_json(tmp_path: Path) -> None:
    """The line reader gives way to the JSON reader where the file stops following the layout,
    and no record is read twice or missed."""
    data = grown_store(tmp_path / "s.json", copies=2)
    text = layout.dump_tables(data).replace('"indicators": {\n', '"indicators" : {\n')
    path = tmp_path / "s.json"
    path.write_text(text, encoding="utf-8")
    tables = reading.load_tables(path)
    assert isinstance(tables, layout.LazyTables)
    assert isinstance(tables.reader, layout.LineReader)
    assert [r["id"] for r in tables["targets"].select(None)] == [r["id"] for r in data["targets"].values()]
    assert dict(tables["indicators"].items()) == data["indicators"]
    assert isinstance(tables.reader, layout.JsonReader)
    for args in (("indicators", "--format", "json"), ("targets", "--year", "2025", "--format", "json")):
        assert run(*args, "--store", str(path)).stdout == run(*args, "--store", str(path), env={}).stdout


def test_line_layout_round_trips_exactly(tmp_path: Path) -> None:
    data = json.loads(BUNDLED.read_text())
    assert layout.dump_tables(data) == BUNDLED.read_text(encoding="utf-8")
    data["zones"] = {}
    path = tmp_path / "s.json"
    path.write_text(layout.dump_tables(data))
    assert json.loads(path.read_text()) == data
    with path.open("rb") as fh:
        tables = layout.LazyTables(path, fh, path.stat().st_size, fail=lambda exc: exc)
        assert isinstance(tables.reader, layout.LineReader)
        assert dict(tables["zones"].items()) == {}
        assert dict(tables["targets"].items()) == data["targets"]


# --- the byte prefilter never changes an answer ---------------------------------------------------

# Values chosen to sit close to what the prefilter looks for: equal numbers written otherwise
# (2025.0, True == 1), strings holding quotes, escapes, braces or the filter's own bytes.
NEAR_MISSES = [
    *(2025, 2024, 0, 1, -1, 2025.0, 2025.5, 1e20, True, False, None, 2**64 + 1, 2**70),
    *("2025", "pudong", "CNY", "é", 'a"b', "x\\y", "}", "{", '"year": 2025', "year", "line\nbreak"),
]
VALUES = st.one_of(st.sampled_from(NEAR_MISSES), st.integers(-3, 3), st.text(alphabet='ab"\\{}:, \n\té', max_size=5))
FIELDS_FILTERED = ("year", "subject", "source", "unit")
RECORDS = st.dictionaries(
    st.sampled_from(["id", *FIELDS_FILTERED, "note"]),
    VALUES | st.lists(VALUES, max_size=2) | st.dictionaries(st.sampled_from(["year", "subject"]), VALUES, max_size=2),
    max_size=5,
)


EXAMPLES = examples(100)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    records=st.lists(RECORDS, max_size=12),
    dump=st.sampled_from(list(LAYOUTS)),
    escape=st.booleans(),
    field=st.sampled_from(FIELDS_FILTERED),
    one_of=st.booleans(),
    operands=st.lists(VALUES.filter(lambda v: v == v), min_size=1, max_size=3),
)
def test_prefilter_never_changes_an_answer(
    tmp_path: Path,
    records: list[dict[str, Any]],
    dump: str,
    escape: bool,
    field: str,
    one_of: bool,
    operands: list[Any],
) -> None:
    """Whatever the records, the layout and the filter, a scan that rules records out from
    their bytes returns what a scan decoding every record returns, and what a whole parse does."""
    import orjson

    data = {"sources": {}, "targets": {str(n): r for n, r in enumerate(records, 1)}}
    text = LAYOUTS[dump](data)
    if escape:  # a key may be written with an escape: "\u0079ear" is "year"
        text = text.replace('"year"', '"\\u0079ear"')
    path = tmp_path / "s.json"
    path.write_text(text, encoding="utf-8")
    try:
        cond = query.field_test(field, query._one_of, frozenset(operands)) if one_of else None
    except TypeError:  # an unhashable operand
        return
    cond = cond or query.field_test(field, query._eq, operands[0])
    assert isinstance(cond, adapter.FieldQuery)
    expected = [r for r in orjson.loads(path.read_bytes())["targets"].values() if cond(r)]
    with path.open("rb") as fh:
        tables = layout.LazyTables(path, fh, path.stat().st_size, fail=lambda exc: exc)
        targets = tables["targets"]
        assert targets.select(cond, layout.Prefilter(cond.equals)) == expected
        assert targets.select(cond) == expected


def test_the_prefilter_decodes_only_lines_that_can_match(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    data = grown_store(path)
    prefilter = layout.Prefilter([("year", [2025])])
    with path.open("rb") as fh:
        tables = layout.LazyTables(path, fh, path.stat().st_size, fail=lambda exc: exc)
        reader = tables.reader
        assert isinstance(reader, layout.LineReader)
        section = reader.section("targets")
        assert section is not None
        decoded = [json.loads(text) for _, text, _ in reader.candidates(section, prefilter)]
    assert decoded == [r for r in data["targets"].values() if r["year"] == 2025]


BAD_STORES = {
    "empty": (b"", "is empty"),
    "blank": (b"  \n", "is empty"),
    "null": (b"null", "found null"),
    "top-level list": (b"[]", "found list"),
    "table is a list": (b'{"zones": []}', "table 'zones' must be an object of documents, found list"),
    "table is null": (b'{"zones": null}', "table 'zones' must be an object of documents, found null"),
    "non-integer doc id": (b'{"zones": {"x": {}}}', "document id 'x'"),
    "document not an object": (b'{"zones": {"1": 5}}', "document zones/1 must be an object"),
    "truncated": (b'{"zones": {"1": {"id": "a"', "not valid JSON at line 1, column"),
    "not utf-8": (b'{"zones": {"1": {"id": "\xff"}}}', "not UTF-8"),
    "truncated line layout": (b'{\n"zones": {\n"1": {"id": "a"},\n"2": {"id": "b"}', "not valid JSON"),
}


@pytest.mark.parametrize("large", [False, True], ids=["small", "large"])
@pytest.mark.parametrize("name", list(BAD_STORES))
def test_bad_store_is_a_one_line_store_error_and_left_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, large: bool
) -> None:
    content, message = BAD_STORES[name]
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    if large:
        monkeypatch.setenv(reading.ENV_STREAM_MIN_BYTES, "0")
    for args in (("zones",), ("targets", "--json"), ("show", "x"), ("validate", str(path))):
        result = run(*args, "--store", str(path)) if args[0] != "validate" else run(*args)
        assert result.exit_code == 3, (args, result)
        assert result.stderr.count("\n") == 1 and str(path) in result.stderr
        assert message in result.stderr, result.stderr
    assert path.read_bytes() == content


def test_missing_store_and_directory(tmp_path: Path) -> None:
    missing = run("zones", "--store", str(tmp_path / "nope.json"))
    assert missing.exit_code == 3 and "does not exist" in missing.stderr
    folder = run("zones", "--store", str(tmp_path))
    assert folder.exit_code == 3 and "is a directory" in folder.stderr


def test_error_in_a_lazily_read_document_names_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.json"
    grown_store(path, copies=2)
    lines = path.read_text().splitlines()
    bad = next(i for i, line in enumerate(lines) if line.startswith('"2": {"id": "shanghai-new'))
    lines[bad] = lines[bad].replace('"value": ', '"value": +', 1)
    path.write_text("\n".join(lines) + "\n")
    monkeypatch.setenv(reading.ENV_STREAM_MIN_BYTES, "0")
    result = run("targets", "--json", "--store", str(path))
    assert result.exit_code == 3
    assert f"line {bad + 1}" in result.stderr and result.stdout == ""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # A line that is not one document sends the reader to any JSON, which names the problem.
        (lambda line: line.replace("},", "}", 1), "is not valid JSON at line"),
        (lambda line: line.replace('"', '"x', 1), "table 'targets' has document id 'x"),
        (lambda line: line.replace(": {", ": [{", 1).replace("},", "}],", 1), "must be an object"),
    ],
)
def test_lazily_read_line_problems_are_located(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: Any, message: str
) -> None:
    path = tmp_path / "s.json"
    grown_store(path, copies=3)
    lines = path.read_text().splitlines()
    for bad in range(lines.index('"targets": {') + 1, lines.index('"targets": {') + 19):
        check_one_bad_line(path, lines, bad, change, message, monkeypatch)


def check_one_bad_line(
    path: Path, lines: list[str], bad: int, change: Any, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = list(lines)
    lines[bad] = change(lines[bad])
    path.write_text("\n".join(lines) + "\n")
    before = path.read_bytes()
    monkeypatch.setenv(reading.ENV_STREAM_MIN_BYTES, "0")
    result = run("targets", "--json", "--store", str(path))
    assert result.exit_code == 3, result
    assert message in result.stderr, (bad, result.stderr)
    doc_id = bad - lines.index('"targets": {')
    located = (f"line {bad + 1}", f"line {bad + 2}", f"targets/{doc_id}", f"id 'x{doc_id}'")
    assert any(where in result.stderr for where in located), (bad, result.stderr)
    assert path.read_bytes() == before


def test_queries_never_open_the_store_for_writing(monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = builtins.open

    def read_only_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if any(m in mode for m in "wax+") and str(file).endswith(".json"):
            raise PermissionError(13, "Read-only file system", str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", read_only_open)
    monkeypatch.setattr(Path, "open", lambda self, mode="r", *a, **k: read_only_open(self, mode, *a, **k))
    for args in (
        ("parks", "--in", "Pudong"),
        ("targets", "--year", "2025", "--json"),
        ("show", "aisland"),
        ("validate",),
    ):
        assert run(*args).exit_code == 0, args


def test_invalid_store_validate_lists_every_problem_with_id_and_field(tmp_path: Path) -> None:
    data = json.loads(SEED.read_text())
    data["targets"]["1"]["subject"] = "atlantis"
    data["targets"]["2"]["comparator"] = "over"
    data["indicators"]["1"]["value"] = "600"
    data["zones"]["2"]["parent"] = "pudong"  # shanghai under pudong under shanghai: a cycle
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    result = run("validate", str(path))
    assert result.exit_code == 3
    lines = result.stdout.splitlines()
    assert "targets[shanghai-ai-industry-scale-2020].subject: no zone with id 'atlantis'" in lines
    assert any(
        line.startswith("targets[shanghai-new-industries-output-2025].comparator: unknown comparator") for line in lines
    )
    assert any(line.startswith("indicators[pudong-ai-enterprises-2022].value: must be") for line in lines)
    assert any("cycle in the place tree" in line for line in lines)
    assert "4 problem(s)" in result.stderr


@pytest.mark.full_store
def test_bundled_store_is_valid() -> None:
    result = run("validate")
    assert result.exit_code == 0
    assert result.stdout.startswith("ok\t") and "6 sources, 3235 zones, 7 targets, 25 indicators" in result.stdout
    assert validate(json.loads(BUNDLED.read_text())) == []


def test_the_place_index_reads_the_heads_of_the_zones_lines_and_decodes_only_what_it_returns() -> None:
    """The bundled store's 3,200 places are indexed from the start of their lines (the fields
    the schema puts first); a place query decodes the few zones it answers with."""
    from policyq import Store
    from policyq.places import HEAD_FIELDS
    from policyq.schema import FIELDS
    from policyq.storage.zones import LinePlaces

    assert FIELDS["zones"][: len(HEAD_FIELDS)] == HEAD_FIELDS  # the writer puts them first, in this order
    store = Store(str(BUNDLED))
    parks = store.parks(place="Pudong")
    index = store.places()
    assert isinstance(index, LinePlaces) and len(index.by_id) > 3000
    assert len(index._whole) == len(parks) == 5
    assert index.record("aisland") == next(z for z in store.zones(place="zhangjiang") if z["id"] == "aisland")
    pilot = index.by_id["pudong-ai-pilot-zone"]  # a head answers for any other field from the zone whole
    assert pilot.get("sectors") == index.record("pudong-ai-pilot-zone")["sectors"] and "designations" in pilot


@pytest.mark.parametrize(
    "change",
    [
        "reordered",  # a zone whose fields are not in the schema's order
        "escaped",  # a name written with an escape
        "twice",  # a zone id on two lines
    ],
)
def test_a_zones_table_the_heads_cannot_be_read_from_is_decoded_whole(tmp_path: Path, change: str) -> None:
    data = json.loads(SEED.read_text(encoding="utf-8"))
    zones = data["zones"]
    doc, zone = next((d, z) for d, z in zones.items() if z["id"] == "aisland")
    if change == "reordered":
        zones[doc] = {"name": zone["name"], **{k: v for k, v in zone.items() if k != "name"}}
    elif change == "escaped":
        zones[doc] = {**zone, "name": 'AIsland "AI Island"'}
    else:
        zones[str(max(map(int, zones)) + 1)] = dict(zone, name="AIsland again")
    path = tmp_path / "s.json"
    path.write_text(layout.dump_tables(data), encoding="utf-8")
    env = {"POLICYQ_STREAM_MIN_BYTES": "0"}
    streamed = run("parks", "--in", "zhangjiang", "--store", str(path), "--format", "json", env=env)
    whole = run("parks", "--in", "zhangjiang", "--store", str(path), "--format", "json")
    assert streamed.exit_code == whole.exit_code == 0 and streamed.stdout == whole.stdout
    assert any(p["id"] == "aisland" for p in streamed.json())
    names = run("show", "aisland", "--store", str(path), "--format", "table", env=env)
    assert names.exit_code == 0 and zones[doc]["name"] in names.stdout.replace("\n", " ").replace("  ", " ")


@pytest.mark.parametrize(
    "breakage",
    ["valid", "key twice", "long integer", "unknown zone", "zone cycle", "id twice", "not an object", "long doc id"],
)
def test_validate_streams_a_store_and_says_what_a_whole_reading_says(tmp_path: Path, breakage: str) -> None:
    """``validate`` of a large store reads it record by record (exactly: integers as written,
    no key twice); its verdict, counts, problems and errors are those of reading it whole."""
    data = json.loads(SEED.read_text(encoding="utf-8"))
    targets, zones = data["targets"], data["zones"]
    first = next(iter(targets))
    text = layout.dump_tables(data)
    if breakage == "key twice":
        text = text.replace('{"id": "lingang", ', '{"id": "lingang", "name": "x", ', 1)
    elif breakage == "long integer":  # read as a float, it would be another number
        targets[first]["value"] = 2**53 + 1
    elif breakage == "unknown zone":
        targets[first]["subject"] = "atlantis"
    elif breakage == "zone cycle":
        zid = {z["id"]: d for d, z in zones.items()}
        zones[zid["shanghai"]]["parent"] = "pudong"
    elif breakage == "id twice":
        targets["99999"] = dict(targets[first])
    elif breakage == "not an object":
        targets["99999"] = [1, 2]
    elif breakage == "long doc id":
        targets["1234567890123456789"] = targets.pop(first)
    if breakage not in ("valid", "key twice"):
        text = layout.dump_tables(data)
    path = tmp_path / "s.json"
    path.write_text(text, encoding="utf-8")
    whole = run("validate", str(path), "-o", "json")
    streamed = run("validate", str(path), "-o", "json", env={"POLICYQ_STREAM_MIN_BYTES": "0"})
    assert (streamed.exit_code, streamed.stdout, streamed.stderr) == (whole.exit_code, whole.stdout, whole.stderr)
    assert whole.exit_code == (0 if breakage == "valid" else 3), whole
