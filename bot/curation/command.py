"""Curators: `/pm unanswered`, `/pm teach TOPIC-ID QUESTION`, and what the list's
topic picker and "Dismiss" button do (feature.py receives those clicks).

Every one acks at once and does its work on the reply pool: checking who may
curate can ask Slack (user groups), and teaching writes to the store and
rebuilds the engine before it says "taught", so the next question is answered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from bot.answers.engine import Engine
from bot.answers.schema import phrase_key
from bot.curation.blocks import MAX_ITEMS, Unanswered, quoted, unanswered_message
from bot.curation.curators import Curators
from bot.curation.roster import CURATORS, change, listing
from bot.curation.store import TaughtStore
from bot.mrkdwn import clip, escape
from bot.slack.services import STORE_DOWN, Deps
from bot.store.tables import QUESTION_TEXT_LIMIT

UNANSWERED = "unanswered"  # the other curator command is `teach`
LOG_ROWS = 1_000  # how far back `/pm unanswered` looks in the log
NOT_ENABLED = (
    "Curator commands are off here: nobody is a curator yet. "
    "Whoever runs pmbot can set PMBOT_CURATORS (see docs/curators.md)."
)


def not_a_curator(curators: Curators) -> str:
    return f"Sorry, only curators can do that. {curators.how_to_join()}"


NOT_A_CURATOR = not_a_curator(Curators())  # with PMBOT_CURATORS
NO_STORE = "Teaching needs a database; set DATABASE_URL (see .env.example)."
TEACH_USAGE = (
    "Usage: `/pm teach TOPIC-ID QUESTION`, for example "
    "`/pm teach owns-roadmap who decides what goes on the roadmap?` "
    "(topic ids: `pmbot topics`, or pick a topic in `/pm unanswered`)."
)
GONE = "That question is no longer in the unanswered log."
TOO_LONG = (
    f"That question is {{length:,}} characters long; I can learn questions of up to "
    f"{QUESTION_TEXT_LIMIT} characters. Teach a shorter way of asking it."
)


def gather(
    rows: Sequence[Mapping[str, Any]], curated: Mapping[str, float], engine: Engine
) -> list[Unanswered]:
    """Log rows (newest first) as questions with repeats counted. A question asked
    only before it was taught or dismissed is left out, and so is a declined or
    clarified one that the engine answers now (taught, or the files changed)."""
    groups: dict[str, tuple[Mapping[str, Any], list[str]]] = {}
    for row in rows:
        key = phrase_key(str(row["question"]))
        if not key or row["logged_at"] <= curated.get(key, float("-inf")):
            continue
        if key not in groups:
            groups[key] = (row, [])
        groups[key][1].append(str(row["reason"]))
    items: list[Unanswered] = []
    for newest, reasons in groups.values():
        question = str(newest["question"])
        if "downvote" not in reasons and engine.answer(question).status == "answer":
            continue
        kinds = tuple(dict.fromkeys(reversed(reasons)))  # oldest first, once each
        items.append(Unanswered(int(newest["id"]), question, len(reasons), kinds))
        if len(items) == MAX_ITEMS:
            break
    return items


def teach(deps: Deps, taught: TaughtStore | None, topic_id: str, question: str, user: str) -> str:
    """Make `question` a phrasing of `topic_id`; the reply for the curator. Store
    errors propagate (the caller's guard turns them into STORE_DOWN)."""
    engine = deps.engine
    kb = engine.kb
    topic = kb.topics.get(topic_id)
    key = phrase_key(question)
    if taught is None:
        return NO_STORE
    if not key:
        return TEACH_USAGE
    if len(question) > QUESTION_TEXT_LIMIT:  # checked before the write, not by the column
        return TOO_LONG.format(length=len(question))
    if topic is None:
        ids = ", ".join(t.id for t in kb.answerable)
        return f"I don't know a topic `{escape(clip(topic_id, 80))}`. Topic ids: {ids}."
    if topic.declines:
        return f"`{topic.id}` is a subject I decline on purpose, so it can't be taught."
    # Only the files' questions bind: a taught one may be taught again, elsewhere.
    files = deps.live.base.topics.values()
    owner = next((t for t in files if key in map(phrase_key, t.questions)), None)
    if owner is not None and owner.id == topic.id:
        return f"{quoted(question)} is already a way of asking *{escape(topic.title)}*."
    if owner is not None:
        return (
            f"{quoted(question)} is already a question of *{escape(owner.title)}* in the "
            "knowledge files; change it there."
        )
    taught.teach(topic.id, question, key, user)
    deps.live.refresh_taught()
    # Asked in these words, it now gets this topic outright (live.py TaughtEngine).
    return (
        f"Taught: {quoted(question)} now leads to *{escape(topic.title)}*, here and in "
        "every pmbot process within seconds. To keep it in git: `pmbot taught export`."
    )


def curate(
    deps: Deps,
    curators: Curators,
    user: str,
    client: WebClient,
    respond: Callable[[dict[str, Any]], object],
    work: Callable[[], dict[str, Any]],
    what: str,
    checked: Callable[[bool], object] = lambda allowed: None,
) -> None:
    """Check the curator, run `work` against the store, and respond; on the reply pool.
    `checked(allowed)` is told the outcome of the check (the request's log line)."""

    def reply() -> None:
        allowed = curators.allows(user, client)
        checked(allowed)
        if not allowed:
            respond({"text": not_a_curator(curators)})
            return
        ok, message = deps.guard.run(what, work, errors=(SQLAlchemyError,))
        respond(message if ok and message is not None else {"text": STORE_DOWN})

    deps.replies.submit(reply, what, user or "-")


def unanswered_list(
    deps: Deps, taught: TaughtStore | None, note: str | None = None
) -> dict[str, Any]:
    if taught is None:
        return {"text": NO_STORE}
    rows = taught.unanswered_rows(LOG_ROWS)
    items = gather(rows, taught.curated_at(), deps.engine)
    return unanswered_message(items, deps.engine.kb, note)


def handle_curator_command(
    ack: Ack,
    command: dict[str, Any],
    text: str,
    respond: Respond,
    client: WebClient,
    deps: Deps,
    taught: TaughtStore | None,
    curators: Curators,
) -> None:
    """`/pm unanswered` or `/pm teach …` (the router has seen the first word);
    `text`: what followed `/pm`, unescaped."""
    if not curators.enabled:
        ack(response_type="ephemeral", text=NOT_ENABLED)
        return
    ack()
    word, _, rest = text.partition(" ")
    user = str(command.get("user_id") or "")
    say = lambda m: respond(response_type="ephemeral", **m)  # noqa: E731
    if word.lower() == CURATORS:
        handle_roster(deps, curators, user, client, rest.split(), say)
        return

    def work() -> dict[str, Any]:
        if word.lower() == UNANSWERED:
            return unanswered_list(deps, taught)
        topic_id, _, question = rest.partition(" ")
        if not question:
            return {"text": TEACH_USAGE}
        return {"text": teach(deps, taught, topic_id.lower(), question, user)}

    curate(deps, curators, user, client, say, work, f"/pm {word}")


def handle_roster(
    deps: Deps,
    curators: Curators,
    user: str,
    client: WebClient,
    args: list[str],
    say: Callable[[dict[str, Any]], object],
) -> None:
    """`/pm curators` (anyone may see who), `… add|remove @user` (curators only)."""
    if not args:
        admins = curators.roster is not None

        def show() -> None:
            ok, users = deps.guard.run("/pm curators", lambda: curators.users)
            found = users if ok and users is not None else frozenset()
            say(listing(curators.installer, found, curators.groups, admins))

        deps.replies.submit(show, "/pm curators", user or "-")
        return

    def work() -> dict[str, Any]:
        reply = change(curators.roster, curators.installer, args, user)
        curators.changed()
        return reply

    curate(deps, curators, user, client, say, work, "/pm curators")
