"""What pmbot asks for when installed (bot/workspaces/oauth.py): the manifest's scopes."""

from __future__ import annotations

import yaml

from bot.config import Settings
from bot.store.database import Store
from bot.workspaces.oauth import BOT_SCOPES, REDIRECT_PATH, installation_store, oauth_settings
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
