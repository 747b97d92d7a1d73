"""The reviewers' scoring policy as catalog data: defect-count ladders, state ladders, abstention.

Annual reports and interpretations are built in memory and go through the real registered rules;
the scores come from the shipped catalog (or a temporary copy of it with one rung changed).
"""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from click.testing import CliRunner

from core.document import DateKind, DocType
from core.findings import Flag, Verdict
from indicators.catalog import CATALOG_DIR, load_catalog
from indicators.defects import merge_by_cells
from indicators.rules.base import Check, Evidence, Outcome, load_all_rules, make_check
from indicators.scoring import score_unit
from tests.docbuilder import DocBuilder
from tests.rules.annual_builders import build_report, t3_values
from zwgk.cli import main

REGISTRY = load_all_rules()


@pytest.fixture(scope="module")
def cat():
    return load_catalog("langfang-2023")


def run_all(*docs, year=2023, level="county_government") -> list[Check]:
    ev = Evidence(unit="香河县人民政府", year=year, documents=list(docs), body_level=level)
    return [c for r in REGISTRY.rules.values() for c in r.run(ev)]


def cell(row: str, col: str) -> dict:
    return {"row": row, "col": col, "name": f"{row}—{col}"}


def fail(rule_id: str, indicator: str, sub: int | None, title: str, **data) -> Check:
    return make_check(rule_id, indicator, sub, title=title, outcome=Outcome.failed, data=data)


def passed(rule_id: str, indicator: str, sub: int | None, title: str, **data) -> Check:
    return make_check(rule_id, indicator, sub, title=title, outcome=Outcome.passed, data=data)


# --- counting a defect once ----------------------------------------------------------------------


def test_one_wrong_cell_breaking_two_identities_is_one_data_error(cat):
    values = t3_values()
    values["1"][0] = "42"  # one cell: breaks T3-A (its column) and T3-C (its row)
    checks = run_all(build_report(t3=values))
    failed = [c for c in checks if c.indicator_id == "1.1.9" and c.sub == 2 and c.outcome == Outcome.failed]
    assert {c.title for c in failed} >= {"表三勾稽关系（T3-A）", "表三勾稽关系（T3-C）"}
    r = score_unit(cat.unit("1.1.9", 2), checks)
    assert (r.points, r.verdict) == (1.0, Verdict.partial), r.rationale
    assert r.rationale.startswith("一处数据错误（")
    assert "共同涉及单元格" in r.rationale and "→ 1.0分（阶梯：一处缺陷）" in r.rationale
    assert "通过" not in r.rationale.split("→")[0]  # no share of passed checks


def test_two_wrong_cells_are_two_data_errors(cat):
    values = t3_values()
    values["1"][0] = "42"
    values["3.4.1"][1] = "3"  # a second, independent cell (another row and column)
    r = score_unit(cat.unit("1.1.9", 2), run_all(build_report(t3=values)))
    assert (r.points, r.verdict) == (0.0, Verdict.not_met), r.rationale
    assert r.rationale.startswith("两处数据错误") and "阶梯：两处及以上数据错误" in r.rationale


def test_hitting_set_is_not_fooled_by_crossing_rows_and_columns():
    a1 = fail("r", "1.1.9", 2, "T3-A列1", cells=[cell("1", "c1"), cell("4", "c1")])
    a2 = fail("r", "1.1.9", 2, "T3-A列2", cells=[cell("3.1", "c2"), cell("4", "c2")])
    c1 = fail("r", "1.1.9", 2, "T3-C行1", cells=[cell("1", "c1"), cell("1", "c2"), cell("1", "total")])
    c2 = fail("r", "1.1.9", 2, "T3-C行3.1", cells=[cell("3.1", "c1"), cell("3.1", "c2"), cell("3.1", "total")])
    assert len(merge_by_cells([a1, a2, c1, c2])) == 2
    assert len(merge_by_cells([a1, c1])) == 1
    assert len(merge_by_cells([a1, a2])) == 2  # two columns share no cell


def test_data_error_and_generic_measures_is_the_half_point_rung(cat):
    values = t3_values()
    values["1"][0] = "42"
    generic = ["进一步加强政府信息公开工作。", "持续推进政务公开标准化规范化建设。", "不断提升政务公开质量。"]
    r = score_unit(cat.unit("1.1.9", 2), run_all(build_report(t3=values, improve=generic)))
    assert (r.points, r.verdict) == (0.5, Verdict.partial), r.rationale
    assert "一处数据错误（" in r.rationale and "一处改进措施泛化或照搬上年（改进措施具体可操作）" in r.rationale
    assert "→ 0.5分（阶梯：一处数据错误且措施泛化或照搬）" in r.rationale


def test_checks_off_the_ladder_are_noted_not_deducted(cat):
    checks = [passed("annual_report.identities", "1.1.9", 2, "表三勾稽关系（T3-A）"),
              passed("annual_report.content", "1.1.9", 2, "改进措施具体可操作"),
              fail("annual_report.content", "1.1.9", 2, "总体情况内容完整", missing=["监督保障"])]
    r = score_unit(cat.unit("1.1.9", 2), checks)
    assert (r.points, r.verdict) == (2.0, Verdict.met)
    assert "未发现缺陷 → 2.0分（阶梯：无缺陷）" in r.rationale and "另见（仅提示，不计入阶梯）：总体情况内容完整" in r.rationale


def test_unverifiable_tables_abstain_with_what_would_decide(cat):
    checks = [make_check("annual_report.identities", "1.1.9", 2, title="表三勾稽关系（T3-A）无法核验",
                         outcome=Outcome.unknown),
              passed("annual_report.content", "1.1.9", 2, "改进措施具体可操作")]
    r = score_unit(cat.unit("1.1.9", 2), checks)
    assert (r.points, r.verdict) == (0.0, Verdict.insufficient_evidence)
    assert "请提供含完整统计表的年度报告全文" in r.rationale and Flag.needs_human in r.flags


# --- 1.1.9 sub 1: formal defects, deadline ---------------------------------------------------------


def test_sub1_one_formal_defect_half_two_zero_late_zero(cat):
    unit = cat.unit("1.1.9", 1)
    one = score_unit(unit, run_all(build_report(skip_parts=(6,), published=dt.date(2024, 3, 1))))
    assert (one.points, one.verdict) == (0.5, Verdict.partial), one.rationale
    assert "阶梯：恰有一处格式缺陷" in one.rationale
    two = score_unit(unit, run_all(build_report(order=(1, 3, 2, 4, 5, 6), skip_parts=(6,),
                                                published=dt.date(2024, 3, 1))))
    assert (two.points, two.verdict) == (0.0, Verdict.not_met), two.rationale
    late = score_unit(unit, run_all(build_report(published=dt.date(2024, 4, 15))))
    assert (late.points, late.verdict) == (0.0, Verdict.not_met) and "阶梯：逾期发布" in late.rationale


def test_sub1_without_a_visible_date_judges_the_format_alone(cat):
    r = score_unit(cat.unit("1.1.9", 1), run_all(build_report(published=None)))
    assert (r.points, r.verdict) == (1.0, Verdict.met), r.rationale
    assert "“逾期发布”无法判定" in r.rationale and "仅按其余项目评分" in r.rationale
    assert Flag.needs_human in r.flags


def test_cut_off_report_is_insufficient_not_failed(cat):
    b = DocBuilder("合江县2022年报.html", DocType.annual_report, unit="合江县人民政府", year=2022,
                   title="合江县2022年政府信息公开工作年度报告", issuer="合江县人民政府")
    b.heading("合江县2022年政府信息公开工作年度报告", level=0)
    b.para("全文包括总体情况，主动公开政府信息情况，收到和处理政府信息公开申请情况，政府信息公开行政复议、行政诉讼情况，"
           "存在的主要问题及改进情况，其他需要报告的事项6个部分。")
    b.heading("一、总体情况")
    b.para("（一）主动公开情况。全年主动公开政府信息3200条。")
    b.para("（二）依申请公开情况。新受理政府信息公开申请17件，办结17件。")
    checks = run_all(b.build(), year=2022)
    for sub in (1, 2):
        r = score_unit(cat.unit("1.1.9", sub), checks)
        assert (r.points, r.verdict) == (0.0, Verdict.insufficient_evidence), (sub, r.rationale)
        assert "在“一、总体情况”处中断" in r.rationale and "完整的年度报告全文" in r.rationale


def test_report_with_a_gap_in_the_middle_is_not_cut_off(cat):
    r = score_unit(cat.unit("1.1.9", 1), run_all(build_report(skip_parts=(4,), published=None)))
    assert r.verdict == Verdict.not_met  # part 四 and table 四 missing: two defects the material shows


# --- element-count ladders -------------------------------------------------------------------------


def _elements(rule_id: str, indicator: str, keys: list[str], missing: set[str], title: str = "") -> list[Check]:
    """One check listing what the page shows and lacks (the presence rules' shape)."""
    found, lacking = [k for k in keys if k not in missing], [k for k in keys if k in missing]
    make = fail if lacking else passed
    return [make(rule_id, indicator, None, title or "要素", found=found, missing=lacking)]


SIX = ["setup", "functions", "address", "hours", "contact", "head"]
COLUMNS = "政府信息公开专栏一级栏目"


@pytest.mark.parametrize(("missing", "points", "verdict"), [
    (set(), 2.0, Verdict.met), ({"head"}, 1.5, Verdict.partial), ({"head", "hours"}, 1.0, Verdict.partial),
    ({"head", "hours", "contact"}, 0.5, Verdict.partial), ({"head", "hours", "contact", "address"}, 0.0, Verdict.not_met),
])
def test_1_1_2_minus_half_per_missing_element(cat, missing, points, verdict):
    r = score_unit(cat.unit("1.1.2"), _elements("presence.1.1.2.institution", "1.1.2", SIX, missing))
    assert (r.points, r.verdict) == (points, verdict), r.rationale


def test_5_1_1_columns_and_a_lone_breadcrumb(cat):
    four = ["guide", "rules", "statutory", "annual"]
    unit = cat.unit("5.1.1")
    assert score_unit(unit, _elements("presence.5.1.1.columns", "5.1.1", four, {"rules"}, COLUMNS)).points == 1.0
    assert score_unit(unit, _elements("presence.5.1.1.columns", "5.1.1", four, {"rules", "guide"}, COLUMNS)).verdict == \
        Verdict.not_met
    lone = score_unit(unit, _elements("presence.5.1.1.columns", "5.1.1", four, {"rules", "guide", "statutory"}, COLUMNS))
    assert lone.verdict == Verdict.insufficient_evidence and "请提供专栏首页截图" in lone.rationale


@pytest.mark.parametrize(("n_missing", "points"), [(0, 2.0), (1, 1.5), (2, 1.0), (3, 0.5), (4, 0.5), (5, 0.0)])
def test_3_1_elements_ladder_not_proportional(cat, n_missing, points):
    missing = ["背景依据", "目标任务", "关键词诠释", "惠民利民举措", "新旧政策差异"][:n_missing]
    check = make_check("interpretation.content", "3.1", 1, title="解读内容要素",
                       outcome=Outcome.failed if missing else Outcome.passed, data={"missing": missing})
    assert score_unit(cat.unit("3.1", 1), [check]).points == points


# --- state ladders --------------------------------------------------------------------------------


def test_2_1_1_one_point_per_channel_half_when_only_named(cat):
    check = make_check("request_guide.channels", "2.1.1", 2, title="申请渠道", outcome=Outcome.failed,
                       data={"channel_states": {"现场": "complete", "信函": "named", "网络": "absent"}})
    nine = make_check("request_guide.fields", "2.1.1", 2, title="指南法定内容", outcome=Outcome.failed)
    r = score_unit(cat.unit("2.1.1", 2), [check, nine])
    assert (r.points, r.verdict) == (1.5, Verdict.partial), r.rationale  # the nine 第十二条 fields do not enter
    assert "现场：列明具体接收方式（1.0分）" in r.rationale and "信函：仅提及或暗示，未列明具体信息（0.5分）" in r.rationale


def test_interpretation_states_from_real_rules(cat):
    from tests.rules import interp_texts as T
    from tests.rules.test_interpretation import build

    checks = run_all(build(T.THIN_1))
    link = score_unit(cat.unit("3.1", 2), checks)
    assert (link.points, link.verdict) == (0.0, Verdict.not_met) and "不算链接" in link.rationale
    forms = score_unit(cat.unit("3.2", 2), checks)
    assert (forms.points, forms.verdict) == (0.0, Verdict.not_met) and "纯文字" in forms.rationale
    for sub in (1, 3):  # channels and 主要负责人: one page cannot show them
        r = score_unit(cat.unit("3.2", sub), checks)
        assert r.verdict == Verdict.insufficient_evidence, r.rationale
        assert "所提供材料不足以判断" in r.rationale


def test_image_only_interpretation_abstains(cat):
    from core.document import Media, MediaKind

    b = DocBuilder("一图读懂.html", DocType.policy_interpretation, year=2023, title="一图读懂《就业创业补贴办法》")
    b.heading("一图读懂《就业创业补贴办法》").para("来源：县人社局")
    doc = b.build().model_copy(update={"media": [Media(kind=MediaKind.image, src="/upload/2023/tujie.jpg")]})
    checks = run_all(doc)
    for sub in (1, 3):
        r = score_unit(cat.unit("3.1", sub), checks)
        assert r.verdict == Verdict.insufficient_evidence and "图片本身不在材料中" in r.rationale, r.rationale
    assert score_unit(cat.unit("3.2", 2), checks).points == 2.0  # the graphic is the main form


def test_abstention_never_overrides_what_the_material_shows_met(cat):
    shown = make_check("interpretation.channels", "3.2", 1, title="发布渠道", outcome=Outcome.passed)
    assert score_unit(cat.unit("3.2", 1), [shown]).verdict == Verdict.met


# --- the ladder is data -----------------------------------------------------------------------------


def test_changing_a_rung_in_a_catalog_copy_changes_the_score(tmp_path):
    data = yaml.safe_load((CATALOG_DIR / "langfang-2023.yaml").read_text(encoding="utf-8"))
    ind = next(i for i in data["indicators"] if i["id"] == "1.1.2")
    rung = next(r for r in ind["scoring"]["rungs"] if r["when"] == {"missing_element": 1})
    rung["points"], rung["label"] = 1.2, "缺1项（本地口径）"
    path = tmp_path / "local-2023.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    checks = _elements("presence.1.1.2.institution", "1.1.2", SIX, {"head"})
    assert score_unit(load_catalog("langfang-2023").unit("1.1.2"), checks).points == 1.5
    r = score_unit(load_catalog(path).unit("1.1.2"), checks)
    assert r.points == 1.2 and "阶梯：缺1项（本地口径）" in r.rationale
    shown = CliRunner().invoke(main, ["indicators", "show", "1.1.2", "--catalog", str(path)])
    assert shown.exit_code == 0 and "缺少要素1处→1.2分（缺1项（本地口径））" in shown.output


def test_a_ladder_without_a_catch_all_rung_is_refused(tmp_path):
    data = yaml.safe_load((CATALOG_DIR / "langfang-2023.yaml").read_text(encoding="utf-8"))
    ind = next(i for i in data["indicators"] if i["id"] == "1.1.2")
    ind["scoring"]["rungs"] = ind["scoring"]["rungs"][:-1]
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    from indicators.catalog import CatalogError

    with pytest.raises(CatalogError, match="兜底"):
        load_catalog(path)


def test_indicators_show_prints_the_ladder():
    out = CliRunner().invoke(main, ["indicators", "show", "1.1.9"]).output
    assert "缺陷计数阶梯" in out and "数据错误≥2处→0.0分（两处及以上数据错误）" in out
    out = CliRunner().invoke(main, ["indicators", "show", "2.1.1"]).output
    assert "每项分别计分并相加（现场、信函、网络）" in out


def test_publication_date_kind_is_used(cat):
    """A 落款 date on time says nothing about publication: sub 1 is still judged on the format."""
    doc = build_report(published=dt.date(2024, 1, 20), date_kind=DateKind.signing)
    r = score_unit(cat.unit("1.1.9", 1), run_all(doc))
    assert r.points == 1.0 and Flag.needs_human in r.flags


def test_annual_report_items_never_guess_from_words(cat):
    """No rule examined a report (none was recognised): coverage of words like 发布日期 must not claim
    “在规定时间内发布”; other ladders keep the low-confidence coverage estimate."""
    for sub in (1, 2):
        r = score_unit(cat.unit("1.1.9", sub), [], coverage=1.0)
        assert r.verdict == Verdict.insufficient_evidence and Flag.no_evidence in r.flags
    r = score_unit(cat.unit("1.1.2"), [], coverage=0.5)
    assert r.verdict == Verdict.partial and Flag.low_confidence in r.flags


def test_tables_that_are_images_are_asked_for_not_failed(cat):
    # the headings say the tables are attached (见附表): published as images the material lacks
    b = DocBuilder("临空2022年报.html", DocType.annual_report, unit="临空管委会", year=2022,
                   title="临空管委会2022年政府信息公开工作年度报告", issuer="临空管委会")
    b.heading("临空管委会2022年政府信息公开工作年度报告", level=0)
    for title, body in (("一、总体情况", "本年度主动公开政府信息120条，办理依申请公开2件。"),
                        ("二、主动公开政府信息情况", "（见附表）"), ("三、收到和处理政府信息公开申请情况", "（见附表）"),
                        ("四、政府信息公开行政复议、行政诉讼情况", "（见附表）"),
                        ("五、存在的主要问题及改进情况", "一是提高公开水平，二是拓宽公开渠道。"),
                        ("六、其他需要报告的事项", "本年度未收取信息处理费。")):
        b.heading(title)
        if body:
            b.para(body)
    checks = run_all(b.build(), year=2022, level="unknown")
    for sub in (1, 2):
        r = score_unit(cat.unit("1.1.9", sub), checks)
        assert (r.points, r.verdict) == (0.0, Verdict.insufficient_evidence), (sub, r.rationale)
    assert "请提供表格图片或报告原件" in score_unit(cat.unit("1.1.9", 1), checks).rationale


def test_normative_column_from_a_screenshot_and_not_from_a_cleanup_title(cat):
    shot = (DocBuilder("栏目截图.png", DocType.web_page, year=2023)
            .para("当前位置：首页>政府信息公开>法定主动公开内容>行政规范性文件")
            .para("文件名称 文号 成文日期 有效性").para("固安县城乡居民基本医疗保险实施办法 固政规〔2023〕1号 2023-02-13 有效")
            .build())
    r = score_unit(cat.unit("1.1.1", 3), run_all(shot))
    assert (r.points, r.verdict) == (1.0, Verdict.met), r.rationale
    cleanup = (DocBuilder("清理结果.html", DocType.web_page, year=2023)
               .heading("关于公布2023年度行政规范性文件清理结果的通知")
               .para("经清理，继续有效的行政规范性文件12件，废止3件。").build())
    r = score_unit(cat.unit("1.1.1", 3), run_all(cleanup), coverage=1.0)
    assert r.verdict == Verdict.insufficient_evidence and "专栏" in r.rationale, r.rationale
    r1 = score_unit(cat.unit("1.1.1", 1), run_all(shot), coverage=1.0)
    assert r1.verdict == Verdict.insufficient_evidence and "全部行政规范性文件目录" in r1.rationale


def test_guide_channels_per_channel_with_details_stated_once(cat):
    b = DocBuilder("政府信息公开指南.html", DocType.web_page, year=2023, title="香河县人民政府政府信息公开指南")
    b.heading("香河县人民政府政府信息公开指南")
    b.heading("一、受理机构")
    b.para("办公地址：香河县新华大街1号县政府办公楼302室。办公时间：周一至周五上午8:30-12:00。")
    b.heading("二、申请方式")
    b.para("1.当面申请。申请人可到受理机构当面提交申请。")
    b.para("2.网络申请。申请人可通过县政府网站“依申请公开”平台在线填写申请。")
    checks = run_all(b.build())
    r = score_unit(cat.unit("2.1.1", 2), checks)
    assert r.points == 2.0, r.rationale  # 现场 1.0 (details under 受理机构) + 网络 1.0 (named platform) + 信函 0
    assert "信函：未列明（0.0分）" in r.rationale
    contact = DocBuilder("政府信息公开指南.html", DocType.web_page, year=2023, title="某局政府信息公开指南")
    contact.heading("某局政府信息公开指南").heading("受理科室")
    contact.para("办公地址：香河县新华大街1号。办公时间：工作日8:30-17:00。邮政编码：065400。电子邮箱：xxgk@xh.gov.cn。")
    states = next(c for c in run_all(contact.build()) if c.rule_id == "request_guide.channels").data["channel_states"]
    assert states == {"现场": "named", "信函": "absent", "网络": "named"}  # implied; a postcode is no channel


def test_the_sites_footer_url_is_no_online_channel(cat):
    b = DocBuilder("政府信息公开指南.html", DocType.web_page, year=2023, title="大厂回族自治县人民政府政府信息公开指南")
    b.heading("大厂回族自治县人民政府政府信息公开指南")
    b.para("二、申请方式")
    b.para("3.网络申请。申请人可以通过互联网提出申请。")
    b.para("三、答复期限")
    b.para("自收到申请之日起20个工作日内予以答复。")
    b.para("主办：大厂回族自治县人民政府办公室 http://www.dachang.gov.cn/xxgk/zn/")
    states = next(c for c in run_all(b.build()) if c.rule_id == "request_guide.channels").data["channel_states"]
    assert states["网络"] == "named"


def test_what_the_material_shows_at_the_bottom_rung_is_not_met_even_if_tables_are_unverifiable(cat):
    checks = [make_check("annual_report.identities", "1.1.9", 2, title="表三勾稽关系（T3-A）无法核验",
                         outcome=Outcome.unknown),
              fail("annual_report.content", "1.1.9", 2, "改进情况部分缺失", missing_part=5)]
    r = score_unit(cat.unit("1.1.9", 2), checks)
    assert (r.points, r.verdict) == (0.0, Verdict.not_met), r.rationale
    assert "阶梯：无改进情况部分" in r.rationale and "已达最低档" in r.rationale
