"""LLM-layer overheads against the stub server: concurrency, cache, citation verification.

Part of `python -m bench`; alone: .venv/bin/python -m bench.bench_llm (no network: the endpoint is a local stub)
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from assistant.citations import resolve_passage_quotes
from assistant.llm.backend import LLMRequest, make_backend
from assistant.llm.schemas import ChecklistJudgement, PassageQuote
from bench.figures import Figure
from core.document import DocType
from core.settings import Settings
from tests.assistant.helpers import chunks_by_block
from tests.docbuilder import DocBuilder
from tests.llmstub import Step, StubLLM

ITEMS, LATENCY = 41, 0.2  # one request per leaf indicator of langfang-2023; a fast endpoint
ANSWER = {"verdict": "met", "suggested_points": 1.0, "rationale": "材料[1]表明已公开。",
          "citations": [{"passage": 1, "quote": "全年主动公开政府信息"}]}


def _request(i: int) -> LLMRequest:
    return LLMRequest(prompt="checklist_additive", schema=ChecklistJudgement, variables={
        "indicator_path": "主动公开 > 基础性指标", "indicator_id": f"1.1.{i}", "unit": "香河县人民政府",
        "year": "2023年", "scope": "整项（2.0分）", "max_points": "2.0", "requirement": "考核要点",
        "scoring_detail": "按考核要点逐条达标计分", "rule_facts": "（无）",
        "passages": f"[1] 《报告.pdf》第1页\n全年主动公开政府信息{i}条。"})


def measure(latency: float = LATENCY) -> list[tuple[str, float, str, int | str]]:
    """(measure, value, unit, calls or note) rows."""
    stub = StubLLM().start()
    stub.default = lambda body: Step(answer=ANSWER, delay=latency)
    rows = []
    with tempfile.TemporaryDirectory() as ws:
        for concurrency in (1, 4, 8):
            settings = Settings(llm="openai", llm_base_url=stub.base_url, llm_max_concurrency=concurrency)
            before = stub.calls
            t = time.perf_counter()
            results = make_backend(settings, Path(ws) / str(concurrency)).judge_many([_request(i) for i in range(ITEMS)])
            assert all(r.ok for r in results)
            rows.append((f"{ITEMS} items, {latency:.2f} s latency, concurrency {concurrency}",
                         time.perf_counter() - t, "s", stub.calls - before))
        backend = make_backend(Settings(llm="openai", llm_base_url=stub.base_url), Path(ws) / "4")
        before, t = stub.calls, time.perf_counter()
        backend.judge_many([_request(i) for i in range(ITEMS)])
        rows.append((f"re-run of the same {ITEMS} items (response cache)", time.perf_counter() - t, "s",
                     stub.calls - before))
    stub.stop()

    b = DocBuilder("年度报告.pdf", DocType.annual_report)
    for page in range(200):
        for n in range(20):
            b.para(f"第{page}页第{n}段：全年主动公开政府信息{page * 20 + n}条，办理依申请公开{n}件。")
        b.new_page()
    doc = b.build()
    chunks = chunks_by_block(doc)
    quotes = [PassageQuote(passage=k * 37 % len(chunks) + 1, quote=chunks[k * 37 % len(chunks)].text[3:25])
              for k in range(200)]
    t = time.perf_counter()
    verified = resolve_passage_quotes(quotes, chunks, {doc.doc_id: doc})
    per = (time.perf_counter() - t) / len(quotes) * 1000
    rows.append((f"verify 200 quotes in a {len(doc.text):,}-char document", per, "ms/quote",
                 f"{len(verified.citations)} kept"))
    return rows


def run(quick: bool = False, out: Path | None = None) -> list[Figure]:
    """The table rows: wall time per concurrency (ratio to concurrency 1), the cached re-run, verification."""
    latency = 0.05 if quick else LATENCY
    rows = measure(latency)
    serial = rows[0][1]
    g = "大模型调用层"
    figures = [Figure(g, f"{ITEMS} 项并发 {c}（每次 {latency:.2f} 秒延迟）", took, "秒",
                      note=f"调用 {calls} 次；为并发 1 的 {took / serial:.2f} 倍")
               for (_, took, _, calls), c in zip(rows[:3], (1, 4, 8), strict=True)]
    _, took, _, calls = rows[3]
    figures.append(Figure(g, f"同样 {ITEMS} 项缓存重跑", took, "秒", target="0 次调用", ok=calls == 0,
                          note=f"调用 {calls} 次"))
    name, per, _, kept = rows[4]
    size = name.split(" in a ")[1].split("-char")[0]
    figures.append(Figure(g, f"引文核验：{size} 字文档中 200 条引文", per, "毫秒/条", note=f"保留 {kept.split()[0]} 条"))
    return figures


def main() -> None:
    rows = measure()
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>14}  calls")
    for name, value, unit, calls in rows:
        print(f"{name:<{width}}  {value:>10.2f} {unit:<8}  {calls}")


if __name__ == "__main__":
    main()
