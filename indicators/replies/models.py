"""What a 依申请公开答复书 says, as typed facts with spans into the document's text."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field

from indicators.cntext import int_to_cn


class Spanned(BaseModel):
    start: int
    end: int


class DateFact(Spanned):
    value: dt.date


class Channel(StrEnum):
    """How the request arrived (条例第三十一条)."""

    in_person = "in_person"  # 当面提交: 提交之日
    mail = "mail"  # 邮寄: 签收之日 (平常信函: 确认之日)
    online = "online"  # 互联网渠道: 双方确认之日
    fax = "fax"  # 传真: 双方确认之日
    unknown = "unknown"


CHANNEL_LABELS = {Channel.in_person: "当面提交", Channel.mail: "邮寄（信函）", Channel.online: "互联网渠道",
                  Channel.fax: "传真", Channel.unknown: "未说明"}


class ReceiptDateKind(StrEnum):
    received = "received"  # 收到/签收/受理/确认: a receipt date in the 第三十一条 sense
    sent = "sent"  # 提交/寄出/发送/提出: the applicant's sending date only


class Receipt(BaseModel):
    date: DateFact | None = None
    kind: ReceiptDateKind | None = None
    channel: Channel = Channel.unknown
    channel_span: Spanned | None = None
    sentence: Spanned | None = None


class ReplyType(StrEnum):
    already_public = "already_public"
    disclosed = "disclosed"
    refused = "refused"
    not_exist = "not_exist"
    not_ours = "not_ours"
    repeated = "repeated"
    special_law = "special_law"
    partial = "partial"
    needs_processing = "needs_processing"
    petition = "petition"
    publication = "publication"
    excessive = "excessive"
    correction_lapsed = "correction_lapsed"


# (article, item) of the 条例 (2019) that each reply type rests on (domain-rules.md §2.2)
REPLY_TYPE_BASIS: dict[ReplyType, tuple[int, int | None]] = {
    ReplyType.already_public: (36, 1),
    ReplyType.disclosed: (36, 2),
    ReplyType.refused: (36, 3),
    ReplyType.not_exist: (36, 4),
    ReplyType.not_ours: (36, 5),
    ReplyType.repeated: (36, 6),
    ReplyType.special_law: (36, 7),
    ReplyType.partial: (37, None),
    ReplyType.needs_processing: (38, None),
    ReplyType.petition: (39, None),
    ReplyType.publication: (39, None),
    ReplyType.excessive: (35, None),
    ReplyType.correction_lapsed: (30, None),
}

REPLY_TYPE_LABELS: dict[ReplyType, str] = {
    ReplyType.already_public: "已主动公开（告知获取途径）",
    ReplyType.disclosed: "予以公开",
    ReplyType.refused: "不予公开",
    ReplyType.not_exist: "信息不存在",
    ReplyType.not_ours: "不属于本机关负责公开",
    ReplyType.repeated: "重复申请不予重复处理",
    ReplyType.special_law: "依照特别规定办理（工商、不动产登记资料等）",
    ReplyType.partial: "部分公开（区分处理）",
    ReplyType.needs_processing: "需加工、分析，不予提供",
    ReplyType.petition: "信访、投诉、举报，不作为政府信息公开申请处理",
    ReplyType.publication: "公开出版物，告知获取途径",
    ReplyType.excessive: "申请数量、频次明显超过合理范围",
    ReplyType.correction_lapsed: "逾期未补正，不再处理",
}

# reply types that deny the applicant what was asked (a refusal reason and a remedy notice are required)
ADVERSE_TYPES = frozenset(set(ReplyType) - {ReplyType.already_public, ReplyType.disclosed})
# articles that may accompany a type's own basis without contradicting it
COMPANION_ARTICLES: dict[ReplyType, set[tuple[int, int | None]]] = {
    ReplyType.partial: {(36, 2), (36, 3), (14, None), (15, None), (16, None)},
    ReplyType.refused: {(14, None), (15, None), (16, None), (32, None)},
    ReplyType.needs_processing: {(36, 4)},
    ReplyType.disclosed: {(32, None), (34, None)},
}


class ReplyTypeHit(Spanned):
    type: ReplyType


class ArticleRef(Spanned):
    article: int
    item: int | None = None
    law: str | None = Field(None, description="the law named before it in the sentence; None = not named")
    is_regulation: bool = Field(description="refers to the 政府信息公开条例")

    def key(self) -> tuple[int, int | None]:
        return (self.article, self.item)

    def label(self) -> str:
        return article_label(self.article, self.item)


class Extension(BaseModel):
    sentence: Spanned
    workdays: int = 20
    approved: bool = False  # 经（政府信息公开工作）机构负责人同意
    notice_date: DateFact | None = None


class Consultation(BaseModel):
    sentence: Spanned
    excluded_workdays: int | None = None  # stated, or counted between the two dates given
    dates: list[DateFact] = Field(default_factory=list)


class Correction(BaseModel):
    """补正: the clock restarts when the corrected request is received (条例第三十条)."""

    sentence: Spanned
    corrected_receipt: DateFact | None = None


class RemedyNotice(BaseModel):
    sentence: Spanned
    review: bool = False  # 行政复议
    suit: bool = False  # 行政诉讼
    review_first: bool = False  # 先申请行政复议 / 对复议决定不服的再起诉
    alternatives: bool = False  # 复议 或 诉讼
    review_period: str | None = None  # as written, e.g. 60日
    review_period_days: int | None = None
    suit_period: str | None = None
    suit_period_months: int | None = None


class ReplyFacts(BaseModel):
    applicant: str | None = None
    applicant_span: Spanned | None = None
    receipt: Receipt = Field(default_factory=Receipt)
    reply_date: DateFact | None = None
    issuer: str | None = None
    issuer_span: Spanned | None = None
    extension: Extension | None = None
    consultation: Consultation | None = None
    correction: Correction | None = None
    types: list[ReplyTypeHit] = Field(default_factory=list)
    articles: list[ArticleRef] = Field(default_factory=list)
    refusal_reasons: list[Spanned] = Field(default_factory=list)
    remedy: RemedyNotice | None = None
    outdated_deadline: list[Spanned] = Field(default_factory=list)  # 2007 条例 15个工作日

    def type_set(self) -> set[ReplyType]:
        return {h.type for h in self.types}

    def regulation_articles(self) -> list[ArticleRef]:
        return [a for a in self.articles if a.is_regulation]


_CN_ITEMS = "一二三四五六七八九十"


def article_label(article: int, item: int | None) -> str:
    text = f"第{int_to_cn(article)}条"
    return text + (f"第（{_CN_ITEMS[item - 1]}）项" if item else "")
