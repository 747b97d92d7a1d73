""""Required elements present": the one helper behind every presence check.

An element is a Chinese label plus regular expressions. Matching runs on the normalised text
(NFKC, no whitespace: "办 公 地 址：" matches 办公地址:) and maps back to original offsets for the
citation. Per element the first hit wins, preferring a heading or a link (a column name on a page is
stronger evidence than a word in running text), then document order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from indicators.findings import Citation, Flag
from indicators.rules.base import Check, Outcome, cite, make_check
from ingestion.models import BlockKind, Document


@dataclass(frozen=True)
class Element:
    key: str
    label: str  # Chinese, shown in rationales
    patterns: tuple[str, ...]  # regexes over normalised text (full-width colon is ":" there)
    structural: bool = False  # a column/section name: a hit only in running text is flagged for a human

    def compiled(self) -> list[re.Pattern[str]]:
        return [re.compile(p) for p in self.patterns]


@dataclass(frozen=True)
class ElementHit:
    element: Element
    citation: Citation | None
    structural: bool = False  # the hit lies in a heading or a link

    @property
    def found(self) -> bool:
        return self.citation is not None


def _is_structural(doc: Document, start: int, end: int) -> bool:
    if any(link.start <= start and end <= link.end for link in doc.links):
        return True
    return any(b.kind == BlockKind.heading and b.start <= start and end <= b.end for b in doc.blocks)


def _within_line(text: str, start: int, end: int) -> tuple[int, int]:
    """Normalised text has no line breaks, so a pattern like 地址:\\w+ can run into the next block
    ("办公地址：…88号\\n办公时间"): cut the citation at the first line break past the label."""
    cut = text.find("\n", start + 2, end)
    end = cut if cut != -1 else end
    while end > start + 1 and text[end - 1].isspace():
        end -= 1
    return start, end


def find_element(docs: Sequence[Document], element: Element) -> ElementHit:
    best: tuple[bool, int, int, Citation] | None = None
    for d_index, doc in enumerate(docs):
        norm = doc.norm
        for pattern in element.compiled():
            for m in pattern.finditer(norm.text):
                if m.end() == m.start():
                    continue
                start, end = _within_line(doc.text, *norm.to_original(m.start(), m.end()))
                structural = _is_structural(doc, start, end)
                key = (not structural, d_index, start)
                if best is None or key < best[:3]:
                    best = (*key, cite(doc, start, end))
                if structural:
                    break  # nothing later in this document can beat it
    if best is None:
        return ElementHit(element, None)
    return ElementHit(element, best[3], structural=not best[0])


def find_elements(docs: Sequence[Document], elements: Iterable[Element]) -> list[ElementHit]:
    return [find_element(docs, e) for e in elements]


def presence_checks(rule_id: str, indicator: str, sub: int | None, subject: str,
                    docs: Sequence[Document], elements: Sequence[Element],
                    flags: Sequence[str] = (), relevant: Iterable[str] | None = None) -> list[Check]:
    """One Check per element (passed and cited, or failed) and a summary Check (outcome info) whose
    `measure` is the share of elements found: the verdict contribution for additive scoring.

    `relevant` names the elements that make a page the subject's page (e.g. 职能 for an institution
    page): only such pages are searched, and without one there is no Check (no evidence), not a
    failure: a unit's other pages say nothing about whether, say, its 机构信息 page lacks 办公时间."""
    if relevant is not None:
        keys = set(relevant)
        docs = [d for d in docs if any(find_element([d], e).found for e in elements if e.key in keys)]
    if not docs:
        return []  # no page of the subject: no Check, which scoring reads as no evidence
    hits = find_elements(docs, elements)
    checks = [_element_check(rule_id, indicator, sub, subject, h) for h in hits]
    found = [h for h in hits if h.found]
    missing = [h.element.label for h in hits if not h.found]
    share = len(found) / len(hits) if hits else 0.0
    summary = f"{subject}应含{len(hits)}项，已找到{len(found)}项（{share:.0%}）。"
    if missing:
        summary += f"未找到：{'、'.join(missing)}。"
    checks.append(make_check(rule_id, indicator, sub, title=f"{subject}（汇总）", outcome=Outcome.info,
                             rationale=summary, measure=round(share, 4), flags=list(flags),
                             citations=[h.citation for h in found if h.citation],
                             data={"found": [h.element.key for h in found],
                                   "missing": [h.element.key for h in hits if not h.found]}))
    return checks


def _element_check(rule_id: str, indicator: str, sub: int | None, subject: str, hit: ElementHit) -> Check:
    label = hit.element.label
    flags: list[str] = []
    if not hit.found:
        rationale = f"所提供材料中未找到“{label}”。"
    elif hit.element.structural and not hit.structural:
        rationale = f"“{label}”仅见于页面正文，未见于栏目标题或链接，请人工核实是否设有该栏目。"
        flags = [Flag.low_confidence, Flag.needs_human]
    else:
        rationale = f"已找到“{label}”。"
    return make_check(rule_id, indicator, sub, title=f"{subject}：{label}",
                      outcome=Outcome.passed if hit.found else Outcome.failed,
                      citations=[hit.citation] if hit.citation else [], rationale=rationale, flags=flags,
                      data={"element": hit.element.key, "structural": hit.structural})
