"""Find named elements in a document by cue patterns, and cite where each was found.

One mechanism for every "does the document contain X, Y and Z" rule (guide fields, interpretation
content elements, channels, forms): a dict of name -> regex; headings are searched first (a section
titled 背景依据 is better evidence than a passing word), then sentences.
"""

from __future__ import annotations

from core.document import BlockKind, Document
from core.findings import Citation, cite
from core.textnorm import normalize
from indicators.cntext import Sentence, doc_sentences


def heading_sentences(doc: Document) -> list[Sentence]:
    """Each heading as one unit (a heading such as “一、为什么出台？（背景依据）” is not split at ？)."""
    out = []
    for b in doc.blocks:
        text = doc.text[b.start: b.end]
        if b.kind is BlockKind.heading and text.strip():
            lead = len(text) - len(text.lstrip())
            out.append(Sentence(text.strip(), b.start + lead, b.start + lead + len(text.strip())))
    return out


def first_match(doc: Document, sents: list[Sentence], pattern: str, whole: bool = False) -> Citation | None:
    """Cite the first match of `pattern` (or, with `whole`, the sentence that contains it)."""
    for s in sents:
        m = s.search(pattern)
        if m:
            a, b = (s.start, s.end) if whole else s.span(m.start(), m.end())
            return cite(doc, a, b)
    return None


# a cue is one pattern, or patterns in order of strength: "X是指…" defines a term, "什么是X" only asks
Cue = str | tuple[str, ...]


def find_elements(doc: Document, cues: dict[str, Cue], whole: bool = True,
                  headings_first: bool = True, skip_title: bool = False) -> dict[str, Citation]:
    """name -> citation of the heading (else sentence) where the element's cue was found.

    `skip_title`: ignore the document's title line (a 解读's title names the policy, and words such
    as 补贴 in it say nothing about the interpretation's content)."""
    heads = heading_sentences(doc) if headings_first else []
    body = doc_sentences(doc)
    if skip_title:
        title = normalize(doc.title or "")
        first = doc.blocks[0] if doc.blocks and doc.blocks[0].kind is BlockKind.heading else None
        heads = [s for s in heads if not ((first and s.start < first.end) or (title and s.norm.text == title))]
        body = [s for s in body if not ((first and s.start < first.end) or (title and s.norm.text == title))]
    found = {}
    for name, cue in cues.items():
        for pattern in (cue,) if isinstance(cue, str) else cue:  # strong cues before weak ones
            c = first_match(doc, heads, pattern, whole) or first_match(doc, body, pattern, whole)
            if c:
                found[name] = c
                break
    return found

