"""Which store contents are known to be valid: the digests of the exact bytes of every store
policyq validated or wrote (the latest ``VALID_KEPT``, in ``$XDG_CACHE_HOME/policyq/
valid-stores``), each with what is known of it, so that the next write need not validate the
store it wrote last time. The digest covers policyq's own code too: a new version validates
again."""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

Pieces = str | list[bytes | memoryview]


VALID_KEPT = 64  # digests remembered (the most recent)


def _valid_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "policyq" / "valid-stores"


@functools.cache
def _rules() -> bytes:
    """What a store's validity depends on besides its bytes: policyq's own code."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.digest()


def hashing(data: bytes | Pieces) -> Callable[[], str]:
    """``digest_of(data)``, computed in another thread while this one goes on (hashing a large
    store takes tens of milliseconds, and releases the interpreter lock): call the result to
    wait for it."""
    import threading

    found: list[str] = []
    worker = threading.Thread(target=lambda: found.append(digest_of(data)), daemon=True)
    worker.start()

    def result() -> str:
        worker.join()
        return found[0]

    return result


def digest_of(data: bytes | Pieces) -> str:
    digest = hashlib.sha256(_rules())
    pieces: Iterable[bytes | memoryview] = (
        [data.encode("utf-8")] if isinstance(data, str) else ([data] if isinstance(data, bytes) else data)
    )
    for piece in pieces:
        digest.update(piece)
    return digest.hexdigest()


def known_valid(digest: str) -> dict[str, Any] | None:
    """What is known of store bytes with this digest that passed validation, by this version of
    policyq (``{}`` when nothing more); None when they are not known to be valid."""
    import json

    try:
        text = (_valid_folder() / digest).read_text(encoding="utf-8")
    except OSError:
        return None
    try:
        facts = json.loads(text) if text else {}
    except ValueError:  # written by a writer that was killed: still valid, nothing more known
        return {}
    return facts if isinstance(facts, dict) else {}


def remember_valid(digest: str, facts: Mapping[str, Any] | None = None) -> None:
    """Remember that store bytes with this digest are valid, and ``facts`` about them; forget
    all but the latest few. A cache that cannot be written only means the next write validates
    the store again."""
    import json

    folder = _valid_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / digest).write_text(json.dumps(facts or {}), encoding="utf-8")
        entries = sorted(os.scandir(folder), key=lambda entry: entry.stat().st_mtime_ns)
        for entry in entries[:-VALID_KEPT]:
            os.unlink(entry.path)
    except OSError:
        pass
