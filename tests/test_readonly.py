"""Read-only media: an inspector reads an archive from a write-protected stick or a CD.

A real read-only bind mount where the machine allows it (root in a sandbox); otherwise, as a
user without root, folders made read-only with chmod; otherwise skipped.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from jiaarchive import filing
from jiaarchive.archive import init_archive, open_archive

from .helpers import make_jpeg, make_text, wait_workers
from .procs import cli, here

READING = [
    ("ls",), ("ls", "--json"), ("show", "A-1·2021-D30-0001"), ("verify",), ("search", "劳动竞赛"), ("index", "check"),
    ("index", "status"), ("report",), ("catalogue",), ("photos", "check"), ("photos", "problems"), ("log",),
    ("profile", "show"),
]


def _fill(root: Path, tmp_path: Path) -> None:
    with init_archive(root, unit="只读测试工会", unit_type="事业单位") as a:
        filing.file_document(a, [make_text(tmp_path / "1.txt", "劳动竞赛方案")], filing.Draft(code="A-1", title="劳动竞赛方案", date=date(2021, 3, 1)))
        filing.file_document(a, [make_jpeg(tmp_path / "p.jpg", taken=datetime(2021, 5, 1, 9, 0))], filing.Draft(code="D-5", title="运动会"))


def _protect(src: Path, where: Path):
    """``src`` made unwritable at ``where``; returns how to undo it (None: not possible here)."""
    where.mkdir()
    if subprocess.run(["mount", "--bind", str(src), str(where)], capture_output=True).returncode == 0:
        if subprocess.run(["mount", "-o", "remount,ro,bind", str(where)], capture_output=True).returncode == 0:
            return lambda: subprocess.run(["umount", str(where)], check=True)
        subprocess.run(["umount", str(where)], check=True)
    where.rmdir()
    if os.geteuid() == 0:
        return None  # root writes through chmod: no way to protect the folder here
    where.symlink_to(src)
    subprocess.run(["chmod", "-R", "a-w", str(src)], check=True)
    return lambda: subprocess.run(["chmod", "-R", "u+w", str(src)], check=True)


@pytest.fixture
def ro_root(tmp_path: Path):
    src = tmp_path / "档案"
    _fill(src, tmp_path)
    where = tmp_path / "只读"
    undo = _protect(src, where)
    if undo is None:
        pytest.skip("这台机器上无法做只读挂载，root 用户也不受 chmod 限制")
    try:
        yield where
    finally:
        undo()


def test_every_reading_command_works_on_read_only_media(ro_root: Path) -> None:
    before = sorted(p.relative_to(ro_root) for p in ro_root.rglob("*"))
    for i, cmd in enumerate(READING):
        rc, out, err = (cli if i % 4 == 0 else here)(ro_root, *cmd)  # some as real processes, the rest in this one
        assert rc == 0, (cmd, out, err)
        assert "内部错误" not in out + err and "OperationalError" not in out + err
        assert err.count("已以只读方式打开") == 1, (cmd, err)  # said once, with what it means
    rc, out, err = cli(ro_root, "add", str(ro_root / "jiaarchive.toml"), "--code", "A-1")
    assert rc == 1 and "不能写入" in err and "内部错误" not in err
    rc, out, err = here(ro_root, "edit", "A-1·2021-D30-0001", "--title", "改不了")
    assert rc == 1 and "不能写入" in err
    assert sorted(p.relative_to(ro_root) for p in ro_root.rglob("*")) == before  # not a byte written


def test_missing_index_and_old_schema_on_read_only_media(tmp_path: Path) -> None:
    """A stick made by an older version, without its index: search builds one in a temporary
    folder, the schema is upgraded in a temporary copy."""
    from alembic import command
    from alembic.config import Config

    from jiaarchive.db import session as db_session

    src = tmp_path / "旧档案"
    _fill(src, tmp_path)
    import shutil

    shutil.rmtree(src / ".jiaarchive" / "index")
    engine = db_session.make_engine(f"sqlite:///{src / '.jiaarchive' / 'archive.db'}")
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(db_session.__file__).parent / "migrations"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
    engine.dispose()
    # and a change its writer never finished: it cannot be finished here, and verify says so
    journal = src / ".jiaarchive" / "journal"
    journal.mkdir(parents=True, exist_ok=True)
    (journal / "0abc1234.json").write_text(json.dumps({"format": 2, "change": "0abc1234", "moves": []}), encoding="utf-8")
    (journal / "0abc1234.lock").write_bytes(b"")
    undo = _protect(src, tmp_path / "只读")
    if undo is None:
        pytest.skip("这台机器上无法做只读挂载")
    try:
        rc, out, err = cli(tmp_path / "只读", "search", "劳动竞赛")
        assert rc == 0 and "A-1·2021-D30-0001" in out, err
        assert "临时副本上升级" in err and "临时文件夹中建立" in err
        rc, out, err = here(tmp_path / "只读", "verify")
        assert rc == 1 and "0abc1234.json" in out and "未能恢复" in out, out + err
    finally:
        undo()


def test_inspector_tui_on_read_only_media(ro_root: Path) -> None:
    from jiaarchive.tui import make_app
    from jiaarchive.tui.widgets import RecordTable

    async def run() -> None:
        with open_archive(ro_root, read_only=True) as arch:
            assert arch.media_read_only and arch.read_only
            app = make_app(arch)
            async with app.run_test(size=(100, 30)) as pilot:
                await pilot.pause()
                await wait_workers(app)
                await pilot.pause()
                assert "只读介质" in app.sub_title
                assert any("已以只读方式打开" in n.message for n in app._notifications)
                table = app.screen.query_one(RecordTable)
                assert table.row_count == 2
                await pilot.press("a")  # filing is not offered
                await pilot.pause()
                assert app.screen.query_one(RecordTable)

    asyncio.run(run())
