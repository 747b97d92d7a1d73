"""Reviewer decisions teach the assistant: `zwgk agreement` figures, and `zwgk gold export` of a reviewed
unit fed to the eval harness reports the same agreement (issue 16, item 7)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from assistant.llm.backend import NoLLM
from core.findings import Citation, Verdict
from eval.gold import check_against_catalog, load_case, read_indicator_ids
from eval.harness import evaluate
from review.agreement import ReviewedItem, UnitReview, agreement, rule_rows
from review.present import key_of
from review.service import ReviewService
from review.store import Action
from zwgk.cli import main

REPO = Path(__file__).resolve().parents[2]
IDS = REPO / "indicators" / "catalogs" / "langfang-2023.ids.tsv"
UNIT = "大城县人民政府"
# the demo unit's generated materials (samplegen): DOCX annual reports, a PDF reply, an XLSX ledger;
# its screenshot is left out (OCR is slow and adds nothing here)
DEMO = REPO / "samples" / "demo" / UNIT


def _item(unit: str, key: str, assistant: tuple[Verdict, float], reviewer: tuple[Verdict, float],
          reason: str = "", rule_note: str = "", max_points: float = 2.0) -> ReviewedItem:
    iid, _, sub = key.partition("#")
    return ReviewedItem(
        unit=unit, year=2023, key=key, id=iid, sub=int(sub) if sub else None, label=key, max_points=max_points,
        assistant_verdict=assistant[0], assistant_points=assistant[1], reviewer_verdict=reviewer[0],
        reviewer_points=reviewer[1], overridden=bool(reason), reason=reason, reviewer="张三",
        rule_error=bool(rule_note), rule_note=rule_note,
        citations=[Citation(file="年报.pdf", page=2, start=0, end=6, quote="本年新收申请")] if rule_note else [],
    )


def test_agreement_figures_per_unit_indicator_and_item():
    met, part, no, ins = Verdict.met, Verdict.partial, Verdict.not_met, Verdict.insufficient_evidence
    a = [_item("甲", "1.1.9#1", (met, 1.0), (met, 1.0), max_points=1.0),
         _item("甲", "1.1.9#2", (part, 1.0), (met, 2.0), reason="附表齐全。", rule_note="表三合计行被当作缺项"),
         _item("甲", "5.1.2", (ins, 0.0), (no, 0.0), reason="台账未提供，按不符合计")]
    b = [_item("乙", "1.1.9#1", (met, 1.0), (no, 0.0), reason="发布晚于3月31日", max_points=1.0),
         _item("乙", "1.1.9#2", (met, 2.0), (part, 1.0), reason="附表齐全"),
         _item("乙", "5.1.2", (ins, 0.0), (no, 0.0), reason="台账未提供，按不符合计")]
    report = agreement([UnitReview(unit="甲", year=2023, total=3, items=a),
                        UnitReview(unit="乙", year=2023, total=4, items=b)])

    assert [(u.unit, u.reviewed, u.total) for u in report.units] == [("甲", 3, 3), ("乙", 3, 4)]
    o = report.overall
    assert (o.items, o.agreed, o.overrides, o.rule_errors) == (6, 1, 5, 1)
    assert o.verdict_agreement == pytest.approx(1 / 6)
    assert o.mean_abs_point_diff == pytest.approx((0 + 1 + 0 + 1 + 1 + 0) / 6)
    assert o.mean_point_diff == pytest.approx((0 + 1 + 0 - 1 - 1 + 0) / 6)
    # reasons counted without their trailing punctuation
    assert [(r.reason, r.count) for r in o.top_reasons] == [("附表齐全", 2), ("台账未提供，按不符合计", 2),
                                                             ("发布晚于3月31日", 1)]
    assert report.by_unit["甲"].verdict_agreement == pytest.approx(1 / 3)
    assert list(report.by_indicator) == ["1.1.9", "5.1.2"]
    assert report.by_indicator["1.1.9"].items == 4 and report.by_indicator["1.1.9"].agreed == 1
    assert list(report.by_item) == ["1.1.9#1", "1.1.9#2", "5.1.2"]
    item = report.by_item["1.1.9#2"]
    assert (item.items, item.overrides, item.override_rate, item.units_overridden) == (2, 2, 1.0, ["甲", "乙"])
    # where overrides cluster: the two items overridden in both units first (rule error breaks the tie)
    assert [c.key for c in report.clusters] == ["1.1.9#2", "5.1.2", "1.1.9#1"]
    [entry] = report.rule_errors
    assert (entry.unit, entry.key, entry.note, entry.file, entry.page, entry.quote) == (
        "甲", "1.1.9#2", "表三合计行被当作缺项", "年报.pdf", 2, "本年新收申请")
    assert rule_rows(report)[0][-1] == "年报.pdf 第2页：“本年新收申请”"
    assert agreement([]).overall.verdict_agreement is None  # nothing reviewed: no figure, not 0 or 1


@pytest.fixture(scope="module")
def screened(tmp_path_factory):
    """A workspace with the demo unit uploaded and pre-screened (no decisions yet)."""
    root = tmp_path_factory.mktemp("agree")
    files = [p for p in sorted(DEMO.iterdir()) if p.suffix != ".png"]
    service = ReviewService(root / "ws")
    results = service.upload(UNIT, files)
    assert [str(r.result.status) for r in results] == ["ok"] * len(files)
    service.prescreen(UNIT)
    service.close()
    return root / "ws"


def _cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_gold_export_of_a_reviewed_unit_evaluates_to_its_agreement(screened, tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(screened, ws)
    service = ReviewService(ws)
    try:
        sc = service.scorecard(UNIT)
        assert sc is not None and sc.year == 2023
        items = sc.items
        # a partly reviewed unit is not exported unless asked for
        service.decide(UNIT, key_of(items[0]), Action.confirm, reviewer="张三", expected_version=0)
        partial = _cli("gold", "export", "--workspace", str(ws), "--out", str(tmp_path / "p"), "--json")
        assert partial.exit_code == 1 and "未复核完毕" in partial.stderr
        assert json.loads(partial.stdout)["cases"] == []
        partial = _cli("gold", "export", "--workspace", str(ws), "--out", str(tmp_path / "p"), "--partial")
        assert partial.exit_code == 0
        assert [i.key for i in load_case(tmp_path / "p" / f"{UNIT}-2023").items] == [(items[0].id, items[0].sub)]

        # the review: overrides of each kind, a 规则有误 mark, everything else confirmed
        rest = items[1:]
        raised = next(i for i in rest if i.verdict == Verdict.partial)  # partial -> full points (met)
        lowered = next(i for i in rest if i.verdict == Verdict.met and i.max_points >= 1)  # met -> half (partial)
        failed = next(i for i in rest if i.verdict == Verdict.insufficient_evidence)  # 材料不足 -> 不符合 at 0
        overrides = {key_of(raised): (raised.max_points, "核对原件后附表齐全"),
                     key_of(lowered): (lowered.max_points / 2, "发布页面未见发布日期"),
                     key_of(failed): (0.0, "台账未提供，按不符合计")}
        for item in rest:
            key = key_of(item)
            if key in overrides:
                points, reason = overrides[key]
                service.decide(UNIT, key, Action.override, reviewer="李四", expected_version=0, points=points,
                               reason=reason)
            else:
                service.decide(UNIT, key, Action.confirm, reviewer="张三", expected_version=0)
        service.decide(UNIT, key_of(raised), Action.rule_error, reviewer="李四", expected_version=1,
                       reason="规则把附表标题当作缺项")
    finally:
        service.close()

    shown = _cli("agreement", "--workspace", str(ws), "--json")
    assert shown.exit_code == 0
    report = json.loads(shown.stdout)
    mine = report["by_unit"][UNIT]
    assert (mine["items"], mine["overrides"], mine["rule_errors"]) == (len(items), 3, 1)
    assert mine["agreed"] == len(items) - 3  # each override here changes the verdict
    rules = json.loads(_cli("agreement", "--workspace", str(ws), "--rules", "--json").stdout)["rule_errors"]
    assert [(r["unit"], r["key"], r["note"]) for r in rules] == [(UNIT, key_of(raised), "规则把附表标题当作缺项")]
    assert rules[0]["quote"] == (raised.citations[0].quote if raised.citations else "")

    out = tmp_path / "gold"
    exported = _cli("gold", "export", "--workspace", str(ws), "--out", str(out), "--json")
    assert exported.exit_code == 0, exported.stderr
    [case] = json.loads(exported.stdout)["cases"]
    folder = Path(case["path"])
    gold = load_case(folder, strict=True)  # the gold format exactly: no unknown keys, every cited file present
    assert check_against_catalog(gold, read_indicator_ids(IDS)) == []
    assert (gold.unit, gold.year, len(gold.items)) == (UNIT, 2023, len(items))
    assert sorted(p.name for p in (folder / "docs").iterdir()) == sorted(p.name for p in DEMO.iterdir()
                                                                         if p.suffix != ".png")
    by_key = {g.key: g for g in gold.items}
    g = by_key[(raised.id, raised.sub)]
    assert (g.points, g.verdict) == (raised.max_points, Verdict.met)
    assert "核对原件后附表齐全" in g.notes and "规则把附表标题当作缺项" in g.notes
    assert [(e.file, e.quote) for e in g.evidence] == [(c.file, c.quote) for c in raised.citations]
    assert by_key[(failed.id, failed.sub)].verdict == Verdict.not_met
    assert by_key[(lowered.id, lowered.sub)].verdict == Verdict.partial

    # the eval of the export reports the agreement `zwgk agreement` shows for the unit
    run = evaluate(out, tmp_path / "eval", NoLLM())
    m = run.metrics
    assert run.problems == []
    assert m["items"] == mine["items"]
    assert m["verdict_accuracy"] == pytest.approx(mine["verdict_agreement"], abs=1e-12)
    assert m["points_mae"] == pytest.approx(mine["mean_abs_point_diff"], abs=1e-12)
    for iid, figures in report["by_indicator"].items():
        assert m["by_indicator"][iid]["verdict_accuracy"] == pytest.approx(figures["verdict_agreement"], abs=1e-12)
        assert m["by_indicator"][iid]["points_mae"] == pytest.approx(figures["mean_abs_point_diff"], abs=1e-12)
    assert m["citation_verbatim"] in (None, 1.0)


def test_a_named_unit_that_was_never_screened_is_bad_usage(screened):
    result = _cli("gold", "export", "--workspace", str(screened), "--unit", "不存在的单位")
    assert result.exit_code == 2 and "没有单位“不存在的单位”" in result.stderr
    text = _cli("agreement", "--workspace", str(screened))
    assert text.exit_code == 0 and "尚无复核决定" in text.stdout


def test_gold_yaml_is_plain_yaml_with_ids_as_text(screened, tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(screened, ws)
    service = ReviewService(ws)
    try:
        item = next(i for i in service.scorecard(UNIT).items if i.id == "3.1")
        service.decide(UNIT, key_of(item), Action.confirm, reviewer="张三", expected_version=0)
    finally:
        service.close()
    assert _cli("gold", "export", "--workspace", str(ws), "--out", str(tmp_path / "g"), "--partial").exit_code == 0
    raw = yaml.safe_load((tmp_path / "g" / f"{UNIT}-2023" / "gold.yaml").read_text(encoding="utf-8"))
    assert raw["items"][0]["id"] == "3.1"  # quoted: never the float 3.1
