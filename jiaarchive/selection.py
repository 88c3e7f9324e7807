"""Which records a command or a screen works on: one ``RecordQuery`` for lists, exports and bulk work.

A query is the catalogue filters (目录或卷, 年度, 评分项, 标签, 题名中的文字), a full-text search
(the search index, best first), or named records (档号 as typed, or ids a screen marked).
``jiaarchive ls``, ``jiaarchive export``, the TUI's tree, marks and saved searches all resolve
their selection here, so "the records of this selection" means one thing everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import filing
from .archive import Archive
from .db.models import ACTIVE, TRASHED
from .filing import RecordView

SEARCH_LIMIT = 100_000  # a search selection takes every hit


@dataclass(frozen=True)
class RecordQuery:
    code: str | None = None  # a volume (A), an entry or a parent entry
    year: int | tuple[int, int] | None = None
    item: int | None = None  # 评分项
    tag: str | None = None
    text: str | None = None  # words in the title
    search: str | None = None  # a full-text query, as ``jiaarchive search`` takes it
    numbers: tuple[str, ...] = ()  # 档号 as typed
    ids: tuple[int, ...] | None = None  # records a screen marked
    trashed: bool = False  # the records in the 回收站 instead

    @property
    def status(self) -> str:
        return TRASHED if self.trashed else ACTIVE

    def describe(self) -> str:
        """What the query selects, in Chinese (for a file's notes or a status line)."""
        parts = []
        if self.numbers:
            parts.append("档号 " + "、".join(self.numbers))
        if self.ids is not None and not self.numbers:
            parts.append(f"选中的 {len(self.ids)} 件")
        if self.code:
            parts.append(f"目录 {self.code}")
        if isinstance(self.year, tuple):
            parts.append(f"{self.year[0]}–{self.year[1]} 年度")
        elif self.year:
            parts.append(f"{self.year} 年度")
        if self.item is not None:
            parts.append(f"评分项第 {self.item} 项")
        if self.tag:
            parts.append(f"标签“{self.tag}”")
        if self.text:
            parts.append(f"题名含“{self.text}”")
        if self.search:
            parts.append(f"检索“{self.search}”")
        if self.trashed:
            parts.append("回收站中")
        return "，".join(parts) or "全部档案"


def _search_ids(archive: Archive, q: RecordQuery) -> list[int]:
    from . import indexing

    years = (q.year, q.year) if isinstance(q.year, int) else q.year
    result = indexing.search(archive, q.search or "", code=q.code, years=years, item=q.item,
                             include_trashed=q.trashed, limit=SEARCH_LIMIT)
    return [h.record_id for h in result.hits if h.trashed == q.trashed]


def select_records(archive: Archive, q: RecordQuery, *, limit: int | None = None, offset: int = 0) -> list[RecordView]:
    """The records ``q`` selects: 档号 order, or best first for a search, or as named."""
    if q.numbers:
        views = list(dict.fromkeys(filing.get_record(archive, n) for n in q.numbers))
        return views[offset: offset + limit if limit else None]
    ids = q.ids
    if q.search:
        found = _search_ids(archive, q)
        ids = [i for i in found if i in set(ids)] if ids is not None else found
    if ids is not None:
        # a search has applied the catalogue filters itself; marked records take them here
        views = filing.list_records(archive, ids=list(ids), tag=q.tag, text=q.text, status=q.status,
                                    **({} if q.search else {"code": q.code, "year": q.year, "item": q.item}))
        return views[offset: offset + limit if limit else None]
    return filing.list_records(archive, code=q.code, year=q.year, item=q.item, tag=q.tag, text=q.text,
                               status=q.status, limit=limit, offset=offset)


def count_records(archive: Archive, q: RecordQuery) -> int:
    if q.numbers or q.search or q.ids is not None:
        return len(select_records(archive, q))
    return filing.count_records(archive, code=q.code, year=q.year, item=q.item, tag=q.tag, text=q.text, status=q.status)
