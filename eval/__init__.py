"""Evaluation harness: runs the assistant on hand-scored cases (gold.yaml) and reports metrics."""
