"""Ledger columns: what a reviewer's 台账 may call each column, and how its cells are read.

Headers are matched on normalised text (NFKC, no whitespace, bracketed notes such as
"（年月日）" and required-field stars removed). A header equal to a variant beats a header that
merely contains one; among contained variants the longest wins, so "报备日期" is a filing date and
not a generic "日期". Generic variants (日期, 类型, ...) match only exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from core.textnorm import normalize


class ColType(StrEnum):
    text = "text"
    date = "date"
    count = "count"  # a non-negative integer, e.g. 催办次数 "2次"
    flag = "flag"  # yes/no, e.g. 是否按期 "是" / "逾期"


class Col(StrEnum):
    # 5.1.2 网站通报和督办
    notice_date = "notice_date"
    notice_type = "notice_type"
    issuer = "issuer"
    problem = "problem"
    supervise_round = "supervise_round"
    # 5.1.3 信息报送 / 5.2.2 and 5.2.3 posts
    publish_date = "publish_date"
    item_title = "item_title"
    error = "error"
    # 5.1.4 纠错 and 留言
    channel = "channel"
    received_date = "received_date"
    due_date = "due_date"
    done_date = "done_date"
    on_time = "on_time"
    overdue = "overdue"
    chase_count = "chase_count"
    # 5.1.5 / 5.1.6 websites
    site_name = "site_name"
    domain = "domain"
    site_type = "site_type"
    owner = "owner"
    aging_done_date = "aging_done_date"
    aging_status = "aging_status"
    # 5.2.x 政务新媒体
    account = "account"
    platform = "platform"
    change_type = "change_type"
    change_date = "change_date"
    filing_date = "filing_date"
    filed = "filed"
    last_update = "last_update"
    check_date = "check_date"
    error_type = "error_type"
    description = "description"
    notice_received = "notice_received"
    fix_deadline = "fix_deadline"
    fix_date = "fix_date"
    fixed = "fixed"


@dataclass(frozen=True)
class ColumnSpec:
    col: Col
    label: str  # the header a template uses (Chinese)
    type: ColType
    variants: tuple[str, ...]  # accepted headers; the label is always accepted

    def all_variants(self) -> tuple[str, ...]:
        return (self.label, *self.variants)


def _spec(col: Col, label: str, type_: ColType, *variants: str) -> ColumnSpec:
    return ColumnSpec(col, label, type_, variants)


T, D, N, F = ColType.text, ColType.date, ColType.count, ColType.flag

COLUMNS: dict[Col, ColumnSpec] = {
    s.col: s
    for s in [
        _spec(Col.notice_date, "通报日期", D, "通报时间", "督办日期", "下发日期", "收到日期", "日期", "时间"),
        _spec(Col.notice_type, "通报类型", T, "督办类型", "通报/督办类型", "类型", "文件类型", "通报形式", "类别"),
        _spec(Col.issuer, "通报单位", T, "发文单位", "下发单位", "通报机关", "督办单位", "发文机关", "来源"),
        _spec(Col.problem, "问题描述", T, "问题", "存在问题", "问题内容", "通报问题", "督办事项", "主要问题",
              "留言标题", "留言内容", "纠错内容", "留言主题"),
        _spec(Col.supervise_round, "督办次数", N, "第几次督办", "督办轮次", "督办次序"),
        _spec(Col.publish_date, "发布日期", D, "发布时间", "日期", "时间", "报送日期", "报送时间", "采用日期",
              "上报日期", "更新日期"),
        _spec(Col.item_title, "信息标题", T, "标题", "稿件标题", "文章标题", "信息名称", "内容"),
        _spec(Col.error, "是否错误", F, "是否有误", "错误信息", "错误情况", "差错情况", "审核意见", "质量问题",
              "存在问题", "错误类型"),
        _spec(Col.channel, "留言类型", T, "类型", "留言渠道", "渠道", "来源", "类别", "留言来源"),
        _spec(Col.received_date, "留言日期", D, "留言时间", "收到日期", "受理日期", "提交日期", "登记日期",
              "交办日期", "转办日期"),
        _spec(Col.due_date, "办结期限", D, "应办结日期", "规定办结日期", "办理期限", "办理时限", "办结时限", "截止日期",
              "答复期限", "答复时限"),
        _spec(Col.done_date, "办结日期", D, "回复日期", "答复日期", "办结时间", "回复时间", "答复时间", "处理日期"),
        _spec(Col.on_time, "是否按期", F, "按期办结", "是否按期办结", "是否按时办结", "按期情况", "是否按时"),
        _spec(Col.overdue, "是否超期", F, "是否逾期", "超期情况", "逾期情况"),
        _spec(Col.chase_count, "催办次数", N, "催办", "被催办次数", "催办情况"),
        _spec(Col.site_name, "网站名称", T, "网站", "站点名称", "名称"),
        _spec(Col.domain, "域名", T, "网址", "网站地址", "网站域名", "访问地址", "url", "网站网址", "首页地址"),
        _spec(Col.site_type, "网站类型", T, "网站类别", "类型", "类别"),
        _spec(Col.owner, "主办单位", T, "单位名称", "开办单位", "责任单位", "单位"),
        _spec(Col.aging_done_date, "完成日期", D, "完成时间", "改造完成日期", "改造完成时间",
              "适老化改造完成日期", "适老化改造完成时间", "验收日期", "上线日期"),
        _spec(Col.aging_status, "是否完成", F, "完成情况", "改造情况", "改造状态", "是否完成改造", "适老化改造情况"),
        _spec(Col.account, "账号名称", T, "新媒体名称", "账号", "账号名", "公众号名称", "政务新媒体名称",
              "新媒体账号名称", "账号名称（昵称）"),
        _spec(Col.platform, "平台", T, "平台类型", "所属平台", "开设平台", "平台名称"),
        _spec(Col.change_type, "变更类型", T, "变更情况", "变更事项", "事项", "类型"),
        _spec(Col.change_date, "变更日期", D, "变更时间", "注销日期", "关停日期", "更名日期", "迁移日期",
              "发生日期", "注销关停日期"),
        _spec(Col.filing_date, "报备日期", D, "报备时间", "备案日期", "备案时间"),
        _spec(Col.filed, "是否报备", F, "报备情况", "是否备案"),
        _spec(Col.last_update, "最后更新日期", D, "最后更新时间", "最近更新日期", "最近更新时间", "最近一次更新日期",
              "最近一次更新时间", "最后一次更新日期", "最后一次更新时间", "最新发布日期", "最后发布日期",
              "最近发布日期", "最近一次发布日期"),
        _spec(Col.check_date, "监测日期", D, "检查日期", "检测日期", "监测时间", "检查时间", "抽查日期"),
        _spec(Col.error_type, "问题类型", T, "错误类型", "类型", "问题类别", "类别", "错误类别"),
        _spec(Col.description, "问题描述", T, "具体问题", "错误内容", "问题详情", "内容", "说明", "问题"),
        _spec(Col.notice_received, "收到通知日期", D, "通知日期", "通知时间", "整改通知日期", "下发日期",
              "发现日期", "通知下发日期"),
        _spec(Col.fix_deadline, "整改期限", D, "整改时限"),
        _spec(Col.fix_date, "整改完成日期", D, "整改日期", "完成整改日期", "整改完成时间", "完成日期"),
        _spec(Col.fixed, "是否整改", F, "整改情况", "是否完成整改", "整改状态"),
    ]
}

# Headers so common that a match on them says little about the ledger's kind.
GENERIC_HEADERS = frozenset({"日期", "时间", "类型", "类别", "名称", "内容", "单位", "问题", "说明", "来源", "网站",
                             "账号", "事项", "平台", "完成日期", "完成时间"})

_BRACKETED = re.compile(r"[(\[（【][^)\]）】]*[)\]）】]")


@lru_cache(maxsize=1 << 16)  # every header meets every variant of every kind: the same strings again
def normalize_header(text: str) -> str:
    """The comparable form of a header: normalised, lower-case, notes in brackets and stars removed."""
    norm = normalize(text).lower()
    without_notes = _BRACKETED.sub("", norm)
    return (without_notes or norm).strip("*※:：")


def match_quality(header: str, spec: ColumnSpec) -> int:
    """0 = no match; otherwise higher is better (exact match beats containment, longer beats shorter)."""
    h = normalize_header(header)
    if not h:
        return 0
    best = 0
    for variant in spec.all_variants():
        v = normalize_header(variant)
        if h == v:
            best = max(best, 100 + len(v))
        elif v in h and len(v) >= 2 and v not in GENERIC_HEADERS:  # "开设日期" is no 发布日期
            best = max(best, len(v))
    return best


def match_columns(headers: list[str], wanted: list[Col]) -> dict[Col, int]:
    """Assign header positions to the wanted columns: best matches first, each header used once."""
    candidates: list[tuple[int, int, Col, int]] = []
    for pos, header in enumerate(headers):
        for order, col in enumerate(wanted):
            q = match_quality(header, COLUMNS[col])
            if q:
                candidates.append((q, -order, col, pos))
    candidates.sort(reverse=True)
    assigned: dict[Col, int] = {}
    used: set[int] = set()
    for _q, _order, col, pos in candidates:
        if col not in assigned and pos not in used:
            assigned[col] = pos
            used.add(pos)
    return assigned


def is_generic(header: str) -> bool:
    return normalize_header(header) in GENERIC_HEADERS
