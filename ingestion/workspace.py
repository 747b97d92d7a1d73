"""A workspace directory: everything ingestion stores, incremental and crash-safe.

    WS/files/<sha256[:2]>/<sha256>.<ext>   uploaded files under content-hash names
    WS/documents/<doc_id>.json              parsed Documents (rules, assistant and UI never re-parse)
    WS/workspace.db                         SQLite (WAL): documents and chunks (ingestion.store)
    WS/bm25/                                BM25 index (rebuilt from workspace.db when stale)
    WS/chroma/, WS/vector_cache.db          dense vectors, only once something was embedded
    WS/units.json                           the unit roster (levels; assistant/roster.py, `zwgk units`)

Inputs are walked and opened by ingestion.sources: only regular files inside the input folder are
read (no FIFO, device or socket, no link leading out of the folder), and each is read once from one
open descriptor, hashed and copied. The copy is written under a temporary name (`.tmp-…`) and renamed
to its content-hash name only once the file has parsed; a file that fails or times out leaves
nothing behind. Temporary names and stored files no row refers to (left by a killed ingest) are
removed at the start of the next one.

Identity: a document is (unit, file). Re-ingesting it unchanged (same path, size and mtime, or
same content hash) does no work; changed content replaces the old document and its chunks
everywhere. doc_id is set once, by the parser (`ingestion.parse.doc_id_for`): the content's sha256,
salted with the unit when one is named, so the same file filed by two units stays two documents. Files and JSON are
written to a temp name and renamed; database changes are single transactions.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout
from tqdm import tqdm

from core.display import safe_name
from core.document import Chunk, DocType, Document, IngestResult, IngestStatus
from core.files import atomic_write_bytes
from core.settings import Settings, get_settings
from ingestion import tokenize
from ingestion.index import Hit, HybridIndex
from ingestion.limits import file_too_large
from ingestion.metadata import retype
from ingestion.parallel import (
    ParseJob,
    Prepared,
    prepare_all,
    prepare_document,
    settle,
    warm_up,
)
from ingestion.sources import TEMP_PREFIX, Source, SourceRefused, input_files, open_source
from ingestion.store import DocumentRow, WorkspaceDB, now_iso

log = logging.getLogger(__name__)


def expand_paths(paths: Iterable[Path]) -> Iterator[tuple[Path, str]]:
    """(file, display name) of every entry `ingest` reports (ingestion.sources.input_files): a file
    given directly is named by its base name; entries found in a directory (recursively, sorted) by
    their path relative to it."""
    for source in input_files(paths):
        yield source.path, source.name


class Workspace:
    def __init__(self, path: Path | str, settings: Settings | None = None, embedder=None):
        self.path = Path(path).resolve()
        self.settings = settings or get_settings()
        self.path.mkdir(parents=True, exist_ok=True)
        (self.path / "files").mkdir(exist_ok=True)
        (self.path / "documents").mkdir(exist_ok=True)
        self.db = WorkspaceDB(self.path / "workspace.db")
        kwargs = {} if embedder is None else {"embedder": embedder}
        self.index = HybridIndex(self.path, self.db, self.settings, **kwargs)
        self._swept = False  # leftovers of a killed ingest are swept once per process (see _sweep)
        with contextlib.suppress(sqlite3.Error):  # a cache: an unreadable one costs time, not results
            tokenize.preload(self.db.segments(tokenize.tokenizer_identity()))

    def close(self) -> None:
        self.save_segments()
        self.index.close()
        self.db.close()

    def save_segments(self) -> None:
        """Persist the catalog strings this process segmented (ingestion.tokenize: remembered)."""
        rows = tokenize.take_unsaved()
        if rows:
            try:
                self.db.save_segments(tokenize.tokenizer_identity(), rows)
            except sqlite3.Error:  # read-only or busy workspace: the next run segments them again
                log.debug("segmentations not saved", exc_info=True)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- ingest --------------------------------------------------------------------------
    def ingest(
        self, paths: Iterable[Path | str], unit: str | None = None, progress: bool = True,
        embed: bool | None = None,
    ) -> list[IngestResult]:
        """Ingest files and folders; one result per file, in order. A failing file is recorded
        and reported, never fatal. Files that need parsing are parsed in worker processes
        (ingestion.parallel) and stored here, in order. BM25 is refreshed at the end; dense
        vectors are added when `embed` (default: settings.dense_in_screen)."""
        embed = self.settings.dense_in_screen if embed is None else embed
        if embed:
            _ = self.index.embedder  # a bad embedding configuration stops here, before any work
        with self.writing():
            return self._ingest(paths, unit, progress, embed)

    @contextmanager
    def writing(self) -> Iterator[None]:
        """One writer at a time across processes (two `zwgk ingest`, or an ingest beside the review
        UI): the store is transactional, but replacing a document's files and swapping the BM25
        index directory are not. Waiting is said once on stderr."""
        lock = FileLock(self.path / ".write.lock")
        try:
            lock.acquire(timeout=0)
        except Timeout:
            log.warning("另一个入库任务正在写入工作区 %s，等待其完成……", self.path)
            lock.acquire()
        try:
            yield
        finally:
            lock.release()

    def _ingest(self, paths: Iterable[Path | str], unit: str | None, progress: bool, embed: bool
                ) -> list[IngestResult]:
        files = list(input_files(Path(p) for p in paths))
        if not self._swept:  # a failure in this process removes its own copies at once: one sweep will do
            self._sweep()    # (a sweep walks every stored file: per unit, a batch of 1,000 units went quadratic)
            self._swept = True
        results: list[IngestResult | None] = [None] * len(files)
        jobs: list[_Job] = []
        later: list[int] = []  # the same content again in this batch: settled once the first is stored
        seen: set[str] = set()
        bar = tqdm(total=len(files), desc="解析入库", unit="件", disable=not progress, leave=False)
        try:
            for i, source in enumerate(files):
                planned = self._plan(source, unit, i)
                if isinstance(planned, IngestResult):
                    results[i] = planned
                    bar.update()
                elif planned.sha256 in seen:
                    self._discard(planned)
                    later.append(i)
                else:
                    if not jobs:  # the workers start while the other files are hashed and copied in
                        warm_up(self.settings, len(files) - i)
                    seen.add(planned.sha256)
                    jobs.append(planned)
            for job, prepared in prepare_all(jobs, self.settings):
                bar.set_postfix_str(safe_name(job.name[-30:]), refresh=False)
                results[job.index] = self._finish(job, prepared)
                bar.update()
            for i in later:
                results[i] = self._ingest_one(files[i], unit)
                bar.update()
        finally:
            for job in jobs:  # an interrupted batch: copies of files not stored are not left behind
                self._discard(job)
            bar.close()
            if jobs:
                settle()  # the warm-up's last worker is started before anyone may exit
        if any(r is not None and r.status is IngestStatus.ok for r in results):
            self.index.refresh([unit])  # nothing stored, nothing to index: an unchanged re-run stops here
        if embed:
            self.embed(progress=progress)
        return [r for r in results if r is not None]

    def unchanged(self, paths: Iterable[Path | str], unit: str | None = None) -> list[IngestResult] | None:
        """What `ingest` would answer for these files when it has nothing to do: every file stored from this very
        path and unchanged since (size and modification time; nothing is read), each `skipped`, in ingest's
        order. None when some file is new, changed or unreadable, or when ingest would also embed
        (dense_in_screen): ingest has work then. A screen answers its unchanged units with this and starts the
        parse workers early for the others (see assistant.screen)."""
        if self.settings.dense_in_screen:
            return None
        results = []
        for source in input_files(Path(p) for p in paths):
            try:
                path = source.path.resolve()
                row = self.db.document_row(unit, source.name)
                if not _read_from(row, str(path), path.stat()):
                    return None
            except (OSError, RuntimeError):  # RuntimeError: a loop of links (Python 3.11's resolve)
                return None  # ingest refuses it and says why
            results.append(_skipped(row, source.name))
        return results

    def _sweep(self) -> None:
        """Remove what a killed ingest left (under the write lock: no other writer is running):
        temporary copies and writes, and stored files no document row refers to."""
        in_use = self.db.stored_paths()
        for path in (self.path / "files").rglob("*"):
            if path.is_file() and (path.name.startswith(TEMP_PREFIX)
                                   or path.relative_to(self.path).as_posix() not in in_use):
                path.unlink(missing_ok=True)
        for path in (self.path / "documents").glob(f"{TEMP_PREFIX}*"):
            path.unlink(missing_ok=True)

    def embed(self, progress: bool = True) -> int:
        """Compute missing dense vectors; returns how many texts were embedded."""
        bar = tqdm(desc="向量化", unit="块", disable=not progress, leave=False)
        try:
            return self.index.embed_pending(progress=bar.update, on_total=lambda n: setattr(bar, "total", n))
        finally:
            bar.close()

    def _ingest_one(self, source: Source, unit: str | None) -> IngestResult:
        planned = self._plan(source, unit, 0)
        if isinstance(planned, IngestResult):
            return planned
        try:
            ((_job, prepared),) = prepare_all([planned], self.settings)
            return self._finish(planned, prepared)
        finally:
            self._discard(planned)

    def _plan(self, source: Source, unit: str | None, index: int) -> IngestResult | _Job:
        """Everything before parsing: the source is checked and opened once (ingestion.sources);
        unchanged files are skipped, oversize ones refused, the same content under another name in
        the unit is one document; otherwise the file is copied in under a temporary name and
        becomes a parse job."""
        name = source.name
        limit = self.settings.max_file_mb
        too_large = file_too_large(limit * 1048576 + 1, limit)
        max_bytes = int(limit * 1048576)
        try:
            with open_source(source) as src:
                stat = src.stat
                row = self.db.document_row(unit, name)
                origin = str(src.path.resolve())
                if _read_from(row, origin, stat):
                    return _skipped(row, name)
                if stat.st_size > max_bytes:
                    return self._fail(source.path, name, unit, stat, file_too_large(stat.st_size, limit))
                sha = src.sha256(max_bytes, too_large)
                if row is not None and row.status == "ok" and row.sha256 == sha:
                    self.db.touch(unit, name, origin, stat.st_mtime, stat.st_size)
                    return _skipped(row, name)
                same = self.db.row_with_content(unit, sha)
                if same is not None:  # the same content under another name in this unit: one document
                    if row is not None:
                        self._forget(row, keep=None, removed=self.db.delete_document(unit, name))
                    return _skipped(same, name)
                stored = self.path / "files" / sha[:2] / f"{sha}{source.path.suffix.lower()}"
                temp = None if stored.exists() else src.copy_to_temp(stored.parent, max_bytes, too_large)
        except SourceRefused as exc:
            return self._fail(source.path, name, unit, None, str(exc))
        return _Job(path=temp or stored, name=name, unit=unit, stored_path=stored.relative_to(self.path).as_posix(),
                    index=index, source=Path(origin), stat=stat, sha256=sha, stored=stored)

    def _discard(self, job: _Job) -> None:
        """Remove the job's temporary copy, if it is still there (not stored)."""
        if job.path != job.stored:
            job.path.unlink(missing_ok=True)

    def _finish(self, job: _Job, prepared: Prepared | str) -> IngestResult:
        if isinstance(prepared, str):
            self._discard(job)  # a file that does not parse leaves no copy behind
            return self._fail(job.source, job.name, job.unit, job.stat, prepared, job.sha256)
        if job.path != job.stored:
            os.replace(job.path, job.stored)
        doc = prepared.doc
        override = self.db.doc_type_override(job.unit, job.name)
        if override:  # a reviewer set this file's type: it holds for new content too
            retype(doc, DocType(override))
        row = self.db.document_row(job.unit, job.name)
        n_chunks = self._store(doc, row, source_path=str(job.source), mtime=job.stat.st_mtime,
                               size=job.stat.st_size, sha256=job.sha256, prepared=prepared)
        return IngestResult(file=job.name, doc_id=doc.doc_id, doc_type=doc.doc_type, pages=doc.pages,
                            chunks=n_chunks, status=IngestStatus.ok, warnings=doc.warnings)

    def add_document(self, doc: Document, refresh: bool = True) -> IngestResult:
        """Store an already-parsed Document (built in memory, e.g. by tests or importers) at
        (doc.unit, doc.file), replacing what was there; BM25 is refreshed unless `refresh` is
        False (batch callers refresh once at the end via `index.refresh()`)."""
        n_chunks = self._store(doc, self.db.document_row(doc.unit, doc.file))
        if refresh:
            self.index.refresh([doc.unit])
        return IngestResult(file=doc.file, doc_id=doc.doc_id, doc_type=doc.doc_type, pages=doc.pages,
                            chunks=n_chunks, status=IngestStatus.ok)

    def set_doc_type(self, unit: str | None, file: str, doc_type: DocType | None) -> Document:
        """A reviewer's document type for the ingested file (unit, file), persisted in the workspace
        (kept across re-ingests); None returns it to the classifier. The stored document, its chunks
        and the BM25 index change at once; the next screen reviews the unit again (its fingerprint
        holds every document's type)."""
        with self.writing():
            row = self.db.document_row(unit, file)
            if row is None or row.status != "ok" or not row.doc_id:
                raise KeyError(f"{unit or ''}/{file}")
            self.db.set_doc_type_override(unit, file, str(doc_type) if doc_type is not None else None)
            doc = retype(self.document(row.doc_id), doc_type)
            self._store(doc, row, source_path=row.source_path, mtime=row.mtime, size=row.size, sha256=row.sha256)
            self.index.refresh([unit])
        return doc

    def apply_doc_types(self, unit: str | None, overrides: Iterable[tuple[str, DocType]]) -> list[str]:
        """Set the types given as (file, type) on the unit's documents; a file is named as ingested
        (relative name), by its base name, or as unit/name. Returns the files that matched nothing."""
        rows = [r for r in self.db.document_rows(unit) if r.status == "ok"]
        unmatched = []
        for file, kind in overrides:
            hits = [r for r in rows if file in (r.file, Path(r.file).name, f"{r.unit or ''}/{r.file}")]
            for r in hits:
                self.set_doc_type(r.unit, r.file, kind)
            if not hits:
                unmatched.append(file)
        return unmatched

    def _store(self, doc: Document, row: DocumentRow | None, *, source_path: str | None = None,
               mtime: float | None = None, size: int | None = None, sha256: str | None = None,
               prepared: Prepared | None = None) -> int:
        """JSON first (temp + rename), then one transaction for the rows; the replaced document's
        leftovers (JSON, vectors) are dropped only after the commit."""
        chunks = (prepared or prepare_document(doc)).chunks
        atomic_write_bytes(self._doc_path(doc.doc_id), doc.model_dump_json().encode("utf-8"))
        removed = self.db.replace_document(
            DocumentRow(unit=doc.unit, file=doc.file, doc_id=doc.doc_id, source_path=source_path, mtime=mtime,
                        size=size, sha256=sha256, stored_path=doc.stored_path, file_type=doc.file_type,
                        doc_type=str(doc.doc_type), year=doc.year, pages=doc.pages, n_chunks=len(chunks),
                        status="ok", error=None, ingested_at=now_iso()),
            chunks,
        )
        self._forget(row, keep=doc.doc_id, removed=removed)
        return len(chunks)

    def _fail(self, path: Path, name: str, unit: str | None, stat: os.stat_result | None, error: str,
              sha: str | None = None) -> IngestResult:
        """Record a file that is not ingested (no stored copy is kept for it)."""
        old = self.db.document_row(unit, name)
        removed = self.db.replace_document(
            DocumentRow(unit=unit, file=name, doc_id=None, source_path=str(path.absolute()),  # never resolved: may loop
                        mtime=stat.st_mtime if stat else None, size=stat.st_size if stat else None, sha256=sha,
                        stored_path=None, file_type=None, doc_type=None, year=None, pages=None, n_chunks=0,
                        status="error", error=error, ingested_at=now_iso()),
            [],
        )
        self._forget(old, keep=None, removed=removed)
        return IngestResult(file=name, status=IngestStatus.error, error=error)

    def _forget(self, old: DocumentRow | None, keep: str | None, removed: list[str]) -> None:
        """After the database commit: drop what the replaced document left elsewhere (vectors,
        its JSON, its stored file unless another document has the same bytes)."""
        self.index.remove(removed)
        if old is None:
            return
        if old.doc_id and old.doc_id != keep:
            self._doc_path(old.doc_id).unlink(missing_ok=True)
        if old.stored_path and not self.db.stored_path_in_use(old.stored_path):
            (self.path / old.stored_path).unlink(missing_ok=True)

    def _doc_path(self, doc_id: str) -> Path:
        return self.path / "documents" / f"{doc_id}.json"

    # --- read API ------------------------------------------------------------------------
    def document(self, doc_id: str) -> Document:
        try:
            return Document.model_validate_json(self._doc_path(doc_id).read_bytes())
        except FileNotFoundError:
            raise KeyError(doc_id) from None

    def documents(self, unit: str | None = None) -> list[Document]:
        return [self.document(r.doc_id) for r in self.db.document_rows(unit) if r.doc_id]

    def document_rows(self, unit: str | None = None, status: str | None = None) -> list[DocumentRow]:
        return self.db.document_rows(unit, status)

    def units(self) -> list[str]:
        return self.db.units()

    def chunks(self, doc_id: str) -> list[Chunk]:
        return self.db.chunks_of(doc_id)

    def retrieval_identity(self) -> str:
        """See HybridIndex.identity: part of what a review's fingerprint is made of."""
        return self.index.identity()

    def search(
        self, query: str, unit: str | None = None, year: int | None = None,
        doc_types: list[DocType] | None = None, k: int = 8, doc_ids: list[str] | None = None,
    ) -> list[Hit]:
        return self.index.search(query, unit=unit, year=year, doc_types=doc_types, doc_ids=doc_ids, k=k)


@dataclass(frozen=True)
class _Job(ParseJob):
    """A parse job with what storing its result needs."""

    index: int = 0  # position in the batch
    source: Path = Path()  # what was read (a link's resolved target)
    stat: os.stat_result | None = None
    sha256: str = ""
    stored: Path = Path()  # the content-hash name; `path` is a temporary copy until the file has parsed


def _read_from(row: DocumentRow | None, origin: str, stat: os.stat_result) -> bool:
    """The stored document was read from this very file, unchanged since (same path, size and time)."""
    return (row is not None and row.status == "ok" and row.source_path == origin
            and row.size == stat.st_size and row.mtime == stat.st_mtime)


def _skipped(row: DocumentRow, name: str) -> IngestResult:
    return IngestResult(file=name, doc_id=row.doc_id, doc_type=DocType(row.doc_type) if row.doc_type else None,
                        pages=row.pages, chunks=row.n_chunks, status=IngestStatus.skipped)
