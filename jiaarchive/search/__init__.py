"""Full-text search over the archive: Chinese analysis, the Whoosh index, the query language.

Modules: ``analyzer`` (how text becomes tokens; the measured choice is documented
there), ``index`` (writing, rebuilding, checking, searching), ``query`` (parsing,
planning, snippets), ``synonyms`` (catalog/synonyms.toml).

How a query runs: ``query.plan_query`` turns it into a small plan, ``_exec.run`` intersects
the record sets of its tokens (C-speed set operations, no positions) and checks phrases
only on the records that survived the whole query, in the text store (``_store.py``),
then scores the matches (BM25F) — see the docstrings of ``_exec.py`` and ``analyzer.py``.

Speed, bench/search_bench.py on this 2-core machine (load average in brackets; other
jobs ran), 62 queries x 3 rounds, each query = total + top 20 + snippets + facets:

=====================  ==============  ======  ============  ===========  ================
20,000 records         indexed/s       size    p50 / p95     first query  memory (VmHWM)
=====================  ==============  ======  ============  ===========  ================
schema 1 (before)      44 w/ extract.  588 MB  63 / 537 ms   1.2-1.5 s    1186 MB (601 own
                       [2.5]                   [2.5-3.6]                  + 572 mmap)
schema 2, one process  36 w/ extract.  311 MB  14.5 / 73 ms  0.51-0.89 s  251 MB (38 own
                       42 index only           [1.0]                      + 133 mmap)
schema 2               82 w/ extract.  324 MB  13.2 / 63 ms  0.37-0.40 s  249 MB (33 own
                       [1.9]                   [0.65]                     + 135 mmap)
schema 2 + postings    (same index)    324 MB  9.1 / 37 ms   0.37 s       263 MB (45 own
cache (this)                                   [0.53]                     + 218 mmap)
SQLite FTS5 trigram    480             540 MB  0.7 / 33 ms   --           --
=====================  ==============  ======  ============  ===========  ================

"This": rebuilds index in two MpWriter sub-processes (``SearchIndex.rebuild``), so the
index has two segments; phrase checks of several CJK runs search the stored bytes
(``analyzer.ByteNeedle``); entries with NFKC-risky characters carry a normalised copy
(``_store.py``); alternatives of a synonym group are checked largest first
(``_exec.py``).  "+ postings cache" (no index change): decoded posting lists and
dense per-document weights kept per searcher, lists' sets built only when needed, plain
byte checks inlined, and the text store's pages dropped after 30,000 checked entries
instead of 5,000 (``index.RELEASE_AFTER``), so the slowest queries no longer pay
madvise and page faults every time.  Logs: bench/out/final3-20k-build.log (extraction
+ indexing), final3-20k.log (latency before the cache), p95-20k.log (latency with it),
final3-5k*.log.  At 5,000 records (before the cache): 93 documents/s with
extraction (was 46), 112 index only, 87 MB, p50/p95 6.0-6.6 / 21-26 ms (FTS5 0.6 /
22 ms), first query 0.27-0.33 s, 85 MB.

Targets at 20,000: 50 documents/s with extraction (82), p95 within 3x of FTS5 (1.1x),
first query under 1 s and a search process under 300 MB are met; p95 under 30 ms
(37 ms, was 63) is not.  What is left: the slowest queries (``职工（代表）大会 厂务公开``
66 ms, ``职代会 民主管理 公开`` 50 ms, ``工代会`` 40 ms, ``加班费 仲裁`` 34 ms) still
verify ~6,000 candidates each in the text store (~15 ms, ~2.5 µs a byte search with
the pages kept; nearly all of them match, so ordering the checks cannot help), score
~3,000 matches over ~15 (field, bigram) pairs (~10 ms) and intersect many long
bigram sets per synonym variant: only a more selective candidate filter (e.g. trigram
or cross-run tokens for synonym variants; an index change) would cut the checks.
Recall@10 on the known-item set is 1.000 with no identifier confusions (FTS5 trigram:
0.517, 2 confusions); the cache changes no total, hit, score or facet of the 62 queries.

Names are exported lazily so that ``import jiaarchive.search`` costs nothing until a
search or an index write actually happens (``jiaarchive search`` must answer in a fresh
process in well under a second).
"""

from __future__ import annotations

_EXPORTS = {
    "SearchIndex": "index", "SearchDoc": "index", "SearchFile": "index", "SearchResult": "index",
    "Hit": "index", "IndexCheck": "index", "IndexBusy": "index", "mark_behind": "index",
    "pending": "index", "clear_pending": "index",
    "parse_query": "query", "ParsedQuery": "query", "QTerm": "query",
    "load_synonyms": "synonyms", "catalog_dir": "synonyms",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    mod = _EXPORTS.get(name)
    if mod is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{mod}"), name)
    globals()[name] = value
    return value
