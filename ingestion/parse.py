"""Parse one evidence file into a Document: sniff the type from content, check limits, dispatch to
the format's parser, lay the text out with exact spans, then derive metadata.

`parse_file` raises only ParseError (Chinese message naming the problem; the caller prefixes the
file name). Unexpected failures inside a third-party parser are wrapped as "无法解析：<Type>: …".
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
import warnings
from collections.abc import Callable
from pathlib import Path

from core.document import DocType, Document
from core.settings import Settings, get_settings
from ingestion import limits
from ingestion.errors import ParseError
from ingestion.metadata import enrich
from ingestion.parsers import Parsed
from ingestion.sniff import TYPE_LABELS, claimed_container, extension_mismatch, sniff
from ingestion.sources import unreadable

__all__ = ["ParseError", "doc_id_for", "parse_bytes", "parse_file"]

log = logging.getLogger(__name__)


def doc_id_for(data: bytes, unit: str | None = None) -> str:
    """The document's id, set here only: its content, salted with the unit when one is named
    (a document is (unit, content): the same file filed by two units stays two documents)."""
    content = hashlib.sha256(data).hexdigest()[:32]
    return content if unit is None else hashlib.sha256(f"{unit}\0{content}".encode()).hexdigest()[:32]


# sniffed type -> (module, function); imported on first use: pdfplumber, openpyxl and the OCR stack
# cost import time a text file never needs
_PARSERS: dict[str, tuple[str, str]] = {
    "pdf": ("ingestion.parsers.pdf", "parse_pdf"),
    "docx": ("ingestion.parsers.docx", "parse_docx"),
    "xlsx": ("ingestion.parsers.sheet", "parse_xlsx"),
    "csv": ("ingestion.parsers.sheet", "parse_csv"),
    "html": ("ingestion.parsers.html", "parse_html"),
    "mht": ("ingestion.parsers.html", "parse_mht"),
    "ofd": ("ingestion.parsers.ofd", "parse_ofd"),
    "txt": ("ingestion.parsers.text", "parse_text"),
    **{kind: ("ingestion.parsers.image", "parse_image") for kind in ("png", "jpg", "gif", "bmp", "tiff", "webp")},
}
_LEGACY_TARGET = {"doc": "docx", "xls": "xlsx"}  # converted by LibreOffice, then parsed as the target


def _parser_for(kind: str) -> Callable[[bytes, Settings], Parsed]:
    if kind in _LEGACY_TARGET:
        from ingestion.parsers.legacy import parse_legacy

        converted = _parser_for(_LEGACY_TARGET[kind])
        return lambda data, settings: parse_legacy(data, kind, settings, converted)
    if kind not in _PARSERS:
        raise ParseError("不支持的文件类型（压缩包或未知格式），请解压后分别导入" if kind == "zip"
                         else f"不支持的文件类型：{kind}；请转换为 PDF、DOCX 或 XLSX 后导入")
    module, name = _PARSERS[kind]
    return getattr(importlib.import_module(module), name)


_TEXT_KINDS = ("txt", "csv")  # plain text: its characters are bounded by its bytes, so a huge one is refused unread


def parse_bytes(data: bytes, file: str, unit: str | None = None, doc_type: DocType | None = None,
                settings: Settings | None = None) -> Document:
    settings = settings or get_settings()
    limits.check_file_size(len(data), settings)
    extension = Path(file).suffix.lstrip(".").lower()
    kind = None
    try:
        kind = sniff(data, extension)
        if kind in _TEXT_KINDS:
            limits.check_text_bytes(len(data), settings)
        with limits.text_cap(settings), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("default")
            parsed = _parser_for(kind)(data, settings)
        for w in caught:  # libraries' advice (English) is for the debug log, not the reviewer's terminal
            log.debug("%s: %s", w.category.__name__, w.message)
    except ParseError as exc:
        claimed = claimed_container(extension)
        if kind in ("txt", "csv") and claimed:
            label = TYPE_LABELS.get(claimed, claimed.upper())
            raise ParseError(f"文件扩展名为 .{extension}，但内容不是有效的{label}文件（{exc}）") from exc
        raise
    except MemoryError as exc:
        raise ParseError("文件过大，解析时内存不足；请拆分后导入") from exc
    except RecursionError as exc:
        raise ParseError("文件结构嵌套过深，无法解析，疑似恶意构造；请用原软件重新保存后导入") from exc
    except Exception as exc:  # a third-party parser's own error: its (English) text goes to the debug log only
        log.debug("parser for %s failed", kind, exc_info=True)
        label = TYPE_LABELS.get(kind or "", "")
        raise ParseError(f"无法解析该{label}文件，文件可能已损坏；请用原软件打开并重新保存后导入") from exc
    notes = list(parsed.warnings)
    mismatch = extension_mismatch(kind, extension)
    if mismatch:
        notes.insert(0, mismatch)
    b = parsed.builder
    text = b.finish()
    doc = Document(
        doc_id=doc_id_for(data, unit), file=file, file_type=kind, unit=unit, text=text,
        pages=parsed.pages, page_starts=b.page_starts if parsed.pages else [], page_source=parsed.page_source,
        blocks=b.blocks, links=b.links,
        media=b.media, ocr_pages=parsed.ocr_pages, encoding=parsed.encoding, warnings=notes,
    )
    if not text.strip() and not doc.media:
        doc.warnings.append("未提取到任何文字")
    try:
        return enrich(doc, parsed.title, parsed.meta_dates, doc_type, parsed.title_hint)
    except Exception:  # metadata must never lose a parsed document
        log.debug("metadata failed", exc_info=True)
        doc.warnings.append("元数据（标题、日期、类型）提取失败，已按未知处理；可在审阅界面中手动指定材料类型")
        return doc


def parse_file(path: Path, display_name: str | None = None, unit: str | None = None,
               doc_type: DocType | None = None, settings: Settings | None = None) -> Document:
    path = Path(path)
    settings = settings or get_settings()
    try:
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            limits.check_file_size(size, settings)  # before reading a huge file into memory
            head = fh.read(_SNIFF_BYTES)
            if sniff(head, path.suffix.lstrip(".").lower()) in _TEXT_KINDS:
                limits.check_text_bytes(size, settings)  # a text too long to keep is not read at all
            data = head + fh.read(int(settings.max_file_mb * 1024 * 1024) + 1 - len(head))
    except OSError as exc:
        raise ParseError(unreadable(exc)) from exc
    return parse_bytes(data, display_name or path.name, unit, doc_type, settings)


_SNIFF_BYTES = 1 << 16
