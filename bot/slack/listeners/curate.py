"""The topic picker and "Dismiss" of `/pm unanswered` (bot/slack/curation.py)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.answers.schema import phrase_key
from bot.slack.curation import GONE, curate, teach, unanswered_list
from bot.slack.curator_blocks import UNANSWERED_BLOCK, quoted
from bot.slack.requestlog import log_request
from bot.slack.services import deps_of


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
    user = str((body.get("user") or {}).get("id") or "")
    picked = (action.get("selected_option") or {}).get("value")
    row_id = _row_id(action.get("block_id") if picked else action.get("value"))

    def work() -> dict[str, Any]:
        row = deps.taught.unanswered_row(row_id) if deps.taught and row_id is not None else None
        if row is None or deps.taught is None:
            return unanswered_list(deps, GONE)
        question = str(row["question"])
        if picked:
            note = teach(deps, str(picked), question, user)
        else:
            deps.taught.dismiss(phrase_key(question), user)
            note = f"Dismissed {quoted(question)}."
        return unanswered_list(deps, note)

    curate(
        deps,
        user,
        client,
        lambda m: respond(replace_original=True, **m),
        work,
        "unanswered pick",
    )
    log_request(context, "curate", "teach" if picked else "dismiss")
