"""Role holders in the Slack app: `/pm team`, the "Here:" line of answers about a
role, "Your roles" in App Home, and forgetting a channel's holders when the bot
leaves it or it is archived.

`member_left_channel` comes for every member who leaves a channel the bot is in, so
only the bot's own leaving counts; `channel_left` / `group_left` (public / private)
tell the bot it was removed; `channel_archive` / `group_archive` that the channel is
archived. Every read and delete goes through the StoreGuard, after the ack (`/pm`
reads before its ack: an outage costs one slow answer, then the store is skipped for
a while and answers stay general).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answers.knowledge import KnowledgeBase
from bot.answers.knowledge_sections import OUR_ROLES
from bot.slack.blocks import Block
from bot.slack.membership import conversation
from bot.slack.names import Names, mention
from bot.slack.services import HOLDERS_RANK, Deps, Feature, People, PmRequest, deps_of
from bot.slack.subcommands import TEAM
from bot.team.command import (
    NOT_A_MEMBER,
    SLACK_UNREACHABLE,
    here_text,
    is_team_command,
    notice_text,
    roles_blocks,
    sets_holders,
    team_command,
)
from bot.team.records import Holder, HolderKind, RoleHolders
from bot.team.roles import holder_roles, roles_named_by

log = logging.getLogger("pmbot.slack")  # Bolt's listener loggers sit at ERROR
CHANNEL_GONE = ("channel_left", "group_left", "channel_archive", "group_archive")


class Team(Feature):
    def __init__(self, store: RoleHolders | None, names: Names | None = None) -> None:
        self.store = store  # None: no database, so no role holders
        self.names = names or Names()

    def claims(self, kb: KnowledgeBase, words: Sequence[str]) -> bool:
        return bool(words) and words[0].lower() == TEAM and is_team_command(kb, words[1:])

    def handle_pm(self, request: PmRequest) -> None:
        """`/pm team …`: answered in the ack, except recording holders, which first asks
        Slack whether the bot is in the channel (so acks, then responds)."""
        deps, channel, rest = request.deps, request.channel, request.args
        kb = deps.engine.kb

        def reply(refusal: Any = lambda: None, recorded: Any = lambda role, who: None) -> str:
            return team_command(
                kb, self.store, deps.guard, channel, request.user, rest, refusal, recorded
            )

        if not sets_holders(kb, rest) or channel.startswith("D") or self.store is None:
            request.ack(response_type="ephemeral", text=reply())
            return
        request.ack()

        def respond() -> None:
            client = request.client
            refusal = lambda: _where_team_cannot_go(client, channel)  # noqa: E731
            notice = lambda role, who: self.notify(deps, client, channel, request.user, role, who)  # noqa: E731
            request.respond(response_type="ephemeral", text=reply(refusal, notice))

        deps.replies.submit(respond, "/pm team reply", channel or "-")

    def register(self, app: App) -> None:
        app.event("member_left_channel")(handle_member_left)
        for gone in CHANNEL_GONE:
            app.event(gone)(handle_channel_gone)

    def here(
        self,
        deps: Deps,
        channel: str,
        topic_id: str | None = None,
        roles: Sequence[str] = (),
        client: WebClient | None = None,
    ) -> str | None:
        kb = deps.engine.kb
        roles = roles or roles_named_by(kb, kb.topics.get(topic_id or ""))
        if not roles:  # most answers name no role, and never touch the store
            return None
        return here_text(kb, roles, self.holders_here(deps, channel, client))

    def people(
        self, deps: Deps, channel: str, topic_id: str | None, question: str
    ) -> People | None:
        """The holders, in `channel`, of the role the question is about: its topic's
        (both roles for a duty they share), else the roles its words name."""
        kb = deps.engine.kb
        titles = holder_roles(kb)
        roles = roles_named_by(kb, kb.topics.get(topic_id or "")) or roles_in(deps, question)
        if not roles:
            return None
        rows = [row for row in self._rows_here(deps, channel) if row.role in roles]
        ids = tuple(dict.fromkeys((row.holder_id, row.kind) for row in rows))
        named = " and ".join(dict.fromkeys(titles.get(row.role, row.role) for row in rows))
        return People(ids, f"{named.lower()} here", HOLDERS_RANK) if ids else None

    def holders_here(
        self, deps: Deps, channel: str, client: WebClient | None = None
    ) -> dict[str, list[str]]:
        """Role id -> holders in `channel`, by name with a `client` (after the ack),
        else as mentions (in the ack: ephemeral, nobody notified); empty in a DM,
        without a store, or with it down."""
        found: dict[str, list[str]] = {}
        for row in self._rows_here(deps, channel):
            shown = (
                self.names.name(client, row.holder_id, row.kind)
                if client is not None
                else mention(row.holder_id, row.kind)
            )
            found.setdefault(row.role, []).append(shown)
        return found

    def _rows_here(self, deps: Deps, channel: str) -> list[Holder]:
        """The holders of every role in `channel`, read through the guard; none in a
        DM, without a store, or with it down."""
        store = self.store
        if store is None or not channel or channel.startswith("D"):
            return []
        ok, rows = deps.guard.run("role holders", lambda: store.holders(channel))
        return list(rows or []) if ok else []

    def notify(
        self,
        deps: Deps,
        client: WebClient,
        channel: str,
        setter: str,
        role: str,
        holders: list[tuple[str, HolderKind]],
    ) -> None:
        """Tell the channel who set whom, by name: a change of holders is visible."""
        names = [self.names.name(client, holder, kind) for holder, kind in holders]
        who = self.names.name(client, setter, "user")
        text = notice_text(deps.engine.kb, role, who, names)
        try:
            client.chat_postMessage(channel=channel, text=text)
        except (SlackApiError, OSError) as error:
            log.warning("team notice for %s not posted: %s", channel, type(error).__name__)

    def home_blocks(self, deps: Deps, user: str, client: WebClient) -> list[Block]:
        """ "Your roles": (channel, role title) where `user` holds a role."""
        store = self.store
        if store is None:
            return []
        ok, rows = deps.guard.run("role holders", lambda: store.roles_held_by(user))
        titles = holder_roles(deps.engine.kb)
        held = [(channel, titles.get(role, role)) for channel, role in rows or []] if ok else []
        return roles_blocks(held)

    def forget(self, deps: Deps, channel: str, why: str) -> None:
        store = self.store
        if store is None or not channel:
            return

        def forget() -> None:
            ok, removed = deps.guard.run(
                "forget role holders", lambda: store.clear_holders(channel)
            )
            if ok and removed:
                log.info("forgot %d role holders (%s)", removed, why)

        deps.replies.submit(forget, "forget role holders", channel)


def roles_in(deps: Deps, question: str) -> tuple[str, ...]:
    """The roles a question's words name that someone can hold: a bare "PM" is both of ours."""
    words = deps.engine.normaliser.normalise(question)
    named = {*words.roles, *words.neighbours} | (set(OUR_ROLES) if words.ambiguous_pm else set())
    return tuple(role for role in holder_roles(deps.engine.kb) if role in named)


def _where_team_cannot_go(client: WebClient, channel: str) -> str | None:
    status = conversation(client, channel).status
    return {"in": None, "out": NOT_A_MEMBER, "unreachable": SLACK_UNREACHABLE}[status]


def _forget(context: BoltContext, channel: str, why: str) -> None:
    deps = deps_of(context)
    team = deps.feature(Team)
    if team is not None:
        team.forget(deps, channel, why)


def handle_member_left(event: dict[str, Any], context: BoltContext) -> None:
    if event.get("user") and event.get("user") == context.bot_user_id:
        _forget(context, str(event.get("channel") or ""), "bot left")


def handle_channel_gone(event: dict[str, Any], context: BoltContext) -> None:
    """channel_left, group_left, channel_archive, group_archive: `channel` is the id."""
    channel = event.get("channel")
    if isinstance(channel, dict):  # some shapes carry the channel as an object
        channel = channel.get("id")
    _forget(context, str(channel or ""), str(event.get("type")))
