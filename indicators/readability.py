"""A documented readability measure for Chinese policy interpretations (3.1 sub 3, 深入浅出、通俗易懂).

Four measures, each with a threshold calibrated on rich vs thin interpretations written for the tests
(tests/rules/test_interpretation.py; figures in docs/rules-requests-interpretations.md):

- mean sentence length in characters (a sentence ends at 。！？!? or a line break; ；does not end it,
  because clause-chained 公文 sentences are exactly what is hard to follow when read aloud);
- share of long sentences (> 50 characters);
- share of rare characters: Chinese characters outside a 3,500-character common set. The set is
  DERIVED, not the official 《通用规范汉字表》一级字表: the 3,500 most frequent GB2312 characters, with
  each character weighted by the frequencies of the jieba dictionary words that contain it
  (`derive_common_chars`, shipped as data/common_chars_3500.txt);
- jargon density: occurrences per 1,000 characters of a small curated list of 公文 set phrases
  (data/jargon_terms.txt), longest match first, non-overlapping.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

COMMON_CHARS_FILE = "common_chars_3500.txt"
JARGON_FILE = "jargon_terms.txt"
LONG_SENTENCE_CHARS = 50


@dataclass(frozen=True)
class Thresholds:
    max_mean_sentence: float = 35.0
    max_long_share: float = 0.30
    max_rare_share: float = 0.02
    max_jargon_per_1000: float = 30.0


DEFAULT_THRESHOLDS = Thresholds()
_CJK = re.compile(r"[\u4e00-\u9fff]")
_COUNTED = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_SENT_END = re.compile(r"[。！？!?\n]+")


def _data(name: str) -> str:
    return resources.files("indicators.data").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def common_chars() -> frozenset[str]:
    return frozenset(_data(COMMON_CHARS_FILE).strip())


@lru_cache(maxsize=1)
def jargon_pattern() -> re.Pattern[str]:
    terms = [t.strip() for t in _data(JARGON_FILE).splitlines() if t.strip() and not t.startswith("#")]
    return re.compile("|".join(re.escape(t) for t in sorted(set(terms), key=len, reverse=True)))


def derive_common_chars(n: int = 3500) -> str:
    """Rebuild the common-character list from jieba's dictionary (see the module docstring)."""
    import jieba

    counts: Counter[str] = Counter()
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as fh:
        for line in fh:
            word, freq, *_ = line.split(" ")
            for ch in word:
                if _CJK.match(ch) and _in_gb2312(ch):
                    counts[ch] += int(freq)
    return "".join(ch for ch, _ in counts.most_common(n))


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@dataclass
class Readability:
    chars: int
    sentences: int
    mean_sentence: float
    long_share: float
    rare_share: float
    jargon_per_1000: float
    rare_chars: list[str] = field(default_factory=list)
    jargon: dict[str, int] = field(default_factory=dict)

    def failures(self, th: Thresholds = DEFAULT_THRESHOLDS) -> list[str]:
        """Chinese descriptions of the thresholds this text exceeds."""
        out = []
        if self.mean_sentence > th.max_mean_sentence:
            out.append(f"平均句长{self.mean_sentence:.1f}字，超过{th.max_mean_sentence:.0f}字")
        if self.long_share > th.max_long_share:
            out.append(f"超过{LONG_SENTENCE_CHARS}字的长句占{self.long_share:.0%}，超过{th.max_long_share:.0%}")
        if self.rare_share > th.max_rare_share:
            out.append(f"常用字以外的字占{self.rare_share:.1%}，超过{th.max_rare_share:.0%}")
        if self.jargon_per_1000 > th.max_jargon_per_1000:
            out.append(f"公文套话每千字{self.jargon_per_1000:.1f}处，超过{th.max_jargon_per_1000:.0f}处")
        return out

    def summary(self) -> str:
        return (f"共{self.chars}字、{self.sentences}句，平均句长{self.mean_sentence:.1f}字，"
                f"长句占{self.long_share:.0%}，常用字以外的字占{self.rare_share:.1%}，"
                f"公文套话每千字{self.jargon_per_1000:.1f}处")


def measure(text: str) -> Readability:
    lengths = [n for part in _SENT_END.split(text) if (n := len(_COUNTED.findall(part))) >= 4]
    cjk = _CJK.findall(text)
    common = common_chars()
    rare = [ch for ch in cjk if ch not in common]
    jargon = Counter(m.group() for m in jargon_pattern().finditer(text))
    n_chars = sum(lengths) or 1
    return Readability(
        chars=sum(lengths),
        sentences=len(lengths),
        mean_sentence=sum(lengths) / len(lengths) if lengths else 0.0,
        long_share=sum(n > LONG_SENTENCE_CHARS for n in lengths) / len(lengths) if lengths else 0.0,
        rare_share=len(rare) / len(cjk) if cjk else 0.0,
        jargon_per_1000=1000 * sum(jargon.values()) / n_chars,
        rare_chars=sorted(set(rare)),
        jargon=dict(jargon.most_common()),
    )
