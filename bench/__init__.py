"""Benchmarks (`python -m bench [--quick]`): each module returns Figures; one table is printed."""
