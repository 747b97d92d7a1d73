"""Damaged copies of every format: parse_file returns a Document or raises ParseError, nothing else."""

import random

import pytest

from core.document import Document
from ingestion.parse import ParseError, parse_file
from tests.ingestion.makefiles import H, T, make_docx, make_html, make_ofd, make_pdf, make_xlsx


@pytest.fixture(scope="module")
def originals(tmp_path_factory):
    d = tmp_path_factory.mktemp("orig")
    return [
        make_pdf(d / "a.pdf", [H("一、总体情况"), "正文内容。" * 20, T([["项目", "数量"], ["新收", "3"]])]),
        make_docx(d / "a.docx", [H("标题"), "正文。", T([["a", "b"], ["1", "2"]])]),
        make_xlsx(d / "a.xlsx", {"表": [["序号", "名称"], [1, "甲"]]}),
        make_html(d / "a.html", "标题", "<p>正文</p><table><tr><td>1</td></tr></table>"),
        make_ofd(d / "a.ofd", [["第一行", "第二行"]]),
    ]


def _variants(data: bytes, rng: random.Random) -> list[bytes]:
    out = [data[: rng.randrange(1, len(data))] for _ in range(3)]
    for _ in range(3):
        buf = bytearray(data)
        for _ in range(20):
            buf[rng.randrange(len(buf))] = rng.randrange(256)
        out.append(bytes(buf))
    return out


def test_damaged_files_raise_only_parse_error(originals, tmp_path):
    rng = random.Random(20231)
    outcomes = {"ok": 0, "error": 0}
    for original in originals:
        for i, data in enumerate(_variants(original.read_bytes(), rng)):
            path = tmp_path / f"{i}-{original.name}"
            path.write_bytes(data)
            try:
                doc = parse_file(path)
            except ParseError as exc:
                assert str(exc) and any("\u4e00" <= ch <= "\u9fff" for ch in str(exc)), str(exc)
                outcomes["error"] += 1
            else:
                assert isinstance(doc, Document)
                outcomes["ok"] += 1
    assert outcomes["error"] > 0


def test_damaged_xml_inside_valid_containers(originals, tmp_path):
    """The zip is intact, the XML inside is not: still only ParseError."""
    import io
    import zipfile

    members = {".docx": "word/document.xml", ".xlsx": "xl/worksheets/sheet1.xml",
               ".ofd": "Doc_0/Pages/Page_0/Content.xml"}
    rng = random.Random(7)
    for original in originals:
        member = members.get(original.suffix)
        if member is None:
            continue
        src = zipfile.ZipFile(io.BytesIO(original.read_bytes()))
        for i in range(8):
            xml = bytearray(src.read(member))
            if i % 2:
                xml = xml[: rng.randrange(len(xml))]
            else:
                for _ in range(5):
                    xml[rng.randrange(len(xml))] = rng.choice(b'<>/"=&; x0')
            path = tmp_path / f"x{i}{original.suffix}"
            with zipfile.ZipFile(path, "w") as z:
                for item in src.infolist():
                    z.writestr(item.filename, bytes(xml) if item.filename == member else src.read(item.filename))
            try:
                parse_file(path)
            except ParseError as exc:
                assert "无法解析" not in str(exc), str(exc)  # each format names its own damage
