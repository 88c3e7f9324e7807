"""A clerk's day at the command line (issue 13): Chinese usage lines, a readable log that says how
many entries there are, 档号 as people type them, pages and unreadable files at filing, progress,
who acted, export, bulk edit and undo.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from jiaarchive import audit, userconfig
from jiaarchive.cli import main
from jiaarchive.progress import Progress, Tracker, counting, duration

from .helpers import make_docx, make_ofd, make_pdf, make_text, make_xlsx

pytestmark = pytest.mark.usefixtures("fixed_clock")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def root(tmp_path: Path, runner: CliRunner) -> Path:
    r = tmp_path / "建家档案"
    res = runner.invoke(main, ["init", str(r), "--unit", "测试学校工会", "--type", "事业单位"])
    assert res.exit_code == 0, res.output
    return r


def run(runner: CliRunner, root: Path, *args: str, input: str | None = None):
    return runner.invoke(main, ["--archive", str(root), *args], input=input)


def add(runner, root, tmp_path, name: str, code: str, *more: str) -> str:
    src = make_text(tmp_path / "来源" / name, f"{name} 正文")
    res = run(runner, root, "add", str(src), "--code", code, *more)
    assert res.exit_code == 0, res.output
    return res.stdout.split()[1]  # 已归档  <档号> …


# ---------------------------------------------------------------- 3. usage lines in Chinese


def test_3_usage_metavars_are_chinese(runner) -> None:
    out = runner.invoke(main, ["add", "--help"], prog_name="jiaarchive").output
    assert "用法: jiaarchive add [选项] 文件…" in out
    assert "--code 目录编号" in out and "--year 年度" in out and "--pages 页数" in out
    for english in ("[OPTIONS]", "FILES...", " TEXT", " INTEGER", "PATH"):
        assert english not in out
    assert "用法: jiaarchive [选项] 命令 [参数]…" in runner.invoke(main, ["--help"], prog_name="jiaarchive").output
    assert "[选项] [档号]…" in runner.invoke(main, ["export", "--help"]).output
    # help columns line up by display width (a Chinese character is two cells)
    lines = [ln for ln in out.splitlines() if ln.startswith("  --code") or ln.startswith("  --title")]
    from jiaarchive.textfmt import width

    starts = {width(ln[: ln.index(text)]) for ln, text in zip(lines, ("目录编号，如", "题名（默认"))}
    assert len(starts) == 1


# ---------------------------------------------------------------- 3, 11, 14. the log


def test_3_11_14_log_is_chinese_counts_and_pages(runner, root, tmp_path) -> None:
    numbers = [add(runner, root, tmp_path, f"2021-03-0{i} 材料{i}.txt", "B-1") for i in range(1, 5)]
    assert run(runner, root, "--user", "李会计", "edit", numbers[0], "--title", "改后题名", "--tag", "教代会").exit_code == 0
    assert run(runner, root, "rm", "-y", numbers[1]).exit_code == 0
    assert run(runner, root, "score", "1", "--self", "2", "--remark", "有计划").exit_code == 0
    res = run(runner, root, "log", "--limit", "3")
    out = res.output
    assert "共 8 条" in out and "显示第 1–3 条" in out and "--page 2" in out and "--all" in out
    assert "录入分数" in out and "分数：2" in out and "说明：有计划" in out  # the score value is logged
    assert "xianjin" not in out and "《" in out  # the sheet by its title, not its id
    assert "状态：在档 → 在回收站" in out and "文件：移入回收站" in out
    for english in ("status", "archive_no:", "code:", "files:", "trashed", "active"):
        assert english not in out
    assert "题名：材料1 → 改后题名" in out and "李会计  修改" in out  # who: --user
    out = run(runner, root, "log", "--limit", "3", "--page", "2").output
    assert "显示第 4–6 条" in out and "--page 3" in out
    out = run(runner, root, "log", "--all").output
    assert "共 8 条" in out and "--page" not in out
    history = run(runner, root, "log", "--record", "b-1 2021 1").output  # a typed 档号
    assert "记录 B-1·2021-Y-0001 的日志共 2 条" in history


def test_14_who_comes_from_user_env_settings_or_the_os(runner, root, tmp_path, monkeypatch) -> None:
    assert audit.current_user() == "测试员"  # JIAARCHIVE_USER
    monkeypatch.delenv("JIAARCHIVE_USER")
    import pwd

    class Entry:
        pw_gecos = "王芳,,,"

    monkeypatch.setattr(pwd, "getpwuid", lambda uid: Entry())
    assert audit.current_user() == "王芳"  # the account's full name
    res = runner.invoke(main, ["user", "张明"])
    assert res.exit_code == 0 and "已设置本机操作人：张明" in res.output
    assert userconfig.user_name() == "张明" and audit.current_user() == "张明"
    assert (userconfig.config_dir() / "config.toml").is_file()
    assert "张明" in runner.invoke(main, ["user"]).output and "本机设置" in runner.invoke(main, ["user"]).output
    add(runner, root, tmp_path, "2021-05-01 通知.txt", "A-1")
    assert "张明  归档" in run(runner, root, "log").output
    add(runner, root, tmp_path, "2021-05-02 通知.txt", "A-1", "--title", "x")
    res = run(runner, root, "--user", "赵六", "rm", "-y", "A-1·2021-D30-0002")
    assert res.exit_code == 0
    assert "赵六  删除" in run(runner, root, "log", "--limit", "1").output


# ---------------------------------------------------------------- 6. 档号 as typed


def test_6_typed_archive_numbers_and_prefixes(runner, root, tmp_path) -> None:
    files = [make_text(tmp_path / "来源" / f"2021-04-{i:02d} 材料{i}.txt", f"材料{i}") for i in range(1, 13)]
    assert run(runner, root, "add", *map(str, files), "--code", "C-2").exit_code == 0
    want = "C-2·2021-D30-0012"
    for typed in ("C-2.2021-D30-0012", "C-2 2021-D30-0012", "c-2·2021-d30-0012", "C-2·2021-D30-12",
                  "C-2 2021 12", "Ｃ－２　２０２１　１２", "c2 2021 d30 12"):
        res = run(runner, root, "show", typed)
        assert res.exit_code == 0, (typed, res.output)
        assert f"档号      {want}" in res.output
    res = run(runner, root, "show", "C-2 2021")
    assert res.exit_code == 1 and "对应多件记录" in res.output and "等 12 件" in res.output
    assert run(runner, root, "show", "C-2 2021 99").exit_code == 1
    # a former number still finds the record, and edit/rm take typed numbers too
    assert run(runner, root, "edit", "c-2 2021 12", "--code", "C-1").exit_code == 0
    assert "C-1·2021-D30-0001" in run(runner, root, "show", want).output
    assert run(runner, root, "rm", "-y", "c-1 2021 1").exit_code == 0


# ---------------------------------------------------------------- 7, 8. pages; unreadable files


def test_7_pages_are_filled_for_pdf_docx_xlsx_and_ofd(runner, root, tmp_path) -> None:
    files = [
        make_pdf(tmp_path / "收件" / "2021-05-01 三页的通知.pdf", ["第一页", "第二页", "第三页"]),
        make_docx(tmp_path / "收件" / "2021-05-02 纪要.docx", "纪要"),
        make_xlsx(tmp_path / "收件" / "2021-05-03 花名册.xlsx", {"在职": [["姓名"]], "退休": [["姓名"]]}),
        make_ofd(tmp_path / "收件" / "2021-05-04 电子公文.ofd", ["第一页", "第二页"]),
    ]
    res = run(runner, root, "add", *map(str, files), "--code", "F-4")
    assert res.exit_code == 0, res.output
    assert "3 页" in res.output
    pages = {r["title"]: r["pages"] for r in json.loads(run(runner, root, "ls", "--json").stdout)}
    assert pages == {"三页的通知": 3, "纪要": 1, "花名册": 2, "电子公文": 2}
    # the clerk's own figure wins; several files together add up
    res = run(runner, root, "add", str(make_pdf(tmp_path / "p.pdf", ["a", "b"])), str(make_pdf(tmp_path / "q.pdf", ["c"])),
              "--code", "F-5", "--together", "--title", "合订")
    assert json.loads(run(runner, root, "ls", "--code", "F-5", "--json").stdout)[0]["pages"] == 3


def test_8_encrypted_file_is_said_at_filing_and_in_show(runner, root, tmp_path) -> None:
    locked = make_pdf(tmp_path / "收件" / "2021-06-01 审计报告.pdf", ["审计"], password="123")
    res = run(runner, root, "add", str(locked), "--code", "F-5")
    assert res.exit_code == 0
    assert "已加密" in res.output and "已照常归档" in res.output
    out = run(runner, root, "show", "F-5 2021 1").output
    assert "注意" in out and "已加密" in out
    data = json.loads(run(runner, root, "show", "F-5 2021 1", "--json").stdout)
    assert data["unreadable"][0]["status"] == "encrypted"


# ---------------------------------------------------------------- 10. progress


def test_10_progress_protocol_counts_names_and_estimates() -> None:
    now = [0.0]
    seen: list[Progress] = []
    track = Tracker("正在归档", 4, seen.append, clock=lambda: now[0])
    for name in ("a.docx", "b.docx", "c.docx", "d.docx"):
        track.start(name)
        now[0] += 2.0
        track.advance()
    track.finish()
    assert seen[0].describe() == "正在归档 1/4：a.docx"  # the first of four, being worked on
    assert seen[1].describe() == "正在归档 1/4，约剩 6 秒"  # one done in 2 s: three more take 6 s
    assert seen[2].describe() == "正在归档 2/4：b.docx，约剩 6 秒"
    assert seen[7].remaining is None  # all done: nothing left to estimate
    assert seen[-1].finished and seen[-1].describe() == "正在归档：已完成 4/4，用时 8 秒。"
    assert duration(125) == "2 分 5 秒" and duration(3700) == "1 小时 1 分"
    steps: list[Progress] = []
    step = counting("正在建立检索索引", steps.append, clock=lambda: now[0])
    step(10, 100)
    assert steps[-1].counter() == "10/100"


def test_10_cli_shows_progress_on_stderr_for_long_jobs(runner, root, tmp_path, monkeypatch) -> None:
    from jiaarchive.cli import progress as cli_progress
    from jiaarchive.progress import Tracker as RealTracker

    now = [0.0]

    def slow_clock() -> float:
        now[0] += 0.7  # each step seems to take 0.7 s: the job is longer than a second
        return now[0]

    monkeypatch.setattr(cli_progress, "is_terminal", lambda stream: True)
    monkeypatch.setattr(cli_progress, "now", slow_clock)
    monkeypatch.setattr("jiaarchive.filing.intake.Tracker",
                        lambda *a, **k: RealTracker(*a, **{**k, "clock": slow_clock}))
    files = [make_text(tmp_path / "批" / f"2021-0{i}-01 材料{i}.txt", f"材料{i}") for i in range(1, 4)]
    res = run(runner, root, "add", *map(str, files), "--code", "F-6")
    assert res.exit_code == 0, res.output
    assert "\r正在归档" in res.stderr and "2/3：2021-02-01 材料2.txt" in res.stderr
    assert "约剩" in res.stderr


def test_10_plain_progress_lines_when_not_a_terminal() -> None:
    out = io.StringIO()
    now = [0.0]
    show = cli_progress_line(out, now)
    show(Progress("正在导出", 1, 10, "a.docx", elapsed=0.5))
    assert out.getvalue() == ""  # shorter than a second: quiet
    now[0] = 2.0
    show(Progress("正在导出", 2, 10, "c.docx", elapsed=2.0, remaining=8.0))
    assert out.getvalue() == "正在导出 3/10：c.docx，约剩 8 秒\n"
    show(Progress("正在导出", 10, 10, elapsed=9.0, finished=True))
    assert out.getvalue().endswith("正在导出：已完成 10/10，用时 9 秒。\n")


def cli_progress_line(out, now):
    from jiaarchive.cli.progress import progress_line

    return progress_line(out, clock=lambda: now[0])


# ---------------------------------------------------------------- export, bulk edit, undo


def test_ls_xlsx_and_export_zip_of_a_selection(runner, root, tmp_path) -> None:
    from openpyxl import load_workbook

    for i in range(1, 4):
        add(runner, root, tmp_path, f"2021-03-0{i} 教代会材料{i}.txt", "B-1", "--tag", "教代会")
    add(runner, root, tmp_path, "2020-05-01 安全月.txt", "E-1")
    res = run(runner, root, "ls", "--tag", "教代会", "--xlsx", str(tmp_path / "out" / "目录.xlsx"))
    assert res.exit_code == 0 and "共 3 件" in res.output
    ws = load_workbook(tmp_path / "out" / "目录.xlsx").worksheets[0]
    assert [c.value for c in ws[3]] == ["序号", "档号", "文号", "责任者", "题名", "日期", "页数", "备注"]
    assert ws["B4"].value == "B-1·2021-Y-0001"
    res = run(runner, root, "export", "--code", "B-1", "--zip", str(tmp_path / "out" / "教代会.zip"))
    assert res.exit_code == 0, res.output
    names = zipfile.ZipFile(tmp_path / "out" / "教代会.zip").namelist()
    assert sorted(n for n in names if n.endswith(".txt") and "/" in n)[0].startswith("B 民主之家/B-1 ")
    assert {"归档文件目录.xlsx", "说明.txt"} <= set(names)
    note = zipfile.ZipFile(tmp_path / "out" / "教代会.zip").read("说明.txt").decode("utf-8-sig")
    assert "测试学校工会" in note and "目录 B-1" in note and "共 3 件" in note
    res = run(runner, root, "export", "-q", "安全月", "--xlsx", str(tmp_path / "out" / "检索.xlsx"), "--json")
    assert json.loads(res.stdout)["records"] == 1
    res = run(runner, root, "export", "b-1 2021 2", "e-1 2020 1", "--zip", str(tmp_path / "out" / "两件.zip"))
    assert res.exit_code == 0 and "2 件记录" in res.output
    assert run(runner, root, "export", "--code", "B-1").exit_code == 2  # no --zip / --xlsx: a usage error


def test_bulk_edit_and_undo_from_the_cli(runner, root, tmp_path) -> None:
    a = add(runner, root, tmp_path, "2021-03-01 甲.txt", "C-2")
    b = add(runner, root, tmp_path, "2021-03-02 乙.txt", "C-2", "--tag", "旧")
    res = run(runner, root, "edit", a, b, "--add-tag", "关爱", "--remove-tag", "旧", "--year", "2020")
    assert res.exit_code == 0, res.output
    assert "已修改 2 件" in res.output
    records = json.loads(run(runner, root, "ls", "--code", "C-2", "--json").stdout)
    assert [(r["year"], r["tags"]) for r in records] == [(2020, ["关爱"]), (2020, ["关爱"])]
    res = run(runner, root, "edit", a, b, "--title", "同一题名")
    assert res.exit_code == 2 and "逐件修改" in res.output
    res = run(runner, root, "undo", "--dry-run")
    assert "批量，共 2 件" in res.output
    assert run(runner, root, "undo", "-y").exit_code == 0
    records = json.loads(run(runner, root, "ls", "--code", "C-2", "--json").stdout)
    assert [(r["archive_no"], r["tags"]) for r in records] == [(a, []), (b, ["旧"])]
    # the next undo goes further back: the filing of 乙 (to the trash; nothing is lost)
    res = run(runner, root, "undo", "-y")
    assert res.exit_code == 0 and "在回收站中" in res.output
    assert [r["archive_no"] for r in json.loads(run(runner, root, "ls", "--trash", "--json").stdout)] == [b]
    # undo of a delete restores
    assert run(runner, root, "rm", "-y", a).exit_code == 0
    assert run(runner, root, "undo", "-y").exit_code == 0
    assert [r["archive_no"] for r in json.loads(run(runner, root, "ls", "--code", "C-2", "--json").stdout)] == [a]


def test_undo_is_refused_when_the_record_changed_since(runner, root, tmp_path) -> None:
    a = add(runner, root, tmp_path, "2021-03-01 甲.txt", "C-2")
    assert run(runner, root, "edit", a, "--title", "一改").exit_code == 0
    assert run(runner, root, "--user", "别人", "edit", a, "--remarks", "别人加的备注").exit_code == 0
    res = run(runner, root, "undo", "-y")  # 测试员's last change is 一改, but 别人 changed the record since
    assert res.exit_code == 1 and "又有改动" in res.output and "备注" in res.output
    assert json.loads(run(runner, root, "show", a, "--json").stdout)["title"] == "一改"
