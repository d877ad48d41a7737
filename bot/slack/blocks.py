"""Block Kit as pure functions: engine results and knowledge in, message dicts out.

Nothing here talks to Slack. Every message is `{"text": fallback, "blocks": [...]}`
and stays inside Slack's limits, whatever the knowledge base holds.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bot.answers.knowledge import KnowledgeBase, Topic
from bot.answers.messages import NOT_KNOWN, example_questions
from bot.answers.result import Result
from bot.mrkdwn import clip, escape
from bot.slack.subcommands import TIPS_LINE, listed_line

MAX_BLOCKS = 50
SECTION_TEXT_LIMIT = 3000
FIELD_TEXT_LIMIT = 2000
BUTTON_LABEL_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
FALLBACK_LIMIT = 3000
QUESTION_ECHO_LIMIT = 300
QUESTION_IN_VALUE_LIMIT = 500

FEEDBACK_UP, FEEDBACK_DOWN = "feedback_up", "feedback_down"
SHARE = "share_answer"
DID_YOU_MEAN = "did_you_mean"
ASK_EXAMPLE = "ask_example"
ASK_PERSON = "ask_person"  # the hand-off (bot/handoff): a person takes the question
ASK_PERSON_LABEL = "Ask a person"
# The quoted question of an "Ask a person" post: where "Save as pmbot answer" finds it.
HANDOFF_QUESTION_BLOCK = "pm_handoff_question"
_TS = re.compile(r"\d{1,16}\.\d{1,12}")  # a message's ts, as Slack writes it
Block = dict[str, Any]
Message = dict[str, Any]


def mrkdwn(text: str, limit: int = SECTION_TEXT_LIMIT) -> dict[str, str]:
    return {"type": "mrkdwn", "text": clip(text, limit)}


def section(text: str, block_id: str | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if block_id:
        block["block_id"] = block_id
    return block


def context(text: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(text)]}


def button(label: str, action_id: str, value: str, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": clip(label, BUTTON_LABEL_LIMIT), "emoji": True},
        "action_id": action_id,
        "value": value[:BUTTON_VALUE_LIMIT],
    }
    if style:
        element["style"] = style
    return element


def encode_value(topic: str | None, question: str, thread: str | None = None) -> str:
    """A button's value: the topic and the question that led to it, always < 2,000;
    with `thread`, the thread the question was asked in ("Ask a person" after a 👎).

    The question is kept (shortened) so feedback can say what was asked."""
    q = question[:QUESTION_IN_VALUE_LIMIT]
    extra = {"th": thread[:40]} if thread else {}
    while True:
        data = {"t": topic, "q": q, **extra}
        value = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        if len(value) <= BUTTON_VALUE_LIMIT:
            return value
        q = q[: len(q) // 2]  # only escapes (control characters) get here


def _fields(value: str | None) -> dict[str, Any]:
    """A button value's fields; anything odd reads as none."""
    try:
        data = json.loads(value or "")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def decode_value(value: str | None) -> tuple[str | None, str]:
    """(topic, question) from a button value; anything odd decodes to (None, "")."""
    data = _fields(value)
    topic, question = data.get("t"), data.get("q")
    return (
        topic if isinstance(topic, str) else None,
        question if isinstance(question, str) else "",
    )


def as_message(text: str, blocks: list[Block]) -> Message:
    return {"text": clip(text, FALLBACK_LIMIT), "blocks": blocks[:MAX_BLOCKS]}


def answer_message(
    result: Result,
    kb: KnowledgeBase,
    *,
    shareable: bool = False,
    shared_by: str | None = None,
    here: str | None = None,
    ask_person: bool = False,
) -> Message:
    """The reply to a question: answer (then `here`: who holds the role in this
    channel), context line, feedback, "did you mean". With `ask_person`, a decline
    offers to hand the question to a person."""
    if result.status == "help":
        return help_message(kb)
    if result.status == "smalltalk":  # a greeting or thanks: a friendly word, no buttons
        return as_message(result.text, [section(result.text, block_id="pm_smalltalk")])
    if result.status == "decline":
        return decline_message(result, kb, ask_person=ask_person)
    if result.status == "clarify":
        return clarify_message(result, kb)
    value = encode_value(result.topic, result.question)
    line = f"*{escape(result.title or '')}* · {result.confidence:.0%} match"
    if shared_by:
        asked = escape(clip(" ".join(result.question.split()), QUESTION_ECHO_LIMIT))
        line += f" · shared by <@{shared_by}> · asked: “{asked}”"
    buttons = [
        button("👍 Helpful", FEEDBACK_UP, value),
        button("👎 Not helpful", FEEDBACK_DOWN, value),
    ]
    if shareable:
        buttons.append(button("Share in channel", SHARE, value, style="primary"))
    # A long answer is cut before the "Here:" line, never inside its names.
    room = SECTION_TEXT_LIMIT - len(here or "") - 1
    text = f"{clip(result.text.rstrip(), room)}\n{here}" if here else result.text
    blocks = [
        section(text, block_id="pm_answer"),
        context(line),
        {"type": "actions", "block_id": "pm_feedback", "elements": buttons},
    ]
    alternatives = [kb.topics[t] for t in result.alternatives if t in kb.topics]
    if alternatives:
        blocks.append(context("Not quite it? Did you mean…"))
        blocks.append(_topic_buttons(alternatives, result.question))
    return as_message(f"{escape(result.title or '')}: {text}", blocks)


def _topic_buttons(topics: list[Topic], question: str) -> Block:
    return {
        "type": "actions",
        "block_id": "pm_alternatives",
        "elements": [
            button(topic.title, f"{DID_YOU_MEAN}_{i}", encode_value(topic.id, question))
            for i, topic in enumerate(topics[:5])
        ],
    }


def clarify_message(result: Result, kb: KnowledgeBase) -> Message:
    """Two topics fit about equally: ask, with one button per candidate."""
    candidates = [kb.topics[t] for t in result.alternatives if t in kb.topics]
    blocks = [section(result.text, block_id="pm_clarify")]
    if candidates:
        blocks.append(_topic_buttons(candidates, result.question))
    return as_message(result.text.replace("*", ""), blocks)


def ask_person_block(topic: str | None, question: str, thread: str | None = None) -> Block:
    """ "Ask a person": the question (and the topic pmbot came closest with, which
    says whose role it is; and the thread it was asked in, when the button sits on a
    private reply that Slack sends no thread for) handed on to who can answer it."""
    value = encode_value(topic, question, thread)
    return {
        "type": "actions",
        "block_id": "pm_ask_person",
        "elements": [button(ASK_PERSON_LABEL, ASK_PERSON, value)],
    }


def decode_thread(value: str | None) -> str | None:
    """The thread a button's value carries, if any."""
    thread = _fields(value).get("th")
    return thread if isinstance(thread, str) and _TS.fullmatch(thread) else None


def decline_message(result: Result, kb: KnowledgeBase, ask_person: bool = False) -> Message:
    """Not ours to answer: say so kindly, and offer what pmbot does cover: the
    decline's related topics, else example questions; with `ask_person`, a person."""
    message = _decline_message(result, kb)
    if ask_person and result.question.strip():
        closest = next((t for t in result.alternatives if t in kb.topics), None)
        message["blocks"] = [*message["blocks"], ask_person_block(closest, result.question)]
    return message


def _decline_message(result: Result, kb: KnowledgeBase) -> Message:
    related = [kb.topics[t] for t in result.alternatives if t in kb.topics]
    if result.title is not None:  # a subject pmbot declines on purpose
        blocks = [section(result.text, block_id="pm_decline")]
        if related:
            blocks.append(context("What I can tell you:"))
            # Suggestions, not answers to what was asked: the question stays out.
            blocks.append(_topic_buttons(related, ""))
        return as_message(result.text, blocks)
    text = f"{NOT_KNOWN} Try one of these:"
    examples = {
        "type": "actions",
        "block_id": "pm_examples",
        "elements": [
            button(q, f"{ASK_EXAMPLE}_{i}", encode_value(None, q))
            for i, q in enumerate(result.suggestions[:5])
        ],
    }
    blocks = [section(text, block_id="pm_decline")]
    if examples["elements"]:
        blocks.append(examples)
    return as_message(result.text, blocks)


def help_message(kb: KnowledgeBase) -> Message:
    examples = "\n".join(f"• `/pm {q}`" for q in example_questions(kb))
    text = (
        "*Ask me who does what: product manager or project manager.*\n"
        f"Ask in your own words, typos and all:\n{examples}\n\n"
        f"*Also:* {listed_line()}\n"
        f"*Daily tips:* {TIPS_LINE}\n"
        "Mention me in a channel (I answer in the thread) or send me a direct message."
    )
    return as_message(text.replace("*", "").replace("`", ""), [section(text, block_id="pm_help")])


def tip_message(text: str, topic: Topic | None = None) -> Message:
    blocks: list[Block] = [section(f":bulb: *PM tip of the day*\n{text}", block_id="pm_tip")]
    if topic is not None:
        blocks.append(
            {
                "type": "actions",
                "block_id": "pm_tip_more",
                "elements": [
                    button(
                        f"Learn more: {topic.title}",
                        f"{DID_YOU_MEAN}_0",
                        encode_value(topic.id, topic.questions[0]),
                    )
                ],
            }
        )
    return as_message(f"PM tip: {text}", blocks)


def thanks_text(vote: str, user: str | None = None) -> str:
    """The thank-you for a vote, naming the voter when others can see it."""
    word = "helpful" if vote == "up" else "not helpful"
    return f"Thanks <@{user}>, noted as {word}." if user else f"Thanks, noted as {word}."


def thanks_blocks(
    blocks: list[Block], vote: str, user: str, ask: Block | None = None
) -> list[Block]:
    """The same answer with its feedback buttons replaced by a thank-you line (and,
    for a 👎, `ask`: "Ask a person")."""
    note = [context(thanks_text(vote, user)), *([ask] if ask else [])]
    return [n for b in blocks for n in (note if b.get("block_id") == "pm_feedback" else [b])]


def thanks_message(vote: str, ask: Block | None = None) -> Message:
    """The private thank-you for a vote on an answer others see; after a 👎, `ask`."""
    text = thanks_text(vote)
    return as_message(text, [section(text, block_id="pm_thanks"), ask]) if ask else {"text": text}
