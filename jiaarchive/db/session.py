"""Engine creation and schema upgrades (Alembic, run in-process)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.orm import Session, sessionmaker

from .. import locks

# The newest migration in db/migrations/versions; a test checks it against Alembic's head,
# so that opening an archive needs no Alembic import when the schema is current.
HEAD_REVISION = "0010"
SQLITE_HEADER = b"SQLite format 3\x00"


def make_engine(url: str, *, read_only: bool = False, immutable: bool = False) -> Engine:
    """An engine for ``url``.  ``read_only``: a SQLite file opened so that nothing is written
    (``mode=ro``; ``immutable`` also skips SQLite's own locking, for media that cannot even hold
    its lock files)."""
    if read_only and url.startswith("sqlite:///"):
        uri = sqlite_uri(Path(url.removeprefix("sqlite:///")), **({"immutable": "1"} if immutable else {"mode": "ro"}))
        engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False))
    elif url.startswith("postgresql"):
        # read_only (write-protected media holding the files): the server refuses every write
        options = locks.PG_KEEPALIVES + (" -c default_transaction_read_only=on" if read_only else "")
        engine = create_engine(url, future=True, pool_pre_ping=True, connect_args={"options": options})
    else:
        engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        locks.install(engine, read_only=read_only)
    return engine


def sqlite_uri(path: Path, **params: str) -> str:
    """A ``file:`` URI for sqlite3.connect(uri=True), any characters in the path escaped."""
    return f"file:{quote(str(path))}?" + "&".join(f"{k}={v}" for k, v in params.items())


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases)."""
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


def looks_like_sqlite(path: Path) -> bool:
    """Whether ``path`` starts like a SQLite database (an empty or foreign file does not)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration."""
    if current_revision(engine) == HEAD_REVISION:
        return
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # several computers starting a new version at once: one upgrades, the others then
            # find the schema current (PostgreSQL's DDL is transactional, so none half-done)
            conn.execute(text("SELECT pg_advisory_xact_lock(:ns, :k)"), {"ns": locks.PG_SESSION_NS, "k": locks.PG_UPGRADE_KEY})
            if inspect(conn).has_table("alembic_version") and \
                    conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION:
                return
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
