"""A generated corpus of Chinese government PDFs (invented 廊坊 counties), cached under bench/out/.

Each PDF has `pages` pages: a numbered heading, five paragraphs and, on every third page, a ruled
table (budget lines or a request ledger). Text uses reportlab's built-in CID font STSong-Light,
so the PDFs have a real text layer that pdfium/pdfplumber/pypdf all read.
"""

from __future__ import annotations

import random
from pathlib import Path

UNITS = ["香河县", "大城县", "文安县", "固安县", "永清县"]
TOPICS = [
    ("主动公开情况", "主动公开政府信息{n}条，其中规范性文件{m}件，政策解读{k}篇，均在政府网站政府信息公开专栏发布。"),
    ("依申请公开情况", "全年收到政府信息公开申请{n}件，按期答复{m}件，延期答复{k}件，答复均在法定期限内完成。"),
    ("政府信息管理", "对现行有效的规范性文件开展清理，废止{k}件，修改{m}件，并在政府网站集中公布清理结果。"),
    ("平台建设", "政府门户网站首页链接可用率达到100%，政务新媒体{k}个，全年发布信息{n}条，无错链断链情况。"),
    ("监督保障", "将政务公开纳入绩效考核，组织专题培训{k}次，培训{n}人次，社会评议满意度为{p}%。"),
    ("重大行政决策", "对{k}项重大行政决策草案公开征求意见，征求意见期限不少于30日，收到意见{m}条并公开采纳情况。"),
    ("三公经费", "“三公”经费支出{p}万元，其中公务接待费{k}.{m}万元，公务用车运行维护费{n}万元，较上年有所下降。"),
]
FILLERS = [
    "下一步将继续深化政务公开标准化规范化建设，进一步提升公开质量和实效。",
    "严格落实“五公开”要求，推进决策、执行、管理、服务、结果全过程公开。",
    "对群众关注度高的政策文件，同步开展图文、视频等多种形式的解读。",
    "加强政府信息公开保密审查，杜绝泄密事件发生，确保公开信息准确、规范。",
    "完善依申请公开办理流程，规范答复文书格式，准确引用法律条款。",
]


def _styles():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=11, leading=17, firstLineIndent=22,
                          wordWrap="CJK")
    head = ParagraphStyle("head", parent=body, fontSize=14, leading=22, firstLineIndent=0, spaceAfter=6)
    return body, head


def _table(rng: random.Random, page: int):
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    if page % 2:
        rows = [["项目", "预算数（万元）", "决算数（万元）", "完成率"]]
        for item in ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费", "会议费", "培训费"):
            budget = rng.randint(5, 90) + rng.randint(0, 99) / 100
            actual = round(budget * rng.uniform(0.6, 1.0), 2)
            rows.append([item, f"{budget:.2f}", f"{actual:.2f}", f"{actual / budget:.1%}"])
    else:
        rows = [["序号", "申请内容", "收到日期", "答复日期", "答复类型"]]
        for i in range(1, 7):
            rows.append([str(i), f"第{rng.randint(1, 99)}号地块征收补偿信息", f"2023-0{rng.randint(1, 9)}-1{i}",
                         f"2023-0{rng.randint(1, 9)}-2{i}", rng.choice(["予以公开", "部分公开", "信息不存在"])])
    table = Table(rows)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "STSong-Light"), ("FONTSIZE", (0, 0), (-1, -1), 10),
                               ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    return table


def write_pdf(path: Path, seed: int, pages: int) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    rng = random.Random(seed)
    body, head = _styles()
    unit = UNITS[seed % len(UNITS)]
    story = [Paragraph(f"{unit}人民政府办公室2023年政府信息公开工作年度报告（第{seed}号）", head)]
    numerals = "一二三四五六七八九十"
    for page in range(pages):
        title, template = TOPICS[(seed + page) % len(TOPICS)]
        story.append(Paragraph(f"{numerals[page % 10]}、{title}", head))
        for _ in range(5):
            values = {"n": rng.randint(10, 3000), "m": rng.randint(1, 99), "k": rng.randint(1, 30),
                      "p": rng.randint(60, 99)}
            text = f"{unit}{template.format(**values)}{rng.choice(FILLERS)}{rng.choice(FILLERS)}"
            story.append(Paragraph(text, body))
        if page % 3 == 2:
            story += [Spacer(1, 6), _table(rng, page)]
        story.append(PageBreak())
    SimpleDocTemplate(str(path), pagesize=A4, topMargin=50, bottomMargin=50).build(story)


def ensure_corpus(root: Path, n_docs: int, pages: int) -> list[Path]:
    """The cached corpus (generated once; a marker file records completion)."""
    directory = root / f"corpus-{n_docs}x{pages}"
    marker = directory / ".complete"
    paths = [directory / f"{UNITS[i % len(UNITS)]}-{i:03d}-年度报告.pdf" for i in range(n_docs)]
    if not marker.exists():
        directory.mkdir(parents=True, exist_ok=True)
        for i, path in enumerate(paths):
            if not path.exists():
                tmp = path.with_suffix(".tmp")
                write_pdf(tmp, i, pages)
                tmp.replace(path)
        marker.write_text("ok", encoding="utf-8")
    return paths
