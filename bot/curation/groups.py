"""Unanswered questions grouped by similarity: "these 7 questions are one".

Each question is compared, as its phrase key (lower-case words), with the groups
found so far that name the same roles, most asked first; one close enough
(rapidfuzz's token_sort_ratio, so word order and punctuation do not matter) joins
that group, else it starts one. "What does a PdM do?" and "what does a PjM do?" are
alike in all but the one word that matters, so the roles named are compared first.
rapidfuzz's `extractOne` runs in C and stops early on a perfect match, so 1,000
questions are grouped in well under a second (`python -m bench.grouping`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from bot.answers.schema import phrase_key
from bot.answers.text import Normaliser

SIMILAR = 85  # token_sort_ratio from which two questions are one (0-100)
MAX_GROUPS = 2_000  # the reps compared against: bounds the work per question


@dataclass
class Group:
    """Questions that are one: the newest wording, how often, when last, how many wordings."""

    question: str
    count: int
    newest: float
    wordings: int


def roles_named(normaliser: Normaliser) -> Callable[[str], Hashable]:
    """The roles a question names, as the engine reads them ("prodcut mgr" too): two
    questions about different roles are never one, however alike their words."""

    def roles(question: str) -> Hashable:
        read = normaliser.normalise(question)
        return (read.roles, read.neighbours, read.ambiguous_pm)

    return roles


def group_questions(
    rows: Iterable[Mapping[str, Any]], kind: Callable[[str], Hashable] | None = None
) -> list[Group]:
    """Rows of the unanswered log (`question`, `logged_at`) as groups, most asked first;
    with `kind` (say, `roles_named`), only questions of one kind can be one."""
    exact: dict[str, Group] = {}
    for row in rows:
        key = phrase_key(str(row["question"]))
        if not key:
            continue
        at = float(row["logged_at"])
        found = exact.get(key)
        if found is None:
            exact[key] = Group(str(row["question"]), 1, at, 1)
            continue
        found.count += 1
        if at > found.newest:
            found.question, found.newest = str(row["question"]), at
    kinds: dict[Hashable, tuple[list[str], list[Group]]] = {}
    groups: list[Group] = []
    for key, group in sorted(exact.items(), key=lambda kv: (-kv[1].count, -kv[1].newest)):
        keys, alike = kinds.setdefault(kind(group.question) if kind else None, ([], []))
        match = process.extractOne(key, keys, scorer=fuzz.token_sort_ratio, score_cutoff=SIMILAR)
        if match is None or len(keys) >= MAX_GROUPS:
            keys.append(key)
            alike.append(group)
            groups.append(group)
            continue
        into = alike[match[2]]
        into.count += group.count
        into.wordings += 1
        if group.newest > into.newest:
            into.question, into.newest = group.question, group.newest
    return sorted(groups, key=lambda g: (-g.count, -g.newest))
