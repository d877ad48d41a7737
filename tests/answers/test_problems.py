"""What is wrong with a knowledge file (bot/answers/problems.py)."""

from __future__ import annotations

from bot.answers.problems import KnowledgeError, Problem, unreadable_file


def test_a_problem_reads_file_line_message() -> None:
    assert str(Problem("k.yaml", 3, "no answer")) == "k.yaml:3: no answer"


def test_a_file_that_does_not_parse_comes_first_then_file_and_line_order() -> None:
    found = [Problem("b.yaml", 2, "x"), Problem("a.yaml", 9, "y"), Problem("b.yaml", 1, "z")]
    error = KnowledgeError([*found, *unreadable_file("c.yaml", 5, "invalid YAML").problems])
    assert str(error).splitlines() == [
        "c.yaml:5: invalid YAML",
        "a.yaml:9: y",
        "b.yaml:1: z",
        "b.yaml:2: x",
    ]
