"""The evaluation harness on a tiny sample set built here: metrics by hand, outputs, --json, --compare, leniency."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.llm.backend import NoLLM
from assistant.scorecard import Scorecard, ScoreItem
from core.findings import Citation, Verdict
from eval.compare import compare_metrics, gate_regressions
from eval.harness import evaluate, write_outputs
from tests.docbuilder import cite_quote
from zwgk.cli import main

REPLY = """文安县人民政府
政府信息公开申请答复书
文政公开〔2023〕5号
张某某：
本机关于2023年3月1日收到您通过网络提交的政府信息公开申请，申请获取文安县2022年度财政预算执行情况。
经审查，您申请的信息属于主动公开范围，根据《中华人民共和国政府信息公开条例》第三十六条第（一）项的规定，现告知您获取该信息的方式和途径：文安县人民政府门户网站“财政信息”栏目。
如对本答复不服，可以自收到本答复之日起六十日内向廊坊市人民政府申请行政复议，或者在六个月内向文安县人民法院提起行政诉讼。
文安县人民政府
2023年3月15日
"""

REPLY_GOLD = """case: wenan-2023-reply
catalog: langfang-2023
unit: 文安县人民政府
year: 2023
reviewer: 张三            # not in the gold format: kept as a warning, the case still runs
items:
  - id: "2.1.2"
    sub: 1
    points: 2.0
    verdict: met
    evidence:
      - file: 答复书.txt
        quote: "本机关于2023年3月1日收到您通过网络提交的政府信息公开申请"
      - file: 答复书.txt
        quote: "2023年3月15日"
  - id: "5.2.1"
    points: 0
    verdict: insufficient_evidence
"""

NODOCS_GOLD = """case: yongqing-2023-nodocs
catalog: langfang-2023
unit: 永清县人民政府
year: 2023
items:
  - id: "1.1.2"
    points: 2.0
    verdict: met
"""

GOLD_FORMAT_KEYS = {"cases", "items", "verdict_accuracy", "verdict_kappa", "points_mae", "total_abs_error",
                    "citation_precision", "citation_recall", "citation_verbatim", "abstention_rate", "seconds"}


def build_samples(root: Path) -> Path:
    samples = root / "samples"
    reply = samples / "wenan-2023-reply"
    (reply / "docs").mkdir(parents=True)
    (reply / "docs" / "答复书.txt").write_text(REPLY, encoding="utf-8")
    (reply / "gold.yaml").write_text(REPLY_GOLD, encoding="utf-8")
    nodocs = samples / "yongqing-2023-nodocs"  # a case without docs/: reported, evaluated against nothing
    nodocs.mkdir()
    (nodocs / "gold.yaml").write_text(NODOCS_GOLD, encoding="utf-8")
    return samples


class ScriptedReviewer:
    """Stands in for the assistant with fixed answers, so that every figure can be worked out by hand."""

    def __init__(self, workspace, catalog, catalog_id, backend):
        self.workspace, self.catalog_id = workspace, catalog_id

    def review(self, unit, year=None, on_item=None, only=None):
        docs = self.workspace.documents(unit)
        items = []
        if docs:
            doc = docs[0]
            real = cite_quote(doc, "本机关于2023年3月1日收到您通过网络提交的政府信息公开申请，申请获取")
            invented = Citation(file=doc.file, doc_id=doc.doc_id, start=0, end=9, quote="编造的引文不在材料中")
            items.append(ScoreItem(id="2.1.2", sub=1, name="依申请公开办理", max_points=2.0, suggested_points=1.0,
                                   verdict=Verdict.partial, citations=[real, invented], rationale="按时，要素不全。"))
            items.append(ScoreItem(id="5.2.1", name="政务新媒体备案", max_points=1.0, suggested_points=0.0,
                                   verdict=Verdict.insufficient_evidence))
        else:
            items.append(ScoreItem(id="1.1.2", name="机构信息", max_points=2.0, suggested_points=0.0,
                                   verdict=Verdict.insufficient_evidence))
        return Scorecard.build(unit, self.catalog_id, year, items)


@pytest.fixture(scope="module")
def scripted(tmp_path_factory):
    root = tmp_path_factory.mktemp("harness")
    samples = build_samples(root)
    run = evaluate(samples, root / "out", NoLLM(), reviewer_factory=ScriptedReviewer)
    paths = write_outputs(run, root / "out")
    return samples, run, paths


def test_metrics_match_the_hand_computation(scripted):
    _, _, paths = scripted
    m = json.loads(paths["metrics"].read_text(encoding="utf-8"))
    assert set(m) >= GOLD_FORMAT_KEYS and {"by_indicator", "by_doc_type", "verdict_confusion", "per_case"} <= set(m)
    # gold met/insufficient/met against partial/insufficient/insufficient
    assert (m["cases"], m["items"], m["missing_items"]) == (2, 3, 0)
    assert m["verdict_accuracy"] == pytest.approx(1 / 3)
    # O: (met,partial) (ins,ins) (met,ins) 1/3 each -> sum wO = 0.5/3 + 1/3 = 0.5
    # E: rows met 2/3, ins 1/3; cols partial 1/3, ins 2/3 -> 2/3*1/3*0.5 + 2/3*2/3 + 1/3*1/3 = 2/3
    assert m["verdict_kappa"] == pytest.approx(1 - 0.5 / (2 / 3))
    assert m["points_mae"] == pytest.approx((1.0 + 0.0 + 2.0) / 3)
    assert m["total_abs_error"] == pytest.approx((abs(2.0 - 1.0) + abs(2.0 - 0.0)) / 2)
    # only 2.1.2/1 has gold evidence: 1 of its 2 citations overlaps a gold quote; 1 of 2 gold quotes is hit
    assert m["citation_precision"] == pytest.approx(0.5)
    assert m["citation_recall"] == pytest.approx(0.5)
    assert m["citation_verbatim"] == pytest.approx(0.5)  # the invented quote is not in the document
    assert m["abstention_rate"] == pytest.approx(2 / 3)
    assert m["verdict_confusion"]["met"] == {"met": 0, "partial": 1, "not_met": 0, "insufficient_evidence": 1}
    assert set(m["by_indicator"]) == {"1.1.2", "2.1.2", "5.2.1"}
    assert m["by_indicator"]["2.1.2"]["points_mae"] == pytest.approx(1.0)
    assert m["by_doc_type"]["unknown"]["items"] == 1  # the case without documents
    assert sum(g["items"] for g in m["by_doc_type"].values()) == 3
    assert m["seconds"] > 0 and m["llm"] == "none" and m["problems"] == []


def test_per_case_records_and_leniency(scripted):
    _, run, _ = scripted
    by_case = {c.case: c for c in run.cases}
    reply, nodocs = by_case["wenan-2023-reply"], by_case["yongqing-2023-nodocs"]
    assert (reply.status, reply.documents, reply.correct, reply.gold_points, reply.suggested_points) == \
        ("ok", 1, 1, 2.0, 1.0)
    assert any("reviewer" in w for w in reply.warnings)
    assert nodocs.status == "ok" and nodocs.documents == 0
    assert any("缺少 docs/" in w for w in nodocs.warnings)
    assert not run.failed  # warnings are not failures


def test_report_chart_and_items(scripted):
    _, _, paths = scripted
    assert paths["chart"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and paths["chart"].stat().st_size > 10_000
    report = paths["report"].read_text(encoding="utf-8")
    for part in ("# 评测报告（离线）", "## 判定对照（行：人工，列：助手）", "| 符合 | 0 | 1 | 0 | 1 |",
                 "![每项分值误差", "## 各样例", "| wenan-2023-reply | 文安县人民政府 | 2023 | 2 | 1 | 2.0 | 1.0 |",
                 "## 误差最大的评分项（人工与助手对照）", "| 人工评分 | 助手建议 |", "编造的引文不在材料中",
                 "## 问题与警告", "缺少 docs/"):
        assert part in report, part
    # the worst item comes first: 1.1.2 of the case without documents, 2.0 points off
    worst = report.split("## 误差最大的评分项")[1]
    assert worst.index("yongqing-2023-nodocs") < worst.index("wenan-2023-reply")
    items = json.loads(paths["items"].read_text(encoding="utf-8"))
    assert [(i["case"], i["id"], i["points_error"]) for i in items] == [
        ("wenan-2023-reply", "2.1.2", -1.0), ("wenan-2023-reply", "5.2.1", 0.0), ("yongqing-2023-nodocs", "1.1.2", -2.0)]


def test_compare_flags_a_regression(scripted, tmp_path):
    _, run, _ = scripted
    old = json.loads(json.dumps(run.metrics))
    old["verdict_accuracy"], old["points_mae"], old["citation_recall"] = 0.9, 0.1, 0.25  # recall is better now
    old["by_indicator"]["2.1.2"]["points_mae"] = 0.0
    cmp = compare_metrics(old, run.metrics)
    worse = {(d.scope, d.key) for d in cmp.regressions}
    assert worse == {("", "verdict_accuracy"), ("", "points_mae"), ("指标 2.1.2", "points_mae")}
    assert gate_regressions(old, run.metrics) == [
        f"verdict_accuracy 变差：基线 0.9，本次 {run.metrics['verdict_accuracy']}",
        f"points_mae 变差：基线 0.1，本次 {run.metrics['points_mae']}"]
    assert compare_metrics(run.metrics, run.metrics).regressions == []
    # a figure the old run lacked (baseline.json holds only the gated three) is neither better nor worse
    partial = compare_metrics({"verdict_accuracy": run.metrics["verdict_accuracy"]}, run.metrics)
    assert not any(d.worse or d.better for d in partial.overall)
    paths = write_outputs(run, tmp_path / "out", old)
    report = paths["report"].read_text(encoding="utf-8")
    section = report.split("## 与上次评测对比")[1].split("\n## ")[0]
    assert "| 判定准确率 | 90.0% | 33.3% | -56.7个百分点 | **▼ 变差** |" in section
    assert "| 引文召回率 | 25.0% | 50.0% | +25.0个百分点 | ▲ 改善 |" in section
    assert "| 指标 2.1.2 | 每项分值平均绝对误差 | 0.00分 | 1.00分 | **+1.00分** |" in section
    assert "| 评分项数 | 3 | 3 | +0 |  |" in section
    assert "共 3 处变差。" in section


def test_gate_tolerance_is_float_noise_only():
    base = {"verdict_accuracy": 0.5, "citation_verbatim": 1.0, "points_mae": 0.25}
    assert gate_regressions(base, {**base, "verdict_accuracy": 0.5 - 1e-12}) == []
    assert gate_regressions(base, {**base, "verdict_accuracy": 0.5 - 1e-6}) != []
    assert gate_regressions(base, {**base, "points_mae": 0.25 + 1e-6}) != []
    assert gate_regressions(base, {**base, "citation_verbatim": None}) != []  # no citations at all is worse
    assert gate_regressions(base, {"verdict_accuracy": 0.6, "citation_verbatim": 1.0, "points_mae": 0.2}) == []


def invoke(*args: str):
    return CliRunner().invoke(main, ["eval", *args], catch_exceptions=False)


def test_cli_json_prints_exactly_the_metrics_with_the_real_assistant(tmp_path, monkeypatch):
    monkeypatch.setenv("ZWGK_EMBEDDING_BACKEND", "none")
    samples = build_samples(tmp_path)
    out = tmp_path / "out"
    result = invoke(str(samples), "--out", str(out), "--json")
    assert result.exit_code == 0, result.stderr
    metrics = json.loads(result.stdout)  # one JSON document and nothing else on stdout
    assert result.stdout.strip().count("\n") == 0
    assert metrics == json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert set(metrics) >= GOLD_FORMAT_KEYS and metrics["items"] == 3
    card = json.loads((out / "cases" / "yongqing-2023-nodocs" / "scorecard.json").read_text(encoding="utf-8"))
    nodocs = next(i for i in card["items"] if i["id"] == "1.1.2")
    assert (nodocs["verdict"], nodocs["suggested_points"]) == ("insufficient_evidence", 0.0)
    # the assistant only shows verified citations: all are verbatim (None when it cited nothing)
    assert metrics["citation_verbatim"] in (None, 1.0)
    assert "wenan-2023-reply" in result.stderr and "判定准确率" in result.stderr

    # --compare against a better earlier run: the report marks it, stderr counts it
    old = {**metrics, "verdict_accuracy": 1.0, "points_mae": 0.0}
    (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
    result = invoke(str(samples), "--out", str(out), "--compare", str(tmp_path / "old.json"), "--reuse")
    assert result.exit_code == 0 and result.stdout == ""
    assert "处变差" in result.stderr and "verdict_accuracy" in result.stderr
    assert "**▼ 变差**" in (out / "report.md").read_text(encoding="utf-8")


def test_unreadable_case_is_reported_and_the_rest_still_runs(tmp_path):
    samples = build_samples(tmp_path)
    broken = samples / "dacheng-2023-broken"
    (broken / "docs").mkdir(parents=True)
    (broken / "gold.yaml").write_text("case: dacheng-2023-broken\nitems: [\n", encoding="utf-8")
    (samples / "wenan-2023-reply" / "docs" / "空白.txt").write_bytes(b"")  # a file no parser accepts
    for extra in ([], ["--reuse"]):  # a reused workspace still reports its failed file
        result = invoke(str(samples), "--out", str(tmp_path / "out"), "--json", *extra)
        assert result.exit_code == 1
        metrics = json.loads(result.stdout)
        assert metrics["cases"] == 2 and metrics["items"] == 3
        assert "失败：样例 dacheng-2023-broken 未评测" in result.stderr
        assert "失败：样例 wenan-2023-reply 文件解析失败：空白.txt" in result.stderr
        assert [c["status"] for c in metrics["per_case"]] == ["skipped", "ok", "ok"]


def test_reuse_keeps_ingested_documents_only_while_the_files_are_unchanged(tmp_path):
    samples = build_samples(tmp_path)
    out = tmp_path / "out"
    evaluate(samples, out, NoLLM(), reviewer_factory=ScriptedReviewer)
    stored = out / "cases" / "wenan-2023-reply" / "workspace" / "documents"
    first = {p.name for p in stored.iterdir()}
    evaluate(samples, out, NoLLM(), reviewer_factory=ScriptedReviewer, reuse=True)
    assert {p.name for p in stored.iterdir()} == first
    doc = samples / "wenan-2023-reply" / "docs" / "答复书.txt"
    doc.write_text(REPLY.replace("六十日", "60日"), encoding="utf-8")
    run = evaluate(samples, out, NoLLM(), reviewer_factory=ScriptedReviewer, reuse=True)
    assert {p.name for p in stored.iterdir()} != first  # changed evidence: a fresh workspace
    assert run.cases[0].documents == 1


def test_bad_compare_file_and_missing_samples_exit_2(tmp_path):
    samples = build_samples(tmp_path)
    (tmp_path / "old.json").write_text("[1, 2]", encoding="utf-8")
    assert invoke(str(samples), "--out", str(tmp_path / "o"), "--compare", str(tmp_path / "old.json")).exit_code == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert invoke(str(empty), "--out", str(tmp_path / "o")).exit_code == 2
    assert invoke(str(samples), "--out", str(tmp_path / "o"), "--catalog", "no-such-catalog").exit_code == 2


def test_a_case_with_an_unknown_catalog_fails_alone(tmp_path):
    samples = build_samples(tmp_path)
    gold = samples / "wenan-2023-reply" / "gold.yaml"
    gold.write_text(gold.read_text(encoding="utf-8").replace("langfang-2023", "no-such-catalog"), encoding="utf-8")
    run = evaluate(samples, tmp_path / "out", NoLLM(), reviewer_factory=ScriptedReviewer)
    by_case = {c.case: c for c in run.cases}
    assert by_case["wenan-2023-reply"].status == "failed" and by_case["yongqing-2023-nodocs"].status == "ok"
    assert run.metrics["missing_items"] == 2 and run.metrics["items"] == 3
    assert any("wenan-2023-reply" in p and "指标目录" in p for p in run.problems)
