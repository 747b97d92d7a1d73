"""The request-reply cases: receipt dates around 春节 and 国庆, an extension, a wrong legal basis, a
reply without the remedy notice. Deadlines are 20 working days (条例第三十三条)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from eval.samplegen import replies
from eval.samplegen.registry import case
from eval.samplegen.replies import Letter

REPLY = "政府信息公开申请答复书"


def _remedy(reconsideration_body: str, court: str) -> str:
    return (f"如对本答复不服，可以自收到本答复书之日起六十日内向{reconsideration_body}申请行政复议，"
            f"也可以自收到本答复书之日起六个月内向{court}提起行政诉讼。")



@case("xianghe-2023-reply-on-time")
def _xianghe_2023_reply_on_time(docs: Path) -> None:
    """On time, full disclosure, received online."""
    replies.write_docx(Letter(
        issuer="香河县人力资源和社会保障局", title=REPLY, number="香人社依复〔2023〕3号", addressee="李某某：",
        paragraphs=[
            "本机关于2023年3月6日通过香河县人民政府门户网站依申请公开平台收到您提交的政府信息公开申请，"
            "并于当日与您确认。您申请公开“2023年香河县就业补助资金第一批分配结果”。",
            "经审查，您申请公开的信息属于本机关公开职责范围，可以公开。根据《中华人民共和国政府信息公开条例》"
            "第三十六条第（二）项之规定，现将《关于下达2023年第一批就业补助资金的通知》电子文本通过您申请时"
            "选择的电子邮箱提供给您，请注意查收。",
            _remedy("香河县人民政府", "香河县人民法院"),
        ],
        contact="联系人：王某某  联系电话：0316-8325678",
        date=dt.date(2023, 3, 27),
    ), docs / "香人社依复〔2023〕3号答复书.docx")


@case("dachang-2023-reply-spring-festival-late")
def _dachang_2023_reply_spring_festival_late(docs: Path) -> None:
    """Late across 春节 2023 (1月21日至27日放假，1月28日、29日调休上班)."""
    replies.write_pdf(Letter(
        issuer="大厂回族自治县自然资源和规划局", title=REPLY, number="大自然资依复〔2023〕2号", addressee="赵某某：",
        paragraphs=[
            "本机关于2023年1月10日签收您通过中国邮政EMS邮寄的《政府信息公开申请表》，您申请公开"
            "“祁各庄镇东小屯村2022年集体土地征收的征地批复文件”。",
            "经审查，您申请公开的信息已由河北省人民政府批复，本机关已于2022年11月18日在大厂回族自治县人民政府门户网站"
            "“政府信息公开—法定主动公开内容—征地信息”栏目主动公开。根据《中华人民共和国政府信息公开条例》"
            "第三十六条第（一）项之规定，现告知您获取该信息的方式和途径：您可登录大厂回族自治县人民政府门户网站，"
            "在上述栏目中查阅、下载。",
            _remedy("大厂回族自治县人民政府", "大厂回族自治县人民法院"),
        ],
        contact="联系人：刘某某  联系电话：0316-8862345",
        date=dt.date(2023, 2, 15),
    ), docs / "政府信息公开申请答复书.pdf")


@case("guan-2023-reply-national-day-late")
def _guan_2023_reply_national_day_late(docs: Path) -> None:
    """Late across 国庆 2023 (9月29日至10月6日放假，10月7日、8日调休上班)."""
    replies.write_docx(Letter(
        issuer="固安县住房和城乡建设局", title=REPLY, number="固住建依复〔2023〕11号", addressee="孙某某：",
        paragraphs=[
            "本机关于2023年9月20日收到您当面提交的《政府信息公开申请表》，您申请公开"
            "“固安县2023年保障性租赁住房项目清单及房源分布情况”。",
            "经审查，您申请公开的信息属于可以公开的政府信息。根据《中华人民共和国政府信息公开条例》"
            "第三十六条第（二）项之规定，现将《固安县2023年保障性租赁住房项目清单》（含项目名称、建设地点、"
            "房源套数）纸质文本一份随本答复书一并提供给您。",
            _remedy("固安县人民政府", "固安县人民法院"),
        ],
        contact="联系人：周某某  联系电话：0316-6185432",
        date=dt.date(2023, 10, 25),
    ), docs / "固住建依复〔2023〕11号.docx")


@case("yongqing-2023-reply-extension")
def _yongqing_2023_reply_extension(docs: Path) -> None:
    """Extension notified within the first 20 working days, reply within the extended period."""
    replies.write_docx(Letter(
        issuer="永清县市场监督管理局", title="政府信息公开延期答复告知书", number="永市监延复〔2023〕2号",
        addressee="吴某某：",
        paragraphs=[
            "本机关于2023年6月5日通过永清县人民政府门户网站依申请公开平台收到您提交的政府信息公开申请，"
            "并于当日与您确认。您申请公开“2021年至2022年本县食品生产企业监督抽检不合格产品的核查处置情况”。",
            "因您申请公开的信息时间跨度较长、涉及案卷较多，需要调取档案逐件核查，不能在规定期限内作出答复。"
            "经本机关政府信息公开工作机构负责人同意，根据《中华人民共和国政府信息公开条例》第三十三条第二款之规定，"
            "答复期限延长20个工作日，本机关将于2023年8月1日前作出答复。",
            "特此告知。",
        ],
        contact="联系人：郑某某  联系电话：0316-6635678",
        date=dt.date(2023, 6, 28),
    ), docs / "延期答复告知书.docx")
    replies.write_docx(Letter(
        issuer="永清县市场监督管理局", title=REPLY, number="永市监依复〔2023〕9号", addressee="吴某某：",
        paragraphs=[
            "本机关于2023年6月5日收到您提交的政府信息公开申请，并于2023年6月28日向您送达了延期答复告知书。"
            "您申请公开“2021年至2022年本县食品生产企业监督抽检不合格产品的核查处置情况”。",
            "经审查，您申请公开的信息中含有自然人的身份证号码、联系电话等个人信息，公开后可能损害第三方合法权益。"
            "根据《中华人民共和国政府信息公开条例》第十五条、第三十七条之规定，本机关对上述内容作区分处理后，"
            "将可以公开的《不合格食品核查处置情况汇总表》（共17条）通过电子邮件提供给您。",
            _remedy("永清县人民政府", "永清县人民法院"),
        ],
        contact="联系人：郑某某  联系电话：0316-6635678",
        date=dt.date(2023, 7, 26),
    ), docs / "永市监依复〔2023〕9号答复书.docx")


@case("sanhe-2023-reply-wrong-basis")
def _sanhe_2023_reply_wrong_basis(docs: Path) -> None:
    """On time, but the legal basis cited is the 2007 条例 (第二十一条第（三）项)."""
    replies.write_pdf(Letter(
        issuer="三河市交通运输局", title=REPLY, number="三交依复〔2023〕14号", addressee="钱某某：",
        paragraphs=[
            "本机关于2023年11月6日通过三河市人民政府门户网站依申请公开平台收到您提交的政府信息公开申请，"
            "并于当日与您确认。您申请公开“2019年燕郊至三河城区公交线路调整的客流调查报告”。",
            "经检索，本机关未制作或获取过您所申请的客流调查报告。根据《中华人民共和国政府信息公开条例》"
            "第二十一条第（三）项之规定，告知您该政府信息不存在。",
            _remedy("三河市人民政府", "三河市人民法院"),
        ],
        contact="联系人：冯某某  联系电话：0316-3256789",
        date=dt.date(2023, 11, 24),
    ), docs / "三交依复〔2023〕14号.pdf")


@case("dacheng-2024-reply-no-remedy")
def _dacheng_2024_reply_no_remedy(docs: Path) -> None:
    """2024 不予公开 with no remedy notice at all (行政复议法 2023修订, 第二十三条 applies from 2024)."""
    replies.write_docx(Letter(
        issuer="大城县发展和改革局", title=REPLY, number="大发改依复〔2024〕4号", addressee="陈某某：",
        paragraphs=[
            "本机关于2024年2月19日收到您当面提交的《政府信息公开申请表》，您申请公开"
            "“大城县南赵扶镇集中供热项目可行性研究报告评审会议纪要”。",
            "经审查，您申请公开的会议纪要系本机关在项目审批过程中形成的内部讨论记录，属于过程性信息。"
            "根据《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项之规定，本机关决定不予公开。",
            "项目审批结果已在大城县人民政府门户网站“重大建设项目”栏目公开，您可登录查阅。",
        ],
        contact="联系人：褚某某  联系电话：0316-5587654",
        date=dt.date(2024, 3, 12),
    ), docs / "大发改依复〔2024〕4号.docx")
