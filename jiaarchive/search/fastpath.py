"""When a search may skip opening the archive's database (the fast first answer).

``jiaarchive search`` in a fresh process used to spend most of its time importing the ORM
to open the archive, although everything a hit shows is in the index.  When nothing is
pending — no change interrupted half-way (issue 9's dead journals), nothing marked behind,
the index present and of this version, the database schema current — the index alone answers, and the ORM is never
imported.  Otherwise the command falls back to the full open (``archive.open_archive`` and
``indexing.ensure``), which finishes, catches up or rebuilds first.

Every check is a look at the file system (plus one read of the schema version with the
standard library's sqlite3); :func:`index_alone` is the one place that decides.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from ..settings import DATA_DIR, DB_NAME, Settings

MIGRATIONS = Path(__file__).resolve().parents[1] / "db" / "migrations" / "versions"


_REV = re.compile(r"""^(down_)?revision\s*=\s*['"]([^'"]*)['"]""", re.M)


def head_revision() -> str | None:
    """The newest migration's revision id: the one no other migration revises, read from the
    files' ``revision = …`` / ``down_revision = …`` lines (no Alembic import)."""
    revisions, revised = set(), set()
    try:
        for p in MIGRATIONS.glob("*.py"):
            for down, rev in _REV.findall(p.read_text(encoding="utf-8")):
                (revised if down else revisions).add(rev)
    except OSError:
        return None
    heads = revisions - revised
    return heads.pop() if len(heads) == 1 else None


def index_alone(root: Path, settings: Settings) -> tuple[Path | None, str]:
    """``(index folder, "")`` when a search may answer from the index alone, else ``(None, why)``.

    It may when all of these hold (each a cheap file-system check, no SQLAlchemy):

    1. the database is the archive's own SQLite file (no ``$JIAARCHIVE_DB``, no shared
       database; ``settings.database_url`` as ``archive.open_archive`` resolves it) and exists;
    2. no change is waiting for recovery: ``storage.dead_journals`` (journals whose process
       is gone; a live process's change is not pending, it is being written) is empty;
    3. the database needs no schema upgrade: its ``alembic_version`` is the newest migration
       (read with sqlite3, read-only; any error means "no");
    4. the index is there and of this version: ``index/CURRENT`` names a generation folder
       that exists, with this program's ``schema`` and ``analysis`` stamp;
    5. nothing is behind: ``search.pending`` (``index/pending.json``) is empty.

    ``why`` is a short English note for ``--debug`` and the benchmarks.  Otherwise the
    command runs the full open (``archive.open_archive``: recovery, read-only media, schema)
    and ``indexing.ensure`` (rebuild or catch up) before searching.
    """
    from ..errors import JiaError
    from ..settings import database_url
    from ..storage import dead_journals
    from .index import CURRENT, SCHEMA_VERSION, pending
    from .normalize import analysis_stamp

    data = root / DATA_DIR
    db = data / DB_NAME
    try:
        url, _outside = database_url(root, settings)
    except JiaError:
        return None, "database not resolvable here"
    if url != f"sqlite:///{db}":
        return None, "database is not the archive's own SQLite file"
    if not db.is_file():
        return None, "no database file"
    try:
        if dead_journals(data):
            return None, "interrupted change"
    except OSError:
        return None, "journals unreadable"
    head = head_revision()
    try:
        con = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=1.0)
        try:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None, "schema version unreadable"
    if head is None or row is None or row[0] != head:
        return None, "schema upgrade needed"
    index = data / "index"
    try:
        current = json.loads((index / CURRENT).read_text(encoding="utf-8"))
        gen = current["gen"]
    except (OSError, ValueError, KeyError, TypeError):
        return None, "no usable CURRENT"
    if (current.get("schema") != SCHEMA_VERSION or current.get("analysis") != analysis_stamp()
            or not isinstance(gen, str) or "/" in gen or not (index / gen).is_dir()):
        return None, "index outdated"
    if pending(index):
        return None, "records marked behind"
    return index, ""
