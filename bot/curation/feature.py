"""The curator loop in the Slack app: `/pm unanswered`, `/pm teach`, the list's
topic picker and "Dismiss" button, and the topics due for review in a curator's
App Home (bot/curation/command.py does the work)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.answers.freshness import stale_topics
from bot.answers.knowledge import KnowledgeBase
from bot.answers.schema import phrase_key
from bot.curation.blocks import (
    UNANSWERED_BLOCK,
    UNANSWERED_DISMISS,
    UNANSWERED_TEACH,
    quoted,
    stale_blocks,
)
from bot.curation.command import GONE, curate, handle_curator_command, teach, unanswered_list
from bot.curation.curators import Curators
from bot.curation.insights import WEEK, insights_blocks, read_insights
from bot.curation.roster import CURATORS, claims_curators
from bot.curation.saved_views import CURATED_EDIT, CURATED_RETIRE, SAVE_AS_ANSWER, saved_blocks
from bot.curation.saving import edit_or_retire, open_save_form, submit_save_form
from bot.curation.store import TaughtStore
from bot.slack.blocks import Block
from bot.slack.payloads import user_of
from bot.slack.requestlog import log_request
from bot.slack.services import CURATORS_RANK, Deps, Feature, People, PmRequest, deps_of
from bot.store.database import Store

UNANSWERED, TEACH = "unanswered", "teach"


class Curation(Feature):
    def __init__(
        self,
        taught: TaughtStore | None,
        curators: Curators | None = None,
        store: Store | None = None,
    ) -> None:
        self.taught = taught  # None: no database, so nothing can be taught
        self.curators = curators or Curators()  # none: no curator commands
        self.store = store  # what people ask, for App Home

    def curates(self, user: str, client: WebClient) -> bool:
        return self.curators.allows(user, client)

    def claims(self, kb: KnowledgeBase, words: Sequence[str]) -> bool:
        """`/pm unanswered`, `/pm teach TOPIC-ID …` (an id has a dash, or is known, so a
        mistyped one gets the list of ids), `/pm curators [add|remove @user]`; "teach me
        the difference…" is a question."""
        first = words[0].lower() if words else ""
        if first == CURATORS:  # serving every workspace; with one, PMBOT_CURATORS says
            return self.curators.roster is not None and claims_curators(list(words))
        if first not in (UNANSWERED, TEACH):
            return False
        second = words[1].lower() if len(words) > 1 else ""
        return not second or (first == TEACH and (second in kb.topics or "-" in second))

    def handle_pm(self, request: PmRequest) -> None:
        handle_curator_command(
            request.ack,
            request.command,
            request.text,
            request.respond,
            request.client,
            request.deps,
            self.taught,
            self.curators,
        )

    def register(self, app: App) -> None:
        app.action(UNANSWERED_TEACH)(handle_unanswered_action)
        app.action(UNANSWERED_DISMISS)(handle_unanswered_action)
        app.shortcut(SAVE_AS_ANSWER)(handle_save_shortcut)
        app.view(SAVE_AS_ANSWER)(handle_save_submission)
        app.action(CURATED_EDIT)(handle_curated_action)
        app.action(CURATED_RETIRE)(handle_curated_action)

    def home_blocks(self, deps: Deps, user: str, client: WebClient) -> list[Block]:
        if not self.curators.allows(user, client):
            return []
        kb = deps.engine.kb
        blocks = stale_blocks(stale_topics(kb, deps.clock().date()), curator=True)
        taught, store = self.taught, self.store
        if store is not None:
            since, words = store.clock() - WEEK, deps.engine.normaliser
            ok, seen = deps.guard.run("insights", lambda: read_insights(store, since, words))
            blocks += insights_blocks(kb, seen) if ok and seen else []
        if taught is not None:
            ok, saved = deps.guard.run("curated topics", taught.curated_topics)
            blocks += saved_blocks(saved or [] if ok else [])
        return blocks

    def people(
        self, deps: Deps, channel: str, topic_id: str | None, question: str
    ) -> People | None:
        """The curators, last to be asked: they keep the knowledge, so they can answer
        or find who can."""
        users = [(user, "user") for user in sorted(self.curators.users)]
        groups = [(group, "usergroup") for group in self.curators.groups]
        return (
            People(tuple(users + groups), "curator", CURATORS_RANK)
            if self.curators.enabled
            else None
        )


def _feature(context: BoltContext) -> Curation:
    return deps_of(context).feature(Curation) or Curation(None)


def handle_save_shortcut(
    ack: Ack, shortcut: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    ack()
    open_save_form(context, _feature(context).curators, shortcut, client, respond)


def handle_save_submission(
    ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    curation = _feature(context)
    submit_save_form(ack, context, curation.taught, curation.curators, body, client)


def handle_curated_action(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """App Home's "Edit" (the modal, prefilled) and "Retire" on a saved topic."""
    ack()
    curation = _feature(context)
    edit_or_retire(context, curation.taught, curation.curators, body, action, client)


def _row_id(text: str | None) -> int | None:
    digits = (text or "").removeprefix(UNANSWERED_BLOCK)
    return int(digits) if digits.isdigit() else None


def handle_unanswered_action(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    context: BoltContext,
) -> None:
    """A topic picked for a question of the list (teach it), or "Dismiss"."""
    ack()
    deps = deps_of(context)
    curation = deps.feature(Curation) or Curation(None)
    taught = curation.taught
    user = user_of(body)
    picked = (action.get("selected_option") or {}).get("value")
    row_id = _row_id(action.get("block_id") if picked else action.get("value"))

    def work() -> dict[str, Any]:
        row = taught.unanswered_row(row_id) if taught and row_id is not None else None
        if row is None or taught is None:
            return unanswered_list(deps, taught, GONE)
        question = str(row["question"])
        if picked:
            note = teach(deps, taught, str(picked), question, user)
        else:
            taught.dismiss(phrase_key(question), user)
            note = f"Dismissed {quoted(question)}."
        return unanswered_list(deps, taught, note)

    curate(
        deps,
        curation.curators,
        user,
        client,
        lambda m: respond(replace_original=True, **m),
        work,
        "unanswered pick",
        # Logged once the curator check is done: a refused click is no teach.
        lambda allowed: log_request(
            context, "curate", ("teach" if picked else "dismiss") if allowed else "refused"
        ),
    )
