"""The evaluation run: every case of a SAMPLES_DIR through the assistant, compared with its gold items.

Per case: a fresh workspace under OUT/cases/<case>/workspace, the case's docs/ ingested as one unit
named by gold `unit`, `UnitReviewer.review(unit, year)` restricted to the indicators the gold lists
(the other items are not compared and would only cost time and LLM calls), then `pair_items`.
One LLM backend serves the whole run; its response cache lives in OUT (not in the per-case
workspaces), so a re-run with an unchanged model and evidence makes no calls.

A case that cannot be read or run is reported (`problems`, exit 1 from the CLI), never fatal:
other sample sets must run unchanged.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, Field

from assistant.ask import ChatReply
from assistant.llm.backend import LLMBackend
from assistant.llm.usage import UsageReport
from assistant.review import UnitReviewer
from assistant.scorecard import Scorecard
from core.document import IngestStatus
from core.errors import ConfigError
from eval.chat import ChatQuestion, chat_metrics, grade, load_chat
from eval.gold import GoldCase, GoldError, load_case
from eval.metrics import (
    ItemPair,
    compute_metrics,
    disagreement_weight,
    doc_type_confusion,
    doc_type_records,
    pair_items,
)
from indicators.catalog import Catalog, load_catalog
from ingestion.workspace import Workspace, expand_paths

log = logging.getLogger(__name__)

METRICS_FILE = "metrics.json"
ITEMS_FILE = "items.json"
REPORT_FILE = "report.md"
CHART_FILE = "points_error.png"
CHAT_RECORDS_FILE = "chat.json"


class CaseUsage(BaseModel):
    """LLM use of one case: the difference of the backend's usage meter around the case."""

    calls: int = 0
    cache_hits: int = 0
    failures: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    seconds: float = 0.0

    @classmethod
    def between(cls, before: UsageReport, after: UsageReport) -> CaseUsage:
        return cls(**{k: getattr(after, k) - getattr(before, k) for k in cls.model_fields})


class CaseRun(BaseModel):
    """What happened to one case (metrics.json `per_case`)."""

    case: str
    unit: str = ""
    year: int | None = None
    catalog: str = ""
    status: str = "ok"  # ok | failed (assistant did not run: items count as unanswered) | skipped (gold unreadable)
    items: int = 0
    correct: int = 0
    gold_points: float = 0.0
    suggested_points: float = 0.0
    documents: int = 0
    failed_files: list[str] = Field(default_factory=list)
    doc_types: list[dict[str, Any]] = Field(default_factory=list, description="gold vs classified type per typed file")
    warnings: list[str] = Field(default_factory=list)
    ingest_seconds: float = 0.0
    review_seconds: float = 0.0
    llm: CaseUsage = Field(default_factory=CaseUsage)

    @property
    def seconds(self) -> float:
        return self.ingest_seconds + self.review_seconds


@dataclass
class EvalRun:
    """Everything one evaluation produced; `metrics` is the metrics.json object."""

    metrics: dict[str, Any]
    pairs: list[ItemPair]
    cases: list[CaseRun]
    items: list[dict[str, Any]]  # per-item comparison records (items.json, worst items of the report)
    problems: list[str] = field(default_factory=list)  # Chinese, one per failed input
    chat: list[dict[str, Any]] = field(default_factory=list)  # per chat question (chat.json), when the set has some

    @property
    def failed(self) -> bool:
        return bool(self.problems)


# ---------------------------------------------------------------- loading


def discover_cases(samples_dir: Path) -> tuple[list[GoldCase], list[CaseRun]]:
    """Every subfolder with a gold.yaml, leniently: an unreadable case is skipped and reported.

    A case whose docs/ is missing is still evaluated (against no evidence), with the loader's warning.
    """
    if not samples_dir.is_dir():
        raise ConfigError(f"样例目录不存在：{samples_dir}")
    folders = sorted(p for p in samples_dir.iterdir() if p.is_dir() and (p / "gold.yaml").is_file())
    if not folders:
        raise ConfigError(f"{samples_dir} 中没有找到任何 <样例>/gold.yaml")
    cases: list[GoldCase] = []
    skipped: list[CaseRun] = []
    for folder in folders:
        try:
            case = load_case(folder)
        except (GoldError, OSError) as exc:
            skipped.append(CaseRun(case=folder.name, status="skipped", warnings=[str(exc)]))
            continue
        cases.append(case)
    return cases, skipped


# ---------------------------------------------------------------- one case


def _ingest_stamp(docs: Path) -> str:
    """What a reused workspace must match: the files (name, size, mtime) and the parser code."""
    import ingestion

    h = hashlib.sha256()
    for path, name in (expand_paths([docs]) if docs.is_dir() else []):
        st = path.stat()
        h.update(f"{name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    for src in sorted(Path(ingestion.__file__).parent.rglob("*.py")):
        h.update(src.read_bytes())
    return h.hexdigest()


def _prepare_workspace(case_dir: Path, docs: Path, reuse: bool) -> tuple[Path, bool]:
    """The case's workspace directory and whether its ingested documents can be reused as they are."""
    ws_dir, stamp_file = case_dir / "workspace", case_dir / "ingest.stamp"
    stamp = _ingest_stamp(docs)
    if reuse and ws_dir.is_dir() and stamp_file.is_file() and stamp_file.read_text() == stamp:
        return ws_dir, True
    shutil.rmtree(ws_dir, ignore_errors=True)
    stamp_file.unlink(missing_ok=True)
    case_dir.mkdir(parents=True, exist_ok=True)
    return ws_dir, False


class Reviewer(Protocol):
    def review(self, unit: str, year: int | None = None, on_item=None, only: set[str] | None = None) -> Scorecard: ...


# (workspace, catalog, catalog id, backend) -> reviewer; the assistant's UnitReviewer unless a test scripts one
ReviewerFactory = Callable[[Workspace, Catalog, str, LLMBackend], Reviewer]


def run_case(case: GoldCase, out: Path, backend: LLMBackend, catalog: Catalog, catalog_id: str,
             reuse: bool = False, reviewer_factory: ReviewerFactory = UnitReviewer,
             questions: Sequence[ChatQuestion] = (),
             ) -> tuple[CaseRun, list[ItemPair], dict[str, Any], list[dict[str, Any]]]:
    """Ingest, review and pair one case, then ask its chat questions in the same workspace. Returns the
    run record, the pairs, the scorecard (JSON form) and the graded chat answers."""
    run = CaseRun(case=case.case, unit=case.unit, year=case.year, catalog=catalog_id, items=len(case.items),
                  warnings=list(case.warnings))
    case_dir = out / "cases" / case.case
    docs = case.docs_dir
    ws_dir, reused = _prepare_workspace(case_dir, docs, reuse)
    before = backend.usage_report()
    with Workspace(ws_dir) as ws:
        started = time.monotonic()
        if not reused and docs.is_dir():
            ws.ingest([docs], unit=case.unit, progress=False)
            (case_dir / "ingest.stamp").write_text(_ingest_stamp(docs))
        run.ingest_seconds = time.monotonic() - started
        # read back from the workspace, so that a reused one reports its failed files as well
        run.failed_files = [f"{r.file}：{r.error}" for r in ws.document_rows(case.unit, status=IngestStatus.error.value)]
        documents = ws.documents(case.unit)
        run.documents = len(documents)
        if not documents:
            run.warnings.append(f"{case.case}: 没有可用的材料（docs/ 为空或全部解析失败）")

        started = time.monotonic()
        reviewer = reviewer_factory(ws, catalog, catalog_id, backend)  # no checkpoints: every run reviews afresh
        scorecard = reviewer.review(case.unit, case.year, only={item.id for item in case.items})
        run.review_seconds = time.monotonic() - started
        chat = _ask(questions, ws, catalog, catalog_id, backend, case, documents)
    run.llm = CaseUsage.between(before, backend.usage_report())
    scorecard.write_json(case_dir / "scorecard.json")
    card = scorecard.model_dump(mode="json")

    texts = {d.file: d.text for d in documents}
    types = {d.file: d.doc_type.value for d in documents}
    run.doc_types = [{"case": case.case, **r} for r in doc_type_records(
        case.documents, {d.file: (d.doc_type.value, d.doc_type_confidence) for d in documents})]
    pairs = pair_items(case, card["items"], texts, types)
    _tally(run, pairs)
    return run, pairs, card, chat


def _ask(questions: Sequence[ChatQuestion], ws: Workspace, catalog: Catalog, catalog_id: str, backend: LLMBackend,
         case: GoldCase, documents) -> list[dict[str, Any]]:
    """The case's chat questions, answered as `zwgk chat` answers them (the assistant's own reviewer, no
    checkpoints, the case's unit and year), and graded."""
    from assistant.chat import answer_question

    if not questions:
        return []
    reviewer = UnitReviewer(ws, catalog, catalog_id, backend)
    return [grade(q, answer_question(q.question, reviewer, case.unit, case.year), documents) for q in questions]


def _tally(run: CaseRun, pairs: Sequence[ItemPair]) -> None:
    run.correct = sum(p.gold.verdict == p.answer.verdict for p in pairs)
    run.gold_points = round(sum(p.gold.points for p in pairs), 1)
    run.suggested_points = round(sum(p.answer.suggested_points for p in pairs), 1)


# ---------------------------------------------------------------- item records


def item_record(pair: ItemPair, card_items: dict[tuple[str, int | None], dict[str, Any]]) -> dict[str, Any]:
    """One gold item beside the assistant's answer, for items.json and the report's worst items."""
    g, a = pair.gold, pair.answer
    raw = card_items.get(g.key, {})
    return {
        "case": pair.case, "id": g.id, "sub": g.sub, "name": raw.get("name", ""),
        "doc_types": list(pair.doc_types),
        "gold": {"verdict": g.verdict.value, "points": g.points, "notes": g.notes or "",
                 "evidence": [{"file": e.file, "page": e.page, "quote": e.quote} for e in g.evidence]},
        "assistant": {"verdict": a.verdict.value, "points": a.suggested_points, "answered": pair.pred is not None,
                      "source": raw.get("source", "none"), "flags": raw.get("flags", []),
                      "rationale": raw.get("rationale", ""),
                      "citations": [{"file": c.file, "page": c.page, "quote": c.quote} for c in a.citations]},
        "points_error": round(a.suggested_points - g.points, 2),
        "verdict_weight": disagreement_weight(g.verdict, a.verdict),
    }


def worst_items(items: Sequence[dict[str, Any]], n: int = 10) -> list[dict[str, Any]]:
    """The items the assistant got most wrong: largest points error, then furthest verdict."""
    wrong = [i for i in items if i["points_error"] or i["verdict_weight"]]
    return sorted(wrong, key=lambda i: (-abs(i["points_error"]), -i["verdict_weight"], i["case"]))[:n]


# ---------------------------------------------------------------- the run


def evaluate(samples_dir: Path, out: Path, backend: LLMBackend, *, catalog: str | None = None,
             llm: str = "none", reuse: bool = False, cases: Sequence[str] | None = None,
             on_case: Callable[[CaseRun], None] | None = None,
             reviewer_factory: ReviewerFactory = UnitReviewer) -> EvalRun:
    """Run every case (or the named `cases`) and compute the metrics; writes only OUT/cases/ (workspaces,
    scorecards): `write_outputs` writes the report files.

    `catalog` overrides each case's own catalog id (an unreadable override is a ConfigError: exit 2).
    """
    started = time.monotonic()
    golds, runs = discover_cases(samples_dir)
    questions = load_chat(samples_dir)  # a broken chat.yaml is a ConfigError: nothing is run
    unknown = sorted({q.case for q in questions} - {g.case for g in golds} - {r.case for r in runs})
    if cases is not None:
        golds = [g for g in golds if g.case in set(cases)]
        runs = [r for r in runs if r.case in set(cases)]
    chat: list[dict[str, Any]] = []
    catalogs: dict[str, Catalog | Exception] = {}
    if catalog is not None:
        catalogs[catalog] = load_catalog(catalog)  # CatalogError is a ConfigError
    pairs: list[ItemPair] = []
    items: list[dict[str, Any]] = []
    out.mkdir(parents=True, exist_ok=True)
    for gold in golds:
        cat_id = catalog or gold.catalog
        if cat_id not in catalogs:
            try:
                catalogs[cat_id] = load_catalog(cat_id)
            except Exception as exc:  # an unknown catalog fails this case only
                catalogs[cat_id] = exc
        cat = catalogs[cat_id]
        card_items: dict[tuple[str, int | None], dict[str, Any]] = {}
        if isinstance(cat, Exception):
            run, case_pairs = _failed_case(gold, cat_id, f"指标目录无法读取：{cat}")
        else:
            try:
                run, case_pairs, card, answers = run_case(
                    gold, out, backend, cat, cat_id, reuse=reuse, reviewer_factory=reviewer_factory,
                    questions=[q for q in questions if q.case == gold.case])
                card_items = {(i["id"], i["sub"]): i for i in card["items"]}
                chat += answers
            except Exception as exc:  # one broken case must not sink the evaluation
                log.exception("样例 %s 评测出错", gold.case)
                run, case_pairs = _failed_case(gold, cat_id, f"助手运行出错：{type(exc).__name__}: {exc}")
        runs.append(run)
        pairs.extend(case_pairs)
        items.extend(item_record(p, card_items) for p in case_pairs)
        if on_case:
            on_case(run)

    runs.sort(key=lambda r: r.case)
    metrics = compute_metrics(pairs, seconds=round(time.monotonic() - started, 2))
    metrics["doc_type_confusion"] = doc_type_confusion(r for run in runs for r in run.doc_types)
    metrics["llm"] = llm
    metrics["usage"] = _total_usage(runs).model_dump()
    metrics["per_case"] = [{**r.model_dump(), "seconds": round(r.seconds, 2)} for r in runs]
    asked = {g.case for g in golds}
    if any(q.case in asked for q in questions):
        # a question whose case did not run counts as unanswered
        chat += [grade(q, ChatReply(answer=""), []) for q in questions
                 if q.case in asked and not any(r["id"] == q.id for r in chat)]
        metrics["chat"] = chat_metrics(chat)
        metrics["chat_accuracy"] = metrics["chat"]["accuracy"]
    problems = _problems(runs) + [f"问答题所属样例 {c} 不存在" for c in unknown]
    metrics["problems"] = problems
    return EvalRun(metrics=metrics, pairs=pairs, cases=runs, items=items, problems=problems, chat=chat)


def _failed_case(gold: GoldCase, catalog_id: str, reason: str) -> tuple[CaseRun, list[ItemPair]]:
    """A case the assistant could not run: its items count as unanswered (insufficient, 0 points)."""
    run = CaseRun(case=gold.case, unit=gold.unit, year=gold.year, catalog=catalog_id, status="failed",
                  items=len(gold.items), warnings=[*gold.warnings, reason])
    pairs = pair_items(gold, [], {})
    _tally(run, pairs)
    return run, pairs


def _total_usage(runs: Sequence[CaseRun]) -> CaseUsage:
    return CaseUsage(**{k: sum(getattr(r.llm, k) for r in runs) for k in CaseUsage.model_fields})


def _problems(runs: Sequence[CaseRun]) -> list[str]:
    """Inputs that failed (the CLI exits 1 and names each on stderr)."""
    out = []
    for r in runs:
        if r.status == "skipped":
            out += [f"样例 {r.case} 未评测：{w}" for w in r.warnings]
        elif r.status == "failed":
            out.append(f"样例 {r.case} 助手未能运行：{r.warnings[-1] if r.warnings else '原因不明'}")
        out += [f"样例 {r.case} 文件解析失败：{f}" for f in r.failed_files]
    return out


def write_outputs(run: EvalRun, out: Path, old_metrics: dict[str, Any] | None = None) -> dict[str, Path]:
    """metrics.json, items.json, report.md and the points-error chart."""
    from eval.compare import compare_metrics
    from eval.figures import points_error_figure
    from eval.report import render_report

    out.mkdir(parents=True, exist_ok=True)
    paths = {"metrics": out / METRICS_FILE, "items": out / ITEMS_FILE, "report": out / REPORT_FILE,
             "chart": out / CHART_FILE}
    paths["metrics"].write_text(json.dumps(run.metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if run.chat:
        paths["chat"] = out / CHAT_RECORDS_FILE
        paths["chat"].write_text(json.dumps(run.chat, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    paths["items"].write_text(json.dumps(run.items, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    fig = points_error_figure(run.items, run.metrics.get("by_indicator", {}))
    fig.savefig(paths["chart"], dpi=110)
    import matplotlib.pyplot as plt

    plt.close(fig)
    comparison = compare_metrics(old_metrics, run.metrics) if old_metrics is not None else None
    paths["report"].write_text(render_report(run.metrics, run.items, comparison, chart=CHART_FILE, chat=run.chat),
                               encoding="utf-8")
    return paths
