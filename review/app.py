"""The Gradio review UI (Chinese). Start it with `zwgk serve` / `make serve`.

A thin layer: every action goes through review.service.ReviewService and every text shown comes from
review.present; this module lays out the screens and wires events, one function per tab. Decisions
are written with the version the reviewer saw, so a concurrent change is reported (and the current
value shown) instead of being overwritten.

Errors stay local: no handler raises to Gradio (which would cover the outputs with error badges and
pop an English-titled toast). A refused or failed action returns its Chinese message to the line
beside its control and `gr.skip()` for everything else, so the table and the item panel stay as
they were (`local_errors`).
"""

from __future__ import annotations

import functools
import logging
import re
from pathlib import Path
from types import SimpleNamespace

import core  # noqa: F401  (offline switches before gradio is imported)

# isort: split

import gradio as gr
import pandas as pd

from core.document import DOC_TYPE_LABELS
from review import charts
from review import present as P
from review.accounts import Account
from review.agreement_tab import build_agreement_tab
from review.service import ReviewService
from review.store import Action, DecisionError, StaleDecision
from review.viewer import render_pdf_passage, text_passage_html

log = logging.getLogger(__name__)

CSS = """
.zw-src {color:#555;font-size:0.9em;margin-bottom:6px}
mark#zw-hit {background:#ffe066;padding:1px 2px;border-bottom:2px solid #d33}
.zw-text {max-height:520px;overflow-y:auto;border:1px solid #ddd;padding:8px 12px;border-radius:6px}
.zw-err {color:#b42318;font-weight:600}
#progress p {font-size:1.15em;font-weight:600}
#bulk-dialog {border:2px solid #2f6fb3;border-radius:8px;padding:8px 12px;background:#f5f9ff}
#totals table {width:auto}
#history table {font-size:0.9em}
"""
# Enter = 确认并下一条, J/K = 下一条/上一条, on the 评分表 tab and never while typing. Enter on a focused
# button confirms too (the button a reviewer just clicked keeps the focus); not inside the bulk dialog.
KEYS_JS = """
() => {
  if (window.zwKeys) return;
  window.zwKeys = true;
  const ids = {Enter: "confirm-btn", j: "next-btn", J: "next-btn", k: "prev-btn", K: "prev-btn"};
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing || e.repeat || !(e.key in ids)) return;
    const t = e.target, tag = ((t && t.tagName) || "").toLowerCase();
    if (["input", "textarea", "select"].includes(tag) || (t && t.isContentEditable)) return;
    if (t && t.closest && t.closest("#bulk-dialog")) return;
    const nav = document.getElementById("queue-nav");
    if (!nav || nav.offsetParent === null) return;
    const btn = document.getElementById(ids[e.key]);
    if (!btn) return;
    e.preventDefault();
    e.stopPropagation();
    btn.click();
  }, true);
}
"""
DECISION_LABELS = {Action.confirm: "确认", Action.override: "改分", Action.comment: "保存备注",
                   Action.discuss: "待讨论（标记/取消）"}
# Decisions from many reviewers may run at once: the store's compare-and-swap keeps them safe, so the
# decision events are not serialised by Gradio's default per-event limit of 1.
DECIDE_CONCURRENCY = 16
ERROR_SECONDS = 8  # the HTTP API's refusals
REVIEWER_KEY = "zwgk-reviewer"
# BrowserState encrypts what it keeps in localStorage with this; a reviewer's name is not a secret, and a
# fixed key lets the name survive a server restart (a random one would not decrypt after it).
REVIEWER_SECRET = "zwgk-review-reviewer-name"
_CJK = re.compile(r"[\u4e00-\u9fff]")


class Refused(ValueError):
    """A request the UI declines, with the Chinese reason for the reviewer."""


def local_errors(what: str, n_outputs: int, message_at: int):
    """Wrap a handler so that no exception reaches Gradio: the message output gets the reason (in
    Chinese), every other output `gr.skip()`. A refusal (ValueError with a Chinese message: bad input,
    a rule of the store) is logged as one line; anything else with its traceback, and shown as a
    Chinese sentence, never as its English text."""

    def wrap(fn):
        @functools.wraps(fn)  # Gradio reads the wrapped signature (gr.Request, gr.Progress)
        def run(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except ValueError as exc:
                if not _CJK.search(str(exc)):
                    log.exception("%s失败", what)
                    text = f"{what}失败：服务器内部错误，已记入日志。页面内容未改变，请稍后重试。"
                else:
                    log.warning("%s未完成：%s", what, exc)
                    text = str(exc)
            except Exception as exc:
                log.exception("%s失败", what)
                text = f"{what}失败：{_failure(exc)}页面内容未改变，请稍后重试。"
            note = P.decision_note(False, text)
            return note if n_outputs == 1 else tuple(note if i == message_at else gr.skip() for i in range(n_outputs))

        return run

    return wrap


def _failure(exc: Exception) -> str:
    text = f"{type(exc).__name__} {exc}".lower()
    if "locked" in text or "operationalerror" in text or "database" in text:
        return "复核库暂时无法写入（已记入日志），本次操作未保存。"
    return "服务器内部错误（已记入日志），本次操作未完成。"


def build_app(service: ReviewService, accounts: dict[str, Account] | None = None) -> gr.Blocks:
    accounts = accounts or {}
    ui = SimpleNamespace(service=service, accounts=accounts)
    with gr.Blocks(title="政务公开考核材料审查助手", analytics_enabled=False) as app:
        _header(ui)
        with gr.Tabs():
            with gr.Tab("材料与预审", id="materials"):
                _materials_tab(ui)
            with gr.Tab("评分表", id="scorecard"):
                _scorecard_tab(ui)
            with gr.Tab("问答", id="chat"):
                _chat_tab(ui)
            with gr.Tab("总览", id="overview") as ui.overview_tab:
                _overview_tab(ui)
            with gr.Tab("导出", id="export"):
                _export_tab(ui)
            build_agreement_tab(service, ui.unit, ui.typed_name,  # 一致性 (review/agreement_tab.py)
                                lambda typed, request: _reviewer_name(ui, typed, request))
        _wire_header(ui, app)
        _wire_scorecard(ui)  # before the materials tab: a pre-screening ends by opening the queue
        _wire_materials(ui)
        _wire_chat(ui)
        _wire_overview(ui, app)
        _wire_export(ui)
        gr.api(_api_decide(ui), api_name="decide", concurrency_limit=DECIDE_CONCURRENCY, concurrency_id="decide")
    return app


# --- shared helpers ---------------------------------------------------------------------------------

def _reviewer_name(ui, typed: str, request: gr.Request | None) -> str:
    user = getattr(request, "username", None) if request is not None else None
    if user:  # logged in: the account's display name, never a typed one
        return ui.accounts[user].name if user in ui.accounts else user
    name = (typed or "").strip()
    if not name:
        raise Refused("请先在页面顶部填写复核人姓名")
    return name


def _open_citation(ui, value: str | None):
    """The evidence viewer: a PDF page image with the passage boxed, else the text with the span marked."""
    hidden = gr.update(value=None, visible=False)
    if not value:
        return hidden, gr.update(value="", visible=False)
    doc_id, start, end = P.parse_citation_value(value)
    doc = ui.service.document(doc_id)
    text_view = gr.update(value=text_passage_html(doc, start, end), visible=True)
    page, stored = doc.page_of(start), ui.service.stored_file(doc_id)
    if stored is not None and doc.file_type == "pdf" and page:
        try:
            image = render_pdf_passage(stored, page, doc.text[start:end])
        except Exception:  # a broken page must not break the viewer; the text view remains
            log.warning("无法渲染 %s 第%s页", doc.file, page, exc_info=True)
        else:
            return gr.update(value=image, visible=True, label=f"{doc.file} 第{page}页（红框为引文位置）"), text_view
    return hidden, text_view


def _overview_frame(ui) -> pd.DataFrame:
    cards = [sc for u in ui.service.units() if (sc := ui.service.scorecard(u)) is not None]
    decisions = {sc.unit: ui.service.decisions(sc.unit) for sc in cards}
    return pd.DataFrame(P.overview_rows(cards, decisions), columns=P.OVERVIEW_HEADERS)


# --- header: unit and reviewer ------------------------------------------------------------------------

def _header(ui) -> None:
    gr.Markdown("## 政务公开考核材料审查助手\n助手提出建议，复核人作出决定。所有确认、改分和备注均持久保存并留痕。")
    with gr.Row():
        ui.unit = gr.Dropdown(label="被考核单位（可选择，或输入新单位名称后回车）", choices=ui.service.units(),
                              value=None, allow_custom_value=True, interactive=True, elem_id="unit", scale=3)
        ui.typed_name = gr.Textbox(label="复核人（本浏览器会记住）", placeholder="请填写姓名",
                                   visible=not ui.accounts, elem_id="reviewer", scale=2)
    ui.saved_name = gr.BrowserState("", storage_key=REVIEWER_KEY, secret=REVIEWER_SECRET)


def _wire_header(ui, app: gr.Blocks) -> None:
    app.load(lambda: gr.update(choices=ui.service.units()), None, ui.unit)
    if not ui.accounts:  # the name typed once is filled in again on every visit from this browser
        app.load(lambda saved: saved or gr.skip(), ui.saved_name, ui.typed_name)
        ui.typed_name.change(lambda name: (name or "").strip(), ui.typed_name, ui.saved_name)


# --- 材料与预审 ----------------------------------------------------------------------------------------

def _materials_tab(ui) -> None:
    ui.files = gr.File(label="上传材料（可多选、可拖放：PDF、Word、OFD、网页、图片、表格等）",
                       file_count="multiple", type="filepath", elem_id="upload")
    ui.upload_btn = gr.Button("上传并解析", variant="primary", elem_id="upload-btn")
    ui.upload_msg = gr.Markdown(elem_id="upload-msg")
    ui.upload_table = gr.Dataframe(headers=P.UPLOAD_HEADERS, interactive=False, wrap=True, elem_id="upload-table")
    with gr.Row(equal_height=True):
        ui.year = gr.Dropdown(label="考核年度", choices=P.year_choices(), value=P.AUTO_YEAR, scale=2, elem_id="year")
        ui.screen_btn = gr.Button("开始预审", variant="primary", elem_id="screen-btn", scale=1)
    ui.screen_msg = gr.Markdown(elem_id="screen-msg")
    with gr.Accordion("单位名册（单位级别决定年度报告的法定发布时限）", open=False, elem_id="roster"):
        gr.Markdown("部门应于1月31日前、县级政府及开发区等应于3月31日前公布上一年度报告（条例第四十九条）。"
                    "未列入名册的单位按名称推断级别，无法推断时预审会请复核人确认。")
        ui.roster_table = gr.Dataframe(value=lambda: _roster_frame(ui), headers=P.UNIT_LEVEL_HEADERS,
                                       interactive=False, wrap=True, elem_id="roster-table")
        with gr.Row(equal_height=True):
            ui.level_pick = gr.Dropdown(label="所选单位的级别", choices=P.level_choices(), value=None,
                                        elem_id="roster-level", scale=2)
            ui.level_btn = gr.Button("设置级别", elem_id="roster-btn", scale=1)
        ui.level_msg = gr.Markdown(elem_id="roster-msg")
    gr.Markdown("#### 材料类型\n识别把握不大的材料标为“待确认”；选定文件后在“设为”中选择类型即保存，下次预审按此类型审查。")
    ui.materials = gr.Dataframe(headers=P.MATERIAL_HEADERS, interactive=False, wrap=True,
                                column_widths=["28%", "16%", "12%", "44%"], elem_id="materials-table")
    with gr.Row(equal_height=True):
        ui.material_file = gr.Dropdown(label="材料文件", choices=[], value=None, scale=3, elem_id="material-file")
        ui.material_type = gr.Dropdown(label="设为", choices=P.doc_type_choices(), value=None, scale=2,
                                       elem_id="material-type")
    ui.material_msg = gr.Markdown(elem_id="material-msg")


def _roster_frame(ui) -> pd.DataFrame:
    return pd.DataFrame(P.unit_level_rows(ui.service.unit_levels()), columns=P.UNIT_LEVEL_HEADERS)


def _wire_materials(ui) -> None:
    service = ui.service

    @local_errors("上传", 4, 1)
    def do_upload(unit, files, progress=gr.Progress()):  # noqa: B008 (gradio's injection idiom)
        unit = (unit or "").strip()
        if not unit:
            raise Refused("请先填写或选择被考核单位")
        if not files:
            raise Refused("请选择要上传的材料文件")
        paths = [Path(f) for f in files]  # Gradio keeps each upload's own name as the last component
        uploads = service.upload(unit, paths, [p.name for p in paths],
                                 on_file=lambda n, t, name: progress((n, t), desc=f"解析 {name}", unit="件"))
        failed = sum(1 for u in uploads if str(u.result.status) == "error")
        kept = sum(1 for u in uploads if "两份均保留" in u.note)
        msg = f"已处理 {len(uploads)} 个文件，失败 {failed} 个。" + ("失败原因见下表“说明”列。" if failed else "")
        if kept:
            msg += f"其中 {kept} 个与已有材料同名，已另存并保留两份（见“说明”列）。"
        return (pd.DataFrame(P.upload_rows(uploads), columns=P.UPLOAD_HEADERS), msg,
                gr.update(choices=service.units(), value=unit), None)

    @local_errors("设置级别", 2, 1)
    def do_set_level(unit, level):
        unit = (unit or "").strip()
        if not unit:
            raise Refused("请先在页面顶部选择或填写被考核单位")
        if not level:
            raise Refused("请选择单位级别")
        entry = service.set_unit_level(unit, level)
        msg = f"已将“{entry.name}”的级别设为{entry.level_label}（已记入单位名册）。重新预审后按此级别判断年度报告发布时限。"
        return _roster_frame(ui), msg

    @local_errors("预审", 1, 0)
    def do_prescreen(unit, year, progress=gr.Progress()):  # noqa: B008 (gradio's injection idiom)
        if not unit:
            raise Refused("请先选择被考核单位")
        if not service.documents(unit):
            raise Refused("该单位还没有材料，请先上传")
        progress(0, desc="预审中…")
        sc = service.prescreen(unit, P.parse_year(year),
                               on_item=lambda d, t: progress((d, t), desc="逐项预审", unit="项"))
        changed = sum(1 for d in service.decisions(unit).values() if d.suggestion_changed)
        msg = (f"预审完成：{sc.unit}，建议得分 {sc.total_suggested:.1f} / {sc.total_max:.1f} 分。"
               "请到“评分表”逐项复核。")
        if changed:
            msg += f"已有复核决定均保留；其中 {changed} 项的建议得分有变化，已在评分表中标出。"
        return msg

    def load_materials(unit):
        docs = service.documents(unit) if unit else []
        rows = P.material_rows(docs)
        return (pd.DataFrame(rows, columns=P.MATERIAL_HEADERS),
                gr.update(choices=[r[0] for r in rows], value=None), gr.update(value=None))

    @local_errors("设置材料类型", 2, 1)
    def do_set_type(unit, file, value):
        if not unit or not file or not value:
            raise Refused("请先选择被考核单位和材料文件")
        doc = service.set_doc_type(unit, file, P.parse_doc_type(value))
        how = "已恢复自动识别" if not doc.doc_type_overridden else "已人工指定"
        msg = f"《{file}》{how}为“{DOC_TYPE_LABELS[doc.doc_type]}”，重新预审后生效。"
        return pd.DataFrame(P.material_rows(service.documents(unit)), columns=P.MATERIAL_HEADERS), msg

    ui.upload_btn.click(do_upload, [ui.unit, ui.files], [ui.upload_table, ui.upload_msg, ui.unit, ui.files]).then(
        lambda: _roster_frame(ui), None, ui.roster_table).then(
        load_materials, ui.unit, [ui.materials, ui.material_file, ui.material_type])
    ui.level_btn.click(do_set_level, [ui.unit, ui.level_pick], [ui.roster_table, ui.level_msg])
    ui.unit.change(load_materials, ui.unit, [ui.materials, ui.material_file, ui.material_type])
    ui.material_type.input(do_set_type, [ui.unit, ui.material_file, ui.material_type], [ui.materials, ui.material_msg])
    # then the queue opens on the unit's first unreviewed item (ui.open_unit: the 评分表's)
    ui.screen_btn.click(do_prescreen, [ui.unit, ui.year], ui.screen_msg).then(
        ui.open_unit, [ui.unit, ui.show], ui.queue_outputs)


# --- 评分表: the review queue --------------------------------------------------------------------------

def _scorecard_tab(ui) -> None:
    ui.selected_key = gr.State(None)
    ui.version = gr.State(0)
    ui.bulk_seen = gr.State([])
    ui.progress = gr.Markdown(elem_id="progress")
    with gr.Row(elem_id="queue-nav"):
        ui.prev_btn = gr.Button("上一条（K）", elem_id="prev-btn", min_width=90)
        ui.next_btn = gr.Button("下一条（J）", elem_id="next-btn", min_width=90)
        ui.confirm_btn = gr.Button("确认并下一条（Enter）", variant="primary", elem_id="confirm-btn", min_width=160)
        ui.bulk_btn = gr.Button("确认全部规则判定且有引文的项", elem_id="bulk-btn", min_width=200)
    ui.queue_msg = gr.Markdown(elem_id="queue-msg")
    with gr.Column(visible=False, elem_id="bulk-dialog") as ui.bulk_box:
        ui.bulk_list = gr.Markdown(elem_id="bulk-list")
        with gr.Row():
            ui.bulk_ok = gr.Button("确认以上各项", variant="primary", elem_id="bulk-ok")
            ui.bulk_cancel = gr.Button("取消", elem_id="bulk-cancel")
        ui.bulk_msg = gr.Markdown(elem_id="bulk-msg")
    with gr.Row():
        with gr.Column(scale=5):
            ui.item_md = gr.Markdown(P.NO_ITEM, elem_id="item")
            ui.cites = gr.Radio(label="原文引文（点击查看原文）", choices=[], elem_id="citations")
            with gr.Row():
                # precision=None: Gradio would otherwise round 3.05 to 3.0 before the store could refuse it
                ui.points = gr.Number(label="复核得分", precision=None, step=0.5, elem_id="points", scale=1)
                ui.reason = gr.Textbox(label="改分理由（改分时必填）", elem_id="reason", scale=3)
            ui.comment = gr.Textbox(label="备注", elem_id="comment")
            with gr.Row():
                ui.override_btn = gr.Button("改分", elem_id="override-btn", min_width=90)
                ui.comment_btn = gr.Button("保存备注", elem_id="comment-btn", min_width=90)
                ui.discuss_btn = gr.Button("待讨论（标记/取消）", elem_id="discuss-btn", min_width=90)
            ui.decision_msg = gr.Markdown(elem_id="decision-msg")
            ui.history = gr.Markdown(elem_id="history")
        with gr.Column(scale=6):
            ui.viewer_img = gr.Image(label="原文页面（红框为引文位置）", visible=False, type="pil",
                                     interactive=False, elem_id="viewer-image", height=720)
            ui.viewer_html = gr.HTML(visible=False, elem_id="viewer-text")
    with gr.Accordion("各一级指标得分", open=True):
        ui.totals = gr.Markdown(elem_id="totals")
    ui.show = gr.Radio(list(P.ROW_FILTERS), value="全部", label="显示", elem_id="row-filter")
    ui.table = gr.Dataframe(headers=P.TABLE_HEADERS, interactive=False, wrap=True, max_height=420,
                            column_widths=["7%", "8%", "17%", "6%", "7%", "7%", "8%", "14%", "26%"],
                            elem_id="scorecard-table")


def _wire_scorecard(ui) -> None:
    """The queue: each action answers with the whole view of one item (panel, table, totals, progress,
    总览) plus its message, next to its control: #queue-msg for the queue row, #decision-msg for the
    panel's buttons, #bulk-msg inside the bulk dialog."""
    service = ui.service
    item_outputs = [ui.item_md, ui.cites, ui.version, ui.points, ui.reason, ui.comment, ui.history]
    view_outputs = [ui.selected_key, *item_outputs, ui.table, ui.totals, ui.progress, ui.overview_table,
                    ui.viewer_img, ui.viewer_html]
    ui.queue_outputs = [*view_outputs, ui.queue_msg, ui.decision_msg]
    n_view, n_out = len(view_outputs), len(view_outputs) + 2
    at_queue, at_panel = n_view, n_view + 1

    def panel(sc, decisions, key):
        """The item panel, fresh for `key`: text, citations, version seen, points, reason, comment, history."""
        item = next((i for i in sc.items if P.key_of(i) == key), None) if sc and key else None
        if item is None:
            return P.NO_ITEM, gr.update(choices=[], value=None), 0, gr.update(value=None), "", "", ""
        d = decisions.get(key)
        points = d.points if d and d.points is not None else item.suggested_points
        return (P.item_markdown(item, d), gr.update(choices=P.citation_choices(item.citations), value=None),
                d.version if d else 0, gr.update(value=points, step=item.step), d.reason if d else "",
                d.comment if d else "", P.history_markdown(service.history(sc.unit, key)))

    def view(unit, show, key, viewer: bool = True) -> tuple:
        """Everything the queue shows for the item `key` (the table's current row in bold), from one read
        of the unit. `viewer`: close the evidence viewer (a new item), else leave it."""
        sc = service.scorecard(unit) if unit else None
        decisions = service.decisions(unit) if unit else {}
        if sc is None or key not in {P.key_of(i) for i in sc.items}:
            key = None
        closed = (gr.update(value=None, visible=False), gr.update(value="", visible=False)) if viewer \
            else (gr.skip(), gr.skip())
        return (key, *panel(sc, decisions, key), P.scorecard_frame(sc, decisions, show, key),
                P.totals_markdown(sc), P.progress_line(sc), _overview_frame(ui), *closed)

    def answer(view_: tuple, queue_note: str = "", panel_note: str = "") -> tuple:
        return (*view_, queue_note, panel_note)

    def queue_state(unit):
        sc = service.scorecard(unit) if unit else None
        return sc, (service.decisions(unit) if unit else {})

    def label_for(unit, key) -> str:
        sc = service.scorecard(unit)
        item = next((i for i in sc.items if P.key_of(i) == key), None) if sc else None
        return P.label_of(item) if item else key

    @local_errors("打开单位", n_out, at_queue)
    def open_unit(unit, show):
        """A unit opens on its next unreviewed item (re-screened on the command line meanwhile: changed
        suggestions of decided items are marked first)."""
        if unit:
            service.sync_suggestions(unit)
        sc, decisions = queue_state(unit)
        key = P.next_pending(sc, decisions)
        note = "" if sc is None or key else "本单位所有项目均已复核。"
        if sc is not None and key is None:
            key = P.key_of(sc.items[0])
        return answer(view(unit, show, key), note)

    ui.open_unit = open_unit

    @local_errors("打开评分项", n_out, at_queue)
    def on_select(unit, show, evt: gr.SelectData):
        sc = service.scorecard(unit) if unit else None
        row = evt.row_value if evt is not None else None
        label = row[0] if row else None
        item = next((i for i in sc.items if P.label_of(i) == label), None) if sc and label else None
        return answer(view(unit, show, P.key_of(item) if item else None))

    def stepper(step: int):
        @local_errors("翻页", n_out, at_queue)
        def go(unit, show, key):
            sc, decisions = queue_state(unit)
            return answer(view(unit, show, P.step_key(P.shown_keys(sc, decisions, show), key, step)))
        return go

    @local_errors("筛选", n_view + 1, at_queue)
    def refilter(unit, show, key):
        return (*view(unit, show, key, viewer=False), "")

    def decider(action: Action):
        moves_on = action in (Action.confirm, Action.override)  # the queue goes on to the next unreviewed item
        where = at_queue if action == Action.confirm else at_panel

        @local_errors(DECISION_LABELS[action], n_out, where)
        def decide(unit, show, key, version, typed_name, points, reason, comment, request: gr.Request):
            if not unit or not key:
                raise Refused("请先在评分表中选择一项")
            name = _reviewer_name(ui, typed_name, request)
            if action == Action.override and not (reason or "").strip():
                raise Refused("改分必须填写理由")
            label = label_for(unit, key)
            try:
                d = service.decide(unit, key, action, reviewer=name, expected_version=int(version or 0),
                                   points=None if points is None else float(points),
                                   reason=(reason or "") if action == Action.override else "",
                                   comment=comment if action in (Action.comment, Action.override) else None)
            except StaleDecision as exc:
                cur = exc.current
                shown = f"{cur.points:.1f} 分" if cur.points is not None else "未评分"
                text = P.decision_note(False, f"未保存：{label} 已被 {cur.reviewer} 修改，当前为 {shown}"
                                              f"（{P.STATUS_LABELS.get(cur.status, cur.status)}），"
                                              "已显示最新结果，请核对后再操作。")
                shown_view = view(unit, show, key, viewer=False)
                return answer(shown_view, text) if where == at_queue else answer(shown_view, "", text)
            done = {Action.confirm: f"已确认 {label}（{P.pts(d.points)} 分）",
                    Action.override: f"已改分 {label} 为 {P.pts(d.points)} 分（理由：{d.reason}）",
                    Action.comment: f"已保存 {label} 的备注",
                    Action.discuss: f"已{'标记' if d.discuss else '取消'} {label} 待讨论"}[action]
            note = f"{done}（{name}，{P.date_cn()}）。"
            if not moves_on:
                return answer(view(unit, show, key, viewer=False), "", note)
            sc, decisions = queue_state(unit)
            nxt = P.next_pending(sc, decisions, after=key)
            if nxt is None:
                note += "本单位所有项目均已复核。"
            return answer(view(unit, show, nxt or key), note)
        return decide

    @local_errors("批量确认", 4, 3)
    def bulk_open(unit):
        if not unit:
            raise Refused("请先选择被考核单位")
        items = service.bulk_candidates(unit)
        decisions = service.decisions(unit)
        seen = [[P.key_of(i), decisions[P.key_of(i)].version if P.key_of(i) in decisions else 0] for i in items]
        return gr.update(visible=True), P.bulk_markdown(items), seen, ""

    @local_errors("批量确认", n_out + 2, n_out + 1)
    def bulk_confirm(unit, show, key, seen, typed_name, request: gr.Request):
        if not unit or not seen:
            raise Refused("没有可批量确认的项")
        name = _reviewer_name(ui, typed_name, request)
        outcome = service.bulk_confirm(unit, [(k, int(v)) for k, v in seen], reviewer=name)
        note = f"已批量确认 {len(outcome.saved)} 项，每项均单独记入复核记录（{name}，{P.date_cn()}）。"
        if outcome.stale:
            labels = "、".join(label_for(unit, k) for k in outcome.stale)
            note += f"另有 {len(outcome.stale)} 项在清单弹出后已有新的复核操作，未改动：{labels}。"
        sc, decisions = queue_state(unit)
        if key is None or P.decided(decisions.get(key)):
            key = P.next_pending(sc, decisions, after=key) or key
        return (*answer(view(unit, show, key), note), gr.update(visible=False), "")

    # while a queue action runs, only the progress line shows it: the table and the panel stay readable
    quiet = {"show_progress": "minimal", "show_progress_on": ui.progress}
    inputs = [ui.unit, ui.show, ui.selected_key, ui.version, ui.typed_name, ui.points, ui.reason, ui.comment]
    for action, btn in ((Action.confirm, ui.confirm_btn), (Action.override, ui.override_btn),
                        (Action.comment, ui.comment_btn), (Action.discuss, ui.discuss_btn)):
        # Enter pressed while the last save is still finishing is kept and applies to the next item
        # (Gradio's default "once" would drop it silently)
        btn.click(decider(action), inputs, ui.queue_outputs, api_name=f"decide_{action}",
                  concurrency_limit=DECIDE_CONCURRENCY, concurrency_id="decide",
                  trigger_mode="always_last" if action == Action.confirm else "once", **quiet)
    ui.unit.change(open_unit, [ui.unit, ui.show], ui.queue_outputs, **quiet).then(
        lambda: (gr.update(visible=False), []), None, [ui.bulk_box, ui.bulk_seen])
    ui.show.change(refilter, [ui.unit, ui.show, ui.selected_key], [*view_outputs, ui.queue_msg], **quiet)
    ui.table.select(on_select, [ui.unit, ui.show], ui.queue_outputs, **quiet)
    ui.prev_btn.click(stepper(-1), [ui.unit, ui.show, ui.selected_key], ui.queue_outputs, trigger_mode="always_last",
                      **quiet)
    ui.next_btn.click(stepper(+1), [ui.unit, ui.show, ui.selected_key], ui.queue_outputs, trigger_mode="always_last",
                      **quiet)
    ui.bulk_btn.click(bulk_open, ui.unit, [ui.bulk_box, ui.bulk_list, ui.bulk_seen, ui.queue_msg])
    ui.bulk_ok.click(bulk_confirm, [ui.unit, ui.show, ui.selected_key, ui.bulk_seen, ui.typed_name],
                     [*ui.queue_outputs, ui.bulk_box, ui.bulk_msg],
                     concurrency_limit=DECIDE_CONCURRENCY, concurrency_id="decide", **quiet)
    ui.bulk_cancel.click(lambda: (gr.update(visible=False), [], ""), None, [ui.bulk_box, ui.bulk_seen, ui.bulk_msg])
    ui.cites.change(lambda value: _open_citation(ui, value), ui.cites, [ui.viewer_img, ui.viewer_html])


def _api_decide(ui):
    def api_decide(unit: str, key: str, action: str, reviewer: str, expected_version: int,
                   points: float | None, reason: str, comment: str | None, request: gr.Request) -> dict:
        """The explicit HTTP API (`/gradio_api/call/decide`, gradio_client `api_name="/decide"`).

        Returns {"saved": true, "decision": ...} with the new version, or {"saved": false, "decision": ...}
        holding the current value when `expected_version` is stale; invalid input is a Gradio error.
        """
        try:
            name = _reviewer_name(ui, reviewer, request)
            act = Action(action)
            if act == Action.suggestion_changed:
                raise ValueError(f"不支持的操作 {action}")
            d = ui.service.decide(unit, key, act, reviewer=name, expected_version=int(expected_version or 0),
                                  points=None if points is None else float(points), reason=reason or "",
                                  comment=comment)
            return {"saved": True, "decision": d.model_dump()}
        except StaleDecision as exc:
            return {"saved": False, "decision": exc.current.model_dump()}
        except (DecisionError, ValueError) as exc:
            log.warning("接口操作未完成：%s", exc)
            raise gr.Error(str(exc), duration=ERROR_SECONDS, title="未保存", print_exception=False) from None

    return api_decide


# --- 问答 ------------------------------------------------------------------------------------------------

def _chat_tab(ui) -> None:
    ui.chatbot = gr.Chatbot(label="就本单位材料提问（回答只依据已上传的材料）", height=380, elem_id="chatbot")
    with gr.Row():
        ui.question = gr.Textbox(placeholder="例如：2023年年报是否按统一格式编制？", scale=5, show_label=False,
                                 elem_id="question")
        ui.ask_btn = gr.Button("提问", variant="primary", elem_id="ask-btn", scale=1)
    ui.chat_msg = gr.Markdown(elem_id="chat-msg")
    with gr.Row():
        with gr.Column(scale=5):
            ui.chat_cites = gr.Radio(label="回答中的引文（点击查看原文）", choices=[], elem_id="chat-citations")
        with gr.Column(scale=6):
            ui.chat_img = gr.Image(visible=False, type="pil", interactive=False, height=640, elem_id="chat-image")
            ui.chat_html = gr.HTML(visible=False, elem_id="chat-text")


def _wire_chat(ui) -> None:
    @local_errors("提问", 4, 3)
    def do_chat(unit, question, history):
        if not unit:
            raise Refused("请先选择被考核单位")
        question = (question or "").strip()
        if not question:
            return gr.skip(), "", gr.skip(), ""
        reply = ui.service.chat(unit, question)
        choices = P.citation_choices(reply.citations)
        answer = reply.answer + ("\n\n（点击下方引文可查看原文）" if choices else "")
        history = [*(history or []), {"role": "user", "content": question},
                   {"role": "assistant", "content": answer}]
        return history, "", gr.update(choices=choices, value=None), ""

    outputs = [ui.chatbot, ui.question, ui.chat_cites, ui.chat_msg]
    ui.ask_btn.click(do_chat, [ui.unit, ui.question, ui.chatbot], outputs)
    ui.question.submit(do_chat, [ui.unit, ui.question, ui.chatbot], outputs)
    ui.chat_cites.change(lambda value: _open_citation(ui, value), ui.chat_cites, [ui.chat_img, ui.chat_html])


# --- 总览 ------------------------------------------------------------------------------------------------

def _overview_tab(ui) -> None:
    gr.Markdown("各单位的复核后得分（已复核项取复核得分，其余取建议得分），每次复核后即时更新。")
    ui.overview_table = gr.Dataframe(headers=P.OVERVIEW_HEADERS, interactive=False, elem_id="overview-table")
    ui.overview_msg = gr.Markdown(elem_id="overview-msg")
    ui.ranking = gr.Plot(label="得分排名", elem_id="ranking")
    ui.heatmap = gr.Plot(label="各指标得分率", elem_id="heatmap")


def _wire_overview(ui, app: gr.Blocks) -> None:
    @local_errors("刷新总览", 4, 3)
    def do_overview():
        cards = [sc for u in ui.service.units() if (sc := ui.service.scorecard(u)) is not None]
        return _overview_frame(ui), charts.ranking_figure(cards), charts.heatmap_figure(cards), ""

    # the table follows every decision (the queue's outputs); the figures are drawn when the tab opens
    ui.overview_tab.select(do_overview, None, [ui.overview_table, ui.ranking, ui.heatmap, ui.overview_msg])
    app.load(lambda: _overview_frame(ui), None, ui.overview_table)


# --- 导出 ------------------------------------------------------------------------------------------------

def _export_tab(ui) -> None:
    gr.Markdown("导出文件包含助手的建议得分，以及复核人确认的得分、改分理由和备注；文件名为“单位-考核打分表-日期”，"
                "文件内注明被考核单位、复核人、导出日期和复核后总分。")
    ui.export_btn = gr.Button("导出本单位评分表与审查意见", variant="primary", elem_id="export-btn")
    ui.export_files = gr.File(label="本单位导出文件（Excel 考核打分表、Word 审查意见、JSON）", file_count="multiple",
                              interactive=False, elem_id="export-files")
    ui.export_msg = gr.Markdown(elem_id="export-msg")
    ui.summary_btn = gr.Button("导出全部单位汇总表", elem_id="summary-btn")
    ui.summary_file = gr.File(label="汇总表", interactive=False, elem_id="summary-file")
    ui.summary_msg = gr.Markdown(elem_id="summary-msg")


def _wire_export(ui) -> None:
    @local_errors("导出", 2, 1)
    def do_export(unit, typed_name, request: gr.Request):
        if not unit:
            raise Refused("请先选择被考核单位")
        paths = ui.service.export(unit, _reviewer_name(ui, typed_name, request))
        return [str(paths["xlsx"]), str(paths["docx"]), str(paths["json"])], \
            f"已导出：{paths['xlsx'].name}、{paths['docx'].name}。"

    @local_errors("导出汇总表", 2, 1)
    def do_export_summary(typed_name, request: gr.Request):
        path = ui.service.export_summary(_reviewer_name(ui, typed_name, request))
        return str(path), f"已导出：{path.name}。"

    ui.export_btn.click(do_export, [ui.unit, ui.typed_name], [ui.export_files, ui.export_msg])
    ui.summary_btn.click(do_export_summary, ui.typed_name, [ui.summary_file, ui.summary_msg])
