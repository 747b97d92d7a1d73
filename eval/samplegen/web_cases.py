"""Policy documents, policy interpretations (rich, thin, interpreted by a deputy) and page screenshots."""

from __future__ import annotations

from pathlib import Path

from eval.samplegen import screenshots, webpages
from eval.samplegen.registry import case
from eval.samplegen.screenshots import Line, Screenshot
from eval.samplegen.webpages import Element, WebPage

E = Element


def _policy_page(site: str, host: str, title: str, number: str, index: str, issuer: str, signed: str,
                 published: str, validity: str, body: list[Element], url: str,
                 interpretation: tuple[str, str] | None) -> WebPage:
    return WebPage(
        site=site, site_url=f"http://{host}/", url=url,
        breadcrumb=["首页", "政府信息公开", "法定主动公开内容", "行政规范性文件"], title=title,
        meta_table=[("索引号", index), ("主题分类", "综合政务"), ("发布机构", issuer), ("成文日期", signed),
                    ("文号", number), ("发布日期", published), ("有效性", validity)],
        body=body, related=[interpretation] if interpretation else [],
    )



@case("xianghe-2023-interpretation-rich")
def _xianghe_2023_interpretation_rich(docs: Path) -> None:
    """Rich interpretation: background, keywords, benefits, old/new differences, link, images, video, interview of the 局长 (主要负责人), several channels."""
    policy_url = "http://www.xianghe.gov.cn/xxgk/gfxwj/202304/t20230410_1187.html"
    interp_url = "http://www.xianghe.gov.cn/xxgk/zcjd/202304/t20230412_1192.html"
    webpages.write_html(_policy_page(
        "香河县人民政府", "www.xianghe.gov.cn",
        "香河县人民政府关于印发《香河县支持高校毕业生等青年就业创业若干措施》的通知",
        "香政发〔2023〕5号", "000014349/2023-00031", "香河县人民政府", "2023年4月3日", "2023-04-10", "有效",
        [E(kind="p", text="各乡镇人民政府，香河开发区管委会，县政府各部门："),
         E(kind="p", text="现将《香河县支持高校毕业生等青年就业创业若干措施》印发给你们，请结合实际，认真贯彻落实。"),
         E(kind="p", text="香河县人民政府"), E(kind="p", text="2023年4月3日"),
         E(kind="h", text="香河县支持高校毕业生等青年就业创业若干措施"),
         E(kind="p", text="一、对吸纳离校2年内未就业高校毕业生就业并签订1年以上劳动合同的中小微企业，"
                          "按每人1500元标准给予一次性吸纳就业补贴。"),
         E(kind="p", text="二、在本县首次创办小微企业或从事个体经营的高校毕业生，正常经营1年以上的，"
                          "给予5000元一次性创业补贴；符合条件的可申请最高30万元创业担保贷款，按规定给予贴息。"),
         E(kind="p", text="三、对到乡镇和村（社区）基层服务项目就业的高校毕业生，服务期满考核合格的，"
                          "在县内事业单位公开招聘中按规定享受定向招聘政策。"),
         E(kind="p", text="四、本措施自2023年5月1日起施行，有效期至2025年12月31日。")],
        policy_url, ("《香河县支持高校毕业生等青年就业创业若干措施》政策解读", interp_url)),
        docs / "香政发〔2023〕5号.html")
    webpages.write_html(WebPage(
        site="香河县人民政府", site_url="http://www.xianghe.gov.cn/", url=interp_url,
        breadcrumb=["首页", "政府信息公开", "政策解读"],
        title="《香河县支持高校毕业生等青年就业创业若干措施》政策解读",
        meta_line=[("发布时间", "2023-04-12"), ("来源", "香河县人力资源和社会保障局"), ("浏览次数", "3862")],
        body=[
            E(kind="link", lead="原文链接：", text="香河县人民政府关于印发《香河县支持高校毕业生等青年就业创业若干措施》的通知（香政发〔2023〕5号）",
              href=policy_url),
            E(kind="h", text="一、出台背景和依据"),
            E(kind="p", text="为深入贯彻落实《国务院办公厅关于进一步做好高校毕业生等青年就业创业工作的通知》"
                             "（国办发〔2022〕13号）和省、市关于稳就业的决策部署，帮助高校毕业生等青年尽快就业创业，"
                             "结合我县实际，县人社局牵头起草了《若干措施》，经县政府常务会议审议通过后印发实施。"),
            E(kind="h", text="二、目标任务"),
            E(kind="p", text="力争2023年全县高校毕业生去向落实率不低于90%，新增青年创业主体300户以上，"
                             "对有就业意愿的离校未就业高校毕业生实现100%就业服务。"),
            E(kind="h", text="三、关键词解读"),
            E(kind="p", text="“离校2年内未就业高校毕业生”：是指毕业年度起两年内，在人社部门进行了失业登记、"
                             "尚未实现就业的全日制普通高校毕业生。"),
            E(kind="p", text="“一次性吸纳就业补贴”：企业招到一名符合条件的毕业生并签了一年以上的合同、按月交了社保，"
                             "就可以到县人社局申请1500元补贴，不用企业先垫付其他费用。"),
            E(kind="h", text="四、惠民利民举措"),
            E(kind="p", text="毕业生自己开店办厂的，干满一年就能领5000元创业补贴；缺资金的，可以申请最高30万元的"
                             "创业担保贷款，利息由财政按规定贴补。申请材料在香河县政务服务中心人社窗口一窗受理，"
                             "也可以在“冀时办”手机端网上申请。"),
            E(kind="h", text="五、新旧政策差异"),
            E(kind="p", text="与2020年出台的原政策相比，一次性创业补贴由3000元提高到5000元，"
                             "吸纳就业补贴的对象由“毕业年度”扩大到“离校2年内”，申请材料由6项精简为3项。"),
            E(kind="img", text="一图读懂：香河县支持高校毕业生等青年就业创业若干措施",
              href="http://www.xianghe.gov.cn/xxgk/zcjd/202304/W020230412_yitu.jpg"),
            E(kind="video", text="视频解读：三分钟看懂青年就业创业补贴怎么领",
              href="http://www.xianghe.gov.cn/xxgk/zcjd/202304/W020230412_jiedu.mp4"),
            E(kind="h", text="六、局长访谈"),
            E(kind="p", text="4月12日，县人力资源和社会保障局党组书记、局长王建国做客县融媒体中心《政策面对面》栏目，"
                             "就《若干措施》接受专访。"),
            E(kind="qa", text="这次出台的措施，毕业生最关心的是什么？",
              lead="最关心的是“钱怎么领、到哪里领”。我们把补贴申请全部放进政务服务中心一个窗口，"
                   "材料齐全的，15个工作日内把补贴发到位。"),
            E(kind="qa", text="企业招用毕业生，需要做哪些准备？",
              lead="企业只要和毕业生签订一年以上劳动合同、按月足额缴纳社会保险，就可以申请吸纳就业补贴。"),
            E(kind="p", text="本解读同步在“香河发布”微信公众号、县电视台《香河新闻》栏目发布；"
                             "4月13日，县政府新闻办召开新闻发布会对《若干措施》作进一步解读。"),
            E(kind="p", text="咨询电话：0316-8325678（县人社局就业促进股）"),
        ],
        related=[("香河县人民政府关于印发《香河县支持高校毕业生等青年就业创业若干措施》的通知", policy_url)],
    ), docs / "政策解读-青年就业创业若干措施.html")


@case("wenan-2023-interpretation-thin")
def _wenan_2023_interpretation_thin(docs: Path) -> None:
    """Thin interpretation: an excerpt of the document, no link, text only, website only."""
    policy_url = "http://www.wenan.gov.cn/xxgk/gfxwj/202306/t20230615_2210.html"
    webpages.write_html(_policy_page(
        "文安县人民政府", "www.wenan.gov.cn",
        "文安县人民政府办公室关于印发《文安县2023年城镇老旧小区改造实施方案》的通知",
        "文政办发〔2023〕12号", "000014351/2023-00087", "文安县人民政府办公室", "2023年6月9日", "2023-06-15",
        "有效",
        [E(kind="p", text="各乡镇人民政府，县政府各部门："),
         E(kind="p", text="《文安县2023年城镇老旧小区改造实施方案》已经县政府同意，现印发给你们，请认真组织实施。"),
         E(kind="h", text="文安县2023年城镇老旧小区改造实施方案"),
         E(kind="p", text="一、改造范围。2023年计划改造城区2000年底前建成的老旧小区16个，涉及居民2864户。"),
         E(kind="p", text="二、改造内容。分为基础类、完善类、提升类，重点实施供排水、供暖、燃气管网和屋面防水改造，"
                          "同步推进加装电梯、增设养老托育设施。"),
         E(kind="p", text="三、资金筹措。采取中央补助、县级财政配套、产权单位出资和居民合理分担相结合的方式筹集。"),
         E(kind="p", text="四、时间安排。2023年7月底前全部开工，11月底前基本完工。")],
        policy_url, None), docs / "文政办发〔2023〕12号.html")
    webpages.write_html(WebPage(
        site="文安县人民政府", site_url="http://www.wenan.gov.cn/",
        url="http://www.wenan.gov.cn/xxgk/zcjd/202306/t20230620_2231.html",
        breadcrumb=["首页", "政府信息公开", "政策解读"],
        title="《文安县2023年城镇老旧小区改造实施方案》解读",
        meta_line=[("发布时间", "2023-06-20"), ("来源", "文安县住房和城乡建设局")],
        body=[
            E(kind="p", text="近日，县政府办公室印发了《文安县2023年城镇老旧小区改造实施方案》，现解读如下："),
            E(kind="p", text="一、改造范围。2023年计划改造城区2000年底前建成的老旧小区16个，涉及居民2864户。"),
            E(kind="p", text="二、改造内容。分为基础类、完善类、提升类。"),
            E(kind="p", text="三、资金筹措。采取多渠道筹集方式。"),
            E(kind="p", text="四、时间安排。2023年7月底前全部开工，11月底前基本完工。"),
        ],
    ), docs / "老旧小区改造实施方案解读.html")


@case("guan-2023-interpretation-deputy")
def _guan_2023_interpretation_deputy(docs: Path) -> None:
    """Interpretation with a link and charts, but given by a 副局长 and without video."""
    policy_url = "http://www.guan.gov.cn/xxgk/gfxwj/202303/t20230320_3305.html"
    interp_url = "http://www.guan.gov.cn/xxgk/zcjd/202303/t20230323_3311.html"
    webpages.write_html(_policy_page(
        "固安县人民政府", "www.guan.gov.cn",
        "固安县人民政府办公室关于印发《固安县2023年农业社会化服务项目实施方案》的通知",
        "固政办规〔2023〕3号", "000014347/2023-00052", "固安县人民政府办公室", "2023年3月14日", "2023-03-20",
        "有效",
        [E(kind="p", text="各乡镇人民政府，县政府有关部门："),
         E(kind="p", text="《固安县2023年农业社会化服务项目实施方案》已经县政府同意，现印发给你们，请认真贯彻执行。"),
         E(kind="h", text="固安县2023年农业社会化服务项目实施方案"),
         E(kind="p", text="一、支持对象。在本县登记注册、具有相应服务能力的农村集体经济组织、农民专业合作社和农业服务公司。"),
         E(kind="p", text="二、补助标准。小麦、玉米全程托管服务每亩补助不超过服务价格的30%，且每亩最高不超过100元。"),
         E(kind="p", text="三、实施期限。项目作业于2023年11月30日前完成。")],
        policy_url, ("《固安县2023年农业社会化服务项目实施方案》解读", interp_url)),
        docs / "固政办规〔2023〕3号.html")
    webpages.write_html(WebPage(
        site="固安县人民政府", site_url="http://www.guan.gov.cn/", url=interp_url,
        breadcrumb=["首页", "政府信息公开", "政策解读"],
        title="《固安县2023年农业社会化服务项目实施方案》解读",
        meta_line=[("发布时间", "2023-03-23"), ("来源", "固安县农业农村局")],
        body=[
            E(kind="link", lead="相关文件：", text="《固安县2023年农业社会化服务项目实施方案》（固政办规〔2023〕3号）",
              href=policy_url),
            E(kind="p", text="3月22日，县农业农村局党组成员、副局长李志强就《实施方案》接受县融媒体中心采访，"
                             "对方案的出台背景、支持对象和补助标准进行了解读。"),
            E(kind="h", text="一、为什么要出台这个方案？"),
            E(kind="p", text="当前我县农村劳动力老龄化问题突出，“谁来种地、怎么种好地”成为现实难题。"
                             "方案依据农业农村部、财政部关于农业社会化服务项目的有关要求制定，"
                             "目的是通过托管服务把小农户带入现代农业发展轨道。"),
            E(kind="h", text="二、哪些主体可以申报？"),
            E(kind="p", text="在本县登记注册、有农机和技术人员的村集体经济组织、农民合作社和农业服务公司都可以申报。"),
            E(kind="h", text="三、农户能得到什么实惠？"),
            E(kind="p", text="农户把小麦、玉米交给服务组织全程托管，服务费用中有三成由项目资金补助，"
                             "每亩最多补100元，农户实际支付的托管费相应减少。"),
            E(kind="img", text="图解：农业社会化服务项目补助标准",
              href="http://www.guan.gov.cn/xxgk/zcjd/202303/W020230323_tujie.png"),
            E(kind="img", text="图表：2023年各乡镇托管服务面积任务分配",
              href="http://www.guan.gov.cn/xxgk/zcjd/202303/W020230323_renwu.png"),
        ],
    ), docs / "农业社会化服务项目实施方案解读.html")

@case("sanhe-2023-web-org-info")
def _sanhe_2023_web_org_info(docs: Path) -> None:
    """机构信息 page without 办公时间."""
    screenshots.render(Screenshot(
        site="三河市人民政府", url="http://www.sanhe.gov.cn/xxgk/jgxx/sjtj/",
        nav=["首页", "政府信息公开", "政务服务", "互动交流", "走进三河"],
        breadcrumb="首页 > 政府信息公开 > 机构信息 > 三河市统计局",
        title="三河市统计局",
        lines=[
            Line(kind="kv", text="机构名称", value="三河市统计局"),
            Line(kind="kv", text="主要职责",
                 value="贯彻执行国家统计工作方针政策和法律法规；组织实施全市人口、经济、农业等重大国情国力普查；"
                       "收集、汇总、整理和提供有关调查的统计数据，对全市经济社会发展情况进行统计分析。"),
            Line(kind="kv", text="内设机构", value="办公室、综合统计股、农村统计股、工业交通统计股、统计执法股"),
            Line(kind="kv", text="负责人", value="局长：马立新"),
            Line(kind="kv", text="办公地址", value="三河市迎宾路99号市政府综合办公楼4层"),
            Line(kind="kv", text="联系电话", value="0316-3228765"),
            Line(kind="kv", text="邮政编码", value="065200"),
        ],
        footer="主办：三河市人民政府办公室",
    ), docs / "机构信息页面截图.png")


@case("dachang-2023-web-apply-guide")
def _dachang_2023_web_apply_guide(docs: Path) -> None:
    """申请指南 page: 现场 and 信函 specified, 网络 without any concrete receiving address."""
    screenshots.render(Screenshot(
        site="大厂回族自治县人民政府", url="http://www.dachang.gov.cn/xxgk/zn/",
        nav=["首页", "政府信息公开", "政务服务", "互动交流", "走进大厂"],
        breadcrumb="首页 > 政府信息公开 > 政府信息公开指南",
        title="大厂回族自治县人民政府政府信息公开指南",
        lines=[
            Line(kind="p", text="更新时间：2023年3月1日"),
            Line(kind="p", text="为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。"),
            Line(kind="h", text="一、依申请公开的受理机构"),
            Line(kind="p", text="大厂回族自治县人民政府办公室政务公开股，办公地址：大厂回族自治县大安街2号，"
                                "办公时间：工作日上午8:30-12:00，下午14:00-17:30，联系电话：0316-8882100。"),
            Line(kind="h", text="二、申请方式"),
            Line(kind="p", text="1.当面提交。申请人可到县政府办公室政务公开股当面填写《政府信息公开申请表》。"),
            Line(kind="p", text="2.信函申请。申请人通过邮政寄送申请表的，请在信封左下角注明“政府信息公开申请”字样，"
                                "邮寄地址：大厂回族自治县大安街2号县政府办公室政务公开股，邮编：065300。"),
            Line(kind="p", text="3.网络申请。申请人可以通过互联网提出申请。"),
            Line(kind="h", text="三、答复期限"),
            Line(kind="p", text="能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起20个工作日内予以答复。"),
        ],
        footer="主办：大厂回族自治县人民政府办公室",
    ), docs / "政府信息公开指南截图.png")


@case("guan-2023-web-normative-docs")
def _guan_2023_web_normative_docs(docs: Path) -> None:
    """行政规范性文件 column: one file published long after signing, one without its validity marked."""
    rows = [
        ["固安县城乡居民基本医疗保险实施办法", "固政规〔2023〕1号", "2023-02-13", "2023-02-20", "有效"],
        ["固安县2023年农业社会化服务项目实施方案", "固政办规〔2023〕3号", "2023-03-14", "2023-03-20", "有效"],
        ["固安县人民政府关于调整征地区片综合地价的通知", "固政规〔2023〕2号", "2023-05-08", "2023-07-26", "有效"],
        ["固安县重大行政决策程序规定", "固政办规〔2023〕5号", "2023-09-04", "2023-09-08", ""],
        ["固安县人民政府关于废止部分行政规范性文件的决定", "固政规〔2023〕3号", "2023-11-20", "2023-11-24", "有效"],
    ]
    screenshots.render(Screenshot(
        site="固安县人民政府", url="http://www.guan.gov.cn/xxgk/fdzdgknr/gfxwj/",
        nav=["首页", "政府信息公开", "政务服务", "互动交流", "走进固安"],
        breadcrumb="首页 > 政府信息公开 > 法定主动公开内容 > 行政规范性文件",
        title="行政规范性文件",
        columns=[10, 5, 3, 3, 2],
        lines=[Line(kind="cols", cells=["文件名称", "文号", "成文日期", "发布日期", "有效性"])]
              + [Line(kind="cols", cells=r) for r in rows],
        footer="主办：固安县人民政府办公室",
    ), docs / "行政规范性文件栏目截图.png")
