"""Group visual lines (PDF text layer, OCR) into paragraphs and headings.

PDF and OCR text comes as wrapped lines. A line starts a new block when it is a numbered heading,
is indented (a Chinese paragraph begins with two full-width spaces), or follows a line that ends a
sentence (。！？：；) or is clearly shorter than the text width. Page-number lines ("- 3 -",
"第 3 页 共 9 页"; a bare number only at the top or bottom) are dropped: they are layout, not evidence, and would split tables and sentences
across pages.
"""

from __future__ import annotations

import re

from core.document import BlockKind
from ingestion.builder import TextBuilder
from ingestion.numbering import heading_level

# "- 3 -", "—3—", "第3页", "第 3 页 共 9 页", "3/9": page numbers wherever they stand
PAGE_NUMBER = re.compile(r"^\s*([-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(\s*[/／,，]?\s*共\s*\d{1,4}\s*页)?"
                         r"|\d{1,4}\s*[/／]\s*\d{1,4})\s*$")
# a bare "3" is a page number only as the first or last line of a page (elsewhere it may be a table value)
BARE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")
_SENTENCE_END = tuple("。！？：；!?:;")
# a line ending in a document-kind word closes a title; a 文号 or a date stands on its own line
_TITLE_END = re.compile(r"(通知|报告|决定|意见|办法|方案|规定|答复书|告知书|公告|通报|解读)$")
_OWN_LINE = re.compile(r"^\s*([\u4e00-\u9fff]{1,10}[〔\[【（(](19|20)\d\d[〕\]】）)]\d+号"
                       r"|(19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*$")


def is_page_number(line: str) -> bool:
    return bool(PAGE_NUMBER.match(line))


def drop_page_numbers(lines: list[str]) -> list[str]:
    """The page's lines without page-number lines (bare numbers only at the top or bottom)."""
    lines = [ln for ln in lines if ln.strip()]
    if lines and BARE_NUMBER.match(lines[-1]):
        lines.pop()
    if lines and BARE_NUMBER.match(lines[0]):
        lines.pop(0)
    return [ln for ln in lines if not is_page_number(ln)]


def group_paragraphs(lines: list[str]) -> list[tuple[str, int | None]]:
    """Lines -> [(block text, heading level or None)]; block text keeps the original line breaks."""
    lines = [ln.rstrip() for ln in drop_page_numbers(lines)]
    if not lines:
        return []
    width = max(len(ln.strip()) for ln in lines)
    blocks: list[tuple[str, int | None]] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(("\n".join(current), None))
            current.clear()

    for line in lines:
        level = heading_level(line)
        if level is not None:
            flush()
            blocks.append((line, level))
            continue
        indented = line.startswith(("\u3000", "  "))
        if current:
            prev = current[-1].strip()
            if (indented or prev.endswith(_SENTENCE_END) or len(prev) < 0.7 * width or _TITLE_END.search(prev)
                    or _OWN_LINE.match(prev) or _OWN_LINE.match(line)):
                flush()
        current.append(line)
    flush()
    return blocks


def add_lines(builder: TextBuilder, lines: list[str], kind: BlockKind | None = None) -> None:
    for text, level in group_paragraphs(lines):
        if kind is not None:
            builder.add_block(text, kind)
        elif level is not None:
            builder.add_block(text, BlockKind.heading, level)
        else:
            builder.add_block(text, BlockKind.paragraph)
