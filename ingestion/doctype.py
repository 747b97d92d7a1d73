"""Document type from the parsed text: weighted signals, a winner, and how sure we are.

Signals come from four places, weighted by how much each says about THIS document:
- the document's names: its title, the last segment of the page's breadcrumb (当前位置：…>政府信息公开指南),
  a 公文目录/栏目 field (公文目录：政策问答) and the file name the unit gave it;
- its structure: the six parts and table labels of an annual report, a column's dated list entries,
  the 61号 column names of a 政府信息公开 column, the salutation and closing of a letter;
- content cues of the real portal pages each type comes from (a guide's 受理机构/申请的提出/办理时限,
  an org page's 主要职责/内设机构, a normative list's 文号 entries with 现行有效/失效/废止, a notice's
  补正/延长答复期限);
- the file type (a spreadsheet is a ledger; an HTML page or a screenshot is at least a web page).

The type with the highest total wins. Confidence = (best - runner-up) / best, scaled down when the
best total is small (a page recognised only as "a web page" is not a confident classification).
Below LOW_CONFIDENCE the reviewer is asked to confirm the type; nothing downstream silently drops an
item for want of a document type (assistant.review). Signal labels are Chinese, shown in the UI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from core.document import DOC_TYPE_LABELS, DOC_TYPE_LOW_CONFIDENCE, BlockKind, DocType, Document
from core.textnorm import normalize, normalize_long

LOW_CONFIDENCE = DOC_TYPE_LOW_CONFIDENCE  # below it the type is "待确认"; gated items are flagged for a human
FULL_WEIGHT = 6  # a best total at or above this is not scaled down

SIX_HEADINGS = ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"]
ANNUAL_TABLE_LABELS = ["本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "结转下年度继续办理",
                       "本年制发件数", "本年处理决定数量"]
_IMAGE_TYPES = ("png", "jpg", "gif", "bmp", "tiff", "webp")
_PAGE_TYPES = ("html", "mht", *_IMAGE_TYPES)

_WENHAO = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[【（(](?:19|20)\d\d[〕\]】）)]\d+号")
# "·香河县人民政府2023年政府信息公开工作年度报告 2024-01-26": one entry of a column's document list
_LISTING_LINE = re.compile(
    r"(?m)^\s*[·•●◆▪\-：:]?\s*[^\s：:][^：:\n]{4,80}?[ \t　]+\[?(?:19|20)\d{2}[-./年]\d{1,2}[-./月]\d{1,2}日?\]?[ \t]*$")
_ENDS_WITH_DATE = re.compile(r"(?:19|20)\d{2}[-./年]\d{1,2}[-./月]\d{1,2}日?\]?$")
_BREADCRUMB = re.compile(r"(?:当前位置|您的位置|您现在的位置|所在位置)\s*[:：]?\s*([^\n]{0,200})")
_CATALOGUE_FIELD = re.compile(r"(?:公文目录|所属栏目|栏目|主题分类|信息分类|目录)\s*[:：]\s*([\u4e00-\u9fff]{2,12})")

# names (title, breadcrumb, catalogue field, file name) that say what the document is; NFKC, no spaces
NAME_PATTERNS: list[tuple[DocType, re.Pattern[str], str]] = [
    (DocType.request_notice,
     re.compile(r"补正(申请)?(告知|通知)|延期(答复)?(告知|通知)|延长(答复)?期限(告知|通知)|告知补正"), "补正/延期告知书"),
    (DocType.ledger, re.compile(r"台账|登记表|统计表|花名册"), "台账"),  # "依申请公开办理台账" is a ledger
    (DocType.disclosure_guide,
     re.compile(r"(政府)?信息公开(工作)?指南|依申请公开(指南|须知|说明|流程)|(政府)?信息公开申请(指南|须知|说明|流程)"
                r"|受理(政府)?信息公开申请|申请(政府)?信息公开(须知|说明|流程)|申请公开政府信息(须知|说明|流程)"),
     "政府信息公开指南"),
    (DocType.org_info,
     re.compile(r"机构(概况|简介|职能|设置|信息|介绍)|内设机构|下设机构|(主要|部门|工作|机关)职责|职能职责|领导(信息|简介|分工|之窗|班子)"
                r"|单位(概况|简介)|部门概况|(局|委|办)领导$"), "机构信息"),
    (DocType.normative_list,
     re.compile(r"^(行政)?规范性文件$|规范性文件(清理|目录|清单|列表|栏目|专栏|库|汇编|公布|截图|备案目录)"
                r"|(清理|废止|失效|有效).{0,12}规范性文件(目录|清单|名单|的决定)?$"), "规范性文件目录"),
    (DocType.column_page,
     re.compile(r"栏目|专栏|信息公开(目录|平台)?$|法定主动公开内容$|(政府)?信息公开年报$|信息公开制度$"),
     "信息公开栏目"),
    (DocType.policy_interpretation, re.compile(r"解读|一图读懂|图解|政策问答|答记者问|问答$"), "政策解读"),
    (DocType.annual_report, re.compile(r"年度报告|信息公开年报"), "年度报告"),
    (DocType.request_reply, re.compile(r"答复(书|函)?$|答复告知书|申请(的)?答复|依申请公开.{0,4}答复|告知书$"),
     "答复书"),
    (DocType.policy_document,
     re.compile(r"关于印发|通知$|意见$|办法$|规定$|实施方案$|细则$|决定$|预案$|规划$"), "政策文件名称"),
]
NAME_WEIGHTS = {"title": 6, "breadcrumb": 5, "catalogue": 5, "file": 3}
NAME_LABELS = {"title": "标题", "breadcrumb": "页面位置", "catalogue": "所属目录", "file": "文件名"}

# content cues of each type; (type, pattern on the normalised head/body, weight, label)
GUIDE_CUES = re.compile(r"受理机构|申请的提出|申请的处理|提出申请|申请方式|申请渠道|政府信息公开申请表|依申请公开|获取方式|"
                        r"主动公开|办理时限|(\d+|二十|十五)个工作日内|收费|信息处理费|监督(和|与)救济|监督方式|编排体系")
ORG_CUES = re.compile(r"主要职责|内设机构|下设机构|机构设置|职能配置|机构规格|工作职责|职责(是|为|如下)|"
                      r"科室负责人|(局长|主任|负责人)[:：]|办公地址|办公时间|联系电话|办公电话")
NOTICE_CUES = re.compile(r"延长答复期限|延期答复|答复期限延长|延长\d+个工作日|补正|更改、补充|补充(申请)?材料|"
                         r"视为放弃|逾期未补正|特此告知")
VALIDITY_WORDS = re.compile(r"现行有效|继续有效|已?失效|已?废止|部分失效|有效性")
OPENNESS_COLUMN_NAMES = ("信息公开指南", "信息公开制度", "法定主动公开内容", "信息公开年报", "依申请公开",
                         "政府信息公开目录", "信息公开年度报告")
INTERPRETATION_CUES = re.compile(r"解读如下|起草背景|出台背景|制定背景|起草依据|出台依据|起草过程|名词解释|关键词诠释|"
                                 r"政策解读[:：]|答[:：]")
REPORT_PREAMBLE = re.compile(r"本(年度)?报告(根据|依据|是根据|由).{0,40}(政府信息公开条例|条例)|年度报告(由|根据).{0,20}(组成|编制)")
POLICY_BODY = re.compile(r"现(将|予)?印发给你们|(认真|请)(贯彻|遵照)执行|经.{0,20}(同意|研究)，现")


@dataclass
class Signal:
    doc_type: DocType
    weight: int
    label: str


@dataclass(frozen=True)
class Classification:
    doc_type: DocType
    confidence: float
    signals: list[str] = field(default_factory=list)  # why doc_type won, "label（+w）"
    runner_up: DocType | None = None

    @property
    def low(self) -> bool:
        return self.confidence < LOW_CONFIDENCE


def breadcrumb(main: str) -> list[str]:
    """The page's location path (当前位置：首页>政府信息公开>政府信息公开指南), segments in order."""
    m = _BREADCRUMB.search(main[:3000])
    if not m:
        return []
    parts = [normalize(p) for p in re.split(r"[>＞»›/→]|&gt;", m.group(1))]
    return [p for p in parts if p and len(p) <= 30]


def _names(doc: Document, title: str | None) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if title:
        out.append(("title", normalize(title)))
    crumb = breadcrumb(doc.main_text)
    if crumb:
        out.append(("breadcrumb", crumb[-1]))
    m = _CATALOGUE_FIELD.search(doc.main_text[:3000])
    if m:
        out.append(("catalogue", normalize(m.group(1))))
    stem = PurePosixPath(doc.file.replace("\\", "/")).stem if doc.file else ""
    if stem:
        out.append(("file", normalize(stem)))
    return out


def type_signals(doc: Document, title: str | None) -> list[Signal]:
    main = doc.main_text
    body = normalize_long(main[:60000])
    head = body[:3000]
    full = normalize_long(doc.text[:80000])  # with the site navigation (column menus)
    out: list[Signal] = []

    def add(kind: DocType, weight: int, label: str) -> None:
        out.append(Signal(kind, weight, label))

    is_page = doc.file_type in _PAGE_TYPES
    if doc.file_type in ("xlsx", "csv", "xls"):
        add(DocType.ledger, 5, "文件为电子表格")
    if doc.file_type in ("html", "mht"):
        add(DocType.web_page, 2, "文件为网页")
    if doc.file_type in _IMAGE_TYPES:
        add(DocType.web_page, 1, "文件为截图")

    six = sum(1 for h in SIX_HEADINGS if normalize(h) in body)
    labels = [lab for lab in ANNUAL_TABLE_LABELS if lab in body]
    listed = len(_LISTING_LINE.findall(main[:20000]))
    norm_title = normalize(title or "")

    # --- names
    for source, name in _names(doc, title):
        for kind, pattern, label in NAME_PATTERNS:
            if not pattern.search(name):
                continue
            weight = NAME_WEIGHTS[source]
            if kind == DocType.annual_report:
                # a page or screenshot naming a report without the report's own structure is a column
                # listing it (the title is a list entry "…年度报告 2024-01-26")
                listing_like = listed >= 1 or _ENDS_WITH_DATE.search(name)
                if is_page and six < 3 and not labels and listing_like:
                    weight = 1
                elif "政府信息公开" not in name and source == "title":
                    weight = 4
            if kind == DocType.policy_document and source == "title":
                weight = 4 if re.search(r"关于.{2,}的(通知|决定|意见|批复|函)$|关于印发", name) else 2
            if kind == DocType.request_reply and source == "title" and "告知书" in name:
                weight = 4
            if kind == DocType.column_page and source == "breadcrumb" and len(name) <= 2:
                continue
            if kind in (DocType.column_page, DocType.normative_list) and source == "breadcrumb":
                # an article's breadcrumb ends with the column it sits in: a document inside the
                # 规范性文件 column is a policy document, not the list
                weight = 3
            add(kind, weight, f"{NAME_LABELS[source]}为“{name[:24]}”（{label}）")
            break  # one type per name: the patterns are ordered from the most specific
    crumb = breadcrumb(main)
    if len(crumb) >= 2 and any("信息公开" in p for p in crumb[:-1]):
        add(DocType.column_page, 1, "页面位于政府信息公开栏目下")  # where the page sits, not what it is

    # --- structure
    if listed >= 2 and doc.file_type not in ("xlsx", "csv", "xls"):  # a column listing documents with dates
        add(DocType.column_page, 6, f"栏目列表页（{listed} 条带日期的条目）")
    columns = [c for c in OPENNESS_COLUMN_NAMES if c in full]
    if len(columns) >= 3:
        # the column menu of a short page says what the page is; in a long text it is the page's chrome
        short = len(normalize(main)) < 1500
        add(DocType.column_page, 3 if short else 1, f"含信息公开栏目名称（{'、'.join(columns[:4])}）")
    if six >= 3:
        add(DocType.annual_report, six, f"含年度报告格式的 {six} 个部分标题")
    if labels:
        add(DocType.annual_report, 3, f"含年度报告表格项目“{labels[0]}”")
    if REPORT_PREAMBLE.search(head):
        add(DocType.annual_report, 3, "开头说明本报告依据条例编制")
    salutation = _salutation(doc)
    if salutation == "person" or "您(单位)于" in head or "你(单位)于" in head:
        add(DocType.request_reply, 3, "以申请人称呼开头")
    elif salutation == "bodies":
        add(DocType.policy_document, 1, "有主送机关")
    if re.search(r"(您|你).{0,8}于.{0,20}(提出|提交|申请)", head):
        add(DocType.request_reply, 2, "提及申请人提出申请")
    if "特此答复" in body:
        add(DocType.request_reply, 2, "含“特此答复”")
    elif "特此告知" in body:  # notices and refusal letters alike
        add(DocType.request_reply, 1, "含“特此告知”")
    if _WENHAO.search(head) and not re.search(r"答复|告知", norm_title):
        add(DocType.policy_document, 1, "开头有文号")
    wenhao_lines = sum(1 for line in main[:20000].split("\n") if _WENHAO.search(line))
    validity = len(VALIDITY_WORDS.findall(body))
    listed_norms = (wenhao_lines >= 3 and validity >= 2) or (validity >= 3 and "清理" in body)
    if "规范性文件" in body and six < 3 and not labels and listed_norms:
        add(DocType.normative_list, 4, f"列出规范性文件并标注有效性（{validity} 处）")

    # --- content cues
    guide = set(GUIDE_CUES.findall(head + body[3000:8000]))
    if len(guide) >= 3:
        add(DocType.disclosure_guide, min(len(guide), 5), f"含指南内容（{len(guide)} 类：受理机构、申请方式等）")
    org = {m.group(0) for m in ORG_CUES.finditer(body[:8000])}
    named = {x.doc_type for x in out if x.label.startswith(tuple(NAME_LABELS.values()))}
    # a guide states its office's address, hours and duties too: those are guide content there
    if len(org) >= 2 and DocType.disclosure_guide not in named and len(guide) < 3 and ("主要职责" in org or "内设机构" in org or "机构设置" in org or "科室负责人" in org):
        add(DocType.org_info, min(len(org) + 1, 5), f"含机构信息（{'、'.join(sorted(org)[:4])}）")
    notice = {m.group(0) for m in NOTICE_CUES.finditer(body)}
    if len(notice) >= 2 and not re.search(r"答复书$", norm_title):
        add(DocType.request_notice, 3, f"含告知要素（{'、'.join(sorted(notice)[:3])}）")
    if INTERPRETATION_CUES.search(head) and six < 3:
        add(DocType.policy_interpretation, 2, "正文含解读要素（背景/问答）")
    if POLICY_BODY.search(body[:5000]):
        add(DocType.policy_document, 2, "正文为印发/执行要求")
    return out


_SALUTATION = re.compile(r"^[^。；：:\s]{1,40}[:：]$")
_ADDRESSED_BODIES = re.compile(r"^各|人民政府|部门|单位|直属机构|委员会|[局委办厅]$")


def _salutation(doc: Document) -> str | None:
    """The addressee line near the start ("李四：" -> person; "各乡镇人民政府：" -> bodies, a 主送机关)."""
    for block in doc.blocks[:8]:
        line = doc.text[block.start:block.end].strip()
        if block.kind == BlockKind.navigation:
            break
        if block.kind == BlockKind.table or "。" in line or len(line) > 41:
            break  # the body has begun: no addressee line
        if _SALUTATION.match(line) and "如下" not in line:
            name = line[:-1]
            if name.startswith(("申请人", "尊敬的")):
                return "person"
            return "bodies" if _ADDRESSED_BODIES.search(name) else "person"
    return None


def classify_document(doc: Document, title: str | None) -> Classification:
    signals = type_signals(doc, title)
    if not signals:
        return Classification(DocType.other, 0.0, ["无明确类型特征"])
    totals: dict[DocType, int] = {}
    for s in signals:
        totals[s.doc_type] = totals.get(s.doc_type, 0) + s.weight
    order = list(DocType)
    ranked = sorted(totals, key=lambda k: (-totals[k], order.index(k)))
    best = ranked[0]
    second = ranked[1] if len(ranked) > 1 else None
    b, s2 = totals[best], totals[second] if second else 0
    confidence = round((b - s2) / b * min(1.0, b / FULL_WEIGHT), 2)
    labels = [f"{s.label}（+{s.weight}）" for s in signals if s.doc_type == best]
    if second is not None:
        labels.append(f"次选：{DOC_TYPE_LABELS[second]}（{s2}）")
    return Classification(best, confidence, labels, second)


def doc_type_from_text(text: str) -> DocType:
    """A type named by its value (disclosure_guide) or its Chinese label (政府信息公开指南)."""
    t = text.strip()
    for kind in DocType:
        if t in (kind.value, DOC_TYPE_LABELS[kind]):
            return kind
    choices = "、".join(f"{k.value}（{DOC_TYPE_LABELS[k]}）" for k in DocType)
    raise ValueError(f"未知的材料类型“{t}”，可选：{choices}")


def parse_doc_type_option(spec: str) -> tuple[str, DocType]:
    """`FILE=TYPE` of the --doc-type option: the file as ingested (its name, or unit/name), and the type."""
    file, sep, kind = spec.rpartition("=")
    if not sep or not file.strip():
        raise ValueError(f"“{spec}”应写作 文件名=类型，如 指南.html=disclosure_guide")
    return file.strip(), doc_type_from_text(kind)
