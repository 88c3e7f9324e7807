"""Time to file documents through the real filing path (copy, fsync, transaction, audit, index).

    .venv/bin/python bench/filing_bench.py [N]

Prints documents filed per second for N generated Word files and N small photos, the time of
`verify` over them, and the machine.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers import make_docx, make_jpeg  # noqa: E402

from jiaarchive import filing, fixity  # noqa: E402
from jiaarchive.archive import init_archive  # noqa: E402


def main(n: int) -> None:
    print(f"机器：{platform.platform()}，Python {platform.python_version()}，CPU {os.cpu_count()} 核")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        docs = [make_docx(tmp / "in" / f"2021-03-{i % 28 + 1:02d} 会议纪要{i}.docx", f"第{i}次会议纪要\n议题：工会工作{i}") for i in range(n)]
        photos = [make_jpeg(tmp / "ph" / f"IMG_{i:04d}.jpg", taken=datetime(2020, 5, i % 28 + 1, 9, 0), color=(i % 255, 90, 120)) for i in range(n)]
        arch = init_archive(tmp / "档案", unit="基准测试工会", unit_type="事业单位")
        with arch:
            t0 = time.perf_counter()
            for p in docs:
                filing.file_document(arch, [p], filing.Draft(code="F-6"))
            t1 = time.perf_counter()
            for p in photos:
                filing.file_document(arch, [p], filing.Draft(code="D-5"))
            t2 = time.perf_counter()
            res = fixity.verify(arch)
            t3 = time.perf_counter()
            assert res.ok
            print(f"归档 {n} 个 Word 文件：{t1 - t0:.2f} 秒（{n / (t1 - t0):.1f} 件/秒）")
            print(f"归档 {n} 张照片：{t2 - t1:.2f} 秒（{n / (t2 - t1):.1f} 件/秒）")
            print(f"verify {2 * n} 个文件：{t3 - t2:.2f} 秒")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
