from core.textnorm import find_normalized, normalize, normalize_with_map, split_outside_brackets
from tests.docbuilder import DocBuilder


def test_width_and_whitespace_folding():
    assert normalize("ＡＢＣ　１２３\n") == "ABC123"
    # Kangxi radical U+2F08 (⼈) folds to 人, as real PDFs encode it
    assert normalize("\u2f08民政府") == "人民政府"


def test_find_maps_back_to_original_offsets():
    text = "本年新收政府信息\n公开申请数量 ５１０ 件"
    nt = normalize_with_map(text)
    span = find_normalized(nt, "信息公开申请数量510")
    assert span is not None
    start, end = span
    assert text[start:end] == "信息\n公开申请数量 ５１０"
    assert find_normalized(nt, "不存在的文字") is None


def test_nearest_occurrence_wins():
    text = "甲乙丙。甲乙丙。甲乙丙。"
    nt = normalize_with_map(text)
    assert find_normalized(nt, "甲乙丙", near=9) == (8, 11)


def test_docbuilder_spans_are_exact():
    doc = (DocBuilder("a.txt").heading("一、总体情况").para("本年度共收到申请12件。")
           .table([["项目", "数量"], ["新收", "12"]]).build())
    for b in doc.blocks:
        assert doc.text[b.start:b.end].strip()
    table = doc.tables()[0]
    for cell in table.cells:
        assert doc.text[cell.start:cell.end] == cell.text
    assert doc.find("收到申请12件").start == doc.text.index("收到申请")


def test_split_outside_brackets():
    assert split_outside_brackets("各乡镇（区、办）、各部门", "、") == ["各乡镇（区、办）", "各部门"]
    assert split_outside_brackets(" 甲局，乙局;; 丙局 ", "，;") == ["甲局", "乙局", "丙局"]
    # other bracket kinds only when named; an unclosed bracket keeps the rest whole
    assert split_outside_brackets("【甲、乙】、丙", "、") == ["【甲", "乙】", "丙"]
    assert split_outside_brackets("【甲、乙】、丙", "、", opening="【", closing="】") == ["【甲、乙】", "丙"]
    assert split_outside_brackets("甲（乙、丙", "、") == ["甲（乙、丙"]
    # a stray closing bracket opens nothing: the next bracket still encloses its separators
    assert split_outside_brackets("甲）乙、丙（丁、戊）", "、") == ["甲）乙", "丙（丁、戊）"]
