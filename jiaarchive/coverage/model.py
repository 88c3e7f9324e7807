"""The assessment of one unit (迎检评估): frozen dataclasses and their JSON form.

``assess.assess()`` builds a ``Report``; the renderers (reports/coverage_*.py, the CLI, the TUI
dashboard) only lay it out.  Every sentence a renderer prints is a field here, computed by the
assessment (verdict summaries, the total line with the official inconsistency, deadlines for
the application year, notes about the current year), so the HTML, the XLSX, the terminal and
the TUI cannot say different things.  ``Report.to_json()`` is the machine form, stable for
clerks' scripts and for comparing many units (a city-level review ranks units by it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from . import scores as scores_mod

# Item statuses (证据状态)
SUFFICIENT, WEAK, MISSING = "充分", "薄弱", "缺失"
# Verdicts of vetoes, prerequisites and checks; NOT_APPLICABLE also marks an item a clerk set aside
PASS, VETO, UNKNOWN, NOT_APPLICABLE = "通过", "否决", "未知", "不适用"
# Verdicts of a total against its threshold
REACHED, NOT_REACHED, UNDECIDED = "达到", "未达到", "未定"

SUGGESTION_NOTE = "建议分由程序按证据多少推算，只是提示，不是评分；自查分请对照原文逐项评定。"


def combine(verdicts: list[str]) -> str:
    """One verdict from several: any 否决 decides, then any 未知; only 不适用 parts give 不适用."""
    if VETO in verdicts:
        return VETO
    if UNKNOWN in verdicts:
        return UNKNOWN
    if PASS in verdicts:
        return PASS
    return NOT_APPLICABLE if verdicts else PASS


# ---------------------------------------------------------------- thresholds and rates


@dataclass(frozen=True)
class ThresholdView:
    """One official threshold and whether the unit meets it (None: not known)."""

    name: str
    value: float
    source: str
    met: bool | None
    deciding: bool = False


@dataclass(frozen=True)
class RateView:
    """A rate computed from two profile facts, shown without rounding across its threshold."""

    name: str
    numerator: int
    denominator: int
    percent: float
    shown: str  # the percentage as printed, e.g. "98.8%"
    text: str  # with its fraction, e.g. "158/160 = 98.8%"
    thresholds: tuple[ThresholdView, ...]
    met: bool | None


@dataclass(frozen=True)
class SatisfactionView:
    """会员评家测评: both rates, which one the verdict used and why, and the ballot date."""

    satisfied: int
    basically: int
    dissatisfied: int
    total: int
    counted: RateView  # 满意 + 基本满意
    strict: RateView  # 满意 only
    used: str  # which the verdict used: "满意+基本满意" / "满意"
    why: str
    ballots_on: date | None
    counts_basically: bool = True

    @property
    def used_rate(self) -> RateView:
        return self.counted if self.counts_basically else self.strict


# ---------------------------------------------------------------- checks


@dataclass(frozen=True)
class CheckOutcome:
    """What one named check found (a veto, a prerequisite or an item threshold is made of them)."""

    kind: str
    verdict: str
    reason: str
    missing: tuple[str, ...] = ()  # profile keys to fill in
    notes: tuple[str, ...] = ()  # said, but do not change the verdict
    rate: RateView | None = None
    satisfaction: SatisfactionView | None = None


def outcome_json(c: CheckOutcome) -> dict[str, Any]:
    return {
        "kind": c.kind, "verdict": c.verdict, "reason": c.reason, "missing": list(c.missing), "notes": list(c.notes),
        "rate": asdict(c.rate) if c.rate else None,
    }


# ---------------------------------------------------------------- items


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
    """A yearly rule (每年至少召开1次……) over the window's years."""

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

    def gap_years(self) -> tuple[int, ...]:
        return tuple(y.year for y in self.years if y.due and not y.ok)


@dataclass(frozen=True)
class Link:
    """One mapping link: records under ``code`` usually prove the item, because ``reason``."""

    code: str
    reason: str


@dataclass(frozen=True)
class EvidenceMatch:
    """A record counted for an item, and why: linked with --item, or its text names a key term."""

    archive_no: str
    year: int
    code: str
    title: str
    how: str  # "关联" (explicit --item link) / "要点" (key term found)
    term: str = ""


@dataclass(frozen=True)
class ItemAssessment:
    """One scoresheet item (or 模范 standard item: ``points`` None) and its evidence."""

    no: int | str
    group: str
    subgroup: str
    name: str  # short name (mapping.toml), shown beside the number
    text: str  # the official text of the item
    points: int | None
    status: str
    evidence_mode: str  # yearly / per_term / once
    evidence_rule: str  # what the mode asks, in Chinese
    per_year: tuple[YearEvidence, ...]
    evidence: tuple[str, ...]  # archive numbers counted, explicit links first
    explicit: tuple[str, ...]
    matches: tuple[EvidenceMatch, ...]
    unmatched: tuple[str, ...]  # records under the linked entries that do not speak to the item
    links: tuple[Link, ...]
    terms: tuple[str, ...]
    rules: tuple[RuleCheck, ...]
    checks: tuple[CheckOutcome, ...]
    suggested: float | None
    self_score: scores_mod.Score | None
    inspector_score: scores_mod.Score | None
    missing: tuple[str, ...]  # the gaps, as sentences a clerk can act on
    not_applicable: str = ""  # the clerk's reason when the item is set aside as 不适用
    not_applicable_if: str = ""  # the condition in the item's own text, when it has one

    @property
    def evidence_count(self) -> int:
        return len(self.evidence)

    @property
    def label(self) -> str:
        """How the item is named in tables: its number, its group and its own short name."""
        return f"{self.subgroup}·{self.name}" if self.name else self.subgroup


# ---------------------------------------------------------------- vetoes, prerequisites


@dataclass(frozen=True)
class VetoResult:
    no: int
    text: str
    verdict: str
    reason: str
    missing: tuple[str, ...] = ()
    source: str = ""
    subject: str = ""  # whose facts were judged: "" the unit itself, else e.g. "上级工会（基层工会）"
    checks: tuple[CheckOutcome, ...] = ()


@dataclass(frozen=True)
class PrerequisiteResult:
    """申报前提: the title the notice requires before applying (reported like a veto)."""

    grade: str
    requires: str
    printed: str
    source: str
    verdict: str
    reason: str
    missing: tuple[str, ...] = ()


# ---------------------------------------------------------------- totals


@dataclass(frozen=True)
class TotalLine:
    """One total (建议分, 自查分 or 评定分) as printed, over the sheet's sum, normalised, judged."""

    role: str  # suggested / self / inspector
    label: str
    value: float | None
    entered: int
    items: int
    out_of: int  # the points of the items that count (the sheet's sum less items set aside)
    normalised: float | None  # on the printed total's scale, when ``out_of`` differs from it
    threshold: float | None
    threshold_source: str
    verdict: str | None  # 达到 / 未达到 / 未定; None while nothing is entered
    text: str


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
    applicable_points: int = 0
    lines: tuple[TotalLine, ...] = ()
    inconsistency: str = ""  # the official text's own inconsistency, stated on the total lines


# ---------------------------------------------------------------- materials, photos, form


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
    summary: str = ""


@dataclass(frozen=True)
class PhotoIssue:
    archive_no: str
    path: str
    problem: str


@dataclass(frozen=True)
class PhotoEntry:
    """One evidence photo of the window and whether its name meets the notice."""

    archive_no: str
    path: str
    name: str
    ok: bool
    problems: tuple[str, ...]


@dataclass(frozen=True)
class PhotoCheck:
    total: int
    ok: int
    issues: tuple[PhotoIssue, ...]
    issue_count: int
    photos: tuple[PhotoEntry, ...] = ()
    summary: str = ""
    missing: tuple[str, ...] = ()  # the gaps (no photos at all …)
    printed: str = ""
    source: str = ""
    name: str = ""  # the material's name as the notice prints it (相关图片资料)


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
    summary: str = ""

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(f.label for f in self.fields if f.status == "未填")


# ---------------------------------------------------------------- the rest


@dataclass(frozen=True)
class Warning_:
    kind: str
    text: str


@dataclass(frozen=True)
class Note:
    """A sentence the report says about how it was computed (current year, index, 小家 mode …)."""

    kind: str
    text: str


@dataclass(frozen=True)
class Deadline:
    name: str
    date: date | None
    days_left: int | None
    text: str
    kind: str = "window"  # window / reinspection / notice
    governs: bool = True
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class EntryYears:
    """Records per catalogue entry and year (the heat map rows), with the empty years named."""

    code: str
    title: str
    counts: tuple[int, ...]
    empty_years: tuple[int, ...]


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
    application_year: int = 0
    prerequisites: tuple[PrerequisiteResult, ...] = ()
    prerequisite_verdict: str = PASS
    verdict: str = PASS  # vetoes and prerequisites together: may the unit apply?
    veto_summary: str = ""
    prerequisite_summary: str = ""
    satisfaction: SatisfactionView | None = None
    membership_view: RateView | None = None
    notes: tuple[Note, ...] = ()
    entries: tuple[EntryYears, ...] = ()
    entries_summary: str = ""  # the entries with no record in a year that is due
    subject: str = ""  # for a 小家: whose facts the vetoes were judged on
    match_mode: str = ""  # how key terms were matched: 全文检索 / 题名和标签

    def status_counts(self) -> dict[str, int]:
        out = {SUFFICIENT: 0, WEAK: 0, MISSING: 0}
        for it in self.items or self.standard_items:
            out[it.status] = out.get(it.status, 0) + 1
        return out

    def to_json(self) -> dict[str, Any]:
        t = self.totals
        return {
            "unit": self.unit,
            "unit_type": self.unit_type,
            "level": self.level,
            "grade": self.grade,
            "application_year": self.application_year,
            "sheet": {"id": self.sheet_id, "title": self.sheet_title, "note": self.sheet_note},
            "as_of": self.as_of.isoformat(),
            "window": [self.window[0].isoformat(), self.window[1].isoformat()],
            "years": list(self.years),
            "due_years": list(self.due_years),
            "status_rules": [{"status": s, "explain": e} for s, e in self.status_rules],
            "status_counts": self.status_counts(),
            "match_mode": self.match_mode,
            "items": [_item_json(it) for it in self.items],
            "standard": {"title": self.standard_title, "items": [_item_json(it) for it in self.standard_items]},
            "totals": {
                "points_sum": t.points_sum,
                "stated_total": t.stated_total,
                "applicable_points": t.applicable_points,
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
                "inconsistency": t.inconsistency,
                "lines": [asdict(x) for x in t.lines],
            },
            "verdict": self.verdict,
            "veto_verdict": self.veto_verdict,
            "veto_summary": self.veto_summary,
            "vetoes": [
                {"no": v.no, "text": v.text, "verdict": v.verdict, "reason": v.reason, "missing": list(v.missing),
                 "source": v.source, "subject": v.subject, "checks": [outcome_json(c) for c in v.checks]}
                for v in self.vetoes
            ],
            "prerequisite_verdict": self.prerequisite_verdict,
            "prerequisite_summary": self.prerequisite_summary,
            "prerequisites": [asdict(p) for p in self.prerequisites],
            "subject": self.subject,
            "membership": {
                "rate": self.membership_rate,
                "decided_by": self.membership_decided_by,
                "thresholds": [asdict(x) for x in self.membership],
                "view": asdict(self.membership_view) if self.membership_view else None,
            },
            "satisfaction": {
                "rate": self.satisfaction_rate,
                "rule": self.satisfaction_rule,
                **(_satisfaction_json(self.satisfaction) if self.satisfaction else {}),
            },
            "materials": [
                {"key": m.key, "name": m.name, "records": list(m.records), "parts": [asdict(p) for p in m.parts],
                 "missing": list(m.missing), "note": m.note, "source": m.source, "summary": m.summary}
                for m in self.materials
            ],
            "photos": {
                "total": self.photos.total, "ok": self.photos.ok, "issue_count": self.photos.issue_count,
                "issues": [asdict(i) for i in self.photos.issues], "summary": self.photos.summary,
                "missing": list(self.photos.missing), "photos": [asdict(p) for p in self.photos.photos],
                "name": self.photos.name, "printed": self.photos.printed, "source": self.photos.source,
            },
            "form": None if self.form is None else {
                "id": self.form.id, "title": self.form.title, "missing": list(self.form.missing),
                "fields": [asdict(f) for f in self.form.fields], "note": self.form.incomplete_note,
                "summary": self.form.summary,
            },
            "warnings": [asdict(w) for w in self.warnings],
            "notes": [asdict(n) for n in self.notes],
            "deadlines": [
                {"name": d.name, "date": d.date.isoformat() if d.date else None, "days_left": d.days_left,
                 "text": d.text, "kind": d.kind, "governs": d.governs, "sources": list(d.sources)}
                for d in self.deadlines
            ],
            "heatmap": [{"volume": v, "title": t_, "counts": list(c)} for v, t_, c in self.heatmap],
            "entries": [asdict(e) for e in self.entries],
            "entries_summary": self.entries_summary,
        }


def _satisfaction_json(s: SatisfactionView) -> dict[str, Any]:
    return {
        "ballots": {"satisfied": s.satisfied, "basically_satisfied": s.basically, "dissatisfied": s.dissatisfied,
                    "total": s.total},
        "counted": asdict(s.counted), "strict": asdict(s.strict), "used": s.used, "why": s.why,
        "ballots_on": s.ballots_on.isoformat() if s.ballots_on else None,
    }


def _item_json(it: ItemAssessment) -> dict[str, Any]:
    return {
        "no": it.no,
        "group": it.group,
        "subgroup": it.subgroup,
        "name": it.name,
        "text": it.text,
        "points": it.points,
        "status": it.status,
        "evidence_mode": it.evidence_mode,
        "evidence_rule": it.evidence_rule,
        "evidence": list(it.evidence),
        "explicit": list(it.explicit),
        "matches": [asdict(m) for m in it.matches],
        "unmatched": list(it.unmatched),
        "per_year": [asdict(y) for y in it.per_year],
        "links": [{"code": lk.code, "reason": lk.reason} for lk in it.links],
        "terms": list(it.terms),
        "rules": [
            {"id": r.id, "name": r.name, "met": r.met, "years": [asdict(y) for y in r.years]} for r in it.rules
        ],
        "checks": [outcome_json(c) for c in it.checks],
        "suggested_score": it.suggested,
        "self_score": it.self_score.score if it.self_score else None,
        "self_remark": it.self_score.remark if it.self_score else None,
        "inspector_score": it.inspector_score.score if it.inspector_score else None,
        "inspector_remark": it.inspector_score.remark if it.inspector_score else None,
        "missing": list(it.missing),
        "not_applicable": it.not_applicable,
        "not_applicable_if": it.not_applicable_if,
    }

