"""Evaluation metrics of shared/spec/gold-format.md, as pure functions of (gold item, predicted item) pairs.

A predicted item has the scorecard item shape of cli-contract.md (id, sub, suggested_points, verdict,
citations[{file, page, start, end, quote}]). Definitions (also in docs/eval.md):

- A gold item the assistant left out counts as answered `insufficient_evidence` with 0 points and no
  citations (`missing_items` counts them).
- verdict_kappa: Cohen's kappa with linear disagreement weights. met/partial/not_met are ordinal with
  weights |i-j|/2 (adjacent 0.5, met vs not_met 1); insufficient_evidence is its own class at the maximal
  weight 1 from each of the three, and 0 from itself. kappa = 1 - sum(w*O) / sum(w*E), O the observed
  and E the chance (product of marginals) proportions. None when sum(w*E) is 0 (one class only).
- Overlap of two quotes: both are normalised (NFKC, whitespace removed: core.textnorm); they must
  come from the same file; located in that file's text, their spans must share at least half of the
  shorter span's characters. When either cannot be located in the text, the longest common substring of
  the two normalised quotes stands in for the shared span.
- Ratios with an empty denominator are None (JSON null), never 0 or 1.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any

from pydantic import BaseModel, ConfigDict

from core.findings import Verdict
from core.textnorm import normalize, normalize_with_map
from eval.gold import GoldCase, GoldItem

ORDINAL = {Verdict.met: 0, Verdict.partial: 1, Verdict.not_met: 2}
CLASSES = [Verdict.met, Verdict.partial, Verdict.not_met, Verdict.insufficient_evidence]
GROUP_KEYS = ["cases", "items", "missing_items", "verdict_accuracy", "verdict_kappa", "points_mae",
              "total_abs_error", "citation_precision", "citation_recall", "citation_verbatim", "abstention_rate"]


class PredCitation(BaseModel):
    model_config = ConfigDict(extra="ignore")
    file: str
    page: int | None = None
    start: int | None = None
    end: int | None = None
    quote: str = ""


class PredItem(BaseModel):
    """The fields of a scorecard item that the metrics read; other fields are ignored."""

    model_config = ConfigDict(extra="ignore")
    id: str
    sub: int | None = None
    suggested_points: float = 0.0
    verdict: Verdict
    citations: list[PredCitation] = []


ABSENT = PredItem(id="", verdict=Verdict.insufficient_evidence)


@dataclass(frozen=True)
class ItemPair:
    case: str
    gold: GoldItem
    pred: PredItem | None  # None: the assistant produced no item for this gold item
    texts: Mapping[str, str] = field(default_factory=dict)  # file (relative to docs/) -> extracted text
    doc_types: tuple[str, ...] = ()  # document types the item is about (see item_doc_types)

    @property
    def answer(self) -> PredItem:
        return self.pred if self.pred is not None else ABSENT


# ---------------------------------------------------------------- kappa


def disagreement_weight(a: Verdict, b: Verdict) -> float:
    if a == b:
        return 0.0
    if a in ORDINAL and b in ORDINAL:
        return abs(ORDINAL[a] - ORDINAL[b]) / 2
    return 1.0


def weighted_kappa(gold: Sequence[Verdict], pred: Sequence[Verdict]) -> float | None:
    if len(gold) != len(pred):
        raise ValueError("gold and predicted verdicts differ in length")
    n = len(gold)
    if n == 0:
        return None
    index = {c: i for i, c in enumerate(CLASSES)}
    observed = [[0.0] * len(CLASSES) for _ in CLASSES]
    for g, p in zip(gold, pred, strict=True):
        observed[index[g]][index[p]] += 1 / n
    rows = [sum(r) for r in observed]
    cols = [sum(observed[i][j] for i in range(len(CLASSES))) for j in range(len(CLASSES))]
    w = [[disagreement_weight(a, b) for b in CLASSES] for a in CLASSES]
    num = sum(w[i][j] * observed[i][j] for i in range(len(CLASSES)) for j in range(len(CLASSES)))
    den = sum(w[i][j] * rows[i] * cols[j] for i in range(len(CLASSES)) for j in range(len(CLASSES)))
    if den == 0:
        return None
    return 1 - num / den


# ---------------------------------------------------------------- overlap


def spans_overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """At least half of the shorter span is shared (spans are [start, end))."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return shorter > 0 and shared * 2 >= shorter


@lru_cache(maxsize=64)
def _norm_text(text: str) -> str:
    return normalize_with_map(text).text


def _occurrences(haystack: str, needle: str, limit: int = 50) -> list[int]:
    hits, pos = [], haystack.find(needle)
    while pos != -1 and len(hits) < limit:
        hits.append(pos)
        pos = haystack.find(needle, pos + 1)
    return hits


def quotes_overlap(a: str, b: str, text: str | None = None) -> bool:
    """Do two quotes of the same document overlap (see the module docstring)?"""
    na, nb = normalize(a), normalize(b)
    if not na or not nb:
        return False
    if text:
        nt = _norm_text(text)
        hits_a, hits_b = _occurrences(nt, na), _occurrences(nt, nb)
        if hits_a and hits_b:
            return any(spans_overlap((i, i + len(na)), (j, j + len(nb))) for i in hits_a for j in hits_b)
    match = SequenceMatcher(None, na, nb, autojunk=False).find_longest_match(0, len(na), 0, len(nb))
    return match.size * 2 >= min(len(na), len(nb))


def _file_key(name: str) -> str:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    parts = tuple(p for p in parts if p not in (".", ""))
    if parts[:1] == ("docs",):
        parts = parts[1:]
    return normalize("/".join(parts))


def same_file(a: str, b: str) -> bool:
    ka, kb = _file_key(a), _file_key(b)
    return ka == kb or ka.rsplit("/", 1)[-1] == kb.rsplit("/", 1)[-1]


def text_of(file: str, texts: Mapping[str, str]) -> str | None:
    if file in texts:
        return texts[file]
    return next((t for name, t in texts.items() if same_file(name, file)), None)


def citation_matches(cited_file: str, cited_quote: str, gold_file: str, gold_quote: str,
                     texts: Mapping[str, str]) -> bool:
    return same_file(cited_file, gold_file) and quotes_overlap(cited_quote, gold_quote, text_of(gold_file, texts))


def is_verbatim(cited_file: str, quote: str, texts: Mapping[str, str]) -> bool:
    text = text_of(cited_file, texts)
    target = normalize(quote)
    return bool(target) and text is not None and target in _norm_text(text)


# ---------------------------------------------------------------- pairing


def item_doc_types(gold: GoldItem, file_doc_types: Mapping[str, str]) -> tuple[str, ...]:
    """Types of the files the gold evidence cites; all of the case's types when it cites none."""
    cited = {t for f, t in file_doc_types.items() for ev in gold.evidence if same_file(f, ev.file)}
    types = cited or set(file_doc_types.values())
    return tuple(sorted(types)) or ("unknown",)


def pair_items(case: GoldCase, predicted: Iterable[Mapping[str, Any] | PredItem], texts: Mapping[str, str],
               file_doc_types: Mapping[str, str] | None = None) -> list[ItemPair]:
    """Match a case's gold items with a scorecard's items by (id, sub); unlisted predictions are ignored."""
    by_key: dict[tuple[str, int | None], PredItem] = {}
    for raw in predicted:
        item = raw if isinstance(raw, PredItem) else PredItem.model_validate(raw)
        by_key[(item.id, item.sub)] = item
    types = file_doc_types or {}
    return [ItemPair(case=case.case, gold=g, pred=by_key.get(g.key), texts=texts,
                     doc_types=item_doc_types(g, types)) for g in case.items]


# ---------------------------------------------------------------- figures


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def summarize(pairs: Sequence[ItemPair]) -> dict[str, Any]:
    """All figures of gold-format.md except `seconds`, over the given pairs."""
    n = len(pairs)
    gold_v = [p.gold.verdict for p in pairs]
    pred_v = [p.answer.verdict for p in pairs]
    per_case: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for p in pairs:
        per_case[p.case][0] += p.gold.points
        per_case[p.case][1] += p.answer.suggested_points

    cited = cited_hit = gold_quotes = gold_hit = 0
    all_citations = verbatim = 0
    for p in pairs:
        citations = p.answer.citations
        all_citations += len(citations)
        verbatim += sum(is_verbatim(c.file, c.quote, p.texts) for c in citations)
        if not p.gold.evidence:
            continue
        cited += len(citations)
        cited_hit += sum(any(citation_matches(c.file, c.quote, ev.file, ev.quote, p.texts)
                             for ev in p.gold.evidence) for c in citations)
        gold_quotes += len(p.gold.evidence)
        gold_hit += sum(any(citation_matches(c.file, c.quote, ev.file, ev.quote, p.texts) for c in citations)
                        for ev in p.gold.evidence)

    return {
        "cases": len(per_case),
        "items": n,
        "missing_items": sum(p.pred is None for p in pairs),
        "verdict_accuracy": _ratio(sum(g == q for g, q in zip(gold_v, pred_v, strict=True)), n),
        "verdict_kappa": weighted_kappa(gold_v, pred_v),
        "points_mae": _ratio(sum(abs(p.gold.points - p.answer.suggested_points) for p in pairs), n),
        "total_abs_error": _ratio(sum(abs(g - q) for g, q in per_case.values()), len(per_case)),
        "citation_precision": _ratio(cited_hit, cited),
        "citation_recall": _ratio(gold_hit, gold_quotes),
        "citation_verbatim": _ratio(verbatim, all_citations),
        "abstention_rate": _ratio(sum(v == Verdict.insufficient_evidence for v in pred_v), n),
    }


def confusion(pairs: Sequence[ItemPair]) -> dict[str, dict[str, int]]:
    """gold verdict -> predicted verdict -> count."""
    out = {g.value: {q.value: 0 for q in CLASSES} for g in CLASSES}
    for p in pairs:
        out[p.gold.verdict.value][p.answer.verdict.value] += 1
    return out


def compute_metrics(pairs: Sequence[ItemPair], seconds: float | None = None) -> dict[str, Any]:
    """The metrics.json object: overall figures, `seconds`, then the same per indicator id and per doc type."""
    out = summarize(pairs)
    out["seconds"] = seconds
    out["verdict_confusion"] = confusion(pairs)
    by_id: dict[str, list[ItemPair]] = defaultdict(list)
    by_type: dict[str, list[ItemPair]] = defaultdict(list)
    for p in pairs:
        by_id[p.gold.id].append(p)
        for t in p.doc_types or ("unknown",):
            by_type[t].append(p)
    out["by_indicator"] = {k: summarize(v) for k, v in sorted(by_id.items(), key=lambda kv: _id_order(kv[0]))}
    out["by_doc_type"] = {k: summarize(v) for k, v in sorted(by_type.items())}
    return out


def _id_order(indicator_id: str) -> tuple[int, ...]:
    return tuple(int(x) if x.isdigit() else 0 for x in indicator_id.split("."))


# ---------------------------------------------------------------- document-type classification

MISSING_DOC = "missing"  # a gold document the assistant has no parsed document for (not ingested, failed)


def doc_type_records(gold_documents: Sequence, documents: Mapping[str, tuple[str, float | None]]
                     ) -> list[dict[str, Any]]:
    """Gold type beside the classified type of each file a case's gold.yaml types (`documents:`).

    `documents`: parsed file name -> (classified type, confidence). Unknown gold types are skipped.
    """
    out = []
    for g in gold_documents:
        if not g.known:
            continue
        name = g.file if g.file in documents else next((f for f in documents if same_file(f, g.file)), None)
        got, confidence = documents[name] if name is not None else (MISSING_DOC, None)
        out.append({"file": g.file, "gold": g.type, "got": got, "confidence": confidence})
    return out


def doc_type_confusion(records: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """`doc_type_confusion` of metrics.json: {gold type: {classified type: count}} over every typed file,
    with the number of files, the share classified as the gold type, and the misclassified files."""
    matrix: dict[str, dict[str, int]] = {}
    wrong = []
    total = right = 0
    for r in records:
        row = matrix.setdefault(r["gold"], {})
        row[r["got"]] = row.get(r["got"], 0) + 1
        total += 1
        if r["got"] == r["gold"]:
            right += 1
        else:
            wrong.append({k: r[k] for k in ("case", "file", "gold", "got", "confidence") if k in r})
    return {"files": total, "accuracy": round(right / total, 4) if total else None,
            "matrix": {g: dict(sorted(row.items())) for g, row in sorted(matrix.items())},
            "misclassified": wrong}
