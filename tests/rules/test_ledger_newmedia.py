import datetime as dt

from core.findings import Flag
from indicators.rules.base import Outcome
from tests.rules.ledger_helpers import assert_citations_exact, evidence, ledger_doc, run, total

# ---------------------------------------------------------------- 5.2.1

CHANGE_HEAD = ["序号", "新媒体名称", "平台", "变更类型", "变更日期", "报备日期"]


def test_filing_within_seven_calendar_days():
    rows = [CHANGE_HEAD,
            ["1", "香河发布", "微信公众号", "更名", "2023-03-01", "2023-03-05"],
            ["2", "香河教育", "微博", "注销", "2023-09-28", "2023-10-06"],  # 8 calendar days (over 国庆)
            ["3", "香河司法", "抖音", "迁移", "2023-05-10", ""],
            ["4", "香河民政", "微信公众号", "关停", "2023-06-01", "2023-06-08"]]  # exactly 7: borderline
    doc = ledger_doc("政务新媒体账号变更报备台账.xlsx", rows)
    checks = run("ledger.5.2.1.filing", evidence(doc))
    by_title = {c.title: c for c in checks}
    assert total(checks) == 0.2
    late = by_title["账号变更超过7日报备"]
    assert late.deduction == 0.1 and late.data["days"] == 8 and "自然日" in late.rationale
    assert by_title["账号变更未报备"].deduction == 0.1
    edge = by_title["账号变更报备恰为第7日"]
    assert edge.deduction == 0 and Flag.borderline in edge.flags and edge.outcome == Outcome.passed
    assert_citations_exact(checks, doc)


def test_filing_clean_ledger_and_flag_column():
    rows = [["账号", "变更时间", "是否报备"], ["香河发布", "2023-03-01", "已报备"]]
    [check] = run("ledger.5.2.1.filing", evidence(ledger_doc("新媒体变更报备.xlsx", rows)))
    assert check.outcome == Outcome.unknown  # filed, but no filing date: the 7 days cannot be counted
    rows = [["账号", "变更时间", "是否报备"], ["香河发布", "2023-03-01", "未报备"]]
    [check] = run("ledger.5.2.1.filing", evidence(ledger_doc("新媒体变更报备.xlsx", rows)))
    assert check.deduction == 0.1


# ---------------------------------------------------------------- 5.2.2

def test_updates_snapshot_two_weeks_and_thirty_days():
    rows = [["序号", "账号名称", "平台", "最后更新日期", "监测日期"],
            ["1", "香河发布", "微信公众号", "2023-11-28", "2023-11-30"],
            ["2", "香河教育", "微博", "2023-11-10", "2023-11-30"],   # 20 days
            ["3", "香河司法", "抖音", "2023-10-01", "2023-11-30"],   # 60 days
            ["4", "香河民政", "头条号", "2023-11-16", "2023-11-30"]]  # exactly 14
    checks = run("ledger.5.2.2.updates", evidence(ledger_doc("政务新媒体更新情况台账.xlsx", rows)))
    assert [(c.title, c.deduction) for c in checks] == [
        ("账号两周未更新", 0.1), ("账号30天以上未更新", 0.2), ("账号两周未更新", 0.1)]
    assert Flag.borderline in checks[2].flags and checks[1].data["days"] == 60


def test_updates_from_post_log_per_account_worst_gap():
    rows = [["序号", "账号名称", "发布日期", "标题"]]
    posts = {"香河发布": ["2023-01-03", "2023-01-10", "2023-01-17", "2023-01-24", "2023-01-31"],  # ledger ends 1-31
             "香河教育": ["2023-01-02", "2023-01-20", "2023-01-30"],  # 17 days without a post in between
             "香河司法": ["2023-01-01", "2023-01-05"],  # 26 days after the last post, to the ledger's end
             "香河民政": ["2022-12-01", "2023-01-02", "2023-01-30"]}  # 31 days without a post
    for name, dates in posts.items():
        rows += [[str(len(rows)), name, d, f"{name}工作动态"] for d in dates]
    doc = ledger_doc("政务新媒体发布台账（更新情况）.xlsx", rows)
    checks = run("ledger.5.2.2.updates", evidence(doc))
    got = {c.citations[0].quote.split("\t")[1]: (c.deduction, c.data["days"]) for c in checks}
    assert got == {"香河教育": (0.1, 17), "香河司法": (0.1, 26), "香河民政": (0.2, 31)}
    assert_citations_exact(checks, doc)


def test_updates_multiple_gaps_flag_ambiguity():
    rows = [["账号名称", "发布日期"]] + [["香河发布", d] for d in
                                         ["2023-01-01", "2023-01-20", "2023-02-10", "2023-02-12"]]
    [check] = run("ledger.5.2.2.updates", evidence(ledger_doc("新媒体更新台账.xlsx", rows)))
    assert check.deduction == 0.1 and check.data["days"] == 20  # 1-20 -> 2-10; 1-1 -> 1-20 is 18
    assert Flag.ambiguous_rubric in check.flags and "按账号计一次" in check.rationale


def test_updates_clean():
    rows = [["账号名称", "最后更新时间", "检查日期"], ["香河发布", "2023-11-29", "2023-11-30"]]
    [check] = run("ledger.5.2.2.updates", evidence(ledger_doc("新媒体更新.xlsx", rows)))
    assert check.outcome == Outcome.passed and check.deduction == 0


# ---------------------------------------------------------------- 5.2.3

def test_expression_errors_categories():
    rows = [["序号", "账号名称", "发布日期", "问题类型", "问题描述"],
            ["1", "香河发布", "2023-04-01", "严重表述错误", "将“全面从严治党”误写"],
            ["2", "香河教育", "2023-05-01", "领导人名字写错", "—"],
            ["3", "香河司法", "2023-06-01", "发布内容与职能无关", "转发娱乐八卦"],
            ["4", "香河民政", "2023-07-01", "错别字", "“的地得”误用"],
            ["5", "香河文旅", "2023-08-01", "其他", "泄露国家秘密文件内容"]]
    doc = ledger_doc("政务新媒体表述错误台账.xlsx", rows)
    checks = run("ledger.5.2.3.errors", evidence(doc))
    assert [c.deduction for c in checks] == [3.0, 3.0, 0.1, 0.0, 3.0]
    assert checks[3].outcome == Outcome.unknown and Flag.needs_human in checks[3].flags
    assert Flag.needs_human in checks[4].flags  # read from the description, not the 类型 column
    assert total(checks) == 9.1  # above the 3 points: the scoring module floors at 0
    assert_citations_exact(checks, doc)


# ---------------------------------------------------------------- 5.2.4

def test_rectification_two_days():
    rows = [["序号", "账号名称", "问题描述", "收到通知日期", "整改完成日期", "是否整改"],
            ["1", "香河发布", "栏目链接失效", "2023-05-08", "2023-05-09", "是"],
            ["2", "香河教育", "简介信息过时", "2023-05-08", "2023-05-12", "是"],
            ["3", "香河司法", "互动功能不可用", "2023-05-08", "", "否"],
            ["4", "香河民政", "错别字", "2023-05-08", "2023-05-10", "是"]]
    checks = run("ledger.5.2.4.fixes", evidence(ledger_doc("政务新媒体问题整改台账.xlsx", rows)))
    assert [(c.title, c.deduction) for c in checks] == [
        ("收到整改通知后2天内未整改", 0.1), ("收到整改通知后未整改", 0.1), ("整改恰为第2天", 0.0)]
    assert Flag.borderline in checks[2].flags


def test_rectification_year_filter():
    rows = [["账号名称", "通知日期", "整改日期"], ["香河发布", "2022-12-01", "2022-12-20"],
            ["香河发布", "2023-01-03", "2023-01-04"]]
    [check] = run("ledger.5.2.4.fixes", evidence(ledger_doc("整改台账.xlsx", rows)))
    assert check.outcome == Outcome.passed and check.data["rows"] == 1


def test_days_are_calendar_days():
    from indicators.ledgers.events import days_between
    assert days_between(dt.date(2023, 9, 28), dt.date(2023, 10, 6)) == 8


def test_updates_snapshot_without_check_date_uses_latest_update():
    rows = [["序号", "账号名称", "平台", "开设日期", "最近一次更新日期"],
            ["1", "文安教体", "微信公众号", "2018-03-12", "2023-12-28"],
            ["2", "文安县青少年体育", "微信公众号", "2020-05-01", "2023-11-30"]]
    [check] = run("ledger.5.2.2.updates", evidence(ledger_doc("政务新媒体账号台账.xlsx", rows)))
    assert check.deduction == 0.1 and check.data["days"] == 28
    assert Flag.needs_human in check.flags and "2023年12月28日为截止日" in check.rationale


def test_updates_same_account_at_several_inspections_flagged():
    rows = [["账号名称", "检查日期", "最后更新日期"],
            ["香河发布", "2023-06-30", "2023-06-01"], ["香河发布", "2023-12-15", "2023-11-01"],
            ["香河教育", "2023-12-15", "2023-12-14"]]
    checks = run("ledger.5.2.2.updates", evidence(ledger_doc("新媒体巡查台账.xlsx", rows)))
    assert [c.deduction for c in checks] == [0.1, 0.2]
    assert all(Flag.ambiguous_rubric in c.flags for c in checks)
