"""Helpers shared by the reliability tests: run `zwgk` as a user would, under resource limits."""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEMORY_LIMIT = 3 << 30  # address space of the child: a bomb that slips through dies here, visibly


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


# Runs `zwgk` and, at exit, reports the process's own peak RSS on stderr. RUSAGE_CHILDREN in the
# test process would be the maximum over every child the whole pytest session has waited for.
_MEASURED = (
    "import atexit, resource, runpy, sys\n"
    "atexit.register(lambda: sys.stderr.write("
    "f'\\nZWGK_MAXRSS_KB={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n'))\n"
    "sys.argv = ['zwgk', *sys.argv[1:]]\n"
    "runpy.run_module('zwgk', run_name='__main__')\n"
)
_RSS_LINE = re.compile(r"\nZWGK_MAXRSS_KB=(\d+)\n")


def run_zwgk(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run zwgk under the memory limit; `proc.maxrss_mb` is the child's own peak resident memory."""
    full_env = {**os.environ, "ZWGK_EMBEDDING_BACKEND": "none", **(env or {})}
    proc = subprocess.run([sys.executable, "-c", _MEASURED, *args], cwd=ROOT, env=full_env, capture_output=True,
                          text=True, timeout=timeout, preexec_fn=_limit_memory)
    m = _RSS_LINE.search(proc.stderr)
    proc.maxrss_mb = int(m.group(1)) / 1024 if m else None
    proc.stderr = _RSS_LINE.sub("\n", proc.stderr)
    return proc


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
