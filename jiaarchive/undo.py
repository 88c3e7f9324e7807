"""Undo (撤销) of the last change, through the audit log's before and after.

The last change is the newest entry of the acting person (``audit.current_user``) that changed
a record (归档, 修改, 改档, 删除, 恢复) and was not itself an undo or already undone; a bulk change
(one batch) is taken back as a whole.  Nothing is deleted: undoing a filing moves the record to
the 回收站, undoing a deletion restores it, undoing an edit puts the old values back (a record
moved back to its entry and year gets its own former 档号 back).  Each undo is an audited change
like any other, marked with the entry it took back, so pressing undo again goes one step further
back instead of redoing.

A record changed again since (by anyone) is not touched: the undo is refused with a sentence
saying what changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from . import audit, filing
from .archive import Archive
from .audit import AuditView
from .db.models import AuditEntry
from .errors import BadValue, RecordNotFound
from .filing import RecordView
from .progress import Reporter, Tracker

UNDOABLE = ("file", "edit", "refile", "trash", "restore")
# the snapshot fields an edit undo puts back (``files`` follow from them)
_FIELDS = ("code", "year", "title", "date", "doc_no", "responsible", "retention", "pages", "secrecy", "remarks",
           "tags", "items")
_COMPARED = _FIELDS + ("archive_no", "status")


class NothingToUndo(BadValue):
    """No change of this person is left to undo."""


class CannotUndo(BadValue):
    """The record has changed since, or the change is of a kind that cannot be undone."""


@dataclass(frozen=True)
class UndoStep:
    """One change to take back: an entry, or every entry of one bulk change."""

    entries: tuple[AuditView, ...]

    def describe(self) -> str:
        """A Chinese sentence naming the change: ``2024-05-06 09:30 修改 A-1·2021-D30-0003（题名：…）``."""
        first = self.entries[0]
        when = f"{first.at:%Y-%m-%d %H:%M}"
        if len(self.entries) > 1:
            return f"{when} {first.action_label}（批量，共 {len(self.entries)} 件）"
        lines = audit.render(first)
        what = f"（{'；'.join(lines[:2])}）" if lines and first.action in ("edit", "refile") else ""
        return f"{when} {first.action_label} {first.archive_no}{what}"


def _undone_ids(session) -> set[int]:  # noqa: ANN001
    return set(session.scalars(select(AuditEntry.undoes).where(AuditEntry.undoes.is_not(None))))


def last_step(archive: Archive, who: str | None = None) -> UndoStep | None:
    """The change ``undo`` would take back now (None when there is none)."""
    who = who or audit.current_user()
    with archive.session() as s:
        undone = _undone_ids(s)
        q = (select(AuditEntry).where(AuditEntry.who == who, AuditEntry.action.in_(UNDOABLE),
                                      AuditEntry.undoes.is_(None))
             .order_by(AuditEntry.id.desc()).limit(200))
        newest = next((e for e in s.scalars(q) if e.id not in undone), None)
        if newest is None:
            return None
        if newest.batch:
            rows = s.scalars(select(AuditEntry).where(AuditEntry.batch == newest.batch, AuditEntry.undoes.is_(None))
                             .order_by(AuditEntry.id.desc()))
            entries = [audit.get(s, e.id) for e in rows if e.id not in undone]
        else:
            entries = [audit.get(s, newest.id)]
    return UndoStep(tuple(e for e in entries if e is not None))


def _state(v: RecordView) -> dict[str, Any]:
    return {
        "archive_no": v.archive_no, "code": v.code, "year": v.year, "title": v.title,
        "date": v.date.isoformat() if v.date else None, "doc_no": v.doc_no, "responsible": v.responsible,
        "retention": v.retention, "pages": v.pages, "secrecy": v.secrecy, "remarks": v.remarks,
        "tags": list(v.tags), "items": list(v.items), "status": v.status,
    }


def _check_unchanged(entry: AuditView, current: RecordView) -> None:
    after = entry.after or {}
    now = _state(current)
    differs = [k for k in _COMPARED if k in after and after[k] != now[k]]
    if differs:
        labels = "、".join(audit.FIELD_LABELS.get(k, k) for k in differs)
        raise CannotUndo(f"记录 {current.archive_no} 在这次{entry.action_label}之后又有改动（{labels}），"
                         "不能撤销这一步；请直接修改该记录。")


def _reverse(archive: Archive, entry: AuditView) -> RecordView:
    if entry.record_id is None:
        raise CannotUndo(f"第 {entry.id} 条日志没有对应的记录，不能撤销。")
    try:
        current = filing.get_record(archive, entry.record_id)
    except RecordNotFound:
        raise CannotUndo(f"记录 {entry.archive_no} 已不存在，不能撤销。") from None
    _check_unchanged(entry, current)
    if entry.action in ("file", "restore"):
        return filing.trash_record(archive, current.id)
    if entry.action == "trash":
        return filing.restore_record(archive, current.id)
    before = entry.before or {}
    changes: dict[str, Any] = {}
    for key in _FIELDS:
        if key not in before or before[key] == (entry.after or {}).get(key):
            continue
        value = before[key]
        if key == "date":
            if value is None:
                continue  # a date cannot be removed, only changed
            value = date.fromisoformat(value)
        elif key in ("tags", "items"):
            value = tuple(value or ())
        elif key in ("doc_no", "responsible", "remarks", "secrecy") and value is None:
            value = ""
        changes[key] = value
    if not changes:
        return current
    return filing.edit_record(archive, current.id, **changes)


def undo(archive: Archive, step: UndoStep | None = None, *, progress: Reporter | None = None) -> list[RecordView]:
    """Take back ``step`` (default: ``last_step``); returns the records as they are afterwards.

    Every record of a batch is checked first, so a batch is either taken back whole or not at all
    (unless a record fails while being changed, which is reported with the others done).
    """
    archive.require_writable()
    step = step or last_step(archive)
    if step is None or not step.entries:
        raise NothingToUndo("没有可以撤销的改动（只能撤销本人的归档、修改、删除和恢复）。")
    with archive.session() as s:
        undone = _undone_ids(s)
    for entry in step.entries:
        if entry.id in undone:
            raise CannotUndo(f"第 {entry.id} 条日志的改动已经撤销过了。")
        if entry.action not in UNDOABLE:
            raise CannotUndo(f"“{entry.action_label}”不能撤销。")
        if entry.record_id is not None:
            try:
                _check_unchanged(entry, filing.get_record(archive, entry.record_id))
            except RecordNotFound:
                raise CannotUndo(f"记录 {entry.archive_no} 已不存在，不能撤销。") from None
    batch = audit.new_batch_id(archive.now()) if len(step.entries) > 1 else ""
    track = Tracker("正在撤销", len(step.entries), progress)
    out = []
    for entry in step.entries:
        track.start(entry.archive_no)
        with audit.marked(batch=batch, undoes=entry.id):
            out.append(_reverse(archive, entry))
        track.advance()
    track.finish()
    return out
