"""A real archive of N records (database, files, index), rebuilt and searched as a clerk would.

Usage::

    .venv/bin/python bench/archive_bench.py [--records 20000] [--rebuild] [--runs 5]

1. Builds (once, cached in bench/out/archive-<N>/) a real jiaarchive archive: ``init``, then
   N records written straight into the database in batches (the rows filing writes:
   record, 档号, file) with their files in the entry/year folders — texts cut from
   ../shared/corpus/docs_cn as bench/search_bench.py cuts them, ~10 % Word files.
2. ``jiaarchive index rebuild --reextract`` in-process (``indexing.rebuild``): extraction and
   indexing rate, and the peak temporary disk of the index folder over the final index
   (sampled every 0.1 s), against the free-space estimate the rebuild asked for.
3. ``jiaarchive search`` in fresh processes, the real CLI (``python -m jiaarchive``), over
   the queries of bench/later_queries.txt and some of the issue-12 query set: the median
   and the slowest, on this archive and on a copy of sample_archive/.
4. The same run's SQLite FTS5 (trigram) figures over the same extracted texts: build rate,
   size, warm p50/p95 of the same queries, and a fresh process answering one.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import search_bench as sb  # noqa: E402

QUERIES = [q.strip() for q in (REPO / "bench" / "later_queries.txt").read_text(encoding="utf-8").splitlines()
           if q.strip() and not q.startswith("#")]
QUERIES += ["第39条 劳动合同", "勞動合同 解除", "工會經費", "人社部门", "国务院令174号", "二〇二一年", "妇联"]


def loadavg() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def du(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total


def build(n: int, root: Path) -> None:
    """A real archive with n records, written in batches straight into its database."""
    from jiaarchive import storage
    from jiaarchive.archive import init_archive
    from jiaarchive.db.models import ACTIVE, ArchiveNumber, File, Record
    from jiaarchive.extract import sniff

    if root.exists():
        shutil.rmtree(root)
    stage = root.parent / "stage"
    shutil.rmtree(stage, ignore_errors=True)
    t0 = time.perf_counter()
    texts = [sb.read_text(p) for p in sorted(sb.CORPUS.iterdir())]
    recs = sb.make_archive(n, texts, stage)
    arch = init_archive(root, unit="重庆市基准测试中学工会", unit_type="事业单位")
    codes = {e.code for e in arch.entries()}
    now = datetime(2024, 5, 6, 9, 30)
    rnd = random.Random(11)
    seqs: dict[tuple[str, int], int] = {}
    batch = []
    for r in recs:
        code = r["code"] if r["code"] in codes else rnd.choice(sorted(codes))
        year = r["year"]
        seq = seqs[(code, year)] = seqs.get((code, year), 0) + 1
        retention = arch.retention_for(code)
        number = arch.settings.archive_no_pattern.format(
            code=code, year=year, seq=seq, retention=arch.standards.retention_code(retention))
        src: Path = r["path"]
        folder = arch.year_folder(code, year)
        rel = f"{folder}/{year}-06-01 {r['title'][:20]}（{r['record_id']}）{src.suffix}"
        dst = root / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, dst)
        sha, size = storage.hash_file(dst)
        ft = sniff(dst, deep=False)
        batch.append((Record(archive_no=number, code=code, year=year, seq=seq, retention=retention,
                             title=r["title"], doc_no=r["doc_no"], responsible="", doc_date=date(year, 6, 1),
                             date_source="manual", filed_at=now, updated_at=now, pages=None, secrecy="",
                             remarks="", status=ACTIVE),
                      File(position=0, path=rel, home_path=rel, original_name=src.name,
                           original_path=str(src), sha256=sha, size=size, kind=ft.kind, mime=ft.mime,
                           filed_at=now, status=ACTIVE), number, seq))
        if len(batch) >= 1000:
            _flush(arch, batch, ArchiveNumber, now)
            batch = []
    _flush(arch, batch, ArchiveNumber, now)
    arch.close()
    shutil.rmtree(stage, ignore_errors=True)
    print(f"  built a {n}-record archive (database + files) in {time.perf_counter() - t0:.0f} s")


def _flush(arch, batch, ArchiveNumber, now) -> None:  # noqa: ANN001, N803
    with arch.session() as s, s.begin():
        for rec, f, number, seq in batch:
            s.add(rec)
            s.flush()
            s.add(ArchiveNumber(archive_no=number, record_id=rec.id, code=rec.code, year=rec.year, seq=seq,
                                assigned_at=now, current=True))
            rec.files.append(f)


def rebuild(root: Path) -> dict:
    from jiaarchive import indexing
    from jiaarchive.archive import open_archive
    from jiaarchive.search.index import INDEX_PER_TEXT

    arch = open_archive(root)
    idx_dir = indexing.index_dir(arch)
    indexing.close(arch)
    shutil.rmtree(idx_dir, ignore_errors=True)
    idx_dir.mkdir(parents=True)
    with arch.session() as s:
        asked = 2 * INDEX_PER_TEXT * indexing._text_bytes(s, True)
    peak, stop = [0], [False]

    def sample():
        while not stop[0]:
            peak[0] = max(peak[0], du(idx_dir))
            time.sleep(0.1)
    th = threading.Thread(target=sample, daemon=True)
    th.start()
    t0 = time.perf_counter()
    n = indexing.rebuild(arch, reextract=True, workers=2)
    secs = time.perf_counter() - t0
    stop[0] = True
    th.join()
    final = du(idx_dir)
    arch.close()
    return {"records": n, "secs": secs, "rate": n / secs, "final": final, "peak": peak[0],
            "temp": max(0, peak[0] - final), "asked": asked}


def fresh_cli(root: Path, queries: list[str], runs: int) -> list[float]:
    """Wall time of `python -m jiaarchive --archive ROOT search Q` (start to exit), each query."""
    times = []
    env = {**os.environ, "JIAARCHIVE_BACKGROUND_OCR": "0"}
    for q in queries:
        per = []
        for _ in range(runs):
            t = time.perf_counter()
            out = subprocess.run([sys.executable, "-m", "jiaarchive", "--archive", str(root), "search", *q.split()],
                                 capture_output=True, text=True, env=env)
            per.append(time.perf_counter() - t)
            if out.returncode not in (0,):
                raise SystemExit(f"search {q!r} failed: {out.stderr}")
        times.append(statistics.median(per))
    return times


def fts5(root: Path, queries: list[str], rounds: int = 3) -> dict:
    """FTS5 trigram over the texts the rebuild extracted (from the archive's text cache)."""
    import zlib

    from jiaarchive.search import SearchDoc, SearchFile

    db = sqlite3.connect(root / ".jiaarchive" / "archive.db")
    rows = db.execute("SELECT r.id, r.archive_no, r.code, r.year, r.title, r.doc_no, t.text FROM records r "
                      "JOIN files f ON f.record_id = r.id JOIN file_texts t ON t.sha256 = f.sha256").fetchall()
    db.close()
    docs = [SearchDoc(record_id=i, archive_no=no, code=code, volume=code[0], year=year, date=None, title=title,
                      doc_no=doc_no, files=(SearchFile(i, "", zlib.decompress(t).decode("utf-8") if t else ""),))
            for i, no, code, year, title, doc_no, t in rows]
    path = root.parent / "fts5.db"
    path.unlink(missing_ok=True)
    t0 = time.perf_counter()
    con = sb.fts5_build(path, docs)
    secs = time.perf_counter() - t0
    lat = []
    for q in queries:
        sb.fts5_search(con, q, 20)
    for _ in range(rounds):
        for q in queries:
            t = time.perf_counter()
            sb.fts5_search(con, q, 20)
            lat.append((time.perf_counter() - t) * 1000)
    con.close()
    probe = ("import sqlite3, sys, time; t=time.perf_counter(); con=sqlite3.connect(sys.argv[1]);"
             "print(con.execute(\"SELECT count(*) FROM fts WHERE fts MATCH '\\\"劳动合同\\\"'\").fetchone()[0])")
    fresh = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, check=True)
        fresh.append(time.perf_counter() - t)
    return {"rate": len(docs) / secs, "size": path.stat().st_size, "p50": sb.percentile(lat, 50),
            "p95": sb.percentile(lat, 95), "fresh": statistics.median(fresh)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=20000)
    ap.add_argument("--rebuild", action="store_true", help="build the archive again")
    ap.add_argument("--skip-index", action="store_true", help="keep the index (no rebuild figures)")
    ap.add_argument("--runs", type=int, default=3, help="fresh processes per query")
    args = ap.parse_args()
    if not sb.CORPUS.is_dir():
        print("../shared/corpus 不存在，无法运行基准。")
        return 1
    out = REPO / "bench" / "out" / f"archive-{args.records}"
    root = out / "archive"
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"SQLite {sqlite3.sqlite_version}; at start: {loadavg()}")
    if args.rebuild or not (root / "jiaarchive.toml").exists():
        out.mkdir(parents=True, exist_ok=True)
        build(args.records, root)
    if not args.skip_index:
        r = rebuild(root)
        mb = 1 << 20
        print(f"\n== rebuild with extraction, {r['records']} records ({loadavg()}) ==")
        print(f"  {r['rate']:.0f} documents/s ({r['secs']:.0f} s); final index {r['final'] / mb:.0f} MB; "
              f"peak of the index folder {r['peak'] / mb:.0f} MB = temporary files at most "
              f"{r['temp'] / mb:.0f} MB ({r['temp'] / max(1, r['final']):.2f} x the final index; "
              f"free space asked for first: {r['asked'] / mb:.0f} MB)")
    print(f"\n== `jiaarchive search` in a fresh process, {len(QUERIES)} queries x {args.runs} ({loadavg()}) ==")
    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp) / "sample_archive"
        shutil.copytree(REPO / "sample_archive", sample)
        env = {**os.environ, "JIAARCHIVE_BACKGROUND_OCR": "0"}
        subprocess.run([sys.executable, "-m", "jiaarchive", "--archive", str(sample), "search", "工会"],
                       capture_output=True, env=env)  # the first search after a clone builds the index
        for name, where in (("sample_archive", sample), (f"{args.records} records", root)):
            times = fresh_cli(where, QUERIES, args.runs)
            print(f"  {name:16s} median {statistics.median(times):.2f} s, p95 {sb.percentile(times, 95):.2f} s, "
                  f"slowest {max(times):.2f} s ({QUERIES[times.index(max(times))]})")
    f = fts5(root, QUERIES)
    print(f"\n== SQLite FTS5 trigram over the same texts ({loadavg()}) ==")
    print(f"  build {f['rate']:.0f} documents/s (texts in memory), {f['size'] / (1 << 20):.0f} MB; "
          f"warm p50 {f['p50']:.1f} ms, p95 {f['p95']:.1f} ms; a fresh python+sqlite3 process with one query "
          f"{f['fresh']:.2f} s")
    print(f"at end: {loadavg()}")
    (out / "last.json").write_text(json.dumps({"load": loadavg()}), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
