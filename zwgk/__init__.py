"""zwgk-review: evidence-review assistant for 政务公开 assessment.

Stages (data flows one way): ingestion -> indicators (catalog, rules, scoring) -> assistant -> eval.
This package holds only what spans them: settings, offline guards and the command line.
"""

from zwgk import offline as _offline  # noqa: F401  (sets offline switches before heavy imports)

__version__ = "0.1.0"
