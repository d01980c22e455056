"""The schema is declared once (policyq/schema.py); the docs and the rules are held to it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import BUNDLED, run

from policyq import schema
from policyq.model import _RULES, normalize

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DOC = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _doc_table(table: str) -> list[tuple[str, str]]:
    """The (field, meaning) rows of docs/schema.md's table under '## table'."""
    section = SCHEMA_DOC.split(f"\n## {table}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z_]+)` \| (.*) \|$", section, flags=re.M)


@pytest.mark.parametrize("table", list(schema.TABLES))
def test_docs_schema_lists_every_field_in_order_with_its_meaning(table: str) -> None:
    assert _doc_table(table) == [(f.name, f.doc) for f in schema.TABLES[table]]


@pytest.mark.parametrize("table", list(schema.TABLES))
def test_readme_json_contract_lists_every_field_in_order(table: str) -> None:
    line = re.search(rf"^- \*\*{table}\*\*: `([^`]*)`", README, flags=re.M)
    assert line, table
    assert tuple(line.group(1).split(", ")) == schema.FIELDS[table]


def test_readme_contract_names_the_designation_fields() -> None:
    assert "each designation is `{" + ", ".join(schema.DESIGNATION_FIELDS) + "}`" in README


def test_the_rules_follow_the_schema() -> None:
    """A required field may not be null, an optional one may; lists start empty."""
    for table, fields in schema.TABLES.items():
        assert list(_RULES[table]) == [f.name for f in fields]
        blank = normalize(table, {})
        for f in fields:
            types, required = _RULES[table][f.name]
            assert required == f.required
            assert (type(None) in types) == (not f.required and not f.is_list), f.name
            assert blank[f.name] == ([] if f.is_list else None), f.name


def test_every_date_field_has_its_precision_in_output(tmp_path: Path) -> None:
    """The precision companions the schema declares are what `--json` prints beside each date."""
    for date, precision in schema.PRECISION_FIELDS.items():
        table = next(t for t, fs in schema.FIELDS.items() if date in fs)
        order = schema.FIELDS[table]
        assert order.index(precision) == order.index(date) + 1
    result = run("targets", "--json", "--store", str(BUNDLED))
    assert result.exit_code == 0
    assert '"deadline_precision"' in result.stdout


def test_remove_refuses_for_every_referring_field_the_schema_declares(tmp_path: Path) -> None:
    """Each field that refers to a zone or a source keeps that record from being removed."""
    store = tmp_path / "s.json"
    store.write_bytes(BUNDLED.read_bytes())
    declared = {(t, f.name) for t, fs in schema.REFERENCES.items() for f in fs}
    assert ("targets", "subject") in declared and ("zones", "parent") in declared
    for record_id in ("pudong", "pudong-ai-clusters-2023", "zhangjiang"):
        result = run("remove", record_id, "--store", str(store))
        assert result.exit_code == 2, result
    assert store.read_bytes() == BUNDLED.read_bytes()
