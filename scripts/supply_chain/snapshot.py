"""A dated extract of the PyPA advisory database (pypa/advisory-database, OSV records in YAML).

Layout of a snapshot directory:
    manifest.json            database, commit, commit date, extraction date, the packages it covers
    LICENSE                  the database's licence (CC-BY-4.0), kept with its data
    vulns/<name>/<ID>.yaml   the database's own files, unchanged, for the covered packages only

A snapshot covers the packages it was extracted for; a pin outside them cannot be audited from it
(make audit-update extracts again for the current lock).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from scripts.supply_chain.osv import Vulnerability, load_advisory
from scripts.supply_chain.pins import Pin, normalize

DATABASE = "pypa/advisory-database"
MANIFEST = "manifest.json"
# Where a snapshot is looked for, relative to the repository: the checkout's own (made by
# make audit-update, not committed), and shared/ beside the checkout (where CI has it).
CANDIDATES = ("audit/pypa-advisory-db", "../shared/audit/pypa-advisory-db")


class SnapshotError(RuntimeError):
    """No usable snapshot: missing, unreadable, or made from something else."""


@dataclass(frozen=True)
class Snapshot:
    path: Path
    manifest: dict[str, Any]

    @classmethod
    def open(cls, path: Path) -> Snapshot:
        if not (path / MANIFEST).is_file():
            raise SnapshotError(f"{path} 下没有漏洞库快照（缺 {MANIFEST}）：请用 make audit-update 生成，或改正 AUDIT_SNAPSHOT")
        try:
            manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SnapshotError(f"{path / MANIFEST} 无法读取（{exc}）：请用 make audit-update 重新生成") from exc
        if manifest.get("database") != DATABASE or not manifest.get("commit") or "packages" not in manifest:
            raise SnapshotError(f"{path}：{MANIFEST} 缺少 database/commit/packages，请用 make audit-update 重新生成")
        return cls(path, manifest)

    @property
    def date(self) -> str:
        return str(self.manifest.get("snapshot_date", "?"))

    @property
    def commit(self) -> str:
        return str(self.manifest["commit"])

    @property
    def covered(self) -> set[str]:
        return {normalize(n) for n in self.manifest["packages"]}

    def age_days(self, today: date | None = None) -> int | None:
        try:
            then = date.fromisoformat(self.date)
        except ValueError:
            return None
        return ((today or datetime.now(UTC).date()) - then).days

    def describe(self) -> str:
        age = self.age_days()
        age_text = f"，距今 {age} 天" if age is not None else ""
        return f"PyPA advisory-database 快照（提交 {self.commit[:12]}，日期 {self.date}{age_text}；{self.path}）"

    def check(self, pins: list[Pin]) -> list[Vulnerability]:
        found: list[Vulnerability] = []
        for pin in pins:
            folder = self.path / "vulns" / pin.name
            for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.json")):
                try:
                    advisory = load_advisory(path)
                except (OSError, ValueError) as exc:
                    raise SnapshotError(f"{path}：公告无法读取（{exc}），请用 make audit-update 重新生成快照") from exc
                hit = advisory.check(pin.name, pin.version, source="snapshot")
                if hit:
                    found.append(hit)
        return found


def locate(repo: Path, explicit: str | None = None) -> Snapshot:
    """The snapshot to use: the one named (argument or AUDIT_SNAPSHOT), else the newest candidate."""
    named = explicit or os.environ.get("AUDIT_SNAPSHOT")
    if named:
        return Snapshot.open(Path(named))
    found: list[Snapshot] = []
    for rel in CANDIDATES:
        path = (repo / rel).resolve()
        if (path / MANIFEST).is_file():
            found.append(Snapshot.open(path))
    if not found:
        where = "、".join(CANDIDATES)
        raise SnapshotError(f"未找到漏洞库快照（查找了 {where}，或设置 AUDIT_SNAPSHOT）：请用 make audit-update 生成")
    return max(found, key=lambda s: str(s.manifest.get("commit_time", "")))


# --- making a snapshot from a git copy of the database ------------------------------------------------


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False)
    if done.returncode:
        raise SnapshotError(f"git {' '.join(args)} 失败（{repo}）：{done.stderr.strip()}")
    return done.stdout


def _git_bytes(repo: Path, rev: str, path: str) -> bytes:
    done = subprocess.run(["git", "-C", str(repo), "show", f"{rev}:{path}"], capture_output=True, check=False)
    if done.returncode:
        raise SnapshotError(f"git show {rev}:{path} 失败：{done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def extract(database: Path, pins: list[Pin], out: Path, rev: str = "HEAD") -> Snapshot:
    """Copy the advisories of the pinned packages out of a git copy (bare or not) of the database into
    `out`, replacing what was there only once the new snapshot is complete."""
    commit = _git(database, "rev-parse", "--verify", f"{rev}^{{commit}}").strip()
    commit_time = _git(database, "log", "-1", "--format=%cI", commit).strip()
    by_package: dict[str, list[str]] = defaultdict(list)
    for path in _git(database, "ls-tree", "-r", "--name-only", commit, "vulns/").splitlines():
        parts = path.split("/")
        if len(parts) == 3 and parts[2].endswith((".yaml", ".json")):
            by_package[normalize(parts[1])].append(path)
    if not by_package:
        raise SnapshotError(f"{database}：提交 {commit[:12]} 中没有 vulns/<包名>/ 目录，不是 {DATABASE}")

    wanted = sorted({p.name for p in pins})
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".snapshot-", dir=out.parent))
    try:
        count = 0
        for name in wanted:
            for path in sorted(by_package.get(name, [])):
                target = tmp / "vulns" / name / Path(path).name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(_git_bytes(database, commit, path))
                load_advisory(target)  # refuse to keep a file the checker could not read
                count += 1
        (tmp / "LICENSE").write_bytes(_git_bytes(database, commit, "LICENSE"))
        manifest = {
            "database": DATABASE,
            "commit": commit,
            "commit_time": commit_time,
            "snapshot_date": commit_time[:10],
            "extracted_on": datetime.now(UTC).date().isoformat(),
            "advisories": count,
            "packages": wanted,
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        old = out.with_name(out.name + ".old")
        if out.exists():
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Snapshot.open(out)
