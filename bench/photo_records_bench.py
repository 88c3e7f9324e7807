"""Photo operations on an archive: filing-time check, labelling (metadata rewrite + version kept),
archive-wide check, A4 sheet. Prints figures and the machine.

    python bench/photo_records_bench.py [N_PHOTOS]
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

from PIL import Image


def make_photo(path: Path, seed: int, size=(4000, 3000)) -> Path:
    base = Image.frombytes("L", (40, 30), bytes((i * 97 + seed * 31) % 251 for i in range(1200)))
    im = Image.merge("RGB", [base, base.transpose(Image.Transpose.FLIP_LEFT_RIGHT), base]).resize(size, Image.Resampling.BILINEAR)
    im.save(path, quality=90)
    return path


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    from jiaarchive import filing
    from jiaarchive.archive import init_archive
    from jiaarchive.photos import records
    from jiaarchive.photos.label import PhotoLabel

    print(f"{platform.platform()}  python {platform.python_version()}  cpus={os.cpu_count()}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        srcs = [make_photo(tmp / f"IMG_{i:04d}.jpg", i) for i in range(n)]
        print(f"{n} photos of 4000×3000 (12 MP), {srcs[0].stat().st_size / 1e6:.1f} MB each")
        a = init_archive(tmp / "arch", unit="bench", unit_type="事业单位")
        t = time.perf_counter()
        ids = []
        for s in srcs:
            reps = records.check_incoming(a, [s])
            v = filing.file_document(a, [s], filing.Draft(code="D-5", title="活动", date=date(2021, 5, 1)))
            records.note_filed(a, [v], reps)
            ids.append(v.files[0].id)
        print(f"add with check:        {(time.perf_counter() - t) / n * 1000:7.1f} ms/photo")
        t = time.perf_counter()
        for i, fid in enumerate(ids):
            records.label_photo(a, fid, PhotoLabel(datetime(2021, 5, 1, 9, i % 60), f"活动照片{i}"))
        print(f"label (rename+version): {(time.perf_counter() - t) / n * 1000:7.1f} ms/photo")
        for workers in (1, os.cpu_count() or 1):
            t = time.perf_counter()
            records.check_archive_photos(a, workers=workers)
            print(f"archive check, {workers} proc: {(time.perf_counter() - t) / n * 1000:7.1f} ms/photo")
        try:
            t = time.perf_counter()
            pages = records.sheet_for_entry(a, "D-5", 2021, tmp / "s.pdf")
            print(f"A4 sheet: {pages} pages in {time.perf_counter() - t:.1f} s")
        except Exception as exc:  # no CJK font on this machine
            print(f"A4 sheet skipped: {exc}")
        a.close()


if __name__ == "__main__":
    main()
