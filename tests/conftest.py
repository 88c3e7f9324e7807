"""Shared fixtures: the real-world corpus (skipped when absent) and a clean environment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest_plugins = ["tests.pg"]  # a throw-away PostgreSQL server: pg_server, pg_url

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
OFFICIAL = REPO.parent / "shared" / "official"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """The database of the archive a test makes, once per backend: "" (SQLite inside the
    archive) or a new database on the tests' own PostgreSQL server (``tests/pg.py``)."""
    if request.param == "sqlite":
        return ""
    return request.getfixturevalue("pg_url")


@pytest.fixture
def corpus_dir() -> Path:
    """../shared/corpus, or skip the test when it is not beside the checkout."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus 不存在")
    return CORPUS


@pytest.fixture
def official_dir() -> Path:
    if not OFFICIAL.is_dir():
        pytest.skip("../shared/official 不存在")
    return OFFICIAL


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Cancel the machine's state: no archive from the environment, a fixed user name, this
    computer's settings (操作人, last folder, saved searches) in a fresh folder of the test's own."""
    monkeypatch.delenv("JIAARCHIVE", raising=False)
    monkeypatch.delenv("JIAARCHIVE_DB", raising=False)  # a shared database of this machine
    monkeypatch.delenv("PGPASSFILE", raising=False)  # passwords go to the test's own home
    monkeypatch.setenv("JIAARCHIVE_USER", "测试员")
    # No background text recognition process outliving a test (tests run it in the foreground).
    monkeypatch.setenv("JIAARCHIVE_BACKGROUND_OCR", "0")
    # Nor text recognition in the inbox (its workers take seconds to start); test_inbox turns it on.
    monkeypatch.setenv("JIAARCHIVE_INBOX_OCR", "0")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("JIAARCHIVE_CONFIG_DIR", str(tmp_path / "config"))
    os.makedirs(tmp_path / "home", exist_ok=True)
    from jiaarchive import audit

    monkeypatch.setattr(audit, "_acting", None)  # a --user of an earlier CliRunner call


FIXED_NOW = __import__("datetime").datetime(2024, 5, 6, 9, 30)


@pytest.fixture
def fixed_clock(monkeypatch: pytest.MonkeyPatch):
    """The archive's clock stopped at FIXED_NOW, so filing dates and snapshots are reproducible."""
    from jiaarchive import archive as archive_mod

    monkeypatch.setattr(archive_mod, "clock", lambda: FIXED_NOW)
    return FIXED_NOW



@pytest.fixture
def new_archive(tmp_path: Path):
    """Factory for the TUI tests: ``new_archive(fill, read_only=False)`` makes a 事业单位
    archive in tmp_path/档案, calls ``fill(arch)`` to put things in it, reopens it read-only
    when asked, and closes every archive it made at the end of the test."""
    from jiaarchive.archive import init_archive, open_archive

    from .helpers import TUI_UNIT

    opened = []

    def make(fill=None, *, read_only: bool = False, database_url: str = ""):
        root = tmp_path / "档案"
        arch = init_archive(root, unit=TUI_UNIT, unit_type="事业单位", database_url=database_url)
        if fill is not None:
            fill(arch)
        if read_only:
            arch.close()
            arch = open_archive(root, read_only=True)
        opened.append(arch)
        return arch

    yield make
    for a in opened:
        a.close()


@pytest.fixture
def company_archive(tmp_path: Path):
    """A 公有制企业 archive in tmp_path/档案 (all 32 catalogue entries apply), closed at the end."""
    from jiaarchive.archive import init_archive

    arch = init_archive(tmp_path / "档案", unit="重庆测试机械有限公司工会", unit_type="公有制企业")
    yield arch
    arch.close()


@pytest.fixture(scope="session")
def clerk_template(tmp_path_factory):
    """The archive of ``clerk_archive.RECORDS``, filed once for the session."""
    from .clerk_archive import build_template

    return build_template(tmp_path_factory)


@pytest.fixture
def clerk_archive(tmp_path: Path, new_archive, clerk_template):
    """``clerk_archive()``: a copy of that archive; ``clerk_archive(records)``: a new one of those."""
    from .clerk_archive import archive_factory

    yield from archive_factory(tmp_path, new_archive, clerk_template)


@pytest.fixture
def ix(tmp_path: Path):
    """An empty search index in tmp_path (the search tests' records go straight into it)."""
    from jiaarchive.search import SearchIndex

    index = SearchIndex.open(tmp_path / "index")
    yield index
    index.close()
