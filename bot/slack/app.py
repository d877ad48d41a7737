"""build_app(): one Bolt App, whatever serves it (HTTP, Socket Mode, the local shell)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.answers.engine import Engine, Result
from bot.config import Settings
from bot.slack.dedupe import EventDeduper, MemoryDeduper, StoreDeduper
from bot.slack.resilience import FallbackDeduper, QuestionLog, ReplyPool, StoreGuard
from bot.store.database import Store
from bot.store.protocols import FeedbackSink

log = logging.getLogger("pmbot.slack")
REPLY_THREADS = 16  # replies waiting on Slack; Bolt's own 10 threads stay free for acks
API_TIMEOUT_SECONDS = 5  # per attempt; Slack answers in well under a second when well
RATE_LIMIT_MAX_WAIT = 10  # a longer Retry-After is not waited out: the call fails


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
    guard: StoreGuard = field(default_factory=StoreGuard)
    replies: ReplyPool = field(default_factory=ReplyPool)  # inline unless given threads
    questions: QuestionLog | None = None

    @classmethod
    def with_store(
        cls, engine: Engine, store: Store, background: bool = False, **extra: Any
    ) -> Deps:
        """Everything that must outlive a restart, or be shared, goes to the store;
        none of it stands between a question and its answer (see resilience.py)."""
        guard = StoreGuard()
        return cls(
            engine=engine,
            store=store,
            dedupe=FallbackDeduper(StoreDeduper(store), guard),
            feedback=store,
            guard=guard,
            questions=QuestionLog(store, guard, background=background),
            **extra,
        )

    @classmethod
    def for_serving(cls, engine: Engine, store: Store) -> Deps:
        """As `pmbot serve` runs: questions logged and replies sent on threads of their own."""
        return cls.with_store(engine, store, background=True, replies=ReplyPool(REPLY_THREADS))

    def note(self, result: Result, user: str) -> None:
        """Count the question for `pmbot report`; keep unanswered ones for curators."""
        if self.questions is None:
            return
        # What pmbot did not answer also goes to the unanswered log, under its status.
        reason = result.status if result.status in ("decline", "clarify") else None
        self.questions.add(result.topic, result.status, result.question, user, reason)

    def record_vote(self, topic: str | None, vote: str, user: str, question: str) -> bool:
        """True once the vote is stored; False (and one warning line) if it was not."""
        ok, _ = self.guard.run(
            "feedback", lambda: self.feedback.record_vote(topic, vote, user, question)
        )
        return ok

    def close(self, timeout: float) -> None:
        """Finish what is in flight, within `timeout` seconds (graceful shutdown)."""
        deadline = time.monotonic() + timeout
        self.replies.close(timeout)
        if self.questions is not None:
            self.questions.close(max(0.1, deadline - time.monotonic()))


def deps_of(context: BoltContext) -> Deps:
    deps = context["pmbot"]
    assert isinstance(deps, Deps)
    return deps


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
