"""What the review UI does, without the UI: upload, pre-screen, read scorecards, decide, export.

Gradio stays in review/app.py; this module is plain Python so tests (and any other front end)
drive exactly the same operations.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.ask import ChatReply
from assistant.chat import answer_question
from assistant.checkpoints import CheckpointStore, item_key
from assistant.export import ExportInfo, safe_dirname, summary_name, write_summary_xlsx, write_unit_exports
from assistant.llm.backend import LLMBackend, make_backend
from assistant.review import UnitReviewer
from assistant.roster import RosterStore
from assistant.scorecard import ReviewDecision, Scorecard, ScoreItem
from core.document import DocType, Document, IngestResult, IngestStatus
from core.files import sha256_file
from core.findings import Finding, Flag, Source, Verdict
from core.settings import Settings, get_settings
from indicators.catalog import Catalog, load_catalog
from indicators.units import BodyLevel, LevelSource, UnitEntry, level_of
from ingestion.workspace import Workspace
from review.store import Action, AuditEntry, Decision, DecisionStore, StaleDecision
from review.uploads import content_mismatch, free_name, safe_upload_name

BULK_REASON = "批量确认：规则判定且有引文的项"


@dataclass(frozen=True)
class UnitLevel:
    """A unit's level as the pre-screening will take it: from the roster, else from its name."""

    name: str
    level: BodyLevel
    source: LevelSource | None  # None: undecided, the deadline check will ask the reviewer
    parent: str | None = None


@dataclass(frozen=True)
class Upload:
    """One uploaded file: how ingestion took it, the name the browser sent, and what the reviewer
    should know (renamed beside a same-name file; refused for its content)."""

    result: IngestResult
    original: str
    note: str = ""


@dataclass
class BulkOutcome:
    """A bulk confirmation: the items saved (each audited on its own) and those changed meanwhile."""

    saved: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)


class ReviewService:
    def __init__(self, workspace: Path | str, catalog_id: str = "langfang-2023", settings: Settings | None = None,
                 backend: LLMBackend | None = None):
        self.settings = settings or get_settings()
        self.ws = Workspace(workspace, self.settings)
        self.catalog_id = catalog_id
        self.catalog: Catalog = load_catalog(catalog_id)
        self.store = DecisionStore.for_workspace(self.ws.path, self.settings.review_db_url)
        self.backend = backend or make_backend(self.settings, self.ws.path)
        self.checkpoints = CheckpointStore(self.ws.path / "screen.db")  # also each unit's current result
        self._screen_lock = threading.Lock()  # one pre-screening at a time per server
        self._ws_lock = threading.RLock()  # the workspace's SQLite/Chroma handles are shared by threads

    def close(self) -> None:
        self.checkpoints.close()
        self.store.close()
        self.ws.close()

    # --- units and evidence ----------------------------------------------------------------
    def units(self) -> list[str]:
        with self._ws_lock:
            units = set(self.ws.units())
        units |= set(self.checkpoints.result_units(self.catalog_id))
        units |= {p.stem for p in self._legacy_dir().glob("*.json")}
        return sorted(units)

    def upload(self, unit: str, paths: Sequence[Path], names: Sequence[str] | None = None,
               on_file: Callable[[int, int, str], None] | None = None) -> list[Upload]:
        """Ingest files one by one (so the UI can show progress); a failing file is reported, not fatal.

        `names`: the names the browser sent (default: each path's own). Each is kept without path parts;
        a name the unit already holds with other content gets a suffix, and both files stay; content
        that is not what its extension says is refused (review.uploads)."""
        unit = unit.strip()
        if not unit:
            raise ValueError("请先填写或选择被考核单位")
        names = list(names) if names is not None else [p.name for p in paths]
        out: list[Upload] = []
        with self._ws_lock, tempfile.TemporaryDirectory(dir=self.ws.path, prefix=".upload-") as staging:
            for n, (path, original) in enumerate(zip(paths, names, strict=True)):
                name = safe_upload_name(original)
                if on_file:
                    on_file(n, len(paths), name)
                out.append(self._upload_one(unit, Path(path), original, name, Path(staging) / str(n)))
        return out

    def _upload_one(self, unit: str, path: Path, original: str, name: str, staging: Path) -> Upload:
        try:
            data = path.read_bytes()
        except OSError as exc:
            return Upload(IngestResult(file=name, status=IngestStatus.error,
                                       error=f"无法读取文件：{exc.strerror or exc}"), original)
        renamed = f"文件名“{original}”已改为“{name}”（去掉路径和不能用于文件名的字符）。" if name != original else ""
        refused = content_mismatch(data, name)
        if refused:
            return Upload(IngestResult(file=name, status=IngestStatus.error, error=refused), original, renamed)
        held = {r.file: r.sha256 for r in self.ws.document_rows(unit, status="ok")}
        note, final = renamed, name
        if name in held and held[name] != sha256_file(path):  # never replace a material silently
            final = free_name(name, set(held))
            note += f"已有同名材料“{name}”，本文件另存为“{final}”，两份均保留。"
        staged = staging / final
        staged.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, staged)
        (result,) = self.ws.ingest([staged], unit=unit, progress=False)
        return Upload(result, original, note)

    def documents(self, unit: str) -> list[Document]:
        with self._ws_lock:
            return self.ws.documents(unit)

    def set_doc_type(self, unit: str, file: str, doc_type: DocType | None) -> Document:
        """A reviewer's type for one of the unit's materials (None: back to the classifier's), kept in
        the workspace; the next pre-screen reads the material as that type."""
        with self._ws_lock:
            return self.ws.set_doc_type(unit, file, doc_type)

    def document(self, doc_id: str) -> Document:
        with self._ws_lock:
            return self.ws.document(doc_id)

    def stored_file(self, doc_id: str) -> Path | None:
        doc = self.document(doc_id)
        if not doc.stored_path:
            return None
        path = self.ws.path / doc.stored_path  # stored relative to the workspace
        return path if path.is_file() else None

    # --- unit roster (the level decides the annual report's deadline) ------------------------
    def roster_store(self) -> RosterStore:
        return RosterStore(self.ws.path, self.catalog)

    def unit_levels(self) -> list[UnitLevel]:
        """Every unit of the workspace and of the roster, with its level and where it comes from. Units
        not on the roster are judged by their name here; pre-screening also reads their reports' issuers."""
        roster = self.roster_store().load()
        rows = [UnitLevel(e.name, e.level, LevelSource.roster, e.parent) for e in roster.units]
        for unit in self.units():
            if roster.find(unit) is None:
                level, source = level_of([unit])
                rows.append(UnitLevel(unit, level, source))
        return rows

    def set_unit_level(self, unit: str, level: BodyLevel | str) -> UnitEntry:
        """Put the unit on the roster with this level (code or Chinese label), or change its level.
        Raises ValueError for an empty name or an unknown level. Takes effect at the next pre-screening."""
        return self.roster_store().upsert_level(unit, level)

    # --- pre-screening ---------------------------------------------------------------------
    def _legacy_dir(self) -> Path:
        """Where workspaces before screen.db's `results` kept each unit's result (read, never written)."""
        return self.ws.path / "scorecards"

    def _reviewer(self) -> UnitReviewer:
        return UnitReviewer(self.ws, self.catalog, self.catalog_id, self.backend, self.checkpoints)

    def prescreen(self, unit: str, year: int | None = None,
                  on_item: Callable[[int, int], None] | None = None) -> Scorecard:
        total = len(self.catalog.scored_units())
        done = [0]

        def tick(_su) -> None:
            done[0] += 1
            if on_item:
                on_item(done[0], total)

        with self._screen_lock, self._ws_lock:
            self.backend.start_run()  # the model's run deadline counts per 预审, not per server lifetime
            sc = self._reviewer().review(unit, year, on_item=tick)  # records the unit's current result
        self.store.note_suggestions(unit, self.catalog_id,
                                    [(item_key(i.id, i.sub), i.suggested_points) for i in sc.items])
        return sc

    def scorecard(self, unit: str) -> Scorecard | None:
        """The unit's current result (its last complete pre-screening), with the reviewers' decisions."""
        found = self.checkpoints.result(unit, self.catalog_id) or self._legacy_result(unit)
        if found is None:
            return None
        year, findings = found
        sc = Scorecard.from_findings(self.catalog, unit, year, findings, catalog_id=self.catalog_id)
        return sc.with_decisions(self.review_decisions(unit))

    def _legacy_result(self, unit: str) -> tuple[int | None, list[Finding]] | None:
        path = self._legacy_dir() / f"{safe_dirname(unit)}.json"
        if not path.is_file():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        return data["year"], [Finding.model_validate(f) for f in data["findings"]]

    def sync_suggestions(self, unit: str) -> list[str]:
        """Mark decided items whose suggestion changed since the decision, whoever re-screened the unit
        (`zwgk screen` on the same workspace cannot reach the decision store); returns the items marked."""
        sc = self.scorecard(unit)
        if sc is None:
            return []
        current = {item_key(i.id, i.sub): i.suggested_points for i in sc.items}
        changed = [(d.item, current[d.item]) for d in self.store.all(unit, self.catalog_id)
                   if d.item in current and d.version and not d.suggestion_changed
                   and d.suggested_points is not None and abs(d.suggested_points - current[d.item]) > 1e-9]
        return self.store.note_suggestions(unit, self.catalog_id, changed) if changed else []

    # --- decisions -------------------------------------------------------------------------
    def decisions(self, unit: str) -> dict[str, Decision]:
        return {d.item: d for d in self.store.all(unit, self.catalog_id)}

    def history(self, unit: str, key: str) -> list[AuditEntry]:
        """The audit entries of one item, oldest first."""
        return [e for e in self.store.audit_log(unit) if e.item == key and e.catalog == self.catalog_id]

    def review_decisions(self, unit: str) -> list[ReviewDecision]:
        out = []
        for d in self.store.all(unit, self.catalog_id):
            iid, _, sub = d.item.partition("#")
            out.append(ReviewDecision(id=iid, sub=int(sub) if sub else None,
                                      confirmed_points=d.points if d.status in ("confirmed", "overridden") else None,
                                      comment="；".join(x for x in (d.reason, d.comment,
                                                                   "待讨论" if d.discuss else "") if x),
                                      reviewer=d.reviewer))
        return out

    def decide(self, unit: str, key: str, action: Action, *, reviewer: str, expected_version: int,
               points: float | None = None, reason: str = "", comment: str | None = None,
               verdict: Verdict | None = None) -> Decision:
        """One reviewer action (DecisionError: invalid; StaleDecision: changed since `expected_version`).
        `verdict`: an override's, when not the one its points stand for (材料不足 at 0 points);
        `Action.rule_error` takes its note in `reason`; a confirmation's `reason` is kept in the audit entry only."""
        sc = self.scorecard(unit)
        item = _find_item(sc, key) if sc else None
        if item is None:
            raise ValueError(f"未找到评分项 {key}，请先运行预审")
        return self.store.decide(unit, self.catalog_id, key, action, reviewer=reviewer,
                                 expected_version=expected_version, points=points, max_points=item.max_points,
                                 suggested_points=item.suggested_points, suggested_verdict=item.verdict,
                                 verdict=verdict, step=item.step, reason=reason, comment=comment)

    def bulk_candidates(self, unit: str) -> list[ScoreItem]:
        """Items safe to confirm in one go: not yet decided, decided by a rule (not by retrieval or the
        model alone), with at least one verified citation, and not flagged for a human."""
        sc = self.scorecard(unit)
        if sc is None:
            return []
        return [i for i in sc.items
                if not i.decided and i.source in (Source.rule, Source.rule_llm)
                and any(c.doc_id for c in i.citations) and Flag.needs_human not in i.flags]

    def bulk_confirm(self, unit: str, seen: Sequence[tuple[str, int]], *, reviewer: str) -> BulkOutcome:
        """Confirm the items the reviewer was shown (key, version seen), each as its own decision with
        its own audit entry; an item someone changed meanwhile is left as it is and reported."""
        outcome = BulkOutcome()
        for key, version in seen:
            try:
                self.decide(unit, key, Action.confirm, reviewer=reviewer, expected_version=version,
                            reason=BULK_REASON)
                outcome.saved.append(key)
            except StaleDecision:
                outcome.stale.append(key)
        return outcome

    # --- chat and exports ------------------------------------------------------------------
    def chat(self, unit: str, question: str) -> ChatReply:
        with self._ws_lock:
            self.backend.start_run()
            return answer_question(question, self._reviewer(), unit)

    def export(self, unit: str, reviewer: str = "", *, out: Path | None = None,
               dated: bool = True) -> dict[str, Path]:
        """The unit's JSON, score sheet and findings with every decision so far, under exports/<unit>/:
        dated names for the browser (`<单位>-考核打分表-<日期>.xlsx`), the contract's names for `zwgk export`."""
        sc = self.scorecard(unit)
        if sc is None:
            raise ValueError("该单位尚未预审，无法导出")
        return write_unit_exports(sc, out or self.ws.path / "exports", info=ExportInfo(reviewer), dated=dated)

    def export_summary(self, reviewer: str = "", *, out: Path | None = None, dated: bool = True) -> Path:
        cards = [sc for u in self.units() if (sc := self.scorecard(u)) is not None]
        if not cards:
            raise ValueError("还没有预审过的单位，无法导出汇总表")
        info = ExportInfo(reviewer)
        path = (out or self.ws.path / "exports") / (summary_name(info.date) if dated else "summary.xlsx")
        return write_summary_xlsx(cards, path, info=info)


def _find_item(sc: Scorecard, key: str) -> ScoreItem | None:
    return next((i for i in sc.items if item_key(i.id, i.sub) == key), None)
