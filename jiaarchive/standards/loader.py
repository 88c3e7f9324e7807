"""Reading ``catalog/`` into the model: ``load()`` and ``check()``.

Every ``*.toml`` with a top-level ``kind`` (catalogue, scoresheet, document, units, retention)
is standards data; files without ``kind`` (the coverage rules, the search synonyms table) are
not read here.  ``load()`` builds a ``Standards`` or raises ``CatalogInvalid``; ``check()``
never raises for bad data and reports every problem (see ``checks``).
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jiaarchive

from ..errors import CatalogInvalid
from .checks import KIND_ERROR, CheckResult, Problem, ProblemLog, SheetSummary, cross_checks
from .model import (
    CODE_RE, MONTH_DAY_RE, NOTE_RULES, SHEET_ID_RE, Catalogue, CatalogueNote, Document, Entry, FormField, Grade,
    InspectionStep, Material, Prerequisite, RegistrationForm, RetentionPeriod, ScoreItem, Scoresheet, SheetMapping,
    Standard, StandardItem, Standards, Threshold, VetoRule, Volume, Window, code_key,
)


def _s(value: Any) -> str:
    """A string read from TOML, or "" when the file holds another type (already reported)."""
    return value if isinstance(value, str) else ""


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
        "prerequisites",
    },
    "units": {"unit_types", "levels", "xiaojia_level", "parent_level", "sheet_for"},
    "retention": {"periods", "default_period", "defaults"},
}


class _Builder:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.log = ProblemLog()
        self.sheets: list[Scoresheet] = []

    # -- problem recording ----------------------------------------------------

    @property
    def problems(self) -> list[Problem]:
        return self.log.problems

    def error(self, where: str, message: str) -> None:
        self.log.error(where, message)

    def official(self, where: str, message: str) -> None:
        self.log.official(where, message)

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
        unit_types, levels, xiaojia_level, parent_level = units[:4] if units else ((), (), "", "")
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
        cross_checks(self.log, str(self.root), grades, parts, sheets)

        mappings: tuple[SheetMapping, ...] = ()
        if units:
            mappings = units[4]
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
            prerequisites=tuple(parts["prerequisites"]),
            xiaojia_level=xiaojia_level,
            parent_level=parent_level,
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
        parent_level = self._str(data, "parent_level", name)
        for key, value in (("xiaojia_level", xiaojia_level), ("parent_level", parent_level)):
            if value and value not in levels:
                self.error(name, f"“{key}”的值“{value}”不在 levels 中")
        if parent_level and parent_level == xiaojia_level:
            self.error(name, "“parent_level”（小家的上级工会所在层级）不能与 xiaojia_level 相同")
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
        return unit_types, levels, xiaojia_level, parent_level, tuple(mappings)

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
            volumes.append(Volume(letter, vtitle, tuple(sorted(entries, key=code_key) if all(
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
        for i, row in enumerate(self._tables(data, "prerequisites", name), 1):
            w = f"{name} prerequisites 第{i}条"
            self._unknown_keys(row, {"grade", "requires", "printed", "source", "note"}, w)
            parts["prerequisites"].append(Prerequisite(
                self._str(row, "grade", w), self._str(row, "requires", w), self._str(row, "printed", w), doc_no,
                self._str(row, "source", w), _s(row.get("note", ""))))
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
