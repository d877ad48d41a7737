"""Safe YAML loading that remembers where each value came from.

Every error a person sees must name `file:line`, so mappings and lists come back
as `Node` subclasses carrying the line they started on (and, for lists, each
item's line). Loading is `yaml.SafeLoader` underneath: no arbitrary objects.

A knowledge folder is writable by whoever edits it, and a running server reloads
it, so a file cannot be made a weapon: only a regular file is read, at most
MAX_FILE_BYTES of it; a mapping key is plain text (never a list, a mapping or an
alias, which `str()` would expand); and an anchor is used at most MAX_ALIAS_USES
times per file (nine nested levels of aliases expand a 2 KB file a billionfold).
"""

from __future__ import annotations

import errno
import logging
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


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


log = logging.getLogger("pmbot.knowledge")
MAX_FILE_BYTES = 1_000_000
MAX_ALIAS_USES = 50


class _LineTracking:
    """Builds LineDict/LineList; mixed into a PyYAML safe loader."""

    file: str
    duplicate_keys: list[Problem]  # and other problems found while constructing
    source_lines: list[str]
    alias_uses: int
    constructed_objects: dict[yaml.Node, Any]

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects:  # built before: this is an alias to it
            self.alias_uses += 1
            if self.alias_uses > MAX_ALIAS_USES:
                raise yaml.constructor.ConstructorError(
                    None, None, f"more than {MAX_ALIAS_USES} aliases", node.start_mark
                )
        return super().construct_object(node, deep)  # type: ignore[misc]

    def construct_scalar(self, node: yaml.ScalarNode) -> Any:
        """A plain scalar over several lines whose continuation starts with `- `
        is almost always a list item indented too far: YAML silently joins it to
        the item above ("who owns X - who owns Y"). Report it instead."""
        first, last = node.start_mark.line, node.end_mark.line
        if not node.style and last > first:  # plain style: None, or "" from libyaml
            for number in range(first + 1, min(last, len(self.source_lines) - 1) + 1):
                if self.source_lines[number].lstrip().startswith("- "):
                    self.duplicate_keys.append(
                        Problem(
                            self.file,
                            number + 1,
                            "this '- ' item is indented deeper than the item above, so YAML "
                            "joined it to that item; indent it like the line above",
                        )
                    )
                    break
        return super().construct_scalar(node)  # type: ignore[misc]

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.lines = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode) or key_node in self.constructed_objects:
                # An alias's node is the anchor's: its value says where the key was used.
                where = value_node.start_mark.line + 1
                self.duplicate_keys.append(
                    Problem(self.file, where, "a key must be plain text, not a list or an alias")
                )
                continue
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                self.duplicate_keys.append(
                    Problem(
                        self.file,
                        line,
                        f"duplicate key '{key}' (first at line {result.lines[key]})",
                    )
                )
                continue
            result[key] = self.construct_object(value_node, deep=True)
            result.lines[key] = line
        return result

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.lines = [child.start_mark.line + 1 for child in node.value]
        return result


def _loader_class(base: type[yaml.SafeLoader]) -> type[yaml.SafeLoader]:
    class Loader(_LineTracking, base):  # type: ignore[misc, valid-type]
        def __init__(self, stream: str, file: str) -> None:
            base.__init__(self, stream)
            self.file = file
            self.duplicate_keys = []
            self.source_lines = stream.splitlines()
            self.alias_uses = 0

    Loader.add_constructor("tag:yaml.org,2002:map", Loader.construct_mapping)
    Loader.add_constructor("tag:yaml.org,2002:seq", Loader.construct_sequence)
    # A date stays the text it was written as (`reviewed: 2026-01-31`): the knowledge
    # checks it, with a line number, instead of PyYAML failing on 2026-02-30.
    Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)
    return Loader


_PURE_LOADER = _loader_class(yaml.SafeLoader)
# libyaml parses several times faster (it matters for a cold `pmbot ask`), but
# words its errors differently; broken files are re-read by the pure loader so
# a person always sees the same message.
_FAST_LOADER = _loader_class(getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _parse(text: str, name: str, loader_class: type[yaml.SafeLoader]) -> tuple[Any, list[Problem]]:
    loader = loader_class(text, name)  # type: ignore[call-arg]
    try:
        return loader.get_single_data(), loader.duplicate_keys  # type: ignore[attr-defined]
    finally:
        loader.dispose()


def _deepest_line(text: str) -> int:
    """The line where `[`/`{` nesting is deepest (what made the parser recurse)."""
    depth = deepest = 0
    line = best = 1
    for char in text:
        if char in "[{":
            depth += 1
            if depth > deepest:
                deepest, best = depth, line
        elif char in "]}":
            depth = max(0, depth - 1)
        elif char == "\n":
            line += 1
    return best


def _where_and_why(exc: yaml.MarkedYAMLError) -> tuple[int, str]:
    """The line to look at, and PyYAML's own words. A quote or bracket left open is
    noticed only at the end of the file: the line it was opened on is what to fix."""
    problem = exc.problem or exc.context or "not YAML"
    opened = exc.context_mark
    if opened is not None and exc.context and exc.context.startswith("while scanning"):
        found = f" at line {exc.problem_mark.line + 1}" if exc.problem_mark else ""
        return opened.line + 1, f"invalid YAML: {exc.context} that starts here, {problem}{found}"
    mark = exc.problem_mark or opened
    return (mark.line + 1 if mark else 1), f"invalid YAML: {problem}"


def _unreadable(name: str, line: int, message: str) -> KnowledgeError:
    return KnowledgeError([Problem(name, line, message, unreadable=True)])


def read_text(path: Path, name: str) -> str:
    """A regular file's text, at most MAX_FILE_BYTES: a FIFO is not waited on (opened
    without blocking), and `/dev/zero` is not read to the end."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise _unreadable(name, 1, f"cannot read file: {exc.strerror}") from exc
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _unreadable(name, 1, "not a regular file (a pipe, a device or a folder)")
        data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _unreadable(name, 1, f"larger than {MAX_FILE_BYTES:,} bytes: split it")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _unreadable(name, 1, f"not UTF-8 text ({exc.reason})") from exc


def load_yaml(path: Path, display_name: str | None = None) -> Any:
    """Parse one YAML file; raise KnowledgeError naming the line on any problem."""
    name = display_name or str(path)
    text = read_text(path, name)
    try:
        try:
            data, duplicates = _parse(text, name, _FAST_LOADER)
        except yaml.YAMLError:
            data, duplicates = _parse(text, name, _PURE_LOADER)
    except RecursionError:  # thousands of nested `[`: a clean error, not a crash
        line = _deepest_line(text)
        raise _unreadable(name, line, "invalid YAML: nested too deeply") from None
    except yaml.reader.ReaderError as exc:
        # It carries a character position, not a line: count the lines up to it.
        line = text.count("\n", 0, max(0, exc.position)) + 1
        what = f"#x{exc.character:04x}" if isinstance(exc.character, int) else "a byte"
        raise _unreadable(
            name, line, f"invalid YAML: character {what} is not allowed (a NUL or control byte)"
        ) from exc
    except yaml.MarkedYAMLError as exc:
        raise _unreadable(name, *_where_and_why(exc)) from exc
    except yaml.YAMLError as exc:
        raise _unreadable(name, 1, f"invalid YAML: {str(exc).splitlines()[0]}") from exc
    if duplicates:
        raise KnowledgeError(duplicates)
    return data


def knowledge_files(path: Path) -> list[Path]:
    """The YAML files of a knowledge folder (or the one file named). Whatever else
    is named *.yaml there (a FIFO, a device, a symlink loop or one to nothing) is
    skipped, with one warning each: it cannot stall a load or a reload."""
    if not path.is_dir():
        return [path]
    found = []
    for entry in sorted(path.iterdir()):
        if entry.suffix not in (".yaml", ".yml"):
            continue
        why = _not_a_file(entry)
        if why is None:
            found.append(entry)
        elif (entry, why) not in _WARNED:
            _WARNED.add((entry, why))
            log.warning("%s: skipped: %s", entry, why)
    return found


_WARNED: set[tuple[Path, str]] = set()


def _not_a_file(entry: Path) -> str | None:
    try:
        mode = entry.stat().st_mode  # follows symlinks, as reading would
    except OSError as error:
        return "a symlink loop" if error.errno == errno.ELOOP else f"unreadable ({error.strerror})"
    return None if stat.S_ISREG(mode) else "not a regular file (a pipe, a device or a folder)"
