"""The TUI photo view: opened from the record with "p", label edited and saved in place, the
naming rule applied with one key, and the 照片问题 list."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from PIL import Image
from textual.widgets import DataTable, Input

from jiaarchive.archive import init_archive, open_archive
from jiaarchive.filing import Draft, intake
from jiaarchive.photos import records
from jiaarchive.tui import make_app
from jiaarchive.tui.photos import PhotoPreview, PhotoProblemsScreen, PhotoScreen, half_block_strips
from jiaarchive.tui.widgets import RecordTable, Selection

from .helpers import make_jpeg
from .test_tui import footer_actions, go_to, run_async, settle


pytestmark = pytest.mark.usefixtures("fixed_clock")


@pytest.fixture
def photo_archive(tmp_path: Path):
    """Two photo records in D-5 · 2021: one with a camera time, one without any time."""
    root = tmp_path / "档案"
    arch = init_archive(root, unit="示例工会", unit_type="事业单位")
    for name, taken, title in [
        ("2021-05-01 开幕式.jpg", datetime(2021, 5, 1, 9, 0), "运动会开幕式"),
        ("IMG_0002.jpg", None, "颁奖"),
    ]:
        src = make_jpeg(tmp_path / "来源" / name, taken=taken, size=(900, 600), color=(30, 160, 220) if taken else (220, 60, 30))
        intake.intake(arch, [src], Draft(code="D-5", title=title, date=date(2021, 5, 1)))
    yield arch
    arch.close()


def test_half_blocks_carry_two_pixels_per_cell() -> None:
    im = Image.new("RGB", (4, 4), (255, 0, 0))
    im.paste((0, 0, 255), (0, 2, 4, 4))  # lower half blue
    strips = half_block_strips(im, 4, 2)
    assert len(strips) == 2
    seg = list(strips[0])[0]
    assert seg.text.startswith("▀") and seg.style.color.triplet == (255, 0, 0)
    seg = list(strips[1])[0]
    assert seg.style.bgcolor.triplet == (0, 0, 255)


@run_async
async def test_photo_view_edit_save_and_rename(photo_archive) -> None:
    app = make_app(photo_archive)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await go_to(pilot, Selection(code="D-5", year=2021, kind="year"))
        table = app.screen.query_one(RecordTable)
        assert "show_photos" in footer_actions(app)
        target = table.current
        await pilot.press("p")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PhotoScreen)
        preview = screen.query_one(PhotoPreview)
        assert preview.image is not None and preview.image.size == (320, 213)
        assert any("▀" in s.text for s in (preview.render_line(y) for y in range(preview.size.height)))
        subject = screen.query_one("#photo-subject", Input)
        subject.value = "教职工趣味运动会颁奖仪式"
        screen.query_one("#photo-time", Input).value = "2021-05-01 16:20"
        await pilot.press("ctrl+n")
        await settle(pilot)
        [p] = records.list_photos(photo_archive, record_id=target.id)
        assert p.name == "2021-05-01 16.20 教职工趣味运动会颁奖仪式.jpg"
        assert p.original_sha256 is not None
        assert "2021-05-01 16.20 教职工趣味运动会颁奖仪式.jpg" in str(screen.query_one("#photo-findings").render())
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, PhotoScreen)


@run_async
async def test_problems_list_shows_photo_without_capture_time(photo_archive) -> None:
    app = make_app(photo_archive)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PhotoProblemsScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == 1
        row = table.get_row_at(0)
        assert "没有拍摄时间" in str(row[3]) or any("没有拍摄时间" in w for w in screen.photos[0].warnings)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PhotoScreen)
        assert app.screen.current.file_id == screen.photos[0].file_id


@run_async
async def test_inspector_views_photos_without_editing(photo_archive, tmp_path: Path) -> None:
    root = photo_archive.root
    photo_archive.close()
    arch = open_archive(root, read_only=True)
    try:
        app = make_app(arch)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            await go_to(pilot, Selection(code="D-5", year=2021, kind="year"))
            await pilot.press("p")
            await settle(pilot)
            assert isinstance(app.screen, PhotoScreen)
            actions = footer_actions(app)
            assert "save_label" not in actions and "apply_name" not in actions
            assert app.screen.query_one("#photo-subject", Input).disabled
    finally:
        arch.close()
