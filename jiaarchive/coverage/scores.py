"""Scores entered per scoresheet item: the clerk's 自查分 and the inspector's 评定分.

Scores are not records or files, so an archive opened read-only (inspector mode) may still enter
them: ``Archive.require_writable()`` is deliberately not called here.  Every change is audited
(action ``score``) in the same transaction.

The same table keeps the clerk's mark that an item does not apply (不适用, role
``not_applicable``, the reason in ``remark``): only for items whose own text sets a condition
(mapping.toml ``not_applicable_if``, e.g. 职工持股会 "设置内部职工股的公司制企业").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from .. import audit, locks
from ..archive import Archive
from ..db.models import ItemScore
from ..errors import BadValue

SELF = "self"
INSPECTOR = "inspector"
NOT_APPLICABLE = "not_applicable"
ROLE_LABELS = {SELF: "自查分", INSPECTOR: "评定分"}


class BadScore(BadValue):
    """A score outside 0…the item's 单项分, or for an item the sheet does not have."""


@dataclass(frozen=True)
class Score:
    sheet_id: str
    item_no: int
    role: str
    score: float
    remark: str
    who: str
    at: datetime

    def to_json(self) -> dict:
        return {"score": self.score, "remark": self.remark, "who": self.who, "at": self.at.isoformat(timespec="seconds")}


def read_all(archive: Archive, sheet_id: str) -> dict[tuple[int, str], Score]:
    with archive.session() as s:
        rows = s.scalars(select(ItemScore).where(ItemScore.sheet_id == sheet_id))
        return {(r.item_no, r.role): Score(r.sheet_id, r.item_no, r.role, r.score, r.remark, r.who, r.at) for r in rows}


def set_score(archive: Archive, item_no: int, role: str, score: float | None, remark: str | None = None) -> Score | None:
    """Enter (or with ``score=None`` clear) one item's score for ``role``; returns the stored score."""
    if role not in ROLE_LABELS:
        raise BadScore(f"评分类别“{role}”无效，应为 self（自查分）或 inspector（评定分）。")
    if role == SELF and archive.read_only:
        raise BadScore("档案以检查组只读方式打开，只能录入评定分，不能修改自查分。")
    sheet = archive.scoresheet
    if sheet is None:
        raise BadScore(f"{archive.unit_type}（{archive.level}）没有先进评分表，不能录入分数。")
    item = sheet.item(item_no)
    label = ROLE_LABELS[role]
    if score is not None:
        if score < 0 or score > item.points:
            raise BadScore(f"第{item_no}项{label} {score:g} 不在 0 到单项分 {item.points} 之间。")
        if round(score * 2) != score * 2:
            raise BadScore(f"第{item_no}项{label} {score:g} 请取整数或半分（如 4.5）。")
    now = archive.now()
    who = audit.current_user()
    with archive.session() as s, s.begin():
        locks.lock_row(s, "item_scores", (sheet.id, item_no, role))
        row = s.get(ItemScore, (sheet.id, item_no, role))
        before = {"score": row.score, "remark": row.remark} if row else None
        if score is None:
            if row is not None:
                s.delete(row)
            after = None
        else:
            if row is None:
                row = ItemScore(sheet_id=sheet.id, item_no=item_no, role=role)
                s.add(row)
            row.score = float(score)
            if remark is not None:
                row.remark = remark.strip()
            elif row.remark is None:
                row.remark = ""
            row.who, row.at = who, now
            after = {"score": row.score, "remark": row.remark}
        audit.log(s, "score", at=now, before=before, after=after, who=who,
                  detail=f"{sheet.id} 第{item_no}项 {label}")
    if score is None:
        return None
    return Score(sheet.id, item_no, role, float(score), after["remark"], who, now)


def set_not_applicable(archive: Archive, item_no: int, reason: str | None) -> Score | None:
    """Mark an item 不适用 with the clerk's reason (``reason`` empty or None: applicable again).

    Refused for items whose text sets no condition: an item without evidence is a gap, not
    something to set aside.
    """
    from .rules import load as load_rules

    if archive.read_only:
        raise BadScore("档案以检查组只读方式打开，不能把评分项目标为不适用。")
    sheet = archive.scoresheet
    if sheet is None:
        raise BadScore(f"{archive.unit_type}（{archive.level}）没有先进评分表。")
    sheet.item(item_no)
    text = (reason or "").strip()
    condition = load_rules(archive.standards, archive.settings.extra.get("coverage")).mapping(
        sheet.id, item_no).not_applicable_if
    if text and not condition:
        raise BadScore(f"第{item_no}项的原文没有适用条件，不能标为不适用；没有材料时请补充材料或如实说明缺口。")
    now = archive.now()
    who = audit.current_user()
    with archive.session() as s, s.begin():
        locks.lock_row(s, "item_scores", (sheet.id, item_no, NOT_APPLICABLE))
        row = s.get(ItemScore, (sheet.id, item_no, NOT_APPLICABLE))
        before = {"reason": row.remark} if row else None
        if not text:
            if row is not None:
                s.delete(row)
        else:
            if row is None:
                row = ItemScore(sheet_id=sheet.id, item_no=item_no, role=NOT_APPLICABLE, score=0.0)
                s.add(row)
            row.remark, row.who, row.at = text, who, now
        audit.log(s, "score", at=now, before=before, after={"reason": text} if text else None, who=who,
                  detail=f"{sheet.id} 第{item_no}项 不适用")
    return Score(sheet.id, item_no, NOT_APPLICABLE, 0.0, text, who, now) if text else None
