"""tests/servers.py: missing PostgreSQL binaries skip the PG tests locally and fail them in CI."""

from __future__ import annotations

import pytest

from tests import servers


@pytest.mark.parametrize(("env", "outcome"), [({}, pytest.skip.Exception),
                                              ({"CI": "true"}, pytest.fail.Exception),
                                              ({"ZWGK_TEST_POSTGRES": "1"}, pytest.fail.Exception)])
def test_missing_postgres_skips_locally_and_fails_in_ci(monkeypatch, env, outcome):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("ZWGK_TEST_POSTGRES", raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setattr(servers, "_pg_bindir", lambda: None)
    with pytest.raises(outcome, match="PostgreSQL") as exc, servers.postgres_server():
        pass
    if outcome is pytest.fail.Exception:
        assert "postgresql package" in str(exc.value)
