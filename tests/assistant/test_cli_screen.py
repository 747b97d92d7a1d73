"""`zwgk screen` and `zwgk chat` as a user runs them (subprocess), on the bundled demo units."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from docx import Document as Docx

from core.textnorm import normalize
from ingestion.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "samples" / "demo"
ITEM_KEYS = {"id", "sub", "name", "max_points", "suggested_points", "verdict", "citations", "rationale",
             "source", "flags"}


def zwgk(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "ZWGK_EMBEDDING_BACKEND": "none"}
    proc = subprocess.run([sys.executable, "-m", "zwgk", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\nstdout:{proc.stdout[-2000:]}\nstderr:{proc.stderr[-4000:]}")
    return proc


@pytest.fixture(scope="module")
def screened(tmp_path_factory):
    base = tmp_path_factory.mktemp("screen")
    ws, out = base / "ws", base / "out"
    proc = zwgk("screen", str(DEMO), "--workspace", str(ws), "--out", str(out), "--json")
    return ws, out, json.loads(proc.stdout), proc


@pytest.mark.slow
def test_screen_writes_contract_json_and_all_exports(screened):
    _, out, data, _ = screened
    units = sorted(p.name for p in DEMO.iterdir() if p.is_dir())
    assert sorted(sc["unit"] for sc in data["units"]) == units
    for sc in data["units"]:
        assert set(sc) == {"unit", "catalog", "year", "total_max", "total_suggested", "items"}
        assert sc["total_max"] == 100 and sc["catalog"] == "langfang-2023"
        assert len(sc["items"]) == 63
        for item in sc["items"]:
            assert set(item) == ITEM_KEYS
            assert item["verdict"] in {"met", "partial", "not_met", "insufficient_evidence"}
            assert 0 <= item["suggested_points"] <= item["max_points"]
            for c in item["citations"]:
                assert set(c) == {"file", "page", "start", "end", "quote"}
        unit_dir = out / sc["unit"]
        assert json.loads((unit_dir / "scorecard.json").read_text(encoding="utf-8")) == sc
        sheet = openpyxl.load_workbook(unit_dir / "scorecard.xlsx").active
        texts = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
        assert "建议得分" in texts and "复核得分" in texts
        assert any(p.text for p in Docx(unit_dir / "findings.docx").paragraphs)
    assert (out / "summary.xlsx").is_file()


@pytest.mark.slow
def test_every_citation_in_every_scorecard_is_verbatim_at_its_offsets(screened):
    ws_path, _, data, _ = screened
    with Workspace(ws_path) as ws:
        for sc in data["units"]:
            docs = {d.file: d for d in ws.documents(sc["unit"])}
            for item in sc["items"]:
                for c in item["citations"]:
                    doc = docs[c["file"]]
                    assert normalize(doc.text[c["start"]:c["end"]]) == normalize(c["quote"]), (item["id"], c)
                    if c["page"] is not None:
                        assert doc.page_of(c["start"]) == c["page"]


@pytest.mark.slow
def test_rerun_reuses_work_and_gives_the_same_result(screened):
    ws, out, data, _ = screened
    # an unchanged re-run ends about when the parse workers it warmed up are starting: it must wait for them,
    # neither hang in the executor's exit handler nor leave a half-started worker printing a traceback
    for _ in range(4):
        proc = zwgk("screen", str(DEMO), "--workspace", str(ws), "--out", str(out), "--json")
        assert json.loads(proc.stdout) == data
        assert "Traceback" not in proc.stderr, proc.stderr[-3000:]


@pytest.mark.slow
def test_chat_answers_an_item_question_with_verified_citations(screened):
    ws, _, data, _ = screened
    unit = data["units"][0]["unit"]
    proc = zwgk("chat", "这份年报是否符合统一格式？", "--workspace", str(ws), "--unit", unit, "--json")
    answer = json.loads(proc.stdout)
    assert answer["indicator"] == "1.1.9"
    assert answer["answer"]
    bad = zwgk("chat", "问题", "--workspace", str(ws), "--unit", "不存在的单位", check=False)
    assert bad.returncode == 2 and "不存在的单位" in bad.stderr


def test_unknown_catalog_exits_2(tmp_path):
    (tmp_path / "u").mkdir()
    proc = zwgk("screen", str(tmp_path), "--workspace", str(tmp_path / "ws"), "--catalog", "nope", check=False)
    assert proc.returncode == 2


def test_a_long_ranking_prints_its_top_and_bottom_and_points_to_the_workbook(capsys):
    from assistant.cli import SUMMARY_HEAD, SUMMARY_TAIL, _print_summary
    from assistant.scorecard import Scorecard
    from core.findings import Finding, Verdict
    from indicators.catalog import load_catalog

    catalog = load_catalog("langfang-2023")
    su = next(u for u in catalog.scored_units() if u.max_points >= 3.5)  # 35 distinct totals, 0.0 to 3.4
    cards = [Scorecard.from_findings(catalog, f"单位{n:02d}", 2023, [Finding(
        indicator_id=su.id, sub=su.sub, name=su.name, max_points=su.max_points, verdict=Verdict.partial,
        suggested_points=round(n * 0.1, 1), rationale="测试")]) for n in range(35)]
    _print_summary(cards)
    err = capsys.readouterr().err
    shown = [f"单位{n:02d}" for n in range(35) if f"单位{n:02d}" in err]
    # ranked by total, highest first: units 34..15 are the top twenty, 9..0 the bottom ten
    assert shown == [f"单位{n:02d}" for n in sorted([*range(35 - SUMMARY_HEAD, 35), *range(SUMMARY_TAIL)])]
    assert "其余5个单位见汇总表" in err
    _print_summary(cards[:SUMMARY_HEAD + SUMMARY_TAIL])  # short enough: every unit
    err = capsys.readouterr().err
    assert all(f"单位{n:02d}" in err for n in range(SUMMARY_HEAD + SUMMARY_TAIL)) and "其余" not in err
