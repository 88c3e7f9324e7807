"""The official standards as data: loading and validating ``catalog/``.

Everything the software knows about 建家 standards (标准) comes from the TOML files in
``catalog/``: the A–F filing catalogue (资料台帐参考目录, ``Catalogue``), the four 先进
scoresheets (评分表, ``Scoresheet``), the 合格/先进/模范 standards (``Standard``),
thresholds (``Threshold``), veto lists (否决条件, ``VetoRule``), application materials
(``Material``), registration forms (申报登记表, ``RegistrationForm``), application windows
(``Window``) and this software's own defaults (unit types, sheet mapping, retention).

Code here names concepts only; item numbers, codes and points live in the data.
Every ``*.toml`` with a top-level ``kind`` (catalogue, scoresheet, document, units,
retention) is standards data; files without ``kind`` (e.g. the search synonyms table) are
not read here.

``load()`` builds a ``Standards`` or raises ``CatalogInvalid``; ``check()`` never raises for
bad data and reports every problem.  Problems have a ``kind``:

* ``"error"``: the data is wrong (bad structure, duplicate code, broken reference, a sum
  that does not match and that the data does not declare as printed so).
* ``"official_text"``: the official text itself is inconsistent or damaged, and the data
  keeps it as printed (declared in the file under ``official_issues`` or ``official_issue``
  and, for sums, confirmed by recomputation).

``CheckResult.ok`` is true when there is no ``"error"``; the CLI exits non-zero whenever
there is any problem (``CheckResult.exit_code``: 0 none, 1 only official-text, 2 errors).
"""

from __future__ import annotations

import datetime as _dt
import difflib
import functools
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jiaarchive
from jiaarchive.errors import BadValue, CatalogInvalid, CodeNotApplicable, UnknownCode

# Structural patterns (not official numbers): a catalogue code is a volume letter, a dash,
# a number and an optional dash and sub-number; a sheet id is short lower-case ASCII.
CODE_RE = re.compile(r"^(?P<letter>[A-Z])-(?P<num>[1-9][0-9]*)(?:-(?P<sub>[1-9][0-9]*))?$")
SHEET_ID_RE = re.compile(r"^[a-z][a-z0-9-]{0,40}$")
MONTH_DAY_RE = re.compile(r"^(\d{2})-(\d{2})$")

KIND_ERROR = "error"
KIND_OFFICIAL = "official_text"

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
            replace(v, entries=tuple(sorted((e for e in entries.values() if e.volume == v.letter), key=_code_key)))
            for v in self.volumes
        )
        return replace(self, volumes=volumes)


def _s(value: Any) -> str:
    """A string read from TOML, or "" when the file holds another type (already reported)."""
    return value if isinstance(value, str) else ""


def _code_key(entry: Entry) -> tuple[int, int]:
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

    def met_by(self, actual: float) -> bool:
        """Whether ``actual`` satisfies this threshold (“…以上” counts the number itself)."""
        return {
            ">=": actual >= self.value,
            ">": actual > self.value,
            "<=": actual <= self.value,
            "<": actual < self.value,
            "==": actual == self.value,
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
    xiaojia_level: str = ""
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


# ---------------------------------------------------------------------------
# Check result


@dataclass(frozen=True)
class Problem:
    where: str
    message: str
    kind: str = KIND_ERROR


@dataclass(frozen=True)
class SheetSummary:
    id: str
    title: str
    unit_type: str | None
    level: str
    items: int
    points_sum: int
    stated_total: int
    doc_no: str = ""


@dataclass
class CheckResult:
    ok: bool
    sheets: list[SheetSummary]
    problems: list[Problem]
    path: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.kind == KIND_ERROR]

    @property
    def official_issues(self) -> list[Problem]:
        return [p for p in self.problems if p.kind == KIND_OFFICIAL]

    @property
    def exit_code(self) -> int:
        if self.errors:
            return 2
        return 1 if self.problems else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "path": self.path,
            "exit_code": self.exit_code,
            "sheets": [
                {
                    "id": s.id,
                    "title": s.title,
                    "unit_type": s.unit_type,
                    "level": s.level,
                    "doc_no": s.doc_no,
                    "items": s.items,
                    "points_sum": s.points_sum,
                    "stated_total": s.stated_total,
                }
                for s in self.sheets
            ],
            "problems": [{"where": p.where, "message": p.message, "kind": p.kind} for p in self.problems],
            "counts": {"error": len(self.errors), "official_text": len(self.official_issues)},
        }


def format_check(result: CheckResult) -> str:
    """Chinese text report of a check, for the CLI."""
    lines = [f"标准数据目录：{result.path}", "", "评分表："]
    for s in result.sheets:
        mark = "" if s.points_sum == s.stated_total else "  ← 不符"
        lines.append(f"  {s.id}  {s.title}：{s.items}项，各项合计{s.points_sum}分，表中合计{s.stated_total}分{mark}")
    lines.append("")
    if not result.problems:
        lines.append("检查通过：没有发现问题。")
        return "\n".join(lines)
    errs, offs = result.errors, result.official_issues
    if errs:
        lines.append(f"数据错误（{len(errs)}处，需要修改 catalog/ 中的文件）：")
        lines += [f"  ✗ {p.where}：{p.message}" for p in errs]
        lines.append("")
    if offs:
        lines.append(f"官方原文问题（{len(offs)}处，已按原文保留，未作更正）：")
        lines += [f"  ! {p.where}：{p.message}" for p in offs]
        lines.append("")
    if errs:
        lines.append(f"检查未通过：{len(errs)}处数据错误，{len(offs)}处官方原文问题。")
    else:
        lines.append(f"数据本身无错误；官方原文问题{len(offs)}处，见上。")
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# Locating and loading


def catalog_dir() -> Path:
    """The installed copy (jiaarchive/_catalog) if present, else the repo's catalog/."""
    pkg = Path(jiaarchive.__file__).resolve().parent
    installed = pkg / "_catalog"
    if installed.is_dir():
        return installed
    return pkg.parent / "catalog"


def load(path: Path | None = None) -> Standards:
    """Load and validate catalog/ (cached per path); raises CatalogInvalid on bad data."""
    return _load_cached(Path(path).resolve() if path is not None else catalog_dir().resolve())


@functools.lru_cache(maxsize=16)
def _load_cached(path: Path) -> Standards:
    builder = _Builder(path)
    standards = builder.build()
    errors = [p for p in builder.problems if p.kind == KIND_ERROR]
    if errors or standards is None:
        first = errors[0] if errors else Problem(str(path), "无法读取标准数据")
        more = f"（另有{len(errors) - 1}处问题，运行“jiaarchive catalog check”查看全部）" if len(errors) > 1 else ""
        raise CatalogInvalid(f"标准数据有误：{first.where}：{first.message}{more}")
    return standards


def clear_cache() -> None:
    """Forget loaded catalogs (after editing the files in the same process)."""
    _load_cached.cache_clear()


def check(path: Path | None = None) -> CheckResult:
    """Validate catalog/ and report every problem; never raises for bad data."""
    root = Path(path).resolve() if path is not None else catalog_dir().resolve()
    builder = _Builder(root)
    try:
        standards = builder.build()
    except Exception as exc:  # noqa: BLE001 - check must turn everything into a problem
        builder.error(str(root), f"检查时出现意外错误：{exc!r}")
        standards = None
    sheets = [
        SheetSummary(s.id, s.title, s.unit_type, s.level, len(s.items), s.points_sum, s.stated_total, s.doc_no)
        for s in (standards.scoresheets if standards else builder.sheets)
    ]
    ok = not any(p.kind == KIND_ERROR for p in builder.problems)
    return CheckResult(ok=ok, sheets=sheets, problems=list(builder.problems), path=str(root))


# ---------------------------------------------------------------------------
# The builder: reads raw TOML, records problems, builds dataclasses

_FILE_KINDS = ("catalogue", "scoresheet", "document", "units", "retention")
_COMMON_KEYS = {"kind", "doc_no", "title", "issuer", "date", "official", "note", "source_note", "official_issues"}
_KIND_KEYS = {
    "catalogue": {"catalogue_title", "volumes", "notes"},
    "scoresheet": {"sheet", "items"},
    "document": {
        "grades", "inspection_steps", "thresholds", "vetoes", "materials", "forms", "windows", "standards",
    },
    "units": {"unit_types", "levels", "xiaojia_level", "sheet_for"},
    "retention": {"periods", "default_period", "defaults"},
}


class _Builder:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.sheets: list[Scoresheet] = []

    # -- problem recording ----------------------------------------------------

    def error(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message, KIND_ERROR))

    def official(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message, KIND_OFFICIAL))

    # -- typed getters ----------------------------------------------------------

    def _get(self, table: Mapping[str, Any], key: str, typ: type | tuple[type, ...], where: str,
             required: bool = True, default: Any = None) -> Any:
        if key not in table:
            if required:
                self.error(where, f"缺少“{key}”")
            return default
        value = table[key]
        if typ is int and isinstance(value, bool):
            self.error(where, f"“{key}”应为整数，现为{value!r}")
            return default
        if not isinstance(value, typ):
            self.error(where, f"“{key}”的类型不对（现为{value!r}）")
            return default
        return value

    def _str(self, table: Mapping[str, Any], key: str, where: str, required: bool = True) -> str:
        value = self._get(table, key, str, where, required, "")
        if required and isinstance(value, str) and key in table and not value.strip():
            self.error(where, f"“{key}”不能为空")
        return value or ""

    def _strs(self, table: Mapping[str, Any], key: str, where: str, required: bool = False) -> tuple[str, ...]:
        value = self._get(table, key, list, where, required, [])
        out = []
        for v in value or []:
            if not isinstance(v, str) or not v.strip():
                self.error(where, f"“{key}”中有空的或不是文字的值：{v!r}")
            else:
                out.append(v)
        return tuple(out)

    def _tables(self, table: Mapping[str, Any], key: str, where: str, required: bool = False) -> list[dict]:
        value = self._get(table, key, list, where, required, [])
        out = []
        for i, v in enumerate(value or [], 1):
            if isinstance(v, dict):
                out.append(v)
            else:
                self.error(where, f"“{key}”的第{i}项应为表（[[{key}]]）")
        return out

    def _unknown_keys(self, table: Mapping[str, Any], allowed: set[str], where: str) -> None:
        for k in table:
            if k not in allowed:
                self.error(where, f"未知的字段“{k}”（可能是拼写错误）")

    # -- reading ----------------------------------------------------------------

    def _read_files(self) -> list[tuple[str, dict]]:
        if not self.root.is_dir():
            self.error(str(self.root), "标准数据目录不存在")
            return []
        out = []
        for f in sorted(self.root.glob("*.toml")):
            try:
                data = tomllib.loads(f.read_text(encoding="utf-8"))
            except UnicodeDecodeError:
                self.error(f.name, "文件不是 UTF-8 编码，无法读取")
                continue
            except tomllib.TOMLDecodeError as exc:
                self.error(f.name, f"TOML 格式错误：{exc}")
                continue
            out.append((f.name, data))
        if not out:
            self.error(str(self.root), "目录中没有 .toml 标准数据文件")
        return out

    def build(self) -> Standards | None:
        files = self._read_files()
        by_kind: dict[str, list[tuple[str, dict]]] = {k: [] for k in _FILE_KINDS}
        documents: list[Document] = []
        for name, data in files:
            if "kind" not in data:
                continue  # not standards data (e.g. the search synonyms table shares this folder)
            kind = data.get("kind")
            if kind not in _FILE_KINDS:
                self.error(name, f"“kind”应为 {'、'.join(_FILE_KINDS)} 之一，现为{kind!r}")
                continue
            self._unknown_keys(data, _COMMON_KEYS | _KIND_KEYS[kind], name)
            official = self._get(data, "official", bool, name, False, kind not in ("units", "retention"))
            if official:
                doc_no = self._str(data, "doc_no", name)
                title = self._str(data, "title", name)
                date = self._get(data, "date", _dt.date, name, False)
                issuer = self._get(data, "issuer", str, name, False, "")
                documents.append(Document(doc_no, title, name, issuer or "", date, True))
            for i, issue in enumerate(self._tables(data, "official_issues", name), 1):
                text = self._str(issue, "message", f"{name} official_issues 第{i}条")
                if text:
                    self.official(f"{name} {issue.get('where', '')}".strip(), text)
            by_kind[kind].append((name, data))

        for kind in ("catalogue", "units", "retention"):
            if len(by_kind[kind]) != 1:
                names = "、".join(n for n, _ in by_kind[kind]) or "无"
                self.error(str(self.root), f"应有且只有一个 kind = \"{kind}\" 的文件，现有：{names}")

        units = self._units(*by_kind["units"][0]) if by_kind["units"] else None
        unit_types, levels, xiaojia_level = units[:3] if units else ((), (), "")
        retention = self._retention(*by_kind["retention"][0]) if by_kind["retention"] else None
        catalogue = (
            self._catalogue(*by_kind["catalogue"][0], unit_types, levels, xiaojia_level, retention)
            if by_kind["catalogue"]
            else None
        )
        sheets = [s for s in (self._scoresheet(n, d, unit_types, levels) for n, d in by_kind["scoresheet"]) if s]
        self.sheets = sheets
        seen: dict[str, str] = {}
        for s in sheets:
            if s.id in seen:
                self.error(s.file, f"评分表编号“{s.id}”与 {seen[s.id]} 重复")
            seen[s.id] = s.file

        parts: dict[str, list] = {k: [] for k in _KIND_KEYS["document"]}
        for name, data in by_kind["document"]:
            self._document(name, data, parts, unit_types, levels)
        grades = tuple(sorted(parts["grades"], key=lambda g: g.order))
        self._cross_checks(grades, parts, sheets, unit_types, levels, documents)

        mappings: tuple[SheetMapping, ...] = ()
        if units:
            mappings = units[3]
            for m in mappings:
                if m.sheet and m.sheet not in seen:
                    self.error("units.toml sheet_for", f"{m.unit_type}{m.level}引用的评分表“{m.sheet}”不存在")
        if catalogue is None or units is None or retention is None:
            return None
        return Standards(
            catalogue=catalogue,
            unit_types=unit_types,
            levels=levels,
            retention_periods=retention[0],
            scoresheets=tuple(sheets),
            sheet_mappings=mappings,
            grades=grades,
            standards=tuple(parts["standards"]),
            thresholds=tuple(parts["thresholds"]),
            vetoes=tuple(parts["vetoes"]),
            materials=tuple(parts["materials"]),
            forms=tuple(parts["forms"]),
            windows=tuple(parts["windows"]),
            inspection_steps=tuple(parts["inspection_steps"]),
            documents=tuple(documents),
            xiaojia_level=xiaojia_level,
            path=self.root,
        )

    # -- units.toml -------------------------------------------------------------

    def _units(self, name: str, data: dict):
        unit_types = self._strs(data, "unit_types", name, True)
        levels = self._strs(data, "levels", name, True)
        for label, values in (("unit_types", unit_types), ("levels", levels)):
            for dup in {v for v in values if values.count(v) > 1}:
                self.error(name, f"“{label}”中“{dup}”重复")
        xiaojia_level = self._str(data, "xiaojia_level", name)
        if xiaojia_level and xiaojia_level not in levels:
            self.error(name, f"“xiaojia_level”的值“{xiaojia_level}”不在 levels 中")
        mappings = []
        covered: dict[tuple[str, str], int] = {}
        for i, row in enumerate(self._tables(data, "sheet_for", name, True), 1):
            where = f"{name} sheet_for 第{i}条"
            self._unknown_keys(row, {"unit_type", "level", "sheet", "note"}, where)
            u, lv = self._str(row, "unit_type", where), self._str(row, "level", where)
            sheet = self._get(row, "sheet", str, where, False, None)
            note = self._get(row, "note", str, where, False, "")
            if u and u not in unit_types:
                self.error(where, f"单位类型“{u}”不在 unit_types 中")
            if lv and lv not in levels:
                self.error(where, f"层级“{lv}”不在 levels 中")
            if sheet is None and not note:
                self.error(where, f"{u}{lv}没有评分表时必须用“note”说明原因")
            covered[(u, lv)] = covered.get((u, lv), 0) + 1
            mappings.append(SheetMapping(u, lv, sheet or None, note or ""))
        for u in unit_types:
            for lv in levels:
                n = covered.get((u, lv), 0)
                if n == 0:
                    self.error(f"{name} sheet_for", f"没有说明{u}{lv}使用哪张评分表（没有时请写 note）")
                elif n > 1:
                    self.error(f"{name} sheet_for", f"{u}{lv}出现了{n}次")
        return unit_types, levels, xiaojia_level, tuple(mappings)

    # -- retention.toml -----------------------------------------------------------

    def _retention(self, name: str, data: dict):
        periods = []
        for i, row in enumerate(self._tables(data, "periods", name, True), 1):
            where = f"{name} periods 第{i}条"
            self._unknown_keys(row, {"name", "code", "note"}, where)
            periods.append(RetentionPeriod(self._str(row, "name", where), self._str(row, "code", where),
                                           self._get(row, "note", str, where, False, "") or ""))
        for attr, label in (("name", "名称"), ("code", "代码")):
            values = [getattr(p, attr) for p in periods]
            for dup in {v for v in values if values.count(v) > 1}:
                self.error(name, f"保管期限{label}“{dup}”重复")
        names = {p.name for p in periods}
        default = self._str(data, "default_period", name)
        if default and default not in names:
            self.error(name, f"default_period“{default}”不是已定义的保管期限")
        per_code: dict[str, tuple[str, str]] = {}
        for i, row in enumerate(self._tables(data, "defaults", name), 1):
            where = f"{name} defaults 第{i}条"
            self._unknown_keys(row, {"code", "period", "reason"}, where)
            code, period = self._str(row, "code", where), self._str(row, "period", where)
            reason = self._str(row, "reason", where)
            if period and period not in names:
                self.error(where, f"{code}的保管期限“{period}”未定义（可用：{'、'.join(sorted(names))}）")
            if code in per_code:
                self.error(where, f"目录编号“{code}”的保管期限重复设置")
            per_code[code] = (period, reason)
        return tuple(periods), default, per_code, name

    # -- the catalogue ----------------------------------------------------------

    def _catalogue(self, name, data, unit_types, levels, xiaojia_level, retention) -> Catalogue | None:
        per_code = retention[2] if retention else {}
        default_period = retention[1] if retention else ""
        volumes: list[Volume] = []
        codes: dict[str, str] = {}
        letters: set[str] = set()
        for vi, vt in enumerate(self._tables(data, "volumes", name, True), 1):
            vwhere = f"{name} 第{vi}卷"
            self._unknown_keys(vt, {"letter", "title", "printed", "entries", "note"}, vwhere)
            letter, vtitle = self._str(vt, "letter", vwhere), self._str(vt, "title", vwhere)
            if letter and not re.fullmatch(r"[A-Z]", letter):
                self.error(vwhere, f"卷字母“{letter}”应为一个大写字母")
            if letter in letters:
                self.error(vwhere, f"卷字母“{letter}”重复")
            letters.add(letter)
            entries = []
            for ei, et in enumerate(self._tables(vt, "entries", vwhere, True), 1):
                where = f"{name} {letter}卷第{ei}条"
                self._unknown_keys(et, {"code", "title", "not_for", "xiaojia", "basis", "note", "printed"}, where)
                code = self._str(et, "code", where)
                if code:
                    where = f"{name} 条目 {code}"
                title = self._str(et, "title", where)
                m = CODE_RE.match(code)
                if code and not m:
                    self.error(where, f"编号“{code}”格式不对，应为卷字母-序号（如 A-1）或卷字母-序号-子序号（如 B-1-1）")
                elif m and m["letter"] != letter:
                    self.error(where, f"编号“{code}”的卷字母与所在的“{letter}”卷不符")
                if code in codes:
                    self.error(where, f"编号“{code}”重复（{codes[code]}）")
                codes.setdefault(code, title)
                not_for = self._strs(et, "not_for", where)
                for u in not_for:
                    if unit_types and u not in unit_types:
                        self.error(where, f"not_for 中的单位类型“{u}”不在 units.toml 的 unit_types 中")
                xiaojia = self._get(et, "xiaojia", bool, where, False, True)
                basis = self._get(et, "basis", str, where, False, "") or ""
                if (not_for or not xiaojia) and not basis.strip():
                    self.error(where, "设置了不适用范围（not_for 或 xiaojia = false），必须用“basis”说明依据")
                parent = f"{m['letter']}-{m['num']}" if m and m["sub"] else None
                period, reason = per_code.get(code, (default_period, ""))
                if parent and code not in per_code:
                    period = per_code.get(parent, (default_period, ""))[0]
                if retention and code not in per_code and not parent:
                    self.error(f"{retention[3]} defaults", f"目录条目“{code} {title}”没有设置默认保管期限")
                entries.append(Entry(code, title, letter, parent, not_for, bool(xiaojia), basis, period,
                                     _s(et.get("note")), reason))
            for e in entries:
                if e.parent and e.parent not in codes:
                    self.error(f"{name} 条目 {e.code}", f"子目录“{e.code}”的上级条目“{e.parent}”不存在")
            volumes.append(Volume(letter, vtitle, tuple(sorted(entries, key=_code_key) if all(
                CODE_RE.match(e.code) for e in entries) else entries)))
        for code in per_code:
            if code not in codes:
                self.error(f"{retention[3]} defaults", f"保管期限设置引用了不存在的目录编号“{code}”")
        notes = []
        rules = []
        for i, nt in enumerate(self._tables(data, "notes", name, True), 1):
            where = f"{name} 注{i}"
            self._unknown_keys(nt, {"no", "text", "rule", "explain"}, where)
            no = self._get(nt, "no", int, where, True, i)
            text, rule = self._str(nt, "text", where), self._str(nt, "rule", where)
            if rule and rule not in NOTE_RULES:
                self.error(where, f"规则“{rule}”未知，可用：{'、'.join(NOTE_RULES)}")
            notes.append(text)
            rules.append(CatalogueNote(no, text, rule))
        if not volumes:
            return None
        return Catalogue(
            doc_no=_s(data.get("doc_no")),
            title=self._str(data, "catalogue_title", name) or _s(data.get("title")),
            volumes=tuple(volumes),
            notes=tuple(notes),
            note_rules=tuple(rules),
            doc_title=_s(data.get("title")),
            unit_types=unit_types,
            levels=levels,
            xiaojia_level=xiaojia_level,
            default_retention=default_period,
        )

    # -- scoresheets --------------------------------------------------------------

    def _scoresheet(self, name, data, unit_types, levels) -> Scoresheet | None:
        sheet = self._get(data, "sheet", dict, name, True, None)
        if sheet is None:
            return None
        where = f"{name} [sheet]"
        self._unknown_keys(sheet, {"id", "title", "attachment", "grade", "unit_type", "level", "stated_total",
                                   "total_printed", "columns", "note", "known_sum_mismatch"}, where)
        sid = self._str(sheet, "id", where)
        if sid and not SHEET_ID_RE.match(sid):
            self.error(where, f"评分表编号“{sid}”应为小写英文字母、数字和连字符")
        title = self._str(sheet, "title", where)
        unit_type = self._get(sheet, "unit_type", str, where, False, None)
        level = self._str(sheet, "level", where)
        if unit_type is not None and unit_types and unit_type not in unit_types:
            self.error(where, f"单位类型“{unit_type}”不在 units.toml 的 unit_types 中")
        if level and levels and level not in levels:
            self.error(where, f"层级“{level}”不在 units.toml 的 levels 中")
        stated = self._get(sheet, "stated_total", int, where, True, 0)
        items = []
        nos = []
        for i, it in enumerate(self._tables(data, "items", name, True), 1):
            iw = f"{name} 第{i}条 [[items]]"
            self._unknown_keys(it, {"no", "group", "subgroup", "text", "points", "note", "official_issue"}, iw)
            no = self._get(it, "no", int, iw, True, 0)
            if no:
                iw = f"{name} 第{no}项"
            group, sub, text = self._str(it, "group", iw), self._str(it, "subgroup", iw), self._str(it, "text", iw)
            points = self._get(it, "points", int, iw, True, 0)
            if points is not None and points <= 0 and "points" in it:
                self.error(iw, f"单项分应为正整数，现为{points}")
            issue = self._get(it, "official_issue", str, iw, False, "") or ""
            if issue:
                self.official(f"{name} 第{no}项", issue)
            nos.append(no)
            items.append(ScoreItem(no or 0, group, sub, text, points or 0,
                                   self._get(it, "note", str, iw, False, "") or "", issue))
        for dup in sorted({n for n in nos if nos.count(n) > 1}):
            self.error(name, f"评分表第{dup}项重复")
        if sorted(set(nos)) != list(range(1, len(set(nos)) + 1)):
            self.error(name, f"评分表项号应从1起连续编号，现为：{'、'.join(str(n) for n in nos)}")
        total = sum(it.points for it in items)
        declared = sheet.get("known_sum_mismatch")
        label = f"{unit_type or '职工' + level}评分表"
        if total != stated:
            msg = f"{label}各项分值合计{total}分，与表中“合计{stated}”不符"
            if declared == total:
                self.official(f"{name} 合计", msg + "（官方原文如此，未作更正）")
            else:
                self.error(f"{name} 合计", msg + "（请核对各项分值）")
        elif declared is not None:
            self.error(f"{name} [sheet]", f"known_sum_mismatch = {declared!r}，但各项分值合计{total}分已与合计相符，请删除此设置")
        return Scoresheet(
            id=sid, title=title, unit_type=unit_type, level=level, doc_no=_s(data.get("doc_no", "")),
            stated_total=stated or 0, items=tuple(sorted(items, key=lambda x: x.no)),
            grade=_s(sheet.get("grade", "")), attachment=_s(sheet.get("attachment", "")),
            columns=self._strs(sheet, "columns", where), note=_s(sheet.get("note")), file=name,
        )

    # -- documents ----------------------------------------------------------------

    def _document(self, name: str, data: dict, parts: dict[str, list], unit_types, levels) -> None:
        doc_no = _s(data.get("doc_no", ""))

        def check_scope(row: dict, where: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
            us, ls = self._strs(row, "unit_types", where), self._strs(row, "levels", where)
            for u in us:
                if unit_types and u not in unit_types:
                    self.error(where, f"单位类型“{u}”不在 units.toml 的 unit_types 中")
            for lv in ls:
                if levels and lv not in levels:
                    self.error(where, f"层级“{lv}”不在 units.toml 的 levels 中")
            return us, ls

        for i, row in enumerate(self._tables(data, "grades", name), 1):
            w = f"{name} grades 第{i}条"
            self._unknown_keys(row, {"name", "order", "note", "printed"}, w)
            parts["grades"].append(Grade(self._str(row, "name", w), self._get(row, "order", int, w, True, 0) or 0,
                                         doc_no, _s(row.get("note", "")), _s(row.get("printed", ""))))
        for i, row in enumerate(self._tables(data, "inspection_steps", name), 1):
            w = f"{name} inspection_steps 第{i}条"
            self._unknown_keys(row, {"step", "meaning", "grade"}, w)
            parts["inspection_steps"].append(InspectionStep(self._str(row, "step", w), self._str(row, "meaning", w),
                                                            self._str(row, "grade", w), doc_no))
        for i, row in enumerate(self._tables(data, "thresholds", name), 1):
            w = f"{name} thresholds 第{i}条"
            self._unknown_keys(row, {"id", "kind", "name", "value", "unit", "comparison", "grade", "unit_types",
                                     "levels", "printed", "source", "note"}, w)
            tid = self._str(row, "id", w)
            w = f"{name} 门槛 {tid}" if tid else w
            value = self._get(row, "value", (int, float), w, True, 0)
            unit = self._str(row, "unit", w)
            comparison = self._str(row, "comparison", w)
            if comparison and comparison not in (">=", ">", "<=", "<", "=="):
                self.error(w, f"比较方式“{comparison}”应为 >=、>、<=、<、== 之一")
            if unit == "%" and isinstance(value, (int, float)) and not 0 <= value <= 100:
                self.error(w, f"百分比{value}不在0到100之间")
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
                self.error(w, f"数值{value}不能为负")
            printed = _s(row.get("printed", ""))
            if isinstance(value, (int, float)) and isinstance(printed, str) and printed and re.search(r"\d", printed):
                if not re.search(rf"(?<![\d.]){re.escape(f'{value:g}')}(?![\d.])", printed):
                    self.error(w, f"数值{value:g}在原文“{printed}”中找不到，请核对")
            us, ls = check_scope(row, w)
            parts["thresholds"].append(Threshold(
                tid, self._str(row, "kind", w), self._str(row, "name", w), value or 0, unit,
                comparison or ">=", self._str(row, "grade", w), us, ls, self._str(row, "printed", w),
                self._str(row, "source", w), doc_no, _s(row.get("note", ""))))
        for i, row in enumerate(self._tables(data, "vetoes", name), 1):
            w = f"{name} vetoes 第{i}条"
            self._unknown_keys(row, {"grade", "no", "text", "source", "note"}, w)
            parts["vetoes"].append(VetoRule(self._str(row, "grade", w), self._get(row, "no", int, w, True, 0) or 0,
                                            self._str(row, "text", w), doc_no, self._str(row, "source", w),
                                            _s(row.get("note", ""))))
        for i, row in enumerate(self._tables(data, "materials", name), 1):
            w = f"{name} materials 第{i}条"
            self._unknown_keys(row, {"grade", "key", "no", "name", "printed", "parts", "source", "note"}, w)
            parts["materials"].append(Material(
                self._str(row, "grade", w), self._str(row, "key", w), self._get(row, "no", int, w, True, 0) or 0,
                self._str(row, "name", w), self._str(row, "printed", w), self._strs(row, "parts", w),
                doc_no, self._str(row, "source", w), _s(row.get("note", ""))))
        for i, row in enumerate(self._tables(data, "forms", name), 1):
            w = f"{name} forms 第{i}条"
            self._unknown_keys(row, {"id", "title", "attachment", "grade", "level", "fields", "source_incomplete",
                                     "note"}, w)
            fields = []
            for j, fr in enumerate(self._tables(row, "fields", w, True), 1):
                fw = f"{w} 第{j}个字段"
                self._unknown_keys(fr, {"label", "printed", "kind", "max_chars", "seal", "section"}, fw)
                kind = self._str(fr, "kind", fw)
                if kind and kind not in ("text", "number", "date", "phone", "longtext", "opinion"):
                    self.error(fw, f"字段类型“{kind}”未知")
                fields.append(FormField(self._str(fr, "label", fw), _s(fr.get("printed", fr.get("label", ""))), kind,
                                        self._get(fr, "max_chars", int, fw, False, None),
                                        bool(self._get(fr, "seal", bool, fw, False, False)),
                                        _s(fr.get("section", ""))))
            labels = [(f.section, f.label) for f in fields]
            for sec, lab in {x for x in labels if labels.count(x) > 1}:
                self.error(w, f"“{sec}”部分的字段“{lab}”重复")
            incomplete = self._get(row, "source_incomplete", bool, w, False, False)
            if incomplete:
                self.official(f"{name} {row.get('attachment', '')} {row.get('title', '')}".strip(),
                              "官方文本中该表不完整，缺少的栏目未补写（详见该表的 note）")
            level = self._str(row, "level", w)
            if level and levels and level not in levels:
                self.error(w, f"层级“{level}”不在 units.toml 的 levels 中")
            parts["forms"].append(RegistrationForm(
                self._str(row, "id", w), self._str(row, "title", w), _s(row.get("attachment", "")),
                self._str(row, "grade", w), level, tuple(fields), doc_no,
                bool(incomplete), _s(row.get("note", ""))))
        for i, row in enumerate(self._tables(data, "windows", name), 1):
            w = f"{name} windows 第{i}条"
            self._unknown_keys(row, {"id", "name", "grade", "start", "end", "every_year", "printed", "source",
                                     "note"}, w)
            wid = self._str(row, "id", w)
            w = f"{name} 时间 {wid}" if wid else w
            every = bool(self._get(row, "every_year", bool, w, False, False))
            start = end = None
            smd = emd = None
            if every:
                smd = self._month_day(row, "start", w, False)
                emd = self._month_day(row, "end", w, True)
                if smd and emd and smd > emd:
                    self.error(w, f"开始日期{row['start']}晚于结束日期{row['end']}")
            else:
                start = self._get(row, "start", _dt.date, w, False, None)
                end = self._get(row, "end", _dt.date, w, True, None)
                if start and end and start > end:
                    self.error(w, f"开始日期{start}晚于结束日期{end}")
            parts["windows"].append(Window(wid, self._str(row, "name", w), self._str(row, "grade", w, False),
                                           self._str(row, "printed", w), doc_no, start, end, every, smd, emd,
                                           self._str(row, "source", w), _s(row.get("note", ""))))
        for i, row in enumerate(self._tables(data, "standards", name), 1):
            w = f"{name} standards 第{i}条"
            self._unknown_keys(row, {"grade", "title", "unit_types", "levels", "items", "source", "note"}, w)
            us, ls = check_scope(row, w)
            items = []
            for j, it in enumerate(self._tables(row, "items", w, True), 1):
                iw = f"{w} 第{j}项"
                self._unknown_keys(it, {"project", "text", "note", "official_issue"}, iw)
                issue = self._get(it, "official_issue", str, iw, False, "") or ""
                if issue:
                    self.official(f"{name} {row.get('title', '')} {it.get('project', '')}", issue)
                items.append(StandardItem(self._str(it, "project", iw), self._str(it, "text", iw),
                                          _s(it.get("note", "")), issue))
            parts["standards"].append(Standard(self._str(row, "grade", w), self._str(row, "title", w), us, ls,
                                               tuple(items), doc_no, self._str(row, "source", w), _s(row.get("note", ""))))

    def _month_day(self, row: dict, key: str, where: str, required: bool) -> tuple[int, int] | None:
        value = self._get(row, key, str, where, required, None)
        if value is None:
            return None
        m = MONTH_DAY_RE.match(value)
        if not m:
            self.error(where, f"“{key}”应为“月-日”（如 01-01），现为{value!r}")
            return None
        try:
            _dt.date(2000, int(m[1]), int(m[2]))
        except ValueError:
            self.error(where, f"“{key}”不是有效日期：{value}")
            return None
        return int(m[1]), int(m[2])

    # -- cross-file checks --------------------------------------------------------

    def _cross_checks(self, grades, parts, sheets, unit_types, levels, documents) -> None:
        names = [g.name for g in grades]
        for dup in {n for n in names if names.count(n) > 1}:
            self.error("grades", f"创建层级“{dup}”重复定义")
        orders = [g.order for g in grades]
        for dup in {n for n in orders if orders.count(n) > 1}:
            self.error("grades", f"创建层级的顺序号{dup}重复")
        gset = set(names)
        if not gset:
            self.error(str(self.root), "没有定义创建层级（grades）")

        def ref(where: str, grade: str) -> None:
            if grade and gset and grade not in gset:
                self.error(where, f"引用的创建层级“{grade}”未定义（可用：{'、'.join(names)}）")

        for t in parts["thresholds"]:
            ref(f"门槛 {t.id}", t.grade)
        for v in parts["vetoes"]:
            ref(f"否决条件 {v.grade}第{v.no}条", v.grade)
        for m in parts["materials"]:
            ref(f"申报材料 {m.name}", m.grade)
        for w in parts["windows"]:
            ref(f"时间 {w.id}", w.grade)
        for s in parts["standards"]:
            ref(f"标准 {s.title}", s.grade)
        for f in parts["forms"]:
            ref(f"登记表 {f.title}", f.grade)
        for s in sheets:
            ref(f"评分表 {s.id}", s.grade)

        ids = [t.id for t in parts["thresholds"]]
        for dup in {i for i in ids if ids.count(i) > 1}:
            self.error("thresholds", f"门槛编号“{dup}”重复")
        wids = [w.id for w in parts["windows"]]
        for dup in {i for i in wids if wids.count(i) > 1}:
            self.error("windows", f"时间编号“{dup}”重复")
        fids = [f.id for f in parts["forms"]]
        for dup in {i for i in fids if fids.count(i) > 1}:
            self.error("forms", f"登记表编号“{dup}”重复")
        for grade in gset:
            vnos = [v.no for v in parts["vetoes"] if v.grade == grade]
            if vnos and sorted(vnos) != list(range(1, len(vnos) + 1)):
                self.error(f"否决条件 {grade}", f"条目应从1起连续编号，现为：{'、'.join(map(str, vnos))}")
        # Every-year windows and inspection steps restated by several documents must agree too.
        annual: dict[str, list[Window]] = {}
        for w in parts["windows"]:
            if w.every_year:
                annual.setdefault(w.grade, []).append(w)
        for grade, ws in annual.items():
            if len({w.doc_no for w in ws}) > 1 and len({(w.start_md, w.end_md) for w in ws}) > 1:
                detail = "；".join(f"{w.doc_no}：{w.printed}" for w in ws)
                self.official(f"时间 {grade}", f"不同文件规定的每年申报时间不一致：{detail}")
        steps: dict[tuple[str, str], list[InspectionStep]] = {}
        for st in parts["inspection_steps"]:
            steps.setdefault((st.grade, st.step), []).append(st)
        for (grade, step), sts in steps.items():
            if len({st.meaning for st in sts}) > 1:
                detail = "；".join(f"{st.doc_no}作“{step}（{st.meaning}）”" for st in sts)
                self.official(f"验收方式 {grade}", f"不同文件对“{step}”的表述不同：{detail}")

        # The same kind of threshold stated by two documents for the same scope must agree;
        # if the official texts disagree, that is reported, never resolved.
        groups: dict[tuple, list[Threshold]] = {}
        for t in parts["thresholds"]:
            groups.setdefault((t.kind, t.grade, t.unit_types, t.levels, t.unit, t.comparison), []).append(t)
        for (kind, grade, *_), ts in groups.items():
            docs_ = {t.doc_no for t in ts}
            values = {t.value for t in ts}
            if len(docs_) > 1 and len(values) > 1:
                detail = "；".join(f"{t.source}：{t.value:g}{t.unit}" for t in ts)
                self.official(f"门槛 {kind}", f"不同文件对同一门槛的规定不一致：{detail}")
