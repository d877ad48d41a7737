"""The bot leaves a channel, or it is archived: its role holders are forgotten."""

from __future__ import annotations

from typing import Any

import pytest
from slack_bolt import App

from bot.local.local_api import BOT_USER_ID
from bot.store.database import Store
from bot.team.store import HolderStore
from tests.slack.conftest import dispatch, event


@pytest.fixture
def book(store: Store) -> HolderStore:
    book = HolderStore(store)
    for channel in ("C1", "G1", "C2"):
        book.set_holders(channel, "product", [("U2", "user")], "U9")
    return book


def left(user: str, channel: str = "C1") -> dict[str, Any]:
    return {
        "type": "member_left_channel",
        "user": user,
        "channel": channel,
        "channel_type": "C",
        "team": "T1",
    }


def test_bot_leaving_forgets_that_channel_only(app: App, book: HolderStore) -> None:
    assert dispatch(app, event(left(BOT_USER_ID))) == 200
    assert book.holders("C1") == []
    assert [h.channel_id for h in book.holders("C2")] == ["C2"]


def test_someone_else_leaving_changes_nothing(app: App, book: HolderStore) -> None:
    assert dispatch(app, event(left("U2"))) == 200
    assert len(book.holders("C1")) == 1


@pytest.mark.parametrize(
    "inner",
    [
        {"type": "channel_left", "channel": "C1", "actor_id": "U9", "event_ts": "1.2"},
        {"type": "group_left", "channel": "G1", "actor_id": "U9", "event_ts": "1.2"},
        {"type": "channel_archive", "channel": "C1", "user": "U9", "is_moved": 0},
        {"type": "group_archive", "channel": "G1", "user": "U9", "event_ts": "1.2"},
    ],
)
def test_removed_or_archived_forgets(app: App, book: HolderStore, inner: dict[str, Any]) -> None:
    assert dispatch(app, event(inner)) == 200
    assert book.holders(inner["channel"]) == []
    assert len(book.holders("C2")) == 1
