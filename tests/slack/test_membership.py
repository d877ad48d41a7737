"""Where pmbot stands in a conversation (bot/slack/membership.py), against the
Web API stand-in."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.local.local_api import Fault, WebApiStandIn
from bot.slack.app import web_client
from bot.slack.membership import conversation


def test_member_not_there_dm_and_private(api: WebApiStandIn) -> None:
    client = web_client(Settings(bot_token="xoxb-t", api_url=api.base_url))
    api.state.channels_without_bot.add("C2")
    api.state.missing_channels.add("D9")  # a DM between two other people
    assert conversation(client, "C1").status == "in"
    assert not conversation(client, "C1").private
    assert conversation(client, "G1").private
    assert conversation(client, "C2").status == "out"
    assert conversation(client, "D9").status == "out"
    dm = conversation(client, "D1")  # pmbot's own DM: no is_member, but is_im
    assert dm.status == "in" and dm.info["is_im"] is True


@pytest.mark.slow  # waits out the client's connection retries in real time
def test_slack_not_saying_is_unreachable(api: WebApiStandIn) -> None:
    client = web_client(Settings(bot_token="xoxb-t", api_url=api.base_url))
    api.fail("conversations.info", Fault(error="ratelimited"))
    assert conversation(client, "C1").status == "unreachable"
    api.stop()  # Slack gone altogether: a connection error after the retries
    assert conversation(client, "C1").status == "unreachable"
