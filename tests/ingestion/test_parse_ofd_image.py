import struct
import zlib

import pytest

from core.document import BlockKind
from core.settings import Settings
from ingestion.ocr import fix_wenhao_brackets
from ingestion.parse import ParseError, parse_file
from tests.ingestion.checks import assert_spans_exact
from tests.ingestion.makefiles import make_ofd, render_text_image


def test_ofd_text_layer(tmp_path):
    path = make_ofd(tmp_path / "notice.ofd", [
        ["永清县人民政府办公室", "关于做好2023年政务公开工作的通知", "永政办发〔2023〕5号", "各乡镇人民政府："],
        ["一、工作要求", "请认真落实。", "永清县人民政府办公室", "2023年3月1日"],
    ])
    doc = parse_file(path)
    assert_spans_exact(doc)
    assert doc.file_type == "ofd" and doc.pages == 2
    assert "关于做好2023年政务公开工作的通知" in doc.text
    assert doc.page_of(doc.find("一、工作要求").start) == 2
    assert doc.title == "关于做好2023年政务公开工作的通知"
    assert doc.date_of("signing").value.isoformat() == "2023-03-01"


def test_ofd_without_root(tmp_path):
    import zipfile

    path = tmp_path / "bad.ofd"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>")
    with pytest.raises(ParseError, match="OFD"):
        parse_file(path)


@pytest.mark.parametrize(("raw", "fixed"), [
    ("香政办发【2023】12号", "香政办发〔2023〕12号"),
    ("大政函[2024]3号", "大政函〔2024〕3号"),
    ("县政办字（2023）7号", "县政办字〔2023〕7号"),
    ("见附件（2023）说明", "见附件（2023）说明"),  # not a 文号: untouched
])
def test_wenhao_bracket_repair(raw, fixed):
    assert fix_wenhao_brackets(raw) == fixed


@pytest.mark.slow
def test_png_screenshot_ocr(tmp_path):
    path = tmp_path / "shot.png"
    render_text_image(["文安县人民政府办公室关于印发", "文政办发〔2023〕8号", "发布日期：2023年4月6日"], width=560,
                      size=26, path=path)
    doc = parse_file(path)
    assert_spans_exact(doc)
    assert doc.file_type == "png" and doc.ocr_pages == [1]
    assert all(b.kind == BlockKind.caption for b in doc.blocks)
    assert "文政办发〔2023〕8号" in doc.text
    assert doc.date_of("publication").value.isoformat() == "2023-04-06"


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_image_beyond_pixel_limit_refused_before_decoding(tmp_path):
    path = tmp_path / "huge.png"
    path.write_bytes(_png_header(50_000, 50_000))  # 2.5 gigapixels declared in 100 bytes
    with pytest.raises(ParseError, match="图片尺寸过大"):
        parse_file(path)
    small = tmp_path / "s.png"
    render_text_image(["字"], width=200, size=20, path=small)
    with pytest.raises(ParseError, match="ZWGK_MAX_IMAGE_PIXELS"):
        parse_file(small, settings=Settings(max_image_pixels=1000))


@pytest.mark.slow
def test_multipage_tiff_scan(tmp_path):
    first = render_text_image(["大城县人民政府办公室"], width=420, size=28)
    second = render_text_image(["政府信息公开申请答复书"], width=420, size=28)
    path = tmp_path / "scan.tif"
    first.save(path, save_all=True, append_images=[second])
    doc = parse_file(path)
    assert_spans_exact(doc)
    assert doc.file_type == "tiff" and doc.pages == 2 and doc.ocr_pages == [1, 2]
    assert doc.page_of(doc.find("政府信息公开申请答复书").start) == 2


@pytest.mark.slow
def test_table_in_screenshot(tmp_path):
    from tests.ingestion.makefiles import render_table_image

    rows = [["账号名称", "平台", "状态"], ["香河发布", "微信", "正常"]]
    path = tmp_path / "t.png"
    render_table_image("政务新媒体账号", rows, cell_w=220, size=26).save(path)
    doc = parse_file(path)
    assert_spans_exact(doc)
    assert [t.grid() for t in doc.tables()] == [rows]
    assert doc.text.startswith("政务新媒体账号")
