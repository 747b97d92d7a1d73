"""Lay parsed content out as one text with exact spans: the one place where offsets are computed.

Every parser feeds a `TextBuilder` in reading order; the builder appends each block to `text`,
separates blocks by a newline, lays tables out as tab-separated rows (one line per row, a merged
cell's text once at its top-left position) and records [start, end) spans for blocks, cells and
links, so that `text[start:end]` is always exactly the block/cell/link text.

A saved web page's site navigation is added last (`add_navigation`): a label line, then one line
per menu with its link texts separated by " | ", all as BlockKind.navigation blocks after the main
text (Document.main_end), so a rule can cite a menu entry and the main text stays a prefix.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.document import Block, BlockKind, Cell, Link, Media, Table
from ingestion.limits import TEXT_CAP, text_too_long
from ingestion.numbering import heading_level

NAVIGATION_LABEL = "【网站导航】"
NAVIGATION_SEPARATOR = " | "

# Characters that would break the tab/newline table layout inside a cell.
_CELL_BREAKS = str.maketrans({"\t": " ", "\r": " ", "\n": " "})


def clean_cell(text: str | None) -> str:
    """One-line cell text: wrapped lines joined (no space between CJK characters)."""
    if not text:
        return ""
    if "\n" not in text and "\r" not in text and "\t" not in text:
        return text.strip()
    parts = [p.strip() for p in text.replace("\r", "\n").split("\n") if p.strip()]
    out = ""
    for part in parts:
        if out and (out[-1].isascii() and out[-1].isalnum()) and (part[0].isascii() and part[0].isalnum()):
            out += " "
        out += part
    return out.translate(_CELL_BREAKS)


@dataclass
class CellSpec:
    """A cell before layout: grid position, merge extent, text."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    page: int | None = None


@dataclass
class TextBuilder:
    parts: list[str] = field(default_factory=list)
    length: int = 0
    blocks: list[Block] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)
    page_starts: list[int] = field(default_factory=list)
    page: int | None = None

    # --- raw text ---------------------------------------------------------------------------
    def _append(self, s: str) -> int:
        start = self.length
        self.parts.append(s)
        self.length += len(s)
        cap = TEXT_CAP.get()
        if cap is not None and self.length > cap:  # ZWGK_MAX_TEXT_CHARS, for every format, while it is read
            raise text_too_long(cap)
        return start

    def _separate(self) -> None:
        """Blocks start on a new line."""
        if self.parts and not self.parts[-1].endswith("\n"):
            self._append("\n")

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def new_page(self, number: int) -> None:
        self._separate()
        self.page = number
        self.page_starts.append(self.length)

    def new_page_at(self, number: int, offset: int) -> None:
        """Page `number` begins at `offset`, inside text already laid out (a page break in the middle of
        a paragraph). Blocks keep the page they start on; links starting from there on get `number`."""
        if not self.page_starts or not self.page_starts[-1] <= offset <= self.length:
            raise ValueError(f"page {number} cannot start at {offset}")
        self.page = number
        self.page_starts.append(offset)
        for link in reversed(self.links):
            if link.start < offset:
                break
            link.page = number

    # --- blocks -----------------------------------------------------------------------------
    def add_block(self, text: str, kind: BlockKind | None = None, level: int | None = None,
                  page: int | None = None) -> Block | None:
        """Add a paragraph/heading/caption. kind None = heading if Chinese numbering says so."""
        text = text.strip()
        if not text:
            return None
        if kind is None:
            level = heading_level(text)
            kind = BlockKind.heading if level else BlockKind.paragraph
        self._separate()
        start = self._append(text)
        block = Block(kind=kind, start=start, end=start + len(text), page=page or self.page, level=level)
        self.blocks.append(block)
        return block

    def add_inline(self, pieces: list[tuple[str, str | None]], kind: BlockKind | None = None,
                   level: int | None = None) -> Block | None:
        """A block made of runs; runs with an href become Links with their own spans."""
        text = "".join(t for t, _ in pieces)
        lead = len(text) - len(text.lstrip())
        block = self.add_block(text, kind, level)
        if block is None:
            return None
        pos = block.start - lead
        for run, href in pieces:
            if href and run.strip():
                inner = run.strip()
                offset = pos + run.index(inner)
                if block.start <= offset and offset + len(inner) <= block.end:
                    self.links.append(Link(text=inner, href=href, start=offset, end=offset + len(inner),
                                           page=self.page))
            pos += len(run)
        return block

    def add_table(self, cells: list[CellSpec], header_rows: int = 0, page: int | None = None,
                  continued_from_previous: bool = False) -> Block | None:
        if not any(c.text and not c.text.isspace() for c in cells):
            return None  # an empty grid carries no evidence
        n_rows = max(c.row + c.rowspan for c in cells)
        n_cols = max(c.col + c.colspan for c in cells)
        by_pos = {(c.row, c.col): c for c in cells}
        self._separate()
        start = self.length
        first_page = self.page
        out: list[Cell] = []
        row_pages = {c.row: c.page for c in cells if c.page is not None}
        for r in range(n_rows):
            if r:
                self._append("\n")
            # a table joined across a page break: the page starts at its first row on that page
            # (one start per page: a row may begin two pages on, after a page the table filled)
            while row_pages.get(r) is not None and self.page is not None and row_pages[r] > self.page:
                self.page += 1
                self.page_starts.append(self.length)
            for k in range(n_cols):
                if k:
                    self._append("\t")
                spec = by_pos.get((r, k))
                if spec is None:
                    continue  # covered by a merged cell, or absent: an empty slot keeps columns aligned
                text = clean_cell(spec.text)
                cstart = self._append(text)
                # model_construct: values computed here are already valid; ledgers have 100k+ cells
                out.append(Cell.model_construct(row=r, col=k, text=text, start=cstart, end=cstart + len(text),
                                                rowspan=spec.rowspan, colspan=spec.colspan,
                                                page=spec.page or self.page))
        table = Table(n_rows=n_rows, n_cols=n_cols, cells=out, header_rows=header_rows,
                      continued_from_previous=continued_from_previous)
        block = Block(kind=BlockKind.table, start=start, end=self.length, page=page or first_page, table=table)
        self.blocks.append(block)
        return block

    def add_navigation(self, menus: list[list[tuple[str, str]]]) -> None:
        """The page's site navigation, after everything else: one line per menu of (text, href)
        links. Link texts must be one-line and stripped (the HTML parser collapses them)."""
        menus = [menu for menu in menus if menu]
        if not menus:
            return
        self.add_block(NAVIGATION_LABEL, BlockKind.navigation)
        for menu in menus:
            self._separate()
            start = self.length
            for i, (text, href) in enumerate(menu):
                if i:
                    self._append(NAVIGATION_SEPARATOR)
                lstart = self._append(text)
                self.links.append(Link(text=text, href=href, start=lstart, end=lstart + len(text), page=self.page,
                                       navigation=True))
            self.blocks.append(Block(kind=BlockKind.navigation, start=start, end=self.length, page=self.page))

    def add_media(self, media: Media) -> None:
        if media.page is None and self.page is not None:
            media = media.model_copy(update={"page": self.page})
        self.media.append(media)

    def finish(self) -> str:
        text = self.text
        if text and not text.endswith("\n"):
            text += "\n"
        return text
