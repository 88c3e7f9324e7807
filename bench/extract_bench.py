"""Extraction throughput on ../shared/corpus: kinds, statuses and documents/second.

Usage: .venv/bin/python bench/extract_bench.py [--rounds N] [corpus_dir]
Each round extracts every corpus file; figures are for 1 and 2 workers, with and without
the worker start-up cost (a batch starts its own workers).
"""

from __future__ import annotations

import argparse
import collections
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jiaarchive.extract import extract_many, sniff  # noqa: E402
from jiaarchive.extract.worker import Worker  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default=str(Path(__file__).resolve().parents[2] / "shared" / "corpus"))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        sys.exit(f"没有找到语料目录：{corpus}")
    files = [p for p in sorted(corpus.rglob("*")) if p.is_file() and p.suffix != ".tsv" and p.name != "README.md"]
    print(f"platform: {platform.platform()}  python {platform.python_version()}  cpus: {os.cpu_count()}")
    print(f"corpus: {corpus} ({len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB)")

    t0 = time.perf_counter()
    start = Worker(1024)
    start.wait_ready()
    start.close()
    print(f"worker start-up: {time.perf_counter() - t0:.3f} s")

    kinds = collections.Counter(sniff(p).kind for p in files)
    print("kinds:", ", ".join(f"{k}={n}" for k, n in kinds.most_common()))

    office_kinds = {"doc", "docx", "xls", "xlsx", "pdf", "ofd", "rtf", "odt", "ods", "pptx", "xlsb"}
    for workers in (1, 2):
        statuses: collections.Counter[str] = collections.Counter()
        elapsed = 0.0
        for _ in range(args.rounds):
            t = time.perf_counter()
            results = list(extract_many(files, workers=workers))
            elapsed += time.perf_counter() - t
            statuses = collections.Counter(e.status for _p, e in results)
        rate = len(files) * args.rounds / elapsed
        print(f"\nworkers={workers}: {rate:.0f} files/s over {args.rounds} rounds ({elapsed / args.rounds:.2f} s a round)")
        print("  statuses:", ", ".join(f"{k}={n}" for k, n in statuses.most_common()))
        docs = [p for p in files if sniff(p).kind in office_kinds and not sniff(p).encrypted]
        t = time.perf_counter()
        for _ in range(args.rounds):
            list(extract_many(docs, workers=workers))
        rate_docs = len(docs) * args.rounds / (time.perf_counter() - t)
        print(f"  documents only (doc/docx/xls/xlsx/pdf/ofd/…, {len(docs)} files): {rate_docs:.0f} docs/s")

    by_kind: dict[str, list[float]] = collections.defaultdict(list)
    from jiaarchive.extract import extract

    for p in files:
        t = time.perf_counter()
        e = extract(p)
        by_kind[e.kind].append(time.perf_counter() - t)
    print("\nper-kind mean latency with extract() (shared worker, warm):")
    for kind, times in sorted(by_kind.items(), key=lambda kv: -sum(kv[1]) / len(kv[1])):
        print(f"  {kind:10} n={len(times):3}  mean {1000 * sum(times) / len(times):7.1f} ms  max {1000 * max(times):7.1f} ms")


if __name__ == "__main__":
    main()
