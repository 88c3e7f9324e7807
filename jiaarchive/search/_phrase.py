"""An exact phrase of tokens at fixed offsets, as a Whoosh query and matcher.

Whoosh's own ``Phrase`` goes through the general span machinery (``SpanNear2``) and
needs every consecutive token; ours leapfrogs the posting lists with ``skip_to`` and
checks positions once per candidate document, with the non-overlapping token cover
from :func:`jiaarchive.search.analyzer.query_tokens`.
"""

from __future__ import annotations

from whoosh import matching
from whoosh.matching import mcore
from whoosh.query import qcore, terms


class OffsetPhrase(qcore.Query):
    """Documents where each ``(word, offset)`` occurs at ``start + offset`` for one start."""

    def __init__(self, fieldname: str, words: list[tuple[str, int]], boost: float = 1.0):
        self.fieldname = fieldname
        self.words = list(words)
        self.boost = boost

    def __eq__(self, other):
        return (isinstance(other, OffsetPhrase) and self.fieldname == other.fieldname
                and self.words == other.words and self.boost == other.boost)

    def __hash__(self):
        return hash((self.fieldname, tuple(self.words), self.boost))

    def __repr__(self):
        return f"OffsetPhrase({self.fieldname!r}, {self.words!r}, boost={self.boost})"

    def has_terms(self):
        return True

    def terms(self, phrases=False):
        for w, _ in self.words:
            yield (self.fieldname, w)

    def estimate_size(self, ixreader):
        return min(ixreader.doc_frequency(self.fieldname, w) for w, _ in self.words)

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        if self.fieldname not in searcher.schema:
            return matching.NullMatcher()
        leaves = []
        for word, off in self.words:
            if (self.fieldname, word) not in reader:
                return matching.NullMatcher()
            m = terms.Term(self.fieldname, word).matcher(searcher, context)
            if not m.is_active():
                return matching.NullMatcher()
            leaves.append((reader.doc_frequency(self.fieldname, word), off, m))
        if len(leaves) == 1:
            m = leaves[0][2]
            return matching.WrappingMatcher(m, boost=self.boost) if self.boost != 1.0 else m
        leaves.sort(key=lambda x: x[0])  # rarest first: it drives the leapfrog
        return OffsetPhraseMatcher([m for _, _, m in leaves], [o for _, o, _ in leaves],
                                   self.boost)


class OffsetPhraseMatcher(mcore.Matcher):
    def __init__(self, matchers, offsets, boost=1.0):
        self._ms = matchers
        self._offs = offsets
        self._boost = boost
        self._active = all(m.is_active() for m in matchers)
        if self._active:
            self._find()

    # Move every matcher to one document whose positions line up.
    def _find(self):
        ms = self._ms
        first = ms[0]
        while True:
            target = first.id()
            aligned = True
            for m in ms[1:]:
                if m.id() < target:
                    m.skip_to(target)
                    if not m.is_active():
                        self._active = False
                        return
                if m.id() > target:
                    first.skip_to(m.id())
                    if not first.is_active():
                        self._active = False
                        return
                    aligned = False
                    break
            if not aligned:
                continue
            if self._positions_match():
                return
            first.next()
            if not first.is_active():
                self._active = False
                return

    def _positions_match(self) -> bool:
        starts = None
        for m, off in zip(self._ms, self._offs):
            s = {p - off for p in m.value_as("positions")}
            starts = s if starts is None else starts & s
            if not starts:
                return False
        return True

    def is_active(self):
        return self._active

    def id(self):
        return self._ms[0].id()

    def next(self):
        self._ms[0].next()
        if not self._ms[0].is_active():
            self._active = False
            return
        self._find()

    def skip_to(self, id):
        if not self._active or self.id() >= id:
            return
        self._ms[0].skip_to(id)
        if not self._ms[0].is_active():
            self._active = False
            return
        self._find()

    def score(self):
        return self._boost * sum(m.score() for m in self._ms)

    def weight(self):
        return sum(m.weight() for m in self._ms)

    def copy(self):
        c = OffsetPhraseMatcher.__new__(OffsetPhraseMatcher)
        c._ms = [m.copy() for m in self._ms]
        c._offs = list(self._offs)
        c._boost = self._boost
        c._active = self._active
        return c

    def reset(self):
        for m in self._ms:
            m.reset()
        self._active = all(m.is_active() for m in self._ms)
        if self._active:
            self._find()

    def supports(self, astype):
        return False

    def value(self):
        raise NotImplementedError

    def value_as(self, astype):
        raise NotImplementedError

    def supports_block_quality(self):
        return False


class _AndNotMatcher(matching.AndNotMatcher):
    # Whoosh's AndNotMatcher only skips the negative matcher at the start when both
    # happen to sit on the same document, so an excluded first match slips through.
    def _find_first(self):
        if self.a.is_active() and self.b.is_active():
            self._find_next()


class Exclude(qcore.Query):
    """``positive`` without the documents matching ``negative`` (a fixed Whoosh AndNot)."""

    def __init__(self, positive, negative):
        self.positive = positive
        self.negative = negative

    def __repr__(self):
        return f"Exclude({self.positive!r}, {self.negative!r})"

    def __eq__(self, other):
        return (isinstance(other, Exclude) and self.positive == other.positive
                and self.negative == other.negative)

    def __hash__(self):
        return hash((self.positive, self.negative))

    def matcher(self, searcher, context=None):
        pos = self.positive.matcher(searcher, context)
        if not pos.is_active():
            return matching.NullMatcher()
        neg = self.negative.matcher(searcher, searcher.boolean_context())
        if not neg.is_active():
            return pos
        return _AndNotMatcher(pos, neg)
