"""The role grid, the `roles` section of knowledge files: each role's title, focus,
goal and duties. It answers for itself: a role a team adds there, with its duties, is
answered with no topic written for it and no code change.

For each role the loader derives, when the YAML does not already have it:
- a role marker `@id` in the synonyms, from the role's title, so the normaliser
  detects the role's name ("release manager") and `/pm team` knows the role;
- when no topic written in YAML describes the role (one `about` it, of kind `role`
  or listed in `settings: role_topics`): a role topic (kind `role`, `about` the
  role) built from the title, focus, duties and goal, and for each duty without a
  `topic`, a duty topic that answers "who <does it>?" by naming the role, its
  `tasks` the words that say what it is about.

Topics written in YAML always win. A role they describe (our two roles, the
contract's neighbours) gets no derived topic: its topic answers for the role, and a
duty that needs an answer of its own names one with `topic`. A derived question some
topic already asks is dropped (a duty whose question is taken keeps no topic), a
derived id never replaces a YAML one, and marker words another synonym holds stay
there.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from bot.answers.knowledge_sections import Parsed
from bot.answers.model import Duty, Role, Topic
from bot.answers.problems import LineDict, LineList
from bot.answers.schema import (
    Problems,
    check_fields,
    id_problem,
    phrase_key,
    read_text,
    read_text_list,
)
from bot.answers.text import phrase_form

ROLE_FIELDS = {"title", "focus", "goal", "duties"}
DUTY_FIELDS = {"topic", "duty", "tasks"}
MAX_SLUG_WORDS = 6
VOWELS = tuple("aeiou")


def lower_first(text: str) -> str:
    """ "Runs the review" -> "runs the review", but "PMO" stays "PMO"."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def role_name(role: Role) -> str:
    """How a sentence names the role: "release manager", "PMO"."""
    return lower_first(role.title)


def _a(name: str) -> str:
    return f"an {name}" if name.lower().startswith(VOWELS) else f"a {name}"


def parse_roles(problems: Problems, file: str, section: Any, line: int, out: Parsed) -> None:
    if not isinstance(section, LineDict):
        problems.add(file, line, "'roles' must map a role id (product, pmo…) to its duties")
        return
    for role_id, body in section.items():
        role_line = section.lines[role_id]
        message = id_problem("role id", role_id)  # it becomes a topic id and a marker '@id'
        if message is not None:
            problems.add(file, role_line, message)
            continue
        if not isinstance(body, LineDict):
            problems.add(file, role_line, f"role '{role_id}' must be a mapping")
            continue
        what = f"role '{role_id}'"
        check_fields(problems, file, body, ROLE_FIELDS, what)
        role = Role(
            id=role_id,
            title=read_text(problems, file, body, "title", what) or role_id,
            focus=read_text(problems, file, body, "focus", what, required=False) or "",
            goal=read_text(problems, file, body, "goal", what, required=False) or "",
            duties=_parse_duties(problems, file, body, role_id, out),
            source=f"{file}:{role_line}",
        )
        if role_id in out.roles:
            first = out.roles[role_id]
            problems.add(
                file,
                role_line,
                f"role '{role_id}' is defined twice (first at {first[1]}:{first[2]})",
            )
        else:
            out.roles[role_id] = (role, file, role_line)


def _parse_duties(
    problems: Problems, file: str, body: LineDict, role_id: str, out: Parsed
) -> tuple[Duty, ...]:
    """A role's duties. None at all is allowed (`pmbot validate` warns: lint.py), so a
    team can name a role before it has worked out what the role does."""
    what = f"role '{role_id}'"
    duties_raw = body.get("duties")
    if duties_raw is None:
        return ()
    if not isinstance(duties_raw, LineList):
        problems.add(file, body.lines["duties"], f"'duties' of {what} must be a list of duties")
        return ()
    duties: list[Duty] = []
    for entry, entry_line in zip(duties_raw, duties_raw.lines, strict=True):
        if not isinstance(entry, LineDict):
            problems.add(file, entry_line, f"each duty of {what} must be a mapping")
            continue
        check_fields(problems, file, entry, DUTY_FIELDS, f"a duty of {what}")
        topic = read_text(problems, file, entry, "topic", f"a duty of {what}", required=False)
        duty = read_text(problems, file, entry, "duty", f"a duty of {what}")
        tasks = read_text_list(problems, file, entry, "tasks", f"a duty of {what}")
        if duty is None:
            continue
        if topic:
            out.references.append((file, entry.lines["topic"], topic, f"duty of {what}"))
        source = f"{file}:{entry_line}"
        duties.append(Duty(role=role_id, topic=topic, duty=duty, tasks=tasks, source=source))
    return tuple(duties)


def derive_from_roles(out: Parsed) -> None:
    """Add what the grid implies to `out` (topics, synonyms, role_topics, and each
    duty's topic); called once every file is read, before references are checked."""
    written = set(out.topics)
    for role_id, (role, file, line) in list(out.roles.items()):
        _derive_marker(out, role)
        if _described(out, role, written):
            continue
        # The role topic's id, when it is free: duty topics offer it as related.
        asked = () if role.id in out.topics else _claim(out, role.id, role.source, _asks(role))
        role_topic = role.id if asked else None
        duties = tuple(_duty_topic(out, role, duty, role_topic) for duty in role.duties)
        role = replace(role, duties=duties)
        out.roles[role_id] = (role, file, line)
        if asked:
            _add_role_topic(out, role, asked, line)
        for duty in duties:  # listed after the role they belong to
            if duty.topic and duty.topic not in written:
                out.topics[duty.topic] = out.topics.pop(duty.topic)


def _derive_marker(out: Parsed, role: Role) -> None:
    marker = f"@{role.id}"
    if marker in out.synonyms:
        return
    key = " ".join(phrase_form(phrase_key(role.title).split()))
    if not key or key in out.variant_owner:
        return  # another synonym holds those words: YAML wins
    out.variant_owner[key] = marker
    out.synonyms[marker] = (role.title,)


def _described(out: Parsed, role: Role, written: set[str]) -> bool:
    """Does a topic written in YAML describe `role`?"""
    return any(
        topic.id in written
        and topic.about == role.id
        and (topic.kind == "role" or topic.id in out.settings.role_topics)
        for topic in out.topics.values()
    )


def _claim(out: Parsed, topic_id: str, source: str, questions: list[str]) -> tuple[str, ...]:
    """The derived questions no topic asks yet, now claimed for `topic_id`."""
    kept = []
    for question in questions:
        key = phrase_key(question)
        if key and key not in out.question_owner:
            out.question_owner[key] = (topic_id, source)
            kept.append(question)
    return tuple(kept)


def _free_id(out: Parsed, wanted: str) -> str:
    topic_id, n = wanted, 1
    while topic_id in out.topics:
        n += 1
        topic_id = f"{wanted}-{n}"
    return topic_id


def _duty_topic(out: Parsed, role: Role, duty: Duty, role_topic: str | None) -> Duty:
    if duty.topic is not None:
        return duty
    slug = "-".join(re.findall(r"[a-z0-9]+", duty.duty.lower())[:MAX_SLUG_WORDS])
    topic_id = _free_id(out, f"{role.id}-{slug or 'duty'}")
    line = duty.source.rpartition(":")[2]
    questions = _claim(out, topic_id, duty.source, [f"who {lower_first(duty.duty)}"])
    if not questions:
        return duty  # a YAML topic asks it already, and answers it
    out.topics[topic_id] = Topic(
        id=topic_id,
        title=upper_first(duty.tasks[0]) if duty.tasks else duty.duty,
        kind="duty",
        answer=f"*{role.title}.* {duty.duty.rstrip('.')}.",
        questions=questions,
        keywords=duty.tasks or (duty.duty,),  # a duty needs its subject among its keywords
        related=(role_topic,) if role_topic else (),
        owner=role.id,
        source=duty.source,
        question_lines=(int(line),) if line.isdigit() else (),
    )
    return replace(duty, topic=topic_id)


def role_answer(role: Role) -> str:
    """What the role is, in the grid's words: title and focus, duties, goal."""
    lines = [f"*{role.title}*" + (f": {role.focus}" if role.focus else "")]
    lines += [f"• {duty.duty}" for duty in role.duties]
    if role.goal:
        lines.append(f"*Goal:* {role.goal}")
    return "\n".join(lines)


def _asks(role: Role) -> list[str]:
    name = _a(role_name(role))
    return [f"what does {name} do", f"what is {name}", f"what is the role of {name}"]


def _add_role_topic(out: Parsed, role: Role, questions: tuple[str, ...], line: int) -> None:
    out.topics[role.id] = Topic(
        id=role.id,
        title=f"The {role_name(role)}",
        kind="role",
        answer=role_answer(role),
        questions=questions,
        related=tuple(d.topic for d in role.duties if d.topic)[:3],
        about=role.id,
        source=role.source,
        question_lines=(line,) * len(questions),
    )
    settings = out.settings
    out.settings = replace(settings, role_topics=(*settings.role_topics, role.id))
