"""Plain text in any encoding Chinese offices produce; each non-empty line is one block.

Encoding: a BOM decides (UTF-8, UTF-16); else strict UTF-8; else charset-normalizer's best guess.
GBK and GB2312 are read as GB18030 (a strict superset that decodes everything they do). Short
texts are ambiguous between GB18030 and Big5; when the detector says Big5 but the GB18030 reading
is almost entirely common simplified characters (GB2312), GB18030 wins: the evidence comes from
mainland offices, and Big5 bytes read as GB18030 fall largely outside GB2312.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from core.settings import Settings
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


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding name) or ParseError."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise ParseError(f"文本带有 {name} 标记但无法按该编码解码：{exc.reason}") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise ParseError("无法识别文本编码（不是 UTF-8、GB18030/GBK、Big5 或 UTF-16 文本）")
    encoding = best.encoding.lower().replace("-", "_")
    gb_text = _try(data, "gb18030")
    if encoding in _GB_FAMILY and gb_text is not None:
        return gb_text, "gb18030"
    if encoding in ("big5", "big5hkscs", "cp950") and gb_text is not None and _simplified_share(gb_text) >= 0.9:
        return gb_text, "gb18030"
    text = _try(data, encoding) if encoding in _ACCEPTED else None
    if text is None:
        raise ParseError(f"无法识别文本编码（检测结果为 {encoding}，不是中文文本常用的编码），文件可能不是文本")
    return text, encoding


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def parse_text(data: bytes, settings: Settings) -> Parsed:
    text, encoding = decode_text(data)
    if "\x00" in text or sum(1 for ch in text[:5000] if ord(ch) < 32 and ch not in "\t\r\n\f") > 10:
        raise ParseError("文件含有二进制内容，不是可读的文本文件")
    parsed = Parsed(encoding=encoding)
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        parsed.builder.add_block(line.replace("\ufeff", ""))
    return parsed
