"""Writing into a store in the line layout: an import changes only its own lines, gives the
bytes a whole rewrite would, and never skips the validation of a store it has not seen valid."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED, run, sample

from policyq import ingest
from policyq.storage import layout, reading, validity

TARGET = sample("targets", id="layout-target-2031", year=2031, deadline="2031")
INDICATOR = sample("indicators", id="layout-indicator-2023")


def bundled() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SEED.read_text())
    return data


def existing(table: str, n: int) -> dict[str, Any]:
    """The n-th record of a bundled table (negative counts from the end), with a new note."""
    record = list(bundled()[table].values())[n]
    return dict(record, note="revised by a test")


STORES = {
    "bundled": bundled,
    "no indicators": lambda: bundled() | {"indicators": {}},  # "indicators": {} on its last line
    "no targets": lambda: bundled() | {"targets": {}},  # "targets": {}, in the middle
}
IMPORTS = {
    "a new target": lambda: {"targets": [TARGET]},
    "a new target and indicator": lambda: {"targets": [TARGET], "indicators": [INDICATOR]},
    "the first target replaced": lambda: {"targets": [existing("targets", 0)]},
    "the last target replaced, one added": lambda: {"targets": [existing("targets", -1), TARGET]},
    "a middle zone replaced": lambda: {"zones": [existing("zones", 10)]},
}


@pytest.mark.parametrize("imported", list(IMPORTS))
@pytest.mark.parametrize("base", list(STORES))
def test_an_import_writes_what_a_whole_rewrite_would(tmp_path: Path, base: str, imported: str) -> None:
    data = STORES[base]()
    path = tmp_path / "store.json"
    path.write_text(layout.dump_tables(data), encoding="utf-8")
    records = IMPORTS[imported]()  # into a table left empty, a record to replace is added
    file = tmp_path / "in.json"
    file.write_text(json.dumps(records), encoding="utf-8")
    incoming = ingest.read_records(str(file), file.read_text(), None, None)
    plan = ingest.plan_import(ingest.Index.of_tables(data), incoming, "in.json", replace=True, skip_existing=False)
    expected = layout.dump_tables(plan.apply(data))

    result = run("import", str(file), "--store", str(path), "--replace")
    assert result.exit_code == 0, result
    assert path.read_text(encoding="utf-8") == expected
    raw = path.read_bytes()
    reader = layout.line_tables(raw)
    assert reader is not None and layout.splice(raw, reader, {}, {}) is not None


def test_lines_not_changed_are_copied_byte_for_byte(tmp_path: Path) -> None:
    """A line policyq would write otherwise (here with non-ASCII letters escaped) is kept as it
    is when the import does not touch it."""
    data = bundled()
    text = layout.dump_tables(data)
    first = next(iter(data["targets"].values()))
    odd = '"1": ' + json.dumps(first, ensure_ascii=True)
    assert odd != '"1": ' + json.dumps(first, ensure_ascii=False)
    text = text.replace('"1": ' + json.dumps(first, ensure_ascii=False), odd, 1)
    path = tmp_path / "store.json"
    path.write_text(text, encoding="utf-8")
    file = tmp_path / "in.json"
    file.write_text(json.dumps({"targets": [TARGET]}), encoding="utf-8")
    assert run("import", str(file), "--store", str(path)).exit_code == 0
    after = path.read_text(encoding="utf-8")
    assert odd + ",\n" in after and after.startswith(text[: text.index(odd)])
    assert json.loads(after)["targets"][str(len(data["targets"]) + 1)]["id"] == TARGET["id"]


@pytest.mark.parametrize(
    "dump",
    [json.dumps, lambda d: json.dumps(d, indent=4)],
    ids=["tinydb one line", "indented"],
)
def test_a_store_in_another_layout_is_rewritten_in_the_line_layout(tmp_path: Path, dump: Any) -> None:
    data = bundled()
    path = tmp_path / "store.json"
    path.write_text(dump(data), encoding="utf-8")
    file = tmp_path / "in.json"
    file.write_text(json.dumps({"targets": [TARGET]}), encoding="utf-8")
    assert run("import", str(file), "--store", str(path)).exit_code == 0
    data["targets"][str(len(data["targets"]) + 1)] = reading.load_exact(path)["targets"][str(len(data["targets"]) + 1)]
    assert path.read_text(encoding="utf-8") == layout.dump_tables(data)


def test_a_line_without_its_id_first_is_read_whole(tmp_path: Path) -> None:
    """A valid store whose records do not start with their id cannot be indexed from its lines;
    the import reads it whole and still finds that the id exists."""
    data = bundled()
    data["targets"] = {k: dict(sorted(r.items())) for k, r in data["targets"].items()}  # 'comparator' first
    path = tmp_path / "store.json"
    path.write_text(layout.dump_tables(data), encoding="utf-8")
    raw = path.read_bytes()
    reader = layout.line_tables(raw)
    assert reader is not None and ingest.Index.of_lines(raw, reader, ["x"]) is None
    file = tmp_path / "in.json"
    file.write_text(json.dumps({"targets": [existing("targets", 2)]}), encoding="utf-8")
    refused = run("import", str(file), "--store", str(path))
    assert refused.exit_code == 2 and "already exists" in refused.stderr
    assert path.read_bytes() == raw


def test_a_store_edited_after_a_write_is_validated_again(tmp_path: Path) -> None:
    """The store a write leaves is remembered as valid, by its exact bytes: an edit by hand,
    even one that keeps the layout, makes the next write validate it, and refuse it."""
    path = tmp_path / "store.json"
    path.write_bytes(SEED.read_bytes())
    file = tmp_path / "in.json"
    file.write_text(json.dumps({"targets": [TARGET]}), encoding="utf-8")
    assert run("import", str(file), "--store", str(path)).exit_code == 0
    assert validity.known_valid(validity.digest_of(path.read_bytes())) is not None
    broken = path.read_text(encoding="utf-8").replace('"unit": "CNY"', '"unit": "yuan"', 1)
    path.write_text(broken, encoding="utf-8")
    assert validity.known_valid(validity.digest_of(path.read_bytes())) is None
    second = tmp_path / "second.json"
    second.write_text(json.dumps({"targets": [dict(TARGET, id="layout-target-2032")]}), encoding="utf-8")
    refused = run("import", str(second), "--store", str(path))
    assert refused.exit_code == 3 and "unknown unit 'yuan'" in refused.stderr
    assert path.read_text(encoding="utf-8") == broken


def test_the_memory_of_valid_stores_is_kept_small(tmp_path: Path) -> None:
    for n in range(validity.VALID_KEPT + 5):
        validity.remember_valid(f"{n:064x}")
    assert len(list(validity._valid_folder().iterdir())) == validity.VALID_KEPT


def test_later_imports_find_ids_through_what_the_first_one_learnt(tmp_path: Path) -> None:
    """After a write, the next import reads only the lines of the ids it brings; it still finds
    every id already in the store, in any table, and numbers new documents after the last."""
    data = bundled()
    path = tmp_path / "store.json"
    path.write_text(layout.dump_tables(data), encoding="utf-8")
    first = tmp_path / "first.json"
    first.write_text(json.dumps({"targets": [TARGET]}), encoding="utf-8")
    assert run("import", str(first), "--store", str(path)).exit_code == 0
    known = validity.known_valid(validity.digest_of(path.read_bytes()))
    assert known is not None and known["next_id"]["targets"] == len(data["targets"]) + 2
    for table, record, message in (
        ("targets", existing("targets", 3), "already exists"),
        ("targets", dict(TARGET, note="again"), "already exists"),
        ("indicators", dict(INDICATOR, id=next(iter(data["zones"].values()))["id"]), "already used in zones"),
    ):
        file = tmp_path / "again.json"
        file.write_text(json.dumps({table: [record]}), encoding="utf-8")
        before = path.read_bytes()
        refused = run("import", str(file), "--store", str(path))
        assert refused.exit_code == 2 and message in refused.stderr, refused
        assert path.read_bytes() == before
    second = tmp_path / "second.json"
    second.write_text(json.dumps({"targets": [dict(TARGET, note="again"), dict(TARGET, id="layout-t-3")]}))
    assert run("import", str(second), "--store", str(path), "--replace").exit_code == 0
    targets = reading.load_exact(path)["targets"]
    assert targets[str(len(data["targets"]) + 1)]["note"] == "again"
    assert targets[str(len(data["targets"]) + 2)]["id"] == "layout-t-3"
