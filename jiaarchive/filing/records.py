"""The one writer of records and files (件): filing, attaching, editing, removing, restoring, and
rewriting a filed file (a photo's label).

Nothing else in jiaarchive writes ``File`` rows or moves archive files.  The faces do not call
``file_document`` or ``attach_files`` themselves: they go through the intake run
(``filing.intake``), which walks, checks, asks and reports one outcome per file.  Each change
is one database transaction plus journaled file operations (see ``storage``), and one audit
entry; the search index follows in the same call (``indexing``).

Two processes may change the archive at once (the TUI and a command in another window).  What a
change decides from the database — that a file is not filed yet, the next 件号, the record's
current values and the names its files will take — is read inside its write transaction
(``Archive.transaction``), never before it; only the slow, harmless work (hashing and copying
the files in) happens outside.  An edit therefore lands on top of the one before it; given the
``base`` view a form was opened with, an edit of a field someone else has just changed is
refused with ``RecordChanged`` (该记录刚被修改，请重试) instead of silently undoing theirs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from .. import audit, locks, storage
from ..archive import Archive
from ..db.models import ACTIVE, TRASHED, ArchiveNumber, File, PhotoLabelRow, Record, RecordItem, RecordTag
from ..errors import BadValue, DuplicateFile, JiaError, RecordChanged, RecordNotFound, UnreadableFile
from ..progress import Reporter, Tracker
from ..settings import TRASH_DIR
from ..storage import VERSIONS_DIR

MAX_TITLE = 120
SECRECY_LEVELS = ("", "内部", "秘密", "机密")


# ---------------------------------------------------------------- views handed to the UIs


@dataclass(frozen=True)
class FileView:
    id: int
    path: str  # relative to the archive root, '/' separated
    original_name: str
    original_path: str
    sha256: str
    size: int
    kind: str
    mime: str
    filed_at: datetime
    status: str
    home_path: str
    link_target: str = ""  # the clerk filed a symbolic link pointing here

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def notes(self) -> tuple[str, ...]:
        """What the clerk should know about how this file came in (said at filing, kept in ``show``)."""
        out = []
        if self.link_target:
            out.append(f"“{self.original_name}”是快捷方式（符号链接），已归档它指向的文件“{self.link_target}”。请确认这是要归档的文件。")
        if storage.undecodable(self.original_name):
            out.append(f"原文件名“{self.original_name}”中有无法识别的字符（以 � 表示），已保留能识别的部分。请核对题名。")
        return tuple(out)


@dataclass(frozen=True)
class RecordView:
    id: int
    archive_no: str
    code: str
    year: int
    seq: int
    retention: str
    title: str
    doc_no: str
    responsible: str
    date: date | None
    date_source: str
    filed_at: datetime
    updated_at: datetime
    pages: int | None
    secrecy: str
    remarks: str
    status: str
    tags: tuple[str, ...]
    items: tuple[int, ...]
    files: tuple[FileView, ...]
    former_archive_nos: tuple[str, ...]

    @property
    def trashed(self) -> bool:
        return self.status == TRASHED

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(n for f in self.files for n in f.notes)

    def to_json(self) -> dict[str, Any]:
        return {
            "archive_no": self.archive_no,
            "code": self.code,
            "year": self.year,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "doc_no": self.doc_no,
            "responsible": self.responsible,
            "retention": self.retention,
            "pages": self.pages,
            "secrecy": self.secrecy,
            "remarks": self.remarks,
            "tags": list(self.tags),
            "items": list(self.items),
            "status": self.status,
            "filed_at": self.filed_at.isoformat(timespec="seconds"),
            "former_archive_nos": list(self.former_archive_nos),
            "files": [
                {
                    "path": f.path,
                    "sha256": f.sha256,
                    "size": f.size,
                    "kind": f.kind,
                    "original_name": f.original_name,
                    "original_path": f.original_path,
                    "filed_at": f.filed_at.isoformat(timespec="seconds"),
                    "link_target": f.link_target,
                }
                for f in self.files
            ],
        }


def _file_view(f: File) -> FileView:
    return FileView(
        id=f.id,
        path=f.path,
        original_name=f.original_name,
        original_path=f.original_path,
        sha256=f.sha256,
        size=f.size,
        kind=f.kind,
        mime=f.mime,
        filed_at=f.filed_at,
        status=f.status,
        home_path=f.home_path or f.path,
        link_target=f.link_target or "",
    )


def _view(r: Record) -> RecordView:
    return RecordView(
        id=r.id,
        archive_no=r.archive_no,
        code=r.code,
        year=r.year,
        seq=r.seq,
        retention=r.retention,
        title=r.title,
        doc_no=r.doc_no,
        responsible=r.responsible,
        date=r.doc_date,
        date_source=r.date_source,
        filed_at=r.filed_at,
        updated_at=r.updated_at,
        pages=r.pages,
        secrecy=r.secrecy,
        remarks=r.remarks,
        status=r.status,
        tags=tuple(t.tag for t in r.tags),
        items=tuple(sorted({i.item_no for i in r.items})),
        files=tuple(_file_view(f) for f in r.files),
        former_archive_nos=tuple(n.archive_no for n in r.numbers if not n.current),
    )


def _snapshot(r: Record) -> dict[str, Any]:
    """A record's values for the audit log."""
    v = _view(r)
    return {
        "archive_no": v.archive_no,
        "code": v.code,
        "year": v.year,
        "title": v.title,
        "date": v.date.isoformat() if v.date else None,
        "doc_no": v.doc_no,
        "responsible": v.responsible,
        "retention": v.retention,
        "pages": v.pages,
        "secrecy": v.secrecy,
        "remarks": v.remarks,
        "tags": list(v.tags),
        "items": list(v.items),
        "status": v.status,
        "files": [f.path for f in v.files],
    }


# ---------------------------------------------------------------- what a clerk sets


@dataclass(frozen=True)
class Draft:
    """The fields a clerk may set when filing; None means "take it from the file"."""

    code: str
    title: str | None = None
    date: date | None = None
    year: int | None = None
    doc_no: str = ""
    responsible: str = ""
    retention: str | None = None
    pages: int | None = None
    secrecy: str = ""
    remarks: str = ""
    tags: tuple[str, ...] = ()
    items: tuple[int, ...] = field(default=())


def check_title(title: str) -> str:
    """A title typed by a clerk, or BadValue saying what is wrong with it."""
    t = title.strip()
    if not t:
        raise BadValue("题名不能为空。")
    if storage.has_control(t):
        raise BadValue(f"题名“{t!r}”含有控制字符（如换行、制表符），请删除后再试。")
    if "/" in t or "\\" in t:
        raise BadValue(f"题名“{t}”含有“/”或“\\”，这会被当作文件夹分隔符。请改用“／”或“-”。")
    if t.startswith("..") or set(t) <= {"."}:
        raise BadValue(f"题名“{t}”以“..”开头，这在文件系统中表示上级文件夹，请修改。")
    if len(t) > MAX_TITLE:
        raise BadValue(f"题名过长（{len(t)} 字），最多 {MAX_TITLE} 字。请精简题名，详细内容可写在备注中。")
    return t


def check_date(d: date, what: str = "形成日期") -> date:
    today = date.today()
    if d.year < 1949 or d > today.replace(year=today.year + 1):
        raise BadValue(f"{what} {d.isoformat()} 不合理（应在 1949 年至明年之间）。")
    return d


def parse_date(text: str, what: str = "日期") -> date:
    """Dates as clerks type them: 2021-05-01, 2021/5/1, 2021.5.1, 2021年5月1日."""
    t = text.strip()
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", t) or re.fullmatch(
        r"(\d{4})(\d{2})(\d{2})", t
    )
    if not m:
        raise BadValue(f"{what}“{text}”无法识别，请写成 2021-05-01 的形式。")
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise BadValue(f"{what}“{text}”不存在（请检查月份和日期）。") from None


def _check_items(archive: Archive, items: Iterable[int]) -> tuple[int, ...]:
    items = tuple(sorted(set(int(i) for i in items)))
    if not items:
        return ()
    sheet = archive.scoresheet
    if sheet is None:
        raise BadValue(f"{archive.unit_type}（{archive.level}）没有对应的先进评分表，不能关联评分项目。")
    valid = {i.no for i in sheet.items}
    bad = [i for i in items if i not in valid]
    if bad:
        raise BadValue(f"评分表“{sheet.title}”中没有第 {'、'.join(map(str, bad))} 项（共 {len(valid)} 项）。")
    return items


def _check_tags(tags: Iterable[str]) -> tuple[str, ...]:
    out = []
    for t in tags:
        t = t.strip()
        if not t:
            continue
        if storage.has_control(t) or len(t) > 30:
            raise BadValue(f"标签“{t}”无效（最多 30 字，不能含控制字符）。")
        if t not in out:
            out.append(t)
    return tuple(out)


# ---------------------------------------------------------------- numbering and names


def _allocate(s: Session, archive: Archive, code: str, year: int, retention: str) -> tuple[str, int]:
    """The next 件号 for this entry and year (never reused), and the 档号 it makes.

    Called inside the write transaction (``Archive.transaction``): no other process can take
    the same number between this read and the commit (PostgreSQL: the counter's own lock)."""
    locks.lock_counter(s, code, year)
    top = s.scalar(select(func.max(ArchiveNumber.seq)).where(ArchiveNumber.code == code, ArchiveNumber.year == year))
    seq = (top or 0) + 1
    pattern = archive.settings.archive_no_pattern
    try:
        number = pattern.format(code=code, year=year, seq=seq, retention=archive.standards.retention_code(retention))
    except (KeyError, IndexError, ValueError) as exc:
        raise BadValue(f"档号格式“{pattern}”无效（{exc}）。可用：{{code}} {{year}} {{retention}} {{seq}}。") from exc
    return number, seq


def _own_number(archive: Archive, rec: Record, code: str, year: int, retention: str) -> ArchiveNumber | None:
    """A number the record held before in this entry, year and 保管期限: moving it back (an undo)
    gives it back its own 档号 rather than a new one (still never another record's)."""
    for n in rec.numbers:
        if not n.current and n.code == code and n.year == year:
            try:
                again = archive.settings.archive_no_pattern.format(
                    code=code, year=year, seq=n.seq, retention=archive.standards.retention_code(retention))
            except (KeyError, IndexError, ValueError):
                return None
            if again == n.archive_no:
                return n
    return None


def _stored_name(d: date | None, title: str, ext: str, max_units: int) -> str:
    stem = f"{d.isoformat()} {title}" if d else title
    return storage.fit_file_name(stem, ext.lower(), max_units)


def _plan_paths(archive: Archive, folder: str, d: date | None, title: str, exts: Sequence[str], taken: set[str]) -> list[str]:
    room = storage.MAX_RELATIVE_PATH - storage.utf16_len(folder) - 1 - 6  # room for "（12）"
    out = []
    for i, ext in enumerate(exts):
        name = _stored_name(d, title if i == 0 else f"{title}（附{i}）", ext, room)
        rel = storage.unique_relative(archive.root, folder, name, taken)
        storage.check_relative_length(rel)
        taken.add(rel)
        out.append(rel)
    return out


# ---------------------------------------------------------------- filing


@dataclass(frozen=True)
class _Source:
    path: Path
    sha256: str
    size: int
    kind: str
    mime: str
    ext: str
    name: str
    link: str = ""  # where a symbolic link pointed
    origin: str = ""  # where the clerk's file was, when ``path`` is a copy (a zip member: 'a.zip!b/c.docx')


def _duplicate_of(s: Session, sha: str) -> tuple[str, str] | None:
    """(档号, status) of a record already holding this content, as filed or as received."""
    return s.execute(
        select(Record.archive_no, Record.status).join(File).where(File.sha256 == sha).limit(1)
    ).first() or s.execute(  # a photo as received, before its label changed the archive copy
        select(Record.archive_no, Record.status).join(File).join(PhotoLabelRow, PhotoLabelRow.file_id == File.id)
        .where(PhotoLabelRow.original_sha256 == sha).limit(1)
    ).first()


def _refuse_duplicates(s: Session, sources: Sequence[_Source]) -> None:
    """DuplicateFile naming the 档号 when any source is filed already (inside the transaction,
    this is the check that counts: two processes adding one file get one record)."""
    for src in sources:
        existing = _duplicate_of(s, src.sha256)
        if existing is not None:
            where = "（在回收站中）" if existing.status == TRASHED else ""
            raise DuplicateFile(
                f"文件“{src.origin or storage.display_path(src.path)}”已经归档过，档号 {existing.archive_no}{where}。",
                existing.archive_no,
            )


def _inspect_sources(archive: Archive, s: Session, paths: Sequence[Path], allow_duplicate: bool,
                     progress: Reporter | None = None, origins: Sequence[str] | None = None,
                     hashes: Sequence[str] | None = None) -> list[_Source]:
    from ..extract.sniff import sniff

    out: list[_Source] = []
    seen: dict[str, str] = {}
    track = Tracker("正在核对文件", len(paths), progress)
    for i, p in enumerate(paths):
        p = Path(p)
        origin = origins[i] if origins else ""
        track.start(p.name)
        link = storage.check_readable(p)
        if hashes:  # hashed by the intake run's check: the copy-in verifies it again (``_copy_in``)
            sha, size = hashes[i], p.stat().st_size
        else:
            sha, size = storage.hash_file(p)
        shown = origin or storage.display_path(p)
        src = _Source(p, sha, size, "", "", "", "", link, origin)
        if not allow_duplicate:
            _refuse_duplicates(s, [src])  # early, before anything is copied
            if sha in seen:
                raise DuplicateFile(f"文件“{shown}”与“{seen[sha]}”内容完全相同，请只保留一份。", "")
        seen[sha] = shown
        ftype = sniff(p)
        name = storage.decoded_name(p)
        ext = ftype.ext if ftype.kind not in ("unknown", "text") else os.path.splitext(name)[1]
        out.append(_Source(p, sha, size, ftype.kind, ftype.mime, ext or "", name, link, origin))
        track.advance()
    return out


def _copy_in(change: storage.Change, sources: Sequence[_Source], track: Tracker | None = None) -> list[Path]:
    """Copy every source to a temporary file of ``change``; BadValue when one changed meanwhile."""
    temps = []
    for src in sources:
        tmp = change.temp()
        temps.append(tmp)
        if track is not None:
            track.start(src.name)
        sha, _size = storage.copy_to_temp(src.path, tmp)
        if track is not None:
            track.advance()
        if sha != src.sha256:
            raise BadValue(f"文件“{src.origin or storage.display_path(src.path)}”在归档过程中被修改，请关闭正在编辑它的程序后重试。")
    return temps


def file_document(
    archive: Archive, paths: Sequence[Path], draft: Draft, *, allow_duplicate: bool = False,
    origins: Sequence[str] | None = None, hashes: Sequence[str] | None = None,
    progress: Reporter | None = None,
) -> RecordView:
    """File one record (件) holding ``paths`` (one or more files) under ``draft.code``.

    Every file is copied in; the originals are never moved or changed.  Raises a JiaError
    subclass (and leaves the archive unchanged) for any input a clerk could get wrong.
    ``progress`` hears of each file copied (see ``jiaarchive.progress``).
    """
    archive.require_writable()
    if not paths:
        raise BadValue("没有要归档的文件。")
    entry = archive.entry(draft.code)
    with archive.session() as s:
        sources = _inspect_sources(archive, s, paths, allow_duplicate, origins=origins, hashes=hashes)
    items = _check_items(archive, draft.items)
    tags = _check_tags(draft.tags)
    if draft.secrecy not in SECRECY_LEVELS:
        raise BadValue(f"密级“{draft.secrecy}”无效，可选：{'、'.join(x or '（空）' for x in SECRECY_LEVELS)}。")
    if draft.pages is not None and draft.pages < 0:
        raise BadValue("页数不能为负数。")

    from ..derive import propose, total_pages

    first = propose(sources[0].path)
    title = check_title(draft.title) if draft.title is not None else first.title
    when, when_source = (check_date(draft.date), "manual") if draft.date else (first.date, first.date_source)
    year = draft.year or (when.year if when else archive.now().year)
    pages = draft.pages if draft.pages is not None else (
        first.pages if len(sources) == 1 else total_pages([src.path for src in sources]))
    retention = draft.retention or archive.retention_for(entry.code)
    archive.standards.retention_code(retention)  # validates the name

    now = archive.now()
    folder = archive.year_folder(entry.code, year)
    storage.ensure_space(archive.root, sum(src.size for src in sources))
    with archive.change() as change:
        storage.fault("file.after_journal")  # the owner lock exists, nothing is copied yet
        temps = _copy_in(change, sources, Tracker("正在复制文件", len(sources), progress))
        storage.fault("file.after_copy")
        with archive.transaction(change, "file") as s:
            if not allow_duplicate:
                locks.lock_content(s, [src.sha256 for src in sources])
                _refuse_duplicates(s, sources)
            locks.lock_counter(s, entry.code, year)  # its 件号 and the names in its folder
            taken = set(s.scalars(select(File.path).where(File.path.like(f"{folder}/%"))))
            rels = _plan_paths(archive, folder, when, title, [src.ext for src in sources], taken)
            number, seq = _allocate(s, archive, entry.code, year, retention)
            rec = Record(
                archive_no=number, code=entry.code, year=year, seq=seq, retention=retention,
                title=title, doc_no=draft.doc_no.strip(), responsible=draft.responsible.strip(),
                doc_date=when, date_source=when_source, filed_at=now, updated_at=now,
                pages=pages, secrecy=draft.secrecy, remarks=draft.remarks.strip(), status=ACTIVE,
            )
            s.add(rec)
            s.flush()
            s.add(ArchiveNumber(archive_no=number, record_id=rec.id, code=entry.code, year=year, seq=seq, assigned_at=now, current=True))
            rec.files.extend(_new_files(sources, rels, now))
            rec.tags = [RecordTag(tag=t) for t in tags]
            if items and archive.scoresheet is not None:
                rec.items = [RecordItem(sheet_id=archive.scoresheet.id, item_no=i) for i in items]
            s.flush()
            audit.log(s, "file", at=now, archive_no=number, record_id=rec.id, after=_snapshot(rec))
            mark_for_index(archive, rec.id)
            change.plan([storage.Move(src=change.rel(t), dst=rel, sha256=src.sha256) for t, rel, src in zip(temps, rels, sources)])
            storage.fault("file.before_commit")
            record_id = rec.id
    view = get_record(archive, record_id)
    reindex(archive, [view.id])
    return view


def _new_files(sources: Sequence[_Source], rels: Sequence[str], now: datetime, start: int = 0) -> list[File]:
    return [
        File(
            position=start + i, path=rel, home_path=rel, original_name=src.name,
            original_path=src.origin or storage.display_path(src.path.absolute()), sha256=src.sha256,
            size=src.size, kind=src.kind, mime=src.mime, filed_at=now, status=ACTIVE, link_target=src.link,
        )
        for i, (src, rel) in enumerate(zip(sources, rels))
    ]


# ---------------------------------------------------------------- reading


def _load(s: Session, ref: str | int, *, lock: bool = False) -> Record:
    """The record ``ref`` names; ``lock``: about to be changed, so PostgreSQL locks its row
    (``FOR UPDATE``) until the transaction ends and a second writer reads it after this one."""
    opts = (selectinload(Record.files), selectinload(Record.tags), selectinload(Record.items), selectinload(Record.numbers))
    update = lock and locks.for_update(s)
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        rec = s.get(Record, int(ref), options=opts, with_for_update=update, populate_existing=update)
    else:  # a 档号 as typed: separators, case, short 件号, prefixes, former numbers (see numbers.py)
        from ..numbers import find

        rec = s.get(Record, find(s, ref), options=opts, with_for_update=update, populate_existing=update)
    if rec is None:
        raise RecordNotFound(f"找不到档号为“{ref}”的记录。可用 jiaarchive ls 查看全部档号。")
    return rec


def get_record(archive: Archive, ref: str | int) -> RecordView:
    with archive.session() as s:
        return _view(_load(s, ref))


def _where(q, *, code: str | None, year: int | tuple[int, int] | None, item: int | None, tag: str | None,  # noqa: ANN001, ANN202
           text: str | None, status: str | None, ids: Sequence[int] | None):
    """The record filters of ``list_records`` and ``count_records``."""
    if status:
        q = q.where(Record.status == status)
    if code:
        c = code.strip().upper()
        q = q.where(or_(Record.code == c, Record.code.like(f"{c}-%"))) if "-" in c else q.where(Record.code.like(f"{c}-%"))
    if isinstance(year, tuple):
        q = q.where(Record.year.between(*year))
    elif year:
        q = q.where(Record.year == year)
    if item is not None:
        q = q.where(Record.items.any(RecordItem.item_no == item))
    if tag:
        q = q.where(Record.tags.any(RecordTag.tag == tag))
    if text:
        q = q.where(Record.title.contains(text.strip()))
    if ids is not None:
        q = q.where(Record.id.in_(list(ids)))
    return q


def list_records(
    archive: Archive,
    *,
    code: str | None = None,
    year: int | tuple[int, int] | None = None,
    item: int | None = None,
    tag: str | None = None,
    text: str | None = None,
    status: str | None = ACTIVE,
    limit: int | None = None,
    offset: int = 0,
    ids: Sequence[int] | None = None,
) -> list[RecordView]:
    """Records in 档号 order (``ids``: these records, in that order).  ``code`` may be a volume
    letter (A), an entry (A-1) or a parent entry."""
    q = select(Record).options(
        selectinload(Record.files), selectinload(Record.tags), selectinload(Record.items), selectinload(Record.numbers)
    )
    q = _where(q, code=code, year=year, item=item, tag=tag, text=text, status=status, ids=ids)
    q = q.order_by(Record.code, Record.year, Record.seq).offset(offset)
    if limit:
        q = q.limit(limit)
    with archive.session() as s:
        views = [_view(r) for r in s.scalars(q)]
    if ids is not None:
        rank = {rid: i for i, rid in enumerate(ids)}
        views.sort(key=lambda v: rank.get(v.id, len(rank)))
    return views


def count_records(archive: Archive, *, code: str | None = None, year: int | tuple[int, int] | None = None,
                  item: int | None = None, tag: str | None = None, text: str | None = None,
                  status: str | None = ACTIVE) -> int:
    """How many records ``list_records`` would give with these filters."""
    q = _where(select(func.count(Record.id)), code=code, year=year, item=item, tag=tag, text=text, status=status, ids=None)
    with archive.session() as s:
        return s.scalar(q) or 0


def tag_counts(archive: Archive, status: str = ACTIVE) -> dict[str, int]:
    """Every tag in use with its record count, for the tag filter."""
    with archive.session() as s:
        rows = s.execute(select(RecordTag.tag, func.count()).join(Record, Record.id == RecordTag.record_id)
                         .where(Record.status == status).group_by(RecordTag.tag).order_by(RecordTag.tag))
        return {t: n for t, n in rows}


def counts(archive: Archive, status: str = ACTIVE) -> dict[tuple[str, int], int]:
    """Record counts per (code, year), for the catalogue tree."""
    with archive.session() as s:
        rows = s.execute(select(Record.code, Record.year, func.count()).where(Record.status == status).group_by(Record.code, Record.year))
        return {(c, y): n for c, y, n in rows}


# ---------------------------------------------------------------- changing


EDITABLE = ("code", "title", "date", "year", "doc_no", "responsible", "retention", "pages", "secrecy", "remarks", "tags", "items")
FIELD_LABELS = {
    "code": "目录", "title": "题名", "date": "形成日期", "year": "年度", "doc_no": "文号", "responsible": "责任者",
    "retention": "保管期限", "pages": "页数", "secrecy": "密级", "remarks": "备注", "tags": "标签", "items": "评分项目",
}


def _checked_changes(archive: Archive, changes: dict[str, Any]) -> dict[str, Any]:
    """The requested changes, each checked and normalised (no record is needed for this).

    None means "leave as it is" (except for 页数, where it clears); so does an empty code, year
    or 保管期限."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise BadValue(f"不能修改字段：{'、'.join(sorted(unknown))}。")
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if (value is None and key != "pages") or (key in ("code", "year", "retention") and not value):
            continue
        if key == "code":
            value = archive.entry(value).code
        elif key == "title":
            value = check_title(value)
        elif key == "date":
            value = check_date(value)
        elif key == "year":
            value = int(value)
        elif key == "retention":
            archive.standards.retention_code(value)
        elif key == "items":
            value = _check_items(archive, value)
        elif key == "tags":
            value = _check_tags(value)
        elif key == "secrecy" and value not in SECRECY_LEVELS:
            raise BadValue(f"密级“{value}”无效。")
        elif key == "pages" and value is not None:
            value = int(value)
            if value < 0:
                raise BadValue("页数不能为负数。")
        elif key in ("doc_no", "responsible", "remarks"):
            value = str(value).strip()
        out[key] = value
    return out


def _field(view: RecordView, key: str) -> Any:
    return view.date if key == "date" else getattr(view, key)


def _merge(base: RecordView, cur: RecordView, changes: dict[str, Any]) -> dict[str, Any]:
    """A three-way merge of an edit made on ``base`` into the record as it is now: a field left as
    it was in ``base`` keeps the current value; a field someone else has changed since may not be
    changed here too (RecordChanged), so neither edit is silently lost."""
    changes = {k: v for k, v in changes.items() if v != _field(base, k)}
    clashes = [k for k, v in changes.items() if _field(base, k) != _field(cur, k) and v != _field(cur, k)]
    if clashes:
        fields = "、".join(FIELD_LABELS[k] for k in clashes)
        raise RecordChanged(f"该记录刚被修改，请重试。（{cur.archive_no} 的{fields}刚被其他人改过，请重新打开记录后再修改。）")
    return changes


def edit_record(archive: Archive, ref: str | int, *, base: RecordView | None = None, **changes: Any) -> RecordView:
    """Change a record's fields.  A new code, year or 保管期限 re-files it: a new 档号 (the old one
    is kept in its history and still finds it) and its files move to the new folder.

    The record is read inside the write transaction, so the edit lands on top of any edit that
    committed before it.  ``base``: the view the clerk's form showed; a field that changed since
    in the database and is changed here too raises RecordChanged (该记录刚被修改，请重试).
    """
    archive.require_writable()
    changes = _checked_changes(archive, changes)
    now = archive.now()
    with archive.change() as change:
        with archive.transaction(change, "edit") as s:
            rec = _load(s, ref, lock=True)
            if rec.status == TRASHED:
                raise BadValue(f"记录 {rec.archive_no} 在回收站中，请先恢复再修改。")
            cur = _view(rec)
            if base is not None:
                changes = _merge(base, cur, changes)
            code = changes.get("code", cur.code)
            title = changes.get("title", cur.title)
            when, when_source = (changes["date"], "manual") if "date" in changes else (cur.date, cur.date_source)
            year = changes.get("year") or (when.year if "date" in changes else cur.year)
            retention = changes.get("retention", cur.retention)
            refile = (code, year, retention) != (cur.code, cur.year, cur.retention)
            locks.lock_counter(s, code, year)  # the names in the folder it goes to, and its 件号
            moves = _rename_moves(archive, s, cur, code, year, title, when) if refile or title != cur.title or when != cur.date else []
            before = _snapshot(rec)
            if refile:
                own = _own_number(archive, rec, code, year, retention)
                number, seq = (own.archive_no, own.seq) if own else _allocate(s, archive, code, year, retention)
                for n in rec.numbers:
                    n.current = False
                if own:
                    own.current = True
                else:
                    s.add(ArchiveNumber(archive_no=number, record_id=rec.id, code=code, year=year, seq=seq, assigned_at=now, current=True))
                rec.archive_no, rec.seq = number, seq
            rec.code, rec.year, rec.retention, rec.title = code, year, retention, title
            rec.doc_date, rec.date_source = when, when_source
            for key in ("doc_no", "responsible", "remarks", "secrecy"):
                if key in changes:
                    setattr(rec, key, changes[key])
            if "pages" in changes:
                rec.pages = changes["pages"]
            if "tags" in changes:
                rec.tags = [RecordTag(tag=t) for t in changes["tags"]]
            if "items" in changes:
                rec.items = (
                    [RecordItem(sheet_id=archive.scoresheet.id, item_no=i) for i in changes["items"]] if archive.scoresheet else []
                )
            by_id = {m.file_id: m.dst for m in moves}
            for f in rec.files:
                if f.id in by_id:
                    f.path = f.home_path = by_id[f.id]
            rec.updated_at = now
            s.flush()
            s.expire(rec, ["numbers"])
            audit.log(s, "refile" if refile else "edit", at=now, archive_no=rec.archive_no, record_id=rec.id, before=before, after=_snapshot(rec))
            mark_for_index(archive, rec.id)
            change.plan(moves)
            storage.fault("edit.before_commit")
            record_id = rec.id
    reindex(archive, [record_id])
    return get_record(archive, record_id)


def _rename_moves(archive: Archive, s: Session, cur: RecordView, code: str, year: int, title: str, when: date | None) -> list[storage.Move]:
    """Where a record's files go after an edit of its folder, title or date (inside the transaction)."""
    folder = archive.year_folder(code, year)
    own = {f.path for f in cur.files}
    taken = set(s.scalars(select(File.path).where(File.path.like(f"{folder}/%")))) - own
    # a labelled photo keeps the name its label gave it (date and 内容说明)
    labelled = set(s.scalars(select(PhotoLabelRow.file_id).where(
        PhotoLabelRow.file_id.in_([f.id for f in cur.files]), PhotoLabelRow.labelled_at.is_not(None))))
    # plan as if our own files were not there, so an unchanged name stays unchanged
    planned: list[str] = []
    for i, f in enumerate(cur.files):
        if f.id in labelled:
            name = f.name
        else:
            ext = os.path.splitext(f.path)[1]
            name = _stored_name(when, title if i == 0 else f"{title}（附{i}）", ext, storage.MAX_RELATIVE_PATH - storage.utf16_len(folder) - 7)
        rel = f"{folder}/{name}"
        if rel in taken or (os.path.lexists(archive.root / rel) and rel not in own) or rel in planned:
            rel = storage.unique_relative(archive.root, folder, name, taken | set(planned) | (own - {f.path}))
        storage.check_relative_length(rel)
        planned.append(rel)
    return [storage.Move(src=f.path, dst=dst, file_id=f.id) for f, dst in zip(cur.files, planned) if f.path != dst]


def trash_record(archive: Archive, ref: str | int) -> RecordView:
    """Delete a record: its files move to 回收站/<档号>/ and it is marked; ``restore_record`` undoes it."""

    def plan(s: Session, cur: RecordView) -> list[storage.Move]:
        if cur.trashed:
            raise BadValue(f"记录 {cur.archive_no} 已在回收站中。")
        folder = f"{TRASH_DIR}/{storage.safe_name(cur.archive_no)}"
        taken = set(s.scalars(select(File.path).where(File.path.like(f"{folder}/%"))))
        moves = []
        for f in cur.files:
            rel = storage.unique_relative(archive.root, folder, f.name, taken)
            taken.add(rel)
            moves.append(storage.Move(src=f.path, dst=rel, file_id=f.id))
        return moves

    return _switch(archive, ref, plan, TRASHED, "trash")


def restore_record(archive: Archive, ref: str | int) -> RecordView:

    def plan(s: Session, cur: RecordView) -> list[storage.Move]:
        if not cur.trashed:
            raise BadValue(f"记录 {cur.archive_no} 不在回收站中，无需恢复。")
        archive.entry(cur.code)  # the entry may have been removed from the catalogue since
        taken: set[str] = set()
        moves = []
        for f in cur.files:
            home = f.home_path
            folder, name = home.rsplit("/", 1)
            in_db = set(s.scalars(select(File.path).where(File.path.like(f"{folder}/%"))))
            if os.path.lexists(archive.root / home) or home in taken or home in in_db:
                home = storage.unique_relative(archive.root, folder, name, taken | in_db)
            taken.add(home)
            moves.append(storage.Move(src=f.path, dst=home, file_id=f.id))
        return moves

    return _switch(archive, ref, plan, ACTIVE, "restore")


def _switch(archive: Archive, ref: str | int, plan: Any, status: str, action: str) -> RecordView:
    archive.require_writable()
    now = archive.now()
    with archive.change() as change:
        with archive.transaction(change, action) as s:
            rec = _load(s, ref, lock=True)
            moves = plan(s, _view(rec))
            before = _snapshot(rec)
            by_id = {m.file_id: m.dst for m in moves}
            for f in rec.files:
                f.path = by_id[f.id]
                f.status = status
                if status == ACTIVE:
                    f.home_path = f.path
            rec.status = status
            rec.trashed_at = now if status == TRASHED else None
            rec.updated_at = now
            s.flush()
            audit.log(s, action, at=now, archive_no=rec.archive_no, record_id=rec.id, before=before, after=_snapshot(rec))
            mark_for_index(archive, rec.id)
            change.plan(moves)
            storage.fault(f"{action}.before_commit")
            record_id = rec.id
    reindex(archive, [record_id])
    return get_record(archive, record_id)


def attach_files(archive: Archive, ref: str | int, paths: Sequence[Path], *, allow_duplicate: bool = False,
                 origins: Sequence[str] | None = None) -> RecordView:
    """Add more files to an existing record (e.g. the sign-in sheet to a meeting's minutes)."""
    archive.require_writable()
    with archive.session() as s:
        if _load(s, ref).status == TRASHED:
            raise BadValue(f"记录 {ref} 在回收站中，请先恢复。")
        sources = _inspect_sources(archive, s, paths, allow_duplicate, origins=origins)
    now = archive.now()
    storage.ensure_space(archive.root, sum(src.size for src in sources))
    with archive.change() as change:
        temps = _copy_in(change, sources)
        with archive.transaction(change, "attach") as s:
            rec = _load(s, ref, lock=True)
            if rec.status == TRASHED:
                raise BadValue(f"记录 {rec.archive_no} 在回收站中，请先恢复。")
            if not allow_duplicate:
                locks.lock_content(s, [src.sha256 for src in sources])
                _refuse_duplicates(s, sources)
            locks.lock_counter(s, rec.code, rec.year)
            folder = archive.year_folder(rec.code, rec.year)
            taken = set(s.scalars(select(File.path).where(File.path.like(f"{folder}/%"))))
            start = len(rec.files)
            room = storage.MAX_RELATIVE_PATH - storage.utf16_len(folder) - 7
            rels = []
            for i, src in enumerate(sources):
                name = _stored_name(rec.doc_date, f"{rec.title}（附{start + i}）", src.ext, room)
                rel = storage.unique_relative(archive.root, folder, name, taken)
                taken.add(rel)
                rels.append(rel)
            before = _snapshot(rec)
            rec.files.extend(_new_files(sources, rels, now, start))
            rec.updated_at = now
            s.flush()
            audit.log(s, "attach", at=now, archive_no=rec.archive_no, record_id=rec.id, before=before, after=_snapshot(rec))
            mark_for_index(archive, rec.id)
            change.plan([storage.Move(src=change.rel(t), dst=rel, sha256=src.sha256) for t, rel, src in zip(temps, rels, sources)])
            record_id = rec.id
    reindex(archive, [record_id])
    return get_record(archive, record_id)


# ---------------------------------------------------------------- rewriting a filed file


@dataclass(frozen=True)
class Rewrite:
    """How ``rewrite_file`` changes one filed file (today: a photo's label, ``photos.records``).

    ``transform`` edits a private copy of the file (its metadata; may raise a JiaError) or is
    None to keep the bytes; ``new_path`` gives its new archive path inside the write
    transaction (None: keep the path); ``update`` changes the rows that belong to the file
    (the photo label row) inside the same transaction, given the SHA-256 the content had before
    when it changed; ``snapshot`` is what the audit entry keeps before and after.
    """

    action: str  # the audit action, e.g. "photo_label"
    transform: Callable[[Path], None] | None
    new_path: Callable[[Session, File], str] | None
    update: Callable[[Session, File, str | None], None]
    snapshot: Callable[[Session, File], dict[str, Any]]
    version_ext: str  # the suffix the superseded bytes are kept under in the versions store
    after: Callable[[], None] | None = None  # run after the commit, before the index is updated
    step: str = "label"  # the change's name in fault points and recovery (``label.before_commit``)


def _version_dst(archive: Archive, change: storage.Change, sha: str, ext: str) -> str:
    """Where the superseded bytes go: the versions store, or a temporary file of the change
    (dropped at the end) when that content is already stored."""
    folder = archive.root / VERSIONS_DIR
    if folder.is_dir() and any(folder.glob(f"{sha}*")):
        return change.rel(change.temp(".superseded"))
    return f"{VERSIONS_DIR}/{sha}{ext}"


def active_file(archive: Archive, file_id: int, *, noun: str = "文件", doing: str = "修改") -> tuple[str, str, Path]:
    """(path, sha256, place on disk) of a filed file that is in use and present, read before a
    change to it (which checks again inside its transaction); a Chinese sentence otherwise."""
    with archive.session() as s:
        f = s.get(File, file_id)
        if f is None:
            raise RecordNotFound(f"找不到编号为 {file_id} 的{noun}。")
        rec = s.get(Record, f.record_id)
        if rec.status != ACTIVE or f.status != ACTIVE:
            raise BadValue(f"记录 {rec.archive_no} 在回收站中，请先恢复再{doing}。")
        cur_path, cur_sha = f.path, f.sha256
    src = archive.file_path(cur_path)
    if not src.is_file():
        raise UnreadableFile(f"{noun}“{cur_path}”不在档案文件夹中，请先运行 jiaarchive verify 检查。")
    return cur_path, cur_sha, src


def rewrite_file(archive: Archive, file_id: int, how: Rewrite) -> RecordView:
    """Change a filed file's bytes and/or name in one journaled change, keeping what it held.

    The pixels of a photo, the words of a document: ``how.transform`` only edits metadata; the
    bytes before are kept at ``.jiaarchive/versions/<sha256><ext>``.  The new copy is made as a
    temporary file of the change (after its journal's owner lock exists); inside the write
    transaction the file is read again, and one another process changed meanwhile is refused
    (该记录刚被修改，请重试).
    """
    archive.require_writable()
    cur_path, cur_sha, src = active_file(archive, file_id)
    shown = cur_path.rsplit("/", 1)[-1]
    now = archive.now()
    with archive.change() as change:
        tmp = change.temp()
        sha, _ = storage.copy_to_temp(src, tmp)
        if sha != cur_sha:
            raise BadValue(f"文件“{cur_path}”与归档时的校验值不一致，可能被改动过，请先运行 jiaarchive verify 检查。")
        if how.transform is not None:
            try:
                how.transform(tmp)
            except JiaError as exc:
                raise type(exc)(str(exc).replace(tmp.name, shown)) from exc
        new_sha, new_size = storage.hash_file(tmp)
        with archive.transaction(change, how.step) as s:
            f = s.get(File, file_id)
            rec = s.get(Record, f.record_id)
            if (f.path, f.sha256, f.status, rec.status) != (cur_path, cur_sha, ACTIVE, ACTIVE):
                raise RecordChanged(f"该记录刚被修改，请重试。（文件“{shown}”刚被其他人改过。）")
            new_rel = how.new_path(s, f) if how.new_path is not None else cur_path
            moves: list[storage.Move] = []
            if new_sha != cur_sha:
                vdst = _version_dst(archive, change, cur_sha, PurePosixPath(cur_path).suffix.lower() or how.version_ext)
                moves.append(storage.Move(src=cur_path, dst=vdst, file_id=file_id, sha256=new_sha))
                moves.append(storage.Move(src=change.rel(tmp), dst=new_rel, file_id=file_id, sha256=new_sha))
            elif new_rel != cur_path:
                moves.append(storage.Move(src=cur_path, dst=new_rel, file_id=file_id))
            before = how.snapshot(s, f)
            f.path = f.home_path = new_rel
            f.sha256, f.size = new_sha, new_size
            how.update(s, f, cur_sha if new_sha != cur_sha else None)
            rec.updated_at = now
            s.flush()
            audit.log(s, how.action, at=now, archive_no=rec.archive_no, record_id=rec.id, before=before,
                      after=how.snapshot(s, f))
            mark_for_index(archive, rec.id)
            change.plan(moves)
            storage.fault(f"{how.step}.before_commit")
            record_id = rec.id
    if how.after is not None:
        how.after()
    reindex(archive, [record_id])
    return get_record(archive, record_id)


def reindex(archive: Archive, record_ids: list[int]) -> bool:
    """Bring the search index up to date for these records (see ``indexing``).

    False when the index could not be updated now; the records stay marked behind and the
    next search or start catches up.  The filing itself has succeeded either way.  The texts
    are extracted first (slow, no lock); the records are then read and indexed under the
    archive write lock, so that an older copy of a record never lands after a newer one that
    another process committed and indexed meanwhile.
    """
    from .. import indexing

    indexing.extract_texts(archive, record_ids)
    with archive.write_lock.held():
        return indexing.update(archive, record_ids)


def mark_for_index(archive: Archive, record_id: int) -> None:
    """Inside the filing transaction, before it commits: a crash after the commit leaves the
    record marked behind, so the index catches up on the next start."""
    from .. import indexing

    indexing.mark_behind(archive, [record_id])
