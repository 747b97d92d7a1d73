"""Parse, chunk and tokenise files in worker processes; results come back in input order.

Why processes: parsing is CPU-bound (pdfium calls and Python under the GIL), so a batch of annual
reports uses every core only from separate processes (docs/retrieval.md has the figures). Workers
come from a forkserver (not fork: the caller may hold threads, e.g. Chroma's) that has imported
the parsers once. Small batches are parsed in-process: starting workers costs more than it saves.

A worker that dies (a parser library crashing on a hostile file) costs that file only: whatever
was in flight is retried alone in a fresh worker, and the file that kills that one too is
reported as an error; the batch goes on.

Deadline and memory (ZWGK_MAX_PARSE_SECONDS, ZWGK_MAX_PARSE_MEMORY_MB): each worker reports which
job it starts, and when (`_tracked`); while waiting for results the ingesting process checks, five
times a second, how long each running job has run and how much memory the workers hold together (their
private pages), and kills the worker of a job past the deadline, or, over the memory budget, the worker
holding most (with the processes it started, e.g. LibreOffice). That file is reported as timed out or
too large; the other jobs in flight are submitted again. A parse stuck
inside a C library (pdfium, lxml) cannot be interrupted any other way, so with a deadline set every
file is parsed in a worker, even a batch of one (about 0.6 s to start the first worker; see warm_up).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import multiprocessing
import os
import select
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from core.display import safe_name
from core.document import Chunk, Document
from core.settings import Settings
from ingestion.chunking import chunk_document, content_hash
from ingestion.errors import ParseError
from ingestion.parse import parse_file
from ingestion.tokenize import tokenize

log = logging.getLogger(__name__)

MIN_JOBS_FOR_POOL = 8  # without a deadline, fewer files than this are parsed in-process
MAX_AUTO_WORKERS = 4  # each worker may hold a large document in memory
POLL_SECONDS = 0.2  # how often running jobs are checked against the deadline and the memory limit
R = TypeVar("R")
CRASHED = "解析进程异常退出（文件可能损坏，触发了解析库崩溃），已跳过；请用原软件重新保存后导入"
UNEXPECTED = "解析时出现意外错误（程序缺陷），已跳过；请把该文件提供给维护人员"


def timed_out(seconds: float) -> str:
    return (f"解析超时（超过 {seconds:g} 秒，ZWGK_MAX_PARSE_SECONDS），已终止；文件可能损坏或过于复杂，"
            "请检查后重新导入，或调高该上限")


def too_much_memory(mb: float) -> str:
    return (f"解析占用内存过大（各解析进程合计超过 {mb:g} MB，ZWGK_MAX_PARSE_MEMORY_MB），已终止；"
            "文件可能是恶意构造或过于庞大，请拆分后导入，或调高该上限")


@dataclass(frozen=True)
class Watch:
    """What a worker may spend on one job before it is killed (0 = no limit)."""

    seconds: float = 0.0
    memory_mb: float = 0.0

    @classmethod
    def of(cls, settings: Settings) -> Watch:
        if settings.max_parse_seconds <= 0:
            return cls()
        return cls(settings.max_parse_seconds, settings.max_parse_memory_mb)

    @property
    def active(self) -> bool:
        return self.seconds > 0 or self.memory_mb > 0


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
    except Exception:  # a parser bug must not stop the batch (the traceback only in the debug log)
        log.debug("unexpected error parsing %s", safe_name(job.name), exc_info=True)
        return UNEXPECTED
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
    """Leave when the ingesting process is gone. A worker whose parent was killed outright would
    otherwise wait on its task queue for ever (it holds the queue's write end too), and keep the
    forkserver alive with it."""

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


_STARTS = None  # in a worker: where it reports the jobs it starts (set by _init_worker)


def _init_worker(parent: int, starts) -> None:
    global _STARTS
    _STARTS = starts
    _exit_with(parent)


def _tracked(fn: Callable[[ParseJob], R], token: int, job: ParseJob) -> R:
    """Run in a worker: say which job this process starts, and when, then run it."""
    if _STARTS is not None:
        _STARTS.put((token, os.getpid(), time.monotonic()))  # CLOCK_MONOTONIC: one clock for all processes
    return fn(job)


def _executor(workers: int) -> ProcessPoolExecutor:
    ctx = _context()
    starts = ctx.SimpleQueue()
    executor = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker, initargs=(os.getpid(), starts))
    executor.starts = starts  # read by _Pool.check
    executor.warmed = 0  # workers warm_up() has asked to start (see there)
    return executor


# imported once in the forkserver, so that every worker starts with them (PDF is the common case) and
# with the tokenizer's dictionary loaded (ingestion.worker_preload)
_PRELOAD = [__name__, "ingestion.parsers.pdf", "ingestion.metadata", "ingestion.worker_preload"]


def _context():
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_PRELOAD)
    return ctx


def warm_up(settings: Settings, jobs: int | None = None) -> None:
    """Start the shared workers in the background (returns at once): a caller that knows a batch
    is coming (an ingest before it hashes and copies the other files) hides their start-up (the
    forkserver's imports and the tokenizer's dictionary, ~0.6 s) behind its own work. `jobs`: at most
    this many are needed. A thread, because submit() waits while the forkserver starts."""
    workers = worker_count(settings.ingest_workers)
    if workers > 1 or Watch.of(settings).active:
        executor = _shared(workers)
        want = min(workers, jobs or workers)
        with _executors_lock:  # `zwgk screen` calls it early, screen() and ingest again: each worker is asked once
            more = want - executor.warmed
            executor.warmed = max(want, executor.warmed)
        if more <= 0:
            return

        def start() -> None:
            with contextlib.suppress(Exception):  # a failure shows again, and is handled, on the first real job
                for _ in range(more):
                    executor.submit(os.getpid)

        thread = threading.Thread(target=start, name="parse-warm-up", daemon=True)
        with _executors_lock:
            _warming[:] = [t for t in _warming if t.is_alive()] + [thread]
        thread.start()


def settle(timeout: float = 30.0) -> None:
    """Wait until the workers warm_up() is starting have started. A process must not exit while one is being
    started: the executor's exit handler counts the workers to stop before that one exists and then waits
    for it for ever (CPython 3.11), and the half-started worker prints a traceback. Callers of warm_up call
    this before they exit (a screen that finds nothing to parse ends in about a second)."""
    with _executors_lock:
        threads = list(_warming)
    for thread in threads:
        thread.join(timeout)


def prepare_all(jobs: Sequence[ParseJob], settings: Settings, workers: int | None = None,
                with_tokens: bool = True) -> Iterator[tuple[ParseJob, Prepared | str]]:
    """prepare() for every job, in order, using `workers` processes (default: the setting), each job
    under the deadline and memory limit of the settings."""
    workers = worker_count(settings.ingest_workers if workers is None else workers)
    watch = Watch.of(settings)
    if not watch.active and (workers <= 1 or len(jobs) < MIN_JOBS_FOR_POOL):
        for job in jobs:
            yield job, prepare(job, settings, with_tokens)
        return
    yield from run_in_workers(partial(prepare, settings=settings, with_tokens=with_tokens), jobs, workers, watch)


def run_in_workers(fn: Callable[[ParseJob], R], jobs: Sequence[ParseJob], workers: int, watch: Watch | None = None
                   ) -> Iterator[tuple[ParseJob, R | str]]:
    """fn(job) for every job in `workers` processes, yielded in job order. fn must be picklable (a
    module-level function or a partial of one). A job whose worker dies yields CRASHED; one that
    passes the watch's deadline or memory limit yields why it was stopped."""
    yield from _Pool(fn, workers, watch or Watch()).run(jobs)


# Workers outlive one batch (a UI server ingests many): the next batch finds them started, with
# the tokenizer's dictionary loaded. They leave with the process (see _exit_with).
_executors: dict[int, ProcessPoolExecutor] = {}
_executors_lock = threading.Lock()
_warming: list[threading.Thread] = []  # warm_up()'s threads (see settle)


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


def _descendants(pid: int) -> list[int]:
    """Processes started by `pid`, recursively (from /proc; none where there is no /proc)."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                children = Path(f"/proc/{current}/task/{task}/children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                out.append(child)
                todo.append(child)
    return out


def _kill_tree(pid: int) -> None:
    """SIGKILL a worker and whatever it started (LibreOffice would outlive it otherwise)."""
    for target in [*_descendants(pid), pid]:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(target, signal.SIGKILL)


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _rss_mb(pid: int) -> float:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE / 1048576
    except (OSError, ValueError, IndexError):
        return 0.0


def smaps_mb(pid: int, *fields: str) -> float | None:
    """The sum of some fields of /proc/PID/smaps_rollup ("Pss:", "Private_Dirty:", ...) in MB; None where the
    file cannot be read (the process is gone, or no such file on this kernel)."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    return sum(int(line.split()[1]) for line in text.splitlines() if line.startswith(fields)) / 1024


def _private_mb(pid: int) -> float:
    """Memory the process holds for itself (USS: private pages). A worker's resident memory also counts the
    pages it shares with the forkserver (the parsers' code, the tokenizer's dictionary): summed over workers
    they would be counted once per worker. Resident memory where smaps_rollup cannot be read."""
    private = smaps_mb(pid, "Private_Clean:", "Private_Dirty:")
    return _rss_mb(pid) if private is None else private


@dataclass
class _Entry:
    job: ParseJob
    token: int = -1
    future: Future | None = None
    result: object = None
    settled: bool = False  # result holds the outcome (a verdict: its worker was killed)


class _Pool:
    def __init__(self, fn: Callable, workers: int, watch: Watch):
        self.fn = fn
        self.workers = workers
        self.watch = watch
        self.executor: ProcessPoolExecutor | None = None
        self.tokens = itertools.count()
        self.started: dict[int, tuple[int, float]] = {}  # token -> (worker pid, start time)
        self.current: dict[int, int] = {}  # worker pid -> the token it started last (the job it runs)
        self.verdicts: dict[int, str] = {}  # token -> why its worker was killed
        # tokens stopped for what the workers held together while their own share was within the budget: such a
        # file is parsed again alone (a screenshot's OCR beside another one's was refused at 1,024 MB together)
        self.crowded: set[int] = set()

    def submit(self, job: ParseJob, executor: ProcessPoolExecutor | None = None) -> _Entry:
        token = next(self.tokens)
        if executor is not None:
            return _Entry(job, token, executor.submit(_tracked, self.fn, token, job))
        if self.executor is None:
            self.executor = _shared(self.workers)
        try:
            future = self.executor.submit(_tracked, self.fn, token, job)
        except BrokenProcessPool:  # broken while idle, or by another batch
            self.restart()
            self.executor = _shared(self.workers)
            future = self.executor.submit(_tracked, self.fn, token, job)
        return _Entry(job, token, future)

    def restart(self) -> None:
        if self.executor is not None:
            _discard(self.executor)
            self.executor = None

    def check(self, executor: ProcessPoolExecutor, entries) -> None:
        """Kill the worker of any running job past the deadline or the memory limit."""
        starts = executor.starts
        while not starts.empty():
            token, pid, started = starts.get()
            self.started[token] = (pid, started)
            self.current[pid] = token
        now = time.monotonic()
        running: dict[int, _Entry] = {}  # worker pid -> the job it runs
        for entry in entries:
            if entry.future is None or entry.future.done() or entry.token not in self.started:
                continue
            pid, started = self.started[entry.token]
            if self.current.get(pid) != entry.token:
                continue  # done, its result on the way back: the worker has moved on to another job
            if self.watch.seconds and now - started > self.watch.seconds:
                self.kill(pid, entry, timed_out(self.watch.seconds))
            else:
                running[pid] = entry
        if self.watch.memory_mb and running:
            # one budget for all workers together (idle ones included: what a worker keeps after a job is
            # memory too), so that N workers cannot take N times the limit between them (issue 17). Over
            # it, the job whose worker holds most is stopped: the file that blew up, not its neighbours.
            held = {pid: _private_mb(pid) for pid in self.current}
            if sum(held.values()) > self.watch.memory_mb:
                pid = max(running, key=lambda p: held.get(p, 0.0))
                if held.get(pid, 0.0) <= self.watch.memory_mb:
                    self.crowded.add(running[pid].token)
                self.kill(pid, running[pid], too_much_memory(self.watch.memory_mb))

    def kill(self, pid: int, entry: _Entry, verdict: str) -> None:
        if entry.token in self.crowded:
            log.info("%s：与其他解析进程合计超出内存上限，已停止，将单独重新解析", safe_name(entry.job.name))
        else:
            log.warning("%s：%s", safe_name(entry.job.name), verdict)
        self.verdicts[entry.token] = verdict
        _kill_tree(pid)

    def wait(self, entry: _Entry, executor: ProcessPoolExecutor, entries) -> None:
        """Until the entry's future is done, checking the running jobs meanwhile."""
        while not wait([entry.future], timeout=POLL_SECONDS if self.watch.active else None).done:
            self.check(executor, entries)

    def alone(self, job: ParseJob):
        """Run one job in its own fresh worker: the test of whether it is the one that crashes."""
        solo = _executor(1)
        try:
            entry = self.submit(job, solo)
            self.wait(entry, solo, [entry])
            try:
                return entry.future.result()
            except BrokenProcessPool:
                verdict = self.verdicts.pop(entry.token, None)
                if verdict is None:
                    log.warning("%s：%s", safe_name(job.name), CRASHED)
                return verdict or CRASHED
        finally:
            solo.shutdown(wait=False, cancel_futures=True)

    def run(self, jobs: Sequence[ParseJob]) -> Iterator[tuple[ParseJob, object]]:
        window = 2 * self.workers + 1  # in flight: enough to keep workers busy, bounded memory
        todo = deque(jobs)
        pending: deque[_Entry] = deque()
        try:
            while todo or pending:
                while todo and len(pending) < window:
                    pending.append(self.submit(todo.popleft()))
                entry = pending[0]
                if not entry.settled:
                    self.wait(entry, self.executor, pending)
                    entry.result = self.outcome(entry, pending)
                pending.popleft()
                yield entry.job, entry.result
        finally:  # a caller that stops early (or SIGTERM, Ctrl-C) leaves no work in the shared workers
            self.abandon(pending)

    def abandon(self, pending) -> None:
        """Cancel what has not started; kill the workers of what has (else the interpreter's exit
        would wait for them to finish, up to the deadline)."""
        running = [e for e in pending if e.future is not None and not e.future.cancel() and not e.future.done()]
        if not running or self.executor is None:
            return
        starts = self.executor.starts
        while not starts.empty():
            token, pid, _started = starts.get()
            self.current[pid] = token
        tokens = {e.token for e in running}
        for pid, token in list(self.current.items()):
            if token in tokens:
                _kill_tree(pid)
        self.restart()

    def outcome(self, entry: _Entry, pending: deque[_Entry]):
        """The head job's result. A broken pool lost everything in flight: the head is judged (its
        verdict if we killed its worker, else run alone to see whether it is the crasher); the
        others keep a result they already had or their verdict, or are submitted again."""
        try:
            return entry.future.result()
        except BrokenProcessPool:
            self.restart()
            verdict = self.verdicts.pop(entry.token, None)
            if entry.token in self.crowded:  # stopped for the others' memory as much as its own: judged alone
                verdict = None
            result = verdict if verdict is not None else self.alone(entry.job)
            for i in range(1, len(pending)):
                other = pending[i]
                if other.settled or (other.future.done() and other.future.exception() is None):
                    continue
                killed = self.verdicts.pop(other.token, None)
                if killed is not None and other.token not in self.crowded:
                    other.result, other.settled, other.future = killed, True, None
                else:
                    pending[i] = self.submit(other.job)
            return result
        except Exception:  # e.g. a result that cannot be pickled back
            log.debug("unexpected error parsing %s", safe_name(entry.job.name), exc_info=True)
            return UNEXPECTED
