"""Fixtures shared by the assistant tests."""

from __future__ import annotations

import pytest

from core.settings import Settings
from ingestion.workspace import Workspace


@pytest.fixture
def workspace(tmp_path):
    """An empty workspace on a temp dir, BM25 only (no embedding model)."""
    ws = Workspace(tmp_path / "ws", Settings(embedding_backend="none"))
    yield ws
    ws.close()
