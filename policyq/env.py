"""Where a command's output goes: its streams, whether stdout is a terminal, and the one
writer of ``policyq: …`` lines on stderr.

The CLI builds an :class:`Environment` from the process's streams; tests may pass their own
(``CliRunner().invoke(app, args, obj=Environment(isatty=True))``) to set streams and ``isatty``.

A message on a terminal is wrapped at words to the terminal's width, its later lines indented
under the first; piped, it stays one line, for ``grep``. A word is never split unless it is
wider than the terminal, and a command (``policyq targets --in lingang``) or a quoted name
(``'Pudong New Area'``) is kept on one line when it fits on one.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import IO

from policyq.render.cells import wrap_words
from policyq.text import visible

PREFIX = "policyq: "
# A command with its arguments, or a quoted name: kept on one line when it fits on one.


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream is not a terminal
        return False


def _columns(stream: IO[str]) -> int | None:
    """The width of the terminal ``stream`` writes to ($COLUMNS first), or None when it is not one."""
    if not _isatty(stream):
        return None
    env = os.environ.get("COLUMNS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return os.get_terminal_size(stream.fileno()).columns or 80
    except (AttributeError, ValueError, OSError):
        return 80


@dataclass
class Environment:
    """Streams of one command. Whether stdout is a terminal decides between a table and TSV;
    ``width`` (None: the terminal's, or no wrapping when stderr is not a terminal) is what
    messages are wrapped to."""

    stdout: IO[str] = field(default_factory=lambda: sys.stdout)
    stderr: IO[str] = field(default_factory=lambda: sys.stderr)
    isatty: bool | None = None  # None: ask stdout
    width: int | None = None  # None: ask stderr

    @property
    def stdout_isatty(self) -> bool:
        return _isatty(self.stdout) if self.isatty is None else self.isatty

    def write(self, text: str) -> None:
        """Data, to stdout."""
        self.stdout.write(text)
        self.stdout.flush()

    def write_prose(self, text: str) -> None:
        """Text for a person to read (a citation), to stdout: on a terminal each line wrapped
        at words to its width, piped as it is."""
        size = self.width or _columns(self.stdout) if self.stdout_isatty else None
        lines = [line for raw in text.split("\n") for line in wrap_words(raw, size)]
        self.write("\n".join(lines))

    def log(self, message: str) -> None:
        """A message for the person, on stderr, control characters made visible: one line
        when piped, wrapped at words on a terminal."""
        size = self.width or _columns(self.stderr)
        lines = wrap_words(PREFIX + visible(message), size, len(PREFIX))
        self.stderr.write("\n".join(lines) + "\n")
        self.stderr.flush()
