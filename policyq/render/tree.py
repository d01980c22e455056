"""``tree``: the place hierarchy, as a tree on a terminal, nested JSON, or one row per place
(with its depth and path) for jsonl, csv and tsv."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from policyq.render import data
from policyq.render.cells import Block, Column, wrap
from policyq.render.human import Lookup, Record, kind_word
from policyq.text import visible


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
    joins = [out]  # joins[d]: the list a place at depth d joins, in a tree rebuilt in walk order
    for node, depth, path, _, _ in walk(nodes):
        row = {"depth": depth, "path": path, **node}
        children: list[Record] = []
        picked = {**{f: row.get(f) for f in fields}, "children": children}
        del joins[depth + 1 :]
        joins[depth].append(picked)
        joins.append(children)
    return out


def to_json(nodes: Sequence[Record]) -> str:
    """Nested places as ``data.to_json`` writes any value (indented by two), but without
    recursion: a chain of places thousands deep is written like any other tree."""
    out: list[str] = []
    todo: list[str | tuple[Sequence[Record], int]] = [(nodes, 0)]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        kids, level = item
        if not kids:
            out.append("[]")
            continue
        pad, inner = "  " * level, "  " * (level + 1)
        steps: list[str | tuple[Sequence[Record], int]] = ["["]
        for n, node in enumerate(kids):
            own = data.to_json({k: v for k, v in node.items() if k != "children"}).rstrip("\n")
            own = own.replace("\n", "\n" + inner)
            steps.append(("," if n else "") + "\n" + inner)
            if "children" not in node:
                steps.append(own)
                continue
            head = "{\n" if own == "{}" else own[: -len(inner) - 2] + ",\n"  # the object without its '}'
            steps += [head + inner + '  "children": ', (node["children"] or [], level + 2), "\n" + inner + "}"]
        steps.append("\n" + pad + "]")
        todo.extend(reversed(steps))
    return "".join(out) + "\n"


def _place(node: Record, lookup: Lookup) -> str:
    name = "  ".join(visible(str(p)) for p in (node.get("name"), node.get("name_zh")) if p)
    related = [visible(lookup.zone(z)) for z in node.get("related") or ()]
    return name + ("\n↔ related: " + ", ".join(related) if related else "")


LEGEND = "Targets, Indicators: the place's own + those of the places within it."


def totals(nodes: Sequence[Record], key: str) -> dict[int, int]:
    """For each place (by ``id()`` of its node), ``key`` counted over it and every place within it."""
    out: dict[int, int] = {}
    for node, *_ in reversed(list(walk(nodes))):  # each place after every place within it: no recursion
        out[id(node)] = _own(node, key) + sum(out[id(k)] for k in node.get("children") or ())
    return out


def _own(node: Record, key: str) -> int:
    value = node.get(key)
    return value if isinstance(value, int) else 0


def _count(node: Record, key: str, total: dict[int, int]) -> str:
    """'2' (its own), '2 + 5' (its own and those within it), '0 + 3', or nothing."""
    own = _own(node, key)
    within = total.get(id(node), 0) - own
    if not within:
        return str(own) if own else ""
    return f"{own} + {within}"


def columns(nodes: Sequence[Record], lookup: Lookup) -> list[Column]:
    walked = list(walk(nodes))
    targets, indicators = totals(nodes, "targets"), totals(nodes, "indicators")
    return [
        Column(
            "Place",
            [_place(n, lookup) for n, *_ in walked],
            priority=0,
            want=26,  # with the guides of four levels, every count still fits at 80 columns
            lines=None,
            prefixes=[(first, later) for _, _, _, first, later in walked],
        ),
        Column("Kind", [visible(kind_word(n.get("kind"))) for n, *_ in walked], priority=1, want=15, lines=2),
        Column("Code", [visible(data.cell(n.get("code"))) for n, *_ in walked], fixed=True, priority=3),
        Column("Targets", [_count(n, "targets", targets) for n, *_ in walked], fixed=True, priority=2, right=True),
        Column(
            "Indicators", [_count(n, "indicators", indicators) for n, *_ in walked], fixed=True, priority=2, right=True
        ),
    ]


def draw(nodes: Sequence[Record], lookup: Lookup, size: int, wide: bool, header: bool) -> Block:
    """The tree as a table whose first column carries the guides, under a count of places."""
    from policyq.render import table

    cols = columns(nodes, lookup)
    block = table.grid(cols, size, wide, header)
    if not header:
        return block
    out = table.framed(block, table.summary(len(cols[0].cells), None, "places", None), size)
    if any("+" in c for col in cols[2:] for c in col.cells):
        out.text([""] * (not block.hidden and not block.cut))
        out.text(wrap(LEGEND, size)[0], "dim")
    return out


def markdown(nodes: Sequence[Record], lookup: Lookup) -> str:
    """A nested list: name, Chinese name, kind, counts, related places."""
    lines = []
    total = {k: totals(nodes, k) for k in ("targets", "indicators")}
    for node, depth, _, _, _ in walk(nodes):
        facts = []
        for k in ("targets", "indicators"):
            own = _own(node, k)
            within = total[k][id(node)] - own
            if own or within:
                text = f"{own} {k if own != 1 else k[:-1]}"
                facts.append(text + (f" (+{within} within)" if within else ""))
        related = [lookup.zone(z) for z in node.get("related") or ()]
        parts = [f"**{data.md_text(str(node.get('name')))}**", data.md_text(str(node.get("name_zh") or ""))]
        text = " ".join(p for p in parts if p) + f" · {data.md_text(kind_word(node.get('kind')))}"
        text += "".join(f" · {f}" for f in facts) + (
            f" · ↔ related: {data.md_text(', '.join(related))}" if related else ""
        )
        lines.append("  " * depth + "- " + text)
    return "\n".join(lines) + "\n"
