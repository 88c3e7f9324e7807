"""Proposals for a whole pile (收件箱建议): what each file is, where it goes, what to check.

``propose_pile(archive, source, staging)`` walks ``source`` (``walk``), hashes every file
(duplicates of filed records and within the pile), extracts the text of the rest in the
sandboxed extraction workers (in parallel), reads titles (``titles``) and dates (``dates``),
asks the search index for similar filed records, scores every entry (``classify``), lets the
files of one folder inform each other, and returns one ``FileProposal`` per file.  It reads
the archive and changes nothing in it.
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import storage
from . import classify, dates, titles
from .keywords import KeywordTable, load_table
from .profiles import EntryProfiles, load_profiles
from .progress import Report, Step, silent
from .walk import Item, Staging, Walk, drop_archive_files, walk

if TYPE_CHECKING:
    from ..archive import Archive
    from ..extract import Extraction

FLAGS = {
    "duplicate": "与已归档文件或本批另一文件内容相同",
    "already_filed": "已经归档过",
    "unreadable": "无法读取",
    "encrypted": "已加密",
    "refused": "不安全，未解压",
    "image_only_pdf": "扫描件（无文字层）",
    "photo_without_date": "照片没有拍摄时间",
    "not_a_document": "不是文档或照片",
}
DATE_SOURCES = {
    "exif": "照片拍摄时间", "xmp": "照片拍摄时间", "filename": "文件名", "record": "照片说明",
    "properties": "文档属性（创建日期，请核对）",
}
_NOT_DOCUMENTS = {"unknown", "wps-works"}
_BAD_STATUSES = {"corrupt", "error", "timeout", "too_large"}
_QUERY_STOP = re.compile(r"关于|开展|召开|举办|印发|转发|做好|进一步|加强|有关|工作|年度|公司|工会|委员会|通知|方案|"
                         r"安排|情况|活动|会议|报告|总结|第.届|第.次|\d+年?")


@dataclass(frozen=True)
class FileProposal:
    """One file of the pile and what the inbox proposes for it."""

    rel: str  # relative to the pile; zip members as ``a.zip!b/c.docx``
    location: tuple[str, ...]
    name: str
    kind: str  # file type in Chinese (Word 文档, 照片 …)
    size: int
    sha256: str
    proposals: tuple[classify.CodeProposal, ...]
    title: str
    title_source: str  # key of titles.SOURCES, or ''
    date: date | None
    date_source: str  # Chinese: 正文落款日期, 照片拍摄时间, 文件名 …
    items: tuple[int, ...] = ()  # scoresheet items the top entry proves (catalog/mapping.toml)
    flags: tuple[str, ...] = ()  # keys of FLAGS
    notes: tuple[str, ...] = ()  # one Chinese sentence per flag, naming the file
    duplicate_of: str = ""  # 档号, or the path of the same file earlier in the pile
    is_photo: bool = False

    @property
    def code(self) -> str:
        return self.proposals[0].code if self.proposals else ""

    @property
    def confidence(self) -> float:
        return self.proposals[0].confidence if self.proposals else 0.0

    @property
    def fileable(self) -> bool:
        """Something that can be filed at all (read, not a duplicate, not refused)."""
        return not ({"duplicate", "already_filed", "unreadable", "encrypted", "refused"} & set(self.flags))

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.rel,
            "proposals": [p.to_json() for p in self.proposals],
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "flags": list(self.flags),
            "title_source": self.title_source,
            "date_source": self.date_source,
            "items": list(self.items),
            "notes": list(self.notes),
            "duplicate_of": self.duplicate_of or None,
            "kind": self.kind,
            "size": self.size,
            "sha256": self.sha256,
            "location": list(self.location),
        }


@dataclass
class Pile:
    """The proposals for one pile, in the order the files were found."""

    source: Path
    files: list[FileProposal] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)  # about the run (keyword table, index)
    skipped_text: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"items": [f.to_json() for f in self.files], "skipped": dict(self.skipped), "notes": self.notes}


# ---------------------------------------------------------------- the steps


@dataclass
class _Work:
    item: Item
    sha: str = ""
    kind: str = ""
    label: str = ""
    is_image: bool = False
    text: str = ""
    status: str = ""
    reason: str = ""
    flags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    duplicate_of: str = ""
    scores: classify.Scores | None = None
    title: titles.Title = titles.Title("", "")
    when: date | None = None
    when_source: str = ""
    ocr: str = ""  # what text recognition read in a scan or a photo


def propose_pile(archive: "Archive", source: Path, staging: Staging, *, report: Report = silent,
                 cancelled: Callable[[], bool] = lambda: False, workers: int = 2,
                 walked: Walk | None = None) -> Pile:
    """Proposals for every file in ``source`` (a folder, a .zip or one file); see the module docstring."""
    source = Path(source)
    started = time.monotonic()
    report(Step(0, 0, storage.display_path(source), "读取", started))
    walked = drop_archive_files(walked if walked is not None else walk(source, staging), archive.root)
    pile = Pile(source, skipped=walked.skipped, skipped_text=walked.skipped_text())
    work = [_Work(it) for it in walked.items]
    table = load_table(archive)
    pile.notes += table.notes
    entry_profiles = load_profiles(archive)

    _identify(archive, work, report, cancelled)
    _extract(archive, work, report, cancelled, workers)
    pile.notes += _recognise(work, report, cancelled, workers)
    similar = _Similar(archive)
    if similar.note:
        pile.notes.append(similar.note)
    linked = _linked_items(archive)
    started = time.monotonic()
    for i, w in enumerate(work):
        if cancelled():
            break
        report(Step(i, len(work), w.item.rel, "分析", started))
        _read_document(w, table)
        if w.item.path is not None and w.kind != "empty":
            w.scores = classify.score(_evidence(w, table, similar, entry_profiles), table)
    similar.close()
    own = {id(w): w.scores.top_points for w in work if w.scores is not None}
    _neighbours(work)
    _same_day(work, own)
    _pile_prior(work)
    for w in work:
        ranked = tuple(classify.rank(w.scores)) if w.scores is not None else ()
        pile.files.append(FileProposal(
            rel=w.item.rel, location=w.item.location, name=w.item.name, kind=w.label, size=w.item.size,
            sha256=w.sha, proposals=ranked, title=w.title.text, title_source=w.title.source,
            date=w.when, date_source=w.when_source, items=linked.get(ranked[0].code, ()) if ranked else (),
            flags=tuple(dict.fromkeys(w.flags)), notes=tuple(dict.fromkeys(w.notes)), duplicate_of=w.duplicate_of,
            is_photo=w.is_image,
        ))
    report(Step(len(work), len(work), "", "完成", started))
    return pile


def _identify(archive: "Archive", work: list[_Work], report: Report, cancelled: Callable[[], bool]) -> None:
    """Type, checksum and duplicates of every file; refused zip members flagged."""
    from sqlalchemy import select

    from ..db.models import TRASHED, File, PhotoLabelRow, Record
    from ..extract.sniff import sniff

    started = time.monotonic()
    for i, w in enumerate(work):
        if cancelled():
            return
        it = w.item
        report(Step(i, len(work), it.rel, "读取", started))
        if it.path is None:
            key = "encrypted" if it.hazard == "encrypted" else ("unreadable" if it.hazard in ("corrupt", "unreadable") else "refused")
            w.flags.append(key)
            w.notes.append(it.refusal)
            w.label = "压缩包成员" if it.in_zip else "文件"
            continue
        try:
            w.sha, _ = storage.hash_file(it.path)
            ft = sniff(it.path, deep=False)
        except OSError as exc:
            w.flags.append("unreadable")
            w.notes.append(f"文件“{it.rel}”无法读取（{exc.strerror or exc}）。")
            w.item = Item(it.rel, it.location, it.name, it.folders, None, it.size, str(exc), "unreadable")
            continue
        w.kind, w.label, w.is_image = ft.kind, ft.label, ft.is_image
        if ft.kind == "empty":
            w.flags.append("unreadable")
            w.notes.append(f"文件“{it.rel}”是空文件（0 字节），不能归档。")
        elif ft.kind == "zip":  # named as a Word/Excel/OFD document (else walked as a zip), but not one inside
            w.flags.append("unreadable")
            w.notes.append(f"文件“{it.rel}”已损坏或不完整，看不出是什么文档，无法读取其中的文字。")
        elif ft.kind in _NOT_DOCUMENTS:
            w.flags.append("not_a_document")
            w.notes.append(f"文件“{it.rel}”不是文档或照片（{ft.label}），请确认是否需要归档。")
        elif ft.encrypted:
            w.flags.append("encrypted")
            w.notes.append(f"文件“{it.rel}”已加密，需要密码才能读取，建议解密后再归档。")
    shas = {w.sha for w in work if w.sha}
    filed: dict[str, tuple[str, str, str]] = {}
    with archive.session() as s:
        for chunk in _chunks(sorted(shas), 500):
            cols = (Record.archive_no, File.original_name, Record.status)
            rows = list(s.execute(select(File.sha256, *cols).join(Record).where(File.sha256.in_(chunk)))) + list(s.execute(
                select(PhotoLabelRow.original_sha256, *cols)  # a photo as received, before its label changed it
                .join(File, PhotoLabelRow.file_id == File.id).join(Record).where(PhotoLabelRow.original_sha256.in_(chunk))))
            for sha, no, original, status in rows:
                filed.setdefault(sha, (no, original, status))
    first: dict[str, str] = {}
    for w in work:
        if not w.sha:
            continue
        if w.sha in filed:
            no, original, status = filed[w.sha]
            same = original == w.item.name
            where = "（在回收站中）" if status == TRASHED else ""
            w.flags.append("already_filed" if same else "duplicate")
            w.duplicate_of = no
            w.notes.append(f"文件“{w.item.rel}”已经归档过，档号 {no}{where}。" if same
                           else f"文件“{w.item.rel}”与已归档的“{original}”内容相同，档号 {no}{where}。")
        elif w.sha in first:
            w.flags.append("duplicate")
            w.duplicate_of = first[w.sha]
            w.notes.append(f"文件“{w.item.rel}”与本批的“{first[w.sha]}”内容相同，只需归档一份。")
        else:
            first[w.sha] = w.item.rel


def _chunks(seq: list, n: int):
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


def _extract(archive: "Archive", work: list[_Work], report: Report, cancelled: Callable[[], bool], workers: int) -> None:
    """Text of every readable file: the archive's cache by checksum, else the extraction workers."""
    from ..extract import extract_many
    from ..indexing import cached_texts

    todo = [w for w in work if w.item.path is not None and not ({"unreadable", "encrypted", "not_a_document"} & set(w.flags))]
    cached = cached_texts(archive, {w.sha for w in todo})
    by_sha: dict[str, list[_Work]] = defaultdict(list)
    for w in todo:
        by_sha[w.sha].append(w)
    pending: dict[Path, str] = {}
    for sha, ws in by_sha.items():
        if sha in cached:
            status, text, reason = cached[sha]
            for w in ws:
                w.status, w.text, w.reason = status, text[:TEXT_KEPT], reason
        else:
            pending[ws[0].item.path] = sha  # type: ignore[index]
    started = time.monotonic()
    done = len(todo) - sum(len(by_sha[s]) for s in pending.values())
    report(Step(done, len(todo), "", "提取文字", started))
    if not pending:
        return
    for path, ext in extract_many(list(pending), workers=workers):
        for w in by_sha[pending[path]]:
            _take(w, ext)
            done += 1
        report(Step(done, len(todo), by_sha[pending[path]][0].item.rel, "提取文字", started))
        if cancelled():
            return


OCR_ENV = "JIAARCHIVE_INBOX_OCR"  # "0": the inbox reads no scans or photos (a slow machine; the tests)
OCR_SECONDS = 30.0  # at most this long reading scans and photos (a pile of 500 stays within a minute)
OCR_TIMEOUT = 20.0  # one page


def _recognise(work: list[_Work], report: Report, cancelled: Callable[[], bool], workers: int) -> list[str]:
    """Text recognition (OCR, when installed) of what has no text of its own: the first page
    of scans, then photos whose name says nothing (a banner, a screen or a sign names the
    event).  Limited to ``OCR_SECONDS``; what is left is said in the pile's notes."""
    from ..extract import recognise_many
    from ..extract.ocr import available

    scans = [w for w in work if w.status == "no_text_layer" and w.item.path is not None]
    photos = [w for w in work if w.is_image and w.item.path is not None and w.kind != "empty"
              and not ({"unreadable", "encrypted"} & set(w.flags)) and not titles.from_name(_stem(w.item.name))]
    todo = scans + photos
    if not todo or os.environ.get(OCR_ENV, "").strip() == "0" or not available():
        return []
    by_path = {w.item.path: w for w in todo}
    jobs = [(w.item.path, "pdf" if w in scans else w.kind, 0) for w in todo]
    started = time.monotonic()
    done = 0
    report(Step(0, len(todo), "", "识别文字", started))
    results = recognise_many(jobs, workers=workers, timeout=OCR_TIMEOUT)
    try:
        for (path, _page), rec in results:
            w = by_path[path]
            done += 1
            if rec.status == "ok" and rec.text.strip():
                w.ocr = rec.text
            report(Step(done, len(todo), w.item.rel, "识别文字", started))
            if cancelled() or time.monotonic() - started > OCR_SECONDS:
                break
    finally:
        results.close()
    left = len(todo) - done
    if left and not cancelled():
        return [f"文字识别用时已到 {OCR_SECONDS:.0f} 秒上限，还有 {left} 个扫描件或照片未识别，它们的建议只依据文件名和文件夹。"]
    return []


def _stem(name: str) -> str:
    return name.rsplit(".", 1)[0] if "." in name else name


TEXT_KEPT = 60_000  # characters of a file's text kept for its title, date and words (a pile may be large)


def _take(w: _Work, ext: "Extraction") -> None:
    w.status, w.text, w.reason = ext.status, ext.text[:TEXT_KEPT], ext.reason


def _read_document(w: _Work, table: KeywordTable) -> None:
    """Flags from the extraction, then the title and the date."""
    it = w.item
    shown = f"文件“{it.rel}”"
    if w.status == "no_text_layer":
        w.flags.append("image_only_pdf")
        w.notes.append(f"{shown}是扫描件或图片型 PDF，没有文字层：第一页的文字是识别出来的，目录、题名和日期请核对。" if w.ocr
                       else f"{shown}是扫描件或图片型 PDF，没有文字层：目录和题名只能依据文件名和文件夹，请核对。")
    elif w.status == "encrypted":
        w.flags.append("encrypted")
        w.notes.append(f"{shown}已加密，需要密码才能读取，建议解密后再归档。")
    elif w.status in _BAD_STATUSES:
        w.flags.append("unreadable")
        w.notes.append(w.reason.replace(f"文件“{it.path.name if it.path else it.name}”", shown) if w.reason else f"{shown}无法读取。")
    if it.path is None or w.kind == "empty":
        return
    stem = it.name.rsplit(".", 1)[0] if "." in it.name else it.name
    text = w.text
    if w.is_image:
        text = "\n".join(text.splitlines()[1:])  # photo_text starts with the file's stem
    if w.ocr and not w.is_image:  # a scan: what was read is the document's text
        text = w.ocr
    w.text = text
    props = None
    if not w.is_image and w.kind in ("docx", "xlsx", "pptx", "pdf"):
        from ..extract.sniff import doc_properties

        props = doc_properties(it.path)
    w.title = titles.propose_title(text=text, properties_title=props.title if props else None, stem=stem,
                                   folders=it.folders, is_photo=w.is_image, spreadsheet=w.kind in ("xlsx", "xls", "ods"),
                                   describes=lambda t: bool(table.find(t)), seen=w.ocr if w.is_image else "")
    if w.ocr and w.is_image:
        w.text = "\n".join(x for x in (text, w.ocr) if x)  # the words on a banner count as the photo's text

    _date(w, stem, props.created if props else None)


def _date(w: _Work, stem: str, created: date | None) -> None:
    it = w.item
    if w.is_image:
        from ..photos.inspect import capture_time

        taken, how = capture_time(it.path)  # type: ignore[arg-type]
        if taken is not None:
            w.when, w.when_source = taken.date(), DATE_SOURCES.get(how or "", "照片")
            if how == "filename":
                w.notes.append(f"照片“{it.rel}”的日期只来自文件名（多为微信保存时间），请核对拍摄日期。")
        else:
            w.flags.append("photo_without_date")
            w.notes.append(f"照片“{it.rel}”没有拍摄时间（无 EXIF，微信等转发会去除），请填写拍摄日期。")
        return
    found = dates.document_date(w.text, table=w.kind in ("xlsx", "xls", "ods", "xlsb")) if w.text else None
    if found is not None:
        w.when, w.when_source = found.date, found.reason
        return
    named = dates.name_date(stem)
    if named is not None:
        w.when, w.when_source = named, DATE_SOURCES["filename"]
    elif created is not None and created < date.today():  # "created today": a converter's stamp
        w.when, w.when_source = created, DATE_SOURCES["properties"]


def _evidence(w: _Work, table: KeywordTable, similar: "_Similar", entry_profiles: EntryProfiles | None = None) -> classify.Evidence:
    it = w.item
    stem = it.name.rsplit(".", 1)[0] if "." in it.name else it.name
    named = titles.from_name(stem) or (stem if classify.code_in_name(stem, table.codes) else "")
    label = titles.SOURCES.get(w.title.source, "题名")
    title = w.title.text if w.title.source in ("heading", "properties") else ""
    ev = classify.Evidence(folders=it.folders, name=named, title=title, title_label=label, text=w.text,
                           text_label="照片上的文字" if w.is_image and w.ocr else "正文")
    profile = None
    if entry_profiles:
        parts = [("title", title), ("name", named), ("body", w.text)]
        parts += [("folder", f) for f in it.folders if not titles.GENERIC_FOLDERS.match(f.strip())]
        profile = entry_profiles.compare(parts)
    return replace(ev, similar=similar.find(table, ev) if similar.active else (), profile=profile)


def _neighbours(work: list[_Work]) -> None:
    """Let the files of one folder inform each other (a photo among a meeting's papers)."""
    groups: dict[str, list[_Work]] = defaultdict(list)
    for w in work:
        if w.scores is not None:
            groups["/".join(w.item.folders)].append(w)
    for folder, ws in groups.items():
        shares = [(w, w.scores.distribution()) for w in ws if w.scores and w.scores.top_points >= 4]  # type: ignore[union-attr]
        for w in ws:
            others = [d for o, d in shares if o is not w]
            if not others:
                continue
            avg: dict[str, float] = defaultdict(float)
            for d in others:
                for c, v in d.items():
                    avg[c] += v / len(others)
            name = folder.rsplit("/", 1)[-1]
            classify.add_neighbours(w.scores, avg, len(others), name,  # type: ignore[arg-type]
                                    generic=not name or bool(titles.GENERIC_FOLDERS.match(name)))


THIN = 4.0  # a file whose own evidence scores below this leans on the files around it


def _same_day(work: list[_Work], own: dict[int, float]) -> None:
    """Photos with little evidence of their own get what the documents made on, or naming, the
    day they were taken were proposed as (the notice names the day of the sports meet, its
    photos carry that day), and what the other photos of that day that say what they show were."""
    by_day: dict[date, list[_Work]] = defaultdict(list)
    for w in work:
        if w.scores is None or own.get(id(w), 0.0) < THIN:
            continue
        days = set()
        if w.text and not w.is_image:
            days = dates.mentioned_days(w.text[:20_000], w.when.year if w.when else None)
        if w.when:  # a photo of the event that says what it is (in a named folder, a banner) counts too
            days.add(w.when)
        for d in days:
            by_day[d].append(w)
    for w in work:
        if w.scores is None or not w.is_image or w.when is None or own.get(id(w), 0.0) >= THIN:
            continue
        docs = by_day.get(w.when, [])
        if not docs:
            continue
        avg: dict[str, float] = defaultdict(float)
        for o in docs:
            for c, v in o.scores.distribution().items():  # type: ignore[union-attr]
                avg[c] += v / len(docs)
        classify.add_same_day(w.scores, avg, len(docs), w.when.isoformat())  # type: ignore[arg-type]


def _pile_prior(work: list[_Work]) -> None:
    """Files with nothing to go on (a forwarded photo in 微信文件) get what the pile's other
    files of their kind were proposed as."""
    for photos, what in ((True, "照片"), (False, "文档")):
        kind = [w for w in work if w.scores is not None and w.is_image == photos]
        known = [w.scores.distribution() for w in kind if w.scores.top_points >= 4]  # type: ignore[union-attr]
        if len(known) < 3:
            continue
        avg: dict[str, float] = defaultdict(float)
        for d in known:
            for c, v in d.items():
                avg[c] += v / len(known)
        for w in kind:
            if not w.scores.points:  # type: ignore[union-attr]
                classify.add_pile_prior(w.scores, avg, len(known), what)  # type: ignore[arg-type]


# ---------------------------------------------------------------- records already filed


class _Similar:
    """Similar filed records through the archive's search index (a private reader of it)."""

    LIMIT = 8

    def __init__(self, archive: "Archive") -> None:
        self.index = None
        self.note = ""
        from sqlalchemy import func, select

        from ..db.models import ACTIVE, Record

        with archive.session() as s:
            if not s.scalar(select(func.count()).select_from(Record).where(Record.status == ACTIVE)):
                return  # a new archive: nothing to compare with
        from .. import indexing
        from ..errors import JiaError

        try:
            if indexing.rebuild_reason(archive):
                self.note = "检索索引需要重建（jiaarchive index rebuild），本次未参考已归档的记录。"
                return
            from ..search import SearchIndex

            self.index = SearchIndex.open(indexing.index_dir(archive), create=False)
        except (JiaError, OSError) as exc:
            self.note = f"检索索引无法使用（{exc}），本次未参考已归档的记录。"

    @property
    def active(self) -> bool:
        return self.index is not None

    def find(self, table: KeywordTable, ev: classify.Evidence) -> tuple[classify.SimilarRecord, ...]:
        from .keywords import words_of

        words: list[str] = []
        for text in (ev.title, ev.name):
            words += [w.text for w in table.find(text)]
            words += [p for p in words_of(text) if not _QUERY_STOP.fullmatch(p)]
        # the title and the name only: a body's common words would find every record of an entry
        words = [w for w in dict.fromkeys(words) if not re.fullmatch(r"[0-9]+", w)][:10]
        if not words or self.index is None:
            return ()
        query = " OR ".join(f'"{w}"' for w in words)
        try:
            result = self.index.search(query, limit=self.LIMIT)
        except Exception:  # noqa: BLE001 - a failing index must not stop the proposals
            return ()
        return tuple(classify.SimilarRecord(h.code, h.archive_no, h.title, h.score) for h in result.hits if h.score > 0)

    def close(self) -> None:
        if self.index is not None:
            self.index.close()
            self.index = None


def _linked_items(archive: "Archive") -> dict[str, tuple[int, ...]]:
    """Entry code → the items of the archive's scoresheet that its records prove (mapping.toml)."""
    sheet = archive.scoresheet
    if sheet is None:
        return {}
    try:
        from ..coverage import rules

        cov = rules.load(archive.standards, archive.settings.extra.get("coverage"))
    except Exception:  # noqa: BLE001 - a broken mapping only loses this hint; `catalog check` reports it
        return {}
    out: dict[str, list[int]] = defaultdict(list)
    for item in sheet.items:
        for link in cov.mapping(sheet.id, item.no).links:
            if item.no not in out[link.code]:
                out[link.code].append(item.no)
    return {c: tuple(sorted(v)) for c, v in out.items()}
