"""The city union's review at scale: 100 units x 200 records (20,000 records, files included).

Usage::

    .venv/bin/python bench/review_bench.py --db postgresql://user@/db?host=/socket&port=5432 [--units 100] [--records 200]

1. Builds (once, cached in bench/out/review-<U>x<N>/bundles/) one real archive per unit
   (``init``, then the rows filing writes, files cut from ../shared/corpus/docs_cn as
   bench/archive_bench.py does, a different seed per unit) and exports each as a bundle with
   the real ``write_bundle`` (text extraction, metadata, coverage report, BagIt manifests).
2. ``review init`` + ``review import`` of all the bundles in-process: records/s and bundles/s
   (verification of every checksum, unpacking into each unit's archive, PostgreSQL rows).
3. ``jiaarchive review status --json`` over all units, as a fresh process (the real CLI).
4. The same queries searched across all units (``review.search``, warm, in-process: p50/p95)
   and in one unit's own archive (its Whoosh index, ``SearchIndex.search``: p50/p95), side by
   side in the same run; and the first answer of each in a fresh process (the real CLI).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import search_bench as sb  # noqa: E402

QUERIES = ["工会经费", "职代会", "劳动合同 解除", "困难职工 慰问", "\"职工代表大会\"", "安全生产 -草稿", "年假 OR 年休假",
           "第39条", "妇联", "工會經費", "女职工 code:C", "集体合同 year:2018..2021", "二〇二一年", "渝工组", "民主管理",
           "劳动争议 调解", "送温暖", "职工之家", "技能竞赛", "厂务公开"]
TYPES = ["事业单位", "机关单位", "公有制企业", "非公有制企业"]


def loadavg() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def build_unit(i: int, n: int, root: Path, texts: list[str]) -> None:
    from jiaarchive import storage
    from jiaarchive.archive import init_archive
    from jiaarchive.db.models import ACTIVE, ArchiveNumber, File, Record
    from jiaarchive.extract import sniff

    import random

    stage = root.parent / f"stage-{i}"
    shutil.rmtree(stage, ignore_errors=True)
    shutil.rmtree(root, ignore_errors=True)
    recs = sb.make_archive(n, texts, stage, seed=1000 + i)
    arch = init_archive(root, unit=f"重庆市第{i + 1}基准测试单位工会", unit_type=TYPES[i % len(TYPES)])
    codes = sorted(e.code for e in arch.entries())
    now = datetime(2024, 5, 6, 9, 30)
    rnd = random.Random(i)
    seqs: dict[tuple[str, int], int] = {}
    with arch.session() as s, s.begin():
        for r in recs:
            code = r["code"] if r["code"] in codes else rnd.choice(codes)
            year = r["year"]
            seq = seqs[(code, year)] = seqs.get((code, year), 0) + 1
            retention = arch.retention_for(code)
            number = arch.settings.archive_no_pattern.format(code=code, year=year, seq=seq,
                                                             retention=arch.standards.retention_code(retention))
            src: Path = r["path"]
            rel = f"{arch.year_folder(code, year)}/{year}-06-01 {storage.safe_name(r['title'][:20])}（{r['record_id']}）{src.suffix}"
            dst = root / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
            sha, size = storage.hash_file(dst)
            ft = sniff(dst, deep=False)
            rec = Record(archive_no=number, code=code, year=year, seq=seq, retention=retention, title=r["title"],
                         doc_no=r["doc_no"], responsible="", doc_date=date(year, 6, 1), date_source="manual", filed_at=now,
                         updated_at=now, pages=None, secrecy="", remarks="", status=ACTIVE)
            s.add(rec)
            s.flush()
            s.add(ArchiveNumber(archive_no=number, record_id=rec.id, code=code, year=year, seq=seq, assigned_at=now, current=True))
            rec.files.append(File(position=0, path=rel, home_path=rel, original_name=src.name, original_path=str(src),
                                  sha256=sha, size=size, kind=ft.kind, mime=ft.mime, filed_at=now, status=ACTIVE))
    arch.close()
    shutil.rmtree(stage, ignore_errors=True)


def build_bundles(units: int, n: int, out: Path) -> list[Path]:
    from jiaarchive.archive import open_archive
    from jiaarchive.bundles.make import write_bundle
    from jiaarchive.selection import RecordQuery, select_records

    bundles = out / "bundles"
    bundles.mkdir(parents=True, exist_ok=True)
    texts = [sb.read_text(p) for p in sorted(sb.CORPUS.iterdir())]
    paths = []
    t0 = time.perf_counter()
    for i in range(units):
        path = bundles / f"unit-{i:03d}.zip"
        paths.append(path)
        if path.exists():
            continue
        root = out / "archives" / f"u{i:03d}"
        build_unit(i, n, root, texts)
        with open_archive(root) as arch:
            write_bundle(arch, select_records(arch, RecordQuery()), path, described="全部档案")
        shutil.rmtree(root, ignore_errors=True)
        if (i + 1) % 10 == 0:
            print(f"  built {i + 1} bundles ({time.perf_counter() - t0:.0f} s, {loadavg()})", flush=True)
    return paths


def fresh(cmd: list[str], env: dict) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--units", type=int, default=100)
    ap.add_argument("--records", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    out = REPO / "bench" / "out" / f"review-{args.units}x{args.records}"
    print(f"machine: {platform.platform()}, python {platform.python_version()}, {os.cpu_count()} cores, {loadavg()}")
    try:
        import psycopg

        with psycopg.connect(args.db.replace("postgresql+psycopg", "postgresql")) as c:
            print("postgresql:", c.execute("select version()").fetchone()[0].split(",")[0])
    except Exception as exc:  # noqa: BLE001
        print("postgresql: ?", exc)
    t0 = time.perf_counter()
    paths = build_bundles(args.units, args.records, out)
    print(f"bundles: {len(paths)} ({sum(p.stat().st_size for p in paths) / 1e6:.0f} MB) ready in {time.perf_counter() - t0:.0f} s")

    from jiaarchive.review.models import ReviewBase
    from jiaarchive.review.workspace import UNIT_DB, import_bundles, init_workspace

    ws_dir = out / "workspace"
    shutil.rmtree(ws_dir, ignore_errors=True)
    ws = init_workspace(ws_dir, args.db)
    ReviewBase.metadata.drop_all(ws.engine)
    ws.close()
    shutil.rmtree(ws_dir)
    ws = init_workspace(ws_dir, args.db)
    print(f"import ({loadavg()}) ...", flush=True)
    t = time.perf_counter()
    results = import_bundles(ws, paths)
    dt = time.perf_counter() - t
    records = sum(r.records for r in results)
    bad = [r for r in results if r.error]
    print(f"import: {len(results)} bundles, {records} records in {dt:.1f} s = {records / dt:.0f} records/s, "
          f"{len(results) / dt:.2f} bundles/s; failed {len(bad)} ({loadavg()})")
    for r in bad[:3]:
        print("   ", r.bundle, r.error)

    env = dict(os.environ, JIAARCHIVE_REVIEW_DB=args.db)
    cli = [sys.executable, "-m", "jiaarchive"]
    st = [fresh(cli + ["review", "--dir", str(ws_dir), "status", "--json"], env) for _ in range(args.rounds)]
    print(f"review status (fresh process, {args.units} units): median {statistics.median(st):.2f} s, "
          f"runs {', '.join(f'{x:.2f}' for x in st)}")

    from jiaarchive import indexing
    from jiaarchive.review.search import search
    from jiaarchive.review.models import ReviewUnit
    from sqlalchemy import select

    with ws.session() as s:
        folder = s.scalar(select(ReviewUnit.folder).order_by(ReviewUnit.unit).limit(1))
    unit_root = ws_dir / "units" / folder
    with ws.open_unit(folder, read_only=False) as arch:
        indexing.rebuild(arch)
    with ws.open_unit(folder) as arch:
        idx = indexing.open_index(arch)
        for q in QUERIES:  # warm both
            search(ws, q)
            idx.search(q)
        cross, own, totals = [], [], []
        for _ in range(args.rounds):
            for q in QUERIES:
                t = time.perf_counter()
                r = search(ws, q, limit=20)
                cross.append(time.perf_counter() - t)
                t = time.perf_counter()
                o = idx.search(q, limit=20)
                own.append(time.perf_counter() - t)
                totals.append((q, r.total, r.units, o.total))
    print(f"search, {len(QUERIES)} queries x {args.rounds} rounds, total + top 20 + snippets:")
    print(f"  cross-unit ({records} records, PostgreSQL GIN): p50 {pct(cross, 50) * 1000:.1f} ms  p95 {pct(cross, 95) * 1000:.1f} ms")
    print(f"  one unit's own (Whoosh, {args.records} records): p50 {pct(own, 50) * 1000:.1f} ms  p95 {pct(own, 95) * 1000:.1f} ms")
    for q, tot, nu, ot in totals[:len(QUERIES)]:
        print(f"    {q:<24} all units {tot:>6} in {nu:>3} units | one unit {ot:>4}")
    fc = [fresh(cli + ["review", "--dir", str(ws_dir), "search", q, "--json"], env) for q in QUERIES[:5]]
    fo = [fresh(cli + ["--archive", str(unit_root), "--db", UNIT_DB, "search", q, "--json"], env) for q in QUERIES[:5]]
    print(f"first answer, fresh process (real CLI), 5 queries: cross-unit median {statistics.median(fc):.2f} s "
          f"(max {max(fc):.2f}); one unit's own median {statistics.median(fo):.2f} s (max {max(fo):.2f})")
    print(f"done ({loadavg()})")
    ws.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
