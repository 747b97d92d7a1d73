"""Shared pytest fixtures. Keep small: fixtures used by one test file live in that file."""

from __future__ import annotations

import pytest

import core.offline  # noqa: F401  (offline switches before any heavy import)
from tests.llmstub import StubLLM


@pytest.fixture
def llm_stub():
    """A scriptable OpenAI-compatible server on 127.0.0.1 (tests/llmstub.py), stopped after the test."""
    stub = StubLLM().start()
    try:
        yield stub
    finally:
        stub.stop()


@pytest.fixture(scope="session")
def postgres_url():
    """A SQLAlchemy URL to a throw-away PostgreSQL cluster (tests/servers.py), one per test session."""
    from tests.servers import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """The review store's URL: a SQLite file, then a fresh database on the session's PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'review.db'}"
    from tests.servers import fresh_database

    return fresh_database(request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(store_url):
    """A review DecisionStore on each of the two databases."""
    from review.store import DecisionStore

    s = DecisionStore(store_url)
    yield s
    s.close()


@pytest.fixture(scope="session")
def chroma_port(tmp_path_factory):
    """A `chroma run` server on 127.0.0.1 (tests/servers.py), one per test session; each workspace gets
    its own collection on it."""
    from tests.servers import chroma_server

    with chroma_server(tmp_path_factory.mktemp("chroma-server")) as port:
        yield port


@pytest.fixture(params=["embedded", "server"])
def chroma_settings(request) -> dict:
    """Settings fields selecting the vector store: the embedded PersistentClient, then a Chroma server."""
    if request.param == "embedded":
        return {}
    return {"chroma_host": "127.0.0.1", "chroma_port": request.getfixturevalue("chroma_port")}
