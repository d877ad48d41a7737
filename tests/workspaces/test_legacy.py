"""A database that served one workspace moves, whole, to that workspace's own when
pmbot serves every workspace (bot/workspaces/legacy.py), tested on a database made
by the version before it (a `git archive` of that tree, run as it was)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.answers.engine import Engine
from bot.config import ConfigError, Settings
from bot.local.local_api import TEAM_ID, WebApiStandIn
from bot.slack.app import web_client
from bot.store.database import Store
from bot.workspaces.legacy import (
    data_tables,
    move_single_workspace_data,
    record_from_slack,
    record_workspace,
)
from bot.workspaces.stores import drop_workspace_data, open_workspace_store
from tests.store.test_upgrades import database_made_by
from tests.workspaces.serving import distributed

BEFORE_WORKSPACES = "7059649"  # main the day the OAuth installs were added
# A row in every table that version had, and a role holder set as `/pm team` sets one.
MAKE_DATABASE = """\
import sys
import bot.schema
from sqlalchemy import insert
from bot.store.database import Store
from bot.store.engine import metadata
from bot.team.store import holder_store

store = Store(sys.argv[1])
holder_store(store).set_holders("C0OLD", "product", [("U0ALICE", "user")], set_by="U0SET")
values = {str: "x", float: 1.0, int: 1, bool: False}
with store.begin() as conn:
    for table in metadata.sorted_tables:
        if table.name in ("pmbot_schema_version", "pmbot_role_holders"):
            continue
        columns = [c for c in table.columns if c.autoincrement is not True]
        row = {c.name: values[c.type.python_type] for c in columns}
        conn.execute(insert(table).values(**row))
"""


def counts(store: Store) -> dict[str, int]:
    with store.connect() as conn:
        return {
            t.name: int(conn.execute(select(func.count()).select_from(t)).scalar() or 0)
            for t in data_tables()
        }


@pytest.fixture
def old_database(tmp_path: Path) -> str:
    return database_made_by(BEFORE_WORKSPACES, MAKE_DATABASE, tmp_path, "pmbot.sqlite3")


def test_a_single_workspace_database_moves_whole_to_its_workspace(
    old_database: str, engine: Engine
) -> None:
    main = Store(old_database)  # today's code opens it: steps 8 and 9 added
    before = counts(main)
    assert before["pmbot_role_holders"] == 1
    assert [t for t, n in before.items() if not n] == ["pmbot_curators"]  # newer than it
    with WebApiStandIn() as api:
        record_from_slack(web_client(Settings(bot_token="xoxb-1", api_url=api.base_url)), main)
        served = distributed(api.base_url, main, old_database, engine)
    assert set(counts(main).values()) == {0}
    moved = open_workspace_store(main, old_database, TEAM_ID)
    assert counts(moved) == before
    holders = served.workspaces.deps_for(TEAM_ID).here("C0OLD", "owns-roadmap")
    assert holders is not None and "U0ALICE" in holders
    moved.close()
    served.workspaces.close(1.0)
    main.close()


def test_without_a_recorded_workspace_start_up_says_how_to_record_it(
    old_database: str, engine: Engine
) -> None:
    main = Store(old_database)
    with WebApiStandIn() as api, pytest.raises(ConfigError) as stopped:
        distributed(api.base_url, main, old_database, engine)
    assert str(stopped.value) == (
        "DATABASE_URL holds the data of one workspace served with SLACK_BOT_TOKEN, but "
        "not which: run `pmbot serve` once more with SLACK_BOT_TOKEN (it records the "
        "workspace), then serve with SLACK_CLIENT_ID"
    )
    assert counts(main)["pmbot_role_holders"] == 1  # nothing moved, nothing lost
    main.close()


def test_after_the_move_new_rows_take_new_ids_on_both_databases(database_url: str) -> None:
    main = Store(database_url)
    main.record_asked([("owns-roadmap", "answer", "q", "U1", None)] * 3)
    record_workspace(main, "T0MOVE", None)
    assert move_single_workspace_data(main, database_url) == "T0MOVE"
    assert move_single_workspace_data(main, database_url) is None  # nothing left to move
    moved = open_workspace_store(main, database_url, "T0MOVE")
    moved.record_asked([("owns-roadmap", "answer", "q", "U1", None)])  # id 4, not 1 again
    assert moved.most_asked() == [("owns-roadmap", 4)]
    moved.close()
    drop_workspace_data(main, database_url, "T0MOVE")
    main.close()


def test_rows_written_after_the_move_stay_and_never_wipe_the_workspace(database_url: str) -> None:
    main = Store(database_url)
    main.record_asked([("owns-roadmap", "answer", "q", "U1", None)])
    record_workspace(main, "T0MOVE", None)
    move_single_workspace_data(main, database_url)
    moved = open_workspace_store(main, database_url, "T0MOVE")
    moved.record_asked([("owns-risk", "answer", "q", "U1", None)])  # served since
    main.record_asked([("stray", "answer", "q", "U1", None)])  # a `pmbot shell`, say
    assert move_single_workspace_data(main, database_url) is None
    assert sorted(moved.most_asked()) == [("owns-risk", 1), ("owns-roadmap", 1)]
    assert main.most_asked() == [("stray", 1)]
    moved.close()
    drop_workspace_data(main, database_url, "T0MOVE")
    main.close()


def test_a_workspace_with_data_of_its_own_is_never_overwritten(database_url: str) -> None:
    main = Store(database_url)
    main.record_asked([("owns-roadmap", "answer", "q", "U1", None)])
    record_workspace(main, "T0MOVE", None)
    own = open_workspace_store(main, database_url, "T0MOVE")
    own.record_asked([("owns-risk", "answer", "q", "U1", None)] * 2)
    with pytest.raises(ConfigError) as stopped:
        move_single_workspace_data(main, database_url)
    assert str(stopped.value).startswith("DATABASE_URL: workspace T0MOVE already has data")
    assert own.most_asked() == [("owns-risk", 2)] and main.most_asked() == [("owns-roadmap", 1)]
    own.close()
    drop_workspace_data(main, database_url, "T0MOVE")
    main.close()


def test_a_move_cut_short_after_the_copy_finishes_without_copying_twice(
    database_url: str,
) -> None:
    main = Store(database_url)
    main.record_asked([("owns-roadmap", "answer", "q", "U1", None)] * 2)
    record_workspace(main, "T0MOVE", None)
    copy = open_workspace_store(main, database_url, "T0MOVE")
    copy.record_asked([("owns-roadmap", "answer", "q", "U1", None)] * 2)  # as the copy left it
    assert move_single_workspace_data(main, database_url) == "T0MOVE"
    assert copy.most_asked() == [("owns-roadmap", 2)] and main.most_asked() == []
    copy.close()
    drop_workspace_data(main, database_url, "T0MOVE")
    main.close()
