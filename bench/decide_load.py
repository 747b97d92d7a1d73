"""Decision-store load: direct store writes/s, and many reviewers deciding through a running `zwgk serve`.

The HTTP load drives the app's explicit `decide` API (review/app.py) over plain HTTP, Gradio's documented
two-step call (POST /gradio_api/call/decide -> event id, GET .../{event_id} -> server-sent result), one
keep-alive connection per reviewer thread. (gradio_client works too, but costs ~60 ms of client CPU per
call against ~14 ms in the server: on 2 shared cores it would measure the load generator.) A stale write (someone else changed the item) is
retried with the current version the API returns, so every reviewer lands exactly `decisions` writes.
Used by bench (`python -m bench`) and by tests/review/test_http_concurrency.py.
"""

from __future__ import annotations

import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from review.store import Action, DecisionStore, StaleDecision

ROOT = Path(__file__).resolve().parents[1]
UNIT = "固安县人民政府"
CATALOG = "langfang-2023"
NOTICE = ("固安县人民政府办公室关于做好2023年政务公开工作的通知\n各乡镇人民政府，县政府各部门：\n"
          "请认真落实《中华人民共和国政府信息公开条例》，做好主动公开和依申请公开工作。\n"
          "固安县人民政府办公室\n2023年3月1日\n")
ACTIONS = (Action.comment, Action.confirm, Action.override, Action.discuss)


@dataclass
class LoadResult:
    writes: int  # successful decisions
    stale: int  # stale attempts that were retried
    seconds: float
    latencies: list[float] = field(default_factory=list)  # every request, seconds
    written: list[tuple[str, str, str]] = field(default_factory=list)  # (reviewer, item, comment) per write

    @property
    def per_second(self) -> float:
        return self.writes / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return 0.0
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[int(p) - 1]


def store_writes(url: str, workers: int = 4, per_worker: int = 100, items: int = 10) -> LoadResult:
    """Threads writing comments straight into the store (compare-and-swap, retry on stale)."""
    DecisionStore(url).close()
    stores = [DecisionStore(url) for _ in range(workers)]
    lock, result = threading.Lock(), LoadResult(0, 0, 0.0)

    def work(w: int) -> None:
        s = stores[w]
        for i in range(per_worker):
            item = f"bench.{(w + i) % items}"
            while True:
                cur = s.get(UNIT, CATALOG, item)
                t0 = time.perf_counter()
                try:
                    s.decide(UNIT, CATALOG, item, Action.comment, reviewer=f"r{w}", expected_version=cur.version,
                             comment=f"{w}-{i}")
                except StaleDecision:
                    with lock:
                        result.stale += 1
                    continue
                with lock:
                    result.writes += 1
                    result.latencies.append(time.perf_counter() - t0)
                break

    start = time.perf_counter()
    threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - start
    for s in stores:
        s.close()
    return result


def prepare_workspace(workspace: Path, db_url: str | None = None) -> list[str]:
    """A workspace with one pre-screened unit (offline, no LLM); returns its item keys."""
    from core.settings import Settings
    from review.present import key_of
    from review.service import ReviewService

    src = workspace.parent / f"{workspace.name}-src"
    src.mkdir(parents=True, exist_ok=True)
    notice = src / "通知.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    service = ReviewService(workspace, CATALOG, Settings(review_db_url=db_url))
    try:
        service.upload(UNIT, [notice])
        return [key_of(i) for i in service.prescreen(UNIT, 2023).items]
    finally:
        service.close()


class ServeProcess:
    """`python -m zwgk serve` on a free loopback port, with the review store at `db_url`."""

    def __init__(self, workspace: Path, db_url: str | None = None):
        with socket.socket() as sock:  # a free loopback port
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ZWGK_", "GRADIO_"))}
        env.update({"HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"})
        if db_url:
            env["ZWGK_REVIEW_DB_URL"] = db_url
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "zwgk", "serve", "--workspace", str(workspace), "--host", "127.0.0.1",
             "--port", str(self.port)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def __enter__(self) -> ServeProcess:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"zwgk serve exited {self.proc.returncode}: {self.proc.stdout.read()}")
            try:
                with urllib.request.urlopen(self.url, timeout=2):
                    return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise RuntimeError("zwgk serve did not start within 90 s")

    def __exit__(self, *_exc) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class DecideError(RuntimeError):
    """The app refused the decision (its Chinese message)."""


def call_decide(client: httpx.Client, *args) -> dict:
    """One call of the `decide` API: {"saved": bool, "decision": {...}}; raises DecideError on a refusal."""
    r = client.post("gradio_api/call/decide", json={"data": list(args)})
    r.raise_for_status()
    r = client.get(f"gradio_api/call/decide/{r.json()['event_id']}")
    r.raise_for_status()
    event = data = None
    for line in r.text.splitlines():  # server-sent events; the last one carries the outcome
        if line.startswith("event:"):
            event = line.split(":", 1)[1].strip()
        elif line.startswith("data:"):
            data = line.split(":", 1)[1].strip()
    if event != "complete" or data is None:
        raise DecideError(json.loads(data).get("error") if data and data != "null" else f"event {event}")
    return json.loads(data)[0]


def http_load(url: str, keys: list[str], reviewers: int = 20, decisions: int = 50, hot: int = 3,
              hot_every: int = 5) -> LoadResult:
    """`reviewers` threads, each landing `decisions` writes through the `decide` API.

    Like colleagues splitting one unit's scorecard: each reviewer works through its own items, and every
    `hot_every`-th decision goes to one of `hot` items everybody touches, where writes collide and the
    loser retries with the current version the API returned."""
    shared, rest = keys[:hot], keys[hot:]
    lock, result = threading.Lock(), LoadResult(0, 0, 0.0)
    errors: list[BaseException] = []
    started: list[float] = []
    barrier = threading.Barrier(reviewers, action=lambda: started.append(time.perf_counter()))

    def reviewer(r: int) -> None:
        try:
            client = httpx.Client(base_url=url, timeout=60)
            name, seen, rng = f"复核人{r:02d}", {}, random.Random(r)
            own = rest[r::reviewers] or rest
            barrier.wait()
            for i in range(decisions):
                key = rng.choice(shared) if i % hot_every == 0 else own[i % len(own)]
                action = ACTIONS[(r + i) % len(ACTIONS)]
                comment = f"{name}-{i}"
                while True:
                    t0 = time.perf_counter()
                    out = call_decide(client, UNIT, key, str(action), name, seen.get(key, 0),
                                      0.0 if action == Action.override else None,
                                      "抽查核实" if action == Action.override else "", comment)
                    dt = time.perf_counter() - t0
                    seen[key] = out["decision"]["version"]
                    with lock:
                        result.latencies.append(dt)
                        if out["saved"]:
                            result.writes += 1
                            result.written.append((name, key, comment))
                        else:
                            result.stale += 1
                    if out["saved"]:
                        break
            client.close()
        except BaseException as exc:  # surfaced to the caller below
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=reviewer, args=(r,)) for r in range(reviewers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - started[0] if started else 0.0
    if errors:
        raise errors[0]
    return result
