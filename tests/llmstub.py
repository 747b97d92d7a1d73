"""A scriptable OpenAI-compatible chat-completions server (stdlib only) for tests.

Each test queues what the next requests get: an answer (delivered in whatever channel the request
asked for: tool call for `tools`, JSON content for `response_format`, SSE chunks for `stream`),
raw text (malformed or truncated JSON), HTTP faults (429/500 bursts) or a delay that outlasts the
client's timeout. Every request body is logged, so tests can assert on what was (not) sent.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

USAGE = {"prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150}


@dataclass
class Step:
    """One scripted response. `answer` is JSON-encoded into the request's channel; `text` is sent as is."""

    answer: Any = None
    text: str | None = None
    status: int = 200
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    usage: dict[str, int] | None = field(default_factory=lambda: dict(USAGE))


class StubLLM:
    def __init__(self) -> None:
        self.steps: deque[Step] = deque()
        self.requests: list[dict] = []
        self.default: Callable[[dict], Step] | None = None  # used when the queue is empty
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # --- scripting --------------------------------------------------------------------------------

    def answer(self, obj: Any, times: int = 1, **kw) -> StubLLM:
        for _ in range(times):
            self.steps.append(Step(answer=obj, **kw))
        return self

    def raw(self, text: str, **kw) -> StubLLM:
        self.steps.append(Step(text=text, **kw))
        return self

    def fail(self, status: int, times: int = 1, retry_after: float | None = None) -> StubLLM:
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        for _ in range(times):
            self.steps.append(Step(status=status, headers=headers))
        return self

    def hang(self, seconds: float, times: int = 1) -> StubLLM:
        for _ in range(times):
            self.steps.append(Step(answer={}, delay=seconds))
        return self

    @property
    def base_url(self) -> str:
        assert self._server is not None, "stub not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    @property
    def calls(self) -> int:
        with self._lock:
            return len(self.requests)

    def reset(self) -> None:
        with self._lock:
            self.steps.clear()
            self.requests.clear()
            self.default = None

    # --- serving ----------------------------------------------------------------------------------

    def start(self) -> StubLLM:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                stub._serve(self, body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _next(self, body: dict) -> Step:
        with self._lock:
            self.requests.append(body)
            if self.steps:
                return self.steps.popleft()
        if self.default is not None:
            return self.default(body)
        return Step(status=500, text='{"error": {"message": "stub: no scripted response"}}')

    def _serve(self, handler: BaseHTTPRequestHandler, body: dict) -> None:
        step = self._next(body)
        if step.delay:
            time.sleep(step.delay)
        try:
            if step.status != 200:
                payload = (step.text or json.dumps({"error": {"message": f"stub fault {step.status}"}})).encode()
                self._send(handler, step.status, "application/json", payload, step.headers)
            elif body.get("stream"):
                self._send_stream(handler, body, step)
            else:
                self._send(handler, 200, "application/json", json.dumps(self._completion(body, step)).encode())
        except (BrokenPipeError, ConnectionResetError):  # the client timed out and left
            pass

    @staticmethod
    def _content(step: Step) -> str:
        return step.text if step.text is not None else json.dumps(step.answer, ensure_ascii=False)

    def _completion(self, body: dict, step: Step) -> dict:
        content = self._content(step)
        if body.get("tools"):
            message = {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": body["tools"][0]["function"]["name"], "arguments": content},
                    }
                ],
            }
            finish = "tool_calls"
        else:
            message, finish = {"role": "assistant", "content": content}, "stop"
        out = {
            "id": f"stub-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "stub"),
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        }
        if step.usage is not None:
            out["usage"] = step.usage
        return out

    def _send_stream(self, handler: BaseHTTPRequestHandler, body: dict, step: Step) -> None:
        content = self._content(step)
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.end_headers()
        base = {"id": "stub-stream", "object": "chat.completion.chunk", "created": int(time.time()),
                "model": body.get("model", "stub")}
        pieces = [content[i : i + 8] for i in range(0, len(content), 8)]
        for i, piece in enumerate(pieces):
            delta = {"role": "assistant", "content": piece} if i == 0 else {"content": piece}
            chunk = {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
            handler.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
        final = {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
        if step.usage is not None:
            final["usage"] = step.usage
        handler.wfile.write(f"data: {json.dumps(final)}\n\ndata: [DONE]\n\n".encode())
        handler.wfile.flush()

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, ctype: str, data: bytes,
              headers: dict[str, str] | None = None) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", ctype)
        handler.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            handler.send_header(k, v)
        handler.end_headers()
        handler.wfile.write(data)


# --- scripted models for whole runs (`stub.default = ...`) --------------------------------------------

_MAX_POINTS = re.compile(r"本项分值：([0-9.]+) 分")
_PASSAGE = re.compile(r"\n\[(\d+)\] [^\n]*\n([^\n]+)")
_ITEM = re.compile(r"（编号 ([0-9.]+)）\n被考核单位：([^；\n]+)；[^\n]*\n本次评审范围：([^\n]+)")
LIE_QUOTE_CHARS = 12


def prompt_text(body: dict) -> str:
    return "\n".join(m["content"] for m in body.get("messages", []) if isinstance(m.get("content"), str))


def item_label(body: dict) -> str:
    """"<unit> <indicator id> <scope>": which checklist item a request is about."""
    m = _ITEM.search(prompt_text(body))
    return f"{m.group(2)} {m.group(1)} {m.group(3)}" if m else "?"


def real_quote(text: str, chars: int = LIE_QUOTE_CHARS) -> tuple[int, str] | None:
    """(passage number, its first `chars` characters) for the first passage long enough to quote."""
    for m in _PASSAGE.finditer(text):
        line = m.group(2).strip()
        if len(line) >= chars and "【" not in line[:chars]:
            return int(m.group(1)), line[:chars]
    return None


def lying_model(body: dict) -> Step:
    """Issue 17's attack: every item "met, full points", backed by one real, verifiable quote.

    Verbatim checking passes (the quote is in the passage); only the points ceiling stops it."""
    text = prompt_text(body)
    m = _MAX_POINTS.search(text)
    quote = real_quote(text)
    return Step(answer={
        "verdict": "met", "suggested_points": float(m.group(1)) if m else 100.0,
        "citations": [{"passage": quote[0], "quote": quote[1]}] if quote else [],
        "rationale": "材料已充分证明本项要求全部做到，应给满分。", "needs_human": False, "injection_detected": False,
    })
