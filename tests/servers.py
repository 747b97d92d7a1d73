"""Real servers for tests, started and stopped by fixtures (nothing is started by hand in CI).

- PostgreSQL: Debian's server binaries (`initdb`, `pg_ctl`), a throw-away cluster in a tmp dir on a free
  port of 127.0.0.1 with its unix socket in that dir. The server refuses to run as root, so under root the
  cluster belongs to the `postgres` system user (created by the Debian package) and runs via `runuser`.
- Chroma: `chroma run --path TMP --host 127.0.0.1 --port FREE` (the CLI ships with the pinned chromadb).

Missing PostgreSQL binaries skip the PG tests outside CI and fail them in CI (CI=true or
ZWGK_TEST_POSTGRES=1), so a CI machine cannot silently test SQLite only.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMA = Path(sys.executable).parent / "chroma"
PG_USER = "postgres"  # the Debian package's system user; used only when we are root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bindir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), reverse=True)
    return versions[0].parent if versions else None


def postgres_required() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true") or os.environ.get("ZWGK_TEST_POSTGRES") == "1"


def _unavailable(reason: str) -> None:
    if postgres_required():
        pytest.fail(f"PostgreSQL tests required in CI but {reason} "
                    "(install Debian's postgresql package: scripts/setup.sh does it when run as root)")
    pytest.skip(f"PostgreSQL not available: {reason}")


@contextmanager
def postgres_server(durable: bool = False) -> Iterator[str]:
    """A fresh PostgreSQL cluster; yields a SQLAlchemy URL (psycopg 3) to its `zwgk` database.

    Tests run it with fsync off (speed); `durable=True` keeps PostgreSQL's default fsync (benchmarks)."""
    bindir = _pg_bindir()
    if bindir is None:
        _unavailable("pg_ctl/initdb not found")
    as_root = os.geteuid() == 0
    if as_root and shutil.which("runuser") is None:
        _unavailable("running as root without runuser")
    base = Path(tempfile.mkdtemp(prefix="zwgk-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    user = PG_USER if as_root else None
    if as_root:
        try:
            shutil.chown(base, PG_USER)
            shutil.chown(sock, PG_USER)
        except (LookupError, PermissionError) as exc:
            shutil.rmtree(base, ignore_errors=True)
            _unavailable(f"no '{PG_USER}' system user ({exc})")

    def run(*cmd: str, **kw) -> subprocess.CompletedProcess:
        full = ["runuser", "-u", PG_USER, "--", *cmd] if user else list(cmd)
        return subprocess.run(full, check=True, capture_output=True, text=True, timeout=120, **kw)

    port = free_port()
    role = user or os.environ.get("USER") or "postgres"
    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", role, "--auth=trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync")
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"), "-w", "-t", "60",
            "-o", f"-c listen_addresses=127.0.0.1 -p {port} -k {sock} -c max_connections=200"
            + ("" if durable else " -c fsync=off"),
            "start")
        run(str(bindir / "createdb"), "-h", str(sock), "-p", str(port), "-U", role, "zwgk")
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        log = (base / "server.log").read_text(errors="replace")[-2000:] if (base / "server.log").exists() else ""
        shutil.rmtree(base, ignore_errors=True)
        stderr = getattr(exc, "stderr", "") or ""
        pytest.fail(f"PostgreSQL did not start: {exc}\n{stderr}\n{log}")
    try:
        yield f"postgresql+psycopg://{role}@127.0.0.1:{port}/zwgk"
    finally:
        subprocess.run((["runuser", "-u", PG_USER, "--"] if user else [])
                       + [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


@contextmanager
def chroma_server(path: Path) -> Iterator[int]:
    """`chroma run` on a free port of 127.0.0.1, storing under `path`; yields the port."""
    if not CHROMA.exists():
        pytest.fail(f"chroma CLI missing next to the interpreter ({CHROMA}); it ships with chromadb")
    port = free_port()
    proc = subprocess.Popen([str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).read()
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    pytest.fail("chroma server did not start")
                time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def fresh_database(server_url: str) -> str:
    """A new empty database on the server behind `server_url`; returns its URL (isolates tests)."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)
