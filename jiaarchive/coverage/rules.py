"""The coverage data: which catalogue entries prove which scoresheet item, and the report's rules.

Read from ``catalog/mapping.toml`` and ``catalog/coverage_rules.toml`` (files without a
top-level ``kind``, so ``standards.load()`` skips them) and checked against ``standards.load()``.

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
from datetime import date
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import CatalogInvalid
from ..standards import Standards, catalog_dir

MAPPING_FILE = "mapping.toml"
RULES_FILE = "coverage_rules.toml"

STATUS_CONDITIONS = ("all_years", "rules_met", "any")
VETO_CHECKS = ("organisation", "labour_law", "democracy", "satisfaction", "membership", "incidents", "other")


@dataclass(frozen=True)
class Link:
    """One mapping link: records under ``code`` usually prove the item, because ``reason``."""

    code: str
    reason: str


@dataclass(frozen=True)
class ItemMapping:
    """Links of one scoresheet item (``sheet``/``no``) or one 模范 standard item (``standard``/``project``)."""

    key: tuple[str, str]  # (sheet id, "14") or (standard title, "民主之家")
    links: tuple[Link, ...]
    rules: tuple[str, ...] = ()


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
class VetoCheck:
    grade: str
    no: int
    check: str
    options: dict[str, Any]


@dataclass(frozen=True)
class CoverageSettings:
    window_years: int = 3
    count_basically_satisfied: bool = True
    membership_decided_by: str = "sheet"
    current_year_grace_until: tuple[int, int] | None = (9, 30)
    suggest_step: float = 0.5
    default_grade: str = "先进"
    as_of: date | None = None  # the planned inspection date; None: today


@dataclass(frozen=True)
class CoverageRules:
    settings: CoverageSettings
    mappings: dict[tuple[str, str], ItemMapping]
    yearly: tuple[YearlyRule, ...]
    statuses: tuple[StatusRule, ...]
    veto_checks: tuple[VetoCheck, ...]
    material_titles: dict[str, tuple[str, ...]]
    photo_patterns: tuple[re.Pattern[str], ...]
    form_fields: dict[str, str]

    def mapping(self, owner: str, item: int | str) -> ItemMapping:
        return self.mappings.get((owner, str(item)), ItemMapping((owner, str(item)), ()))

    def yearly_rule(self, rule_id: str, unit_type: str, level: str) -> YearlyRule | None:
        for r in self.yearly:
            if r.id == rule_id and r.applies(unit_type, level):
                return r
        return None

    def veto_check(self, grade: str, no: int) -> VetoCheck | None:
        for v in self.veto_checks:
            if v.grade == grade and v.no == no:
                return v
        return None


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
        elif key == "window_years":
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 10:
                raise _fail(where, f"window_years 应为 1 到 10 的整数，现为{value!r}")
            out[key] = value
        else:
            out[key] = type(getattr(base, key))(value)
    return replace(base, **out)


@functools.lru_cache(maxsize=8)
def _load_base(folder: Path) -> CoverageRules:
    mp, rp = folder / MAPPING_FILE, folder / RULES_FILE
    mapping, rules = _read(mp), _read(rp)
    mappings: dict[tuple[str, str], ItemMapping] = {}
    for i, row in enumerate(mapping.get("item", []), 1):
        where = f"{MAPPING_FILE} 第{i}个 [[item]]"
        if "sheet" in row:
            key = (str(row["sheet"]), str(row.get("no", "")))
        elif "standard" in row:
            key = (str(row["standard"]), str(row.get("project", "")))
        else:
            raise _fail(where, "缺少 sheet/no 或 standard/project")
        if key in mappings:
            raise _fail(where, f"{key[0]} {key[1]} 重复")
        links = tuple(_parse_link(x, where) for x in row.get("links", []))
        mappings[key] = ItemMapping(key, links, tuple(str(r) for r in row.get("rules", [])))
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
    statuses = tuple(StatusRule(str(s["name"]), tuple(s.get("when", [])), str(s.get("explain", ""))) for s in rules.get("status", []))
    for s in statuses:
        bad = [c for c in s.when if c not in STATUS_CONDITIONS]
        if bad:
            raise _fail(RULES_FILE, f"状态“{s.name}”的条件 {bad} 未知（可用：{'、'.join(STATUS_CONDITIONS)}）")
    if not statuses or statuses[-1].when:
        raise _fail(RULES_FILE, "最后一条 [[status]] 必须没有条件（兜底状态）")
    checks = []
    for row in rules.get("veto_check", []):
        if row.get("check") not in VETO_CHECKS:
            raise _fail(RULES_FILE, f"否决判断器“{row.get('check')}”未知（可用：{'、'.join(VETO_CHECKS)}）")
        opts = {k: v for k, v in row.items() if k not in ("grade", "no", "check")}
        checks.append(VetoCheck(str(row["grade"]), int(row["no"]), str(row["check"]), opts))
    materials = {str(r["key"]): tuple(r.get("title_keywords", [])) for r in rules.get("material_find", [])}
    try:
        patterns = tuple(re.compile(p, re.IGNORECASE) for p in rules.get("photos", {}).get("meaningless_title_patterns", []))
    except re.error as exc:
        raise _fail(RULES_FILE, f"照片命名规则的正则表达式有误（{exc}）") from exc
    return CoverageRules(
        settings=_settings(rules.get("settings", {}), RULES_FILE),
        mappings=mappings,
        yearly=yearly,
        statuses=statuses,
        veto_checks=tuple(checks),
        material_titles=materials,
        photo_patterns=patterns,
        form_fields={str(k): str(v) for k, v in rules.get("form_fields", {}).items()},
    )


def load(standards: Standards, overrides: dict[str, Any] | None = None, folder: Path | None = None) -> CoverageRules:
    """The coverage rules, checked against ``standards``, with an archive's ``[coverage]`` overrides."""
    base = _load_base((folder or (standards.path or catalog_dir())).resolve())
    check(base, standards)
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
    }


def check(rules: CoverageRules, standards: Standards) -> None:
    """Every mapped item, code, rule and veto must exist in the standards; raises CatalogInvalid."""
    codes = set(standards.catalogue.codes())
    sheets = {s.id: s for s in standards.scoresheets}
    stds = {s.title: s for s in standards.standards}
    rule_ids = {r.id for r in rules.yearly}
    for (owner, item), m in rules.mappings.items():
        if owner in sheets:
            if not any(str(it.no) == item for it in sheets[owner].items):
                raise _fail(MAPPING_FILE, f"评分表 {owner} 没有第{item}项")
        elif owner in stds:
            if not any(it.project == item for it in stds[owner].items):
                raise _fail(MAPPING_FILE, f"“{owner}”没有创建项目“{item}”")
        else:
            raise _fail(MAPPING_FILE, f"“{owner}”既不是评分表编号，也不是标准表名")
        for link in m.links:
            if link.code not in codes:
                raise _fail(MAPPING_FILE, f"{owner} {item} 引用的目录编号“{link.code}”不存在")
        for r in m.rules:
            if r not in rule_ids:
                raise _fail(MAPPING_FILE, f"{owner} {item} 引用的逐年规则“{r}”不存在")
    for s in standards.scoresheets:
        for it in s.items:
            if (s.id, str(it.no)) not in rules.mappings:
                raise _fail(MAPPING_FILE, f"评分表 {s.id} 第{it.no}项没有对应的目录条目")
    for r in rules.yearly:
        for c in r.codes:
            if c not in codes:
                raise _fail(RULES_FILE, f"逐年规则“{r.id}”引用的目录编号“{c}”不存在")
    for v in rules.veto_checks:
        if not any(x.grade == v.grade and x.no == v.no for x in standards.vetoes):
            raise _fail(RULES_FILE, f"{v.grade}否决条件第{v.no}条不存在")
