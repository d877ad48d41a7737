"""The knowledge base as data: what loading YAML produces and the engine reads."""

from __future__ import annotations

from dataclasses import Field, dataclass, field, fields
from typing import Any


def text(*, required: bool = False, missing: str | None = None, **rest: Any) -> Any:
    """A topic field written in YAML as text; `missing`: its value when left out.
    (`rest` goes to dataclasses.field, e.g. the Python default.)"""
    return field(metadata={"yaml": "text", "required": required, "missing": missing}, **rest)


def texts(**rest: Any) -> Any:
    """A topic field written in YAML as a list of text (absent: empty)."""
    return field(metadata={"yaml": "list"}, **rest)


@dataclass(frozen=True)
class Topic:
    """Each field is declared once, here: the ones marked `text()` or `texts()`
    are the YAML fields a topic may have, read by knowledge.py in this order."""

    id: str = text(required=True)
    title: str = text(required=True)
    kind: str = text(missing="faq")  # faq, duty, role, term or decline
    answer: str = text(required=True)
    questions: tuple[str, ...] = texts()
    keywords: tuple[str, ...] = texts(default=())
    related: tuple[str, ...] = texts(default=())
    owner: str | None = text(default=None)  # duty topics: product, project or both
    about: str | None = text(default=None)
    counterpart: str | None = text(default=None)
    group: str | None = text(default=None)
    # The ask it answers (knowledge/asks.yaml: become, career…); none: "what is it".
    ask: str | None = text(default=None)
    # Freshness: when a person last checked it (YYYY-MM-DD), and who looks after it.
    # `maintainer`, not `owner`: `owner` already names the role a duty belongs to.
    reviewed: str | None = text(default=None)
    maintainer: str | None = text(default=None)
    # the date its figures are from, shown with them; or "undated" (the source gives none)
    as_of: str | None = text(default=None)
    source: str = ""  # file:line, set by the loader
    question_lines: tuple[int, ...] = ()  # line of each question, set by the loader

    @property
    def declines(self) -> bool:
        """A subject pmbot declines on purpose (declines.yaml), never an answer."""
        return self.kind == "decline"


def yaml_fields(cls: type) -> list[Field[Any]]:
    """The fields of `cls` that knowledge files write, in declaration order."""
    return [f for f in fields(cls) if "yaml" in f.metadata]


@dataclass(frozen=True)
class Duty:
    role: str
    # The topic that answers "who does this?": written in YAML, or derived by the
    # loader (role_grid.py). None when the role's own topic, written in YAML, answers
    # for the whole role, or a YAML topic already asks the duty's question.
    topic: str | None
    duty: str
    tasks: tuple[str, ...]
    source: str = ""  # file:line, set by the loader


@dataclass(frozen=True)
class Role:
    id: str
    title: str
    focus: str
    goal: str
    duties: tuple[Duty, ...]
    source: str = ""  # file:line, set by the loader


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
    prompt_topics: tuple[str, ...] = ()  # suggested prompts of Slack's AI-app pane (issue 12)
    # Topics that describe one role (their `about`): answers name that role's holders.
    role_topics: tuple[str, ...] = ()
    review_days: int | None = None  # a topic reviewed longer ago than this is stale


@dataclass(frozen=True)
class Ask:
    """A kind of question ("how do I become…", "is it stressful"), told by its cues,
    whatever the subject; `ROLE` in a cue stands for any role the synonyms name."""

    id: str
    label: str
    cues: tuple[str, ...]
    decline: str = ""  # said when no topic answers it for the subject; `{role}`: its name
    fallback: tuple[str, ...] = ()  # other asks whose topics answer it when they name the role
    subject_word: bool = False  # a topic for any role must also say the question's subject


@dataclass(frozen=True)
class Smalltalk:
    """Greetings and thanks (the `smalltalk` section): a message made only of these
    phrases (and the `also` words) gets the reply, not "I don't know that one"."""

    greetings: tuple[str, ...] = ()
    greeting_reply: str = ""  # the help follows it
    thanks: tuple[str, ...] = ()
    thanks_reply: str = ""
    also: tuple[str, ...] = ()  # words that may come with them: "hi *there*", "thanks *a lot*"


@dataclass(frozen=True)
class KnowledgeBase:
    topics: dict[str, Topic]
    roles: dict[str, Role] = field(default_factory=dict)
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    tips: tuple[Tip, ...] = ()
    filler: frozenset[str] = frozenset()
    settings: KnowledgeSettings = field(default_factory=KnowledgeSettings)
    smalltalk: Smalltalk = field(default_factory=Smalltalk)
    asks: tuple[Ask, ...] = ()

    @property
    def answerable(self) -> list[Topic]:
        """Topics pmbot answers with. Declines are knowledge too (what it must
        not answer), but are never listed, suggested or picked as a tip."""
        return [topic for topic in self.topics.values() if not topic.declines]

    def duties_for(self, topic_id: str) -> list[Duty]:
        return [d for role in self.roles.values() for d in role.duties if d.topic == topic_id]
