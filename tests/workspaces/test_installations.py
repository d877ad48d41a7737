"""The installation store (bot/workspaces/installations.py): bots kept in memory for a
few seconds, except one due for rotation; every change here seen at once."""

from __future__ import annotations

import time

from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import update

from bot.store.database import Store
from bot.workspaces.installations import CACHE_SECONDS, CachedInstallations
from bot.workspaces.tables import installation_tables
from tests.store.conftest import Clock


def installation(team: str | None, enterprise: str | None = None, **extra: object) -> Installation:
    return Installation(
        app_id="A1",
        enterprise_id=enterprise,
        team_id=team,
        bot_token=f"xoxb-{team or enterprise}",
        bot_id="B1",
        bot_user_id="UPMBOT0001",
        user_id="U0ANNA",
        is_enterprise_install=team is None,
        **extra,  # type: ignore[arg-type]
    )


def token_in_database(store: Store, token: str) -> None:
    """Another process changed the row (a refresh there)."""
    with store.begin() as conn:
        conn.execute(update(installation_tables()[1]).values(bot_token=token))


def test_a_bot_is_read_from_memory_for_a_few_seconds(database_url: str) -> None:
    main, clock = Store(database_url), Clock()
    kept = CachedInstallations("1.2", main, clock)
    kept.save(installation("T0AAA"))
    assert kept.find_bot(enterprise_id=None, team_id="T0AAA").bot_token == "xoxb-T0AAA"  # type: ignore[union-attr]
    token_in_database(main, "xoxb-elsewhere")
    assert kept.find_bot(enterprise_id=None, team_id="T0AAA").bot_token == "xoxb-T0AAA"  # type: ignore[union-attr]
    clock.now += CACHE_SECONDS
    assert kept.find_bot(enterprise_id=None, team_id="T0AAA").bot_token == "xoxb-elsewhere"  # type: ignore[union-attr]


def test_a_bot_due_for_rotation_is_always_read_from_the_database(database_url: str) -> None:
    main = Store(database_url)
    kept = CachedInstallations("1.2", main, Clock())
    soon = {"bot_refresh_token": "xoxe-1", "bot_token_expires_at": int(time.time()) + 600}
    kept.save(installation("T0ROT", **soon))
    kept.find_bot(enterprise_id=None, team_id="T0ROT")
    token_in_database(main, "xoxb-refreshed-elsewhere")
    found = kept.find_bot(enterprise_id=None, team_id="T0ROT")
    assert found is not None and found.bot_token == "xoxb-refreshed-elsewhere"


def test_an_uninstall_deletes_one_workspace_and_is_seen_at_once(database_url: str) -> None:
    main = Store(database_url)
    kept = CachedInstallations("1.2", main, Clock())
    kept.save(installation("T0AAA", enterprise="E0ORG"))  # a workspace of an org, on its own
    kept.save(installation(None, enterprise="E0ORG"))  # the org-wide install
    assert kept.find_bot(enterprise_id="E0ORG", team_id="T0AAA") is not None
    kept.delete_workspace("T0AAA")
    assert kept.find_bot(enterprise_id="E0ORG", team_id="T0AAA") is None
    org = kept.find_bot(enterprise_id="E0ORG", team_id=None, is_enterprise_install=True)
    assert org is not None and org.bot_token == "xoxb-E0ORG"
    kept.delete_workspace("E0ORG")
    assert kept.find_bot(enterprise_id="E0ORG", team_id=None, is_enterprise_install=True) is None
