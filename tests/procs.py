"""Running `jiaarchive` as real processes, as a clerk's two windows or an inspector's machine do."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

EXE = [sys.executable, "-m", "jiaarchive"]

# Loaded by every test process (Python imports ``sitecustomize`` at start-up): with
# JIA_TEST_PAUSE="file.after_copy=0.5,..." the named steps of ``storage.fault`` sleep (or, given a
# path instead of seconds, wait until the test creates that file), widening a
# race window so that what happens by chance in real use happens every time in a test.  It works
# on the code before this branch too, so the tests show the old failures.
_SITE = """
import os
if os.environ.get("JIA_TEST_PAUSE"):
    import time
    import jiaarchive.storage as _st
    _pauses = {k: v for k, _, v in (x.partition("=") for x in os.environ["JIA_TEST_PAUSE"].split(","))}

    def _hold(point):
        how = _pauses.get(point)
        if how is None:
            return
        try:
            time.sleep(float(how))
        except ValueError:  # a path: hold until the test creates it (at most two minutes)
            end = time.monotonic() + 120
            while not os.path.exists(how) and time.monotonic() < end:
                time.sleep(0.02)

    _st.fault_hook = _hold
"""
_site_dir: Path | None = None


def env(pause: str = "", **extra: str) -> dict[str, str]:
    """The environment of a test process: no archive or database from this machine, a fixed clerk;
    ``pause`` as JIA_TEST_PAUSE above."""
    global _site_dir
    out = {k: v for k, v in os.environ.items() if k not in ("JIAARCHIVE", "JIAARCHIVE_DB", "JIA_TEST_PAUSE")}
    out["JIAARCHIVE_USER"] = "测试员"
    if pause:
        if _site_dir is None:
            _site_dir = Path(tempfile.mkdtemp(prefix="jia-site-"))
            (_site_dir / "sitecustomize.py").write_text(_SITE, encoding="utf-8")
            atexit.register(shutil.rmtree, _site_dir, True)
        out["PYTHONPATH"] = os.pathsep.join(x for x in (str(_site_dir), out.get("PYTHONPATH", "")) if x)
        out["JIA_TEST_PAUSE"] = pause
    out.update(extra)
    return out


def start(root: Path, *args: str, pause: str = "", **extra: str) -> subprocess.Popen:
    return subprocess.Popen([*EXE, "--archive", str(root), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env(pause, **extra))


def finish(p: subprocess.Popen, timeout: float = 120) -> tuple[int, str, str]:
    out, err = p.communicate(timeout=timeout)
    return p.returncode, out, err


def cli(root: Path, *args: str, timeout: float = 120, **extra: str) -> tuple[int, str, str]:
    return finish(start(root, *args, **extra), timeout)


def here(root: Path, *args: str) -> tuple[int, str, str]:
    """The same command in this process (Click's runner): no start-up cost, for the many checks."""
    from click.testing import CliRunner

    from jiaarchive.cli import main

    res = CliRunner().invoke(main, ["--archive", str(root), *args])
    return res.exit_code, res.stdout, res.stderr


def assert_clean(root: Path, run=cli) -> None:  # noqa: ANN001
    """`verify` and `index check` (by default in fresh processes) say all is well, with no internal error."""
    rc, out, err = run(root, "verify")
    assert rc == 0 and "全部完好" in out, out + err
    rc, out, err = run(root, "index", "check")
    assert rc == 0, out + err
    assert "内部错误" not in out + err


def listing(root: Path) -> dict:
    """Everything a clerk can see of the records: `ls --json` (with the trash) and `show --json` of each."""
    out = {}
    for flag in ((), ("--trash",)):
        rc, text, err = here(root, "ls", "--json", *flag)
        assert rc == 0, err
        out["ls" + "".join(flag)] = json.loads(text)
    shows = {}
    for rec in out["ls"] + out["ls--trash"]:
        rc, text, err = here(root, "show", rec["archive_no"], "--json")
        assert rc == 0, err
        shows[rec["archive_no"]] = json.loads(text)
    out["show"] = shows
    return out
