"""The workspace catalogue: one SQLite file (WAL) with documents and chunks.

A document row is keyed by (unit, file): the same file name filed by a unit is one evidence
item, replaced when its content changes. Every change to the chunk set bumps `generation`, which
the BM25 index compares with its own stamp to know whether it is stale. All writes of one
document happen in one transaction, so a killed ingest leaves either the old or the new state.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from core.document import BlockKind, Chunk, DocType
from core.sqlite import enable_wal

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    unit TEXT NOT NULL,              -- '' when no unit was given
    file TEXT NOT NULL,              -- display name (relative to the ingested folder)
    doc_id TEXT UNIQUE,              -- NULL for a file that failed
    source_path TEXT,
    mtime REAL,
    size INTEGER,
    sha256 TEXT,
    stored_path TEXT,                -- relative to the workspace
    file_type TEXT,
    doc_type TEXT,
    year INTEGER,
    pages INTEGER,
    n_chunks INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,            -- ok | error
    error TEXT,
    ingested_at TEXT NOT NULL,
    PRIMARY KEY (unit, file)
);
CREATE INDEX IF NOT EXISTS documents_sha ON documents (unit, sha256);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    unit TEXT NOT NULL,
    file TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    year INTEGER,
    page INTEGER,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    heading TEXT,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    tokens TEXT NOT NULL             -- BM25 tokens, space separated (rebuilds need no jieba pass)
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks (doc_id, ordinal);
CREATE INDEX IF NOT EXISTS chunks_unit ON chunks (unit);
CREATE TABLE IF NOT EXISTS segments (      -- remembered segmentations of catalog strings (ingestion.tokenize)
    tokenizer TEXT NOT NULL,         -- ingestion.tokenize.tokenizer_identity()
    mode TEXT NOT NULL,
    text TEXT NOT NULL,
    tokens TEXT NOT NULL,            -- JSON list
    PRIMARY KEY (tokenizer, mode, text)
);
CREATE TABLE IF NOT EXISTS doc_type_overrides (  -- a reviewer's document type for (unit, file)
    unit TEXT NOT NULL,
    file TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    set_at TEXT NOT NULL,
    PRIMARY KEY (unit, file)
);
"""

_CHUNK_COLS = 'chunk_id, doc_id, unit, file, doc_type, year, page, start, "end", heading, kind, text'


@dataclass(frozen=True)
class DocumentRow:
    unit: str | None
    file: str
    doc_id: str | None
    source_path: str | None
    mtime: float | None
    size: int | None
    sha256: str | None
    stored_path: str | None
    file_type: str | None
    doc_type: str | None
    year: int | None
    pages: int | None
    n_chunks: int
    status: str
    error: str | None
    ingested_at: str


@dataclass(frozen=True)
class ChunkMeta:
    """What BM25 needs per chunk: id, filter fields and tokens."""

    chunk_id: str
    doc_id: str
    unit: str | None
    doc_type: str
    year: int | None
    tokens: list[str]


def _unit_key(unit: str | None) -> str:
    return unit or ""


def _generation_key(unit: str | None) -> str:
    return "generation" if unit is None else f"generation:{unit}"


def _row_to_doc(row: sqlite3.Row) -> DocumentRow:
    values = dict(row)
    values["unit"] = values["unit"] or None
    return DocumentRow(**values)


def _row_to_chunk(row: sqlite3.Row) -> Chunk:
    return Chunk(
        chunk_id=row["chunk_id"], doc_id=row["doc_id"], unit=row["unit"] or None, file=row["file"],
        doc_type=DocType(row["doc_type"]), year=row["year"], page=row["page"], start=row["start"],
        end=row["end"], heading=row["heading"], kind=BlockKind(row["kind"]), text=row["text"],
    )


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class WorkspaceDB:
    def __init__(self, path: Path):
        self.path = path
        self._conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self._conn.row_factory = sqlite3.Row
        enable_wal(self._conn)
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(_SCHEMA)
        self._lock = threading.RLock()

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _all(self, sql: str, args: Sequence[object] = ()) -> list[sqlite3.Row]:
        """One read, under the lock: the UI reads from several threads over one connection."""
        with self._lock:
            return self._conn.execute(sql, args).fetchall()

    def _one(self, sql: str, args: Sequence[object] = ()) -> sqlite3.Row | None:
        rows = self._all(sql, args)
        return rows[0] if rows else None

    # --- generation ----------------------------------------------------------------------
    def generation(self, unit: str | None = None) -> int:
        """How often the chunks changed: of the whole workspace, or (given a unit) of that unit."""
        row = self._one("SELECT value FROM meta WHERE key=?", (_generation_key(unit),))
        return int(row[0]) if row else 0

    @staticmethod
    def _bump(conn: sqlite3.Connection, units: Iterable[str | None]) -> None:
        for key in {_generation_key(None), *(_generation_key(_unit_key(u)) for u in units)}:
            conn.execute(
                "INSERT INTO meta(key, value) VALUES(?, '1') "
                "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1", (key,)
            )

    # --- documents -----------------------------------------------------------------------
    def document_row(self, unit: str | None, file: str) -> DocumentRow | None:
        row = self._one("SELECT * FROM documents WHERE unit=? AND file=?", (_unit_key(unit), file))
        return _row_to_doc(row) if row else None

    def row_with_content(self, unit: str | None, sha256: str) -> DocumentRow | None:
        row = self._one("SELECT * FROM documents WHERE unit=? AND sha256=? AND status='ok'", (_unit_key(unit), sha256))
        return _row_to_doc(row) if row else None

    def document_rows(self, unit: str | None = None, status: str | None = "ok") -> list[DocumentRow]:
        sql, args = "SELECT * FROM documents WHERE 1=1", []
        if unit is not None:
            sql += " AND unit=?"
            args.append(unit)
        if status is not None:
            sql += " AND status=?"
            args.append(status)
        return [_row_to_doc(r) for r in self._all(sql + " ORDER BY unit, file", args)]

    def stored_paths(self) -> set[str]:
        """Every stored file a document row refers to (workspace-relative)."""
        return {r[0] for r in self._all("SELECT DISTINCT stored_path FROM documents WHERE stored_path IS NOT NULL")}

    def stored_path_in_use(self, stored_path: str) -> bool:
        return self._one("SELECT 1 FROM documents WHERE stored_path=? LIMIT 1", (stored_path,)) is not None

    def units(self) -> list[str]:
        rows = self._all("SELECT DISTINCT unit FROM documents WHERE status='ok' AND unit<>'' ORDER BY unit")
        return [r[0] for r in rows]

    def touch(self, unit: str | None, file: str, source_path: str, mtime: float, size: int) -> None:
        """Record a new path/mtime for unchanged content, so the next run skips without hashing."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE documents SET source_path=?, mtime=?, size=? WHERE unit=? AND file=?",
                (source_path, mtime, size, _unit_key(unit), file),
            )

    def replace_document(self, row: DocumentRow, chunks: Iterable[tuple[Chunk, str, list[str]]]) -> list[str]:
        """Insert or replace the document at (unit, file) with its chunks (chunk, content hash,
        tokens); returns the chunk ids that were removed (for the vector store)."""
        with self.transaction() as conn:
            removed, removed_units = self._delete(conn, row.unit, row.file, row.doc_id)
            values = dict(row.__dict__, unit=_unit_key(row.unit))
            cols = ", ".join(values)
            conn.execute(f"INSERT INTO documents ({cols}) VALUES ({', '.join('?' * len(values))})",
                         list(values.values()))
            conn.executemany(
                'INSERT INTO chunks (chunk_id, doc_id, ordinal, unit, file, doc_type, year, page, start, "end", '
                "heading, kind, text, content_hash, tokens) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (c.chunk_id, c.doc_id, i, _unit_key(c.unit), c.file, str(c.doc_type), c.year, c.page,
                     c.start, c.end, c.heading, str(c.kind), c.text, h, " ".join(tokens))
                    for i, (c, h, tokens) in enumerate(chunks)
                ],
            )
            self._bump(conn, [row.unit, *removed_units])
        current = set(self.chunk_ids_of(row.doc_id)) if row.doc_id else set()
        return [cid for cid in removed if cid not in current]

    # --- document-type overrides -------------------------------------------------------------
    def set_doc_type_override(self, unit: str | None, file: str, doc_type: str | None) -> None:
        """Record (or, with None, drop) a reviewer's type for (unit, file); it outlives re-ingests."""
        with self.transaction() as conn:
            if doc_type is None:
                conn.execute("DELETE FROM doc_type_overrides WHERE unit=? AND file=?", (_unit_key(unit), file))
            else:
                conn.execute("INSERT OR REPLACE INTO doc_type_overrides (unit, file, doc_type, set_at) VALUES (?,?,?,?)",
                             (_unit_key(unit), file, doc_type, now_iso()))

    def doc_type_override(self, unit: str | None, file: str) -> str | None:
        with self._lock:
            row = self._conn.execute("SELECT doc_type FROM doc_type_overrides WHERE unit=? AND file=?",
                                     (_unit_key(unit), file)).fetchone()
        return row[0] if row else None

    def delete_document(self, unit: str | None, file: str) -> list[str]:
        with self.transaction() as conn:
            removed, units = self._delete(conn, unit, file, None)
            self._bump(conn, [unit, *units])
        return removed

    def _delete(self, conn: sqlite3.Connection, unit: str | None, file: str,
                new_doc_id: str | None) -> tuple[list[str], set[str]]:
        """Remove the document at (unit, file) and any with `new_doc_id`: the removed chunk ids, and the
        units those chunks belonged to (their BM25 indexes move on; a document id is unique workspace-wide)."""
        old = conn.execute("SELECT doc_id FROM documents WHERE unit=? AND file=?", (_unit_key(unit), file)).fetchone()
        doc_ids = {d for d in (old[0] if old else None, new_doc_id) if d}
        removed: list[str] = []
        units: set[str] = set()
        for doc_id in doc_ids:
            rows = conn.execute("SELECT chunk_id, unit FROM chunks WHERE doc_id=?", (doc_id,)).fetchall()
            removed += [r[0] for r in rows]
            units |= {r[1] for r in rows}
            conn.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
            conn.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))
        conn.execute("DELETE FROM documents WHERE unit=? AND file=?", (_unit_key(unit), file))
        return removed, units

    # --- remembered segmentations -----------------------------------------------------------
    def segments(self, tokenizer: str) -> list[tuple[str, str, list[str]]]:
        rows = self._all("SELECT mode, text, tokens FROM segments WHERE tokenizer=?", (tokenizer,))
        return [(r[0], r[1], json.loads(r[2])) for r in rows]

    def save_segments(self, tokenizer: str, rows: Iterable[tuple[str, str, list[str]]]) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM segments WHERE tokenizer<>?", (tokenizer,))  # stale: another jieba or word list
            conn.executemany("INSERT OR REPLACE INTO segments (tokenizer, mode, text, tokens) VALUES (?,?,?,?)",
                             [(tokenizer, m, t, json.dumps(toks, ensure_ascii=False)) for m, t, toks in rows])

    # --- chunks --------------------------------------------------------------------------
    def chunk_ids_of(self, doc_id: str) -> list[str]:
        return [r[0] for r in self._all("SELECT chunk_id FROM chunks WHERE doc_id=? ORDER BY ordinal", (doc_id,))]

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        rows = self._all(f"SELECT {_CHUNK_COLS} FROM chunks WHERE doc_id=? ORDER BY ordinal", (doc_id,))
        return [_row_to_chunk(r) for r in rows]

    def chunks_by_id(self, chunk_ids: list[str]) -> dict[str, Chunk]:
        out: dict[str, Chunk] = {}
        for i in range(0, len(chunk_ids), 500):
            part = chunk_ids[i : i + 500]
            rows = self._all(f"SELECT {_CHUNK_COLS} FROM chunks WHERE chunk_id IN ({','.join('?' * len(part))})", part)
            out.update((r["chunk_id"], _row_to_chunk(r)) for r in rows)
        return out

    def chunk_meta(self, unit: str | None = None) -> list[ChunkMeta]:
        """Every chunk's index data, or (given a unit) the unit's."""
        sql, args = "SELECT chunk_id, doc_id, unit, doc_type, year, tokens FROM chunks", ()
        if unit is not None:
            sql, args = sql + " WHERE unit=?", (unit,)
        rows = self._all(sql + " ORDER BY doc_id, ordinal", args)
        return [
            ChunkMeta(r["chunk_id"], r["doc_id"], r["unit"] or None, r["doc_type"], r["year"], r["tokens"].split())
            for r in rows
        ]

    def chunk_texts(self) -> list[tuple[str, str, str]]:
        """(chunk_id, content_hash, text) of every chunk, for embedding."""
        return [tuple(r) for r in self._all("SELECT chunk_id, content_hash, text FROM chunks")]

    def chunk_count(self) -> int:
        return int(self._one("SELECT COUNT(*) FROM chunks")[0])
