"""The words people use, and what they mean to policyq.

- **Sectors** with their common names: ``--sector AI`` finds "artificial intelligence" and
  "general AI", ``--sector chips`` "integrated circuits" and "smart chips", ``--sector 人工智能``
  the same as ``AI``. A sector not in the vocabulary matches stored sectors word by word
  ("robot" finds "humanoid robotics").
- **Metrics** in everyday words: "companies" is the ``enterprises`` family, "growth rate" is
  ``growth``, "smart factories" is ``factory_count``.
- **Amounts** as people write them: ``100bn``, ``1.5 tn``, ``1e11``, ``100亿``, ``1,000``,
  ``CNY 100 billion``, ``7.4%``.

Kept free of heavy imports: shell completion reads it before anything else is loaded.
"""

from __future__ import annotations

import functools
import math
import re

from policyq.errors import UsageError


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds Chinese characters. (Not a regular expression: compiling a range
    of code points costs milliseconds at start-up.)"""
    return any("\u3400" <= c <= "\u9fff" for c in text)


def stem(word: str) -> str:
    """A word without its plural ending: 'companies' -> 'company', 'robots' -> 'robot'."""
    w = word.casefold()
    if len(w) <= 3 or w.endswith(("ss", "us", "is")):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "xes", "ches", "shes", "zes")):
        return w[:-2]
    if w.endswith("s"):
        return w[:-1]
    return w


def words(text: str) -> list[str]:
    """The Latin words of ``text``, lower case: 'Low-carbon, 5G' -> ['low', 'carbon', '5g']."""
    return re.findall(r"[a-z0-9]+", text.casefold().replace("'s", ""))


def phrase_key(text: str) -> str:
    """What two spellings of a phrase share: word stems, in order ('Smart Factories' -> 'smart factory')."""
    if has_cjk(text):
        return "".join(text.casefold().split())
    return " ".join(stem(w) for w in words(text))


# --- sectors ----------------------------------------------------------------------------------

# Canonical sector -> other names people use for it (English and Chinese). A stored sector
# belongs to a canonical sector when it contains the canonical name or one of these as words.
SECTORS: dict[str, tuple[str, ...]] = {
    "artificial intelligence": ("AI", "人工智能"),
    "integrated circuits": (
        "IC",
        "ICs",
        "chips",
        "chip",
        "semiconductors",
        "semiconductor",
        "集成电路",
        "芯片",
        "半导体",
    ),
    "metaverse": ("元宇宙",),
    "data": ("data economy", "data element", "data centric", "data-centric", "数据", "数据要素"),
    "digital economy": ("数字经济",),
    "computing power": ("computing", "compute", "computing capacity", "compute capacity", "算力"),
    "robotics": ("robots", "robot", "机器人"),
    "biomedicine": ("biomedical", "biopharma", "生物医药"),
    "medical": ("healthcare", "health care", "health", "医疗", "医疗健康"),
    "manufacturing": ("制造", "制造业"),
    "intelligent terminals": ("smart terminals", "terminals", "智能终端"),
    "green and low-carbon industries": ("green", "low carbon", "low-carbon", "绿色低碳"),
    "intelligent networked vehicles": (
        "connected cars",
        "connected vehicles",
        "smart cars",
        "ICV",
        "智能网联汽车",
    ),
    "online economy": ("在线经济",),
    "drones": ("drone", "UAV", "UAVs", "无人机"),
    "finance": ("financial", "fintech", "金融"),
    "transportation": ("transport", "rail transit", "交通"),
    "supply chain": ("供应链",),
    "quantum technology": ("quantum", "量子"),
    "6G": (),
    "5G": (),
    "brain-computer interface": ("BCI", "脑机接口"),
    "synthetic biology": ("合成生物",),
    "gene and cell therapy": ("gene therapy", "cell therapy", "细胞治疗", "基因治疗"),
    "biosafety": ("生物安全",),
    "extended reality": ("XR", "扩展现实"),
    "energy storage": ("储能",),
    "deep-sea exploration": ("deep sea", "深海"),
    "high-end membrane materials": ("membrane materials", "membranes", "膜材料"),
    "smart home": ("smart homes", "智能家居"),
    "information and communication": ("ICT", "telecommunications", "信息通信"),
    "digital transformation": ("数字化转型",),
    "digital content": ("digital creation", "数字内容"),
    "future industries": ("future industry", "未来产业"),
}


@functools.cache
def _sector_by_name() -> dict[str, str]:  # built on first use: module import stays cheap
    return {phrase_key(name): canonical for canonical, aliases in SECTORS.items() for name in (*aliases, canonical)}


def sector_name(text: str) -> str | None:
    """The canonical sector ``text`` names ('AI', '人工智能' -> 'artificial intelligence'), or None."""
    return _sector_by_name().get(phrase_key(text))


def _term_pattern(term: str) -> str:
    if has_cjk(term):
        return re.escape(term)
    parts = []
    for w in words(term):
        s = stem(w)
        # a short word must be the whole word ('ai' is not 'aisland'); a longer one may start a
        # longer word ('robot' finds 'robotics', 'transport' 'transportation')
        if len(s) <= 3:
            parts.append(rf"{re.escape(s)}s?\b")
        elif s.endswith("y"):  # 'factory' also finds 'factories'
            parts.append(rf"{re.escape(s[:-1])}(?:y|ie)\w*")
        else:
            parts.append(rf"{re.escape(s)}\w*")
    return r"\b" + r"[\s-]+".join(parts) if parts else r"(?!)"


def sector_pattern(text: str) -> re.Pattern[str]:
    """A pattern matching the stored sectors (case-folded) that ``text`` refers to."""
    canonical = sector_name(text)
    terms = (canonical, *SECTORS[canonical]) if canonical else (text,)
    return re.compile("|".join(dict.fromkeys(_term_pattern(t) for t in terms)))


# --- metrics ----------------------------------------------------------------------------------

# Everyday words -> what --metric accepts (a metric name or a family).
METRIC_WORDS: dict[str, str] = {
    "gdp": "gdp",
    "gross domestic product": "gdp",
    "国内生产总值": "gdp",
    "gdp growth": "gdp_growth",
    "gdp growth rate": "gdp_growth",
    "growth of gdp": "gdp_growth",
    "growth rate of gdp": "gdp_growth",
    "economic growth": "gdp_growth",
    "GDP增长": "gdp_growth",
    "GDP增速": "gdp_growth",
    "GDP增长率": "gdp_growth",
    "growth": "growth",
    "growth rate": "growth",
    "year-on-year growth": "growth",
    "增长": "growth",
    "增速": "growth",
    "增长率": "growth",
    "gdp rank": "gdp_rank_in_province",
    "gdp ranking": "gdp_rank_in_province",
    "rank": "rank",
    "ranking": "rank",
    "排名": "rank",
    "output": "output",
    "total output": "output",
    "revenue": "output",
    "产值": "output",
    "output value": "output_value",
    "total output value": "output_value",
    "share of output": "output_share",
    "industrial output": "industrial_output",
    "total industrial output": "industrial_output",
    "industry scale": "industry_scale",
    "industrial scale": "industry_scale",
    "scale": "industry_scale",
    "规模": "industry_scale",
    "enterprises": "enterprises",
    "companies": "enterprises",
    "firms": "enterprises",
    "businesses": "enterprises",
    "corporations": "enterprises",
    "number of companies": "enterprises",
    "number of enterprises": "enterprises",
    "企业": "enterprises",
    "公司": "enterprises",
    "investment": "investment",
    "invest": "investment",
    "投资": "investment",
    "area": "area",
    "size": "area",
    "land area": "area",
    "面积": "area",
    "planned area": "planned_area",
    "规划面积": "planned_area",
    "density": "density",
    "robot density": "density",
    "density of robots": "density",
    "机器人密度": "density",
    "share": "share",
    "proportion": "share",
    "占比": "share",
    "比重": "share",
    "smart factories": "factory_count",
    "factories": "factory_count",
    "智能工厂": "factory_count",
    "applications": "application_count",
    "data products": "data_products",
    "数据产品": "data_products",
    # verbs and question words that name a metric: "how fast did Qingdao grow", "how much will Lingang invest"
    "grow": "growth",
    "grew": "growth",
    "grown": "growth",
    "growing": "growth",
    "how fast": "growth",
    "economy grow": "gdp_growth",
    "economy grew": "gdp_growth",
    "经济增长": "gdp_growth",
    "经济增速": "gdp_growth",
    "GDP排名": "gdp_rank_in_province",
    "ranked": "rank",
    "investing": "investment",
    "invested": "investment",
    "invests": "investment",
    "投入": "investment",
    "collective output": "output",
    "工业总产值": "industrial_output",
    "工业产值": "industrial_output",
    "factory count": "factory_count",
    "应用": "application_count",
    "应用场景": "application_count",
    "创新应用场景": "application_count",
    "创新应用": "application_count",
    "场景": "application_count",
    "密度": "density",
    "square meters": "area",
    "square metres": "area",
    "square kilometers": "area",
    "square kilometres": "area",
    "sq m": "area",
    "sq km": "area",
    "平方米": "area",
    "平方公里": "area",
    "占地面积": "area",
    "economy": "gdp",
    "经济总量": "gdp",
    "share of strategic emerging industries": "output_share",
    "strategic emerging industries share": "output_share",
    "战略性新兴产业占比": "output_share",
    "战略性新兴产业比重": "output_share",
    "nominal gdp": "gdp",
    "排第几": "rank",
    "第几位": "rank",
    "第几名": "rank",
    "provincial rank": "province_rank",
    "rank among provinces": "province_rank",
    "international average": "robot_density_ratio",
    "国际平均水平": "robot_density_ratio",
    "占地": "area",
    "innovative applications": "application_count",
    "how quickly": "growth",
    "多快": "growth",
    "有多快": "growth",
    "how rapidly": "growth",
    "pace": "growth",
    "pace of growth": "growth",
    "bigger economy": "gdp",
    "larger economy": "gdp",
    "地区生产总值": "gdp",
    "生产总值": "gdp",
    "year-on-year": "growth",
    "yoy": "growth",
    "annual growth": "growth",
    "expand": "growth",
    "expanded": "growth",
    "expanding": "growth",
    "expansion": "growth",
    "同比": "growth",
    "同比增长": "growth",
    "同比增速": "growth",
    "增幅": "growth",
    "增长速度": "growth",
    "footprint": "area",
    "land": "area",
    "经济增长率": "gdp_growth",
    "economic output": "gdp",
    "economic size": "gdp",
    "economic scale": "gdp",
    "经济规模": "gdp",
    "industry size": "industry_scale",
    "产业规模": "industry_scale",
    "智慧工厂": "factory_count",
    "份额": "share",
    # rank words: '位列', '第几大'
    "位列": "rank",
    "位居": "rank",
    "名列": "rank",
    "排在": "rank",
    "排行": "rank",
    "排位": "rank",
    "第几大": "rank",
    "前列": "rank",
    "global average": "robot_density_ratio",
    "world average": "robot_density_ratio",
    "international average level": "robot_density_ratio",
    "国际平均": "robot_density_ratio",
    "全球平均水平": "robot_density_ratio",
    "世界平均水平": "robot_density_ratio",
}
# Kinds of zone whose number is reported as a count: "how many parks" is the park count.
COUNT_METRICS = {"park": "park_count", "park_group": "park_count", "pilot_area": "pilot_area_count"}


@functools.cache
def _metric_keys() -> tuple[dict[str, str], dict[tuple[str, ...], str]]:
    by_key = {phrase_key(k): v for k, v in METRIC_WORDS.items()}
    return by_key, {tuple(sorted(k.split())): v for k, v in by_key.items()}


def metric_word(text: str) -> str | None:
    """What --metric value an everyday phrase means, its words in any order ('companies' ->
    'enterprises', 'density robot' -> 'density'), or None."""
    key = phrase_key(text)
    by_key, by_set = _metric_keys()
    return by_key.get(key) or by_set.get(tuple(sorted(key.split())))


# --- amounts ----------------------------------------------------------------------------------

SCALES: dict[str, float] = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "t": 1e12,
    "tn": 1e12,
    "trillion": 1e12,
    "万": 1e4,
    "亿": 1e8,
    "万亿": 1e12,
}
# Scales large enough that only money is counted in them in this domain.
MONEY_SCALES = {"b", "bn", "billion", "t", "tn", "trillion", "亿", "万亿"}
CURRENCIES = {"yuan": "CNY", "cny": "CNY", "rmb": "CNY", "renminbi": "CNY", "元": "CNY", "¥": "CNY", "￥": "CNY"}
PERCENT = {"%": "percent", "percent": "percent", "per cent": "percent", "pct": "percent"}
DOLLARS = ("usd", "us$", "$", "dollars", "dollar", "美元")

_AMOUNT = (
    r"^\s*(?P<pre>cny|rmb|¥|￥|us\$|usd|\$)?\s*"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*"
    r"(?P<scale>万亿|万|亿|thousand|million|billion|trillion|mln|mn|bn|tn|k|m|b|t)?\s*"
    r"(?P<unit>yuan|cny|rmb|renminbi|元|%|percent|per cent|pct|usd|us dollars|dollars|美元)?\s*$"
)


class Amount:
    """A parsed amount: its value, the store unit it names (CNY, percent) if any, and whether
    it was written in billions or trillions (or 亿), as only money is. (A plain class:
    dataclasses would import ``inspect``, too slow for completion.)"""

    __slots__ = ("money_scale", "unit", "value")

    def __init__(self, value: float, unit: str | None, money_scale: bool = False) -> None:
        self.value, self.unit, self.money_scale = value, unit, money_scale

    def __repr__(self) -> str:
        return f"Amount({self.value!r}, {self.unit!r}, {self.money_scale!r})"


def parse_amount(text: str) -> Amount:
    """``'100bn'`` -> 1e11, ``'1.5 tn'`` -> 1.5e12, ``'100亿'`` -> 1e10, ``'7.4%'`` -> 7.4 percent.

    Amounts are in the record's own unit (yuan for money). US-dollar amounts are refused:
    the stored USD figures are only those the sources printed, so nothing can be compared in
    dollars.
    """
    m = re.match(_AMOUNT, text.casefold())
    if not m:
        raise UsageError(
            f"'{text}' is not an amount; write e.g. 100bn, 1.5tn, 1e11, 100亿, 1,000 or 7.4% (values in yuan for money)"
        )
    pre, unit_word = m.group("pre"), m.group("unit")
    if (pre or "") in DOLLARS or (unit_word or "") in (*DOLLARS, "us dollars"):
        raise UsageError(
            f"'{text}': amounts are compared in the record's own unit (yuan for money), not US dollars;"
            " write the yuan amount, e.g. 100bn"
        )
    scale = m.group("scale")
    value = float(m.group("num").replace(",", "")) * (SCALES[scale] if scale else 1)
    if not math.isfinite(value):  # 4,400 digits read as a float: infinity, which every figure is below
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise UsageError(f"'{shown}' is too large an amount to compare; write e.g. 1.5e22 or 100tn")
    unit = CURRENCIES.get(pre or "") or CURRENCIES.get(unit_word or "") or PERCENT.get(unit_word or "")
    return Amount(int(value) if value.is_integer() else value, unit, scale in MONEY_SCALES)


def human_amount(value: float) -> str:
    """An amount the way ``parse_amount`` reads it back: 1e11 -> '100bn', 1000 -> '1000'."""
    for size, suffix in ((1e12, "tn"), (1e9, "bn")):
        if abs(value) >= size:
            return f"{value / size:g}{suffix}"
    return f"{value:g}" if abs(value) < 1e6 else f"{value:.0f}"
