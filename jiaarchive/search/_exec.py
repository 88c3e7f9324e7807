"""The two-phase query executor: document sets first, positions only for the survivors.

Whoosh evaluates a query as a tree of matchers that advance one posting at a time in
Python, and each phrase matcher checks positions for every document where its own
tokens meet, long before the other query words have had a say.  With bigram tokens of
common Chinese words (``职工``, ``代表``, ``大会`` are in most records) that meant
position checks on almost every record for every synonym variant and field.

Here a query is planned into a small tree (:class:`Term`, :class:`Phrase`, :class:`Any`,
:class:`All`) and run per segment in two phases:

1. *candidates*: each token's posting list is read block by block (one zlib +
   unpickle per 128 postings, no per-posting Python calls) into a set of document
   numbers; a phrase's candidates are the intersection of its tokens' sets, a group's
   the union of its alternatives, the query's the intersection of its groups — all
   C-speed set operations;
2. *verification*: a phrase is looked for in the record's stored text (one
   ``pread`` and a byte search, see ``_store.py``; the index keeps no positions) only
   for documents that survived phase 1 for the *whole* query, group by group (smallest first, each
   narrowing the set the next one checks), alternative by alternative (a document one
   alternative has proven is not checked again for the others).

Posting lists of at least ``CACHE_MIN_DF`` documents are kept decoded per searcher
(:class:`PostingsCache`, ~7 MB a segment for the bench's 62 queries), with weights as one
float per document that scoring indexes directly; a list's set is built only when an
intersection needs it (``Postings.intersect``).  On the 20,000-record bench these cut
the slowest queries from ~100 to ~50-65 ms (with the text store pages kept, see
``index.RELEASE_AFTER``), with the same totals, hits, scores and facets.

Totals and facets are exact (computed from the verified set).  Scores are BM25F as in
Whoosh (B=0.75, K1=1.2, the searcher's idf), summed over the matching leaves
with the field boosts; an alternative that a document also contains but that was not
verified for it (because another alternative already proved the match) still adds its
score — it changes ranking only among true matches.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from dataclasses import dataclass
from itertools import accumulate

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
class Any:
    children: list


@dataclass(eq=False)
class All:
    children: list


@dataclass
class Plan:
    positive: object  # All / Any / Term / Phrase
    negative: object | None = None


# -- reading postings -------------------------------------------------------------------

class Postings:
    """All postings of one term in one segment, read in bulk (numbers and weights)."""

    __slots__ = ("ids", "weights", "_set", "_w", "df")

    def __init__(self, ids, weights, wmap=None):
        self.ids = ids  # ascending document numbers (a list, or an array from the cache)
        self.weights = weights
        self._set = None
        self.df = len(ids)
        self._w = wmap  # docnum -> weight: a dict, or a dense array from PostingsCache

    @property
    def set(self) -> frozenset:
        if self._set is None:
            self._set = frozenset(self.ids)
        return self._set

    def intersect(self, other: frozenset) -> frozenset:
        """``other & self.set``, without building the set when it is not there yet."""
        if self._set is not None or len(other) > len(self.ids):
            return other & self.set
        return other.intersection(self.ids)

    def weight_of(self):
        if self._w is None:
            self._w = dict(zip(self.ids, self.weights))
        return self._w


def read_postings(reader, fieldname: str, text: str) -> Postings | None:
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
    return Postings(ids, weights)


class PostingsCache:
    """Decoded posting lists of one segment, least recently used out.

    Reading a common bigram's list (15,000 postings: ~120 blocks of zlib + unpickle)
    took ~3 ms, and the slowest queries read dozens; rebuilding its set from the kept
    array takes ~0.3 ms.  Weights are kept as one float per document of the segment
    (0 where the term is absent; float32 when they are all counts), which scoring
    indexes directly instead of building a dict per query (that halved scoring).  Only lists of at least ``CACHE_MIN_DF`` postings are kept, up
    to ``CACHE_BYTES`` in all.
    """

    def __init__(self, budget: int = CACHE_BYTES):
        self.budget = budget
        self.size = 0
        self._d: OrderedDict = OrderedDict()

    def get(self, reader, f: str, t: str) -> Postings | None:
        key = (f, t)
        got = self._d.get(key)
        if got is not None:
            self._d.move_to_end(key)
            ids, dense = got
            return Postings(ids, None, dense)
        p = read_postings(reader, f, t)
        if p is not None and p.df >= CACHE_MIN_DF:
            n = reader.doc_count_all()
            if p.ids and p.ids[-1] < n:
                dense = array("d", bytes(8 * n))
                for d, w in zip(p.ids, p.weights):
                    dense[d] = w
                if all(float(w).is_integer() and 0 <= w < 1 << 24 for w in set(p.weights)):
                    dense = array("f", dense)  # term counts: exact in 4 bytes
                p._w = dense
                cost = 4 * p.df + dense.itemsize * n
                self._d[key] = (array("i", p.ids), dense)
                self.size += cost
                while self.size > self.budget and self._d:
                    _, (ids, dn) = self._d.popitem(last=False)
                    self.size -= 4 * len(ids) + dn.itemsize * len(dn)
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
        self._cand: dict[int, frozenset] = {}
        self._read: dict[int, list[str]] = {}  # phrase → the token lists it read
        self._np: dict[int, bool] = {}  # node → needs a check in the text store
        self._store = store
        self._tpos = tpos  # () -> (column bytes, store size needed)
        self.n = reader.doc_count_all()

    def postings(self, f: str, t: str) -> Postings | None:
        key = (f, t)
        if key not in self._post:
            self._post[key] = self._pcache.get(self.r, f, t)
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
    def cand(self, node) -> frozenset:
        key = id(node)
        got = self._cand.get(key)
        if got is not None:
            return got
        if isinstance(node, Term):
            p = self.postings(node.field, node.text)
            out = p.set if p is not None else frozenset()
        elif isinstance(node, Phrase):
            out = self._phrase_cand(node)
        elif isinstance(node, Any):
            sets = [self.cand(c) for c in node.children]
            out = frozenset().union(*sets) if sets else frozenset()
        elif isinstance(node, All):
            sets = sorted((self.cand(c) for c in node.children), key=len)
            out = sets[0] if sets else frozenset()
            for s in sets[1:]:
                if not out:
                    break
                out = out & s
        else:
            raise TypeError(node)
        self._cand[key] = out
        return out

    def _phrase_cand(self, node: Phrase) -> frozenset:
        """Intersect the token lists rarest first; leave out lists far longer than the set.

        A list is read only while it is at most ``SKIP_RATIO`` times the candidates
        left (reading costs ~0.2 µs a posting, verifying ~5 µs a candidate).  The
        tokens read are the ones the phrase is scored with.
        """
        f = node.field
        dfs = sorted((self.df(f, w), w) for w, _ in node.words)
        read: list[str] = []
        self._read[id(node)] = read
        if not dfs or dfs[0][0] == 0:
            return frozenset()
        out = None
        for df, w in dfs:
            if out is not None and df > SKIP_RATIO * len(out):
                break
            p = self.postings(f, w)
            if p is None:
                return frozenset()
            read.append(w)
            out = p.set if out is None else p.intersect(out)
            if not out:
                break
        return out

    # phase 2 ---------------------------------------------------------------------------
    def exact(self, node, docs: set) -> set:
        """The documents of ``docs`` that really match ``node``."""
        if not docs:
            return set()
        c = self.cand(node)
        if isinstance(node, Term):
            return docs & c
        if isinstance(node, Phrase):
            hit = docs & c
            if node.needle is None or not hit:
                return hit
            return self._verify(node, hit)
        if isinstance(node, Any):
            out: set = set()
            # Cheap (exact without positions) alternatives first, then the largest: the
            # commonest variant of a synonym group matches most records, which the
            # others then need not check (on the 20,000-record bench the five slowest
            # queries went from ~90 to ~68 ms with this order instead of smallest first).
            kids = sorted(node.children, key=lambda k: (self._needs_positions(k), -len(self.cand(k))))
            for k in kids:
                todo = (docs & self.cand(k)) - out
                if todo:
                    out |= self.exact(k, todo)
            return out
        if isinstance(node, All):
            kids = sorted(node.children, key=lambda k: (self._needs_positions(k), len(self.cand(k))))
            cur = set(docs)
            for k in kids:
                cur = self.exact(k, cur)
                if not cur:
                    break
            return cur
        raise TypeError(node)

    def _needs_positions(self, node) -> bool:
        got = self._np.get(id(node))
        if got is None:
            if isinstance(node, Term):
                got = False
            elif isinstance(node, Phrase):
                got = node.needle is not None
            else:
                got = any(self._needs_positions(k) for k in node.children)
            self._np[id(node)] = got
        return got

    def _verify(self, node: Phrase, docs: set) -> set:
        from ._store import _FIELD as FIELD_INDEX
        from ._store import CHUNK_SHIFT, FLAG_NFKC_RISK, POS, contains

        blob, need = self._tpos()
        buf = self._store.buffer(need)
        f, needle, n = node.field, node.needle, POS.size
        unpack_from = POS.unpack_from
        chunk = self._store.chunks.add
        if not isinstance(needle, bytes):
            out = set()
            for d in docs:
                tp = blob[d * n:d * n + n]
                chunk(unpack_from(tp)[0] >> CHUNK_SHIFT)
                if contains(buf, tp, f, needle):
                    out.add(d)
            return out
        # The common case inlined (a plain byte search, no NFKC-risky characters in the
        # entry): ~1 µs a record less than calling contains().
        i = FIELD_INDEX[f]
        unpack, find, out = POS.unpack_from, buf.find, set()
        for d in docs:
            off, tl, ml, bl, flags = unpack(blob, d * n)
            chunk(off >> CHUNK_SHIFT)
            if flags & FLAG_NFKC_RISK:
                if contains(buf, blob[d * n:d * n + n], f, needle):
                    out.add(d)
                continue
            if i == 2:
                a = off + tl + ml
                b = a + bl
            elif i == 0:
                a, b = off, off + tl
            else:
                a = off + tl
                b = a + ml
            if find(needle, a, b) >= 0:
                out.add(d)
        return out

    # scoring ---------------------------------------------------------------------------
    def _norms(self, f: str) -> list[float]:
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
            got = self._keep[key] = [kb + kl * (x or 1) for x in lens]
        return got

    def scores(self, plan_node, docs: set, idf_of) -> dict[int, float]:
        """BM25F of the query's distinct (field, token) pairs present in each document.

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
        sc = dict.fromkeys(docs, 0.0)
        for (f, w), (boost, c) in pairs.items():
            p = self.postings(f, w)
            if p is None:
                continue
            ds = docs & c
            if not ds:
                continue
            norm = self._norms(f)
            wget = p.weight_of().__getitem__
            c1 = boost * idf_of(f, w) * (K1 + 1)
            for d in ds:
                tf = wget(d)
                sc[d] += c1 * tf / (tf + norm[d])
        return sc


def _leaves(node):
    if isinstance(node, (Term, Phrase)):
        yield node
    else:
        for k in node.children:
            yield from _leaves(k)


def run(plan: Plan, leaf_readers, idf_of, store, keep_of):
    """(score, global docnum) of every match; ``keep_of(reader)`` is a dict kept per reader."""
    out: list[tuple[float, int]] = []
    for reader, offset in leaf_readers:
        keep = keep_of(reader)

        def tpos(keep=keep, reader=reader):
            if "tpos" not in keep:
                keep["tpos"] = store.column(reader)
            return keep["tpos"]
        seg = SegmentRun(reader, store, tpos, keep)
        c = seg.cand(plan.positive)
        if not c:
            continue
        deleted = reader.deleted_docs_set if reader.has_deletions() else None
        docs = set(c)
        if deleted:
            docs -= deleted
        if plan.negative is not None and docs:
            docs -= seg.exact(plan.negative, docs & seg.cand(plan.negative))
        docs = seg.exact(plan.positive, docs)
        if not docs:
            continue
        sc = seg.scores(plan.positive, docs, idf_of)
        out.extend((s, d + offset) for d, s in sc.items())
    return out
