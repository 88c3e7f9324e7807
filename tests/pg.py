"""A throw-away PostgreSQL server for the tests (pytest plugin, loaded by conftest).

``pg_server`` starts one cluster per test run from the Debian ``postgresql`` package
(``setup.sh --test`` installs it): ``initdb`` into a temporary folder, ``pg_ctl start``
listening only on a Unix socket in that folder, trust authentication, stopped and removed at
the end.  PostgreSQL refuses to run as root, so when the tests run as root the server runs as
the package's ``postgres`` user.  ``pg_url`` gives each test its own empty database.

When the server programs are missing the PostgreSQL tests are skipped with the reason;
``setup.sh --test`` installs them, so CI runs them.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest


def _bindir() -> Path | None:
    for found in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True):
        if os.access(Path(found) / "pg_ctl", os.X_OK):
            return Path(found)
    which = shutil.which("pg_ctl")
    return Path(which).resolve().parent if which else None


@dataclass(frozen=True)
class PgServer:
    socket_dir: Path
    port: int
    user: str = "postgres"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@/{database}?host={self.socket_dir}&port={self.port}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(host=str(self.socket_dir), port=self.port, user=self.user, dbname="postgres", autocommit=True) as conn:
            conn.execute(sql)


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    runuser = shutil.which("runuser")
    return [runuser, "-u", "postgres", "--", *cmd] if runuser else ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(cmd)]


class NoServer(Exception):
    """The PostgreSQL server programs (or what they need) are missing: the reason, in Chinese."""


@contextmanager
def throwaway_server() -> Iterator[PgServer]:
    """A new PostgreSQL cluster in a temporary folder, on a Unix socket only, removed at the end
    (the tests' ``pg_server`` and ``bench/shared_db_bench.py`` use it)."""
    bindir = _bindir()
    if bindir is None:
        raise NoServer("没有安装 PostgreSQL（bash setup.sh --test 会安装 postgresql）")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise NoServer("没有安装 psycopg") from None
    base = Path(tempfile.mkdtemp(prefix="jia-pg-"))
    if os.geteuid() == 0:
        try:
            ids = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(base, ignore_errors=True)
            raise NoServer("以 root 运行测试时需要系统用户 postgres（Debian 的 postgresql 软件包会建立）") from None
        os.chown(base, ids.pw_uid, ids.pw_gid)
    data = base / "data"
    port = 40000 + (os.getpid() % 20000)
    log = base / "server.log"
    try:
        subprocess.run(_as_server_user([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                                        "--locale=C.UTF-8"]), check=True, capture_output=True, timeout=120)
        opts = f"-k {base} -p {port} -c listen_addresses= -c fsync=off -c max_connections=200"
        subprocess.run(_as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(log), "-w", "start"]),
                       check=True, capture_output=True, timeout=120)
        yield PgServer(base, port)
    finally:
        subprocess.run(_as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True, timeout=120)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    try:
        with throwaway_server() as server:
            yield server
    except NoServer as exc:
        pytest.skip(str(exc))


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """The URL of a new empty database on the throw-away server, dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    pg_server.admin(f'CREATE DATABASE "{name}"')
    try:
        yield pg_server.url(name)
    finally:
        pg_server.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
