"""Progress of long work (a large import, validating a large store), reported by the core and
drawn by whoever listens: the command line draws a bar on a terminal (``policyq.render.bar``).

The core wraps its long loops in :func:`steps`; with nobody listening (the Python API, a pipe,
``--quiet``) that costs one lookup per loop, not per item.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sized
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")
# what is being done ("validating targets"), how many items are done, how many there are
Listener = Callable[[str, int, int], None]
_LISTENER: ContextVar[Listener | None] = ContextVar("policyq_progress", default=None)
EVERY = 2000  # items between two reports


def steps(items: Iterable[T], what: str, total: Callable[[], int | None] | None = None) -> Iterator[T]:
    """``items``, one by one, telling the listener (if any) how far the loop has come. ``total``
    tells how many there are when ``items`` cannot (a stream); asked only when someone listens,
    and when it does not know, nobody is told."""
    listen = _LISTENER.get()
    known = total() if listen is not None and total is not None else None
    if listen is not None and known is None and isinstance(items, Sized):
        known = len(items)
    if listen is None or known is None:
        yield from items
        return
    for n, item in enumerate(items):
        if n % EVERY == 0:
            listen(what, n, known)
        yield item
    listen(what, known, known)


@contextmanager
def listening(listener: Listener | None) -> Iterator[None]:
    """Report to ``listener`` within the block (None: to nobody)."""
    token = _LISTENER.set(listener)
    try:
        yield
    finally:
        _LISTENER.reset(token)
