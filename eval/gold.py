"""Hand-scored cases (gold.yaml, layout in shared/spec/gold-format.md) and their loader.

`load_samples(dir)` reads any SAMPLES_DIR laid out as `<case_id>/gold.yaml` + `<case_id>/docs/`;
`check_against_catalog` checks ids, sub-item numbers and point ranges against an indicator-ids table.
"""

from __future__ import annotations

import csv
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.document import DocType
from core.files import read_mapping
from core.findings import Verdict


class GoldError(ValueError):
    """A gold file that cannot be used; the message names the file and the reason (in Chinese)."""


# Unknown keys are kept (extra="allow") so that other sample sets load unchanged; `load_case(strict=True)`
# (used by the repo's own gold-file test) rejects them.
class GoldEvidence(BaseModel):
    model_config = ConfigDict(extra="allow")
    file: str = Field(min_length=1, description="path relative to the case's docs/")
    page: int | None = Field(None, ge=1)
    quote: str = Field(min_length=1)


class GoldItem(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    sub: int | None = Field(None, ge=1)
    points: float = Field(ge=0)
    verdict: Verdict
    evidence: list[GoldEvidence] = Field(default_factory=list)
    notes: str | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, v: object) -> object:
        # an unquoted 3.1 in YAML arrives as a float; the id is text
        return str(v) if isinstance(v, int | float) else v

    @field_validator("evidence", mode="before")
    @classmethod
    def _no_evidence(cls, v: object) -> object:
        return [] if v is None else v  # `evidence:` left empty in YAML

    @property
    def key(self) -> tuple[str, int | None]:
        return self.id, self.sub


DOC_TYPES = {t.value for t in DocType}


class GoldDocument(BaseModel):
    """The reviewer's document type of one evidence file (`documents: [{file, type}]`), for the
    classification confusion. The type is kept as written: an unknown type is a warning (an error in
    strict mode) and is left out of the confusion."""

    model_config = ConfigDict(extra="allow")
    file: str = Field(min_length=1, description="path relative to the case's docs/")
    type: str = Field(min_length=1, description="a DocType value, e.g. disclosure_guide")

    @property
    def known(self) -> bool:
        return self.type in DOC_TYPES


class GoldCase(BaseModel):
    model_config = ConfigDict(extra="allow")
    case: str
    catalog: str
    unit: str
    year: int
    documents: list[GoldDocument] = Field(default_factory=list, description="optional: each file's type")
    items: list[GoldItem] = Field(min_length=1)
    folder: Path | None = Field(None, exclude=True, description="set by the loader")
    warnings: list[str] = Field(default_factory=list, exclude=True, description="set by the loader")

    @field_validator("documents", mode="before")
    @classmethod
    def _no_documents(cls, v: object) -> object:
        return [] if v is None else v

    @property
    def docs_dir(self) -> Path:
        if self.folder is None:
            raise GoldError(f"{self.case}: 未关联样例目录")
        return self.folder / "docs"


def _unknown_keys(case: GoldCase) -> list[str]:
    found = [f"case.{k}" for k in case.model_extra or {}]
    for n, doc in enumerate(case.documents, 1):
        found += [f"documents[{n}].{k}" for k in doc.model_extra or {}]
    for n, item in enumerate(case.items, 1):
        found += [f"items[{n}].{k}" for k in item.model_extra or {}]
        for ev in item.evidence:
            found += [f"items[{n}].evidence.{k}" for k in ev.model_extra or {}]
    return found


def load_case(folder: Path, strict: bool = False) -> GoldCase:
    """Read one case; `strict` turns unknown keys and missing evidence files into errors, not warnings."""
    path = folder / "gold.yaml"
    raw = read_mapping(path, GoldError, "{path}: 无法读取（{exc}）", "{path}: 内容应为映射（case/catalog/unit/year/items）")
    try:
        case = GoldCase.model_validate(raw)
    except ValidationError as exc:
        raise GoldError(f"{path}: 格式错误\n{exc}") from exc
    if case.case != folder.name:
        raise GoldError(f"{path}: case 为“{case.case}”，应与目录名“{folder.name}”一致")
    keys = [item.key for item in case.items]
    duplicates = sorted({f"{i}/{s}" for i, s in keys if keys.count((i, s)) > 1})
    if duplicates:
        raise GoldError(f"{path}: 评分项重复：{', '.join(duplicates)}")
    warnings = [f"{path}: 未知字段 {k}" for k in _unknown_keys(case)]
    if not (folder / "docs").is_dir():  # lenient: evaluated against no evidence (the harness reports it)
        warnings.append(f"{folder}: 缺少 docs/ 目录")
    warnings += [f"{path}: {item.id} 引用的文件 docs/{ev.file} 不存在" for item in case.items
                 for ev in item.evidence if not (folder / "docs" / ev.file).is_file()]
    warnings += [f"{path}: documents 中的文件 docs/{d.file} 不存在" for d in case.documents
                 if not (folder / "docs" / d.file).is_file()]
    warnings += [f"{path}: documents 中 {d.file} 的类型“{d.type}”不是已知的材料类型" for d in case.documents
                 if not d.known]
    files = [d.file for d in case.documents]
    warnings += [f"{path}: documents 中文件 {f} 重复" for f in sorted({f for f in files if files.count(f) > 1})]
    if strict and warnings:
        raise GoldError("\n".join(warnings))
    return case.model_copy(update={"folder": folder, "warnings": warnings})


def load_samples(samples_dir: Path, strict: bool = False) -> list[GoldCase]:
    """Every immediate subfolder holding a gold.yaml is a case; other folders are ignored."""
    if not samples_dir.is_dir():
        raise GoldError(f"{samples_dir}: 样例目录不存在")
    folders = sorted(p for p in samples_dir.iterdir() if p.is_dir() and (p / "gold.yaml").is_file())
    if not folders:
        raise GoldError(f"{samples_dir}: 没有找到任何 <case>/gold.yaml")
    return [load_case(folder, strict) for folder in folders]


# ---------------------------------------------------------------- indicator ids


class IndicatorId(BaseModel):
    id: str
    name: str
    points: float
    sub_points: dict[int, float] = Field(default_factory=dict)  # numbered sub-items only
    scoring_kind: str

    def max_points(self, sub: int | None) -> float:
        return self.points if sub is None else self.sub_points[sub]


def read_indicator_ids(path: Path) -> dict[str, IndicatorId]:
    """Parse indicator-ids.tsv (id, level1-3, points, `1:1 2:2` sub-items, scoring_kind)."""
    out: dict[str, IndicatorId] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            subs: dict[int, float] = {}
            for token in (row["sub_items (number:points)"] or "").split():
                number, _, pts = token.partition(":")
                if number.isdigit():  # 5.1.3 has named parts (quality/quantity), not numbered sub-items
                    subs[int(number)] = float(pts)
            name = row["level3"] if row["level3"] not in ("", "-") else row["level2"]
            out[row["id"]] = IndicatorId(id=row["id"], name=name, points=float(row["points"]), sub_points=subs,
                                         scoring_kind=row["scoring_kind"])
    return out


def check_against_catalog(case: GoldCase, ids: dict[str, IndicatorId]) -> list[str]:
    """Problems (Chinese, one per line) with ids, sub numbers and points; empty when all is well."""
    problems = []
    for item in case.items:
        where = f"{case.case} {item.id}" + (f" 第{item.sub}项" if item.sub else "")
        spec = ids.get(item.id)
        if spec is None:
            problems.append(f"{where}: 指标编号不存在")
            continue
        if item.sub is not None and item.sub not in spec.sub_points:
            problems.append(f"{where}: 该指标没有第{item.sub}项")
            continue
        if item.sub is None and spec.sub_points:
            problems.append(f"{where}: 该指标有分项，须注明 sub")
            continue
        top = spec.max_points(item.sub)
        if item.points > top + 1e-9:
            problems.append(f"{where}: 得分{item.points:.1f}超过满分{top:.1f}")
        elif item.verdict == Verdict.met and abs(item.points - top) > 1e-9:
            problems.append(f"{where}: 判定为符合但未得满分")
        if item.verdict == Verdict.not_met and item.points > 1e-9:
            problems.append(f"{where}: 判定为不符合但有得分")
    return problems
