"""A material whose type the classifier is unsure of: the item is flagged for the reviewer (never a
silent "无相关材料"); the reviewer sets the type (CLI `--doc-type`, the UI's service, the workspace),
it is kept in the workspace, and the next screen reads the material as that type."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.review import baseline_finding
from core.document import DocType
from core.findings import Flag, Verdict
from indicators.catalog import load_catalog
from ingestion.parse import parse_file
from ingestion.workspace import Workspace
from review import present as P
from review.service import ReviewService
from tests.ingestion.makefiles import make_html

ROOT = Path(__file__).resolve().parents[2]
UNIT = "香河县交通运输局"
# a guide's content under a page title that names no guide, and too few guide cues to be sure
CHANNELS_PAGE = (
    "<p>现场申请：申请人可到香河县交通运输局办公室当面提交，地址：香河县运河大道18号，"
    "办公时间：工作日上午8:30-12:00。</p>"
    "<p>信函申请：邮寄至香河县运河大道18号，邮编：065400。</p>"
    "<p>网络申请：登录 www.xianghe.gov.cn 填写表格提交。</p>"
)


def channels_page(folder: Path, name: str = "办事.html") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return make_html(folder / name, "香河县交通运输局", CHANNELS_PAGE, nav=False)


def zwgk(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ZWGK_EMBEDDING_BACKEND": "none"}
    return subprocess.run([sys.executable, "-m", "zwgk", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=900)


def unit_of(key: str):
    return next(u for u in load_catalog("langfang-2023").scored_units() if u.key == key)


def test_the_page_is_an_uncertain_web_page(tmp_path):
    doc = parse_file(channels_page(tmp_path))
    assert doc.doc_type == DocType.web_page and doc.doc_type_uncertain


def test_no_evidence_with_an_uncertain_material_asks_the_reviewer(tmp_path):
    doc = parse_file(channels_page(tmp_path))
    unit = unit_of("2.1.1(2)")
    finding = baseline_finding(unit, [], [], {doc.doc_id: doc})
    assert finding.verdict == Verdict.insufficient_evidence and finding.suggested_points == 0
    assert Flag.doc_type_uncertain in finding.flags and Flag.needs_human in finding.flags
    assert Flag.no_evidence not in finding.flags
    assert "办事.html" in finding.rationale and "确认材料类型" in finding.rationale
    # the same material, typed by a person: certain, so the item is plainly without evidence
    sure = doc.model_copy(update={"doc_type_overridden": True, "doc_type_confidence": 1.0})
    plain = baseline_finding(unit, [], [], {sure.doc_id: sure})
    assert Flag.no_evidence in plain.flags and Flag.doc_type_uncertain not in plain.flags


def test_workspace_keeps_the_type_across_reopen_and_reingest(tmp_path):
    src = channels_page(tmp_path / "src")
    with Workspace(tmp_path / "ws") as ws:
        ws.ingest([src], unit=UNIT, progress=False)
        doc = ws.set_doc_type(UNIT, "办事.html", DocType.disclosure_guide)
        assert doc.doc_type_overridden and doc.doc_type_signals == ["人工指定"]
    with Workspace(tmp_path / "ws") as ws:
        [stored] = ws.documents(UNIT)
        assert stored.doc_type == DocType.disclosure_guide and stored.doc_type_confidence == 1.0
        assert {c.doc_type for c in ws.chunks(stored.doc_id)} == {DocType.disclosure_guide}
        assert ws.document_rows(UNIT)[0].doc_type == "disclosure_guide"
        hits = ws.search("信函申请 邮编", unit=UNIT, doc_types=[DocType.disclosure_guide])
        assert hits and hits[0].chunk.doc_type == DocType.disclosure_guide
        # changed content under the same name keeps the reviewer's type
        src.write_text(src.read_text(encoding="utf-8").replace("065400", "065401"), encoding="utf-8")
        os.utime(src, (1, 1))
        ws.ingest([src], unit=UNIT, progress=False)
        [again] = ws.documents(UNIT)
        assert again.doc_id != stored.doc_id and again.doc_type == DocType.disclosure_guide
        # back to the classifier
        back = ws.set_doc_type(UNIT, "办事.html", None)
        assert back.doc_type == DocType.web_page and not back.doc_type_overridden
        with pytest.raises(KeyError):
            ws.set_doc_type(UNIT, "没有这个文件.html", DocType.org_info)


def test_ingest_option(tmp_path):
    src = channels_page(tmp_path / "src")
    ws = tmp_path / "ws"
    proc = zwgk("ingest", str(src), "--workspace", str(ws), "--unit", UNIT, "--json",
                "--doc-type", "办事.html=政府信息公开指南")
    assert proc.returncode == 0, proc.stderr
    [doc] = json.loads(proc.stdout)["documents"]
    assert doc["doc_type"] == "disclosure_guide"
    bad = zwgk("ingest", str(src), "--workspace", str(ws), "--unit", UNIT, "--doc-type", "办事.html=guide")
    assert bad.returncode == 2 and "未知的材料类型" in bad.stderr
    missing = zwgk("ingest", str(src), "--workspace", str(ws), "--unit", UNIT, "--doc-type", "别的.html=org_info")
    assert missing.returncode == 1 and "别的.html" in missing.stderr


def _items(proc: subprocess.CompletedProcess) -> dict[str, dict]:
    assert proc.returncode == 0, proc.stderr[-3000:]
    [card] = json.loads(proc.stdout)["units"]
    return {it["id"] + (f"({it['sub']})" if it["sub"] else ""): it for it in card["items"]}


def test_screen_option_changes_the_next_screen(tmp_path):
    channels_page(tmp_path / "in" / UNIT)
    ws, out = tmp_path / "ws", tmp_path / "out"
    first = _items(zwgk("screen", str(tmp_path / "in"), "--workspace", str(ws), "--out", str(out), "--json",
                        "--quiet"))
    # the only material is an uncertain page: items it gives nothing to ask for its type, none is "无相关材料"
    assert any("doc_type_uncertain" in it["flags"] for it in first.values())
    assert not any("no_evidence" in it["flags"] for it in first.values())
    assert first["2.1.1(2)"]["source"] == "none"  # read as a web page: only the coverage fallback spoke
    second = _items(zwgk("screen", str(tmp_path / "in"), "--workspace", str(ws), "--out", str(out), "--json",
                         "--quiet", "--doc-type", f"{UNIT}/办事.html=disclosure_guide"))
    item = second["2.1.1(2)"]
    assert item["source"] == "rule"  # read as the guide: the guide rules decide
    assert "现场：" in item["rationale"] and any(c["file"] == "办事.html" for c in item["citations"])
    assert not any("doc_type_uncertain" in it["flags"] for it in second.values())


def test_review_service_sets_the_type_and_shows_it(tmp_path):
    service = ReviewService(tmp_path / "ws")
    try:
        service.upload(UNIT, [channels_page(tmp_path / "src")])
        [row] = P.material_rows(service.documents(UNIT))
        assert row[0] == "办事.html" and row[1] == "网页" and "待确认" in row[2]
        service.set_doc_type(UNIT, "办事.html", P.parse_doc_type("org_info"))
        [row] = P.material_rows(service.documents(UNIT))
        assert row[1] == "机构信息页面" and row[2] == "人工指定"
        assert P.parse_doc_type(P.AUTO_TYPE) is None
        assert ("政府信息公开指南", "disclosure_guide") in P.doc_type_choices()
    finally:
        service.close()


def test_page_kinds_count_where_an_item_is_assessed_on_web_pages(tmp_path):
    from assistant.review import split_by_evidence_type
    from ingestion.chunking import chunk_document

    doc = parse_file(make_html(tmp_path / "栏目.html", "法定主动公开内容", "<p>住房保障：2023年公租房分配结果公示。</p>"))
    doc = doc.model_copy(update={"doc_type": DocType.column_page})
    chunks = chunk_document(doc)
    assert chunks and all(c.doc_type == DocType.column_page for c in chunks)
    direct, context = split_by_evidence_type(unit_of("1.2.1(1)"), chunks)  # assessed on web pages
    assert direct == chunks and context == []
    direct, context = split_by_evidence_type(unit_of("2.1.2(1)"), chunks)  # assessed on replies
    assert direct == [] and context == chunks
