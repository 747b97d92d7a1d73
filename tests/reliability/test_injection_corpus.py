"""Planted instructions survive real parsing (PDF line wrapping, DOCX, HTML, full width) and are found;
ordinary text of the same kind raises nothing (tests/reliability/injection_corpus.py)."""

from __future__ import annotations

import pytest

from assistant.injection import InjectionIndex
from core.settings import Settings
from core.textnorm import normalize
from ingestion.parse import parse_file
from tests.reliability.injection_corpus import write_injection_corpus


@pytest.fixture(scope="module")
def parsed(tmp_path_factory):
    root = tmp_path_factory.mktemp("injection")
    planted, clean = write_injection_corpus(root)
    settings = Settings(ocr=False)
    docs = {p.name: parse_file(p, settings=settings) for p in sorted(root.iterdir())}
    return planted, clean, docs


def test_every_planted_instruction_is_found_after_parsing(parsed):
    planted, _, docs = parsed
    for case in planted:
        doc = docs[case.file]
        index = InjectionIndex.of([doc])
        hits = index.hits.get(doc.doc_id, [])
        assert hits, f"{case.file}: nothing found in {doc.text!r}"
        for phrase in case.phrases:
            # the blocked sentences (what is never evidence) cover the phrase, wherever the parser broke it
            needle = normalize(phrase)
            at = doc.norm.text.find(needle)
            assert at >= 0, (case.file, phrase)
            start, end = doc.norm.to_original(at, at + len(needle))
            assert index.overlaps(doc.doc_id, start, end), (case.file, phrase, [h.text for h in hits])


def test_ordinary_text_of_the_same_kind_raises_nothing(parsed):
    _, clean, docs = parsed
    for name in clean:
        assert not InjectionIndex.of([docs[name]]), (name, InjectionIndex.of([docs[name]]).hits)
