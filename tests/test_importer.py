"""Importing an indicator table (text, xlsx, docx) reproduces the shipped catalog's names, points and texts."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from openpyxl import Workbook

from indicators.catalog import Catalog, CatalogError, load_catalog
from indicators.importer import (
    clean_text,
    import_table,
    infer_scoring,
    rows_from_text,
    split_points,
    split_sub_items,
    split_units,
)

SEED = Path(__file__).parent / "data" / "langfang-2023-indicators.txt"


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog("langfang-2023")


def _same_table(imported: Catalog, shipped: Catalog) -> None:
    """Names, points, texts and sub-items of all 41 indicators, and the level subtotals."""
    assert len(imported.indicators) == len(shipped.indicators) == 41
    for a, b in zip(imported.indicators, shipped.indicators, strict=True):
        assert (a.id, a.level1, a.level2, a.level3, a.points) == (b.id, b.level1, b.level2, b.level3, b.points)
        assert a.text == b.text, a.id
        assert a.assessment == b.assessment, a.id
        assert a.units == b.units, a.id
        assert [(s.number, s.points, s.text) for s in a.sub_items] == \
               [(s.number, s.points, s.text) for s in b.sub_items], a.id
    assert [(lv.name, lv.points, [(c.name, c.points) for c in lv.children]) for lv in imported.levels] == \
           [(lv.name, lv.points, [(c.name, c.points) for c in lv.children]) for lv in shipped.levels]
    assert imported.total_points == 100


def test_seed_text_round_trips(shipped):
    imported = import_table(SEED, "seed")
    _same_table(imported, shipped)
    assert (imported.title, imported.applies_to) == (shipped.title, shipped.applies_to)


def test_wrapped_rows_are_joined(tmp_path, shipped):
    """Cells wrapping onto continuation lines (with and without tabs) give the same catalog."""
    out = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if line.startswith("\t\t双公示"):
            # a middle cell wraps: the continuation line keeps the column positions
            cut = cells[3].index("7个工作日")
            out.append("\t".join([*cells[:3], cells[3][:cut], cells[4], cells[5][:6]]))
            out.append("\t".join(["", "", "", cells[3][cut:], "", cells[5][6:]]))
        elif line.startswith("\t\t新闻发布"):
            # the last cell wraps onto a line without tabs
            cut = cells[5].index("责任单位")
            out.append("\t".join([*cells[:5], cells[5][:cut]]))
            out.append(cells[5][cut:])
        else:
            out.append(line)
    wrapped = tmp_path / "wrapped.txt"
    wrapped.write_text("\n".join(out), encoding="utf-8")
    assert len(out) == len(SEED.read_text(encoding="utf-8").splitlines()) + 2
    _same_table(import_table(wrapped, "wrapped"), shipped)


def _seed_rows() -> list[list[str]]:
    return rows_from_text(SEED.read_text(encoding="utf-8")).rows


def test_xlsx_with_merged_cells(tmp_path, shipped):
    wb = Workbook()
    ws = wb.active
    ws.title = "指标"
    ws.append(["廊坊市2023年度政务公开工作考核指标任务分解表"])
    header_seen = False
    first_l1_row = {}
    for row in _seed_rows():
        if clean_text(row[0]) == "一级指标":
            if header_seen:
                continue  # the page headers of the PDF are not in a spreadsheet
            header_seen = True
        ws.append([c or None for c in row])
        name = clean_text(row[0])
        if name and name != "一级指标":
            first_l1_row.setdefault(name, ws.max_row)
            if ws.max_row != first_l1_row[name]:
                ws.cell(ws.max_row, 1).value = None  # merged: only the first cell keeps the value
    ws.merge_cells(start_row=first_l1_row["主动公开(50分)"], start_column=1,
                   end_row=first_l1_row["主动公开(50分)"] + 5, end_column=1)
    path = tmp_path / "table.xlsx"
    wb.save(path)
    imported = import_table(path, "xlsx")
    _same_table(imported, shipped)
    assert imported.title == shipped.title


def test_docx_table(tmp_path, shipped):
    document = docx.Document()
    document.add_paragraph("廊坊市2023年度政务公开工作考核指标任务分解表")
    rows = [r for i, r in enumerate(_seed_rows()) if i == 0 or clean_text(r[0]) != "一级指标"]
    table = document.add_table(rows=len(rows), cols=6)
    for r, row in enumerate(rows):
        for c in range(6):
            table.cell(r, c).text = row[c] if c < len(row) else ""
    document.add_paragraph("表后说明不是标题")
    path = tmp_path / "table.docx"
    document.save(str(path))
    imported = import_table(path, "docx")
    _same_table(imported, shipped)
    assert imported.title == shipped.title


def test_scoring_inference(shipped):
    imported = import_table(SEED, "seed")
    kinds = {i.id: i.scoring_kind for i in imported.indicators}
    assert {k for k, v in kinds.items() if v == "deduction"} == {"5.1.2", "5.1.5", "5.2.1", "5.2.2", "5.2.3", "5.2.4"}
    assert kinds["5.1.4"] == "deduction+additive"
    r512 = imported.indicator("5.1.2").scoring
    assert [(e.name, e.amount, e.per) for e in r512.events] == [
        ("因政府网站不规范等问题收到通报和督办卡", 0.1, "每次"),
        ("对同一问题整改不到位,不彻底,多次收到督办卡的", 0.5, "每督办一次"),
        ("被国务院办公厅、省政府办公厅通报批评的", 1.0, "每次"),
    ]
    assert [e.name for e in imported.indicator("5.1.5").scoring.events] == ["未使用规范域名"]
    # what the importer cannot type is an additive placeholder with a note, never a guess
    for unit in (imported.unit("5.1.3"), imported.unit("5.1.6"), imported.unit("5.1.4", 2)):
        assert unit.scoring.kind == "additive"
        assert [n.code for n in unit.notes] == ["scoring_not_inferred"]
    assert not imported.unit("1.1.1", 1).notes


def test_broken_table_is_refused(tmp_path):
    text = SEED.read_text(encoding="utf-8").replace("报告内容不遗漏、不泛化，改进措施具有针对性、可操作性。(2分)",
                                                    "报告内容不遗漏、不泛化，改进措施具有针对性、可操作性。(1分)")
    p = tmp_path / "bad.txt"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match=re.escape("1.1.9: 分项分值合计 2.0 ≠ 指标分值 3.0")):
        import_table(p, "bad")
    p.write_text("没有表头的文本\n第二行", encoding="utf-8")
    with pytest.raises(CatalogError, match="表头"):
        import_table(p, "bad")
    p.write_text(SEED.read_text(encoding="utf-8").replace("主动公开 (50分)\t基础性 指标 (28分)\t重大会议",
                                                          "主动公开 (51分)\t基础性 指标 (28分)\t重大会议"),
                 encoding="utf-8")
    with pytest.raises(CatalogError, match=r"主动公开.*分值前后不一致"):
        import_table(p, "bad")
    corrupt = tmp_path / "x.xlsx"
    corrupt.write_bytes(b"not a zip")
    with pytest.raises(CatalogError, match="无法读取指标表"):
        import_table(corrupt, "bad")


# --- the small pieces --------------------------------------------------------------------------


def test_clean_text_removes_wrap_spaces_only():
    assert clean_text("考 核 要 点") == "考核要点"
    assert clean_text("办事服务领域信息公 开(2分)") == "办事服务领域信息公开(2分)"
    assert clean_text("(1 分)") == "(1分)"
    assert clean_text("1. 及时更新") == "1. 及时更新"  # a space after a half-width stop is the table's own
    assert clean_text("(发现一个扣0.1分), 30天以上") == "(发现一个扣0.1分), 30天以上"
    assert clean_text("核查资料及\n网页截图") == "核查资料及网页截图"


def test_split_points_and_names():
    assert split_points("基础性 指标 (28分)") == ("基础性指标", 28.0)
    assert split_points("政府网站 (含政府 信息公开 专栏) (10分)") == ("政府网站（含政府信息公开专栏）", 10.0)
    assert split_points("申请接收渠道指引(4 分)") == ("申请接收渠道指引", 4.0)
    assert split_points("解读内容") == ("解读内容", None)


def test_split_sub_items_ignores_decimals_and_numbers_in_text():
    subs = split_sub_items("1.网民纠错。一件扣0.5分,催办2次以上;(1分) 2.留言。100%得1分,70%以上得0.5分。(1分)")
    assert [(s.number, s.points) for s in subs] == [(1, 1.0), (2, 1.0)]
    assert subs[1].text == "留言。100%得1分,70%以上得0.5分。"
    assert split_sub_items("按国办公开办函(2021)30号格式发布，每次扣0.1分。") == []


def test_split_units():
    u = split_units("牵头单位: 市行政审批局、市教育和体育局; 责任单位: 各乡镇(区、办), 各相关部门")
    assert u.lead == ["市行政审批局", "市教育和体育局"] and u.responsible == ["各乡镇(区、办)", "各相关部门"]
    assert split_units("市卫生健康局、市医疗保障局").lead == ["市卫生健康局", "市医疗保障局"]


def test_infer_scoring():
    rule, notes = infer_scoring("每发现一个未使用规范域名,扣0.2分。")
    assert rule.kind == "deduction" and rule.events[0].amount == 0.2 and not notes
    rule, notes = infer_scoring("开展政务公开培训交流情况。")
    assert rule.kind == "additive" and not notes
    rule, notes = infer_scoring("未于年底前完成改造,此项不得分。")
    assert rule.kind == "additive" and notes[0].code == "scoring_not_inferred"


def test_level_without_points_is_refused(tmp_path):
    p = tmp_path / "t.txt"
    p.write_text("一级指标\t二级指标\t三级指标\t考核要点\n主动公开\t基础 (5分)\t甲(5分)\t公开甲信息。\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="“主动公开”未标注分值小计"):
        import_table(p, "t")
