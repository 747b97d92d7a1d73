"""`zwgk units list|add|set-level|remove`: the workspace's unit roster (assistant/roster.py).

Levels are given by code or Chinese label: county_government 县级政府, development_zone 开发区等,
department 部门, township 乡镇. Exit codes as elsewhere: 0 done, 2 nothing done (bad level, unknown
unit, a name already on the roster, an unreadable roster file).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from indicators.units import LEVEL_LABELS, ROSTER_LEVELS, UnitEntry

_LEVEL_HELP = "级别：" + "、".join(f"{LEVEL_LABELS[lv]}（{lv.value}）" for lv in ROSTER_LEVELS)


def entry_json(e: UnitEntry) -> dict:
    return {"name": e.name, "level": e.level.value, "level_label": e.level_label, "parent": e.parent,
            "aliases": list(e.aliases)}


def _store(workspace: Path, catalog: str):
    from assistant.roster import RosterStore
    from indicators.catalog import load_catalog

    return RosterStore(workspace, load_catalog(catalog))  # CatalogError is a ConfigError: exit 2


def _fail(exc: Exception) -> None:
    msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
    click.echo(f"错误：{msg}", err=True)
    sys.exit(2)


def _done(workspace: Path, action: str, entry: UnitEntry, as_json: bool, text: str) -> None:
    if as_json:
        click.echo(json.dumps({"workspace": str(workspace), "action": action, "unit": entry_json(entry)},
                              ensure_ascii=False))
    click.echo(text, err=True)


_workspace = click.option("--workspace", required=True, type=click.Path(file_okay=False, path_type=Path),
                          help="工作区目录（名册保存在其中的 units.json）。")
_catalog = click.option("--catalog", default="langfang-2023", show_default=True,
                        help="名册尚未编辑时，以该考核指标目录“适用”行列出的单位为初始名册。")
_json = click.option("--json", "as_json", is_flag=True, help="在标准输出打印 JSON。")


@click.group("units")
def units_group() -> None:
    """单位名册：被考核单位的级别（县级政府、开发区等、部门、乡镇），决定年度报告的法定发布时限。"""


@units_group.command("list")
@_workspace
@_catalog
@_json
def units_list(workspace: Path, catalog: str, as_json: bool) -> None:
    """列出名册中的单位及其级别。"""
    store = _store(workspace, catalog)
    roster = store.load()
    if as_json:
        click.echo(json.dumps({"workspace": str(workspace), "roster_file": str(store.path),
                               "seeded": store.seeded_only, "units": [entry_json(e) for e in roster.units]},
                              ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    title = "单位名册" + ("（初始名册：考核指标目录“适用”行所列单位，尚未编辑）" if store.seeded_only else "")
    table = Table(title=title, title_justify="left")
    for col in ("单位", "级别", "上级单位", "别名"):
        table.add_column(col)
    for e in roster.units:
        table.add_row(e.name, e.level_label, e.parent or "", "、".join(e.aliases))
    Console(stderr=True, width=160).print(table)


@units_group.command("add")
@click.argument("name")
@click.option("--level", required=True, help=_LEVEL_HELP)
@click.option("--parent", default=None, help="上级单位（如部门所属的县级政府）。")
@click.option("--alias", "aliases", multiple=True, help="别名（材料中出现的其他名称，可多次给出）。")
@_workspace
@_catalog
@_json
def units_add(name: str, level: str, parent: str | None, aliases: tuple[str, ...], workspace: Path, catalog: str,
              as_json: bool) -> None:
    """向名册添加单位。"""
    store = _store(workspace, catalog)
    try:
        entry = store.add(name, level, parent, list(aliases))
    except (ValueError, KeyError) as exc:
        _fail(exc)
    _done(workspace, "added", entry, as_json, f"已添加：{entry.name}（{entry.level_label}）")


@units_group.command("set-level")
@click.argument("name")
@click.argument("level")
@_workspace
@_catalog
@_json
def units_set_level(name: str, level: str, workspace: Path, catalog: str, as_json: bool) -> None:
    """设置名册中某单位的级别（LEVEL：县级政府、开发区等、部门、乡镇，或对应英文代码）。"""
    store = _store(workspace, catalog)
    try:
        entry = store.set_level(name, level)
    except (ValueError, KeyError) as exc:
        _fail(exc)
    _done(workspace, "level_set", entry, as_json, f"已设置：{entry.name} 的级别为{entry.level_label}")


@units_group.command("remove")
@click.argument("name")
@_workspace
@_catalog
@_json
def units_remove(name: str, workspace: Path, catalog: str, as_json: bool) -> None:
    """从名册删除单位（之后按名称推断其级别，无法推断时请复核人确认）。"""
    store = _store(workspace, catalog)
    try:
        entry = store.remove(name)
    except (ValueError, KeyError) as exc:
        _fail(exc)
    _done(workspace, "removed", entry, as_json, f"已删除：{entry.name}")
