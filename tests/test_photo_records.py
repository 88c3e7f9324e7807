"""Photos in the archive: labels stored and written into the archive copy, versions kept, checks
stored per file, filing-time checks in the CLI, captions and A4 sheets."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from jiaarchive import archive as archive_mod
from jiaarchive import audit, filing, fixity, storage
from jiaarchive.archive import init_archive, open_archive
from jiaarchive.cli import main
from jiaarchive.errors import BadValue
from jiaarchive.filing import Draft
from jiaarchive.fixity import VERSIONS_DIR
from jiaarchive.photos import records
from jiaarchive.photos.fonts import find_cjk_font
from jiaarchive.photos.errors import FontNotFound
from jiaarchive.photos.label import PhotoLabel, _jpeg_segments, read_label

from .helpers import make_jpeg

NOW = datetime(2024, 5, 6, 9, 30)


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive_mod, "clock", lambda: NOW)


@pytest.fixture
def arch(tmp_path: Path):
    a = init_archive(tmp_path / "档案", unit="测试中学工会", unit_type="事业单位")
    yield a
    a.close()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_photo(a, src: Path, *, title: str = "运动会照片", when: date | None = date(2021, 5, 1)) -> records.PhotoInfo:
    from jiaarchive.filing import intake

    # the one intake run, as `jiaarchive add --force --allow-duplicate` (the tests file broken photos too)
    result = intake.intake(a, [src], Draft(code="D-5", title=title, date=when),
                           policy=intake.Policy(duplicates=intake.FILE, bad_photos=intake.FILE))
    [view] = result.records
    [info] = records.list_photos(a, record_id=view.id)
    return info


def photo_src(tmp_path: Path, name: str = "mmexport1620000000000.jpg", **kw) -> Path:
    kw.setdefault("size", (900, 600))
    return make_jpeg(tmp_path / "来源" / name, **kw)


# ---------------------------------------------------------------- labelling


def test_label_round_trip_keeps_pixels_and_original(arch, tmp_path: Path) -> None:
    src = photo_src(tmp_path)
    info = file_photo(arch, src)
    assert info.taken_at_source == "filename" and info.width == 900  # filled at filing from the check
    assert any("微信" in w for w in info.warnings)
    before = arch.root / info.path

    label = PhotoLabel(datetime(2021, 5, 1, 9, 30), "教职工运动会开幕式", place="学校操场", people="张三、李四")
    view = records.label_photo(arch, info.file_id, label)

    new = arch.root / view.files[0].path
    assert new.name == "2021-05-01 09.30 教职工运动会开幕式.jpg"
    assert not before.exists()
    # pixels byte-identical: the entropy-coded scan data is the same bytes
    assert _jpeg_segments(new.read_bytes())[1] == _jpeg_segments(src.read_bytes())[1]
    assert Image.open(new).tobytes() == Image.open(src).tobytes()
    # the original as received is kept, content-addressed, with its checksum
    original = records.original_version(arch, info.file_id)
    assert original == arch.root / VERSIONS_DIR / f"{sha(src)}.jpg"
    assert original.read_bytes() == src.read_bytes()
    [after] = records.list_photos(arch, file_ids=[info.file_id])
    assert after.original_sha256 == sha(src) and after.sha256 == sha(new) == view.files[0].sha256
    assert after.subject == "教职工运动会开幕式" and after.taken_at_source == "record"
    assert after.warnings == () and after.errors == ()
    assert read_label(new).subject == "教职工运动会开幕式"
    with arch.session() as s:
        entry = audit.read(s, limit=1)[0]
    assert entry.action == "photo_label" and entry.archive_no == view.archive_no
    assert entry.before["path"] == info.path and entry.after["subject"] == "教职工运动会开幕式"
    assert fixity.verify(arch).ok, fixity.verify(arch).problems


def test_relabel_keeps_every_version_and_verify_reports_a_missing_original(arch, tmp_path: Path) -> None:
    info = file_photo(arch, photo_src(tmp_path))
    records.label_photo(arch, info.file_id, PhotoLabel(datetime(2021, 5, 1), "开幕式"))
    records.label_photo(arch, info.file_id, PhotoLabel(datetime(2021, 5, 1), "开幕式入场"), apply_name=False)
    [p] = records.list_photos(arch, file_ids=[info.file_id])
    assert p.name == "2021-05-01 开幕式.jpg"  # --no-rename kept the name
    assert read_label(arch.root / p.path).subject == "开幕式入场"
    assert len(list((arch.root / VERSIONS_DIR).iterdir())) == 2
    assert fixity.verify(arch).ok
    records.original_version(arch, info.file_id).unlink()
    problems = fixity.verify(arch).problems
    assert [(x.kind, x.archive_no) for x in problems] == [("missing", p.archive_no)]


def test_label_needs_subject_and_a_date_to_rename(arch, tmp_path: Path) -> None:
    info = file_photo(arch, photo_src(tmp_path))
    with pytest.raises(BadValue, match="事由"):
        records.label_photo(arch, info.file_id, PhotoLabel(datetime(2021, 5, 1), "  "))
    with pytest.raises(BadValue, match="拍摄日期"):
        records.label_photo(arch, info.file_id, PhotoLabel(None, "开幕式"))
    assert records.time_from_record(arch, info.file_id) == datetime(2021, 5, 1)
    assert records.list_photos(arch)[0].path == info.path


class Crash(BaseException):
    """A simulated power cut: skips every except-Exception clean-up."""


@pytest.mark.parametrize("point", ["label.before_commit", "label.after_commit", "move.after_one"])
def test_crash_during_labelling_recovers(tmp_path: Path, point: str, monkeypatch) -> None:
    root = tmp_path / "a"
    src = photo_src(tmp_path)
    with init_archive(root, unit="u", unit_type="事业单位") as a:
        info = file_photo(a, src)

    def hook(p: str) -> None:
        if p == point:
            raise Crash(p)

    monkeypatch.setattr(storage, "fault_hook", hook)
    a = open_archive(root)
    with pytest.raises(Crash):
        records.label_photo(a, info.file_id, PhotoLabel(datetime(2021, 5, 1), "开幕式"))
    a.close()
    monkeypatch.setattr(storage, "fault_hook", None)
    with open_archive(root) as a:  # opening runs recovery
        assert fixity.verify(a).ok, fixity.verify(a).problems
        [p] = records.list_photos(a)
        if point == "label.before_commit":
            assert p.path == info.path and (root / p.path).read_bytes() == src.read_bytes()
        else:
            assert p.name == "2021-05-01 开幕式.jpg" and read_label(root / p.path).subject == "开幕式"
            assert records.original_version(a, p.file_id).read_bytes() == src.read_bytes()
        assert not list((root / ".jiaarchive" / "journal").glob("*"))
        assert not list((root / ".jiaarchive" / "tmp").glob("*"))


# ---------------------------------------------------------------- checks


def test_check_archive_finds_duplicates_of_filed_photos(arch, tmp_path: Path) -> None:
    src = photo_src(tmp_path, "2021-05-01 开幕式.jpg", taken=datetime(2021, 5, 1, 9, 0))
    info = file_photo(arch, src)
    copy = tmp_path / "另一份" / "2021-05-01 开幕式合影.jpg"
    copy.parent.mkdir()
    copy.write_bytes(src.read_bytes())
    [rep] = records.check_files(arch, [copy])
    assert any("内容完全相同" in w for w in rep.warnings)
    # still found after labelling changed the archive copy's bytes (its original is remembered)
    records.label_photo(arch, info.file_id, PhotoLabel(datetime(2021, 5, 1, 9, 0), "开幕式"))
    [rep] = records.check_files(arch, [copy])
    assert any("内容完全相同" in w for w in rep.warnings)
    # a picture filed twice (once re-encoded) is a near-duplicate within the archive
    scene = Image.frombytes("L", (9, 8), bytes((i * 97) % 251 for i in range(72))).resize((900, 600), Image.Resampling.NEAREST)
    scene.convert("RGB").save(tmp_path / "来源" / "scene.jpg", quality=92)
    scene.convert("RGB").save(tmp_path / "来源" / "recompressed.jpg", quality=60)
    file_photo(arch, tmp_path / "来源" / "scene.jpg", title="合影")
    file_photo(arch, tmp_path / "来源" / "recompressed.jpg", title="合影副本")
    reports = records.check_archive_photos(arch)
    assert [r.path.name for r in reports][0] == "2021-05-01 09.00 开幕式.jpg"
    assert not any("几乎相同" in w for w in reports[1].warnings)
    assert any("几乎相同" in w for w in reports[2].warnings)
    assert records.photo_problems(arch, check_unchecked=False)[-1].file_id == records.list_photos(arch)[2].file_id
    assert str(reports[0].path).startswith("D ")  # relative to the archive root


def test_problems_list_photos_without_capture_time(arch, tmp_path: Path) -> None:
    file_photo(arch, photo_src(tmp_path, "2021-05-01 开幕式.jpg", taken=datetime(2021, 5, 1, 9, 0)))
    bare = file_photo(arch, photo_src(tmp_path, "IMG_0001.jpg", color=(10, 200, 30)), title="颁奖", when=None)
    problems = records.photo_problems(arch)
    assert [p.file_id for p in problems] == [bare.file_id]
    assert any("没有拍摄时间" in w for w in problems[0].warnings)


# ---------------------------------------------------------------- CLI


@pytest.fixture
def cli_root(tmp_path: Path) -> Path:
    root = tmp_path / "建家档案"
    res = CliRunner().invoke(main, ["init", str(root), "--unit", "测试学校工会", "--type", "事业单位"])
    assert res.exit_code == 0, res.output
    return root


def run(root: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(main, ["--archive", str(root), *args], input=input)


def test_add_broken_photo_refused_in_batch_mode_and_filed_with_force(cli_root: Path, tmp_path: Path) -> None:
    good = photo_src(tmp_path, "2021-05-01 开幕式.jpg", taken=datetime(2021, 5, 1, 9, 0))
    broken = tmp_path / "2021-05-02 闭幕式.jpg"
    broken.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])

    res = run(cli_root, "add", str(broken), "--code", "D-5")
    assert res.exit_code == 1
    assert "被截断" in res.output and "--force" in res.output
    assert json.loads(run(cli_root, "ls", "--json").stdout) == []

    res = run(cli_root, "add", str(broken), "--code", "D-5", "--force")
    assert res.exit_code == 0, res.output
    res = run(cli_root, "add", str(photo_src(tmp_path, "mmexport1620000000000.jpg")), "--code", "D-5")
    assert res.exit_code == 0, res.output
    assert "提示：" in res.output and "微信" in res.output  # warnings printed after filing

    res = run(cli_root, "photos", "check", "--json")
    assert res.exit_code == 1  # one photo has an error
    data = json.loads(res.stdout)
    keys = {"path", "ok", "errors", "warnings", "taken_at", "taken_at_source", "width", "height", "format"}
    assert all(keys <= set(d) for d in data) and len(data) == 2
    bad = next(d for d in data if not d["ok"])
    assert bad["path"].startswith("D 文明之家/") and "被截断" in bad["errors"][0]
    ok = next(d for d in data if d["ok"])
    assert ok["taken_at"] == "2021-05-03 08:00" and ok["taken_at_source"] == "filename"

    res = run(cli_root, "photos", "check", str(good), "--json")
    assert res.exit_code == 0 and json.loads(res.stdout)[0]["taken_at_source"] == "exif"


def test_cli_label_problems_and_sheet(cli_root: Path, tmp_path: Path) -> None:
    for i in range(5):
        src = photo_src(tmp_path, f"IMG_{i:04d}.jpg", color=(40 * i, 100, 200 - 30 * i), size=(400 + 40 * i, 300))
        assert run(cli_root, "add", str(src), "--code", "D-5", "--date", "2021-05-01", "--title", f"活动{i}").exit_code == 0
    numbers = [d["archive_no"] for d in json.loads(run(cli_root, "ls", "--json").stdout)]
    problems = json.loads(run(cli_root, "photos", "problems", "--json").stdout)
    assert len(problems) == 5 and all(any("没有拍摄时间" in w for w in p["warnings"]) for p in problems)

    res = run(cli_root, "photos", "label", numbers[0], "--subject", "趣味运动会拔河比赛", "--time-from-record")
    assert res.exit_code == 0, res.output
    assert "2021-05-01 趣味运动会拔河比赛.jpg" in res.output
    shown = json.loads(run(cli_root, "show", numbers[0], "--json").stdout)
    assert shown["files"][0]["path"].endswith("2021-05-01 趣味运动会拔河比赛.jpg")
    assert run(cli_root, "verify").exit_code == 0

    try:
        find_cjk_font()
    except FontNotFound:
        pytest.skip("本机没有简体中文字体")
    out = tmp_path / "照片页.pdf"
    res = run(cli_root, "photos", "sheet", "D-5", "--year", "2021", "-o", str(out))
    assert res.exit_code == 0, res.output
    from pypdf import PdfReader

    assert len(PdfReader(out).pages) == 2  # 5 photos, 4 per page
    cap = tmp_path / "说明.jpg"
    assert run(cli_root, "photos", "caption", numbers[0], "-o", str(cap)).exit_code == 0
    with Image.open(cap) as im:
        assert im.height > 300  # the photo plus a caption strip


def test_original_of_a_labelled_photo_is_still_a_duplicate(arch, tmp_path: Path) -> None:
    from jiaarchive.errors import DuplicateFile

    src = photo_src(tmp_path)
    info = file_photo(arch, src)
    view = records.label_photo(arch, info.file_id, PhotoLabel(datetime(2021, 5, 1, 9, 30), "开幕式"))
    with pytest.raises(DuplicateFile) as exc:
        filing.file_document(arch, [src], Draft(code="D-5", title="再次归档", date=date(2021, 5, 1)))
    assert view.archive_no in str(exc.value)


def test_editing_a_record_keeps_the_labelled_photo_name(arch, tmp_path: Path) -> None:
    info = file_photo(arch, photo_src(tmp_path))
    view = records.label_photo(arch, info.file_id, PhotoLabel(datetime(2021, 5, 1, 9, 30), "开幕式"))
    name = view.files[0].name
    moved = filing.edit_record(arch, view.archive_no, title="2021年教职工运动会", code="D-4")
    assert moved.files[0].name == name and moved.files[0].path.startswith("D 文明之家/D-4 ")
    assert fixity.verify(arch).ok
