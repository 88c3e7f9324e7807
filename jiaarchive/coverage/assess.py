"""Evidence × scoresheet items × years → statuses, vetoes, totals: the coverage and gap report.

``assess(archive, as_of=None)`` returns a frozen ``Report``; renderers (reports/coverage_*.py,
the CLI, the TUI dashboard) only lay it out.  Counting happens in SQL (records, files and photos
per catalogue code and year); only archive numbers and the few candidate records of the
application materials are loaded, never whole records.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import and_, case, func, or_, select

from ..archive import Archive
from ..db.models import ACTIVE, File, Record, RecordItem, RecordTag
from ..extract.sniff import IMAGE_KINDS
from ..standards import Material, Scoresheet, Threshold
from . import profile as profile_mod
from . import rules as rules_mod
from . import scores as scores_mod
from .rules import CoverageRules, ItemMapping, Link, YearlyRule

SUFFICIENT, WEAK, MISSING = "充分", "薄弱", "缺失"
PASS, VETO, UNKNOWN = "通过", "否决", "未知"
SUGGESTION_NOTE = "建议分由程序按证据多少推算，只是提示，不是评分；自查分请对照原文逐项评定。"


# ---------------------------------------------------------------- the report's parts


@dataclass(frozen=True)
class YearEvidence:
    year: int
    records: int
    files: int
    photos: int


@dataclass(frozen=True)
class RuleYear:
    year: int
    count: int
    ok: bool
    due: bool  # False: the current year before the grace date, not yet a gap


@dataclass(frozen=True)
class RuleCheck:
    id: str
    name: str
    printed: str
    source: str
    min: int
    max: int
    years: tuple[RuleYear, ...]
    records: tuple[str, ...]

    @property
    def met(self) -> bool:
        return all(y.ok for y in self.years if y.due)


@dataclass(frozen=True)
class ItemAssessment:
    """One scoresheet item (or 模范 standard item: ``points`` None) and its evidence."""

    no: int | str
    group: str
    subgroup: str
    text: str
    points: int | None
    status: str
    per_year: tuple[YearEvidence, ...]
    evidence: tuple[str, ...]  # archive numbers in the window, explicit links first
    explicit: tuple[str, ...]
    links: tuple[Link, ...]
    rules: tuple[RuleCheck, ...]
    suggested: float | None
    self_score: scores_mod.Score | None
    inspector_score: scores_mod.Score | None
    missing: tuple[str, ...]

    @property
    def evidence_count(self) -> int:
        return len(self.evidence)


@dataclass(frozen=True)
class VetoResult:
    no: int
    text: str
    verdict: str
    reason: str
    missing: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class ThresholdView:
    name: str
    value: float
    source: str
    met: bool | None


@dataclass(frozen=True)
class Totals:
    points_sum: int
    stated_total: int
    threshold: float | None
    threshold_source: str
    suggested: float
    self_total: float | None
    self_entered: int
    inspector_total: float | None
    inspector_entered: int
    items: int

    def passes(self, total: float | None) -> bool | None:
        if total is None or self.threshold is None:
            return None
        return total >= self.threshold


@dataclass(frozen=True)
class PartCheck:
    part: str
    found: str  # "标题" (as a heading), "正文" (only in the text), "" (absent)


@dataclass(frozen=True)
class MaterialCheck:
    key: str
    name: str
    printed: str
    source: str
    records: tuple[str, ...]
    parts: tuple[PartCheck, ...]
    missing: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class PhotoIssue:
    archive_no: str
    path: str
    problem: str


@dataclass(frozen=True)
class PhotoCheck:
    total: int
    ok: int
    issues: tuple[PhotoIssue, ...]
    issue_count: int


@dataclass(frozen=True)
class FormFieldCheck:
    label: str
    key: str
    value: str
    status: str  # 已填 / 未填 / 手填


@dataclass(frozen=True)
class FormCheck:
    id: str
    title: str
    fields: tuple[FormFieldCheck, ...]
    incomplete_note: str

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(f.label for f in self.fields if f.status == "未填")


@dataclass(frozen=True)
class Warning_:
    kind: str
    text: str


@dataclass(frozen=True)
class Deadline:
    name: str
    date: date | None
    days_left: int | None
    text: str


@dataclass(frozen=True)
class Report:
    unit: str
    unit_type: str
    level: str
    grade: str
    sheet_id: str | None
    sheet_title: str
    sheet_note: str
    as_of: date
    window: tuple[date, date]
    years: tuple[int, ...]
    due_years: tuple[int, ...]
    items: tuple[ItemAssessment, ...]
    standard_title: str
    standard_items: tuple[ItemAssessment, ...]
    totals: Totals
    vetoes: tuple[VetoResult, ...]
    veto_verdict: str
    membership: tuple[ThresholdView, ...]
    membership_rate: float | None
    membership_decided_by: str
    satisfaction_rate: float | None
    satisfaction_rule: str
    materials: tuple[MaterialCheck, ...]
    photos: PhotoCheck
    form: FormCheck | None
    warnings: tuple[Warning_, ...]
    deadlines: tuple[Deadline, ...]
    heatmap: tuple[tuple[str, str, tuple[int, ...]], ...]  # (volume letter, title, counts per year)
    status_rules: tuple[tuple[str, str], ...]
    suggestion_note: str = SUGGESTION_NOTE

    def status_counts(self) -> dict[str, int]:
        out = {SUFFICIENT: 0, WEAK: 0, MISSING: 0}
        for it in self.items or self.standard_items:
            out[it.status] += 1
        return out

    def to_json(self) -> dict[str, Any]:
        def item_json(it: ItemAssessment) -> dict[str, Any]:
            return {
                "no": it.no,
                "group": it.group,
                "subgroup": it.subgroup,
                "text": it.text,
                "points": it.points,
                "status": it.status,
                "evidence": list(it.evidence),
                "explicit": list(it.explicit),
                "per_year": [asdict(y) for y in it.per_year],
                "links": [{"code": lk.code, "reason": lk.reason} for lk in it.links],
                "rules": [
                    {"id": r.id, "name": r.name, "met": r.met, "years": [asdict(y) for y in r.years]} for r in it.rules
                ],
                "suggested_score": it.suggested,
                "self_score": it.self_score.score if it.self_score else None,
                "self_remark": it.self_score.remark if it.self_score else None,
                "inspector_score": it.inspector_score.score if it.inspector_score else None,
                "inspector_remark": it.inspector_score.remark if it.inspector_score else None,
                "missing": list(it.missing),
            }

        t = self.totals
        return {
            "unit": self.unit,
            "unit_type": self.unit_type,
            "level": self.level,
            "grade": self.grade,
            "sheet": {"id": self.sheet_id, "title": self.sheet_title, "note": self.sheet_note},
            "as_of": self.as_of.isoformat(),
            "window": [self.window[0].isoformat(), self.window[1].isoformat()],
            "years": list(self.years),
            "due_years": list(self.due_years),
            "status_rules": [{"status": s, "explain": e} for s, e in self.status_rules],
            "items": [item_json(it) for it in self.items],
            "standard": {"title": self.standard_title, "items": [item_json(it) for it in self.standard_items]},
            "totals": {
                "points_sum": t.points_sum,
                "stated_total": t.stated_total,
                "threshold": t.threshold,
                "threshold_source": t.threshold_source,
                "suggested": t.suggested,
                "suggested_note": self.suggestion_note,
                "self": t.self_total,
                "self_entered": t.self_entered,
                "inspector": t.inspector_total,
                "inspector_entered": t.inspector_entered,
                "items": t.items,
                "voided_by_veto": self.veto_verdict == VETO,
            },
            "veto_verdict": self.veto_verdict,
            "vetoes": [
                {"no": v.no, "text": v.text, "verdict": v.verdict, "reason": v.reason, "missing": list(v.missing)}
                for v in self.vetoes
            ],
            "membership": {
                "rate": self.membership_rate,
                "decided_by": self.membership_decided_by,
                "thresholds": [asdict(x) for x in self.membership],
            },
            "satisfaction": {"rate": self.satisfaction_rate, "rule": self.satisfaction_rule},
            "materials": [
                {"key": m.key, "name": m.name, "records": list(m.records), "parts": [asdict(p) for p in m.parts],
                 "missing": list(m.missing), "note": m.note, "source": m.source}
                for m in self.materials
            ],
            "photos": {"total": self.photos.total, "ok": self.photos.ok, "issue_count": self.photos.issue_count,
                       "issues": [asdict(i) for i in self.photos.issues]},
            "form": None if self.form is None else {
                "id": self.form.id, "title": self.form.title, "missing": list(self.form.missing),
                "fields": [asdict(f) for f in self.form.fields], "note": self.form.incomplete_note,
            },
            "warnings": [asdict(w) for w in self.warnings],
            "deadlines": [
                {"name": d.name, "date": d.date.isoformat() if d.date else None, "days_left": d.days_left, "text": d.text}
                for d in self.deadlines
            ],
            "heatmap": [{"volume": v, "title": t_, "counts": list(c)} for v, t_, c in self.heatmap],
        }


# ---------------------------------------------------------------- helpers


def _base_code(code: str) -> str:
    """B-1-1 counts for B-1: sub-entries (note 1 of the catalogue) prove what their parent proves."""
    return "-".join(code.split("-")[:2])


def _years_ago(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def _floor_step(x: float, step: float) -> float:
    return math.floor(x / step + 1e-9) * step if step > 0 else x


def _fmt(x: float) -> str:
    return f"{x:g}"


@dataclass
class _Counts:
    """SQL aggregates for one report."""

    by_code_year: dict[tuple[str, int], list[int]] = field(default_factory=dict)  # [records, files, photos]
    numbers_by_code: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # code -> [(year, archive_no)]
    explicit: dict[int, list[tuple[int, str, str, int, int]]] = field(default_factory=dict)  # item -> (year, no, code, files, photos)


def _aggregate(archive: Archive, years: tuple[int, int], sheet_id: str | None) -> _Counts:
    out = _Counts()
    lo, hi = years
    is_photo = case((File.kind.in_(sorted(IMAGE_KINDS)), 1), else_=0)
    with archive.session() as s:
        files_q = (
            select(File.record_id, func.count().label("n"), func.sum(is_photo).label("p"))
            .where(File.status == ACTIVE)
            .group_by(File.record_id)
            .subquery()
        )
        rows = s.execute(
            select(Record.code, Record.year, func.count(), func.coalesce(func.sum(files_q.c.n), 0),
                   func.coalesce(func.sum(files_q.c.p), 0))
            .outerjoin(files_q, files_q.c.record_id == Record.id)
            .where(Record.status == ACTIVE, Record.year.between(lo, hi))
            .group_by(Record.code, Record.year)
        )
        for code, year, n, nf, npho in rows:
            key = (_base_code(code), year)
            cur = out.by_code_year.setdefault(key, [0, 0, 0])
            cur[0] += n
            cur[1] += int(nf)
            cur[2] += int(npho)
        for code, year, no in s.execute(
            select(Record.code, Record.year, Record.archive_no)
            .where(Record.status == ACTIVE, Record.year.between(lo, hi))
            .order_by(Record.code, Record.year, Record.seq)
        ):
            out.numbers_by_code.setdefault(_base_code(code), []).append((year, no))
        if sheet_id:
            rows = s.execute(
                select(RecordItem.item_no, Record.year, Record.archive_no, Record.code,
                       func.coalesce(files_q.c.n, 0), func.coalesce(files_q.c.p, 0))
                .join(Record, Record.id == RecordItem.record_id)
                .outerjoin(files_q, files_q.c.record_id == Record.id)
                .where(RecordItem.sheet_id == sheet_id, Record.status == ACTIVE)
                .order_by(Record.year, Record.archive_no)
            )
            for item_no, year, no, code, nf, npho in rows:
                out.explicit.setdefault(item_no, []).append((year, no, _base_code(code), int(nf), int(npho)))
    return out


def _rule_hits(archive: Archive, rule: YearlyRule, years: tuple[int, int]) -> list[tuple[int, str, str, Any]]:
    """(year, archive_no, title, date) of the records that satisfy a yearly rule, found in SQL."""
    code_cond = or_(*[or_(Record.code == c, Record.code.like(f"{c}-%")) for c in rule.codes]) if rule.codes else True
    matches = [Record.title.contains(k) for k in rule.keywords]
    if rule.tags:
        matches.append(Record.tags.any(RecordTag.tag.in_(rule.tags)))
    if not matches:
        return []
    with archive.session() as s:
        return list(
            s.execute(
                select(Record.year, Record.archive_no, Record.title, Record.doc_date)
                .where(Record.status == ACTIVE, Record.year.between(*years), and_(code_cond, or_(*matches)))
                .order_by(Record.year, Record.archive_no)
            ).all()
        )


# ---------------------------------------------------------------- items


def _assess_item(
    *, no: int | str, group: str, subgroup: str, text: str, points: int | None, mapping: ItemMapping,
    applicable: set[str], counts: _Counts, years: tuple[int, ...], due: tuple[int, ...],
    rule_checks: tuple[RuleCheck, ...], cov: CoverageRules, explicit_key: int | None,
    self_score: scores_mod.Score | None, inspector_score: scores_mod.Score | None,
) -> ItemAssessment:
    links = tuple(lk for lk in mapping.links if lk.code in applicable)
    codes = {lk.code for lk in links}
    per: dict[int, list[int]] = {y: [0, 0, 0] for y in years}
    for c in codes:
        for y in years:
            got = counts.by_code_year.get((c, y))
            if got:
                for i in range(3):
                    per[y][i] += got[i]
    explicit_rows = counts.explicit.get(explicit_key, []) if explicit_key is not None else []
    explicit = []
    for year, number, code, nf, npho in explicit_rows:
        if year not in per:
            continue
        explicit.append(number)
        if code not in codes:  # not already counted through its catalogue entry
            per[year][0] += 1
            per[year][1] += nf
            per[year][2] += npho
    seen = set(explicit)
    evidence = list(explicit)
    for c in sorted(codes):
        for y, number in counts.numbers_by_code.get(c, ()):
            if number not in seen:
                seen.add(number)
                evidence.append(number)
    per_year = tuple(YearEvidence(y, *per[y]) for y in years)
    have = {y for y in years if per[y][0] > 0}
    conditions = {
        "any": bool(have),
        "all_years": all(y in have for y in due),
        "rules_met": all(r.met for r in rule_checks),
    }
    status = next(s.name for s in cov.statuses if all(conditions[c] for c in s.when))
    missing: list[str] = []
    where = "、".join(lk.code for lk in links) or "相应目录"
    for y in due:
        if y not in have:
            missing.append(f"{y} 年没有可证明此项的材料（可归入 {where}，或归档时关联本项）")
    if not links and not explicit:
        missing.append("本单位没有对应此项的目录条目，请在归档时直接关联本项")
    for r in rule_checks:
        for ry in r.years:
            if not ry.due or ry.ok:
                continue
            if ry.count < r.min:
                missing.append(f"{ry.year} 年无{r.name}记录" + (f"（要求每年至少 {r.min} 次）" if r.min > 1 else ""))
            elif r.max and ry.count > r.max:
                missing.append(f"{ry.year} 年{r.name}有 {ry.count} 次，多于每年 {r.max} 次的要求（如把同一次会议算成了几次，请核对题名）")
    suggested = None
    if points is not None:
        if status == SUFFICIENT:
            suggested = float(points)
        elif not have:
            suggested = 0.0
        else:
            parts = [len([y for y in due if y in have]) / len(due) if due else 1.0]
            for r in rule_checks:
                due_years = [ry for ry in r.years if ry.due]
                parts.append(len([ry for ry in due_years if ry.ok]) / len(due_years) if due_years else 1.0)
            suggested = _floor_step(points * sum(parts) / len(parts), cov.settings.suggest_step)
    return ItemAssessment(
        no=no, group=group, subgroup=subgroup, text=text, points=points, status=status, per_year=per_year,
        evidence=tuple(evidence), explicit=tuple(explicit), links=links, rules=rule_checks, suggested=suggested,
        self_score=self_score, inspector_score=inspector_score, missing=tuple(missing),
    )


def _rule_check(archive: Archive, rule: YearlyRule, years: tuple[int, ...], due: tuple[int, ...],
                cache: dict[str, RuleCheck]) -> RuleCheck:
    if rule.id in cache:
        return cache[rule.id]
    hits = _rule_hits(archive, rule, (years[0], years[-1]))
    sessions: dict[int, set[str]] = defaultdict(set)
    for y, number, title, when in hits:
        sessions[y].add(rule.session_key(title, when, number))
    per = {y: len(sessions[y]) for y in years}
    rys = tuple(
        RuleYear(y, per[y], per[y] >= rule.min and (not rule.max or per[y] <= rule.max), y in due) for y in years
    )
    rc = RuleCheck(rule.id, rule.name, rule.printed, rule.source, rule.min, rule.max, rys, tuple(h[1] for h in hits))
    cache[rule.id] = rc
    return rc


# ---------------------------------------------------------------- vetoes


def _threshold_views(ths: tuple[Threshold, ...], actual: float | None) -> tuple[ThresholdView, ...]:
    return tuple(
        ThresholdView(f"{t.name} {_fmt(t.value)}{t.unit}", t.value, t.source, None if actual is None else t.met_by(actual))
        for t in ths
    )


def _vetoes(archive: Archive, cov: CoverageRules, prof: profile_mod.Profile, grade: str, as_of: date,
            sheet: Scoresheet | None, rule_checks: dict[str, RuleCheck], counts: _Counts,
            ) -> tuple[tuple[VetoResult, ...], tuple[ThresholdView, ...], float | None, float | None, str]:
    std = archive.standards
    ut, lv = archive.unit_type, archive.level
    label = {f.key: f.label for f in profile_mod.FIELDS}
    results = []
    rate = prof.membership_rate()
    membership_ths = std.find_thresholds("membership_rate", grade, ut, lv)
    sheet_ths = tuple(t for t in membership_ths if sheet is not None and t.doc_no == sheet.doc_no)
    other_ths = tuple(t for t in membership_ths if t not in sheet_ths)
    decided = cov.settings.membership_decided_by
    deciding = (sheet_ths if decided == "sheet" else other_ths) or sheet_ths or other_ths
    views = _threshold_views(sheet_ths + other_ths, rate)
    s_, b_, d_ = (prof.get("ballots_satisfied"), prof.get("ballots_basically_satisfied"), prof.get("ballots_dissatisfied"))
    count_basic = cov.settings.count_basically_satisfied
    sat_rule = ("“基本满意”计入满意" if count_basic else "“基本满意”不计入满意") + "（本档案设置，原文未规定）"
    sat_rate = profile_mod.satisfaction_rate(s_, b_, d_, count_basically_satisfied=count_basic)

    def unknown(keys: list[str]) -> list[str]:
        return [k for k in keys if not prof.has(k)]

    for v in std.vetoes_for(grade):
        chk = cov.veto_check(grade, v.no)
        check = chk.check if chk else "other"
        opts = chk.options if chk else {}
        verdict, reason, missing = UNKNOWN, "", []
        if check == "organisation":
            bad = []
            for k in ("funds_committee", "women_committee"):
                if prof.get(k) is False:
                    bad.append(f"{label[k].replace('健全', '')}不健全")
            elected, term = prof.get("elected_on"), prof.get("term_years")
            due_on = None
            if elected and term:
                e = date.fromisoformat(elected)
                due_on = _years_ago(e, -term)
                if due_on < as_of:
                    bad.append(f"工会委员会 {elected} 选举，任期 {term} 年，应于 {due_on.isoformat()} 前换届，已逾期")
            missing = unknown(["elected_on", "term_years", "funds_committee", "women_committee"])
            if bad:
                verdict, reason = VETO, "；".join(bad)
            elif missing:
                reason = "缺少：" + "、".join(label[k] for k in missing)
            else:
                verdict, reason = PASS, f"组织机构健全；本届 {elected} 选举，任期 {term} 年，{due_on.isoformat()} 前换届"
            if not counts_has(counts, "F-1"):
                reason += "；检查窗口内 F-1 没有换届、组织机构资料"
        elif check == "labour_law":
            keys = ["labour_contracts", "social_insurance"]
            bad = [label[k] for k in keys if prof.get(k) is False]
            missing = unknown(keys)
            if bad:
                verdict, reason = VETO, "未做到：" + "、".join(bad)
            elif missing:
                reason = "缺少：" + "、".join(label[k] for k in missing)
            else:
                verdict, reason = PASS, "已填报依法签订劳动合同、参加社会保险"
        elif check == "democracy":
            keys = []
            if ut in opts.get("staff_congress_for", [ut]):
                keys.append("staff_congress")
            keys.append("open_affairs")
            if ut in opts.get("collective_contract_for", []):
                keys.append("collective_contract")
            bad = [label[k] for k in keys if prof.get(k) is False]
            missing = unknown(keys)
            if bad:
                verdict, reason = VETO, "未建立：" + "、".join(x.replace("已建立", "") for x in bad)
            elif missing:
                reason = "缺少：" + "、".join(label[k] for k in missing)
            else:
                verdict, reason = PASS, "已建立：" + "、".join(label[k].replace("已建立", "") for k in keys)
            if "collective_contract" not in keys:
                reason += f"；{ut}不要求集体合同（原文限于企业、民办非企业单位）"
            sc = rule_checks.get("staff_congress")
            if sc is not None and not sc.met:
                gaps = "、".join(str(y.year) for y in sc.years if y.due and not y.ok)
                reason += f"；注意：{gaps} 年没有（或不符合次数要求的）职（教）代会记录"
        elif check == "satisfaction":
            ths = std.find_thresholds("member_satisfaction", grade, ut, lv)
            need = ths[0].value if ths else None
            missing = [k for k in ("ballots_satisfied", "ballots_basically_satisfied", "ballots_dissatisfied") if prof.get(k) is None]
            if missing or sat_rate is None:
                reason = "缺少会员评家测评原始票数：" + "、".join(label[k] for k in missing or ["ballots_satisfied"])
            elif need is None:
                reason = "标准数据中没有满意度门槛"
            else:
                total = s_ + b_ + d_
                shown = f"满意 {s_}、基本满意 {b_}、不满意 {d_}，共 {total} 票，满意度 {sat_rate:.1f}%（{sat_rule}），要求 {_fmt(need)}%"
                verdict = PASS if sat_rate >= need else VETO
                reason = shown
            mr = rule_checks.get("member_review")
            if mr is not None and not mr.met:
                gaps = "、".join(str(y.year) for y in mr.years if y.due and not y.ok)
                reason += f"；注意：{gaps} 年没有会员评家记录（原文要求每年至少评议一次）"
        elif check == "membership":
            missing = unknown(["employees", "members"])
            if not deciding:
                reason = f"标准没有规定{ut}{lv}申报{grade}的入会率门槛，请按上级工会要求说明"
            elif rate is None:
                reason = "缺少：" + "、".join(label[k] for k in missing or ["employees"])
            else:
                t = deciding[0]
                verdict = PASS if t.met_by(rate) else VETO
                others = "；".join(f"{x.name}（{x.source}）：{'达到' if x.met else '未达到'}" for x in views)
                reason = (f"入会率 {prof.get('members')}/{prof.get('employees')} = {rate:.1f}%，"
                          f"按{t.source}的 {_fmt(t.value)}% 判断{'达标' if verdict == PASS else '未达标'}。各门槛：{others}")
        elif check == "incidents":
            years = int(opts.get("years", 3))
            events = prof.events("incidents")
            since = _years_ago(as_of, years)
            if events is None:
                missing = ["incidents"]
                reason = f"未填报近{years}年是否发生职工群体事件和重大安全责任事故（没有请填“无”）"
            else:
                recent = [e for e in events if since <= e.on <= as_of]
                if recent:
                    verdict = VETO
                    reason = "；".join(f"{e.on.isoformat()} {e.text}" for e in recent)
                else:
                    verdict = PASS
                    reason = f"{since.isoformat()} 以来未发生" + ("（更早的事件不计）" if events else "")
        else:  # "other": the unit's own statement
            val = prof.get("other_veto")
            if val is None:
                missing = ["other_veto"]
                reason = "未填报是否有其他不宜申报的原因（没有请填“无”）"
            elif str(val).strip().lower() in profile_mod.NONE_WORDS:
                verdict, reason = PASS, "单位填报：无"
            else:
                verdict, reason = VETO, f"单位填报：{val}"
        results.append(VetoResult(v.no, v.text, verdict, reason, tuple(missing), v.source))
    return tuple(results), views, rate, sat_rate, sat_rule


def counts_has(counts: _Counts, code: str) -> bool:
    return any(n for (c, _y), (n, _f, _p) in counts.by_code_year.items() if c == code)


# ---------------------------------------------------------------- materials


_HEADING_PREFIX = re.compile(r"^[\s#*]*(?:[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*)?")


def _text_parts(archive: Archive, sha: str, path: Path, parts: tuple[str, ...], cache: dict[str, Any]) -> dict[str, str]:
    key = f"{sha}:{'|'.join(parts)}"
    if key in cache:
        return cache[key]
    from ..extract import extract

    ex = extract(path)
    found: dict[str, str] = {}
    lines = [_HEADING_PREFIX.sub("", ln).strip() for ln in ex.text.splitlines()]
    for p in parts:
        if any(p in ln and len(ln) <= len(p) + 14 for ln in lines):
            found[p] = "标题"
        elif p in ex.text:
            found[p] = "正文"
        else:
            found[p] = ""
    cache[key] = found
    return found


def _materials(archive: Archive, cov: CoverageRules, grade: str, years: tuple[int, int]) -> tuple[MaterialCheck, ...]:
    std = archive.standards
    latest: dict[str, Material] = {}
    dated = {d.doc_no: d.date or date.min for d in std.documents}
    for m in std.materials_for(grade):
        if m.key not in latest or dated.get(m.doc_no, date.min) > dated.get(latest[m.key].doc_no, date.min):
            latest[m.key] = m
    cache_path = archive.data_dir / "coverage_cache.json"
    try:
        cache = json.loads(cache_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    before = len(cache)
    out = []
    for key, m in sorted(latest.items(), key=lambda kv: kv[1].no):
        if key == "photos":
            continue  # checked per photo, see _photos
        words = cov.material_titles.get(key, (m.name,))
        with archive.session() as s:
            rows = s.execute(
                select(Record.id, Record.archive_no)
                .where(Record.status == ACTIVE, or_(*[Record.title.contains(w) for w in words]))
                .order_by(Record.year.desc(), Record.doc_date.desc(), Record.id.desc())
                .limit(3)
            ).all()
            files = {
                rid: list(s.execute(select(File.path, File.sha256, File.kind).where(File.record_id == rid, File.status == ACTIVE)
                                    .order_by(File.position)).all())
                for rid, _ in rows
            }
        best: dict[str, str] = {p: "" for p in m.parts}
        for rid, _no in rows:
            for path, sha, kind in files[rid]:
                if kind in IMAGE_KINDS:
                    continue
                try:
                    found = _text_parts(archive, sha, archive.root / path, m.parts, cache)
                except OSError:
                    continue
                for p, how in found.items():
                    if how == "标题" or (how and not best[p]):
                        best[p] = how
        parts = tuple(PartCheck(p, best[p]) for p in m.parts)
        if not rows:
            missing = (f"没有找到{m.name}（题名含“{'”或“'.join(words)}”的记录）",)
        else:
            missing = tuple(f"{m.name}缺少“{p.part}”部分" if not p.found else f"{m.name}的“{p.part}”只在正文中出现，没有单独的标题"
                            for p in parts if p.found != "标题")
        out.append(MaterialCheck(m.key, m.name, m.printed, m.source, tuple(n for _, n in rows), parts, missing, m.note))
    if len(cache) != before and not archive.read_only:
        try:
            cache_path.write_text(json.dumps(cache, ensure_ascii=False), encoding="utf-8")
        except OSError:
            pass  # a cache only
    return tuple(out)


_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ _]?(.*)$")


def _photos(archive: Archive, cov: CoverageRules, years: tuple[int, int], limit: int = 30) -> PhotoCheck:
    with archive.session() as s:
        rows = s.execute(
            select(Record.archive_no, File.path)
            .join(File, File.record_id == Record.id)
            .where(Record.status == ACTIVE, File.status == ACTIVE, File.kind.in_(sorted(IMAGE_KINDS)),
                   Record.year.between(*years))
            .order_by(Record.archive_no, File.position)
        ).all()
    issues = []
    ok = 0
    for number, path in rows:
        stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        m = _DATE_PREFIX.match(stem)
        content = (m[4] if m else stem).strip()
        content = re.sub(r"（附\d+）$|（\d+）$", "", content).strip()
        problems = []
        if not m:
            problems.append("文件名没有日期")
        if not content or any(p.search(content) for p in cov.photo_patterns):
            problems.append("文件名没有内容说明")
        if problems:
            issues.append(PhotoIssue(number, path, "、".join(problems)))
        else:
            ok += 1
    return PhotoCheck(len(rows), ok, tuple(issues[:limit]), len(issues))


def _form(archive: Archive, cov: CoverageRules, prof: profile_mod.Profile, grade: str) -> FormCheck | None:
    forms = [f for f in archive.standards.forms_for(archive.level) if f.grade == grade] or list(
        archive.standards.forms_for(archive.level))
    if not forms:
        return None
    form = forms[0]
    fields = []
    seen = set()
    for fld in form.fields:
        if fld.label in seen:
            continue
        seen.add(fld.label)
        key = cov.form_fields.get(fld.label, "")
        if key == "manual" or fld.kind == "opinion":
            fields.append(FormFieldCheck(fld.label, "manual", "", "手填"))
            continue
        if key == "unit_name":
            fields.append(FormFieldCheck(fld.label, key, archive.settings.unit, "已填"))
            continue
        f = profile_mod.BY_KEY.get(key)
        value = prof.get(key) if f else None
        if f is None or value in (None, ""):
            fields.append(FormFieldCheck(fld.label, key, "", "未填"))
        else:
            fields.append(FormFieldCheck(fld.label, key, profile_mod.show_value(f, value), "已填"))
    note = form.note if form.source_incomplete else ""
    return FormCheck(form.id, form.title, tuple(fields), note)


# ---------------------------------------------------------------- warnings and deadlines


def _warnings(archive: Archive, items: tuple[ItemAssessment, ...], counts: _Counts, years: tuple[int, ...],
              as_of: date, sheet: Scoresheet | None) -> tuple[Warning_, ...]:
    out: list[Warning_] = []
    for it in items:
        for sc in (it.self_score, it.inspector_score):
            if sc is not None and sc.score > 0 and it.status == MISSING:
                role = scores_mod.ROLE_LABELS[sc.role]
                out.append(Warning_("scored_without_evidence", f"第{it.no}项已录入{role} {_fmt(sc.score)} 分，但检查窗口内没有证明材料"))
    lo, hi = years[0], years[-1]
    for item_no, rows in sorted(counts.explicit.items()):
        outside = [(y, n) for y, n, *_ in rows if y < lo or y > hi]
        if outside:
            shown = "、".join(f"{n}（{y}）" for y, n in outside[:5]) + ("等" if len(outside) > 5 else "")
            out.append(Warning_("evidence_outside_window",
                                f"第{item_no}项关联的 {len(outside)} 件记录不在检查窗口 {lo}–{hi} 年内，不计入：{shown}"))
    with archive.session() as s:
        future = s.execute(
            select(Record.archive_no, Record.doc_date, Record.year)
            .where(Record.status == ACTIVE, or_(Record.doc_date > as_of, Record.year > as_of.year))
            .order_by(Record.archive_no).limit(6)
        ).all()
        nfuture = s.scalar(select(func.count()).where(Record.status == ACTIVE,
                                                      or_(Record.doc_date > as_of, Record.year > as_of.year)))
        mismatch = s.scalar(select(func.count()).where(
            Record.status == ACTIVE, Record.doc_date.is_not(None), Record.year.between(lo, hi),
            func.cast(func.strftime("%Y", Record.doc_date), type_=Record.year.type) != Record.year,
        )) if archive.engine.dialect.name == "sqlite" else 0
        codes = s.execute(select(Record.code, func.count()).where(Record.status == ACTIVE).group_by(Record.code)).all()
    if nfuture:
        shown = "、".join(r.archive_no for r in future[:5])
        out.append(Warning_("evidence_after_as_of", f"{nfuture} 件记录的日期或年度晚于报告日期 {as_of.isoformat()}，不计入：{shown}{'等' if nfuture > 5 else ''}"))
    if mismatch:
        out.append(Warning_("year_mismatch", f"{mismatch} 件记录的形成日期与所属年度不一致，请核对（ls 可按年度查看）"))
    applicable = {e.code for e in archive.entries()}
    for code, n in codes:
        if code not in applicable:
            out.append(Warning_("entry_not_applicable",
                                f"{n} 件记录归在目录“{code}”下，该条目不适用于{archive.unit_type}{archive.level}（或已从目录中删除），请改归其他条目"))
    if sheet is not None and sheet.points_sum != sheet.stated_total:
        out.append(Warning_("official_total", f"评分表“{sheet.title}”各项单项分之和为 {sheet.points_sum} 分，表中印的合计为 {sheet.stated_total} 分（官方原文如此，未作更正）；总分按各项之和计算"))
    return tuple(out)


def _deadlines(archive: Archive, grade: str, as_of: date, prof: profile_mod.Profile) -> tuple[Deadline, ...]:
    std = archive.standards
    out: list[Deadline] = []
    past: list[tuple[date, Deadline]] = []
    for w in std.windows_for(grade):
        start, end = w.range_for(as_of.year if w.every_year else None)
        if end is None:
            continue
        if end >= as_of:
            if start and as_of < start:
                text = f"{w.name}：{start.isoformat()} 开始，还有 {(start - as_of).days} 天；{end.isoformat()} 截止"
            else:
                text = f"{w.name}：{end.isoformat()} 截止，还剩 {(end - as_of).days} 天"
            out.append(Deadline(w.name, end, (end - as_of).days, text))
        else:
            past.append((end, Deadline(w.name, end, (end - as_of).days, f"{w.name}：已于 {end.isoformat()} 截止")))
    if not out and past:
        out.append(max(past, key=lambda p: p[0])[1])
    events = prof.events("titles") or ()
    try:
        cycle = std.reinspection_years
    except Exception:  # noqa: BLE001 - the data may lack it; then no due dates
        cycle = 0
    for e in events:
        if cycle and any(g.name in e.text for g in std.grades if g.order >= 2) or cycle and "模范" in e.text:
            due = _years_ago(e.on, -cycle)
            left = (due - as_of).days
            when = f"还有 {left} 天" if left >= 0 else f"已逾期 {-left} 天"
            out.append(Deadline(f"{e.text} 复查", due, left, f"{e.text}（{e.on.isoformat()} 获得）：原则上每{cycle}年复查一次，应于 {due.isoformat()} 前复查，{when}"))
    return tuple(out)


# ---------------------------------------------------------------- the report


def assess(archive: Archive, as_of: date | None = None, *, window_years: int | None = None,
           check_materials: bool = True) -> Report:
    """Assess the archive's evidence against its scoresheet, veto list and application materials."""
    cov = rules_mod.load(archive.standards, archive.settings.extra.get("coverage"))
    std = archive.standards
    as_of = as_of or cov.settings.as_of or archive.now().date()
    n = window_years or cov.settings.window_years
    years = tuple(range(as_of.year - n + 1, as_of.year + 1))
    window = (date(years[0], 1, 1), as_of)
    grace = cov.settings.current_year_grace_until
    due = tuple(y for y in years if y < as_of.year or grace is None or as_of >= date(as_of.year, *grace))
    prof = profile_mod.read(archive)
    grade = prof.get("target_grade") or cov.settings.default_grade
    mapping = std.sheet_mapping(archive.unit_type, archive.level)
    sheet = archive.scoresheet
    counts = _aggregate(archive, (years[0], years[-1]), sheet.id if sheet else None)
    applicable = {e.code for e in archive.entries() if not e.parent}
    ut, lv = archive.unit_type, archive.level
    rule_cache: dict[str, RuleCheck] = {}

    def rules_for(m: ItemMapping) -> tuple[RuleCheck, ...]:
        out = []
        for rid in m.rules:
            r = cov.yearly_rule(rid, ut, lv)
            if r is not None:
                out.append(_rule_check(archive, r, years, due, rule_cache))
        return tuple(out)

    saved = scores_mod.read_all(archive, sheet.id) if sheet else {}
    items = []
    if sheet is not None:
        for it in sheet.items:
            m = cov.mapping(sheet.id, it.no)
            items.append(_assess_item(
                no=it.no, group=it.group, subgroup=it.subgroup, text=it.text, points=it.points, mapping=m,
                applicable=applicable, counts=counts, years=years, due=due, rule_checks=rules_for(m), cov=cov,
                explicit_key=it.no, self_score=saved.get((it.no, scores_mod.SELF)),
                inspector_score=saved.get((it.no, scores_mod.INSPECTOR)),
            ))
    mofan = std.standards_for("重庆市模范", ut, lv) if any(g.name == "重庆市模范" for g in std.grades) else ()
    standard_title = mofan[0].title if mofan else ""
    standard_items = []
    for st in mofan[:1]:
        for si in st.items:
            m = cov.mapping(st.title, si.project)
            standard_items.append(_assess_item(
                no=si.project, group=st.title, subgroup=si.project, text=si.text, points=None, mapping=m,
                applicable=applicable, counts=counts, years=years, due=due, rule_checks=rules_for(m), cov=cov,
                explicit_key=None, self_score=None, inspector_score=None,
            ))
    vetoes, views, rate, sat_rate, sat_rule = _vetoes(archive, cov, prof, grade, as_of, sheet, rule_cache, counts)
    verdicts = {v.verdict for v in vetoes}
    veto_verdict = VETO if VETO in verdicts else UNKNOWN if UNKNOWN in verdicts else PASS
    ths = std.find_thresholds("self_check_score", grade)
    selfs = [it.self_score.score for it in items if it.self_score]
    insps = [it.inspector_score.score for it in items if it.inspector_score]
    totals = Totals(
        points_sum=sheet.points_sum if sheet else 0,
        stated_total=sheet.stated_total if sheet else 0,
        threshold=ths[0].value if ths else None,
        threshold_source=ths[0].source if ths else "",
        suggested=sum(it.suggested or 0 for it in items),
        self_total=sum(selfs) if selfs else None,
        self_entered=len(selfs),
        inspector_total=sum(insps) if insps else None,
        inspector_entered=len(insps),
        items=len(items),
    )
    if sheet is None:
        sheet_note = (f"{ut}{lv}没有先进评分表：{mapping.note} 本报告不计分，只检查否决条件、申报材料"
                      f"和模范标准各项的材料覆盖。")
    else:
        sheet_note = f"{sheet.title}（{sheet.doc_no} {sheet.attachment}）"
    heat = []
    for vol in archive.catalogue.volumes:
        row = tuple(sum(counts.by_code_year.get((e.code, y), [0])[0] for e in vol.entries if not e.parent) for y in years)
        heat.append((vol.letter, vol.title, row))
    return Report(
        unit=archive.settings.unit, unit_type=ut, level=lv, grade=grade,
        sheet_id=sheet.id if sheet else None, sheet_title=sheet.title if sheet else "", sheet_note=sheet_note,
        as_of=as_of, window=window, years=years, due_years=due, items=tuple(items),
        standard_title=standard_title, standard_items=tuple(standard_items), totals=totals,
        vetoes=vetoes, veto_verdict=veto_verdict, membership=views, membership_rate=rate,
        membership_decided_by=("评分表（渝教科文卫体工〔2019〕23号）的入会率" if cov.settings.membership_decided_by == "sheet"
                               else "渝工发〔2019〕2号先进标准的入会率"),
        satisfaction_rate=sat_rate, satisfaction_rule=sat_rule,
        materials=_materials(archive, cov, grade, (years[0], years[-1])) if check_materials else (),
        photos=_photos(archive, cov, (years[0], years[-1])),
        form=_form(archive, cov, prof, grade),
        warnings=_warnings(archive, tuple(items), counts, years, as_of, sheet),
        deadlines=_deadlines(archive, grade, as_of, prof),
        heatmap=tuple(heat),
        status_rules=tuple((s.name, s.explain) for s in cov.statuses),
    )
