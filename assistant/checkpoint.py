"""Checkpoints: an interrupted screening run resumes where it stopped.

Each finished finding is appended to `<workspace>/checkpoints/<unit>.jsonl` with a fingerprint of
everything that produced it (the item, the baseline, the rule checks, the passages, the model).
On the next run an item whose fingerprint is unchanged is taken from the file; anything changed is
recomputed. Appends are flushed and fsynced one by one, and a torn last line (the run was killed
mid-write) is ignored, so a crash loses at most the item in flight.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

from pydantic import BaseModel, ValidationError

from indicators.findings import Finding

ItemKey = tuple[str, int | None]


def fingerprint(*parts: object) -> str:
    """sha256 over JSON-serialisable parts (pydantic models are dumped first)."""
    def plain(p: object) -> object:
        if isinstance(p, BaseModel):
            return p.model_dump(mode="json")
        if isinstance(p, list | tuple):
            return [plain(x) for x in p]
        return p

    data = json.dumps([plain(p) for p in parts], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


class FindingCheckpoint:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._done: dict[ItemKey, tuple[str, Finding]] = {}
        self._load()

    @classmethod
    def for_unit(cls, workspace: Path, unit: str) -> FindingCheckpoint:
        from assistant.export import safe_dirname

        return cls(Path(workspace) / "checkpoints" / f"{safe_dirname(unit)}.jsonl")

    def _load(self) -> None:
        if not self.path.is_file():
            return
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                rec = json.loads(line)
                finding = Finding.model_validate(rec["finding"])
            except (json.JSONDecodeError, KeyError, TypeError, ValidationError):
                continue  # a torn or foreign line: recompute that item
            self._done[(rec["id"], rec["sub"])] = (rec["fingerprint"], finding)

    def get(self, key: ItemKey, fp: str) -> Finding | None:
        with self._lock:
            hit = self._done.get(key)
        return hit[1].model_copy(deep=True) if hit and hit[0] == fp else None

    def put(self, key: ItemKey, fp: str, finding: Finding) -> None:
        rec = {"id": key[0], "sub": key[1], "fingerprint": fp, "finding": finding.model_dump(mode="json")}
        line = json.dumps(rec, ensure_ascii=False) + "\n"
        with self._lock:
            with self.path.open("a", encoding="utf-8") as f:
                f.write(line)
                f.flush()
                os.fsync(f.fileno())
            self._done[key] = (fp, finding.model_copy(deep=True))

    def __len__(self) -> int:
        return len(self._done)
