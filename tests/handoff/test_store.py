"""Hand-offs on each real database (bot/handoff/store.py): one claim per question,
one first reply, counts for the rate limits."""

from __future__ import annotations

from bot.handoff.store import HandoffStore, Waiting
from bot.store.database import Store
from tests.store import conftest as store_fixtures
from tests.store.conftest import Clock

store, clock = store_fixtures.store, store_fixtures.clock


def test_a_question_is_claimed_once(store: Store) -> None:
    book = HandoffStore(store)
    first = book.claim("C1:1.1:U1", "U1", "C1", "owns-budget", "holders")
    assert first is not None
    assert book.claim("C1:1.1:U1", "U1", "C1", "owns-budget", "holders") is None
    assert book.claim("C1:1.1:U2", "U2", "C1", None, "holders") not in (None, first)


def test_a_released_claim_can_be_made_again(store: Store) -> None:
    book = HandoffStore(store)
    claimed = book.claim("C1:1.1:U1", "U1", "C1", None, "experts")
    assert claimed is not None
    book.release(claimed)
    assert book.claim("C1:1.1:U1", "U1", "C1", None, "experts") is not None


def test_waiting_hand_offs_and_the_first_reply(store: Store, clock: Clock) -> None:
    book = HandoffStore(store)
    one = book.claim("C1:1.1:U1", "U1", "C1", None, "holders")
    two = book.claim("C1:1.2:U2", "U2", "C1", None, "holders")
    elsewhere = book.claim("G1:1.3:U3", "U3", "G1", None, "experts")
    assert one is not None and two is not None and elsewhere is not None
    book.posted(one, "C1", "1.0")
    book.posted(two, "C1", "1.0")
    book.posted(elsewhere, "CEXPERTS", "9.9")
    assert book.waiting_in("C1", "1.0") == [Waiting(one, "U1", "C1"), Waiting(two, "U2", "C1")]
    assert book.waiting_in("CEXPERTS", "9.9") == [Waiting(elsewhere, "U3", "G1")]
    clock.now += 60
    assert book.answered(one, "UHELPER") is True
    assert book.answered(one, "UOTHER") is False  # told once
    assert book.waiting_in("C1", "1.0") == [Waiting(two, "U2", "C1")]


def test_counts_for_the_rate_limits_cover_the_last_hour(store: Store, clock: Clock) -> None:
    book = HandoffStore(store)
    book.claim("C1:1:U1", "U1", "C1", None, "holders")
    clock.now += 1800
    book.claim("C2:2:U1", "U1", "C2", None, "holders")
    book.claim("C1:3:U2", "U2", "C1", None, "holders")
    assert book.asked_within(3600, "U1", "C1") == (2, 2)
    clock.now += 1801
    assert book.asked_within(3600, "U1", "C1") == (1, 1)
    assert book.asked_within(3600, "U3", "C3") == (0, 0)
