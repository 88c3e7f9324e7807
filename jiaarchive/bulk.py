"""Changes to several records at once (批量修改、批量删除), for marked records or a selection.

Each record is changed through ``filing`` (one transaction per record, as a single change would
be), so one that cannot change (in the 回收站, an entry that does not apply) is reported and the
others still change.  All the audit entries of one bulk change share a batch id, so ``undo``
takes the whole batch back in one step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import audit, filing
from .archive import Archive
from .errors import BadValue, JiaError
from .filing import RecordView
from .progress import Reporter, Tracker


@dataclass(frozen=True)
class BulkChange:
    """What to change on every record; None / empty leaves a field as each record has it."""

    code: str | None = None  # re-file under another entry (new 档号, files move)
    year: int | None = None
    set_tags: tuple[str, ...] | None = None  # replace the tags
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()
    set_items: tuple[int, ...] | None = None  # replace the scoresheet links
    add_items: tuple[int, ...] = ()
    remove_items: tuple[int, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.code or self.year or self.set_tags is not None or self.add_tags or self.remove_tags
                    or self.set_items is not None or self.add_items or self.remove_items)

    def for_record(self, r: RecordView) -> dict[str, Any]:
        """The ``edit_record`` changes this makes to ``r`` (only what differs)."""
        out: dict[str, Any] = {}
        if self.code and self.code != r.code:
            out["code"] = self.code
        if self.year and self.year != r.year:
            out["year"] = self.year
        tags = list(self.set_tags) if self.set_tags is not None else list(r.tags)
        tags += [t for t in self.add_tags if t not in tags]
        tags = [t for t in tags if t not in self.remove_tags]
        if tuple(tags) != tuple(r.tags):
            out["tags"] = tuple(tags)
        items = set(self.set_items) if self.set_items is not None else set(r.items)
        items = (items | set(self.add_items)) - set(self.remove_items)
        if tuple(sorted(items)) != tuple(r.items):
            out["items"] = tuple(sorted(items))
        return out

    def describe(self) -> str:
        parts = []
        if self.code:
            parts.append(f"目录改为 {self.code}")
        if self.year:
            parts.append(f"年度改为 {self.year}")
        if self.set_tags is not None:
            parts.append("标签设为 " + ("、".join(self.set_tags) or "（无）"))
        if self.add_tags:
            parts.append("加标签 " + "、".join(self.add_tags))
        if self.remove_tags:
            parts.append("去掉标签 " + "、".join(self.remove_tags))
        if self.set_items is not None:
            parts.append("评分项设为 " + ("、".join(map(str, self.set_items)) or "（无）"))
        if self.add_items:
            parts.append("关联评分项 " + "、".join(map(str, self.add_items)))
        if self.remove_items:
            parts.append("取消评分项 " + "、".join(map(str, self.remove_items)))
        return "；".join(parts)


@dataclass(frozen=True)
class BulkOutcome:
    changed: tuple[RecordView, ...]
    unchanged: tuple[RecordView, ...]  # nothing to change on these
    failed: tuple[tuple[str, str], ...]  # (档号, the Chinese reason)
    batch: str

    def summary(self, verb: str) -> str:
        text = f"已{verb} {len(self.changed)} 件"
        if self.unchanged:
            text += f"，{len(self.unchanged)} 件无需改动"
        if self.failed:
            text += f"，{len(self.failed)} 件未能{verb}"
        return text + "。"


def _check(archive: Archive, change: BulkChange) -> None:
    if change.empty:
        raise BadValue("没有要修改的内容。")
    if change.code:
        archive.entry(change.code)
    if change.year is not None and not (1949 <= change.year <= archive.now().year + 1):
        raise BadValue(f"年度 {change.year} 不合理（应在 1949 年至明年之间）。")
    filing._check_items(archive, tuple(change.set_items or ()) + change.add_items)
    filing._check_tags(tuple(change.set_tags or ()) + change.add_tags)


def edit_records(archive: Archive, record_ids: Sequence[int], change: BulkChange, *,
                 progress: Reporter | None = None) -> BulkOutcome:
    """Apply ``change`` to every record; one batch in the audit log."""
    archive.require_writable()
    _check(archive, change)
    batch = audit.new_batch_id(archive.now())
    track = Tracker("正在批量修改", len(record_ids), progress)
    changed, unchanged, failed = [], [], []
    with audit.marked(batch=batch):
        for rid in record_ids:
            label = str(rid)
            try:
                view = filing.get_record(archive, rid)
                label = view.archive_no
                track.start(label)
                edits = change.for_record(view)
                if edits:
                    changed.append(filing.edit_record(archive, rid, **edits))
                else:
                    unchanged.append(view)
            except JiaError as exc:
                failed.append((label, str(exc)))
            track.advance()
    track.finish()
    return BulkOutcome(tuple(changed), tuple(unchanged), tuple(failed), batch)


def trash_records(archive: Archive, record_ids: Sequence[int], *, progress: Reporter | None = None) -> BulkOutcome:
    """Move every record to the 回收站; one batch in the audit log."""
    archive.require_writable()
    batch = audit.new_batch_id(archive.now())
    track = Tracker("正在删除", len(record_ids), progress)
    changed, failed = [], []
    with audit.marked(batch=batch):
        for rid in record_ids:
            label = str(rid)
            try:
                label = filing.get_record(archive, rid).archive_no
                track.start(label)
                changed.append(filing.trash_record(archive, rid))
            except JiaError as exc:
                failed.append((label, str(exc)))
            track.advance()
    track.finish()
    return BulkOutcome(tuple(changed), (), tuple(failed), batch)
