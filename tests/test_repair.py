"""The database can be lost without losing the archive: the plain-file metadata log, `repair`, backups."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from jiaarchive import backups, filing, metalog
from jiaarchive.archive import init_archive, open_archive
from jiaarchive.errors import DatabaseBehind, DatabaseMissing
from jiaarchive.photos.label import PhotoLabel
from jiaarchive.photos.records import label_photo, list_photos

from .helpers import crash_while_filing, make_jpeg, make_text
from .procs import assert_clean, cli, here, listing

DB = Path(".jiaarchive/archive.db")


@pytest.fixture
def full(tmp_path: Path) -> Path:
    """An archive with every kind of metadata: records, a refiled one (two 档号), a trashed one,
    tags and item links, a labelled photo, the unit profile and a score."""
    from jiaarchive.coverage import profile, scores

    root = tmp_path / "档案"
    with init_archive(root, unit="修复测试工会", unit_type="事业单位") as a:
        d = filing.Draft
        filing.file_document(a, [make_text(tmp_path / "1.txt", "一")], d(code="A-1", title="竞赛方案", date=date(2021, 3, 1), tags=("竞赛",), items=(7,)))
        v = filing.file_document(a, [make_text(tmp_path / "2.txt", "二")], d(code="A-1", title="要改档的", date=date(2021, 4, 1)))
        filing.edit_record(a, v.archive_no, code="A-2", doc_no="渝工〔2021〕1号")
        t = filing.file_document(a, [make_text(tmp_path / "3.txt", "三")], d(code="B-1", title="要删除的", date=date(2020, 1, 1)))
        filing.trash_record(a, t.archive_no)
        p = filing.file_document(a, [make_jpeg(tmp_path / "p.jpg", taken=datetime(2021, 6, 1, 9, 0))], d(code="D-5", title="运动会"))
        [photo] = list_photos(a, record_id=p.id)
        label_photo(a, photo.file_id, PhotoLabel(datetime(2021, 6, 1, 9, 0), "教职工运动会开幕", "操场", None, "王老师"))
        profile.set_facts(a, {"employees": "120", "members": "118"})
        scores.set_score(a, 14, scores.SELF, 5, "有会议记录")
    return root


def _numbers(root: Path) -> list[str]:
    rc, out, _ = here(root, "ls", "--json")
    return [r["archive_no"] for r in json.loads(out)]


@pytest.mark.parametrize("damage", ["delete", "corrupt"])
def test_repair_brings_back_everything(full: Path, tmp_path: Path, damage: str) -> None:
    before = listing(full)
    _rc, profile_before, _ = here(full, "profile", "show", "--json")
    db = full / DB
    if damage == "delete":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    else:
        with open(db, "r+b") as fh:  # pages of the tables overwritten, the header kept
            fh.seek(4096)
            fh.write(b"\xde\xad\xbe\xef" * 2048)
    for cmd in (("ls",), ("add", str(make_text(tmp_path / "新.txt", "新")), "--code", "A-1")):
        rc, out, err = cli(full, *cmd)
        assert rc == 1 and "jiaarchive repair" in err and "内部错误" not in err, (cmd, out, err)
    assert db.exists() == (damage == "corrupt")  # no empty database was made in its place
    rc, out, err = cli(full, "repair")
    assert rc == 0, err
    assert "纯文本元数据日志" in out and "4 件记录" in out
    assert listing(full) == before  # every record, 档号, former 档号, file, link and history entry
    assert here(full, "profile", "show", "--json")[1] == profile_before
    with open_archive(full, read_only=True) as a:  # the score is back too
        from jiaarchive.coverage import scores

        [score] = scores.read_all(a, a.scoresheet.id).values()
        assert (score.item_no, score.score, score.remark) == (14, 5, "有会议记录")
    rc, out, err = here(full, "add", str(make_text(tmp_path / "后来的.txt", "后")), "--code", "A-1", "--date", "2021-09-01")
    assert rc == 0 and "A-1·2021-D30-0003" in out, out + err  # past every number ever issued in A-1/2021
    assert_clean(full, here)
    assert damage == "delete" or list((full / ".jiaarchive" / "damaged").iterdir())  # kept, not deleted


def test_repair_of_a_sound_database_changes_nothing(full: Path) -> None:
    rc, out, _ = cli(full, "repair")
    assert rc == 0 and "无需修复" in out


def test_a_database_older_than_the_log_is_refused_then_repaired(full: Path, tmp_path: Path) -> None:
    """A clerk puts back last week's copy of archive.db: writing on would issue 档号 twice."""
    old = tmp_path / "old.db"
    shutil.copy(full / DB, old)
    with open_archive(full) as a:
        filing.file_document(a, [make_text(tmp_path / "x.txt", "x")], filing.Draft(code="A-1", title="后归档", date=date(2021, 5, 1)))
    for suffix in ("-wal", "-shm"):
        Path(f"{full / DB}{suffix}").unlink(missing_ok=True)
    shutil.copy(old, full / DB)
    with pytest.raises(DatabaseBehind, match="jiaarchive repair"):
        open_archive(full)
    rc, out, err = cli(full, "repair")
    assert rc == 0 and "数据库比元数据日志旧" in out, err
    assert "A-1·2021-D30-0003" in _numbers(full)  # the filing the old copy lacked is back


def test_repair_falls_back_to_the_newest_backup(tmp_path: Path) -> None:
    """An archive whose log is gone: the automatic copy of the database is used, and said."""
    root = tmp_path / "a"
    with init_archive(root, unit="u", unit_type="事业单位") as a:
        filing.file_document(a, [make_text(tmp_path / "1.txt", "1")], filing.Draft(code="A-1", title="备份里有", date=date(2021, 1, 1)))
    with open_archive(root) as a:  # a writable open takes the day's copy
        assert backups.list_backups(root)
    shutil.rmtree(root / ".jiaarchive" / "metadata")
    (root / DB).unlink()
    rc, out, err = cli(root, "repair")
    assert rc == 0 and "自动备份 archive-" in out, out + err
    assert _numbers(root) == ["A-1·2021-D30-0001"]
    assert metalog.read(root).usable  # the log is written again
    assert_clean(root, here)


def test_existing_archive_gets_its_metadata_on_first_writable_open(tmp_path: Path) -> None:
    """Archives made before the log (the committed sample archive was one) get a full export."""
    root = tmp_path / "a"
    with init_archive(root, unit="u", unit_type="事业单位") as a:
        v = filing.file_document(a, [make_text(tmp_path / "1.txt", "1")], filing.Draft(code="A-1", title="旧档案", date=date(2021, 1, 1)))
    shutil.rmtree(root / ".jiaarchive" / "metadata")
    with open_archive(root, read_only=True) as a:
        assert not metalog.read(root).usable  # a reading open writes nothing
    with open_archive(root) as a:
        assert any("纯文本元数据" in n for n in a.notices)
    state = metalog.read(root)
    assert state.usable and state.records[v.id]["files"][0]["sha256"] == v.files[0].sha256


def test_log_survives_a_crash_mid_append(tmp_path: Path, monkeypatch) -> None:
    """A line torn by a crash is cut by the next append; a commit whose line never got written is
    caught up by the next writable open (the database decides while it exists)."""
    root = tmp_path / "a"
    init_archive(root, unit="u", unit_type="事业单位").close()

    def torn() -> None:
        with open(metalog.log_path(root), "ab") as fh:
            fh.write(b'{"format": "jiaarchive-metadata/1", "audit_to": 9')  # half a line

    crash_while_filing(root, make_text(tmp_path / "1.txt", "1"), filing.Draft(code="A-1", title="崩溃时", date=date(2021, 1, 1)),
                       monkeypatch, "metalog.before_write", before=torn)
    with open_archive(root) as a:
        assert [r.title for r in filing.list_records(a)] == ["崩溃时"]
    state = metalog.read(root)
    assert state.bad_lines == 0 and [r["title"] for r in state.records.values()] == ["崩溃时"]
    assert_clean(root, here)


def test_repair_refuses_paths_leading_outside_from_a_crafted_log(full: Path, tmp_path: Path) -> None:
    log = metalog.log_path(full)
    lines = log.read_text(encoding="utf-8").splitlines()
    data = json.loads(lines[-1])
    bad = json.loads(json.dumps(next(json.loads(x) for x in lines if '"records": [{' in x)["records"][0]))
    bad["id"], bad["archive_no"] = 999, "X-1"
    bad["numbers"] = [dict(bad["numbers"][0], archive_no="X-1", record_id=999)]
    bad["files"] = [dict(bad["files"][0], id=999, record_id=999, path="../../etc/passwd", home_path="../../etc/passwd")]
    data.update(records=[bad], audit=[])
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(data, ensure_ascii=False) + "\n")
    (full / DB).unlink()
    rc, out, err = cli(full, "repair")
    assert rc == 0 and "略去" in out and "X-1" in out, out + err
    assert "X-1" not in _numbers(full)


def test_repair_refuses_while_the_archive_is_open(full: Path) -> None:
    with open_archive(full):
        rc, out, err = cli(full, "repair", "--force")
    assert rc == 1 and "请先关闭" in err


def test_opening_never_creates_an_empty_database(tmp_path: Path) -> None:
    root = tmp_path / "a"
    init_archive(root, unit="u", unit_type="事业单位").close()
    (root / DB).unlink()
    with pytest.raises(DatabaseMissing, match="jiaarchive repair"):
        open_archive(root)
    (root / DB).write_bytes(b"")  # an empty file is no database either
    with pytest.raises(DatabaseMissing, match="已损坏"):
        open_archive(root, read_only=True)
