"""The demo set: three bodies, each with several documents in different formats (no gold).

Most documents are the development-set ones (same writers); each body also gets documents of its
own so that every folder reads as one body's submission.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from eval.samplegen import policydoc, replies, screenshots, webpages
from eval.samplegen.ledgers import Ledger, write_xlsx
from eval.samplegen.registry import DEV_CASES
from eval.samplegen.replies import Letter
from eval.samplegen.screenshots import Line, Screenshot
from eval.samplegen.webpages import Element, WebPage

REPLY = "政府信息公开申请答复书"


def _xianghe(d: Path) -> None:
    for case_id in ("xianghe-2023-annual-report", "xianghe-2023-interpretation-rich",
                    "xianghe-2023-ledger-website-notices"):
        DEV_CASES[case_id](d)
    replies.write_docx(Letter(
        issuer="香河县人民政府办公室", title=REPLY, number="香政办依复〔2023〕8号", addressee="何某某：",
        paragraphs=[
            "本机关于2023年8月14日收到您通过信函方式提交的《政府信息公开申请表》（邮件签收日期为2023年8月14日），"
            "您申请公开“香河县2023年城区道路交通综合整治工作方案”。",
            "经审查，您申请公开的信息已于2023年5月9日在香河县人民政府门户网站“政府信息公开—法定主动公开内容—"
            "规划信息”栏目主动公开。根据《中华人民共和国政府信息公开条例》第三十六条第（一）项之规定，"
            "现告知您获取该信息的方式和途径：登录香河县人民政府门户网站，在上述栏目中查阅、下载。",
            "如对本答复不服，可以自收到本答复书之日起六十日内向廊坊市人民政府申请行政复议，"
            "也可以自收到本答复书之日起六个月内向香河县人民法院提起行政诉讼。",
        ],
        contact="联系人：高某某  联系电话：0316-8312345",
        date=dt.date(2023, 9, 1),
    ), d / "香政办依复〔2023〕8号答复书.docx")
    policydoc.write_pdf(policydoc.PolicyDoc(
        header="香河县人民政府文件", number="香政发〔2023〕5号",
        title="香河县人民政府关于印发《香河县支持高校毕业生等青年就业创业若干措施》的通知",
        addressee="各乡镇人民政府，香河开发区管委会，县政府各部门：",
        body=[
            "现将《香河县支持高校毕业生等青年就业创业若干措施》印发给你们，请结合实际，认真贯彻落实。",
            "香河县支持高校毕业生等青年就业创业若干措施",
            "一、对吸纳离校2年内未就业高校毕业生就业并签订1年以上劳动合同的中小微企业，按每人1500元标准给予一次性吸纳就业补贴。",
            "二、在本县首次创办小微企业或从事个体经营的高校毕业生，正常经营1年以上的，给予5000元一次性创业补贴；"
            "符合条件的可申请最高30万元创业担保贷款，按规定给予贴息。",
            "三、对到乡镇和村（社区）基层服务项目就业的高校毕业生，服务期满考核合格的，在县内事业单位公开招聘中按规定享受定向招聘政策。",
            "四、本措施自2023年5月1日起施行，有效期至2025年12月31日。由县人力资源和社会保障局负责解释。",
        ],
        signer="香河县人民政府", date=dt.date(2023, 4, 3),
        distribution="抄送：县委各部门，县人大常委会办公室，县政协办公室，县法院，县检察院。",
        printed_by="香河县人民政府办公室　　　　　　　　　　2023年4月3日印发",
    ), d / "香政发〔2023〕5号.pdf")


def _dacheng(d: Path) -> None:
    for case_id in ("dacheng-2023-annual-docx", "dacheng-2023-ledger-messages"):
        DEV_CASES[case_id](d)
    replies.write_pdf(Letter(
        issuer="大城县人民政府办公室", title=REPLY, number="大政办依复〔2023〕5号", addressee="林某某：",
        paragraphs=[
            "本机关于2023年5月8日通过大城县人民政府门户网站依申请公开平台收到您提交的政府信息公开申请，"
            "并于当日与您确认。您申请公开“大城县2023年农村生活污水治理项目的资金安排情况”。",
            "经审查，您申请公开的信息不属于本机关负责公开的政府信息。根据《中华人民共和国政府信息公开条例》"
            "第三十六条第（五）项之规定，该信息由大城县财政局负责公开，联系电话：0316-5523456。",
            "如对本答复不服，可以自收到本答复书之日起六十日内向廊坊市人民政府申请行政复议，"
            "也可以自收到本答复书之日起六个月内向大城县人民法院提起行政诉讼。",
        ],
        contact="联系人：齐某某  联系电话：0316-5521234",
        date=dt.date(2023, 5, 29),
    ), d / "大政办依复〔2023〕5号答复书.pdf")
    screenshots.render(Screenshot(
        site="大城县人民政府", url="http://www.dacheng.gov.cn/xxgk/zn/",
        nav=["首页", "政府信息公开", "政务服务", "互动交流", "走进大城"],
        breadcrumb="首页 > 政府信息公开 > 政府信息公开指南", title="大城县人民政府政府信息公开指南",
        lines=[
            Line(kind="p", text="更新时间：2023年2月15日"),
            Line(kind="h", text="一、依申请公开的受理机构"),
            Line(kind="p", text="大城县人民政府办公室政务公开股，办公地址：大城县平舒西大街88号，"
                                "办公时间：工作日上午8:30-12:00，下午14:00-17:30，联系电话：0316-5521234。"),
            Line(kind="h", text="二、申请方式"),
            Line(kind="p", text="1.当面提交。申请人可到县政府办公室政务公开股当面填写《政府信息公开申请表》。"),
            Line(kind="p", text="2.信函申请。邮寄地址：大城县平舒西大街88号县政府办公室政务公开股，邮编：065900，"
                                "请在信封左下角注明“政府信息公开申请”字样。"),
            Line(kind="p", text="3.网络申请。登录大城县人民政府门户网站“政府信息公开—依申请公开”栏目，"
                                "在线填写并提交申请。"),
        ],
        footer="主办：大城县人民政府办公室",
    ), d / "政府信息公开指南截图.png")


def _wenan_jiaoti(d: Path) -> None:
    DEV_CASES["wenan-jiaoti-2023-annual-late"](d)
    replies.write_docx(Letter(
        issuer="文安县教育和体育局", title=REPLY, number="文教体依复〔2023〕2号", addressee="曹某某：",
        paragraphs=[
            "本机关于2023年7月3日收到您当面提交的《政府信息公开申请表》，您申请公开“文安县2023年城区小学招生划片范围”。",
            "经审查，您申请公开的信息属于可以公开的政府信息。根据《中华人民共和国政府信息公开条例》"
            "第三十六条第（二）项之规定，现将《文安县2023年城区义务教育学校招生划片范围》纸质文本提供给您。",
            "如对本答复不服，可以自收到本答复书之日起六十日内向文安县人民政府申请行政复议，"
            "也可以自收到本答复书之日起六个月内向文安县人民法院提起行政诉讼。",
        ],
        contact="联系人：韩某某  联系电话：0316-5231234",
        date=dt.date(2023, 7, 17),
    ), d / "文教体依复〔2023〕2号答复书.docx")
    webpages.write_html(WebPage(
        site="文安县人民政府", site_url="http://www.wenan.gov.cn/",
        url="http://www.wenan.gov.cn/xxgk/zcjd/202308/t20230825_2290.html",
        breadcrumb=["首页", "政府信息公开", "政策解读"], title="图解：2023年文安县学生资助政策",
        meta_line=[("发布时间", "2023-08-25"), ("来源", "文安县教育和体育局")],
        body=[
            Element(kind="link", lead="相关文件：", text="文安县教育和体育局关于做好2023年秋季学期学生资助工作的通知",
                    href="http://www.wenan.gov.cn/xxgk/tzgg/202308/t20230821_2281.html"),
            Element(kind="p", text="学前教育阶段，家庭经济困难儿童每生每年可获得1000元政府助学金；"
                                   "普通高中家庭经济困难学生国家助学金平均每生每年2000元。"),
            Element(kind="img", text="一图读懂2023年学生资助政策",
                    href="http://www.wenan.gov.cn/xxgk/zcjd/202308/W020230825_zizhu.jpg"),
            Element(kind="p", text="咨询电话：0316-5231234（县学生资助管理中心）"),
        ],
    ), d / "图解学生资助政策.html")
    write_xlsx(Ledger(
        title="文安县教育和体育局政务新媒体账号台账", sheet="账号台账",
        header=["序号", "账号名称", "平台", "开设日期", "运维人员", "最近一次更新日期", "备案情况"],
        rows=[[1, "文安教体", "微信公众号", "2018-03-12", "办公室", "2023-12-28", "已备案"],
              [2, "文安教体", "抖音", "2021-09-01", "办公室", "2023-12-22", "已备案"],
              [3, "文安县青少年体育", "微信公众号", "2019-05-20", "体育股", "2023-11-30", "已备案"]],
        footer=["填报日期：2024-01-05"],
    ), d / "政务新媒体账号台账.xlsx")


DEMO_UNITS = {"香河县人民政府": _xianghe, "大城县人民政府": _dacheng, "文安县教育和体育局": _wenan_jiaoti}
