"""`pmbot validate`'s lint: knowledge that loads fine but does not answer as written.

- every phrasing (a topic's `questions`) must be answered by its own topic;
- a decline's phrasings must decline;
- a phrasing that already declines (a topic can never be reached that way);
- two phrasings of different topics that the engine reads the same (after typos,
  synonyms, stemming and stop words): whichever is asked, one of them loses;
- taught phrasings (`taught`: topic id -> phrasings, from the store) are checked the
  same way, with the rest of the knowledge, so a taught phrasing that makes a shipped
  phrasing route elsewhere shows up on that shipped phrasing too;
- the role grid's gaps: a duty topic no role lists, a role with no duties.

The engine is the judge: lint builds one over the knowledge (and the taught
phrasings) and asks it every phrasing, so what lint says is what users would get.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from bot.answers.engine import THRESHOLD, Engine
from bot.answers.freshness import figures_without_as_of, stale_topics
from bot.answers.live import TaughtEngine
from bot.answers.model import KnowledgeBase, Topic
from bot.answers.result import Result
from bot.answers.schema import phrase_key

TAUGHT = "taught"  # where a taught phrasing comes from (it has no file)


@dataclass(frozen=True)
class LintWarning:
    file: str | None
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: " if self.file and self.line else ""
        return f"{where}warning: {self.message}"


@dataclass(frozen=True)
class Phrasing:
    topic: Topic
    text: str
    file: str | None
    line: int | None

    def name(self) -> str:
        taught = "taught " if self.file == TAUGHT else ""
        return f"{taught}phrasing '{self.text}' of topic '{self.topic.id}'"


def phrasings(kb: KnowledgeBase, taught: Mapping[str, Sequence[str]]) -> Iterator[Phrasing]:
    for topic in kb.topics.values():
        file, _, _ = topic.source.rpartition(":")
        for i, text in enumerate(topic.questions):
            line = topic.question_lines[i] if i < len(topic.question_lines) else None
            yield Phrasing(topic, text, file or None, line)
        known = {phrase_key(q) for q in topic.questions}
        for text in taught.get(topic.id, ()):
            if phrase_key(text) not in known:
                known.add(phrase_key(text))
                yield Phrasing(topic, text, TAUGHT, None)


def _routing(engine: Engine, p: Phrasing, result: Result) -> str | None:
    """What is wrong with where `p` goes, or None."""
    if p.topic.declines:
        if result.status == "answer":
            return f"{p.name()} is answered by topic '{result.topic}' (a decline must decline)"
        return None
    if result.status == "answer" and result.topic == p.topic.id:
        return None
    if result.status == "decline":
        why = f" (decline '{result.declined}')" if result.declined else ""
        return f"{p.name()} already declines{why}: nobody reaches the topic this way"
    if result.status == "clarify":
        others = ", ".join(f"'{t}'" for t in result.alternatives if t != p.topic.id)
        return f"{p.name()} gets a clarifying question (topics {others} fit as well)"
    return f"{p.name()} is answered by topic '{result.topic}'"


def lint(kb: KnowledgeBase, taught: Mapping[str, Sequence[str]] = {}) -> list[LintWarning]:
    """Every warning, in file order (taught phrasings last). A shipped phrasing that
    goes wrong only because of what was taught says so."""
    found = _lint(kb, taught)
    if not taught:
        return found
    before = {(w.file, w.line, w.message) for w in _lint(kb, {})}
    return [
        replace(w, message=f"{w.message} (since the taught phrasings)")
        if w.file != TAUGHT and w.file is not None and (w.file, w.line, w.message) not in before
        else w
        for w in found
    ]


def _lint(kb: KnowledgeBase, taught: Mapping[str, Sequence[str]]) -> list[LintWarning]:
    warnings: list[LintWarning] = [
        LintWarning(None, None, f"taught phrasing '{text}' names unknown topic '{topic_id}'")
        for topic_id, texts in taught.items()
        if topic_id not in kb.topics
        for text in texts
    ]
    # The engine `pmbot serve` builds: a question asked exactly as taught gets its topic.
    engine = TaughtEngine(kb, taught, THRESHOLD)
    seen: dict[tuple[object, ...], Phrasing] = {}
    for p in phrasings(kb, taught):
        problem = _routing(engine, p, engine.answer(p.text))
        if problem:
            warnings.append(LintWarning(p.file, p.line, problem))
        read = engine.normaliser.normalise(p.text)
        key = (frozenset(read.tokens), read.roles, read.ambiguous_pm, read.neighbours)
        first = seen.setdefault(key, p)
        if first.topic.id != p.topic.id and read.tokens:
            warnings.append(
                LintWarning(
                    p.file,
                    p.line,
                    f"{p.name()} reads the same to the engine as {first.name()}"
                    + (f" ({first.file}:{first.line})" if first.line else "")
                    + ": it cannot tell them apart",
                )
            )
    ordered = [w for w in warnings if w.file not in (None, TAUGHT)]
    return [*ordered, *(w for w in warnings if w.file in (None, TAUGHT))]


def _at(source: str) -> tuple[str | None, int | None]:
    file, _, line = source.rpartition(":")
    return (file, int(line)) if file and line.isdigit() else (None, None)


def grid_warnings(kb: KnowledgeBase) -> list[LintWarning]:
    """The role grid's gaps: a duty topic no role lists (who owns it, then?), and a
    role with no duties (nothing to compare, nothing to answer "who does X?" with)."""
    listed = {duty.topic for role in kb.roles.values() for duty in role.duties}
    warnings = [
        LintWarning(
            *_at(topic.source), f"duty topic '{topic.id}' has no owner: no role's duties list it"
        )
        for topic in kb.topics.values()
        if topic.kind == "duty" and topic.id not in listed
    ]
    warnings += [
        LintWarning(*_at(role.source), f"role '{role.id}' has no duties")
        for role in kb.roles.values()
        if not role.duties
    ]
    return warnings


def knowledge_warnings(
    kb: KnowledgeBase, today: date, taught: Mapping[str, Sequence[str]] = {}
) -> list[LintWarning]:
    """What `pmbot validate` warns about: lint, then stale topics and undated figures."""
    warnings = lint(kb, taught)
    for stale in stale_topics(kb, today):
        warnings.append(LintWarning(*_at(stale.topic.source), stale.describe(today)))
    for topic in figures_without_as_of(kb):
        message = f"topic '{topic.id}' states figures but has no 'as_of' date"
        warnings.append(LintWarning(*_at(topic.source), message))
    return [*warnings, *grid_warnings(kb)]
