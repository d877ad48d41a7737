from __future__ import annotations

from slack_sdk import WebClient

from bot.local.local_api import Fault, WebApiStandIn
from bot.slack.names import NAMES_SECONDS, Names, mention


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_names_come_from_slack_are_kept_and_expire() -> None:
    clock = Clock()
    names = Names(clock)
    with WebApiStandIn() as api:
        client = WebClient(token="xoxb-test", base_url=api.base_url)
        api.state.user_names["U1"] = "ada <3"
        api.state.group_handles |= {"S1": "pms", "S2": "coaches"}
        assert names.name(client, "U1", "user") == "@ada &lt;3"  # escaped: inert mrkdwn
        assert names.name(client, "S2", "usergroup") == "@coaches"
        assert names.name(client, "S1", "usergroup") == "@pms"  # kept from the same call
        assert [c.method for c in api.state.calls] == ["users.info", "usergroups.list"]
        api.state.user_names["U1"] = "ada"
        clock.now += NAMES_SECONDS + 1
        assert names.name(client, "U1", "user") == "@ada"


def test_a_name_slack_cannot_give_is_the_plain_id_never_a_mention() -> None:
    with WebApiStandIn() as api:
        client = WebClient(token="xoxb-test", base_url=api.base_url)
        api.fail("users.info", Fault(error="user_not_found"))
        assert Names().name(client, "U9", "user") == "@U9"


def test_a_ping_is_written_as_slack_writes_one() -> None:
    assert mention("U1", "user") == "<@U1>"
    assert mention("S1", "usergroup") == "<!subteam^S1>"
