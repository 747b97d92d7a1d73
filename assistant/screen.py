"""Batch pre-screening: every unit of a folder, every catalog item, exports per unit and a summary.

Resumable: ingestion is incremental (unchanged files are skipped) and every reviewed item is
checkpointed in the workspace, so a killed run picks up where it stopped and an unchanged re-run
does no work and makes no LLM calls.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import sys
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from assistant.checkpoints import CheckpointStore
from assistant.export import write_summary_xlsx, write_unit_exports
from assistant.llm.backend import LLMBackend
from assistant.review import UnitReviewer
from assistant.scorecard import Scorecard
from core.document import DocType, IngestResult, IngestStatus
from core.settings import Settings, get_settings
from indicators.catalog import Catalog
from indicators.rules.base import load_all_rules
from ingestion.parallel import ParseJob, prepare_all, settle, warm_up
from ingestion.sources import Source, SourceRefused, check, inside
from ingestion.workspace import Workspace, expand_paths

log = logging.getLogger(__name__)


@dataclass
class UnitInput:
    name: str
    paths: list[Path]


@dataclass
class ScreenResult:
    scorecards: list[Scorecard] = field(default_factory=list)
    ingest: list[IngestResult] = field(default_factory=list)
    unmatched_doc_types: list[str] = field(default_factory=list)  # --doc-type files found in no unit
    exports: dict[str, dict[str, Path]] = field(default_factory=dict)
    summary: Path | None = None

    @property
    def failed(self) -> list[IngestResult]:
        return [r for r in self.ingest if r.status == IngestStatus.error]


def _detect_issuer(files: list[Path], folder: Path, settings: Settings) -> str | None:
    """The issuing body most documents name (for files lying directly in the screened folder). The
    files are checked and parsed as ingest does (ingestion.sources, workers under the deadline)."""
    jobs = []
    for path in files:
        try:
            target = check(Source(path, path.name, folder.resolve()))
        except SourceRefused:
            continue  # ingest reports it
        jobs.append(ParseJob(path=target, name=path.name, unit=None))
    names: Counter[str] = Counter()
    for _job, prepared in prepare_all(jobs, settings, with_tokens=False):
        if not isinstance(prepared, str) and prepared.doc.issuer:
            names[prepared.doc.issuer] += 1
    return names.most_common(1)[0][0] if names else None


# imported by the review of a changed unit: its BM25 index, its exports (see _load_ahead)
_NEEDED_BY_A_CHANGE = ("bm25s", "xlsxwriter", "docx")


def _load_ahead() -> None:
    """Import the rules and the libraries a changed unit's review uses. Run in a thread while the unchanged
    units are reviewed and the parse workers start: a re-run with one new report spent 0.3 s on these
    imports after its files were parsed (issue 15). A failure here shows again, and is reported, where
    the module is used."""
    with contextlib.suppress(Exception):
        load_all_rules()
        for name in _NEEDED_BY_A_CHANGE:
            importlib.import_module(name)


def discover_units(folder: Path, unit: str | None = None, settings: Settings | None = None) -> list[UnitInput]:
    """Each immediate subfolder is a unit named by the folder; loose entries form one more unit. A
    link to a folder outside is not a unit: it is a loose entry, which ingest refuses (and names)."""
    if not folder.is_dir():
        raise NotADirectoryError(folder)
    root = folder.resolve()
    entries = [p for p in sorted(folder.iterdir()) if not p.name.startswith(".")]
    units = [UnitInput(p.name, [p]) for p in entries if p.is_dir() and inside(p, root)]
    loose = [p for p in entries if not (p.is_dir() and inside(p, root))]
    if loose:
        name = unit or _detect_issuer(loose, folder, settings or get_settings()) or root.name
        units.append(UnitInput(name, loose))
    elif unit and not units:
        units.append(UnitInput(unit, []))
    return units


def screen(folder: Path, workspace: Workspace, catalog: Catalog, catalog_id: str, backend: LLMBackend, out: Path,
           year: int | None = None, unit: str | None = None, progress: bool = True,
           doc_types: Sequence[tuple[str, DocType]] = ()) -> ScreenResult:
    """`doc_types`: reviewer-set types as (file, type), the file named as ingested, by base name, or
    unit/name; applied after each unit's ingest (and kept in the workspace for later runs)."""
    result = ScreenResult()
    units = discover_units(folder, unit, workspace.settings)
    # a unit whose files are all stored unchanged is answered without an ingest (a stat and a row per file)
    known = [workspace.unchanged(u.paths, u.name) if u.paths else [] for u in units]
    changed = [k is None for k in known]
    ahead: threading.Thread | None = None
    if any(changed):
        # the parse workers start (~0.6 s, on another core) while the unchanged units are reviewed, which go
        # first, and a thread imports what the changed ones will need: their files are parsed by then
        files = sum(len(list(expand_paths(u.paths))) for u, c in zip(units, changed, strict=True) if c)
        warm_up(workspace.settings, files)
        ahead = threading.Thread(target=_load_ahead, name="load-ahead", daemon=True)
        ahead.start()
    order = sorted(range(len(units)), key=lambda k: changed[k])
    ingested: dict[int, list[IngestResult]] = {}
    scorecards: dict[int, Scorecard] = {}
    matched: set[str] = set()
    checkpoints = CheckpointStore(workspace.path / "screen.db")
    try:
        reviewer = UnitReviewer(workspace, catalog, catalog_id, backend, checkpoints)
        n_items = len(catalog.scored_units())
        bar = tqdm(total=n_items * len(units), desc="预审", unit="项", file=sys.stderr, disable=not progress,
                   dynamic_ncols=True)
        try:
            for k in order:
                u = units[k]
                if changed[k] and ahead is not None:
                    ahead.join()  # the changed units import the same modules: never two threads at once
                    ahead = None
                known_k = known[k]
                ingested[k] = known_k if known_k is not None else workspace.ingest(u.paths, unit=u.name,
                                                                                   progress=progress)
                if doc_types:
                    missed = workspace.apply_doc_types(u.name, doc_types)
                    matched |= {f for f, _ in doc_types if f not in missed}
                bar.set_postfix_str(u.name)
                scorecards[k] = sc = reviewer.review(u.name, year, on_item=lambda _su: bar.update(1))
                result.exports[u.name] = write_unit_exports(sc, out)
        finally:
            bar.close()
    finally:
        checkpoints.close()
        if ahead is not None:  # interrupted before the changed units: no import left running at exit
            ahead.join()
        settle()
    # reported in the folder's order, whatever order the units were done in
    result.ingest = [r for k in range(len(units)) for r in ingested.get(k, [])]
    result.scorecards = [scorecards[k] for k in range(len(units))]
    result.exports = {units[k].name: result.exports[units[k].name] for k in range(len(units))}
    result.unmatched_doc_types = [f for f, _ in doc_types if f not in matched]
    result.summary = write_summary_xlsx(result.scorecards, out / "summary.xlsx")
    return result
