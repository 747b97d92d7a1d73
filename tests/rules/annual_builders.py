"""Invented annual reports (香河县 bodies) built with DocBuilder, for the 1.1.9 rule tests.

Table 三 values are given as the six applicant columns per row; 总计, (七)总计 and 四 are derived so
that the base report satisfies every identity, and a test alters exactly what it wants to break.
"""

from __future__ import annotations

import datetime as dt

from core.document import DateKind, DocType, Document
from tests.docbuilder import DocBuilder

NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
COLS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]

# (label cells in the three label columns, row key)
T3_LAYOUT_2021 = [
    (["一、本年新收政府信息公开申请数量"] * 3, "1"),
    (["二、上年结转政府信息公开申请数量"] * 3, "2"),
    (["三、本年度办理结果", "（一）予以公开", "（一）予以公开"], "3.1"),
    (["三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"] * 1 + ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"], "3.2"),
    (["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"], "3.3.1"),
    (["三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开"], "3.3.2"),
    (["三、本年度办理结果", "（三）不予公开", "3.危及“三安全一稳定”"], "3.3.3"),
    (["三、本年度办理结果", "（三）不予公开", "4.保护第三方合法权益"], "3.3.4"),
    (["三、本年度办理结果", "（三）不予公开", "5.属于三类内部事务信息"], "3.3.5"),
    (["三、本年度办理结果", "（三）不予公开", "6.属于四类过程性信息"], "3.3.6"),
    (["三、本年度办理结果", "（三）不予公开", "7.属于行政执法案卷"], "3.3.7"),
    (["三、本年度办理结果", "（三）不予公开", "8.属于行政查询事项"], "3.3.8"),
    (["三、本年度办理结果", "（四）无法提供", "1.本机关不掌握相关政府信息"], "3.4.1"),
    (["三、本年度办理结果", "（四）无法提供", "2.没有现成信息需要另行制作"], "3.4.2"),
    (["三、本年度办理结果", "（四）无法提供", "3.补正后申请内容仍不明确"], "3.4.3"),
    (["三、本年度办理结果", "（五）不予处理", "1.信访举报投诉类申请"], "3.5.1"),
    (["三、本年度办理结果", "（五）不予处理", "2.重复申请"], "3.5.2"),
    (["三、本年度办理结果", "（五）不予处理", "3.要求提供公开出版物"], "3.5.3"),
    (["三、本年度办理结果", "（五）不予处理", "4.无正当理由大量反复申请"], "3.5.4"),
    (["三、本年度办理结果", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"], "3.5.5"),
    (["三、本年度办理结果", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"], "3.6.1"),
    (["三、本年度办理结果", "（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"], "3.6.2"),
    (["三、本年度办理结果", "（六）其他处理", "3.其他"], "3.6.3"),
    (["三、本年度办理结果", "（七）总计", "（七）总计"], "3.7"),
    (["四、结转下年度继续办理"] * 3, "4"),
]
RESULT_KEYS = [k for _, k in T3_LAYOUT_2021 if k.startswith("3.") and k != "3.7"]

# the six applicant columns of each directly reported row (invented figures)
BASE_T3: dict[str, list[int]] = {
    "1": [40, 6, 0, 0, 2, 1],
    "2": [3, 1, 0, 0, 0, 0],
    "3.1": [20, 3, 0, 0, 1, 0],
    "3.2": [2, 0, 0, 0, 0, 0],
    "3.3.4": [1, 0, 0, 0, 0, 0],
    "3.3.6": [2, 1, 0, 0, 0, 0],
    "3.4.1": [8, 1, 0, 0, 1, 0],
    "3.4.2": [1, 0, 0, 0, 0, 0],
    "3.5.1": [2, 0, 0, 0, 0, 0],
    "3.5.2": [1, 0, 0, 0, 0, 0],
    "3.6.1": [1, 0, 0, 0, 0, 0],
}


def t3_values(base: dict[str, list[int]] | None = None, carried: list[int] | None = None) -> dict[str, list[str]]:
    """All 25 rows x 7 columns as printed strings, consistent with every identity."""
    base = dict(BASE_T3 if base is None else base)
    if carried is not None:
        base["2"] = carried
    rows = {k: base.get(k, [0] * 6) for k in ["1", "2", *RESULT_KEYS]}
    rows["3.7"] = [sum(rows[k][i] for k in RESULT_KEYS) for i in range(6)]
    rows["4"] = [rows["1"][i] + rows["2"][i] - rows["3.7"][i] for i in range(6)]
    return {k: [str(v) for v in [*vals, sum(vals)]] for k, vals in rows.items()}


def t3_grid(values: dict[str, list[str]], layout=T3_LAYOUT_2021) -> list[list[str]]:
    header = [
        [NOTE] * 3 + ["申请人情况"] * 7,
        [NOTE] * 3 + ["自然人"] + ["法人或其他组织"] * 5 + ["总计"],
        [NOTE] * 3 + COLS,
    ]
    return header + [labels + values[key] for labels, key in layout]


T2_GRID = [
    ["第二十条第（一）项", "", "", ""],
    ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    ["规章", "0", "0", "0"],
    ["行政规范性文件", "2", "1", "15"],
    ["第二十条第（五）项", "", "", ""],
    ["信息内容", "本年处理决定数量", "", ""],
    ["行政许可", "120", "", ""],
    ["第二十条第（六）项", "", "", ""],
    ["信息内容", "本年处理决定数量", "", ""],
    ["行政处罚", "35", "", ""],
    ["行政强制", "3", "", ""],
    ["第二十条第（八）项", "", "", ""],
    ["信息内容", "本年收费金额（单位：万元）", "", ""],
    ["行政事业性收费", "1.2", "", ""],
]

T4_GRID = [
    ["行政复议"] * 5 + ["行政诉讼"] * 10,
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5,
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3,
    ["1", "0", "0", "0", "1", "0", "1", "0", "0", "1", "0", "0", "0", "0", "0"],
]

OVERVIEW = [
    "2023年，香河县交通运输局认真贯彻《中华人民共和国政府信息公开条例》，扎实做好政府信息公开工作。",
    "（一）主动公开。全年主动公开政府信息310条。",
    "（二）依申请公开。严格按照法定时限答复，全年未发生逾期答复。",
    "（三）政府信息管理。对拟公开信息逐条进行保密审查，动态更新公开目录。",
    "（四）政府信息公开平台建设。依托县政府门户网站信息公开专栏集中发布。",
    "（五）监督保障。将政务公开纳入年度考核，组织业务培训2次。",
]
IMPROVE_SPECIFIC = [
    "本年度存在的主要问题是政策解读形式较为单一，部分栏目更新不够及时。",
    "一是由办公室牵头，于2024年3月底前完成政府信息公开目录全面梳理，清理过期信息。",
    "二是每季度组织1次政务公开业务培训，覆盖全部股室信息员。",
    "三是对政策文件栏目实行周检查，发现逾期未更新的5个工作日内整改。",
]
IMPROVE_GENERIC = [
    "本年度政府信息公开工作仍存在一些不足。",
    "一是进一步加强组织领导，不断提高政务公开工作水平。",
    "二是持续推进政务公开标准化规范化建设。",
    "三是切实加强队伍建设，全面提升工作质量。",
]


def build_report(*, year: int = 2023, file: str | None = None, issuer: str = "香河县交通运输局",
                 t3: dict[str, list[str]] | None = None, t3_layout=T3_LAYOUT_2021, t2=None, t4=None,
                 narrative: list[str] | None = None, overview: list[str] | None = None,
                 improve: list[str] | None = None, parts: dict[int, str] | None = None,
                 skip_parts: tuple[int, ...] = (), published: dt.date | None = dt.date(2024, 1, 20),
                 date_kind: DateKind = DateKind.publication, extra: list[str] | None = None,
                 order: tuple[int, ...] = (1, 2, 3, 4, 5, 6)) -> Document:
    titles = {1: "一、总体情况", 2: "二、主动公开政府信息情况", 3: "三、收到和处理政府信息公开申请情况",
              4: "四、政府信息公开行政复议、行政诉讼情况", 5: "五、存在的主要问题及改进情况", 6: "六、其他需要报告的事项"}
    titles.update(parts or {})
    b = DocBuilder(file or f"{issuer}{year}年报.txt", DocType.annual_report, unit=issuer, year=year,
                   title=f"{issuer}{year}年政府信息公开工作年度报告", issuer=issuer)
    b.heading(f"{issuer}{year}年政府信息公开工作年度报告", level=0)
    for part in order:
        if part in skip_parts:
            continue
        b.heading(titles[part])
        if part == 1:
            for line in overview or OVERVIEW:
                b.para(line)
        elif part == 2:
            b.table(T2_GRID if t2 is None else t2, header_rows=2)
        elif part == 3:
            for line in narrative or []:
                b.para(line)
            b.table(t3_grid(t3 or t3_values(), t3_layout), header_rows=3)
        elif part == 4:
            b.table(T4_GRID if t4 is None else t4, header_rows=3)
        elif part == 5:
            for line in improve or IMPROVE_SPECIFIC:
                b.para(line)
        elif part == 6:
            b.para("本年度未收取信息处理费。")
    for line in extra or []:
        b.para(line)
    if published is not None:
        prefix = "发布日期：" if date_kind == DateKind.publication else ""
        b.date(date_kind, published, f"{prefix}{published.year}年{published.month}月{published.day}日")
    return b.build()
