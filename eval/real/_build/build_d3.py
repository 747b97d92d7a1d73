"""Builds the real-document 政策解读 cases of share d3 (HTML pages rebuilt from captured portal pages).

Run: /work/main/.venv/bin/python eval/real/_build/build_d3.py  (from the worktree root)
Facts (titles, dates, 文号, figures, headings and their slips) are kept as published; running prose is
reworded sentence by sentence.  Where the capture of a page stopped, the page stops there too and an
HTML comment (not page content) says so; SOURCES.md of each case records what was reachable.
"""
from __future__ import annotations

from common import CASES, write  # first: it puts the repo on sys.path

REAL = CASES



TRUNC = "<!-- 采集到此为止：页面其余部分未能取得（见 SOURCES.md） -->"

# ---------------------------------------------------------------- 舞钢市 (河南·平顶山) 2023
WUGANG_HEAD = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{title}</title>
<link rel="canonical" href="{url}">
</head><body>
<div class="top"><span>微信</span> <span>智能问答</span> <span>繁體版</span> <span>本网站已支持IPV6</span></div>
<table class="xxgk">
<tr><td>文号</td><td>{wh}</td><td>索引号</td><td>{syh}</td><td>发文日期</td><td>{fwrq}</td><td>有效性</td><td></td></tr>
<tr><td>主题分类</td><td>{ztfl}</td><td>成文日期</td><td>{cwrq}</td><td>服务对象</td><td></td></tr>
</table>
<div class="position">您当前的位置:首页 - 政府信息公开 - 市政府信息公开目录 - {crumb}</div>
<div class="article">
<h1>{h1}</h1>
<div class="info">发布日期:{fbrq} 来源: 浏览次数:</div>
<div class="content">
"""

wugang_interp = WUGANG_HEAD.format(
    title="【政策解读】关于《舞钢市和美乡村示范创建活动实施方案》的政策解读",
    url="http://zgwg.gov.cn/contents/15691/367007.html",
    wh="", syh="00wgs-00000-2023-00006", fwrq="2023-04-13", ztfl="政策解读", cwrq="2023-04-13",
    crumb="政策解读", h1="【政策解读】关于《舞钢市和美乡村示范创建活动实施方案》的政策解读",
    fbrq="2023-04-13",
) + """<p>一、政策背景</p>
<p>推进乡村建设行动，既是乡村振兴战略的一项重要任务，也是国家现代化建设的重要组成部分。近几年来，舞钢市按照中央和河南省的决策部署，着力抓农村基础设施建设和农村人居环境整治，全市农民群众的获得感幸福感安全感明显提升，先后获评“全国村庄清洁行动先进县”“全国乡村振兴示范县创建县”、“平安中国示范市”、“全国信访工作示范市”、“河南省乡村振兴示范县”等荣誉但我市农村基础设施依然薄弱，乡村基本公共服务仍不够完善，同农业农村现代化的要求、同农民群众对美好生活的期待还存在差距，为让我市乡村建设取得更大突破，在这样的背景下出台了《舞钢市和美乡村示范创建活动实施方案》</p>
<p>二、主要内容</p>
<p>《实施方案》由五大部分组成：指导思想、工作目标、创建内容、创建程序、工作要求，目的是以和美乡村示范创建为抓手，通过创建和美乡村示范村庄、和美乡村示范镇区、和美乡村示范带，进一步巩固全市农村人居环境整治成果，加快我市宜居宜业和美乡村建设步伐。创建内容涵盖乡村规划、人居环境、特色产业、田园风光、基础设施、管理规范、公共服务、乡村治理八个方面，创建工作按申报推荐、组织创建、验收奖励、定期复核等四个程序推进。</p>
<p>三、保障措施</p>
""" + TRUNC + "\n</div>\n</div>\n</body></html>\n"

wugang_policy = WUGANG_HEAD.format(
    title="关于印发舞钢市和美乡村示范创建活动实施方案的通知",
    url="http://zgwg.gov.cn/contents/33020/362508.html",
    wh="舞政办〔2023〕4号", syh="00wgs-00000-2023-00004", fwrq="2023-04-06", ztfl="市政府办文件",
    cwrq="2023-04-06", crumb="政策 - 其他文件 - 市政府办文件",
    h1="关于印发舞钢市和美乡村示范创建活动实施方案的通知", fbrq="2023-04-06",
) + """<p>舞政办〔2023〕4号</p>
<p>关于印发舞钢市和美乡村示范创建活动实施方案的通知</p>
<p>各乡镇人民政府、街道办事处，市人民政府各部门，市直各单位：</p>
<p>舞钢市和美乡村示范创建活动实施方案》已经市政府同意，现印发给你们，请认真贯彻执行。</p>
<p style="text-align:right">2023年3月21日</p>
<p style="text-align:center">舞钢市和美乡村示范创建活动实施方案</p>
<p>为深入实施乡村振兴战略，进一步巩固农村人居环境整治成果，加快宜居宜业和美乡村建设步伐。经市委、市政府研究，决定在全市7个乡镇、3个涉农街道开展和美乡村示范创建活动，特制定本方案。</p>
<p>一、指导思想</p>
<p>以习近平新时代中国特色社会主义思想为指导，深入贯彻党的二十大精神，认真落实中央、省委农村工作会议精神，把和美乡村示范创建作为抓手，以实现“乡村规划齐全、生态环境宜居、特色产业富强、田园风光靓丽、基础设施完善、公共服务健全、乡村治理和谐”为总体目标，遵循“规划先行、示范引领、因地制宜、梯次推进、彰显特色”的基本思路，力争用2--3年时间，努力打造东南西北4个和美乡村示范带，推动乡村建设提档升级，统筹整合各类资源，增强农民群众主动参与的主人翁意识，推进和美乡村建设。</p>
<p>二、工作目标</p>
""" + TRUNC + "\n</div>\n</div>\n</body></html>\n"

write("wugang-2023-interpretation-partial", "舞钢市和美乡村示范创建活动实施方案政策解读.html", wugang_interp)
write("wugang-2023-interpretation-partial", "舞政办〔2023〕4号.html", wugang_policy)

# ---------------------------------------------------------------- 舞阳县 (河南·漯河) 2023
wuyang_interp = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>《舞阳县乡村建设示范创建工作方案》政策解读</title>
<link rel="canonical" href="http://wuyang.gov.cn/zhengwugongkai/zhengcejiedu/20240630/93835.html">
</head><body>
<div class="lm">政策解读</div>
<div class="article">
<h1>《舞阳县乡村建设示范创建工作方案》政策解读</h1>
<div class="info">来源:&nbsp;&nbsp;&nbsp; 信息时间:2023-07-05 &nbsp;&nbsp;&nbsp; 阅读次数:</div>
<div class="content">
<p>　　乡村建设示范创建工作的主要内容是：把城乡基础设施一体化和基本公共服务均等化作为发展目标，聚焦推进县域城乡基础设施建设一体化、基本公共服务均等化、提升乡村治理水平、推动农村精神文明建设，汇聚乡村建设“人、才、物”等要素，分梯次开展示范乡镇、示范村创建，科学编制乡村规划，积极推进乡村基础设施建设、完善公共服务、改善人居环境，促进城乡融合发展。现就有关内容解读如下：</p>
<p>　　为深入推进本县乡村建设示范创建工作，依据《河南省乡村建设示范创建方案》的要求，结合我县实际，制定了《舞阳县乡村建设示范创建工作方案》，更好推动乡村全面振兴提供路径支撑。</p>
<p>　　2023年6月，县领导小组带领农业农村局着手相关文件的筹备起草，依据《河南省乡村建设示范创建方案》等文件精神形成了初稿。其间多次召集县直有关单位、乡镇负责同志座谈，听取意见建议，反复修改完善后形成征求意见稿，又经过合法性审核程序和县政府常务会议讨论通过，于2023年7月3日经县委党委农村工作领导小组会议研究同意，当日以舞农领〔2023〕28号印发实施。</p>
<p>　　第一部分为总体要求。包括指导思想和基本原则两项内容。第二部分为工作目标。一是全面完成省级乡村建设示范县创建各项目标任务。二是高标准打造乡村建设示范环线，成功争创为全省“四好农村路”示范县。三是建成金花村20个，银花村40个，提升村140个，示范带动全县乡村建设。四是到2024年，乡村建设取得明显成效，走在全市、全省前列。第三部分为工作任务。（一）规划编制。（二）基础设施。（三）人居环境。（四）公共服务（五）治理体系。</p>
""" + TRUNC + "\n</div>\n</div>\n</body></html>\n"

write("wuyang-2023-interpretation-copied", "舞阳县乡村建设示范创建工作方案政策解读.html", wuyang_interp)

if __name__ == "__main__":
    print("built")

# ---------------------------------------------------------------- 大姚县 (云南·楚雄州) 2024：政策问答单条
dayao_qa = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>什么是城镇老旧小区?</title>
<link rel="canonical" href="http://dayao.gov.cn/info/egovinfo/1007/overt_centent/dyx013-/2024-0607003.htm">
</head><body>
<div class="toolbar"><span>无障碍浏览</span> <span>长者模式</span></div>
<div class="site">大姚县人民政府</div>
<div class="position">首页 &gt;&gt; 公开信息内容</div>
<div class="article">
<h1>什么是城镇老旧小区?</h1>
<table class="xxgk">
<tr><td>索 引 号:</td><td>dyx013-/2024-0607003</td><td>公文目录:</td><td>政策问答</td><td>发文机构:</td><td>大姚县住房和城乡建设局</td></tr>
<tr><td>主 题 词:</td><td></td><td>发布日期:</td><td>2024年06月07日</td><td>文  号:</td><td></td></tr>
<tr><td>标  题:</td><td>什么是城镇老旧小区?</td><td>成文日期:</td><td>2024年06月07日</td></tr>
</table>
<div class="content">
<p>答：城镇老旧小区，指的是位于城市或县城建成区范围内、建成年代较久、市政配套设施老化、公共服务设施缺失的住宅小区，以2000年12月31日以前建成的房改房、集资房、福利房小区为主，以居民自建房为主的区域和城中村（含独幢建筑楼）不在其列；改造范围可以适当放宽到2005年底以前建成的小区，但按居民户数计算不得超过当年改造任务数的15%）。</p>
</div>
</div>
</body></html>
"""
write("dayao-2024-interpretation-qa", "什么是城镇老旧小区.html", dayao_qa)
