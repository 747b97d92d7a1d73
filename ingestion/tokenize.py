"""Tokens for BM25: jieba search-mode segmentation of normalised text, stopwords dropped.

Normalisation: NFKC (full-width digits/letters and Kangxi radicals fold to ordinary forms),
lower case, and whitespace between CJK characters removed (PDF line breaks fall inside words).
"""

from __future__ import annotations

import array
import contextlib
import functools
import hashlib
import logging
import os
import re
import struct
import tempfile
import threading
import unicodedata
from pathlib import Path

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")
_WORDLIKE = re.compile(rf"[{_CJK}A-Za-z0-9]")

# Function words that carry no retrieval signal in 政务 texts.
_STOPWORDS_TEXT = (
    "的 了 和 与 及 以及 或 等 在 是 为 对 于 将 并 由 被 把 其 该 此 这 那 之 也 而 从 向 按 按照 根据 "
    "通过 进行 有关 相关 一个 一些 我们 我 你 他 她 它 所 以 则 就 都 又 但 如 若 因 因此 所以 "
    "什么 如何 怎么 哪些 是否 吗 呢 吧 啊 有 没有 中 上 下 个"
)
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

# Domain terms kept whole (search mode still also yields their sub-words).
DOMAIN_WORDS = (
    "政务公开", "政府信息公开", "依申请公开", "主动公开", "不予公开", "政策解读", "年度报告",
    "三公经费", "行政复议", "行政诉讼", "政府网站", "政务新媒体", "政府公报", "重大行政决策",
    "规范性文件", "工作日", "预决算", "部门预算", "部门决算", "行政处罚", "行政许可", "答复书",
    "告知书", "政民互动", "网上留言", "公开指南", "公开目录", "意见征集", "解读材料",
)

# bump when normalize_for_search or the filtering in tokenize() changes: stored query tokens are keyed by it
_VERSION = 1

_lock = threading.Lock()
_jieba = None


def _get_jieba():
    global _jieba
    with _lock:
        if _jieba is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            _load_prefix_dict(jieba)
            for word in DOMAIN_WORDS:
                jieba.add_word(word)
            _jieba = jieba
    return _jieba


# jieba keeps its prefix dictionary (~500,000 entries) in a marshal file that takes ~0.55 s to load;
# the same data as a word list and an int64 array loads in ~0.16 s. That difference is most of what a
# parse worker needs before its first job (issue 15: one report added to a screened workspace). Data
# only (no pickle): a tampered file can at worst mis-segment, and it lives in the user's own cache dir.
_DICT_FORMAT = b"zwgk-jieba-1\n"


def _dict_cache(jieba) -> Path | None:
    try:
        source = Path(jieba.__file__).with_name("dict.txt").stat()
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "zwgk"
    except (OSError, RuntimeError):  # no dictionary file; no home directory (a service account): no cache
        return None
    return base / f"jieba-{jieba.__version__}-{source.st_size}-{int(source.st_mtime)}.dict"


def _load_prefix_dict(jieba) -> None:
    """Give jieba's default tokenizer its prefix dictionary from our cache, writing the cache on a miss.
    Any problem falls back to jieba's own loading."""
    dt = jieba.dt
    if dt.initialized or dt.dictionary != jieba.DEFAULT_DICT:
        return
    path = _dict_cache(jieba)
    if path is None:
        return
    try:
        data = path.read_bytes()
        head, n, total = data[:len(_DICT_FORMAT)], *struct.unpack_from("<qq", data, len(_DICT_FORMAT))
        start = len(_DICT_FORMAT) + 16
        freqs = array.array("q")
        freqs.frombytes(data[start:start + 8 * n])
        words = data[start + 8 * n:].decode("utf-8").split("\n")
        if head != _DICT_FORMAT or len(words) != n or len(freqs) != n:
            raise ValueError("corrupt")
        with dt.lock:
            dt.FREQ, dt.total, dt.initialized = dict(zip(words, freqs, strict=True)), total, True
        return
    except (OSError, ValueError, UnicodeDecodeError, struct.error):
        pass
    dt.initialize()
    with contextlib.suppress(OSError, OverflowError):
        freqs = array.array("q", dt.FREQ.values())
        body = _DICT_FORMAT + struct.pack("<qq", len(freqs), dt.total) + freqs.tobytes()
        body += "\n".join(dt.FREQ).encode("utf-8")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".jieba-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(body)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def load_dictionary() -> None:
    """Load jieba's dictionary now rather than on the first segmentation."""
    _get_jieba().initialize()


def normalize_for_search(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return _SPACES.sub(" ", _CJK_GAP.sub("", text))


def tokenize(text: str) -> list[str]:
    """BM25 tokens of a text (chunks: computed once at ingest and stored with them)."""
    jieba = _get_jieba()
    return [
        tok
        for tok in jieba.lcut_for_search(normalize_for_search(text))
        if tok not in STOPWORDS and _WORDLIKE.search(tok)
    ]


# --- remembered segmentations -----------------------------------------------------------------------
# The screen segments the same catalog strings (queries, required elements) for every unit and on every
# run; remembered, they need no jieba in the reviewing process (its dictionary alone loads in ~0.6 s).
# The memo is per process; a workspace persists it (ingestion.store `segments`, keyed by
# tokenizer_identity()) so that a later run starts with it. Only short, catalog-derived strings are
# remembered (`remember=True` at the call): free questions and passages are segmented as they come.

QUERY, WORDS, SEARCH_WORDS = "query", "cut", "cut_for_search"
_MEMO_LIMIT = 50_000
_memo: dict[tuple[str, str], tuple[str, ...]] = {}
_unsaved: set[tuple[str, str]] = set()


def _remembered(mode: str, text: str, compute, remember: bool) -> list[str]:
    key = (mode, text)
    hit = _memo.get(key)
    if hit is not None:
        return list(hit)
    tokens = compute(text)
    if remember and len(_memo) < _MEMO_LIMIT:
        with _lock:
            _memo[key] = tuple(tokens)
            _unsaved.add(key)
    return tokens


def query_tokens(text: str, remember: bool = True) -> list[str]:
    """tokenize(text) for a retrieval query."""
    return _remembered(QUERY, text, tokenize, remember)


def cut(text: str, remember: bool = False) -> list[str]:
    """jieba.lcut with our dictionary (the domain words)."""
    return _remembered(WORDS, text, lambda t: _get_jieba().lcut(t), remember)


def cut_for_search(text: str, remember: bool = False) -> list[str]:
    """jieba.lcut_for_search with our dictionary (the domain words)."""
    return _remembered(SEARCH_WORDS, text, lambda t: _get_jieba().lcut_for_search(t), remember)


def preload(rows) -> None:
    """Remember segmentations persisted earlier: (mode, text, tokens) of this tokenizer_identity()."""
    with _lock:
        for mode, text, tokens in rows:
            if len(_memo) >= _MEMO_LIMIT:
                break
            _memo.setdefault((mode, text), tuple(tokens))


def take_unsaved() -> list[tuple[str, str, list[str]]]:
    """The segmentations remembered since the last call, to persist."""
    with _lock:
        out = [(mode, text, list(_memo[(mode, text)])) for mode, text in _unsaved]
        _unsaved.clear()
    return out


@functools.cache
def tokenizer_identity() -> str:
    """What the segmentations depend on besides their input (jieba's version and dictionary, our words and
    normalisation), hashed: segmentations stored under another identity are stale."""
    from importlib.metadata import version

    basis = "\n".join([str(_VERSION), version("jieba"), " ".join(DOMAIN_WORDS), _STOPWORDS_TEXT])
    return hashlib.sha256(basis.encode()).hexdigest()[:16]
