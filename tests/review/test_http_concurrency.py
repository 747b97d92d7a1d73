"""20 reviewers x 50 decisions each through a running `zwgk serve` (its HTTP `decide` API), on SQLite and
PostgreSQL: no decision lost or duplicated, the audit log complete and ordered, versions count the writes."""

from __future__ import annotations

from collections import Counter

import httpx
import pytest

from bench.decide_load import (
    CATALOG,
    UNIT,
    DecideError,
    ServeProcess,
    call_decide,
    http_load,
    prepare_workspace,
)
from review.store import DecisionStore
from tests.review.test_store import assert_chains

REVIEWERS, DECISIONS = 20, 50


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_concurrent_reviewers_over_http(tmp_path, store_url):
    keys = prepare_workspace(tmp_path / "ws", store_url)
    assert len(keys) >= 8
    with ServeProcess(tmp_path / "ws", store_url) as server:
        result = http_load(server.url, keys, reviewers=REVIEWERS, decisions=DECISIONS)
        with httpx.Client(base_url=server.url) as client:  # a refusal is an error with the Chinese message
            with pytest.raises(DecideError, match="改分必须填写理由"):
                call_decide(client, UNIT, keys[0], "override", "张三", 0, 1.0, "", None)
            with pytest.raises(DecideError, match="复核人"):
                call_decide(client, UNIT, keys[0], "comment", " ", 0, None, "", "x")
    print(f"\n[{store_url.split(':')[0]}] {result.writes} decisions in {result.seconds:.1f} s = "
          f"{result.per_second:.1f}/s, stale retries {result.stale}, "
          f"p50 {result.percentile(50) * 1000:.0f} ms, p95 {result.percentile(95) * 1000:.0f} ms")
    assert result.writes == REVIEWERS * DECISIONS

    store = DecisionStore(store_url)
    try:
        log = [e for e in store.audit_log(UNIT) if e.action != "suggestion_changed"]
        assert len(log) == REVIEWERS * DECISIONS  # every successful write audited ...
        audited = Counter((e.reviewer, e.item, e.new["comment"]) for e in log)
        assert audited == Counter(result.written)  # ... exactly once, and nothing else
        seqs = [e.seq for e in log]
        assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
        assert_chains(store.audit_log(UNIT))
        decided = store.all(UNIT, CATALOG)
        assert sum(d.version for d in decided) == len(store.audit_log(UNIT))  # versions count the writes
        assert store.integrity_ok()
    finally:
        store.close()
