"""`policyq progress`: one test per rule of docs/progress.md, each with a target and the figures
for it imported into a store of its own, read back through the real CLI as JSON."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from conftest import run

from policyq.provenance import RELATIONS, STATUSES, TIMINGS

PLACE = "lingang-computing-center"  # a facility in Lingang the bundled store holds no facts about
WITHIN = "lingang-computing-center"
AROUND = "lingang"


def fact(fid: str, family: str, value: float, *, year: int, comparator: str = "=", **more: Any) -> dict[str, Any]:
    return {
        "id": fid,
        "subject": PLACE,
        "metric": family,
        "metric_label": f"{family.replace('_', ' ')} of ours",
        "family": family,
        "comparator": comparator,
        "value": value,
        "unit": "count",
        "year": year,
        "source": "lingang-data-park-2023",
        "sectors": [],
        **more,
    }


def standing(tmp_path: Path, user_store: Path, target: dict[str, Any], *figures: dict[str, Any]) -> dict[str, Any]:
    """The progress item of ``target`` once it and ``figures`` are in the store."""
    path = tmp_path / "new.json"
    path.write_text(json.dumps({"targets": [target], "indicators": list(figures)}), encoding="utf-8")
    imported = run("import", str(path), "--store", str(user_store))
    assert imported.exit_code == 0, imported
    result = run("progress", "--store", str(user_store), "--json")
    assert result.exit_code == 0, result
    assert "Infinity" not in result.stdout and "NaN" not in result.stdout
    [item] = [i for i in result.json() if i["target"]["id"] == target["id"]]
    assert item["status"] in STATUSES and item["why"]
    for e in item["evidence"]:
        assert e["relation"] in RELATIONS and e["timing"] in TIMINGS
        assert e["ratio"] is None or math.isfinite(e["ratio"])
    return item


def test_a_figure_for_the_place_at_the_deadline_that_reaches_it_is_met(tmp_path: Path, user_store: Path) -> None:
    target = fact("t-aim", "f_met", 100, year=2024, comparator=">=", deadline="2024")
    item = standing(tmp_path, user_store, target, fact("i-got", "f_met", 130, year=2024, as_of="2024-12-31"))
    [e] = item["evidence"]
    assert item["status"] == "met"
    assert (e["relation"], e["timing"], e["reaches"], e["ratio"]) == ("same place", "at deadline", True, 1.3)


def test_a_figure_at_the_deadline_that_falls_short_is_not_met(tmp_path: Path, user_store: Path) -> None:
    target = fact("t-aim", "f_short", 100, year=2024, deadline="2024")
    earlier = fact("i-early", "f_short", 120, year=2023)  # reached early, fell back: the deadline decides
    item = standing(tmp_path, user_store, target, earlier, fact("i-late", "f_short", 60, year=2024))
    assert item["status"] == "not met"
    assert [(e["indicator"]["id"], e["timing"], e["reaches"]) for e in item["evidence"]] == [
        ("i-early", "before deadline", True),
        ("i-late", "at deadline", False),
    ]


def test_reached_before_the_deadline_is_on_track_not_met(tmp_path: Path, user_store: Path) -> None:
    target = fact("t-aim", "f_early", 100, year=2024, deadline="2024-12-31")
    item = standing(tmp_path, user_store, target, fact("i-early", "f_early", 110, year=2022))
    assert item["status"] == "on track"
    assert item["evidence"][0]["timing"] == "before deadline"


def test_a_deadline_still_ahead_is_not_yet_due(tmp_path: Path, user_store: Path) -> None:
    target = fact("t-aim", "f_ahead", 100, year=2099, deadline="2099")
    item = standing(tmp_path, user_store, target, fact("i-now", "f_ahead", 40, year=2023))
    assert item["status"] == "not yet due"
    assert item["evidence"][0]["ratio"] == 0.4 and item["evidence"][0]["reaches"] is False


def test_a_target_without_figures_has_no_figure(tmp_path: Path, user_store: Path) -> None:
    item = standing(tmp_path, user_store, fact("t-aim", "f_none", 100, year=2024))
    assert (item["status"], item["evidence"]) == ("no figure", [])


def test_a_place_within_is_partial_evidence_without_ratio(tmp_path: Path, user_store: Path) -> None:
    target = fact("t-aim", "f_within", 100, year=2024, subject=AROUND)
    part = fact("i-part", "f_within", 150, year=2024, subject=WITHIN)
    item = standing(tmp_path, user_store, target, part)
    [e] = item["evidence"]
    assert item["status"] == "partial evidence"
    assert (e["relation"], e["reaches"], e["ratio"]) == ("within", None, None)


def test_a_figure_after_the_deadline_is_marked_and_decides_nothing(tmp_path: Path, user_store: Path) -> None:
    target = fact("t-aim", "f_after", 100, year=2020, comparator=">", deadline="2020")
    later = fact("i-later", "f_after", 120, year=2022, as_of="2022-12-31")
    item = standing(tmp_path, user_store, target, later)
    [e] = item["evidence"]
    assert e["timing"] == "after deadline" and e["reaches"] is True
    assert item["status"] == "partial evidence" and "after the deadline" in item["why"]


@pytest.mark.parametrize(
    ("floor", "reaches", "status"),
    [(120, True, "met"), (100, True, "met"), (80, None, "partial evidence")],
)
def test_a_floor_against_a_floor_proves_only_what_it_proves(
    tmp_path: Path, user_store: Path, floor: int, reaches: bool | None, status: str
) -> None:
    # 'over 120' against 'over 100' proves it reached, not by how much; 'over 80' proves nothing
    target = fact("t-aim", "f_floor", 100, year=2024, comparator=">", deadline="2024")
    item = standing(tmp_path, user_store, target, fact("i-floor", "f_floor", floor, year=2024, comparator=">"))
    [e] = item["evidence"]
    assert (e["reaches"], e["ratio"], item["status"]) == (reaches, None, status)


def test_the_view_says_what_a_floor_proves_and_draws_no_bar(tmp_path: Path, user_store: Path) -> None:
    target = fact("t-aim", "f_floor", 100, year=2024, comparator=">", deadline="2024")
    standing(tmp_path, user_store, target, fact("i-floor", "f_floor", 120, year=2024, comparator=">"))
    result = run("progress", "--store", str(user_store), "--metric", "f_floor", "--format", "table")
    assert result.exit_code == 0, result
    assert "over 120 proves over 100 reached, not by how much" in result.stdout
    assert "█" not in result.stdout and "%" not in result.stdout


def test_a_ratio_too_large_for_a_number_is_left_out(tmp_path: Path, user_store: Path) -> None:
    target = fact("t-aim", "f_tiny", 5e-324, year=2024, deadline="2024")
    item = standing(tmp_path, user_store, target, fact("i-huge", "f_tiny", 1e308, year=2024))
    [e] = item["evidence"]
    assert e["ratio"] is None and e["reaches"] is True and item["status"] == "met"
    for fmt in ("csv", "tsv", "jsonl"):
        out = run("progress", "--store", str(user_store), "--format", fmt).stdout
        assert "inf" not in out.casefold() and "nan" not in out.casefold()


def test_a_figure_in_another_unit_or_for_other_industries_is_not_compared(tmp_path: Path, user_store: Path) -> None:
    target = fact("t-aim", "f_unit", 100, year=2024, sectors=["data"])
    dollars = fact("i-usd", "f_unit", 200, year=2024, unit="USD", sectors=["data"])
    wider = fact("i-wide", "f_unit", 200, year=2024, sectors=["data", "artificial intelligence"])
    item = standing(tmp_path, user_store, target, dollars, wider)
    assert [(e["reaches"], e["ratio"]) for e in item["evidence"]] == [(None, None), (None, None)]
    assert item["status"] == "partial evidence"
    view = run("progress", "--store", str(user_store), "--metric", "f_unit", "--format", "table").stdout
    assert "in another unit: not compared" in view and "about other industries too: not compared" in view


def test_the_bundled_ai_target_is_not_read_as_met_by_pudong() -> None:
    # Pudong's "over CNY 120 billion" at the end of 2022 against Shanghai's "over 100 billion by 2020"
    result = run("progress", "--in", "Shanghai", "--format", "table", env={"COLUMNS": "80"})
    block = result.stdout.split("shanghai-ai-industry-scale-2020")[1].split("\n\n")[0]
    assert "Shanghai · industry scale (artificial intelligence)" in result.stdout
    assert "partial evidence" in block and "after deadline" in block
    assert "Pudong New Area lies within Shanghai: a part, not compared" in block
    assert "█" not in block and "%" not in block
