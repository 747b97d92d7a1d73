"""The document model: the project's spine. Everything downstream cites into it.

A Document's `text` is the full extracted text as the workspace stores it; every block, cell,
link, date and chunk carries a [start, end) character span into that text, and a page number
(1-based) where the source has pages. Citations are offsets into `text` (cli-contract.md).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field

from core.enums import LabelledEnum
from core.textnorm import NormText, find_normalized, normalize_with_map


class DocType(LabelledEnum):
    annual_report = "annual_report", "政府信息公开工作年度报告"  # 政府信息公开工作年度报告
    policy_interpretation = "policy_interpretation", "政策解读"  # 政策解读
    request_reply = "request_reply", "依申请公开答复书"  # 依申请公开答复书
    policy_document = "policy_document", "政策文件"  # 规范性文件 / 政策文件
    ledger = "ledger", "台账"  # 台账 (xlsx/csv)
    disclosure_guide = "disclosure_guide", "政府信息公开指南"  # 政府信息公开指南
    org_info = "org_info", "机构信息页面"  # 机构概况 / 机构职能 page
    column_page = "column_page", "信息公开专栏页面"  # 政府信息公开专栏 column page or its screenshot
    normative_list = "normative_list", "规范性文件目录"  # 行政规范性文件 list page
    request_notice = "request_notice", "补正/延期告知书"  # 补正告知书 / 延期告知书: notices, never final replies
    web_page = "web_page", "网页"  # saved page or screenshot of a web page of no more specific type
    other = "other", "其他材料"


# the specific kinds of portal page: where an indicator is assessed on web pages (核查网页截图), these are
# web pages too
WEB_PAGE_KINDS = frozenset({DocType.disclosure_guide, DocType.org_info, DocType.column_page, DocType.normative_list})

# below this classifier confidence a document's type is shown as 待确认, and an item that finds no
# evidence while such a document exists is flagged for the reviewer instead of "无相关材料"
DOC_TYPE_LOW_CONFIDENCE = 0.5

DOC_TYPE_LABELS: dict[DocType, str] = DocType.labels()


class BlockKind(StrEnum):
    heading = "heading"
    paragraph = "paragraph"
    table = "table"
    caption = "caption"  # image caption / OCR text of an image
    # a saved web page's site navigation (menus, breadcrumbs, link lists the parser kept out of the
    # main text): laid out after the main text, see Document.main_end
    navigation = "navigation"


class PageSource(StrEnum):
    """Where a word-processor document's page numbers come from (DOCX: the file need not record its layout)."""

    rendered = "rendered"  # the page breaks Word/WPS recorded when it last laid the document out
    breaks = "breaks"  # no layout recorded; explicit page/section breaks account for every page the file counts
    unknown = "unknown"  # no layout recorded: no page numbers (`pages` may still hold the file's own count)


class Span(BaseModel):
    model_config = ConfigDict(frozen=True)
    start: int
    end: int


class Cell(BaseModel):
    """One table cell; merged cells appear once, at their top-left position, with spans."""

    row: int
    col: int
    text: str
    start: int  # span into Document.text (start == end for an empty cell)
    end: int
    rowspan: int = 1
    colspan: int = 1
    page: int | None = None


class Table(BaseModel):
    n_rows: int
    n_cols: int
    cells: list[Cell]
    header_rows: int = 0  # leading rows that are headers (ledgers: detected header)
    continued_from_previous: bool = False  # this table continues one from the previous page

    def grid(self) -> list[list[str]]:
        """Dense text grid; a merged cell's text is repeated over the area it covers."""
        out = [["" for _ in range(self.n_cols)] for _ in range(self.n_rows)]
        for c in self.cells:
            for r in range(c.row, min(c.row + c.rowspan, self.n_rows)):
                for k in range(c.col, min(c.col + c.colspan, self.n_cols)):
                    out[r][k] = c.text
        return out

    def cell_at(self, row: int, col: int) -> Cell | None:
        for c in self.cells:
            if c.row <= row < c.row + c.rowspan and c.col <= col < c.col + c.colspan:
                return c
        return None


class Block(BaseModel):
    kind: BlockKind
    start: int
    end: int
    page: int | None = None
    level: int | None = None  # heading level: 1 一、 2 （一） 3 1. 4 （1）; style-based otherwise
    table: Table | None = None


class Link(BaseModel):
    text: str
    href: str
    start: int
    end: int
    page: int | None = None
    # True for a link of the page's site navigation (a menu, breadcrumb or link list outside the
    # article): its span lies in the navigation section after the main text
    navigation: bool = False


class MediaKind(StrEnum):
    image = "image"
    video = "video"
    audio = "audio"
    iframe = "iframe"


class Media(BaseModel):
    kind: MediaKind
    src: str | None = None
    alt: str | None = None
    page: int | None = None


class DateKind(StrEnum):
    publication = "publication"  # 发布日期 / 发布时间
    signing = "signing"  # 落款日期 / 成文日期
    receipt = "receipt"
    other = "other"


class FoundDate(BaseModel):
    kind: DateKind
    value: dt.date
    start: int
    end: int
    page: int | None = None


class Document(BaseModel):
    """One evidence file, parsed."""

    doc_id: str = Field(description="sha256 of the file's bytes (hex, first 32 chars), salted with the unit when "
                                    "one is named (ingestion.parse.doc_id_for): stable across renames")
    file: str = Field(description="file name as given by the user (relative to the unit's folder)")
    stored_path: str | None = Field(None, description="content-hash path inside the workspace")
    file_type: str = Field(description="sniffed from content: pdf, docx, html, txt, png, jpg, xlsx, csv, ofd, doc")
    unit: str | None = None
    doc_type: DocType = DocType.other
    doc_type_signals: list[str] = Field(default_factory=list, description="why doc_type was chosen")
    doc_type_overridden: bool = False
    doc_type_confidence: float | None = Field(
        None, description="0..1, how sure the classifier is (1 when a person set the type); None: not measured "
        "(documents stored before confidences existed)")
    title: str | None = None
    issuer: str | None = None
    year: int | None = Field(None, description="year of work the document is about (e.g. 报告年度)")
    dates: list[FoundDate] = Field(default_factory=list)
    text: str = ""
    pages: int | None = None
    page_starts: list[int] = Field(default_factory=list, description="offset in text where each page begins")
    page_source: PageSource | None = Field(
        None, description="DOCX: whether page numbers come from the recorded layout, from explicit breaks, or "
        "are unknown; None for formats whose pages are given (PDF, OFD, images, sheets) or absent")
    blocks: list[Block] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    media: list[Media] = Field(default_factory=list)
    ocr_pages: list[int] = Field(default_factory=list)
    encoding: str | None = None  # for text/csv: the detected encoding
    warnings: list[str] = Field(default_factory=list)

    model_config = ConfigDict(ignored_types=(cached_property,))

    @property
    def doc_type_uncertain(self) -> bool:
        """The classifier was not sure of the type (never when a person set it)."""
        return (not self.doc_type_overridden and self.doc_type_confidence is not None
                and self.doc_type_confidence < DOC_TYPE_LOW_CONFIDENCE)

    @cached_property
    def norm(self) -> NormText:
        return normalize_with_map(self.text)

    @property
    def main_end(self) -> int:
        """End of the main text. A saved web page's site navigation (BlockKind.navigation) is laid
        out after it, so `text[:main_end]` is the document without navigation, in the same offsets."""
        return min((b.start for b in self.blocks if b.kind == BlockKind.navigation), default=len(self.text))

    @property
    def main_text(self) -> str:
        return self.text[: self.main_end]

    def page_of(self, offset: int) -> int | None:
        if not self.page_starts:
            return None
        page = 1
        for i, start in enumerate(self.page_starts):
            if start <= offset:
                page = i + 1
            else:
                break
        return page

    def find(self, quote: str, near: int | None = None) -> Span | None:
        """Locate a quote (whitespace/width-insensitive); the span is in original offsets."""
        hit = find_normalized(self.norm, quote, near)
        return Span(start=hit[0], end=hit[1]) if hit else None

    def tables(self) -> list[Table]:
        return [b.table for b in self.blocks if b.table is not None]

    def date_of(self, kind: DateKind) -> FoundDate | None:
        return next((d for d in self.dates if d.kind == kind), None)


class Chunk(BaseModel):
    """A retrievable piece of a document; carries everything needed to cite it."""

    chunk_id: str
    doc_id: str
    file: str
    unit: str | None
    doc_type: DocType
    year: int | None
    text: str
    start: int
    end: int
    page: int | None
    heading: str | None = None  # nearest heading path, for display and for BM25 context
    kind: BlockKind = BlockKind.paragraph


class IngestStatus(LabelledEnum):
    ok = "ok", "已入库"
    skipped = "skipped", "未变化，跳过"
    error = "error", "失败"


class IngestResult(BaseModel):
    """One line of `zwgk ingest --json` (cli-contract.md)."""

    file: str
    doc_id: str | None = None
    doc_type: DocType | None = None
    pages: int | None = None
    chunks: int = 0
    status: IngestStatus
    error: str | None = None
    # what the parser could not read in full (Document.warnings); shown on stderr, not in the JSON
    warnings: list[str] = Field(default_factory=list)
