"""The coverage data: which records prove which item, and the report's rules and named checks.

Read from ``catalog/mapping.toml`` and ``catalog/coverage_rules.toml`` (files without a top-level
``kind``, so the standards loader skips them) and checked against the standards, the profile's
fields and the check kinds (``problems()`` lists every error; ``load()`` refuses data with one).

An archive may override, in its ``jiaarchive.toml``::

    [coverage]
    window_years = 3                    # any key of [settings] in coverage_rules.toml
    count_basically_satisfied = false

    [coverage.mapping.xianjin-shiye]    # per sheet id (or a 模范 standard title): item no -> links
    14 = ["F-1 换届选举资料", "F-6 会员代表大会纪要"]
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import CatalogInvalid
from ..standards import Standards, catalog_dir
from . import profile as profile_mod
from .checks import KINDS, CheckSpec, make_params
from .model import Link

MAPPING_FILE = "mapping.toml"
RULES_FILE = "coverage_rules.toml"

STATUS_CONDITIONS = ("evidence_complete", "rules_met", "any")
EVIDENCE_MODES = {"yearly": "检查窗口内每个年度都要有", "per_term": "本届任期内有即可", "once": "有过即可"}
SUBJECTS = ("own", "parent")
_SPECIAL_FORM_KEYS = ("unit_name", "manual")


@dataclass(frozen=True)
class ItemMapping:
    """One scoresheet item (``sheet``/``no``) or one 模范 standard item (``standard``/``project``)."""

    key: tuple[str, str]  # (sheet id, "14") or (standard title, "民主之家")
    links: tuple[Link, ...]
    rules: tuple[str, ...] = ()
    name: str = ""
    terms: tuple[str, ...] = ()
    evidence: str = "yearly"
    checks: tuple[CheckSpec, ...] = ()
    not_applicable_if: str = ""


@dataclass(frozen=True)
class YearlyRule:
    """Something the standard asks for every year (会员（代表）大会 at least once a year …)."""

    id: str
    name: str
    min: int
    max: int  # 0: no upper bound
    codes: tuple[str, ...]
    keywords: tuple[str, ...]
    tags: tuple[str, ...]
    unit_types: tuple[str, ...]
    levels: tuple[str, ...]
    printed: str
    source: str
    note: str = ""
    session_pattern: re.Pattern[str] | None = None

    def session_key(self, title: str, when: object, number: str) -> str:
        """What identifies one meeting: the pattern's groups, else the date, else the record."""
        m = self.session_pattern.search(title) if self.session_pattern else None
        if m:
            return "s:" + "|".join(g or "" for g in m.groups())
        return f"d:{when}" if when else f"r:{number}"

    def applies(self, unit_type: str, level: str) -> bool:
        return (not self.unit_types or unit_type in self.unit_types) and (not self.levels or level in self.levels)


@dataclass(frozen=True)
class StatusRule:
    name: str
    when: tuple[str, ...]
    explain: str


@dataclass(frozen=True)
class VetoSpec:
    """The named checks that decide one veto condition."""

    grade: str
    no: int
    checks: tuple[CheckSpec, ...]
    xiaojia: str = "own"  # whose facts a 小家's veto is judged on: "own" or "parent"


@dataclass(frozen=True)
class TitleSpec:
    """How a title the notice defines is written in the profile's 已获荣誉称号."""

    grade: str
    level: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class EvidenceSettings:
    term_elected: str = "elected_on"
    term_years: str = "term_years"


@dataclass(frozen=True)
class CoverageSettings:
    window_years: int = 3
    count_basically_satisfied: bool = True
    membership_decided_by: str = "sheet"
    current_year_grace_until: tuple[int, int] | None = (9, 30)
    suggest_step: float = 0.5
    default_grade: str = ""  # from the data (coverage_rules.toml [settings])
    standard_grade: str = ""  # whose standard tables (五家) are assessed item by item
    as_of: date | None = None  # the planned inspection date; None: today
    application_year: int | None = None  # None: the year of ``as_of``


@dataclass(frozen=True)
class CoverageRules:
    settings: CoverageSettings
    mappings: dict[tuple[str, str], ItemMapping]
    yearly: tuple[YearlyRule, ...]
    statuses: tuple[StatusRule, ...]
    vetoes: tuple[VetoSpec, ...]
    material_titles: dict[str, tuple[str, ...]]
    form_fields: dict[str, str]
    evidence: EvidenceSettings = EvidenceSettings()
    prerequisite_check: CheckSpec | None = None
    titles: tuple[TitleSpec, ...] = ()

    def mapping(self, owner: str, item: int | str) -> ItemMapping:
        return self.mappings.get((owner, str(item)), ItemMapping((owner, str(item)), ()))

    def yearly_rule(self, rule_id: str, unit_type: str, level: str) -> YearlyRule | None:
        for r in self.yearly:
            if r.id == rule_id and r.applies(unit_type, level):
                return r
        return None

    def veto(self, grade: str, no: int) -> VetoSpec | None:
        return next((v for v in self.vetoes if v.grade == grade and v.no == no), None)


def _fail(where: str, what: str) -> CatalogInvalid:
    return CatalogInvalid(f"迎检报告规则文件“{where}”有误：{what}。")


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _fail(path.name, f"无法读取（{exc}）") from exc


def _parse_link(text: str, where: str) -> Link:
    code, _, reason = str(text).strip().partition(" ")
    if not code or not reason.strip():
        raise _fail(where, f"对应“{text}”应写成“目录编号 理由”")
    return Link(code.upper(), reason.strip())


def _compile(pattern: str | None) -> re.Pattern[str] | None:
    if not pattern:
        return None
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise _fail(RULES_FILE, f"session_pattern“{pattern}”不是有效的正则表达式（{exc}）") from exc


def _strs(row: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = row.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(where, f"“{key}”应为文字列表")
    return tuple(value)


def _check_spec(raw: Any, where: str) -> CheckSpec:
    if not isinstance(raw, dict):
        raise _fail(where, "判断器应写成表（[[…check]]）")
    raw = dict(raw)
    kind = str(raw.pop("kind", ""))
    filters = {k: raw.pop(k) for k in ("unit_types", "levels", "not_required", "subject") if k in raw}
    try:
        params = make_params(kind, raw)
    except ValueError as exc:
        raise _fail(where, str(exc)) from None
    subject = str(filters.get("subject", ""))
    if subject and subject not in SUBJECTS:
        raise _fail(where, f"subject 应为 {' 或 '.join(SUBJECTS)}，现为“{subject}”")
    return CheckSpec(kind, params, _strs(filters, "unit_types", where), _strs(filters, "levels", where),
                     str(filters.get("not_required", "")), subject)


def _settings(raw: dict[str, Any], where: str) -> CoverageSettings:
    base = CoverageSettings()
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in CoverageSettings.__dataclass_fields__:
            continue  # [coverage] in jiaarchive.toml also holds "mapping"
        if key == "current_year_grace_until":
            if not value:
                out[key] = None
                continue
            m = re.fullmatch(r"(\d{2})-(\d{2})", str(value))
            if not m:
                raise _fail(where, f"current_year_grace_until 应为“月-日”，现为{value!r}")
            out[key] = (int(m[1]), int(m[2]))
        elif key == "membership_decided_by":
            if value not in ("sheet", "standard"):
                raise _fail(where, "membership_decided_by 应为 sheet 或 standard")
            out[key] = value
        elif key == "as_of":
            if not value:
                out[key] = None
                continue
            try:
                out[key] = value if isinstance(value, date) else date.fromisoformat(str(value))
            except ValueError:
                raise _fail(where, f"as_of（报告日期）应为 YYYY-MM-DD，现为{value!r}") from None
        elif key == "application_year":
            if value in ("", None, 0):
                out[key] = None
                continue
            if not str(value).isdigit() or not 2000 <= int(value) <= 2100:
                raise _fail(where, f"application_year（申报年度）应为年份，如 2021，现为{value!r}")
            out[key] = int(value)
        elif key == "window_years":
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 10:
                raise _fail(where, f"window_years 应为 1 到 10 的整数，现为{value!r}")
            out[key] = value
        else:
            out[key] = type(getattr(base, key))(value)
    return replace(base, **out)


def _mapping(row: dict[str, Any], where: str) -> ItemMapping:
    if "sheet" in row:
        key = (str(row["sheet"]), str(row.get("no", "")))
    elif "standard" in row:
        key = (str(row["standard"]), str(row.get("project", "")))
    else:
        raise _fail(where, "缺少 sheet/no 或 standard/project")
    where = f"{MAPPING_FILE} {key[0]} {key[1]}"
    known = {"sheet", "no", "standard", "project", "name", "links", "terms", "evidence", "rules", "check",
             "not_applicable_if"}
    unknown = [k for k in row if k not in known]
    if unknown:
        raise _fail(where, f"未知的字段“{'、'.join(unknown)}”")
    links = tuple(_parse_link(x, where) for x in row.get("links", []))
    codes = [lk.code for lk in links]
    dup = sorted({c for c in codes if codes.count(c) > 1})
    if dup:
        raise _fail(where, f"目录编号 {'、'.join(dup)} 写了不止一次（每个条目只写一条理由）")
    evidence = str(row.get("evidence", "yearly"))
    if evidence not in EVIDENCE_MODES:
        raise _fail(where, f"evidence 应为 {'、'.join(EVIDENCE_MODES)} 之一，现为“{evidence}”")
    checks = tuple(_check_spec(c, f"{where} 的判断器") for c in row.get("check", []))
    return ItemMapping(key, links, _strs(row, "rules", where), str(row.get("name", "")), _strs(row, "terms", where),
                       evidence, checks, str(row.get("not_applicable_if", "")))


@functools.lru_cache(maxsize=8)
def _load_base(folder: Path) -> CoverageRules:
    mapping, rules = _read(folder / MAPPING_FILE), _read(folder / RULES_FILE)
    mappings: dict[tuple[str, str], ItemMapping] = {}
    for i, row in enumerate(mapping.get("item", []), 1):
        m = _mapping(row, f"{MAPPING_FILE} 第{i}个 [[item]]")
        if m.key in mappings:
            raise _fail(MAPPING_FILE, f"{m.key[0]} {m.key[1]} 重复")
        mappings[m.key] = m
    yearly = tuple(
        YearlyRule(
            id=str(r["id"]), name=str(r["name"]), min=int(r.get("min", 1)), max=int(r.get("max", 0)),
            codes=tuple(r.get("codes", [])), keywords=tuple(r.get("keywords", [])), tags=tuple(r.get("tags", [])),
            unit_types=tuple(r.get("unit_types", [])), levels=tuple(r.get("levels", [])),
            printed=str(r.get("printed", "")), source=str(r.get("source", "")), note=str(r.get("note", "")),
            session_pattern=_compile(r.get("session_pattern")),
        )
        for r in rules.get("yearly", [])
    )
    statuses = tuple(StatusRule(str(s["name"]), tuple(s.get("when", [])), str(s.get("explain", "")))
                     for s in rules.get("status", []))
    for s in statuses:
        bad = [c for c in s.when if c not in STATUS_CONDITIONS]
        if bad:
            raise _fail(RULES_FILE, f"状态“{s.name}”的条件 {bad} 未知（可用：{'、'.join(STATUS_CONDITIONS)}）")
    if not statuses or statuses[-1].when:
        raise _fail(RULES_FILE, "最后一条 [[status]] 必须没有条件（兜底状态）")
    vetoes = []
    for row in rules.get("veto", []):
        where = f"{RULES_FILE} 否决条件 {row.get('grade', '')}第{row.get('no', '')}条"
        xiaojia = str(row.get("xiaojia", "own"))
        if xiaojia not in SUBJECTS:
            raise _fail(where, f"xiaojia 应为 {' 或 '.join(SUBJECTS)}")
        checks = tuple(_check_spec(c, where) for c in row.get("check", []))
        if not checks:
            raise _fail(where, "没有判断器（[[veto.check]]）")
        vetoes.append(VetoSpec(str(row.get("grade", "")), int(row.get("no", 0)), checks, xiaojia))
    pre = rules.get("prerequisite_check")
    prerequisite = _check_spec(pre, f"{RULES_FILE} [prerequisite_check]") if pre else None
    if prerequisite is not None and prerequisite.kind != "title_held":
        raise _fail(RULES_FILE, "[prerequisite_check] 的判断器应为 title_held")
    titles = tuple(TitleSpec(str(t.get("grade", "")), str(t.get("level", "")), _strs(t, "names", f"{RULES_FILE} [[title]]"))
                   for t in rules.get("title", []))
    ev = rules.get("evidence", {})
    evidence = EvidenceSettings(str(ev.get("term_elected", "elected_on")), str(ev.get("term_years", "term_years")))
    materials = {str(r["key"]): tuple(r.get("title_keywords", [])) for r in rules.get("material_find", [])}
    return CoverageRules(
        settings=_settings(rules.get("settings", {}), RULES_FILE),
        mappings=mappings,
        yearly=yearly,
        statuses=statuses,
        vetoes=tuple(vetoes),
        material_titles=materials,
        form_fields={str(k): str(v) for k, v in rules.get("form_fields", {}).items()},
        evidence=evidence,
        prerequisite_check=prerequisite,
        titles=titles,
    )


def load(standards: Standards, overrides: dict[str, Any] | None = None, folder: Path | None = None) -> CoverageRules:
    """The coverage rules, checked against ``standards``, with an archive's ``[coverage]`` overrides."""
    base = _load_base((folder or (standards.path or catalog_dir())).resolve())
    found = _problems_cached(base, standards)
    if found:
        where, what = found[0]
        raise _fail(where, what)
    if not overrides:
        return base
    settings = _settings({**base.settings.__dict__, **_raw_settings(base.settings), **overrides}, "jiaarchive.toml [coverage]")
    mappings = dict(base.mappings)
    for owner, items in (overrides.get("mapping") or {}).items():
        for no, links in items.items():
            key = (str(owner), str(no))
            old = mappings.get(key, ItemMapping(key, ()))
            mappings[key] = replace(old, links=tuple(_parse_link(x, "jiaarchive.toml [coverage.mapping]") for x in links))
    return replace(base, settings=settings, mappings=mappings)


def _raw_settings(s: CoverageSettings) -> dict[str, Any]:
    grace = s.current_year_grace_until
    return {
        "current_year_grace_until": f"{grace[0]:02d}-{grace[1]:02d}" if grace else "",
        "as_of": s.as_of.isoformat() if s.as_of else "",
        "application_year": s.application_year or "",
    }


def problems(standards: Standards, folder: Path | None = None) -> list[tuple[str, str]]:
    """Every error of the coverage data, as (where, what); [] when it is sound."""
    try:
        base = _load_base((folder or (standards.path or catalog_dir())).resolve())
    except CatalogInvalid as exc:
        return [(RULES_FILE, str(exc))]
    return list(_problems_cached(base, standards))


_CHECKED: dict[tuple[int, int], tuple[CoverageRules, Standards, tuple[tuple[str, str], ...]]] = {}


def _problems_cached(rules: CoverageRules, standards: Standards) -> tuple[tuple[str, str], ...]:
    """The problems of loaded (cached, never changed) rules against loaded standards, found once."""
    key = (id(rules), id(standards))
    hit = _CHECKED.get(key)
    if hit is None or hit[0] is not rules or hit[1] is not standards:
        hit = _CHECKED[key] = (rules, standards, tuple(_problems(rules, standards)))
    return hit[2]


def _check_problems(spec: CheckSpec, where: str, standards: Standards, rule_ids: set[str], codes: set[str]):
    p = spec.params
    for key, kind in getattr(p, "profile_keys", dict)().items():
        f = profile_mod.BY_KEY.get(key)
        if f is None or key.startswith(profile_mod.PARENT_PREFIX):
            yield where, f"简况中没有栏目“{key}”"
        elif f.kind != kind and not (kind == "text" and f.kind in ("text", "grade")):
            yield where, f"简况栏目“{key}”（{f.label}）的类型是 {f.kind}，判断器要的是 {kind}"
    for kind in getattr(p, "threshold_kinds", tuple)():
        if not any(t.kind == kind for t in standards.thresholds):
            yield where, f"标准数据中没有类别为“{kind}”的门槛"
    for rid in getattr(p, "rule_ids", tuple)():
        if rid not in rule_ids:
            yield where, f"逐年规则“{rid}”不存在"
    for code in getattr(p, "catalogue_codes", tuple)():
        if code not in codes:
            yield where, f"目录编号“{code}”不存在"
    for u in spec.unit_types:
        if u not in standards.unit_types:
            yield where, f"单位类型“{u}”不在 units.toml 中"
    for lv in spec.levels:
        if lv not in standards.levels:
            yield where, f"层级“{lv}”不在 units.toml 中"


def _problems(rules: CoverageRules, standards: Standards):
    codes = set(standards.catalogue.codes())
    sheets = {s.id: s for s in standards.scoresheets}
    stds = {s.title: s for s in standards.standards}
    rule_ids = {r.id for r in rules.yearly}
    grades = {g.name for g in standards.grades}
    for (owner, item), m in rules.mappings.items():
        where = f"{MAPPING_FILE} {owner} {item}"
        if owner in sheets:
            if not any(str(it.no) == item for it in sheets[owner].items):
                yield where, f"评分表 {owner} 没有第{item}项"
        elif owner in stds:
            if not any(it.project == item for it in stds[owner].items):
                yield where, f"“{owner}”没有创建项目“{item}”"
        else:
            yield where, f"“{owner}”既不是评分表编号，也不是标准表名"
        if not m.name or not m.terms or not m.links:
            yield where, "每一项都要有 name、terms 和 links"
        for link in m.links:
            if link.code not in codes:
                yield where, f"引用的目录编号“{link.code}”不存在"
        for r in m.rules:
            if r not in rule_ids:
                yield where, f"引用的逐年规则“{r}”不存在"
        for spec in m.checks:
            yield from _check_problems(spec, where, standards, rule_ids, codes)
    owners = [(s.id, str(it.no)) for s in standards.scoresheets for it in s.items]
    owners += [(s.title, it.project) for s in standards.standards if s.grade == rules.settings.standard_grade
               for it in s.items]
    for owner, item in owners:
        if (owner, item) not in rules.mappings:
            yield MAPPING_FILE, f"{owner} {item} 没有对应（每一项都要写 links 和 terms）"
    for r in rules.yearly:
        for c in r.codes:
            if c not in codes:
                yield RULES_FILE, f"逐年规则“{r.id}”引用的目录编号“{c}”不存在"
    for v in rules.vetoes:
        where = f"{RULES_FILE} 否决条件 {v.grade}第{v.no}条"
        if not any(x.grade == v.grade and x.no == v.no for x in standards.vetoes):
            yield where, "标准数据中没有这条否决条件"
        for spec in v.checks:
            yield from _check_problems(spec, where, standards, rule_ids, codes)
    for x in standards.vetoes:
        if rules.veto(x.grade, x.no) is None:
            yield RULES_FILE, f"{x.grade}否决条件第{x.no}条没有判断器（[[veto]]）"
    if standards.prerequisites and rules.prerequisite_check is None:
        yield RULES_FILE, "标准数据有申报前提，但没有 [prerequisite_check]"
    if rules.prerequisite_check is not None:
        yield from _check_problems(rules.prerequisite_check, f"{RULES_FILE} [prerequisite_check]", standards,
                                   rule_ids, codes)
    for key in ("default_grade", "standard_grade"):
        value = getattr(rules.settings, key)
        if value not in grades:
            yield RULES_FILE, f"[settings] {key}“{value}”不是已定义的创建层级"
    for t in rules.titles:
        if t.grade not in grades:
            yield RULES_FILE, f"荣誉称号的层级“{t.grade}”未定义"
        if t.level not in standards.levels:
            yield RULES_FILE, f"荣誉称号的层级“{t.level}”不在 units.toml 的 levels 中"
    for p in standards.prerequisites:
        for level in standards.levels:
            if not any(t.grade == p.requires and t.level == level for t in rules.titles):
                yield RULES_FILE, f"申报{p.grade}要求已获{p.requires}，但没有{p.requires}{level}称号的写法（[[title]]）"
    for key, _ in rules.material_titles.items():
        if not any(m.key == key for m in standards.materials):
            yield RULES_FILE, f"申报材料“{key}”不存在"
    for label, key in rules.form_fields.items():
        if key not in _SPECIAL_FORM_KEYS and key not in profile_mod.BY_KEY:
            yield RULES_FILE, f"登记表栏目“{label}”对应的简况栏目“{key}”不存在"
    for key in (rules.evidence.term_elected, rules.evidence.term_years):
        if key not in profile_mod.BY_KEY:
            yield RULES_FILE, f"[evidence] 的简况栏目“{key}”不存在"


__all__ = ["CoverageRules", "CoverageSettings", "EvidenceSettings", "ItemMapping", "KINDS", "StatusRule",
           "TitleSpec", "VetoSpec", "YearlyRule", "load", "problems", "EVIDENCE_MODES"]
