"""The layout the README promises: no import cycle in bot/; rooms that import one way,
features that never import one another; and modules and functions short enough to
read, except the ones the README names."""

from __future__ import annotations

import ast

from tests.conftest import REPO

BOT = REPO / "bot"
LONG_MODULES = {"bot.answers.text"}  # docs/architecture.md, "Size"


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
# answer path stands alone; the store and Slack's shared parts know no feature; a
# feature folder uses the shared rooms and never another feature.
SHARED_ROOMS = {
    "bot.answers": set(),
    "bot.store": set(),
    "bot.slack": {"bot.answers", "bot.store", "bot.mrkdwn", "bot.config"},
}
FEATURES = {"bot.tips", "bot.team", "bot.curation", "bot.local", "bot.handoff", "bot.workspaces"}
FEATURE_MAY_USE = {"bot.answers", "bot.store", "bot.slack", "bot.mrkdwn", "bot.config"}


def room_of(name: str) -> str:
    """bot.team.store -> bot.team; a module at the top of bot/ is its own room."""
    return ".".join(name.split(".")[:2])


def room_imports() -> list[tuple[str, str]]:
    """(module, bot module of another room it imports), for every module in bot/."""
    trees = modules()
    known = set(trees)
    return [
        (name, other)
        for name, tree in trees.items()
        for other in sorted(imports(name, tree, known) - {"bot"})
        if room_of(other) != room_of(name)
    ]


def test_shared_rooms_import_one_way() -> None:
    for name, other in room_imports():
        if room_of(name) in SHARED_ROOMS:
            assert room_of(other) in SHARED_ROOMS[room_of(name)], f"{name} imports {other}"


def test_features_use_shared_rooms_only() -> None:
    for name, other in room_imports():
        if room_of(name) in FEATURES:
            assert room_of(other) in FEATURE_MAY_USE, f"{name} imports {other}"


def test_only_the_top_of_bot_imports_a_feature() -> None:
    """The composition root (bot/compose.py, bot/schema.py) and the commands that start
    things (bot/cli*.py, bot/serving.py, bot/report.py) sit at the top of bot/; no room
    below them imports a feature but the feature itself."""
    for name, other in room_imports():
        if room_of(other) in FEATURES:
            assert name.count(".") == 1, f"{name} imports the feature {other}"


def test_features_reach_the_app_through_the_composition_root_alone() -> None:
    """The Slack app gets the features only from bot/compose.py: no module builds a
    feature's Slack part (its `Feature`) but that one."""
    builders = {
        name
        for name, tree in modules().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.module
        and node.module.endswith(".feature")
        and any(a.name[0].isupper() for a in node.names)
    }
    assert builders == {"bot.compose"}


def test_pytest_sums_up_skips_instead_of_listing_each() -> None:
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    assert "-rs" not in config["tool"]["pytest"]["ini_options"]["addopts"].split()
    from tests.conftest import skip_lines

    reasons = ["PostgreSQL not tested: TEST_DATABASE_URL is not set"] * 57 + ["no shared/"]
    assert skip_lines(reasons) == [
        "skipped 57: PostgreSQL not tested: TEST_DATABASE_URL is not set",
        "skipped 1: no shared/",
    ]


def test_the_copies_of_the_shared_files_are_the_originals() -> None:
    """tests/data/shared holds the contract, the public evaluation sets and the seed,
    so a clone has them; where ../shared is beside the checkout, they must match it."""
    from tests.conftest import SHARED, SHARED_COPY

    copies = sorted(p.relative_to(SHARED_COPY) for p in SHARED_COPY.rglob("*") if p.is_file())
    assert [str(p) for p in copies] == [
        "eval/dev-real.yaml",
        "eval/dev.yaml",
        "seed/product-vs-project-manager.txt",
        "topics.yaml",
    ]
    for copy in copies:
        if (SHARED / copy).is_file():
            assert (SHARED_COPY / copy).read_bytes() == (SHARED / copy).read_bytes(), copy
