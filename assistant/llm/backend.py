"""LLM backends: the interface, `NoLLM` (offline default) and `make_backend`; the LangChain chat model behind our
own guard rails lives in `chat_model.py` and is imported only when a model is configured (LangChain and the
OpenAI SDK cost seconds at start-up: an offline screen never pays them).

The guard rails, in the order a request meets them:
  cache (a re-run costs nothing) -> the run's deadline (RunDeadline) ->
  bounded concurrency (a semaphore shared by all threads) -> a timeout per request ->
  retry with exponential backoff + jitter on 429/5xx/connection errors (bounded; a request that timed
  out is not retried: it already waited the whole timeout) -> pydantic validation -> ONE repair
  request carrying the validation error (prompts/repair.md) -> give up: the result says `failed` with
  its cause, and callers flag the item llm_error + needs_human (+ llm_timeout). Never a guess, and
  never cached: the next run asks again.

`judge_iter` runs the requests on daemon worker threads and hands results back as they arrive, so
the caller can checkpoint each one, and a Ctrl-C (KeyboardInterrupt in the main thread) or the
run's deadline ends the wait at once: requests still in flight are abandoned, not awaited.

`OpenAICompatible` is the same machinery around `ChatOpenAI` with a structured-output method
(json_schema | function_calling | json_mode). An injected chat model without structured-output
support (LangChain's fakes) goes through `prompt | model | PydanticOutputParser` instead.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from assistant.llm.cache import CACHE_FILE, ResponseCache
from assistant.llm.usage import UsageMeter, UsageReport
from core.findings import Flag
from core.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

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


class FailureCause(StrEnum):
    """Why an item got no answer (the run's summary counts items by cause)."""

    timeout = "timeout"  # a request outlasted ZWGK_LLM_TIMEOUT
    deadline = "deadline"  # the run's deadline passed before the item was answered
    http = "http"  # the endpoint answered with an HTTP error (after retries for 429/5xx)
    bad_json = "bad_json"  # the answer failed validation twice (with one repair request)
    connection = "connection"  # the endpoint could not be reached
    other = "other"


@dataclass
class LLMResult:
    request: LLMRequest
    status: LLMStatus
    output: BaseModel | None = None
    error: str | None = None  # Chinese, for the reviewer
    cause: FailureCause | None = None  # set when status is failed
    attempts: int = 0  # HTTP requests made for this item
    repaired: bool = False

    @property
    def ok(self) -> bool:
        return self.status in (LLMStatus.ok, LLMStatus.cached) and self.output is not None

    @property
    def flags(self) -> list[str]:
        if self.status != LLMStatus.failed:
            return []
        timed_out = self.cause in (FailureCause.timeout, FailureCause.deadline)
        return [Flag.llm_error, Flag.needs_human, *([Flag.llm_timeout] if timed_out else [])]


class LLMCallError(Exception):
    """The endpoint could not be reached or kept failing; message in Chinese."""

    def __init__(self, message: str, cause: FailureCause = FailureCause.other):
        super().__init__(message)
        self.cause = cause


class RunDeadline:
    """The run's deadline, shared by every request of a backend.

    It counts from the run's first model request (ingestion and rules do not use it up). Once it has
    passed, no request is sent and the caller stops waiting for those in flight (`judge_iter`).
    """

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = seconds if seconds and seconds > 0 else None
        self._started: float | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._started is None:
                self._started = time.monotonic()

    def remaining(self) -> float | None:
        """Seconds left (None: no deadline, or the clock has not started)."""
        if self.seconds is None or self._started is None:
            return None
        return self._started + self.seconds - time.monotonic()

    def expired(self) -> bool:
        left = self.remaining()
        return left is not None and left <= 0

    def sleep(self, seconds: float) -> bool:
        """A retry's backoff, cut at the deadline; True when the deadline ended it."""
        left = self.remaining()
        time.sleep(seconds if left is None else min(seconds, max(0.0, left)))
        return self.expired()


DEADLINE_ERROR = "模型评审超出本次运行时限（ZWGK_LLM_RUN_DEADLINE），未等到答复"


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


class LLMBackend:
    """Interface: `judge` one request, `judge_iter`/`judge_many` several; `usage` accounts for the run."""

    enabled: bool = False
    identity: str = "none"  # model + endpoint; part of cache keys and checkpoint fingerprints
    usage: UsageMeter

    def judge(self, request: LLMRequest) -> LLMResult:
        raise NotImplementedError

    def start_run(self) -> None:
        """A new run begins (a long-lived process, e.g. the review UI, per 预审 or question): its
        deadline counts from here."""

    def judge_iter(self, requests: Sequence[LLMRequest]) -> Iterator[tuple[int, LLMResult]]:
        """(index, result) for every request, in the order the answers arrive."""
        for i, r in enumerate(requests):
            yield i, self.judge(r)

    def judge_many(self, requests: Sequence[LLMRequest]) -> list[LLMResult]:
        results = dict(self.judge_iter(requests))
        return [results[i] for i in range(len(requests))]

    def usage_report(self) -> UsageReport:
        return self.usage.report()


class NoLLM(LLMBackend):
    """The offline default: rules and retrieval only. Answers every request with `disabled`."""

    enabled = False

    def __init__(self) -> None:
        self.usage = UsageMeter()

    def judge(self, request: LLMRequest) -> LLMResult:
        return LLMResult(request=request, status=LLMStatus.disabled, error="未启用大模型")


def _limits(settings: Settings) -> dict:
    return {
        "max_retries": max(0, settings.llm_max_retries),
        "max_concurrency": max(1, settings.llm_max_concurrency),
        "backoff": Backoff(base=settings.llm_backoff_seconds),
        "deadline": RunDeadline(settings.llm_run_deadline),
    }


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
    from assistant.llm.chat_model import ChatModelBackend, OpenAICompatible, supports_structured_output

    cache = ResponseCache(Path(workspace_dir) / CACHE_FILE) if workspace_dir is not None else None
    if chat_model is not None:
        identity = getattr(chat_model, "model_name", None) or getattr(chat_model, "model", None) or type(chat_model).__name__
        method = settings.llm_structured_method if supports_structured_output(chat_model) else None
        return ChatModelBackend(model=chat_model, identity=str(identity), method=method, cache=cache,
                                **_limits(settings))
    return OpenAICompatible.from_settings(settings, cache)

