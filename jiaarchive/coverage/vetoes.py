"""Veto conditions (否决条件) and prerequisites (申报前提), each decided by named checks from data.

A veto's checks come from ``coverage_rules.toml [[veto]]``; for a 小家 the conditions speak of
its 基层工会, so the checks marked ``xiaojia = "parent"`` read the parent union's facts
(``parent.*`` in the profile) and look thresholds up at the parent's level.  Prerequisites
(“在成功创建合格职工之家（小家）基础上……”) are checked against the unit's own honours.
"""

from __future__ import annotations

from collections.abc import Callable

from ..standards import Standards
from . import checks as checks_mod
from .checks import CheckSpec, Subject
from .model import NOT_APPLICABLE, PASS, UNKNOWN, VETO, CheckOutcome, PrerequisiteResult, VetoResult, combine
from .rules import CoverageRules

MakeContext = Callable[[str, Subject], checks_mod.Context]


def _subject(spec_subject: str, default: str, own: Subject, parent: Subject | None) -> Subject:
    wanted = spec_subject or default
    return parent if wanted == "parent" and parent is not None else own


def _join(outcomes: list[CheckOutcome]) -> str:
    reasons = [o.reason for o in outcomes if o.reason]
    notes = [n for o in outcomes for n in o.notes]
    return "；".join(reasons + notes)


def _run(specs: tuple[CheckSpec, ...], default: str, grade: str, own: Subject, parent: Subject | None,
         make: MakeContext) -> list[CheckOutcome]:
    out = []
    for spec in specs:
        o = checks_mod.run(spec, make(grade, _subject(spec.subject, default, own, parent)))
        if o is not None:
            out.append(o)
    return out


def assess_vetoes(std: Standards, cov: CoverageRules, grade: str, own: Subject, parent: Subject | None,
                  make: MakeContext) -> tuple[VetoResult, ...]:
    results = []
    for v in std.vetoes_for(grade):
        spec = cov.veto(grade, v.no)
        assert spec is not None  # rules.problems() refuses data without one
        default = spec.xiaojia if parent is not None else "own"
        outcomes = _run(spec.checks, default, grade, own, parent, make)
        verdict = combine([o.verdict for o in outcomes])
        missing = tuple(dict.fromkeys(k for o in outcomes for k in o.missing))
        who = parent.name if parent is not None and default == "parent" else own.name
        results.append(VetoResult(v.no, v.text, verdict, _join(outcomes), missing, v.source, who, tuple(outcomes)))
    return tuple(results)


def assess_prerequisites(std: Standards, cov: CoverageRules, grade: str, own: Subject,
                         make: MakeContext) -> tuple[PrerequisiteResult, ...]:
    out = []
    spec = cov.prerequisite_check
    for p in std.prerequisites_for(grade):
        if spec is None:
            continue
        ctx = make(grade, own)
        ctx.requires = p.requires
        o = checks_mod.run(spec, ctx)
        if o is None:
            continue
        out.append(PrerequisiteResult(p.grade, p.requires, p.printed, p.source, o.verdict, o.reason, o.missing))
    return tuple(out)


def veto_summary(vetoes: tuple[VetoResult, ...]) -> str:
    """The sentence under the verdict: counts and numbers from the results, never a fixed word."""
    if not vetoes:
        return "没有适用的否决条件。"
    by = {k: [str(v.no) for v in vetoes if v.verdict == k] for k in (VETO, UNKNOWN, NOT_APPLICABLE)}
    if by[VETO]:
        text = f"第{'、'.join(by[VETO])}条否决（{len(by[VETO])} 项），评分不能作为申报依据"
        if by[UNKNOWN]:
            text += f"；另有第{'、'.join(by[UNKNOWN])}条无法判断"
        return text + "。"
    if by[UNKNOWN]:
        return f"第{'、'.join(by[UNKNOWN])}条无法判断（{len(by[UNKNOWN])} 项），请补充单位简况。"
    na = f"（其中第{'、'.join(by[NOT_APPLICABLE])}条不适用）" if by[NOT_APPLICABLE] else ""
    return f"{len(vetoes)} 项否决条件均未触及{na}。"


def prerequisite_summary(results: tuple[PrerequisiteResult, ...]) -> str:
    if not results:
        return ""
    verdict = combine([p.verdict for p in results])
    needs = "、".join(f"申报{p.grade}须先获得{p.requires}称号" for p in results)
    if verdict == PASS:
        return f"申报前提已满足（{needs}）。"
    if verdict == VETO:
        return f"未满足申报前提：{needs}。"
    return f"无法判断申报前提（{needs}）：请在单位简况中填写已获荣誉称号。"
