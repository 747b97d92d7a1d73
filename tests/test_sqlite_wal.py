"""Processes opening a new store at once all get it: SQLite answers the switch to WAL with "database is locked"
at once for all but one of them (no busy wait), core.sqlite.enable_wal retries (seen failing in
test_two_ingests_into_one_workspace_at_once)."""

from __future__ import annotations

import multiprocessing

from assistant.checkpoints import CheckpointStore
from ingestion.store import WorkspaceDB


def _open(kind: str, path, go, results) -> None:
    go.wait()
    try:
        store = WorkspaceDB(path) if kind == "workspace" else CheckpointStore(path)
        store.close()
        results.put("ok")
    except Exception as exc:  # reported to the test, which names it
        results.put(repr(exc))


def test_six_processes_opening_a_new_store_together_all_succeed(tmp_path):
    ctx = multiprocessing.get_context("fork")  # fast enough for 120 openings; the children only open a database
    outcomes = []
    for trial in range(20):
        kind = "workspace" if trial % 2 else "checkpoints"
        go, results = ctx.Event(), ctx.Queue()
        procs = [ctx.Process(target=_open, args=(kind, tmp_path / f"{trial}.db", go, results)) for _ in range(6)]
        for p in procs:
            p.start()
        go.set()
        outcomes += [results.get(timeout=60) for _ in procs]
        for p in procs:
            p.join(60)
    assert outcomes == ["ok"] * 120, [o for o in outcomes if o != "ok"][:3]
