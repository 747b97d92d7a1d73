"""Ruled tables on scanned pages: ruling lines found in the image, cells by pdfplumber's algorithm.

A scanned annual report carries its tables as pixels. The ruling lines are found with OpenCV
(installed with RapidOCR): dark pixels, opened with long thin horizontal and vertical kernels, leave
only lines; their bounding boxes become edges for pdfplumber's table steps (the same steps the
vector path uses, ingestion.parsers.pdf_ruling). Each OCR text box goes to the cell holding its
centre; boxes outside every table remain text lines. Coordinates are image pixels, top-down.
"""

from __future__ import annotations

import numpy as np

from ingestion import ocr
from ingestion.parsers.pdf_ruling import cells_from_edges

# a ruling is at least this share of the page width/height long
MIN_LINE_SHARE = 0.04


def _line_edges(gray: np.ndarray) -> list[dict]:
    import cv2

    dark = (gray < 160).astype(np.uint8) * 255
    height, width = dark.shape
    edges: list[dict] = []
    for orientation, kernel in (("h", (max(10, int(width * MIN_LINE_SHARE)), 1)),
                                ("v", (1, max(10, int(height * MIN_LINE_SHARE))))):
        mask = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            x, y, w, h = cv2.boundingRect(contour)
            if orientation == "h":
                mid = y + h / 2
                edges.append({"x0": float(x), "x1": float(x + w), "top": mid, "bottom": mid, "width": float(w),
                              "height": 0.0, "orientation": "h", "object_type": "line"})
            else:
                mid = x + w / 2
                edges.append({"x0": mid, "x1": mid, "top": float(y), "bottom": float(y + h), "width": 0.0,
                              "height": float(h), "orientation": "v", "object_type": "line"})
    return edges


def scanned_layout(image: np.ndarray):
    """(cell groups, OCR boxes as (x0, top, x1, bottom, text)) for a page image (RGB/BGR array)."""
    gray = image.mean(axis=2) if image.ndim == 3 else image
    groups = cells_from_edges(_line_edges(gray), tolerance=max(3.0, image.shape[1] / 400))
    boxes = []
    for points, text in ocr.ocr_boxes(image):
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        boxes.append((min(xs), min(ys), max(xs), max(ys), text))
    return groups, boxes
