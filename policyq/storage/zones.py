"""The place index of a store in the line layout, read off the start of the zones' lines.

policyq writes each zone with the fields that name and place it first, in the order the schema
declares them: ``id, name, name_zh, kind, code, parent, related, aliases``
(``places.HEAD_FIELDS``). One regular expression over the zones table reads those from every
line without decoding any zone, and a zone is decoded whole only when a query returns it, so
a query naming a place among the 3,200 of the gazetteer decodes the few places it answers
with. When a line does not start so (a store written by hand or by another tool, a text with
escapes, a document id given twice), ``line_places`` gives None and the caller decodes the
table whole, as before.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from policyq.places import HEAD_FIELDS, Places
from policyq.storage.layout import LazyTable

_T = rb'[^"\\\x00-\x1f]'  # a byte a string may hold written plainly: its text is its bytes
_MAYBE = rb'(?:"(' + _T + rb'+)"|null)'  # a text or null; an empty text does not match (null is b'')
_LIST = rb'\[((?:"' + _T + rb'*"(?:, "' + _T + rb'*")*)?)\]'
HEAD = re.compile(
    rb'\n"(\d+)": \{"id": "(' + _T + rb'*)", "name": "(' + _T + rb'*)", "name_zh": ' + _MAYBE
    + rb', "kind": ' + _MAYBE + rb', "code": ' + _MAYBE + rb', "parent": ' + _MAYBE
    + rb', "related": ' + _LIST + rb', "aliases": ' + _LIST + rb"[,}]"
)  # fmt: skip
# A row: the document id, then the zone's id, name, name_zh, kind, code and parent (b'' for
# null), and its related places and aliases as written between the brackets (b'"a", "b"').
Row = tuple[bytes, bytes, bytes, bytes, bytes, bytes, bytes, bytes, bytes]
MANY = 32  # more zones than this are decoded in one pass over the table


def _text(value: bytes) -> str | None:
    return value.decode() if value else None


def _items(listed: bytes) -> list[str]:
    return listed[1:-1].decode().split('", "') if listed else []


def _head(row: Row) -> dict[str, Any]:
    _, zid, name, name_zh, kind, code, parent, related, aliases = row
    values = (zid.decode(), name.decode(), *map(_text, (name_zh, kind, code, parent)), _items(related), _items(aliases))
    return dict(zip(HEAD_FIELDS, values, strict=True))


class Head(dict[str, Any]):
    """A zone's head (``HEAD_FIELDS``), which answers for any other field from the zone whole,
    decoded when such a field is first asked for."""

    __slots__ = ("_whole",)

    def __init__(self, head: dict[str, Any], whole: Callable[[], dict[str, Any]]) -> None:
        super().__init__(head)
        self._whole = whole

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key, default) if key in HEAD_FIELDS else self._whole().get(key, default)

    def __getitem__(self, key: str) -> Any:
        return super().__getitem__(key) if key in HEAD_FIELDS else self._whole()[key]

    def __contains__(self, key: object) -> bool:
        return super().__contains__(key) if key in HEAD_FIELDS else key in self._whole()


class Heads(Mapping[str, dict[str, Any]]):
    """Zones' heads by id, each made a ``Head`` when it is first asked for; ``whole`` gives a
    zone whole by its id."""

    def __init__(self, rows: dict[str, Row], whole: Callable[[str], dict[str, Any]]) -> None:
        self.rows, self.whole = rows, whole
        self._made: dict[str, dict[str, Any]] = {}

    def __getitem__(self, zid: str) -> dict[str, Any]:
        head = self._made.get(zid)
        if head is None:
            head = self._made[zid] = Head(_head(self.rows[zid]), lambda: self.whole(zid))
        return head

    def __contains__(self, zid: object) -> bool:
        return zid in self.rows

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


class LinePlaces(Places):
    """``Places`` over the heads ``HEAD`` read off the zones' lines (``lines``, the table's
    lines, each after a newline), decoding a zone whole from its line when it is asked for."""

    def __init__(self, rows: list[Row], lines: bytes, table: LazyTable) -> None:
        super().__init__(())
        self._rows = {row[1].decode(): row for row in rows}
        self.by_id = Heads(self._rows, self.record)
        self._lines, self._table = lines, table
        children, by_code = self.children, self.by_code
        for zid, row in self._rows.items():
            if row[6]:
                children.setdefault(row[6].decode(), []).append(zid)
            if row[5]:
                by_code.setdefault(row[5].decode(), zid)

    def _names_text(self) -> str:
        # Names hold no '"': the aliases as written become names apart once joined.
        parts = [b"\x01\x00%b\x00%b\x00%b\x00%b" % (r[1], r[2], r[3], r[8][1:-1]) for r in self._rows.values()]
        return (b"\x00".join(parts) + b"\x00").replace(b'", "', b"\x00").decode()

    def _decode(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        for zid in ids:
            if zid not in self._rows:
                raise KeyError(zid)
        if len(ids) <= MANY:
            found = self._lines_of(ids)
            if all(found.values()):
                return {zid: zone for zid, zone in found.items() if zone}
        # Many zones, or a line not read here as one zone: one pass, every line checked.
        whole = {z["id"]: z for z in self._table.select(None)}
        return {zid: whole[zid] for zid in ids}

    def _lines_of(self, ids: list[str]) -> dict[str, dict[str, Any] | None]:
        """The zones ``ids``, each decoded from the line whose head ``HEAD`` read (found in one
        pass by its document id); None for one that cannot be read here."""
        docs = {self._rows[zid][0]: zid for zid in ids}
        out: dict[str, dict[str, Any] | None] = dict.fromkeys(ids)
        lines = self._lines
        for found in re.finditer(rb'\n"(' + b"|".join(docs) + rb')": ', lines):
            zid = docs[found.group(1)]
            end = lines.find(b"\n", found.end())
            try:
                zone = json.loads(lines[found.end() : end].removesuffix(b","))
            except (ValueError, RecursionError):
                continue
            if type(zone) is dict and zone.get("id") == zid:
                out[zid] = zone
        return out


def line_places(table: LazyTable) -> LinePlaces | None:
    """The place index of a zones table in the line layout, from the heads of its lines; None
    when a line does not start with its head written plainly, or a document id or a zone id
    is given twice (then the table is decoded whole)."""
    block = table.line_block()
    if block is None:
        return None
    lines = b"\n" + block
    rows: list[Row] = HEAD.findall(lines)
    if len(rows) != block.count(b"\n") or not len(rows) == len({r[0] for r in rows}) == len({r[1] for r in rows}):
        return None
    try:  # the heads must be UTF-8 text, as a whole decode would require
        b"\x00".join(b"%b%b%b%b%b%b%b%b" % r[1:] for r in rows).decode()
    except UnicodeDecodeError:
        return None
    return LinePlaces(rows, lines, table)
