"""What the screens show: Chinese dates and points, row colours, live level totals, decision history."""

from __future__ import annotations

import re

from assistant.scorecard import ReviewDecision, Scorecard, ScoreItem
from core.findings import Citation, Flag, Verdict
from review import present as P
from review.store import Action, AuditEntry, Decision


def _card() -> Scorecard:
    items = [
        ScoreItem(id="1.1.2", name="机构信息公开", max_points=2, suggested_points=1.5, verdict=Verdict.partial,
                  level1="主动公开", flags=[Flag.low_confidence]),
        ScoreItem(id="1.1.9", sub=1, name="年度报告公开", max_points=1, suggested_points=1, verdict=Verdict.met,
                  level1="主动公开", flags=[Flag.low_confidence, Flag.needs_human],
                  citations=[Citation(file="年报.pdf", doc_id="d1", page=2, start=10, end=20, quote="一、总体情况")]),
        ScoreItem(id="2.1.2", sub=1, name="答复规范", max_points=2, suggested_points=0, verdict=Verdict.not_met,
                  level1="依申请公开"),
    ]
    return Scorecard.build("香河县人民政府", "langfang-2023", 2023, items)


def _decision(item: str, status: str, points: float, **kw) -> Decision:
    return Decision(unit="香河县人民政府", catalog="langfang-2023", item=item, status=status, points=points,
                    version=1, reviewer="张三", updated_at="2023-01-31T02:05:00+00:00", **kw)


def test_dates_and_points_in_chinese():
    assert P.time_cn("2023-01-31T02:05:00+00:00") == "2023年1月31日 10:05"  # Beijing time
    assert P.time_cn("2023-01-31T17:00:00+00:00") == "2023年2月1日 01:00"
    assert P.pts(2) == "2.0" and P.pts(None) == "—"


def test_rows_statuses_and_needs_human_first():
    sc = _card()
    decisions = {"1.1.2": _decision("1.1.2", "overridden", 1.0, reason="未公开领导分工")}
    rows, statuses = P.scorecard_rows(sc, decisions)
    assert statuses == ["overridden", "attention", "pending"]
    assert rows[0][:6] == ["1.1.2", "主动公开", "机构信息公开", "2.0", "1.5", "1.0"] and rows[0][7] == "已改分"
    assert rows[1][0] == "1.1.9（1）" and rows[1][8].startswith("需人工复核")
    assert rows[2][5] == "" and rows[2][6] == "不符合"


def _with(sc: Scorecard, decisions: dict[str, Decision]) -> Scorecard:
    """The scorecard as ReviewService.scorecard gives it: the decisions attached to their items."""
    return sc.with_decisions(ReviewDecision(id=k.partition("#")[0], sub=int(k.partition("#")[2] or 0) or None,
                                            confirmed_points=d.points, reviewer=d.reviewer)
                             for k, d in decisions.items() if P.decided(d))


def test_level_totals_follow_decisions():
    sc = _card()
    assert P.totals_markdown(sc).count("| 主动公开 | 3.0 | 2.5 | 2.5 |") == 1
    assert P.progress_line(sc) == "已审 0/3，剩余 3，预计总分 2.5"
    decisions = {"1.1.2": _decision("1.1.2", "overridden", 1.0), "2.1.2#1": _decision("2.1.2#1", "confirmed", 0.0)}
    md = P.totals_markdown(_with(sc, decisions))
    assert "| 主动公开 | 3.0 | 2.5 | 2.0 |" in md and "| 依申请公开 | 2.0 | 0.0 | 0.0 |" in md
    assert "已复核 2/3 项" in md and "需人工复核 1 项" in md and "| **合计** | **5.0** | **2.5** | **2.0** |" in md
    assert P.progress_line(_with(sc, decisions)) == "已审 2/3，剩余 1，预计总分 2.0"
    every = {**decisions, "1.1.9#1": _decision("1.1.9#1", "confirmed", 1.0)}
    assert P.progress_line(_with(sc, every)) == "已审 3/3，全部已审，预计总分 2.0"


def test_the_queue_moves_to_the_next_unreviewed_item():
    sc = _card()
    decisions = {"1.1.9#1": _decision("1.1.9#1", "confirmed", 1.0)}
    assert P.next_pending(sc, decisions) == "1.1.2"
    assert P.next_pending(sc, decisions, after="1.1.2") == "2.1.2#1"  # skips the decided 1.1.9（1）
    assert P.next_pending(sc, decisions, after="2.1.2#1") == "1.1.2"  # wraps round
    everything = {k: _decision(k, "confirmed", 0.0) for k in ("1.1.2", "1.1.9#1", "2.1.2#1")}
    assert P.next_pending(sc, everything) is None
    shown = P.shown_keys(sc, decisions, "待复核")
    assert shown == ["1.1.2", "2.1.2#1"]
    assert P.step_key(shown, "1.1.2", +1) == "2.1.2#1" and P.step_key(shown, "2.1.2#1", +1) == "2.1.2#1"
    assert P.step_key(shown, "1.1.2", -1) == "1.1.2" and P.step_key(shown, "1.1.9#1", -1) == "2.1.2#1"
    assert P.step_key([], None, +1) is None


def test_bulk_dialog_lists_each_item():
    sc = _card()
    md = P.bulk_markdown([sc.items[0], sc.items[1]])
    assert "将按建议得分确认以下 2 项（合计 2.5 分）" in md
    assert "| 1.1.9（1） | 年度报告公开 | 1.0 | 符合 | 1 |" in md
    assert P.bulk_markdown([]).startswith("没有可批量确认的项")


def test_item_view_and_citations():
    sc = _card()
    item = sc.items[1]
    md = P.item_markdown(item, _decision("1.1.9#1", "confirmed", 1.0, suggestion_changed=True))
    assert "1.1.9（1） 年度报告公开（满分 1.0 分）" in md and "需人工复核" in md and "2023年1月31日 10:05" in md
    assert "建议得分已变化" in md
    (label, value), = P.citation_choices(item.citations)
    assert label == "[1] 年报.pdf 第2页：“一、总体情况”" and P.parse_citation_value(value) == ("d1", 10, 20)


def test_history_lists_old_and_new_with_reason():
    entries = [
        AuditEntry(seq=1, at="2023-01-31T02:05:00+00:00", reviewer="张三", unit="u", catalog="c", item="1.1.2",
                   action=Action.confirm, old=None, new={"points": 1.5}),
        AuditEntry(seq=2, at="2023-02-01T03:00:00+00:00", reviewer="李四", unit="u", catalog="c", item="1.1.2",
                   action=Action.override, old={"points": 1.5}, new={"points": 1.0}, reason="未公开领导分工"),
    ]
    md = P.history_markdown(entries)
    lines = md.splitlines()
    assert "李四 | 改分 | 1.5 → 1.0 分 | 未公开领导分工" in lines[4]  # newest first
    assert "2023年1月31日 10:05 | 张三 | 确认 | — → 1.5 分" in lines[5]
    assert P.history_markdown([]) == "**复核记录：** 暂无。"
    odd = entries[1].model_copy(update={"reason": "第一行|第二行\n<b>"})
    assert P.history_markdown([odd]).splitlines()[4].endswith("| 第一行&#124;第二行 &lt;b&gt; |")


def test_year_choices():
    import datetime as dt

    choices = P.year_choices(dt.date(2024, 2, 1))
    assert choices[0][1] == P.AUTO_YEAR and ("2023年", "2023") in choices
    assert P.parse_year(P.AUTO_YEAR) is None and P.parse_year("2023") == 2023


def test_row_filters():
    sc = _card()
    decisions = {"1.1.2": _decision("1.1.2", "overridden", 1.0, discuss=True)}

    def labels(show: str) -> list[str]:
        return list(P.scorecard_frame(sc, decisions, show).data["编号"])

    styled = P.scorecard_frame(sc, decisions, "全部", current="1.1.9#1").to_html()
    (bold,) = re.findall(r"([^{}]*)\{[^}]*font-weight: bold", styled)  # the current row's cells, and no other
    assert sorted(re.findall(r"row(\d)_col(\d)", bold)) == [("1", str(c)) for c in range(len(P.TABLE_HEADERS))]
    assert labels("全部") == ["1.1.2", "1.1.9（1）", "2.1.2（1）"]
    assert labels("需人工复核") == ["1.1.9（1）"]
    assert labels("待复核") == ["1.1.9（1）", "2.1.2（1）"]
    assert labels("已复核") == labels("待讨论") == ["1.1.2"]
    assert labels("建议分已变化") == []
