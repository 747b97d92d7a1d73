"""Deterministic rules, one module per evidence kind; see base.py for the mechanism."""
