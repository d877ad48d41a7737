"""`/pm compare`: two roles of the role grid side by side, as pure functions.

`/pm compare` alone is product vs project manager. `/pm compare scrum master agile
coach` reads the role names with the knowledge's normaliser, so every word the
synonyms have for a role works ("PO", "SM", "pmm", a typo), and a role a team adds
to the grid is named by its title; the roles come in the order they were typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.answers.knowledge import KnowledgeBase, Role
from bot.answers.role_grid import lower_first, role_name
from bot.answers.text import Normaliser
from bot.mrkdwn import clip, escape
from bot.slack.blocks import (
    FIELD_TEXT_LIMIT,
    QUESTION_ECHO_LIMIT,
    Block,
    Message,
    context,
    mrkdwn,
    section,
)

DEFAULT = ("product", "project")  # `/pm compare` with nothing after it
SUMMARY_TOPIC = "what-vs-how"  # its one-line summary, under product vs project
COMPARED = 2


@dataclass(frozen=True)
class Named:
    """The grid's roles a `/pm compare` names, in the order typed; `bare_pm`: it said
    "PM", which could be either of our roles."""

    roles: tuple[str, ...]
    bare_pm: bool = False


def roles_named(kb: KnowledgeBase, normaliser: Normaliser, text: str) -> Named:
    """The roles `text` names (nothing typed: product and project). A role the
    synonyms name but the grid does not hold has no card to show, so it is left out."""
    if not text.strip():
        return Named(DEFAULT)
    read = normaliser.normalise(text)
    return Named(tuple(r for r in read.named if r in kb.roles), read.ambiguous_pm)


def _title(kb: KnowledgeBase, role_id: str) -> str:
    role = kb.roles.get(role_id)
    return role.title if role else role_id.replace("-", " ").capitalize()


def _card(role: Role) -> str:
    lines = [f"*{escape(role.title)}*"]
    if role.focus:
        lines.append(f"_{escape(role.focus)}_")
    lines += [f"• {escape(duty.duty)}" for duty in role.duties] or ["_No duties listed yet._"]
    if role.goal:
        lines.append(f"*Goal:* {escape(role.goal)}")
    return "\n".join(lines)


def compare_message(
    kb: KnowledgeBase, roles: Sequence[str] = DEFAULT, here: str | None = None
) -> Message:
    """The roles side by side, one field each, from the role grid; `here`: who holds
    them in this channel, under the header."""
    titles = [_title(kb, role_id) for role_id in roles]
    title = " vs ".join([titles[0], *(lower_first(t) for t in titles[1:])])
    blocks: list[Block] = [section(f"*{escape(title)}*" + (f"\n{here}" if here else ""))]
    fields = [mrkdwn(_card(kb.roles[r]), FIELD_TEXT_LIMIT) for r in roles if r in kb.roles]
    if fields:
        blocks.append({"type": "section", "fields": fields})
    summary = kb.topics.get(SUMMARY_TOPIC)
    if summary and set(roles) == set(DEFAULT):
        blocks.append(context(summary.answer))
    return {"text": f"{title}, side by side", "blocks": blocks}


def _example(kb: KnowledgeBase, named: Sequence[str]) -> str:
    """`/pm compare <two roles>`, starting from what was named when it can."""
    names = [*named, *(r for r in kb.roles if r not in named)][:COMPARED]
    return "`/pm compare " + " ".join(role_name(kb.roles[r]) for r in names) + "`"


def cannot_compare_message(kb: KnowledgeBase, text: str, named: Named) -> Message:
    """Not two roles the grid knows: say what was found, and which roles it knows."""
    asked = escape(clip(" ".join(text.split()), QUESTION_ECHO_LIMIT))
    found = ", ".join(f"*{escape(role_name(kb.roles[r]))}*" for r in named.roles)
    if len(named.roles) > COMPARED:
        lead = f"I compare two roles at a time, and “{asked}” names {len(named.roles)}: {found}."
    elif named.roles:
        lead = f"I need two roles to compare, and found one I know in “{asked}”: {found}."
    else:
        lead = f"I need two roles to compare, and found none I know in “{asked}”."
    if named.bare_pm:
        lead += " “PM” could be the product or the project manager: say which."
    known = ", ".join(escape(role_name(role)) for role in kb.roles.values())
    text = f"{lead}\nI can compare any two of: {known}.\nFor example: {_example(kb, named.roles)}"
    return {"text": text.replace("*", "").replace("`", ""), "blocks": [section(text)]}
