from __future__ import annotations

import json
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.local.local_api import BOT_USER_ID, Fault, WebApiStandIn


@pytest.fixture
def api():
    with WebApiStandIn() as stand_in:
        yield stand_in


def test_binds_loopback_only(api: WebApiStandIn) -> None:
    assert api.url.startswith("http://127.0.0.1:")


def test_answers_and_records_web_api_calls(api: WebApiStandIn) -> None:
    client = WebClient(token="xoxb-t", base_url=api.base_url)
    assert client.auth_test()["user_id"] == BOT_USER_ID
    posted = client.chat_postMessage(channel="C1", text="hi", blocks=[{"type": "divider"}])
    assert posted["ts"]
    call = api.calls_to("chat.postMessage")[0]
    assert call.params["channel"] == "C1"
    assert call.params["blocks"] == [{"type": "divider"}]
    assert call.response["ts"] == posted["ts"]


def test_records_response_url_posts(api: WebApiStandIn) -> None:
    request = urllib.request.Request(
        api.response_url("x"),
        data=json.dumps({"text": "hello", "response_type": "ephemeral"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200
    assert api.wait_for("response_url")[0].params["text"] == "hello"


def test_scripted_faults(api: WebApiStandIn) -> None:
    client = WebClient(token="xoxb-t", base_url=api.base_url)
    api.fail("chat.postMessage", Fault(error="channel_not_found"))
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C1", text="x")
    assert caught.value.response["error"] == "channel_not_found"
    assert client.chat_postMessage(channel="C1", text="x")["ok"]


def test_channel_states(api: WebApiStandIn) -> None:
    client = WebClient(token="xoxb-t", base_url=api.base_url)
    api.state.channels_without_bot.add("C2")
    assert client.conversations_info(channel="C2")["channel"]["is_member"] is False
    with pytest.raises(SlackApiError, match="not_in_channel"):
        client.chat_postMessage(channel="C2", text="x")
