"""Where a command's output goes: its streams, whether stdout is a terminal, and the one
writer of ``policyq: …`` lines on stderr.

The CLI builds an :class:`Environment` from the process's streams; tests may pass their own
(``CliRunner().invoke(app, args, obj=Environment(...))``) to set streams and ``isatty``.
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
    """Streams of one command. ``stdout_isatty`` decides between a table and TSV."""

    stdout: IO[str] = field(default_factory=lambda: sys.stdout)
    stderr: IO[str] = field(default_factory=lambda: sys.stderr)
    stdout_isatty: bool | None = None

    def __post_init__(self) -> None:
        if self.stdout_isatty is None:
            self.stdout_isatty = _isatty(self.stdout)

    def write(self, text: str) -> None:
        """Data, to stdout."""
        self.stdout.write(text)
        self.stdout.flush()

    def log(self, message: str) -> None:
        """A message for the person, on one line of stderr, control characters made visible."""
        self.stderr.write("policyq: " + visible(message) + "\n")
        self.stderr.flush()

    log_error = log
