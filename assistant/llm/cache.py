"""On-disk response cache: a re-run over unchanged evidence costs zero LLM calls.

Keyed by sha256(model identity + base_url + rendered messages + output schema), so any change to a
prompt template, a passage, the model or the schema misses. Only answers that passed validation
are stored; failures are retried on the next run.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel

if TYPE_CHECKING:  # annotations only: LangChain is imported when a model is configured
    from langchain_core.messages import BaseMessage

CACHE_FILE = "llm_cache.sqlite"


def cache_key(identity: str, messages: Sequence[BaseMessage], schema: type[BaseModel]) -> str:
    payload = {
        "identity": identity,
        "messages": [[m.type, m.content] for m in messages],
        "schema": schema.model_json_schema(),
    }
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


class ResponseCache:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, identity TEXT NOT NULL, "
                "schema TEXT NOT NULL, output TEXT NOT NULL, created TEXT NOT NULL)"
            )

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30)
        try:
            with db:  # commits on success
                yield db
        finally:
            db.close()

    def get(self, key: str) -> str | None:
        with self._lock, self._connect() as db:
            row = db.execute("SELECT output FROM responses WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put(self, key: str, identity: str, schema: type[BaseModel], output: str) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock, self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?)",
                (key, identity, schema.__name__, output, now),
            )

    def __len__(self) -> int:
        with self._lock, self._connect() as db:
            return db.execute("SELECT COUNT(*) FROM responses").fetchone()[0]
