"""The clauses of a longer message, each read in the light of the whole.

"we're 3 weeks behind on the rewrite. who fixes the plan?": the engine scores
each clause too, so context around a clear question cannot veto it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.answers.text import AMBIGUOUS_PM, PRODUCT, PROJECT, Normalised, Normaliser, clauses

MAX_CLAUSES = 6
# A clause of role words alone asks what the role is when it opens "what is"
# ("What is a product manager? Definition, tasks and skills").
_ASKS = re.compile(r"\s*(what|who)(\s+is|\s+are|'s|s)\b", re.IGNORECASE)


def read_clauses(normaliser: Normaliser, text: str, whole: Normalised) -> list[Normalised]:
    """Each clause of `text` (normalised as `whole`): the roles named anywhere
    count for every clause, so the role rules see them ("how do I become a PM?
    a product manager, I mean" is about product)."""
    found = clauses(text, MAX_CLAUSES)
    if len(found) < 2:
        return []
    out = []
    for part in found:
        clause = normaliser.normalise(part)
        tokens = clause.tokens
        if set(tokens) <= {PRODUCT, PROJECT} and not _ASKS.match(part):
            continue  # "PdM or PjM?" after the question says which roles, not what
        # A neighbouring role the whole message does not ask about (its asker's).
        tokens = tuple(
            t
            for t in tokens
            if not t.startswith("@")
            or t in (PRODUCT, PROJECT, AMBIGUOUS_PM)
            or t[1:] in whole.neighbours
        )
        if clause.ambiguous_pm and not whole.ambiguous_pm:
            # The clause's bare "PM" is a role the message names elsewhere.
            tokens = tuple(t for t in tokens if t not in (PRODUCT, PROJECT))
            tokens += tuple(f"@{role}" for role in sorted(whole.roles))
        out.append(
            replace(
                clause,
                tokens=tokens,
                roles=whole.roles,
                neighbours=whole.neighbours,
                ambiguous_pm=whole.ambiguous_pm,
            )
        )
    return out
