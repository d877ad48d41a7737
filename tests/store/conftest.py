"""What the store tests share: a clock they move by hand, and a store on each real
database (a SQLite file; PostgreSQL with TEST_DATABASE_URL, see tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.store.database import Store


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(database_url: str, clock: Clock) -> Iterator[Store]:
    store = Store(database_url, clock=clock)
    yield store
    store.close()
