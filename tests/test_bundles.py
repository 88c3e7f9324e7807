"""Bundles (issue 14): export --bundle, verify --bundle, import — a tampered bundle, re-import, zip hazards."""

from __future__ import annotations

import json
import os
import shutil
import stat
import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from jiaarchive.archive import init_archive, open_archive
from jiaarchive.bundles.check import open_bundle
from jiaarchive.bundles.load import import_bundle
from jiaarchive.bundles.make import write_bundle
from jiaarchive.cli import main
from jiaarchive.errors import BundleDamaged
from jiaarchive.filing import Draft, edit_record, file_document
from jiaarchive.selection import RecordQuery, select_records

from .helpers import make_text

UNIT = "重庆市测试中学工会"


def _source(tmp_path: Path):
    arch = init_archive(tmp_path / "src", unit=UNIT, unit_type="事业单位")
    a = file_document(arch, [make_text(tmp_path / "in" / "a.txt", "关于召开第四届教职工代表大会的通知 职代会 工会经费")],
                      Draft(code="B-1", title="关于召开教代会的通知", date=date(2021, 3, 1), tags=("职代会",)))
    b = file_document(arch, [make_text(tmp_path / "in" / "b.txt", "困难职工慰问名单 送温暖")],
                      Draft(code="C-1", title="困难职工慰问", date=date(2022, 1, 10)))
    # a refiled record: its former 档号 must travel with it
    edit_record(arch, b.id, code="C-2")
    return arch, a


def _bundle(arch, path: Path) -> Path:
    write_bundle(arch, select_records(arch, RecordQuery()), path, described="全部档案")
    return path


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    arch, _a = _source(tmp_path)
    try:
        return _bundle(arch, tmp_path / "out" / "unit.zip")
    finally:
        arch.close()


def test_bundle_is_a_valid_bag_with_files_metadata_and_reports(bundle: Path, tmp_path: Path) -> None:
    import bagit

    with zipfile.ZipFile(bundle) as zf:
        names = set(zf.namelist())
        info = zf.read("bag-info.txt").decode("utf-8")
    assert {"bagit.txt", "bag-info.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt"} <= names
    assert any(n.startswith("data/B 民主之家/B-1 ") and n.endswith(".txt") for n in names)
    assert {"data/jiaarchive/metadata.jsonl", "data/jiaarchive/coverage.json", "data/报告/迎检报告.html",
            "data/报告/归档文件目录.xlsx", "data/jiaarchive/bundle.json"} <= names
    for label in (f"Source-Organization: {UNIT}", "Unit-Type: 事业单位", "Unit-Level: 之家", "Record-Count: 2",
                  "Exported-By: 测试员", "Application-Year:", "Exported-At:"):
        assert label in info
    # the bagit library itself accepts it
    shutil.unpack_archive(bundle, tmp_path / "bag", "zip")
    bagit.Bag(str(tmp_path / "bag")).validate()
    with open_bundle(bundle) as b:
        recs = {r["archive_no"]: r for r in b.state.records.values()}
        assert len(recs) == 2
        moved = next(r for r in recs.values() if r["code"] == "C-2")
        assert len(moved["numbers"]) == 2  # the former 档号 too
        assert {e["action"] for e in b.state.audit.values()} >= {"file", "refile"}


def test_import_keeps_numbers_and_history_and_is_idempotent(bundle: Path, tmp_path: Path) -> None:
    target = init_archive(tmp_path / "dst", unit="另一个单位工会", unit_type="事业单位")
    try:
        with open_bundle(bundle) as b:
            want = {r["archive_no"]: r for r in b.state.records.values()}
        rep = import_bundle(target, bundle)
        assert sorted(rep.added) == sorted(want) and not rep.conflicts and rep.history >= 3
        got = {v.archive_no: v for v in select_records(target, RecordQuery())}
        assert set(got) == set(want)
        moved = next(v for v in got.values() if v.code == "C-2")
        assert moved.former_archive_nos  # the 档号 it had before the refile
        for v in got.values():
            for f in v.files:
                assert (target.root / f.path).is_file()
        again = import_bundle(target, bundle)
        assert again.added == [] and sorted(again.same) == sorted(want) and not again.conflicts
        assert len(select_records(target, RecordQuery())) == 2
    finally:
        target.close()
    # the target is consistent: files and the metadata log agree with the database
    with open_archive(tmp_path / "dst") as arch:
        from jiaarchive import metalog
        from jiaarchive.fixity import verify

        assert verify(arch).ok
        assert metalog.differences(arch) == []


def test_import_reports_conflicts_and_never_overwrites(bundle: Path, tmp_path: Path) -> None:
    target = init_archive(tmp_path / "dst", unit=UNIT, unit_type="事业单位")
    try:
        mine = file_document(target, [make_text(tmp_path / "in2" / "x.txt", "本单位自己的记录")],
                             Draft(code="B-1", title="本单位的另一件", date=date(2021, 5, 1)))
        rep = import_bundle(target, bundle)
        assert any(mine.archive_no in c for c in rep.conflicts)
        assert target.settings.unit == UNIT
        kept = select_records(target, RecordQuery(numbers=(mine.archive_no,)))[0]
        assert kept.title == "本单位的另一件"
    finally:
        target.close()


def _repack(bundle: Path, out: Path, change) -> Path:  # noqa: ANN001
    work = out.parent / (out.stem + "-x")
    shutil.unpack_archive(bundle, work, "zip")
    change(work)
    with zipfile.ZipFile(out, "w") as zf:
        for p in sorted(work.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(work).as_posix())
    return out


def test_tampered_bundle_is_refused_naming_the_file(bundle: Path, tmp_path: Path) -> None:
    def touch_payload(work: Path) -> None:
        f = next(p for p in (work / "data" / "B 民主之家").rglob("*.txt"))
        f.write_text(f.read_text(encoding="utf-8") + "改", encoding="utf-8")

    bad = _repack(bundle, tmp_path / "bad.zip", touch_payload)
    with pytest.raises(BundleDamaged, match="B-1.*校验值不符"):
        open_bundle(bad)

    def touch_info(work: Path) -> None:
        p = work / "bag-info.txt"
        p.write_text(p.read_text(encoding="utf-8").replace("Record-Count: 2", "Record-Count: 9"), encoding="utf-8")

    with pytest.raises(BundleDamaged, match="bag-info.txt"):
        open_bundle(_repack(bundle, tmp_path / "bad2.zip", touch_info))

    def add_file(work: Path) -> None:
        (work / "data" / "B 民主之家" / "多出来的.txt").write_text("x", encoding="utf-8")

    with pytest.raises(BundleDamaged, match="多出来的.txt"):
        open_bundle(_repack(bundle, tmp_path / "bad3.zip", add_file))

    runner = CliRunner()
    res = runner.invoke(main, ["verify", "--bundle", str(bad)])
    assert res.exit_code != 0 and "校验值不符" in res.output
    target = init_archive(tmp_path / "dst", unit=UNIT, unit_type="事业单位")
    target.close()
    res = runner.invoke(main, ["--archive", str(tmp_path / "dst"), "import", str(bad)])
    assert res.exit_code != 0 and "校验值不符" in res.output
    with open_archive(tmp_path / "dst", read_only=True) as arch:
        assert select_records(arch, RecordQuery()) == []


def _hostile(bundle: Path, out: Path, name: str, data: bytes = b"x", link: bool = False) -> Path:
    shutil.copyfile(bundle, out)
    with zipfile.ZipFile(out, "a") as zf:
        info = zipfile.ZipInfo(name)
        if link:
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, data)
    return out


@pytest.mark.parametrize("name,link,word", [
    ("../../evil.txt", False, "zip-slip"),
    ("/etc/evil.txt", False, "绝对路径"),
    ("data/link.txt", True, "符号链接"),
    ("data/" + "长" * 200 + ".txt", False, "名称过长"),
])
def test_zip_hazards_are_refused(bundle: Path, tmp_path: Path, name: str, link: bool, word: str) -> None:
    bad = _hostile(bundle, tmp_path / "h.zip", name, b"/etc/passwd" if link else b"x", link)
    with pytest.raises(BundleDamaged, match=word):
        open_bundle(bad)
    assert not (tmp_path / "evil.txt").exists()


def test_zip_bomb_is_refused(bundle: Path, tmp_path: Path) -> None:
    out = tmp_path / "bomb.zip"
    shutil.copyfile(bundle, out)
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data/bomb.bin", b"\0" * (8 * 1024 * 1024))
    with pytest.raises(BundleDamaged, match="压缩炸弹|压缩比"):
        open_bundle(out)


def test_not_a_bundle(tmp_path: Path) -> None:
    p = tmp_path / "plain.zip"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("a.txt", "x")
    with pytest.raises(BundleDamaged, match="bagit.txt"):
        open_bundle(p)
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(BundleDamaged, match="broken.zip"):
        open_bundle(tmp_path / "broken.zip")
    # a zero-byte file and a text file: one Chinese sentence naming it, no English words of zipfile's
    (tmp_path / "空的 数据包.zip").write_bytes(b"")
    (tmp_path / "text.zip").write_text("hello", encoding="utf-8")
    for name in ("空的 数据包.zip", "text.zip"):
        res = CliRunner().invoke(main, ["verify", "--bundle", str(tmp_path / name)])
        assert res.exit_code == 1 and name in res.output and "已损坏或不是 zip 文件" in res.output
        assert "File is not" not in res.output and "内部错误" not in res.output, res.output


def test_cli_export_verify_import(tmp_path: Path) -> None:
    arch, _a = _source(tmp_path)
    arch.close()
    runner = CliRunner()
    out = tmp_path / "b.zip"
    res = runner.invoke(main, ["--archive", str(tmp_path / "src"), "export", "--code", "B-1", "--bundle", str(out)])
    assert res.exit_code == 0, res.output
    assert "已导出数据包" in res.output
    res = runner.invoke(main, ["verify", "--bundle", str(out), "--json"])
    assert res.exit_code == 0, res.output
    facts = json.loads(res.stdout)
    assert facts["ok"] and facts["records"] == 1 and facts["unit"] == UNIT
    runner.invoke(main, ["init", str(tmp_path / "dst"), "--unit", UNIT, "--type", "事业单位"])
    res = runner.invoke(main, ["--archive", str(tmp_path / "dst"), "import", str(out), "--json"])
    assert res.exit_code == 0, res.output
    got = json.loads(res.stdout)
    assert len(got["added"]) == 1 and got["conflicts"] == []
    res = runner.invoke(main, ["--archive", str(tmp_path / "dst"), "import", str(out), "--json"])
    assert json.loads(res.stdout)["added"] == [] and len(json.loads(res.stdout)["same"]) == 1


def test_export_refuses_a_changed_file(tmp_path: Path) -> None:
    arch, a = _source(tmp_path)
    try:
        p = arch.root / a.files[0].path
        os.chmod(p, 0o644)
        p.write_text("改过了", encoding="utf-8")
        with pytest.raises(BundleDamaged, match="校验值不符"):
            _bundle(arch, tmp_path / "x.zip")
        assert not (tmp_path / "x.zip").exists()
    finally:
        arch.close()


def test_consistent_but_malformed_metadata_is_a_conflict_not_a_crash(bundle: Path, tmp_path: Path) -> None:
    """A bundle whose checksums hold but whose metadata was written by someone else: nothing in it is trusted."""
    import bagit

    work = tmp_path / "w"
    shutil.unpack_archive(bundle, work, "zip")
    meta = work / "data" / "jiaarchive" / "metadata.jsonl"
    lines = [json.loads(x) for x in meta.read_text(encoding="utf-8").splitlines()]
    bad_no = lines[0]["records"][0]["archive_no"]
    lines[0]["records"][0]["filed_at"] = "不是日期"
    lines[-1]["profile"] = [{"key": "employees", "value": "1", "updated_at": "坏"}]
    meta.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    bag = bagit.Bag(str(work))
    bag.save(manifests=True)
    out = tmp_path / "resealed.zip"
    with zipfile.ZipFile(out, "w") as zf:
        for p in sorted(work.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(work).as_posix())
    target = init_archive(tmp_path / "dst", unit=UNIT, unit_type="事业单位")
    try:
        rep = import_bundle(target, out)
        assert any(c.startswith(bad_no) and "元数据无效" in c for c in rep.conflicts)
        assert len(rep.added) == 1 and bad_no not in rep.added
        assert any("单位简况" in c for c in rep.conflicts)
    finally:
        target.close()


def test_a_file_and_a_folder_of_the_same_name_are_refused(bundle: Path, tmp_path: Path) -> None:
    out = tmp_path / "clash.zip"
    shutil.copyfile(bundle, out)
    with zipfile.ZipFile(out, "a") as zf:
        zf.writestr("data/x", "a file")
        zf.writestr("data/x/y.txt", "inside a folder of the same name")
    with pytest.raises(BundleDamaged, match="同名"):
        open_bundle(out)


def _reseal(bundle: Path, tmp_path: Path, name: str, change) -> Path:  # noqa: ANN001
    """``bundle`` unpacked, its metadata lines changed by ``change``, and sealed again with fresh manifests."""
    import bagit

    work = tmp_path / name
    shutil.unpack_archive(bundle, work, "zip")
    meta = work / "data" / "jiaarchive" / "metadata.jsonl"
    lines = [json.loads(x) for x in meta.read_text(encoding="utf-8").splitlines()]
    change(lines)
    meta.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    bagit.Bag(str(work)).save(manifests=True)
    out = tmp_path / f"{name}.zip"
    with zipfile.ZipFile(out, "w") as zf:
        for p in sorted(work.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(work).as_posix())
    return out


def test_resealed_metadata_with_values_no_database_holds_is_a_conflict(bundle: Path, tmp_path: Path) -> None:
    """Numbers too large for a database column, a score that is not a number, a 题名 longer than any
    column: each such record (or score) is reported and left out, the rest imported, no internal error."""
    def change(lines: list) -> None:
        recs = lines[0]["records"]
        recs[0]["seq"] = 10 ** 30
        recs[1]["title"] = "题" * 5000
        lines[-1]["scores"] = [{"sheet_id": "x", "item_no": 1, "role": "self", "score": "NaN", "at": "2021-01-01T00:00:00"},
                               {"sheet_id": "x", "item_no": 10 ** 30, "role": "self", "score": 1, "at": "2021-01-01T00:00:00"}]

    out = _reseal(bundle, tmp_path, "big", change)
    runner = CliRunner()
    runner.invoke(main, ["init", str(tmp_path / "dst"), "--unit", UNIT, "--type", "事业单位"])
    res = runner.invoke(main, ["--archive", str(tmp_path / "dst"), "import", str(out), "--json"])
    assert res.exit_code == 1, res.output
    assert "内部错误" not in res.output and "Error" not in res.output
    got = json.loads(res.stdout)
    assert got["added"] == [] and len(got["conflicts"]) == 4, got
    assert sum("元数据无效" in c for c in got["conflicts"]) == 2
    assert sum("评分无法读取" in c for c in got["conflicts"]) == 2


def test_export_bundle_from_read_only_media_with_texts_not_yet_extracted(tmp_path: Path) -> None:
    """An archive on a write-protected stick whose files' texts were never extracted (imported, the
    index not yet brought up to date): the bundle is still made, with the texts, and nothing is
    written on the stick."""
    from sqlalchemy import delete

    from jiaarchive.db.models import FileText

    from .test_readonly import _protect

    arch, _a = _source(tmp_path)
    with arch.session() as s, s.begin():
        s.execute(delete(FileText))
    arch.close()
    where = tmp_path / "只读"
    undo = _protect(tmp_path / "src", where)
    if undo is None:
        pytest.skip("这台机器上无法做只读挂载，root 用户也不受 chmod 限制")
    try:
        out = tmp_path / "ro.zip"
        res = CliRunner().invoke(main, ["--archive", str(where), "export", "--bundle", str(out)])
        assert res.exit_code == 0, res.output
        with open_bundle(out) as b:
            assert "送温暖" in json.dumps(b.texts(), ensure_ascii=False)
    finally:
        undo()


def test_export_bundle_into_a_read_only_folder_names_the_bundle(bundle: Path, tmp_path: Path) -> None:
    from .test_readonly import _protect

    (tmp_path / "空").mkdir()
    where = tmp_path / "只读"
    undo = _protect(tmp_path / "空", where)
    if undo is None:
        pytest.skip("这台机器上无法做只读挂载，root 用户也不受 chmod 限制")
    try:
        res = CliRunner().invoke(main, ["--archive", str(tmp_path / "src"), "export", "--bundle", str(where / "申报.zip")])
        assert res.exit_code == 1, res.output
        assert "申报.zip" in res.output and ".bundle-" not in res.output and "内部错误" not in res.output
    finally:
        undo()


def _retag(work: Path, out: Path) -> Path:
    """``work`` zipped after its tag manifest was recomputed by hand (manifests kept as edited)."""
    import hashlib

    lines = [f"{hashlib.sha256((work / n).read_bytes()).hexdigest()}  {n}"
             for n in ("bagit.txt", "bag-info.txt", "manifest-sha256.txt")]
    (work / "tagmanifest-sha256.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with zipfile.ZipFile(out, "w") as zf:
        for p in sorted(work.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(work).as_posix())
    return out


@pytest.mark.parametrize("change,word", [
    (lambda w: (w / "manifest-sha256.txt").write_text(
        (w / "manifest-sha256.txt").read_text(encoding="utf-8") + "0" * 64 + "  data/../../etc/passwd\n", encoding="utf-8"),
     "数据包以外的路径"),
    (lambda w: (w / "bag-info.txt").write_bytes((w / "bag-info.txt").read_bytes() + b"X-Note: \xff\xfe\n"), "UTF-8"),
    (lambda w: (w / "bagit.txt").write_text("BagIt-Version: 99.0\nTag-File-Character-Encoding: UTF-8\n", encoding="utf-8"),
     "版本"),
    (lambda w: (w / "manifest-sha256.txt").write_text(
        (w / "manifest-sha256.txt").read_text(encoding="utf-8") + "garbage\n", encoding="utf-8"), None),
])
def test_hostile_tag_files_are_one_chinese_sentence(bundle: Path, tmp_path: Path, change, word) -> None:  # noqa: ANN001
    """Tag files edited and the tag manifest recomputed: what bagit says in English (with the name
    of our temporary folder) never reaches the clerk."""
    work = tmp_path / "w"
    shutil.unpack_archive(bundle, work, "zip")
    change(work)
    out = _retag(work, tmp_path / "tags.zip")
    res = CliRunner().invoke(main, ["verify", "--bundle", str(out)])
    assert "jiaarchive-bundle-" not in res.output and "内部错误" not in res.output, res.output
    assert not any(w in res.output for w in ("unsafe", "Unsupported", "Invalid", "codec")), res.output
    if word:
        assert res.exit_code == 1 and "tags.zip" in res.output and word in res.output, res.output


def test_bundle_without_its_metadata_is_refused(bundle: Path, tmp_path: Path) -> None:
    import bagit

    work = tmp_path / "w"
    shutil.unpack_archive(bundle, work, "zip")
    (work / "data" / "jiaarchive" / "metadata.jsonl").unlink()
    bagit.Bag(str(work)).save(manifests=True)
    out = _retag(work, tmp_path / "nometa.zip")
    with pytest.raises(BundleDamaged, match="nometa.zip.*metadata.jsonl"):
        open_bundle(out)


def test_profile_facts_travel_and_hostile_ones_never_poison_the_archive(bundle: Path, tmp_path: Path) -> None:
    """The profile a clerk entered arrives unchanged; a re-sealed bundle's profile values that the
    profile form would never store (not JSON, text for a number, an impossible date, an event
    without its text) are reported and left out, so `report` and `profile show` still work."""
    from jiaarchive.coverage import profile

    src = init_archive(tmp_path / "p", unit=UNIT, unit_type="事业单位")
    try:
        file_document(src, [make_text(tmp_path / "in" / "p.txt", "职代会")], Draft(code="B-1", title="职代会", date=date(2021, 3, 1)))
        facts = {"employees": "12000", "members": "11800", "elected_on": "2021-05-01", "term_years": "5",
                 "funds_committee": "是", "incidents": "无", "titles": "2020-05-01 合格职工之家", "chair": "张三"}
        want = profile.set_facts(src, facts).values
        good = _bundle(src, tmp_path / "good.zip")
    finally:
        src.close()
    dst = init_archive(tmp_path / "d1", unit=UNIT, unit_type="事业单位")
    try:
        import_bundle(dst, good)
        assert profile.read(dst).values == want
    finally:
        dst.close()

    at = "2021-01-01T00:00:00"

    def change(lines: list) -> None:
        lines[-1]["profile"] = [{"key": k, "value": v, "updated_at": at} for k, v in (
            ("employees", "not json"), ("members", '"abc"'), ("elected_on", '"9999-99-99"'),
            ("incidents", '[{"on": "x"}]'), ("no_such_fact", "1"), ("chair", '"李四"'))]

    out = _reseal(bundle, tmp_path, "prof", change)
    runner = CliRunner()
    runner.invoke(main, ["init", str(tmp_path / "d2"), "--unit", UNIT, "--type", "事业单位"])
    res = runner.invoke(main, ["--archive", str(tmp_path / "d2"), "import", str(out), "--json"])
    got = json.loads(res.stdout)
    assert sum("单位简况" in c for c in got["conflicts"]) == 5, got["conflicts"]
    for cmd in (["report"], ["profile", "show"]):
        res = runner.invoke(main, ["--archive", str(tmp_path / "d2"), *cmd])
        assert res.exit_code == 0 and "内部错误" not in res.output, res.output
    with open_archive(tmp_path / "d2", read_only=True) as arch:
        assert profile.read(arch).values == {"chair": "李四"}


def test_scores_no_scoresheet_allows_are_left_out(bundle: Path, tmp_path: Path) -> None:
    """A re-sealed bundle's 自查分 of 999 for a 5-point item (which would show the unit above 80),
    a negative 评定分, an unknown role or sheet: reported and left out; a valid score arrives."""
    from jiaarchive.coverage.assess import assess

    dst = init_archive(tmp_path / "dst", unit=UNIT, unit_type="事业单位")
    sheet = dst.scoresheet
    at = "2021-01-01T00:00:00"
    item = sheet.items[0]

    def change(lines: list) -> None:
        lines[-1]["scores"] = [{"sheet_id": sid, "item_no": no, "role": role, "score": score, "at": at} for sid, no, role, score in (
            (sheet.id, item.no, "self", 999), (sheet.id, item.no, "inspector", -5), (sheet.id, item.no, "boss", 1),
            ("no-such-sheet", 1, "self", 1), (sheet.id, 9999, "self", 1), (sheet.id, sheet.items[1].no, "self", 1.5))]

    try:
        rep = import_bundle(dst, _reseal(bundle, tmp_path, "scores", change))
        assert sum("评分无效" in c for c in rep.conflicts) == 5, rep.conflicts
        assert rep.scores == 1
        totals = assess(dst).to_json()["totals"]
        assert totals["self"] == 1.5 and totals["self_entered"] == 1
    finally:
        dst.close()
