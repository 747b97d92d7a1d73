"""`zwgk indicators show|import` (contract: shared/spec/cli-contract.md)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from core.errors import ConfigError
from indicators.catalog import (
    CATALOG_DIR,
    DEFAULT_CATALOG,
    Catalog,
    CatalogError,
    Indicator,
    ScoringRule,
    dump_catalog,
    fmt_points,
    load_catalog,
)

KIND_LABELS = {
    "additive": "累加计分",
    "deduction": "扣分制",
    "tiered": "分档计分",
    "gate": "达标否则不得分",
    "composite": "组合计分",
    "ladder": "缺陷计数阶梯",
    "states": "分档计分（按状态）",
}


def show_json(cat: Catalog, indicators: list[Indicator]) -> dict:
    """The contract's `indicators show --json` shape."""
    return {
        "catalog": cat.id,
        "total_points": cat.total_points,
        "indicators": [
            {
                "id": i.id, "level1": i.level1, "level2": i.level2, "level3": i.level3, "points": i.points,
                "sub_items": [{"number": s.number, "points": s.points, "text": s.text} for s in i.sub_items],
                "scoring_kind": i.scoring_kind, "text": i.text,
            }
            for i in indicators
        ],
    }


def _rule_line(rule: ScoringRule) -> str:
    label = KIND_LABELS[rule.kind]
    if rule.kind == "deduction":
        events = "；".join(f"{e.name}{e.per}扣{fmt_points(e.amount)}分" for e in rule.events)
        return f"{label}：{events}，扣完为止"
    if rule.kind == "tiered":
        tiers = "；".join(f"{t.band.label()}得{fmt_points(t.points)}分" for t in rule.tiers)
        gaps = "；".join(f"{g.band.label()}未规定" for g in rule.gaps)
        extra = "".join(f"；{e.name}{e.per}扣{fmt_points(e.amount)}分" for e in rule.deductions)
        return f"{label}（{rule.measure_name}）：{tiers}" + (f"；{gaps}" if gaps else "") + extra
    if rule.kind == "gate":
        return f"{label}：{rule.condition}"
    if rule.kind in ("ladder", "states"):
        return f"{label}：{rule.describe()}"
    if rule.kind == "composite":
        parts = "；".join(f"{p.name}{fmt_points(p.points)}分（{_rule_line(p.rule)}）" for p in rule.parts)
        return f"{label}：{parts}"
    return label


def show_text(cat: Catalog, indicators: list[Indicator]) -> str:
    lines = [f"{cat.title}（{cat.id}），总分 {fmt_points(cat.total_points)} 分"]
    seen: set[tuple[str, ...]] = set()
    points = {lv.name: lv.points for lv in cat.levels}
    points2 = {(lv.name, c.name): c.points for lv in cat.levels for c in lv.children}
    for ind in indicators:
        if (ind.level1,) not in seen:
            seen.add((ind.level1,))
            lines.append(f"{ind.level1}（{fmt_points(points[ind.level1])}分）")
        if (ind.level1, ind.level2) not in seen:
            seen.add((ind.level1, ind.level2))
            lines.append(f"  {ind.level2}（{fmt_points(points2[(ind.level1, ind.level2)])}分）")
        kinds = "+".join(KIND_LABELS[k] for k in ind.scoring_kind.split("+"))
        lines.append(f"    {ind.id} {ind.name}（{fmt_points(ind.points)}分）［{kinds}］")
        lines.append(f"      考核要点：{ind.text}")
        if not ind.sub_items:
            lines.append(f"      计分：{_rule_line(ind.scoring)}")
        for s in ind.sub_items:
            lines.append(f"      （{s.number}）{s.text}（{fmt_points(s.points)}分）")
            lines.append(f"          计分：{_rule_line(s.scoring or ind.scoring)}")
            lines += [f"          说明［{n.code}］：{n.text}" for n in s.notes]
        if ind.deadline:
            lines.append(f"      时限：{ind.deadline.label()}")
        lines += [f"      说明［{n.code}］：{n.text}" for n in ind.notes]
    return "\n".join(lines)


@click.group("indicators")
def indicators_group() -> None:
    """考核指标体系：查看与导入。"""


@indicators_group.command("show")
@click.argument("indicator_id", required=False, metavar="[ID]")
@click.option("--catalog", "catalog", default=DEFAULT_CATALOG, show_default=True,
              help="指标目录：内置目录的编号或 YAML 文件路径。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（契约格式）。")
def show(indicator_id: str | None, catalog: str, as_json: bool) -> None:
    """显示指标体系（可按编号或编号前缀筛选，如 5.1）。"""
    cat = load_catalog(catalog)
    selected = cat.select(indicator_id)
    if not selected:
        raise ConfigError(f"目录 {cat.id} 中没有编号为“{indicator_id}”的指标 / no indicator {indicator_id!r}")
    if as_json:
        click.echo(json.dumps(show_json(cat, selected), ensure_ascii=False, indent=2))
    else:
        click.echo(show_text(cat, selected))


@indicators_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--id", "catalog_id", required=True, help="新目录的编号，如 xianghe-2024。")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="输出 YAML 路径（默认写入内置目录目录，可用 --catalog 编号选用）。")
@click.option("--force", is_flag=True, help="覆盖已存在的目录文件。")
def import_cmd(file: Path, catalog_id: str, out: Path | None, force: bool) -> None:
    """从指标表（制表符分隔文本、.xlsx 或 .docx）导入新的指标目录。"""
    from indicators.importer import import_table

    if not catalog_id.replace("-", "").replace("_", "").isalnum():
        raise ConfigError(f"目录编号只能包含字母、数字、连字符 / bad catalog id: {catalog_id!r}")
    target = out or CATALOG_DIR / f"{catalog_id}.yaml"
    if target.exists() and not force:
        raise CatalogError(f"{target} 已存在，如需覆盖请加 --force / exists, use --force")
    cat = import_table(file, catalog_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dump_catalog(cat), encoding="utf-8")
    units = cat.scored_units()
    todo = sum(1 for u in units for n in u.notes if n.code == "scoring_not_inferred")
    click.echo(f"已导入 {len(cat.indicators)} 项指标（{len(units)} 个计分单元，总分 {fmt_points(cat.total_points)} 分），"
               f"写入 {target}")
    if todo:
        click.echo(f"其中 {todo} 处评分规则无法自动识别，已按累加计分占位并加备注，请人工修订。", err=True)
