"""Where stores live, how they are read fast, and how they are written safely.

A store is a TinyDB document: one JSON object per table, each mapping a document id
(an integer as a string) to a record. policyq writes it in a *line layout* that is still
plain TinyDB JSON, one document per line::

    {
    "sources": {
    "1": {"id": "...", ...},
    "2": {"id": "...", ...}
    },
    "zones": {
    ...
    }
    }

Small stores are parsed whole with the standard ``json`` module (importing orjson costs
more than parsing the bundled store). Large stores are parsed with orjson, and when they
are in the line layout each table is decoded lazily, one document at a time, so a query
holds only the documents it keeps. Any other valid layout is read whole.

Writes never touch the store in place: under a file lock the store is read afresh, the
change is applied, and the result goes to a temporary file in the same folder that is
fsynced and moved over the store with ``os.replace`` (then the folder is fsynced).
"""

from __future__ import annotations

import gc
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage

from policyq.errors import StoreError, UsageError

TABLES = ("sources", "zones", "targets", "indicators")
ENV_STORE = "POLICYQ_STORE"
# Stores at least this large are parsed with orjson and, in the line layout, lazily. Below it,
# the standard json module is faster than importing orjson (~45 ms) and decoding with it.
STREAM_MIN_BYTES = 2 * 1024 * 1024
LOCK_TIMEOUT = 30.0

Tables = dict[str, Any]

_PACKAGE = Path(__file__).resolve().parent
# Inside an installed wheel the store sits in the package; in a source checkout, in data/.
_BUNDLED_CANDIDATES = (_PACKAGE / "data" / "policyq.json", _PACKAGE.parent / "data" / "policyq.json")


def bundled_path() -> Path:
    """The store that ships with policyq (read-only)."""
    for candidate in _BUNDLED_CANDIDATES:
        if candidate.is_file():
            return candidate
    raise StoreError("the bundled store is missing from this installation; reinstall policyq")


def user_store_path() -> Path:
    """The user store ``policyq init`` creates: ``$XDG_DATA_HOME/policyq/policyq.json``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "policyq" / "policyq.json"


def read_path(store: str | None) -> Path:
    """The store a query reads: --store, else $POLICYQ_STORE, else the user store, else the bundled one."""
    chosen = store or os.environ.get(ENV_STORE)
    if chosen:
        return Path(chosen)
    user = user_store_path()
    return user if user.exists() else bundled_path()


def write_path(store: str | None) -> Path:
    """The store a write changes: --store, else $POLICYQ_STORE, else the user store. Never the bundled one."""
    chosen = store or os.environ.get(ENV_STORE)
    path = Path(chosen) if chosen else user_store_path()
    if not path.exists():
        if chosen:
            raise UsageError(f"no store at {path}; create one with 'policyq init {path}'")
        raise UsageError(f"no user store at {path}; create one with 'policyq init' or name one with --store PATH")
    if any(path.resolve() == c.resolve() for c in _BUNDLED_CANDIDATES if c.exists()):
        raise UsageError("the bundled store is read-only; copy it with 'policyq init' and write to that")
    return path


# --- reading -----------------------------------------------------------------------------


def _read(path: Path, reader: Callable[[Path], Any]) -> Any:
    """``reader(path)``, with the ways a file can fail to open turned into store errors."""
    try:
        return reader(path)
    except FileNotFoundError:
        raise StoreError(f"store {path} does not exist") from None
    except IsADirectoryError:
        raise StoreError(f"store {path} is a directory, not a JSON file") from None
    except OSError as exc:
        raise StoreError(f"store {path} cannot be read: {exc.strerror or exc}") from None


def _readlines(path: Path) -> list[bytes]:
    with path.open("rb") as fh:
        return fh.readlines()


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
            if not doc_id.isdigit():
                raise StoreError(f"store {path}: table '{name}' has document id '{doc_id}', expected an integer")
            if not isinstance(doc, dict):
                raise StoreError(f"store {path}: document {name}/{doc_id} must be an object")
    return data


def _loads(raw: bytes, big: bool) -> Any:
    if big:
        import orjson  # imported only for large stores: it costs more than parsing a small one

        return orjson.loads(raw)
    return json.loads(raw)


_TABLE_OPEN = re.compile(rb'"((?:[^"\\]|\\.)*)": \{(\})?(,)?\n')


class LazyTable(Mapping[str, dict[str, Any]]):
    """A table whose documents are decoded one by one as TinyDB iterates over them."""

    def __init__(self, path: Path, name: str, lines: list[bytes], first_line: int) -> None:
        self._path, self._name, self._lines, self._first = path, name, lines, first_line

    def items(self) -> Iterator[tuple[str, dict[str, Any]]]:  # type: ignore[override]
        """The documents, each decoded with its own orjson call. (Decoding many lines as one
        object is slower: the unique document ids crowd the field names out of orjson's key
        cache.)"""
        # Decoding allocates a dict per document and none of them forms a reference cycle, so
        # the cyclic collector would only cost time (10-15% of a scan) while we iterate.
        collecting = gc.isenabled()
        gc.disable()
        try:
            yield from self._decode()
        finally:
            if collecting:
                gc.enable()

    def _decode(self) -> Iterator[tuple[str, dict[str, Any]]]:
        import orjson

        loads, last = orjson.loads, len(self._lines) - 1
        # Each line should be '"<doc id>": {...},\n', without the comma on the last. Only the
        # table's boundaries were checked when the layout was recognised; the lines are
        # checked here, as they are decoded, so that each is touched once.
        for offset, line in enumerate(self._lines):
            key, _, rest = line.partition(b": ")
            comma = rest.endswith(b",\n")
            try:
                doc = loads(rest[:-2] if comma else rest)
            except orjson.JSONDecodeError as exc:
                raise self._error(offset, f"is not valid JSON: {exc}") from None
            doc_id = key[1:-1]
            if type(doc) is not dict or key[:1] != b'"' or key[-1:] != b'"' or not doc_id.isdigit():
                raise self._error(offset, f"is not a document of table '{self._name}'")
            if comma == (offset == last):
                raise self._error(offset, "is not valid JSON: a comma is missing or extra")
            yield doc_id.decode(), doc

    def _error(self, offset: int, problem: str) -> StoreError:
        return StoreError(f"store {self._path}: line {self._first + offset} {problem}")

    def __iter__(self) -> Iterator[str]:
        return (doc_id for doc_id, _ in self.items())

    def __getitem__(self, doc_id: str) -> dict[str, Any]:
        for key, doc in self.items():
            if key == doc_id:
                return doc
        raise KeyError(doc_id)

    def __len__(self) -> int:
        return len(self._lines)


def _split_line_layout(path: Path, lines: list[bytes]) -> Tables | None:
    """Tables of a store in the line layout, decoded lazily; None for any other layout.

    ``lines`` are the file's lines with their newlines. Checking the layout touches each line
    once and copies nothing: a table is a slice of the list.
    """
    while lines and lines[-1].isspace():
        lines.pop()
    if len(lines) < 2 or lines[0] != b"{\n" or lines[-1].rstrip(b"\n") != b"}":
        return None
    tables: Tables = {}
    i, last = 1, len(lines) - 1
    while i < last:
        head = _TABLE_OPEN.fullmatch(lines[i])
        if head is None:
            return None
        name = json.loads(b'"' + head.group(1) + b'"')
        i += 1
        if head.group(2):  # an empty table on one line: "name": {}
            tables[name] = {}
            comma = head.group(3)
        else:
            start = i
            i = _table_end(lines, start, last)
            docs = lines[start:i]
            if not docs or i == last or docs[0][:1] != b'"' or not docs[-1].endswith(b"}\n"):
                return None
            close = _TABLE_CLOSE.fullmatch(lines[i])
            if close is None:
                return None
            comma = close.group(1)
            tables[name] = LazyTable(path, name, docs, start + 1)
            i += 1
        if bool(comma) != (i < last):
            return None  # a comma after every table but the last
    return tables


_TABLE_CLOSE = re.compile(rb"\}(,)?\n")


def _table_end(lines: list[bytes], start: int, last: int) -> int:
    """Index of the line closing the table that starts at ``start`` ('},' or, for the last
    table, '}'), or ``last``. Document lines never are either; list.index scans in C."""
    try:
        end = lines.index(b"},\n", start, last)
    except ValueError:
        end = last
    with suppress(ValueError):
        end = lines.index(b"}\n", start, end)
    return end


def load_tables(path: Path, *, lazy: bool = True) -> Tables:
    """Read and shape-check a store. Large line-layout stores come back with lazy tables."""
    size = _read(path, lambda p: p.stat().st_size)
    big = size >= STREAM_MIN_BYTES
    if big and lazy:
        tables = _split_line_layout(path, _read(path, _readlines))
        if tables is not None:
            return tables
    raw = _read(path, Path.read_bytes)
    if not raw or raw.isspace():
        raise StoreError(f"store {path} is empty; expected a JSON object of tables")
    try:
        data = _loads(raw, big)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError, from json and orjson
        raise _decode_error(path, exc) from None
    return check_shape(path, data)


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


# --- writing -----------------------------------------------------------------------------


def dump_tables(data: Mapping[str, Mapping[str, Any]]) -> str:
    """The store as text in the line layout: known tables first, one document per line."""
    names = [t for t in TABLES if t in data] + sorted(t for t in data if t not in TABLES)
    out = ["{"]
    for n, name in enumerate(names):
        table = data[name]
        tail = "," if n < len(names) - 1 else ""
        key = json.dumps(name, ensure_ascii=False)
        if not table:
            out.append(f"{key}: {{}}{tail}")
            continue
        out.append(f"{key}: {{")
        docs = list(table.items())
        for d, (doc_id, doc) in enumerate(docs):
            comma = "," if d < len(docs) - 1 else ""
            out.append(f'"{doc_id}": {json.dumps(doc, ensure_ascii=False)}{comma}')
        out.append("}" + tail)
    out.append("}")
    return "\n".join(out) + "\n"


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


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def atomic_write(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a reader or a crash sees the old file or the new, never a mix."""
    import tempfile

    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.chmod(tmp, path.stat().st_mode & 0o777)
        except FileNotFoundError:
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(folder)


def _remove_stale_temps(path: Path) -> None:
    """Temporary files left by a writer that was killed; only called while holding the lock."""
    folder = path.parent if str(path.parent) else Path(".")
    prefix = _temp_prefix(path)
    for entry in folder.glob(f"{prefix}*.tmp"):
        with suppress(OSError):
            entry.unlink()


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
    """Hold the writers' lock on ``path`` (a ``.lock`` file beside it)."""
    from filelock import FileLock, Timeout

    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise StoreError(f"folder {folder} for store {path.name} does not exist")
    lock = FileLock(str(path) + ".lock")
    try:
        lock.acquire(timeout=LOCK_TIMEOUT)
    except Timeout:
        raise StoreError(f"store {path} is locked by another writer (waited {LOCK_TIMEOUT:.0f} s)") from None
    except OSError as exc:
        raise StoreError(f"cannot lock store {path}: {exc.strerror or exc}") from None
    try:
        _remove_stale_temps(path)
        yield
    finally:
        lock.release()


def _commit(path: Path, text: str) -> None:
    try:
        atomic_write(path, text)
    except OSError as exc:
        raise StoreError(f"cannot write store {path}: {exc.strerror or exc}") from None


@contextmanager
def transaction(path: Path) -> Iterator[TinyDB]:
    """Lock the store, read it afresh, yield a TinyDB over it, and commit atomically.

    If the block raises, nothing is written and the store stays byte for byte the same.
    A fresh read under the lock matters: TinyDB tables remember their next document id,
    so a long-lived instance would reuse ids another process has taken.
    """
    with _locked(path):
        storage = MemoryStorage(load_tables(path, lazy=False))
        yield TinyDB(storage=lambda: storage)
        _commit(path, dump_tables(storage.tables))


def init_store(path: str | None, *, force: bool) -> Path:
    """Copy the bundled store to ``path`` (default: the user store); refuses to overwrite without ``force``."""
    target = Path(path) if path else user_store_path()
    if target.is_dir():
        raise UsageError(f"{target} is a directory; name the store file, e.g. {target / 'policyq.json'}")
    if target.exists() and not force:
        raise UsageError(f"{target} already exists; use --force to replace it with the bundled store")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create folder {target.parent}: {exc.strerror or exc}") from None
    text = bundled_path().read_text(encoding="utf-8")
    with _locked(target):
        if target.exists() and not force:  # another process created it meanwhile
            raise UsageError(f"{target} already exists; use --force to replace it with the bundled store")
        _commit(target, text)
    return target.resolve()
