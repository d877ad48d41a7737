"""The knowledge base as data: what loading YAML produces and the engine reads."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    kind: str
    answer: str
    questions: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    owner: str | None = None
    about: str | None = None
    counterpart: str | None = None
    group: str | None = None
    source: str = ""

    @property
    def declines(self) -> bool:
        """A subject pmbot declines on purpose (declines.yaml), never an answer."""
        return self.kind == "decline"


@dataclass(frozen=True)
class Duty:
    role: str
    topic: str
    duty: str
    tasks: tuple[str, ...]


@dataclass(frozen=True)
class Role:
    id: str
    title: str
    focus: str
    goal: str
    duties: tuple[Duty, ...]


@dataclass(frozen=True)
class Tip:
    id: str
    text: str
    topic: str | None = None


@dataclass(frozen=True)
class KnowledgeSettings:
    """Topic ids the engine treats specially (the `settings` section)."""

    ambiguous_topic: str | None = None  # answers a bare "PM"; None: that rule is off
    suggested_topics: tuple[str, ...] = ()  # their first questions are offered as examples


@dataclass(frozen=True)
class KnowledgeBase:
    topics: dict[str, Topic]
    roles: dict[str, Role] = field(default_factory=dict)
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    tips: tuple[Tip, ...] = ()
    filler: frozenset[str] = frozenset()
    settings: KnowledgeSettings = field(default_factory=KnowledgeSettings)

    @property
    def answerable(self) -> list[Topic]:
        """Topics pmbot answers with. Declines are knowledge too (what it must
        not answer), but are never listed, suggested or picked as a tip."""
        return [topic for topic in self.topics.values() if not topic.declines]

    def duties_for(self, topic_id: str) -> list[Duty]:
        return [d for role in self.roles.values() for d in role.duties if d.topic == topic_id]
