"""Reading stores: the fast paths agree, bad stores are reported (exit 3) and left untouched."""

from __future__ import annotations

import builtins
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import BUNDLED, run

from policyq import store
from policyq.model import validate


def grown_store(path: Path, copies: int = 40) -> dict[str, Any]:
    """The bundled store with its targets and indicators copied ``copies`` times under new ids."""
    data = json.loads(BUNDLED.read_text())
    for table in ("targets", "indicators"):
        docs = list(data[table].values())
        grown = {}
        for n in range(copies):
            for doc in docs:
                copy = dict(doc, id=f"{doc['id']}-{n}", value=doc["value"] + n)
                grown[str(len(grown) + 1)] = copy
        data[table] = grown
    path.write_text(store.dump_tables(data), encoding="utf-8")
    return data


QUERIES = [
    ("targets", "--year", "2025", "--format", "jsonl"),
    ("targets", "--in", "Lingang", "--metric", "output", "--format", "json"),
    ("indicators", "--in", "Shanghai", "--sort", "value", "--desc", "--format", "csv"),
    ("indicators", "--min", "100", "--max", "1e12", "--format", "tsv"),
    ("parks", "--in", "Pudong", "--format", "json"),
    ("show", "qingdao", "--format", "json"),
    ("search", "robot", "--format", "json"),
]


@pytest.mark.parametrize("args", QUERIES)
def test_lazy_line_layout_and_whole_parse_give_the_same_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    lines = tmp_path / "lines.json"
    data = grown_store(lines)
    pretty = tmp_path / "pretty.json"  # the same store in another layout: read whole
    pretty.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")

    small = run(*args, "--store", str(lines))
    monkeypatch.setattr(store, "STREAM_MIN_BYTES", 0)  # every store counts as large
    lazy = run(*args, "--store", str(lines))
    whole = run(*args, "--store", str(pretty))
    assert small.exit_code == lazy.exit_code == whole.exit_code == 0
    assert small.stdout == lazy.stdout == whole.stdout
    assert isinstance(store.load_tables(lines)["targets"], store.LazyTable)
    assert isinstance(store.load_tables(pretty)["targets"], dict)


def test_line_layout_round_trips_exactly(tmp_path: Path) -> None:
    data = json.loads(BUNDLED.read_text())
    assert store.dump_tables(data) == BUNDLED.read_text(encoding="utf-8")
    data["zones"] = {}
    path = tmp_path / "s.json"
    path.write_text(store.dump_tables(data))
    assert json.loads(path.read_text()) == data
    lazy = store._split_line_layout(path, path.read_bytes().splitlines(keepends=True))
    assert lazy is not None and lazy["zones"] == {}
    assert dict(lazy["targets"].items()) == data["targets"]


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
        monkeypatch.setattr(store, "STREAM_MIN_BYTES", 0)
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
    monkeypatch.setattr(store, "STREAM_MIN_BYTES", 0)
    result = run("targets", "--json", "--store", str(path))
    assert result.exit_code == 3
    assert f"line {bad + 1}" in result.stderr and result.stdout == ""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda line: line.replace("},", "}", 1), "a comma is missing or extra"),
        (lambda line: line.replace('"', '"x', 1), "is not a document of table 'targets'"),
        (lambda line: line.replace(": {", ": [{", 1).replace("},", "}],", 1), "is not a document of table"),
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
    monkeypatch.setattr(store, "STREAM_MIN_BYTES", 0)
    result = run("targets", "--json", "--store", str(path))
    assert result.exit_code == 3, result
    assert message in result.stderr, (bad, result.stderr)
    doc_id = bad - lines.index('"targets": {')
    located = (f"line {bad + 1}", f"line {bad + 2}", f"targets/{doc_id}")
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
    data = json.loads(BUNDLED.read_text())
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


def test_bundled_store_is_valid() -> None:
    result = run("validate")
    assert result.exit_code == 0
    assert result.stdout.startswith("ok\t") and "5 sources, 31 zones, 7 targets, 25 indicators" in result.stdout
    assert validate(json.loads(BUNDLED.read_text())) == []
