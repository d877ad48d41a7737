"""The layout the README promises: no import cycle in bot/, and modules and functions
short enough to read, except the ones the README names."""

from __future__ import annotations

import ast

from tests.conftest import REPO

BOT = REPO / "bot"
LONG_MODULES = {"bot.answers.text"}  # README, "Size"


def module_name(path: object) -> str:
    rel = path.relative_to(REPO).with_suffix("")  # type: ignore[attr-defined]
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def modules() -> dict[str, ast.Module]:
    return {module_name(p): ast.parse(p.read_text("utf-8")) for p in sorted(BOT.rglob("*.py"))}


def imports(name: str, tree: ast.Module, known: set[str]) -> set[str]:
    """bot modules that `name` imports, at the top or inside a function (an import
    inside a function only postpones a cycle, it does not remove it)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module in known:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names} & known
    # A package's __init__ runs before any of its modules.
    parents = {".".join(m.split(".")[:i]) for m in found for i in range(1, m.count(".") + 1)}
    return (found | (parents & known)) - {name}


def test_no_import_cycle_in_bot() -> None:
    trees = modules()
    known = set(trees)
    graph = {name: imports(name, tree, known) for name, tree in trees.items()}
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            raise AssertionError("import cycle: " + " -> ".join([*path, name]))
        if name in done:
            return
        for other in sorted(graph[name]):
            visit(other, [*path, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])


def test_modules_and_functions_are_short() -> None:
    for name, tree in modules().items():
        lines = max((getattr(n, "end_lineno", 0) or 0) for n in ast.walk(tree))
        if name not in LONG_MODULES:
            assert lines <= 300, f"{name} has {lines} lines"
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or 0) - node.lineno + 1
                assert length <= 50, f"{name}.{node.name} has {length} lines"


# What each room may import besides itself (README, "How it fits together"): the
# answer path stands alone; tips use knowledge and the store; Slack uses them all.
ROOM_IMPORTS = {
    "bot.answers": set(),
    "bot.store": {"bot.tips"},  # migrations create every table, the tips' ones too
    "bot.tips": {"bot.answers", "bot.store", "bot.mrkdwn"},
    "bot.slack": {"bot.answers", "bot.store", "bot.tips", "bot.mrkdwn", "bot.config"},
}


def test_rooms_import_one_way() -> None:
    trees = modules()
    known = set(trees)
    for name, tree in trees.items():
        room = ".".join(name.split(".")[:2])
        if room not in ROOM_IMPORTS:
            continue
        for other in imports(name, tree, known) - {"bot"}:
            other_room = ".".join(other.split(".")[:2])
            if other_room != room:
                assert other_room in ROOM_IMPORTS[room], f"{name} imports {other}"


def test_pytest_prints_why_tests_were_skipped() -> None:
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    assert "-rs" in config["tool"]["pytest"]["ini_options"]["addopts"].split()
