"""The standards as typed data (标准数据模型): what ``loader`` builds from ``catalog/``.

Frozen dataclasses only: the A–F filing catalogue (资料台帐参考目录, ``Catalogue``), the four 先进
scoresheets (评分表, ``Scoresheet``), the 合格/先进/模范 standards (``Standard``), thresholds
(``Threshold``), veto lists (否决条件, ``VetoRule``), prerequisites (申报前提, ``Prerequisite``),
application materials (``Material``), registration forms (申报登记表, ``RegistrationForm``),
application windows (``Window``) and this software's own defaults (unit types, sheet mapping,
retention).  Code here names concepts only; item numbers, codes and points live in the data.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..errors import BadValue, CatalogInvalid, CodeNotApplicable, UnknownCode

# Structural patterns (not official numbers): a catalogue code is a volume letter, a dash,
# a number and an optional dash and sub-number; a sheet id is short lower-case ASCII.
CODE_RE = re.compile(r"^(?P<letter>[A-Z])-(?P<num>[1-9][0-9]*)(?:-(?P<sub>[1-9][0-9]*))?$")
SHEET_ID_RE = re.compile(r"^[a-z][a-z0-9-]{0,40}$")
MONTH_DAY_RE = re.compile(r"^(\d{2})-(\d{2})$")

NOTE_RULES = {
    "may_customise": "可增删条目、添加子目录",
    "may_omit_not_applicable": "不涉及的条目可以不设",
    "xiaojia_simplified": "职工小家台帐应简化",
}


# ---------------------------------------------------------------------------
# Domain dataclasses


@dataclass(frozen=True)
class RetentionPeriod:
    """保管期限: a retention period, e.g. 定期30年 (code D30)."""

    name: str
    code: str
    note: str = ""


@dataclass(frozen=True)
class Entry:
    """One catalogue entry (目录条目), e.g. A-1 劳动竞赛、技术革新资料."""

    code: str
    title: str
    volume: str
    parent: str | None = None
    not_for: tuple[str, ...] = ()
    xiaojia: bool = True
    basis: str = ""
    default_retention: str = ""
    note: str = ""
    retention_reason: str = ""

    @property
    def folder_name(self) -> str:
        return f"{self.code} {self.title}"

    def applies_to(self, unit_type: str, level: str, xiaojia_level: str) -> bool:
        if unit_type in self.not_for:
            return False
        return not (level == xiaojia_level and not self.xiaojia)


@dataclass(frozen=True)
class Volume:
    """卷: one of the six parts A–F of the catalogue."""

    letter: str
    title: str
    entries: tuple[Entry, ...]

    @property
    def folder_name(self) -> str:
        return f"{self.letter} {self.title}"


@dataclass(frozen=True)
class CatalogueNote:
    """One of the catalogue's printed notes (注) and the machine rule it becomes."""

    no: int
    text: str
    rule: str


@dataclass(frozen=True)
class Catalogue:
    """资料台帐参考目录: volumes A–F with their entries, and the printed notes."""

    doc_no: str
    title: str  # the catalogue's own title: 重庆市职工之家（小家）资料台帐参考目录
    volumes: tuple[Volume, ...]
    notes: tuple[str, ...]
    note_rules: tuple[CatalogueNote, ...] = ()
    doc_title: str = ""  # the notice that issued it
    unit_types: tuple[str, ...] = field(default=(), compare=False, repr=False)
    levels: tuple[str, ...] = field(default=(), compare=False, repr=False)
    xiaojia_level: str = field(default="", compare=False, repr=False)
    default_retention: str = field(default="", compare=False, repr=False)

    def entries(self) -> tuple[Entry, ...]:
        return tuple(e for v in self.volumes for e in v.entries)

    def codes(self) -> tuple[str, ...]:
        return tuple(e.code for e in self.entries())

    def volume(self, letter: str) -> Volume:
        for v in self.volumes:
            if v.letter == letter:
                return v
        letters = "、".join(v.letter for v in self.volumes)
        raise UnknownCode(f"目录中没有“{letter}”卷。可用的卷：{letters}。")

    def entry(self, code: str) -> Entry:
        wanted = code.strip().upper()
        for e in self.entries():
            if e.code == wanted:
                return e
        raise UnknownCode(self._unknown_message(code))

    def _unknown_message(self, code: str) -> str:
        codes = self.codes()
        span = f"{codes[0]} … {codes[-1]}" if codes else "（无）"
        close = difflib.get_close_matches(code.strip().upper(), codes, n=3, cutoff=0.5)
        hint = f"，相近的编号：{'、'.join(close)}" if close else ""
        return f"目录中没有编号“{code}”{hint}。可用的编号：{span}"

    def _check_unit(self, unit_type: str, level: str) -> None:
        if self.unit_types and unit_type not in self.unit_types:
            raise BadValue(f"单位类型“{unit_type}”不存在，可用的单位类型：{'、'.join(self.unit_types)}。")
        if self.levels and level not in self.levels:
            raise BadValue(f"层级“{level}”不存在，可用的层级：{'、'.join(self.levels)}。")

    def applicable(self, unit_type: str, level: str) -> tuple[Entry, ...]:
        self._check_unit(unit_type, level)
        return tuple(e for e in self.entries() if e.applies_to(unit_type, level, self.xiaojia_level))

    def require_applicable(self, code: str, unit_type: str, level: str) -> Entry:
        entry = self.entry(code)
        self._check_unit(unit_type, level)
        if entry.applies_to(unit_type, level, self.xiaojia_level):
            return entry
        who = unit_type if unit_type in entry.not_for else f"{unit_type}{level}"
        basis = f"依据：{entry.basis}" if entry.basis else "目录中已将其排除"
        raise CodeNotApplicable(f"目录条目“{entry.folder_name}”不适用于{who}（{basis}）。")

    def customised(self, add: Sequence[Mapping[str, Any]] = (), remove: Sequence[str] = ()) -> Catalogue:
        """Apply note 1 (增删目录、添加子目录) at archive level; returns a new Catalogue.

        ``add`` items: ``{"code": "B-1-1", "title": "...", optional "not_for", "xiaojia",
        "basis", "retention"}``.  Sub-entries inherit their parent's applicability and
        retention unless given.  ``remove`` codes also remove their sub-entries.
        """
        entries = {e.code: e for e in self.entries()}
        letters = [v.letter for v in self.volumes]
        for code in remove:
            key = str(code).strip().upper()
            if key not in entries:
                raise BadValue(f"要删除的目录编号“{code}”不存在。")
            for c in [c for c, e in entries.items() if c == key or e.parent == key]:
                del entries[c]
        for item in add:
            if not isinstance(item, Mapping):
                raise BadValue(f"新增目录条目必须是包含编号和名称的表，收到：{item!r}。")
            code = str(item.get("code", "")).strip().upper()
            title = str(item.get("title", "")).strip()
            m = CODE_RE.match(code)
            if not m:
                raise BadValue(f"新增目录编号“{code}”格式不对，应为卷字母-序号（如 A-6）或卷字母-序号-子序号（如 B-1-1）。")
            if m["letter"] not in letters:
                raise BadValue(f"新增目录编号“{code}”所属的“{m['letter']}”卷不存在。")
            if code in entries:
                raise BadValue(f"新增目录编号“{code}”已存在（{entries[code].title}）。")
            if not title:
                raise BadValue(f"新增目录条目“{code}”缺少名称。")
            parent = f"{m['letter']}-{m['num']}" if m["sub"] else None
            if parent and parent not in entries:
                raise BadValue(f"子目录“{code}”的上级条目“{parent}”不存在。")
            base = entries[parent] if parent else None
            not_for = item.get("not_for", base.not_for if base else ())
            if isinstance(not_for, str):
                not_for = (not_for,)
            for u in not_for:
                if self.unit_types and u not in self.unit_types:
                    raise BadValue(f"新增目录条目“{code}”的不适用单位类型“{u}”不存在。")
            retention = str(item.get("retention") or (base.default_retention if base else self.default_retention))
            entries[code] = Entry(
                code=code,
                title=title,
                volume=m["letter"],
                parent=parent,
                not_for=tuple(not_for),
                xiaojia=bool(item.get("xiaojia", base.xiaojia if base else True)),
                basis=str(item.get("basis", base.basis if base else "")),
                default_retention=retention,
                note=str(item.get("note", "")),
            )
        volumes = tuple(
            replace(v, entries=tuple(sorted((e for e in entries.values() if e.volume == v.letter), key=code_key)))
            for v in self.volumes
        )
        return replace(self, volumes=volumes)


def code_key(entry: Entry) -> tuple[int, int]:
    m = CODE_RE.match(entry.code)
    assert m is not None
    return int(m["num"]), int(m["sub"] or 0)


@dataclass(frozen=True)
class ScoreItem:
    """评分表的一项: number, group (六有家园/五家建设/六有小家), subgroup, text and points."""

    no: int
    group: str
    subgroup: str
    text: str
    points: int
    note: str = ""
    official_issue: str = ""


@dataclass(frozen=True)
class Scoresheet:
    """先进 scoresheet (创建标准评分表) with its printed 合计."""

    id: str
    title: str
    unit_type: str | None
    level: str
    doc_no: str
    stated_total: int
    items: tuple[ScoreItem, ...]
    grade: str = ""
    attachment: str = ""
    columns: tuple[str, ...] = ()
    note: str = ""
    file: str = ""

    def item(self, no: int) -> ScoreItem:
        for it in self.items:
            if it.no == no:
                return it
        raise BadValue(f"评分表“{self.title}”没有第{no}项（共{len(self.items)}项）。")

    @property
    def points_sum(self) -> int:
        return sum(it.points for it in self.items)

    def groups(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(it.group for it in self.items))

    def subgroups(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(it.subgroup for it in self.items))


@dataclass(frozen=True)
class StandardItem:
    """One row of a 合格/先进/模范 standard table: 创建项目 and 创建标准."""

    project: str
    text: str
    note: str = ""
    official_issue: str = ""


@dataclass(frozen=True)
class Standard:
    """A 合格, 先进 or 模范 standard table and whom it applies to (empty = all)."""

    grade: str
    title: str
    unit_types: tuple[str, ...]
    levels: tuple[str, ...]
    items: tuple[StandardItem, ...]
    doc_no: str
    source: str = ""
    note: str = ""

    def applies(self, unit_type: str | None, level: str | None) -> bool:
        ok_u = not self.unit_types or unit_type is None or unit_type in self.unit_types
        ok_l = not self.levels or level is None or level in self.levels
        return ok_u and ok_l


@dataclass(frozen=True)
class Threshold:
    """A number the standards set (入会率, 满意度, 自查分, 复查周期 …) with its source."""

    id: str
    kind: str
    name: str
    value: float
    unit: str
    comparison: str
    grade: str
    unit_types: tuple[str, ...]
    levels: tuple[str, ...]
    printed: str
    source: str
    doc_no: str
    note: str = ""

    def applies(self, unit_type: str | None, level: str | None) -> bool:
        ok_u = not self.unit_types or unit_type is None or unit_type in self.unit_types
        ok_l = not self.levels or level is None or level in self.levels
        return ok_u and ok_l

    def met_by(self, actual: float | Fraction) -> bool:
        """Whether ``actual`` satisfies this threshold (“…以上” counts the number itself).

        The one place a threshold is compared: rates come as exact fractions, so 449/500
        (89.8 %) never passes 90 % by rounding.
        """
        value = Fraction(str(self.value))
        got = actual if isinstance(actual, Fraction) else Fraction(str(actual))
        return {
            ">=": got >= value,
            ">": got > value,
            "<=": got <= value,
            "<": got < value,
            "==": got == value,
        }[self.comparison]


@dataclass(frozen=True)
class VetoRule:
    """否决条件: one condition that bars an application at ``grade``."""

    grade: str
    no: int
    text: str
    doc_no: str
    source: str = ""
    note: str = ""


@dataclass(frozen=True)
class Prerequisite:
    """申报前提: applying at ``grade`` needs a title of grade ``requires`` first (the notice's words)."""

    grade: str
    requires: str
    printed: str
    doc_no: str
    source: str = ""
    note: str = ""


@dataclass(frozen=True)
class Material:
    """申报材料: one required application material and its required parts."""

    grade: str
    key: str
    no: int
    name: str
    printed: str
    parts: tuple[str, ...]
    doc_no: str
    source: str = ""
    note: str = ""


@dataclass(frozen=True)
class FormField:
    """One field of a registration form (申报登记表)."""

    label: str
    printed: str
    kind: str
    max_chars: int | None = None
    seal: bool = False
    section: str = ""


@dataclass(frozen=True)
class RegistrationForm:
    """申报登记表 (附件6 / 附件7)."""

    id: str
    title: str
    attachment: str
    grade: str
    level: str
    fields: tuple[FormField, ...]
    doc_no: str
    source_incomplete: bool = False
    note: str = ""


@dataclass(frozen=True)
class Window:
    """申报时间: a fixed date range, a deadline (no start), or an every-year range.

    ``grade`` empty means the window covers every grade of that call.
    """

    id: str
    name: str
    grade: str
    printed: str
    doc_no: str
    start: _dt.date | None = None
    end: _dt.date | None = None
    every_year: bool = False
    start_md: tuple[int, int] | None = None
    end_md: tuple[int, int] | None = None
    source: str = ""
    note: str = ""

    def range_for(self, year: int | None = None) -> tuple[_dt.date | None, _dt.date | None]:
        if self.every_year:
            if year is None:
                raise BadValue(f"“{self.name}”每年开放，需要指定年份。")
            s = _dt.date(year, *self.start_md) if self.start_md else None
            e = _dt.date(year, *self.end_md) if self.end_md else None
            return s, e
        return self.start, self.end

    def contains(self, day: _dt.date) -> bool:
        start, end = self.range_for(day.year if self.every_year else None)
        return (start is None or start <= day) and (end is None or day <= end)


@dataclass(frozen=True)
class Grade:
    """创建层级: 合格 < 先进 < 重庆市模范 < 全国模范."""

    name: str
    order: int
    doc_no: str
    note: str = ""
    printed: str = ""


@dataclass(frozen=True)
class InspectionStep:
    """验收方式 听、查、看、访、评, one step."""

    step: str
    meaning: str
    grade: str
    doc_no: str


@dataclass(frozen=True)
class Document:
    """One official document transcribed in catalog/."""

    doc_no: str
    title: str
    file: str
    issuer: str = ""
    date: _dt.date | None = None
    official: bool = True


@dataclass(frozen=True)
class SheetMapping:
    """Which 先进 scoresheet applies to a (unit type, level); ``sheet`` None = none exists."""

    unit_type: str
    level: str
    sheet: str | None
    note: str = ""


@dataclass(frozen=True)
class Standards:
    """Everything loaded from catalog/."""

    catalogue: Catalogue
    unit_types: tuple[str, ...]
    levels: tuple[str, ...]
    retention_periods: tuple[RetentionPeriod, ...]
    scoresheets: tuple[Scoresheet, ...]
    sheet_mappings: tuple[SheetMapping, ...] = ()
    grades: tuple[Grade, ...] = ()
    standards: tuple[Standard, ...] = ()
    thresholds: tuple[Threshold, ...] = ()
    vetoes: tuple[VetoRule, ...] = ()
    materials: tuple[Material, ...] = ()
    forms: tuple[RegistrationForm, ...] = ()
    windows: tuple[Window, ...] = ()
    inspection_steps: tuple[InspectionStep, ...] = ()
    documents: tuple[Document, ...] = ()
    prerequisites: tuple[Prerequisite, ...] = ()
    xiaojia_level: str = ""
    parent_level: str = ""  # the level of a 小家's parent union (基层工会)
    path: Path | None = None

    def retention_code(self, name: str) -> str:
        for p in self.retention_periods:
            if p.name == name:
                return p.code
        names = "、".join(p.name for p in self.retention_periods)
        raise BadValue(f"保管期限“{name}”不存在，可用的保管期限：{names}。")

    def retention_name(self, code: str) -> str:
        for p in self.retention_periods:
            if p.code == code:
                return p.name
        codes = "、".join(p.code for p in self.retention_periods)
        raise BadValue(f"保管期限代码“{code}”不存在，可用的代码：{codes}。")

    def sheet(self, sheet_id: str) -> Scoresheet:
        for s in self.scoresheets:
            if s.id == sheet_id:
                return s
        ids = "、".join(s.id for s in self.scoresheets)
        raise BadValue(f"没有编号为“{sheet_id}”的评分表，可用的评分表：{ids}。")

    def _check_unit(self, unit_type: str, level: str) -> None:
        self.catalogue._check_unit(unit_type, level)

    def sheet_mapping(self, unit_type: str, level: str) -> SheetMapping:
        self._check_unit(unit_type, level)
        for m in self.sheet_mappings:
            if m.unit_type == unit_type and m.level == level:
                return m
        raise BadValue(f"units.toml 没有说明{unit_type}{level}使用哪张评分表。")

    def sheet_for(self, unit_type: str, level: str) -> Scoresheet | None:
        m = self.sheet_mapping(unit_type, level)
        return self.sheet(m.sheet) if m.sheet else None

    def grade(self, name: str) -> Grade:
        for g in self.grades:
            if g.name == name:
                return g
        raise BadValue(f"创建层级“{name}”不存在，可用的层级：{'、'.join(g.name for g in self.grades)}。")

    def standards_for(self, grade: str, unit_type: str | None = None, level: str | None = None) -> tuple[Standard, ...]:
        return tuple(s for s in self.standards if s.grade == grade and s.applies(unit_type, level))

    def find_thresholds(
        self, kind: str, grade: str | None = None, unit_type: str | None = None, level: str | None = None
    ) -> tuple[Threshold, ...]:
        return tuple(
            t
            for t in self.thresholds
            if t.kind == kind and (grade is None or t.grade == grade) and t.applies(unit_type, level)
        )

    def threshold(self, threshold_id: str) -> Threshold:
        for t in self.thresholds:
            if t.id == threshold_id:
                return t
        raise BadValue(f"没有编号为“{threshold_id}”的门槛值。")

    def vetoes_for(self, grade: str) -> tuple[VetoRule, ...]:
        return tuple(v for v in self.vetoes if v.grade == grade)

    def prerequisites_for(self, grade: str) -> tuple[Prerequisite, ...]:
        return tuple(p for p in self.prerequisites if p.grade == grade)

    def materials_for(self, grade: str) -> tuple[Material, ...]:
        return tuple(m for m in self.materials if m.grade == grade)

    def forms_for(self, level: str) -> tuple[RegistrationForm, ...]:
        return tuple(f for f in self.forms if f.level == level)

    def windows_for(self, grade: str) -> tuple[Window, ...]:
        """Windows for ``grade``, including call-wide windows (empty grade)."""
        return tuple(w for w in self.windows if w.grade in (grade, ""))

    @property
    def reinspection_years(self) -> int:
        """复查周期 in years, from the data (first source if several; `check` compares them)."""
        found = [t for t in self.thresholds if t.kind == "reinspection_years"]
        if not found:
            raise CatalogInvalid("标准数据中没有复查周期（reinspection_years）。")
        return int(found[0].value)
