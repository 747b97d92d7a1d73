"""Input limits (core.settings): refuse oversized or hostile files before doing real work."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import PurePosixPath

from core.settings import Settings, get_settings
from ingestion.errors import ParseError

_MB = 1024 * 1024


def _settings(settings: Settings | None) -> Settings:
    return settings or get_settings()


def check_file_size(size: int, settings: Settings | None = None) -> None:
    limit = _settings(settings).max_file_mb
    if size == 0:
        raise ParseError("文件为空（0 字节）")
    if size > limit * _MB:
        raise ParseError(f"文件过大（{size / _MB:.1f} MB），超过上限 {limit:g} MB（ZWGK_MAX_FILE_MB）")


def check_pages(pages: int, settings: Settings | None = None) -> None:
    limit = _settings(settings).max_pages
    if pages > limit:
        raise ParseError(f"PDF 页数过多（{pages} 页），超过上限 {limit} 页（ZWGK_MAX_PAGES）")


def check_image_pixels(width: int, height: int, settings: Settings | None = None) -> None:
    limit = _settings(settings).max_image_pixels
    if width * height > limit:
        raise ParseError(
            f"图片尺寸过大（{width}×{height} 像素），超过上限 {limit} 像素（ZWGK_MAX_IMAGE_PIXELS）"
        )


def check_html_depth(depth: int, settings: Settings | None = None) -> None:
    limit = _settings(settings).max_html_depth
    if depth > limit:
        raise ParseError(f"网页元素嵌套过深（{depth} 层），超过上限 {limit} 层（ZWGK_MAX_HTML_DEPTH）")


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
                                         "疑似恶意构造，已拒绝")
                    chunk = inflater.unconsumed_tail
        except zlib.error:
            continue


def open_zip(data: bytes, what: str, settings: Settings | None = None) -> zipfile.ZipFile:
    """Open a zip container (DOCX/XLSX/OFD) after checking names and the expanded size.

    The declared sizes are checked before anything is decompressed (zip bombs), and member names
    that are absolute or climb out with '..' are refused (path traversal), even though nothing is
    ever extracted to disk: such a container is not a genuine office file.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
        raise ParseError(f"{what} 文件已损坏或不是有效的压缩包：{exc}") from exc
    total = 0
    for info in infos:
        name = info.filename.replace("\\", "/")
        if name.startswith("/") or ".." in PurePosixPath(name).parts or ":" in name.split("/")[0]:
            raise ParseError(f"{what} 文件包含非法路径的成员（{info.filename}），已拒绝")
        total += info.file_size
    limit = _settings(settings).max_unzipped_mb
    if total > limit * _MB:
        raise ParseError(
            f"{what} 文件解压后过大（{total / _MB:.1f} MB），超过上限 {limit:g} MB（ZWGK_MAX_UNZIPPED_MB）"
        )
    return archive


def read_member(archive: zipfile.ZipFile, name: str, what: str) -> bytes:
    """Read one member; the actual decompressed size is bounded by the declared one."""
    try:
        info = archive.getinfo(name)
        with archive.open(info) as fh:
            data = fh.read(info.file_size + 1)
    except KeyError as exc:
        raise ParseError(f"{what} 文件缺少 {name}") from exc
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise ParseError(f"{what} 文件已损坏（{name}）：{exc}") from exc
    if len(data) > info.file_size:
        raise ParseError(f"{what} 文件的成员 {name} 实际大小与声明不符，已拒绝")
    return data
