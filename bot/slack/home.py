"""App Home's blocks for one user, as pure functions: the channels where they hold
a role (`/pm team`) and, for curators, the topics whose review is overdue."""

from __future__ import annotations

from collections.abc import Sequence

from bot.answers.freshness import Stale
from bot.mrkdwn import escape
from bot.slack.blocks import Block, section

MAX_STALE_SHOWN = 10


def roles_blocks(held: Sequence[tuple[str, str]]) -> list[Block]:
    """ "Your roles": (channel, role title) pairs; nothing when there are none."""
    if not held:
        return []
    lines = "\n".join(f"• <#{channel}>: {escape(title)}" for channel, title in held)
    return [section(f"*Your roles* (set with `/pm team`)\n{lines}", block_id="pm_your_roles")]


def stale_blocks(stale: Sequence[Stale], *, curator: bool) -> list[Block]:
    """Topics due for review, shown to curators only (who counts as one is configured
    elsewhere: the caller says)."""
    if not curator or not stale:
        return []
    lines = [
        f"• {escape(s.topic.title)} (`{s.topic.id}`): reviewed {s.reviewed.isoformat()}"
        + (f", {escape(s.topic.maintainer)}" if s.topic.maintainer else "")
        for s in stale[:MAX_STALE_SHOWN]
    ]
    if len(stale) > MAX_STALE_SHOWN:
        lines.append(f"…and {len(stale) - MAX_STALE_SHOWN} more (`pmbot report` lists them all)")
    text = "*Topics due for review*\n" + "\n".join(lines)
    return [section(text, block_id="pm_stale_topics")]


def personal_blocks(
    held: Sequence[tuple[str, str]], stale: Sequence[Stale], *, curator: bool
) -> list[Block]:
    return [*roles_blocks(held), *stale_blocks(stale, curator=curator)]
