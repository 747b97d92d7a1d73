"""Our intersections_to_cells gives pdfplumber's cells exactly (it only caches the edge sets)."""

from __future__ import annotations

import random

import pytest
from pdfplumber import table as pt
from pdfplumber import utils as pu

from ingestion.parsers.pdf_ruling import MIN_EDGE, SNAP, intersections_to_cells


def _h(x0, x1, y):
    return {"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0, "orientation": "h",
            "object_type": "line"}


def _v(x, top, bottom):
    return {"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top,
            "orientation": "v", "object_type": "line"}


def _grid(rng: random.Random) -> list[dict]:
    """A ruled table with random column widths, row heights and merged cells (missing rule pieces),
    sometimes a second table or stray rules beside it."""
    xs = [50.0]
    for _ in range(rng.randint(1, 7)):
        xs.append(xs[-1] + rng.choice([30, 45.5, 60, 80]))
    ys = [100.0]
    for _ in range(rng.randint(1, 9)):
        ys.append(ys[-1] + rng.choice([18, 20.5, 36]))
    edges = []
    for j, y in enumerate(ys):
        for i in range(len(xs) - 1):
            if j in (0, len(ys) - 1) or rng.random() > 0.15:  # inner pieces missing = merged cells
                edges.append(_h(xs[i], xs[i + 1], y))
    for i, x in enumerate(xs):
        for j in range(len(ys) - 1):
            if i in (0, len(xs) - 1) or rng.random() > 0.15:
                edges.append(_v(x, ys[j], ys[j + 1]))
    if rng.random() < 0.3:
        edges.append(_h(xs[0] + 5, xs[-1] + 40, ys[-1] + 30))  # a stray underline
    if rng.random() < 0.3:
        offset = ys[-1] + 60
        edges += [_h(50, 200, offset), _h(50, 200, offset + 20), _v(50, offset, offset + 20), _v(200, offset, offset + 20)]
    rng.shuffle(edges)
    return edges


@pytest.mark.parametrize("seed", range(60))
def test_same_cells_as_pdfplumber(seed):
    rng = random.Random(seed)
    edges = pt.merge_edges(_grid(rng), SNAP, SNAP, SNAP, SNAP)
    edges = pu.filter_edges(edges, min_length=MIN_EDGE)
    intersections = pt.edges_to_intersections(edges, SNAP, SNAP)
    ours = intersections_to_cells(intersections)
    assert ours == pt.intersections_to_cells(intersections)
    assert ours  # the grid has cells: the comparison is not vacuous
