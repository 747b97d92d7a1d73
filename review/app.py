"""The Gradio review UI (Chinese). Start it with `zwgk serve` / `make serve`.

A thin layer: every action goes through review.service.ReviewService and every text shown comes from
review.present; this module lays out the screens and wires events. Decisions are written with the
version the reviewer saw, so a concurrent change is reported (and the current value shown) instead
of being overwritten.
"""

from __future__ import annotations

from pathlib import Path

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

CSS = """
.zw-src {color:#555;font-size:0.9em;margin-bottom:6px}
mark#zw-hit {background:#ffe066;padding:1px 2px;border-bottom:2px solid #d33}
.zw-text {max-height:520px;overflow-y:auto;border:1px solid #ddd;padding:8px 12px;border-radius:6px}
#totals table {width:auto}
#history table {font-size:0.9em}
"""
DECISION_BUTTONS = {Action.confirm: "确认建议分", Action.override: "改分", Action.comment: "保存备注",
                    Action.discuss: "待讨论（标记/取消）"}
ERROR_SECONDS = 8  # error toasts close by themselves
# Decisions from many reviewers may run at once: the store's compare-and-swap keeps them safe, so the
# decision events are not serialised by Gradio's default per-event limit of 1.
DECIDE_CONCURRENCY = 16


def build_app(service: ReviewService, accounts: dict[str, Account] | None = None) -> gr.Blocks:
    accounts = accounts or {}

    # --- helpers ---------------------------------------------------------------------------------
    def reviewer_name(typed: str, request: gr.Request | None) -> str:
        user = getattr(request, "username", None) if request is not None else None
        if user:  # logged in: the account's display name, never a typed one
            return accounts[user].name if user in accounts else user
        name = (typed or "").strip()
        if not name:
            raise gr.Error("请先在页面顶部填写复核人姓名", duration=ERROR_SECONDS)
        return name

    def load_unit(unit: str | None, show: str = "全部"):
        sc = service.scorecard(unit) if unit else None
        decisions = service.decisions(unit) if unit else {}
        return P.scorecard_frame(sc, decisions, show), P.totals_markdown(sc, decisions)

    def show_item(unit: str | None, key: str | None):
        """item text, citation choices, version seen, points, reason, comment, history (fresh per item)."""
        sc = service.scorecard(unit) if unit and key else None
        item = next((i for i in sc.items if P.key_of(i) == key), None) if sc else None
        if item is None:
            return P.NO_ITEM, gr.update(choices=[], value=None), 0, None, "", "", ""
        decision = service.decisions(unit).get(key)
        points = decision.points if decision and decision.points is not None else item.suggested_points
        return (P.item_markdown(item, decision), gr.update(choices=P.citation_choices(item.citations), value=None),
                decision.version if decision else 0, points, decision.reason if decision else "",
                decision.comment if decision else "", P.history_markdown(service.history(unit, key)))

    def open_citation(value: str | None):
        """The evidence viewer: a PDF page image with the passage boxed, else the text with the span marked."""
        hidden = gr.update(value=None, visible=False)
        if not value:
            return hidden, gr.update(value="", visible=False)
        doc_id, start, end = P.parse_citation_value(value)
        doc = service.document(doc_id)
        text_view = gr.update(value=text_passage_html(doc, start, end), visible=True)
        page, stored = doc.page_of(start), service.stored_file(doc_id)
        if stored is not None and doc.file_type == "pdf" and page:
            try:
                image = render_pdf_passage(stored, page, doc.text[start:end])
            except Exception as exc:  # a broken page must not break the viewer; the text view remains
                gr.Warning(f"无法渲染第{page}页：{exc}")
            else:
                return gr.update(value=image, visible=True, label=f"{doc.file} 第{page}页（红框为引文位置）"), \
                    text_view
        return hidden, text_view

    # --- events ----------------------------------------------------------------------------------
    def on_load(unit, show):
        return gr.update(choices=service.units(), value=unit), *load_unit(unit, show)

    def on_select(unit, evt: gr.SelectData):
        sc = service.scorecard(unit) if unit else None
        row = evt.row_value if evt is not None else None
        label = row[0] if row else None
        item = next((i for i in sc.items if P.label_of(i) == label), None) if sc and label else None
        key = P.key_of(item) if item else None
        return key, *show_item(unit, key), ""

    def decide(action: Action, unit, show, key, version, typed_name, points, reason, comment,
               request: gr.Request):
        if not unit or not key:
            raise gr.Error("请先在评分表中选择一项", duration=ERROR_SECONDS)
        name = reviewer_name(typed_name, request)
        if action == Action.override and not (reason or "").strip():
            raise gr.Error("改分必须填写理由", duration=ERROR_SECONDS)
        try:
            service.decide(unit, key, action, reviewer=name, expected_version=int(version or 0),
                           points=None if points is None else float(points),
                           reason=(reason or "") if action == Action.override else "",
                           comment=comment if action in (Action.comment, Action.override) else None)
            message = f"已保存：{DECISION_BUTTONS[action]}（{name}，{P.date_cn()}）。"
        except StaleDecision as exc:
            cur = exc.current
            shown = f"{cur.points:.1f} 分" if cur.points is not None else "未评分"
            gr.Warning(f"该项已被 {cur.reviewer} 修改为 {shown}（{P.STATUS_LABELS.get(cur.status, cur.status)}），"
                       "已显示最新结果，请核对后再操作。")
            message = f"未保存：该项已被 {cur.reviewer} 修改，当前为 {shown}，请核对后再操作。"
        except (DecisionError, ValueError) as exc:
            raise gr.Error(str(exc), duration=ERROR_SECONDS) from None
        return (*show_item(unit, key), *load_unit(unit, show), message)

    def api_decide(unit: str, key: str, action: str, reviewer: str, expected_version: int,
                   points: float | None, reason: str, comment: str | None, request: gr.Request) -> dict:
        """The explicit HTTP API (`/gradio_api/call/decide`, gradio_client `api_name="/decide"`).

        Returns {"saved": true, "decision": ...} with the new version, or {"saved": false, "decision": ...}
        holding the current value when `expected_version` is stale; invalid input is a Gradio error.
        """
        name = reviewer_name(reviewer, request)
        try:
            act = Action(action)
            if act == Action.suggestion_changed:
                raise ValueError(f"不支持的操作 {action}")
            d = service.decide(unit, key, act, reviewer=name, expected_version=int(expected_version or 0),
                               points=None if points is None else float(points), reason=reason or "",
                               comment=comment)
            return {"saved": True, "decision": d.model_dump()}
        except StaleDecision as exc:
            return {"saved": False, "decision": exc.current.model_dump()}
        except (DecisionError, ValueError) as exc:
            raise gr.Error(str(exc), duration=ERROR_SECONDS) from None

    def decider(action: Action):
        def handler(unit, show, key, version, typed_name, points, reason, comment, request: gr.Request):
            return decide(action, unit, show, key, version, typed_name, points, reason, comment, request)

        return handler

    def do_upload(unit, files, progress=gr.Progress()):  # noqa: B008 (gradio's injection idiom)
        unit = (unit or "").strip()
        if not unit:
            raise gr.Error("请先填写或选择被考核单位", duration=ERROR_SECONDS)
        if not files:
            raise gr.Error("请选择要上传的材料文件", duration=ERROR_SECONDS)
        paths = [Path(f) for f in files]
        results = service.upload(unit, paths,
                                 on_file=lambda n, t, name: progress((n, t), desc=f"解析 {name}", unit="件"))
        failed = sum(1 for r in results if str(r.status) == "error")
        msg = f"已处理 {len(results)} 个文件，失败 {failed} 个。" + ("失败原因见下表“说明”列。" if failed else "")
        return (pd.DataFrame(P.upload_rows(results), columns=P.UPLOAD_HEADERS), msg, gr.update(choices=service.units(), value=unit),
                None)

    def unit_level_frame():
        return pd.DataFrame(P.unit_level_rows(service.unit_levels()), columns=P.UNIT_LEVEL_HEADERS)

    def do_set_level(unit, level):
        unit = (unit or "").strip()
        if not unit:
            raise gr.Error("请先在页面顶部选择或填写被考核单位", duration=ERROR_SECONDS)
        if not level:
            raise gr.Error("请选择单位级别", duration=ERROR_SECONDS)
        try:
            entry = service.set_unit_level(unit, level)
        except ValueError as exc:
            raise gr.Error(str(exc), duration=ERROR_SECONDS) from None
        msg = f"已将“{entry.name}”的级别设为{entry.level_label}（已记入单位名册）。重新预审后按此级别判断年度报告发布时限。"
        return unit_level_frame(), msg

    def do_prescreen(unit, year, show, progress=gr.Progress()):  # noqa: B008 (gradio's injection idiom)
        if not unit:
            raise gr.Error("请先选择被考核单位", duration=ERROR_SECONDS)
        if not service.documents(unit):
            raise gr.Error("该单位还没有材料，请先上传", duration=ERROR_SECONDS)
        progress(0, desc="预审中…")
        sc = service.prescreen(unit, P.parse_year(year),
                               on_item=lambda d, t: progress((d, t), desc="逐项预审", unit="项"))
        changed = sum(1 for d in service.decisions(unit).values() if d.suggestion_changed)
        msg = (f"预审完成：{sc.unit}，建议得分 {sc.total_suggested:.1f} / {sc.total_max:.1f} 分。"
               "请到“评分表”逐项复核。")
        if changed:
            msg += f"已有复核决定均保留；其中 {changed} 项的建议得分有变化，已在评分表中标出。"
        return (msg, *load_unit(unit, show))

    def load_materials(unit):
        docs = service.documents(unit) if unit else []
        rows = P.material_rows(docs)
        return (pd.DataFrame(rows, columns=P.MATERIAL_HEADERS),
                gr.update(choices=[r[0] for r in rows], value=None), gr.update(value=None))

    def do_set_type(unit, file, value):
        if not unit or not file or not value:
            raise gr.Error("请先选择被考核单位和材料文件", duration=ERROR_SECONDS)
        doc = service.set_doc_type(unit, file, P.parse_doc_type(value))
        how = "已恢复自动识别" if not doc.doc_type_overridden else "已人工指定"
        msg = f"《{file}》{how}为“{DOC_TYPE_LABELS[doc.doc_type]}”，重新预审后生效。"
        docs = service.documents(unit)
        return pd.DataFrame(P.material_rows(docs), columns=P.MATERIAL_HEADERS), msg

    def do_chat(unit, question, history):
        if not unit:
            raise gr.Error("请先选择被考核单位", duration=ERROR_SECONDS)
        question = (question or "").strip()
        if not question:
            return history, "", gr.update()
        reply = service.chat(unit, question)
        choices = P.citation_choices(reply.citations)
        answer = reply.answer + ("\n\n（点击下方引文可查看原文）" if choices else "")
        history = [*(history or []), {"role": "user", "content": question},
                   {"role": "assistant", "content": answer}]
        return history, "", gr.update(choices=choices, value=None)

    def do_overview():
        cards = [sc for u in service.units() if (sc := service.scorecard(u)) is not None]
        decisions = {sc.unit: service.decisions(sc.unit) for sc in cards}
        frame = pd.DataFrame(P.overview_rows(cards, decisions), columns=P.OVERVIEW_HEADERS)
        return frame, charts.ranking_figure(cards), charts.heatmap_figure(cards)

    def do_export(unit):
        if not unit:
            raise gr.Error("请先选择被考核单位", duration=ERROR_SECONDS)
        try:
            paths = service.export(unit)
        except ValueError as exc:
            raise gr.Error(str(exc), duration=ERROR_SECONDS) from None
        return [str(paths["xlsx"]), str(paths["docx"]), str(paths["json"])]

    def do_export_summary():
        try:
            return str(service.export_summary())
        except ValueError as exc:
            raise gr.Error(str(exc), duration=ERROR_SECONDS) from None

    # --- layout ----------------------------------------------------------------------------------
    with gr.Blocks(title="政务公开考核材料审查助手", analytics_enabled=False) as app:
        gr.Markdown("## 政务公开考核材料审查助手\n助手提出建议，复核人作出决定。所有确认、改分和备注均持久保存并留痕。")
        with gr.Row():
            unit = gr.Dropdown(label="被考核单位（可选择，或输入新单位名称后回车）", choices=service.units(),
                               value=None, allow_custom_value=True, interactive=True, elem_id="unit", scale=3)
            typed_name = gr.Textbox(label="复核人", placeholder="请填写姓名", visible=not accounts,
                                    elem_id="reviewer", scale=2)
        selected_key = gr.State(None)
        version = gr.State(0)
        with gr.Tabs():
            with gr.Tab("材料与预审", id="materials"):
                files = gr.File(label="上传材料（可多选、可拖放：PDF、Word、OFD、网页、图片、表格等）",
                                file_count="multiple", type="filepath", elem_id="upload")
                upload_btn = gr.Button("上传并解析", variant="primary", elem_id="upload-btn")
                upload_msg = gr.Markdown(elem_id="upload-msg")
                upload_table = gr.Dataframe(headers=P.UPLOAD_HEADERS, interactive=False, wrap=True,
                                            elem_id="upload-table")
                with gr.Row(equal_height=True):
                    year = gr.Dropdown(label="考核年度", choices=P.year_choices(), value=P.AUTO_YEAR, scale=2,
                                       elem_id="year")
                    screen_btn = gr.Button("开始预审", variant="primary", elem_id="screen-btn", scale=1)
                screen_msg = gr.Markdown(elem_id="screen-msg")
                with gr.Accordion("单位名册（单位级别决定年度报告的法定发布时限）", open=False, elem_id="roster"):
                    gr.Markdown("部门应于1月31日前、县级政府及开发区等应于3月31日前公布上一年度报告（条例第四十九条）。"
                                "未列入名册的单位按名称推断级别，无法推断时预审会请复核人确认。")
                    roster_table = gr.Dataframe(value=unit_level_frame, headers=P.UNIT_LEVEL_HEADERS,
                                                interactive=False, wrap=True, elem_id="roster-table")
                    with gr.Row(equal_height=True):
                        level_pick = gr.Dropdown(label="所选单位的级别", choices=P.level_choices(), value=None,
                                                 elem_id="roster-level", scale=2)
                        level_btn = gr.Button("设置级别", elem_id="roster-btn", scale=1)
                    level_msg = gr.Markdown(elem_id="roster-msg")
                gr.Markdown("#### 材料类型\n识别把握不大的材料标为“待确认”；选定文件后在“设为”中选择类型即保存，下次预审按此类型审查。")
                materials = gr.Dataframe(headers=P.MATERIAL_HEADERS, interactive=False, wrap=True,
                                         column_widths=["28%", "16%", "12%", "44%"], elem_id="materials-table")
                with gr.Row(equal_height=True):
                    material_file = gr.Dropdown(label="材料文件", choices=[], value=None, scale=3,
                                                elem_id="material-file")
                    material_type = gr.Dropdown(label="设为", choices=P.doc_type_choices(), value=None, scale=2,
                                                elem_id="material-type")
                material_msg = gr.Markdown(elem_id="material-msg")
            with gr.Tab("评分表", id="scorecard"):
                totals = gr.Markdown(elem_id="totals")
                show = gr.Radio(list(P.ROW_FILTERS), value="全部", label="显示", elem_id="row-filter")
                table = gr.Dataframe(headers=P.TABLE_HEADERS, interactive=False, wrap=True, max_height=420,
                                     column_widths=["7%", "8%", "17%", "6%", "7%", "7%", "8%", "14%", "26%"],
                                     elem_id="scorecard-table")
                with gr.Row():
                    with gr.Column(scale=5):
                        item_md = gr.Markdown(P.NO_ITEM, elem_id="item")
                        cites = gr.Radio(label="原文引文（点击查看原文）", choices=[], elem_id="citations")
                        with gr.Row():
                            points = gr.Number(label="复核得分", precision=1, elem_id="points", scale=1)
                            reason = gr.Textbox(label="改分理由（改分时必填）", elem_id="reason", scale=3)
                        comment = gr.Textbox(label="备注", elem_id="comment")
                        with gr.Row():
                            buttons = {a: gr.Button(label, variant="primary" if a == Action.confirm else "secondary",
                                                    elem_id=f"{a}-btn", min_width=90)
                                       for a, label in DECISION_BUTTONS.items()}
                        decision_msg = gr.Markdown(elem_id="decision-msg")
                        history = gr.Markdown(elem_id="history")
                    with gr.Column(scale=6):
                        viewer_img = gr.Image(label="原文页面（红框为引文位置）", visible=False, type="pil",
                                              interactive=False, elem_id="viewer-image", height=720)
                        viewer_html = gr.HTML(visible=False, elem_id="viewer-text")
            with gr.Tab("问答", id="chat"):
                chatbot = gr.Chatbot(label="就本单位材料提问（回答只依据已上传的材料）", height=380, elem_id="chatbot")
                with gr.Row():
                    question = gr.Textbox(placeholder="例如：2023年年报是否按统一格式编制？", scale=5,
                                          show_label=False, elem_id="question")
                    ask_btn = gr.Button("提问", variant="primary", elem_id="ask-btn", scale=1)
                with gr.Row():
                    with gr.Column(scale=5):
                        chat_cites = gr.Radio(label="回答中的引文（点击查看原文）", choices=[], elem_id="chat-citations")
                    with gr.Column(scale=6):
                        chat_img = gr.Image(visible=False, type="pil", interactive=False, height=640,
                                            elem_id="chat-image")
                        chat_html = gr.HTML(visible=False, elem_id="chat-text")
            with gr.Tab("总览", id="overview"):
                refresh_btn = gr.Button("刷新总览", elem_id="overview-btn")
                progress_table = gr.Dataframe(headers=P.OVERVIEW_HEADERS, interactive=False, elem_id="overview-table")
                ranking = gr.Plot(label="得分排名", elem_id="ranking")
                heatmap = gr.Plot(label="各指标得分率", elem_id="heatmap")
            with gr.Tab("导出", id="export"):
                gr.Markdown("导出文件包含助手的建议得分，以及复核人确认的得分、改分理由和备注。")
                export_btn = gr.Button("导出本单位评分表与审查意见", variant="primary", elem_id="export-btn")
                export_files = gr.File(label="本单位导出文件（Excel 评分表、Word 审查意见、JSON）", file_count="multiple",
                                       interactive=False, elem_id="export-files")
                summary_btn = gr.Button("导出全部单位汇总表", elem_id="summary-btn")
                summary_file = gr.File(label="汇总表", interactive=False, elem_id="summary-file")
            build_agreement_tab(service, unit, typed_name, reviewer_name)  # 一致性 (review/agreement_tab.py)

        # --- wiring ------------------------------------------------------------------------------
        item_outputs = [item_md, cites, version, points, reason, comment, history]
        app.load(on_load, [unit, show], [unit, table, totals])
        show.change(load_unit, [unit, show], [table, totals])
        unit.change(load_unit, [unit, show], [table, totals]).then(
            lambda: (None, *show_item(None, None), gr.update(value=None, visible=False),
                     gr.update(value="", visible=False)),
            None, [selected_key, *item_outputs, viewer_img, viewer_html])
        upload_btn.click(do_upload, [unit, files], [upload_table, upload_msg, unit, files]).then(
            unit_level_frame, None, roster_table).then(
            load_materials, unit, [materials, material_file, material_type])
        level_btn.click(do_set_level, [unit, level_pick], [roster_table, level_msg])
        unit.change(load_materials, unit, [materials, material_file, material_type])
        app.load(load_materials, unit, [materials, material_file, material_type])
        material_type.input(do_set_type, [unit, material_file, material_type], [materials, material_msg])
        screen_btn.click(do_prescreen, [unit, year, show], [screen_msg, table, totals])
        table.select(on_select, unit, [selected_key, *item_outputs, decision_msg])
        cites.change(open_citation, cites, [viewer_img, viewer_html])
        inputs = [unit, show, selected_key, version, typed_name, points, reason, comment]
        outputs = [*item_outputs, table, totals, decision_msg]
        for action, btn in buttons.items():
            btn.click(decider(action), inputs, outputs, api_name=f"decide_{action}",
                      concurrency_limit=DECIDE_CONCURRENCY, concurrency_id="decide")
        gr.api(api_decide, api_name="decide", concurrency_limit=DECIDE_CONCURRENCY, concurrency_id="decide")
        ask_btn.click(do_chat, [unit, question, chatbot], [chatbot, question, chat_cites])
        question.submit(do_chat, [unit, question, chatbot], [chatbot, question, chat_cites])
        chat_cites.change(open_citation, chat_cites, [chat_img, chat_html])
        refresh_btn.click(do_overview, None, [progress_table, ranking, heatmap])
        export_btn.click(do_export, unit, export_files)
        summary_btn.click(do_export_summary, None, summary_file)
    return app
