"""What the archive holds for a report: records per catalogue entry and year, explicit item links,
yearly rules, and which records speak to an item's key terms.

Counting happens in SQL (one pass over the active records up to the report's year, with their
file and photo counts); key terms are matched by the archive's search index
(``indexing.search``: titles and full text, synonyms included) or, when there is no usable index,
by titles and tags, and the report says which.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import and_, case, func, or_, select

from ..archive import Archive
from ..db.models import ACTIVE, File, Record, RecordItem, RecordTag
from ..errors import JiaError
from ..extract.sniff import IMAGE_KINDS
from .model import RuleCheck, RuleYear
from .rules import YearlyRule

MODE_INDEX, MODE_TITLES = "全文检索", "题名和标签"
_MARK = re.compile(r"【([^】]+)】")


@functools.lru_cache(maxsize=512)
def base_code(code: str) -> str:
    """B-1-1 counts for B-1: sub-entries (note 1 of the catalogue) prove what their parent proves."""
    return "-".join(code.split("-")[:2])


class Row(NamedTuple):
    """One active record, as much as the report needs of it (a tuple: tens of thousands are made)."""

    id: int
    archive_no: str
    code: str  # the base catalogue code
    year: int
    title: str
    doc_date: date | None
    files: int
    photos: int


@dataclass
class Holdings:
    """The archive's active records up to the report's year, indexed the ways the report asks."""

    rows: dict[int, Row] = field(default_factory=dict)
    by_code: dict[str, list[Row]] = field(default_factory=dict)
    explicit: dict[int, list[Row]] = field(default_factory=dict)  # sheet item no -> linked records (any year)
    tags: dict[int, set[str]] = field(default_factory=dict)

    def in_years(self, codes: tuple[str, ...] | set[str], lo: int, hi: int) -> list[Row]:
        return [r for c in codes for r in self.by_code.get(c, ()) if lo <= r.year <= hi]

    def count(self, code: str, year: int) -> int:
        return sum(1 for r in self.by_code.get(code, ()) if r.year == year)


def load(archive: Archive, upto_year: int, sheet_id: str | None, *, from_year: int,
         early_codes: set[str] = frozenset()) -> Holdings:
    """Active records of ``from_year``..``upto_year``; of earlier years only those under
    ``early_codes`` (entries of items whose evidence may be older: per term, once) or linked to an
    item (so a link outside the window can be reported)."""
    out = Holdings()
    is_photo = case((File.kind.in_(sorted(IMAGE_KINDS)), 1), else_=0)
    early = [or_(Record.code == c, Record.code.like(f"{c}-%")) for c in sorted(early_codes)]
    if sheet_id:
        early.append(Record.id.in_(select(RecordItem.record_id).where(RecordItem.sheet_id == sheet_id)))
    wanted_years = or_(Record.year >= from_year, *early) if early else Record.year >= from_year
    with archive.session() as s:
        files_q = (
            select(File.record_id, func.count().label("n"), func.sum(is_photo).label("p"))
            .where(File.status == ACTIVE)
            .group_by(File.record_id)
            .subquery()
        )
        for rid, no, code, year, title, when, nf, npho in s.execute(
            select(Record.id, Record.archive_no, Record.code, Record.year, Record.title, Record.doc_date,
                   func.coalesce(files_q.c.n, 0), func.coalesce(files_q.c.p, 0))
            .outerjoin(files_q, files_q.c.record_id == Record.id)
            .where(Record.status == ACTIVE, Record.year <= upto_year, wanted_years)
            .order_by(Record.code, Record.year, Record.seq)
        ):
            row = Row(rid, no, base_code(code), year, title, when, int(nf), int(npho))
            out.rows[rid] = row
            out.by_code.setdefault(row.code, []).append(row)
        for rid, tag in s.execute(select(RecordTag.record_id, RecordTag.tag)):
            if rid in out.rows:
                out.tags.setdefault(rid, set()).add(tag)
        if sheet_id:
            for item_no, rid in s.execute(
                select(RecordItem.item_no, RecordItem.record_id)
                .where(RecordItem.sheet_id == sheet_id)
                .order_by(RecordItem.record_id)
            ):
                if rid in out.rows:
                    out.explicit.setdefault(item_no, []).append(out.rows[rid])
    return out


# ---------------------------------------------------------------- key terms


class TermMatcher:
    """Which records under given entries speak to an item: their text names one of its key terms.

    With a usable search index the whole text is searched (``indexing.search``, synonyms
    included); without one, titles and tags.  ``mode`` and ``note`` say which, for the report.
    """

    def __init__(self, archive: Archive, holdings: Holdings) -> None:
        from .. import indexing

        self.archive, self.holdings = archive, holdings
        self.mode, self.note = MODE_TITLES, ""
        self._cache: dict[tuple, dict[int, str]] = {}
        try:
            reason = indexing.rebuild_reason(archive)
            if not reason:
                indexing.ensure(archive)  # catches up records filed since (cheap)
        except (JiaError, OSError) as exc:
            reason = str(exc)
        if reason:
            self.note = (f"检索索引不可用（{reason}）：各项要点只按题名和标签查找，正文中提到的不计入"
                         "（运行 jiaarchive index rebuild 后按全文查找）。")
        else:
            self.mode = MODE_INDEX

    def match(self, terms: tuple[str, ...], codes: tuple[str, ...], years: tuple[int, int]) -> dict[int, str]:
        """record id -> the key term found, for records under ``codes`` in ``years``."""
        key = (terms, codes, years)
        if key not in self._cache:
            candidates = self.holdings.in_years(codes, *years)
            found: dict[int, str] = {}
            if candidates and terms:
                found = (self._index(terms, codes, years, candidates) if self.mode == MODE_INDEX
                         else self._titles(terms, candidates))
            self._cache[key] = found
        return self._cache[key]

    def _titles(self, terms: tuple[str, ...], rows: list[Row]) -> dict[int, str]:
        pattern = re.compile("|".join(map(re.escape, terms)))
        tagged = self.holdings.tags
        found = {}
        for r in rows:
            m = pattern.search(r.title)
            if m:
                found[r.id] = m.group()
            elif r.id in tagged:
                term = next((t for t in terms if t in tagged[r.id]), None)
                if term:
                    found[r.id] = term
        return found

    def _index(self, terms: tuple[str, ...], codes: tuple[str, ...], years: tuple[int, int],
               rows: list[Row]) -> dict[int, str]:
        from .. import indexing

        wanted = {r.id: r for r in rows}
        query = " OR ".join(terms) + " " + " OR ".join(f"code:{c}" for c in codes)
        try:
            result = indexing.search(self.archive, query, years=years, limit=len(wanted) * 2 + 10)
        except (JiaError, OSError) as exc:
            self.mode = MODE_TITLES
            self.note = f"检索索引无法使用（{exc}）：各项要点只按题名和标签查找。"
            self._cache.clear()
            return self._titles(terms, rows)
        found = {}
        for hit in result.hits:
            r = wanted.get(hit.record_id)
            if r is None:
                continue
            marked = _MARK.findall(hit.snippet)
            found[r.id] = next((t for t in terms if t in r.title), marked[0] if marked else terms[0])
        return found


# ---------------------------------------------------------------- yearly rules


def _rule_hits(archive: Archive, rule: YearlyRule, years: tuple[int, int]) -> list[tuple[int, str, str, date]]:
    """(year, archive_no, title, date) of the records that satisfy a yearly rule, found in SQL."""
    code_cond = or_(*[or_(Record.code == c, Record.code.like(f"{c}-%")) for c in rule.codes]) if rule.codes else True
    matches = [Record.title.contains(k) for k in rule.keywords]
    if rule.tags:
        matches.append(Record.tags.any(RecordTag.tag.in_(rule.tags)))
    if not matches:
        return []
    with archive.session() as s:
        return list(
            s.execute(
                select(Record.year, Record.archive_no, Record.title, Record.doc_date)
                .where(Record.status == ACTIVE, Record.year.between(*years), and_(code_cond, or_(*matches)))
                .order_by(Record.year, Record.archive_no)
            ).all()
        )


def rule_check(archive: Archive, rule: YearlyRule, years: tuple[int, ...], due: tuple[int, ...]) -> RuleCheck:
    hits = _rule_hits(archive, rule, (years[0], years[-1]))
    sessions: dict[int, set[str]] = defaultdict(set)
    for y, number, title, when in hits:
        sessions[y].add(rule.session_key(title, when, number))
    per = {y: len(sessions[y]) for y in years}
    rys = tuple(
        RuleYear(y, per[y], per[y] >= rule.min and (not rule.max or per[y] <= rule.max), y in due) for y in years
    )
    return RuleCheck(rule.id, rule.name, rule.printed, rule.source, rule.min, rule.max, rys, tuple(h[1] for h in hits))
