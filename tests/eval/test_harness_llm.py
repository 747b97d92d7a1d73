"""`zwgk eval --llm openai` end to end against the stub server: usage per case, then a fully cached re-run."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from core.settings import get_settings
from tests.eval.test_harness import build_samples
from tests.llmstub import USAGE, Step
from zwgk.cli import main

PASSAGE_ONE = re.compile(r"^\[1\] [^\n]*\n(.+)$", re.MULTILINE)


def judge(body: dict) -> Step:
    """A model that cites the first 12 characters of passage [1] and calls the item met; no passage, no verdict."""
    prompt = body["messages"][-1]["content"]
    found = PASSAGE_ONE.search(prompt)
    if not found:
        return Step(answer={"verdict": "insufficient_evidence", "suggested_points": 0, "citations": [],
                            "rationale": "未检索到相关材料。", "needs_human": True})
    return Step(answer={"verdict": "met", "suggested_points": 0.5,
                        "citations": [{"passage": 1, "quote": found.group(1).strip()[:12]}],
                        "rationale": "材料[1]载明有关情况。"})


@pytest.fixture
def openai_env(llm_stub, monkeypatch):
    for key, value in {"ZWGK_LLM": "openai", "ZWGK_LLM_BASE_URL": llm_stub.base_url, "ZWGK_LLM_MODEL": "stub-model",
                       "ZWGK_LLM_TIMEOUT": "5", "ZWGK_LLM_MAX_RETRIES": "0", "ZWGK_EMBEDDING_BACKEND": "none"}.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    llm_stub.default = judge
    yield llm_stub
    get_settings.cache_clear()


def test_llm_evaluation_reports_usage_per_case_and_a_cached_rerun_costs_nothing(tmp_path, openai_env):
    stub = openai_env
    samples, out = build_samples(tmp_path), tmp_path / "out"
    first = CliRunner().invoke(main, ["eval", str(samples), "--out", str(out), "--json"], catch_exceptions=False)
    assert first.exit_code == 0, first.stderr
    metrics = json.loads(first.stdout)
    per_case = {c["case"]: c for c in metrics["per_case"]}
    # one request per scored unit of the listed indicators: 2.1.2 (two sub-items) + 5.2.1, and 1.1.2
    assert per_case["wenan-2023-reply"]["llm"]["calls"] == 3 and per_case["yongqing-2023-nodocs"]["llm"]["calls"] == 1
    assert stub.calls == 4 and metrics["usage"]["calls"] == 4 and metrics["llm"] == "openai"
    reply = per_case["wenan-2023-reply"]["llm"]
    assert (reply["prompt_tokens"], reply["completion_tokens"], reply["total_tokens"]) == \
        (3 * USAGE["prompt_tokens"], 3 * USAGE["completion_tokens"], 3 * USAGE["total_tokens"])
    assert reply["seconds"] > 0 and per_case["wenan-2023-reply"]["seconds"] >= reply["seconds"] / 4
    report = (out / "report.md").read_text(encoding="utf-8")
    assert report.startswith("# 评测报告（大模型：openai）")
    assert "| wenan-2023-reply | 文安县人民政府 | 2023 | 2 |" in report and "| 3 | 0 | 360/90 |" in report
    assert "模型调用合计 4 次" in report
    # the model's quotes passed verification, so what it cited is verbatim in the documents
    assert metrics["citation_verbatim"] == 1.0

    second = CliRunner().invoke(main, ["eval", str(samples), "--out", str(out), "--json"], catch_exceptions=False)
    assert second.exit_code == 0, second.stderr
    again = json.loads(second.stdout)
    assert stub.calls == 4  # nothing new was sent
    assert again["usage"]["calls"] == 0 and again["usage"]["cache_hits"] == 4
    strip = ("seconds", "per_case", "usage")
    assert {k: v for k, v in again.items() if k not in strip} == {k: v for k, v in metrics.items() if k not in strip}


def test_openai_without_endpoint_is_a_configuration_error(tmp_path, monkeypatch):
    monkeypatch.delenv("ZWGK_LLM_BASE_URL", raising=False)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(main, ["eval", str(build_samples(tmp_path)), "--out", str(tmp_path / "o"),
                                           "--llm", "openai"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2 and "ZWGK_LLM_BASE_URL" in result.stderr
