"""``tree``: the place hierarchy, as a tree on a terminal, nested JSON, or one row per place
(with its depth and path) for jsonl, csv and tsv."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from policyq.render import data
from policyq.render.human import Lookup, Record
from policyq.render.layout import Block, Column
from policyq.text import visible

ROW_FIELDS = ("depth", "path")  # added to each place's own fields in a flat row


def walk(nodes: Sequence[Record]) -> Iterator[tuple[Record, int, str, str, str]]:
    """Every place, parents first: (node, depth, path of ids, tree guide before its first line,
    guide before its later lines)."""
    stack = [(n, 0, str(n.get("id")), "", "") for n in reversed(nodes)]
    while stack:
        node, depth, path, first, later = stack.pop()
        yield node, depth, path, first, later
        kids = node.get("children") or []
        for i in reversed(range(len(kids))):
            last = i == len(kids) - 1
            kid = kids[i]
            guides = (later + ("└─ " if last else "├─ "), later + ("   " if last else "│  "))
            stack.append((kid, depth + 1, f"{path}/{kid.get('id')}", *guides))


def flatten(nodes: Sequence[Record]) -> list[Record]:
    """One row per place: depth (0 for the top), path of ids from the top, its own fields."""
    return [
        {"depth": depth, "path": path, **{k: v for k, v in node.items() if k != "children"}}
        for node, depth, path, _, _ in walk(nodes)
    ]


def select(nodes: Sequence[Record], fields: Sequence[str] | None) -> list[Record]:
    """Nested places cut to ``fields`` (children kept)."""
    if not fields:
        return list(nodes)
    out: list[Record] = []
    for node, depth, path, _, _ in walk(nodes):  # rebuilt with the same nesting
        row = {"depth": depth, "path": path, **node}
        picked = {f: row.get(f) for f in fields}
        picked["children"] = []
        _parent_list(out, depth).append(picked)
    return out


def _parent_list(roots: list[Record], depth: int) -> list[Record]:
    """The list a place at ``depth`` joins, in a tree being rebuilt in walk order."""
    siblings = roots
    for _ in range(depth):
        siblings = siblings[-1]["children"]
    return siblings


def _place(node: Record, lookup: Lookup) -> str:
    name = "  ".join(visible(str(p)) for p in (node.get("name"), node.get("name_zh")) if p)
    related = [visible(lookup.zone(z)) for z in node.get("related") or ()]
    return name + ("\n↔ related: " + ", ".join(related) if related else "")


def _kind(kind: Any) -> str:
    """A kind as words: 'county_city' reads 'county city'."""
    return visible(data.cell(kind)).replace("_", " ")


def _count(n: Any) -> str:
    return str(n) if n else ""


def columns(nodes: Sequence[Record], lookup: Lookup) -> list[Column]:
    walked = list(walk(nodes))
    return [
        Column(
            "Place",
            [_place(n, lookup) for n, *_ in walked],
            priority=0,
            want=26,  # with the guides of four levels, every count still fits at 80 columns
            lines=None,
            prefixes=[(first, later) for _, _, _, first, later in walked],
        ),
        Column("Kind", [_kind(n.get("kind")) for n, *_ in walked], priority=1, want=15, lines=2),
        Column("Code", [visible(data.cell(n.get("code"))) for n, *_ in walked], fixed=True, priority=3),
        Column("Targets", [_count(n.get("targets")) for n, *_ in walked], fixed=True, priority=2, right=True),
        Column("Indicators", [_count(n.get("indicators")) for n, *_ in walked], fixed=True, priority=2, right=True),
    ]


def draw(nodes: Sequence[Record], lookup: Lookup, size: int, wide: bool, header: bool) -> Block:
    """The tree as a table whose first column carries the guides, under a count of places."""
    from policyq.render import table

    cols = columns(nodes, lookup)
    block = table.grid(cols, size, wide, header)
    return table.framed(block, table.summary(len(cols[0].cells), None, "places", None), size) if header else block


def markdown(nodes: Sequence[Record], lookup: Lookup) -> str:
    """A nested list: name, Chinese name, kind, counts, related places."""
    lines = []
    for node, depth, _, _, _ in walk(nodes):
        facts = [f"{node[k]} {k if node[k] != 1 else k[:-1]}" for k in ("targets", "indicators") if node.get(k)]
        related = [lookup.zone(z) for z in node.get("related") or ()]
        parts = [f"**{data.md_text(str(node.get('name')))}**", data.md_text(str(node.get("name_zh") or ""))]
        text = " ".join(p for p in parts if p) + f" · {data.md_text(str(node.get('kind')))}"
        text += "".join(f" · {f}" for f in facts) + (
            f" · ↔ related: {data.md_text(', '.join(related))}" if related else ""
        )
        lines.append("  " * depth + "- " + text)
    return "\n".join(lines) + "\n"
