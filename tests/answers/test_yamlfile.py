"""Reading a knowledge file (bot/answers/yamlfile.py): its text, parsed, every problem
named by the file a person edited."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers.problems import KnowledgeError
from bot.answers.yamlfile import load_yaml


def test_a_file_is_read_and_parsed(tmp_path: Path) -> None:
    path = tmp_path / "k.yaml"
    path.write_text("topics:\n  - id: a\n", encoding="utf-8")
    data = load_yaml(path)
    assert data == {"topics": [{"id": "a"}]}
    assert data["topics"].lines == [2]


def test_problems_name_the_file_as_shown(tmp_path: Path) -> None:
    path = tmp_path / "k.yaml"
    path.write_text("a: 1\na: 2\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_yaml(path, "knowledge/k.yaml")
    assert str(caught.value) == "knowledge/k.yaml:2: duplicate key 'a' (first at line 1)"


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "k.yaml"
    path.write_bytes(b"a: \xff\n")
    with pytest.raises(KnowledgeError) as caught:
        load_yaml(path)
    assert str(caught.value) == f"{path}:1: not UTF-8 text (invalid start byte)"
