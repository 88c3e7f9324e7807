"""形成日期 of a document found in its text, its file name or a photo's EXIF.

In the text a date is written ``2021年5月12日``, ``二〇二一年五月十二日`` (``○``, ``〇`` or
``零`` for zero), ``2021.5.12``, ``2021-05-12`` or ``2021/5/12``.  Which of the dates in a
document is the one it was made on, in order:

1. the 落款: a line that is only a date (or ``…日印发``) in the last part of the document;
2. a labelled date near the top: ``时间：``, ``日期：``, ``会议时间``, ``填表日期`` …;
3. a line that is only a date anywhere;
4. the first date in the text.

Dates outside 1990 … next year are ignored (a serial number, a regulation's year).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
_CN = "〇○零Ｏ一二三四五六七八九十"
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．－／", "0123456789.-/")

_ARABIC = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_DOTTED = re.compile(r"(?<![\d.])((?:19|20)\d{2})([.\-/])(\d{1,2})\2(\d{1,2})(?![\d.]*\d)")
_CHINESE = re.compile(rf"([{_CN}]{{4}})\s*年\s*([{_CN}]{{1,2}})\s*月\s*([{_CN}]{{1,3}})\s*[日号]")
_LABELS = re.compile(r"(会议时间|活动时间|培训时间|时\s*间|日\s*期|填表日期|填报日期|制表日期|统计日期|发文日期|报送日期|签订日期|检查时间)\s*[：:]")
PAGE_MARK = re.compile(r"^[\s—\-－]*(第\s*)?\d+\s*(页|/\s*\d+)?[\s—\-－]*$")  # — 1 —, 第2页
_NAME_MDY = re.compile(r"(?<!\d)(\d{1,2})[-._](\d{1,2})[-._]((?:19|20)\d{2})(?!\d)")
_DATE_LINE_REST = re.compile(r"[\s　()（）]|星期[一二三四五六日天]|周[一二三四五六日]|印发|签发|制表?|上午|下午")


@dataclass(frozen=True)
class FoundDate:
    date: date
    how: str  # "落款" | "标注" | "单独一行" | "正文"

    @property
    def reason(self) -> str:
        return {"落款": "正文落款日期", "标注": "正文中标注的时间", "单独一行": "正文中单独一行的日期"}.get(self.how, "正文中的日期")


def _cn_number(text: str) -> int | None:
    """十二 -> 12, 二十八 -> 28, 三十一 -> 31, 五 -> 5."""
    if not text:
        return None
    if "十" in text:
        tens, _, ones = text.partition("十")
        t = _CN_DIGIT.get(tens, None) if tens else 1
        o = _CN_DIGIT.get(ones, None) if ones else 0
        return None if t is None or o is None else t * 10 + o
    if len(text) == 1:
        return _CN_DIGIT.get(text)
    return None


def _plausible(y: int, m: int, d: int, today: date) -> date | None:
    if not (1990 <= y <= today.year + 1):
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _spans(text: str, today: date) -> list[tuple[int, int, date]]:
    text = text.translate(_FULLWIDTH_DIGITS)
    found: list[tuple[int, int, date]] = []
    for m in _ARABIC.finditer(text):
        if (d := _plausible(int(m[1]), int(m[2]), int(m[3]), today)) is not None:
            found.append((m.start(), m.end(), d))
    for m in _DOTTED.finditer(text):
        if (d := _plausible(int(m[1]), int(m[3]), int(m[4]), today)) is not None:
            found.append((m.start(), m.end(), d))
    for m in _CHINESE.finditer(text):
        digits = [_CN_DIGIT.get(ch) for ch in m[1]]
        if None in digits:
            continue
        y = int("".join(map(str, digits)))
        mo, dd = _cn_number(m[2]), _cn_number(m[3])
        if mo is not None and dd is not None and (d := _plausible(y, mo, dd, today)) is not None:
            found.append((m.start(), m.end(), d))
    return sorted(found)


def dates_in(text: str, today: date | None = None) -> list[tuple[int, date]]:
    """Every plausible date in ``text`` with its position, in order."""
    return [(start, d) for start, _end, d in _spans(text, today or date.today())]


_MONTH_DAY = re.compile(r"(?<![\d年.])(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")


def mentioned_days(text: str, year: int | None, today: date | None = None) -> set[date]:
    """Every day ``text`` names: full dates, and ``10月23日`` in ``year`` (the document's own)
    when one is known: an event's notice, minutes and news name the day its photos were taken."""
    today = today or date.today()
    days = {d for _, d in dates_in(text, today)}
    if year is not None:
        for m in _MONTH_DAY.finditer(text.translate(_FULLWIDTH_DIGITS)):
            if (d := _plausible(year, int(m[1]), int(m[2]), today)) is not None:
                days.add(d)
    return days


def _date_line(line: str, today: date) -> date | None:
    """The date when ``line`` is nothing but one date (a 落款, ``2021年5月12日印发``)."""
    if len(line) > 30:
        return None
    spans = _spans(line, today)
    if len(spans) != 1:
        return None
    start, end, d = spans[0]
    rest = _DATE_LINE_REST.sub("", line[:start] + line[end:])
    return d if not rest else None


def document_date(text: str, today: date | None = None, *, table: bool = False) -> FoundDate | None:
    """The date a document was made on, read from its text (see the module docstring).

    A register or a spreadsheet (``table``, or many different dates in the text) has dates in
    its rows: only a 落款 or a labelled date counts there.
    """
    if not text:
        return None
    text = text[:200_000]
    lines = [ln.strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    if not lines:
        return None
    only: list[tuple[int, date]] = []
    labelled: list[tuple[int, date]] = []
    today = today or date.today()
    for i, line in enumerate(lines):
        alone = _date_line(line, today)
        if alone is not None:
            only.append((i, alone))
            continue
        lab = _LABELS.search(line)
        if lab and i < 60:
            ds = dates_in(line[lab.end():], today)
            if ds:
                labelled.append((i, ds[0][1]))
    tail = [i for i, ln in enumerate(lines) if not PAGE_MARK.match(ln)][-5:]
    signed = [d for i, d in only if i in tail]
    if signed:
        return FoundDate(signed[0], "落款")
    if labelled:
        return FoundDate(labelled[0][1], "标注")
    first = dates_in(text[:20_000], today)
    if table or len({d for _, d in first}) >= 3:
        return None
    if len({d for _, d in only}) == 1:
        return FoundDate(only[0][1], "单独一行")
    return FoundDate(first[0][1], "正文") if first else None


def name_date(stem: str, today: date | None = None) -> date | None:
    """A date in a file name: ``2021-05-12 通知``, ``20210512``, ``微信图片_2021…``, and the
    month-first ``CamScanner 05-12-2021`` of scanner apps."""
    from ..derive import date_from_name

    today = today or date.today()
    m = _NAME_MDY.search(stem)  # first: "05-12-2021 10.23" also looks like 2021, 10, 23
    if m and (d := _plausible(int(m[3]), int(m[1]), int(m[2]), today)) is not None:
        return d
    found = date_from_name(stem)
    return found if found is not None and 1990 <= found.year <= today.year + 1 else None
