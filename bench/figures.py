"""One row of the benchmark table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Figure:
    group: str
    name: str
    value: float | str
    unit: str = ""
    target: str = ""
    ok: bool | None = None  # None: no target
    note: str = ""

    def value_text(self) -> str:
        if isinstance(self.value, float):
            return f"{self.value:,.1f}" if abs(self.value) >= 10 else f"{self.value:.2f}"
        return str(self.value)
