"""Shared helpers for the sample generators: fonts, Chinese dates, byte-stable output files.

Every writer here must be deterministic (same input, same bytes): a document's id in the
workspace is the hash of its bytes, and the committed samples must not churn on regeneration.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from functools import lru_cache
from pathlib import Path

WQY_TTC = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
NOTO_SANS_TTC = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
NOTO_SANS_BOLD_TTC = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
NOTO_SC_INDEX = 2  # the Simplified Chinese face inside the Noto CJK collections

CN_DIGITS = "〇一二三四五六七八九"
_FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def cn_date(d: dt.date) -> str:
    """2023年1月31日 (the form used in document text)."""
    return f"{d.year}年{d.month}月{d.day}日"


def cn_upper_date(d: dt.date) -> str:
    """二〇二三年一月三十一日 (the form used in 落款 of formal letters)."""

    def num(n: int) -> str:
        if n < 10:
            return "一二三四五六七八九"[n - 1]
        tens, ones = divmod(n, 10)
        head = "" if tens == 1 else CN_DIGITS[tens]
        return f"{head}十{CN_DIGITS[ones] if ones else ''}"

    year = "".join(CN_DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{num(d.month)}月{num(d.day)}日"


@lru_cache(maxsize=1)
def register_pdf_fonts() -> tuple[str, str]:
    """Register the CJK fonts for reportlab; returns (body font, heading font) names.

    STSong-Light is a CID font that PDF readers supply themselves, so it is not embedded and the
    files stay small; headings use embedded WenQuanYi Micro Hei (Noto CJK is CFF, which
    reportlab cannot embed).
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdfmetrics.registerFont(TTFont("WQYHei", str(WQY_TTC), subfontIndex=0))
    return "STSong-Light", "WQYHei"


def stabilise_zip(path: Path) -> None:
    """Rewrite an OOXML zip (docx/xlsx) with fixed entry timestamps so its bytes are reproducible.

    openpyxl stamps dcterms:modified with the save time whatever the properties say; pin it too.
    """
    with zipfile.ZipFile(path) as zin:
        entries = [(info, zin.read(info.filename)) for info in zin.infolist()]
    entries = [(info, _pin_modified(data) if info.filename == "docProps/core.xml" else data)
               for info, data in entries]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            zout.writestr(fixed, data)


def fixed_docx_properties(document, title: str, author: str) -> None:
    """Fixed core properties: python-docx would otherwise stamp the current time."""
    props = document.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.created = dt.datetime(2024, 1, 1)
    props.modified = dt.datetime(2024, 1, 1)
    props.revision = 1


def _pin_modified(core_xml: bytes) -> bytes:
    return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>2024-01-01T00:00:00Z\g<2>",
                  core_xml)
