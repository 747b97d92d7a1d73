"""Chat: answer a reviewer's question from the unit's evidence, with numbered, verified citations.

A question about a catalog item ("解读是否说明了新旧政策差异？") runs that item's review and answers
with its finding; any other question is answered from the best passages (offline) or by the LLM
from those passages (online), its citations verified like every other.
"""

from __future__ import annotations

import re

import jieba

from assistant.ask import ChatReply, ask
from assistant.llm.backend import LLMBackend
from assistant.review import UnitReviewer
from core.document import Chunk
from core.findings import VERDICT_LABELS, Citation
from core.textnorm import normalize
from indicators.catalog import Catalog

_ID = re.compile(r"(?<![\d.])(\d(?:\.\d{1,2}){1,2})(?![\d.])")
_STOP = {"是否", "这份", "材料", "这个", "什么", "如何", "怎么", "有没有", "符合", "要求", "情况", "说明", "单位"}
MATCH_THRESHOLD = 2.0


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


def _item_answer(reviewer: UnitReviewer, unit: str, year: int | None, indicator: str) -> ChatReply:
    sc = reviewer.review(unit, year, only={indicator})
    parts, cites = [], []
    for item in sc.items:
        head = f"{item.label}：{VERDICT_LABELS[item.verdict]}，建议得分 {item.suggested_points:.1f} 分（满分 {item.max_points:.1f} 分）。"
        parts.append(head + item.rationale)
        cites.extend(item.citations)
    answer = "\n".join(parts)
    if cites:
        answer += "\n依据：\n" + _numbered(cites)
    return ChatReply(answer=answer, citations=cites, indicator=indicator)


def answer_question(
    question: str,
    reviewer: UnitReviewer,
    unit: str,
    year: int | None = None,
    backend: LLMBackend | None = None,
    k: int = 5,
) -> ChatReply:
    indicator = match_indicator(question, reviewer.catalog)
    if indicator is not None:
        return _item_answer(reviewer, unit, year, indicator)

    ws = reviewer.workspace
    documents = {d.doc_id: d for d in ws.documents(unit)}
    passages: list[Chunk] = [h.chunk for h in ws.search(question, unit=unit, k=k)]
    reply = ask(backend or reviewer.backend, question, passages, documents, unit=unit)
    return reply
