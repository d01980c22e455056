"""The query commands against the bundled store: answers, formats, fields, sorting, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import BUNDLED, run

from policyq.model import FIELDS


def ids(*args: str) -> list[str]:
    result = run(*args, "--format", "json")
    assert result.exit_code in (0, 1), result
    return [r["id"] for r in result.json()]


# --- places and the tree ----------------------------------------------------------------------


def test_parks_in_pudong_include_parks_below_its_areas() -> None:
    parks = ids("parks", "--in", "Pudong")
    assert {
        "aisland",
        "zhangjiang-online",
        "lujiazui-digital-land",
        "pudong-metaverse-park",
        "pudong-characteristic-parks",
    } == set(parks)


def test_parks_in_zhangjiang_are_parks_in_pudong_and_shanghai() -> None:
    zhangjiang = set(ids("parks", "--in", "Zhangjiang"))
    assert zhangjiang == {"aisland"}  # Zhangjiang Online is placed in Zhangjiang by its name only: a related place
    assert zhangjiang <= set(ids("parks", "--in", "Pudong")) <= set(ids("parks", "--in", "Shanghai"))
    assert "international-data-economy-park" in ids("parks", "--in", "Shanghai")


@pytest.mark.parametrize("name", ["pudong", "Pudong", "PUDONG NEW AREA", "Pudong New Area", "浦东", "浦东新区"])
def test_place_matches_id_name_alias_and_chinese_name(name: str) -> None:
    expected = set(ids("parks", "--in", "pudong"))
    assert "aisland" in expected  # two empty answers would agree about nothing
    assert set(ids("parks", "--in", name)) == expected


def test_zones_in_place_exclude_the_place_and_filter_by_kind() -> None:
    below = ids("zones", "--in", "Shandong")
    assert "shandong" not in below
    assert {"jinan", "qingdao", "jinan-qingdao-ai-pilot-zone"} <= set(below)
    pilots = ids("zones", "--kind", "pilot_zone")
    assert set(pilots) == {"pudong-ai-pilot-zone", "jinan-qingdao-ai-pilot-zone", "shenzhen-ai-pilot-zone"}
    assert ids("zones", "--kind", "pilot_zones") == pilots  # plural accepted


def test_unknown_place_is_a_usage_error_with_a_suggestion() -> None:
    result = run("parks", "--in", "Pudng")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "no place 'Pudng'" in result.stderr and "did you mean 'Pudong New Area'" in result.stderr


def test_unknown_kind_lists_the_valid_ones() -> None:
    result = run("zones", "--kind", "village")
    assert result.exit_code == 2
    assert "unknown kind 'village'" in result.stderr and "pilot_zone" in result.stderr


# --- targets and indicators -----------------------------------------------------------------


def test_2025_output_targets_are_output_value_and_industry_scale_not_counts() -> None:
    found = json.loads(run("targets", "--year", "2025", "--metric", "output", "--json").stdout)
    assert {r["metric"] for r in found} == {"output_value", "industry_scale"}
    assert {r["id"] for r in found} == {
        "shanghai-new-industries-output-2025",
        "pudong-metaverse-park-scale-2025",
        "ide-park-output-2025",
    }
    assert all(r["year"] == 2025 for r in found)


def test_metric_matches_the_sources_wording_too() -> None:
    assert ids("indicators", "--metric", "robot") == ["shanghai-robot-density", "shanghai-robot-density-vs-average"]
    assert ids("targets", "--metric", "data products") == ["sde-data-products-2025"]


def test_targets_in_place_include_subjects_below_it() -> None:
    lingang = ids("targets", "--in", "Lingang")
    assert set(lingang) == {"lingang-computing-investment-2025", "ide-park-data-companies-2025", "ide-park-output-2025"}
    assert set(lingang) <= set(ids("targets", "--in", "Shanghai"))


def test_year_range_due_by_and_value_bounds() -> None:
    assert ids("targets", "--due-by", "2020") == ["shanghai-ai-industry-scale-2020"]
    assert ids("targets", "--year", "2019-2020") == ["shanghai-ai-industry-scale-2020"]
    big = json.loads(run("targets", "--min", "1e11", "--json").stdout)
    assert big and all(r["value"] >= 1e11 for r in big)
    assert ids("indicators", "--in", "Qingdao", "--max", "10") == [
        "qingdao-gdp-growth-2018",
        "qingdao-gdp-rank-shandong",
    ]


def test_source_and_sector_filters() -> None:
    assert set(ids("targets", "--source", "lingang-data-park-2023")) == {
        "ide-park-data-companies-2025",
        "ide-park-output-2025",
        "sde-data-products-2025",
        "lingang-computing-investment-2025",
    }
    assert ids("indicators", "--sector", "integrated circuits") == ["shanghai-ic-enterprises"]
    near = run("targets", "--source", "lingang-data-park")  # ids are exact; a near miss gets a suggestion
    assert near.exit_code == 2 and "did you mean 'lingang-data-park-2023'" in near.stderr
    assert run("targets", "--source", "Data-Centric Industrial Park", "--json").exit_code == 0  # part of one title
    bad = run("targets", "--source", "no-such-source")
    assert bad.exit_code == 2 and "no source 'no-such-source'" in bad.stderr


def test_nothing_matched_exits_1_and_json_prints_an_empty_array() -> None:
    result = run("targets", "--year", "1999", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == []
    assert "no targets matched" in result.stderr
    tsv = run("targets", "--year", "1999", "--format", "tsv")
    assert tsv.exit_code == 1 and tsv.stdout == "\t".join(FIELDS["targets"]) + "\n"


@pytest.mark.parametrize(
    "args",
    [
        ("--year", "abc"),
        ("--year", "2025-2020"),
        ("--limit", "x"),
        ("--bogus",),
        ("--format", "xml"),
        ("--fields", "id,nope"),
        ("--sort", "nope"),
        ("--limit", "-1"),
    ],
)
def test_bad_option_values_are_one_line_usage_errors(args: tuple[str, ...]) -> None:
    result = run("targets", *args)
    assert result.exit_code == 2, result
    assert result.stdout == ""
    assert result.stderr.startswith("policyq: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_unknown_field_error_lists_the_valid_fields() -> None:
    result = run("indicators", "--fields", "id,valu")
    assert "unknown field 'valu'" in result.stderr
    assert ",".join(FIELDS["indicators"]) in result.stderr


# --- output formats -------------------------------------------------------------------------


def test_json_keeps_the_documented_field_order_and_nulls() -> None:
    found = json.loads(run("targets", "--json").stdout)
    assert all(list(r) == list(FIELDS["targets"]) for r in found)
    lingang = next(r for r in found if r["id"] == "lingang-computing-investment-2025")
    assert lingang["usd"] is None and lingang["value"] == 10_000_000_000


def test_json_and_jsonl_carry_the_same_records() -> None:
    as_json = json.loads(run("indicators", "--format", "json").stdout)
    lines = run("indicators", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == as_json
    assert len(as_json) == len(json.loads(BUNDLED.read_text())["indicators"])


def test_csv_and_tsv_have_a_header_and_one_row_per_record() -> None:
    rows = list(csv.DictReader(io.StringIO(run("targets", "--format", "csv").stdout)))
    assert len(rows) == 7 and list(rows[0]) == list(FIELDS["targets"])
    shanghai = next(r for r in rows if r["id"] == "shanghai-new-industries-output-2025")
    assert shanghai["value"] == "1500000000000" and shanghai["usd"] == "222110000000"
    assert json.loads(shanghai["sectors"]) == ["green and low-carbon industries", "metaverse", "intelligent terminals"]
    tsv = run("targets", "--format", "tsv", "--fields", "id,value").stdout.splitlines()
    assert tsv[0] == "id\tvalue" and "shanghai-new-industries-output-2025\t1500000000000" in tsv


def test_piped_output_defaults_to_tsv() -> None:
    result = run("parks", "--in", "Zhangjiang")  # CliRunner's stdout is not a terminal
    assert result.stdout.splitlines()[0] == "\t".join(FIELDS["zones"])
    assert len(result.stdout.splitlines()) == 2


def test_fields_select_and_order_in_every_format() -> None:
    for fmt in ("json", "jsonl"):
        out = run("parks", "--in", "Zhangjiang", "--format", fmt, "--fields", "name,id").stdout
        first = json.loads(out)[0] if fmt == "json" else json.loads(out.splitlines()[0])
        assert list(first) == ["name", "id"]
    assert run("parks", "--in", "Zhangjiang", "--format", "csv", "--fields", "name,id").stdout.startswith("name,id\n")
    table = run("parks", "--in", "Zhangjiang", "--format", "table", "--fields", "name,id").stdout
    assert "name" in table and "AIsland" in table and "kind" not in table


def test_sort_descending_and_limit() -> None:
    values = [
        r["value"]
        for r in json.loads(run("indicators", "--metric", "gdp", "--sort", "value", "--desc", "--json").stdout)
    ]
    assert values == sorted(values, reverse=True) and len(values) == 3
    assert ids("indicators", "--metric", "gdp", "--sort=-value", "--limit", "1") == ["shenzhen-gdp-2018"]
    assert ids("indicators", "--metric", "gdp", "--sort", "value", "--limit", "1") == ["jinan-gdp-2018"]
    usd = [r["usd"] for r in json.loads(run("targets", "--sort", "usd", "--json").stdout)]
    assert usd[-1] is None  # missing values sort last


def test_table_shows_human_figures_exactly() -> None:
    out = run("targets", "--year", "2025", "--format", "table", "--wide").stdout
    assert "over CNY 1.5 tn" in out and "US$ 222.11 bn" in out and "Shanghai" in out
    out = run("indicators", "--in", "Qingdao", "--format", "table").stdout
    assert "CNY 1.20015 tn" in out and "7.4%" in out and "top 2" in out


def test_no_colour_codes_when_not_a_terminal_or_no_color() -> None:
    out = run("parks", "--in", "Pudong", "--format", "table").stdout
    assert "\x1b[" not in out


def test_force_color_colours_the_table() -> None:
    out = run("parks", "--in", "Pudong", "--format", "table", env={"FORCE_COLOR": "1", "NO_COLOR": ""}).stdout
    assert "\x1b[" in out


# --- show, search, sources ------------------------------------------------------------------


def test_show_a_place_by_chinese_name_with_its_related_records() -> None:
    shown = json.loads(run("show", "张江人工智能岛", "--json").stdout)
    assert shown["table"] == "zones" and shown["record"]["id"] == "aisland"
    related = shown["related"]
    assert [z["id"] for z in related["ancestors"]] == ["zhangjiang", "pudong", "shanghai", "china"]
    assert {r["id"] for r in related["indicators"]} == {
        "aisland-enterprises-2023",
        "aisland-area",
        "aisland-applications-2023",
    }
    assert [s["id"] for s in related["sources"]] == ["pudong-ai-clusters-2023"]


def test_show_a_fact_with_its_subject_and_source() -> None:
    shown = json.loads(run("show", "shanghai-robot-density", "--json").stdout)
    assert shown["record"]["value"] == 260 and shown["record"]["unit"] == "per_10k_people"
    assert shown["related"]["subject"]["id"] == "shanghai"
    assert shown["related"]["sources"][0]["published"] == "2023-05-15"


def test_show_a_source_lists_the_facts_citing_it() -> None:
    shown = json.loads(run("show", "ai-pilot-zones-2019", "--json").stdout)
    assert len(shown["related"]["indicators"]) == 9 and len(shown["related"]["targets"]) == 1


def test_limit_zero_says_how_many_matched() -> None:
    total = len(run("zones", "--json").json())
    result = run("zones", "-n", "0")
    assert result.exit_code == 1 and result.stderr == f"policyq: {total} zones matched; --limit 0 shows none\n"


def test_show_unknown_and_ambiguous_names() -> None:
    unknown = run("show", "Lingan")
    assert unknown.exit_code == 2 and "did you mean 'Lingang New Area'" in unknown.stderr
    typo = run("show", "qingdao-gdp-2019")  # an id with a slip is offered the id, not a place
    assert typo.exit_code == 2 and "did you mean 'qingdao-gdp-2018'?" in typo.stderr
    nothing = run("show", "nothing")
    assert nothing.exit_code == 2 and "'policyq search WORDS'" in nothing.stderr


def test_show_table_and_fields() -> None:
    out = run("show", "aisland", "--format", "table").stdout
    assert "AIsland" in out and "park in Zhangjiang › Pudong New Area › Shanghai › China" in out
    only = json.loads(run("show", "aisland", "--json", "--fields", "id,established").stdout)
    assert only["record"] == {"id": "aisland", "established": "2019"}


def test_search_across_tables() -> None:
    hits = json.loads(run("search", "metaverse", "--json").stdout)
    tables = {h["table"] for h in hits}
    assert {"zones", "targets"} <= tables
    assert any(h["id"] == "pudong-metaverse-park" for h in hits)
    assert json.loads(run("search", "张江", "--json").stdout)[0]["id"] == "zhangjiang"
    assert run("search", "Nepal").exit_code == 1


def test_sources_sorted_by_date() -> None:
    found = json.loads(run("sources", "--sort", "published", "--json").stdout)
    assert [s["published"] for s in found] == ["2019", "2022-08-01", "2023", "2023-05-15", "2023-07-06", "2026-06"]


# --- ask ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "flags"),
    [
        ("parks in Pudong", ("parks", "--in", "Pudong")),
        ("2025 output targets", ("targets", "--year", "2025", "--metric", "output")),
        ("indicators for Qingdao", ("indicators", "--in", "Qingdao")),
        ("targets due by 2025 in Lingang", ("targets", "--due-by", "2025", "--in", "Lingang")),
        ("pilot zones", ("zones", "--kind", "pilot_zone")),
        ("GDP of Shenzhen", ("indicators", "--in", "Shenzhen", "--metric", "gdp")),
        ("浦东的园区 parks", ("parks", "--in", "浦东")),
    ],
)
def test_ask_gives_the_same_answer_as_the_flags(question: str, flags: tuple[str, ...]) -> None:
    asked = run("ask", question, "--json")
    assert asked.exit_code == 0, asked
    assert asked.stderr.startswith("policyq: understood: ")
    expected = json.loads(run(*flags, "--json").stdout)
    assert expected, flags  # two empty answers would agree about nothing
    assert asked.json() == expected


def test_ask_explain_only_explains() -> None:
    result = run("ask", "targets due by 2025 in Lingang", "--explain")
    assert result.exit_code == 0 and result.stdout == ""
    assert "targets in Lingang New Area (lingang) and below due by 2025" in result.stderr


@pytest.mark.parametrize("question", ["hello world", "", "   "])
def test_ask_refuses_what_it_cannot_understand(question: str) -> None:
    result = run("ask", question)
    assert result.exit_code == 2
    assert "parks in Pudong" in result.stderr and result.stderr.count("\n") == 1


def test_ask_with_an_unknown_place_is_an_error_with_a_suggestion() -> None:
    result = run("ask", "parks in Atlantis")
    assert result.exit_code == 2 and result.stdout == ""
    assert "no place 'atlantis'" in result.stderr
    typo = run("ask", "indicators for Qingdoa")  # a clear near miss is read as the name, the reading said
    assert typo.exit_code == 0 and "understood: 'Qingdoa' as Qingdao;" in typo.stderr


def test_search_table_shows_what_matched() -> None:
    out = run("search", "robot", "--format", "table").stdout
    assert "Matched" in out and "Metric: robot density" in out  # the card's label, not the field name


# --- store selection, version, help ---------------------------------------------------------


def test_writing_to_a_store_that_does_not_exist_points_to_init(tmp_path: Path) -> None:
    file = tmp_path / "in.json"
    file.write_text("{}")
    result = run("import", str(file), "--store", str(tmp_path / "new.json"))
    assert result.exit_code == 2 and f"policyq init {tmp_path / 'new.json'}" in result.stderr


def test_store_option_and_environment(tmp_path: Path, user_store: Path) -> None:
    data = json.loads(user_store.read_text())
    data["targets"] = {}
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps(data))
    assert run("targets", "--store", str(empty), "--json").exit_code == 1
    assert run("targets", "--json", env={"POLICYQ_STORE": str(empty)}).exit_code == 1
    assert run("targets", "--json", "--store", str(user_store), env={"POLICYQ_STORE": str(empty)}).exit_code == 0


def test_version() -> None:
    from policyq import __version__

    result = run("--version")
    assert result.exit_code == 0 and result.stdout == f"policyq {__version__}\n"


def test_bare_command_shows_help_as_a_usage_error() -> None:
    result = run()
    assert result.exit_code == 2 and "Usage: policyq" in result.stderr


def test_an_ambiguous_name_lists_the_candidates(tmp_path: Path, user_store: Path) -> None:
    data = json.loads(user_store.read_text())
    for zone in data["zones"].values():
        if zone["id"] in ("jinan", "qingdao"):
            zone["aliases"].append("Shandong city")
    path = tmp_path / "twin.json"
    path.write_text(json.dumps(data))
    for args in (("show", "shandong city"), ("parks", "--in", "Shandong City")):
        result = run(*args, "--store", str(path))
        assert result.exit_code == 2
        message = result.stderr
        assert "names 2 places" in message and "济南 (Jinan, Shandong, 370100)" in message
        assert "青岛 (Qingdao, Shandong, 370200)" in message and "such as 'Jinan, Shandong'" in message


def test_table_cells_are_literal_text_not_markup(tmp_path: Path, user_store: Path) -> None:
    data = json.loads(user_store.read_text())
    data["zones"]["1"]["note"] = "[bold]kept[/bold] :smile: [AI]"
    path = tmp_path / "markup.json"
    path.write_text(json.dumps(data))
    out = run("show", "china", "--format", "table", "--store", str(path)).stdout
    assert "[bold]kept[/bold] :smile: [AI]" in out
