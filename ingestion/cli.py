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
from rich.table import Table

from core.document import DOC_TYPE_LABELS, IngestResult, IngestStatus

_STATUS_LABELS = {IngestStatus.ok: "已入库", IngestStatus.skipped: "未变化，跳过", IngestStatus.error: "失败"}


def _summary(results: list[IngestResult], workspace: Path) -> Table:
    table = Table(title=f"入库结果（工作区：{workspace}）", title_justify="left")
    for col, justify in (("文件", "left"), ("材料类型", "left"), ("页数", "right"), ("分块", "right"),
                         ("状态", "left"), ("说明", "left")):
        table.add_column(col, justify=justify)
    for r in results:
        table.add_row(
            r.file, DOC_TYPE_LABELS.get(r.doc_type, "") if r.doc_type else "",
            "" if r.pages is None else str(r.pages), str(r.chunks), _STATUS_LABELS[r.status], r.error or "",
        )
    counts = {s: sum(r.status == s for r in results) for s in IngestStatus}
    table.caption = (f"共 {len(results)} 个文件：入库 {counts[IngestStatus.ok]} 个，跳过 {counts[IngestStatus.skipped]} 个，"
                     f"失败 {counts[IngestStatus.error]} 个")
    return table


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--workspace", "workspace", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="工作区目录（不存在则创建）。")
@click.option("--unit", default=None, help="被考核单位名称（如 香河县人民政府办公室）。")
@click.option("--json", "as_json", is_flag=True, help="在标准输出打印 JSON 结果（仅此内容）。")
@click.option("--embed", is_flag=True, help="同时计算向量（较慢；默认仅建立 BM25 关键词索引）。")
def ingest_command(paths: tuple[Path, ...], workspace: Path, unit: str | None, as_json: bool, embed: bool) -> None:
    """解析材料文件并存入工作区（可多次运行，未变化的文件自动跳过）。"""
    from ingestion.workspace import Workspace

    err = Console(stderr=True)
    with Workspace(workspace) as ws:
        results = ws.ingest(list(paths), unit=unit, progress=True, embed=True if embed else None)
        ws_path = ws.path
    for r in results:
        if r.status == IngestStatus.error:
            click.echo(f"失败：{r.file}：{r.error}", err=True)
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
    sys.exit(1 if any(r.status == IngestStatus.error for r in results) else 0)
