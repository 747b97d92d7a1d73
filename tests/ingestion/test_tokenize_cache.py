"""The tokenizer's two caches (issue 15): jieba's prefix dictionary in a fast flat file, and remembered
segmentations of catalog strings in the workspace. Neither may change a single token."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

from core.settings import Settings
from ingestion import tokenize
from ingestion.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
TEXT = "本机关2023年共收到政府信息公开申请42件，依申请公开答复均在法定期限内；政策解读材料与文件同步发布。"

_SEGMENT = f"""
import json, jieba
from ingestion import tokenize
print(json.dumps([tokenize.tokenize({TEXT!r}), tokenize.cut({TEXT!r}), jieba.dt.total, len(jieba.dt.FREQ)]))
"""

_PLAIN = f"""
import json, logging, jieba
jieba.setLogLevel(logging.WARNING)
from ingestion.tokenize import DOMAIN_WORDS, STOPWORDS, _WORDLIKE, normalize_for_search
for w in DOMAIN_WORDS:
    jieba.add_word(w)
toks = [t for t in jieba.lcut_for_search(normalize_for_search({TEXT!r})) if t not in STOPWORDS and _WORDLIKE.search(t)]
print(json.dumps([toks, jieba.lcut({TEXT!r}), jieba.dt.total, len(jieba.dt.FREQ)]))
"""


def _run(code: str, cache_home: Path) -> list:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home), "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120, check=True)
    return json.loads(out.stdout)


def test_prefix_dictionary_cache_is_written_then_used_and_segments_like_jieba(tmp_path):
    plain = _run(_PLAIN, tmp_path / "unused")
    first = _run(_SEGMENT, tmp_path)  # writes the cache
    cached = list((tmp_path / "zwgk").glob("jieba-*.dict"))
    assert len(cached) == 1 and cached[0].stat().st_size > 1_000_000
    assert cached[0].stat().st_mode & 0o077 == 0  # the user's own file
    second = _run(_SEGMENT, tmp_path)  # reads it
    assert first == second == plain


def test_a_damaged_cache_falls_back_to_jieba_and_is_rewritten(tmp_path):
    _run(_SEGMENT, tmp_path)
    (path,) = (tmp_path / "zwgk").glob("jieba-*.dict")
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])  # cut short, as by a full disk
    assert _run(_SEGMENT, tmp_path) == _run(_PLAIN, tmp_path / "unused")
    assert path.read_bytes() == good


def test_remembered_segmentations_persist_in_the_workspace_and_match_fresh_ones(tmp_path):
    query = f"政府信息公开工作年度报告按时发布{uuid.uuid4().hex}"  # not remembered yet by this process
    with Workspace(tmp_path / "ws", Settings(embedding_backend="none")):
        expected = tokenize.query_tokens(query)
        words = tokenize.cut(query, remember=True)
    with Workspace(tmp_path / "ws", Settings(embedding_backend="none")) as ws:
        rows = {(mode, text): tokens for mode, text, tokens in ws.db.segments(tokenize.tokenizer_identity())}
    assert rows[(tokenize.QUERY, query)] == expected == tokenize.tokenize(query)
    assert rows[(tokenize.WORDS, query)] == words


def test_no_home_directory_means_no_cache_not_an_error(monkeypatch):
    import jieba

    def no_home():
        raise RuntimeError("Could not determine home directory.")  # an arbitrary uid in a container

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert tokenize._dict_cache(jieba) is None
