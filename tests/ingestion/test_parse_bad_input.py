"""Bad input never crashes: each case raises ParseError with a Chinese message naming the problem."""

import shutil

import pytest

from core.document import DocType
from core.settings import Settings
from ingestion.parse import ParseError, parse_bytes, parse_file
from ingestion.sniff import OLE2_MAGIC, sniff
from tests.ingestion.makefiles import make_docx, make_pdf


def test_zero_byte_file(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(ParseError, match="0 字节"):
        parse_file(path)


def test_missing_file(tmp_path):
    with pytest.raises(ParseError, match="无法读取文件"):
        parse_file(tmp_path / "nope.pdf")


def test_file_bigger_than_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes("政务公开".encode() * 200_000)  # 2.4 MB
    with pytest.raises(ParseError, match="ZWGK_MAX_FILE_MB"):
        parse_file(path, settings=Settings(max_file_mb=1))


def test_pdf_named_docx_is_parsed_as_pdf_with_warning(tmp_path):
    pdf = make_pdf(tmp_path / "a.pdf", ["大城县人民政府关于政务公开工作的通知"])
    wrong = tmp_path / "a.docx"
    wrong.write_bytes(pdf.read_bytes())
    doc = parse_file(wrong)
    assert doc.file_type == "pdf"
    assert "大城县人民政府关于政务公开工作的通知" in doc.text
    assert any(".docx" in w and "PDF" in w for w in doc.warnings)


def test_docx_named_txt_is_docx(tmp_path):
    src = make_docx(tmp_path / "a.docx", ["正文内容"])
    renamed = tmp_path / "a.txt"
    renamed.write_bytes(src.read_bytes())
    doc = parse_file(renamed)
    assert doc.file_type == "docx" and doc.text.strip() == "正文内容"


def test_legacy_doc_without_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice reachable
    path = tmp_path / "old.doc"
    path.write_bytes(OLE2_MAGIC + b"\0" * 504 + "WordDocument".encode("utf-16-le") + b"\0" * 1000)
    assert sniff(path.read_bytes(), "doc") == "doc"
    with pytest.raises(ParseError, match=r"旧版 Word/WPS 文件需要安装 LibreOffice（apt-get install libreoffice-writer-nogui）"):
        parse_file(path)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_legacy_doc_with_libreoffice(tmp_path):
    import subprocess

    src = make_docx(tmp_path / "src.docx", ["香河县人民政府关于政务公开的通知", "一、总体要求"])
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/p", "--headless", "--convert-to", "doc",
                    "--outdir", str(tmp_path / "o"), str(src)], check=True, capture_output=True, timeout=120)
    doc = parse_file(tmp_path / "o" / "src.doc")
    assert doc.file_type == "doc" and "一、总体要求" in doc.text
    assert any("LibreOffice" in w for w in doc.warnings)


def test_unknown_zip(tmp_path):
    import zipfile

    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("x.txt", "内容")
    with pytest.raises(ParseError, match="压缩包"):
        parse_file(path)


def test_unexpected_exception_is_wrapped(tmp_path):
    # an HTML table whose rowspan is absurd is clamped; a damaged xlsx inside a valid zip is wrapped
    import zipfile

    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<not-a-workbook")
    with pytest.raises(ParseError) as info:
        parse_file(path)
    assert "XLSX" in str(info.value) or "无法解析" in str(info.value)


def test_doc_type_override():
    doc = parse_bytes("关于某事项的说明\n正文。".encode(), "a.txt", doc_type=DocType.policy_document)
    assert doc.doc_type == DocType.policy_document and doc.doc_type_overridden


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_legacy_xls_with_libreoffice(tmp_path):
    import subprocess

    from tests.ingestion.makefiles import make_xlsx

    src = make_xlsx(tmp_path / "src.xlsx", {"台账": [["序号", "申请人", "收到日期"], [1, "张三", "2023-09-28"]]})
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/p", "--headless", "--convert-to", "xls",
                    "--outdir", str(tmp_path / "o"), str(src)], check=True, capture_output=True, timeout=120)
    doc = parse_file(tmp_path / "o" / "src.xls")
    assert doc.file_type == "xls" and doc.doc_type == DocType.ledger
    assert doc.tables()[0].grid()[1] == ["1", "张三", "2023-09-28"]


def test_content_sniffing_table():
    import io

    from tests.ingestion.makefiles import render_text_image

    png = io.BytesIO()
    render_text_image(["字"], width=40, size=20).save(png, format="PNG")
    cases = {
        b"%PDF-1.7\n...": "pdf",
        OLE2_MAGIC + "Workbook".encode("utf-16-le"): "xls",
        png.getvalue(): "png",
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00": "jpg",
        "<!DOCTYPE html><html><body>正文</body></html>".encode(): "html",
        '<div class="c"><p>正文</p><p>二</p></div>'.encode(): "html",
        "<正文>不是标签".encode(): "txt",
        "序号,名称\n1,甲\n2,乙\n".encode("gbk"): "csv",
        "一、总体情况\n正文。".encode(): "txt",
        b"MIME-Version: 1.0\nContent-Type: multipart/related; boundary=x\n\n--x\n": "mht",
    }
    for data, kind in cases.items():
        assert sniff(data, "") == kind, (data[:20], kind)
