"""What a free question asks: its content terms, the year it names, and the kind of answer it wants.

Matching runs on character bigrams of the normalised text (NFKC, no whitespace), weighted by how rare
each bigram is among the candidates (IDF): "新收" decides between the rows of table 三 where
"政府信息公开申请" cannot. Question words (多少, 是什么, 本年度 …) are dropped first, so a candidate is
scored on what the question is about, never on how it is phrased.

A slot is the kind of answer a question wants (a phone number, a postcode, a time of day, a 文号, a
number …): a candidate passage can only answer it if it holds a value of that kind (and, for the
specific slots, names it: a fax number is the number after 传真). No candidate with the value means
the material does not say.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from core.textnorm import normalize
from ingestion.tokenize import cut

# tokens that say how a question is asked, not what it is about
_STOP_WORDS = """
请问 请 问 是 有 的 了 吗 呢 吧 啊 么 在 为 按 以 于 和 与 及 其 该 本 这 那 这个 那个 此 共 共有 一共 总共 合计共
多少 几 几个 几件 几项 几次 几条 哪 哪些 哪个 哪几 哪几个 哪里 哪儿 哪天 哪一天 哪日 哪年 哪一年 何时 什么 是什么 什么时候
如何 怎么 怎样 怎么样 是否 有没有 有无 能否 可否 要 需 需要 应 应当 给 对 就 都 还 又 被 把 由 从 向 到
本年度 本年 今年 全年 年度 当年 年 本单位 该单位 单位 本机关 机关 材料 这份 那份 里 中 内 上 下
件 个 条 项 次 份 篇 名 人 家 数 数量 情况 分别 具体 一下 说 写 写明 载明 提到 提及 规定
"""
_STOP = frozenset(_STOP_WORDS.split())
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?:度)?")
_GRAM_CHARS = re.compile(r"[\w\u3400-\u9fff]")


def asked_year(question: str) -> int | None:
    """The year a question names ("2022年新收…"), if any."""
    m = _YEAR.search(normalize(question))
    return int(m.group(1)) if m else None


@lru_cache(maxsize=16384)  # bounded: a long-running UI answers many questions over many passages
def grams(text: str) -> frozenset[str]:
    """Character bigrams of the normalised text (within runs of word characters)."""
    norm = normalize(text)
    out: set[str] = set()
    run: list[str] = []
    for ch in [*norm, " "]:
        if _GRAM_CHARS.match(ch) and ch != "_":
            run.append(ch)
            continue
        out.update(a + b for a, b in pairwise(run))
        run = []
    return frozenset(out)


@lru_cache(maxsize=1024)
def question_grams(question: str) -> frozenset[str]:
    """The bigrams of what the question is about: question words and named years left out.

    Bigrams stay within jieba's words, except that a one-character word joins its neighbours ("新"+"收"):
    "收到申请" asks for 收到 and 申请, not for the "到申" that a clause saying "收到您的申请" lacks.
    """
    text = _YEAR.sub(" ", normalize(question))
    runs: list[list[str]] = [[]]
    for token in cut(text):
        if token in _STOP or not any(_GRAM_CHARS.match(ch) for ch in token):
            runs.append([])
        else:
            runs[-1].append(token)
    out: set[str] = set()
    for run in runs:
        for i, token in enumerate(run):
            out |= grams(token)
            if i + 1 < len(run) and (len(token) == 1 or len(run[i + 1]) == 1):
                out |= grams(token[-1] + run[i + 1][0])
    return frozenset(out)


def idf_weights(documents: Iterable[frozenset[str]]) -> dict[str, float]:
    """Smoothed IDF of each bigram over a set of candidate texts (as bigram sets)."""
    docs = list(documents)
    df: dict[str, int] = {}
    for d in docs:
        for g in d:
            df[g] = df.get(g, 0) + 1
    n = len(docs)
    return {g: math.log(1.0 + n / c) for g, c in df.items()}


def weight(gs: Iterable[str], idf: dict[str, float], unseen: float) -> float:
    return sum(idf.get(g, unseen) for g in gs)


# ---------------------------------------------------------------- slots

_PHONE = r"(?:\(?0\d{2,3}\)?[-—–－]{0,2}\d{7,8}(?:[-—–－]\d{1,5})?|1[3-9]\d{9}|(?<!\d)\d{7,8}(?!\d))"
_CN_NUM = "零一二两三四五六七八九十百千万"
_UNIT = "件条个次项份家人篇场期名所户天日月年元万元%"


@dataclass(frozen=True)
class Slot:
    name: str
    label: str  # Chinese, for "材料未提及……"
    asks: re.Pattern[str]  # in the question
    value: re.Pattern[str]  # in a candidate that answers
    marker: re.Pattern[str] | None = None  # a candidate must also name it (near the value)


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# most specific first: the first slot whose `asks` matches is the question's
SLOTS: Sequence[Slot] = (
    Slot("fax", "传真号码", _re(r"传真"), _re(_PHONE), _re(r"传真")),
    Slot("postcode", "邮政编码", _re(r"邮编|邮政编码"), _re(r"(?<!\d)\d{6}(?!\d)"), _re(r"邮编|邮政编码")),
    Slot("email", "电子邮箱", _re(r"邮箱|电子邮件|e-?mail|Email|EMAIL"), _re(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    Slot("url", "网址", _re(r"网址|网站地址|链接地址"), _re(r"(?:https?://|www\.)[\w./\-?=&%#]+")),
    Slot("phone", "联系电话", _re(r"电话|热线|联系方式"), _re(_PHONE), _re(r"电话|热线|联系方式")),
    Slot("docno", "文号", _re(r"文号|字号|发文字号"), _re(r"[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号")),
    Slot("hours", "办公时间", _re(r"(?:办公|受理|工作|接待|咨询|上班|服务|开放|查阅|投诉|接访)\w{0,4}时间|几点|上班"),
         _re(r"\d{1,2}\s*[:：]\s*\d{2}")),
    # a day is asked for: only a full date answers ("2024年4月底前" does not say which day)
    Slot("day", "日期", _re(r"日期|哪天|哪一天|哪日|几月几日|几号"),
         _re(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")),
    Slot("date", "时间", _re(r"何时|什么时候|落款|成文|签发|时间"),
         _re(r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")),
    Slot("deadline", "期限", _re(r"工作日|期限|多少天|几天|时限"), _re(r"\d+\s*个?\s*工作日|\d+\s*日内|\d+\s*天")),
    Slot("address", "地址", _re(r"地址|在哪|哪里|位置|地点|位于"),
         _re(r"[路街巷道]|大厦|大楼|\d+\s*号|\d+\s*室|院|楼"), _re(r"地址|地点|位于|场所")),
    Slot("number", "数字", _re(r"多少|几|数量|总数|金额|数额|比例|比率"),
         _re(rf"\d+(?:\.\d+)?|[{_CN_NUM}]+\s*[{_UNIT}]")),
)


def slot_of(question: str) -> Slot | None:
    q = normalize(question)
    return next((s for s in SLOTS if s.asks.search(q)), None)
