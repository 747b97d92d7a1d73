"""Input limits (core.settings, "input limits"): refuse oversized or hostile files, checked before
and while a file is read, never only after it was read whole.

Every refusal is a ParseError whose Chinese message names the limit's variable and what to do. The
list of limits, and the test that shows each, is in docs/reliability.md.
"""

from __future__ import annotations

import contextlib
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import PurePosixPath

from core.display import safe_name
from core.settings import Settings, get_settings
from ingestion.errors import ParseError

_MB = 1024 * 1024
ASK_SENDER = "请向材料报送单位索取正常保存的文件"


def _settings(settings: Settings | None) -> Settings:
    return settings or get_settings()


def file_too_large(size: float, limit_mb: float) -> str:
    return (f"文件过大（{size / _MB:.1f} MB），超过上限 {limit_mb:g} MB（ZWGK_MAX_FILE_MB）；"
            "请压缩或拆分后导入，或调高该上限")


def check_file_size(size: int, settings: Settings | None = None) -> None:
    limit = _settings(settings).max_file_mb
    if size == 0:
        raise ParseError("文件为空（0 字节）；请检查文件是否完整保存后重新导入")
    if size > limit * _MB:
        raise ParseError(file_too_large(size, limit))


def check_pages(pages: int, settings: Settings | None = None) -> None:
    limit = _settings(settings).max_pages
    if pages > limit:
        raise ParseError(f"页数过多（{pages} 页），超过上限 {limit} 页（ZWGK_MAX_PAGES）；请拆分后导入，或调高该上限")


def check_image_pixels(width: int, height: int, settings: Settings | None = None) -> None:
    limit = _settings(settings).max_image_pixels
    if width * height > limit:
        raise ParseError(
            f"图片尺寸过大（{width}×{height} 像素），超过上限 {limit} 像素（ZWGK_MAX_IMAGE_PIXELS）；"
            "请缩小图片后导入，或调高该上限"
        )


def check_html_depth(depth: int, settings: Settings | None = None) -> None:
    limit = _settings(settings).max_html_depth
    if depth > limit:
        raise ParseError(f"网页元素嵌套过深（{depth} 层），超过上限 {limit} 层（ZWGK_MAX_HTML_DEPTH），"
                         "疑似恶意构造；如确为正常网页，请另存为 PDF 后导入")


_PDF_STREAM = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\n|\r)")
_CHUNK = 1 << 16


def check_pdf_streams(data: bytes, settings: Settings | None = None) -> None:
    """Refuse a PDF whose Flate content, font and form streams inflate beyond ZWGK_MAX_UNZIPPED_MB.

    A few hundred KB can inflate to gigabytes of drawing operators, which the PDF engine would
    decode and interpret in one uninterruptible call. Streams are inflated here incrementally and
    discarded, stopping at the limit; image streams are skipped (their pixel count is limited
    when they are rendered) and streams that are not plain zlib (encrypted, other filters) too.
    """
    limit = _settings(settings).max_unzipped_mb * _MB
    total = 0
    for match in _PDF_STREAM.finditer(data):
        head = data[max(0, match.start() - 2048): match.start()]
        head = head[head.rfind(b" obj") + 1:]
        if b"FlateDecode" not in head or b"/Image" in head:
            continue
        inflater = zlib.decompressobj()
        pos = match.end()
        try:
            while not inflater.eof and pos < len(data):
                chunk = data[pos: pos + _CHUNK]
                pos += _CHUNK
                while chunk and not inflater.eof:
                    total += len(inflater.decompress(chunk, 1 << 20))
                    if total > limit:
                        raise ParseError(f"PDF 内容解压后过大（超过 {limit / _MB:g} MB，ZWGK_MAX_UNZIPPED_MB），"
                                         "疑似恶意构造，已拒绝；如确为正常文件，请调高该上限")
                    chunk = inflater.unconsumed_tail
        except zlib.error:
            continue


def open_zip(data: bytes, what: str, settings: Settings | None = None) -> zipfile.ZipFile:
    """Open a zip container (DOCX/XLSX/OFD) after checking names and the expanded size.

    Member names that are absolute or climb out with '..' are refused (path traversal), even though
    nothing is ever extracted to disk: such a container is not a genuine office file. The declared
    sizes are summed first; then every member is inflated here, in bounded steps and discarded
    (`_inflated_size`), so a member whose header understates its size is refused before python-docx or
    openpyxl read it: their `ZipFile.read` inflates a member in one call of up to 2 GB, and only then
    truncates it to the declared size (2.1 GB RSS for a 1 MB file).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
        raise ParseError(f"{what} 文件已损坏或不是有效的压缩包；请用原软件重新保存后导入") from exc
    limit_mb = _settings(settings).max_unzipped_mb
    too_big = (f"{what} 文件解压后过大（超过上限 {limit_mb:g} MB，ZWGK_MAX_UNZIPPED_MB），疑似压缩炸弹，已拒绝；"
               "如确为正常文件，请调高该上限")
    total = 0
    for info in infos:
        name = info.filename.replace("\\", "/")
        if name.startswith("/") or ".." in PurePosixPath(name).parts or ":" in name.split("/")[0]:
            raise ParseError(f"{what} 文件包含非法路径的成员（{safe_name(info.filename)}），疑似恶意构造，已拒绝；{ASK_SENDER}")
        total += info.file_size
    if total > limit_mb * _MB:
        raise ParseError(too_big)
    total = 0
    for info in infos:
        actual = _inflated_size(data, info, what, limit_mb * _MB - total, too_big)
        if actual > info.file_size:
            raise ParseError(f"{what} 文件的成员 {safe_name(info.filename)} 实际解压大小超过声明的 {info.file_size} 字节，"
                             f"疑似压缩炸弹，已拒绝；{ASK_SENDER}")
        if actual < info.file_size:
            raise ParseError(f"{what} 文件已损坏（成员 {safe_name(info.filename)} 不完整）；请用原软件重新保存后导入")
        total += actual
    return archive


_LOCAL_HEADER = struct.Struct("<4s5H3I2H")  # signature … name length, extra length


def _inflated_size(data: bytes, info: zipfile.ZipInfo, what: str, budget: float, too_big: str) -> int:
    """Bytes the member really inflates to, counted 1 MB at a time and discarded; stops one byte past
    its declared size (a lie) or past `budget` (the archive's remaining allowance)."""
    damaged = ParseError(f"{what} 文件已损坏（成员 {safe_name(info.filename)} 无法读取）；请用原软件重新保存后导入")
    if info.flag_bits & 0x1:
        raise ParseError(f"{what} 文件已加密，无法读取；请取消密码保护后重新导入")
    head = data[info.header_offset: info.header_offset + _LOCAL_HEADER.size]
    if len(head) < _LOCAL_HEADER.size or head[:4] != b"PK\x03\x04":
        raise damaged
    name_len, extra_len = _LOCAL_HEADER.unpack(head)[-2:]
    start = info.header_offset + _LOCAL_HEADER.size + name_len + extra_len
    raw = memoryview(data)[start: start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        size = len(raw)
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        size, stop = 0, min(info.file_size, budget) + 1
        try:
            for pos in range(0, len(raw), _CHUNK):
                chunk = raw[pos: pos + _CHUNK]
                while chunk and size < stop:
                    size += len(inflater.decompress(chunk, 1 << 20))
                    chunk = inflater.unconsumed_tail
                if size >= stop or inflater.eof:
                    break
        except zlib.error as exc:
            raise damaged from exc
    else:  # bzip2/lzma/deflate64: no Office or OFD producer writes them; zipfile cannot bound them
        raise ParseError(f"{what} 文件使用了不支持的压缩方式（成员 {safe_name(info.filename)}）；"
                         "请用 Office/WPS 重新保存后导入")
    if size > budget:
        raise ParseError(too_big)
    return size


def read_member(archive: zipfile.ZipFile, name: str, what: str) -> bytes:
    """Read one member; the actual decompressed size is bounded by the declared one."""
    try:
        info = archive.getinfo(name)
        with archive.open(info) as fh:
            data = fh.read(info.file_size + 1)
    except KeyError as exc:
        raise ParseError(f"{what} 文件缺少 {safe_name(name)}；文件可能不完整，请用原软件重新保存后导入") from exc
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise ParseError(f"{what} 文件已损坏（{safe_name(name)} 无法读取）；请用原软件重新保存后导入") from exc
    if len(data) > info.file_size:
        raise ParseError(f"{what} 文件的成员 {safe_name(name)} 实际大小与声明不符，疑似恶意构造，已拒绝；{ASK_SENDER}")
    return data


# ---- spreadsheets and text ------------------------------------------------------------------------

def check_sheet_rows(sheet: str, rows: int, settings: Settings | None = None) -> None:
    """Called as rows are streamed: stops at the first row past the limit."""
    limit = _settings(settings).max_sheet_rows
    if rows > limit:
        raise ParseError(f"工作表“{safe_name(sheet)}”超过 {limit} 行（ZWGK_MAX_SHEET_ROWS），已停止读取；"
                         "请删除多余的行或拆分后导入，或调高该上限")


def check_sheet_cells(cells: int, settings: Settings | None = None) -> None:
    limit = _settings(settings).max_sheet_cells
    if cells > limit:
        raise ParseError(f"表格超过 {limit} 个单元格（ZWGK_MAX_SHEET_CELLS），已停止读取；"
                         "请删除多余的行列或拆分后导入，或调高该上限")


def text_too_long(limit: int) -> ParseError:
    return ParseError(f"文件文字过多（超过 {limit} 字，ZWGK_MAX_TEXT_CHARS），已停止读取；请拆分后导入，或调高该上限")


def check_text_bytes(size: int, settings: Settings | None = None) -> None:
    """A plain-text, CSV or web file of more than 4 bytes per allowed character cannot decode to
    fewer characters than the limit (no encoding used here takes more than 4 bytes a character):
    refused before it is read."""
    limit = _settings(settings).max_text_chars
    if size > 4 * limit:
        raise text_too_long(limit)


def check_text_chars(chars: int, settings: Settings | None = None) -> None:
    limit = _settings(settings).max_text_chars
    if chars > limit:
        raise text_too_long(limit)


# The text limit while a document is laid out (ingestion.builder reads it on every append): set by
# `parse_bytes` for the parse it runs, so every format is bounded without each parser passing it.
TEXT_CAP: ContextVar[int | None] = ContextVar("TEXT_CAP", default=None)


@contextlib.contextmanager
def text_cap(settings: Settings) -> Iterator[None]:
    token = TEXT_CAP.set(settings.max_text_chars)
    try:
        yield
    finally:
        TEXT_CAP.reset(token)
