""""Required elements present" as Checks: the presence rules' one helper (1.1.1, 1.1.2, 5.1.1).

Finding is done by the shared cue mechanism (indicators/cues.py: headings first, then sentences,
patterns on normalised text); this module adds what presence rules need on top: elements searched
across several pages, column names that should be headings or links (`structural`), a gate on which
pages are the subject's pages at all, and the Checks: one per element plus a summary share.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.document import BlockKind, Document
from core.findings import Citation, cite
from core.textnorm import normalize
from indicators.cntext import Sentence, navigation_sentences, sentences
from indicators.cues import find_elements as find_cues
from indicators.cues import first_match


@dataclass(frozen=True)
class Element:
    key: str
    label: str  # Chinese, shown in rationales
    patterns: tuple[str, ...]  # regexes over normalised text (full-width colon is ":" there)
    structural: bool = False  # a column/section name: a hit only in running text is flagged for a human

    @property
    def pattern(self) -> str:
        return "|".join(f"(?:{p})" for p in self.patterns)


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


def find_elements(docs: Sequence[Document], elements: Iterable[Element]) -> list[ElementHit]:
    """Per element the first hit over the pages, a heading or link hit preferred to running text.

    A saved web page's site navigation (its menus, kept after the main text) is searched too, entry
    by entry: a column named only in the menu of a saved column page is a link, hence structural."""
    elements = list(elements)
    cues = {e.key: e.pattern for e in elements}
    hits: dict[str, ElementHit] = {}
    for doc in docs:
        main = find_cues(doc, cues, whole=False)
        menu = navigation_sentences(doc)
        for element in elements:
            nav = first_match(doc, menu, element.pattern) if menu else None
            for citation in (main.get(element.key), nav):
                if citation is None:
                    continue
                structural = _is_structural(doc, citation.start, citation.end)
                if element.key not in hits or (structural and not hits[element.key].structural):
                    hits[element.key] = ElementHit(element, citation, structural)
    return [hits.get(e.key, ElementHit(e, None)) for e in elements]


# ---------------------------------------------------------------- column entries (5.1.1, 1.1.1(3))

ENTRY_CHARS = 20  # a column name in a menu, a heading or a screenshot's line: short
_BREADCRUMB = re.compile(r"当前位置|您的位置|所在位置|现在位置|[>»＞›].*[>»＞›]")
_TITLE_WORDS = re.compile(r"\s+")


@dataclass(frozen=True)
class Entry:
    """A short piece of a page that can name a column: a menu entry, a link, a heading, a short line."""

    doc: Document
    sentence: Sentence
    kind: str  # navigation | link | heading | line
    breadcrumb: bool = False  # part of a "当前位置：A > B > C" path: shows where the page sits, not a menu


def _title_norm(doc: Document) -> str:
    return normalize(doc.title or "")


def column_entries(doc: Document, vocabulary: Sequence[str] = ()) -> list[Entry]:
    """Every place of a page that may name a column, the page's own title excepted (a guide titled
    “政府信息公开指南” is no menu naming the guide column). Breadcrumb paths are split into their
    steps and marked: a path shows one branch of the site, not its navigation. A screenshot's menu
    bar, which OCR returns as one line of names run together, is split at the names of `vocabulary`
    it holds (two or more, in a line without sentence punctuation)."""
    out: list[Entry] = []
    title = _title_norm(doc)
    for s in navigation_sentences(doc):
        out.append(Entry(doc, s, "navigation"))
    main_end = doc.main_end
    for link in doc.links:
        if not link.navigation and link.end <= main_end and doc.text[link.start:link.end] == link.text:
            out.append(Entry(doc, Sentence(link.text, link.start, link.end), "link"))
    for b in doc.blocks:
        if b.kind in (BlockKind.navigation, BlockKind.table):
            continue
        for line in sentences(doc.text[b.start:b.end], offset=b.start):
            norm = line.norm.text
            if _BREADCRUMB.search(norm):
                out += [Entry(doc, step, "line", breadcrumb=True) for step in _steps(line)]
                continue
            if b.kind is BlockKind.heading and norm != title and len(norm) <= 40:
                out.append(Entry(doc, line, "heading"))
            elif len(norm) <= ENTRY_CHARS and norm != title:
                out.append(Entry(doc, line, "line"))
            elif len(parts := _menu_parts(line)) >= 2:
                out += [Entry(doc, part, "line") for part in parts]  # a menu read from a screenshot
            elif vocabulary and len(names := _bar_names(line, vocabulary)) >= 2:
                out += [Entry(doc, name, "line") for name in names]
    return out


def _bar_names(line: Sentence, vocabulary: Sequence[str]) -> list[Sentence]:
    """The names of `vocabulary` in a punctuation-free line (a menu bar run together by OCR)."""
    if re.search(r"[。，,；;：:！？!?]", line.text) or len(line.text) > 120:
        return []
    spans = sorted({m.span() for p in vocabulary for m in re.finditer(p, line.text)}, key=lambda ab: (ab[0], -ab[1]))
    out: list[Sentence] = []
    for a, b in spans:
        if out and a < out[-1].end - line.start:
            continue  # overlapping names: the first (longest at its start) wins
        out.append(Sentence(line.text[a:b], line.start + a, line.start + b))
    return out


def _menu_parts(line: Sentence) -> list[Sentence]:
    """A screenshot's menu bar comes out of OCR as one line of names apart ("首页 政府信息公开 …"):
    its names, when every piece is short enough to be one."""
    pieces = list(re.finditer(r"[^\s|｜]+", line.text))
    if len(pieces) < 2 or any(len(m.group()) > ENTRY_CHARS for m in pieces):
        return []
    return [Sentence(m.group(), line.start + m.start(), line.start + m.end()) for m in pieces]


def _steps(line: Sentence) -> list[Sentence]:
    """The steps of a breadcrumb line, each with its own span."""
    out = []
    for m in re.finditer(r"[^>»＞›:：\s]+", line.text):
        step = m.group()
        if step not in ("当前位置", "您的位置", "所在位置", "现在位置"):
            out.append(Sentence(step, line.start + m.start(), line.start + m.end()))
    return out


def find_column(entries: Sequence[Entry], pattern: str, full: bool = False) -> Entry | None:
    """The first entry naming the column (a menu entry before a heading before a short line), a
    breadcrumb step only when nothing else names it. `full`: the entry is the column's name itself
    (numbering and brackets aside), not a title that contains the words."""
    rank = {"navigation": 0, "link": 1, "heading": 2, "line": 3}
    best: Entry | None = None
    for e in entries:
        text = re.sub(r"^[\d一二三四五六七八九十]+[、.．)]|[“”\"'《》【】\[\]()]", "", e.sentence.norm.text)
        hit = re.fullmatch(pattern, text) if full else re.search(pattern, text)
        if not hit:
            continue
        key = (e.breadcrumb, rank[e.kind])
        if best is None or key < (best.breadcrumb, rank[best.kind]):
            best = e
    return best


def entry_citation(entry: Entry) -> Citation:
    return cite(entry.doc, entry.sentence.start, entry.sentence.end)
