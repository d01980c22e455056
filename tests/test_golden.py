"""Table rendering, held to golden files at a fixed width of 100 columns.

Regenerate after an intended change with: POLICYQ_UPDATE_GOLDEN=1 pytest tests/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run

GOLDEN = Path(__file__).parent / "golden"
CASES = {
    "parks_in_pudong": ("parks", "--in", "Pudong"),
    "targets_2025": ("targets", "--year", "2025"),
    "indicators_qingdao": ("indicators", "--in", "Qingdao"),
    "zones_in_shandong": ("zones", "--in", "Shandong"),
    "sources": ("sources",),
    "show_aisland": ("show", "aisland"),
    "show_qingdao_gdp": ("show", "qingdao-gdp-2018"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_table_matches_golden_file(name: str) -> None:
    result = run(*CASES[name], "--format", "table")
    assert result.exit_code == 0, result
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("POLICYQ_UPDATE_GOLDEN"):
        path.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == path.read_text(encoding="utf-8")
