"""The store as a file: the size limit, opening it without blocking, the writers' lock, and
the atomic replacement every write ends with.

Writes never touch the store in place: under a file lock the store is read afresh, the
change is applied, and the result goes to a temporary file in the same folder that is
fsynced and moved over the store with ``os.replace`` (then the folder is fsynced).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, BinaryIO

from policyq.errors import StoreError, StoreWarning, UsageError
from policyq.text import visible

LOCK_TIMEOUT = 30.0
LOCK_NOTICE_AFTER = 1.0  # a writer waiting for the lock says so after this many seconds
ENV_MAX_STORE_MB = "POLICYQ_MAX_STORE_MB"
DEFAULT_MAX_STORE_MB = 1024


def unreadable(exc: OSError, named: str, wanted: str) -> str:
    """Why the file ``named`` ("store PATH", "file 'PATH'") could not be opened or read;
    ``wanted`` is what it should have been ("a JSON file")."""
    if isinstance(exc, FileNotFoundError):
        return f"{named} does not exist"
    if isinstance(exc, IsADirectoryError):
        return f"{named} is a directory, not {wanted}"
    return f"{named} cannot be read: {exc.strerror or exc}"


@contextmanager
def _reading(path: Path) -> Iterator[None]:
    """The ways a store can fail to open or read, turned into store errors."""
    try:
        yield
    except OSError as exc:
        raise StoreError(unreadable(exc, f"store {path}", "a JSON file")) from None


def guarded_read(path: Path, reader: Callable[[Path], Any]) -> Any:
    """``reader(path)``, with the ways a file can fail to open turned into store errors."""
    with _reading(path):
        return reader(path)


def notice(message: str) -> None:
    """Tell the person something about a store without stopping: a ``StoreWarning``, which the
    command line prints as one ``policyq: …`` line on stderr."""
    import warnings

    warnings.warn(message, StoreWarning, stacklevel=2)


def max_store_bytes() -> int:
    """The largest store policyq reads: ``$POLICYQ_MAX_STORE_MB`` megabytes (default 1024)."""
    text = os.environ.get(ENV_MAX_STORE_MB, "").strip()
    if not text:
        return DEFAULT_MAX_STORE_MB * 1024 * 1024
    try:
        megabytes = float(text)
    except ValueError:
        megabytes = -1.0
    if not megabytes > 0 or megabytes == float("inf"):
        raise UsageError(f"{ENV_MAX_STORE_MB} must be a number of megabytes above 0, such as 2048, not '{text}'")
    return int(megabytes * 1024 * 1024)


def file_kind(st: os.stat_result) -> str:
    for test, kind in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(st.st_mode):
            return kind
    return "not a regular file"


def open_store(path: Path) -> tuple[BinaryIO, int]:
    """Open a store for reading: a binary file and its size. Never blocks and never reads
    without end: anything but a regular file (a FIFO, a device such as /dev/zero) and any file
    larger than ``max_store_bytes()`` is a ``StoreError`` before a byte is read."""
    limit = max_store_bytes()
    with _reading(path):
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise StoreError(f"store {path} is a directory, not a JSON file")
        if not stat.S_ISREG(st.st_mode):
            raise StoreError(f"store {path} is {file_kind(st)}; a store must be a regular JSON file")
        if st.st_size > limit:
            raise StoreError(
                f"store {path} is {st.st_size / 2**20:,.0f} MB, over the {limit / 2**20:,.0f} MB limit; "
                f"set {ENV_MAX_STORE_MB} to read larger stores"
            )
        return os.fdopen(fd, "rb"), st.st_size
    except BaseException:
        os.close(fd)
        raise


def read_store_bytes(path: Path) -> bytes:
    """The whole store file, within the size limit (see ``open_store``)."""
    fh, _ = open_store(path)
    with fh:
        raw = guarded_read(path, lambda _: fh.read(max_store_bytes() + 1))
    if len(raw) > max_store_bytes():  # a file that grew while it was read
        raise StoreError(f"store {path} grew past the size limit while it was read; set {ENV_MAX_STORE_MB}")
    return raw


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # some platforms cannot open a folder; the replace itself is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def real_path(path: Path) -> Path:
    """The file a write changes: ``path`` with every symlink followed, so that a link to a
    store stays a link and the store it points to gets the change (and one lock)."""
    return Path(os.path.realpath(path))


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def temp_name(path: Path) -> str:
    return f".{path.name}.{os.urandom(8).hex()}.tmp"


def _temp_pattern(path: Path) -> re.Pattern[str]:
    """Exactly the names ``temp_name`` gives this store's temporary files, and no other file's."""
    return re.compile(rf"\.{re.escape(path.name)}\.[0-9a-f]{{16}}\.tmp")


def atomic_write(path: Path, text: str | Iterable[bytes | memoryview]) -> None:
    """Replace ``path`` with ``text`` (or the bytes of pieces written one after the other) so
    that a reader or a crash sees the old file or the new, never a mix.

    The new file gets the old one's permission bits (setuid, setgid and sticky included) and,
    where allowed, its owner and group.
    """
    # Text is encoded before any file exists: text that cannot be encoded fails here.
    pieces = [text.encode("utf-8")] if isinstance(text, str) else text
    folder = _folder(path)
    tmp = folder / temp_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            for piece in pieces:
                fh.write(piece)
            fh.flush()
            os.fsync(fh.fileno())
        _copy_mode(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(folder)


def _copy_mode(path: Path, tmp: Path) -> None:
    try:
        old = os.stat(path)
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        return
    if (old.st_uid, old.st_gid) != (os.getuid(), os.getgid()):
        with suppress(OSError):  # only root may give a file away; the group needs membership
            os.chown(tmp, old.st_uid, old.st_gid)
    os.chmod(tmp, stat.S_IMODE(old.st_mode))  # after chown, which clears setuid and setgid


def _remove_stale_temps(path: Path) -> None:
    """Temporary files left by a writer that was killed; only called while holding the lock."""
    folder = _folder(path)
    pattern = _temp_pattern(path)
    with suppress(OSError):
        for name in os.listdir(folder):
            if pattern.fullmatch(name):
                with suppress(OSError):
                    os.unlink(folder / name)


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the writers' lock on ``path`` (a ``.lock`` file beside it; ``path`` is the real file).

    A writer that has to wait says so after ``LOCK_NOTICE_AFTER`` seconds, and gives up
    after ``LOCK_TIMEOUT``.
    """
    from filelock import FileLock, Timeout

    folder = _folder(path)
    if not folder.is_dir():
        raise StoreError(f"folder {folder} for store {path.name} does not exist")
    lock = FileLock(str(path) + ".lock")
    try:
        try:
            lock.acquire(timeout=min(LOCK_NOTICE_AFTER, LOCK_TIMEOUT))
        except Timeout:
            if LOCK_TIMEOUT <= LOCK_NOTICE_AFTER:
                raise
            notice(f"waiting for another writer to finish with store {path} (up to {LOCK_TIMEOUT:.0f} s)")
            lock.acquire(timeout=LOCK_TIMEOUT - LOCK_NOTICE_AFTER)
    except Timeout:
        raise StoreError(
            f"store {path} is still locked by another writer after {LOCK_TIMEOUT:.0f} s; nothing was written, "
            "try again when it has finished"
        ) from None
    except OSError as exc:
        raise StoreError(f"cannot lock store {path}: {exc.strerror or exc}") from None
    try:
        _remove_stale_temps(path)
        yield
    finally:
        lock.release()


def commit(path: Path, text: str | Iterable[bytes | memoryview]) -> None:
    try:
        atomic_write(path, text)
    except UnicodeEncodeError as exc:
        bad = visible(exc.object[exc.start : exc.end])
        raise StoreError(f"cannot write store {path}: it would hold {bad}, which is not valid Unicode text") from None
    except OSError as exc:
        raise StoreError(f"cannot write store {path}: {exc.strerror or exc}") from None


def check_replaceable(path: Path, st: os.stat_result) -> None:
    """Refuse to replace a file its owner protected: no write bit, or no write access for us."""
    if not st.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise StoreError(
            f"store {path} is read-only (mode {stat.S_IMODE(st.st_mode):04o}); nothing was written. "
            f"Make it writable first (chmod u+w {path}) if you mean to change it"
        )


@contextmanager
def locked_bytes(path: Path) -> Iterator[tuple[Path, bytes]]:
    """Lock the store and read its bytes afresh, for a write that changes a few lines and
    copies the others (an import): yields the real path (symlinks followed) and the bytes.
    The caller checks that they are a valid store and writes with ``commit``. A store that is
    read-only or not a regular file is refused, as by ``transaction``."""
    real = real_path(path)
    with locked(real):
        raw = read_store_bytes(real)
        check_replaceable(real, os.stat(real))
        yield real, raw
