"""The throw-away PostgreSQL server of the tests works, and the schema migrates on it."""

from __future__ import annotations


def test_migrations_run_on_postgresql(pg_url: str) -> None:
    from jiaarchive.db import session

    engine = session.make_engine(pg_url)
    try:
        session.upgrade(engine)
        assert session.current_revision(engine) == session.HEAD_REVISION
    finally:
        engine.dispose()
