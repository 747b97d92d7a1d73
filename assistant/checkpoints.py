"""screen.db: per-item checkpoints of a screening run, and each unit's current result.

Checkpoints let an interrupted batch resume and make a re-run free.

A finding is stored under (unit, catalog, year, item) with a fingerprint of everything it depends
on (the unit's document ids, the catalog file, the rules' code version, the LLM configuration).
A re-run reuses a stored finding only when the fingerprint matches; each item is committed on its
own (SQLite WAL), so a kill loses at most the item in flight.

A complete review of a unit (`zwgk screen` or the UI's 预审) also records the unit's result as one
row of `results` (its year and findings, in catalog order): that row is the unit's current result,
which the UI shows and exports. It replaces the per-unit `scorecards/<unit>.json` files of older
workspaces, which are still read when a unit has no row (see docs/workspace.md).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

from pydantic import TypeAdapter

from core.findings import Finding
from core.sqlite import enable_wal

_FINDINGS = TypeAdapter(list[Finding])  # a unit's result parsed and validated in one call (pydantic-core)

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
CREATE TABLE IF NOT EXISTS results (
    unit TEXT NOT NULL,
    catalog TEXT NOT NULL,
    year INTEGER,
    findings TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    fingerprint TEXT,  -- of everything the review read (UnitReviewer.unit_fingerprint); NULL: not reusable
    PRIMARY KEY (unit, catalog)
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
        enable_wal(self._db)
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._add_fingerprint_column()

    def _add_fingerprint_column(self) -> None:
        """Older workspaces' results have no fingerprint (never reused as they are). Another process opening
        the same old workspace may add it first."""
        columns = {r[1] for r in self._db.execute("PRAGMA table_info(results)")}
        if "fingerprint" in columns:
            return
        try:
            self._db.execute("ALTER TABLE results ADD COLUMN fingerprint TEXT")
        except sqlite3.OperationalError:
            if "fingerprint" not in {r[1] for r in self._db.execute("PRAGMA table_info(results)")}:
                raise

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

    def save_result(self, unit: str, catalog: str, year: int | None, findings: Sequence[Finding],
                    fp: str | None = None) -> None:
        """Record a complete review as the unit's current result (replacing the previous one); `fp`: the
        fingerprint of everything the whole review depended on (see result_if)."""
        data = json.dumps([f.model_dump(mode="json") for f in findings], ensure_ascii=False)
        with self._lock:
            self._db.execute(
                "INSERT INTO results (unit, catalog, year, findings, fingerprint) VALUES (?,?,?,?,?) "
                "ON CONFLICT (unit, catalog) DO UPDATE SET year=excluded.year, findings=excluded.findings, "
                "fingerprint=excluded.fingerprint, updated_at=strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                (unit, catalog, year, data, fp),
            )

    def result_if(self, unit: str, catalog: str, fp: str) -> tuple[int | None, list[Finding]] | None:
        """The unit's current result when it was reviewed from exactly the inputs `fp` stands for: an unchanged
        unit is one look-up, not one per item (issue 15)."""
        with self._lock:
            row = self._db.execute("SELECT year, findings FROM results WHERE unit=? AND catalog=? AND fingerprint=?",
                                   (unit, catalog, fp)).fetchone()
        return (row[0], _FINDINGS.validate_json(row[1])) if row else None

    def result(self, unit: str, catalog: str) -> tuple[int | None, list[Finding]] | None:
        """The unit's current result (year, findings), or None when it was never fully reviewed."""
        with self._lock:
            row = self._db.execute("SELECT year, findings FROM results WHERE unit=? AND catalog=?",
                                   (unit, catalog)).fetchone()
        return (row[0], _FINDINGS.validate_json(row[1])) if row else None

    def result_units(self, catalog: str) -> list[str]:
        with self._lock:
            rows = self._db.execute("SELECT unit FROM results WHERE catalog=? ORDER BY unit", (catalog,)).fetchall()
        return [r[0] for r in rows]

    def integrity_ok(self) -> bool:
        with self._lock:
            return self._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def close(self) -> None:
        with self._lock:
            self._db.close()
