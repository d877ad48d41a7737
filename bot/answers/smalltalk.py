"""Greetings and thanks: "hey" and "thanks!" deserve a friendly word, not "I don't
know that one". Which words count, and the replies, are knowledge (the
`smalltalk` section, knowledge/smalltalk.yaml), so Slack, the shell and
`pmbot ask --json` all answer them the same way, through Engine.answer."""

from __future__ import annotations

import re
from typing import Any, Literal

from bot.answers.knowledge_sections import Parsed
from bot.answers.model import Smalltalk
from bot.answers.problems import LineDict
from bot.answers.schema import Problems, check_fields, phrase_key, read_text, read_text_list

Kind = Literal["greeting", "thanks"]
KINDS = {"greeting": "greetings", "thanks": "thanks"}
ENTRY_FIELDS = {"phrases", "reply"}
_NOISE = re.compile(r"<[^<>]*>|:[a-z0-9_+'-]+:")  # mentions, links, :emoji:
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def parse_smalltalk(problems: Problems, file: str, section: Any, line: int, out: Parsed) -> None:
    if not isinstance(section, LineDict):
        problems.add(file, line, "'smalltalk' must be a mapping with greeting, thanks and also")
        return
    check_fields(problems, file, section, {*KINDS, "also"}, "smalltalk")
    found: dict[str, Any] = {}
    for kind in KINDS:
        entry = section.get(kind)
        if entry is None:
            continue
        what = f"smalltalk '{kind}'"
        if not isinstance(entry, LineDict):
            problems.add(file, section.lines[kind], f"{what} must be a mapping (phrases, reply)")
            continue
        check_fields(problems, file, entry, ENTRY_FIELDS, what)
        phrases = read_text_list(problems, file, entry, "phrases", what)
        if not phrases:
            problems.add(file, entry.line, f"{what} needs a 'phrases' list")
        found[KINDS[kind]] = tuple(phrase_key(p) for p in phrases)
        found[f"{kind}_reply"] = read_text(problems, file, entry, "reply", what) or ""
    found["also"] = tuple(
        phrase_key(w) for w in read_text_list(problems, file, section, "also", "smalltalk")
    )
    out.smalltalk = Smalltalk(**found)


def _strip(words: str, phrases: tuple[str, ...]) -> tuple[str, int]:
    """`words` without `phrases` (longest first, whole words), and how many went."""
    rest, hits = f" {words} ", 0
    for phrase in sorted(phrases, key=len, reverse=True):
        while f" {phrase} " in rest:
            rest = rest.replace(f" {phrase} ", " ", 1)
            hits += 1
    return rest.strip(), hits


def smalltalk_kind(talk: Smalltalk, text: str) -> Kind | None:
    """ "thanks!", "hey there 👋", "Hi @pmbot": the kind of pleasantry, else None.
    Any other word makes it a question ("hi, who owns the roadmap?")."""
    words = " ".join(_WORD.findall(_NOISE.sub(" ", text.lower())))
    rest, thanked = _strip(words, talk.thanks)
    rest, greeted = _strip(rest, talk.greetings)
    if not (thanked or greeted) or any(w not in talk.also for w in rest.split()):
        return None
    return "thanks" if thanked else "greeting"  # "hi, thanks!" is thanks
