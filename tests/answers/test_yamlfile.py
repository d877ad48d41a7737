from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers.yamlfile import KnowledgeError, LineDict, LineList, load_yaml


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "k.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_mappings_and_lists_carry_their_lines(tmp_path: Path) -> None:
    data = load_yaml(
        write(tmp_path, "# c\ntopics:\n  - id: a\n    questions:\n      - x\n      - y\n")
    )
    assert isinstance(data, LineDict)
    assert data.lines["topics"] == 2
    topics = data["topics"]
    assert isinstance(topics, LineList)
    assert topics.lines == [3]
    assert topics[0].lines == {"id": 3, "questions": 4}
    assert topics[0]["questions"].lines == [5, 6]


def test_invalid_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "topics:\n  - id: a\n    title: [unclosed\n")
    with pytest.raises(KnowledgeError) as caught:
        load_yaml(path)
    assert (
        str(caught.value) == f"{path}:4: invalid YAML: expected ',' or ']', but got '<stream end>'"
    )


def test_duplicate_keys_are_an_error_not_silently_overwritten(tmp_path: Path) -> None:
    path = write(tmp_path, "a: 1\nb: 2\na: 3\n")
    with pytest.raises(KnowledgeError) as caught:
        load_yaml(path)
    assert str(caught.value) == f"{path}:3: duplicate key 'a' (first at line 1)"


def test_unsafe_tags_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "a: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(KnowledgeError) as caught:
        load_yaml(path)
    assert str(caught.value).startswith(
        f"{path}:1: invalid YAML: could not determine a constructor"
    )


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "k.yaml"
    path.write_bytes(b"a: \xff\n")
    with pytest.raises(KnowledgeError) as caught:
        load_yaml(path)
    assert str(caught.value) == f"{path}:1: not UTF-8 text (invalid start byte)"
