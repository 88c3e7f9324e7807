"""Filing what a clerk decided about a pile (批量归档): one outcome per file, nothing half-done.

``Decision`` is what the plan (XLSX) or the TUI's queue says about one file: file it under a
code with a title and date, do not file it, or leave it for later.  ``file_one`` files one
decision — through the one intake run (``filing.intake``) every face uses — and ``apply_decisions`` runs a whole batch: every good file is filed, every bad
one is refused with its reason, and the run goes on.

A zip member is unpacked again into a private temporary folder (``walk.open_location``) and
copied into the archive from there; the pile itself is only read, never moved or changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from .. import storage
from ..errors import JiaError
from .progress import Report, Step, silent
from .walk import Staging, display, open_location

if TYPE_CHECKING:
    from ..archive import Archive
    from .propose import FileProposal

FILE, NOT_FILED, SKIP = "file", "not_filed", "skip"
ACTIONS = {FILE: "归档", NOT_FILED: "不归档", SKIP: "跳过"}

# outcome statuses
FILED, DUPLICATE, REFUSED, LEFT = "filed", "duplicate", "refused", "left"
STATUS_LABELS = {FILED: "已归档", DUPLICATE: "重复，未归档", REFUSED: "未能归档", LEFT: "未处理",
                 NOT_FILED: "不归档", SKIP: "跳过"}


@dataclass(frozen=True)
class Decision:
    """What to do with one file of the pile."""

    location: tuple[str, ...]
    action: str  # FILE, NOT_FILED or SKIP
    code: str = ""
    title: str | None = None  # None: taken from the file
    date: dt.date | None = None  # None: taken from the file
    items: tuple[int, ...] = ()
    confidence: float = 0.0  # of the proposal the decision started from
    proposed_code: str = ""  # the inbox's first proposal; a different code is the clerk's own choice
    problem: str = ""  # why it cannot be filed (a value in the plan, an unreadable file): refused with it
    duplicate_of: str = ""  # the 档号 (or the file of the pile) it duplicates: not filed again
    duplicate_note: str = ""  # the sentence that says so

    @property
    def rel(self) -> str:
        return display(self.location)

    @property
    def chosen_by_clerk(self) -> bool:
        return bool(self.code) and self.code != self.proposed_code


@dataclass(frozen=True)
class Outcome:
    """What happened to one file: ``status`` (FILED, DUPLICATE, REFUSED, LEFT, NOT_FILED, SKIP)."""

    rel: str
    status: str
    message: str = ""  # Chinese: the reason, or what was filed
    archive_no: str = ""  # the new record's 档号, or the one it duplicates

    @property
    def label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    def to_json(self) -> dict:
        return {"path": self.rel, "status": self.status, "archive_no": self.archive_no or None, "message": self.message}


def decision_for(f: "FileProposal") -> Decision:
    """Filing a proposal as it stands (``--accept-above`` without a plan): a file that cannot be
    read is refused with its reason, a duplicate is reported as one."""
    unreadable = {"unreadable", "encrypted", "refused"} & set(f.flags)
    problem = "；".join(f.notes) if unreadable else ""
    duplicate = f.duplicate_of if not unreadable and {"duplicate", "already_filed"} & set(f.flags) else ""
    note = next((n for n in f.notes if duplicate and duplicate in n), "")
    return Decision(f.location, FILE, f.code, f.title or None, f.date, confidence=f.confidence, proposed_code=f.code,
                    problem=problem, duplicate_of=duplicate, duplicate_note=note)


def file_one(archive: "Archive", source: Path, decision: Decision, staging: Staging, *, force: bool = False) -> Outcome:
    """File one decided file through the one intake run (``filing.intake``); every failure a
    clerk can cause becomes an Outcome, not an exception.

    The run checks it as ``jiaarchive add`` does: a photo with errors (damaged, not really a
    picture) is refused unless ``force``; a duplicate is not filed again.
    """
    from ..filing import Draft
    from ..filing.intake import DUPLICATE as RUN_DUPLICATE, FILE as RUN_FILE, FILED as RUN_FILED
    from ..filing.intake import SKIP as RUN_SKIP, Policy, file_prepared

    rel = decision.rel
    if decision.problem:
        return Outcome(rel, REFUSED, decision.problem)
    if not decision.code:
        return Outcome(rel, REFUSED, f"“{rel}”没有填写目录编号。")
    try:
        path = open_location(source, decision.location, staging)
    except JiaError as exc:
        return Outcome(rel, REFUSED, str(exc))
    except OSError as exc:
        return Outcome(rel, REFUSED, f"“{rel}”无法读取（{exc.strerror or exc}）。")
    draft = Draft(code=decision.code, title=decision.title, date=decision.date, items=decision.items)
    origin = f"{storage.display_path(Path(source).absolute())}/{rel}" if Path(source).is_dir() else \
        f"{storage.display_path(Path(source).absolute().parent)}/{rel}"
    done = file_prepared(archive, rel, path, draft, origin=origin,
                         policy=Policy(duplicates=RUN_SKIP, bad_photos=RUN_FILE if force else RUN_SKIP))
    if done.status == RUN_FILED:
        return Outcome(rel, FILED, f"{done.archive_no}《{done.record.title}》", done.archive_no)
    if done.status == RUN_DUPLICATE:
        no = done.archive_no
        return Outcome(rel, DUPLICATE, f"与已归档的档号 {no} 内容相同，未重复归档。" if no else done.reason, no)
    hint = "（照片有错误，未归档；确需归档请加 --force）" if done.kind == "bad_photo" else ""
    return Outcome(rel, REFUSED, done.reason.replace("（照片有错误，不能作为证据，未归档）", "") + hint if hint else done.reason)


def should_file(decision: Decision, accept_above: float | None) -> bool:
    """Whether ``decision`` is filed in a run with ``--accept-above``: a code the clerk chose
    is always filed; a proposal left as it was only when it is that confident."""
    if decision.action != FILE:
        return False
    return accept_above is None or decision.chosen_by_clerk or decision.confidence >= accept_above


def apply_decisions(archive: "Archive", source: Path, decisions: Iterable[Decision], *,
                    accept_above: float | None = None, force: bool = False, report: Report = silent,
                    cancelled: Callable[[], bool] = lambda: False) -> list[Outcome]:
    """File every decision that says so; one Outcome per decision, in order."""
    import time

    decisions = list(decisions)
    out: list[Outcome] = []
    started = time.monotonic()
    archive.require_writable()
    with Staging() as staging:
        for i, dec in enumerate(decisions):
            report(Step(i, len(decisions), dec.rel, "归档", started))
            if cancelled():
                out.append(Outcome(dec.rel, LEFT, "已中止，未处理。"))
                continue
            if dec.action in (NOT_FILED, SKIP):
                out.append(Outcome(dec.rel, dec.action, "计划中标为不归档。" if dec.action == NOT_FILED else "计划中标为跳过，留待以后处理。"))
            elif dec.problem:
                out.append(Outcome(dec.rel, REFUSED, dec.problem))
            elif dec.duplicate_of:
                out.append(Outcome(dec.rel, DUPLICATE, dec.duplicate_note or f"与档号 {dec.duplicate_of} 内容相同，未重复归档。",
                                   dec.duplicate_of))
            elif not should_file(dec, accept_above):
                out.append(Outcome(dec.rel, LEFT, f"建议把握 {dec.confidence:.2f} 低于 {accept_above:.2f}，留待人工确认。"))
            else:
                out.append(file_one(archive, source, dec, staging, force=force))
    report(Step(len(decisions), len(decisions), "", "完成", started))
    return out


def summary(outcomes: Iterable[Outcome]) -> str:
    """``已归档 12 个，重复 2 个，未能归档 1 个，…`` for the end of a run."""
    from collections import Counter

    counts = Counter(o.status for o in outcomes)
    order = (FILED, DUPLICATE, REFUSED, LEFT, NOT_FILED, SKIP)
    return "，".join(f"{STATUS_LABELS[s]} {counts[s]} 个" for s in order if counts[s]) or "没有文件"
