"""Errors a user can cause, each carrying one Chinese sentence for the edge to show.

One exception type per failure; the CLI and the TUI print ``str(exc)`` and nothing else
(tracebacks only with ``--debug``).
"""

from __future__ import annotations


class JiaError(Exception):
    """Base class: ``str(exc)`` is a complete Chinese sentence a clerk can act on."""

    exit_code = 1


class ArchiveNotFound(JiaError):
    """No archive here, in a parent folder, in --archive or in $JIAARCHIVE."""


class ArchiveExists(JiaError):
    """`init` on a folder that already holds an archive."""


class UnknownCode(JiaError):
    """A catalogue code that the catalogue does not have."""


class CodeNotApplicable(JiaError):
    """A catalogue code left out for this unit type or level."""


class UnreadableFile(JiaError):
    """A path that is missing, a folder, unreadable or empty."""


class DuplicateFile(JiaError):
    """A file whose SHA-256 is already in the archive."""

    def __init__(self, message: str, existing_archive_no: str) -> None:
        super().__init__(message)
        self.existing_archive_no = existing_archive_no


class BadValue(JiaError):
    """A title, date, tag or other field value that cannot be accepted."""


class RecordNotFound(JiaError):
    """No record with that 档号 (or id)."""


class CatalogInvalid(JiaError):
    """The standards data in catalog/ cannot be loaded."""


class IndexDamaged(JiaError):
    """The search index cannot be opened; `jiaarchive index rebuild` fixes it."""


class NotEnoughSpace(JiaError):
    """A rebuild of the search index would not fit on the disk: says how much it needs."""


class ReadOnly(JiaError):
    """A change attempted in an archive opened read-only (inspector mode)."""


class AmbiguousNumber(RecordNotFound):
    """A shortened 档号 that fits several records."""


class ReadOnlyMedia(ReadOnly):
    """The archive's folder cannot be written (write-protected stick, CD, read-only mount)."""


class NoPermission(JiaError):
    """The operating system refused access to a file or folder of the archive."""


class DiskFull(JiaError):
    """No space left for a change; the sentence says how much was needed."""


class DatabaseMissing(JiaError):
    """The archive's database is gone or damaged: `jiaarchive repair` rebuilds it."""


class DatabaseBehind(DatabaseMissing):
    """The database is older than the archive's metadata log (restored from a copy?)."""


class ArchiveBusy(JiaError):
    """Another process kept the archive's write lock too long."""


class RecordChanged(JiaError):
    """An edit based on values another process has just changed."""


class BundleDamaged(JiaError):
    """A bundle (数据包) whose checksums, manifest or metadata do not hold: nothing is imported."""


class UnsafePath(JiaError):
    """A path from inside an archive (journal, database, log) that leads outside it."""


class BadSettings(BadValue):
    """A value in jiaarchive.toml that cannot be accepted."""


def _size(n: int) -> str:
    for unit, step in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= step:
            return f"{n / step:.1f} {unit}"
    return f"{n} 字节"


def disk_full(needed: int | None, free: int | None) -> DiskFull:
    """The disk-full sentence: how much the change needed and how much was left, when known."""
    need = f"需要约 {_size(needed)}，" if needed else ""
    left = f"档案所在磁盘只剩 {_size(free)}。" if free is not None else "档案所在磁盘已满。"
    return DiskFull(f"磁盘空间不足：{need}{left}请清理磁盘或把档案移到空间更大的磁盘后重试，档案未被改动。")


def explain(exc: BaseException, root: "object | None" = None) -> JiaError | None:
    """The clerk's sentence for a failure of the machine rather than of the input, or None.

    Disk full, permissions, write-protected media and a damaged database reach the edge as
    ``OSError`` or as SQLite errors wrapped by SQLAlchemy; ``--debug`` still shows them raw.
    """
    import errno

    if isinstance(exc, JiaError):
        return exc
    if isinstance(exc, OSError) and not isinstance(exc, (FileNotFoundError, FileExistsError)):
        where = f"“{exc.filename}”" if exc.filename else "档案文件夹"
        if exc.errno == errno.ENOSPC or exc.errno == getattr(errno, "EDQUOT", -1):
            return disk_full(None, _free(root))
        if exc.errno == errno.EROFS:
            return ReadOnlyMedia(f"{where}在只读介质上（写保护的U盘、光盘或只读挂载），不能写入。可以查阅、检索、核对和打印，不能修改。")
        if exc.errno in (errno.EACCES, errno.EPERM):
            return NoPermission(f"没有权限访问{where}。请检查该文件或文件夹的权限（或用有权限的账号操作）。")
        return None
    text = f"{exc} {getattr(exc, 'orig', '')}".lower()
    shared = _postgres_error(exc)
    if shared is not None:
        return shared
    if not _is_sqlite_error(exc):
        return None
    if "disk i/o error" in text:
        return NoPermission("读写档案数据库时发生磁盘错误（U盘被拔出、网络盘断开或磁盘故障）。请检查后重试；如果反复出现，请运行 jiaarchive repair。")
    if "malformed" in text or "not a database" in text or "file is encrypted" in text:
        return DatabaseMissing("档案数据库已损坏，无法读取。请运行 jiaarchive repair 由档案文件夹中的纯文本元数据重建数据库（档案文件不受影响）。")
    if "database or disk is full" in text:
        return disk_full(None, _free(root))
    if "readonly database" in text or "read-only" in text:
        return ReadOnlyMedia("档案数据库不能写入（只读介质或没有写权限）。可以查阅、检索、核对和打印，不能修改。")
    if "unable to open database file" in text:
        return NoPermission("无法打开档案数据库（文件不见了或没有权限）。请检查 .jiaarchive 文件夹的权限；如果数据库已丢失，请运行 jiaarchive repair。")
    if "database is locked" in text or "database is busy" in text:
        return ArchiveBusy("档案数据库正被另一个程序长时间占用，请稍后重试。")
    return None


def _postgres_error(exc: BaseException) -> "JiaError | None":
    """The clerk's sentence for a shared database (PostgreSQL) that cannot be reached or used."""
    orig = getattr(exc, "orig", exc)
    if not type(orig).__module__.startswith("psycopg"):
        return None
    import psycopg

    detail = str(orig).strip().splitlines()[0][:200] if str(orig).strip() else type(orig).__name__
    if isinstance(orig, psycopg.OperationalError):
        if "password" in detail or "authentication" in detail:
            return NoPermission(f"共享数据库拒绝登录（用户名或密码不对）：{detail}。请向单位的信息管理员核对，"
                                "再用 jiaarchive connect 档案文件夹 --db 数据库地址 重新连接。")
        if "does not exist" in detail:
            return DatabaseMissing(f"共享数据库不存在：{detail}。请向单位的信息管理员核对数据库名。")
        return ArchiveBusy(f"无法连接共享数据库（服务器没有开机、网络断开或地址不对）：{detail}。请检查网络后重试。")
    if isinstance(orig, psycopg.errors.InsufficientPrivilege):
        return NoPermission(f"共享数据库的账号没有所需权限：{detail}。请让信息管理员授予该账号读写本档案数据库的权限。")
    if isinstance(orig, psycopg.errors.ReadOnlySqlTransaction):
        return ReadOnlyMedia("共享数据库只能读取（只读服务器或只读账号），不能修改。可以查阅、检索、核对和打印。")
    return None


def _is_sqlite_error(exc: BaseException) -> bool:
    import sqlite3

    if isinstance(exc, sqlite3.Error):
        return True
    return type(exc).__module__.startswith("sqlalchemy") and isinstance(getattr(exc, "orig", None), sqlite3.Error)


def _free(root: "object | None") -> int | None:
    import shutil

    try:
        return shutil.disk_usage(root).free if root else None
    except OSError:
        return None
