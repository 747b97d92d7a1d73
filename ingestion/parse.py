"""Parse one evidence file into a Document.

PLACEHOLDER (skeleton): only UTF-8 plain text. The ingestion-parsers work replaces the body of
this module with format sniffing and the PDF/DOCX/HTML/text/image/spreadsheet/OFD parsers,
keeping this signature and ParseError.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ingestion.models import Block, BlockKind, Document


class ParseError(Exception):
    """A file that cannot be ingested. The message is Chinese, names the problem, not the path
    (the caller prefixes the file name)."""


def doc_id_for(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def parse_file(path: Path, display_name: str | None = None, unit: str | None = None) -> Document:
    data = path.read_bytes()
    if not data:
        raise ParseError("文件为空（0 字节）")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError("无法识别文本编码") from exc
    blocks = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            blocks.append(Block(kind=BlockKind.paragraph, start=pos, end=pos + len(line)))
        pos += len(line) + 1
    return Document(
        doc_id=doc_id_for(data), file=display_name or path.name, file_type="txt", unit=unit, text=text, blocks=blocks
    )
