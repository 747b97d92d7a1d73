"""Ledger kinds: which indicator a 台账 serves, told from its headers and its title / file name.

Each kind lists the columns it reads. Every `required` group must be matched by some header for the
kind to be possible, and at least one distinctive header or a keyword; among possible kinds the best
score wins: distinctive headers weigh 3, generic ones (日期, 类型, ...) 1, and a title / file-name /
header keyword of the kind adds 5. A keyword is mandatory for kinds whose columns alone are too
common to tell them apart (适老化).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from core.textnorm import normalize
from indicators.ledgers.columns import COLUMNS, Col, is_generic, match_columns


class LedgerKind(StrEnum):
    website_notices = "website_notices"  # 网站通报和督办 (5.1.2)
    portal_submissions = "portal_submissions"  # 门户网站信息报送 (5.1.3)
    website_messages = "website_messages"  # 网民纠错留言 / 网站留言办理 (5.1.4)
    website_domains = "website_domains"  # 网站域名 (5.1.5)
    website_aging = "website_aging"  # 适老化改造 (5.1.6)
    account_changes = "account_changes"  # 新媒体账号变更报备 (5.2.1)
    account_updates = "account_updates"  # 新媒体更新 (5.2.2)
    expression_errors = "expression_errors"  # 表述错误 (5.2.3)
    rectification = "rectification"  # 整改通知 (5.2.4)


@dataclass(frozen=True)
class KindSpec:
    kind: LedgerKind
    label: str  # Chinese name shown to reviewers
    indicator: str
    columns: tuple[Col, ...]
    required: tuple[tuple[Col, ...], ...]  # each group: at least one of these columns
    keywords: tuple[str, ...]
    keyword_required: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)  # how rows are read (docs/ledgers.md)


KINDS: dict[LedgerKind, KindSpec] = {
    k.kind: k
    for k in [
        KindSpec(
            LedgerKind.website_notices, "政府网站通报和督办台账", "5.1.2",
            (Col.notice_date, Col.notice_type, Col.issuer, Col.problem, Col.supervise_round),
            ((Col.notice_type, Col.problem),),
            ("通报", "督办"),
        ),
        KindSpec(
            LedgerKind.portal_submissions, "门户网站信息报送台账", "5.1.3",
            (Col.publish_date, Col.item_title, Col.error),
            ((Col.publish_date,), (Col.item_title,)),
            ("报送", "信息采用", "内容保障", "稿件"),
        ),
        KindSpec(
            LedgerKind.website_messages, "网民纠错和留言办理台账", "5.1.4",
            (Col.channel, Col.received_date, Col.due_date, Col.done_date, Col.on_time, Col.overdue,
             Col.chase_count, Col.problem),
            ((Col.done_date, Col.on_time, Col.overdue),),
            ("纠错", "留言", "信箱", "咨询"),
        ),
        KindSpec(
            LedgerKind.website_domains, "政府网站域名台账", "5.1.5",
            (Col.site_name, Col.domain, Col.site_type, Col.owner),
            ((Col.domain,),),
            ("域名", "网站"),
        ),
        KindSpec(
            LedgerKind.website_aging, "政府网站适老化改造台账", "5.1.6",
            (Col.site_name, Col.domain, Col.aging_done_date, Col.aging_status),
            ((Col.aging_done_date, Col.aging_status),),
            ("适老化", "无障碍"),
            keyword_required=True,
        ),
        KindSpec(
            LedgerKind.account_changes, "政务新媒体账号变更报备台账", "5.2.1",
            (Col.account, Col.platform, Col.change_type, Col.change_date, Col.filing_date, Col.filed),
            ((Col.account,), (Col.change_date,), (Col.filing_date, Col.filed)),
            ("报备", "变更", "注销", "关停", "迁移", "更名"),
        ),
        KindSpec(
            LedgerKind.account_updates, "政务新媒体内容更新台账", "5.2.2",
            (Col.account, Col.platform, Col.last_update, Col.check_date, Col.publish_date),
            ((Col.account,), (Col.last_update, Col.publish_date)),
            ("更新", "发布"),
        ),
        KindSpec(
            LedgerKind.expression_errors, "政务新媒体表述错误台账", "5.2.3",
            (Col.account, Col.publish_date, Col.error_type, Col.description),
            ((Col.error_type,),),
            ("表述", "错误", "差错"),
        ),
        KindSpec(
            LedgerKind.rectification, "政务新媒体问题整改台账", "5.2.4",
            (Col.account, Col.description, Col.notice_received, Col.fix_deadline, Col.fix_date, Col.fixed),
            ((Col.notice_received,), (Col.fix_date, Col.fixed)),
            ("整改",),
        ),
    ]
}


@dataclass(frozen=True)
class KindMatch:
    kind: LedgerKind
    columns: dict[Col, int]  # column -> header position
    score: int


def score_kind(spec: KindSpec, headers: list[str], context: str) -> KindMatch | None:
    assigned = match_columns(headers, list(spec.columns))
    if not all(any(c in assigned for c in group) for group in spec.required):
        return None
    haystack = normalize(context + "".join(headers))
    keyword = any(k in haystack for k in spec.keywords)
    if spec.keyword_required and not keyword:
        return None
    distinctive = [pos for pos in assigned.values() if not is_generic(headers[pos])]
    if not distinctive and not keyword:
        return None  # "类型" or "日期" alone says nothing
    score = len(distinctive) * 3 + (len(assigned) - len(distinctive)) + (5 if keyword else 0)
    return KindMatch(spec.kind, assigned, score)


def detect_kind(headers: list[str], context: str = "") -> KindMatch | None:
    """The most likely kind for a header row; `context` is the title, sheet/file name and title rows.

    None when no kind is possible or two kinds tie; a kind's keyword in the file or sheet name
    (e.g. "……报备台账") breaks such ties.
    """
    matches = sorted(
        (m for spec in KINDS.values() if (m := score_kind(spec, headers, context)) is not None),
        key=lambda m: m.score,
        reverse=True,
    )
    if not matches or (len(matches) > 1 and matches[0].score == matches[1].score):
        return None
    return matches[0]


def kind_columns(kind: LedgerKind) -> list[str]:
    """Template headers of a kind (its columns' labels), in order."""
    return [COLUMNS[c].label for c in KINDS[kind].columns]
