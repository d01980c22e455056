"""Where stores live, how they are read fast, and how they are written safely.

A store is a TinyDB document: one JSON object per table, each mapping a document id (an
integer as a string) to a record, which policyq writes in its line layout (see ``layout``).

Small stores are parsed whole with the standard ``json`` module (importing orjson costs
more than parsing the bundled store). Large stores are streamed: the file is read forward in
chunks as the tables are used, a query's equality filters (year, place, source, unit, metric)
rule documents out from their raw bytes, and only the documents that may match are decoded,
with orjson, so a query holds the documents it returns and little else (``search``).

Writes never touch the store in place: under a file lock the store is read afresh, the
change is applied, and the result goes to a temporary file in the same folder that is
fsynced and moved over the store with ``os.replace`` (then the folder is fsynced).
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, BinaryIO

from tinydb import TinyDB
from tinydb.queries import QueryInstance
from tinydb.storages import Storage

from policyq import paths
from policyq.errors import PolicyqError, StoreError, StoreWarning, UsageError
from policyq.layout import TABLES, LazyTable, LazyTables, Prefilter, dump_tables
from policyq.paths import ENV_STORE as ENV_STORE  # re-exported: callers name it from here
from policyq.paths import is_bundled
from policyq.text import visible

ENV_STREAM_MIN_BYTES = "POLICYQ_STREAM_MIN_BYTES"
# Stores at least this large are streamed and decoded with orjson. Below it, the standard json
# module parses the whole store faster than orjson can be imported (~20 ms). The bundled store
# is always streamed: about 1 MB with the 3,200 places of the gazetteer, which a query of facts
# then skips without decoding them.
STREAM_MIN_BYTES = 2 * 1024 * 1024
LOCK_TIMEOUT = 30.0
LOCK_NOTICE_AFTER = 1.0  # a writer waiting for the lock says so after this many seconds
ENV_MAX_STORE_MB = "POLICYQ_MAX_STORE_MB"
DEFAULT_MAX_STORE_MB = 1024

Tables = dict[str, Any]


def bundled_path() -> Path:
    """The store that ships with policyq (read-only)."""
    return Path(paths.bundled_path())


def user_store_path() -> Path:
    """The user store ``policyq init`` creates (see ``policyq.paths.user_store_path``)."""
    return Path(paths.user_store_path())


def read_path(store: str | None) -> Path:
    """The store a query reads: --store, else $POLICYQ_STORE, else the user store, else the bundled one."""
    return Path(paths.read_path(store, notice))


def write_path(store: str | None) -> Path:
    """The store a write changes: --store, else $POLICYQ_STORE, else the user store. Never the bundled one."""
    return Path(paths.write_path(store))


# --- reading -----------------------------------------------------------------------------


@contextmanager
def _reading(path: Path) -> Iterator[None]:
    """The ways a store can fail to open or read, turned into store errors."""
    try:
        yield
    except FileNotFoundError:
        raise StoreError(f"store {path} does not exist") from None
    except IsADirectoryError:
        raise StoreError(f"store {path} is a directory, not a JSON file") from None
    except OSError as exc:
        raise StoreError(f"store {path} cannot be read: {exc.strerror or exc}") from None


def _read(path: Path, reader: Callable[[Path], Any]) -> Any:
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


def _file_kind(st: os.stat_result) -> str:
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
            raise StoreError(f"store {path} is {_file_kind(st)}; a store must be a regular JSON file")
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
        raw = _read(path, lambda _: fh.read(max_store_bytes() + 1))
    if len(raw) > max_store_bytes():  # a file that grew while it was read
        raise StoreError(f"store {path} grew past the size limit while it was read; set {ENV_MAX_STORE_MB}")
    return raw


class DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object from its pairs, refusing a key given twice (JSON readers keep one of them)."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return obj


def _line_of_duplicate(raw: bytes) -> int | None:
    """The line holding an object with a repeated key, when the object sits on one line."""
    for number, line in enumerate(raw.splitlines(), 1):
        text = line.strip().rstrip(b",")
        for candidate in (text, text.partition(b": ")[2]):
            try:
                json.loads(candidate, object_pairs_hook=unique_keys)
            except DuplicateKey:
                return number
            except (ValueError, RecursionError):
                pass
    return None


def _twice(path: Path, raw: bytes, key: str) -> StoreError:
    line = _line_of_duplicate(raw)
    where = f" at line {line}" if line else ""
    return StoreError(
        f"store {path} holds the key '{key}' twice in one object{where}; "
        "JSON readers keep only one of them, so fix the file first"
    )


def load_exact(path: Path, raw: bytes | None = None) -> Tables:
    """Read a store whole, as a write or ``validate`` must: integers exactly as written (a fast
    parser may turn a long integer into a float) and no key twice in one object (a JSON
    reader keeps the last, so the next write would silently drop the others). ``raw``: the
    store's bytes, already read."""
    if raw is None:
        raw = read_store_bytes(path)
    if not raw or raw.isspace():
        raise StoreError(f"store {path} is empty; expected a JSON object of tables")
    try:
        data = json.loads(raw, object_pairs_hook=unique_keys)
    except DuplicateKey as exc:
        raise _twice(path, raw, exc.key) from None
    except RecursionError:
        raise StoreError(f"store {path} is nested too deeply to be a store") from None
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        raise _decode_error(path, exc) from None
    return check_shape(path, data)


# Queries check the records they return (at most this many) against the rules of validate.
CHECK_RETURNED = 1000


def check_returned(path: Path, table: str, records: Iterable[Mapping[str, Any]], tables: Mapping[str, Any]) -> bool:
    """Warn when a record a query returns breaks a rule of ``validate``; True if it did.

    Only what the query returns is checked (each record's own fields, and its references to
    zones and sources), so a query of a large store stays a scan, not a validation. The
    bundled store is known to be valid and is not checked.
    """
    from itertools import islice

    from policyq.model import FIELDS, first_problem

    if table not in FIELDS or is_bundled(path):
        return False
    problem = first_problem(table, islice(records, CHECK_RETURNED), tables)
    if problem is not None:
        notice(f"store {path} is invalid: {problem}; answers may be wrong ('policyq validate' lists every problem)")
    return problem is not None


def _decode_error(path: Path, exc: ValueError) -> StoreError:
    if isinstance(exc, UnicodeDecodeError):
        return StoreError(f"store {path} is not UTF-8 text (byte {exc.start})")
    line, col = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    msg = getattr(exc, "msg", None) or str(exc)
    if "UTF-8" in msg:  # orjson's wording for bad bytes
        return StoreError(f"store {path} is not UTF-8 text ({msg})")
    where = f" at line {line}, column {col}" if line else ""
    return StoreError(f"store {path} is not valid JSON{where}: {msg}")


def check_shape(path: Path, data: Any) -> Tables:
    """Refuse the shapes TinyDB mishandles: it must be an object of tables of documents."""
    if not isinstance(data, dict):
        found = "null" if data is None else type(data).__name__
        raise StoreError(f"store {path} must be a JSON object of tables, found {found}")
    for name, table in data.items():
        if isinstance(table, LazyTable):
            continue
        if not isinstance(table, dict):
            found = "null" if table is None else type(table).__name__
            raise StoreError(f"store {path}: table '{name}' must be an object of documents, found {found}")
        for doc_id, doc in table.items():
            if not (doc_id.isascii() and doc_id.isdigit()) or len(doc_id) > 18:  # '²' is a digit to isdigit()
                raise StoreError(
                    f"store {path}: table '{name}' has document id '{doc_id:.40}', "
                    "expected an integer of at most 18 digits"
                )
            if not isinstance(doc, dict):
                raise StoreError(f"store {path}: document {name}/{doc_id} must be an object")
    return data


def _loads(raw: bytes, big: bool) -> Any:
    if big:
        import orjson  # imported only for large stores: it costs more than parsing a small one

        return orjson.loads(raw)
    return json.loads(raw, object_pairs_hook=unique_keys)  # no slower than without the hook


def stream_min_bytes() -> int:
    """Stores at least this large are streamed (``$POLICYQ_STREAM_MIN_BYTES``, default
    ``STREAM_MIN_BYTES``; 0 streams every store, as tests of the streaming readers do)."""
    text = os.environ.get(ENV_STREAM_MIN_BYTES, "").strip()
    if not text:
        return STREAM_MIN_BYTES
    try:
        return max(0, int(text))
    except ValueError:
        raise UsageError(f"{ENV_STREAM_MIN_BYTES} must be a number of bytes, such as 0, not '{text}'") from None


def _parse_whole(path: Path, fh: BinaryIO, big: bool) -> Tables:
    fh.seek(0)
    raw = _read(path, lambda _: fh.read())
    if not raw or raw.isspace():
        raise StoreError(f"store {path} is empty; expected a JSON object of tables")
    try:
        data = _loads(raw, big)
    except DuplicateKey as exc:
        raise _twice(path, raw, exc.key) from None
    except RecursionError:
        raise StoreError(f"store {path} is nested too deeply to be a store") from None
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError, from json and orjson
        raise _decode_error(path, exc) from None
    return check_shape(path, data)


def _stream_error(path: Path, fh: BinaryIO, exc: Exception) -> StoreError:
    """The store error for a problem the streaming reader met (``layout.LayoutError`` or
    ``layout.DocumentError``), named as a whole parse would name it where it can."""
    from policyq.layout import LayoutError, line_number

    offset = getattr(exc, "offset", 0)
    problem = getattr(exc, "problem", str(exc))
    if isinstance(exc, LayoutError):  # not JSON that can be read as it streams: say what is wrong with it
        try:
            _parse_whole(path, fh, big=True)
        except StoreError as whole:
            return whole
    if "UTF-8" in problem:
        problem = f"is not UTF-8 text ({problem.partition(': ')[2] or problem})"
    if isinstance(exc, LayoutError):
        problem = f"cannot be read as a store: {problem}"
    return StoreError(f"store {path}: line {line_number(fh, offset)} {problem}")


def load_tables(path: Path, *, lazy: bool = True) -> Tables:
    """Read and shape-check a store. A large store comes back with lazy tables
    (``layout.LazyTables``): the file is read as the tables are used, and only the documents a
    query keeps are decoded."""
    threshold = stream_min_bytes()
    fh, size = open_store(path)
    big = size >= threshold or is_bundled(path)
    if big and lazy and size:
        try:
            return LazyTables(path, fh, size, lambda exc: _stream_error(path, fh, exc))  # type: ignore[return-value]
        except BaseException:
            fh.close()
            raise
    with fh:
        return _parse_whole(path, fh, big)


class ReadOnlyStorage(Storage):
    """TinyDB storage that parses the store once and refuses to write.

    TinyDB calls ``read()`` on every table access; the parsed tables are kept, so one
    command parses the file once. The file is only ever opened for reading, so a
    read-only installation works.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._tables: Tables | None = None

    def read(self) -> Tables:
        if self._tables is None:
            self._tables = load_tables(self.path)
        return self._tables

    def write(self, data: Tables) -> None:
        raise StoreError(f"store {self.path} was opened for reading only")


def open_db(path: Path) -> TinyDB:
    """A TinyDB over the store at ``path``, for reading. The file is read on first use."""
    return TinyDB(path, storage=ReadOnlyStorage)


Equals = tuple[tuple[str, frozenset[Any]], ...]


class FieldQuery(QueryInstance):
    """A TinyDB query that is true only when a record's top-level field equals one of some
    values: ``equals`` lists the alternatives ``(field, values)``. ``search`` uses them to
    rule records out from their raw bytes. ``a | b`` of two such queries is one too."""

    def __init__(self, test: Callable[[Mapping[str, Any]], bool], hashval: Any, equals: Equals) -> None:
        super().__init__(test, hashval)
        self.equals = equals

    def __or__(self, other: QueryInstance) -> QueryInstance:
        either = super().__or__(other)
        if not isinstance(other, FieldQuery):
            return either
        return FieldQuery(either._test, either._hash, self.equals + other.equals)


def search(db: TinyDB, table: str, conds: list[QueryInstance]) -> list[dict[str, Any]]:
    """The records of ``table`` for which every one of ``conds`` is true, in stored order, as
    plain dicts. A large store is scanned as it streams: the ``FieldQuery`` with the fewest
    values rules out, from their bytes, the records that cannot match, and only the others
    are decoded and tested (one dict per record kept). Otherwise TinyDB searches."""

    def every(record: Mapping[str, Any]) -> bool:
        return all(cond(record) for cond in conds)

    match = conds[0] if len(conds) == 1 else every if conds else None
    storage = db.storage
    docs = storage.read().get(table) if isinstance(storage, ReadOnlyStorage) else None
    if isinstance(docs, LazyTable):
        hints = [c.equals for c in conds if isinstance(c, FieldQuery)]
        narrowest = min(hints, key=lambda h: sum(len(values) for _, values in h), default=None)
        return docs.select(match, Prefilter(narrowest) if narrowest else None)
    found = db.table(table).search(QueryInstance(match, None)) if match else db.table(table).all()
    return [dict(d) for d in found]


# --- writing -----------------------------------------------------------------------------


def _fsync_dir(folder: Path) -> None:
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


def _temp_name(path: Path) -> str:
    return f".{path.name}.{os.urandom(8).hex()}.tmp"


def _temp_pattern(path: Path) -> re.Pattern[str]:
    """Exactly the names ``_temp_name`` gives this store's temporary files, and no other file's."""
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
    tmp = folder / _temp_name(path)
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
    _fsync_dir(folder)


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


class MemoryStorage(Storage):
    """TinyDB storage over tables read once under the lock; writes stay in memory until commit."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def read(self) -> Tables:
        return self.tables

    def write(self, data: Tables) -> None:
        self.tables = data


@contextmanager
def _locked(path: Path) -> Iterator[None]:
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


def _commit(path: Path, text: str | Iterable[bytes | memoryview]) -> None:
    try:
        atomic_write(path, text)
    except UnicodeEncodeError as exc:
        bad = visible(exc.object[exc.start : exc.end])
        raise StoreError(f"cannot write store {path}: it would hold {bad}, which is not valid Unicode text") from None
    except OSError as exc:
        raise StoreError(f"cannot write store {path}: {exc.strerror or exc}") from None


def _check_replaceable(path: Path, st: os.stat_result) -> None:
    """Refuse to replace a file its owner protected: no write bit, or no write access for us."""
    if not st.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise StoreError(
            f"store {path} is read-only (mode {stat.S_IMODE(st.st_mode):04o}); nothing was written. "
            f"Make it writable first (chmod u+w {path}) if you mean to change it"
        )


def read_for_write(path: Path, raw: bytes | None = None) -> Tables:
    """The store at ``path`` (or its bytes ``raw``, already read) read whole and exactly, as a
    write must see it: integers as written, no duplicate keys, and valid. Anything else is a
    ``StoreError`` naming the first problem, so that a write never silently drops or rewrites
    what it could not read."""
    from policyq.model import validate

    tables = load_exact(path, raw)
    problems = validate(tables)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise StoreError(
            f"store {path} is invalid: {problems[0]}{more}; nothing was written "
            f"('policyq validate {path}' lists every problem)"
        )
    return tables


commit = _commit


@contextmanager
def locked_bytes(path: Path) -> Iterator[tuple[Path, bytes]]:
    """Lock the store and read its bytes afresh, for a write that changes a few lines and
    copies the others (an import): yields the real path (symlinks followed) and the bytes.
    The caller checks that they are a valid store and writes with ``commit``. A store that is
    read-only or not a regular file is refused, as by ``transaction``."""
    real = real_path(path)
    with _locked(real):
        raw = read_store_bytes(real)
        _check_replaceable(real, os.stat(real))
        yield real, raw


@contextmanager
def transaction(path: Path) -> Iterator[TinyDB]:
    """Lock the store, read it afresh, yield a TinyDB over it, and commit atomically.

    If the block raises, nothing is written and the store stays byte for byte the same.
    A fresh read under the lock matters: TinyDB tables remember their next document id,
    so a long-lived instance would reuse ids another process has taken. A symlink is
    followed: the file it points to is locked and replaced, and the link stays.
    A store that is read-only, not a regular file, or invalid is refused.
    """
    real = real_path(path)
    with _locked(real):
        storage = MemoryStorage(read_for_write(real))
        _check_replaceable(real, os.stat(real))
        yield TinyDB(storage=lambda: storage)
        _commit(real, dump_tables(storage.tables))


def _describe_existing(path: Path) -> str:
    """What ``init --force`` is about to replace, in a few words."""
    try:
        tables = read_for_write(path)
    except PolicyqError as exc:
        return f"which was not a valid store ({exc})"
    counts = ", ".join(f"{len(tables.get(t) or {})} {t}" for t in TABLES)
    return f"a valid store of {counts}"


def init_store(path: str | None, *, force: bool) -> Path:
    """Copy the bundled store to ``path`` (default: the user store); refuses to overwrite without ``force``.

    With ``force`` an existing store is replaced, and a notice says what it held; a read-only
    file or anything but a regular file (a device, a FIFO) is never replaced.
    """
    if path is not None and not path:
        raise UsageError("the store path is empty; name a store file, e.g. ./research.json, or leave it out")
    target = Path(path) if path else user_store_path()
    real = real_path(target)
    if real.is_dir():
        raise UsageError(f"{target} is a directory; name the store file, e.g. {target / 'policyq.json'}")
    if real.exists() and not force:
        raise UsageError(f"{target} already exists; use --force to replace it with the bundled store")
    if is_bundled(real):
        raise UsageError(f"{target} is the bundled store, which is never written; name another path")
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create folder {real.parent}: {exc.strerror or exc}") from None
    text = bundled_path().read_text(encoding="utf-8")
    with _locked(real):
        try:
            st = os.stat(real)
        except FileNotFoundError:
            st = None
        if st is not None:
            if not force:  # another process created it meanwhile
                raise UsageError(f"{target} already exists; use --force to replace it with the bundled store")
            if not stat.S_ISREG(st.st_mode):
                raise StoreError(f"{target} is {_file_kind(st)}, not a store file; nothing was replaced")
            _check_replaceable(real, st)
            notice(f"replacing {target}, {_describe_existing(real)}")
        _commit(real, text)
    return target.resolve()
