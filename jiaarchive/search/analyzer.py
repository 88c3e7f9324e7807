"""Chinese-aware text analysis for the search index (分词).

The scheme ("unit bigrams with run ends")
-----------------------------------------
Text is NFKC-normalised and lower-cased, then cut into *units*: each CJK character is
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
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterator

from array import array
from collections import defaultdict

from whoosh.analysis import Token, Tokenizer
from whoosh.formats import Positions
from whoosh.system import _INT_SIZE, pack_uint, unpack_uint

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


def normalize(text: str) -> str:
    """NFKC (full-width digits and letters become ASCII) and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


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
        pos += n + 1
    return out


def single_unit_terms(unit: str, lexicon_terms: Iterator[str]) -> list[str]:
    """Filter the lexicon terms that start with ``unit`` to those for that exact unit."""
    if is_cjk(unit):
        return list(lexicon_terms)
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


class UnitBigramTokenizer(Tokenizer):
    """Whoosh tokenizer for :func:`tokens` (positions only, no character offsets)."""

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for text, pos in tokens(value):
            t.text = text
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = start_pos + pos
            yield t


def unit_bigram_analyzer():
    return UnitBigramTokenizer()


class UnitPositions(Positions):
    """Whoosh's Positions format, fed by :func:`tokens` directly and stored as arrays.

    Indexing skips Whoosh's per-token ``Token`` objects and its pickled position
    deltas; reading decodes positions with ``array.frombytes`` instead of a Python loop.
    Both matter: posting writing and position checks are where Whoosh spends its time.
    """

    def word_values(self, value, analyzer, **kwargs):
        fb = self.field_boost
        poses = defaultdict(list)
        for text, pos in tokens(value):
            poses[text].append(pos)
        for w, poslist in poses.items():
            yield (w, len(poslist), len(poslist) * fb, self.encode(poslist))

    def encode(self, poslist):
        # Absolute positions as 16-bit when they fit (most records), else 32-bit; the
        # count's high bit says which.
        n = len(poslist)
        if poslist[-1] < 65536:
            return pack_uint(n) + array("H", poslist).tobytes()
        return pack_uint(n | 0x80000000) + array("I", poslist).tobytes()

    def decode_positions(self, valuestring):
        a = array("I" if valuestring[0] & 0x80 else "H")  # the count is big-endian
        a.frombytes(valuestring[_INT_SIZE:])
        return a.tolist()

    def decode_frequency(self, valuestring):
        return unpack_uint(valuestring[:_INT_SIZE])[0] & 0x7FFFFFFF

    def combine(self, vs):
        s = set()
        for v in vs:
            s.update(self.decode_positions(v))
        return self.encode(sorted(s))
