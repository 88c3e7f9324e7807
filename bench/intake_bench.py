"""A clerk's folder filed with one command: `jiaarchive add FOLDER --code F-6` in a fresh process.

    .venv/bin/python bench/intake_bench.py [N]

Generates a folder of N files in sub-folders (Word files, photos, text; about 5 % empty files,
5 % copies of other files, and some Thumbs.db / ~$ lock files), then times the real CLI filing
it (the intake run: walk, check, photo checks, file each, outcome list) and prints the outcome
counts, the wall time, files per second, and the machine.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.helpers import make_docx, make_jpeg, make_text  # noqa: E402


def pile(folder: Path, n: int) -> dict[str, int]:
    made = {"files": 0, "empty": 0, "copies": 0, "junk": 0}
    first: Path | None = None
    for i in range(n):
        sub = folder / f"新建文件夹{i % 7}" / ("2021职代会" if i % 3 == 0 else "")
        sub.mkdir(parents=True, exist_ok=True)
        if i % 20 == 7:
            (sub / f"空白{i}.docx").write_bytes(b"")
            made["empty"] += 1
        elif i % 20 == 13 and first is not None:
            shutil.copyfile(first, sub / f"副本{i}{first.suffix}")
            made["copies"] += 1
        elif i % 3 == 0:
            p = make_docx(sub / f"2021年会议纪要{i}.docx", f"第{i}次会议纪要 关于职代会的决议")
            first = first or p
        elif i % 3 == 1:
            make_jpeg(sub / f"IMG_{i:04d}.jpg", color=(i % 255, 80, 160))
        else:
            make_text(sub / f"通知{i}.txt", f"关于第{i}项工作的通知")
        made["files"] += 1
        if i % 50 == 0:
            make_text(sub / "Thumbs.db", "x")
            make_text(sub / f"~$纪要{i}.docx", "lock")
            made["junk"] += 2
    return made


def main(n: int) -> None:
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    print(f"机器：{platform.platform()}，Python {platform.python_version()}，CPU {os.cpu_count()} 核，负载 {load[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        made = pile(tmp / "U盘", n)
        exe = [sys.executable, "-m", "jiaarchive"]
        subprocess.run([*exe, "init", str(tmp / "档案"), "--unit", "测试工会", "--type", "事业单位"], check=True,
                       capture_output=True)
        t0 = time.perf_counter()
        out = subprocess.run([*exe, "--archive", str(tmp / "档案"), "add", str(tmp / "U盘"), "--code", "F-6", "--batch"],
                             capture_output=True, text=True)
        took = time.perf_counter() - t0
        filed = out.stdout.count("已归档  ")
        print(f"生成：{made}")
        print(f"jiaarchive add 文件夹（新进程）：{took:.1f} 秒，退出状态 {out.returncode}；"
              f"已归档 {filed} 件，{filed / took:.1f} 件/秒")
        print("最后一行：" + (out.stderr.strip().splitlines() or ["（无）"])[-1])


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
