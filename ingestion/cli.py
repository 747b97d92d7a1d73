"""`zwgk ingest PATH... --workspace WS [--unit UNIT] [--json] [--embed]` (cli-contract.md).

stdout carries only the JSON document (with --json); progress, the summary table and one line
per failed file go to stderr. Exit 0 all ingested or skipped, 1 some files failed, 2 bad usage.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from core.display import safe_name
from core.document import DOC_TYPE_LABELS, DocType, IngestResult, IngestStatus


def _summary(results: list[IngestResult], workspace: Path) -> Table:
    table = Table(title=f"入库结果（工作区：{workspace}）", title_justify="left")
    for col, justify in (("文件", "left"), ("材料类型", "left"), ("页数", "right"), ("分块", "right"),
                         ("状态", "left"), ("说明", "left")):
        table.add_column(col, justify=justify)
    for r in results:
        table.add_row(
            escape(safe_name(r.file)), DOC_TYPE_LABELS.get(r.doc_type, "") if r.doc_type else "",
            "" if r.pages is None else str(r.pages), str(r.chunks), r.status.label, escape(r.error or ""),
        )
    counts = {s: sum(r.status == s for r in results) for s in IngestStatus}
    table.caption = (f"共 {len(results)} 个文件：入库 {counts[IngestStatus.ok]} 个，跳过 {counts[IngestStatus.skipped]} 个，"
                     f"失败 {counts[IngestStatus.error]} 个")
    return table


def doc_type_overrides(_ctx, _param, values: tuple[str, ...]) -> list[tuple[str, DocType]]:
    """click callback of --doc-type FILE=TYPE: a bad TYPE is bad usage (exit 2)."""
    from ingestion.doctype import parse_doc_type_option

    try:
        return [parse_doc_type_option(v) for v in values]
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


def doc_type_option(help: str):
    """The --doc-type FILE=TYPE option (repeatable) of `zwgk ingest` and `zwgk screen`, parsed to (file, type)."""
    return click.option("--doc-type", "doc_types", multiple=True, callback=doc_type_overrides, metavar="FILE=TYPE",
                        help=help)


class Terminated(KeyboardInterrupt):
    """SIGTERM where the command treats it as Ctrl-C (a screen keeps what is done and says so); exit 143."""

    code = 143


def stop_on_sigterm(interrupt: bool = False) -> None:
    """SIGTERM (`timeout`, a service manager) ends the command as an exception would: cleanup runs
    (a copy half-made is removed, workers are stopped) instead of the process vanishing mid-write.
    `interrupt`: raised as Terminated, for commands that handle Ctrl-C."""
    import signal
    import threading

    def stop(signum, _frame):
        if interrupt:
            raise Terminated
        raise SystemExit(128 + signum)

    if threading.current_thread() is threading.main_thread():  # signal handlers live in the main thread
        signal.signal(signal.SIGTERM, stop)


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--workspace", "workspace", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="工作区目录（不存在则创建）。")
@click.option("--unit", default=None, help="被考核单位名称（如 香河县人民政府办公室）。")
@click.option("--json", "as_json", is_flag=True, help="在标准输出打印 JSON 结果（仅此内容）。")
@click.option("--embed", is_flag=True, help="同时计算向量（较慢；默认仅建立 BM25 关键词索引）。")
@doc_type_option("人工指定材料类型（可多次使用），如 指南.html=disclosure_guide；保存在工作区中，下次预审即采用。")
def ingest_command(paths: tuple[Path, ...], workspace: Path, unit: str | None, as_json: bool, embed: bool,
                   doc_types: list[tuple[str, DocType]]) -> None:
    """解析材料文件并存入工作区（可多次运行，未变化的文件自动跳过）。"""
    from ingestion.workspace import Workspace

    stop_on_sigterm()
    err = Console(stderr=True)
    with Workspace(workspace) as ws:
        results = ws.ingest(list(paths), unit=unit, progress=True, embed=True if embed else None)
        unmatched = ws.apply_doc_types(unit, doc_types) if doc_types else []
        if doc_types:  # show the types as now stored
            types = {r.file: DocType(r.doc_type) for r in ws.document_rows(unit) if r.doc_type}
            results = [r.model_copy(update={"doc_type": types.get(r.file, r.doc_type)}) for r in results]
        ws_path = ws.path
    for r in results:
        if r.status == IngestStatus.error:
            click.echo(f"失败：{safe_name(r.file)}：{r.error}", err=True)
        for warning in r.warnings:
            click.echo(f"警告：{safe_name(r.file)}：{warning}", err=True)
    for file in unmatched:
        click.echo(f"失败：--doc-type 指定的文件“{safe_name(file)}”不在本单位已入库的材料中", err=True)
    err.print(_summary(results, ws_path))
    if as_json:
        payload = {
            "workspace": str(ws_path),
            "documents": [
                {"file": r.file, "doc_id": r.doc_id, "doc_type": str(r.doc_type) if r.doc_type else None,
                 "pages": r.pages, "chunks": r.chunks, "status": str(r.status), "error": r.error}
                for r in results
            ],
        }
        click.echo(json.dumps(payload, ensure_ascii=False))
    sys.exit(1 if unmatched or any(r.status == IngestStatus.error for r in results) else 0)
