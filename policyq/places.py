"""Resolving what a user typed to a place, and walking the place tree.

A place is named by its id, its name, an alias or its Chinese name (full or short: 苏州市,
苏州), its six-digit division code (320500), its English name with the word for its kind
("Jiangsu Province", "Suzhou City"), or a qualified form naming a place it lies in ("Suzhou,
Jiangsu", "Suzhou Jiangsu", "江苏苏州"). A name that fits several places is refused with
every candidate (``AmbiguousPlace``), never resolved to the first.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

from policyq.errors import UsageError


def key(text: str) -> str:
    """How a name is compared: case, '-', '_' and runs of spaces do not matter."""
    return " ".join(text.casefold().replace("_", " ").replace("-", " ").split())


_key = key
_CODE = re.compile(r"[0-9]{6}")
# The English words for a kind written after a name, and the kinds each may mean.
_CITY = ("city", "county_city", "municipality")
KIND_SUFFIXES: dict[str, tuple[str, ...]] = {
    "special administrative region": ("sar",),
    "autonomous region": ("autonomous_region",),
    "autonomous prefecture": ("autonomous_prefecture",),
    "autonomous county": ("autonomous_county",),
    "autonomous banner": ("autonomous_banner",),
    "forestry district": ("forestry_area",),
    "special district": ("special_district",),
    "province": ("province",),
    "municipality": ("municipality",),
    "sar": ("sar",),
    "prefecture": ("prefecture", "autonomous_prefecture", "city"),
    "league": ("league",),
    "city": _CITY,
    "shi": _CITY,
    "district": ("district",),
    "qu": ("district",),
    "county": ("county", "autonomous_county"),
    "xian": ("county", "autonomous_county"),
    "banner": ("banner", "autonomous_banner"),
    "region": ("autonomous_region", "region"),
}


@functools.cache
def _suffix() -> re.Pattern[str]:
    """A name followed by one of ``KIND_SUFFIXES`` ("Suzhou City"); compiled when first needed,
    as most names are found without it (compiling costs a millisecond at every start)."""
    return re.compile(r"^(.+?)\s+(" + "|".join(sorted(KIND_SUFFIXES, key=len, reverse=True)) + r")$")


def _starts_cjk(text: str) -> bool:
    """Whether ``text`` starts with a Chinese character (a character class over the range would
    cost milliseconds to compile at every start)."""
    return bool(text) and "\u3400" <= text[0] <= "\u9fff"


_SPACES = re.compile(r"\s+")
_EDGES = re.compile(" ?\x00 ?")
_OTHER_SPACE = re.compile(r"[^\S ]")  # white space other than ' ' (one character class: a fast scan)


def _zone_names(zid: str, zone: dict[str, Any]) -> list[str]:
    """The names a zone answers to: its id, name, Chinese name and aliases."""
    aliases = zone.get("aliases")  # a list in a valid store; anything else names nothing
    return [
        n
        for n in (zid, zone.get("name"), zone.get("name_zh"), *(aliases if isinstance(aliases, list) else ()))
        if n and isinstance(n, str)
    ]


class AmbiguousPlace(UsageError):
    """A name that fits several places. ``candidates`` holds their ids, in store order."""

    def __init__(self, message: str, text: str, candidates: list[str]) -> None:
        super().__init__(message)
        self.text, self.candidates = text, candidates


# One question looks up about a hundred names, each found faster by searching every name at once
# than by building a dict of them; an index kept for many questions (a notebook, a service)
# builds the dict once this many searches have cost about what building it does.
_SEARCHES_BEFORE_INDEX = 300

# What the index holds of each zone: what names it and where it lies.
HEAD_FIELDS = ("id", "name", "name_zh", "kind", "code", "parent", "related", "aliases")


class Places:
    """An index of zones by id, code, name, alias and Chinese name (case-insensitive).

    ``by_id`` gives each zone; ``record`` and ``records`` give zones whole, as they are
    stored. Built from whole zones; ``storage.zones.LinePlaces`` builds one from the start of
    the zones' lines (``HEAD_FIELDS``), and decodes a zone whole only when a query returns it
    or asks for another of its fields.
    """

    def __init__(self, zones: Iterable[dict[str, Any]]) -> None:
        heads: dict[str, dict[str, Any]] = {}
        self.by_id: Mapping[str, dict[str, Any]] = heads
        self.children: dict[str, list[str]] = {}
        self.by_code: dict[str, str] = {}
        self._index: dict[str, list[str]] | None = None
        self._text: str | None = None
        self._searches = 0  # names looked up in ``_text``
        self._ids: list[str] = []
        self._whole: dict[str, dict[str, Any]] = {}
        for zone in zones:
            zid = zone["id"]
            self._whole[zid] = heads[zid] = zone
            if zone.get("parent"):
                self.children.setdefault(zone["parent"], []).append(zid)
            if zone.get("code"):
                self.by_code.setdefault(zone["code"], zid)

    def record(self, zid: str) -> dict[str, Any]:
        """The zone ``zid`` whole (a ``KeyError`` when there is none)."""
        return self.records([zid])[0]

    def records(self, ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """The zones ``ids`` (every zone when None) whole, in that order."""
        wanted = list(self.by_id if ids is None else ids)
        missing = [zid for zid in wanted if zid not in self._whole]
        if missing:
            self._whole.update(self._decode(missing))
        return [self._whole[zid] for zid in wanted]

    def _decode(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """The zones ``ids`` whole, for an index built from their heads alone."""
        raise KeyError(ids[0])

    @property
    def _names(self) -> dict[str, list[str]]:
        """Ids by name key, every name (for suggestions), built on first use."""
        if self._index is None:
            index: dict[str, list[str]] = {}
            for zid, zone in self.by_id.items():
                for name in _zone_names(zid, zone):
                    ids = index.setdefault(key(name), [])
                    if zid not in ids:
                        ids.append(zid)
            self._index = index
        return self._index

    def _named(self, k: str) -> list[str]:
        """Ids of the zones with a name whose key is ``k``. Thousands of zones are searched as one
        string of their keys, in C; each hit is checked with ``key`` itself."""
        if self._index is not None or self._searches >= _SEARCHES_BEFORE_INDEX:
            return list(self._names.get(k, ()))
        self._searches += 1
        if self._text is None:
            self._text = self._search_text()
            self._ids = list(self.by_id)
        found, needle, at = [], f"\x00{k}\x00", self._text.find(f"\x00{k}\x00")
        while at >= 0:
            zid = self._ids[self._text.count("\x01", 0, at) - 1]
            if zid not in found and any(key(n) == k for n in _zone_names(zid, self.by_id[zid])):
                found.append(zid)
            at = self._text.find(needle, at + 1)
        return found

    def _search_text(self) -> str:
        """Every zone's names as keys in one string: each zone starts with "\\x01", each name is
        followed by "\\x00" (and the first preceded by one)."""
        text = self._names_text().casefold().replace("_", " ").replace("-", " ")
        if "  " in text or "\x00 " in text or " \x00" in text or _OTHER_SPACE.search(text):
            text = _EDGES.sub("\x00", _SPACES.sub(" ", text))  # as ``key`` folds white space
        return text

    def _names_text(self) -> str:
        """``_search_text`` before the names are made keys."""
        parts: list[str] = []
        add, extend = parts.append, parts.extend
        for zid, z in self.by_id.items():
            add("\x01")
            add(zid)
            add(z.get("name") or "")
            add(z.get("name_zh") or "")
            extend(z.get("aliases") or ())
        try:
            raw = "\x00".join(parts) + "\x00"
        except TypeError:  # a name that is not text, in a store not yet validated
            raw = "".join("\x01\x00" + "".join(f"{n}\x00" for n in _zone_names(i, z)) for i, z in self.by_id.items())
        return raw

    def matches(self, text: str) -> list[str]:
        """Ids of the zones ``text`` names exactly: an id, code, name, alias or Chinese name, an
        English name with its kind ('Suzhou City'), or a qualified form ('Suzhou, Jiangsu')."""
        if text in self.by_id:
            return [text]
        return self._plain(text) or self._qualified(text)

    def _plain(self, text: str) -> list[str]:
        stripped = text.strip()
        if _CODE.fullmatch(stripped):
            return [self.by_code[stripped]] if stripped in self.by_code else []
        k = key(text)
        if not k:
            return []
        found = self._named(k)
        if found:
            return found
        suffixed = _suffix().match(k)
        if suffixed:
            kinds = KIND_SUFFIXES[suffixed.group(2)]
            return [z for z in self._named(suffixed.group(1)) if self.by_id[z].get("kind") in kinds]
        return []

    def _qualified(self, text: str) -> list[str]:
        """'Suzhou, Jiangsu', 'Suzhou Jiangsu', 'Jiangsu Suzhou', '江苏苏州': a place and one it
        lies in, either way round."""
        if "," in text or "，" in text:
            splits = [tuple(re.split(r"\s*[,，]\s*", text.strip(), maxsplit=1))]
        else:
            words = text.split()
            if len(words) > 1:
                splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
            elif _starts_cjk(text) and 2 < len(text) <= 24:  # where a qualified form may be split
                splits = [(text[:i], text[i:]) for i in range(2, len(text) - 1)]
            else:
                return []
        found: list[str] = []
        for first, second in splits:
            for inner, outer in ((first, second), (second, first)):
                outers = set(self._plain(outer))
                if not outers:
                    continue
                for zid in self._plain(inner):
                    if zid not in found and outers & set(self.ancestors(zid)):
                        found.append(zid)
        return found

    def resolve(self, text: str) -> str:
        """The one zone ``text`` names; a usage error with suggestions when it names none, and
        ``AmbiguousPlace`` listing every candidate when it names several."""
        ids = self.matches(text)
        if len(ids) == 1:
            return ids[0]
        if ids:
            raise self.ambiguous(text, ids)
        if _CODE.fullmatch(text.strip()):
            raise UsageError(
                f"no place has the division code '{text.strip()}'; 'policyq zones --fields id,name,code' lists them"
            )
        raise UsageError(f"no place '{text}'{self.suggest(text)}")

    def ambiguous(self, text: str, ids: list[str]) -> AmbiguousPlace:
        """The refusal of a name that fits the places ``ids``: each with its Chinese name, where
        it lies and its code, and how to name one of them."""
        options = "; ".join(self.describe(i) for i in ids)
        if not any(self.by_id[i].get("code") for i in ids):
            return AmbiguousPlace(f"'{text}' names {len(ids)} places: {options}; use an id", text, list(ids))
        example = next((q for i in ids if (q := self.qualified(i)) and self.matches(q) == [i]), None)
        how = "say which with the code, the Chinese name" + (
            f" or a qualified form such as '{example}'" if example else ""
        )
        return AmbiguousPlace(f"'{text}' names {len(ids)} places: {options}; {how}", text, list(ids))

    def qualified(self, zid: str) -> str | None:
        """'Suzhou, Jiangsu': the place's name and its parent's (None under the country)."""
        zone = self.by_id[zid]
        parent = self.by_id.get(zone.get("parent") or "")
        if parent is None or parent.get("kind") == "country":
            return None
        return f"{zone['name']}, {parent['name']}"

    def describe(self, zid: str) -> str:
        """A candidate as a refusal lists it: '苏州市 (Suzhou, Jiangsu, 320500)', or for a
        place without a code, 'Name (id, kind)'."""
        zone = self.by_id[zid]
        if not zone.get("code"):
            return f"{zone['name']} ({zid}, {zone.get('kind')})"
        chain = [self.by_id[a]["name"] for a in self.ancestors(zid) if self.by_id[a].get("kind") != "country"]
        where = ", ".join([zone["name"], *chain[:2], zone["code"]])
        return f"{zone.get('name_zh') or zone['name']} ({where})"

    def suggest(self, text: str) -> str:
        """A did-you-mean phrase for an unknown place, or a pointer to the list of places."""
        import difflib

        k = key(text)
        names = {key(z["name"]): z["name"] for z in self.by_id.values()}
        names.update({n: self.by_id[ids[0]]["name"] for n, ids in self._names.items() if n not in names})
        close = difflib.get_close_matches(k, list(names), n=3, cutoff=0.6)
        if len(names) > 500:  # among thousands of short pinyin names a loose match is noise ('nothing': 'Yanting')
            close = [n for n in close if n[:1] == k[:1]]
        if not close:  # a word of a longer name, e.g. 'pudng' for 'pudong new area'
            words = {w: n for n in names for w in n.split() if len(w) > 3}
            close = [words[w] for w in difflib.get_close_matches(k, list(words), n=3, cutoff=0.75)]
        seen: list[str] = []
        for n in close:
            if names[n] not in seen:
                seen.append(names[n])
        if seen:
            return " — did you mean " + " or ".join(f"'{s}'" for s in seen) + "?"
        return "; 'policyq zones' lists the places"

    def descendants(self, zid: str) -> set[str]:
        """``zid`` and every place below it in the tree."""
        out, stack = set(), [zid]
        while stack:
            node = stack.pop()
            if node not in out:
                out.add(node)
                stack.extend(self.children.get(node, ()))
        return out

    def ancestors(self, zid: str) -> list[str]:
        """The parents of ``zid``, nearest first (stops at a cycle rather than looping)."""
        out: list[str] = []
        node = self.by_id.get(zid, {}).get("parent")
        while node and node not in out and node in self.by_id:
            out.append(node)
            node = self.by_id[node].get("parent")
        return out

    def name(self, zid: str) -> str:
        zone = self.by_id.get(zid)
        return zone["name"] if zone else zid
