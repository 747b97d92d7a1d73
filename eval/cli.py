"""`zwgk eval SAMPLES_DIR` (cli-contract.md): the assistant on hand-scored cases, metrics and a report."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from assistant.cli import allow_llm_failures_option


@click.command("eval")
@click.argument("samples_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--llm", type=click.Choice(["none", "openai"]), default=None, help="none（默认，离线规则+检索）或 openai。")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("out") / "eval", show_default=True,
              help="输出目录：metrics.json、report.md、points_error.png、各样例的工作区与评分表。")
@click.option("--json", "as_json", is_flag=True, help="在标准输出只打印 metrics.json 对象。")
@click.option("--compare", "compare_with", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="上次的 metrics.json：报告中列出变化并标出变差的指标。")
@click.option("--catalog", default=None, help="考核指标目录（默认：各样例 gold.yaml 中的 catalog）。")
@click.option("--case", "only_cases", multiple=True, help="只评测指定样例（可多次给出）。")
@click.option("--reuse", is_flag=True,
              help="复用上次解析入库的结果（材料和解析代码均未变时），只重新评审；默认每次新建工作区。")
@allow_llm_failures_option
def eval_command(samples_dir: Path, llm: str | None, out: Path, as_json: bool, compare_with: Path | None,
                 catalog: str | None, only_cases: tuple[str, ...], reuse: bool, allow_llm_failures: bool) -> None:
    """评测：对 SAMPLES_DIR 中每个人工评分样例运行助手，与人工评分逐项比较，输出指标和报告。"""
    from assistant.cli import _backend, abandoned_requests, echo_llm_summary, exit_now, llm_exit_code
    from core.settings import get_settings
    from eval.compare import compare_metrics, read_metrics
    from eval.harness import evaluate, write_outputs

    old = read_metrics(compare_with) if compare_with is not None else None
    out.mkdir(parents=True, exist_ok=True)
    backend = _backend(llm, out)  # the response cache lives in OUT, beside the per-case workspaces
    mode = llm or get_settings().llm

    def progress(run) -> None:
        click.echo(f"{run.case}：{run.correct}/{run.items} 项判定一致，用时 {run.seconds:.1f} 秒，"
                   f"模型调用 {run.llm.calls} 次", err=True)

    try:
        result = evaluate(samples_dir, out, backend, catalog=catalog, llm=mode, reuse=reuse,
                          cases=list(only_cases) or None, on_case=progress)
    except KeyboardInterrupt:  # model answers so far are cached in OUT: a re-run does not pay for them again
        echo_llm_summary(backend)
        click.echo("已中断：评测未完成，未写出指标；重新运行时已得到的模型答复将从缓存读取。", err=True)
        exit_now(130)
    paths = write_outputs(result, out, old)
    for problem in result.problems:
        click.echo(f"失败：{problem}", err=True)
    m = result.metrics
    acc = "—" if m["verdict_accuracy"] is None else f"{m['verdict_accuracy'] * 100:.1f}%"
    mae = "—" if m["points_mae"] is None else f"{m['points_mae']:.2f}"
    click.echo(f"样例 {m['cases']} 个、评分项 {m['items']} 个：判定准确率 {acc}，每项分值平均绝对误差 {mae}；"
               f"报告 {paths['report']}", err=True)
    chat = m.get("chat")
    if chat:
        click.echo(f"问答 {chat['questions']} 题：事实与引文均正确 {chat['correct']} 题（{chat['accuracy'] * 100:.1f}%），"
                   f"事实正确率 {chat['answer_accuracy'] * 100:.1f}%，引文正确率 {chat['citation_accuracy'] * 100:.1f}%"
                   + (f"；答错：{'、'.join(chat['wrong'])}" if chat["wrong"] else ""), err=True)
    if old is not None:
        regressions = compare_metrics(old, m).regressions
        click.echo(f"与 {compare_with} 相比：{len(regressions)} 处变差" + (
            "（" + "、".join(f"{d.scope + ' ' if d.scope else ''}{d.key}" for d in regressions[:8]) + "）"
            if regressions else ""), err=True)
    echo_llm_summary(backend)
    if as_json:
        click.echo(json.dumps(m, ensure_ascii=False))
    code = max(1 if result.failed else 0, llm_exit_code(backend.usage_report(), allow_llm_failures))
    if abandoned_requests(backend):
        exit_now(code)
    sys.exit(code)
