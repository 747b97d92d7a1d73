"""Rules for indicator 1.1.9 政府信息公开年度报告 (Langfang 2023: sub 1, 1分; sub 2, 2分).

Scoring conventions (indicators/scoring.py): 1.1.9 is scored on the reviewers' ladders of the catalog
(defects counted once each, then a rung): a failed Check is a defect of the class whose matcher
claims it (by rule id and title; every Check also says `data["defect"]`: formal / data / measures /
None); failing identities and text-vs-table checks carry their cells (`data["cells"]`) so that one
wrong cell breaking several identities is one data error; `measure` is never set; a hint (the suspect
cell) or a plausibility note (X-2) is `info`; no report, no Check. A report the material shows only in
part (an excerpt, tables as images: indicators/annual_report/completeness.py) yields `abstain_check`s:
what is not in the material is not counted missing, and passes on the visible part are info.

sub 1 "报告在规定时间内按照国办公开办函(2021)30号统一格式…发布": structure, format, deadline.
sub 2 "报告数据准确，相关数据与上一年度衔接；报告内容不遗漏、不泛化，改进措施具有针对性、可操作性":
identities, cross-year, narrative vs tables, content. The parsing and arithmetic live in
indicators/annual_report/; this module turns their results into cited Checks (domain-rules.md 1.x).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterable, Iterator

from core.document import DateKind, DocType, Document, FoundDate
from core.findings import Citation, Flag, cite, unique_citations
from indicators.annual_report import ReportAnalysis, analyse
from indicators.annual_report.completeness import WHOLE_REPORT_NOTE
from indicators.annual_report.content import (
    COPY_THRESHOLD,
    GOVERNMENT_TOPICS,
    OVERVIEW_TOPICS,
    SIMILAR_THRESHOLD,
    similarity,
    specificity,
    topics_missing,
)
from indicators.annual_report.deadline import (
    cn_date,
    deadline_for,
    infer_body_level,
    listed_publication,
    report_year,
)
from indicators.annual_report.identities import (
    IDENTITY_TEXT,
    LONG_SIDE,
    IdentityResult,
    cross_year,
    non_integer_cells,
    suspect_cells,
    table3_identities,
    table4_identities,
)
from indicators.annual_report.labels import label_key
from indicators.annual_report.narrative import (
    count_statements,
    figure_sentences,
    parts_statements,
    percent_statements,
)
from indicators.annual_report.sections import PART_NUMERALS, PART_TITLES
from indicators.annual_report.tables import (
    T2_COLUMNS,
    T2_ROWS,
    T2_ROWS_TRIAL,
    T3_COLUMNS,
    T3_ROWS,
    T4_COLUMNS,
    T4_GROUPS,
    CellStatus,
    CellValue,
)
from indicators.rules.base import Check, Evidence, Outcome, abstain_check, make_check, rule
from indicators.units import LEVEL_LABELS, SOURCE_LABELS, BodyLevel, LevelSource

INDICATOR = "1.1.9"
WHOLE_REPORT = WHOLE_REPORT_NOTE  # the material that decides a report shown only in part
MAX_PASS_CITATIONS = 12  # an aggregated pass cites a sample of its cells, not all 175
FEE_YUAN_SUSPECT = 1_000_000  # 万元: a 行政事业性收费 this large was almost certainly typed in 元 (T2-A)


# ---------------------------------------------------------------- helpers


def _reports(evidence: Evidence) -> list[Document]:
    return evidence.of_type(DocType.annual_report)


def _year(evidence: Evidence, doc: Document) -> int | None:
    return doc.year or evidence.year or report_year(doc.title, doc.main_text)


def _check(rule_id: str, sub: int, **kwargs) -> Check:
    return make_check(rule_id, INDICATOR, sub, **kwargs)


def _part_name(n: int) -> str:
    return f"{PART_NUMERALS[n - 1]}、{PART_TITLES[n]}"


def cell_name(cell: CellValue) -> str:
    if cell.row in T3_ROWS:
        return f"{T3_ROWS[cell.row][0]}—{T3_COLUMNS.get(cell.col, cell.col)}"
    if cell.row in T4_GROUPS:
        return f"{T4_GROUPS[cell.row]}—{T4_COLUMNS.get(cell.col, cell.col)}"
    if cell.row in T2_ROWS or cell.row in T2_ROWS_TRIAL:
        return f"{(T2_ROWS.get(cell.row) or T2_ROWS_TRIAL[cell.row])[0]}—{T2_COLUMNS.get(cell.col, cell.col)}"
    return f"{cell.row}—{cell.col}"


def cell_citation(doc: Document, cell: CellValue) -> Citation | None:
    """The printed value; for a blank cell the row label (an empty span cannot be shown)."""
    if cell.status is not CellStatus.blank and cell.start is not None and cell.end is not None and cell.end > cell.start:
        return cite(doc, cell.start, cell.end)
    if cell.label_start is not None and cell.label_end is not None and cell.label_end > cell.label_start:
        return cite(doc, cell.label_start, cell.label_end)
    return None


def _citations(doc: Document, cells: Iterable[CellValue], limit: int | None = None) -> list[Citation]:
    out: list[Citation] = []
    seen: set[tuple[int, int]] = set()
    for cell in cells:
        c = cell_citation(doc, cell)
        if c is not None and (c.start, c.end) not in seen:
            seen.add((c.start, c.end))
            out.append(c)
        if limit is not None and len(out) >= limit:
            break
    return out


def _first_line(doc: Document, start: int, end: int) -> Citation:
    """A table cited by its first line (the whole table would bury the reviewer)."""
    newline = doc.text.find("\n", start, end)
    return cite(doc, start, newline if newline > start else end)


def _cell_data(cell: CellValue, doc: Document | None = None) -> dict:
    """A cell as the ladder reads it (indicators/defects.py): one wrong cell breaking several identities
    is one data error, so every data Check names its cells by (doc, row, col)."""
    out = {"row": cell.row, "col": cell.col, "name": cell_name(cell), "value": cell.value, "raw": cell.raw,
           "status": str(cell.status)}
    if doc is not None:
        out["doc"] = doc.file
    return out


EXCERPT_NOTE = "（材料不完整，以下仅为可见部分的核对结果，不作为通过依据）"


def excerpt_guard(func):
    """Sub-2 rules on an excerpt: what the visible part shows wrong stays a failure, but a pass on a
    part of the tables or text is no basis for "数据准确": it becomes info (the unknown Checks of the
    excerpt ask for the whole report)."""
    @functools.wraps(func)
    def guarded(evidence: Evidence) -> Iterator[Check]:
        excerpts = {d.file for d in _reports(evidence) if analyse(d).completeness.excerpt}
        for c in func(evidence):
            files = {cit.file for cit in c.citations}
            if c.outcome == Outcome.passed and excerpts and (not files or files & excerpts):
                c = c.model_copy(update={"outcome": Outcome.info, "rationale": EXCERPT_NOTE + c.rationale,
                                         "data": {**c.data, "excerpt": True}})
            yield c
    return guarded


def _report_rule(name: str, sub: int, description: str, decided_by: str = ""):
    """Register the annual-report rule `annual_report.<name>` (the report alone is its material); a
    sub-2 rule (数据准确) goes through excerpt_guard."""
    def deco(func):
        return rule(f"annual_report.{name}", INDICATOR, [DocType.annual_report], sub=sub, description=description,
                    decided_by=decided_by)(excerpt_guard(func) if sub == 2 else func)
    return deco


def _analysed(evidence: Evidence, skip: Collection[Document] = ()) -> Iterator[tuple[Document, ReportAnalysis]]:
    """Each report of the evidence but those in `skip` (the previous year's), with its analysis."""
    for doc in _reports(evidence):
        if doc not in skip:
            yield doc, analyse(doc)


# ---------------------------------------------------------------- sub 1: structure and format


TABLE_NAMES = {2: "表二（主动公开政府信息情况）", 3: "表三（收到和处理政府信息公开申请情况）",
               4: "表四（政府信息公开行政复议、行政诉讼情况）"}


def _excerpt_data(comp, **more) -> dict:
    return {"excerpt": True, "needs": "报告全文", "outside": comp.outside, "cut_in_part": comp.cut_in_part, **more}


@_report_rule("structure", 1,
              "年度报告六个部分齐全、标题规范、顺序正确，表二、表三、表四齐全", WHOLE_REPORT)
def structure(evidence: Evidence) -> Iterator[Check]:
    """The six parts as the ladder counts them (data["missing"], data["out_of_order"]); a renamed heading
    is a defect of its own Check; what lies outside an excerpt abstains (what the excerpt shows counts)."""
    rid = "annual_report.structure"
    title = "年度报告六部分结构"
    for doc, a in _analysed(evidence):  # no report: no Check (scoring reads that as no evidence)
        sec, comp = a.sections, a.completeness
        cites = [cite(doc, h.start, h.end) for h in sec.hits]
        shown_missing = [n for n in sec.missing if not comp.beyond_material(n)]
        renumbered = [h for h in sec.hits if h.renumbered]
        data = {"found": [h.part for h in sec.hits], "missing": shown_missing, "out_of_order": sec.out_of_order,
                "misnamed": [h.part for h in sec.misnamed], "defect": "formal"}
        if comp.excerpt:
            seen = "、".join(PART_NUMERALS[h.part - 1] for h in sec.hits)
            yield abstain_check(rid, INDICATOR, 1, title=f"{title}（材料不完整）", note=comp.note(), citations=cites,
                                rationale=comp.note() + (f"材料中可见第{seen}部分。" if seen else ""),
                                data={**data, **_excerpt_data(comp)})
        problems = []
        if shown_missing:
            note = ("（其后部分顺延编号：" + "、".join(f"“{h.numeral}、{h.title}”" for h in renumbered) + "）") \
                if renumbered else ""
            problems.append("缺少" + "、".join(f"“{_part_name(n)}”" for n in shown_missing) + note)
        if sec.out_of_order:
            problems.append("各部分顺序为" + "、".join(PART_NUMERALS[h.part - 1] for h in sec.hits) + "，与统一格式顺序不符")
        if problems:
            yield _check(rid, 1, title=title, outcome=Outcome.failed, citations=cites, data=data,
                         rationale="；".join(problems) + "。")
        elif not comp.excerpt:
            yield _check(rid, 1, title=title, outcome=Outcome.passed, citations=cites, data=data,
                         rationale="六个部分（一、总体情况至六、其他需要报告的事项）齐全，标题与顺序符合国办公开办函〔2021〕30号统一格式。")
        for h in sec.misnamed:
            if comp.excerpt and h.part == comp.cut_in_part and \
                    label_key(PART_TITLES[h.part]).startswith(label_key(h.title)):
                continue  # "四、政府信息公开行政复议、行": the heading itself is cut off, not renamed
            yield _check(rid, 1, title="年度报告部分标题不规范", outcome=Outcome.failed, citations=[cite(doc, h.start, h.end)],
                         rationale=f"第{PART_NUMERALS[h.part - 1]}部分标题为“{h.title}”（统一格式为“{PART_TITLES[h.part]}”），"
                                   "标题不规范（不作缺项处理）。",
                         data={"defect": "formal", "defect_kind": "renamed", "part": h.part})
        yield from _table_checks(rid, doc, a)


def _table_checks(rid: str, doc: Document, a) -> Iterator[Check]:
    """Tables 二/三/四 as the ladder counts them (data["absent"]): absent under a heading with text, absent
    with its part, or printed with every cell blank (未填报); under a heading with nothing at all (the
    portal's tables are mostly images) the table is asked for; outside an excerpt it is not judged."""
    title = "统一格式统计表齐全"
    sec, comp = a.sections, a.completeness
    tables = {2: a.table2, 3: a.table3, 4: a.table4}
    present_cites = [_first_line(doc, t.start, t.end) for t in tables.values()
                     if t is not None and t.start is not None and t.end is not None and t.end > t.start]
    warnings = [w for t in tables.values() if t is not None for w in t.warnings]
    hint = "解析提示：" + "；".join(warnings) + "。" if warnings else ""
    absent = [n for n, t in tables.items() if (t is None or not t.cells) and not comp.beyond_material(n)]
    # an empty heading hides a table only where the material shows an image there (or says 见附表);
    # otherwise the report shows the table missing (completeness.py)
    unseen = [n for n in absent if n in comp.image_parts]
    unfilled = [n for n, t in tables.items() if t is not None and t.cells and not any(c.filled for c in t.all_cells())]
    shown = [n for n in absent if n not in unseen] + unfilled
    names = [TABLE_NAMES[n] + ("（未填报）" if n in unfilled else "") for n in shown]
    data = {"absent": names, "warnings": warnings, "defect": "formal", "unfilled": unfilled,
            "with_part": [n for n in shown if sec.part(n) is None]}
    if unseen:
        yield abstain_check(rid, INDICATOR, 1, title=f"{title}（表格不在材料中）",
                            note="、".join(TABLE_NAMES[n] for n in unseen) + "所在部分只有标题、没有内容（原网页表格多为图片），"
                                 "请提供表格图片或报告原件",
                            citations=[cite(doc, sec.part(n).start, sec.part(n).end) for n in unseen],
                            data={**data, "unseen": unseen, "image_shown": comp.image_parts, "needs": "统计表图片"})
    if shown:
        parts = []
        for n in shown:
            if n in unfilled:
                parts.append(f"{TABLE_NAMES[n]}只有表头和行名，所有单元格均为空白，统计表未填报")
            elif sec.part(n) is None:
                parts.append(f"{TABLE_NAMES[n]}随“{_part_name(n)}”一并缺失")
            else:
                parts.append(f"“{_part_name(n)}”部分下未识别到{TABLE_NAMES[n]}")
        yield _check(rid, 1, title=title, outcome=Outcome.failed, citations=present_cites,
                     flags=[Flag.needs_human] + ([Flag.blank_cells] if unfilled else []),
                     rationale="；".join(parts) + "。" + hint, data=data)
    elif not unseen and not (comp.excerpt and any(comp.beyond_material(n) for n in tables)):
        yield _check(rid, 1, title=title, outcome=Outcome.passed, citations=present_cites,
                     rationale="表二、表三、表四均已识别。" + hint, data=data)


STATISTICAL_PARTS = (2, 3, 4)  # the parts that report 条例第五十条 (一)–(三) with their tables
TRIAL_YEARS = (2019, 2020)  # reports on these years: the trial format of 60号 is the right one


@_report_rule("format", 1,
              "2021年及以后的年度报告使用2021年统一格式（30号）；2019、2020年度报告使用试行格式（60号）")
def unified_format(evidence: Evidence) -> Iterator[Check]:
    rid = "annual_report.format"
    title = "统一格式版本"
    for doc, a in _analysed(evidence):
        det, comp = a.format, a.completeness
        year = _year(evidence, doc)
        trial = [cite(doc, s.start, s.end) for s in det.trial_signals]
        current = [cite(doc, s.start, s.end) for s in det.current_signals[:3]]
        labels = "、".join(f"“{s.label}”" for s in det.trial_signals)
        data = {"format": det.format, "year": year, "trial_signals": [s.label for s in det.trial_signals],
                "current_signals": [s.label for s in det.current_signals], "defect": "formal"}
        if year is not None and year < TRIAL_YEARS[0]:
            yield _check(rid, 1, title=title, outcome=Outcome.info, citations=trial, data={**data, "defect": None},
                         rationale=f"报告年度为{year}年，早于年度报告格式（2019年试行格式）的启用年度，不作格式版本判断。")
        elif year in TRIAL_YEARS and det.format == "2019":
            yield _check(rid, 1, title=title, outcome=Outcome.passed, citations=trial, data=data,
                         rationale=f"{year}年度报告使用国办公开办函〔2019〕60号试行格式（{labels}），"
                                   "国办公开办函〔2021〕30号统一格式自2021年度报告起适用，格式正确。")
        elif year in TRIAL_YEARS and det.format in ("2021", "mixed"):
            yield _check(rid, 1, title=title, outcome=Outcome.unknown, citations=current + trial, data=data,
                         flags=[Flag.needs_human],
                         rationale=f"{year}年度报告应使用国办公开办函〔2019〕60号试行格式，报告中出现2021年统一格式的表格项目"
                                   "（如“本年制发件数”），请人工核对报告的年度和发布时间。")
        elif det.format == "2019":
            yield _check(rid, 1, title=title, outcome=Outcome.failed, citations=trial, data=data,
                         rationale=f"报告使用2019年试行格式（国办公开办函〔2019〕60号）的表格项目：{labels}；"
                                   f"{year or '2021'}年度报告应使用国办公开办函〔2021〕30号统一格式。")
        elif det.format == "mixed":
            yield _check(rid, 1, title=title, outcome=Outcome.unknown, citations=trial, data=data,
                         flags=[Flag.needs_human],
                         rationale=f"报告同时出现2021年统一格式项目和2019年试行格式项目（{labels}），请人工核对。")
        elif det.format == "2021":
            yield _check(rid, 1, title=title, outcome=Outcome.passed, data=data, citations=current,
                         rationale="表格项目为国办公开办函〔2021〕30号统一格式（如“本年制发件数”“现行有效件数”）。")
        elif comp.excerpt:
            yield _check(rid, 1, title=title, outcome=Outcome.unknown, flags=[Flag.needs_human],
                         data={**data, **_excerpt_data(comp)},
                         rationale="材料中没有可判断格式版本的统计表。" + comp.note())
        else:
            yield _check(rid, 1, title=title, outcome=Outcome.unknown, data=data, flags=[Flag.needs_human],
                         rationale="未识别到可判断格式版本的表格项目（统计表可能为图片），请人工核对。")


ASK_LEVEL = "请在单位名册中设置该单位的级别"
_WHO = {BodyLevel.department: "县级以上人民政府部门", BodyLevel.county_government: "县级以上地方人民政府",
        BodyLevel.development_zone: "开发区、新区等（按县级政府考核）"}


def _level_note(level: BodyLevel, source: LevelSource | None) -> str:
    """Which level the deadline was judged on and where it came from (名册 / 名称推断)."""
    if level == BodyLevel.unknown or source is None:
        return ""
    return f"（单位级别：{LEVEL_LABELS[level]}，依据：{SOURCE_LABELS[source]}）"


@rule("annual_report.deadline", INDICATOR, [DocType.annual_report, DocType.column_page, DocType.web_page], sub=1,
      description="条例第四十九条：部门1月31日前、县级以上地方人民政府3月31日前公布上一年度报告")
def deadline(evidence: Evidence) -> Iterator[Check]:
    rid = "annual_report.deadline"
    title = "年度报告按时发布（条例第四十九条）"
    for doc in _reports(evidence):
        year = _year(evidence, doc)
        found = doc.date_of(DateKind.publication) or doc.date_of(DateKind.signing)
        source = doc
        listing = listed_publication(evidence.of_type(DocType.column_page, DocType.web_page, year="any"), year, doc.issuer) \
            if year else None
        if listing is not None:  # the website's own date beats a date printed in the file
            found = FoundDate(kind=DateKind.publication, value=listing.date, start=listing.start, end=listing.end)
            source = listing.page
        level, level_source = evidence.body_level, evidence.body_level_source
        if level == BodyLevel.unknown:
            name = doc.issuer or doc.unit or re.split(r"20\d{2}", doc.title or "")[0]
            level = infer_body_level(name)
            level_source = LevelSource.name if level != BodyLevel.unknown else None
        inferred = level_source == LevelSource.name
        citations = [cite(source, found.start, found.end)] if found else []
        data = {"year": year, "body_level": str(level), "level_inferred": inferred,
                "level_source": str(level_source) if level_source else None, "date_source": source.file,
                "date": found.value.isoformat() if found else None, "date_kind": str(found.kind) if found else None}
        level_note = _level_note(level, level_source)
        if found is None:
            yield _check(rid, 1, title=title, outcome=Outcome.unknown, flags=[Flag.date_unknown, Flag.needs_human],
                         data=data, rationale="报告中未找到发布日期或落款日期，无法判断是否按时发布，请核对网页发布时间。"
                                              + level_note)
            continue
        kind_text = ("网站栏目显示的发布日期" if listing is not None else
                     "发布日期" if found.kind == DateKind.publication else "落款日期")
        if year is None:
            yield _check(rid, 1, title=title, outcome=Outcome.unknown, flags=[Flag.needs_human], data=data,
                         citations=citations, rationale=f"无法确定报告年度（{kind_text}为{cn_date(found.value)}）。")
            continue
        if level == BodyLevel.township:
            yield _check(rid, 1, title=title, outcome=Outcome.unknown, citations=citations, data=data,
                         flags=[Flag.unconfirmed_rule, Flag.needs_human],
                         rationale=f"乡镇（街道）年度报告的发布时限条例第四十九条未作规定，应依本地规定核对；"
                                   f"本报告{kind_text}为{cn_date(found.value)}。{level_note}")
            continue
        due = deadline_for(level, year)
        if due is None:
            # the level decides only between the two deadlines: a date on or before the earlier one is on
            # time and one after the later one is late whatever the level; in between the reviewer says
            earliest, latest = deadline_for("department", year), deadline_for("county_government", year)
            if earliest is not None and latest is not None and not earliest < found.value <= latest:
                level = "department" if found.value <= earliest else "county_government"
                due = earliest if found.value <= earliest else latest
                data["level_undecided"] = True
            else:
                yield abstain_check(rid, INDICATOR, 1, title=title, citations=citations, data=data,
                                    note=ASK_LEVEL,
                                    rationale=f"无法判断报告主体是政府（含开发区、新区等）还是政府部门，时限（1月31日或"
                                              f"3月31日）无法确定；本报告{kind_text}为{cn_date(found.value)}。{ASK_LEVEL}。")
                continue
        who = _WHO[level]
        if data.get("level_undecided"):  # either deadline gives the same answer
            who = "报告主体级别未定（政府或部门），按" + ("较早的部门时限" if level == "department" else "较晚的政府时限") + "，"
        data["deadline"] = due.isoformat()
        late = (found.value - due).days
        flags = [Flag.needs_human] if found.kind != DateKind.publication and late <= 0 else []
        if found.value.year <= year:
            yield _check(rid, 1, title=title, outcome=Outcome.unknown, citations=citations, data=data,
                         flags=[Flag.needs_human],
                         rationale=f"{kind_text}{cn_date(found.value)}不晚于报告年度{year}年，日期可能识别有误，请人工核对。"
                                   f"{level_note}")
        elif late > 0:
            data["days_late"] = late
            yield _check(rid, 1, title=title, outcome=Outcome.failed, citations=citations, data=data,
                         rationale=f"{who}应于{cn_date(due)}前公布{year}年度报告；本报告{kind_text}为"
                                   f"{cn_date(found.value)}，晚于法定期限{late}天。{level_note}")
        elif found.kind != DateKind.publication:
            # a 落款 on time says nothing about when (or whether) the site published it
            yield _check(rid, 1, title=title, outcome=Outcome.unknown, citations=citations, data=data,
                         flags=[Flag.date_unknown, Flag.needs_human],
                         rationale=f"{who}应于{cn_date(due)}前公布{year}年度报告；本报告仅有{kind_text}"
                                   f"{cn_date(found.value)}，未见网站发布日期（如年报栏目截图），无法确认按时发布。{level_note}")
        else:
            yield _check(rid, 1, title=title, outcome=Outcome.passed, citations=citations, data=data, flags=flags,
                         shown=True,  # the reviewer sees which level (and deadline) the date was held to
                         rationale=f"{who}应于{cn_date(due)}前公布{year}年度报告；本报告{kind_text}为"
                                   f"{cn_date(found.value)}，在法定期限内。{level_note}")


# ---------------------------------------------------------------- sub 2: arithmetic


def _echoed_in_total(failures: list[IdentityResult]) -> dict[int, list[CellValue]]:
    """A 总计 column that fails by exactly the sum of its columns' failures repeats their errors (the
    total was added up from the wrong figures): it gets their cells too, so that scoring counts
    each wrong figure once (scoring-policy: a defect is counted once)."""
    total = [r for r in failures if r.lhs and r.lhs[0].col == "total"]
    parts = [r for r in failures if r.lhs and r.lhs[0].col != "total"]

    def signed(r: IdentityResult) -> float:
        return r.lhs_sum - r.rhs_sum

    if len(total) != 1 or not parts or sum(signed(r) for r in parts) != signed(total[0]):
        return {}
    return {id(total[0]): [c for r in parts for c in r.lhs + r.rhs]}


def _identity_checks(rid: str, doc: Document, results: list[IdentityResult], family: str,
                     table_name: str) -> Iterator[Check]:
    mine = [r for r in results if r.identity == family]
    if not mine:
        return
    text = IDENTITY_TEXT[family]
    failures = [r for r in mine if r.outcome == "fail"]
    echoed = _echoed_in_total(failures)
    for r in failures:
        cited = r.lhs + r.rhs
        if len(r.rhs) > LONG_SIDE:  # as in the rationale: the zeros of a long sum are counted, not cited
            cited = r.lhs + [c for c in r.rhs if not (c.status is CellStatus.ok and c.value == 0)]
        yield _check(rid, 2, title=f"{table_name}勾稽关系（{family}）", outcome=Outcome.failed,
                     rationale=f"违反勾稽关系{family}（{text}）：{r.arithmetic()}。",
                     citations=_citations(doc, cited), flags=[Flag.blank_cells] if r.blanks else [],
                     data={"identity": family, "scope": r.scope, "lhs_sum": r.lhs_sum, "rhs_sum": r.rhs_sum,
                           "difference": r.difference,
                           "cells": [_cell_data(c, doc) for c in r.lhs + r.rhs + echoed.get(id(r), [])],
                           "defect": "data"})
    # identities over unrecognised rows are named once, by the missing-rows Check (_blank_check)
    unknown = [r for r in mine if r.outcome == "unknown" and not any(
        c.status is CellStatus.missing for c in r.lhs + r.rhs)]
    if unknown:
        yield _check(rid, 2, title=f"{table_name}勾稽关系（{family}）无法核验", outcome=Outcome.unknown,
                     rationale=f"以下{len(unknown)}处因存在空白或未识别单元格，无法核验{family}（{text}）；"
                               "空白不按0处理：" + "；".join(r.arithmetic() for r in unknown) + "。",
                     citations=_citations(doc, (c for r in unknown for c in r.blanks), MAX_PASS_CITATIONS),
                     flags=[Flag.blank_cells, Flag.needs_human],
                     data={"identity": family, "scopes": [r.scope for r in unknown], "defect": "data"})
    passed = [r for r in mine if r.outcome == "pass"]
    if passed:
        with_blanks = [r for r in passed if r.blanks]
        unit = {"T3-C": "行", "T4-A": "组"}.get(family, "列")
        rationale = f"{family}（{text}）：{len(passed)}{unit}成立。"
        if with_blanks:
            rationale += (f"其中{len(with_blanks)}处含空白单元格，仅在空白视为0时成立，报告应填写0：" +
                          "；".join(r.arithmetic() for r in with_blanks) + "。")
        yield _check(rid, 2, title=f"{table_name}勾稽关系（{family}）", outcome=Outcome.passed, rationale=rationale,
                     citations=_citations(doc, (c for r in passed for c in r.lhs), MAX_PASS_CITATIONS),
                     flags=[Flag.blank_cells] if with_blanks else [],
                     data={"identity": family, "scopes": [r.scope for r in passed], "defect": "data",
                           "with_blanks": [r.scope for r in with_blanks]})


def cells_of_row(cells: list[CellValue], row: str) -> list[CellValue]:
    return [c for c in cells if c.row == row]


def _blank_check(rid: str, doc: Document, cells: list[CellValue], table_name: str) -> Iterator[Check]:
    blanks = [c for c in cells if c.status is CellStatus.blank]
    missing = [c for c in cells if c.status is CellStatus.missing]
    if blanks:
        by_row: dict[str, list[CellValue]] = {}
        for c in blanks:
            by_row.setdefault(c.row, []).append(c)
        names = "；".join(
            f"{cell_name(cs[0]).split('—')[0]}—" + ("全部各列" if len(cs) == len(cells_of_row(cells, row)) else
                                                   "、".join(cell_name(c).split("—")[1] for c in cs))
            for row, cs in by_row.items())
        yield _check(rid, 2, title=f"{table_name}空白单元格", outcome=Outcome.unknown,
                     rationale=f"{table_name}有{len(blanks)}个单元格为空白（未填报，不按0处理），统一格式要求逐项填写："
                               f"{names}。",
                     citations=_citations(doc, blanks, MAX_PASS_CITATIONS), flags=[Flag.blank_cells, Flag.needs_human],
                     data={"blank": [[c.row, c.col] for c in blanks], "defect": "data"})
    if missing:
        rows = sorted({c.row for c in missing}, key=lambda r: [c.row for c in cells].index(r))
        names = "、".join(cell_name(CellValue(row=r, col="total")).split("—")[0] for r in rows)
        yield _check(rid, 2, title=f"{table_name}未识别的行", outcome=Outcome.unknown, flags=[Flag.needs_human],
                     rationale=f"{table_name}以下行未能识别（缺行、材料不完整或版式无法解析），涉及这些行的勾稽关系未核验："
                               f"{names}。",
                     data={"missing_rows": rows, "defect": "data"})


@_report_rule("identities", 2,
              "表三勾稽关系T3-A/B/C/E、表四T4-A、表二收费单位T2-A；空白单元格逐一报告")
def identities(evidence: Evidence) -> Iterator[Check]:
    rid = "annual_report.identities"
    for doc, a in _analysed(evidence):
        yield from _unverifiable(rid, doc, a)
        if a.table3 is not None and a.table3.ambiguous_rows:
            yield _check(rid, 2, title="表三连写数字无法唯一拆分", outcome=Outcome.unknown, flags=[Flag.needs_human],
                         rationale="表三以下行的数字连在一起印出，按行合计和各列勾稽关系仍有多种拆分，未作猜测：" + "；".join(
                             f"“{T3_ROWS[row][0]}”可为" + "或".join(opts[:4]) + ("等" if len(opts) > 4 else "")
                             for row, opts in a.table3.ambiguous_rows.items()) + "。请对照报告原件核对。",
                         data={"defect": "data", "ambiguous_rows": a.table3.ambiguous_rows})
        if a.table3 is not None:
            results = table3_identities(a.table3)
            for family in ("T3-A", "T3-B", "T3-C"):
                yield from _identity_checks(rid, doc, results, family, "表三")
            for cell in suspect_cells(results):
                # a hint that locates the failures above, not a requirement of its own: info
                yield _check(rid, 2, title="表三疑似错误单元格", outcome=Outcome.info,
                             rationale=f"单元格“{cell_name(cell)}”（{cell.raw.strip()}）同时处于不成立的行等式（T3-C）"
                                       "和列等式（T3-A或T3-B）中，最可能是填写错误。",
                             citations=_citations(doc, [cell]), data={"cell": _cell_data(cell, doc), "defect": None})
            cells = a.table3.expected_cells()
            bad = non_integer_cells(cells)
            if bad:
                decimals = [c for c in bad if c.status is not CellStatus.non_numeric]
                yield _check(rid, 2, title="表三数据为非负整数（T3-E）",
                             outcome=Outcome.failed if decimals else Outcome.unknown,
                             flags=[] if decimals else [Flag.needs_human],
                             rationale="申请件数应为非负整数，以下单元格不是：" + "、".join(
                                 f"{cell_name(c)}（{c.raw.strip()}）" for c in bad) + "。",
                             citations=_citations(doc, bad),
                             data={"cells": [_cell_data(c, doc) for c in bad], "defect": "data"})
            yield from _blank_check(rid, doc, cells, "表三")
        if a.table4 is not None and a.table4.cells:
            yield from _identity_checks(rid, doc, table4_identities(a.table4), "T4-A", "表四")
            yield from _blank_check(rid, doc, a.table4.expected_cells(), "表四")
        if a.table2 is not None:
            fee = a.table2.get("fees", "amount")
            if fee.filled and (fee.unit == "元" or (fee.value or 0) >= FEE_YUAN_SUSPECT):
                yield _check(rid, 2, title="表二收费金额单位（T2-A）", outcome=Outcome.unknown,
                             flags=[Flag.needs_human],
                             rationale=f"行政事业性收费金额应以万元填报，表二填写为“{fee.raw.strip()}”，疑似按元填报，请核对。",
                             citations=_citations(doc, [fee]),
                             data={"cell": _cell_data(fee, doc), "cells": [_cell_data(fee, doc)], "defect": "data"})


def _lacking_tables(a) -> list[int]:
    """Tables 三/四 not (wholly) in the material."""
    lacking = [n for n, t in ((3, a.table3), (4, a.table4)) if t is None or not t.cells]
    if a.table3 is not None and any(c.status is CellStatus.missing for c in a.table3.expected_cells()):
        lacking = sorted({*lacking, 3})
    return lacking


def _unverifiable(rid: str, doc: Document, a) -> Iterator[Check]:
    """Tables 三/四 not (wholly) in the material: the data cannot be verified, which is not a data error."""
    comp = a.completeness
    lacking = _lacking_tables(a)
    if not lacking:
        return
    names = "、".join(TABLE_NAMES[n].split("（")[0] for n in lacking)
    if comp.excerpt and any(comp.beyond_material(n) for n in lacking):
        yield _check(rid, 2, title="报告数据可核验", outcome=Outcome.unknown, flags=[Flag.needs_human],
                     rationale=f"{names}不在材料中或不完整，勾稽关系和正文数字无法全部核对。" + comp.note(),
                     data={"defect": "data", "tables": lacking, **_excerpt_data(comp)})
    elif any(n in comp.image_parts for n in lacking):
        yield abstain_check(rid, INDICATOR, 2, title="报告数据可核验（表格不在材料中）",
                            note=f"{names}所在部分只有标题、没有内容（原网页表格多为图片），数据无法核对，请提供表格图片或报告原件",
                            data={"defect": "data", "tables": lacking, "needs": "统计表图片"})
    elif any(a.sections.part(n) is None or n in comp.empty_parts for n in lacking):
        # the material shows the tables missing: counted in sub 1, not a data error, nothing to verify
        # examined for sub 2's data errors: a table the report lacks holds no wrong figure (scoring-policy
        # counts it once, as a formal defect in sub 1)
        yield _check(rid, 2, title="报告数据可核验", outcome=Outcome.passed,
                     rationale=f"报告没有{names}（已在格式部分计为缺陷），勾稽关系无从核对，正文数字按正文自身核对。",
                     data={"defect": None, "tables": lacking, "tables_missing": True})
    elif any(n != 3 or a.table3 is None for n in lacking):
        yield _check(rid, 2, title="报告数据可核验", outcome=Outcome.unknown, flags=[Flag.needs_human],
                     rationale=f"未识别到{names}，勾稽关系无法核对，请人工核对报告中的统计表。",
                     data={"defect": "data", "tables": lacking})


# ---------------------------------------------------------------- sub 2: continuity with last year


@_report_rule("cross_year", 2,
              "与上一年度衔接：X-1 上年结转=上年结转下年度；X-2 现行有效件数合理性（仅提示）")
def continuity(evidence: Evidence) -> Iterator[Check]:
    rid = "annual_report.cross_year"
    previous = evidence.previous_year(DocType.annual_report)
    for doc, cur_a in _analysed(evidence, skip=previous):
        if not previous:
            yield _check(rid, 2, title="与上一年度数据衔接（X-1）", outcome=Outcome.info,
                         rationale="材料中没有上一年度的年度报告，未核对“上年结转”与上年“结转下年度继续办理”的衔接。",
                         data={"defect": None})
            continue
        prev = previous[0]
        prev_a = analyse(prev)
        if cur_a.table3 is not None and prev_a.table3 is not None:
            for r in cross_year(cur_a.table3, prev_a.table3):
                cites = _citations(doc, r.lhs) + _citations(prev, r.rhs)
                data = {"identity": "X-1", "scope": r.scope, "current": r.lhs_sum, "previous": r.rhs_sum}
                if r.outcome == "fail":
                    yield _check(rid, 2, title="与上一年度数据衔接（X-1）", outcome=Outcome.failed, citations=cites,
                                 data={**data, "difference": r.difference, "defect": "data",
                                       "cells": [_cell_data(c, doc) for c in r.lhs] + [_cell_data(c, prev) for c in r.rhs]},
                                 rationale=f"违反X-1（{IDENTITY_TEXT['X-1']}）：{r.arithmetic()}（上年报告：{prev.file}）。")
                elif r.outcome == "unknown" or r.blanks:
                    yield _check(rid, 2, title="与上一年度数据衔接（X-1）", outcome=Outcome.unknown, citations=cites,
                                 data={**data, "defect": "data"}, flags=[Flag.blank_cells, Flag.needs_human],
                                 rationale=f"含空白单元格，X-1无法确认：{r.arithmetic()}。")
            passed = [r for r in cross_year(cur_a.table3, prev_a.table3) if r.outcome == "pass" and not r.blanks]
            if passed:
                yield _check(rid, 2, title="与上一年度数据衔接（X-1）", outcome=Outcome.passed,
                             citations=_citations(doc, [r.lhs[0] for r in passed], MAX_PASS_CITATIONS // 2)
                             + _citations(prev, [r.rhs[0] for r in passed], MAX_PASS_CITATIONS // 2),
                             rationale=f"{len(passed)}列本年“二、上年结转”与上年报告“四、结转下年度继续办理”一致"
                                       f"{_total_note(passed)}。",
                             data={"scopes": [r.scope for r in passed], "defect": "data"})
        yield from _in_force_plausibility(rid, doc, prev, cur_a, prev_a)


def _total_note(results: list[IdentityResult]) -> str:
    r = next((r for r in results if r.lhs[0].col == "total"), None)
    return f"（总计列：{r.lhs_sum:g} = {r.rhs_sum:g}）" if r else ""


def _in_force_plausibility(rid, doc, prev, cur_a, prev_a) -> Iterator[Check]:
    """X-2 (heuristic, flag only): 现行有效(本年) ≈ 现行有效(上年) + 本年制发 − 本年废止."""
    if cur_a.table2 is None or prev_a.table2 is None:
        return
    for row in ("rules", "normative"):
        now = cur_a.table2.get(row, "in_force")
        before = prev_a.table2.get(row, "in_force")
        issued, repealed = cur_a.table2.get(row, "issued"), cur_a.table2.get(row, "repealed")
        if not all(c.filled for c in (now, before, issued, repealed)):
            continue
        expected = before.value + issued.value - repealed.value
        name = T2_ROWS[row][0]
        text = (f"表二“{name}”：上年现行有效{before.value:g} + 本年制发{issued.value:g} − 本年废止{repealed.value:g}"
                f" = {expected:g}，本年现行有效{now.value:g}")
        ok = expected == now.value
        yield _check(rid, 2, title=f"现行有效件数衔接（X-2，{name}）", outcome=Outcome.info,
                     flags=[] if ok else [Flag.needs_human],
                     rationale=text + ("，一致。" if ok else "，不一致（修改、失效未计入时可能正常，仅作提示）。"),
                     citations=_citations(doc, [now, issued, repealed]) + _citations(prev, [before]),
                     data={"expected": expected, "actual": now.value, "defect": None})


# ---------------------------------------------------------------- sub 2: narrative vs tables


@_report_rule("narrative", 2,
              "正文所述数字与表格一致；合计与分项相符；百分比与其基数相符")
def narrative(evidence: Evidence) -> Iterator[Check]:
    rid = "annual_report.narrative"
    for doc, a in _analysed(evidence):
        year = _year(evidence, doc)
        consistent: list[str] = []
        consistent_cites: list[Citation] = []
        unchecked: list[tuple[str, Citation]] = []  # text figures whose table is not in the material
        for s in count_statements(doc.main_text, year, a.table2, a.table3, a.table4):
            if s.table_value is None:
                unchecked.append((f"{s.title.split('（')[0]}{s.value.value}", cite(doc, *s.sentence)))
                continue
            said = cite(doc, *s.sentence)
            if s.value.value == s.table_value:
                consistent.append(f"{s.title}：{s.value.value}")
                consistent_cites.append(said)
                continue
            yield _check(rid, 2, title="正文与表格数据一致", outcome=Outcome.failed,
                         rationale=f"正文所述{s.title.split('（')[0]}为{s.value.value}件，{s.title.split('（', 1)[1][:-1]}为"
                                   f"{s.table_value}，相差{abs(s.value.value - s.table_value)}。",
                         citations=[said, *_citations(doc, s.cells)],
                         data={"kind": s.kind, "text_value": s.value.value, "table_value": s.table_value,
                               "defect": "data", "cells": [_cell_data(c, doc) for c in s.cells]})
        for p in parts_statements(doc.main_text):
            said = cite(doc, *p.sentence)
            if p.parts_sum == p.total.value:
                consistent.append(f"合计{p.total.value}{p.unit}与分项之和相符")
                consistent_cites.append(said)
                continue
            terms = " + ".join(str(x.value) for x in p.parts)
            # parts above the total are wrong for certain; below it the list may be incomplete
            short = p.parts_sum < p.total.value
            yield _check(rid, 2, title="正文合计与分项相符", outcome=Outcome.failed, citations=[said],
                         flags=[Flag.needs_human] if short else [],
                         rationale=f"正文称共{p.total.value}{p.unit}，所列分项{terms} = {p.parts_sum}{p.unit}，"
                                   f"相差{abs(p.total.value - p.parts_sum)}{p.unit}。",
                         data={"total": p.total.value, "parts": [x.value for x in p.parts], "defect": "data"})
        for p in percent_statements(doc.main_text):
            said = cite(doc, *p.sentence)
            if p.consistent:
                consistent.append(f"{p.numerator.value}/{p.base.value} = {p.percent:g}%")
                consistent_cites.append(said)
                continue
            yield _check(rid, 2, title="正文百分比与基数相符", outcome=Outcome.failed, citations=[said],
                         rationale=f"正文百分比为{p.percent:g}%，按所列数字{p.numerator.value} ÷ {p.base.value}计算应为"
                                   f"{p.computed:.{max(p.decimals, 1)}f}%。",
                         data={"percent": p.percent, "computed": round(p.computed, 4), "defect": "data"})
        if consistent:
            yield _check(rid, 2, title="正文与表格数据一致", outcome=Outcome.passed,
                         rationale=f"正文{len(consistent)}处数字核对一致：" + "；".join(consistent) + "。",
                         citations=consistent_cites[:MAX_PASS_CITATIONS], data={"consistent": consistent, "defect": "data"})
        # with tables 三/四 not (wholly) in the material, every figure the text states waits for them
        figures = [cite(doc, *span) for span in figure_sentences(doc.main_text, year)] if _lacking_tables(a) else []
        if unchecked or figures:
            # shown to the reviewer (the figures to hold against the tables once they are supplied), not scored
            named = list(dict.fromkeys(n for n, _ in unchecked))
            said = ("正文所述" + "、".join(named) + "，材料中没有可对应的统计表数据，未能核对。") if named else \
                "统计表不在材料中或不完整，正文所述数字有待与统计表核对（见引文）。"
            yield _check(rid, 2, title="正文数字（未与统计表核对）", outcome=Outcome.info, rationale=said,
                         citations=unique_citations([*(c for _, c in unchecked), *figures])[:MAX_PASS_CITATIONS],
                         data={"unchecked": named, "defect": None})


# ---------------------------------------------------------------- sub 2: content


@_report_rule("content", 2,
              "总体情况覆盖五方面；政府报告含考核评议追究；改进措施具体、不与上年雷同", WHOLE_REPORT)
def content(evidence: Evidence) -> Iterator[Check]:
    rid = "annual_report.content"
    previous = evidence.previous_year(DocType.annual_report)
    for doc, a in _analysed(evidence, skip=previous):
        sec, comp = a.sections, a.completeness
        if comp.excerpt:
            yield abstain_check(rid, INDICATOR, 2, title="年度报告内容（材料不完整）", note=comp.note(),
                                data={"missing": sec.missing, "defect": "data", **_excerpt_data(comp)})
        overview = sec.part(1)
        cut = "（材料不完整，该部分可能未全部收入）" if comp.excerpt and comp.beyond_material(1) else ""
        if overview is not None:  # off the 1.1.9 ladder: shown to the reviewer, never deducted
            missing = topics_missing(sec.body(doc, 1), OVERVIEW_TOPICS)
            yield _check(rid, 2, title="总体情况五方面（提示）", outcome=Outcome.info,
                         citations=[cite(doc, overview.start, overview.end)], data={"missing": missing, "defect": None},
                         rationale=("“一、总体情况”未见以下方面的内容：" + "、".join(missing) + "（统一格式说明列有主动公开、"
                                    "依申请公开、政府信息管理、政府信息公开平台建设、监督保障）" + cut + "，仅作提示。")
                         if missing else
                         "“一、总体情况”涵盖主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障五方面。")
        for n in (n for n in STATISTICAL_PARTS if sec.part(n) is None and not comp.beyond_material(n)):
            # 条例第五十条 items (一)–(三): a complete report without the part omits its figures (内容遗漏)
            yield _check(rid, 2, title="报告内容不遗漏", outcome=Outcome.failed,
                         rationale=f"报告缺少“{_part_name(n)}”，条例第五十条要求报告的该项情况及其统计数据未报告（内容遗漏）。",
                         data={"defect": "data", "defect_kind": "omitted_part", "part": n})
        level = evidence.body_level if evidence.body_level != "unknown" else infer_body_level(doc.issuer or doc.unit)
        if level == "county_government" and not comp.excerpt:
            missing = topics_missing(doc.main_text, GOVERNMENT_TOPICS)
            yield _check(rid, 2, title="工作考核、社会评议和责任追究结果（提示）", outcome=Outcome.info,
                         data={"missing": missing, "defect": None},
                         citations=[cite(doc, overview.start, overview.end)] if overview else [],
                         rationale=("县级人民政府年度报告应报告工作考核、社会评议和责任追究结果情况（条例第五十条第（四）项），"
                                    "未见：" + "、".join(missing) + "，仅作提示。") if missing else
                         "报告包含工作考核、社会评议和责任追究结果情况（条例第五十条第（四）项）。")
        improve = sec.part(5)
        if improve is None:
            if comp.beyond_material(5):
                yield _check(rid, 2, title="改进措施具体可操作", outcome=Outcome.unknown, flags=[Flag.needs_human],
                             rationale="“五、存在的主要问题及改进情况”不在材料中。" + comp.note(),
                             data={"defect": "measures", **_excerpt_data(comp)})
            else:
                yield _check(rid, 2, title="改进情况部分缺失", outcome=Outcome.failed,
                             rationale="报告没有“五、存在的主要问题及改进情况”部分，未报告问题及改进措施。",
                             data={"defect": "measures", "no_section": True, "missing_part": 5})
            continue
        body = sec.body(doc, 5)
        spec = specificity(body)
        head = cite(doc, improve.start, improve.end)
        verdict = spec.verdict
        counts = f"具体措施{len(spec.concrete)}条、笼统表述{len(spec.generic)}条"
        generic_cites = [c for c in (cite_sentence(doc, s, improve.end) for s in spec.generic[:3]) if c]
        if not spec.concrete and not spec.generic:
            # nothing counted: a parse failure (or a section of problem statements only), not a verdict
            yield _check(rid, 2, title="改进措施具体可操作", outcome=Outcome.unknown, citations=[head],
                         flags=[Flag.needs_human],
                         rationale=("材料在“五、存在的主要问题及改进情况”处中断，改进措施正文不在材料中。" + comp.note())
                         if comp.beyond_material(5) else
                         "“五、存在的主要问题及改进情况”中未能识别出改进措施条目（可能是版式无法解析、措施以图片发布，"
                         "或该部分只陈述问题），请人工核对改进措施。",
                         data={"defect": "measures", "concrete": 0, "generic": 0, "parse_failure": True,
                               "neutral": spec.neutral,
                               **(_excerpt_data(comp) if comp.beyond_material(5) else {})})
        else:
            yield _check(rid, 2, title="改进措施具体可操作",
                         outcome={"specific": Outcome.passed, "generic": Outcome.failed}.get(verdict, Outcome.unknown),
                         flags=[Flag.borderline, Flag.needs_human] if verdict == "mixed" else [],
                         citations=[head, *generic_cites],
                         data={"concrete": len(spec.concrete), "generic": len(spec.generic), "share": round(spec.share, 3),
                               "defect": "measures"},
                         rationale={"specific": f"“五、存在的主要问题及改进情况”{counts}，措施有具体对象、时限或数量。",
                                    "generic": f"“五、存在的主要问题及改进情况”{counts}，均为“进一步加强”“持续推进”等笼统表述，"
                                               "缺少具体对象、时限或数量。",
                                    "mixed": f"“五、存在的主要问题及改进情况”{counts}，具体程度一般，请人工判断。"}[verdict])
        for prev in previous:
            prev_sec = analyse(prev).sections
            prev_part = prev_sec.part(5)
            if prev_part is None:
                continue
            ratio = similarity(body, prev_sec.body(prev, 5))
            outcome = Outcome.failed if ratio >= COPY_THRESHOLD else \
                Outcome.unknown if ratio >= SIMILAR_THRESHOLD else Outcome.passed
            yield _check(rid, 2, title="改进措施与上年不雷同", outcome=outcome,
                         flags=[Flag.borderline, Flag.needs_human] if outcome == Outcome.unknown else [],
                         citations=[head, cite(prev, prev_part.start, prev_part.end)],
                         data={"similarity": round(ratio, 3), "previous": prev.file, "defect": "measures"},
                         rationale=f"本年与上年（{prev.file}）“五、存在的主要问题及改进情况”文字相似度为{ratio:.0%}"
                                   + ("，内容雷同（国办公开办函〔2021〕30号将“内容雷同”列为应追责的问题）。"
                                      if outcome == Outcome.failed else
                                      "，相似度较高，请人工判断是否照搬上年。" if outcome == Outcome.unknown else
                                      "，未见照搬上年。"))


def cite_sentence(doc: Document, sentence: str, near: int) -> Citation | None:
    span = doc.find(sentence, near)
    return cite(doc, span.start, span.end) if span else None
