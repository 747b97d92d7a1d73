"""pip-audit against PyPI's vulnerability service, used when that service answers.

A short probe first (one pinned release's JSON, which must carry a "vulnerabilities" field): a mirror
that serves only /pypi/<name>/json, or no network, costs seconds rather than a timeout per package.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from scripts.supply_chain.osv import Vulnerability
from scripts.supply_chain.pins import Pin, normalize

SERVICE = "https://pypi.org/pypi/{name}/{version}/json"
PROBE_TIMEOUT = 5.0
REQUEST_TIMEOUT = 10  # pip-audit --timeout, per request
RUN_TIMEOUT = 300.0


@dataclass
class OnlineResult:
    answered: set[str] = field(default_factory=set)  # normalised names the service gave data for
    vulnerabilities: list[Vulnerability] = field(default_factory=list)


def probe(pin: Pin, timeout: float = PROBE_TIMEOUT, service: str = SERVICE) -> str | None:
    """None when the service answers for this pin; otherwise why not (for the printout)."""
    url = service.format(name=pin.name, version=pin.version)
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            data = json.load(resp)
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        return str(getattr(exc, "reason", exc))
    return None if isinstance(data, dict) and "vulnerabilities" in data else "应答中没有 vulnerabilities 字段"


def pip_audit_binary() -> str | None:
    beside = Path(sys.executable).with_name("pip-audit")
    return str(beside) if beside.exists() else shutil.which("pip-audit")


def run(requirement_files: list[Path], timeout: float = RUN_TIMEOUT) -> OnlineResult:
    """pip-audit on the pins as written (--no-deps --disable-pip: nothing resolved or installed)."""
    binary = pip_audit_binary()
    if not binary:
        raise RuntimeError("未找到 pip-audit")
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "audit.json"
        cmd = [binary, "--no-deps", "--disable-pip", "--progress-spinner", "off",
               "--timeout", str(REQUEST_TIMEOUT), "--format", "json", "--output", str(report)]
        for f in requirement_files:
            cmd += ["--requirement", str(f)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(f"pip-audit 超过 {timeout:.0f} 秒未完成") from exc
        try:
            data = json.loads(report.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RuntimeError(f"pip-audit 未给出结果（退出码 {done.returncode}）：{done.stderr.strip()[-500:]}") from exc
    result = OnlineResult()
    for dep in data.get("dependencies", []):
        if dep.get("skip_reason"):
            continue
        name = normalize(dep["name"])
        result.answered.add(name)
        for v in dep.get("vulns") or []:
            result.vulnerabilities.append(Vulnerability(
                id=v["id"], package=name, version=dep["version"],
                fixed_in=tuple(v.get("fix_versions") or ()), aliases=tuple(v.get("aliases") or ()),
                summary=" ".join(str(v.get("description") or "").split())[:160], source="online",
            ))
    return result
