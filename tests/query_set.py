"""The issue-12 query set (tests/search_queries_12.toml): its corpus, its oracle, and recall@10
and precision@10 per kind.  Used by tests/test_search_forms.py and bench/archive_bench.py."""

from __future__ import annotations

import re
import statistics
import tomllib
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
QUERIES = REPO / "tests" / "search_queries_12.toml"
KNOWN = REPO / "tests" / "search_queries.toml"
CORPUS = REPO.parent / "shared" / "corpus" / "docs_cn"
TRADITIONAL = ["gonghuifa_2021.md", "laodong_hetongfa_2012.md", "zhigong_daixin_nianxiujia_tiaoli_2007.md",
               "shanghai_zhigong_daibiao_dahui_tiaoli_2017.md"]


def load() -> list[dict]:
    return tomllib.loads(QUERIES.read_text(encoding="utf-8"))["query"]


def corpus_docs():
    """(SearchDocs, {record id: name}, {name: oracle text}) of the query set's corpus."""
    from jiaarchive.extract import doc_properties, extract
    from jiaarchive.search import SearchDoc, SearchFile

    from .tradition import to_traditional

    meta = {r["file"]: r for r in tomllib.loads(KNOWN.read_text(encoding="utf-8")).get("record", [])}
    docs, names, texts = [], {}, {}
    files = sorted(CORPUS.iterdir())
    sources = [(p.name, p) for p in files] + [(f"繁体:{n}", CORPUS / n) for n in TRADITIONAL]
    for i, (name, p) in enumerate(sources, 1):
        ex = extract(p)
        text = ex.text if ex.ok else ""
        title = doc_properties(p).title or p.stem
        if name.startswith("繁体:"):
            text, title = to_traditional(text), to_traditional(title)
        m = meta.get(p.name, {})  # (a 繁体 copy: the same 文号, its own 档号)
        code = m.get("code", "D-1")
        no = f"{code}·0-D10-{i:04d}" if name.startswith("繁体:") else m.get("archive_no", f"{code}·0-D10-{i:04d}")
        docs.append(SearchDoc(record_id=i, archive_no=no, code=code,
                              volume=code[0], year=m.get("year"), date=None, title=title,
                              doc_no=m.get("doc_no", ""), files=(SearchFile(i, f"docs_cn/{p.name}", text),),
                              version="1"))
        names[i] = name
        texts[name] = "\n".join([title, m.get("doc_no", ""), text])
    return docs, names, texts


def _holds(text: str, alternative: str) -> bool:
    if alternative.startswith("re:"):
        return re.search(alternative[3:], text) is not None
    return alternative in text


def oracle(query: dict, texts: dict[str, str]) -> list[str]:
    """The relevant files by the hand-written alternatives (繁体 copies: as their source)."""
    def relevant(name: str) -> bool:
        src = name.split(":", 1)[1] if name.startswith("繁体:") else name
        return all(any(_holds(texts[src], a) for a in group) for group in query["relevant"])
    return sorted(n for n in texts if relevant(n))


def evaluate(search, names: dict[int, str], texts: dict[str, str]) -> dict[str, dict]:
    """Per kind: mean recall@10, mean precision@10, and the queries that fell short.

    ``search(q)`` returns the record ids of the first ten hits, best first.
    """
    by_kind: dict[str, dict] = defaultdict(lambda: {"recall": [], "precision": [], "misses": []})
    for q in load():
        expect = set(q.get("expect") or oracle(q, texts))
        got = [names[r] for r in search(q["q"])][:10]
        want = min(10, len(expect))
        recall = (len(expect & set(got)) / want) if want else 1.0
        precision = (sum(1 for g in got if g in expect) / len(got)) if got else (1.0 if not expect else 0.0)
        k = by_kind[q["kind"]]
        k["recall"].append(recall)
        k["precision"].append(precision)
        if recall < 1 or precision < 1:
            k["misses"].append(f"{q['q']}: recall {recall:.2f}, precision {precision:.2f}, "
                               f"missing {sorted(expect - set(got))[:3]}, wrong {[g for g in got if g not in expect][:3]}")
    return {kind: {"recall": statistics.mean(v["recall"]), "precision": statistics.mean(v["precision"]),
                   "queries": len(v["recall"]), "misses": v["misses"]} for kind, v in by_kind.items()}
