"""`zwgk screen` and `zwgk chat` (cli-contract.md)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from core.display import safe_name
from core.errors import ConfigError
from ingestion.cli import doc_type_option, stop_on_sigterm

_LLM = click.Choice(["none", "openai"])


def _backend(llm: str | None, workspace: Path):
    from assistant.llm.backend import make_backend
    from core.settings import get_settings

    settings = get_settings()
    if llm is not None:
        settings = settings.model_copy(update={"llm": llm})
    if settings.llm == "openai" and not settings.llm_base_url:
        raise ConfigError("使用 --llm openai 需要设置环境变量 ZWGK_LLM_BASE_URL（以及 ZWGK_LLM_MODEL、ZWGK_LLM_API_KEY）")
    return make_backend(settings, workspace)


def llm_exit_code(usage, allow_failures: bool) -> int:
    """0 when every model call that was needed got an answer; 1 when some failed; 2 when all did.
    `--allow-llm-failures` accepts a partial run (0): failed items keep their rule findings, flagged."""
    if allow_failures or not usage.failed:
        return 0
    return 2 if usage.failed >= usage.asked else 1


def echo_llm_summary(backend) -> None:
    """The run's closing line on stderr (asked, answered, failed by cause), when a model was used."""
    if backend.enabled:
        click.echo(backend.usage_report().items_zh(), err=True)


def exit_now(code: int) -> None:
    """Exit without waiting for model requests still in flight.

    LangChain runs a request on its own thread pool, and Python joins those threads at exit: after a
    Ctrl-C or the run's deadline that would mean waiting out ZWGK_LLM_TIMEOUT. Everything that must be
    kept is already on disk (each finding is checkpointed when done; the databases are closed by the
    `with`/`finally` blocks that were left), so the process ends here, output flushed.
    """
    parallel = sys.modules.get("ingestion.parallel")
    if parallel is not None:
        parallel.settle()  # no parse worker half-started (it would print a traceback)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def abandoned_requests(backend) -> bool:
    """Whether the run gave up on requests (the deadline) that may still be in flight."""
    return bool(backend is not None and backend.enabled and backend.usage_report().failed_by_cause.get("deadline"))


allow_llm_failures_option = click.option(
    "--allow-llm-failures", is_flag=True,
    help="模型调用失败（超时、HTTP 错误、JSON 无效、连接失败）时仍以 0 退出：失败项目保留规则结果并标记需人工复核。")


def _catalog(catalog: str):
    from indicators.catalog import load_catalog

    return load_catalog(catalog)  # CatalogError is a ConfigError: exit 2


DETAIL_UNITS = 5  # up to this many units, `zwgk screen` prints each unit's scorecard


def _print_scorecard(sc) -> None:
    from rich.console import Console
    from rich.table import Table

    from core.findings import FLAG_LABELS, VERDICT_LABELS

    table = Table(title=f"{sc.unit}　{sc.year or ''}年度　建议得分 {sc.total_suggested:.1f} / {sc.total_max:.1f}",
                  title_justify="left", show_lines=False)
    for col, justify in (("指标", "left"), ("名称", "left"), ("分值", "right"), ("建议得分", "right"),
                         ("结论", "left"), ("来源", "left"), ("提示", "left")):
        table.add_column(col, justify=justify)
    for it in sc.items:
        key = it.id if it.sub is None else f"{it.id}({it.sub})"
        flags = "、".join(FLAG_LABELS.get(f, f) for f in it.flags[:3])
        table.add_row(key, it.name, f"{it.max_points:.1f}", f"{it.suggested_points:.1f}",
                      VERDICT_LABELS[it.verdict], str(it.source), flags)
    Console(stderr=True, width=160).print(table)


SUMMARY_HEAD, SUMMARY_TAIL = 20, 10  # a longer ranking prints its top and bottom; summary.xlsx has every unit


def _print_summary(cards) -> None:
    """Across units: ranking by suggested total, per-level totals, items a human must look at. Past
    SUMMARY_HEAD + SUMMARY_TAIL units only the top and the bottom of the ranking: a thousand terminal rows
    help nobody (and took seconds to lay out); summary.xlsx holds them all."""
    from rich.console import Console
    from rich.table import Table

    levels = list(cards[0].level1_totals())
    title = "预审汇总（按建议得分排序）"
    ranked = list(enumerate(sorted(cards, key=lambda sc: sc.total_suggested, reverse=True), 1))
    hidden = len(ranked) - SUMMARY_HEAD - SUMMARY_TAIL
    if hidden > 0:
        title += f"：前{SUMMARY_HEAD}名与后{SUMMARY_TAIL}名"
        ranked = [*ranked[:SUMMARY_HEAD], (None, None), *ranked[-SUMMARY_TAIL:]]
    table = Table(title=title, title_justify="left")
    for col in ("名次", "单位", "年度", "建议得分", *levels, "需人工复核"):
        table.add_column(col, justify="left" if col in ("单位",) else "right")
    for rank, sc in ranked:
        if sc is None:
            table.add_row("…", f"（其余{hidden}个单位见汇总表）", *[""] * (len(levels) + 3))
            continue
        totals = sc.level1_totals()
        needs = sum(1 for i in sc.items if "needs_human" in i.flags)
        table.add_row(str(rank), sc.unit, str(sc.year or ""), f"{sc.total_suggested:.1f}",
                      *[f"{totals[lv].suggested:.1f}" if lv in totals else "0.0" for lv in levels], str(needs))
    Console(stderr=True, width=160).print(table)


@click.command("screen")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--workspace", required=True, type=click.Path(file_okay=False, path_type=Path), help="工作区目录。")
@click.option("--catalog", default="langfang-2023", show_default=True, help="考核指标目录（编号或文件路径）。")
@click.option("--year", type=int, default=None, help="考核年度（默认：材料中最新的年度）。")
@click.option("--llm", type=_LLM, default=None, help="none（默认，离线规则+检索）或 openai。")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="导出目录（默认：工作区下的 exports）。")
@click.option("--unit", default=None, help="FOLDER 中直接存放的文件所属单位名称。")
@click.option("--json", "as_json", is_flag=True, help="在标准输出打印 JSON（仅此内容）。")
@click.option("--quiet", is_flag=True, help="不打印评分表。")
@click.option("--details/--no-details", default=None,
              help=f"逐单位打印评分表（默认：不超过{DETAIL_UNITS}个单位时打印，否则只打印汇总）。")
@allow_llm_failures_option
@doc_type_option("人工指定材料类型（可多次使用）：文件名=类型 或 单位/文件名=类型，如 香河县/指南.html=disclosure_guide。")
def screen_command(folder: Path, workspace: Path, catalog: str, year: int | None, llm: str | None,
                   out: Path | None, unit: str | None, as_json: bool, quiet: bool, details: bool | None,
                   allow_llm_failures: bool,
                   doc_types: list) -> None:
    """批量预审：FOLDER 下每个子目录为一个被考核单位，输出评分表、审查意见和汇总表。"""
    from core.settings import get_settings
    from ingestion.parallel import settle, warm_up

    # when a file looks new, the parse workers' server starts now, on another core, while this process imports
    # and loads the rest (~0.6 s): a screen that finds one new report waits only for its parse (issue 15). Not
    # for an unchanged re-run: waiting for a started server before exit cost it ~0.35 s of its ~1 s.
    if newer_files(folder, workspace):
        warm_up(get_settings())
    stop_on_sigterm(interrupt=True)
    try:
        _screen(folder, workspace, catalog, year, llm, out, unit, as_json, quiet, details, allow_llm_failures,
                doc_types)
    finally:
        settle()


def newer_files(folder: Path, workspace: Path) -> bool:
    """A hint from modification times alone (no import, no database): is a file under FOLDER newer than the
    workspace's database, or is there no workspace yet? screen() itself decides for certain (a copied file that
    kept an old time is still read, its workers just start later)."""
    try:
        since = max(os.stat(workspace / name).st_mtime for name in ("workspace.db", "screen.db"))
    except OSError:
        return True
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            try:
                if os.stat(os.path.join(dirpath, name)).st_mtime > since:
                    return True
            except OSError:
                return True  # ingest says what is wrong with it
    return False


def _screen(folder: Path, workspace: Path, catalog: str, year: int | None, llm: str | None, out: Path | None,
            unit: str | None, as_json: bool, quiet: bool, details: bool | None, allow_llm_failures: bool,
            doc_types: list) -> None:
    from assistant.screen import screen
    from ingestion.workspace import Workspace

    cat = _catalog(catalog)
    out = out or workspace / "exports"
    backend = None
    try:
        with Workspace(workspace) as ws:
            backend = _backend(llm, ws.path)
            result = screen(folder, ws, cat, catalog, backend, out, year=year, unit=unit, doc_types=doc_types)
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (Terminated)
        # every finished item is checkpointed in WS/screen.db (and every model answer cached): a re-run resumes
        if backend is not None:
            echo_llm_summary(backend)
        click.echo("已中断：已完成的项目已保存，重新运行同一命令将从中断处继续。", err=True)
        exit_now(getattr(exc, "code", 130))
    for r in result.failed:
        click.echo(f"失败：{safe_name(r.file)}：{r.error}", err=True)
    for file in result.unmatched_doc_types:
        click.echo(f"失败：--doc-type 指定的文件“{safe_name(file)}”不在任何单位的材料中", err=True)
    if not quiet:
        # a batch of a hundred units prints its ranking; each unit's sheet is in the exports
        if details or (details is None and len(result.scorecards) <= DETAIL_UNITS):
            for sc in result.scorecards:
                _print_scorecard(sc)
        elif result.scorecards:
            click.echo(f"共{len(result.scorecards)}个单位，逐单位评分表见导出目录（或加 --details 打印）。", err=True)
        if result.scorecards:
            _print_summary(result.scorecards)  # the closing line names the summary workbook
    usage = backend.usage_report()
    click.echo(f"导出目录：{out}（汇总表 {result.summary}）；模型调用 {usage.calls} 次，缓存命中 {usage.cache_hits} 次。",
               err=True)
    echo_llm_summary(backend)
    if as_json:
        click.echo(json.dumps({"units": [sc.model_dump(mode="json") for sc in result.scorecards]},
                              ensure_ascii=False))
    inputs = 1 if result.failed or result.unmatched_doc_types else 0
    code = max(inputs, llm_exit_code(usage, allow_llm_failures))
    if abandoned_requests(backend):
        exit_now(code)
    sys.exit(code)


@click.command("chat")
@click.argument("question")
@click.option("--workspace", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--unit", default=None, help="被考核单位（工作区中只有一个单位时可省略）。")
@click.option("--catalog", default="langfang-2023", show_default=True)
@click.option("--year", type=int, default=None)
@click.option("--llm", type=_LLM, default=None)
@click.option("--json", "as_json", is_flag=True)
def chat_command(question: str, workspace: Path, unit: str | None, catalog: str, year: int | None,
                 llm: str | None, as_json: bool) -> None:
    """就某单位的材料提问，回答附带经核实的原文引文。"""
    from assistant.chat import answer_question
    from assistant.checkpoints import CheckpointStore
    from assistant.review import UnitReviewer
    from ingestion.workspace import Workspace

    cat = _catalog(catalog)
    with Workspace(workspace) as ws:
        units = ws.units()
        if unit is None:
            if len(units) != 1:
                raise ConfigError(f"工作区中有 {len(units)} 个单位，请用 --unit 指定：{'、'.join(units)}")
            unit = units[0]
        elif unit not in units:
            raise ConfigError(f"工作区中没有单位“{unit}”；现有：{'、'.join(units) or '无'}")
        backend = _backend(llm, ws.path)
        store = CheckpointStore(ws.path / "screen.db")
        try:
            reviewer = UnitReviewer(ws, cat, catalog, backend, store)
            answer = answer_question(question, reviewer, unit, year)
        finally:
            store.close()
    if as_json:
        click.echo(json.dumps(answer.public(), ensure_ascii=False))
    else:
        click.echo(answer.answer)
