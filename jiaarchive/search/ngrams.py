"""Common three- and four-character words indexed whole ("n-gram tokens").

The index's tokens are bigrams, so a longer word is found by ANDing its bigrams and then
checking each candidate record's text (``_exec.py``, phase 2).  That check costs ~1.7 µs
a record, and for the words an archive is full of it is paid on thousands of records:
on the 20,000-record bench ``劳动合同`` (in 11,000 records) spent 20 ms of its 25 in
checks, and ``哺乳期``, ``民主管理``, ``试用期`` most of theirs.

So a rebuild looks at the first :data:`SAMPLE` records and picks the three- and
four-character CJK strings that at least :data:`MIN_SHARE` of them contain (at most
:data:`MAX_WORDS`, commonest first) — the strings whose checks would be expensive,
whatever the archive is about.  Every record of the index, incremental updates
included, then gets a token for each occurrence of each of them (the set is stored in the
index's schema, like the synonym concepts).  A query word that is one of them is a
single exact posting list; a longer word gets the ones inside it as extra candidate
filters.  Rare strings are not worth a token: their few candidates are cheap to check.

Exactness: a pure-CJK query word matches where the normalised text contains it as a
substring (``analyzer.phrase_needle``), and a token is emitted for every substring
occurrence inside a CJK stretch of the normalised text, so the token's records are
exactly the records that contain the word.  Archives with fewer than
:data:`MIN_SAMPLE` records get no n-grams (their checks are cheap anyway).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

from . import analyzer as an

SAMPLE = 1000  # records a rebuild looks at
MIN_SAMPLE = 200  # fewer: no n-gram tokens
MIN_SHARE = 0.10  # of the sampled records must contain a string for it to be indexed
MAX_WORDS = 5000
_LONG_CJK = re.compile(f"[{an._CJK}]{{3,}}")


def stretches(norm: str) -> list[str]:
    """The runs of CJK characters in normalised text."""
    return an._PURE_CJK.findall(norm)


def grams(norm: str) -> set[str]:
    """Distinct 3- and 4-character substrings of the CJK stretches of ``norm``."""
    out: set[str] = set()
    for r in stretches(norm):
        n = len(r)
        if n >= 3:
            out.update([r[i:i + 3] for i in range(n - 2)])
            if n >= 4:
                out.update([r[i:i + 4] for i in range(n - 3)])
    return out


def choose(texts: Iterable[str]) -> frozenset[str]:
    """The n-grams to index, from a sample of records' texts (unnormalised)."""
    df: Counter = Counter()
    n = 0
    for t in texts:
        df.update(grams(an.normalize(t)))
        n += 1
    if n < MIN_SAMPLE:
        return frozenset()
    need = max(2, int(MIN_SHARE * n + 0.999))
    common = [(c, g) for g, c in df.items() if c >= need]
    common.sort(key=lambda x: (-x[0], x[1]))
    kept = {g for _, g in common[:MAX_WORDS]}
    # A four-character string is in at most as many records as its first three
    # characters; keep none without its prefix (count() relies on it).
    return frozenset(g for g in kept if len(g) == 3 or g[:3] in kept)


def count(vocab: frozenset[str], norm: str) -> Counter:
    """Occurrences of the words of ``vocab`` in normalised text.

    A four-character word is looked for only where its first three characters are a word
    of ``vocab`` too (:func:`choose` keeps no four-character word without its prefix):
    half the work of testing every window of both sizes.
    """
    if not vocab:
        return Counter()
    found: list[str] = []
    add = found.append
    for r in _LONG_CJK.findall(norm):
        n = len(r)
        for i in range(n - 2):
            g = r[i:i + 3]
            if g in vocab:
                add(g)
                if i + 4 <= n:
                    q = r[i:i + 4]
                    if q in vocab:
                        add(q)
    return Counter(found)


def in_word(vocab: frozenset[str], word: str) -> list[str]:
    """The words of ``vocab`` inside the CJK stretches of a query word (normalised)."""
    if not vocab:
        return []
    found = [g for g in grams(an.normalize(word)) if g in vocab]
    return sorted(found)

