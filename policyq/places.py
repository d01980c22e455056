"""Resolving what a user typed to a place, and walking the place tree."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from policyq.errors import UsageError


def _key(text: str) -> str:
    return " ".join(text.casefold().replace("_", " ").replace("-", " ").split())


class Places:
    """An index of zones by id, name, alias and Chinese name (case-insensitive)."""

    def __init__(self, zones: Iterable[dict[str, Any]]) -> None:
        self.by_id: dict[str, dict[str, Any]] = {}
        self.children: dict[str, list[str]] = {}
        self._names: dict[str, list[str]] = {}
        for zone in zones:
            zid = zone["id"]
            self.by_id[zid] = zone
            if zone.get("parent"):
                self.children.setdefault(zone["parent"], []).append(zid)
            for name in (zid, zone.get("name"), zone.get("name_zh"), *(zone.get("aliases") or ())):
                if name:
                    ids = self._names.setdefault(_key(name), [])
                    if zid not in ids:
                        ids.append(zid)

    def matches(self, text: str) -> list[str]:
        """Ids of the zones ``text`` names exactly (id, name, alias or Chinese name)."""
        if text in self.by_id:
            return [text]
        return list(self._names.get(_key(text), ()))

    def resolve(self, text: str) -> str:
        """The one zone ``text`` names; a usage error with suggestions when it names none or several."""
        ids = self.matches(text)
        if len(ids) == 1:
            return ids[0]
        if ids:
            options = ", ".join(f"'{i}' ({self.by_id[i]['name']})" for i in ids)
            raise UsageError(f"'{text}' names several places: {options}; use an id")
        raise UsageError(f"no place '{text}'{self.suggest(text)}")

    def suggest(self, text: str) -> str:
        """A did-you-mean phrase for an unknown place, or a pointer to the list of places."""
        import difflib

        key = _key(text)
        names = {_key(z["name"]): z["name"] for z in self.by_id.values()}
        names.update({k: self.by_id[ids[0]]["name"] for k, ids in self._names.items() if k not in names})
        close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.6)
        if not close:  # a word of a longer name, e.g. 'pudng' for 'pudong new area'
            words = {w: k for k in names for w in k.split() if len(w) > 3}
            close = [words[w] for w in difflib.get_close_matches(key, list(words), n=3, cutoff=0.75)]
        seen: list[str] = []
        for k in close:
            if names[k] not in seen:
                seen.append(names[k])
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
