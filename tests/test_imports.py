"""The import graph of toolkit/: no cycles, and no pipeline stage importing a later one.

Imports are read from the source (module level and inside functions alike, so a lazy import cannot hide
a cycle); imports under ``if TYPE_CHECKING:`` are type hints only and are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "toolkit"

#: pipeline order: a module may import its own stage or earlier ones, never a later one
STAGES = ["read", "normalize", "structure", "annotate", "translate", "summarize", "render", "check"]
RANK = {"read": 0, "normalize": 1, "structure": 2, "annotate": 3, "translate": 4, "summarize": 5,
        "render": 6, "check": 6}



def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (
        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST):
    """Import nodes of a module, skipping ``if TYPE_CHECKING:`` bodies."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from (n for sub in node.orelse for n in _imports_of(sub))
            continue
        yield from _imports_of(node)


def _imports_of(node: ast.AST):
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
    else:
        yield from _imports(node)


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}

    def owner(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for mod, path in modules.items():
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        targets: set[str] = set()
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([node.module] if node.module else []))
                names = [f"{base}.{a.name}" for a in node.names]
            for name in names:
                if name.split(".")[0] == "toolkit" and (t := owner(name)) and t != mod:
                    targets.add(t)
        graph[mod] = targets
    return graph


def stage_of(mod: str) -> str | None:
    parts = mod.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in RANK else None


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_walker_sees_lazy_imports_and_skips_type_hints():
    graph = import_graph()
    assert "toolkit.annotate" in graph["toolkit.pipeline"]  # imported inside load_document
    assert "toolkit.translate.engine" not in graph["toolkit.pipeline"]  # under TYPE_CHECKING only
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles():
    found = cycles(import_graph())
    assert not found, f"import cycles: {found}"


def test_no_stage_imports_a_later_stage():
    graph = import_graph()
    back = sorted(
        (mod, target)
        for mod, targets in graph.items()
        for target in targets
        if (a := stage_of(mod)) and (b := stage_of(target)) and RANK[b] > RANK[a]
    )
    assert not back, "earlier stage imports a later one: " + ", ".join(f"{m} -> {t}" for m, t in back)


def test_every_stage_exists():
    mods = set(import_graph())
    assert all(f"toolkit.{s}" in mods for s in STAGES)
