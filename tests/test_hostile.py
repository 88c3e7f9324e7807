"""Nothing inside an archive is trusted: crafted journals and settings, special files, odd names.

An archive may arrive on a USB stick from another unit, and a pile of files from anywhere: none
of it may make the program act outside the archive, hang, or lose a readable name.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest

from jiaarchive import filing, fixity, settings, storage
from jiaarchive.archive import init_archive, open_archive
from jiaarchive.errors import BadSettings, UnreadableFile
from jiaarchive.filing import Draft

from .helpers import make_jpeg, make_text
from .procs import EXE, cli, env, here

A1 = "A 效益（绩效）之家/A-1 劳动竞赛、技术革新资料"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "档案"
    with init_archive(r, unit="外来档案工会", unit_type="事业单位") as a:
        filing.file_document(a, [make_text(tmp_path / "in.txt", "已有文件")], Draft(code="A-1", title="已有", date=date(2021, 1, 1)))
    return r


# ---------------------------------------------------------------- crafted journals


def _journal(root: Path, name: str, data: object) -> Path:
    p = root / ".jiaarchive" / "journal" / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return p


def test_crafted_journals_never_reach_outside(root: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    (victim / "sub").mkdir(parents=True)
    (victim / "sub" / "keep.txt").write_text("别删我", encoding="utf-8")
    os.symlink(victim, root / A1 / "escape")
    (root / ".jiaarchive" / "tmp").mkdir(exist_ok=True)
    (root / ".jiaarchive" / "tmp" / "0123abcd-0.part").mkdir()  # a folder where a temp file would be
    (root / ".jiaarchive" / "tmp" / "0123abcd-0.part" / "inside.txt").write_text("x", encoding="utf-8")
    evil = [
        # the journal: a folder anywhere on the machine as the source
        _journal(root, "0000evil.json", [{"src": str(victim), "dst": f"{A1}/x.md", "file_id": None, "sha256": "00"}]),
        _journal(root, "0000dots.json", [{"src": ".jiaarchive/tmp/../../../victim", "dst": f"{A1}/y.md", "file_id": None, "sha256": "00"}]),
        _journal(root, "0000link.json", [{"src": f"{A1}/escape/sub/keep.txt", "dst": f"{A1}/z.md", "file_id": 1, "sha256": ""}]),
        _journal(root, "0000settings.json", [{"src": "jiaarchive.toml", "dst": f"{A1}/t.md", "file_id": 1, "sha256": ""}]),
        _journal(root, "0123abcd.json", {"format": 2, "change": "0123abcd", "moves": [
            {"src": ".jiaarchive/tmp/0123abcd-0.part", "dst": f"{A1}/escape/new.txt", "file_id": None, "sha256": "00"}]}),
    ]
    rc, out, err = cli(root, "add", str(make_text(tmp_path / "新.txt", "新文件")), "--code", "A-1", "--date", "2021-02-01")
    assert rc == 0 and "内部错误" not in err, err
    assert "已拒绝执行" in err and "0000evil.json" in err
    assert (victim / "sub" / "keep.txt").read_text(encoding="utf-8") == "别删我"
    assert sorted(p.name for p in victim.rglob("*")) == ["keep.txt", "sub"]
    assert (root / ".jiaarchive" / "tmp" / "0123abcd-0.part" / "inside.txt").exists()  # never a directory
    assert all(p.exists() for p in evil)  # left for a person
    rc, out, err = cli(root, "verify")
    assert rc == 1 and "全部完好" not in out
    for p in evil:
        assert p.name in out
    assert "[待人工处理的中断修改]" in out


def test_journal_of_a_dead_change_is_finished_only_when_it_committed(root: Path, tmp_path: Path) -> None:
    """A well-formed journal whose change never committed: its temporary copy goes, nothing moves."""
    tmp = root / ".jiaarchive" / "tmp"
    tmp.mkdir(exist_ok=True)
    (tmp / "00ffee11-0.part").write_text("半途的副本", encoding="utf-8")
    _journal(root, "00ffee11.json", {"format": 2, "change": "00ffee11", "moves": [
        {"src": ".jiaarchive/tmp/00ffee11-0.part", "dst": f"{A1}/2021/半途.txt", "file_id": None, "sha256": "00"}]})
    with open_archive(root) as a:
        assert any("临时文件" in n for n in a.notices)
    assert not (tmp / "00ffee11-0.part").exists() and not (root / A1 / "2021" / "半途.txt").exists()
    assert not list((root / ".jiaarchive" / "journal").iterdir())


def test_program_folders_pointing_outside_are_refused(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "precious.txt").write_text("x", encoding="utf-8")
    tmp = root / ".jiaarchive" / "tmp"
    if tmp.exists():
        tmp.rmdir()
    os.symlink(outside, tmp)
    rc, out, err = cli(root, "add", str(make_text(tmp_path / "n.txt", "n")), "--code", "A-1")
    assert rc == 1 and "指向档案之外" in err
    assert (outside / "precious.txt").exists()


def test_database_paths_leading_outside_are_not_followed(root: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("机密", encoding="utf-8")
    with open_archive(root) as a:
        from jiaarchive.db.models import File

        with a.transaction() as s:
            s.get(File, 1).path = "../secret.txt"
            from jiaarchive import audit

            audit.log(s, "edit", at=a.now(), detail="篡改")
        result = fixity.verify(a)
        assert any(p.kind == "unsafe" and "../secret.txt" in p.path for p in result.problems)
        with pytest.raises(Exception, match="不是档案内的相对路径|“..”"):
            filing.trash_record(a, 1)
        from jiaarchive import indexing

        indexing.rebuild(a, reextract=True)  # its text is not read into the index
        assert indexing.search(a, "机密").total == 0
    assert secret.read_text(encoding="utf-8") == "机密"


# ---------------------------------------------------------------- crafted settings


def _set(root: Path, **archive_values: str) -> None:
    text = (root / settings.SETTINGS_NAME).read_text(encoding="utf-8")
    for key, value in archive_values.items():
        lines = [ln for ln in text.splitlines() if not ln.startswith(f"{key} =")]
        i = lines.index("[archive]") + 1
        lines.insert(i, f"{key} = {json.dumps(value, ensure_ascii=False)}")
        text = "\n".join(lines) + "\n"
    (root / settings.SETTINGS_NAME).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("pattern, message", [
    ("{seq:>300000000}", "宽度"),
    ("{code}-{year}-{seq:09d}", "宽度"),
    ("{code}{seq.__class__}", "不认识的字段"),
    ("{code}-{year}-{unit}-{seq}", "不认识的字段"),
    ("{code}-{seq}", "必须包含 {year}"),
    ("{code}/{year}/{seq}", "“/”"),
    ("{code}-{year}-{seq!r}", "宽度或写法"),
    ("{code}-{year}-{seq:{seq}}", "宽度或写法"),
])
def test_crafted_archive_number_patterns_are_refused(root: Path, tmp_path: Path, pattern: str, message: str) -> None:
    _set(root, archive_no_pattern=pattern)
    t0 = time.monotonic()
    rc, out, err = here(root, "add", str(make_text(tmp_path / "x.txt", "x")), "--code", "A-1")
    assert rc == 1 and "档号格式" in err and message in err, err
    assert time.monotonic() - t0 < 10
    assert (root / ".jiaarchive" / "archive.db").stat().st_size < 10_000_000


def test_good_patterns_still_work() -> None:
    for p in ("{code}·{year}-{retention}-{seq:04d}", "{year}-{code}-{seq:03d}", "{code}-{year}-{seq:0>5}", "{code}{year}{seq}"):
        assert settings.check_pattern(p) == p


@pytest.mark.parametrize("url", ["sqlite:///{outside}", "postgresql://jia@localhost/archive", "sqlite:///.jiaarchive/../../x.db",
                                 "sqlite://", "sqlite:///.jiaarchive/a.db?mode=rwc"])
def test_database_outside_the_archive_only_from_the_command_line(root: Path, tmp_path: Path, url: str) -> None:
    outside = tmp_path / "elsewhere.db"
    _set(root, database_url=url.format(outside=outside))
    rc, out, err = here(root, "ls")
    assert rc == 1 and "不在档案文件夹内" in err and "--db" in err, err
    assert not outside.exists()  # nothing was created or migrated there


def test_database_inside_the_archive_and_from_the_environment(root: Path, tmp_path: Path) -> None:
    db = root / ".jiaarchive" / "archive.db"
    (root / ".jiaarchive" / "other.db").write_bytes(db.read_bytes())
    _set(root, database_url="sqlite:///.jiaarchive/other.db")  # relative to the archive, not the cwd
    rc, out, err = cli(root, "ls", "--json")
    assert rc == 0 and len(json.loads(out)) == 1, err
    shared = tmp_path / "shared.db"
    shared.write_bytes(db.read_bytes())
    _set(root, database_url="")
    rc, out, err = cli(root, "ls", "--json", JIAARCHIVE_DB=f"sqlite:///{shared}")
    assert rc == 0 and len(json.loads(out)) == 1, err  # the person running it chose this one
    rc, out, err = cli(root, "--db", f"sqlite:///{tmp_path / 'none.db'}", "ls")
    assert rc == 1 and "不见了" in err and not (tmp_path / "none.db").exists()


def test_other_settings_are_checked(root: Path) -> None:
    path = root / settings.SETTINGS_NAME
    good = path.read_text(encoding="utf-8")
    for bad, needle in (('type = "事业单位"', 'type = "外星单位"'), ('name = "外来档案工会"', 'name = ""')):
        path.write_text(good.replace(bad, needle), encoding="utf-8")
        with pytest.raises(BadSettings):
            open_archive(root)
    path.write_text(good.replace("\n[retention]\n", '\n[retention]\n"../../x" = "永久"\n'), encoding="utf-8")
    with pytest.raises(BadSettings, match="目录编号"):
        open_archive(root)
    path.write_text(good + "#" * (settings.MAX_SETTINGS_BYTES + 1), encoding="utf-8")
    with pytest.raises(BadSettings, match="过大"):
        open_archive(root)


# ---------------------------------------------------------------- only regular files are filed


def test_fifo_socket_and_device_are_refused_before_any_read(root: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "照片.jpg"  # a photo name: the photo check would read it first
    os.mkfifo(fifo)
    sock_path = tmp_path / "s.sock"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    try:
        for path, kind in ((fifo, "命名管道"), (sock_path, "套接字"), (Path("/dev/zero"), "设备文件")):
            p = subprocess.run([*EXE, "--archive", str(root), "add", str(path), "--code", "D-5"], capture_output=True,
                               text=True, timeout=60, env=env())
            assert p.returncode == 1 and kind in p.stderr and "不是普通文件" in p.stderr, p.stderr
            with pytest.raises(UnreadableFile, match=kind):
                storage.check_readable(path)
    finally:
        sock.close()


def test_symlink_is_followed_only_to_a_regular_file_and_noted(root: Path, tmp_path: Path) -> None:
    real = make_jpeg(tmp_path / "真实的照片.jpg")
    link = tmp_path / "快捷方式.jpg"
    os.symlink(real, link)
    rc, out, err = here(root, "add", str(link), "--code", "D-5", "--date", "2021-05-01", "--title", "运动会")
    assert rc == 0 and "快捷方式（符号链接）" in err and str(real) in err, out + err
    rc, out, _ = here(root, "show", "D-5·2021-D10-0001")
    assert "符号链接" in out and str(real) in out
    rc, out, _ = here(root, "show", "D-5·2021-D10-0001", "--json")
    assert json.loads(out)["files"][0]["link_target"] == str(real)
    for target, needle in ((Path("/etc/passwd"), "系统或隐藏位置"), (tmp_path / ".ssh" / "id_rsa", "系统或隐藏位置"),
                           (tmp_path / "gone.txt", "不存在"), (tmp_path, "文件夹")):
        if target.name == "id_rsa":
            make_text(target, "PRIVATE KEY")
        bad = tmp_path / f"link-{target.name}"
        os.symlink(target, bad)
        rc, out, err = here(root, "add", str(bad), "--code", "A-1")
        assert rc == 1 and needle in err, err


def test_undecodable_names_keep_every_readable_part(root: Path, tmp_path: Path) -> None:
    base = os.fsencode(tmp_path)
    gbk_broken = base + b"/\xb9\xa4\xbb\xe1\xff\xfe.txt"  # GBK 工会 + two bytes no encoding explains
    mixed = base + "/2021年".encode() + b" \xbd\xcc\xb4\xfa\xbb\xe1.txt"  # UTF-8 then GBK 教代会
    for raw, text in ((gbk_broken, "工会文件"), (mixed, "教代会文件")):
        with open(raw, "wb") as fh:
            fh.write(text.encode())
    with open_archive(root) as a:
        v = filing.file_document(a, [Path(os.fsdecode(gbk_broken))], Draft(code="A-1", date=date(2021, 3, 1)))
        assert v.title.startswith("工会") and v.files[0].original_name == "工会\ufffd\ufffd.txt"
        assert any("无法识别的字符" in n for n in v.notes)
        w = filing.file_document(a, [Path(os.fsdecode(mixed))], Draft(code="A-1", date=date(2021, 3, 2)))
        assert w.files[0].original_name == "2021年 教代会.txt" and not w.notes
    assert storage.decoded_name(Path(os.fsdecode(b"\xd6\xb0\xb4\xfa\xbb\xe1.doc"))) == "职代会.doc"


def test_a_finished_change_that_cannot_be_completed_keeps_its_journal(root: Path, tmp_path: Path, monkeypatch) -> None:
    """Someone put a file where a crashed change's file goes: recovery never overwrites it; the
    archive still opens, says so, and verify lists the journal for a person."""
    from .helpers import crash_while_filing

    crash_while_filing(root, make_text(tmp_path / "c.txt", "崩溃时的文件"), Draft(code="A-1", title="挡住", date=date(2021, 2, 1)),
                       monkeypatch, "file.after_commit")
    blocker = root / A1 / "2021" / "2021-02-01 挡住.txt"
    blocker.write_text("别人的文件", encoding="utf-8")
    with open_archive(root) as a:
        assert any("未能完成" in n for n in a.notices)
        assert blocker.read_text(encoding="utf-8") == "别人的文件"
    rc, out, err = cli(root, "verify")
    assert rc == 1 and "恢复时未能完成" in out, out + err
