"""The README's pictures (docs/*.svg) show what the commands print today."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.full_store  # the gazetteer's divisions are part of what is tested

ROOT = Path(__file__).resolve().parent.parent


def test_readme_pictures_are_not_stale() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "pictures.py"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_readme_shows_every_picture() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for svg in sorted((ROOT / "docs").glob("*.svg")):
        assert f"](docs/{svg.name})" in readme, svg.name
