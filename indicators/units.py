"""Assessed units and their level: the typed roster model and the name-based fallback.

The annual report's statutory deadline depends on the level (条例第四十九条; scoring-policy.md 1.1.9
sub 1): departments of 县级以上人民政府 publish by 1月31日, 县级以上地方人民政府 by 3月31日, and
development zones, new areas and experimental zones (管委会 of 开发区/新区/实验区/高新区, and the bodies
the indicator table names as assessed units) are assessed like county governments. 乡镇 have no
statutory date.

The roster (a list of `UnitEntry`) is the reviewer's word on a body's level; the workspace keeps it
(assistant/roster.py). Without an entry the level is inferred from the name (`infer_level`), and where
that cannot decide it stays `unknown`: the deadline rule then asks the reviewer, it never guesses.
This module is data and pure functions; it reads and writes nothing.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field, field_validator

from core.enums import LabelledEnum
from core.textnorm import normalize, split_outside_brackets


class BodyLevel(LabelledEnum):
    county_government = "county_government", "县级政府"  # 县级以上地方人民政府
    development_zone = "development_zone", "开发区等"  # 开发区、新区、实验区等管委会: assessed like a county government
    department = "department", "部门"  # 县级以上人民政府部门
    township = "township", "乡镇"  # 乡镇人民政府、街道办事处
    unknown = "unknown", "未确定"  # not decided: the deadline rule asks the reviewer


LEVEL_LABELS: dict[BodyLevel, str] = BodyLevel.labels()
ROSTER_LEVELS: tuple[BodyLevel, ...] = tuple(lv for lv in BodyLevel if lv is not BodyLevel.unknown)
# the deadline (month, day) of the following year, 条例第四十九条
DEADLINES: dict[BodyLevel, tuple[int, int]] = {
    BodyLevel.department: (1, 31),
    BodyLevel.county_government: (3, 31),
    BodyLevel.development_zone: (3, 31),
}


class LevelSource(LabelledEnum):
    roster = "roster", "名册"
    name = "name", "名称推断"


SOURCE_LABELS: dict[LevelSource, str] = LevelSource.labels()


def parse_level(text: str) -> BodyLevel:
    """A roster level from its code (`department`) or its Chinese label (`部门`); `unknown` is refused."""
    key = normalize(text or "")
    for level in ROSTER_LEVELS:
        if key in (level.value, LEVEL_LABELS[level]):
            return level
    choices = "、".join(f"{LEVEL_LABELS[lv]}（{lv.value}）" for lv in ROSTER_LEVELS)
    raise ValueError(f"未知的单位级别“{text}”，可选：{choices}")


def name_key(name: str) -> str:
    """The form names are compared in: width-folded (（廊坊） = (廊坊)), whitespace removed."""
    return normalize(name or "")


class UnitEntry(BaseModel):
    """One body on the roster: its name, level, the body it belongs to, and other names it goes by."""

    name: str = Field(min_length=1)
    level: BodyLevel
    parent: str | None = None
    aliases: list[str] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("单位名称不能为空")
        return v

    @field_validator("level", mode="before")
    @classmethod
    def _level(cls, v: object) -> BodyLevel:
        return v if isinstance(v, BodyLevel) and v is not BodyLevel.unknown else parse_level(str(v))

    @field_validator("parent")
    @classmethod
    def _parent(cls, v: str | None) -> str | None:
        return (v or "").strip() or None

    @field_validator("aliases")
    @classmethod
    def _aliases(cls, v: list[str]) -> list[str]:
        return list(dict.fromkeys(a.strip() for a in v if a and a.strip()))

    def name_keys(self) -> set[str]:
        return {name_key(n) for n in (self.name, *self.aliases)}

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]


class Roster(BaseModel):
    """The assessed units of one workspace. Names and aliases are unique across entries."""

    units: list[UnitEntry] = Field(default_factory=list)

    def find(self, name: str | None) -> UnitEntry | None:
        """The entry whose name or alias is `name` (compared width-folded, without spaces); exact only:
        "廊坊开发区财政局" is not "廊坊开发区"."""
        key = name_key(name or "")
        if not key:
            return None
        return next((u for u in self.units if key in u.name_keys()), None)

    def add(self, entry: UnitEntry) -> Roster:
        clash = [k for k in entry.name_keys() if self.find(k) is not None]
        if clash:
            raise ValueError(f"名册中已有名称或别名为“{clash[0]}”的单位（{self.find(clash[0]).name}）")
        return Roster(units=[*self.units, entry])

    def set_level(self, name: str, level: BodyLevel | str) -> Roster:
        entry = self._get(name)
        new = UnitEntry(name=entry.name, level=level, parent=entry.parent, aliases=entry.aliases)
        return Roster(units=[new if u is entry else u for u in self.units])

    def remove(self, name: str) -> Roster:
        entry = self._get(name)
        return Roster(units=[u for u in self.units if u is not entry])

    def _get(self, name: str) -> UnitEntry:
        entry = self.find(name)
        if entry is None:
            raise KeyError(f"名册中没有单位“{name}”")
        return entry


class AssessedUnit(BaseModel):
    """A body an indicator table names in its 适用 line (catalog data; seeds a workspace's roster)."""

    name: str
    level: BodyLevel
    aliases: list[str] = Field(default_factory=list)

    def entry(self) -> UnitEntry:
        return UnitEntry(name=self.name, level=self.level, aliases=self.aliases)


# --- the name-based fallback ---------------------------------------------------------------

# 管委会 of a development zone, new area, experimental zone, high-tech zone (or the zone's own name):
# assessed like a county government (scoring-policy.md 1.1.9 sub 1)
_ZONE = re.compile(r"(?:开发区|新区|实验区|高新区|经济区)(?:\([^()]*\))?(?:管理委员会|管委会)?$")
# a 管委会 of anything else is not a department either: undecided, the reviewer says
_OTHER_COMMITTEE = re.compile(r"(?:管理委员会|管委会)$")
_TOWNSHIP = re.compile(r"(?:乡|镇|街道)(?:人民政府|办事处)|街道办|乡政府|镇政府|(?:乡|镇|街道)$")
# 人民政府办公室 is a department of the government, not the government itself
_DEPARTMENT = re.compile(r"(?:局|委员会|委|办公室|办|中心|署|厅|院|所|站|队)$|人民政府办公室")
_GOVERNMENT = re.compile(r"人民政府$")


def infer_level(name: str | None) -> BodyLevel:
    """Body level from a name: 开发区/新区/实验区/高新区 (管委会) -> development_zone; other 管委会 ->
    unknown; 乡镇/街道 -> township; 局/委/办… -> department; 人民政府 -> county_government."""
    key = name_key(name or "")
    if not key:
        return BodyLevel.unknown
    if _ZONE.search(key):
        return BodyLevel.development_zone
    if _OTHER_COMMITTEE.search(key):
        return BodyLevel.unknown
    if _TOWNSHIP.search(key):
        return BodyLevel.township
    if _DEPARTMENT.search(key):
        return BodyLevel.department
    if _GOVERNMENT.search(key):
        return BodyLevel.county_government
    return BodyLevel.unknown


def level_of(names: list[str | None], roster: Roster | None = None) -> tuple[BodyLevel, LevelSource | None]:
    """The level of the body known by `names` (the unit first, then e.g. its reports' issuers): the roster's
    entry for any of them, else the first name that the name rule decides, else (unknown, None)."""
    if roster is not None:
        for name in names:
            entry = roster.find(name)
            if entry is not None:
                return entry.level, LevelSource.roster
    for name in names:
        level = infer_level(name)
        if level is not BodyLevel.unknown:
            return level, LevelSource.name
    return BodyLevel.unknown, None


# the 适用 line's classes of bodies ("县（市、区）政府", "各乡镇", "市直部门"), as opposed to named bodies
_CLASS_ENTRY = re.compile(r"^(?:各|县|市|区|乡|镇|街道)")


def split_applies_line(line: str) -> list[str]:
    """The entries of a 适用 line, split at 、 outside brackets: "县（市、区）政府、廊坊开发区" ->
    ["县（市、区）政府", "廊坊开发区"]."""
    line = re.sub(r"[（(]\s*总分[^)）]*[)）]", "", line or "").strip().removesuffix("适用").strip()
    return split_outside_brackets(line, "、，,", opening="（(【[", closing="）)】]")


def assessed_units_from_line(line: str) -> list[AssessedUnit]:
    """The named bodies of a 适用 line. The table assesses them like county governments; a zone's name
    makes it a development zone (scoring-policy.md 1.1.9 sub 1). Classes such as 县（市、区）政府 are skipped."""
    units = []
    for name in split_applies_line(line):
        if _CLASS_ENTRY.match(name):
            continue
        level = BodyLevel.development_zone if infer_level(name) is BodyLevel.development_zone \
            else BodyLevel.county_government
        units.append(AssessedUnit(name=name, level=level))
    return units
