"""Rules on top of the raw scores: what a topic may answer at all, and how much.

Role safety is a rule, not a score:
- a topic about one of our roles is never returned for a question naming only
  the other role;
- a question naming a neighbouring role (product owner, scrum master, program
  manager) is answered by that role's topic, never by one of ours; and such a
  topic answers only when its role is named, or a word only it knows is used;
- a bare "PM" never silently picks one role (engine.py answers the acronym).
Evidence rules:
- a topic must explain a word of the question that is not generic;
- a duty or a decline needs its subject, one of its keywords;
- topics about the roles weigh less for a question naming none: "how much does a
  dentist earn" is not about PMs, unless a word implies the role ("PMP").
"""

from __future__ import annotations

from bot.answers.index import TopicIndex
from bot.answers.knowledge import Topic
from bot.answers.knowledge_sections import OUR_ROLES as OUR_ROLE_IDS
from bot.answers.text import PRODUCT, PROJECT, Normalised

OUR_ROLES = frozenset(OUR_ROLE_IDS)  # product and project; every other role is a neighbour
BOTH_ROLES_PENALTY = 0.9
ONE_ROLE_BONUS = 1.1
UNNAMED_ROLE_PENALTY = 0.75
NO_WHO_PENALTY = 0.85
# A duty answers "who does X?". "How do I do X?" (or "how do we run X?") asks
# for instructions, which we decline (declines.yaml): the duty's words are
# borrowed, unless the question still asks who ("how do I find out who owns
# the budget?"). The canonical tokens of synonyms.yaml's `how to` and `facilitate`.
INSTRUCTIONS, WHO = frozenset({"how_to", "facilitat"}), "who"
# Asking who owns or decides (synonyms.yaml's `who`, `owns`, `decide`): with one of
# our roles named, the second piece of evidence a duty needs (engine.py).
ASKS_WHO = frozenset({WHO, "own", "decid"})


def apply_rules(
    index: TopicIndex, question: Normalised, scores: dict[int, float]
) -> dict[int, float]:
    """The scores of the topics that may answer, adjusted by the role rules."""
    adjusted: dict[int, float] = {}
    names_a_role = bool(question.roles or question.neighbours) or question.ambiguous_pm
    for position, value in scores.items():
        topic = index.topics[position]
        if not _may_answer(index, question, position) or not has_core(index, question, position):
            continue
        if topic.kind == "duty" and _asks_how_to(question):
            continue
        if topic.kind == "duty" and not (ASKS_WHO.intersection(question.tokens) or names_a_role):
            # A duty answers who does it; "OKRs vs KPIs?" asks neither who nor of whom.
            value *= NO_WHO_PENALTY
        if topic.about in OUR_ROLES and len(question.roles) == 2:
            value *= BOTH_ROLES_PENALTY
        elif topic.about in question.roles and len(question.roles) == 1:
            value *= ONE_ROLE_BONUS  # "what's the role of a PdM": about that role
        if (
            index.anchored[position]
            and not names_a_role
            and not _implies_role(index, question, position)
        ):
            value *= UNNAMED_ROLE_PENALTY
        adjusted[position] = value
    return adjusted


def _may_answer(index: TopicIndex, question: Normalised, position: int) -> bool:
    topic = index.topics[position]
    about = topic.about
    if about and about not in OUR_ROLES and about not in question.neighbours:
        # A neighbouring role answers when it is named; unnamed, only when no
        # role at all is named and the question uses a word only it knows
        # ("who removes impediments?").
        names_a_role = question.roles or question.neighbours or question.ambiguous_pm
        return not names_a_role and _owns_a_word(index, question, position)
    if question.neighbours and not topic.declines:
        # "Is a scrum master just an agile project manager?" is about the scrum
        # master, whichever of our roles it is compared with.
        return about in question.neighbours
    # Names only the other role: never answer about this one.
    return not (about in OUR_ROLES and question.roles and about not in question.roles)


def _asks_how_to(question: Normalised) -> bool:
    return bool(INSTRUCTIONS.intersection(question.tokens)) and WHO not in question.tokens


def _owns_a_word(index: TopicIndex, question: Normalised, position: int) -> bool:
    return any(index.owner_of.get(token) == position for token in question.tokens)


def _implies_role(index: TopicIndex, question: Normalised, position: int) -> bool:
    """Does the question use a word only this role's topic knows ("PMP")? Then
    it names the role as surely as saying "project manager" would."""
    return index.topics[position].about is not None and _owns_a_word(index, question, position)


def has_core(index: TopicIndex, question: Normalised, position: int) -> bool:
    """Does the topic explain a word of the question that is not generic?
    A role named with its marker ("product manager") counts for a topic about
    that role: "what does a product manager do" is all core. A duty or a
    decline needs its subject, one of its keywords: "who decides which features
    get built" is not about releases, though a release question says "feature"
    too; "which PM earns more" is no question about salaries abroad until it
    names a country."""
    topic = index.topics[position]
    if topic.kind in ("duty", "decline") and not any(
        t in index.subjects[position] and t not in index.generic for t in question.tokens
    ):
        return False
    return (
        matched(index, question, topic, distinctive=True) > 0
        or bool(topic.about and topic.about in question.neighbours)
        or (topic.about is None and _only_both_roles(question))
    )


def _only_both_roles(question: Normalised) -> bool:
    """ "Product manager or project manager?", "am I a PdM or a PjM?": both roles
    and nothing else is a question about the two together, whatever the topic."""
    return len(question.roles) == 2 and set(question.tokens) <= {PRODUCT, PROJECT}


def matched(
    index: TopicIndex, question: Normalised, topic: Topic, distinctive: bool = False
) -> int:
    """How many of the question's words the topic explains (with `distinctive`,
    only words that are not generic; a topic's own role marker counts)."""
    bag = index.bags[index.position[topic.id]]
    own_role = f"@{topic.about}"
    return sum(
        token in bag and not (distinctive and token in index.generic and token != own_role)
        for token in question.tokens
    )
