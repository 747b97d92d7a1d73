"""File type from content, not from the extension (reviewers' files are often misnamed)."""

from __future__ import annotations

import io
import re
import zipfile

import filetype

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
IMAGE_TYPES = {"png": "png", "jpg": "jpg", "gif": "gif", "bmp": "bmp", "tif": "tiff", "webp": "webp"}
_MHT = re.compile(rb"(?is)^(?:[\w-]+:[^\n]*\n)*?(?:mime-version:[^\n]*\n(?:[\w-]+:[^\n]*\n|\s[^\n]*\n)*?)?"
                  rb"content-type:\s*multipart/related")
_HTML_MARKUP = re.compile(rb"<\s*(!doctype\s+html|html|head|body|meta|title)\b", re.IGNORECASE)
# a saved fragment (the article's HTML only): starts with a block tag and closes some
_HTML_FRAGMENT = re.compile(rb"^\s*<(div|p|table|section|article|h[1-6]|ul|span|font|center)\b[^>]*>", re.IGNORECASE)
_CLOSING_TAG = re.compile(rb"</(div|p|table|td|tr|section|article|h[1-6]|li|span|font|center)\s*>", re.IGNORECASE)
# Extensions that name each sniffed type (for the "misnamed file" warning).
EXTENSIONS: dict[str, set[str]] = {
    "pdf": {"pdf"}, "docx": {"docx", "docm", "wps", "dotx"}, "xlsx": {"xlsx", "xlsm", "et"},
    "ofd": {"ofd"}, "doc": {"doc", "wps", "dot"}, "xls": {"xls", "et"},
    "html": {"html", "htm", "shtml", "xhtml", "asp", "aspx", "jsp", "php"}, "mht": {"mht", "mhtml"},
    "txt": {"txt", "text", "md", ""}, "csv": {"csv", "txt"},
    "png": {"png"}, "jpg": {"jpg", "jpeg", "jfif"}, "gif": {"gif"}, "bmp": {"bmp"},
    "tiff": {"tif", "tiff"}, "webp": {"webp"}, "zip": {"zip"},
}
TYPE_LABELS = {"pdf": "PDF", "docx": "Word（DOCX）", "xlsx": "Excel（XLSX）", "ofd": "OFD", "doc": "旧版 Word/WPS",
               "xls": "旧版 Excel", "html": "网页（HTML）", "mht": "网页存档（MHT）", "txt": "纯文本", "csv": "CSV 表格", "zip": "ZIP 压缩包",
               **{k: f"图片（{k.upper()}）" for k in ("png", "jpg", "gif", "bmp", "tiff", "webp")}}


def _zip_kind(data: bytes, extension: str) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        # a broken container: the parser its extension names reports the damage
        return extension if extension in ("docx", "xlsx", "ofd") else "zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "OFD.xml" in names or any(n.lower() == "ofd.xml" for n in names):
        return "ofd"
    return "zip"


def _ole_kind(data: bytes) -> str:
    # Directory entries hold UTF-16LE stream names; no full OLE parser needed to tell them apart.
    if "Workbook".encode("utf-16-le") in data or "Book\x00".encode("utf-16-le") in data:
        return "xls"
    return "doc"


def _looks_like_csv(data: bytes) -> bool:
    lines = [ln for ln in data[:20000].splitlines() if ln.strip()][:50]
    if len(lines) < 2:
        return False
    counts = [ln.count(b",") for ln in lines]
    common = max(set(counts), key=counts.count)
    return common >= 1 and counts.count(common) >= 0.8 * len(counts)


def sniff(data: bytes, extension: str = "") -> str:
    """One of: pdf docx xlsx ofd doc xls html mht txt csv png jpg gif bmp tiff webp zip."""
    head = data[:1024]
    if data.startswith(b"%PDF-") or (b"%PDF-" in head and b" obj" in data[:65536]):
        return "pdf"  # some producers put junk before the header; readers accept up to 1 KB of it
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_kind(data, extension.lower())
    if data.startswith(OLE2_MAGIC):
        return _ole_kind(data)
    kind = filetype.guess(head)
    if kind is not None and kind.extension in IMAGE_TYPES:
        return IMAGE_TYPES[kind.extension]
    if _MHT.match(data[:2048]):
        return "mht"
    if _HTML_MARKUP.search(data[:4096].lstrip(b"\xef\xbb\xbf")) or _HTML_MARKUP.search(
        data[:4096].decode("utf-16", "ignore").encode() if data[:2] in (b"\xff\xfe", b"\xfe\xff") else b""
    ):
        return "html"
    start = data[:4096].lstrip(b"\xef\xbb\xbf")
    if _HTML_FRAGMENT.match(start) and len(_CLOSING_TAG.findall(data[:20000])) >= 2:
        return "html"
    ext = extension.lower()
    if ext in ("csv", "tsv") or (ext != "txt" and _looks_like_csv(data)):
        return "csv"  # a .txt stays text even with commas on every line
    return "txt"


def claimed_container(extension: str) -> str | None:
    """The binary format an extension promises (for "not a valid DOCX" messages)."""
    ext = extension.lower().lstrip(".")
    for kind in ("pdf", "docx", "xlsx", "ofd", "doc", "xls", "png", "jpg", "gif", "bmp", "tiff", "webp"):
        if ext in EXTENSIONS[kind] and ext not in EXTENSIONS["txt"]:
            return kind
    return None


def extension_mismatch(kind: str, extension: str) -> str | None:
    """A Chinese warning when the extension names another type than the content."""
    ext = extension.lower().lstrip(".")
    if not ext or ext in EXTENSIONS.get(kind, set()):
        return None
    if kind in ("txt", "csv") and ext in ("txt", "csv", "tsv", "log"):
        return None
    label = TYPE_LABELS.get(kind, kind.upper())
    return f"文件扩展名为 .{ext}，但内容是{label}，已按{label}解析"
