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
from sqlalchemy import text as sql_text
from sqlalchemy.dialects.postgresql import ARRAY, array
from sqlalchemy.types import Integer, Text

from ..search import analyzer as an
from ..search.numerals import CN_DIGITS
from ..search.query import (ParsedQuery, QTerm, make_snippet, highlight_pattern, normalize_code, parse_query,
                            term_variants, variant_words, year_range)
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


def _forms_match(forms: list, column: Any, *, use_tokens: bool = True):
    """Where any of ``forms`` (a query word's written forms: synonyms, numerals) stands in ``column``.

    The tokens (GIN) find the candidates; the phrase is then checked on them.  A two-unit word is
    its own bigram token and needs no check.  The other forms are checked together after the
    tokens of any of them matched — ``strpos`` for plain forms, the word as typed first, and one
    regular expression for the rest — so a row's text is read out of TOAST about once per query
    word, not once per form.  (A form's phrase implies its tokens, so
    "any form's tokens and any form's phrase" is exactly "some form's tokens and phrase".)
    """
    exact, loose_tokens, loose = [], [], []
    for f in forms:
        rs = an.runs(an.normalize(f.text))
        if not rs:
            continue
        units = sum(len(r) for r in rs)
        runs_text = ["".join(r) for r in rs]
        edges = bool(re.match(_ALNUM_CLASS, runs_text[0][:1]) or re.match(_ALNUM_CLASS, runs_text[-1][-1:]))
        plain = len(rs) == 1 and not (edges or f.guard_left or f.guard_right)
        toks = _tokens_of(f.text) if use_tokens and units >= 2 else []
        if toks and plain and units == 2:
            exact.append(ReviewDoc.tokens.op("@>", is_comparison=True)(cast(array(toks), ARRAY(Text))))
            continue
        if toks:
            loose_tokens.append(ReviewDoc.tokens.op("@>", is_comparison=True)(cast(array(toks), ARRAY(Text))))
        else:
            loose_tokens.append(None)  # no tokens to narrow by (one unit, or a field without tokens)
        loose.append((plain, runs_text[0] if plain else _phrase_regex(f.text, f.guard_left, f.guard_right)))
    parts = list(exact)
    if loose:
        # Plain forms by strpos, in the forms' order (the word as typed first: most rows match it
        # and the OR stops there), then one regular expression for the forms that need one.
        checks = [func.strpos(column, p) > 0 for plain, p in loose if plain]
        regexes = [p for plain, p in loose if not plain]
        if regexes:
            checks.append(column.op("~", is_comparison=True)("|".join(f"({p})" for p in regexes)))
        phrase = or_(*checks)
        if all(t is not None for t in loose_tokens):
            parts.append(and_(or_(*loose_tokens), phrase))
        else:
            parts.append(phrase)
    return or_(*parts) if parts else false()


def _text_match(text: str, column: Any, *, guard_left: bool = False, guard_right: bool = False, use_tokens: bool = True):
    from ..search.numerals import Form

    return _forms_match([Form(text, guard_left, guard_right)], column, use_tokens=use_tokens)


def _has_item(n: int) -> Any:
    """Records linked to scoresheet item ``n`` (none for a number no item has: the column is int4)."""
    if not 0 <= n < 2 ** 31:
        return false()
    return ReviewDoc.items.op("@>", is_comparison=True)(cast(array([n]), ARRAY(Integer)))


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
        return (_has_item(int(digits)) if digits else false()), None
    if f == "kind":
        return ReviewDoc.kinds.op("@>", is_comparison=True)(cast(array([text.strip()]), ARRAY(Text))), None
    if f == "doc_no":
        return ReviewDoc.docnokeys.op("@>", is_comparison=True)(cast(array([an.id_key(text)]), ARRAY(Text))), None
    if f == "archive_no":
        return ReviewDoc.idkeys.op("@>", is_comparison=True)(cast(array([an.id_key(text)]), ARRAY(Text))), None
    if f == "title":
        c = _forms_match(term_variants(text, synonyms), ReviewDoc.norm_title, use_tokens=False)
        return c, c
    if f == "tag":
        c = or_(ReviewDoc.tags.op("@>", is_comparison=True)(cast(array([text.strip()]), ARRAY(Text))), _text_match(text, ReviewDoc.norm_meta, use_tokens=False))
        return c, None
    if not term.phrase and an.looks_like_code(text):
        code = normalize_code(text)
        return or_(ReviewDoc.code == code, ReviewDoc.idkeys.op("@>", is_comparison=True)(cast(array([an.id_key(text)]), ARRAY(Text)))), None
    subs = []
    forms = term_variants(text, synonyms)
    if not term.phrase and an.looks_like_identifier(text):
        keys = list(dict.fromkeys(an.id_key(v.text) for v in forms if an.looks_like_identifier(v.text) or v.text == text))
        subs += [ReviewDoc.idkeys.op("&&", is_comparison=True)(cast(array(keys), ARRAY(Text))),
                 ReviewDoc.docnokeys.op("&&", is_comparison=True)(cast(array(keys), ARRAY(Text)))]
    yr = year_range(text) if not term.phrase else None
    if yr is not None and yr[0] == yr[1] and 1900 <= yr[0] <= 2100:
        subs.append(ReviewDoc.year == yr[0])
    subs.append(_forms_match(forms, ReviewDoc.norm_text))
    return or_(*subs), _forms_match(forms, ReviewDoc.norm_title, use_tokens=False)


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
        conds.append(_has_item(int(item)))
    if years is not None:
        a, b = years if isinstance(years, tuple) else (years, years)
        conds.append(ReviewDoc.year.between(a, b))
    if not include_trashed:
        conds.append(ReviewDoc.trashed.is_(False))
    if not parsed.groups and not (code or item is not None or years is not None or unit or unit_type):
        return ReviewResult(parsed.raw, parsed.describe(), 0, 0)
    where = and_(true(), *conds)
    words = [w for g in parsed.groups for t in g if t.field not in ("code", "year", "item", "kind")
             for w in variant_words(t.text, synonyms)]
    pattern = highlight_pattern(words)
    with ws.session() as s, s.begin():
        # The units are few: read here, so the docs query touches one table and the planner has
        # no join order to get wrong.
        units = {u.id: u for u in s.execute(select(ReviewUnit.id, ReviewUnit.unit, ReviewUnit.unit_type))}
        if unit or unit_type:
            keep = [i for i, u in units.items() if (not unit or unit.strip() in u.unit) and (not unit_type or u.unit_type == unit_type)]
            where = and_(where, ReviewDoc.unit_id.in_(keep) if keep else false())
        # The planner prices a sequential scan without the cost of reading each row's large
        # token array and text out of TOAST, and so prefers it to the GIN index even when the
        # index leaves a fraction of the rows (1.8 s against 0.15 s at 20,000 records).
        s.execute(sql_text("SET LOCAL enable_seqscan = off"))
        s.execute(sql_text("SET LOCAL jit = off"))  # compiling costs more than these queries run
        matches = s.execute(select(ReviewDoc.id, ReviewDoc.unit_id, ReviewDoc.archive_no, rank.label("rank")).where(where)).all()
        by_unit: dict[str, int] = {}
        for m in matches:
            name = units[m.unit_id].unit
            by_unit[name] = by_unit.get(name, 0) + 1
        by_unit = dict(sorted(by_unit.items(), key=lambda x: (-x[1], x[0])))
        total = len(matches)
        best = sorted(matches, key=lambda m: (-float(m.rank), units[m.unit_id].unit, m.archive_no))[offset:offset + limit]
        order = {m.id: i for i, m in enumerate(best)}
        rows = s.execute(
            select(ReviewDoc.unit_id, ReviewDoc.id, ReviewDoc.archive_no, ReviewDoc.record_id,
                   ReviewDoc.code, ReviewDoc.year, ReviewDoc.doc_date, ReviewDoc.title, ReviewDoc.body)
            .where(ReviewDoc.id.in_(list(order)))
        ).all() if order else []
        rows = sorted(rows, key=lambda r: order[r.id])
        ranks = {m.id: float(m.rank) for m in best}
    hits = []
    for r in rows:
        snip = make_snippet(r.body or "", pattern).marked if pattern is not None and r.body else ""
        u = units[r.unit_id]
        hits.append(ReviewHit(u.unit, u.unit_type, r.archive_no, r.record_id, r.code, r.year, r.doc_date or "",
                              r.title, ranks[r.id], snip))
    return ReviewResult(parsed.raw, parsed.describe(), total, len(by_unit), hits, by_unit)
