"""The search index kept in step with filing: add/edit/rm/restore, crashes, two writers, rebuild."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from jiaarchive import filing, indexing, storage
from jiaarchive.archive import init_archive, open_archive
from jiaarchive.cli import main
from jiaarchive.filing import Draft

from .helpers import make_docx, make_text


@pytest.fixture
def arch(tmp_path: Path):
    a = init_archive(tmp_path / "档案", unit="测试学校工会", unit_type="事业单位")
    yield a
    a.close()


def found(a, query: str, **kw) -> list[str]:
    return [h.archive_no for h in indexing.search(a, query, **kw).hits]


def test_index_follows_add_edit_rm_restore(arch, tmp_path: Path) -> None:
    v = filing.file_document(arch, [make_docx(tmp_path / "a.docx", "本次职工代表大会审议通过了集体合同草案。")],
                             Draft(code="B-1", title="会议决议", date=date(2020, 3, 1), doc_no="渝测工〔2020〕28号"))
    assert found(arch, "集体合同") == [v.archive_no]
    assert found(arch, "职代会") == [v.archive_no]  # synonym of 职工代表大会
    assert found(arch, "28号") == [v.archive_no]
    assert found(arch, "128号") == []
    v2 = filing.edit_record(arch, v.archive_no, title="教代会决议（修订）", code="B-3")
    assert found(arch, "修订") == [v2.archive_no]
    hit = indexing.search(arch, "集体合同").hits[0]
    assert hit.path == v2.files[0].path and hit.code == "B-3"
    filing.trash_record(arch, v2.archive_no)
    assert found(arch, "集体合同") == []
    assert found(arch, "集体合同", include_trashed=True) == [v2.archive_no]
    filing.restore_record(arch, v2.archive_no)
    assert found(arch, "集体合同") == [v2.archive_no]
    assert indexing.check(arch).ok


def test_identifiers_and_fields(arch, tmp_path: Path) -> None:
    a = filing.file_document(arch, [make_text(tmp_path / "a.txt", "劳动竞赛方案")], Draft(code="A-1", title="竞赛方案", date=date(2021, 4, 1)))
    filing.file_document(arch, [make_text(tmp_path / "b.txt", "五小活动")], Draft(code="A-2", title="五小活动", date=date(2021, 4, 2)))
    assert found(arch, a.archive_no) == [a.archive_no]
    assert found(arch, "A-1") == [a.archive_no]
    assert found(arch, "code:A-1") == [a.archive_no]
    assert sorted(found(arch, "year:2021")) == sorted([a.archive_no, found(arch, "五小")[0]])


class Crash(BaseException):
    pass


def test_crash_between_commit_and_index_is_caught_up(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "a"
    init_archive(root, unit="u", unit_type="事业单位").close()

    def hook(point: str) -> None:
        if point == "file.after_commit":
            raise Crash(point)

    monkeypatch.setattr(storage, "fault_hook", hook)
    a = open_archive(root)
    with pytest.raises(Crash):
        filing.file_document(a, [make_text(tmp_path / "x.txt", "安全生产月活动总结")], Draft(code="E-2", title="总结", date=date(2021, 6, 30)))
    a.close()
    monkeypatch.setattr(storage, "fault_hook", None)
    with open_archive(root) as a:
        assert len(found(a, "安全生产月")) == 1
        assert indexing.check(a).ok


def test_index_failure_never_undoes_a_filing(arch, tmp_path: Path, monkeypatch) -> None:
    from jiaarchive.search import SearchIndex

    def broken(self, *a, **k):  # noqa: ANN001, ANN002, ANN003
        raise OSError("disk full")

    monkeypatch.setattr(SearchIndex, "upsert", broken)
    v = filing.file_document(arch, [make_text(tmp_path / "x.txt", "送温暖慰问名单")], Draft(code="C-4", title="慰问", date=date(2021, 1, 20)))
    assert filing.get_record(arch, v.archive_no)
    monkeypatch.undo()
    assert found(arch, "送温暖") == [v.archive_no]


def test_rebuild_equals_incremental(arch, tmp_path: Path) -> None:
    for i, text in enumerate(["工会经费审查报告", "经审会会议纪要", "女职工委员会工作总结", "劳模座谈会"]):
        filing.file_document(arch, [make_text(tmp_path / f"{i}.txt", text)], Draft(code="F-5", title=f"文件{i}", date=date(2021, 2, i + 1)))
    queries = ["经审会", "经费审查委员会", "女职委", "劳动模范", "工会"]
    before = {q: sorted(found(arch, q)) for q in queries}
    assert before["经审会"] and before["女职委"] and before["劳动模范"]
    indexing.rebuild(arch)
    assert {q: sorted(found(arch, q)) for q in queries} == before


def test_damaged_index_rebuilds_with_a_message(tmp_path: Path) -> None:
    root = tmp_path / "a"
    with init_archive(root, unit="u", unit_type="事业单位") as a:
        filing.file_document(a, [make_text(tmp_path / "x.txt", "厂务公开栏照片说明")], Draft(code="B-3", title="公开", date=date(2021, 3, 1)))
    (root / ".jiaarchive" / "index" / "CURRENT").write_text("garbage", encoding="utf-8")
    r = CliRunner()
    res = r.invoke(main, ["--archive", str(root), "index", "check"])
    assert res.exit_code == 1 and "rebuild" in res.output and "Traceback" not in res.output
    res = r.invoke(main, ["--archive", str(root), "search", "校务公开", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["total"] == 1 and {"archive_no", "code", "title", "date", "score", "snippet", "path"} <= set(data["hits"][0])
    assert "facets" in data
    assert r.invoke(main, ["--archive", str(root), "index", "check"]).exit_code == 0


def test_an_index_of_an_older_format_is_rebuilt_and_says_so(arch, tmp_path: Path) -> None:
    v = filing.file_document(arch, [make_text(tmp_path / "x.txt", "会员代表大会决议")],
                             Draft(code="F-6", title="决议", date=date(2021, 3, 1)))
    current = arch.root / ".jiaarchive" / "index" / "CURRENT"
    data = json.loads(current.read_text(encoding="utf-8"))
    current.write_text(json.dumps({**data, "schema": data["schema"] - 1}), encoding="utf-8")
    indexing.close(arch)
    msg = indexing.ensure(arch)
    assert "索引格式已过时" in msg and "已重建（1 件）" in msg
    assert found(arch, "工代会") == [v.archive_no]
    assert indexing.ensure(arch) == ""


def test_unreadable_files_are_listed(arch, tmp_path: Path) -> None:
    bad = tmp_path / "坏文件.docx"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    v = filing.file_document(arch, [bad], Draft(code="F-6", title="损坏的文件", date=date(2021, 1, 1)))
    rows = indexing.unreadable(arch)
    assert [r.archive_no for r in rows] == [v.archive_no]
    assert rows[0].reason
    res = CliRunner().invoke(main, ["--archive", str(arch.root), "index", "status"])
    assert v.archive_no in res.output
    assert "组同义词" in res.output and "常用词" in res.output


def test_status_advises_a_rebuild_when_the_archive_outgrew_its_index(monkeypatch) -> None:
    from jiaarchive.search import ngrams
    from jiaarchive.search.index import Tuning

    def t(records, sampled, changed=False):
        return Tuning(records=records, ngrams=0, sampled=sampled, concepts=37, synonyms_changed=changed)
    assert not t(50, 0).rebuild_advised  # small: phrase checks are cheap
    assert t(ngrams.MIN_SAMPLE, 0).rebuild_advised  # built empty at init, now large enough
    assert not t(3 * ngrams.SAMPLE, ngrams.SAMPLE).rebuild_advised  # full sample: stays good
    assert t(3 * ngrams.MIN_SAMPLE, ngrams.MIN_SAMPLE).rebuild_advised
    assert "rebuild" in t(50, 0, changed=True).describe()
    assert t(50, 0, changed=True).rebuild_advised


def test_two_writers_at_once(tmp_path: Path) -> None:
    """Two real processes filing at the same time: every record filed, numbered once and indexed."""
    root = tmp_path / "a"
    init_archive(root, unit="u", unit_type="事业单位").close()
    batches = []
    for w in range(2):
        files = [make_text(tmp_path / f"w{w}" / f"2021-03-{i + 1:02d} 文件{w}-{i}.txt", f"并发写入测试 第{w}组 第{i}件") for i in range(6)]
        batches.append(files)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    procs = [
        subprocess.Popen([sys.executable, "-m", "jiaarchive", "--archive", str(root), "add", *map(str, files), "--code", "F-6"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        for files in batches
    ]
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err.decode()
    with open_archive(root) as a:
        recs = filing.list_records(a)
        assert len(recs) == 12
        assert len({r.archive_no for r in recs}) == 12
        assert indexing.check(a).ok
        assert len(found(a, "并发写入测试", limit=50)) == 12


def test_search_minus_word_is_a_query_word_and_double_dash_a_mistyped_option(arch, tmp_path: Path) -> None:
    for name, text in (("2021-06-01 安全生产月通知.txt", "安全生产月活动通知"), ("2021-06-30 安全生产月总结.txt", "安全生产月活动总结")):
        filing.file_document(arch, [make_text(tmp_path / name, text)], Draft(code="E-1"))
    r = CliRunner()
    res = r.invoke(main, ["--archive", str(arch.root), "search", "安全生产月", "-通知", "--json"])
    assert res.exit_code == 0, res.output
    assert [h["title"] for h in json.loads(res.stdout)["hits"]] == ["安全生产月总结"]
    res = r.invoke(main, ["--archive", str(arch.root), "search", "安全生产月", "--yaer", "2021"])
    assert res.exit_code == 2 and "没有 '--yaer' 这个选项" in res.output and "'--year'" in res.output
