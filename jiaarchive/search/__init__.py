"""Full-text search over the archive: Chinese analysis, the Whoosh index, the query language.

Modules: ``analyzer`` (how text becomes tokens; the measured choice is documented
there), ``index`` (writing, rebuilding, checking, searching), ``query`` (parsing,
planning, snippets), ``synonyms`` (catalog/synonyms.toml).

Speed, bench/search_bench.py --records 20000 on this 2-core machine while other jobs ran
(load ~1.1), 62 queries x 3 rounds, each query = total + top 20 + snippets + facets:

=====================  ==============  =========  ==========  ===========  ==========
engine                 indexed/s       size       p50 / p95   first query  memory
=====================  ==============  =========  ==========  ===========  ==========
this (Whoosh)          43 (with        588 MB     39 / 305 ms 1.3-1.8 s    1156 MB peak
                       extraction;                                         (584 own +
                       80-87 idle)                                         572 mmap)
SQLite FTS5 trigram    407             541 MB     0.6 / 36 ms  --          --
=====================  ==============  =========  ==========  ===========  ==========

At 5,000 records: p50/p95 13/65 ms (FTS5 0.7/21 ms), first query 0.44 s.  Recall@10
on the known-item set: 1.000 here, 0.517 for FTS5 trigram (it cannot match two-character
terms and confuses A-1 with A-12).  The latency, first-query and memory targets are NOT
met at 20,000 records.  Where the time goes: the slow queries are synonym-expanded groups
of common words (``职代会 民主管理 公开``: 7 variants x 3 fields of offset phrases over
bigrams present in most records), each candidate needing a position check in Python;
the first query pays the same plus opening ~600 MB of segments.

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
