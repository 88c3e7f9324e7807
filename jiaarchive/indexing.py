"""The search index kept in step with the database: the bridge between records and ``search``.

* ``update(archive, ids)`` runs in the same operation as every filing change (``filing.reindex``).
  The records are marked "behind" *inside* the filing transaction (``mark_behind``), so a crash
  between the commit and the index update is caught up on the next start (``ensure``); an index
  failure never undoes a filing.
* Any writable open catches the index up (``catch_up``: the records marked behind by processes
  that crashed), or says it is behind and how to fix it when that is too much for an open.  On
  an archive that cannot be written nothing is caught up; a missing or damaged index is built
  in the open's private temporary folder instead (``ensure``), and a behind one is said.
  Whether something is pending is told by files alone, without the database: ``search.pending``
  (``index/pending.json``) and ``storage.dead_journals`` (journals of gone processes).
* Extracted text is cached per file content (``file_texts``, keyed by SHA-256) with its status
  and a Chinese reason when a file has no readable text, so a rebuild does not re-parse every
  file and unreadable files can be listed.  The cache is derived data: ``rebuild(reextract=True)``
  ignores it, and the index can always be rebuilt from the database and the files.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from . import locks
from .db.models import TRASHED, File, FileText, OcrPage, PhotoLabelRow, Record
from .errors import UnsafePath

if TYPE_CHECKING:
    # typing only: the archive opens and catches up its index (``archive._open``), so this module
    # sits below it and works on the archive it is handed
    from .archive import Archive
    from .search.index import IndexCheck, SearchDoc, SearchIndex, SearchResult

EXTRACTOR_VERSION = "2"  # 2: Markdown read as text (no markup), pages waiting for OCR
BATCH = 400

Progress = Callable[[int, int | None], None]


def index_dir(archive: Archive) -> Path:
    folder = archive.index_dir_override or archive.data_dir / "index"
    if archive.shared:  # several computers mark records behind in it: the server orders them
        from .search.index import LOCK_TIMEOUT, share_state_lock

        share_state_lock(folder, locks.pg_lock(archive.database_url, locks.PG_PENDING_KEY, LOCK_TIMEOUT,
                                               _index_busy(), locks.INDEX_BUSY).held)
    return folder


def _index_busy() -> type[Exception]:
    from .search.index import IndexBusy

    return IndexBusy


def open_index(archive: Archive) -> "SearchIndex":
    """The archive's index, kept open on the archive object (the TUI reuses one searcher).

    Raises IndexDamaged when it is missing or unreadable: only ``rebuild`` creates an index,
    so an empty index is never mistaken for a complete one.
    """
    idx = archive.search_index
    if idx is None:
        from .search import SearchIndex

        idx = SearchIndex.open(index_dir(archive), create=False, extra_groups=synonym_groups(archive))
        idx.writer_lock = writer_lock(archive, idx.lock_timeout)
        archive.search_index = idx
    return idx


def writer_lock(archive: Archive, wait: float):  # noqa: ANN201
    """The lock every index writer of a shared (PostgreSQL) archive holds, on whatever computer it
    runs: the server's advisory lock (``locks.PgLock``); None for an archive on one computer."""
    if archive.engine.dialect.name != "postgresql":
        return None
    from . import locks

    return locks.pg_index_lock(archive.database_url, wait).held


def synonym_groups(archive: Archive) -> tuple:
    """The archive's own synonym groups (``[search] synonyms`` in jiaarchive.toml)."""
    from .search.synonyms import archive_groups

    return archive_groups(archive.settings.extra)[0]


def synonym_warnings(archive: Archive) -> list[str]:
    """What was left out of the archive's own synonym groups, in Chinese."""
    from .search.synonyms import archive_groups

    return archive_groups(archive.settings.extra)[1]


def close(archive: Archive) -> None:
    idx = archive.search_index
    if idx is not None:
        idx.close()
        archive.search_index = None


def mark_behind(archive: Archive, record_ids: Iterable[int]) -> None:
    from .search import mark_behind as _mark

    _mark(index_dir(archive), set(record_ids))


# ---------------------------------------------------------------- text of files


@dataclass(frozen=True)
class TextStatus:
    archive_no: str
    path: str
    status: str
    status_label: str
    reason: str


def _cached(session, sha: str) -> FileText | None:
    row = session.get(FileText, sha)
    return row if row is not None and row.extractor == EXTRACTOR_VERSION else None


def _store(session, sha: str, kind: str, ext) -> int:  # noqa: ANN001
    """Cache one extraction; queue its pages without text for OCR.  Returns pages queued."""
    text = ext.text or ""
    locks.lock_row(session, "file_texts", sha)
    row = session.get(FileText, sha) or FileText(sha256=sha)
    row.kind, row.status, row.reason = kind, ext.status, ext.reason
    row.chars = len(text)
    row.text = zlib.compress(text.encode("utf-8"), 6)
    row.extractor = EXTRACTOR_VERSION
    session.merge(row)
    queued = 0
    if ext.ocr_pages:
        have = set(session.scalars(select(OcrPage.page).where(OcrPage.sha256 == sha)))
        for page in ext.ocr_pages:
            if page not in have:  # (what OCR read before stays: the content is the same)
                session.add(OcrPage(sha256=sha, page=page, status="waiting", reason="", text=b"",
                                    seconds=0.0, engine=""))
                queued += 1
    return queued


def _decode(row: FileText) -> str:
    return zlib.decompress(row.text).decode("utf-8") if row.text else ""


def cached_texts(archive: Archive, shas: Iterable[str]) -> dict[str, tuple[str, str, str]]:
    """SHA-256 → (status, text, reason) for contents whose text is already cached (the inbox
    reuses it for files it has seen before)."""
    out: dict[str, tuple[str, str, str]] = {}
    wanted = sorted(set(shas))
    with archive.session() as s:
        for start in range(0, len(wanted), BATCH):
            rows = s.scalars(select(FileText).where(FileText.sha256.in_(wanted[start : start + BATCH]),
                                                    FileText.extractor == EXTRACTOR_VERSION))
            for row in rows:
                out[row.sha256] = (row.status, _decode(row), row.reason)
    return out


def _extract_missing(archive: Archive, files: list[File], *, reextract: bool, workers: int = 1,
                     keep: dict[str, str] | None = None) -> int:
    """Fill the text cache for these files (parsed in sandboxed workers); returns how many
    pages were queued for text recognition (OCR never runs here: filing stays fast).  With
    ``keep`` (an archive on read-only media, where no cache can be written) the texts go there."""
    from .extract import extract, extract_many

    with archive.session() as s:
        todo = {}
        for f in files:
            if reextract or _cached(s, f.sha256) is None:
                try:
                    todo.setdefault(f.sha256, (archive.file_path(f.path), f.kind))
                except UnsafePath:
                    continue  # `verify` reports it; its text is not read
    if not todo:
        return 0
    by_path = {p: (sha, kind) for sha, (p, kind) in todo.items()}
    results = []
    if len(by_path) == 1 or workers <= 1:
        for p in by_path:
            try:
                results.append((p, extract(p)))
            except OSError:
                continue  # a missing file: `verify` reports it; nothing to index
    else:
        results = list(extract_many(list(by_path), workers=workers))
    if keep is not None:
        keep.update((by_path[p][0], ext.text or "") for p, ext in results)
        return 0
    with archive.session() as s, s.begin():
        return sum(_store(s, *by_path[p], ext) for p, ext in results)


# ---------------------------------------------------------------- records as search documents


def _kinds(kind: str) -> tuple[str, ...]:
    from .extract.sniff import IMAGE_KINDS, _INFO

    label = _INFO.get(kind, ("", "", kind))[2]
    out = [kind, label]
    if kind in IMAGE_KINDS:
        out.append("照片")
    return tuple(dict.fromkeys(x for x in out if x))


def _photo_text(label: PhotoLabelRow | None) -> str:
    if label is None:
        return ""
    parts = [label.subject, label.place, label.people, label.photographer]
    if label.taken_at:
        parts.append(label.taken_at.strftime("%Y-%m-%d %H:%M"))
    return " ".join(p for p in parts if p)


def version_of(r: Record) -> str:
    """What makes an indexed record stale: its fields or any of its files changed."""
    return f"{r.updated_at.isoformat()}|{r.status}|{','.join(f.sha256 for f in r.files)}|{EXTRACTOR_VERSION}"


def _docs(archive: Archive, records: list[Record], texts: dict[str, str], labels: dict[int, PhotoLabelRow],
          ocr: dict[str, str]) -> list["SearchDoc"]:
    from .search import SearchDoc, SearchFile

    out = []
    for r in records:
        files = []
        kinds: list[str] = []
        for f in r.files:
            text = texts.get(f.sha256, "")
            photo = _photo_text(labels.get(f.id))
            files.append(SearchFile(file_id=f.id, path=f.path, text=f"{photo}\n{text}" if photo else text,
                                    ocr_text=ocr.get(f.sha256, "")))
            kinds.extend(_kinds(f.kind))
        out.append(
            SearchDoc(
                record_id=r.id,
                archive_no=r.archive_no,
                code=r.code,
                volume=r.code.split("-")[0],
                year=r.year,
                date=r.doc_date.isoformat() if r.doc_date else None,
                title=r.title,
                doc_no=r.doc_no,
                responsible=r.responsible,
                tags=tuple(t.tag for t in r.tags),
                items=tuple(sorted({i.item_no for i in r.items})),
                kinds=tuple(dict.fromkeys(kinds)),
                trashed=r.status == TRASHED,
                remarks=r.remarks,
                files=tuple(files),
                version=version_of(r),
                former_archive_nos=tuple(n.archive_no for n in r.numbers if not n.current),
            )
        )
    return out


def _load(archive: Archive, ids: Iterable[int] | None, *, reextract: bool = False, workers: int = 1) -> Iterator["SearchDoc"]:
    """Search documents for these record ids (all records when None), in batches."""
    with archive.session() as s:
        all_ids = sorted(ids) if ids is not None else list(s.scalars(select(Record.id).order_by(Record.id)))
    for start in range(0, len(all_ids), BATCH):
        chunk = all_ids[start : start + BATCH]
        with archive.session() as s:
            records = list(
                s.scalars(
                    select(Record)
                    .where(Record.id.in_(chunk))
                    .options(selectinload(Record.files), selectinload(Record.tags), selectinload(Record.items), selectinload(Record.numbers))
                )
            )
            files = [f for r in records for f in r.files]
        fresh: dict[str, str] | None = {} if archive.media_read_only else None
        _extract_missing(archive, files, reextract=reextract, workers=workers, keep=fresh)
        with archive.session() as s:
            shas = {f.sha256 for f in files}
            texts = {row.sha256: _decode(row) for row in s.scalars(select(FileText).where(FileText.sha256.in_(shas)))}
            texts.update(fresh or {})
            labels = {row.file_id: row for row in s.scalars(select(PhotoLabelRow).where(PhotoLabelRow.file_id.in_([f.id for f in files])))}
            ocr = _ocr_texts(s, shas)
        yield from _docs(archive, records, texts, labels, ocr)


def _ocr_texts(session, shas: set[str]) -> dict[str, str]:
    """sha256 → what text recognition read on its pages, page by page."""
    out: dict[str, list[str]] = {}
    rows = session.execute(select(OcrPage.sha256, OcrPage.text).where(OcrPage.sha256.in_(shas), OcrPage.status == "ok")
                           .order_by(OcrPage.sha256, OcrPage.page))
    for sha, blob in rows:
        out.setdefault(sha, []).append(zlib.decompress(blob).decode("utf-8") if blob else "")
    return {sha: "\n".join(t for t in texts if t) for sha, texts in out.items()}


# ---------------------------------------------------------------- text recognition (OCR)
#
# Filing never waits for OCR: extraction only queues the pages without text (``OcrPage``
# rows, status "waiting"), and ``run_ocr`` reads them later, one page per job in a
# sandboxed worker with the same time and memory limits as extraction, and re-indexes each
# record as soon as its file is done.  It runs in the background after a filing change
# queued pages (``start_background_ocr``: a separate low-priority process, one at a time per
# archive), or in the foreground with ``jiaarchive index ocr``.

OCR_LOCK = "ocr.lock"
BACKGROUND_ENV = "JIAARCHIVE_BACKGROUND_OCR"  # "0": never start the background recognition


@dataclass(frozen=True)
class OcrState:
    """What `index status` says about text recognition."""

    waiting: int  # pages
    done_files: int  # files with text read by OCR
    done_pages: int
    failed: list[TextStatus]  # pages that could not be read, with the reason
    available: bool  # the engine is installed

    def describe(self) -> str:
        from .extract.ocr import NOT_INSTALLED

        out = [f"文字识别：{self.done_files} 个文件共 {self.done_pages} 页的文字由文字识别读出（检索结果中标有“文字识别”）；"
               f"{self.waiting} 页等待识别。"]
        if self.waiting and self.available:
            out.append("识别在后台自动进行；也可运行 jiaarchive index ocr 立即识别。")
        elif self.waiting:
            out.append(NOT_INSTALLED)
        return "".join(out)


def _waiting_rows(session):  # noqa: ANN202
    """(sha256, page, path, kind) of every page waiting whose content is still filed."""
    rows = session.execute(
        select(OcrPage.sha256, OcrPage.page, File.path, File.kind)
        .join(File, File.sha256 == OcrPage.sha256)
        .where(OcrPage.status == "waiting")
        .order_by(OcrPage.sha256, OcrPage.page, File.id)
    ).all()
    seen: set[tuple[str, int]] = set()
    out = []
    for sha, page, path, kind in rows:
        if (sha, page) not in seen:
            seen.add((sha, page))
            out.append((sha, page, path, kind))
    return out


def ocr_state(archive: Archive) -> OcrState:
    from sqlalchemy import func

    from .extract.ocr import available

    with archive.session() as s:
        waiting = len(_waiting_rows(s))
        done = s.execute(select(func.count(func.distinct(OcrPage.sha256)), func.count())
                         .where(OcrPage.status == "ok", OcrPage.sha256.in_(select(File.sha256)))).one()
        failed = s.execute(
            select(Record.archive_no, File.path, OcrPage.status, OcrPage.reason)
            .join(File, File.record_id == Record.id).join(OcrPage, OcrPage.sha256 == File.sha256)
            .where(OcrPage.status.not_in(("ok", "empty", "waiting")))
            .order_by(Record.code, Record.year, Record.seq, OcrPage.page)
        ).all()
    from .extract.result import STATUS_LABELS

    return OcrState(waiting, int(done[0] or 0), int(done[1] or 0),
                    [TextStatus(n, p, st, STATUS_LABELS.get(st, st), reason) for n, p, st, reason in failed],
                    available())


def run_ocr(archive: Archive, *, progress: Progress | None = None, max_seconds: float | None = None) -> int | None:
    """Recognise every page waiting (until ``max_seconds``); returns pages done, or None
    when another process is already recognising this archive's pages."""
    import time

    from .extract import recognise_many
    from .extract.ocr import ENGINE_NAME
    from .search.index import _filelock

    lock = _filelock(index_dir(archive), OCR_LOCK)
    if not lock.acquire(blocking=False):
        return None
    started = time.monotonic()
    try:
        with archive.session() as s:
            rows = _waiting_rows(s)
        total, done = len(rows), 0
        left = {}  # sha → pages not yet done
        for sha, page, _path, _kind in rows:
            left.setdefault(sha, set()).add(page)
        if progress is not None:
            progress(0, total)
        jobs, sha_of = [], {}
        for sha, page, path, kind in rows:
            try:
                where = archive.file_path(path)
            except UnsafePath:
                continue  # `verify` reports it; nothing outside the archive is read
            jobs.append((where, kind, page))
            sha_of[(where, page)] = sha
        for (path, page), rec in recognise_many(jobs):
            sha = sha_of[(path, page)]
            with archive.session() as s, s.begin():
                row = s.get(OcrPage, (sha, page))
                if row is not None:
                    row.status, row.reason, row.seconds = rec.status, rec.reason, rec.seconds
                    row.text = zlib.compress(rec.text.encode("utf-8"), 6) if rec.text else b""
                    row.engine = ENGINE_NAME
            done += 1
            left[sha].discard(page)
            if not left[sha]:  # the whole file is read: its records find it now
                with archive.session() as s:
                    ids = set(s.scalars(select(File.record_id).where(File.sha256 == sha)))
                update(archive, ids, background=False)
            if progress is not None:
                progress(done, total)
            if max_seconds is not None and time.monotonic() - started > max_seconds:
                break
        # Files cut short by max_seconds: index what was read so far.
        queued = Counter(sha for sha, *_rest in rows)
        partial = [sha for sha, pages in left.items() if pages and len(pages) < queued[sha]]
        if partial:
            with archive.session() as s:
                update(archive, set(s.scalars(select(File.record_id).where(File.sha256.in_(partial)))), background=False)
        return done
    finally:
        lock.release()


def start_background_ocr(archive: Archive) -> bool:
    """Start recognising the waiting pages in a separate low-priority process, unless one
    runs already, the archive is read-only, or ``JIAARCHIVE_BACKGROUND_OCR=0``."""
    import os
    import subprocess
    import sys

    from .extract.ocr import available

    if archive.read_only or os.environ.get(BACKGROUND_ENV, "1") == "0" or not available():
        return False
    from .search.index import _filelock

    lock = _filelock(index_dir(archive), OCR_LOCK)
    if not lock.acquire(blocking=False):
        return False  # one is running; it takes the new pages too before it stops
    lock.release()
    # (No preexec_fn: the TUI files from worker threads.  The child lowers its own priority.)
    subprocess.Popen([sys.executable, "-m", "jiaarchive", "--archive", str(archive.root), "index", "ocr", "--background"],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True)
    return True


# ---------------------------------------------------------------- keeping the index in step


def extract_texts(archive: Archive, record_ids: Iterable[int]) -> None:
    """Fill the text cache for these records' files ahead of ``update`` (which then only reads it)."""
    ids = sorted(set(record_ids))
    if not ids:
        return
    with archive.session() as s:
        files = list(s.scalars(select(File).where(File.record_id.in_(ids))))
    try:
        _extract_missing(archive, files, reextract=False)
    except Exception:  # noqa: BLE001 - update() tries again and marks the records behind on failure
        pass


def update(archive: Archive, record_ids: Iterable[int], *, background: bool = True) -> bool:
    """Index these records now; False (and they stay marked behind) when the index failed.

    When their files have pages waiting for text recognition, the recognition is started
    in the background (``background=False``: not, as when the recognition itself updates).
    """
    from .errors import IndexDamaged

    ids = set(record_ids)
    if not ids:
        return True
    try:
        idx = open_index(archive)
    except IndexDamaged:
        return False  # no usable index: the next search rebuilds it from the database
    try:
        docs = list(_load(archive, ids))
        ok = idx.apply(upserts=docs, deletes=ids - {d.record_id for d in docs})
    except Exception:  # noqa: BLE001 - the filing stands; the mark makes the next start catch up
        mark_behind(archive, ids)
        return False
    if background and _has_waiting(archive, ids):
        start_background_ocr(archive)
    return ok


def _has_waiting(archive: Archive, record_ids: set[int]) -> bool:
    with archive.session() as s:
        return s.scalar(select(OcrPage.sha256).join(File, File.sha256 == OcrPage.sha256)
                        .where(File.record_id.in_(record_ids), OcrPage.status == "waiting").limit(1)) is not None


def needs_rebuild(archive: Archive) -> bool:
    return bool(rebuild_reason(archive))


def rebuild_reason(archive: Archive) -> str:
    """Why the index cannot be used as it is ('' when it can): missing, outdated, damaged."""
    from .errors import IndexDamaged

    try:
        open_index(archive)
    except IndexDamaged as exc:
        return getattr(exc, "reason", "") or "无法读取"
    from .search import pending

    return "待补建清单无法读取" if -1 in pending(index_dir(archive)) else ""


def ensure(archive: Archive, progress: Progress | None = None) -> str:
    """Make the index usable: rebuild it when missing, outdated or damaged, else catch up.

    Returns a Chinese sentence when something was done, '' otherwise.
    """
    if archive.media_read_only:
        return _ensure_read_only(archive, progress)
    reason = rebuild_reason(archive)
    if reason:
        n = rebuild(archive, progress=progress)
        return f"检索索引需要重建（{reason}），已重建（{n} 件）。"
    idx = open_index(archive)
    n = idx.catch_up(lambda ids: list(_load(archive, ids)))
    return f"已补建 {n} 件记录的检索索引。" if n else ""


def _ensure_read_only(archive: Archive, progress: Progress | None) -> str:
    reason = rebuild_reason(archive)
    if not reason:
        return read_only_notice(archive)
    close(archive)
    archive.index_dir_override = archive.scratch_dir() / "index"
    n = rebuild(archive, progress=progress)
    return f"档案中的检索索引不能使用（{reason}），档案又不能写入，已在临时文件夹中建立（{n} 件），用完即删。"


def read_only_notice(archive: Archive) -> str:
    """What a read-only open says about an index that is behind (it cannot catch it up)."""
    from .search import pending

    ids = pending(index_dir(archive)) - {-1}
    return f"检索索引有 {len(ids)} 件记录尚未更新（档案不能写入，无法补建），检索结果可能不全。" if ids else ""


def catch_up(archive: Archive, *, limit: int) -> str:
    """On a writable open: index the records left behind by crashed processes ('' when done or
    nothing was behind), or say that the index is behind and how to fix it."""
    from .search import pending

    ids = pending(index_dir(archive))
    if not ids:
        return ""
    behind = (f"检索索引落后（{len(ids - {-1}) or '若干'} 件记录待更新）。请运行 jiaarchive index rebuild，"
              "或直接检索（检索时自动补建）。")
    from .search.index import NO_INDEX

    reason = rebuild_reason(archive)
    if reason == NO_INDEX:
        return ""  # no index yet (a fresh clone): nothing is behind, the first search builds it
    if -1 in ids or len(ids) > limit or reason:
        return behind
    try:
        extract_texts(archive, ids)
        with archive.write_lock.held():  # as filing.reindex: never an older copy after a newer one
            open_index(archive).catch_up(lambda todo: list(_load(archive, todo)))
    except Exception:  # noqa: BLE001 - the open must not fail for the index: say it
        return behind
    return ""


def rebuild(archive: Archive, *, progress: Progress | None = None, reextract: bool = False, workers: int = 2) -> int:
    """Rebuild the whole index from the database and the files; returns the record count."""
    from .search import SearchIndex

    close(archive)
    with archive.session() as s:
        total = len(list(s.scalars(select(Record.id))))
        text_bytes = _text_bytes(s, reextract)
    idx = SearchIndex(index_dir(archive), extra_groups=synonym_groups(archive))
    idx.writer_lock = writer_lock(archive, idx.lock_timeout)
    idx.check_space(text_bytes)
    idx.rebuild(_load(archive, None, reextract=reextract, workers=workers), progress=progress, total=total)
    idx.close()
    return total


_TEXT_KINDS = ("text", "html")


def _text_bytes(session, reextract: bool) -> int:
    """The text a rebuild will index, in UTF-8 bytes: known for files already extracted,
    estimated from the file size for the others (all of a text file, a third of others)."""
    from sqlalchemy import func

    from .extract.worker import MAX_TEXT_CHARS

    cap = 3 * MAX_TEXT_CHARS
    known = {} if reextract else dict(session.execute(
        select(FileText.sha256, FileText.chars).where(FileText.extractor == EXTRACTOR_VERSION)).all())
    total = 0
    for sha, size, kind in session.execute(select(File.sha256, func.max(File.size), func.max(File.kind)).group_by(File.sha256)):
        if sha in known:
            total += 3 * known[sha]
        else:
            total += min(cap, size if kind in _TEXT_KINDS else size // 3)
    ocr = session.scalar(select(func.sum(func.length(OcrPage.text))).where(OcrPage.status == "ok")) or 0
    return total + 4 * int(ocr)  # (OCR text is stored compressed: about a quarter)


def check(archive: Archive) -> "IndexCheck":
    if archive.media_read_only and rebuild_reason(archive):
        from .errors import IndexDamaged

        raise IndexDamaged(f"档案中的检索索引不能使用（{rebuild_reason(archive)}），档案又不能写入，无法核对。"
                           "检索时会在临时文件夹中另建索引。")
    with archive.session() as s:
        records = s.scalars(select(Record).options(selectinload(Record.files))).all()
        versions = {r.id: version_of(r) for r in records}
    return open_index(archive).check(versions)


def search(archive: Archive, query: str, **filters) -> "SearchResult":  # noqa: ANN003
    ensure(archive)
    return open_index(archive).search(query, **filters)


def unreadable(archive: Archive) -> list[TextStatus]:
    """Filed files whose text could not be read, with the reason (they stay filed).

    A scan whose pages text recognition has read is readable, and is not listed."""
    from .extract.result import STATUS_LABELS

    with archive.session() as s:
        read_by_ocr = select(OcrPage.sha256).where(OcrPage.status == "ok")
        rows = s.execute(
            select(Record.archive_no, File.path, FileText.status, FileText.reason)
            .join(File, File.record_id == Record.id)
            .join(FileText, FileText.sha256 == File.sha256)
            .where(FileText.status.not_in(("ok", "empty")), FileText.sha256.not_in(read_by_ocr))
            .order_by(Record.code, Record.year, Record.seq)
        ).all()
    return [TextStatus(n, p, st, STATUS_LABELS.get(st, st), reason) for n, p, st, reason in rows]


# Statuses worth telling the clerk about when a file is filed or shown: its text cannot be read
# (a type we do not read, or a file without text, is not a problem of the file).
PROBLEM_STATUSES = ("encrypted", "corrupt", "no_text_layer", "timeout", "too_large", "error")


@dataclass(frozen=True)
class FileProblem:
    """A filed file whose text cannot be read (已加密, 已损坏, 无文字层 …): it stays filed."""

    record_id: int
    file_id: int
    path: str
    status: str
    status_label: str
    reason: str


def file_problems(archive: Archive, record_ids: Iterable[int], *, extract: bool = False) -> dict[int, list[FileProblem]]:
    """The unreadable files of these records, by record id.

    ``extract=True`` (at filing) first reads the files whose text is not cached yet, so an
    encrypted or corrupt file is reported even when the search index could not be updated.
    """
    from .extract.result import STATUS_LABELS

    ids = set(record_ids)
    if not ids:
        return {}
    if extract and not archive.read_only:
        with archive.session() as s:
            files = list(s.scalars(select(File).where(File.record_id.in_(ids))))
        _extract_missing(archive, files, reextract=False)
    out: dict[int, list[FileProblem]] = {}
    with archive.session() as s:
        rows = s.execute(
            select(File.record_id, File.id, File.path, FileText.status, FileText.reason)
            .join(FileText, FileText.sha256 == File.sha256)
            .where(File.record_id.in_(ids), FileText.status.in_(PROBLEM_STATUSES))
            .order_by(File.record_id, File.position)
        ).all()
    for rid, fid, path, status, reason in rows:
        out.setdefault(rid, []).append(FileProblem(rid, fid, path, status, STATUS_LABELS.get(status, status), reason))
    return out


def file_text(archive: Archive, sha256: str, path: str, kind: str = "") -> tuple[str, str, str]:
    """The text of a filed file (text, status, Chinese reason when unreadable), for previews.

    Taken from the cache when there; else extracted now (in the sandboxed worker) and cached
    unless the archive is read-only.
    """
    with archive.session() as s:
        row = _cached(s, sha256)
        if row is not None:
            return _decode(row), row.status, row.reason
    from .extract import extract

    ext = extract(archive.root / path)
    if not archive.read_only:
        with archive.session() as s, s.begin():
            _store(s, sha256, kind, ext)
    return ext.text or "", ext.status, ext.reason
