"""`zwgk screen` killed with SIGKILL at random points, then re-run: the result equals an uninterrupted run.

After every kill the workspace databases pass `PRAGMA integrity_check` and every export already on
disk is whole (exports are written to a temp name and renamed).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.reliability.runner import ROOT, run_zwgk
from tests.reliability.units import write_units

N_UNITS = 10
KILL_DELAYS = 4  # kills per test, at seeded random delays


def _screen_args(src: Path, ws: Path, out: Path) -> list[str]:
    return ["screen", str(src), "--workspace", str(ws), "--out", str(out), "--quiet", "--json"]


def _integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def _check_state(ws: Path, out: Path) -> None:
    for name in ("workspace.db", "screen.db", "review.db"):
        if (ws / name).exists():
            assert _integrity(ws / name) == "ok", name
    for path in out.rglob("*"):
        if path.name.startswith(".tmp-"):
            continue  # a temp file the kill left behind is harmless: never read as an export
        if path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as z:
                assert z.testzip() is None, path


def _scorecards(out: Path) -> dict[str, dict]:
    return {p.parent.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*/scorecard.json"))}


@pytest.mark.slow
def test_screen_killed_repeatedly_resumes_to_the_uninterrupted_result(tmp_path):
    src = tmp_path / "in"
    units = write_units(src, N_UNITS)
    assert sum(1 for p in src.rglob("*") if p.is_file()) >= 50

    started = time.monotonic()
    ref = run_zwgk(*_screen_args(src, tmp_path / "ws-ref", tmp_path / "out-ref"))
    ref_seconds = time.monotonic() - started
    assert ref.returncode == 0, ref.stderr[-3000:]
    expected = _scorecards(tmp_path / "out-ref")
    assert sorted(expected) == sorted(units)

    ws, out = tmp_path / "ws", tmp_path / "out"
    rng = random.Random(20231)
    env = {**os.environ, "ZWGK_EMBEDDING_BACKEND": "none"}
    killed = 0
    # kill at random points of a run: the delays scale with how long an uninterrupted run takes on this
    # machine (a fixed 1-6 s let a fast machine finish before any kill), shorter once work has been saved
    for attempt in range(2 * KILL_DELAYS):
        if killed >= KILL_DELAYS:
            break
        log = tmp_path / f"run-{attempt}.stderr"
        with log.open("wb") as err:
            proc = subprocess.Popen([sys.executable, "-m", "zwgk", *_screen_args(src, ws, out)], cwd=ROOT, env=env,
                                    stdout=subprocess.DEVNULL, stderr=err)
            time.sleep(ref_seconds * rng.uniform(0.1, 0.6) / (1 + killed))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                killed += 1
            code = proc.wait(timeout=60)
        # a run that ended by itself must have ended well (0, or 1 for inputs it names), never crashed
        assert code in (0, 1, -signal.SIGKILL), log.read_text(encoding="utf-8", errors="replace")[-3000:]
        _check_state(ws, out)
    assert killed >= 3, "the run finished before it could be killed: raise the delays' spread"

    final = run_zwgk(*_screen_args(src, ws, out))
    assert final.returncode == 0, final.stderr[-3000:]
    _check_state(ws, out)
    assert _scorecards(out) == expected
    assert json.loads(final.stdout) == json.loads(ref.stdout)


def test_an_export_that_fails_mid_write_leaves_the_previous_file_whole(tmp_path):
    from assistant.export import save_atomic

    path = tmp_path / "out" / "scorecard.xlsx"
    save_atomic(lambda fh: fh.write(b"previous"), path)

    def dies_half_way(fh):
        fh.write(b"half")
        raise KeyboardInterrupt  # what a kill looks like from inside the process

    with pytest.raises(KeyboardInterrupt):
        save_atomic(dies_half_way, path)
    assert path.read_bytes() == b"previous"
    assert [p.name for p in path.parent.iterdir()] == ["scorecard.xlsx"]
