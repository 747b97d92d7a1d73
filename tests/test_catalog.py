"""The shipped catalog and its validation: arithmetic, ids, typed rules, scored units, refusals."""

from __future__ import annotations

import copy
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from core.document import DocType
from core.errors import ConfigError
from indicators.catalog import (
    CATALOG_DIR,
    Catalog,
    CatalogError,
    CompositeRule,
    DeductionRule,
    GateRule,
    TieredRule,
    check_against_ids,
    list_catalogs,
    load_catalog,
    on_step,
    read_ids_tsv,
)

SHIPPED = CATALOG_DIR / "langfang-2023.yaml"
PACKAGED_IDS = CATALOG_DIR / "langfang-2023.ids.tsv"
SPEC_IDS = Path(__file__).resolve().parents[1].parent / "shared" / "spec" / "indicator-ids.tsv"


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return load_catalog("langfang-2023")


@pytest.fixture
def raw() -> dict:
    return yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: dict) -> Path:
    p = tmp_path / "broken.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return p


def _find(data: dict, iid: str) -> dict:
    return next(i for i in data["indicators"] if i["id"] == iid)


def D(x) -> Decimal:
    return Decimal(str(x))


# --- the shipped catalog -----------------------------------------------------------------------


def test_listed_and_loaded_by_id_and_by_path(cat):
    assert "langfang-2023" in list_catalogs()
    assert load_catalog(SHIPPED) is cat  # same file, cached
    assert load_catalog("langfang-2023") is cat


def test_41_leaves_sum_to_100_with_the_tsv_ids(cat):
    rows = read_ids_tsv(PACKAGED_IDS)
    assert [i.id for i in cat.indicators] == [r.id for r in rows]
    assert len(cat.indicators) == 41
    assert sum(D(i.points) for i in cat.indicators) == 100
    assert cat.total_points == 100
    assert check_against_ids(cat, rows) == []


def test_packaged_id_list_is_the_spec(cat):
    if not SPEC_IDS.is_file():
        # CI always has shared/ beside the clone; a lone clone elsewhere may not
        if os.environ.get("CI"):
            pytest.fail(f"{SPEC_IDS} missing in CI")
        pytest.skip(f"shared/spec not beside the repo ({SPEC_IDS})")
    assert PACKAGED_IDS.read_text(encoding="utf-8") == SPEC_IDS.read_text(encoding="utf-8")


def test_level_subtotals(cat):
    expected = {
        "主动公开": (50, {"基础性指标": 28, "重点领域信息公开": 22}),
        "依申请公开": (8, {"依申请公开规范性": 8}),
        "政策解读": (10, {"解读内容": 5, "解读形式": 5}),
        "政务舆情回应": (2, {"回应关切": 2}),
        "平台建设": (22, {"政府网站（含政府信息公开专栏）": 10, "政务新媒体": 12}),
        "保障措施": (8, {"机构设置和作用发挥": 8}),
    }
    got = {lv.name: (lv.points, {c.name: c.points for c in lv.children}) for lv in cat.levels}
    assert got == expected
    for l1, (pts, children) in expected.items():
        assert sum(D(i.points) for i in cat.indicators if i.level1 == l1) == pts
        for l2, p2 in children.items():
            assert sum(D(i.points) for i in cat.indicators if i.level1 == l1 and i.level2 == l2) == p2


def test_level3_empty_where_the_table_has_none(cat):
    assert [i.id for i in cat.indicators if i.level3 is None] == ["3.1", "3.2", "4.1"]
    assert cat.indicator("3.1").name == "解读内容"


def test_texts_are_the_table_wording(cat):
    ind = cat.indicator("1.1.9")
    assert ind.sub_items[1].text == ("报告数据准确，相关数据与上一年度衔接；报告内容不遗漏、不泛化，"
                                     "改进措施具有针对性、可操作性。")
    # line-wrap artefacts of the PDF are gone, punctuation kept as printed
    assert cat.indicator("1.2.11").name == "办事服务领域信息公开"
    assert "申请渠道, 并详细列明" in cat.indicator("2.1.1").sub_items[1].text
    assert cat.indicator("6.1.3").text == "积极向国家、省级刊物及省级以上主流新闻媒体推介政务公开创新做法和典型经验。"
    assert cat.indicator("1.1.1").assessment == "核查资料及网页截图"
    units = cat.indicator("1.1.2").units
    assert units.lead == ["市政府办公室政务公开办"] and units.responsible == ["各乡镇（区、办）", "各相关部门"]


def test_typed_rules(cat):
    r512 = cat.indicator("5.1.2").scoring
    assert isinstance(r512, DeductionRule)
    assert {(e.code, e.amount) for e in r512.events} == {
        ("notice", 0.1), ("repeated_supervision", 0.5), ("state_criticism", 1.0)}
    for iid in ("5.1.5", "5.2.1", "5.2.2", "5.2.3", "5.2.4"):
        assert isinstance(cat.indicator(iid).scoring, DeductionRule), iid
    r513 = cat.indicator("5.1.3").scoring
    assert isinstance(r513, CompositeRule)
    assert [(p.code, p.points, p.rule.kind) for p in r513.parts] == [
        ("quality", 1.0, "deduction"), ("quantity", 1.0, "tiered")]
    sub1, sub2 = (s.scoring for s in cat.indicator("5.1.4").sub_items)
    assert isinstance(sub1, DeductionRule) and [e.amount for e in sub1.events] == [0.5, 0.2]
    assert isinstance(sub2, TieredRule)
    assert [g.band.label() for g in sub2.gaps] == ["(50%, 70%)"]
    assert sub2.deductions[0].amount == 0.2
    gate = cat.indicator("5.1.6").scoring
    assert isinstance(gate, GateRule) and gate.deadline.isoformat() == "2023-12-31"
    assert cat.indicator("1.1.3").deadline.days == 7 and cat.indicator("1.1.3").deadline.day_kind == "working"
    assert cat.indicator("1.1.4").deadline.days == 15
    assert cat.indicator("5.2.1").deadline.day_kind == "calendar"
    assert cat.indicator("5.1.4").scoring_kind == "deduction+tiered"
    assert cat.indicator("1.1.9").scoring_kind == "ladder"
    assert cat.indicator("2.1.1").scoring_kind == "additive+states"


def test_tier_lookup_and_inclusive_bounds(cat):
    rule = cat.unit("5.1.4", 2).scoring
    assert rule.band_of(1.0).points == 1.0
    assert rule.band_of(0.7).points == 0.5  # 以上 includes the number itself
    assert rule.band_of(0.5).points == 0.0  # 以下 too
    gap = rule.band_of(0.6)
    assert gap.note == "unspecified_band" and rule.tier_below(gap).points == 0.0


def test_scored_units(cat):
    units = cat.scored_units()
    subs = sum(len(i.sub_items) for i in cat.indicators)
    no_subs = sum(1 for i in cat.indicators if not i.sub_items)
    assert len(units) == subs + no_subs == 63
    assert sum(D(u.max_points) for u in units) == 100
    u = cat.unit("3.1", 1)
    assert u.name == "解读内容" and u.max_points == 2
    assert u.required_elements == ["背景依据", "目标任务", "关键词诠释", "惠民利民举措", "新旧政策差异"]
    assert DocType.policy_interpretation in u.evidence_types
    whole = cat.unit("5.1.3")
    assert whole.sub is None and whole.scoring.kind == "composite"
    with pytest.raises(KeyError):
        cat.unit("5.1.3", 1)
    assert cat.unit("1.1.9", 2).key == "1.1.9(2)"


def test_every_unit_is_described_for_retrieval(cat):
    for u in cat.scored_units():
        assert u.required_elements, u.key
        assert len(u.keywords) >= 4, u.key
        assert u.evidence_types, u.key


def test_element_terms(cat):
    u = cat.unit("3.2", 2)
    assert u.terms_for("动漫（漫画、动画）解读") == ["动漫", "漫画", "动画"]
    assert cat.unit("5.1.1").terms_for("政府信息公开指南") == ["政府信息公开指南"]  # literal: its own name
    for unit in cat.scored_units():
        assert set(unit.element_terms) <= set(unit.required_elements), unit.key


def test_search_terms_are_unit_specific(cat):
    one, two = cat.unit("1.1.9", 1).search_terms(), cat.unit("1.1.9", 2).search_terms()
    assert one[:3] == ["政府信息公开工作年度报告", "年度报告", "年报"]  # the indicator's keywords first
    assert "存在的主要问题及改进情况" in one and "上年结转" in two and "上年结转" not in one
    assert len(one) == len(set(one))


def test_element_terms_must_name_a_required_element(tmp_path, raw):
    _find(raw, "1.1.2")["element_terms"]["负责人"] = ["局长"]
    with pytest.raises(CatalogError, match=re.escape("1.1.2: 要素词表中的“负责人”不是必备要素")):
        load_catalog(_write(tmp_path, raw))


def test_real_ambiguities_are_notes(cat):
    codes = {(u.key, n.code) for u in cat.scored_units() for n in u.notes}
    for expected in [("5.1.4(2)", "unspecified_band"), ("5.1.3", "mixed_rule"), ("1.1.9(2)", "bundled_criteria"),
                     ("3.2(3)", "whose_leader"), ("5.2.1", "calendar_days"), ("5.2.2", "overlapping_events")]:
        assert expected in codes
    for n in (n for u in cat.scored_units() for n in u.notes):
        assert any("\u4e00" <= ch <= "\u9fff" for ch in n.text)


def test_select_by_prefix(cat):
    assert [i.id for i in cat.select("5.1")] == ["5.1.1", "5.1.2", "5.1.3", "5.1.4", "5.1.5", "5.1.6"]
    assert [i.id for i in cat.select("1.1.1")] == ["1.1.1"]  # not 1.1.10
    assert cat.select("9") == []


# --- refusals ----------------------------------------------------------------------------------


def test_unknown_catalog_is_a_config_error():
    with pytest.raises(ConfigError, match="未知的考核指标目录"):
        load_catalog("no-such-catalog")
    with pytest.raises(CatalogError, match="不存在"):
        load_catalog("/nonexistent/x.yaml")


def test_sub_item_points_changed(tmp_path, raw):
    _find(raw, "1.1.9")["sub_items"][1]["points"] = 1.0
    with pytest.raises(CatalogError) as err:
        load_catalog(_write(tmp_path, raw))
    assert "1.1.9: 分项分值合计 2.0 ≠ 指标分值 3.0" in str(err.value)


def test_indicator_points_changed_breaks_the_subtotal(tmp_path, raw):
    ind = _find(raw, "1.1.2")
    ind["points"] = 3.0
    with pytest.raises(CatalogError) as err:
        load_catalog(_write(tmp_path, raw))
    msg = str(err.value)
    assert "主动公开/基础性指标: 所属指标分值合计 29.0 ≠ 二级指标分值 28.0" in msg
    assert "主动公开: 所属指标分值合计 51.0 ≠ 一级指标分值 50.0" in msg


def test_level_subtotal_off(tmp_path, raw):
    raw["levels"][0]["children"][0]["points"] = 27.0
    with pytest.raises(CatalogError, match=r"基础性指标.*≠ 二级指标分值 27.0"):
        load_catalog(_write(tmp_path, raw))


def test_total_off(tmp_path, raw):
    raw["total_points"] = 90
    with pytest.raises(CatalogError, match=re.escape("≠ 总分 90.0")):
        load_catalog(_write(tmp_path, raw))


def test_duplicated_id(tmp_path, raw):
    _find(raw, "1.1.3")["id"] = "1.1.2"
    with pytest.raises(CatalogError, match=re.escape("1.1.2: 指标编号重复 2 次")):
        load_catalog(_write(tmp_path, raw))


def test_ids_checked_against_the_id_list_beside_the_file(tmp_path, raw):
    ind = _find(raw, "6.1.4")
    ind["id"] = "6.1.9"
    path = _write(tmp_path, raw)
    load_catalog(path)  # arithmetic alone is fine
    (tmp_path / "broken.ids.tsv").write_text(PACKAGED_IDS.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    assert "6.1.4: 编号表中有、目录中缺少" in str(err.value) and "6.1.9: 目录中有、编号表中没有" in str(err.value)


def test_name_differs_from_the_id_list(cat):
    changed = cat.model_copy(deep=True)
    changed.indicators[0].level3 = "政策文件"
    problems = check_against_ids(changed, read_ids_tsv(PACKAGED_IDS))
    assert problems == ["1.1.1: level3“政策文件”与编号表“政策文件公开”不一致 / name mismatch"]


def test_tiers_must_partition_the_range(tmp_path, raw):
    sub2 = _find(raw, "5.1.4")["sub_items"][1]
    bad = copy.deepcopy(raw)
    _find(bad, "5.1.4")["sub_items"][1]["scoring"]["gaps"] = []  # the 50-70% band left to a guess
    with pytest.raises(CatalogError, match="分档区间不连续"):
        load_catalog(_write(tmp_path, bad))
    sub2["scoring"]["tiers"][0]["points"] = 0.8  # top tier must equal the sub-item's points
    with pytest.raises(CatalogError, match=r"5.1.4\(2\): 最高档分值 0.8 ≠ 分值 1.0"):
        load_catalog(_write(tmp_path, raw))


def test_composite_parts_must_add_up(tmp_path, raw):
    _find(raw, "5.1.3")["scoring"]["parts"][0]["points"] = 0.5
    with pytest.raises(CatalogError, match=re.escape("5.1.3: 组成部分分值合计 1.5 ≠ 分值 2.0")):
        load_catalog(_write(tmp_path, raw))


def test_unknown_scoring_kind_names_the_entry(tmp_path, raw):
    _find(raw, "5.1.5")["scoring"]["kind"] = "bonus"
    with pytest.raises(CatalogError, match=r"5\.1\.5\.scoring"):
        load_catalog(_write(tmp_path, raw))


def test_codes_and_flags_are_checked(tmp_path, raw):
    _find(raw, "3.1")["sub_items"][2]["notes"][0]["flags"] = ["needs_humans"]
    with pytest.raises(CatalogError, match=r"3\.1\.sub_items\.2\.notes\.0\.flags: 未知的标记"):
        load_catalog(_write(tmp_path, raw))


def test_unreadable_yaml(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogError, match="无法读取"):
        load_catalog(p)


def test_loads_from_a_copy_anywhere(tmp_path):
    """Everything the catalog needs is the YAML and its id list (no path into /work/shared)."""
    for f in (SHIPPED, PACKAGED_IDS):
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    copy_ = load_catalog(tmp_path / SHIPPED.name)
    assert len(copy_.indicators) == 41 and copy_.id == "langfang-2023"


def test_score_step_is_half_a_point_unless_the_catalog_says_otherwise(tmp_path, raw, cat):
    steps = {u.key: u.step for u in cat.scored_units()}
    assert steps["1.1.9(2)"] == steps["3.1(1)"] == 0.5  # the default
    assert steps["5.1.2"] == 0.1  # its rule deducts 0.1 per 通报: the catalog's own amounts say tenths
    assert set(steps.values()) == {0.5, 0.1}
    assert on_step(3.0, 0.5) and not on_step(3.05, 0.5) and on_step(4.9, 0.1) and not on_step(4.95, 0.1)
    raw["step"] = 1.0  # a coarser step for the whole catalog: every half-point value is now refused
    with pytest.raises(CatalogError, match=re.escape("1.1.9(1): 分值 0.5 不是评分步长 1 的整数倍")):
        load_catalog(_write(tmp_path, raw))
    del raw["step"]
    _find(raw, "5.1.2")["step"] = 0.5  # named, but the rule's 0.1 deductions do not fit it
    with pytest.raises(CatalogError, match=re.escape("5.1.2: 分值 0.1 不是评分步长 0.5 的整数倍")):
        load_catalog(_write(tmp_path, raw))
    _find(raw, "5.1.2")["step"] = 0.1
    _find(raw, "1.1.2")["step"] = 0.1  # a finer step than the default is always allowed
    steps = {u.key: u.step for u in load_catalog(_write(tmp_path, raw)).scored_units()}
    assert steps["1.1.2"] == 0.1 and steps["1.1.3"] == 0.5
