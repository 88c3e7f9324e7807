"""The Whoosh side of the analyzer: a tokenizer and a posting format over ``analyzer``.

Kept apart from ``analyzer.py`` so that the analysis itself (normalisation, tokens, query
terms, phrase needles) stays pure Python that another store of the same tokens can use
without Whoosh.  Both classes are pickled into every index's schema: they must stay
importable under these names (renaming them makes old indexes unreadable, which the
schema stamp in ``CURRENT`` turns into an automatic rebuild).
"""

from __future__ import annotations

from collections import Counter

from whoosh.analysis import Token, Tokenizer
from whoosh.formats import Format

from .analyzer import normalize, token_counts, tokens


class UnitBigramTokenizer(Tokenizer):
    """Whoosh tokenizer for :func:`tokens` (positions only, no character offsets).

    ``concepts`` (a ``concepts.Concepts``, set when an index is created) are the synonym
    groups that :class:`UnitFrequency` also indexes as one token each; the tokenizer
    carries them so that they are stored with the index's schema.
    """

    concepts = None
    vocab: frozenset = frozenset()  # n-grams indexed whole (ngrams.py), set with the schema

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





class UnitFrequency(Format):
    """Term frequencies only (weights), no positions: phrases are checked on the text.

    Posting blocks then hold document numbers and weights only, which is what makes
    reading whole posting lists cheap (see ``jiaarchive/search/_exec.py``).
    """

    def fixed_value_size(self):
        return 0

    def word_values(self, value, analyzer, **kwargs):
        fb = self.field_boost
        norm = normalize(value)
        for w, n in token_counts(norm, normalized=True).items():
            yield (w, n, n * fb, b"")
        # Derived tokens (synonym concepts, whole n-grams) carry their count as the weight
        # but a frequency of 0, which is what Whoosh sums into the field's length: BM25's
        # length normalisation stays that of the text's own tokens.
        extra = Counter()
        concepts = getattr(analyzer, "concepts", None)
        if concepts:
            extra.update(concepts.counts(norm))
        vocab = getattr(analyzer, "vocab", None)
        if vocab:
            from .ngrams import count

            extra.update(count(vocab, norm))
        for w, n in extra.items():
            yield (w, 0, n * fb, b"")

    def supports(self, name):
        return name in ("frequency", "weight")

    def encode(self, value):
        return b""

    def decode_frequency(self, valuestring):
        return 1

    def decode_weight(self, valuestring):
        return self.field_boost

    def combine(self, vs):
        return b""


