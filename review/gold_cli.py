"""`zwgk gold export` (reviewed units as eval cases) and `zwgk agreement` (assistant vs reviewers).

Both read the workspace's current results and review decisions; neither runs the assistant nor needs
a model. Exit codes as elsewhere: 0 done, 1 done but some units could not be exported, 2 nothing done
(no such workspace or unit, unreadable catalog).
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from core.errors import ConfigError

_workspace = click.option("--workspace", required=True,
                          type=click.Path(exists=True, file_okay=False, path_type=Path), help="工作区目录。")
_catalog = click.option("--catalog", default="langfang-2023", show_default=True, help="考核指标目录。")


@contextmanager
def _service(workspace: Path, catalog: str):
    from assistant.llm.backend import NoLLM
    from review.service import ReviewService

    service = ReviewService(workspace, catalog, backend=NoLLM())  # reading decisions needs no model
    try:
        yield service
    finally:
        service.close()


def _check_unit(service, unit: str | None) -> None:
    if unit is not None and service.scorecard(unit) is None:
        known = "、".join(service.units()) or "无"
        raise ConfigError(f"工作区中没有单位“{unit}”的预审结果；现有单位：{known}")


def _table(title: str, headers: list[str], rows: list[list]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_lines=False)
    for h in headers:
        table.add_column(h, overflow="fold")
    for row in rows:
        table.add_row(*(str(c) for c in row))
    Console(width=200).print(table)


@click.group("gold")
def gold_group() -> None:
    """复核结果转为人工评分样例（gold-format.md），供 zwgk eval 评测。"""


@gold_group.command("export")
@_workspace
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="输出目录（默认：工作区内的 gold/）；每个单位一个样例目录 <单位>-<年度>/（gold.yaml + docs/）。")
@click.option("--unit", default=None, help="只导出该单位。")
@click.option("--partial", is_flag=True, help="也导出未复核完毕的单位（只含已复核的项）。")
@_catalog
@click.option("--json", "as_json", is_flag=True, help="在标准输出打印 JSON。")
def gold_export_command(workspace: Path, out: Path | None, unit: str | None, partial: bool, catalog: str,
                        as_json: bool) -> None:
    """把复核完毕的单位写成评测样例：复核得分和结论为人工评分，改分理由为说明，助手引文为依据，材料复制到 docs/。"""
    from review.gold_export import export_gold

    out = out or workspace / "gold"
    with _service(workspace, catalog) as service:
        _check_unit(service, unit)
        result = export_gold(service, out, unit=unit, partial=partial)
    for case in result.cases:
        part = f"（部分：{case.items}/{case.total} 项）" if case.partial else ""
        click.echo(f"已导出 {case.case}：{case.items} 项{part}，其中改分 {case.overridden} 项，材料 {case.documents} 件", err=True)
        for w in case.warnings:
            click.echo(f"  注意：{w}", err=True)
    for s in result.skipped:
        click.echo(f"未导出 {s.unit}：{s.reason}", err=True)
    for w in result.warnings:
        click.echo(f"注意：{w}", err=True)
    if result.cases:
        click.echo(f"评测：zwgk eval {out}", err=True)
    else:
        click.echo("没有可导出的单位：请先在复核界面确认或改分，复核完毕后再导出。", err=True)
    if as_json:
        click.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False))
    # a named unit not exported, or nothing exported at all, is a failed input
    sys.exit(1 if (unit is not None and result.skipped) or not result.cases else 0)


@click.command("agreement")
@_workspace
@click.option("--unit", "units", multiple=True, help="只统计指定单位（可多次给出）。")
@click.option("--rules", is_flag=True, help="只列出标记“规则有误”的改分（单位、评分项、引文），作为规则修改清单。")
@_catalog
@click.option("--json", "as_json", is_flag=True, help="在标准输出打印 JSON。")
def agreement_command(workspace: Path, units: tuple[str, ...], rules: bool, catalog: str, as_json: bool) -> None:
    """助手与复核人的一致性：按单位、指标和评分项统计判定一致率、平均分差、常见改分理由和改分集中的项。"""
    from review import agreement as A

    with _service(workspace, catalog) as service:
        for u in units:
            _check_unit(service, u)
        report = A.agreement(A.collect(service, list(units) or None))
    if rules:
        if as_json:
            click.echo(json.dumps({"rule_errors": [e.model_dump(mode="json") for e in report.rule_errors]},
                                  ensure_ascii=False))
        elif report.rule_errors:
            _table(f"规则有误清单（{len(report.rule_errors)} 项）", A.RULE_HEADERS, A.rule_rows(report))
        else:
            click.echo("没有标记“规则有误”的改分。")
        return
    if as_json:
        click.echo(json.dumps(report.model_dump(mode="json"), ensure_ascii=False))
        return
    click.echo(A.summary_line(report))
    if not report.overall.items:
        return
    _table("按单位", A.UNIT_HEADERS, A.unit_rows(report))
    _table("按指标", A.INDICATOR_HEADERS, A.indicator_rows(report))
    _table("按评分项", A.ITEM_HEADERS, A.item_rows(report))
    if report.clusters:
        _table("改分集中的评分项（优先修改这些规则）", A.CLUSTER_HEADERS, A.cluster_rows(report))
    if report.rule_errors:
        click.echo(f"另有 {len(report.rule_errors)} 项改分标记为“规则有误”：zwgk agreement --rules 查看清单。")
