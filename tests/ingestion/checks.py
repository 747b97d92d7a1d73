"""Assertions shared by the parser tests (and usable by other suites on parsed Documents)."""

from __future__ import annotations

from core.document import BlockKind, Document
from ingestion.metadata import parse_date


def assert_spans_exact(doc: Document) -> None:
    """Every block, cell, link and date span points at exactly its own text in doc.text."""
    n = len(doc.text)
    for block in doc.blocks:
        assert 0 <= block.start < block.end <= n, block
        if block.kind != BlockKind.table:
            piece = doc.text[block.start:block.end]
            assert piece == piece.strip() and piece, (block, piece)
        if block.table is not None:
            for cell in block.table.cells:
                assert doc.text[cell.start:cell.end] == cell.text, (cell, doc.text[cell.start:cell.end])
                assert block.start <= cell.start <= cell.end <= block.end
                assert "\t" not in cell.text and "\n" not in cell.text
    for link in doc.links:
        assert doc.text[link.start:link.end] == link.text, link
    # a saved web page's site navigation comes after the main text, and only its links are navigation
    main_end = doc.main_end
    assert all(b.kind == BlockKind.navigation for b in doc.blocks if b.start >= main_end)
    nav_blocks = [b for b in doc.blocks if b.kind == BlockKind.navigation]
    for link in doc.links:
        inside = any(b.start <= link.start and link.end <= b.end for b in nav_blocks)
        assert link.navigation == inside == (link.start >= main_end), link
    for date in doc.dates:
        if date.start == date.end:  # stated only in metadata (HTML meta tag), not in the text
            continue
        assert parse_date(doc.text[date.start:date.end]) == date.value, (date, doc.text[date.start:date.end])
    if doc.page_starts:
        assert doc.page_starts == sorted(doc.page_starts)
        assert len(doc.page_starts) == doc.pages
        for block in doc.blocks:
            if block.page is not None:
                assert doc.page_of(block.start) == block.page, block
