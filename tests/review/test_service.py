"""ReviewService, the UI's operations without the UI: re-screening keeps decisions, conflicts, history, export."""

from __future__ import annotations

import re

import openpyxl
import pytest

from review.present import key_of
from review.service import ReviewService
from review.store import Action, StaleDecision

UNIT = "固安县人民政府"
NOTICE = "固安县人民政府办公室关于做好政务公开工作的通知\n各乡镇人民政府：请认真做好政务公开工作。\n"
REPORT = """固安县人民政府2023年政府信息公开工作年度报告
本报告根据《中华人民共和国政府信息公开条例》编制。本年度报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。
一、总体情况
2023年，固安县人民政府全年主动公开政府信息1520条，其中政策文件18件，政策解读12篇，召开新闻发布会5场。
（一）主动公开。全年对拟公开信息开展保密审查1900余次。
（二）依申请公开。全年收到政府信息公开申请40件。
（三）政府信息管理。全年制发行政规范性文件4件，废止1件。
（四）政府信息公开平台建设。在政府门户网站设置“政府信息公开”专栏。
（五）监督保障。将政务公开工作纳入全县综合考核，举办培训2期，培训120人次。
二、主动公开政府信息情况
行政规范性文件 4 1 30
行政许可 980
行政处罚 210
三、收到和处理政府信息公开申请情况
四、政府信息公开行政复议、行政诉讼情况
五、存在的主要问题及改进情况
六、其他需要报告的事项
全年承办县人大代表建议21件、县政协委员提案30件，均按期办结。
"""


@pytest.fixture
def service(tmp_path):
    s = ReviewService(tmp_path / "ws")
    yield s
    s.close()


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_rescreen_keeps_decisions_and_marks_changed_suggestions(service, tmp_path):
    results = service.upload(UNIT, [_write(tmp_path, "通知.txt", NOTICE)])
    assert [str(u.result.status) for u in results] == ["ok"]
    first = service.prescreen(UNIT, 2023)
    for item in first.items:  # a reviewer confirms everything the assistant suggested
        service.decide(UNIT, key_of(item), Action.confirm, reviewer="张三", expected_version=0)
    service.upload(UNIT, [_write(tmp_path, "年报.txt", REPORT)])
    second = service.prescreen(UNIT, 2023)

    decisions = service.decisions(UNIT)
    old = {key_of(i): i.suggested_points for i in first.items}
    changed = {key_of(i) for i in second.items if abs(i.suggested_points - old[key_of(i)]) > 1e-9}
    assert changed, "the annual report should change some suggestions"
    for item in second.items:
        d = decisions[key_of(item)]
        assert (d.status, d.points, d.reviewer) == ("confirmed", old[key_of(item)], "张三")  # kept as decided
        assert d.suggestion_changed == (key_of(item) in changed)
    key = next(iter(changed))
    assert "建议分由" in service.history(UNIT, key)[-1].reason
    # confirming again accepts the new suggestion and clears the mark
    item = next(i for i in second.items if key_of(i) == key)
    d = service.decide(UNIT, key, Action.confirm, reviewer="张三", expected_version=decisions[key].version)
    assert (d.points, d.suggestion_changed) == (item.suggested_points, False)


def test_stale_override_history_and_export(service, tmp_path):
    service.upload(UNIT, [_write(tmp_path, "年报.txt", REPORT)])
    sc = service.prescreen(UNIT, 2023)
    item = next(i for i in sc.items if i.max_points >= 2)
    key = key_of(item)
    service.decide(UNIT, key, Action.confirm, reviewer="张三", expected_version=0)
    with pytest.raises(StaleDecision) as exc:  # 李四 still saw version 0
        service.decide(UNIT, key, Action.override, reviewer="李四", expected_version=0, points=0.0, reason="未见原件")
    assert exc.value.current.reviewer == "张三" and exc.value.current.status == "confirmed"
    new = round(item.max_points - 0.5, 1)
    service.decide(UNIT, key, Action.override, reviewer="李四", expected_version=1, points=new, reason="原文已核实",
                   comment="请科室复核")
    history = service.history(UNIT, key)
    assert [(e.action, e.reviewer) for e in history] == [(Action.confirm, "张三"), (Action.override, "李四")]
    assert history[1].old["points"] == item.suggested_points and history[1].new["points"] == new

    paths = service.export(UNIT)
    cells = [str(v) for row in openpyxl.load_workbook(paths["xlsx"]).active.iter_rows(values_only=True)
             for v in row if v is not None]
    assert any("原文已核实" in v for v in cells) and any("请科室复核" in v for v in cells)
    assert service.units() == [UNIT]
    # confirming the suggestion after an override drops the override's reason
    d = service.decide(UNIT, key, Action.confirm, reviewer="张三", expected_version=2)
    assert (d.status, d.points, d.reason, d.comment) == ("confirmed", item.suggested_points, "", "请科室复核")


def test_current_result_lives_in_screen_db_and_survives_a_restart(tmp_path):
    from assistant.checkpoints import CheckpointStore

    first = ReviewService(tmp_path / "ws")
    try:
        first.upload(UNIT, [_write(tmp_path, "年报.txt", REPORT)])
        sc = first.prescreen(UNIT, 2023)
        first.chat(UNIT, "年度报告是否按时发布？")  # one item reviewed again: not a new current result
    finally:
        first.close()
    store = CheckpointStore(tmp_path / "ws" / "screen.db")
    try:
        year, findings = store.result(UNIT, "langfang-2023")
    finally:
        store.close()
    assert year == 2023 and findings == sc.findings()
    assert not (tmp_path / "ws" / "scorecards").exists()  # no second copy of the result
    again = ReviewService(tmp_path / "ws")
    try:
        assert again.units() == [UNIT]
        assert again.scorecard(UNIT).model_dump() == sc.model_dump()
    finally:
        again.close()


def test_a_result_of_an_older_workspace_is_still_read(tmp_path):
    """Workspaces written before screen.db's `results` kept each unit's findings in scorecards/<unit>.json."""
    import json

    from core.findings import Finding, Source, Verdict

    done = Finding(indicator_id="1.1.9", sub=2, name="政府信息公开年度报告", max_points=2.0, verdict=Verdict.partial,
                   suggested_points=1.5, source=Source.rule, confidence=0.9)
    (tmp_path / "ws" / "scorecards").mkdir(parents=True)
    (tmp_path / "ws" / "scorecards" / f"{UNIT}.json").write_text(json.dumps(
        {"unit": UNIT, "catalog": "langfang-2023", "year": 2023, "findings": [done.model_dump(mode="json")]},
        ensure_ascii=False), encoding="utf-8")
    service = ReviewService(tmp_path / "ws")
    try:
        assert service.units() == [UNIT]
        sc = service.scorecard(UNIT)
        assert sc.year == 2023 and sc.total_max == 100.0 and sc.total_suggested == 1.5
        assert next(i for i in sc.items if (i.id, i.sub) == ("1.1.9", 2)).to_finding() == done
    finally:
        service.close()


def test_points_off_the_catalog_step_are_refused_not_rounded(service, tmp_path):
    from review.store import DecisionError

    service.upload(UNIT, [_write(tmp_path, "年报.txt", REPORT)])
    sc = service.prescreen(UNIT, 2023)
    halves = next(i for i in sc.items if i.step == 0.5 and i.max_points >= 3)
    tenths = next(i for i in sc.items if i.step == 0.1 and i.max_points >= 1)  # 0.1 deducted per event
    with pytest.raises(DecisionError, match=re.escape("须为 0.5 分的整数倍：2.05 不符合，请填写 2.0 或 2.5")):
        service.decide(UNIT, key_of(halves), Action.override, reviewer="张三", expected_version=0, points=2.05,
                       reason="核减")
    with pytest.raises(DecisionError, match=re.escape("须为 0.5 分的整数倍")):
        service.decide(UNIT, key_of(halves), Action.override, reviewer="张三", expected_version=0, points=2.9,
                       reason="核减")
    assert service.decisions(UNIT) == {} and service.history(UNIT, key_of(halves)) == []  # nothing saved
    d = service.decide(UNIT, key_of(halves), Action.override, reviewer="张三", expected_version=0, points=2.5,
                       reason="核减")
    assert d.points == 2.5
    d = service.decide(UNIT, key_of(tenths), Action.override, reviewer="张三", expected_version=0,
                       points=round(tenths.max_points - 0.1, 1), reason="通报一次")
    assert d.points == round(tenths.max_points - 0.1, 1)


def test_uploads_keep_a_safe_name_keep_both_and_refuse_a_false_type(service, tmp_path):
    (tmp_path / "a").mkdir()
    first = _write(tmp_path, "a/通知.txt", NOTICE)
    (up,) = service.upload(UNIT, [first], ["../../etc/通知.txt"])
    assert (up.result.file, str(up.result.status)) == ("通知.txt", "ok")
    assert "已改为“通知.txt”" in up.note
    (again,) = service.upload(UNIT, [first], ["通知.txt"])  # the same content again: nothing new
    assert (again.result.file, str(again.result.status), again.note) == ("通知.txt", "skipped", "")
    (tmp_path / "b").mkdir()
    other = _write(tmp_path, "b/通知.txt", NOTICE + "第二版。\n")
    (kept,) = service.upload(UNIT, [other])
    assert kept.result.file == "通知（2）.txt" and str(kept.result.status) == "ok"
    assert "已有同名材料“通知.txt”，本文件另存为“通知（2）.txt”，两份均保留" in kept.note
    fake = _write(tmp_path, "passwd.pdf", "root:x:0:0:root:/root:/bin/bash\n")
    (refused,) = service.upload(UNIT, [fake], ["../../etc/passwd.pdf"])
    assert (refused.result.file, str(refused.result.status)) == ("passwd.pdf", "error")
    assert refused.result.error.startswith("文件内容与扩展名不符：扩展名 .pdf 表示PDF文件，实际内容是纯文本")
    assert sorted(d.file for d in service.documents(UNIT)) == ["通知.txt", "通知（2）.txt"]
    assert not list(service.ws.path.glob(".upload-*"))  # the staging copies are gone


def test_exports_are_named_by_unit_and_date_and_name_the_reviewer(service, tmp_path):
    from docx import Document as Docx

    service.upload(UNIT, [_write(tmp_path, "年报.txt", REPORT)])
    sc = service.prescreen(UNIT, 2023)
    service.decide(UNIT, key_of(sc.items[0]), Action.confirm, reviewer="李四", expected_version=0)
    paths = service.export(UNIT, "张三")
    today = paths["xlsx"].name.removeprefix(f"{UNIT}-考核打分表-").removesuffix(".xlsx")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", today)
    assert paths["docx"].name == f"{UNIT}-审查意见-{today}.docx"
    y, m, d = (int(x) for x in today.split("-"))
    line = f"被考核单位：{UNIT}　复核人：张三、李四　导出日期：{y}年{m}月{d}日"
    cells = [c for row in openpyxl.load_workbook(paths["xlsx"]).active.iter_rows(values_only=True) for c in row]
    assert line in cells
    assert line in [p.text for p in Docx(paths["docx"]).paragraphs]
    assert service.export_summary("张三").name == f"考核汇总表-{today}.xlsx"
