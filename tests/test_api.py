"""The Python API returns what the command line prints, and the CLI stays a thin adapter."""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import BUNDLED, ROOT, MakeRecord, run
from typer.main import get_command
from typer.testing import CliRunner

import policyq
from policyq.cli import _output_params, app
from policyq.env import Environment
from policyq.errors import ExitCode, ImportRefused, PolicyqError, StoreError, UsageError
from policyq.schema import FIELDS

# (CLI arguments, API method, keyword arguments): the same question asked both ways.
CASES: list[tuple[tuple[str, ...], str, dict[str, Any]]] = [
    (("zones",), "zones", {}),
    (
        ("zones", "--in", "Shanghai", "--kind", "park", "--kind", "area"),
        "zones",
        {"place": "Shanghai", "kind": ["park", "area"]},
    ),
    (("zones", "--sector", "data", "--sort", "name"), "zones", {"sector": "data", "sort": "name"}),
    (("parks", "--in", "浦东"), "parks", {"place": "浦东"}),
    (("parks", "--limit", "2"), "parks", {"limit": 2}),
    (("targets",), "targets", {}),
    (("targets", "--year", "2025", "--metric", "output"), "targets", {"year": 2025, "metric": "output"}),
    (("targets", "--year", "2020-2025", "--due-by", "2024"), "targets", {"year": "2020-2025", "due_by": 2024}),
    (
        ("targets", "--in", "Lingang", "--sort", "value", "--desc"),
        "targets",
        {"place": "Lingang", "sort": "value", "desc": True},
    ),
    (("targets", "--min", "1e11", "--max", "1e12"), "targets", {"min_value": 1e11, "max_value": 1e12}),
    (("indicators", "--in", "Qingdao"), "indicators", {"place": "Qingdao"}),
    (
        ("indicators", "--metric", "gdp", "--sort", "-value", "--limit", "2"),
        "indicators",
        {"metric": "gdp", "sort": "-value", "limit": 2},
    ),
    (
        ("indicators", "--source", "shanghai-high-end-industry-2023"),
        "indicators",
        {"source": "shanghai-high-end-industry-2023"},
    ),
    (("sources", "--sort", "published"), "sources", {"sort": "published"}),
]


@pytest.mark.parametrize(("args", "method", "kwargs"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_api_returns_exactly_what_the_cli_prints_as_json(args: tuple[str, ...], method: str, kwargs: dict) -> None:
    printed = run(*args, "--json")
    assert printed.exit_code == 0, printed
    from_api = getattr(policyq.Store(), method)(**kwargs)
    assert from_api == printed.json()
    assert json.loads(json.dumps(from_api)) == from_api  # plain JSON values, nothing else
    assert [list(r) for r in from_api] == [list(r) for r in printed.json()]  # the same field order


def test_api_search_show_and_ask_match_the_cli() -> None:
    store = policyq.Store()
    assert store.search("metaverse") == run("search", "metaverse", "--json").json()
    assert store.show("aisland") == run("show", "aisland", "--json").json()
    assert store.ask("parks in Pudong").records == run("ask", "parks in Pudong", "--json").json()


def test_records_know_the_total_before_the_limit() -> None:
    parks = policyq.Store().parks(limit=2)
    assert len(parks) == 2
    assert parks.total == len(policyq.Store().parks()) > 2


def test_api_errors_are_policyq_errors_with_the_cli_exit_code(tmp_path: Path) -> None:
    store = policyq.Store()
    with pytest.raises(UsageError) as unknown:
        store.parks(place="Pudng")
    assert unknown.value.code == ExitCode.USAGE == run("parks", "--in", "Pudng").exit_code
    assert "did you mean" in str(unknown.value)
    with pytest.raises(StoreError) as missing:
        policyq.Store(tmp_path / "nope.json").zones()
    assert missing.value.code == ExitCode.STORE
    assert isinstance(missing.value, PolicyqError)


def test_api_writes_validate_and_are_seen_by_the_cli(tmp_path: Path, make_record: MakeRecord) -> None:
    path = tmp_path / "mine.json"
    store = policyq.Store.init(path)
    checked = store.validate()
    assert checked.valid and checked.problems == [] and checked.store == path
    assert checked.counts == {"sources": 6, "zones": len(store.zones()), "targets": 7, "indicators": 25}
    target = make_record("targets", id="my-target-2030", subject="qingdao", source="ai-pilot-zones-2019")
    done = store.import_records({"targets": [target]})
    assert done.added == [("targets", "my-target-2030")]
    assert [t["id"] for t in run("targets", "--in", "Qingdao", "--store", str(path), "--json").json()] == [
        "my-target-2030"
    ]
    with pytest.raises(UsageError, match="already exists"):
        store.import_records([target], table="targets")
    with pytest.raises(UsageError, match="refers to it"):
        store.remove("qingdao")
    assert store.remove("my-target-2030") == "targets"
    assert store.targets(place="Qingdao") == []


def test_api_refuses_to_write_the_bundled_store() -> None:
    with pytest.raises(UsageError, match="read-only"):
        policyq.Store(BUNDLED).remove("qingdao")


def _options(command: Any) -> dict[str, tuple[str, ...]]:
    return {p.name: tuple(p.opts) for p in command.params if p.param_type_name == "option" and p.name}


OUTPUT = {p.name for p in _output_params("zones", listing=True)}  # the shared declaration
LISTINGS = ("zones", "parks", "targets", "indicators", "sources", "search", "ask")


def test_every_listing_has_the_same_output_options_with_help_and_completion() -> None:
    group: Any = get_command(app)
    shared = None
    for name in LISTINGS:
        command = group.commands[name]
        output = {n: o for n, o in _options(command).items() if n in OUTPUT}
        shared = shared or output
        assert output == shared, name
        for param in command.params:
            assert param.help, (name, param.name)
        fields = next(p for p in command.params if p.name == "fields")
        assert fields._custom_shell_complete is not None, name
    assert set(shared or ()) == OUTPUT >= {"store_path", "format", "json", "fields", "sort", "desc", "limit"}


def test_cli_imports_neither_tinydb_nor_the_storage() -> None:
    tree = ast.parse((ROOT / "policyq" / "cli.py").read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
            imported.update(f"{node.module}.{a.name}" for a in node.names)
    assert not {m for m in imported if m.startswith("tinydb") or m.startswith("policyq.storage")}
    attributes = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    assert not attributes & {"storage", "db"}  # no TinyDB storage reached through the API


def test_environment_decides_table_or_tsv_and_carries_every_error_line() -> None:
    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdout=out, stderr=err, isatty=True)
    result = CliRunner().invoke(app, ["parks", "--in", "Zhangjiang"], obj=env, prog_name="policyq")
    assert result.exit_code == 0
    assert "AIsland" in out.getvalue() and "\t" not in out.getvalue()  # a table, not TSV
    piped = io.StringIO()
    env = Environment(stdout=piped, stderr=err, isatty=False)
    CliRunner().invoke(app, ["parks", "--in", "Zhangjiang"], obj=env, prog_name="policyq")
    assert piped.getvalue().startswith("id\t")
    result = CliRunner().invoke(app, ["show", "\x1b]0;x\x07"], obj=env, prog_name="policyq")
    assert result.exit_code == 2
    line = err.getvalue().splitlines()[-1]
    assert line.startswith("policyq: no record or place ") and "\x1b" not in line and "\x07" not in line


def _doc_blocks() -> list[str]:
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


@pytest.mark.full_store
def test_the_api_guide_runs_and_prints_what_it_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every example in docs/api.md runs, in order; each '# ...' line after a print is its output."""
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {}
    ran = 0
    if importlib.util.find_spec("pandas") is None:
        pytest.skip("docs/api.md has a pandas example, and pandas is not installed")
    for block in _doc_blocks():
        expected, after_print = [], False
        for line in block.splitlines():
            if line.startswith("print("):
                after_print = True
            elif after_print and line.startswith("# "):
                expected.append(line[2:])
            else:
                after_print = False
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(block, "docs/api.md", "exec"), namespace)
        lines = printed.getvalue().splitlines()
        assert all(line in lines for line in expected), (expected, lines)
        ran += 1
    assert ran >= 5


def test_records_given_to_the_api_are_named_as_records_and_checked_as_values(
    tmp_path: Path, make_record: MakeRecord
) -> None:
    store = policyq.Store.init(tmp_path / "mine.json")
    bad = [make_record("targets", id=f"bad-{i}", subject="qingdao", unit="furlongs") for i in range(3)]
    with pytest.raises(ImportRefused) as refused:
        store.import_records(bad, table="targets")
    message = str(refused.value)
    assert message.startswith("records targets[0]: ") and "records.json" not in message
    assert "--dry-run" not in message and "details" in message and len(refused.value.details) == 3
    with pytest.raises(UsageError, match="a list of records needs table="):
        store.import_records(bad)
    with pytest.raises(UsageError, match="type set"):
        store.import_records([make_record("targets", id="a-set", sectors={"AI"})], table="targets")
    with pytest.raises(UsageError, match="finite"):
        store.import_records([make_record("targets", id="a-nan", value=float("nan"))], table="targets")
    looped: list[Any] = []
    looped.append(looped)
    with pytest.raises(UsageError, match="too deeply"):
        store.import_records({"targets": looped})
    kept = make_record("targets", id="tuple-sectors", subject="qingdao", sectors=("AI", "data"))
    assert store.import_records([kept], table="targets").added == [("targets", "tuple-sectors")]
    assert store.targets(place="Qingdao")[0]["sectors"] == ["AI", "data"]


def test_results_carry_their_table_fields_and_noun() -> None:
    store = policyq.Store(BUNDLED)
    parks = store.parks(place="Pudong")
    assert (parks.table, parks.noun, parks.fields) == ("zones", "parks", FIELDS["zones"])
    found = store.search("robot")
    assert (found.table, found.noun) == ("search", "records") and "field" in found.fields
    tree = store.tree("Shanghai", depth=0)
    assert (tree.table, tree.noun, tree.fields[:2]) == ("tree", "places", ("depth", "path"))
    progress = store.progress()
    assert (progress.table, progress.noun) == ("progress", "targets") and "ratio" in progress.fields
    assert store.ask("parks in Pudong").records.noun == "parks"


def test_the_fact_filters_are_declared_once_and_an_unknown_one_is_named() -> None:
    store = policyq.Store(BUNDLED)
    with pytest.raises(
        UsageError,
        match=r"targets\(\) takes no argument plac=; valid: due_by, sort, desc, limit, place, sector, source, year",
    ):
        store.targets(plac="Qingdao")  # type: ignore[call-arg]
    with pytest.raises(UsageError, match="metric= takes text or None, not int 5"):
        store.indicators(metric=5)  # type: ignore[arg-type]
    flags = {o for p in get_command(app).commands["targets"].params for o in p.opts}  # type: ignore[attr-defined]
    assert {"--in", "--year", "--min", "--above", "--exact", "--chart", "--due-by"} <= flags
    assert [t["id"] for t in store.targets(place="Lingang", due_by=2025, above="100bn")] == [
        t["id"] for t in run("targets", "--in", "Lingang", "--due-by", "2025", "--above", "100bn", "--json").json()
    ]
    with pytest.raises(UsageError, match=r"parks\(\) takes no argument kind=; valid: sort, desc, limit, place"):
        store.parks(kind="city")  # type: ignore[call-arg]
    assert [z["id"] for z in store.parks(place="Pudong", sector="AI")] == [
        z["id"] for z in run("parks", "--in", "Pudong", "--sector", "AI", "--json").json()
    ]


def test_a_place_index_kept_for_later_calls_is_never_used_after_the_file_changed(user_store: Path) -> None:
    first = policyq.Store(user_store)
    assert "new-park" not in {z["id"] for z in first.parks(place="Pudong")}
    assert first.ask("parks in Pudong").records  # the index and sectors are now kept for this file
    park = {"id": "new-park", "name": "Newly Filed Park", "kind": "park", "parent": "pudong", "sectors": ["quantum"]}
    policyq.Store(user_store).import_records([park], table="zones")
    for store in (first, policyq.Store(user_store)):  # the same Store object, and a new one
        assert "new-park" in {z["id"] for z in store.parks(place="Pudong")}
        assert store.show("Newly Filed Park")["record"]["id"] == "new-park"
        assert "new-park" in {z["id"] for z in store.ask("quantum parks in Pudong").records}
