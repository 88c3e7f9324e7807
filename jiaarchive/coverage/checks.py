"""Named checks (判断器): one function per kind, registered from data.

``catalog/coverage_rules.toml`` (vetoes, the prerequisite) and ``catalog/mapping.toml`` (item
thresholds) name a check's ``kind`` and its parameters; ``KINDS`` maps each kind to its parameter
type and its function.  A veto, a prerequisite or an item's thresholds are lists of such checks,
each giving 通过 / 否决 / 未知 / 不适用 with a reason a clerk can act on.  Nothing here knows a
catalogue code, a profile key, an item number or a sentence of the standard: they are parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, dataclass, fields
from datetime import date
from typing import Any

from ..standards import Standards
from . import measure
from .model import NOT_APPLICABLE, PASS, UNKNOWN, VETO, CheckOutcome, RuleCheck, SatisfactionView
from .profile import NONE_WORDS, Event, Facts


def years_after(d: date, years: int) -> date:
    """The same day ``years`` later (earlier when negative); 29 February becomes the 28th."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


# ---------------------------------------------------------------- parameters of each kind
# Each is a frozen dataclass; ``profile_keys`` etc. let rules.py check the data against the
# profile's fields, the thresholds, the yearly rules and the catalogue.


@dataclass(frozen=True)
class FactsTrue:
    facts: tuple[str, ...]

    def profile_keys(self) -> dict[str, str]:
        return {k: "bool" for k in self.facts}


@dataclass(frozen=True)
class TermCurrent:
    elected: str
    term: str

    def profile_keys(self) -> dict[str, str]:
        return {self.elected: "date", self.term: "term"}


@dataclass(frozen=True)
class Ballots:
    satisfied: str
    basically: str
    dissatisfied: str
    date: str
    threshold: str
    date_basis: str = ""

    def profile_keys(self) -> dict[str, str]:
        return {self.satisfied: "int", self.basically: "int", self.dissatisfied: "int", self.date: "date"}

    def threshold_kinds(self) -> tuple[str, ...]:
        return (self.threshold,)


@dataclass(frozen=True)
class Rate:
    numerator: str
    denominator: str
    threshold: str

    def profile_keys(self) -> dict[str, str]:
        return {self.numerator: "int", self.denominator: "int"}

    def threshold_kinds(self) -> tuple[str, ...]:
        return (self.threshold,)


@dataclass(frozen=True)
class EventsNone:
    events: tuple[str, ...]
    years: int

    def profile_keys(self) -> dict[str, str]:
        return {k: "events" for k in self.events}


@dataclass(frozen=True)
class Statement:
    key: str

    def profile_keys(self) -> dict[str, str]:
        return {self.key: "text"}


@dataclass(frozen=True)
class Yearly:
    rule: str
    effect: str = "note"  # "unknown": a missing year leaves the verdict 未知; "note": only said

    def rule_ids(self) -> tuple[str, ...]:
        return (self.rule,)


@dataclass(frozen=True)
class EvidencePresent:
    codes: tuple[str, ...]
    what: str

    def catalogue_codes(self) -> tuple[str, ...]:
        return self.codes


@dataclass(frozen=True)
class TitleHeld:
    titles: str

    def profile_keys(self) -> dict[str, str]:
        return {self.titles: "events"}


# ---------------------------------------------------------------- what a check sees


@dataclass(frozen=True)
class CheckSpec:
    """One check as the data wrote it: its kind, parameters and where it applies."""

    kind: str
    params: Any
    unit_types: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    not_required: str = ""  # said when the check does not apply to this unit
    subject: str = ""  # "own" / "parent": overrides the veto's choice for a 小家


@dataclass(frozen=True)
class Subject:
    """Whose facts a check reads, and the scope its thresholds are looked up for."""

    facts: Facts
    unit_type: str
    level: str
    name: str = ""  # "" the unit itself, else e.g. "上级工会（基层工会）"


@dataclass
class Context:
    """Everything a check may look at (built once per report by ``assess``)."""

    std: Standards
    grade: str
    subject: Subject
    unit_level: str  # the archive's own level (what ``CheckSpec.levels`` filters on)
    as_of: date
    window_start: date
    due_years: tuple[int, ...]
    count_basically_satisfied: bool
    decided_by: str
    sheet_doc_no: str | None
    yearly: Callable[[str], RuleCheck | None]
    evidence_count: Callable[[tuple[str, ...]], int]
    titles_held: Callable[[tuple[Event, ...], str, str], list[tuple[Event, str]]]
    requires: str = ""  # title_held: the grade whose title is required

    def labels(self, keys: list[str] | tuple[str, ...]) -> str:
        return "、".join(self.subject.facts.label(k) for k in keys)

    def keys(self, keys: list[str] | tuple[str, ...]) -> tuple[str, ...]:
        """Profile keys as a clerk types them (``parent.…`` for the parent union's facts)."""
        return tuple(self.subject.facts.prefix + k for k in keys)


def _out(kind: str, verdict: str, reason: str, **kw: Any) -> CheckOutcome:
    return CheckOutcome(kind=kind, verdict=verdict, reason=reason, **kw)


# ---------------------------------------------------------------- one function per kind


def facts_true(p: FactsTrue, ctx: Context) -> CheckOutcome:
    f = ctx.subject.facts
    bad = [f.negative(k) for k in p.facts if f.get(k) is False]
    missing = [k for k in p.facts if f.get(k) is None]
    if bad:
        return _out("facts_true", VETO, "；".join(bad))
    if missing:
        return _out("facts_true", UNKNOWN, "缺少：" + ctx.labels(missing), missing=ctx.keys(missing))
    return _out("facts_true", PASS, "已填报：" + ctx.labels(p.facts))


def term_current(p: TermCurrent, ctx: Context) -> CheckOutcome:
    f = ctx.subject.facts
    elected, term = f.get(p.elected), f.get(p.term)
    missing = [k for k, v in ((p.elected, elected), (p.term, term)) if not v]
    if missing:
        return _out("term_current", UNKNOWN, "缺少：" + ctx.labels(missing), missing=ctx.keys(missing))
    on = date.fromisoformat(elected)
    label = f.label(p.elected)
    if on > ctx.as_of:
        return _out("term_current", UNKNOWN, f"{label} {elected} 晚于报告日期 {ctx.as_of.isoformat()}，请核对",
                    missing=ctx.keys([p.elected]))
    due = years_after(on, term)
    if due < ctx.as_of:
        return _out("term_current", VETO, f"{label} {elected}，任期 {term} 年，应于 {due.isoformat()} 前换届，"
                                          f"已逾期 {(ctx.as_of - due).days} 天，未按时换届")
    return _out("term_current", PASS, f"{label} {elected}，任期 {term} 年，{due.isoformat()} 前换届")


def ballots(p: Ballots, ctx: Context) -> CheckOutcome:
    f = ctx.subject.facts
    counts = {k: f.get(k) for k in (p.satisfied, p.basically, p.dissatisfied)}
    missing = [k for k, v in counts.items() if v is None]
    if missing:
        return _out("ballots", UNKNOWN, "缺少会员评家测评原始票数：" + ctx.labels(missing), missing=ctx.keys(missing))
    s_, b_, d_ = counts[p.satisfied], counts[p.basically], counts[p.dissatisfied]
    total = s_ + b_ + d_
    if total == 0:
        return _out("ballots", UNKNOWN, "会员评家测评原始票数都是 0", missing=ctx.keys(list(counts)))
    ths, deciding = measure.thresholds_for(ctx.std, p.threshold, ctx.grade, ctx.subject.unit_type,
                                           ctx.subject.level, sheet_doc_no=None, decided_by=ctx.decided_by)
    counted = measure.rate_view("满意度（满意+基本满意）", s_ + b_, total, ths, deciding)
    strict = measure.rate_view("满意度（只计满意）", s_, total, ths, deciding)
    if ctx.count_basically_satisfied:
        used, other, how = counted, strict, "满意+基本满意"
        why = "本档案设置“基本满意”计入满意（原文只写“满意度（以测评原始票为据）”，没有说明“基本满意”如何计）"
    else:
        used, other, how = strict, counted, "满意"
        why = "本档案设置“基本满意”不计入满意（原文只写“满意度（以测评原始票为据）”，没有说明“基本满意”如何计）"
    on_text = f.get(p.date)
    on = date.fromisoformat(on_text) if on_text else None
    view = SatisfactionView(s_, b_, d_, total, counted, strict, how, why, on, ctx.count_basically_satisfied)
    shown = (f"满意 {s_}、基本满意 {b_}、不满意 {d_}，共 {total} 票；满意+基本满意 {counted.text}，"
             f"只计满意 {strict.text}")
    if deciding is None:
        return _out("ballots", NOT_APPLICABLE, shown + "；标准没有为本单位规定满意度门槛", satisfaction=view)
    notes = ()
    if used.met and not other.met:
        notes = (f"若按“{'满意' if how != '满意' else '满意+基本满意'}”计为 {other.shown}，"
                 f"未达到 {deciding.value:g}%：请向上级工会确认测评口径",)
    # the ballots must be the latest yearly evaluation: within the window, not older than the last due year
    recent_from = date(ctx.due_years[-1], 1, 1) if ctx.due_years else ctx.window_start
    date_label = f.label(p.date)
    if on is None:
        return _out("ballots", UNKNOWN, f"{shown}；缺少{date_label}，无法确认是最近一次测评",
                    missing=ctx.keys([p.date]), satisfaction=view, rate=used)
    if on > ctx.as_of:
        return _out("ballots", UNKNOWN, f"{shown}；{date_label} {on_text} 晚于报告日期 {ctx.as_of.isoformat()}",
                    missing=ctx.keys([p.date]), satisfaction=view, rate=used)
    if on < recent_from:
        basis = f"（{p.date_basis}）" if p.date_basis else ""
        return _out("ballots", UNKNOWN, f"{shown}；{date_label} {on_text} 早于 {recent_from.isoformat()}，"
                                        f"不是最近一年的测评{basis}，请录入最近一次测评的原始票数",
                    missing=ctx.keys([p.date]), satisfaction=view, rate=used)
    verdict = PASS if used.met else VETO
    reason = (f"{shown}（{date_label} {on_text}）；结论按“{how}”计：{used.shown}，"
              f"{'达到' if used.met else '未达到'} {deciding.value:g}%（{why}）")
    return _out("ballots", verdict, reason, notes=notes, satisfaction=view, rate=used)


def _threshold_name(std: Standards, kind: str) -> str:
    return next((t.name for t in std.thresholds if t.kind == kind), "比例")


def rate(p: Rate, ctx: Context) -> CheckOutcome:
    f = ctx.subject.facts
    name = _threshold_name(ctx.std, p.threshold)
    ths, deciding = measure.thresholds_for(ctx.std, p.threshold, ctx.grade, ctx.subject.unit_type,
                                           ctx.subject.level, sheet_doc_no=ctx.sheet_doc_no,
                                           decided_by=ctx.decided_by)
    scope = f"{ctx.subject.unit_type}{ctx.subject.level}"
    if deciding is None:
        return _out("rate", NOT_APPLICABLE, f"标准没有为{scope}申报{ctx.grade}规定{name}门槛，不适用")
    num, den = f.get(p.numerator), f.get(p.denominator)
    missing = [k for k, v in ((p.numerator, num), (p.denominator, den)) if v is None]
    if missing or not den:
        keys = missing or [p.denominator]
        return _out("rate", UNKNOWN, "缺少：" + ctx.labels(keys), missing=ctx.keys(keys))
    view = measure.rate_view(name, num, den, ths, deciding)
    verdict = PASS if view.met else VETO
    reason = (f"{name} {view.text}，按{deciding.source}的 {deciding.value:g}{deciding.unit} 判断"
              f"{'达标' if view.met else '未达标'}")
    others = [t for t in view.thresholds if not t.deciding]
    if others:
        reason += "；另有：" + "；".join(f"{t.name}（{t.source}）{'达到' if t.met else '未达到'}" for t in others)
    return _out("rate", verdict, reason, rate=view)


def events_none(p: EventsNone, ctx: Context) -> CheckOutcome:
    f = ctx.subject.facts
    since = years_after(ctx.as_of, -p.years)
    known = {k: f.events(k) for k in p.events}
    missing = [k for k, v in known.items() if v is None]
    recent = [e for evs in known.values() if evs for e in evs if since <= e.on <= ctx.as_of]
    if recent:
        return _out("events_none", VETO, "；".join(f"{e.on.isoformat()} {e.text}" for e in recent))
    if missing:
        return _out("events_none", UNKNOWN, f"未填报{ctx.labels(missing)}（没有请填“无”）", missing=ctx.keys(missing))
    older = any(evs for evs in known.values())
    return _out("events_none", PASS, f"{since.isoformat()} 以来未发生（{ctx.labels(p.events)}）"
                                     + ("；更早的不计" if older else ""))


def statement(p: Statement, ctx: Context) -> CheckOutcome:
    f = ctx.subject.facts
    value = f.get(p.key)
    label = f.label(p.key)
    if value is None:
        return _out("statement", UNKNOWN, f"未填报{label}（没有请填“无”）", missing=ctx.keys([p.key]))
    if str(value).strip().lower() in NONE_WORDS:
        return _out("statement", PASS, f"{label}：无")
    return _out("statement", VETO, f"{label}：{value}")


def yearly(p: Yearly, ctx: Context) -> CheckOutcome:
    rc = ctx.yearly(p.rule)
    if rc is None:
        return _out("yearly", NOT_APPLICABLE, "")
    if rc.met:
        return _out("yearly", PASS if p.effect == "unknown" else NOT_APPLICABLE,
                    f"{rc.name}：每个应检查的年度都有记录" if p.effect == "unknown" else "")
    gaps = "、".join(str(y) for y in rc.gap_years())
    text = f"{gaps} 年没有（或不符合次数要求的）{rc.name}记录（{rc.printed}）"
    if p.effect == "unknown":
        return _out("yearly", UNKNOWN, text + "，请归档记录或说明")
    return _out("yearly", NOT_APPLICABLE, "", notes=("注意：" + text,))


def evidence_present(p: EvidencePresent, ctx: Context) -> CheckOutcome:
    if ctx.evidence_count(p.codes):
        return _out("evidence", NOT_APPLICABLE, "")
    return _out("evidence", NOT_APPLICABLE, "", notes=(f"检查窗口内 {'、'.join(p.codes)} 没有{p.what}",))


def title_held(p: TitleHeld, ctx: Context) -> CheckOutcome:
    f = ctx.subject.facts
    events = f.events(p.titles)
    label = f.label(p.titles)
    if events is None:
        return _out("title_held", UNKNOWN, f"未填报{label}（没有请填“无”）", missing=ctx.keys([p.titles]))
    held = ctx.titles_held(events, ctx.requires, ctx.unit_level)
    if held:
        e, grade = held[0]
        return _out("title_held", PASS, f"已获{grade}称号：{e.on.isoformat()} {e.text}")
    shown = "；".join(f"{e.on.isoformat()} {e.text}" for e in events) or "无"
    return _out("title_held", VETO, f"{label}（{shown}）中没有{ctx.requires}{ctx.unit_level}称号")


@dataclass(frozen=True)
class Kind:
    params: type
    run: Callable[[Any, Context], CheckOutcome]


KINDS: dict[str, Kind] = {
    "facts_true": Kind(FactsTrue, facts_true),
    "term_current": Kind(TermCurrent, term_current),
    "ballots": Kind(Ballots, ballots),
    "rate": Kind(Rate, rate),
    "events_none": Kind(EventsNone, events_none),
    "statement": Kind(Statement, statement),
    "yearly": Kind(Yearly, yearly),
    "evidence": Kind(EvidencePresent, evidence_present),
    "title_held": Kind(TitleHeld, title_held),
}


def make_params(kind: str, raw: dict[str, Any]) -> Any:
    """The parameters of ``kind`` from the data; raises ValueError with a Chinese reason."""
    if kind not in KINDS:
        raise ValueError(f"判断器“{kind}”未知（可用：{'、'.join(KINDS)}）")
    typ = KINDS[kind].params
    known = {f.name: f for f in fields(typ)}
    unknown = [k for k in raw if k not in known]
    if unknown:
        raise ValueError(f"判断器“{kind}”没有参数“{'、'.join(unknown)}”（可用：{'、'.join(known)}）")
    values: dict[str, Any] = {}
    for name, fld in known.items():
        if name not in raw:
            if fld.default is MISSING:
                raise ValueError(f"判断器“{kind}”缺少参数“{name}”")
            continue
        value = raw[name]
        if "tuple" in str(fld.type):
            if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
                raise ValueError(f"判断器“{kind}”的参数“{name}”应为非空的文字列表")
            value = tuple(value)
        elif fld.type == "int":
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"判断器“{kind}”的参数“{name}”应为正整数")
        elif not isinstance(value, str) or not value.strip():
            raise ValueError(f"判断器“{kind}”的参数“{name}”应为文字")
        values[name] = value
    if kind == "yearly" and values.get("effect", "note") not in ("note", "unknown"):
        raise ValueError("判断器“yearly”的 effect 应为 note 或 unknown")
    return typ(**values)


def run(spec: CheckSpec, ctx: Context) -> CheckOutcome | None:
    """Evaluate one check; None when it is filtered out for this unit without a word to say."""
    if (spec.unit_types and ctx.subject.unit_type not in spec.unit_types) or (
            spec.levels and ctx.unit_level not in spec.levels):
        if spec.not_required:
            return _out(spec.kind, NOT_APPLICABLE, f"{ctx.subject.unit_type}{ctx.unit_level}不要求：{spec.not_required}")
        return None
    return KINDS[spec.kind].run(spec.params, ctx)
