"""The evidence viewer: a cited passage shown in its place.

PDF pages are rendered as images with the passage boxed (pdfplumber finds the characters, pypdfium2
renders the page); every other format shows the document text with the span marked.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from PIL import Image, ImageDraw

from core.document import Document

RENDER_SCALE = 2.0
# Text around a passage: little before it, so the mark sits near the top of the (scrolling) view.
CONTEXT_BEFORE, CONTEXT_AFTER = 240, 1500


def _quote_pattern(quote: str) -> re.Pattern[str]:
    chars = [re.escape(ch) for ch in quote if not ch.isspace()]
    return re.compile(r"\s*".join(chars[:80]))


def render_pdf_passage(pdf_path: Path, page: int, quote: str) -> Image.Image:
    """Page `page` (1-based) of a PDF with the quote's characters boxed in red."""
    import pdfplumber
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        image = pdf[page - 1].render(scale=RENDER_SCALE).to_pil().convert("RGB")
    finally:
        pdf.close()
    boxes = []
    with pdfplumber.open(pdf_path) as doc:
        p = doc.pages[page - 1]
        try:
            matches = p.search(_quote_pattern(quote), regex=True, return_chars=True)
        except Exception:  # a pathological page layout must not break the viewer
            matches = []
        for m in matches[:1]:
            by_line: dict[int, list[dict]] = {}
            for ch in m.get("chars", []):
                by_line.setdefault(round(ch["top"]), []).append(ch)
            for chars in by_line.values():
                boxes.append((min(c["x0"] for c in chars), min(c["top"] for c in chars),
                              max(c["x1"] for c in chars), max(c["bottom"] for c in chars)))
    draw = ImageDraw.Draw(image, "RGBA")
    for x0, top, x1, bottom in boxes:
        box = [x0 * RENDER_SCALE - 3, top * RENDER_SCALE - 3, x1 * RENDER_SCALE + 3, bottom * RENDER_SCALE + 3]
        draw.rectangle(box, outline=(220, 30, 30, 255), width=4, fill=(255, 230, 0, 70))
    return image


def text_passage_html(doc: Document, start: int, end: int) -> str:
    """The document text around [start, end) with the span marked (for non-PDF evidence)."""
    lo = max(0, start - CONTEXT_BEFORE)
    hi = min(len(doc.text), end + CONTEXT_AFTER)
    before, mid, after = doc.text[lo:start], doc.text[start:end], doc.text[end:hi]
    page = doc.page_of(start)
    head = f"<div class='zw-src'>{html.escape(doc.file)}" + (f"　第 {page} 页" if page else "") + \
        f"　字符 {start}–{end}</div>"
    body = (("…" if lo else "") + html.escape(before) + "<mark id='zw-hit'>" + html.escape(mid) + "</mark>"
            + html.escape(after) + ("…" if hi < len(doc.text) else ""))
    return head + f"<div class='zw-text' style='white-space:pre-wrap;line-height:1.8'>{body}</div>"
