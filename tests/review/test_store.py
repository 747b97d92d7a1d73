import multiprocessing as mp
import threading

import pytest

from review.store import Action, DecisionError, DecisionStore, StaleDecision

U, C = "香河县人民政府", "langfang-2023"


def test_confirm_override_comment_and_audit(store):
    d = store.decide(U, C, "1.1.9#1", Action.confirm, reviewer="张三", expected_version=0, suggested_points=1.0)
    assert (d.status, d.points, d.version) == ("confirmed", 1.0, 1)
    with pytest.raises(DecisionError, match="理由"):
        store.decide(U, C, "1.1.9#1", Action.override, reviewer="张三", expected_version=1, points=0.5)
    d = store.decide(U, C, "1.1.9#1", Action.override, reviewer="李四", expected_version=1, points=0.5,
                     max_points=1.0, reason="发布时间晚于1月31日")
    assert (d.status, d.points, d.reason, d.version) == ("overridden", 0.5, "发布时间晚于1月31日", 2)
    with pytest.raises(DecisionError, match="超出"):
        store.decide(U, C, "1.1.9#1", Action.override, reviewer="李四", expected_version=2, points=1.5,
                     max_points=1.0, reason="x")
    store.decide(U, C, "1.1.9#1", Action.comment, reviewer="李四", expected_version=2, comment="已电话核实")
    log = store.audit_log(U)
    assert [e.action for e in log] == [Action.confirm, Action.override, Action.comment]
    assert log[1].old["points"] == 1.0 and log[1].new["points"] == 0.5 and log[1].reviewer == "李四"
    assert store.get(U, C, "1.1.9#1").comment == "已电话核实"


def test_stale_writer_is_told_the_current_value(store):
    store.decide(U, C, "2.1.2#1", Action.confirm, reviewer="甲", expected_version=0, suggested_points=2.0)
    with pytest.raises(StaleDecision) as exc:
        store.decide(U, C, "2.1.2#1", Action.override, reviewer="乙", expected_version=0, points=1.0, reason="超期")
    assert exc.value.current.reviewer == "甲" and exc.value.current.points == 2.0


def test_persists_across_reopen(store_url):
    s = DecisionStore(store_url)
    s.decide(U, C, "3.1#1", Action.discuss, reviewer="甲", expected_version=0)
    s.close()
    s2 = DecisionStore(store_url)
    assert s2.get(U, C, "3.1#1").discuss is True
    assert s2.integrity_ok()
    s2.close()


def test_suggestion_change_marks_decided_items_only(store):
    store.decide(U, C, "1.1.2", Action.confirm, reviewer="甲", expected_version=0, suggested_points=2.0)
    changed = store.note_suggestions(U, C, [("1.1.2", 1.5), ("1.1.3", 3.0)])
    assert changed == ["1.1.2"]
    d = store.get(U, C, "1.1.2")
    assert d.suggestion_changed and d.points == 2.0 and d.status == "confirmed"  # the decision is kept
    assert store.audit_log(U)[-1].action == Action.suggestion_changed


def assert_chains(log) -> None:
    """Per item, in audit order: versions run 1, 2, 3 ... and each entry's old value is the previous new one."""
    last: dict[tuple, dict] = {}
    for e in log:
        key = (e.unit, e.catalog, e.item)
        prev = last.get(key)
        assert e.new["version"] == (prev["version"] + 1 if prev else 1), (key, e.seq)
        assert e.old == prev, (key, e.seq)
        last[key] = e.new


def test_integrity_detects_an_unaudited_write(store):
    from sqlalchemy import update

    from review.store import decisions

    store.decide(U, C, "4.1#1", Action.comment, reviewer="甲", expected_version=0, comment="a")
    assert store.integrity_ok()
    with store.engine.begin() as conn:  # a write that bypassed the store (no audit entry)
        conn.execute(update(decisions).values(version=decisions.c.version + 1))
    assert not store.integrity_ok()


def _hammer(args):
    path, worker, n = args
    s = DecisionStore(path)
    ok = 0
    for i in range(n):
        item = f"5.2.{i % 3}"
        while True:
            cur = s.get(U, C, item)
            try:
                s.decide(U, C, item, Action.comment, reviewer=f"r{worker}", expected_version=cur.version,
                         comment=f"{worker}-{i}")
                ok += 1
                break
            except StaleDecision:
                continue
    s.close()
    return ok


@pytest.mark.parametrize("kind", ["threads", "processes"])
def test_concurrent_writers_lose_nothing(store_url, kind):
    path = store_url
    DecisionStore(path).close()
    workers, n = 6, 15
    args = [(path, w, n) for w in range(workers)]
    if kind == "threads":
        results = [0] * workers

        def run(w):
            results[w] = _hammer(args[w])

        ts = [threading.Thread(target=run, args=(w,)) for w in range(workers)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    else:
        with mp.get_context("spawn").Pool(workers) as pool:
            results = pool.map(_hammer, args)
    assert sum(results) == workers * n
    s = DecisionStore(path)
    log = s.audit_log(U)
    assert len(log) == workers * n  # every successful write audited exactly once
    assert len({e.seq for e in log}) == len(log) and [e.seq for e in log] == sorted(e.seq for e in log)
    assert_chains(log)
    versions = {d.item: d.version for d in s.all(U)}
    assert sum(versions.values()) == workers * n  # versions count the writes: none lost
    assert s.integrity_ok()
    s.close()
