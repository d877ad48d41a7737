"""The SQLAlchemy engine behind every store (bot/store/engine.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from bot.store.database import Store
from bot.store.tables import events_seen


def test_a_database_error_never_lists_the_values_it_was_given(database_url: str) -> None:
    """Errors are logged by their text, and a refreshed token is one of the values
    (PostgreSQL's own detail may quote a unique key: no token is one)."""
    store = Store(database_url)
    row = {"event_id": "xoxb-secret-token", "seen_at": 1.0}
    with store.begin() as conn:
        conn.execute(insert(events_seen).values(**row))
    with pytest.raises(IntegrityError) as caught, store.begin() as conn:
        conn.execute(insert(events_seen).values(**row))
    assert "[SQL parameters hidden due to hide_parameters=True]" in str(caught.value)
    assert "[parameters:" not in str(caught.value)
    store.close()
