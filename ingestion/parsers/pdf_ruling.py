"""Ruled tables without pdfminer: pdfium's vector paths as edges for pdfplumber's table algorithm.

pdfplumber finds tables in four pure steps (merge_edges -> edges_to_intersections ->
intersections_to_cells -> cells_to_tables) over the page's ruling edges; what makes it slow (~50 ms
a page) is getting those edges, because pdfminer interprets the whole page, every character
included. Here the edges come from pdfium instead: the straight segments of the page's path objects
(lines, rectangle sides, thin filled bars), transformed to page space. pdfplumber's own steps and
default tolerances then build the cells; cell text and the text lines outside the tables come from
pdfium's text page. Pages this cannot handle (paths inside form XObjects, text the char index cannot
map) return None and take pdfplumber's full path.
"""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber import table as pt
from pdfplumber import utils as pu

AXIS_TOLERANCE = 0.5  # pt: a segment this close to horizontal/vertical is a ruling
SNAP = pt.DEFAULT_SNAP_TOLERANCE
JOIN = pt.DEFAULT_JOIN_TOLERANCE
MIN_EDGE = 3


def _segments(obj: pdfium.PdfObject) -> list[tuple[float, float, float, float]]:
    """Straight segments of a path object in page space: (x0, y0, x1, y1)."""
    m = obj.get_matrix()
    raw = obj.raw
    out = []
    start = current = None
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(pdfium_c.FPDFPath_CountSegments(raw)):
        seg = pdfium_c.FPDFPath_GetPathSegment(raw, i)
        if not pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        point = (m.a * x.value + m.c * y.value + m.e, m.b * x.value + m.d * y.value + m.f)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = current = point
            continue
        if kind == pdfium_c.FPDF_SEGMENT_LINETO and current is not None:
            out.append((*current, *point))
        current = point  # a curve moves the pen without drawing a ruling
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None and current != start:
            out.append((*current, *start))
            current = start
    return out


def _edges(segments, height: float) -> list[dict]:
    edges = []
    for x0, y0, x1, y1 in segments:
        if abs(y0 - y1) <= AXIS_TOLERANCE and abs(x1 - x0) > AXIS_TOLERANCE:
            top = height - (y0 + y1) / 2
            left, right = sorted((x0, x1))
            edges.append({"x0": left, "x1": right, "top": top, "bottom": top, "width": right - left,
                          "height": 0.0, "orientation": "h", "object_type": "line"})
        elif abs(x0 - x1) <= AXIS_TOLERANCE and abs(y1 - y0) > AXIS_TOLERANCE:
            x = (x0 + x1) / 2
            low, high = sorted((y0, y1))
            edges.append({"x0": x, "x1": x, "top": height - high, "bottom": height - low, "width": 0.0,
                          "height": high - low, "orientation": "v", "object_type": "line"})
    return edges


def _bar_edges(obj: pdfium.PdfObject, height: float) -> list[dict]:
    """A thin filled rectangle drawn as a rule (some producers draw lines this way)."""
    left, bottom, right, top = obj.get_bounds()
    if right - left <= 2 * AXIS_TOLERANCE + 1.5 and top - bottom > MIN_EDGE:
        x = (left + right) / 2
        return [{"x0": x, "x1": x, "top": height - top, "bottom": height - bottom, "width": 0.0,
                 "height": top - bottom, "orientation": "v", "object_type": "line"}]
    if top - bottom <= 2 * AXIS_TOLERANCE + 1.5 and right - left > MIN_EDGE:
        y = height - (top + bottom) / 2
        return [{"x0": left, "x1": right, "top": y, "bottom": y, "width": right - left, "height": 0.0,
                 "orientation": "h", "object_type": "line"}]
    return []


def table_cell_groups(page: pdfium.PdfPage) -> list[list[tuple[float, float, float, float]]] | None:
    """Cell boxes (x0, top, x1, bottom; top-down coordinates) of each ruled table on the page.
    None when paths sit inside form XObjects (their space is not resolved here)."""
    height = page.get_height()
    edges: list[dict] = []
    for obj in page.get_objects(max_depth=15):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
            if any(o.type == pdfium_c.FPDF_PAGEOBJ_PATH for o in page.get_objects(max_depth=15, form=obj)):
                return None
            continue
        if obj.level > 0 or obj.type != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        segs = _segments(obj)
        found = _edges(segs, height)
        edges.extend(found or _bar_edges(obj, height))
    return cells_from_edges(edges)


def cells_from_edges(edges: list[dict], tolerance: float = SNAP) -> list[list[tuple[float, float, float, float]]]:
    """pdfplumber's table steps over ruling edges (x0, x1, top, bottom, orientation): cell groups."""
    if not edges:
        return []
    edges = pt.merge_edges(edges, tolerance, tolerance, tolerance, tolerance)
    edges = pu.filter_edges(edges, min_length=MIN_EDGE)
    cells = pt.intersections_to_cells(pt.edges_to_intersections(edges, tolerance, tolerance))
    return pt.cells_to_tables(cells)


def _cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef" or ch in "（）《》「」、。，"


def _phantom_space(textpage: pdfium.PdfTextPage, raw: str, i: int) -> bool:
    """A space pdfium invented (a glyph gap or font change: "事项 0", "2023 年") next to a Chinese
    character: it is not in the document. Spaces the PDF really contains are kept."""
    return (raw[i] == " " and 0 < i < len(raw) - 1 and (_cjk(raw[i - 1]) or _cjk(raw[i + 1]))
            and pdfium_c.FPDFText_IsGenerated(textpage.raw, i) == 1)


def drop_generated_spaces(textpage: pdfium.PdfTextPage, raw: str) -> str:
    """The page text without phantom spaces (unchanged if pdfium's text and char index differ)."""
    if " " not in raw or len(raw) != textpage.count_chars():
        return raw
    return "".join(ch for i, ch in enumerate(raw) if not _phantom_space(textpage, raw, i))


class PageChars:
    """The page's characters with their centres (top-down coordinates), for cell text by position."""

    def __init__(self, textpage: pdfium.PdfTextPage, height: float):
        self.textpage = textpage
        self.raw = textpage.get_text_range()
        self.ok = len(self.raw) == textpage.count_chars()
        self.centres: list[tuple[float, float]] = []
        if self.ok:
            for i, ch in enumerate(self.raw):
                if ch in "\r\n":
                    self.centres.append((-1.0, -1.0))
                    continue
                left, bottom, right, top = textpage.get_charbox(i)
                self.centres.append(((left + right) / 2, height - (top + bottom) / 2))

    def text_in(self, box: tuple[float, float, float, float]) -> str:
        """Characters whose centre lies in the box, in pdfium's reading order, with a line break where
        the page text has one and without phantom spaces."""
        x0, top, x1, bottom = box
        picked: list[str] = []
        last = None
        for i, (cx, cy) in enumerate(self.centres):
            if not (x0 <= cx <= x1 and top <= cy <= bottom) or _phantom_space(self.textpage, self.raw, i):
                continue
            if last is not None and "\n" in self.raw[last + 1:i]:
                picked.append("\n")
            picked.append(self.raw[i])
            last = i
        return "".join(picked)


def text_lines(textpage: pdfium.PdfTextPage, height: float) -> list[tuple[float, float, float, float, str]] | None:
    """Lines of the page text with their box (x0, top, x1, bottom; top-down), or None if pdfium's
    text and its character index do not line up."""
    count = textpage.count_chars()
    raw = textpage.get_text_range()
    if len(raw) != count:
        return None
    out = []
    start = 0
    for end in [*(i for i, ch in enumerate(raw) if ch == "\n"), len(raw)]:
        idx = [i for i in range(start, end) if not raw[i].isspace()]
        if idx:
            line = "".join(ch for i, ch in enumerate(raw[start:end], start)
                           if ch != "\r" and not _phantom_space(textpage, raw, i))
            boxes = [textpage.get_charbox(i) for i in (idx[0], idx[len(idx) // 2], idx[-1])]
            left = min(b[0] for b in boxes)
            right = max(b[2] for b in boxes)
            top = height - max(b[3] for b in boxes)
            bottom = height - min(b[1] for b in boxes)
            out.append((left, top, right, bottom, line))
        start = end + 1
    return out
