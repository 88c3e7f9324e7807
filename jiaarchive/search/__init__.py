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
schema 2 (this)        36 w/ extract.  311 MB  14.5 / 73 ms  0.51-0.89 s  251 MB (38 own
                       42 index only           [1.0]                      + 133 mmap)
SQLite FTS5 trigram    420             540 MB  0.7 / 36 ms   --           --
=====================  ==============  ======  ============  ===========  ================

At 5,000 records (schema 2, load ~0.9): 46 documents/s with extraction, 81 MB,
p50/p95 6.1 / 24.5 ms (FTS5 0.8 / 28.4 ms), first query 0.26-0.30 s, 85 MB.  The
20,000-record "with extraction" figure of schema 2 was measured before two indexing
speed-ups that the 5,000 run has (the text-store flags took 2.5 ms a record).

Targets at 20,000: p95 within 3x of FTS5 (2.0x), first query under 1 s and a search
process under 300 MB are met; p95 under 30 ms (73 ms) and 50 documents/s (~40) are not.
What is left: the slowest queries are synonym groups whose variants have parentheses
(``职工（代表）大会``, ``会员（代表）大会``: 130-160 ms), checked with a str regex after
decoding each candidate's text — a byte-level pattern would avoid the decode; indexing
time is Whoosh's per-posting Python work (add, pool runs, merge: ~25 ms a record for
~1,500 distinct bigrams), which only a different posting writer (or MpWriter over the 2
cores) would change.  Recall@10 on the known-item set is 1.000 with no identifier
confusions (FTS5 trigram: 0.517, 2 confusions).

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
