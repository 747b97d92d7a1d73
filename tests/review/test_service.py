"""ReviewService, the UI's operations without the UI: re-screening keeps decisions, conflicts, history, export."""

from __future__ import annotations

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
    assert [str(r.status) for r in results] == ["ok"]
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
