"""Tokens for BM25: jieba search-mode segmentation of normalised text, stopwords dropped.

Normalisation: NFKC (full-width digits/letters and Kangxi radicals fold to ordinary forms),
lower case, and whitespace between CJK characters removed (PDF line breaks fall inside words).
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata

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

_lock = threading.Lock()
_jieba = None


def _get_jieba():
    global _jieba
    with _lock:
        if _jieba is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            for word in DOMAIN_WORDS:
                jieba.add_word(word)
            _jieba = jieba
    return _jieba


def normalize_for_search(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return _SPACES.sub(" ", _CJK_GAP.sub("", text))


def tokenize(text: str) -> list[str]:
    jieba = _get_jieba()
    return [
        tok
        for tok in jieba.lcut_for_search(normalize_for_search(text))
        if tok not in STOPWORDS and _WORDLIKE.search(tok)
    ]
