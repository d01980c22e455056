"""Citations (`policyq cite`), progress against targets (`policyq progress`), and the dates'
precision companions, through the real CLI against the bundled store."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import BUNDLED, records, run

from policyq import Store
from policyq.provenance import PROGRESS_FIELDS
from policyq.render.cells import width

STORE = ("--store", str(BUNDLED))
PARTS = {"year": 1, "month": 2, "day": 3}


def shown(name: str) -> dict[str, Any]:
    result = run("show", name, *STORE, "--json")
    assert result.exit_code == 0, result
    return result.json()


def new_fact(fid: str, **fields: Any) -> dict[str, Any]:
    """A fact about Lingang of a store's own, without quote or date precision."""
    base = {"subject": "lingang", "metric": "investment", "metric_label": "investment", "family": "investment"}
    return {
        "id": fid,
        **base,
        "comparator": "=",
        "value": 1,
        "unit": "CNY",
        "source": "lingang-data-park-2023",
        **fields,
    }


def add(tmp_path: Path, store: Path, table: str, record: dict[str, Any]) -> Any:
    """``policyq import`` of one record into ``store``."""
    (tmp_path / "new.json").write_text(json.dumps({table: [record]}), encoding="utf-8")
    return run("import", str(tmp_path / "new.json"), "--store", str(store))


def cite(*args: str) -> Any:
    result = run("cite", *args, *STORE)
    assert result.exit_code == 0, result
    return result


# --- cite -----------------------------------------------------------------------------------


def test_cite_a_fact_gives_its_quote_and_its_source() -> None:
    fact = shown("shanghai-robot-density")["record"]
    source = shown(fact["source"])["record"]
    lines = cite("shanghai-robot-density").stdout.splitlines()
    assert lines[0] == f"“{fact['quote']}”"
    assert lines[1] == (
        "JIN Feng and ZHONG Jianli, “Shanghai Sets Trends in High-end Industrial Development”, "
        "Science and Technology Daily, 15 May 2023."
    )
    assert source["title"] in lines[1] and len(lines) == 2


def test_cite_a_place_gives_every_source_behind_it() -> None:
    place = shown("Pudong")
    zone = place["record"]
    wanted = set(zone["sources"]) | {d["source"] for d in zone["designations"]}
    wanted |= {f["source"] for t in ("targets", "indicators") for f in place["related"][t]}
    items = json.loads(cite("浦东", "--style", "csl").stdout)
    assert {i["id"] for i in items} == wanted
    text = cite("Pudong").stdout.splitlines()
    assert len(text) == len(wanted)
    titles = {shown(s)["record"]["title"] for s in wanted}
    assert all(any(f"“{t}”" in line for line in text) for t in titles)


def test_every_fact_cites_a_document_its_place_cites() -> None:
    # so that citing a place covers the facts about it
    zones = {z["id"]: z for z in records("zones", *STORE)}
    for table in ("targets", "indicators"):
        for fact in records(table, *STORE):
            assert fact["source"] in zones[fact["subject"]]["sources"], fact["id"]


def test_cite_a_source_in_each_style() -> None:
    text = cite("ai-pilot-zones-2019").stdout
    # no outlet, undated: the year worked out from the text, said to be inferred, never a month or day
    assert text == (
        "“Jinan-Qingdao and Shenzhen to Build AI Application Pilot Zone after Shanghai”, outlet not named, "
        "undated; 2019 inferred from the text.\n"
    )
    # a page's 'Updated' stamp is cited as that, not as the day it was published
    assert cite("pudong-ai-clusters-2023").stdout.rstrip().endswith(", page updated 6 July 2023.")
    bib = cite("ai-pilot-zones-2019", "--style", "bibtex").stdout
    assert bib.startswith("@misc{ai-pilot-zones-2019,\n")
    assert "  year = {2019},\n" in bib and "month" not in bib and "date = {2019}" in bib
    [item] = json.loads(cite("ai-pilot-zones-2019", "--style", "csl").stdout)
    assert item["issued"] == {"date-parts": [[2019]]}
    assert "publisher" not in item and None not in item.values()


def test_dates_are_never_more_precise_than_the_source() -> None:
    for source in records("sources", *STORE):
        published, precision = source["published"], source["published_precision"]
        [item] = json.loads(cite(source["id"], "--style", "csl").stdout)
        assert len(item["issued"]["date-parts"][0]) == PARTS[precision], source["id"]
        assert "-".join(f"{p:02d}" if n else str(p) for n, p in enumerate(item["issued"]["date-parts"][0])) == published
        bib = cite(source["id"], "--style", "bibtex").stdout
        assert f"  date = {{{published}}},\n" in bib
        assert ("  month = " in bib) == (precision != "year"), source["id"]
        text = cite(source["id"]).stdout
        assert re.search(r"\b\d{1,2} [A-Z][a-z]+ \d{4}\.$", text.strip()) or precision != "day", text


def test_bibtex_entries_are_well_formed_with_stable_keys() -> None:
    bib = cite("Shanghai", "--style", "bibtex").stdout
    keys = re.findall(r"^@(?:misc|article)\{([^,]+),$", bib, re.M)
    assert keys == [s["id"] for s in records("sources", *STORE) if s["id"] in keys] and len(keys) == 5
    for entry in bib.strip().split("\n\n"):
        depth = 0
        for ch in entry.replace("\\{", "").replace("\\}", ""):
            depth += {"{": 1, "}": -1}.get(ch, 0)
            assert depth >= 0, entry
        assert depth == 0, entry
    assert "author = {{JIN}, Feng and {ZHONG}, Jianli}" in bib  # family names as the source prints them
    assert cite("Shanghai", "--style", "bibtex").stdout == bib  # the same keys every time


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_reads_the_bibtex_and_the_csl(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(cite("Shanghai", "--style", "bibtex").stdout, encoding="utf-8")
    (tmp_path / "refs.json").write_text(cite("Shanghai", "--style", "csl").stdout, encoding="utf-8")
    for refs, kind in (("refs.bib", "bibtex"), ("refs.json", "csljson")):
        out = subprocess.run(
            ["pandoc", "-f", kind, "-t", "csljson", str(tmp_path / refs)], capture_output=True, text=True, check=True
        ).stdout
        ids = {i["id"] for i in json.loads(out)}
        assert len(ids) == 5, (refs, ids)


def test_cite_refuses_what_it_cannot_cite() -> None:
    result = run("cite", "Pudng", *STORE)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("policyq: no record or place 'Pudng'") and "Pudong" in result.stderr
    assert result.stderr.count("\n") == 1
    bad = run("cite", "pudong", "--style", "apa", *STORE)
    assert bad.exit_code == 2 and "valid styles: text, bibtex, csl" in bad.stderr


def test_a_place_that_names_no_source_has_nothing_to_cite(tmp_path: Path, user_store: Path) -> None:
    zone = {"id": "my-area", "name": "My area", "kind": "area", "parent": "lingang"}
    assert add(tmp_path, user_store, "zones", zone).exit_code == 0
    for style in ("text", "bibtex", "csl"):
        result = run("cite", "My area", "--style", style, "--store", str(user_store))
        assert (result.exit_code, result.stdout) == (1, ""), result
        assert result.stderr == "policyq: nothing to cite: 'My area' names no source\n"


def test_the_api_cites_what_the_cli_prints() -> None:
    store = Store(BUNDLED)
    assert store.cite("lingang", style="csl") == json.loads(cite("lingang", "--style", "csl").stdout)
    assert store.cite("lingang", style="bibtex") == cite("lingang", "--style", "bibtex").stdout
    assert store.cite("lingang") == cite("lingang").stdout


# --- progress ---------------------------------------------------------------------------------


def progress(*args: str) -> list[dict[str, Any]]:
    result = run("progress", *args, *STORE, "--json")
    assert result.exit_code in (0, 1), result
    return result.json()


def by_target(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["target"]["id"]: item for item in items}


def test_the_data_park_housed_a_quarter_of_its_aim() -> None:
    # "housing over 100 premier data corporations" by 2025; "The inaugural group of 25 ..."
    item = by_target(progress("--in", "International Data Economy Industrial Park"))["ide-park-data-companies-2025"]
    [evidence] = item["evidence"]
    assert evidence["relation"] == "same place" and evidence["ratio"] == 0.25
    assert (item["target"]["comparator"], evidence["indicator"]["comparator"]) == (">", "=")
    assert evidence["indicator"]["value"] == 25 and evidence["indicator"]["year"] == 2023


def test_pudong_speaks_to_shanghais_ai_target_as_a_place_within_it() -> None:
    item = by_target(progress("--in", "Shanghai"))["shanghai-ai-industry-scale-2020"]
    [evidence] = item["evidence"]
    assert evidence["indicator"]["id"] == "pudong-ai-industry-scale-2022"
    assert evidence["relation"] == "within" and evidence["timing"] == "after deadline"
    # a district's figure, two years late, is no share of the city's target: no ratio, no verdict
    assert evidence["ratio"] is None and evidence["reaches"] is None
    assert item["status"] == "partial evidence"
    # "over CNY 120 billion" against "over CNY 100 billion": both comparators carried through
    assert (item["target"]["comparator"], evidence["indicator"]["comparator"]) == (">", ">")


def test_every_target_is_listed_and_evidence_keeps_to_family_scope_and_place() -> None:
    items = progress()
    assert [i["target"]["id"] for i in items] == [t["id"] for t in records("targets", *STORE)]
    for item in items:
        target = item["target"]
        for e in item["evidence"]:
            found = e["indicator"]
            assert found["family"] == target["family"]
            a, b = set(target["sectors"]), set(found["sectors"])
            assert a == b or a & b, (target["id"], found["id"])
            here, there = shown(target["subject"]), shown(found["subject"])
            up_here = [z["id"] for z in here["related"]["ancestors"]]
            up_there = [z["id"] for z in there["related"]["ancestors"]]
            assert (
                e["relation"]
                == {
                    target["subject"] == found["subject"]: "same place",
                    target["subject"] in up_there: "within",
                    found["subject"] in up_here: "containing",
                }[True]
            )
            alike = e["relation"] == "same place" and found["unit"] == target["unit"] and a == b
            exact = found["comparator"] in ("=", "~")
            assert e["ratio"] == (round(found["value"] / target["value"], 6) if alike and exact else None)


def test_a_total_is_not_progress_towards_a_few_industries() -> None:
    # Shanghai's "four trillion RMB" industrial output (all industry) says nothing about its
    # 1.5 trillion target for green and low-carbon industries, the metaverse and terminals.
    item = by_target(progress("--in", "Shanghai"))["shanghai-new-industries-output-2025"]
    assert item["evidence"] == []


def test_a_figure_in_another_unit_has_no_ratio(tmp_path: Path, user_store: Path) -> None:
    # an investment in Lingang reported in dollars, against a target in yuan
    figure = new_fact("lingang-investment-usd", value=1e9, unit="USD", year=2024, as_of="2024")
    figure["sectors"] = ["computing power"]
    assert add(tmp_path, user_store, "indicators", figure).exit_code == 0
    result = run("progress", "--in", "Lingang", "--store", str(user_store), "--json")
    item = by_target(result.json())["lingang-computing-investment-2025"]
    [evidence] = item["evidence"]
    assert evidence["relation"] == "same place" and evidence["ratio"] is None


def test_csv_and_tsv_have_one_row_per_target_and_figure() -> None:
    items = progress()
    expected = sum(max(1, len(i["evidence"])) for i in items)
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        result = run("progress", *STORE, "--format", fmt)
        rows = list(csv.reader(io.StringIO(result.stdout), delimiter=delimiter))
        assert rows[0] == list(PROGRESS_FIELDS)
        assert len(rows) - 1 == expected
        pairs = {(r[0], r[PROGRESS_FIELDS.index("indicator_id")]) for r in rows[1:]}
        assert ("ide-park-data-companies-2025", "ide-park-first-enterprises") in pairs
        assert ("sde-data-products-2025", "") in pairs  # a target with no evidence keeps its row


def test_filters_sort_fields_and_limit() -> None:
    assert {i["target"]["subject"] for i in progress("--in", "Lingang")} == {
        "lingang",
        "international-data-economy-park",
    }
    assert {i["target"]["family"] for i in progress("--metric", "output")} == {"output"}
    assert {i["target"]["year"] for i in progress("--year", "2020")} == {2020}
    top = run("progress", *STORE, "--sort", "-ratio", "--limit", "2", "--fields", "target_id,ratio", "--json")
    assert top.json()[0] == {"target_id": "ide-park-data-companies-2025", "ratio": 0.25}
    assert len(progress("--limit", "3")) == 3
    bad = run("progress", *STORE, "--fields", "ratio,nope")
    assert bad.exit_code == 2 and "target_id" in bad.stderr
    none = run("progress", "--in", "Qingdao", *STORE, "--json")
    assert none.exit_code == 1 and none.json() == []


def test_the_api_returns_what_the_cli_prints() -> None:
    assert Store(BUNDLED).progress(place="Shanghai", sort="-ratio") == progress("--in", "Shanghai", "--sort", "-ratio")


def test_the_table_fits_80_columns_with_bars_where_a_ratio_exists() -> None:
    result = run("progress", *STORE, "--format", "table", env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "7 targets: 2 partial evidence, 5 no figure"
    assert all(width(line) <= 80 for line in lines), max(lines, key=width)
    bars = [line for line in lines if "█" in line]
    assert len(bars) == 1 and bars[0].endswith(" 25%")
    for fid in (
        "shanghai-ai-industry-scale-2020",
        "pudong-ai-industry-scale-2022",
        "lingang-computing-investment-2025",
    ):
        assert any(fid in line for line in lines), fid  # ids are never cut
    assert "Pudong New Area lies within Shanghai" in result.stdout
    assert lines.count("  status    no figure: nothing reported speaks to it") == 5


# --- date precision ---------------------------------------------------------------------------


@pytest.mark.parametrize("table,date", [("sources", "published"), ("targets", "deadline"), ("indicators", "as_of")])
def test_every_date_says_how_precise_it_is(table: str, date: str) -> None:
    for r in records(table, *STORE):
        value, precision = r[date], r[f"{date}_precision"]
        assert precision == (None if value is None else ("year", "month", "day")[value.count("-")]), r["id"]


def test_import_fills_in_a_missing_precision_and_validate_checks_it(tmp_path: Path, user_store: Path) -> None:
    target = new_fact("t-precise", year=2026, deadline="2026-06")
    assert add(tmp_path, user_store, "targets", target).exit_code == 0
    [stored] = [t for t in records("targets", "--store", str(user_store)) if t["id"] == "t-precise"]
    assert stored["deadline_precision"] == "month" and stored["quote"] is None
    refused = add(tmp_path, user_store, "targets", dict(target, id="t-wrong", deadline_precision="day"))
    assert refused.exit_code == 2
    assert "deadline_precision" in refused.stderr and "'month' for deadline '2026-06'" in refused.stderr
