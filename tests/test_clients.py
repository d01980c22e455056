"""Every output read back by the client people read it with: pandas, the csv module, a
CommonMark/GFM parser, strict JSON readers. Each test names what the client got wrong before."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import BUNDLED, SEED, run, sample

ROOT = Path(__file__).resolve().parent.parent
HOSTILE_NOTE = 'first line\nsecond\tcell "quoted" \\ back'
TARGET = sample(
    "targets",
    id="client-target-2030",
    usd=None,
    deadline_precision="year",
    sectors=["a, b", "c; d", "[e]"],
    quote='"Quoted" at the start',
    note=HOSTILE_NOTE,
)


def store_with(tmp_path: Path, *targets: dict[str, Any]) -> Path:
    """A user store holding ``targets`` besides the records of the seed store (conftest), imported by policyq."""
    path = tmp_path / "store.json"
    shutil.copyfile(SEED, path)
    records = tmp_path / "records.json"
    records.write_text(json.dumps({"targets": list(targets)}), encoding="utf-8")
    imported = run("import", str(records), "--store", str(path))
    assert imported.exit_code == 0, imported
    return path


def stored_target(path: Path, rid: str) -> dict[str, Any]:
    return next(t for t in json.loads(path.read_text(encoding="utf-8"))["targets"].values() if t["id"] == rid)


# --- CSV and TSV ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_lists_and_awkward_text_round_trip_through_import(tmp_path: Path, fmt: str) -> None:
    """sectors ["a, b", "c; d"] came back as ["a, b", "c", "d"] with exit 0."""
    path = store_with(tmp_path, TARGET)
    exported = run("targets", "--in", "Pudong", "--store", str(path), "--format", fmt)
    assert exported.exit_code == 0, exported
    before = json.loads(path.read_text(encoding="utf-8"))["targets"]
    assert run("remove", TARGET["id"], "--store", str(path)).exit_code == 0
    back = run("import", "-", "--table", "targets", "--replace", "--store", str(path), input=exported.stdout)
    assert back.exit_code == 0, back
    assert stored_target(path, TARGET["id"]) == TARGET
    after = json.loads(path.read_text(encoding="utf-8"))["targets"]
    assert sorted(after.values(), key=lambda t: t["id"]) == sorted(before.values(), key=lambda t: t["id"])


def test_import_reads_what_policyq_prints_when_piped(tmp_path: Path) -> None:
    """Piped output is TSV; `import -` refused it ('unknown column')."""
    path = store_with(tmp_path, TARGET)
    piped = run("targets", "--in", "Pudong", "--store", str(path))  # no --format: TSV
    assert piped.stdout.startswith("id\tsubject\t")
    assert run("remove", TARGET["id"], "--store", str(path)).exit_code == 0
    back = run("import", "-", "--table", "targets", "--replace", "--store", str(path), input=piped.stdout)
    assert back.exit_code == 0, back
    assert stored_target(path, TARGET["id"]) == TARGET


def test_the_csv_module_reads_tsv_cells_exactly(tmp_path: Path) -> None:
    path = store_with(tmp_path, TARGET)
    out = run("show", TARGET["id"], "--store", str(path), "--format", "tsv").stdout
    rows = list(csv.DictReader(io.StringIO(out, newline=""), delimiter="\t"))
    assert len(rows) == 1
    assert rows[0]["note"] == HOSTILE_NOTE and rows[0]["quote"] == TARGET["quote"]
    assert json.loads(rows[0]["sectors"]) == TARGET["sectors"]


def test_tsv_lines_are_iana_records_unless_a_value_needs_quoting() -> None:
    out = run("targets", "--format", "tsv").stdout
    lines = out.splitlines()
    assert len(lines) == 1 + len(json.loads(run("targets", "--json").stdout))
    assert all(line.count("\t") == lines[0].count("\t") for line in lines)
    assert '"' not in "".join(line[:1] for line in lines) and "\\t" not in out


# pandas is a test extra; a run without it skips, saying so, only the tests that read with it.
NEEDS_PANDAS = pytest.mark.skipif(
    importlib.util.find_spec("pandas") is None, reason="pandas is not installed: pip install -e '.[test]'"
)


@NEEDS_PANDAS
@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_pandas_reads_every_cell_as_written(tmp_path: Path, fmt: str) -> None:
    """A cell starting with '"' broke pandas.read_csv(sep='\\t'); backslash escapes stayed."""
    import pandas

    path = store_with(tmp_path, TARGET)
    out = run("show", TARGET["id"], "--store", str(path), "--format", fmt).stdout
    df = pandas.read_csv(io.StringIO(out), sep="\t" if fmt == "tsv" else ",", dtype=str, keep_default_na=False)
    row = df.iloc[0]
    assert len(df) == 1 and row["note"] == HOSTILE_NOTE and row["quote"] == TARGET["quote"]
    assert json.loads(row["sectors"]) == TARGET["sectors"] and row["deadline"] == "2030"


FORMULAS = ['=HYPERLINK("http://x","y")', "@SUM(1)", " =1+1", "\n=cmd"]


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_safe_defuses_formulas_in_tsv_too(tmp_path: Path, fmt: str) -> None:
    """--csv-safe was silently ignored for TSV, and missed a leading space or newline."""
    targets = [dict(TARGET, id=f"formula-{n}", note=f, sectors=[]) for n, f in enumerate(FORMULAS)]
    path = store_with(tmp_path, *targets)
    args = ("targets", "--store", str(path), "--format", fmt, "--fields", "id,value,note", "--csv-safe")
    rows = list(csv.reader(io.StringIO(run(*args).stdout, newline=""), delimiter="\t" if fmt == "tsv" else ","))
    notes = {r[0]: r for r in rows[1:]}
    for n, formula in enumerate(FORMULAS):
        assert notes[f"formula-{n}"][2] == "'" + formula
        assert notes[f"formula-{n}"][1] == "2000000000000"


# --- JSON -------------------------------------------------------------------------------------

SNEAKY = "Pudong\u200b New\u202e Area\u2028next\x9b31m\u2029\ufeff\U000e0041\u061c\u200f"


def hand_made(tmp_path: Path, note: str) -> Path:
    """A store written without policyq's checks, whose first target's note is ``note``."""
    from policyq.storage import layout

    data = json.loads(SEED.read_text(encoding="utf-8"))
    data["targets"]["1"]["note"] = note
    path = tmp_path / "hand.json"
    path.write_text(layout.dump_tables(data), encoding="utf-8")
    return path


def strict_json(text: str) -> Any:
    def refuse(name: str) -> Any:
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_escapes_invisible_bidi_c1_and_line_separators(tmp_path: Path, fmt: str) -> None:
    """C1 controls, bidi marks and U+2028 were written raw (jsonl lines split on U+2028)."""
    path = hand_made(tmp_path, SNEAKY)
    rid = json.loads(SEED.read_text(encoding="utf-8"))["targets"]["1"]["id"]
    out = run("targets", "--store", str(path), "--format", fmt).stdout
    assert out.isascii() or not re.search("[\x80-\x9f\u061c\u200b-\u200f\u2028-\u202e\ufeff\U000e0000-\U000e007f]", out)
    records = strict_json(out) if fmt == "json" else [strict_json(line) for line in out.splitlines()]
    assert len(records) == len(out.splitlines()) if fmt == "jsonl" else True
    assert next(r for r in records if r["id"] == rid)["note"] == SNEAKY


def test_json_never_holds_a_non_finite_number(tmp_path: Path) -> None:
    """progress --json wrote Infinity (a ratio over 5e-324); CSV wrote inf."""
    tiny = dict(TARGET, id="tiny-target", value=5e-324, sectors=["artificial intelligence"], note=None)
    path = store_with(tmp_path, tiny)
    s = ("--store", str(path), "--in", "Pudong")
    for fmt in ("json", "jsonl"):
        out = run("progress", *s, "--format", fmt).stdout
        items = strict_json(out) if fmt == "json" else [strict_json(line) for line in out.splitlines()]
        item = next(i for i in items if i["target"]["id"] == "tiny-target")
        assert item["evidence"] and all(e["ratio"] is None for e in item["evidence"])
    rows = list(csv.DictReader(io.StringIO(run("progress", *s, "--format", "csv").stdout)))
    assert {r["ratio"] for r in rows if r["target_id"] == "tiny-target"} == {""}
    flat = strict_json(run("progress", *s, "--fields", "target_id,ratio", "--json").stdout)
    assert all(r["ratio"] is None for r in flat if r["target_id"] == "tiny-target")


# --- Markdown ---------------------------------------------------------------------------------


def test_markdown_cells_stay_text_for_a_gfm_parser(tmp_path: Path) -> None:
    """Raw HTML and Markdown in data passed through: <img src=x onerror=…> ran in a viewer."""
    markdown_it = pytest.importorskip("markdown_it")
    attack = "<img src=x onerror=alert(1)> **bold** [link](http://x) `code` ~~gone~~ a|b &amp;"
    path = store_with(tmp_path, dict(TARGET, metric_label=attack, note=attack))
    md = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"])
    for args in (("targets", "--in", "Pudong"), ("show", TARGET["id"])):
        out = run(*args, "--store", str(path), "--format", "markdown").stdout
        tokens = md.parse(out)
        inline = [c for t in tokens for c in t.children or ()]
        kinds = {t.type for t in tokens} | {c.type for c in inline}
        assert not kinds & {"html_block", "link_open", "code_inline", "s_open"}, args
        assert {c.content for c in inline if c.type == "html_inline"} <= {"<br>"}, args  # policyq's line breaks
        text = "".join(c.content for c in inline if c.type == "text")
        assert attack in text, args
        assert "<img" not in md.render(out), args


# --- pandas recipes (README, docs/schema.md) ----------------------------------------------------


def python_block(path: Path, after: str) -> str:
    """The first ```python block of ``path`` after the line ``after``."""
    text = path.read_text(encoding="utf-8")
    return text[text.index(after) :].split("```python\n", 1)[1].split("```", 1)[0]


def year_only_store(tmp_path: Path) -> Path:
    """Every deadline a bare year, and one target with no deadline at all: what made pandas read
    deadlines as int64, and the Period recipe fail on a null (KeyError: nan)."""
    from policyq.storage import layout

    data = json.loads(SEED.read_text(encoding="utf-8"))
    for t in data["targets"].values():
        if t["deadline"]:
            t["deadline"], t["deadline_precision"] = t["deadline"][:4], "year"
    undated = dict(TARGET, id="undated-target", deadline=None, deadline_precision=None, sectors=[], note=None)
    data["targets"][str(len(data["targets"]) + 1)] = undated
    path = tmp_path / "years.json"
    path.write_text(layout.dump_tables(data), encoding="utf-8")
    assert run("validate", str(path)).exit_code == 0
    return path


@NEEDS_PANDAS
def test_the_schema_pandas_recipe_reads_year_dates_and_nulls(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    path = year_only_store(tmp_path)
    recipe = python_block(ROOT / "docs" / "schema.md", "## Dates and their precision")
    script = tmp_path / "recipe.py"
    show = "[{'id': i, 'deadline': d if isinstance(d, str) else None, 'due': str(p) if p is not pd.NaT else None}"
    show += " for i, d, p in zip(df['id'], df['deadline'], df['due'])]"
    script.write_text(f"{recipe}\nprint(json.dumps({show}))\n")
    env = dict(
        os.environ, POLICYQ_STORE=str(path), PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    rows = {r["id"]: r for r in json.loads(done.stdout)}
    stored = {t["id"]: t for t in json.loads(path.read_text(encoding="utf-8"))["targets"].values()}
    assert rows["undated-target"]["deadline"] is None and rows["undated-target"]["due"] is None
    for rid, t in stored.items():
        if t["deadline"]:
            assert rows[rid]["deadline"] == t["deadline"]  # text, not 2025 as a number
            assert rows[rid]["due"] == t["deadline"]  # a yearly Period: '2025'


@NEEDS_PANDAS
def test_the_readme_pandas_recipe_reads_csv_dates_and_lists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = year_only_store(tmp_path)
    out = run("targets", "--store", str(path), "--format", "csv").stdout
    (tmp_path / "targets.csv").write_text(out, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    scope: dict[str, Any] = {}
    exec(python_block(ROOT / "README.md", "act on, so data shows as text"), scope)
    df = scope["df"]
    stored = {t["id"]: t for t in json.loads(path.read_text(encoding="utf-8"))["targets"].values()}
    for _, row in df.iterrows():
        t = stored[row["id"]]
        assert (row["deadline"] if isinstance(row["deadline"], str) else None) == t["deadline"]
        assert (row["sectors"] if isinstance(row["sectors"], list) else []) == t["sectors"]


# --- BibTeX and CSL-JSON ------------------------------------------------------------------------

FORGERY = "Evil}} @misc{forged, note = {\\immediate\\write18{rm -rf ~}}, title = {x"
SOURCE: dict[str, Any] = {
    "id": "hostile-source",
    "title": "Open { brace and 100% & $5 #1 a_b ^ ~ \\ back " + FORGERY,
    "publisher": "Forged }} Press",
    "published": "2024-03",
    "published_precision": "month",
    "url": "https://example.org/a}}b{c}\\d?q=1 2",
    "language": "en",
    "authors": ["JIN Feng", "Ada Lovelace"],
    "note": None,
}


def store_with_source(tmp_path: Path) -> Path:
    path = tmp_path / "store.json"
    shutil.copyfile(SEED, path)
    records = tmp_path / "sources.json"
    records.write_text(json.dumps({"sources": [SOURCE]}), encoding="utf-8")
    assert run("import", str(records), "--store", str(path)).exit_code == 0
    return path


def test_pybtex_reads_each_entry_whole_and_none_forged(tmp_path: Path) -> None:
    """A url with '}}' forged a second entry; unbalanced braces cut author and date."""
    database = pytest.importorskip("pybtex.database")
    path = store_with_source(tmp_path)
    bib = run("cite", SOURCE["id"], "--style", "bibtex", "--store", str(path)).stdout
    parsed = database.parse_string(bib, "bibtex")
    assert list(parsed.entries) == [SOURCE["id"]]
    entry = parsed.entries[SOURCE["id"]]
    assert entry.type == "misc" and entry.fields["year"] == "2024" and entry.fields["month"] == "March"
    assert [(p.last_names, p.first_names) for p in entry.persons["author"]] == [
        (["{JIN}"], ["Feng"]),
        (["{Ada Lovelace}"], []),  # kept whole: no guess at which part is the family name
    ]
    from urllib.parse import unquote

    assert unquote(entry.fields["url"]) == SOURCE["url"]
    assert "\\immediate" not in bib.replace("\\textbackslash{}immediate", "")
    # the whole bundled store, through the same reader: every source, every field it has
    everything = run("cite", "Shanghai", "--style", "bibtex").stdout
    entries = database.parse_string(everything, "bibtex").entries
    sources = {s["id"]: s for s in json.loads(run("sources", "--json").stdout)}
    assert set(entries) <= set(sources) and len(entries) == 5
    for key, entry in entries.items():
        assert entry.fields["year"] == sources[key]["published"][:4]
        assert "author" in entry.persons or "key" in entry.fields  # BibTeX can sort every entry


def test_bibtex_sorts_every_entry_without_a_warning(tmp_path: Path) -> None:
    """4 of 5 entries had neither author nor key: bibtex warned 'to sort, need author or key'."""
    database = pytest.importorskip("pybtex.database")
    bib = run("cite", "Shanghai", "--style", "bibtex").stdout
    for entry in database.parse_string(bib, "bibtex").entries.values():
        assert entry.type in ("misc", "article")  # classic types, which every BibTeX style knows
        assert entry.persons.get("author") or entry.fields.get("key")
        if entry.type == "article":
            assert entry.fields["journal"]


def _citeproc_render(items: list[dict[str, Any]]) -> list[str]:
    citeproc = pytest.importorskip("citeproc")
    from citeproc.source.json import CiteProcJSON

    style = citeproc.CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = citeproc.CitationStylesBibliography(style, CiteProcJSON(items), citeproc.formatter.plain)
    for item in items:
        bibliography.register(citeproc.Citation([citeproc.CitationItem(item["id"])]))
    return [str(entry) for entry in bibliography.bibliography()]


def test_citeproc_renders_names_dates_and_outlets_once() -> None:
    """Names were literal ('JIN Feng'), every item a webpage with no URL, the outlet of the
    Science and Technology Daily article repeated, and the year printed twice."""
    items = json.loads(run("cite", "Shanghai", "--style", "csl").stdout)
    daily = next(i for i in items if i["id"] == "shanghai-high-end-industry-2023")
    assert daily["type"] == "article-newspaper" and daily["container-title"] == "Science and Technology Daily"
    assert daily["author"][0] == {"family": "JIN", "given": "Feng"}
    assert all(i["type"] != "webpage" or "URL" in i for i in items)
    rendered = _citeproc_render(items)
    assert len(rendered) == len(items)
    for item in items:
        [text] = [t for t in rendered if item["title"] in t]
        assert text.count(str(item["issued"]["date-parts"][0][0])) == 1, text  # "2019. 2019." no more
    line = next(t for t in rendered if "Sets Trends" in t)
    assert line.startswith("JIN, F.") and line.count("Science and Technology Daily") == 1


# --- Python users: mypy, Jupyter ------------------------------------------------------------------

USER_SCRIPT = """
from policyq import Store

store = Store()
ids: list[str] = [str(t["id"]) for t in store.targets(place="Pudong")]
print(len(ids), store.path)
"""


@pytest.mark.slow  # a cold mypy run over policyq
def test_mypy_strict_checks_a_user_script_against_policyq_types(tmp_path: Path) -> None:
    """mypy: 'missing library stubs or py.typed marker'."""
    import subprocess
    import sys

    assert (ROOT / "policyq" / "py.typed").is_file()
    script = tmp_path / "user.py"
    script.write_text(USER_SCRIPT)
    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--python-executable",
            sys.executable,
            "user.py",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout
    assert "py.typed" not in checked.stdout


def test_store_is_in_dir_of_the_package() -> None:
    """Jupyter offered no `Store` after `policyq.`: it was not in dir(policyq)."""
    import subprocess
    import sys

    shown = subprocess.run(
        [sys.executable, "-c", "import policyq, sys; print('Store' in dir(policyq), 'policyq.api' in sys.modules)"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.stdout.split() == ["True", "False"]  # listed, and still imported only on first use


# --- README pictures (docs/*.svg), as a browser lays them out ----------------------------------------


def test_svg_text_takes_the_cells_it_takes_on_a_terminal_and_no_font_is_fetched() -> None:
    """Chinese names were squeezed to half their width (textLength of one cell a character,
    Textualize/rich#2742), and a web font was fetched from a CDN."""
    import xml.etree.ElementTree as ET

    from rich.cells import cell_len

    svg_ns = "{http://www.w3.org/2000/svg}"
    wide = 0
    for path in sorted((ROOT / "docs").glob("*.svg")):
        picture = path.read_text(encoding="utf-8")
        assert "@font-face" not in picture and not re.search(r"url\(\s*['\"]?https?:", picture), path.name
        texts = [t for t in ET.fromstring(picture).iter(f"{svg_ns}text") if t.get("textLength")]
        assert texts, path.name
        for t in texts:
            content = t.text or ""
            assert float(t.get("textLength", "0")) == pytest.approx(cell_len(content) * 20 * 0.61), (path.name, content)
            wide += cell_len(content) > len(content)
    assert wide  # the pictures do show Chinese names


@NEEDS_PANDAS
def test_the_schema_recipe_keeps_every_date_field_as_text_and_reads_its_period() -> None:
    """`parks --json` gave `established` as a float through pandas; designation dates too."""
    recipe = python_block(ROOT / "docs" / "schema.md", "## Dates and their precision")
    head = recipe.split("out = subprocess.run", 1)[0]  # DATES and period(), without the example run
    scope: dict[str, Any] = {}
    exec(head, scope)
    pd, dates, period = scope["pd"], scope["DATES"], scope["period"]
    for args, field in ((("parks",), "established"), (("sources",), "published"), (("indicators",), "as_of")):
        out = run(*args, "--json").stdout
        stored = [r[field] for r in json.loads(out)]
        df = pd.read_json(io.StringIO(out), dtype=dates)
        got = [v if isinstance(v, str) else None for v in df[field]]
        assert got == stored, field
        assert [str(period(v)) if v else None for v in got] == stored, field
    zones = json.loads(run("zones", "--json").stdout)
    designations = pd.DataFrame([d for z in zones for d in z["designations"]]).astype({"date": "string"})
    assert [v if isinstance(v, str) else None for v in designations["date"]] == [
        d["date"] for z in zones for d in z["designations"]
    ]


@pytest.mark.full_store
@pytest.mark.parametrize("fmt", ["tsv", "csv"])
def test_every_table_of_the_bundled_store_round_trips(tmp_path: Path, fmt: str) -> None:
    """What a listing prints, imported back with --replace, leaves the store exactly as it was."""
    path = tmp_path / "store.json"
    shutil.copyfile(BUNDLED, path)
    for table in ("zones", "sources", "targets", "indicators"):
        printed = run(table, "--store", str(path), "--format", fmt).stdout
        back = run(
            "import", "-", "--table", table, "--replace", "--input-format", fmt, "--store", str(path), input=printed
        )
        assert back.exit_code == 0, (table, back)
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(BUNDLED.read_text(encoding="utf-8"))


def test_every_date_has_its_precision_established_and_designation_dates_too(tmp_path: Path) -> None:
    """`established` and a designation's `date` had no *_precision companion."""
    for zone in json.loads(run("zones", "--json").stdout):
        assert zone["established_precision"] == {4: "year", 7: "month", 10: "day"}.get(len(zone["established"] or ""))
        for d in zone["designations"]:
            assert d["date_precision"] == {4: "year", 7: "month", 10: "day"}.get(len(d["date"] or ""))
    designation = {"title": "A test park", "date": "2023-05", "status": "granted", "source": "lingang-data-park-2023"}
    zone = {"id": "dated-park", "name": "Dated park", "kind": "park", "parent": "lingang", "established": "2021"}
    path = tmp_path / "store.json"
    shutil.copyfile(SEED, path)
    records = tmp_path / "zone.json"
    records.write_text(json.dumps({"zones": [dict(zone, designations=[designation])]}), encoding="utf-8")
    assert run("import", str(records), "--store", str(path)).exit_code == 0
    stored = next(z for z in json.loads(path.read_text(encoding="utf-8"))["zones"].values() if z["id"] == "dated-park")
    assert stored["established_precision"] == "year"  # filled in from the date
    assert stored["designations"][0]["date_precision"] == "month"
    wrong = dict(zone, id="wrong-park", designations=[dict(designation, date_precision="day")])
    records.write_text(json.dumps({"zones": [wrong]}), encoding="utf-8")
    refused = run("import", str(records), "--store", str(path))
    assert refused.exit_code == 2 and "designations[0].date_precision: must be 'month'" in refused.stderr
