"""The `synonyms`, `filler`, `tips`, `settings` and `phrasings` sections of knowledge
files (`roles`, the role grid, is role_grid.py's)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from bot.answers.model import Ask, KnowledgeSettings, Role, Smalltalk, Tip, Topic
from bot.answers.problems import LineDict, LineList
from bot.answers.schema import (
    Problems,
    check_fields,
    phrase_key,
    read_entry,
    read_text,
    read_text_list,
)
from bot.answers.text import ARTICLES, phrase_form

# Our two roles: every other role of the grid (the `roles` section) is a neighbour.
OUR_ROLES = ("product", "project")
TIP_FIELDS = {"id", "text", "topic"}
TIP_TEXT_LIMIT = 400
# Each setting names topics; `pmbot validate` reports one that is not set.
SETTINGS = {
    "ambiguous_topic": 'the topic that answers a bare "PM", offering both roles',
    "suggested_topics": "topics whose first question is offered as an example",
}
# Settings a knowledge base may leave out (validate does not ask for them).
OPTIONAL_SETTINGS = {
    "prompt_topics": "the AI-app pane's prompts; unset, it offers `suggested_topics`",
    "role_topics": "topics describing one role (their 'about'); answers name its holders",
    "review_days": "days after a topic's 'reviewed' date before it counts as stale",
}


@dataclass
class Parsed:
    """Everything read so far, across files, for the cross-file checks."""

    topics: dict[str, Topic] = field(default_factory=dict)
    question_owner: dict[str, tuple[str, str]] = field(default_factory=dict)
    roles: dict[str, tuple[Role, str, int]] = field(default_factory=dict)
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    variant_owner: dict[str, str] = field(default_factory=dict)
    references: list[tuple[str, int, str, str]] = field(default_factory=list)
    abouts: list[tuple[str, int, str, str]] = field(default_factory=list)
    tips: dict[str, tuple[Tip, str]] = field(default_factory=dict)
    filler: list[str] = field(default_factory=list)
    settings: KnowledgeSettings = field(default_factory=KnowledgeSettings)
    # (file, line, topic id, question): more ways to ask a topic defined elsewhere
    phrasings: list[tuple[str, int, str, str]] = field(default_factory=list)
    role_topic_lines: dict[str, tuple[str, int]] = field(default_factory=dict)
    smalltalk: Smalltalk = field(default_factory=Smalltalk)
    asks: tuple[Ask, ...] = ()
    ask_lines: dict[str, str] = field(default_factory=dict)  # ask id -> file:line
    ask_fallbacks: list[tuple[str, int, str, str]] = field(default_factory=list)


def parse_synonyms(problems: Problems, file: str, section: Any, line: int, out: Parsed) -> None:
    if not isinstance(section, LineDict):
        problems.add(file, line, "'synonyms' must map a canonical word to a list of variants")
        return
    for canonical, variants in section.items():
        c_line = section.lines[canonical]
        if not isinstance(variants, LineList):
            problems.add(file, c_line, f"variants of '{canonical}' must be a list")
            continue
        clean: list[str] = []
        for variant, v_line in zip(variants, variants.lines, strict=True):
            if not isinstance(variant, str) or not phrase_key(variant):
                problems.add(file, v_line, f"each variant of '{canonical}' must be text")
                continue
            said = phrase_key(variant).split()
            if all(word in ARTICLES for word in said):
                problem = f"variant '{variant}' of '{canonical}' is only an article"
                problems.add(file, v_line, problem)
                continue
            key = " ".join(phrase_form(said))  # "make a call" is "make the call"
            other = out.variant_owner.get(key)
            if other is not None and other != canonical:
                problems.add(
                    file,
                    v_line,
                    f"variant '{variant}' is listed under both '{other}' and '{canonical}'",
                )
                continue
            if other == canonical:
                problems.add(
                    file, v_line, f"variant '{variant}' is listed twice under '{canonical}'"
                )
                continue
            out.variant_owner[key] = canonical
            clean.append(variant)
        out.synonyms[str(canonical)] = out.synonyms.get(str(canonical), ()) + tuple(clean)


def parse_filler(problems: Problems, file: str, section: Any, line: int, out: Parsed) -> None:
    if not isinstance(section, LineList):
        problems.add(file, line, "'filler' must be a list of words")
        return
    for word, word_line in zip(section, section.lines, strict=True):
        if not isinstance(word, str) or len(phrase_key(word).split()) != 1:
            problems.add(
                file, word_line, "each filler entry must be one word (quote yes, no, on, off)"
            )
            continue
        out.filler.append(phrase_key(word))


def parse_tips(problems: Problems, file: str, section: Any, line: int, out: Parsed) -> None:
    if not isinstance(section, LineList):
        problems.add(file, line, "'tips' must be a list of tips (id, text, topic)")
        return
    for entry, item_line in zip(section, section.lines, strict=True):
        read = read_entry(problems, file, entry, item_line, "tip", TIP_FIELDS, "id and text")
        if read is None:
            continue
        item, tip_id, what = read
        text = read_text(problems, file, item, "text", what)
        topic = read_text(problems, file, item, "topic", what, required=False)
        if tip_id is None or text is None:
            continue
        if len(text) > TIP_TEXT_LIMIT:
            problems.add(
                file,
                item.lines["text"],
                f"text of {what} is {len(text)} characters; keep tips under {TIP_TEXT_LIMIT}",
            )
        if tip_id in out.tips:
            first = out.tips[tip_id][1]
            problems.add(file, item.lines["id"], f"duplicate tip id '{tip_id}' (first at {first})")
            continue
        if topic:
            out.references.append((file, item.lines["topic"], topic, what))
        out.tips[tip_id] = (Tip(tip_id, text, topic), f"{file}:{item.lines['id']}")


def parse_settings(problems: Problems, file: str, section: Any, line: int, out: Parsed) -> None:
    if not isinstance(section, LineDict):
        problems.add(file, line, f"'settings' must be a mapping with {', '.join(SETTINGS)}")
        return
    check_fields(problems, file, section, {*SETTINGS, *OPTIONAL_SETTINGS}, "settings")
    what = "settings"
    ambiguous = read_text(problems, file, section, "ambiguous_topic", what, required=False)
    suggested = read_text_list(problems, file, section, "suggested_topics", what)
    prompts = read_text_list(problems, file, section, "prompt_topics", what)
    role_topics = read_text_list(problems, file, section, "role_topics", what)
    if ambiguous:
        out.references.append((file, section.lines["ambiguous_topic"], ambiguous, "settings"))
    for key, refs in (
        ("suggested_topics", suggested),
        ("prompt_topics", prompts),
        ("role_topics", role_topics),
    ):
        for ref in refs:
            out.references.append((file, section.lines[key], ref, "settings"))
    if role_topics:
        out.role_topic_lines = {ref: (file, section.lines["role_topics"]) for ref in role_topics}
    out.settings = KnowledgeSettings(
        ambiguous_topic=ambiguous or out.settings.ambiguous_topic,
        suggested_topics=suggested or out.settings.suggested_topics,
        prompt_topics=prompts or out.settings.prompt_topics,
        role_topics=role_topics or out.settings.role_topics,
        review_days=_review_days(problems, file, section) or out.settings.review_days,
    )


def _review_days(problems: Problems, file: str, section: LineDict) -> int | None:
    value = section.get("review_days")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        problems.add(file, section.lines["review_days"], "'review_days' must be a whole number > 0")
        return None
    return value


def missing_settings(settings: KnowledgeSettings) -> list[str]:
    """What `pmbot validate` reports: each setting left unset, and what it is for."""
    return [
        f"settings: '{name}' is not set ({purpose})"
        for name, purpose in SETTINGS.items()
        if not getattr(settings, name)
    ]


def parse_phrasings(problems: Problems, file: str, section: Any, line: int, out: Parsed) -> None:
    """`phrasings: {topic-id: [question, ...]}`: questions for topics defined in
    another file (what `pmbot taught export` writes, so taught phrasings can be
    committed without editing the topic files)."""
    if not isinstance(section, LineDict):
        problems.add(file, line, "'phrasings' must map a topic id to a list of questions")
        return
    for topic_id, questions in section.items():
        t_line = section.lines[topic_id]
        if not isinstance(questions, LineList):
            problems.add(file, t_line, f"phrasings of '{topic_id}' must be a list of questions")
            continue
        for question, q_line in zip(questions, questions.lines, strict=True):
            if not isinstance(question, str) or not phrase_key(question):
                problems.add(file, q_line, f"each phrasing of '{topic_id}' must be text")
                continue
            out.phrasings.append((file, q_line, str(topic_id), question.strip()))


def claim_question(
    problems: Problems, out: Parsed, file: str, line: int, topic_id: str, question: str
) -> bool:
    """Record that `question` belongs to `topic_id`; True when it is new. The same
    question under two topics is a mistake: one of them would never win."""
    key = phrase_key(question)
    seen = out.question_owner.get(key)
    if seen and seen[0] != topic_id:
        owner = seen[0]
        message = f"question '{question}' is under topics '{owner}' and '{topic_id}' ({{other}})"
        problems.add_clash(f"{file}:{line}", seen[1], message)
    elif not seen:
        out.question_owner[key] = (topic_id, f"{file}:{line}")
    return not seen


def apply_phrasings(problems: Problems, out: Parsed) -> None:
    """Add the `phrasings` sections' questions to their topics, once all files are read.
    A question its topic already has is skipped (an exported phrasing also typed into
    the topic is not counted twice); one under another topic is a mistake."""
    for file, line, topic_id, question in out.phrasings:
        topic = out.topics.get(topic_id)
        if topic is None:
            problems.add(file, line, f"unknown topic '{topic_id}' in phrasings")
            continue
        if topic.declines:
            problems.add(file, line, f"topic '{topic_id}' in phrasings is a decline, not an answer")
            continue
        if claim_question(problems, out, file, line, topic_id, question):
            out.topics[topic_id] = replace(topic, questions=(*topic.questions, question))
