"""Pre-screening at scale: offline time per unit over N generated annual reports, and the LLM cost of a
unit against the stub OpenAI-compatible server (calls, prompt size, calls on a cached re-run).

The reports are invented bodies of 廊坊市 (county x department) written by eval/samplegen into
bench/out/annual-N/<unit>/, one 2023 annual-report PDF per unit; generated once and reused.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

from bench.figures import Figure

COUNTIES = ["香河县", "大城县", "文安县", "固安县", "永清县"]
DEPARTMENTS = ["人民政府", "教育和体育局", "卫生健康局", "财政局", "民政局", "人力资源和社会保障局",
               "自然资源和规划局", "住房和城乡建设局", "交通运输局", "农业农村局", "水务局", "商务局",
               "文化广电和旅游局", "应急管理局", "市场监督管理局", "医疗保障局", "生态环境分局",
               "行政审批局", "司法局", "统计局"]
GROUP = "预审"


def generate(n: int, out: Path) -> Path:
    """N units with one 2023 annual report each (PDF); returns the folder (one sub-folder per unit)."""
    from eval.samplegen import annual
    from eval.samplegen.annual import Table2, table3_from_results
    from eval.samplegen.annual_cases import PROBLEMS, _facts
    from eval.samplegen.annual_content import build_report
    from eval.samplegen.profiles import XIANGHE

    folder = out / f"annual-{n}"
    units = [(c, d) for d in DEPARTMENTS for c in COUNTIES][:n]
    for k, (county, dept) in enumerate(units):
        gov = dept == "人民政府"
        name = f"{county}{dept}"
        path = folder / name / f"{name}2023年政府信息公开工作年度报告.pdf"
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        p = XIANGHE.model_copy(update={"unit": name, "is_government": gov, "office": f"{name}办公室",
                                       "portal": f"{county}人民政府门户网站"})
        t3 = table3_from_results({"r1": [20 + k % 9, 3, 0, 0, 1, 0], "r2": [4, 0, 0, 0, 0, 0],
                                  "r4_1": [9, 2, 0, 0, 0, 0], "r5_2": [2, 0, 0, 0, 0, 0]},
                                 [2, 0, 0, 0, 0, 0], [3, 1, 0, 0, 0, 0])
        report = build_report(p, _facts(2023, k % 7), Table2(normative=(5, 2, 38), licensing=1500 + k,
                                                             penalty=400 + k, coercion=36, fees_wan=86.5),
                              t3, [1, 0, 0, 1, 2, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0], PROBLEMS["a"],
                              dt.date(2024, 1, 5 + k % 26))
        annual.write_pdf(report, path)
    return folder


PASSAGE_ONE = re.compile(r"^\[1\] [^\n]*\n(.+)$", re.MULTILINE)


def _judge(body: dict):
    """The stub model: cites the start of passage [1] and calls the item met (as tests/eval does)."""
    from tests.llmstub import Step

    prompt = body["messages"][-1]["content"]
    chars = sum(len(m.get("content") or "") for m in body["messages"])
    usage = {"prompt_tokens": chars, "completion_tokens": 60, "total_tokens": chars + 60}
    found = PASSAGE_ONE.search(prompt)
    if not found:
        return Step(answer={"verdict": "insufficient_evidence", "suggested_points": 0, "citations": [],
                            "rationale": "未检索到相关材料。", "needs_human": True}, usage=usage)
    return Step(answer={"verdict": "met", "suggested_points": 0.5,
                        "citations": [{"passage": 1, "quote": found.group(1).strip()[:12]}],
                        "rationale": "材料[1]载明有关情况。"}, usage=usage)


def _screen(folder: Path, ws_dir: Path, settings, quiet_out: Path):
    from assistant.llm.backend import make_backend
    from assistant.screen import screen
    from indicators.catalog import load_catalog
    from ingestion.workspace import Workspace

    with Workspace(ws_dir, settings=settings) as ws:
        backend = make_backend(settings, ws.path)
        t0 = time.perf_counter()
        result = screen(folder, ws, load_catalog("langfang-2023"), "langfang-2023", backend, quiet_out,
                        year=2023, progress=False)
        took = time.perf_counter() - t0
    return result, took, backend.usage_report()


def run(quick: bool = False, out: Path | None = None) -> list[Figure]:
    from core.settings import Settings
    from tests.llmstub import StubLLM

    out = out or Path(__file__).parent / "out"
    n, n_llm = (5, 2) if quick else (100, 5)
    folder = generate(n, out)
    runs = out / f"screen-runs-{int(time.time())}"
    base = Settings(embedding_backend="none", llm="none")

    result, took, _ = _screen(folder, runs / "ws-offline", base, runs / "exports-offline")
    units = len(result.scorecards)
    figures = [
        Figure(GROUP, f"离线预审（规则+检索，无大模型）：{units} 个单位、各1份年报", took, "秒",
               note=f"含解析、建索引、逐项预审与导出；失败 {len(result.failed)} 件"),
        Figure(GROUP, "离线预审：每单位用时", took / max(units, 1), "秒/单位",
               note=f"折合约 {3600 / max(took / max(units, 1), 1e-9):,.0f} 个单位/小时（单进程）"),
    ]
    _, again, _ = _screen(folder, runs / "ws-offline", base, runs / "exports-offline")
    figures.append(Figure(GROUP, "离线预审：同一材料再次运行（增量）", again, "秒",
                          note=f"为首次的 {again / took:.0%}（未变文件跳过解析）"))

    small = out / f"annual-llm-{n_llm}"
    small.mkdir(parents=True, exist_ok=True)
    for unit_dir in sorted(folder.iterdir())[:n_llm]:
        target = small / unit_dir.name
        if not target.exists():
            target.symlink_to(unit_dir.resolve(), target_is_directory=True)
    stub = StubLLM().start()
    stub.default = _judge
    try:
        settings = base.model_copy(update={"llm": "openai", "llm_base_url": stub.base_url, "llm_model": "stub-model",
                                           "llm_max_retries": 0})
        first, took_llm, usage = _screen(small, runs / "ws-llm", settings, runs / "exports-llm")
        _, _, cached = _screen(small, runs / "ws-llm", settings, runs / "exports-llm")
    finally:
        stub.stop()
    k = max(len(first.scorecards), 1)
    figures += [
        Figure(GROUP, "大模型预审（本地桩服务）：每单位调用次数", usage.calls / k, "次/单位",
               note=f"{len(first.scorecards)} 个单位共 {usage.calls} 次"),
        Figure(GROUP, "大模型预审：每单位提示词规模", usage.prompt_tokens / k, "字符/单位",
               note="按请求实际字符数计（中文约 1.3–1.6 字符/词元）"),
        Figure(GROUP, "大模型预审：每单位用时（桩服务零延迟）", took_llm / k, "秒/单位"),
        Figure(GROUP, "大模型预审：缓存重跑的调用次数", float(cached.calls), "次", target="0",
               ok=cached.calls == 0, note=f"响应缓存命中 {cached.cache_hits} 次（已预审的项由断点直接复用）"),
    ]
    return figures
