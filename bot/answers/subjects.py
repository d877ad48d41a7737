"""Whom a question is about, read before it is scored: the role that only says who is
asking is context ("project manager here. what does a product manager do?"), the
role an ask's own cue names is the subject ("how does a PdM become a PjM?"), and
"who is a …" asks what one is, not for a person."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.answers.asks import AskReader
from bot.answers.model import Ask
from bot.answers.rules import WHO
from bot.answers.text import Normalised, Normaliser

# "Who is a …", "who's an …": a definition, however it is typed ("who is *the*
# project manager here?" asks for a person, and keeps its "who").
_DEFINES = re.compile(r"\s*(?:who\s*is|whos|who's|who’s)\s+an?\s", re.IGNORECASE)


# A message that opens "As a …," says who is asking ("as a product manager, what
# degree does a project manager need?"); elsewhere "as a" is part of the question.
_AS_A = re.compile(r"\s*as an?\s+([^,;:.?!]{1,60})[,;:]", re.IGNORECASE)


def read_subject(
    asks: AskReader, normaliser: Normaliser, text: str, whole: Normalised, ask: Ask | None
) -> Normalised:
    """`whole` (the normalised `text`) as the question it is about."""
    whole = without_asker(asks, normaliser, text, whole)
    if _DEFINES.match(text) and WHO in whole.tokens:
        whole = replace(whole, tokens=tuple(t for t in whole.tokens if t != WHO))
    phrase = asks.cued_role(text, ask) if ask is not None else None
    if phrase is not None:
        cued = normaliser.normalise(phrase)
        named = sorted(cued.roles | cued.neighbours)
        # Between our two roles the cue decides; a neighbouring role named keeps the
        # rule that it is answered by its own topic, never one of ours (rules.py).
        if len(named) == 1 and not (cued.roles and whole.neighbours):
            whole = replace(whole, subject=named[0])
    return whole


def without_asker(
    asks: AskReader, normaliser: Normaliser, text: str, whole: Normalised
) -> Normalised:
    """The question without the role that only says who is asking ("eng manager
    here. who owns the schedule?"): a neighbouring one always; one of ours when the
    question names another role to ask about."""
    said = [normaliser.normalise(p) for p in asks.asker_roles(text)]
    opening = _AS_A.match(text)  # "As a PdM, …": the role the message opens with
    if opening is not None:
        said.append(normaliser.normalise(opening.group(1)))
    asker = {role for read in said for role in read.neighbours}
    ours = {role for read in said for role in read.roles}
    if ours and not ((whole.roles - ours) or (whole.neighbours - asker)):
        ours = set()
    markers = {f"@{role}" for role in asker | ours}
    tokens = tuple(t for t in whole.tokens if t not in markers)
    if not (asker or ours) or not tokens:
        return whole
    return replace(
        whole, tokens=tokens, neighbours=whole.neighbours - asker, roles=whole.roles - ours
    )
