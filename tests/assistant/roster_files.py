"""Real evidence for the unit-roster tests: a correct 2023 annual report (PDF, the dev set's generator) of
any named body, and the website column (HTML) listing it with its publication date."""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

from eval.samplegen import annual
from eval.samplegen.annual import Table2
from eval.samplegen.annual_cases import PROBLEMS, _facts, _t3
from eval.samplegen.annual_content import UnitProfile, build_report


def _profile(unit: str) -> UnitProfile:
    return UnitProfile(unit=unit, is_government=False, office=f"{unit}办公室", address="廊坊市示例路1号",
                       postcode="065000", phone="0316-1234567", website="www.example.gov.cn",
                       portal="示例门户网站", wechat="示例发布", focus="营商环境、项目建设",
                       assessment="将政务公开工作纳入年度目标考核")


def write_unit(folder: Path, unit: str, published: dt.date) -> Path:
    """`folder/unit/`: the body's 2023 report (signed on `published`) and the 年报 column showing that date."""
    d = folder / unit
    d.mkdir(parents=True, exist_ok=True)
    t3 = _t3({"r1": [8, 1, 0, 0, 0, 0], "r2": [1, 0, 0, 0, 0, 0], "r4_1": [3, 0, 0, 0, 0, 0]},
             [0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0])
    report = build_report(_profile(unit), _facts(2023, 3),
                          Table2(normative=(1, 0, 4), licensing=17, penalty=3, coercion=0, fees_wan=0.0),
                          t3, [0] * 15, PROBLEMS["f"], published)
    annual.write_pdf(report, d / f"{unit}2023年政府信息公开工作年度报告.pdf")
    (d / "年报栏目.html").write_text(
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body>\n'
        '<div class="nav">首页 &gt; 政府信息公开 &gt; 政府信息公开年报</div><h1>政府信息公开年报</h1>\n'
        f'<ul><li><a href="ndbg2023.html">{escape(unit)}2023年政府信息公开工作年度报告</a> '
        f"<span>{published.isoformat()}</span></li></ul></body></html>\n", encoding="utf-8")
    return d
