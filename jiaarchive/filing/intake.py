"""The intake run (归档流程): one interface-agnostic workflow from paths to filed records.

As beets' importer, the core runs the whole sequence and the face only answers questions:

1. **collect** — the paths a clerk named: files as they are, folders walked recursively (in
   name order), zips opened safely (``inbox.walk``/``inbox.zipsafe``; a member is shown as
   ``name.zip!member/path``).  Hidden files, ``Thumbs.db``, ``desktop.ini`` and Office ``~$``
   lock files are skipped and counted.
2. **check** each file: a regular, readable, non-empty file (``storage.check_readable``); its
   SHA-256 against the archive and the rest of the batch (duplicates); the photo checks
   (``photos.records.check_incoming``).
3. **ask** — only what needs a person: what to do with duplicates and with photos whose check
   found errors (``Questions``; a face answers with prompts, flags or a modal; ``Policy``
   says which are asked and which are settled beforehand).
4. **file** each good file as its own record (its own transaction and journaled copy-in:
   ``records.file_document``), or all as one record (``together``), or into an existing record
   (``attach``); store the photo check of each photo filed (``photos.records.note_filed``).
5. **report** one ``Outcome`` per file: filed (档号), skipped as a duplicate of 档号 X, or
   refused with the reason (Chinese).  Nothing is half-filed: a file is filed whole or not at
   all.  With ``all_or_nothing`` one problem files nothing (the old behaviour).
"""

from __future__ import annotations

import os
from collections import Counter
from contextlib import nullcontext
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .. import audit, storage
from ..errors import DuplicateFile, JiaError
from ..inbox.walk import SKIP_REASONS, Staging, skip_reason, walk, within
from ..inbox.zipsafe import is_zip
from ..progress import Reporter, Tracker
from . import records
from .records import Draft, RecordView

if TYPE_CHECKING:
    from ..archive import Archive
    from ..photos.inspect import PhotoReport

# outcome statuses
FILED, DUPLICATE, REFUSED, LEFT = "filed", "duplicate", "refused", "left"
STATUS_LABELS = {FILED: "已归档", DUPLICATE: "重复，未归档", REFUSED: "未归档", LEFT: "未处理"}
# why files were left out without a word each (inbox.walk's reasons, and the archive's own files)
SKIPPED = {**SKIP_REASONS, "archive": "档案自身的文件"}
_SUMMARY_LABELS = {DUPLICATE: "重复未归档", REFUSED: "有问题未归档", LEFT: "未处理"}

# what to do with a kind of problem: ask the face, skip the file, or file it anyway
ASK, SKIP, FILE = "ask", "skip", "file"
# kinds of problem a person decides about
DUPLICATE_FOUND, BAD_PHOTO = "duplicate", "bad_photo"


# ---------------------------------------------------------------- the questions a face answers


@dataclass(frozen=True)
class Finding:
    """One file a person has to decide about: a duplicate (of ``archive_no``, or of another file
    of this batch) or a photo whose check found errors."""

    path: str  # as the clerk finds it again
    kind: str  # DUPLICATE_FOUND or BAD_PHOTO
    reason: str  # Chinese
    archive_no: str = ""


@dataclass(frozen=True)
class Answer:
    """What to do with the findings of each kind: SKIP or FILE."""

    duplicates: str = SKIP
    bad_photos: str = SKIP


SKIP_DUPLICATES = Answer(duplicates=SKIP, bad_photos=FILE)  # 跳过重复
SKIP_PROBLEMS = Answer(duplicates=SKIP, bad_photos=SKIP)  # 跳过有问题的文件
FILE_ANYWAY = Answer(duplicates=FILE, bad_photos=FILE)  # 仍然归档


class Questions(Protocol):
    """What a face implements to answer the run's questions (CLI: a prompt; TUI: a modal)."""

    def ask(self, findings: Sequence[Finding]) -> Answer | None:
        """The clerk's choice for these findings; None cancels the whole run (nothing filed)."""
        ...


@dataclass(frozen=True)
class Policy:
    """Settled beforehand (flags): ASK (the face is asked, when it can be), SKIP or FILE."""

    duplicates: str = ASK
    bad_photos: str = ASK


# ---------------------------------------------------------------- what the run gives back


@dataclass(frozen=True)
class Outcome:
    """What happened to one file."""

    path: str  # as the clerk finds it again: 'folder/a.docx', 'x.zip!A-1/b.xlsx'
    status: str  # FILED, DUPLICATE, REFUSED or LEFT
    reason: str = ""  # Chinese: why it was not filed
    archive_no: str = ""  # the record it went into, or the one it duplicates
    record: RecordView | None = None
    kind: str = ""  # for a refusal or a duplicate: the Finding kind that caused it, if any
    error: BaseException | None = field(default=None, compare=False, repr=False)  # for --debug

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def filed(self) -> bool:
        return self.status == FILED

    def line(self) -> str:
        """One Chinese line for a list of outcomes."""
        if self.status == FILED:
            title = f"《{self.record.title}》" if self.record else ""
            return f"{self.label}  {self.path} → {self.archive_no}{title}"
        return f"{self.label}  {self.path}：{self.reason}"

    def to_json(self) -> dict:
        return {"path": self.path, "status": self.status, "archive_no": self.archive_no or None,
                "reason": self.reason or None}


@dataclass
class Result:
    """Every outcome of a run, in the order the files were found, and the files skipped as junk."""

    outcomes: list[Outcome] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # key of inbox.walk.SKIP_REASONS -> count
    cancelled: bool = False
    answer: Answer | None = None  # what the face chose, when it was asked

    @property
    def records(self) -> list[RecordView]:
        """The records filed, each once (one per file, or one for ``together``/``attach``)."""
        seen: dict[int, RecordView] = {}
        for o in self.outcomes:
            if o.record is not None:
                seen[o.record.id] = o.record
        return list(seen.values())

    @property
    def filed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == FILED]

    @property
    def not_filed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status != FILED]

    def skipped_text(self) -> str:
        """'已跳过：隐藏文件 2 个，…。' or ''."""
        if not self.skipped:
            return ""
        return "已跳过：" + "，".join(f"{SKIPPED[k]} {n} 个" for k, n in sorted(self.skipped.items())) + "。"

    def summary(self) -> str:
        """``已归档 12 个文件（12 件）；重复 2 个，未归档 1 个。已跳过：…``"""
        counts = Counter(o.status for o in self.outcomes)
        n_records = len(self.records)
        parts = [f"已归档 {counts[FILED]} 个文件" + (f"（{n_records} 件）" if counts[FILED] != n_records else "")]
        parts += [f"{_SUMMARY_LABELS[s]} {counts[s]} 个" for s in (DUPLICATE, REFUSED, LEFT) if counts[s]]
        text = "；".join(parts) + "。"
        if self.cancelled:
            text = "已取消，未作任何改动。" if not counts[FILED] else text + "其余已取消。"
        return text + self.skipped_text()

    def refused_any(self, *, duplicates_count: bool = True) -> bool:
        """Whether any file was not filed (a duplicate skipped on purpose counts only with ``duplicates_count``)."""
        return self.cancelled or any(
            o.status != FILED and (duplicates_count or o.status != DUPLICATE) for o in self.outcomes)


# ---------------------------------------------------------------- 1. collect


@dataclass(frozen=True)
class Source:
    """One file to file: ``path`` its readable bytes (None when refused already, e.g. a zip
    hazard), ``shown`` how the clerk finds it again, ``draft`` its record's fields."""

    shown: str
    path: Path | None
    draft: Draft | None = None
    refusal: str = ""
    origin: str = ""  # kept as the file's original path when ``path`` is a copy (a zip member)


@dataclass
class Collected:
    sources: list[Source] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)


def collect(paths: Iterable[Path | str], staging: Staging, *, archive_root: Path | None = None) -> Collected:
    """The files the clerk named: files as they are, folders and zips walked (``inbox.walk``).

    A link to a folder is not walked (it may lead anywhere); the archive's own files, when a
    folder holds the archive (``archive_root``), are skipped and counted.
    """
    out = Collected()
    seen: set[str] = set()
    inside = os.path.realpath(archive_root) if archive_root is not None else None
    for p in paths:
        p = Path(p)
        shown = storage.display_path(p).rstrip("/") or storage.display_path(p)
        found: list[Source] = []
        why = skip_reason(storage.decoded_name(p)) if p.name not in ("", ".", "..") else ""
        if why:  # named one by one, as ``add office/*`` does: still nobody files Thumbs.db on purpose
            out.skipped[why] += 1
            continue
        if p.is_symlink() and p.is_dir():
            found.append(Source(shown, None, refusal=f"“{shown}”是指向文件夹的快捷方式（符号链接），为安全起见不展开。"
                                                     "请直接给出该文件夹。"))
        elif p.is_dir():
            w = walk(p, staging)
            out.skipped.update(w.skipped)
            for item in w.items:
                if inside and item.path is not None and not item.in_zip and within(item.path, inside):
                    out.skipped["archive"] += 1
                    continue
                found.append(Source(f"{shown}/{item.rel}", item.path, refusal=item.refusal,
                                    origin=_origin(p, "/" + item.rel) if item.in_zip else ""))
        elif _regular(p) and is_zip(p):
            w = walk(p, staging)
            out.skipped.update(w.skipped)
            for item in w.items:
                rest = "!".join(item.location[1:])
                found.append(Source(f"{shown}!{rest}" if rest else shown, item.path, refusal=item.refusal,
                                    origin=_origin(p, f"!{rest}")))
        else:
            found.append(Source(shown, p))  # checked like any file: a missing path, a FIFO … says why
        for src in found:
            if src.shown not in seen:
                seen.add(src.shown)
                out.sources.append(src)
    return out


def _regular(p: Path) -> bool:
    try:
        return p.is_file() and not p.is_symlink()
    except OSError:
        return False


def _origin(p: Path, rest: str) -> str:
    return storage.display_path(p.absolute()) + rest


# ---------------------------------------------------------------- 2. check


@dataclass
class _Checked:
    src: Source
    sha: str = ""
    refusal: str = ""
    finding: Finding | None = None
    photo: "PhotoReport | None" = None


def _check(archive: "Archive", sources: Sequence[Source], progress: Reporter | None) -> list[_Checked]:
    from ..photos.records import check_incoming, looks_like_photo

    out = [_Checked(src, refusal=src.refusal) for src in sources]
    track = Tracker("正在核对文件", len(out), progress)
    seen: dict[str, str] = {}
    with archive.session() as s:
        for c in out:
            track.start(Path(c.src.shown).name)
            if not c.refusal and c.src.path is not None and within(c.src.path, archive.root):
                # named one by one (a folder holding the archive skips them): the archive is never filed into itself
                c.refusal = f"“{c.src.shown}”在档案文件夹里，是档案自身的文件，不能再归档。"
            if not c.refusal:
                c.refusal, c.sha = _readable(c.src)
            if c.sha:
                dup = records._duplicate_of(s, c.sha)
                if dup is not None:
                    where = "（在回收站中）" if dup.status == records.TRASHED else ""
                    c.finding = Finding(c.src.shown, DUPLICATE_FOUND,
                                        f"文件“{c.src.shown}”已经归档过，档号 {dup.archive_no}{where}。", dup.archive_no)
                elif c.sha in seen:
                    c.finding = Finding(c.src.shown, DUPLICATE_FOUND,
                                        f"与本批中的“{seen[c.sha]}”内容完全相同。")
                else:
                    seen[c.sha] = c.src.shown
            track.advance()
    track.finish()
    photos = [c for c in out if not c.refusal and looks_like_photo(c.src.path)]
    if photos:
        reports = check_incoming(archive, [c.src.path for c in photos], progress=progress)
        by_path = {Path(r.path): r for r in reports}
        for c in photos:
            rep = by_path.get(Path(c.src.path))
            if rep is None:
                continue
            c.photo = _shown_report(rep, c.src)
            if rep.errors and c.finding is None:
                c.finding = Finding(c.src.shown, BAD_PHOTO, "；".join(c.photo.errors))
    return out


def _readable(src: Source) -> tuple[str, str]:
    """(refusal, sha256): '' and the hash for a file that can be filed."""
    try:
        storage.check_readable(src.path)
        sha, _size = storage.hash_file(src.path)
    except JiaError as exc:
        return _reworded(str(exc), src), ""
    except OSError as exc:
        return f"文件“{src.shown}”无法读取（{exc.strerror or exc}）。", ""
    return "", sha


def _reworded(text: str, src: Source) -> str:
    """A sentence about a staged copy (a zip member) names the member instead."""
    if src.origin and src.path is not None:
        text = text.replace(storage.display_path(src.path), src.shown)
    return text


def _shown_report(rep: "PhotoReport", src: Source) -> "PhotoReport":
    if not src.origin or src.path is None:
        return rep
    name = src.path.name
    member = src.shown.rsplit("/", 1)[-1].rsplit("!", 1)[-1]
    return replace(rep, errors=tuple(e.replace(f"“{name}”", f"“{member}”") for e in rep.errors),
                   warnings=tuple(w.replace(f"“{name}”", f"“{member}”") for w in rep.warnings))


# ---------------------------------------------------------------- 3. ask


@dataclass
class Checked:
    """A run checked and waiting for the clerk's answers (``findings``); ``file`` finishes it.

    The two steps are apart so that a face can ask in its own way and time (the TUI: a modal
    between two thread workers).  It holds the staging folder of unpacked zip members: ``file``
    or ``close`` removes it.
    """

    items: list[_Checked]
    draft: Draft | None
    policy: Policy
    together: bool = False
    all_or_nothing: bool = False
    attach_to: int | str | None = None
    skipped: Counter = field(default_factory=Counter)
    staging: Staging | None = None

    @property
    def findings(self) -> list[Finding]:
        """What needs a person: the findings of kinds the policy leaves to ASK."""
        asked = {DUPLICATE_FOUND: self.policy.duplicates == ASK, BAD_PHOTO: self.policy.bad_photos == ASK}
        return [c.finding for c in self.items if c.finding is not None and not c.refusal and asked[c.finding.kind]]

    def settle(self, answer: Answer | None) -> Answer:
        """The policy, with the kinds it left open answered by ``answer`` (None: skipped)."""
        def one(setting: str, given: str | None) -> str:
            return setting if setting != ASK else (given or SKIP)

        return Answer(duplicates=one(self.policy.duplicates, answer.duplicates if answer else None),
                      bad_photos=one(self.policy.bad_photos, answer.bad_photos if answer else None))

    def cancelled(self) -> Result:
        """The outcome when the clerk cancels at the question: nothing filed."""
        self.close()
        return Result([Outcome(c.src.shown, LEFT, "已取消，未归档。") for c in self.items], self.skipped, cancelled=True)

    def close(self) -> None:
        if self.staging is not None:
            self.staging.close()
            self.staging = None


def _blocked(c: _Checked, answer: Answer) -> Outcome | None:
    """The outcome of a file that is not filed (refused, or a finding the answer skips)."""
    if c.refusal:
        return Outcome(c.src.shown, REFUSED, c.refusal)
    f = c.finding
    if f is not None and f.kind == DUPLICATE_FOUND and answer.duplicates == SKIP:
        return Outcome(c.src.shown, DUPLICATE, f.reason, f.archive_no, kind=f.kind)
    if f is not None and f.kind == BAD_PHOTO and answer.bad_photos == SKIP:
        return Outcome(c.src.shown, REFUSED, f"{f.reason}（照片有错误，不能作为证据，未归档）", kind=f.kind)
    return None


# ---------------------------------------------------------------- 4. file


def check(archive: "Archive", sources: Sequence[Source], draft: Draft | None = None, *, policy: Policy = Policy(),
          together: bool = False, all_or_nothing: bool = False, attach_to: str | int | None = None,
          progress: Reporter | None = None, staging: Staging | None = None, skipped: Counter | None = None) -> Checked:
    """Step 2 of the run: every source checked.  Raises only for what concerns the whole run
    (a read-only archive, an unknown code or a bad title given once for all)."""
    archive.require_writable()
    if any(src.draft is None for src in sources) and draft is None:
        raise ValueError("a source without its own draft needs the run's draft")
    if draft is not None and attach_to is None:  # concerns the whole run: said once, before anything
        archive.entry(draft.code)
        if draft.title is not None:
            records.check_title(draft.title)
        records._check_items(archive, draft.items)
    items = _check(archive, sources, progress) if sources else []
    return Checked(items, draft, policy, together, all_or_nothing, attach_to, skipped or Counter(), staging)


def file(archive: "Archive", checked: Checked, answer: Answer | None = None, *, progress: Reporter | None = None,
         cancelled: Callable[[], bool] = lambda: False) -> Result:
    """Steps 4 and 5: file what the checks and ``answer`` allow; one outcome per file."""
    # a duplicate skipped by the clerk's own choice (a flag, or the answer to the question) is no
    # failure: it does not keep the other files of one record (together / attach) out
    chosen = checked.policy.duplicates == SKIP or (answer is not None and answer.duplicates == SKIP)
    try:
        result = _file_checked(archive, checked, checked.settle(answer), progress, cancelled, chosen)
    finally:
        checked.close()
    result.answer = answer
    return result


def run(archive: "Archive", sources: Sequence[Source], draft: Draft | None = None, *,
        questions: Questions | None = None, policy: Policy = Policy(), together: bool = False,
        all_or_nothing: bool = False, attach_to: str | int | None = None, progress: Reporter | None = None,
        cancelled: Callable[[], bool] = lambda: False) -> Result:
    """The whole run over ``sources`` in one call (see the module docstring): check, ask
    ``questions`` (when given and something needs a person), file, report.

    ``draft`` gives the fields of every record (a source's own ``draft`` wins: the inbox
    decides per file); ``together`` files all as one record, ``attach_to`` adds them to that
    record; ``all_or_nothing`` files nothing when any file is not filed.
    """
    checked = check(archive, sources, draft, policy=policy, together=together, all_or_nothing=all_or_nothing,
                    attach_to=attach_to, progress=progress)
    return ask_and_file(archive, checked, questions, progress=progress, cancelled=cancelled)


def ask_and_file(archive: "Archive", checked: Checked, questions: Questions | None, *,
                 progress: Reporter | None = None, cancelled: Callable[[], bool] = lambda: False) -> Result:
    """Step 3 then 4 and 5: ``questions`` asked (when something needs a person), then ``file``."""
    answer = None
    if questions is not None and checked.findings:
        answer = questions.ask(checked.findings)
        if answer is None:
            return checked.cancelled()
    return file(archive, checked, answer, progress=progress, cancelled=cancelled)


def _file_checked(archive: "Archive", checked: Checked, answer: Answer, progress: Reporter | None,
                  cancelled: Callable[[], bool], duplicates_chosen: bool = False) -> Result:
    items, draft, together, attach_to = checked.items, checked.draft, checked.together, checked.attach_to
    result = Result(skipped=checked.skipped)
    blocked = [_blocked(c, answer) for c in items]
    good = [c for c, b in zip(items, blocked) if b is None]
    failed = [b for b in blocked if b is not None and not (duplicates_chosen and b.status == DUPLICATE)]
    if (checked.all_or_nothing and any(blocked)) or ((together or attach_to is not None) and failed):
        why = ("同一件中的其他文件未能归档，这些文件也未归档。" if together else
               "一同追加的其他文件未能追加，这些文件也未追加。" if attach_to is not None else
               "本批中有文件未能归档，按“全部或不归档”（--all-or-nothing）的要求，本批均未归档。")
        result.outcomes = [b or Outcome(c.src.shown, REFUSED, why) for c, b in zip(items, blocked)]
        return result
    allow = {id(c): c.finding is not None and c.finding.kind == DUPLICATE_FOUND for c in good}
    filed: dict[int, Outcome] = {}
    if good and (together or attach_to is not None):
        filed = _file_group(archive, good, draft, allow_duplicate=any(allow.values()), attach_to=attach_to,
                            progress=progress)
    elif good:
        track = Tracker("正在归档", len(good), progress)
        # one batch: one undo takes it back
        with audit.marked(batch=audit.new_batch_id(archive.now())) if len(good) > 1 else nullcontext():
            for c in good:
                if cancelled():
                    filed[id(c)] = Outcome(c.src.shown, LEFT, "已中止，未处理。")
                    continue
                track.start(Path(c.src.shown).name)
                filed[id(c)] = _file_one(archive, c, c.src.draft or draft, allow_duplicate=allow[id(c)])
                track.advance()
        track.finish()
    result.outcomes = [b or filed[id(c)] for c, b in zip(items, blocked)]
    result.cancelled = any(o.status == LEFT for o in filed.values())  # stopped part-way: said in the summary
    return result


def _file_one(archive: "Archive", c: _Checked, draft: Draft, *, allow_duplicate: bool) -> Outcome:
    """One file as its own record: its own transaction and journaled copy-in."""
    try:
        view = records.file_document(archive, [c.src.path], draft, allow_duplicate=allow_duplicate,
                                     origins=[c.src.origin] if c.src.origin else None, hashes=[c.sha])
    except DuplicateFile as exc:  # filed by another process since the check
        return Outcome(c.src.shown, DUPLICATE, _reworded(str(exc), c.src), exc.existing_archive_no, kind=DUPLICATE_FOUND)
    except JiaError as exc:
        return Outcome(c.src.shown, REFUSED, _reworded(str(exc), c.src), error=exc)
    except OSError as exc:
        return Outcome(c.src.shown, REFUSED, f"文件“{c.src.shown}”未能归档（{exc.strerror or exc}）。", error=exc)
    _note_photos(archive, [view], [c])
    return Outcome(c.src.shown, FILED, archive_no=view.archive_no, record=view)


def _file_group(archive: "Archive", good: Sequence[_Checked], draft: Draft | None, *, allow_duplicate: bool,
                attach_to: str | int | None, progress: Reporter | None) -> dict[int, Outcome]:
    """All files as one record (``together``), or added to ``attach_to``: one transaction."""
    paths = [c.src.path for c in good]
    origins = [c.src.origin or storage.display_path(Path(c.src.path).absolute()) for c in good]
    try:
        if attach_to is not None:
            view = records.attach_files(archive, attach_to, paths, allow_duplicate=allow_duplicate, origins=origins)
        else:
            view = records.file_document(archive, paths, draft, allow_duplicate=allow_duplicate, origins=origins,
                                         progress=progress)
    except DuplicateFile as exc:
        return {id(c): Outcome(c.src.shown, DUPLICATE, str(exc), exc.existing_archive_no, kind=DUPLICATE_FOUND)
                for c in good}
    except (JiaError, OSError) as exc:
        why = str(exc) if isinstance(exc, JiaError) else f"未能归档（{exc.strerror or exc}）。"
        return {id(c): Outcome(c.src.shown, REFUSED, why, error=exc) for c in good}
    _note_photos(archive, [view], good)
    return {id(c): Outcome(c.src.shown, FILED, archive_no=view.archive_no, record=view) for c in good}


def _note_photos(archive: "Archive", views: Sequence[RecordView], checked: Sequence[_Checked]) -> None:
    reports = [c.photo for c in checked if c.photo is not None]
    if reports:
        from ..photos.records import note_filed

        note_filed(archive, views, reports)


# ---------------------------------------------------------------- the entry points the faces call


def intake(archive: "Archive", paths: Iterable[Path | str], draft: Draft, *, questions: Questions | None = None,
           policy: Policy = Policy(), together: bool = False, all_or_nothing: bool = False,
           progress: Reporter | None = None, cancelled: Callable[[], bool] = lambda: False) -> Result:
    """File what ``paths`` name (files, folders, zips) under ``draft``; one outcome per file."""
    checked = check_paths(archive, paths, draft, policy=policy, together=together, all_or_nothing=all_or_nothing,
                          progress=progress)
    return ask_and_file(archive, checked, questions, progress=progress, cancelled=cancelled)


def check_paths(archive: "Archive", paths: Iterable[Path | str], draft: Draft, *, policy: Policy = Policy(),
                together: bool = False, all_or_nothing: bool = False, attach_to: str | int | None = None,
                progress: Reporter | None = None) -> Checked:
    """Collect and check what ``paths`` name: the first half of ``intake``, for a face that asks
    its questions between the two halves (``file`` is the second)."""
    archive.require_writable()
    staging = Staging()
    try:
        found = collect(paths, staging, archive_root=archive.root)
        return check(archive, found.sources, draft, policy=policy, together=together, all_or_nothing=all_or_nothing,
                     attach_to=attach_to, progress=progress, staging=staging, skipped=found.skipped)
    except BaseException:
        staging.close()
        raise


def attach(archive: "Archive", ref: str | int, paths: Iterable[Path | str], *, questions: Questions | None = None,
           policy: Policy = Policy(), progress: Reporter | None = None) -> Result:
    """Add the files ``paths`` name to the record ``ref``, checked as ``intake`` checks them."""
    view = records.get_record(archive, ref)
    checked = check_paths(archive, paths, Draft(code=view.code), policy=policy, attach_to=view.id, progress=progress)
    return ask_and_file(archive, checked, questions, progress=progress)


def file_prepared(archive: "Archive", shown: str, path: Path, draft: Draft, *, origin: str = "",
                  policy: Policy = Policy(duplicates=SKIP, bad_photos=SKIP)) -> Outcome:
    """File one file a caller has already found and decided about (the inbox: a file of the pile
    with its own code, title and date), through the same checks; its one outcome."""
    try:  # the decision's own values first: a wrong code is the answer whatever the file holds
        archive.entry(draft.code)
        if draft.title is not None:
            records.check_title(draft.title)
    except JiaError as exc:
        return Outcome(shown, REFUSED, str(exc))
    src = Source(shown, path, draft, origin=origin)
    return run(archive, [src], None, policy=policy).outcomes[0]
