"""Saved web pages (HTML): policy documents and policy interpretations as a portal shows them.

A page is a site header, a breadcrumb, a title, a metadata line or table, body elements and related
links; the elements carry what the 政策解读 indicators look at (images, video, links to the policy).
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Literal

from pydantic import BaseModel


class Element(BaseModel):
    kind: Literal["h", "p", "img", "video", "link", "qa"]
    text: str = ""  # heading/paragraph text; alt/caption for media; link text; question for qa
    href: str | None = None  # link target or media source
    lead: str = ""  # text before a link (e.g. 原文链接：); answer for qa


class WebPage(BaseModel):
    site: str
    site_url: str
    url: str
    breadcrumb: list[str]
    title: str
    meta_line: list[tuple[str, str]] = []  # 发布时间 / 来源 / 浏览次数
    meta_table: list[tuple[str, str]] = []  # 索引号 / 文号 / 有效性 (policy documents)
    body: list[Element]
    related: list[tuple[str, str]] = []  # (text, href)


def render(page: WebPage) -> str:
    e = escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{e(page.title)}_{e(page.site)}</title>",
        f'<link rel="canonical" href="{e(page.url)}">',
        "</head><body>",
        f'<div class="header"><a href="{e(page.site_url)}">{e(page.site)}</a></div>',
        '<div class="nav">' + " &gt; ".join(f"<span>{e(b)}</span>" for b in page.breadcrumb) + "</div>",
        '<div class="article">',
        f"<h1>{e(page.title)}</h1>",
    ]
    if page.meta_table:
        out.append('<table class="xxgk-meta">')
        pairs = page.meta_table
        for i in range(0, len(pairs), 2):
            cells = "".join(f"<th>{e(k)}：</th><td>{e(v)}</td>" for k, v in pairs[i:i + 2])
            out.append(f"<tr>{cells}</tr>")
        out.append("</table>")
    if page.meta_line:
        out.append('<div class="info">' + "".join(f"<span>{e(k)}：{e(v)}</span> " for k, v in page.meta_line)
                   + "</div>")
    out.append('<div class="content">')
    for el in page.body:
        if el.kind == "h":
            out.append(f"<h3>{e(el.text)}</h3>")
        elif el.kind == "p":
            out.append(f"<p>{e(el.text)}</p>")
        elif el.kind == "img":
            out.append(f'<p class="img"><img src="{e(el.href or "")}" alt="{e(el.text)}"></p>'
                       f'<p class="caption">{e(el.text)}</p>')
        elif el.kind == "video":
            out.append(f'<p class="video"><video controls src="{e(el.href or "")}"></video></p>'
                       f'<p class="caption">{e(el.text)}</p>')
        elif el.kind == "link":
            out.append(f'<p>{e(el.lead)}<a href="{e(el.href or "")}">{e(el.text)}</a></p>')
        elif el.kind == "qa":
            out.append(f"<p><strong>问：{e(el.text)}</strong></p><p>答：{e(el.lead)}</p>")
    out.append("</div>")
    if page.related:
        out.append('<div class="related"><h4>相关链接</h4><ul>')
        out += [f'<li><a href="{e(h)}">{e(t)}</a></li>' for t, h in page.related]
        out.append("</ul></div>")
    out += ["</div>", f'<div class="footer">主办单位：{e(page.site)}</div>', "</body></html>"]
    return "\n".join(out) + "\n"


def write_html(page: WebPage, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(page), encoding="utf-8")
