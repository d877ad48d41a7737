"""One INFO line per handled request, in one format for every surface.

Every answer path (slash command, mention, DM, button, App Home, and any surface
added later) ends by calling `log_request` or `log_result`, so an operator
greps one shape:

    surface=command status=answer topic=salary confidence=0.93 ms=1.2 id=r-1a2b3c4d

`id` is Slack's event id for events (to match Slack's delivery logs and retries),
else an id made for the request. The line never carries the user's text, user
ids or channel ids: those stay out of INFO logs (LOG_LEVEL=DEBUG shows payloads).
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from typing import Any

from slack_bolt import BoltContext

from bot.answers.result import Result

log = logging.getLogger("pmbot.requests")
STARTED = "pmbot_started"
REQUEST_ID = "pmbot_request_id"
# Topic ids and statuses are ours (knowledge ids, engine statuses); anything else
# reaching this line (a forged button value) is not printed.
_SAFE = re.compile(r"^[a-z0-9][a-z0-9_:-]{0,99}$")
_SAFE_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def _safe(value: str | None, pattern: re.Pattern[str] = _SAFE) -> str:
    if not value:
        return "-"
    return value if pattern.match(value) else "?"


def request_line(
    surface: str,
    status: str,
    topic: str | None = None,
    confidence: float | None = None,
    ms: float = 0.0,
    request_id: str | None = None,
) -> str:
    """The line's text; pure, so its shape is tested without logging."""
    shown = "-" if confidence is None else f"{confidence:.2f}"
    return (
        f"surface={_safe(surface)} status={_safe(status)} topic={_safe(topic)} "
        f"confidence={shown} ms={ms:.1f} id={_safe(request_id, _SAFE_ID)}"
    )


def stamp(body: dict[str, Any], context: BoltContext) -> None:
    """When the request arrived and its id (app.py's middleware, first in line)."""
    context[STARTED] = time.perf_counter()
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    context[REQUEST_ID] = event_id if isinstance(event_id, str) else f"r-{secrets.token_hex(4)}"


def log_request(
    context: BoltContext,
    surface: str,
    status: str,
    topic: str | None = None,
    confidence: float | None = None,
) -> None:
    started = context.get(STARTED)
    ms = (time.perf_counter() - started) * 1000 if isinstance(started, float) else 0.0
    request_id = context.get(REQUEST_ID)
    log.info(
        "%s",
        request_line(
            surface, status, topic, confidence, ms, str(request_id) if request_id else None
        ),
    )


def log_result(context: BoltContext, surface: str, result: Result) -> None:
    """The line for a question the engine answered (or clarified, or declined)."""
    log_request(context, surface, result.status, result.topic, result.confidence)
