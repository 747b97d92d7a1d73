"""The materials tab of the real `zwgk serve` in headless Chromium: a material whose type is uncertain is
marked 待确认; choosing a type in the dropdown saves it (workspace), and a restarted server still shows it."""

from __future__ import annotations

import pytest

from core.document import DocType
from ingestion.workspace import Workspace
from tests.ingestion.makefiles import make_html
from tests.review.test_ui_browser import REVIEWER, Server, _choose_unit, _page, browser  # noqa: F401 (fixture)

UNIT = "香河县交通运输局"


@pytest.mark.browser
@pytest.mark.timeout(240)
def test_set_a_material_type_in_the_materials_tab(browser, tmp_path):  # noqa: F811 (the imported fixture)
    from playwright.sync_api import expect

    page_file = make_html(tmp_path / "办事.html", "香河县交通运输局",
                          "<p>现场申请：地址：香河县运河大道18号，办公时间：工作日上午8:30-12:00。</p>"
                          "<p>信函申请：邮寄至香河县运河大道18号，邮编：065400。</p>", nav=False)
    workspace = tmp_path / "ws"
    requests: list[str] = []
    server = Server(workspace, tmp_path / "net.log").start()
    try:
        page = _page(browser, requests)
        page.goto(server.url)
        page.locator("#reviewer input, #reviewer textarea").first.fill(REVIEWER)
        _choose_unit(page, UNIT)
        page.locator("#upload input[type=file]").set_input_files([str(page_file)])
        expect(page.locator("#upload")).to_contain_text("办事", timeout=30_000)
        page.locator("#upload-btn").click()
        expect(page.locator("#upload-msg")).to_contain_text("已处理 1 个文件", timeout=60_000)
        table = page.locator("#materials-table")
        expect(table).to_contain_text("待确认", timeout=30_000)
        page.locator("#material-file input").click()
        page.get_by_role("option", name="办事.html").click()
        page.locator("#material-type input").click()
        page.get_by_role("option", name="政府信息公开指南").click()
        expect(page.locator("#material-msg")).to_contain_text("已人工指定为“政府信息公开指南”", timeout=30_000)
        expect(table).to_contain_text("人工指定")
    finally:
        server.stop()
    with Workspace(workspace) as ws:
        [doc] = ws.documents(UNIT)
        assert doc.doc_type == DocType.disclosure_guide and doc.doc_type_overridden
    server = Server(workspace, tmp_path / "net2.log").start()
    try:
        page = _page(browser, requests)
        page.goto(server.url)
        _choose_unit(page, UNIT)
        expect(page.locator("#materials-table")).to_contain_text("政府信息公开指南", timeout=30_000)
    finally:
        server.stop()
    assert all(u.startswith(("http://127.0.0.1", "data:", "blob:")) for u in requests), requests
