"""Run every benchmark and print ONE table of figures (`make bench` -> `python -m bench`)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import core  # noqa: F401  (offline switches before heavy imports)
from bench import (
    bench_llm,
    hostile_bench,
    ingest_bench,
    ocr_bench,
    real_screen_bench,
    screen_bench,
    store_bench,
)
from bench.figures import Figure

BENCHMARKS = [ingest_bench.run, ocr_bench.run, bench_llm.run, screen_bench.run, real_screen_bench.run,
              store_bench.run]
# run only when named (`python -m bench hostile`): builds several GB-sized inputs
ON_REQUEST = {"hostile": hostile_bench.run}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="性能基准")
    parser.add_argument("--quick", action="store_true", help="小规模快速版（冒烟测试，< 60 秒）")
    parser.add_argument("--out", type=Path, default=None, help="语料与工作区缓存目录（默认 bench/out）")
    parser.add_argument("--json", type=Path, default=None, help="另存各项数据为 JSON 文件")
    parser.add_argument("only", nargs="*", choices=[[], *ON_REQUEST], metavar="NAME",
                        help="只运行指定的基准：hostile（全尺寸恶意输入，逐个文件的用时与峰值内存）")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    figures: list[Figure] = []
    for bench in [ON_REQUEST[name] for name in args.only] or BENCHMARKS:
        figures += bench(quick=args.quick, out=args.out)

    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"zwgk 性能基准{'（快速版）' if args.quick else ''}，用时 {time.perf_counter() - started:.0f} 秒")
    for col in ("类别", "指标", "数值", "单位", "目标", "达标", "说明"):
        table.add_column(col, justify="right" if col == "数值" else "left")
    for f in figures:
        table.add_row(f.group, f.name, f.value_text(), f.unit, f.target,
                      "" if f.ok is None else ("是" if f.ok else "否"), f.note)
    Console(width=200).print(table)
    if args.json:
        args.json.write_text(json.dumps([f.__dict__ for f in figures], ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
