"""政务新媒体 ledgers: 5.2.1 账号变更报备, 5.2.2 内容更新, 5.2.3 表述错误, 5.2.4 问题整改.

Day counts are calendar days (the table writes 7日 / 两周 / 30天 / 2天, not 工作日), with the day of the
triggering event not counted (民事诉讼法第八十五条's convention); a count exactly on a threshold is
flagged `borderline` because whether that first day counts is not settled for these rules.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from itertools import pairwise

from core.findings import Flag
from core.textnorm import normalize
from indicators.ledgers.columns import Col
from indicators.ledgers.events import (
    DeductionSpec,
    Event,
    dates_unknown,
    day_limit_event,
    days_between,
    deduction_rule,
    per_row,
)
from indicators.ledgers.kinds import LedgerKind
from indicators.ledgers.reader import LedgerRow, LedgerTable
from indicators.ledgers.values import cn_date
from indicators.rules.base import Evidence, Outcome

# ---------------------------------------------------------------- 5.2.1 账号变更报备 (7日内)

FILING_DAYS = 7


def _account(row: LedgerRow) -> str:
    name = row.text(Col.account) or "该账号"
    platform = row.text(Col.platform)
    return f"“{name}”（{platform}）" if platform else f"“{name}”"


def _change_events(row: LedgerRow, table: LedgerTable, ev: Evidence) -> Iterator[Event]:
    change, filing, filed = row.date(Col.change_date), row.date(Col.filing_date), row.flag(Col.filed)
    what = f"{_account(row)}{row.text(Col.change_type) or '变更'}"
    if filing is None and (filed is False or (filed is None and Col.filing_date in table.columns)):
        yield Event(row, "账号变更未报备", 0.1,
                    f"{what}（{cn_date(change) if change else '日期不详'}），台账未记载报备，"
                    "属7日内未在省政务新媒体平台报备，扣0.1分。", data={"event": "late_filing", "not_filed": True})
        return
    if change is None or filing is None:
        yield dates_unknown(row, "报备时限无法核算", f"{what}：台账缺少变更日期或报备日期，无法核算是否7日内报备，请人工核实。")
        return
    counted = f"{_account(row)}{cn_date(change)}{row.text(Col.change_type) or '变更'}，{cn_date(filing)}报备"
    if e := day_limit_event(row, change, filing, FILING_DAYS, "late_filing", counted,
                            late=("账号变更超过7日报备", "，超过7日，扣0.1分。"),
                            on_limit=("账号变更报备恰为第7日", "，变更当日不计入时按7日内报备处理，临界情况请人工确认。")):
        yield e


deduction_rule(DeductionSpec(
    "ledger.5.2.1.filing", "5.2.1", "新媒体账号变更7日内报备", (LedgerKind.account_changes,),
    per_row(_change_events), year_col=Col.change_date, clean_text="均于7日内报备",
))

# ---------------------------------------------------------------- 5.2.2 内容更新 (两周 / 30天以上)

TWO_WEEKS, THIRTY_DAYS = 14, 30


def silence_event(row: LedgerRow, account: str, silent: int, how: str, extra_gaps: int = 0) -> Event | None:
    """One account's worst silence -> 0.2 (30天以上) or 0.1 (两周), not both: the longer silence
    includes the shorter one. "以上" includes the number itself."""
    flags: list[str] = []
    if silent in (TWO_WEEKS, THIRTY_DAYS):
        flags.append(Flag.borderline)
    if extra_gaps:
        flags.append(Flag.ambiguous_rubric)
    note = (f"该账号另有{extra_gaps}段两周以上未更新；考核要点“发现一个”按账号计一次，若按每次断更计将多扣分，"
            "请人工确认。") if extra_gaps else ""
    if silent >= THIRTY_DAYS:
        return Event(row, "账号30天以上未更新", 0.2, f"{account}{how}，连续{silent}天未更新，属30天以上不更新，扣0.2分。{note}",
                     flags=flags, data={"event": "silent_30_days", "days": silent})
    if silent >= TWO_WEEKS:
        return Event(row, "账号两周未更新", 0.1, f"{account}{how}，连续{silent}天未更新，属两周未更新，扣0.1分。{note}",
                     flags=flags, data={"event": "silent_2_weeks", "days": silent})
    return None


def _update_events(rows: list[LedgerRow], table: LedgerTable, ev: Evidence) -> Iterator[Event]:
    if Col.last_update in table.columns:
        yield from _snapshot_events(rows, table)
    else:
        yield from _post_log_events(rows, table)


def _snapshot_events(rows: list[LedgerRow], table: LedgerTable) -> Iterator[Event]:
    """One row per account: 最后更新日期 against the 监测日期 (the days after the last update). A ledger
    without a 监测日期 column is taken as of its latest update date, said so and flagged when it costs."""
    events = list(_snapshot_rows(rows, table))
    per_account: dict[str, int] = defaultdict(int)
    for e in events:
        if e.amount > 0:
            per_account[normalize(e.row.text(Col.account))] += 1
    for e in events:
        n = per_account.get(normalize(e.row.text(Col.account)), 0)
        if e.amount > 0 and n > 1:  # the same account found silent at several inspections
            e.flags.append(Flag.ambiguous_rubric)
            e.rationale += f"该账号在{n}次巡查中均被发现未更新，按每次巡查各计一次；如按账号只计一次，请人工调整。"
        yield e


def _snapshot_rows(rows: list[LedgerRow], table: LedgerTable) -> Iterator[Event]:
    as_of = None
    if Col.check_date not in table.columns:
        as_of = max((d for r in rows if (d := r.date(Col.last_update))), default=None)
    for row in rows:
        last, checked = row.date(Col.last_update), row.date(Col.check_date) or as_of
        if last is None or checked is None:
            yield dates_unknown(row, "更新情况无法核算",
                                f"{_account(row)}：台账缺少最后更新日期或监测日期，无法核算未更新天数，请人工核实。")
            continue
        if as_of is not None:
            how = f"最后更新于{cn_date(last)}，台账未载明监测日期，以台账中最晚的更新日期{cn_date(as_of)}为截止日"
        else:
            how = f"最后更新于{cn_date(last)}，至监测日{cn_date(checked)}"
        if (e := silence_event(row, _account(row), days_between(last, checked), how)) is not None:
            if as_of is not None:
                e.flags.append(Flag.needs_human)
            yield e


def _post_log_events(rows: list[LedgerRow], table: LedgerTable) -> Iterator[Event]:
    """One row per post: per account, the longest run of days without a post between two posts, or
    after the last post up to the ledger's last date (the end of what the ledger covers). The days
    before an account's first post are not counted: the account may have opened later."""
    by_account: dict[str, list[tuple[dt.date, LedgerRow]]] = defaultdict(list)
    for row in rows:
        if (d := row.date(Col.publish_date)) is not None:
            by_account[normalize(row.text(Col.account))].append((d, row))
    if not by_account:
        return
    end = max(d for posts in by_account.values() for d, _ in posts)
    for posts in by_account.values():
        posts.sort(key=lambda p: p[0])
        gaps: list[tuple[int, LedgerRow, str]] = []
        for (a, _ra), (b, rb) in pairwise(posts):
            gaps.append((days_between(a, b) - 1, rb, f"{cn_date(a)}至{cn_date(b)}之间"))
        last, last_row = posts[-1]
        gaps.append((days_between(last, end), last_row, f"最后发布于{cn_date(last)}，至台账截止日{cn_date(end)}"))
        long_ones = [g for g in gaps if g[0] >= TWO_WEEKS]
        if not long_ones:
            continue
        silent, row, how = max(long_ones, key=lambda g: g[0])
        if (e := silence_event(row, _account(row), silent, how, len(long_ones) - 1)) is not None:
            yield e


deduction_rule(DeductionSpec(
    "ledger.5.2.2.updates", "5.2.2", "政务新媒体内容更新", (LedgerKind.account_updates,), _update_events,
    clean_text="未发现两周以上未更新的账号",
))

# ---------------------------------------------------------------- 5.2.3 表述错误

SEVERE_WORDS = ("严重", "泄露国家秘密", "泄密", "国家秘密", "反动", "暴力", "色情", "领导人")
OFF_MANDATE_WORDS = ("与职能无关", "职能无关", "与职责无关", "无关内容", "非职能")


def error_category(text: str) -> str | None:
    t = normalize(text)
    if any(w in t for w in SEVERE_WORDS):
        return "severe"
    if any(w in t for w in OFF_MANDATE_WORDS):
        return "off_mandate"
    return None


def _expression_events(row: LedgerRow, table: LedgerTable, ev: Evidence) -> Iterator[Event]:
    kind, desc = row.text(Col.error_type), row.text(Col.description)
    category = error_category(kind)
    flags: list[str] = []
    if category is None and (category := error_category(desc)) is not None:
        flags.append(Flag.needs_human)  # read from the description, not the 类型 column
    what = f"{_account(row)}发布内容（{kind or '类型未填'}{'：' + desc if desc else ''}）"
    if category == "severe":
        yield Event(row, "严重表述错误", 3.0,
                    f"{what}，属严重表述错误、泄露国家秘密、反动暴力色情内容或领导人名字写错等情形，发现一个扣3分。",
                    flags=flags, data={"event": "severe_error"})
    elif category == "off_mandate":
        yield Event(row, "发布内容与职能无关", 0.1, f"{what}，属发布内容与职能无关，发现一个扣0.1分。",
                    flags=flags, data={"event": "off_mandate"})
    else:
        yield Event(row, "错误类型需人工判断", 0.0,
                    f"{what}，类型未对应考核要点所列扣分情形（严重表述错误等扣3分、与职能无关扣0.1分），请人工判断。",
                    outcome=Outcome.unknown, flags=[Flag.needs_human])


deduction_rule(DeductionSpec(
    "ledger.5.2.3.errors", "5.2.3", "政务新媒体表述错误", (LedgerKind.expression_errors,),
    per_row(_expression_events), year_col=Col.publish_date, clean_text="未记载表述错误",
))

# ---------------------------------------------------------------- 5.2.4 问题整改 (2天内)

FIX_DAYS = 2


def _fix_events(row: LedgerRow, table: LedgerTable, ev: Evidence) -> Iterator[Event]:
    notice, fixed_on, fixed = row.date(Col.notice_received), row.date(Col.fix_date), row.flag(Col.fixed)
    what = f"{_account(row) if row.text(Col.account) else ''}{row.text(Col.description) or '问题'}"
    if fixed_on is None:
        if fixed is False:
            yield Event(row, "收到整改通知后未整改", 0.1,
                        f"{what}：{cn_date(notice) + '收到整改通知，' if notice else ''}台账记载未整改，扣0.1分。",
                        data={"event": "late_fix", "not_fixed": True})
        else:
            yield dates_unknown(row, "整改时限无法核算", f"{what}：台账缺少整改完成日期，无法核算是否2天内整改，请人工核实。")
        return
    if notice is None:
        yield dates_unknown(row, "整改时限无法核算", f"{what}：台账缺少收到整改通知的日期，请人工核实。")
        return
    counted = f"{what}：{cn_date(notice)}收到整改通知，{cn_date(fixed_on)}完成整改"
    if e := day_limit_event(row, notice, fixed_on, FIX_DAYS, "late_fix", counted, unit="天",
                            late=("收到整改通知后2天内未整改", "，超过2天，扣0.1分。"),
                            on_limit=("整改恰为第2天", "，通知当日不计入时属2天内整改，临界情况请人工确认。")):
        yield e


deduction_rule(DeductionSpec(
    "ledger.5.2.4.fixes", "5.2.4", "政务新媒体问题整改", (LedgerKind.rectification,), per_row(_fix_events),
    year_col=Col.notice_received, clean_text="均于收到整改通知后2天内整改",
))
