"""The question bank: questions as analysts ask them about the bundled store, each with the
records its answer must hold and those it must not, questions answered from one place's record,
questions understood but with nothing to show, and questions that must be refused.

Every answered question is also run as the command line `ask` reports on stderr: a question is
exactly the filters the flags build.
"""

from __future__ import annotations

import io
import json
import re
import shlex
from pathlib import Path

import pytest
from conftest import Result, examples, run
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from policyq.cli import app
from policyq.env import Environment

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
    ("robots per 10,000 people in Shanghai", {"shanghai-robot-density"}, {"shanghai-smart-factories"}),
    # a place named with the place it lies in is that place: "X in Y", "X of Y", "Y's X", "Y X"
    ("parks in Zhangjiang in Pudong", {"aisland"}, {"lujiazui-digital-land", "pudong-metaverse-park"}),
    ("Qingdao's ranking in Shandong", {QD_RANK}, {JN_RANK, "shandong-province-rank"}),
    ("AIsland's companies in Pudong", {"aisland-enterprises-2023"}, {"pudong-ai-enterprises-2022"}),
    ("Pudong's parks in Shanghai", {"aisland"}, {"international-data-economy-park"}),
    ("上海临港的目标", {DATA_COMPANIES, COMPUTING}, {AI_2020, DATA_PRODUCTS}),
    # question words, tense and verbs
    ("how many enterprises are already in the Lingang data park", {"ide-park-first-enterprises"}, {DATA_COMPANIES}),
    ("how many data companies should the Lingang data park house", {DATA_COMPANIES}, {"ide-park-first-enterprises"}),
    ("How much will Lingang invest in computing power by 2025?", {COMPUTING}, {DATA_PARK_OUTPUT}),
    ("how fast did Qingdao grow in 2018", {QD_GROWTH}, {QD_GDP, JN_GROWTH}),
    ("How fast did Shenzhen's GDP grow?", {SZ_GROWTH}, {SZ_GDP}),
    ("浦东有多少家人工智能企业", {"pudong-ai-enterprises-2022"}, {"shanghai-ic-enterprises"}),
    ("国际数据经济产业园目前有多少家企业", {"ide-park-first-enterprises"}, {DATA_COMPANIES}),
    # comparisons among named places, and figures in US dollars
    ("Which had the higher GDP in 2018, Jinan or Qingdao?", {JN_GDP, QD_GDP}, {SZ_GDP, QD_GROWTH}),
    ("济南和青岛哪个GDP更高", {JN_GDP, QD_GDP}, {SZ_GDP}),
    ("Qingdao's GDP in US dollars", {QD_GDP}, {JN_GDP}),
    # a zone's own figure, when it has none, is the figures of the places it spans
    ("Jinan-Qingdao pilot zone GDP", {QD_GDP, JN_GDP}, {SZ_GDP, QD_GROWTH}),
    # a clear single near miss of one name is read as that name
    ("indicators for Qingdoa", {QD_GDP, QD_GROWTH}, {JN_GDP}),
    ("what was shenzen's gdp in 2018", {SZ_GDP}, {QD_GDP, SZ_GROWTH}),
    # areas with their units
    ("面积超过5万平方米", {"aisland-area"}, {"pudong-characteristic-parks-area"}),
    ("area above 40 km2", {"pudong-characteristic-parks-area"}, {"aisland-area"}),
    # "from 2018" is the year 2018; "since 2018" the years after too
    ("indicators from 2018", {QD_GDP, JN_GDP}, {"pudong-ai-enterprises-2022"}),
    # verbs that say what a figure came to, where firms went, what a source says
    ("What did Jinan's GDP amount to in 2018?", {JN_GDP}, {JN_GROWTH, QD_GDP}),
    ("Qingdao's 2018 GDP stood at how much?", {QD_GDP}, {QD_GROWTH}),
    ("上海工业总产值维持在多少", {"shanghai-industrial-output"}, {NEW_INDUSTRIES}),
    ("How many businesses have moved into AI Island?", {"aisland-enterprises-2023"}, {"aisland-applications-2023"}),
    ("临港数据园区计划容纳多少家数据企业", {DATA_COMPANIES}, {"ide-park-first-enterprises"}),
    # growth said as a verb or a phrase
    ("By how much did Jinan's economy expand in 2018?", {JN_GROWTH}, {JN_GDP, QD_GROWTH}),
    ("What was Shenzhen's year-on-year GDP growth in 2018?", {SZ_GROWTH}, {SZ_GDP}),
    ("济南2018年GDP同比增幅", {JN_GROWTH}, {JN_GDP, QD_GROWTH}),
    ("青岛2018年的地区生产总值", {QD_GDP}, {QD_GROWTH}),
    ("What was the size of Shenzhen's economy in 2018?", {SZ_GDP}, {SZ_GROWTH}),
    # a figure per 10,000 people, in dollars, in a unit asked for
    ("How many industrial robots per ten thousand residents does Shanghai have?", {"shanghai-robot-density"}, set()),
    ("Shenzhen 2018 GDP converted to USD", {SZ_GDP}, {QD_GDP}),
    ("Jinan's 2018 GDP in US dollar terms", {JN_GDP}, {SZ_GDP}),
    (
        "The planned area of Pudong's characteristic parks, in square kilometres",
        {"pudong-characteristic-parks-area"},
        {"aisland-area"},
    ),
    # the source's own wording of a figure narrows, never widens
    ("How much is to be invested in Lingang's computing power supply system by 2025?", {COMPUTING}, {DATA_PARK_OUTPUT}),
    # comparisons: benchmarks, superlatives and 'rank … by' among the places named
    (
        "Is Shanghai's robot density more than twice the global average?",
        {"shanghai-robot-density-vs-average"},
        {"shanghai-robot-density"},
    ),
    ("上海机器人密度比国际平均水平高几倍", {"shanghai-robot-density-vs-average"}, {"shanghai-smart-factories"}),
    ("Of Jinan, Qingdao and Shenzhen, which grew fastest in 2018?", {JN_GROWTH, QD_GROWTH, SZ_GROWTH}, {QD_GDP}),
    ("Sort Qingdao and Jinan by 2018 GDP", {QD_GDP, JN_GDP}, {SZ_GDP, QD_GROWTH}),
    ("Did Jinan's economy grow as fast as Shenzhen's in 2018?", {JN_GROWTH, SZ_GROWTH}, {QD_GROWTH}),
    ("深圳和济南的GDP哪个大", {SZ_GDP, JN_GDP}, {QD_GDP}),
    ("Who grew faster in 2018, Jinan or Shenzhen?", {JN_GROWTH, SZ_GROWTH}, {QD_GROWTH}),
    # ranks said with their number, and the place a rank is within
    ("Is Jinan one of the top two cities in Shandong by GDP?", {JN_RANK}, {QD_RANK, "shandong-province-rank"}),
    ("山东是不是中国第三大省", {"shandong-province-rank"}, {QD_RANK}),
    ("What rank does Shandong hold among China's provinces?", {"shandong-province-rank"}, {QD_RANK}),
    # 'does X have', 'X有多少': X's own figures
    ("How many key AI businesses does Pudong have?", {"pudong-ai-enterprises-2022"}, {"aisland-enterprises-2023"}),
    ("浦东有几家重点人工智能企业", {"pudong-ai-enterprises-2022"}, {"aisland-enterprises-2023"}),
    # short names a zone goes by without its place's name; an ambiguous name with the place it lies in
    ("人工智能岛吸引了多少家企业", {"aisland-enterprises-2023"}, {"pudong-ai-enterprises-2022"}),
    ("张江人工智能岛有多少个创新应用场景", {"aisland-applications-2023"}, {"aisland-enterprises-2023"}),
    ("人工智能岛上落地了几个创新应用", {"aisland-applications-2023"}, {"aisland-enterprises-2023"}),
    ("浦东元宇宙特色产业园2025年规模目标", {METAVERSE_PARK}, {DATA_PARK_OUTPUT}),
    # typos of a metric word: two letters swapped
    ("Qingdao GPD growth", {QD_GROWTH}, {QD_GDP}),
    # the sources vouching for a figure are not what is asked; a place in parentheses is where it lies
    ("According to the documents, what was Jinan's GDP in 2018?", {JN_GDP}, {"ai-pilot-zones-2019", QD_GDP}),
    ("What does the article say about Shenzhen's growth?", {SZ_GROWTH}, {"ai-pilot-zones-2019", SZ_GDP}),
    ("据报道，济南2018年GDP增速是多少", {JN_GROWTH}, {JN_GDP}),
    ("Jinan (Shandong) GDP in 2018", {JN_GDP}, {QD_GDP}),
    # periods: as of a year (截至2023年, 年末, end-2018), before it (prior to), and after it (and beyond)
    ("截至2023年上海有多少家智能工厂", {"shanghai-smart-factories"}, {"shanghai-robot-density"}),
    ("2023年末上海智能工厂数量", {"shanghai-smart-factories"}, {"shanghai-robot-density"}),
    ("Qingdao's GDP at end-2018", {QD_GDP}, {QD_GROWTH}),
    ("到2025年末临港的目标", {DATA_COMPANIES, COMPUTING}, {AI_2020}),
    ("targets for 2025 and beyond", {NEW_INDUSTRIES, COMPUTING}, {AI_2020}),
    ("indicators prior to 2020", {QD_GDP, JN_GDP}, {"pudong-ai-enterprises-2022"}),
    # more ways of asking: how extensive, at launch, hope to, part of, stack up, 实现多少, 相比, 属于哪个区
    ("How extensive is AIsland?", {"aisland-area"}, {"aisland-enterprises-2023"}),
    ("How many data firms joined the Lingang data park at launch?", {"ide-park-first-enterprises"}, {DATA_COMPANIES}),
    (
        "How many data companies does the Lingang data park hope to attract by 2025?",
        {DATA_COMPANIES},
        {"ide-park-first-enterprises"},
    ),
    ("How does Jinan's growth stack up against Shenzhen's?", {JN_GROWTH, SZ_GROWTH}, {QD_GROWTH}),
    ("国际数据经济产业园预计2025年实现多少产值", {DATA_PARK_OUTPUT}, {DATA_COMPANIES}),
    ("济南与深圳的GDP相比哪个更大", {JN_GDP, SZ_GDP}, {QD_GDP}),
    (
        "浦东特色产业园区有多少家龙头企业入驻",
        {"pudong-characteristic-parks-enterprises"},
        {"pudong-characteristic-parks-count"},
    ),
    ("浦东重点人工智能企业有几家", {"pudong-ai-enterprises-2022"}, {"aisland-enterprises-2023"}),
    ("麻烦查一下青岛2018年的经济增长率", {QD_GROWTH}, {QD_GDP}),
    ("How much was Jinan's GDP in US$ in 2018?", {JN_GDP}, {QD_GDP}),
    ("Qingdao GDP 2018 USD", {QD_GDP}, {JN_GDP}),
    # several sectors that together are one figure's own wording
    (
        "Shanghai's 2025 output target for green, metaverse and smart terminal industries",
        {NEW_INDUSTRIES},
        {METAVERSE_PARK},
    ),
    ("上海绿色低碳、元宇宙和智能终端产业的产值目标", {NEW_INDUSTRIES}, {METAVERSE_PARK}),
    # a place, a sector, then a metric: the place's own figure when it has one
    ("Pudong AI enterprises", {"pudong-ai-enterprises-2022"}, {"aisland-enterprises-2023"}),
    ("浦东 AI companies", {"pudong-ai-enterprises-2022"}, {"aisland-enterprises-2023"}),
    ("Shanghai data companies target", {DATA_COMPANIES}, {DATA_PRODUCTS}),
    ("青岛、济南两市2018年GDP对比", {QD_GDP, JN_GDP}, {SZ_GDP}),
    ("深圳和青岛谁的经济规模更大", {SZ_GDP, QD_GDP}, {JN_GDP}),
    ("2018年深圳、青岛、济南GDP增速排序", {SZ_GROWTH, QD_GROWTH, JN_GROWTH}, {SZ_GDP}),
    ("济南的GDP增速有没有青岛快", {JN_GROWTH, QD_GROWTH}, {JN_GDP}),
    (
        "the count of future industry pilot areas in Shanghai",
        {"shanghai-future-industry-pilot-areas"},
        {"pudong-characteristic-parks-count"},
    ),
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
    assert len(ANSWERED) + len(SHOWN) + len(ATTRIBUTES) + len(NOTHING) + len(REFUSED) >= 60
    assert len({q.casefold() for q, *_ in ANSWERED}) == len(ANSWERED)


# (question, record shown, the field that answers it, what it must say)
SHOWN: list[tuple[str, str, str, str]] = [
    ("Pudong", "pudong", "name_zh", "浦东新区"),
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


# Questions about an attribute of a place: (question, the place, the field that answers it, what it says).
# The answer is the place's record with the fields that answer it, the same as the `show` command line
# the reading gives prints in those fields.
ATTRIBUTES: list[tuple[str, str, str, str]] = [
    ("when was AIsland launched", "aisland", "established", "2019"),
    ("When was the Pudong AI pilot zone established?", "pudong-ai-pilot-zone", "established", "2019-05"),
    ("When was Pudong chosen as the first AI pilot zone?", "pudong-ai-pilot-zone", "designations", "2019-05"),
    ("who designated the Jinan-Qingdao pilot zone", "jinan-qingdao-ai-pilot-zone", "designations", "Ministry of"),
    ("who designated the Shenzhen pilot zone", "shenzhen-ai-pilot-zone", "designations", "Ministry of Industry"),
    ("Who approved Shenzhen as an AI pilot zone?", "shenzhen-ai-pilot-zone", "designations", "Ministry of Industry"),
    ("深圳的先导区是谁批准的", "shenzhen-ai-pilot-zone", "designations", "Ministry of Industry"),
    ("when did AIsland open", "aisland", "established", "2019"),
    ("in which year was AIsland launched", "aisland", "established", "2019"),
    ("张江人工智能岛什么时候成立", "aisland", "established", "2019"),
    ("国际数据经济产业园何时揭牌", "international-data-economy-park", "established", "2023"),
    ("张江人工智能岛的成立时间", "aisland", "established", "2019"),
    (
        "Which body gave the Jinan-Qingdao pilot zone its status?",
        "jinan-qingdao-ai-pilot-zone",
        "designations",
        "Ministry of Industry",
    ),
    ("AIsland launch date", "aisland", "established", "2019"),
    (
        "date of establishment of the International Data Economy Industrial Park",
        "international-data-economy-park",
        "established",
        "2023",
    ),
    ("浦东什么时候成为首个人工智能应用先导区", "pudong-ai-pilot-zone", "designations", "2019-05"),
    ("人工智能岛哪一年启动", "aisland", "established", "2019"),
    ("张江人工智能岛的成立年份", "aisland", "established", "2019"),
    ("上海数据交易所什么时候成为国家级数据交易所", "shanghai-data-exchange", "designations", "2025"),
    ("What titles has AIsland received?", "aisland", "designations", "5G+AI"),
    ("What body approved the Jinan-Qingdao pilot zone?", "jinan-qingdao-ai-pilot-zone", "designations", "Ministry of"),
    ("深圳先导区的批准单位", "shenzhen-ai-pilot-zone", "designations", "Ministry of Industry"),
    ("当初是哪个部门批准济南和青岛成为先导区的", "jinan-qingdao-ai-pilot-zone", "designations", "Ministry of"),
    (
        "Who set up the Lingang future industry pilot area?",
        "lingang-future-industry-pilot-area",
        "designations",
        "Shanghai",
    ),
    (
        "When did the Shanghai Data Exchange become a national-level exchange?",
        "shanghai-data-exchange",
        "designations",
        "2025",
    ),
    (
        "When was Pudong selected as the first pilot zone for AI application?",
        "pudong-ai-pilot-zone",
        "designations",
        "2019-05",
    ),
]


@pytest.mark.parametrize(("question", "record", "field", "says"), ATTRIBUTES, ids=[q for q, *_ in ATTRIBUTES])
def test_question_about_an_attribute_answers_it(question: str, record: str, field: str, says: str) -> None:
    result = run("ask", question, "--json")
    assert result.exit_code == 0, result
    [answer] = json.loads(result.stdout)
    assert answer["id"] == record and field in answer
    assert says in json.dumps(answer[field], ensure_ascii=False)
    flags = _flags(result.stderr)
    assert flags[:2] == ["show", record]
    shown = run(*flags, "--json").json()["record"]
    assert {k: shown[k] for k in answer} == answer


@pytest.mark.parametrize(
    ("question", "sources"),
    [
        ("sources for AIsland", {"pudong-ai-clusters-2023"}),
        ("sources about Lingang", {"lingang-data-park-2023", "shanghai-high-end-industry-2023"}),
        ("关于临港的资料来源", {"lingang-data-park-2023", "shanghai-high-end-industry-2023"}),
        ("哪篇文章提到了张江人工智能岛", {"pudong-ai-clusters-2023"}),
        ("What documents talk about the Lingang data park?", {"lingang-data-park-2023"}),
        ("临港的数据来自哪些文件", {"lingang-data-park-2023", "shanghai-high-end-industry-2023"}),
    ],
)
def test_sources_of_a_place_are_the_sources(question: str, sources: set[str]) -> None:
    result = run("ask", question, "--json")
    assert result.exit_code == 0, result
    listed = result.json()
    assert {s["id"] for s in listed} == sources and all("title" in s for s in listed)
    flags = _flags(result.stderr)
    assert set(run(*flags, "--json").json()["record"]["sources"]) == sources


@pytest.mark.parametrize(
    ("question", "sources"),
    [
        ("source of Shenzhen's GDP", {"ai-pilot-zones-2019"}),
        ("where does the Qingdao GDP figure come from", {"ai-pilot-zones-2019"}),
        ("深圳GDP的来源", {"ai-pilot-zones-2019"}),
        ("sources for Lingang targets", {"lingang-data-park-2023"}),
        ("济南GDP数据出自哪里", {"ai-pilot-zones-2019"}),
    ],
)
def test_sources_of_facts_are_the_sources_those_facts_cite(question: str, sources: set[str]) -> None:
    result = run("ask", question, "--json")
    assert result.exit_code == 0, result
    assert {s["id"] for s in result.json()} == sources
    facts = run(*_flags(result.stderr), "--json").json()  # the facts, with the source each cites
    assert {f["source"] for f in facts} == sources


def test_designations_of_a_place_are_its_designations() -> None:
    result = run("ask", "What designation did AIsland receive?", "--json")
    assert result.exit_code == 0, result
    [answer] = result.json()
    assert answer["id"] == "aisland" and len(answer["designations"]) == 2
    assert run("ask", "张江人工智能岛的称号", "--json").json() == result.json()
    nothing = run("ask", "Shandong's designations")
    assert nothing.exit_code == 1 and "records no designation of Shandong" in nothing.stderr


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
    # places the gazetteer holds that no document covers, and an ambiguous name placed
    ("GDP of Suzhou, Anhui", "no indicators matched"),
    ("Taizhou, Zhejiang GDP in 2018", "no indicators matched"),
    ("广州2018年GDP", "no indicators matched"),
    # a multiple the store does not say: 'more than twice' is stated, 'three times' is not
    ("Is Shanghai's robot density more than three times the international average?", "no indicators matched"),
    ("Is Shandong the second-largest province?", "no indicators matched"),
    # a division's own count: its parts' figures are not its total
    ("中国有多少家人工智能企业", "none about the place itself"),
    ("How many AI companies did Pudong have in 2023?", "none about the place itself"),
]


@pytest.mark.full_store
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
    # a number asked of a place with nothing said of what: never the place's record instead
    ("how many does Lingang have", "what to count or measure"),
    ("how much is the data park worth", "'how much' does not fit"),
    ("临港有多少", "what to count or measure"),
    ("浦东新区有几个？", "what to count or measure"),
    ("parks with more than 100 enterprises", "zones have no figures"),
    ("parks established in 2019", "did not understand 'established'"),
    ("GDP of cities in Shandong", "zones have no figures"),
    ("how many companies in Lingang", "both targets (1) and indicators (1)"),
    ("how many free trade zones are in Shanghai", "counts the sources report"),
    ("targets for 2020 or 2025", "one period"),
    ("compare GDP and growth of Qingdao", "one metric"),
    ("targets for AI and metaverse", "one sector"),
    ("AI in Shanghai", "what to list"),
    ("sources about data", "sources alone"),
    ("parks in Atlantis", "no place 'atlantis'"),
    ("Shanghai targets set by the Ministry of Commerce", "ministry commerce"),
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
    ("growth above -1%", "not an amount"),  # the flags take no negative amount either
    ("what sectors is Lingang active in", "did not understand 'active'"),
    ("Qingdao GDP, growth", "one metric"),  # a comma parts 'GDP' from 'growth': not 'GDP growth'
    ("Has Shanghai reached its AI target?", "policyq progress --in shanghai"),  # whether, not what
    ("上海实现了人工智能目标吗", "whether a target was met"),
    # words that rank, sum or date are never read as a source's wording
    ("Which city grew fastest in 2018?", "fastest"),
    ("What is Jinan's GDP per capita?", "per capita"),
    ("How much did Qingdao's GDP fall in 2018?", "fall"),
    ("What is the total investment planned for Lingang?", "total"),
    ("青岛的房价", "房 价"),
    ("How many listed companies does Shanghai have?", "listed"),  # listed on an exchange: not held
    ("How many foreign companies are in Pudong?", "foreign"),
    # a source's words for another kind of figure do not narrow this one: 'emerging' is a share's
    ("emerging industries output in Shanghai", "emerging"),
    ("What is Suzhou's GDP?", "names several places"),
    ("parks in Taizhou", "names several places"),
    ("the pilot zone's approval date", "several"),
]


@pytest.mark.full_store
@pytest.mark.parametrize(("question", "reason"), REFUSED, ids=[q or "(empty)" for q, _ in REFUSED])
def test_question_not_understood_is_refused(question: str, reason: str) -> None:
    result = run("ask", question)
    assert result.exit_code == 2, result
    assert result.stdout == ""
    assert result.stderr.startswith("policyq: ") and result.stderr.count("\n") == 1, result.stderr
    assert reason in result.stderr, result.stderr
    for hint in re.findall(r"(?:try: |e\.g\. |: )policyq ([^;—\n]+)", result.stderr):  # a hint finds something
        assert run(*shlex.split(hint)).exit_code == 0, (question, hint)


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

    answer = policyq.Store().ask("compare GDP of Qingdao, Jinan and Shenzhen")
    assert answer.command == "indicators" and answer.options["place"] == ["qingdao", "jinan", "shenzhen"]
    assert answer.records == run("ask", "compare GDP of Qingdao, Jinan and Shenzhen", "--json").json()
    assert answer.flags == "policyq indicators --in qingdao --in jinan --in shenzhen --metric gdp --exact --sort -value"
    assert [r["subject"] for r in answer.records] == ["shenzhen", "qingdao", "jinan"]  # compared: highest first


@pytest.mark.parametrize(
    ("question", "zone", "parent"),
    [
        ("Which area is AIsland in?", "aisland", "zhangjiang"),
        ("in which district is AIsland", "aisland", "zhangjiang"),
        ("where is Lingang", "lingang", "shanghai"),
        ("Where is the Lingang data park located?", "international-data-economy-park", "lingang"),
        ("国际数据经济产业园位于哪里", "international-data-economy-park", "lingang"),
        ("张江人工智能岛在哪里", "aisland", "zhangjiang"),
        ("国际数据经济产业园在哪个区", "international-data-economy-park", "lingang"),
        ("张江人工智能岛属于哪个区", "aisland", "zhangjiang"),
        ("Which area is the Lingang data park part of?", "international-data-economy-park", "lingang"),
    ],
)
def test_where_a_place_lies_is_answered_with_its_record_naming_its_parent(
    question: str, zone: str, parent: str
) -> None:
    result = run("ask", question, "--json")
    assert result.exit_code == 0, result.stderr
    assert [r["id"] for r in result.json()] == [zone] and result.json()[0]["parent"] == parent
    assert "the place it lies in" in result.stderr and f"policyq show {zone}" in result.stderr


def test_where_a_place_the_store_puts_nowhere_lies_finds_nothing() -> None:
    result = run("ask", "where is China", "--json")
    assert result.exit_code == 1 and "no place China lies in" in result.stderr, result.stderr


def _doc_rows(heading: str) -> list[tuple[str, str]]:
    """The rows of the table under ``heading`` in docs/ask.md: (question, second column)."""
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "docs" / "ask.md").read_text(encoding="utf-8")
    section = text.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    rows = [line.split(" | ") for line in section.splitlines() if line.startswith("| `")]
    return [(q.strip("| `"), rest.strip("| ")) for q, rest in rows]


@pytest.mark.full_store
@pytest.mark.parametrize(("question", "command"), _doc_rows("What it understands"))
def test_docs_questions_are_the_queries_they_say(question: str, command: str) -> None:
    result = run("ask", question, "--explain")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.rstrip().endswith(command.strip("`")), result.stderr


@pytest.mark.parametrize(("question", "why"), _doc_rows("What it refuses"))
def test_docs_refusals_are_refused(question: str, why: str) -> None:
    assert run("ask", question).exit_code == 2, why


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_reading_wraps_at_words_on_an_80_column_terminal_and_stays_one_line_when_piped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    question = "When was Pudong chosen as the first AI pilot zone?"
    err = _Terminal()
    env = Environment(stdout=io.StringIO(), stderr=err, isatty=True)
    result = CliRunner().invoke(app, ["ask", question], obj=env, prog_name="policyq")
    assert result.exit_code == 0
    lines = err.getvalue().splitlines()
    assert len(lines) > 1 and lines[0].startswith("policyq: ") and all(len(line) <= 80 for line in lines)
    assert all(line.startswith(" " * len("policyq: ")) for line in lines[1:])  # under the message, not the prefix
    said = " ".join(line.removeprefix("policyq: ").strip() for line in lines)
    piped = run("ask", question).stderr.strip().removeprefix("policyq: ")
    assert said == piped  # the same words, only wrapped


_WORDS = [
    "how", "many", "much", "fast", "big", "when", "who", "which", "what", "where", "is", "was", "did", "will",
    "already", "the", "of", "in", "'s", "vs", "or", "and", "higher", "faster", "than", "compare", "from", "since",
    "by", "GDP", "growth", "grow", "rank", "companies", "parks", "targets", "indicators", "sources", "area",
    "per", "10,000", "people", "robots", "density", "in US dollars", "launched", "designated", "approved", "first",
    "pilot zone", "AI", "data", "metaverse", "Qingdao", "Jinan", "Shandong", "Pudong", "Shanghai", "Lingang",
    "AIsland", "Jinan-Qingdao pilot zone", "Greater Bay Area", "Qingdoa", "Shan", "2018", "2025", "100bn",
    "over", "at least", "?", ",", "青岛", "济南", "浦东", "上海", "临港", "山东", "全国", "的", "在", "有多少家",
    "多少", "几个", "哪个", "更高", "比", "高", "企业", "园区", "先导区", "目标", "指标", "来源", "什么时候", "谁",
    "批准", "成立", "排名", "增速", "美元", "每万人", "机器人", "2018年", "以来", "目前", "计划",
]  # fmt: skip


@settings(max_examples=examples(60), deadline=None)
@given(words=st.lists(st.sampled_from(_WORDS), min_size=1, max_size=8))
def test_any_question_is_answered_or_refused_in_one_line(words: list[str]) -> None:
    result = run("ask", " ".join(words), "--json")
    assert result.exit_code in (0, 1, 2), result
    assert "Traceback" not in result.stderr
    if result.exit_code == 2:
        assert result.stderr.startswith("policyq: ") and result.stderr.count("\n") == 1, result.stderr
    else:
        assert "understood:" in result.stderr


def test_a_listing_says_what_it_lists() -> None:
    assert run("ask", "source of Shenzhen's GDP", "--format", "table").stdout.startswith("1 source\n")
    assert run("ask", "parks in Pudong", "--format", "table").stdout.startswith("5 parks\n")


def test_a_bad_output_option_is_refused_before_the_reading_is_said() -> None:
    result = run("ask", "zones", "--format", "zones")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "unknown format 'zones'" in result.stderr
    fields = run("ask", "parks in Pudong", "--fields", "id,value")
    assert fields.exit_code == 2 and fields.stderr.count("\n") == 1 and "unknown field 'value'" in fields.stderr


def test_a_store_written_since_it_was_asked_is_read_afresh(user_store: Path) -> None:
    """What ask builds from a store file (place index, short names, the figures' wording) is kept
    per file as it is; a file written since is read again, never answered from what it held."""
    store = ("--store", str(user_store))
    assert run("ask", "港湾试验中心在哪里", *store).exit_code == 2  # no such place yet
    assert run("ask", "futuristic applications at AIsland", "--json", *store).exit_code == 0
    zone = next(z for z in json.loads(user_store.read_text(encoding="utf-8"))["zones"].values() if z["id"] == "aisland")
    added = dict(zone, id="harbour-test-center", name="Harbour Test Center", name_zh="港湾试验中心", aliases=[])
    imported = run("import", "-", "--table", "zones", *store, input=json.dumps([added], ensure_ascii=False))
    assert imported.exit_code == 0, imported.stderr
    assert run("remove", "aisland-applications-2023", *store).exit_code == 0
    where = run("ask", "港湾试验中心在哪里", "--json", *store)
    assert where.exit_code == 0 and where.json()[0]["id"] == "harbour-test-center", where.stderr
    worded = run("ask", "futuristic applications at AIsland", "--json", *store)
    assert worded.exit_code == 2 and "futuristic" in worded.stderr, worded.stderr
    assert run("ask", "futuristic applications at AIsland", "--json").exit_code == 0  # the bundled store as it was
