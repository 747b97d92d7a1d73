"""3.1 解读内容 and 3.2 解读形式 (政策解读; domain-rules.md §4.1).

3.1 sub 1: the content elements 背景依据、目标任务、关键词诠释、惠民利民举措、新旧政策差异 (an element counts only
           when stated: a heading "主要内容" or a list of the document's parts explains no key term).
3.1 sub 2: linked to the interpreted policy (hyperlink, or the policy named by title/文号 in the evidence),
           and published within 3 working days of the policy (国办发〔2016〕19号, CONFIRMED-2, for 重要政策).
3.1 sub 3: readability (indicators/readability.py).
3.2 sub 1: channels; sub 2: forms (图片/图解, 视频, 动漫, H5, 音频); sub 3: 主要负责人 interprets, by name and title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from core.document import BlockKind, DateKind, DocType, Document, MediaKind
from core.findings import Citation, Flag, cite, unique_citations
from core.textnorm import normalize
from indicators.cntext import Sentence, doc_nos_match, doc_sentences, find_dates, find_doc_nos, fmt_date
from indicators.cues import Cue, find_elements, first_match, heading_sentences
from indicators.readability import DEFAULT_THRESHOLDS, jargon_pattern, measure
from indicators.rules.base import Check, Evidence, Outcome, abstain_check, make_check, rule
from indicators.workdays import workdays_between

INTERP_CUE = re.compile(r"解读|一图读懂|一图看懂|图解|答记者问|政策问答")
SYNC_WINDOW_WD = 3  # 国办发〔2016〕19号: 解读材料应于文件公开后3个工作日内发布
MIN_CHANNELS = 2  # 考核要点: 多种渠道
MIN_FORMS = 2  # 考核要点: 多样化形式

CONTENT_ELEMENTS: dict[str, Cue] = {
    "背景依据": r"背景|依据|出台.{0,4}(原因|必要性|目的)|为什么(要)?(出台|制定)|怎么来的|起草(过程|情况)",
    "目标任务": r"目标|任务(?!数|量)|总体要求|想达到|要达到|主要目的",  # 改造任务数 is a quota, not a goal
    "关键词诠释": (r"关键词|名词解释|释义|是指|指的是|(所称|本方案中的?|本办法中的?).{0,12}(指|包括)",
                   r"什么是|(的)?含义"),  # a definition before a question that only names the term
    "惠民利民举措": r"惠民|利民|便民|实惠|补贴|补助|减免|优惠|享受|受益|扶持|资助",
    # a difference needs the old and the new: new wording alone (调整为…) is no 新旧差异
    "新旧政策差异": r"新旧|(和|与|同)(以前|以往|原来|原|去年|之前|上一轮|旧).{0,8}(相比|比|不同|区别|变化)|有什么(不同|变化)|"
                    r"(由|从).{1,15}(调整|减少|增加|提高|降低|放宽|扩大|缩短|延长)(为|到|至)|"
                    r"原(来|政策|规定|标准|办法|文件)[^。]{1,12}(现(行|在|为|调整|改)|改为|调整为)",  # not 草原…，现解读
}

CHANNELS: dict[str, str] = {
    "政府网站": r"政府网站|门户网站|官网|官方网站|政府信息公开专栏|\.gov\.cn",
    "政务新媒体": r"政务新媒体|微信|公众号|微博|抖音|快手|视频号|客户端|APP|头条号",
    "电视": r"电视",
    "新闻发布会": r"新闻发布会|发布会|新闻发布",
    "广播": r"广播电台|广播",
    "报刊": r"日报|报纸|报刊",
}
FORMS: dict[str, str] = {
    "图片/图解": r"图解|一图读懂|一图看懂|图说|图表|长图|海报|图片",
    "视频": r"视频",
    "动漫": r"动漫|动画|漫画|卡通",  # the term 动漫 is UNCONFIRMED in national norms: synonyms accepted
    "H5": r"H5|h5",
    "音频": r"音频|语音|有声",
}
DECORATIVE_IMG = re.compile(r"logo|icon|banner|qr|二维码|分享|share|nav|button|arrow|spacer", re.IGNORECASE)
VIDEO_SRC = re.compile(r"video|player|mp4|m3u8|bilibili|v\.qq|ixigua|youku", re.IGNORECASE)

LEADER_TITLE = (r"(?<!副)(?<!常务)(?:党组书记|党委书记|县长|区长|市长|局长|主任|书记|乡长|镇长|厅长|部长|院长|"
                r"队长|行长|所长|站长|社长|处长|科长)(?!助理)")
NAME = r"(?:[\u4e00-\u9fa5][\u4e00-\u9fa5某XＸx×]{1,2}?|[XＸ×]{2,3})"  # 张某某, 李明, XXX (redacted)
NAME_END = r"(?=[,，。、:：(（\s“]|做客|接受|就|对|表示|介绍|解读|详解|说|在|出席|参加|围绕|走进|带队|一行|同志|$)"
LEADER_RE = re.compile(
    rf"{LEADER_TITLE}(?P<n1>{NAME}){NAME_END}|(?:(?<=[,，。、:：(（“\s])|^)(?P<n2>{NAME}){LEADER_TITLE}"
)
LEADER_CONTEXT = r"解读|访谈|专访|做客|采访|发布会|答记者问|宣讲|介绍|在线"
NOT_NAMES = {"同志", "负责人", "有关", "相关", "本人", "主要", "副"}


IMAGE_ONLY_CHARS = 80  # a page whose own text is shorter than this and that shows an image: the image is the content
GRAPHIC_TITLE = re.compile(r"图解|一图读懂|一图看懂|图说|长图|漫画|动漫|视频")
PUBLIC_CUES = {  # a text written for the public answers who, what, how much, how to apply (scoring-policy 3.1 sub 3)
    "对群众说话": r"您|你们|你(?!们)|群众朋友|市民朋友",
    "问答": r"[?？]|问[:：]|答[:：]|什么是|哪些|如何|怎么|怎样",
    "标准金额": r"\d+(\.\d+)?\s*(元|万元|%|％|个工作日|天)",
    "办理方式": r"申请|申报|办理|咨询电话|拨打|携带|提交|窗口|登录|领取",
}
STATUTE_QUOTED = re.compile(r"第[一二三四五六七八九十百零\d]+条(第[一二三四五六七八九十\d]+款)?规定")
PARTS_RETOLD = re.compile(r"第[一二三四五六七八九十]部分(为|是|主要|包括|明确|提出)|由.{1,4}(大)?部分组成")
SOURCE_CHANNELS = "记录其他发布渠道的材料（新媒体推送截图、电视或广播节目记录、新闻发布会记录等）"
LEADER_MATERIAL = "主要负责人解读的材料（署名解读文章、访谈或新闻发布会记录等，写明姓名和职务）"


MIN_CUT_PARAGRAPH = 30
MAIN_CONTENT = re.compile(r"主要内容|政策要点|核心(举措|内容)|主要(措施|举措)|具体(措施|内容)|重点(内容|任务)|政策措施")
TOP_HEADING = re.compile(r"[一二三四五六七八九十]+[、.．]")
PROSE_END = re.compile(r"[。！？；!?;…:：]['\"”’」』）)\]】]*$")


def cut_kind(doc: Document) -> str | None:
    """How a saved page that stops early (an excerpt) stops: on a heading with nothing under it
    ("heading"), on an enumeration of sub-headings ("（四）公共服务（五）治理体系。", "enumeration"), or in
    the middle of a sentence ("mid_sentence"); None for a page that ends. Its foot (相关链接, 附图) is unseen."""
    body = [b for b in doc.blocks if b.end <= doc.main_end]
    if body and body[-1].kind is BlockKind.heading and len(body) > 1:
        return "heading"
    if body and body[-1].kind is BlockKind.paragraph:
        # running prose that stops mid-sentence ("……必要时，县级以上地"); a closing date, a caption, a
        # link or a "扫一扫" footer has no sentence inside and is not read as a cut
        para = normalize(doc.text[body[-1].start: body[-1].end]).strip()
        if len(para) >= MIN_CUT_PARAGRAPH and re.search(r"[。；;]", para[:-1]) and not PROSE_END.search(para):
            return "mid_sentence"
    last = normalize(doc.main_text).strip().split("\n")[-1] if doc.main_text.strip() else ""
    tail = re.split(r"[（(][一二三四五六七八九十][)）]", last)
    return "enumeration" if len(tail) >= 3 and len(tail[-1]) <= 8 else None


def cut_off_page(doc: Document) -> bool:
    return cut_kind(doc) is not None


def substance_seen(doc: Document) -> bool:
    """The page's main-content section (主要内容, 政策要点, 核心举措…) was read to its end: a later
    top-level heading follows it. What comes after such a section rarely adds content elements."""
    heads = [normalize(doc.text[b.start: b.end]) for b in doc.blocks
             if b.kind is BlockKind.heading and b.end <= doc.main_end]
    return any(MAIN_CONTENT.search(h) and any(TOP_HEADING.match(later) for later in heads[i + 1:])
               for i, h in enumerate(heads))


def image_only(doc: Document) -> bool:
    """The page's content is an image the material does not contain (only its <img> is saved)."""
    text = normalize(doc.main_text.replace(doc.title or "", ""))
    images = [m for m in doc.media if m.kind is MediaKind.image and not DECORATIVE_IMG.search(f"{m.src or ''} {m.alt or ''}")]
    return bool(images) and len(text) < IMAGE_ONLY_CHARS


def _image_only_check(rule_id: str, indicator: str, sub: int, doc: Document) -> Check:
    return abstain_check(rule_id, indicator, sub, title=f"解读内容为图片（{doc.file}）",
                         note=f"“{doc.title or doc.file}”的解读内容是一张图片，图片本身不在材料中，请提供该图片或其文字内容",
                         data={"media": [m.src for m in doc.media if m.kind is MediaKind.image][:5]})


# interpretations, pages of no more specific type that may be one, and the policy documents they link to
INTERPRETATION_TYPES = (DocType.policy_interpretation, DocType.web_page, DocType.other, DocType.policy_document)

COLUMN_PAGE = re.compile(r"^(政策解读|解读|图解|政策图解|解读回应)\s*([-_|—｜·].*)?$")


def interpretations(ev: Evidence) -> list[Document]:
    """Typed interpretations, plus pages whose own title (or first heading) says they are one.

    The title, not the opening text: a portal page's navigation bar ("首页 政务公开 政策解读 …") and
    a column page titled "政策解读-XX县人民政府" are not interpretations.
    """
    docs = ev.of_type(DocType.policy_interpretation)
    for d in ev.of_type(DocType.web_page, DocType.other):
        first_heading = next((d.text[b.start: b.end] for b in d.blocks if b.kind is BlockKind.heading), "")
        title = (d.title or first_heading).strip()
        if INTERP_CUE.search(title) and not COLUMN_PAGE.match(title):
            docs.append(d)
    return docs


# --- 3.1 sub 1 --------------------------------------------------------------------------------

@rule("interpretation.content", "3.1", INTERPRETATION_TYPES, sub=1,
      description="解读内容包括背景依据、目标任务、关键词诠释、惠民利民举措、新旧政策差异")
def content(ev: Evidence) -> Iterable[Check]:
    docs = interpretations(ev)
    for doc in docs:
        if image_only(doc):
            yield _image_only_check("interpretation.content", "3.1", 1, doc)
            continue
        found = find_elements(doc, CONTENT_ELEMENTS, skip_title=True)  # the title names the policy
        missing = [e for e in CONTENT_ELEMENTS if e not in found]
        rationale = f"解读内容要素{len(CONTENT_ELEMENTS)}项，已包含{len(found)}项（{'、'.join(found) or '无'}）"
        rationale += f"，缺少{'、'.join(missing)}。" if missing else "。"
        if missing and cut_kind(doc) == "mid_sentence" and not substance_seen(doc):
            # cut before the policy's substance was read: the missing elements may be in the unseen part
            yield abstain_check("interpretation.content", "3.1", 1, title=f"解读内容要素（{doc.file}）",
                                note="解读页面在正文中途截断，所解读政策的主要内容尚未完整出现，缺少的要素可能在未采集部分，"
                                     "请提供完整的解读页面",
                                rationale=rationale + "但页面在正文中途截断、主要内容尚未读完，档次无法确定。",
                                citations=unique_citations(found.values()),
                                data={"found": list(found), "missing": missing})
            continue
        yield make_check("interpretation.content", "3.1", 1, title=f"解读内容要素（{doc.file}）",
                         outcome=Outcome.passed if not missing else Outcome.failed, rationale=rationale,
                         citations=unique_citations(found.values()), measure=len(found) / len(CONTENT_ELEMENTS),
                         data={"found": list(found), "missing": missing})


# --- 3.1 sub 2 --------------------------------------------------------------------------------

def _mentions(doc: Document) -> tuple[set[str], list[str]]:
    text = doc.main_text  # not a 相关阅读 menu's titles
    titles = {normalize(m.group(1)) for m in re.finditer(r"《([^》]{4,80})》", text)}
    return titles, [n for n, _, _ in find_doc_nos(text)]


def _policy_matches(doc: Document, policy: Document) -> bool:
    titles, nos = _mentions(doc)
    ptitle = normalize(policy.title or "")
    if ptitle and any(t == ptitle or (len(t) >= 8 and (t in ptitle or ptitle in t)) for t in titles):
        return True
    pnos = [n for n, _, _ in find_doc_nos(policy.text[:400])]
    return any(doc_nos_match(a, b) for a in nos for b in pnos)


def _date(doc: Document) -> tuple[object, int, int] | None:
    for kind in (DateKind.publication, DateKind.signing):
        d = doc.date_of(kind)
        if d:
            return d.value, d.start, d.end
    for s in doc_sentences(doc):
        if s.start > 600:
            break
        if s.has(r"发布|时间|日期|印发"):
            hits = find_dates(s.text, offset=s.start)
            if hits:
                return hits[0].value, hits[0].start, hits[0].end
    return None


@rule("interpretation.policy_link", "3.1", INTERPRETATION_TYPES, sub=2,
      description="解读材料与政策文件链接相互关联")
def policy_link(ev: Evidence) -> Iterable[Check]:
    docs = interpretations(ev)
    policies = ev.of_type(DocType.policy_document, year="any")
    for doc in docs:
        yield _link_check(doc, policies)


def _link_check(doc: Document, policies: list[Document]) -> Check:
    def check(outcome, rationale, cites, flags=None, **kw):
        return make_check("interpretation.policy_link", "3.1", 2, title=f"解读与政策文件关联（{doc.file}）",
                          outcome=outcome, rationale=rationale, citations=cites, flags=flags or [], **kw)

    matched = [p for p in policies if _policy_matches(doc, p)]
    back = [p for p in matched if _links_back(p, doc)]
    titles, _ = _mentions(doc)
    wanted = {normalize(p.title or "") for p in matched} | titles
    links = [ln for ln in doc.links if not ln.navigation  # the site's menus are not the page's links
             and (re.search(r"原文|政策文件|文件全文|相关文件|相关链接", ln.text)
                  or any(w and (w in normalize(ln.text) or normalize(ln.text) in w) for w in wanted if len(ln.text) >= 4))]
    data = {"policies": [p.file for p in matched], "links": [ln.href for ln in links], "back_links": [p.file for p in back]}
    if links:
        cites = [cite(doc, ln.start, ln.end) for ln in links if ln.end > ln.start]
        head = f"解读页面设有指向政策原文的超链接（{links[0].text} → {links[0].href}）"
        if back:
            return check(Outcome.passed, f"{head}，政策文件页面（{back[0].file}）也链接到本解读，双向关联。", cites,
                         data={**data, "state": "two_way"})
        pages = [p for p in matched if p.links]  # a PDF or scan of the policy is not its web page
        if pages:
            return check(Outcome.failed, f"{head}，但材料中的政策文件页面（{pages[0].file}）未见指向本解读的链接，仅单向关联。",
                         cites, data={**data, "state": "one_way"})
        return check(Outcome.passed, f"{head}；政策文件网页不在材料中，无法核实其是否链接回本解读。", cites,
                     data={**data, "state": "policy_absent"})
    label = first_match(doc, doc_sentences(doc), r"(政策原文|原文链接|相关链接|相关文件|附件)[:：]?.{2,}", whole=True)
    if label and doc.file_type not in ("html", "htm"):  # a scan or document cannot show a hyperlink
        return check(Outcome.unknown, "解读材料标注了政策原文，但截图或文档无法显示其是否为超链接，需在网页上确认可点击。",
                     [label], [Flag.needs_human], data={**data, "state": "policy_absent"})
    named = _policy_named(doc)
    if cut_off_page(doc):
        return check(Outcome.unknown, "已采集部分未见指向政策原文的超链接（政策仅以文字提及，见引文），但页面截取不全"
                     "（底部“相关链接”区域不在材料中），无法判断是否设有链接。",
                     unique_citations([c for c in (label, *named) if c]), [Flag.needs_human],
                     data={**data, "state": "cut_off"})
    if matched or named or label:
        policy = f"，所解读文件为“{matched[0].title or matched[0].file}”" if matched else ""
        return check(Outcome.failed, f"解读材料以文字提及了政策文件{policy}（标题或文号不是超链接），但未设置指向政策原文的超链接。",
                     unique_citations([c for c in (*named, label) if c])[:2], data={**data, "state": "no_link"})
    return check(Outcome.failed, "解读材料既未链接也未注明所解读的政策文件。", [], data={**data, "state": "no_link"})


def _prose(doc: Document) -> list[Sentence]:
    """The body's running sentences: not its headings (the title among them) nor its tables (a CMS
    metadata block of 索引号/发文机关 rows)."""
    skip = [(b.start, b.end) for b in doc.blocks if b.kind in (BlockKind.heading, BlockKind.table)]
    return [s for s in doc_sentences(doc) if not any(a <= s.start < b for a, b in skip)]


DOC_NO = r"[〔\[【(（](19|20)\d\d[〕\]】)）]第?\d+号"


def _policy_named(doc: Document) -> list[Citation]:
    """Where the body names the interpreted policy in plain text: its 文号, and its title (the 《…》 the
    interpretation's own title names, else the first 《…》 of the body)."""
    sents = _prose(doc)
    own = re.search(r"《([^》]{4,80})》", normalize(doc.title or ""))
    title = first_match(doc, sents, re.escape(own.group(1)), whole=True) if own else None
    return [c for c in (first_match(doc, sents, DOC_NO, whole=True),
                        title or first_match(doc, sents, r"《[^》]{4,80}》", whole=True)) if c]


def _links_back(policy: Document, interpretation: Document) -> bool:
    """Whether the policy page links to the interpretation (a 相关解读 link, or one naming it)."""
    own = normalize(interpretation.title or "")
    for ln in policy.links:
        if ln.navigation:
            continue
        text = normalize(ln.text)
        if re.search(r"解读|图解|一图读懂|答记者问", text) or (own and len(text) >= 6 and (text in own or own in text)):
            return True
    return False


@rule("interpretation.timing", "3.1", INTERPRETATION_TYPES, sub=2,
      description="解读材料在政策文件公开后3个工作日内发布（国办发〔2016〕19号，适用于重要政策）")
def timing(ev: Evidence) -> Iterable[Check]:
    policies = ev.of_type(DocType.policy_document, year="any")
    for doc in interpretations(ev):
        policy = next((p for p in policies if _policy_matches(doc, p)), None)
        if policy is None:
            continue
        pd, idate = _date(policy), _date(doc)
        title = f"解读发布时间（{doc.file}）"
        if pd is None or idate is None:
            yield make_check("interpretation.timing", "3.1", 2, title=title, outcome=Outcome.unknown,
                             rationale="政策文件或解读材料未标注发布日期，无法核对解读是否同步发布。",
                             flags=[Flag.date_unknown, Flag.needs_human])
            continue
        gap = workdays_between(pd[0], idate[0])
        cites = [cite(policy, pd[1], pd[2]), cite(doc, idate[1], idate[2])]
        flags = [] if gap.calendar_covered else [Flag.out_of_calendar, Flag.needs_human]
        head = f"政策文件{fmt_date(pd[0])}发布，解读{fmt_date(idate[0])}发布"
        if gap.count < 0:
            outcome, text = Outcome.unknown, f"{head}，解读早于文件发布，需人工核实日期。"
            flags.append(Flag.needs_human)
        elif gap.count <= SYNC_WINDOW_WD:
            outcome, text = Outcome.passed, f"{head}，相隔{gap.count}个工作日，在3个工作日内。"
        else:
            outcome = Outcome.failed
            text = (f"{head}，相隔{gap.count}个工作日，超过国办发〔2016〕19号“文件公开后3个工作日内”的要求"
                    "（该时限针对重要政策，廊坊指标未另定时限）。")
            flags.append(Flag.needs_human)
        yield make_check("interpretation.timing", "3.1", 2, title=title, outcome=outcome, rationale=text,
                         citations=cites, flags=list(dict.fromkeys(flags)),
                         data={"policy": policy.file, "policy_date": pd[0].isoformat(),
                               "interpretation_date": idate[0].isoformat(), "workdays": gap.count})


# --- 3.1 sub 3 --------------------------------------------------------------------------------

@rule("interpretation.readability", "3.1", INTERPRETATION_TYPES, sub=3,
      description="语言深入浅出、通俗易懂（句长、长句比例、生僻字、公文套话密度）")
def readability(ev: Evidence) -> Iterable[Check]:
    for doc in interpretations(ev):
        if image_only(doc):
            yield _image_only_check("interpretation.readability", "3.1", 3, doc)
            continue
        r = measure(doc.main_text)
        fails = r.failures(DEFAULT_THRESHOLDS)
        flags: list[str] = []
        if r.chars < 100:
            outcome, flags = Outcome.unknown, [Flag.needs_human]
            verdict = "文字过少，无法评价通俗程度。"
        elif not fails:
            outcome, verdict = Outcome.passed, "各项指标均在阈值内，语言较通俗。"
        elif len(fails) == 1:
            outcome, flags = Outcome.unknown, [Flag.borderline, Flag.needs_human]
            verdict = f"{fails[0]}，其余指标在阈值内，需人工判断。"
        else:
            outcome, verdict = Outcome.failed, "；".join(fails) + "，语言偏公文化，不够通俗。"
        cues = [name for name, pattern in PUBLIC_CUES.items() if re.search(pattern, normalize(doc.main_text))]
        retold = len(PARTS_RETOLD.findall(normalize(doc.main_text)))
        state = None if r.chars < 100 else "jargon" if len(fails) >= 2 or retold >= 2 else \
            "public" if not fails and len(cues) >= 2 else "administrative"
        if retold >= 2:
            verdict += f"逐部分复述文件结构（{retold}处“第X部分为……”），属照搬文件的写法。"
        if state is not None:
            verdict += f"面向群众的表述：{'、'.join(cues) or '无'}（{len(cues)}/{len(PUBLIC_CUES)}类）。"
        yield make_check("interpretation.readability", "3.1", 3, title=f"通俗易懂（{doc.file}）", outcome=outcome,
                         rationale=f"{r.summary()}。{verdict}", flags=flags,
                         citations=_hard_passages(doc) if state in ("jargon", "administrative") else
                         _public_passages(doc) if state == "public" else [],
                         measure=round(1 - len(fails) / 4, 2),  # share of the four thresholds met
                         data={"mean_sentence": round(r.mean_sentence, 1), "long_share": round(r.long_share, 3),
                               "rare_share": round(r.rare_share, 4), "jargon_per_1000": round(r.jargon_per_1000, 1),
                               "thresholds_missed": len(fails), "state": state, "public_cues": cues,
                               "jargon": r.jargon, "rare_chars": r.rare_chars})


def _hard_passages(doc: Document, limit: int = 3) -> list[Citation]:
    """What makes a text hard for the public, worst first: the file's structure retold part by part or
    a statute quoted, then the sentences densest in 公文 set phrases, then the longest sentences."""
    sents = [s for s in _prose(doc) if len(s.norm.text) >= 10]
    jargon = jargon_pattern()
    retold = [s for s in sents if PARTS_RETOLD.search(s.norm.text) or STATUTE_QUOTED.search(s.norm.text)]
    dense = sorted((s for s in sents if len(jargon.findall(s.norm.text)) >= 2),
                   key=lambda s: -len(jargon.findall(s.norm.text)) / len(s.norm.text))
    longest = sorted((s for s in sents if len(s.norm.text) > 35), key=lambda s: -len(s.norm.text))
    picked = list(dict.fromkeys([*retold[:1], *dense[:1], *longest]))[:limit]
    return [cite(doc, s.start, s.end) for s in sorted(picked, key=lambda s: s.start)]


def _public_passages(doc: Document, limit: int = 4) -> list[Citation]:
    """What shows a text written for the public: the first passage of each kind of public cue (a
    question asked as the public would, a standard or amount, how to apply, the reader addressed): the
    questions from headings too (an FAQ's questions are its headings), the rest from the prose."""
    prose = _prose(doc)
    with_heads = sorted([*heading_sentences(doc)[1:], *prose], key=lambda s: s.start)
    picked = [next((s for s in (with_heads if name == "问答" else [*prose, *with_heads])
                    if re.search(pattern, s.norm.text)), None) for name, pattern in PUBLIC_CUES.items()]
    return [cite(doc, s.start, s.end) for s in dict.fromkeys(x for x in picked if x)][:limit]


# --- 3.2 --------------------------------------------------------------------------------------

def _collect(docs: list[Document], cues: dict[str, str]) -> dict[str, list[Citation]]:
    out: dict[str, list[Citation]] = {}
    for doc in docs:
        for name, c in find_elements(doc, cues, whole=True).items():
            out.setdefault(name, []).append(c)
    return out


def _aggregate_check(rule_id: str, sub: int, title: str, found: dict[str, list[str] | list[Citation]],
                     names: list[str], minimum: int, extra: dict[str, str]) -> Check:
    present = [n for n in names if n in found]
    cites = unique_citations([c for n in present for c in found[n] if isinstance(c, Citation)])
    detail = "；".join(f"{n}（{extra[n]}）" for n in present if n in extra)
    rationale = f"共发现{len(present)}种{title}：{'、'.join(present) or '无'}"
    rationale += f"，{detail}" if detail else ""
    rationale += f"；考核要求多种（不少于{minimum}种），" + ("符合。" if len(present) >= minimum else "不足。")
    return make_check(rule_id, "3.2", sub, title=title, measure=min(1.0, len(present) / minimum),
                      outcome=Outcome.passed if len(present) >= minimum else Outcome.failed,
                      rationale=rationale, citations=cites, data={"found": present})


@rule("interpretation.channels", "3.2", INTERPRETATION_TYPES, sub=1,
      description="通过政府网站、政务新媒体、电视、新闻发布会等多种渠道发布", decided_by=SOURCE_CHANNELS)
def channels(ev: Evidence) -> Iterable[Check]:
    if not (docs := interpretations(ev)):  # nothing examined: no Check (scoring reads that as no evidence)
        return
    found, extra = _collect(docs, CHANNELS), {}
    if "政府网站" not in found and any(".gov.cn" in ln.href for d in docs for ln in d.links if not ln.navigation):
        found["政府网站"], extra["政府网站"] = [], "解读网页链接指向.gov.cn政府网站"
    check = _aggregate_check("interpretation.channels", 1, "发布渠道", found, list(CHANNELS), MIN_CHANNELS, extra)
    if check.outcome == Outcome.failed:  # one page cannot show where else it was published
        check = abstain_check("interpretation.channels", "3.2", 1, title="发布渠道", note=SOURCE_CHANNELS,
                              rationale=check.rationale.replace("不足。", "材料只能显示上述渠道，其他渠道是否发布无法从解读页面判断。"),
                              citations=check.citations, data=check.data)
    yield check


@rule("interpretation.forms", "3.2", INTERPRETATION_TYPES, sub=2,
      description="以图片、视频、动漫等多样化形式解读")
def forms(ev: Evidence) -> Iterable[Check]:
    if not (docs := interpretations(ev)):  # nothing examined: no Check (scoring reads that as no evidence)
        return
    found, extra = _collect(docs, FORMS), {}
    images = [m for d in docs for m in d.media if m.kind is MediaKind.image
              and not DECORATIVE_IMG.search(f"{m.src or ''} {m.alt or ''}")]
    videos = [m for d in docs for m in d.media if m.kind is MediaKind.video
              or (m.kind is MediaKind.iframe and VIDEO_SRC.search(m.src or ""))]
    audios = [m for d in docs for m in d.media if m.kind is MediaKind.audio]
    for name, media in (("图片/图解", images), ("视频", videos), ("音频", audios)):
        if media:
            found.setdefault(name, [])
            extra[name] = f"页面含{len(media)}个{name}：" + "、".join((m.alt or m.src or "")[:40] for m in media[:3])
    check = _aggregate_check("interpretation.forms", 2, "解读形式", found, list(FORMS), MIN_FORMS, extra)
    check.data["media"] = [{"kind": m.kind.value, "src": m.src, "alt": m.alt} for m in images + videos + audios]
    graphic = any(GRAPHIC_TITLE.search(d.title or "") for d in docs)
    kinds = sum(1 for media in (images, videos, audios) if media)
    # judged in the content area: embedded media and the page's own form, not words in the text
    state = "rich" if videos or graphic or kinds >= 2 else "image" if images else "text_only"
    if state == "text_only" and any(cut_off_page(d) for d in docs):
        state = "cut_off"  # the rest of the page may hold the graphic
    check.data["state"] = state
    yield check


@rule("interpretation.leader", "3.2", INTERPRETATION_TYPES, sub=3,
      description="主要负责人进行政策解读（姓名和职务）", decided_by=LEADER_MATERIAL)
def leader(ev: Evidence) -> Iterable[Check]:
    if not (docs := interpretations(ev)):  # nothing examined: no Check (scoring reads that as no evidence)
        return
    hits: list[tuple[str, Citation]] = []
    generic: list[Citation] = []
    for doc in docs:
        for s in doc_sentences(doc):
            if not s.has(LEADER_CONTEXT):
                continue
            m = LEADER_RE.search(s.norm.text)
            name = (m.group("n1") or m.group("n2")) if m else None
            if m and name not in NOT_NAMES:
                hits.append((s.norm.text[m.start(): m.end()], cite(doc, s.start, s.end)))
            elif s.has(r"主要负责(人|同志)"):
                generic.append(cite(doc, s.start, s.end))
    if hits:
        who = "、".join(dict.fromkeys(h for h, _ in hits))
        yield make_check("interpretation.leader", "3.2", 3, title="主要负责人解读", outcome=Outcome.passed,
                         rationale=f"发现主要负责人解读：{who}。", citations=unique_citations([c for _, c in hits]),
                         data={"leaders": list(dict.fromkeys(h for h, _ in hits))})
    elif generic:
        yield make_check("interpretation.leader", "3.2", 3, title="主要负责人解读", outcome=Outcome.unknown,
                         rationale="材料称由主要负责人解读，但未写明姓名和职务，需人工核实。", citations=generic,
                         flags=[Flag.needs_human])
    else:
        yield abstain_check("interpretation.leader", "3.2", 3, title="主要负责人解读", note=LEADER_MATERIAL,
                            rationale="材料中未见单位主要负责人（署名及职务）解读；一个解读页面不能说明负责人是否另有解读。")
