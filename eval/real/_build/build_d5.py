"""Regenerate the d5 real-document cases: short annual reports (a township, two district
departments/agencies, a town) whose stored opening is long enough to decide 1.1.9 sub 1 and,
where the improvement part is reachable, sub 2.

Facts (figures, dates, headings, table labels and cells, their layout and their mistakes) are
as the portals published them; running prose is reworded sentence by sentence. Only the part of
each page that was reachable in the stored copy is built (see each case's SOURCES.md).

Run: /work/main/.venv/bin/python eval/real/_build/build_d5.py   (from the worktree root)
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, "/work/main")
from eval.samplegen.common import register_pdf_fonts  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def write(case: str, name: str, data: str | bytes, encoding: str = "utf-8") -> Path:
    p = ROOT / case / "docs" / name
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode(encoding)
    p.write_bytes(data)
    return p


def page(title: str, crumb: str, meta: str, paras: list[str], footer: str = "") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paras)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{title}</title></head>
<body>
<div class="crumb">{crumb}</div>
<div class="article">
<h1>{title}</h1>
<div class="info">{meta}</div>
<div class="content">
{body}
</div>
</div>
<div class="footer">{footer}</div>
</body>
</html>
"""


# ---------------------------------------------------------------- 1. 福田区集体经济发展服务署 2021 (HTML)
def futian() -> None:
    title = "2021年区集体经济发展服务署政府信息公开工作年度报告"
    paras = [
        "一、总体情况",
        "我署按照福田区政府的统一部署推进政府信息公开工作，依法主动公开各类政务信息，并落实保密审查制度。",
        "为健全政府信息公开的工作机构和人员配置，我署设立了政务信息公开工作领导小组，由综合协调部承担信息公开各项工作，"
        "并建立健全政府信息公开发布审核机制。到2021年底，我署政府信息公开工作运转正常，主动公开、网上咨询和依申请公开各项工作开展顺利，社会效果良好。",
        "2021年，我署共公开信息121条，其中，机构职能信息7条，政策法规5条，规划计划与总结信息3条，预决算信息2条，"
        "信息公开年报信息1条，“三公”经费信息2条，工作动态信息75条，通知公告信息8条，民意征集信息3条，情况反馈信息3条，"
        "常见问题信息12条；全年未收到政府信息公开申请，也未发生政府信息公开行政复议、行政诉讼。",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "我署政府信息公开工作存在的主要问题是：对政府信息公开的认识仍需加深，政务公开的质量水平仍需提高，政府信息公开内容和工作程序仍需进一步规范。",
        "下一步，我署将进一步加强对本单位政府信息与政务公开工作的领导，进一步提高思想认识、增强工作自觉性，"
        "健全单位信息公开制度，提升政务公开质量水平，完善台帐建立，严格执行规章制度。",
        "六、其他需要报告的事项",
        "收取信息处理费的情况：本年度未发出收费通知，未收取信息处理费。",
        "福田区集体经济发展服务署",
        "2022年1月11日",
    ]
    html = page(title, "首页 &gt; 区部门网站 &gt; 区集体经济发展服务署 &gt; 信息公开年报",
                "信息提供日期 : 2022-01-21 17:48来源 : 深圳市福田区集体经济发展服务署", paras)
    write("futian-jtjj-2021-agency-annual", "2021年区集体经济发展服务署政府信息公开工作年度报告.html", html)


# ---------------------------------------------------------------- 2. 佳县螅镇 2022 (flattened TXT, old format, empty cells)
def xizhen() -> None:
    cells = [
        "第二十条第(一)项", "信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量", "规章", "规范性文件",
        "第二十条第(五)项", "信息内容", "上一年项目数量", "本年增/减", "处理决定数量", "行政许可", "其他对外管理服务事项",
        "第二十条第(六)项", "信息内容", "上一年项目数量", "本年增/减", "处理决定数量", "行政处罚", "行政强制",
        "第二十条第(八)项", "信息内容", "上一年项目数量", "本年增/减", "行政事业性收费",
        "第二十条第(九)项", "信息内容", "采购项目数量", "采购总金额", "政府集中采购",
    ]
    t3 = [
        "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", "申请人情况", "自然人", "法人或其他组织", "总计",
        "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他",
        "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果",
        "(一)予以公开", "(二)部分公开(区分处理的,只计这一情形,不计其他情形)", "(三)不予公开",
        "1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
        "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项",
        "(四)无法提供", "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作",
    ]
    lines = [
        "【字体:      】  打印",
        "2022年度螅镇政府信息公开工作年度报告",
        "来源:原创     发布时间:2023-01-31 13:24    浏览次数:次    ",
        "",
        "一、总体情况",
        "",
        "2022年，螅镇在县政府办的指导下，紧扣镇党委、镇政府的中心工作，依照“应公开、尽公开”的要求，有序推进政务公开各项工作。"
        "全年主动公开政务文件11份，开展政策解读活动15次。",
        "",
        "二、主动公开政府信息情况",
        "",
    ]
    for c in cells:
        lines += [c, ""]
    lines += ["三、收到和处理政府信息公开申请情况", ""]
    for c in t3:
        lines += [c, ""]
    write("jiaxian-xizhen-2022-annual-flat-txt", "2022年度螅镇政府信息公开工作年度报告.txt", "\n".join(lines))


# ---------------------------------------------------------------- 3. 五常市背荫河镇 2022 (PDF print of the portal page)
def wrap(text: str, width: int) -> list[str]:
    out, cur = [], ""
    for ch in text:
        cur += ch
        if len(cur) >= width:
            out.append(cur)
            cur = ""
    if cur:
        out.append(cur)
    return out


def pdf(path: Path, blocks: list[tuple[str, str]]) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    body_font, head_font = register_pdf_fonts()
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    w, h = A4
    y = h - 60
    for style, text in blocks:
        if style == "t":
            font, size, width = head_font, 14, 30
        elif style == "h":
            font, size, width = head_font, 12, 38
        else:
            font, size, width = body_font, 11, 42
        for line in wrap(text, width):
            if y < 60:
                c.showPage()
                y = h - 60
            c.setFont(font, size)
            if style in ("t", "c"):
                c.drawCentredString(w / 2, y, line)
            else:
                c.drawString(56, y, line)
            y -= 20
        y -= 4
    c.showPage()
    c.save()


def beiyinhe() -> None:
    case = "wuchang-beiyinhe-2022-annual-pdf"
    d = ROOT / case / "docs"
    d.mkdir(parents=True, exist_ok=True)
    blocks = [
        ("t", "五常市背荫河镇2022年政府信息公开工作年度报告"),
        ("c", "日期:2023-01-11 来源:五常市人民政府"),
        ("p", "本报告依据《中华人民共和国政府信息公开条例》（国务院令第711号）、《国务院办公厅政府信息与政务公开办公室关于印发"
              "中华人民共和国政府信息公开工作年度报告格式的通知》（国办公开办函〔2021〕30号）以及省、市关于政府信息公开工作的"
              "部署要求编制。报告数据的统计期限为2022年1月1日至2022年12月31日。本年度报告可在哈尔滨市人民政府门户网站→政府"
              "信息公开专栏查阅，网址为：http://wcsxxgk.harbin.gov.cn/col/col12596/index.html。如有疑问，请与五常市背荫河镇"
              "政府联系，地址：五常市背荫河镇背荫河大街，邮编：150227，电话：0451-55851927。"),
        ("h", "一、总体情况"),
        ("p", "（一）主动公开。依照条例要求，为便于公众了解，主动公开工作动态、通知公告等类别的政府信息。"),
        ("p", "（二）依申请公开。2022年度，背荫河镇没有收到、也没有办理政府信息公开申请，实行零报告。"),
        ("p", "（三）政府信息管理。及时公开相关政策法规、办事程序、办事条件和服务承诺等事项，并依托投诉处理机制，"
              "及时研究解决群众反映的问题。"),
        ("p", "（四）政务信息公开平台建设。公开平台主要有政府网站、微信公众号、政府信息公开栏、便民手册、服务指南以及"
              "公告、通告等，其中最常用的是政府网站和微信。"),
        ("p", "（五）监督保障。通过全年的政府信息公开，提高政务管理透明度，广泛接受社会各界监督，推动机关内部管理"
              "制度化、科学化、规范化。全年没有发生涉及背荫河镇政府信息公开事务的行政复议案件、行政诉讼案件和举报申诉件。"),
        ("h", "二、主动公开政府信息情况"),
        ("h", "三、收到和处理政府信息公开申请情况"),
        ("h", "四、政府信息公开行政复议、行政诉讼情况"),
        ("h", "五、存在的主要问题及改进情况"),
    ]
    pdf(d / "五常市背荫河镇2022年政府信息公开工作年度报告.pdf", blocks)


# ---------------------------------------------------------------- 4. 浑南区国资局 2022 (TXT export, whole report)
def hunnan() -> None:
    lines = [
        "浑南区国资局",
        "依照《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）"
        "的相关要求，区政府国资局现将2022年政府信息公开工作年度报告公布如下。",
        "一、总体情况",
        "（一）主动公开",
        "2022年度，区政府国资局在区政府门户网站政务公开专栏主动公开政府信息4条。",
        "（二）依申请公开",
        "2022年，区政府国资局没有收到政府信息公开申请。",
        "（三）政府信息管理",
        "区政府国资局依照规定程序办理依申请公开，规范工作流程，明确依申请受理各环节的具体要求，积极推进政务信息管理。",
        "（四）政府公开平台建设",
        "我局立足工作实际，持续提高信息公开标准化、规范化水平，严格执行“应公开、尽公开、快公开”的要求，保证公开内容准确无误。",
        "（五）监督保障",
        "我局严格落实《中华人民共和国政府信息公开条例》的要求，定期检查已发布的信息，保障信息公开工作顺利开展，"
        "持续提升政务公开工作能力。本年度未发生行政复议、行政诉讼。",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "对照《中华人民共和国政府信息公开条例》的要求，2022年度信息公开工作仍有一定差距，存在对《条例》学习宣传不够、"
        "教育培训不足、对信息公开工作认识不深的问题。",
        "下一步，我局将依照《中华人民共和国政府信息公开条例》的要求，进一步提高认识，加强培训，提升信息公开工作水平，"
        "及时更新、扩大公开内容，保证公开信息完整准确。",
        "六、其他需要报告的事项",
        "2022年，区政府国资局未收取信息处理费。",
        "更多精彩内容欢迎扫描下方二维码关注浑南区!",
    ]
    write("hunnan-guoziju-2022-dept-annual-txt", "浑南区国资局2022年政府信息公开工作年度报告.txt", "\n".join(lines) + "\n")


if __name__ == "__main__":
    futian()
    xizhen()
    beiyinhe()
    hunnan()
