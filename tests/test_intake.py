"""The intake run (filing.intake): one outcome per file, each check, the questions, and the CLI's
batch semantics (folders, mixed batches, --all-or-nothing, zips, attach)."""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from jiaarchive import filing
from jiaarchive.archive import init_archive
from jiaarchive.cli import main
from jiaarchive.filing import Draft, intake
from jiaarchive.filing.intake import (BAD_PHOTO, DUPLICATE, DUPLICATE_FOUND, FILE, FILE_ANYWAY, FILED, LEFT, REFUSED,
                                      SKIP, SKIP_DUPLICATES, Answer, Finding, Policy)

from .helpers import make_jpeg, make_text

DRAFT = Draft(code="F-6", date=date(2021, 3, 1))


@pytest.fixture
def arch(tmp_path: Path):
    a = init_archive(tmp_path / "档案", unit="测试工会", unit_type="事业单位")
    yield a
    a.close()


def broken_jpeg(path: Path) -> Path:
    good = make_jpeg(path.with_name("_good.jpg")).read_bytes()
    path.write_bytes(good[: len(good) // 2])
    path.with_name("_good.jpg").unlink()
    return path


class Recorder:
    """A face that answers every question with ``answer`` and remembers what it was asked."""

    def __init__(self, answer: Answer | None) -> None:
        self.answer = answer
        self.asked: list[Finding] = []

    def ask(self, findings: Sequence[Finding]) -> Answer | None:
        self.asked += findings
        return self.answer


# ---------------------------------------------------------------- the library


def test_folder_is_walked_recursively_junk_skipped_and_counted(arch, tmp_path: Path) -> None:
    pile = tmp_path / "微信文件"
    make_text(pile / "通知.txt", "关于召开职代会的通知")
    make_text(pile / "2021职代会" / "决议.txt", "职代会决议")
    make_text(pile / "2021职代会" / "深" / "签到.txt", "签到表")
    for junk in ("Thumbs.db", "desktop.ini", "~$决议.docx", ".隐藏.txt"):
        make_text(pile / junk, "x")
    result = intake.intake(arch, [pile], DRAFT)
    assert [o.status for o in result.outcomes] == [FILED] * 3
    assert sorted(o.path for o in result.outcomes) == sorted(
        f"{pile}/{p}" for p in ("通知.txt", "2021职代会/决议.txt", "2021职代会/深/签到.txt"))
    assert sum(result.skipped.values()) == 4 and "Office 临时锁定文件" in result.skipped_text()
    assert len(result.records) == 3 and all(o.archive_no.startswith("F-6·2021") for o in result.outcomes)


def test_each_check_gives_its_own_reason_and_the_rest_is_filed(arch, tmp_path: Path) -> None:
    good = make_text(tmp_path / "好.txt", "会议纪要")
    empty = tmp_path / "空.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "不存在.txt"
    fifo = tmp_path / "管道"
    os.mkfifo(fifo)
    unreadable = make_text(tmp_path / "锁住.txt", "秘密")
    unreadable.chmod(0)
    bad_photo = broken_jpeg(tmp_path / "坏照片.jpg")
    result = intake.intake(arch, [good, empty, missing, fifo, unreadable, bad_photo], DRAFT)
    by = {Path(o.path).name: o for o in result.outcomes}
    assert by["好.txt"].status == FILED and by["好.txt"].record is not None
    assert by["空.txt"].status == REFUSED and "空文件" in by["空.txt"].reason
    assert by["不存在.txt"].status == REFUSED and "找不到" in by["不存在.txt"].reason
    assert by["管道"].status == REFUSED and "管道" in by["管道"].reason
    if os.geteuid() != 0:  # root reads anything
        assert by["锁住.txt"].status == REFUSED and "无法读取" in by["锁住.txt"].reason
    assert by["坏照片.jpg"].status == REFUSED and by["坏照片.jpg"].kind == BAD_PHOTO and "照片有错误" in by["坏照片.jpg"].reason
    assert len(filing.list_records(arch)) == (1 if os.geteuid() != 0 else 2)


def test_duplicates_of_the_archive_and_within_the_batch(arch, tmp_path: Path) -> None:
    a = make_text(tmp_path / "甲.txt", "关于召开教代会的通知")
    first = intake.intake(arch, [a], DRAFT).outcomes[0]
    copy = tmp_path / "副本" / "甲（1）.txt"
    copy.parent.mkdir()
    copy.write_bytes(a.read_bytes())
    b = make_text(tmp_path / "乙.txt", "新内容")
    b2 = tmp_path / "乙 - 副本.txt"
    b2.write_bytes(b.read_bytes())
    face = Recorder(SKIP_DUPLICATES)
    result = intake.intake(arch, [copy, b, b2], DRAFT, questions=face)
    assert [f.kind for f in face.asked] == [DUPLICATE_FOUND, DUPLICATE_FOUND]
    assert face.asked[0].archive_no == first.archive_no
    statuses = [(Path(o.path).name, o.status, o.archive_no) for o in result.outcomes]
    assert statuses[0] == ("甲（1）.txt", DUPLICATE, first.archive_no)
    assert statuses[1][1] == FILED and statuses[2][1] == DUPLICATE and "本批" in result.outcomes[2].reason
    # filed anyway, when the clerk says so
    again = intake.intake(arch, [copy], DRAFT, questions=Recorder(FILE_ANYWAY))
    assert again.outcomes[0].status == FILED and again.outcomes[0].archive_no != first.archive_no


def test_policy_settles_what_is_not_asked_and_cancel_files_nothing(arch, tmp_path: Path) -> None:
    ok = make_text(tmp_path / "好.txt", "通知")
    bad = broken_jpeg(tmp_path / "坏.jpg")
    face = Recorder(None)  # the clerk cancels
    result = intake.intake(arch, [ok, bad], DRAFT, questions=face)
    assert result.cancelled and {o.status for o in result.outcomes} == {LEFT} and filing.list_records(arch) == []
    assert "已取消" in result.summary()
    face = Recorder(Answer(duplicates=SKIP, bad_photos=SKIP))
    result = intake.intake(arch, [ok, bad], DRAFT, questions=face, policy=Policy(bad_photos=FILE))
    assert face.asked == [] and [o.status for o in result.outcomes] == [FILED, FILED]  # --force: not asked


def test_all_or_nothing_and_together_file_nothing_when_one_is_bad(arch, tmp_path: Path) -> None:
    ok = make_text(tmp_path / "好.txt", "通知")
    empty = tmp_path / "空.txt"
    empty.write_bytes(b"")
    result = intake.intake(arch, [ok, empty], DRAFT, all_or_nothing=True)
    assert [o.status for o in result.outcomes] == [REFUSED, REFUSED] and "all-or-nothing" in result.outcomes[0].reason
    result = intake.intake(arch, [ok, empty], DRAFT, together=True)
    assert [o.status for o in result.outcomes] == [REFUSED, REFUSED] and filing.list_records(arch) == []
    other = make_text(tmp_path / "另.txt", "附件")
    result = intake.intake(arch, [ok, other], DRAFT, together=True)
    assert len(result.records) == 1 and len(result.records[0].files) == 2


def test_zip_members_are_shown_as_zip_bang_member(arch, tmp_path: Path) -> None:
    z = tmp_path / "资料.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("A-1/章程.txt", "工会章程")
        zf.writestr("../逃出.txt", "zip slip")
        zf.writestr("A-1/空.txt", "")
    folder = tmp_path / "堆"
    folder.mkdir()
    (folder / "内.zip").write_bytes(z.read_bytes())
    result = intake.intake(arch, [z], DRAFT)
    by = {o.path: o for o in result.outcomes}
    assert by[f"{z}!A-1/章程.txt"].status == FILED
    assert by[f"{z}!A-1/空.txt"].status == REFUSED and "空文件" in by[f"{z}!A-1/空.txt"].reason
    assert "A-1/空.txt" in by[f"{z}!A-1/空.txt"].reason  # the member is named, not a temporary copy
    assert by[f"{z}!../逃出.txt"].status == REFUSED
    [filed] = result.records
    assert filed.files[0].original_path.endswith("资料.zip!A-1/章程.txt")
    inner = intake.intake(arch, [folder], DRAFT)  # a zip found in a folder: folder/内.zip!member
    assert f"{folder}/内.zip!A-1/章程.txt" in {o.path for o in inner.outcomes}


def test_attach_checks_photos_and_duplicates(arch, tmp_path: Path) -> None:
    rec = intake.intake(arch, [make_text(tmp_path / "纪要.txt", "会议纪要")], DRAFT).records[0]
    bad = broken_jpeg(tmp_path / "现场.jpg")
    result = intake.attach(arch, rec.archive_no, [bad])
    assert result.outcomes[0].status == REFUSED and "照片有错误" in result.outcomes[0].reason
    assert len(filing.get_record(arch, rec.id).files) == 1
    good = make_jpeg(tmp_path / "合影.jpg")
    result = intake.attach(arch, rec.archive_no, [good])
    assert result.outcomes[0].status == FILED and len(filing.get_record(arch, rec.id).files) == 2
    from jiaarchive.photos.records import list_photos

    assert [p.checked_at is not None for p in list_photos(arch, record_id=rec.id)] == [True]  # note_filed ran


# ---------------------------------------------------------------- the CLI


def cli(root: Path, *args: str):
    return CliRunner().invoke(main, ["--archive", str(root), *args])


def test_cli_add_folder_mixed_batch_exit_1_and_reasons(arch, tmp_path: Path) -> None:
    root = arch.root
    first = make_text(tmp_path / "已归档.txt", "旧通知")
    assert cli(root, "add", str(first), "--code", "F-4").exit_code == 0
    office = tmp_path / "office"
    make_text(office / "甲.txt", "甲通知")
    make_text(office / "子" / "乙.txt", "乙纪要")
    (office / "空.txt").write_bytes(b"")
    (office / "副本.txt").write_bytes(first.read_bytes())
    make_text(office / "Thumbs.db", "x")
    res = cli(root, "add", str(office), "--code", "F-4")
    assert res.exit_code == 1, res.output
    assert res.stdout.count("已归档  F-4·") == 2
    assert "空文件" in res.stderr and "副本.txt" in res.stderr and "已经归档过" in res.stderr
    assert "已跳过" in res.output and "系统文件" in res.output
    assert len(json.loads(cli(root, "ls", "--json").stdout)) == 3
    # office/* with a folder among the arguments (the shell expands it)
    other = tmp_path / "office2"
    make_text(other / "丙.txt", "丙")
    make_text(other / "夹" / "丁.txt", "丁")
    res = cli(root, "add", *sorted(map(str, other.iterdir())), "--code", "F-4")
    assert res.exit_code == 0, res.output
    assert len(json.loads(cli(root, "ls", "--json").stdout)) == 5
    # duplicates skipped on purpose are no failure
    res = cli(root, "add", str(other), "--code", "F-4", "--skip-duplicates")
    assert res.exit_code == 0 and "重复，未归档" in res.output


def test_cli_all_or_nothing_keeps_the_old_behaviour(arch, tmp_path: Path) -> None:
    batch = tmp_path / "批"
    make_text(batch / "a.txt", "一")
    make_text(batch / "b.txt", "二")
    (batch / "c.txt").write_bytes(b"")
    res = cli(arch.root, "add", str(batch), "--code", "F-4", "--all-or-nothing")
    assert res.exit_code == 1 and "全部或不归档" in res.output
    assert json.loads(cli(arch.root, "ls", "--json").stdout) == []
    res = cli(arch.root, "add", str(batch / "a.txt"), str(batch / "b.txt"), "--code", "F-4", "--all-or-nothing")
    assert res.exit_code == 0 and len(json.loads(cli(arch.root, "ls", "--json").stdout)) == 2


def test_cli_attach_checks_photos(arch, tmp_path: Path) -> None:
    res = cli(arch.root, "add", str(make_text(tmp_path / "纪要.txt", "纪要")), "--code", "B-1")
    number = res.stdout.split()[1]
    bad = broken_jpeg(tmp_path / "现场.jpg")
    res = cli(arch.root, "attach", number, str(bad))
    assert res.exit_code == 1 and "照片有错误" in res.output and "--force" in res.output
    res = cli(arch.root, "attach", number, str(bad), "--force")
    assert res.exit_code == 0, res.output
    assert len(filing.get_record(arch, number).files) == 2


def test_cli_asks_on_a_terminal(arch, tmp_path: Path, monkeypatch) -> None:
    """On a terminal the clerk chooses: 0 cancels (nothing filed), 跳过重复 / 仍然归档 by number."""
    from jiaarchive.cli import records_cmds

    monkeypatch.setattr(records_cmds, "_questions", lambda batch: None if batch else records_cmds._Prompt())
    a = make_text(tmp_path / "甲.txt", "通知")
    assert cli(arch.root, "add", str(a), "--code", "F-4").exit_code == 0
    copy = tmp_path / "甲副本.txt"
    copy.write_bytes(a.read_bytes())
    new = make_text(tmp_path / "乙.txt", "纪要")
    runner = CliRunner()
    res = runner.invoke(main, ["--archive", str(arch.root), "add", str(copy), str(new), "--code", "F-4"], input="0\n")
    assert res.exit_code == 1 and "1 跳过重复" in res.output and "2 仍然归档" in res.output and "已取消" in res.output
    assert len(filing.list_records(arch)) == 1
    res = runner.invoke(main, ["--archive", str(arch.root), "add", str(copy), str(new), "--code", "F-4"], input="2\n")
    assert res.exit_code == 0, res.output
    assert len(filing.list_records(arch)) == 3


def test_a_folder_holding_the_archive_skips_its_files_and_a_folder_link_is_refused(arch, tmp_path: Path) -> None:
    make_text(tmp_path / "收件" / "通知.txt", "通知")
    make_text(arch.root / "放错了.txt", "误放在档案里")
    result = intake.intake(arch, [tmp_path], DRAFT)  # tmp_path holds the archive folder too
    assert [Path(o.path).name for o in result.filed] == ["通知.txt"]
    assert result.skipped["archive"] >= 2 and "档案自身的文件" in result.skipped_text()
    link = tmp_path / "快捷方式"
    os.symlink(tmp_path / "收件", link)
    [o] = intake.intake(arch, [link], DRAFT).outcomes
    assert o.status == REFUSED and "指向文件夹的快捷方式" in o.reason


# ---------------------------------------------------------------- found by the hostile review (review11)


def test_a_file_of_the_archive_named_directly_is_refused(arch, tmp_path: Path) -> None:
    """A folder holding the archive skips its files; naming one of them directly (a record's own
    file, the settings file) must not file the archive into itself either."""
    [done] = intake.intake(arch, [make_text(tmp_path / "通知.txt", "通知")], DRAFT).filed
    own = arch.root / done.record.files[0].path
    settings = next(arch.root.glob("*.toml"))
    result = intake.intake(arch, [own, settings], DRAFT, policy=Policy(duplicates=FILE, bad_photos=FILE))
    assert [o.status for o in result.outcomes] == [REFUSED, REFUSED], result.outcomes
    assert all("档案自身的文件" in o.reason and Path(o.path).name in o.reason for o in result.outcomes)
    assert len(filing.list_records(arch)) == 1


def test_a_fifo_in_a_folder_is_listed_with_its_reason_not_dropped(arch, tmp_path: Path) -> None:
    from jiaarchive.errors import UnreadableFile
    from jiaarchive.inbox.walk import Staging, walk

    pile = tmp_path / "堆"
    make_text(pile / "甲.txt", "甲")
    os.mkfifo(pile / "管道")
    result = intake.intake(arch, [pile], DRAFT)
    by = {Path(o.path).name: o for o in result.outcomes}
    assert by["甲.txt"].status == FILED
    assert by["管道"].status == REFUSED and "命名管道" in by["管道"].reason and "管道" in by["管道"].reason
    with Staging() as staging:  # the inbox lists it too, and never opens it (that would block)
        [item] = [i for i in walk(pile, staging).items if i.name == "管道"]
        assert item.path is None and "命名管道" in item.refusal
        with pytest.raises(UnreadableFile, match="命名管道"):  # the pile named is a FIFO: not “找不到”
            walk(pile / "管道", staging)


def test_a_damaged_word_file_is_filed_like_any_damaged_document_not_opened_as_a_zip(arch, tmp_path: Path) -> None:
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"PK\x03\x04" + b"garbage" * 20)
    [o] = intake.intake(arch, [bad], DRAFT).outcomes
    assert o.status == FILED, o.reason
    assert o.path == str(bad)
    from jiaarchive.inbox import Staging, propose_pile

    with Staging() as staging:  # the inbox flags it as damaged, as it did when it opened it as a zip
        [f] = propose_pile(arch, bad, staging).files
    assert "unreadable" in f.flags and "已损坏" in f.notes[0] and "坏.docx" in f.notes[0]


def test_cli_ctrl_c_mid_batch_finishes_the_file_in_hand_and_says_what_was_filed(arch, tmp_path: Path,
                                                                               monkeypatch) -> None:
    """Ctrl-C between files used to print only 已取消。 although files were filed: now the file in
    hand is finished, the rest left, and the list says which is which (exit 1)."""
    import signal

    from jiaarchive.filing import records

    pile = tmp_path / "堆"
    for n in "甲乙丙":
        make_text(pile / f"{n}.txt", f"{n}通知")
    real = records.file_document
    calls = []

    def interrupted_during_the_first(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        if len(calls) == 1:
            os.kill(os.getpid(), signal.SIGINT)  # the clerk presses Ctrl-C while the first is being filed
        return real(*args, **kwargs)

    monkeypatch.setattr(records, "file_document", interrupted_during_the_first)
    before = signal.getsignal(signal.SIGINT)
    res = cli(arch.root, "add", str(pile), "--code", "F-4", "--batch")
    assert signal.getsignal(signal.SIGINT) is before
    assert res.exit_code == 1, res.output
    assert res.stdout.count("已归档  F-4·") == 1 and "丙" in res.stdout  # files go in name order: 丙 乙 甲
    assert "未处理" in res.stderr and "乙.txt" in res.stderr and "甲.txt" in res.stderr
    assert "其余已取消" in res.stderr
    assert len(filing.list_records(arch)) == 1


def test_attach_with_skip_duplicates_attaches_the_rest(arch, tmp_path: Path) -> None:
    """Review 11: ``attach N folder --skip-duplicates`` attached nothing when the folder held one
    duplicate (skipping it on purpose blocked the others); a refused file still blocks them all."""
    first = make_text(tmp_path / "纪要.txt", "会议纪要")
    rec = intake.intake(arch, [first], DRAFT).records[0]
    folder = tmp_path / "补充"
    (folder).mkdir()
    (folder / "纪要副本.txt").write_bytes(first.read_bytes())
    make_text(folder / "签到表.txt", "签到表")
    res = cli(arch.root, "attach", rec.archive_no, str(folder), "--skip-duplicates")
    assert res.exit_code == 0, res.output
    assert "重复，未归档" in res.output
    assert sorted(f.original_name for f in filing.get_record(arch, rec.id).files) == ["签到表.txt", "纪要.txt"]
    # the clerk's answer at the question is as deliberate as the flag
    make_text(folder / "照片说明.txt", "说明")
    result = intake.attach(arch, rec.archive_no, [folder], questions=Recorder(SKIP_DUPLICATES))
    assert [o.status for o in result.outcomes].count(FILED) == 1
    (folder / "空.txt").write_bytes(b"")  # a refusal still blocks the whole attach
    make_text(folder / "又一份.txt", "又一份")
    result = intake.attach(arch, rec.archive_no, [folder], policy=Policy(duplicates=SKIP))
    assert not result.filed and len(filing.get_record(arch, rec.id).files) == 3


def test_filing_plain_files_leaves_no_temporary_folder_behind(arch, tmp_path: Path, monkeypatch) -> None:
    """Review 11: every run made an empty jiaarchive-inbox-* folder in the system's temp folder,
    left there whenever the run did not finish (a killed process, a question left open in the TUI)."""
    import tempfile

    temp = tmp_path / "系统临时"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    checked = intake.check_paths(arch, [make_text(tmp_path / "a.txt", "甲")], DRAFT)
    assert list(temp.iterdir()) == []  # nothing made, so nothing to leave behind
    intake.file(arch, checked)
    z = tmp_path / "包.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("乙.txt", "乙")
    assert intake.intake(arch, [z], DRAFT).filed and list(temp.iterdir()) == []  # a zip's staging is removed


def test_cli_enter_at_the_question_never_files_a_bad_photo(arch, tmp_path: Path, monkeypatch) -> None:
    """Review 11: with a duplicate and a damaged photo in one batch the default answer (Enter) was
    跳过重复, which files the damaged photo; now Enter skips both."""
    from jiaarchive.cli import records_cmds

    monkeypatch.setattr(records_cmds, "_questions", lambda batch: records_cmds._Prompt())
    a = make_text(tmp_path / "甲.txt", "通知")
    assert cli(arch.root, "add", str(a), "--code", "F-4").exit_code == 0
    pile = tmp_path / "堆"
    pile.mkdir()
    (pile / "甲副本.txt").write_bytes(a.read_bytes())
    broken_jpeg(pile / "现场.jpg")
    make_text(pile / "乙.txt", "纪要")
    res = CliRunner().invoke(main, ["--archive", str(arch.root), "add", str(pile), "--code", "F-4"], input="\n")
    assert "[2]" in res.output, res.output  # the default shown is 跳过有问题的文件
    assert res.exit_code == 1 and sorted(v.title for v in filing.list_records(arch)) == ["乙", "甲"]
