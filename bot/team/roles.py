"""The roles a person can hold in a channel (`/pm team product @alice`), read from
the knowledge base: our two roles (the role-duty corpus) and every neighbouring role
the synonyms name with an @-marker. The words people use for them are the synonyms'
variants, so a team that teaches pmbot a new word for a role teaches `/pm team` too."""

from __future__ import annotations

from bot.answers.knowledge_sections import OUR_ROLES
from bot.answers.model import KnowledgeBase, Topic
from bot.answers.schema import phrase_key

AMBIGUOUS = "@pm"


def holder_roles(kb: KnowledgeBase) -> dict[str, str]:
    """Role id -> its title ("product" -> "Product manager"), ours first."""
    roles = {
        rid: kb.roles[rid].title if rid in kb.roles else f"{rid.title()} manager"
        for rid in OUR_ROLES
    }
    # A role pmbot has a topic about; the roles it only recognises to decline are not held.
    covered = {topic.about for topic in kb.answerable if topic.about}
    for canonical, variants in kb.synonyms.items():
        rid = canonical[1:]
        if canonical.startswith("@") and canonical != AMBIGUOUS and rid in covered - roles.keys():
            first = variants[0] if variants else rid.replace("-", " ")
            # The role grid's title says it as written ("PMO"); a variant is lower-case.
            roles[rid] = kb.roles[rid].title if rid in kb.roles else first[:1].upper() + first[1:]
    return roles


def role_words(kb: KnowledgeBase) -> dict[str, str]:
    """Every word or phrase (as phrase_key gives it) that names one role -> the role id."""
    roles = holder_roles(kb)
    words: dict[str, str] = {}
    firsts: dict[str, set[str]] = {}
    for rid in roles:
        firsts.setdefault(rid.split("-")[0], set()).add(rid)
    # Weakest first, so a stronger name overwrites it: "scrum" alone, then the
    # synonyms' variants ("po", "tpm"), then the ids themselves.
    for first, owners in firsts.items():
        if len(owners) == 1:
            words[first] = next(iter(owners))
    for rid in roles:
        for variant in (*kb.synonyms.get(f"@{rid}", ()), *kb.synonyms.get(rid, ())):
            words[phrase_key(variant)] = rid
    for rid in roles:
        words[phrase_key(rid)] = rid
        words[rid] = rid
    return words


def role_for(kb: KnowledgeBase, word: str) -> str | None:
    """The role `word` names ("PO", "scrum master", "pdm"), or None (also for a bare "PM")."""
    return role_words(kb).get(phrase_key(word)) or role_words(kb).get(word.strip().lower())


def roles_named_by(kb: KnowledgeBase, topic: Topic | None) -> tuple[str, ...]:
    """The roles whose holders an answer with `topic` names: a duty's owner (both
    roles for `both`; a duty the role grid derived is owned by its role), or the role
    a role topic (settings: role_topics) describes."""
    if topic is None:
        return ()
    if topic.owner == "both":
        return OUR_ROLES
    if topic.owner:
        return (topic.owner,)
    if topic.id in kb.settings.role_topics and topic.about:
        return (topic.about,)
    return ()
