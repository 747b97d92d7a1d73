"""End to end: the real `zwgk serve` driven by Debian's headless Chromium through Playwright.

1. A reviewer's day: `make demo`'s script screens the three demo units into a workspace, `zwgk serve`
   opens it, and one unit is reviewed to the last of its 63 items in the queue (bulk confirm, one
   override, Enter for the rest), counting every click, key and field filled; a failing save is
   injected on the way (the page keeps its table and panel and says why in Chinese); the header, 总览,
   the score sheet, the summary and the Word findings then show one total.
2. Upload (a safe name, both files kept on a same name, a false type refused), pre-screen, open a
   citation (the viewer marks the passage), comment, override with a reason, a second reviewer's stale
   save, reload and restart (decisions persist).
Neither the page nor the server reaches beyond loopback. Screenshots go to docs/screenshots/ for docs/ui.md.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import openpyxl
import pytest

from assistant.checkpoints import CheckpointStore

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "samples" / "demo" / "香河县人民政府"
# Screenshots go to docs/screenshots/ only when asked (ZWGK_UPDATE_SCREENSHOTS=1), so a test run
# leaves the work tree clean; otherwise to a temporary folder.
SHOTS = (ROOT / "docs" / "screenshots" if os.environ.get("ZWGK_UPDATE_SCREENSHOTS") == "1"
         else Path(tempfile.mkdtemp(prefix="zwgk-shots-")))
UNIT = "香河县人民政府"
UNIT2 = "大城县人民政府"
DEMO2 = ROOT / "samples" / "demo" / UNIT2
DEMO2_FILES = ["大城县2023年政府信息公开工作年度报告.docx", "大政办依复〔2023〕5号答复书.pdf",
               "2023年网民纠错和留言办理台账.xlsx"]
REVIEWER = "张三"
REASON = "年报第二页所列数量与台账不一致，酌情扣分"
COMMENT = "已电话核实原件"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DEMO_FILES = ["香河县人民政府2023年政府信息公开工作年度报告.pdf", "香政发〔2023〕5号.pdf",
              "香政办依复〔2023〕8号答复书.docx", "政策解读-青年就业创业若干措施.html",
              "2023年政府网站通报和督办卡台账.xlsx"]

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python -m zwgk serve` (through the network-audit and fault-injection wrapper) in a subprocess.
    `fail_saves`: while that file exists, decision saves fail as a locked database would."""

    def __init__(self, workspace: Path, netlog: Path, env: dict[str, str] | None = None, host: str = "127.0.0.1",
                 fail_saves: Path | None = None):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("ZWGK_", "GRADIO_", "HF_"))}
        self.env.update({"ZWGK_NETAUDIT_LOG": str(netlog), **(env or {})})
        if fail_saves is not None:
            self.env["ZWGK_TEST_FAIL_SAVES"] = str(fail_saves)
        self.cmd = [sys.executable, "-m", "tests.review.faultserve", "serve", "--workspace", str(workspace),
                    "--host", host, "--port", str(self.port)]
        self.proc: subprocess.Popen | None = None
        self.log = netlog.with_name(f"serve-{self.port}.log")  # the server's stdout and stderr

    def start(self) -> Server:
        with self.log.open("w", encoding="utf-8") as out:
            self.proc = subprocess.Popen(self.cmd, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited {self.proc.returncode}: {self.log.read_text()}")
            try:
                with urllib.request.urlopen(self.url, timeout=2) as r:
                    if r.status in (200, 401):
                        return self
            except OSError:
                time.sleep(0.3)
        raise AssertionError("server did not start within 60 s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope="module")
def browser():
    # outside CI a missing browser is a skip that says why; in CI the browser test must run
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} missing in CI: scripts/setup.sh installs Debian's chromium")
        pytest.skip(f"Debian chromium is not installed ({CHROMIUM})")
    from playwright import sync_api  # pinned in requirements.lock: a missing module is an install error
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _page(browser, requests: list[str]):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.set_default_timeout(30_000)
    return page


def _choose_unit(page, unit: str) -> None:
    box = page.locator("#unit input")
    box.click()
    box.fill(unit)
    box.press("Enter")


def _open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def _row_cell(page, label: str):
    return page.locator("#scorecard-table").get_by_text(label, exact=True).first


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _results(workspace: Path) -> dict[str, list[dict]]:
    """Every unit's current result, as the pre-screening stored it (docs/workspace.md)."""
    store = CheckpointStore(workspace / "screen.db")
    try:
        return {u: [f.model_dump(mode="json") for f in store.result(u, "langfang-2023")[1]]
                for u in store.result_units("langfang-2023")}
    finally:
        store.close()


def _pick_items(workspace: Path, unit: str) -> tuple[dict, dict]:
    """From the real pre-screening output: an item citing a PDF page, and another item with points to change."""
    findings = _results(workspace)[unit]
    pdf_item = next(f for f in findings
                    if any(c["file"].endswith(".pdf") and c.get("page") and len(c["quote"]) >= 8
                           for c in f["citations"]))
    other = next(f for f in findings if f is not pdf_item and f["max_points"] >= 2)
    return pdf_item, other


def _label(f: dict) -> str:
    return f["indicator_id"] + (f"（{f['sub']}）" if f["sub"] is not None else "")


class Actions:
    """What the reviewer does, counted: every click, every key pressed, every field filled."""

    def __init__(self, page):
        self.page, self.count, self.seconds = page, 0, []

    def click(self, locator) -> None:
        self.count += 1
        locator.click()

    def fill(self, locator, text: str) -> None:
        self.count += 1
        locator.fill(text)

    def press(self, key: str) -> None:
        self.count += 1
        self.page.keyboard.press(key)


def _on_grid(top: float, step: float, avoid: float) -> float:
    """A value of the item's step grid in 0..top other than `avoid` (the highest one)."""
    n = round(top / step)
    return next(round(k * step, 1) for k in range(n, -1, -1) if abs(k * step - avoid) > 1e-9)


def _current_label(page) -> str:
    return page.locator("#item h3").inner_text().split()[0]


def _totals_reviewed(text: str) -> float:
    """The 合计 row of the scorecard header: 满分, 建议得分, 复核后得分."""
    row = next(line for line in text.splitlines() if line.startswith("合计"))
    return float(row.split()[-1])


@pytest.mark.browser
@pytest.mark.timeout(600)
def test_a_demo_unit_reviewed_in_the_queue(browser, tmp_path):
    """`make demo`, then `make serve`: one demo unit reviewed to the end with <= 70 actions, one total everywhere."""
    from playwright.sync_api import expect

    from indicators.catalog import load_catalog

    workspace, netlog, fail = tmp_path / "ws", tmp_path / "net.log", tmp_path / "fail-saves"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZWGK_", "GRADIO_", "HF_"))}
    started = time.perf_counter()
    demo = subprocess.run(["bash", "scripts/demo.sh"], cwd=ROOT, capture_output=True, text=True, timeout=420,
                          env={**env, "WS": str(workspace), "OUT": str(tmp_path / "out")})
    demo_seconds = time.perf_counter() - started
    assert demo.returncode == 0, demo.stderr[-3000:]
    last = demo.stderr.strip().splitlines()[-1]
    assert last == (f"复核：运行 make serve WS={workspace} 后在浏览器打开 http://127.0.0.1:7860/ ，"
                    "3 个样例单位已在“评分表”中等待复核。")
    results = _results(workspace)
    assert sorted(results) == sorted(p.name for p in (ROOT / "samples" / "demo").iterdir() if p.is_dir())
    findings = {_label(f): f for f in results[UNIT]}
    catalog = load_catalog("langfang-2023")
    n_items = len(findings)
    requests: list[str] = []
    server = Server(workspace, netlog, fail_saves=fail).start()
    try:
        page = _page(browser, requests)
        page.goto(server.url)
        act = Actions(page)
        act.fill(page.locator("#reviewer input, #reviewer textarea").first, REVIEWER)
        act.click(page.locator("#unit input"))  # the three demo units wait in the list
        for unit in results:
            expect(page.get_by_role("option", name=unit, exact=True)).to_be_visible()
        act.click(page.get_by_role("option", name=UNIT, exact=True))
        act.click(page.get_by_role("tab", name="评分表"))
        progress = page.locator("#progress")
        expect(progress).to_contain_text(f"已审 0/{n_items}，剩余 {n_items}")
        first = _current_label(page)
        assert first == next(iter(findings))  # the queue opens on the first unreviewed item

        # --- bulk: the dialog lists what it will confirm; each is audited like a single confirm ---------
        act.click(page.locator("#bulk-btn"))
        dialog = page.locator("#bulk-dialog")
        expect(dialog).to_be_visible()
        listed = re.search(r"将按建议得分确认以下 (\d+) 项", dialog.inner_text())
        assert listed, dialog.inner_text()
        n_bulk = int(listed.group(1))
        bulk_labels = [lab for lab in findings if re.search(rf"\b{re.escape(lab)}\s", dialog.inner_text())]
        assert len(bulk_labels) == n_bulk >= 3
        _shot(page, "bulk")
        act.click(page.locator("#bulk-ok"))
        expect(page.locator("#queue-msg")).to_contain_text(f"已批量确认 {n_bulk} 项")
        expect(dialog).to_be_hidden()
        expect(progress).to_contain_text(f"已审 {n_bulk}/{n_items}")

        # --- one override: first off the catalog's step (refused, nothing saved), then on it ------------
        label = _current_label(page)
        item = findings[label]
        step = catalog.unit(item["indicator_id"], item["sub"]).step
        points = _on_grid(item["max_points"], step, item["suggested_points"])
        off = round(min(points, item["max_points"] - step) + step / 2, 2)
        points_box, reason_box = page.locator("#points input"), page.locator("#reason textarea, #reason input").first
        act.fill(points_box, f"{off}")
        act.fill(reason_box, REASON)
        act.click(page.locator("#override-btn"))
        expect(page.locator("#decision-msg")).to_contain_text(f"复核得分须为 {step:g} 分的整数倍：{off:g} 不符合")
        expect(progress).to_contain_text(f"已审 {n_bulk}/{n_items}")  # not saved, not rounded
        assert _current_label(page) == label
        act.fill(points_box, f"{points:.1f}")
        act.click(page.locator("#override-btn"))
        expect(page.locator("#queue-msg")).to_contain_text(f"已改分 {label} 为 {points:.1f} 分")
        expect(progress).to_contain_text(f"已审 {n_bulk + 1}/{n_items}")
        expected_total = round(sum(f["suggested_points"] for f in findings.values())
                               + points - item["suggested_points"], 1)
        expect(progress).to_contain_text(f"预计总分 {expected_total:.1f}")  # the override counts at once

        # --- a failing save: the page keeps its table and panel and says so in Chinese -------------------
        table = page.locator("#scorecard-table")
        before_item, before_rows = page.locator("#item").inner_text(), table.locator("tbody tr").count()
        fail.touch()
        act.press("Enter")
        expect(page.locator("#queue-msg")).to_contain_text("确认失败：复核库暂时无法写入", timeout=30_000)
        fail.unlink()
        assert page.locator("#item").inner_text() == before_item
        assert table.locator("tbody tr").count() == before_rows > 0  # (rendered rows: the table scrolls)
        expect(table).to_contain_text("已改分")
        expect(progress).to_contain_text(f"已审 {n_bulk + 1}/{n_items}")
        for area in ("#scorecard-table", "#item", "#totals", "#progress"):
            expect(page.locator(area)).not_to_contain_text("错误")
        expect(page.locator("body")).not_to_contain_text("Error")
        assert page.locator(".toast-body").count() == 0
        _shot(page, "error-local")

        # --- Enter for every other item ----------------------------------------------------------------
        done = n_bulk + 1
        while done < n_items:
            t0 = time.perf_counter()
            act.press("Enter")
            done += 1
            expect(progress).to_contain_text(f"已审 {done}/{n_items}", timeout=30_000)
            act.seconds.append(time.perf_counter() - t0)
        expect(progress).to_contain_text(f"已审 {n_items}/{n_items}，全部已审，预计总分 {expected_total:.1f}")
        review_actions = act.count
        assert review_actions <= 70, review_actions
        totals = page.locator("#totals")
        assert _totals_reviewed(totals.inner_text()) == expected_total

        # --- 总览 follows every decision (no refresh button) --------------------------------------------
        act.click(page.get_by_role("tab", name="总览"))
        overview = page.locator("#overview-table")
        expect(overview).to_contain_text(f"{n_items}/{n_items}")  # the other two units: 0/63
        cells = overview.inner_text().split("\n")
        mine = cells[cells.index(UNIT):][:7]  # 单位, 年度, 满分, 建议得分, 复核后得分, 已复核, 待讨论 (one per line)
        assert mine[4:6] == [f"{expected_total:.1f}", f"{n_items}/{n_items}"], cells
        expect(page.locator("#heatmap img, #heatmap svg").first).to_be_visible(timeout=30_000)
        _shot(page, "overview")

        # --- exports: named by unit and date; unit, reviewer, date and the same total inside -------------
        act.click(page.get_by_role("tab", name="导出"))
        act.click(page.locator("#export-btn"))
        files = {}
        for kind, what in (("xlsx", "考核打分表"), ("docx", "审查意见")):
            link = page.locator("#export-files tr").filter(has_text=what).locator("a").first
            expect(link).to_be_visible(timeout=30_000)
            with page.expect_download() as dl:
                act.click(link)
            name = dl.value.suggested_filename
            assert re.fullmatch(rf"{UNIT}-{what}-\d{{4}}-\d{{2}}-\d{{2}}\.{kind}", name), name
            files[kind] = tmp_path / name
            dl.value.save_as(files[kind])
        day = re.search(r"(\d{4})-(\d{2})-(\d{2})", files["xlsx"].name).groups()
        stamp = f"被考核单位：{UNIT}　复核人：{REVIEWER}　导出日期：{int(day[0])}年{int(day[1])}月{int(day[2])}日"
        sheet = [v for r in openpyxl.load_workbook(files["xlsx"]).active.iter_rows(values_only=True) for v in r if v]
        assert stamp in sheet
        assert any(f"复核后总分 {expected_total:.1f} 分" in str(v) for v in sheet)
        assert REASON in "".join(str(v) for v in sheet)
        from docx import Document as Docx

        words = "\n".join(p.text for p in Docx(files["docx"]).paragraphs)
        assert stamp in words and f"复核后总分 {expected_total:.1f} 分" in words
        act.click(page.locator("#summary-btn"))
        link = page.locator("#summary-file a").first
        expect(link).to_be_visible(timeout=30_000)
        with page.expect_download() as dl:
            act.click(link)
        assert re.fullmatch(r"考核汇总表-\d{4}-\d{2}-\d{2}\.xlsx", dl.value.suggested_filename)
        dl.value.save_as(tmp_path / "summary.xlsx")
        ranking = openpyxl.load_workbook(tmp_path / "summary.xlsx")["汇总排名"]
        header = [c.value for c in ranking[1]]
        mine = next(r for r in ranking.iter_rows(min_row=2, values_only=True) if r[1] == UNIT)
        assert mine[header.index("复核后总分")] == expected_total
        assert mine[header.index("已复核")] == f"{n_items}/{n_items}"
        assert {r[1] for r in ranking.iter_rows(min_row=2, max_row=4, values_only=True)} == set(results)

        # --- the browser remembers the reviewer ---------------------------------------------------------
        page.goto(server.url)
        expect(page.locator("#reviewer input, #reviewer textarea").first).to_have_value(REVIEWER, timeout=30_000)
    finally:
        server.stop()
    log = server.log.read_text(encoding="utf-8")
    assert "Traceback" not in log.split("确认失败")[0]  # the off-step refusal: one line, no traceback
    assert re.search(r"改分未完成：复核得分须为 .* 分的整数倍", log)
    hosts = {re.sub(r":\d+$", "", u.split("/")[2]) for u in requests if u.startswith("http")}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts
    assert not netlog.exists() or not netlog.read_text().strip(), netlog.read_text()
    latency = sorted(act.seconds)
    print(f"\n[review queue] demo.sh {demo_seconds:.0f} s; {n_items} items: bulk {n_bulk}, override 1, "
          f"Enter {len(act.seconds) + 1} (one failed on purpose); review actions {review_actions}, "
          f"all actions {act.count}; Enter->saved p50 {latency[len(latency) // 2] * 1000:.0f} ms, "
          f"p95 {latency[int(len(latency) * 0.95)] * 1000:.0f} ms, sum {sum(latency):.1f} s")


@pytest.mark.browser
@pytest.mark.timeout(300)
def test_upload_screen_cite_and_decide(browser, tmp_path):
    from playwright.sync_api import expect

    workspace, netlog = tmp_path / "ws", tmp_path / "net.log"
    requests: list[str] = []
    server = Server(workspace, netlog).start()
    try:
        page = _page(browser, requests)
        page.goto(server.url)
        # --- materials: choose a new unit, upload, pre-screen --------------------------------------
        page.locator("#reviewer input, #reviewer textarea").first.fill(REVIEWER)
        _choose_unit(page, UNIT)
        broken = tmp_path / "空白文件.pdf"  # one bad file: reported in its row, the others still ingested
        broken.write_bytes(b"")
        fake = tmp_path / "passwd.pdf"  # text pretending to be a PDF: refused for its content
        fake.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
        page.locator("#upload input[type=file]").set_input_files(
            [str(DEMO / f) for f in DEMO_FILES] + [str(broken), str(fake)])
        expect(page.locator("#upload")).to_contain_text("空白文件", timeout=30_000)
        page.locator("#upload-btn").click()
        expect(page.locator("#upload-msg")).to_contain_text(f"已处理 {len(DEMO_FILES) + 2} 个文件，失败 2 个",
                                                            timeout=60_000)
        upload_table = page.locator("#upload-table")
        expect(upload_table).to_contain_text("政府信息公开工作年度报告")
        expect(upload_table).to_contain_text("文件为空")
        expect(upload_table).to_contain_text("文件内容与扩展名不符：扩展名 .pdf 表示PDF文件，实际内容是纯文本")
        # the same name with other content: kept beside the first, with a warning
        (tmp_path / "v2").mkdir()
        second = tmp_path / "v2" / DEMO_FILES[-1]
        second.write_bytes((DEMO2 / DEMO2_FILES[-1]).read_bytes())
        page.locator("#upload input[type=file]").set_input_files([str(second)])
        expect(page.locator("#upload")).to_contain_text(DEMO_FILES[-1][:8], timeout=30_000)
        page.locator("#upload-btn").click()
        expect(page.locator("#upload-msg")).to_contain_text("与已有材料同名，已另存并保留两份", timeout=60_000)
        kept = DEMO_FILES[-1].replace(".xlsx", "（2）.xlsx")
        expect(upload_table).to_contain_text(kept)
        expect(page.locator("#materials-table")).to_contain_text(kept)
        page.locator("#screen-btn").click()
        expect(page.locator("#screen-msg")).to_contain_text("预审完成", timeout=60_000)
        _shot(page, "materials")

        # --- scorecard: the queue opened on the first item; open a citation in the viewer ----------
        pdf_item, other = _pick_items(workspace, UNIT)
        _open_tab(page, "评分表")
        totals = page.locator("#totals")
        expect(totals).to_contain_text("已复核 0/")
        expect(page.locator("#progress")).to_contain_text("已审 0/")
        _row_cell(page, _label(pdf_item)).click()
        expect(page.locator("#item")).to_contain_text("考核要点")
        expect(page.locator("#item")).to_contain_text(pdf_item["name"])
        cite = next(c for c in pdf_item["citations"] if c["file"].endswith(".pdf") and c.get("page"))
        page.locator("#citations label").filter(has_text=f"第{cite['page']}页").first.click()
        expect(page.locator("#viewer-image img")).to_be_visible(timeout=30_000)
        hit = page.locator("#viewer-text mark#zw-hit")
        expect(hit).to_be_visible()
        assert re.sub(r"\s", "", hit.inner_text()) == re.sub(r"\s", "", cite["quote"])
        _shot(page, "scorecard")

        # --- a comment stays on the item; confirm moves on -----------------------------------------
        page.locator("#comment textarea, #comment input").first.fill(COMMENT)
        page.locator("#comment-btn").click()
        expect(page.locator("#history")).to_contain_text(f"备注：{COMMENT}")
        expect(page.locator("#item")).to_contain_text(pdf_item["name"])
        page.locator("#confirm-btn").click()
        expect(page.locator("#queue-msg")).to_contain_text(f"已确认 {_label(pdf_item)}")
        expect(totals).to_contain_text("已复核 1/")

        # a second reviewer opens the item that the first is about to override
        page_b = _page(browser, requests)
        page_b.goto(server.url)
        page_b.locator("#reviewer input, #reviewer textarea").first.fill("李四")
        _choose_unit(page_b, UNIT)
        _open_tab(page_b, "评分表")
        _row_cell(page_b, _label(other)).click()
        expect(page_b.locator("#item")).to_contain_text(other["name"])

        _row_cell(page, _label(other)).click()
        expect(page.locator("#item")).to_contain_text(other["name"])
        new_points = max(0.0, other["suggested_points"] - 1.0) if other["suggested_points"] >= 1 \
            else other["max_points"]
        page.locator("#points input").fill(f"{new_points:.1f}")
        page.locator("#reason textarea, #reason input").first.fill("")
        page.locator("#override-btn").click()  # no reason: refused beside the button, nothing else changes
        expect(page.locator("#decision-msg")).to_contain_text("改分必须填写理由")
        assert page.locator(".toast-body").count() == 0
        expect(page.locator("#item")).to_contain_text(other["name"])
        page.locator("#reason textarea, #reason input").first.fill(REASON)
        page.locator("#override-btn").click()
        expect(page.locator("#queue-msg")).to_contain_text(f"已改分 {_label(other)} 为 {new_points:.1f} 分")
        expect(totals).to_contain_text("已复核 2/")
        # the second reviewer's stale confirm is refused and the current value shown
        page_b.locator("#confirm-btn").click()
        expect(page_b.locator("#queue-msg")).to_contain_text(f"未保存：{_label(other)} 已被 {REVIEWER} 修改")
        expect(page_b.locator("#item")).to_contain_text(f"复核得分 {new_points:.1f} 分")
        page_b.context.close()
        page.locator("#row-filter label").filter(has_text="已复核").click()  # only the two decided rows
        expect(page.locator("#scorecard-table")).not_to_contain_text("待复核")
        expect(page.locator("#scorecard-table")).to_contain_text("已确认")
        expect(page.locator("#scorecard-table")).to_contain_text("已改分")
        page.locator("#row-filter label").filter(has_text="全部").click()
        expect(page.locator("#scorecard-table")).to_contain_text("待复核")

        # --- chat ------------------------------------------------------------------------------------
        _open_tab(page, "问答")
        page.locator("#question textarea, #question input").first.fill("2023年年报中主动公开了多少件行政规范性文件？")
        page.locator("#ask-btn").click()
        expect(page.locator("#chatbot")).to_contain_text("点击下方引文", timeout=60_000)
        page.locator("#chat-citations label").first.click()
        expect(page.locator("#chat-text mark#zw-hit")).to_be_visible(timeout=30_000)
        _shot(page, "chat")

        # --- reload, then restart: both decisions are still there ---------------------------------
        for restart in (False, True):
            if restart:
                server.stop()
                server = Server(workspace, netlog).start()
            page.goto(server.url)
            _choose_unit(page, UNIT)
            _open_tab(page, "评分表")
            expect(totals).to_contain_text("已复核 2/")
            table = page.locator("#scorecard-table")
            expect(table).to_contain_text("已确认")
            expect(table).to_contain_text("已改分")
            _row_cell(page, _label(other)).click()
            expect(page.locator("#history")).to_contain_text(REASON)
            expect(page.locator("#item")).to_contain_text(f"复核得分 {new_points:.1f} 分")
    finally:
        server.stop()
    # --- nothing left loopback: neither the page nor the server -------------------------------------
    hosts = {re.sub(r":\d+$", "", u.split("/")[2]) for u in requests if u.startswith("http")}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts
    assert not netlog.exists() or not netlog.read_text().strip(), netlog.read_text()


def test_non_loopback_without_accounts_refuses(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZWGK_")}
    proc = subprocess.run([sys.executable, "-m", "zwgk", "serve", "--workspace", str(tmp_path / "ws"),
                           "--host", "0.0.0.0", "--port", str(_free_port())],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "必须配置复核人账号" in proc.stderr and "zwgk users add" in proc.stderr


@pytest.mark.browser
@pytest.mark.timeout(120)
def test_login_required_with_accounts(browser, tmp_path):
    from playwright.sync_api import expect

    users = tmp_path / "users.toml"
    subprocess.run([sys.executable, "-m", "zwgk", "users", "add", "zhangsan", "--name", "张三", "--file", str(users),
                    "--password", "correct-horse-9"], cwd=ROOT, check=True, capture_output=True, timeout=60)
    assert "correct-horse-9" not in users.read_text(encoding="utf-8")
    from review.service import ReviewService

    service = ReviewService(tmp_path / "ws")  # a screened unit, so the logged-in reviewer can decide
    evidence = tmp_path / "通知.txt"
    evidence.write_text("永清县人民政府办公室关于做好政务公开工作的通知\n请认真做好政务公开工作。\n", encoding="utf-8")
    service.upload("永清县人民政府", [evidence])
    first = service.prescreen("永清县人民政府", 2023).items[0]
    service.close()
    requests: list[str] = []
    server = Server(tmp_path / "ws", tmp_path / "net.log", env={"ZWGK_USERS_FILE": str(users)}).start()
    try:
        page = _page(browser, requests)
        page.goto(server.url)
        page.locator("input[type=password]").wait_for()
        expect(page.locator("#unit")).to_have_count(0)
        page.locator("input:not([type=password])").first.fill("zhangsan")
        page.locator("input[type=password]").fill("wrong-password")
        page.get_by_role("button", name=re.compile("登录|Login")).click()
        expect(page.get_by_text(re.compile("Incorrect|错误|不正确"))).to_be_visible()
        _shot(page, "login")
        expect(page.locator("#unit")).to_have_count(0)
        page.locator("input:not([type=password])").first.fill("zhangsan")
        page.locator("input[type=password]").fill("correct-horse-9")
        page.get_by_role("button", name=re.compile("登录|Login")).click()
        expect(page.locator("#unit")).to_be_visible(timeout=30_000)
        expect(page.locator("#reviewer")).to_have_count(0)  # the account names the reviewer
        _choose_unit(page, "永清县人民政府")
        _open_tab(page, "评分表")
        label = first.id + (f"（{first.sub}）" if first.sub is not None else "")
        _row_cell(page, label).click()
        page.locator("#confirm-btn").click()
        expect(page.locator("#queue-msg")).to_contain_text(f"已确认 {label}")
        expect(page.locator("#queue-msg")).to_contain_text("张三")
    finally:
        server.stop()


def test_network_audit_hook_records_non_loopback(tmp_path):
    """The server-side check above can fail: the hook logs a foreign lookup and ignores loopback."""
    log = tmp_path / "net.log"
    code = ("import socket, sys\nfrom tests.review import netaudit\nsys.addaudithook(netaudit._hook)\n"
            "for host in ('127.0.0.1', 'localhost', 'example.invalid'):\n"
            "    try:\n        socket.getaddrinfo(host, 80)\n    except OSError:\n        pass\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "ZWGK_NETAUDIT_LOG": str(log)},
                   check=True, timeout=60)
    assert log.read_text(encoding="utf-8").splitlines() == ["socket.getaddrinfo example.invalid"]
