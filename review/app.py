"""The Gradio review UI (Chinese). Start it with `zwgk serve` / `make serve`.

Every action goes through review.service.ReviewService; this module only lays out the screens and
wires events. Decisions are written with the version the reviewer saw, so a concurrent change is
reported (and the current value shown) instead of being overwritten.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import zwgk  # noqa: F401  (offline switches before gradio is imported)

# isort: split

import gradio as gr
import pandas as pd

from assistant.checkpoints import item_key
from assistant.scorecard import Scorecard, ScoreItem
from indicators.findings import FLAG_LABELS, VERDICT_LABELS
from review import charts
from review.service import ReviewService
from review.store import Action, DecisionError, StaleDecision
from review.viewer import render_pdf_passage, text_passage_html

CSS = """
.zw-src {color:#555;font-size:0.9em;margin-bottom:6px}
mark#zw-hit {background:#ffe066;padding:1px 2px;border-bottom:2px solid #d33}
"""
TABLE_HEADERS = ["编号", "一级指标", "指标名称", "满分", "建议得分", "复核得分", "结论", "复核状态", "提示"]
STATUS_LABELS = {"confirmed": "✅ 已确认", "overridden": "✏️ 已改分", "pending": "⏳ 待复核"}
STATUS_COLORS = {"confirmed": "#e6f4ea", "overridden": "#fff4e5", "pending": "#ffffff", "attention": "#fde8e8"}


def _today_cn(d: dt.date | None = None) -> str:
    d = d or dt.date.today()
    return f"{d.year}年{d.month}月{d.day}日"


def _key(item: ScoreItem) -> str:
    return item_key(item.id, item.sub)


def _label(item: ScoreItem) -> str:
    return f"{item.id}" + (f"（{item.sub}）" if item.sub is not None else "")


def _row_status(item: ScoreItem, decision) -> str:
    if decision is None or decision.status == "pending":
        return "attention" if "needs_human" in item.flags else "pending"
    return decision.status


def scorecard_frame(sc: Scorecard | None, decisions: dict):
    if sc is None:
        return pd.DataFrame(columns=TABLE_HEADERS)
    rows, colors = [], []
    for it in sc.items:
        d = decisions.get(_key(it))
        status = _row_status(it, d)
        label = STATUS_LABELS.get(d.status if d else "pending", "⏳ 待复核")
        if d and d.suggestion_changed:
            label += "（建议分已变化）"
        if d and d.discuss:
            label += "｜待讨论"
        rows.append([_label(it), it.level1, it.name, f"{it.max_points:.1f}", f"{it.suggested_points:.1f}",
                     f"{d.points:.1f}" if d and d.points is not None else "", VERDICT_LABELS[it.verdict], label,
                     "、".join(FLAG_LABELS.get(f, f) for f in it.flags)])
        colors.append(STATUS_COLORS[status])
    df = pd.DataFrame(rows, columns=TABLE_HEADERS)
    return df.style.apply(lambda r: [f"background-color: {colors[r.name]}"] * len(r), axis=1)


def totals_markdown(sc: Scorecard | None, decisions: dict) -> str:
    if sc is None:
        return "尚未预审。请在“材料与预审”中上传材料并开始预审。"
    levels: dict[str, list[float]] = {}
    reviewed = 0
    for it in sc.items:
        d = decisions.get(_key(it))
        confirmed = d.points if d and d.status in ("confirmed", "overridden") else None
        reviewed += confirmed is not None
        acc = levels.setdefault(it.level1, [0.0, 0.0, 0.0])
        acc[0] += it.max_points
        acc[1] += it.suggested_points
        acc[2] += confirmed if confirmed is not None else it.suggested_points
    lines = [f"**{sc.unit}**　考核年度：{sc.year or '未识别'}　已复核 {reviewed}/{len(sc.items)} 项", "",
             "| 一级指标 | 满分 | 建议得分 | 复核后得分 |", "| --- | ---: | ---: | ---: |"]
    for name, (mx, sug, fin) in levels.items():
        lines.append(f"| {name} | {mx:.1f} | {sug:.1f} | {fin:.1f} |")
    tot = [sum(v[i] for v in levels.values()) for i in range(3)]
    lines.append(f"| **合计** | **{tot[0]:.1f}** | **{tot[1]:.1f}** | **{tot[2]:.1f}** |")
    lines.append("\n（复核后得分：已复核的项取复核得分，未复核的项暂取建议得分。）")
    return "\n".join(lines)


def citation_choices(item: ScoreItem | None) -> list[tuple[str, str]]:
    if item is None:
        return []
    out = []
    for n, c in enumerate(item.citations, 1):
        page = f" 第{c.page}页" if c.page else ""
        quote = c.quote if len(c.quote) <= 60 else c.quote[:60] + "…"
        out.append((f"[{n}] {c.file}{page}：“{quote}”", f"{c.doc_id}|{c.start}|{c.end}|{n}"))
    return out


def item_markdown(item: ScoreItem | None, decision) -> str:
    if item is None:
        return "在评分表中点击一行，查看该项的审查意见。"
    flags = "、".join(FLAG_LABELS.get(f, f) for f in item.flags) or "无"
    lines = [
        f"### {_label(item)} {item.name}（满分 {item.max_points:.1f} 分）",
        f"**考核要点：** {html.escape(item.requirement)}",
        f"**结论：** {VERDICT_LABELS[item.verdict]}　**建议得分：** {item.suggested_points:.1f} 分　"
        f"**依据来源：** {item.source}　**提示：** {flags}",
        f"**审查意见：** {html.escape(item.rationale)}",
    ]
    if decision and decision.version:
        st = STATUS_LABELS.get(decision.status, decision.status)
        pts = f"{decision.points:.1f} 分" if decision.points is not None else "—"
        lines.append(f"**复核：** {st}　复核得分 {pts}　复核人 {decision.reviewer}　"
                     f"时间 {decision.updated_at or ''}" + (f"　理由：{decision.reason}" if decision.reason else "")
                     + (f"　备注：{decision.comment}" if decision.comment else "")
                     + ("　**（重新预审后建议分已变化，请再次确认）**" if decision.suggestion_changed else ""))
    if not item.citations:
        lines.append("_（本项没有可核实的原文引文）_")
    return "\n\n".join(lines)


def build_app(service: ReviewService, require_login: bool = False) -> gr.Blocks:
    def reviewer_name(typed: str, request: gr.Request | None) -> str:
        user = getattr(request, "username", None) if request is not None else None
        name = (user or typed or "").strip()
        if not name:
            raise gr.Error("请先在页面顶部填写复核人姓名")
        return name

    def unit_choices():
        return gr.update(choices=service.units())

    def load_unit(unit: str | None):
        sc = service.scorecard(unit) if unit else None
        decisions = service.decisions(unit) if unit else {}
        return scorecard_frame(sc, decisions), totals_markdown(sc, decisions)

    def current_item(unit: str | None, key: str | None):
        sc = service.scorecard(unit) if unit else None
        item = next((i for i in sc.items if _key(i) == key), None) if sc and key else None
        decision = service.decisions(unit).get(key) if item else None
        return sc, item, decision

    def show_item(unit, key):
        _, item, decision = current_item(unit, key)
        version = decision.version if decision else 0
        points = decision.points if decision and decision.points is not None else (item.suggested_points if item else None)
        return (item_markdown(item, decision), gr.update(choices=citation_choices(item), value=None), version,
                points, decision.comment if decision else "")

    def on_select(unit, evt: gr.SelectData):
        sc = service.scorecard(unit) if unit else None
        if sc is None or evt.index is None:
            return None, *show_item(unit, None)
        row = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        key = _key(sc.items[row])
        return key, *show_item(unit, key)

    def open_citation(value: str | None):
        if not value:
            return gr.update(value=None, visible=False), gr.update(value="", visible=False)
        doc_id, start, end, _n = value.split("|")
        start, end = int(start), int(end)
        doc = service.document(doc_id)
        page = doc.page_of(start)
        stored = service.stored_file(doc_id)
        html_view = text_passage_html(doc, start, end)
        if stored is not None and doc.file_type == "pdf" and page:
            try:
                image = render_pdf_passage(stored, page, doc.text[start:end])
                return gr.update(value=image, visible=True), gr.update(value=html_view, visible=True)
            except Exception:  # fall back to the text view
                pass
        return gr.update(value=None, visible=False), gr.update(value=html_view, visible=True)

    def decide(action: Action, unit, key, version, typed_name, points, reason, comment, request: gr.Request):
        if not unit or not key:
            raise gr.Error("请先在评分表中选择一项")
        name = reviewer_name(typed_name, request)
        try:
            service.decide(unit, key, action, reviewer=name, expected_version=int(version or 0),
                           points=None if points is None else float(points), reason=reason or "",
                           comment=comment if action != Action.discuss else None)
            message = f"已保存（{name}，{_today_cn()}）。"
        except StaleDecision as exc:
            cur = exc.current
            shown = f"{cur.points:.1f} 分" if cur.points is not None else "未评分"
            gr.Warning(f"该项已被 {cur.reviewer} 修改为 {shown}（{STATUS_LABELS.get(cur.status, cur.status)}），"
                       "已显示最新结果，请核对后再操作。")
            message = f"未保存：该项已被 {cur.reviewer} 修改，当前为 {shown}。"
        except DecisionError as exc:
            raise gr.Error(str(exc)) from None
        frame, totals = load_unit(unit)
        return (*show_item(unit, key), frame, totals, message)

    def decider(action: Action):
        def handler(unit, key, version, typed_name, points, reason, comment, request: gr.Request):
            return decide(action, unit, key, version, typed_name, points, reason, comment, request)

        return handler

    def do_upload(unit, files, progress=gr.Progress()):  # noqa: B008 (gradio's injection idiom)
        if not files:
            raise gr.Error("请选择要上传的材料文件")
        unit = (unit or "").strip()
        if not unit:
            raise gr.Error("请先填写或选择被考核单位")
        progress(0, desc="解析材料…")
        results = service.upload(unit, [Path(f) for f in files])
        rows = [[r.file, str(r.doc_type or ""), r.pages or "", r.chunks,
                 {"ok": "已入库", "skipped": "未变化", "error": "失败"}[str(r.status)], r.error or ""]
                for r in results]
        failed = sum(1 for r in results if str(r.status) == "error")
        msg = f"共 {len(results)} 个文件，失败 {failed} 个。" + ("失败原因见下表。" if failed else "")
        return (pd.DataFrame(rows, columns=["文件", "材料类型", "页数", "分块", "状态", "说明"]), msg,
                gr.update(choices=service.units(), value=unit))

    def do_prescreen(unit, year, progress=gr.Progress()):  # noqa: B008 (gradio's injection idiom)
        if not unit:
            raise gr.Error("请先选择被考核单位")
        progress(0, desc="预审中…")
        sc = service.prescreen(unit, int(year) if year else None,
                               on_item=lambda d, t: progress((d, t), desc="预审中…"))
        frame, totals = load_unit(unit)
        return (f"预审完成：{sc.unit}，建议得分 {sc.total_suggested:.1f} / {sc.total_max:.1f} 分。", frame, totals)

    def do_chat(unit, question, history):
        if not unit:
            raise gr.Error("请先选择被考核单位")
        if not (question or "").strip():
            return history, "", gr.update()
        answer = service.chat(unit, question.strip())
        history = [*(history or []), {"role": "user", "content": question},
                   {"role": "assistant", "content": answer.answer}]
        choices = [(f"[{n}] {c.file}{(' 第' + str(c.page) + '页') if c.page else ''}：“{c.quote[:50]}”",
                    f"{c.doc_id}|{c.start}|{c.end}|{n}") for n, c in enumerate(answer.citations, 1)]
        return history, "", gr.update(choices=choices, value=None)

    def do_overview():
        cards = [sc for u in service.units() if (sc := service.scorecard(u)) is not None]
        rows = []
        for sc in cards:
            decided = sum(1 for i in sc.items if i.decision and i.decision.confirmed_points is not None)
            rows.append([sc.unit, sc.year or "", f"{sc.total_suggested:.1f}",
                         f"{sc.total_confirmed:.1f}" if sc.total_confirmed is not None else "未完成",
                         f"{decided}/{len(sc.items)}"])
        frame = pd.DataFrame(rows, columns=["单位", "年度", "建议得分", "复核得分", "复核进度"])
        return charts.ranking_figure(cards), charts.heatmap_figure(cards), frame

    def do_export(unit):
        if not unit:
            raise gr.Error("请先选择被考核单位")
        try:
            paths = service.export(unit)
        except ValueError as exc:
            raise gr.Error(str(exc)) from None
        return [str(paths["xlsx"]), str(paths["docx"]), str(paths["json"])]

    def do_export_summary():
        return str(service.export_summary())

    with gr.Blocks(title="政务公开考核材料审查助手", analytics_enabled=False) as app:
        gr.Markdown("## 政务公开考核材料审查助手\n助手提出建议，复核人作出决定。所有确认、改分和备注均持久保存并留痕。")
        with gr.Row():
            unit = gr.Dropdown(label="被考核单位", choices=service.units(), allow_custom_value=True,
                               interactive=True, elem_id="unit", scale=3)
            typed_name = gr.Textbox(label="复核人", placeholder="请填写姓名", visible=not require_login,
                                    elem_id="reviewer", scale=2)
        selected_key = gr.State(None)
        version = gr.State(0)
        with gr.Tabs():
            with gr.Tab("材料与预审", id="materials"):
                files = gr.File(label="上传材料（可多选、可拖放：PDF、Word、网页、图片、表格等）",
                                file_count="multiple", type="filepath", elem_id="upload")
                upload_btn = gr.Button("上传并解析", variant="primary", elem_id="upload-btn")
                upload_msg = gr.Markdown(elem_id="upload-msg")
                upload_table = gr.Dataframe(interactive=False, wrap=True, elem_id="upload-table")
                with gr.Row():
                    year = gr.Number(label="考核年度（留空则取材料中最新年度）", precision=0)
                    screen_btn = gr.Button("开始预审", variant="primary", elem_id="screen-btn")
                screen_msg = gr.Markdown(elem_id="screen-msg")
            with gr.Tab("评分表", id="scorecard"):
                totals = gr.Markdown(elem_id="totals")
                table = gr.Dataframe(headers=TABLE_HEADERS, interactive=False, wrap=True, max_height=520,
                                     elem_id="scorecard-table")
                with gr.Row():
                    with gr.Column(scale=3):
                        item_md = gr.Markdown("在评分表中点击一行，查看该项的审查意见。", elem_id="item")
                        cites = gr.Radio(label="原文引文（点击查看原文）", choices=[], elem_id="citations")
                        with gr.Row():
                            points = gr.Number(label="复核得分", precision=1, elem_id="points")
                            reason = gr.Textbox(label="改分理由（改分时必填）", elem_id="reason")
                        comment = gr.Textbox(label="备注", elem_id="comment")
                        with gr.Row():
                            confirm_btn = gr.Button("确认建议分", variant="primary", elem_id="confirm-btn")
                            override_btn = gr.Button("改分", elem_id="override-btn")
                            comment_btn = gr.Button("保存备注", elem_id="comment-btn")
                            discuss_btn = gr.Button("标记/取消待讨论", elem_id="discuss-btn")
                        decision_msg = gr.Markdown(elem_id="decision-msg")
                    with gr.Column(scale=4):
                        viewer_img = gr.Image(label="原文页面（红框为引文位置）", visible=False, type="pil",
                                              elem_id="viewer-image")
                        viewer_html = gr.HTML(visible=False, elem_id="viewer-text")
            with gr.Tab("问答", id="chat"):
                chatbot = gr.Chatbot(label="就本单位材料提问", height=420, elem_id="chatbot")
                with gr.Row():
                    question = gr.Textbox(placeholder="例如：这份年报是否符合统一格式？", scale=5,
                                          show_label=False, elem_id="question")
                    ask_btn = gr.Button("提问", variant="primary", elem_id="ask-btn")
                chat_cites = gr.Radio(label="回答中的引文（点击查看原文）", choices=[], elem_id="chat-citations")
                chat_img = gr.Image(visible=False, type="pil")
                chat_html = gr.HTML(visible=False)
            with gr.Tab("总览", id="overview"):
                refresh_btn = gr.Button("刷新总览", elem_id="overview-btn")
                progress_table = gr.Dataframe(interactive=False, elem_id="overview-table")
                ranking = gr.Plot(label="得分排名")
                heatmap = gr.Plot(label="指标得分率")
            with gr.Tab("导出", id="export"):
                gr.Markdown("导出文件包含建议得分以及复核人确认的得分和意见。")
                export_btn = gr.Button("导出本单位评分表与审查意见", variant="primary", elem_id="export-btn")
                export_files = gr.File(label="本单位导出文件", file_count="multiple", elem_id="export-files")
                summary_btn = gr.Button("导出全部单位汇总表", elem_id="summary-btn")
                summary_file = gr.File(label="汇总表", elem_id="summary-file")

        item_outputs = [item_md, cites, version, points, comment]
        unit.change(load_unit, unit, [table, totals]).then(lambda: (None, *show_item(None, None)), None,
                                                            [selected_key, *item_outputs])
        app.load(unit_choices, None, unit)
        upload_btn.click(do_upload, [unit, files], [upload_table, upload_msg, unit])
        screen_btn.click(do_prescreen, [unit, year], [screen_msg, table, totals])
        table.select(on_select, unit, [selected_key, *item_outputs])
        cites.change(open_citation, cites, [viewer_img, viewer_html])
        common = [unit, selected_key, version, typed_name, points, reason, comment]
        outs = [*item_outputs, table, totals, decision_msg]
        for btn, action in ((confirm_btn, Action.confirm), (override_btn, Action.override),
                            (comment_btn, Action.comment), (discuss_btn, Action.discuss)):
            btn.click(decider(action), common, outs, api_name=f"decide_{action}")
        ask_btn.click(do_chat, [unit, question, chatbot], [chatbot, question, chat_cites])
        question.submit(do_chat, [unit, question, chatbot], [chatbot, question, chat_cites])
        chat_cites.change(open_citation, chat_cites, [chat_img, chat_html])
        refresh_btn.click(do_overview, None, [ranking, heatmap, progress_table])
        export_btn.click(do_export, unit, export_files)
        summary_btn.click(do_export_summary, None, summary_file)
    return app
