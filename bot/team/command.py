"""`/pm team`: who holds each role in this channel, and the answers that name them.

    /pm team                      who holds what here, who set it, when
    /pm team product @alice @bob  product manager(s) here: exactly these (replaces)
    /pm team PO @checkout-pms     any role the knowledge base knows, a user group too
    /pm team clear [role]         forget one role, or all of them

With the command's `should_escape` on (manifest.yml), Slack sends a mention as
`<@U123|alice>` and a user group as `<!subteam^S123|@checkout-pms>`; only those are
recorded. Reading holders on the answer path goes through the StoreGuard: with the
store down the answer is the general one (one warning line per outage).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from bot.answers.knowledge import KnowledgeBase
from bot.answers.role_grid import lower_first
from bot.mrkdwn import clip, escape
from bot.slack.blocks import Block, section
from bot.slack.names import USER_MENTION, mention
from bot.slack.resilience import StoreGuard
from bot.slack.services import STORE_DOWN
from bot.team.records import Holder, HolderKind, RoleHolders
from bot.team.roles import holder_roles, role_for

_GROUP = re.compile(r"<!subteam\^(S[A-Z0-9]{1,31})(?:\|[^<>]*)?>")
_TOKENS = re.compile(r"<[^<>]*>|[^\s<>]+|[<>]")
ECHO_LIMIT = 100
MAX_HOLDERS = 20  # per role and channel
HERE_NAMED = 5  # named under an answer, per role; the rest are "and N more"
EXAMPLE = "`/pm team product @alice`"
NOT_IN_DM = "Roles are kept per channel: run `/pm team` in the channel they belong to."
NO_STORE = "Team roles need a database; set DATABASE_URL (see .env.example)."
# Roles are forgotten when the bot leaves or the channel is archived, and Slack only
# tells a member: so only a channel the bot is in can have roles recorded.
NOT_A_MEMBER = (
    "I'm not in this channel, so I can't keep its roles (I forget them when I leave or the "
    "channel is archived, and Slack only tells me if I'm in it). Invite me with "
    "`/invite @pmbot`, then run `/pm team` again."
)
SLACK_UNREACHABLE = "I couldn't check this channel with Slack just now; please try again."

Holders = Mapping[str, Sequence[str]]  # role id -> mentions ("<@U1>", "<!subteam^S1>")


class TeamUsageError(ValueError):
    """Bad `/pm team` input; its text is the polite reply."""


@dataclass(frozen=True)
class TeamRequest:
    action: Literal["show", "set", "clear"]
    role: str | None = None  # None with show/clear: every role
    holders: tuple[tuple[str, HolderKind], ...] = ()


def _role_list(kb: KnowledgeBase) -> str:
    return ", ".join(lower_first(title) for title in holder_roles(kb).values())


def _leading_role(kb: KnowledgeBase, words: list[str]) -> tuple[str, int] | None:
    """The role the first words name ("scrum master @x" -> scrum-master, 2 words)."""
    for n in range(min(len(words), 4), 0, -1):
        role = role_for(kb, " ".join(words[:n]))
        if role is not None:
            return role, n
    return None


def is_team_command(kb: KnowledgeBase, args: Sequence[str]) -> bool:
    """`/pm team …` is the command when what follows is empty, `clear`, or a role
    word; anything else ("team lead duties?") stays a question."""
    return not args or args[0].lower() in ("clear", "show") or bool(_leading_role(kb, [*args]))


def _holder(token: str) -> tuple[str, HolderKind]:
    for pattern, kind in ((USER_MENTION, "user"), (_GROUP, "usergroup")):
        found = pattern.fullmatch(token)
        if found:
            return found.group(1), kind  # type: ignore[return-value]
    echoed = escape(clip(token, ECHO_LIMIT))
    raise TeamUsageError(
        f"“{echoed}” isn't a person or a user group. Mention them with @, "
        f"like {EXAMPLE} or `@checkout-pms`."
    )


def parse_team_args(kb: KnowledgeBase, text: str) -> TeamRequest:
    """`text`: what follows `/pm team`. Raises TeamUsageError with the reply."""
    tokens = _TOKENS.findall(text)
    if not tokens or tokens[0].lower() == "show":
        return TeamRequest("show")
    clearing = tokens[0].lower() == "clear"
    words = tokens[1:] if clearing else tokens
    found = _leading_role(kb, words)
    if found is None:
        if clearing and not words:
            return TeamRequest("clear")
        echoed = escape(clip(" ".join(words), ECHO_LIMIT))
        raise TeamUsageError(
            f"I don't know the role “{echoed}”. Roles: {_role_list(kb)}. For example: {EXAMPLE}."
        )
    role, used = found
    rest = words[used:]
    if clearing:
        if rest:
            raise TeamUsageError("To clear a role: `/pm team clear product` (no names needed).")
        return TeamRequest("clear", role)
    if not rest:
        return TeamRequest("show", role)
    holders = tuple(dict.fromkeys(_holder(token) for token in rest))
    if len(holders) > MAX_HOLDERS:
        raise TeamUsageError(
            f"That's {len(holders)} names; a role takes at most {MAX_HOLDERS}. "
            "A user group (`@checkout-pms`) counts as one."
        )
    return TeamRequest("set", role, holders)


# --- wording --------------------------------------------------------------------------
def _day(stamp: float) -> str:
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d")


def show_text(kb: KnowledgeBase, rows: Sequence[Holder], role: str | None = None) -> str:
    titles = holder_roles(kb)
    shown = [r for r in rows if role is None or r.role == role]
    if not shown:
        what = f"No {lower_first(titles[role])} is" if role else "No roles are"
        return (
            f"{what} recorded in this channel yet. Record one with {EXAMPLE} "
            f"(roles: {_role_list(kb)})."
        )
    lines = ["*Who holds each role here*"]
    for rid in dict.fromkeys(r.role for r in shown):
        mine = [r for r in shown if r.role == rid]
        names = ", ".join(mention(r.holder_id, r.kind) for r in mine)
        last = max(mine, key=lambda r: r.set_at)
        title = titles.get(rid, rid)
        lines.append(f"• *{title}*: {names} (set by <@{last.set_by}> on {_day(last.set_at)})")
    lines.append("Change one with `/pm team ROLE @name`; remove with `/pm team clear [role]`.")
    return "\n".join(lines)


def set_text(kb: KnowledgeBase, role: str, holders: Sequence[tuple[str, str]]) -> str:
    names = ", ".join(mention(h, k) for h, k in dict(holders).items())
    title = lower_first(holder_roles(kb)[role])
    return f"Recorded: the {title} here is {names}. Answers in this channel now name them."


def notice_text(kb: KnowledgeBase, role: str, setter: str, names: Sequence[str]) -> str:
    """What the channel is told when its holders change: who set whom, by name."""
    title = lower_first(holder_roles(kb)[role])
    return f"{setter} set the {title} here: {', '.join(names)} (`/pm team` shows who holds what)."


def clear_text(kb: KnowledgeBase, role: str | None, removed: int) -> str:
    if role is None:
        return (
            "Cleared every role in this channel."
            if removed
            else "No roles were recorded here, so nothing changed."
        )
    title = lower_first(holder_roles(kb)[role])
    if not removed:
        return f"Nobody was recorded as {title} here, so nothing changed."
    return f"Cleared the {title} for this channel."


def roles_blocks(held: Sequence[tuple[str, str]]) -> list[Block]:
    """ "Your roles" in App Home: (channel, role title) pairs; nothing when there are none."""
    if not held:
        return []
    lines = "\n".join(f"• <#{channel}>: {escape(title)}" for channel, title in held)
    return [section(f"*Your roles* (set with `/pm team`)\n{lines}", block_id="pm_your_roles")]


def here_text(kb: KnowledgeBase, roles: Sequence[str], holders: Holders) -> str | None:
    """ "Here: @ada" for one role; "Here: @ada (product manager), …" for several;
    None when nobody holds them here. A few holders per role are named, then "and N
    more": the line stays short, so an answer is cut before it, never inside it."""
    held = [(rid, holders[rid]) for rid in roles if holders.get(rid)]
    if not held:
        return None
    titles = holder_roles(kb)
    parts = []
    for rid, names in held:
        shown = list(names[:HERE_NAMED])
        if len(names) > HERE_NAMED:
            shown.append(f"and {len(names) - HERE_NAMED} more")
        role = f" ({lower_first(titles.get(rid, rid))})" if len(roles) > 1 else ""
        parts += [f"{name}{role}" for name in shown]
    return "Here: " + ", ".join(parts)


def sets_holders(kb: KnowledgeBase, text: str) -> bool:
    """Whether `/pm team <text>` records holders (and so must first ask Slack whether
    the bot is in the channel)."""
    try:
        return parse_team_args(kb, text).action == "set"
    except TeamUsageError:
        return False


def team_command(
    kb: KnowledgeBase,
    store: RoleHolders | None,
    guard: StoreGuard,
    channel: str,
    user: str,
    text: str,
    refusal: Callable[[], str | None] = lambda: None,
    recorded: Callable[[str, list[tuple[str, HolderKind]]], object] = lambda role, who: None,
) -> str:
    """The reply to `/pm team …` (`text`: what follows the word team); `refusal` says
    why holders cannot be recorded in this channel (None: they can); `recorded` is
    told of holders once stored (the channel's notice)."""
    if store is None:
        return NO_STORE
    if channel.startswith("D") or not channel:
        return NOT_IN_DM
    try:
        request = parse_team_args(kb, text)
    except TeamUsageError as error:
        return str(error)
    if request.action == "show":
        ok, rows = guard.run("/pm team", lambda: store.holders(channel))
        return show_text(kb, rows or [], request.role) if ok else STORE_DOWN
    if request.action == "clear":
        ok, removed = guard.run("/pm team", lambda: store.clear_holders(channel, request.role))
        return clear_text(kb, request.role, removed or 0) if ok else STORE_DOWN
    role = request.role
    assert role is not None
    refused = refusal()
    if refused is not None:
        return refused
    holders = list(request.holders)
    ok, _ = guard.run("/pm team", lambda: store.set_holders(channel, role, holders, user))
    if not ok:
        return STORE_DOWN
    recorded(role, holders)
    return set_text(kb, role, holders)
