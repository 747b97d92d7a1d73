"""Input limits enforced while reading (ingestion.limits), and no silent loss: each refusal names its
setting, and raising the setting lets the same file through (the limit, not an accident, stops it)."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest

from core.settings import Settings
from ingestion import limits
from ingestion.parse import ParseError, parse_bytes, parse_file
from ingestion.parsers.text import decode_text
from tests.ingestion.makefiles import make_docx
from tests.reliability.hostile import (
    TEXT,
    damaged_gb18030,
    patched_zip_bomb,
    write_big_text,
    write_big_xlsx,
    xxe_docx,
)

OFF = {"ocr": False, "embedding_backend": "none"}


def test_openpyxl_reads_worksheets_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True  # else sheets would be read with entity references dropped


def test_an_xlsx_longer_than_the_row_limit_stops_while_streaming(tmp_path):
    path = write_big_xlsx(tmp_path / "台账.xlsx", 3000)
    with pytest.raises(ParseError, match="ZWGK_MAX_SHEET_ROWS") as info:
        parse_file(path, settings=Settings(max_sheet_rows=500, **OFF))
    assert "台账" in str(info.value)  # names the sheet
    doc = parse_file(path, settings=Settings(max_sheet_rows=5000, **OFF))
    assert "申请人2999" in doc.text


def test_the_cell_limit_counts_the_grid_a_sheet_fills(tmp_path):
    path = write_big_xlsx(tmp_path / "台账.xlsx", 400)  # 400 rows x 3 columns
    with pytest.raises(ParseError, match="ZWGK_MAX_SHEET_CELLS"):
        parse_file(path, settings=Settings(max_sheet_cells=1000, **OFF))
    assert parse_file(path, settings=Settings(max_sheet_cells=1200, **OFF)).pages == 1
    csv = "\n".join(f"{i},申请人{i},2023-03-01" for i in range(400)).encode()
    with pytest.raises(ParseError, match="ZWGK_MAX_SHEET_CELLS"):
        parse_bytes(csv, "台账.csv", settings=Settings(max_sheet_cells=1000, **OFF))
    with pytest.raises(ParseError, match="ZWGK_MAX_SHEET_ROWS"):
        parse_bytes(csv, "台账.csv", settings=Settings(max_sheet_rows=100, **OFF))


def test_a_stray_cell_far_right_does_not_widen_every_row(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for r in range(1, 301):
        ws.append([r, f"申请人{r}"])
    ws["XFD5"] = " "  # formatted blank at the last column: not content
    wb.save(tmp_path / "a.xlsx")
    doc = parse_file(tmp_path / "a.xlsx", settings=Settings(max_sheet_cells=1000, **OFF))
    assert "申请人300" in doc.text


def test_a_zip_member_inflating_past_its_declared_size_is_refused_before_any_library_reads_it(tmp_path):
    path = patched_zip_bomb(tmp_path / "bomb.xlsx", 50)
    with zipfile.ZipFile(path) as z:  # the bomb passes zipfile's own checks (size and CRC patched)
        assert len(z.read("xl/worksheets/sheet1.xml")) == 4096
    with pytest.raises(ParseError, match="超过声明"):
        parse_file(path, settings=Settings(max_unzipped_mb=500, **OFF))


def test_the_inflated_total_is_counted_not_only_the_declared_one():
    docx = make_docx_bytes(["正文" * 10])
    archive = limits.open_zip(docx, "DOCX", Settings(max_unzipped_mb=1))
    assert "word/document.xml" in archive.namelist()
    with pytest.raises(ParseError, match="ZWGK_MAX_UNZIPPED_MB"):
        limits.open_zip(docx, "DOCX", Settings(max_unzipped_mb=0.001))


def make_docx_bytes(paragraphs: list[str]) -> bytes:
    out = io.BytesIO()
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    d.save(out)
    return out.getvalue()


def test_text_longer_than_the_limit_is_refused_in_every_format(tmp_path):
    big = write_big_text(tmp_path / "big.txt", 0.2)  # ~100,000 characters
    with pytest.raises(ParseError, match="ZWGK_MAX_TEXT_CHARS"):
        parse_file(big, settings=Settings(max_text_chars=60_000, **OFF))  # decoded, then refused
    with pytest.raises(ParseError, match="ZWGK_MAX_TEXT_CHARS"):
        parse_file(big, settings=Settings(max_text_chars=20_000, **OFF))  # over 4 bytes a character: unread
    assert parse_file(big, settings=Settings(max_text_chars=200_000, **OFF)).text
    docx = make_docx(tmp_path / "long.docx", [TEXT] * 600)  # ~30,000 characters, laid out by the builder
    with pytest.raises(ParseError, match="ZWGK_MAX_TEXT_CHARS"):
        parse_file(docx, settings=Settings(max_text_chars=10_000, **OFF))
    assert parse_file(docx, settings=Settings(max_text_chars=100_000, **OFF)).text


def test_a_few_bad_bytes_are_replaced_and_reported_by_line():
    doc = parse_bytes(damaged_gb18030(3), "说明.txt", settings=Settings(**OFF))
    assert doc.encoding == "gb18030"
    assert doc.text.count("\ufffd") >= 3 and "第0条" in doc.text and "第11条" in doc.text
    (warning,) = [w for w in doc.warnings if "无法按" in w]
    assert "GB18030" in warning and "第 2、4、6 行" in warning
    n_bad = int(re.search(r"(\d+) 个字节", warning).group(1))
    assert 3 <= n_bad <= 6


def test_utf8_with_one_bad_byte_is_kept_as_utf8():
    data = ("第一行\n" + TEXT + "\n第三行").encode()
    data = data[:20] + b"\xff" + data[20:]
    decoded = decode_text(data)
    assert decoded.encoding == "utf-8" and "第 2 行" in decoded.warning


def test_mostly_garbage_is_still_refused():
    with pytest.raises(ParseError, match="编码"):
        parse_bytes(damaged_gb18030(0)[:200] + b"\xff\x80" * 400, "x.txt", settings=Settings(**OFF))


def test_an_external_entity_in_a_docx_loses_no_text_silently(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("外部机密标记", encoding="utf-8")
    doc = parse_file(xxe_docx(tmp_path / "xxe.docx", secret), settings=Settings(**OFF))
    assert "正文开头之后的文字结尾" in doc.text  # the text around the entity references is kept
    assert "外部机密标记" not in doc.text and "内部实体文字" not in doc.text  # neither entity is expanded
    (warning,) = [w for w in doc.warnings if "XML 实体" in w]
    assert "2 处" in warning and "&xxe;" in warning and "请" in warning


def test_library_errors_reach_the_user_in_chinese_only(tmp_path):
    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<not-a-workbook")
    with pytest.raises(ParseError) as info:
        parse_file(path)
    message = str(info.value)
    assert "XLSX" in message and "请" in message
    assert not re.search(r"Error|Exception|Traceback|could not|invalid", message)


def test_opening_a_workbook_does_not_scan_the_whole_sheet(tmp_path, monkeypatch):
    """openpyxl's read-only sheet parses a sheet without <dimension> to its end on opening (half a
    minute for 1,048,576 rows, before any row limit applies); ours skips that scan."""
    from openpyxl.worksheet._reader import WorkSheetParser

    from ingestion.parsers.sheet import _load_workbook

    def scan(_self):
        raise AssertionError("the whole sheet was scanned for its dimensions")

    monkeypatch.setattr(WorkSheetParser, "parse_dimensions", scan)
    wb = _load_workbook(write_big_xlsx(tmp_path / "a.xlsx", 50).read_bytes())
    assert [c.value for c in next(wb.worksheets[0].iter_rows())] == [1, "申请人1", "2023-03-01"]
    wb.close()
