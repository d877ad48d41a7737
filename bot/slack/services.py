"""The services the listeners use, built once by the composition root (bot/compose.py)
and handed to them through Bolt's context: `deps_of(context)`.

A feature folder (bot/tips, bot/team, bot/curation) is a `Feature`, in
`Deps.features`. Shared code (the `/pm` router, the answer path, App Home, the local
shell) calls only its hooks, so it never imports a feature, and no feature imports
another. Every hook's default adds nothing."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.answers.engine import Engine
from bot.answers.knowledge import KnowledgeBase
from bot.answers.live import LiveEngine
from bot.answers.result import Result
from bot.slack.answered import AnswersGiven, MemoryAnswers, StoredAnswers
from bot.slack.blocks import Block
from bot.slack.dedupe import EventDeduper, MemoryDeduper, StoreDeduper
from bot.slack.resilience import FallbackDeduper, QuestionLog, ReplyPool, StoreGuard
from bot.slack.threads import AssistantThreads
from bot.store.answers import AnswerStore
from bot.store.database import Store
from bot.store.protocols import FeedbackSink

log = logging.getLogger("pmbot.slack")
REPLY_THREADS = 16  # replies waiting on Slack; Bolt's own 10 threads stay free for acks


# The one reply for a change the store could not record (`/pm tips`, `/pm team`,
# the curator commands).
STORE_DOWN = "I can't reach my database just now, so nothing changed. Please try again shortly."


# Who "Ask a person" asks, first to last (bot/handoff): the holders of the question's
# role in its channel, then the experts channel, then the curators.
HOLDERS_RANK, EXPERTS_RANK, CURATORS_RANK = 0, 1, 2


@dataclass(frozen=True)
class People:
    """Who can take a question pmbot could not answer, as a feature knows them."""

    ids: tuple[tuple[str, str], ...]  # (Slack id, "user" or "usergroup"), in order
    role: str  # what they are to the question: "product manager here", "curator"
    rank: int  # HOLDERS_RANK, CURATORS_RANK: who is asked first


@dataclass(frozen=True)
class PmRequest:
    """A `/pm` subcommand a feature claimed: everything its handler may use."""

    deps: Deps
    ack: Ack
    respond: Respond
    client: WebClient
    command: dict[str, Any]
    text: str  # what the user typed after `/pm`, spaces collapsed

    @property
    def args(self) -> str:
        """What follows the subcommand's word."""
        return self.text.split(None, 1)[1] if " " in self.text else ""

    @property
    def channel(self) -> str:
        return str(self.command.get("channel_id") or "")

    @property
    def user(self) -> str:
        return str(self.command.get("user_id") or "")


class Feature:
    """A feature as the app sees it. Subclasses override the hooks they need."""

    def claims(self, kb: KnowledgeBase, words: Sequence[str]) -> bool:
        """Is `/pm WORDS…` (lower case) this feature's subcommand, not a question?"""
        return False

    def handle_pm(self, request: PmRequest) -> None:
        """Ack (and reply to) a `/pm` subcommand this feature claimed."""
        raise NotImplementedError

    def register(self, app: App) -> None:
        """Add this feature's own listeners (buttons, shortcuts, events) to the app."""

    def here(
        self,
        deps: Deps,
        channel: str,
        topic_id: str | None = None,
        roles: Sequence[str] = (),
        client: WebClient | None = None,
    ) -> str | None:
        """A line naming who in `channel` holds the roles an answer is about (the
        roles of `topic_id`, or `roles`). With a `client` (a reply after the ack)
        by name; without (an ephemeral reply in the ack), as mentions."""
        return None

    def home_blocks(self, deps: Deps, user: str, client: WebClient) -> list[Block]:
        """This feature's part of `user`'s App Home, after the intro."""
        return []

    def people(
        self, deps: Deps, channel: str, topic_id: str | None, question: str
    ) -> People | None:
        """Who this feature knows can answer `question` (asked in `channel`; about
        `topic_id`, if pmbot had a topic) when pmbot could not, or None."""
        return None

    @property
    def asks_people(self) -> bool:
        """Does this feature hand questions on to people ("Ask a person" buttons)?"""
        return False

    def curates(self, user: str, client: WebClient) -> bool:
        """Is `user` a curator (who sees what people ask, in App Home)?"""
        return False

    def takes_reply(self, deps: Deps, client: WebClient, event: dict[str, Any]) -> bool:
        """Is this DM thread reply this feature's (then it is not answered as a question)?"""
        return False

    def run_due(self, deps: Deps, client: WebClient, now: datetime) -> str | None:
        """Post what is due at `now` as the scheduler would; a summary line, or None."""
        return None


FeatureT = TypeVar("FeatureT", bound=Feature)


class LoggedFeedback:
    """Feedback written to the log: the vote and topic at INFO (the request line
    says it too), the voter only at DEBUG; never the question text."""

    def record_vote(
        self, topic: str | None, vote: str, user: str, question: str, answer: str = ""
    ) -> None:
        log.info("feedback vote=%s topic=%s", vote, topic)
        log.debug("feedback vote=%s topic=%s user=%s", vote, topic, user)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Deps:
    """What listeners need, handed to them through Bolt's context."""

    live: LiveEngine  # the current engine; swapped whole when knowledge changes
    dedupe: EventDeduper = field(default_factory=MemoryDeduper)
    replays: EventDeduper = field(default_factory=MemoryDeduper)  # `/pm` questions seen
    feedback: FeedbackSink = field(default_factory=LoggedFeedback)
    clock: Callable[[], datetime] = utc_now
    guard: StoreGuard = field(default_factory=StoreGuard)
    replies: ReplyPool = field(default_factory=ReplyPool)  # inline unless given threads
    questions: QuestionLog | None = None
    answers: AnswersGiven = field(default_factory=MemoryAnswers)  # for edited mentions
    assistant_threads: AssistantThreads = field(default_factory=AssistantThreads)
    # What the feature folders add (bot/compose.py builds them): their hooks only.
    features: Sequence[Feature] = ()

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
        return cls(
            live=live,
            dedupe=FallbackDeduper(StoreDeduper(store), guard),
            feedback=store,
            guard=guard,
            questions=QuestionLog(store, guard, background=background),
            answers=StoredAnswers(AnswerStore(store), guard),
            **extra,
        )

    def feature(self, kind: type[FeatureT]) -> FeatureT | None:
        """The feature of this kind, if the app has it."""
        return next((f for f in self.features if isinstance(f, kind)), None)

    def here(
        self,
        channel: str,
        topic_id: str | None = None,
        roles: Sequence[str] = (),
        client: WebClient | None = None,
    ) -> str | None:
        """Who in `channel` holds the roles an answer is about, if a feature says;
        by name when given the `client` (only after the ack)."""
        if not channel:
            return None
        lines = (f.here(self, channel, topic_id, roles, client) for f in self.features)
        return next((line for line in lines if line), None)

    def home_blocks(self, user: str, client: WebClient) -> list[Block]:
        """What the features add to `user`'s App Home."""
        return [b for f in self.features for b in f.home_blocks(self, user, client)]

    def people(self, channel: str, topic_id: str | None, question: str) -> list[People]:
        """Who the features know can answer `question`, first to ask first."""
        found = (f.people(self, channel, topic_id, question) for f in self.features)
        return sorted((p for p in found if p is not None and p.ids), key=lambda p: p.rank)

    @property
    def asks_people(self) -> bool:
        """Whether answers offer "Ask a person" (a feature takes the hand-off)."""
        return any(f.asks_people for f in self.features)

    def curates(self, user: str, client: WebClient) -> bool:
        return any(f.curates(user, client) for f in self.features)

    def takes_reply(self, client: WebClient, event: dict[str, Any]) -> bool:
        """Whether a feature takes this DM thread reply as its own (a hand-off's answer)."""
        return any(f.takes_reply(self, client, event) for f in self.features)

    def run_due(self, client: WebClient, now: datetime) -> str | None:
        """Post what the features' schedules have due at `now`; their summary, if any."""
        done = (f.run_due(self, client, now) for f in self.features)
        return next((summary for summary in done if summary is not None), None)

    def note(self, result: Result, user: str) -> None:
        """Count the question for `pmbot report`; keep unanswered ones for curators."""
        if self.questions is None:
            return
        # What pmbot did not answer also goes to the unanswered log, under its status.
        reason = result.status if result.status in ("decline", "clarify") else None
        self.questions.add(result.topic, result.status, result.question, user, reason)

    def record_vote(
        self, topic: str | None, vote: str, user: str, question: str, answer: str = ""
    ) -> bool:
        """True once the vote is stored; False (and one warning line) if it was not.
        `answer` (channel:ts of the answer) makes it one vote per user and answer."""
        ok, _ = self.guard.run(
            "feedback", lambda: self.feedback.record_vote(topic, vote, user, question, answer)
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
