"""The package's shape: no import cycles between its modules, no module over its size budget.

The graph has an edge a -> b when module a imports module b anywhere (top level or inside a
function: a lazy import is still a dependency), except imports under ``if TYPE_CHECKING:``,
which exist for type hints only. ``from qecsim.x import y`` is an edge to ``qecsim.x.y`` when
that is a module, else to ``qecsim.x``.
"""

from __future__ import annotations

import ast
import pathlib

import pytest

import qecsim

PACKAGE = pathlib.Path(qecsim.__file__).parent
# qecsim.decoders and qecsim.distributed alias qecsim.decoding.registry and
# qecsim.sampling.dask_backend (the same module objects under their first-round names).
ALIASES = {"qecsim.decoders": "qecsim.decoding.registry",
           "qecsim.distributed": "qecsim.sampling.dask_backend"}


def module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> dict[str, pathlib.Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported_modules(name: str, path: pathlib.Path, modules: dict[str, pathlib.Path]) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    is_package = path.name == "__init__.py"
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            for alias in node.names:
                candidate = f"{source}.{alias.name}"
                found.add(candidate if candidate in modules or candidate in ALIASES else source)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    edges = set()
    for target in found:
        target = ALIASES.get(target, target)
        if target in modules and target != name:
            edges.add(target)
    return edges


def import_graph() -> dict[str, set[str]]:
    modules = all_modules()
    return {name: imported_modules(name, path, modules) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target):], target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_package_has_no_import_cycle():
    # The root package (which re-exports the public names) is a node like any other: the
    # command line may import it, a module the root imports may not.
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_lazy_imports_count_and_type_checking_imports_do_not(tmp_path):
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from qecsim.noise.model import NoiseModel\n"
        "def f():\n    from qecsim.analysis import plots\n"
    )
    path = tmp_path / "m.py"
    path.write_text(source)
    edges = imported_modules("qecsim.x", path, all_modules())
    assert edges == {"qecsim.analysis.plots"}


# Modules allowed over the ~600-line budget, with the reason (see docs/design.md).
LARGE_MODULES: dict[str, str] = {
}


@pytest.mark.parametrize("name", sorted(all_modules()))
def test_module_size(name):
    lines = len(all_modules()[name].read_text().splitlines())
    if name in LARGE_MODULES:
        return
    assert lines <= 650, f"{name} has {lines} lines; split it or list it in LARGE_MODULES"
