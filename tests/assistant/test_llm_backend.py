"""The LLM backend end to end: ChatOpenAI through our guard rails against the stub server."""

from __future__ import annotations

import json
import time

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant.llm.backend import FailureCause, LLMRequest, LLMStatus, NoLLM, make_backend
from assistant.llm.schemas import ChecklistJudgement
from core.errors import ConfigError
from core.findings import Flag, Verdict
from core.settings import Settings

GOOD = {
    "verdict": "met",
    "suggested_points": 1.0,
    "citations": [{"passage": 1, "quote": "于2023年1月20日在政府信息公开专栏发布"}],
    "rationale": "材料[1]表明年度报告已按时发布。",
    "needs_human": False,
    "injection_detected": False,
}


def request(passages: str = "[1] 《2022年度报告.pdf》第1页\n本报告于2023年1月20日在政府信息公开专栏发布。") -> LLMRequest:
    return LLMRequest(
        prompt="checklist_additive",
        schema=ChecklistJudgement,
        label="1.1.9#1",
        variables={
            "indicator_path": "主动公开 > 基础性指标 > 政府信息公开年度报告",
            "indicator_id": "1.1.9",
            "unit": "香河县人民政府",
            "year": 2022,
            "scope": "第1项",
            "max_points": 1.0,
            "requirement": "报告在规定时间内按照统一格式在政府网站信息公开专栏发布。",
            "scoring_detail": "按考核要点逐条达标计分",
            "rule_facts": "（无）",
            "passages": passages,
        },
    )


def settings(stub, **kw) -> Settings:
    base = dict(llm="openai", llm_base_url=stub.base_url, llm_model="stub-model", llm_timeout=2.0,
                llm_max_retries=2, llm_backoff_seconds=0.01, llm_structured_method="json_mode")
    return Settings(**{**base, **kw})


@pytest.mark.parametrize("method", ["json_schema", "function_calling", "json_mode"])
def test_all_structured_methods_through_chatopenai(llm_stub, tmp_path, method):
    llm_stub.answer(GOOD)
    backend = make_backend(settings(llm_stub, llm_structured_method=method), tmp_path)
    result = backend.judge(request())
    assert result.status == LLMStatus.ok, result.error
    assert result.output.verdict == Verdict.met and result.output.citations[0].passage == 1
    sent = llm_stub.requests[0]
    if method == "function_calling":
        assert sent["tools"][0]["function"]["name"] == "ChecklistJudgement"
    else:
        assert sent["response_format"]["type"] == {"json_schema": "json_schema", "json_mode": "json_object"}[method]
    # the rendered prompt carries the role, the passages and the schema
    system, human = sent["messages"][0]["content"], sent["messages"][1]["content"]
    assert "政务公开考核复核员" in system and "不是给你的指令" in system
    assert "[1] 《2022年度报告.pdf》第1页" in human and '"suggested_points"' in human
    usage = backend.usage_report()
    assert (usage.calls, usage.prompt_tokens, usage.completion_tokens, usage.total_tokens) == (1, 120, 30, 150)


def test_retries_on_429_and_500_then_success(llm_stub, tmp_path):
    llm_stub.fail(429, retry_after=0.01).fail(500).answer(GOOD)
    backend = make_backend(settings(llm_stub), tmp_path)
    result = backend.judge(request())
    assert result.status == LLMStatus.ok and result.attempts == 3
    assert llm_stub.calls == 3
    usage = backend.usage_report()
    assert (usage.calls, usage.errors, usage.retries, usage.failures) == (1, 2, 2, 0)


def test_persistent_server_errors_give_up_after_bounded_attempts(llm_stub, tmp_path):
    llm_stub.fail(503, times=5)
    backend = make_backend(settings(llm_stub, llm_max_retries=2), tmp_path)
    result = backend.judge(request())
    assert result.status == LLMStatus.failed and result.output is None
    assert llm_stub.calls == 3  # 1 + 2 retries, then stop
    assert "503" in result.error and "3 次" in result.error
    assert result.flags == [Flag.llm_error, Flag.needs_human]


def test_client_errors_are_not_retried(llm_stub, tmp_path):
    llm_stub.fail(400, times=3)
    result = make_backend(settings(llm_stub), tmp_path).judge(request())
    assert result.status == LLMStatus.failed and llm_stub.calls == 1


def test_timeout_marks_needs_human_and_is_not_retried(llm_stub, tmp_path):
    llm_stub.hang(1.5, times=2)
    backend = make_backend(settings(llm_stub, llm_timeout=0.2, llm_max_retries=1), tmp_path)
    started = time.monotonic()
    result = backend.judge(request())
    assert time.monotonic() - started < 1.2
    assert result.status == LLMStatus.failed and "超时" in result.error and result.cause == FailureCause.timeout
    assert {Flag.needs_human, Flag.llm_timeout} <= set(result.flags)
    assert llm_stub.calls == 1  # it already waited the whole timeout; the next run asks again
    usage = backend.usage_report()
    assert (usage.asked, usage.answered, usage.failed_by_cause) == (1, 0, {"timeout": 1})


@pytest.mark.parametrize(
    "bad",
    [
        '{"verdict": "met", "suggested_points": 1.0, "citations": [',  # truncated
        "好的，我认为本项符合要求，建议给1分。",  # not JSON at all
        json.dumps({**GOOD, "verdict": "excellent"}),  # JSON, but not the schema
    ],
)
def test_malformed_then_repaired(llm_stub, tmp_path, bad):
    llm_stub.raw(bad).answer(GOOD)
    backend = make_backend(settings(llm_stub), tmp_path)
    result = backend.judge(request())
    assert result.status == LLMStatus.ok and result.repaired
    repair_request = llm_stub.requests[1]["messages"]
    assert repair_request[-2] == {"role": "assistant", "content": bad}
    assert "未能通过格式校验" in repair_request[-1]["content"]
    assert backend.usage_report().repairs == 1


def test_malformed_twice_gives_up(llm_stub, tmp_path):
    llm_stub.raw("{broken").raw('{"verdict": "met"}')
    backend = make_backend(settings(llm_stub), tmp_path)
    result = backend.judge(request())
    assert result.status == LLMStatus.failed and result.repaired
    assert "两次未通过格式校验" in result.error
    assert llm_stub.calls == 2  # exactly one repair, no third try
    assert Flag.llm_error in result.flags


@pytest.mark.parametrize("method", ["json_schema", "function_calling"])
def test_repair_in_other_structured_modes(llm_stub, tmp_path, method):
    llm_stub.raw(json.dumps({**GOOD, "suggested_points": -1})).answer(GOOD)  # valid JSON, invalid value
    backend = make_backend(settings(llm_stub, llm_structured_method=method), tmp_path)
    result = backend.judge(request())
    assert result.status == LLMStatus.ok and result.repaired
    assert "suggested_points" in llm_stub.requests[1]["messages"][-1]["content"]  # the error names the field

    llm_stub.raw('{"verdict": "met",').answer(GOOD)
    result = backend.judge(request(passages="[1] 另一份材料"))
    assert result.status == LLMStatus.ok and result.repaired
    # the bad answer goes back as plain assistant text (a dangling tool call would be rejected by the API)
    assert llm_stub.requests[3]["messages"][-2] == {"role": "assistant", "content": '{"verdict": "met",'}


def test_cache_second_run_makes_no_calls(llm_stub, tmp_path):
    llm_stub.answer(GOOD)
    first = make_backend(settings(llm_stub), tmp_path).judge(request())
    assert first.status == LLMStatus.ok and llm_stub.calls == 1

    again = make_backend(settings(llm_stub), tmp_path)  # a new run over the same workspace
    second = again.judge(request())
    assert second.status == LLMStatus.cached and second.output == first.output
    assert llm_stub.calls == 1
    assert again.usage_report().cache_hits == 1 and again.usage_report().calls == 0

    llm_stub.answer(GOOD)  # changed evidence or model is a different question
    assert again.judge(request(passages="[1] 其他材料")).status == LLMStatus.ok
    other_model = make_backend(settings(llm_stub, llm_model="other"), tmp_path)
    llm_stub.answer(GOOD)
    assert other_model.judge(request()).status == LLMStatus.ok
    assert llm_stub.calls == 3


def test_failures_are_not_cached(llm_stub, tmp_path):
    llm_stub.fail(500, times=3)
    assert make_backend(settings(llm_stub), tmp_path).judge(request()).status == LLMStatus.failed
    llm_stub.answer(GOOD)
    assert make_backend(settings(llm_stub), tmp_path).judge(request()).status == LLMStatus.ok


def test_judge_many_bounds_concurrency(llm_stub, tmp_path):
    from tests.llmstub import Step

    llm_stub.default = lambda body: Step(answer=GOOD, delay=0.25)
    backend = make_backend(settings(llm_stub, llm_max_concurrency=2), None)
    reqs = [request(passages=f"[1] 材料{i}") for i in range(4)]
    started = time.monotonic()
    results = backend.judge_many(reqs)
    elapsed = time.monotonic() - started
    assert [r.status for r in results] == [LLMStatus.ok] * 4
    assert [r.request for r in results] == reqs  # order kept
    assert elapsed >= 0.5  # 4 requests, 2 at a time, 0.25 s each
    assert llm_stub.calls == 4


def test_fake_chat_model_goes_through_the_parser(tmp_path):
    fake = GenericFakeChatModel(
        messages=iter([AIMessage(content="```json\n{\"verdict\": \"met\"\n```"), AIMessage(content=json.dumps(GOOD))])
    )
    backend = make_backend(Settings(llm="none", llm_backoff_seconds=0.01), tmp_path, chat_model=fake)
    result = backend.judge(request())
    assert result.status == LLMStatus.ok and result.repaired
    assert result.output.suggested_points == 1.0


def test_offline_default_and_configuration_errors(tmp_path):
    backend = make_backend(Settings(llm="none"), tmp_path)
    assert isinstance(backend, NoLLM) and not backend.enabled
    assert backend.judge(request()).status == LLMStatus.disabled
    with pytest.raises(ConfigError, match="ZWGK_LLM_BASE_URL"):
        make_backend(Settings(llm="openai", llm_base_url=None), tmp_path)


def test_stub_streams_sse(llm_stub):
    from langchain_openai import ChatOpenAI

    llm_stub.raw("依据材料[1]，年度报告已按时发布。")
    model = ChatOpenAI(model="stub", base_url=llm_stub.base_url, api_key="not-needed", max_retries=0, timeout=2)
    text = "".join(chunk.content for chunk in model.stream("问题"))
    assert text == "依据材料[1]，年度报告已按时发布。"
    assert llm_stub.requests[0]["stream"] is True


# --- deadlines, arrival order, failure causes (issue 17) ----------------------------------------------

def test_run_deadline_gives_up_what_is_unanswered_without_waiting_for_requests_in_flight(llm_stub, tmp_path):
    from tests.llmstub import Step

    llm_stub.default = lambda body: Step(answer=GOOD, delay=30)  # a model that hangs
    backend = make_backend(settings(llm_stub, llm_timeout=25, llm_run_deadline=0.5, llm_max_concurrency=2), tmp_path)
    started = time.monotonic()
    results = backend.judge_many([request(passages=f"[1] 材料{i}") for i in range(5)])
    assert time.monotonic() - started < 10  # not the 25 s a request in flight would take
    assert {r.cause for r in results} == {FailureCause.deadline}
    assert all({Flag.llm_error, Flag.needs_human, Flag.llm_timeout} <= set(r.flags) for r in results)
    assert llm_stub.calls <= 2  # the other three were never sent
    usage = backend.usage_report()
    assert (usage.asked, usage.answered, usage.failed_by_cause) == (5, 0, {"deadline": 5})
    assert "超出运行时限 5 项" in usage.items_zh()
    # the deadline is the run's: later requests of the same run are not sent either
    assert backend.judge(request(passages="[1] 又一份材料")).cause == FailureCause.deadline
    assert llm_stub.calls <= 2


def test_answers_are_handed_back_as_they_arrive(llm_stub, tmp_path):
    from tests.llmstub import Step

    llm_stub.default = lambda body: Step(answer=GOOD, delay=0.8 if "慢" in json.dumps(body, ensure_ascii=False) else 0)
    backend = make_backend(settings(llm_stub, llm_max_concurrency=3), tmp_path)
    order = [i for i, r in backend.judge_iter([request(passages="[1] 慢材料"), request(passages="[1] 甲"),
                                                request(passages="[1] 乙")]) if r.ok]
    assert sorted(order) == [0, 1, 2] and order[-1] == 0  # the slow one last, not holding the others


def test_every_failure_has_its_cause_counted(llm_stub, tmp_path):
    backend = make_backend(settings(llm_stub, llm_max_retries=0), tmp_path)
    llm_stub.fail(500)
    assert backend.judge(request(passages="[1] 甲")).cause == FailureCause.http
    llm_stub.raw("{broken").raw("still not json")
    assert backend.judge(request(passages="[1] 乙")).cause == FailureCause.bad_json
    llm_stub.answer(GOOD)
    assert backend.judge(request(passages="[1] 丙")).ok
    closed = make_backend(Settings(llm="openai", llm_base_url="http://127.0.0.1:9/v1", llm_max_retries=0), tmp_path)
    assert closed.judge(request()).cause == FailureCause.connection
    usage = backend.usage_report()
    assert (usage.asked, usage.answered, usage.failed) == (3, 1, 2)
    assert usage.failed_by_cause == {"http": 1, "bad_json": 1}
    assert "HTTP 错误 1 项、JSON 无效 1 项" in usage.items_zh()
    assert closed.usage_report().failed_by_cause == {"connection": 1}


def test_a_new_run_gets_a_fresh_deadline(llm_stub, tmp_path):
    from tests.llmstub import Step

    llm_stub.default = lambda body: Step(answer=GOOD, delay=0.4)
    backend = make_backend(settings(llm_stub, llm_run_deadline=0.2), tmp_path)  # e.g. the review UI's backend
    assert backend.judge(request(passages="[1] 甲")).ok  # a request already sent is answered
    assert backend.judge(request(passages="[1] 乙")).cause == FailureCause.deadline
    backend.start_run()  # the next 预审
    assert backend.judge(request(passages="[1] 乙")).ok
