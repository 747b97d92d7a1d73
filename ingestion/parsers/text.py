"""Plain text in any encoding Chinese offices produce; each non-empty line is one block.

Encoding: a BOM decides (UTF-8, UTF-16); else strict UTF-8; else charset-normalizer's best guess.
GBK and GB2312 are read as GB18030 (a strict superset that decodes everything they do). Short
texts are ambiguous between GB18030 and Big5; when the detector says Big5 but the GB18030 reading
is almost entirely common simplified characters (GB2312), GB18030 wins: the evidence comes from
mainland offices, and Big5 bytes read as GB18030 fall largely outside GB2312.

A file that decodes except for a few bytes (a GB18030 text with a damaged byte here and there) is
kept: the bad bytes become U+FFFD and the document carries a warning saying how many and on which
lines. More than 1 % bad bytes means the file is not text in that encoding, and it is refused.
"""

from __future__ import annotations

import codecs
import threading
from dataclasses import dataclass

from charset_normalizer import from_bytes

from core.settings import Settings
from ingestion import limits
from ingestion.errors import ParseError
from ingestion.parsers import Parsed

_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "hz", "euc_cn"}
# Encodings a Chinese office's text can be in; anything else the detector proposes (cp1252, koi8…)
# means the bytes are not Chinese text: refuse rather than produce mojibake.
_ACCEPTED = {"ascii", "utf_8", "utf_16", "utf_16_le", "utf_16_be", "utf_32", "big5", "big5hkscs", "cp950"}
_BOMS = [(codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]


def _simplified_share(text: str) -> float:
    cjk = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not cjk:
        return 0.0
    ok = 0
    for ch in cjk:
        try:
            ch.encode("gb2312")
            ok += 1
        except UnicodeEncodeError:
            pass
    return ok / len(cjk)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warning: str | None = None  # bytes that could not be decoded (replaced), and where


def decode_text(data: bytes) -> Decoded:
    """The text, its encoding, and a warning when a few bytes had to be replaced; or ParseError."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(name), name.replace("-sig", ""))
            except UnicodeDecodeError:
                return _tolerant(data, [name]) or _refuse(f"文本带有 {name.replace('-sig', '').upper()} 编码标记，"
                                                          "但内容无法按该编码解码")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        return _tolerant(data, ["utf-8", "gb18030"]) or _refuse(
            "无法识别文本编码（不是 UTF-8、GB18030/GBK、Big5 或 UTF-16 文本）")
    encoding = best.encoding.lower().replace("-", "_")
    gb_text = _try(data, "gb18030")
    if encoding in _GB_FAMILY and gb_text is not None:
        return Decoded(gb_text, "gb18030")
    if encoding in ("big5", "big5hkscs", "cp950") and gb_text is not None and _simplified_share(gb_text) >= 0.9:
        return Decoded(gb_text, "gb18030")
    text = _try(data, encoding) if encoding in _ACCEPTED else None
    if text is None:
        candidates = ["utf-8", "gb18030"] + ([encoding] if encoding in _ACCEPTED and encoding != "utf_8" else [])
        return _tolerant(data, candidates) or _refuse(
            f"无法识别文本编码（检测结果为 {encoding}，不是中文文本常用的编码），文件可能不是文本")
    return Decoded(text, encoding)


def _refuse(reason: str) -> Decoded:
    raise ParseError(f"{reason}；请用记事本或 WPS 打开后另存为 UTF-8 文本再导入")


# Bad byte ranges of the decode running in this thread (codecs error handlers are global by name).
_BAD = threading.local()
_MAX_BAD_SHARE = 0.01  # more than 1 % undecodable bytes: not text in this encoding


def _record_bad(exc: UnicodeDecodeError) -> tuple[str, int]:
    _BAD.spans.append((exc.start, exc.end))
    _BAD.bytes += exc.end - exc.start
    if _BAD.bytes > _BAD.allowed:
        raise exc  # garbage: stop at once rather than decode the rest
    return "\ufffd", exc.end


codecs.register_error("zwgk-count-bad", _record_bad)


def _tolerant(data: bytes, encodings: list[str]) -> Decoded | None:
    """The candidate encoding with the fewest undecodable bytes, if they are few; else None."""
    best: tuple[int, str, str, list[tuple[int, int]]] | None = None
    for encoding in encodings:
        _BAD.spans, _BAD.bytes = [], 0
        _BAD.allowed = max(4, int(len(data) * _MAX_BAD_SHARE))
        if best is not None:
            _BAD.allowed = min(_BAD.allowed, best[0] - 1)
        try:
            text = data.decode(encoding, "zwgk-count-bad")
        except (UnicodeDecodeError, LookupError):
            continue
        if best is None or _BAD.bytes < best[0]:
            best = (_BAD.bytes, encoding, text, list(_BAD.spans))
    if best is None:
        return None
    n_bytes, encoding, text, spans = best
    name = encoding.replace("_", "-").removesuffix("-sig")
    if name.startswith("utf-16") or name.startswith("utf-32"):
        where = "字节位置 " + "、".join(str(start) for start, _ in spans[:10])
    else:
        lines, line, pos = [], 1, 0
        for start, _ in spans:
            line += data.count(b"\n", pos, start)
            pos = start
            if not lines or lines[-1] != line:
                lines.append(line)
        where = "第 " + "、".join(map(str, lines[:10])) + " 行"
        if len(lines) > 10:
            where += f" 等 {len(lines)} 行"
    warning = (f"文本中有 {n_bytes} 个字节无法按 {name.upper()} 解码（{where}），已替换为“\ufffd”；"
               "请核对原文件这些位置的文字")
    return Decoded(text, name.replace("-", "_") if name not in ("utf-8", "gb18030") else name, warning)


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def parse_text(data: bytes, settings: Settings) -> Parsed:
    decoded = decode_text(data)
    text = decoded.text
    limits.check_text_chars(len(text), settings)
    if "\x00" in text or sum(1 for ch in text[:5000] if ord(ch) < 32 and ch not in "\t\r\n\f") > 10:
        raise ParseError("文件含有二进制内容，不是可读的文本文件；请确认选择的是正确的文件")
    parsed = Parsed(encoding=decoded.encoding)
    if decoded.warning:
        parsed.warnings.append(decoded.warning)
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        parsed.builder.add_block(line.replace("\ufeff", ""))
    return parsed
