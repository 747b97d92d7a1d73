"""zwgk-review: evidence-review assistant for 政务公开 assessment.

Floors (data flows one way): core -> ingestion | indicators -> assistant -> review | eval.
This package is the roof: it only wires the stages into the `zwgk` command line.
"""

from core import offline as _offline  # noqa: F401  (sets offline switches before heavy imports)

__version__ = "0.1.0"
