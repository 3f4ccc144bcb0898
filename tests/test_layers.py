"""The tree reads as the architecture (docs/ARCHITECTURE.md): these tests keep it so.

- `sync_engine/core` is the pure core: it imports nothing that does I/O, reads a
  clock or draws random numbers, only the standard library's pure modules and
  its own modules.
- Dependencies point one way, `app -> sync_engine -> crypto`, and no module
  imports another that imports it back (imports inside functions count: a
  lazy import is still a cycle).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("app", "sync_engine", "crypto")

# What the pure core may import besides itself: no os, io, time, random, threading...
PURE_STDLIB = {
    "__future__",
    "bisect",
    "collections",
    "collections.abc",
    "dataclasses",
    "datetime",  # date arithmetic only: reading the clock is refused below
    "enum",
    "functools",
    "heapq",
    "itertools",
    "math",
    "operator",
    "re",
    "typing",
    "unicodedata",
    "crypto.reason",  # a plain value type (a kind and its parameters): why, never a sentence
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {
        module_name(p): p
        for package in PACKAGES
        for p in sorted((ROOT / package).rglob("*.py"))
        if ".venv" not in p.parts
    }


def imports_of(name: str, path: Path) -> Iterator[str]:
    """Every module `name` imports, anywhere in the file, as absolute names."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield target
            yield from (f"{target}.{alias.name}" for alias in node.names)


def internal_graph() -> dict[str, set[str]]:
    known = modules()
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        graph[name] = {t for t in imports_of(name, path) if t in known and t != name}
    return graph


def test_the_pure_core_imports_no_io() -> None:
    found = {}
    for name, path in modules().items():
        if not name.startswith("sync_engine.core"):
            continue
        bad = {
            t
            for t in imports_of(name, path)
            if not t.startswith("sync_engine.core")
            and t not in PURE_STDLIB
            and t.rpartition(".")[0] not in PURE_STDLIB
        }
        clock_reads = [
            node.func.attr
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("now", "today", "utcnow", "fromtimestamp")
        ]
        if bad or clock_reads:
            found[name] = sorted(bad) + clock_reads
    assert found == {}


def test_dependencies_point_one_way() -> None:
    rank = {"crypto": 0, "sync_engine": 1, "app": 2}
    backwards = [
        (src, dst)
        for src, targets in internal_graph().items()
        for dst in targets
        if rank[dst.split(".")[0]] > rank[src.split(".")[0]]
    ]
    assert backwards == []


# Inside sync_engine, a package may import only packages of a lower rank (docs/ARCHITECTURE.md).
ENGINE_RANK = {"core": 0, "stores": 0, "vault": 1, "transfer": 1, "disk": 2}
SHELL_RANK = 3  # engine, executor, live, events: sync_engine's own modules


def engine_rank(module: str) -> int:
    parts = module.split(".")
    return ENGINE_RANK.get(parts[1], SHELL_RANK) if len(parts) > 2 else SHELL_RANK


def test_engine_packages_import_downwards_only() -> None:
    upwards = [
        (src, dst)
        for src, targets in internal_graph().items()
        if src.startswith("sync_engine.") and src.count(".") > 1
        for dst in targets
        if dst.startswith("sync_engine.")
        and dst.count(".") > 1
        and engine_rank(dst) > engine_rank(src)
    ]
    assert upwards == []


def test_no_module_imports_another_that_imports_it_back() -> None:
    graph = internal_graph()
    # Importing a package runs its __init__, which is not a dependency of its own modules.
    for name in graph:
        graph[name] = {t for t in graph[name] if not name.startswith(t + ".")}
    cycles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert cycles == []
