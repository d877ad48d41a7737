""" "Save as pmbot answer": a curator turns a good reply in a thread into a topic (or
adds the thread's question to an existing one), and edits or retires saved topics
from App Home.

The check is `pmbot validate`'s own (bot/answers/curated.py), its problems shown in
the modal next to their field; a saved topic is stored, the engine rebuilt before
the modal closes (every other process polls within seconds, live.py), and the
curator told, by DM, which of its questions another topic still answers better.
Every step checks the curator again: a forged payload from anyone else is refused.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answers.curated import CuratedTopic, check_curated
from bot.curation.command import NOT_ENABLED, not_a_curator, teach
from bot.curation.curators import Curators
from bot.curation.saved_views import CURATED_EDIT, FIELD_BLOCKS, save_view, submitted
from bot.curation.store import TaughtStore
from bot.mrkdwn import escape, unescape
from bot.slack.answering import strip_mention, without_mention
from bot.slack.blocks import HANDOFF_QUESTION_BLOCK
from bot.slack.listing import home_view
from bot.slack.payloads import user_of
from bot.slack.requestlog import log_request
from bot.slack.services import STORE_DOWN, Deps, deps_of

log = logging.getLogger("pmbot.curation")
FORM_NOT_OPENED = "Slack didn't open the form in time. Please pick *Save as pmbot answer* again."


def thread_question(
    client: WebClient, channel: str, message: dict[str, Any], bot_user_id: str | None
) -> str:
    """The question that started `message`'s thread (as typed), or "" at the top level.
    A thread pmbot started asking a person holds the question in its quote block."""
    root_ts = message.get("thread_ts")
    if not root_ts or root_ts == message.get("ts"):
        return ""
    try:
        found = client.conversations_replies(channel=channel, ts=root_ts, limit=1)
    except (SlackApiError, OSError) as error:
        log.warning("thread's question not read: %s", type(error).__name__)
        return ""
    root: dict[str, Any] = next(iter(found.get("messages") or []), {})
    quote = next(
        (b for b in root.get("blocks") or [] if b.get("block_id") == HANDOFF_QUESTION_BLOCK), None
    )
    if quote is not None:
        return unescape(str((quote.get("text") or {}).get("text") or "")).removeprefix("> ")
    return strip_mention(str(root.get("text") or ""), bot_user_id)


def open_save_form(
    context: BoltContext,
    curators: Curators,
    shortcut: dict[str, Any],
    client: WebClient,
    respond: Respond,
) -> None:
    """The message shortcut, acked: a curator gets the modal, anyone else a refusal."""
    deps = deps_of(context)
    user = user_of(shortcut)
    if not curators.allows(user, client):
        log_request(context, "curate", "refused")
        text = not_a_curator(curators) if curators.enabled else NOT_ENABLED
        respond(response_type="ephemeral", replace_original=False, text=text)
        return
    message = shortcut.get("message") or {}
    channel = str((shortcut.get("channel") or {}).get("id") or "")
    question = thread_question(client, channel, message, context.bot_user_id)
    # The answer as Slack sent it (still escaped: mrkdwn, as the curator sees it),
    # without pmbot's mention; a mention of anyone else is refused on save.
    answer = without_mention(str(message.get("text") or ""), context.bot_user_id).strip()
    source = {"channel": channel, "ts": str(message.get("ts") or "")}
    view = save_view(deps.engine.kb, question, answer, source=source)
    if _opened(client, shortcut.get("trigger_id"), view):
        log_request(context, "curate", "save form")
    else:
        respond(response_type="ephemeral", replace_original=False, text=FORM_NOT_OPENED)


def _opened(client: WebClient, trigger_id: object, view: dict[str, Any]) -> bool:
    """Open the modal; False (and one log line) when Slack would not, e.g. the
    trigger expired."""
    try:
        client.views_open(trigger_id=str(trigger_id or ""), view=view)
    except (SlackApiError, OSError) as error:
        log.warning("save form not opened: %s", type(error).__name__)
        return False
    return True


def submit_save_form(
    ack: Ack,
    context: BoltContext,
    taught: TaughtStore | None,
    curators: Curators,
    body: dict[str, Any],
    client: WebClient,
) -> None:
    """Acked with the problems (the modal stays open) or with nothing (it closes)."""
    deps = deps_of(context)
    view = body.get("view") or {}
    user = user_of(body)
    if not curators.allows(user, client):
        log_request(context, "curate", "refused")
        ack(response_action="errors", errors={"sa_question": not_a_curator(curators)})
        return
    values = submitted(view)
    if taught is None:
        ack(response_action="errors", errors={"sa_question": STORE_DOWN})
        return
    if values.get("topic") and not values["editing"]:
        _add_question(ack, deps, taught, values, user, client)
    else:
        _save_topic(ack, deps, taught, values, user, client)
    log_request(context, "curate", "saved")


def _add_question(
    ack: Ack, deps: Deps, taught: TaughtStore, values: dict[str, str], user: str, client: WebClient
) -> None:
    ok, note = deps.guard.run(
        "teach", lambda: teach(deps, taught, values["topic"], values.get("question", ""), user)
    )
    if not ok or note is None or not note.startswith("Taught:"):
        ack(response_action="errors", errors={"sa_question": _plain(note or STORE_DOWN)})
        return
    ack()
    _tell(client, user, note)


def _save_topic(
    ack: Ack, deps: Deps, taught: TaughtStore, values: dict[str, str], user: str, client: WebClient
) -> None:
    more = [q.strip() for q in values.get("more", "").splitlines() if q.strip()]
    topic = CuratedTopic(
        id=values["editing"] or values.get("id", "").strip(),
        title=" ".join(values.get("title", "").split()),
        answer=values.get("answer", "").strip(),
        questions=tuple(dict.fromkeys([values.get("question", "").strip(), *more])),
        maintainer=user,
        reviewed=deps.clock().date().isoformat(),
    )
    problems = check_curated(deps.engine.kb, topic, replacing=values["editing"] or None)
    if problems:
        errors: dict[str, str] = {}
        for field, message in problems:
            block = FIELD_BLOCKS.get(field, "sa_question")
            if block == "sa_id" and values["editing"]:  # no id field when editing
                block = "sa_title"
            errors.setdefault(block, message[:150])
        ack(response_action="errors", errors=errors)
        return
    saved: Callable[[], None] = lambda: taught.save_topic(topic)  # noqa: E731
    ok, _ = deps.guard.run("save topic", saved)
    if not ok:
        ack(response_action="errors", errors={"sa_question": STORE_DOWN})
        return
    deps.guard.run("save topic", lambda: deps.live.refresh_taught(force=True))
    ack()
    _tell(client, user, saved_note(deps, topic))


def saved_note(deps: Deps, topic: CuratedTopic) -> str:
    """What the curator is told: saved, and which questions another topic still wins."""
    engine = deps.engine
    elsewhere = [
        (q, result.title)
        for q in topic.questions
        if (result := engine.answer(q)).status == "answer" and result.topic != topic.id
    ]
    lines = [
        f"Saved *{escape(topic.title)}* (`{topic.id}`): pmbot answers it now, here and in "
        "every pmbot process within seconds. To keep it in git: `pmbot taught export`."
    ]
    lines += [
        f"• “{escape(q)}” still gets *{escape(title or '')}*: another topic answers those "
        "words better. Reword it, or add it there."
        for q, title in elsewhere
    ]
    return "\n".join(lines)


def _plain(text: str) -> str:
    return text.replace("*", "").replace("`", "")[:150]


def _tell(client: WebClient, user: str, text: str) -> None:
    try:
        client.chat_postMessage(channel=user, text=text)
    except (SlackApiError, OSError) as error:
        log.warning("curator not told: %s", type(error).__name__)


def edit_or_retire(
    context: BoltContext,
    taught: TaughtStore | None,
    curators: Curators,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
) -> None:
    """ "Edit" opens the modal on a saved topic; "Retire" deletes it, rebuilds the
    engine and refreshes the curator's App Home. Both acked already."""
    deps = deps_of(context)
    user = user_of(body)
    topic_id = str(action.get("value") or "")
    if taught is None or not curators.allows(user, client):
        log_request(context, "curate", "refused")
        return
    ok, saved = deps.guard.run("curated topics", taught.curated_topics)
    topic = next((t for t in saved or [] if t.id == topic_id), None) if ok else None
    if topic is None:
        log_request(context, "curate", "gone")
        return
    if action.get("action_id") == CURATED_EDIT:
        view = save_view(deps.engine.kb, "", "", editing=topic)
        _opened(client, body.get("trigger_id"), view)
        log_request(context, "curate", "edit form")
        return
    deps.guard.run("retire topic", lambda: taught.retire_topic(topic_id))
    deps.guard.run("retire topic", lambda: deps.live.refresh_taught(force=True))
    log.info("curated topic retired: %s", topic_id)
    view = home_view(deps.engine.kb, deps.home_blocks(user, client))
    try:
        client.views_publish(user_id=user, view=view)
    except (SlackApiError, OSError) as error:  # retired all the same; Home shows it next time
        log.warning("App Home not refreshed: %s", type(error).__name__)
    log_request(context, "curate", "retired")
