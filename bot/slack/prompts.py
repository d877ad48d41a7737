"""Slack's AI-app pane: its suggested prompts (from the knowledge base's
`prompt_topics` setting, so which topics are offered is data) and the wording pmbot
uses there."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answers.knowledge import KnowledgeBase
from bot.mrkdwn import clip
from bot.slack.answering import log
from bot.slack.services import Deps

MAX_PROMPTS = 4  # Slack shows at most four
PROMPT_TITLE_LIMIT = 75
PROMPTS_TITLE = "Try asking"
GREETING = "Hi! Ask me who does what: product manager or project manager."
THINKING = "is looking that up…"


def as_question(text: str) -> str:
    text = " ".join(text.split()).rstrip("?.! ")
    return (text[:1].upper() + text[1:] + "?") if text else ""


def suggested_prompts(kb: KnowledgeBase) -> list[dict[str, str]]:
    """Each `prompt_topics` topic's first question (unset: `suggested_topics`), as
    Slack's {title, message}."""
    prompts: list[dict[str, str]] = []
    for topic_id in kb.settings.prompt_topics or kb.settings.suggested_topics:
        if len(prompts) == MAX_PROMPTS:
            break
        topic = kb.topics.get(topic_id)
        if topic is None or topic.declines or not topic.questions:
            continue
        question = as_question(topic.questions[0])
        prompts.append({"title": clip(question, PROMPT_TITLE_LIMIT), "message": question})
    return prompts


def publish_prompts(deps: Deps, client: WebClient, channel: str, thread_ts: str | None) -> None:
    """Set the prompts after the ack. With `agent_view` there is no thread to name
    (Slack drops a call that names one), with the legacy `assistant_view` there is.
    An app without the AI-app feature gets an error from Slack: logged at DEBUG,
    since it only means the feature is off."""
    prompts = suggested_prompts(deps.engine.kb)
    if not prompts:
        log.debug("no suggested prompts: knowledge sets no prompt_topics")  # nor examples
        return
    args: dict[str, Any] = {"channel_id": channel, "prompts": prompts, "title": PROMPTS_TITLE}
    if thread_ts:
        args["thread_ts"] = thread_ts

    def publish() -> None:
        try:
            client.assistant_threads_setSuggestedPrompts(**args)
        except SlackApiError as error:
            log.debug("suggested prompts not set: %s", error.response.get("error"))

    deps.replies.submit(publish, "suggested prompts", channel)
