"""The chat-model backend: a LangChain chat model behind the guard rails described in `backend.py`.

Imported by `make_backend` only when a model is configured (`--llm openai` or an injected model).
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import openai
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.output_parsers import PydanticOutputParser
from langchain_core.runnables import Runnable, RunnableMap, RunnablePassthrough
from pydantic import BaseModel, ValidationError

from assistant.llm.backend import (
    _MAX_ERROR_CHARS,
    DEADLINE_ERROR,
    Backoff,
    FailureCause,
    LLMBackend,
    LLMCallError,
    LLMRequest,
    LLMResult,
    LLMStatus,
    RunDeadline,
    StructuredMethod,
    _limits,
)
from assistant.llm.cache import ResponseCache, cache_key
from assistant.llm.schemas import schema_instructions
from assistant.llm.usage import UsageMeter
from core.errors import ConfigError
from core.settings import Settings
from prompts import load_prompt


def _is_timeout(exc: BaseException) -> bool:
    return isinstance(exc, openai.APITimeoutError | TimeoutError)


def _retryable(exc: BaseException) -> bool:
    if _is_timeout(exc):  # it already waited the whole timeout; the next run asks again
        return False
    if isinstance(exc, openai.APIConnectionError):
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code == 429 or exc.status_code >= 500
    return False


def cause_of(exc: BaseException) -> FailureCause:
    if _is_timeout(exc):
        return FailureCause.timeout
    if isinstance(exc, openai.APIConnectionError):
        return FailureCause.connection
    if isinstance(exc, openai.APIStatusError):
        return FailureCause.http
    return FailureCause.other


def _retry_after(exc: BaseException) -> float | None:
    response = getattr(exc, "response", None)
    value = response.headers.get("retry-after") if response is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def describe_error(exc: BaseException) -> str:
    if isinstance(exc, openai.APITimeoutError | TimeoutError):
        return "模型服务请求超时"
    if isinstance(exc, openai.APIConnectionError):
        return "无法连接模型服务"
    if isinstance(exc, openai.RateLimitError):
        return "模型服务请求过于频繁（HTTP 429）"
    if isinstance(exc, openai.APIStatusError):
        return f"模型服务返回错误（HTTP {exc.status_code}）"
    return f"模型调用出错（{type(exc).__name__}）"


def raw_text(message: BaseMessage | None) -> str:
    """What the model actually said, whichever channel it used (content or tool-call arguments)."""
    if message is None:
        return ""
    calls = getattr(message, "tool_calls", None)
    if calls:
        return json.dumps(calls[0].get("args", {}), ensure_ascii=False)
    invalid = getattr(message, "invalid_tool_calls", None)
    if invalid:
        return str(invalid[0].get("args") or "")
    content = message.content
    return content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)


@dataclass
class ChatModelBackend(LLMBackend):
    """Any LangChain chat model behind the guard rails described in the module docstring.

    `method=None` parses the reply text with PydanticOutputParser (for models without
    `with_structured_output`, e.g. LangChain's fake chat models); otherwise the model's
    `with_structured_output(schema, method=..., include_raw=True)` is used.
    """

    model: BaseChatModel
    identity: str  # model name + endpoint: part of the cache key
    method: StructuredMethod | None = None
    cache: ResponseCache | None = None
    max_retries: int = 3
    max_concurrency: int = 4
    backoff: Backoff = field(default_factory=Backoff)
    usage: UsageMeter = field(default_factory=UsageMeter)
    deadline: RunDeadline = field(default_factory=RunDeadline)

    enabled = True

    def __post_init__(self) -> None:
        self._slots = threading.BoundedSemaphore(max(1, self.max_concurrency))
        self._runnables: dict[type[BaseModel], Runnable] = {}
        self._runnables_lock = threading.Lock()

    # --- public -----------------------------------------------------------------------------------

    def judge(self, request: LLMRequest) -> LLMResult:
        return self._record(self._judge(request))

    def start_run(self) -> None:
        self.deadline = RunDeadline(self.deadline.seconds)

    def judge_iter(self, requests: Sequence[LLMRequest]) -> Iterator[tuple[int, LLMResult]]:
        """Answers as they arrive, from daemon worker threads (at most max_concurrency).

        The caller's thread only waits on a queue, in short slices: a Ctrl-C reaches it at once, and
        when the run's deadline passes every item not yet answered is given up as `deadline`
        immediately. Requests in flight are abandoned (daemon threads do not hold up the exit).
        """
        n = len(requests)
        if n == 0:
            return
        jobs: queue.SimpleQueue[int] = queue.SimpleQueue()
        for i in range(n):
            jobs.put(i)
        done: queue.SimpleQueue[tuple[int, LLMResult]] = queue.SimpleQueue()
        stop = threading.Event()

        def work() -> None:
            while not stop.is_set():
                try:
                    i = jobs.get_nowait()
                except queue.Empty:
                    return
                try:
                    done.put((i, self._judge(requests[i])))
                except Exception as exc:  # a bug must cost one item, not hang the caller
                    done.put((i, LLMResult(request=requests[i], status=LLMStatus.failed, cause=FailureCause.other,
                                           error=f"模型调用出错（{type(exc).__name__}）")))

        for k in range(min(n, max(1, self.max_concurrency))):
            threading.Thread(target=work, name=f"llm-{k}", daemon=True).start()
        delivered: set[int] = set()
        try:
            while len(delivered) < n:
                try:
                    i, result = done.get(timeout=0.1)
                except queue.Empty:
                    if self.deadline.expired():
                        for j in range(n):
                            if j not in delivered:
                                delivered.add(j)
                                yield j, self._record(self._stopped(requests[j]))
                    continue
                if i not in delivered:
                    delivered.add(i)
                    yield i, self._record(result)
        finally:
            stop.set()

    # --- internals --------------------------------------------------------------------------------

    def _judge(self, request: LLMRequest) -> LLMResult:
        schema = request.schema
        instructions = schema_instructions(schema)
        messages = load_prompt(request.prompt).format_messages(**{**request.variables, "output_schema": instructions})
        key = cache_key(self.identity, messages, schema)
        if self.cache is not None and (hit := self._from_cache(key, schema)) is not None:
            self.usage.bump("cache_hits")
            return LLMResult(request=request, status=LLMStatus.cached, output=hit)
        if self.deadline.expired():
            return self._stopped(request)
        self.deadline.start()

        result = LLMResult(request=request, status=LLMStatus.failed)
        try:
            result.output = self._ask_with_one_repair(messages, schema, instructions, result)
        except LLMCallError as exc:
            result.error, result.cause = str(exc), exc.cause
        if result.output is None:
            result.cause = result.cause or FailureCause.bad_json
            return result
        result.status = LLMStatus.ok
        if self.cache is not None:  # only validated answers: a failure is asked again next time
            self.cache.put(key, self.identity, schema, result.output.model_dump_json())
        return result

    @staticmethod
    def _stopped(request: LLMRequest) -> LLMResult:  # the deadline passed before an answer
        return LLMResult(request=request, status=LLMStatus.failed, cause=FailureCause.deadline, error=DEADLINE_ERROR)

    def _record(self, result: LLMResult) -> LLMResult:
        """Count an item's outcome once, when it is handed to the caller."""
        self.usage.item(result.status, result.cause)
        return result

    def _ask_with_one_repair(
        self, messages: list[BaseMessage], schema: type[BaseModel], instructions: str, result: LLMResult
    ) -> BaseModel | None:
        out = self._call(messages, schema, result)
        if out["parsed"] is not None:
            return out["parsed"]
        # one repair: show the model its own answer and what was wrong with it
        self.usage.bump("repairs")
        result.repaired = True
        repair = load_prompt("repair").format_messages(error=_error_text(out["parsing_error"]), output_schema=instructions)
        said = raw_text(out["raw"])
        history = [AIMessage(content=said)] if said else []
        out = self._call([*messages, *history, *repair], schema, result)
        if out["parsed"] is None:
            result.error = f"模型输出两次未通过格式校验：{_error_text(out['parsing_error'])[:200]}"
        return out["parsed"]

    def _from_cache(self, key: str, schema: type[BaseModel]) -> BaseModel | None:
        stored = self.cache.get(key) if self.cache is not None else None
        if stored is None:
            return None
        try:
            return schema.model_validate_json(stored)
        except ValidationError:  # the schema's rules changed under the same JSON Schema: ask again
            return None

    def _runnable(self, schema: type[BaseModel]) -> Runnable:
        with self._runnables_lock:
            if schema not in self._runnables:
                if self.method is None:
                    parser = PydanticOutputParser(pydantic_object=schema)
                    parse = RunnablePassthrough.assign(parsed=lambda d: parser.invoke(d["raw"]), parsing_error=lambda _: None)
                    fallback = RunnablePassthrough.assign(parsed=lambda _: None)
                    self._runnables[schema] = RunnableMap(raw=self.model) | parse.with_fallbacks(
                        [fallback], exception_key="parsing_error"
                    )
                else:
                    self._runnables[schema] = self.model.with_structured_output(
                        schema, method=self.method, include_raw=True
                    )
            return self._runnables[schema]

    def _call(self, messages: list[BaseMessage], schema: type[BaseModel], result: LLMResult) -> dict:
        """One logical request: retried on transient failures, each attempt inside a concurrency slot."""
        runnable = self._runnable(schema)
        for attempt in range(self.max_retries + 1):
            started = time.monotonic()
            try:
                with self._slots:
                    if self.deadline.expired():
                        raise LLMCallError(DEADLINE_ERROR, FailureCause.deadline)
                    result.attempts += 1
                    out = runnable.invoke(messages)
            except ValidationError as exc:
                # json_schema mode: the openai SDK validates the answer inside the call, so a bad answer
                # arrives as an exception instead of a parsing_error; treat it the same way
                self.usage.response(None, time.monotonic() - started)
                return {"raw": AIMessage(content=_rejected_input(exc)), "parsed": None, "parsing_error": exc}
            except LLMCallError:
                raise
            except Exception as exc:
                retry = _retryable(exc) and attempt < self.max_retries
                self.usage.error(time.monotonic() - started, retried=retry)
                if not retry:
                    tried = f"（共尝试 {attempt + 1} 次）" if _retryable(exc) else ""
                    raise LLMCallError(describe_error(exc) + tried, cause_of(exc)) from exc
                if self.deadline.sleep(self.backoff.delay(attempt, _retry_after(exc))):
                    raise LLMCallError(DEADLINE_ERROR, FailureCause.deadline) from exc
                continue
            self.usage.response(out.get("raw"), time.monotonic() - started)
            return out
        raise AssertionError("unreachable")


def _rejected_input(exc: ValidationError) -> str:
    """The text the model sent, as pydantic recorded it when rejecting it."""
    for err in exc.errors():
        if err.get("type") == "json_invalid" and isinstance(err.get("input"), str):
            return err["input"]
    return ""  # field-level errors: the error text itself names the fields and values


class OpenAICompatible(ChatModelBackend):
    """`ChatOpenAI` against any OpenAI-compatible endpoint (DeepSeek, DashScope, vLLM, Ollama, ...)."""

    @classmethod
    def from_settings(cls, settings: Settings, cache: ResponseCache | None = None) -> OpenAICompatible:
        if not settings.llm_base_url:
            raise ConfigError("已选择 --llm openai，但未配置 ZWGK_LLM_BASE_URL（OpenAI 兼容接口地址）")
        from langchain_openai import ChatOpenAI  # imported only when a real endpoint is configured

        model = ChatOpenAI(
            model=settings.llm_model,
            base_url=settings.llm_base_url,
            api_key=settings.llm_api_key,
            timeout=settings.llm_timeout,
            max_retries=0,  # retries are ours (backoff with jitter, counted in usage)
            temperature=settings.llm_temperature,
        )
        return cls(
            model=model, identity=f"{settings.llm_model}@{settings.llm_base_url}",
            method=settings.llm_structured_method, cache=cache, **_limits(settings),
        )


def _error_text(error: BaseException | None) -> str:
    return (str(error) if error is not None else "输出为空或不是 JSON 对象")[:_MAX_ERROR_CHARS]


def supports_structured_output(model: BaseChatModel) -> bool:
    """LangChain's base class raises NotImplementedError unless a provider overrides the method."""
    return type(model).with_structured_output is not BaseChatModel.with_structured_output
