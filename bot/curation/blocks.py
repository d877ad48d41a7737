"""Block Kit for curators, as pure functions: `/pm unanswered` and its replies, and
the topics due for review in a curator's App Home."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.answers.freshness import Stale
from bot.answers.knowledge import KnowledgeBase
from bot.mrkdwn import clip, escape
from bot.slack.blocks import (
    BUTTON_LABEL_LIMIT,
    QUESTION_ECHO_LIMIT,
    Block,
    Message,
    button,
    context,
    section,
)

MAX_STALE_SHOWN = 10
UNANSWERED_TEACH = "unanswered_teach"  # the topic picker (a static_select)
UNANSWERED_DISMISS = "unanswered_dismiss"
UNANSWERED_BLOCK = "unanswered_"  # + the newest log row's id: what a pick refers to
MAX_ITEMS = 15  # two blocks each, inside Slack's 50
MAX_OPTIONS = 100  # Slack's limit for one static_select
OPTION_VALUE_LIMIT = 150
REASONS = {"decline": "declined", "clarify": "asked to clarify", "downvote": "👎"}
NOTHING = "Nothing unanswered right now: every recent question was answered. 🎉"
INTRO = (
    "*Unanswered questions*, newest first. Pick a topic to teach one "
    "(it becomes a way of asking that topic), or dismiss it."
)


@dataclass(frozen=True)
class Unanswered:
    """One question (repeats counted) from the unanswered log."""

    row_id: int  # its newest row
    question: str
    count: int
    reasons: tuple[str, ...]  # decline, clarify, downvote: in the order first seen


def quoted(question: str) -> str:
    """A question as curators see it: one line, shortened, inert in mrkdwn."""
    return f"“{escape(clip(' '.join(question.split()), QUESTION_ECHO_LIMIT))}”"


def topic_picker(kb: KnowledgeBase) -> Block:
    topics = sorted(kb.answerable, key=lambda t: t.title.casefold())[:MAX_OPTIONS]
    return {
        "type": "static_select",
        "action_id": UNANSWERED_TEACH,
        "placeholder": {"type": "plain_text", "text": "Teach as…"},
        "options": [
            {
                "text": {"type": "plain_text", "text": clip(t.title, BUTTON_LABEL_LIMIT)},
                "value": t.id[:OPTION_VALUE_LIMIT],
            }
            for t in topics
        ],
    }


def _item_blocks(item: Unanswered, picker: Block) -> list[Block]:
    times = "once" if item.count == 1 else f"{item.count} times"
    why = ", ".join(REASONS.get(r, r) for r in item.reasons)
    line = f"{quoted(item.question)}\n_{times} · {why}_"
    block = section(line, block_id=f"{UNANSWERED_BLOCK}{item.row_id}")
    block["accessory"] = picker
    dismiss = button("Dismiss", UNANSWERED_DISMISS, str(item.row_id))
    return [block, {"type": "actions", "block_id": f"dismiss_{item.row_id}", "elements": [dismiss]}]


def unanswered_message(
    items: list[Unanswered], kb: KnowledgeBase, note: str | None = None
) -> Message:
    """The curators' list; `note` says what the last pick or dismissal did."""
    blocks: list[Block] = [context(note)] if note else []
    if not items:
        blocks.append(section(NOTHING))
        return {"text": NOTHING, "blocks": blocks}
    blocks.append(section(INTRO))
    picker = topic_picker(kb)
    for item in items[:MAX_ITEMS]:
        blocks.extend(_item_blocks(item, picker))
    return {"text": f"{len(items)} unanswered questions", "blocks": blocks}


def stale_blocks(stale: Sequence[Stale], *, curator: bool) -> list[Block]:
    """Topics due for review, shown to curators only."""
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
