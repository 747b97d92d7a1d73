"""The gold loader and catalog checks on sample sets written by the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.gold import GoldError, check_against_catalog, load_samples, read_indicator_ids

IDS_TSV = """id\tlevel1\tlevel2\tlevel3\tpoints\tsub_items (number:points)\tscoring_kind
1.1.9\t主动公开\t基础性指标\t政府信息公开年度报告\t3\t1:1 2:2\tadditive
3.1\t政策解读\t解读内容\t-\t5\t1:2 2:1 3:2\tadditive
5.1.3\t平台建设\t政府网站\t市政府门户网站内容保障\t2\tquality:1 quantity:1\tquality deduction
5.2.2\t平台建设\t政务新媒体\t内容更新情况\t4\t-\tdeduction
"""

GOLD = """case: {case}
catalog: langfang-2023
unit: 香河县人民政府
year: 2023
items:
  - id: "1.1.9"
    sub: 2
    points: 1.0
    verdict: partial
    evidence:
      - file: r.txt
        quote: "上年结转"
  - id: 3.1
    sub: 1
    points: 2
    verdict: met
  - id: "5.2.2"
    points: 3.4
    verdict: partial
    notes: 扣0.6分
"""


def _write_case(root: Path, folder: str, case: str | None = None, gold: str = GOLD) -> Path:
    d = root / folder
    (d / "docs").mkdir(parents=True)
    (d / "docs" / "r.txt").write_text("本年新收申请12件，上年结转2件。", encoding="utf-8")
    (d / "gold.yaml").write_text(gold.format(case=case or folder), encoding="utf-8")
    return d


def test_loads_a_sample_set_and_ignores_other_folders(tmp_path: Path):
    _write_case(tmp_path, "b-case")
    _write_case(tmp_path, "a-case")
    (tmp_path / "notes").mkdir()
    cases = load_samples(tmp_path)
    assert [c.case for c in cases] == ["a-case", "b-case"]
    items = cases[0].items
    assert [i.id for i in items] == ["1.1.9", "3.1", "5.2.2"]  # unquoted 3.1 read as text
    assert cases[0].docs_dir == tmp_path / "a-case" / "docs"


@pytest.mark.parametrize("mutate,message", [
    (lambda g: g, "应与目录名"),
    (lambda g: g.replace("verdict: partial\n    evidence", "verdict: good\n    evidence"), "格式错误"),
    (lambda g: g.replace("file: r.txt", "file: missing.pdf"), "不存在"),
    (lambda g: g.replace('id: "5.2.2"', 'id: "1.1.9"\n    sub: 2'), "重复"),
    (lambda g: g + "reviewer: 张三\n", "未知字段 case.reviewer"),
    (lambda g: g.replace("notes: 扣0.6分", "note: 扣0.6分"), r"未知字段 items\[3\].note"),
    (lambda g: g.replace("points: 3.4", "points: -1"), "格式错误"),
])
def test_bad_gold_files_are_rejected(tmp_path: Path, mutate, message):
    _write_case(tmp_path, "x", case="other" if message == "应与目录名" else None, gold=mutate(GOLD))
    with pytest.raises(GoldError, match=message):
        load_samples(tmp_path, strict=True)


def test_lenient_loading_keeps_other_sets_usable(tmp_path: Path):
    gold = GOLD.replace("file: r.txt", "file: gone.pdf").replace("evidence:\n      - file", "source: x\n    evidence:\n      - file")
    _write_case(tmp_path, "y", gold=gold + "reviewer: 张三\n")
    case = load_samples(tmp_path)[0]
    assert len(case.items) == 3
    assert any("reviewer" in w for w in case.warnings)
    assert any("items[1].source" in w for w in case.warnings)
    assert any("gone.pdf" in w for w in case.warnings)
    with pytest.raises(GoldError):
        load_samples(tmp_path, strict=True)


def test_empty_evidence_key_is_an_empty_list(tmp_path: Path):
    _write_case(tmp_path, "z", gold=GOLD.replace("    notes: 扣0.6分", "    evidence:\n    notes: 扣0.6分"))
    assert load_samples(tmp_path, strict=True)[0].items[2].evidence == []


def test_empty_or_absent_sample_dir(tmp_path: Path):
    with pytest.raises(GoldError):
        load_samples(tmp_path)
    with pytest.raises(GoldError):
        load_samples(tmp_path / "nope")


def test_catalog_checks(tmp_path: Path):
    tsv = tmp_path / "ids.tsv"
    tsv.write_text(IDS_TSV, encoding="utf-8")
    ids = read_indicator_ids(tsv)
    assert ids["1.1.9"].sub_points == {1: 1.0, 2: 2.0}
    assert ids["5.1.3"].sub_points == {}  # named parts are not numbered sub-items
    case = load_samples(_write_case(tmp_path, "ok").parent)[0]
    assert check_against_catalog(case, ids) == []

    bad = case.model_copy(deep=True)
    bad.items[0].sub = 3  # 1.1.9 has sub-items 1 and 2 only
    bad.items[1].points = 2.5  # above 3.1 sub 1's 2 points
    bad.items[2].id = "9.9"
    problems = check_against_catalog(bad, ids)
    assert len(problems) == 3
    assert any("没有第3项" in p for p in problems) and any("超过满分" in p for p in problems)
    assert any("不存在" in p for p in problems)

    bad = case.model_copy(deep=True)
    bad.items[0].sub = None
    bad.items[2].verdict = bad.items[1].verdict  # met with 3.4 of 4
    problems = check_against_catalog(bad, ids)
    assert any("须注明 sub" in p for p in problems) and any("未得满分" in p for p in problems)
