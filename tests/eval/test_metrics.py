"""Metrics on hand-computed examples (every expected figure below was worked out by hand)."""

from __future__ import annotations

import pytest

from core.findings import Verdict
from eval.gold import GoldCase, GoldEvidence, GoldItem
from eval.metrics import (
    ItemPair,
    PredItem,
    citation_matches,
    compute_metrics,
    pair_items,
    quotes_overlap,
    spans_overlap,
    weighted_kappa,
)

M, P, N, IE = Verdict.met, Verdict.partial, Verdict.not_met, Verdict.insufficient_evidence


# ---------------------------------------------------------------- kappa


def test_kappa_on_a_four_class_confusion_matrix():
    # gold\pred   met partial not_met ie
    # met          3     1       0     0
    # partial      0     2       1     0
    # not_met      0     0       1     1
    # ie           0     0       0     1
    gold = [M] * 4 + [P] * 3 + [N] * 2 + [IE]
    pred = [M, M, M, P, P, P, N, N, IE, IE]  # row by row: 3 1 | 2 1 | 1 1 | 1
    # observed weighted disagreement: (0.5 + 0.5 + 1) / 10 = 0.2
    # rows (4, 3, 2, 1), cols (3, 3, 2, 2); expected: (4*5.5 + 3*4.5 + 2*6.5 + 1*8) / 100 = 0.565
    assert weighted_kappa(gold, pred) == pytest.approx(1 - 0.2 / 0.565)
    assert weighted_kappa(gold, pred) == pytest.approx(0.6460177, abs=1e-6)


def test_kappa_with_two_classes_equals_plain_cohen():
    # po = 0.75, pe = 0.5*0.25 + 0.5*0.75 = 0.5 -> (0.75 - 0.5) / 0.5 = 0.5
    assert weighted_kappa([M, M, N, N], [M, N, N, N]) == pytest.approx(0.5)


def test_kappa_weights_adjacent_disagreement_less():
    near = weighted_kappa([M, P, N, M], [P, P, N, M])  # met read as partial
    far = weighted_kappa([M, P, N, M], [N, P, N, M])  # met read as not_met
    assert near > far


def test_kappa_edge_cases():
    assert weighted_kappa([M, P, IE], [M, P, IE]) == pytest.approx(1.0)
    assert weighted_kappa([M, M], [M, M]) is None  # one class only: chance disagreement is 0
    assert weighted_kappa([], []) is None
    with pytest.raises(ValueError):
        weighted_kappa([M], [])


# ---------------------------------------------------------------- overlap


def test_span_overlap_threshold_is_half_of_the_shorter():
    assert spans_overlap((0, 4), (2, 6))  # 2 of 4
    assert not spans_overlap((0, 4), (3, 7))  # 1 of 4
    assert spans_overlap((0, 2), (1, 7))  # 1 of the shorter 2
    assert spans_overlap((2, 4), (0, 10))  # containment
    assert not spans_overlap((0, 4), (4, 8))  # touching only
    assert not spans_overlap((3, 3), (0, 10))  # empty span


TEXT = "甲乙丙丁戊己庚辛"


def test_quote_overlap_in_document():
    assert quotes_overlap("甲乙丙丁", "丙丁戊己", TEXT)
    assert not quotes_overlap("甲乙丙丁", "丁戊己庚", TEXT)
    assert quotes_overlap("乙丙", "甲乙丙丁戊己庚辛", TEXT)
    assert not quotes_overlap("", "甲乙", TEXT)


def test_overlap_normalises_whitespace_and_width():
    text = "本年新收政府信息\n公开申请数量 ５１０ 件"
    assert quotes_overlap("信息公开申请数量510件", "本年新收政府信息公开申请数量 ５１０", text)
    assert quotes_overlap("ＡＢＣ　１２３", "ABC123")


def test_overlap_uses_positions_when_both_quotes_are_located():
    text = "甲乙丙。丁戊己。甲乙丙。"
    # the shared words 甲乙丙 sit at different places: no overlap in the document ...
    assert not quotes_overlap("甲乙丙。丁", "戊己。甲乙丙", text)
    # ... while the text-free fallback (longest common substring, 4 of 5) would accept them
    assert quotes_overlap("甲乙丙。丁", "戊己。甲乙丙")


def test_overlap_falls_back_to_common_substring_when_a_quote_is_not_found():
    text = "本年新收申请12件，上年结转2件。"
    assert quotes_overlap("上年结转3件", "上年结转2件", text)  # 4 shared of 6
    assert not quotes_overlap("结转下年度3件", "上年结转2件", text)  # 2 shared of 6


def test_citation_must_cite_the_same_file():
    texts = {"a.pdf": TEXT, "b.pdf": TEXT}
    assert citation_matches("a.pdf", "甲乙丙", "a.pdf", "乙丙丁", texts)
    assert citation_matches("docs/a.pdf", "甲乙丙", "a.pdf", "乙丙丁", texts)
    assert not citation_matches("b.pdf", "甲乙丙", "a.pdf", "乙丙丁", texts)


# ---------------------------------------------------------------- figures


def _gold(id_: str, sub: int | None, points: float, verdict: Verdict, *quotes: tuple[str, str]) -> GoldItem:
    return GoldItem(id=id_, sub=sub, points=points, verdict=verdict,
                    evidence=[GoldEvidence(file=f, quote=q) for f, q in quotes])


def _pred(id_: str, sub: int | None, points: float, verdict: Verdict, *cites: tuple[str, str]) -> dict:
    return {"id": id_, "sub": sub, "name": "名称", "max_points": 2, "suggested_points": points,
            "verdict": verdict.value, "rationale": "", "source": "rule", "flags": [],
            "citations": [{"file": f, "page": None, "start": 0, "end": 0, "quote": q} for f, q in cites]}


def _example() -> list[ItemPair]:
    text_a = "一、总体情况。本年新收申请12件，上年结转2件。二、主动公开。"
    case_a = GoldCase(case="a", catalog="langfang-2023", unit="甲县人民政府", year=2023, items=[
        _gold("1.1.9", 1, 1.0, M, ("r.pdf", "本年新收申请12件")),
        _gold("1.1.9", 2, 1.0, P, ("r.pdf", "上年结转2件")),
        _gold("1.1.3", None, 0.0, IE),
    ])
    pred_a = [
        _pred("1.1.9", 1, 1.0, M, ("r.pdf", "本年新收申请12件，上年结转"), ("r.pdf", "二、主动公开")),
        _pred("1.1.9", 2, 0.0, N, ("r.pdf", "上年结转3件")),  # not verbatim; overlaps by the fallback
        _pred("5.2.2", None, 4.0, M),  # not in gold: ignored
    ]
    case_b = GoldCase(case="b", catalog="langfang-2023", unit="乙局", year=2023, items=[
        _gold("2.1.2", 1, 2.0, M, ("a.docx", "2023年3月6日收到申请")),
    ])
    pred_b = [_pred("2.1.2", 1, 0.0, IE)]
    return (pair_items(case_a, pred_a, {"r.pdf": text_a}, {"r.pdf": "annual_report"})
            + pair_items(case_b, pred_b, {"a.docx": "答复书正文：本机关于2023年3月6日收到申请。"},
                         {"a.docx": "request_reply"}))


def test_overall_figures():
    m = compute_metrics(_example(), seconds=12.5)
    assert (m["cases"], m["items"], m["missing_items"]) == (2, 4, 1)  # 1.1.3 was not answered
    assert m["verdict_accuracy"] == pytest.approx(2 / 4)
    # O: partial->not_met 0.5, met->ie 1 => 1.5/4; rows (2,1,0,1), cols (1,0,1,2) => E = 11/16
    assert m["verdict_kappa"] == pytest.approx(1 - 0.375 / 0.6875)
    assert m["points_mae"] == pytest.approx((0 + 1 + 0 + 2) / 4)
    assert m["total_abs_error"] == pytest.approx((1 + 2) / 2)
    assert m["citation_precision"] == pytest.approx(2 / 3)
    assert m["citation_recall"] == pytest.approx(2 / 3)
    assert m["citation_verbatim"] == pytest.approx(2 / 3)
    assert m["abstention_rate"] == pytest.approx(2 / 4)  # the missing item counts as abstention
    assert m["seconds"] == 12.5
    assert m["verdict_confusion"]["met"]["insufficient_evidence"] == 1


def test_groups_by_indicator_and_doc_type():
    m = compute_metrics(_example())
    assert list(m["by_indicator"]) == ["1.1.3", "1.1.9", "2.1.2"]
    g = m["by_indicator"]["1.1.9"]
    assert (g["items"], g["verdict_accuracy"], g["points_mae"]) == (2, 0.5, 0.5)
    assert m["by_indicator"]["1.1.3"]["citation_precision"] is None  # no gold evidence, no citations
    # 1.1.3 has no evidence: it belongs to the types of all the case's files
    assert m["by_doc_type"]["annual_report"]["items"] == 3
    assert m["by_doc_type"]["request_reply"]["citation_recall"] == 0.0


def test_empty_denominators_are_none():
    case = GoldCase(case="c", catalog="langfang-2023", unit="丙县", year=2023,
                    items=[_gold("1.1.2", None, 2.0, M)])
    m = compute_metrics(pair_items(case, [_pred("1.1.2", None, 2.0, M)], {}))
    assert m["citation_precision"] is None and m["citation_recall"] is None and m["citation_verbatim"] is None
    assert m["verdict_accuracy"] == 1.0 and m["verdict_kappa"] is None
    assert m["by_doc_type"] == {"unknown": m["by_doc_type"]["unknown"]}


def test_pred_item_reads_the_scorecard_shape():
    item = PredItem.model_validate(_pred("3.1", 2, 1.0, P, ("x.html", "原文链接")))
    assert (item.id, item.sub, item.verdict, item.citations[0].quote) == ("3.1", 2, P, "原文链接")


def test_markdown_report_renders_every_figure():
    from eval.report import render_markdown

    text = render_markdown(compute_metrics(_example(), seconds=12.5))
    assert "判定准确率 | 50.0%" in text
    assert "每项分值平均绝对误差 | 0.75分" in text
    assert "用时 12.5 秒" in text and "助手未给出结论 1 个" in text
    assert "| 符合 | 1 | 0 | 0 | 1 |" in text  # confusion row: met -> met 1, met -> insufficient 1
    assert "| 政府信息公开工作年度报告 | 3 |" in text and "| 1.1.9 | 2 | 50.0% |" in text
    assert "加权kappa | 0.455" in text
