"""The two-phase query executor: document sets first, positions only for the survivors.

Whoosh evaluates a query as a tree of matchers that advance one posting at a time in
Python, and each phrase matcher checks positions for every document where its own
tokens meet, long before the other query words have had a say.  With bigram tokens of
common Chinese words (``职工``, ``代表``, ``大会`` are in most records) that meant
position checks on almost every record for every synonym variant and field.

Here a query is planned into a small tree (:class:`Term`, :class:`Phrase`, :class:`Scan`,
:class:`Any`, :class:`All`) and run per segment in two phases:

1. *candidates*: each token's posting list is read block by block (one zlib +
   unpickle per 128 postings, no per-posting Python calls) into an array of document
   numbers, and a set of documents is a boolean mask over the segment; a phrase's
   candidates are the AND of its tokens' masks, a group's the OR of its alternatives,
   the query's the AND of its groups — NumPy operations of a few microseconds;
2. *verification*: a phrase is looked for in the record's stored text (a byte
   search in a memory map, see ``_store.py``; the index keeps no positions) only
   for documents that survived phase 1 for the *whole* query, group by group (smallest first, each
   narrowing the set the next one checks), alternative by alternative (a document one
   alternative has proven is not checked again for the others).

Posting lists of at least ``CACHE_MIN_DF`` documents are kept decoded per searcher
(:class:`PostingsCache`, ~7 MB a segment for the bench's 62 queries), with weights as one
float per document that scoring gathers directly.  Scoring, facet counts and the top
hits are NumPy operations over the matching documents too: with Python loops they cost
~20 ms of the ~48 ms of a query matching 11,000 of the 20,000 bench records
(``劳动合同 解除``), where only the phrase checks of phase 2 are left in Python — and
those are now rare: synonym groups (``concepts.py``) and an archive's common three- and
four-character words (``ngrams.py``) are single exact posting lists.

Totals and facets are exact (computed from the verified set).  Scores are BM25F as in
Whoosh (B=0.75, K1=1.2, the searcher's idf), summed over the matching leaves
with the field boosts; an alternative that a document also contains but that was not
verified for it (because another alternative already proved the match) still adds its
score — it changes ranking only among true matches.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from itertools import accumulate

import numpy as np

B = 0.75
K1 = 1.2
SKIP_RATIO = 16
# Decoded posting lists kept per segment reader (so per searcher), least recently used
# dropped first (see PostingsCache).
CACHE_BYTES = 16 << 20  # per segment; the bench's 62 queries keep ~7 MB a segment
CACHE_MIN_DF = 256  # shorter lists decode in a few blocks: not worth keeping
DF_CACHE_SIZE = 100_000  # document frequencies kept per segment (~25 µs a lookup in Whoosh)


# -- the plan ---------------------------------------------------------------------------

@dataclass(eq=False)
class Term:
    field: str
    text: str
    boost: float = 1.0
    score: bool = True  # filters (code, year, trashed …) do not score


@dataclass(eq=False)
class Phrase:
    field: str
    words: list[tuple[str, int]]  # (token, offset)
    boost: float = 1.0
    needle: object = None  # analyzer.phrase_needle(word): checked on the stored text


@dataclass(eq=False)
class Scan:
    """``needle`` looked for in the field's text of every record (no token narrows it down)."""

    field: str
    boost: float
    needle: object


@dataclass(eq=False)
class Any:
    children: list


@dataclass(eq=False)
class All:
    children: list


@dataclass
class Plan:
    positive: object  # All / Any / Term / Phrase / Scan
    negative: object | None = None


# -- reading postings -------------------------------------------------------------------

class Postings:
    """All postings of one term in one segment: document numbers and weights (arrays)."""

    __slots__ = ("ids", "weights", "n", "df", "_mask", "_dense")

    def __init__(self, ids: np.ndarray, weights: np.ndarray | None, n: int,
                 dense: np.ndarray | None = None):
        self.ids = ids  # ascending document numbers (int32)
        self.weights = weights  # one per posting (float64), or None when ``dense`` is given
        self.n = n  # documents in the segment
        self.df = len(ids)
        self._mask = None
        self._dense = dense  # weight per document of the segment (0 where absent)

    @property
    def mask(self) -> np.ndarray:
        if self._mask is None:
            m = np.zeros(self.n, dtype=bool)
            m[self.ids] = True
            self._mask = m
        return self._mask

    def dense(self) -> np.ndarray:
        if self._dense is None:
            d = np.zeros(self.n, dtype=np.float64)
            d[self.ids] = self.weights
            self._dense = d
        return self._dense


def read_postings(reader, fieldname: str, text: str, n: int) -> Postings | None:
    """Every posting of ``text`` in one segment reader (None when the term is absent)."""
    from whoosh.codec.whoosh3 import W3LeafMatcher

    try:
        fmt = reader.schema[fieldname].format
        tb = reader._text_to_bytes(fieldname, text)
        if (fieldname, tb) not in reader._terms:
            return None
        m = reader._terms.matcher(fieldname, tb, fmt)
    except KeyError:
        return None
    ids: list[int] = []
    weights: list[float] = []
    if isinstance(m, W3LeafMatcher) and not m._byteids:
        while m.is_active():
            m._read_data()
            bids, bw = m._data[0], m._data[1]
            ids.extend(accumulate(bids))
            if bw is None:
                weights.extend([1.0] * len(bids))
            elif isinstance(bw, float):
                weights.extend([bw] * len(bids))
            else:
                weights.extend(bw)
            m._next_block()
    else:  # inlined postings (one-document terms) and anything else
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            m.next()
    return Postings(np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float64), n)


class PostingsCache:
    """Decoded posting lists of one segment, least recently used out.

    Reading a common bigram's list (15,000 postings: ~120 blocks of zlib + unpickle)
    took ~3 ms, and the slowest queries read dozens.  Weights are kept as one float per
    document of the segment (0 where the term is absent; float32 when they are all
    counts), which scoring gathers directly.  Only lists of at least ``CACHE_MIN_DF``
    postings are kept, up to ``CACHE_BYTES`` in all.
    """

    def __init__(self, budget: int = CACHE_BYTES):
        self.budget = budget
        self.size = 0
        self._d: OrderedDict = OrderedDict()

    def get(self, reader, f: str, t: str, n: int) -> Postings | None:
        key = (f, t)
        got = self._d.get(key)
        if got is not None:
            self._d.move_to_end(key)
            ids, dense = got
            return Postings(ids, None, n, dense)
        p = read_postings(reader, f, t, n)
        if p is not None and p.df >= CACHE_MIN_DF and p.ids[-1] < n:
            w = p.weights
            exact32 = bool(np.all((w == np.floor(w)) & (w >= 0) & (w < 1 << 24)))
            dense = np.zeros(n, dtype=np.float32 if exact32 else np.float64)
            dense[p.ids] = w  # term counts are exact in 4 bytes
            p._dense = dense
            self._d[key] = (p.ids, dense)
            self.size += p.ids.nbytes + dense.nbytes
            while self.size > self.budget and self._d:
                _, (ids, dn) = self._d.popitem(last=False)
                self.size -= ids.nbytes + dn.nbytes
        return p


# -- running a plan on one segment ---------------------------------------------------------

class SegmentRun:
    def __init__(self, reader, store, tpos, keep: dict):
        self.r = reader
        self._keep = keep  # per-reader values kept while the searcher is
        self._pcache = keep.get("postings")
        if self._pcache is None:
            self._pcache = keep["postings"] = PostingsCache()
        self._post: dict[tuple[str, str], Postings | None] = {}
        self._cand: dict[int, np.ndarray] = {}
        self._count: dict[int, int] = {}
        self._read: dict[int, list[str]] = {}  # phrase → the token lists it read
        self._np: dict[int, bool] = {}  # node → needs a check in the text store
        self._store = store
        self._tpos = tpos  # () -> (column bytes, store size needed)
        self.n = reader.doc_count_all()
        self._none = np.zeros(self.n, dtype=bool)

    def postings(self, f: str, t: str) -> Postings | None:
        key = (f, t)
        if key not in self._post:
            self._post[key] = self._pcache.get(self.r, f, t, self.n)
        return self._post[key]

    def df(self, f: str, t: str) -> int:
        """Documents of this segment with ``t`` in ``f`` (kept per searcher)."""
        dfs = self._keep.get("df")
        if dfs is None:
            dfs = self._keep["df"] = {}
        key = (f, t)
        got = dfs.get(key)
        if got is None:
            if len(dfs) > DF_CACHE_SIZE:
                dfs.clear()
            got = dfs[key] = self.r.doc_frequency(f, t)
        return got

    # phase 1 ---------------------------------------------------------------------------
    def cand(self, node) -> np.ndarray:
        """The documents that may match ``node`` (a mask; never modify it)."""
        key = id(node)
        got = self._cand.get(key)
        if got is not None:
            return got
        if isinstance(node, Term):
            p = self.postings(node.field, node.text)
            out = p.mask if p is not None else self._none
        elif isinstance(node, Phrase):
            out = self._phrase_cand(node)
        elif isinstance(node, Scan):
            out = np.ones(self.n, dtype=bool)
        elif isinstance(node, Any):
            masks = [self.cand(c) for c in node.children]
            if not masks:
                out = self._none
            elif len(masks) == 1:
                out = masks[0]
            else:
                out = np.logical_or.reduce(masks)
        elif isinstance(node, All):
            kids = sorted(node.children, key=self.count)
            out = self.cand(kids[0]) if kids else self._none
            for k in kids[1:]:
                if not out.any():
                    break
                out = out & self.cand(k)
        else:
            raise TypeError(node)
        self._cand[key] = out
        return out

    def count(self, node) -> int:
        key = id(node)
        got = self._count.get(key)
        if got is None:
            got = self._count[key] = int(np.count_nonzero(self.cand(node)))
        return got

    def _phrase_cand(self, node: Phrase) -> np.ndarray:
        """AND the token lists rarest first; leave out lists far longer than the result.

        A list is read only while it is at most ``SKIP_RATIO`` times the candidates
        left (reading costs ~0.2 µs a posting, verifying ~1.7 µs a candidate).  The
        tokens read are the ones the phrase is scored with.
        """
        f = node.field
        dfs = sorted((self.df(f, w), w) for w, _ in node.words)
        read: list[str] = []
        self._read[id(node)] = read
        if not dfs or dfs[0][0] == 0:
            return self._none
        out = None
        left = 0
        for df, w in dfs:
            if out is not None and df > SKIP_RATIO * left:
                break
            p = self.postings(f, w)
            if p is None:
                return self._none
            read.append(w)
            out = p.mask if out is None else out & p.mask
            left = int(np.count_nonzero(out))
            if not left:
                break
        return out

    # phase 2 ---------------------------------------------------------------------------
    def exact(self, node, docs: np.ndarray) -> np.ndarray:
        """The documents of ``docs`` (a mask) that really match ``node``."""
        c = self.cand(node)
        if isinstance(node, Term):
            return docs & c
        if isinstance(node, (Phrase, Scan)):
            hit = docs & c
            if node.needle is None or not hit.any():
                return hit
            return self._verify(node, hit)
        if isinstance(node, Any):
            out = np.zeros(self.n, dtype=bool)
            # Cheap (exact without positions) alternatives first, then the largest: the
            # commonest variant of a synonym group matches most records, which the
            # others then need not check (on the 20,000-record bench the five slowest
            # queries went from ~90 to ~68 ms with this order instead of smallest first).
            kids = sorted(node.children, key=lambda k: (self._needs_positions(k), -self.count(k)))
            for k in kids:
                todo = docs & self.cand(k) & ~out
                if todo.any():
                    out |= self.exact(k, todo)
            return out
        if isinstance(node, All):
            kids = sorted(node.children, key=lambda k: (self._needs_positions(k), self.count(k)))
            cur = docs
            for k in kids:
                cur = self.exact(k, cur)
                if not cur.any():
                    break
            return cur
        raise TypeError(node)

    def _needs_positions(self, node) -> bool:
        got = self._np.get(id(node))
        if got is None:
            if isinstance(node, Term):
                got = False
            elif isinstance(node, (Phrase, Scan)):
                got = node.needle is not None
            else:
                got = any(self._needs_positions(k) for k in node.children)
            self._np[id(node)] = got
        return got

    def _verify(self, node: Phrase, hit: np.ndarray) -> np.ndarray:
        from ._store import _FIELD as FIELD_INDEX
        from ._store import CHUNK_SHIFT, FLAG_NFKC_RISK, POS, contains

        blob, need = self._tpos()
        buf = self._store.buffer(need)
        f, needle, n = node.field, node.needle, POS.size
        unpack_from = POS.unpack_from
        chunks = self._store.chunks
        docs = np.flatnonzero(hit).tolist()
        found: list[int] = []
        keep = found.append
        if not isinstance(needle, bytes):
            for d in docs:
                tp = blob[d * n:d * n + n]
                off, tl, ml, bl, _flags = unpack_from(tp)
                chunks.update(range(off >> CHUNK_SHIFT, ((off + tl + ml + bl) >> CHUNK_SHIFT) + 1))
                if contains(buf, tp, f, needle):
                    keep(d)
        else:
            # The common case inlined (a plain byte search, no NFKC-risky characters in
            # the entry): ~1 µs a record less than calling contains().
            i = FIELD_INDEX[f]
            find = buf.find
            k = len(needle)
            for d in docs:
                off, tl, ml, bl, flags = unpack_from(blob, d * n)
                if flags & FLAG_NFKC_RISK:
                    chunks.update(range(off >> CHUNK_SHIFT, ((off + tl + ml + bl) >> CHUNK_SHIFT) + 1))
                    if contains(buf, blob[d * n:d * n + n], f, needle):
                        keep(d)
                    continue
                if i == 2:
                    a = off + tl + ml
                    b = a + bl
                elif i == 0:
                    a, b = off, off + tl
                else:
                    a = off + tl
                    b = a + ml
                at = find(needle, a, b)
                # The pieces of the store the search read (so mapped), for release():
                # up to the match, or the whole field.
                c0, c1 = a >> CHUNK_SHIFT, ((at + k) if at >= 0 else b) >> CHUNK_SHIFT
                if c0 == c1:
                    chunks.add(c0)
                else:
                    chunks.update(range(c0, c1 + 1))
                if at >= 0:
                    keep(d)
        out = np.zeros(self.n, dtype=bool)
        out[found] = True
        return out

    # scoring ---------------------------------------------------------------------------
    def _norms(self, f: str) -> np.ndarray:
        """Per document ``K1 * ((1 - B) + B * length / average length)`` (kept per searcher)."""
        key = ("norm", f)
        got = self._keep.get(key)
        if got is None:
            r = self.r
            lens = None
            try:
                r.doc_field_length(0, f)
                lens = r._perdoc._lengths.get(f)  # our codec's decoded list
            except Exception:
                lens = None
            if not lens:
                lens = [r.doc_field_length(d, f) for d in range(self.n)]
            total = r.field_length(f)
            avg = (total / self.n) if self.n and total else 1.0
            kb, kl = K1 * (1 - B), K1 * B / avg
            got = self._keep[key] = np.array([kb + kl * (x or 1) for x in lens], dtype=np.float64)
        return got

    def scores(self, plan_node, docs: np.ndarray, idf_of) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, BM25F scores) of the documents of ``docs``.

        Scores sum the query's distinct (field, token) pairs present in each document.
        Each pair counts once, with the highest boost of the leaves using it, for the
        documents of those leaves' candidate sets: synonym variants and fields share most
        tokens (``职工代表大会`` / ``教职工代表大会``), and scoring them once per pair
        instead of once per leaf was half of the query time for synonym groups.
        """
        pairs: dict[tuple[str, str], list] = {}
        for leaf in _leaves(plan_node):
            if isinstance(leaf, Term):
                if not leaf.score:
                    continue
                words = [leaf.text]
            elif isinstance(leaf, Scan):
                continue  # no token to score with: the query's other words rank
            else:
                self.cand(leaf)  # (records which token lists it read)
                words = self._read.get(id(leaf), ())
            c = self.cand(leaf)
            for w in words:
                got = pairs.get((leaf.field, w))
                if got is None:
                    pairs[(leaf.field, w)] = [leaf.boost, c]
                else:
                    got[0] = max(got[0], leaf.boost)
                    if got[1] is not c:
                        got[1] = got[1] | c
        idx = np.flatnonzero(docs)
        sc = np.zeros(len(idx), dtype=np.float64)
        for (f, w), (boost, c) in pairs.items():
            p = self.postings(f, w)
            if p is None:
                continue
            sel = c[idx]
            if not sel.any():
                continue
            tf = p.dense()[idx].astype(np.float64)
            c1 = boost * idf_of(f, w) * (K1 + 1)
            part = c1 * tf / (tf + self._norms(f)[idx])
            sc += np.where(sel, part, 0.0)
        return idx, sc


def _leaves(node):
    if isinstance(node, (Term, Phrase, Scan)):
        yield node
    else:
        for k in node.children:
            yield from _leaves(k)


def run(plan: Plan, leaf_readers, idf_of, store, keep_of) -> tuple[np.ndarray, np.ndarray]:
    """(global document numbers, scores) of every match; ``keep_of(reader)`` is kept per reader."""
    nums, scores = [], []
    for reader, offset in leaf_readers:
        keep = keep_of(reader)

        def tpos(keep=keep, reader=reader):
            if "tpos" not in keep:
                keep["tpos"] = store.column(reader)
            return keep["tpos"]
        seg = SegmentRun(reader, store, tpos, keep)
        c = seg.cand(plan.positive)
        if not c.any():
            continue
        docs = c
        if reader.has_deletions():
            deleted = list(reader.deleted_docs_set)
            if deleted:
                docs = docs.copy()
                docs[deleted] = False
        if plan.negative is not None and docs.any():
            docs = docs & ~seg.exact(plan.negative, docs & seg.cand(plan.negative))
        docs = seg.exact(plan.positive, docs)
        if not docs.any():
            continue
        idx, sc = seg.scores(plan.positive, docs, idf_of)
        nums.append(idx.astype(np.int64) + offset)
        scores.append(sc)
    if not nums:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    return np.concatenate(nums), np.concatenate(scores)


def top(nums: np.ndarray, scores: np.ndarray, limit: int) -> list[tuple[float, int]]:
    """The ``limit`` best (score, document number): highest score first, then lowest number."""
    m = len(nums)
    if not limit or not m:
        return []
    if limit < m:
        thr = np.partition(scores, m - limit)[m - limit]
        sel = np.flatnonzero(scores >= thr)
    else:
        sel = np.arange(m)
    order = sel[np.lexsort((nums[sel], -scores[sel]))][:limit]
    return [(float(scores[i]), int(nums[i])) for i in order]
