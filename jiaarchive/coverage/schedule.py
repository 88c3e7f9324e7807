"""Deadlines for the application year being prepared, and re-inspection reminders.

Fixed-date windows belong to the year of their notice (the 2021 call says nothing about 2026);
every-year windows (重庆市模范：每年的1月1日至9月30日) apply to any year, stated once even when two
documents print them.  When the year's own call is recorded it governs, and the standing window
says so.  Re-inspection (原则上每3年复查一次) applies only to titles of the grade the notice puts it
under, matched by name (see ``honours``).
"""

from __future__ import annotations

from datetime import date

from ..standards import Standards, Window
from .checks import years_after
from .honours import Titles
from .model import Deadline
from .profile import Event


def _relative(start: date | None, end: date, as_of: date) -> str:
    if start and as_of < start:
        return f"{start.isoformat()} 开始，还有 {(start - as_of).days} 天"
    if end >= as_of:
        return f"距截止还有 {(end - as_of).days} 天"
    return f"已于 {end.isoformat()} 截止"


def _span(start: date | None, end: date) -> str:
    return f"{start.isoformat()} 至 {end.isoformat()}" if start else f"{end.isoformat()} 前"


def windows(std: Standards, grade: str, year: int, as_of: date) -> tuple[Deadline, ...]:
    fixed = [w for w in std.windows_for(grade) if not w.every_year and (w.end or w.start) and (w.end or w.start).year == year]
    annual: dict[tuple, list[Window]] = {}
    for w in std.windows_for(grade):
        if w.every_year:
            annual.setdefault((w.start_md, w.end_md), []).append(w)
    out: list[Deadline] = []
    for w in sorted(fixed, key=lambda w: (w.end or w.start)):
        start, end = w.range_for()
        assert end is not None or start is not None
        end = end or start
        out.append(Deadline(w.name, end, (end - as_of).days, f"{w.name}：{_span(start, end)}（{w.doc_no}），"
                                                           f"{_relative(start, end, as_of)}", sources=(w.doc_no,)))
    governing = "、".join(dict.fromkeys(w.doc_no for w in fixed))
    for ws in annual.values():
        w = ws[0]
        start, end = w.range_for(year)
        assert end is not None
        sources = tuple(dict.fromkeys(x.doc_no for x in ws))
        every = f"{start:%m-%d} 至 {end:%m-%d}" if start else f"{end:%m-%d} 前"
        text = f"{w.name}：每年 {every}（{'、'.join(sources)}）"
        if fixed:
            text += f"；{year} 年度以{governing}规定的时间为准"
            out.append(Deadline(w.name, end, (end - as_of).days, text, governs=False, sources=sources))
        else:
            text += f"，{year} 年为 {_span(start, end)}，{_relative(start, end, as_of)}"
            out.append(Deadline(w.name, end, (end - as_of).days, text, sources=sources))
    if not out:
        past = [w for w in std.windows_for(grade) if not w.every_year and (w.end or w.start)]
        last = max(past, key=lambda w: (w.end or w.start), default=None)
        shown = f"（最近一次：{last.name}，{_span(*last.range_for())}，{last.doc_no}）" if last and last.end else ""
        out.append(Deadline(f"{year}年度申报时间", None, None,
                            f"{year} 年度的申报通知尚未录入标准数据{shown}：请以上级工会的通知为准", kind="notice"))
    return tuple(out)


def reinspections(std: Standards, titles: Titles, events: tuple[Event, ...] | None, as_of: date) -> tuple[Deadline, ...]:
    found = [t for t in std.thresholds if t.kind == "reinspection_years"]
    if not found or not events:
        return ()
    cycle = found[0]
    out = []
    for e in events:
        if titles.grade_of(e.text) != cycle.grade:
            continue
        due = years_after(e.on, int(cycle.value))
        left = (due - as_of).days
        when = f"还有 {left} 天" if left >= 0 else f"已逾期 {-left} 天"
        out.append(Deadline(f"{e.text} 复查", due, left,
                            f"{e.text}（{e.on.isoformat()} 获得）：{cycle.printed.split('，')[-1]}，应于 {due.isoformat()} "
                            f"前复查，{when}（{cycle.source}）", kind="reinspection", sources=(cycle.doc_no,)))
    return tuple(out)
