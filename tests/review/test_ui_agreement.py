"""The 一致性 tab of the real `zwgk serve` in headless Chromium: it shows the agreement of a reviewed unit
and where its overrides are; marking an override 规则有误 needs a note (the refusal stays next to the
control), is saved and audited under the reviewer's name, and lands in the work list."""

from __future__ import annotations

import shutil

import pytest

from review.present import key_of
from review.service import ReviewService
from review.store import Action
from tests.review.test_agreement import UNIT, screened  # noqa: F401 (fixture)
from tests.review.test_ui_browser import (  # noqa: F401 (fixture)
    REVIEWER,
    Server,
    _choose_unit,
    _open_tab,
    _page,
    _shot,
    browser,
)

REASON = "办公时间写在页脚，核对后认定齐全"
NOTE = "机构信息规则未读页面页脚"


@pytest.mark.browser
@pytest.mark.timeout(240)
def test_agreement_tab_and_rule_error_mark(browser, screened, tmp_path):  # noqa: F811 (the imported fixtures)
    from playwright.sync_api import expect

    workspace = tmp_path / "ws"
    shutil.copytree(screened, workspace)
    service = ReviewService(workspace)
    try:
        items = service.scorecard(UNIT).items
        target = next(i for i in items if i.verdict != "met" and i.max_points >= 1)
        for item in items:
            if item is target:
                service.decide(UNIT, key_of(item), Action.override, reviewer="李四", expected_version=0,
                               points=item.max_points, reason=REASON)
            else:
                service.decide(UNIT, key_of(item), Action.confirm, reviewer="李四", expected_version=0)
    finally:
        service.close()

    requests: list[str] = []
    server = Server(workspace, tmp_path / "net.log").start()
    try:
        page = _page(browser, requests)
        page.goto(server.url)
        page.locator("#reviewer input, #reviewer textarea").first.fill(REVIEWER)
        _choose_unit(page, UNIT)
        _open_tab(page, "一致性")
        expect(page.locator("#agreement-summary")).to_contain_text(f"{len(items)} 项已复核", timeout=30_000)
        expect(page.locator("#agreement-units")).to_contain_text(f"{len(items)}/{len(items)}")
        expect(page.locator("#agreement-clusters")).to_contain_text(target.label)
        expect(page.locator("#agreement-clusters")).to_contain_text(REASON)

        page.locator("#rule-item input").click()
        page.get_by_role("option").filter(has_text=target.label).first.click()
        expect(page.locator("#rule-info")).to_contain_text(REASON)
        page.locator("#rule-mark").click()  # no note yet: refused next to the control
        expect(page.locator("#rule-msg")).to_contain_text("未保存：标记“规则有误”须填写说明")
        expect(page.locator("#agreement-summary")).to_contain_text(f"{len(items)} 项已复核")  # page intact
        page.locator("#rule-note textarea").fill(NOTE)
        page.locator("#rule-mark").click()
        expect(page.locator("#rule-msg")).to_contain_text("已标记“规则有误”")
        expect(page.locator("#rule-list")).to_contain_text(NOTE)
        expect(page.locator("#rule-list")).to_contain_text(target.label)
        _shot(page, "agreement")
    finally:
        server.stop()

    service = ReviewService(workspace)
    try:
        d = service.decisions(UNIT)[key_of(target)]
        assert (d.status, d.rule_error, d.rule_note, d.reviewer) == ("overridden", True, NOTE, REVIEWER)
        entry = service.history(UNIT, key_of(target))[-1]
        assert (entry.action, entry.reviewer, entry.reason) == (Action.rule_error, REVIEWER, NOTE)
    finally:
        service.close()
    assert all(u.startswith(("http://127.0.0.1", "data:", "blob:")) for u in requests), requests
