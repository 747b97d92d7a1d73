"""What a browser upload may be called and contain: real files built here, named truly and falsely."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from review.store import DecisionError, check_points
from review.uploads import MAX_NAME_BYTES, content_mismatch, free_name, safe_upload_name
from tests.ingestion.makefiles import make_docx, make_html, make_ofd, make_pdf, make_xlsx


@pytest.mark.parametrize(("sent", "kept"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\Windows\\年报.docx", "年报.docx"),
    ("C:\\Users\\张三\\桌面\\答复书.pdf", "答复书.pdf"),
    ("  .隐藏的台账.xlsx ", "隐藏的台账.xlsx"),
    ('通知<草稿>:"第1版"|?.txt', "通知草稿第1版.txt"),
    ("回车\r\n换行\x00.html", "回车换行.html"),
    ("../..", "未命名文件"),
    ("/.pdf", "未命名文件.pdf"),
])
def test_names_lose_their_path_and_unusable_characters(sent, kept):
    assert safe_upload_name(sent) == kept


def test_long_names_fit_a_file_system_with_room_for_a_suffix():
    name = safe_upload_name("关于" * 200 + ".pdf")
    assert name.endswith(".pdf") and len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert len(free_name(name, {name}).encode("utf-8")) <= 255


def test_a_taken_name_gets_the_first_free_suffix():
    assert free_name("年报.pdf", set()) == "年报.pdf"
    assert free_name("年报.pdf", {"年报.pdf"}) == "年报（2）.pdf"
    assert free_name("年报.pdf", {"年报.pdf", "年报（2）.pdf"}) == "年报（3）.pdf"
    assert free_name("说明", {"说明"}) == "说明（2）"


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buf, "PNG")
    return buf.getvalue()


def test_content_must_be_what_the_extension_says(tmp_path):
    pdf = make_pdf(tmp_path / "a.pdf", ["香河县人民政府2023年政府信息公开工作年度报告"]).read_bytes()
    docx = make_docx(tmp_path / "a.docx", ["答复书"]).read_bytes()
    xlsx = make_xlsx(tmp_path / "a.xlsx", {"台账": [["序号", "事项"], [1, "通报"]]}).read_bytes()
    ofd = make_ofd(tmp_path / "a.ofd", [["通知"]]).read_bytes()
    html = make_html(tmp_path / "a.html", "政策解读", "<p>解读</p>").read_bytes()
    text = "一、总体情况\n本年度新收申请35件。\n".encode()
    # true names
    for data, name in ((pdf, "年报.pdf"), (docx, "答复书.docx"), (xlsx, "台账.xlsx"), (ofd, "通知.ofd"),
                       (html, "解读.html"), (text, "说明.txt"), (_png(), "截图.png"), (b"", "空白.pdf")):
        assert content_mismatch(data, name) is None, name
    # harmless office misnaming: Word and WPS formats, a web page saved as .doc, an HTML table as .xls
    for data, name in ((docx, "答复书.doc"), (docx, "答复书.wps"), (html, "网页另存.doc"), (html, "统计表.xls"),
                       (_png(), "截图.jpg"), (html, "解读.txt")):
        assert content_mismatch(data, name) is None, name
    # content that is not what the name claims: refused, saying both
    refused = {(text, "passwd.pdf"): "扩展名 .pdf 表示PDF文件，实际内容是纯文本",
               (pdf, "答复书.docx"): "扩展名 .docx 表示Word文件，实际内容是PDF",
               (docx, "年报.pdf"): "扩展名 .pdf 表示PDF文件，实际内容是Word（DOCX）",
               (xlsx, "通知.ofd"): "扩展名 .ofd 表示OFD文件，实际内容是Excel（XLSX）",
               (text, "截图.png"): "扩展名 .png 表示图片文件，实际内容是纯文本",
               (pdf, "说明.txt"): "扩展名 .txt 表示文本文件，实际内容是PDF",
               (_png(), "台账.csv"): "扩展名 .csv 表示文本文件，实际内容是图片（PNG）"}
    for (data, name), says in refused.items():
        reason = content_mismatch(data, name)
        assert reason is not None and says in reason and reason.startswith("文件内容与扩展名不符"), (name, reason)
    assert content_mismatch(text, "数据.json") is None  # an extension not listed: ingestion decides


def test_points_must_lie_on_the_step_and_in_range():
    check_points(3.0, 5.0, 0.5)
    check_points(4.9, 5.0, 0.1)
    check_points(0.0, 1.0, 0.5)
    for points, top, step, says in ((3.05, 5.0, 0.5, "须为 0.5 分的整数倍：3.05 不符合，请填写 3.0 或 3.5"),
                                    (4.95, 5.0, 0.1, "须为 0.1 分的整数倍：4.95 不符合，请填写 4.9 或 5.0"),
                                    (5.5, 5.0, 0.5, "复核得分 5.5 超出 0–5.0 分的范围"),
                                    (-0.5, 5.0, 0.5, "超出 0–5.0 分的范围"),
                                    (float("nan"), 5.0, 0.5, "复核得分须为数字")):
        with pytest.raises(DecisionError) as err:
            check_points(points, top, step)
        assert says in str(err.value)
