"""Registry of the development-set cases: case id -> function writing that case's docs/ folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

CaseWriter = Callable[[Path], None]
DEV_CASES: dict[str, CaseWriter] = {}


def case(case_id: str) -> Callable[[CaseWriter], CaseWriter]:
    def register(fn: CaseWriter) -> CaseWriter:
        if case_id in DEV_CASES:
            raise ValueError(f"duplicate case id {case_id}")
        DEV_CASES[case_id] = fn
        return fn

    return register
