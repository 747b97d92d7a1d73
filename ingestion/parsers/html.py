"""Saved web pages (BeautifulSoup + lxml): article text without site boilerplate, tables, links, media.

Boilerplate heuristic (documented in docs/ingestion-formats.md), applied in this order:
1. scripts, styles, templates, forms and <head> never become text;
2. <nav>, <header>, <footer>, <aside> and elements whose id/class names a site part (nav, menu,
   header, footer, breadcrumb, sidebar, banner, copyright, share, toolbar, login, search, position)
   are dropped, unless they hold the page's <h1>, most of its text, or a short article mark
   (发布日期, 信息来源, 附件, 原文链接 …);
3. a block-level container whose text is mostly link text (link density > 0.5, more than 2 links) is
   a link list (menus, "相关链接") and is dropped, unless it carries an article mark (附件 lists) or
   is a column's dated document list that holds a good part of the page (a 年报 column listing).
trafilatura was tried first: it drops the 发布日期 line and flattens tables, both needed downstream.

What remains is walked in document order: block elements become paragraphs (headings from <h1-6>
and Chinese numbering), <br> ends a line, tables keep their rowspan/colspan, <a href> runs become
Links, and <img>/<video>/<audio>/<iframe>/<embed>/<object> become Media (a `data:` URL is not stored).

The links of what steps 2 and 3 dropped are not lost: after the main text comes a 【网站导航】
section, one line per dropped menu ("首页 | 信息公开指南 | …"), as BlockKind.navigation blocks and
Links with navigation=True (a <ul>/<li> menu item without a link is kept too, with an empty href). Rules that check a site's columns (5.1.1, 1.1.1(3)) read and cite it;
the main text (Document.main_text, a prefix of `text`) and what other rules read stay free of it.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from core.document import BlockKind, DateKind, Media, MediaKind
from core.settings import Settings
from ingestion import limits
from ingestion.builder import CellSpec, clean_cell
from ingestion.errors import ParseError
from ingestion.numbering import heading_level
from ingestion.parsers import Parsed
from ingestion.parsers.tabular import detect_header_rows

_NEVER_TEXT = ["script", "style", "noscript", "template", "head", "form", "button", "select", "svg", "canvas"]
_BOILER_TAGS = ["nav", "header", "footer", "aside"]
_BOILER_NAME = re.compile(
    r"(^|[-_ ])(nav|navbar|menu|header|head|top|topbar|footer|foot|bottom|breadcrumb|crumbs?|sidebar|banner|"
    r"copyright|share|toolbar|login|search|friendlink|position|location|weizhi|daohang)([-_ \d]|$)",
    re.IGNORECASE,
)
# site tools inside the article box: font size, print, close, share, view counter
_TOOLBAR = re.compile(
    r"^(\s*[【\[]?\s*(字体|字号)\s*[:：]?\s*[大中小\s]*[】\]]?|\s*[【\[]?\s*(打印本页|打印|关闭窗口|关闭本页|关闭|"
    r"收藏|返回顶部|分享到[:：]?.*|浏览次数[:：]?\s*\d*|访问量[:：]?\s*\d*)\s*[】\]]?)+\s*$"
)
# site tools, not navigation: their links are not kept in the 【网站导航】 section
_TOOLS_NAME = re.compile(r"(^|[-_ ])(share|toolbar|login|search)([-_ \d]|$)", re.IGNORECASE)
_ICON_IMAGE = re.compile(r"logo|icon|banner|btn|button|qrcode|ewm|erweima|share|spacer|blank\.gif|arrow|dot\.",
                         re.IGNORECASE)
# text that marks an element as part of the article even inside a boilerplate-looking box
_ARTICLE_MARKS = re.compile(r"发布日期|发布时间|发文日期|成文日期|信息来源|附件|原文链接|相关文件")
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "blockquote",
               "h1", "h2", "h3", "h4", "h5", "h6", "pre", "center", "figure", "figcaption", "address", "tr", "td",
               "th", "tbody", "thead", "tfoot", "body"}
_PROSE_TAGS = ["p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"]
LAYOUT_CELL_CHARS = 150
_MEDIA = {"img": MediaKind.image, "video": MediaKind.video, "audio": MediaKind.audio,
          "iframe": MediaKind.iframe, "embed": MediaKind.video, "object": MediaKind.video}
_META_DATE_NAMES = {"pubdate", "publishdate", "article:published_time", "published_time", "firstpublishedtime",
                    "dc.date", "dc.date.issued", "date", "releasedate"}
_TITLE_SUFFIX = re.compile(r"\s*[-_|｜—]+\s*[^-_|｜—]*(政府|网|门户|平台)[^-_|｜—]*$")
_ISO = re.compile(r"(20\d\d)[-/.年](\d{1,2})[-/.月](\d{1,2})")
_LIST_DATE = re.compile(r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")
LISTING_SHARE = 0.4
_LIST_TAGS = ["ul", "ol", "table", "dl", "div", "section"]
NAV_MAX_LINKS = 300  # a mega-menu beyond this adds nothing a rule needs
NAV_LINK_CHARS = 100
NAV_ITEM_CHARS = 30  # a menu item without a link: a column name, not a sentence


def _text_len(tag: Tag) -> int:
    return len(tag.get_text(strip=True))


def _is_boilerplate(tag: Tag, total: int, title: str = "") -> bool:
    names = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
    if tag.name not in _BOILER_TAGS and not (names.strip() and _BOILER_NAME.search(names)):
        return False
    # protections: the article itself sometimes sits in a "header"-named box
    if tag.find("h1") is not None or (total and _text_len(tag) > 0.6 * total):
        return False
    text = tag.get_text()
    if title and len(title) >= 6 and title in re.sub(r"\s+", "", text):
        return False  # the box holding the article's title (a styled <div>, no <h1>)
    return not (_ARTICLE_MARKS.search(text) and _text_len(tag) < 300)


def _link_density_high(tag: Tag) -> bool:
    links = tag.find_all("a")
    if len(links) <= 2:
        return False
    text = _text_len(tag)
    link_text = sum(len(a.get_text(strip=True)) for a in links)
    return text > 0 and link_text / text > 0.5


def _is_dated_listing(tag: Tag, total: int) -> bool:
    """A column's document list (title links with their dates, e.g. a 年报 column) is the page's
    content, not a menu: two or more of its items (li/tr/dd/…), and at least half of them, hold a link
    and a date, and it holds at least LISTING_SHARE of the page's text (a short 相关阅读 list beside
    an article does not)."""
    if tag.name == "table":
        items = [tr for tr in tag.find_all("tr") if tr.find_parent("table") is tag]
    else:
        items = tag.find_all(["li", "tr", "dd", "dt", "p", "div", "tbody"], recursive=False)
        if len(items) == 1 and items[0].name == "tbody":
            items = items[0].find_all("tr", recursive=False)
    dated = sum(1 for item in items if item.find("a") is not None and _LIST_DATE.search(item.get_text()))
    return dated >= 2 and dated * 2 >= len(items) and _text_len(tag) >= LISTING_SHARE * total


def _listings_and_ancestors(body: Tag, total: int) -> set[int]:
    """ids of the dated column listings and of every element holding one: none of them is dropped
    as a link list (the menus beside a listing in the same box still are, one by one)."""
    keep: set[int] = set()
    for tag in body.find_all(_LIST_TAGS):
        if not tag.decomposed and id(tag) not in keep and _is_dated_listing(tag, total):
            keep.add(id(tag))
            keep.update(id(parent) for parent in tag.parents)
    return keep


def _link_target(a: Tag) -> str | None:
    target = (a.get("href") or "").strip()
    if not target or target.lower().startswith(("javascript:", "data:")):
        return None
    return target


def _in_tools(a: Tag, top: Tag) -> bool:
    """The link sits in a share/search/login box (within `top`): a site tool, not navigation."""
    node: Tag | None = a
    while node is not None:
        if _TOOLS_NAME.search(" ".join([node.get("id") or "", *(node.get("class") or [])])):
            return True
        if node is top:
            return False
        node = node.parent
    return False


class _Navigation:
    """Links of the parts the stripper removes, one menu per removed element, in page order."""

    def __init__(self, body: Tag):
        self.order = {id(tag): i for i, tag in enumerate(body.find_all(True))}
        self.menus: list[tuple[int, list[tuple[str, str]]]] = []
        self.seen: set[tuple[str, str]] = set()
        self.count = 0

    def keep(self, tag: Tag) -> None:
        """The links of a removed element, in order; and the items of its <ul>/<ol> menus that are no
        link (menus drawn by script, saved pages whose anchors were lost): a column's navigation
        still names its columns, which 5.1.1 reads. Their target is empty."""
        menu = []
        for entry in tag.find_all(["a", "li"]):
            if entry.name == "li":
                if entry.find_parent(["ul", "ol"]) is None:
                    continue
                own = [c for c in entry.children if not (isinstance(c, Tag) and c.name in ("ul", "ol"))]
                if any(isinstance(c, Tag) and (c.name == "a" or c.find("a") is not None) for c in own):
                    continue  # an item holding its link: the link is the entry
                raw = " ".join(c.get_text(" ") if isinstance(c, Tag) else str(c) for c in own
                               if not isinstance(c, (Comment, Doctype, Declaration, ProcessingInstruction)))
            else:
                raw = entry.get_text(" ")
            if _in_tools(entry, tag):
                continue
            text = re.sub(r"\s+", " ", raw).strip()
            target = _link_target(entry) if entry.name == "a" else ""
            if (not text or target is None or len(text) > NAV_LINK_CHARS or (text, target) in self.seen
                    or self.count >= NAV_MAX_LINKS):
                continue
            if entry.name == "li" and len(text) > NAV_ITEM_CHARS:
                continue  # a sentence in a list, not a menu item
            self.seen.add((text, target))
            self.count += 1
            menu.append((text, target))
        if menu:
            self.menus.append((self.order.get(id(tag), 0), menu))

    def in_page_order(self) -> list[list[tuple[str, str]]]:
        return [menu for _, menu in sorted(self.menus, key=lambda m: m[0])]


def _strip_boilerplate(body: Tag, title: str = "") -> list[list[tuple[str, str]]]:
    """Remove site boilerplate from `body`; return the removed links, one menu per removed element."""
    for tag in body.find_all(_NEVER_TEXT):
        tag.decompose()
    nav = _Navigation(body)
    total = _text_len(body)
    for tag in body.find_all(True):
        if tag.decomposed:
            continue
        if _is_boilerplate(tag, total, title):
            nav.keep(tag)
            tag.decompose()
    for tag in body.find_all(["span", "div", "p", "li", "td", "a"]):
        if not tag.decomposed and len(tag.get_text(strip=True)) < 40 and _TOOLBAR.match(tag.get_text()):
            tag.decompose()  # font size, print, close: no navigation worth keeping
    listings = _listings_and_ancestors(body, _text_len(body))
    for tag in body.find_all(["div", "ul", "ol", "table", "section", "dl", "p", "td"]):
        if (not tag.decomposed and id(tag) not in listings and tag.find("h1") is None and _link_density_high(tag)
                and not _ARTICLE_MARKS.search(tag.get_text())):
            nav.keep(tag)
            if tag.name == "td":
                tag.clear()  # a menu column of a layout table: empty it, keep the grid
            else:
                tag.decompose()
    return nav.in_page_order()


class _Walker:
    def __init__(self, parsed: Parsed):
        self.parsed = parsed
        self.b = parsed.builder
        self.pieces: list[tuple[str, str | None]] = []
        self.heading: int | None = None

    def flush(self) -> None:
        if not self.pieces:
            return
        # collapse HTML whitespace; keep the runs (and their hrefs) aligned with the collapsed text
        runs = [(re.sub(r"[ \t\r\n\f]+", " ", t), h) for t, h in self.pieces]
        text = "".join(t for t, _ in runs)
        if text.strip():
            if self.heading is not None:
                self.b.add_inline(runs, BlockKind.heading, self.heading)
            else:
                level = heading_level(text)
                self.b.add_inline(runs, BlockKind.heading if level else BlockKind.paragraph, level)
        self.pieces = []
        self.heading = None

    def media(self, tag: Tag) -> None:
        src = tag.get("src") or tag.get("data") or tag.get("data-src")
        if tag.name == "img" and _ICON_IMAGE.search(" ".join([src or "", *(tag.get("class") or [])])):
            return  # logos, icons, QR codes: site furniture, not content
        if not src:
            source = tag.find("source")
            src = source.get("src") if source is not None else None
        if src and src.strip().lower().startswith("data:"):
            src = None  # inline payloads are not stored
        alt = (tag.get("alt") or tag.get("title") or "").strip() or None
        self.b.add_media(Media(kind=_MEDIA[tag.name], src=src, alt=alt))

    def walk(self, node: Tag, href: str | None = None) -> None:
        for child in node.children:
            if isinstance(child, (Comment, Doctype, Declaration, ProcessingInstruction)):
                continue
            if isinstance(child, NavigableString):
                if str(child):
                    self.pieces.append((str(child), href))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name in _MEDIA:
                self.media(child)
                if name in ("video", "audio", "object"):
                    continue
            if name == "br":
                self.flush()
            elif name == "table":
                self.flush()
                if _is_layout_table(child):
                    self.walk(child, href)  # page layout, not data: read its cells as ordinary blocks
                    self.flush()
                else:
                    self.table(child)
            elif name == "a":
                self.walk(child, _link_target(child) or href)
            elif re.fullmatch(r"h[1-6]", name):
                self.flush()
                self.heading = int(name[1])
                self.walk(child, href)
                self.flush()
            elif name in _BLOCK_TAGS:
                self.flush()
                self.walk(child, href)
                self.flush()
            else:
                self.walk(child, href)

    def table(self, table: Tag) -> None:
        cells: list[CellSpec] = []
        taken: set[tuple[int, int]] = set()
        rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
        header_rows = 0
        for r, tr in enumerate(rows):
            col = 0
            tds = tr.find_all(["td", "th"], recursive=False)
            if tds and all(td.name == "th" for td in tds) and header_rows == r:
                header_rows = r + 1
            for td in tds:
                while (r, col) in taken:
                    col += 1
                rowspan = _int_attr(td, "rowspan")
                colspan = _int_attr(td, "colspan")
                for media in td.find_all(list(_MEDIA)):
                    self.media(media)
                for rr in range(r, r + rowspan):
                    for cc in range(col, col + colspan):
                        taken.add((rr, cc))
                cells.append(CellSpec(row=r, col=col, text=clean_cell(td.get_text("\n")), rowspan=rowspan,
                                      colspan=colspan))
                col += colspan
        n_rows = len(rows)
        cells = [c for c in cells if c.row < n_rows]
        for c in cells:
            c.rowspan = min(c.rowspan, n_rows - c.row)
        if not header_rows and cells:  # no <th>: judge by content, as for other formats
            n_cols = max(c.col + c.colspan for c in cells)
            header_rows = detect_header_rows(cells, n_cols, max_scan=3)
        self.b.add_table(cells, header_rows=header_rows)


def _is_layout_table(table: Tag) -> bool:
    """Old government sites lay whole pages out with tables. A table that holds another table, or a
    cell with prose structure (paragraphs/line breaks) and more than LAYOUT_CELL_CHARS characters,
    is layout: its content is read as ordinary blocks, not flattened into cells."""
    if table.find("table") is not None:
        return True
    for cell in table.find_all(["td", "th"]):
        if cell.find(_PROSE_TAGS) is not None and _text_len(cell) > LAYOUT_CELL_CHARS:
            return True
    return False


def _int_attr(tag: Tag, name: str) -> int:
    try:
        return max(1, min(int(str(tag.get(name, "1")).strip() or 1), 1000))
    except ValueError:
        return 1


def _meta_dates(soup: BeautifulSoup) -> list[tuple[DateKind, dt.date]]:
    out = []
    for meta in soup.find_all("meta"):
        key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").strip().lower()
        if key in _META_DATE_NAMES:
            m = _ISO.search(meta.get("content") or "")
            if m:
                try:
                    out.append((DateKind.publication, dt.date(int(m[1]), int(m[2]), int(m[3]))))
                except ValueError:
                    continue
    return out


def parse_mht(data: bytes, settings: Settings) -> Parsed:
    """A web archive (.mht/.mhtml, "save as single file"): the first text/html part is the page."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload:
                charset = part.get_content_charset()
                if charset and b"charset" not in payload[:2048].lower():
                    # the part header names the charset; the HTML itself may not
                    payload = f'<meta charset="{charset}">'.encode() + payload
                return parse_html(payload, settings)
    raise ParseError("网页存档（MHT）中没有找到网页内容；请在浏览器中打开后另存为 PDF 再导入")


def _depth(root: Tag) -> int:
    """Deepest element nesting, without recursion (boilerplate stripping costs size x depth)."""
    deepest, stack = 0, [(root, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node.contents if isinstance(child, Tag))
    return deepest


def parse_html(data: bytes, settings: Settings) -> Parsed:
    try:
        soup = BeautifulSoup(data, "lxml")
    except Exception:  # lxml refuses some damaged markup; the stdlib parser is more forgiving
        try:
            soup = BeautifulSoup(data, "html.parser")
        except Exception as exc:
            raise ParseError("网页无法解析，文件可能已损坏；请在浏览器中打开后另存为 PDF 再导入") from exc
    limits.check_html_depth(_depth(soup), settings)
    parsed = Parsed(encoding=(soup.original_encoding or "").lower() or None)
    title_tag = soup.find("title")
    page_title = title_tag.get_text(strip=True) if title_tag else ""
    parsed.meta_dates = _meta_dates(soup)
    meta_title = next((m.get("content", "").strip() for m in soup.find_all("meta")
                       if (m.get("name") or "").lower() in ("articletitle", "title", "og:title", "dc.title")
                       or (m.get("property") or "").lower() == "og:title"), "")
    body = soup.body or soup
    h1 = body.find("h1")
    stated = meta_title or _TITLE_SUFFIX.sub("", page_title)
    menus = _strip_boilerplate(body, re.sub(r"\s+", "", stated))
    if h1 is not None and not h1.decomposed:
        parsed.title = h1.get_text(" ", strip=True) or None
    if not parsed.title:
        parsed.title = meta_title or (_TITLE_SUFFIX.sub("", page_title) or page_title) or None
    walker = _Walker(parsed)
    walker.walk(body)
    walker.flush()
    _mark_title_block(parsed)
    parsed.builder.add_navigation(menus)
    return parsed


def _mark_title_block(parsed: Parsed) -> None:
    """CMS pages often set the article title in a styled <div>: the block repeating the title is the
    document's heading (level 0), as an <h1> would be."""
    if not parsed.title:
        return
    b = parsed.builder
    text = b.text
    target = re.sub(r"\s+", "", parsed.title)
    for i, block in enumerate(b.blocks[:5]):
        if block.kind == BlockKind.paragraph and re.sub(r"\s+", "", text[block.start:block.end]) == target:
            b.blocks[i] = block.model_copy(update={"kind": BlockKind.heading, "level": 0})
            return
