"""The review store's verdicts and 规则有误 marks: kept per decision, audited, and added to databases
created before they existed (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine, insert, inspect

from core.findings import Verdict
from review.store import Action, DecisionError, DecisionStore

U, C = "香河县人民政府", "langfang-2023"


def test_verdicts_confirm_takes_the_suggestion_override_reads_its_points(store):
    d = store.decide(U, C, "1.1.9#2", Action.confirm, reviewer="张三", expected_version=0, suggested_points=1.0,
                     suggested_verdict=Verdict.partial)
    assert d.verdict == Verdict.partial
    d = store.decide(U, C, "1.1.9#2", Action.override, reviewer="张三", expected_version=1, points=2.0,
                     max_points=2.0, suggested_points=1.0, reason="附表齐全")
    assert d.verdict == Verdict.met
    d = store.decide(U, C, "1.1.9#2", Action.override, reviewer="张三", expected_version=2, points=0.0,
                     max_points=2.0, reason="未见年报")
    assert d.verdict == Verdict.not_met
    # a stated verdict: 材料不足 at 0 points; one that contradicts the points is refused
    d = store.decide(U, C, "1.1.9#2", Action.override, reviewer="张三", expected_version=3, points=0.0,
                     max_points=2.0, reason="缺附表", verdict=Verdict.insufficient_evidence)
    assert d.verdict == Verdict.insufficient_evidence
    with pytest.raises(DecisionError, match="不符"):
        store.decide(U, C, "1.1.9#2", Action.override, reviewer="张三", expected_version=4, points=1.0,
                     max_points=2.0, reason="x", verdict=Verdict.met)
    with pytest.raises(DecisionError, match="材料不足"):
        store.decide(U, C, "1.1.9#2", Action.override, reviewer="张三", expected_version=4, points=1.0,
                     max_points=2.0, reason="x", verdict=Verdict.insufficient_evidence)
    assert store.get(U, C, "1.1.9#2").verdict == Verdict.insufficient_evidence  # refused writes left no trace


def test_rule_error_marks_an_override_only_is_audited_and_a_confirm_clears_it(store):
    store.decide(U, C, "3.1#1", Action.confirm, reviewer="张三", expected_version=0, suggested_points=1.0,
                 suggested_verdict=Verdict.met)
    with pytest.raises(DecisionError, match="请先改分"):
        store.decide(U, C, "3.1#1", Action.rule_error, reviewer="张三", expected_version=1, reason="规则漏看图解")
    store.decide(U, C, "3.1#1", Action.override, reviewer="李四", expected_version=1, points=0.0, max_points=1.0,
                 reason="解读未关联原文件")
    with pytest.raises(DecisionError, match="须填写说明"):
        store.decide(U, C, "3.1#1", Action.rule_error, reviewer="李四", expected_version=2, reason="  ")
    d = store.decide(U, C, "3.1#1", Action.rule_error, reviewer="李四", expected_version=2,
                     reason="规则把页面底部的“相关链接”当作原文件链接")
    assert (d.rule_error, d.rule_note, d.status, d.points, d.version) == (
        True, "规则把页面底部的“相关链接”当作原文件链接", "overridden", 0.0, 3)
    entry = store.audit_log(U)[-1]
    assert (entry.action, entry.reviewer, entry.reason) == (Action.rule_error, "李四", d.rule_note)
    assert entry.old["rule_error"] is False and entry.new["rule_error"] is True
    # an empty note clears the mark (audited too); a confirm drops the override and its mark
    d = store.decide(U, C, "3.1#1", Action.rule_error, reviewer="李四", expected_version=3, reason="")
    assert (d.rule_error, d.rule_note) == (False, "")
    store.decide(U, C, "3.1#1", Action.rule_error, reviewer="李四", expected_version=4, reason="同上")
    d = store.decide(U, C, "3.1#1", Action.confirm, reviewer="张三", expected_version=5, suggested_points=1.0,
                     suggested_verdict=Verdict.met)
    assert (d.rule_error, d.rule_note, d.reason, d.verdict) == (False, "", "", Verdict.met)
    assert [e.action for e in store.audit_log(U)].count(Action.rule_error) == 3
    assert store.integrity_ok()


def _old_schema(url: str) -> None:
    """The decisions table as review.db files before verdicts and 规则有误 marks, with one decision."""
    meta = MetaData()
    old = Table("decisions", meta, Column("unit", String(200), primary_key=True),
                Column("catalog", String(100), primary_key=True), Column("item", String(50), primary_key=True),
                Column("status", String(20), nullable=False), Column("points", Float),
                Column("suggested_points", Float), Column("reason", Text, nullable=False),
                Column("comment", Text, nullable=False), Column("discuss", Integer, nullable=False),
                Column("suggestion_changed", Integer, nullable=False), Column("reviewer", String(100), nullable=False),
                Column("version", Integer, nullable=False), Column("updated_at", String(40)))
    engine = create_engine(url)
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(old).values(unit=U, catalog=C, item="1.1.2", status="overridden", points=1.0,
                                        suggested_points=2.0, reason="缺办公时间", comment="", discuss=0,
                                        suggestion_changed=0, reviewer="张三", version=1, updated_at=None))
    engine.dispose()


def test_an_older_database_gains_the_new_columns_and_keeps_its_decisions(store_url):
    _old_schema(store_url)
    store = DecisionStore(store_url)
    try:
        columns = {c["name"] for c in inspect(store.engine).get_columns("decisions")}
        assert {"verdict", "rule_error", "rule_note"} <= columns
        d = store.get(U, C, "1.1.2")
        assert (d.status, d.points, d.reason, d.verdict, d.rule_error, d.rule_note) == (
            "overridden", 1.0, "缺办公时间", None, False, "")
        d = store.decide(U, C, "1.1.2", Action.rule_error, reviewer="张三", expected_version=1,
                         reason="办公时间写在页脚，规则未读页脚")
        assert store.get(U, C, "1.1.2").rule_error
    finally:
        store.close()
    DecisionStore(store_url).close()  # opening a migrated database again changes nothing
