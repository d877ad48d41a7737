"""Each workspace's database beside pmbot's (bot/workspaces/stores.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from bot.store.database import Store
from bot.store.engine import qualified
from bot.store.reconcile import drift
from bot.workspaces.stores import (
    UnknownWorkspace,
    drop_workspace_data,
    open_workspace_store,
    workspace_schema,
    workspace_url,
)


def test_a_sqlite_file_beside_pmbots(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/pmbot.sqlite3"
    assert workspace_url(url, "T0AAA") == f"sqlite:///{tmp_path}/pmbot.workspaces/T0AAA.sqlite3"
    assert workspace_url("sqlite://", "T0AAA") == "sqlite://"


def test_a_postgresql_schema_of_its_own_under_the_one_in_use() -> None:
    assert workspace_schema("postgresql://u:secret@db:5432/pmbot", "E0ORG") == "pmbot_e0org"
    scoped = "postgresql://u@db/pmbot?sslmode=require&options=-csearch_path%3Dteam_a"
    assert workspace_schema(scoped, "T0AAA") == "team_a_t0aaa"


@pytest.mark.parametrize(
    "forged", ["../etc", "T0AAA; DROP", "t0aaa", "", "X123", "T" + "1" * 40, "T0AAA\n"]
)
def test_only_a_slack_id_names_a_file_or_schema(forged: str) -> None:
    with pytest.raises(UnknownWorkspace):
        workspace_url("sqlite:///x/pmbot.sqlite3", forged)
    with pytest.raises(UnknownWorkspace):
        workspace_schema("postgresql://u@db/pmbot", forged)


def test_each_workspace_keeps_its_rows_and_an_uninstall_drops_them(database_url: str) -> None:
    main = Store(database_url)
    first = open_workspace_store(main, database_url, "T0AAA")
    second = open_workspace_store(main, database_url, "T0BBB")
    first.record_asked([("owns-roadmap", "answer", "q", "U1", None)])
    assert first.most_asked() == [("owns-roadmap", 1)]
    assert second.most_asked() == [] and main.most_asked() == []
    first.close()
    drop_workspace_data(main, database_url, "T0AAA")
    again = open_workspace_store(main, database_url, "T0AAA")
    assert again.most_asked() == []  # gone: a new install starts empty
    second.record_asked([("owns-roadmap", "answer", "q", "U1", None)])
    assert second.most_asked() == [("owns-roadmap", 1)]  # the other one untouched
    for store, key in ((again, "T0AAA"), (second, "T0BBB")):
        store.close()
        drop_workspace_data(main, database_url, key)
    main.close()


def test_every_postgresql_workspace_shares_pmbots_engine(database_url: str) -> None:
    main = Store(database_url)
    first = open_workspace_store(main, database_url, "T0AAA")
    if not database_url.startswith("sqlite"):
        assert first.engine.pool is main.engine.pool  # one pool, however many workspaces
    first.close()  # leaves pmbot's engine open
    assert main.most_asked() == []
    drop_workspace_data(main, database_url, "T0AAA")
    main.close()


def test_a_workspace_missing_a_column_gets_it_back(database_url: str) -> None:
    """The check every start ends with (bot/store/reconcile.py), in the workspace's
    own file or schema."""
    main = Store(database_url)
    store = open_workspace_store(main, database_url, "T0AAA")
    sqlite = database_url.startswith("sqlite")
    table = qualified("pmbot_feedback", None if sqlite else workspace_schema(database_url, "T0AAA"))
    with store.begin() as conn:
        conn.execute(text(f"DROP INDEX {'' if sqlite else 'IF EXISTS '}pmbot_feedback_one_vote"))
        conn.execute(text(f"ALTER TABLE {table} DROP COLUMN answer_ref"))
    store.close()
    reopened = open_workspace_store(main, database_url, "T0AAA")
    assert drift(reopened.engine) == []
    reopened.record_vote("owns-roadmap", "up", "U1", "q", "C1:1")
    assert reopened.vote_totals() == (1, 0)
    reopened.close()
    drop_workspace_data(main, database_url, "T0AAA")
    main.close()
