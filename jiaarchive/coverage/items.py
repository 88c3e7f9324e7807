"""One scoresheet item (or 模范 standard item) against the archive: evidence, status, gaps, suggestion.

Evidence counts only when it speaks to the item: records linked to it when filed (``--item``),
and records under its linked entries whose text names one of its key terms (mapping.toml
``terms``).  The item's ``evidence`` mode says what is enough: every year of the window
(yearly), the current term (per_term: an election stays valid for the term), or once.  Yearly
rules (每年至少召开1次……) and thresholds (入会率) are checked on top; an item whose own text sets a
condition may be set aside as 不适用 with the clerk's reason.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from . import checks as checks_mod
from . import scores as scores_mod
from .evidence import Holdings, Row, TermMatcher
from .model import (
    MISSING, NOT_APPLICABLE, PASS, SUFFICIENT, UNKNOWN, VETO, CheckOutcome, EvidenceMatch, ItemAssessment,
    RuleCheck, YearEvidence,
)
from .rules import EVIDENCE_MODES, CoverageRules, ItemMapping

EARLIEST = 1900


@dataclass(frozen=True)
class ItemSpec:
    """An item as the standards print it, and whose it is."""

    owner: str  # sheet id or standard title
    no: int | str
    group: str
    subgroup: str
    text: str
    points: int | None
    grade: str
    explicit_key: int | None  # the item number records are linked to with --item (sheet items only)


@dataclass(frozen=True)
class Term:
    """The current term (本届任期), for per-term evidence: from the election date and term years."""

    start: date | None
    end: date | None
    label: str  # the election date's label, to name it in a gap

    def describe(self) -> str:
        return f"本届 {self.start.isoformat()} 起" if self.start else f"未填{self.label}，按检查窗口计"


@dataclass
class ItemEnv:
    """What every item of one report shares."""

    cov: CoverageRules
    holdings: Holdings
    matcher: TermMatcher
    applicable: set[str]  # base codes of the catalogue entries this unit keeps
    years: tuple[int, ...]
    due: tuple[int, ...]
    as_of: date
    term: Term
    rule: Callable[[str], RuleCheck | None]
    check_context: Callable[[str], checks_mod.Context]  # by the item's grade
    saved: dict[tuple[int, str], scores_mod.Score]


def _range(mode: str, env: ItemEnv) -> tuple[int, int]:
    if mode == "per_term" and env.term.start:
        return env.term.start.year, env.as_of.year
    if mode == "once":
        return EARLIEST, env.as_of.year
    return env.years[0], env.years[-1]


def _in_term(row: Row, env: ItemEnv) -> bool:
    start = env.term.start
    return start is None or row.doc_date is None or row.doc_date >= start


def _floor_step(x: float, step: float) -> float:
    return math.floor(x / step + 1e-9) * step if step > 0 else x


def assess_item(spec: ItemSpec, mapping: ItemMapping, env: ItemEnv) -> ItemAssessment:
    mode = mapping.evidence
    lo, hi = _range(mode, env)
    links = tuple(lk for lk in mapping.links if lk.code in env.applicable)
    codes = tuple(sorted({lk.code for lk in links}))
    keep = (lambda r: _in_term(r, env)) if mode == "per_term" else (lambda r: True)

    explicit_rows = [r for r in env.holdings.explicit.get(spec.explicit_key, ()) if lo <= r.year <= hi and keep(r)] \
        if spec.explicit_key is not None else []
    found = env.matcher.match(mapping.terms, codes, (lo, hi))
    explicit_ids = {r.id for r in explicit_rows}
    matched_rows = sorted((env.holdings.rows[i] for i in found if i not in explicit_ids and keep(env.holdings.rows[i])),
                          key=lambda r: (r.year, r.archive_no))
    counted = explicit_rows + matched_rows
    matches = tuple(EvidenceMatch(r.archive_no, r.year, r.code, r.title, "关联") for r in explicit_rows) + tuple(
        EvidenceMatch(r.archive_no, r.year, r.code, r.title, "要点", found[r.id]) for r in matched_rows)
    window_rows = env.holdings.in_years(codes, env.years[0], env.years[-1])
    unmatched = tuple(r.archive_no for r in window_rows if r.id not in found and r.id not in explicit_ids)

    per: dict[int, list[int]] = {y: [0, 0, 0] for y in env.years}
    for r in counted:
        if r.year in per:
            per[r.year][0] += 1
            per[r.year][1] += r.files
            per[r.year][2] += r.photos
    have = {y for y in env.years if per[y][0]}
    term_over = mode == "per_term" and env.term.end is not None and env.term.end < env.as_of
    complete = {
        "yearly": all(y in have for y in env.due),
        "per_term": bool(counted) and not term_over,
        "once": bool(counted),
    }[mode]

    rule_checks = tuple(rc for rc in (env.rule(r) for r in mapping.rules) if rc is not None)
    ctx = env.check_context(spec.grade)
    outcomes = tuple(o for o in (checks_mod.run(c, ctx) for c in mapping.checks) if o is not None)
    failing = [o for o in outcomes if o.verdict in (VETO, UNKNOWN)]
    conditions = {
        "any": bool(counted),
        "evidence_complete": complete,
        "rules_met": all(r.met for r in rule_checks) and not failing,
    }
    na = env.saved.get((spec.explicit_key, scores_mod.NOT_APPLICABLE)) if spec.explicit_key is not None else None
    if na is not None and mapping.not_applicable_if:
        status = NOT_APPLICABLE
    else:
        na = None
        status = next(s.name for s in env.cov.statuses if all(conditions[c] for c in s.when))

    missing = [] if na else _gaps(spec, mapping, mode, env, codes, have, counted, unmatched, rule_checks, failing,
                                 complete, term_over, status)
    suggested = None
    if spec.points is not None and na is None:
        suggested = _suggest(spec.points, status, mode, complete, env, have, rule_checks, outcomes, bool(counted))
    rule_text = EVIDENCE_MODES[mode] + (f"（{env.term.describe()}）" if mode == "per_term" else "")
    return ItemAssessment(
        no=spec.no, group=spec.group, subgroup=spec.subgroup, name=mapping.name, text=spec.text, points=spec.points,
        status=status, evidence_mode=mode, evidence_rule=rule_text,
        per_year=tuple(YearEvidence(y, *per[y]) for y in env.years),
        evidence=tuple(m.archive_no for m in matches), explicit=tuple(r.archive_no for r in explicit_rows),
        matches=matches, unmatched=unmatched, links=links, terms=mapping.terms, rules=rule_checks, checks=outcomes,
        suggested=suggested,
        self_score=env.saved.get((spec.explicit_key, scores_mod.SELF)) if spec.explicit_key is not None else None,
        inspector_score=(env.saved.get((spec.explicit_key, scores_mod.INSPECTOR))
                         if spec.explicit_key is not None else None),
        missing=tuple(missing), not_applicable=na.remark if na else "", not_applicable_if=mapping.not_applicable_if,
    )


def _gaps(spec: ItemSpec, mapping: ItemMapping, mode: str, env: ItemEnv, codes: tuple[str, ...], have: set[int],
          counted: list[Row], unmatched: tuple[str, ...], rule_checks: tuple[RuleCheck, ...],
          failing: list[CheckOutcome], complete: bool, term_over: bool, status: str) -> list[str]:
    where = "、".join(codes) or "相应目录"
    terms = "”“".join(mapping.terms[:3])
    how = f"（归入 {where} 并在题名或正文写明“{terms}”等要点，或归档时关联本项）"
    out: list[str] = []
    if mode == "yearly":
        out += [f"{y} 年没有提及本项要点的材料{how}" for y in env.due if y not in have]
    elif term_over:
        out.append(f"本届任期已于 {env.term.end.isoformat()} 届满，未见换届：请更新{env.term.label}并归档换届资料")
    elif not complete:
        scope = env.term.describe() if mode == "per_term" else "档案中"
        out.append(f"{scope}没有提及本项要点的材料{how}")
    if not codes and spec.explicit_key is not None and not counted:
        out.append("本单位没有对应此项的目录条目，请在归档时直接关联本项")
    if unmatched and status != SUFFICIENT:
        shown = "、".join(unmatched[:3]) + ("等" if len(unmatched) > 3 else "")
        out.append(f"{where} 下另有 {len(unmatched)} 件记录没有提到本项要点，不计入：{shown}"
                   "（如确是本项材料，请在题名中写明，或归档时关联本项）")
    for r in rule_checks:
        for ry in r.years:
            if not ry.due or ry.ok:
                continue
            if ry.count < r.min:
                out.append(f"{ry.year} 年无{r.name}记录" + (f"（要求每年至少 {r.min} 次）" if r.min > 1 else ""))
            elif r.max and ry.count > r.max:
                out.append(f"{ry.year} 年{r.name}有 {ry.count} 次，多于每年 {r.max} 次的要求（{r.printed}；"
                           "如把同一次会议算成了几次，请核对题名）")
    out += [o.reason for o in failing]
    return out


def _suggest(points: int, status: str, mode: str, complete: bool, env: ItemEnv, have: set[int],
             rule_checks: tuple[RuleCheck, ...], outcomes: tuple[CheckOutcome, ...], any_: bool) -> float:
    if status == SUFFICIENT:
        return float(points)
    if status == MISSING or not any_:
        return 0.0
    if mode == "yearly":
        parts = [len([y for y in env.due if y in have]) / len(env.due) if env.due else 1.0]
    else:
        parts = [1.0 if complete else 0.0]
    for r in rule_checks:
        due_years = [ry for ry in r.years if ry.due]
        parts.append(len([ry for ry in due_years if ry.ok]) / len(due_years) if due_years else 1.0)
    parts += [1.0 if o.verdict in (PASS, NOT_APPLICABLE) else 0.0 for o in outcomes]
    return _floor_step(points * sum(parts) / len(parts), env.cov.settings.suggest_step)
