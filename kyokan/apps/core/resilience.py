"""Surviving transient database errors in background work.

SQLite answers "database is locked" when a writer holds the lock past the busy timeout;
PostgreSQL reports deadlocks, serialisation failures and dropped connections. The task
worker and the tasks retry such errors with a growing pause, then record the failure on
the task instead of dying (see the ``db_worker`` command in this app).
"""

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import DatabaseError, InterfaceError, OperationalError, connection

logger = logging.getLogger(__name__)
T = TypeVar("T")

_TRANSIENT_TEXTS = (
    "database is locked",
    "database table is locked",
    "deadlock detected",
    "could not serialize access",
    "server closed the connection",
    "connection already closed",
    "terminating connection",
    "could not connect",
    "connection refused",
    "the connection is closed",
)


def is_transient(exc: BaseException) -> bool:
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    text = str(exc).lower()
    return any(t in text for t in _TRANSIENT_TEXTS)


def retry_transient(
    fn: Callable[[], T], *, attempts: int = 6, delay: float = 0.5, sleep=time.sleep
) -> T:
    """``fn()``, run again after a transient database error (``attempts`` times in all,
    pausing 0.5, 1, 2, 4 … seconds); other errors, and the last one, are raised. Never
    retries inside a transaction (the outer block must be retried as a whole)."""
    for attempt in range(1, attempts + 1):
        try:
            return fn()
        except DatabaseError as exc:
            if not is_transient(exc) or attempt == attempts or connection.in_atomic_block:
                raise
            logger.warning("Transient database error (attempt %d): %s", attempt, exc)
            if isinstance(exc, InterfaceError) or "connection" in str(exc).lower():
                connection.close()
            sleep(delay * 2 ** (attempt - 1))
    raise AssertionError("unreachable")
