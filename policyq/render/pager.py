"""Long output on a terminal goes through a pager, as git and gh do.

The pager is ``$POLICYQ_PAGER``, else ``$PAGER``, else ``less -FRX`` (quit when it fits on one
screen, keep colours, leave the text on the screen); an empty value or ``cat`` turns it off, and
so does ``--no-pager``. Output that fits in the terminal, and output that is not going to a
terminal (a pipe, a file) or goes to a dumb one (``TERM=dumb`` or unset), is written directly:
a pager is never started for it.
"""

from __future__ import annotations

import io
import os
import shlex
import signal
import subprocess
from collections.abc import Mapping
from typing import IO

DEFAULT = "less -FRX"


def command(environ: Mapping[str, str]) -> list[str] | None:
    """The pager to run (as argv), or None when paging is turned off."""
    chosen = environ.get("POLICYQ_PAGER", environ.get("PAGER", DEFAULT)).strip()
    if not chosen or chosen == "cat":
        return None
    try:
        return shlex.split(chosen)
    except ValueError:  # an unclosed quote: not a command we can run
        return None


def _terminal(stream: IO[str]) -> int | None:
    """The height of the terminal ``stream`` writes to, or None when it is not a terminal."""
    try:
        if not stream.isatty():
            return None
        return os.get_terminal_size(stream.fileno()).lines
    except (AttributeError, ValueError, OSError):
        return None


class Held(io.StringIO):
    """Text bound for ``stream``, held to be paged; it answers ``isatty`` and ``fileno`` as
    ``stream`` does, so that views are drawn as wide and as coloured as for the terminal."""

    def __init__(self, stream: IO[str]) -> None:
        super().__init__()
        self.stream = stream

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.stream.fileno()


def wanted(stream: IO[str], environ: Mapping[str, str], off: bool) -> bool:
    """Whether output to ``stream`` may be paged: a real terminal that can run a pager (not
    ``TERM=dumb``), a pager set, not ``off``."""
    if off or environ.get("TERM", "dumb") == "dumb":
        return False
    return _terminal(stream) is not None and command(environ) is not None


def show(text: str, stream: IO[str], environ: Mapping[str, str]) -> None:
    """Write ``text`` to ``stream``, through the pager when it is longer than the terminal."""
    argv, height = command(environ), _terminal(stream)
    if argv is None or height is None or text.count("\n") < height:
        stream.write(text)
        stream.flush()
        return
    env = dict(environ)
    env.setdefault("LESS", "FRX")  # as git sets it: a pager named without options still behaves
    env.setdefault("LV", "-c")
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, env=env)
    except OSError:  # no such pager: the text is not lost
        stream.write(text)
        stream.flush()
        return
    interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the pager's to handle
    try:
        assert proc.stdin is not None
        try:
            proc.stdin.write(text.encode("utf-8", "replace"))
            proc.stdin.close()
        except BrokenPipeError:  # the person quit the pager before the end
            pass
        proc.wait()
    finally:
        signal.signal(signal.SIGINT, interrupt)
