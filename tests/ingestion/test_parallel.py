"""Parsing in worker processes: same results as in-process, in order, and a crashing worker costs
only its own file."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

from core.document import IngestStatus
from core.settings import Settings
from ingestion.parallel import (
    CRASHED,
    MIN_JOBS_FOR_POOL,
    ParseJob,
    Watch,
    prepare_all,
    run_in_workers,
    timed_out,
    too_much_memory,
    worker_count,
)
from ingestion.workspace import Workspace
from tests.ingestion.corpus import PASSAGES
from tests.ingestion.makefiles import T, make_pdf

ROOT = Path(__file__).resolve().parents[2]


def crash_on_marked(job: ParseJob) -> str:
    """A stand-in for a parser library that kills its process on some input (module level: the
    workers import it by name)."""
    if "crash" in job.name:
        os.abort()
    return f"{job.name}:{os.getpid()}"


def _jobs(names: list[str]) -> list[ParseJob]:
    return [ParseJob(path=Path(n), name=n, unit=None) for n in names]


def test_results_come_back_in_order_from_other_processes():
    names = [f"f{i}" for i in range(9)]
    out = list(run_in_workers(crash_on_marked, _jobs(names), workers=2))
    assert [job.name for job, _ in out] == names
    assert [r.split(":")[0] for _, r in out] == names
    pids = {r.split(":")[1] for _, r in out}
    assert str(os.getpid()) not in pids  # really parsed elsewhere


def test_a_crashing_worker_costs_only_its_file():
    names = ["a", "b", "crash-1", "c", "d", "e", "crash-2", "f"]
    out = dict((job.name, r) for job, r in run_in_workers(crash_on_marked, _jobs(names), workers=2))
    assert list(out) == names
    assert out["crash-1"] == CRASHED and out["crash-2"] == CRASHED
    assert all(out[n].startswith(f"{n}:") for n in names if "crash" not in n)


def test_worker_count_setting():
    assert worker_count(3) == 3
    assert 1 <= worker_count(0) <= 4


def _corpus(tmp_path: Path, n: int) -> list[Path]:
    (tmp_path / "in").mkdir(exist_ok=True)
    paths = []
    for i in range(n):
        title, text = PASSAGES[i % len(PASSAGES)]
        paths.append(make_pdf(tmp_path / "in" / f"{i:02d}-{title}.pdf",
                              [title, text, T([["项目", "数量"], ["主动公开", str(100 + i)], ["依申请公开", str(i)]])]))
    return paths


def test_workspace_ingest_in_workers_matches_in_process(tmp_path):
    paths = _corpus(tmp_path, MIN_JOBS_FOR_POOL + 2)
    (tmp_path / "in" / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    paths.insert(2, tmp_path / "in" / "broken.pdf")
    stores = {}
    for workers in (1, 2):
        settings = Settings(embedding_backend="none", ingest_workers=workers)
        with Workspace(tmp_path / f"ws{workers}", settings=settings) as ws:
            results = ws.ingest(paths, progress=False)
            stores[workers] = (
                [(r.file, r.status, r.doc_id, r.chunks, r.error) for r in results],
                {d.doc_id: d.text for d in ws.documents()},
                sorted((c.chunk_id, c.text) for d in ws.documents() for c in ws.chunks(d.doc_id)),
                [h.chunk.chunk_id for h in ws.search("依申请公开 数量")],
            )
    assert stores[1] == stores[2]
    statuses = [s for _, s, *_ in stores[2][0]]
    assert statuses[2] == IngestStatus.error and statuses.count(IngestStatus.ok) == len(paths) - 1
    assert [f for f, *_ in stores[2][0]] == [p.name for p in paths]


def test_same_content_twice_in_one_parallel_batch_is_one_document(tmp_path):
    paths = _corpus(tmp_path, MIN_JOBS_FOR_POOL)
    copy = tmp_path / "in" / "副本.pdf"
    copy.write_bytes(paths[0].read_bytes())
    with Workspace(tmp_path / "ws", settings=Settings(embedding_backend="none", ingest_workers=2)) as ws:
        results = ws.ingest([*paths, copy], progress=False)
        assert results[-1].status == IngestStatus.skipped and results[-1].doc_id == results[0].doc_id
        assert len(ws.documents()) == len(paths)


def slow_pid(job: ParseJob) -> int:
    time.sleep(0.2 if job.name != "last" else 600)
    return os.getpid()


_KILLED_PARENT = """
import sys
from pathlib import Path
from ingestion.parallel import ParseJob, run_in_workers
from tests.ingestion.test_parallel import slow_pid
jobs = [ParseJob(path=Path(n), name=n, unit=None) for n in ["a", "b", "c", "d", "last"]]
for job, pid in run_in_workers(slow_pid, jobs, workers=2):
    print(pid, flush=True)
"""


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")


def test_workers_leave_when_the_ingesting_process_is_killed():
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_PARENT], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    pids = {int(proc.stdout.readline()) for _ in range(4)}  # a..d done; "last" keeps a worker busy
    assert len(pids) >= 1 and proc.pid not in pids
    proc.kill()
    proc.wait(10)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not all(_gone(p) for p in pids):
        time.sleep(0.2)
    assert all(_gone(p) for p in pids), f"orphaned workers: {sorted(p for p in pids if not _gone(p))}"


def stall_or_bloat(job: ParseJob) -> str:
    """A stand-in for a parser stuck in a C library ("stall") or blowing up its memory ("bloat")."""
    if job.name == "stall":
        time.sleep(600)
    if job.name == "bloat":
        hog = bytearray(400 << 20)  # touched below: resident, not only reserved
        for i in range(0, len(hog), 4096):
            hog[i] = 1
        time.sleep(600)
    return f"{job.name}:{os.getpid()}"


def test_a_job_past_the_deadline_or_the_memory_limit_is_killed_and_the_rest_go_on():
    names = ["a", "stall", "b", "bloat", "c", "d"]
    out = dict((job.name, r) for job, r in run_in_workers(stall_or_bloat, _jobs(names), workers=2,
                                                          watch=Watch(seconds=3, memory_mb=250)))
    assert list(out) == names
    assert out["stall"] == timed_out(3) and "ZWGK_MAX_PARSE_SECONDS" in out["stall"]
    assert out["bloat"] == too_much_memory(250) and "ZWGK_MAX_PARSE_MEMORY_MB" in out["bloat"]
    pids = {r.split(":")[1] for n, r in out.items() if n not in ("stall", "bloat")}
    assert all(out[n].startswith(f"{n}:") for n in "abcd") and str(os.getpid()) not in pids


def grow(job: ParseJob) -> str:
    """Hold `job.name` MB (touched: resident) for a while, then answer."""
    hog = bytearray(int(job.name) << 20)
    for i in range(0, len(hog), 4096):
        hog[i] = 1
    time.sleep(4)
    return f"{job.name}:{len(hog) >> 20}"


def test_the_memory_budget_is_shared_by_the_workers_and_stops_the_largest(caplog):
    # alone, each stays under the budget; side by side they pass it: the one holding most is stopped, and
    # parsed again alone (never two at once past the budget), where it fits
    caplog.set_level(logging.INFO, logger="ingestion.parallel")
    out = dict((job.name, r) for job, r in run_in_workers(grow, _jobs(["250", "380"]), workers=2,
                                                          watch=Watch(seconds=60, memory_mb=500)))
    assert out == {"250": "250:250", "380": "380:380"}
    assert any("单独重新解析" in r.message for r in caplog.records)
    assert not any(r.levelno >= logging.WARNING for r in caplog.records if r.name == "ingestion.parallel")


def test_a_job_over_the_budget_alone_is_refused_beside_a_neighbour():
    out = dict((job.name, r) for job, r in run_in_workers(grow, _jobs(["250", "600"]), workers=2,
                                                          watch=Watch(seconds=60, memory_mb=500)))
    assert out == {"250": "250:250", "600": too_much_memory(500)}


def test_with_a_deadline_even_one_file_is_parsed_in_a_worker(tmp_path):
    path = make_pdf(tmp_path / "a.pdf", [PASSAGES[0][0], PASSAGES[0][1]])
    job = ParseJob(path=path, name="a.pdf", unit=None)
    ((_, prepared),) = prepare_all([job], Settings(embedding_backend="none", max_parse_seconds=60))
    assert PASSAGES[0][0] in prepared.doc.text
    ((_, inline),) = prepare_all([job], Settings(embedding_backend="none", max_parse_seconds=0))
    assert inline.doc.text == prepared.doc.text
