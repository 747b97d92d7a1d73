"""Chunking respects headings, sentence ends, table headers, size bounds; ids are stable."""

from __future__ import annotations

import itertools

from core.document import BlockKind, DocType
from ingestion.chunking import MAX_CHARS, chunk_document
from tests.docbuilder import DocBuilder

SENTENCE = "香河县人民政府办公室按照政务公开工作要点要求，及时更新政府信息公开指南和公开目录，做到应公开尽公开。"


def _report(paragraphs: int = 2, repeat: int = 3):
    b = DocBuilder("香河县2023年政府信息公开工作年度报告.pdf", DocType.annual_report, unit="香河县", year=2023)
    b.heading("一、总体情况", level=1)
    b.heading("（一）主动公开", level=2)
    for _ in range(paragraphs):
        b.para(SENTENCE * repeat)
    b.heading("（二）依申请公开", level=2)
    b.para("2023年共收到政府信息公开申请35件，均在法定期限内予以答复。")
    b.new_page()
    b.heading("二、存在的主要问题及改进情况", level=1)
    b.para("政策解读形式较为单一。下一步将丰富图解、视频等解读形式。")
    return b.build()


def test_chunks_follow_headings_and_carry_metadata():
    doc = _report()
    chunks = chunk_document(doc)
    for c in chunks:
        assert c.text == doc.text[c.start : c.end]
        assert (c.unit, c.year, c.doc_type, c.file, c.doc_id) == ("香河县", 2023, DocType.annual_report, doc.file,
                                                                doc.doc_id)
    by_heading = {c.heading: c for c in chunks}
    assert "一、总体情况 > （二）依申请公开" in by_heading
    reply = by_heading["一、总体情况 > （二）依申请公开"]
    assert reply.text.startswith("（二）依申请公开") and "35件" in reply.text
    assert "主动公开" not in reply.text.replace("（二）依申请公开", "")  # no mixing of sections
    last = by_heading["二、存在的主要问题及改进情况"]
    assert last.page == 2 and "图解" in last.text
    assert all(c.page == 1 for c in chunks if c is not last)


def test_long_paragraph_splits_at_sentence_ends_with_overlap_and_bounded_size():
    doc = _report(paragraphs=1, repeat=25)  # one paragraph of ~1,250 chars
    section = [c for c in chunk_document(doc) if c.heading == "一、总体情况 > （一）主动公开"]
    assert len(section) >= 3
    for c in section:
        assert len(c.text) <= MAX_CHARS
        assert c.text.rstrip().endswith("。")
    for a, b in itertools.pairwise(section):
        assert b.start < a.end, "consecutive chunks of one section overlap"
        assert a.end - b.start <= 120


def test_paragraph_ends_are_preferred_boundaries():
    doc = _report(paragraphs=6, repeat=4)  # six paragraphs of ~200 chars
    section = [c for c in chunk_document(doc) if c.heading == "一、总体情况 > （一）主动公开"]
    paragraph_ends = {bl.end for bl in doc.blocks}
    assert len(section) >= 2
    assert all(c.end in paragraph_ends for c in section)


def test_overlong_sentence_is_cut_at_commas():
    b = DocBuilder("长句.txt")
    b.para("，".join(f"第{i}项工作已经按照要求完成并在政府网站公开" for i in range(60)) + "。")
    chunks = chunk_document(b.build())
    assert len(chunks) >= 3
    assert all(len(c.text) <= MAX_CHARS for c in chunks)
    assert all(c.text.endswith(("，", "。")) for c in chunks)


def test_big_table_split_by_rows_repeats_header_and_points_at_real_rows():
    b = DocBuilder("台账.xlsx", DocType.ledger, unit="大城县", year=2023)
    b.heading("依申请公开台账")
    header = ["序号", "申请人", "申请内容", "收到日期", "答复日期", "答复类型"]
    rows = [[str(i), f"申请人{i}", f"关于第{i}号地块征收补偿安置方案的信息", "2023-03-01", "2023-03-20", "予以公开"]
            for i in range(1, 41)]
    b.table([header, *rows])
    doc = b.build()
    table_block = next(bl for bl in doc.blocks if bl.kind == BlockKind.table)
    chunks = [c for c in chunk_document(doc) if c.kind == BlockKind.table]
    assert len(chunks) >= 3
    header_text = " | ".join(header)
    seen_rows: set[str] = set()
    for c in chunks:
        assert len(c.text) <= MAX_CHARS
        assert header_text in c.text
        assert table_block.start - len("依申请公开台账\n") <= c.start < c.end <= table_block.end
        for line in c.text.splitlines():
            if line.startswith(tuple(f"{i} |" for i in range(1, 41))):
                row_no = line.split(" | ")[0]
                seen_rows.add(row_no)
                assert f"关于第{row_no}号地块" in doc.text[c.start : c.end], "span covers the rows it shows"
    assert seen_rows == {str(i) for i in range(1, 41)}
    assert chunks[0].text.startswith("依申请公开台账"), "the heading before a table stays with it"
    assert all(c.heading == "依申请公开台账" for c in chunks)


def test_chunk_ids_are_stable_and_content_addressed():
    a, b = chunk_document(_report()), chunk_document(_report())
    assert [c.chunk_id for c in a] == [c.chunk_id for c in b]
    assert len({c.chunk_id for c in a}) == len(a)
    assert all(c.chunk_id.startswith(a[0].doc_id) for c in a)


def test_document_without_blocks_is_chunked_as_text():
    from core.document import Document

    doc = Document(doc_id="d" * 32, file="x.txt", file_type="txt", text=("这是一句话。" * 200))
    chunks = chunk_document(doc)
    assert len(chunks) >= 2 and all(len(c.text) <= MAX_CHARS for c in chunks)
    assert chunks[0].start == 0 and chunks[-1].end == len(doc.text)


def test_text_outside_blocks_is_still_chunked():
    doc = _report()
    first = doc.blocks[0]
    doc = doc.model_copy(update={"text": "未标注结构的前言文字。\n" + doc.text, "blocks": [
        b.model_copy(update={"start": b.start + 12, "end": b.end + 12}) for b in doc.blocks if b is not first]})
    text = "".join(c.text for c in chunk_document(doc))
    assert "未标注结构的前言文字。" in text and "一、总体情况" in text
