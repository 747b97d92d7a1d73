"""The hybrid index of one workspace: BM25 (always) + dense vectors (when embedded), fused by RRF.

Ingestion stores chunks and refreshes BM25 at once; dense vectors are computed only on request
(`embed_pending`, `zwgk ingest --embed`, or settings.dense_in_screen), and a query uses the dense
ranking only for chunks that already have vectors. Chroma stays behind `ingestion.index.dense`,
which is imported only when dense retrieval is actually used.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from core.document import Chunk, DocType
from core.settings import Settings
from ingestion.embeddings import Embedder, resolve_embedder
from ingestion.index.bm25 import BM25Index, Filters
from ingestion.index.fusion import RRF_K, rrf
from ingestion.store import WorkspaceDB
from ingestion.tokenize import query_tokens, tokenizer_identity

if TYPE_CHECKING:
    from ingestion.index.dense import DenseIndex

log = logging.getLogger(__name__)

__all__ = ["Filters", "Hit", "HybridIndex"]

_UNSET: Any = object()


class Hit(BaseModel):
    chunk: Chunk
    score: float  # fused RRF score (BM25-only: RRF of the BM25 rank alone)
    bm25_rank: int | None = None  # 1-based; None = not among the BM25 candidates
    dense_rank: int | None = None
    bm25_score: float | None = None
    dense_score: float | None = None  # cosine similarity; compressed for E5, compare ranks only


@functools.cache
def _version(package: str) -> str:
    return version(package)


class HybridIndex:
    def __init__(self, workspace: Path, db: WorkspaceDB, settings: Settings, embedder: Embedder | None = _UNSET):
        self.workspace, self.db, self.settings = workspace, db, settings
        self.bm25 = BM25Index(workspace / "bm25", db)
        self._embedder = embedder
        self._dense: DenseIndex | None = None

    # --- dense side (lazy) ---------------------------------------------------------------
    @property
    def embedder(self) -> Embedder | None:
        if self._embedder is _UNSET:
            self._embedder = resolve_embedder(self.settings)
        return self._embedder

    def _dense_store_exists(self) -> bool:
        return bool(self.settings.chroma_host) or (self.workspace / "chroma").is_dir()

    def identity(self) -> str:
        """What retrieval's answers depend on besides the documents and the query, read without loading a model:
        the BM25 library and tokenizer, and the dense side when it is configured and a vector store exists. The
        review fingerprints include it: switching dense retrieval on, or to another model, reviews again."""
        parts = [f"bm25s {_version('bm25s')}", f"tokens {tokenizer_identity()}"]
        s = self.settings
        if s.embedding_backend != "none" and self._dense_store_exists():
            parts.append(f"dense {s.embedding_backend} {s.embedding_model or '-'} {s.chroma_host or 'local'}")
        return "; ".join(parts)

    def dense(self, create: bool = False) -> DenseIndex | None:
        """The Chroma side; None without an embedder, or when nothing was ever embedded and
        `create` is False (so BM25-only workspaces never start Chroma)."""
        if self._dense is None and self.embedder is not None and (create or self._dense_store_exists()):
            from ingestion.index.dense import DenseIndex

            self._dense = DenseIndex(self.workspace, self.embedder, self.settings)
        return self._dense

    # --- maintenance ---------------------------------------------------------------------
    def refresh(self, units: Iterable[str | None] = ()) -> None:
        """Bring the BM25 indexes of these units up to date (after an ingest batch); the others,
        and the one over the whole workspace, follow on their next query."""
        for unit in dict.fromkeys(units):
            if unit:
                self.bm25.ensure(unit)

    def remove(self, chunk_ids: list[str]) -> None:
        """Drop removed chunks from Chroma; BM25 follows the store's generation by itself."""
        dense = self.dense()
        if chunk_ids and dense is not None:
            dense.delete(chunk_ids)

    def embed_pending(self, progress: Callable[[int], None] | None = None,
                      on_total: Callable[[int], None] | None = None) -> int:
        """Give every stored chunk a vector (cached by content hash); drop vectors of chunks
        that no longer exist (left behind by an interrupted ingest). Returns texts embedded."""
        dense = self.dense(create=True)
        if dense is None:
            return 0
        have = dense.ids()
        rows = self.db.chunk_texts()
        stored = {cid for cid, _, _ in rows}
        orphans = sorted(have - stored)
        if orphans:
            dense.delete(orphans)
        todo = [r for r in rows if r[0] not in have]
        if on_total:
            on_total(len(todo))
        if not todo:
            return 0
        chunks = self.db.chunks_by_id([cid for cid, _, _ in todo])
        items = [(cid, h, text, chunk_metadata(chunks[cid], h)) for cid, h, text in todo]
        return dense.add(items, progress)

    # --- query ---------------------------------------------------------------------------
    def search(
        self,
        query: str,
        *,
        unit: str | None = None,
        year: int | None = None,
        doc_types: list[DocType] | list[str] | None = None,
        doc_ids: list[str] | None = None,
        k: int = 8,
        candidates: int = 50,
        use_dense: bool = True,
    ) -> list[Hit]:
        filters = Filters(
            unit=unit, year=year,
            doc_types=tuple(str(t) for t in doc_types) if doc_types else None,
            doc_ids=tuple(doc_ids) if doc_ids else None,
        )
        n = max(k, candidates)
        bm25 = self.bm25.search(query_tokens(query), n, filters)
        dense_hits: list[tuple[str, float]] = []
        dense = self.dense() if use_dense else None
        if dense is not None:
            dense_hits = dense.search(query, n, filters)
        fused = rrf([[cid for cid, _ in bm25], [cid for cid, _ in dense_hits]], k=RRF_K)[: k * 2]
        chunks = self.db.chunks_by_id([cid for cid, _ in fused])  # ids of vanished chunks drop out
        bm25_pos = {cid: (i + 1, s) for i, (cid, s) in enumerate(bm25)}
        dense_pos = {cid: (i + 1, s) for i, (cid, s) in enumerate(dense_hits)}
        hits: list[Hit] = []
        for cid, score in fused:
            if cid not in chunks:
                continue
            b, d = bm25_pos.get(cid), dense_pos.get(cid)
            hits.append(Hit(chunk=chunks[cid], score=score, bm25_rank=b and b[0], bm25_score=b and b[1],
                            dense_rank=d and d[0], dense_score=d and d[1]))
            if len(hits) == k:
                break
        return hits

    def close(self) -> None:
        if self._dense is not None:
            self._dense.close()


def chunk_metadata(chunk: Chunk, content_hash: str) -> dict[str, Any]:
    """Chroma metadata of a chunk (None values are left out: Chroma stores no nulls)."""
    meta: dict[str, Any] = {"doc_id": chunk.doc_id, "doc_type": str(chunk.doc_type), "content_hash": content_hash}
    if chunk.unit:
        meta["unit"] = chunk.unit
    if chunk.year is not None:
        meta["year"] = chunk.year
    return meta
