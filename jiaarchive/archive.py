"""An opened archive: its root folder, settings, database, and the unit's own catalogue.

``init_archive`` creates one; ``open_archive`` finds and opens one.  A writable open finishes or
undoes what crashed processes left (only theirs: ``storage``), upgrades the schema, catches up the
plain-file metadata log (``metalog``) and the search index, and copies the database now and then
(``backups``).  An archive that cannot be written (write-protected stick, CD, read-only mount)
opens read-only with a notice: SQLite read-only, nothing recovered, upgraded or caught up.  A
missing or damaged database is never replaced by an empty one: opening refuses and names
``jiaarchive repair``.

Every change goes through ``Archive.change`` (its owner lock, temporary files, journal) and
``Archive.transaction`` (the archive write lock and the database write transaction: ``locks``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from . import audit, locks, settings as settings_mod, storage
from .db import session as db_session
from .db.models import File
from .errors import ArchiveBusy, ArchiveExists, BadSettings, BadValue, DatabaseMissing, ReadOnly, ReadOnlyMedia, UnsafePath
from .settings import DATA_DIR, TRASH_DIR, Settings

if TYPE_CHECKING:
    from .standards import Catalogue, Entry, Scoresheet, Standards

# Tests and the sample-archive build replace this to get reproducible dates.
clock: Callable[[], datetime] = lambda: datetime.now().replace(microsecond=0)  # noqa: E731

OPEN_LOCK = "open.lock"  # shared by writable opens, exclusive for `repair`
# Folders the program writes inside .jiaarchive: none may lead outside the archive.
PROGRAM_DIRS = ("journal", "tmp", "versions", "metadata", "backups", "index")
# A writable open catches up at most this many records of the search index; more is said instead.
INDEX_CATCH_UP_LIMIT = 500
READ_ONLY_NOTICE = (
    "档案所在位置不能写入（写保护的U盘、光盘或只读共享），已以只读方式打开：可以查阅、检索、核对和打印，"
    "不能归档或修改；上次中断的修改不会在此恢复，检索索引也不会补建。"
)


class Archive:
    """An archive on disk. Use as a context manager or call ``close()``."""

    def __init__(self, root: Path, settings: Settings, *, read_only: bool = False, media_read_only: bool = False,
                 database_url: str | None = None) -> None:
        self.root = root
        self.settings = settings
        self.media_read_only = media_read_only  # nothing at all can be written here
        self.read_only = read_only or media_read_only  # no record may be changed (inspector mode)
        self.data_dir = root / DATA_DIR
        self.trash_dir = root / TRASH_DIR
        self.notices: list[str] = []  # sentences for the clerk about this open (the faces show them)
        self.journal = storage.Journal(root, self.data_dir, self.areas)
        self.database_url = database_url or settings_mod.database_url(root, settings)[0]
        self.engine = db_session.make_engine(self.database_url, read_only=media_read_only)
        # several computers on one shared database: the server's lock, not a file on the share
        self.write_lock: locks.ArchiveLock | locks.PgLock = (
            locks.pg_write_lock(self.database_url) if self.shared else locks.archive_lock(self.data_dir / locks.WRITE_LOCK))
        if self.shared:
            url = self.database_url
            self.journal.server_owner = lambda change_id: locks.PgOwnerLock(url, change_id)
        self._sessions = db_session.session_factory(self.engine)
        self._presence: locks.FileLock | None = None
        self._scratch: Path | None = None  # a temporary upgraded copy of an old read-only database
        self._refused: set[Path] = set()  # journals recovery refused or could not finish (said once)
        self._immutable = False  # read-only media where SQLite could not even open read-only

    @property
    def shared(self) -> bool:
        """Whether the records live on a database server (PostgreSQL) that several computers share."""
        return self.engine.dialect.name == "postgresql"

    # ------------------------------------------------------------------ standards
    @cached_property
    def standards(self) -> "Standards":
        from . import standards

        return standards.load()

    @cached_property
    def catalogue(self) -> "Catalogue":
        """The official catalogue with this archive's additions and removals (note 1)."""
        return self.standards.catalogue.customised(self.settings.catalogue_add, self.settings.catalogue_remove)

    @property
    def unit_type(self) -> str:
        return self.settings.unit_type

    @property
    def level(self) -> str:
        return self.settings.level

    def entries(self) -> tuple["Entry", ...]:
        """The entries this unit keeps (those that do not apply are left out, note 2)."""
        return self.catalogue.applicable(self.unit_type, self.level)

    def entry(self, code: str) -> "Entry":
        return self.catalogue.require_applicable(code, self.unit_type, self.level)

    @cached_property
    def scoresheet(self) -> "Scoresheet | None":
        return self.standards.sheet_for(self.unit_type, self.level)

    def retention_for(self, code: str) -> str:
        return self.settings.retention.get(code) or self.catalogue.entry(code).default_retention

    # ------------------------------------------------------------------ folders
    def entry_folder(self, code: str) -> str:
        """Relative folder of an entry: ``A 效益（绩效）之家/A-1 劳动竞赛、技术革新资料``."""
        entry = self.catalogue.entry(code)
        volume = next(v for v in self.catalogue.volumes if v.letter == entry.volume)
        parts = [storage.safe_name(volume.folder_name)]
        if entry.parent:
            parts.append(storage.safe_name(self.catalogue.entry(entry.parent).folder_name))
        parts.append(storage.safe_name(entry.folder_name))
        return "/".join(parts)

    def year_folder(self, code: str, year: int) -> str:
        return f"{self.entry_folder(code)}/{year}"

    def make_folders(self) -> None:
        for entry in self.entries():
            (self.root / self.entry_folder(entry.code)).mkdir(parents=True, exist_ok=True)

    def areas(self) -> tuple[str, ...]:
        """The top folders of entries (volumes): where journaled moves may put files."""
        return _volume_folders(self.catalogue)

    def file_path(self, rel: str) -> Path:
        """Where a filed file (a path from the database) is; UnsafePath when it would lead outside
        the entry folders and the trash (a database made elsewhere is not trusted either)."""
        return storage.check_inside(self.root, rel, (TRASH_DIR, *self.areas()))

    # ------------------------------------------------------------------ database
    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as s:
            s.info["after_audited_commit"] = self._after_audited_commit
            yield s

    def _after_audited_commit(self) -> None:
        from . import metalog

        if not self.media_read_only:
            metalog.sync_quietly(self)

    def require_writable(self) -> None:
        if self.media_read_only:
            raise ReadOnlyMedia("档案所在位置不能写入（写保护的U盘、光盘或只读共享），不能归档或修改。可以查阅、检索、核对和打印。")
        if self.read_only:
            raise ReadOnly("档案以只读（检查组）方式打开，不能修改台账记录或文件。")

    @contextmanager
    def change(self) -> Iterator[storage.Change]:
        """A change of records and files: its owner lock, temporary copies and journal (``storage.Change``).

        Copy into ``change.temp()`` files first; then do the database part in
        ``self.transaction(change)``.  Changes of crashed processes are finished first, so this
        one reads files where the database says they are.
        """
        self.require_writable()
        if set(storage.dead_journals(self.data_dir)) - self._refused:
            self.recover()
        with storage.Change(self.journal) as change:
            yield change

    @contextmanager
    def transaction(self, change: storage.Change | None = None, name: str = "change") -> Iterator[Session]:
        """The one write transaction: every read-check-write of a change happens inside it.

        Holds the archive write lock and a database write transaction (``locks``).  With a
        ``change``: its journal is written just before the commit; after the commit (the metadata
        log is appended by then) its moves are applied, all before the lock is let go, so the
        next writer finds the files where the database says.
        """
        with self.write_lock.held():
            with self.session() as s:
                s.info["change_id"] = change.id if change else ""
                with locks.write_transaction(s):
                    yield s
                    if change is not None:
                        if not s.info.get("hooked"):
                            raise RuntimeError("a change must write an audit entry (recovery looks for it)")
                        s.flush()
                        change.write_journal()
            if change is not None:
                change.committed()
                storage.fault(f"{name}.after_commit")
                change.finish()

    def now(self) -> datetime:
        return clock()

    def close(self) -> None:
        search_index = getattr(self, "_search_index", None)
        if search_index is not None:
            search_index.close()
            self._search_index = None
        self.engine.dispose()
        if self._presence is not None:
            self._presence.release()
            self._presence = None
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def scratch_dir(self) -> Path:
        """A private temporary folder of this open (removed on close): where a read-only archive
        keeps what it cannot write into itself (an upgraded database copy, a search index)."""
        if self._scratch is None:
            self._scratch = Path(tempfile.mkdtemp(prefix="jiaarchive-ro-"))
        return self._scratch

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ recovery
    def recover(self) -> list[str]:
        """Finish or undo the changes of processes that are gone; return what was done, in Chinese.

        A change whose owner lock is held belongs to a running process and is left alone.  A
        journal with a path outside the archive (or outside where the program writes) is refused
        and left for a person; ``verify`` lists it.  Nothing here removes a directory.
        """
        if self.media_read_only:
            return []
        done: list[str] = []
        with self.write_lock.held():
            ids = self.journal.changes()
            with_journal = [i for i in ids if (self.journal.dir / f"{i}.json").exists()]
            # journals first: a first-format journal may move a temporary file named otherwise
            for cid in with_journal + [i for i in ids if i not in with_journal]:
                if self.journal.dir / f"{cid}.json" in self._refused:
                    continue  # left for a person, said already
                owner = self.journal.owner(cid)
                if not owner.try_acquire():
                    continue  # its process is still running
                try:
                    self._recover_change(cid, done)
                except OSError as exc:  # e.g. a file now stands where the move would go: say it, keep the journal
                    self._refused.add(self.journal.dir / f"{cid}.json")
                    self.notices.append(f"中断的修改（.jiaarchive/journal/{cid}.json）未能完成：{exc.strerror or exc}"
                                        f"（{exc.filename or ''}）。日志已保留，请运行 jiaarchive verify 检查。")
                finally:
                    owner.release(unlink=True)
        if done:
            with self.transaction() as s:
                audit.log(s, "recover", at=self.now(), detail="；".join(done))
            self.notices.extend(done)
        return done

    def _recover_change(self, cid: str, done: list[str]) -> None:
        """One dead change (a refused journal stays for a person, said once per open)."""
        path = self.journal.dir / f"{cid}.json"
        if path.exists():
            try:
                moves, named = self.journal.read(path)
            except UnsafePath as exc:
                self._refused.add(path)
                self.notices.append(refused_journal(path, self.root, exc))
                return
            with self.session() as s:
                if named:
                    committed = s.scalar(select(audit.AuditEntry.id).where(audit.AuditEntry.change == cid).limit(1)) is not None
                    if committed:
                        storage.apply_moves(self.root, moves, prune=False)
                        done.append(f"已完成中断的修改（{len(moves)} 个文件移动）" if moves else "已补全中断的修改")
                    elif any(m.file_id is None for m in moves):
                        done.append("已清理未完成归档留下的临时文件（" + "、".join(m.dst for m in moves if m.file_id is None) + "）")
                else:
                    done.extend(self._recover_first_format(s, moves))
        for t in self.journal.temps_of(cid):
            storage.remove_quietly(t)
        (self.journal.dir / f"{cid}.part").unlink(missing_ok=True)  # a journal never finished
        path.unlink(missing_ok=True)

    def _recover_first_format(self, s: Session, moves: list[storage.Move]) -> list[str]:
        """Journals written before change ids: decide each move by the row the transaction would have written."""
        done = []
        for m in moves:
            src, dst = self.root / m.src, self.root / m.dst
            row = s.get(File, m.file_id) if m.file_id is not None else \
                s.scalar(select(File).where(File.path == m.dst, File.sha256 == m.sha256))
            if m.file_id is not None and m.dst.startswith(f"{DATA_DIR}/"):
                committed = row is not None and row.sha256 == m.sha256  # a photo's superseded version
            else:
                committed = row is not None and row.path == m.dst
            if committed and os.path.lexists(src) and not os.path.lexists(dst):
                storage.move_noclobber(src, dst)
                done.append(f"已完成中断的文件移动：{m.dst}")
            elif not committed and m.file_id is None and m.src.startswith(f"{storage.TMP_DIR}/"):
                storage.remove_quietly(src)
                done.append(f"已清理未完成归档留下的临时文件（{m.dst}）")
        return done

    def refused_journals(self) -> list[str]:
        """Sentences for journals of gone processes still there: refused by recovery, or not finished
        (read-only media, a move that failed); ``verify`` lists them."""
        out = []
        for path in storage.dead_journals(self.data_dir):
            try:
                self.journal.read(path)
            except UnsafePath as exc:
                out.append(refused_journal(path, self.root, exc))
            else:
                shown = path.relative_to(self.root).as_posix()
                out.append(f"“{shown}”是一次中断的修改，档案只读，未能恢复；在可写的位置打开档案即自动恢复。"
                           if self.media_read_only else f"“{shown}”是一次中断的修改，恢复时未能完成（见打开档案时的提示），请人工检查。")
        return out

    # ------------------------------------------------------------------ opening
    def _check_layout(self) -> None:
        """The program's own folders must be real folders inside the archive (a crafted archive
        could point them elsewhere, and recovery and filing write there)."""
        real_root = os.path.realpath(self.root)
        for name in (".", *PROGRAM_DIRS):
            folder = self.data_dir / name
            if os.path.lexists(folder) and (os.path.islink(folder) or os.path.commonpath([real_root, os.path.realpath(folder)]) != real_root):
                raise UnsafePath(f"档案内部文件夹“{folder.relative_to(self.root).as_posix()}”指向档案之外，为安全起见不予打开。请检查档案的来源。")

    def _hold_presence(self) -> None:
        """Writable opens share a lock that `repair` takes alone: no repair under a running program."""
        self.data_dir.mkdir(exist_ok=True)
        lock = locks.FileLock(self.data_dir / OPEN_LOCK)
        if not lock.try_acquire(shared=True):
            raise ArchiveBusy("档案正在修复（jiaarchive repair），请等修复结束后再打开。")
        self._presence = lock

    def _read_only_revision(self) -> str | None:
        """The schema revision, reading without writing a byte.  A WAL database closed cleanly has
        no -wal/-shm files, and SQLite cannot make them on write-protected media: then the file
        is opened as immutable (nothing else can be changing it there)."""
        from sqlalchemy.exc import OperationalError

        try:
            return db_session.current_revision(self.engine)
        except OperationalError:
            path = db_session.sqlite_path(self.database_url)
            if path is None:
                raise
        self.engine.dispose()
        self.engine = db_session.make_engine(self.database_url, read_only=True, immutable=True)
        self._sessions = db_session.session_factory(self.engine)
        self._immutable = True
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            self.notices.append("数据库最近的修改保存在未合并的日志文件中（档案复制时程序可能还开着），只读时看不到这些修改。")
        return db_session.current_revision(self.engine)

    def _use_scratch_copy(self) -> None:
        """An older schema on read-only media: upgrade a temporary copy instead of the archive."""
        import sqlite3

        path = db_session.sqlite_path(self.database_url)
        if path is None:
            raise ReadOnlyMedia("档案数据库版本较旧，而档案不能写入，无法升级。请在可写的位置打开一次档案。")
        copy = self.scratch_dir() / "archive.db"
        mode = {"immutable": "1"} if self._immutable else {"mode": "ro"}
        src = sqlite3.connect(db_session.sqlite_uri(path, **mode), uri=True)
        dst = sqlite3.connect(copy)
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
        self.engine.dispose()
        upgrade_engine = db_session.make_engine(f"sqlite:///{copy}")
        db_session.upgrade(upgrade_engine)
        upgrade_engine.dispose()
        self.engine = db_session.make_engine(f"sqlite:///{copy}", read_only=True)
        self._sessions = db_session.session_factory(self.engine)
        self.notices.append("档案数据库是旧版本，已在临时副本上升级后只读打开（档案本身未被改动）。")


def _volume_folders(catalogue: "Catalogue") -> tuple[str, ...]:
    return tuple(storage.safe_name(v.folder_name) for v in catalogue.volumes)


def entry_areas(settings: Settings) -> tuple[str, ...]:
    """``Archive.areas`` for an archive whose database cannot be opened (``repair``)."""
    from . import standards

    return _volume_folders(standards.load().catalogue.customised(settings.catalogue_add, settings.catalogue_remove))


def refused_journal(path: Path, root: Path, exc: Exception) -> str:
    return (f"中断修改的日志“{path.relative_to(root).as_posix()}”已拒绝执行：{exc}"
            "程序不会据此移动或删除任何文件。请检查档案来源，确认无用后手工删除该日志文件。")


def writable(root: Path, database_url: str) -> bool:
    """Whether this process can write the archive (its folder, data folder and database file)."""
    db = db_session.sqlite_path(database_url)
    paths = [root, root / DATA_DIR] + ([db] if db is not None and db.exists() else [])
    return all(os.access(p, os.W_OK) for p in paths if p.exists())


def check_database(url: str, root: Path) -> None:
    """DatabaseMissing, naming `jiaarchive repair`, when the archive's SQLite file is gone or is
    not a database; opening never creates an empty one in its place (a 档号 must never be reused)."""
    path = db_session.sqlite_path(url)
    if path is None:
        return
    if not path.exists():
        raise DatabaseMissing(
            f"档案数据库“{_shown(path, root)}”不见了。为免档号重复，程序不会新建空的数据库。"
            "请运行 jiaarchive repair，由档案文件夹中的纯文本元数据重建数据库。"
        )
    if not db_session.looks_like_sqlite(path):
        raise DatabaseMissing(_damaged(path, root))


ARCHIVE_ID_KEY = "archive_id"


def stored_archive_id(s: Session) -> str:
    from .db.models import ArchiveInfo

    row = s.get(ArchiveInfo, ARCHIVE_ID_KEY)
    return row.value if row is not None else ""


def check_identity(arch: Archive) -> None:
    """A shared database must be this archive's: the id in it and the folder's id agree.

    A database that has no id yet (made before ids) is given the folder's; a folder without one
    (an older archive) is trusted as the person running the program connected it."""
    from .db.models import ArchiveInfo

    want = arch.settings.archive_id
    with arch.session() as s:
        have = stored_archive_id(s)
    if have and want and have != want:
        raise DatabaseMissing(
            f"共享数据库“{settings_mod.shown_url(arch.database_url)}”属于另一个档案（档案标识不同），"
            f"不是“{arch.root}”的数据库，为安全起见不予使用。请核对数据库地址或档案文件夹。")
    if want and not have and not arch.read_only:
        with arch.transaction() as s:
            if not stored_archive_id(s):
                s.add(ArchiveInfo(key=ARCHIVE_ID_KEY, value=want))


def connect_archive(path: str | os.PathLike[str], database_url: str) -> Archive:
    """``jiaarchive connect``: open the archive in ``path`` on the shared database ``database_url``
    (which must already hold this archive's records) and remember it on this computer."""
    from . import userconfig

    root = settings_mod.find_root(path)
    settings = settings_mod.read(root)
    url = settings_mod.normalize_url(database_url)
    if db_session.sqlite_path(url) is not None:
        raise BadValue("jiaarchive connect 只用于共享数据库（PostgreSQL）；档案内的数据库无需连接，直接打开档案即可。")
    engine = db_session.make_engine(url)
    try:
        revision = db_session.current_revision(engine)
    except DatabaseError as exc:
        from .errors import explain

        raise explain(exc, root) or DatabaseMissing(f"无法读取共享数据库“{settings_mod.shown_url(url)}”。") from exc
    finally:
        engine.dispose()
    if revision is None:
        raise DatabaseMissing(
            f"共享数据库“{settings_mod.shown_url(url)}”中没有档案记录，不是本档案的数据库。"
            f"请核对地址；新建档案请用 jiaarchive init 档案文件夹 --db 数据库地址。")
    arch = open_archive(root, database_url=url)
    try:
        if not settings.archive_id:  # an archive made before ids: give folder and database one now
            with arch.session() as s:
                new_id = stored_archive_id(s) or settings_mod.new_archive_id()
            arch.settings = settings.with_(archive_id=new_id, shared_database=True)
            settings_mod.write(root, arch.settings)
            check_identity(arch)
        elif not settings.shared_database:
            arch.settings = settings.with_(shared_database=True)
            settings_mod.write(root, arch.settings)
        userconfig.remember_database(root, arch.settings.archive_id, url)
    except BaseException:
        arch.close()
        raise
    return arch


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _damaged(path: Path | None, root: Path) -> str:
    return (f"档案数据库“{_shown(path, root) if path else '（共享数据库）'}”已损坏，无法读取。"
            "请运行 jiaarchive repair，由档案文件夹中的纯文本元数据重建数据库（档案文件不受影响）。")


def open_archive(
    explicit: str | os.PathLike[str] | None = None,
    *,
    start: Path | None = None,
    read_only: bool = False,
    database_url: str | None = None,
) -> Archive:
    """Find the archive (``--archive``, ``$JIAARCHIVE``, this folder or a parent) and open it.

    ``database_url``: a database given on the command line (else ``$JIAARCHIVE_DB``, else the
    settings file, which may only name one inside the archive: ``settings``).
    """
    root = settings_mod.find_root(explicit, start)
    settings = settings_mod.read(root)
    url, _outside = settings_mod.database_url(root, settings, database_url)
    check_database(url, root)
    media_ro = not writable(root, url)
    arch = Archive(root, settings, read_only=read_only, media_read_only=media_ro, database_url=url)
    try:
        _open(arch)
    except DatabaseError as exc:
        arch.close()
        from .errors import explain

        raise explain(exc, root) or DatabaseMissing(_damaged(db_session.sqlite_path(url), root)) from exc
    except BaseException:
        arch.close()
        raise
    return arch


def _open(arch: Archive) -> None:
    if arch.media_read_only:
        arch.notices.append(READ_ONLY_NOTICE)
        revision = arch._read_only_revision()
        if revision is None:
            raise DatabaseMissing(_damaged(db_session.sqlite_path(arch.database_url), arch.root))
        if revision != db_session.HEAD_REVISION:
            arch._use_scratch_copy()
        if arch.shared:
            check_identity(arch)
        _index_notice(arch)
        return
    arch._check_layout()
    if db_session.current_revision(arch.engine) is None:
        if arch.shared:
            raise DatabaseMissing(
                f"共享数据库“{settings_mod.shown_url(arch.database_url)}”中没有档案记录，不是本档案的数据库。请核对数据库地址。")
        raise DatabaseMissing(_damaged(db_session.sqlite_path(arch.database_url), arch.root))
    # the schema is brought up to date even for inspectors: it changes no record or file
    db_session.upgrade(arch.engine)
    if arch.shared:  # before anything of the folder is recovered or caught up from this database
        check_identity(arch)
    if arch.read_only:
        return
    from . import backups, indexing, metalog

    arch._hold_presence()
    std_check(arch)
    arch.recover()
    first = metalog.covered(arch.root) == 0
    n = metalog.sync(arch)
    if first and n:
        arch.notices.append(f"已为本档案的 {n} 件记录生成纯文本元数据（{metalog.LOG}），数据库丢失时可用 jiaarchive repair 重建。")
    # git and some copy tools drop empty folders: put back the entry folders a clerk expects
    arch.make_folders()
    arch.trash_dir.mkdir(exist_ok=True)
    note = indexing.catch_up(arch, limit=INDEX_CATCH_UP_LIMIT)
    if note:
        arch.notices.append(note)
    backups.maybe_take(arch)


def std_check(arch: Archive) -> None:
    """The unit type and level of the settings file must be ones the standards know."""
    std = arch.standards
    if arch.settings.unit_type not in std.unit_types or arch.settings.level not in std.levels:
        raise BadSettings(
            f"档案设置文件中的单位类型“{arch.settings.unit_type}”或层级“{arch.settings.level}”无效。"
            f"单位类型可选：{'、'.join(std.unit_types)}；层级可选：{'、'.join(std.levels)}。"
        )


def _index_notice(arch: Archive) -> None:
    from . import indexing

    note = indexing.read_only_notice(arch)
    if note:
        arch.notices.append(note)


def init_archive(
    path: Path,
    *,
    unit: str,
    unit_type: str,
    level: str = "之家",
    database_url: str = "",
) -> Archive:
    """Create an archive: settings file, database, and a folder for every applicable entry."""
    from . import standards

    std = standards.load()
    unit = unit.strip()
    if not unit or storage.has_control(unit):
        raise BadValue("单位名称不能为空，也不能包含控制字符。")
    if unit_type not in std.unit_types:
        raise BadValue(f"单位类型“{unit_type}”无效，可选：{'、'.join(std.unit_types)}。")
    if level not in std.levels:
        raise BadValue(f"层级“{level}”无效，可选：{'、'.join(std.levels)}。")
    root = Path(path).expanduser().resolve()
    if (root / settings_mod.SETTINGS_NAME).exists():
        raise ArchiveExists(f"“{root}”已经是建家档案，不能重复建立。")
    if root.exists() and not root.is_dir():
        raise BadValue(f"“{root}”是一个文件，不能在这里建立档案。")
    root.mkdir(parents=True, exist_ok=True)
    (root / DATA_DIR).mkdir(exist_ok=True)
    now = clock()
    given = database_url or os.environ.get(settings_mod.DB_ENV, "") or None
    url, outside = settings_mod.database_url(root, Settings(unit, unit_type), given)
    settings = Settings(unit=unit, unit_type=unit_type, level=level, created=now.isoformat(),
                        database_url="" if outside else (database_url or ""), shared_database=outside,
                        archive_id=settings_mod.new_archive_id())
    arch = Archive(root, settings, database_url=url)
    try:
        if outside:
            _check_empty(arch)
        db_session.upgrade(arch.engine)
    except BaseException:
        arch.close()
        raise
    arch.make_folders()
    (root / TRASH_DIR).mkdir(exist_ok=True)
    settings_mod.write(root, settings)
    with arch.transaction() as s:
        from .db.models import ArchiveInfo

        s.add(ArchiveInfo(key=ARCHIVE_ID_KEY, value=settings.archive_id))
        audit.log(s, "init", at=now, after={"unit": unit, "unit_type": unit_type, "level": level})
    if outside:  # the other commands and the TUI on this computer find it without --db
        from . import userconfig

        userconfig.remember_database(root, settings.archive_id, url)
    from . import indexing

    indexing.rebuild(arch)  # an empty index, so the first filings are indexed as they happen
    return arch


def _check_empty(arch: Archive) -> None:
    """A new archive goes only into an empty shared database (never over another archive's records)."""
    from sqlalchemy import inspect

    try:
        with arch.engine.connect() as conn:
            tables = inspect(conn).get_table_names()
    except DatabaseError as exc:
        from .errors import explain

        raise explain(exc, arch.root) or DatabaseMissing(
            f"无法连接共享数据库“{settings_mod.shown_url(arch.database_url)}”。") from exc
    if tables:
        raise ArchiveExists(
            f"共享数据库“{settings_mod.shown_url(arch.database_url)}”中已有数据（可能是另一个档案），不能在其中新建档案。"
            "请让信息管理员新建一个空数据库；如要在本机打开已有的共享档案，请用 jiaarchive connect 档案文件夹 --db 数据库地址。")
