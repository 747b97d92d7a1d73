"""BM25 over jieba tokens (bm25s), persisted under WS/bm25 and rebuilt from the stored tokens
whenever the workspace's generation moved on (tokens are kept in SQLite, so a rebuild is a
pure bm25s indexing pass: no parsing, no segmentation).

Filters are applied as a 0/1 weight mask over the whole index, so a filtered query costs the
same as an unfiltered one and never misses a matching chunk ranked low overall.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from filelock import FileLock

from ingestion.store import ChunkMeta, WorkspaceDB

if TYPE_CHECKING:  # bm25s costs a second at start-up: imported when an index is built or loaded
    import bm25s

_STAMP = "zwgk-meta.json"


@dataclass(frozen=True)
class Filters:
    unit: str | None = None
    year: int | None = None
    doc_types: tuple[str, ...] | None = None
    doc_ids: tuple[str, ...] | None = None

    def is_empty(self) -> bool:
        return self.unit is None and self.year is None and not self.doc_types and not self.doc_ids


NO_FILTERS = Filters()


class BM25Index:
    def __init__(self, directory: Path, db: WorkspaceDB):
        self.directory, self.db = directory, db
        self._model: bm25s.BM25 | None = None
        self._generation = -1
        self._ids: list[str] = []
        self._meta: dict[str, np.ndarray] = {}
        self._lock = threading.RLock()  # UI threads share one index

    # --- build / load --------------------------------------------------------------------
    def _fresh(self) -> bool:
        return self._generation == self.db.generation()

    def ensure(self) -> None:
        """Make the in-memory index match the workspace: load the persisted one if current,
        otherwise rebuild from the stored tokens and persist."""
        with self._lock:
            if self._fresh():
                return
            if self._load(self.db.generation()):
                return
            self.rebuild()

    def rebuild(self) -> None:
        with self._lock:
            generation = self.db.generation()
            rows = self.db.chunk_meta()
            self._set(rows, generation, self._build(rows))
            self._persist()

    @staticmethod
    def _build(rows: list[ChunkMeta]) -> bm25s.BM25 | None:
        if not rows:
            return None
        import bm25s

        model = bm25s.BM25()
        # an empty token list would break bm25s' vocabulary; "" is its reserved empty token
        model.index([r.tokens or [""] for r in rows], show_progress=False)
        return model

    def _set(self, rows: list[ChunkMeta], generation: int, model: bm25s.BM25 | None) -> None:
        self._model, self._generation = model, generation
        self._ids = [r.chunk_id for r in rows]
        self._meta = {
            "doc_id": np.array([r.doc_id for r in rows], dtype=object),
            "unit": np.array([r.unit or "" for r in rows], dtype=object),
            "doc_type": np.array([r.doc_type for r in rows], dtype=object),
            "year": np.array([r.year if r.year is not None else -1 for r in rows], dtype=np.int64),
        }

    def _persist(self) -> None:
        """Write to a temp dir, then swap it in; a crash in between leaves no index (rebuilt
        on next use), never a half-written one."""
        self.directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".bm25-", dir=self.directory.parent))
        if self._model is not None:
            self._model.save(str(tmp), show_progress=False)
        stamp = {"generation": self._generation, "ids": self._ids,
                 "meta": {k: v.tolist() for k, v in self._meta.items()}}
        (tmp / _STAMP).write_text(json.dumps(stamp, ensure_ascii=False), encoding="utf-8")
        old = self.directory.with_name(self.directory.name + ".old")
        # another process (an ingest beside the review UI) may swap at the same moment
        with FileLock(self.directory.with_name(".bm25.lock")):
            shutil.rmtree(old, ignore_errors=True)
            if self.directory.exists():
                os.replace(self.directory, old)
            os.replace(tmp, self.directory)
            shutil.rmtree(old, ignore_errors=True)

    def _load(self, generation: int) -> bool:
        stamp_path = self.directory / _STAMP
        try:
            stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        if stamp.get("generation") != generation:
            return False
        ids = stamp["ids"]
        import bm25s

        model = bm25s.BM25.load(str(self.directory), show_progress=False) if ids else None
        self._model, self._generation, self._ids = model, generation, ids
        meta = stamp["meta"]
        self._meta = {k: np.array(v, dtype=np.int64 if k == "year" else object) for k, v in meta.items()}
        return True

    # --- query ---------------------------------------------------------------------------
    def _mask(self, filters: Filters) -> np.ndarray | None:
        if filters.is_empty():
            return None
        mask = np.ones(len(self._ids), dtype=bool)
        if filters.unit is not None:
            mask &= self._meta["unit"] == filters.unit
        if filters.year is not None:
            mask &= self._meta["year"] == filters.year
        if filters.doc_types:
            mask &= np.isin(self._meta["doc_type"], list(filters.doc_types))
        if filters.doc_ids:
            mask &= np.isin(self._meta["doc_id"], list(filters.doc_ids))
        return mask

    def search(self, tokens: list[str], k: int, filters: Filters = NO_FILTERS) -> list[tuple[str, float]]:
        """Top-k (chunk_id, score) with a positive score, best first."""
        with self._lock:
            self.ensure()
            model, ids, mask = self._model, self._ids, self._mask(filters)
        if model is None or not tokens:
            return []
        vocab = model.vocab_dict
        token_ids = [vocab[t] for t in dict.fromkeys(tokens) if t in vocab and t != ""]
        if not token_ids:
            return []
        scores = model.get_scores_from_ids(token_ids)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def __len__(self) -> int:
        self.ensure()
        return len(self._ids)
