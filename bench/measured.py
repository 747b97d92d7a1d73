"""Run a command and write its wall time, CPU time, peak RSS and exit code as JSON:

    python -m bench.measured OUT.json -- COMMAND ...

The bench's own process holds about a gigabyte by the time the real-report scenarios run (the ingest bench
runs in it). A child it starts shares its pages until it execs (subprocess uses vfork), and ru_maxrss, a
high-water mark, counts them: every `zwgk screen` showed 1,165 MB. Started from this small process, the
figure is the command's own (the largest of the command and the processes it waited for, as wait4 reports).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    out, cmd = Path(argv[0]), argv[2:]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd)  # stdin, stdout, stderr, cwd and environment as given to this process
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    out.write_text(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
                               "returncode": os.waitstatus_to_exitcode(status)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
