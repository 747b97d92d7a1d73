"""BM25 over jieba tokens (bm25s), persisted under WS/bm25 and rebuilt from the stored tokens
whenever the chunks it covers changed (tokens are kept in SQLite, so a rebuild is a pure bm25s
indexing pass: no parsing, no segmentation).

One index per unit (WS/bm25/unit-<hash>/), and one over the whole workspace (WS/bm25/all/) built
only when a query names no unit. A unit's retrieval therefore depends on its own documents alone:
its term statistics (IDF) do not move when another unit is added to the workspace, so a unit
screened alone and in a batch gets the same passages, and adding a unit rebuilds only its index.
Each index follows its own generation in the store (`WorkspaceDB.generation(unit)`).

Other filters (year, types, documents) are a 0/1 weight mask over the partition, so a filtered
query never misses a matching chunk ranked low overall.
"""

from __future__ import annotations

import hashlib
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


ALL = None  # the partition over the whole workspace
_MAX_LOADED = 32  # unit partitions kept in memory (a batch of 1,000 units reviews one at a time)


class _Partition:
    """The index of one unit (or of the whole workspace), persisted in its own directory."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.model: bm25s.BM25 | None = None
        self.generation = -1
        self.ids: list[str] = []
        self.meta: dict[str, np.ndarray] = {}

    def set(self, rows: list[ChunkMeta], generation: int) -> None:
        self.model, self.generation = _build(rows), generation
        self.ids = [r.chunk_id for r in rows]
        self.meta = {
            "doc_id": np.array([r.doc_id for r in rows], dtype=object),
            "unit": np.array([r.unit or "" for r in rows], dtype=object),
            "doc_type": np.array([r.doc_type for r in rows], dtype=object),
            "year": np.array([r.year if r.year is not None else -1 for r in rows], dtype=np.int64),
        }

    def persist(self) -> None:
        """Write to a temp dir, then swap it in; a crash in between leaves no index (rebuilt
        on next use), never a half-written one."""
        self.directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".bm25-", dir=self.directory.parent))
        if self.model is not None:
            self.model.save(str(tmp), show_progress=False)
        stamp = {"generation": self.generation, "ids": self.ids,
                 "meta": {k: v.tolist() for k, v in self.meta.items()}}
        (tmp / _STAMP).write_text(json.dumps(stamp, ensure_ascii=False), encoding="utf-8")
        old = self.directory.with_name(self.directory.name + ".old")
        # another process (an ingest beside the review UI) may swap at the same moment
        with FileLock(self.directory.parent / ".bm25.lock"):
            shutil.rmtree(old, ignore_errors=True)
            if self.directory.exists():
                os.replace(self.directory, old)
            os.replace(tmp, self.directory)
            shutil.rmtree(old, ignore_errors=True)

    def load(self, generation: int) -> bool:
        try:
            stamp = json.loads((self.directory / _STAMP).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        if stamp.get("generation") != generation:
            return False
        ids = stamp["ids"]
        if ids:
            import bm25s

            self.model = bm25s.BM25.load(str(self.directory), show_progress=False)
        else:
            self.model = None
        self.generation, self.ids = generation, ids
        self.meta = {k: np.array(v, dtype=np.int64 if k == "year" else object) for k, v in stamp["meta"].items()}
        return True

    def mask(self, filters: Filters) -> np.ndarray | None:
        if filters.is_empty():
            return None
        mask = np.ones(len(self.ids), dtype=bool)
        if filters.unit is not None:
            mask &= self.meta["unit"] == filters.unit
        if filters.year is not None:
            mask &= self.meta["year"] == filters.year
        if filters.doc_types:
            mask &= np.isin(self.meta["doc_type"], list(filters.doc_types))
        if filters.doc_ids:
            mask &= np.isin(self.meta["doc_id"], list(filters.doc_ids))
        return mask


def _build(rows: list[ChunkMeta]) -> bm25s.BM25 | None:
    if not rows:
        return None
    import bm25s

    model = bm25s.BM25()
    # an empty token list would break bm25s' vocabulary; "" is its reserved empty token
    model.index([r.tokens or [""] for r in rows], show_progress=False)
    return model


class BM25Index:
    """The workspace's BM25 partitions: one per unit, one over everything (`ALL`)."""

    def __init__(self, directory: Path, db: WorkspaceDB):
        self.directory, self.db = directory, db
        self._parts: dict[str | None, _Partition] = {}
        self._lock = threading.RLock()  # UI threads share one index

    def _dir(self, unit: str | None) -> Path:
        if unit is ALL:
            return self.directory / "all"
        return self.directory / f"unit-{hashlib.sha256(unit.encode()).hexdigest()[:20]}"

    def _part(self, unit: str | None) -> _Partition:
        part = self._parts.pop(unit, None) or _Partition(self._dir(unit))
        self._parts[unit] = part  # most recently used last
        while len(self._parts) > _MAX_LOADED:
            self._parts.pop(next(iter(self._parts)))
        return part

    # --- build / load --------------------------------------------------------------------
    def ensure(self, unit: str | None = ALL) -> _Partition:
        """Make the partition match the workspace: load the persisted one if current, otherwise
        rebuild it from the stored tokens and persist."""
        with self._lock:
            part = self._part(unit)
            generation = self.db.generation(unit)
            if part.generation != generation and not part.load(generation):
                part.set(self.db.chunk_meta(unit), generation)
                part.persist()
            return part

    def rebuild(self, unit: str | None = ALL) -> None:
        with self._lock:
            part = self._part(unit)
            part.set(self.db.chunk_meta(unit), self.db.generation(unit))
            part.persist()

    # --- query ---------------------------------------------------------------------------
    def search(self, tokens: list[str], k: int, filters: Filters = NO_FILTERS) -> list[tuple[str, float]]:
        """Top-k (chunk_id, score) with a positive score, best first; a query naming a unit is
        answered by that unit's own index."""
        with self._lock:
            part = self.ensure(filters.unit)
            model, ids, mask = part.model, part.ids, part.mask(filters)
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
        return len(self.ensure().ids)
