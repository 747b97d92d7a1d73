"""`zwgk ingest` per cli-contract.md: JSON alone on stdout, exit codes, failures on stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.ingestion.corpus import PASSAGES

ROOT = Path(__file__).resolve().parents[2]


def _zwgk(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, ZWGK_EMBEDDING_BACKEND="none")
    return subprocess.run([sys.executable, "-m", "zwgk", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_ingest_json_statuses_and_exit_codes(tmp_path):
    src = tmp_path / "永清县"
    (src / "子目录").mkdir(parents=True)
    (src / "公开指南.txt").write_text(PASSAGES[9][1], encoding="utf-8")
    (src / "子目录" / "答复书.txt").write_text(PASSAGES[0][1], encoding="utf-8")
    (src / "损坏.txt").write_bytes(bytes(range(256)) * 4)
    ws = tmp_path / "ws"

    first = _zwgk("ingest", str(src), "--workspace", str(ws), "--unit", "永清县", "--json")
    assert first.returncode == 1, first.stderr
    payload = json.loads(first.stdout)  # stdout is exactly one JSON document
    assert payload["workspace"] == str(ws.resolve())
    docs = {d["file"]: d for d in payload["documents"]}
    assert set(docs) == {"公开指南.txt", "子目录/答复书.txt", "损坏.txt"}
    for d in payload["documents"]:
        assert set(d) == {"file", "doc_id", "doc_type", "pages", "chunks", "status", "error"}
    assert docs["公开指南.txt"]["status"] == "ok" and docs["公开指南.txt"]["chunks"] >= 1
    assert docs["公开指南.txt"]["error"] is None and len(docs["公开指南.txt"]["doc_id"]) == 32
    assert docs["损坏.txt"]["status"] == "error" and docs["损坏.txt"]["doc_id"] is None and docs["损坏.txt"]["error"]
    failed_lines = [line for line in first.stderr.splitlines() if line.startswith("失败：")]
    assert len(failed_lines) == 1 and "损坏.txt" in failed_lines[0]
    assert "入库结果" in first.stderr and "共 3 个文件" in first.stderr

    (src / "损坏.txt").unlink()
    second = _zwgk("ingest", str(src), "--workspace", str(ws), "--unit", "永清县", "--json")
    assert second.returncode == 0, second.stderr
    assert {d["status"] for d in json.loads(second.stdout)["documents"]} == {"skipped"}

    plain = _zwgk("ingest", str(src / "公开指南.txt"), "--workspace", str(ws), "--unit", "永清县")
    assert plain.returncode == 0 and plain.stdout == ""


def test_bad_usage_exits_2(tmp_path):
    missing = _zwgk("ingest", str(tmp_path / "nope"), "--workspace", str(tmp_path / "ws"))
    assert missing.returncode == 2
    no_ws = _zwgk("ingest", str(tmp_path))
    assert no_ws.returncode == 2
    assert not (tmp_path / "ws").exists()
