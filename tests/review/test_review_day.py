"""A reviewer's day on a real demo unit, without the browser: the queue's bulk confirmation, and the one
total (suggested, confirmed, overridden) that the header, 总览, scorecard.xlsx, summary.xlsx and the docx
all show, also through `zwgk export` from the same workspace."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from docx import Document as Docx

from core.findings import Flag, Source
from review import present as P
from review.service import BULK_REASON, ReviewService
from review.store import Action
from tests.assistant.test_export import evaluate

ROOT = Path(__file__).resolve().parents[2]
UNIT = "香河县人民政府"
DEMO = ROOT / "samples" / "demo" / UNIT


@pytest.fixture(scope="module")
def screened(tmp_path_factory) -> Path:
    """The demo unit's materials (its screenshot aside: OCR is slow), ingested and pre-screened once."""
    ws = tmp_path_factory.mktemp("day") / "ws"
    service = ReviewService(ws)
    try:
        service.upload(UNIT, [p for p in sorted(DEMO.iterdir()) if p.suffix != ".png"])
        service.prescreen(UNIT)
    finally:
        service.close()
    return ws


@pytest.fixture
def service(screened, tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(screened, ws)
    s = ReviewService(ws)
    yield s
    s.close()


def test_bulk_confirm_takes_rule_decided_cited_items_and_audits_each(service):
    sc = service.scorecard(UNIT)
    picked = service.bulk_candidates(UNIT)
    assert len(picked) >= 3, "the demo's rules decide several items with citations"
    for item in picked:
        assert item.source in (Source.rule, Source.rule_llm) and any(c.doc_id for c in item.citations)
        assert Flag.needs_human not in item.flags and not item.decided
    left = [i for i in sc.items if P.key_of(i) not in {P.key_of(p) for p in picked}]
    assert any(i.source == Source.none for i in left) and any(Flag.needs_human in i.flags for i in left)
    first, rest = picked[0], picked[1:]
    service.decide(UNIT, P.key_of(first), Action.comment, reviewer="李四", expected_version=0, comment="待核")
    outcome = service.bulk_confirm(UNIT, [(P.key_of(i), 0) for i in picked], reviewer="张三")
    assert outcome.stale == [P.key_of(first)]  # changed after the dialog was shown: left as it is
    assert outcome.saved == [P.key_of(i) for i in rest]
    decisions = service.decisions(UNIT)
    assert decisions[P.key_of(first)].status == "pending"
    for item in rest:
        d = decisions[P.key_of(item)]
        assert (d.status, d.points, d.reviewer, d.version) == ("confirmed", item.suggested_points, "张三", 1)
        (entry,) = service.history(UNIT, P.key_of(item))  # one audit entry per item, like a single confirm
        assert (entry.action, entry.reviewer, entry.reason) == (Action.confirm, "张三", BULK_REASON)
    assert [P.key_of(i) for i in service.bulk_candidates(UNIT)] == [P.key_of(first)]
    assert service.scorecard(UNIT).totals().decided == len(rest)
    assert service.store.integrity_ok()


def _numbers(text: str, label: str) -> float:
    return float(re.search(label + r"\s*(\d+(?:\.\d+)?)", text).group(1))


def test_one_total_everywhere_with_overrides(service, tmp_path):
    sc = service.scorecard(UNIT)
    up = next(i for i in sc.items if i.max_points - i.suggested_points >= 1 and i.step == 0.5)
    down = next(i for i in sc.items if i.suggested_points >= 1 and i is not up)
    confirmed = next(i for i in sc.items if i not in (up, down) and i.suggested_points > 0)
    service.decide(UNIT, P.key_of(up), Action.override, reviewer="张三", expected_version=0,
                   points=up.suggested_points + 1.0, reason="补充材料后认定")
    service.decide(UNIT, P.key_of(down), Action.override, reviewer="李四", expected_version=0,
                   points=down.suggested_points - 0.5, reason="原文不完整")
    service.decide(UNIT, P.key_of(confirmed), Action.confirm, reviewer="张三", expected_version=0)
    expected = round(sc.total_suggested + 1.0 - 0.5, 1)

    now = service.scorecard(UNIT)  # overrides count the moment they are saved
    t = now.totals()
    assert (t.reviewed, t.decided, t.suggested) == (expected, 3, sc.total_suggested)
    # 1. the UI header: the progress line and the level table's 合计
    assert P.progress_line(now) == f"已审 3/{len(sc.items)}，剩余 {len(sc.items) - 3}，预计总分 {expected:.1f}"
    assert f"| **合计** | **100.0** | **{sc.total_suggested:.1f}** | **{expected:.1f}** |" in P.totals_markdown(now)
    # 2. 总览
    (row,) = P.overview_rows([now], {UNIT: service.decisions(UNIT)})
    assert row[P.OVERVIEW_HEADERS.index("复核后得分")] == f"{expected:.1f}" and row[5] == f"3/{len(sc.items)}"
    # 3. the unit's score sheet: the formulas add up to it, and the line under the table says it
    paths = service.export(UNIT, "张三")
    ws = openpyxl.load_workbook(paths["xlsx"]).active
    total_row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == "合计")
    assert evaluate(ws, f"H{total_row}") == pytest.approx(expected)
    assert _numbers(ws.cell(total_row + 2, 1).value, "复核后总分") == expected
    # 4. the summary across units
    summary = openpyxl.load_workbook(service.export_summary("张三"))["汇总排名"]
    header = [c.value for c in summary[1]]
    assert summary.cell(2, header.index("复核后总分") + 1).value == expected
    assert summary.cell(2, header.index("已复核") + 1).value == f"3/{len(sc.items)}"
    # 5. the Word findings
    text = "\n".join(p.text for p in Docx(paths["docx"]).paragraphs)
    assert _numbers(text, "复核后总分") == expected
    assert "复核人：张三、李四" in text

    # the same workspace through the command line: `zwgk export` writes the contract's names with the decisions
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "zwgk", "export", "--workspace", str(service.ws.path),
                           "--out", str(out), "--reviewer", "王五"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    ws = openpyxl.load_workbook(out / UNIT / "scorecard.xlsx").active
    assert _numbers(ws.cell(total_row + 2, 1).value, "复核后总分") == expected
    assert "复核人：王五、张三、李四" in ws.cell(total_row + 1, 1).value
    assert openpyxl.load_workbook(out / "summary.xlsx")["汇总排名"].cell(2, header.index("复核后总分") + 1).value \
        == expected
    assert (out / UNIT / "findings.docx").is_file() and (out / UNIT / "scorecard.json").is_file()


def test_a_rescreen_on_the_command_line_marks_changed_suggestions(service):
    """`zwgk screen` writes the same result row the UI reads; decisions it cannot reach are marked when the
    unit is next opened (or exported), and kept as decided."""
    sc = service.scorecard(UNIT)
    item = next(i for i in sc.items if i.suggested_points >= 1)
    key = P.key_of(item)
    service.decide(UNIT, key, Action.confirm, reviewer="张三", expected_version=0)
    year, findings = service.checkpoints.result(UNIT, service.catalog_id)
    changed = [f.model_copy(update={"suggested_points": f.suggested_points - 0.5})
               if (f.indicator_id, f.sub) == item.key else f for f in findings]
    service.checkpoints.save_result(UNIT, service.catalog_id, year, changed)  # as a CLI re-run writes it
    assert service.scorecard(UNIT).totals().suggested == round(sc.total_suggested - 0.5, 1)  # read at once
    assert service.sync_suggestions(UNIT) == [key]
    d = service.decisions(UNIT)[key]
    assert (d.status, d.points, d.suggestion_changed) == ("confirmed", item.suggested_points, True)
    assert service.sync_suggestions(UNIT) == []  # marked once
    assert service.history(UNIT, key)[-1].reason == f"建议分由 {item.suggested_points:.1f} 变为 " \
                                                      f"{item.suggested_points - 0.5:.1f}"
