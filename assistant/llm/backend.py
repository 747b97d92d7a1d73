"""LLM backends: `NoLLM` (offline default) and a LangChain chat model behind our own guard rails.

The guard rails, in the order a request meets them:
  cache (a re-run costs nothing) -> bounded concurrency (a semaphore shared by all threads) ->
  retry with exponential backoff + jitter on 429/5xx/timeouts/connection errors (bounded) ->
  pydantic validation -> ONE repair request carrying the validation error (prompts/repair.md) ->
  give up: the result says `failed`, and callers flag the item llm_error + needs_human. Never a guess.

`OpenAICompatible` is the same machinery around `ChatOpenAI` with a structured-output method
(json_schema | function_calling | json_mode). An injected chat model without structured-output
support (LangChain's fakes) goes through `prompt | model | PydanticOutputParser` instead.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

import openai
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.output_parsers import PydanticOutputParser
from langchain_core.runnables import Runnable, RunnableMap, RunnablePassthrough
from pydantic import BaseModel, ValidationError

from assistant.llm.cache import CACHE_FILE, ResponseCache, cache_key
from assistant.llm.schemas import schema_instructions
from assistant.llm.usage import UsageMeter, UsageReport
from core.errors import ConfigError
from core.findings import Flag
from core.settings import Settings
from prompts import load_prompt

StructuredMethod = Literal["json_schema", "function_calling", "json_mode"]

_MAX_ERROR_CHARS = 1500  # of a validation error sent back to the model


@dataclass(frozen=True)
class LLMRequest:
    """One templated question: which prompt, its variables (output_schema is filled in), the answer model."""

    prompt: str
    variables: Mapping[str, Any]
    schema: type[BaseModel]
    label: str = ""  # e.g. "1.1.9#1", for logs and errors


class LLMStatus(StrEnum):
    ok = "ok"
    cached = "cached"
    failed = "failed"  # gave up after retries / repair: a human must look
    disabled = "disabled"  # NoLLM


@dataclass
class LLMResult:
    request: LLMRequest
    status: LLMStatus
    output: BaseModel | None = None
    error: str | None = None  # Chinese, for the reviewer
    attempts: int = 0  # HTTP requests made for this item
    repaired: bool = False

    @property
    def ok(self) -> bool:
        return self.status in (LLMStatus.ok, LLMStatus.cached) and self.output is not None

    @property
    def flags(self) -> list[str]:
        return [Flag.llm_error, Flag.needs_human] if self.status == LLMStatus.failed else []


class LLMCallError(Exception):
    """The endpoint could not be reached or kept failing; message in Chinese."""


@dataclass(frozen=True)
class Backoff:
    base: float = 1.0
    factor: float = 2.0
    max_delay: float = 30.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Equal jitter: half the exponential step fixed, half random (spreads synchronized retries)."""
        step = min(self.max_delay, self.base * self.factor**attempt)
        wait = step / 2 + random.uniform(0, step / 2)
        if retry_after is not None:  # the server's Retry-After wins, within our cap
            wait = max(wait, min(retry_after, self.max_delay))
        return wait


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, openai.APIConnectionError | TimeoutError):  # APITimeoutError is a subclass
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code == 429 or exc.status_code >= 500
    return False


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


class LLMBackend:
    """Interface: `judge` one request, `judge_many` concurrently; `usage` accounts for the run."""

    enabled: bool = False
    identity: str = "none"  # model + endpoint; part of cache keys and checkpoint fingerprints
    usage: UsageMeter

    def judge(self, request: LLMRequest) -> LLMResult:
        raise NotImplementedError

    def judge_many(self, requests: Sequence[LLMRequest]) -> list[LLMResult]:
        return [self.judge(r) for r in requests]

    def usage_report(self) -> UsageReport:
        return self.usage.report()


class NoLLM(LLMBackend):
    """The offline default: rules and retrieval only. Answers every request with `disabled`."""

    enabled = False

    def __init__(self) -> None:
        self.usage = UsageMeter()

    def judge(self, request: LLMRequest) -> LLMResult:
        return LLMResult(request=request, status=LLMStatus.disabled, error="未启用大模型")


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

    enabled = True

    def __post_init__(self) -> None:
        self._slots = threading.BoundedSemaphore(max(1, self.max_concurrency))
        self._runnables: dict[type[BaseModel], Runnable] = {}
        self._runnables_lock = threading.Lock()

    # --- public -----------------------------------------------------------------------------------

    def judge(self, request: LLMRequest) -> LLMResult:
        schema = request.schema
        instructions = schema_instructions(schema)
        messages = load_prompt(request.prompt).format_messages(**{**request.variables, "output_schema": instructions})
        key = cache_key(self.identity, messages, schema)
        if self.cache is not None and (hit := self._from_cache(key, schema)) is not None:
            self.usage.bump("cache_hits")
            return LLMResult(request=request, status=LLMStatus.cached, output=hit)

        result = LLMResult(request=request, status=LLMStatus.failed)
        try:
            result.output = self._ask_with_one_repair(messages, schema, instructions, result)
        except LLMCallError as exc:
            result.error = str(exc)
        if result.output is None:
            self.usage.bump("failures")
            return result
        result.status = LLMStatus.ok
        if self.cache is not None:
            self.cache.put(key, self.identity, schema, result.output.model_dump_json())
        return result

    def judge_many(self, requests: Sequence[LLMRequest]) -> list[LLMResult]:
        if len(requests) <= 1:
            return [self.judge(r) for r in requests]
        # threads beyond the semaphore's slots would only wait; the semaphore also bounds other callers
        with ThreadPoolExecutor(max_workers=max(1, self.max_concurrency), thread_name_prefix="llm") as pool:
            return list(pool.map(self.judge, requests))

    # --- internals --------------------------------------------------------------------------------

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
                    result.attempts += 1
                    out = runnable.invoke(messages)
            except ValidationError as exc:
                # json_schema mode: the openai SDK validates the answer inside the call, so a bad answer
                # arrives as an exception instead of a parsing_error; treat it the same way
                self.usage.response(None, time.monotonic() - started)
                return {"raw": AIMessage(content=_rejected_input(exc)), "parsed": None, "parsing_error": exc}
            except Exception as exc:
                retry = _retryable(exc) and attempt < self.max_retries
                self.usage.error(time.monotonic() - started, retried=retry)
                if not retry:
                    tried = f"（共尝试 {attempt + 1} 次）" if _retryable(exc) else ""
                    raise LLMCallError(describe_error(exc) + tried) from exc
                time.sleep(self.backoff.delay(attempt, _retry_after(exc)))
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


def _limits(settings: Settings) -> dict:
    return {
        "max_retries": max(0, settings.llm_max_retries),
        "max_concurrency": max(1, settings.llm_max_concurrency),
        "backoff": Backoff(base=settings.llm_backoff_seconds),
    }


def _error_text(error: BaseException | None) -> str:
    return (str(error) if error is not None else "输出为空或不是 JSON 对象")[:_MAX_ERROR_CHARS]


def make_backend(
    settings: Settings,
    workspace_dir: Path | str | None,
    chat_model: BaseChatModel | None = None,
) -> LLMBackend:
    """The backend the settings ask for. An injected `chat_model` (tests, custom providers) wins.

    The response cache lives in the workspace; without a workspace nothing is cached.
    """
    if chat_model is None and settings.llm == "none":
        return NoLLM()
    cache = ResponseCache(Path(workspace_dir) / CACHE_FILE) if workspace_dir is not None else None
    if chat_model is not None:
        identity = getattr(chat_model, "model_name", None) or getattr(chat_model, "model", None) or type(chat_model).__name__
        method = settings.llm_structured_method if _supports_structured_output(chat_model) else None
        return ChatModelBackend(model=chat_model, identity=str(identity), method=method, cache=cache,
                                **_limits(settings))
    return OpenAICompatible.from_settings(settings, cache)


def _supports_structured_output(model: BaseChatModel) -> bool:
    """LangChain's base class raises NotImplementedError unless a provider overrides the method."""
    return type(model).with_structured_output is not BaseChatModel.with_structured_output
