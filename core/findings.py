"""Findings and citations: what the scoring core hands to the assistant, the UI and the exports.

`cite()` is the one place a citation is made: from an exact span of a parsed document.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, Field

from core.document import Document
from core.enums import LabelledEnum


class Verdict(LabelledEnum):
    met = "met", "符合"
    partial = "partial", "部分符合"
    not_met = "not_met", "不符合"
    insufficient_evidence = "insufficient_evidence", "材料不足"


VERDICT_LABELS: dict[Verdict, str] = Verdict.labels()


class Source(LabelledEnum):
    """Who decided a finding: the label is what the UI and the exports show."""

    rule = "rule", "规则计算"
    llm = "llm", "模型研判"
    rule_llm = "rule+llm", "规则计算，模型印证"
    none = "none", "材料检索"  # evidence coverage by retrieval, no rule and no model


class Flag(LabelledEnum):
    """Reasons for a human to look. Serialised as their string values."""

    ambiguous_rubric = "ambiguous_rubric", "评分标准不明确"  # the indicator table itself is unclear here
    citation_dropped = "citation_dropped", "引文未能核实已删除"  # a cited passage was not found in the document
    rule_llm_conflict = "rule_llm_conflict", "规则与模型结论不一致"
    needs_human = "needs_human", "需人工复核"
    out_of_calendar = "out_of_calendar", "日期超出节假日日历范围"  # a date outside the holiday calendar's coverage
    date_unknown = "date_unknown", "日期无法确定"
    borderline = "borderline", "临界情况"  # a day count or threshold within the margin of doubt
    unconfirmed_rule = "unconfirmed_rule", "依据未经确认"  # the rule rests on an UNCONFIRMED reading (domain-rules.md)
    low_confidence = "low_confidence", "低置信度"  # evidence-coverage verdict without rule or LLM
    no_evidence = "no_evidence", "无相关材料"
    doc_type_uncertain = "doc_type_uncertain", "材料类型待确认"  # no evidence found, but some material's type is uncertain
    blank_cells = "blank_cells", "表格存在空白单元格"
    llm_error = "llm_error", "模型调用失败"
    llm_timeout = "llm_timeout", "模型超时"  # the model did not answer in time (request timeout or the run's deadline)
    points_capped = "points_capped", "模型建议分超出依据，已下调"  # the model suggested more than rules + verified evidence support
    injection_suspected = "injection_suspected", "材料含疑似指令性文字"  # evidence addresses the assessor (planted instructions)


FLAG_LABELS: dict[Flag, str] = Flag.labels()


class Citation(BaseModel):
    """A verified passage: `quote` == document.text[start:end] (up to whitespace/width)."""

    file: str
    doc_id: str | None = None
    page: int | None = None
    start: int
    end: int
    quote: str

    @property
    def key(self) -> tuple[str | None, str, int, int]:
        """What makes two citations the same: the same span of the same document."""
        return self.doc_id, self.file, self.start, self.end

    def public(self) -> dict:
        """The contract's citation shape (cli-contract.md)."""
        return {"file": self.file, "page": self.page, "start": self.start, "end": self.end, "quote": self.quote}


class Finding(BaseModel):
    """The assistant's proposal for one scored unit (an indicator, or one of its sub-items)."""

    indicator_id: str
    sub: int | None = None
    name: str = ""
    max_points: float
    verdict: Verdict
    suggested_points: float
    citations: list[Citation] = Field(default_factory=list)
    rationale: str = ""
    source: Source = Source.none
    confidence: float = Field(0.5, ge=0.0, le=1.0)
    flags: list[str] = Field(default_factory=list)

    def add_flag(self, flag: str) -> None:
        if flag not in self.flags:
            self.flags.append(flag)


def unique_citations(citations: Iterable[Citation]) -> list[Citation]:
    """The citations in their order, each span once (the first of those with the same `key`)."""
    seen: set[tuple[str | None, str, int, int]] = set()
    out = []
    for c in citations:
        if c.key not in seen:
            seen.add(c.key)
            out.append(c)
    return out


def cite(doc: Document, start: int, end: int) -> Citation:
    """A citation to an exact span of a document (offsets into doc.text)."""
    if not 0 <= start <= end <= len(doc.text):
        raise ValueError(f"span {start}:{end} outside {doc.file}")
    return Citation(
        file=doc.file, doc_id=doc.doc_id, page=doc.page_of(start), start=start, end=end, quote=doc.text[start:end]
    )
