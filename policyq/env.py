"""Where a command's output goes: its streams, whether stdout is a terminal, and the one
writer of ``policyq: …`` lines on stderr.

The CLI builds an :class:`Environment` from the process's streams; tests may pass their own
(``CliRunner().invoke(app, args, obj=Environment(isatty=True))``) to set streams and ``isatty``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import IO

from policyq.text import visible


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream is not a terminal
        return False


@dataclass
class Environment:
    """Streams of one command. Whether stdout is a terminal decides between a table and TSV."""

    stdout: IO[str] = field(default_factory=lambda: sys.stdout)
    stderr: IO[str] = field(default_factory=lambda: sys.stderr)
    isatty: bool | None = None  # None: ask stdout

    @property
    def stdout_isatty(self) -> bool:
        return _isatty(self.stdout) if self.isatty is None else self.isatty

    def write(self, text: str) -> None:
        """Data, to stdout."""
        self.stdout.write(text)
        self.stdout.flush()

    def log(self, message: str) -> None:
        """A message for the person, on one line of stderr, control characters made visible."""
        self.stderr.write("policyq: " + visible(message) + "\n")
        self.stderr.flush()

    log_error = log
