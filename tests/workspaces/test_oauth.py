"""What pmbot asks for when installed (bot/workspaces/oauth.py): the manifest's scopes."""

from __future__ import annotations

from datetime import datetime

import yaml
from sqlalchemy import func, select

from bot.config import Settings
from bot.store.database import Store
from bot.workspaces.oauth import (
    BOT_SCOPES,
    REDIRECT_PATH,
    BoundedStates,
    installation_store,
    oauth_settings,
)
from bot.workspaces.tables import OAUTH_STATES, installation_tables
from tests.conftest import REPO


def test_an_install_asks_for_the_manifests_scopes_and_no_user_scope() -> None:
    manifest = yaml.safe_load((REPO / "manifest.yml").read_text("utf-8"))
    assert sorted(BOT_SCOPES) == sorted(manifest["oauth_config"]["scopes"]["bot"])
    assert "user" not in manifest["oauth_config"]["scopes"]


def test_the_flow_keeps_bot_tokens_only_and_checks_the_state(sqlite_url: str) -> None:
    settings = Settings(client_id="1.2", client_secret="s" * 32, database_url=sqlite_url)
    main = Store(sqlite_url)
    oauth = oauth_settings(settings, installation_store(settings, main), main)
    assert oauth.installation_store_bot_only and oauth.state_validation_enabled
    assert oauth.scopes == list(BOT_SCOPES) and not any(oauth.user_scopes)
    assert oauth.redirect_uri_path == REDIRECT_PATH
    main.close()


def test_states_left_unused_do_not_pile_up(sqlite_url: str) -> None:
    oauth_states = installation_tables()[2]
    main = Store(sqlite_url)
    states = BoundedStates(expiration_seconds=600, engine=main.engine, table_name=OAUTH_STATES)
    states.pending = 5
    issued = [states.issue() for _ in range(8)]
    with main.connect() as conn:
        assert conn.execute(select(func.count()).select_from(oauth_states)).scalar() == 5
    assert not states.consume(issued[0])  # the oldest went first
    assert states.consume(issued[-1]) and not states.consume(issued[-1])  # once
    with main.begin() as conn:  # the rest expire
        conn.execute(oauth_states.update().values(expire_at=datetime(2000, 1, 1)))
    states.issue()
    with main.connect() as conn:
        assert conn.execute(select(func.count()).select_from(oauth_states)).scalar() == 1
    main.close()
