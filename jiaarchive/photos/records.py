"""Photos in the archive (档案中的照片): stored check results, labels written into the archive copy,
captions and the A4 photo sheets of an entry.

The photo library (``inspect``, ``label``, ``caption``) works on files; this module ties it to
the archive. A ``PhotoLabelRow`` per filed photo keeps its label (拍摄时间、事由、地点、人物、
摄影者), what the last check found, and the difference hash used to spot the same picture filed
twice. ``label_photo`` changes the archive copy's metadata (never its pixels): the superseded
bytes go to the versions store ``.jiaarchive/versions/<sha256><ext>`` first, in the same
journaled, crash-safe way ``filing`` moves files.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from pathlib import Path, PurePosixPath

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from jiaarchive import filing, locks, storage
from jiaarchive.archive import Archive
from jiaarchive.db.models import ACTIVE, File, PhotoLabelRow, Record
from jiaarchive.errors import BadValue, RecordNotFound, UnsafePath
from jiaarchive.extract.sniff import IMAGE_KINDS
from jiaarchive.storage import VERSIONS_DIR
from jiaarchive.photos import meta
from jiaarchive.photos.errors import NotAPhoto
from jiaarchive.photos.formats import EXTENSION_FORMATS, read_head, sniff
from jiaarchive.photos.inspect import NEAR_DUPLICATE_BITS, PhotoReport, _name_warnings, check_photos, default_workers
from jiaarchive.photos.label import PhotoLabel, label_filename, write_label
from jiaarchive.progress import Reporter

# Suffixes treated as photos even when the content is not (a broken .jpg is a broken photo).
PHOTO_SUFFIXES = frozenset(EXTENSION_FORMATS) | {".gif", ".bmp", ".tif", ".tiff"}
_EXT_FOR = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "HEIF": ".heic"}
_SOURCE_LABELS = {"exif": "EXIF", "xmp": "XMP", "filename": "文件名", "record": "登记"}


@dataclass(frozen=True)
class PhotoInfo:
    """One photo of the archive: where it is, its label, and what the last check found (照片)."""

    file_id: int
    record_id: int
    archive_no: str
    record_title: str
    record_date: date | None
    path: str  # relative to the archive root, '/' separated
    sha256: str
    taken_at: datetime | None
    taken_at_source: str | None
    subject: str
    place: str
    people: str
    photographer: str
    width: int | None
    height: int | None
    format: str | None
    errors: tuple[str, ...]
    warnings: tuple[str, ...]
    checked_at: datetime | None
    labelled_at: datetime | None
    original_sha256: str | None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def label(self) -> PhotoLabel:
        return PhotoLabel(self.taken_at, self.subject, self.place or None, self.people or None, self.photographer or None)

    def caption(self) -> str:
        """The caption to print: the label's description, else the record's date and title."""
        if self.subject:
            return self.label.description()
        when = self.taken_at.strftime("%Y-%m-%d") if self.taken_at else (self.record_date.isoformat() if self.record_date else "")
        return f"{when} {self.record_title}".strip()

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "ok": self.ok,
            "errors": list(self.errors),
            "warnings": list(self.warnings),
            "taken_at": self.taken_at.strftime("%Y-%m-%d %H:%M") if self.taken_at else None,
            "taken_at_source": self.taken_at_source,
            "width": self.width,
            "height": self.height,
            "format": self.format,
            "archive_no": self.archive_no,
            "subject": self.subject,
            "place": self.place,
            "people": self.people,
            "photographer": self.photographer,
            "original_sha256": self.original_sha256,
        }


def source_label(source: str | None) -> str:
    """Where a capture time came from, in Chinese."""
    return _SOURCE_LABELS.get(source or "", "无")


def looks_like_photo(path: Path | str) -> bool:
    """True for files a clerk means as photos: a photo suffix, or image content under any name."""
    path = Path(path)
    if path.suffix.lower() in PHOTO_SUFFIXES:
        return True
    try:
        head = read_head(path)
    except OSError:
        return False
    return sniff(head) is not None


def _is_photo_row(kind: str, path: str) -> bool:
    return kind in IMAGE_KINDS or PurePosixPath(path).suffix.lower() in PHOTO_SUFFIXES


# ---------------------------------------------------------------- reading


def _info(f: File, r: Record, row: PhotoLabelRow | None) -> PhotoInfo:
    row = row or PhotoLabelRow(file_id=f.id)
    return PhotoInfo(
        file_id=f.id,
        record_id=r.id,
        archive_no=r.archive_no,
        record_title=r.title,
        record_date=r.doc_date,
        path=f.path,
        sha256=f.sha256,
        taken_at=row.taken_at,
        taken_at_source=row.taken_at_source or None,
        subject=row.subject or "",
        place=row.place or "",
        people=row.people or "",
        photographer=row.photographer or "",
        width=row.width,
        height=row.height,
        format=row.format or None,
        errors=tuple(json.loads(row.errors or "[]")),
        warnings=tuple(json.loads(row.warnings or "[]")),
        checked_at=row.checked_at,
        labelled_at=row.labelled_at,
        original_sha256=row.original_sha256,
    )


def _query(s: Session, *, record_id: int | None = None, file_ids: Iterable[int] | None = None):
    q = (
        select(File, Record, PhotoLabelRow)
        .join(Record, Record.id == File.record_id)
        .outerjoin(PhotoLabelRow, PhotoLabelRow.file_id == File.id)
        .where(Record.status == ACTIVE, File.status == ACTIVE)
        .order_by(File.id)
    )
    if record_id is not None:
        q = q.where(File.record_id == record_id)
    if file_ids is not None:
        q = q.where(File.id.in_(list(file_ids)))
    return [(f, r, row) for f, r, row in s.execute(q) if _is_photo_row(f.kind, f.path)]


def list_photos(archive: Archive, *, record_id: int | None = None, file_ids: Iterable[int] | None = None) -> list[PhotoInfo]:
    """The photos of the archive (or of one record), as stored; no file is read."""
    with archive.session() as s:
        return [_info(f, r, row) for f, r, row in _query(s, record_id=record_id, file_ids=file_ids)]


def record_photos(archive: Archive, record_id: int, *, check_unchecked: bool = True) -> list[PhotoInfo]:
    """The photos of one record, checking first those never checked."""
    if check_unchecked:
        unchecked = [p.file_id for p in list_photos(archive, record_id=record_id) if p.checked_at is None]
        if unchecked and not archive.read_only:
            check_archive_photos(archive, file_ids=unchecked)
    return list_photos(archive, record_id=record_id)


def photo_problems(archive: Archive, *, check_unchecked: bool = True) -> list[PhotoInfo]:
    """Every photo with an error or a warning (照片问题), errors first, then in filing order."""
    if check_unchecked and not archive.read_only:
        unchecked = [p.file_id for p in list_photos(archive) if p.checked_at is None]
        if unchecked:
            check_archive_photos(archive, file_ids=unchecked)
    rows = [p for p in list_photos(archive) if p.errors or p.warnings]
    return sorted(rows, key=lambda p: (not p.errors, p.file_id))


def view_has_photos(view: filing.RecordView) -> bool:
    """Whether a record holds a photo (from its view: no database or file access)."""
    return any(_is_photo_row(f.kind, f.path) for f in view.files)


# ---------------------------------------------------------------- checking


def _held_hashes(s: Session, exclude: set[int]) -> tuple[dict[str, str], list[tuple[int, str, str]]]:
    """(sha256 → path) of archive photos and their originals, and (dhash, sha256, path) for near-duplicates."""
    held: dict[str, str] = {}
    near: list[tuple[int, str, str]] = []
    for f, _r, row in _query(s):
        if f.id in exclude:
            continue
        held.setdefault(f.sha256, f.path)
        if row is not None and row.original_sha256:
            held.setdefault(row.original_sha256, f.path)
        if row is not None and row.dhash:
            near.append((int(row.dhash, 16), f.sha256, f.path))
    return held, near


def _near_archive(rep: PhotoReport, near: list[tuple[int, str, str]]) -> PhotoReport:
    if rep.dhash is None:
        return rep
    value = int(rep.dhash, 16)
    for other, sha, path in near:
        if sha != rep.sha256 and (value ^ other).bit_count() <= NEAR_DUPLICATE_BITS:
            if any("画面几乎相同" in w or "内容完全相同" in w for w in rep.warnings):
                return rep  # one duplicate finding per photo is enough
            note = (
                f"照片“{rep.path.name}”与档案中的“{PurePosixPath(path).name}”画面几乎相同，"
                "可能是同一张照片的转发或压缩副本，请只保留原图。"
            )
            return replace(rep, warnings=rep.warnings + (note,))
    return rep


def check_files(archive: Archive, paths: Sequence[Path | str], *, workers: int = 1,
                progress: Reporter | None = None) -> list[PhotoReport]:
    """Check photos not (yet) in the archive; duplicates are checked against every archive photo."""
    with archive.session() as s:
        held, near = _held_hashes(s, set())
    reports = check_photos([Path(p) for p in paths], workers=workers, now=archive.now(), known_hashes=held,
                           progress=progress)
    return [_near_archive(r, near) for r in reports]


def check_incoming(archive: Archive, paths: Sequence[Path | str], *, progress: Reporter | None = None) -> list[PhotoReport]:
    """The filing-time check: the photos among ``paths`` (by suffix or content), others skipped.

    Every path must be a regular file (``storage.check_readable``) before a byte of it is read:
    a FIFO or a device would otherwise hang the check.
    """
    for p in paths:
        storage.check_readable(Path(p))
    photos = [Path(p) for p in paths if looks_like_photo(p)]
    return check_files(archive, photos, workers=default_workers() if len(photos) > 8 else 1,
                       progress=progress) if photos else []


def check_archive_photos(
    archive: Archive,
    *,
    file_ids: Iterable[int] | None = None,
    workers: int = 1,
    progress: Reporter | None = None,
) -> list[PhotoReport]:
    """Check the archive's photos (all, or ``file_ids``) and store what was found.

    Report paths are relative to the archive root. A photo's label time stays as the clerk set
    it; an unlabelled photo takes the time the check found.
    """
    ids = set(file_ids) if file_ids is not None else None
    with archive.session() as s:
        rows = _query(s, file_ids=ids)
        held, near = _held_hashes(s, {f.id for f, _r, _row in rows}) if ids is not None else ({}, [])
        originals = {} if ids is not None else {row.original_sha256: f.path for f, _r, row in rows if row and row.original_sha256}
    targets = [(f.id, f.path) for f, _r, _row in rows if _safe(archive, f.path)]
    reports = check_photos([archive.root / p for _, p in targets], workers=workers, now=archive.now(),
                           known_hashes={**originals, **held}, progress=progress)
    out = []
    for (fid, rel), rep in zip(targets, reports):
        rep = _near_archive(replace(rep, path=Path(PurePosixPath(rel))), near)
        out.append(rep)
    times = _store(archive, [fid for fid, _ in targets], out)
    # the time the archive holds (set by the clerk, or found at filing) is the one reported
    return [replace(rep, taken_at=when, taken_at_source=source) if when else rep for rep, (when, source) in zip(out, times)]


def _safe(archive: Archive, rel: str) -> bool:
    """Whether a database path stays inside the archive (`verify` reports those that do not)."""
    try:
        archive.file_path(rel)
    except UnsafePath:
        return False
    return True


def _store(archive: Archive, file_ids: Sequence[int], reports: Sequence[PhotoReport]) -> list[tuple[datetime | None, str | None]]:
    """Store the findings; return the capture time and source each row now holds."""
    if archive.read_only or not file_ids:
        return [(None, None)] * len(file_ids)
    now = archive.now()
    times = []
    with archive.session() as s, s.begin():
        for fid, rep in zip(file_ids, reports):
            locks.lock_row(s, "photo_labels", fid)
            row = s.get(PhotoLabelRow, fid)
            if row is None:
                row = PhotoLabelRow(file_id=fid)
                s.add(row)
            _fill(row, rep, now)
            times.append((row.taken_at, row.taken_at_source or None))
    return times


def _fill(row: PhotoLabelRow, rep: PhotoReport, now: datetime) -> None:
    # A time the clerk set stays; so does one found at filing, where the source name (e.g.
    # mmexport…) said more than the archive name, which only carries the record's date.
    weak = rep.taken_at_source == "filename" and row.taken_at is not None
    if row.labelled_at is None and not weak:
        row.taken_at = rep.taken_at
        row.taken_at_source = rep.taken_at_source or ""
    row.width, row.height, row.format = rep.width, rep.height, rep.format or ""
    row.dhash = rep.dhash
    row.errors = json.dumps(list(rep.errors), ensure_ascii=False)
    row.warnings = json.dumps(list(rep.warnings), ensure_ascii=False)
    row.checked_at = now


def note_filed(archive: Archive, views: Iterable[filing.RecordView], reports: Sequence[PhotoReport]) -> None:
    """Fill the label rows of just-filed photos from the filing-time check (no second decode).

    Findings are re-worded for the archive copy: its name replaces the source name, and the
    file-name advice is given for the archive name.
    """
    by_sha = {r.sha256: r for r in reports if r.sha256}
    now = archive.now()
    noted = set()
    with archive.session() as s, s.begin():
        for view in views:
            for f in view.files:
                rep = by_sha.get(f.sha256)
                if rep is None:
                    continue
                src_name = rep.path.name
                naming = set(_name_warnings(src_name))

                def renamed(text: str) -> str:
                    return text.replace(f"“{src_name}”", f"“{f.name}”")

                warns = tuple(renamed(w) for w in rep.warnings if w not in naming) + tuple(_name_warnings(f.name))
                fixed = replace(rep, errors=tuple(renamed(e) for e in rep.errors), warnings=warns)
                locks.lock_row(s, "photo_labels", f.id)
                row = s.get(PhotoLabelRow, f.id) or PhotoLabelRow(file_id=f.id)
                s.add(row)
                _fill(row, fixed, now)
                noted.add(view.id)
    if noted and not archive.media_read_only:  # a capture time found in the source's name is kept in the log too
        from jiaarchive import metalog

        metalog.sync_quietly(archive, records=noted)


# ---------------------------------------------------------------- finding a photo


def resolve(archive: Archive, ref: str) -> list[int]:
    """File ids of the photos ``ref`` names: an archive path (relative or absolute) or a 档号."""
    text = ref.strip()
    candidates = []
    p = Path(text).expanduser()
    try:
        candidates.append(p.resolve().relative_to(archive.root.resolve()).as_posix())
    except (ValueError, OSError):
        pass
    candidates.append(text.replace("\\", "/"))
    with archive.session() as s:
        for rel in candidates:
            f = s.scalar(select(File).where(File.path == rel))
            if f is not None:
                if not _is_photo_row(f.kind, f.path):
                    raise NotAPhoto(f"“{rel}”不是照片，不能著录照片说明。")
                return [f.id]
    try:
        view = filing.get_record(archive, text)
    except RecordNotFound:
        raise RecordNotFound(f"找不到“{ref}”：既不是档案中的照片路径，也不是档号。") from None
    ids = [p.file_id for p in list_photos(archive, record_id=view.id)]
    if not ids:
        raise NotAPhoto(f"记录 {view.archive_no} 中没有照片。")
    return ids


# ---------------------------------------------------------------- labelling


def _check_text(value: str | None, what: str, limit: int) -> str:
    text = (value or "").strip()
    if storage.has_control(text):
        raise BadValue(f"{what}“{text!r}”含有控制字符，请删除后再试。")
    if len(text) > limit:
        raise BadValue(f"{what}过长（{len(text)} 字），最多 {limit} 字。")
    return text


def time_from_record(archive: Archive, file_id: int) -> datetime:
    """The record's 形成日期 as a capture date (no time of day), for the clerk to confirm."""
    with archive.session() as s:
        f = s.get(File, file_id)
        if f is None:
            raise RecordNotFound(f"找不到编号为 {file_id} 的照片文件。")
        rec = s.get(Record, f.record_id)
        if rec.doc_date is None:
            raise BadValue(f"记录 {rec.archive_no} 没有形成日期，无法作为照片的拍摄日期，请直接填写拍摄时间。")
        return datetime.combine(rec.doc_date, time())


def label_photo(archive: Archive, file_id: int, label: PhotoLabel, *, apply_name: bool = True) -> filing.RecordView:
    """Label a filed photo: write date and description into its metadata and, with ``apply_name``,
    rename it ``YYYY-MM-DD[ HH.MM] 内容说明.ext``.

    The pixels stay byte-identical; the bytes before the change are kept at
    ``.jiaarchive/versions/<sha256><ext>`` and the label row keeps the SHA-256 of the photo as
    received. HEIC files are only renamed (their label lives in the database): a sidecar beside
    them would be a file no record lists.  The labelled copy is made as a temporary file of the
    change (after its journal's owner lock exists); inside the write transaction the photo is
    read again, and a photo another process changed meanwhile is refused (该记录刚被修改，请重试).
    """
    archive.require_writable()
    subject = _check_text(label.subject, "内容说明（事由）", 120)
    if not subject:
        raise BadValue("照片的内容说明（事由）不能为空。")
    label = PhotoLabel(
        taken_at=label.taken_at,
        subject=subject,
        place=_check_text(label.place, "地点", 100) or None,
        people=_check_text(label.people, "人物", 200) or None,
        photographer=_check_text(label.photographer, "摄影者", 50) or None,
    )
    if label.taken_at is not None and not meta.plausible(label.taken_at, archive.now()):
        raise BadValue(f"拍摄时间 {label.taken_at:%Y-%m-%d %H:%M} 不合理（应在 {meta.MIN_PHOTO_YEAR} 年之后且不晚于今天）。")
    cur_path, _sha, src = filing.active_file(archive, file_id, noun="照片文件", doing="著录照片说明")
    name_shown = cur_path.rsplit("/", 1)[-1]
    kind = sniff(read_head(src))
    if kind is None:
        raise NotAPhoto(f"“{name_shown}”不是 JPEG、PNG、WebP 或 HEIC 照片，无法著录照片说明。")
    if apply_name and label.taken_at is None:
        raise BadValue(f"照片“{name_shown}”缺少拍摄日期，无法按“YYYY-MM-DD 内容说明”命名，请先填写拍摄时间。")
    now = archive.now()

    def update(s: Session, f: File, superseded: str | None) -> None:
        row = s.get(PhotoLabelRow, file_id)
        old_time = (row.taken_at, row.taken_at_source) if row else (None, "")
        if label.taken_at is None:
            source = ""
        elif label.taken_at == old_time[0] and old_time[1]:
            source = old_time[1]
        else:
            source = "record"  # set by the clerk (typed, or the record's date confirmed)
        if row is None:
            row = PhotoLabelRow(file_id=file_id)
            s.add(row)
        if superseded and not row.original_sha256:
            row.original_sha256 = superseded
        row.taken_at, row.taken_at_source = label.taken_at, source
        row.subject, row.place = label.subject, label.place or ""
        row.people, row.photographer = label.people or "", label.photographer or ""
        row.labelled_at = now

    # the file itself (bytes kept in the versions store, journaled move, File row, audit) is
    # written by filing, the one writer of archive files
    how = filing.Rewrite(
        action="photo_label",
        transform=None if kind == "HEIF" else (lambda tmp: write_label(tmp, label, now=now)),
        new_path=(lambda s, f: _labelled_name(archive, s, f.path, label, kind)) if apply_name else None,
        update=update,
        snapshot=lambda s, f: _label_snapshot(f, s.get(PhotoLabelRow, f.id) or PhotoLabelRow(file_id=f.id)),
        version_ext=_EXT_FOR[kind],
        after=lambda: check_archive_photos(archive, file_ids=[file_id]),
    )
    return filing.rewrite_file(archive, file_id, how)


def _labelled_name(archive: Archive, s: Session, cur_path: str, label: PhotoLabel, kind: str) -> str:
    """The photo's name after labelling, unique in its folder (inside the transaction)."""
    folder = cur_path.rsplit("/", 1)[0]
    taken = set(s.scalars(select(File.path).where(File.path.like(f"{folder}/%"))))
    ext = _EXT_FOR[kind]
    room = storage.MAX_RELATIVE_PATH - storage.utf16_len(folder) - 1 - 6  # room for "（12）"
    name = storage.fit_file_name(label_filename(label, ext).removesuffix(ext), ext, room)
    new_rel = f"{folder}/{name}"
    if new_rel != cur_path and (new_rel in taken or os.path.lexists(archive.root / new_rel)):
        new_rel = storage.unique_relative(archive.root, folder, name, taken - {cur_path})
    storage.check_relative_length(new_rel)
    return new_rel


def _label_snapshot(f: File, row: PhotoLabelRow) -> dict:
    return {
        "path": f.path,
        "sha256": f.sha256,
        "taken_at": row.taken_at.strftime("%Y-%m-%d %H:%M") if row.taken_at else None,
        "subject": row.subject or "",
        "place": row.place or "",
        "people": row.people or "",
        "photographer": row.photographer or "",
    }


def original_version(archive: Archive, file_id: int) -> Path | None:
    """The photo as received, from the versions store (None when it was never changed)."""
    with archive.session() as s:
        row = s.get(PhotoLabelRow, file_id)
        sha = row.original_sha256 if row else None
    if not sha:
        return None
    folder = archive.root / VERSIONS_DIR
    return next(iter(sorted(folder.glob(f"{sha}*"))), None) if folder.is_dir() else None


# ---------------------------------------------------------------- captions and sheets


def caption_photo(archive: Archive, file_id: int, dst: Path) -> Path:
    """Write a captioned copy of an archive photo to ``dst`` (outside the archive, usually)."""
    from jiaarchive.photos.caption import caption_image

    [info] = list_photos(archive, file_ids=[file_id]) or [None]
    if info is None:
        raise RecordNotFound(f"找不到编号为 {file_id} 的照片文件。")
    lines = [info.caption(), f"档号：{info.archive_no}"]
    caption_image(archive.file_path(info.path), dst, lines)
    return dst


def sheet_for_entry(
    archive: Archive,
    code: str,
    year: int | None,
    dst_pdf: Path,
    *,
    per_page: int = 4,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Lay out the photos of an entry (and year) on A4 pages with captions; returns pages written.

    Photos whose last check found an error (cannot be decoded) are left out and named through
    ``progress``.
    """
    from jiaarchive.photos.caption import photo_sheet

    entry = archive.entry(code.strip().upper())
    records = filing.list_records(archive, code=entry.code, year=year)
    items: list[tuple[Path, str]] = []
    for view in records:
        photos = record_photos(archive, view.id, check_unchecked=True)
        for p in photos:
            if p.errors:
                if progress:
                    progress(f"照片“{p.path}”无法解码，未排入照片页。")
                continue
            items.append((archive.file_path(p.path), f"{p.archive_no}　{p.caption()}"))
    when = f"{year} 年" if year else "全部年度"
    if not items:
        raise BadValue(f"目录 {entry.code}（{when}）中没有可排版的照片。")
    title = f"{archive.settings.unit}　{entry.code} {entry.title}　{when}照片"
    return photo_sheet(items, dst_pdf, title=title, per_page=per_page)


# ---------------------------------------------------------------- names as the notice asks


@dataclass(frozen=True)
class NamedPhoto:
    """A filed photo and whether its name gives a time and a content description the clerk or the
    photo itself supplied (图片请命名备注时间、内容说明), with what is wrong when not."""

    file_id: int
    archive_no: str
    path: str
    ok: bool
    problems: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


# Record date sources (filing.date_source) that are the clerk's own word.
_CLERK_DATE_SOURCES = frozenset({"manual"})
# Capture-time sources (PhotoLabelRow.taken_at_source) read from the photo's own metadata.
_OWN_TIME_SOURCES = frozenset({"exif", "xmp", "record"})
_DATE_SOURCE_PROBLEM = {
    "mtime": "文件名中的日期是归档时取自文件修改时间（程序的默认值），不是拍摄时间，也不是干事填写的日期",
    "properties": "文件名中的日期取自文件属性，不是拍摄时间",
    "exif": "文件名中的日期取自同一件中另一张照片的拍摄时间，这张照片没有自己的拍摄时间",
}


def _date_problem(date_source: str, original_name: str, labelled: bool, time_source: str) -> str:
    """'' when the date in the archive name came from the clerk or the photo; else why not."""
    if date_source in _CLERK_DATE_SOURCES or labelled or time_source in _OWN_TIME_SOURCES:
        return ""
    if date_source == "filename":
        found = meta.filename_time(original_name)
        if found is None:
            return "文件名中的日期取自同一件中另一个文件的名称，不是这张照片的拍摄时间"
        if found.save_time:
            return "文件名中的日期取自微信等保存图片的时间，不是拍摄时间"
        return ""  # the clerk (or the camera) wrote it into the name the file came with
    return _DATE_SOURCE_PROBLEM.get(date_source, "文件名中的日期不是拍摄时间，也不是干事填写的日期")


def naming_check(archive: Archive, years: tuple[int, int]) -> list[NamedPhoto]:
    """Every photo of the records of ``years``, in archive order, with its naming problems.

    A name counts only when it has a date and a content description, and the date came from
    the clerk (a date typed when filing or labelling) or from the photo itself (EXIF/XMP, or a
    camera-written name) — not from the program's own default (the file's modification time).
    """
    is_photo = or_(File.kind.in_(sorted(IMAGE_KINDS)),
                   *[func.lower(File.path).like(f"%{suffix}") for suffix in sorted(PHOTO_SUFFIXES)])
    with archive.session() as s:
        rows = s.execute(
            select(File.id, File.path, File.kind, File.original_name, Record.archive_no, Record.date_source,
                   PhotoLabelRow.labelled_at, PhotoLabelRow.taken_at_source)
            .join(Record, Record.id == File.record_id)
            .outerjoin(PhotoLabelRow, PhotoLabelRow.file_id == File.id)
            .where(Record.status == ACTIVE, File.status == ACTIVE, Record.year.between(*years), is_photo)
            .order_by(Record.archive_no, File.position)
        ).all()
    out = []
    for fid, path, kind, original, number, date_source, labelled_at, time_source in rows:
        if not _is_photo_row(kind, path):
            continue
        name = PurePosixPath(path).name
        problems = []
        if not meta.name_has_date(name):
            problems.append("文件名没有日期")
        else:
            why = _date_problem(date_source or "", original or "", labelled_at is not None, time_source or "")
            if why:
                problems.append(why)
        if not meta.name_has_description(name):
            problems.append("文件名没有内容说明")
        out.append(NamedPhoto(fid, number, path, not problems, tuple(problems)))
    return out


__all__ = [
    "PHOTO_SUFFIXES",
    "PhotoInfo",
    "caption_photo",
    "check_archive_photos",
    "check_files",
    "check_incoming",
        "label_photo",
    "list_photos",
    "looks_like_photo",
    "note_filed",
    "original_version",
    "photo_problems",
    "record_photos",
    "resolve",
    "sheet_for_entry",
    "source_label",
    "NamedPhoto",
    "naming_check",
    "time_from_record",
    "view_has_photos",
]
