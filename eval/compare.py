"""Two metrics.json objects side by side: what got worse (`--compare`) and the CI gate (eval/baseline.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import ConfigError
from core.files import read_mapping

HIGHER_IS_BETTER = ("verdict_accuracy", "verdict_kappa", "citation_precision", "citation_recall", "citation_verbatim",
                    "chat_accuracy")
LOWER_IS_BETTER = ("points_mae", "total_abs_error", "missing_items")
NEUTRAL = ("cases", "items", "abstention_rate", "seconds")  # shown, never a regression by themselves
GATE_KEYS = ("verdict_accuracy", "citation_verbatim", "citation_recall", "points_mae", "chat_accuracy")
TOLERANCE = 1e-9  # float noise only: any real change in the gated figures counts


@dataclass(frozen=True)
class Delta:
    scope: str  # "" for the overall figures, else e.g. "指标 1.1.9" / "材料类型 annual_report"
    key: str
    old: float | None
    new: float | None

    @property
    def change(self) -> float | None:
        return None if self.old is None or self.new is None else self.new - self.old

    @property
    def worse(self) -> bool:
        return is_worse(self.key, self.old, self.new)

    @property
    def better(self) -> bool:
        return self.old is not None and self.new is not None and is_worse(self.key, self.new, self.old)


def is_worse(key: str, old: float | None, new: float | None, tol: float = TOLERANCE) -> bool:
    """Is `new` worse than `old` for this figure? A figure that disappears (None) is worse."""
    if old is None or key not in HIGHER_IS_BETTER + LOWER_IS_BETTER:
        return False
    if new is None:
        return True
    return new < old - tol if key in HIGHER_IS_BETTER else new > old + tol


def _rows(scope: str, old: dict[str, Any], new: dict[str, Any], keys: tuple[str, ...]) -> list[Delta]:
    return [Delta(scope, k, _num(old.get(k)), _num(new.get(k))) for k in keys if k in old or k in new]


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


@dataclass(frozen=True)
class Comparison:
    overall: list[Delta]
    groups: list[Delta]  # per indicator and per document type

    @property
    def regressions(self) -> list[Delta]:
        return [d for d in self.overall + self.groups if d.worse]


def compare_metrics(old: dict[str, Any], new: dict[str, Any]) -> Comparison:
    """Old against new: every overall figure, and the directional figures of each indicator/doc type."""
    overall = _rows("", old, new, HIGHER_IS_BETTER + LOWER_IS_BETTER + NEUTRAL)
    groups: list[Delta] = []
    for field, label in (("by_indicator", "指标"), ("by_doc_type", "材料类型")):
        old_g, new_g = old.get(field) or {}, new.get(field) or {}
        for name in list(new_g) + [n for n in old_g if n not in new_g]:
            groups += _rows(f"{label} {name}", old_g.get(name, {}), new_g.get(name, {}),
                            ("verdict_accuracy", "points_mae", "citation_recall", "citation_verbatim"))
    return Comparison(overall=overall, groups=groups)


def gate_regressions(baseline: dict[str, Any], metrics: dict[str, Any]) -> list[str]:
    """The gated figures that got worse than the recorded baseline (Chinese, one line each)."""
    out = []
    for key in GATE_KEYS:
        if key not in baseline:
            continue
        old, new = _num(baseline[key]), _num(metrics.get(key))
        if is_worse(key, old, new):
            out.append(f"{key} 变差：基线 {old}，本次 {new}")
    return out


def read_metrics(path: Path) -> dict[str, Any]:
    return read_mapping(path, ConfigError, "无法读取对比用的指标文件 {path}：{exc}", "{path} 不是 metrics.json 对象",
                        parse=json.loads)
