from __future__ import annotations

import pytest

from bot.slack.payloads import escape_mentions


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("team product @alice", "team product <@UALICE|alice>"),
        ("team PO @bob.smith @here", "team PO <@UBOBSMITH|bob.smith> <!here>"),
        ("@Channel and @everyone", "<!channel> and <!everyone>"),
        ("mail me at a@b.c", "mail me at a@b.c"),  # not a mention
        ("<@U1|x> <!subteam^S1|@pms>", "<@U1|x> <!subteam^S1|@pms>"),  # already escaped
    ],
)
def test_escape_mentions_as_slack_does(typed: str, sent: str) -> None:
    assert escape_mentions(typed) == sent


def test_who_where_and_whether_only_they_see_it() -> None:
    from bot.slack.payloads import channel_of, is_ephemeral, user_of

    visible = {"user": {"id": "U1"}, "channel": {"id": "C1"}, "message": {"ts": "1.2"}}
    private = {"user": {"id": "U2"}, "container": {"channel_id": "C2", "is_ephemeral": True}}
    assert (user_of(visible), channel_of(visible), is_ephemeral(visible)) == ("U1", "C1", False)
    assert (user_of(private), channel_of(private), is_ephemeral(private)) == ("U2", "C2", True)
    assert (user_of({}), channel_of({}), is_ephemeral({})) == ("", "", True)
