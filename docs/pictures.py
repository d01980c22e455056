"""The README's pictures: real output of a few policyq commands, saved as SVG in docs/.

    .venv/bin/python docs/pictures.py           # run the commands, write docs/*.svg
    .venv/bin/python docs/pictures.py --check   # exit 1 if a picture differs from what the commands print now

Each command runs as a user would run it (``python -m policyq``) on the bundled store, on a
terminal 100 columns wide with colour forced; rich turns the output into an SVG. Two things
are set right after: each run of text is stretched to the cells it takes on a terminal (rich
gives it one cell a character, which squeezes a Chinese name to half its width:
Textualize/rich#2742), and no font is fetched from the web (rich's SVG loads Fira Code from a
CDN): the picture names monospace fonts a reader's system has, CJK ones included.
tests/test_pictures.py runs the check, so a change to a view fails until the pictures are
made again.
"""

from __future__ import annotations

import argparse
import html
import io
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
COLUMNS = 100
FONT_SIZE = 20  # rich's SVG: 20 px text, each cell 0.61 of that wide
CELL_WIDTH = FONT_SIZE * 0.61
FONTS = '"Fira Code", "DejaVu Sans Mono", "Noto Sans Mono CJK SC", "Sarasa Mono SC", monospace'
PICTURES: dict[str, tuple[str, ...]] = {
    "targets": ("targets",),
    "show-aisland": ("show", "aisland"),
    "tree-shanghai": ("tree", "Shanghai"),
    "chart-gdp": ("indicators", "--metric", "gdp", "--chart"),
}


def output(args: tuple[str, ...]) -> str:
    """What ``policyq ARGS`` prints on a colour terminal COLUMNS wide, reading the bundled store."""
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if k not in ("POLICYQ_STORE", "NO_COLOR")}
        env.update(COLUMNS=str(COLUMNS), FORCE_COLOR="1", XDG_DATA_HOME=home, PYTHONIOENCODING="utf-8")
        fmt = () if "--chart" in args else ("--format", "table")
        done = subprocess.run(
            [sys.executable, "-m", "policyq", *args, *fmt], env=env, capture_output=True, text=True, check=True
        )
    return done.stdout


def svg(name: str, args: tuple[str, ...]) -> str:
    from rich.console import Console
    from rich.text import Text

    console = Console(record=True, width=COLUMNS, file=io.StringIO(), force_terminal=True, color_system="truecolor")
    console.print(Text.from_ansi(output(args)), end="")
    return local_fonts(cell_widths(console.export_svg(title="policyq " + " ".join(args), unique_id=f"policyq-{name}")))


_TEXT = re.compile(r'(<text [^>]*?textLength=")([0-9.]+)("[^>]*>)([^<]*)(</text>)')


def cell_widths(picture: str) -> str:
    """Each run of text as wide as the cells it takes on a terminal (two for a Chinese character)."""
    from rich.cells import cell_len

    def stretch(m: re.Match[str]) -> str:
        width = cell_len(html.unescape(m.group(4))) * CELL_WIDTH
        return f"{m.group(1)}{width:g}{m.group(3)}{m.group(4)}{m.group(5)}"

    return _TEXT.sub(stretch, picture)


def local_fonts(picture: str) -> str:
    """The picture with no web font: rich's @font-face rules (which fetch Fira Code from a CDN)
    removed, and the text set in monospace fonts of the reader's own system."""
    picture = re.sub(r"\n?\s*@font-face \{[^}]*\}", "", picture)
    return re.sub(r"font-family: Fira Code, monospace;", f"font-family: {FONTS};", picture)


def main() -> int:
    parser = argparse.ArgumentParser(description="Make (or --check) the README's SVG pictures of policyq's views.")
    parser.add_argument("--check", action="store_true", help="only say which pictures are stale (exit 1 if any)")
    check = parser.parse_args().check
    stale = []
    for name, args in PICTURES.items():
        path = DOCS / f"{name}.svg"
        picture = svg(name, args)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != picture:
                stale.append(path.name)
        else:
            path.write_text(picture, encoding="utf-8")
            print(f"wrote {path}")
    if stale:
        print(f"stale: {', '.join(stale)}; run: python docs/pictures.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
