"""The workspace's unit roster: `WS/units.json`, the reviewer's word on each body's level.

    {"version": 1, "units": [{"name": "廊坊开发区", "level": "development_zone",
                              "parent": null, "aliases": ["廊坊经济技术开发区", ...]}, ...]}

Until the file exists the roster is the catalog's assessed units (the bodies its 适用 line names:
`assessed_units` in the catalog YAML, else parsed from `applies_to`); the first edit writes the file,
and from then on the file alone is the roster (a removed seed stays removed). Every edit is a
read-modify-write under a file lock (the CLI beside the review UI), written atomically
(core.files). The file is plain JSON and may be edited by hand; a broken file is refused, never
silently replaced.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock
from pydantic import ValidationError

from core.errors import ConfigError
from core.files import atomic_write_text
from indicators.catalog import Catalog
from indicators.units import BodyLevel, Roster, UnitEntry, assessed_units_from_line, parse_level

ROSTER_FILE = "units.json"
VERSION = 1


def _level(level: BodyLevel | str) -> BodyLevel:
    """A roster level (code or Chinese label), with a Chinese error for anything else."""
    return parse_level(level.value if isinstance(level, BodyLevel) else level)


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValueError("单位名称不能为空")
    return name


def seed_roster(catalog: Catalog | None) -> Roster:
    """The roster a workspace starts with: the catalog's named assessed units."""
    if catalog is None:
        return Roster()
    seeds = catalog.assessed_units or assessed_units_from_line(catalog.applies_to)
    return Roster(units=[s.entry() for s in seeds])


class RosterStore:
    """Reads and edits one workspace's roster."""

    def __init__(self, workspace: Path | str, catalog: Catalog | None = None):
        self.dir = Path(workspace)
        self.path = self.dir / ROSTER_FILE
        self.catalog = catalog

    @property
    def seeded_only(self) -> bool:
        """True while no edit was made: the roster shown is the catalog's seed."""
        return not self.path.is_file()

    def load(self) -> Roster:
        if not self.path.is_file():
            return seed_roster(self.catalog)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return Roster.model_validate({"units": data.get("units", [])})
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError, ValidationError) as exc:
            raise ConfigError(f"单位名册文件 {self.path} 无法读取或格式有误：{exc}") from None

    def save(self, roster: Roster) -> None:
        payload = {"version": VERSION, "units": roster.model_dump(mode="json")["units"]}
        atomic_write_text(self.path, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")

    def _edit(self, change: Callable[[Roster], Roster]) -> Roster:
        self.dir.mkdir(parents=True, exist_ok=True)
        with FileLock(self.dir / f".{ROSTER_FILE}.lock"):
            roster = change(self.load())
            self.save(roster)
            return roster

    # --- edits: each raises ValueError (bad input) or KeyError (no such unit) and then changes nothing
    def add(self, name: str, level: BodyLevel | str, parent: str | None = None,
            aliases: list[str] | None = None) -> UnitEntry:
        entry = UnitEntry(name=_name(name), level=_level(level), parent=parent, aliases=aliases or [])
        self._edit(lambda r: r.add(entry))
        return entry

    def set_level(self, name: str, level: BodyLevel | str) -> UnitEntry:
        level = _level(level)
        roster = self._edit(lambda r: r.set_level(name, level))
        return roster.find(name)

    def upsert_level(self, name: str, level: BodyLevel | str) -> UnitEntry:
        """Set the level of `name`, adding the unit when the roster does not hold it (the UI's edit)."""
        name, level = _name(name), _level(level)

        def change(r: Roster) -> Roster:
            return r.set_level(name, level) if r.find(name) else r.add(UnitEntry(name=name, level=level))
        return self._edit(change).find(name)

    def remove(self, name: str) -> UnitEntry:
        removed: list[UnitEntry] = []

        def change(r: Roster) -> Roster:
            removed.append(r.find(name))
            return r.remove(name)
        self._edit(change)
        return removed[0]
