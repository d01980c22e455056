"""The record factory the tests build their facts with makes complete records policyq accepts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import MakeRecord, run

from policyq import schema


@pytest.mark.parametrize("table", ["targets", "indicators"])
def test_a_sample_record_has_every_required_field_and_imports_as_given(
    table: str, make_record: MakeRecord, user_store: Path, tmp_path: Path
) -> None:
    record = make_record(table, id=f"own-{table}", value=7)
    required = {f.name for f in schema.TABLES[table] if f.required}
    assert required <= record.keys(), required - record.keys()
    assert record["value"] == 7 and make_record(table)["value"] != 7  # overrides apply to that call only
    draft = tmp_path / "draft.json"
    draft.write_text(json.dumps({table: [record]}), encoding="utf-8")
    imported = run("import", str(draft), "--store", str(user_store))
    assert imported.exit_code == 0, imported
    shown = run("show", f"own-{table}", "--store", str(user_store), "--json")
    assert shown.exit_code == 0, shown
    assert shown.json()["table"] == table
    assert {k: shown.json()["record"][k] for k in record} == record
    assert run("validate", str(user_store)).exit_code == 0
