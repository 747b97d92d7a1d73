"""make audit: the pinned set against known vulnerabilities.

    python -m scripts.supply_chain.audit [REQFILE ...] [--offline] [--snapshot DIR]
    python -m scripts.supply_chain.audit --update GITDIR [--snapshot DIR] [REQFILE ...]

Source: PyPI's vulnerability service through pip-audit when it answers (short probe, short timeouts),
else, and for every pin it gave no data for, the advisory-database snapshot. The printout names the
source and the snapshot's date.
Exit 0: nothing known, or only vulnerabilities without a fixed release (listed as warnings);
exit 1: a vulnerability with a fixed release (CI fails); exit 2: the audit could not be done.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from scripts.supply_chain import online
from scripts.supply_chain.osv import Vulnerability
from scripts.supply_chain.pins import Pin, PinError, read_pins
from scripts.supply_chain.snapshot import CANDIDATES, Snapshot, SnapshotError, extract, locate

REPO = Path(__file__).resolve().parents[2]
DEFAULT_FILES = ("requirements.lock", "requirements-torch.txt")
STALE_DAYS = 90


def _say(text: str = "") -> None:
    print(text, flush=True)


def _line(v: Vulnerability) -> str:
    alias = f"（{'、'.join(v.aliases[:3])}）" if v.aliases else ""
    fix = f"修复版本：{'、'.join(v.fixed_in)}" if v.has_fix else "暂无修复版本"
    summary = f"  {v.summary}" if v.summary else ""
    return f"{v.package}=={v.version}  {v.id}{alias}  {fix}{summary}"


def audit(files: list[Path], snapshot_dir: str | None, offline: bool) -> int:
    try:
        pins = read_pins(files)
    except (OSError, PinError) as exc:
        _say(f"依赖审计失败：{exc}")
        return 2
    _say(f"依赖审计：{len(pins)} 个固定版本（{'、'.join(f.name for f in files)}）")

    found: list[Vulnerability] = []
    rest: list[Pin] = pins
    if offline:
        _say("在线漏洞服务：未使用（离线模式）")
    else:
        why = online.probe(pins[0]) if pins else "没有固定版本"
        if why is None:
            try:
                result = online.run(pins)
            except online.OnlineError as exc:
                _say(f"在线漏洞服务：pip-audit 未完成（{exc}），改用快照")
            else:
                found += result.vulnerabilities
                rest = [p for p in pins if p.name not in result.answered]
                _say(f"数据来源：PyPI 漏洞服务（pip-audit，在线），给出 {len(pins) - len(rest)} 个固定版本的数据")
        else:
            _say(f"在线漏洞服务：不可用（{why}），改用快照")

    if rest:
        try:
            snap = locate(REPO, snapshot_dir)
        except SnapshotError as exc:
            _say(f"依赖审计失败：{len(rest)} 个固定版本既无在线数据也无快照。{exc}")
            return 2
        uncovered = [p for p in rest if p.name not in snap.covered]
        if uncovered:
            names = "、".join(f"{p.name}=={p.version}" for p in uncovered[:10])
            _say(f"依赖审计失败：快照未覆盖 {len(uncovered)} 个固定版本（{names}）：请用 make audit-update 重新提取")
            return 2
        try:
            found += snap.check(rest)
        except SnapshotError as exc:
            _say(f"依赖审计失败：{exc}")
            return 2
        _say(f"数据来源：{snap.describe()}，用于 {len(rest)} 个固定版本")
        age = snap.age_days()
        if age is not None and age > STALE_DAYS:
            _say(f"警告：快照已有 {age} 天，此后公布的漏洞不在其中；请取得较新的 {snap.manifest['database']} 并 make audit-update")

    fixable = [v for v in found if v.has_fix]
    unfixed = [v for v in found if not v.has_fix]
    _say(f"结果：已知漏洞 {len(found)} 个，其中有修复版本（须升级）{len(fixable)} 个，暂无修复版本（警告）{len(unfixed)} 个")
    for v in fixable:
        _say(f"  须升级  {_line(v)}")
    for v in unfixed:
        _say(f"  警告    {_line(v)}")
    return 1 if fixable else 0


def update(database: Path, files: list[Path], snapshot_dir: str | None) -> int:
    try:
        pins = read_pins(files)
        out = Path(snapshot_dir or os.environ.get("AUDIT_SNAPSHOT") or REPO / CANDIDATES[0])
        snap: Snapshot = extract(database, pins, out)
    except (OSError, PinError, SnapshotError) as exc:
        _say(f"快照更新失败：{exc}")
        return 2
    _say(f"快照已更新：{snap.describe()}，{snap.manifest['advisories']} 条公告，覆盖 {len(snap.covered)} 个依赖包")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/audit.sh", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path, help="requirements files (default: the lock and the torch pin)")
    parser.add_argument("--offline", action="store_true", default=os.environ.get("AUDIT_OFFLINE") == "1",
                        help="snapshot only (also AUDIT_OFFLINE=1)")
    parser.add_argument("--snapshot", help="snapshot directory (also AUDIT_SNAPSHOT)")
    parser.add_argument("--update", metavar="GITDIR", type=Path,
                        help="re-extract the snapshot from a git copy of pypa/advisory-database")
    args = parser.parse_args(argv)
    files = args.files or [REPO / f for f in DEFAULT_FILES]
    if args.update:
        return update(args.update, files, args.snapshot)
    return audit(files, args.snapshot, args.offline)


if __name__ == "__main__":
    sys.exit(main())
