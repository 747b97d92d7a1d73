"""The annual-report cases of the development set: who, which numbers, and which fault."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from eval.samplegen import annual, screenshots
from eval.samplegen.annual import Table2, Table2Old, Table3, table3_from_results
from eval.samplegen.annual_content import UnitProfile, YearFacts, build_report
from eval.samplegen.profiles import DACHANG, DACHENG, GUAN, SANHE, WENAN, WENAN_JIAOTI, XIANGHE, YONGQING
from eval.samplegen.registry import case

# Part 五 (problems and improvements): distinct texts, so that only the "copied" case repeats itself.
PROBLEMS: dict[str, list[str]] = {
    "a": [
        "（一）存在的主要问题",
        "一是部分乡镇政务公开专区查询设备使用率不高，群众知晓度有待提升；二是政策解读形式仍以文字为主，"
        "图解、视频等形式占比偏低；三是个别部门依申请公开答复书援引法律条款不够规范。",
        "（二）改进情况",
        "一是2024年6月底前完成全县13个乡镇政务公开专区查询设备更新，在专区醒目位置张贴使用指引；"
        "二是对重要政策文件实行“一文一图解”，由县融媒体中心协助各部门制作解读视频，全年图解、视频类解读不少于20篇；"
        "三是编制依申请公开答复文书示范文本，每季度抽查各部门答复书，抽查结果纳入年度考核。",
    ],
    "b": [
        "（一）存在的主要问题",
        "一是重点领域信息公开的及时性仍有差距，个别部门财政预决算信息公开滞后；"
        "二是政务新媒体日常巡查不够到位，个别账号更新不及时；三是基层政务公开人员流动较大，业务能力参差不齐。",
        "（二）改进情况",
        "一是建立重点领域信息公开月度通报制度，由县政府办公室每月5日前通报上月公开情况；"
        "二是对政务新媒体实行每周巡查，发现两周未更新的账号当日督促整改，整改情况纳入考核；"
        "三是分两批开展乡镇和部门政务公开业务轮训，2024年内实现政务公开工作人员培训全覆盖。",
    ],
    "c": [
        "（一）存在的主要问题",
        "一是政府信息公开专栏部分子栏目内容更新不及时，个别栏目存在信息归类不准确的问题；"
        "二是政策解读与政策文件的关联不够紧密；三是依申请公开办理的跨部门协调机制有待完善。",
        "（二）改进情况",
        "一是对政府信息公开专栏开展全面梳理，对归类不准确的信息逐条调整，2024年3月底前完成；"
        "二是在政策文件和解读页面之间建立双向链接，新发布文件同步关联解读材料；"
        "三是制定依申请公开会商办理规程，明确涉及多个部门的申请由首办单位牵头、相关单位5个工作日内反馈意见。",
    ],
    "d": [
        "（一）存在的主要问题",
        "一是政务公开工作与业务工作融合不够，部分单位存在重业务、轻公开的现象；"
        "二是公众参与渠道较少，政策制定过程中征求意见的反馈情况公开不充分。",
        "（二）改进情况",
        "一是将政务公开工作列入各单位领导班子年度述职内容；"
        "二是对涉及群众切身利益的重要政策草案，统一在县政府门户网站征集意见，并在意见征集结束后15个工作日内公开采纳情况。",
    ],
    "e": [
        "（一）存在的主要问题",
        "一是政务公开的标准化、规范化水平有待提升，各领域公开事项目录动态调整不及时；"
        "二是面向企业的惠企政策集中发布不够，政策找人、精准推送的机制尚未建立。",
        "（二）改进情况",
        "一是对照国务院部门制定的基层政务公开标准指引，2023年上半年完成26个试点领域公开事项目录的修订；"
        "二是在政府门户网站开设“惠企政策”专题，按行业分类集中发布，并通过“三河发布”定向推送。",
    ],
    "f": [
        "（一）存在的主要问题",
        "一是部分学校家长关心的招生入学、学生资助信息公开不够集中；二是政策解读的通俗性还需提高。",
        "（二）改进情况",
        "一是2024年4月底前在县政府门户网站本局栏目开设“招生入学”专题，集中发布各学段招生政策、划片范围和咨询电话；"
        "二是对学生资助政策制作“一图读懂”和问答式解读，在学期开学前通过“文安教体”微信公众号推送。",
    ],
    "g": [
        "（一）存在的主要问题",
        "一是部分栏目信息发布存在重复、交叉的问题；二是基层公开工作人员对《条例》的理解还不够深入。",
        "（二）改进情况",
        "一是对门户网站栏目进行归并整合，2023年内完成栏目清理；二是组织全县政务公开工作人员参加专题培训。",
    ],
}


def _t3(results: dict[str, list[int]], carry_in: list[int], carry_out: list[int]) -> Table3:
    return table3_from_results(results, carry_in, carry_out)


def _facts(year: int, k: int) -> YearFacts:
    """Plausible year figures; k varies them between bodies."""
    return YearFacts(year=year, published=2400 + 173 * k + (year - 2022) * 211, policy_docs=8 + k,
                     interpretations=9 + k, press_conferences=5 + k % 4, reviewed=2600 + 160 * k,
                     wechat_posts=1500 + 97 * k, trainings=2 + k % 3, trainees=150 + 20 * k,
                     proposals=(30 + k * 3, 40 + k * 2))


def _listing(p: UnitProfile, entries: list[tuple[int, dt.date]], path: Path) -> None:
    """Screenshot of the 政府信息公开年报 column, listing the body's reports with their dates."""
    site = p.portal.removesuffix("门户网站")
    screenshots.render(screenshots.Screenshot(
        site=site, url=f"http://{p.website}/xxgk/ndbg/",
        nav=["首页", "政府信息公开", "政务服务", "互动交流", "走进" + site[:3]],
        breadcrumb="首页 > 政府信息公开 > 政府信息公开年报",
        title="政府信息公开年报",
        lines=[screenshots.Line(kind="row", text=f"{p.unit}{y}年政府信息公开工作年度报告", value=d.isoformat())
               for y, d in entries],
        footer=f"主办：{p.office}",
    ), path)



@case("xianghe-2023-annual-report")
def _xianghe_2023_annual_report(docs: Path) -> None:
    """Correct report, county government, PDF, with last year's report and the column listing."""
    p = XIANGHE
    t3_22 = _t3({"r1": [21, 4, 0, 0, 1, 0], "r2": [3, 1, 0, 0, 0, 0], "r3_5": [1, 0, 0, 0, 0, 0],
                 "r4_1": [8, 1, 0, 0, 0, 0], "r5_1": [2, 0, 0, 0, 0, 0], "r6_1": [1, 0, 0, 0, 0, 0]},
                [1, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0])
    t3_23 = _t3({"r1": [24, 3, 0, 0, 1, 0], "r2": [4, 0, 0, 0, 0, 0], "r3_4": [1, 0, 0, 0, 0, 0],
                 "r3_6": [2, 0, 0, 0, 0, 0], "r4_1": [9, 2, 0, 0, 0, 0], "r4_2": [1, 0, 0, 0, 0, 0],
                 "r5_2": [2, 0, 0, 0, 0, 0]},
                [2, 0, 0, 0, 0, 0], [3, 1, 0, 0, 0, 0])
    annual.write_pdf(build_report(p, _facts(2022, 1), Table2(normative=(6, 1, 35), licensing=1412, penalty=388,
                                                             coercion=31, fees_wan=92.4), t3_22,
                                  [1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0], PROBLEMS["g"],
                                  dt.date(2023, 1, 30)), docs / "香河县人民政府2022年政府信息公开工作年度报告.pdf")
    annual.write_pdf(build_report(p, _facts(2023, 1), Table2(normative=(5, 2, 38), licensing=1523, penalty=412,
                                                             coercion=36, fees_wan=86.5), t3_23,
                                  [1, 0, 0, 1, 2, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0], PROBLEMS["a"],
                                  dt.date(2024, 1, 26)), docs / "香河县人民政府2023年政府信息公开工作年度报告.pdf")
    _listing(p, [(2023, dt.date(2024, 1, 26)), (2022, dt.date(2023, 1, 30)), (2021, dt.date(2022, 1, 28))],
             docs / "年报栏目截图.png")


@case("dacheng-2023-annual-docx")
def _dacheng_2023_annual_docx(docs: Path) -> None:
    """Correct report, county government, DOCX, no evidence of where/when it was published."""
    p = DACHENG
    t3_22 = _t3({"r1": [12, 2, 0, 0, 0, 0], "r2": [2, 0, 0, 0, 0, 0], "r4_1": [5, 0, 0, 0, 0, 0],
                 "r5_3": [1, 0, 0, 0, 0, 0]}, [0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0])
    t3_23 = _t3({"r1": [15, 2, 0, 1, 0, 0], "r2": [1, 0, 0, 0, 0, 0], "r3_1": [1, 0, 0, 0, 0, 0],
                 "r4_1": [6, 1, 0, 0, 0, 0], "r6_1": [1, 0, 0, 0, 0, 0]}, [1, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0])
    annual.write_docx(build_report(p, _facts(2022, 2), Table2(normative=(3, 0, 27), licensing=986, penalty=254,
                                                              coercion=12, fees_wan=41.25), t3_22,
                                   [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], PROBLEMS["d"],
                                   dt.date(2023, 2, 20)), docs / "大城县2022年政府信息公开工作年度报告.docx")
    annual.write_docx(build_report(p, _facts(2023, 2), Table2(normative=(4, 1, 30), licensing=1045, penalty=231,
                                                              coercion=9, fees_wan=38.6), t3_23,
                                   [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], PROBLEMS["c"],
                                   dt.date(2024, 2, 23)), docs / "大城县2023年政府信息公开工作年度报告.docx")


@case("wenan-2023-annual-missing-part")
def _wenan_2023_annual_missing_part(docs: Path) -> None:
    """Part 四 missing (renumbered), county government."""
    p = WENAN
    t3_22 = _t3({"r1": [17, 1, 0, 0, 0, 0], "r2": [2, 0, 0, 0, 0, 0], "r4_1": [4, 0, 0, 0, 0, 0]},
                [0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0])
    t3_23 = _t3({"r1": [19, 2, 0, 0, 0, 0], "r2": [3, 0, 0, 0, 0, 0], "r4_1": [5, 1, 0, 0, 0, 0],
                 "r5_1": [1, 0, 0, 0, 0, 0]}, [1, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0])
    annual.write_pdf(build_report(p, _facts(2022, 3), Table2(normative=(2, 1, 22), licensing=1201, penalty=305,
                                                             coercion=18, fees_wan=55.3), t3_22,
                                  [0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], PROBLEMS["d"],
                                  dt.date(2023, 3, 10)), docs / "文安县人民政府2022年政府信息公开工作年度报告.pdf")
    annual.write_pdf(build_report(p, _facts(2023, 3), Table2(normative=(4, 0, 26), licensing=1290, penalty=297,
                                                             coercion=15, fees_wan=57.8), t3_23,
                                  [0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], PROBLEMS["b"],
                                  dt.date(2024, 3, 15), omit_parts=frozenset({4})),
                     docs / "文安县人民政府2023年政府信息公开工作年度报告.pdf")
    _listing(p, [(2023, dt.date(2024, 3, 15)), (2022, dt.date(2023, 3, 10))], docs / "年报栏目截图.png")


@case("guan-2023-annual-table3-error")
def _guan_2023_annual_table3_error(docs: Path) -> None:
    """Table 三 arithmetic error: 新收 of 自然人 (and 总计) two higher than the results allow."""
    p = GUAN
    t3_22 = _t3({"r1": [30, 5, 0, 0, 1, 0], "r2": [4, 1, 0, 0, 0, 0], "r3_6": [1, 0, 0, 0, 0, 0],
                 "r4_1": [9, 1, 0, 0, 0, 0], "r5_2": [1, 0, 0, 0, 0, 0]}, [2, 0, 0, 0, 0, 0], [3, 0, 0, 0, 0, 0])
    t3_23 = _t3({"r1": [33, 4, 0, 0, 1, 0], "r2": [5, 1, 0, 0, 0, 0], "r3_4": [2, 0, 0, 0, 0, 0],
                 "r4_1": [11, 1, 0, 0, 0, 0], "r4_3": [1, 0, 0, 0, 0, 0], "r5_1": [2, 0, 0, 0, 0, 0]},
                [3, 0, 0, 0, 0, 0], [4, 0, 0, 0, 0, 0])
    t3_23.rows["new"][0] += 2
    t3_23.rows["new"][6] += 2
    annual.write_pdf(build_report(p, _facts(2022, 4), Table2(normative=(7, 2, 41), licensing=2210, penalty=463,
                                                             coercion=40, fees_wan=120.75), t3_22,
                                  [2, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], PROBLEMS["d"],
                                  dt.date(2023, 3, 20)), docs / "固安县人民政府2022年政府信息公开工作年度报告.pdf")
    annual.write_pdf(build_report(p, _facts(2023, 4), Table2(normative=(6, 3, 44), licensing=2356, penalty=481,
                                                             coercion=37, fees_wan=118.2), t3_23,
                                  [1, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], PROBLEMS["a"],
                                  dt.date(2024, 3, 20)), docs / "固安县人民政府2023年政府信息公开工作年度报告.pdf")
    _listing(p, [(2023, dt.date(2024, 3, 20)), (2022, dt.date(2023, 3, 20))], docs / "年报栏目截图.png")


@case("yongqing-2023-annual-cross-year")
def _yongqing_2023_annual_cross_year(docs: Path) -> None:
    """Cross-year mismatch: 2023 上年结转 (3) != 2022 结转下年度继续办理 (5)."""
    p = YONGQING
    t3_22 = _t3({"r1": [14, 2, 0, 0, 0, 0], "r2": [2, 0, 0, 0, 0, 0], "r4_1": [6, 0, 0, 0, 0, 0]},
                [1, 0, 0, 0, 0, 0], [4, 1, 0, 0, 0, 0])
    t3_23 = _t3({"r1": [18, 3, 0, 0, 0, 0], "r2": [2, 0, 0, 0, 0, 0], "r3_8": [1, 0, 0, 0, 0, 0],
                 "r4_1": [7, 1, 0, 0, 0, 0]}, [3, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0])
    annual.write_pdf(build_report(p, _facts(2022, 5), Table2(normative=(3, 1, 19), licensing=874, penalty=196,
                                                             coercion=11, fees_wan=33.9), t3_22,
                                  [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], PROBLEMS["g"],
                                  dt.date(2023, 2, 27)), docs / "永清县人民政府2022年政府信息公开工作年度报告.pdf")
    annual.write_pdf(build_report(p, _facts(2023, 5), Table2(normative=(2, 0, 21), licensing=931, penalty=207,
                                                             coercion=13, fees_wan=35.15), t3_23,
                                  [0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], PROBLEMS["b"],
                                  dt.date(2024, 2, 28)), docs / "永清县人民政府2023年政府信息公开工作年度报告.pdf")
    _listing(p, [(2023, dt.date(2024, 2, 28)), (2022, dt.date(2023, 2, 27))], docs / "年报栏目截图.png")


@case("wenan-jiaoti-2023-annual-late")
def _wenan_jiaoti_2023_annual_late(docs: Path) -> None:
    """Department published in February (deadline 1月31日, 条例第四十九条)."""
    p = WENAN_JIAOTI
    t3_22 = _t3({"r1": [6, 0, 0, 0, 0, 0], "r4_1": [2, 0, 0, 0, 0, 0]}, [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0])
    t3_23 = _t3({"r1": [8, 1, 0, 0, 0, 0], "r2": [1, 0, 0, 0, 0, 0], "r4_1": [3, 0, 0, 0, 0, 0]},
                [0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0])
    annual.write_pdf(build_report(p, _facts(2022, 0), Table2(normative=(0, 0, 3), licensing=14, penalty=2,
                                                             coercion=0, fees_wan=0.0), t3_22,
                                  [0] * 15, PROBLEMS["g"], dt.date(2023, 1, 16)),
                     docs / "文安县教育和体育局2022年政府信息公开工作年度报告.pdf")
    annual.write_pdf(build_report(p, _facts(2023, 0), Table2(normative=(1, 0, 4), licensing=17, penalty=3,
                                                             coercion=0, fees_wan=0.0), t3_23,
                                  [0] * 15, PROBLEMS["f"], dt.date(2024, 2, 6)),
                     docs / "文安县教育和体育局2023年政府信息公开工作年度报告.pdf")
    _listing(p, [(2023, dt.date(2024, 2, 6)), (2022, dt.date(2023, 1, 16))], docs / "年报栏目截图.png")


@case("sanhe-2023-annual-copied-measures")
def _sanhe_2023_annual_copied_measures(docs: Path) -> None:
    """Improvement measures copied word for word from the year before."""
    p = SANHE
    t3_22 = _t3({"r1": [41, 6, 1, 0, 1, 0], "r2": [6, 1, 0, 0, 0, 0], "r3_4": [2, 0, 0, 0, 0, 0],
                 "r4_1": [13, 2, 0, 0, 0, 0], "r5_2": [3, 0, 0, 0, 0, 0]}, [2, 1, 0, 0, 0, 0], [4, 0, 0, 0, 0, 0])
    t3_23 = _t3({"r1": [45, 7, 0, 1, 1, 0], "r2": [5, 2, 0, 0, 0, 0], "r3_6": [2, 0, 0, 0, 0, 0],
                 "r4_1": [15, 1, 0, 0, 0, 0], "r4_2": [2, 0, 0, 0, 0, 0], "r5_1": [3, 0, 0, 0, 0, 0]},
                [4, 0, 0, 0, 0, 0], [3, 1, 0, 0, 0, 0])
    annual.write_pdf(build_report(p, _facts(2022, 6), Table2(normative=(9, 2, 57), licensing=3105, penalty=622,
                                                             coercion=58, fees_wan=210.35), t3_22,
                                  [2, 1, 0, 0, 3, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0], PROBLEMS["e"],
                                  dt.date(2023, 1, 31)), docs / "三河市人民政府2022年政府信息公开工作年度报告.pdf")
    annual.write_pdf(build_report(p, _facts(2023, 6), Table2(normative=(8, 3, 62), licensing=3264, penalty=640,
                                                             coercion=52, fees_wan=205.8), t3_23,
                                  [1, 1, 0, 1, 3, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0], PROBLEMS["e"],
                                  dt.date(2024, 1, 29)), docs / "三河市人民政府2023年政府信息公开工作年度报告.pdf")
    _listing(p, [(2023, dt.date(2024, 1, 29)), (2022, dt.date(2023, 1, 31))], docs / "年报栏目截图.png")


@case("dachang-2023-annual-old-format")
def _dachang_2023_annual_old_format(docs: Path) -> None:
    """The 2023 report falls back to the 2019 trial format (60号): old table-二 columns, one （六） row."""
    p = DACHANG
    t3_22 = _t3({"r1": [11, 2, 0, 0, 0, 0], "r2": [1, 0, 0, 0, 0, 0], "r4_1": [4, 1, 0, 0, 0, 0],
                 "r6_1": [1, 0, 0, 0, 0, 0]}, [0, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0])
    t3_23 = _t3({"r1": [13, 1, 0, 0, 1, 0], "r2": [2, 0, 0, 0, 0, 0], "r3_6": [1, 0, 0, 0, 0, 0],
                 "r4_1": [5, 0, 0, 0, 0, 0], "r6_1": [1, 0, 0, 0, 0, 0], "r6_3": [1, 0, 0, 0, 0, 0]},
                [2, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0])
    annual.write_pdf(build_report(p, _facts(2022, 7), Table2(normative=(3, 1, 24), licensing=768, penalty=174,
                                                             coercion=8, fees_wan=27.4), t3_22,
                                  [0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], PROBLEMS["g"],
                                  dt.date(2023, 2, 16)), docs / "大厂回族自治县人民政府2022年政府信息公开工作年度报告.pdf")
    old = Table2Old(normative=(2, 2, 25), licensing=(41, "+2", 802), other_services=(16, "0", 233),
                    penalty=(57, "-1", 169), coercion=(12, "0", 6), fees=(9, "-1"), procurement=(14, 1268.5))
    annual.write_pdf(build_report(p, _facts(2023, 7), old, t3_23, [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                                  PROBLEMS["c"], dt.date(2024, 2, 20)),
                     docs / "大厂回族自治县人民政府2023年政府信息公开工作年度报告.pdf")
    _listing(p, [(2023, dt.date(2024, 2, 20)), (2022, dt.date(2023, 2, 16))], docs / "年报栏目截图.png")
