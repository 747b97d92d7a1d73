"""Parse, chunk and tokenise files in worker processes; results come back in input order.

Why processes: parsing is CPU-bound (pdfium calls and Python under the GIL), so a batch of annual
reports uses every core only from separate processes (docs/retrieval.md has the figures). Workers
come from a forkserver (not fork: the caller may hold threads, e.g. Chroma's) that has imported
the parsers once. Small batches are parsed in-process: starting workers costs more than it saves.

A worker that dies (a parser library crashing on a hostile file) costs that file only: whatever
was in flight is retried alone in a fresh worker, and the file that kills that one too is
reported as an error; the batch goes on.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import select
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from core.document import Chunk, Document
from core.settings import Settings
from ingestion.chunking import chunk_document, content_hash
from ingestion.errors import ParseError
from ingestion.parse import parse_file
from ingestion.tokenize import tokenize

log = logging.getLogger(__name__)

MIN_JOBS_FOR_POOL = 8  # fewer files than this are parsed in-process (starting workers costs ~1 s)
MAX_AUTO_WORKERS = 4  # each worker may hold a large document in memory
R = TypeVar("R")
CRASHED = "解析进程异常退出（文件可能损坏，触发了解析库崩溃），已跳过"


@dataclass(frozen=True)
class ParseJob:
    path: Path  # the file to read (the workspace's stored copy)
    name: str  # the name the reviewer knows it by
    unit: str | None
    stored_path: str | None = None  # workspace-relative, recorded on the Document


@dataclass
class Prepared:
    """A parsed document with its chunks, each with its content hash and BM25 tokens."""

    doc: Document
    chunks: list[tuple[Chunk, str, list[str]]]


def search_text(chunk: Chunk) -> str:
    """What BM25 sees: the heading path gives a body paragraph its section's terms."""
    return f"{chunk.heading}\n{chunk.text}" if chunk.heading else chunk.text


def prepare_document(doc: Document, with_tokens: bool = True) -> Prepared:
    chunks = chunk_document(doc)
    return Prepared(doc, [(c, content_hash(c.text), tokenize(search_text(c)) if with_tokens else [])
                          for c in chunks])


def prepare(job: ParseJob, settings: Settings, with_tokens: bool = True) -> Prepared | str:
    """One file: a Prepared document, or the reason it cannot be read (in Chinese, for the reviewer)."""
    try:
        doc = parse_file(job.path, display_name=job.name, unit=job.unit, settings=settings)
    except ParseError as exc:
        return str(exc)
    except Exception as exc:  # a parser bug must not stop the batch
        log.exception("解析 %s 时出现意外错误", job.name)
        return f"解析时出现意外错误：{type(exc).__name__}: {exc}"
    doc.stored_path = job.stored_path  # doc_id, file and unit came from parse_file
    return prepare_document(doc, with_tokens)


def worker_count(setting: int) -> int:
    """ZWGK_INGEST_WORKERS: 0 = one per core (at most MAX_AUTO_WORKERS)."""
    if setting > 0:
        return setting
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_AUTO_WORKERS))


def _exit_with(parent: int) -> None:
    """Worker initializer: leave when the ingesting process is gone. A worker whose parent was
    killed outright would otherwise wait on its task queue for ever (it holds the queue's write
    end too), and keep the forkserver alive with it."""

    def watch() -> None:
        try:
            fd = os.pidfd_open(parent)
        except (AttributeError, OSError):  # no pidfd (old kernel) or the parent is already gone
            fd = None
        if fd is not None:
            select.select([fd], [], [])  # readable when the process exits
        else:
            while True:
                time.sleep(1.0)
                try:
                    os.kill(parent, 0)
                except ProcessLookupError:
                    break
                except PermissionError:
                    continue
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _executor(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(workers, mp_context=_context(), initializer=_exit_with, initargs=(os.getpid(),))


# imported once in the forkserver, so that every worker starts with them (PDF is the common case)
_PRELOAD = [__name__, "ingestion.parsers.pdf", "ingestion.metadata"]


def _context():
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_PRELOAD)
    return ctx


def warm_up(settings: Settings) -> None:
    """Start the shared workers in the background (returns at once): a caller that knows a batch
    is coming (the review UI at start, an ingest before it hashes and copies files) hides their
    start-up (~0.5 s of imports) behind its own work."""
    workers = worker_count(settings.ingest_workers)
    if workers > 1:
        executor = _shared(workers)
        for _ in range(workers):
            executor.submit(os.getpid)


def prepare_all(jobs: Sequence[ParseJob], settings: Settings, workers: int | None = None,
                with_tokens: bool = True) -> Iterator[tuple[ParseJob, Prepared | str]]:
    """prepare() for every job, in order, using `workers` processes (default: the setting)."""
    workers = worker_count(settings.ingest_workers if workers is None else workers)
    if workers <= 1 or len(jobs) < MIN_JOBS_FOR_POOL:
        for job in jobs:
            yield job, prepare(job, settings, with_tokens)
        return
    yield from run_in_workers(partial(prepare, settings=settings, with_tokens=with_tokens), jobs, workers)


def run_in_workers(fn: Callable[[ParseJob], R], jobs: Sequence[ParseJob], workers: int
                   ) -> Iterator[tuple[ParseJob, R | str]]:
    """fn(job) for every job in `workers` processes, yielded in job order. fn must be picklable (a
    module-level function or a partial of one). A job whose worker dies yields CRASHED."""
    yield from _Pool(fn, workers).run(jobs)


# Workers outlive one batch (a UI server ingests many): the next batch finds them started, with
# the tokenizer's dictionary loaded. They leave with the process (see _exit_with).
_executors: dict[int, ProcessPoolExecutor] = {}
_executors_lock = threading.Lock()


def _shared(workers: int) -> ProcessPoolExecutor:
    with _executors_lock:
        executor = _executors.get(workers)
        if executor is None:
            executor = _executors[workers] = _executor(workers)
        return executor


def _discard(executor: ProcessPoolExecutor) -> None:
    with _executors_lock:
        for key in [k for k, v in _executors.items() if v is executor]:
            del _executors[key]
    executor.shutdown(wait=False, cancel_futures=True)


class _Pool:
    def __init__(self, fn: Callable, workers: int):
        self.fn = fn
        self.workers = workers
        self.executor: ProcessPoolExecutor | None = None

    def submit(self, job: ParseJob) -> Future:
        if self.executor is None:
            self.executor = _shared(self.workers)
        try:
            return self.executor.submit(self.fn, job)
        except BrokenProcessPool:  # broken while idle, or by another batch
            self.restart()
            self.executor = _shared(self.workers)
            return self.executor.submit(self.fn, job)

    def restart(self) -> None:
        if self.executor is not None:
            _discard(self.executor)
            self.executor = None

    def alone(self, job: ParseJob):
        """Run one job in its own fresh worker: the test of whether it is the one that crashes."""
        with _executor(1) as solo:
            try:
                return solo.submit(self.fn, job).result()
            except BrokenProcessPool:
                log.warning("%s: %s", job.name, CRASHED)
                return CRASHED

    def run(self, jobs: Sequence[ParseJob]) -> Iterator[tuple[ParseJob, object]]:
        window = 2 * self.workers + 1  # in flight: enough to keep workers busy, bounded memory
        todo = deque(jobs)
        pending: deque[tuple[ParseJob, Future]] = deque()
        try:
            while todo or pending:
                while todo and len(pending) < window:
                    job = todo.popleft()
                    pending.append((job, self.submit(job)))
                job, future = pending.popleft()
                try:
                    result = future.result()
                except BrokenProcessPool:
                    # the pool is gone with everything in it: this job alone, then the rest again
                    self.restart()
                    result = self.alone(job)
                    todo.extendleft(reversed([j for j, _ in pending]))
                    pending.clear()
                except Exception as exc:  # e.g. a result that cannot be pickled back
                    log.exception("解析 %s 时出现意外错误", job.name)
                    result = f"解析时出现意外错误：{type(exc).__name__}: {exc}"
                yield job, result
        finally:  # a caller that stops early leaves no work queued in the shared workers
            for _, future in pending:
                future.cancel()
