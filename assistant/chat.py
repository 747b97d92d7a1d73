"""Chat: answer a reviewer's question from the unit's evidence, with numbered, verified citations.

A question that asks for a judgement on a catalog item ("这份年报是否符合统一格式？", "1.1.9 扣几分？")
runs that item's review and answers with its finding. Every other question asks for a fact or a figure
and is answered by `assistant.ask` from the unit's material: the retrieved passages and the cells of
its annual reports' tables (the report of the year asked about: the year the question names, else
`year`, else the latest report), never with an item's finding.
"""

from __future__ import annotations

import re

from assistant.ask import ChatCitation, ChatReply, ask, sources
from assistant.llm.backend import LLMBackend
from assistant.qterms import asked_year
from assistant.review import UnitReviewer
from assistant.tablecells import LabelledCell, labelled_cells
from core.document import DocType, Document
from core.findings import VERDICT_LABELS
from core.textnorm import normalize
from indicators.catalog import Catalog
from ingestion.tokenize import cut_for_search

_ID = re.compile(r"(?<![\d.])(\d(?:\.\d{1,2}){1,2})(?![\d.])")
_STOP = {"是否", "这份", "材料", "这个", "什么", "如何", "怎么", "有没有", "符合", "要求", "情况", "说明", "单位"}
MATCH_THRESHOLD = 2.0
# a question that asks for an assessment, not a fact: only these are answered with an item's finding
_JUDGEMENT = re.compile(
    r"是否符合|符不符合|符合(?:要求|规定|标准|格式|考核)|是否达标|达不达标|是否合格|合不合格|得分|扣分|扣几分|几分|多少分|"
    r"打分|评分|评价|是否规范|规不规范|是否按时|是否及时|是否完整|是否齐全|存在(?:什么|哪些)?问题|有无问题|有没有问题|考核")


def _words(text: str) -> set[str]:
    return {w for w in cut_for_search(normalize(text)) if len(w) >= 2 and w not in _STOP}


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


def item_question(question: str, catalog: Catalog) -> str | None:
    """The indicator whose finding answers the question: one it names by id, or the one an assessment
    question ("是否符合…", "扣几分") is about. None for questions of fact."""
    ids = {i.id for i in catalog.indicators}
    if any(m.group(1) in ids for m in _ID.finditer(question)):
        return match_indicator(question, catalog)
    if _JUDGEMENT.search(normalize(question)):
        return match_indicator(question, catalog)
    return None


def _item_answer(reviewer: UnitReviewer, unit: str, year: int | None, indicator: str) -> ChatReply:
    sc = reviewer.review(unit, year, only={indicator})
    parts, cites = [], []
    for item in sc.items:
        head = f"{item.label}：{VERDICT_LABELS[item.verdict]}，建议得分 {item.suggested_points:.1f} 分（满分 {item.max_points:.1f} 分）。"
        parts.append(head + item.rationale)
        cites.extend(ChatCitation(**c.model_dump()) for c in item.citations)
    answer = "\n".join(parts)
    if cites:
        answer += "\n依据：\n" + sources(cites)
    return ChatReply(answer=answer, citations=cites, indicator=indicator)


def report_cells(documents: list[Document], year: int | None) -> list[LabelledCell]:
    """The table cells of the annual reports of `year` (else of the latest year), dated reports first;
    reports whose year is unknown count as the year's (a page of a report may not name its year)."""
    reports = [d for d in documents if d.doc_type == DocType.annual_report]
    years = [d.year for d in reports if d.year is not None]
    target = year if year is not None else (max(years) if years else None)
    chosen = [d for d in reports if d.year is not None and d.year == target]
    chosen += [d for d in reports if d.year is None]
    return [c for d in chosen for c in labelled_cells(d)]


def answer_question(
    question: str,
    reviewer: UnitReviewer,
    unit: str,
    year: int | None = None,
    backend: LLMBackend | None = None,
    k: int = 8,
) -> ChatReply:
    indicator = item_question(question, reviewer.catalog)
    if indicator is not None:
        return _item_answer(reviewer, unit, year, indicator)

    ws = reviewer.workspace
    docs = ws.documents(unit)
    documents = {d.doc_id: d for d in docs}
    year = asked_year(question) or year
    passages = [h.chunk for h in ws.search(question, unit=unit, k=k)]
    return ask(backend or reviewer.backend, question, passages, documents, cells=report_cells(docs, year),
               unit=unit, year=year)
