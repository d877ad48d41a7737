"""The services the listeners use, built once by the caller (`pmbot serve`, the
shell, the tests) and handed to them through Bolt's context: `deps_of(context)`."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.answers.engine import Engine
from bot.answers.knowledge import KnowledgeBase
from bot.answers.live import LiveEngine
from bot.answers.result import Result
from bot.slack.answered import AnswersGiven, MemoryAnswers, StoredAnswers
from bot.slack.blocks import tip_message
from bot.slack.curators import Curators
from bot.slack.dedupe import EventDeduper, MemoryDeduper, StoreDeduper
from bot.slack.resilience import FallbackDeduper, QuestionLog, ReplyPool, StoreGuard
from bot.slack.threads import AssistantThreads
from bot.store.answers import AnswerStore
from bot.store.database import Store
from bot.store.holders import HolderStore
from bot.store.protocols import FeedbackSink, RoleHolders
from bot.store.taught import TaughtStore
from bot.tips.poster import TipPoster
from bot.tips.store import TipStore

log = logging.getLogger("pmbot.slack")
REPLY_THREADS = 16  # replies waiting on Slack; Bolt's own 10 threads stay free for acks
# SQLite serves one process: its role holders are cached this long (bot/store/holders.py).
SQLITE_HOLDER_CACHE_SECONDS = 5.0


class LoggedFeedback:
    """Feedback written to the log: the vote and topic at INFO (the request line
    says it too), the voter only at DEBUG; never the question text."""

    def record_vote(self, topic: str | None, vote: str, user: str, question: str) -> None:
        log.info("feedback vote=%s topic=%s", vote, topic)
        log.debug("feedback vote=%s topic=%s user=%s", vote, topic, user)


def utc_now() -> datetime:
    return datetime.now(UTC)


def tip_poster(
    tips: TipStore, client: WebClient, kb: KnowledgeBase | Callable[[], KnowledgeBase]
) -> TipPoster:
    """The daily-tip poster as pmbot posts, wired in this one place (serve, the
    shell and `pmbot tips run-due` all use it)."""
    return TipPoster(tips, client, kb, render=tip_message)


@dataclass
class Deps:
    """What listeners need, handed to them through Bolt's context."""

    live: LiveEngine  # the current engine; swapped whole when knowledge changes
    tips: TipStore | None = None  # None: no database, so no daily tips
    dedupe: EventDeduper = field(default_factory=MemoryDeduper)
    feedback: FeedbackSink = field(default_factory=LoggedFeedback)
    clock: Callable[[], datetime] = utc_now
    guard: StoreGuard = field(default_factory=StoreGuard)
    replies: ReplyPool = field(default_factory=ReplyPool)  # inline unless given threads
    questions: QuestionLog | None = None
    answers: AnswersGiven = field(default_factory=MemoryAnswers)  # for edited mentions
    assistant_threads: AssistantThreads = field(default_factory=AssistantThreads)
    curators: Curators = field(default_factory=Curators)  # none: no curator commands
    taught: TaughtStore | None = None  # None: no database, so nothing can be taught
    holders: RoleHolders | None = None  # who holds each role per channel (`/pm team`)

    @property
    def engine(self) -> Engine:
        """The engine of this moment: read it once per request (it may be swapped)."""
        return self.live.current

    @classmethod
    def of(cls, engine: Engine | LiveEngine, **extra: Any) -> Deps:
        live = engine if isinstance(engine, LiveEngine) else LiveEngine(engine)
        return cls(live=live, **extra)

    @classmethod
    def with_store(
        cls, engine: Engine | LiveEngine, store: Store, background: bool = False, **extra: Any
    ) -> Deps:
        """Everything that must outlive a restart, or be shared, goes to the store;
        none of it stands between a question and its answer (see resilience.py)."""
        guard = StoreGuard()
        live = engine if isinstance(engine, LiveEngine) else LiveEngine(engine)
        taught = TaughtStore(store)
        live.taught = taught  # taught phrasings come from this store, in every process
        return cls(
            live=live,
            taught=taught,
            tips=TipStore(store),
            dedupe=FallbackDeduper(StoreDeduper(store), guard),
            feedback=store,
            guard=guard,
            questions=QuestionLog(store, guard, background=background),
            answers=StoredAnswers(AnswerStore(store), guard),
            holders=HolderStore(
                store,
                SQLITE_HOLDER_CACHE_SECONDS if store.engine.dialect.name == "sqlite" else 0.0,
            ),
            **extra,
        )

    @classmethod
    def for_serving(cls, engine: Engine | LiveEngine, store: Store, **extra: Any) -> Deps:
        """As `pmbot serve` runs: questions logged and replies sent on threads of their own."""
        return cls.with_store(
            engine, store, background=True, replies=ReplyPool(REPLY_THREADS), **extra
        )

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
