"""The query language: parse what a clerk types, plan it into a Whoosh query, make snippets.

Grammar (words are ANDed)::

    工会经费  "职工代表大会 决议"  年假 OR 年休假  -草稿  code:A-1  year:2020..2021
    item:3  文号:渝工组〔2008〕28号  档号:D30-0003  type:照片  title:章程  tag:表彰

A bare word shaped like a catalogue code (``A-1``) is searched in the code and 档号
fields only; a word shaped like an identifier (``D30-0003``, ``〔2008〕28号``, ``28号``)
in the 档号 / 文号 fields and as exact text; a year (``2021``) in the year field and as
text; every other word as a phrase in title, remarks/tags and body, with its synonyms.
Nothing here imports Whoosh; plans are run by ``_exec.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from . import analyzer as an
from . import ngrams
from .normalize import fold
from .numerals import CN_DIGITS, Form, guarded_pattern, numeral_variants
from .synonyms import SynonymTable

# Field names a clerk may type, in English or Chinese, and what they mean.
FIELD_ALIASES = {
    "code": "code", "分类": "code", "类目": "code", "卷": "code", "volume": "code",
    "year": "year", "年度": "year", "年": "year",
    "item": "item", "项": "item", "条目": "item",
    "文号": "doc_no", "docno": "doc_no", "doc_no": "doc_no",
    "档号": "archive_no", "archive_no": "archive_no",
    "type": "kind", "kind": "kind", "类型": "kind",
    "title": "title", "题名": "title", "标题": "title",
    "tag": "tag", "标签": "tag",
}
FILTER_FIELDS = {"code", "year", "item", "kind"}

_FIELD_LABELS = {
    "code": "分类", "year": "年度", "item": "评分项", "doc_no": "文号", "archive_no": "档号",
    "kind": "类型", "title": "题名", "tag": "标签",
}

_TOKEN_RE = re.compile(
    r'(?P<neg>-)?(?:(?P<field>[^\s:："“”]+)[:：])?'
    r'(?:"(?P<q1>[^"]*)"?|“(?P<q2>[^”]*)”?|(?P<word>[^\s"“]+))'
)
_YEAR_RE = re.compile(r"^(\d{4})(?:\s*(?:\.\.|~|～|-|—|至|到)\s*(\d{4}))?$")


@dataclass(frozen=True)
class QTerm:
    """One searched thing: ``text`` in ``field`` (None = everywhere)."""

    text: str
    field: str | None = None
    phrase: bool = False  # typed in quotes

    def describe(self) -> str:
        t = f"“{self.text}”" if self.phrase else self.text
        return f"{_FIELD_LABELS[self.field]}:{t}" if self.field else t


@dataclass(frozen=True)
class ParsedQuery:
    """A parsed query: every group must match (a group is alternatives joined by OR)."""

    groups: tuple[tuple[QTerm, ...], ...] = ()
    negated: tuple[QTerm, ...] = ()
    raw: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.groups

    def describe(self) -> str:
        """A Chinese one-line account of what is searched, for the TUI."""
        parts = [" 或 ".join(t.describe() for t in g) for g in self.groups]
        parts += [f"不含 {t.describe()}" for t in self.negated]
        return "，且 ".join(parts) if parts else "（空查询）"

    def highlight_words(self) -> list[str]:
        return [t.text for g in self.groups for t in g if t.field not in FILTER_FIELDS]


def parse_query(text: str) -> ParsedQuery:
    """Parse a query string; never raises (unknown ``x:`` prefixes are searched as text)."""
    groups: list[list[QTerm]] = []
    negated: list[QTerm] = []
    join_next = False
    for m in _TOKEN_RE.finditer(text.replace("\u3000", " ")):
        neg, fname = m.group("neg"), m.group("field")
        quoted = m.group("q1") if m.group("q1") is not None else m.group("q2")
        value = quoted if quoted is not None else m.group("word")
        if quoted is None and fname is None and not neg and value in ("OR", "|", "或"):
            join_next = bool(groups)
            continue
        field_ = None
        if fname is not None:
            field_ = FIELD_ALIASES.get(fname.lower()) or FIELD_ALIASES.get(fname)
            if field_ is None:  # not a field: keep the colon as text
                value = f"{fname}:{value}"
        value = value.strip()
        if not value:
            continue
        term = QTerm(value, field_, quoted is not None)
        if neg and (len(value) > 0):
            negated.append(term)
            join_next = False
            continue
        if join_next and groups:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    return ParsedQuery(tuple(tuple(g) for g in groups), tuple(negated), text)


def year_range(text: str) -> tuple[int, int] | None:
    m = _YEAR_RE.match(an.normalize(text).strip())
    if not m:
        return None
    a = int(m.group(1))
    b = int(m.group(2) or a)
    return (min(a, b), max(a, b))


def normalize_code(text: str) -> str:
    """``a-1`` → ``A-1``, ``a`` → ``A`` (catalogue codes are stored upper-case)."""
    return an.id_key(text).upper()


# -- planning ---------------------------------------------------------------------

TITLE_BOOST = 3.0
DOCNO_BOOST = 3.0
META_BOOST = 1.5
MAX_EXPANSION = 400  # terms a one-character query may expand to per field
MAX_VARIANTS = 64  # a safety cap (the largest group of catalog/synonyms.toml has 9 words)


def synonym_variants(word: str, synonyms: dict[str, tuple[str, ...]]) -> list[str]:
    """``word`` and what the synonym table makes of it (whole word or a part of it)."""
    out = [word]
    key = an.normalize(word)
    for syn in synonyms.get(key, ()):
        if syn not in out:
            out.append(syn)
    if len(out) == 1:
        # A table word inside a longer query word: 职代会决议 → 职工代表大会决议.
        for k, syns in synonyms.items():
            if len(k) >= 2 and k in key and k != key:
                for s in syns:
                    v = key.replace(k, s)
                    if v not in out:
                        out.append(v)
                if len(out) >= MAX_VARIANTS:
                    break
    return out[:MAX_VARIANTS]


def term_variants(word: str, synonyms: dict[str, tuple[str, ...]]) -> list[Form]:
    """Every form a query word is searched in: itself, its synonyms, and each of those with
    its counted numbers spelled both ways (``第12条`` / ``第十二条``, see numerals.py).

    Pure: the same expansion serves this index and any other store of the same tokens.
    """
    if isinstance(synonyms, SynonymTable):  # (one shared object per table: cacheable)
        return list(_cached_variants(word, synonyms))
    return _term_variants(word, synonyms)


@lru_cache(maxsize=2048)
def _cached_variants(word: str, synonyms) -> tuple[Form, ...]:
    return tuple(_term_variants(word, synonyms))


def _term_variants(word: str, synonyms: dict[str, tuple[str, ...]]) -> list[Form]:
    out: list[Form] = []
    for v in synonym_variants(word, synonyms):
        out += numeral_variants(an.normalize(v)) if _MAYBE_NUMBER.search(v) else [Form(v)]
    return list(dict.fromkeys(out))[:MAX_VARIANTS]


def variant_words(word: str, synonyms: dict[str, tuple[str, ...]]) -> list[str]:
    """The texts of :func:`term_variants`, and every word of the word's synonym groups
    (a concept token finds them all, beyond MAX_VARIANTS): what a hit highlights."""
    return [f.text for f in term_variants(word, synonyms)] + list(synonyms.get(an.normalize(word), ()))


_MAYBE_NUMBER = re.compile(f"[0-9０-９{CN_DIGITS}]")
_TEXT_FIELDS = [("title", TITLE_BOOST), ("meta", META_BOOST), ("body", 1.0)]


# -- snippets ---------------------------------------------------------------------

SNIPPET_BEFORE = 24
SNIPPET_LEN = 96


@dataclass
class Snippet:
    text: str  # plain text
    spans: list[tuple[int, int]] = field(default_factory=list)
    matches: int = 0  # distinct words matched in the whole source text

    @property
    def marked(self) -> str:
        out, last = [], 0
        for a, b in self.spans:
            out += [self.text[last:a], "【", self.text[a:b], "】"]
            last = b
        out.append(self.text[last:])
        return "".join(out)


def highlight_pattern(words: list[str]) -> re.Pattern | None:
    alts = set()
    for w in words:
        w = w.strip()
        if not w:
            continue
        alts.add(w)
        alts.add(an.normalize(w))
        alts.add(fold(w))
    if not alts:
        return None
    ordered = sorted(alts, key=len, reverse=True)
    return re.compile("|".join(re.escape(a) for a in ordered), re.IGNORECASE)


def make_snippet(text: str, pattern: re.Pattern | None, may_fold: bool = True) -> Snippet:
    """A short passage of ``text`` around the first match, matches as spans.

    ``may_fold``: the text may hold characters normalisation changes (繁体 …), so a word
    not found as written is looked for in :func:`fold` of it."""
    if pattern is None:
        return Snippet(_squash(text[:SNIPPET_LEN]))
    hay = text  # where the words are looked for; fold(text) has the same positions
    found = list(pattern.finditer(hay))
    if not found and may_fold:
        # Written in 繁体 (or full-width …) while the query is not: look in the folded text.
        hay = fold(text)
        found = list(pattern.finditer(hay)) if hay != text else []
    if not found:
        return Snippet(_squash(text[:SNIPPET_LEN]))
    distinct = {m.group().lower() for m in found}
    # Start near the first place where the most distinct words are close together.
    best = found[0].start()
    best_n = 0
    head = found[:211]
    starts = [m.start() for m in head]
    lowered = [m.group().lower() for m in head]
    for i in range(min(200, len(head))):
        s0 = starts[i]
        words = {lowered[j] for j in range(i, min(i + 12, len(head)))
                 if starts[j] - s0 < SNIPPET_LEN - 10}
        if len(words) > best_n:
            best, best_n = s0, len(words)
            if best_n == len(distinct):  # no later place can have more
                break
    start = max(0, best - SNIPPET_BEFORE)
    window = text[start:start + SNIPPET_LEN]
    plain, mapping = _squash_map(window)
    spans = []
    for m in pattern.finditer(hay[start:start + SNIPPET_LEN]):
        a, b = mapping[m.start()], mapping[m.end() - 1] + 1
        if not spans or a >= spans[-1][1]:
            spans.append((a, b))
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + SNIPPET_LEN < len(text) else ""
    spans = [(a + len(prefix), b + len(prefix)) for a, b in spans]
    return Snippet(prefix + plain + suffix, spans, len(distinct))


def match_spans(text: str, pattern: re.Pattern | None, may_fold: bool = True) -> list[tuple[int, int]]:
    """Where the words of ``pattern`` are in ``text`` as written (繁体 included): for titles."""
    if pattern is None or not text:
        return []
    hay = text if not may_fold or pattern.search(text) else fold(text)
    return [m.span() for m in pattern.finditer(hay)]


def _squash(s: str) -> str:
    return _squash_map(s)[0]


def _squash_map(s: str) -> tuple[str, list[int]]:
    """Collapse runs of whitespace to one space; map each input index to its output index."""
    out: list[str] = []
    mapping: list[int] = []
    prev_space = False
    for ch in s:
        if ch.isspace():
            if not prev_space:
                out.append(" ")
            prev_space = True
        else:
            out.append(ch)
            prev_space = False
        mapping.append(len(out) - 1)
    return "".join(out), mapping


# -- planning for the two-phase executor (jiaarchive/search/_exec.py) ----------------------

def _text_plan(form: Form | str, fields: list[tuple[str, float]], reader) -> list:
    from ._exec import Phrase, Scan, Term

    if isinstance(form, str):
        form = Form(form)
    word = form.text
    plan = an.query_tokens(word)
    if plan is None:
        return []
    guarded = form.guard_left or form.guard_right
    vocab = _vocab(reader)
    key = an.normalize(word)
    if key in vocab and not guarded:  # a common 3-4 character word, indexed whole (ngrams.py)
        return [Term(fname, key, boost) for fname, boost in fields]
    extra = [(g, -1) for g in ngrams.in_word(vocab, key)] if isinstance(plan, list) else []
    subs: list = []
    for fname, boost in fields:
        if isinstance(plan, str):
            raw = list(islice(reader.expand_prefix(fname, plan), 4 * MAX_EXPANSION + 1))
            terms = an.single_unit_terms(plan, (t.decode("utf-8") if isinstance(t, bytes) else t
                                                for t in raw))
            if len(raw) <= 4 * MAX_EXPANSION and len(terms) <= MAX_EXPANSION and not guarded:
                subs += [Term(fname, t, boost) for t in terms]
            else:
                # Too many tokens start with it (的 is followed by thousands of characters):
                # look for it in the text of the records left by the rest of the query.
                subs.append(Scan(fname, boost, _needle(form) if guarded else an.unit_needle(plan)))
        elif guarded:
            subs.append(Phrase(fname, an.query_all_tokens(word) + extra, boost, _needle(form)))
        elif len(plan) == 1:  # one token says it all (会费, 28号)
            subs.append(Phrase(fname, list(plan), boost))
        else:
            subs.append(Phrase(fname, an.query_all_tokens(word) + extra, boost,
                               an.phrase_needle(word)))
    return subs


def _needle(form: Form) -> re.Pattern:
    """The phrase check of a form whose Chinese numeral edges must not touch other numerals."""
    nd = an.phrase_needle(form.text)
    if isinstance(nd, bytes):
        base = re.escape(nd.decode("utf-8"))
    elif isinstance(nd, an.ByteNeedle):
        base = nd.text.pattern
    else:
        base = nd.pattern
    return re.compile(guarded_pattern(base, form), re.IGNORECASE)


def _vocab(reader) -> frozenset:
    try:
        return reader.schema["body"].analyzer.vocab or frozenset()
    except (KeyError, AttributeError):
        return frozenset()


def _years(a: int, b: int) -> list:
    from ._exec import Term

    return [Term("year", str(y), score=False) for y in range(a, b + 1)]


def term_plan(term: QTerm, reader, synonyms) -> list:
    """Alternatives (plan nodes) for one QTerm; an empty list matches nothing."""
    from ._exec import Term

    text = term.text
    f = term.field
    if f == "code":
        code = normalize_code(text)
        return [Term("volume" if len(code) == 1 else "code", code, score=False)]
    if f == "year":
        yr = year_range(text)
        return _years(*yr) if yr else []
    if f == "item":
        digits = re.sub(r"\D", "", an.normalize(text))
        return [Term("items", str(int(digits)), score=False)] if digits else []
    if f == "kind":
        return [Term("kinds", text.strip(), score=False)]
    if f == "doc_no":
        return [Term("docno", an.id_key(text), DOCNO_BOOST)]
    if f == "archive_no":
        return [Term("ids", an.id_key(text), DOCNO_BOOST)]
    if f == "title":
        return _text_plan(text, [("title", TITLE_BOOST)], reader)
    if f == "tag":
        return _text_plan(text, [("meta", 1.0)], reader)
    if not term.phrase and an.looks_like_code(text):
        return [Term("code", normalize_code(text), DOCNO_BOOST),
                Term("ids", an.id_key(text), DOCNO_BOOST)]
    subs: list = []
    forms = term_variants(text, synonyms)
    if not term.phrase and an.looks_like_identifier(text):
        # 文号 written another way (主席令第四十七号 / 主席令47号) is the same 文号.
        keys = dict.fromkeys(an.id_key(f.text) for f in forms if an.looks_like_identifier(f.text)
                             or f.text == text)
        subs += [Term(fld, key, DOCNO_BOOST) for key in keys for fld in ("ids", "docno")]
    yr = year_range(text) if not term.phrase else None
    if yr is not None and yr[0] == yr[1] and 1900 <= yr[0] <= 2100:
        subs.append(Term("year", str(yr[0])))
    plain = all(not (f.guard_left or f.guard_right) for f in forms)
    variants = synonym_variants(text, synonyms)
    if len(variants) > 1 and plain and len(forms) == len(variants):
        concepts = _concept_tokens(text, synonyms, reader)
        if concepts:
            subs += [Term(f, tok, boost) for f, boost in _TEXT_FIELDS for tok in concepts]
            return subs
    for form in forms:
        subs += _text_plan(form, _TEXT_FIELDS, reader)
    return subs


def _concept_tokens(word: str, synonyms, reader) -> list[str] | None:
    """The index's concept tokens for ``word`` and all its synonyms (see concepts.py), if any."""
    try:
        concepts = reader.schema["body"].analyzer.concepts
    except (KeyError, AttributeError):
        return None
    if not concepts:
        return None
    key = an.normalize(word)
    return concepts.tokens_for(word, (word, *synonyms.get(key, ())))


def plan_query(parsed: ParsedQuery, reader, synonyms, *, code=None, years=None, item=None,
               kind=None, include_trashed=False):
    """The executor's plan for one segment reader, or None when nothing can match."""
    from ._exec import All, Any, Plan, Term

    def alt(nodes):
        return nodes[0] if len(nodes) == 1 else Any(nodes)

    musts = []
    for group in parsed.groups:
        nodes = [n for t in group for n in term_plan(t, reader, synonyms)]
        if not nodes:
            return None
        musts.append(alt(nodes))
    if code:
        musts.append(alt(term_plan(QTerm(code, "code"), reader, synonyms)))
    if years:
        musts.append(alt(_years(years[0], years[1])))
    if item is not None:
        musts.append(Term("items", str(int(item)), score=False))
    if kind:
        musts.append(Term("kinds", kind, score=False))
    if not musts:
        return None
    nots = [n for t in parsed.negated for n in term_plan(t, reader, synonyms)]
    if not include_trashed:
        nots.append(Term("trashed", "1", score=False))
    return Plan(musts[0] if len(musts) == 1 else All(musts), alt(nots) if nots else None)
