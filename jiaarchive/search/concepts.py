"""Synonym groups indexed as one token each ("concepts").

Searching ``职代会`` means searching every word of its group (``职工代表大会``,
``教职工代表大会``, ``职工（代表）大会`` …) in title, meta and body.  Expanded at query
time that is a dozen phrases whose bigrams (``职工``, ``代表``, ``大会``) are in most
records, so most records had to be checked in the text store: on the 20,000-record
bench the synonym queries were the slowest of all (``职工（代表）大会 厂务公开`` 60 ms,
``工代会`` 35 ms).

So a rebuild also gives every record, per text field, one token per group of the table
that the field's text contains (``§<n>``; ``§`` is never a unit, so no text produces
it), counted once per place where a word of the group ends.  A query word whose
expansion is exactly the union of the indexed groups it belongs to is then searched as
those tokens: one posting list per field, exact, nothing to check.

The groups live in the index's own schema (pickled by Whoosh with the analyzer), so every
record of an index, incremental updates included, is indexed with the same groups, and a
query compares them with the table it is expanded with: a group edited since the rebuild
no longer matches and is searched by expansion (slower, still exact) until the next
``jiaarchive index rebuild``.  Groups with a one-unit word (``会``) are not indexed: a
one-unit query word means every term starting with it, which a concept cannot say.
"""

from __future__ import annotations

from . import analyzer as an

CONCEPT = "§"


class Concepts:
    """The synonym groups of one index, and how to find them in normalised text."""

    def __init__(self, groups) -> None:
        kept = []
        for g in groups:
            words = tuple(dict.fromkeys(an.normalize(w) for w in g))
            if words and all(_indexable(w) for w in words):
                kept.append(words)
        self.groups: tuple[tuple[str, ...], ...] = tuple(kept)
        self._needles = None
        self._by_word = None

    def __getstate__(self):
        return {"groups": self.groups}

    def __setstate__(self, state):
        self.groups = tuple(tuple(g) for g in state["groups"])
        self._needles = None
        self._by_word = None

    def __eq__(self, other):
        return isinstance(other, Concepts) and other.groups == self.groups

    def __hash__(self):
        return hash(self.groups)

    def __len__(self):
        return len(self.groups)

    @staticmethod
    def token(i: int) -> str:
        return f"{CONCEPT}{i}"

    # -- indexing ---------------------------------------------------------------------
    def _compiled(self):
        if self._needles is None:
            out = []
            for i, words in enumerate(self.groups):
                needles = []
                for w in words:
                    nd = an.phrase_needle(w) if an.query_tokens(w) is not None else None
                    if isinstance(nd, bytes):
                        needles.append(nd.decode("utf-8"))
                    elif isinstance(nd, an.ByteNeedle):
                        needles.append(nd.text)
                    elif nd is not None:
                        needles.append(nd)
                out.append((self.token(i), needles))
            self._needles = out
        return self._needles

    def counts(self, norm: str) -> dict[str, int]:
        """Concept token → how many places in ``norm`` (normalised text) end a word of its group.

        A word matches where its query would: the same needles as the phrase checks
        (``analyzer.phrase_needle``), on the same normalised text.
        """
        out: dict[str, int] = {}
        if not norm:
            return out
        for tok, needles in self._compiled():
            ends: set[int] | None = None
            for nd in needles:
                if isinstance(nd, str):
                    i = norm.find(nd)
                    if i < 0:
                        continue
                    if ends is None:
                        ends = set()
                    k = len(nd)
                    while i >= 0:
                        ends.add(i + k)
                        i = norm.find(nd, i + 1)
                else:
                    for m in nd.finditer(norm):
                        if ends is None:
                            ends = set()
                        ends.add(m.end())
            if ends:
                out[tok] = len(ends)
        return out

    # -- searching --------------------------------------------------------------------
    def tokens_for(self, word: str, variants) -> list[str] | None:
        """The concept tokens that find exactly ``variants`` (``word`` and its synonyms).

        None unless the groups this index holds for ``word`` cover exactly the same
        words as the expansion (compared normalised), e.g. when the table has changed
        since the rebuild.
        """
        if self._by_word is None:
            by: dict[str, list[int]] = {}
            for i, words in enumerate(self.groups):
                for w in words:
                    by.setdefault(w, []).append(i)
            self._by_word = by
        idx = self._by_word.get(an.normalize(word))
        if not idx:
            return None
        covered = set().union(*(self.groups[i] for i in idx))
        if covered != {an.normalize(v) for v in variants}:
            return None
        return [self.token(i) for i in idx]


def _indexable(word: str) -> bool:
    plan = an.query_tokens(word)
    return isinstance(plan, list)

