"""Every failure a clerk can meet is one Chinese sentence, in the CLI and in the TUI; --debug keeps the detail.

Also: a writable open catches the index up, and setup.sh waits for another package install.
"""

from __future__ import annotations

import asyncio
import errno
import fcntl
import os
import sqlite3
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.exc import DatabaseError, OperationalError

from jiaarchive import filing, storage
from jiaarchive.archive import init_archive, open_archive
from jiaarchive.errors import ArchiveBusy, DatabaseMissing, DiskFull, NoPermission, ReadOnlyMedia, RecordChanged, explain

from .helpers import crash_while_filing, make_text
from .procs import cli, here

REPO = Path(__file__).resolve().parents[1]


def test_machine_failures_become_sentences(tmp_path: Path) -> None:
    cases = [
        (OSError(errno.ENOSPC, "No space left on device"), DiskFull, "磁盘空间不足"),
        (PermissionError(errno.EACCES, "Permission denied", "/x/y.docx"), NoPermission, "没有权限访问“/x/y.docx”"),
        (OSError(errno.EROFS, "Read-only file system", "/media/u"), ReadOnlyMedia, "只读介质"),
        (DatabaseError("SELECT 1", {}, sqlite3.DatabaseError("database disk image is malformed")), DatabaseMissing, "jiaarchive repair"),
        (DatabaseError("SELECT 1", {}, sqlite3.DatabaseError("file is not a database")), DatabaseMissing, "jiaarchive repair"),
        (OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full")), DiskFull, "磁盘空间不足"),
        (OperationalError("INSERT", {}, sqlite3.OperationalError("attempt to write a readonly database")), ReadOnlyMedia, "不能写入"),
        (OperationalError("BEGIN", {}, sqlite3.OperationalError("database is locked")), ArchiveBusy, "另一个程序"),
    ]
    for exc, kind, needle in cases:
        got = explain(exc, tmp_path)
        assert isinstance(got, kind) and needle in str(got), (exc, got)
        assert "Errno" not in str(got) and "sqlalche.me" not in str(got)
    assert explain(ValueError("x")) is None  # a real bug stays an internal error


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "档案"
    init_archive(r, unit="u", unit_type="事业单位").close()
    return r


def test_full_disk_says_how_much_was_needed(tmp_path: Path) -> None:
    """A real small disk (tmpfs) where the machine allows it."""
    disk = tmp_path / "小U盘"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)], capture_output=True).returncode != 0:
        pytest.skip("这台机器上不能挂载 tmpfs")
    try:
        root = disk / "档案"
        init_archive(root, unit="u", unit_type="事业单位").close()
        big = tmp_path / "大文件.pdf"
        big.write_bytes(os.urandom(4 << 20))
        rc, out, err = cli(root, "add", str(big), "--code", "A-1")
        assert rc == 1 and "磁盘空间不足：需要约 5.0 MB" in err and "只剩" in err and "内部错误" not in err, err
        rc, out, err = cli(root, "--debug", "add", str(big), "--code", "A-1")
        assert "Traceback" in err and "DiskFull" in err  # the technical detail, when asked for
        rc, out, _ = cli(root, "verify")
        assert rc == 0 and "全部完好" in out
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_damaged_database_named_in_cli_with_repair(root: Path) -> None:
    db = root / ".jiaarchive" / "archive.db"
    db.write_bytes(b"this is not a database at all" * 100)
    rc, out, err = cli(root, "ls")
    assert rc == 1 and "已损坏" in err and "jiaarchive repair" in err and "DatabaseError" not in err
    rc, out, err = cli(root, "--debug", "ls")
    assert rc != 0 and "Traceback" in err


def test_writable_open_catches_the_index_up(root: Path, tmp_path: Path, monkeypatch) -> None:
    """The index stayed behind after a crash until someone searched: now any writable open
    (here `edit` of another record, then `verify`) catches it up."""
    with open_archive(root) as a:
        other = filing.file_document(a, [make_text(tmp_path / "o.txt", "其他")], filing.Draft(code="A-1", title="其他", date=date(2021, 1, 1)))

    crash_while_filing(root, make_text(tmp_path / "x.txt", "安全生产月活动总结"),
                       filing.Draft(code="E-2", title="总结", date=date(2021, 6, 30)), monkeypatch, "move.after_one")
    from jiaarchive.search import pending

    assert pending(root / ".jiaarchive" / "index")  # behind
    rc, out, err = here(root, "edit", other.archive_no, "--remarks", "备注")
    assert rc == 0, err
    assert not pending(root / ".jiaarchive" / "index")
    rc, out, err = here(root, "index", "check")
    assert rc == 0, out + err


def test_index_too_far_behind_is_said_with_the_fix(root: Path, monkeypatch) -> None:
    from jiaarchive import archive as archive_mod
    from jiaarchive.search import mark_behind

    mark_behind(root / ".jiaarchive" / "index", range(1, 10))
    monkeypatch.setattr(archive_mod, "INDEX_CATCH_UP_LIMIT", 3)
    with open_archive(root) as a:
        assert any("jiaarchive index rebuild" in n for n in a.notices)


def _settle(pilot):  # noqa: ANN001, ANN202
    from .test_tui import settle

    return settle(pilot)


def test_tui_shows_the_sentence_for_a_full_disk_and_a_conflicting_edit(tmp_path: Path, monkeypatch, fixed_clock) -> None:
    from textual.widgets import Input

    from jiaarchive.tui import make_app
    from jiaarchive.tui.dialogs import ErrorModal
    from jiaarchive.tui.forms import RecordForm
    from jiaarchive.tui.widgets import Selection

    from .test_tui import go_to, open_file_form

    root = tmp_path / "档案"
    with init_archive(root, unit="u", unit_type="事业单位") as a:
        v = filing.file_document(a, [make_text(tmp_path / "d.txt", "决议")], filing.Draft(code="B-1", title="原题名", date=date(2023, 1, 10)))
    arch = open_archive(root)
    src = make_text(tmp_path / "收件" / "2023年6月1日 签到表.txt", "签到")

    def full(point: str) -> None:
        if point == "copy.before_fsync":
            raise OSError(errno.ENOSPC, "No space left on device")

    async def run() -> None:
        app = make_app(arch)
        async with app.run_test(size=(80, 24)) as pilot:
            form = await open_file_form(pilot, "E-1")
            form.query_one("#path", Input).value = str(src)
            await _settle(pilot)
            monkeypatch.setattr(storage, "fault_hook", full)
            await pilot.press("ctrl+s")
            await _settle(pilot)
            assert isinstance(app.screen, ErrorModal) and "磁盘空间不足" in app.screen.message
            monkeypatch.setattr(storage, "fault_hook", None)
            await pilot.press("enter")
            await _settle(pilot)
            await pilot.press("escape")
            await _settle(pilot)
            # an edit form opened, then someone else changes the same field in another window
            await go_to(pilot, Selection(code="B-1", kind="entry"))
            await pilot.press("e")
            await _settle(pilot)
            form = app.screen
            assert isinstance(form, RecordForm)
            rc, _out, err = cli(root, "edit", v.archive_no, "--title", "另一窗口的题名")
            assert rc == 0, err
            form.query_one("#title", Input).value = "本窗口的题名"
            await pilot.press("ctrl+s")
            await _settle(pilot)
            assert isinstance(app.screen, ErrorModal) and "该记录刚被修改，请重试" in app.screen.message
            await pilot.press("enter")
            await _settle(pilot)
            await pilot.press("escape")
            await _settle(pilot)

            # the database goes bad under the running app: the sentence names the repair
            def malformed(*_a, **_k):  # noqa: ANN002, ANN003
                raise DatabaseError("SELECT", {}, sqlite3.DatabaseError("database disk image is malformed"))

            monkeypatch.setattr(filing, "list_records", malformed)
            await pilot.press("r")
            await _settle(pilot)
            assert isinstance(app.screen, ErrorModal) and "jiaarchive repair" in app.screen.message
            monkeypatch.undo()

    try:
        asyncio.run(run())
    finally:
        arch.close()
    with open_archive(root, read_only=True) as a:
        assert filing.get_record(a, v.id).title == "另一窗口的题名"  # not silently undone
        assert filing.list_records(a, code="E-1") == []


def test_conflicting_edit_refused_other_fields_land_on_top(tmp_path: Path, db_url: str) -> None:
    root = tmp_path / "档案"
    with init_archive(root, unit="u", unit_type="事业单位", database_url=db_url) as a:
        v = filing.file_document(a, [make_text(tmp_path / "d.txt", "x")], filing.Draft(code="A-1", title="原", date=date(2021, 1, 1)))
        filing.edit_record(a, v.archive_no, title="别人改的", code="A-2")
        with pytest.raises(RecordChanged, match="该记录刚被修改，请重试"):
            filing.edit_record(a, v.id, base=v, title="我改的")
        w = filing.edit_record(a, v.id, base=v, remarks="我的备注", title="原")  # title untouched by me: no clash
        assert (w.title, w.code, w.remarks) == ("别人改的", "A-2", "我的备注")


def test_setup_waits_for_another_package_install(tmp_path: Path) -> None:
    lock = tmp_path / "lock-frontend"
    lock.write_bytes(b"")
    fd = os.open(lock, os.O_RDWR)
    fcntl.lockf(fd, fcntl.LOCK_EX)  # as apt/dpkg hold theirs
    start = time.monotonic()
    p = subprocess.Popen(["bash", str(REPO / "setup.sh"), "--wait-for-apt"], stderr=subprocess.PIPE, text=True,
                         env={**os.environ, "JIAARCHIVE_APT_LOCKS": str(lock)})
    time.sleep(2.5)
    assert p.poll() is None  # still waiting
    os.close(fd)
    _out, err = p.communicate(timeout=30)
    assert p.returncode == 0 and "另一个安装程序" in err and time.monotonic() - start >= 2.5
