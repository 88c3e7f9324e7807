"""``review search``: every unit's evidence at once, in PostgreSQL.

The same query language (``search.query.parse_query``: words ANDed, ``OR``, ``-not``, quotes,
``code:`` ``year:`` ``item:`` ``type:`` ``title:`` ``tag:`` ``文号:`` ``档号:``) and the same Chinese
analysis (``search.analyzer``: normalisation with 繁体 → 简体, full-width and case folding; unit
bigrams with run ends; synonyms of catalog/synonyms.toml; counted numbers in both spellings,
``第12条`` / ``第十二条``) as a unit's own search.  Each record's analyzer tokens are a ``text[]``
with a GIN index (``review_docs.tokens``); a query word becomes

    tokens @> ARRAY[every token of the word]          (the GIN index finds the candidates)
    AND norm_text ~ '<the word's units, runs apart>'  (the phrase check, on the candidates)

which is what the unit's Whoosh index does in two phases (``_exec.py``): token sets first,
then the phrase checked against the stored text.  Ranking is simpler than the unit's BM25F: a
match in the title counts 3, in 文号/责任者/tags 1.5, in the text 1; ties by unit and 档号.
An archive's own extra synonym groups are not used here (each unit may have different ones).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Float, and_, cast, false, func, literal, not_, or_, select, true
from sqlalchemy.dialects.postgresql import ARRAY, array
from sqlalchemy.types import Integer, Text

from ..search import analyzer as an
from ..search.numerals import CN_DIGITS
from ..search.query import (ParsedQuery, QTerm, make_snippet, highlight_pattern, normalize_code, parse_query,
                            synonym_variants, term_variants, variant_words, year_range)
from ..search.synonyms import load_synonyms
from .models import ReviewDoc, ReviewUnit
from .workspace import Workspace

_SEP = f"[^{an._CJK}{an._ALNUM}]+"
_ALNUM_CLASS = f"[{an._ALNUM}]"


@dataclass(frozen=True)
class ReviewHit:
    unit: str
    unit_type: str
    archive_no: str
    record_id: int
    code: str
    year: int | None
    date: str
    title: str
    score: float
    snippet: str = ""

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class ReviewResult:
    query: str
    described: str
    total: int
    units: int
    hits: list[ReviewHit] = field(default_factory=list)
    by_unit: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"query": self.query, "described": self.described, "total": self.total, "units": self.units,
                "by_unit": self.by_unit, "hits": [h.to_json() for h in self.hits]}


def _pg_escape(text: str) -> str:
    """``text`` literally in a PostgreSQL regular expression (ARE)."""
    return re.sub(r"([\\.^$|?*+()\[\]{}])", r"\\\1", text)


def _phrase_regex(text: str, guard_left: bool = False, guard_right: bool = False) -> str | None:
    """The units of ``text`` (normalised) as they must stand in normalised text: each run's units
    touching, runs apart; a letter/digit unit at an edge not continued by another."""
    rs = an.runs(an.normalize(text))
    if not rs:
        return None
    pattern = _SEP.join(_pg_escape("".join(run)) for run in rs)
    if re.match(_ALNUM_CLASS, rs[0][0][-1:]) or re.match(_ALNUM_CLASS, rs[0][0][:1]):
        pattern = f"(?<!{_ALNUM_CLASS}){pattern}"
    if re.match(_ALNUM_CLASS, rs[-1][-1][-1:]):
        pattern = f"{pattern}(?!{_ALNUM_CLASS})"
    if guard_left:
        pattern = f"(?<![{CN_DIGITS}]){pattern}"
    if guard_right:
        pattern = f"{pattern}(?![{CN_DIGITS}])"
    return pattern


def _tokens_of(text: str) -> list[str]:
    return sorted({t for t, _pos in an.query_all_tokens(text)})


def _text_match(text: str, column: Any, *, guard_left: bool = False, guard_right: bool = False, use_tokens: bool = True):
    regex = _phrase_regex(text, guard_left, guard_right)
    if regex is None:
        return false()
    cond = column.op("~")(regex)
    toks = _tokens_of(text)
    if use_tokens and sum(len(r) for r in an.runs(an.normalize(text))) >= 2 and toks:
        return and_(ReviewDoc.tokens.op("@>")(cast(array(toks), ARRAY(Text))), cond)
    return cond


def _term(term: QTerm, synonyms: Any) -> tuple[Any, Any]:
    """(condition, title condition for ranking) of one query term."""
    text, f = term.text, term.field
    if f == "code":
        code = normalize_code(text)
        return (ReviewDoc.volume == code if len(code) == 1 else or_(ReviewDoc.code == code, ReviewDoc.code.like(code + "-%"))), None
    if f == "year":
        yr = year_range(text)
        return (ReviewDoc.year.between(*yr) if yr else false()), None
    if f == "item":
        digits = re.sub(r"\D", "", an.normalize(text))
        return (ReviewDoc.items.op("@>")(cast(array([int(digits)]), ARRAY(Integer))) if digits else false()), None
    if f == "kind":
        return ReviewDoc.kinds.op("@>")(cast(array([text.strip()]), ARRAY(Text))), None
    if f == "doc_no":
        return ReviewDoc.docnokeys.op("@>")(cast(array([an.id_key(text)]), ARRAY(Text))), None
    if f == "archive_no":
        return ReviewDoc.idkeys.op("@>")(cast(array([an.id_key(text)]), ARRAY(Text))), None
    if f == "title":
        c = or_(*[_text_match(v.text, ReviewDoc.norm_title, guard_left=v.guard_left, guard_right=v.guard_right,
                              use_tokens=False) for v in term_variants(text, synonyms)])
        return c, c
    if f == "tag":
        c = or_(ReviewDoc.tags.op("@>")(cast(array([text.strip()]), ARRAY(Text))), _text_match(text, ReviewDoc.norm_meta, use_tokens=False))
        return c, None
    if not term.phrase and an.looks_like_code(text):
        code = normalize_code(text)
        return or_(ReviewDoc.code == code, ReviewDoc.idkeys.op("@>")(cast(array([an.id_key(text)]), ARRAY(Text)))), None
    subs = []
    forms = term_variants(text, synonyms)
    if not term.phrase and an.looks_like_identifier(text):
        keys = list(dict.fromkeys(an.id_key(v.text) for v in forms if an.looks_like_identifier(v.text) or v.text == text))
        subs += [ReviewDoc.idkeys.op("&&")(cast(array(keys), ARRAY(Text))),
                 ReviewDoc.docnokeys.op("&&")(cast(array(keys), ARRAY(Text)))]
    yr = year_range(text) if not term.phrase else None
    if yr is not None and yr[0] == yr[1] and 1900 <= yr[0] <= 2100:
        subs.append(ReviewDoc.year == yr[0])
    title = []
    for v in forms:
        subs.append(_text_match(v.text, ReviewDoc.norm_text, guard_left=v.guard_left, guard_right=v.guard_right))
        title.append(_text_match(v.text, ReviewDoc.norm_title, guard_left=v.guard_left, guard_right=v.guard_right,
                                 use_tokens=False))
    return or_(*subs), or_(*title)


def search(ws: Workspace, query: str | ParsedQuery, *, unit: str | None = None, unit_type: str | None = None,
           code: str | None = None, item: int | None = None, years: int | tuple[int, int] | None = None,
           include_trashed: bool = False, limit: int = 20, offset: int = 0) -> ReviewResult:
    parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
    synonyms = load_synonyms()
    conds = []
    rank = literal(1.0, Float)
    for group in parsed.groups:
        pairs = [_term(t, synonyms) for t in group]
        conds.append(or_(*[c for c, _t in pairs]))
        titles = [t for _c, t in pairs if t is not None]
        if titles:
            rank = rank + func.coalesce(cast(or_(*titles), Integer), 0) * 3.0
    for t in parsed.negated:
        conds.append(not_(_term(t, synonyms)[0]))
    if code:
        conds.append(_term(QTerm(code, "code"), synonyms)[0])
    if item is not None:
        conds.append(ReviewDoc.items.op("@>")(cast(array([int(item)]), ARRAY(Integer))))
    if years is not None:
        a, b = years if isinstance(years, tuple) else (years, years)
        conds.append(ReviewDoc.year.between(a, b))
    if not include_trashed:
        conds.append(ReviewDoc.trashed.is_(False))
    if unit:
        conds.append(ReviewUnit.unit.contains(unit.strip()))
    if unit_type:
        conds.append(ReviewUnit.unit_type == unit_type)
    if not parsed.groups and not (code or item is not None or years is not None or unit or unit_type):
        return ReviewResult(parsed.raw, parsed.describe(), 0, 0)
    where = and_(true(), *conds)
    words = [w for g in parsed.groups for t in g if t.field not in ("code", "year", "item", "kind")
             for w in variant_words(t.text, synonyms)]
    pattern = highlight_pattern(words)
    with ws.session() as s:
        counts = s.execute(select(ReviewUnit.unit, func.count()).select_from(ReviewDoc)
                           .join(ReviewUnit, ReviewUnit.id == ReviewDoc.unit_id).where(where)
                           .group_by(ReviewUnit.unit)).all()
        by_unit = {u: n for u, n in sorted(counts, key=lambda x: (-x[1], x[0]))}
        total = sum(by_unit.values())
        rows = s.execute(
            select(ReviewUnit.unit, ReviewUnit.unit_type, ReviewDoc.archive_no, ReviewDoc.record_id, ReviewDoc.code,
                   ReviewDoc.year, ReviewDoc.doc_date, ReviewDoc.title, ReviewDoc.body, rank.label("rank"))
            .join(ReviewUnit, ReviewUnit.id == ReviewDoc.unit_id).where(where)
            .order_by(rank.desc(), ReviewUnit.unit, ReviewDoc.archive_no).limit(limit).offset(offset)
        ).all() if total else []
    hits = []
    for r in rows:
        snip = make_snippet(r.body or "", pattern).marked if pattern is not None and r.body else ""
        hits.append(ReviewHit(r.unit, r.unit_type, r.archive_no, r.record_id, r.code, r.year, r.doc_date or "",
                              r.title, float(r.rank), snip))
    return ReviewResult(parsed.raw, parsed.describe(), total, len(by_unit), hits, by_unit)
