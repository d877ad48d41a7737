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

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.answers.freshness import answer_text
from bot.answers.index import TopicIndex
from bot.answers.model import Ask, KnowledgeBase, Topic
from bot.answers.replies import decline_result
from bot.answers.result import Result
from bot.answers.rules import WHO
from bot.answers.text import AMBIGUOUS_PM, MAX_CHARS, ROLE_PREFIX, Normalised, words

OUR_TWO = ("product", "project")
# An answer the grid picked: the ask's cue and the role named agree on the cell.
ASK_CONFIDENCE = 0.7
RARE_WORD_TOPICS = 4  # a word this few topics know names a subject ("backlog", "okr")


@dataclass(frozen=True)
class Cell:
    """What the grid says for one question: `answers` (best first) when topics
    answer the cell; none, an empty cell, with `role` the subject it is about."""

    ask: Ask
    answers: tuple[Topic, ...]
    role: str | None = None


class Grid:
    """Built once per knowledge base; pure."""

    def __init__(self, kb: KnowledgeBase, index: TopicIndex) -> None:
        self.index = index
        self.duty_ids = {t.id for t in kb.answerable if t.kind == "duty"}
        # Asking who, in any of the words the synonyms give for it ("whose", "which
        # role"), read in the text: a phrase such as "whose job" is scored as `own`.
        said = [" ".join(words(w)) for w in (WHO, *kb.synonyms.get(WHO, ()))]
        self.asks_who = re.compile(rf"\b(?:{'|'.join(re.escape(w) for w in said if w)})\b")
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
        # Roles pmbot has any topic about; the others are named only to be declined.
        self.covered = {t.about for t in kb.answerable if t.about}
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
        uncovered = [role for role in roles if role not in self.covered]
        if not column or uncovered:
            role = (uncovered or roles or [None])[0]  # type: ignore[list-item]  # None: no role
            return Cell(ask, (), role) if ask.decline or not column else None
        if question.ambiguous_pm and not (question.roles or question.neighbours):
            return None  # "how do I become a PM": the acronym's answer offers both
        # The first role named is the subject: "what degree does a product owner
        # need, like a product manager?" is not about becoming a product manager.
        own = tuple(t for t in column if roles and t.about == roles[0])
        # A topic for any role must name every role asked about ("certificates for
        # a business analyst": the certifications topic names none); for an ask of
        # the subject's own words, say one of them ("what is an OKR" → the KPI term).
        general = [
            t
            for t in column
            if t.about is None
            and (
                self.explains(t, question)
                if ask.subject_word
                else all(self.names_role(t, role) for role in roles)
            )
        ]
        if own or general:
            return Cell(ask, own or tuple(general))
        for other in ask.fallback:  # in order: the first ask with a topic naming the role
            named = tuple(
                t for t in self.columns.get(other, []) if roles and self.names_role(t, roles[0])
            )
            if named:
                return Cell(ask, named)
        # An empty cell is declined by name only where the ask says how.
        return Cell(ask, (), roles[0]) if roles and ask.decline else None

    def names_role(self, topic: Topic, role: str) -> bool:
        """Does the topic's own wording name the role ("CSM" and "scrum master")?"""
        return f"@{role}" in self.index.bags[self.index.position[topic.id]]

    def explains(self, topic: Topic, question: Normalised) -> bool:
        """Does the question say the topic's subject: a keyword few topics know?"""
        subject = self.index.subjects[self.index.position[topic.id]]
        return any(
            t in subject
            and not t.startswith(ROLE_PREFIX)
            and len(self.index.bag_postings.get(t, ())) <= RARE_WORD_TOPICS
            for t in question.tokens
        )

    def name(self, role: str) -> str:
        return self.names.get(role, role.replace("-", " "))


def subjects(question: Normalised) -> list[str]:
    """The roles a question names, neighbours first, each group in the order the
    question names them: "how do I become a scrum master after being a business
    analyst" is about the scrum master."""
    neighbours = [r for r in question.named if r in question.neighbours]
    ours = [r for r in question.named if r in question.roles]
    ours += sorted(question.roles - set(ours))  # a role whose word is no token
    if not ours and question.ambiguous_pm:
        ours = list(OUR_TWO)
    first = [question.subject] if question.subject in (*neighbours, *ours) else []
    return [*dict.fromkeys([*first, *neighbours, *ours])]


def in_cell(
    grid: Grid, ask: Ask, text: str, whole: Normalised, result: Result, suggestions: Sequence[str]
) -> Result:
    """The engine's answer checked against the grid: a topic of the ask's column
    for the roles named, else a decline by name. A subject declined on purpose
    (exam prep, pay abroad) stays declined: its words are more specific than a cue."""
    if result.status == "decline" and result.declined:
        return result
    if result.topic in grid.duty_ids and grid.asks_who.search(" ".join(words(text[:MAX_CHARS]))):
        # "how do I find out who owns the budget?" asks who owns it; "tell me about a
        # project you managed" (manage is a duty word) asks no such thing.
        return result
    cell = grid.cell(ask, whole)
    if cell is None:
        if ask.subject_word and result.status == "answer" and not subjects(whole):
            # "What is a user story?" is never answered by who does something, nor
            # by a term the question does not say.
            column = {t.id for t in grid.columns.get(ask.id, [])}
            if result.topic in grid.duty_ids | column:
                return decline_result(result.question, result.confidence, suggestions)
        return result
    if not cell.answers:
        if cell.role is None and not ask.decline:
            return result
        return _decline_ask(grid, ask, text, cell.role, result, suggestions)
    ids = [t.id for t in cell.answers]
    # Of the topics for any role, the one naming more of the roles asked about:
    # "can a PO also be the scrum master" is combined-roles, not switch-roles.
    if result.status == "answer" and result.topic in ids:
        return result
    raw = grid.index.score(whole)
    score = lambda t: raw.get(grid.index.position[t.id], 0.0)  # noqa: E731
    roles = subjects(whole)
    named = lambda t: sum(grid.names_role(t, role) for role in roles)  # noqa: E731
    best = max(cell.answers, key=lambda t: (named(t), score(t), -ids.index(t.id)))
    return Result(
        question=text,
        status="answer",
        topic=best.id,
        confidence=max(min(score(best), 1.0), ASK_CONFIDENCE),
        text=answer_text(best),
        title=best.title,
    )


def _decline_ask(
    grid: Grid,
    ask: Ask,
    text: str,
    role: str | None,
    result: Result,
    suggestions: Sequence[str],
) -> Result:
    """An empty cell: say so by name, then what pmbot has on the role."""
    name = grid.name(role) if role else "this role"
    said = (ask.decline or f"I don't cover {ask.label}.").replace("{role}", name)
    offer = grid.role_topics.get(role or "")
    if offer is not None:
        said += f"\nHere is what I do know about the {name}:\n{answer_text(offer)}"
    return Result(
        question=text,
        status="decline",
        topic=None,
        confidence=result.confidence,
        text=said,
        title=offer.title if offer is not None else None,
        alternatives=(offer.id,) if offer is not None else (),
        suggestions=tuple(suggestions),
        declined=f"ask:{ask.id}",
    )
