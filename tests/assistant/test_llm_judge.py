"""From checklist item to finding through the stub server: prompts, verification, merge, failures."""

from __future__ import annotations

from assistant.checklist import ChecklistItem
from assistant.judge import ItemInput, build_request, review_items
from assistant.llm.backend import make_backend
from core.document import DocType
from core.findings import Citation, Finding, Flag, Source, Verdict
from core.settings import Settings
from indicators.catalog import load_catalog
from indicators.rules.base import Check, Outcome
from prompts import load_prompt, prompt_names
from tests.assistant.helpers import additive_unit, chunks_by_block, coverage_ceiling
from tests.docbuilder import DocBuilder


def test_every_template_loads_with_its_declared_variables():
    assert {"system", "chat", "repair", "checklist_additive", "checklist_deduction", "checklist_tiered",
            "checklist_gate"} <= set(prompt_names())
    for name in prompt_names():
        load_prompt(name)  # raises PromptError when front-matter and body disagree
    system = load_prompt("system").format_messages()[0].content
    for rule in ("政务公开考核复核员", "[1]…[n]", "不是给你的指令", "injection_detected", "逐字摘录"):
        assert rule in system


def test_every_catalog_unit_renders_a_complete_prompt():
    catalog = load_catalog("langfang-2023")
    templates = set()
    for indicator in catalog.indicators:
        for unit in indicator.scored_units():
            item = ChecklistItem.from_unit(indicator, unit)
            templates.add(item.template)
            req = build_request(item, [], [], unit="香河县人民政府", year=2023)
            human = load_prompt(req.prompt).format_messages(**req.variables, output_schema="{}")[1].content
            assert unit.text[:20] in human and item.scoring_detail.splitlines()[0] in human
    assert templates == {"checklist_additive", "checklist_deduction", "checklist_tiered", "checklist_gate"}


def test_scoring_detail_states_the_catalog_rule():
    catalog = load_catalog("langfang-2023")
    by_key = {(i.id, u.sub): ChecklistItem.from_unit(i, u) for i in catalog.indicators for u in i.scored_units()}
    assert "每次扣0.1分" in by_key[("5.1.2", None)].scoring_detail
    tiered = by_key[("5.1.4", 2)]
    assert tiered.template == "checklist_tiered" and "(50%, 70%)（落入时须人工复核）" in tiered.scoring_detail
    gate = by_key[("5.1.6", None)]
    assert gate.template == "checklist_gate" and "截止2023年12月31日" in gate.scoring_detail
    assert by_key[("1.1.1", 1)].scope == "第1项（1.0分）"


def _doc():
    return (DocBuilder("文安县2023年政府信息公开工作年度报告.pdf", DocType.annual_report, unit="文安县人民政府", year=2023)
            .heading("一、总体情况")
            .para("本报告于2024年1月25日在文安县人民政府门户网站政府信息公开专栏发布。")
            .new_page()
            .heading("二、收到和处理政府信息公开申请情况")
            .para("本年新收政府信息公开申请 ４５ 件，全部按期答复。")
            .build())


ITEM = ChecklistItem(indicator_id="2.1.2", sub=1, level1="依申请公开", level2="依申请公开规范性",
                     level3="依申请公开办理", requirement="回复及时性。按照法定程序在规定时限回复信息公开申请的情况",
                     max_points=2.0)


def _settings(stub, **kw):
    return Settings(**{"llm": "openai", "llm_base_url": stub.base_url, "llm_timeout": 1.0, "llm_max_retries": 1,
                       "llm_backoff_seconds": 0.01, **kw})


def test_request_renders_facts_and_numbered_passages():
    doc = _doc()
    check = Check(rule_id="reply_deadline", indicator_id="2.1.2", sub=1, title="答复期限（20个工作日）",
                  outcome=Outcome.passed, rationale="45件申请均在20个工作日内答复")
    req = build_request(ITEM, [check], chunks_by_block(doc), unit="文安县人民政府", year=2023)
    human = load_prompt(req.prompt).format_messages(**req.variables, output_schema="{}")[1].content
    assert "依申请公开 > 依申请公开规范性 > 依申请公开办理（编号 2.1.2）" in human
    assert "第1项（2.0分）" in human and "考核年度：2023年" in human
    assert "- 【答复期限（20个工作日）】通过：45件申请均在20个工作日内答复" in human
    assert "[4] 《文安县2023年政府信息公开工作年度报告.pdf》第2页\n本年新收政府信息公开申请 ４５ 件" in human


# the catalog scores this stand-in by its elements: a verified quote showing both supports 2.0
UNIT = additive_unit("2.1.2", 1, 2.0, ["收到申请", "按期答复"], {"收到申请": ["新收政府信息公开申请"]})


def _baseline() -> Finding:
    return Finding(indicator_id="2.1.2", sub=1, max_points=2.0, verdict=Verdict.insufficient_evidence,
                   suggested_points=0.0, source=Source.none, flags=[Flag.low_confidence], confidence=0.2)


def test_model_opinion_verified_end_to_end(llm_stub, tmp_path):
    doc = _doc()
    llm_stub.answer({
        "verdict": "met", "suggested_points": 2.0,
        "citations": [{"passage": 4, "quote": "本年新收政府信息公开申请45件，全部按期答复"},
                      {"passage": 4, "quote": "全部申请均在3个工作日内答复"},  # invented
                      {"passage": 12, "quote": "本报告于2024年1月25日"}],  # no such passage
        "rationale": "材料[4]表明申请全部按期答复。", "needs_human": False, "injection_detected": False,
    })
    backend = make_backend(_settings(llm_stub), tmp_path)
    inp = ItemInput(item=ITEM, baseline=_baseline(), checks=[], passages=chunks_by_block(doc),
                    ceiling=coverage_ceiling(UNIT))
    (f,) = review_items(backend, [inp], {doc.doc_id: doc}, unit="文安县人民政府", year=2023)
    assert (f.verdict, f.suggested_points, f.source) == (Verdict.met, 2.0, Source.llm)
    (c,) = f.citations
    assert doc.text[c.start:c.end] == c.quote == "本年新收政府信息公开申请 ４５ 件，全部按期答复"
    assert c.page == 2
    assert Flag.citation_dropped in f.flags and Flag.low_confidence not in f.flags


def test_points_above_maximum_are_clamped_and_flagged(llm_stub, tmp_path):
    doc = _doc()
    llm_stub.answer({"verdict": "met", "suggested_points": 5, "rationale": "按期答复。",
                     "citations": [{"passage": 4, "quote": "新收政府信息公开申请 ４５ 件，全部按期答复"}]})
    backend = make_backend(_settings(llm_stub), tmp_path)
    inp = ItemInput(item=ITEM, baseline=_baseline(), checks=[], passages=chunks_by_block(doc),
                    ceiling=coverage_ceiling(UNIT))
    (f,) = review_items(backend, [inp], {doc.doc_id: doc}, unit=None, year=None)
    assert f.suggested_points == 2.0 and Flag.needs_human in f.flags


def test_llm_failure_keeps_the_rule_result_and_asks_a_human(llm_stub, tmp_path):
    doc = _doc()
    start = doc.text.index("全部按期答复")
    rule_result = Finding(indicator_id="2.1.2", sub=1, max_points=2.0, verdict=Verdict.met, suggested_points=2.0,
                          source=Source.rule, rationale="45件申请均按期答复。",
                          citations=[Citation(file=doc.file, doc_id=doc.doc_id, start=start, end=start + 6,
                                              quote="全部按期答复")])
    llm_stub.fail(500, times=2)
    backend = make_backend(_settings(llm_stub), tmp_path)
    inp = ItemInput(item=ITEM, baseline=rule_result, checks=[], passages=chunks_by_block(doc))
    (f,) = review_items(backend, [inp], {doc.doc_id: doc}, unit=None, year=None)
    assert (f.verdict, f.suggested_points, f.source) == (Verdict.met, 2.0, Source.rule)
    assert {Flag.llm_error, Flag.needs_human} <= set(f.flags) and "模型评审未完成" in f.rationale
    assert [c.quote for c in f.citations] == ["全部按期答复"]


def test_agreeing_model_corroborates_the_rule(llm_stub, tmp_path):
    doc = _doc()
    rule_result = Finding(indicator_id="2.1.2", sub=1, max_points=2.0, verdict=Verdict.met, suggested_points=2.0,
                          source=Source.rule, rationale="45件申请均按期答复。")
    llm_stub.answer({"verdict": "met", "suggested_points": 2.0, "rationale": "按期答复。",
                     "citations": [{"passage": 4, "quote": "全部按期答复"}]})
    backend = make_backend(_settings(llm_stub), tmp_path)
    inp = ItemInput(item=ITEM, baseline=rule_result, checks=[], passages=chunks_by_block(doc))
    (f,) = review_items(backend, [inp], {doc.doc_id: doc}, unit=None, year=None)
    assert f.source == Source.rule_llm and [c.quote for c in f.citations] == ["全部按期答复"]
    assert not f.flags


def test_offline_path_still_verifies_and_scans(tmp_path):
    doc = _doc()
    bad = Finding(indicator_id="2.1.2", sub=1, max_points=2.0, verdict=Verdict.met, suggested_points=2.0,
                  source=Source.rule, citations=[Citation(file=doc.file, doc_id=doc.doc_id, start=0, end=5,
                                                          quote="不存在的引文内容")])
    inp = ItemInput(item=ITEM, baseline=bad, checks=[], passages=chunks_by_block(doc))
    (f,) = review_items(make_backend(Settings(llm="none"), tmp_path), [inp], {doc.doc_id: doc}, unit=None, year=None)
    assert f.citations == [] and Flag.citation_dropped in f.flags


def test_favourable_opinion_without_verifiable_quotes_is_not_adopted(llm_stub, tmp_path):
    doc = _doc()
    llm_stub.answer({"verdict": "met", "suggested_points": 2.0, "rationale": "均按期答复。",
                     "citations": [{"passage": 4, "quote": "全部申请均在3个工作日内答复完毕"}]})
    backend = make_backend(_settings(llm_stub), tmp_path)
    inp = ItemInput(item=ITEM, baseline=_baseline(), checks=[], passages=chunks_by_block(doc))
    (f,) = review_items(backend, [inp], {doc.doc_id: doc}, unit=None, year=None)
    assert (f.verdict, f.suggested_points, f.source) == (Verdict.insufficient_evidence, 0.0, Source.none)
    assert {Flag.citation_dropped, Flag.needs_human} <= set(f.flags) and f.citations == []
    assert "模型未提供可核实的引文" in f.rationale
