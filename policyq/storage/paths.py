"""Which store a command reads or writes: the one place that decides it, for queries, writes
and shell completion alike.

``--store``, else ``$POLICYQ_STORE``, else the user store (``$XDG_DATA_HOME/policyq/
policyq.json``, where a relative ``XDG_DATA_HOME`` is ignored as the XDG rules say), else, for
reading only, the store bundled with policyq. Paths are plain strings and only ``os`` is
imported, so that a TAB can ask without loading the store module.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable

ENV_STORE = "POLICYQ_STORE"

_PACKAGE = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))  # policyq/, above storage/
# Inside an installed wheel the store sits in the package; in a source checkout, in data/.
BUNDLED_CANDIDATES = (
    os.path.join(_PACKAGE, "data", "policyq.json"),
    os.path.join(os.path.dirname(_PACKAGE), "data", "policyq.json"),
)


def bundled_path() -> str:
    """The store that ships with policyq (read-only)."""
    for candidate in BUNDLED_CANDIDATES:
        if os.path.isfile(candidate):
            return candidate
    from policyq.errors import StoreError

    raise StoreError("the bundled store is missing from this installation; reinstall policyq")


def is_bundled(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is the bundled store (under any name that leads to it)."""
    try:
        real = os.path.realpath(path)
    except (OSError, ValueError, RuntimeError):
        return False
    return any(real == os.path.realpath(c) for c in BUNDLED_CANDIDATES if os.path.exists(c))


def user_store_path() -> str:
    """The user store ``policyq init`` creates: ``$XDG_DATA_HOME/policyq/policyq.json``
    (``~/.local/share`` when that is unset or, as the XDG rules say, not an absolute path)."""
    base = os.environ.get("XDG_DATA_HOME", "")
    if not os.path.isabs(base):
        home = os.environ.get("HOME") or os.path.expanduser("~")
        if not os.path.isabs(home):
            from policyq.errors import UsageError

            raise UsageError("no user store: neither XDG_DATA_HOME nor HOME names a folder; name one with --store PATH")
        base = os.path.join(home, ".local", "share")
    return os.path.join(base, "policyq", "policyq.json")


def chosen(store: str | None) -> str | None:
    """The store named by --store, else by $POLICYQ_STORE; None when neither names one. An
    empty name (``--store ""``, or ``POLICYQ_STORE=$UNSET``) is refused: it names no file, and
    taking it for "no choice" would read or write another store than the one meant."""
    if store is not None and not store:
        from policyq.errors import UsageError

        raise UsageError("--store is empty; name a store file, e.g. --store ./research.json, or leave the option out")
    named = store or os.environ.get(ENV_STORE)
    if named == "":
        from policyq.errors import UsageError

        raise UsageError(f"{ENV_STORE} is set but empty; name a store file in it, or unset it")
    return named


def read_path(store: str | None, notice: Callable[[str], None] | None = None) -> str:
    """The store a query reads: --store, else $POLICYQ_STORE, else the user store, else the
    bundled one. ``notice`` hears why the user store could not be looked for."""
    named = chosen(store)
    if named:
        return named
    from policyq.errors import UsageError

    try:
        user = user_store_path()
    except UsageError:  # no home folder at all: there is no user store
        return bundled_path()
    try:
        if exists(user):
            return user
    except OSError as exc:  # e.g. a home folder this user may not enter
        if notice is not None:
            notice(f"cannot look for the user store {user} ({exc.strerror or exc}); reading the bundled store")
    return bundled_path()


def write_path(store: str | None) -> str:
    """The store a write changes: --store, else $POLICYQ_STORE, else the user store. Never the bundled one."""
    from policyq.errors import StoreError, UsageError

    named = chosen(store)
    path = named or user_store_path()
    try:
        found = exists(path)
    except OSError as exc:
        raise StoreError(f"cannot reach store {path}: {exc.strerror or exc}") from None
    if not found:
        if named:
            raise UsageError(f"no store at {path}; create one with 'policyq init {path}'")
        raise UsageError(f"no user store at {path}; create one with 'policyq init' or name one with --store PATH")
    if is_bundled(path):
        raise UsageError("the bundled store is read-only; copy it with 'policyq init' and write to that")
    return path


_ABSENT = (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP)


def exists(path: str) -> bool:
    """Whether something is at ``path``, as ``pathlib.Path.exists`` decides: False when it is
    not there, an ``OSError`` when it cannot be told (a folder this user may not enter)."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno in _ABSENT:
            return False
        raise
    except ValueError:  # a NUL in the name
        return False
    return True
