"""Import an indicator table (考核指标任务分解表) into a catalog.

Input: the table laid out like the Langfang seed, with the columns 一级指标 / 二级指标 / 三级指标 /
考核要点 / 考评方式 / 牵头单位、责任单位, as
  - tab-separated text (as extracted from the PDF: page headers repeat, merged cells are empty,
    a cell may wrap onto continuation lines),
  - an .xlsx sheet (merged cells: only the top-left cell holds the value),
  - a .docx table.
Names carry their points, "主动公开 (50分)"; sub-items are numbered, "1. …；(1分) 2. …".

The importer reproduces names, points and texts faithfully. It can only infer the simple scoring
kinds (additive; deduction when the text says 扣…分 per event). Tiered, gate and composite rules,
keywords and required elements need a human: the importer writes additive placeholders with a
note saying so. The shipped catalogs are hand-curated from the importer's output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from core.textnorm import split_outside_brackets
from indicators.catalog import (
    AdditiveRule,
    Catalog,
    CatalogError,
    DeductionEvent,
    DeductionRule,
    Indicator,
    LevelNode,
    Note,
    SubItem,
    Units,
)

COLUMNS = {
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "text": "考核要点",
    "assessment": "考评方式",
    "units": "牵头单位",
}

# "Word" characters: a whitespace run between two of them is a PDF line-wrap artefact.
_W = r"[\u3400-\u9fff\uf900-\ufaff0-9，。；：、！？“”‘’《》〔〕【】·…%（）]"
_SPACE_IN_WORD = re.compile(rf"(?<={_W})\s+(?={_W}|[(])")
_POINTS = r"\d+(?:\.\d+)?"  # a points figure: 2, 0.5
_POINTS_SUFFIX = re.compile(rf"[(（]\s*({_POINTS})\s*分\s*[)）]\s*$")
_ITEM_START = re.compile(r"(?:^|(?<=[\s；;。)）]))(\d{1,2})\s*[.．、]\s*")
_DEDUCT = re.compile(rf"扣\s*({_POINTS})\s*分")
_AWARD = re.compile(rf"得\s*{_POINTS}\s*分|不得分")
_PER = re.compile(r"(每督办一次|每发现一个|发现一个|每次|一件|每个)")


def clean_text(text: str) -> str:
    """Undo PDF-extraction artefacts (spaces inside words, wrapped lines); keep wording and punctuation."""
    t = re.sub(r"[\s\u3000]+", " ", text or "").strip()
    return _SPACE_IN_WORD.sub("", t)


def clean_name(text: str) -> str:
    """A level name: cleaned, with the half-width brackets of the PDF turned into the full-width ones of the table."""
    return clean_text(text).replace("(", "（").replace(")", "）")


def split_points(cell: str) -> tuple[str, float | None]:
    """'基础性 指标 (28分)' -> ('基础性指标', 28.0)."""
    t = clean_text(cell)
    m = _POINTS_SUFFIX.search(t)
    if not m:
        return clean_name(t), None
    return clean_name(t[: m.start()]), float(m.group(1))


@dataclass
class RawSub:
    number: int
    text: str
    points: float | None


def split_sub_items(text: str) -> list[RawSub]:
    """'1. A；(1分) 2. B。(2分)' -> sub-items numbered 1..n with their points; [] when unnumbered."""
    starts: list[re.Match[str]] = []
    expected = 1
    for m in _ITEM_START.finditer(text):
        if int(m.group(1)) == expected:
            starts.append(m)
            expected += 1
    if len(starts) < 2 or starts[0].start() != 0:
        return []
    subs = []
    for k, m in enumerate(starts):
        end = starts[k + 1].start() if k + 1 < len(starts) else len(text)
        body = text[m.end():end].strip()
        pm = _POINTS_SUFFIX.search(body)
        points = float(pm.group(1)) if pm else None
        if pm:
            body = body[: pm.start()].strip()
        subs.append(RawSub(int(m.group(1)), body, points))
    return subs


def split_units(text: str) -> Units:
    """'牵头单位：A、B；责任单位：C' -> lead [A, B], responsible [C]; a bare list is the lead."""
    t = clean_text(text)
    lead_m = re.search(r"牵头单位\s*[:：]\s*(.*?)(?=[;；]?\s*责任单位|$)", t)
    resp_m = re.search(r"责任单位\s*[:：]\s*(.*)$", t)
    lead = lead_m.group(1) if lead_m else ("" if resp_m else t)
    resp = resp_m.group(1) if resp_m else ""
    return Units(text=t, lead=_split_list(lead), responsible=_split_list(resp))


def _split_list(text: str) -> list[str]:
    """Split on 、，,;； outside brackets (各乡镇（区、办） stays whole)."""
    return split_outside_brackets(text.strip(" ;；。"), "、，,;；")


def infer_scoring(text: str) -> tuple[AdditiveRule | DeductionRule, list[Note]]:
    """additive by default; deduction when the text only deducts per event; otherwise a flagged placeholder."""
    deducts = list(_DEDUCT.finditer(text))
    if deducts and not _AWARD.search(text):
        events, prev = [], 0
        for k, m in enumerate(deducts, 1):
            segment = text[prev:m.start()]
            per = _PER.findall(segment)
            name = _PER.sub("", segment).strip(" ,，;；。(（)）")
            events.append(DeductionEvent(code=f"event_{k}", name=name, amount=float(m.group(1)),
                                         per=per[-1] if per else "每次"))
            prev = m.end()
        return DeductionRule(events=events), []
    if deducts or _AWARD.search(text):
        return AdditiveRule(), [Note(
            code="scoring_not_inferred",
            text="考核要点含有得分、扣分或不得分条款，无法自动归类为分档、门槛或组合计分，暂按累加计分（additive）"
            "占位，请人工改写评分规则。",
            flags=["ambiguous_rubric"],
        )]
    return AdditiveRule(), []


# --------------------------------------------------------------------------------------------
# Reading the three layouts into rows of cells
# --------------------------------------------------------------------------------------------


@dataclass
class RawTable:
    preamble: list[str]  # lines above the table (title, 适用范围, 总分)
    rows: list[list[str]]  # the header row first


def rows_from_text(text: str) -> RawTable:
    """Logical table rows from the tab-separated text: headers kept, wraps joined.

    A physical line starts a new row when one of its first three cells carries points "(N分)";
    otherwise it continues the row above: cell by cell when it has tabs, else onto the last
    non-empty cell (a wrapped line without tabs).
    """
    table = RawTable([], [])
    rows = table.rows
    for line in text.splitlines():
        if not line.strip() or re.fullmatch(r"[-—\s\d第页/]+", line.strip()):
            continue
        cells = line.split("\t")
        if clean_text(cells[0]) == COLUMNS["level1"]:
            rows.append(cells)
        elif not rows:
            table.preamble.append(clean_text(line))
        elif any(_POINTS_SUFFIX.search(clean_text(c)) for c in cells[:3]):
            rows.append(cells)
        elif len(cells) > 1:
            prev = rows[-1]
            prev.extend([""] * (len(cells) - len(prev)))
            for i, c in enumerate(cells):
                if c.strip():
                    prev[i] = f"{prev[i]} {c}".strip()
        else:
            prev = rows[-1]
            last = max((i for i, c in enumerate(prev) if c.strip()), default=0)
            prev[last] = f"{prev[last]} {line}".strip()
    return table


def rows_from_xlsx(path: Path) -> RawTable:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            rows = [["" if v is None else str(v) for v in r] for r in ws.iter_rows(values_only=True)]
            header = next((i for i, r in enumerate(rows) if r and clean_text(r[0]) == COLUMNS["level1"]), None)
            if header is not None:
                preamble = [clean_text(" ".join(c for c in r if c)) for r in rows[:header]]
                return RawTable([p for p in preamble if p], rows[header:])
    finally:
        wb.close()
    raise CatalogError(f"{path.name}: 工作簿中未找到以“一级指标”开头的表头行 / no header row found")


def rows_from_docx(path: Path) -> RawTable:
    import docx

    document = docx.Document(str(path))
    rows = [[c.text for c in r.cells] for t in document.tables for r in t.rows]
    # paragraphs before the first table (python-docx keeps body order in the XML)
    preamble: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}tbl"):
            break
        if child.tag.endswith("}p"):
            text = clean_text("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
            if text:
                preamble.append(text)
    return RawTable(preamble, rows)


def read_table(path: Path) -> RawTable:
    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            return rows_from_xlsx(path)
        if suffix == ".docx":
            return rows_from_docx(path)
        return rows_from_text(path.read_text(encoding="utf-8-sig"))
    except CatalogError:
        raise
    except Exception as exc:  # a corrupt or foreign file: say so and stop (exit 2)
        raise CatalogError(f"无法读取指标表 {path.name} / cannot read the table: {exc}") from exc


# --------------------------------------------------------------------------------------------
# Rows -> catalog
# --------------------------------------------------------------------------------------------


@dataclass
class _Level:
    name: str
    points: float | None
    children: dict[str, _Level] = field(default_factory=dict)


def _header_map(header: list[str]) -> dict[str, int]:
    cleaned = [clean_text(h).replace(" ", "") for h in header]
    out = {}
    for key, label in COLUMNS.items():
        for i, h in enumerate(cleaned):
            if label in h:
                out[key] = i
                break
    missing = [COLUMNS[k] for k in ("level1", "level2", "level3", "text") if k not in out]
    if missing:
        raise CatalogError(f"表头缺少列：{'、'.join(missing)} / missing columns")
    return out


def _level(levels: dict[str, _Level], cell: str, where: str) -> _Level:
    name, points = split_points(cell)
    lv = levels.get(name)
    if lv is None:
        lv = levels[name] = _Level(name, points)
    elif points is not None and lv.points is not None and points != lv.points:
        raise CatalogError(f"{where}: “{name}”分值前后不一致（{lv.points:g} / {points:g}） / inconsistent subtotal")
    elif lv.points is None:
        lv.points = points
    return lv


def parse_rows(rows: list[list[str]]) -> tuple[list[Indicator], list[LevelNode]]:
    header_idx = next((i for i, r in enumerate(rows) if r and clean_text(r[0]) == COLUMNS["level1"]), None)
    if header_idx is None:
        raise CatalogError("未找到以“一级指标”开头的表头行 / no header row found")
    cols = _header_map(rows[header_idx])
    levels: dict[str, _Level] = {}
    l1: _Level | None = None
    l2: _Level | None = None
    indicators: list[Indicator] = []
    positions: dict[tuple[str, ...], int] = {}

    def cell(row: list[str], key: str) -> str:
        i = cols.get(key)
        return row[i] if i is not None and i < len(row) else ""

    for n, row in enumerate(rows[header_idx + 1:], header_idx + 2):
        if row and clean_text(row[0]) == COLUMNS["level1"]:
            continue  # a repeated page header
        c1, c2, c3, text = (cell(row, k) for k in ("level1", "level2", "level3", "text"))
        if not clean_text(text):
            continue
        if clean_text(c1):
            new_l1 = _level(levels, c1, f"表格第{n}行")
            if new_l1 is not l1:
                l1, l2 = new_l1, None
        if l1 is None:
            raise CatalogError(f"表格第{n}行：缺少一级指标 / row without a level-1 name")
        if clean_text(c2):
            l2 = _level(l1.children, c2, f"表格第{n}行")
        if l2 is None:
            raise CatalogError(f"表格第{n}行：缺少二级指标 / row without a level-2 name")
        name3, points = split_points(c3) if clean_text(c3) else (None, l2.points)
        if points is None:
            raise CatalogError(f"表格第{n}行：“{name3 or l2.name}”未标注分值（如“(3分)”） / no points")
        i1 = list(levels).index(l1.name) + 1
        i2 = list(l1.children).index(l2.name) + 1
        key = (l1.name, l2.name)
        positions[key] = positions.get(key, 0) + 1
        iid = f"{i1}.{i2}.{positions[key]}" if name3 else f"{i1}.{i2}"
        indicators.append(_indicator(iid, l1.name, l2.name, name3, points, row, cols, n))
    for lv in [*levels.values(), *(c for a in levels.values() for c in a.children.values())]:
        if lv.points is None:
            raise CatalogError(f"“{lv.name}”未标注分值小计（如“主动公开 (50分)”） / level without points")
    level_nodes = [
        LevelNode(name=a.name, points=a.points,
                  children=[LevelNode(name=b.name, points=b.points) for b in a.children.values()])
        for a in levels.values()
    ]
    return indicators, level_nodes


def _indicator(iid: str, l1: str, l2: str, l3: str | None, points: float, row: list[str],
               cols: dict[str, int], n: int) -> Indicator:
    def cell(key: str) -> str:
        i = cols.get(key)
        return row[i] if i is not None and i < len(row) else ""

    text = clean_text(cell("text"))
    subs = []
    for raw in split_sub_items(text):
        if raw.points is None:
            raise CatalogError(f"{iid}（表格第{n}行）: 分项 {raw.number} 未标注分值 / sub-item without points")
        rule, notes = infer_scoring(raw.text)
        subs.append(SubItem(number=raw.number, points=raw.points, text=raw.text, notes=notes,
                            scoring=None if rule.kind == "additive" else rule))
    rule, notes = infer_scoring(text) if not subs else (AdditiveRule(), [])
    return Indicator(
        id=iid, level1=l1, level2=l2, level3=l3, points=points, text=text,
        assessment=clean_text(cell("assessment")),
        units=split_units(cell("units")) if clean_text(cell("units")) else None,
        keywords=[l3 or l2], scoring=rule, notes=notes, sub_items=subs,
    )


def import_table(path: Path, catalog_id: str) -> Catalog:
    """Read a table file and build a validated catalog (raises CatalogError naming the problem)."""
    table = read_table(path)
    indicators, levels = parse_rows(table.rows)
    lines = [x.lstrip("#-: ") for x in table.preamble]
    title = next((x for x in lines if "指标" in x), lines[0] if lines else path.stem)
    applies = next((x for x in lines if "适用" in x), "")
    total_m = next((m for m in (re.search(r"总分\s*(\d+(?:\.\d+)?)\s*分", x) for x in lines) if m), None)
    total = float(total_m.group(1)) if total_m else sum(lv.points for lv in levels)
    applies = re.sub(r"[（(]\s*总分[^)）]*[)）]", "", applies).removesuffix("适用").strip()
    try:
        return Catalog(
            id=catalog_id, title=title, applies_to=applies, total_points=total, source=path.name,
            notes=[Note(code="imported", text="本目录由 zwgk indicators import 自动导入：名称、分值、考核要点与表格一致；"
                        "检索关键词、必备要素和分档/门槛/组合计分规则需人工补充。")],
            levels=levels, indicators=indicators,
        )
    except ValidationError as exc:
        msgs = "\n".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
        raise CatalogError(f"导入的指标表校验失败 / the imported table does not add up:\n{msgs}") from None
