"""What a browser upload may be called and may contain, before ingestion sees it.

A name comes from the reviewer's machine: only its last component is kept (`../../etc/passwd.pdf` is
`passwd.pdf`), without characters no file system takes. A name the unit already holds with other
content is kept beside it with a suffix (`年报（2）.pdf`), never replacing it. Content whose real
type (magic bytes) is not what its extension says is refused: a text file named `.pdf` is not
evidence of a PDF, and the reviewer should see that at once rather than as a strange finding.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath

from ingestion.sniff import EXTENSIONS, TYPE_LABELS, sniff

MAX_NAME_BYTES = 200  # UTF-8 bytes: file systems take 255, and a "（12）" suffix may still be added
_BAD = re.compile(r'[<>:"|?*\x00-\x1f\x7f]')
TEXT_KINDS = {"txt", "csv", "html", "mht"}
IMAGE_KINDS = {"png", "jpg", "gif", "bmp", "tiff", "webp"}
# What each extension may really hold. Strict where a type is evidence in itself (a PDF, an OFD, an
# image); tolerant where offices routinely misname without harm: Word and WPS save one another's
# formats and web pages as .doc, statistics systems export HTML or CSV tables as .xls.
_WORD, _EXCEL = {"doc", "docx", "html", "mht"}, {"xls", "xlsx", "html", "csv"}
ACCEPTED: dict[str, set[str]] = {
    "pdf": {"pdf"}, "ofd": {"ofd"},
    **{e: _WORD for e in ("doc", "docx", "docm", "dot", "dotx", "wps")},
    **{e: _EXCEL for e in ("xls", "xlsx", "xlsm", "et")},
    **{e: IMAGE_KINDS for kind in IMAGE_KINDS for e in EXTENSIONS[kind]},
    **{e: TEXT_KINDS for e in EXTENSIONS["txt"] | EXTENSIONS["csv"] | EXTENSIONS["html"] | EXTENSIONS["mht"]
       | {"tsv", "log"} if e},
}
_CLAIMS = {"pdf": "PDF", "ofd": "OFD", **{e: "Word" for e in ("doc", "docx", "docm", "dot", "dotx", "wps")},
           **{e: "Excel" for e in ("xls", "xlsx", "xlsm", "et")}}


def safe_upload_name(name: str) -> str:
    """The file's own name, without any path (either separator), control or reserved characters."""
    name = unicodedata.normalize("NFC", name or "")
    last = re.split(r"[\\/]", name)[-1]
    last = _BAD.sub("", last).strip()
    stem, suffix = _split(last)
    stem = stem.strip(". ")  # no hidden files, no "..", no trailing dot: a name of dots is no name
    if not stem:
        stem = "未命名文件"
    while len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return stem + suffix


def _split(name: str) -> tuple[str, str]:
    suffix = PurePath(name).suffix or (name if name.count(".") == 1 and name.startswith(".") else "")
    if len(suffix) > 12 or not re.fullmatch(r"\.[0-9A-Za-z]+", suffix or ".x"):
        suffix = ""  # not an extension: part of the name
    return name[: len(name) - len(suffix)], suffix


def free_name(name: str, taken: set[str]) -> str:
    """`name`, or `stem（2）.ext`, `stem（3）.ext`… : the first not in `taken`."""
    if name not in taken:
        return name
    stem, suffix = _split(name)
    n = 2
    while f"{stem}（{n}）{suffix}" in taken:
        n += 1
    return f"{stem}（{n}）{suffix}"


def content_mismatch(data: bytes, name: str) -> str | None:
    """A Chinese reason to refuse the file when its content is not what its extension names.

    The content's type comes from its magic bytes (ingestion.sniff: %PDF, a zip holding the Office or
    OFD parts, PNG/JPEG… headers, else text). Empty files and extensions not listed in ACCEPTED are
    left to ingestion, which reports them itself."""
    ext = PurePath(name).suffix.lower().lstrip(".")
    if not data or ext not in ACCEPTED:
        return None
    kind = sniff(data, ext)
    if kind in ACCEPTED[ext]:
        return None
    claimed = _CLAIMS.get(ext) or ("图片" if ACCEPTED[ext] is IMAGE_KINDS else "文本")
    real = TYPE_LABELS.get(kind, kind.upper())
    return (f"文件内容与扩展名不符：扩展名 .{ext} 表示{claimed}文件，实际内容是{real}，未入库。"
            "请核对后改用正确的扩展名或原始文件重新上传。")
