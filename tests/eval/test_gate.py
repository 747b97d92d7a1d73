"""CI gate: the offline evaluation of each hand-scored set (eval/samples, generated; eval/real, built from
documents government bodies really published) must not get worse than its own baseline in eval/baseline.json.

The whole dev set runs (every case, the PNG screenshots through OCR included); most of the time is
ingestion. The baseline is only ever raised (see its `_comment`): a change that makes verdict accuracy
or verbatim citations lower, or the points error higher, fails here.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from assistant.llm.backend import NoLLM
from eval.compare import GATE_KEYS, gate_regressions
from eval.harness import evaluate
from indicators.rules.base import Outcome, load_all_rules, make_check

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "eval" / "samples"
BASELINE = ROOT / "eval" / "baseline.json"
SETS = json.loads(BASELINE.read_text(encoding="utf-8"))["sets"]


@pytest.fixture(scope="module")
def dev_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("gate")
    return out, evaluate(SAMPLES, out, NoLLM())


def test_baseline_is_recorded():
    document = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert "never lower" in document["_comment"]
    assert set(SETS) == {"samples", "real"}
    for baseline in SETS.values():
        assert (ROOT / baseline["dir"]).is_dir()
        assert all(isinstance(baseline[k], float | int) for k in GATE_KEYS)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SETS))
def test_offline_evaluation_is_not_worse_than_the_baseline(name, dev_run, tmp_path):
    baseline = SETS[name]
    run = dev_run[1] if baseline["dir"] == "eval/samples" else evaluate(ROOT / baseline["dir"], tmp_path, NoLLM())
    assert run.problems == []  # every case ran and every file parsed
    assert (run.metrics["cases"], run.metrics["items"]) == (baseline["cases"], baseline["items"])
    assert run.metrics["chat"]["questions"] == baseline["chat_questions"]
    assert gate_regressions(baseline, run.metrics) == []


@pytest.mark.slow
def test_a_broken_rule_makes_the_gate_fail(dev_run, monkeypatch):
    """Table-3 identities that always fail: the annual reports that balance lose points, and the gate notices."""
    out, clean = dev_run
    registry = load_all_rules()
    rule = registry.rules["annual_report.identities"]

    def always_fails(evidence):
        for _doc in evidence.of_type(*rule.doc_types):
            yield make_check(rule.id, rule.indicator_id, rule.sub, title="表三勾稽关系", outcome=Outcome.failed,
                             rationale="（测试中故意破坏的规则）勾稽关系不成立。")

    monkeypatch.setitem(registry.rules, rule.id, dataclasses.replace(rule, func=always_fails))
    broken = evaluate(SAMPLES, out, NoLLM(), reuse=True)  # the same ingested documents, rules run again
    regressions = gate_regressions(clean.metrics, broken.metrics)
    assert any(r.startswith(("verdict_accuracy", "points_mae")) for r in regressions), regressions
