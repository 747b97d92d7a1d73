"""Shared pytest fixtures. Keep small: fixtures used by one test file live in that file."""

from __future__ import annotations

import pytest

import zwgk.offline  # noqa: F401  (offline switches before any heavy import)
from tests.llmstub import StubLLM


@pytest.fixture
def llm_stub():
    """A scriptable OpenAI-compatible server on 127.0.0.1 (tests/llmstub.py), stopped after the test."""
    stub = StubLLM().start()
    try:
        yield stub
    finally:
        stub.stop()
