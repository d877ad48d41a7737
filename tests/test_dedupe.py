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
