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
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber import table as pt
from pdfplumber import utils as pu

AXIS_TOLERANCE = 0.5  # pt: a segment this close to horizontal/vertical is a ruling
SNAP = pt.DEFAULT_SNAP_TOLERANCE
JOIN = pt.DEFAULT_JOIN_TOLERANCE
MIN_EDGE = 3
CELL_INSET = 1.0  # pt


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


def user_transform(page: pdfium.PdfPage) -> Display:
    """The inverse of display_transform: display coordinates back to PDF user space."""
    x0, y0, x1, y1 = page.get_mediabox()
    width, height = x1 - x0, y1 - y0
    rotation = page.get_rotation() % 360
    if rotation == 90:
        return lambda dx, dy: (dy + x0, dx + y0)
    if rotation == 180:
        return lambda dx, dy: (x0 + width - dx, dy + y0)
    if rotation == 270:
        return lambda dx, dy: (x0 + width - dy, y0 + height - dx)
    return lambda dx, dy: (dx + x0, y0 + height - dy)


def display_box(to_display: Display, left: float, bottom: float, right: float, top: float):
    """A user-space box as (x0, top, x1, bottom) in display coordinates."""
    ax, ay = to_display(left, bottom)
    bx, by = to_display(right, top)
    return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


@dataclass
class PageObjects:
    """What a page draws, read in one pass over pdfium's raw object handles (the PdfObject
    wrappers cost more than the reading): page-level paths (raw handles, valid while the page is
    open), sizes (pt) of images at the page level or one form deep, and whether any form XObject
    holds paths."""

    paths: list = field(default_factory=list)
    images: list[tuple[float, float]] = field(default_factory=list)
    n_form_paths: int = 0
    shallow_form_paths: int = 0  # paths one form deep (counted as page paths, as before)

    @property
    def n_paths(self) -> int:
        return len(self.paths) + self.shallow_form_paths


MAX_FORM_DEPTH = 15


def scan_objects(page: pdfium.PdfPage) -> PageObjects:
    found = PageObjects()
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()

    def walk(parent, count, get, depth: int) -> None:
        for i in range(max(0, count(parent))):
            obj = get(parent, i)
            if not obj:
                continue
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                if depth == 0:
                    found.paths.append(obj)
                else:
                    found.n_form_paths += 1
                    found.shallow_form_paths += depth == 1
            elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE and depth <= 1:
                ok = pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
                found.images.append((right.value - left.value, top.value - bottom.value) if ok else (0.0, 0.0))
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < MAX_FORM_DEPTH - 1:
                walk(obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, depth + 1)

    walk(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, 0)
    return found


def _segments(raw) -> list[tuple[float, float, float, float]]:
    """Straight segments of a path object (raw handle) in page space: (x0, y0, x1, y1)."""
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(raw, m):
        return []
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


def _bar_edges(raw, to_display: Display) -> list[dict]:
    """A thin filled rectangle drawn as a rule (some producers draw lines this way)."""
    box = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if not pdfium_c.FPDFPageObj_GetBounds(raw, *box):
        return []
    x0, top, x1, bottom = display_box(to_display, *(v.value for v in box))
    thin = 2 * AXIS_TOLERANCE + 1.5
    if x1 - x0 <= thin and bottom - top > MIN_EDGE:
        x = (x0 + x1) / 2
        return [_edge(x, top, x, bottom)]
    if bottom - top <= thin and x1 - x0 > MIN_EDGE:
        y = (top + bottom) / 2
        return [_edge(x0, y, x1, y)]
    return []


def table_cell_groups(page: pdfium.PdfPage, objects: PageObjects | None = None
                      ) -> list[list[tuple[float, float, float, float]]] | None:
    """Cell boxes (x0, top, x1, bottom; top-down coordinates) of each ruled table on the page.
    None when paths sit inside form XObjects (their space is not resolved here)."""
    objects = objects if objects is not None else scan_objects(page)
    if objects.n_form_paths:
        return None
    to_display = display_transform(page)
    edges: list[dict] = []
    for raw in objects.paths:
        found = _edges(_segments(raw), to_display)
        edges.extend(found or _bar_edges(raw, to_display))
    return cells_from_edges(edges)


def cells_from_edges(edges: list[dict], tolerance: float = SNAP) -> list[list[tuple[float, float, float, float]]]:
    """pdfplumber's table steps over ruling edges (x0, x1, top, bottom, orientation): cell groups."""
    if not edges:
        return []
    edges = pt.merge_edges(edges, tolerance, tolerance, tolerance, tolerance)
    edges = pu.filter_edges(edges, min_length=MIN_EDGE)
    cells = intersections_to_cells(pt.edges_to_intersections(edges, tolerance, tolerance))
    return pt.cells_to_tables(cells)


def intersections_to_cells(intersections: dict) -> list[tuple[float, float, float, float]]:
    """pdfplumber's `intersections_to_cells`, same result (tests/ingestion/test_pdf_cells.py), with
    each point's edge sets built once instead of on every comparison: the library's version spent
    ~0.6 ms a table page rebuilding them."""
    def bboxes(edges) -> frozenset:
        return frozenset((e["x0"], e["top"], e["x1"], e["bottom"]) for e in edges)

    vertical = {p: bboxes(v["v"]) for p, v in intersections.items()}
    horizontal = {p: bboxes(v["h"]) for p, v in intersections.items()}

    def connects(p1, p2) -> bool:
        return bool((p1[0] == p2[0] and not vertical[p1].isdisjoint(vertical[p2]))
                    or (p1[1] == p2[1] and not horizontal[p1].isdisjoint(horizontal[p2])))

    points = sorted(intersections)
    column: dict[float, list] = {}  # points sharing x, in sorted order
    row: dict[float, list] = {}  # points sharing y, in sorted order
    for p in points:
        column.setdefault(p[0], []).append(p)
        row.setdefault(p[1], []).append(p)
    cells = []
    for p in points:
        # the points after p (in sorted order) directly below it and directly to its right
        below = [q for q in column[p[0]] if q > p]
        right = [q for q in row[p[1]] if q > p]
        cell = None
        for below_pt in below:
            if not connects(p, below_pt):
                continue
            for right_pt in right:
                if not connects(p, right_pt):
                    continue
                corner = (right_pt[0], below_pt[1])
                if corner in intersections and connects(corner, right_pt) and connects(corner, below_pt):
                    cell = (p[0], p[1], corner[0], corner[1])
                    break
            if cell:
                break
        if cell:
            cells.append(cell)
    return cells


def _cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef" or ch in "（）《》「」、。，"


def _phantom_space(textpage: pdfium.PdfTextPage, raw: str, i: int) -> bool:
    """A space pdfium invented (a glyph gap or font change: "事项 0", "2023 年") next to a Chinese
    character: it is not in the document. Spaces the PDF really contains are kept."""
    return (raw[i] == " " and 0 < i < len(raw) - 1 and (_cjk(raw[i - 1]) or _cjk(raw[i + 1]))
            and pdfium_c.FPDFText_IsGenerated(textpage.raw, i) == 1)


def _phantom_positions(textpage: pdfium.PdfTextPage, raw: str, start: int = 0, end: int | None = None) -> set[int]:
    """Indexes of the phantom spaces in raw[start:end] (only spaces are looked at: one C call each)."""
    end = len(raw) if end is None else end
    out = set()
    i = raw.find(" ", start, end)
    while i != -1:
        if _phantom_space(textpage, raw, i):
            out.add(i)
        i = raw.find(" ", i + 1, end)
    return out


def drop_generated_spaces(textpage: pdfium.PdfTextPage, raw: str) -> str:
    """The page text without phantom spaces (unchanged if pdfium's text and char index differ)."""
    if " " not in raw or len(raw) != textpage.count_chars():
        return raw
    return _without(raw, _phantom_positions(textpage, raw))


def _without(text: str, drop: set[int], start: int = 0, end: int | None = None) -> str:
    """text[start:end] without the characters at the (absolute) indexes in drop."""
    end = len(text) if end is None else end
    if not drop:
        return text[start:end]
    pieces, prev = [], start
    for i in sorted(drop):
        pieces.append(text[prev:i])
        prev = i + 1
    pieces.append(text[prev:end])
    return "".join(pieces)


_NEWLINE = re.compile("\n")
_CJK_CLASS = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef（）《》「」、。，"
# a space pdfium puts between a CJK character and its neighbour (see _phantom_space)
_SPACE_BY_CJK = re.compile(rf"(?<=[{_CJK_CLASS}]) +| +(?=[{_CJK_CLASS}])")


class CellText:
    """Text inside a display-space box, from pdfium's own bounded-text extraction (one C call per
    cell; reading the page's character boxes one by one from Python cost ~2 ms a table page).
    pdfium takes every character whose glyph box overlaps the rectangle, so the box is inset by
    CELL_INSET: a neighbour's glyph that reaches over the ruling does not count. Lines keep their
    breaks; spaces next to Chinese characters and at line ends are dropped (in a cell they are
    pdfium's glyph-gap spaces, not content)."""

    def __init__(self, page: pdfium.PdfPage, textpage: pdfium.PdfTextPage):
        self.textpage = textpage
        self.to_user = user_transform(page)
        # one buffer for every cell: a cell holds at most the page's characters, each possibly
        # followed by a line break pdfium inserts (CRLF)
        self.size = 3 * textpage.count_chars() + 16
        self.buffer = (ctypes.c_ushort * self.size)()

    def text_in(self, box: tuple[float, float, float, float]) -> str:
        x0, top, x1, bottom = box
        dx, dy = min(CELL_INSET, (x1 - x0) / 4), min(CELL_INSET, (bottom - top) / 4)
        ax, ay = self.to_user(x0 + dx, top + dy)
        bx, by = self.to_user(x1 - dx, bottom - dy)
        n = pdfium_c.FPDFText_GetBoundedText(self.textpage.raw, min(ax, bx), max(ay, by), max(ax, bx), min(ay, by),
                                             self.buffer, self.size)
        if n <= 1:  # the count includes the terminating NUL
            return ""
        raw = bytes(memoryview(self.buffer).cast("B")[: 2 * (min(n, self.size) - 1)]).decode("utf-16-le", "ignore")
        lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return "\n".join(_SPACE_BY_CJK.sub("", line).strip(" ") for line in lines)


def text_lines(textpage: pdfium.PdfTextPage, raw: str, to_display: Display
               ) -> list[tuple[float, float, float, float, str]] | None:
    """Lines of the page text (`raw`, pdfium's text of the page) with their box (x0, top, x1,
    bottom; top-down), or None if pdfium's text and its character index do not line up."""
    if len(raw) != textpage.count_chars():
        return None
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()

    def charbox(i: int) -> tuple[float, float, float, float]:  # pypdfium2's get_charbox, without its allocations
        pdfium_c.FPDFText_GetCharBox(textpage.raw, i, left, right, bottom, top)
        return left.value, bottom.value, right.value, top.value

    out = []
    start = 0
    for end in [*(m.start() for m in _NEWLINE.finditer(raw)), len(raw)]:
        segment = raw[start:end]
        body = segment.strip()
        if body:
            first = start + len(segment) - len(segment.lstrip())
            last = start + len(segment.rstrip()) - 1
            mid = (first + last) // 2
            while raw[mid].isspace():  # terminates: raw[last] is not a space
                mid += 1
            line = _without(raw, _phantom_positions(textpage, raw, start, end), start, end).replace("\r", "")
            boxes = [display_box(to_display, *charbox(i)) for i in (first, mid, last)]
            out.append((min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                        max(b[3] for b in boxes), line))
        start = end + 1
    return out
