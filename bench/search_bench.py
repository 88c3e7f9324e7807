"""Search benchmark: quality on the known-item query set, then speed on a 20,000-record archive.

Usage::

    .venv/bin/python bench/search_bench.py [--records 20000] [--rebuild] [--reindex] [--compare]

The generated archive, its extracted texts (docs.pickle), the index and the FTS5 database
are cached in bench/out/search-<records>/ and reused: ``--rebuild`` regenerates all of
it (and measures extract + index again), ``--reindex`` only re-indexes the cached texts
(after a change of the index format).

1. Quality: one record per text of ../shared/corpus/docs_cn (identifiers from
   tests/search_queries.toml), recall@10 and identifier confusions for this engine and
   for SQLite FTS5 (trigram); with ``--compare`` also Whoosh's StandardAnalyzer and
   jieba's ChineseAnalyzer through Whoosh's QueryParser.
2. Speed: an archive of N records cut from the corpus texts (chunks of 1-6 KB, spliced
   from two texts and shuffled by paragraph so documents differ), ~10 % written as Word
   (.docx) files and the rest as .txt, extracted with jiaarchive.extract and indexed;
   then warm query latency p50/p95 over the query set, the first query in a fresh
   process, peak memory of a search process, index size, and the same for FTS5.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from jiaarchive.search import SearchDoc, SearchFile, SearchIndex, parse_query  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "docs_cn"
QUERIES = REPO / "tests" / "search_queries.toml"
CODES = [f"{v}-{i}" for v, n in zip("ABCDEF", (5, 6, 5, 5, 5, 6)) for i in range(1, n + 1)]


# -- corpus -----------------------------------------------------------------------------

def read_text(path: Path) -> str:
    try:
        from jiaarchive.extract import extract
    except ImportError:
        return path.read_bytes().decode("utf-8", errors="replace")
    e = extract(path)
    return e.text if e.ok else ""


def corpus_records(spec: dict) -> tuple[list[SearchDoc], dict[int, str]]:
    meta = {r["file"]: r for r in spec.get("record", [])}
    docs, names = [], {}
    for i, p in enumerate(sorted(CORPUS.iterdir()), 1):
        m = meta.get(p.name, {})
        year = m.get("year")
        if year is None:
            y = re.search(r"(19|20)\d\d", p.name)
            year = int(y.group()) if y else None
        code = m.get("code", "D-1")
        docs.append(SearchDoc(
            record_id=i, archive_no=m.get("archive_no", f"{code}·{year or 0}-D10-{i:04d}"),
            former_archive_nos=tuple(m.get("former_archive_nos", ())), code=code,
            volume=code[0], year=year, date=None, title=p.stem, doc_no=m.get("doc_no", ""),
            files=(SearchFile(i, f"docs_cn/{p.name}", read_text(p)),), version="1"))
        names[i] = p.name
    return docs, names


# -- quality ------------------------------------------------------------------------------

def recall(run, queries, names) -> tuple[float, int, list[str]]:
    """Mean recall@10 over the queries, confusions (rejected files returned), failures."""
    rs, confusions, fails = [], 0, []
    for q in queries:
        found = [names[r] for r in run(q["q"])]
        top = set(found[:10])
        exp = q["expect"]
        r = sum(1 for e in exp if e in top) / len(exp)
        rs.append(r)
        bad = [x for x in q.get("reject", []) if x in found]
        confusions += bool(bad)
        if r < 1 or bad:
            fails.append(f"{q['q']!r}: recall {r:.2f}{' confuses ' + ','.join(bad) if bad else ''}")
    return statistics.mean(rs), confusions, fails


def fts5_build(db: Path, docs, *, title_of=lambda d: d.title) -> sqlite3.Connection:
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE rec(id INTEGER PRIMARY KEY, code TEXT, volume TEXT, year INT)")
    con.execute("CREATE VIRTUAL TABLE fts USING fts5(title, doc_no, ids, body, tokenize='trigram')")
    with con:
        for d in docs:
            con.execute("INSERT INTO rec VALUES (?,?,?,?)", (d.record_id, d.code, d.volume, d.year))
            con.execute("INSERT INTO fts(rowid, title, doc_no, ids, body) VALUES (?,?,?,?,?)",
                        (d.record_id, title_of(d), d.doc_no,
                         " ".join((d.archive_no, *d.former_archive_nos)),
                         "\n".join(f.text for f in d.files)))
    return con


def fts5_plan(text: str) -> tuple[str | None, str, list]:
    """Translate our query language to FTS5 MATCH plus SQL filters (no synonyms)."""
    pq = parse_query(text)
    ands, where, args = [], [], []

    def lit(s):
        return '"' + s.replace('"', '""') + '"'
    for g in pq.groups:
        alts = []
        for t in g:
            if t.field == "code":
                where.append("rec.code = ?" if "-" in t.text else "rec.volume = ?")
                args.append(t.text.upper())
            elif t.field == "year":
                a, _, b = t.text.partition("..")
                where.append("rec.year BETWEEN ? AND ?")
                args += [int(a), int(b or a)]
            elif t.field == "doc_no":
                alts.append("doc_no : " + lit(t.text))
            else:
                alts.append(lit(t.text))
        if alts:
            ands.append(alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")")
    match = " AND ".join(ands) if ands else None
    if match and pq.negated:
        match += "".join(" NOT " + lit(t.text) for t in pq.negated)
    return match, " AND ".join(where), args


def fts5_search(con, text: str, limit: int = 20):
    match, where, args = fts5_plan(text)
    if match is None:
        return 0, [], {}
    cond = "fts MATCH ?" + (" AND " + where if where else "")
    base = f"FROM fts JOIN rec ON rec.id = fts.rowid WHERE {cond}"
    total = con.execute(f"SELECT count(*) {base}", [match, *args]).fetchone()[0]
    facets = con.execute(f"SELECT rec.volume, count(*) {base} GROUP BY rec.volume",
                         [match, *args]).fetchall()
    rows = con.execute(f"SELECT rec.id, snippet(fts, 3, '【', '】', '…', 16) {base} "
                       f"ORDER BY bm25(fts, 3.0, 3.0, 3.0, 1.0) LIMIT ?", [match, *args, limit]).fetchall()
    return total, [r[0] for r in rows], dict(facets)


def quality(spec, work: Path, compare: bool) -> dict:
    docs, names = corpus_records(spec)
    queries = spec["query"]
    out = {}
    ix = SearchIndex.open(work / "q-index")
    ix.rebuild(docs)
    r, conf, fails = recall(lambda q: [h.record_id for h in ix.search(q, limit=10).hits],
                            queries, names)
    out["this engine"] = (r, conf, fails)
    # The 49 records are too few for n-gram tokens (ngrams.MIN_SAMPLE): measure the same
    # queries once more with them, as a large archive would search.
    from jiaarchive.search import ngrams
    saved = ngrams.MIN_SAMPLE
    ngrams.MIN_SAMPLE = 1
    try:
        ix2 = SearchIndex.open(work / "q-index-ngrams")
        ix2.rebuild(docs)
    finally:
        ngrams.MIN_SAMPLE = saved
    vocab = ix2._fresh_searcher().reader().schema["body"].analyzer.vocab
    r, conf, fails = recall(lambda q: [h.record_id for h in ix2.search(q, limit=10).hits],
                            queries, names)
    out[f"  … with {len(vocab)} n-grams"] = (r, conf, fails)
    ix2.close()
    con = fts5_build(work / "q-fts.db", docs)
    r, conf, fails = recall(lambda q: fts5_search(con, q, 10)[1], queries, names)
    out["SQLite FTS5 trigram"] = (r, conf, fails)
    if compare:
        out.update(compare_analyzers(docs, names, queries, work))
    return out


def compare_analyzers(docs, names, queries, work):
    """Whoosh with stock analyzers and its QueryParser, as a project would start out."""
    from whoosh import fields, index, qparser
    from whoosh.analysis import StandardAnalyzer

    cands = {"Whoosh StandardAnalyzer": StandardAnalyzer()}
    try:
        from jieba.analyse import ChineseAnalyzer
        cands["jieba ChineseAnalyzer"] = ChineseAnalyzer()
    except Exception as exc:  # jieba missing or broken: just leave it out
        print("  (jieba unavailable:", exc, ")")
    out = {}
    for name, ana in cands.items():
        d = work / f"cmp-{len(out)}"
        d.mkdir()
        schema = fields.Schema(rid=fields.ID(stored=True),
                               body=fields.TEXT(analyzer=ana), ids=fields.TEXT(analyzer=ana))
        wix = index.create_in(str(d), schema)
        t0 = time.perf_counter()
        w = wix.writer()
        for doc in docs:
            w.add_document(rid=str(doc.record_id), body=doc.title + "\n" + doc.files[0].text,
                           ids=" ".join((doc.archive_no, doc.doc_no, doc.code)))
        w.commit()
        secs = time.perf_counter() - t0
        qp = qparser.MultifieldParser(["body", "ids"], schema)
        with wix.searcher() as s:
            def run(q):
                try:
                    return [int(h["rid"]) for h in s.search(qp.parse(q), limit=10)]
                except Exception:
                    return []
            r, conf, fails = recall(run, queries, names)
        out[name] = (r, conf, fails)
        print(f"  {name}: indexed {len(docs)} texts in {secs:.1f} s")
    return out


# -- the 20,000-record archive -----------------------------------------------------------

def make_archive(n: int, texts: list[str], root: Path, seed: int = 7) -> list[dict]:
    """Write n record files (txt, ~10 % docx) cut and spliced from the corpus texts."""
    rnd = random.Random(seed)
    paras = [[p for p in re.split(r"\n\s*\n|\n", t) if len(p.strip()) > 8] for t in texts if t]
    paras = [p for p in paras if len(p) > 3]
    from docx import Document

    recs = []
    for i in range(1, n + 1):
        a, b = rnd.sample(range(len(paras)), 2)
        chunk = []
        want = rnd.randint(1000, 6000)
        start = rnd.randrange(len(paras[a]))
        k, size = start, 0
        while size < want:
            src = paras[a] if rnd.random() < 0.8 else paras[b]
            p = src[k % len(src)]
            chunk.append(p)
            size += len(p)
            k += 1
        if rnd.random() < 0.3:
            rnd.shuffle(chunk)
        code = rnd.choice(CODES)
        year = rnd.randint(2015, 2024)
        title = re.sub(r"\s+", "", chunk[0])[:rnd.randint(8, 24)]
        doc_no = f"渝工{rnd.choice('组发办宣')}〔{year}〕{rnd.randint(1, 160)}号" if rnd.random() < 0.3 else ""
        sub = root / code[0] / code
        sub.mkdir(parents=True, exist_ok=True)
        if rnd.random() < 0.1:
            path = sub / f"{i:06d}.docx"
            d = Document()
            for p in chunk:
                d.add_paragraph(p)
            d.save(path)
        else:
            path = sub / f"{i:06d}.txt"
            path.write_text("\n".join(chunk), encoding="utf-8")
        recs.append(dict(record_id=i, code=code, year=year, title=title, doc_no=doc_no,
                         archive_no=f"{code}·{year}-D30-{i:04d}", path=path))
    return recs


def extracted_docs(recs, root: Path, stats: dict):
    """SearchDocs in completion order, extracting each file (text in-process, Word in a worker)."""
    by_path = {r["path"]: r for r in recs}
    try:
        from jiaarchive.extract import extract_many
        it = extract_many([r["path"] for r in recs], workers=1)
    except ImportError:
        it = ((r["path"], None) for r in recs)
    for path, ex in it:
        r = by_path[path]
        if ex is None:
            text = path.read_text(encoding="utf-8", errors="replace")
        else:
            text = ex.text if ex.ok else ""
            stats[ex.status] = stats.get(ex.status, 0) + 1
        yield SearchDoc(
            record_id=r["record_id"], archive_no=r["archive_no"], code=r["code"],
            volume=r["code"][0], year=r["year"], date=f"{r['year']}-06-01", title=r["title"],
            doc_no=r["doc_no"], kinds=("Word 文档",) if path.suffix == ".docx" else ("文本",),
            files=(SearchFile(r["record_id"], str(path.relative_to(root)), text),), version="1")


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


FRESH = r"""
import sys, time, json
t0 = time.perf_counter()
from jiaarchive.search import SearchIndex
ix = SearchIndex.open(sys.argv[1], create=False)
r = ix.search(sys.argv[2], limit=20)
print(r.total, r.hits[0].archive_no if r.hits else "-", flush=True)
first = time.perf_counter() - t0
for q in json.loads(sys.argv[3]):
    ix.search(q)
# VmHWM: this process's peak resident memory (ru_maxrss would include the parent's at fork).
st = {l.split(":")[0]: int(l.split()[1]) for l in open("/proc/self/status")
      if l.startswith(("VmHWM", "RssAnon", "RssFile"))}
print(json.dumps({"first": first, "maxrss_kb": st["VmHWM"], "anon_kb": st["RssAnon"],
                  "file_kb": st["RssFile"]}))
"""


def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def loadavg() -> str:
    try:
        return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "load average unknown"


def build_archive(n: int, out: Path, texts: list[str]) -> None:
    """Generate the archive, then extract + index it (the with-extraction rate)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    root = out / "archive"
    t0 = time.perf_counter()
    recs = make_archive(n, texts, root)
    print(f"  generated files in {time.perf_counter() - t0:.1f} s "
          f"({sum(1 for r in recs if r['path'].suffix == '.docx')} Word files)")
    ix = SearchIndex.open(out / "index")
    stats: dict = {}
    docs: list = []

    def keep(it):
        for d in it:
            docs.append(d)
            yield d
    t0 = time.perf_counter()
    ix.rebuild(keep(extracted_docs(recs, root, stats)), total=len(recs))
    secs = time.perf_counter() - t0
    ix.close()
    docs.sort(key=lambda d: d.record_id)
    with open(out / "docs.pickle", "wb") as fh:
        pickle.dump(docs, fh, protocol=pickle.HIGHEST_PROTOCOL)
    meta = {"records": n, "extract_index_secs": secs, "extraction": stats, "load": loadavg()}
    (out / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=20000)
    ap.add_argument("--out", type=Path, help="cache folder (default bench/out/search-<records>)")
    ap.add_argument("--rebuild", action="store_true",
                    help="regenerate the archive and measure extract + index again")
    ap.add_argument("--reindex", action="store_true",
                    help="index the cached extracted texts again (after an index format change)")
    ap.add_argument("--compare", action="store_true", help="also measure stock Whoosh analyzers")
    ap.add_argument("--no-quality", action="store_true", help="skip the known-item quality part")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--queries", type=Path,
                    help="time these queries (one per line) instead of the known-item set's, "
                         "e.g. bench/later_queries.txt")
    args = ap.parse_args()
    if not CORPUS.is_dir():
        print("../shared/corpus 不存在，无法运行检索基准。")
        return 1
    out = args.out or REPO / "bench" / "out" / f"search-{args.records}"
    spec = tomllib.loads(QUERIES.read_text(encoding="utf-8"))
    queries = [q["q"] for q in spec["query"]]
    if args.queries:
        queries = [x.strip() for x in args.queries.read_text(encoding="utf-8").splitlines()
                   if x.strip() and not x.startswith("#")]
    print(f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")
    print(f"at start: {loadavg()}")

    if not args.no_quality:
        print(f"\n== quality: {len(spec['query'])} known-item queries over {CORPUS.name}/ ==")
        with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
            for name, (r, conf, fails) in quality(spec, Path(tmp), args.compare).items():
                print(f"  {name:26s} recall@10 {r:.3f}   identifier confusions {conf}")
                for f in fails[:8]:
                    print(f"      {f}")
                if len(fails) > 8:
                    print(f"      … and {len(fails) - 8} more")

    print(f"\n== speed: {args.records} records (cache {out}) ==")
    if args.rebuild or not (out / "docs.pickle").exists():
        texts = [read_text(p) for p in sorted(CORPUS.iterdir())]
        build_archive(args.records, out, texts)
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    with open(out / "docs.pickle", "rb") as fh:
        docs_all = pickle.load(fh)
    n = len(docs_all)
    print(f"  extract + index {n} records: {n / meta['extract_index_secs']:.0f} docs/s "
          f"({meta['extract_index_secs']:.0f} s, measured when the cache was built, {meta['load']}; "
          f"extraction {meta['extraction']})")
    if args.reindex or not (out / "index" / "CURRENT").exists():
        shutil.rmtree(out / "index", ignore_errors=True)
        t0 = time.perf_counter()
        ix = SearchIndex.open(out / "index")
        ix.rebuild(iter(docs_all), total=n)
        ix.close()
        secs = time.perf_counter() - t0
        print(f"  index only (texts in memory): {n / secs:.0f} docs/s ({secs:.0f} s, {loadavg()})")
    print(f"  index size {du(out / 'index') / 1e6:.1f} MB")
    if not (out / "fts.db").exists():
        t0 = time.perf_counter()
        fts5_build(out / "fts.db", docs_all).close()
        fsecs = time.perf_counter() - t0
        print(f"  FTS5 trigram: index {n} records (text in memory) in {fsecs:.1f} s = "
              f"{n / fsecs:.0f} docs/s")
    print(f"  FTS5 trigram db {(out / 'fts.db').stat().st_size / 1e6:.1f} MB")
    del docs_all
    con = sqlite3.connect(out / "fts.db")

    def timed(fn):
        first = []
        for q in queries:
            t = time.perf_counter()
            fn(q)  # warm
            first.append((time.perf_counter() - t) * 1000)
        lat = []
        for _ in range(args.rounds):
            for q in queries:
                t = time.perf_counter()
                fn(q)
                lat.append((time.perf_counter() - t) * 1000)
        return first, lat

    ix = SearchIndex.open(out / "index", create=False)
    ours_first, ours = timed(lambda q: ix.search(q, limit=20))
    fts_first, fts = timed(lambda q: fts5_search(con, q, 20))
    print(f"\n  warm latency over {len(queries)} queries x {args.rounds} rounds "
          f"(total + top 20 + snippets + volume/year counts), {loadavg()}:")
    print(f"  {'':14s} {'p50':>8s} {'p95':>8s} {'max':>8s}   first pass p50 / p95")
    for name, lat, fst in (("this engine", ours, ours_first), ("FTS5 trigram", fts, fts_first)):
        print(f"  {name:14s} {percentile(lat, 50):7.1f}ms {percentile(lat, 95):7.1f}ms "
              f"{max(lat):7.1f}ms   {percentile(fst, 50):6.1f} / {percentile(fst, 95):6.1f} ms")
    print(f"  p95 ratio this/FTS5: {percentile(ours, 95) / percentile(fts, 95):.2f}")
    slow = sorted(((statistics.mean(ours[i::len(queries)]), q) for i, q in enumerate(queries)),
                  reverse=True)[:8]
    print("  slowest queries (this engine): " + ", ".join(f"{q} {t:.0f}ms" for t, q in slow))
    ix.close()

    firsts = []
    for i in range(3):
        # Wall time until the first result line is printed: start Python, import, open, search.
        t = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", FRESH, str(out / "index"), "职工代表大会",
                                 json.dumps(queries if i == 0 else [], ensure_ascii=False)],
                                stdout=subprocess.PIPE, text=True, cwd=REPO)
        proc.stdout.readline()
        wall = time.perf_counter() - t
        info = json.loads(proc.stdout.read().strip().splitlines()[-1])
        proc.wait()
        firsts.append((wall, info))
    print(f"\n  first query in a fresh process (start Python, import, open, search, print): "
          f"{', '.join(f'{w * 1000:.0f} ms' for w, _ in firsts)}"
          f" (in-process part {firsts[-1][1]['first'] * 1000:.0f} ms)")
    m = firsts[0][1]
    print(f"  peak memory of a search process after all {len(queries)} queries: "
          f"{m['maxrss_kb'] / 1024:.0f} MB (now: {m['anon_kb'] / 1024:.0f} MB own + "
          f"{m['file_kb'] / 1024:.0f} MB of memory-mapped index pages)")
    print(f"  at end: {loadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
