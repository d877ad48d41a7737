"""Every schema of main's history upgrades to today's exactly (issue 19): databases
made by old trees of this repository (`git archive`), opened by today's code, end
with the tables, columns and indexes a fresh database has."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from bot.store.database import Store
from bot.store.engine import make_engine
from bot.store.reconcile import drift
from tests.conftest import REPO

# Old trees whose databases differ: the first store (v1, subscriptions without
# active_since), the first named steps, answers given (v2), and two builds that both
# recorded v2 for different changes (curator tables; role holders), then features.
OLD_TREES = ("d2c08a8", "466c7a4", "dc64d39", "b07390c", "872194b", "6d06493", "91e2e95")
MAKE_DATABASE = """\
import importlib.util, sys
if importlib.util.find_spec("bot.schema"):
    import bot.schema  # every table, as that tree's app created them
try:
    from bot.store.database import Store
except ImportError:
    from bot.store import Store
Store(sys.argv[1])
"""


def schema(url: str) -> dict[str, tuple[set[str], set[str | None]]]:
    """table -> (its columns, its index names)."""
    found = inspect(create_engine(url))
    return {
        table: (
            {c["name"] for c in found.get_columns(table)},
            {i["name"] for i in found.get_indexes(table)},
        )
        for table in found.get_table_names()
    }


def old_tree(commit: str, into: Path) -> Path:
    try:
        archive = subprocess.run(
            ["git", "archive", commit], cwd=REPO, capture_output=True, check=True, timeout=30
        ).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        pytest.skip(f"no git history to build {commit} from: {error}")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tree:
        tree.extractall(into, filter="data")
    return into


def database_made_by(commit: str, script: str, into: Path, name: str) -> str:
    """A SQLite file `script` made (its URL its one argument), run by that tree's code."""
    tree = old_tree(commit, into / "tree")
    url = f"sqlite:///{into}/{name}"
    subprocess.run(
        [sys.executable, "-c", script, url],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        check=True,
        timeout=60,
    )
    return url


@pytest.mark.parametrize("commit", OLD_TREES)
def test_a_database_from_an_old_tree_upgrades_to_todays_exact_schema(
    commit: str, tmp_path: Path
) -> None:
    old = database_made_by(commit, MAKE_DATABASE, tmp_path, "old.sqlite3")
    Store(old).close()  # today's code opens it: steps, then whatever they missed
    fresh = f"sqlite:///{tmp_path}/fresh.sqlite3"
    Store(fresh).close()
    assert schema(old) == schema(fresh)
    assert drift(create_engine(old)) == []


def test_drift_names_what_is_missing_and_opening_the_store_adds_it(database_url: str) -> None:
    url = database_url
    Store(url).close()
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX pmbot_feedback_one_vote")
        conn.exec_driver_sql("ALTER TABLE pmbot_subscriptions DROP COLUMN active_since")
        conn.exec_driver_sql("DROP TABLE pmbot_answers_given")
    assert sorted(drift(engine)) == [
        "column pmbot_subscriptions.active_since",
        "index pmbot_feedback_one_vote",
        "table pmbot_answers_given",
    ]
    Store(url).close()
    assert drift(engine) == []


def test_tables_from_before_any_version_are_brought_up_to_date(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/db.sqlite3"
    engine = make_engine(url)
    with engine.begin() as conn:  # a subscriptions table as the first store made it
        conn.exec_driver_sql(
            "CREATE TABLE pmbot_subscriptions (channel_id VARCHAR(32) PRIMARY KEY, "
            "post_time VARCHAR(5) NOT NULL, timezone VARCHAR(64) NOT NULL, "
            "weekdays_only BOOLEAN NOT NULL, active BOOLEAN NOT NULL, "
            "paused_reason VARCHAR(64), created_by VARCHAR(32) NOT NULL, "
            "updated_at FLOAT NOT NULL)"
        )
    Store(url).close()
    assert drift(engine) == []
