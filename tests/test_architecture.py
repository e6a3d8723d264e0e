"""The one-way house: every import in src/bio2map goes from a higher room to a lower one.

Rooms, lowest first (docs/architecture.md): ``_version``, ``core``, ``catalog``,
``drafts``, ``formats``, ``render``, ``api``, ``cli``, and the package itself
(``bio2map/__init__.py``, ``__main__.py``). Every import counts: at module level,
inside functions and under ``TYPE_CHECKING``. A lower room reaches a higher one only
through :mod:`bio2map.core.hooks`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "bio2map"
ROOMS = ("_version", "core", "catalog", "drafts", "formats", "render", "api", "cli", "")
LEVEL = {room: i for i, room in enumerate(ROOMS)}
LEVEL["watch"] = LEVEL["api"]  # the front door of the watch: composes drafts and load()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


# deprecated aliases of the 0.1 module paths: top of the house, like the package itself
DEPRECATED = frozenset(
    {"query", "model", "ids", "vocab", "errors", "draftdiff", "parsers", "exporters", "notebook"}
)


def room(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in ("__init__", "__main__") or parts[1] in DEPRECATED:
        return ""
    return parts[1]


def imports(path: Path, module: str | None = None) -> list[tuple[int, str]]:
    """Every bio2map module that ``path`` imports (with the line), however it does it."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    me = module or module_name(path)
    package = me if path.name == "__init__.py" else me.rsplit(".", 1)[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("bio2map")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.startswith("bio2map"):
                found += [(node.lineno, f"{target}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
            arg = node.args[0] if node.args else None
            if isinstance(arg, ast.Constant) and str(arg.value).startswith("bio2map"):
                found.append((node.lineno, str(arg.value)))
    return found


def known_modules() -> set[str]:
    return {module_name(p) for p in SRC.rglob("*.py")}


def resolve(target: str, modules: set[str]) -> str:
    """``bio2map.core.ids.plain`` -> ``bio2map.core.ids`` (the module imported)."""
    while target not in modules and "." in target:
        target = target.rsplit(".", 1)[0]
    return target


MODULES = sorted(SRC.rglob("*.py"))


def test_every_module_is_in_a_room() -> None:
    for path in MODULES:
        assert room(module_name(path)) in LEVEL, f"{path}: not in a room of {ROOMS}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_no_import_goes_up(path: Path) -> None:
    modules = known_modules()
    me = module_name(path)
    wrong = []
    for line, target in imports(path):
        target = resolve(target, modules)
        if LEVEL[room(target)] > LEVEL[room(me)]:
            wrong.append(f"{path.relative_to(SRC.parent)}:{line}: {me} imports {target}")
    assert not wrong, "imports from a lower room to a higher one:\n" + "\n".join(wrong)


def test_import_graph_has_no_cycle() -> None:
    modules = known_modules()
    graph = {
        module_name(p): {resolve(t, modules) for _, t in imports(p)} - {module_name(p)}
        for p in MODULES
    }
    # a package imports its own submodules when they are named in an import: the edge
    # from a module to its parent package is what Python does anyway, not a design choice
    for mod, deps in graph.items():
        graph[mod] = {d for d in deps if not mod.startswith(d + ".")}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(mod: str) -> None:
        state[mod] = 1
        stack.append(mod)
        for dep in sorted(graph.get(mod, ())):
            if state.get(dep) == 1:
                cycle = [*stack[stack.index(dep) :], dep]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if dep not in state:
                visit(dep)
        stack.pop()
        state[mod] = 2

    for mod in sorted(graph):
        if mod not in state:
            visit(mod)


def test_the_checker_sees_every_kind_of_import(tmp_path: Path) -> None:
    """The check can fail: imports under TYPE_CHECKING, inside functions, relative ones."""
    tmp = tmp_path / "mod.py"
    tmp.write_text(
        "TYPE_CHECKING = False\n"
        "if TYPE_CHECKING:\n    from bio2map.catalog.catalog import Catalog\n"
        "def f():\n    from ..render import table\n"
        "def g():\n    import importlib; importlib.import_module('bio2map.cli.main')\n",
        encoding="utf-8",
    )
    modules = known_modules()
    found = [resolve(t, modules) for _, t in imports(tmp, "bio2map.core.fake")]
    assert room("bio2map.notebook") == ""  # a deprecated alias sits at the top
    assert found == ["bio2map.catalog.catalog", "bio2map.render.table", "bio2map.cli.main"]
    assert all(LEVEL[room(t)] > LEVEL["core"] for t in found)
