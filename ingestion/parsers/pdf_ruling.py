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
from collections.abc import Callable

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber import table as pt
from pdfplumber import utils as pu

AXIS_TOLERANCE = 0.5  # pt: a segment this close to horizontal/vertical is a ruling
SNAP = pt.DEFAULT_SNAP_TOLERANCE
JOIN = pt.DEFAULT_JOIN_TOLERANCE
MIN_EDGE = 3


Display = Callable[[float, float], tuple[float, float]]


def display_transform(page: pdfium.PdfPage) -> Display:
    """PDF user space (y up) -> the page as displayed, top-down, honouring /Rotate (clockwise).
    pdfium reports paths and character boxes in user space but orders text as displayed, so a
    landscape page stored as rotated portrait must be laid out in display coordinates."""
    x0, y0, x1, y1 = page.get_mediabox()
    width, height = x1 - x0, y1 - y0
    rotation = page.get_rotation() % 360
    if rotation == 90:
        return lambda x, y: (y - y0, x - x0)
    if rotation == 180:
        return lambda x, y: (width - (x - x0), y - y0)
    if rotation == 270:
        return lambda x, y: (height - (y - y0), width - (x - x0))
    return lambda x, y: (x - x0, height - (y - y0))


def display_box(to_display: Display, left: float, bottom: float, right: float, top: float):
    """A user-space box as (x0, top, x1, bottom) in display coordinates."""
    ax, ay = to_display(left, bottom)
    bx, by = to_display(right, top)
    return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


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


def _edge(x0: float, top: float, x1: float, bottom: float) -> dict | None:
    """A display-space segment as a pdfplumber edge, if it is (nearly) horizontal or vertical."""
    if abs(bottom - top) <= AXIS_TOLERANCE and abs(x1 - x0) > AXIS_TOLERANCE:
        y = (top + bottom) / 2
        left, right = sorted((x0, x1))
        return {"x0": left, "x1": right, "top": y, "bottom": y, "width": right - left, "height": 0.0,
                "orientation": "h", "object_type": "line"}
    if abs(x1 - x0) <= AXIS_TOLERANCE and abs(bottom - top) > AXIS_TOLERANCE:
        x = (x0 + x1) / 2
        upper, lower = sorted((top, bottom))
        return {"x0": x, "x1": x, "top": upper, "bottom": lower, "width": 0.0, "height": lower - upper,
                "orientation": "v", "object_type": "line"}
    return None


def _edges(segments, to_display: Display) -> list[dict]:
    out = []
    for x0, y0, x1, y1 in segments:
        edge = _edge(*to_display(x0, y0), *to_display(x1, y1))
        if edge is not None:
            out.append(edge)
    return out


def _bar_edges(obj: pdfium.PdfObject, to_display: Display) -> list[dict]:
    """A thin filled rectangle drawn as a rule (some producers draw lines this way)."""
    x0, top, x1, bottom = display_box(to_display, *obj.get_bounds())
    thin = 2 * AXIS_TOLERANCE + 1.5
    if x1 - x0 <= thin and bottom - top > MIN_EDGE:
        x = (x0 + x1) / 2
        return [_edge(x, top, x, bottom)]
    if bottom - top <= thin and x1 - x0 > MIN_EDGE:
        y = (top + bottom) / 2
        return [_edge(x0, y, x1, y)]
    return []


def table_cell_groups(page: pdfium.PdfPage) -> list[list[tuple[float, float, float, float]]] | None:
    """Cell boxes (x0, top, x1, bottom; top-down coordinates) of each ruled table on the page.
    None when paths sit inside form XObjects (their space is not resolved here)."""
    to_display = display_transform(page)
    edges: list[dict] = []
    for obj in page.get_objects(max_depth=15):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
            if any(o.type == pdfium_c.FPDF_PAGEOBJ_PATH for o in page.get_objects(max_depth=15, form=obj)):
                return None
            continue
        if obj.level > 0 or obj.type != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        segs = _segments(obj)
        found = _edges(segs, to_display)
        edges.extend(found or _bar_edges(obj, to_display))
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

    def __init__(self, textpage: pdfium.PdfTextPage, to_display: Display):
        self.textpage = textpage
        self.raw = textpage.get_text_range()
        self.ok = len(self.raw) == textpage.count_chars()
        self.centres: list[tuple[float, float]] = []
        self._xs: np.ndarray | None = None
        self._ys: np.ndarray | None = None
        if self.ok:
            for i, ch in enumerate(self.raw):
                if ch in "\r\n":
                    self.centres.append((-1.0, -1.0))
                    continue
                x0, top, x1, bottom = display_box(to_display, *textpage.get_charbox(i))
                self.centres.append(((x0 + x1) / 2, (top + bottom) / 2))

    def text_in(self, box: tuple[float, float, float, float]) -> str:
        """Characters whose centre lies in the box, in pdfium's reading order, with a line break where
        the page text has one and without phantom spaces."""
        x0, top, x1, bottom = box
        if self._xs is None:  # vectorised once per page: a table asks for every one of its cells
            self._xs = np.fromiter((c[0] for c in self.centres), dtype=float, count=len(self.centres))
            self._ys = np.fromiter((c[1] for c in self.centres), dtype=float, count=len(self.centres))
        inside = np.nonzero((self._xs >= x0) & (self._xs <= x1) & (self._ys >= top) & (self._ys <= bottom))[0]
        picked: list[str] = []
        last = None
        for i in inside.tolist():
            if _phantom_space(self.textpage, self.raw, i):
                continue
            if last is not None and "\n" in self.raw[last + 1:i]:
                picked.append("\n")
            picked.append(self.raw[i])
            last = i
        return "".join(picked)


def text_lines(textpage: pdfium.PdfTextPage, to_display: Display) -> list[tuple[float, float, float, float, str]] | None:
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
            boxes = [display_box(to_display, *textpage.get_charbox(i)) for i in (idx[0], idx[len(idx) // 2], idx[-1])]
            out.append((min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                        max(b[3] for b in boxes), line))
        start = end + 1
    return out
