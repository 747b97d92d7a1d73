"""Run the registered rules of one indicator (the assistant runs them all at once; tests look at one)."""

from __future__ import annotations

from indicators.rules.base import Check, Evidence, Registry, load_all_rules


def rules_for(indicator_id: str, sub: int | None = None, registry: Registry | None = None):
    registry = registry or load_all_rules()
    return [r for r in registry.rules.values()
            if r.indicator_id == indicator_id and (sub is None or r.sub in (None, sub))]


def run_indicator(ev: Evidence, indicator_id: str, sub: int | None = None) -> list[Check]:
    return [c for r in rules_for(indicator_id, sub) for c in r.run(ev)]
