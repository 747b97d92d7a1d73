"""Citation verification: only verbatim quotes survive, with offsets recomputed from the source."""

from __future__ import annotations

from assistant.citations import resolve_passage_quotes, verify_citation, verify_finding
from assistant.llm.schemas import PassageQuote
from core.document import DocType
from core.findings import Citation, Finding, Flag, Verdict
from tests.assistant.helpers import chunks_by_block
from tests.docbuilder import DocBuilder


def report():
    return (
        DocBuilder("香河县2023年政府信息公开工作年度报告.pdf", DocType.annual_report, unit="香河县人民政府", year=2023)
        .heading("一、总体情况")
        .para("2023年，香河县人民政府坚持以人民为中心，全年主动公开政府信息1234条。")
        .new_page()
        .heading("二、主动公开政府信息情况")
        .para("本年新收政府信息\n公开申请数量 ５１０ 件，办结５０８件。")
        .para("全年共召开新闻发布会12场，主要负责人解读政策3次。")
        .build()
    )


def test_invented_quote_dropped_and_flagged():
    doc = report()
    passages = chunks_by_block(doc)
    out = resolve_passage_quotes(
        [PassageQuote(passage=2, quote="全年主动公开政府信息1234条"),
         PassageQuote(passage=2, quote="全年主动公开政府信息9999条"),  # invented figure
         PassageQuote(passage=9, quote="全年共召开新闻发布会12场")],  # no passage [9]
        passages, {doc.doc_id: doc},
    )
    assert [c.quote for c in out.citations] == ["全年主动公开政府信息1234条"]
    assert [d.reason for d in out.dropped] == ["引文在原文中未找到", "材料编号[9]不存在"]
    finding = out.apply_to(Finding(indicator_id="1.1.9", max_points=2, verdict=Verdict.met, suggested_points=2))
    assert Flag.citation_dropped in finding.flags


def test_offsets_recomputed_and_width_whitespace_variants_accepted():
    doc = report()
    passages = chunks_by_block(doc)
    # the model writes half-width digits and drops the PDF line break; the source has both
    out = resolve_passage_quotes([PassageQuote(passage=4, quote="本年新收政府信息公开申请数量510件")],
                                 passages, {doc.doc_id: doc})
    (c,) = out.citations
    assert doc.text[c.start:c.end] == c.quote == "本年新收政府信息\n公开申请数量 ５１０ 件"
    assert c.page == 2 and c.file == doc.file and c.doc_id == doc.doc_id
    assert not out.dropped


def test_quote_from_another_passage_of_the_same_document_is_found_near_the_cited_one():
    doc = report()
    passages = chunks_by_block(doc)
    out = resolve_passage_quotes([PassageQuote(passage=1, quote="主要负责人解读政策3次")], passages, {doc.doc_id: doc})
    assert out.citations[0].start == doc.text.index("主要负责人解读政策3次")


def test_too_short_quotes_prove_nothing():
    doc = report()
    out = resolve_passage_quotes([PassageQuote(passage=2, quote="政府")], chunks_by_block(doc), {doc.doc_id: doc})
    assert not out.citations and out.dropped[0].reason.startswith("引文过短")


def test_verify_citation_generic_for_rule_citations():
    doc = report()
    start = doc.text.index("办结５０８件")
    exact = Citation(file=doc.file, doc_id=doc.doc_id, start=start, end=start + 6, quote="办结５０８件")
    assert verify_citation(exact, doc) == Citation(
        file=doc.file, doc_id=doc.doc_id, page=2, start=start, end=start + 6, quote="办结５０８件"
    )
    stale = exact.model_copy(update={"start": 0, "end": 6, "quote": "办结508件"})  # offsets wrong, quote right
    assert (verify_citation(stale, doc).start, verify_citation(stale, doc).quote) == (start, "办结５０８件")
    assert verify_citation(exact.model_copy(update={"quote": "办结600件"}), doc) is None
    assert verify_citation(exact.model_copy(update={"doc_id": "other"}), doc) is None


def test_verify_finding_keeps_only_verified_citations():
    doc = report()
    start = doc.text.index("新闻发布会12场")
    finding = Finding(
        indicator_id="1.1.7", max_points=3, verdict=Verdict.met, suggested_points=3,
        citations=[Citation(file=doc.file, doc_id=doc.doc_id, start=start, end=start + 8, quote="新闻发布会12场"),
                   Citation(file=doc.file, doc_id=doc.doc_id, start=start, end=start + 8, quote="新闻发布会20场"),
                   Citation(file="不存在.pdf", start=0, end=4, quote="新闻发布会12场")],
    )
    checked = verify_finding(finding, {doc.doc_id: doc})
    assert [c.quote for c in checked.citations] == ["新闻发布会12场"]
    assert Flag.citation_dropped in checked.flags
    assert finding.flags == []  # the input is not modified


def test_exact_short_span_is_kept_but_a_searched_short_quote_is_not():
    from assistant.citations import verify_citation
    from core.findings import Citation
    from tests.docbuilder import DocBuilder

    doc = DocBuilder("r.pdf").table([["项目", "自然人"], ["本年新收", "0"]]).build()
    cell = doc.tables()[0].cells[-1]
    exact = Citation(file="r.pdf", doc_id=doc.doc_id, start=cell.start, end=cell.end, quote="0")
    assert verify_citation(exact, doc) is not None
    shifted = exact.model_copy(update={"start": 0, "end": 1})
    assert verify_citation(shifted, doc) is None


def test_the_same_span_is_cited_once_whichever_way_it_was_quoted():
    """One key for duplicates: the model quoting a span with other widths/spaces, from two passages
    of the same document, and a rule citing the same span end up as one citation."""
    doc = report()
    out = resolve_passage_quotes([PassageQuote(passage=4, quote="本年新收政府信息公开申请数量510件"),
                                  PassageQuote(passage=3, quote="本年新收政府信息 公开申请数量５１０件")],
                                 chunks_by_block(doc), {doc.doc_id: doc})
    assert len(out.citations) == 1 and not out.dropped
    (c,) = out.citations
    rule = Citation(file=doc.file, doc_id=doc.doc_id, start=c.start, end=c.end, quote=doc.text[c.start:c.end])
    merged = verify_finding(Finding(indicator_id="1.1.9", max_points=2, verdict=Verdict.met, suggested_points=2,
                                    citations=[rule, c, rule]), {doc.doc_id: doc})
    assert merged.citations == [c]
