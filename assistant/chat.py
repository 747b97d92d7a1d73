"""Chat: answer a reviewer's question from the unit's evidence, with numbered, verified citations.

A question about a catalog item ("解读是否说明了新旧政策差异？") runs that item's review and answers
with its finding; any other question is answered from the best passages (offline) or by the LLM
from those passages (online), its citations verified like every other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import jieba
from pydantic import BaseModel, Field

from assistant.citations import resolve_passage_quotes, verify_citations
from assistant.injection import scan_passages
from assistant.llm.backend import LLMBackend, LLMRequest
from assistant.passages import citation_for
from assistant.review import UnitReviewer
from indicators.catalog import Catalog
from indicators.findings import VERDICT_LABELS, Citation
from ingestion.models import Chunk
from ingestion.textnorm import normalize

_ID = re.compile(r"(?<![\d.])(\d(?:\.\d{1,2}){1,2})(?![\d.])")
_STOP = {"是否", "这份", "材料", "这个", "什么", "如何", "怎么", "有没有", "符合", "要求", "情况", "说明", "单位"}
MATCH_THRESHOLD = 2.0


class PassageQuote(BaseModel):
    passage: int = Field(description="passage number [n]")
    quote: str = Field(description="verbatim text from that passage")


class ChatReply(BaseModel):
    answer: str = Field(description="Chinese answer, citing passages as [n]")
    citations: list[PassageQuote] = Field(default_factory=list)


@dataclass
class ChatAnswer:
    answer: str
    citations: list[Citation] = field(default_factory=list)
    indicator: str | None = None

    def to_json(self) -> dict:
        return {"answer": self.answer, "citations": [c.public() for c in self.citations],
                "indicator": self.indicator}


def _words(text: str) -> set[str]:
    return {w for w in jieba.lcut_for_search(normalize(text)) if len(w) >= 2 and w not in _STOP}


def match_indicator(question: str, catalog: Catalog) -> str | None:
    """The catalog indicator a question is about: an explicit id, else the best term overlap."""
    ids = {i.id for i in catalog.indicators}
    for m in _ID.finditer(question):
        if m.group(1) in ids:
            return m.group(1)
    q = _words(question)
    best: tuple[float, str | None] = (0.0, None)
    for su in catalog.scored_units():
        name_terms = _words(su.name)
        item_terms = _words(" ".join([*su.keywords, *su.required_elements]))
        score = 2.0 * len(q & name_terms) + len(q & item_terms) + 0.5 * len(q & _words(su.text))
        if score > best[0]:
            best = (score, su.id)
    return best[1] if best[0] >= MATCH_THRESHOLD else None


def _numbered(citations: list[Citation]) -> str:
    lines = []
    for n, c in enumerate(citations, 1):
        page = f"第{c.page}页，" if c.page else ""
        lines.append(f"[{n}] “{c.quote}”（{c.file}，{page}字符 {c.start}–{c.end}）")
    return "\n".join(lines)


def _item_answer(reviewer: UnitReviewer, unit: str, year: int | None, indicator: str) -> ChatAnswer:
    sc = reviewer.review(unit, year, only={indicator})
    parts, cites = [], []
    for item in sc.items:
        head = f"{item.label}：{VERDICT_LABELS[item.verdict]}，建议得分 {item.suggested_points:.1f} 分（满分 {item.max_points:.1f} 分）。"
        parts.append(head + item.rationale)
        cites.extend(item.citations)
    answer = "\n".join(parts)
    if cites:
        answer += "\n依据：\n" + _numbered(cites)
    return ChatAnswer(answer=answer, citations=cites, indicator=indicator)


def answer_question(
    question: str,
    reviewer: UnitReviewer,
    unit: str,
    year: int | None = None,
    backend: LLMBackend | None = None,
    k: int = 5,
) -> ChatAnswer:
    indicator = match_indicator(question, reviewer.catalog)
    if indicator is not None:
        return _item_answer(reviewer, unit, year, indicator)

    ws = reviewer.workspace
    documents = {d.doc_id: d for d in ws.documents(unit)}
    passages: list[Chunk] = [h.chunk for h in ws.search(question, unit=unit, k=k)]
    if not passages:
        return ChatAnswer(answer="该单位的材料中没有找到与问题相关的内容。")
    backend = backend or reviewer.backend
    if backend.enabled:
        from assistant.judge import render_passages

        result = backend.judge(LLMRequest(prompt="chat", schema=ChatReply, label="chat",
                                          variables={"question": question, "unit": unit,
                                                     "passages": render_passages(passages)}))
        if result.ok:
            reply = result.output
            verified = resolve_passage_quotes(reply.citations, passages, documents)
            text = reply.answer
            if verified.dropped:
                text += "\n（模型给出的部分引文未能在原文中核实，已删除。）"
            if scan_passages(passages).detected:
                text += "\n（注意：相关材料中含有指令性文字，已按材料内容处理，未执行。）"
            return ChatAnswer(answer=text + ("\n依据：\n" + _numbered(verified.citations)
                                             if verified.citations else ""), citations=verified.citations)
    cites = []
    for p in passages:
        doc = documents.get(p.doc_id)
        if doc is not None:
            cites.append(citation_for(doc, p.start, p.end, max_len=200))
    cites = verify_citations(cites, documents).citations
    answer = "未配置大模型，以下是材料中与问题最相关的原文段落，请据此判断：\n" + _numbered(cites)
    return ChatAnswer(answer=answer, citations=cites)
