"""Reading fields of YAML mappings, reporting every problem as `file:line`.

The readers never raise: they record a Problem and return nothing usable, so
one run of `pmbot validate` lists every mistake in a file, not just the first.
"""

from __future__ import annotations

import os
import re

from bot.answers.problems import LineDict, LineList, Problem

# A topic or role id: it travels in Slack buttons and option values (150 characters
# at most), becomes a marker `@id`, and is shown in messages.
ID_LIMIT = 64
_ID = re.compile(rf"[a-z0-9][a-z0-9-]{{0,{ID_LIMIT - 1}}}")


def id_problem(what: str, value: object) -> str | None:
    """Why `value` is no good as a topic or role id (`what`: "topic id"), or None."""
    if isinstance(value, str) and _ID.fullmatch(value):
        return None
    shown = value[:ID_LIMIT] + "…" if isinstance(value, str) and len(value) > ID_LIMIT else value
    return (
        f"{what} '{shown}' must be lower-case letters, digits and dashes, "
        f"at most {ID_LIMIT} characters"
    )


def phrase_key(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.casefold()))


class Problems:
    """Gathers problems so one run reports every mistake, not just the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, line: int, message: str) -> None:
        self.problems.append(Problem(file, line, message))

    def add_clash(self, here: str, there: str, message: str) -> None:
        """A clash between two places (`file:line` each): reported at the one in the
        file changed last, which is the one being edited, naming the other."""
        first, other = sorted((here, there), key=_changed_at, reverse=True)
        file, _, line = first.rpartition(":")
        self.add(file, int(line), message.replace("{other}", other))


def _changed_at(place: str) -> float:
    try:
        return os.stat(place.rpartition(":")[0]).st_mtime
    except OSError:
        return 0.0


def read_text(
    problems: Problems, file: str, item: LineDict, key: str, what: str, required: bool = True
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


def read_text_list(
    problems: Problems, file: str, item: LineDict, key: str, what: str
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


def check_fields(
    problems: Problems, file: str, item: LineDict, allowed: set[str], what: str
) -> None:
    for key in item:
        if key not in allowed:
            expected = ", ".join(sorted(allowed))
            problems.add(
                file, item.lines[key], f"unknown field '{key}' in {what} (expected: {expected})"
            )


def read_entry(
    problems: Problems, file: str, item: object, line: int, kind: str, allowed: set[str], shape: str
) -> tuple[LineDict, str | None, str] | None:
    """One entry of a list section (a topic, a tip): it must be a mapping; gives back
    the mapping, its id, and how messages should name it ("tip 'x'")."""
    if not isinstance(item, LineDict):
        problems.add(file, line, f"each {kind} must be a mapping with {shape}")
        return None
    entry_id = read_text(problems, file, item, "id", f"a {kind}")
    what = f"{kind} '{entry_id}'" if entry_id else f"a {kind}"
    check_fields(problems, file, item, allowed, what)
    return item, entry_id, what
