"""What a question asks, read apart from what it is about (knowledge/asks.yaml).

"What is a scrum master", "how do I become a scrum master" and "is being a scrum
master stressful" share their subject and every matching word but one; answering
the first for the other two is a wrong answer, not a near miss. So the engine
reads the ask from its cues first, and the knowledge says which topic answers
which ask (a topic's `ask:`, with its `about:` for one role only): a grid of
subjects by asks. An ask no topic answers is declined by name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from string import Formatter
from typing import Any

from bot.answers.knowledge_sections import Parsed
from bot.answers.model import Ask
from bot.answers.problems import LineDict
from bot.answers.schema import Problems, check_fields, read_text, read_text_list
from bot.answers.text import MAX_CHARS, words

ASK_FIELDS = {"label", "cues", "decline", "fallback", "subject_word"}
ASKER = "asker"  # the entry of asks.yaml that says who is asking, not what
ROLE = "ROLE"  # in a cue: any role the synonyms name; upper case, so no word is taken for it


def parse_asks(problems: Problems, file: str, section: Any, line: int, out: Parsed) -> None:
    if not isinstance(section, LineDict):
        problems.add(file, line, "'asks' must map an ask id to its label and cues")
        return
    found = {ask.id: ask for ask in out.asks}
    for ask_id, entry in section.items():
        what, at = f"ask '{ask_id}'", section.lines[ask_id]
        if not isinstance(entry, LineDict):
            problems.add(file, at, f"{what} must be a mapping (label, cues)")
            continue
        if str(ask_id) in out.ask_lines:
            first = out.ask_lines[str(ask_id)]
            problems.add(file, at, f"{what} is defined twice (first at {first})")
            continue
        out.ask_lines[str(ask_id)] = f"{file}:{at}"
        ask = _read_ask(problems, file, str(ask_id), entry, out)
        if ask is not None:
            found[ask.id] = ask
    out.asks = tuple(found.values())


def _read_ask(
    problems: Problems, file: str, ask_id: str, entry: LineDict, out: Parsed
) -> Ask | None:
    what = f"ask '{ask_id}'"
    check_fields(problems, file, entry, ASK_FIELDS, what)
    label = read_text(problems, file, entry, "label", what)
    decline = read_text(problems, file, entry, "decline", what, required=False) or ""
    if any(name not in (None, "role") for _, name, _, _ in Formatter().parse(decline)):
        problems.add(file, entry.lines["decline"], f"'decline' of {what} may only use {{role}}")
    fallback = read_text_list(problems, file, entry, "fallback", what)
    out.ask_fallbacks += [(file, entry.lines["fallback"], ask_id, f) for f in fallback]
    subject_word = entry.get("subject_word", False)
    if not isinstance(subject_word, bool):
        problems.add(
            file, entry.lines["subject_word"], f"'subject_word' of {what} must be true or false"
        )
        subject_word = False
    cues = read_text_list(problems, file, entry, "cues", what)
    if not cues:
        problems.add(file, entry.line, f"{what} needs a 'cues' list")
    cue_forms = tuple(_cue_form(c) for c in cues)
    ends = (c for c in cue_forms if c.count(ROLE) == 1)
    if ask_id == ASKER and sum(c.startswith(ROLE) or c.endswith(ROLE) for c in ends) < len(cues):
        problems.add(file, entry.lines["cues"], f"each cue of {what} starts or ends with {ROLE}")
    if not (label and cues):
        return None
    return Ask(ask_id, label, cue_forms, decline, fallback, subject_word)


def check_topic_asks(problems: Problems, out: Parsed) -> None:
    """Every topic's `ask:`, and every ask's `fallback`, names an ask."""
    known = sorted(ask.id for ask in out.asks if ask.id != ASKER)
    for file, line, ask_id, name in out.ask_fallbacks:
        if name not in known:
            problems.add(file, line, f"fallback '{name}' of ask '{ask_id}' is not an ask")
    for topic in out.topics.values():
        if topic.ask is not None and topic.ask not in known:
            file, _, at = topic.source.rpartition(":")
            expected = ", ".join(known) or "no asks are defined"
            problems.add(
                file,
                int(at),
                f"ask '{topic.ask}' of topic '{topic.id}' is not an ask (expected: {expected})",
            )


def _cue_form(cue: str) -> str:
    """A cue as it is compared: its words as `words()` reads a question, ROLE kept
    (split out before lower-casing, so the word "role" in "dual role" stays a word)."""
    parts = [" ".join(words(part)) for part in cue.split(ROLE)]
    return f" {ROLE} ".join(parts).strip()


class AskReader:
    """Reads the ask of a question. Built once per knowledge base; pure."""

    def __init__(self, asks: Iterable[Ask], role_phrases: Iterable[str]) -> None:
        every = tuple(asks)
        # `asker` is no ask: its cues say who is asking ("eng manager here", "as a
        # PO"), so the role named there is context, not the subject.
        self.asks = tuple(ask for ask in every if ask.id != ASKER)
        phrases = sorted({" ".join(words(p)) for p in role_phrases}, key=len)
        # Longest first, whole words: "product owner" before "product".
        self._roles = _alternation(reversed(phrases))
        self._cues = [(ask, _alternation(ask.cues)) for ask in self.asks]
        # The cues that name a role ("become a ROLE"): the role they name is the one
        # the ask is about, wherever else the question names another.
        self._role_cues = {
            ask.id: _alternation(c for c in ask.cues if ROLE in c.split()) for ask in self.asks
        }
        asker = [cue for ask in every if ask.id == ASKER for cue in ask.cues]
        self._asker = _asker_patterns(asker, reversed(phrases))

    def read(self, text: str) -> Ask | None:
        """The first ask (in file order) one of whose cues the question says."""
        plain = " ".join(words(text[:MAX_CHARS]))
        if self._roles is not None:
            plain = self._roles.sub(ROLE, plain)
        return next((ask for ask, cues in self._cues if cues and cues.search(plain)), None)

    def cued_role(self, text: str, ask: Ask) -> str | None:
        """The role phrase a cue of `ask` names ("how does a PdM become *a PjM*"), as
        written; the last one when a cue names two. None when no such cue matched."""
        pattern = self._role_cues.get(ask.id)
        if pattern is None or self._roles is None:
            return None
        plain = " ".join(words(text[:MAX_CHARS]))
        said = [m.group(0) for m in self._roles.finditer(plain)]
        replaced = self._roles.sub(ROLE, plain)
        found = pattern.search(replaced)
        if found is None:
            return None
        before = replaced[: found.end()].split().count(ROLE)  # the cue's last ROLE is the nth
        return said[before - 1] if 0 < before <= len(said) else None

    def asker_roles(self, text: str) -> list[str]:
        """The role phrases a question names only to say who is asking: not one
        it names again ("I'm a PO. how do I become a PO?" is about the PO)."""
        plain = " ".join(words(text[:MAX_CHARS]))
        asker = Counter(m.group("role") for p in self._asker for m in p.finditer(plain))
        said = Counter(m.group(0) for m in self._roles.finditer(plain)) if self._roles else {}
        return [role for role, count in asker.items() if said.get(role, 0) <= count]


def _alternation(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for many phrases, each matched as whole words. Literal
    alternatives over a bounded text (MAX_CHARS): linear in the text."""
    escaped = [re.escape(p) for p in phrases if p]
    if not escaped:
        return None
    return re.compile(rf"(?<![a-z0-9])(?:{'|'.join(escaped)})(?![a-z0-9])")


def _asker_patterns(cues: list[str], roles: Iterable[str]) -> list[re.Pattern[str]]:
    """The asker's cues as two patterns, the role captured: cues that end in ROLE
    ("as a ROLE", "i am a ROLE") and cues that start with it ("ROLE here")."""
    role = "|".join(re.escape(r) for r in roles if r)
    before = [re.escape(c[: -len(ROLE)].strip()) for c in cues if c.endswith(ROLE)]
    after = [re.escape(c[len(ROLE) :].strip()) for c in cues if c.startswith(ROLE)]
    patterns = []
    if role and before:
        patterns.append(rf"(?<![a-z0-9])(?:{'|'.join(before)}) (?P<role>{role})(?![a-z0-9])")
    if role and after:
        patterns.append(rf"(?<![a-z0-9])(?P<role>{role}) (?:{'|'.join(after)})(?![a-z0-9])")
    return [re.compile(p) for p in patterns]
