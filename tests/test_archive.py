"""The archive core: init, filing, numbering, edit/rm/restore, bad input, verify, audit log."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest

from jiaarchive import filing, fixity, storage
from jiaarchive.archive import init_archive, open_archive
from jiaarchive.errors import (
    ArchiveExists,
    ArchiveNotFound,
    BadValue,
    CodeNotApplicable,
    DiskFull,
    DuplicateFile,
    RecordNotFound,
    UnknownCode,
    UnreadableFile,
)
from jiaarchive.filing import Draft

from .helpers import make_docx, make_jpeg, make_text


@pytest.fixture
def arch(tmp_path: Path, db_url: str):
    """An archive on each backend: SQLite inside the folder, and a shared PostgreSQL database."""
    a = init_archive(tmp_path / "档案", unit="测试中学工会", unit_type="事业单位", database_url=db_url)
    yield a
    a.close()


def snapshot_tree(root: Path) -> dict[str, bytes]:
    out = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if rel.startswith(".jiaarchive"):
            continue
        out[rel] = p.read_bytes() if p.is_file() else b"<dir>"
    return out


def test_init_creates_entry_folders_and_leaves_out_inapplicable(arch) -> None:
    names = {p.relative_to(arch.root).as_posix() for p in arch.root.rglob("*") if p.is_dir()}
    assert "A 效益（绩效）之家/A-1 劳动竞赛、技术革新资料" in names
    # a 事业单位 keeps no 集体合同 entry (catalogue note 2)
    assert not any("B-2 " in n for n in names)
    assert (arch.root / "jiaarchive.toml").is_file()
    # the records are in the archive's own SQLite file, or only on the shared server
    assert (arch.root / ".jiaarchive" / "archive.db").is_file() != arch.shared
    with pytest.raises(ArchiveExists):
        init_archive(arch.root, unit="x", unit_type="事业单位")


def test_init_enterprise_keeps_collective_contract(tmp_path: Path) -> None:
    with init_archive(tmp_path / "a", unit="某公司工会", unit_type="公有制企业") as a:
        assert "B-2" in {e.code for e in a.entries()}


def test_init_rejects_bad_type(tmp_path: Path) -> None:
    with pytest.raises(BadValue, match="单位类型"):
        init_archive(tmp_path / "a", unit="x", unit_type="外企")


def test_find_archive_from_subfolder_and_env(arch, monkeypatch, tmp_path) -> None:
    sub = arch.root / "A 效益（绩效）之家"
    with open_archive(start=sub) as a:
        assert a.root == arch.root
    monkeypatch.setenv("JIAARCHIVE", str(arch.root))
    with open_archive(start=tmp_path) as a:
        assert a.root == arch.root
    monkeypatch.delenv("JIAARCHIVE")
    with pytest.raises(ArchiveNotFound):
        open_archive(start=tmp_path)


def test_file_copies_names_and_numbers(arch, tmp_path: Path) -> None:
    src = make_docx(tmp_path / "in" / "2021年5月1日 劳动竞赛方案.docx", "劳动竞赛方案正文")
    before = src.read_bytes(), src.stat().st_mtime_ns
    v = filing.file_document(arch, [src], Draft(code="A-1"))
    assert v.archive_no == "A-1·2021-D30-0001"
    assert v.title == "劳动竞赛方案"
    assert v.date == date(2021, 5, 1) and v.date_source == "filename"
    f = v.files[0]
    assert f.path == "A 效益（绩效）之家/A-1 劳动竞赛、技术革新资料/2021/2021-05-01 劳动竞赛方案.docx"
    assert (arch.root / f.path).read_bytes() == before[0]
    assert f.original_name == "2021年5月1日 劳动竞赛方案.docx"
    assert f.kind == "docx" and len(f.sha256) == 64
    # the original is untouched and still there
    assert src.read_bytes() == before[0] and src.stat().st_mtime_ns == before[1]
    v2 = filing.file_document(arch, [make_text(tmp_path / "in" / "b.txt", "第二件")], Draft(code="A-1", title="竞赛总结", date=date(2021, 6, 1)))
    assert v2.archive_no == "A-1·2021-D30-0002"
    v3 = filing.file_document(arch, [make_text(tmp_path / "in" / "c.txt", "第三件")], Draft(code="A-1", title="x", date=date(2020, 6, 1)))
    assert v3.archive_no == "A-1·2020-D30-0001"


def test_title_from_docx_properties_and_photo_exif_date(arch, tmp_path: Path) -> None:
    src = make_docx(tmp_path / "doc1.docx", "正文", title="关于开展读书月活动的通知", created=datetime(2020, 4, 2, 8))
    v = filing.file_document(arch, [src], Draft(code="D-2"))
    assert v.title == "关于开展读书月活动的通知" and v.date == date(2020, 4, 2)
    p = make_jpeg(tmp_path / "IMG_2041.jpg", taken=datetime(2019, 10, 12, 9, 30))
    v = filing.file_document(arch, [p], Draft(code="D-5"))
    assert v.date == date(2019, 10, 12) and v.date_source == "exif" and v.year == 2019
    assert v.title == "照片"


def test_duplicate_refused_with_existing_number(arch, tmp_path: Path) -> None:
    a = make_text(tmp_path / "a.txt", "同样的内容")
    b = make_text(tmp_path / "b.txt", "同样的内容")
    v = filing.file_document(arch, [a], Draft(code="F-6", title="简报", date=date(2021, 1, 5)))
    with pytest.raises(DuplicateFile) as exc:
        filing.file_document(arch, [b], Draft(code="F-6", title="简报二", date=date(2021, 1, 6)))
    assert v.archive_no in str(exc.value)
    v2 = filing.file_document(arch, [b], Draft(code="F-6", title="简报二", date=date(2021, 1, 6)), allow_duplicate=True)
    assert v2.archive_no != v.archive_no


@pytest.mark.parametrize(
    "title, message",
    [("a/b", "“/”"), ("..", "“..”"), ("第一行\n第二行", "控制字符"), ("", "不能为空"), ("长" * 200, "过长")],
)
def test_bad_titles_leave_archive_unchanged(arch, tmp_path: Path, title: str, message: str) -> None:
    src = make_text(tmp_path / "x.txt", "内容")
    before = snapshot_tree(arch.root)
    with pytest.raises(BadValue, match=message):
        filing.file_document(arch, [src], Draft(code="A-1", title=title))
    assert snapshot_tree(arch.root) == before
    assert filing.list_records(arch) == []


def test_bad_inputs(arch, tmp_path: Path) -> None:
    empty = tmp_path / "空.docx"
    empty.write_bytes(b"")
    before = snapshot_tree(arch.root)
    with pytest.raises(UnreadableFile, match="0 字节") as e:
        filing.file_document(arch, [empty], Draft(code="A-1"))
    assert "空.docx" in str(e.value)
    with pytest.raises(UnreadableFile, match="找不到"):
        filing.file_document(arch, [tmp_path / "没有.pdf"], Draft(code="A-1"))
    with pytest.raises(UnreadableFile, match="文件夹"):
        filing.file_document(arch, [tmp_path], Draft(code="A-1"))
    ok = make_text(tmp_path / "ok.txt", "x")
    with pytest.raises(UnknownCode):
        filing.file_document(arch, [ok], Draft(code="Z-9"))
    with pytest.raises(CodeNotApplicable):
        filing.file_document(arch, [ok], Draft(code="B-2"))
    with pytest.raises(BadValue, match="第 99 项"):
        filing.file_document(arch, [ok], Draft(code="A-1", items=(99,)))
    # one bad file in a batch files none
    with pytest.raises(UnreadableFile):
        filing.file_each(arch, [ok, empty], Draft(code="A-1"))
    assert snapshot_tree(arch.root) == before
    assert filing.list_records(arch) == []


@pytest.mark.skipif(os.name != "posix", reason="byte file names are a POSIX thing")
def test_gbk_file_name_is_decoded(arch, tmp_path: Path) -> None:
    raw = os.fsencode(str(tmp_path)) + b"/" + "工会会议纪要.txt".encode("gbk")
    with open(raw, "wb") as fh:
        fh.write("会议纪要".encode("gbk"))
    path = Path(os.fsdecode(raw))
    v = filing.file_document(arch, [path], Draft(code="F-6", date=date(2021, 3, 3)))
    assert v.files[0].original_name == "工会会议纪要.txt"
    assert v.title == "工会会议纪要"


def test_hostile_names_and_path_length(arch, tmp_path: Path) -> None:
    src = make_text(tmp_path / ("很长的文件名" * 13 + ".txt"), "内容")
    v = filing.file_document(arch, [src], Draft(code="A-4"))
    assert storage.utf16_len(v.files[0].path) <= storage.MAX_RELATIVE_PATH
    odd = make_text(tmp_path / 'CON:a*b?"c<d>|e.txt', "x2")
    v = filing.file_document(arch, [odd], Draft(code="A-4", date=date(2021, 1, 1)))
    name = v.files[0].name
    assert not set('*?"<>|:') & set(name)


def test_edit_refile_moves_file_and_keeps_history(arch, tmp_path: Path) -> None:
    v = filing.file_document(arch, [make_text(tmp_path / "a.txt", "内容A")], Draft(code="A-1", title="方案", date=date(2021, 5, 1)))
    old_path = v.files[0].path
    v2 = filing.edit_record(arch, v.archive_no, code="A-2", title="合理化建议方案")
    assert v2.archive_no == "A-2·2021-D30-0001"
    assert v2.former_archive_nos == (v.archive_no,)
    assert not (arch.root / old_path).exists()
    assert (arch.root / v2.files[0].path).read_text(encoding="utf-8") == "内容A"
    assert v2.files[0].path.startswith("A 效益（绩效）之家/A-2 合理化建议活动资料/2021/2021-05-01 合理化建议方案")
    # the old number still finds it; numbers are never reused
    assert filing.get_record(arch, v.archive_no).id == v.id
    v3 = filing.file_document(arch, [make_text(tmp_path / "b.txt", "内容B")], Draft(code="A-1", title="新", date=date(2021, 6, 1)))
    assert v3.archive_no == "A-1·2021-D30-0002"
    # plain field edit keeps the number
    v4 = filing.edit_record(arch, v2.archive_no, doc_no="渝工组〔2008〕28号", remarks="补")
    assert v4.archive_no == v2.archive_no and v4.doc_no == "渝工组〔2008〕28号"
    with arch.session() as s:
        from jiaarchive import audit

        log = audit.read(s, limit=None)
    actions = [e.action for e in log]
    assert actions.count("refile") == 1 and "edit" in actions
    refile = next(e for e in log if e.action == "refile")
    assert refile.before["code"] == "A-1" and refile.after["code"] == "A-2"


def test_rm_and_restore(arch, tmp_path: Path) -> None:
    v = filing.file_document(arch, [make_text(tmp_path / "a.txt", "内容")], Draft(code="C-4", title="慰问名单", date=date(2020, 1, 20)))
    path = v.files[0].path
    t = filing.trash_record(arch, v.archive_no)
    assert t.trashed and t.files[0].path.startswith("回收站/")
    assert not (arch.root / path).exists() and (arch.root / t.files[0].path).is_file()
    assert filing.list_records(arch) == []
    assert [r.archive_no for r in filing.list_records(arch, status="trashed")] == [v.archive_no]
    r = filing.restore_record(arch, v.archive_no)
    assert r.files[0].path == path and (arch.root / path).is_file()
    assert not any((arch.root / "回收站").iterdir())
    with pytest.raises(BadValue):
        filing.restore_record(arch, v.archive_no)
    with pytest.raises(RecordNotFound):
        filing.trash_record(arch, "A-9·2000-Y-0001")


def test_verify_finds_missing_modified_unregistered(arch, tmp_path: Path) -> None:
    v1 = filing.file_document(arch, [make_text(tmp_path / "a.txt", "一")], Draft(code="F-6", title="甲", date=date(2021, 1, 1)))
    v2 = filing.file_document(arch, [make_text(tmp_path / "b.txt", "二")], Draft(code="F-6", title="乙", date=date(2021, 1, 2)))
    assert fixity.verify(arch).ok
    (arch.root / v1.files[0].path).unlink()
    (arch.root / v2.files[0].path).write_text("二改", encoding="utf-8")
    (arch.root / "F 自身建设" / "多余.txt").write_text("?", encoding="utf-8")
    res = fixity.verify(arch)
    kinds = sorted(p.kind for p in res.problems)
    assert kinds == ["missing", "modified", "unregistered"]


class Crash(BaseException):
    """A simulated crash: bypasses every except-Exception clean-up, as a power cut would."""


FILE_POINTS = ["file.after_journal", "copy.before_fsync", "file.after_copy", "file.before_commit", "file.after_commit", "move.after_one"]


@pytest.mark.parametrize("point", FILE_POINTS)
def test_crash_while_filing_recovers(tmp_path: Path, point: str, monkeypatch) -> None:
    root = tmp_path / "a"
    init_archive(root, unit="u", unit_type="事业单位").close()
    src = make_text(tmp_path / "doc.txt", "重要文件")

    def hook(p: str) -> None:
        if p == point:
            raise Crash(p)

    monkeypatch.setattr(storage, "fault_hook", hook)
    a = open_archive(root)
    with pytest.raises(Crash):
        filing.file_document(a, [src], Draft(code="A-1", title="文件", date=date(2021, 1, 1)))
    a.close()
    monkeypatch.setattr(storage, "fault_hook", None)
    with open_archive(root) as a:  # opening runs recovery
        recs = filing.list_records(a)
        committed = point in ("file.after_commit", "move.after_one")
        assert len(recs) == (1 if committed else 0)
        if committed:
            assert (root / recs[0].files[0].path).read_text(encoding="utf-8") == "重要文件"
        assert fixity.verify(a).ok, fixity.verify(a).problems
        assert not list((root / ".jiaarchive" / "journal").glob("*"))
        assert not list((root / ".jiaarchive" / "tmp").glob("*"))
        # filing works again afterwards
        filing.file_document(a, [src], Draft(code="A-1", title="文件", date=date(2021, 1, 1)), allow_duplicate=True)


@pytest.mark.parametrize("point", ["edit.before_commit", "edit.after_commit", "trash.before_commit", "trash.after_commit", "move.after_one"])
def test_crash_while_moving_recovers(tmp_path: Path, point: str, monkeypatch) -> None:
    root = tmp_path / "a"
    with init_archive(root, unit="u", unit_type="事业单位") as a:
        v = filing.file_document(a, [make_text(tmp_path / "d.txt", "内容")], Draft(code="A-1", title="文件", date=date(2021, 1, 1)))

    def hook(p: str) -> None:
        if p == point:
            raise Crash(p)

    monkeypatch.setattr(storage, "fault_hook", hook)
    a = open_archive(root)
    with pytest.raises(Crash):
        if point.startswith("trash"):
            filing.trash_record(a, v.archive_no)
        else:
            filing.edit_record(a, v.archive_no, code="A-3")
    a.close()
    monkeypatch.setattr(storage, "fault_hook", None)
    with open_archive(root) as a:
        assert fixity.verify(a).ok, fixity.verify(a).problems
        rec = filing.get_record(a, v.id)
        assert (root / rec.files[0].path).read_text(encoding="utf-8") == "内容"


def test_failed_copy_cleans_up_at_once(arch, tmp_path: Path, monkeypatch) -> None:
    src = make_text(tmp_path / "a.txt", "内容")

    def hook(p: str) -> None:
        if p == "copy.before_fsync":
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage, "fault_hook", hook)
    with pytest.raises(DiskFull, match="磁盘空间不足：需要约 6 字节"):  # a full disk is one Chinese sentence
        filing.file_document(arch, [src], Draft(code="A-1", title="t", date=date(2021, 1, 1)))
    assert not list((arch.root / ".jiaarchive" / "tmp").glob("*"))
    assert not list((arch.root / ".jiaarchive" / "journal").glob("*"))
    assert filing.list_records(arch) == []


def test_archive_number_pattern_is_a_setting(tmp_path: Path) -> None:
    from jiaarchive import settings

    root = tmp_path / "a"
    init_archive(root, unit="u", unit_type="事业单位").close()
    st = settings.read(root)
    settings.write(root, st.with_(archive_no_pattern="{year}-{code}-{seq:03d}"))
    with open_archive(root) as a:
        v = filing.file_document(a, [make_text(tmp_path / "x.txt", "x")], Draft(code="E-2", title="t", date=date(2020, 6, 1)))
        assert v.archive_no == "2020-E-2-001"


def test_together_and_attach(arch, tmp_path: Path) -> None:
    a = make_text(tmp_path / "纪要.txt", "会议纪要")
    b = make_jpeg(tmp_path / "会场.jpg")
    v = filing.file_document(arch, [a, b], Draft(code="B-1", title="教代会", date=date(2021, 3, 20)))
    assert len(v.files) == 2 and v.files[1].path.endswith("教代会（附1）.jpg")
    c = make_text(tmp_path / "签到.txt", "签到表")
    v = filing.attach_files(arch, v.archive_no, [c])
    assert len(v.files) == 3


def test_ls_filters(arch, tmp_path: Path) -> None:
    filing.file_document(arch, [make_text(tmp_path / "1.txt", "1")], Draft(code="A-1", title="竞赛方案", date=date(2020, 1, 1), tags=("竞赛",), items=(7,)))
    filing.file_document(arch, [make_text(tmp_path / "2.txt", "2")], Draft(code="A-2", title="建议汇编", date=date(2021, 1, 1)))
    filing.file_document(arch, [make_text(tmp_path / "3.txt", "3")], Draft(code="D-5", title="运动会", date=date(2021, 1, 1)))
    assert len(filing.list_records(arch, code="A")) == 2
    assert len(filing.list_records(arch, code="A-1")) == 1
    assert len(filing.list_records(arch, year=2021)) == 2
    assert len(filing.list_records(arch, year=(2020, 2021))) == 3
    assert [r.title for r in filing.list_records(arch, item=7)] == ["竞赛方案"]
    assert [r.title for r in filing.list_records(arch, tag="竞赛")] == ["竞赛方案"]
    assert [r.title for r in filing.list_records(arch, text="建议")] == ["建议汇编"]


def test_export_folder_is_not_unregistered(arch) -> None:
    from jiaarchive.settings import EXPORT_DIR

    (arch.root / EXPORT_DIR).mkdir()
    (arch.root / EXPORT_DIR / "迎检报告.html").write_text("<html></html>", encoding="utf-8")
    assert fixity.verify(arch).ok


def test_file_each_reports_what_it_filed_before_a_later_failure(arch, tmp_path: Path, monkeypatch) -> None:
    srcs = [make_text(tmp_path / f"{i}.txt", f"内容{i}") for i in range(3)]
    real = filing.file_document
    calls = []

    def flaky(*a, **k):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("磁盘已满")
        return real(*a, **k)
    monkeypatch.setattr(filing, "file_document", flaky)
    filed: list = []
    with pytest.raises(OSError):
        filing.file_each(arch, srcs, Draft(code="F-6", date=date(2021, 1, 1)), filed=filed)
    assert len(filed) == 1 and filing.get_record(arch, filed[0].archive_no).title == "0"
