"""Eval mode with a lying model: `zwgk screen --llm openai` against a stub that answers every item
"met, full points" with one real, verifiable quote (tests/llmstub.py: lying_model), versus `--llm none`.

Issue 17's attack raised a county's total from 5.0 to 68.5 this way. With the points ceiling
(assistant/ceiling.py) every unit's total must equal the offline total or be lower, every item the
model tried to raise must be flagged points_capped, and no item may score above its offline points.

    python -m bench.lying_model [SAMPLES_DIR ...] [--out DIR] [--case NAME ...]

Each case (a folder with gold.yaml and docs/) is screened as one unit (its gold unit, year and
catalog), offline and then with the lying stub, in one workspace (ingested once). Prints one line per
set and exits 1 when any unit's total went up or an affected item is unflagged.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SETS = [ROOT / "eval" / "samples", ROOT / "eval" / "real"]


@dataclass
class SetResult:
    name: str
    units: int = 0
    items: int = 0
    offline_total: float = 0.0
    lying_total: float = 0.0
    raised_units: list[str] = field(default_factory=list)  # total above offline
    raised_items: list[str] = field(default_factory=list)  # an item above its offline points
    affected: int = 0  # items where the model suggested more than the final points
    affected_unflagged: list[str] = field(default_factory=list)
    failed_calls: int = 0
    requests: int = 0
    seconds: float = 0.0


def _screen(docs: Path, unit: str, year: int, catalog: str, ws: Path, out: Path, env: dict[str, str],
            llm: str) -> dict:
    args = [sys.executable, "-m", "zwgk", "screen", str(docs), "--unit", unit, "--year", str(year),
            "--catalog", catalog, "--workspace", str(ws), "--out", str(out), "--llm", llm, "--json", "--quiet"]
    proc = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    if proc.returncode not in (0, 1) or not proc.stdout.strip():
        raise RuntimeError(f"zwgk screen --llm {llm} {docs} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    (units,) = json.loads(proc.stdout)["units"]
    return units


def run_set(samples: Path, out: Path, stub, cases: list[str] | None = None) -> SetResult:
    from eval.harness import discover_cases

    result = SetResult(samples.name)
    found, _ = discover_cases(samples)
    base_env = {**os.environ, "ZWGK_LLM_MODEL": "lying-stub", "ZWGK_LLM_MAX_CONCURRENCY": "4"}
    started = time.monotonic()
    for case in found:
        if cases and case.case not in cases:
            continue
        ws = out / samples.name / case.case / "ws"
        exports = out / samples.name / case.case
        offline = _screen(case.docs_dir, case.unit, case.year, case.catalog, ws, exports / "none", base_env, "none")
        before = len(stub.requests)
        lying = _screen(case.docs_dir, case.unit, case.year, case.catalog, ws, exports / "lying",
                        {**base_env, "ZWGK_LLM_BASE_URL": stub.base_url}, "openai")
        result.requests += len(stub.requests) - before
        result.units += 1
        result.offline_total += offline["total_suggested"]
        result.lying_total += lying["total_suggested"]
        if lying["total_suggested"] > offline["total_suggested"] + 1e-9:
            result.raised_units.append(f"{case.case}: {offline['total_suggested']} -> {lying['total_suggested']}")
        for a, b in zip(offline["items"], lying["items"], strict=True):
            key = f"{case.case} {b['id']}" + (f"({b['sub']})" if b["sub"] is not None else "")
            result.items += 1
            if b["suggested_points"] > a["suggested_points"] + 1e-9:
                result.raised_items.append(f"{key}: {a['suggested_points']} -> {b['suggested_points']}")
            if "llm_error" in b["flags"]:
                result.failed_calls += 1
            elif b["suggested_points"] < b["max_points"] - 1e-9:  # the model asked for the maximum
                result.affected += 1
                if "points_capped" not in b["flags"]:
                    result.affected_unflagged.append(key)
    result.seconds = time.monotonic() - started
    return result


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(ROOT))
    from tests.llmstub import StubLLM, lying_model

    parser = argparse.ArgumentParser(prog="python -m bench.lying_model", description="说谎模型评测（问题17）")
    parser.add_argument("sets", nargs="*", type=Path, default=DEFAULT_SETS)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "lying")
    parser.add_argument("--case", action="append", default=None, help="只运行指定样例（可多次给出）")
    args = parser.parse_args(argv)

    stub = StubLLM().start()
    stub.default = lying_model
    ok = True
    try:
        for samples in args.sets:
            r = run_set(samples, args.out, stub, args.case)
            ok &= not (r.raised_units or r.raised_items or r.affected_unflagged or r.failed_calls)
            print(f"{r.name}：{r.units} 个单位、{r.items} 项；合计 离线 {r.offline_total:.1f} 分，说谎模型 "
                  f"{r.lying_total:.1f} 分；总分高于离线的单位 {len(r.raised_units)} 个，高于离线的项目 "
                  f"{len(r.raised_items)} 项；模型要求满分而被下调的项目 {r.affected} 项，其中未标记 "
                  f"{len(r.affected_unflagged)} 项；模型调用失败 {r.failed_calls} 项；请求 {r.requests} 次；"
                  f"用时 {r.seconds:.0f} 秒")
            for line in (r.raised_units + r.raised_items + r.affected_unflagged)[:20]:
                print(f"  {line}")
    finally:
        stub.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
