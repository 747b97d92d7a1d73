"""The offline answer to a free question: the clause of the retrieved passages that holds the fact.

Retrieval (BM25 + vectors) finds the passages; this module cuts them into clauses (sentences, lines,
and for long sentences runs of comma-separated pieces) and scores each by the share of the question's
content bigrams it holds (IDF-weighted over the passages' clauses). A clause can only answer a question
whose slot it fills (qterms.Slot: a phone number after 电话, a 文号, a time of day …). Words of a
document's own title or file name identify the document, not the answer, so they are not asked of its
clauses. A row of a table is read with its column headings (the 电话 column makes a number a phone
number). A figure answers only in the same comma piece as a word of the question ("开展政策解读活动15次";
not the "6个部分" of a sentence that lists 行政复议 among a report's parts). Dates the parser already typed
(落款 / 发布, `Document.dates`) answer date questions directly.

Nothing found above the threshold means the material does not say: the caller answers 材料未提及.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from assistant.qterms import Slot, grams, idf_weights, question_grams, weight
from core.document import BlockKind, Chunk, DateKind, Document
from core.textnorm import normalize


@dataclass(frozen=True)
class Extract:
    """A span of a document that answers the question, with how well it does and what it is."""

    doc_id: str
    file: str
    start: int
    end: int
    score: float
    label: str | None = None  # what the span is when known: a table cell's labels, 落款日期


_SENTENCE = re.compile(r"[。！？；;!?]+[”’」』）)]*|\n+")
_COMMA = re.compile(r"[，,]")
MAX_WINDOW = 90  # characters of a candidate made of several clauses or lines
LENGTH_PENALTY = 0.001  # per character: of two candidates that hold the same terms, the shorter
VALUE_BONUS = 0.03  # per further value of the slot in a clause (not for figures: one is asked)
OTHER_YEAR = 0.85  # a document of another year than the one asked about is context, not the answer
YEAR_BONUS = 0.02  # a clause naming the year asked about

# the share of the question's weight a clause must hold: lower where the slot's value (and the word that
# names it) already shows the clause is about the thing asked
MIN_COVERAGE_MARKED = 0.1  # a slot with a marker (传真/电话/邮编/地址) found beside its value
MIN_COVERAGE_SLOT = 0.25  # a specific slot's value (a time, a 文号, a date, a deadline)
MIN_COVERAGE = 0.45  # a number, or no slot
NEAR_SHARE = 0.34  # of the question's weight, in the comma piece that holds a figure


def _spans(text: str, start: int, end: int, pattern: re.Pattern[str], keep: bool = True) -> list[tuple[int, int]]:
    """[start, end) cut at `pattern` (the separator ends the piece before it when `keep`, except a
    newline), each piece trimmed of whitespace; empty pieces dropped."""
    out, pos = [], start
    for m in [*pattern.finditer(text, start, end), None]:
        cut, nxt = (m.end(), m.end()) if m else (end, end)
        if m is not None and (not keep or m.group().strip() == ""):
            cut = m.start()
        piece = text[pos:cut]
        lead = len(piece) - len(piece.lstrip())
        s, e = pos + lead, pos + len(piece.rstrip())
        if e > s:
            out.append((s, e))
        pos = nxt
        if m is None:
            break
    return out


_TRAILING = "。；;，,、：:！!？?"


def _trim(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """The span without the punctuation that closes it (the quote is the statement, not its full stop)."""
    s, e = span
    while e > s and (text[e - 1] in _TRAILING or (text[e - 1] in "）)" and not re.search(r"[（(]", text[s:e]))):
        e -= 1  # a closing bracket whose opening one is outside the span goes too
    return s, e


def clause_candidates(doc: Document, start: int, end: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(clauses, candidates) of doc.text[start:end]: sentences/lines, and what may be quoted: each
    clause, two short neighbouring clauses together, and runs of the comma pieces of a long clause."""
    text = doc.text
    clauses = _spans(text, start, end, _SENTENCE)
    cands: set[tuple[int, int]] = set(clauses)
    for (s1, _e1), (_s2, e2) in pairwise(clauses):
        if e2 - s1 <= MAX_WINDOW:
            cands.add((s1, e2))
    for s, e in clauses:
        pieces = _spans(text, s, e, _COMMA, keep=False)
        if len(pieces) < 2:
            continue
        for i in range(len(pieces)):
            for j in range(i, min(i + 3, len(pieces))):
                if pieces[j][1] - pieces[i][0] <= MAX_WINDOW:
                    cands.add((pieces[i][0], pieces[j][1]))
    return clauses, sorted({t for c in cands if (t := _trim(text, c))[1] > t[0]})


def _merged_spans(passages: Sequence[Chunk]) -> dict[str, list[tuple[int, int]]]:
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for c in passages:
        if c.kind == BlockKind.navigation:  # site menus answer nothing
            continue
        by_doc.setdefault(c.doc_id, []).append((c.start, c.end))
    merged: dict[str, list[tuple[int, int]]] = {}
    for doc_id, spans in by_doc.items():
        out: list[tuple[int, int]] = []
        for s, e in sorted(spans):
            if out and s <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], e))
            else:
                out.append((s, e))
        merged[doc_id] = out
    return merged


def _table_headers(doc: Document) -> list[tuple[int, int, str]]:
    """(start, end, header text) of each table's body: a row is read with its column headings
    ("县档案馆 … 15845647666" is a phone number because its column says 电话)."""
    out = []
    for b in doc.blocks:
        t = b.table
        if t is None or not t.cells:
            continue
        n = max(t.header_rows, 1)
        head = [c for c in t.cells if c.row < n]
        body = [c for c in t.cells if c.row >= n]
        if head and body:
            out.append((min(c.start for c in body), max(c.end for c in body), " ".join(c.text for c in head)))
    return out


def _context(headers: list[tuple[int, int, str]], s: int, e: int) -> str:
    return next((h for hs, he, h in headers if hs <= s and e <= he), "")


_PIECE = re.compile(r"[，,、；;]")


def _near(slot: Slot, text: str, asked: frozenset[str], idf: dict[str, float], unseen: float) -> bool:
    """A figure answers only beside what was asked: some piece of the clause holds both the figure and a
    good part (NEAR_SHARE by weight) of the question's words ("开展政策解读活动15次"; not "…行政复议、行政诉讼
    情况等6个部分", where only 行政 stands beside the 6)."""
    need = NEAR_SHARE * weight(asked, idf, unseen)
    return any(slot.value.search(p) and weight(grams(p) & asked, idf, unseen) >= need
               for p in _PIECE.split(normalize(text)))


def _title_grams(doc: Document) -> frozenset[str]:
    stem = doc.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return grams(stem) | grams(doc.title or "")


def _min_coverage(slot: Slot | None) -> float:
    if slot is None or slot.name == "number":
        return MIN_COVERAGE
    return MIN_COVERAGE_MARKED if slot.marker is not None else MIN_COVERAGE_SLOT


def best_clauses(question: str, slot: Slot | None, passages: Sequence[Chunk], documents: Mapping[str, Document],
                 year: int | None = None, limit: int = 1) -> list[Extract]:
    """The clauses of the passages that answer the question, best first (empty: the passages do not say)."""
    q = question_grams(question)
    if not q:
        return []
    spans = _merged_spans(passages)
    per_doc: list[tuple[Document, list[tuple[int, int]], list[tuple[int, int]]]] = []
    for doc_id, doc_spans in spans.items():
        doc = documents.get(doc_id)
        if doc is None:
            continue
        clauses, cands = [], []
        for s, e in doc_spans:
            cl, ca = clause_candidates(doc, s, e)
            clauses += cl
            cands += ca
        per_doc.append((doc, clauses, cands))
    idf = idf_weights(grams(d.text[s:e]) for d, clauses, _ in per_doc for s, e in clauses)
    if not idf:
        return []
    unseen = max(idf.values())
    floor = _min_coverage(slot)
    # the words naming the slot (文号, 日期) are answered by its value: a clause holding the value has them
    named = frozenset().union(*(grams(m.group()) for m in slot.asks.finditer(normalize(question)))) \
        if slot is not None else frozenset()
    found: list[Extract] = []
    for doc, _clauses, cands in per_doc:
        asked = q - _title_grams(doc) or q  # the document's own name is not asked of its clauses
        total = weight(asked, idf, unseen)
        headers = _table_headers(doc)
        for s, e in cands:
            text = doc.text[s:e]
            context = _context(headers, s, e)
            if slot is not None and not _fills(slot, text, context):
                continue
            if slot is not None and slot.name == "number" and not _near(slot, text, asked, idf, unseen):
                continue
            coverage = weight(asked & (grams(text) | grams(context) | named), idf, unseen) / total
            if coverage < floor:
                continue
            if year is not None and doc.year is not None and doc.year != year:
                coverage *= OTHER_YEAR
            if year is not None and f"{year}年" in normalize(text):
                coverage += YEAR_BONUS  # of a list of reports, the line about the year under review
            # a clause holding the whole value (a morning and an afternoon time) beats one holding part of it
            values = len(slot.value.findall(normalize(text))) if slot is not None and slot.name != "number" else 1
            bonus = VALUE_BONUS * min(values - 1, 3)
            found.append(Extract(doc.doc_id, doc.file, s, e, coverage + bonus - LENGTH_PENALTY * (e - s)))
    found.sort(key=lambda x: (-x.score, x.end - x.start))
    out: list[Extract] = []
    for x in found:  # distinct, non-overlapping extracts
        if all(x.doc_id != o.doc_id or x.end <= o.start or x.start >= o.end for o in out):
            out.append(x)
        if len(out) >= limit:
            break
    return out


def _fills(slot: Slot, text: str, context: str = "") -> bool:
    """The clause holds a value of the slot, named by its marker (in the clause or its column heading)."""
    if slot.value.search(normalize(text)) is None:
        return False
    return slot.marker is None or slot.marker.search(normalize(f"{context} {text}")) is not None


# ---------------------------------------------------------------- typed dates

_DATE_KINDS = (
    (re.compile(r"落款|成文|签发|签署|印发日期|制发日期"), DateKind.signing, "落款日期"),
    (re.compile(r"发布|公开|上网|公布|挂网"), DateKind.publication, "发布日期"),
)


def dated(question: str, documents: Sequence[Document], year: int | None = None) -> Extract | None:
    """A date question the parser already answered: the document's 落款 or 发布 date."""
    q = normalize(question)
    for pattern, kind, label in _DATE_KINDS:
        if not pattern.search(q):
            continue
        asked = question_grams(question)
        best: tuple[float, Extract] | None = None
        for doc in documents:
            found = doc.date_of(kind)
            if found is None:
                continue
            # the document the question names (by its title words), then the year asked about
            named = len(asked & _title_grams(doc)) + (0.5 if year is not None and doc.year == year else 0.0)
            x = Extract(doc.doc_id, doc.file, found.start, found.end, 1.0, label)
            if best is None or named > best[0]:
                best = (named, x)
        return best[1] if best else None
    return None
