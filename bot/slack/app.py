"""build_app(): one Bolt App, whatever serves it (HTTP, Socket Mode, the local shell)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.authorization.authorize import Authorize
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.config import Settings
from bot.slack.listeners import register
from bot.slack.requestlog import log_request, stamp
from bot.slack.services import Deps

log = logging.getLogger("pmbot.slack")
API_TIMEOUT_SECONDS = 5  # per attempt; Slack answers in well under a second when well
RATE_LIMIT_MAX_WAIT = 10  # a longer Retry-After is not waited out: the call fails


class BudgetedRateLimitHandler(RateLimitErrorRetryHandler):
    """Waits out a 429's Retry-After only when it is short: a reply that would
    arrive minutes late is worse than a logged failure, and the wait holds a thread."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        values = {k.lower(): v for k, v in response.headers.items()}.get("retry-after") or ["1"]
        wait = values[0] if isinstance(values, list) else values
        return str(wait).strip().isdigit() and int(wait) <= RATE_LIMIT_MAX_WAIT


def web_client(settings: Settings) -> WebClient:
    """A WebClient with a timeout on every call and a retry budget: rate limits waited
    out up to RATE_LIMIT_MAX_WAIT, connection errors and 5xx retried twice; at worst
    a call gives up after about 40 s."""
    kwargs: dict[str, Any] = {"token": settings.bot_token, "timeout": API_TIMEOUT_SECONDS}
    if settings.api_url:
        kwargs["base_url"] = settings.api_url
    return WebClient(
        **kwargs,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            BudgetedRateLimitHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def _has_effects(deps: Deps, body: dict[str, Any]) -> bool:
    """Whether a request changes something others see (a vote, a hand-off, holders,
    teaching, tips): every button and form does, and a `/pm` a feature claims. A
    `/pm` question only answers the one who asked."""
    if "command" not in body:
        return True
    words = str(body.get("text") or "").split()
    return any(f.claims(deps.engine.kb, words) for f in deps.features)


def _seen_before(deps: Deps, request: BoltRequest, body: dict[str, Any]) -> str | None:
    """Why this request must have no effect, or None when it is new.

    - An event retried by Slack, or replayed, carries an event id seen before.
    - Any other signed request seen before (the same signature: the same body and
      timestamp, replayed inside Slack's 5-minute window). One with effects is
      remembered in memory and in the store, across processes; a `/pm` question in
      this process's memory, so answering never waits on the store. Socket Mode
      requests carry no signature and are not replayable from outside.
    """
    if body.get("type") == "event_callback":
        if _chatter(body.get("event") or {}):
            return None  # nothing will come of it: no need to remember its id
        event_id = body.get("event_id")
        fresh = not isinstance(event_id, str) or deps.dedupe.first_time(event_id)
        return None if fresh else "duplicate"
    signature = (request.headers.get("x-slack-signature") or [""])[0]
    if not signature:
        return None
    seen = deps.dedupe if _has_effects(deps, body) else deps.replays
    return None if seen.first_time(f"sig:{signature[:100]}") else "replayed"


def _chatter(event: dict[str, Any]) -> bool:
    """A channel message outside any thread (message.channels brings every one, for
    the hand-off's thread replies): ignored, so not worth a write to the store."""
    return (
        event.get("type") == "message"
        and event.get("channel_type") in ("channel", "group")
        and not event.get("thread_ts")
    )


# The services a request's listeners get (from its context and body): one workspace's
# always, or (serving every workspace that installs pmbot) its workspace's.
ServicesFor = Callable[[BoltContext, dict[str, Any]], Deps]


def _arrival(services_for: ServicesFor) -> Callable[..., BoltResponse | None]:
    """pmbot's one Bolt middleware, first in line (one, not five: Bolt builds each
    middleware's arguments on every request). It stamps the request (its clock and
    id), hands the listeners their workspace's services, makes `respond` report a
    lost reply, and drops a request seen before. Bolt has verified the signature
    (and, with OAuth, found the workspace's installation) by then."""

    def arrival(
        request: BoltRequest, body: dict[str, Any], context: BoltContext, next: Callable[[], None]
    ) -> BoltResponse | None:
        stamp(body, context)
        context["pmbot"] = deps = services_for(context, body)
        if context.respond is not None:
            context["respond"] = CheckedRespond(context.respond)
        why = _seen_before(deps, request, body)
        if why is not None:
            log_request(context, "event" if why == "duplicate" else "request", why)
            return BoltResponse(status=200, body="")
        next()
        return None

    return arrival


class ResponseUrlError(Exception):
    """Slack's response_url refused a reply: raised so the reply's failure is logged."""


class CheckedRespond:
    """Bolt's `respond`, which returns Slack's answer and never raises: a 4xx or 5xx
    from the response_url raises instead, so every lost reply leaves one log line
    (the reply pool's "… for <ref> failed for good", or the listener's error line)."""

    def __init__(self, respond: Callable[..., Any]) -> None:
        self._respond = respond

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        response = self._respond(*args, **kwargs)
        status = getattr(response, "status_code", 200)
        if status >= 400:
            raise ResponseUrlError(f"the response_url answered HTTP {status}")
        return response


def _log_error(error: Exception, body: dict[str, Any]) -> None:
    # The type and a short kind only: payloads may hold user text and tokens.
    kind = body.get("type") or body.get("command") or "request"
    log.error("listener failed on %s: %s: %s", kind, type(error).__name__, error)


def build_app(
    settings: Settings,
    deps: Deps,
    client: WebClient | None = None,
    listener_executor: Executor | None = None,
    oauth: OAuthSettings | None = None,
    authorize: Authorize | None = None,
    services_for: ServicesFor | None = None,
) -> App:
    """The app on `deps`; with `oauth` (serving every workspace that installs pmbot),
    `authorize` finds each request's installation, each request gets `services_for`
    its workspace, and `deps` only lends the listeners their features' registrations."""
    client = client or web_client(settings)
    app = App(
        client=client,
        signing_secret=settings.signing_secret or "",
        oauth_settings=oauth,
        authorize=authorize,  # type: ignore[arg-type]  # an Authorize: Bolt takes it as is
        installation_store=oauth.installation_store if oauth is not None else None,
        installation_store_bot_only=True if oauth is not None else None,
        # Over HTTP, a listener runs in the request's thread and its ack is the
        # response as soon as it returns: no thread hop and no polling for the ack
        # (Bolt's thread runner sleeps 10 ms between looks). Every listener acks
        # first and hands slow work (Web API calls) to the reply pool, so returning
        # takes no longer than the ack. Socket Mode acks over its socket: the
        # listener runs in a worker, as Bolt intends there.
        process_before_response=not settings.socket_mode,
        listener_executor=listener_executor,
        logger=logging.getLogger("slack_bolt"),
    )
    app.middleware(_arrival(services_for or (lambda _context, _body: deps)))
    app.error(_log_error)
    register(app, deps.features)
    return app
