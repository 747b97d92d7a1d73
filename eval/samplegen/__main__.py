"""`python -m eval.samplegen [--samples eval/samples] [--demo samples/demo]`: (re)write the documents.

Only the docs/ folders are written; each case's gold.yaml is scored by hand and never generated.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from eval.samplegen import annual_cases, ledger_cases, reply_cases, web_cases  # noqa: F401  (register cases)
from eval.samplegen.demo import DEMO_UNITS
from eval.samplegen.registry import DEV_CASES

REPO = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m eval.samplegen", description="生成评测样例和演示材料")
    ap.add_argument("--samples", type=Path, default=REPO / "eval" / "samples")
    ap.add_argument("--demo", type=Path, default=REPO / "samples" / "demo")
    ap.add_argument("--only", nargs="*", help="case ids to write (default: all)")
    args = ap.parse_args(argv)
    for case_id, write in DEV_CASES.items():
        if args.only and case_id not in args.only:
            continue
        docs = args.samples / case_id / "docs"
        shutil.rmtree(docs, ignore_errors=True)
        write(docs)
        print(f"{case_id}: {len(list(docs.iterdir()))} 个文件")
    if not args.only:
        for unit, write in DEMO_UNITS.items():
            folder = args.demo / unit
            shutil.rmtree(folder, ignore_errors=True)
            write(folder)
            print(f"demo/{unit}: {len(list(folder.iterdir()))} 个文件")


if __name__ == "__main__":
    main()
