"""`/pm`: questions and subcommands, answered privately."""

from __future__ import annotations

import random
from logging import Logger
from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.blocks import answer_message, compare_message, help_message, tip_message, topics_message
from bot.slack.app import Deps, deps_of

SUBCOMMANDS = ("help", "topics", "compare", "tip")


def handle_pm_command(
    ack: Ack, command: dict[str, Any], respond: Respond, context: BoltContext, logger: Logger
) -> None:
    ack()
    deps = deps_of(context)
    text = " ".join(str(command.get("text") or "").split())
    word = text.lower()
    kb = deps.engine.kb
    if word in ("", "help", "?"):
        message = help_message(kb)
    elif word == "topics":
        message = topics_message(kb)
    elif word == "compare":
        message = compare_message(kb)
    elif word == "tip":
        message = random_tip(deps)
    else:
        result = deps.engine.answer(text)
        logger.info("answered /pm status=%s topic=%s", result.status, result.topic)
        message = answer_message(result, kb, shareable=result.status == "answer")
    respond(response_type="ephemeral", **message)


def random_tip(deps: Deps) -> dict[str, Any]:
    kb = deps.engine.kb
    if deps.tips:
        text, topic_id = random.choice(deps.tips)
        return tip_message(text, kb.topics.get(topic_id) if topic_id else None)
    topic = random.choice(list(kb.topics.values()))
    return tip_message(topic.answer, topic)
