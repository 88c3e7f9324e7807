"""House rules that code review alone would miss."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_core_does_not_import_ui_libraries() -> None:
    code = (
        "import sys, jiaarchive.archive, jiaarchive.filing, jiaarchive.fixity, jiaarchive.standards, "
        "jiaarchive.derive, jiaarchive.reports.catalogue, jiaarchive.extract, jiaarchive.photos.inspect, "
        "jiaarchive.inbox.propose, jiaarchive.inbox.plan, jiaarchive.inbox.apply, jiaarchive.inbox.queue\n"
        "bad = [m for m in ('textual', 'click', 'jiaarchive.cli', 'jiaarchive.tui') if m in sys.modules]\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == ""


def test_head_revision_constant_matches_alembic() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from jiaarchive.db import session

    cfg = Config()
    cfg.set_main_option("script_location", str(REPO / "jiaarchive" / "db" / "migrations"))
    assert ScriptDirectory.from_config(cfg).get_current_head() == session.HEAD_REVISION


def test_models_match_migrations(tmp_path: Path, db_url: str) -> None:
    """On SQLite and on PostgreSQL: a schema built by the migrations equals the models (no change
    was left without a migration), and every migration goes down and up again."""
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.config import Config
    from alembic.migration import MigrationContext

    from jiaarchive.db import models, session

    engine = session.make_engine(db_url or f"sqlite:///{tmp_path / 'x.db'}")
    session.upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), models.Base.metadata)
    assert diff == []
    cfg = Config()
    cfg.set_main_option("script_location", str(REPO / "jiaarchive" / "db" / "migrations"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert session.current_revision(engine) is None
    session.upgrade(engine)
    assert session.current_revision(engine) == session.HEAD_REVISION
    engine.dispose()


def test_wheel_ships_the_catalog(tmp_path: Path) -> None:
    """A non-editable install must find catalog/: the wheel carries it as jiaarchive/_catalog."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(REPO)],
        check=True, timeout=300, capture_output=True,
    )
    wheel = next(tmp_path.glob("jiaarchive-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {Path(n).name for n in names if n.startswith("jiaarchive/_catalog/")}
    expected = {p.name for p in (REPO / "catalog").glob("*.toml")}
    assert expected and expected <= shipped
    assert any(n.startswith("jiaarchive/db/migrations/versions/0001") for n in names)
