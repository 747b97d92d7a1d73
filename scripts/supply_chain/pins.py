"""The pinned dependency set, read from requirements files (requirements.lock, requirements-torch.txt)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import InvalidVersion, Version


def normalize(name: str) -> str:
    """PEP 503: runs of '-', '_', '.' become one '-', lower case (PyYAML == pyyaml, zope.interface == zope-interface)."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Pin:
    name: str  # normalised
    version: str
    source: str  # file it came from

    @property
    def parsed(self) -> Version:
        return Version(self.version)


class PinError(ValueError):
    """A requirement that is not an exact pin: an audit of it would say nothing."""


def logical_lines(text: str) -> list[str]:
    """Requirement lines with '\\' continuations joined and comments dropped."""
    lines: list[str] = []
    buf = ""
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0] if not raw.lstrip().startswith("#") else ""
        if line.rstrip().endswith("\\"):
            buf += line.rstrip()[:-1] + " "
            continue
        buf += line
        if buf.strip():
            lines.append(buf.strip())
        buf = ""
    if buf.strip():
        lines.append(buf.strip())
    return lines


def read_pins(paths: list[Path]) -> list[Pin]:
    """Every `name==version` requirement of the files; options (--hash, -r, ...) are skipped."""
    pins: dict[str, Pin] = {}
    for path in paths:
        for line in logical_lines(path.read_text(encoding="utf-8")):
            if line.startswith("-"):
                continue
            spec = line.split(" --", 1)[0].strip()  # drop the --hash options of that line
            try:
                req = Requirement(spec)
            except InvalidRequirement as exc:
                raise PinError(f"{path.name}：无法解析的依赖行 {spec!r}（{exc}）") from exc
            specs = list(req.specifier)
            if len(specs) != 1 or specs[0].operator != "==" or "*" in specs[0].version:
                raise PinError(f"{path.name}：{req.name} 未固定到单一版本（{req.specifier or '无版本'}），请用 make lock 生成")
            try:
                Version(specs[0].version)
            except InvalidVersion as exc:
                raise PinError(f"{path.name}：{req.name} 的版本号 {specs[0].version} 不合 PEP 440") from exc
            name = normalize(req.name)
            pins[name] = Pin(name, specs[0].version, path.name)
    return sorted(pins.values(), key=lambda p: p.name)
