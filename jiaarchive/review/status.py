"""``review status``: every unit of the workspace ranked for the review meeting.

For each unit, from its bundle's coverage report (``coverage.assess`` ran in the unit's own
archive when it exported; nothing is re-scored here) and the inspection group's 评定分 entered in
the workspace: the veto verdict (通过 / 否决 / 未知), the self-check total (自查分) and the
inspector total (评定分) against the threshold (80, from the scoresheet in catalog/), the items
缺失 and 薄弱, the application materials missing, the deadlines (days left counted from today)
and the 3-year re-inspections due.

Ranking: units that may apply first (通过, then 未知, then 否决), then by the best total known
(评定分 when the group has scored every item it scored in the unit, else 自查分), then by fewer
items 缺失.  Renderers (XLSX, HTML) only lay this out.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from .models import ReviewScore, ReviewUnit
from .workspace import Workspace

VERDICT_ORDER = {"通过": 0, "未知": 1, "否决": 2}


@dataclass(frozen=True)
class Due:
    name: str
    date: str | None
    days_left: int | None
    kind: str  # window / reinspection / notice


@dataclass
class UnitStatus:
    rank: int
    unit: str
    unit_type: str
    level: str
    application_year: int | None
    records: int
    veto: str
    veto_summary: str
    threshold: float | None
    self_total: float | None
    inspector_total: float | None
    inspector_items: int
    missing_items: list[str]
    weak_items: list[str]
    materials_missing: list[str]
    deadlines: list[Due] = field(default_factory=list)
    reinspections: list[Due] = field(default_factory=list)
    exported_at: str = ""
    folder: str = ""

    @property
    def best_total(self) -> float | None:
        return self.inspector_total if self.inspector_items else self.self_total

    @property
    def meets(self) -> bool | None:
        t = self.best_total
        return None if t is None or self.threshold is None else t >= self.threshold

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["best_total"] = self.best_total
        out["meets_threshold"] = self.meets
        return out


def _days(d: str | None, today: date) -> int | None:
    if not d:
        return None
    try:
        return (date.fromisoformat(d[:10]) - today).days
    except ValueError:
        return None


def default_threshold() -> float | None:
    """The 自查分 threshold of the standards (catalog/), for a unit whose report has none (no 申报层级 set)."""
    from ..standards import load

    values = [t.value for t in load().thresholds if t.kind == "self_check_score"]
    return min(values) if values else None


def _number(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(v) if math.isfinite(v) else None


def _dicts(v: Any) -> list[dict]:
    return [x for x in v if isinstance(x, dict)] if isinstance(v, list) else []


def clean_coverage(raw: Any) -> dict[str, Any]:
    """A unit's coverage report as its bundle gave it (not trusted): only the parts of the shape
    ``coverage.assess`` writes, so one odd bundle cannot stop the ranking of every unit."""
    cov = raw if isinstance(raw, dict) else {}
    t = cov.get("totals") if isinstance(cov.get("totals"), dict) else {}
    totals = {k: _number(t.get(k)) for k in ("threshold", "self", "inspector")}
    totals.update({k: int(_number(t.get(k)) or 0) for k in ("self_entered", "inspector_entered")})
    items = []
    for it in _dicts(cov.get("items")):
        no = it.get("no")
        if isinstance(no, int) and not isinstance(no, bool):
            items.append({"no": no, "name": str(it.get("name") or ""), "points": _number(it.get("points")),
                          "status": str(it.get("status") or "")})
    materials = [{"name": str(m.get("name") or ""), "missing": [str(x) for x in m.get("missing")]}
                 for m in _dicts(cov.get("materials")) if isinstance(m.get("missing"), list)]
    deadlines = [{"name": str(d.get("name", "")), "date": d.get("date") if isinstance(d.get("date"), str) else None,
                  "kind": str(d.get("kind", ""))} for d in _dicts(cov.get("deadlines"))]
    sheet = cov.get("sheet") if isinstance(cov.get("sheet"), dict) else {}
    return {"totals": totals, "items": items, "materials": materials, "deadlines": deadlines,
            "sheet": {"id": str(sheet.get("id") or "")}, "veto_verdict": str(cov.get("veto_verdict") or "未知"),
            "veto_summary": str(cov.get("veto_summary") or "")}


def unit_status(u: ReviewUnit, scores: list[ReviewScore], today: date, fallback: float | None = None) -> UnitStatus:
    cov = clean_coverage(u.coverage)
    totals = cov["totals"]
    items = cov["items"]
    label = {it.get("no"): f"{it.get('no')}.{it.get('name') or ''}" for it in items}
    inspector = None
    if scores:
        points = {it.get("no"): it.get("points") for it in items}
        inspector = round(sum(min(s.score, points.get(s.item_no) or s.score) for s in scores), 2)
    elif totals.get("inspector_entered"):
        inspector = totals.get("inspector")
    materials = [f"{m.get('name')}（缺：{'、'.join(m.get('missing') or [])}）" for m in cov.get("materials") or []
                 if m.get("missing")]
    deadlines, reins = [], []
    for d in cov.get("deadlines") or []:
        due = Due(str(d.get("name", "")), d.get("date"), _days(d.get("date"), today), str(d.get("kind", "")))
        (reins if due.kind == "reinspection" else deadlines).append(due)
    return UnitStatus(
        rank=0, unit=u.unit, unit_type=u.unit_type, level=u.level, application_year=u.application_year, records=u.records,
        veto=str(cov.get("veto_verdict") or "未知"), veto_summary=str(cov.get("veto_summary") or ""),
        threshold=totals.get("threshold") if totals.get("threshold") is not None else fallback, self_total=totals.get("self") if totals.get("self_entered") else None,
        inspector_total=inspector, inspector_items=len(scores) or int(totals.get("inspector_entered") or 0),
        missing_items=[label[i["no"]] for i in items if i.get("status") == "缺失"],
        weak_items=[label[i["no"]] for i in items if i.get("status") == "薄弱"],
        materials_missing=materials, deadlines=deadlines, reinspections=reins, exported_at=u.exported_at, folder=u.folder,
    )


def ranked(ws: Workspace, *, today: date | None = None, unit_type: str | None = None) -> list[UnitStatus]:
    today = today or date.today()
    with ws.session() as s:
        q = select(ReviewUnit).order_by(ReviewUnit.unit)
        if unit_type:
            q = q.where(ReviewUnit.unit_type == unit_type)
        units = list(s.scalars(q))
        by_unit: dict[str, list[ReviewScore]] = {}
        for sc in s.scalars(select(ReviewScore)):
            by_unit.setdefault(sc.unit, []).append(sc)
        fallback = default_threshold()
        rows = [unit_status(u, by_unit.get(u.unit, []), today, fallback) for u in units]
    rows.sort(key=lambda r: (VERDICT_ORDER.get(r.veto, 1), -(r.best_total if r.best_total is not None else -1),
                             len(r.missing_items), r.unit))
    for i, r in enumerate(rows, 1):
        r.rank = i
    return rows


def _num(x: float | None) -> str:
    return "—" if x is None else f"{x:g}"


def due_text(r: UnitStatus) -> str:
    parts = [f"{d.name}（{d.date}，剩 {d.days_left} 天）" if d.days_left is not None and d.days_left >= 0
             else f"{d.name}（{d.date}，已过）" for d in r.deadlines if d.date]
    return "；".join(parts)


def reinspection_text(r: UnitStatus) -> str:
    return "；".join(f"{d.name}（{d.date}）" + ("，已到期" if d.days_left is not None and d.days_left <= 0 else "")
                    for d in r.reinspections)


COLUMNS = ("名次", "单位", "类型", "层级", "记录", "否决条件", "自查分", "评定分", "达标线", "缺失项", "薄弱项", "缺少的申报材料",
           "时间节点", "三年复查")


def row_cells(r: UnitStatus) -> list[Any]:
    return [r.rank, r.unit, r.unit_type, r.level, r.records, r.veto, _num(r.self_total), _num(r.inspector_total),
            _num(r.threshold), len(r.missing_items), len(r.weak_items), "；".join(r.materials_missing) or "无",
            due_text(r), reinspection_text(r)]


def write_xlsx(rows: list[UnitStatus], path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from ..export import write_file

    wb = Workbook()
    ws = wb.active
    ws.title = "单位排名"
    ws.append(list(COLUMNS))
    for c in ws[1]:
        c.font = Font(bold=True)
    for r in rows:
        ws.append(row_cells(r))
    widths = (6, 30, 12, 6, 6, 8, 8, 8, 8, 8, 8, 40, 40, 30)
    for i, w in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = w
    for row in ws.iter_rows(min_row=2):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    detail = wb.create_sheet("缺失与薄弱项")
    detail.append(["单位", "状态", "评分项目"])
    for r in rows:
        for it in r.missing_items:
            detail.append([r.unit, "缺失", it])
        for it in r.weak_items:
            detail.append([r.unit, "薄弱", it])
    return write_file(path, ".xlsx", wb.save)


_HTML = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>建家申报单位审核情况</title>
<style>
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border:1px solid #999;padding:4px 6px;vertical-align:top}
th{background:#eee}
.否决{color:#b00;font-weight:bold}.通过{color:#070}.未知{color:#a60}
.low{color:#b00}
@media print{body{margin:0}}
</style></head><body>
<h1>建家申报单位审核情况</h1>
<p>共 {{ rows|length }} 个单位；统计日期 {{ today }}。排序：可申报（否决条件通过、未知、否决）在前，再按分数（有评定分时用评定分）从高到低。</p>
<table><thead><tr>{% for c in columns %}<th>{{ c }}</th>{% endfor %}</tr></thead><tbody>
{% for r, cells in rows %}<tr>
{% for c in cells %}<td{% if loop.index0 == 5 %} class="{{ r.veto }}"{% elif loop.index0 in (6, 7) and r.threshold is not none and c != '—' and c|float < r.threshold %} class="low"{% endif %}>{{ c }}</td>{% endfor %}
</tr>{% endfor %}
</tbody></table>
{% for r, cells in rows %}{% if r.missing_items or r.weak_items %}
<h3>{{ r.rank }}. {{ r.unit }}</h3>
{% if r.missing_items %}<p>缺失：{{ r.missing_items|join("；") }}</p>{% endif %}
{% if r.weak_items %}<p>薄弱：{{ r.weak_items|join("；") }}</p>{% endif %}
{% endif %}{% endfor %}
</body></html>
"""


def write_html(rows: list[UnitStatus], path: Path, today: date | None = None) -> Path:
    from jinja2 import Environment

    from ..export import write_file

    html = Environment(autoescape=True).from_string(_HTML).render(
        rows=[(r, row_cells(r)) for r in rows], columns=COLUMNS, today=(today or date.today()).isoformat())
    return write_file(path, ".html", lambda tmp: tmp.write_text(html, encoding="utf-8"))


def set_score(ws: Workspace, unit: str, item: int, score: float | None, remark: str = "", who: str = "") -> None:
    """The inspection group's 评定分 for one item of one unit (None clears it)."""
    from datetime import datetime

    from ..errors import BadValue

    with ws.session() as s, s.begin():
        u = s.scalar(select(ReviewUnit).where(ReviewUnit.unit == unit))
        if u is None:
            raise BadValue(f"审核工作区中没有单位“{unit}”。")
        cov = clean_coverage(u.coverage)
        items = {it["no"]: it for it in cov["items"]}
        sheet = cov["sheet"]["id"]
        if item not in items:
            raise BadValue(f"“{unit}”的评分表没有第 {item} 项。")
        points = items[item].get("points")
        row = s.get(ReviewScore, (unit, sheet, item), with_for_update=True)
        if score is None:
            if row is not None:
                s.delete(row)
            return
        if not math.isfinite(score) or score < 0 or (points is not None and score > points):
            raise BadValue(f"第 {item} 项满分 {points:g} 分，评定分 {score:g} 无效。")
        if row is None:
            s.add(ReviewScore(unit=unit, sheet_id=sheet, item_no=item, score=score, remark=remark, who=who, at=datetime.now()))
        else:
            row.score, row.remark, row.who, row.at = score, remark, who, datetime.now()
