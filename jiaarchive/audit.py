"""Append-only audit log: who changed what, when, with the values before and after.

``log()`` writes one entry inside the caller's transaction.  Who acts (操作人) is, in order:
the name given for this run (``act_as``, the CLI's ``--user``), ``$JIAARCHIVE_USER``, the name
set once on this computer (``jiaarchive user 姓名``, kept in the user's settings, see
``userconfig``), the operating system account's full name, and the login name.

Changes made together (a bulk edit) share a batch id and an undo names the entry it took back;
``marked()`` sets both for every entry written inside it, without the callers knowing.

``read``/``count`` page through the log; ``render`` turns an entry into Chinese lines (field
names, statuses, scoresheet titles), the same for ``jiaarchive log`` and the TUI.

Each entry carries the id of the change that wrote it (``Archive.transaction`` puts it in the
session), so recovery can ask whether an interrupted change committed; and a session that wrote
an entry appends the plain-file metadata log right after its commit (``metalog``), whoever
opened the transaction.
"""

from __future__ import annotations

import contextvars
import getpass
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from .db.models import AuditEntry
from .terms import RECORD_FIELDS

if TYPE_CHECKING:
    from .standards import Standards

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

_acting: str | None = None
_marks: contextvars.ContextVar[tuple[str, int | None]] = contextvars.ContextVar("audit_marks", default=("", None))


def act_as(name: str | None) -> None:
    """Record ``name`` as the acting person for the rest of this process (``--user``)."""
    global _acting
    _acting = name.strip() if name and name.strip() else None


def current_user() -> str:
    """Who is acting (see the module docstring for the order of sources)."""
    from . import userconfig

    for name in (_acting, os.environ.get("JIAARCHIVE_USER", "").strip(), userconfig.user_name(), userconfig.os_full_name()):
        if name:
            return name[:100]
    try:
        return getpass.getuser()
    except Exception:  # no login name on some Windows set-ups
        return "未知用户"


def name_is_set() -> bool:
    """Whether a person's name was given (``--user``, ``$JIAARCHIVE_USER`` or this computer's settings)."""
    from . import userconfig

    return bool(_acting or os.environ.get("JIAARCHIVE_USER", "").strip() or userconfig.user_name())


def user_source() -> str:
    """Where ``current_user`` comes from, in Chinese (for ``jiaarchive user``)."""
    from . import userconfig

    if _acting:
        return "命令行 --user"
    if os.environ.get("JIAARCHIVE_USER", "").strip():
        return "环境变量 JIAARCHIVE_USER"
    if userconfig.user_name():
        return f"本机设置（{userconfig.config_dir() / userconfig.FILE_NAME}）"
    if userconfig.os_full_name():
        return "系统账户的全名"
    return "系统登录名"


@contextmanager
def marked(*, batch: str | None = None, undoes: int | None = None) -> Iterator[None]:
    """Every entry written inside carries ``batch`` and/or ``undoes`` (this thread only)."""
    cur_batch, cur_undoes = _marks.get()
    token = _marks.set((batch if batch is not None else cur_batch, undoes if undoes is not None else cur_undoes))
    try:
        yield
    finally:
        _marks.reset(token)


def new_batch_id(now: datetime) -> str:
    return f"{now:%Y%m%d%H%M%S}-{os.urandom(3).hex()}"


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
    batch, undoes = _marks.get()
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
            batch=batch,
            undoes=undoes,
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
    record_id: int | None = None
    batch: str = ""
    undoes: int | None = None

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
            "action_label": self.action_label,
            "archive_no": self.archive_no,
            "before": self.before,
            "after": self.after,
            "detail": self.detail,
            "batch": self.batch or None,
            "undoes": self.undoes,
        }


def _view(e: AuditEntry) -> AuditView:
    return AuditView(
        id=e.id,
        at=e.at,
        who=e.who,
        action=e.action,
        action_label=ACTION_LABELS.get(e.action, e.action),
        archive_no=e.archive_no,
        before=json.loads(e.before) if e.before else None,
        after=json.loads(e.after) if e.after else None,
        detail=e.detail,
        record_id=e.record_id,
        batch=e.batch or "",
        undoes=e.undoes,
    )


def _filtered(q, archive_no: str | None, record_id: int | None):  # noqa: ANN001, ANN202
    if record_id is not None and archive_no:
        return q.where(or_(AuditEntry.record_id == record_id, AuditEntry.archive_no == archive_no))
    if record_id is not None:
        return q.where(AuditEntry.record_id == record_id)
    if archive_no:
        return q.where(AuditEntry.archive_no == archive_no)
    return q


def read(session: Session, *, archive_no: str | None = None, record_id: int | None = None,
         limit: int | None = 50, offset: int = 0) -> list[AuditView]:
    """Entries, newest first: all, or one record's (by id, or by a 档号 it had)."""
    q = _filtered(select(AuditEntry), archive_no, record_id).order_by(AuditEntry.id.desc()).offset(offset)
    if limit:
        q = q.limit(limit)
    return [_view(e) for e in session.scalars(q)]


def count(session: Session, *, archive_no: str | None = None, record_id: int | None = None) -> int:
    return session.scalar(_filtered(select(func.count(AuditEntry.id)), archive_no, record_id)) or 0


def get(session: Session, entry_id: int) -> AuditView | None:
    e = session.get(AuditEntry, entry_id)
    return _view(e) if e is not None else None


# ---------------------------------------------------------------- in Chinese

FIELD_LABELS = {
    **RECORD_FIELDS,
    # a score
    "score": "分数",
    "remark": "说明",
    # the archive
    "unit": "单位",
    "unit_type": "单位类型",
    "level": "层级",
    # a photo label
    "path": "照片",
    "sha256": "校验值",
    "taken_at": "拍摄时间",
    "subject": "事由",
    "place": "地点",
    "people": "人物",
    "photographer": "摄影者",
}
STATUS_LABELS = {"active": "在档", "trashed": "在回收站"}
_SCORE_DETAIL = re.compile(r"^(?P<sheet>\S+) 第(?P<no>\d+)项 (?P<role>\S+)$")
# fields not worth a line of their own: they follow from others, or are too technical
_QUIET = {"sha256"}
_SHOWN_ON_FILING = ("title", "date", "retention", "tags", "items", "files")


def _profile_labels() -> dict[str, str]:
    from .coverage.fields import FIELDS

    return {f.key: f.label for f in FIELDS}


def value_text(key: str, value: Any) -> str:
    """A logged value as a clerk reads it."""
    if value is None or value == "" or value == []:
        return "（空）"
    if key == "status":
        return STATUS_LABELS.get(str(value), str(value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        parts = []
        for v in value:
            if isinstance(v, dict):
                parts.append(" ".join(str(x) for x in v.values()))
            elif key == "items":
                parts.append(f"第{v}项")
            else:
                parts.append(str(v))
        return "、".join(parts)
    return str(value)


def _file_lines(old: Any, new: Any) -> list[str]:
    old = list(old or [])
    new = list(new or [])
    if len(old) == len(new):
        lines = []
        for a, b in zip(old, new):
            (fa, _, na), (fb, _, nb) = a.rpartition("/"), b.rpartition("/")
            if a == b:
                continue
            if na == nb:
                lines.append(f"文件“{na}”移到 {fb}/")
            elif fa == fb:
                lines.append(f"文件改名：{na} → {nb}")
            else:
                lines.append(f"文件：{a} → {b}")
        return lines
    lines = [f"文件：新增 {p}" for p in new if p not in old]
    lines += [f"文件：移除 {p}" for p in old if p not in new]
    return lines


def render(entry: AuditView, standards: "Standards | None" = None) -> list[str]:
    """The lines under an entry's head: what changed, in Chinese, with values translated.

    A score's sheet id becomes the sheet's title and item; an entry without a "before" (filing,
    a first score) lists what it set; a trash or restore says where the files went in one line.
    """
    labels = {**_profile_labels(), **FIELD_LABELS}
    lines: list[str] = []
    detail = entry.detail
    if entry.action == "score":
        m = _SCORE_DETAIL.match(detail)
        if m:
            sheet = m["sheet"]
            if standards is not None:
                try:
                    sheet = standards.sheet(m["sheet"]).title
                except Exception:  # noqa: BLE001 - a sheet the catalogue no longer has
                    pass
            detail = f"《{sheet}》第{m['no']}项 {m['role']}"
    if detail and detail != entry.action_label:
        lines.append(detail)
    if entry.undoes is not None:
        lines.append(f"（撤销第 {entry.undoes} 条日志的改动）")
    if entry.before is None:
        after = entry.after or {}
        keys = [k for k in _SHOWN_ON_FILING if k in after] if entry.action in ("file", "attach") else list(after)
        for key in keys:
            if key in _QUIET or after.get(key) in (None, "", []):
                continue
            if key == "files":
                lines += [f"文件：{p}" for p in after[key]]
            else:
                lines.append(f"{labels.get(key, key)}：{value_text(key, after[key])}")
        return lines
    if entry.after is None:  # something removed (a score cleared)
        for key, value in entry.before.items():
            if key not in _QUIET:
                lines.append(f"{labels.get(key, key)}：{value_text(key, value)} → （已清除）")
        return lines
    for key, (old, new) in entry.changes().items():
        if key in _QUIET:
            continue
        if key == "files":
            if entry.action == "trash":
                lines.append("文件：移入回收站")
            elif entry.action == "restore":
                lines.append("文件：放回原来的文件夹")
            else:
                lines += _file_lines(old, new)
            continue
        was, now = value_text(key, old), value_text(key, new)
        if was == now:
            continue  # None and an empty list read the same
        if old in (None, "", []) and entry.action not in ("edit", "refile"):
            lines.append(f"{labels.get(key, key)}：{now}")  # filled in for the first time
        else:
            lines.append(f"{labels.get(key, key)}：{was} → {now}")
    return lines


def head(entry: AuditView) -> str:
    """``2021-09-02 12:23:00  张三  归档  F-4·2021-D30-0004``"""
    return f"{entry.at:%Y-%m-%d %H:%M:%S}  {entry.who}  {entry.action_label}  {entry.archive_no}".rstrip()
