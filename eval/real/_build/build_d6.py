"""Regenerate the d6 real-document cases: six more 政策解读 pages and two more 机构信息 pages (issue 13,
"What to build 1": 8 interpretations and 4 org-info pages in eval/real).

Sources are pages that county governments, a township and county departments published (gov.cn
portals, or third-party mirrors of them where only the mirror was stored); see each case's SOURCES.md.
Facts are kept exactly as published: titles, dates, 文号 (a numberless one stays numberless), figures,
periods, distances, headings with their numbering and their slips, the order of parts, statute text the
page quotes, and each page's defects (a garbled sentence, a heading naming the wrong document, a
1970 index number). Running prose is reworded sentence by sentence at the same level of detail.
Where the stored copy of a page stops, the page stops at the same point (in mid-sentence or
mid-word where the copy does, so the cut stays visible); an HTML comment (not page content) marks it.
Two mirrors stored the pages in traditional characters; the pages are rebuilt in the simplified
characters the portals publish.

Run from the worktree root:  .venv/bin/python eval/real/_build/build_d6.py [function names]
"""

from __future__ import annotations

import html
import sys

from common import CASES, write  # first: it puts the repo on sys.path

REAL = CASES

CUT = "<!-- 采集到此为止：页面其余部分未能取得（见 SOURCES.md） -->"



def p(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def doc(title: str, top: list[str], content: list[str], foot: list[str] | None = None,
        cut: bool = False) -> str:
    """A portal page: the chrome lines the stored copy kept (top), the article, and what follows it."""
    body = "\n".join(content) + ("\n" + CUT if cut else "")
    tail = "\n".join(foot or [])
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(title)}</title>\n</head>\n<body>\n"
        + "\n".join(top) + "\n"
        + f"<div class=\"article\">\n<div class=\"content\">\n{body}\n</div>\n</div>\n"
        + (f"{tail}\n" if tail else "")
        + "</body>\n</html>\n"
    )


# ---------------------------------------------------------------------------------------------
# 3.1 / 3.2 policy interpretations
# ---------------------------------------------------------------------------------------------

def jingtai() -> None:
    """景泰县 (甘肃·白银), 2021: the headings run inline in one paragraph; the capture stops inside 三、主要内容."""
    title = "解读《景泰县人民政府2021年度森林草原防火命令》"
    meta = (
        "<table class=\"xxgk\">\n"
        "<tr><td>索 引 号:</td><td>1262042378404828X7/1970-172854</td><td>生成日期:</td><td>2021-10-15</td></tr>\n"
        "<tr><td>文 号:</td><td></td><td>关键字:</td><td>森林草原,防火,火,人民政府,森林</td></tr>\n"
        "<tr><td>所属机构:</td><td>景泰县政府办公室</td><td>发布机构:</td><td></td></tr>\n"
        f"<tr><td colspan=\"4\">{html.escape(title)}</td></tr>\n"
        "</table>"
    )
    top = [meta, f"<h1>{html.escape(title)}</h1>",
           "<div class=\"info\">信息来源:景泰县人民政府 发布时间:2021-10-15 09:57 浏览次数:</div>"]
    text = (
        "2021年9月30日，景泰县人民政府发布了2021年度森林草原防火命令，现解读如下： "
        "一、背景依据 "
        "根据《森林防火条例》（国务院令第541号），《草原防火条例》（国务院令第542号），"
        "《甘肃省实施森林防火条例办法》（甘政发〔1990〕88号），《甘肃省草原防火办法》"
        "（2010年3月19日省政府第53次常务会议讨论通过，自2010年5月1日起施行，甘肃省人民政府令第66号）要求，"
        "发布森林草原防火命令，《甘肃省人民政府 2021 年度森林草原防火命令》（甘 政发〔2020〕60 号）、"
        "《白银市人民政府 2021 年度森林草原防火 命令》（市政发〔2020〕130 号） "
        "二、目标任务 "
        "有效预防、科学扑救森林草原火灾，确保人民生命财产安全和国家森林草原资源安全。 "
        "三、主要内容 "
        "明确我县森林草原防区域期限期。规定森林草原防火期，发布禁火令，严禁一切野外用火。严格控制野外火源。"
        "在森林草原防火期内，筑牢用火审批、入山检查、日常巡护、联防联保“四条防线”。"
        "在森林草原防火区内，禁止烧荒、烧秸秆、烧枝桠、烧煮加工山野菜、吸烟、烧纸、烧香、野炊、使用火把、点火取暖、"
        "燃放烟花爆竹和孔明灯、焚烧垃圾等一切野外用火行为。"
        "严格落实地方政府行政首长负责制为核心的森林草原防火责任制，森林草原防灭火指挥机构和乡镇人民政府"
        "要严格执行24小时值班带班、有火必报、报扑同步制度。任何单位和个人发现森林草原火灾火情，都应当立即报告。"
        "采取多种形式广泛开展森林草原防火宣传"
    )
    write("jingtai-2021-interpretation-cut", "解读景泰县人民政府2021年度森林草原防火命令.html",
          doc(title, top, [p(text)], cut=True))


def jiangyong() -> None:
    """江永县 (湖南·永州), 2021: the whole article (a mirror kept the article only, no portal chrome)."""
    title = "关于《江永县人民政府森林防火令》江永政令(2021)号的政策解读"
    content = [
        p("一、出台的背景及意义"),
        p("为深入《贯彻习近平总书记关于安全生产重要论述及指示批示》、《李克强总理关于安全生产重要指示批示》，"
          "严防森林火灾发生，保障人民群众的生命财产安全，保护好森林资源，维护生态安全。"),
        p("二、起草依据和过程"),
        p("（一）依照《中华人民共和国森林法》《森林防火条例》《湖南省森林防火实施办法》等有关法律、法规和规定，"
          "起草了江永县森林防火令。"),
        p("（二）该文件由县森林防火指挥部会同县林业局起草，经江永县司法局合法性审核后，报请县人民政府批准。"),
        p("三、文件主要内容"),
        p("（一）确定森林防火时期：2021年9月1日至2022年4月30日。其中，2022年1月28日至2022年2月18日为春节森林防火特别防护期，"
          "2022年3月25日至2022年4月15日为清明节森林防火特别防护期；上述两个时段以外，遇到连续高火险等级天气的，也属于特别防护期。"),
        p("（二）明确森林防火地域：全县所有山林以及距山林边缘300米以内的范围。"),
        p("（三）制定防火措施：在森林防火时期的防火地域内实行“七个严禁”。违规野外用火的，依照《森林防火条例》追究责任。"
          "特别防护期内，进入林区须严格执行扫“防火码”。违反的，依照《中华人民共和国治安管理处罚法》给予处罚。"),
        "<p style=\"text-align:right\">江永县人民政府</p>",
        "<p style=\"text-align:right\">2021年8月31日</p>",
    ]
    write("jiangyong-2021-interpretation-mirror", "江永县人民政府森林防火令政策解读.html",
          doc(title, [f"<h1>{html.escape(title)}</h1>"], content))


def wuhua() -> None:
    """五华县 (广东·梅州): 政策原文 link at the top; the capture stops inside 三、政策亮点 (四)."""
    title = "《五华县免除户籍人口殡葬基本服务费用实施方案》解读"
    policy = "五华县人民政府办公室关于印发五华县免除户籍人口殡葬基本服务费用实施方案的通知"
    top = [f"<h1>{html.escape(title)}</h1>"]
    content = [
        f"<p>政策原文：<a href=\"#\">{html.escape(policy)}</a></p>",
        p("《五华县免除户籍人口殡葬基本"),
        p("服务费用实施方案》解读"),
        p("一、制定背景"),
        p("为落实国家和省、市殡葬惠民政策要求，切实减轻群众的丧葬负担，推进殡葬改革和移风易俗，健全殡葬基本公共服务体系，"
          "五华县人民政府依据《关于强化全省殡葬基本公共服务的意见》（粤府〔2011〕67号）等文件精神，结合本县实际，制定了本实施方案。"),
        p("二、政策要点"),
        p("（一）免费对象"),
        p("1.本县户籍人口（含未入户的户籍人口所生子女），在本县或本省内死亡、遗体在本省殡仪馆火化的；"),
        p("2.公安机关出具证明的无名遗体。"),
        p("（二）免费项目及标准"),
        p("本实施方案明确了7项基本殡葬服务的免费项目及标准，具体为："),
        p("1.遗体接运（普通殡葬专用车）：按城区、农村及跨区域差异化收费；"),
        p("2.遗体存放（不超过3天）：300元封顶；"),
        p("3.遗体告别厅租用（小型）：200元/间；"),
        p("4.骨灰寄存（1年）：70元；"),
        p("5.遗体消毒费：60元/次；"),
        p("6.遗体火化：普通火化炉200元/具；"),
        p("7.骨灰盒（盅）（简易标准型）：不超过260元。"),
        p("（三）办理程序"),
        p("1.本地火化：经办人提交逝者的死亡证明、户籍证明和本人身份证，由殡仪馆直接免除费用；"),
        p("2.异地火化：持火化证明、费用发票等相关材料到本县殡仪馆报销，按户籍地标准执行。"),
        p("（四）经费保障"),
        p("1.费用由省、市、县三级财政分担（省补200元/具，市补100元/具，其余由县财政承担）；"),
        p("2.无名遗体以及经济困难家庭的费用纳入财政预算或酌情减免。"),
        p("三、政策亮点"),
        p("（一）全覆盖惠民：覆盖户籍人口和无名遗体，体现社会公平；"),
        p("（二）标准化服务：免费项目和上限明确，避免隐性收费；"),
        p("（三）异地报销机制：解决流动人口身后事办理难题；"),
        p("（四）财政兜底：三级财政分担，确保政"),  # the capture stops mid-word
    ]
    write("wuhua-2026-interpretation-public", "五华县免除户籍人口殡葬基本服务费用实施方案解读.html",
          doc(title, top, content, cut=True))


def datunying() -> None:
    """宁乡市大屯营镇 (湖南·长沙), 2023: two questions; a 相关文档 link to the 考核办法; the whole page."""
    title = "大屯营镇2023年农村人居环境常态化管理工作考核办法政策解读"
    policy = "大屯营镇2023年农村人居环境常态化管理工作考核办法"
    top = [
        "<div class=\"position\">首页 &gt; 政务公开 &gt; 部门信息公开目录 &gt; 宁乡市乡、镇政府 &gt; 宁乡市大屯营镇人民政府 "
        "&gt; 政策文件 &gt; 政策解读</div>",
        f"<h1>{html.escape(title)}</h1>",
        "<div class=\"info\">发布时间 : 2023-06-05 来源:宁乡市大屯营镇 所属单位:宁乡市大屯营镇 字体大小:</div>",
    ]
    content = [
        p("2023年6月1日，宁乡市大屯营镇人民政府印发《大屯营镇2023年农村人居环境常态化管理工作考核办法》（以下简称《考核办法》）。"
          "为便于群众更好地了解这项政策，现对有关内容解读如下："),
        p("一、为什么要出台《考核办法》？"),
        p("为深入落实中央、省和市农村人居环境整治提升五年（2021-2025年）行动方案的工作要求，巩固和拓展农村人居环境整治成果，"
          "加快建立以整理、整顿、清扫、清洁、素养、安全为主要内容的6S农村人居环境新模式。"
          "依据《宁乡市农村人居环境常态化管理工作考核办法》文件精神，结合本镇实际，特制定本办法。"),
        p("二、出台《实施方案》的重要意义？"),
        p("增强群众的环保意识，建设“镇在绿中、家在园中、人在景中”的宜居宜业和美乡村。"),
    ]
    foot = [
        "<div class=\"related\">",
        "<p>相关文档:</p>",
        f"<ul><li><a href=\"#\">{html.escape(policy)}</a></li></ul>",
        "</div>",
        "<div class=\"qr\">扫一扫在手机打开当前页</div>",
    ]
    write("datunying-2023-interpretation-qa", "大屯营镇2023年农村人居环境常态化管理工作考核办法政策解读.html",
          doc(f"{title} - 政策解读 - 宁乡市政府门户网站", top, content, foot))


def dianjiang() -> None:
    """垫江县 (重庆), 2026: background, three labelled points and a FAQ; the capture stops in FAQ (四)."""
    title = "垫江县人民政府森林防火令的政策解读"
    top = [
        "<div class=\"top\">登录 | 注册 | 部门街镇 | 无障碍 | 智能机器人 | 便民地图 | 支持IPV6</div>",
        f"<h1>{html.escape(title)}</h1>",
        "<div class=\"info\">日期: 2026-02-12</div>",
        "<div class=\"font\">字体:</div>",
    ]
    content = [
        p("近日，《垫江县人民政府森林防火令》（以下简称《防火令》）已正式印发。为便于社会公众了解其内容，现解读如下："),
        p("一、出台的背景依据"),
        p("为落实重庆市林业局有关森林防灭火工作的要求，有效预防森林火灾，保护全县森林资源和人民群众生命财产安全，"
          "依据《中华人民共和国森林法》《森林草原防灭火条例》《重庆市森林防火条例》等规定，"
          "制定《垫江县人民政府森林防火令》〔以下简称《防火令》〕。"),
        p("二、主要内容、核心举措、适用对象"),
        p("（一）主要内容：把防火区域内的生产用火、农事用火、施工作业等人为用火行为作为防火管控的主要内容。"),
        p("（二）核心举措：在防火时段，垫江县行政区域内所有林区及林区边缘100米范围内的区域。"),
        p("（三）适用对象：任何单位和个人。"),
        p("三、常见问题解答"),
        p("（一）什么是森林火灾？"),
        p("森林火灾指的是失去人为控制、在林地内自由蔓延扩展，给森林、森林生态系统和人类造成一定危害和损失的林火行为，"
          "这种灾害突发性强、破坏性大，处置救助也比较困难。"),
        p("（二）森林防火期的具体时间段是什么？"),
        p("按照《重庆市森林防火条例》的规定，为每年1月1日至5月10日、7月10日至10月10日。"),
        p("（三）在防火时段严禁哪些行为？"),
        p("1.禁止携带火种或者易燃易爆物品进入森林防火区域；"),
        p("2.禁止烧香烧纸、燃放烟花爆竹、燃放孔明灯、烤火、野炊、吸烟、火把照明、烧灰积肥、烧蜂（蚁）窝、烧山驱兽、"
          "使用枪械狩猎等其他用火；"),
        p("3.禁止其他未经批准的野外用火行为。"),
        p("（四）违反《防火令》会有什么后果？"),
        p("违反《防火令》的，可能受到罚款、拘留等行政处罚；造成严重后果的，还可能承担"),  # the capture stops here
    ]
    write("dianjiang-2026-interpretation-faq", "垫江县人民政府森林防火令的政策解读.html",
          doc(title, top, content, cut=True))


def pengan() -> None:
    """蓬安县 (四川·南充), published 2022-12-31: the capture stops inside 三、《命令》法律效力 (statute text)."""
    title = "蓬安县人民政府2023年森林防火命令的政策解读"
    top = [
        "<div class=\"top\">中国政府网 | 四川省人民政府 | 南充市人民政府</div>",
        "<div class=\"top\">网站支持IPv6 登录 注册 | 无障碍阅读</div>",
        "<ul class=\"nav\"><li>首页</li><li>新闻动态</li><li>政务公开</li><li>办事服务</li><li>互动交流</li>"
        "<li>走进蓬安</li></ul>",
        "<div class=\"tools\">智能问答 新媒体矩阵 官方微信 官方微博</div>",
        f"<h1>{html.escape(title)}</h1>",
        "<div class=\"info\">时间:2022-12-31 08:27 | 来源:蓬安县人民政府办公室</div>",
    ]
    content = [
        p("2022年12月30日，蓬安县人民政府发布了《蓬安县人民政府2023年森林防火命令》（以下简称《命令》）。现对《命令》内容解读如下："),
        p("一、背景和意义"),
        p("为有效预防和扑救森林火灾，确保人民生命财产和森林资源安全，依据《中华人民共和国森林法》《森林防火条例》"
          "《四川省森林防火条例》《四川省人民政府2023年森林防火命令》《南充市人民政府2023年森林防火命令》等有关规定，"
          "结合本县实际，制发本《命令》。"),
        p("二、目标任务"),
        p("以习近平新时代中国特色社会主义思想为指导思想，全面贯彻习近平总书记对森林草原防灭火工作的重要指示批示精神和"
          "李克强总理重要指示批示精神，认真落实党中央、国务院，省委、省政府，市委、市政府的决策部署，"
          "切实保障森林资源和人民生命财产安全，坚持以人民为中心，进一步深化本县森林防灭火工作。"),
        p("三、《命令》法律效力"),
        # statute text the page quotes, kept word for word
        p("《森林防火条例》第二十八条规定，森林防火期内，预报有高温、干旱、大风等高火险天气的，县级以上地方人民政府应当划定"
          "森林高火险区，规定森林高火险期。必要时，县级以上地方人民政府可以根据需要发布命令，严禁一切野外用火；"
          "对可能引起森林火灾的居民生活用火应当严格管理。"),
        p("《四川省森林防火条例》第二十二条规定，县级以上地方人民政府应当划定森林防火区，在预报有高温、干旱、大风、强雷暴等"
          "高火险天气时，应当划定森林高火险区，并向社会公布。必要时，县级以上地"),  # the capture stops mid-word
    ]
    write("pengan-2022-interpretation-legal", "蓬安县人民政府2023年森林防火命令的政策解读.html",
          doc(title, top, content, cut=True))


# ---------------------------------------------------------------------------------------------
# 1.1.2 org info
# ---------------------------------------------------------------------------------------------

def pingjiang() -> None:
    """平江县统计局 (湖南·岳阳), 2014: a 机构职能 page that tells the bureau's history; the whole page."""
    top = [
        "<ul class=\"meta\">",
        "<li>索 引 号:43060000/2014-1073378</li>",
        "<li>发布机构:平江县政府</li>",
        "<li>生成日期:2014-05-12 00:00:00.0</li>",
        "<li>公开日期:2014-05-12</li>",
        "<li>公开方式:政府网站</li>",
        "<li>公开范围:全部公开</li>",
        "</ul>",
        "<h1>机构职能</h1>",
        "<div class=\"info\">来源:统计局 2014-05-12 00:00</div>",
    ]
    content = [
        p("机构职能"),
        p("平江县统计局始建于1954年2月，前身是平江县统计科，1964年设立平江县统计局。转眼之间，平江县统计局已走过60年的光辉历程。"
          "局机关目前共有在职人员24人、退休人员10人。在职人员中，大专以上学历15人，中级以上职称9人，平均年龄35岁。"),
        p("60年沧海桑田，平江这块红色热土日新月异。统计基层基础工作不断加强。全县27个乡镇统计站都已配齐电脑、打印机、传真机等设备，"
          "办公条件日益完善，基本实现数据传输网络化、办公无纸化。随着经济社会日益全球化、数字化、信息化，"
          "统计工作也逐步从“幕后”走到“台前”，成为平江县域经济社会发展的“晴雨表”。与此同时，经济社会的快速发展对平江统计工作"
          "提出了新的要求和任务，平江县统计局随着时代发展不断壮大。在原有七个股室的基础上，2006年增设平江县社会经济调查队，"
          "2008年增设平江县民意调查中心，并持续加强业务培训，把全县统计人员培训列入县委组织部干训计划，精心组织、重点培训，"
          "以适应统计改革发展的需要和统计职能的扩展、功能的增强，更好地为县委、县政府和社会公众当好参谋、做好服务。"),
    ]
    write("pingjiang-2014-org-info", "平江县统计局机构职能.html", doc("机构职能", top, content))


def xinning() -> None:
    """新宁县农业农村局 (湖南·邵阳): the 单位概况 text; the page title is not in the stored copy."""
    top = ["<div class=\"header\">新宁县农业农村局</div>", "<h1>单位概况</h1>"]
    content = [
        p("根据《中共新宁县委 新宁县人民政府关于印发<新宁县机构改革方案>的通知》（新发〔2019〕2号）的规定，"
          "新宁县农业农村局（以下简称县农业农村局）是县人民政府工作部门，为正科级。"
          "县委农村工作领导小组办公室（以下简称县委农办）设在县农业农村局，接受县委农村工作领导小组的直接领导，"
          "承担县委农村工作领导小组的具体工作，组织开展“三农”重大问题政策研究，协调督促有关方面落实县委农村工作领导小组的"
          "决定事项、工作部署和要求等。设县委农办秘书股，负责处理县委农办的日常事务。"
          "县农业农村局的内设机构根据工作需要承担县委农办相关工作，接受县委农办的统筹协调。 "
          "县农业农村局贯彻落实党中央、省委和市委关于“三农”工作的方针政策和决策部署，全面落实县委关于“三农”工作的部署要求，"
          "在履职过程中坚持和加强党对“三农”工作的集中统一领导。行政编制25名，设局长1名、副局长3名、总农艺师1名；股级职数17名。"
          "机关后勤服务全额拨款事业编制1名，人员只出不进，编制出一减一。"),
        p("共有7个下属单位：县畜牧水产事务中心、县农机事务中心、县农业综合服务中心、白沙农场管理区、特色产业开发中心、"
          "县农民素质教育办公室、水冲农场管理区，有若干农业、畜牧业、农业机械专业技术人员。"),
    ]
    write("xinning-2026-org-info", "新宁县农业农村局单位概况.html", doc("单位概况", top, content))


ALL = [jingtai, jiangyong, wuhua, datunying, dianjiang, pengan, pingjiang, xinning]

if __name__ == "__main__":
    only = set(sys.argv[1:])
    for fn in ALL:
        if not only or fn.__name__ in only:
            fn()
            print("built", fn.__name__)
