"""Full-size hostile files through `zwgk ingest`, one at a time: wall time and peak memory of each.

`python -m bench hostile`. The files are the ones of tests/reliability/hostile.py at the sizes that
exhausted the machine before (issue 17): a real XLSX of 1,048,576 rows, a 150 MB text, a zip bomb
inflating to 4 GB whose headers and CRC claim 4 KB, the same honestly declared, a DOCX of 50 MB of
tiny paragraphs (memory watch), a PDF content stream inflating to 400 MB, a FIFO, a link to
/dev/zero, a link out of the input folder, an XXE DOCX, damaged GB18030, a name with a newline.
They are built once under OUT/hostile/ (about 1 min) and reused.

Each runs in a fresh workspace with the default settings (OCR off, BM25 only). Time is the command's
wall time (start-up of about 2 s included); memory is the peak of the summed resident memory of
`zwgk` and every process it started (parse workers, forkserver), sampled every 50 ms, and beside it the
summed proportional set size (PSS: a page shared by the forkserver and its workers counted once; the
all-files run is judged on it). Targets
(issue 17): each file handled in < 30 s with peak memory < 1.5 GB. `--quick` builds small files and
lowers the limits to match (seconds in all).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from bench.figures import Figure
from ingestion.parallel import smaps_mb

GROUP = "恶意输入"
ROOT = Path(__file__).resolve().parents[1]
SECONDS, RSS_MB = 30.0, 1536.0
QUICK_LIMITS = {"ZWGK_MAX_SHEET_ROWS": "5000", "ZWGK_MAX_TEXT_CHARS": "1000000", "ZWGK_MAX_UNZIPPED_MB": "40"}


def _dense_docx(path: Path, mb: int) -> Path:
    """A DOCX whose body is `mb` MB of one-character paragraphs (python-docx holds it all as a tree)."""
    from tests.ingestion.makefiles import make_docx

    base = make_docx(path, ["标题", "正文"]).read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        xml = zin.read("word/document.xml").decode()
        head, tail = xml.split("<w:body>")[0] + "<w:body>", "</w:body>" + xml.split("</w:body>")[1]
        for info in zin.infolist():
            if info.filename != "word/document.xml":
                zout.writestr(info, zin.read(info.filename))
        with zout.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(head.encode())
            para = "<w:p><w:r><w:t>一</w:t></w:r></w:p>".encode()
            block = para * 10_000
            for _ in range((mb << 20) // len(block)):
                f.write(block)
            f.write(tail.encode())
    path.write_bytes(out.getvalue())
    return path


def _honest_bomb(path: Path, mb: int) -> Path:
    """A DOCX whose document.xml declares (truthfully) that it inflates to `mb` MB."""
    from tests.ingestion.makefiles import make_docx

    base = make_docx(path, ["标题", "正文"]).read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != "word/document.xml":
                zout.writestr(info, zin.read(info.filename))
        with zout.open("word/document.xml", "w", force_zip64=True) as f:
            block = b" " * (1 << 20)
            for _ in range(mb):
                f.write(block)
    path.write_bytes(out.getvalue())
    return path


def build(folder: Path, quick: bool) -> dict[str, str]:
    """The files (built once); returns name -> what it is."""
    from tests.reliability.hostile import (
        TEXT,
        damaged_gb18030,
        patched_zip_bomb,
        pdf_stream_bomb,
        write_big_text,
        write_big_xlsx,
        xxe_docx,
    )

    rows, text_mb, bomb_mb, dense_mb = (20_000, 5, 300, 8) if quick else (1_048_576, 150, 4096, 50)
    inputs = folder / "in"
    outside = folder / "outside"
    inputs.mkdir(parents=True, exist_ok=True)
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_text("外部机密标记", encoding="utf-8")
    files = {
        f"ledger-{rows}-rows.xlsx": (f"真实 XLSX，{rows:,} 行", lambda p: write_big_xlsx(p, rows)),
        f"text-{text_mb}mb.txt": (f"{text_mb} MB 文本", lambda p: write_big_text(p, text_mb)),
        f"zip-bomb-{bomb_mb}mb-patched.xlsx": (f"解压 {bomb_mb} MB、头部与 CRC 声明 4 KB 的压缩炸弹",
                                              lambda p: patched_zip_bomb(p, bomb_mb)),
        f"zip-bomb-{bomb_mb}mb-declared.docx": (f"如实声明解压 {bomb_mb} MB 的压缩炸弹",
                                               lambda p: _honest_bomb(p, bomb_mb)),
        f"dense-{dense_mb}mb.docx": (f"{dense_mb} MB 正文 XML 的 DOCX（内存监控）", lambda p: _dense_docx(p, dense_mb)),
        "stream-bomb.pdf": ("内容流解压 400 MB 的 PDF", lambda p: p.write_bytes(pdf_stream_bomb(400))),
        "pipe.txt": ("命名管道 FIFO", lambda p: os.mkfifo(p)),
        "zero.txt": ("指向 /dev/zero 的链接", lambda p: p.symlink_to("/dev/zero")),
        "年报.pdf": ("指向输入目录外文件的链接", lambda p: p.symlink_to(outside / "secret.txt")),
        "xxe.docx": ("含外部实体的 DOCX", lambda p: xxe_docx(p, outside / "secret.txt")),
        "damaged-gb18030.txt": ("含 3 个坏字节的 GB18030 文本", lambda p: p.write_bytes(damaged_gb18030(3))),
        "报告\n失败：伪造的一行.txt": ("文件名含换行（日志注入）", lambda p: p.write_bytes(TEXT.encode())),
    }
    for name, (_, make) in files.items():
        path = inputs / name
        if not path.exists() and not path.is_symlink():
            make(path)
    return {name: what for name, (what, _) in files.items()}


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                todo += [int(c) for c in Path(f"/proc/{current}/task/{task}/children").read_text().split()]
        except OSError:
            continue
    return out


def _rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return total * os.sysconf("SC_PAGE_SIZE") / 1048576


def _pss_mb(pids: list[int]) -> float:
    """Proportional set size summed: pages shared by several processes of the tree (the parse workers and
    their forkserver share the parsers' code and the tokenizer's dictionary) counted once, not once each."""
    return sum(smaps_mb(pid, "Pss:") or 0.0 for pid in pids)


def measure(args: list[str], env: dict[str, str]) -> tuple[float, float, subprocess.CompletedProcess, float]:
    """Wall seconds, peak summed RSS (MB) of the process tree, the finished process, peak summed PSS (MB)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "zwgk", *args], cwd=ROOT, env=env, stdout=out, stderr=err)
        peak = peak_pss = 0.0
        while proc.poll() is None:
            tree = _tree(proc.pid)
            peak = max(peak, _rss_mb(tree))
            peak_pss = max(peak_pss, _pss_mb(tree))
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(proc.args, proc.returncode, out.read().decode(), err.read().decode())
    return seconds, peak, done, peak_pss


def run(quick: bool = False, out: Path | None = None) -> list[Figure]:
    out = out or Path(__file__).parent / "out"
    folder = out / ("hostile-quick" if quick else "hostile")
    files = build(folder, quick)
    env = {**os.environ, "ZWGK_EMBEDDING_BACKEND": "none", "ZWGK_OCR": "false", **(QUICK_LIMITS if quick else {})}
    figures = []
    for name, what in files.items():
        ws = folder / "ws"
        shutil.rmtree(ws, ignore_errors=True)
        seconds, peak, proc, pss = measure(["ingest", str(folder / "in" / name), "--workspace", str(ws), "--json"], env)
        try:
            (doc,) = json.loads(proc.stdout)["documents"]
            outcome = "已入库" if doc["status"] != "error" else f"拒绝：{doc['error'][:60]}"
        except (ValueError, KeyError):
            outcome = f"无结果（退出码 {proc.returncode}）"
        clean = "Traceback" not in proc.stderr
        ok = seconds < SECONDS and peak < RSS_MB and clean
        figures.append(Figure(GROUP, f"{what}：用时", seconds, "秒", f"< {SECONDS:g} 秒，峰值 < {RSS_MB / 1024:g} GB", ok,
                              f"峰值内存 {peak:,.0f} MB（PSS {pss:,.0f} MB）；{outcome}"
                              + ("" if clean else "；stderr 有 Traceback")))
    ws = folder / "ws"
    shutil.rmtree(ws, ignore_errors=True)
    seconds, peak, proc, pss = measure(["ingest", str(folder / "in"), "--workspace", str(ws), "--json"], env)
    docs = json.loads(proc.stdout)["documents"] if proc.stdout.strip() else []
    clean = "Traceback" not in proc.stderr
    # judged on PSS: the parse workers share the forkserver's pages (parsers, the tokenizer's dictionary), which
    # a sum of RSS counts once per process; both are shown
    figures.append(Figure(GROUP, f"全部 {len(files)} 个文件一次入库：峰值内存（PSS 之和）", pss, "MB",
                          f"< {RSS_MB:,.0f} MB", pss < RSS_MB and clean,
                          f"各进程 RSS 之和 {peak:,.0f} MB（共享页按进程重复计）；用时 {seconds:.1f} 秒；"
                          f"{sum(d['status'] != 'error' for d in docs)} 个入库，"
                          f"{sum(d['status'] == 'error' for d in docs)} 个拒绝" + ("" if clean else "；stderr 有 Traceback")))
    shutil.rmtree(ws, ignore_errors=True)
    return figures
