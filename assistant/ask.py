"""Free questions about a unit's evidence (`zwgk chat`, the UI's chat box): a short answer, each claim cited.

The answer states the figure or fact asked for in one or two sentences, each followed by its citation
[n]; a table cell is cited with its table, row and column labels ("表三·本年新收政府信息公开申请数量·总计
= 35"). Where the material does not say, the answer says so (材料未提及……).

Offline (no model) the answer is extractive: the table cell whose labels the question names, else the
clause of the retrieved passages that holds the fact (assistant.extract), quoted verbatim. With a model,
the model writes the sentences from the numbered passages and cells (prompts/chat.md) and every claim
is verified: its quote must be in the cited material (citations.resolve_passage_quotes, or the cell's
exact span) and every figure it states must be in that quote or cell. Unverifiable claims are dropped and
the reply flagged; nothing is left → the offline answer, flagged. Document text is data: planted
instructions are marked for the model and reported to the reviewer, whatever the model does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel, Field

from assistant.citations import resolve_passage_quotes, verify_citation
from assistant.extract import Extract, best_clauses, dated
from assistant.injection import InjectionIndex, index_for_passages
from assistant.judge import PLANTED_QUOTE, render_passages
from assistant.llm.backend import LLMBackend, LLMRequest
from assistant.llm.schemas import ChatAnswer, ChatClaim, PassageQuote
from assistant.qterms import Slot, slot_of
from assistant.tablecells import LabelledCell, match_cells
from core.document import Chunk, Document
from core.findings import Citation, Flag, cite
from core.textnorm import normalize

NOT_FOUND = "材料未提及"
MAX_CLAIMS = 2
MAX_CELLS_SHOWN = 6  # cells offered to the model besides the passages


class ChatCitation(Citation):
    """A citation of a chat answer; `label` names a table cell (表三·行·列) or a typed date (落款日期)."""

    label: str | None = None

    def public(self) -> dict:
        return {**super().public(), "label": self.label}


class ChatReply(BaseModel):
    answer: str
    citations: list[ChatCitation] = Field(default_factory=list)
    indicator: str | None = None
    flags: list[str] = Field(default_factory=list)

    def public(self) -> dict:
        """The `chat --json` shape (cli-contract.md; each citation also carries its `label`)."""
        return {"answer": self.answer, "citations": [c.public() for c in self.citations], "indicator": self.indicator}


# ---------------------------------------------------------------- composing an answer


def sources(citations: Sequence[Citation], width: int = 60) -> str:
    """The numbered list of sources under an answer: file, page, offsets, and the cell's labels."""
    lines = []
    for n, c in enumerate(citations, 1):
        page = f"第{c.page}页，" if c.page else ""
        label = getattr(c, "label", None)
        quote = c.quote.strip()
        quote = quote if len(quote) <= width else quote[:width] + "…"
        what = f"{label} = {quote}" if label else f"“{quote}”"
        lines.append(f"[{n}] 《{c.file}》{page}字符 {c.start}–{c.end}：{what}")
    return "\n".join(lines)


def _with_sources(sentences: Sequence[str], citations: Sequence[Citation]) -> str:
    return "".join(sentences) + "\n\n依据：\n" + sources(citations)


_ASKING = re.compile(r"(?:是|有|为|共|一共|共有|在)?(?:多少|几|什么时候|什么|哪些|哪几|哪个|哪里|哪儿|哪天|哪一天|何时|"
                     r"哪|是否|有没有)[个件项条次天名份家篇种]?")


def not_found(question: str, slot: Slot | None = None) -> str:
    """材料未提及……, naming what was asked ("…有哪些内设机构？" → 材料未提及…的内设机构)."""
    q = normalize(question).rstrip("？?。.！!").removesuffix("吗").removesuffix("呢")
    q = re.sub(r"^(?:请问|想问一下|请告诉我)", "", q)
    m = _ASKING.search(q)
    if m is None or re.search(r"是否|有没有", m.group()):
        topic = q  # 材料未提及本年度是否收取信息处理费
    else:
        head, tail = q[:m.start()].rstrip("的了，,"), q[m.end():].strip("的了，,")
        if not re.search(r"哪些|哪几|哪个|什么", m.group()) or "什么时候" in m.group():
            tail = ""  # after 多少/几 comes a measure (件, 个工作日), after 什么时候 a verb: not what was asked
        topic = f"{head}的{tail}" if head and tail else head or tail
        if slot is not None and slot.name != "number" and not slot.asks.search(topic):
            topic = f"{topic}的{slot.label}" if topic else slot.label  # 受理机构在哪里 → 受理机构的地址
    return f"{NOT_FOUND}{topic}。" if topic else f"{NOT_FOUND}相关内容。"


def _citation(doc: Document, start: int, end: int, label: str | None) -> ChatCitation | None:
    verified = verify_citation(cite(doc, start, end), doc)
    return None if verified is None else ChatCitation(**verified.model_dump(), label=label)


def offline_extracts(question: str, passages: Sequence[Chunk], documents: Mapping[str, Document],
                     cells: Sequence[LabelledCell] = (), year: int | None = None) -> list[Extract]:
    """What answers the question without a model: a table cell, a typed date, else the best clause."""
    slot = slot_of(question)
    if slot is not None and slot.name == "number":
        matches = match_cells(question, cells)
        if matches:
            best = matches[0]
            tied = [m for m in matches if m.score == best.score and m.cell.label != best.cell.label]
            return [Extract(m.cell.doc_id, m.cell.file, m.cell.start, m.cell.end, m.score, m.cell.label)
                    for m in [best, *tied][:MAX_CLAIMS]]
    if slot is not None and slot.name in ("day", "date"):
        found = dated(question, list(documents.values()), year)
        if found is not None:
            return [found]
    return best_clauses(question, slot, passages, documents, year)


def extractive_reply(question: str, extracts: Sequence[Extract], documents: Mapping[str, Document]) -> ChatReply:
    sentences, citations = [], []
    for x in extracts:
        doc = documents.get(x.doc_id)
        c = _citation(doc, x.start, x.end, x.label) if doc is not None else None
        if c is None:  # a stale span: never shown unverified
            continue
        citations.append(c)
        n = len(citations)
        if x.label:
            sep = " = " if "·" in x.label else "："
            sentences.append(f"{x.label}{sep}{c.quote.strip()}[{n}]。")
        else:
            sentences.append(f"《{c.file}》：“{c.quote.strip()}”[{n}]。")
    if not citations:
        return ChatReply(answer=not_found(question, slot_of(question)))
    return ChatReply(answer=_with_sources(sentences, citations), citations=citations)


# ---------------------------------------------------------------- the model's answer


def render_cells(cells: Sequence[LabelledCell], first: int) -> str:
    if not cells:
        return "（无）"
    return "\n".join(f"[{first + i}] 表格单元格《{c.file}》：{c.text}" for i, c in enumerate(cells))


_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_MARKERS = re.compile(r"\s*(?:\[\d+\]|【\d+】|[（(]材料\s*\d+[）)])")


def _numbers(text: str) -> set[Decimal]:
    out = set()
    for m in _NUMBER.finditer(normalize(text).replace(",", "")):
        try:
            out.add(Decimal(m.group()).normalize())
        except InvalidOperation:
            continue
    return out


def _unsupported_figures(claim: str, support: str) -> set[Decimal]:
    """Figures the claim states that its support (quote, cell labels, question, file name) does not hold."""
    return _numbers(claim) - _numbers(support)


def _verify_claim(claim: ChatClaim, question: str, passages: Sequence[Chunk], cells: Sequence[LabelledCell],
                  documents: Mapping[str, Document]) -> tuple[ChatCitation | None, str]:
    """The claim's verified citation, or None and why (Chinese)."""
    n = claim.material
    if 1 <= n <= len(passages):
        verified = resolve_passage_quotes([PassageQuote(passage=n, quote=claim.quote)], passages, documents)
        if not verified.citations:
            return None, verified.dropped[0].reason if verified.dropped else "引文在原文中未找到"
        c = verified.citations[0]
        cited = ChatCitation(**c.model_dump())
        support = f"{c.quote} {question} {c.file}"
    elif len(passages) < n <= len(passages) + len(cells):
        cell = cells[n - len(passages) - 1]
        if normalize(cell.value) not in normalize(claim.quote):
            return None, f"引文与单元格“{cell.label}”的数值 {cell.value} 不符"
        doc = documents.get(cell.doc_id)
        cited = _citation(doc, cell.start, cell.end, cell.label) if doc is not None else None
        if cited is None:
            return None, "单元格在原文中未找到"
        support = f"{cell.text} {question} {cell.file}"
    else:
        return None, f"材料编号[{n}]不存在"
    if bad := _unsupported_figures(claim.text, support):
        shown = "、".join(sorted(str(b) for b in bad))
        return None, f"陈述中的数字 {shown} 不在所引材料中"
    return cited, ""


def _model_reply(out: ChatAnswer, question: str, passages: Sequence[Chunk], cells: Sequence[LabelledCell],
                 documents: Mapping[str, Document],
                 injections: InjectionIndex | None = None) -> tuple[ChatReply | None, list[str]]:
    """The reply built from the model's verified claims (None when none survived) and the dropped reasons.
    A claim citing a planted instruction (`injections`) is dropped like an unverifiable one."""
    sentences: list[str] = []
    citations: list[ChatCitation] = []
    dropped: list[str] = []
    for claim in out.claims:
        cited, reason = _verify_claim(claim, question, passages, cells, documents)
        if cited is not None and injections is not None and injections.overlaps(cited.doc_id, cited.start, cited.end):
            cited, reason = None, PLANTED_QUOTE
        if cited is None:
            dropped.append(f"“{claim.text.strip()}”：{reason}")
            continue
        if len(citations) >= MAX_CLAIMS:
            continue
        key = cited.key
        n = next((i for i, c in enumerate(citations, 1) if c.key == key), None)
        if n is None:
            citations.append(cited)
            n = len(citations)
        text = _MARKERS.sub("", claim.text.strip()).rstrip("。；;，, ")
        sentences.append(f"{text}[{n}]。")
    if not citations:
        return None, dropped
    return ChatReply(answer=_with_sources(sentences, citations), citations=citations), dropped


def ask(
    backend: LLMBackend,
    question: str,
    passages: Sequence[Chunk],
    documents: Mapping[str, Document],
    *,
    cells: Sequence[LabelledCell] = (),
    unit: str | None = None,
    indicator: str | None = None,
    year: int | None = None,
) -> ChatReply:
    """Answer `question` from the retrieved `passages` and the report `cells` of the unit's `documents`."""
    injections = index_for_passages(passages, documents)
    scan = injections.report_for(passages)
    if not backend.enabled:
        reply = extractive_reply(question, offline_extracts(question, passages, documents, cells, year), documents)
    elif not passages and not cells:
        reply = ChatReply(answer=not_found(question, slot_of(question)))
    else:
        shown_cells = [m.cell for m in match_cells(question, cells)[:MAX_CELLS_SHOWN]]
        request = LLMRequest(prompt="chat", schema=ChatAnswer, label="chat", variables={
            "question": question.strip(),
            "unit": unit or "未注明",
            "passages": render_passages(passages, injections=injections),
            "cells": render_cells(shown_cells, len(passages) + 1),
        })
        result = backend.judge(request)
        if result.ok:
            out = result.output
            assert isinstance(out, ChatAnswer)
            built, dropped = _model_reply(out, question, passages, shown_cells, documents, injections)
            if built is not None:
                reply = built
            elif out.not_in_material and not dropped:
                reply = ChatReply(answer=not_found(question, slot_of(question)))
            else:  # every claim failed verification: the material itself, quoted
                extracts = offline_extracts(question, passages, documents, cells, year)
                reply = extractive_reply(question, extracts, documents)
                reply.answer = "（模型的回答未能在材料中核实，以下为材料原文摘录）\n" + reply.answer
            if dropped:
                reply.flags.append(Flag.citation_dropped)
                reply.answer += f"\n（另有{len(dropped)}条说法未能在材料中核实，已删除：" + "；".join(dropped) + "）"
            if out.injection_detected:
                reply.flags.append(Flag.needs_human)
        else:
            extracts = offline_extracts(question, passages, documents, cells, year)
            reply = extractive_reply(question, extracts, documents)
            reply.answer = f"（{result.error}，以下为材料原文摘录）\n" + reply.answer
            reply.flags.append(Flag.llm_error)
    if scan.detected:
        reply.flags.append(Flag.needs_human)
        reply.answer += "\n" + scan.summary_zh()
    reply.indicator = indicator
    reply.flags = list(dict.fromkeys(reply.flags))
    return reply
