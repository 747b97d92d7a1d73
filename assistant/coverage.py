"""Offline, evidence-based verdicts: which of a sub-item's required elements the passages show.

Used when no rule decides an item and no LLM is configured, so that every item still gets a
finding (the best passages, and a verdict from the share of required elements found), marked
low-confidence for the reviewer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.passages import citation_for, sentences
from core.document import Chunk, Document
from core.findings import Citation
from core.textnorm import normalize
from ingestion.tokenize import cut

_STOP = {"的", "和", "与", "及", "等", "情况", "相关", "信息", "工作", "进行", "开展", "加强", "推进", "落实"}


def element_terms(element: str) -> list[str]:
    """The words an element is recognised by: the element itself, else its content words."""
    words = [w for w in cut(normalize(element), remember=True) if len(w) >= 2 and w not in _STOP]
    return words or [normalize(element)]


@dataclass
class ElementHit:
    element: str
    citation: Citation | None  # the sentence that shows it, or None when missing


@dataclass
class Coverage:
    hits: list[ElementHit] = field(default_factory=list)

    @property
    def found(self) -> list[ElementHit]:
        return [h for h in self.hits if h.citation is not None]

    @property
    def missing(self) -> list[str]:
        return [h.element for h in self.hits if h.citation is None]

    @property
    def share(self) -> float:
        return len(self.found) / len(self.hits) if self.hits else 0.0


def _sentence_matches(norm_sentence: str, element: str, terms: list[str]) -> bool:
    if normalize(element) in norm_sentence:
        return True
    present = sum(1 for t in terms if t in norm_sentence)
    needed = 1 if len(terms) <= 2 else -(-len(terms) * 6 // 10)  # ceil(60%)
    return present >= needed


@dataclass(frozen=True)
class ElementMatcher:
    """Whether a sentence shows one element: any of its catalog surface forms, else most of its
    content words. Shared by the coverage estimate and the points ceiling (assistant/ceiling.py)."""

    element: str
    terms: tuple[str, ...]
    alternatives: tuple[str, ...]

    @classmethod
    def of(cls, element: str, surface_forms: dict[str, list[str]] | None = None) -> ElementMatcher:
        forms = (surface_forms or {}).get(element, [])
        return cls(element, tuple(element_terms(element)), tuple(a for a in (normalize(f) for f in forms) if a))

    def shown_by(self, sentence: str) -> bool:
        norm = normalize(sentence)
        return any(a in norm for a in self.alternatives) or _sentence_matches(norm, self.element, list(self.terms))


def element_coverage(elements: list[str], passages: list[Chunk], documents: dict[str, Document],
                     surface_forms: dict[str, list[str]] | None = None,
                     blocked: Callable[[str, int, int], bool] | None = None) -> Coverage:
    """For each element, the first passage sentence that shows it.

    An element is shown by any of its catalog surface forms, else by most of its content words.
    `blocked(doc_id, start, end)` names sentences that are not evidence (planted instructions).
    """
    cov = Coverage()
    for element in elements:
        matcher = ElementMatcher.of(element, surface_forms)
        found: Citation | None = None
        for p in passages:
            doc = documents.get(p.doc_id)
            if doc is None:
                continue
            for s, e in sentences(doc, p.start, p.end):
                if blocked is not None and blocked(doc.doc_id, s, e):
                    continue
                if matcher.shown_by(doc.text[s:e]):
                    found = citation_for(doc, s, e)
                    break
            if found:
                break
        cov.hits.append(ElementHit(element, found))
    return cov
