"""Human views: width-aware listings, record cards, the place tree, charts and markdown, and
the one output path every command prints through.

The property test renders every view at widths from 40 to 200 columns and checks the rules
of DESIGN.md: no line wider than the terminal, no id or figure split, no word cut without '…'.
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import BUNDLED, examples, records, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyq
from policyq import render
from policyq.render.cells import Block, truncate, width, wrap
from policyq.render.human import COLUMNS, human_value, source_label
from policyq.render.table import footnote

# Each view is drawn many times at many widths: listings of a few dozen rows (Shanghai's places,
# not the gazetteer's thousands, which tests of their own draw whole) keep it quick.
VIEWS: dict[str, tuple[str, ...]] = {
    "zones": ("zones", "--in", "Shanghai"),
    "parks": ("parks", "--in", "Pudong"),
    "targets": ("targets",),
    "indicators": ("indicators",),
    "sources": ("sources",),
    "search": ("search", "metaverse"),
    "ask": ("ask", "indicators for Qingdao"),
    "limit": ("zones", "--limit", "5"),
    "fields": ("targets", "--fields", "id,value,usd,note"),
    "show_city": ("show", "shanghai"),
    "show_park": ("show", "aisland"),
    "show_zone_with_related": ("show", "jinan-qingdao-ai-pilot-zone"),
    "show_target": ("show", "shanghai-new-industries-output-2025"),
    "show_indicator": ("show", "shanghai-robot-density"),
    "show_source": ("show", "ai-pilot-zones-2019"),
    "tree": ("tree", "Shanghai"),
    "chart_indicators": ("indicators", "--chart"),
    "chart_targets": ("targets", "--chart"),
}
LISTINGS = ("zones", "parks", "targets", "indicators", "sources", "search", "ask", "limit", "fields")
PUNCTUATION = ",.;:()[]“”\"'"


def render_view(args: tuple[str, ...], columns: int, *extra: str) -> str:
    fmt = () if "--chart" in args else ("--format", "table")
    result = run(*args, *fmt, *extra, env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result
    return result.stdout


def tokens(text: str) -> set[str]:
    return {t.strip(PUNCTUATION) for t in text.split()} - {""}


@functools.cache
def vocabulary(name: str) -> frozenset[str]:
    """Every whole word a view may show: the view at 1000 columns with nothing cut, the short
    source labels and the words of the note on what was left out."""
    words = tokens(render_view(VIEWS[name], 1000, "--wide"))
    words |= tokens(" ".join(source_label(s) for s in records("sources")))
    words |= tokens(footnote(Block([], ["X"], True), 80))
    return frozenset(words)


def decoration(token: str) -> bool:
    """Rules, bars, tree guides and numbers (widths in the note) are not words."""
    return token.isdigit() or all(c in "─━│├└ █▏▎▍▌▋▊▉" for c in token)


def check_words(name: str, text: str) -> None:
    vocab = vocabulary(name)
    for raw in text.split():
        token = raw.strip(PUNCTUATION)
        if not token or decoration(token):
            continue
        if token.endswith("…"):
            stem = token[:-1].strip(PUNCTUATION)
            assert not stem or any(v.startswith(stem) for v in vocab), (name, raw)
        else:
            assert token in vocab, f"{name}: '{raw}' is not a whole word of the view (cut without '…'?)"


def check_figures_and_ids(name: str, text: str) -> None:
    """Ids and figures of the records a view shows are whole, each on one line."""
    lines = text.splitlines()
    args = VIEWS[name]
    if name in LISTINGS or name.startswith("chart"):
        plain = [a for a in args if a != "--chart"]
        listed = records(*(plain[: plain.index("--fields")] if "--fields" in plain else plain))
        headers = set(re.split(r"\s{2,}", lines[2].strip())) if len(lines) > 2 else set()
        for r in listed:
            value = human_value(r.get("value"), r.get("unit"), r.get("comparator"))
            figure_shown = {"Target", "Value", "value"} & headers or (name.startswith("chart") and r["unit"] != "rank")
            if figure_shown and value:
                assert any(value in line for line in lines), (name, value)
            if {"ID", "id"} & headers:
                assert any(r["id"] in line.split() for line in lines), (name, r["id"])
    elif name.startswith("show"):
        shown = run(*args, "--json").json()["record"]
        assert any(shown["id"] in line.split() for line in lines), (name, shown["id"])
        if "value" in shown:
            human = human_value(shown["value"], shown["unit"], shown["comparator"])
            assert any(human in line for line in lines), (name, human)
            assert any(str(shown["value"]) in line.split() for line in lines), (name, shown["value"])


@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(columns=st.integers(40, 200), name=st.sampled_from(sorted(VIEWS)))
def test_every_view_fits_the_terminal_and_never_splits_ids_figures_or_words(columns: int, name: str) -> None:
    text = render_view(VIEWS[name], columns)
    for line in text.splitlines():
        assert width(line) <= columns, (name, columns, line)
    check_words(name, text)
    check_figures_and_ids(name, text)


@pytest.mark.parametrize("name", LISTINGS)
def test_a_wider_terminal_only_adds_columns(name: str) -> None:
    seen: set[str] = set()
    for columns in range(40, 201, 8):
        lines = render_view(VIEWS[name], columns).splitlines()
        headers = set(re.split(r"\s{2,}", lines[2].strip()))
        assert seen <= headers, (name, columns, seen - headers)
        seen = headers


# --- listings -------------------------------------------------------------------------------


def test_the_summary_line_tells_the_truth() -> None:
    total = len(records("zones"))
    assert render_view(("zones", "--limit", "5"), 80).splitlines()[0] == f"Showing 5 of {total} zones (--limit 5)"
    assert render_view(("zones", "-n", "5"), 80).splitlines()[0] == f"Showing 5 of {total} zones (--limit 5)"
    assert render_view(("zones",), 80).splitlines()[0] == f"{total} zones"
    parks = len(records("parks", "--in", "Pudong"))
    assert render_view(("parks", "--in", "Pudong", "--limit", "99"), 80).splitlines()[0] == f"{parks} parks"
    assert render_view(("sources", "--limit", "1"), 80).splitlines()[0] == "Showing 1 of 6 sources (--limit 1)"


def test_a_narrow_terminal_hides_low_priority_columns_and_says_which() -> None:
    # the figure, the place, the date and the ID stay; the source's long words for the metric go first
    narrow = render_view(("targets",), 80).splitlines()
    assert re.split(r"\s{2,}", narrow[2].strip()) == ["ID", "Subject", "Target", "By"]
    assert " ".join(narrow[-2:]).strip().startswith("Not shown at 80 columns: Metric, Sectors, US$ figure, Source.")
    for listing in ("targets", "indicators"):
        at_60 = render_view((listing,), 60).splitlines()[2]
        figure, date = ("Target", "By") if listing == "targets" else ("Value", "As of")
        assert re.split(r"\s{2,}", at_60.strip()) == ["Subject", figure, date]
        assert "ID" in render_view((listing,), 80).splitlines()[2]
    wide = render_view(("targets",), 200).splitlines()
    assert wide[2].split()[0] == "ID" and "US$ figure" in wide[2] and "Source" in wide[2] and "Sectors" in wide[2]


def test_wide_shows_every_column_and_cuts_nothing() -> None:
    out = render_view(("targets",), 80, "--wide")
    header = out.splitlines()[2]
    assert [h.header for h in COLUMNS["targets"]] == re.split(r"\s{2,}", header.strip())
    assert "…" not in out and "Not shown" not in out
    for r in records("targets"):
        assert r["id"] in out and r["source"] in out


def test_empty_columns_are_not_drawn() -> None:
    out = render_view(("parks", "--in", "Zhangjiang"), 200)
    assert "Status" not in out and "Established" in out  # neither park has a status; AIsland has a date
    assert "Status" not in render_view(("parks", "--in", "Zhangjiang"), 80, "--wide")


def test_fields_in_a_table_keep_human_values() -> None:
    out = render_view(("targets", "--fields", "id,subject,value,usd"), 120)
    assert re.split(r"\s{2,}", out.splitlines()[2].strip()) == ["id", "subject", "value", "usd"]
    row = next(line for line in out.splitlines() if line.startswith("shanghai-new-industries-output-2025"))
    assert row.split("  ")[0] == "shanghai-new-industries-output-2025"
    assert "Shanghai" in row and "over CNY 1.5 tn" in row and "US$ 222.11 bn" in row and "1500000000000" not in row


def test_a_narrow_table_names_sources_by_a_short_label() -> None:
    out = render_view(("indicators", "--in", "Shanghai"), 140)
    assert "Pudong gov, 2022-08" in out and "S&T Daily, 2023-05" in out
    assert "pudong-industrial-system-2022" not in out


def test_source_labels() -> None:
    assert source_label({"publisher": "Pudong New Area government (x.gov.cn)", "published": "2022-08-01"}) == (
        "Pudong gov, 2022-08"
    )
    assert source_label({"publisher": None, "published": "2019"}) == "unnamed outlet, 2019"
    assert source_label({"publisher": "Science and Technology Daily", "published": "2023-05-15"}) == (
        "S&T Daily, 2023-05"
    )
    assert source_label({"publisher": "A Very Long Name of Some Research Institute"}) == "A Very Long Name of…"


def test_text_is_cut_at_a_word_with_an_ellipsis() -> None:
    assert truncate("total output value of green and low-carbon industries", 24) == "total output value of…"
    assert truncate("characteristic", 8) == "charact…"
    assert wrap("industry scale related to the metaverse in the park", 20, 2) == (
        ["industry scale", "related to the…"],
        True,
    )
    assert wrap("国际数据经济产业园", 10)[0] == ["国际数据…"]  # two cells a character
    assert width("张江 AI") == 7


# --- cards ----------------------------------------------------------------------------------


def test_a_card_shows_full_labels_the_human_figure_and_the_stored_number() -> None:
    out = render_view(("show", "qingdao-gdp-2018"), 80)
    assert "Value        CNY 1.20015 tn  (stored as 1200150000000 CNY)" in out
    assert "US$ figure   US$ 169.48 bn  (stored as 169480000000)" in out
    assert "Metric name  gdp" in out and "As of        2018 (year only)" in out
    assert "null" not in out and "{" not in out


def test_a_card_shows_designations_as_readable_lines() -> None:
    lines = render_view(("show", "jinan-qingdao-ai-pilot-zone"), 80).splitlines()
    at = lines.index("Designations")
    assert lines[at + 1] == "  • Pilot zone for innovation and application of Artificial Intelligence"
    assert lines[at + 2].startswith("    granted, by Ministry of Industry and Information Technology · source")
    assert "Approval date not stated; reported in a 2019 article." in "\n".join(lines[at:])
    assert "Related places (2)" in lines


def test_a_card_of_a_source_lists_what_cites_it_as_compact_tables() -> None:
    out = render_view(("show", "ai-pilot-zones-2019"), 120)
    assert "Targets (1)" in out and "Indicators (9)" in out and "Places it names (" in out
    assert "unnamed outlet, 2019" in out  # as tables name it


# --- the place tree -------------------------------------------------------------------------


def test_tree_json_nests_places_and_matches_the_api() -> None:
    nested = run("tree", "Shanghai", "--json").json()
    assert [n["id"] for n in nested] == ["shanghai"]
    shanghai = nested[0]
    fields = {"id", "name", "name_zh", "kind", "code", "parent", "related", "targets", "indicators", "children"}
    assert set(shanghai) == fields and shanghai["code"] == "310000"
    assert shanghai["targets"] == sum(1 for t in records("targets") if t["subject"] == "shanghai")
    assert shanghai["indicators"] == sum(1 for t in records("indicators") if t["subject"] == "shanghai")
    assert nested == policyq.Store().tree("Shanghai") == policyq.Store().tree("上海")
    everything = policyq.Store().tree()
    assert [n["id"] for n in everything] == ["china"]

    def count(nodes: list[dict[str, Any]]) -> int:
        return sum(1 + count(n["children"]) for n in nodes)

    assert count(everything) == len(records("zones"))


def test_tree_rows_carry_depth_and_path() -> None:
    rows = list(__import__("csv").DictReader(run("tree", "Shanghai", "--format", "csv").stdout.splitlines()))
    aisland = next(r for r in rows if r["id"] == "aisland")
    assert aisland["depth"] == "3" and aisland["path"] == "shanghai/pudong/zhangjiang/aisland"
    jsonl = [json.loads(line) for line in run("tree", "Shandong", "-o", "jsonl").stdout.splitlines()]
    assert [(r["depth"], r["id"]) for r in jsonl][:2] == [(0, "shandong"), (1, "jinan")]
    ids = run("tree", "Shandong", "--depth", "1", "--format", "tsv", "--no-header", "--fields", "id").stdout.split()
    assert ids[:4] == ["shandong", "jinan", "qingdao", "jinan-qingdao-ai-pilot-zone"]
    cities = [z["id"] for z in json.loads(run("zones", "--kind", "city", "--in", "Shandong", "--json").stdout)]
    assert ids[4:] == [c for c in cities if c not in ("jinan", "qingdao")]  # the other cities, by code


def test_the_whole_tree_keeps_both_counts_at_80_columns() -> None:
    assert render_view(("tree",), 80).splitlines()[2].split() == ["Place", "Kind", "Targets", "Indicators"]


@pytest.mark.full_store
def test_tree_view_shows_kind_counts_and_related_places() -> None:
    out = render_view(("tree", "Shandong", "--depth", "1"), 80)
    assert out.splitlines()[0] == "18 places"  # the province, its 16 cities and the pilot zone
    assert "├─ Jinan 济南" in out and "├─ Jinan-Qingdao AI Innovation and" in out and "└─ Heze 菏泽市" in out
    assert "↔ related: Jinan, Qingdao" in out
    within = sum(1 for r in records("indicators", "--in", "Shandong") if r["subject"] != "shandong")
    assert within > 0
    # its code; one indicator of its own, no targets; then those of the places within it
    assert re.search(rf"Shandong 山东\s+province\s+370000\s+1 \+ {within}$", out, re.M)
    unknown = run("tree", "Shandongg")
    assert unknown.exit_code == 2 and "did you mean 'Shandong'" in unknown.stderr


# --- charts ---------------------------------------------------------------------------------


def bar_cells(line: str) -> float:
    full = line.count("█")
    part = next((n for n, c in enumerate(" ▏▎▍▌▋▊▉") if n and c in line), 0)
    return full + part / 8


def test_chart_bars_are_scaled_within_each_unit() -> None:
    out = render_view(("indicators", "--metric", "gdp", "--chart"), 100)
    lines = out.splitlines()
    assert lines[2] == "GDP (CNY)"
    gdp = {r["subject"]: r["value"] for r in records("indicators", "--metric", "gdp")}
    bars = {
        name.lower(): bar_cells(line) for line in lines[3:] for name in ("Qingdao", "Jinan", "Shenzhen") if name in line
    }
    top = max(gdp.values())
    longest = max(bars.values())
    for subject, cells in bars.items():
        assert abs(cells - longest * gdp[subject] / top) <= 1 / 8 + 1e-9, (subject, cells)


def test_chart_splits_units_and_leaves_ranks_out() -> None:
    out = render_view(("indicators", "--in", "Qingdao", "--chart"), 80)
    assert "GDP (CNY)" in out.splitlines() and "growth rates (per cent)" in out.splitlines()
    assert "Not drawn: 1 rank (an order, not an amount): qingdao-gdp-rank-shandong" in out
    piped = run("indicators", "--in", "Qingdao", "--chart", "--format", "json")
    assert piped.json() == records("indicators", "--in", "Qingdao")  # other formats print the data


def test_chart_labels_keep_what_each_bar_measures_and_its_year() -> None:
    out = render_view(("indicators", "--chart"), 80)
    words = " ".join(out.split())
    for r in records("indicators"):
        if r["unit"] != "rank":  # a long place name does not push the metric out of the label
            assert r["metric_label"].split()[0] in words, r["id"]
    assert re.search(r"43 km²\s+2022$", out, re.M)
    targets = render_view(("targets", "--chart"), 80)
    dated = [line for line in targets.splitlines() if re.search(r"by 20\d\d$", line)]
    assert len(dated) == len(records("targets"))  # every target, drawn or alone in its group, with its year


def test_a_chart_of_ranks_alone_is_refused_with_what_to_do() -> None:
    result = run("indicators", "--metric", "rank", "--chart")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        "policyq: nothing to chart: all 3 records are ranks (orders, not amounts); drop --chart to list them\n"
    )


ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.mark.parametrize(
    "args", [("targets",), ("tree", "Shanghai"), ("show", "aisland"), ("indicators", "--chart"), ("progress",)]
)
def test_colour_changes_nothing_but_colour(args: tuple[str, ...]) -> None:
    fmt = () if "--chart" in args else ("--format", "table")
    plain = run(*args, *fmt, env={"COLUMNS": "80"}).stdout
    coloured = run(*args, *fmt, env={"COLUMNS": "80", "FORCE_COLOR": "1", "NO_COLOR": ""}).stdout
    assert "\x1b[1m" in coloured and "\x1b" not in plain
    assert ANSI.sub("", coloured) == plain
    dumb = run(*args, *fmt, env={"COLUMNS": "80", "FORCE_COLOR": "1", "NO_COLOR": "", "TERM": "dumb"}).stdout
    assert dumb == plain


# --- formats and the one output path -------------------------------------------------------


def test_short_flags_and_the_markdown_alias() -> None:
    assert run("zones", "-o", "json", "-n", "2").stdout == run("zones", "--format", "json", "--limit", "2").stdout
    md = run("targets", "-o", "md").stdout
    assert md == run("targets", "--format", "markdown").stdout
    assert md.splitlines()[1] == "|---|---|---|---|---|---|---|---|"
    assert "| over CNY 1.5 tn |" in md
    bad = run("targets", "-o", "xml")
    assert bad.exit_code == 2 and "markdown" in bad.stderr


def test_no_header_for_csv_and_tsv() -> None:
    with_header = run("sources", "--format", "csv").stdout.splitlines()
    assert run("sources", "--format", "csv", "--no-header").stdout.splitlines() == with_header[1:]
    tsv = run("sources", "--format", "tsv", "--no-header", "--fields", "id").stdout.splitlines()
    assert tsv == [r["id"] for r in records("sources")]


def test_markdown_cells_escape_pipes_and_line_breaks(tmp_path: Path) -> None:
    data = json.loads(BUNDLED.read_text(encoding="utf-8"))
    data["zones"]["1"]["name"] = "A | B\nC"
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    md = run("zones", "-o", "md", "--fields", "id,name", "--store", str(path)).stdout
    assert "| china | A \\| B<br>C |" in md


def test_control_characters_are_made_visible_in_every_human_view(tmp_path: Path) -> None:
    data = json.loads(BUNDLED.read_text(encoding="utf-8"))
    for zone in data["zones"].values():
        if zone["id"] == "qingdao":
            zone["name"] = "Qing\x1b[2Jdao"
    for fact in data["indicators"].values():
        if fact["id"] == "qingdao-gdp-2018":
            fact["metric_label"] = "nominal\x07 GDP"
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    s = ("--store", str(path))
    for args in (
        ("indicators", "--in", "Shandong", "--format", "table"),
        ("indicators", "--in", "Shandong", "-o", "md"),
        ("indicators", "--in", "Shandong", "--chart"),
        ("show", "qingdao-gdp-2018", "--format", "table"),
        ("show", "qingdao", "--format", "table"),
        ("tree", "Shandong", "--format", "table"),
        ("tree", "Shandong", "-o", "md"),
    ):
        out = run(*args, *s).stdout
        assert "\x1b" not in out and "\x07" not in out, args
        assert "␛" in out or "␇" in out, args


@pytest.mark.parametrize(
    "args",
    [
        ("zones",),
        ("parks",),
        ("targets",),
        ("targets", "--chart"),
        ("indicators",),
        ("sources",),
        ("search", "robot"),
        ("ask", "parks in Pudong"),
        ("show", "aisland"),
        ("tree",),
    ],
)
@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_every_command_prints_through_one_function(monkeypatch: pytest.MonkeyPatch, args: Any, fmt: str) -> None:
    calls = []
    real = render.output

    def spy(*a: Any, **kw: Any) -> int:
        calls.append(a)
        return real(*a, **kw)

    monkeypatch.setattr(render, "output", spy)
    result = run(*args, "--format", fmt)
    assert result.exit_code == 0 and len(calls) == 1 and result.stdout


def rich_modules(*args: str, env: dict[str, str] | None = None) -> tuple[str, list[str]]:
    """What ``policyq ARGS`` prints in a fresh interpreter, and the rich modules it imported."""
    return rich_modules_of([args], env)[0]


def rich_modules_of(runs: list[tuple[str, ...]], env: dict[str, str] | None = None) -> list[tuple[str, list[str]]]:
    """For each of ``runs``, one after the other in one fresh interpreter: what ``policyq ARGS``
    prints, and the rich modules imported by then (by it or by a run before it)."""
    code = "import json, sys\nfrom policyq.cli import main\n"
    code += f"for args in {[list(a) for a in runs]!r}:\n    sys.argv = ['policyq', *args]\n"
    code += "    try:\n        main()\n    except SystemExit:\n        pass\n"
    code += "    print('\\x1e', flush=True)\n"  # each run's output ends with a separator (never printed raw)
    code += "    print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'rich')), file=sys.stderr)\n"
    environ = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")} | (env or {})
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=environ)
    imported = [json.loads(line) for line in done.stderr.splitlines()]
    outs = done.stdout.split("\x1e\n")
    assert len(imported) == len(runs) and len(outs) == len(runs) + 1 and outs[-1] == "", done
    return list(zip(outs, imported, strict=False))  # outs ends with an empty piece


@pytest.mark.parametrize("args", [("parks", "--in", "Pudong"), ("show", "aisland"), ("tree", "Shandong")])
def test_data_formats_do_not_import_rich(args: tuple[str, ...]) -> None:
    formats = ["json", "jsonl", "csv", "tsv", "markdown"]
    found = rich_modules_of([(*args, "--format", fmt) for fmt in formats])
    for fmt, (out, imported) in zip(formats, found, strict=True):
        assert "AIsland" in out or "Jinan" in out, fmt
        assert imported == [], fmt  # by then: no run before it imported rich either


def test_human_views_are_drawn_without_rich_in_colour_or_not_and_by_rich_where_it_decides() -> None:
    coloured, imported = rich_modules("parks", "--in", "Pudong", "--format", "table", env={"FORCE_COLOR": "1"})
    assert "AIsland" in coloured and "\x1b[" in coloured and "rich.console" not in imported
    piped, imported = rich_modules("parks", "--in", "Pudong", "--format", "table")
    assert "AIsland" in piped and "\x1b" not in piped and "rich.console" not in imported
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == piped
    dumb, imported = rich_modules(
        "parks", "--in", "Pudong", "--format", "table", env={"FORCE_COLOR": "1", "TERM": "dumb"}
    )
    assert {"rich.console", "rich.table", "rich.text"} <= set(imported)  # a dumb terminal: rich decides
    assert dumb == piped


PLAIN_VIEWS = [
    ("parks", "--in", "Pudong"),
    ("zones", "--in", "Jiangsu", "--kind", "city"),
    ("targets",),
    ("indicators", "--in", "Qingdao"),
    ("indicators", "--metric", "gdp", "--chart"),
    ("show", "aisland"),
    ("show", "苏州"),
    ("show", "qingdao-gdp-2018"),
    ("tree", "Shanghai", "--depth", "1"),
    ("progress", "--in", "Lingang"),
    ("search", "metaverse"),
    ("sources", "--wide"),
    ("zones", "--in", "Pudong", "--fields", "id,name_zh,parent", "--no-header"),
]


@pytest.mark.full_store
@pytest.mark.parametrize("columns", ["40", "80", "131"])
@pytest.mark.parametrize("args", PLAIN_VIEWS, ids=" ".join)
def test_a_view_drawn_without_rich_is_what_rich_draws(
    args: tuple[str, ...], columns: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Piped, a human view is drawn as plain text without rich's console: exactly the text rich
    draws (rich is made to draw it too, by refusing the plain drawing)."""
    from policyq.render import plain

    plain_out = run(*args, "--format", "table", env={"COLUMNS": columns})
    monkeypatch.setattr(plain, "draw", lambda items, size, codes=None: None)
    rich_out = run(*args, "--format", "table", env={"COLUMNS": columns})
    assert plain_out.exit_code == rich_out.exit_code == 0, plain_out
    assert plain_out.stdout == rich_out.stdout


@pytest.mark.full_store
@pytest.mark.parametrize(
    "colour", [{"FORCE_COLOR": "1", "NO_COLOR": ""}, {"FORCE_COLOR": "1"}], ids=["colour", "NO_COLOR"]
)
@pytest.mark.parametrize("columns", ["40", "80", "131"])
@pytest.mark.parametrize("args", PLAIN_VIEWS, ids=" ".join)
def test_a_view_in_colour_drawn_without_rich_is_what_rich_draws(
    args: tuple[str, ...], columns: str, colour: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal a human view is drawn with rich's style codes, without rich's console:
    byte for byte what rich prints (bold, dim and cyan; under NO_COLOR bold and dim only)."""
    from policyq.render import plain

    env = {"COLUMNS": columns, **colour}
    ours = run(*args, "--format", "table", env=env)
    monkeypatch.setattr(plain, "draw", lambda items, size, codes=None: None)
    theirs = run(*args, "--format", "table", env=env)
    assert ours.exit_code == theirs.exit_code == 0, ours
    assert ours.stdout == theirs.stdout


def test_the_plain_drawing_leaves_to_rich_what_it_cannot_vouch_for() -> None:
    from policyq.render import plain
    from policyq.render.cells import Column, Grid

    column = Column("name", ["a\tb"])
    column.size = 8
    assert plain.draw([(("a\x1bb", ""),)], 80) is None  # a control character: rich's to print
    assert plain.draw([Grid([column], [[[(("a\tb", ""),)]]], True, [False])], 80) is None
    column.size = 2  # a cell wider than its column: rich cuts it
    assert plain.draw([Grid([column], [[[(("abc", ""),)]]], True, [False])], 80) is None
    assert plain.draw([(("text", "bold"),), (("more", "dim"),)], 80) == "text\nmore\n"


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("name   ", "name"),
        ("\x1b[1mKind  \x1b[0m", "\x1b[1mKind\x1b[0m"),
        ("a \x1b[2m \x1b[0m", "a"),  # a dim divider ending a line: nothing left of it
        ("a" + " " * 200_000 + "b \x1b[2m \x1b[0m  ", "a" + " " * 200_000 + "b"),  # long runs of spaces
        ("\x1b[2m" + "─" * 5 + "\x1b[0m", "\x1b[2m" + "─" * 5 + "\x1b[0m"),
        ("text m", "text m"),  # an 'm' that ends no code
    ],
)
def test_lines_end_without_spaces_and_keep_their_codes(line: str, kept: str) -> None:
    from policyq.render.plain import trimmed

    assert trimmed(line + "\n" + line) == kept + "\n" + kept
