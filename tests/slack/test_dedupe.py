from __future__ import annotations

from bot.slack.dedupe import MemoryDeduper


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_each_id_is_first_once() -> None:
    dedupe = MemoryDeduper()
    assert dedupe.first_time("Ev1")
    assert not dedupe.first_time("Ev1")
    assert dedupe.first_time("Ev2")


def test_ids_are_kept_for_the_ttl_then_forgotten() -> None:
    clock = Clock()
    dedupe = MemoryDeduper(ttl_seconds=600, clock=clock)
    assert dedupe.first_time("Ev1")
    clock.now += 599
    assert not dedupe.first_time("Ev1")
    clock.now += 2
    assert dedupe.first_time("Ev1")


def test_size_is_bounded() -> None:
    dedupe = MemoryDeduper(max_entries=3)
    for i in range(10):
        assert dedupe.first_time(f"Ev{i}")
    assert len(dedupe._seen) <= 3
    assert not dedupe.first_time("Ev9")


def test_store_deduper_shares_ids_and_purges_expired(sqlite_url: str) -> None:
    from bot.slack.dedupe import StoreDeduper
    from bot.store.database import Store

    now = [1_000.0]
    store = Store(sqlite_url, clock=lambda: now[0])
    first, second = StoreDeduper(store, ttl_seconds=600, purge_every=3), StoreDeduper(store)
    assert first.first_time("Ev1")
    assert not second.first_time("Ev1")  # another process sees it too
    now[0] += 700
    assert first.first_time("Ev2")
    assert first.first_time("Ev3")  # third call: Ev1 (expired) is purged first
    from sqlalchemy import select

    from bot.store.tables import events_seen

    with store.engine.connect() as conn:
        ids = sorted(conn.execute(select(events_seen.c.event_id)).scalars())
    assert ids == ["Ev2", "Ev3"]
    store.close()
