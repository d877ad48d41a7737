"""What is wrong with a knowledge file, and the values that remember their line.

Every error a person sees names `file:line`: mappings and lists read from YAML come
back as LineDict and LineList, carrying the line they started on (and, for lists,
each item's line), and every problem found becomes one Problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a knowledge file, in words a person can act on."""

    file: str
    line: int
    message: str
    # A file that does not parse is reported before everything else: the other
    # problems may only be its consequences.
    unreadable: bool = field(default=False, compare=False)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class KnowledgeError(Exception):
    """Raised when knowledge files cannot be used; holds every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        order = lambda p: (not p.unreadable, p.file, p.line, p.message)  # noqa: E731
        self.problems = sorted(problems, key=order)
        super().__init__("\n".join(str(p) for p in self.problems))


class LineDict(dict[str, Any]):
    line: int = 0
    lines: dict[str, int]


class LineList(list[Any]):
    line: int = 0
    lines: list[int]


def unreadable_file(name: str, line: int, message: str) -> KnowledgeError:
    return KnowledgeError([Problem(name, line, message, unreadable=True)])
