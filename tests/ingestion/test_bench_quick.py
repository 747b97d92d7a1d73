"""`python -m bench --quick` runs end to end and prints the figures table."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_quick_bench_prints_one_table(tmp_path):
    out = subprocess.run([sys.executable, "-m", "bench", "--quick", "--out", str(tmp_path), "--json",
                          str(tmp_path / "figures.json")], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "性能基准" in out.stdout and "查询延迟" in out.stdout
    figures = {f["name"]: f for f in json.loads((tmp_path / "figures.json").read_text(encoding="utf-8"))}
    assert any(name.startswith("解析速度") for name in figures)
    bm25 = figures["查询延迟 p50 / p95：BM25"]
    assert bm25["ok"] is True
    assert figures["进程内存峰值（ru_maxrss）"]["ok"] is True
    assert len(list(tmp_path.glob("corpus-6x5/*.pdf"))) == 6
    assert figures["扫描页 OCR 文字还原度（与原文字层比，去空白）"]["value"] > 90  # OCR reported apart, and it reads
    assert figures["扫描页 OCR 速度（150 dpi 灰度，单进程）"]["value"] > 0
    # the rest of the project's benchmarks share the table (bench/__main__.py)
    assert figures["大模型预审：缓存重跑的调用次数"]["ok"] is True
    assert figures["同样 41 项缓存重跑"]["ok"] is True
    assert figures["决定写入：SQLite（WAL）（4 线程，含审计日志）"]["value"] > 0
    assert any(name.startswith("经界面 HTTP 接口并发复核") for name in figures)
