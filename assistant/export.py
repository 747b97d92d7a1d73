"""Exports a reviewer works with: the score sheet (xlsx), the findings (docx), the summary across units.

`scorecard.xlsx` is laid out like the office's paper score sheet: the three indicator levels as
merged cells, one row per scored item, subtotal rows per 一级指标 and a total, all as Excel SUM
formulas so a reviewer's edits in 复核得分 add up in Excel itself. Reviewer decisions, when given,
sit beside the suggestions; they never overwrite them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable, Iterable, Sequence
from copy import copy
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from zoneinfo import ZoneInfo

from docx import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from assistant.scorecard import ReviewDecision, Scorecard, ScoreItem, Totals
from core.files import atomic_write_bytes
from core.findings import FLAG_LABELS, VERDICT_LABELS, Citation, Flag

POINTS = "0.0"  # number format: points to one decimal
EXPORT_STAMP = ".exports.sha256"  # beside a unit's files: the scorecard they were rendered from
EXPORT_STAMP_DATED = ".exports-dated.sha256"  # the same for the browser's dated file names
EXPORT_VERSION = "1"  # bump when the layout of the files changes, so that old exports are rewritten
COLUMNS: tuple[tuple[str, float], ...] = (
    ("一级指标", 10), ("二级指标", 12), ("三级指标", 16), ("考核要点", 42), ("分值", 7),
    ("建议得分", 9), ("依据与引文", 62), ("复核得分", 9), ("复核意见", 24),
)
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_SUBTOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_ATTENTION_FILL = PatternFill("solid", fgColor="FFF2CC")  # items a human must look at
_QUOTE_CHARS = 200
BEIJING = ZoneInfo("Asia/Shanghai")  # the office works in Beijing time: dates on exports are its dates
UNDECIDED_NOTE = "未复核的项按建议得分计"


def beijing_today() -> dt.date:
    return dt.datetime.now(BEIJING).date()


def date_cn(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass(frozen=True)
class ExportInfo:
    """Who exported and when: written inside every export (and, for the browser, into the file names)."""

    reviewer: str = ""
    date: dt.date = field(default_factory=beijing_today)


def reviewers_of(sc: Scorecard, info: ExportInfo) -> str:
    """The exporting reviewer first, then everyone who decided an item; "尚未复核" when nobody did."""
    names = [info.reviewer.strip()] + [i.decision.reviewer for i in sc.items if i.decided and i.decision.reviewer]
    return "、".join(dict.fromkeys(n for n in names if n)) or "尚未复核"


def totals_line(t: Totals) -> str:
    """The one wording of a unit's total in every export (the numbers come from Scorecard.totals)."""
    return (f"建议总分 {t.suggested:.1f} 分，复核后总分 {t.reviewed:.1f} 分（满分 {t.max_points:.1f} 分；"
            f"已复核 {t.decided}/{t.items} 项，{UNDECIDED_NOTE}）")


def export_line(sc: Scorecard, info: ExportInfo) -> str:
    return f"被考核单位：{sc.unit}　复核人：{reviewers_of(sc, info)}　导出日期：{date_cn(info.date)}"


def flag_labels(flags: Iterable[str]) -> list[str]:
    return [FLAG_LABELS.get(f, f) for f in flags]


def citation_line(c: Citation) -> str:
    page = f"第{c.page}页" if c.page else ""
    quote = c.quote if len(c.quote) <= _QUOTE_CHARS else c.quote[:_QUOTE_CHARS] + "……"
    return f"《{c.file}》{page}：“{quote}”"


def evidence_text(item: ScoreItem) -> str:
    lines = [f"【{VERDICT_LABELS[item.verdict]}｜{item.source.label}】{item.rationale}".strip()]
    if item.citations:
        lines.append("引文：")
        lines += [f"{n}. {citation_line(c)}" for n, c in enumerate(item.citations, start=1)]
    if item.flags:
        lines.append("提示：" + "；".join(flag_labels(item.flags)))
    return "\n".join(lines)


def _requirement(item: ScoreItem) -> str:
    text = item.requirement or item.name
    return f"{item.sub}. {text}" if item.sub is not None and not text.startswith(f"{item.sub}.") else text


def _title(sc: Scorecard, what: str) -> str:
    year = f"{sc.year}年度" if sc.year else ""
    return f"{sc.unit}{year}政务公开考核{what}"


def save_atomic(save: Callable[[io.BytesIO], object], path: Path) -> Path:
    """Serialise in memory, then temp file + rename: a killed run never leaves a half-written export."""
    buf = io.BytesIO()
    save(buf)
    atomic_write_bytes(path, buf.getvalue())
    return path


# --- scorecard.xlsx ---------------------------------------------------------------------------------

def write_scorecard_xlsx(sc: Scorecard, path: Path, info: ExportInfo | None = None) -> Path:
    info = info or ExportInfo()
    wb = Workbook()
    ws = wb.active
    ws.title = "评分表"
    ncol = len(COLUMNS)
    ws.cell(1, 1, _title(sc, "评分表")).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws.cell(1, 1).alignment = _CENTER
    for col, (name, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(2, col, name)
        cell.font, cell.fill, cell.alignment, cell.border = Font(bold=True), _HEADER_FILL, _CENTER, _BORDER
        ws.column_dimensions[get_column_letter(col)].width = width

    row = 3
    subtotal_rows: list[int] = []
    styles = _CellStyles(ws)
    for level1, group in groupby(sc.items, key=lambda i: i.level1):
        items = list(group)
        first = row
        for item in items:
            _item_row(ws, row, item, styles)
            row += 1
        last = row - 1
        _merge_runs(ws, items, first, col=1, key=lambda i: i.level1)
        _merge_runs(ws, items, first, col=2, key=lambda i: (i.level1, i.level2))
        _merge_runs(ws, items, first, col=3, key=lambda i: (i.level1, i.level2, i.id))
        sums = {c: f"=SUM({c}{first}:{c}{last})" for c in "EF"}
        # 复核得分 adds up like Scorecard.totals: a blank (undecided) item counts with its suggestion
        sums["H"] = f'=SUM(H{first}:H{last})+SUMPRODUCT((H{first}:H{last}="")*F{first}:F{last})'
        _sum_row(ws, row, f"小计：{level1 or '（未分类）'}", sums)
        subtotal_rows.append(row)
        row += 1
    total = {c: "=SUM(" + ",".join(f"{c}{r}" for r in subtotal_rows) + ")" if subtotal_rows else "=0" for c in "EFH"}
    _sum_row(ws, row, "合计", total, bold=True)
    for n, text in enumerate((export_line(sc, info), totals_line(sc.totals())), start=row + 1):
        ws.cell(n, 1, text).alignment = Alignment(wrap_text=True, vertical="center")
        ws.merge_cells(start_row=n, start_column=1, end_row=n, end_column=ncol)

    if row > 3:  # a reviewer's score must lie between 0 and the item's points (data rows only)
        check = DataValidation(type="custom", formula1="AND(H3>=0,H3<=E3)", allow_blank=True, showErrorMessage=True,
                               errorTitle="复核得分超出范围", error="复核得分应在0至本项分值之间。")
        check.add(f"H3:H{row - 1}")
        ws.add_data_validation(check)
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    return save_atomic(wb.save, path)


def _style_of(ws: Worksheet, **attrs) -> StyleArray:
    """The style a cell with these attributes would have, registered in the sheet's workbook: copied onto
    many cells it replaces setting each attribute on each cell (a style-table look-up each, issue 15)."""
    scratch = ws.parent.create_sheet("_style")
    cell = scratch.cell(1, 1)
    for name, value in attrs.items():
        setattr(cell, name, value)
    style = copy(cell._style)
    ws.parent.remove(scratch)
    return style


class _CellStyles:
    """The item rows' cell styles, built once per sheet and copied onto each cell."""

    def __init__(self, ws: Worksheet):
        def proto(col: int) -> StyleArray:
            points = {"number_format": POINTS} if col in (5, 6, 8) else {}
            return _style_of(ws, border=_BORDER, alignment=_CENTER if col in (1, 2, 3, 5, 6, 8) else _WRAP, **points)

        self.by_col = {col: proto(col) for col in range(1, len(COLUMNS) + 1)}
        self.attention = _style_of(ws, border=_BORDER, alignment=_CENTER, number_format=POINTS, fill=_ATTENTION_FILL)


def _item_row(ws: Worksheet, row: int, item: ScoreItem, styles: _CellStyles) -> None:
    d = item.decision
    values = [item.level1, item.level2, item.level3, _requirement(item), item.max_points, item.suggested_points,
              evidence_text(item), d.confirmed_points if d else None, d.comment if d else None]
    attention = Flag.needs_human in item.flags or Flag.rule_llm_conflict in item.flags
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row, col, value)
        cell._style = copy(styles.attention if attention and col == 6 else styles.by_col[col])
    ws.row_dimensions[row].height = _row_height(values)


def _row_height(values: Sequence[object]) -> float:
    """Spreadsheet programs do not grow rows for wrapped text written by a library: estimate it.

    A CJK character takes about two width units of a column; about 16 points per line at 11 pt.
    """
    lines = 1
    for (_, width), value in zip(COLUMNS, values, strict=True):
        if isinstance(value, str) and value:
            per_line = max(1, int(width / 2))
            lines = max(lines, sum(-(-max(1, len(part)) // per_line) for part in value.split("\n")))
    return min(409.0, 16.0 * lines + 4.0)  # 409 points: Excel's row height limit


def _merge_runs(ws: Worksheet, items: Sequence[ScoreItem], first: int, col: int, key) -> None:
    """Merge consecutive equal values of a level column (the paper sheet's tall level cells)."""
    row = first
    for _, run in groupby(items, key=key):
        n = len(list(run))
        if n > 1:
            ws.merge_cells(start_row=row, start_column=col, end_row=row + n - 1, end_column=col)
        row += n


def _sum_row(ws: Worksheet, row: int, label: str, formulas: dict[str, str], bold: bool = False) -> None:
    ws.cell(row, 1, label)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    for col in range(1, len(COLUMNS) + 1):
        cell = ws.cell(row, col)
        cell.border, cell.fill, cell.font = _BORDER, _SUBTOTAL_FILL, Font(bold=True if bold else None)
        cell.alignment = _CENTER
    for letter, formula in formulas.items():
        cell = ws[f"{letter}{row}"]
        cell.value, cell.number_format = formula, POINTS


# --- findings.docx ----------------------------------------------------------------------------------

def write_findings_docx(sc: Scorecard, path: Path, info: ExportInfo | None = None) -> Path:
    info = info or ExportInfo()
    doc = DocxDocument()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "宋体", Pt(11)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")  # CJK glyphs
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT

    doc.add_heading(_title(sc, "审查意见"), level=0)
    attention = sum(1 for i in sc.items if Flag.needs_human in i.flags)
    doc.add_paragraph(export_line(sc, info))
    doc.add_paragraph(
        f"考核指标：{sc.catalog_title or sc.catalog}；{totals_line(sc.totals())}；"
        f"共{len(sc.items)}项，其中需人工复核{attention}项。"
    )
    doc.add_paragraph("说明：以下建议得分由规则计算与材料研判生成，引文均已与原文逐字核对，最终得分以人工复核为准。")
    # styles looked up once: python-docx resolves a style given by name on every paragraph (issue 15)
    styles = {name: doc.styles[name] for name in ("Heading 1", "Heading 2", "List Number")}
    for level1, group in groupby(sc.items, key=lambda i: i.level1):
        doc.add_paragraph(level1 or "其他", style=styles["Heading 1"])
        for item in group:
            _docx_item(doc, item, styles)
    return save_atomic(doc.save, path)


def _docx_item(doc, item: ScoreItem, styles: dict) -> None:
    doc.add_paragraph(item.label, style=styles["Heading 2"])
    doc.add_paragraph(
        f"结论：{VERDICT_LABELS[item.verdict]}　建议得分：{item.suggested_points:.1f}分（分值{item.max_points:.1f}分）"
        f"　依据来源：{item.source.label}"
    )
    if item.requirement:
        doc.add_paragraph(f"考核要点：{_requirement(item)}")
    if item.rationale:
        doc.add_paragraph(f"理由：{item.rationale}")
    if item.citations:
        doc.add_paragraph("引文：")
        for c in item.citations:
            doc.add_paragraph(citation_line(c), style=styles["List Number"])
    else:
        doc.add_paragraph("引文：无")
    if item.flags:
        doc.add_paragraph("提示：" + "；".join(flag_labels(item.flags)))
    if item.decision is not None:
        d = item.decision
        points = f"{d.confirmed_points:.1f}分" if d.confirmed_points is not None else "未确认"
        doc.add_paragraph(f"复核得分：{points}" + (f"；复核人：{d.reviewer}" if d.reviewer and item.decided else "")
                          + (f"；复核意见：{d.comment}" if d.comment else ""))


# --- summary.xlsx -----------------------------------------------------------------------------------

def _ranks(totals: Sequence[float]) -> list[int]:
    """Competition ranking (1, 1, 3): equal totals share a place."""
    return [1 + sum(1 for other in totals if other > t + 1e-9) for t in totals]


def write_summary_xlsx(scorecards: Sequence[Scorecard], path: Path, lowest: int = 10,
                       info: ExportInfo | None = None) -> Path:
    """Ranked by the reviewed total (Scorecard.totals: decided items at the reviewer's points, the rest at
    their suggestion), so the ranking moves with every decision and equals the UI's 总览. Rewritten only
    when what it is rendered from changed (an unchanged re-run leaves it)."""
    info = info or ExportInfo()
    stamp = path.with_name(f".{path.name}.sha256")
    digest = _digest(lowest, info, list(scorecards))
    if not _current(stamp, digest, [path]):
        _render_summary(scorecards, path, lowest, info)
        atomic_write_bytes(stamp, (digest + "\n").encode())
    return path


def _digest(*inputs: object) -> str:
    """What an export is rendered from, hashed: a scorecard by its JSON plus the fields scorecard.json leaves
    out (decisions, indicator levels), anything else by its repr."""
    basis = [_scorecard_basis(x) if isinstance(x, Scorecard) else repr(x)
             for arg in inputs for x in (arg if isinstance(arg, list) else [arg])]
    return hashlib.sha256("\n".join([EXPORT_VERSION, *basis]).encode()).hexdigest()


def _scorecard_basis(sc: Scorecard) -> str:
    # model_dump_json runs in pydantic's core: a repr of a hundred scorecards took 0.4 s (issue 15)
    hidden = [(i.level1, i.level2, i.level3, i.requirement, i.confidence, i.step,
               i.decision.model_dump_json() if i.decision is not None else None) for i in sc.items]
    return f"{sc.model_dump_json()}\n{sc.catalog_title!r}\n{hidden!r}"


def _current(stamp: Path, digest: str, paths: Iterable[Path]) -> bool:
    """The files exist and were rendered from the same inputs: an unchanged re-run leaves them (issue 15)."""
    return all(p.exists() for p in paths) and stamp.exists() and stamp.read_text().strip() == digest


def _render_summary(scorecards: Sequence[Scorecard], path: Path, lowest: int, info: ExportInfo) -> Path:
    wb = Workbook()
    totals = {id(s): s.totals() for s in scorecards}
    ordered = sorted(scorecards, key=lambda s: (-totals[id(s)].reviewed, s.unit))
    level1s = list(dict.fromkeys(i.level1 for s in ordered for i in s.items))

    ws = wb.active
    ws.title = "汇总排名"
    header = ["排名", "被考核单位", *[f"{name}" for name in level1s], "建议总分", "复核后总分", "已复核", "需人工复核项数"]
    ws.append(header)
    for rank, sc in zip(_ranks([totals[id(s)].reviewed for s in ordered]), ordered, strict=True):
        per_level, t = sc.level1_totals(), totals[id(sc)]
        attention = sum(1 for i in sc.items if Flag.needs_human in i.flags)
        ws.append([rank, sc.unit, *[per_level[name].reviewed if name in per_level else 0.0 for name in level1s],
                   t.suggested, t.reviewed, f"{t.decided}/{t.items}", attention])
    _table_style(ws, point_cols=range(3, 3 + len(level1s) + 2))
    note = ws.max_row + 2  # below the table, outside its styled rows
    ws.cell(note, 1, f"各一级指标得分与复核后总分中，{UNDECIDED_NOTE}。复核人：{info.reviewer.strip() or '—'}　"
                     f"导出日期：{date_cn(info.date)}")

    items = wb.create_sheet("各项得分")
    keys = list(dict.fromkeys((i.id, i.sub) for s in ordered for i in s.items))
    labels = {(i.id, i.sub): (i.label, i.max_points) for s in ordered for i in s.items}
    items.append(["指标", "分值", *[s.unit for s in ordered], "平均得分"])  # 复核后 points, like the ranking
    points = [{(i.id, i.sub): i.final_points for i in s.items} for s in ordered]  # once per unit, not per row
    for key in keys:
        got = [per_unit.get(key) for per_unit in points]
        present = [g for g in got if g is not None]
        mean = round(sum(present) / len(present), 2) if present else None
        items.append([labels[key][0], labels[key][1], *got, mean])
    _table_style(items, point_cols=range(2, 3 + len(ordered) + 1))

    low = wb.create_sheet("失分较多项目")
    low.append(["被考核单位", "指标", "分值", "建议得分", "失分", "结论", "提示"])
    for sc in ordered:
        losing = sorted((i for i in sc.items if i.max_points - i.suggested_points > 1e-9),
                        key=lambda i: (i.suggested_points - i.max_points, i.id))
        for i in losing[:lowest]:
            low.append([sc.unit, i.label, i.max_points, i.suggested_points, round(i.max_points - i.suggested_points, 1),
                        VERDICT_LABELS[i.verdict], "；".join(flag_labels(i.flags))])
    _table_style(low, point_cols=range(3, 6))
    return save_atomic(wb.save, path)


def _table_style(ws: Worksheet, point_cols: Iterable[int]) -> None:
    point_cols = set(point_cols)
    # prototypes copied onto the cells: a summary of a hundred units has tens of thousands of cells, and
    # setting each attribute on each cell costs a style-table look-up (issue 15)
    protos = {"header": _style_of(ws, border=_BORDER, alignment=_CENTER, font=Font(bold=True), fill=_HEADER_FILL),
              "points": _style_of(ws, border=_BORDER, alignment=_WRAP, number_format=POINTS),
              "text": _style_of(ws, border=_BORDER, alignment=_WRAP)}
    longest: dict[int, int] = {}  # per column, in the same pass (a column read back is another walk of the sheet)
    for row in ws.iter_rows():
        for cell in row:
            kind = "header" if cell.row == 1 else "points" if cell.column in point_cols else "text"
            cell._style = copy(protos[kind])
            longest[cell.column] = max(longest.get(cell.column, 0), len(str(cell.value or "")))
    for col in range(1, ws.max_column + 1):
        ws.column_dimensions[get_column_letter(col)].width = min(40, max(8, longest.get(col, 0) * 2 + 2))
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4


# --- one unit's files ---------------------------------------------------------------------------------

def safe_dirname(name: str) -> str:
    """A unit name usable as a folder name on any OS (units are named by people, not by us)."""
    cleaned = "".join("_" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in name).strip(" .")
    return cleaned or "未命名单位"


CONTRACT_NAMES = {"json": "scorecard.json", "xlsx": "scorecard.xlsx", "docx": "findings.docx"}
_DATED_KINDS = {"json": "评分结果", "xlsx": "考核打分表", "docx": "审查意见"}


def dated_names(unit: str, date: dt.date) -> dict[str, str]:
    """`<单位>-考核打分表-<YYYY-MM-DD>.xlsx` and the like: downloads of two units never overwrite each other."""
    return {kind: f"{safe_dirname(unit)}-{what}-{date:%Y-%m-%d}.{kind}" for kind, what in _DATED_KINDS.items()}


def summary_name(date: dt.date) -> str:
    return f"考核汇总表-{date:%Y-%m-%d}.xlsx"


def write_unit_exports(
    sc: Scorecard, out_dir: Path, decisions: Iterable[ReviewDecision] | None = None, *,
    info: ExportInfo | None = None, dated: bool = False,
) -> dict[str, Path]:
    """The unit's JSON, score sheet and findings under OUT/<unit>/: named as the cli-contract fixes them
    (scorecard.json, scorecard.xlsx, findings.docx), or, `dated`, by unit, kind and date (the browser's)."""
    info = info or ExportInfo()
    if decisions is not None:
        sc = sc.with_decisions(decisions)
    unit_dir = out_dir / safe_dirname(sc.unit)
    names = dated_names(sc.unit, info.date) if dated else CONTRACT_NAMES
    paths = {kind: unit_dir / name for kind, name in names.items()}
    # the files are rendered from the scorecard (decisions included) and `info` alone: the same inputs, the
    # same files. An unchanged re-run leaves them as they are (issue 15: a hash check, nothing else).
    stamp = unit_dir / (EXPORT_STAMP_DATED if dated else EXPORT_STAMP)
    digest = _digest(sorted(names.items()), info, sc)
    if _current(stamp, digest, paths.values()):
        return paths
    sc.write_json(paths["json"])
    write_scorecard_xlsx(sc, paths["xlsx"], info)
    write_findings_docx(sc, paths["docx"], info)
    atomic_write_bytes(stamp, (digest + "\n").encode())
    return paths
