from __future__ import annotations

from pathlib import Path

from bot.schema import Problems, check_fields, phrase_key, read_text, read_text_list
from bot.yamlfile import load_yaml


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
