"""Pre-screening at portal scale on real published annual reports (issue 15).

Units are built from the eval/real cases whose gold names an annual report: each copy is one unit
folder holding the case's documents, replicated to N units. Every copy is made byte-distinct (a
comment or trailing bytes the parsers ignore) so that the workspace's content-hash de-duplication
cannot hide work. Each scenario runs `zwgk screen` as a child process, as a user would, and is
measured from outside: wall time, CPU time and peak RSS of the child.

Scenarios: cold (empty workspace), the same command again with nothing changed, one new report
added to a screened workspace, start-up (`zwgk --help`; one unit into an empty workspace), and (full run
only) 1,000 units as time per unit and peak RSS.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from bench.figures import Figure

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "eval" / "real"
GROUP = "真实年报预审"


def annual_cases() -> list[Path]:
    out = []
    for gold in sorted(REAL.glob("*/gold.yaml")):
        data = yaml.safe_load(gold.read_text(encoding="utf-8"))
        if any(d.get("type") == "annual_report" for d in data.get("documents") or []):
            out.append(gold.parent)
    return out


def distinct_copy(src: Path, dst: Path, tag: str) -> None:
    """Copy `src` to `dst` with bytes of its own, content unchanged for the parsers."""
    data = src.read_bytes()
    suffix = src.suffix.lower()
    if suffix in (".html", ".htm"):
        data += f"\n<!-- {tag} -->\n".encode()
    elif suffix == ".pdf":
        data += f"\n%{tag}\n".encode()
    elif suffix in (".docx", ".xlsx"):
        buf = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                zout.writestr(item, zin.read(item.filename))
            zout.comment = tag.encode()
        data = buf.getvalue()
    elif suffix in (".png", ".jpg", ".jpeg"):
        data += tag.encode()  # after IEND / EOI: image decoders stop before it
    else:  # text: a trailing blank line
        data += b"\n" * (1 + sum(map(ord, tag)) % 7) + b" " * (len(tag) % 5)
    dst.write_bytes(data)


def build_units(n: int, folder: Path, start: int = 0) -> list[str]:
    """Units `start`..`start+n-1`, round-robin over the real annual-report cases."""
    cases = annual_cases()
    names = []
    for k in range(start, start + n):
        case = cases[k % len(cases)]
        unit = yaml.safe_load((case / "gold.yaml").read_text(encoding="utf-8"))["unit"]
        name = f"{unit}（副本{k:04d}）"
        target = folder / name
        target.mkdir(parents=True, exist_ok=True)
        for src in sorted((case / "docs").iterdir()):
            if src.is_file():
                distinct_copy(src, target / src.name, f"zwgk-bench {k}")
        names.append(name)
    return names


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mb: float
    returncode: int


def measured(cmd: list[str], env: dict[str, str] | None = None) -> Run:
    """One child process as a user would start it (stdout discarded): wall time, CPU time and peak RSS, from
    wait4() in a small launcher (bench.measured: this process's own pages would count in the child's peak)."""
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryFile() as err:  # err: the progress bars
        report = Path(tmp) / "run.json"                                           # would fill a pipe
        subprocess.run([sys.executable, "-m", "bench.measured", str(report), "--", *cmd], cwd=ROOT, env=env,
                       stdout=subprocess.DEVNULL, stderr=err, check=True)
        run = Run(**json.loads(report.read_text()))
        if run.returncode not in (0, 1):  # 1: some file failed or some item needs a human, which is a result
            err.seek(0)
            print(err.read().decode(errors="replace")[-3000:], file=sys.stderr)
    return run


def zwgk_screen(folder: Path, ws: Path, out: Path, *extra: str) -> Run:
    """One `zwgk screen` child, offline."""
    return measured([sys.executable, "-m", "zwgk", "screen", str(folder), "--workspace", str(ws), "--out", str(out),
                     "--llm", "none", *extra], env={**os.environ, "ZWGK_EMBEDDING_BACKEND": "none"})


def zwgk_help() -> Run:
    """`zwgk --help`: the interpreter, click and the sub-commands' short help (each command module imported)."""
    return measured([sys.executable, "-m", "zwgk", "--help"])


def _one_unit(base: Path) -> Run:
    """One unit screened into an empty workspace: what a reviewer trying the tool on one body waits for."""
    folder, ws, out = base / "units", base / "ws", base / "out"
    for p in (folder, ws, out):
        shutil.rmtree(p, ignore_errors=True)
    build_units(1, folder)
    return zwgk_screen(folder, ws, out)


def _scenario(n: int, base: Path) -> tuple[Run, Run, Run, int]:
    folder, ws, out = base / "units", base / "ws", base / "out"
    for p in (folder, ws, out):
        shutil.rmtree(p, ignore_errors=True)
    build_units(n, folder)
    cold = zwgk_screen(folder, ws, out)
    again = zwgk_screen(folder, ws, out)
    build_units(1, folder, start=n)  # one new report in a new unit folder
    added = zwgk_screen(folder, ws, out)
    return cold, again, added, n


def run(quick: bool = False, out: Path | None = None, scale: int | None = None) -> list[Figure]:
    out = (out or Path(__file__).parent / "out") / "real-screen"
    n = 10 if quick else 100
    cold, again, added, n = _scenario(n, out / f"n{n}")
    per_unit = cold.wall / n
    figures = [
        Figure(GROUP, f"冷启动：{n} 个单位（真实年报，空工作区）", cold.wall, "秒",
               target="≤ 60" if n == 100 else "", ok=(cold.wall <= 60) if n == 100 else None,
               note=f"CPU {cold.cpu:.0f} 秒；含解析、建索引、逐项预审与导出；退出码 {cold.returncode}"),
        Figure(GROUP, "冷启动：每单位用时", per_unit, "秒/单位"),
        Figure(GROUP, "冷启动：峰值内存", cold.rss_mb, "MB", target="≤ 1024", ok=cold.rss_mb <= 1024),
        Figure(GROUP, "未改动重跑", again.wall, "秒", target="≤ 5", ok=again.wall <= 5,
               note=f"CPU {again.cpu:.1f} 秒，峰值内存 {again.rss_mb:.0f} MB"),
        Figure(GROUP, "新增一份年报后重跑", added.wall, "秒", target="≤ 2", ok=added.wall <= 2,
               note=f"CPU {added.cpu:.1f} 秒，峰值内存 {added.rss_mb:.0f} MB"),
    ]
    helps = sorted(zwgk_help().wall for _ in range(3))
    one = _one_unit(out / "n1")
    figures += [
        Figure(GROUP, "启动：zwgk --help", helps[1], "秒", note="三次取中位数；含各子命令的说明"),
        Figure(GROUP, "启动：1 个单位（空工作区）", one.wall, "秒",
               note=f"CPU {one.cpu:.1f} 秒，峰值内存 {one.rss_mb:.0f} MB；含解析、预审与导出；退出码 {one.returncode}"),
    ]
    big = scale if scale is not None else (0 if quick else 1000)
    if big:
        folder, ws, exports = out / f"n{big}" / "units", out / f"n{big}" / "ws", out / f"n{big}" / "out"
        for p in (folder, ws, exports):
            shutil.rmtree(p, ignore_errors=True)
        build_units(big, folder)
        large = zwgk_screen(folder, ws, exports)
        ratio = (large.wall / big) / per_unit
        figures += [
            Figure(GROUP, f"{big} 个单位：每单位用时", large.wall / big, "秒/单位",
                   target="与100单位相差 ≤ 20%", ok=abs(ratio - 1) <= 0.2,
                   note=f"总用时 {large.wall:.0f} 秒，为100单位每单位用时的 {ratio:.0%}"),
            Figure(GROUP, f"{big} 个单位：峰值内存", large.rss_mb, "MB", target="≤ 1024", ok=large.rss_mb <= 1024),
        ]
    return figures

