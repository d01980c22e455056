"""The words a question may use, and what each means: kinds of record and of zone, words with
no meaning of their own, comparators, scales, units, period words, attribute verbs."""

from __future__ import annotations

from collections.abc import Iterable

from policyq import vocab
from policyq.model import FAMILIES, METRICS

EXAMPLE = (
    "try e.g. 'parks in Pudong', '2025 output targets', 'indicators for Qingdao' or 'targets due by 2025 in Lingang'"
)
FACTS = ("targets", "indicators")

# --- the words ------------------------------------------------------------------------------

# Words that name what to list. "parks" lists parks and park groups, as the parks command does.
TABLES = {
    "targets": ("target", "goal", "objective", "plan", "planned", "commitment", "promise", "promised", "pledge",
                "pledged", "aim", "ambition", "目标", "规划目标"),
    "indicators": ("indicator", "figure", "statistic", "stats", "fact", "reported", "指标", "统计"),
    "sources": ("source", "document", "article", "来源", "文件"),
    "zones": ("zone", "place", "location", "地区", "区域"),
    "parks": ("park", "industrial park", "产业园", "园区", "产业园区"),
}  # fmt: skip
KINDS = {
    "free_trade_zone": (
        "free trade zone",
        "free-trade zone",
        "pilot free trade zone",
        "ftz",
        "自贸区",
        "自由贸易试验区",
    ),
    "pilot_zone": ("pilot zone",),
    "pilot_area": ("pilot area",),
    "pilot_zone+pilot_area": ("先导区",),  # the Chinese name of both
    "district": ("district", "区县"),
    "city": ("city", "城市"),
    "province": ("province", "省份"),
    "municipality": ("municipality", "直辖市"),
    "country": ("country", "国家"),
    "region": ("region",),
    "cluster": ("cluster", "产业集群", "集群"),
    "park_group": ("park group",),
    "platform": ("platform", "平台"),
    "facility": ("facility", "设施"),
}
# Words that carry no meaning of their own in a question.
# fmt: off
STOP = {
    "the", "a", "an", "all", "any", "of", "in", "for", "at", "on", "and", "or", "with", "within", "inside",
    "under", "what", "which", "is", "are", "was", "were", "be", "do", "does", "did", "have", "has", "had",
    "will", "there", "show", "me", "list", "give", "find", "get", "display", "tell", "see", "please", "can",
    "could", "you", "i", "we", "need", "want", "know", "its", "it", "their", "they", "this", "that", "these",
    "those", "set", "by", "due", "to", "as", "'s", "vs", "versus", "compare", "compared", "comparison",
    "between", "against", "industry", "industries", "sector", "sectors", "field", "fields", "related",
    "regarding", "concerning", "about", "from", "according", "everything", "information", "info", "details", "overview",
    "value", "values", "valued", "worth",
    "host", "hosts", "hosted", "house", "houses", "housed", "attract", "attracts", "attracted", "contain",
    "contains", "record", "recorded",
    "、", "的", "是多少", "为多少",
    "有", "有哪些", "哪些", "什么", "是", "在", "中", "里", "和", "与", "及", "吗", "呢", "了",
    "产业", "行业", "列出", "显示", "请", "所有", "全部", "各", "对比", "比较",
}
# fmt: on
PLACE_LINKS = {"in", "for", "of", "at", "inside", "within", "under", "'s", "的", "在"}
# The word for a place's own kind, beside its name, is part of the name ("Jinan city").
NAME_KINDS: dict[str, tuple[str, ...]] = {
    "city": ("city", "municipality"),
    "municipality": ("municipality",),
    "province": ("province",),
    "district": ("district",),
    "area": ("area",),
    "region": ("region",),
    "zone": ("free_trade_zone", "pilot_zone"),
    "ftz": ("free_trade_zone",),
    "free trade zone": ("free_trade_zone",),
    "pilot zone": ("pilot_zone",),
    "pilot area": ("pilot_area",),
    "park": ("park",),
}
NAME_KINDS_BEFORE = ("city", "municipality", "province", "district", "region")  # "the city of Jinan"
COUNT_WORDS = ("how many", "how much", "number of", "the number of", "count", "count of", "the count of", "多少",
                "几个")  # fmt: skip
COUNT_AFTER = ("多少", "数量", "个数", "数目")  # "园区数量": the number of parks
OF = {"of", "'s"}  # "GDP of X", "X's GDP": figures about X itself (的 is wider: 上海的园区)


def _phrases(**groups: str) -> dict[str, str]:
    """Phrase -> meaning, from comma-separated phrases per meaning."""
    return {p.strip(): meaning for meaning, phrases in groups.items() for p in phrases.split(",")}


# Comparators before an amount ("over 100bn") and after it ("100bn or more", "100亿以上")
BEFORE = _phrases(
    above="over,above,more than,greater than,bigger than,larger than,higher than,exceeding,exceed,exceeds,"
    "surpassing,in excess of,>,超过,高于,大于,多于",
    min="at least,no less than,not less than,no fewer than,not fewer than,minimum of,>=,≥,至少,不少于,不低于",
    below="under,below,less than,fewer than,lower than,smaller than,<,低于,少于,小于,不到",
    max="at most,no more than,not more than,maximum of,<=,≤,至多,最多,不超过,不高于",
    equal="exactly,equal to,equals,precisely,=",
)
AFTER = _phrases(min="or more,or above,and above,or over,and up,+,以上", max="or less,or fewer,or below,and below,以下")
BOUND_WORDS = {"above": "over", "min": "at least", "below": "under", "max": "at most"}
BOUND_OPTION = {"above": "above", "min": "min_value", "below": "below", "max": "max_value"}
SCALE_WORDS = set(vocab.SCALES)
UNIT_WORDS = {"yuan", "cny", "rmb", "renminbi", "元", "%", "percent", "pct", "usd", "dollars", "dollar", "美元"}
MEASURE_WORDS = {"家", "个", "项", "座"}  # Chinese measure words after a number of things
CURRENCY_BEFORE = {"cny", "rmb", "¥", "￥", "$", "usd"}

# Periods: words before a year ("by 2025") or after it ("2022年以来") -> how the year bounds it
YEAR_BEFORE = _phrases(
    **{"in": "in,for,during,of,as of,year,in the year,due,due in"},
    to="by,due by,until,till,through,up to,no later than,by the end of,the end of,end of,到,至,截至",
    before="before",
    **{"from": "since,from,starting,starting in,自,从"},
    after="after",
)
YEAR_AFTER = _phrases(**{"from": "以来", "after": "以后,之后", "to": "前,以前,之前,年底,年底前,底前"})
RANGE_OPENERS = {"between": "and", "from": "to"}  # amounts: "between 10 and 100bn", "from 10bn to 100bn"
RANGE_JOIN = {"to", "-", "–", "—", "through", "and", "至", "到", "~"}

# Attribute questions about one place, answered from its record as `show` gives it.
ATTRIBUTES = {
    "established": ("launched", "established", "founded", "set up", "created", "opened", "inaugurated", "started",
                    "unveiled", "built", "launch", "open", "start", "begin", "establish", "成立", "设立", "建立",
                    "启动", "揭牌", "开园"),
    "designated": ("designated", "approved", "selected", "named", "recognised", "recognized", "批准", "获批"),
}  # fmt: skip

WHEN = ("in which year", "in what year", "which year", "what year", "what date", "哪一年", "哪年", "何时", "什么时候")

NEGATIONS = {
    "not",
    "no",
    "without",
    "except",
    "excluding",
    "exclude",
    "outside",
    "non",
    "other",
    "besides",
    "aren",
    "isn",
    "don",
    "doesn",
    "didn",
    "weren",
    "wasn",
    "不",
    "除了",
    "以外",
}


def lexicon(store_sectors: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Phrase key -> (what it is, its value): tables, kinds, metrics, sectors, stop words."""
    lex: dict[str, tuple[str, str]] = {}
    for value, names in TABLES.items():
        for name in (value, *names):
            lex[vocab.phrase_key(name)] = ("table", value)
    for kind, names in KINDS.items():
        for name in names:
            lex[vocab.phrase_key(name)] = ("kind", kind)
    for canonical, aliases in vocab.SECTORS.items():
        for name in (canonical, *aliases):
            lex.setdefault(vocab.phrase_key(name), ("sector", canonical))
    for sector in store_sectors:
        lex.setdefault(vocab.phrase_key(sector), ("sector", vocab.sector_name(sector) or sector))
    for name, metric in vocab.METRIC_WORDS.items():
        lex[vocab.phrase_key(name)] = ("metric", metric)
    for name in (*METRICS, *FAMILIES):  # the names themselves, in words: "output share", "park count"
        lex.setdefault(vocab.phrase_key(name.replace("_", " ")), ("metric", name))
    for word in STOP:
        lex.setdefault(vocab.phrase_key(word) or word, ("stop", word))
    return lex
