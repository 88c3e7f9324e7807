"""Evidence × items × years → statuses, vetoes, prerequisites, totals: the coverage and gap report.

``assess(archive, as_of=None)`` returns a frozen ``model.Report``; renderers (reports/coverage_*.py,
the CLI, the TUI dashboard) only lay it out.  The work is split by subject: ``evidence`` (what the
archive holds, key-term matching), ``items`` (one item's status and gaps), ``checks`` (the named
checks vetoes and thresholds are made of), ``vetoes`` (否决条件 and 申报前提), ``materials``
(申报材料, photos, registration form), ``schedule`` (deadlines, re-inspection) and ``measure``
(every comparison with a threshold).  This module puts them together.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select

from ..archive import Archive
from ..db.models import ACTIVE, Record
from ..standards import Scoresheet
from . import evidence as evidence_mod
from . import measure
from . import profile as profile_mod
from . import rules as rules_mod
from . import scores as scores_mod
from .checks import Context, Subject, years_after
from .evidence import Holdings, TermMatcher
from .honours import Titles
from .items import ItemEnv, ItemSpec, Term, assess_item
from . import materials as materials_mod
from .model import (
    MISSING, NOT_APPLICABLE, NOT_REACHED, PASS, REACHED, SUFFICIENT, SUGGESTION_NOTE, UNDECIDED, UNKNOWN, VETO,
    WEAK, CheckOutcome, Deadline, EntryYears, ItemAssessment, Note, RateView, Report, RuleCheck, ThresholdView,
    Totals, VetoResult, Warning_, combine,
)
from .schedule import reinspections, windows
from .vetoes import assess_prerequisites, assess_vetoes, prerequisite_summary, veto_summary


def _veto_verdict(verdicts: list[str]) -> str:
    v = combine(verdicts)
    return PASS if v == NOT_APPLICABLE else v


def _term(facts: profile_mod.Facts, cov: rules_mod.CoverageRules, as_of: date) -> Term:
    elected, years = facts.get(cov.evidence.term_elected), facts.get(cov.evidence.term_years)
    label = facts.label(cov.evidence.term_elected)
    start = date.fromisoformat(elected) if elected else None
    if start and start > as_of:
        start = None
    end = years_after(start, years) if start and years else None
    return Term(start, end, label)


def _totals(sheet: Scoresheet | None, items: tuple[ItemAssessment, ...], archive: Archive) -> Totals:
    if sheet is None:
        return Totals(0, 0, None, "", 0.0, None, 0, None, 0, 0)
    std = archive.standards
    counted = [it for it in items if it.status != NOT_APPLICABLE]
    set_aside = [it for it in items if it.status == NOT_APPLICABLE]
    out_of = sum(it.points or 0 for it in counted)
    inconsistency = "" if sheet.points_sum == sheet.stated_total else (
        f"评分表各项单项分之和为 {sheet.points_sum} 分，表中印的合计为 {sheet.stated_total} 分"
        "（官方原文如此，未作更正），故同时列出按各项之和和折合的分数")
    note = (f"第{'、'.join(str(it.no) for it in set_aside)}项不适用（{sum(it.points or 0 for it in set_aside)} 分），"
            "不计入" if set_aside else "")
    self_th = next(iter(std.find_thresholds("self_check_score", sheet.grade)), None)
    insp_th = next(iter(std.find_thresholds("acceptance_score", sheet.grade)), None) or self_th
    selfs = [it.self_score.score for it in counted if it.self_score]
    insps = [it.inspector_score.score for it in counted if it.inspector_score]
    suggested = sum(it.suggested or 0 for it in counted)
    common = dict(items=len(counted), out_of=out_of, printed_total=sheet.stated_total, inconsistency=inconsistency,
                  note=note)
    lines = (
        measure.total_line("suggested", "建议分（程序推算）", suggested, entered=len(counted), threshold=self_th,
                           **common),
        measure.total_line("self", "自查分", sum(selfs) if selfs else None, entered=len(selfs), threshold=self_th,
                           **common),
        measure.total_line("inspector", "评定分", sum(insps) if insps else None, entered=len(insps),
                           threshold=insp_th, **common),
    )
    return Totals(
        points_sum=sheet.points_sum, stated_total=sheet.stated_total,
        threshold=self_th.value if self_th else None, threshold_source=self_th.source if self_th else "",
        suggested=suggested, self_total=sum(selfs) if selfs else None, self_entered=len(selfs),
        inspector_total=sum(insps) if insps else None, inspector_entered=len(insps), items=len(counted),
        applicable_points=out_of, lines=lines, inconsistency=inconsistency,
    )


def _warnings(archive: Archive, items: tuple[ItemAssessment, ...], holdings: Holdings, years: tuple[int, ...],
              as_of: date) -> tuple[Warning_, ...]:
    out: list[Warning_] = []
    for it in items:
        for sc in (it.self_score, it.inspector_score):
            if sc is not None and sc.score > 0 and it.status == MISSING:
                role = scores_mod.ROLE_LABELS[sc.role]
                out.append(Warning_("scored_without_evidence", f"第{it.no}项已录入{role} {sc.score:g} 分，但没有证明材料"))
    lo, hi = years[0], years[-1]
    by_no = {it.no: it for it in items}
    for item_no, rows in sorted(holdings.explicit.items()):
        it = by_no.get(item_no)
        outside = [r for r in rows if (r.year < lo or r.year > hi) and (it is None or it.evidence_mode == "yearly")]
        if outside:
            shown = "、".join(f"{r.archive_no}（{r.year}）" for r in outside[:5]) + ("等" if len(outside) > 5 else "")
            out.append(Warning_("evidence_outside_window",
                                f"第{item_no}项关联的 {len(outside)} 件记录不在检查窗口 {lo}–{hi} 年内，不计入：{shown}"))
    late = or_(Record.doc_date > as_of, Record.year > as_of.year)
    with archive.session() as s:
        future = s.scalars(select(Record.archive_no).where(Record.status == ACTIVE, late)
                           .order_by(Record.archive_no).limit(6)).all()
        nfuture = s.scalar(select(func.count()).where(Record.status == ACTIVE, late))
        mismatch = s.scalar(select(func.count()).where(
            Record.status == ACTIVE, Record.doc_date.is_not(None), Record.year.between(lo, hi),
            func.cast(func.strftime("%Y", Record.doc_date), type_=Record.year.type) != Record.year,
        )) if archive.engine.dialect.name == "sqlite" else 0
        codes = s.execute(select(Record.code, func.count()).where(Record.status == ACTIVE).group_by(Record.code)).all()
    if nfuture:
        shown = "、".join(future[:5])
        out.append(Warning_("evidence_after_as_of", f"{nfuture} 件记录的日期或年度晚于报告日期 {as_of.isoformat()}，不计入：{shown}{'等' if nfuture > 5 else ''}"))
    if mismatch:
        out.append(Warning_("year_mismatch", f"{mismatch} 件记录的形成日期与所属年度不一致，请核对（ls 可按年度查看）"))
    applicable = {e.code for e in archive.entries()}
    for code, n in codes:
        if code not in applicable:
            out.append(Warning_("entry_not_applicable",
                                f"{n} 件记录归在目录“{code}”下，该条目不适用于{archive.unit_type}{archive.level}（或已从目录中删除），请改归其他条目"))
    return tuple(out)


def assess(archive: Archive, as_of: date | None = None, *, window_years: int | None = None,
           check_materials: bool = True) -> Report:
    """Assess the archive's evidence against its scoresheet, vetoes, prerequisites and materials."""
    std = archive.standards
    cov = rules_mod.load(std, archive.settings.extra.get("coverage"))
    settings = cov.settings
    as_of = as_of or settings.as_of or archive.now().date()
    n = window_years or settings.window_years
    years = tuple(range(as_of.year - n + 1, as_of.year + 1))
    window = (date(years[0], 1, 1), as_of)
    grace = settings.current_year_grace_until
    due = tuple(y for y in years if y < as_of.year or grace is None or as_of >= date(as_of.year, *grace))
    app_year = settings.application_year or as_of.year
    prof = profile_mod.read(archive)
    grade = prof.get("target_grade") or settings.default_grade
    ut, lv = archive.unit_type, archive.level
    mapping = std.sheet_mapping(ut, lv)
    sheet = archive.scoresheet
    xiaojia = lv == std.xiaojia_level

    own = Subject(profile_mod.Facts(prof, "", xiaojia), ut, lv)
    parent = None
    if xiaojia and std.parent_level:
        name = prof.get(profile_mod.PARENT_UNIT) or "基层工会"
        parent = Subject(profile_mod.Facts(prof, profile_mod.PARENT_PREFIX), ut, std.parent_level, f"上级工会（{name}）")

    standard_grade = settings.standard_grade
    standard = next(iter(std.standards_for(standard_grade, ut, lv)), None) if (
        grade == standard_grade or sheet is None) else None
    owners = ([sheet.id] if sheet else []) + ([standard.title] if standard else [])
    early = {lk.code for (owner, _no), m in cov.mappings.items() if owner in owners and m.evidence != "yearly"
             for lk in m.links}
    holdings = evidence_mod.load(archive, as_of.year, sheet.id if sheet else None, from_year=years[0],
                                 early_codes=early)
    matcher = TermMatcher(archive, holdings)
    titles = Titles(cov.titles, std)
    rule_cache: dict[str, RuleCheck | None] = {}

    def rule(rule_id: str) -> RuleCheck | None:
        if rule_id not in rule_cache:
            r = cov.yearly_rule(rule_id, ut, lv)
            rule_cache[rule_id] = evidence_mod.rule_check(archive, r, years, due) if r else None
        return rule_cache[rule_id]

    def make_context(for_grade: str, subject: Subject) -> Context:
        return Context(
            std=std, grade=for_grade, subject=subject, unit_level=lv, as_of=as_of, window_start=window[0],
            due_years=due, count_basically_satisfied=settings.count_basically_satisfied,
            decided_by=settings.membership_decided_by, sheet_doc_no=sheet.doc_no if sheet else None,
            yearly=rule, evidence_count=lambda codes: len(holdings.in_years(codes, years[0], years[-1])),
            titles_held=titles.held,
        )

    env = ItemEnv(
        cov=cov, holdings=holdings, matcher=matcher, applicable={e.code for e in archive.entries() if not e.parent},
        years=years, due=due, as_of=as_of, term=_term(own.facts, cov, as_of), rule=rule,
        check_context=lambda g: make_context(g, own), saved=scores_mod.read_all(archive, sheet.id) if sheet else {},
    )
    items = tuple(
        assess_item(ItemSpec(sheet.id, it.no, it.group, it.subgroup, it.text, it.points, sheet.grade, it.no),
                    cov.mapping(sheet.id, it.no), env)
        for it in (sheet.items if sheet else ())
    )
    standard_items = tuple(
        assess_item(ItemSpec(standard.title, si.project, standard.title, si.project, si.text, None, standard_grade, None),
                    cov.mapping(standard.title, si.project), env)
        for si in (standard.items if standard else ())
    )

    vetoes = assess_vetoes(std, cov, grade, own, parent, make_context)
    veto_verdict = _veto_verdict([v.verdict for v in vetoes])
    prerequisites = assess_prerequisites(std, cov, grade, own, make_context)
    prerequisite_verdict = _veto_verdict([p.verdict for p in prerequisites])
    rates = [o.rate for v in vetoes for o in v.checks if o.kind == "rate" and o.rate]
    membership = rates[0] if rates else None
    deciding = next((t for t in membership.thresholds if t.deciding), None) if membership else None
    satisfaction = next((o.satisfaction for v in vetoes for o in v.checks if o.satisfaction), None)

    if sheet is None:
        sheet_note = (f"{ut}{lv}没有先进评分表：{mapping.note} 本报告不计分，只检查否决条件、申报前提、申报材料"
                      f"和{standard.title if standard else '标准'}各项的材料覆盖。")
    else:
        sheet_note = f"{sheet.title}（{sheet.doc_no} {sheet.attachment}）"

    entries = []
    for e in archive.entries():
        if e.parent:
            continue
        counts = tuple(holdings.count(e.code, y) for y in years)
        entries.append(EntryYears(e.code, e.title, counts, tuple(y for y, c in zip(years, counts) if y in due and not c)))
    gaps = [e for e in entries if e.empty_years]
    entries_summary = ("应检查的年度里没有记录的目录：" + "；".join(
        f"{e.code} {e.title}（{'、'.join(map(str, e.empty_years))} 年）" for e in gaps) + "。") if gaps else ""
    heat = []
    for vol in archive.catalogue.volumes:
        row = tuple(sum(holdings.count(e.code, y) for e in vol.entries if not e.parent) for y in years)
        heat.append((vol.letter, vol.title, row))

    notes: list[Note] = []
    if len(due) < len(years) and grace:
        notes.append(Note("current_year", f"{years[-1]} 年的逐年要求到 {grace[0]:02d}-{grace[1]:02d} 才算缺口"
                                          f"（本软件的设置 current_year_grace_until）：截至 {as_of.isoformat()}，"
                                          f"{years[-1]} 年没有材料只提示、不算缺口。"))
    notes.append(Note("matching", matcher.note or "各项要点按全文检索查找（题名、正文，同义词互查）。"))
    if parent is not None:
        if prof.has_parent():
            notes.append(Note("xiaojia", f"本档案是{lv}：否决条件说的是基层工会，按{parent.name}的简况判断"
                                         "（jiaarchive profile import 导入，或 profile set parent.… 录入）。"))
        else:
            notes.append(Note("xiaojia", f"本档案是{lv}：否决条件说的是基层工会，须按上级工会的简况判断，但尚未录入："
                                         "请用 jiaarchive profile import 上级工会档案文件夹（或其 profile show --json 输出）"
                                         "导入，或 profile set parent.members=… 逐项录入。"))
    if app_year != as_of.year:
        notes.append(Note("application_year", f"申报年度按 {app_year} 年计（本档案设置 application_year）。"))

    return Report(
        unit=archive.settings.unit, unit_type=ut, level=lv, grade=grade,
        sheet_id=sheet.id if sheet else None, sheet_title=sheet.title if sheet else "", sheet_note=sheet_note,
        as_of=as_of, window=window, years=years, due_years=due, items=items,
        standard_title=standard.title if standard else "", standard_items=standard_items,
        totals=_totals(sheet, items, archive),
        vetoes=vetoes, veto_verdict=veto_verdict,
        membership=membership.thresholds if membership else (),
        membership_rate=membership.percent if membership else None,
        membership_decided_by=deciding.source if deciding else "",
        satisfaction_rate=satisfaction.used_rate.percent if satisfaction else None,
        satisfaction_rule=satisfaction.why if satisfaction else "",
        materials=materials_mod.check_materials(archive, cov, grade) if check_materials else (),
        photos=materials_mod.check_photos(archive, grade, (years[0], years[-1])),
        form=materials_mod.check_form(archive, cov, prof, grade),
        warnings=_warnings(archive, items, holdings, years, as_of),
        deadlines=windows(std, grade, app_year, as_of) + reinspections(std, titles, prof.events("titles"), as_of),
        heatmap=tuple(heat),
        status_rules=tuple((s.name, s.explain) for s in cov.statuses),
        application_year=app_year,
        prerequisites=prerequisites,
        prerequisite_verdict=prerequisite_verdict,
        verdict=_veto_verdict([veto_verdict, prerequisite_verdict]),
        veto_summary=veto_summary(vetoes),
        prerequisite_summary=prerequisite_summary(prerequisites),
        satisfaction=satisfaction,
        membership_view=membership,
        notes=tuple(notes),
        entries=tuple(entries),
        entries_summary=entries_summary,
        subject=parent.name if parent else "",
        match_mode=matcher.mode,
    )


# the names renderers, the faces and tests take from here
__all__ = [
    "MISSING", "NOT_APPLICABLE", "NOT_REACHED", "PASS", "REACHED", "SUFFICIENT", "SUGGESTION_NOTE", "UNDECIDED",
    "UNKNOWN", "VETO", "WEAK", "CheckOutcome", "Deadline", "ItemAssessment", "RateView", "Report", "ThresholdView",
    "Totals", "VetoResult", "assess",
]
