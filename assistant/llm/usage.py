"""Per-run accounting of LLM use, from the API's own `usage` fields (never a local tokenizer:
tiktoken downloads its vocabulary at first use and fails offline)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

if TYPE_CHECKING:  # annotations only: LangChain is imported when a model is configured
    from langchain_core.messages import BaseMessage

# why items got no answer, in the order the summary lists them (backend.FailureCause values)
CAUSES_ZH = {"timeout": "超时", "deadline": "超出运行时限", "http": "HTTP 错误", "bad_json": "JSON 无效",
             "connection": "连接失败", "other": "其他错误"}


class UsageReport(BaseModel):
    calls: int = 0  # HTTP requests that returned a response
    errors: int = 0  # requests that failed (timeout, 429, 5xx, ...), retried or not
    retries: int = 0
    repairs: int = 0  # second requests sent because the first answer failed validation
    failures: int = 0  # items given up (marked for a human)
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    seconds: float = 0.0  # wall time spent waiting for the endpoint (summed over threads)
    # per item: asked = items the model was asked about (cache hits included), answered = valid
    # answers (cache hits included), failed_by_cause = items with no answer, by FailureCause
    asked: int = 0
    answered: int = 0
    failed_by_cause: dict[str, int] = Field(default_factory=dict)

    @property
    def failed(self) -> int:
        return sum(self.failed_by_cause.values())

    def summary_zh(self) -> str:
        return (
            f"模型调用 {self.calls} 次（缓存命中 {self.cache_hits} 次，重试 {self.retries} 次，"
            f"格式修复 {self.repairs} 次，放弃 {self.failures} 项），"
            f"输入 {self.prompt_tokens} 个词元，输出 {self.completion_tokens} 个词元，耗时 {self.seconds:.1f} 秒"
        )

    def items_zh(self) -> str:
        """The run's closing line: items asked, answered, failed by cause."""
        line = f"模型评审：请求 {self.asked} 项，答复 {self.answered} 项（其中缓存 {self.cache_hits} 项），失败 {self.failed} 项"
        if self.failed:
            causes = "、".join(f"{label} {self.failed_by_cause[c]} 项" for c, label in CAUSES_ZH.items()
                              if self.failed_by_cause.get(c))
            line += f"（{causes}；失败的项目已保留规则结果并标记需人工复核，重新运行时将再次请求）"
        return line + f"；HTTP 请求 {self.calls + self.errors} 次。"


def tokens_of(message: BaseMessage) -> tuple[int, int, int]:
    """(prompt, completion, total) tokens as reported by the endpoint; zeros when it reports none."""
    meta = getattr(message, "usage_metadata", None)
    if meta:
        return int(meta.get("input_tokens", 0)), int(meta.get("output_tokens", 0)), int(meta.get("total_tokens", 0))
    usage = (message.response_metadata or {}).get("token_usage") or (message.response_metadata or {}).get("usage")
    if usage:
        p, c = int(usage.get("prompt_tokens", 0) or 0), int(usage.get("completion_tokens", 0) or 0)
        return p, c, int(usage.get("total_tokens", p + c) or 0)
    return 0, 0, 0


class UsageMeter:
    """Thread-safe counters; `report()` gives a snapshot."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._r = UsageReport()

    def response(self, message: BaseMessage | None, seconds: float) -> None:
        p, c, t = tokens_of(message) if message is not None else (0, 0, 0)
        with self._lock:
            self._r.calls += 1
            self._r.prompt_tokens += p
            self._r.completion_tokens += c
            self._r.total_tokens += t
            self._r.seconds += seconds

    def error(self, seconds: float, retried: bool) -> None:
        with self._lock:
            self._r.errors += 1
            self._r.retries += int(retried)
            self._r.seconds += seconds

    def item(self, status: str, cause: str | None) -> None:
        """One item's outcome, counted when it is handed to the caller."""
        if status == "disabled":
            return
        with self._lock:
            self._r.asked += 1
            if status in ("ok", "cached"):
                self._r.answered += 1
            else:
                self._r.failures += 1
                key = str(cause or "other")
                self._r.failed_by_cause[key] = self._r.failed_by_cause.get(key, 0) + 1

    def bump(self, field: str) -> None:
        with self._lock:
            setattr(self._r, field, getattr(self._r, field) + 1)

    def report(self) -> UsageReport:
        with self._lock:
            return self._r.model_copy(deep=True)
