"""Evidence for pipeline tests: a county's annual report, interpretation and reply, built in memory."""

from __future__ import annotations

import datetime as dt

from core.document import DateKind, DocType, Document
from tests.docbuilder import DocBuilder

UNIT = "香河县人民政府"


def table3_rows(new_natural: int = 40) -> list[list[str]]:
    """A consistent table 三 (2021 format) for a small county, every column summing."""
    header = ["项目", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    rows = {
        "一、本年新收政府信息公开申请数量": [new_natural, 2, 0, 0, 1, 0],
        "二、上年结转政府信息公开申请数量": [3, 0, 0, 0, 0, 0],
        "（一）予以公开": [20, 1, 0, 0, 1, 0],
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": [5, 0, 0, 0, 0, 0],
        "1.属于国家秘密": [0, 0, 0, 0, 0, 0],
        "1.本机关不掌握相关政府信息": [12, 1, 0, 0, 0, 0],
        "（七）总计": [37, 2, 0, 0, 1, 0],
        "四、结转下年度继续办理": [6, 0, 0, 0, 0, 0],
    }
    out = [header]
    for label, vals in rows.items():
        out.append([label, *[str(v) for v in vals], str(sum(vals))])
    return out


def annual_report(year: int = 2023, planted: str | None = None, table3: list[list[str]] | None = None) -> Document:
    b = DocBuilder(f"{UNIT}{year}年政府信息公开工作年度报告.pdf", DocType.annual_report, unit=UNIT, year=year,
                   title=f"{UNIT}{year}年政府信息公开工作年度报告", issuer=UNIT)
    b.heading(f"{UNIT}{year}年政府信息公开工作年度报告")
    b.heading("一、总体情况").para(
        f"{year}年，我县坚持以公开为常态，主动公开政府信息3216条。依申请公开方面，全年新收申请43件。"
        "政府信息管理方面，开展规范性文件清理。平台建设方面，优化政府信息公开专栏。监督保障方面，"
        "将政务公开纳入年度绩效考核，开展社会评议，未发生责任追究情况。")
    if planted:
        b.para(planted)
    b.heading("二、主动公开政府信息情况").para("本年制发行政规范性文件5件，现行有效38件。")
    b.heading("三、收到和处理政府信息公开申请情况").table(table3 or table3_rows())
    b.heading("四、政府信息公开行政复议、行政诉讼情况").para("本年度未发生政府信息公开行政复议、行政诉讼。")
    b.heading("五、存在的主要问题及改进情况").para(
        "存在的问题：部分单位政策解读形式单一。改进措施：2024年6月底前由县政务公开办组织图解解读培训2期，"
        "对12个乡镇逐一督导。")
    b.heading("六、其他需要报告的事项").para("本年度未收取信息处理费。")
    b.date(DateKind.publication, dt.date(year + 1, 1, 20), f"发布日期：{year + 1}年1月20日")
    return b.build()


def interpretation() -> Document:
    b = DocBuilder("关于青年就业创业措施的政策解读.html", DocType.policy_interpretation, unit=UNIT, year=2023,
                   title="《香河县支持青年就业创业若干措施》政策解读", issuer="香河县人力资源和社会保障局")
    b.heading("一、出台背景").para("为贯彻落实国务院关于稳就业的决策部署，制定本措施。")
    b.heading("二、目标任务").para("力争全年新增城镇就业3000人。")
    b.heading("三、主要内容").para("措施共十条，包括创业担保贷款、一次性创业补贴等。")
    b.heading("四、惠民举措").para("符合条件的高校毕业生可申领一次性创业补贴5000元。")
    b.heading("五、新旧政策对比").para("与原政策相比，补贴标准由3000元提高到5000元。")
    b.date(DateKind.publication, dt.date(2023, 5, 8), "发布时间：2023年5月8日")
    return b.build()
