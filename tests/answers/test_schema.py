from __future__ import annotations

from pathlib import Path

from bot.answers.schema import (
    Problems,
    check_fields,
    phrase_key,
    read_entry,
    read_text,
    read_text_list,
)
from bot.answers.yamlfile import load_yaml


def mapping(tmp_path: Path, text: str):
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    return load_yaml(path)


def test_readers_report_problems_and_return_nothing_usable(tmp_path: Path) -> None:
    item = mapping(tmp_path, "a: ' x '\nb: 5\nc: [ok, '', 3]\nd: text\nz: 1\n")
    problems = Problems()
    assert read_text(problems, "f", item, "a", "thing") == "x"
    assert read_text(problems, "f", item, "b", "thing") is None
    assert read_text(problems, "f", item, "missing", "thing") is None
    assert read_text(problems, "f", item, "missing", "thing", required=False) is None
    assert read_text_list(problems, "f", item, "c", "thing") == ("ok",)
    assert read_text_list(problems, "f", item, "d", "thing") == ()
    check_fields(problems, "f", item, {"a", "b", "c", "d"}, "thing")
    assert [str(p) for p in problems.problems] == [
        "f:2: 'b' of thing must be non-empty text",
        "f:1: thing is missing 'missing'",
        "f:3: each of 'c' of thing must be non-empty text",
        "f:3: each of 'c' of thing must be non-empty text",
        "f:4: 'd' of thing must be a list",
        "f:5: unknown field 'z' in thing (expected: a, b, c, d)",
    ]


def test_phrase_key_ignores_case_and_punctuation() -> None:
    assert phrase_key("Who owns the Road-map?") == "who owns the road map"


def test_read_entry(tmp_path: Path) -> None:
    data = mapping(tmp_path, "- {id: t1, text: x, colour: red}\n- just text\n- {text: y}\n")
    problems = Problems()
    first = read_entry(problems, "f", data[0], 1, "tip", {"id", "text"}, "id and text")
    assert first is not None and first[1:] == ("t1", "tip 't1'")
    assert read_entry(problems, "f", data[1], 2, "tip", {"id", "text"}, "id and text") is None
    third = read_entry(problems, "f", data[2], 3, "tip", {"id", "text"}, "id and text")
    assert third is not None and third[1:] == (None, "a tip")
    assert [str(p) for p in problems.problems] == [
        "f:1: unknown field 'colour' in tip 't1' (expected: id, text)",
        "f:2: each tip must be a mapping with id and text",
        "f:3: a tip is missing 'id'",
    ]
