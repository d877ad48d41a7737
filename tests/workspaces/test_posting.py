"""Every workspace's tips, each with its own token (bot/workspaces/posting.py) and
the installations behind them (bot/workspaces/installs.py), against the stand-in."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.token_rotation import TokenRotator

from bot.answers.engine import Engine
from bot.distributed import Distributed
from bot.local.local_api import WebApiStandIn
from bot.local.standin_oauth import CLIENT_ID, CLIENT_SECRET, Grant
from bot.store.database import Store
from bot.tips.store import TipStore
from bot.workspaces.installs import installed, installer_of
from tests.workspaces.serving import distributed

NOW = datetime.fromisoformat("2027-03-29T07:05:00Z")  # 09:05 in Berlin
BEFORE = 1_774_000_000.0  # subscribed before NOW


@pytest.fixture
def api() -> Iterator[WebApiStandIn]:
    with WebApiStandIn() as stand_in:
        yield stand_in


@pytest.fixture
def served(api: WebApiStandIn, engine: Engine, tmp_path: Path) -> Iterator[Distributed]:
    url = f"sqlite:///{tmp_path}/pmbot.sqlite3"
    main = Store(url)
    built = distributed(api.base_url, main, url, engine)
    yield built
    built.workspaces.close(1.0)
    main.close()


def install(api: WebApiStandIn, served: Distributed, grant: Grant) -> str:
    """What the OAuth redirect stores for `grant`; the bot token Slack issued."""
    code = api.oauth.grant(grant)
    issued = api.oauth.access(
        {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "code": code}
    )
    served.posting.installations.save(
        Installation(
            app_id="A1",
            enterprise_id=grant.enterprise_id,
            team_id=None if grant.org else grant.team_id,
            bot_token=issued["access_token"],
            bot_id="B1",
            bot_user_id="UPMBOT0001",
            bot_scopes="chat:write",
            bot_refresh_token=issued.get("refresh_token"),
            bot_token_expires_in=issued.get("expires_in"),
            user_id=grant.installer,
            is_enterprise_install=grant.org,
        )
    )
    return str(issued["access_token"])


def subscribe(served: Distributed, key: str, channel: str) -> None:
    workspace = served.workspaces.open(key)
    assert workspace is not None
    TipStore(workspace.store).subscribe(channel, "09:00", "Europe/Berlin", False, "U1", BEFORE)


def posted_with(api: WebApiStandIn) -> dict[str, str]:
    """channel -> the token of the post Slack took there."""
    calls = api.calls_to("chat.postMessage")
    return {str(c.params["channel"]): c.token for c in calls if c.response.get("ok")}


def calls_with(api: WebApiStandIn, token: str) -> int:
    return len([c for c in api.calls if c.token == token])


def test_installations_are_listed_once_with_their_installer(
    api: WebApiStandIn, served: Distributed
) -> None:
    install(api, served, Grant("T0AAA", installer="U0ANNA"))
    install(api, served, Grant("T0AAA", installer="U0ANNE"))  # installed again
    install(api, served, Grant(None, enterprise_id="E0ORG", org=True, installer="U0ADM"))
    main = served.workspaces.main
    assert [i.key for i in installed(main, CLIENT_ID)] == ["E0ORG", "T0AAA"]
    assert installer_of(main, CLIENT_ID, "T0AAA") == "U0ANNE"
    assert installer_of(main, CLIENT_ID, "E0ORG") == "U0ADM"
    served.posting.installations.delete_workspace("T0AAA")
    assert [i.key for i in installed(main, CLIENT_ID)] == ["E0ORG"]
    assert installer_of(main, CLIENT_ID, "T0AAA") is None


def test_a_revoked_workspace_is_skipped_with_one_line_and_the_others_go_on(
    api: WebApiStandIn, served: Distributed, caplog: pytest.LogCaptureFixture
) -> None:
    gone = install(api, served, Grant("T0GONE"))
    kept = install(api, served, Grant("T0KEPT"))
    subscribe(served, "T0GONE", "C0GONE")
    subscribe(served, "T0KEPT", "C0KEPT")
    api.oauth.revoke(gone)
    with caplog.at_level(logging.WARNING, logger="pmbot.workspaces"):
        served.posting.run_due(NOW)
        tried = calls_with(api, gone)
        served.posting.run_due(NOW.replace(hour=NOW.hour + 3))  # its retry would be due
    assert posted_with(api) == {"C0KEPT": kept}
    skipped = [r.getMessage() for r in caplog.records if r.name == "pmbot.workspaces"]
    assert skipped == [
        "workspace T0GONE: skipped until it is installed again: Slack said invalid_auth"
    ]
    assert tried > 0 and calls_with(api, gone) == tried  # not tried again
    again = install(api, served, Grant("T0GONE"))  # installed again: a new token
    served.posting.run_due(NOW.replace(hour=NOW.hour + 3))
    assert posted_with(api)["C0GONE"] == again


def test_a_token_about_to_expire_is_refreshed_and_saved_before_posting(
    api: WebApiStandIn, served: Distributed
) -> None:
    old = install(api, served, Grant("T0ROT", rotating=True, expires_in=600))
    subscribe(served, "T0ROT", "C0ROT")
    served.posting.run_due(NOW)
    used = posted_with(api)["C0ROT"]
    assert used != old and api.oauth.owner(used) is not None
    saved = served.posting.installations.find_bot(enterprise_id=None, team_id="T0ROT")
    assert saved is not None and saved.bot_token == used


def test_a_refused_refresh_is_said_once(
    api: WebApiStandIn, served: Distributed, caplog: pytest.LogCaptureFixture
) -> None:
    install(api, served, Grant("T0ROT", rotating=True, expires_in=600))
    served.posting.rotator = TokenRotator(
        client_id=CLIENT_ID, client_secret="f" * 32, client=served.posting.client
    )
    with caplog.at_level(logging.WARNING, logger="pmbot.workspaces"):
        served.posting.run_due(NOW)
        tried = len(api.calls_to("oauth.v2.access"))
        served.posting.run_due(NOW)
    said = [r.getMessage() for r in caplog.records if r.name == "pmbot.workspaces"]
    assert len(said) == 1 and "bad_client_secret" in said[0]
    assert len(api.calls_to("oauth.v2.access")) == tried  # not asked again each minute


def test_an_org_wide_install_posts_its_tips_with_the_orgs_token(
    api: WebApiStandIn, served: Distributed
) -> None:
    token = install(api, served, Grant(None, enterprise_id="E0ORG", org=True))
    subscribe(served, "E0ORG", "C0ORG")
    served.posting.run_due(NOW)
    assert posted_with(api) == {"C0ORG": token}


def test_one_workspace_in_trouble_does_not_stop_the_others(
    api: WebApiStandIn, served: Distributed, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    install(api, served, Grant("T0AAA"))
    kept = install(api, served, Grant("T0BBB"))
    subscribe(served, "T0AAA", "C0BROKEN")  # first in line, then its database breaks
    subscribe(served, "T0BBB", "C0KEPT")
    for leftover in (tmp_path / "pmbot.workspaces").glob("T0AAA.sqlite3*"):
        leftover.write_bytes(b"not a database" * 100)
    with caplog.at_level(logging.WARNING, logger="pmbot.workspaces"):
        served.posting.run_due(NOW)
        served.posting.run_due(NOW.replace(minute=6))
    assert posted_with(api) == {"C0KEPT": kept}
    said = [r.getMessage() for r in caplog.records if r.name == "pmbot.workspaces"]
    assert len(said) == 1 and said[0].startswith("workspace T0AAA: tips skipped this time:")
