"""scripts/audit.sh end to end, offline (the snapshot path), on fixture locks and fixture snapshots; and
the snapshot extraction from a real git repository shaped like pypa/advisory-database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.supply_chain import audit as audit_cli
from scripts.supply_chain import online

REPO = Path(__file__).resolve().parents[2]

VULN = """\
id: PYSEC-TEST-7
summary: demo-lib lets a crafted header through
aliases:
- CVE-2099-0007
affected:
- package:
    name: Demo_Lib
    ecosystem: PyPI
  ranges:
  - type: ECOSYSTEM
    events:
    - introduced: "0"
    - fixed: 1.4.2
"""
UNFIXED = """\
id: PYSEC-TEST-8
affected:
- package:
    name: other-lib
    ecosystem: PyPI
  ranges:
  - type: ECOSYSTEM
    events:
    - introduced: "2.0"
    - last_affected: "2.5"
"""


def write_snapshot(root: Path, advisories: dict[str, str], packages: list[str], day: str = "2026-11-30") -> Path:
    for rel, text in advisories.items():
        (root / "vulns" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "vulns" / rel).write_text(text, encoding="utf-8")
    manifest = {"database": "pypa/advisory-database", "commit": "f" * 40, "commit_time": f"{day}T00:00:00+00:00",
                "snapshot_date": day, "advisories": len(advisories), "packages": packages}
    (root / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return root


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    return write_snapshot(tmp_path / "snap", {"demo-lib/PYSEC-TEST-7.yaml": VULN, "other-lib/PYSEC-TEST-8.yaml": UNFIXED},
                          ["demo-lib", "other-lib", "clean-lib"])


def lock(tmp_path: Path, *pins: str) -> Path:
    f = tmp_path / "fixture.lock"
    f.write_text("".join(f"{p} \\\n    --hash=sha256:{'0' * 64}\n" for p in pins), encoding="utf-8")
    return f


def audit(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "scripts/audit.sh", "--offline", *map(str, args)], cwd=REPO, capture_output=True, text=True,
        timeout=120, env={**os.environ, "PYTHON": sys.executable, **(env or {})}, check=False,
    )


def test_a_vulnerable_pin_with_a_fix_fails_and_names_source_date_and_fix(tmp_path, snapshot):
    done = audit("--snapshot", snapshot, lock(tmp_path, "demo.lib==1.4.1", "clean-lib==3.0"))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "PyPA advisory-database 快照" in done.stdout and "日期 2026-11-30" in done.stdout
    assert "须升级  demo-lib==1.4.1  PYSEC-TEST-7（CVE-2099-0007）  修复版本：1.4.2" in done.stdout
    assert "skipped" not in done.stdout + done.stderr


def test_a_clean_lock_passes(tmp_path, snapshot):
    done = audit("--snapshot", snapshot, lock(tmp_path, "demo-lib==1.4.2", "clean-lib==3.0", "other-lib==2.6"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "已知漏洞 0 个" in done.stdout and "快照（提交 ffffffffffff，日期 2026-11-30" in done.stdout


def test_a_vulnerability_without_a_fix_is_a_warning(tmp_path, snapshot):
    done = audit("--snapshot", snapshot, lock(tmp_path, "other-lib==2.5"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "警告    other-lib==2.5  PYSEC-TEST-8  暂无修复版本" in done.stdout


def test_no_source_at_all_is_an_error_not_a_skip(tmp_path):
    done = audit(lock(tmp_path, "clean-lib==3.0"), env={"AUDIT_SNAPSHOT": str(tmp_path / "nowhere")})
    assert done.returncode == 2 and "依赖审计失败" in done.stdout and "make audit-update" in done.stdout


def test_a_pin_the_snapshot_was_not_extracted_for_is_an_error(tmp_path, snapshot):
    done = audit("--snapshot", snapshot, lock(tmp_path, "clean-lib==3.0", "new-lib==1.0"))
    assert done.returncode == 2 and "new-lib==1.0" in done.stdout and "未覆盖" in done.stdout


def test_an_unpinned_requirement_is_an_error(tmp_path, snapshot):
    loose = tmp_path / "loose.txt"
    loose.write_text("clean-lib>=3\n", encoding="utf-8")
    done = audit("--snapshot", snapshot, loose)
    assert done.returncode == 2 and "未固定" in done.stdout


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": "2026-10-01T12:00:00+00:00", "GIT_COMMITTER_DATE": "2026-10-01T12:00:00+00:00",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True, env=env).stdout


def test_update_extracts_only_the_pinned_packages_from_a_database_copy(tmp_path):
    db = tmp_path / "advisory-database"
    (db / "vulns" / "demo-lib").mkdir(parents=True)
    (db / "vulns" / "unrelated").mkdir(parents=True)
    (db / "vulns" / "demo-lib" / "PYSEC-TEST-7.yaml").write_text(VULN, encoding="utf-8")
    (db / "vulns" / "unrelated" / "PYSEC-TEST-9.yaml").write_text(VULN.replace("7", "9"), encoding="utf-8")
    (db / "LICENSE").write_text("Attribution 4.0 International\n", encoding="utf-8")
    git(db, "init", "-q")
    git(db, "add", "-A")
    git(db, "commit", "-q", "-m", "advisories")
    commit = git(db, "rev-parse", "HEAD").strip()
    bare = tmp_path / "mirror.git"  # fetch delivers a bare git directory
    subprocess.run(["git", "clone", "-q", "--bare", str(db), str(bare)], check=True)

    fixture = lock(tmp_path, "demo-lib==1.0", "clean-lib==3.0")
    out = tmp_path / "snapshot"
    done = audit("--update", bare, "--snapshot", out, fixture)
    assert done.returncode == 0, done.stdout + done.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["commit"] == commit and manifest["snapshot_date"] == "2026-10-01"
    assert manifest["packages"] == ["clean-lib", "demo-lib"] and manifest["advisories"] == 1
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.yaml")) == ["vulns/demo-lib/PYSEC-TEST-7.yaml"]
    assert (out / "vulns/demo-lib/PYSEC-TEST-7.yaml").read_text(encoding="utf-8") == VULN  # unchanged bytes
    assert (out / "LICENSE").is_file()

    done = audit("--snapshot", out, fixture)
    assert done.returncode == 1 and "PYSEC-TEST-7" in done.stdout and "日期 2026-10-01" in done.stdout


def test_update_from_something_else_keeps_the_old_snapshot(tmp_path, snapshot):
    other = tmp_path / "other"
    other.mkdir()
    (other / "README").write_text("x", encoding="utf-8")
    git(other, "init", "-q")
    git(other, "add", "-A")
    git(other, "commit", "-q", "-m", "x")
    before = (snapshot / "manifest.json").read_text(encoding="utf-8")
    done = audit("--update", other, "--snapshot", snapshot, lock(tmp_path, "demo-lib==1.0"))
    assert done.returncode == 2 and "快照更新失败" in done.stdout
    assert (snapshot / "manifest.json").read_text(encoding="utf-8") == before


def test_online_answers_are_used_and_the_snapshot_covers_the_pins_the_service_skipped(tmp_path, snapshot, monkeypatch, capsys):
    report = {"dependencies": [
        {"name": "Clean_Lib", "version": "3.0", "vulns": [
            {"id": "GHSA-test-0001", "fix_versions": ["3.1"], "aliases": ["CVE-2099-0100"], "description": "x"}]},
        {"name": "demo-lib", "skip_reason": "Dependency not found on PyPI and could not be audited"},
    ]}  # what pip-audit --format json writes
    monkeypatch.setattr(online, "run", lambda pins, **kw: online.parse_report(report))  # the probe runs it too
    code = audit_cli.audit([lock(tmp_path, "clean-lib==3.0", "demo-lib==1.0")], str(snapshot), offline=False)
    out = capsys.readouterr().out
    assert code == 1
    assert "PyPI 漏洞服务（pip-audit，在线），给出 1 个固定版本的数据" in out
    assert "快照（提交 ffffffffffff，日期 2026-11-30" in out and "用于 1 个固定版本" in out
    assert "clean-lib==3.0  GHSA-test-0001（CVE-2099-0100）  修复版本：3.1" in out
    assert "demo-lib==1.0  PYSEC-TEST-7" in out  # from the snapshot


def test_a_service_without_data_sends_every_pin_to_the_snapshot(tmp_path, snapshot, monkeypatch, capsys):
    skipped = {"dependencies": [{"name": "clean-lib", "skip_reason": "Dependency not found on PyPI"}]}
    monkeypatch.setattr(online, "run", lambda pins, **kw: online.parse_report(skipped))
    code = audit_cli.audit([lock(tmp_path, "clean-lib==3.0")], str(snapshot), offline=False)
    out = capsys.readouterr().out
    assert code == 0 and "在线漏洞服务：不可用（pip-audit 未得到 clean-lib==3.0 的漏洞数据），改用快照" in out
    assert "用于 1 个固定版本" in out
