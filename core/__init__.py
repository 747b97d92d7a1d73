"""The ground floor: what every stage stands on, importing nothing else of ours.

The document model (`document`), text normalisation with its offset map (`textnorm`), findings and
citations (`findings`), settings and error types (`settings`, `errors`), file helpers (`files`).
`ingestion/` and `indicators/` stand side by side on it; importing it first applies the offline
switches (`offline`) before any heavy library loads.
"""

from core import offline as _offline  # noqa: F401  (sets offline switches before heavy imports)
