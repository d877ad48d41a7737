"""Daily tips in the Slack app: `/pm tips …`, and the poster as pmbot posts (serve,
the shell and `pmbot tips run-due` all use `tip_poster`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from bot.answers.knowledge import KnowledgeBase
from bot.slack.blocks import tip_message
from bot.slack.services import STORE_DOWN, Deps, Feature, PmRequest
from bot.slack.subcommands import TIPS
from bot.tips.command import (
    NOT_IN_CHANNEL,
    NOT_OUR_DM,
    TipsUsageError,
    describe,
    parse_tips_args,
    status_text,
    when,
)
from bot.tips.poster import TipPoster, next_tip_at
from bot.tips.store import TipStore

TIPS_WORDS = ("on", "off", "status", "show")
NO_STORE = "Daily tips need a database; set DATABASE_URL (see .env.example)."


def tip_poster(
    tips: TipStore, client: WebClient, kb: KnowledgeBase | Callable[[], KnowledgeBase]
) -> TipPoster:
    """The daily-tip poster as pmbot posts, wired in this one place."""
    return TipPoster(tips, client, kb, render=tip_message)


class Tips(Feature):
    def __init__(self, store: TipStore | None) -> None:
        self.store = store  # None: no database, so no daily tips

    def claims(self, kb: KnowledgeBase, words: Sequence[str]) -> bool:
        first, *rest = [w.lower() for w in words[:2]] or [""]
        return first == TIPS and (not rest or rest[0] in TIPS_WORDS)

    def handle_pm(self, request: PmRequest) -> None:
        """`/pm tips …` asks Slack first (time zone, channel membership): ack, then respond."""
        request.ack()
        deps = request.deps

        def reply() -> None:
            ok, answer = deps.guard.run(
                "/pm tips",
                lambda: self.command(request),
                errors=(SQLAlchemyError,),  # Slack's failures reach the reply pool's log
            )
            said = answer if ok and answer is not None else STORE_DOWN
            request.respond(response_type="ephemeral", text=said)

        deps.replies.submit(reply, "/pm tips reply", request.channel or "-")

    def command(self, request: PmRequest) -> str:
        tips, channel, client = self.store, request.channel, request.client
        if tips is None:
            return NO_STORE
        try:
            parsed = parse_tips_args(request.args.split())
        except TipsUsageError as error:
            return str(error)
        now = request.deps.clock()
        if parsed.action == "off":
            if tips.unsubscribe(channel):
                return "Daily tips are off for this channel."
            return "Daily tips weren't on here, so nothing changed."
        if parsed.action == "on":
            refusal = _where_tips_cannot_go(client, channel)
            if refusal is not None:
                return refusal
            zone = parsed.timezone or _user_timezone(client, request.user)
            sub = tips.subscribe(
                channel, parsed.post_time, zone, parsed.weekdays_only, request.user, now.timestamp()
            )
            next_at = next_tip_at(tips, sub, now)
            return (
                f"Daily PM tips are on for this channel: {describe(sub)}. "
                f"Next tip: {when(next_at, now)}."
            )
        current = tips.subscription(channel)
        last = tips.last_posted(channel)
        due = next_tip_at(tips, current, now) if current is not None and current.active else None
        return status_text(current, due, last.local_date if last else None, now)

    def run_due(self, deps: Deps, client: WebClient, now: datetime) -> str | None:
        if self.store is None:
            return None
        store = self.store
        poster = tip_poster(store, client, lambda: deps.engine.kb)
        report = poster.run_due(now)
        if report.posted or report.recovered or report.failed:
            return report.summary()
        # Nothing went out: say why, so a preview at the wrong time is not a mystery.
        subs = store.all_subscriptions()
        if not subs:
            return f"{report.summary()}; no channel has tips on (`/pm tips on` there first)"
        at, sub = min(((next_tip_at(store, s, now), s) for s in subs), key=lambda due: due[0])
        local, utc = at.astimezone(ZoneInfo(sub.timezone)), at.astimezone(UTC)
        return (
            f"{report.summary()}; none due then: the next is for {sub.channel_id} "
            f"on {local:%Y-%m-%d} at {local:%H:%M} {sub.timezone} ({utc:%Y-%m-%dT%H:%MZ})"
        )


def _where_tips_cannot_go(client: WebClient, channel: str) -> str | None:
    """Why tips cannot be posted in `channel`, or None when they can. A DM with the
    bot is visible to it (`is_im`); a DM between two people is not (channel_not_found)."""
    try:
        info = client.conversations_info(channel=channel).get("channel") or {}
    except SlackApiError:
        return NOT_OUR_DM if channel.startswith("D") else NOT_IN_CHANNEL
    if info.get("is_im") or info.get("is_member"):
        return None
    return NOT_OUR_DM if channel.startswith("D") else NOT_IN_CHANNEL


def _user_timezone(client: WebClient, user: str) -> str:
    try:
        tz = (client.users_info(user=user).get("user") or {}).get("tz")
    except SlackApiError:
        tz = None
    return str(tz) if tz else "UTC"
