"""Several clerks at once: concurrent `jiaarchive add` processes on one archive, SQLite and PostgreSQL.

    .venv/bin/python bench/shared_db_bench.py [PROCESSES] [FILES_EACH] [--db URL]

Without --db a throw-away PostgreSQL cluster is started as the tests do (tests/pg.py; the Debian
``postgresql`` package, installed by ``setup.sh --test``).  For each backend: PROCESSES fresh
`jiaarchive add` processes started at once, each filing FILES_EACH distinct documents into one
catalogue entry and year (one 件号 counter for all), then PROCESSES processes adding one and the
same file.  Prints wall time, records/s and the checks a clerk cares about: every 件号 from 1 to
the total exactly once (none lost, none twice), one record for the shared file, `verify` and
`index check` clean; then the time of one `add` in a fresh process, and the machine.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers import make_text  # noqa: E402
from tests.pg import NoServer, throwaway_server  # noqa: E402

EXE = [sys.executable, "-m", "jiaarchive"]


def env(home: Path) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if k not in ("JIAARCHIVE", "JIAARCHIVE_DB")}
    out.update(JIAARCHIVE_USER="基准测试", JIAARCHIVE_CONFIG_DIR=str(home / "config"), HOME=str(home),
               JIAARCHIVE_BACKGROUND_OCR="0")
    return out


def run(root: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*EXE, "--archive", str(root), *args], capture_output=True, text=True, env=env(home), timeout=600)


def scenario(name: str, db: str, tmp: Path, processes: int, each: int) -> None:
    home = tmp / f"home-{name}"
    home.mkdir()
    root = tmp / f"档案-{name}"
    init = subprocess.run([*EXE, "init", str(root), "--unit", "基准测试工会", "--type", "事业单位", *(["--db", db] if db else [])],
                          capture_output=True, text=True, env=env(home), timeout=600)
    assert init.returncode == 0, init.stderr
    batches = [[make_text(tmp / f"in-{name}" / f"p{p}" / f"2024-03-{f % 28 + 1:02d} 会议纪要{p}-{f}.txt",
                          f"第{p}台电脑第{f}份会议纪要 {uuid.uuid4().hex}") for f in range(each)] for p in range(processes)]
    t0 = time.perf_counter()
    procs = [subprocess.Popen([*EXE, "--archive", str(root), "add", *map(str, b), "--code", "B-1", "--year", "2024", "--batch"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env(home)) for b in batches]
    results = [(p.wait(timeout=900), p.stderr.read()) for p in procs]
    wall = time.perf_counter() - t0
    failed = [e for rc, e in results if rc != 0]
    ls = json.loads(run(root, home, "ls", "--json").stdout)
    seqs = sorted(int(r["archive_no"].rsplit("-", 1)[1]) for r in ls)
    total = processes * each
    print(f"[{name}] {processes} 个进程同时 add，各 {each} 个文件（同一目录同一年度）：{wall:.1f} 秒，"
          f"{total / wall:.1f} 件/秒；失败进程 {len(failed)}")
    print(f"[{name}]   件号：{len(seqs)} 件，{'1…' + str(total) + ' 各一次，无遗漏无重复' if seqs == list(range(1, total + 1)) else '不连续或重复！' + str(seqs)}")
    same = make_text(tmp / f"same-{name}.txt", f"同一份通知 {uuid.uuid4().hex}")
    procs = [subprocess.Popen([*EXE, "--archive", str(root), "add", str(same), "--code", "C-1", "--date", "2024-05-01", "--batch"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env(home)) for _ in range(processes)]
    outcomes = [(p.wait(timeout=900), p.stderr.read()) for p in procs]
    won = sum(1 for rc, _ in outcomes if rc == 0)
    dup = sum(1 for rc, e in outcomes if rc != 0 and "已经归档过" in e)
    print(f"[{name}]   {processes} 个进程同时 add 同一文件：归档 {won} 件，{dup} 个被拒为重复，"
          f"其他错误 {processes - won - dup}")
    v = run(root, home, "verify")
    ic = run(root, home, "index", "check")
    print(f"[{name}]   verify：{'全部完好' if v.returncode == 0 else v.stdout + v.stderr}；"
          f"index check：{'正常' if ic.returncode == 0 else ic.stdout + ic.stderr}")
    times = []
    for i in range(5):
        src = make_text(tmp / f"one-{name}" / f"单件{i}.txt", f"单独一件 {uuid.uuid4().hex}")
        t = time.perf_counter()
        r = run(root, home, "add", str(src), "--code", "A-1", "--date", "2024-06-01", "--batch")
        times.append(time.perf_counter() - t)
        assert r.returncode == 0, r.stderr
    print(f"[{name}]   一次 add（新进程，含启动）：中位数 {statistics.median(times):.2f} 秒")


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--db")]
    db = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--db=")), "")
    if "--db" in sys.argv:
        db = sys.argv[sys.argv.index("--db") + 1]
        args = [a for a in args if a != db]
    processes = int(args[0]) if args else 8
    each = int(args[1]) if len(args) > 1 else 5
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"机器：{platform.platform()}，Python {platform.python_version()}，CPU {os.cpu_count()} 核，负载 {load:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        scenario("SQLite", "", tmp, processes, each)
        if db:
            scenario("PostgreSQL", db, tmp, processes, each)
            return
        try:
            with throwaway_server() as server:
                server.admin('CREATE DATABASE "bench"')
                scenario("PostgreSQL", server.url("bench"), tmp, processes, each)
        except NoServer as exc:
            print(f"[PostgreSQL] 跳过：{exc}")


if __name__ == "__main__":
    main()
