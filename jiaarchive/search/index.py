"""The Whoosh index: one document per record, written with retries, rebuilt atomically.

Layout of the index directory (kept inside the archive, always rebuildable)::

    index/CURRENT        {"gen": "gen-000003", "schema": 5, "analysis": "t2s …"}, replaced atomically
    index/gen-000003/    the Whoosh index in use, and texts.bin (the text store, _store.py)
    index/pending.json   record ids whose index update has not been done (behind)

What the Whoosh part keeps (schema 4): for title, meta (文号, 责任者, remarks, tags) and
body, the unit-bigram tokens with their frequencies only — no positions, no stored text;
phrases are checked on the text store, for the documents that survive the candidate
phase of ``_exec.py``.  On top of them, derived tokens whose records are exact, so that
the commonest searches need no checks: one per synonym group of the table
(``concepts.py``) and one per common three- or four-character word of the archive
(``ngrams.py``), both chosen when the index is created or rebuilt and stored in its
schema.  Stored fields are only what a hit shows (档号, title, date, code, the files' ids
and paths).  Measured on the 20,000-record bench archive:

=================================  =========  ========================================
schema                             size       notes
=================================  =========  ========================================
1: positions + zlib stored texts   588 MB     most of it position lists of bigrams
2: frequencies + texts.bin         ~324 MB    texts.bin 211 MB uncompressed, Whoosh ~113
3: + concepts and n-grams          360 MB     ~600 n-gram postings a record (bench text
                                              is repetitive: 3,190 common n-grams)
=================================  =========  ========================================

A rebuild writes a new ``gen-*`` directory and then replaces ``CURRENT``, so searchers
never see a half-built index.  Writers take Whoosh's write lock; when another process
holds it they retry with backoff for a bounded time (:data:`LOCK_TIMEOUT`) and then
raise :class:`IndexBusy`.  Crash safety is the caller's protocol, packaged as
:meth:`SearchIndex.apply`: mark the records behind, update, clear the mark; on the next
start :meth:`SearchIndex.catch_up` finishes whatever is still marked.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from ..errors import IndexDamaged, JiaError
from . import analyzer as an
from . import ngrams
from .query import (ParsedQuery, highlight_pattern, make_snippet, match_spans, parse_query,
                    plan_query, variant_words)
from ._store import FLAG_UNIT_RISK
from ._store import POS as _STORE_POS
from .normalize import analysis_stamp
from ._store import StoreReader, StoreWriter, encode_entry
from .synonyms import load_synonyms

_STORE_POS_SIZE = _STORE_POS.size
# Whoosh's compound segment files are opened, when memory-mapped, as BytesIO copies of
# each part: 91 MB of private memory for the 20,000-record bench index, on top of the
# 102 MB of mapped pages.  Separate files are read with plain reads instead.
COMPOUND = False
SCHEMA_VERSION = 5  # 2: no positions in the index, text store beside it; 3: + synonym concepts
# and n-grams; 4: text store entries flagged with every character NFKC maps onto CJK;
# 5: 繁体 normalised to 简体 (normalize.py), OCR text segments, per-archive synonym groups
LOCK_TIMEOUT = 30.0
# A kept-open searcher drops the text store's pages from its map once they are more than
# RELEASE_BUDGET (the pieces its checks read trigger a look at the map's true resident
# size, see _store.StoreReader.release), so that a search process stays under the
# issue's 300 MB: on the 20,000-record bench it has ~42 MB of its own and ~18 MB of index
# files and libraries, and the store's map grows to ~207 MB of its 211 (the kernel maps
# neighbouring pages too).  Dropping costs ~6 ms in madvise plus page faults in the next
# queries: there it happens about once in 60 queries (p95 ~9 ms instead of ~7).
RELEASE_BUDGET = 200 << 20
# Rebuilds of at least MP_MIN_DOCS records index in up to MP_MAX_PROCS sub-processes,
# MP_BATCH documents per job file.
MP_MIN_DOCS = 500
MP_MAX_PROCS = 2
MP_BATCH = 50
CURRENT = "CURRENT"
PENDING = "pending.json"
NO_INDEX = "索引不存在"  # the reason given when there is no index at all (a fresh clone)
# An index is at most about this many times the UTF-8 bytes of its texts (20,000-record bench:
# 360 MB for 209 MB of text, 1.7; small archives up to ~3); a rebuild asks for twice that.
INDEX_PER_TEXT = 2.5
SPACE_MARGIN = 1 << 20  # (an empty generation is ~0.1 MB)


class IndexBusy(JiaError):
    """Another process kept the index write lock longer than the retry bound."""


# -- what the database hands us ------------------------------------------------------

@dataclass(frozen=True)
class SearchFile:
    file_id: int
    path: str  # relative to the archive root
    text: str
    ocr_text: str = ""  # what text recognition (文字识别) read on its scanned pages or photo


@dataclass(frozen=True)
class SearchDoc:
    """One record (件) as the database knows it, with its files' extracted text."""

    record_id: int
    archive_no: str  # 档号
    code: str
    volume: str
    year: int | None
    date: str | None
    title: str
    doc_no: str = ""  # 文号
    responsible: str = ""  # 责任者
    tags: tuple[str, ...] = ()
    items: tuple[int, ...] = ()
    kinds: tuple[str, ...] = ()
    trashed: bool = False
    remarks: str = ""
    files: tuple[SearchFile, ...] = ()
    version: str = ""
    former_archive_nos: tuple[str, ...] = ()


# -- what a search gives back --------------------------------------------------------

@dataclass(frozen=True)
class Hit:
    record_id: int
    archive_no: str
    code: str
    title: str
    date: str | None
    score: float
    snippet: str  # matched words marked with 【】
    path: str | None  # the matching file, relative to the archive root
    file_id: int | None
    snippet_text: str = ""  # the same passage unmarked
    spans: tuple[tuple[int, int], ...] = ()  # matched words in snippet_text
    trashed: bool = False
    ocr: bool = False  # the passage is text recognition's reading of a scan or photo
    title_spans: tuple[tuple[int, int], ...] = ()  # matched words in the title as written

    def to_json(self) -> dict:
        out = {"archive_no": self.archive_no, "code": self.code, "title": self.title,
               "date": self.date, "score": round(self.score, 4), "snippet": self.snippet,
               "path": self.path}
        if self.ocr:  # (only then: issue 3's shape stays as it was for every other hit)
            out["ocr"] = True
        return out


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]
    query: ParsedQuery | None = None

    def to_json(self) -> dict:
        return {"total": self.total, "hits": [h.to_json() for h in self.hits],
                "facets": self.facets}


@dataclass(frozen=True)
class Tuning:
    """The derived tokens of an index (see concepts.py, ngrams.py)."""

    records: int
    ngrams: int  # common words indexed whole
    sampled: int  # records they were chosen from
    concepts: int  # synonym groups indexed whole
    synonyms_changed: bool  # the table differs from the groups the index holds

    @property
    def rebuild_advised(self) -> bool:
        grown = (self.sampled < ngrams.SAMPLE and self.records >= ngrams.MIN_SAMPLE
                 and self.records >= 2 * self.sampled)
        return grown or self.synonyms_changed

    def describe(self) -> str:
        """Chinese sentences for ``index status``."""
        chosen = (f"上次重建时按 {self.sampled} 件记录选定" if self.sampled
                  else "建立档案时尚无记录，重建索引后按当时的记录选定")
        out = [f"检索索引共 {self.records} 件记录；{self.concepts} 组同义词、"
               f"{self.ngrams} 个常用词整体编入索引（{chosen}），检索这些词无需逐件核对全文。"]
        if self.synonyms_changed:
            out.append("同义词表在上次重建后改动过：改动的词组照常可查，"
                       "运行 jiaarchive index rebuild 后查得更快。")
        elif self.rebuild_advised:
            out.append("记录已比上次重建时多出许多，运行 jiaarchive index rebuild 可加快检索。")
        return "\n".join(out)


@dataclass(frozen=True)
class IndexCheck:
    """What `jiaarchive index check` reports."""

    missing: list[int] = field(default_factory=list)  # in the database, not in the index
    stale: list[int] = field(default_factory=list)  # indexed from an older version
    orphans: list[int] = field(default_factory=list)  # in the index, not in the database
    pending: list[int] = field(default_factory=list)  # marked behind

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.orphans or self.pending)


# -- "behind" marks ------------------------------------------------------------------

def _filelock(index_dir: Path, name: str):
    from whoosh.util.filelock import FileLock

    index_dir.mkdir(parents=True, exist_ok=True)
    return FileLock(str(index_dir / name))


class _Locked:
    """Blocking file lock for short read-modify-write of small state files."""

    def __init__(self, index_dir: Path, name: str, timeout: float = LOCK_TIMEOUT):
        self.lock = _filelock(index_dir, name)
        self.timeout = timeout
        self.index_dir = index_dir

    def __enter__(self):
        deadline = time.monotonic() + self.timeout
        delay = 0.005
        while not self.lock.acquire(blocking=False):
            if time.monotonic() > deadline:
                raise IndexBusy(f"检索索引 {self.index_dir} 被其他程序长时间占用，请稍后再试。")
            time.sleep(delay)
            delay = min(delay * 2, 0.2)
        shared = _SHARED_STATE_LOCKS.get(os.path.realpath(self.index_dir))
        self._shared = shared() if shared is not None else None
        if self._shared is not None:
            try:
                self._shared.__enter__()
            except BaseException:
                self.lock.release()
                raise
        return self

    def __exit__(self, *exc):
        try:
            if self._shared is not None:
                self._shared.__exit__(*exc)
        finally:
            self.lock.release()


# Index folders on a shared drive whose small state files (pending.json) several computers
# change: index folder -> a context-manager factory of a lock all of them see (the database's,
# ``indexing.index_dir`` registers it), held inside the file lock.
_SHARED_STATE_LOCKS: dict[str, Callable[[], object]] = {}


def share_state_lock(index_dir: str | Path, factory: Callable[[], object]) -> None:
    _SHARED_STATE_LOCKS[os.path.realpath(index_dir)] = factory


def _write_json_atomic(path: Path, data) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def pending(index_dir: str | Path) -> set[int]:
    """Record ids whose index update has not been done (the index is "behind")."""
    p = Path(index_dir) / PENDING
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        return {int(i) for i in data.get("records", [])}
    except FileNotFoundError:
        return set()
    except (ValueError, AttributeError, TypeError):
        # An unreadable mark must not hide work: treat the whole index as suspect.
        return {-1}


def mark_behind(index_dir: str | Path, record_ids: Iterable[int]) -> None:
    """Add ``record_ids`` to the behind list (atomic, safe across processes)."""
    ids = {int(i) for i in record_ids}
    if not ids:
        return
    d = Path(index_dir)
    with _Locked(d, "pending.lock"):
        cur = pending(d) - {-1}
        _write_json_atomic(d / PENDING, {"records": sorted(cur | ids)})


def clear_pending(index_dir: str | Path, record_ids: Iterable[int] | None = None) -> None:
    """Remove ``record_ids`` (or everything, when None) from the behind list."""
    d = Path(index_dir)
    if not (d / PENDING).exists():
        return
    with _Locked(d, "pending.lock"):
        cur = pending(d)
        left = set() if record_ids is None else cur - {int(i) for i in record_ids}
        if left:
            _write_json_atomic(d / PENDING, {"records": sorted(left)})
        else:
            try:
                os.remove(d / PENDING)
            except FileNotFoundError:
                pass


# -- the index -----------------------------------------------------------------------

def _schema(vocab: frozenset = frozenset(), sampled: int = 0, extra_groups: tuple = ()):
    from whoosh import fields

    from whoosh import columns

    from ._fields import UnitBigramTokenizer, UnitFrequency
    from .concepts import Concepts

    ana = UnitBigramTokenizer()
    ana.concepts = Concepts(_synonym_groups(extra_groups))  # stored with the schema: see concepts.py
    ana.vocab = frozenset(vocab)  # n-grams indexed whole: see ngrams.py
    ana.vocab_sample = sampled  # how many records they were chosen from

    def text_field(**kw):
        f = fields.TEXT(analyzer=ana, phrase=False, **kw)
        f.format = UnitFrequency()
        return f
    return fields.Schema(
        rid=fields.ID(stored=True, unique=True, sortable=True),
        ver=fields.ID(sortable=True),
        archive_no=fields.STORED,
        date=fields.STORED,
        files=fields.STORED,
        title=text_field(stored=True),
        meta=text_field(),
        body=text_field(),
        ids=fields.KEYWORD(commas=True, scorable=True),
        docno=fields.KEYWORD(commas=True, scorable=True),
        code=fields.ID(stored=True),
        volume=fields.ID(sortable=True),
        year=fields.ID(sortable=True),
        items=fields.KEYWORD(commas=True),
        kinds=fields.KEYWORD(commas=True),
        trashed=fields.ID(stored=True),
        tpos=fields.COLUMN(columns.FixedBytesColumn(_STORE_POS_SIZE)),  # entry in texts.bin
    )


def _fields(doc: SearchDoc) -> tuple[dict, bytes]:
    """The Whoosh document (without ``tpos``) and the text store entry of one record."""
    ids = set(an.id_parts(doc.archive_no))
    for old in doc.former_archive_nos:
        ids.update(an.id_parts(old))
    ids.update(an.id_parts(doc.code))
    # Each file's own text, then what text recognition read on it, as separate pieces of
    # the text store: a hit says whether its passage came from OCR (``files`` marks them).
    pieces = [(f, f.text or "", 0) for f in doc.files]
    pieces += [(f, f.ocr_text, 1) for f in doc.files if f.ocr_text]
    body = "\n".join(t for _f, t, _o in pieces if t)
    meta = "\n".join([doc.doc_no, doc.responsible, doc.remarks, *doc.tags])
    files = [(f.file_id, f.path, ocr) for f, _t, ocr in pieces]
    entry = encode_entry(doc.title, meta, [t for _f, t, _o in pieces])
    return dict(
        rid=str(doc.record_id), ver=doc.version, archive_no=doc.archive_no, date=doc.date,
        files=files, title=doc.title, meta=meta, body=body,
        ids=",".join(sorted(ids)), docno=",".join(an.id_parts(doc.doc_no)),
        code=doc.code, volume=doc.volume or "", year=str(doc.year) if doc.year else "",
        items=",".join(str(i) for i in doc.items), kinds=",".join(doc.kinds),
        trashed="1" if doc.trashed else "0",
    ), entry


def _drain(q: deque) -> Iterator:
    while q:
        yield q.popleft()


def _doc_text(doc: SearchDoc) -> str:
    return "\n".join([doc.title, *(f.text for f in doc.files if f.text)])


def _synonym_groups(extra: tuple = ()) -> tuple:
    """The table's groups and an archive's own (``extra``), or only those when the table
    cannot be read: a broken table must not keep an index from being created (searches
    still report it, see ``load_synonyms``)."""
    from ..errors import CatalogInvalid
    from .synonyms import load_synonym_groups

    try:
        return load_synonym_groups(extra=extra)
    except CatalogInvalid:
        return load_synonym_groups(path="", extra=extra)


def _rebuild_procs(total: int | None) -> int:
    """How many sub-processes a rebuild of ``total`` records indexes with."""
    if total is not None and total < MP_MIN_DOCS:
        return 1
    # Whoosh's MpWriter forks; forking from a worker thread of a threaded program (the TUI
    # rebuilds in a Textual worker) can deadlock the child, so only the main thread goes wide.
    if threading.current_thread() is not threading.main_thread():
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MP_MAX_PROCS))


def _codec():
    from ._codec import ArchiveCodec

    return ArchiveCodec()


def _reason(exc: BaseException) -> str:
    """A Chinese reason for an exception Whoosh raised on a broken index."""
    if isinstance(exc, OSError):
        return "索引文件无法读取"
    if type(exc).__name__ in ("EmptyIndexError", "IndexVersionError"):
        return "索引文件缺失或版本不对"
    return f"索引文件已损坏（{type(exc).__name__}）"


def _current(gen: str) -> dict:
    """What ``CURRENT`` says: the generation in use and what its tokens were made with."""
    return {"gen": gen, "schema": SCHEMA_VERSION, "analysis": analysis_stamp()}


def _damaged(index_dir: Path, reason: str) -> IndexDamaged:
    exc = IndexDamaged(f"检索索引 {index_dir} 无法读取（{reason}），"
                       f"请运行 jiaarchive index rebuild 重建索引。")
    exc.reason = reason
    return exc


class SearchIndex:
    """An opened index directory.  Keep one per process: it holds a searcher open."""

    def __init__(self, index_dir: Path, lock_timeout: float = LOCK_TIMEOUT,
                 extra_groups: tuple = ()):
        self.dir = Path(index_dir)
        # An archive's own synonym groups (synonyms.archive_groups), beside the table's.
        self.extra_groups = tuple(extra_groups)
        self.lock_timeout = lock_timeout
        self._gen: str | None = None
        self._current_stat = None
        self._ix = None
        self._searcher = None
        self._store = None
        self._tpos_cache: dict = {}
        self._facet_cols = None
        # One writer at a time across computers (an archive on a shared PostgreSQL database):
        # a context-manager factory held around every write and rebuild; None on one computer,
        # where Whoosh's own lock file suffices.  Readers never take it.
        self.writer_lock: Callable[[], object] | None = None

    # opening ------------------------------------------------------------------------
    @classmethod
    def open(cls, index_dir: str | Path, *, create: bool = True,
             lock_timeout: float = LOCK_TIMEOUT, extra_groups: tuple = ()) -> "SearchIndex":
        """Open (or create) the index; raises IndexDamaged when it cannot be read."""
        self = cls(Path(index_dir), lock_timeout, extra_groups)
        if not (self.dir / CURRENT).exists():
            if not create:
                raise _damaged(self.dir, NO_INDEX)
            with _Locked(self.dir, "create.lock", lock_timeout):
                if not (self.dir / CURRENT).exists():
                    self._create_generation(self._next_gen_name())
        self._open_current()
        return self

    def _read_current(self) -> str:
        try:
            data = json.loads((self.dir / CURRENT).read_text(encoding="utf-8"))
            gen = data["gen"]
            schema = data.get("schema")
        except FileNotFoundError:
            raise _damaged(self.dir, "缺少 CURRENT 文件") from None
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            raise _damaged(self.dir, "CURRENT 文件损坏") from None
        if schema != SCHEMA_VERSION:
            raise _damaged(self.dir, "索引格式已过时")
        if data.get("analysis") != analysis_stamp():
            raise _damaged(self.dir, "繁简转换表已更新")
        if not isinstance(gen, str) or "/" in gen or not gen.startswith("gen-"):
            raise _damaged(self.dir, "CURRENT 文件损坏")
        return gen

    def _stat_current(self):
        try:
            st = os.stat(self.dir / CURRENT)
            return (st.st_ino, st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            return None

    def _open_current(self):
        from whoosh import index as wi

        stat = self._stat_current()
        gen = self._read_current()
        try:
            ix = wi.open_dir(str(self.dir / gen))
            searcher = ix.searcher()
        except Exception as exc:  # any failure to read the files means a damaged index
            raise _damaged(self.dir, _reason(exc)) from exc
        self._close_searcher()
        self._gen, self._ix, self._searcher, self._current_stat = gen, ix, searcher, stat
        self._store = StoreReader(self.dir / gen)
        self._tpos_cache = {}
        self._facet_cols = None

    def _next_gen_name(self) -> str:
        nums = [int(p.name[4:]) for p in self.dir.glob("gen-*") if p.name[4:].isdigit()]
        return f"gen-{max(nums, default=0) + 1:06d}"

    def _create_generation(self, gen: str):
        from whoosh import index as wi

        d = self.dir / gen
        d.mkdir(parents=True, exist_ok=False)
        ix = wi.create_in(str(d), _schema(extra_groups=self.extra_groups))
        _write_json_atomic(self.dir / CURRENT, _current(gen))
        return ix

    def _fresh_searcher(self):
        """The kept-open searcher, refreshed when another writer or a rebuild changed things."""
        if self._stat_current() != self._current_stat:
            self._open_current()
        elif not self._searcher.up_to_date():
            # Not Searcher.refresh(): it reuses segment readers whose cached deletion sets
            # are then stale (deleted or replaced records keep matching), and it fails on
            # an empty index.
            self._close_searcher()
            self._searcher = self._ix.searcher()
            self._facet_cols = None
            self._tpos_cache = {}
        return self._searcher

    def close(self) -> None:
        self._close_searcher()
        self._ix = None

    def _close_searcher(self):
        if self._store is not None:
            self._store.close()
        if self._searcher is not None:
            try:
                self._searcher.close()
            except Exception:
                pass
            self._searcher = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # writing -------------------------------------------------------------------------
    def _write(self, fn: Callable) -> None:
        """Run ``fn(writer)`` under the write lock of the current generation, with retries."""
        with self._writer_held():
            self._write_locked(fn)

    def _writer_held(self):
        from contextlib import nullcontext

        return self.writer_lock() if self.writer_lock is not None else nullcontext()

    def _write_locked(self, fn: Callable) -> None:
        from whoosh.index import LockError

        deadline = time.monotonic() + self.lock_timeout
        delay = 0.01
        while True:
            if self._stat_current() != self._current_stat:
                self._open_current()
            try:
                w = self._ix.writer(codec=_codec(), compound=COMPOUND)
            except LockError:
                if time.monotonic() > deadline:
                    raise IndexBusy(f"检索索引 {self.dir} 正被其他程序写入，等待超时，"
                                    f"本次更改已记下，下次启动时补上。") from None
                time.sleep(delay * (0.5 + random.random()))
                delay = min(delay * 2, 0.5)
                continue
            except JiaError:
                raise
            except Exception as exc:
                raise _damaged(self.dir, _reason(exc)) from exc
            # A rebuild may have swapped generations while we waited for the lock.
            if self._stat_current() != self._current_stat:
                w.cancel()
                continue
            try:
                fn(w)
                w.commit()
            except BaseException:
                w.cancel()
                raise
            return

    def upsert(self, docs: Iterable[SearchDoc]) -> None:
        """Replace everything indexed for these records."""
        docs = list(docs)
        if not docs:
            return
        prepared = [_fields(d) for d in docs]

        def fn(w):
            store = StoreWriter(self.dir / self._gen)
            try:
                for f, entry in prepared:
                    w.update_document(**f, tpos=store.add(entry))
                store.sync()
            finally:
                store.close()
        self._write(fn)

    def delete(self, record_ids: Iterable[int]) -> None:
        ids = [str(int(i)) for i in record_ids]
        if not ids:
            return

        def fn(w):
            for i in ids:
                w.delete_by_term("rid", i)
        self._write(fn)

    def apply(self, upserts: Iterable[SearchDoc] = (), deletes: Iterable[int] = ()) -> bool:
        """Index a change crash-safely: mark behind, update, clear the mark.

        Returns False (and leaves the records marked behind for :meth:`catch_up`) when
        the update failed; the caller's filing has already succeeded and stands.
        """
        upserts, deletes = list(upserts), [int(i) for i in deletes]
        ids = {d.record_id for d in upserts} | set(deletes)
        if not ids:
            return True
        mark_behind(self.dir, ids)
        try:
            with self._writer_held():
                self.upsert(upserts)
                self.delete(deletes)
                clear_pending(self.dir, ids)
        except Exception:
            return False
        return True

    def catch_up(self, load_docs: Callable[[set[int]], Iterable[SearchDoc]]) -> int:
        """Finish the updates marked behind; ``load_docs(ids)`` gives those still in the DB.

        Records it does not return are removed from the index.  Returns how many were
        caught up.  (A pending list that cannot be read comes back as ``{-1}``: the
        caller should then rebuild.)
        """
        ids = pending(self.dir) - {-1}
        if not ids:
            return 0
        docs = [d for d in load_docs(ids) if d.record_id in ids]
        with self._writer_held():
            self.upsert(docs)
            self.delete(ids - {d.record_id for d in docs})
            clear_pending(self.dir, ids)
        return len(ids)

    def check_space(self, text_bytes: int) -> int:
        """Raise :class:`NotEnoughSpace` unless a rebuild over ``text_bytes`` of text fits.

        A rebuild writes a new generation beside the one in use: the new index (about
        :data:`INDEX_PER_TEXT` times its text: the text store plus the postings) and, while
        it is written, temporary files that stay under that again (``_writers.py``).
        Returns the bytes asked for.
        """
        from ..errors import NotEnoughSpace

        need = int(2 * INDEX_PER_TEXT * text_bytes) + SPACE_MARGIN
        where = self.dir if self.dir.exists() else self.dir.parent
        free = shutil.disk_usage(where).free
        if free < need:
            mb = 1 << 20
            raise NotEnoughSpace(
                f"重建检索索引约需 {need // mb + 1} MB 磁盘空间（新索引约 {int(INDEX_PER_TEXT * text_bytes) // mb + 1} MB，"
                f"重建时的临时文件不超过它），但“{where}”所在磁盘只剩 {free // mb} MB。"
                f"请先腾出空间再重建；原有索引未受影响。")
        return need

    def rebuild(self, docs: Iterable[SearchDoc], *,
                progress: Callable[[int, int | None], None] | None = None,
                total: int | None = None, limitmb: int = 128) -> None:
        """Index ``docs`` into a fresh generation, then swap it in atomically.

        Writers of the old generation wait (bounded) while the rebuild holds its lock;
        the pending list is cleared, since the rebuild read everything afresh.

        From :data:`MP_MIN_DOCS` records on (or when ``total`` is unknown) the analysis
        and posting work — ~25 ms a record of Whoosh's Python, nearly all of a rebuild —
        runs in Whoosh's MpWriter sub-processes (one per core, at most
        :data:`MP_MAX_PROCS`), each writing its own segment, while this process
        consumes ``docs`` (so text extraction overlaps with indexing), prepares the
        fields and appends the text store.  Documents reach the sub-processes pickled
        in job files of :data:`MP_BATCH`; the codec and the text store are untouched
        by it (``tpos`` is computed here before a document is handed over).  On the
        5,000-record bench archive: 46 → 93 documents/s with extraction, 112 index only.
        """
        with self._writer_held():
            self._rebuild_locked(docs, progress=progress, total=total, limitmb=limitmb)

    def _rebuild_locked(self, docs: Iterable[SearchDoc], *, progress, total, limitmb) -> None:  # noqa: ANN001
        from whoosh import index as wi

        from ._writers import MpPackedWriter, PackedSegmentWriter

        old_lock = None
        if self._ix is not None:
            old_lock = self._ix.lock("WRITELOCK")
            deadline = time.monotonic() + self.lock_timeout
            while not old_lock.acquire(blocking=False):
                if time.monotonic() > deadline:
                    raise IndexBusy(f"检索索引 {self.dir} 正被其他程序写入，请稍后再重建。")
                time.sleep(0.05)
        try:
            if total is None and isinstance(docs, (list, tuple)):
                total = len(docs)
            # The n-grams worth indexing whole, from the first records (see ngrams.py).
            docs = iter(docs)
            head: deque = deque()
            for x in islice(docs, ngrams.SAMPLE):  # (reading them is most of the time)
                head.append(x)
                if progress is not None:
                    progress(len(head), total)
            vocab = ngrams.choose(_doc_text(x) for x in head)
            sampled = len(head)
            docs = chain(_drain(head), docs)  # (each sampled record freed once indexed)
            gen = self._next_gen_name()
            d = self.dir / gen
            d.mkdir(parents=True)
            ix = wi.create_in(str(d), _schema(vocab, sampled, self.extra_groups))
            procs = _rebuild_procs(total)
            if procs > 1:
                # Whoosh's MpWriter: this process prepares documents (and writes the text
                # store, so ``tpos`` is known), sub-processes analyse and write one
                # segment each (multisegment: no final merge of their postings).
                # Packed runs (_writers.py): temporary files a fraction of the postings.
                w = MpPackedWriter(ix, procs=procs, batchsize=MP_BATCH, multisegment=True,
                                   limitmb=limitmb, codec=_codec(), compound=COMPOUND)
            else:
                w = PackedSegmentWriter(ix, limitmb=limitmb, codec=_codec(), compound=COMPOUND)
            store = StoreWriter(d)
            try:
                n = 0
                for doc in docs:
                    f, entry = _fields(doc)
                    w.add_document(**f, tpos=store.add(entry))
                    n += 1
                    if progress is not None and n > sampled:
                        progress(n, total)
                store.sync()
                store.close()
                w.commit()
            except BaseException:
                store.close()
                # MpWriter.cancel() cannot reach its sub-processes (it flags the parent's
                # copies of them): they would wait for jobs forever and keep this process
                # from exiting.  Their half-written segments go with the directory.
                for task in getattr(w, "tasks", ()):
                    task.terminate()
                    task.join()
                w.cancel()
                shutil.rmtree(d, ignore_errors=True)
                raise
            _write_json_atomic(self.dir / CURRENT, _current(gen))
            clear_pending(self.dir)
        finally:
            if old_lock is not None:
                old_lock.release()
        self._open_current()
        self._remove_old_generations()

    def _remove_old_generations(self):
        # Keep the previous generation: another process may still be reading it.
        gens = sorted(p for p in self.dir.glob("gen-*") if p.is_dir())
        for p in gens[:-2]:
            if p.name != self._gen:
                shutil.rmtree(p, ignore_errors=True)

    # reading -------------------------------------------------------------------------
    def versions(self) -> dict[int, str]:
        """record id → version stamp of what is indexed, for `index check`."""
        try:
            r = self._fresh_searcher().reader()
            if r.doc_count_all() == 0:
                return {}
            rids = r.column_reader("rid")
            vers = r.column_reader("ver")
            return {int(rids[d]): vers[d] for d in r.all_doc_ids()}
        except JiaError:
            raise
        except Exception as exc:
            raise _damaged(self.dir, _reason(exc)) from exc

    def check(self, db_versions: Mapping[int, str]) -> IndexCheck:
        """Compare with the database: missing, stale, orphaned and pending records."""
        have = self.versions()
        missing = sorted(i for i in db_versions if i not in have)
        stale = sorted(i for i, v in db_versions.items() if i in have and have[i] != v)
        orphans = sorted(i for i in have if i not in db_versions)
        return IndexCheck(missing, stale, orphans, sorted(pending(self.dir)))

    def doc_count(self) -> int:
        return self._fresh_searcher().doc_count()

    def tuning(self) -> "Tuning":
        """What the index chose when it was built (derived tokens), and whether to rebuild."""
        from .concepts import Concepts

        r = self._fresh_searcher().reader()
        ana = r.schema["body"].analyzer
        concepts = getattr(ana, "concepts", None) or Concepts(())
        return Tuning(records=r.doc_count(), ngrams=len(getattr(ana, "vocab", ()) or ()),
                      sampled=getattr(ana, "vocab_sample", 0) or 0, concepts=len(concepts),
                      synonyms_changed=Concepts(_synonym_groups(self.extra_groups)) != concepts)

    def search(self, query: str | ParsedQuery, *, code: str | None = None,
               years: tuple[int, int] | None = None, item: int | None = None,
               kind: str | None = None, include_trashed: bool = False, limit: int = 20,
               synonyms: dict | None = None) -> SearchResult:
        """Records matching ``query`` (all words), best first, with facets over all matches."""
        parsed = parse_query(query) if isinstance(query, str) else query
        syn = load_synonyms(extra=self.extra_groups) if synonyms is None else synonyms
        for attempt in (0, 1):
            try:
                return self._search(parsed, syn, code, years, item, kind, include_trashed, limit)
            except JiaError:
                raise
            except Exception as exc:
                # A rebuild in another process may have removed files under us: reopen once.
                if attempt == 0 and self._stat_current() != self._current_stat:
                    self._open_current()
                    continue
                raise _damaged(self.dir, _reason(exc)) from exc
        raise AssertionError("unreachable")

    def _search(self, *args) -> SearchResult:
        try:
            return self._run_search(*args)
        finally:
            # Also after queries without hits: their phrase checks mapped pages too.
            self._store.release(RELEASE_BUDGET)

    def _run_search(self, parsed, syn, code, years, item, kind, include_trashed, limit):
        import numpy as np

        from ._exec import run, top

        s = self._fresh_searcher()
        empty = SearchResult(0, [], {"volume": {}, "year": {}}, parsed)
        if s.doc_count_all() == 0:
            return empty
        nums, scores = [], []
        for sub, offset in s.leaf_searchers():
            r = sub.reader()
            plan = plan_query(parsed, r, syn, code=code, years=years, item=item, kind=kind,
                              include_trashed=include_trashed)
            if plan is not None:
                d, sc = run(plan, [(r, offset)], s.idf, self._store, self._keep)
                nums.append(d)
                scores.append(sc)
        if not nums or not sum(len(d) for d in nums):
            return empty
        docs, scores = np.concatenate(nums), np.concatenate(scores)
        facets = {name: self._facet(s, name, docs) for name in ("volume", "year")}
        pattern = highlight_pattern(self._highlight_words(parsed, syn))
        hits = [self._hit(s, d, score, pattern) for score, d in top(docs, scores, limit)]
        return SearchResult(len(docs), hits, facets, parsed)

    def _facet(self, s, name: str, docs) -> dict[str, int]:
        """How many of ``docs`` (global document numbers) have each value of column ``name``."""
        import numpy as np

        cols = self._facet_cols
        if cols is None:
            cols = self._facet_cols = {}
        got = cols.get(name)
        if got is None:
            values = list(s.reader().column_reader(name))
            labels = sorted(set(values))
            code = {v: i for i, v in enumerate(labels)}
            got = cols[name] = (labels, np.array([code[v] for v in values], dtype=np.int32))
        labels, codes = got
        counts = np.bincount(codes[docs], minlength=len(labels))
        return {labels[i]: int(counts[i]) for i in np.flatnonzero(counts) if labels[i]}

    @staticmethod
    def _highlight_words(parsed: ParsedQuery, syn) -> list[str]:
        return [v for w in parsed.highlight_words() for v in variant_words(w, syn)]

    def _keep(self, reader) -> dict:
        """Values derived from a segment reader, kept as long as the searcher is."""
        got = self._tpos_cache.get(id(reader))
        if got is None or got[0] is not reader:
            got = self._tpos_cache[id(reader)] = (reader, {})
        return got[1]

    def _tpos(self, reader):
        keep = self._keep(reader)
        if "tpos" not in keep:
            keep["tpos"] = self._store.column(reader)
        return keep["tpos"]

    def _hit(self, s, docnum: int, score: float, pattern) -> Hit:
        st = s.stored_fields(docnum)
        best = None
        sub, offset = [(r, o) for r, o in s.reader().leaf_readers() if o <= docnum][-1]
        blob, _need = self._tpos(sub)
        n = _STORE_POS_SIZE
        local = docnum - offset
        tpos = blob[local * n:local * n + n]
        texts = self._store.files(tpos)
        # Only an entry with characters normalisation changes (繁体, full-width …) can hold a
        # word the pattern misses as written: others are never folded (an identifier query
        # found through its field would fold every hit's whole text for nothing).
        fold_ok = bool(tpos) and bool(_STORE_POS.unpack(tpos)[4] & FLAG_UNIT_RISK)
        for i, (file_id, path, *ocr) in enumerate(st.get("files") or []):
            text = texts[i] if i < len(texts) else ""
            snip = make_snippet(text, pattern, fold_ok)
            if best is None or snip.matches > best[0].matches:
                best = (snip, path, file_id, bool(ocr and ocr[0]))
        if best is None:
            snip = make_snippet(st.get("title", ""), pattern, fold_ok)
            best = (snip, None, None, False)
        snip, path, file_id, ocr = best
        title = st.get("title", "")
        return Hit(record_id=int(st["rid"]), archive_no=st.get("archive_no", ""),
                   code=st.get("code", ""), title=st.get("title", ""), date=st.get("date"),
                   score=float(score), snippet=snip.marked, path=path, file_id=file_id,
                   snippet_text=snip.text, spans=tuple(snip.spans),
                   trashed=st.get("trashed") == "1", ocr=ocr,
                   title_spans=tuple(match_spans(title, pattern, fold_ok)))
