"""Review-store figures: decision writes/s on SQLite and on PostgreSQL (a throw-away cluster started like
the tests do), and reviewers deciding concurrently through a running `zwgk serve`."""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench import decide_load
from bench.figures import Figure

GROUP = "复核存储"


def _pg():
    """A context manager yielding a PostgreSQL URL, or None when the server binaries are missing."""
    from tests.servers import postgres_server

    return postgres_server(durable=True)  # fsync on, like SQLite's synchronous=FULL


def _writes(label: str, url: str, per_worker: int) -> tuple[Figure, float]:
    r = decide_load.store_writes(url, workers=4, per_worker=per_worker)
    return Figure(GROUP, f"决定写入：{label}（4 线程，含审计日志）", r.per_second, "次/秒",
                  note=f"p50 {r.percentile(50) * 1000:.1f} 毫秒，p95 {r.percentile(95) * 1000:.1f} 毫秒，"
                       f"版本冲突重试 {r.stale} 次"), r.per_second


def _http(label: str, ws: Path, db_url: str | None, reviewers: int, decisions: int) -> Figure:
    keys = decide_load.prepare_workspace(ws, db_url)
    with decide_load.ServeProcess(ws, db_url) as server:
        r = decide_load.http_load(server.url, keys, reviewers=reviewers, decisions=decisions)
    return Figure(GROUP, f"经界面 HTTP 接口并发复核：{label}，{reviewers} 人×{decisions} 次", r.per_second, "次/秒",
                  note=f"p50 {r.percentile(50) * 1000:.0f} 毫秒，p95 {r.percentile(95) * 1000:.0f} 毫秒，"
                       f"冲突重试 {r.stale} 次，用时 {r.seconds:.0f} 秒")


def run(quick: bool = False, out: Path | None = None) -> list[Figure]:
    per_worker = 25 if quick else 250
    reviewers, decisions = (4, 10) if quick else (20, 50)
    figures = []
    with tempfile.TemporaryDirectory(prefix="zwgk-store-bench-") as tmp:
        tmp = Path(tmp)
        fig, sqlite_rate = _writes("SQLite（WAL）", f"sqlite:///{tmp / 'review.db'}", per_worker)
        figures.append(fig)
        try:
            pg = _pg()
            url = pg.__enter__()
        except BaseException as exc:  # pytest's skip/fail outcomes when PostgreSQL is missing
            figures.append(Figure(GROUP, "决定写入：PostgreSQL", "不可用", note=str(exc)[:80]))
            pg = url = None
        try:
            if url:
                fig, pg_rate = _writes("PostgreSQL", url, per_worker)
                fig.note += f"；为 SQLite 的 {pg_rate / sqlite_rate:.2f} 倍"
                figures.append(fig)
            if not quick or url is None:
                figures.append(_http("SQLite", tmp / "ws-sqlite", None, reviewers, decisions))
            if url:
                from tests.servers import fresh_database

                figures.append(_http("PostgreSQL", tmp / "ws-pg", fresh_database(url), reviewers, decisions))
        finally:
            if pg is not None:
                pg.__exit__(None, None, None)
    return figures
