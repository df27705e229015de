"""The source keeps the shape docs/architecture.md describes: layers, no private names across modules, no cycles."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src" / "tdplan"
MAX_LINES = 550  # "about 500": a module a reader can hold in mind
LAYERS = ("core", "planfiles", "analysis", "reports", "exchange", "cli", "service")


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(SOURCE.rglob("*.py"))}


def resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute module an ImportFrom names (relative imports resolved against ``module``)."""
    if node.level == 0:
        return node.module or ""
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def private_imports(module: str, tree: ast.Module) -> Iterator[str]:
    """``from tdplan.x import _name`` where x is another module; ``alias._name`` on an imported tdplan module."""
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = resolve(module, node)
            if not source.startswith("tdplan") or source == module:
                continue
            for name in node.names:
                if name.name.startswith("_") and not name.name.startswith("__"):
                    yield f"{module} imports {source}.{name.name}"
                if f"{source}.{name.name}" in MODULES:
                    aliases[name.asname or name.name] = f"{source}.{name.name}"
        elif isinstance(node, ast.Import):
            for name in node.names:
                if name.name.startswith("tdplan") and name.asname:
                    aliases[name.asname] = name.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            yield f"{module} uses {aliases[node.value.id]}.{node.attr}"


def top_level_imports(module: str, tree: ast.Module) -> set[str]:
    """The tdplan modules ``module`` imports when it is imported (not in functions, not for type checking)."""
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for child in ast.walk(node) if not isinstance(node, ast.FunctionDef | ast.ClassDef) else ():
            if isinstance(child, ast.ImportFrom):
                source = resolve(module, child)
                for name in child.names:
                    target = f"{source}.{name.name}"
                    found.add(target if target in MODULES else source)
            elif isinstance(child, ast.Import):
                found.update(name.name for name in child.names)
    return {name for name in found if name in MODULES and name != module}


def trees() -> Iterator[tuple[str, ast.Module]]:
    for module, path in MODULES.items():
        yield module, ast.parse(path.read_text("utf-8"), str(path))


class TestShape:
    def test_layers_are_folders(self) -> None:
        """Every module but the package's own entry points lives in a layer's folder."""
        loose = [path.name for path in SOURCE.glob("*.py") if path.name not in ("__init__.py", "__main__.py")]
        assert [] == loose
        folders = {path.name for path in SOURCE.iterdir() if path.is_dir() and (path / "__init__.py").exists()}
        assert {"core", "planfiles", "analysis", "reports", "cli"} <= folders <= set(LAYERS)

    def test_no_private_name_crosses_a_module_border(self) -> None:
        """No module imports, or reaches into, another module's underscore name."""
        crossings = [crossing for module, tree in trees() for crossing in private_imports(module, tree)]
        assert [] == crossings

    def test_the_check_finds_a_crossing(self) -> None:
        """The check above would see one (it is not vacuous)."""
        tree = ast.parse("from tdplan.core.notation import _check_text\nimport tdplan.core.units as u\nu._ROUNDED")
        assert 2 == len(list(private_imports("tdplan.cli.main", tree)))

    def test_no_import_cycle_at_module_level(self) -> None:
        """The graph of imports made at import time has no cycle."""
        graph = {module: top_level_imports(module, tree) for module, tree in trees()}
        done: set[str] = set()
        path: list[str] = []

        def visit(module: str) -> None:
            if module in path:
                cycle = [*path[path.index(module) :], module]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if module in done:
                return
            path.append(module)
            for target in sorted(graph[module]):
                visit(target)
            path.pop()
            done.add(module)

        sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
        for module in graph:
            visit(module)
        assert graph["tdplan.analysis.tables"] >= {"tdplan.analysis.scorecard", "tdplan.analysis.reading"}

    @pytest.mark.parametrize("module", sorted(MODULES))
    def test_modules_fit_in_mind(self, module: str) -> None:
        """No module is much over 500 lines."""
        lines = MODULES[module].read_text("utf-8").count("\n")
        assert lines <= MAX_LINES, f"{module} has {lines} lines: split it by idea"
