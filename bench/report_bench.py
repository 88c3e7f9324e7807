"""Time the coverage report on an archive of 20,000 records, and the TUI dashboard's first paint.

    .venv/bin/python bench/report_bench.py [--records 20000] [--sample sample_archive] [--no-index]

The big archive is made by inserting rows directly (records, files, item links) into a fresh
archive's database: the filing path is measured by filing_bench.py, this measures the report.
Items' key terms are matched by titles while the archive has no search index, then (unless
--no-index) through the index after ``indexing.rebuild`` (not timed here: search_bench.py does).
Targets: JSON report < 1 s, HTML < 3 s (2-core machine); dashboard open < 0.5 s on the sample.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

from jiaarchive import archive as archive_mod  # noqa: E402
from jiaarchive.db.models import File, Record, RecordItem  # noqa: E402

TITLES = ["会员代表大会纪要", "教代会决议", "送温暖活动", "安康杯竞赛", "职工运动会照片", "工会委员会会议纪要",
          "会员评家测评汇总", "经费决算", "劳动竞赛方案", "合理化建议汇总", "培训通知", "必谈必访记录"]


def build(root: Path, n: int) -> archive_mod.Archive:
    archive_mod.clock = lambda: datetime(2021, 8, 30, 9, 0)
    arch = archive_mod.init_archive(root, unit="压力测试工会", unit_type="事业单位")
    codes = [e.code for e in arch.entries()]
    rnd = random.Random(7)
    seqs: dict[tuple[str, int], int] = {}
    recs, files, links = [], [], []
    now = datetime(2021, 8, 30)
    for i in range(1, n + 1):
        code = rnd.choice(codes)
        year = rnd.choice((2017, 2018, 2019, 2020, 2021))
        seq = seqs[(code, year)] = seqs.get((code, year), 0) + 1
        no = f"{code}·{year}-D30-{seq:04d}"
        d = date(year, 1, 1) + timedelta(days=rnd.randrange(0, 360))
        title = f"{year}年{rnd.choice(TITLES)}{i}"
        recs.append(dict(id=i, archive_no=no, code=code, year=year, seq=seq, retention="定期30年", title=title,
                         doc_no="", responsible="", doc_date=d, date_source="manual", filed_at=now, updated_at=now,
                         pages=None, secrecy="", remarks="", status="active", trashed_at=None))
        photo = "照片" in title
        files.append(dict(id=i, record_id=i, position=0, path=f"x/{no}.{'jpg' if photo else 'docx'}", home_path="",
                          original_name="a", original_path="a", sha256=f"{i:064d}", size=1000,
                          kind="jpeg" if photo else "docx", mime="", filed_at=now, status="active"))
        if rnd.random() < 0.05:
            links.append(dict(record_id=i, sheet_id="xianjin-shiye", item_no=rnd.randint(1, 21)))
    with arch.session() as s, s.begin():
        s.execute(insert(Record), recs)
        s.execute(insert(File), files)
        s.execute(insert(RecordItem), links)
    return arch


def timed(label: str, fn, repeat: int = 3) -> float:  # noqa: ANN001
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    print(f"  {label:<38} {best * 1000:8.1f} ms (best of {repeat})")
    return best


def dashboard_open(root: Path) -> float:
    from textual.app import App

    from jiaarchive.tui.dashboard import DashboardScreen

    with archive_mod.open_archive(root) as arch:
        class Host(App[None]):
            def on_mount(self) -> None:
                self.push_screen(DashboardScreen(arch))

        async def run() -> float:
            app = Host()
            async with app.run_test(size=(140, 40)) as pilot:
                t = time.perf_counter()
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
                assert app.screen.report is not None
                return time.perf_counter() - t

        # first paint of the screen with its numbers (the app start itself is not counted)
        return asyncio.run(run())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=20000)
    ap.add_argument("--sample", default=str(Path(__file__).resolve().parents[1] / "sample_archive"))
    ap.add_argument("--no-index", action="store_true", help="skip the timings with a search index")
    args = ap.parse_args()
    print(f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    from jiaarchive.coverage.assess import assess
    from jiaarchive.reports.coverage_html import render
    from jiaarchive.reports.coverage_xlsx import write_xlsx

    tmp = Path(tempfile.mkdtemp(prefix="jia-report-bench-"))
    try:
        t = time.perf_counter()
        arch = build(tmp / "big", args.records)
        print(f"built {args.records} records in {time.perf_counter() - t:.1f} s")
        as_of = date(2021, 8, 30)
        from jiaarchive import indexing

        # the rows were inserted behind the index's back: drop the empty index a new archive has
        indexing.close(arch)
        shutil.rmtree(indexing.index_dir(arch), ignore_errors=True)
        with arch:
            for mode in ("titles", "index"):
                if mode == "index":
                    if args.no_index:
                        break
                    t = time.perf_counter()
                    indexing.rebuild(arch)
                    print(f"index rebuilt in {time.perf_counter() - t:.1f} s")
                print(f"key terms matched by {assess(arch, as_of, check_materials=False).match_mode}:")
                timed("assess (no materials text)", lambda: assess(arch, as_of, check_materials=False))
                timed("assess + JSON", lambda: json.dumps(assess(arch, as_of).to_json(), ensure_ascii=False))
                timed("assess + HTML", lambda: render(assess(arch, as_of)))
                timed("assess + XLSX", lambda: write_xlsx(assess(arch, as_of), tmp / "r.xlsx"), repeat=1)
                size = len(json.dumps(assess(arch, as_of).to_json(), ensure_ascii=False))
                print(f"  JSON size {size / 1e6:.1f} MB")
        sample = Path(args.sample)
        if (sample / "jiaarchive.toml").is_file():
            copy = tmp / "sample"
            shutil.copytree(sample, copy)
            print(f"dashboard open on {sample.name}: {dashboard_open(copy) * 1000:.0f} ms")
        else:
            print(f"no sample archive at {sample}; dashboard not timed")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
