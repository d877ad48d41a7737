"""YAML text to values that remember their lines (bot/answers/yamlparse.py)."""

from __future__ import annotations

import pytest

from bot.answers.problems import KnowledgeError, LineDict, LineList
from bot.answers.yamlparse import parse_yaml


def test_mappings_and_lists_carry_their_lines() -> None:
    data = parse_yaml("# c\ntopics:\n  - id: a\n    questions:\n      - x\n      - y\n", "k.yaml")
    assert isinstance(data, LineDict)
    assert data.lines["topics"] == 2
    topics = data["topics"]
    assert isinstance(topics, LineList)
    assert topics.lines == [3]
    assert topics[0].lines == {"id": 3, "questions": 4}
    assert topics[0]["questions"].lines == [5, 6]


def test_invalid_yaml_names_file_and_line() -> None:
    with pytest.raises(KnowledgeError) as caught:
        parse_yaml("topics:\n  - id: a\n    title: [unclosed\n", "k.yaml")
    assert (
        str(caught.value) == "k.yaml:4: invalid YAML: expected ',' or ']', but got '<stream end>'"
    )


def test_duplicate_keys_are_an_error_not_silently_overwritten() -> None:
    with pytest.raises(KnowledgeError) as caught:
        parse_yaml("a: 1\nb: 2\na: 3\n", "k.yaml")
    assert str(caught.value) == "k.yaml:3: duplicate key 'a' (first at line 1)"


def test_unsafe_tags_are_refused() -> None:
    with pytest.raises(KnowledgeError) as caught:
        parse_yaml("a: !!python/object/apply:os.system ['true']\n", "k.yaml")
    assert str(caught.value).startswith("k.yaml:1: invalid YAML: could not determine a constructor")
