"""Counting defects for a ladder (scoring policy: "count defects, then apply the item's ladder").

A defect class of the catalog (indicators.catalog.DefectClass) says which Checks show it. This module
turns the unit's Checks into one count per class, counting a defect once even when it breaks several
checks: failures that share a table cell (Check.data["cells"], each {"row", "col"}) are explained by
the fewest cells that touch all of them (one wrong cell breaking T3-A and T3-C is one data error; two
wrong cells breaking two columns and two rows are two). Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from indicators.catalog import DefectClass, DefectMatch
from indicators.rules.base import Check, Outcome

DECISIVE = (Outcome.passed, Outcome.failed)
_CN = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十"}


def cn_count(n: int) -> str:
    """一处, 两处, 11处: how Chinese reviewers count defects."""
    return f"{_CN.get(n, n)}处"


def _data_matches(want: dict[str, list], data: dict) -> bool:
    for key, values in want.items():
        got = data.get(key)
        items = got if isinstance(got, list) else [got]
        if not any(x in values for x in items):
            return False
    return True


def matches(m: DefectMatch, c: Check, *, any_outcome: bool = False) -> bool:
    """Whether the Check is of the kind the matcher names (and, unless any_outcome, shows the defect)."""
    if m.rule.endswith("*"):
        if not c.rule_id.startswith(m.rule[:-1]):
            return False
    elif c.rule_id != m.rule:
        return False
    if m.title is not None and m.title not in c.title:
        return False
    if not _data_matches(m.data, c.data):
        return False
    return any_outcome or c.outcome.value in m.outcomes


@dataclass
class ClassCount:
    """The defects of one class found in the unit's Checks."""

    cls: DefectClass
    items: list[str] = field(default_factory=list)  # one Chinese description per defect
    examined: bool = False  # a Check of this class passed or failed
    undecided: list[Check] = field(default_factory=list)  # Checks of this class that could not decide
    checks: list[Check] = field(default_factory=list)  # the Checks that showed a defect

    @property
    def n(self) -> int:
        return len(self.items)

    def summary(self) -> str:
        detail = "；".join(dict.fromkeys(self.items))
        return f"{cn_count(self.n)}{self.cls.name}（{detail}）" if detail else f"{cn_count(self.n)}{self.cls.name}"


def _cells(c: Check) -> set[tuple]:
    out = set()
    for cell in c.data.get("cells") or []:
        if isinstance(cell, dict) and "row" in cell and "col" in cell:
            out.add((cell.get("doc"), cell["row"], cell["col"]))
    return out


def _cell_label(c: Check, key: tuple) -> str:
    for cell in c.data.get("cells") or []:
        if isinstance(cell, dict) and (cell.get("doc"), cell.get("row"), cell.get("col")) == key:
            return str(cell.get("name") or f"{cell['row']}—{cell['col']}")
    return f"{key[1]}—{key[2]}"


def merge_by_cells(failed: Sequence[Check]) -> list[tuple[list[Check], str | None]]:
    """Groups of failures one defect each: greedily the cell shared by most open failures, until
    no cell is shared; each group with the cell that explains it (None: a failure on its own)."""
    open_ = list(failed)
    groups: list[tuple[list[Check], str | None]] = []
    while open_:
        tally: dict[tuple, list[Check]] = {}
        for c in open_:
            for key in sorted(_cells(c), key=str):  # a fixed order: ties go the same way in every process
                tally.setdefault(key, []).append(c)
        best = max(tally.items(), key=lambda kv: len(kv[1]), default=None)
        if best is None or len(best[1]) < 2:
            groups += [([c], None) for c in open_]
            break
        key, group = best
        groups.append((group, _cell_label(group[0], key)))
        open_ = [c for c in open_ if c not in group]
    return groups


def _merge_by_matcher(cls: DefectClass, failed: list[Check]) -> list[Check]:
    """Failures of a `merge` matcher become one: a Check carrying all their cells, titled once."""
    out = list(failed)
    for m in cls.match:
        if not m.merge:
            continue
        group = [c for c in out if matches(m, c)]
        if len(group) < 2:
            continue
        cells = [cell for c in group for cell in c.data.get("cells") or []]
        one = group[0].model_copy(update={"data": {**group[0].data, "cells": cells, "merged": len(group)}})
        out = [one if c is group[0] else c for c in out if c is group[0] or c not in group]
    return out


def count_class(cls: DefectClass, checks: Sequence[Check]) -> ClassCount:
    mine = [c for c in checks if any(matches(m, c, any_outcome=True) for m in cls.match)]
    out = ClassCount(cls)
    decisive = [c for c in mine if c.outcome in DECISIVE]
    out.examined = bool(decisive)
    out.undecided = [c for c in mine if c.outcome == Outcome.unknown]
    failed = [c for c in mine if any(matches(m, c) for m in cls.match)]
    if cls.count == "list":
        judged = [c for c in mine if c.outcome in DECISIVE or c in failed]
        if not judged:
            return out
        best = min(judged, key=lambda c: len(c.data.get(cls.list_key) or []))
        missing = [str(x) for x in best.data.get(cls.list_key) or []]
        out.items = [f"{best.title}：{x}" if len(judged) > 1 else x for x in missing]
        out.checks = [best] if missing else []
        return out
    out.checks = failed
    if not failed:
        return out
    failed = _merge_by_matcher(cls, failed)
    if cls.count == "once":
        out.items = ["、".join(dict.fromkeys(c.title for c in failed))]
    elif cls.count == "cells":
        for group, cell in merge_by_cells(failed):
            titles = "、".join(dict.fromkeys(c.title for c in group))
            out.items.append(f"{titles}，共同涉及单元格“{cell}”" if cell else titles)
    else:
        out.items = [c.title for c in failed]
    return out


def count_defects(classes: Sequence[DefectClass], checks: Sequence[Check]) -> tuple[list[ClassCount], list[Check]]:
    """One count per class, and the Checks no class claims (noted in the rationale, never deducted)."""
    counts = [count_class(cls, checks) for cls in classes]
    claimed = [c for c in checks if any(matches(m, c, any_outcome=True) for cls in classes for m in cls.match)]
    return counts, [c for c in checks if c not in claimed]
