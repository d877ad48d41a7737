"""What kind of failure a store call met, so only an outage opens the breaker
(bot/slack/resilience.py StoreGuard):

- contention: SQLite's "database is locked" or "busy" (two processes on one file;
  a read that must become a write in WAL mode fails at once, without waiting):
  retried with a short backoff;
- bad data: a value too long, a constraint broken: that request fails, politely,
  and nobody else is affected;
- outage: anything else (the server gone, the file unwritable, the disk full).
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy.exc import DataError, IntegrityError, OperationalError

FailureKind = Literal["outage", "contention", "bad-data"]
_CONTENTION = ("database is locked", "database table is locked", "database is busy")


def failure_kind(error: BaseException) -> FailureKind:
    if isinstance(error, DataError | IntegrityError):
        return "bad-data"
    if isinstance(error, OperationalError) and any(
        words in str(error.orig).lower() for words in _CONTENTION
    ):
        return "contention"
    return "outage"
