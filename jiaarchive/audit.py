"""Append-only audit log: who changed what, when, with the values before and after.

Each entry carries the id of the change that wrote it (``Archive.transaction`` puts it in the
session), so recovery can ask whether an interrupted change committed; and a session that wrote
an entry appends the plain-file metadata log right after its commit (``metalog``), whoever
opened the transaction.
"""

from __future__ import annotations

import getpass
import json
import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .db.models import AuditEntry

ACTION_LABELS = {
    "init": "建立档案",
    "file": "归档",
    "attach": "追加文件",
    "edit": "修改",
    "refile": "改档（移动）",
    "trash": "删除（移入回收站）",
    "restore": "从回收站恢复",
    "recover": "异常恢复",
    "repair": "重建数据库",
    "settings": "修改设置",
    "profile": "修改单位简况",
    "score": "录入分数",
    "photo_label": "照片说明",
}


def current_user() -> str:
    """Who is acting: $JIAARCHIVE_USER, else the login name."""
    env = os.environ.get("JIAARCHIVE_USER")
    if env:
        return env
    try:
        return getpass.getuser()
    except Exception:  # no login name on some Windows set-ups
        return "未知用户"


def log(
    session: Session,
    action: str,
    *,
    at: datetime,
    archive_no: str = "",
    record_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    detail: str = "",
    who: str | None = None,
) -> None:
    _after_commit(session)
    session.add(
        AuditEntry(
            at=at,
            who=who or current_user(),
            action=action,
            archive_no=archive_no,
            record_id=record_id,
            before=json.dumps(before, ensure_ascii=False, default=str) if before is not None else "",
            after=json.dumps(after, ensure_ascii=False, default=str) if after is not None else "",
            detail=detail,
            change=session.info.get("change_id", ""),
        )
    )


def _after_commit(session: Session) -> None:
    """Once per session: run the archive's hook (the metadata log) after the next commit."""
    hook = session.info.get("after_audited_commit")
    if hook is None or session.info.get("hooked"):
        return
    from sqlalchemy import event

    def fire(_s: Session) -> None:
        session.info["hooked"] = False
        hook()

    session.info["hooked"] = True
    event.listen(session, "after_commit", fire, once=True)


@dataclass(frozen=True)
class AuditView:
    id: int
    at: datetime
    who: str
    action: str
    action_label: str
    archive_no: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    detail: str

    def changes(self) -> dict[str, tuple[Any, Any]]:
        """Fields whose value differs between before and after."""
        b, a = self.before or {}, self.after or {}
        return {k: (b.get(k), a.get(k)) for k in sorted(set(b) | set(a)) if b.get(k) != a.get(k)}

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(timespec="seconds"),
            "who": self.who,
            "action": self.action,
            "archive_no": self.archive_no,
            "before": self.before,
            "after": self.after,
            "detail": self.detail,
        }


def read(session: Session, *, archive_no: str | None = None, limit: int | None = 50) -> list[AuditView]:
    q = select(AuditEntry).order_by(AuditEntry.id.desc())
    if archive_no:
        q = q.where(AuditEntry.archive_no == archive_no)
    if limit:
        q = q.limit(limit)
    return [
        AuditView(
            id=e.id,
            at=e.at,
            who=e.who,
            action=e.action,
            action_label=ACTION_LABELS.get(e.action, e.action),
            archive_no=e.archive_no,
            before=json.loads(e.before) if e.before else None,
            after=json.loads(e.after) if e.after else None,
            detail=e.detail,
        )
        for e in session.scalars(q)
    ]
