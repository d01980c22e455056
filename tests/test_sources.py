"""Hold the bundled store to its five source documents.

Every figure below was read off the source documents themselves (the texts in
shared/sources/*.txt, checked against an independent reading of them), not off the store.
Each document gets one list of the figures it states, and one test that looks every figure
up in the store through the real CLI -- by subject + value + unit, never by record id -- and
checks the rest: table (target or indicator), wording of the metric, comparator, year,
deadline/as_of where the text pins it, USD where the text prints one (and none where it
does not), and the source cited. A final test checks that the store holds exactly these
figures per source: nothing missing, nothing extra.

Conventions (the store's): values in base units (1.5e12 for "1.5 trillion yuan", 7.4 for
7.4%); comparators ">" over/exceed/surpass/more than, "=" reach/a total of/plain statement,
"~" about/estimated/maintained at, "<=" e.g. "top two" as rank <= 2.

Borderline wording, and how it is treated here:
- "one core, three parks, two ports" (D0): a layout slogan for a cluster whose parts are not
  named and which has no date; not a figure. Checked instead as the cluster zone's alias.
- "TOP30 list for the 2023 SAIL Awards" (D0): the name of an award list; the number of Pudong
  firms on it is not given ("Numerous"). Not a figure.
- "the nation's inaugural ...", "one of Shanghai's earliest ...", "the most densely populated
  ..." (D0), "the first pilot zone" (D1), "national-level data exchange" (D3): designations
  and superlatives, not figures.
- "Three goals are specified" (D1) and "three leading industries -- IC, biomedicine, and AI"
  (D4): enumerations of goals/sectors that the text names right away; not figures.
- "three pilot areas for future industries" (D4): a count of designated policy zones, stated
  as something Shanghai "set up"; counted as a figure (pilot areas, = 3).
- "top two cities in terms of GDP in Shandong" (D1): rank <= 2 for each of Qingdao and Jinan.
  "the third-largest province of China": Shandong, rank = 3 (the basis is not stated).
- "78,900 square yards" (D0): the same area as 66,000 m2 converted; not a separate figure.
- Dates and plan periods (AIsland's launch in 2019, the 2019 Commission, the 14th five-year
  plan 2021-2025, the 2023-2025 digital blueprint, "In 2022, Shanghai proposed", May 11):
  not figures.
- "The city plans to expand its industry scale to over CNY 100 billion ... by 2020" (D1):
  "the city" is Shanghai (Pudong New Area is "the area"/"the district" in these texts, and
  the paragraph names "Shanghai's Pudong New Area").
- "in this region" (D3, the 10 billion yuan investment): the Lingang New Area, the subject of
  the preceding paragraph.
- D3's "collective output surpassing 100 billion yuan" and "an estimated 5,000 data
  products": due "by 2025", carried from the preceding sentences ("Furthermore", "By that time").
- Shenzhen's "recorded CNY 2400 billion ..., rising 7.5% year-on-year" (D1): GDP of 2018, the
  metric and year carried from the preceding sentence about Qingdao and Jinan.
- Where the text gives no period, the year is the statement's: "Qingdao and Jinan, are the top
  two cities in terms of GDP in Shandong, the third-largest province of China" (D1) is one
  present-tense sentence of a 2019 article, so all three ranks are of 2019, not of the 2018 GDP
  figures that follow. D4's four trillion RMB output and 43 percent share were said "at a press
  briefing on May 11" (2023-05-11); D4's other present-tense figures are as of the article,
  2023-05-15 (Tang's "We have built ..." is not said to be from the briefing); D0's present-tense
  AIsland figures as of the article, 2023; D2's "Currently", 2022. D3's 25 resident enterprises
  are not checked for a year (the article is undated).
- Each figure's quote below is the part of the sentence an independent reader picked out; the
  store's own quote (held verbatim to the document by test_quotes.py) must contain it, so that
  the store quotes the sentence that states that very figure. '…' marks a cut.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pytest
from conftest import BUNDLED, records, run

STORE = ("--store", str(BUNDLED))


def cli_records(*args: str) -> list[dict[str, Any]]:
    return records(*args, *STORE)


def show(name: str) -> dict[str, Any] | None:
    """`policyq show NAME --json`, or None when no such record."""
    result = run("show", name, *STORE, "--json")
    if result.exit_code != 0:
        return None
    return result.json()


def record_of(name: str) -> dict[str, Any]:
    """The record `policyq show NAME` finds; the test fails when there is none."""
    found = show(name)
    assert found is not None, f"no record named {name!r}"
    record: dict[str, Any] = found["record"]
    return record


# --------------------------------------------------------------------------------------------
# The source documents: title as printed, publication date as precise as printed.


@dataclass(frozen=True)
class Doc:
    file: str
    title: str
    published: str
    dated_by_note: bool  # undated in print: a year, and a note that explains the dating


D0 = Doc(
    "000_0c36600bfc12d0ef.txt",
    "Pudong accelerates development of world-class AI industry clusters",
    "2023-07-06",  # "english.pudong.gov.cn Updated: 2023-07-06"
    False,
)
D1 = Doc(
    "001_1e2816ae637b85a7.txt",
    "Jinan-Qingdao and Shenzhen to Build AI Application Pilot Zone after Shanghai",
    "2019",  # undated; "This May", the "2019 Central Comprehensively Deepening Reforms Commission", 2018 data
    True,
)
D2 = Doc(
    "002_f596432adccf441b.txt",
    "Pudong steps up efforts to build modern industrial system",
    "2022-08-01",  # "english.pudong.gov.cn Updated:2022-08-01"
    False,
)
D3 = Doc(
    "003_579c5409bf13deec.txt",
    "Shanghai Unveils Data-Centric Industrial Park in Lingang's Free-Trade Zone",
    "2023",  # undated; header widget "Saturday, December 9, 2023", blueprint for 2023-2025 "unveiled recently"
    True,
)
D4 = Doc(
    "004_1231e3a42a0b2f10.txt",
    "Shanghai Sets Trends in High-end Industrial Development",
    "2023-05-15",  # "Source: Science and Technology Daily | 2023-05-15 09:24:32"
    False,
)
DOCS = (D0, D1, D2, D3, D4)


def _norm_title(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'").strip().casefold()


def source_of(doc: Doc) -> dict[str, Any]:
    """The store's source record for DOC, found by its printed title."""
    found = [s for s in cli_records("sources") if _norm_title(s["title"]) == _norm_title(doc.title)]
    assert len(found) == 1, f"{doc.file}: expected one source titled {doc.title!r}, found {found}"
    return found[0]


# --------------------------------------------------------------------------------------------
# The figures each document states.


@dataclass(frozen=True)
class Fig:
    table: str  # "targets" (a goal to reach) or "indicators" (a reported figure)
    subject: str  # zone id
    metric: str  # the package's controlled metric name (policyq.model.METRICS) for the wording
    words: tuple[str, ...]  # each item must occur (any '|' alternative) in metric/label/note/sectors
    value: float  # base units
    unit: str
    comparator: str
    year: int | None = None  # None: the text does not pin it
    deadline: str | None = None  # targets only
    as_of: str | None = None  # indicators, only where the text pins the date
    usd: float | None = None  # as printed; None: no USD figure printed, so the store must have none
    quote: str = ""


def T(
    subject: str,
    metric: str,
    words: tuple[str, ...],
    value: float,
    unit: str,
    comparator: str,
    deadline: str,
    usd: float | None = None,
    quote: str = "",
) -> Fig:
    """A target: the deadline as the text gives it, and its year."""
    return Fig(
        "targets", subject, metric, words, value, unit, comparator, int(deadline[:4]), deadline, None, usd, quote
    )


def I(  # noqa: E743
    subject: str,
    metric: str,
    words: tuple[str, ...],
    value: float,
    unit: str,
    comparator: str,
    year: int | None,
    as_of: str | None = None,
    usd: float | None = None,
    quote: str = "",
) -> Fig:
    """An indicator: a figure reported as fact, of the year the text pins (None: not pinned)."""
    return Fig("indicators", subject, metric, words, value, unit, comparator, year, None, as_of, usd, quote)


D0_FIGURES = (
    I(
        "pudong",
        "enterprise_count",
        ("enterprise|business",),
        600,
        "count",
        ">",
        2022,
        as_of="2022-12-31",
        quote="As of 2022's end, Pudong was home to over 600 key AI businesses",
    ),
    I(
        "pudong",
        "industry_scale",
        ("scale",),
        120e9,
        "CNY",
        ">",
        2022,
        as_of="2022-12-31",
        usd=16.58e9,
        quote="the scale of associated industries surpassed 120 billion ($16.58 billion)",
    ),
    I(
        "aisland",
        "enterprise_count",
        ("enterprise",),
        100,
        "count",
        ">",
        2023,
        quote="AIsland … has attracted over 100 enterprises since its launch in 2019",
    ),
    I(
        "aisland",
        "area",
        ("area",),
        66000,
        "m2",
        "=",
        2023,
        quote="Spanning 66,000 square meters (78,900 square yards)",
    ),
    I(
        "aisland",
        "application_count",
        ("application",),
        30,
        "count",
        ">",
        2023,
        quote="AIsland hosts more than 30 futuristic innovative applications",
    ),
)

D1_FIGURES = (
    T(
        "shanghai",
        "industry_scale",
        ("scale",),
        100e9,
        "CNY",
        ">",
        "2020",
        usd=14.5e9,
        quote="The city plans to expand its industry scale to over CNY 100 billion (USD 14.5 billion) by 2020.",
    ),
    I(
        "qingdao",
        "gdp_rank_in_province",
        ("gdp", "rank"),
        2,
        "rank",
        "<=",
        2019,
        as_of="2019",
        quote="Qingdao and Jinan, are the top two cities in terms of GDP in Shandong",
    ),
    I(
        "jinan",
        "gdp_rank_in_province",
        ("gdp", "rank"),
        2,
        "rank",
        "<=",
        2019,
        as_of="2019",
        quote="Qingdao and Jinan, are the top two cities in terms of GDP in Shandong",
    ),
    I(
        "shandong",
        "province_rank",
        ("rank|largest",),
        3,
        "rank",
        "=",
        2019,
        as_of="2019",
        quote="Shandong, the third-largest province of China",
    ),
    I(
        "qingdao",
        "gdp",
        ("gdp",),
        1200.15e9,
        "CNY",
        "=",
        2018,
        usd=169.48e9,
        quote="In 2018, the nominal GDP of Qingdao … is CNY 1,200.15 billion (USD 169.48 billion)",
    ),
    I(
        "qingdao",
        "gdp_growth",
        ("growth",),
        7.4,
        "percent",
        "=",
        2018,
        quote="and the growth rate of 7.4%",
    ),
    I(
        "jinan",
        "gdp",
        ("gdp",),
        785.66e9,
        "CNY",
        "=",
        2018,
        usd=110.95e9,
        quote="Jinan reached GDP of CNY 785.66 billion (USD 110.95 billion)",
    ),
    I(
        "jinan",
        "gdp_growth",
        ("growth",),
        7.4,
        "percent",
        "=",
        2018,
        quote="with a growth rate 7.4%",
    ),
    I(
        "shenzhen",
        "gdp",
        ("gdp",),
        2400e9,
        "CNY",
        "=",
        2018,
        usd=338.92e9,
        quote="China's technology hub Shenzhen recorded CNY 2400 billion (USD 338.92 billion)",
    ),
    I(
        "shenzhen",
        "gdp_growth",
        ("growth",),
        7.5,
        "percent",
        "=",
        2018,
        quote="rising 7.5% year-on-year",
    ),
)

D2_FIGURES = (
    T(
        "shanghai",
        "output_value",
        ("output",),
        1.5e12,
        "CNY",
        ">",
        "2025",
        usd=222.11e9,
        quote="East China's Shanghai released an action plan … with a planned total output value to exceed "
        "1.5 trillion yuan ($222.11 billion) in 2025",
    ),
    T(
        "pudong-metaverse-park",
        "industry_scale",
        ("scale", "metaverse"),
        100e9,
        "CNY",
        "=",
        "2025-12-31",
        usd=14.83e9,
        quote="The industry scale related to the metaverse in the park is expected to reach 100 billion yuan "
        "($14.83 billion) by the end of 2025",
    ),
    I(
        "pudong",
        "park_count",
        ("park",),
        15,
        "count",
        "=",
        2022,
        quote="Currently, the area has built a total of 15 municipal-level characteristic industrial parks",
    ),
    I(
        "pudong-characteristic-parks",
        "planned_area",
        ("planned",),
        43,
        "km2",
        "=",
        2022,
        quote="with a planned area of 43 square kilometers",
    ),
    I(
        "pudong-characteristic-parks",
        "enterprise_count",
        ("enterprise",),
        170,
        "count",
        ">",
        2022,
        quote="more than 170 leading enterprises have settled in the parks",
    ),
)

D3_FIGURES = (
    T(
        "international-data-economy-park",
        "enterprise_count",
        ("enterprise|compan|corporation",),
        100,
        "count",
        ">",
        "2025",
        quote="by 2025, it aspires to metamorphose into a global industry nexus, housing over 100 premier "
        "data corporations",
    ),
    T(
        "international-data-economy-park",
        "output_value",
        ("output",),
        100e9,
        "CNY",
        ">",
        "2025",
        usd=13.6e9,
        quote="Furthermore, it seeks to achieve a collective output surpassing 100 billion yuan (US$13.6 billion)",
    ),
    T(
        "shanghai-data-exchange",
        "data_products",
        ("data product|data_product",),
        5000,
        "count",
        "~",
        "2025",
        quote="By that time, an estimated 5,000 data products are anticipated to grace the platform",
    ),
    T(
        "lingang",
        "investment",
        ("invest",),
        10e9,
        "CNY",
        "=",
        "2025",
        quote="A behemoth investment of 10 billion yuan is earmarked for establishing a "
        "“multi-computing power supply system” in this region by 2025",
    ),
    I(
        "international-data-economy-park",
        "enterprise_count",
        ("enterprise",),
        25,
        "count",
        "=",
        None,
        quote="The inaugural group of 25 data-centric enterprises has already taken up residence within the park",
    ),
)

D4_FIGURES = (
    I(
        "shanghai",
        "industrial_output",
        ("industrial output|industrial_output",),
        4e12,
        "CNY",
        "~",
        2023,
        as_of="2023-05-11",
        quote="The total industrial output of Shanghai continued to be maintained at four trillion RMB",
    ),
    I(
        "shanghai",
        "output_share",
        ("share", "strategic emerging"),
        43,
        "percent",
        "=",
        2023,
        as_of="2023-05-11",
        quote="with that of strategic emerging industries accounting for 43 percent",
    ),
    I(
        "shanghai",
        "factory_count",
        ("factor",),
        100,
        "count",
        "=",
        2023,
        as_of="2023-05-15",
        quote="We have built a total of 100 smart factories.",
    ),
    I(
        "shanghai",
        "robot_density",
        ("robot", "densit"),
        260,
        "per_10k_people",
        "=",
        2023,
        as_of="2023-05-15",
        quote="The robot density in Shanghai is 260 robots per 10,000 people",
    ),
    I(
        "shanghai",
        "robot_density_ratio",
        ("robot",),
        2,
        "ratio",
        ">",
        2023,
        as_of="2023-05-15",
        quote="more than twice of the international average level",
    ),
    I(
        "shanghai",
        "enterprise_count",
        ("enterprise", "integrated circuit|ic "),
        1000,
        "count",
        ">",
        2023,
        as_of="2023-05-15",
        quote="The whole IC industrial chain … with more than 1,000 key enterprises located in the city.",
    ),
    I(
        "shanghai",
        "pilot_area_count",
        ("pilot area|pilot_area",),
        3,
        "count",
        "=",
        2023,
        as_of="2023-05-15",
        quote="set up three pilot areas for future industries in Zhangjiang, Lingang and the neoBay area",
    ),
)

FIGURES = {D0: D0_FIGURES, D1: D1_FIGURES, D2: D2_FIGURES, D3: D3_FIGURES, D4: D4_FIGURES}


def _text(rec: dict[str, Any]) -> str:
    parts = [rec.get("metric") or "", rec.get("metric_label") or "", rec.get("note") or "", *rec.get("sectors", [])]
    return " ".join(parts).replace("_", " ").casefold() + " "


def _squash(text: str | None) -> str:
    """Whitespace as single spaces (quotes are verbatim but for whitespace)."""
    return " ".join((text or "").split())


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9)


def check_figure(fig: Fig, source_id: str) -> list[str]:
    """What is wrong with FIG in the store (an empty list when it is there as stated)."""
    where = f"{fig.table} {fig.subject} {fig.value:g} {fig.unit} ({fig.quote!r})"
    listed = cli_records(fig.table, "--in", fig.subject)
    matches = [
        r for r in listed if r["subject"] == fig.subject and _close(r["value"], fig.value) and r["unit"] == fig.unit
    ]
    if not matches:
        other = "targets" if fig.table == "indicators" else "indicators"
        elsewhere = [
            r["id"]
            for r in cli_records(other, "--in", fig.subject)
            if r["subject"] == fig.subject and _close(r["value"], fig.value)
        ]
        below = [
            (r["id"], r["subject"])
            for r in listed
            if r["subject"] != fig.subject and _close(r["value"], fig.value) and r["unit"] == fig.unit
        ]
        return [
            f"MISSING {where}; same value filed as {other}: {elsewhere}; "
            f"same value on a place below {fig.subject}: {below}"
        ]
    if len(matches) > 1:
        narrowed = [r for r in matches if all(any(w in _text(r) for w in g.split("|")) for g in fig.words)]
        matches = narrowed or matches
    if len(matches) != 1:
        return [f"AMBIGUOUS {where}: {[r['id'] for r in matches]}"]
    rec = matches[0]
    problems = []

    def expect(field: str, want: Any, got: Any) -> None:
        if want != got:
            problems.append(f"{rec['id']}: {field} is {got!r}, the source says {want!r} -- {where}")

    expect("source", source_id, rec["source"])
    expect("comparator", fig.comparator, rec["comparator"])
    expect("metric", fig.metric, rec["metric"])
    for group in fig.words:
        if not any(w in _text(rec) for w in group.split("|")):
            problems.append(
                f"{rec['id']}: metric {rec['metric']!r} / {rec['metric_label']!r} does not name {group!r} -- {where}"
            )
    if fig.year is not None:
        expect("year", fig.year, rec["year"])
    if fig.table == "targets":
        expect("deadline", fig.deadline, rec["deadline"])
    elif fig.as_of is not None:
        expect("as_of", fig.as_of, rec["as_of"])
    if not _close(rec["usd"], fig.usd):
        expect("usd", fig.usd, rec["usd"])
    stored = _squash(rec.get("quote"))
    for piece in fig.quote.split("…"):
        if _squash(piece) not in stored:
            problems.append(f"{rec['id']}: quote {rec.get('quote')!r} lacks {_squash(piece)!r} -- {where}")
    return problems


def check_document(doc: Doc) -> None:
    source_id = source_of(doc)["id"]
    problems = [p for fig in FIGURES[doc] for p in check_figure(fig, source_id)]
    assert not problems, f"{doc.file} ({source_id}):\n" + "\n".join(problems)


def test_d0_pudong_ai_clusters_figures() -> None:
    check_document(D0)


def test_d1_ai_pilot_zones_figures() -> None:
    check_document(D1)


def test_d2_pudong_industrial_system_figures() -> None:
    check_document(D2)


def test_d3_lingang_data_park_figures() -> None:
    check_document(D3)


def test_d4_shanghai_high_end_industry_figures() -> None:
    check_document(D4)


# --------------------------------------------------------------------------------------------
# The source records.


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.file[:3])
def test_source_record(doc: Doc) -> None:
    src = source_of(doc)
    assert src["published"] == doc.published, (doc.file, src)
    if doc.dated_by_note:
        note = (src.get("note") or "").casefold()
        assert doc.published in note or "dated" in note or "undated" in note, (doc.file, src["note"])
        assert "date" in note, (doc.file, src["note"])


def test_source_bylines() -> None:
    assert source_of(D4)["authors"] == ["JIN Feng", "ZHONG Jianli"]
    assert "Science and Technology Daily" in (source_of(D4)["publisher"] or "")
    for doc in (D0, D2):
        assert "pudong.gov.cn" in (source_of(doc)["publisher"] or ""), doc.file
    for doc in (D1, D3):  # no outlet named in print
        assert source_of(doc)["publisher"] is None, doc.file


# --------------------------------------------------------------------------------------------
# The places each document names, with the parent chain the text gives.


@dataclass(frozen=True)
class Place:
    name: str  # as the document writes it (or a zone id where the document gives no name)
    id: str
    within: tuple[str, ...]  # ancestors that must be on its parent chain, nearest first
    parent: str | None = None  # exact parent, where the text pins it
    related: tuple[str, ...] = ()
    alias: str | None = None


PLACES = {
    D0: (
        Place("China", "china", ()),
        Place("Shanghai", "shanghai", ("china",)),  # "one of Shanghai's earliest specialized industrial parks"
        Place("Pudong", "pudong", ("shanghai", "china")),
        Place("Zhangjiang", "zhangjiang", ("pudong", "shanghai"), parent="pudong"),
        Place("AIsland at Zhangjiang", "aisland", ("zhangjiang", "pudong", "shanghai", "china"), parent="zhangjiang"),
        Place(
            "AIsland Experience Center",
            "aisland-experience-center",
            ("aisland", "zhangjiang", "pudong"),
            parent="aisland",
        ),
        # "Specialized industrial parks like Zhangjiang Online and Lujiazui Digital Land": parks of
        # Pudong ("the district"); the text never says where in Pudong, and never names Lujiazui as
        # a place, so the places their names point to are related places, not parents.
        Place(
            "Zhangjiang Online", "zhangjiang-online", ("pudong", "shanghai"), parent="pudong", related=("zhangjiang",)
        ),
        Place(
            "Lujiazui Digital Land",
            "lujiazui-digital-land",
            ("pudong", "shanghai"),
            parent="pudong",
            related=("lujiazui",),
        ),
        Place("Lujiazui", "lujiazui", ("pudong",)),  # named only within "Lujiazui Digital Land"
        Place(
            "pudong-data-cluster",
            "pudong-data-cluster",
            ("pudong",),
            parent="pudong",
            alias="one core, three parks, two ports",
        ),
    ),
    D1: (
        Place("China", "china", ()),  # "the third-largest province of China"
        Place("Shanghai", "shanghai", ("china",)),
        Place("Pudong New Area", "pudong", ("shanghai",), parent="shanghai"),
        Place("pudong-ai-pilot-zone", "pudong-ai-pilot-zone", ("pudong", "shanghai")),
        Place("Shandong Province", "shandong", ("china",), parent="china"),
        Place("Jinan", "jinan", ("shandong", "china"), parent="shandong"),
        Place("Qingdao", "qingdao", ("shandong", "china"), parent="shandong"),
        Place("Jinan-Qingdao", "jinan-qingdao-ai-pilot-zone", ("shandong", "china"), related=("jinan", "qingdao")),
        Place("Shenzhen", "shenzhen", ("china",)),
        Place("shenzhen-ai-pilot-zone", "shenzhen-ai-pilot-zone", ("shenzhen", "china"), parent="shenzhen"),
        Place("Guangdong-Hong Kong-Macao Greater Bay Area", "greater-bay-area", ("china",)),
        Place("Guangdong", "guangdong", ("china",)),  # named only within the Greater Bay Area's name
    ),
    D2: (
        Place("Shanghai", "shanghai", ("china",)),
        Place("Pudong New Area", "pudong", ("shanghai",), parent="shanghai"),
        Place(
            "municipal-level characteristic industrial parks",
            "pudong-characteristic-parks",
            ("pudong", "shanghai"),
            parent="pudong",
        ),
        Place("pudong-metaverse-park", "pudong-metaverse-park", ("pudong", "shanghai"), parent="pudong"),
    ),
    D3: (
        Place("China", "china", ()),  # "China's overarching ambitions"
        Place("Shanghai", "shanghai", ("china",)),
        Place("Lingang pilot free-trade zone", "lingang", ("shanghai", "china")),
        Place("Lingang New Area", "lingang", ("shanghai", "china")),
        Place(
            "International Data Economy Industrial Park",
            "international-data-economy-park",
            ("lingang", "shanghai"),
            parent="lingang",
        ),
        Place("Shanghai Data Exchange", "shanghai-data-exchange", ("shanghai",)),
        Place("lingang-computing-center", "lingang-computing-center", ("lingang", "shanghai"), parent="lingang"),
    ),
    D4: (
        Place("Shanghai", "shanghai", ("china",)),
        Place("Zhangjiang", "zhangjiang", ("shanghai",)),
        Place("Lingang", "lingang", ("shanghai",)),
        Place("Minhang", "minhang", ("shanghai", "china"), parent="shanghai"),
        Place("neoBay area", "neobay", ("minhang", "shanghai"), parent="minhang"),
        Place(
            "zhangjiang-future-industry-pilot-area",
            "zhangjiang-future-industry-pilot-area",
            ("zhangjiang", "shanghai"),
            parent="zhangjiang",
        ),
        Place(
            "lingang-future-industry-pilot-area",
            "lingang-future-industry-pilot-area",
            ("lingang", "shanghai"),
            parent="lingang",
        ),
        Place(
            "neobay-future-industry-pilot-area",
            "neobay-future-industry-pilot-area",
            ("neobay", "minhang", "shanghai"),
            parent="neobay",
        ),
        Place("shanghai-digital-transformation-center", "shanghai-digital-transformation-center", ("shanghai",)),
    ),
}


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.file[:3])
def test_places_named(doc: Doc) -> None:
    source_id = source_of(doc)["id"]
    problems = []
    for place in PLACES[doc]:
        shown = show(place.name)
        if shown is None or shown["table"] != "zones":
            problems.append(f"{place.name!r}: no such place")
            continue
        zone = shown["record"]
        if zone["id"] != place.id:
            problems.append(f"{place.name!r} resolves to {zone['id']!r}, expected {place.id!r}")
            continue
        chain = [a["id"] for a in shown["related"]["ancestors"]]
        if place.parent is not None and zone["parent"] != place.parent:
            problems.append(f"{place.id}: parent {zone['parent']!r}, expected {place.parent!r}")
        positions = [chain.index(a) if a in chain else -1 for a in place.within]
        if -1 in positions or positions != sorted(positions):
            problems.append(f"{place.id}: ancestors {chain}, expected {list(place.within)} in that order")
        for rel in place.related:
            if rel not in zone["related"]:
                problems.append(f"{place.id}: related {zone['related']}, missing {rel!r}")
        if place.alias is not None and place.alias not in zone["aliases"]:
            problems.append(f"{place.id}: aliases {zone['aliases']}, missing {place.alias!r}")
        if source_id not in zone["sources"]:
            problems.append(f"{place.id}: sources {zone['sources']} do not cite {source_id}")
    assert not problems, f"{doc.file}:\n" + "\n".join(problems)


def test_zones_cite_only_the_documents_that_name_them() -> None:
    # e.g. D4 names China only in its "Top News" sidebar; D0 never names Pudong's AI pilot zone.
    problems = []
    for doc in DOCS:
        source_id = source_of(doc)["id"]
        named = {p.id for p in PLACES[doc]}
        citing = {z["id"] for z in cli_records("zones", "--source", source_id)}
        if citing != named:
            problems.append(f"{doc.file}: cited by {sorted(citing - named)}, not by {sorted(named - citing)}")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------------------------
# What each document says a place was named, or is to be named: the designations. Descriptions
# ("Shanghai, a pioneering city of high-quality development", "the Lingang New Area as an
# epicenter for AI innovation", "Pudong, China's trailblazing zone for AI innovation and
# application", "Shenzhen is the technological powerhouse of ...", "Jinan and Qingdao are leading
# Shandong's New and Old Kinetic Energy Conversion") are not designations.


@dataclass(frozen=True)
class Named:
    zone: str
    title: str  # words the stored title must contain (case-insensitive)
    status: str  # granted, or planned where the text speaks of the future
    quote: str  # words of the document the stored quote must contain ('…' marks a cut)


DESIGNATIONS = {
    D0: (
        Named(
            "aisland", "5G+AI", "granted", 'the nation\'s inaugural "5G+AI" full-scene commercial demonstration park'
        ),
        Named("aisland", "earliest", "granted", "one of Shanghai's earliest specialized industrial parks"),
        Named("zhangjiang-online", "specialized", "granted", "Specialized industrial parks like Zhangjiang Online"),
        Named(
            "lujiazui-digital-land",
            "specialized",
            "granted",
            "Specialized industrial parks like … Lujiazui Digital Land",
        ),
    ),
    D1: (
        Named(
            "pudong-ai-pilot-zone",
            "pilot zone",
            "granted",
            "Shanghai's Pudong New Area was selected as the first pilot zone for AI application",
        ),
        Named(
            "jinan-qingdao-ai-pilot-zone",
            "pilot zone",
            "granted",
            "Jinan-Qingdao (in Shandong Province) and Shenzhen are approved by the Ministry of Industry and "
            "Information Technology to build the pilot zones",
        ),
        Named(
            "shenzhen-ai-pilot-zone",
            "pilot zone",
            "granted",
            "Jinan-Qingdao (in Shandong Province) and Shenzhen are approved by the Ministry of Industry and "
            "Information Technology to build the pilot zones",
        ),
    ),
    D2: (Named("pudong", "socialist modernization", "granted", "as a pioneer area for socialist modernization"),),
    D3: (
        Named("lingang", "free-trade zone", "granted", "in the Lingang pilot free-trade zone"),
        Named(
            "international-data-economy-park", "testing ground", "planned", "it is poised to be a testing ground"
        ),  # "is poised to be": not yet granted
        Named(
            "shanghai-data-exchange",
            "national-level",
            "planned",
            "Shanghai Data Exchange is set to evolve into a grander, “national-level data exchange” by 2025",
        ),
    ),
    D4: tuple(
        Named(zone, "future industries", "granted", "set up three pilot areas for future industries")
        for zone in (
            "zhangjiang-future-industry-pilot-area",
            "lingang-future-industry-pilot-area",
            "neobay-future-industry-pilot-area",
        )
    ),
}


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.file[:3])
def test_designations_are_those_the_document_states(doc: Doc) -> None:
    source_id = source_of(doc)["id"]
    stored = [(z["id"], d) for z in cli_records("zones") for d in z["designations"] if d["source"] == source_id]
    problems = []
    for want in DESIGNATIONS[doc]:
        found = [
            d
            for zid, d in stored
            if zid == want.zone
            and want.title.casefold() in d["title"].casefold()
            and all(_squash(p) in _squash(d.get("quote")) for p in want.quote.split("…"))
        ]
        if len(found) != 1:
            problems.append(f"{want.zone}: {len(found)} designations '{want.title}' quoting {want.quote!r}")
        elif found[0]["status"] != want.status:
            problems.append(f"{want.zone}: '{found[0]['title']}' is {found[0]['status']}, the text says {want.status}")
    if len(stored) != len(DESIGNATIONS[doc]):
        problems.append(f"store has {len(stored)}: {[(z, d['title']) for z, d in stored]}")
    assert not problems, f"{doc.file}:\n" + "\n".join(problems)


def test_place_details_stated_in_sources() -> None:
    assert record_of("AIsland")["established"] == "2019"  # "since its launch in 2019" (D0)
    assert record_of("pudong-metaverse-park")["status"] == "planned"  # "Pudong will build" (D2)
    assert record_of("pudong-data-cluster")["status"] == "under construction"  # "is building" (D0)
    # D4 names the future fields for Shanghai as a whole; energy storage technology, deep-sea
    # exploration and membranes are fields where "the city will also tackle key issues"
    shanghai = record_of("Shanghai")["sectors"]
    assert {"brain-computer interface", "6G", "energy storage technology", "high-end membrane materials"} <= set(
        shanghai
    )
    # D1: Jinan-Qingdao and Shenzhen "approved by the Ministry of Industry and Information Technology"
    for name in ("Jinan-Qingdao", "shenzhen-ai-pilot-zone"):
        bys = [d["by"] for d in record_of(name)["designations"]]
        assert "Ministry of Industry and Information Technology" in bys, (name, bys)
    # D3: the Shanghai Data Exchange "set to evolve into a ... 'national-level data exchange' by 2025"
    sde = record_of("Shanghai Data Exchange")["designations"]
    assert any(
        "national-level" in d["title"].casefold() and d["status"] == "planned" and d["date"] == "2025" for d in sde
    ), sde
    # D4: the three future-industry pilot areas were set up by Shanghai
    for pid in (
        "zhangjiang-future-industry-pilot-area",
        "lingang-future-industry-pilot-area",
        "neobay-future-industry-pilot-area",
    ):
        assert record_of(pid)["kind"] == "pilot_area", pid
        assert record_of(pid)["sectors"] == ["future industries"], pid
    pilot_areas = {z["id"] for z in cli_records("zones", "--kind", "pilot_area")}
    assert len(pilot_areas) == 3, pilot_areas  # "three pilot areas for future industries"


# --------------------------------------------------------------------------------------------
# Nothing else: the store holds exactly the figures listed above, and no sidebar content.


def test_counts_per_source_match_the_documents() -> None:
    problems = []
    for doc in DOCS:
        source_id = source_of(doc)["id"]
        for table in ("targets", "indicators"):
            want = [f for f in FIGURES[doc] if f.table == table]
            got = cli_records(table, "--source", source_id)
            if len(got) != len(want):
                problems.append(
                    f"{doc.file} {table}: store has {len(got)} "
                    f"({sorted((r['subject'], r['value'], r['unit']) for r in got)}), "
                    f"the document states {len(want)}"
                )
    totals = {t: len(cli_records(t)) for t in ("targets", "indicators")}
    listed = {t: sum(1 for figs in FIGURES.values() for f in figs if f.table == t) for t in totals}
    if totals != listed:
        problems.append(f"store totals {totals}, documents {listed}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "words",
    ["Nepal", "Sindhuli", "tunnel", "irrigation", "House Foreign Affairs", "bipartisan", "Biden", "ChatGPT", "Beijing"],
)
def test_sidebars_are_not_in_the_store(words: str) -> None:
    # D4's "Top News" sidebars (a tunnel in Nepal, a U.S. House bill) and D3's weather widget.
    # Beijing is in the store as a division of the code list, and only as that.
    result = run("search", words, *STORE, "--json")
    assert result.exit_code in (0, 1), result
    assert [hit for hit in result.json() if not _only_a_division(hit["id"])] == []


def _only_a_division(name: str) -> bool:
    """Whether ``name`` is a place of the gazetteer that no article speaks of: no source but the
    code list, and no facts."""
    shown = show(name)
    if shown is None or shown["table"] != "zones":
        return False
    related = shown["related"]
    return shown["record"]["sources"] == ["gb2260-divisions"] and not related["targets"] and not related["indicators"]


@pytest.mark.full_store
def test_sidebar_figures_are_not_in_the_store() -> None:
    # "A 13.3-km-long irrigation tunnel" (D4 sidebar); "3.9 C" (D3 weather widget).
    for table in ("targets", "indicators"):
        assert not [r for r in cli_records(table) if _close(r["value"], 13.3) or _close(r["value"], 3.9)]
    assert _only_a_division("Beijing")
    assert show("Nepal") is None
