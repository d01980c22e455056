"""For scripts: --jq on every JSON-producing command, export --sqlite, validate -o json and
--fields with no value."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import BUNDLED, records, run

from policyq.model import FIELDS
from policyq.provenance import PROGRESS_FIELDS
from policyq.query import TREE_ROW_FIELDS

# --jq needs the jq binding (an extra); a run without it skips, saying so, only the --jq tests.
NEEDS_JQ = pytest.mark.skipif(
    importlib.util.find_spec("jq") is None, reason="jq is not installed: pip install -e '.[jq]'"
)


# --- --jq ---------------------------------------------------------------------------------------

JSON_COMMANDS: list[tuple[tuple[str, ...], str]] = [
    (("zones", "--in", "Pudong"), ".[].id"),
    (("parks", "--in", "Pudong"), ".[].id"),
    (("targets",), ".[].id"),
    (("indicators", "--in", "Qingdao"), ".[].id"),
    (("sources",), ".[].id"),
    (("search", "metaverse"), ".[].id"),
    (("show", "aisland"), ".record.id"),
    (("tree", "Shanghai"), ".. | objects | .id"),
    (("progress",), ".[].target.id"),
    (("ask", "targets due by 2025 in Lingang"), ".[].id"),
    (("cite", "Pudong", "--style", "csl"), ".[].id"),
    (("validate",), ".store"),
]


def jq_values(expression: str, data: Any) -> list[Any]:
    import jq

    return list(jq.compile(expression).input_value(data).all())


@NEEDS_JQ
@pytest.mark.parametrize(("args", "expression"), JSON_COMMANDS, ids=[a[0] for a, _ in JSON_COMMANDS])
def test_jq_filters_the_json_every_command_prints(args: tuple[str, ...], expression: str) -> None:
    plain = run(*args, "--json") if args[0] not in ("cite",) else run(*args)
    assert plain.exit_code == 0, plain
    filtered = run(*args, "--jq", expression)
    assert filtered.exit_code == 0, filtered
    wanted = jq_values(expression, json.loads(plain.stdout))
    assert wanted and filtered.stdout.splitlines() == [v if isinstance(v, str) else json.dumps(v) for v in wanted]


@NEEDS_JQ
def test_jq_prints_non_strings_as_json_and_keeps_exit_codes() -> None:
    counts = run("targets", "--jq", "[.[] | {id, value}] | length")
    assert counts.exit_code == 0 and counts.stdout == f"{len(records('targets'))}\n"
    first = run("targets", "--jq", ".[0] | {id, value}")
    assert json.loads(first.stdout) == {k: records("targets")[0][k] for k in ("id", "value")}
    none = run("targets", "--year", "1999", "--jq", "length")
    assert (none.exit_code, none.stdout) == (1, "0\n")


@NEEDS_JQ
@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("targets", "--jq", ".["), "--jq '.[': jq: error: syntax error"),
        (("targets", "--jq", ".x"), "Cannot index array"),
        (("targets", "-o", "csv", "--jq", "."), "--jq filters JSON output; drop --format csv"),
        (("cite", "Pudong", "--jq", "."), "use it with --style csl"),
    ],
)
def test_a_bad_jq_expression_is_one_line_and_exit_2(args: tuple[str, ...], said: str) -> None:
    result = run(*args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("policyq: ") and said in result.stderr and result.stderr.count("\n") == 1


@NEEDS_JQ
def test_jq_strings_are_printed_with_control_characters_visible(tmp_path: Path) -> None:
    from policyq.storage import layout

    data = json.loads(BUNDLED.read_text(encoding="utf-8"))
    data["targets"]["1"]["note"] = "a\x1b[2Jb"
    path = tmp_path / "s.json"
    path.write_text(layout.dump_tables(data), encoding="utf-8")
    out = run("targets", "--store", str(path), "--jq", ".[0].note").stdout
    assert "\x1b" not in out and "2J" in out


# --- validate -o json -----------------------------------------------------------------------------


def test_validate_as_json(tmp_path: Path) -> None:
    ok = run("validate", "-o", "json")
    assert ok.exit_code == 0
    report = json.loads(ok.stdout)
    assert report["valid"] is True and report["problems"] == []
    assert report["counts"] == {t: len(records(t)) for t in ("sources", "zones", "targets", "indicators")}
    from policyq.storage import layout

    data = json.loads(BUNDLED.read_text(encoding="utf-8"))
    data["targets"]["1"]["unit"] = "furlongs"
    bad = tmp_path / "bad.json"
    bad.write_text(layout.dump_tables(data), encoding="utf-8")
    result = run("validate", str(bad), "--json")
    assert result.exit_code == 3
    report = json.loads(result.stdout)
    assert report["valid"] is False and report["store"] == str(bad)
    [problem] = report["problems"]
    assert problem["table"] == "targets" and problem["record"] == data["targets"]["1"]["id"]
    assert problem["field"] == "unit" and "furlongs" in problem["message"]
    assert run("validate", "-o", "csv").exit_code == 2


# --- --fields with no value -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "fields"),
    [
        (("targets",), FIELDS["targets"]),
        (("parks",), FIELDS["zones"]),
        (("progress",), PROGRESS_FIELDS),
        (("tree",), TREE_ROW_FIELDS),
        (("show", "aisland"), FIELDS["zones"]),
        (("show", "ai-pilot-zones-2019"), FIELDS["sources"]),
    ],
)
def test_fields_alone_or_a_question_mark_lists_the_fields(args: tuple[str, ...], fields: tuple[str, ...]) -> None:
    for ask in (["--fields"], ["--fields", "?"], ["--fields", "--json"]):
        result = run(*args, *ask)
        assert (result.exit_code, result.stdout.splitlines()) == (0, list(fields)), (args, ask)


# --- export --sqlite -----------------------------------------------------------------------------------


@pytest.mark.full_store
def test_export_sqlite_holds_every_record_with_its_fields(tmp_path: Path) -> None:
    db_path = tmp_path / "policyq.db"
    made = run("export", "--sqlite", str(db_path))
    assert made.exit_code == 0 and made.stdout == "", made
    db = sqlite3.connect(db_path)
    store = json.loads(BUNDLED.read_text(encoding="utf-8"))
    for table, fields in FIELDS.items():
        columns = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]
        assert columns == list(fields)
        rows = db.execute(f'SELECT * FROM "{table}"').fetchall()
        assert len(rows) == len(store[table])
        for row, record in zip(rows, store[table].values(), strict=True):
            back = {
                f: json.loads(v) if isinstance(v, str) and v[:1] in "[{" else v
                for f, v in zip(fields, row, strict=True)
            }
            assert back == record, (table, record["id"])
    kinds = dict(db.execute("SELECT typeof(deadline), typeof(value) FROM targets WHERE deadline = '2025' LIMIT 1"))
    assert kinds == {"text": "integer"}  # a year stays text, a value is a number
    query = "SELECT j.value FROM zones z, json_each(z.sectors) j WHERE z.id = 'aisland'"
    aisland = next(z for z in store["zones"].values() if z["id"] == "aisland")
    assert [v for (v,) in db.execute(query)] == aisland["sectors"]  # JSON that SQLite's json_each reads


def test_export_never_overwrites_without_force_and_never_half_writes(tmp_path: Path) -> None:
    db_path = tmp_path / "mine.db"
    db_path.write_text("my own file")
    refused = run("export", "--sqlite", str(db_path))
    assert refused.exit_code == 2 and "add --force" in refused.stderr
    assert db_path.read_text() == "my own file"
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    failed = run("export", "--sqlite", str(db_path), "--force", "--store", str(broken))
    assert failed.exit_code == 3 and db_path.read_text() == "my own file"
    assert run("export", "--sqlite", str(db_path), "--force").exit_code == 0
    sources = len(json.loads(BUNDLED.read_text(encoding="utf-8"))["sources"])
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM sources").fetchone() == (sources,)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.json", "mine.db"]  # no temporary file left


def test_export_of_a_user_store(tmp_path: Path) -> None:
    mine = tmp_path / "store.json"
    shutil.copyfile(BUNDLED, mine)
    assert run("export", "--sqlite", str(tmp_path / "a.db"), "--store", str(mine)).exit_code == 0
