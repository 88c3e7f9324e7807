"""Automatic copies of the database: the second line of defence, after the metadata log.

On a writable open, when the newest copy is more than a day old and the archive has changed
since, the database is copied with SQLite's online backup API (a consistent copy while other
processes read and write) to ``.jiaarchive/backups/archive-<date>-<time>-a<audit id>.db``; the
newest ``KEEP`` are kept.  ``jiaarchive repair`` falls back to the newest sound copy when the
metadata log cannot be used, and says so.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from .db.session import sqlite_uri
from .settings import DATA_DIR

if TYPE_CHECKING:
    from .archive import Archive

BACKUP_DIR = f"{DATA_DIR}/backups"
KEEP = 7
EVERY = timedelta(hours=24)
_NAME = re.compile(r"archive-(\d{8}-\d{6})-a(\d+)\.db")


@dataclass(frozen=True)
class Backup:
    path: Path
    taken: datetime
    audit_to: int  # the newest audit entry in the copy

    @property
    def label(self) -> str:
        return f"{self.path.name}（{self.taken:%Y-%m-%d %H:%M}，含前 {self.audit_to} 条修改）"


def list_backups(root: Path) -> list[Backup]:
    """The copies of this archive's database, newest first."""
    folder = root / BACKUP_DIR
    out = []
    if folder.is_dir():
        for p in folder.iterdir():
            m = _NAME.fullmatch(p.name)
            if m and p.is_file() and not p.is_symlink():
                out.append(Backup(p, datetime.strptime(m[1], "%Y%m%d-%H%M%S"), int(m[2])))
    return sorted(out, key=lambda b: (b.taken, b.audit_to), reverse=True)


def audit_top(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]


def _connect(db: Path) -> sqlite3.Connection:
    """A plain connection (not ``mode=ro``: a read-only one may not take part in WAL recovery while
    other processes write) that waits for writers instead of failing."""
    conn = sqlite3.connect(db, timeout=30)
    return conn


def take(db: Path, root: Path, now: datetime | None = None) -> Backup:
    """Copy the database at ``db`` into the backups folder (consistent, fsynced) and prune old copies."""
    folder = root / BACKUP_DIR
    folder.mkdir(parents=True, exist_ok=True)
    src = _connect(db)
    try:
        top = audit_top(src)
        now = now or datetime.now().replace(microsecond=0)
        path = folder / f"archive-{now:%Y%m%d-%H%M%S}-a{top}.db"
        part = path.with_suffix(".part")
        part.unlink(missing_ok=True)
        dst = sqlite3.connect(part)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    with open(part, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(part, path)
    for old in list_backups(root)[KEEP:]:
        old.path.unlink(missing_ok=True)
    return Backup(path, now, top)


def maybe_take(archive: "Archive") -> Backup | None:
    """A new copy when the newest is older than a day and the archive changed since (writable opens).

    Under the archive write lock, so that processes opening at once make one copy; a copy that
    cannot be made is said, never a reason for the clerk's command to fail."""
    from .db.session import sqlite_path

    db = sqlite_path(archive.database_url)
    if db is None or archive.media_read_only or not db.is_file() or not _due(archive.root):
        return None
    try:
        with archive.write_lock.held():
            newest = next(iter(list_backups(archive.root)), None)
            if not _due(archive.root):
                return None
            conn = _connect(db)
            try:
                top = audit_top(conn)
            finally:
                conn.close()
            if newest is not None and newest.audit_to == top:
                return None
            return take(db, archive.root)
    except (sqlite3.Error, OSError) as exc:
        archive.notices.append(f"数据库自动备份未能完成（{exc}），下次打开档案时再试。")
        return None


def _due(root: Path) -> bool:
    newest = next(iter(list_backups(root)), None)
    return newest is None or datetime.now() - newest.taken >= EVERY


def sound(path: Path) -> bool:
    """Whether a copy passes SQLite's integrity check."""
    try:
        conn = sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True)
        try:
            return conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    except sqlite3.Error:
        return False
