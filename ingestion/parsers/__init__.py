"""One module per evidence format; each turns bytes into a `Parsed` laid out by a TextBuilder."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from core.document import DateKind, PageSource
from ingestion.builder import TextBuilder


@dataclass
class Parsed:
    builder: TextBuilder = field(default_factory=TextBuilder)
    pages: int | None = None
    page_source: PageSource | None = None  # DOCX only (models.PageSource)
    ocr_pages: list[int] = field(default_factory=list)
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
    title: str | None = None  # a title the format states (HTML <h1>, meta ArticleTitle, <title>)
    # a weaker clue: the largest text on a PDF's first page; DOCX core / OFD DocInfo title (often stale)
    title_hint: str | None = None
    # dates the format states outside the visible text (HTML meta tags): no span in `text`
    meta_dates: list[tuple[DateKind, dt.date]] = field(default_factory=list)
