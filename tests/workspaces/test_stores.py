"""Each workspace's database beside pmbot's (bot/workspaces/stores.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.store.database import Store
from bot.workspaces.stores import (
    UnknownWorkspace,
    drop_workspace_data,
    open_workspace_store,
    workspace_url,
)


def test_a_sqlite_file_beside_pmbots(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/pmbot.sqlite3"
    assert workspace_url(url, "T0AAA") == f"sqlite:///{tmp_path}/pmbot.workspaces/T0AAA.sqlite3"
    assert workspace_url("sqlite://", "T0AAA") == "sqlite://"


def test_a_postgresql_schema_of_its_own_under_the_one_in_use() -> None:
    plain = "postgresql://u:secret@db:5432/pmbot"
    assert workspace_url(plain, "E0ORG") == (
        "postgresql+psycopg://u:secret@db:5432/pmbot?options=-csearch_path%3Dpmbot_e0org"
    )
    scoped = "postgresql://u@db/pmbot?sslmode=require&options=-csearch_path%3Dteam_a"
    assert workspace_url(scoped, "T0AAA") == (
        "postgresql+psycopg://u@db/pmbot?options=-csearch_path%3Dteam_a_t0aaa&sslmode=require"
    )


@pytest.mark.parametrize("forged", ["../etc", "T0AAA; DROP", "t0aaa", "", "X123", "T" + "1" * 40])
def test_only_a_slack_id_names_a_file_or_schema(forged: str) -> None:
    with pytest.raises(UnknownWorkspace):
        workspace_url("sqlite:///x/pmbot.sqlite3", forged)


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
