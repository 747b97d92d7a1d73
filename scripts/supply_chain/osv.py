"""OSV records (https://ossf.github.io/osv-schema/) and whether one affects a pinned version.

A version is affected by an `affected[]` entry of its package when it is listed in `versions`, or when
an ECOSYSTEM range contains it: events sorted by version, the last event at or below the version
decides (`introduced` opens, `fixed` closes at that version, `last_affected` closes after it).
Other range types (GIT, SEMVER) do not describe PyPI versions and are not evaluated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from packaging.version import InvalidVersion, Version

from scripts.supply_chain.pins import normalize

ECOSYSTEM = "PyPI"


def parse_version(text: str) -> Version | None:
    try:
        return Version(str(text))
    except InvalidVersion:
        return None  # a legacy version string: cannot be ordered, so it never matches


@dataclass(frozen=True)
class Vulnerability:
    """One advisory that affects one pinned package version."""

    id: str
    package: str
    version: str
    fixed_in: tuple[str, ...]  # releases after the pinned one that fix it; empty: no fix known
    aliases: tuple[str, ...] = ()
    summary: str = ""
    source: str = ""

    @property
    def has_fix(self) -> bool:
        return bool(self.fixed_in)


@dataclass
class Advisory:
    id: str
    affected: list[dict[str, Any]]
    aliases: list[str] = field(default_factory=list)
    summary: str = ""
    withdrawn: str | None = None

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Advisory:
        summary = record.get("summary") or record.get("details") or ""
        return cls(
            id=str(record["id"]),
            affected=list(record.get("affected") or []),
            aliases=[str(a) for a in record.get("aliases") or []],
            summary=" ".join(str(summary).split())[:100],
            withdrawn=record.get("withdrawn"),
        )

    def check(self, package: str, version: str, source: str = "") -> Vulnerability | None:
        """The vulnerability this advisory describes for package==version, or None."""
        if self.withdrawn:
            return None
        v = parse_version(version)
        if v is None:
            return None
        fixes: set[Version] = set()
        hit = False
        for entry in self.affected:
            pkg = entry.get("package") or {}
            if pkg.get("ecosystem") != ECOSYSTEM or normalize(str(pkg.get("name", ""))) != normalize(package):
                continue
            entry_hit = in_versions(v, entry.get("versions") or [])
            for rng in entry.get("ranges") or []:
                if rng.get("type") != "ECOSYSTEM":
                    continue
                events = rng.get("events") or []
                if range_contains(v, events):
                    entry_hit = True
                    later = [f for f in fixed_versions(events) if f > v]
                    if later:
                        fixes.add(min(later))  # the release that closes the interval v is in
            hit = hit or entry_hit
        if not hit:
            return None
        return Vulnerability(
            id=self.id,
            package=normalize(package),
            version=version,
            fixed_in=tuple(str(f) for f in sorted(fixes)),
            aliases=tuple(self.aliases),
            summary=self.summary,
            source=source,
        )


def in_versions(v: Version, versions: Iterable[Any]) -> bool:
    return any(parse_version(x) == v for x in versions)


def _event_version(event: dict[str, Any]) -> tuple[str, Version] | None:
    for kind in ("introduced", "fixed", "last_affected"):
        if kind in event:
            parsed = parse_version(event[kind])
            return (kind, parsed) if parsed is not None else None
    return None  # "limit" (git ranges) or an unknown kind: no bearing on an ECOSYSTEM range


def range_contains(v: Version, events: Iterable[dict[str, Any]]) -> bool:
    parsed = sorted((e for e in map(_event_version, events) if e), key=lambda kv: kv[1])
    affected = False
    for kind, at in parsed:
        if at > v:
            break
        if kind == "introduced":
            affected = True
        elif kind == "fixed":
            affected = False
        elif kind == "last_affected" and at < v:
            affected = False  # at == v: v is the last affected release, the range stays as it was
    return affected


def fixed_versions(events: Iterable[dict[str, Any]]) -> list[Version]:
    return [at for kind, at in filter(None, map(_event_version, events)) if kind == "fixed"]


def load_advisory(path: Path) -> Advisory:
    """An OSV record in YAML (the PyPA database's encoding) or JSON. Every scalar is read as a string:
    YAML would otherwise turn a version like 2.10 into the float 2.1."""
    record = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    if not isinstance(record, dict) or "id" not in record:
        raise ValueError(f"{path}: not an OSV record")
    return Advisory.from_record(record)
