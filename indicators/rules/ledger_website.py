"""政府网站 ledgers: 5.1.2 通报和督办, 5.1.3 内容保障, 5.1.4 纠错和留言, 5.1.5 域名, 5.1.6 适老化.

Deductions follow the Langfang 2023 table word for word; each is one `DeductionSpec` fed to the
shared mechanism in indicators/ledgers/events.py. 5.1.3 quantity and 5.1.4 sub-item 2 produce a
`measure` (weeks covered, on-time rate) for the scoring module; 5.1.6 is a gate.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from rapidfuzz import fuzz

from core.document import DocType
from core.findings import Flag, cite
from core.textnorm import normalize
from indicators.cntext import doc_sentences, find_dates
from indicators.ledgers.columns import Col
from indicators.ledgers.domains import DomainStatus, classify_cell
from indicators.ledgers.events import DeductionSpec, Event, deduction_rule, per_row
from indicators.ledgers.kinds import LedgerKind
from indicators.ledgers.reader import LEDGER_SOURCES, LedgerRow, LedgerTable, ledgers_of
from indicators.ledgers.values import cn_date
from indicators.ledgers.weeks import coverage, week_label
from indicators.rules.base import Check, Evidence, Outcome, make_check, rule

# ---------------------------------------------------------------- 5.1.2 通报和督办卡

_TOP_OFFICES = ("国务院办公厅", "省政府办公厅", "省人民政府办公厅")
_REPEAT_WORDS = ("再次督办", "重复督办", "二次督办", "多次督办", "第2次督办", "第二次督办", "第3次督办", "第三次督办")
_SAME_PROBLEM = 85  # rapidfuzz ratio above which two 督办 describe the same problem


def _notice_type(row: LedgerRow, table: LedgerTable) -> str:
    return row.text(Col.notice_type) or ("督办卡" if "督办" in table.context and "通报" not in table.context
                                         else "通报")


def _same_problem(a: str, b: str) -> bool:
    a, b = normalize(a), normalize(b)
    return bool(a and b) and (a == b or fuzz.ratio(a, b) >= _SAME_PROBLEM)


def _notice_events(row: LedgerRow, table: LedgerTable, ev: Evidence) -> Iterator[Event]:
    kind = _notice_type(row, table)
    issuer = row.text(Col.issuer)
    problem = row.text(Col.problem)
    when = row.date(Col.notice_date)
    what = f"{cn_date(when) + '收到' if when else '收到'}{issuer}{kind}" + (f"（{problem}）" if problem else "")
    if "表扬" in kind:
        yield Event(row, "通报表扬（不扣分）", 0.0, f"{what}，属通报表扬，不扣分。", outcome=Outcome.info)
        return
    top = any(o in issuer + kind for o in _TOP_OFFICES) or normalize(issuer + kind).startswith("国办")
    if "通报批评" in kind + problem and top:
        yield Event(row, "被国务院办公厅、省政府办公厅通报批评", 1.0,
                    f"{what}，属国务院办公厅、省政府办公厅通报批评，每次扣1分。", data={"event": "state_criticism"})
        return
    if "督办" in kind:
        earlier = [r for r in table.rows if r.row < row.row and "督办" in _notice_type(r, table)
                   and _same_problem(r.text(Col.problem), problem)]
        round_no = row.count(Col.supervise_round)
        marked = next((w for w in _REPEAT_WORDS if w in normalize(kind + problem)), None)
        if earlier or marked or (round_no is not None and round_no >= 2):
            basis = (f"同一问题此前已收到督办卡{len(earlier)}次" if earlier
                     else f"台账注明“{marked}”" if marked else f"台账记载为第{round_no}次督办")
            yield Event(row, "同一问题多次督办", 0.5,
                        f"{what}，{basis}，属“对同一问题整改不到位、多次收到督办卡”，每督办一次扣0.5分。"
                        "首次督办按督办卡扣0.1分、此后每次按0.5分计，此读法需人工确认。",
                        flags=[Flag.ambiguous_rubric], data={"event": "repeated_supervision"})
            return
        yield Event(row, "收到督办卡", 0.1, f"{what}，每次扣0.1分。", data={"event": "notice"})
        return
    flags = [] if "通报" in kind else [Flag.needs_human]
    note = "" if "通报" in kind else "（类型未写明为通报或督办卡，按通报计，请人工核实）"
    yield Event(row, "收到通报", 0.1, f"{what}，每次扣0.1分{note}。", flags=flags, data={"event": "notice"})


deduction_rule(DeductionSpec(
    "ledger.5.1.2.notices", "5.1.2", "政府网站通报和督办卡", (LedgerKind.website_notices,), per_row(_notice_events),
    year_col=Col.notice_date, clean_text="未收到通报或督办卡",
))

# ---------------------------------------------------------------- 5.1.3 内容保障

_NO_ERROR = {"", "无", "否", "-", "—", "/", "正确", "无误", "无错误", "合格", "通过", "采用"}


def _is_wrong(row: LedgerRow) -> bool:
    flag = row.flag(Col.error)
    if flag is not None:
        return flag
    return normalize(row.text(Col.error)) not in _NO_ERROR  # a free-text description of the error


def _quality_events(row: LedgerRow, table: LedgerTable, ev: Evidence) -> Iterator[Event]:
    if Col.error in table.columns and _is_wrong(row):
        title = row.text(Col.item_title)
        detail = row.text(Col.error)
        yield Event(row, "报送信息有误", 0.1,
                    f"报送信息《{title}》存在错误（{table.header_of(Col.error)}：{detail}），每条扣0.1分。",
                    data={"event": "wrong_item"})


deduction_rule(DeductionSpec(
    "ledger.5.1.3.quality", "5.1.3", "门户网站信息报送质量", (LedgerKind.portal_submissions,), per_row(_quality_events),
    year_col=Col.publish_date, cap=1.0, clean_text="未发现错误信息", tag={"part": "quality"},
))


def _period(evidence: Evidence, dates: list[dt.date]) -> tuple[dt.date, dt.date, str, bool]:
    """The year under review (its ISO weeks), else the ledger's own span (every week it touches)."""
    if evidence.year:
        return dt.date(evidence.year, 1, 1), dt.date(evidence.year, 12, 31), f"{evidence.year}年度", False
    return min(dates), max(dates), "台账覆盖期间", True


@rule("ledger.5.1.3.quantity", "5.1.3", LEDGER_SOURCES,
      description="5.1.3 信息报送数量：每周不少于1条（按ISO周统计）")
def portal_weekly_quantity(evidence: Evidence) -> Iterator[Check]:
    tables = ledgers_of(evidence, LedgerKind.portal_submissions)
    if not tables:
        return  # no ledger: no Check (scoring reads that as no evidence)
    dated = [(t, r, d) for t in tables for r in t.rows if (d := r.date(Col.publish_date))]
    undated = sum(1 for t in tables for r in t.rows if r.date(Col.publish_date) is None)
    if not dated:
        yield make_check("ledger.5.1.3.quantity", "5.1.3", title="信息报送数量（每周不少于1条）",
                         outcome=Outcome.unknown, citations=[t.cite_header() for t in tables],
                         rationale="台账中没有可识别的报送日期，无法按周统计，请人工核实。",
                         flags=[Flag.date_unknown, Flag.needs_human], data={"part": "quantity"})
        return
    start, end, label, touching = _period(evidence, [d for _, _, d in dated])
    cov = coverage([d for _, _, d in dated], start, end, touching)
    empty = "、".join(week_label(w) for w in cov.empty)
    rationale = (f"{label}（{cn_date(start)}至{cn_date(end)}）按ISO周共{len(cov.weeks)}周，"
                 f"有报送信息的{len(cov.covered)}周，占{cov.share:.1%}。")
    rationale += f"无报送信息的周：{empty}。" if cov.empty else "每周均不少于1条。"
    flags: list[str] = []
    if undated:
        rationale += f"另有{undated}条记录日期无法识别，未计入。"
        flags += [Flag.date_unknown, Flag.needs_human]
    if cov.outside:
        rationale += f"{cov.outside}条记录的日期不在统计期间内，未计入。"
    yield make_check(
        "ledger.5.1.3.quantity", "5.1.3", title="信息报送数量（每周不少于1条）",
        outcome=Outcome.passed if not cov.empty else Outcome.failed, rationale=rationale, flags=flags,
        measure=round(cov.share, 4), citations=[t.cite_header() for t in tables],
        data={"part": "quantity", "weeks": len(cov.weeks), "covered": len(cov.covered),
              "empty_weeks": [f"{y}-W{w:02d}" for y, w in cov.empty],
              "period": [start.isoformat(), end.isoformat()]},
    )


# ---------------------------------------------------------------- 5.1.4 纠错和留言

_CORRECTION_WORDS = ("纠错", "找错")


def message_sub(row: LedgerRow, table: LedgerTable) -> int | None:
    """1 = 网民纠错, 2 = 门户网站留言; from the row's 类型/渠道 column, else the ledger's title."""
    for text in (row.text(Col.channel), table.context):
        t = normalize(text)
        correction = any(k in t for k in _CORRECTION_WORDS)  # 我为政府网站找错 is the national 纠错 channel
        if correction and "留言" not in t.replace("纠错留言", ""):
            return 1
        if any(k in t for k in ("留言", "咨询", "投诉", "建议", "信箱")) and not correction:
            return 2
    return None


def on_time(row: LedgerRow) -> tuple[bool | None, str]:
    """Whether the item was settled on time, and how that was read."""
    if (flag := row.flag(Col.on_time)) is not None:
        return flag, f"台账“是否按期”记为“{row.text(Col.on_time)}”"
    if (flag := row.flag(Col.overdue)) is not None:
        return not flag, f"台账“是否超期”记为“{row.text(Col.overdue)}”"
    done, due = row.date(Col.done_date), row.date(Col.due_date)
    if done and due:
        word = "未超过" if done <= due else "超过"
        return done <= due, f"办结日期{cn_date(done)}{word}办结期限{cn_date(due)}"
    return None, "台账未载明是否按期，也缺少办结日期或办结期限"


def _message(row: LedgerRow) -> str:
    """"2023年4月17日收到的“政策文件栏目附件无法下载”" — what a rationale calls the item."""
    when, what = row.date(Col.received_date), row.text(Col.problem)
    return (f"{cn_date(when)}收到的" if when else "") + (f"“{what}”" if what else f"第{row.row}行所载留言")


def _chase_event(row: LedgerRow) -> Iterator[Event]:
    n = row.count(Col.chase_count)
    if n is not None and n >= 2:  # "2次以上" includes 2 (以上 includes the number itself)
        yield Event(row, "催办2次以上办结", 0.2, f"{_message(row)}被催办{n}次，属“催办2次以上办结”，一件扣0.2分。",
                    data={"event": "chased_twice", "chases": n})


def _error_report_events(row: LedgerRow, table: LedgerTable, ev: Evidence) -> Iterator[Event]:
    ok, how = on_time(row)
    if ok is False:
        yield Event(row, "网民纠错留言未按期办结", 0.5, f"{_message(row)}：{how}，属未按期办结，一件扣0.5分。",
                    data={"event": "overdue"})
    elif ok is None:
        yield Event(row, "网民纠错留言是否按期无法判断", 0.0, f"{_message(row)}：{how}，无法判断是否按期办结，请人工核实。",
                    outcome=Outcome.unknown, flags=[Flag.needs_human])
    yield from _chase_event(row)


deduction_rule(DeductionSpec(
    "ledger.5.1.4.corrections", "5.1.4", "网民纠错留言办理", (LedgerKind.website_messages,),
    per_row(_error_report_events), sub=1, year_col=Col.received_date,
    row_filter=lambda r, t: message_sub(r, t) == 1, clean_text="均按期办结，无催办2次以上情形",
))

deduction_rule(DeductionSpec(
    "ledger.5.1.4.message_chases", "5.1.4", "门户网站留言催办", (LedgerKind.website_messages,),
    per_row(lambda r, t, e: _chase_event(r)), sub=2, year_col=Col.received_date,
    row_filter=lambda r, t: message_sub(r, t) == 2, clean_text="无催办2次以上情形",
))


def rate_tier(rate: float) -> tuple[float | None, list[str], str]:
    """Points of 5.1.4 sub-item 2 by on-time rate. "70%以上" and "50%以下" include the boundary (以上/以下
    include the number itself); between 50% and 70% the table gives no points: a gap, not a guess."""
    if rate >= 1.0:
        return 1.0, [], "100%按期办结，得1分"
    if rate >= 0.7:
        flags = [Flag.borderline, Flag.needs_human] if rate == 0.7 else []
        return 0.5, flags, "70%以上按期办结，得0.5分" + ("（恰为70%，按“以上含本数”计）" if flags else "")
    if rate <= 0.5:
        flags = [Flag.borderline, Flag.needs_human] if rate == 0.5 else []
        return 0.0, flags, "50%以下按期办结，不得分" + ("（恰为50%，按“以下含本数”计）" if flags else "")
    return None, [Flag.ambiguous_rubric, Flag.needs_human], "按期办结率介于50%与70%之间，考核要点未规定此档得分，请人工裁定"


@rule("ledger.5.1.4.message_rate", "5.1.4", LEDGER_SOURCES, sub=2,
      description="5.1.4(2) 门户网站留言按期办结率")
def message_on_time_rate(evidence: Evidence) -> Iterator[Check]:
    tables = ledgers_of(evidence, LedgerKind.website_messages)
    spec_rows = [(t, r) for t in tables for r in t.rows
                 if message_sub(r, t) == 2 and (evidence.year is None or (d := r.date(Col.received_date)) is None
                                                or d.year == evidence.year)]
    unsorted = [(t, r) for t in tables for r in t.rows if message_sub(r, t) is None]
    if unsorted:
        yield make_check("ledger.5.1.4.message_rate", "5.1.4", 2, title="留言类别无法判断",
                         outcome=Outcome.unknown, flags=[Flag.needs_human],
                         citations=[t.cite_row(r) for t, r in unsorted[:20]],
                         rationale=f"{len(unsorted)}条记录无法判断属于网民纠错还是门户网站留言"
                         "（台账无“留言类型”列，标题亦未区分），未计入本项，请人工核实。")
    if not spec_rows:
        return
    judged = [(t, r, ok) for t, r in spec_rows if (ok := on_time(r)[0]) is not None]
    unknown = len(spec_rows) - len(judged)
    if not judged:
        yield make_check("ledger.5.1.4.message_rate", "5.1.4", 2, title="门户网站留言按期办结率",
                         outcome=Outcome.unknown, flags=[Flag.needs_human],
                         rationale="留言台账未载明是否按期，也缺少办结日期或期限，无法计算按期办结率。",
                         citations=[t.cite_header() for t in {id(t): t for t, _ in spec_rows}.values()])
        return
    n_ok = sum(1 for *_, ok in judged if ok)
    rate = n_ok / len(judged)
    points, flags, tier = rate_tier(rate)
    rationale = f"共{len(judged)}件留言，按期办结{n_ok}件，按期办结率{rate:.1%}：{tier}。"
    if unknown:
        rationale += f"另有{unknown}件无法判断是否按期，未计入。"
        flags = [*flags, Flag.needs_human] if Flag.needs_human not in flags else flags
    late = [(t, r) for t, r, ok in judged if not ok]
    outcome = Outcome.passed if rate >= 1.0 else Outcome.unknown if points is None else Outcome.failed
    yield make_check(
        "ledger.5.1.4.message_rate", "5.1.4", 2, title="门户网站留言按期办结率", outcome=outcome,
        rationale=rationale, flags=flags, measure=round(rate, 4),
        citations=[t.cite_row(r) for t, r in late[:20]] or [spec_rows[0][0].cite_header()],
        data={"total": len(judged), "on_time": n_ok, "unknown": unknown, "tier_points": points},
    )


# ---------------------------------------------------------------- 5.1.5 域名

def _domain_events(row: LedgerRow, table: LedgerTable, ev: Evidence) -> Iterator[Event]:
    name = row.text(Col.site_name) or row.text(Col.owner) or "该网站"
    for verdict in classify_cell(row.text(Col.domain), row.text(Col.site_type)):  # a cell may list several
        if verdict.status == DomainStatus.nonstandard:
            yield Event(row, "未使用规范域名", 0.2, f"{name}域名“{verdict.host}”{verdict.reason}，扣0.2分。",
                        data={"event": "nonstandard_domain", "host": verdict.host})
        elif verdict.status != DomainStatus.standard:
            yield Event(row, "域名需人工核实", 0.0, f"{name}：{verdict.reason}。", outcome=Outcome.unknown,
                        flags=[Flag.needs_human], data={"host": verdict.host})


deduction_rule(DeductionSpec(
    "ledger.5.1.5.domains", "5.1.5", "政府网站域名规范", (LedgerKind.website_domains,), per_row(_domain_events),
    clean_text="均使用以.gov.cn或.政务为后缀的规范域名",
))

# ---------------------------------------------------------------- 5.1.6 适老化 (gate)

AGING_DEADLINE = dt.date(2023, 12, 31)  # the table: "未于2023年底前完成"
_YEAR_MONTH = re.compile(r"((?:19|20)\d\d)年(\d{1,2})月")
_NOT_DONE = ("未完成", "尚未", "推进", "计划", "将于", "力争")


def statement_date(sentence: str) -> dt.date | None:
    """The completion date a sentence states: the latest full date, else the first day of the latest
    stated month ("2023年12月完成" is on time whichever day of December it was)."""
    dates = [h.value for h in find_dates(sentence) if h.has_year]
    if dates:
        return max(dates)
    months = [(int(y), int(m)) for y, m in _YEAR_MONTH.findall(normalize(sentence)) if 1 <= int(m) <= 12]
    return dt.date(*max(months), 1) if months else None


def _aging_row_check(row: LedgerRow, table: LedgerTable) -> Check:
    name = row.text(Col.site_name) or row.text(Col.domain) or "网站"
    done = row.date(Col.aging_done_date)
    status = row.flag(Col.aging_status)
    base = dict(citations=[table.cite_row(row)], data={"file": table.doc.file, "row": row.row, "gate": True})
    if done and done <= AGING_DEADLINE and status is not False:
        return make_check("ledger.5.1.6.aging", "5.1.6", title=f"{name}适老化改造", outcome=Outcome.passed,
                          rationale=f"{name}于{cn_date(done)}完成适老化改造，在2023年底前。", **base)
    if done and done > AGING_DEADLINE:
        return make_check("ledger.5.1.6.aging", "5.1.6", title=f"{name}适老化改造", outcome=Outcome.failed,
                          rationale=f"{name}于{cn_date(done)}完成适老化改造，晚于2023年12月31日，本项不得分。",
                          **base)
    if status is False:
        return make_check("ledger.5.1.6.aging", "5.1.6", title=f"{name}适老化改造", outcome=Outcome.failed,
                          rationale=f"台账记载{name}适老化改造“{row.text(Col.aging_status)}”，本项不得分。", **base)
    return make_check("ledger.5.1.6.aging", "5.1.6", title=f"{name}适老化改造", outcome=Outcome.unknown,
                      rationale=f"台账未载明{name}适老化改造的完成日期，无法判断是否于2023年底前完成，请人工核实。",
                      flags=[Flag.date_unknown, Flag.needs_human], **base)


def _statement_checks(evidence: Evidence) -> Iterator[Check]:
    """Statements such as "2023年10月完成网站适老化改造" in any non-ledger document."""
    for doc in evidence.of_type(*(t for t in DocType if t != DocType.ledger)):
        for sent in doc_sentences(doc):
            text = sent.norm.text
            if "适老化" not in text or "完成" not in text or any(w in text for w in _NOT_DONE):
                continue
            done = statement_date(sent.text)
            c = cite(doc, sent.start, sent.end)
            if done is None:
                yield make_check("ledger.5.1.6.aging", "5.1.6", title="适老化改造完成情况（材料表述）",
                                 outcome=Outcome.unknown, citations=[c], flags=[Flag.date_unknown, Flag.needs_human],
                                 rationale="材料称已完成适老化改造，但未写明完成时间，请人工核实是否于2023年底前完成。",
                                 data={"gate": True})
                continue
            ok = done <= AGING_DEADLINE
            yield make_check("ledger.5.1.6.aging", "5.1.6", title="适老化改造完成情况（材料表述）",
                             outcome=Outcome.passed if ok else Outcome.failed, citations=[c],
                             rationale=f"材料表述于{done.year}年{done.month}月完成适老化改造，"
                             + ("在2023年底前。" if ok else "晚于2023年12月31日，本项不得分。"),
                             data={"gate": True, "done": done.isoformat()})
            return


@rule("ledger.5.1.6.aging", "5.1.6", list(DocType), description="5.1.6 适老化改造于2023年底前完成（门槛项）")
def website_aging_gate(evidence: Evidence) -> Iterator[Check]:
    tables = ledgers_of(evidence, LedgerKind.website_aging)
    rows = [(t, r) for t in tables for r in t.rows]
    if rows:
        for t, r in rows:
            yield _aging_row_check(r, t)
        return
    yield from _statement_checks(evidence)  # nothing found: no Check, i.e. no evidence

