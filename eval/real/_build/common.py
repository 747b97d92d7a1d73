"""What every eval/real builder shares: where cases live and how a case's file is written."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
CASES = Path(__file__).resolve().parents[1]  # eval/real
if str(REPO) not in sys.path:  # builders run as scripts: `python eval/real/_build/build_dN.py`
    sys.path.insert(0, str(REPO))


def write(case: str, name: str, data: str | bytes, encoding: str = "utf-8") -> Path:
    """Write `data` as eval/real/<case>/docs/<name> (text encoded as the source was)."""
    p = CASES / case / "docs" / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
    return p
