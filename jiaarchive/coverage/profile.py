"""The unit profile (单位基本情况): the facts the veto conditions and the registration form need.

Kept in the archive database (table ``unit_profile``, one JSON value per key); every change is one
transaction with its audit entry (action ``profile``).  Keys are English, labels Chinese::

    set_facts(archive, {"employees": "160", "members": "158", "elected_on": "2019-06-12"})

A bad value (a negative count, members above employees, a date that does not parse or lies in
the future, a term that is neither 3 nor 5 years) raises ``BadProfileValue`` and changes nothing.

A 小家 (分工会、工会小组) also keeps the facts of its parent union (上级工会，即基层工会), because the
veto conditions speak of the 基层工会: its committees, term, 职代会, membership, ballots.  They
are stored under ``parent.<key>`` (``profile set parent.members=480``) or copied from the parent's
own archive or its ``profile show --json`` output by ``import_parent``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from .. import audit, locks
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
    negative: str = ""  # a bool fact said the other way round (经费审查委员会……不健全)
    parent: bool = False  # a fact of the 基层工会: a 小家 takes it from its parent union
    xiaojia_label: str = ""  # the label a 小家 sees for its own fact, when it differs
    xiaojia_own: bool = False  # a parent fact a 小家 also keeps for itself (its 会员人数, its 小组长 election)
    zhijia_only: bool = False  # a fact only a 之家 is asked for (the enterprise's 集体合同 survey)


FIELDS: tuple[Field, ...] = (
    Field("employees", "职工总数", "int", "含农民工、劳务派遣工", parent=True),
    Field("members", "会员总数", "int", parent=True, xiaojia_label="会员人数", xiaojia_own=True),
    Field("chair", "工会主席", "text", "小家填工会小组长（分工会负责人）", xiaojia_label="工会小组长（分工会负责人）"),
    Field("phone", "联系电话", "text"),
    Field("postcode", "邮政编码", "text"),
    Field("ownership", "单位所有制形式", "text"),
    Field("operation", "经营方式", "text"),
    Field("full_time_cadres", "工会专职干部数", "int"),
    Field("branches", "分工会数", "int"),
    Field("group_name", "分工会（工会小组）名称", "text", "小家填写"),
    Field("elected_on", "工会委员会选举日期", "date", parent=True, xiaojia_label="工会小组长（分工会）选举日期",
          xiaojia_own=True),
    Field("term_years", "任期（年）", "term", "3 或 5", parent=True, xiaojia_own=True),
    Field("funds_committee", "经费审查委员会（或经审委员）健全", "bool",
          negative="经费审查委员会（或经审委员）不健全", parent=True),
    Field("women_committee", "女职工委员会（或女职工委员）健全", "bool",
          negative="女职工委员会（或女职工委员）不健全", parent=True),
    Field("labour_contracts", "依法签订并履行劳动合同", "bool", negative="未依法签订或履行劳动合同", parent=True),
    Field("social_insurance", "依法参加社会保险并足额缴费", "bool", negative="未依法参加社会保险或未足额缴费",
          parent=True),
    Field("staff_congress", "已建立职（教）代会制度", "bool", negative="未建立职（教）代会制度", parent=True),
    Field("open_affairs", "已建立厂务（校务）公开制度", "bool", negative="未建立厂务（校务）公开制度", parent=True),
    Field("collective_contract", "已建立集体协商和集体合同制度", "bool", negative="未建立集体协商和集体合同制度",
          parent=True),
    Field("ballots_on", "会员评家测评日期", "date", "最近一次测评的日期", parent=True),
    Field("ballots_satisfied", "评家测评原始票：满意", "int", parent=True),
    Field("ballots_basically_satisfied", "评家测评原始票：基本满意", "int", parent=True),
    Field("ballots_dissatisfied", "评家测评原始票：不满意", "int", parent=True),
    Field("contract_surveyed", "集体合同履约情况测评：参评职工数", "int", "职工对集体合同履约情况的测评（非公有制企业评分表用）",
          zhijia_only=True),
    Field("contract_satisfied", "集体合同履约情况测评：满意人数", "int", zhijia_only=True),
    Field("incidents", "近三年职工群体事件和重大安全责任事故", "events", "“无”，或“2020-05-01 事件说明；…”", parent=True),
    Field("safety_accidents", "近三年其他安全生产责任事故（重大事故以外）", "events",
          "重庆市模范的否决条件不限于重大事故；“无”，或“2020-05-01 事故说明；…”", parent=True),
    Field("other_veto", "其他不宜申报的原因", "text", "“无”或说明", parent=True, xiaojia_own=True),
    Field("titles", "已获荣誉称号", "events", "“无”，或“2018-12-20 合格职工之家；…”"),
    Field("achievements", "主要先进事迹", "text", "小家登记表用，400字以内"),
    Field("target_grade", "申报层级", "grade", "先进、重庆市模范 …"),
)
PARENT_PREFIX = "parent."
PARENT_UNIT = PARENT_PREFIX + "unit"
PARENT_FIELDS: tuple[Field, ...] = (
    Field(PARENT_UNIT, "上级工会名称", "text", "小家所属的基层工会"),
    *(replace(f, key=PARENT_PREFIX + f.key, label=f"上级工会：{f.label}", xiaojia_label="", parent=False,
              negative=f"上级工会：{f.negative}" if f.negative else "")
      for f in FIELDS if f.parent),
)
ALL_FIELDS = FIELDS + PARENT_FIELDS
BY_KEY = {f.key: f for f in ALL_FIELDS}
BY_LABEL = {f.label: f for f in ALL_FIELDS}
NONE_WORDS = ("无", "没有", "none", "-")
TRUE_WORDS = ("是", "有", "已建立", "健全", "true", "yes", "y", "1")
FALSE_WORDS = ("否", "无", "没有", "未建立", "不健全", "false", "no", "n", "0")
# pairs that must be consistent: (part, whole)
_PARTS = (("members", "employees"), ("contract_satisfied", "contract_surveyed"))


@dataclass(frozen=True)
class Event:
    """A dated entry of ``incidents``, ``safety_accidents`` or ``titles``."""

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
        """An events fact; () when declared none, None when unknown."""
        raw = self.values.get(key)
        if raw is None:
            return None
        return tuple(Event(date.fromisoformat(e["on"]), e["text"]) for e in raw)

    def membership_rate(self) -> float | None:
        return membership_rate(self.values.get("employees"), self.values.get("members"))

    def has_parent(self) -> bool:
        return any(k.startswith(PARENT_PREFIX) for k in self.values)

    def to_json(self) -> dict[str, Any]:
        return {
            f.key: {
                "label": f.label,
                "value": self.values.get(f.key),
                "updated_at": self.changed[f.key][0].isoformat(timespec="seconds") if f.key in self.changed else None,
                "updated_by": self.changed[f.key][1] if f.key in self.changed else None,
            }
            for f in ALL_FIELDS
        }


@dataclass(frozen=True)
class Facts:
    """The facts of one subject: the unit itself (``prefix`` "") or, for a 小家, its parent union."""

    profile: Profile
    prefix: str = ""
    xiaojia: bool = False  # the unit is a 小家: its own facts carry the 小家 labels

    @property
    def is_parent(self) -> bool:
        return bool(self.prefix)

    def field(self, key: str) -> Field:
        f = BY_KEY[self.prefix + key]
        return replace(f, label=f.xiaojia_label) if self.xiaojia and f.xiaojia_label else f

    def get(self, key: str) -> Any:
        return self.profile.get(self.prefix + key)

    def has(self, key: str) -> bool:
        return self.profile.has(self.prefix + key)

    def events(self, key: str) -> tuple[Event, ...] | None:
        return self.profile.events(self.prefix + key)

    def label(self, key: str) -> str:
        return self.field(key).label

    def negative(self, key: str) -> str:
        f = self.field(key)
        return f.negative or f"{f.label}：否"


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


def fields_for(level: str, xiaojia_level: str) -> tuple[Field, ...]:
    """The fields a unit at ``level`` fills in.

    A 小家 is not asked for the facts of its 基层工会 (经审会、女职委、职代会、入会率、评家票……):
    it keeps them as its parent union's (``parent.*``), beside its own few.
    """
    if level != xiaojia_level:
        return FIELDS
    own = tuple(replace(f, label=f.xiaojia_label) if f.xiaojia_label else f
                for f in FIELDS if (not f.parent or f.xiaojia_own) and not f.zhijia_only)
    return own + PARENT_FIELDS


def field_for(name: str) -> Field:
    f = BY_KEY.get(name.strip()) or BY_LABEL.get(name.strip())
    if f is None:
        keys = "、".join(f"{x.key}（{x.label}）" for x in FIELDS)
        raise BadProfileValue(f"单位简况没有“{name}”这一项，可用：{keys}；小家的上级工会各项写作 parent.键，如 parent.members。")
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


def _consistent(values: dict[str, Any], changed: set[str], today: date) -> None:
    for prefix in ("", PARENT_PREFIX):
        for part, whole in _PARTS:
            p, w = values.get(prefix + part), values.get(prefix + whole)
            if p is not None and w is not None and p > w:
                raise BadProfileValue(f"{BY_KEY[prefix + part].label}（{p}）不能大于{BY_KEY[prefix + whole].label}（{w}）。")
    for key, value in values.items():
        f = BY_KEY.get(key)
        if f is None or not value or key not in changed:
            continue
        # a fact dated after today is a typo, not a fact (an election "in 2022" makes no term)
        if f.kind == "date" and date.fromisoformat(value) > today:
            raise BadProfileValue(f"{f.label} {value} 晚于今天（{today.isoformat()}）。")
        if f.kind == "events":
            late = [e for e in value if date.fromisoformat(e["on"]) > today]
            if late:
                raise BadProfileValue(f"{f.label}中的“{late[0]['on']} {late[0]['text']}”晚于今天（{today.isoformat()}）。")


def set_facts(archive: Archive, changes: dict[str, str]) -> Profile:
    """Set facts from text (keys or Chinese labels); all checked first, one audited transaction.

    Allowed on a read-only (inspector) archive?  No: the profile is the unit's own statement.
    """
    archive.require_writable()
    grades = tuple(g.name for g in archive.standards.grades)
    parsed = {}
    for name, text in changes.items():
        f = field_for(name)
        if f.key.startswith(PARENT_PREFIX) and archive.level != archive.standards.xiaojia_level:
            raise BadProfileValue(f"“{f.label}”只用于{archive.standards.xiaojia_level}档案："
                                  f"本档案是{archive.level}，它自己就是基层工会。")
        parsed[f.key] = parse_value(f, text, grades)
    current = read(archive)
    merged = {**current.values, **parsed}
    merged = {k: v for k, v in merged.items() if v is not None}
    _consistent(merged, set(parsed), archive.now().date())
    now = archive.now()
    who = audit.current_user()
    with archive.session() as s, s.begin():
        locks.lock_row(s, "profile", "*")
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


# ---------------------------------------------------------------- the parent union of a 小家


def _parent_values(source: Path) -> tuple[dict[str, Any], str]:
    """(own facts of the parent union, its name) from its archive folder or a JSON file."""
    from ..archive import open_archive
    from ..errors import JiaError

    if source.is_dir():
        try:
            with open_archive(source, read_only=True) as parent:
                if parent.level == parent.standards.xiaojia_level:
                    raise BadProfileValue(f"“{source}”是{parent.level}档案，不是基层工会（上级工会）的档案。")
                return dict(read(parent).values), parent.settings.unit
        except BadProfileValue:
            raise
        except JiaError as exc:
            raise BadProfileValue(f"无法读取上级工会档案“{source}”：{exc}") from None
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BadProfileValue(f"无法读取“{source}”：应为上级工会的档案文件夹，或其 jiaarchive profile show --json 的输出（{exc}）。") from None
    if not isinstance(data, dict):
        raise BadProfileValue(f"“{source}”不是单位简况的 JSON（应为“键: 值”的表）。")
    # `profile show --json` gives {key: {"value": …}}; a plain {key: value} table is read too
    values = {k: (v.get("value") if isinstance(v, dict) else v) for k, v in data.items()}
    name = values.get("unit") if isinstance(values.get("unit"), str) else ""
    return values, name


def import_parent(archive: Archive, source: Path) -> tuple[Profile, list[str]]:
    """Copy the parent union's facts into ``parent.*`` (one audited change, checked like ``set_facts``).

    Returns the profile and the labels imported.  Only the facts a 小家 takes from its parent are
    copied; the parent's own ``parent.*`` entries and everything else are ignored.
    """
    values, name = _parent_values(Path(source))
    changes: dict[str, str] = {}
    for f in FIELDS:
        if f.parent and values.get(f.key) is not None:
            changes[PARENT_PREFIX + f.key] = show_value(f, values[f.key])
    if not changes:
        raise BadProfileValue(f"“{source}”中没有可导入的上级工会简况（职工总数、会员总数、换届、评家票数……）。")
    if name:
        changes[PARENT_UNIT] = name
    prof = set_facts(archive, changes)
    return prof, [BY_KEY[k].label for k in changes]
