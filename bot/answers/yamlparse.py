"""YAML text to LineDict/LineList, on `yaml.SafeLoader` underneath: no arbitrary
objects. A mapping key is plain text (never a list, a mapping or an alias, which
`str()` would expand), and an anchor is used at most MAX_ALIAS_USES times per file
(nine nested levels of aliases expand a 2 KB file a billionfold).

Its own module because PyYAML takes a while to import: a `pmbot ask` answered from
the engine cache never parses YAML, so it never imports it.
"""

from __future__ import annotations

from typing import Any

import yaml

from bot.answers.problems import KnowledgeError, LineDict, LineList, Problem, unreadable_file

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


def parse_yaml(text: str, name: str) -> Any:
    """Parse one file's text; raise KnowledgeError naming the line on any problem."""
    try:
        try:
            data, duplicates = _parse(text, name, _FAST_LOADER)
        except yaml.YAMLError:
            data, duplicates = _parse(text, name, _PURE_LOADER)
    except RecursionError:  # thousands of nested `[`: a clean error, not a crash
        line = _deepest_line(text)
        raise unreadable_file(name, line, "invalid YAML: nested too deeply") from None
    except yaml.reader.ReaderError as exc:
        # It carries a character position, not a line: count the lines up to it.
        line = text.count("\n", 0, max(0, exc.position)) + 1
        what = f"#x{exc.character:04x}" if isinstance(exc.character, int) else "a byte"
        raise unreadable_file(
            name, line, f"invalid YAML: character {what} is not allowed (a NUL or control byte)"
        ) from exc
    except yaml.MarkedYAMLError as exc:
        raise unreadable_file(name, *_where_and_why(exc)) from exc
    except yaml.YAMLError as exc:
        raise unreadable_file(name, 1, f"invalid YAML: {str(exc).splitlines()[0]}") from exc
    if duplicates:
        raise KnowledgeError(duplicates)
    return data
