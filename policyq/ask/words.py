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
                "pledged", "aim", "aiming", "aimed", "ambition", "targeted", "目标", "规划目标", "发展目标", "规划",
                "目标任务"),
    "indicators": ("indicator", "figure", "statistic", "stats", "fact", "reported", "指标", "统计"),
    "sources": ("source", "document", "article", "publication", "来源", "文件", "资料来源", "来源文件", "来源资料",
                "资料", "出处", "文章", "报道", "新闻", "文献", "文档", "政策文件", "报告", "原文", "documentation",
                "reference", "citation"),
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
    "pilot_zone": (
        "pilot zone",
        "application pilot zone",
        "innovative application pilot zone",
        "应用先导区",
        "创新应用先导区",
    ),
    "pilot_area": (
        "pilot area",
        "future industry pilot area",
        "pilot area for future industries",
        "pilot area for future industry",
        "未来产业先导区",
    ),
    "pilot_zone+pilot_area": ("先导区",),  # the Chinese name of both
    "district": ("district", "区县", "区"),
    "city": ("city", "城市", "市"),
    "province": ("province", "省份", "省"),
    "municipality": ("municipality", "直辖市"),
    "country": ("country", "国家"),
    "region": ("region",),
    "cluster": ("cluster", "产业集群", "集群"),
    # Pudong's municipal-level characteristic industrial parks are counted as a group
    "park_group": ("park group", "characteristic park", "特色产业园区", "特色园区", "市级特色产业园区", "特色产业园"),
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
    "regarding", "concerning", "about", "from", "according", "everything", "information", "info", "details",
    "overview",
    "value", "values", "valued", "worth",
    "host", "hosts", "hosted", "house", "houses", "housed", "attract", "attracts", "attracted", "contain",
    "contains", "record", "recorded",
    # auxiliaries, question words and verbs that only say a figure exists ("has built", "expected to reach")
    "would", "shall", "may", "might", "must", "whose", "been", "being", "up", "built", "build", "builds", "reach",
    "reaching", "settle", "settled", "every", "d like", "would like",
    "mention", "mentions", "mentioned", "cover", "covers", "generate", "generated", "produce", "produced",
    "key", "leading", "premier", "major", "main", "than",
    # listed as data products are, not companies listed on an exchange
    "be listed", "are listed", "is listed", "were listed", "get listed", "listed on", "listed at", "listed by",
    "characteristic", "municipal-level", "municipal level", "innovation and application", "among",
    "post", "posted", "register", "registered", "in yuan", "in rmb", "in cny", "in renminbi", "reports", "report",
    "says", "say", "receive", "received", "获得",
    "、", "的", "是多少", "为多少", "有多少", "关于", "哪个", "达到", "建成", "建设", "吸引", "集聚",
    "入驻", "拥有", "重点", "龙头", "头部", "相关", "上", "特色", "市级", "上架", "挂牌", "方面",
    "领域", "由", "被", "设有", "建有", "以人民币计", "设立", "请问", "告诉我", "告诉", "我想知道", "想知道", "知道",
    "能否", "可否", "可以", "帮我", "查一下", "查询", "一下", "我",
    "有", "有哪些", "哪些", "什么", "是", "在", "中", "里", "和", "与", "及", "吗", "呢", "了",
    "产业", "行业", "列出", "显示", "请", "所有", "全部", "各", "对比", "比较",
    # question words, auxiliaries and filler of Chinese questions ('谁的更快', '是否超过', '一共建了')
    "谁", "是否", "一共", "总共", "共", "建", "建了", "占", "还是", "得", "信息", "总量", "位于", "坐落于",
    # verbs that only say a figure exists or came about ('drawn in', 'have become'), and where-words
    "become", "became", "becomes", "draw", "draws", "drew", "drawn", "quickly", "rapidly",
    "located", "situated", "based", "lie", "lies",
    # verbs saying what a figure came to ('what did X's GDP come to', 'stood at', 'remained at')
    "come", "comes", "came", "amount", "amounts", "amounted", "stand", "stands", "stood", "remain", "remains",
    "remained", "hold", "holds", "held", "occupy", "occupies", "occupied", "expressed", "converted",
    # verbs of arrival and housing ('moved into', 'accommodate', 'lured'), and of what sources say
    "move", "moves", "moved", "moving", "into", "relocated", "entered", "joined", "accommodate", "accommodates",
    "accommodated", "welcome", "welcomes", "welcomed", "lure", "lured", "gather", "gathered", "bring", "brought",
    "talk", "talks", "discuss", "discusses", "discussed", "refer", "refers", "cite", "cites", "cited",
    "span", "spans", "spanned", "stated", "given", "gives", "provide", "provides",
    "roughly", "approximately", "level", "levels", "account", "accounts", "accounted", "one of", "one of the",
    "municipal", "city-level", "city level", "period", "name", "exist", "exists", "known", "to the public",
    # the same in Chinese: 容纳 (house), 保持在 (stay at), 提到 (mention), 名义 (nominal)…
    "容纳", "吸纳", "引进", "引入", "落户", "落地", "聚集", "汇聚", "进驻", "保持", "保持在", "维持", "维持在",
    "稳定在", "约", "约为", "大约", "达", "为", "提到", "提及", "涉及", "谈到", "讲到", "提起", "到底", "究竟",
    "具体", "名义", "总体", "整体", "当年", "当时", "共有", "哪篇", "哪份", "哪一篇", "哪几篇",
    "拥有了", "入驻了", "分别", "当初", "最初", "kindly", "麻烦", "麻烦查一下", "帮忙", "帮我查", "帮忙查一下",
    "call home", "calls home", "home to", "money", "store", "database", "sit", "sits", "是不是", "是否是", "有没有",
    "是不是在", "算不算", "两市", "两地", "两个城市", "三市", "三地", "三个城市",
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
               "几个", "多少家", "多少个", "多少台", "多少项", "几家", "有多少家", "有多少个", "有多少台", "有几个",
               "有几家")  # fmt: skip
# "园区数量": the number of parks
COUNT_AFTER = ("多少", "数量", "个数", "数目", "多少家", "多少个", "多少台", "多少项", "有多少家", "有多少个")
# Question words left over once the rest is read: they ask, and say nothing of what ("how many
# enterprises are already in X", "how much will Lingang invest").
QUESTION = ("how many", "how much", "多少", "几个", "几家", "多少家", "多少个", "多少台", "多少项", "有多少家",
            "有多少个", "有多少台", "有几个", "有几家", "多少亿元", "多少亿", "多少万元", "多少元", "第几",
            "几倍", "多少倍", "百分之几", "百分之多少", "how many times", "by how much", "percentage",
            "百分比", "多少钱")  # fmt: skip
# Every phrase that asks for a number, whichever pass reads it: 'how many', 多少, and the empty
# words 是多少 / 为多少 / 有多少 (a question of nothing counted is refused, never shown as a record).
ASKING = frozenset({*QUESTION, "是多少", "为多少", "有多少"})
# Words of tense and mood that say which kind of figure is asked for, when no other word does:
# what is reported (already, currently, 目前) or what is planned (will, should, 计划, 要).
_SINCE = (*(f"since {w}" for w in ("launch", "launching", "opening", "founding", "establishment", "inception",
                                   "creation", "its launch", "its opening", "its founding", "its establishment",
                                   "its inception", "its creation", "it launched", "it opened", "it began",
                                   "it started", "it was launched", "it was opened", "it was founded",
                                   "it was established", "it was set up", "it was created")),
          *(f"{pre}{verb}{post}" for verb in ("成立", "设立", "建立", "启动", "揭牌", "开园", "运营", "开业", "建成")
            for pre in ("", "自") for post in ("以来", "至今")))  # fmt: skip
TENSE = {
    **dict.fromkeys(("already", "currently", "so far", "to date", "now", "at present", "已经", "已", "目前",
                     "现有", "现在", "当前", "首批", "inaugural", "inaugural group", "in the inaugural group",
                     "first batch", "first group", "first wave", "第一批", "第一波", "at launch", "at its launch",
                     "at opening", "at its opening", "when it opened", "when it launched", *_SINCE), "indicators"),
    **dict.fromkeys(("will", "should", "expected", "expected to", "is expected to", "plan to", "plans to", "expect",
                     "expects",
                     "planned to", "going to", "meant to", "supposed to", "intended to", "要", "将", "计划", "预计",
                     "将要", "会", "将会", "力争", "争取", "拟", "planning", "plans", "原计划", "hope to", "hopes to",
                     "hoping to", "intends to", "intend to"), "targets"),
}  # fmt: skip
# Comparisons among named places ("which is higher, Jinan or Qingdao"): both figures, sorted.
COMPARE = ("higher", "lower", "bigger", "larger", "smaller", "greater", "faster", "slower", "more", "less",
           "stronger", "weaker", "quicker", "better", "worse", "fewer", "richer", "wealthier", "poorer", "ahead",
           "outpace", "outpaced", "outgrew", "outgrow", "outperform", "outperformed",
           "更高", "更快", "更大", "更多", "更低", "更慢", "更小", "较高", "较快", "谁高", "谁快", "更强", "更好",
           "领先", "高出", "超出", "多出", "same", "一样", "相同", "相比", "stack", "stacks", "measure")  # fmt: skip
# Superlatives: among places named, a comparison ('which of A, B and C grew fastest'); over
# everything, refused (the store does not hold every place).
SUPERLATIVES = ("fastest", "highest", "largest", "biggest", "most", "strongest", "quickest", "greatest", "lowest",
                "smallest", "slowest", "weakest", "least", "最快", "最高", "最大", "最多", "最强", "最低", "最小",
                "最慢")  # fmt: skip
# A figure in US dollars: the stored 'usd' figure, as the source states it.
_DOLLARS = (
    "us dollars",
    "us dollar",
    "dollars",
    "dollar",
    "usd",
    "us$",
    "dollar terms",
    "us dollar terms",
    "usd terms",
    "us dollar figures",
    "us $",
    "us dollar value",
    "dollar value",
    "usd value",
)
USD = (*(f"{verb}{word} {d}" for verb in ("", "expressed ", "converted ", "measured ", "denominated ", "stated ")
         for word in ("in", "into", "to") for d in _DOLLARS),
       "usd", "us dollars", "us dollar", "us $", "us dollar value", "dollar value", "usd value",
       "以美元计", "美元", "多少美元", "折合美元", "折合多少美元", "合多少美元", "折合", "按美元计",
       "换算成美元")  # fmt: skip
# "per 10,000 people": a density.
_TEN_THOUSAND = ("10,000", "10000", "10k", "10 k", "ten thousand", "10 thousand")
_PEOPLE = ("people", "persons", "residents", "inhabitants", "population", "capita")
PER_PEOPLE = (*(f"{per} {n} {who}" for per in ("per", "for every", "every") for n in _TEN_THOUSAND for who in _PEOPLE),
              *(f"每{n}{who}" for n in ("万", "一万")
                for who in ("人", "名", "人口", "名人口", "居民", "名居民")))  # fmt: skip
# What a share is the share of ('the share of strategic emerging industries in industrial output',
# '战略性新兴产业占工业总产值的比重'): said with a share, they ask for it; said alone, nothing held.
SHARE_OF = ("strategic emerging industries", "strategic emerging industry", "战略性新兴产业")
# Short forms of places that the store does not hold as aliases: short form -> a name it holds.
SHORT_NAMES = {"济青": "Jinan-Qingdao"}
# A place that has what is counted ('does Pudong have', '浦东有多少家'): its own figures, when it has them.
POSSESS = {"have", "has", "had", "owns", "有", "拥有", "拥有了", "共有", "有多少", "有多少家", "有多少个", "有几个",
           "有几家", "有多少台"}  # fmt: skip
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
# Units of area after an amount: '5万平方米', '50,000 square metres', '40 km2'.
AREA_UNITS = {
    **dict.fromkeys(("square meters", "square metres", "sq m", "m2", "平方米"), "m2"),
    **dict.fromkeys(("square kilometers", "square kilometres", "sq km", "km2", "平方公里", "平方千米"), "km2"),
}
MEASURE_WORDS = {"家", "个", "项", "座"}  # Chinese measure words after a number of things
CURRENCY_BEFORE = {"cny", "rmb", "¥", "￥", "$", "usd"}

# Periods: words before a year ("by 2025") or after it ("2022年以来") -> how the year bounds it
YEAR_BEFORE = _phrases(
    **{
        "in": "in,for,during,of,as of,as at,year,in the year,due,due in,from,at the end of,the end of,end of,"
        "as of the end of,end,at end,year end,at year end,截至,截止"
    },
    to="by,due by,until,till,through,up to,no later than,by the end of,by end,by year end,到,至",
    before="before,prior to,earlier than",
    **{"from": "since,starting,starting in,starting from,自,从"},
    after="after",
)
YEAR_AFTER = _phrases(
    **{"from": "以来,onwards,onward,and later,or later,and beyond,or beyond", "after": "以后,之后"},
    to="前,以前,之前,年底前,底前,年末前,or earlier,and earlier",
    **{"in": "年底,底,年末,末"},  # the end of the year, as the word before says: 截至…年底, 到…年底
)
RANGE_OPENERS = {"between": "and", "from": "to"}  # amounts: "between 10 and 100bn", "from 10bn to 100bn"
RANGE_JOIN = {"to", "-", "–", "—", "through", "and", "至", "到", "~"}

# Attribute questions about one place, answered from its record as `show` gives it.
ATTRIBUTES = {
    "established": ("成立于", "设立于", "建于", "揭牌于", "开园于",
                    "launched", "established", "founded", "set up", "created", "opened", "inaugurated", "started",
                    "unveiled", "built", "launch", "open", "start", "begin", "establish", "成立", "设立", "建立",
                    "启动", "揭牌", "开园"),
    "designated": ("designated", "approved", "approve", "select", "choose", "pick", "designate", "selected",
                   "chosen", "chose", "picked", "named", "recognised",
                   "recognized", "became", "become", "成为", "gave", "given", "granted", "awarded", "conferred",
                   "批准", "获批", "认定", "选为", "被选为", "入选", "授予", "评为", "命名为", "批复"),
}  # fmt: skip

# 'chosen as the first AI pilot zone': part of the designation asked about.
FIRST = ("first", "首个", "首批", "首家", "第一个", "第一批")
# What a designation is called in a question about one ('gave Shenzhen its pilot zone status').
TITLES = ("status", "title", "honour", "honor", "label", "称号", "资格", "ministry", "miit", "government",
          "authorities", "工信部", "国家", "国家级", "级")  # fmt: skip
# Where a figure comes from: its sources ('where does X come from', 'X出自哪里').
COME_FROM = ("come from", "comes from", "came from", "出自", "来自", "来源于", "取自")
# Where a place lies: 'X在哪里', 'X在哪个区', 'X位于哪个城市'.
WHERE = ("哪里", "哪儿", "在哪", "在哪里", "什么地方", "何处", "属于哪个区", "属于哪个城市", "隶属于哪个区",
         *(f"{pre}哪个{kind}" for pre in ("在", "位于")
           for kind in ("区", "市", "省", "城市", "区县", "地区", "县")))  # fmt: skip
WHO = (
    *(f"{which} {body}" for which in ("which", "what") for body in ("ministry", "body", "agency", "government",
      "government agency", "government body", "organisation", "organization", "institution", "department",
      "authority", "authorities")),
    *(f"{which}{body}" for which in ("哪个", "什么", "哪一个", "哪些") for body in ("部门", "机构", "部委", "单位")),
)  # fmt: skip
# Who designated a place, said as a noun: '批准单位', 'the approving body'.
APPROVERS = ("批准单位", "批准部门", "审批部门", "批准机构", "认定部门", "approving body", "approving authority",
             "approving ministry", "approving department")  # fmt: skip
WHEN = (
    "in which month",
    "in what month",
    "which month",
    "what month",
    "in which year",
    "in what year",
    "which year",
    "what year",
    "what date",
    "哪一年",
    "哪年",
    "啥时候",
    "什么时间",
    "何时",
    "什么时候",
)

# Words that rank, order, sum or date and never narrow a figure by the source's own wording,
# though a source may use them ('third-largest province', 'year-on-year'): "which province is the
# largest" and "GDP this year" are refused.
ORDER_WORDS = {"largest", "biggest", "highest", "lowest", "smallest", "most", "least", "top", "best", "worst",
               "fastest", "slowest", "first", "last", "latest", "earliest", "newest", "oldest", "greatest",
               "strongest", "weakest", "leading", "ranked", "total", "sum", "average", "mean", "median",
               "second", "third", "fourth", "fifth", "per", "capita", "real", "adjusted",
               # and time, which a period says, not a figure's wording
               "year", "years", "month", "months", "this", "next", "current", "recent", "previous", "today",
               "ago", "annual", "yearly", "quarter", "quarterly", "monthly"}  # fmt: skip
# Words asking whether a target was met: `policyq progress` answers that, not a listing.
MET = {"reached", "met", "meet", "meets", "achieved", "achieve", "hit", "fulfilled", "完成", "实现", "达成"}
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
    for name in SHARE_OF:
        lex.setdefault(vocab.phrase_key(name), ("share_of", name))
    for word in STOP:
        lex.setdefault(vocab.phrase_key(word) or word, ("stop", word))
    return lex
