from __future__ import annotations

import pytest

from core.document import DocType
from core.settings import Settings
from ingestion.workspace import Workspace
from tests.docbuilder import DocBuilder
from tests.ingestion.corpus import PASSAGES

UNITS = ["香河县", "大城县"]
TYPES = [DocType.annual_report, DocType.policy_interpretation, DocType.policy_document]


def passage_doc(i: int, text: str | None = None, unit: str | None = None):
    title, body = PASSAGES[i]
    b = DocBuilder(f"材料{i:02d}-{title}.txt", TYPES[i % 3], unit=unit or UNITS[i % 2], year=2022 + i % 2)
    b.heading(f"一、{title}")
    b.para(text or body)
    return b.build()


@pytest.fixture
def bm25_settings() -> Settings:
    return Settings(embedding_backend="none")


@pytest.fixture
def corpus_ws(tmp_path, bm25_settings):
    """A BM25-only workspace holding the ten passages as ten documents."""
    with Workspace(tmp_path / "ws", settings=bm25_settings) as ws:
        for i in range(len(PASSAGES)):
            ws.add_document(passage_doc(i))
        yield ws
