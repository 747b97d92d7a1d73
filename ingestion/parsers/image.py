"""Images (PNG/JPEG screenshots, scans; multi-page TIFF): RapidOCR lines in reading order as caption
blocks, ruled tables in the picture as table blocks (ingestion.parsers.scan_tables).

The pixel count is read from the header before anything is decoded (Pillow's `open` is lazy), so a
decompression bomb is refused without allocating it. Each frame of a multi-page TIFF (a scanner's
or fax's output) is one page. Phone photos are turned upright by their EXIF orientation first.
文号 brackets are repaired (ingestion.ocr).
"""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from core.document import BlockKind
from core.settings import Settings
from ingestion import limits
from ingestion.errors import ParseError
from ingestion.parsers import Parsed
from ingestion.parsers.pdf_layout import TableItem, scanned_content
from ingestion.parsers.scan_tables import scanned_layout


def _open(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ParseError("图片尺寸过大，超过安全上限（ZWGK_MAX_IMAGE_PIXELS）；请缩小图片后导入") from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ParseError("图片无法识别或已损坏；请用看图软件打开后另存为 PNG 或 JPG 再导入") from exc


def _bgr(frame: Image.Image) -> np.ndarray:
    frame = ImageOps.exif_transpose(frame)
    return np.asarray(frame.convert("RGB"))[:, :, ::-1].copy()  # RapidOCR expects BGR, as cv2 gives


def parse_image(data: bytes, settings: Settings) -> Parsed:
    image = _open(data)
    limits.check_image_pixels(image.width, image.height, settings)
    n_frames = getattr(image, "n_frames", 1)
    limits.check_pages(n_frames, settings)
    parsed = Parsed(pages=n_frames)
    if not settings.ocr:
        parsed.builder.new_page(1)
        parsed.warnings.append("OCR 已关闭（ZWGK_OCR），图片中的文字未识别")
        return parsed
    try:
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            limits.check_image_pixels(frame.width, frame.height, settings)
            parsed.builder.new_page(number)
            frame.load()
            groups, boxes = scanned_layout(_bgr(frame))
            for _top, item in scanned_content(groups, boxes, number).items:
                if isinstance(item, TableItem):  # a ruled table in the picture
                    parsed.builder.add_table(item.cells, header_rows=item.header_rows)
                else:
                    for line in item:
                        parsed.builder.add_block(line, BlockKind.caption)
            parsed.ocr_pages.append(number)
    except (OSError, ValueError, EOFError, Image.DecompressionBombError) as exc:
        raise ParseError("图片数据已损坏，无法解码；请用看图软件打开后另存为 PNG 或 JPG 再导入") from exc
    if not parsed.builder.blocks:
        parsed.warnings.append("图片中未识别出文字")
    return parsed
