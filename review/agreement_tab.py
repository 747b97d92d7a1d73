"""The 一致性 tab: how far the assistant agrees with the reviewers, and the 规则有误 work list.

Built by `build_agreement_tab` inside the app's `gr.Tabs()`; the figures are `review.agreement`'s,
the same as `zwgk agreement`. Marking an override 规则有误 goes through ReviewService.decide like any
decision (versioned, audited). Failures are shown next to the control, never as a page-wide error.
"""

from __future__ import annotations

from collections.abc import Callable

import core  # noqa: F401  (offline switches before gradio is imported)

# isort: split

import gradio as gr
import pandas as pd

from review import agreement as A
from review.service import ReviewService
from review.store import Action, DecisionError, StaleDecision

NO_OVERRIDE = "在上方选择被考核单位后，从下拉框中选择一项改分。"


def override_choices(service: ReviewService, unit: str | None) -> list[tuple[str, str]]:
    """(label, item key) of the unit's overrides, for the marking dropdown."""
    sc = service.scorecard(unit) if unit else None
    if sc is None:
        return []
    review = A.unit_review(sc, service.decisions(unit))
    return [(f"{i.label}：助手 {i.assistant_points:.1f} → 复核 {i.reviewer_points:.1f}"
             + ("（已标记规则有误）" if i.rule_error else ""), i.key) for i in review.items if i.overridden]


def override_markdown(service: ReviewService, unit: str | None, key: str | None) -> tuple[str, str, int]:
    """What the chosen override says (reason, current mark), its rule note and the version seen."""
    d = service.decisions(unit).get(key) if unit and key else None
    if d is None or d.status != "overridden":
        return NO_OVERRIDE, "", 0
    text = f"**改分理由**：{d.reason}"
    if d.rule_error:
        text += f"\n\n**已标记规则有误**：{d.rule_note}"
    return text, d.rule_note, d.version


def build_agreement_tab(service: ReviewService, unit: gr.Dropdown, typed_name: gr.Textbox,
                        reviewer_name: Callable[[str, gr.Request | None], str]) -> gr.Tab:
    """The tab and its events; `reviewer_name(typed, request)` is the app's: the account's name or the typed one."""

    def load():
        report = A.agreement(A.collect(service))
        frame = lambda rows, headers: pd.DataFrame(rows, columns=headers)  # noqa: E731
        return (A.summary_line(report), frame(A.unit_rows(report), A.UNIT_HEADERS),
                frame(A.indicator_rows(report), A.INDICATOR_HEADERS), frame(A.item_rows(report), A.ITEM_HEADERS),
                frame(A.cluster_rows(report), A.CLUSTER_HEADERS), frame(A.rule_rows(report), A.RULE_HEADERS))

    def load_overrides(unit_name):
        return gr.update(choices=override_choices(service, unit_name), value=None), *override_markdown(
            service, unit_name, None), ""

    def mark(unit_name, key, note, version, typed, request: gr.Request, clear: bool = False):
        try:
            if not unit_name or not key:
                raise ValueError("请先选择被考核单位和一项改分")
            name = reviewer_name(typed, request)
            service.decide(unit_name, key, Action.rule_error, reviewer=name, expected_version=int(version or 0),
                           reason="" if clear else (note or ""))
            message = "已取消“规则有误”标记。" if clear else "已标记“规则有误”，已列入规则修改清单。"
        except StaleDecision as exc:
            message = f"未保存：该项已被 {exc.current.reviewer or '他人'} 修改，已显示最新内容，请核对后再操作。"
        except (DecisionError, ValueError, gr.Error) as exc:
            message = f"未保存：{getattr(exc, 'message', None) or exc}"
        choices = override_choices(service, unit_name)
        info, rule_note, seen = override_markdown(service, unit_name, key)
        return (gr.update(choices=choices, value=key if any(k == key for _, k in choices) else None),
                info, rule_note, seen, message, *load())

    with gr.Tab("一致性", id="agreement") as tab:
        gr.Markdown("助手建议与复核决定的一致性：判定一致率、平均分差、常见改分理由，以及改分集中的评分项"
                    "（这些项的规则宜优先修改）。命令行：`zwgk agreement`；复核完毕的单位可用 `zwgk gold export` 导出为评测样例。")
        refresh = gr.Button("刷新", elem_id="agreement-refresh")
        summary = gr.Markdown(elem_id="agreement-summary")
        units_table = gr.Dataframe(headers=A.UNIT_HEADERS, interactive=False, wrap=True, elem_id="agreement-units")
        gr.Markdown("#### 改分集中的评分项")
        clusters = gr.Dataframe(headers=A.CLUSTER_HEADERS, interactive=False, wrap=True, elem_id="agreement-clusters")
        gr.Markdown("#### 按指标")
        indicators = gr.Dataframe(headers=A.INDICATOR_HEADERS, interactive=False, wrap=True,
                                  elem_id="agreement-indicators")
        with gr.Accordion("按评分项（分项）", open=False):
            items = gr.Dataframe(headers=A.ITEM_HEADERS, interactive=False, wrap=True, elem_id="agreement-items")
        gr.Markdown("#### 规则有误\n改分是因为规则本身有误（而非本单位的特殊情况）时，在此标记并说明；"
                    "标记的改分列入下方的规则修改清单（`zwgk agreement --rules`）。")
        with gr.Row(equal_height=True):
            pick = gr.Dropdown(label="本单位的改分项", choices=[], value=None, scale=3, elem_id="rule-item")
            note = gr.Textbox(label="规则有误说明（必填）", scale=3, elem_id="rule-note")
        with gr.Row():
            mark_btn = gr.Button("标记规则有误", variant="primary", elem_id="rule-mark")
            clear_btn = gr.Button("取消标记", elem_id="rule-clear")
        seen = gr.State(0)
        info = gr.Markdown(NO_OVERRIDE, elem_id="rule-info")
        message = gr.Markdown(elem_id="rule-msg")
        rules = gr.Dataframe(headers=A.RULE_HEADERS, interactive=False, wrap=True, elem_id="rule-list")

    tables = [summary, units_table, indicators, items, clusters, rules]
    tab.select(load, None, tables)
    refresh.click(load, None, tables)
    tab.select(load_overrides, unit, [pick, info, note, seen, message])
    unit.change(load_overrides, unit, [pick, info, note, seen, message])
    pick.input(lambda u, k: override_markdown(service, u, k), [unit, pick], [info, note, seen])
    outputs = [pick, info, note, seen, message, *tables]
    inputs = [unit, pick, note, seen, typed_name]

    def do_mark(u, k, n, v, t, request: gr.Request):
        return mark(u, k, n, v, t, request)

    def do_clear(u, k, n, v, t, request: gr.Request):
        return mark(u, k, n, v, t, request, clear=True)

    mark_btn.click(do_mark, inputs, outputs)
    clear_btn.click(do_clear, inputs, outputs)
    return tab
