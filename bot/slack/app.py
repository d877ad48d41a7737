"""build_app(): one Bolt App, whatever serves it (HTTP, Socket Mode, the local shell)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.config import Settings
from bot.engine import Engine, Result
from bot.slack.dedupe import EventDeduper, MemoryDeduper, StoreDeduper
from bot.store import Store

log = logging.getLogger("pmbot.slack")


class FeedbackSink(Protocol):
    def record_vote(self, topic: str | None, vote: str, user: str, question: str) -> None: ...


class LoggedFeedback:
    """Feedback written to the log (ids only, no question text)."""

    def record_vote(self, topic: str | None, vote: str, user: str, question: str) -> None:
        log.info("feedback vote=%s topic=%s user=%s", vote, topic, user)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Deps:
    """What listeners need, handed to them through Bolt's context."""

    engine: Engine
    store: Store | None = None
    dedupe: EventDeduper = field(default_factory=MemoryDeduper)
    feedback: FeedbackSink = field(default_factory=LoggedFeedback)
    clock: Callable[[], datetime] = utc_now

    @classmethod
    def with_store(cls, engine: Engine, store: Store, **extra: Any) -> Deps:
        """Everything that must outlive a restart, or be shared, goes to the store."""
        return cls(engine=engine, store=store, dedupe=StoreDeduper(store), feedback=store, **extra)

    def note(self, result: Result, user: str) -> None:
        """Count the question for `pmbot report`; keep unanswered ones for curators."""
        if self.store is None:
            return
        self.store.record_question(result.topic, result.status)
        if result.status in ("decline", "clarify"):
            self.store.log_unanswered(result.question, user, result.status)


def deps_of(context: BoltContext) -> Deps:
    deps = context["pmbot"]
    assert isinstance(deps, Deps)
    return deps


def web_client(settings: Settings) -> WebClient:
    """A WebClient that waits out rate limits and retries connection errors and 5xx."""
    kwargs: dict[str, Any] = {"token": settings.bot_token, "timeout": 10}
    if settings.api_url:
        kwargs["base_url"] = settings.api_url
    return WebClient(
        **kwargs,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def _provide_deps(deps: Deps) -> Callable[..., None]:
    def provide_deps(context: BoltContext, next: Callable[[], None]) -> None:
        context["pmbot"] = deps
        next()

    return provide_deps


def _drop_repeated_events(deps: Deps) -> Callable[..., BoltResponse | None]:
    def drop_repeated_events(body: dict[str, Any], next: Callable[[], None]) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if isinstance(event_id, str) and not deps.dedupe.first_time(event_id):
            log.info("event %s already handled; retry ignored", event_id)
            return BoltResponse(status=200, body="")
        next()
        return None

    return drop_repeated_events


def _log_error(error: Exception, body: dict[str, Any]) -> None:
    # The type and a short kind only: payloads may hold user text and tokens.
    kind = body.get("type") or body.get("command") or "request"
    log.error("listener failed on %s: %s: %s", kind, type(error).__name__, error)


def build_app(
    settings: Settings,
    deps: Deps,
    client: WebClient | None = None,
    listener_executor: Executor | None = None,
) -> App:
    from bot.slack.listeners import register

    app = App(
        client=client or web_client(settings),
        signing_secret=settings.signing_secret or "",
        process_before_response=False,  # ack first; answers go out after the ack
        listener_executor=listener_executor,
        logger=logging.getLogger("slack_bolt"),
    )
    app.middleware(_provide_deps(deps))
    app.middleware(_drop_repeated_events(deps))
    app.error(_log_error)
    register(app)
    return app
