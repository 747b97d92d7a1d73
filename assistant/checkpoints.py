"""Per-item checkpoints of a screening run, so an interrupted batch resumes and a re-run is free.

A finding is stored under (unit, catalog, year, item) with a fingerprint of everything it depends
on (the unit's document ids, the catalog file, the rules' code version, the LLM configuration).
A re-run reuses a stored finding only when the fingerprint matches; each item is committed on its
own (SQLite WAL), so a kill loses at most the item in flight.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from pathlib import Path

from core.findings import Finding

_SCHEMA = """
CREATE TABLE IF NOT EXISTS findings (
    unit TEXT NOT NULL,
    catalog TEXT NOT NULL,
    year INTEGER,
    item TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    finding TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (unit, catalog, item)
);
"""


def fingerprint(*parts: object) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(json.dumps(p, sort_keys=True, ensure_ascii=False, default=str).encode())
        h.update(b"\x00")
    return h.hexdigest()


def item_key(indicator_id: str, sub: int | None) -> str:
    return f"{indicator_id}#{sub}" if sub is not None else indicator_id


class CheckpointStore:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def get(self, unit: str, catalog: str, indicator_id: str, sub: int | None, fp: str) -> Finding | None:
        with self._lock:
            row = self._db.execute(
                "SELECT finding FROM findings WHERE unit=? AND catalog=? AND item=? AND fingerprint=?",
                (unit, catalog, item_key(indicator_id, sub), fp),
            ).fetchone()
        return Finding.model_validate_json(row[0]) if row else None

    def put(self, unit: str, catalog: str, year: int | None, finding: Finding, fp: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO findings (unit, catalog, year, item, fingerprint, finding) VALUES (?,?,?,?,?,?) "
                "ON CONFLICT (unit, catalog, item) DO UPDATE SET year=excluded.year, "
                "fingerprint=excluded.fingerprint, finding=excluded.finding, "
                "updated_at=strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                (unit, catalog, year, item_key(finding.indicator_id, finding.sub), fp, finding.model_dump_json()),
            )

    def integrity_ok(self) -> bool:
        with self._lock:
            return self._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def close(self) -> None:
        with self._lock:
            self._db.close()
