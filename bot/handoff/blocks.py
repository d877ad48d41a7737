"""What the hand-off says, as pure functions: the request to people, the note to the
asker, the reply notice. User text is escaped once and shown verbatim, so a
question can neither ping `@channel` nor make a link; the people asked are pinged
(a ping is for when someone asks for a person), everyone else is named."""

from __future__ import annotations

from collections.abc import Sequence

from bot.mrkdwn import clip, escape
from bot.slack.blocks import (
    HANDOFF_QUESTION_BLOCK,
    QUESTION_ECHO_LIMIT,
    Block,
    Message,
    context,
    mrkdwn,
)

NOT_HERE = (
    "I can't ask anyone from here: I'm not in this conversation. Invite me to a channel "
    "(`/invite @pmbot`) and ask there, or message me directly."
)
NOBODY = (
    "I don't know whom to ask about this yet: nobody holds that role in this channel "
    "(`/pm team`), and no experts channel or curators are set up. Your workspace admin "
    "can set them (PMBOT_EXPERTS_CHANNEL, PMBOT_CURATORS)."
)
ALREADY = "I've already asked someone about this question. I'll tell you when they reply."
ALREADY_BY_SOMEONE = (
    "Someone here already asked a person about this question: watch its thread for the answer."
)
TOO_MANY = (
    "You've asked for a person a lot in the last hour, so I'm holding off to keep "
    "channels quiet. Please try again a little later."
)
CHANNEL_BUSY = (
    "This channel has asked for people a lot in the last hour, so I'm holding off. "
    "Please try again a little later."
)
NOT_POSTED = (
    "Sorry, I couldn't reach anyone just now (Slack didn't take my message). Please try again."
)
PRIVATE = "It was asked privately, so I won't quote it here: reply in this thread, or message them."
UNREACHABLE = "I can't reach Slack just now to ask anyone. Please try again in a minute."


def listed(names: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def request_message(
    asker: str,
    people: Sequence[str],
    role: str,
    question: str | None,
    link: str | None = None,
    where: str | None = None,
) -> Message:
    """The post asking `people` (mentions; `role`: what they are to it) to take a
    question. `question` None: it came from a private channel and is only linked
    (`link`), never quoted. `where`: the source channel, when asked elsewhere.
    `asker` is a name as Names gives it: escaped already. Every section is sent
    verbatim, so a name or a question that looks like a URL is no link."""
    pinged = f"{listed(list(people))} ({escape(role)})" if people else "Anyone here"
    origin = f" in <#{where}>" if where else ""
    head = (
        f":raising_hand: *{asker}* asked for a person{origin}. "
        f"{pinged}, could you help? I couldn't answer this one."
    )
    text = {**mrkdwn(head), "verbatim": True}
    blocks: list[Block] = [{"type": "section", "block_id": "pm_handoff", "text": text}]
    if question is not None:
        quote = "> " + escape(clip(" ".join(question.split()), QUESTION_ECHO_LIMIT))
        # verbatim: Slack leaves the text as sent, so a URL in it is no link
        text = {**mrkdwn(quote), "verbatim": True}
        blocks.append({"type": "section", "block_id": HANDOFF_QUESTION_BLOCK, "text": text})
    elif not link:
        blocks.append(context(PRIVATE))
    footer = f"Reply in this thread and I'll let {asker} know."
    if link:
        footer = f"<{link}|See the question>. {footer}"
    blocks.append({"type": "context", "elements": [{**mrkdwn(footer), "verbatim": True}]})
    fallback = listed(list(people)) if people else "anyone here"
    # The notification's text names no one and quotes nothing: no user text in it at all.
    return {"text": f"Someone asked for a person: {fallback}, could you help?", "blocks": blocks}


def experts_note(channel: str) -> str:
    return f"I've asked the experts in <#{channel}>. I'll let you know when someone replies."


def asked_note(names: Sequence[str], role: str, where: str) -> str:
    """What the asker sees, privately: who was asked (by name), where, and what next."""
    return (
        f"I've asked {listed(list(names))} ({role}) {where}. "
        "I'll let you know when someone replies."
    )


def reply_notice(helper: str, link: str | None) -> str:
    """The one message the asker gets when someone replies to their question
    (`helper` as Names gives it: escaped already)."""
    see = f" <{link}|See the reply>." if link else ""
    return f"{helper} replied to the question you asked a person about.{see}"
