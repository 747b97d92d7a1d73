"""Sentence-level citing inside retrieved passages (chunks)."""

from __future__ import annotations

import re

from core.document import Document
from core.findings import Citation, cite

_SENTENCE_END = re.compile(r"[。！？；!?;\n]")


def sentences(doc: Document, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans (original offsets) inside doc.text[start:end], trimmed of whitespace."""
    return sentence_spans(doc.text, start, end)


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside text[start:end], trimmed of whitespace."""
    out: list[tuple[int, int]] = []
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        out.append((pos, m.start() if m.group() == "\n" else m.end()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    trimmed = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed


def citation_for(doc: Document, start: int, end: int, max_len: int = 160) -> Citation:
    """Cite a span, clipped to a readable length (a clause to two sentences)."""
    return cite(doc, start, min(end, start + max_len))
