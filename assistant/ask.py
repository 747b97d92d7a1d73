"""Free questions about a unit's evidence (`zwgk chat`, the UI's chat box), answered with verified quotes.

With a model: the chat template, the ChatAnswer schema, the same guard rails and citation
verification as the checklist. Without one (or when it fails): an extractive answer listing the
retrieved passages, each quoted verbatim from its source. Either way every citation is verified.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import BaseModel, Field

from assistant.citations import DroppedCitation, resolve_passage_quotes, verify_citation
from assistant.injection import index_for_passages
from assistant.judge import PLANTED_QUOTE, render_passages
from assistant.llm.backend import LLMBackend, LLMRequest
from assistant.llm.schemas import ChatAnswer
from core.document import Chunk, Document
from core.findings import Citation, Flag, cite

NOTHING_FOUND = "所给材料中未找到相关内容。"
_EXTRACT_CHARS = 150  # of each passage, in the offline answer


class ChatReply(BaseModel):
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    indicator: str | None = None
    flags: list[str] = Field(default_factory=list)

    def public(self) -> dict:
        """The `chat --json` shape (cli-contract.md)."""
        return {"answer": self.answer, "citations": [c.public() for c in self.citations], "indicator": self.indicator}


def _extractive(passages: Sequence[Chunk], documents: Mapping[str, Document], lead: str) -> ChatReply:
    lines, citations = [lead], []
    for n, chunk in enumerate(passages, start=1):
        doc = documents.get(chunk.doc_id)
        if doc is None:
            continue
        end = min(chunk.end, chunk.start + _EXTRACT_CHARS)
        verified = verify_citation(cite(doc, chunk.start, end), doc)
        if verified is None:  # a stale chunk whose offsets no longer match its document
            continue
        citations.append(verified)
        page = f"第{verified.page}页" if verified.page else ""
        lines.append(f"[{n}] 《{chunk.file}》{page}：{verified.quote.strip()}")
    return ChatReply(answer="\n".join(lines) if citations else NOTHING_FOUND, citations=citations)


def ask(
    backend: LLMBackend,
    question: str,
    passages: Sequence[Chunk],
    documents: Mapping[str, Document],
    *,
    unit: str | None = None,
    indicator: str | None = None,
) -> ChatReply:
    if not passages:
        return ChatReply(answer=NOTHING_FOUND, indicator=indicator)
    injections = index_for_passages(passages, documents)
    scan = injections.report_for(passages)
    if not backend.enabled:
        reply = _extractive(passages, documents, "（未启用大模型）与问题最相关的材料原文如下：")
    else:
        request = LLMRequest(prompt="chat", schema=ChatAnswer, label="chat", variables={
            "question": question.strip(),
            "unit": unit or "未注明",
            "passages": render_passages(passages, injections=injections),
        })
        result = backend.judge(request)
        if result.ok:
            out = result.output
            assert isinstance(out, ChatAnswer)
            verified = resolve_passage_quotes(out.citations, passages, documents)
            planted = [c for c in verified.citations if injections.overlaps(c.doc_id, c.start, c.end)]
            verified.citations = [c for c in verified.citations if c not in planted]
            verified.dropped += [DroppedCitation(None, c.file, c.quote, PLANTED_QUOTE) for c in planted]
            reply = ChatReply(answer=out.answer.strip(), citations=verified.citations)
            if verified.dropped:
                reply.flags.append(Flag.citation_dropped)
                reply.answer += f"\n（另有{len(verified.dropped)}条引文未能在原文中核实，已删除）"
            if out.injection_detected:
                reply.flags.append(Flag.needs_human)
        else:
            reply = _extractive(passages, documents, f"（{result.error}，以下为与问题最相关的材料原文）")
            reply.flags += [Flag.llm_error]
    if scan.detected:
        reply.flags.append(Flag.needs_human)
        reply.answer += "\n" + scan.summary_zh()
    reply.indicator = indicator
    reply.flags = list(dict.fromkeys(reply.flags))
    return reply
