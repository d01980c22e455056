"""The question bank: questions as analysts ask them about the bundled store, each with the
records its answer must hold and those it must not, questions answered from one place's record,
questions understood but with nothing to show, and questions that must be refused.

Every answered question is also run as the command line `ask` reports on stderr: a question is
exactly the filters the flags build.
"""

from __future__ import annotations

import json
import shlex

import pytest
from conftest import Result, run

# Record ids of the bundled store, named once.
AI_2020 = "shanghai-ai-industry-scale-2020"
NEW_INDUSTRIES = "shanghai-new-industries-output-2025"  # green, metaverse, terminals: > CNY 1.5 tn
METAVERSE_PARK = "pudong-metaverse-park-scale-2025"  # = CNY 100 bn
DATA_COMPANIES = "ide-park-data-companies-2025"  # > 100 companies
DATA_PARK_OUTPUT = "ide-park-output-2025"  # > CNY 100 bn
DATA_PRODUCTS = "sde-data-products-2025"  # ~ 5,000 products
COMPUTING = "lingang-computing-investment-2025"  # = CNY 10 bn, computing power and AI
QD_GDP, JN_GDP, SZ_GDP = "qingdao-gdp-2018", "jinan-gdp-2018", "shenzhen-gdp-2018"
QD_GROWTH, JN_GROWTH, SZ_GROWTH = "qingdao-gdp-growth-2018", "jinan-gdp-growth-2018", "shenzhen-gdp-growth-2018"
QD_RANK, JN_RANK = "qingdao-gdp-rank-shandong", "jinan-gdp-rank-shandong"

# (question, records that must be in the answer, records that must not)
ANSWERED: list[tuple[str, set[str], set[str]]] = [
    # record kinds anywhere in the sentence, and sectors by their common names
    ("AI targets for Shanghai", {AI_2020, COMPUTING}, {NEW_INDUSTRIES, DATA_PRODUCTS, DATA_COMPANIES}),
    ("targets for Shanghai's AI industry", {AI_2020, COMPUTING}, {NEW_INDUSTRIES, DATA_PRODUCTS}),
    ("人工智能目标", {AI_2020, COMPUTING}, {NEW_INDUSTRIES, METAVERSE_PARK}),
    ("data products target", {DATA_PRODUCTS}, {DATA_COMPANIES, DATA_PARK_OUTPUT}),
    ("metaverse targets", {NEW_INDUSTRIES, METAVERSE_PARK}, {DATA_PARK_OUTPUT, AI_2020}),
    ("data targets in Shanghai", {DATA_COMPANIES, DATA_PARK_OUTPUT, DATA_PRODUCTS}, {NEW_INDUSTRIES, COMPUTING}),
    ("Shanghai's goals", {NEW_INDUSTRIES, DATA_PRODUCTS, AI_2020}, set()),
    ("What are Lingang's targets for 2025?", {DATA_COMPANIES, DATA_PARK_OUTPUT, COMPUTING}, {DATA_PRODUCTS}),
    ("chips companies in Shanghai", {"shanghai-ic-enterprises"}, {"pudong-ai-enterprises-2022"}),
    ("IC enterprises", {"shanghai-ic-enterprises"}, {"aisland-enterprises-2023", "ide-park-first-enterprises"}),
    ("integrated circuit companies", {"shanghai-ic-enterprises"}, {"pudong-ai-enterprises-2022"}),
    ("AI parks in Pudong", {"aisland", "pudong-characteristic-parks"}, {"pudong-metaverse-park", "zhangjiang-online"}),
    ("metaverse parks", {"pudong-metaverse-park"}, {"aisland"}),
    ("data parks", {"international-data-economy-park"}, {"aisland", "lujiazui-digital-land"}),
    ("robotics parks", {"international-data-economy-park"}, {"aisland"}),
    # amounts with comparators and units
    ("targets above 500 billion yuan", {NEW_INDUSTRIES}, {AI_2020, METAVERSE_PARK, DATA_PARK_OUTPUT, COMPUTING}),
    ("targets over 100 billion yuan", {AI_2020, DATA_PARK_OUTPUT, NEW_INDUSTRIES}, {METAVERSE_PARK, COMPUTING}),
    ("targets of at least 100 billion yuan", {METAVERSE_PARK, AI_2020}, {COMPUTING, DATA_COMPANIES}),
    ("targets under 100 billion yuan", {COMPUTING}, {METAVERSE_PARK, DATA_COMPANIES, DATA_PRODUCTS}),
    ("targets of at most 100bn yuan", {COMPUTING, METAVERSE_PARK}, {AI_2020, DATA_COMPANIES}),
    ("targets between 10 and 100 billion yuan", {COMPUTING, METAVERSE_PARK}, {AI_2020, DATA_PARK_OUTPUT}),
    ("targets above 1.5 tn", {NEW_INDUSTRIES}, {AI_2020, DATA_PARK_OUTPUT}),
    ("indicators above 100亿", {"pudong-ai-industry-scale-2022", QD_GDP}, {"shanghai-ic-enterprises"}),
    ("more than 1,000 companies", {"shanghai-ic-enterprises"}, {"pudong-ai-enterprises-2022"}),
    ("more than 500 companies in Pudong", {"pudong-ai-enterprises-2022"}, {"pudong-characteristic-parks-enterprises"}),
    ("GDP growth above 7.4%", {SZ_GROWTH}, {QD_GROWTH, JN_GROWTH}),
    ("growth of at least 7.4 percent", {SZ_GROWTH, QD_GROWTH, JN_GROWTH}, {QD_GDP}),
    # several places, comparisons
    ("compare GDP of Qingdao, Jinan and Shenzhen", {QD_GDP, JN_GDP, SZ_GDP}, {QD_GROWTH, QD_RANK}),
    ("Qingdao vs Jinan", {QD_GDP, JN_GDP, QD_GROWTH}, {SZ_GDP}),
    ("GDP in Shandong", {QD_GDP, JN_GDP}, {SZ_GDP, QD_GROWTH}),
    ("targets in Lingang and Pudong", {COMPUTING, DATA_PARK_OUTPUT, METAVERSE_PARK}, {AI_2020, DATA_PRODUCTS}),
    ("indicators for the Jinan-Qingdao pilot zone", {QD_GDP, JN_GDP}, {SZ_GDP}),
    ("Greater Bay Area indicators", {SZ_GDP, SZ_GROWTH}, {QD_GDP}),
    # metrics in everyday words
    ("GDP growth in 2018", {QD_GROWTH, JN_GROWTH, SZ_GROWTH}, {QD_GDP, JN_GDP, SZ_GDP}),
    ("What is Qingdao's GDP growth rate?", {QD_GROWTH}, {JN_GROWTH, QD_GDP}),
    (
        "how many companies in Pudong",
        {"pudong-ai-enterprises-2022", "aisland-enterprises-2023"},
        {"shanghai-ic-enterprises"},
    ),
    (
        "robot density in Shanghai",
        {"shanghai-robot-density", "shanghai-robot-density-vs-average"},
        {"shanghai-smart-factories"},
    ),
    ("how many smart factories does Shanghai have", {"shanghai-smart-factories"}, {"shanghai-robot-density"}),
    ("share of output in Shanghai", {"shanghai-strategic-emerging-share"}, {"shanghai-industrial-output"}),
    ("industrial output of Shanghai", {"shanghai-industrial-output"}, {NEW_INDUSTRIES}),
    ("output targets for 2025", {NEW_INDUSTRIES, METAVERSE_PARK, DATA_PARK_OUTPUT}, {DATA_PRODUCTS, DATA_COMPANIES}),
    ("investment targets in Lingang", {COMPUTING}, {DATA_PARK_OUTPUT}),
    ("how much investment is planned in Lingang by 2025", {COMPUTING}, {DATA_PARK_OUTPUT, DATA_COMPANIES}),
    ("computing power investment", {COMPUTING}, {DATA_PARK_OUTPUT}),
    ("how many parks in Pudong", {"pudong-characteristic-parks-count"}, {"pudong-characteristic-parks-area"}),
    ("how many pilot areas does Shanghai have", {"shanghai-future-industry-pilot-areas"}, {"shanghai-smart-factories"}),
    ("planned area in Pudong", {"pudong-characteristic-parks-area"}, {"aisland-area"}),
    ("area of the characteristic industrial parks", {"pudong-characteristic-parks-area"}, {"aisland-area"}),
    ("applications at AIsland", {"aisland-applications-2023"}, {"aisland-enterprises-2023", "aisland-area"}),
    ("Shandong's rank", {"shandong-province-rank"}, {QD_RANK, JN_RANK}),
    ("GDP ranking in Shandong", {QD_RANK, JN_RANK}, {"shandong-province-rank", QD_GDP}),
    # attribute questions answered by figures about the place itself
    ("how big is AIsland", {"aisland-area"}, {"aisland-enterprises-2023", "pudong-characteristic-parks-area"}),
    # periods
    ("targets due by 2020", {AI_2020}, {NEW_INDUSTRIES}),
    ("targets for 2025", {NEW_INDUSTRIES, COMPUTING}, {AI_2020}),
    ("targets 2020-2025", {AI_2020, NEW_INDUSTRIES}, set()),
    (
        "indicators since 2022",
        {"pudong-ai-enterprises-2022", "shanghai-robot-density"},
        {QD_GDP, "shandong-province-rank"},
    ),
    ("indicators before 2020", {QD_GDP, "shandong-province-rank"}, {"pudong-ai-enterprises-2022"}),
    ("Shanghai indicators in 2023", {"shanghai-smart-factories"}, {"pudong-ai-enterprises-2022", QD_GDP}),
    ("Pudong figures for 2022", {"pudong-ai-enterprises-2022", "pudong-characteristic-parks-count"}, {"aisland-area"}),
    # zones and kinds of zone
    ("parks in Pudong", {"aisland", "lujiazui-digital-land"}, {"zhangjiang", "pudong"}),
    ("parks in 临港", {"international-data-economy-park"}, {"aisland"}),
    ("areas in Pudong", {"zhangjiang", "lujiazui"}, {"aisland", "pudong-ai-pilot-zone"}),
    ("pilot zones in Shandong", {"jinan-qingdao-ai-pilot-zone"}, {"shenzhen-ai-pilot-zone"}),
    ("free trade zones in Shanghai", {"lingang"}, {"pudong"}),
    ("pilot areas in Minhang", {"neobay-future-industry-pilot-area"}, {"zhangjiang-future-industry-pilot-area"}),
    ("facilities in Lingang", {"lingang-computing-center"}, {"aisland-experience-center"}),
    # Chinese: place + kind + year
    ("浦东的园区", {"aisland", "pudong-metaverse-park"}, {"international-data-economy-park"}),
    ("张江的园区", {"aisland"}, {"lujiazui-digital-land"}),
    ("临港的目标", {DATA_COMPANIES, DATA_PARK_OUTPUT, COMPUTING}, {AI_2020, DATA_PRODUCTS}),
    ("临港 targets", {DATA_COMPANIES, COMPUTING}, {AI_2020, NEW_INDUSTRIES}),
    ("上海2025年目标", {NEW_INDUSTRIES, DATA_PRODUCTS}, {AI_2020}),
    ("青岛的GDP", {QD_GDP}, {JN_GDP, QD_GROWTH}),
    ("深圳的指标", {SZ_GDP, SZ_GROWTH}, {QD_GDP}),
    # sources
    ("sources", {"ai-pilot-zones-2019", "lingang-data-park-2023"}, set()),
    ("targets from lingang-data-park-2023", {DATA_COMPANIES, COMPUTING, DATA_PRODUCTS}, {AI_2020, NEW_INDUSTRIES}),
    ("according to ai-pilot-zones-2019, GDP of Qingdao", {QD_GDP}, {JN_GDP, QD_GROWTH}),
    # what a place promised, what was reported
    ("what did Shanghai promise for 2025", {NEW_INDUSTRIES, DATA_PRODUCTS, COMPUTING}, {AI_2020}),
    ("what has Lingang pledged", {DATA_COMPANIES, DATA_PARK_OUTPUT, COMPUTING}, {DATA_PRODUCTS, NEW_INDUSTRIES}),
    ("what are Shanghai's ambitions for 2025", {NEW_INDUSTRIES, METAVERSE_PARK}, {AI_2020}),
    ("indicators reported in 2023 for Lingang", {"ide-park-first-enterprises"}, {DATA_COMPANIES, "aisland-area"}),
    ("how many applications does AIsland host", {"aisland-applications-2023"}, {"aisland-enterprises-2023"}),
    # a place named with its own kind is that place; "the X area" is the place, not its area
    ("GDP of Jinan city", {JN_GDP}, {QD_GDP, JN_GROWTH}),
    ("GDP of the city of Qingdao", {QD_GDP}, {JN_GDP, QD_GROWTH}),
    ("zones in Shenzhen city", {"shenzhen-ai-pilot-zone"}, {"shenzhen", "jinan-qingdao-ai-pilot-zone"}),
    ("targets in Lingang FTZ", {DATA_COMPANIES, COMPUTING}, {AI_2020, METAVERSE_PARK}),
    ("targets in the Lingang area", {DATA_COMPANIES, DATA_PARK_OUTPUT, COMPUTING}, {AI_2020}),
    (
        "indicators in the Zhangjiang area",
        {"aisland-area", "aisland-enterprises-2023", "aisland-applications-2023"},
        {"pudong-ai-enterprises-2022"},
    ),
    ("parks in the Zhangjiang area", {"aisland"}, {"zhangjiang", "lujiazui-digital-land"}),
    ("浦东的先导区", {"pudong-ai-pilot-zone", "zhangjiang-future-industry-pilot-area"}, {"aisland", "zhangjiang"}),
    # counts: of records listed, or the count a source reports
    ("count targets in Lingang", {DATA_COMPANIES, DATA_PARK_OUTPUT, COMPUTING}, {AI_2020}),
    ("the number of parks in Pudong", {"pudong-characteristic-parks-count"}, {"aisland", "aisland-area"}),
    ("count parks in Pudong", {"pudong-characteristic-parks-count"}, {"pudong-characteristic-parks-area"}),
    ("浦东园区数量", {"pudong-characteristic-parks-count"}, {"aisland"}),
    ("how many data companies will Lingang have", {DATA_COMPANIES}, {"ide-park-first-enterprises", DATA_PRODUCTS}),
    ("how many companies does the Lingang data park aim for", {DATA_COMPANIES}, {"ide-park-first-enterprises"}),
    (
        "how many AI companies in Pudong",
        {"pudong-ai-enterprises-2022", "aisland-enterprises-2023"},
        {"pudong-characteristic-parks-enterprises", "shanghai-ic-enterprises"},
    ),
    ("浦东人工智能企业数量", {"pudong-ai-enterprises-2022"}, {"pudong-characteristic-parks-enterprises"}),
    ("深圳的GDP是多少", {SZ_GDP}, {SZ_GROWTH, QD_GDP}),
    ("growth rate of GDP in Qingdao", {QD_GROWTH}, {QD_GDP, JN_GROWTH}),
    ("Shanghai total industrial output", {"shanghai-industrial-output"}, {NEW_INDUSTRIES}),
    # amounts: ranges, exact amounts, "worth"
    ("targets from 10bn to 100bn", {COMPUTING, METAVERSE_PARK}, {AI_2020, DATA_PARK_OUTPUT, NEW_INDUSTRIES}),
    ("targets of exactly 100 billion yuan", {METAVERSE_PARK}, {AI_2020, DATA_PARK_OUTPUT, COMPUTING}),
    ("targets worth more than 1 trillion yuan", {NEW_INDUSTRIES}, {AI_2020, DATA_PARK_OUTPUT}),
    ("indicators with value over 100bn", {QD_GDP, "pudong-ai-industry-scale-2022"}, {JN_GROWTH, "aisland-area"}),
    ("growth between 7 and 7.45%", {QD_GROWTH, JN_GROWTH}, {SZ_GROWTH}),
    ("no fewer than 100 companies in 2023", {"aisland-enterprises-2023", "shanghai-ic-enterprises"}, {QD_GDP}),
    (
        "100家以上的企业指标",
        {"aisland-enterprises-2023", "pudong-characteristic-parks-enterprises"},
        {"ide-park-first-enterprises", DATA_COMPANIES},
    ),
    ("how big is the AI industry in Pudong", {"pudong-ai-industry-scale-2022"}, {"aisland-area"}),
    ("size of the AI industry in Pudong", {"pudong-ai-industry-scale-2022"}, {"aisland-area"}),
    ("size of AIsland", {"aisland-area"}, {"aisland-enterprises-2023"}),
    # written with full-width digits, curly quotes, Chinese periods
    ("２０２５年的目标", {NEW_INDUSTRIES, COMPUTING}, {AI_2020}),
    ("“AI” targets in ‘Shanghai’", {AI_2020, COMPUTING}, {NEW_INDUSTRIES}),
    ("2025年底前的目标", {AI_2020, NEW_INDUSTRIES}, set()),
    ("2020-2025年的目标", {AI_2020, NEW_INDUSTRIES}, set()),
    ("元宇宙产业规模目标", {METAVERSE_PARK}, {DATA_PARK_OUTPUT, AI_2020}),
    # amounts spelled out
    ("targets over a hundred billion yuan", {AI_2020, DATA_PARK_OUTPUT, NEW_INDUSTRIES}, {METAVERSE_PARK, COMPUTING}),
    ("more than a thousand companies", {"shanghai-ic-enterprises"}, {"pudong-ai-enterprises-2022"}),
    ("targets under fifty billion yuan", {COMPUTING}, {METAVERSE_PARK, DATA_COMPANIES}),
    ("density of robots in Shanghai", {"shanghai-robot-density"}, {"shanghai-smart-factories"}),
]


def _ids(result: Result) -> list[str]:
    return [r["id"] for r in json.loads(result.stdout)]


def _flags(stderr: str) -> list[str]:
    """The command line `ask` says it ran: 'policyq: understood: … — policyq targets --in …'."""
    line = next(line for line in stderr.splitlines() if "understood:" in line)
    return shlex.split(line.rsplit(" — ", 1)[1])[1:]


@pytest.mark.parametrize(("question", "must", "must_not"), ANSWERED, ids=[q for q, *_ in ANSWERED])
def test_question_is_answered_right(question: str, must: set[str], must_not: set[str]) -> None:
    result = run("ask", question, "--json")
    assert result.exit_code == 0, result
    found = set(_ids(result))
    assert must <= found, (question, must - found, result.stderr)
    assert not found & must_not, (question, found & must_not, result.stderr)
    same = run(*_flags(result.stderr), "--json")
    assert same.exit_code == 0 and same.stdout == result.stdout, (question, _flags(result.stderr))


def test_the_bank_is_large_and_covers_every_kind_of_record() -> None:
    assert len(ANSWERED) + len(SHOWN) + len(NOTHING) + len(REFUSED) >= 60
    assert len({q.casefold() for q, *_ in ANSWERED}) == len(ANSWERED)


# (question, record shown, the field that answers it, what it must say)
SHOWN: list[tuple[str, str, str, str]] = [
    ("when was AIsland launched", "aisland", "established", "2019"),
    ("When was the Pudong AI pilot zone established?", "pudong-ai-pilot-zone", "established", "2019-05"),
    (
        "who designated the Jinan-Qingdao pilot zone",
        "jinan-qingdao-ai-pilot-zone",
        "designations",
        "Ministry of Industry",
    ),
    ("who designated the Shenzhen pilot zone", "shenzhen-ai-pilot-zone", "designations", "Ministry of Industry"),
    ("sources for AIsland", "aisland", "sources", "pudong-ai-clusters-2023"),
    ("Pudong", "pudong", "name_zh", "浦东新区"),
    ("when did AIsland open", "aisland", "established", "2019"),
    ("in which year was AIsland launched", "aisland", "established", "2019"),
    ("张江人工智能岛什么时候成立", "aisland", "established", "2019"),
    ("国际数据经济产业园何时揭牌", "international-data-economy-park", "established", "2023"),
    ("张江人工智能岛的成立时间", "aisland", "established", "2019"),
    ("show me everything about the Shanghai Data Exchange", "shanghai-data-exchange", "name_zh", "上海数据交易所"),
]


@pytest.mark.parametrize(("question", "record", "field", "says"), SHOWN, ids=[q for q, *_ in SHOWN])
def test_question_about_one_place_shows_its_record(question: str, record: str, field: str, says: str) -> None:
    result = run("ask", question, "--json")
    assert result.exit_code == 0, result
    shown = json.loads(result.stdout)
    assert shown["record"]["id"] == record
    assert says in json.dumps(shown["record"][field], ensure_ascii=False)
    flags = _flags(result.stderr)
    assert flags[:2] == ["show", record]
    assert run(*flags, "--json").stdout == result.stdout


# Questions understood whose answer is that the store has nothing: exit 1, and stderr says so.
NOTHING: list[tuple[str, str]] = [
    ("GDP of Shandong", "no indicators matched"),  # Shandong's own GDP; its cities' GDP is not Shandong's
    ("how big is Pudong", "no indicators matched"),  # the parks' planned area is not Pudong's
    ("targets for 2030", "no targets matched"),
    ("when was Lingang established", "no date when Lingang New Area was established"),
    ("who designated AIsland", "does not record who designated AIsland"),
    # a place just before its figure names whose figure it is: its cities' GDP is not Shandong's
    ("Shandong GDP", "none about the place itself"),
    ("山东的GDP", "none about the place itself"),
    ("Guangdong GDP", "none about the place itself"),
    ("Shandong Province GDP", "none about the place itself"),
    ("area of Zhangjiang", "none about the place itself"),
]


@pytest.mark.parametrize(("question", "says"), NOTHING, ids=[q for q, _ in NOTHING])
def test_question_with_no_answer_in_the_store_exits_1(question: str, says: str) -> None:
    result = run("ask", question, "--json")
    assert result.exit_code == 1, result
    assert "understood:" in result.stderr and says in result.stderr
    assert result.stdout.strip() in ("", "[]")


# (question, a word of the reason it must give)
REFUSED: list[tuple[str, str]] = [
    ("hello world", "hello world"),
    ("", "empty question"),
    ("targets not in Shanghai", "cannot leave records out"),
    ("AI targets excluding Lingang", "cannot leave records out"),
    ("largest targets in Shanghai", "largest"),
    ("average GDP growth in Shandong", "average"),
    ("total investment in Shanghai", "total"),
    ("what is the population of Shenzhen", "population"),
    ("GDP this year", "this year"),
    ("targets over $10 billion", "US dollars"),
    ("parks with more than 100 enterprises", "zones have no figures"),
    ("parks established in 2019", "did not understand 'established'"),
    ("GDP of cities in Shandong", "zones have no figures"),
    ("how many companies in Lingang", "both targets (1) and indicators (1)"),
    ("how many free trade zones are in Shanghai", "counts the sources report"),
    ("targets for 2020 or 2025", "one period"),
    ("compare GDP and growth of Qingdao", "one metric"),
    ("targets for AI and metaverse", "one sector"),
    ("AI in Shanghai", "what to list"),
    ("sources for Lingang targets", "one kind of record"),
    ("sources about data", "sources alone"),
    ("parks in Zhangjiang in Pudong", "name one place"),
    ("parks in Atlantis", "no place 'atlantis'"),
    ("indicators for Qingdoa", "did you mean 'Qingdao'"),
    ("Shanghai targets set by the Ministry of Commerce", "ministry commerce"),
    ("robots per 10,000 people in Shanghai", "per"),
    # two years are not the years between them
    ("indicators for 2018 and 2023", "one year or one range"),
    # a figure without its unit, compared with records in several units
    ("area above 10000", "m2, km2"),
    ("indicators under 10", "no unit"),
    ("targets over 2020", "no unit"),
    ("density over 200", "per_10k_people, ratio"),
    ("share over 0.5", "a unit for a fraction"),
    ("how many AI parks are in Pudong", "how many"),
    ("2018年和2023年的指标", "one period"),
    ("GDP over 1000", "no scale"),
    ("除了浦东以外的园区", "cannot leave records out"),
    # a place named after "in" that holds the place whose own figure is asked for
    ("Qingdao's ranking in Shandong", "name one place"),
    ("AIsland's companies in Pudong", "name one place"),
    ("Pudong's parks in Shanghai", "name one place"),
    # where a place lies is in its record, not a listing of what lies in it
    ("Which area is AIsland in?", "asks where a place lies"),
    ("in which district is AIsland", "policyq show aisland"),
    ("where is Lingang", "asks where a place lies"),
    ("growth above -1%", "not an amount"),  # the flags take no negative amount either
    ("what sectors is Lingang active in", "did not understand 'active'"),
    ("Qingdao GDP, growth", "one metric"),  # a comma parts 'GDP' from 'growth': not 'GDP growth'
]


@pytest.mark.parametrize(("question", "reason"), REFUSED, ids=[q or "(empty)" for q, _ in REFUSED])
def test_question_not_understood_is_refused(question: str, reason: str) -> None:
    result = run("ask", question)
    assert result.exit_code == 2, result
    assert result.stdout == ""
    assert result.stderr.startswith("policyq: ") and result.stderr.count("\n") == 1, result.stderr
    assert reason in result.stderr, result.stderr


def test_a_refusal_says_what_was_understood_and_the_flags_to_try() -> None:
    err = run("ask", "AI frobnicate targets in Shanghai").stderr
    assert "did not understand 'frobnicate'" in err
    assert "understood: ai targets shanghai" in err
    assert "try: policyq targets --in shanghai --sector 'artificial intelligence'" in err


def test_explain_prints_the_interpretation_and_the_flags_only() -> None:
    result = run("ask", "targets over 100 billion yuan due by 2025", "--explain")
    assert result.exit_code == 0 and result.stdout == ""
    assert "understood: targets due by 2025 with value over 100bn CNY" in result.stderr
    assert result.stderr.rstrip().endswith("policyq targets --due-by 2025 --above 100bn --unit CNY")


def test_a_zone_spanning_several_places_says_it_includes_theirs() -> None:
    result = run("ask", "indicators for the Jinan-Qingdao pilot zone", "--json")
    assert "via Jinan-Qingdao AI Innovation and Application Pilot Zone: including Jinan and Qingdao" in result.stderr


def test_ask_through_the_api_answers_as_the_cli() -> None:
    import policyq

    q, answer = policyq.Store().ask("compare GDP of Qingdao, Jinan and Shenzhen")
    assert q.command == "indicators" and q.options["place"] == ["qingdao", "jinan", "shenzhen"]
    assert answer == run("ask", "compare GDP of Qingdao, Jinan and Shenzhen", "--json").json()
    assert q.flags == "policyq indicators --in qingdao --in jinan --in shenzhen --metric gdp --exact"


def _doc_rows(heading: str) -> list[tuple[str, str]]:
    """The rows of the table under ``heading`` in docs/ask.md: (question, second column)."""
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "docs" / "ask.md").read_text(encoding="utf-8")
    section = text.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    rows = [line.split(" | ") for line in section.splitlines() if line.startswith("| `")]
    return [(q.strip("| `"), rest.strip("| ")) for q, rest in rows]


@pytest.mark.parametrize(("question", "command"), _doc_rows("What it understands"))
def test_docs_questions_are_the_queries_they_say(question: str, command: str) -> None:
    result = run("ask", question, "--explain")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.rstrip().endswith(command.strip("`")), result.stderr


@pytest.mark.parametrize(("question", "why"), _doc_rows("What it refuses"))
def test_docs_refusals_are_refused(question: str, why: str) -> None:
    assert run("ask", question).exit_code == 2, why
