"""SQLite connections of the stores (workspace, checkpoints, vectors, reviews): one way to switch on WAL."""

from __future__ import annotations

import sqlite3
import time

_RETRYABLE = ("database is locked", "database is busy")


def enable_wal(conn: sqlite3.Connection, timeout: float = 30.0) -> None:
    """PRAGMA journal_mode=WAL, retried for up to `timeout` seconds. Processes opening a new database at once
    (two `zwgk ingest` into a new workspace) each need its exclusive lock for the switch, and SQLite answers all
    but one "database is locked" at once instead of waiting (waiting could deadlock): 2 of 120 openings in
    a test of six processes at a time."""
    deadline = time.monotonic() + timeout
    delay = 0.005
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if not str(exc).startswith(_RETRYABLE) or time.monotonic() >= deadline:
                raise
        time.sleep(delay)
        delay = min(0.2, delay * 2)
