"""What people ask, for curators' App Home: the week's most asked topics, unanswered
questions with similar ones as one ("these 7 questions are one"), and each topic's
👎 rate. Read from the store pmbot already has (`pmbot report` shows the same)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.answers.knowledge import KnowledgeBase
from bot.answers.text import Normaliser
from bot.curation.blocks import quoted
from bot.curation.groups import Group, group_questions, roles_named
from bot.mrkdwn import escape
from bot.slack.blocks import Block, section
from bot.store.database import Store

WEEK = 7 * 86400.0
SHOWN = 5
READ = 5_000  # unanswered rows read: the groups of a busy week


@dataclass(frozen=True)
class Insights:
    most_asked: list[tuple[str, int]]  # (topic id, times)
    unanswered: list[Group]
    down_voted: list[tuple[str, int, int]]  # (topic id, down, up)


def read_insights(store: Store, since: float, normaliser: Normaliser) -> Insights:
    groups = unanswered_groups(store, since, normaliser)
    return Insights(
        store.most_asked(SHOWN, since), groups[:SHOWN], store.most_down_voted(SHOWN, since)
    )


def unanswered_groups(store: Store, since: float, normaliser: Normaliser | None) -> list[Group]:
    """The declined and clarified questions since `since` (the newest READ), similar
    ones (about the same roles, with the engine's `normaliser`) as one group; App
    Home and `pmbot report` both show them."""
    rows = store.recent_unanswered(READ, since)
    kind = roles_named(normaliser) if normaliser else None
    return group_questions((r for r in rows if r["reason"] != "downvote"), kind)


def insights_blocks(kb: KnowledgeBase, insights: Insights) -> list[Block]:
    def title(topic_id: str) -> str:
        topic = kb.topics.get(topic_id)
        return escape(topic.title if topic else topic_id)

    asked = [f"• {title(t)}: {n}" for t, n in insights.most_asked] or ["• nothing yet"]
    missed = [
        f"• {quoted(g.question)}: {g.count}"
        + (f" ({g.wordings} wordings, one question)" if g.wordings > 1 else "")
        for g in insights.unanswered
    ] or ["• nothing: every question was answered"]
    down = [
        f"• {title(t)}: {d / (d + u):.0%} of {d + u} votes" for t, d, u in insights.down_voted
    ] or ["• no 👎 this week"]
    text = "\n".join(
        [
            "*What people asked this week*",
            "_Most asked_",
            *asked,
            "_Not answered (similar questions as one)_",
            *missed,
            "_👎 rate_",
            *down,
        ]
    )
    return [section(text, block_id="pm_insights")]
