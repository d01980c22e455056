"""The package's modules import one another one way: no module imports, even inside a
function, a module that imports it back."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "policyq"


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules ``name`` imports anywhere in its text. ``from a import b`` is an
    import of the module ``a.b`` when there is one, else of ``a``."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            for alias in node.names:
                if f"{base}.{alias.name}" in known:
                    out.add(f"{base}.{alias.name}")
                elif base in known:
                    out.add(base)
    out.discard(name)
    return out


def graph() -> dict[str, set[str]]:
    """What each of the package's modules imports (a copy each call: a test may change it)."""
    return {name: set(found) for name, found in _parsed().items()}


@functools.cache  # the package is parsed once per process
def _parsed() -> dict[str, frozenset[str]]:
    found = modules()
    return {name: frozenset(imports(name, path, set(found))) for name, path in found.items()}


def cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import circle, as the modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_module_imports_a_module_that_imports_it_back() -> None:
    edges = graph()
    assert {"policyq.complete", "policyq.places", "policyq.query", "policyq.cli"} <= set(edges)
    found = cycle(edges)
    assert found is None, "import circle: " + " -> ".join(found or [])


def test_the_walk_sees_imports_inside_functions_and_finds_a_circle() -> None:
    edges = graph()
    assert "policyq.complete" in edges["policyq.cli"]
    assert "policyq.storage.paths" in edges["policyq.complete"]  # imported inside store_path
    assert cycle({**edges, "policyq.schema": edges["policyq.schema"] | {"policyq.complete"}}) is not None


def test_the_bottom_modules_import_nothing_above_them() -> None:
    edges = graph()
    for low in ("policyq.places", "policyq.vocab", "policyq.schema", "policyq.storage.paths", "policyq.choices"):
        assert "policyq.complete" not in edges[low], low
    assert edges["policyq.schema"] == set()
    assert edges["policyq.storage.paths"] <= {"policyq.errors"}


def test_the_storage_package_imports_nothing_itself_and_its_modules_have_names_of_their_own() -> None:
    """``import policyq.storage.paths`` (as a TAB does) loads nothing but ``paths``; no module
    elsewhere in the package shares a name with one of the storage modules."""
    edges = graph()
    assert edges["policyq.storage"] == set()
    init = ast.parse((PACKAGE / "storage" / "__init__.py").read_text(encoding="utf-8"))
    assert not [n for n in ast.walk(init) if isinstance(n, (ast.Import, ast.ImportFrom))]
    storage = {name.rpartition(".")[2] for name in edges if name.startswith("policyq.storage.")}
    assert storage >= {"paths", "files", "layout", "reading", "adapter", "validity"}
    elsewhere = [n for n in edges if not n.startswith("policyq.storage") and n.rpartition(".")[2] in storage]
    assert elsewhere == []


# What the command line may import: it adapts the API to argv and hands results to the renderers.
CLI_MAY_IMPORT = {"policyq", "policyq.api", "policyq.env", "policyq.errors", "policyq.schema", "policyq.complete"}


def test_the_command_line_imports_only_the_api_the_renderers_and_the_constants() -> None:
    edges = graph()
    beyond = {m for m in edges["policyq.cli"] if m not in CLI_MAY_IMPORT and not m.startswith("policyq.render")}
    assert not beyond, f"cli.py reaches past the API into {sorted(beyond)}"
    assert "policyq.api" in edges["policyq.cli"] and "policyq.render" in edges["policyq.cli"]


def test_no_two_modules_share_a_name() -> None:
    names = sorted(name.rpartition(".")[2] for name in modules() if not name.endswith("__main__"))
    twice = {n for n in names if names.count(n) > 1} - {"policyq"}
    assert not twice, f"modules of the same name: {sorted(twice)}"
