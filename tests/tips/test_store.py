from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.store.database import Store
from bot.tips.store import TipStore


@pytest.fixture
def tips(database_url: str) -> Iterator[TipStore]:
    store = Store(database_url)
    yield TipStore(store)
    store.close()


def test_subscribe_update_unsubscribe(tips: TipStore) -> None:
    sub = tips.subscribe("C1", "09:00", "Europe/Berlin", True, "U1")
    assert (sub.post_time, sub.timezone, sub.weekdays_only, sub.active) == (
        "09:00",
        "Europe/Berlin",
        True,
        True,
    )
    sub = tips.subscribe("C1", "10:30", "Asia/Tokyo", False, "U2")
    assert (sub.post_time, sub.timezone, sub.weekdays_only, sub.created_by) == (
        "10:30",
        "Asia/Tokyo",
        False,
        "U2",
    )
    assert [s.channel_id for s in tips.all_subscriptions()] == ["C1"]
    assert tips.unsubscribe("C1")
    assert not tips.unsubscribe("C1")
    assert tips.all_subscriptions() == []
    assert tips.subscription("C1").active is False


def test_pause_and_resubscribe(tips: TipStore) -> None:
    tips.subscribe("C1", "09:00", "UTC", True, "U1")
    tips.pause("C1", "not_in_channel")
    paused = tips.subscription("C1")
    assert (paused.active, paused.paused_reason) == (False, "not_in_channel")
    assert tips.subscribe("C1", "09:00", "UTC", True, "U1").paused_reason is None


def test_one_claim_per_channel_and_day_across_processes(database_url: str, tips: TipStore) -> None:
    other_db = Store(database_url)
    other = TipStore(other_db)
    assert tips.claim("C1", "2027-03-29", "t1", 0, "token-a", 100.0)
    assert not other.claim("C1", "2027-03-29", "t2", 0, "token-b", 100.0)
    assert other.claim("C1", "2027-03-30", "t2", 0, "token-b", 100.0)
    assert tips.tip_post("C1", "2027-03-29").claim_token == "token-a"
    other_db.close()


def test_take_over_is_compare_and_swap(tips: TipStore) -> None:
    tips.claim("C1", "2027-03-29", "t1", 0, "old", 100.0)
    row = tips.tip_post("C1", "2027-03-29")
    assert tips.take_over("C1", "2027-03-29", row, "new-1", 900.0)
    assert not tips.take_over("C1", "2027-03-29", row, "new-2", 900.0)  # token moved on
    taken = tips.tip_post("C1", "2027-03-29")
    assert (taken.claim_token, taken.attempts, taken.claimed_at) == ("new-1", 2, 900.0)


def test_only_the_claim_holder_records(tips: TipStore) -> None:
    tips.claim("C1", "2027-03-29", "t1", 0, "mine", 100.0)
    assert not tips.mark_posted("C1", "2027-03-29", "not-mine", "1.1", 101.0)
    assert tips.mark_posted("C1", "2027-03-29", "mine", "1.1", 101.0)
    row = tips.tip_post("C1", "2027-03-29")
    assert (row.state, row.message_ts) == ("posted", "1.1")
    assert tips.last_posted("C1").local_date == "2027-03-29"


def test_failed_rows_carry_a_retry_time(tips: TipStore) -> None:
    tips.claim("C1", "2027-03-29", "t1", 0, "mine", 100.0)
    assert tips.mark_failed("C1", "2027-03-29", "mine", "internal_error", 1000.0)
    row = tips.tip_post("C1", "2027-03-29")
    assert (row.state, row.next_attempt_at) == ("failed", 1000.0)
    assert tips.last_posted("C1") is None
