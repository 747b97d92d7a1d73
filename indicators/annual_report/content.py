"""Content heuristics for 1.1.9 sub 2 ("内容不遗漏、不泛化，改进措施具有针对性、可操作性").

- Topics: the format note for 一、总体情况 lists five sub-topics (domain-rules.md 1.2); each is found
  by any of its keywords in that part. A 县级人民政府 must also report 工作考核、社会评议和责任追究结果.
- Specificity of 五、存在的主要问题及改进情况: each sentence is "concrete" when it carries a number, a
  date or time limit, or a named actor with a concrete action; "generic" when it carries a stock phrase
  (进一步加强, 不断提高, 持续推进, …) and nothing concrete; a statement of the problem itself (有待, 不足,
  存在, 滞后, … without an action verb) is neither. This is a documented heuristic, not a rule
  of the format: the rule reports it as a flag-bearing outcome for the reviewer.
- Copying: 五 against last year's 五, difflib ratio on the key form with digits folded (a copied
  section with the year changed still scores 1.0). >= COPY_THRESHOLD copied, >= SIMILAR_THRESHOLD
  flagged for a human (内容雷同 is named a fault in 30号 二(四)).
"""

from __future__ import annotations

import difflib
import re

from pydantic import BaseModel, Field

from core.textnorm import normalize

OVERVIEW_TOPICS: dict[str, tuple[str, ...]] = {
    "主动公开": ("主动公开",),
    "依申请公开": ("依申请公开", "政府信息公开申请"),
    "政府信息管理": ("政府信息管理", "信息管理", "公开属性", "保密审查", "源头管理", "动态更新"),
    "政府信息公开平台建设": ("平台建设", "公开平台", "政府网站", "公开专栏", "政务新媒体", "信息公开专栏"),
    "监督保障": ("监督保障", "监督", "考核", "培训", "社会评议", "责任追究"),
}
GOVERNMENT_TOPICS: dict[str, tuple[str, ...]] = {
    "工作考核": ("工作考核", "考核"),
    "社会评议": ("社会评议", "评议"),
    "责任追究": ("责任追究", "追究"),
}

GENERIC_PHRASES = ("进一步加强", "进一步提升", "进一步提高", "进一步完善", "进一步规范", "进一步强化", "不断提高",
                   "不断提升", "不断完善", "持续推进", "持续提升", "切实加强", "全面提升", "着力提升", "努力提高",
                   "稳步推进", "扎实推进", "高度重视", "积极推进", "大力推进")
_NUMBER = re.compile(r"\d|[一二三四五六七八九十两]+(?:次|个|项|期|场|名|人|批|轮|季度|月底|月份|周)")
_DATE = re.compile(r"\d{1,2}月|季度|月底|年底|年内|每月|每季|每周|日前|工作日")
_ACTOR = re.compile(r"(?:局|办|科|室|股|中心|委员会|小组|专班)")
# what makes a sentence look concrete without being so: the year of the plan ("2023年，我局将…"), a
# statute's title, the body speaking of itself (我局/本单位 is no named actor for a measure)
_NOT_CONCRETE = re.compile(r"(?:19|20)\d{2}\s*年度?|《[^》]*》|(?:我|本)(?:局|署|委|办|单位|部门|机关|中心|镇|乡|街道|区|县)")
_ACTION = re.compile(r"制定|印发|修订|出台|建立|上线|开通|开展|组织|举办|培训|整改|清理|更新|核查|编制|设立|配备|完成")
_PROBLEM = re.compile(r"有待|不够|不足|欠缺|存在|滞后|薄弱|单一|不及时|不到位|不平衡")
_MEASURE_SPLIT = re.compile(r"[。；;！!\n]|(?=[一二三四五六七八九十]是)")

COPY_THRESHOLD = 0.8
SIMILAR_THRESHOLD = 0.6
MIN_CONCRETE = 2  # concrete sentences needed for "specific"
MIN_CONCRETE_SHARE = 0.5


def topics_missing(text: str, topics: dict[str, tuple[str, ...]]) -> list[str]:
    norm = normalize(text)
    return [name for name, words in topics.items() if not any(w in norm for w in words)]


class SpecificityResult(BaseModel):
    concrete: list[str] = Field(default_factory=list)
    generic: list[str] = Field(default_factory=list)
    neutral: int = 0

    @property
    def share(self) -> float:
        n = len(self.concrete) + len(self.generic)
        return len(self.concrete) / n if n else 0.0

    @property
    def verdict(self) -> str:
        """"specific", "generic" (no concrete sentence at all) or "mixed"."""
        if len(self.concrete) >= MIN_CONCRETE and self.share >= MIN_CONCRETE_SHARE:
            return "specific"
        if not self.concrete:
            return "generic"
        return "mixed"


def is_concrete(sentence: str) -> bool:
    sentence = _NOT_CONCRETE.sub("", sentence)
    if _NUMBER.search(sentence) or _DATE.search(sentence):
        return True
    return bool(_ACTOR.search(sentence) and _ACTION.search(sentence))


def specificity(text: str) -> SpecificityResult:
    result = SpecificityResult()
    for raw in _MEASURE_SPLIT.split(text):
        s = normalize(raw)
        if len(s) < 6:
            continue
        if _PROBLEM.search(s) and not _ACTION.search(s):
            result.neutral += 1  # a statement of the problem ("…有待进一步加强"), not a measure
        elif is_concrete(s):
            result.concrete.append(s)
        elif any(p in s for p in GENERIC_PHRASES):
            result.generic.append(s)
        else:
            result.neutral += 1
    return result


def _copy_form(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"[^\w]|_", "", normalize(text)))


def similarity(a: str, b: str) -> float:
    """difflib ratio of two passages on their key form (punctuation dropped, digits folded)."""
    x, y = _copy_form(a), _copy_form(b)
    if not x or not y:
        return 0.0
    return difflib.SequenceMatcher(None, x, y, autojunk=False).ratio()
