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
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from zoneinfo import ZoneInfo

from assistant.scorecard import ReviewDecision, Scorecard, ScoreItem, Totals, totals_of
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
_GREY = "#808080"  # cell borders
_HEADER_FILL = "#D9D9D9"
_SUBTOTAL_FILL = "#F2F2F2"
_ATTENTION_FILL = "#FFF2CC"  # items a human must look at
_CELL_CHARS = 32767  # Excel's limit for one cell
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

    def render(buf: io.BytesIO) -> None:
        wb = _workbook(buf, info, _title(sc, "评分表"))
        fmt = _Formats(wb)
        ws = wb.add_worksheet("评分表")
        last_col = len(COLUMNS) - 1
        ws.merge_range(0, 0, 0, last_col, _title(sc, "评分表"), fmt.title)
        for col, (name, width) in enumerate(COLUMNS):
            ws.write_string(1, col, name, fmt.header)
            ws.set_column(col, col, width)

        row = 2  # 0-based: the first item row is the sheet's row 3
        subtotal_rows: list[int] = []
        for level1, group in groupby(sc.items, key=lambda i: i.level1):
            items = list(group)
            first = row
            for item in items:
                _item_row(ws, row, item, fmt)
                row += 1
            # the paper sheet's tall level cells: consecutive equal levels merged
            _merge_runs(ws, items, first, 0, lambda i: i.level1, lambda i: i.level1, fmt.center)
            _merge_runs(ws, items, first, 1, lambda i: (i.level1, i.level2), lambda i: i.level2, fmt.center)
            _merge_runs(ws, items, first, 2, lambda i: (i.level1, i.level2, i.id), lambda i: i.level3, fmt.center)
            a, b = first + 1, row  # 1-based rows of the group in the formulas
            t = totals_of(items)
            # 复核得分 adds up like Scorecard.totals: a blank (undecided) item counts with its suggestion
            sums = {"E": (f"=SUM(E{a}:E{b})", t.max_points), "F": (f"=SUM(F{a}:F{b})", t.suggested),
                    "H": (f'=SUM(H{a}:H{b})+SUMPRODUCT((H{a}:H{b}="")*F{a}:F{b})', t.reviewed)}
            _sum_row(ws, row, f"小计：{level1 or '（未分类）'}", sums, fmt)
            subtotal_rows.append(row + 1)
            row += 1
        t = sc.totals()
        total = {c: ("=SUM(" + ",".join(f"{c}{r}" for r in subtotal_rows) + ")" if subtotal_rows else "=0", value)
                 for c, value in (("E", t.max_points), ("F", t.suggested), ("H", t.reviewed))}
        _sum_row(ws, row, "合计", total, fmt, bold=True)
        for n, text in enumerate((export_line(sc, info), totals_line(t)), start=row + 1):
            ws.merge_range(n, 0, n, last_col, _text(text), fmt.note)

        if row > 2:  # a reviewer's score must lie between 0 and the item's points (data rows only)
            ws.data_validation(2, 7, row - 1, 7, {
                "validate": "custom", "value": "=AND(H3>=0,H3<=E3)", "ignore_blank": True, "show_error": True,
                "error_title": "复核得分超出范围", "error_message": "复核得分应在0至本项分值之间。"})
        ws.freeze_panes(2, 0)
        ws.repeat_rows(1)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.center_horizontally()
        wb.close()

    return save_atomic(render, path)


def _workbook(buf: io.BytesIO, info: ExportInfo, title: str):
    """An XlsxWriter workbook written into `buf`. XlsxWriter, not openpyxl, writes the exports: a summary of a
    hundred units took openpyxl 0.2-0.3 s and its import another 0.1 s (issue 15). Strings are written as
    strings: a unit or a quote that starts with "=" or looks like a link stays text."""
    import xlsxwriter  # on first use: a screen with nothing to export never loads it

    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False})
    # the export date as the file's date: the same inputs give the same file
    wb.set_properties({"title": title, "author": info.reviewer.strip() or "zwgk-review",
                       "created": dt.datetime.combine(info.date, dt.time())})
    return wb


class _Formats:
    """The cell formats of one workbook, made once (each distinct format is one entry of the file's style table)."""

    def __init__(self, wb):
        base = {"border": 1, "border_color": _GREY, "text_wrap": True}
        center = {**base, "align": "center", "valign": "vcenter"}
        wrap = {**base, "valign": "top"}
        self.title = wb.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter",
                                    "text_wrap": True})
        self.header = wb.add_format({**center, "bold": True, "bg_color": _HEADER_FILL})
        self.center = wb.add_format(center)
        self.wrap = wb.add_format(wrap)
        self.points = wb.add_format({**center, "num_format": POINTS})
        self.attention = wb.add_format({**center, "num_format": POINTS, "bg_color": _ATTENTION_FILL})
        self.note = wb.add_format({"text_wrap": True, "valign": "vcenter"})
        self.table_points = wb.add_format({**wrap, "num_format": POINTS})
        sums = {**center, "bg_color": _SUBTOTAL_FILL}
        self.sum_text = {bold: wb.add_format({**sums, "bold": bold}) for bold in (False, True)}
        self.sum_points = {bold: wb.add_format({**sums, "bold": bold, "num_format": POINTS}) for bold in (False, True)}

    def item_column(self, col: int):
        """Columns 0-8 of an item row: levels and points centred, texts wrapped at the top."""
        return self.points if col in (4, 5, 7) else self.center if col in (0, 1, 2) else self.wrap


def _text(value: str) -> str:
    # a cell holds at most 32,767 characters; XlsxWriter would skip a longer string, leaving the cell empty
    return value if len(value) <= _CELL_CHARS else value[: _CELL_CHARS - 2] + "……"


def _write(ws, row: int, col: int, value: object, fmt) -> None:
    if value is None:
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        ws.write_string(row, col, _text(value), fmt)
    else:
        ws.write_number(row, col, value, fmt)


def _item_row(ws, row: int, item: ScoreItem, fmt: _Formats) -> None:
    d = item.decision
    values = [item.level1, item.level2, item.level3, _requirement(item), item.max_points, item.suggested_points,
              evidence_text(item), d.confirmed_points if d else None, d.comment if d else None]
    attention = Flag.needs_human in item.flags or Flag.rule_llm_conflict in item.flags
    for col, value in enumerate(values):
        _write(ws, row, col, value, fmt.attention if attention and col == 5 else fmt.item_column(col))
    ws.set_row(row, _row_height(values))


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


def _merge_runs(ws, items: Sequence[ScoreItem], first: int, col: int, key, value, fmt) -> None:
    """Merge consecutive equal values of a level column; the run's value stays in its top cell."""
    row = first
    for _, run in groupby(items, key=key):
        run = list(run)
        if len(run) > 1:
            ws.merge_range(row, col, row + len(run) - 1, col, _text(value(run[0])), fmt)
        row += len(run)


def _sum_row(ws, row: int, label: str, formulas: dict[str, tuple[str, float]], fmt: _Formats,
             bold: bool = False) -> None:
    """A subtotal or total row: the label over columns A-D, SUM formulas with their values (a viewer that does
    not recalculate, a preview say, shows the right points), the other cells shaded."""
    ws.merge_range(row, 0, row, 3, label, fmt.sum_text[bold])
    for col in range(4, len(COLUMNS)):
        letter = "ABCDEFGHI"[col]
        if letter in formulas:
            formula, value = formulas[letter]
            ws.write_formula(row, col, formula, fmt.sum_points[bold], value)
        else:
            ws.write_blank(row, col, None, fmt.sum_text[bold])


# --- findings.docx ----------------------------------------------------------------------------------

def write_findings_docx(sc: Scorecard, path: Path, info: ExportInfo | None = None) -> Path:
    # python-docx on first use: a screen with nothing to export never loads it
    from docx import Document as DocxDocument
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Pt

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
    totals = {id(s): s.totals() for s in scorecards}
    ordered = sorted(scorecards, key=lambda s: (-totals[id(s)].reviewed, s.unit))
    level1s = list(dict.fromkeys(i.level1 for s in ordered for i in s.items))

    ranking = [["排名", "被考核单位", *level1s, "建议总分", "复核后总分", "已复核", "需人工复核项数"]]
    for rank, sc in zip(_ranks([totals[id(s)].reviewed for s in ordered]), ordered, strict=True):
        per_level, t = sc.level1_totals(), totals[id(sc)]
        attention = sum(1 for i in sc.items if Flag.needs_human in i.flags)
        ranking.append([rank, sc.unit, *[per_level[name].reviewed if name in per_level else 0.0 for name in level1s],
                        t.suggested, t.reviewed, f"{t.decided}/{t.items}", attention])

    keys = list(dict.fromkeys((i.id, i.sub) for s in ordered for i in s.items))
    labels = {(i.id, i.sub): (i.label, i.max_points) for s in ordered for i in s.items}
    per_item = [["指标", "分值", *[s.unit for s in ordered], "平均得分"]]  # 复核后 points, like the ranking
    points = [{(i.id, i.sub): i.final_points for i in s.items} for s in ordered]  # once per unit, not per row
    for key in keys:
        got = [per_unit.get(key) for per_unit in points]
        present = [g for g in got if g is not None]
        mean = round(sum(present) / len(present), 2) if present else None
        per_item.append([labels[key][0], labels[key][1], *got, mean])

    low = [["被考核单位", "指标", "分值", "建议得分", "失分", "结论", "提示"]]
    for sc in ordered:
        losing = sorted((i for i in sc.items if i.max_points - i.suggested_points > 1e-9),
                        key=lambda i: (i.suggested_points - i.max_points, i.id))
        for i in losing[:lowest]:
            low.append([sc.unit, i.label, i.max_points, i.suggested_points, round(i.max_points - i.suggested_points, 1),
                        VERDICT_LABELS[i.verdict], "；".join(flag_labels(i.flags))])

    def render(buf: io.BytesIO) -> None:
        wb = _workbook(buf, info, "政务公开考核汇总表")
        fmt = _Formats(wb)
        ws = _table(wb, "汇总排名", ranking, range(2, 2 + len(level1s) + 2), fmt)
        ws.write_string(len(ranking) + 1, 0, f"各一级指标得分与复核后总分中，{UNDECIDED_NOTE}。"
                                             f"复核人：{info.reviewer.strip() or '—'}　导出日期：{date_cn(info.date)}")
        _table(wb, "各项得分", per_item, range(1, 2 + len(ordered) + 1), fmt)
        _table(wb, "失分较多项目", low, range(2, 5), fmt)
        wb.close()

    return save_atomic(render, path)


def _table(wb, name: str, rows: list[list[object]], point_cols: Iterable[int], fmt: _Formats):
    """A sheet of one table: a shaded header, bordered cells, points to one decimal (0-based `point_cols`),
    columns as wide as their longest entry (within 8-40), the header frozen, landscape A4."""
    ws = wb.add_worksheet(name)
    point_cols = set(point_cols)
    longest: dict[int, int] = {}
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            _write(ws, r, c, value, fmt.header if r == 0 else fmt.table_points if c in point_cols else fmt.wrap)
            longest[c] = max(longest.get(c, 0), len(str(value if value is not None else "")))
    for col, n in longest.items():
        ws.set_column(col, col, min(40, max(8, n * 2 + 2)))
    ws.freeze_panes(1, 0)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    return ws


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
