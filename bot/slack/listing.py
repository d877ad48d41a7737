"""What pmbot can answer, listed by group: `/pm topics` and App Home, as pure functions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.answers.knowledge import KnowledgeBase, Topic
from bot.answers.messages import example_questions
from bot.mrkdwn import escape
from bot.slack.blocks import MAX_BLOCKS, Block, Message, as_message, context, section
from bot.slack.subcommands import TIPS_LINE, listed_line

GROUP_ORDER = (
    "The basics",
    "Our two roles",
    "Roles next door",
    "Who owns what",
    "Careers and certificates",
    "Terms",
)
DUTIES_GROUP = "Who owns what"
# Where a topic with no `group` is listed, by its kind (a role the grid derived, say).
KIND_GROUPS = {"role": "Roles next door", "term": "Terms"}


def group_of(topic: Topic) -> str:
    if topic.kind == "duty":  # every "who does X?" together, whatever its group says
        return DUTIES_GROUP
    return topic.group or KIND_GROUPS.get(topic.kind, "More")


def grouped_topics(kb: KnowledgeBase) -> list[tuple[str, list[Topic]]]:
    groups: dict[str, list[Topic]] = {}
    for topic in kb.answerable:
        groups.setdefault(group_of(topic), []).append(topic)
    order = {name: i for i, name in enumerate(GROUP_ORDER)}
    return sorted(groups.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))


def topics_message(kb: KnowledgeBase) -> Message:
    count = len(kb.answerable)
    blocks: list[Block] = [section(f"*What I can answer* ({count} topics)")]
    for name, topics in grouped_topics(kb):
        lines = "\n".join(f"• {escape(t.title)}: _{escape(t.questions[0])}_" for t in topics)
        blocks.append(section(f"*{escape(name)}*\n{lines}"))
    if len(blocks) > MAX_BLOCKS:
        blocks = [*blocks[: MAX_BLOCKS - 1], context(f"…and {len(blocks) - MAX_BLOCKS + 1} more")]
    return as_message(f"What I can answer: {count} topics", blocks)


def home_view(kb: KnowledgeBase, extra: Sequence[Block] = ()) -> dict[str, Any]:
    """App Home; `extra`: blocks for this user (their roles, stale topics) after the intro."""
    examples = "\n".join(f"• _{escape(q)}_" for q in example_questions(kb, 5))
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": "pmbot: who does what?"}},
        section(
            "I settle the question every team keeps asking: *product manager or project "
            "manager, who does what?* Answers come from a curated knowledge base, in a few "
            "lines, and I say so when I don't know."
        ),
        section(
            "*How to ask*\n• `/pm <question>` anywhere (only you see the answer)\n"
            "• mention me in a channel: I reply in the thread\n• or message me right here\n"
            f"• also {listed_line()}\n• daily tips: {TIPS_LINE}"
        ),
        section(f"*Try*\n{examples}"),
        *extra,
        {"type": "divider"},
    ]
    for name, topics in grouped_topics(kb):
        titles = " · ".join(escape(t.title) for t in topics)
        blocks.append(section(f"*{escape(name)}*\n{titles}"))
    return {"type": "home", "blocks": blocks[:MAX_BLOCKS]}
