"""Dense vectors in Chroma. The only module of the project that imports chromadb.

- Our `Embedder` is wrapped as a chromadb EmbeddingFunction and passed on EVERY collection
  fetch: without it Chroma silently substitutes its default function, which downloads an ONNX
  model on first use and fails offline (stack-notes.md §2c).
- One collection per embedder name (cosine space), so vectors of different models never mix.
- Vectors are also cached by chunk content hash in WS/vector_cache.db: re-ingesting a changed
  file re-embeds only its changed chunks, and a replaced document's vectors survive its removal
  from Chroma.
- `settings.chroma_host` selects a Chroma server (HttpClient); everything else is the same.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from chromadb import Documents, EmbeddingFunction, Embeddings

from core.settings import Settings
from core.sqlite import enable_wal
from ingestion.embeddings import Embedder
from ingestion.index.bm25 import NO_FILTERS, Filters

EMBED_BATCH = 16


_EMBEDDERS: dict[str, Embedder] = {}  # by name: lets Chroma rebuild an adapter from its stored config


class ChromaEmbeddingFunction(EmbeddingFunction[Documents]):
    """Adapter: chromadb's embedding-function protocol over our Embedder."""

    def __init__(self, embedder: Embedder):
        self.embedder = embedder
        _EMBEDDERS[embedder.name] = embedder

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.embedder.embed_documents(list(input)))

    def embed_query(self, input: Documents) -> Embeddings:
        return [self.embedder.embed_query(text) for text in input]

    @staticmethod
    def name() -> str:
        return "zwgk-embedder"

    def get_config(self) -> dict[str, Any]:
        return {"embedder": self.embedder.name}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ChromaEmbeddingFunction:
        name = config.get("embedder", "")
        if name not in _EMBEDDERS:
            raise ValueError(f"embedder {name!r} is not loaded in this process; open the collection with it")
        return ChromaEmbeddingFunction(_EMBEDDERS[name])

    def default_space(self) -> str:
        return "cosine"


class VectorCache:
    """content hash -> vector, per embedder name (SQLite, WAL)."""

    def __init__(self, path: Path):
        self._conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        enable_wal(self._conn)
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, content_hash TEXT NOT NULL, "
            "vector BLOB NOT NULL, PRIMARY KEY (model, content_hash))"
        )

    def get(self, model: str, hashes: list[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for i in range(0, len(hashes), 500):
            part = hashes[i : i + 500]
            rows = self._conn.execute(
                f"SELECT content_hash, vector FROM vectors WHERE model=? AND content_hash IN "
                f"({','.join('?' * len(part))})", [model, *part],
            )
            out.update((h, np.frombuffer(v, dtype=np.float32)) for h, v in rows)
        return out

    def put(self, model: str, items: dict[str, np.ndarray]) -> None:
        self._conn.execute("BEGIN")
        self._conn.executemany(
            "INSERT OR REPLACE INTO vectors (model, content_hash, vector) VALUES (?,?,?)",
            [(model, h, np.asarray(v, dtype=np.float32).tobytes()) for h, v in items.items()],
        )
        self._conn.execute("COMMIT")

    def close(self) -> None:
        self._conn.close()


def make_client(workspace: Path, settings: Settings):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
    return chromadb.PersistentClient(path=str(workspace / "chroma"), settings=chroma_settings)


def collection_name(embedder: Embedder, workspace: Path, remote: bool) -> str:
    """[a-zA-Z0-9._-]{3,512}; on a shared server the workspace is part of the name."""
    name = f"chunks-{embedder.name}"
    if remote:
        name += "-" + hashlib.sha256(str(workspace.resolve()).encode()).hexdigest()[:10]
    return name


def _where(filters: Filters) -> dict[str, Any] | None:
    clauses: list[dict[str, Any]] = []
    if filters.unit is not None:
        clauses.append({"unit": filters.unit})
    if filters.year is not None:
        clauses.append({"year": filters.year})
    if filters.doc_types:
        clauses.append({"doc_type": {"$in": list(filters.doc_types)}})
    if filters.doc_ids:
        clauses.append({"doc_id": {"$in": list(filters.doc_ids)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class DenseIndex:
    def __init__(self, workspace: Path, embedder: Embedder, settings: Settings):
        self.embedder = embedder
        self._client = make_client(workspace, settings)
        self._ef = ChromaEmbeddingFunction(embedder)
        self._collection = self._client.get_or_create_collection(
            collection_name(embedder, workspace, remote=bool(settings.chroma_host)),
            embedding_function=self._ef,
            metadata={"hnsw:space": "cosine"},
        )
        self._cache = VectorCache(workspace / "vector_cache.db")

    def ids(self) -> set[str]:
        return set(self._collection.get(include=[])["ids"])

    def count(self) -> int:
        return self._collection.count()

    def add(
        self,
        chunks: list[tuple[str, str, str, dict[str, Any]]],
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Embed and store (chunk_id, content_hash, text, metadata) items; returns how many
        texts were actually embedded (the rest came from the cache)."""
        embedded = 0
        for i in range(0, len(chunks), EMBED_BATCH):
            batch = chunks[i : i + EMBED_BATCH]
            cached = self._cache.get(self.embedder.name, [h for _, h, _, _ in batch])
            todo = {h: text for _, h, text, _ in batch if h not in cached}
            if todo:
                vectors = self.embedder.embed_documents(list(todo.values()))
                fresh = dict(zip(todo, vectors, strict=True))
                self._cache.put(self.embedder.name, fresh)
                cached.update(fresh)
                embedded += len(todo)
            self._collection.upsert(
                ids=[cid for cid, _, _, _ in batch],
                embeddings=[cached[h] for _, h, _, _ in batch],
                metadatas=[meta for _, _, _, meta in batch],
            )
            if progress:
                progress(len(batch))
        return embedded

    def delete(self, chunk_ids: list[str]) -> None:
        for i in range(0, len(chunk_ids), 1000):
            self._collection.delete(ids=chunk_ids[i : i + 1000])

    def search(self, query: str, k: int, filters: Filters = NO_FILTERS) -> list[tuple[str, float]]:
        """Top-k (chunk_id, cosine similarity) among chunks that have vectors."""
        n = self.count()
        if n == 0:
            return []
        result = self._collection.query(
            query_embeddings=[self.embedder.embed_query(query)],
            n_results=min(k, n),
            where=_where(filters),
            include=["distances"],
        )
        return [(cid, 1.0 - float(d)) for cid, d in zip(result["ids"][0], result["distances"][0], strict=True)]

    def close(self) -> None:
        self._cache.close()
