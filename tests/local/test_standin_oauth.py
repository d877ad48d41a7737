"""The stand-in's oauth.v2.access (bot/local/standin_oauth.py), as Slack answers it."""

from __future__ import annotations

from bot.local.standin_oauth import CLIENT_ID, CLIENT_SECRET, Grant, OAuthStandIn

APP = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}


def test_a_code_is_exchanged_once_for_a_token_of_its_workspace() -> None:
    oauth = OAuthStandIn()
    code = oauth.grant(Grant("T0AAA", installer="U0ANNA"))
    issued = oauth.access(APP | {"code": code})
    assert issued["ok"] and issued["team"] == {"id": "T0AAA", "name": "Team T0AAA"}
    assert issued["authed_user"] == {"id": "U0ANNA"} and "refresh_token" not in issued
    assert oauth.owner(issued["access_token"]) == Grant("T0AAA", installer="U0ANNA")
    assert oauth.access(APP | {"code": code}) == {"ok": False, "error": "invalid_code"}


def test_the_apps_credentials_are_checked_first() -> None:
    oauth = OAuthStandIn()
    code = oauth.grant(Grant("T0AAA"))
    assert oauth.access({"client_id": "9.9", "code": code})["error"] == "invalid_client_id"
    wrong = {"client_id": CLIENT_ID, "client_secret": "x", "code": code}
    assert oauth.access(wrong)["error"] == "bad_client_secret"


def test_a_rotating_token_is_refreshed_once_per_refresh_token() -> None:
    oauth = OAuthStandIn()
    first = oauth.access(APP | {"code": oauth.grant(Grant("T0ROT", rotating=True))})
    refresh = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    second = oauth.access(APP | refresh)
    assert second["access_token"] != first["access_token"] and second["expires_in"] == 43_200
    assert oauth.access(APP | refresh) == {"ok": False, "error": "invalid_refresh_token"}


def test_an_org_wide_install_has_no_team() -> None:
    oauth = OAuthStandIn()
    issued = oauth.access(APP | {"code": oauth.grant(Grant(None, "E0ORG", org=True))})
    assert issued["team"] is None and issued["is_enterprise_install"]
    assert issued["enterprise"] == {"id": "E0ORG", "name": "Org"}
