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
