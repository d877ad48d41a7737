"""Block Kit for "Save as pmbot answer", as pure functions: the modal a curator fills
in (prefilled from a message and its thread), and the saved topics in App Home."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from bot.answers.curated import CuratedTopic
from bot.answers.knowledge import KnowledgeBase
from bot.mrkdwn import clip, escape
from bot.slack.blocks import Block, button, context, section

SAVE_AS_ANSWER = "save_as_answer"  # the message shortcut and its modal
CURATED_EDIT, CURATED_RETIRE = "curated_edit", "curated_retire"
TITLE_LIMIT, ID_LIMIT, ANSWER_LIMIT, QUESTION_LIMIT = 200, 64, 3000, 500
MORE_LIMIT = 2000
MAX_TOPIC_OPTIONS = 100
# block id -> (action id, the field's label); the order of the modal
FIELDS = {
    "sa_existing": ("topic", "Or add the question to an existing topic"),
    "sa_question": ("question", "The question"),
    "sa_title": ("title", "Title"),
    "sa_id": ("id", "Topic id"),
    "sa_answer": ("answer", "Answer (Slack formatting)"),
    "sa_more": ("more", "More ways to ask it, one per line"),
}
# What check_curated names -> where the modal shows it.
FIELD_BLOCKS = {
    "id": "sa_id",
    "title": "sa_title",
    "answer": "sa_answer",
    "questions": "sa_question",
}


def slug(text: str) -> str:
    """A topic id from a title: lower-case words joined by dashes."""
    return "-".join(re.findall(r"[a-z0-9]+", text.casefold()))[:ID_LIMIT].strip("-")


def _input(block_id: str, initial: str = "", *, optional: bool = False, **extra: Any) -> Block:
    action, label = FIELDS[block_id]
    element: Block = {"type": "plain_text_input", "action_id": action, **extra}
    if initial:
        element["initial_value"] = initial
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": element,
    }


def _existing_picker(kb: KnowledgeBase) -> Block:
    """The topics by title; past Slack's 100 options, the first 100 (`/pm teach
    TOPIC-ID …` reaches the rest)."""
    topics = sorted(kb.answerable, key=lambda t: t.title.casefold())[:MAX_TOPIC_OPTIONS]
    action, label = FIELDS["sa_existing"]
    options = [
        {"text": {"type": "plain_text", "text": clip(t.title, 75)}, "value": t.id} for t in topics
    ]
    return {
        "type": "input",
        "block_id": "sa_existing",
        "optional": True,
        "label": {"type": "plain_text", "text": label},
        "hint": {"type": "plain_text", "text": "Then only the question is used."},
        "element": {"type": "static_select", "action_id": action, "options": options},
    }


def save_view(
    kb: KnowledgeBase,
    question: str,
    answer: str,
    editing: CuratedTopic | None = None,
    source: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The modal: a new topic from a thread (its first message the question, the
    message picked the answer), or `editing` a saved one (its id then fixed)."""
    title = editing.title if editing else clip(" ".join(question.split()).rstrip("?"), 80)
    more = "\n".join(editing.questions[1:]) if editing else ""
    blocks: list[Block] = []
    if editing is None and kb.answerable:
        blocks.append(_existing_picker(kb))
    first = editing.questions[0] if editing else clip(question, QUESTION_LIMIT)
    blocks.append(_input("sa_question", first, max_length=QUESTION_LIMIT))
    blocks.append(_input("sa_title", title[:TITLE_LIMIT], max_length=TITLE_LIMIT))
    if editing is None:
        blocks.append(_input("sa_id", slug(title), max_length=ID_LIMIT))
    else:
        blocks.append(context(f"Topic id: `{editing.id}`"))
    text = editing.answer if editing else clip(answer, ANSWER_LIMIT)
    blocks.append(_input("sa_answer", text, multiline=True, max_length=ANSWER_LIMIT))
    blocks.append(_input("sa_more", more, optional=True, multiline=True, max_length=MORE_LIMIT))
    meta = {"editing": editing.id if editing else None, **(source or {})}
    return {
        "type": "modal",
        "callback_id": SAVE_AS_ANSWER,
        "title": {"type": "plain_text", "text": "Save as pmbot answer"},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps(meta)[:3000],
        "blocks": blocks,
    }


def submitted(view: dict[str, Any]) -> dict[str, str]:
    """The modal's values by action id ("" when empty), and `editing` from its metadata."""
    values: dict[str, str] = {}
    for block in (view.get("state") or {}).get("values", {}).values():
        for action, state in (block or {}).items():
            picked = (state or {}).get("selected_option") or {}
            values[str(action)] = str(picked.get("value") or (state or {}).get("value") or "")
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        meta = {}
    values["editing"] = str(meta.get("editing") or "") if isinstance(meta, dict) else ""
    return values


def saved_blocks(topics: Sequence[CuratedTopic]) -> list[Block]:
    """Curators' App Home: the topics saved from Slack, each to edit or retire."""
    if not topics:
        return []
    blocks: list[Block] = [section("*Saved from Slack* (`pmbot taught export` keeps them in git)")]
    for topic in topics[:10]:
        line = f"*{escape(topic.title)}* (`{topic.id}`) · reviewed {topic.reviewed}"
        blocks.append(section(line, block_id=f"curated_{topic.id}"[:255]))
        retire = button("Retire", CURATED_RETIRE, topic.id, style="danger")
        retire["confirm"] = {
            "title": {"type": "plain_text", "text": "Retire this topic?"},
            "text": {
                "type": "plain_text",
                "text": f"pmbot stops answering “{clip(topic.title, 100)}”.",
            },
            "confirm": {"type": "plain_text", "text": "Retire"},
            "deny": {"type": "plain_text", "text": "Keep"},
        }
        edit = button("Edit", CURATED_EDIT, topic.id)
        blocks.append(
            {
                "type": "actions",
                "block_id": f"curated_do_{topic.id}"[:255],
                "elements": [edit, retire],
            }
        )
    return blocks
