"""Helpers shared by the reliability tests: run `zwgk` as a user would, under resource limits."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEMORY_LIMIT = 3 << 30  # address space of the child: a bomb that slips through dies here, visibly


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_zwgk(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "ZWGK_EMBEDDING_BACKEND": "none", **(env or {})}
    return subprocess.run([sys.executable, "-m", "zwgk", *args], cwd=ROOT, env=full_env, capture_output=True,
                          text=True, timeout=timeout, preexec_fn=_limit_memory)


def snapshot(root: Path, exclude: tuple[Path, ...] = ()) -> dict[str, tuple[int, int]]:
    """Every file under root (except under the `exclude` directories) with its size and mtime."""
    out = {}
    for p in root.rglob("*"):
        if any(p == x or x in p.parents for x in exclude):
            continue
        if p.is_file() or p.is_symlink():
            st = p.lstat()
            out[str(p.relative_to(root))] = (st.st_size, st.st_mtime_ns)
    return out
