"""The knowledge as a grid: subjects (roles) by asks (asks.py). Given the ask a
question makes and the roles it names, which topic answers that cell, or that
none does, so the engine declines by name instead of answering a neighbour.

- A topic with `ask:` and `about:` answers that ask for that role only
  ("how do I become a product manager": become-product-manager).
- A topic with `ask:` and no `about:` answers it for any role ("what comes
  after scrum master": career-paths).
- An ask may fall back on another ask's topics that name the role: "how do I
  become a scrum master" is answered by the certificates it takes.
- An ask with no topic for the roles named is an empty cell: decline by name,
  and offer what pmbot has on the role ("I don't cover how to become a scrum
  master. Here is what a scrum master does.").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.answers.model import Ask, KnowledgeBase, Topic
from bot.answers.text import AMBIGUOUS_PM, ROLE_PREFIX, Normalised

OUR_TWO = ("product", "project")


@dataclass(frozen=True)
class Cell:
    """What the grid says for one question: `answers` (best first) when topics
    answer the cell; none, an empty cell, with `role` the subject it is about."""

    ask: Ask
    answers: tuple[Topic, ...]
    role: str | None = None


class Grid:
    """Built once per knowledge base; pure."""

    def __init__(
        self,
        kb: KnowledgeBase,
        names_role: Callable[[Topic, str], bool],
        explains: Callable[[Topic, Normalised], bool],
    ) -> None:
        self.names_role = names_role  # does the topic's own wording name the role?
        self.explains = explains  # does it explain a word of the question, not a role?
        self.columns: dict[str, list[Topic]] = {ask.id: [] for ask in kb.asks}
        for topic in kb.answerable:
            if topic.ask in self.columns:
                self.columns[topic.ask].append(topic)
        # A role's name as people say it: the first variant of its synonym marker.
        self.names = {
            marker[len(ROLE_PREFIX) :]: variants[0]
            for marker, variants in kb.synonyms.items()
            if marker.startswith(ROLE_PREFIX) and marker != AMBIGUOUS_PM and variants
        }
        # What pmbot has on a role: its role topic (settings first, then file order).
        self.role_topics: dict[str, Topic] = {}
        ordered = [kb.topics[t] for t in kb.settings.role_topics if t in kb.topics]
        for topic in [*ordered, *kb.answerable]:
            if topic.about and topic.ask is None and topic.kind != "duty":
                self.role_topics.setdefault(topic.about, topic)

    def cell(self, ask: Ask, question: Normalised) -> Cell | None:
        """The cell of (the roles named, `ask`); None when the grid has nothing to
        say: the engine's own reading stands."""
        roles = subjects(question)
        column = self.columns.get(ask.id, [])
        # A role pmbot has nothing on (a marker in synonyms, no topic): no cell of
        # it is filled, whatever other role the question names beside it.
        uncovered = [role for role in roles if role not in self.role_topics]
        if not column or uncovered:
            role = (uncovered or roles or [None])[0]
            return Cell(ask, (), role) if ask.decline or not column else None
        own = tuple(t for t in column if t.about in roles)
        if question.ambiguous_pm and len(own) > 1:
            return None  # "how do I become a PM": the acronym's answer offers both
        # A topic for any role must still explain a word of its own ("what is
        # an OKR" → the KPI and OKR term; "what is a user story" → none of them).
        general = tuple(t for t in column if t.about is None and self.explains(t, question))
        if own or general:
            return Cell(ask, own or general)
        fallback = self.columns.get(ask.fallback or "", [])
        named = tuple(t for t in fallback for role in roles[:1] if self.names_role(t, role))
        if named:
            return Cell(ask, named)
        # An empty cell is declined by name only where the ask says how.
        return Cell(ask, (), roles[0]) if roles and ask.decline else None

    def name(self, role: str) -> str:
        return self.names.get(role, role.replace("-", " "))


def subjects(question: Normalised) -> list[str]:
    """The roles a question names, neighbours first: "how do I become a scrum
    master after being a project manager" is about the scrum master."""
    ours = sorted(question.roles) or (list(OUR_TWO) if question.ambiguous_pm else [])
    return [*sorted(question.neighbours), *ours]
