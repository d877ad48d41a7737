"""Is pmbot in a conversation? Slack's `conversations.info`, read one way for every
feature that must know before it posts there (`/pm team`, "Ask a person")."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

Status = Literal["in", "out", "unreachable"]
# Slack's answer for a channel pmbot is not in, or cannot see at all (a DM between
# two other people): either way pmbot is not there.
NOT_THERE = ("channel_not_found", "not_in_channel")


@dataclass(frozen=True)
class Conversation:
    status: Status  # "in": a member, or pmbot's own DM; "unreachable": Slack did not say
    info: dict[str, Any] = field(default_factory=dict)  # conversations.info's channel

    @property
    def private(self) -> bool:
        """A private channel or a group DM: its messages are not for elsewhere."""
        return bool(self.info.get("is_private") or self.info.get("is_mpim"))


def conversation(client: WebClient, channel: str) -> Conversation:
    """Where pmbot stands in `channel`."""
    try:
        info = client.conversations_info(channel=channel).get("channel") or {}
    except SlackApiError as error:
        code = error.response.get("error") if error.response is not None else None
        return Conversation("out" if code in NOT_THERE else "unreachable")
    except OSError:  # Slack unreachable, after the client's retries
        return Conversation("unreachable")
    member = info.get("is_member") or info.get("is_im")
    return Conversation("in" if member else "out", info)
