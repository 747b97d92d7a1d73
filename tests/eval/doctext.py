"""Page texts of an evidence file, for checking gold quotes.

Stand-in until the parsers land: switch `page_texts` to `ingestion.parse.parse_file` (split
`Document.text` at `page_starts`) and nothing else here changes.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def _ocr():
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def _pdf(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def _docx(path: Path) -> list[str]:
    from docx import Document
    from docx.table import Table

    parts: list[str] = []
    for block in Document(str(path)).iter_inner_content():  # paragraphs and tables in body order
        if not isinstance(block, Table):
            parts.append(block.text)
            continue
        for row in block.rows:
            cells, seen = [], set()
            for cell in row.cells:  # a merged cell repeats in row.cells; keep it once
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    cells.append(cell.text)
            parts.append("\t".join(cells))
    return ["\n".join(parts)]


def _html(path: Path) -> list[str]:
    from bs4 import BeautifulSoup

    return [BeautifulSoup(path.read_bytes(), "lxml").get_text("\n")]


def _xlsx(path: Path) -> list[str]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    lines = ["\t".join("" if v is None else str(v) for v in row) for ws in wb.worksheets
             for row in ws.iter_rows(values_only=True)]
    return ["\n".join(lines)]


def _image(path: Path) -> list[str]:
    result, _ = _ocr()(str(path), use_cls=False)  # upright screenshots: skip the angle classifier (2x faster)
    return ["\n".join(text for _, text, _ in result or [])]


READERS = {".pdf": _pdf, ".docx": _docx, ".html": _html, ".htm": _html, ".xlsx": _xlsx, ".png": _image,
           ".jpg": _image, ".txt": lambda p: [p.read_text(encoding="utf-8")]}


@lru_cache(maxsize=256)
def page_texts(path: Path) -> list[str]:
    """The extracted text of each page (one entry for formats without pages)."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ValueError(f"no reader for {path.name}")
    return reader(path)
