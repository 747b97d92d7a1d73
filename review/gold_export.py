"""`zwgk gold export`: reviewed units as hand-scored cases (shared/spec/gold-format.md), so `zwgk eval` runs on them.

A case per unit: `<unit>-<year>/gold.yaml` with the reviewer's points and verdict as gold, the override
reason as notes and the passages the reviewer was shown as evidence (file, page, verbatim quote), and
`docs/` holding copies of the unit's ingested files under the names the workspace knows them by (the
eval ingests docs/ and names each file by its path there: the same names, so the same citations).
Files a reviewer typed by hand are listed under `documents:` with that type.

Only decided items become gold: by default only units whose every item is decided; `partial=True`
also writes units reviewed in part, listing their decided items only (the eval scores listed items).
"""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath

import yaml
from pydantic import BaseModel, Field

from assistant.export import safe_dirname
from core.document import Document
from core.files import atomic_write_bytes
from review.agreement import ReviewedItem, UnitReview, collect


class ExportedCase(BaseModel):
    case: str
    unit: str
    year: int
    items: int
    overridden: int
    total: int  # items of the unit's scorecard
    documents: int
    path: str
    warnings: list[str] = Field(default_factory=list)

    @property
    def partial(self) -> bool:
        return self.items < self.total


class SkippedUnit(BaseModel):
    unit: str
    reason: str


class GoldExport(BaseModel):
    out: str
    cases: list[ExportedCase] = Field(default_factory=list)
    skipped: list[SkippedUnit] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


def case_id(unit: str, year: int) -> str:
    return f"{safe_dirname(unit)}-{year}"


def _notes(i: ReviewedItem) -> str:
    if i.overridden:
        text = f"复核改分（{i.reviewer}）：{i.reason}" + (f"；规则有误：{i.rule_note}" if i.rule_error else "")
    else:
        text = f"复核确认助手建议（{i.reviewer}）"
    return text + (f"；备注：{i.comment}" if i.comment else "")


def gold_item(i: ReviewedItem) -> dict:
    """One gold.yaml item: the reviewer's score, the passages shown as evidence."""
    out: dict = {"id": i.id}
    if i.sub is not None:
        out["sub"] = i.sub
    out["points"] = i.reviewer_points
    out["verdict"] = i.reviewer_verdict.value
    out["evidence"] = [{"file": c.file, **({"page": c.page} if c.page else {}), "quote": c.quote}
                       for c in i.citations if c.quote.strip()]
    out["notes"] = _notes(i)
    return out


def gold_mapping(review: UnitReview, catalog: str, documents: list[Document]) -> dict:
    """The gold.yaml content of a reviewed unit (`review.year` must be set)."""
    data: dict = {"case": case_id(review.unit, review.year), "catalog": catalog, "unit": review.unit,
                  "year": review.year}
    typed = [{"file": d.file, "type": d.doc_type.value} for d in documents if d.doc_type_overridden]
    if typed:
        data["documents"] = typed
    data["items"] = [gold_item(i) for i in review.items]
    return data


def _safe_relative(name: str) -> PurePosixPath | None:
    """A document's name as a path inside docs/, or None if it would leave it."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or not path.parts or any(p in ("..", "") for p in path.parts):
        return None
    return path


def export_unit(service, review: UnitReview, out: Path) -> ExportedCase | SkippedUnit:
    """Write one reviewed unit as a case under `out` (replacing an earlier export of it)."""
    if review.year is None:
        return SkippedUnit(unit=review.unit, reason="预审结果没有考核年度（材料中未识别出年度），无法写成评测样例")
    cid = case_id(review.unit, review.year)
    final = out / cid
    if final.exists() and not (final / "gold.yaml").is_file():
        return SkippedUnit(unit=review.unit, reason=f"{final} 已存在且不是评测样例目录，未覆盖")
    tmp = out / f".{cid}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "docs").mkdir(parents=True)
    warnings: list[str] = []
    documents = service.documents(review.unit)
    copied = []
    for doc in documents:
        rel, src = _safe_relative(doc.file), service.stored_file(doc.doc_id)
        if rel is None or src is None:
            warnings.append(f"材料《{doc.file}》" + ("名称含路径，未复制" if rel is None else "的原文件不在工作区中，未复制"))
            continue
        dest = tmp / "docs" / Path(*rel.parts)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        copied.append(doc)
    data = gold_mapping(review, service.catalog_id, copied)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    atomic_write_bytes(tmp / "gold.yaml", text.encode("utf-8"))
    if final.exists():
        shutil.rmtree(final)
    tmp.rename(final)
    if any(d.doc_type_overridden for d in copied):
        warnings.append("部分材料类型由复核人指定（已写入 documents）；评测按自动识别的类型审查，结果可能与工作区不同")
    if service.roster_store().load().find(review.unit) is not None:
        warnings.append("该单位的级别取自工作区的单位名册；评测按名称和材料推断级别，年报发布时限的判断可能不同")
    return ExportedCase(case=cid, unit=review.unit, year=review.year, items=len(review.items),
                        overridden=sum(i.overridden for i in review.items), total=review.total,
                        documents=len(copied), path=str(final), warnings=warnings)


def export_gold(service, out: Path, unit: str | None = None, partial: bool = False) -> GoldExport:
    """Every reviewed unit of the service's workspace (or one) as a case under `out`."""
    out.mkdir(parents=True, exist_ok=True)
    result = GoldExport(out=str(out))
    for review in collect(service, [unit] if unit is not None else None):
        if not review.items:
            result.skipped.append(SkippedUnit(unit=review.unit, reason="尚无复核决定"))
        elif not review.complete and not partial:
            result.skipped.append(SkippedUnit(
                unit=review.unit, reason=f"已复核 {len(review.items)}/{review.total} 项，未复核完毕（加 --partial 导出已复核的项）"))
        else:
            done = export_unit(service, review, out)
            (result.cases if isinstance(done, ExportedCase) else result.skipped).append(done)
    return result
