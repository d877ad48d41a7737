"""Load and validate the knowledge base: topics, role duties and synonyms.

Knowledge is data a team edits, so every mistake is reported as
`file:line: what is wrong`, all of them at once, through one KnowledgeError.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.yamlfile import KnowledgeError, LineDict, LineList, Problem, load_yaml

SLACK_SECTION_LIMIT = 3000
TOPIC_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
KINDS = ("faq", "duty")
OWNERS = ("product", "project", "both")
ROLES = ("product", "project")
SECTIONS = ("topics", "roles", "synonyms", "tips")
TOPIC_FIELDS = {
    "id",
    "title",
    "kind",
    "answer",
    "questions",
    "keywords",
    "related",
    "owner",
    "about",
    "counterpart",
    "group",
}
ROLE_FIELDS = {"title", "focus", "goal", "duties"}
TIP_FIELDS = {"id", "text", "topic"}
TIP_TEXT_LIMIT = 400
DUTY_FIELDS = {"topic", "duty", "tasks"}


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    kind: str
    answer: str
    questions: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    owner: str | None = None
    about: str | None = None
    counterpart: str | None = None
    group: str | None = None
    source: str = ""


@dataclass(frozen=True)
class Duty:
    role: str
    topic: str
    duty: str
    tasks: tuple[str, ...]


@dataclass(frozen=True)
class Role:
    id: str
    title: str
    focus: str
    goal: str
    duties: tuple[Duty, ...]


@dataclass(frozen=True)
class Tip:
    id: str
    text: str
    topic: str | None = None


@dataclass(frozen=True)
class KnowledgeBase:
    topics: dict[str, Topic]
    roles: dict[str, Role] = field(default_factory=dict)
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    tips: tuple[Tip, ...] = ()

    def duties_for(self, topic_id: str) -> list[Duty]:
        return [d for role in self.roles.values() for d in role.duties if d.topic == topic_id]


def default_knowledge_dir() -> Path:
    """knowledge/ of a source checkout, else the copy shipped inside the wheel."""
    package = Path(__file__).resolve().parent
    checkout = package.parent / "knowledge"
    return checkout if checkout.is_dir() else package / "_knowledge"


def knowledge_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml"))
    return [path]


def _phrase_key(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.casefold()))


class _Collector:
    """Gathers problems so one run reports every mistake, not just the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, line: int, message: str) -> None:
        self.problems.append(Problem(file, line, message))


def _text(
    problems: _Collector, file: str, item: LineDict, key: str, what: str, required: bool = True
) -> str | None:
    value = item.get(key)
    line = item.lines.get(key, item.line)
    if value is None:
        if required:
            problems.add(file, item.line, f"{what} is missing '{key}'")
        return None
    if not isinstance(value, str) or not value.strip():
        problems.add(file, line, f"'{key}' of {what} must be non-empty text")
        return None
    return value.strip()


def _text_list(
    problems: _Collector, file: str, item: LineDict, key: str, what: str
) -> tuple[str, ...]:
    value = item.get(key)
    if value is None:
        return ()
    line = item.lines.get(key, item.line)
    if not isinstance(value, LineList):
        problems.add(file, line, f"'{key}' of {what} must be a list")
        return ()
    out: list[str] = []
    for entry, entry_line in zip(value, value.lines, strict=True):
        if not isinstance(entry, str) or not entry.strip():
            problems.add(file, entry_line, f"each of '{key}' of {what} must be non-empty text")
        else:
            out.append(entry.strip())
    return tuple(out)


def _unknown_fields(
    problems: _Collector, file: str, item: LineDict, allowed: set[str], what: str
) -> None:
    for key in item:
        if key not in allowed:
            expected = ", ".join(sorted(allowed))
            problems.add(
                file, item.lines[key], f"unknown field '{key}' in {what} (expected: {expected})"
            )


@dataclass
class _Loaded:
    topics: dict[str, Topic] = field(default_factory=dict)
    question_owner: dict[str, tuple[str, str]] = field(default_factory=dict)
    roles: dict[str, tuple[Role, str, int]] = field(default_factory=dict)
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    variant_owner: dict[str, str] = field(default_factory=dict)
    references: list[tuple[str, int, str, str]] = field(default_factory=list)
    tips: dict[str, tuple[Tip, str]] = field(default_factory=dict)


def _parse_topic(problems: _Collector, file: str, item: Any, line: int, out: _Loaded) -> None:
    if not isinstance(item, LineDict):
        problems.add(file, line, "each topic must be a mapping with id, title, answer, questions")
        return
    topic_id = _text(problems, file, item, "id", "a topic")
    what = f"topic '{topic_id}'" if topic_id else "a topic"
    _unknown_fields(problems, file, item, TOPIC_FIELDS, what)
    title = _text(problems, file, item, "title", what)
    answer = _text(problems, file, item, "answer", what)
    kind = _text(problems, file, item, "kind", what, required=False) or "faq"
    owner = _text(problems, file, item, "owner", what, required=False)
    about = _text(problems, file, item, "about", what, required=False)
    counterpart = _text(problems, file, item, "counterpart", what, required=False)
    group = _text(problems, file, item, "group", what, required=False)
    questions = _text_list(problems, file, item, "questions", what)
    keywords = _text_list(problems, file, item, "keywords", what)
    related = _text_list(problems, file, item, "related", what)
    if topic_id is None:
        return
    if not TOPIC_ID.match(topic_id):
        problems.add(
            file,
            item.lines["id"],
            f"topic id '{topic_id}' must be lower-case letters, digits and dashes",
        )
    if kind not in KINDS:
        problems.add(file, item.lines["kind"], f"kind of {what} must be one of {', '.join(KINDS)}")
    if kind == "duty" and owner not in OWNERS:
        problems.add(
            file,
            item.lines.get("owner", item.line),
            f"duty {what} needs 'owner': one of {', '.join(OWNERS)}",
        )
    if kind != "duty" and owner is not None:
        problems.add(file, item.lines["owner"], f"'owner' only applies to duty topics ({what})")
    if about is not None and about not in ROLES:
        problems.add(
            file, item.lines["about"], f"'about' of {what} must be one of {', '.join(ROLES)}"
        )
    if "questions" in item and not questions:
        problems.add(file, item.lines["questions"], f"{what} has no questions")
    elif "questions" not in item:
        problems.add(file, item.line, f"{what} is missing 'questions'")
    if answer is not None and len(answer) > SLACK_SECTION_LIMIT:
        problems.add(
            file,
            item.lines["answer"],
            f"answer of {what} is {len(answer):,} characters; "
            f"Slack allows {SLACK_SECTION_LIMIT:,} in one section",
        )
    if topic_id in out.topics:
        problems.add(
            file,
            item.lines["id"],
            f"duplicate topic id '{topic_id}' (first defined at {out.topics[topic_id].source})",
        )
        return
    question_list: LineList = item.get("questions") or LineList()
    for question, q_line in zip(questions, getattr(question_list, "lines", []), strict=False):
        key = _phrase_key(question)
        seen = out.question_owner.get(key)
        if seen and seen[0] != topic_id:
            problems.add(
                file, q_line, f"question '{question}' is also under topic '{seen[0]}' ({seen[1]})"
            )
        elif not seen:
            out.question_owner[key] = (topic_id, f"{file}:{q_line}")
    for ref in related:
        out.references.append((file, item.lines["related"], ref, f"related topic of {what}"))
    if counterpart:
        out.references.append(
            (file, item.lines["counterpart"], counterpart, f"counterpart of {what}")
        )
    out.topics[topic_id] = Topic(
        id=topic_id,
        title=title or topic_id,
        kind=kind,
        answer=answer or "",
        questions=questions,
        keywords=keywords,
        related=related,
        owner=owner,
        about=about,
        counterpart=counterpart,
        group=group,
        source=f"{file}:{item.lines['id']}",
    )


def _parse_roles(problems: _Collector, file: str, section: Any, line: int, out: _Loaded) -> None:
    if not isinstance(section, LineDict):
        problems.add(file, line, "'roles' must map a role (product, project) to its duties")
        return
    for role_id, body in section.items():
        role_line = section.lines[role_id]
        if role_id not in ROLES:
            problems.add(file, role_line, f"unknown role '{role_id}' (expected product, project)")
            continue
        if not isinstance(body, LineDict):
            problems.add(file, role_line, f"role '{role_id}' must be a mapping")
            continue
        what = f"role '{role_id}'"
        _unknown_fields(problems, file, body, ROLE_FIELDS, what)
        duties_raw = body.get("duties")
        duties: list[Duty] = []
        if not isinstance(duties_raw, LineList) or not duties_raw:
            problems.add(file, body.lines.get("duties", body.line), f"{what} needs a 'duties' list")
            duties_raw = LineList()
        for entry, entry_line in zip(duties_raw, duties_raw.lines, strict=True):
            if not isinstance(entry, LineDict):
                problems.add(file, entry_line, f"each duty of {what} must be a mapping")
                continue
            _unknown_fields(problems, file, entry, DUTY_FIELDS, f"a duty of {what}")
            topic = _text(problems, file, entry, "topic", f"a duty of {what}")
            duty = _text(problems, file, entry, "duty", f"a duty of {what}")
            tasks = _text_list(problems, file, entry, "tasks", f"a duty of {what}")
            if topic and duty:
                out.references.append((file, entry.lines["topic"], topic, f"duty of {what}"))
                duties.append(Duty(role=role_id, topic=topic, duty=duty, tasks=tasks))
        role = Role(
            id=role_id,
            title=_text(problems, file, body, "title", what) or role_id,
            focus=_text(problems, file, body, "focus", what, required=False) or "",
            goal=_text(problems, file, body, "goal", what, required=False) or "",
            duties=tuple(duties),
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


def _parse_synonyms(problems: _Collector, file: str, section: Any, line: int, out: _Loaded) -> None:
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
            if not isinstance(variant, str) or not _phrase_key(variant):
                problems.add(file, v_line, f"each variant of '{canonical}' must be text")
                continue
            key = _phrase_key(variant)
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


def _parse_tips(problems: _Collector, file: str, section: Any, line: int, out: _Loaded) -> None:
    if not isinstance(section, LineList):
        problems.add(file, line, "'tips' must be a list of tips (id, text, topic)")
        return
    for item, item_line in zip(section, section.lines, strict=True):
        if not isinstance(item, LineDict):
            problems.add(file, item_line, "each tip must be a mapping with id and text")
            continue
        tip_id = _text(problems, file, item, "id", "a tip")
        what = f"tip '{tip_id}'" if tip_id else "a tip"
        _unknown_fields(problems, file, item, TIP_FIELDS, what)
        text = _text(problems, file, item, "text", what)
        topic = _text(problems, file, item, "topic", what, required=False)
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


def _parse_file(problems: _Collector, path: Path, name: str, out: _Loaded) -> None:
    try:
        data = load_yaml(path, name)
    except KnowledgeError as exc:
        problems.problems.extend(exc.problems)
        return
    if data is None:
        return
    if not isinstance(data, LineDict):
        problems.add(name, 1, f"expected a mapping with one of: {', '.join(SECTIONS)}")
        return
    for section, body in data.items():
        line = data.lines[section]
        if section == "topics":
            if not isinstance(body, LineList):
                problems.add(name, line, "'topics' must be a list of topics")
                continue
            for item, item_line in zip(body, body.lines, strict=True):
                _parse_topic(problems, name, item, item_line, out)
        elif section == "roles":
            _parse_roles(problems, name, body, line, out)
        elif section == "synonyms":
            _parse_synonyms(problems, name, body, line, out)
        elif section == "tips":
            _parse_tips(problems, name, body, line, out)
        else:
            problems.add(
                name, line, f"unknown section '{section}' (expected: {', '.join(SECTIONS)})"
            )


def _check_references(problems: _Collector, out: _Loaded) -> None:
    for file, line, ref, what in out.references:
        topic = out.topics.get(ref)
        if topic is None:
            problems.add(file, line, f"unknown topic '{ref}' in {what}")
        elif what.startswith("duty of") and topic.kind != "duty":
            problems.add(file, line, f"topic '{ref}' in {what} is not a duty topic")


def _check_contract(problems: _Collector, contract: Path, topics: dict[str, Topic]) -> None:
    name = str(contract)
    try:
        data = load_yaml(contract, name)
    except KnowledgeError as exc:
        problems.problems.extend(exc.problems)
        return
    wanted = data.get("topics") if isinstance(data, LineDict) else None
    if not isinstance(wanted, LineDict):
        problems.add(name, 1, "contract has no 'topics' mapping")
        return
    for topic_id, spec in wanted.items():
        line = wanted.lines[topic_id]
        topic = topics.get(topic_id)
        if topic is None:
            problems.add(name, line, f"topic '{topic_id}' of the contract is missing")
            continue
        if not isinstance(spec, LineDict):
            continue
        file, _, topic_line = topic.source.rpartition(":")
        for key, actual in (("kind", topic.kind), ("owner", topic.owner)):
            expected = spec.get(key)
            if expected and actual != expected:
                problems.add(
                    file,
                    int(topic_line),
                    f"topic '{topic_id}' must have {key} '{expected}' (the contract says so)",
                )


def load_knowledge(
    path: Path | None = None,
    contract: Path | None = None,
    extra_files: Iterable[Path] = (),
) -> KnowledgeBase:
    """Load every YAML file under `path`; raise KnowledgeError listing all problems."""
    root = path or default_knowledge_dir()
    problems = _Collector()
    out = _Loaded()
    files = [*knowledge_files(root), *extra_files]
    if not files or not root.exists():
        problems.add(str(root), 1, "no knowledge files found (expected *.yaml)")
    for file in files:
        _parse_file(problems, file, str(file), out)
    if not out.topics and not problems.problems:
        problems.add(str(root), 1, "the knowledge base has no topics")
    _check_references(problems, out)
    if contract is not None:
        _check_contract(problems, contract, out.topics)
    if problems.problems:
        raise KnowledgeError(problems.problems)
    return KnowledgeBase(
        topics=out.topics,
        roles={role_id: entry[0] for role_id, entry in out.roles.items()},
        synonyms=out.synonyms,
        files=tuple(str(f) for f in files),
        tips=tuple(tip for tip, _ in out.tips.values()),
    )
