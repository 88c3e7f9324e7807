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
  processes never both read and then both write.

A shared PostgreSQL database (several clerks on several computers, the files on a shared
drive) cannot rely on OS file locks: a lock on a network share is not seen by, or not dropped
for, the other computers.  There the locks are the server's, which it drops when the
connection ends however the program ends (``PgLock``):

* the archive write lock is a session-level advisory lock (``pg_advisory_lock``) on a
  connection of its own, instead of ``write.lock``;
* the search index has one writer at a time across computers (``index_lock``), readers never
  take it;
* inside a write transaction the rows read are locked by the database itself, so the checks
  stay true even without the archive lock: the 件号 counter of an entry and year and the
  duplicate check of a content take ``pg_advisory_xact_lock`` (``lock_counter``,
  ``lock_content``: there is no row to lock yet when a number or a file is new), an edit reads
  its record ``FOR UPDATE`` (``for_update``); unique constraints on 档号 and (entry, year, 件号)
  are the last line.
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

    SQLite takes the database write lock at ``BEGIN IMMEDIATE`` (see ``install``).  PostgreSQL
    runs it READ COMMITTED: the code that reads takes its own locks (``lock_counter``,
    ``lock_content``, ``for_update``) before it reads.
    """
    with session.begin():
        yield session



def is_postgres(session_or_engine: "Session | Engine") -> bool:
    bind = session_or_engine.get_bind() if hasattr(session_or_engine, "get_bind") else session_or_engine
    return bind.dialect.name == "postgresql"


# Advisory lock keys are two int4: a namespace of this program and a number.  The session-level
# ones (held across a commit) and the transaction-level ones use different namespaces so that
# one can never wait on the other.
PG_SESSION_NS = 0x4A494100  # "JIA\0"
PG_COUNTER_NS = 0x4A494101
PG_CONTENT_NS = 0x4A494102
PG_ROW_NS = 0x4A494103
PG_OWNER_NS = 0x4A494104
PG_WRITE_KEY = 1
PG_INDEX_KEY = 2
PG_UPGRADE_KEY = 3  # transaction-level, while the schema is upgraded (db/session.py)
PG_PENDING_KEY = 4


def _key32(text: str) -> int:
    """A stable signed 32-bit number for ``text`` (Python's hash() changes per process)."""
    import zlib

    return zlib.crc32(text.encode("utf-8")) - (1 << 31)


def lock_counter(session: "Session", code: str, year: int) -> None:
    """PostgreSQL: hold the 件号 counter of (entry, year) until this transaction ends."""
    if is_postgres(session):
        from sqlalchemy import text

        session.execute(text("SELECT pg_advisory_xact_lock(:ns, :k)"), {"ns": PG_COUNTER_NS, "k": _key32(f"{code}|{year}")})


def lock_content(session: "Session", sha256s: "list[str]") -> None:
    """PostgreSQL: hold these contents (their duplicate check) until this transaction ends.
    Taken in sorted order, so two writers of overlapping sets never wait on each other in a ring."""
    if is_postgres(session):
        from sqlalchemy import text

        for k in sorted({_key32(sha) for sha in sha256s}):
            session.execute(text("SELECT pg_advisory_xact_lock(:ns, :k)"), {"ns": PG_CONTENT_NS, "k": k})


def lock_row(session: "Session", table: str, key: object) -> None:
    """PostgreSQL: hold the row ``key`` of ``table`` (present or not) until this transaction ends,
    before a get-or-create: two computers creating the same row (a score, a cached text) then
    take turns instead of one failing on the primary key."""
    if is_postgres(session):
        from sqlalchemy import text

        session.execute(text("SELECT pg_advisory_xact_lock(:ns, :k)"), {"ns": PG_ROW_NS, "k": _key32(f"{table}|{key}")})


def for_update(session: "Session") -> bool:
    """Whether reads of rows about to be changed should say ``FOR UPDATE`` (PostgreSQL; SQLite
    holds the whole database from ``BEGIN IMMEDIATE`` and has no such clause)."""
    return is_postgres(session)


class PgLock:
    """A session-level PostgreSQL advisory lock on a connection of its own, shared by this
    process's threads (re-entrant).  The server lets go when the connection ends: a killed
    program, a computer switched off or a cut network never leave it held."""

    def __init__(self, url: str, key: int, wait: float, busy: "type[Exception]", message: str) -> None:
        self.url = url
        self.key = key
        self.wait = wait
        self._busy = busy
        self._message = message
        self._threads = threading.RLock()
        self._depth = 0
        self._conn = None

    def _connect(self):  # noqa: ANN202
        return _lock_connection(self.url)

    @contextmanager
    def held(self) -> Iterator[None]:
        from sqlalchemy import text

        with self._threads:
            if self._depth == 0:
                from sqlalchemy.exc import OperationalError

                conn = self._connect()
                try:
                    # the server queues the waiters and wakes the next at once (no polling);
                    # lock_timeout bounds the wait
                    conn.exec_driver_sql(f"SET lock_timeout = {int(self.wait * 1000)}")
                    conn.execute(text("SELECT pg_advisory_lock(:ns, :k)"), {"ns": PG_SESSION_NS, "k": self.key})
                except OperationalError as exc:
                    conn.close()
                    if getattr(exc.orig, "sqlstate", "") == "55P03":  # lock_not_available: the wait ran out
                        raise self._busy(self._message.format(wait=self.wait)) from None
                    raise
                except BaseException:
                    conn.close()
                    raise
                self._conn = conn
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    conn, self._conn = self._conn, None
                    try:
                        conn.execute(text("SELECT pg_advisory_unlock(:ns, :k)"), {"ns": PG_SESSION_NS, "k": self.key})
                    finally:
                        conn.close()  # a connection closed lets go of the lock in any case


# A computer that vanishes (switched off, network cut) leaves its connections open on the server
# until TCP notices: with these, within about a minute and a half instead of the system's two
# hours, so its locks do not stop the other clerks for long.
PG_KEEPALIVES = "-c tcp_keepalives_idle=60 -c tcp_keepalives_interval=10 -c tcp_keepalives_count=3"
_LOCK_ENGINES: dict[str, "Engine"] = {}


def _lock_connection(url: str):  # noqa: ANN202
    """A connection of its own (not pooled: closing it ends the session and every lock in it)."""
    with _ARCHIVE_LOCKS_GUARD:
        engine = _LOCK_ENGINES.get(url)
        if engine is None:
            from sqlalchemy import create_engine
            from sqlalchemy.pool import NullPool

            engine = _LOCK_ENGINES[url] = create_engine(url, poolclass=NullPool, connect_args={"options": PG_KEEPALIVES})
    return engine.connect().execution_options(isolation_level="AUTOCOMMIT")


class PgOwnerLock:
    """A change's owner lock held by the server (``storage.Change``): on a shared drive another
    computer cannot see this computer's file locks, but it can ask the database whether the
    change's process is still connected."""

    def __init__(self, url: str, change_id: str) -> None:
        self.url = url
        self.key = _key32(change_id)
        self._conn = None

    @property
    def held(self) -> bool:
        return self._conn is not None

    def try_acquire(self) -> bool:
        from sqlalchemy import text

        conn = _lock_connection(self.url)
        try:
            ok = bool(conn.execute(text("SELECT pg_try_advisory_lock(:ns, :k)"), {"ns": PG_OWNER_NS, "k": self.key}).scalar())
        except BaseException:
            conn.close()
            raise
        if ok:
            self._conn = conn
        else:
            conn.close()
        return ok

    def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()  # the session ends, and its advisory lock with it


class OwnerLock:
    """The owner lock of a change in a shared archive: the file lock and the server's, both."""

    def __init__(self, file: FileLock, server: PgOwnerLock) -> None:
        self.file = file
        self.server = server
        self.path = file.path

    @property
    def held(self) -> bool:
        return self.file.held and self.server.held

    def try_acquire(self, *, shared: bool = False, create: bool = True) -> bool:
        if not self.file.try_acquire(shared=shared, create=create):
            return False
        if not self.server.try_acquire():
            self.file.release()
            return False
        return True

    def release(self, *, unlink: bool = False) -> None:
        self.server.release()
        self.file.release(unlink=unlink)


_PG_LOCKS: dict[tuple[str, int], PgLock] = {}

WRITE_BUSY = ("档案正被另一个程序修改，已等待 {wait:.0f} 秒仍未结束。请稍后重试；"
              "如果没有其他程序在使用档案，请重新启动电脑后再试。")
INDEX_BUSY = "检索索引正被另一台电脑或另一个程序写入，已等待 {wait:.0f} 秒。本次更改已记下，下次打开档案时补上。"


def pg_lock(url: str, key: int, wait: float, busy: "type[Exception]", message: str) -> PgLock:
    """The one ``PgLock`` of this process for (database, key), as ``archive_lock``."""
    with _ARCHIVE_LOCKS_GUARD:
        lock = _PG_LOCKS.get((url, key))
        if lock is None:
            lock = _PG_LOCKS[(url, key)] = PgLock(url, key, wait, busy, message)
        return lock


def pg_write_lock(url: str) -> PgLock:
    from .errors import ArchiveBusy

    return pg_lock(url, PG_WRITE_KEY, WRITE_WAIT, ArchiveBusy, WRITE_BUSY)


def pg_index_lock(url: str, wait: float) -> PgLock:
    from .search.index import IndexBusy

    return pg_lock(url, PG_INDEX_KEY, wait, IndexBusy, INDEX_BUSY)
