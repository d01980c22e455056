"""Long output on a terminal goes through the pager, as git and gh do; never when piped, never
with --no-pager, never for output that fits on the screen."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

pytestmark = pytest.mark.full_store  # the gazetteer's divisions are part of what is tested


def on_a_terminal(args: list[str], env: dict[str, str], rows: int = 10) -> str:
    """What policyq prints on a pseudo-terminal ``rows`` lines high and 80 columns wide."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, 80, 0, 0))
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "PAGER", "POLICYQ_PAGER", "NO_COLOR")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "policyq", *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**base, "TERM": "xterm", "NO_COLOR": "1", **env},
    )
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the command ended
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=60)
    os.close(leader)
    return out.decode("utf-8", "replace")


def test_long_output_goes_through_the_pager(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    pager = f"sh -c 'cat > {paged}'"
    shown = on_a_terminal(["tree", "Jiangsu", "--depth", "1"], {"POLICYQ_PAGER": pager})
    assert "14 places" in paged.read_text() and "Suzhou 苏州市" in paged.read_text()
    assert "Suzhou" not in shown  # the pager had it, not the terminal
    paged.unlink()
    direct = on_a_terminal(["tree", "Jiangsu", "--depth", "1", "--no-pager"], {"POLICYQ_PAGER": pager})
    assert "Suzhou 苏州市" in direct and not paged.exists()
    short = on_a_terminal(["tree", "Jiangsu", "--depth", "0"], {"POLICYQ_PAGER": pager})
    assert "Jiangsu 江苏省" in short and not paged.exists()  # fits on the screen
    off = on_a_terminal(["tree", "Jiangsu", "--depth", "1"], {"POLICYQ_PAGER": "", "PAGER": pager})
    assert "Suzhou 苏州市" in off and not paged.exists()  # an empty POLICYQ_PAGER turns it off


def test_never_when_piped(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    env = {**os.environ, "POLICYQ_PAGER": f"sh -c 'cat > {paged}'", "TERM": "xterm"}
    out = subprocess.run(
        [sys.executable, "-m", "policyq", "tree", "Jiangsu", "--depth", "1"], env=env, capture_output=True, text=True
    )
    assert out.returncode == 0 and "suzhou-jiangsu" in out.stdout and not paged.exists()
