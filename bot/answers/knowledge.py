"""Load and validate the knowledge base: topics, role duties and synonyms.

Knowledge is data a team edits, so every mistake is reported as
`file:line: what is wrong`, all of them at once, through one KnowledgeError.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.answers.asks import check_topic_asks, parse_asks
from bot.answers.freshness import check_dates
from bot.answers.knowledge_sections import (
    OUR_ROLES,
    Parsed,
    apply_phrasings,
    claim_question,
    parse_filler,
    parse_phrasings,
    parse_settings,
    parse_synonyms,
    parse_tips,
)
from bot.answers.model import Duty, KnowledgeBase, Role, Tip, Topic, yaml_fields
from bot.answers.problems import KnowledgeError, LineDict, LineList
from bot.answers.role_grid import derive_from_roles, parse_roles
from bot.answers.schema import Problems, id_problem, read_entry, read_text, read_text_list
from bot.answers.smalltalk import parse_smalltalk
from bot.answers.yamlfile import knowledge_files, load_yaml

__all__ = ["Duty", "KnowledgeBase", "KnowledgeError", "Role", "Tip", "Topic", "load_knowledge"]

SLACK_SECTION_LIMIT = 3000
# Slack's mention markup: a user (<@U…>), a group or a broadcast (<!subteam^…>,
# <!channel>, <!here>). An answer is sent to whoever asks, however often: it names
# people, it never pings them.
_PING = re.compile(r"<(?:@[UWB]|!(?:channel|here|everyone|subteam\^))[^<>|\s]{0,40}")
KINDS = ("faq", "duty", "role", "term", "decline")
OWNERS = ("product", "project", "both")
TOPIC_FIELDS = {f.name for f in yaml_fields(Topic)}


def default_knowledge_dir() -> Path:
    """knowledge/ of a source checkout, else the copy shipped inside the wheel."""
    package = Path(__file__).resolve().parent.parent  # bot/
    checkout = package.parent / "knowledge"
    return checkout if checkout.is_dir() else package / "_knowledge"


def _read_topic_fields(problems: Problems, file: str, item: LineDict, what: str) -> dict[str, Any]:
    """Every field the Topic dataclass marks as written in YAML, read by its kind."""
    values: dict[str, Any] = {}
    for spec in yaml_fields(Topic)[1:]:  # the id is read with the entry
        if spec.metadata["yaml"] == "list":
            values[spec.name] = read_text_list(problems, file, item, spec.name, what)
        else:
            required = spec.metadata["required"]
            found = read_text(problems, file, item, spec.name, what, required=required)
            values[spec.name] = found or spec.metadata["missing"]
    return values


def _check_topic(
    problems: Problems, file: str, item: LineDict, topic_id: str, what: str, v: dict[str, Any]
) -> None:
    """The rules between a topic's fields."""
    kind, owner, answer = v["kind"], v["owner"], v["answer"]
    problem = id_problem("topic id", topic_id)
    if problem is not None:
        problems.add(file, item.lines["id"], problem)
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
    check_dates(problems, file, item, what, v)
    if "questions" in item and not v["questions"]:
        problems.add(file, item.lines["questions"], f"{what} has no questions")
    elif "questions" not in item:
        problems.add(file, item.line, f"{what} is missing 'questions'")
    ping = _PING.search(answer) if answer is not None else None
    if ping is not None:
        problems.add(
            file,
            item.lines["answer"],
            f"answer of {what} would ping people ({ping.group(0)}>); name them in words instead",
        )
    if answer is not None and len(answer) > SLACK_SECTION_LIMIT:
        problems.add(
            file,
            item.lines["answer"],
            f"answer of {what} is {len(answer):,} characters; "
            f"Slack allows {SLACK_SECTION_LIMIT:,} in one section",
        )


def _note_questions(
    problems: Problems,
    file: str,
    item: LineDict,
    topic_id: str,
    questions: tuple[str, ...],
    out: Parsed,
) -> None:
    question_list: LineList = item.get("questions") or LineList()
    for question, q_line in zip(questions, getattr(question_list, "lines", []), strict=False):
        claim_question(problems, out, file, q_line, topic_id, question)


def _parse_topic(problems: Problems, file: str, entry: Any, line: int, out: Parsed) -> None:
    shape = "id, title, answer, questions"
    read = read_entry(problems, file, entry, line, "topic", TOPIC_FIELDS, shape)
    if read is None:
        return
    item, topic_id, what = read
    values = _read_topic_fields(problems, file, item, what)
    if topic_id is None:
        return
    _check_topic(problems, file, item, topic_id, what, values)
    if values["about"] is not None:
        out.abouts.append((file, item.lines["about"], values["about"], what))
    if topic_id in out.topics:
        problems.add_clash(
            f"{file}:{item.lines['id']}",
            out.topics[topic_id].source,
            f"duplicate topic id '{topic_id}' (also defined at {{other}})",
        )
        return
    _note_questions(problems, file, item, topic_id, values["questions"], out)
    for ref in values["related"]:
        out.references.append((file, item.lines["related"], ref, f"related topic of {what}"))
    if values["counterpart"]:
        out.references.append(
            (file, item.lines["counterpart"], values["counterpart"], f"counterpart of {what}")
        )
    values["title"] = values["title"] or topic_id
    values["answer"] = values["answer"] or ""
    lines = tuple(getattr(item.get("questions"), "lines", ()))
    out.topics[topic_id] = Topic(
        id=topic_id, source=f"{file}:{item.lines['id']}", question_lines=lines, **values
    )


def _parse_topics(problems: Problems, file: str, section: Any, line: int, out: Parsed) -> None:
    if not isinstance(section, LineList):
        problems.add(file, line, "'topics' must be a list of topics")
        return
    for item, item_line in zip(section, section.lines, strict=True):
        _parse_topic(problems, file, item, item_line, out)


# Each top-level section and its parser, in the order `unknown section` lists them:
# a new section is one line here.
SECTION_PARSERS = {
    "topics": _parse_topics,
    "roles": parse_roles,
    "synonyms": parse_synonyms,
    "filler": parse_filler,
    "tips": parse_tips,
    "settings": parse_settings,
    "phrasings": parse_phrasings,
    "smalltalk": parse_smalltalk,
    "asks": parse_asks,
}
SECTIONS = tuple(SECTION_PARSERS)


def parse_file(problems: Problems, path: Path, name: str, out: Parsed) -> None:
    """Read one knowledge file into `out` (a curated topic is checked so too:
    bot/answers/curated.py)."""
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
        parse = SECTION_PARSERS.get(section)
        if parse is None:
            problems.add(
                name, line, f"unknown section '{section}' (expected: {', '.join(SECTIONS)})"
            )
        else:
            parse(problems, name, body, line, out)


def _check_references(problems: Problems, out: Parsed) -> None:
    # A topic can be about one of our roles or a neighbouring role that the
    # synonyms name with an @-marker ("@scrum-master"): the engine's role rules
    # only work for roles the normaliser can detect.
    markers = (c[1:] for c in out.synonyms if c.startswith("@") and c != "@pm")
    known_roles = {*OUR_ROLES, *markers}
    for file, line, about, what in out.abouts:
        if about not in known_roles:
            problems.add(
                file,
                line,
                f"'about' of {what} must be one of {', '.join(sorted(known_roles))} "
                "(a role of the role-duty corpus, or a role marker '@name' in synonyms)",
            )
    for file, line, ref, what in out.references:
        topic = out.topics.get(ref)
        if topic is None:
            problems.add(file, line, f"unknown topic '{ref}' in {what}")
        elif what.startswith("duty of") and topic.kind != "duty":
            problems.add(file, line, f"topic '{ref}' in {what} is not a duty topic")
        elif what == "settings" and ref in out.role_topic_lines and not topic.about:
            problems.add(file, line, f"role topic '{ref}' in settings has no 'about' (its role)")
        elif topic.declines:
            # A decline is never an answer: nothing may lead a person to it.
            problems.add(file, line, f"topic '{ref}' in {what} is a decline, not an answer")


def _check_contract(problems: Problems, contract: Path, topics: dict[str, Topic]) -> None:
    name = str(contract)
    try:
        data = load_yaml(contract, name)
    except KnowledgeError as exc:
        # Listed in file order with the rest: nothing in the knowledge base depends on it.
        problems.problems.extend(replace(p, unreadable=False) for p in exc.problems)
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
    edited: Path | None = None,
) -> KnowledgeBase:
    """Load every YAML file under `path`; raise KnowledgeError listing all problems.
    `edited`: one more file, read with them (in place of theirs of the same name)."""
    root = path or default_knowledge_dir()
    problems = Problems()
    out = Parsed()
    files = knowledge_files(root)
    if edited is not None:
        files = [f for f in files if f.name != edited.name] + [edited]
    if not files or not root.exists():
        problems.add(str(root), 1, "no knowledge files found (expected *.yaml)")
    for file in files:
        parse_file(problems, file, str(file), out)
    # A topic may be missing only because its file did not parse; checking
    # references then would bury the one real error under dozens of false ones.
    if not any(p.unreadable for p in problems.problems):
        derive_from_roles(out)  # before phrasings: a team may teach a derived topic too
        apply_phrasings(problems, out)
        _check_references(problems, out)
        check_topic_asks(problems, out)
        if contract is not None:
            _check_contract(problems, contract, out.topics)
    if not out.topics and not problems.problems:  # the role grid alone may give some
        problems.add(str(root), 1, "the knowledge base has no topics")
    if problems.problems:
        raise KnowledgeError(problems.problems)
    return KnowledgeBase(
        topics=out.topics,
        roles={role_id: entry[0] for role_id, entry in out.roles.items()},
        synonyms=out.synonyms,
        files=tuple(str(f) for f in files),
        tips=tuple(tip for tip, _ in out.tips.values()),
        filler=frozenset(out.filler),
        settings=out.settings,
        smalltalk=out.smalltalk,
        asks=out.asks,
    )
