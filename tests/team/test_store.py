from __future__ import annotations

from bot.store.database import Store
from bot.team.records import Holder
from bot.team.store import HolderStore
from tests.store import conftest as store_fixtures

# The store tests' fixtures (every real database), not the listener tests' of conftest.py.
store, clock = store_fixtures.store, store_fixtures.clock


def test_setting_a_role_replaces_its_holders_in_that_channel_only(store: Store) -> None:
    book = HolderStore(store)
    book.set_holders("C1", "product", [("U1", "user"), ("S1", "usergroup")], "U9")
    book.set_holders("C2", "product", [("U5", "user")], "U9")
    book.set_holders("C1", "project", [("U2", "user")], "U8")
    book.set_holders("C1", "product", [("U3", "user"), ("U3", "user")], "U7")  # named twice
    now = 1_800_000_000.0
    assert book.holders("C1") == [
        Holder("C1", "product", "U3", "user", "U7", now),
        Holder("C1", "project", "U2", "user", "U8", now),
    ]
    assert [h.holder_id for h in book.holders("C2")] == ["U5"]


def test_clear_one_role_or_all(store: Store) -> None:
    book = HolderStore(store)
    book.set_holders("C1", "product", [("U1", "user")], "U9")
    book.set_holders("C1", "project", [("U2", "user"), ("U3", "user")], "U9")
    assert book.clear_holders("C1", "scrum-master") == 0
    assert book.clear_holders("C1", "project") == 2
    assert [h.role for h in book.holders("C1")] == ["product"]
    assert book.clear_holders("C1") == 1
    assert book.holders("C1") == []


def test_roles_held_by_a_user(store: Store) -> None:
    book = HolderStore(store)
    book.set_holders("C2", "project", [("U1", "user")], "U9")
    book.set_holders("C1", "product", [("U1", "user"), ("U2", "user")], "U9")
    book.set_holders("C1", "scrum-master", [("U1", "user")], "U9")
    assert book.roles_held_by("U1") == [
        ("C1", "product"),
        ("C1", "scrum-master"),
        ("C2", "project"),
    ]
    assert book.roles_held_by("U404") == []


def test_a_second_process_sees_a_change_at_once(database_url: str, store: Store) -> None:
    other = Store(database_url)
    HolderStore(store).set_holders("C1", "product", [("U1", "user")], "U9")
    assert [h.holder_id for h in HolderStore(other).holders("C1")] == ["U1"]
    HolderStore(other).clear_holders("C1")
    assert HolderStore(store).holders("C1") == []
    other.close()


def test_sqlite_reads_are_cached_and_own_writes_seen_at_once(store: Store) -> None:
    now = [100.0]
    cached = HolderStore(store, cache_seconds=5, monotonic=lambda: now[0])
    other = HolderStore(store)  # another writer, as an unsupported second process would be
    assert cached.holders("C1") == []
    other.set_holders("C1", "product", [("U1", "user")], "U9")
    assert cached.holders("C1") == []  # cached
    now[0] += 5.1
    assert [h.holder_id for h in cached.holders("C1")] == ["U1"]
    cached.set_holders("C1", "product", [("U2", "user")], "U9")
    assert [h.holder_id for h in cached.holders("C1")] == ["U2"]  # its own write: at once
    cached.clear_holders("C1")
    assert cached.holders("C1") == []
