"""Images (PNG/JPEG screenshots, scans): RapidOCR lines in reading order as caption blocks.

The pixel count is read from the header before anything is decoded (Pillow's `open` is lazy), so a
decompression bomb is refused without allocating it. 文号 brackets are repaired (ingestion.ocr).
"""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ingestion import limits, ocr
from ingestion.errors import ParseError
from ingestion.models import BlockKind
from ingestion.parsers import Parsed
from zwgk.settings import Settings


def parse_image(data: bytes, settings: Settings) -> Parsed:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ParseError(f"图片尺寸过大，超过安全上限（{exc}）") from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ParseError(f"图片无法识别或已损坏（{exc}）") from exc
    limits.check_image_pixels(image.width, image.height, settings)
    parsed = Parsed(pages=1)
    parsed.builder.new_page(1)
    if not settings.ocr:
        parsed.warnings.append("OCR 已关闭（ZWGK_OCR），图片中的文字未识别")
        return parsed
    try:
        image.load()
        image = ImageOps.exif_transpose(image)  # phone photos of paper: upright before OCR
        array = np.asarray(image.convert("RGB"))[:, :, ::-1].copy()  # RapidOCR expects BGR like cv2
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ParseError(f"图片数据已损坏，无法解码（{exc}）") from exc
    lines = ocr.ocr_image(array)
    for line in lines:
        parsed.builder.add_block(line.text, BlockKind.caption)
    parsed.ocr_pages = [1]
    if not lines:
        parsed.warnings.append("图片中未识别出文字")
    return parsed
