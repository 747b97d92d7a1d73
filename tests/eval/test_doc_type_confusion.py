"""gold.yaml `documents: [{file, type}]`: loaded (strict too), and `zwgk eval` reports the confusion of
document-type classification (gold type vs classified type) in metrics.json and report.md, beside the
per-type and per-indicator figures it always had."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.llm.backend import NoLLM
from eval.gold import GoldError, load_case
from eval.harness import evaluate, write_outputs
from eval.metrics import doc_type_confusion
from tests.ingestion.makefiles import make_html

GOLD = """case: {case}
catalog: langfang-2023
unit: 香河县人民政府
year: 2023
documents:
{documents}
items:
  - id: "2.1.1"
    sub: 2
    points: 0
    verdict: insufficient_evidence
"""
GUIDE = ("<p>（一）受理机构：香河县人民政府办公室。办公地址：香河县新华大街100号。邮政编码：065400。</p>"
         "<p>（二）申请的提出。申请人可通过当面、信函、网络等方式提出申请。</p>")


def write_case(root: Path, case: str, documents: str, files: dict[str, tuple[str, str]]) -> Path:
    folder = root / case
    (folder / "docs").mkdir(parents=True)
    for name, (title, body) in files.items():
        make_html(folder / "docs" / name, title, body)
    (folder / "gold.yaml").write_text(GOLD.format(case=case, documents=documents), encoding="utf-8")
    return folder


def test_documents_load_strictly_and_bad_ones_are_named(tmp_path):
    ok = write_case(tmp_path, "a", "  - file: 指南.html\n    type: disclosure_guide",
                    {"指南.html": ("香河县人民政府信息公开指南", GUIDE)})
    case = load_case(ok, strict=True)
    assert [(d.file, d.type) for d in case.documents] == [("指南.html", "disclosure_guide")]
    bad = write_case(tmp_path, "b", "  - file: 指南.html\n    type: guide\n  - file: 没有.html\n    type: org_info",
                     {"指南.html": ("香河县人民政府信息公开指南", GUIDE)})
    lenient = load_case(bad)
    assert any("不是已知的材料类型" in w for w in lenient.warnings)
    assert any("docs/没有.html 不存在" in w for w in lenient.warnings)
    with pytest.raises(GoldError, match="guide"):
        load_case(bad, strict=True)
    extra = write_case(tmp_path, "c", "  - file: 指南.html\n    type: disclosure_guide\n    reviewer: 张三",
                       {"指南.html": ("香河县人民政府信息公开指南", GUIDE)})
    with pytest.raises(GoldError, match=r"documents\[1\]\.reviewer"):
        load_case(extra, strict=True)


def test_confusion_by_hand():
    records = [{"case": "a", "file": "1", "gold": "disclosure_guide", "got": "disclosure_guide", "confidence": 0.8},
               {"case": "a", "file": "2", "gold": "disclosure_guide", "got": "web_page", "confidence": 0.3},
               {"case": "b", "file": "3", "gold": "org_info", "got": "missing", "confidence": None}]
    out = doc_type_confusion(records)
    assert out["files"] == 3 and out["accuracy"] == round(1 / 3, 4)
    assert out["matrix"] == {"disclosure_guide": {"disclosure_guide": 1, "web_page": 1}, "org_info": {"missing": 1}}
    assert [w["file"] for w in out["misclassified"]] == ["2", "3"]


def test_eval_reports_the_confusion(tmp_path, monkeypatch):
    monkeypatch.setenv("ZWGK_EMBEDDING_BACKEND", "none")
    samples = tmp_path / "samples"
    write_case(samples, "xianghe-guide",
               "  - file: 指南.html\n    type: disclosure_guide\n  - file: 页面.html\n    type: org_info",
               {"指南.html": ("香河县人民政府信息公开指南", GUIDE), "页面.html": ("通知公告", "<p>欢迎访问。</p>")})
    run = evaluate(samples, tmp_path / "out", NoLLM())
    write_outputs(run, tmp_path / "out")
    metrics = json.loads((tmp_path / "out" / "metrics.json").read_text(encoding="utf-8"))
    confusion = metrics["doc_type_confusion"]
    assert confusion["matrix"] == {"disclosure_guide": {"disclosure_guide": 1}, "org_info": {"web_page": 1}}
    assert confusion["accuracy"] == 0.5
    [wrong] = confusion["misclassified"]
    assert wrong["case"] == "xianghe-guide" and wrong["file"] == "页面.html" and wrong["confidence"] < 0.5
    assert metrics["by_doc_type"] and metrics["by_indicator"]  # kept as they were
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "材料类型识别" in report and "《页面.html》：人工标注机构信息页面，助手识别为网页" in report
