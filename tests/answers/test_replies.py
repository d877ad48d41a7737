"""The results that are not answers (bot/answers/replies.py), as values."""

from __future__ import annotations

from bot.answers.messages import HELP_TEXT, NOT_SURE
from bot.answers.model import Smalltalk, Topic
from bot.answers.replies import clarify_result, decline_result, smalltalk_result

TOOLS = Topic(
    id="decline-tools",
    title="Tools",
    kind="decline",
    answer="Not tools. ",
    questions=(),
    related=("a",),
)
A = Topic(id="a", title="Alpha", kind="faq", answer="x", questions=())
B = Topic(id="b", title="Beta", kind="faq", answer="y", questions=())


def test_smalltalk_greets_with_the_help_and_thanks_briefly() -> None:
    talk = Smalltalk(greeting_reply="Hi!", thanks_reply="You're welcome!")
    assert smalltalk_result(talk, "hey", "greeting").text == f"Hi!\n{HELP_TEXT}"
    thanks = smalltalk_result(talk, "thanks", "thanks")
    assert (thanks.status, thanks.text, thanks.confidence) == ("smalltalk", "You're welcome!", 1.0)


def test_clarify_names_the_close_topics() -> None:
    result = clarify_result("q", [A, B], 0.6)
    assert (result.status, result.topic, result.alternatives) == ("clarify", None, ("a", "b"))
    assert result.text == "I'm not sure which you mean: *Alpha* or *Beta*?"


def test_a_declined_subject_says_its_own_words_and_offers_its_related_topics() -> None:
    result = decline_result("q", 0.7, ["who owns the roadmap"], subject=TOOLS)
    assert (result.text, result.alternatives, result.declined) == (
        "Not tools.",
        ("a",),
        "decline-tools",
    )


def test_the_closest_topics_are_offered_when_unsure() -> None:
    result = decline_result("q", 0.4, ["x"], offer=("a",))
    assert (result.status, result.text, result.alternatives) == ("decline", NOT_SURE, ("a",))


def test_nothing_close_says_i_dont_know_with_examples() -> None:
    result = decline_result("q", 0.0, ["who owns the roadmap"])
    assert result.text.startswith("I don't know that one.")
    assert result.text.endswith("• who owns the roadmap")
    assert (result.alternatives, result.suggestions) == ((), ("who owns the roadmap",))
