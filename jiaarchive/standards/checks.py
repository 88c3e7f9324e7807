"""Checking ``catalog/``: the problems found, their two kinds, and the checks across files.

Problems have a ``kind``:

* ``"error"``: the data is wrong (bad structure, duplicate code, broken reference, a sum
  that does not match and that the data does not declare as printed so).
* ``"official_text"``: the official text itself is inconsistent or damaged, and the data
  keeps it as printed (declared in the file under ``official_issues`` or ``official_issue``
  and, for sums, confirmed by recomputation).

``CheckResult.ok`` is true when there is no ``"error"``; ``CheckResult.exit_code`` is what
``jiaarchive catalog check`` exits with: 0 when the data has no error (official-text problems
are listed, they are not the data's fault), 1 when it has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .model import InspectionStep, Threshold, Window

KIND_ERROR = "error"
KIND_OFFICIAL = "official_text"


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
        return 1 if self.errors else 0

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


@dataclass
class ProblemLog:
    """Where a check writes what it finds."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message, KIND_ERROR))

    def official(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message, KIND_OFFICIAL))


def duplicates(values: list) -> list:
    """The values that occur more than once, in order."""
    return sorted({v for v in values if values.count(v) > 1}, key=values.index)


def cross_checks(log: ProblemLog, root: str, grades, parts, sheets) -> None:
    """Checks across files: references to grades, duplicate ids, documents that disagree."""
    names = [g.name for g in grades]
    for dup in duplicates(names):
        log.error("grades", f"创建层级“{dup}”重复定义")
    for dup in duplicates([g.order for g in grades]):
        log.error("grades", f"创建层级的顺序号{dup}重复")
    gset = set(names)
    if not gset:
        log.error(root, "没有定义创建层级（grades）")

    def ref(where: str, grade: str) -> None:
        if grade and gset and grade not in gset:
            log.error(where, f"引用的创建层级“{grade}”未定义（可用：{'、'.join(names)}）")

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
    order = {g.name: g.order for g in grades}
    for p in parts["prerequisites"]:
        ref(f"申报前提 {p.grade}", p.grade)
        ref(f"申报前提 {p.grade}", p.requires)
        if p.grade in order and p.requires in order and order[p.requires] >= order[p.grade]:
            log.error(f"申报前提 {p.grade}", f"前提层级“{p.requires}”应低于“{p.grade}”")
    for s in sheets:
        ref(f"评分表 {s.id}", s.grade)

    for part, label in (("thresholds", "门槛编号"), ("windows", "时间编号"), ("forms", "登记表编号")):
        for dup in duplicates([x.id for x in parts[part]]):
            log.error(part, f"{label}“{dup}”重复")
    for grade in gset:
        vnos = [v.no for v in parts["vetoes"] if v.grade == grade]
        if vnos and sorted(vnos) != list(range(1, len(vnos) + 1)):
            log.error(f"否决条件 {grade}", f"条目应从1起连续编号，现为：{'、'.join(map(str, vnos))}")
    # Every-year windows and inspection steps restated by several documents must agree too.
    annual: dict[str, list[Window]] = {}
    for w in parts["windows"]:
        if w.every_year:
            annual.setdefault(w.grade, []).append(w)
    for grade, ws in annual.items():
        if len({w.doc_no for w in ws}) > 1 and len({(w.start_md, w.end_md) for w in ws}) > 1:
            detail = "；".join(f"{w.doc_no}：{w.printed}" for w in ws)
            log.official(f"时间 {grade}", f"不同文件规定的每年申报时间不一致：{detail}")
    steps: dict[tuple[str, str], list[InspectionStep]] = {}
    for st in parts["inspection_steps"]:
        steps.setdefault((st.grade, st.step), []).append(st)
    for (grade, step), sts in steps.items():
        if len({st.meaning for st in sts}) > 1:
            detail = "；".join(f"{st.doc_no}作“{step}（{st.meaning}）”" for st in sts)
            log.official(f"验收方式 {grade}", f"不同文件对“{step}”的表述不同：{detail}")

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
            log.official(f"门槛 {kind}", f"不同文件对同一门槛的规定不一致：{detail}")
