"""Socket-Mode payloads as Slack sends them (a slash command, an event, a button
click), built in one place for the local shell and the tests; and the few fields
every interactive payload is read for (who, where, seen by whom)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any


def user_of(body: dict[str, Any]) -> str:
    """Who clicked, submitted or picked a shortcut."""
    return str((body.get("user") or {}).get("id") or "")


def channel_of(body: dict[str, Any]) -> str:
    """The channel a click came from (a shortcut's or a button's)."""
    channel = (body.get("channel") or {}).get("id")
    return str(channel or (body.get("container") or {}).get("channel_id") or "")


def is_ephemeral(body: dict[str, Any]) -> bool:
    """A click on a message only its reader sees: Slack sends no `message` for it."""
    return bool((body.get("container") or {}).get("is_ephemeral")) or "message" not in body


@dataclass(frozen=True)
class Workspace:
    """Who and where: the ids a payload carries."""

    team: str
    team_domain: str
    channel: str
    channel_name: str
    user: str
    user_name: str
    app_id: str
    token: str


def slash_command(
    ws: Workspace, text: str, response_url: str, trigger_id: str, channel: str | None = None
) -> dict[str, Any]:
    return {
        "token": ws.token,
        "team_id": ws.team,
        "team_domain": ws.team_domain,
        "channel_id": channel or ws.channel,
        "channel_name": ws.channel_name,
        "user_id": ws.user,
        "user_name": ws.user_name,
        "command": "/pm",
        "text": text,
        "api_app_id": ws.app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def event_callback(
    ws: Workspace, inner: dict[str, Any], event_id: str, authorizations: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "token": ws.token,
        "team_id": ws.team,
        "api_app_id": ws.app_id,
        "event": inner,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": authorizations,
    }


def block_action(
    ws: Workspace,
    button: dict[str, Any],
    *,
    block_id: str,
    channel: str,
    message_ts: str,
    ephemeral: bool,
    response_url: str,
    trigger_id: str,
    action_ts: str,
    selected: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A click on `button` (an element of a message's blocks), or with `selected`, an
    option chosen in a static_select."""
    action: dict[str, Any] = {
        "action_id": button["action_id"],
        "block_id": block_id,
        "text": button.get("text"),
        "value": button.get("value", ""),
        "type": "button",
        "action_ts": action_ts,
    }
    if selected is not None:
        action = {
            "action_id": button["action_id"],
            "block_id": block_id,
            "type": "static_select",
            "selected_option": selected,
            "placeholder": button.get("placeholder"),
            "action_ts": action_ts,
        }
    return {
        "type": "block_actions",
        "user": {"id": ws.user, "username": ws.user_name, "team_id": ws.team},
        "api_app_id": ws.app_id,
        "token": ws.token,
        "team": {"id": ws.team, "domain": ws.team_domain},
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        },
        "trigger_id": trigger_id,
        "channel": {"id": channel, "name": ws.channel_name},
        "response_url": response_url,
        "actions": [action],
    }


def message_shortcut(
    ws: Workspace,
    text: str,
    *,
    message_ts: str,
    author: str,
    response_url: str,
    trigger_id: str,
    action_ts: str,
    channel: str | None = None,
    callback_id: str = "ask_pmbot",
    thread_ts: str | None = None,
) -> dict[str, Any]:
    """ "Ask pmbot" (or the shortcut `callback_id`) picked from the menu of a message
    `author` wrote (in the thread `thread_ts`, if given)."""
    where = channel or ws.channel
    message = {"type": "message", "text": text, "user": author, "ts": message_ts}
    return {
        "type": "message_action",
        "token": ws.token,
        "action_ts": action_ts,
        "team": {"id": ws.team, "domain": ws.team_domain},
        "user": {"id": ws.user, "username": ws.user_name, "team_id": ws.team},
        "channel": {"id": where, "name": ws.channel_name},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id,
        "response_url": response_url,
        "message_ts": message_ts,
        "message": message | ({"thread_ts": thread_ts} if thread_ts else {}),
    }


def view_submission(
    ws: Workspace, view: dict[str, Any], values: dict[str, dict[str, Any]], user: str | None = None
) -> dict[str, Any]:
    """A modal submitted: `view` as it was opened, `values` its state (block id ->
    action id -> {"type": …, "value": …} or {"selected_option": …})."""
    submitted = {**view, "id": "V0MODAL1", "state": {"values": values}, "hash": "1.a"}
    return {
        "type": "view_submission",
        "team": {"id": ws.team, "domain": ws.team_domain},
        "user": {"id": user or ws.user, "username": ws.user_name, "team_id": ws.team},
        "api_app_id": ws.app_id,
        "token": ws.token,
        "trigger_id": "12466734323.1395872398.view",
        "view": submitted,
        "response_urls": [],
        "is_enterprise_install": False,
    }


def assistant_thread_started(ws: Workspace, dm: str, thread_ts: str) -> dict[str, Any]:
    """The inner event when someone opens pmbot's AI-app pane (legacy `assistant_view`)."""
    return {
        "type": "assistant_thread_started",
        "assistant_thread": {
            "user_id": ws.user,
            "context": {"channel_id": ws.channel, "team_id": ws.team, "enterprise_id": None},
            "channel_id": dm,
            "thread_ts": thread_ts,
        },
        "event_ts": thread_ts,
    }


_AT_NAME = re.compile(r"<[^<>]*>|(?<!\w)@([a-z0-9][a-z0-9._-]*)", re.IGNORECASE)
_SPECIAL = {"channel", "here", "everyone"}


def escape_mentions(text: str) -> str:
    """What Slack does to a slash command's text with `should_escape` on, for the local
    shell: `@alice` -> `<@UALICE|alice>`, `@here` -> `<!here>` (a typed `<…>` stays)."""

    def escaped(found: re.Match[str]) -> str:
        name = found.group(1)
        if name is None:  # Slack markup already: left as it is
            return found.group(0)
        if name.lower() in _SPECIAL:
            return f"<!{name.lower()}>"
        user_id = "U" + re.sub(r"[^A-Z0-9]", "", name.upper())
        return f"<@{user_id}|{name}>"

    return _AT_NAME.sub(escaped, text)
