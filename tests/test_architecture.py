"""The one-way house: every import in src/bio2map goes from a higher room to a lower one.

Rooms, lowest first (docs/architecture.md): ``_version``, ``core``, ``catalog``,
``drafts``, ``formats``, ``render``, ``api``, ``cli``, and the package itself
(``bio2map/__init__.py``, ``__main__.py``). Every import counts: at module level,
inside functions and under ``TYPE_CHECKING``. A lower room reaches a higher one only
through :mod:`bio2map.core.hooks`.

Also: no function is longer than :data:`MAX_FUNCTION_LINES` lines unless a ``# Long by
design: <why>`` comment stands right above it.
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


# --- function length -------------------------------------------------------------------------

MAX_FUNCTION_LINES = 80
"""The longest a function may be (from its first decorator or ``def`` to its last line)
without a reason written next to it."""
LONG_MARKER = "# Long by design:"
"""A comment that starts with this, within the three lines above a function's ``def`` (or
its first decorator) and followed by the reason, lets it be longer."""

# Functions still over the limit in modules other engineers are reworking right now. This
# list must only shrink: when one is split (or gets a reason), take its name out (the test
# below fails while a name here is no longer long); never add a name to it.
_PENDING = frozenset(
    {
        "bio2map.formats.layers:parse_layer",
    }
)


def function_lengths(path: Path, module: str | None = None) -> list[tuple[str, int, int, bool]]:
    """``(module:qualified.name, first line, lines, has a reason)`` of every function."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    me = module or module_name(path)
    found: list[tuple[str, int, int, bool]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                assert child.end_lineno is not None
                above = (ln.strip() for ln in lines[max(first - 4, 0) : first - 1])
                marked = any(ln.startswith(LONG_MARKER) and ln != LONG_MARKER for ln in above)
                name = f"{prefix}{child.name}"
                found.append((f"{me}:{name}", first, child.end_lineno - first + 1, marked))
                visit(child, f"{name}.")
            else:
                visit(child, prefix)

    visit(ast.parse(text, filename=str(path)), "")
    return found


def long_functions() -> dict[str, str]:
    """Every function over the limit without a reason: name -> where and how long."""
    return {
        name: f"{path.relative_to(SRC.parent)}:{line}: {name} has {n} lines"
        for path in MODULES
        for name, line, n, marked in function_lengths(path)
        if n > MAX_FUNCTION_LINES and not marked
    }


def test_no_long_function_without_a_reason() -> None:
    wrong = sorted(where for name, where in long_functions().items() if name not in _PENDING)
    assert not wrong, (
        f"functions over {MAX_FUNCTION_LINES} lines: split them into named steps, or write "
        f"'{LONG_MARKER} <why>' right above the def:\n" + "\n".join(wrong)
    )


def test_pending_long_functions_are_still_long() -> None:
    """The allow-list stays honest: a name leaves it as soon as its function is fine."""
    stale = sorted(_PENDING - set(long_functions()))
    assert not stale, (
        "no longer over the limit (or now carry a reason, or are gone): take them out of "
        "_PENDING in tests/test_architecture.py:\n" + "\n".join(stale)
    )


def _function(name: str, lines: int, indent: str = "") -> str:
    """The source of a function ``name`` that is ``lines`` lines long."""
    return f"{indent}def {name}():\n" + f"{indent}    x = 1\n" * (lines - 1)


def test_the_length_check_sees_methods_decorators_and_reasons(tmp_path: Path) -> None:
    """The check can fail: methods and nested functions count, decorators count, a
    reason counts only when it is given, within three lines above the def."""
    tmp = tmp_path / "mod.py"
    tmp.write_text(
        _function("at_limit", MAX_FUNCTION_LINES)
        + "@decorator\n"
        + _function("decorated", MAX_FUNCTION_LINES)
        + "# Long by design: a table reads best in one piece\n@decorator\n"
        + _function("decorated_marked", 90)
        + "class C:\n"
        + _function("method", 81, "    ")
        + "    # Long by design: one linear state machine\n"
        + _function("marked", 81, "    ")
        + "# Long by design:\n"
        + _function("no_reason", 81)
        + "# Long by design: the reason\n# goes on\n# and on\n"
        + _function("three_above", 81)
        + "# Long by design: too far above\n\n\n\n"
        + _function("four_above", 81)
        + "def outer():\n"
        + _function("inner", 81, "    "),
        encoding="utf-8",
    )
    found = {
        name: (n, marked) for name, _line, n, marked in function_lengths(tmp, "bio2map.core.fake")
    }
    assert found == {
        "bio2map.core.fake:at_limit": (80, False),
        "bio2map.core.fake:decorated": (81, False),
        "bio2map.core.fake:decorated_marked": (91, True),
        "bio2map.core.fake:C.method": (81, False),
        "bio2map.core.fake:C.marked": (81, True),
        "bio2map.core.fake:no_reason": (81, False),
        "bio2map.core.fake:three_above": (81, True),
        "bio2map.core.fake:four_above": (81, False),
        "bio2map.core.fake:outer": (82, False),
        "bio2map.core.fake:outer.inner": (81, False),
    }
