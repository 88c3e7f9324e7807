"""The unit profile (单位基本情况): the facts the veto conditions and the registration form need.

Kept in the archive database (table ``unit_profile``, one JSON value per key); every change is one
transaction with its audit entry (action ``profile``).  Keys are English, labels Chinese::

    set_facts(archive, {"employees": "160", "members": "158", "elected_on": "2019-06-12"})

A bad value (a negative count, members above employees, a date that does not parse, a term that
is neither 3 nor 5 years) raises ``BadProfileValue`` and changes nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from .. import audit
from ..archive import Archive
from ..db.models import ProfileFact
from ..errors import BadValue


class BadProfileValue(BadValue):
    """A profile value that cannot be accepted (negative, inconsistent, unparsable)."""


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str  # int, text, date, bool, term, events, grade
    help: str = ""


FIELDS: tuple[Field, ...] = (
    Field("employees", "职工总数", "int", "含农民工、劳务派遣工"),
    Field("members", "会员总数", "int"),
    Field("chair", "工会主席", "text", "小家填工会小组长（分工会负责人）"),
    Field("phone", "联系电话", "text"),
    Field("postcode", "邮政编码", "text"),
    Field("ownership", "单位所有制形式", "text"),
    Field("operation", "经营方式", "text"),
    Field("full_time_cadres", "工会专职干部数", "int"),
    Field("branches", "分工会数", "int"),
    Field("group_name", "分工会（工会小组）名称", "text", "小家填写"),
    Field("elected_on", "工会委员会选举日期", "date"),
    Field("term_years", "任期（年）", "term", "3 或 5"),
    Field("funds_committee", "经费审查委员会（或经审委员）健全", "bool"),
    Field("women_committee", "女职工委员会（或女职工委员）健全", "bool"),
    Field("labour_contracts", "依法签订并履行劳动合同", "bool"),
    Field("social_insurance", "依法参加社会保险并足额缴费", "bool"),
    Field("staff_congress", "已建立职（教）代会制度", "bool"),
    Field("open_affairs", "已建立厂务（校务）公开制度", "bool"),
    Field("collective_contract", "已建立集体协商和集体合同制度", "bool"),
    Field("ballots_on", "会员评家测评日期", "date"),
    Field("ballots_satisfied", "评家测评原始票：满意", "int"),
    Field("ballots_basically_satisfied", "评家测评原始票：基本满意", "int"),
    Field("ballots_dissatisfied", "评家测评原始票：不满意", "int"),
    Field("incidents", "近三年职工群体事件和重大安全责任事故", "events", "“无”，或“2020-05-01 事件说明；…”"),
    Field("other_veto", "其他不宜申报的原因", "text", "“无”或说明"),
    Field("titles", "已获荣誉称号", "events", "“无”，或“2018-12-20 合格职工之家；…”"),
    Field("achievements", "主要先进事迹", "text", "小家登记表用，400字以内"),
    Field("target_grade", "申报层级", "grade", "先进、重庆市模范 …"),
)
BY_KEY = {f.key: f for f in FIELDS}
BY_LABEL = {f.label: f for f in FIELDS}
NONE_WORDS = ("无", "没有", "none", "-")
TRUE_WORDS = ("是", "有", "已建立", "健全", "true", "yes", "y", "1")
FALSE_WORDS = ("否", "无", "没有", "未建立", "不健全", "false", "no", "n", "0")


@dataclass(frozen=True)
class Event:
    """A dated entry of ``incidents`` or ``titles``."""

    on: date
    text: str


@dataclass(frozen=True)
class Profile:
    """The stored facts (absent keys are unknown), with who changed each last and when."""

    values: dict[str, Any]
    changed: dict[str, tuple[datetime, str]]

    def get(self, key: str) -> Any:
        return self.values.get(key)

    def has(self, key: str) -> bool:
        return self.values.get(key) not in (None, "")

    def events(self, key: str) -> tuple[Event, ...] | None:
        """``incidents``/``titles`` as events; () when declared none, None when unknown."""
        raw = self.values.get(key)
        if raw is None:
            return None
        return tuple(Event(date.fromisoformat(e["on"]), e["text"]) for e in raw)

    def membership_rate(self) -> float | None:
        return membership_rate(self.values.get("employees"), self.values.get("members"))

    def to_json(self) -> dict[str, Any]:
        return {
            f.key: {
                "label": f.label,
                "value": self.values.get(f.key),
                "updated_at": self.changed[f.key][0].isoformat(timespec="seconds") if f.key in self.changed else None,
                "updated_by": self.changed[f.key][1] if f.key in self.changed else None,
            }
            for f in FIELDS
        }


def membership_rate(employees: int | None, members: int | None) -> float | None:
    """入会率 in percent (members / employees); None while either is unknown or there are no employees."""
    if not employees or members is None:
        return None
    return 100.0 * members / employees


def satisfaction_rate(satisfied: int | None, basically: int | None, dissatisfied: int | None,
                      *, count_basically_satisfied: bool = True) -> float | None:
    """评家满意度 in percent of all ballots; None while a count is unknown or no ballot was cast.

    Whether “基本满意” counts as satisfied is the archive's setting
    (``[coverage] count_basically_satisfied``), not the official text's.
    """
    if satisfied is None or basically is None or dissatisfied is None:
        return None
    total = satisfied + basically + dissatisfied
    if total <= 0:
        return None
    return 100.0 * (satisfied + (basically if count_basically_satisfied else 0)) / total


def read(archive: Archive) -> Profile:
    with archive.session() as s:
        rows = list(s.scalars(select(ProfileFact)))
    values = {r.key: json.loads(r.value) for r in rows if r.key in BY_KEY and r.value}
    changed = {r.key: (r.updated_at, r.updated_by) for r in rows}
    return Profile(values, changed)


def field_for(name: str) -> Field:
    f = BY_KEY.get(name.strip()) or BY_LABEL.get(name.strip())
    if f is None:
        keys = "、".join(f"{x.key}（{x.label}）" for x in FIELDS)
        raise BadProfileValue(f"单位简况没有“{name}”这一项，可用：{keys}。")
    return f


def _parse_events(f: Field, text: str) -> list[dict[str, str]]:
    from ..filing import parse_date

    t = text.strip()
    if t.lower() in NONE_WORDS:
        return []
    out = []
    for part in re.split(r"[；;\n]+", t):
        part = part.strip()
        if not part:
            continue
        m = re.match(r"(\S+)\s+(.+)", part)
        if not m:
            raise BadProfileValue(f"{f.label}“{part}”应写成“日期 说明”，如“2020-05-01 {'合格职工之家' if f.key == 'titles' else '事件说明'}”。")
        out.append({"on": parse_date(m[1], f.label).isoformat(), "text": m[2].strip()})
    return out


def parse_value(f: Field, text: str, grades: tuple[str, ...] = ()) -> Any:
    """A typed value from what a clerk typed; "" clears the fact (unknown again)."""
    t = str(text).strip()
    if t == "":
        return None
    if f.kind == "int":
        try:
            n = int(t)
        except ValueError:
            raise BadProfileValue(f"{f.label}“{t}”不是整数。") from None
        if n < 0:
            raise BadProfileValue(f"{f.label}不能为负数（现为 {n}）。")
        return n
    if f.kind == "term":
        if t not in ("3", "5"):
            raise BadProfileValue(f"{f.label}只能是 3 或 5 年（现为“{t}”）。")
        return int(t)
    if f.kind == "date":
        from ..filing import parse_date

        return parse_date(t, f.label).isoformat()
    if f.kind == "bool":
        low = t.lower()
        if low in TRUE_WORDS:
            return True
        if low in FALSE_WORDS:
            return False
        raise BadProfileValue(f"{f.label}应填“是”或“否”（现为“{t}”）。")
    if f.kind == "events":
        return _parse_events(f, t)
    if f.kind == "grade":
        if grades and t not in grades:
            raise BadProfileValue(f"申报层级“{t}”不存在，可选：{'、'.join(grades)}。")
        return t
    if f.key == "achievements" and len(t) > 400:
        raise BadProfileValue(f"主要先进事迹最多 400 字（现为 {len(t)} 字）。")
    return t


def _consistent(values: dict[str, Any]) -> None:
    e, m = values.get("employees"), values.get("members")
    if e is not None and m is not None and m > e:
        raise BadProfileValue(f"会员总数（{m}）不能大于职工总数（{e}）。")
    elected = values.get("elected_on")
    if elected and date.fromisoformat(elected) > date.today():
        raise BadProfileValue(f"工会委员会选举日期 {elected} 晚于今天。")


def set_facts(archive: Archive, changes: dict[str, str]) -> Profile:
    """Set facts from text (keys or Chinese labels); all checked first, one audited transaction.

    Allowed on a read-only (inspector) archive?  No: the profile is the unit's own statement.
    """
    archive.require_writable()
    grades = tuple(g.name for g in archive.standards.grades)
    parsed = {}
    for name, text in changes.items():
        f = field_for(name)
        parsed[f.key] = parse_value(f, text, grades)
    current = read(archive)
    merged = {**current.values, **parsed}
    merged = {k: v for k, v in merged.items() if v is not None}
    _consistent(merged)
    now = archive.now()
    who = audit.current_user()
    with archive.session() as s, s.begin():
        before = {k: current.values.get(k) for k in parsed}
        for key, value in parsed.items():
            row = s.get(ProfileFact, key)
            if value is None:
                if row is not None:
                    s.delete(row)
                continue
            if row is None:
                row = ProfileFact(key=key)
                s.add(row)
            row.value = json.dumps(value, ensure_ascii=False)
            row.updated_at, row.updated_by = now, who
        audit.log(s, "profile", at=now, before=before, after=parsed, detail="修改单位简况", who=who)
    return read(archive)


def show_value(f: Field, value: Any) -> str:
    """A value as a clerk reads it."""
    if value is None:
        return "（未填）"
    if f.kind == "bool":
        return "是" if value else "否"
    if f.kind == "events":
        return "无" if not value else "；".join(f"{e['on']} {e['text']}" for e in value)
    return str(value)
