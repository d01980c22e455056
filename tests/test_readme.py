"""The README's transcripts are real: every ``$ policyq …`` in it prints what the README shows.

Each fenced block that starts with ``$ `` is a transcript: a command line, then its output
(stdout and stderr, as a terminal shows them), then the next command. The commands run in
bash on a pseudo-terminal (``script``), 100 columns wide and without styles (TERM=dumb),
against the bundled store: a table where a person would see one, TSV where the command line
pipes it on. Regenerate after an intended change with:
POLICYQ_UPDATE_GOLDEN=1 pytest tests/test_readme.py
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

README = ROOT / "README.md"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
BLOCK = re.compile(r"^```\n(\$ .*?)^```$", re.S | re.M)


def _commands(block: str) -> list[tuple[str, str]]:
    """(command, output) pairs of one transcript."""
    pairs: list[tuple[str, str]] = []
    for line in block.splitlines(keepends=True):
        if line.startswith("$ "):
            pairs.append((line[2:].rstrip("\n"), ""))
        elif pairs:
            pairs[-1] = (pairs[-1][0], pairs[-1][1] + line)
    return [(command, output.rstrip("\n") + "\n") for command, output in pairs]


def _run(command: str, home: Path) -> str:
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "COLUMNS": "100",
        "TERM": "dumb",
        "NO_COLOR": "1",
        "LANG": "C.UTF-8",
    }
    done = subprocess.run(
        ["script", "-qec", f"bash -o pipefail -c {shlex.quote(command)}", "/dev/null"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        timeout=60,
    )
    text = done.stdout.decode("utf-8").replace("\r\n", "\n")
    return ANSI.sub("", text).rstrip("\n") + "\n"  # jq colours its output on a terminal


@pytest.mark.skipif(shutil.which("script") is None, reason="needs script(1) for a pseudo-terminal")
def test_readme_transcripts_are_what_the_commands_print(tmp_path: Path) -> None:
    text = README.read_text(encoding="utf-8")
    blocks = BLOCK.findall(text)
    assert len(blocks) >= 5
    updated, stale = text, []
    for block in blocks:
        parts = []
        for command, shown in _commands(block):
            if "jq" in command.split() and shutil.which("jq") is None:
                pytest.skip("the README's transcripts pipe into jq, which is not installed")
            printed = _run(command, tmp_path)
            parts.append(f"$ {command}\n{printed}")
            if printed != shown:
                stale.append(f"$ {command}\n--- README\n{shown}--- printed\n{printed}")
        updated = updated.replace(block, "\n".join(parts), 1)  # commands apart by a blank line
    if stale and os.environ.get("POLICYQ_UPDATE_GOLDEN"):
        README.write_text(updated, encoding="utf-8")
        pytest.skip(f"rewrote {len(stale)} transcript(s) in README.md")
    assert not stale, "\n".join(stale)
