"""Chat questions with expected facts (SAMPLES_DIR/chat.yaml) and how `zwgk eval` grades the answers.

    questions:
      - id: siping-new-requests                      # unique within the file
        case: siping-2022-dept-annual-flat-txt       # a case of this SAMPLES_DIR: its unit, year and docs
        question: 本年度新收政府信息公开申请多少件？
        facts: ["8"]                                 # each must be stated by the answer and held by a right citation
        evidence:                                    # where the fact is (quotes verbatim, as in gold.yaml)
          - file: 四平市生态环境局2022年政府信息公开工作年度报告.txt
            quote: "一、本年新收政府信息公开申请数量 | 5 | 0 | 2 | 1 | 0 | 0 | 8"
            cell: 表三·本年新收政府信息公开申请数量·总计   # optional: the cited cell's labels
        notes: 人工核对所见
      - id: yanshi-fax
        case: yanshi-kejiju-2026-guide
        question: 受理机构的传真号码是多少？
        silent: true                                 # gold: the material does not say (材料未提及)

Grading, per question:
- answer right: a silent question's answer says 材料未提及 and cites nothing; any other's answer (the part
  before its list of sources, citation markers removed) states every fact (a figure as a whole number,
  not inside a longer one) and does not say 材料未提及.
- citation right: a silent question's answer cites nothing; any other's answer has citations that point
  into a gold evidence passage (same file; the span overlaps the quote's span by at least half of the
  shorter, as for findings), carry the gold `cell` labels when the gold names a cell, and together hold
  every fact.
- correct: both.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from assistant.ask import NOT_FOUND, ChatReply
from core.document import Document
from core.errors import ConfigError
from core.files import read_mapping
from core.textnorm import normalize
from eval.metrics import same_file, spans_overlap

CHAT_FILE = "chat.yaml"


class ChatEvidence(BaseModel):
    model_config = ConfigDict(extra="forbid")
    file: str = Field(min_length=1)
    quote: str = Field(min_length=1)
    cell: str | None = None


class ChatQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1)
    case: str = Field(min_length=1)
    question: str = Field(min_length=1)
    facts: list[str] = Field(default_factory=list)
    evidence: list[ChatEvidence] = Field(default_factory=list)
    silent: bool = False
    notes: str | None = None

    @model_validator(mode="after")
    def _facts_or_silent(self) -> ChatQuestion:
        if self.silent and (self.facts or self.evidence):
            raise ValueError("silent 问题不应有 facts 或 evidence")
        if not self.silent and (not self.facts or not self.evidence):
            raise ValueError("非 silent 问题须给出 facts 和 evidence")
        return self


class ChatFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    questions: list[ChatQuestion]


def load_chat(samples_dir: Path) -> list[ChatQuestion]:
    """The chat questions of a samples dir ([] when it has no chat.yaml); a broken file is a ConfigError (exit 2)."""
    path = samples_dir / CHAT_FILE
    if not path.is_file():
        return []
    raw = read_mapping(path, ConfigError, "{path}: 无法读取（{exc}）", "{path}: 内容应为映射（questions）")
    try:
        questions = ChatFile.model_validate(raw).questions
    except ValidationError as exc:
        raise ConfigError(f"{path}: 格式错误\n{exc}") from exc
    ids = [q.id for q in questions]
    if dup := sorted({i for i in ids if ids.count(i) > 1}):
        raise ConfigError(f"{path}: 问题编号重复：{', '.join(dup)}")
    return questions


# ---------------------------------------------------------------- grading

_MARKER = re.compile(r"\[\d+\]")


def answer_body(answer: str) -> str:
    """The answer without its list of sources and citation markers."""
    return _MARKER.sub("", answer.split("\n\n依据：", 1)[0])


def _states(text: str, fact: str) -> bool:
    """`fact` is in `text` (normalised); a figure only as a whole number, not inside a longer one."""
    t, f = normalize(text), normalize(fact)
    if re.fullmatch(r"[\d.]+", f):
        return re.search(rf"(?<![\d.]){re.escape(f)}(?![\d]|\.\d)", t) is not None
    return f in t


def _evidence_span(ev: ChatEvidence, documents: Sequence[Document]) -> tuple[Document, tuple[int, int]] | None:
    for doc in documents:
        if same_file(doc.file, ev.file) and (hit := doc.find(ev.quote)) is not None:
            return doc, (hit.start, hit.end)
    return None


def grade(q: ChatQuestion, reply: ChatReply, documents: Sequence[Document]) -> dict[str, Any]:
    """One question's record: the answer, its citations, and whether answer and citation are right."""
    body = answer_body(reply.answer)
    says_silent = body.lstrip().startswith(NOT_FOUND)
    if q.silent:
        answer_ok = says_silent
        citation_ok = not reply.citations
    else:
        answer_ok = not says_silent and all(_states(body, f) for f in q.facts)
        spans = [s for ev in q.evidence if (s := _evidence_span(ev, documents)) is not None]
        good = []
        for c in reply.citations:
            for ev, (doc, span) in zip(q.evidence, spans, strict=False):
                if (same_file(c.file, doc.file) and spans_overlap((c.start, c.end), span)
                        and (ev.cell is None or c.label == ev.cell)):
                    good.append(c.quote)
                    break
        citation_ok = bool(good) and all(any(_states(quote, f) for quote in good) for f in q.facts)
    return {
        "id": q.id, "case": q.case, "question": q.question, "silent": q.silent, "facts": q.facts,
        "answer": reply.answer, "citations": [c.public() for c in reply.citations], "flags": reply.flags,
        "answer_ok": answer_ok, "citation_ok": citation_ok, "correct": answer_ok and citation_ok,
    }


def chat_metrics(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The chat figures of metrics.json (None ratios when there is no question)."""
    n = len(records)

    def share(key: str, rows: Sequence[Mapping[str, Any]]) -> float | None:
        return sum(bool(r[key]) for r in rows) / len(rows) if rows else None

    silent = [r for r in records if r["silent"]]
    return {
        "questions": n,
        "correct": sum(bool(r["correct"]) for r in records),
        "accuracy": share("correct", records),
        "answer_accuracy": share("answer_ok", records),
        "citation_accuracy": share("citation_ok", records),
        "silent_questions": len(silent),
        "silent_correct": sum(bool(r["correct"]) for r in silent),
        "wrong": [r["id"] for r in records if not r["correct"]],
    }
