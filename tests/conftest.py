from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import bot.schema  # noqa: F401  every table registered, as the app does before a store opens
from bot.answers.engine import Engine
from bot.answers.knowledge import KnowledgeBase, load_knowledge

REPO = Path(__file__).resolve().parent.parent
# A role a team adds in YAML, with no topic of its own (tests of the role grid).
TEAM_ROLE_YAML = """\
roles:
  release-manager:
    title: Release manager
    focus: Getting releases out safely
    goal: Releases that land without surprises.
    duties:
      - duty: Runs the incident review
        tasks: [incident review, postmortem]
      - duty: Signs off each release
        tasks: [release sign-off]
"""
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="session")
def engine(kb: KnowledgeBase) -> Engine:
    return Engine(kb)


# The project's shared files (the contract, the public evaluation sets, the seed),
# copied so a clone has them; ../shared, when beside the checkout, is the original
# (tests/test_layout.py holds the copies to it).
SHARED_COPY = REPO / "tests" / "data" / "shared"


def shared_file(name: str) -> Path:
    """A file of ../shared, else its copy in tests/data/shared."""
    path = SHARED / name
    return path if path.is_file() else SHARED_COPY / name


def _fresh_postgres(url: str) -> str:
    """Drop pmbot's tables, so each test starts from an empty schema. Under
    pytest-xdist (`-n 2`) each worker gets a schema of its own, so workers sharing one
    PostgreSQL database never drop each other's tables."""
    from sqlalchemy import create_engine, text

    from bot.store.engine import engine_url, metadata

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        schema = f"pmbot_test_{worker}"
        with create_engine(engine_url(url)).begin() as conn:
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        url += ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"
    engine = create_engine(engine_url(url))
    metadata.drop_all(engine)
    engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A real, empty database: a SQLite file always; PostgreSQL when TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/pmbot.sqlite3"
        return
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("PostgreSQL not tested: TEST_DATABASE_URL is not set")
    yield _fresh_postgres(url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/pmbot.sqlite3"


def skip_lines(reasons: list[str]) -> list[str]:
    """One line per reason a test was skipped, most frequent first."""
    counts = Counter(reasons)
    return [f"skipped {n}: {reason}" for reason, n in counts.most_common()]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Why tests were skipped, in one line per reason rather than one per test
    (`pytest -rs` still lists each)."""
    reasons = []
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = getattr(report, "longrepr", None)
        if isinstance(longrepr, tuple) and len(longrepr) == 3:
            reasons.append(str(longrepr[2]).removeprefix("Skipped: "))
    for line in skip_lines(reasons):
        terminalreporter.write_line(line)


# The slow part of the suite, left out by `pytest -m "not slow"`: real `pmbot serve`
# processes and servers, Docker's commands, old trees of the repository, load tests.
SLOW = ("tests/e2e/", "tests/test_deploy.py", "tests/answers/test_weaponised_files.py")
SLOW += ("tests/store/test_upgrades.py", "tests/store/test_contention.py")
SLOW += ("tests/local/test_terminal.py", "tests/workspaces/test_legacy.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        where = Path(str(item.fspath)).relative_to(REPO).as_posix()
        if where.startswith(SLOW):
            item.add_marker(pytest.mark.slow)
