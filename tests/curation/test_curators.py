"""Who may curate: ids from PMBOT_CURATORS, user groups asked of the Web API stand-in."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient

from bot.config import Settings
from bot.curation.curators import Curators, WorkspaceCurators
from bot.local.local_api import Fault, WebApiStandIn
from bot.slack.app import web_client


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def client(api: WebApiStandIn) -> WebClient:
    return web_client(Settings(bot_token="xoxb-test", api_url=api.base_url))


def test_none_configured_is_disabled(client: WebClient) -> None:
    curators = Curators()
    assert not curators.enabled
    assert not curators.allows("U1", client)


def test_listed_user_is_a_curator_without_asking_slack(
    api: WebApiStandIn, client: WebClient
) -> None:
    curators = Curators(["U1", "W2"])
    assert curators.enabled
    assert curators.allows("U1", client) and curators.allows("W2", client)
    assert not curators.allows("U3", client)
    assert not curators.allows("", client)
    assert api.calls == []


def test_group_members_are_curators_and_the_list_is_kept_a_while(
    api: WebApiStandIn, client: WebClient
) -> None:
    api.state.user_groups["S1"] = ["U7", "U8"]
    clock = Clock()
    curators = Curators(["S1"], clock=clock, members_seconds=60)
    assert curators.allows("U7", client)
    assert not curators.allows("U9", client)
    assert [c.params["usergroup"] for c in api.calls_to("usergroups.users.list")] == ["S1"]
    api.state.user_groups["S1"] = ["U9"]
    clock.now += 61
    assert curators.allows("U9", client)
    assert not curators.allows("U7", client)
    assert len(api.calls_to("usergroups.users.list")) == 2


def test_a_group_slack_cannot_list_admits_nobody(
    api: WebApiStandIn, client: WebClient, caplog: pytest.LogCaptureFixture
) -> None:
    api.fail("usergroups.users.list", Fault(error="missing_scope"))
    curators = Curators(["S1"])
    assert not curators.allows("U7", client)
    assert "cannot read user group S1 from Slack (missing_scope)" in caplog.text


def test_serving_every_workspace_its_installer_and_admins_curate() -> None:
    with WebApiStandIn() as api:
        client = WebClient(token="xoxb-1", base_url=api.base_url)
        curators = WorkspaceCurators("U0ANNA")
        assert curators.enabled and curators.users == frozenset({"U0ANNA"})
        assert curators.allows("U0ANNA", client)
        assert not curators.allows("U0BEN", client)
        assert not curators.allows("", client)
        api.state.admins.add("U0ADMIN")
        assert curators.allows("U0ADMIN", client)
        assert len(api.calls_to("users.info")) == 2  # the installer needs no call
        assert curators.allows("U0ADMIN", client)
        assert len(api.calls_to("users.info")) == 2  # kept for a minute
        assert WorkspaceCurators(None).users == frozenset()
