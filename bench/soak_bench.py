"""Soak: N processes x M operations on one archive, with random SIGKILLs; then verify, index check, repair.

    .venv/bin/python bench/soak_bench.py [--procs N] [--ops M] [--rounds R] [--kill-every S] [--seed X]

Each round (a trial) makes a fresh archive.  N worker processes each do M operations through the
core, as the CLI and the TUI do (file a new document, edit a field, move a record to the trash or
back), and after each one append what they finished to a ledger of their own (fsynced).  Every
``--kill-every`` seconds on average the supervisor kills a random worker with SIGKILL, in the
middle of whatever it was doing, and starts another in its place for the operations left.

After the workers end, fresh ``jiaarchive verify`` and ``jiaarchive index check`` processes must
both be clean, and every operation a ledger says finished must be in the archive: a filed
document's content in some record, an edit's value in the audit history.  A round *survived*
when both hold; *lost* counts finished operations not found.  Then the database is deleted and
``jiaarchive repair`` must give back the same ``ls --json`` (with the trash).

Prints the trials, kills, finished operations, survived, lost, repairs that agreed, and the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CODES = ("A-1", "A-2", "B-1", "C-4", "F-6")
FIELDS = ("title", "remarks", "doc_no", "code")
WARM_UP = 2.0  # seconds a worker needs to import and open the archive on a busy 2-core machine


# ---------------------------------------------------------------- a worker (a child process)


def worker(root: Path, ledger: Path, ops: int, seed: int) -> None:
    from jiaarchive import filing
    from jiaarchive.archive import open_archive
    from jiaarchive.errors import JiaError

    rng = random.Random(seed)
    src_dir = ledger.with_suffix(".in")
    src_dir.mkdir(exist_ok=True)
    with open_archive(root) as arch, open(ledger, "a", encoding="utf-8") as log:
        for i in range(ops):
            roll = rng.random()
            try:
                records = filing.list_records(arch, status=None)
                if roll < 0.5 or not records:
                    src = src_dir / f"{seed}-{i}.txt"
                    src.write_text(f"第{seed}号进程第{i}份文件 {rng.random()}", encoding="utf-8")
                    v = filing.file_document(arch, [src], filing.Draft(code=rng.choice(CODES), title=f"文件{seed}-{i}",
                                                                       date=date(rng.choice((2020, 2021)), rng.randint(1, 12), rng.randint(1, 28))))
                    done = {"op": "file", "sha": v.files[0].sha256, "archive_no": v.archive_no}
                elif roll < 0.9:
                    rec = rng.choice([r for r in records if not r.trashed] or records)
                    field = rng.choice(FIELDS)
                    value = rng.choice(CODES) if field == "code" else f"{field}{seed}-{i}"
                    filing.edit_record(arch, rec.id, **{field: value})
                    done = {"op": "edit", "id": rec.id, "field": field, "value": value}
                else:
                    rec = rng.choice(records)
                    (filing.restore_record if rec.trashed else filing.trash_record)(arch, rec.id)
                    done = {"op": "restore" if rec.trashed else "trash", "id": rec.id}
            except JiaError as exc:  # e.g. the record went to the trash in another process meanwhile
                done = {"op": "refused", "why": str(exc)[:80]}
            log.write(json.dumps(done, ensure_ascii=False) + "\n")
            log.flush()
            os.fsync(log.fileno())


# ---------------------------------------------------------------- the supervisor


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jiaarchive", "--archive", str(root), *args],
                          capture_output=True, text=True, timeout=600)


def _finished(ledger: Path) -> list[dict]:
    if not ledger.exists():
        return []
    out = []
    for line in ledger.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            pass  # a line cut by the kill
    return out


def _spawn(root: Path, ledger: Path, ops: int, seed: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, __file__, "--worker", str(root), str(ledger), str(ops), str(seed)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _lost(root: Path, done: list[dict]) -> list[dict]:
    from sqlalchemy import select

    from jiaarchive import audit
    from jiaarchive.archive import open_archive
    from jiaarchive.db.models import File

    with open_archive(root, read_only=True) as arch, arch.session() as s:
        shas = set(s.scalars(select(File.sha256)))
        history = audit.read(s, limit=None)
    edits = {(h.archive_no, k, str(v)) for h in history if h.after for k, v in h.after.items()}
    by_id: dict[int, set[str]] = {}
    with open_archive(root, read_only=True) as arch:
        from jiaarchive import filing

        for r in filing.list_records(arch, status=None):
            by_id[r.id] = {r.archive_no, *r.former_archive_nos}
    lost = []
    for d in done:
        if d["op"] == "file" and d["sha"] not in shas:
            lost.append(d)
        elif d["op"] == "edit" and not any((n, d["field"], d["value"]) in edits for n in by_id.get(d["id"], ())):
            lost.append(d)
    return lost


def _listing(root: Path) -> list:
    return [json.loads(_cli(root, "ls", "--json", *flag).stdout) for flag in ((), ("--trash",))]


def one_round(base: Path, n: int, m: int, kill_every: float, rng: random.Random) -> dict:
    from jiaarchive.archive import init_archive

    root = base / "档案"
    init_archive(root, unit="压力测试工会", unit_type="事业单位").close()
    ledgers = [base / f"w{i}.jsonl" for i in range(n)]
    procs = {i: _spawn(root, ledgers[i], m, rng.randrange(1 << 30)) for i in range(n)}
    born = {i: time.monotonic() for i in procs}
    kills = 0
    next_kill = time.monotonic() + rng.expovariate(1 / kill_every)
    while procs:
        time.sleep(0.05)
        for i, p in list(procs.items()):
            if p.poll() is not None:
                if p.returncode != 0 and p.returncode != -signal.SIGKILL:
                    print(f"  进程 {i} 出错：{p.stderr.read()[-400:]}")
                left = m - len(_finished(ledgers[i]))
                del procs[i]
                if p.returncode == -signal.SIGKILL and left > 0:
                    procs[i] = _spawn(root, ledgers[i], left, rng.randrange(1 << 30))
                    born[i] = time.monotonic()
        # only workers past their start-up (imports, opening): a kill should land in an operation
        warm = [p for i, p in procs.items() if time.monotonic() - born[i] > WARM_UP]
        if warm and time.monotonic() >= next_kill:
            victim = rng.choice(warm)
            if victim.poll() is None:
                victim.send_signal(signal.SIGKILL)
                victim.wait()
                kills += 1
            next_kill = time.monotonic() + rng.expovariate(1 / kill_every)
    done = [d for led in ledgers for d in _finished(led)]
    verify, check = _cli(root, "verify"), _cli(root, "index", "check")
    clean = verify.returncode == 0 and check.returncode == 0
    if not clean:
        print("  verify:", verify.stdout[-600:], verify.stderr[-300:])
        print("  index check:", check.stdout[-300:], check.stderr[-300:])
    lost = _lost(root, done)
    for d in lost[:5]:
        print("  找不到：", d)
    before = _listing(root)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{root}/.jiaarchive/archive.db{suffix}").unlink(missing_ok=True)
    repaired = _cli(root, "repair")
    agreed = repaired.returncode == 0 and _listing(root) == before
    if not agreed:
        print("  repair:", repaired.stdout[-400:], repaired.stderr[-400:])
    return {"kills": kills, "done": done, "clean": clean, "lost": len(lost), "agreed": agreed}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--procs", type=int, default=4)
    ap.add_argument("--ops", type=int, default=12)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--kill-every", type=float, default=1.5, help="mean seconds between kills")
    ap.add_argument("--seed", type=int, default=9)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"机器：{platform.platform()}，Python {platform.python_version()}，CPU {os.cpu_count()} 核，开始时负载 {load:.1f}")
    print(f"每轮 {a.procs} 个进程 × {a.ops} 次操作，平均每 {a.kill_every} 秒强制结束（SIGKILL）一个进程")
    t0 = time.monotonic()
    results = []
    for r in range(a.rounds):
        base = Path(tempfile.mkdtemp(prefix="jiaarchive-soak-"))
        try:
            res = one_round(base, a.procs, a.ops, a.kill_every, rng)
        finally:
            shutil.rmtree(base, ignore_errors=True)
        ops = {}
        for d in res["done"]:
            ops[d["op"]] = ops.get(d["op"], 0) + 1
        print(f"第 {r + 1} 轮：kills {res['kills']}，完成 {ops}，{'完好' if res['clean'] else '有问题'}，lost {res['lost']}，"
              f"repair {'一致' if res['agreed'] else '不一致'}")
        results.append(res)
    print(f"trials {len(results)}  kills {sum(r['kills'] for r in results)}  "
          f"finished {sum(len(r['done']) for r in results)}  "
          f"survived {sum(r['clean'] and not r['lost'] for r in results)}/{len(results)}  "
          f"lost {sum(r['lost'] for r in results)}  repair agreed {sum(r['agreed'] for r in results)}/{len(results)}  "
          f"（{time.monotonic() - t0:.0f} 秒，结束时负载 {os.getloadavg()[0]:.1f}）")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    else:
        main()
