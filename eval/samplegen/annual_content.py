"""Prose of the annual reports: official-style paragraphs filled from a unit's profile and year facts.

Kept apart from the layout code (annual.py) so that cases can vary content (copied improvement
measures, different focus areas) without touching how tables are drawn.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from eval.samplegen.annual import AnnualReport, Table2, Table2Old, Table3


class UnitProfile(BaseModel):
    unit: str  # 香河县人民政府 / 文安县教育和体育局
    is_government: bool
    office: str  # 香河县人民政府办公室
    address: str
    postcode: str
    phone: str
    website: str
    portal: str
    wechat: str  # 政务新媒体 account name
    focus: str  # key areas named in （一）主动公开
    assessment: str  # how 政务公开 is assessed (（五）监督保障)


class YearFacts(BaseModel):
    year: int
    published: int  # 主动公开政府信息条数
    policy_docs: int
    interpretations: int
    press_conferences: int
    reviewed: int  # 保密审查条数
    wechat_posts: int
    trainings: int
    trainees: int
    proposals: tuple[int, int]  # 人大代表建议, 政协委员提案
    fee_note: str = "本年度未收取政府信息公开信息处理费。"


def overview(p: UnitProfile, f: YearFacts, t3: Table3, t2: Table2 | Table2Old) -> tuple[str, list[tuple[str, str]]]:
    new, carry = t3.rows["new"][6], t3.rows["carry_in"][6]
    intro = (
        f"{f.year}年，{p.unit}坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，"
        f"认真贯彻落实《中华人民共和国政府信息公开条例》和国家、省、市关于政务公开工作的部署要求，"
        f"坚持以公开促落实、以公开强监管、以公开优服务，政务公开工作质效持续提升。"
    )
    parts = [
        ("（一）主动公开。",
         f"全年通过{p.portal}主动公开政府信息{f.published}条，其中政策文件{f.policy_docs}件、政策解读{f.interpretations}篇，"
         f"召开新闻发布会{f.press_conferences}场。围绕{p.focus}等重点领域，及时准确发布权威信息，"
         f"主动回应社会关切。"),
        ("（二）依申请公开。",
         f"严格按照《条例》规定的程序和时限办理政府信息公开申请，全年新收政府信息公开申请{new}件，"
         f"上年结转{carry}件，均依法依规作出答复。对答复文书实行“一案一审”，统一规范答复格式和法律依据的援引，"
         f"答复书均载明救济途径。"),
        ("（三）政府信息管理。",
         f"严格落实公文公开属性源头认定制度，拟制公文时同步明确公开属性；坚持“先审查、后公开”，"
         f"全年对拟公开信息开展保密审查{f.reviewed}条。{_normative_sentence(t2)}"),
        ("（四）政府信息公开平台建设。",
         f"按照国办公开办函〔2019〕61号要求规范“政府信息公开”专栏，设置政府信息公开指南、政府信息公开制度、"
         f"法定主动公开内容、政府信息公开年报四个一级栏目；“{p.wechat}”微信公众号全年发布信息{f.wechat_posts}条，"
         f"与{p.portal}同步发布重要政策和解读。"),
        ("（五）监督保障。",
         f"{p.assessment}；全年举办政务公开业务培训{f.trainings}期，培训{f.trainees}人次。"
         f"本年度未发生因政府信息公开工作引发的责任追究情况。"),
    ]
    if f.year <= 2022:  # reports are rewritten each year: the earlier year reads differently
        intro, parts = _overview_2022(p, f, new, carry, t2)
    return intro, parts


def _normative_sentence(t2: Table2 | Table2Old) -> str:
    if isinstance(t2, Table2Old):
        return f"本年新制作规范性文件{t2.normative[0]}件、新公开{t2.normative[1]}件，均在“政府信息公开”专栏集中公开。"
    return (f"本年制发行政规范性文件{t2.normative[0]}件，废止{t2.normative[1]}件，"
            f"已在“政府信息公开”专栏集中公开并逐件标注有效状态。")


def _overview_2022(p: UnitProfile, f: YearFacts, new: int, carry: int,
                   t2: Table2 | Table2Old) -> tuple[str, list[tuple[str, str]]]:
    intro = (
        f"{f.year}年，{p.unit}以习近平新时代中国特色社会主义思想为指导，深入学习宣传贯彻党的二十大精神，"
        f"围绕统筹疫情防控和经济社会发展，扎实推进决策、执行、管理、服务、结果公开，"
        f"政府信息公开工作取得新进展。"
    )
    parts = [
        ("（一）主动公开。",
         f"全年主动公开政府信息{f.published}条。及时发布疫情防控、助企纾困、稳岗就业等政策措施，"
         f"公开政策文件{f.policy_docs}件，发布政策解读材料{f.interpretations}篇，举办新闻发布会{f.press_conferences}场。"),
        ("（二）依申请公开。",
         f"全年共受理政府信息公开申请{new + carry}件（其中上年结转{carry}件），"
         f"严格执行登记、审核、办理、答复、归档工作流程。"),
        ("（三）政府信息管理。",
         f"健全政府信息公开保密审查机制，全年审查拟公开信息{f.reviewed}条；"
         f"制发行政规范性文件{t2.normative[0]}件，宣布失效或废止{t2.normative[1]}件。"),
        ("（四）政府信息公开平台建设。",
         f"以{p.portal}为第一平台，持续优化“政府信息公开”专栏；"
         f"“{p.wechat}”全年推送信息{f.wechat_posts}条。"),
        ("（五）监督保障。",
         f"调整充实政务公开工作领导小组，{p.assessment}；组织业务培训{f.trainings}期。"),
    ]
    return intro, parts


def other_matters(p: UnitProfile, f: YearFacts) -> list[str]:
    npc, cppcc = f.proposals
    level = "县" if "县" in p.unit else "市"
    return [
        f.fee_note,
        f"全年承办{level}人大代表建议{npc}件、{level}政协委员提案{cppcc}件，均按期办结，"
        f"办理复文已按规定在“政府信息公开”专栏公开。",
        f"{p.unit}已按照{f.year}年政务公开工作要点的部署，逐项分解任务、明确责任单位和完成时限，各项任务均已落实。",
    ]


def build_report(p: UnitProfile, f: YearFacts, t2: Table2 | Table2Old, t3: Table3, t4: list[int], problems: list[str],
                 sign_date: dt.date, omit_parts: frozenset[int] = frozenset()) -> AnnualReport:
    intro, parts = overview(p, f, t3, t2)
    return AnnualReport(
        unit=p.unit, year=f.year, office=p.office, address=p.address, postcode=p.postcode, phone=p.phone,
        website=p.website, portal=p.portal, overview_intro=intro, overview=parts, table2=t2, table3=t3,
        table4=t4, problems=problems, other=other_matters(p, f), omit_parts=set(omit_parts),
        sign_date=sign_date,
    )
