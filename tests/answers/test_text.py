from __future__ import annotations

import pytest

from bot.answers.text import Normaliser, clauses, stem, strip_slack_markup, words


@pytest.fixture(scope="module")
def normaliser(engine) -> Normaliser:
    return engine.normaliser


def test_slack_markup_is_removed_but_link_labels_kept() -> None:
    text = "<@U012AB3CD> see <#C123ABC|general> and <https://x.io/a|the roadmap> <!here> :tada:"
    assert words(strip_slack_markup(text)) == ["see", "and", "the", "roadmap"]


def test_unlabelled_links_and_escaped_entities() -> None:
    assert words(strip_slack_markup("read <https://example.com> &amp; go")) == ["read", "go"]


def test_words_fold_case_accents_apostrophes_and_punctuation() -> None:
    assert words("What’s the PdM's Rôle?!  go-to-market") == [
        "what",
        "the",
        "pdm",
        "role",
        "go",
        "to",
        "market",
    ]


def test_words_are_bounded() -> None:
    assert len(words("word " * 10_000)) == 48


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("manage", "managing"),
        ("managed", "manages"),
        ("release", "releases"),
        ("planned", "plan"),
        ("salary", "salaries"),
        ("feature", "features"),
    ],
)
def test_stem_makes_word_forms_meet(a: str, b: str) -> None:
    assert stem(a) == stem(b)


def test_stem_keeps_product_and_project_apart() -> None:
    assert stem("products") != stem("projects")


@pytest.mark.parametrize(
    ("text", "roles", "ambiguous"),
    [
        ("what does a PdM do", {"product"}, False),
        ("what does a pjm do", {"project"}, False),
        ("prod mgr vs proj mgr", {"product", "project"}, False),
        ("what does a PM do", set(), True),
        ("is PM short for product manager?", {"product"}, False),
        ("who owns the roadmap", set(), False),
    ],
)
def test_roles_are_detected(normaliser, text: str, roles: set[str], ambiguous: bool) -> None:
    result = normaliser.normalise(text)
    assert set(result.roles) == roles
    assert result.ambiguous_pm is ambiguous


def test_synonym_phrases_become_one_token(normaliser) -> None:
    assert normaliser.normalise("who is in charge of the GTM").tokens == (
        "who",
        "own",
        "go_to_market",
    )


def test_abbreviations_expand(normaliser) -> None:
    assert normaliser.normalise("product mgmt").roles == frozenset({"product"})
    assert "@product" in normaliser.normalise("prod mgr").tokens


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("prodcut", "product"),
        ("projcet", "project"),
        ("hwo", "how"),
        ("roadmpa", "roadmap"),
        ("stakeholdres", "stakeholders"),
    ],
)
def test_typos_are_corrected(normaliser, typo: str, meant: str) -> None:
    assert normaliser.correct(typo) == meant


@pytest.mark.parametrize("word", ["data", "pilot", "dentist", "prodject", "lawyer"])
def test_unclear_words_are_left_alone(normaliser, word: str) -> None:
    assert normaliser.correct(word) == word


def test_typo_never_swaps_roles(normaliser) -> None:
    # one edit from each: must not be guessed either way
    assert normaliser.correct("projuct") == "projuct"


def test_empty_and_markup_only_text(normaliser) -> None:
    assert normaliser.normalise("").is_empty
    assert normaliser.normalise("<@U123> :wave: 🎉").is_empty


def test_clauses_split_sentences_dashes_and_brackets_not_links() -> None:
    text = "we're late (again). who fixes the plan? see <https://a.b/c.d|the doc> - thanks"
    assert clauses(text, 6) == ["we're late", "who fixes the plan", "see the doc"]
    assert clauses("one two, three four", 6) == ["one two, three four"]
    assert clauses(" ".join(f"w{i} x." for i in range(100)), 3) == ["w97 x", "w98 x", "w99 x"]


def test_an_emoji_ends_a_clause_typed_or_as_a_slack_code() -> None:
    expected = ["new to tech", "what does a PdM do all week"]
    assert clauses("new to tech 👩‍🏫 what does a PdM do all week", 6) == expected
    assert clauses("new to tech :woman-teacher: what does a PdM do all week", 6) == expected


def test_numbers_are_context_not_content(normaliser: Normaliser) -> None:
    assert normaliser.normalise("8 years, 300 of them").tokens == ()


def test_a_form_of_a_known_word_is_not_a_typo(normaliser: Normaliser) -> None:
    assert normaliser.correct("sending") == "sending"  # not "spending"
    assert normaliser.correct("finding") == "finding"  # not "funding"


def test_a_typo_tie_goes_to_the_much_more_common_word(normaliser: Normaliser) -> None:
    assert normaliser.correct("managr") == "manager"  # not "manage"
    assert normaliser.correct("prodject") == "prodject"  # still never guesses a role


def test_neighbouring_roles_are_detected_apart_from_ours(normaliser: Normaliser) -> None:
    result = normaliser.normalise("is a PO just a product manager?")
    assert result.neighbours == frozenset({"product-owner"})
    assert result.roles == frozenset({"product"})
    assert normaliser.normalise("TPM vs SM").neighbours == {"program-manager", "scrum-master"}


def test_one_article_stands_for_another_inside_a_phrase() -> None:
    normaliser = Normaliser(
        {
            "vision": ["where the product is headed"],
            "who_is_my": ["who is my"],
            "what_how": ["the how"],
            "how_to": ["how to"],
        },
        [],
    )
    assert normaliser.tokens("where a product is headed") == ("vision",)
    assert normaliser.tokens("where an product is headed") == ("vision",)
    assert normaliser.tokens("where our product is headed") != ("vision",)
    # a possessive is no article: "who is the boss" asks about the roles, not a person
    assert "who_is_my" not in normaliser.tokens("who is the boss")
    # nor does a phrase's first word stand for another article: "a how to" is no "the how"
    assert normaliser.tokens("the how") == ("what_how",)
    assert normaliser.tokens("send a how to") == ("send", "how_to")


def test_two_roles_sharing_their_last_word_are_both_read(normaliser: Normaliser) -> None:
    """ "program and project manager": the program manager and the project manager."""
    shared = normaliser.normalise("difference between program and project manager").tokens
    spelled = normaliser.normalise("difference between program manager and project manager")
    assert shared == spelled.tokens
    assert normaliser.normalise("program vs project managers").tokens == (
        normaliser.normalise("program managers vs project managers").tokens
    )
    # Nothing shared when no role phrase follows: "program" stays a plain word.
    (program_manager,) = normaliser.normalise("program manager").tokens
    assert program_manager not in normaliser.normalise("program and project budget").tokens
    assert program_manager not in normaliser.normalise("the program and the release").tokens
