"""Human views held to golden files at 80 and 120 columns (listings and progress at 60 too):
every listing, record cards of a zone, a target, an indicator and a source, the place tree,
charts and a markdown table. Each view is pinned here once: the README's transcripts
(tests/test_readme.py) hold only what the README shows, at 100 columns (`indicators --in
Qingdao` among them), and tests/test_pictures.py only that docs/*.svg are not stale.

Regenerate after an intended change with: POLICYQ_UPDATE_GOLDEN=1 pytest tests/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run

pytestmark = pytest.mark.full_store  # the gazetteer's divisions are part of what is tested

GOLDEN = Path(__file__).parent / "golden"
CASES = {
    "zones_in_shandong": ("zones", "--in", "Shandong"),
    "zones_limit": ("zones", "--limit", "5"),
    "parks_in_pudong": ("parks", "--in", "Pudong"),
    "targets": ("targets",),
    "indicators": ("indicators",),
    "sources": ("sources",),
    "search_metaverse": ("search", "metaverse"),
    "ask_parks_in_pudong": ("ask", "parks in Pudong"),
    "targets_fields": ("targets", "--fields", "id,value,usd,deadline"),
    "show_aisland": ("show", "aisland"),
    "show_target": ("show", "shanghai-new-industries-output-2025"),
    "show_indicator": ("show", "qingdao-gdp-2018"),
    "show_source": ("show", "ai-pilot-zones-2019"),
    "tree_shanghai": ("tree", "Shanghai"),
    "tree_shandong": ("tree", "Shandong"),
    "chart_indicators": ("indicators", "--chart"),
    "chart_gdp": ("indicators", "--metric", "gdp", "--chart"),
    "progress": ("progress",),
}
WIDTHS = (80, 120)
# Four narrow columns draw the same at any width: one file holds both widths.
SAME_AT_EVERY_WIDTH = {"targets_fields"}
# Listings and progress are held at 60 columns too, where most has to give way.
NARROW = ("zones_in_shandong", "parks_in_pudong", "targets", "indicators", "sources", "search_metaverse", "progress")


def check(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("POLICYQ_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs; see the module docstring to regenerate"


@pytest.mark.parametrize(("name", "width"), [(n, w) for n in CASES for w in WIDTHS] + [(n, 60) for n in NARROW])
def test_view_matches_golden_file(name: str, width: int) -> None:
    args = CASES[name]
    result = run(*args, *(() if "--chart" in args else ("--format", "table")), env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result
    check(f"{name}_{80 if name in SAME_AT_EVERY_WIDTH else width}.txt", result.stdout)


def test_markdown_matches_golden_file() -> None:
    for name, args in (
        ("targets", ("targets",)),
        ("show_aisland", ("show", "aisland")),
        ("tree", ("tree",)),
        ("progress", ("progress",)),
    ):
        result = run(*args, "-o", "md")
        assert result.exit_code == 0, result
        check(f"{name}.md", result.stdout)
