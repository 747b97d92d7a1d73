"""Blank XLSX ledger templates, one per kind, from the same column definitions the reader uses.

    python -m indicators.ledgers.templates OUTDIR

Each workbook has a title row (the kind's name, merged across the columns), the header row and a
second sheet "填写说明" listing each column's accepted header variants and how it is read.
"""

from __future__ import annotations

import sys
from pathlib import Path

from indicators.ledgers.columns import COLUMNS, ColType
from indicators.ledgers.kinds import KINDS, LedgerKind

TYPE_NOTES = {
    ColType.date: "日期，如 2023-01-31 或 2023年1月31日",
    ColType.count: "次数，如 2 或 2次",
    ColType.flag: "是/否（也可填 已报备/未报备、按期/逾期、√/×）",
    ColType.text: "文字",
}


def write_template(kind: LedgerKind, out_dir: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    spec = KINDS[kind]
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    headers = ["序号", *(COLUMNS[c].label for c in spec.columns)]
    ws.append([f"××县（市、区）{spec.label}（对应指标{spec.indicator}）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append(headers)
    for i, _ in enumerate(headers, start=1):
        ws.cell(2, i).font = Font(bold=True)
        ws.column_dimensions[ws.cell(2, i).column_letter].width = 18
    notes = wb.create_sheet("填写说明")
    notes.append(["列名", "填写内容", "也可使用的列名"])
    for c in spec.columns:
        col = COLUMNS[c]
        notes.append([col.label, TYPE_NOTES[col.type], "、".join(col.variants)])
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{spec.indicator}-{spec.label}.xlsx"
    wb.save(path)
    return path


def write_all(out_dir: Path) -> list[Path]:
    return [write_template(kind, out_dir) for kind in LedgerKind]


DOC_START, DOC_END = "<!-- columns:start -->", "<!-- columns:end -->"


def columns_markdown() -> str:
    """The per-kind column tables of docs/ledgers.md (kept in sync by `--docs`, checked by a test)."""
    out: list[str] = []
    for kind, spec in KINDS.items():
        required = {c for group in spec.required for c in group}
        groups = "；".join("、".join(COLUMNS[c].label for c in g) + ("（任一）" if len(g) > 1 else "")
                          for g in spec.required)
        out += [f"### {spec.indicator} {spec.label}（`{kind.value}`）", "",
                f"必备列：{groups}。识别关键词（标题、文件名、工作表名或列名中）：{'、'.join(spec.keywords)}"
                + ("（必须出现）" if spec.keyword_required else "") + "。", "",
                "| 列名（模板） | 填写内容 | 也可使用的列名 |", "|---|---|---|"]
        for c in spec.columns:
            col = COLUMNS[c]
            star = " ★" if c in required else ""
            out.append(f"| {col.label}{star} | {TYPE_NOTES[col.type]} | {'、'.join(col.variants)} |")
        out.append("")
    return "\n".join(out)


def update_docs(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    head, rest = text.split(DOC_START, 1)
    _, tail = rest.split(DOC_END, 1)
    path.write_text(f"{head}{DOC_START}\n{columns_markdown()}{DOC_END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--docs":
        update_docs(Path(sys.argv[2]))
    elif len(sys.argv) == 2:
        for p in write_all(Path(sys.argv[1])):
            print(p)
    else:
        sys.exit("用法：python -m indicators.ledgers.templates 输出目录 | --docs docs/ledgers.md")
