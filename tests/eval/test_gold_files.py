"""Every gold file in eval/samples (generated) and eval/real (built from published documents): schema,
case == folder, ids/subs/points against the catalog ids, document types, and every evidence quote verbatim
(after whitespace/width normalisation) in its document."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.textnorm import normalize
from eval.gold import GoldCase, check_against_catalog, load_samples, read_indicator_ids
from tests.eval.doctext import page_texts

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "eval" / "samples"
# CI keeps the shared specs beside the repo; a copy shipped in the repo is the fallback.
# the packaged copy of shared/spec/indicator-ids.tsv (tests/test_catalog.py checks that they are equal)
IDS = REPO / "indicators" / "catalogs" / "langfang-2023.ids.tsv"

REAL = REPO / "eval" / "real"
CASES = load_samples(SAMPLES, strict=True)
REAL_CASES = load_samples(REAL, strict=True)


def test_dev_set_size_and_coverage():
    assert len(CASES) >= 15
    ids = {item.id for case in CASES for item in case.items}
    for needed in ("1.1.9", "2.1.2", "3.1", "3.2", "5.1.2", "5.1.4", "5.2.2"):
        assert needed in ids, needed
    verdicts = {item.verdict for case in CASES for item in case.items}
    assert len(verdicts) == 4, "every verdict class should occur (abstention included)"


def test_real_set_size_and_coverage():
    # issue 13: at least 30 cases from documents government bodies published, several localities
    assert len(REAL_CASES) >= 30
    units = {case.unit for case in REAL_CASES}
    assert len(units) >= 25
    kinds = {d.type for case in REAL_CASES for d in case.documents}
    for needed in ("annual_report", "policy_interpretation", "disclosure_guide", "org_info", "column_page"):
        assert needed in kinds, needed
    for case in REAL_CASES:
        assert (REAL / case.case / "SOURCES.md").is_file(), f"{case.case}: SOURCES.md missing"
        assert case.documents, f"{case.case}: gold names no document types"
        assert "平潭" not in case.unit  # reserved for the independent evaluation


@pytest.mark.parametrize("case", CASES + REAL_CASES, ids=lambda c: c.case)
def test_ids_subs_points(case: GoldCase):
    assert case.catalog == "langfang-2023"
    assert check_against_catalog(case, read_indicator_ids(IDS)) == []


QUOTES = [(case, item.id, ev) for case in CASES + REAL_CASES for item in case.items for ev in item.evidence]


@pytest.mark.slow  # screenshots go through OCR (about 1-3 s per image)
@pytest.mark.parametrize("case,item_id,ev", QUOTES,
                         ids=[f"{c.case}:{i}:{e.file}:{e.quote[:12]}" for c, i, e in QUOTES])
def test_quote_is_verbatim(case: GoldCase, item_id: str, ev):
    pages = page_texts(case.docs_dir / ev.file)
    target = normalize(ev.quote)
    if ev.page is not None:
        assert ev.page <= len(pages), f"{ev.file} has {len(pages)} pages"
        assert target in normalize(pages[ev.page - 1]), f"not on page {ev.page}: {ev.quote}"
    else:
        assert target in normalize("\n".join(pages)), f"not in {ev.file}: {ev.quote}"


def test_quotes_are_short():
    for case, item_id, ev in QUOTES:
        assert len(normalize(ev.quote)) <= 120, (case.case, item_id, ev.quote)
