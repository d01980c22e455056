"""Names as people write them, through the flags: sectors by their common names, metrics in
everyday words and any order, amounts such as 100bn, several places at once, a zone spanning
several places, and search that shows the figure it found."""

from __future__ import annotations

import pytest
from conftest import records, run

import policyq
from policyq import vocab
from policyq.errors import UsageError


def ids(*args: str) -> list[str]:
    return [r["id"] for r in records(*args)]


@pytest.mark.parametrize("name", ["AI", "ai", "人工智能", "artificial intelligence", "Artificial Intelligence"])
def test_sector_by_any_common_name(name: str) -> None:
    assert set(ids("targets", "--sector", name)) == {
        "shanghai-ai-industry-scale-2020",
        "lingang-computing-investment-2025",
    }


def test_sector_names_find_what_the_sources_call_them() -> None:
    assert "shenzhen-ai-pilot-zone" in ids("zones", "--sector", "chips")  # 'smart chips'
    assert ids("indicators", "--sector", "IC") == ["shanghai-ic-enterprises"]  # 'integrated circuits'
    assert "international-data-economy-park" in ids("parks", "--sector", "robots")  # 'humanoid robotics'
    assert "aisland" not in ids("parks", "--sector", "data")
    assert ids("targets", "--sector", "元宇宙") == ids("targets", "--sector", "metaverse") != []
    # 'ai' is a word, not any text holding those letters ('supply chain', 'AIsland')
    assert "shenzhen-ai-pilot-zone" in ids("zones", "--sector", "ai")
    assert "shanghai-digital-transformation-center" not in ids("zones", "--sector", "ai")


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("robots", {"shanghai-robot-density", "shanghai-robot-density-vs-average"}),
        ("robot densities", {"shanghai-robot-density", "shanghai-robot-density-vs-average"}),
        ("density robot", {"shanghai-robot-density", "shanghai-robot-density-vs-average"}),
        ("growth rate", {"qingdao-gdp-growth-2018", "jinan-gdp-growth-2018", "shenzhen-gdp-growth-2018"}),
        ("smart factories", {"shanghai-smart-factories"}),
        ("factory", {"shanghai-smart-factories"}),
    ],
)
def test_metric_tolerates_plurals_order_and_everyday_words(words: str, expected: set[str]) -> None:
    assert set(ids("indicators", "--metric", words)) == expected


def test_metric_in_everyday_words_names_a_family() -> None:
    companies = set(ids("indicators", "--metric", "companies"))
    assert companies == set(ids("indicators", "--metric", "enterprises"))
    assert "shanghai-ic-enterprises" in companies and "shanghai-smart-factories" not in companies
    assert "qingdao-gdp-growth-2018" not in ids("indicators", "--metric", "gdp")  # GDP, not its growth


@pytest.mark.parametrize(
    ("amount", "value", "unit"),
    [
        ("100bn", 1e11, None),
        ("1.5tn", 1.5e12, None),
        ("1.5 trillion", 1.5e12, None),
        ("1e11", 1e11, None),
        ("100亿", 1e10, None),
        ("1万亿", 1e12, None),
        ("1,000", 1000, None),
        ("CNY 100 bn", 1e11, "CNY"),
        ("100 billion yuan", 1e11, "CNY"),
        ("7.4%", 7.4, "percent"),
    ],
)
def test_amounts_as_people_write_them(amount: str, value: float, unit: str | None) -> None:
    parsed = vocab.parse_amount(amount)
    assert (parsed.value, parsed.unit) == (value, unit)


@pytest.mark.parametrize("amount", ["US$ 14.5 bn", "$10bn", "100 dollars", "lots", "1,00", "100 bn bn"])
def test_amounts_that_are_not_refused_with_the_way_to_write_them(amount: str) -> None:
    with pytest.raises(UsageError):
        vocab.parse_amount(amount)
    result = run("targets", "--min", amount)
    assert result.exit_code == 2 and "100bn" in result.stderr and result.stderr.count("\n") == 1


def test_bounds_take_amounts_and_read_each_records_comparator() -> None:
    assert ids("targets", "--min", "100bn") == ids("targets", "--min", "1e11") == ids("targets", "--min", "1000亿")
    over = ids("targets", "--above", "100bn")  # 'over CNY 100 bn' is over 100bn; '= CNY 100 bn' is not
    assert "ide-park-output-2025" in over and "pudong-metaverse-park-scale-2025" not in over
    under = ids("targets", "--below", "100bn", "--unit", "CNY")
    assert under == ["lingang-computing-investment-2025"]  # 'over 100 companies' is no amount of yuan
    assert "ide-park-data-companies-2025" not in ids("targets", "--max", "1000")  # over 100: not known to be <= 1000
    assert ids("targets", "--max", "1000", "--min", "100") == []
    assert ids("indicators", "--above", "7.4%") == ["shenzhen-gdp-growth-2018", "shanghai-strategic-emerging-share"]
    clash = run("indicators", "--min", "7%", "--unit", "CNY")
    assert clash.exit_code == 2 and "--unit CNY but the amounts are in percent" in clash.stderr


def test_open_year_ranges() -> None:
    assert ids("targets", "--year=-2020") == ["shanghai-ai-industry-scale-2020"]
    assert "shanghai-ai-industry-scale-2020" not in ids("targets", "--year", "2021-")
    assert run("targets", "--year", "-").exit_code == 2


def test_in_is_repeatable_and_gives_the_union() -> None:
    both = set(ids("indicators", "--in", "Qingdao", "--in", "青岛", "--in", "Jinan"))
    assert both == set(ids("indicators", "--in", "Qingdao")) | set(ids("indicators", "--in", "Jinan"))
    parks = set(ids("parks", "--in", "Zhangjiang", "--in", "Lingang"))
    assert parks == {"aisland", "international-data-economy-park"}


def test_a_zone_spanning_several_places_includes_theirs_and_says_so() -> None:
    result = run("indicators", "--in", "Jinan-Qingdao", "--json")
    assert result.exit_code == 0
    found = {r["id"] for r in result.json()}
    assert {"qingdao-gdp-2018", "jinan-gdp-2018"} <= found and "shenzhen-gdp-2018" not in found
    assert "via Jinan-Qingdao AI Innovation and Application Pilot Zone: including Jinan and Qingdao" in result.stderr
    city = run("indicators", "--in", "Shenzhen", "--json")  # a city tied to its region spans nothing
    assert "via" not in city.stderr and {r["subject"] for r in city.json()} == {"shenzhen"}
    api = policyq.Store().indicators(place="Jinan-Qingdao")
    assert api == result.json() and api.notes and "Jinan and Qingdao" in api.notes[0]


def test_exact_keeps_figures_about_the_place_itself() -> None:
    assert ids("indicators", "--in", "Pudong", "--metric", "area", "--exact") == []
    assert ids("indicators", "--in", "Pudong", "--metric", "area") != []
    assert ids("indicators", "--in", "AIsland", "--metric", "area", "--exact") == ["aisland-area"]


def test_place_aliases_people_write() -> None:
    for alias, zid in (("临港", "lingang"), ("大湾区", "greater-bay-area"), ("Pudong New District", "pudong")):
        assert run("show", alias, "--json").json()["record"]["id"] == zid


def test_api_takes_the_same_names_and_amounts() -> None:
    store = policyq.Store()
    assert store.targets(sector="AI", above="50bn") == records("targets", "--sector", "AI", "--above", "50bn")
    assert store.indicators(place=["Qingdao", "Jinan"], metric="growth rate") == records(
        "indicators", "--in", "Qingdao", "--in", "Jinan", "--metric", "growth rate"
    )


# --- search -----------------------------------------------------------------------------------


def test_search_finds_word_stems_and_shows_the_figure() -> None:
    hits = run("search", "robots", "--json").json()
    density = next(h for h in hits if h["id"] == "shanghai-robot-density")
    assert (density["field"], density["text"], density["value"], density["unit"]) == (
        "metric_label",
        "robot density",
        260,
        "per_10k_people",
    )
    table = run("search", "robots", "--format", "table", env={"COLUMNS": "80"}).stdout
    assert "260 per 10,000 people — Metric: robot density" in table.replace("\n" + " " * 40, " ")


def test_search_ranks_exact_names_and_ids_first() -> None:
    assert run("search", "aisland", "--json").json()[0]["id"] == "aisland"
    assert run("search", "Lingang", "--json").json()[0]["id"] == "lingang"
    metaverse = [h["id"] for h in run("search", "metaverse", "--json").json()]
    assert metaverse[0] == "pudong-metaverse-park"  # the name holds the word; a sector list comes later
    assert "shanghai-digital-transformation-center" not in [h["id"] for h in run("search", "ai", "--json").json()]
