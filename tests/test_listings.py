"""Listings a reader can use and trust: --wide shows every column that has a value, --fields
keeps the columns asked for, rows of one line are not parted, and kinds and column names
read as words."""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import records, run

from policyq.render.human import COLUMNS, kind_word

FIELD_OF_HEADER = {c.header: c.field for cols in COLUMNS.values() for c in cols}


def table(*args: str, columns: int = 80) -> list[str]:
    result = run(*args, "--format", "table", env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result
    return result.stdout.splitlines()


def headers(lines: list[str]) -> list[str]:
    return re.split(r"\s{2,}", lines[2].strip())


def has_value(r: dict[str, Any], field: str) -> bool:
    value = r.get(field)
    return value not in (None, "", [], {})


@pytest.mark.parametrize("listing", ["zones", "targets", "indicators", "sources"])
@pytest.mark.parametrize("columns", [60, 80])
def test_wide_shows_every_field_that_has_a_value(listing: str, columns: int) -> None:
    lines = table(listing, "--wide", columns=columns)
    shown = headers(lines)
    rows = records(listing)
    for col in COLUMNS[listing]:
        period = col.field in ("deadline", "as_of") and any(has_value(r, "year") for r in rows)
        if any(has_value(r, col.field) for r in rows) or period:
            assert col.header in shown, (listing, col.header)
    text = "\n".join(lines)
    assert "Not shown" not in text and "…" not in text
    for r in rows:  # every id, and every sector of every record, whole
        assert any(r["id"] in line.split() for line in lines), r["id"]
        for sector in r.get("sectors") or ():
            assert all(word in text for word in sector.split()), sector


def test_the_footer_names_what_is_hidden_in_a_readers_words() -> None:
    lines = table("zones", "--in", "Shanghai")
    note = " ".join(lines[-3:])
    assert "Not shown at 80 columns:" in note and "--wide shows every column in full." in note
    hidden = note.split("Not shown at 80 columns:")[1].split(".")[0]
    for name in (h.strip() for h in hidden.split(",")):
        assert name in FIELD_OF_HEADER and "_" not in name and name not in ("中文", "In", "Since"), name


def test_fields_naming_an_empty_column_keep_it() -> None:
    lines = table("zones", "--in", "Zhangjiang", "--fields", "id,designations,related", columns=120)
    assert headers(lines) == ["id", "designations", "related"]  # no zone in Zhangjiang has related places
    md = run("zones", "--in", "Zhangjiang", "--fields", "id,related", "-o", "md").stdout.splitlines()
    assert md[0] == "| id | related |"


def test_rows_of_one_line_are_not_parted_by_blank_lines() -> None:
    lines = table("indicators", "--in", "Qingdao", columns=120)
    assert lines[4].startswith("qingdao-gdp-2018") and lines[5].startswith("qingdao-gdp-growth-2018")
    many = table("targets")
    for n in range(4, len(many) - 1):  # a blank line only beside a row of several lines
        if many[n] == "" and n + 1 < len(many) and many[n + 1].startswith(("Not shown", "--wide")):
            break
        if many[n] == "":
            above_tall = many[n - 1].startswith(" ")
            below_tall = n + 2 < len(many) and many[n + 2].startswith(" ")
            assert above_tall or below_tall, many[n - 1 : n + 2]


def test_kinds_read_as_words() -> None:
    assert kind_word("free_trade_zone") == "free-trade zone"
    assert kind_word("pilot_zone") == "pilot zone"
    assert kind_word("park_group") == "group of parks"
    assert kind_word("autonomous_prefecture") == "autonomous prefecture"  # a kind added later reads too
    shown = "\n".join(table("zones", "--in", "Shanghai", "--fields", "id,kind", columns=120))
    assert "free-trade zone" in shown and "group of parks" in shown and "pilot zone" in shown
    assert "_zone" not in shown and "park_group" not in shown
    for args in (("show", "lingang"), ("tree", "Shanghai")):
        out = run(*args, "--format", "table", env={"COLUMNS": "80"}).stdout
        assert "free_trade_zone" not in out and "park_group" not in out and "pilot_zone" not in out, args


def test_search_centres_the_excerpt_on_the_match_and_names_the_record_type() -> None:
    lines = table("search", "four trillion")
    assert headers(lines)[:2] == ["Type", "ID"]
    rows = "\n".join(lines[4:])
    assert rows.count("indicator  ") == 2
    assert " ".join(rows.split()).count("four trillion") == 2  # the match itself is never cut away
    assert "…maintained at four" in rows


def test_a_places_card_puts_figures_before_designations_and_counts_what_lies_within() -> None:
    card = run("show", "aisland", "--format", "table", env={"COLUMNS": "80"}).stdout
    assert card.index("Indicators (3)") < card.index("Designations") < card.index("Inside it (1)")
    shanghai = run("show", "shanghai", "--format", "table", env={"COLUMNS": "80"}).stdout
    within_targets = sum(1 for r in records("targets", "--in", "shanghai") if r["subject"] != "shanghai")
    within_indicators = sum(1 for r in records("indicators", "--in", "shanghai") if r["subject"] != "shanghai")
    assert within_targets > 0
    flat = " ".join(shanghai.split())
    assert f"Places within it hold {within_targets} more targets and {within_indicators} more indicators" in flat
    assert "'policyq targets --in shanghai'" in shanghai  # the command is not parted


def test_the_tree_counts_a_place_and_everything_within_it_with_a_legend() -> None:
    lines = table("tree", "Shanghai")
    top = next(line for line in lines if line.startswith("Shanghai"))
    own = sum(1 for r in records("targets") if r["subject"] == "shanghai")
    within = sum(1 for r in records("targets", "--in", "shanghai") if r["subject"] != "shanghai")
    assert f"{own} + {within}" in top
    assert "Targets, Indicators: the place's own + those of the places within it." in lines


def test_a_chart_compares_like_with_like_and_draws_no_bar_for_a_lone_figure() -> None:
    from policyq.render.chart import group_name, group_of

    out = run("indicators", "--chart", env={"COLUMNS": "80"}).stdout
    lines = out.splitlines()
    rows = [r for r in records("indicators") if r["unit"] != "rank"]
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(group_of(r), []).append(r)
    # growth rates apart from shares; enterprises apart from factories and pilot areas
    by_id = {r["id"]: group_of(r) for r in rows}
    assert by_id["qingdao-gdp-growth-2018"] != by_id["shanghai-strategic-emerging-share"]
    assert len({by_id[i] for i in ("pudong-ai-enterprises-2022", "shanghai-smart-factories")}) == 2
    assert by_id["shanghai-smart-factories"] != by_id["shanghai-future-industry-pilot-areas"]
    names = {group_name(k) for k in groups}
    for key, members in groups.items():
        start = lines.index(group_name(key))
        ends = ("A figure alone", "Not drawn")
        end = next((n for n in range(start + 1, len(lines)) if lines[n] in names or lines[n].startswith(ends)), None)
        section = lines[start + 1 : end]
        bars = [line for line in section if any(c in line for c in "█▏▎▍▌▋▊▉")]
        assert len(bars) == (len(members) if len(members) > 1 else 0), (key, section)
    assert "A figure alone in its group has no bar" in out
