"""Every concurrency primitive of an archive, in one place.

Two processes on one archive are normal: a clerk keeps the TUI open and runs ``jiaarchive add``
in another window; an inspector searches while the clerk files.  Three locks keep them from
spoiling each other's work:

* **Owner locks** (``FileLock``).  Every change holds an OS lock on
  ``.jiaarchive/journal/<change>.lock`` for its whole life.  The kernel drops the lock when the
  process ends, however it ends (``kill -9``, a power cut), so a lock that can be taken belongs
  to a change whose process is gone: only such changes are recovered.  This is how SQLite
  itself decides that a hot journal is abandoned; git's ``index.lock`` decides by the file's
  existence and needs a person to remove it, which is the failure we avoid.  POSIX ``flock``
  here, ``msvcrt.locking`` on Windows (clerks' office PCs), behind the one class.
* **The archive write lock** (``ArchiveLock``, ``.jiaarchive/write.lock``).  Held from the start
  of a write transaction until its file moves and its plain-file metadata are done, so that the
  next writer finds every file where the database says it is, and the metadata log is appended
  in commit order.  Re-entrant within a process: the TUI's worker threads share one archive.
* **The database write transaction** (``write_transaction``).  Every read-check-write (the
  duplicate check, the 件号 counter, an edit's re-read of the record) runs inside one.  SQLite:
  ``BEGIN IMMEDIATE`` (``install``), the write lock taken when the transaction begins, so two
  processes never both read and then both write.  A shared PostgreSQL database (issue 14) slots
  in here: ``SELECT … FOR UPDATE`` on the rows read, or ``pg_advisory_xact_lock`` keyed by
  archive for the counter, and an advisory lock instead of the write-lock file.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

try:  # POSIX
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

WRITE_LOCK = "write.lock"
# How long a writer waits for another process's change before saying the archive is busy.
# Changes hold the write lock for milliseconds (copies are made before it is taken).
WRITE_WAIT = 60.0
SQLITE_BUSY_MS = 30000
_POLL = (0.002, 0.1)  # first and largest sleep between attempts


def _os_lock(fd: int, shared: bool) -> bool:
    """Take the lock without waiting; False when another open file holds it."""
    try:
        if fcntl is not None:
            fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        else:  # Windows has no shared flavour here: a shared lock is taken as exclusive
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


class FileLock:
    """An OS lock on one file, released by the kernel when the process ends."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def try_acquire(self, *, shared: bool = False, create: bool = True) -> bool:
        """Take the lock now or return False.  ``create=False``: a missing file is free."""
        flags = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(self.path, flags | os.O_RDWR | (os.O_CREAT if create else 0), 0o644)
        except FileNotFoundError:
            if create:
                raise
            return True
        except OSError:
            if create:
                raise
            fd = os.open(self.path, flags | os.O_RDONLY)  # a probe on read-only media: flock needs no write access
        if _os_lock(fd, shared):
            self._fd = fd
            return True
        os.close(fd)
        return False

    def acquire(self, timeout: float, *, shared: bool = False) -> bool:
        """Wait up to ``timeout`` seconds for the lock; False when it stayed taken."""
        deadline = time.monotonic() + timeout
        delay = _POLL[0]
        while not self.try_acquire(shared=shared):
            if time.monotonic() >= deadline:
                return False
            time.sleep(delay)
            delay = min(delay * 2, _POLL[1])
        return True

    def release(self, *, unlink: bool = False) -> None:
        """Let go; ``unlink`` also removes the file (while still held, where the OS allows)."""
        fd, self._fd = self._fd, None
        if unlink and fcntl is not None:
            _unlink(self.path)
        if fd is not None:
            os.close(fd)
        if unlink and fcntl is None:
            _unlink(self.path)


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except (FileNotFoundError, PermissionError):
        pass


def is_free(path: Path) -> bool:
    """Whether nobody holds the lock on ``path`` (a missing file is free); nothing is left held."""
    probe = FileLock(path)
    if not probe.try_acquire(create=False):
        return False
    probe.release()
    return True


_ARCHIVE_LOCKS: dict[str, "ArchiveLock"] = {}
_ARCHIVE_LOCKS_GUARD = threading.Lock()


def archive_lock(path: Path) -> "ArchiveLock":
    """The one ``ArchiveLock`` of this process for the lock file at ``path``: two opens of one
    archive in a process (a test, the TUI and a helper) must not wait on each other's OS lock."""
    key = os.path.realpath(path)
    with _ARCHIVE_LOCKS_GUARD:
        lock = _ARCHIVE_LOCKS.get(key)
        if lock is None:
            lock = _ARCHIVE_LOCKS[key] = ArchiveLock(Path(path))
        return lock


class ArchiveLock:
    """The archive-wide write lock: one OS lock file plus a re-entrant lock for this process's threads."""

    def __init__(self, path: Path, wait: float = WRITE_WAIT) -> None:
        self._file = FileLock(path)
        self._threads = threading.RLock()
        self._depth = 0
        self.wait = wait

    @contextmanager
    def held(self) -> Iterator[None]:
        from .errors import ArchiveBusy

        with self._threads:
            if self._depth == 0:
                self._file.path.parent.mkdir(parents=True, exist_ok=True)
                if not self._file.acquire(self.wait):
                    raise ArchiveBusy(
                        f"档案正被另一个程序修改，已等待 {self.wait:.0f} 秒仍未结束。请稍后重试；"
                        "如果没有其他程序在使用档案，请重新启动电脑后再试。"
                    )
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._file.release()


# ---------------------------------------------------------------- the database side


def install(engine: "Engine", *, read_only: bool = False) -> None:
    """SQLite connection settings: WAL, waits instead of failures, and how transactions begin.

    Writable: every transaction is ``BEGIN IMMEDIATE``.  pysqlite's own transaction handling is
    switched off so that this event opens them: two processes that both read and then write
    would otherwise deadlock on the lock upgrade, and SQLite fails one of them at once
    ("database is locked") instead of waiting for busy_timeout.  Read-only (write-protected
    media): a plain ``BEGIN``, which takes no write lock, for a consistent snapshot.
    """
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        if read_only:
            cur.execute("PRAGMA query_only=ON")
        else:
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    statement = "BEGIN" if read_only else "BEGIN IMMEDIATE"

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:  # noqa: ANN001
        conn.exec_driver_sql(statement)


@contextmanager
def write_transaction(session: "Session") -> Iterator["Session"]:
    """One read-check-write: everything read inside it is still true when it commits.

    SQLite takes the database write lock at ``BEGIN IMMEDIATE`` (see ``install``), so nothing
    more is needed here; this is the place a PostgreSQL archive takes its row or advisory locks.
    """
    with session.begin():
        yield session
