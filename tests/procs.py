"""Running `jiaarchive` as real processes, as a clerk's two windows or an inspector's machine do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

EXE = [sys.executable, "-m", "jiaarchive"]


def env(**extra: str) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if k not in ("JIAARCHIVE", "JIAARCHIVE_DB", "JIAARCHIVE_TEST_PAUSE")}
    out["JIAARCHIVE_USER"] = "测试员"
    out.update(extra)
    return out


def start(root: Path, *args: str, **extra: str) -> subprocess.Popen:
    return subprocess.Popen([*EXE, "--archive", str(root), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env(**extra))


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
