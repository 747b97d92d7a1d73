"""Reading ledger cell text into dates, counts and yes/no values, as reviewers actually type them."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from core.textnorm import normalize
from indicators.cntext import find_dates

_COMPACT = re.compile(r"^(?P<y>(?:19|20)\d\d)(?P<m>\d\d)(?P<d>\d\d)$")
_EXCEL_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(text: str, default_year: int | None = None) -> dt.date | None:
    """A ledger cell's date: whatever indicators.cntext.find_dates reads (2023-01-31, 2023/1/31,
    2023.1.31, 2023年1月31日, with a time after it, 1月31日 given the year), plus what only
    spreadsheets produce: 20230131, and an Excel day serial (a parser that lost the cell format)."""
    s = unicodedata.normalize("NFKC", text).strip()  # keep spaces: "2023-01-31 08:30" must not fuse
    if not s:
        return None
    hits = find_dates(s, default_year)
    if hits:
        return hits[0].value
    m = _COMPACT.match(s)
    if m:
        try:
            return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            return None
    if _EXCEL_SERIAL.match(s):
        serial = int(float(s))
        if 20000 <= serial <= 80000:  # 1954..2119: a plausible date, not a count
            return _EXCEL_EPOCH + dt.timedelta(days=serial)
    return None


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9, "十": 10}
_NONE_WORDS = {"", "无", "否", "-", "—", "/", "0", "未催办", "没有"}


def parse_count(text: str) -> int | None:
    """"2", "2次", "两次", "催办3次", "无" -> 0; None when nothing count-like is there."""
    s = normalize(text)
    if s in _NONE_WORDS:
        return 0
    m = re.search(r"\d+", s)
    if m:
        return int(m.group())
    m = re.search(r"([一二两三四五六七八九十])次", s)
    if m:
        return _CN_DIGITS[m.group(1)]
    return None


_NO_EXACT = {"否", "无", "×", "✗", "✘", "n", "no", "false", "0", "没有"}
_NO_PREFIX = ("未", "不", "否", "没")
_NO_ANYWHERE = ("逾期", "超期", "未按", "未完成", "未报备", "未整改", "未办结")
_YES_EXACT = {"是", "有", "√", "✓", "✔", "y", "yes", "true", "1"}
_YES_PREFIX = ("是", "已", "按期", "按时", "完成")
_YES_ANYWHERE = ("已完成", "已报备", "已整改", "已办结", "按期", "已备案")


def parse_flag(text: str) -> bool | None:
    """是/已报备/按期/√ -> True; 否/未报备/逾期/×/无 -> False; empty or anything else -> None.

    Negative forms are tested first: "未完成" contains "完成", "不按期" contains "按期".
    """
    s = normalize(text).lower()
    if not s:
        return None
    if s in _NO_EXACT or s.startswith(_NO_PREFIX) or any(w in s for w in _NO_ANYWHERE):
        return False
    if s in _YES_EXACT or s.startswith(_YES_PREFIX) or any(w in s for w in _YES_ANYWHERE):
        return True
    return None


def cn_date(d: dt.date) -> str:
    """A date as UI text: 2023年1月31日."""
    return f"{d.year}年{d.month}月{d.day}日"
