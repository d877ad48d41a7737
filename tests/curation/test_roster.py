"""`/pm curators` (bot/curation/roster.py): the added curators' table, and the replies."""

from __future__ import annotations

from bot.curation.roster import FIXED, USAGE, CuratorRoster, change, claims_curators, listing
from bot.store.database import Store


def test_the_roster_adds_once_and_removes(database_url: str) -> None:
    roster = CuratorRoster(Store(database_url))
    assert roster.add("U0BOB", by="U0ANNA")
    assert not roster.add("U0BOB", by="U0ANNA")  # a retried command: no second row
    assert roster.ids() == frozenset({"U0BOB"})
    assert roster.remove("U0BOB") and not roster.remove("U0BOB")
    assert roster.ids() == frozenset()


def test_adding_and_removing_say_what_happened(database_url: str) -> None:
    roster = CuratorRoster(Store(database_url))
    add = lambda *args: change(roster, "U0ANNA", list(args), "U0ANNA")["text"]  # noqa: E731
    assert add("add", "<@U0BOB|bob>") == "<@U0BOB> is now a curator."
    assert add("add", "<@U0BOB>") == "<@U0BOB> already is a curator."
    assert add("remove", "<@U0ANNA>") == "<@U0ANNA> installed pmbot here and stays a curator."
    assert add("remove", "<@U0BOB>") == "<@U0BOB> is no longer a curator."
    assert add("remove", "<@U0BOB>") == "<@U0BOB> was not a curator."
    for wrong in (["add"], ["add", "bob"], ["add", "<!channel>"], ["add", "<@U1>", "<@U2>"]):
        assert add(*wrong) == USAGE
    assert change(None, None, ["add", "<@U0BOB>"], "U0ANNA") == {"text": FIXED}


def test_the_list_names_the_installer_first_and_the_admins() -> None:
    shown = listing("U0ANNA", frozenset({"U0ZED", "U0ANNA", "U0BOB"}), (), admins=True)
    assert shown == {
        "text": "Curators here: <@U0ANNA>, <@U0BOB>, <@U0ZED>, workspace admins and owners."
    }
    fixed = listing(None, frozenset({"U0ANNA"}), ("S0PMS",), admins=False)
    assert fixed == {"text": "Curators here: <@U0ANNA>, <!subteam^S0PMS>."}
    assert listing(None, frozenset(), (), admins=False)["text"].startswith("Nobody is a curator")


def test_only_the_three_forms_are_claimed() -> None:
    assert claims_curators(["curators"]) and claims_curators(["Curators", "ADD", "<@U1>"])
    assert not claims_curators(["curators", "of", "the", "knowledge", "base?"])
