"""Several clerks of one unit: the records on a shared PostgreSQL server, the files in the archive
folder (issue 14, part 1).  Each test runs against the tests' own throw-away server (tests/pg.py).

A "second computer" is this process with another per-computer settings folder and home (the
per-computer settings and the PostgreSQL password file live there, never in the archive).
"""

from __future__ import annotations

import json
import os
import stat
import threading
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from jiaarchive import filing, locks, storage
from jiaarchive.archive import init_archive, open_archive
from jiaarchive.cli import main
from jiaarchive.filing import Draft

from .helpers import make_docx, make_text
from .procs import cli, finish, start

PASSWORD = "s3cret-口令"


def here(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(main, list(args))
    return res.exit_code, res.stdout, res.stderr


def with_password(url: str) -> str:
    """The test server trusts every local connection: a password in the URL is accepted and
    ignored by it, which is what lets the tests follow where the program puts one."""
    return url.replace("postgres@", f"postgres:{PASSWORD}@", 1)


def second_computer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str = "pc2") -> None:
    monkeypatch.setenv("JIAARCHIVE_CONFIG_DIR", str(tmp_path / name / "config"))
    monkeypatch.setenv("HOME", str(tmp_path / name / "home"))
    (tmp_path / name / "home").mkdir(parents=True, exist_ok=True)


def everything_in(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_cli_init_and_every_command_without_db(pg_url: str, tmp_path: Path) -> None:
    """`init PATH --db URL`; then the commands a clerk uses, none given the address again, and the
    password in none of the archive's files nor in the per-computer settings."""
    root = tmp_path / "共享档案"
    rc, out, err = here("init", str(root), "--unit", "示例中学工会", "--type", "事业单位", "--db", with_password(pg_url))
    assert rc == 0, err
    assert "共享数据库" in err and "jiaarchive connect" in err and PASSWORD not in out + err
    assert not (root / ".jiaarchive" / "archive.db").exists()
    src = make_docx(tmp_path / "收件" / "2023年3月15日 劳动竞赛通知.docx", "关于开展劳动竞赛的通知")
    rc, out, err = here("--archive", str(root), "add", str(src), "--code", "A-1")
    assert rc == 0, err
    rc, out, err = here("--archive", str(root), "add", str(make_text(tmp_path / "纪要.txt", "教代会会议纪要")),
                        "--code", "B-1", "--date", "2023-01-10", "--title", "教代会纪要")
    assert rc == 0, err
    rc, out, err = here("--archive", str(root), "ls", "--json")
    recs = json.loads(out)
    assert sorted(r["archive_no"] for r in recs) == ["A-1·2023-D30-0001", "B-1·2023-Y-0001"]
    rc, out, err = here("--archive", str(root), "edit", "A-1·2023-D30-0001", "--title", "劳动竞赛活动通知")
    assert rc == 0, err
    rc, out, err = here("--archive", str(root), "search", "劳动竞赛", "--json")
    assert rc == 0 and [h["archive_no"] for h in json.loads(out)["hits"]] == ["A-1·2023-D30-0001"], out + err
    rc, out, err = here("--archive", str(root), "rm", "B-1·2023-Y-0001", "--yes")
    assert rc == 0, err
    rc, out, err = here("--archive", str(root), "restore", "B-1·2023-Y-0001")
    assert rc == 0, err
    rc, out, err = here("--archive", str(root), "verify")
    assert rc == 0 and "全部完好" in out, out + err
    html = tmp_path / "报告.html"
    rc, out, err = here("--archive", str(root), "report", "--json", "--html", str(html))
    assert rc == 0, err
    assert json.loads(out) and html.stat().st_size > 1000
    rc, out, err = here("--archive", str(root), "log")
    assert rc == 0 and "劳动竞赛活动通知" in out, out + err
    xlsx, bundle = tmp_path / "目录.xlsx", tmp_path / "导出.zip"
    rc, out, err = here("--archive", str(root), "export", "--xlsx", str(xlsx), "--zip", str(bundle))
    assert rc == 0 and xlsx.stat().st_size > 1000 and bundle.stat().st_size > 1000, out + err
    rc, out, err = here("--archive", str(root), "undo", "--yes")  # takes the restore back: in the trash again
    assert rc == 0, out + err
    rc, out, err = here("--archive", str(root), "ls", "--trash", "--json")
    assert [r["archive_no"] for r in json.loads(out)] == ["B-1·2023-Y-0001"], out + err
    # the password: in the user's PostgreSQL password file only, readable by the user alone
    assert PASSWORD.encode() not in everything_in(root)
    config = Path(os.environ["JIAARCHIVE_CONFIG_DIR"]) / "config.toml"
    assert "[[databases]]" in config.read_text(encoding="utf-8") and PASSWORD not in config.read_text(encoding="utf-8")
    pgpass = Path(os.environ["HOME"]) / ".pgpass"
    assert PASSWORD in pgpass.read_text(encoding="utf-8")
    assert stat.S_IMODE(pgpass.stat().st_mode) == 0o600


def test_second_computer_connects_once(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "共享档案"
    init_archive(root, unit="示例中学工会", unit_type="事业单位", database_url=pg_url).close()
    second_computer(monkeypatch, tmp_path)
    rc, out, err = here("--archive", str(root), "ls")
    assert rc != 0 and "jiaarchive connect" in err and "内部错误" not in err, err
    rc, out, err = here("connect", str(root), "--db", with_password(pg_url))
    assert rc == 0 and "已连接" in out and "共 0 件" in out, out + err
    src = make_text(tmp_path / "二号机.txt", "第二台电脑归档")
    rc, out, err = here("--archive", str(root), "add", str(src), "--code", "C-1", "--date", "2024-02-01")
    assert rc == 0, err
    monkeypatch.setenv("JIAARCHIVE_CONFIG_DIR", str(tmp_path / "config"))  # back to the first computer
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    with open_archive(root) as a:
        assert [r.archive_no for r in filing.list_records(a)] == ["C-1·2024-D30-0001"]
    second_computer(monkeypatch, tmp_path)
    rc, out, err = here("connect", str(root), "--forget")
    assert rc == 0 and "不再记住" in out
    rc, out, err = here("--archive", str(root), "ls")
    assert rc != 0 and "jiaarchive connect" in err


def test_a_folder_and_a_database_of_different_archives_are_never_joined(
        pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "共享档案"
    init_archive(shared, unit="甲单位工会", unit_type="事业单位", database_url=pg_url).close()
    other = tmp_path / "乙单位档案"
    init_archive(other, unit="乙单位工会", unit_type="事业单位").close()
    before = (other / "jiaarchive.toml").read_bytes()
    rc, out, err = here("connect", str(other), "--db", pg_url)
    assert rc != 0 and "属于另一个档案" in err and "内部错误" not in err, err
    assert (other / "jiaarchive.toml").read_bytes() == before
    rc, out, err = here("--archive", str(other), "--db", pg_url, "ls")
    assert rc != 0 and "属于另一个档案" in err, err
    # a folder that copies the shared archive's settings (its id) is not given the database:
    # this computer remembered the database for the folder it was connected from
    copy = tmp_path / "冒充的档案"
    copy.mkdir()
    (copy / "jiaarchive.toml").write_bytes((shared / "jiaarchive.toml").read_bytes())
    rc, out, err = here("--archive", str(copy), "ls")
    assert rc != 0 and "还没有连接过" in err, err
    # and a new archive never goes into a database that holds one
    rc, out, err = here("init", str(tmp_path / "丙"), "--unit", "丙", "--type", "事业单位", "--db", pg_url)
    assert rc != 0 and "已有数据" in err and "内部错误" not in err, err
    # another archive put where the connected one was: its own database, never the remembered one
    shared.rename(tmp_path / "搬走了")
    with init_archive(shared, unit="丁单位工会", unit_type="事业单位") as a:
        assert not a.shared
    with open_archive(shared) as a:
        assert not a.shared and a.settings.unit == "丁单位工会"
    # and one that says it is shared but is another archive is refused, not joined
    (shared / "jiaarchive.toml").write_bytes((other / "jiaarchive.toml").read_bytes().replace(
        b"[archive]\n", b"[archive]\nshared_database = true\n"))
    rc, out, err = here("--archive", str(shared), "ls")
    assert rc != 0 and "属于另一个档案" in err, err


def test_unreachable_server_is_one_chinese_sentence(tmp_path: Path) -> None:
    url = f"postgresql://clerk@/jia?host={tmp_path / 'no-server'}&port=1"
    rc, out, err = here("init", str(tmp_path / "档案"), "--unit", "u", "--type", "事业单位", "--db", url)
    assert rc != 0 and "无法连接共享数据库" in err and "内部错误" not in err and "Traceback" not in err, err


def test_counter_and_duplicate_check_hold_on_the_database_locks_alone(
        pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Six writers file at once with the archive write lock taken away: the 件号 counter and the
    duplicate check still give six distinct numbers and one record per content, because the
    database's own locks (``locks.lock_counter``, ``lock_content``) order them."""
    root = tmp_path / "档案"
    init_archive(root, unit="u", unit_type="事业单位", database_url=pg_url).close()

    class NoLock:
        def held(self):  # noqa: ANN202
            from contextlib import nullcontext

            return nullcontext()

    n = 6
    gate = threading.Barrier(n, timeout=60)
    monkeypatch.setattr(storage, "fault_hook", lambda point: gate.wait() if point == "file.after_copy" else None)
    same = make_text(tmp_path / "同一份.txt", "同一份通知")
    results: list[object] = [None] * n

    def writer(i: int) -> None:
        with open_archive(root) as a:
            a.write_lock = NoLock()  # type: ignore[assignment]
            src = make_text(tmp_path / f"件{i}.txt", f"第{i}件") if i % 2 == 0 else same
            try:
                results[i] = filing.file_document(a, [src], Draft(code="A-1", title=f"件{i}", date=date(2023, 1, 1)))
            except Exception as exc:  # noqa: BLE001 - what each writer met is the result
                results[i] = exc

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    filed = [r for r in results if isinstance(r, filing.RecordView)]
    refused = [r for r in results if not isinstance(r, filing.RecordView)]
    assert len(filed) == 4 and len(refused) == 2, results  # three distinct files and one of the three copies
    assert all(type(r).__name__ == "DuplicateFile" for r in refused), refused
    assert sorted(r.seq for r in filed) == [1, 2, 3, 4]
    with open_archive(root) as a:
        assert len(filing.list_records(a)) == 4


def test_index_writer_lock_is_held_by_the_database(pg_url: str, tmp_path: Path) -> None:
    """While one computer writes the index (the lock the server holds), a search elsewhere is not
    blocked, and a filing elsewhere lands at once while its index update waits for the writer."""
    import time

    from jiaarchive.search import pending

    root = tmp_path / "档案"
    with init_archive(root, unit="u", unit_type="事业单位", database_url=pg_url) as a:
        filing.file_document(a, [make_text(tmp_path / "a.txt", "安全生产培训")], Draft(code="E-1", title="安全培训", date=date(2023, 1, 1)))
        url = a.database_url
    index = root / ".jiaarchive" / "index"
    with locks.pg_index_lock(url, 5.0).held():
        other = locks.PgLock(url, locks.PG_INDEX_KEY, 0.2, RuntimeError, "busy")
        with pytest.raises(RuntimeError):  # a second writer cannot take it...
            with other.held():
                pass
        rc, out, err = cli(root, "search", "安全培训", "--json", timeout=60)  # ...a reader never asks
        assert rc == 0 and len(json.loads(out)["hits"]) == 1, err
        adder = start(root, "add", str(make_text(tmp_path / "b.txt", "消防演练记录")), "--code", "E-1", "--date", "2023-02-01")
        deadline = time.monotonic() + 60
        while not pending(index) and adder.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)  # until the adder has committed and marked its record for the index
        assert pending(index) and adder.poll() is None  # filed, and waiting for the index writer
    rc, out, err = finish(adder)
    assert rc == 0, err
    assert not pending(index)
    rc, out, err = cli(root, "search", "消防演练", "--json")
    assert rc == 0 and len(json.loads(out)["hits"]) == 1, out + err


def test_tui_on_a_shared_database(new_archive, tmp_path: Path, pg_url: str) -> None:
    """The TUI unchanged on PostgreSQL: counts in the tree, a document filed through the form."""
    import asyncio

    from textual.widgets import Input

    from jiaarchive.tui import make_app
    from jiaarchive.tui.widgets import RecordTable, Selection

    from .test_tui import SAMPLE, open_file_form, settle, tree_labels

    def fill(arch):  # noqa: ANN001
        for i, (code, when, title, doc_no, who, tags) in enumerate(SAMPLE):
            src = make_text(tmp_path / "来源" / f"{i:03d}.txt", f"{title}\n第 {i} 件")
            filing.file_document(arch, [src], Draft(code=code, title=title, date=when, doc_no=doc_no, responsible=who, tags=tags))

    arch = new_archive(fill, database_url=pg_url)
    assert arch.shared
    src = make_docx(tmp_path / "收件" / "2023年6月1日 教职工安全知识培训签到表.docx", "签到表")

    async def run() -> None:
        app = make_app(arch)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert tree_labels(app)[Selection()] == "全部档案 5件"
            form = await open_file_form(pilot, "E-1")
            form.query_one("#path", Input).value = str(src)
            await settle(pilot)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert tree_labels(app)[Selection()] == "全部档案 6件"
            table = app.screen.query_one(RecordTable)
            assert table.current is not None and table.current.archive_no == "E-1·2023-D30-0001"

    asyncio.run(run())
    assert filing.get_record(arch, "E-1·2023-D30-0001").title == "教职工安全知识培训签到表"


def test_a_running_change_of_another_computer_is_left_alone(pg_url: str, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """On a shared drive this computer may not see another computer's file locks: the server's
    owner lock still says that change is running, so opening here does not undo it."""
    import time

    root = tmp_path / "档案"
    init_archive(root, unit="u", unit_type="事业单位", database_url=pg_url).close()
    slow = start(root, "add", str(make_text(tmp_path / "慢.txt", "另一台电脑正在归档")), "--code", "A-1",
                 "--date", "2021-01-01", pause=f"file.after_copy={tmp_path / 'go'}")  # held until the test says go
    tmp = root / ".jiaarchive" / "tmp"
    deadline = time.monotonic() + 60
    while not (tmp.is_dir() and any(tmp.iterdir())) and time.monotonic() < deadline:
        time.sleep(0.05)
    copies = list(tmp.iterdir())
    assert copies, "the other writer never copied"
    with monkeypatch.context() as m:  # file locks invisible, as across computers on some shares
        m.setattr(locks.FileLock, "try_acquire", lambda self, **kw: True)
        m.setattr(locks, "is_free", lambda path: True)
        with open_archive(root) as a:
            assert a.recover() == []
    assert all(p.exists() for p in copies)
    (tmp_path / "go").touch()
    rc, out, err = finish(slow)
    assert rc == 0, err
    rc, out, err = cli(root, "ls", "--json")
    assert [r["title"] for r in json.loads(out)] == ["慢"]


def test_init_from_the_environment_variable(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "档案"
    monkeypatch.setenv("JIAARCHIVE_DB", pg_url.replace("postgresql+psycopg://", "postgresql://"))
    rc, out, err = here("init", str(root), "--unit", "u", "--type", "事业单位")
    assert rc == 0 and "共享数据库" in err, err
    monkeypatch.delenv("JIAARCHIVE_DB")
    rc, out, err = here("--archive", str(root), "add", str(make_text(tmp_path / "a.txt", "文")), "--code", "A-1",
                        "--date", "2022-01-01")
    assert rc == 0, err
    with open_archive(root) as a:
        assert a.shared and filing.count_records(a) == 1
    assert not (root / ".jiaarchive" / "archive.db").exists()


def test_database_server_failures_become_sentences() -> None:
    import psycopg
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from jiaarchive.errors import ArchiveBusy, DatabaseMissing, NoPermission, ReadOnlyMedia, explain

    cases = [
        (OperationalError("connect", {}, psycopg.OperationalError('connection failed: FATAL:  password authentication failed for user "jia"')),
         NoPermission, "用户名或密码不对"),
        (OperationalError("connect", {}, psycopg.OperationalError('connection failed: FATAL:  database "jia" does not exist')),
         DatabaseMissing, "数据库不存在"),
        (OperationalError("connect", {}, psycopg.OperationalError("connection failed: Connection refused")),
         ArchiveBusy, "无法连接共享数据库"),
        (ProgrammingError("INSERT", {}, psycopg.errors.InsufficientPrivilege("permission denied for table records")),
         NoPermission, "没有所需权限"),
        (OperationalError("INSERT", {}, psycopg.errors.ReadOnlySqlTransaction("cannot execute INSERT in a read-only transaction")),
         ReadOnlyMedia, "只能读取"),
    ]
    for exc, kind, words in cases:
        got = explain(exc)
        assert isinstance(got, kind) and words in str(got), (exc, got)
