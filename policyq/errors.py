"""Errors policyq raises, each carrying the exit code the CLI ends with.

The core modules raise these; one handler in ``cli.py`` prints them as a single line on
stderr and exits with ``code``. Exit codes follow grep: 0 found, 1 nothing matched,
2 usage or input error, 3 store error.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    NO_MATCH = 1
    USAGE = 2
    STORE = 3
    INTERRUPTED = 130


class PolicyqError(Exception):
    """Base class: a message for the user and the exit code it maps to."""

    code: ExitCode = ExitCode.USAGE


class UsageError(PolicyqError):
    """Bad arguments or input: an unknown place or field, a refused import file."""

    code = ExitCode.USAGE


class ImportRefused(UsageError):
    """Records to import with problems; nothing was written. ``details`` lists every problem,
    a line each."""

    def __init__(self, message: str, details: list[str]) -> None:
        super().__init__(message)
        self.details = details


class StoreError(PolicyqError):
    """The store is missing, unreadable, not valid JSON, of the wrong shape, or invalid."""

    code = ExitCode.STORE


class StoreWarning(UserWarning):
    """Something the person should know that does not stop the command: a store that breaks
    the rules, a writer waiting for the lock, a store ``init --force`` replaces. The command
    line prints each as one ``policyq: …`` line on stderr."""
