import pytest

from core.document import DocType
from core.findings import Flag
from indicators.rules.base import Outcome
from indicators.rules.ledger_website import rate_tier, statement_date
from tests.docbuilder import DocBuilder
from tests.rules.ledger_helpers import assert_citations_exact, evidence, ledger_doc, run, total

NOTICE_HEAD = ["序号", "通报日期", "通报类型", "通报单位", "问题描述"]


# ---------------------------------------------------------------- 5.1.2

def test_notices_each_kind_of_event():
    rows = [NOTICE_HEAD,
            ["1", "2023-02-10", "通报", "廊坊市人民政府办公室", "首页栏目空白"],
            ["2", "2023-03-01", "督办卡", "廊坊市人民政府办公室", "政策文件栏目长期未更新"],
            ["3", "2023-04-01", "督办卡", "廊坊市人民政府办公室", "政策文件栏目长期未更新。"],
            ["4", "2023-05-01", "通报批评", "河北省人民政府办公厅", "网站存在错链"],
            ["5", "2022-12-20", "通报", "廊坊市人民政府办公室", "上年度事项"]]
    doc = ledger_doc("网站通报和督办台账.xlsx", rows)
    checks = run("ledger.5.1.2.notices", evidence(doc))
    assert [c.deduction for c in checks] == [0.1, 0.1, 0.5, 1.0]  # 2022 row left out
    assert Flag.ambiguous_rubric in checks[2].flags
    assert all(c.outcome == Outcome.failed and c.citations for c in checks)
    assert "河北省人民政府办公厅" in checks[3].citations[0].quote
    assert_citations_exact(checks, doc)


def test_notices_clean_ledger_passes_with_header_cited():
    doc = ledger_doc("网站通报和督办台账.xlsx", [NOTICE_HEAD])
    [check] = run("ledger.5.1.2.notices", evidence(doc))
    assert check.outcome == Outcome.passed and check.deduction == 0 and "通报日期" in check.citations[0].quote


def test_no_ledger_no_check():
    # scoring reads "no Check" as no evidence (insufficient_evidence), never as "nothing to deduct"
    other = ledger_doc("名单.xlsx", [["姓名", "性别"], ["张三", "男"]])
    for rule_id in ("ledger.5.1.2.notices", "ledger.5.1.3.quality", "ledger.5.1.3.quantity",
                    "ledger.5.1.4.corrections", "ledger.5.1.4.message_rate", "ledger.5.1.5.domains",
                    "ledger.5.1.6.aging", "ledger.5.2.1.filing", "ledger.5.2.2.updates", "ledger.5.2.3.errors",
                    "ledger.5.2.4.fixes"):
        assert run(rule_id, evidence()) == [] and run(rule_id, evidence(other)) == [], rule_id


def test_notices_many_events_exceed_points_rule_reports_all():
    rows = [NOTICE_HEAD] + [[str(i), "2023-06-01", "通报批评", "国务院办公厅", f"问题{i}"] for i in range(4)]
    checks = run("ledger.5.1.2.notices", evidence(ledger_doc("通报.xlsx", rows)))
    assert total(checks) == 4.0  # more than the 2 points: the scoring module floors at 0


# ---------------------------------------------------------------- 5.1.3

SUB_HEAD = ["序号", "报送日期", "信息标题", "是否有误"]


def _weekly_rows(dates, wrong=()):
    return [SUB_HEAD] + [[str(i), d, f"香河县召开第{i}次常务会议", "是" if i in wrong else "否"]
                         for i, d in enumerate(dates)]


def test_quality_deducts_per_wrong_item_with_cap():
    dates = [f"2023-{m:02d}-10" for m in range(1, 13)] * 2
    doc = ledger_doc("门户网站信息报送台账.xlsx", _weekly_rows(dates, wrong=set(range(13))))
    checks = run("ledger.5.1.3.quality", evidence(doc))
    assert len(checks) == 13
    assert total(checks) == 1.0  # 13 × 0.1 capped at 1
    assert checks[-1].deduction == 0 and "上限" in checks[-1].rationale


def test_quality_free_text_error_column():
    rows = [["序号", "发布日期", "标题", "错误情况"], ["1", "2023-01-05", "甲", "无"], ["2", "2023-01-06", "乙", "日期写错"]]
    checks = run("ledger.5.1.3.quality", evidence(ledger_doc("信息报送.xlsx", rows)))
    assert [c.deduction for c in checks] == [0.1] and "日期写错" in checks[0].rationale


def _every_week(year):
    import datetime as dt
    d = dt.date.fromisocalendar(year, 1, 3)
    out = []
    while d.isocalendar()[0] == year:
        out.append(d.isoformat())
        d += dt.timedelta(days=7)
    return out


def test_quantity_every_week_passes():
    doc = ledger_doc("信息报送台账.xlsx", _weekly_rows(_every_week(2023)))
    [check] = run("ledger.5.1.3.quantity", evidence(doc))
    assert check.outcome == Outcome.passed and check.measure == 1.0 and check.data["weeks"] == 52


def test_quantity_lists_empty_weeks():
    dates = [d for d in _every_week(2023) if d not in ("2023-01-04", "2023-06-14")]
    [check] = run("ledger.5.1.3.quantity", evidence(ledger_doc("信息报送台账.xlsx", _weekly_rows(dates))))
    assert check.outcome == Outcome.failed and check.measure == round(50 / 52, 4)
    assert check.data["empty_weeks"] == ["2023-W01", "2023-W24"]
    assert "第1周（2023年1月2日至1月8日）" in check.rationale and "第24周" in check.rationale


def test_quantity_iso_week_53_and_year_boundary():
    # 2020 has ISO week 53 (2020-12-28..2021-01-03); 2021-01-01 belongs to it, not to 2021
    dates_2020 = _every_week(2020)
    [c2020] = run("ledger.5.1.3.quantity", evidence(ledger_doc("报送.xlsx", _weekly_rows(dates_2020), year=2020),
                                                    year=2020))
    assert c2020.data["weeks"] == 53 and c2020.measure == 1.0
    dates_2021 = [*_every_week(2021)[1:], "2021-01-01"]  # week 1 of 2021 empty; Jan 1 is 2020-W53
    [c2021] = run("ledger.5.1.3.quantity", evidence(ledger_doc("报送.xlsx", _weekly_rows(dates_2021), year=2021),
                                                    year=2021))
    assert c2021.data["weeks"] == 52 and c2021.data["empty_weeks"] == ["2021-W01"]
    assert "不在统计期间内" in c2021.rationale


def test_quantity_without_year_uses_ledger_span():
    dates = ["2023-03-01", "2023-03-08", "2023-03-22"]
    [check] = run("ledger.5.1.3.quantity", evidence(ledger_doc("报送.xlsx", _weekly_rows(dates), year=None),
                                                    year=None))
    assert check.data["weeks"] == 4 and check.data["empty_weeks"] == ["2023-W11"]


# ---------------------------------------------------------------- 5.1.4

MSG_HEAD = ["序号", "留言类型", "留言日期", "办结期限", "办结日期", "催办次数"]


def test_corrections_overdue_and_chased():
    rows = [MSG_HEAD,
            ["1", "网民纠错", "2023-03-01", "2023-03-02", "2023-03-02", "0"],
            ["2", "网民纠错", "2023-04-01", "2023-04-02", "2023-04-05", "1"],
            ["3", "网民纠错", "2023-05-01", "2023-05-02", "2023-05-02", "2次"],
            ["4", "咨询留言", "2023-05-01", "2023-05-08", "2023-05-20", "3"]]
    doc = ledger_doc("网民纠错和留言办理台账.xlsx", rows)
    sub1 = run("ledger.5.1.4.corrections", evidence(doc))
    assert [(c.title, c.deduction) for c in sub1] == [("网民纠错留言未按期办结", 0.5), ("催办2次以上办结", 0.2)]
    assert all(c.sub == 1 for c in sub1)
    sub2 = run("ledger.5.1.4.message_chases", evidence(doc))
    assert [c.deduction for c in sub2] == [0.2] and sub2[0].sub == 2


def _messages(n_on_time, n_late):
    rows = [["序号", "留言时间", "回复日期", "是否按期办结"]]
    rows += [[str(i), "2023-06-01", "2023-06-03", "是"] for i in range(n_on_time)]
    rows += [[str(100 + i), "2023-06-01", "2023-06-30", "否"] for i in range(n_late)]
    return ledger_doc("门户网站留言办理台账.xlsx", rows)


@pytest.mark.parametrize("on,late,outcome,points,flag", [
    (10, 0, Outcome.passed, 1.0, None),
    (8, 2, Outcome.failed, 0.5, None),
    (7, 3, Outcome.failed, 0.5, Flag.borderline),
    (6, 4, Outcome.unknown, None, Flag.ambiguous_rubric),
    (5, 5, Outcome.failed, 0.0, Flag.borderline),
    (1, 9, Outcome.failed, 0.0, None),
])
def test_message_rate_tiers_and_gap(on, late, outcome, points, flag):
    [check] = run("ledger.5.1.4.message_rate", evidence(_messages(on, late)))
    assert check.measure == round(on / (on + late), 4) and check.outcome == outcome
    assert check.data["tier_points"] == points
    if flag:
        assert flag in check.flags and Flag.needs_human in check.flags
    assert len(check.citations) == max(late, 1)


def test_rate_tier_gap_is_not_guessed():
    assert rate_tier(0.6)[0] is None and rate_tier(0.71)[0] == 0.5 and rate_tier(0.49)[0] == 0.0


def test_combined_ledger_without_channel_is_flagged():
    rows = [["序号", "收到日期", "办结日期", "是否按期"], ["1", "2023-06-01", "2023-06-02", "是"]]
    checks = run("ledger.5.1.4.message_rate", evidence(ledger_doc("纠错和留言台账.xlsx", rows)))
    assert [c.outcome for c in checks] == [Outcome.unknown] and "无法判断" in checks[0].rationale


# ---------------------------------------------------------------- 5.1.5

def test_domains():
    rows = [["序号", "网站名称", "网站类型", "网址"],
            ["1", "香河县人民政府", "门户网站", "http://www.xianghe.gov.cn/"],
            ["2", "香河县教育和体育局", "部门网站", "jtj.xianghe.gov.cn"],
            ["3", "香河县文化广电和旅游局", "部门网站", "https://www.xhwl.com/index.html"],
            ["4", "香河县卫生健康局", "部门网站", "http://61.182.10.5:8080"],
            ["5", "香河县政务服务网", "门户网站", "香河县.政务"],
            ["6", "香河县农业农村局", "部门网站", "xhnync.cn"]]
    doc = ledger_doc("政府网站域名台账.xlsx", rows)
    checks = run("ledger.5.1.5.domains", evidence(doc))
    assert [c.deduction for c in checks] == [0.2, 0.2, 0.2]
    assert ".com" in checks[0].rationale and "IP" in checks[1].rationale
    assert_citations_exact(checks, doc)


def test_domains_structure_doubt_goes_to_human_without_deduction():
    rows = [["网站名称", "网站类型", "域名"], ["香河县人民政府", "门户网站", "xianghe.gov.cn"]]
    [check] = run("ledger.5.1.5.domains", evidence(ledger_doc("域名.xlsx", rows)))
    assert check.outcome == Outcome.unknown and check.deduction == 0 and Flag.needs_human in check.flags


# ---------------------------------------------------------------- 5.1.6

def test_aging_gate_from_ledger():
    rows = [["网站名称", "适老化改造完成日期", "是否完成"],
            ["香河县人民政府门户网站", "2023-10-20", "已完成"],
            ["香河县教育和体育局网站", "2024-01-15", "已完成"],
            ["香河县民政局网站", "", "未完成"],
            ["香河县医保局网站", "", "已完成"]]
    checks = run("ledger.5.1.6.aging", evidence(ledger_doc("适老化改造台账.xlsx", rows)))
    assert [c.outcome for c in checks] == [Outcome.passed, Outcome.failed, Outcome.failed, Outcome.unknown]
    assert all(c.data["gate"] for c in checks)


def test_aging_gate_on_deadline_day_passes():
    rows = [["网站名称", "改造完成时间"], ["香河县人民政府门户网站", "2023年12月31日"]]
    [check] = run("ledger.5.1.6.aging", evidence(ledger_doc("网站适老化改造台账.xlsx", rows)))
    assert check.outcome == Outcome.passed


def test_aging_gate_from_statement_in_document():
    doc = (DocBuilder("2023年政务公开工作总结.docx", DocType.other, year=2023)
           .para("一、平台建设").para("我县于2023年11月完成政府门户网站适老化无障碍功能改造，并通过验收。").build())
    [check] = run("ledger.5.1.6.aging", evidence(doc))
    assert check.outcome == Outcome.passed and "适老化" in check.citations[0].quote
    late = (DocBuilder("总结.docx", DocType.other, year=2023)
            .para("县政府网站已于2024年2月完成适老化改造。").build())
    [check] = run("ledger.5.1.6.aging", evidence(late))
    assert check.outcome == Outcome.failed


def test_aging_gate_plans_do_not_count():
    plan = DocBuilder("计划.docx", DocType.other).para("计划于2023年12月完成网站适老化改造。").build()
    assert run("ledger.5.1.6.aging", evidence(plan)) == []


def test_statement_date():
    import datetime as dt
    assert statement_date("于2023年12月完成") == dt.date(2023, 12, 1)
    assert statement_date("2023年10月20日完成") == dt.date(2023, 10, 20)
    assert statement_date("已完成") is None


def test_notice_praise_is_not_deducted_and_type_from_title():
    rows = [["序号", "日期", "问题描述"], ["1", "2023-03-01", "网站栏目更新及时"]]
    [check] = run("ledger.5.1.2.notices", evidence(ledger_doc("督办卡台账.xlsx", rows)))
    assert check.deduction == 0.1 and "督办卡" in check.rationale  # type taken from the title
    rows = [NOTICE_HEAD, ["1", "2023-03-01", "通报表扬", "廊坊市人民政府办公室", "网站建设成效明显"]]
    checks = run("ledger.5.1.2.notices", evidence(ledger_doc("通报台账.xlsx", rows)))
    assert total(checks) == 0 and checks[-1].outcome == Outcome.passed


def test_messages_only_ledger_gives_no_evidence_for_corrections():
    rows = [["序号", "留言时间", "回复日期", "是否按期办结"], ["1", "2023-06-01", "2023-06-03", "是"]]
    doc = ledger_doc("门户网站留言办理台账.xlsx", rows)
    assert run("ledger.5.1.4.corrections", evidence(doc)) == []
    [check] = run("ledger.5.1.4.message_chases", evidence(doc))
    assert check.outcome == Outcome.passed and check.data["rows"] == 1


def test_quality_and_quantity_checks_are_tagged():
    doc = ledger_doc("信息报送台账.xlsx", _weekly_rows(["2023-03-01"], wrong={0}))
    assert run("ledger.5.1.3.quality", evidence(doc))[0].data["part"] == "quality"
    assert run("ledger.5.1.3.quantity", evidence(doc))[0].data["part"] == "quantity"


def test_national_correction_channel_and_message_subjects():
    rows = [["序号", "留言渠道", "留言日期", "留言标题", "办理时限", "办结日期", "催办次数"],
            ["1", "我为政府网站找错", "2023-04-17", "政策文件栏目附件无法下载", "2023-04-19", "2023-04-25", "1"],
            ["2", "市政府门户网站留言", "2023-07-24", "县城内涝点排水问题", "2023-07-31", "2023-07-28", "0"]]
    doc = ledger_doc("2023年网民纠错和留言办理台账.xlsx", rows)
    [c1] = run("ledger.5.1.4.corrections", evidence(doc))
    assert c1.deduction == 0.5 and "“政策文件栏目附件无法下载”" in c1.rationale and "超过办结期限" in c1.rationale
    [rate] = run("ledger.5.1.4.message_rate", evidence(doc))
    assert rate.measure == 1.0 and rate.outcome == Outcome.passed


def test_repeat_supervision_marked_in_type_column():
    rows = [NOTICE_HEAD,
            ["1", "2023-05-22", "督办卡", "廊坊市政务公开办", "首页存在3处错误链接"],
            ["2", "2023-06-30", "督办卡（同一问题再次督办）", "廊坊市政务公开办", "首页错误链接整改不到位，仍有1处"]]
    checks = run("ledger.5.1.2.notices", evidence(ledger_doc("督办台账.xlsx", rows)))
    assert [c.deduction for c in checks] == [0.1, 0.5] and "再次督办" in checks[1].rationale


def test_domain_cells_as_typed_in_ledgers():
    from indicators.ledgers.domains import hosts_in

    assert hosts_in("http://www.xianghe.gov.cn/index.html") == ["www.xianghe.gov.cn"]
    assert hosts_in("网址：WWW.XIANGHE.GOV.CN（已备案）") == ["www.xianghe.gov.cn"]
    assert hosts_in("192.168.1.1:8080/x") == ["192.168.1.1"]
    assert hosts_in("2023.1.31") == []
    rows = [["网站名称", "域名"], ["香河县文化广电和旅游局", "http://wlj.xianghe.gov.cn ; http://www.xhwl.com/a/b.html"],
            ["香河县统计局", "无"]]
    checks = run("ledger.5.1.5.domains", evidence(ledger_doc("网站域名台账.xlsx", rows)))
    assert [(c.deduction, c.outcome) for c in checks] == [(0.2, Outcome.failed), (0.0, Outcome.unknown)]
    assert checks[0].data["host"] == "www.xhwl.com"
