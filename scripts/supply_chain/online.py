"""pip-audit against PyPI's vulnerability service, used when that service answers.

A probe first: pip-audit on one pin with a short timeout. A registry mirror without per-release
vulnerability data, or no network, then costs seconds instead of a timeout per package.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from scripts.supply_chain.osv import Vulnerability
from scripts.supply_chain.pins import Pin, normalize

PROBE_TIMEOUT = 5  # pip-audit --timeout (per request) for the probe
REQUEST_TIMEOUT = 10  # and for the full run
RUN_TIMEOUT = 300.0


class OnlineError(RuntimeError):
    """pip-audit missing, failed, or too slow."""


@dataclass
class OnlineResult:
    answered: set[str] = field(default_factory=set)  # normalised names the service gave data for
    vulnerabilities: list[Vulnerability] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # name -> pip-audit's reason


def pip_audit_binary() -> str | None:
    beside = Path(sys.executable).with_name("pip-audit")
    return str(beside) if beside.exists() else shutil.which("pip-audit")


def probe(pin: Pin) -> str | None:
    """None when the service answers for this pin; otherwise why not (for the printout)."""
    try:
        result = run([pin], request_timeout=PROBE_TIMEOUT, timeout=6 * PROBE_TIMEOUT)
    except OnlineError as exc:
        return str(exc)
    return None if pin.name in result.answered else f"pip-audit 未得到 {pin.name}=={pin.version} 的漏洞数据"


def run(pins: list[Pin], request_timeout: int = REQUEST_TIMEOUT, timeout: float = RUN_TIMEOUT) -> OnlineResult:
    """pip-audit on the pins (--no-deps --disable-pip: nothing resolved or installed). They go in as one
    plain name==version file: pip-audit refuses a hashed lock next to the unhashed torch pin."""
    binary = pip_audit_binary()
    if not binary:
        raise OnlineError("未找到 pip-audit")
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "audit.json"
        plain = Path(tmp) / "pins.txt"
        plain.write_text("".join(f"{p.name}=={p.version}\n" for p in pins), encoding="utf-8")
        cmd = [binary, "--no-deps", "--disable-pip", "--progress-spinner", "off", "--requirement", str(plain),
               "--timeout", str(request_timeout), "--format", "json", "--output", str(report)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise OnlineError(f"pip-audit 超过 {timeout:.0f} 秒未完成") from exc
        try:
            data = json.loads(report.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            tail = done.stderr.strip().splitlines()[-1:] or [""]
            raise OnlineError(f"pip-audit 未给出结果（退出码 {done.returncode}）：{tail[0][:200]}") from exc
    return parse_report(data)


def parse_report(data: dict) -> OnlineResult:
    """pip-audit's JSON report: the pins it had data for, and their vulnerabilities."""
    result = OnlineResult()
    for dep in data.get("dependencies", []):
        name = normalize(dep["name"])
        if dep.get("skip_reason"):
            result.skipped[name] = str(dep["skip_reason"])
            continue
        result.answered.add(name)
        for v in dep.get("vulns") or []:
            result.vulnerabilities.append(Vulnerability(
                id=v["id"], package=name, version=dep["version"],
                fixed_in=tuple(v.get("fix_versions") or ()), aliases=tuple(v.get("aliases") or ()),
                summary=" ".join(str(v.get("description") or "").split())[:100], source="online",
            ))
    return result
