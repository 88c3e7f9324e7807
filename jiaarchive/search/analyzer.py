"""Chinese-aware text analysis for the search index (分词): pure Python, no Whoosh.

Text → tokens (:func:`tokens`, :func:`token_counts`) and query words → the tokens and the
phrase checks that find them (:func:`query_tokens`, :func:`query_all_tokens`,
:func:`phrase_needle`) need nothing but this module and ``normalize.py``, so a second store
of the same tokens (a PostgreSQL GIN index over them) analyses text exactly as the archive's
own index does; the Whoosh glue lives in ``_fields.py``.

The scheme ("unit bigrams with run ends")
-----------------------------------------
Text is normalised (``normalize.py``: NFKC, lower case, 繁体 → 简体 by OpenCC's character
table), then cut into *units*: each CJK character is
one unit, and each run of letters/digits (``2008``, ``word``, ``d30``) is one unit.
Units that touch (no space or punctuation between them) form a *run*.  For every unit
the index stores one token at the unit's position:

* ``u + next`` when the next unit is in the same run (``工会``, ``28号``), or
* ``u + "$"``  when the unit ends its run (``费$``, ``a$``).

Runs are separated by a one-position gap, so positions never join text across
punctuation.  A query term is cut the same way and searched as an *offset phrase*:
the tokens of a run must sit at exactly the offsets they have in the query.  Because
each token covers two units, a non-overlapping cover is enough (``职工代表大会`` →
``职工@0 代表@2 大会@4``), which halves the posting lists read per phrase.

What this buys, each point a known trap of the alternatives:

* two-character words are one token (``会费``, ``年假``), found with one posting list;
* a term whose Chinese part is one character at an edge is still exact: ``28号`` is
  the token ``28号``, which ``128号`` (token ``128号``) never produces, and ``A-1``
  is ``a$ 1$`` at consecutive runs, which ``A-12`` (``a$ 12$``) never matches;
* query and document are cut by the same deterministic rule, so a query word inside
  a longer document word is always found (jieba's trap), and nothing is ever split
  across words (a phrase must match contiguously);
* a one-character query (``会``) expands to the terms starting with it (every unit
  starts exactly one token), so it needs no separate unigram index.

Measured with bench/search_bench.py on this 2-core machine (shared with other jobs).
Quality: 62 known-item queries of tests/search_queries.toml over the 49 texts of
../shared/corpus/docs_cn (one record each), recall@10 and identifier confusions (a
rejected file returned, e.g. ``A-1`` giving the ``A-12`` record):

==============================================  =========  ==========
candidate                                       recall@10  confusions
==============================================  =========  ==========
Whoosh StandardAnalyzer + QueryParser             0.157        0
jieba ChineseAnalyzer + QueryParser               0.686        1
SQLite FTS5 trigram (no synonyms)                 0.517        2
CJK bigram + unigram, terms as phrases (trial)    1.00*        --
unit bigrams + run ends, offset phrases (this)    1.000        0
==============================================  =========  ==========

(* the issue's first trial; it was also the slowest and largest.)  Speed of this
analyzer, same bench: see the table in ``jiaarchive/search/__init__.py``.

How phrases are checked (schema 2)
----------------------------------
The index keeps each token's frequency per record but no positions: position lists
were two thirds of the 588 MB index at 20,000 records and every posting read paid for
decompressing and unpickling them.  A multi-token term is found in two steps
(``_exec.py``): its tokens' record sets are intersected — *all* the overlapping
bigrams, :func:`query_all_tokens`, rarest first, because the bigrams that straddle the
cover (``资集`` in ``工资集体协商``) are what make the candidates few — and then the
candidates that survive the whole query are checked against the record's text in the
text store (``_store.py``) with :func:`phrase_needle`, which means exactly what the
offset phrase meant (tests/test_search.py checks the two against each other on
random texts).  On the 20,000-record bench archive, ``工资集体协商`` and
``人民调解委员会`` (1,462 and 1,009 matches) needed 23,956 text checks with cover-only
candidates and need 3,363 with all bigrams; over the whole query set, 87,705 checks
for 67,958 matches.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterator

from collections import Counter
from functools import lru_cache

from .normalize import normalize  # noqa: F401 - the analysis entry point, re-exported

# CJK ideographs (BMP, extension A, compatibility, supplementary planes), 〇, kana, hangul.
_CJK = (
    "\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\U00020000-\U0003134f"
)
# Letters and digits that form one unit together (Latin, Greek, Cyrillic).
_ALNUM = "0-9a-z\u00b5\u00df-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff"
# One unit: a CJK character, or a run of letters/digits.
_UNIT = re.compile(f"([{_CJK}])|([{_ALNUM}]+)")
_CJK_CHAR = re.compile(f"[{_CJK}]")

END = "$"  # marks a unit that ends its run; never produced by the unit pattern


def is_cjk(ch: str) -> bool:
    return bool(_CJK_CHAR.fullmatch(ch))


def runs(text: str) -> list[list[str]]:
    """Cut normalised text into runs of touching units."""
    out: list[list[str]] = []
    cur: list[str] = []
    prev_end = -1
    for m in _UNIT.finditer(text):
        if m.start() != prev_end and cur:
            out.append(cur)
            cur = []
        cur.append(m.group())
        prev_end = m.end()
    if cur:
        out.append(cur)
    return out


_RUNS = re.compile(f"[{_CJK}{_ALNUM}]+")
_PURE_CJK = re.compile(f"[{_CJK}]+")


def tokens(text: str) -> Iterator[tuple[str, int]]:
    """(token, position) pairs for document text (normalised here)."""
    pos = 0
    fullmatch_cjk = _PURE_CJK.fullmatch
    for m in _RUNS.finditer(normalize(text)):
        run = m.group()
        if fullmatch_cjk(run):
            # The common case, done without a per-unit regex: one unit per character.
            n = len(run)
            for i in range(n - 1):
                yield run[i:i + 2], pos + i
            yield run[-1] + END, pos + n - 1
            pos += n + 1
        else:
            units = _UNIT.findall(run)
            units = [a or b for a, b in units]
            n = len(units)
            for i in range(n - 1):
                yield units[i] + units[i + 1], pos + i
            yield units[-1] + END, pos + n - 1
            pos += n + 1


def query_tokens(term: str) -> list[tuple[str, int]] | str | None:
    """How to search one query term in a text field.

    Returns a list of (token, offset) to match as an offset phrase, or a single unit
    (str) when the term is one unit (searched by expanding the terms that start with
    it), or None when the term has no searchable unit at all.
    """
    rs = runs(normalize(term))
    if not rs:
        return None
    if len(rs) == 1 and len(rs[0]) == 1:
        return rs[0][0]
    out: list[tuple[str, int]] = []
    pos = 0
    for run in rs:
        if len(run) == 1:
            # A lone unit between separators ends its run in the document too
            # (``A-1`` is ``a$ 1$``, so ``A-12`` never matches).
            out.append((run[0] + END, pos))
            pos += 2
            continue
        # Non-overlapping cover of the run's bigrams, plus the last one.
        n = len(run)
        starts = list(range(0, n - 1, 2))
        if starts[-1] != n - 2:
            starts.append(n - 2)
        for s in starts:
            out.append((run[s] + run[s + 1], pos + s))
        if run is not rs[-1]:
            # A run followed by another must end where the document's run ends
            # (``大会-A`` is not in ``大会代A``).
            out.append((run[-1] + END, pos + n - 1))
        pos += n + 1
    return out


def single_unit_terms(unit: str, lexicon_terms: Iterator[str]) -> list[str]:
    """Filter the lexicon terms that start with ``unit`` to those for that exact unit."""
    if is_cjk(unit):
        # Not the n-gram tokens (ngrams.py): a bigram or run end says it all.
        return [t for t in lexicon_terms if not (len(t) > 2 and _PURE_CJK.fullmatch(t))]
    n = len(unit)
    return [t for t in lexicon_terms if len(t) == n + 1 and (t[n] == END or is_cjk(t[n]))]


# -- identifiers (档号, 文号, codes): found whole and by their parts -------------------

_ID_SEP = re.compile(r"[\s\-‐‑–—·•・.．、,，/\\_〔〕\[\]()（）【】<>《》{}]+")


def id_segments(value: str) -> list[str]:
    return [s for s in _ID_SEP.split(normalize(value)) if s]


def id_key(value: str) -> str:
    """The canonical form of an identifier or identifier part as typed in a query."""
    return "-".join(id_segments(value))


def id_parts(value: str) -> list[str]:
    """Every contiguous run of segments of an identifier, canonical form.

    ``A-1·2021-D30-0003`` → ``a-1-2021-d30-0003``, ``a-1``, ``d30-0003``, ``0003`` …;
    ``渝工组〔2008〕28号`` → ``渝工组-2008-28号``, ``2008-28号``, ``28号`` ….
    """
    segs = id_segments(value)
    out = []
    for i in range(len(segs)):
        for j in range(i + 1, len(segs) + 1):
            out.append("-".join(segs[i:j]))
    return out


# Looks like an identifier when typed bare in a query.
_CODE_RE = re.compile(r"^[a-z]-\d{1,3}$")
_IDISH_RE = re.compile(r"\d")


def looks_like_code(word: str) -> bool:
    """``A-1``, ``F-6``: a catalogue code (searched as a field, not as text)."""
    return bool(_CODE_RE.match(id_key(word)))


def looks_like_identifier(word: str) -> bool:
    """Has digits and either separators between segments or a ``号`` suffix."""
    w = normalize(word)
    if not _IDISH_RE.search(w):
        return False
    return len(id_segments(w)) > 1 or w.endswith("号") or bool(re.match(r"^[a-z]+\d", w))


# -- verifying a phrase against the stored text (the executor's phase 2) --------------------

_UNIT_CLASS = f"[{_CJK}{_ALNUM}]"
_SEP_CLASS = f"[^{_CJK}{_ALNUM}]+"
_ALNUM_RE = re.compile(f"[{_ALNUM}]")
# Conjoining and compatibility Hangul jamo: NFKC composes them with their neighbours into
# syllables (가 + ㄳ → 갃), which no test of one character at a time can see.
_JAMO = "\u1100-\u11ff\u3131-\u318e\ua960-\ua97f\ud7b0-\ud7ff\uffa0-\uffdc"


@lru_cache(maxsize=1)
def nfkc_cjk_risk() -> re.Pattern:
    """Characters that NFKC turns into CJK characters, or merges with them.

    Kangxi and supplement radicals, enclosed and square CJK, compatibility ideographs,
    half-width katakana, combining kana marks, Hangzhou numerals (〸 → 十), kanbun marks
    (㆕ → 四), ゟ → より, Hangul jamo …  A text without them has the same CJK characters
    before and after normalize(), so a pure-CJK phrase can be looked for in the original
    bytes.  Computed from this Python's Unicode tables (~0.1 s, once): a hand-made list
    missed the Hangzhou numerals and kanbun marks, and records written with them were not
    found by the words they normalise to.
    """
    cjk = re.compile(f"[{_CJK}]")
    cps = []
    for cp in [*range(0x80, 0xD800), *range(0xE000, 0x40000)]:
        c = chr(cp)
        n = unicodedata.normalize("NFKC", c)
        if n != c and cjk.search(n):
            cps.append(cp)
    ranges: list[list[int]] = []
    for cp in cps:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    cls = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                  for a, b in ranges)
    return re.compile(f"[{_JAMO}\u3099-\u309c{cls}]")


def unit_needle(unit: str) -> bytes | re.Pattern:
    """What a one-unit query means in a field's text: every token starting with ``unit``.

    A CJK character anywhere (it starts exactly one token wherever it is), a run of
    letters/digits only as a whole unit (``ab`` is not in ``abc``).
    """
    u = normalize(unit)
    if is_cjk(u):
        return u.encode("utf-8")
    return re.compile(f"(?<![{_ALNUM}]){re.escape(u)}(?![{_ALNUM}])", re.IGNORECASE)


def phrase_needle(word: str) -> bytes | re.Pattern:
    """How to check ``word`` (a multi-token query term) in a field's text.

    Pure-CJK single-run words come back as UTF-8 bytes: the tokens line up at their
    offsets exactly when the normalised text contains the word (every character is a
    unit, so an occurrence never crosses a separator), and UTF-8 is self-synchronising,
    so a byte search is a character search.  Anything else (letters/digits, several
    runs) comes back as a regular expression over normalised text with the same
    meaning as the offset phrase: runs joined by separators, a letter/digit unit never
    matched inside a longer one, a lone unit ending its run.  It is compiled with
    IGNORECASE so that it can also search original (unnormalised) text that has no
    character of :func:`nfkc_unit_risk`.
    """
    rs = runs(normalize(word))
    if all(len(u) == 1 and is_cjk(u) for run in rs for u in run):
        if len(rs) == 1:
            return "".join(rs[0]).encode("utf-8")
        return _cjk_runs_needle(rs)
    return _runs_pattern(rs)


def _runs_pattern(rs: list[list[str]]) -> re.Pattern:
    parts = []
    for i, run in enumerate(rs):
        lit = "".join(re.escape(u) for u in run)
        if i == 0 and _ALNUM_RE.match(run[0]):
            lit = f"(?<![{_ALNUM}])" + lit
        parts.append(lit)
    pat = _SEP_CLASS.join(parts)
    last = rs[-1]
    if len(last) == 1:
        pat += f"(?!{_UNIT_CLASS})"
    elif _ALNUM_RE.match(last[-1]):
        pat += f"(?![{_ALNUM}])"
    return re.compile(pat, re.IGNORECASE)


class ByteNeedle:
    """A phrase of several pure-CJK runs (``职工（代表）大会``) as a pattern over UTF-8 bytes.

    ``raw`` searches the stored bytes directly (no decode): the runs' bytes joined by
    one or more *separator characters*, i.e. UTF-8 sequences of characters that are not
    units even case-insensitively (:func:`_unit_chars_ci`), so it means exactly what the
    IGNORECASE ``text`` pattern means on text without :func:`nfkc_unit_risk` characters.
    ``text`` (the str pattern) is for entries that need normalising first.  On the
    20,000-record bench, these synonym variants were checked on nearly every record
    (all of their bigrams are common) and decoding each record's text dominated.
    """

    __slots__ = ("raw", "text")

    def __init__(self, raw: re.Pattern, text: re.Pattern):
        self.raw, self.text = raw, text


def _cjk_runs_needle(rs: list[list[str]]) -> ByteNeedle:
    sep1 = _utf8_sep_class()
    parts = [re.escape("".join(run).encode("utf-8")) for run in rs]
    pat = (b"(?:" + sep1 + b")+").join(parts)
    if len(rs[-1]) == 1:  # a lone unit ends its run
        pat += b"(?:(?=" + sep1 + b")|\\Z)"
    return ByteNeedle(re.compile(pat), _runs_pattern(rs))


@lru_cache(maxsize=1)
def _unit_chars_ci() -> list[tuple[int, int]]:
    """Code point ranges of the characters the IGNORECASE unit class matches."""
    units = re.compile(_UNIT_CLASS + "+", re.IGNORECASE)
    # One C-level scan over the first two planes (surrogates replaced by a non-unit);
    # above them no character has a case and the units are _CJK's last range.
    low = "".join(map(chr, range(0xD800))) + "\0" * 0x800 + "".join(
        map(chr, range(0xE000, 0x20000)))
    out = [(m.start(), m.end() - 1) for m in units.finditer(low)]
    assert not units.match("\U00035000") and units.match("\U0003134f")
    return out + [(0x20000, 0x3134F)]


def _utf8_split(lo: int, hi: int) -> list[list[tuple[int, int]]]:
    """Byte-range sequences covering the code points lo..hi (same UTF-8 length, no surrogates)."""
    n = len(chr(lo).encode("utf-8"))
    for i in range(1, n):
        m = (1 << (6 * i)) - 1
        if lo & ~m != hi & ~m:
            if lo & m:
                return _utf8_split(lo, lo | m) + _utf8_split((lo | m) + 1, hi)
            if hi & m != m:
                return _utf8_split(lo, (hi & ~m) - 1) + _utf8_split(hi & ~m, hi)
    a, b = chr(lo).encode("utf-8"), chr(hi).encode("utf-8")
    return [list(zip(a, b))]


@lru_cache(maxsize=1)
def _utf8_sep_class() -> bytes:
    """A bytes-regex alternation matching one UTF-8 character that is not a unit."""
    seps, prev = [], 0
    for a, b in _unit_chars_ci():
        if a > prev:
            seps.append((prev, a - 1))
        prev = b + 1
    seps.append((prev, 0x10FFFF))
    alts = []
    for lo, hi in seps:
        # Split at UTF-8 length boundaries and around the surrogates.
        for blo, bhi in ((0, 0x7F), (0x80, 0x7FF), (0x800, 0xD7FF), (0xE000, 0xFFFF),
                         (0x10000, 0x10FFFF)):
            x, y = max(lo, blo), min(hi, bhi)
            if x <= y:
                for seq in _utf8_split(x, y):
                    alts.append(b"".join(
                        b"\\x%02x" % p if p == q else b"[\\x%02x-\\x%02x]" % (p, q)
                        for p, q in seq))
    return b"(?:" + b"|".join(alts) + b")"


def token_counts(text: str, normalized: bool = False) -> Counter:
    """How often each token of :func:`tokens` occurs in ``text`` (the same tokens, faster).

    Indexing needs no positions any more, so the pure-CJK runs (nearly all of the text)
    are counted with C-level ``map``/``Counter`` instead of one Python step per token.
    """
    counts: Counter = Counter()
    fullmatch_cjk = _PURE_CJK.fullmatch
    add = str.__add__
    for m in _RUNS.finditer(text if normalized else normalize(text)):
        run = m.group()
        if fullmatch_cjk(run):
            counts.update(map(add, run, run[1:]))
            counts[run[-1] + END] += 1
        else:
            units = [a or b for a, b in _UNIT.findall(run)]
            counts.update(map(add, units, units[1:]))
            counts[units[-1] + END] += 1
    return counts


_UNIT_CHAR = re.compile(_UNIT_CLASS)


@lru_cache(maxsize=1)
def nfkc_unit_risk() -> frozenset[str]:
    """Characters whose normalised form differs (beyond case) and involves a unit character.

    Full-width digits and letters, circled numbers, ligatures, compatibility ideographs …
    A text without any of them has the same units before and after :func:`normalize`
    (up to case), so a phrase pattern compiled with IGNORECASE can search the original
    text.  Built once from the Unicode tables (~65,000 characters, a few tens of ms).
    """
    chars = []
    for cp in [*range(0x80, 0xD800), *range(0xE000, 0x10000), *range(0x1F100, 0x1F300),
               *range(0x2F800, 0x2FA20)]:
        c = chr(cp)
        n = unicodedata.normalize("NFKC", c)
        if n != c and n.lower() != c.lower() and _UNIT_CHAR.search((c + n).lower()):
            chars.append(c)
    # A set, tested with ``isdisjoint(text)``: a regex class of these 2,000 characters
    # took 2.7 ms per 3,500-character record, more than tokenising it.
    return frozenset(chars)


def query_all_tokens(term: str) -> list[tuple[str, int]]:
    """Every token of a multi-unit query term at its offset (not just a cover).

    The overlapping bigrams (``资集``, ``体协`` in ``工资集体协商``) are what ties the
    words together: the candidate set of all of them is close to the true matches,
    while the cover alone (``工资``, ``集体``, ``协商``) is in ten times as many records
    on the bench archive.  The executor reads them rarest first and stops when the
    candidates are few compared with the next list.
    """
    out: list[tuple[str, int]] = []
    pos = 0
    rs = runs(normalize(term))
    for k, run in enumerate(rs):
        n = len(run)
        for i in range(n - 1):
            out.append((run[i] + run[i + 1], pos + i))
        if n == 1 or k < len(rs) - 1:
            out.append((run[-1] + END, pos + n - 1))
        pos += n + 1
    return out
