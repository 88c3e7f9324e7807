"""Rebuilding a lost or damaged database from the archive folder (``jiaarchive repair``).

The source is the plain-file metadata log (``metalog``), which holds every record, its files and
checksums, every 档号 it ever had, its links, photo labels, the unit profile, the scores and the
whole audit history.  When the log cannot be used (an archive made before it existed and never
opened since), the newest sound automatic copy of the database (``backups``) is used instead;
when the log has unreadable lines, records and history it lacks are taken from that copy.  The
report says which was used.

The damaged database is never deleted: it is moved to ``.jiaarchive/damaged/<time>/``.  The
rebuilt one keeps the record and file ids, so photo labels and the search index still match;
the 件号 counters follow from the restored numbers, so no 档号 is issued twice.  Repair refuses
to run while another process has the archive open for writing (``Archive._hold_presence``).
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert

from . import locks, metalog, settings as settings_mod, storage
from .archive import OPEN_LOCK, entry_areas, open_archive
from .backups import Backup, list_backups, sound
from .db import session as db_session
from .db.models import ArchiveNumber, AuditEntry, File, ItemScore, PhotoLabelRow, ProfileFact, Record, RecordItem, RecordTag
from .errors import ArchiveBusy, BadValue, DatabaseMissing, ReadOnlyMedia, UnsafePath
from .settings import DATA_DIR, TRASH_DIR

DAMAGED_DIR = f"{DATA_DIR}/damaged"


@dataclass
class RepairReport:
    state: str  # what was wrong: missing | damaged | behind | ok
    source: str = ""  # what the database was rebuilt from ('' when nothing was done)
    records: int = 0
    files: int = 0
    numbers: int = 0
    history: int = 0
    kept_aside: Path | None = None
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        if not self.source:
            return ["数据库完好，与纯文本元数据一致，无需修复。（确需重建请加 --force）"]
        why = {"missing": "数据库不见了", "damaged": "数据库已损坏", "behind": "数据库比元数据日志旧", "ok": "按要求重建"}[self.state]
        out = [f"{why}，已由{self.source}重建数据库：{self.records} 件记录、{self.files} 个文件、"
               f"{self.numbers} 个档号（含原档号）、{self.history} 条修改历史。"]
        if self.kept_aside is not None:
            out.append(f"原数据库已移至“{self.kept_aside}”保存，未删除。")
        out += [f"略去：{x}" for x in self.skipped]
        out += self.notes
        return out


def diagnose(root: Path, url: str) -> str:
    """missing | damaged | behind | ok, for the archive's SQLite database."""
    path = db_session.sqlite_path(url)
    if path is None:
        raise BadValue("共享数据库（如 PostgreSQL）请由数据库管理员从服务器的备份恢复，jiaarchive repair 只修复档案内的数据库。")
    if not path.exists():
        return "missing"
    if not db_session.looks_like_sqlite(path) or not sound(path):
        return "damaged"
    try:
        conn = sqlite3.connect(db_session.sqlite_uri(path, mode="ro"), uri=True)
        try:
            top = conn.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return "damaged"
    return "behind" if metalog.covered(root) > top else "ok"


def repair(explicit: str | Path | None = None, *, database_url: str | None = None, force: bool = False,
           progress: Callable[[str], None] | None = None) -> RepairReport:
    """Rebuild the archive's database when it is missing, damaged or older than the metadata log."""
    say = progress or (lambda _text: None)
    root = settings_mod.find_root(explicit)
    settings = settings_mod.read(root)
    url, outside = settings_mod.database_url(root, settings, database_url)
    if outside:
        raise BadValue("共享数据库（如 PostgreSQL）请由数据库管理员从服务器的备份恢复，jiaarchive repair 只修复档案内的数据库。")
    from .archive import writable

    if not writable(root, url):
        raise ReadOnlyMedia("档案所在位置不能写入，无法修复。请把档案复制到可写的磁盘后再运行 jiaarchive repair。")
    db = db_session.sqlite_path(url)
    presence = locks.FileLock(root / DATA_DIR / OPEN_LOCK)
    if not presence.try_acquire():
        raise ArchiveBusy("档案正被其他程序打开（图形界面或另一条命令），请先关闭它们再运行 jiaarchive repair。")
    try:
        with locks.archive_lock(root / DATA_DIR / locks.WRITE_LOCK).held():
            state = diagnose(root, url)
            report = RepairReport(state)
            if state == "ok" and not force:
                return report
            say("正在读取纯文本元数据……")
            source, data = _source(root, report)
            target = db.with_name(db.name + ".rebuild")
            _remove_db_files(target)
            say(f"正在由{source}重建数据库……")
            _write(data, target, root, (TRASH_DIR, *entry_areas(settings)), report)
            report.source = source
            report.kept_aside = _set_aside(db, root)
            for suffix in ("", "-wal", "-shm"):
                if Path(f"{target}{suffix}").exists():
                    Path(f"{target}{suffix}").replace(f"{db}{suffix}")
    finally:
        presence.release()
    say("正在检查档案并重建检索索引……")
    with open_archive(root, database_url=database_url) as arch:
        from . import audit, indexing

        with arch.transaction() as s:
            audit.log(s, "repair", at=arch.now(), detail=" ".join(report.lines()[:2]))
        indexing.rebuild(arch)
        report.notes.extend(arch.notices)
        arch.notices.clear()
    return report


def _source(root: Path, report: RepairReport) -> tuple[str, metalog.LogState]:
    """The metadata log, completed from the newest sound backup where it has gaps; or that backup."""
    log = metalog.read(root)
    backup = next((b for b in list_backups(root) if sound(b.path)), None)
    if log.usable and not log.bad_lines:
        return "档案中的纯文本元数据日志", log
    if backup is None:
        if log.usable:
            report.notes.append(f"元数据日志有 {log.bad_lines} 行无法读取，也没有可用的自动备份，这些行中的修改可能缺失。请运行 jiaarchive verify 核对。")
            return "档案中的纯文本元数据日志", log
        raise DatabaseMissing("档案中既没有可用的纯文本元数据日志，也没有完好的自动备份，无法重建数据库。请从其他备份恢复 .jiaarchive 文件夹。")
    copy = _read_backup(backup)
    if not log.usable:
        return f"自动备份 {backup.label}", copy
    added = [rid for rid in copy.records if rid not in log.records]
    for rid in added:
        log.records[rid] = copy.records[rid]
    for aid, entry in copy.audit.items():
        log.audit.setdefault(aid, entry)
    report.notes.append(f"元数据日志有 {log.bad_lines} 行无法读取，已用自动备份 {backup.label} 补上 {len(added)} 件记录。")
    return f"纯文本元数据日志和自动备份 {backup.label}", log


def _read_backup(backup: Backup) -> metalog.LogState:
    """A backup upgraded in a temporary copy (it may be of an older schema) and read."""
    from sqlalchemy.orm import Session

    with tempfile.TemporaryDirectory(prefix="jiaarchive-repair-") as tmp:
        copy = Path(tmp) / "backup.db"
        shutil.copyfile(backup.path, copy)
        engine = db_session.make_engine(f"sqlite:///{copy}")
        try:
            db_session.upgrade(engine)
            with Session(engine) as s:
                return metalog.snapshot(s)
        finally:
            engine.dispose()


def _write(data: metalog.LogState, target: Path, root: Path, areas: tuple[str, ...], report: RepairReport) -> None:
    """A new database at ``target`` holding ``data``; records that cannot be taken are skipped and said."""
    engine = db_session.make_engine(f"sqlite:///{target}")
    try:
        db_session.upgrade(engine)
        rows: dict[object, list[dict]] = {t: [] for t in (Record, File, RecordTag, RecordItem, ArchiveNumber, PhotoLabelRow)}
        numbers_seen: set[str] = set()
        paths_seen: set[str] = set()
        for rid in sorted(data.records):
            rec = data.records[rid]
            try:
                taken = _record_rows(rec, root, areas, numbers_seen, paths_seen)
            except (UnsafePath, ValueError, TypeError, KeyError, AttributeError) as exc:
                report.skipped.append(f"元数据中编号 {rid} 的记录（{str(rec.get('archive_no', ''))[:80]}）：{exc}")
                continue
            for table, new in taken.items():
                rows[table].extend(new)
        history = [_values(AuditEntry, e) for _i, e in sorted(data.audit.items())]
        with engine.begin() as conn:
            for table, new in rows.items():
                if new:
                    conn.execute(insert(table.__table__), new)
            for table, new in ((AuditEntry, history), (ProfileFact, [_values(ProfileFact, r) for r in data.profile]),
                               (ItemScore, [_values(ItemScore, r) for r in data.scores])):
                if new:
                    conn.execute(insert(table.__table__), new)
        report.records = len(rows[Record])
        report.files = len(rows[File])
        report.numbers = len(rows[ArchiveNumber])
        report.history = len(history)
    except BaseException:
        engine.dispose()
        _remove_db_files(target)
        raise
    engine.dispose()


def _values(model: object, data: dict) -> dict:
    return metalog.row_values(model.__table__, data)  # type: ignore[attr-defined]


def _record_rows(rec: dict, root: Path, areas: tuple[str, ...], numbers_seen: set[str], paths_seen: set[str]) -> dict[object, list[dict]]:
    """The rows of one record from its snapshot, every path checked (a log may come from elsewhere)."""
    rid = int(rec["id"])
    record = _values(Record, rec)
    files = [_values(File, f) for f in rec.get("files", [])]
    numbers = [_values(ArchiveNumber, {**n, "record_id": rid}) for n in rec.get("numbers", [])]
    for f in files:
        if f["record_id"] != rid:
            raise ValueError("文件属于另一件记录")
        for key in ("path", "home_path"):
            if f.get(key):
                storage.check_inside(root, f[key], areas)
        if f["path"] in paths_seen:
            raise ValueError(f"文件路径“{f['path']}”与另一件记录重复")
    mine = {n["archive_no"] for n in numbers} | {record["archive_no"]}
    if mine & numbers_seen:
        raise ValueError(f"档号 {'、'.join(sorted(mine & numbers_seen))} 与另一件记录重复")
    if not any(n["archive_no"] == record["archive_no"] for n in numbers):
        raise ValueError("缺少当前档号的编号记录")
    file_ids = {f["id"] for f in files}
    # what the last photo check found is derived: left out, the next `photos check` (or a look at the
    # photos) finds it again, instead of showing findings older than the label
    photos = [_values(PhotoLabelRow, {k: v for k, v in p.items() if k not in metalog.DERIVED_PHOTO})
              for p in rec.get("photos", []) if p.get("file_id") in file_ids]
    numbers_seen.update(mine)
    paths_seen.update(f["path"] for f in files)
    return {
        Record: [record],
        File: files,
        RecordTag: [{"record_id": rid, "tag": str(t)} for t in rec.get("tags", [])],
        RecordItem: [{"record_id": rid, "sheet_id": str(sheet), "item_no": int(no)} for sheet, no in rec.get("items", [])],
        ArchiveNumber: numbers,
        PhotoLabelRow: photos,
    }


def _set_aside(db: Path, root: Path) -> Path | None:
    """Move the old database (and its -wal, -shm) out of the way, never deleting it."""
    present = [Path(f"{db}{suffix}") for suffix in ("", "-wal", "-shm") if Path(f"{db}{suffix}").exists()]
    if not present:
        return None
    folder = root / DAMAGED_DIR / datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    folder.mkdir(parents=True)
    for p in present:
        p.replace(folder / p.name)
    return folder


def _remove_db_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)

