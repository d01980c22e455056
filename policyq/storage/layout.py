"""How a store is laid out in its file: policyq's line layout, written and read side by side,
and a streaming reader for any other layout of TinyDB's JSON.

A store is a TinyDB document: one JSON object per table, each mapping a document id (an
integer as a string) to a record. policyq writes it in the *line layout*, which is still
plain TinyDB JSON, one document per line::

    {
    "sources": {
    "1": {"id": "...", ...},
    "2": {"id": "...", ...}
    },
    "zones": {}
    }

Reading never holds the file: it is read forward in chunks, a table's documents are found
in the bytes, and only the documents a query may keep are decoded (with orjson). In the line
layout a table's lines are found with a few searches per chunk, in C; any other layout (the
one line TinyDB writes, indented JSON) is split document by document. A ``Prefilter`` skips
the documents whose raw bytes show that they cannot match, without decoding them.

What a query checks: the layout of every table (headers, closing lines, where each table
ends) and every document it decodes. A document it skips is not decoded, so a line damaged
by hand that could not match anyway goes unnoticed by a query; ``policyq validate`` and
every write read every document.
"""

from __future__ import annotations

import gc
import json
import os
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

TABLES = ("sources", "zones", "targets", "indicators")  # the order the writer puts them in
CHUNK = 1 << 20  # bytes read at a time

Record = dict[str, Any]
Match = Callable[[Record], bool]
Read = Callable[[int, int], bytes]  # (size, offset) -> bytes, as os.pread reads a file


def reading(fh: BinaryIO) -> Read:
    """How the readers read an open file: by offset, so that two readers never disturb each other."""
    fd = fh.fileno()
    return lambda size, offset: os.pread(fd, size, offset)


def reading_bytes(raw: bytes) -> Read:
    """How the readers read a file already in memory."""
    return lambda size, offset: raw[offset : offset + size]


# --- the line layout: written ---------------------------------------------------------------


def doc_line(doc_id: str, doc: Mapping[str, Any]) -> str:
    """One document as the line layout writes it, without the comma and the newline."""
    return f'"{doc_id}": {json.dumps(doc, ensure_ascii=False)}'


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
        out.append(",\n".join(doc_line(doc_id, doc) for doc_id, doc in table.items()))
        out.append("}" + tail)
    out.append("}")
    return "\n".join(out) + "\n"


# --- errors -----------------------------------------------------------------------------------


class LayoutError(ValueError):
    """The bytes are not in the layout a reader expected (the caller tries another reader), or
    not JSON at all. ``offset`` is where in the file the reader stopped."""

    def __init__(self, problem: str, offset: int) -> None:
        super().__init__(problem)
        self.problem, self.offset = problem, offset


class DocumentError(ValueError):
    """A document that is not valid JSON, or not an object, at ``offset`` in the file."""

    def __init__(self, problem: str, offset: int) -> None:
        super().__init__(problem)
        self.problem, self.offset = problem, offset


def line_number(fh: BinaryIO, offset: int) -> int:
    """The line of the file that holds byte ``offset`` (1 for the first)."""
    fd, count, pos = fh.fileno(), 1, 0
    while pos < offset:
        data = os.pread(fd, min(CHUNK, offset - pos), pos)
        if not data:
            break
        count += data.count(b"\n")
        pos += len(data)
    return count


# --- the prefilter ------------------------------------------------------------------------------

_WS = rb"[ \t\n\r]*"
# A value written plainly: an integer of at most 18 digits (orjson reads longer ones as floats),
# null, or a string without escapes. In a chunk where every occurrence of a field is followed
# by such a value, the bytes of the field's value are the value itself.
_PLAIN = rb'(?:0|-?[1-9][0-9]{0,17}|null|"[^"\\]*")'
_ESCAPED_ASCII = re.compile(rb"\\u00")  # how a key could spell a field's name without its letters


def _token(value: Any) -> bytes | None:
    """How ``value``, or any value equal to it, is written plainly; None when no plain value
    equals it (a fraction, a string that needs escapes, a list)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):  # bool too: True == 1
        return str(int(value)).encode()
    if isinstance(value, str) and not re.search(r'["\\\x00-\x1f]', value):
        return b'"' + value.encode("utf-8", "surrogatepass") + b'"'
    return None


class Prefilter:
    """Tells, from a document's raw bytes, that it cannot match, so it need not be decoded.

    Built from alternatives ``(field, values)``: a document can match only if, for one of
    them, the document's top-level ``field`` equals one of ``values``. A document is skipped
    only when every occurrence of those fields as a key in the bytes around it is followed by
    a plain value (see ``_PLAIN``), no key is written with an escape, and none of those values
    is one of ``values``: then no decoding could give it a matching value. Everything else is
    decoded and judged by the query itself, so the prefilter never changes an answer.
    """

    def __init__(self, alternatives: Iterable[tuple[str, Iterable[Any]]]) -> None:
        tokens: dict[str, set[bytes]] = {}
        for field, values in alternatives:
            tokens.setdefault(field, set()).update(t for t in map(_token, values) if t is not None)
        # Per field: its key followed by a wanted value (the group), or by anything but a plain
        # value (no group). A key followed by another plain value does not match at all, nor
        # does the field's name as a string value (no ':' after it).
        parts = [
            _key(field)
            + _WS
            + rb":(?:"
            + (_WS + rb"(?:" + b"|".join(map(re.escape, sorted(wanted))) + rb")" + _WS + rb"([,}])|") * bool(wanted)
            + rb"(?!"
            + _WS
            + _PLAIN
            + _WS
            + rb"[,}]))"
            for field, wanted in sorted(tokens.items())
        ]
        self.pattern = re.compile(b"|".join(parts))

    def hits(self, buf: bytes, start: int, end: int) -> list[int] | None:
        """Where in ``buf[start:end]`` a field has one of the values; None when a field there is
        not written plainly (or a key may be escaped), so every document must be decoded."""
        if buf.find(b"\\", start, end) >= 0 and _ESCAPED_ASCII.search(buf, start, end):
            return None  # maybe a key written with escapes
        found = []
        for match in self.pattern.finditer(buf, start, end):
            if match.lastindex is None:
                return None
            found.append(match.start())
        return found

    def rules_out(self, buf: bytes, start: int, end: int) -> bool:
        """Whether no document in ``buf[start:end]`` can match."""
        return self.hits(buf, start, end) == []


def _key(field: str) -> bytes:
    """A field's name as a key's bytes, matched from its first letter: the regular expression
    engine skips ahead to a literal prefix, and a letter is rarer than the opening quote."""
    quoted = json.dumps(field).encode()
    return re.escape(quoted[1:]) + rb"(?<=" + re.escape(quoted) + rb")"


# --- the line layout: read -----------------------------------------------------------------

_TABLE_OPEN = re.compile(rb'"((?:[^"\\]|\\.)*)": \{(\})?(,)?\n')
_TABLE_CLOSE = re.compile(rb"\}(,)?\n")
# A line that does not start a document (the table's end), or one that opens a table (never
# inside a table in this layout). Starting with a newline, the search runs at memchr speed.
_BREAK = re.compile(rb'\n(?:(?<=\{\n)|(?=[^"]))')


class Section:
    """Where a table's documents are in the file: ``start`` to ``end`` (None until found), and
    where its opening line is (``head``)."""

    def __init__(self, name: str, start: int, end: int | None = None, head: int = -1) -> None:
        self.name, self.start, self.end, self.head = name, start, end, head


class _Skeleton:
    """The tables of a store, found in order as they are asked for."""

    def __init__(self, read: Read, size: int) -> None:
        self.read, self.size = read, size
        self.sections: dict[str, Section] = {}
        self.order: list[Section] = []
        self.done = False

    def section(self, name: str) -> Section | None:
        while name not in self.sections and not self.done:
            self._advance()
        return self.sections.get(name)

    def names(self) -> list[str]:
        while not self.done:
            self._advance()
        return [s.name for s in self.order]

    def _add(self, name: str, section: Section, at: int) -> None:
        if name in self.sections:
            raise LayoutError(f"the table '{name}' twice", at)
        self.sections[name] = section
        self.order.append(section)

    def _advance(self) -> None:
        raise NotImplementedError

    def _finish(self, at: int) -> None:
        """The document ends at ``at``: nothing but white space may follow."""
        pos = at
        while pos < self.size:
            data = self.read(CHUNK, pos)
            if not data:
                break
            if data.strip():
                raise LayoutError("text after the end of the store", pos)
            pos += len(data)
        self.done = True


class LineReader(_Skeleton):
    """Finds the tables of a store in the line layout, reading forward as they are needed.

    Raises ``LayoutError`` as soon as the bytes leave the layout, and the caller reads the
    file as any JSON instead.
    """

    def __init__(self, read: Read, size: int) -> None:
        super().__init__(read, size)
        if self.read(2, 0) != b"{\n" or not _TABLE_OPEN.fullmatch(self._line(2)):
            raise LayoutError("not the line layout", 0)
        self._next = 2  # offset of the line after the last known table
        self._more = True  # whether a table is to follow (after a comma, or at the start)
        self._first = True

    def _line(self, offset: int) -> bytes:
        data = self.read(64 * 1024, offset)
        while b"\n" not in data and offset + len(data) < self.size:  # a very long line
            more = self.read(CHUNK, offset + len(data))
            if not more:
                break
            data += more
        end = data.find(b"\n")
        return data[: end + 1] if end >= 0 else data

    def _advance(self) -> None:
        if self.order and self.order[-1].end is None:
            for _ in self.chunks(self.order[-1]):  # the last table's end comes first
                pass
            return
        at = self._next
        line = self._line(at)
        if line.rstrip(b"\n") == b"}" and (self._first or not self._more):
            self._finish(at + len(line))
            return
        head = _TABLE_OPEN.fullmatch(line)
        if head is None or not self._more:
            raise LayoutError("not a table's opening line", at)
        try:
            name = json.loads(b'"' + head.group(1) + b'"')
        except ValueError:
            raise LayoutError("a table name that is not valid JSON", at) from None
        start = at + len(line)
        self._first = False
        if head.group(2):  # an empty table on one line: "name": {}
            self._add(name, Section(name, start, start, at), at)
            self._more, self._next = bool(head.group(3)), start
        elif head.group(3):
            raise LayoutError("not a table's opening line", at)
        else:
            self._add(name, Section(name, start, None, at), at)

    def _close(self, section: Section, at: int) -> None:
        section.end = at
        close = _TABLE_CLOSE.fullmatch(self._line(at))
        if close is None:
            raise LayoutError("not a table's closing line", at)
        self._more, self._next = bool(close.group(1)), at + close.end()

    def chunks(self, section: Section) -> Iterator[tuple[bytes, int, bool]]:
        """The document lines of ``section`` in pieces of whole lines: ``(buf, stop, last)``,
        where ``buf[:stop]`` is the piece and ``last`` whether it is the last one. The first pass
        over a table finds where it ends and checks that its lines start documents and open no
        table. Each piece is read once into a new buffer: nothing is copied."""
        pos = section.start
        while section.end is None or pos < section.end:
            want = CHUNK if section.end is None else min(CHUNK, section.end - pos)
            buf = self.read(want, pos)
            if section.end is not None:
                if not buf:
                    raise LayoutError("the file ended inside a table", pos)
                last = pos + len(buf) >= section.end
                stop = len(buf) if last else buf.rfind(b"\n") + 1
                if not stop:  # one line longer than a chunk
                    buf = self._line(pos)
                    stop = len(buf)
                    last = pos + stop >= section.end
            elif buf[:1] not in (b'"', b""):
                stop, last = 0, True
            else:
                found = _BREAK.search(buf)
                if found and buf[found.start() - 1 : found.start()] == b"{":
                    raise LayoutError("a line that opens a table inside a table", pos + found.start())
                last = found is not None
                if found:
                    stop = found.start() + 1
                elif len(buf) < want:
                    raise LayoutError("the file ended inside a table", pos + len(buf))
                else:  # the last whole line is read again: whether it is the table's last shows after it
                    stop = buf.rfind(b"\n", 0, max(buf.rfind(b"\n"), 0)) + 1
                    if not stop:  # one line longer than a chunk: what follows it shows whether it is the last
                        buf = self._line(pos)
                        stop = len(buf)
                        if not buf.endswith(b"\n"):
                            raise LayoutError("the file ended inside a table", pos + stop)
                        last = self.read(1, pos + stop)[:1] != b'"'
                if last and (stop == 0 or not buf.endswith(b"}\n", 0, stop) or buf.endswith(b"},\n", 0, stop)):
                    raise LayoutError("a table's last document is missing or ends with a comma", pos + stop)
            if stop:
                yield buf, stop, last
            if last:
                if section.end is None:
                    self._close(section, pos + stop)
                return
            pos += stop

    def documents(self, section: Section) -> Iterator[tuple[str, bytes, int]]:
        """Every document of ``section``: its id, its JSON text and the offset of its '{'."""
        offset = section.start
        for buf, stop, last in self.chunks(section):
            yield from self._lines(section, buf, 0, stop, offset, last)
            offset += stop

    def _lines(
        self, section: Section, buf: bytes, begin: int, stop: int, offset: int, last: bool
    ) -> Iterator[tuple[str, bytes, int]]:
        while begin < stop:
            after = buf.index(b"\n", begin) + 1
            yield self._document(section, buf[begin:after], offset + begin, last and after == stop)
            begin = after

    def candidates(self, section: Section, prefilter: Prefilter) -> Iterator[tuple[str, bytes, int]]:
        """The documents of ``section`` that ``prefilter`` cannot rule out."""
        offset = section.start
        for buf, stop, last in self.chunks(section):
            hits = prefilter.hits(buf, 0, stop)
            if hits is None:
                yield from self._lines(section, buf, 0, stop, offset, last)
            else:
                after = 0  # a line holding two hits is read once
                for hit in hits:
                    if hit >= after:
                        begin = buf.rfind(b"\n", 0, hit) + 1
                        after = buf.index(b"\n", hit) + 1
                        yield self._document(section, buf[begin:after], offset + begin, last and after == stop)
            offset += stop

    @staticmethod
    def _document(section: Section, line: bytes, offset: int, last: bool) -> tuple[str, bytes, int]:
        key, _, text = line.partition(b": ")
        comma = text.endswith(b",\n")
        text = text[:-2] if comma else text[:-1]
        doc_id = key[1:-1]
        # A line that is not one document as the line layout writes it: the file is read as
        # any JSON instead, which names what is wrong if it is not JSON.
        if key[:1] != b'"' or key[-1:] != b'"' or not doc_id.isdigit() or text[:1] != b"{" or text[-1:] != b"}":
            raise LayoutError(f"a line that is not a document of table '{section.name}'", offset)
        if comma == last:
            raise LayoutError("a comma is missing or extra", offset)
        return doc_id.decode(), text, offset + len(key) + 2


# --- the line layout: changed in place ---------------------------------------------------

# Each document line's id and its record's id, when the record starts with it written plainly.
_ID_LINE = re.compile(rb'\n"(\d+)": \{"id": "([^"\\\n]*)"')


def line_tables(raw: bytes) -> LineReader | None:
    """Every table of a store's bytes in the line layout; None when they are in another layout."""
    try:
        reader = LineReader(reading_bytes(raw), len(raw))
        reader.names()
    except LayoutError:
        return None
    return reader


def record_ids(raw: bytes, section: Section, only: Collection[bytes] | None = None) -> list[tuple[bytes, bytes]] | None:
    """``(document id, record id)`` of every document line of ``section``, read off the start
    of each line without decoding it; None when a line does not start with its id written
    plainly (the caller then reads the table whole). With ``only``, of the lines whose record
    id is one of those, in a store whose lines are known to start with their ids."""
    assert section.end is not None
    if only is not None:
        if not only:
            return []
        ids = b"|".join(map(re.escape, sorted(only)))
        return re.compile(rb'\n"(\d+)": \{"id": "(' + ids + rb')"').findall(raw, section.start - 1, section.end)
    found = _ID_LINE.findall(raw, section.start - 1, section.end)
    return found if len(found) == raw.count(b"\n", section.start, section.end) else None


_DOC_LINE = re.compile(rb'\n"(\d+)": ')


def _lines_of(raw: bytes, section: Section, doc_ids: list[str]) -> list[tuple[str, int]]:
    """``(doc id, offset of the newline before its line)`` of each of ``doc_ids`` that
    ``section`` holds: a search each for a few, one pass over the table for many."""
    if len(doc_ids) <= 16:
        found = ((d, raw.find(b'\n"' + d.encode() + b'": ', section.start - 1, section.end)) for d in doc_ids)
        return [(d, at) for d, at in found if at >= 0]
    wanted, out = set(doc_ids), []
    for line in _DOC_LINE.finditer(raw, section.start - 1, section.end or len(raw)):
        doc_id = line.group(1).decode()
        if doc_id in wanted:
            wanted.discard(doc_id)
            out.append((doc_id, line.start()))
    return out


def splice(
    raw: bytes,
    reader: LineReader,
    changes: Mapping[str, Mapping[str, Mapping[str, Any]]],
    new_from: Mapping[str, int],
) -> list[bytes | memoryview] | None:
    """The store's bytes with ``changes`` made, as pieces to write one after the other. For
    each table, ``{doc_id: record}`` replaces the line of a document id the table has, and
    appends the others in order (a document id from ``new_from[table]`` on is new, and not
    looked for); every other line is copied as it is, byte for byte. None when a table to
    change is not in the store (the caller then writes the whole store)."""
    if any(name not in reader.sections for name in changes):
        return None
    view, cursor = memoryview(raw), 0
    out: list[bytes | memoryview] = []
    for section in reader.order:
        docs = dict(changes.get(section.name) or {})
        if not docs:
            continue
        assert section.end is not None
        if section.start == section.end:  # an empty table on one line: "name": {} and a comma or not
            opening = raw[section.head : section.start]
            lines = ",\n".join(doc_line(doc_id, doc) for doc_id, doc in docs.items()).encode()
            closing = b"\n},\n" if opening.endswith(b",\n") else b"\n}\n"
            out += [view[cursor : section.head], opening.rpartition(b"{}")[0] + b"{\n" + lines + closing]
            cursor = section.start
            continue
        replaced = []
        for doc_id, at in _lines_of(raw, section, [d for d in docs if int(d) < new_from.get(section.name, 1)]):
            end = raw.index(b"\n", at + 1) + 1
            replaced.append((at + 1, end, doc_line(doc_id, docs.pop(doc_id)).encode(), raw[end - 2] == ord(",")))
        for begin, end, line, comma in sorted(replaced):
            out += [view[cursor:begin], line + (b",\n" if comma or (end == section.end and docs) else b"\n")]
            cursor = end
        if docs:  # appended after the last line, which gets a comma
            if cursor < section.end:
                out += [view[cursor : section.end - 1], b",\n"]
            out.append(",\n".join(doc_line(doc_id, doc) for doc_id, doc in docs.items()).encode() + b"\n")
            cursor = section.end
    out.append(view[cursor:])
    return out


# --- any other layout -----------------------------------------------------------------------

_OPEN_DOC = re.compile(_WS + rb"\{")
_NAME = re.compile(_WS + rb'("(?:[^"\\]|\\.)*")' + _WS + rb":" + _WS + rb"\{")
_DOC_KEY = re.compile(_WS + rb'"(\d+)"' + _WS + rb":" + _WS + rb"\{")
_CLOSE = re.compile(_WS + rb"\}")
_COMMA = re.compile(_WS + rb",")
# Where a document may end: a '}' followed by the next document's key, or by a '}' (the table's
# end). The first never matches inside a string (there a '"' after ', ' is escaped, and after a
# closing quote no digit may follow); the second may, so a document it ends is always decoded.
_DOC_END = re.compile(rb"\}(?=" + _WS + rb"(?:(,)" + _WS + rb'"\d+"' + _WS + rb":" + _WS + rb"\{|\}))")
_MARGIN = 64 * 1024  # look-ahead a match may need beyond what it matched
_MISSES = 8  # a document's '}' that turned out to be text, before its end is found by decoding it whole
_AFTER_DOC = re.compile(_WS + rb"([,}])")
# A document's end followed by the next document's key and '{' (its id the group), or by the
# table's end (no group). Never inside a string, for the reason given above.
_NEXT = re.compile(rb"\}" + _WS + rb"(?:," + _WS + rb'"(\d+)"' + _WS + rb":" + _WS + rb"\{|\})")


class JsonReader(_Skeleton):
    """Finds the tables and documents of a store in any JSON layout, reading forward.

    A document that holds no nested object is split off without decoding: it ends at the
    first '}' followed by the next document's key. Others are decoded to find their end.
    """

    def __init__(self, read: Read, size: int) -> None:
        super().__init__(read, size)
        self._buf, self._pos = b"", 0  # bytes read ahead, and the file offset of their start
        opened = self._match(_OPEN_DOC, 0)
        if opened is None:
            raise LayoutError("not a JSON object of tables", 0)
        self._table_at(self._end(opened), first=True)

    def _fill(self, offset: int, need: int) -> None:
        """Make ``_buf`` hold the file from ``offset`` on for ``need`` bytes (or to its end)."""
        if not self._pos <= offset <= self._pos + len(self._buf):
            self._buf, self._pos = b"", offset
        elif offset - self._pos > CHUNK:
            self._buf, self._pos = self._buf[offset - self._pos :], offset
        while self._pos + len(self._buf) < min(offset + need, self.size):
            data = self.read(max(CHUNK, need), self._pos + len(self._buf))
            if not data:
                break
            self._buf += data

    def _match(self, pattern: re.Pattern[bytes], offset: int) -> re.Match[bytes] | None:
        self._fill(offset, _MARGIN)
        return pattern.match(self._buf, offset - self._pos)

    def _end(self, found: re.Match[bytes]) -> int:
        return self._pos + found.end()

    def _table_at(self, offset: int, *, first: bool) -> None:
        """Reads what follows a table (or the document's '{'): the next table's name, or the end."""
        closing = self._match(_CLOSE, offset)
        if closing:
            self._finish(self._end(closing))
            return
        if not first:
            comma = self._match(_COMMA, offset)
            if comma is None:
                raise LayoutError("expected ',' or '}' after a table", offset)
            offset = self._end(comma)
        named = self._match(_NAME, offset)
        if named is None:
            raise LayoutError("expected a table's name and '{'", offset)
        try:
            name = json.loads(named.group(1))
        except ValueError:
            raise LayoutError("a table name that is not valid JSON", offset) from None
        self._add(name, Section(name, self._end(named)), offset)

    def _advance(self) -> None:
        last = self.order[-1]
        if last.end is None:
            for _ in self.documents(last):
                pass
        assert last.end is not None
        self._table_at(last.end, first=False)

    def documents(
        self, section: Section, prefilter: Prefilter | None = None
    ) -> Iterator[tuple[str, bytes | None, int]]:
        """Every document of ``section``: its id, its JSON text (None when ``prefilter`` rules
        it out) and the offset of its '{'. The first pass over a table finds where it ends."""
        closing = self._match(_CLOSE, section.start)
        if closing:
            section.end = self._end(closing)
            return
        key = self._match(_DOC_KEY, section.start)
        if key is None:
            raise LayoutError("expected a document id and '{'", section.start)
        doc_id, start = key.group(1).decode(), self._end(key) - 1
        while True:
            self._fill(start, CHUNK)
            buf, base = self._buf, self._pos
            at = start - base
            # The common case, in one search per document: a document without a nested object,
            # followed by the next one's key.
            while True:
                found = _NEXT.search(buf, at + 1)
                if found is None or found.group(1) is None or buf.find(b"{", at + 1, found.start()) >= 0:
                    break
                end = found.start() + 1
                ruled_out = prefilter is not None and prefilter.rules_out(buf, at, end)
                yield doc_id, None if ruled_out else buf[at:end], base + at
                doc_id, at = found.group(1).decode(), found.end() - 1
            start = base + at
            if found is None and base + len(buf) < self.size:
                self._fill(start, len(buf) - at + CHUNK)  # read on
                continue
            # Anything else: find the end by decoding, and read what follows.
            end, text, last = self._document_end(start)
            if text is None:
                a, b = start - self._pos, end - self._pos
                text = None if prefilter and prefilter.rules_out(self._buf, a, b) else self._buf[a:b]
            yield doc_id, text, start
            if last:
                closing = self._match(_CLOSE, end)
                assert closing is not None  # the look-ahead that ended the document saw it
                section.end = self._end(closing)
                return
            comma, key = self._match(_COMMA, end), None
            if comma is not None:
                key = self._match(_DOC_KEY, self._end(comma))
            if key is None:
                raise LayoutError("expected a document id and '{'", end)
            doc_id, start = key.group(1).decode(), self._end(key) - 1

    def _document_end(self, start: int) -> tuple[int, bytes | None, bool]:
        """Where the document whose '{' is at ``start`` ends, its text when it had to be decoded
        to find that out, and whether it is its table's last."""
        need, after, misses = CHUNK, start + 1, 0
        while True:
            self._fill(start, need)
            buf, base = self._buf, self._pos
            if misses == _MISSES:  # a text full of '}': find the end in one pass instead
                return self._decoded_end(start)
            found = _DOC_END.search(buf, after - base)
            if (found is None or found.start() > len(buf) - _MARGIN) and base + len(buf) < self.size:
                need = len(buf) - (start - base) + CHUNK  # read on and look again
                continue
            if found is None:
                raise LayoutError("the file ended inside a table", start)
            end, last = base + found.end(), found.group(1) is None
            if not last and buf.find(b"{", start - base + 1, found.start()) < 0:
                return end, None, last  # no nested object: this '}' closes the document
            text = buf[start - base : found.end()]
            try:
                _loads(text)
            except ValueError:
                after, misses = end, misses + 1
                continue
            return end, text, last

    def _decoded_end(self, start: int) -> tuple[int, bytes, bool]:
        """``_document_end`` by decoding the document from its start, reading on (twice as far
        each time) while the file goes on: linear however many '}' its texts hold."""
        decoder, need = json.JSONDecoder(), CHUNK
        while True:
            self._fill(start, need)
            piece = self._buf[start - self._pos :]
            text = piece.decode("utf-8", "surrogateescape")  # bytes that are not UTF-8 are kept, to be named later
            try:
                _, stop = decoder.raw_decode(text)
            except RecursionError:
                raise LayoutError("a document nested too deeply", start) from None
            except ValueError:
                if self._pos + len(self._buf) >= self.size:
                    raise LayoutError("a document that is not valid JSON", start) from None
                need = 2 * len(piece)
                continue
            end = start + len(text[:stop].encode("utf-8", "surrogateescape"))
            after = self._match(_AFTER_DOC, end)
            if after is None:
                raise LayoutError("expected ',' or '}' after a document", end)
            return end, piece[: end - start], after.group(1) == b"}"


# --- tables -------------------------------------------------------------------------------------


def _loads(text: bytes) -> Any:
    import orjson  # imported only for large stores: importing it costs more than parsing a small one

    return orjson.loads(text)


class LazyTables(Mapping[str, "LazyTable"]):
    """The tables of a large store, found in the file as they are asked for.

    Reads in the line layout while the file follows it, and otherwise as any JSON. A
    ``LayoutError`` or ``DocumentError`` reaches the caller through ``fail``, which turns it
    into the store's own error.
    """

    def __init__(
        self,
        path: Path,
        fh: BinaryIO | Read,
        size: int,
        fail: Callable[[Exception], Exception],
        loads: Callable[[bytes], Any] | None = None,
    ) -> None:
        """``fh``: the open file, or how to read it (``reading_bytes`` of bytes already read).
        ``loads`` decodes a document (default: orjson); it may raise ``DocumentError``."""
        self.path, self.size, self.fail, self.loads = path, size, fail, loads
        self.fh = None if callable(fh) else fh  # held open as long as the tables are read
        self.read: Read = fh if callable(fh) else reading(fh)
        self.reader: LineReader | JsonReader
        try:
            self.reader = LineReader(self.read, size)
        except LayoutError:
            self.reader = self._any_json()
        self._tables: dict[str, LazyTable] = {}

    def _any_json(self) -> JsonReader:
        try:
            return JsonReader(self.read, self.size)
        except (LayoutError, DocumentError) as exc:
            raise self.fail(exc) from None

    def switch(self) -> None:
        """Leave the line layout: read the file as any JSON from now on."""
        if isinstance(self.reader, LineReader):
            self.reader = self._any_json()

    def _call(self, read: Callable[[], Any]) -> Any:
        try:
            return read()
        except LayoutError:
            if not isinstance(self.reader, LineReader):
                raise
        self.switch()
        return read()

    def __getitem__(self, name: str) -> LazyTable:
        if name not in self._tables:
            try:
                found = self._call(lambda: self.reader.section(name))
            except (LayoutError, DocumentError) as exc:
                raise self.fail(exc) from None
            if found is None:
                raise KeyError(name)
            self._tables[name] = LazyTable(self, name)
        return self._tables[name]

    def __iter__(self) -> Iterator[str]:
        try:
            names: list[str] = self._call(self.reader.names)
        except (LayoutError, DocumentError) as exc:
            raise self.fail(exc) from None
        return iter(names)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class LazyTable(Mapping[str, Record]):
    """A table whose documents are found and decoded one by one, as they are asked for."""

    def __init__(self, tables: LazyTables, name: str) -> None:
        self.tables, self.name = tables, name

    def _raw(self, prefilter: Prefilter | None) -> Iterator[tuple[str, bytes | None, int]]:
        """(doc id, JSON text or None when ruled out, offset) of every document, from whichever
        reader the file allows; after a change of reader, what was yielded is not yielded again."""
        after = -1
        while True:
            reader = self.tables.reader
            try:
                section = reader.section(self.name)
                if section is None:
                    return
                if isinstance(reader, JsonReader):
                    raw = reader.documents(section, prefilter)
                else:
                    raw = reader.documents(section) if prefilter is None else reader.candidates(section, prefilter)
                for item in raw:
                    if item[2] > after:
                        after = item[2]
                        yield item
                return
            except LayoutError:
                if not isinstance(reader, LineReader):
                    raise
                self.tables.switch()

    def _decoded(self, prefilter: Prefilter | None) -> Iterator[tuple[str, Record | None, int]]:
        """(doc id, document or None when ruled out, offset) of every document, each decoded
        once. A line the line layout cannot read as one document (two on a line, one over two)
        sends the reader to any JSON; a document id given twice is a ``DocumentError``."""
        if self.tables.loads is not None:
            loads: Callable[[bytes], Any] = self.tables.loads
        else:
            import orjson

            loads = orjson.loads
        after, seen = -1, None
        last = (0, "")  # ids in ascending order need no memory of them
        while True:
            reader = self.tables.reader
            try:
                for doc_id, text, offset in self._raw(prefilter):
                    if offset <= after:
                        continue
                    order = (len(doc_id), doc_id)
                    if seen is None and order <= last:  # out of order: from now on, ids are remembered
                        seen = self._ids_before(offset)
                    if seen is not None:
                        if doc_id in seen:
                            raise DocumentError(
                                f"holds document id '{doc_id}' a second time in table '{self.name}'", offset
                            )
                        seen.add(doc_id)
                    last = max(last, order)
                    doc = None
                    if text is not None:
                        try:
                            doc = loads(text)
                        except DocumentError as exc:  # decoded, and refused by ``loads`` itself
                            raise DocumentError(exc.problem, offset) from None
                        except (ValueError, RecursionError) as exc:  # not JSON (orjson's and json's errors)
                            if isinstance(reader, LineReader):
                                raise LayoutError("a line that is not one document", offset) from None
                            raise DocumentError(f"is not valid JSON: {exc}", offset) from None
                        if type(doc) is not dict:
                            raise DocumentError(f"is not a document of table '{self.name}'", offset)
                    after = offset
                    yield doc_id, doc, offset
                return
            except LayoutError:
                if not isinstance(reader, LineReader):
                    raise
                self.tables.switch()

    def _ids_before(self, offset: int) -> set[str]:
        ids = set()
        for doc_id, _, at in self._raw(None):
            if at >= offset:
                break
            ids.add(doc_id)
        return ids

    def select(self, match: Match | None, prefilter: Prefilter | None = None) -> list[Record]:
        """The documents for which ``match`` is true (all when None), in order, each decoded
        once; ``prefilter`` rules documents out from their bytes before decoding."""
        out = []
        # Decoding allocates a dict per document and none of them forms a reference cycle, so
        # the cyclic collector would only cost time (10-15% of a scan) while we iterate.
        collecting = gc.isenabled()
        gc.disable()
        try:
            for _, doc, _ in self._decoded(prefilter):
                if doc is not None and (match is None or match(doc)):
                    out.append(doc)
        except (LayoutError, DocumentError) as exc:
            raise self.tables.fail(exc) from None
        finally:
            if collecting:
                gc.enable()
        return out

    def count_hint(self) -> int | None:
        """How many documents the table holds, counted without decoding them: its lines, in the
        line layout; None otherwise."""
        reader = self.tables.reader
        if not isinstance(reader, LineReader):
            return None
        try:
            section = reader.section(self.name)
            return sum(buf.count(b"\n", 0, stop) for buf, stop, _ in reader.chunks(section)) if section else 0
        except LayoutError:
            return None

    def line_block(self) -> bytes | None:
        """Every document line of a table in the line layout, as one piece of bytes, its layout
        checked (each line starts a document, the table closes), no document decoded. None when
        the file is not in the line layout: then the documents are read one by one."""
        reader = self.tables.reader
        if not isinstance(reader, LineReader):
            return None
        try:
            section = reader.section(self.name)
            if section is None:
                return None
            return b"".join(buf[:stop] for buf, stop, _ in reader.chunks(section))
        except LayoutError:
            return None

    def items(self) -> Iterator[tuple[str, Record]]:  # type: ignore[override]
        try:
            for doc_id, doc, _ in self._decoded(None):
                assert doc is not None
                yield doc_id, doc
        except (LayoutError, DocumentError) as exc:
            raise self.tables.fail(exc) from None

    def __iter__(self) -> Iterator[str]:
        return (doc_id for doc_id, _ in self.items())

    def __getitem__(self, doc_id: str) -> Record:
        for key, doc in self.items():
            if key == doc_id:
                return doc
        raise KeyError(doc_id)

    def __len__(self) -> int:
        return sum(1 for _ in self.items())
