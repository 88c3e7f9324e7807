"""Snapshots of each main screen at 80×24 and 120×40 (the archive of ``test_tui_clerk``: ten
records, Chinese titles, a fixed clock and clerk).  Each docstring says what a reviewer should see.

Update with ``pytest --snapshot-update tests/test_tui_snapshots.py`` and look at every SVG that
changed before committing it.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from jiaarchive import filing
from jiaarchive.filing import Draft
from jiaarchive.tui import make_app
from jiaarchive.tui.widgets import Selection

from .helpers import make_jpeg
from .test_tui import go_to
from .test_tui_clerk import search_settle, settle

pytestmark = pytest.mark.usefixtures("fixed_clock")


def quiet(pilot: Pilot) -> None:
    """No blinking cursors: the snapshot does not depend on the moment it is taken."""
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False


# ---------------------------------------------------------------- browse


def test_browse_80x24(clerk_archive, snap_compare) -> None:
    """Main screen at 80×24 on 全部档案: the tree (全部档案 10件, volumes A–F with counts before
    their whole titles, C 3 温暖之家, E and F dim, then 标签), the table of ten records (档号 / 日期 /
    题名 / 文件), the first record's detail (档号, 题名, 日期（手工填写）, 年度, 保管期限 …), the status
    line "全部档案：共 10 件", and the footer a 归档 e 修改 d 删除 u 撤销 F1 帮助 / 检索 · Ctrl+P 命令."""
    app = make_app(clerk_archive())

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_browse_marked_with_preview_120x40(clerk_archive, snap_compare) -> None:
    """Chinese-heavy, 120×40: volume B and entry B-1 open, the cursor on 2021 (6 records), the
    table focused with two rows marked (✓ and reversed 档号) and the footer ending "已选 2 件";
    the detail below shows the third record, and after its fields the 正文 preview of its text."""
    app = make_app(clerk_archive())

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await go_to(pilot, Selection(code="B-1", year=2021, kind="year"))
        await pilot.press("tab", "space", "space")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_key_help_80x24(clerk_archive, snap_compare) -> None:
    """F1 at 80×24: the Chinese key help is a band above the footer (title "按键帮助（F1 或 Esc
    关闭）", three columns of keys such as "a 归档", "空格 标记", "Ctrl+A 全选本页"), the table
    above it keeps its full width; no English anywhere."""
    app = make_app(clerk_archive())

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("tab", "f1")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_key_help_120x40(clerk_archive, snap_compare) -> None:
    """F1 at 120×40: the key help is a column on the right, one key a line, the screen's keys
    first (归档, 修改, 删除, 标记 …), then the app's, then moving in the table (上移, 下翻一页 …)."""
    app = make_app(clerk_archive())

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("tab", "f1")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


# ---------------------------------------------------------------- search


def test_search_80x24(clerk_archive, snap_compare) -> None:
    """Search at 80×24 for 教代会: the one-line query box, "检索：教代会 …" and "共 6 件" with the
    volume and year counts, the filters line, five hits of two lines each (档号 日期 题名, then the
    passage with 教代会 marked), the preview of the first hit, and the status line."""
    app = make_app(clerk_archive())

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("slash")
        quiet(pilot)
        await pilot.press(*"教代会")
        await search_settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_search_120x40(clerk_archive, snap_compare) -> None:
    """Search at 120×40 for 提案征集, Enter to the hit list: one hit, B-1·2021-Y-0006 教代会提案征集
    与办理情况汇总, with 提案征集 marked in the title and the passage; below, the passage whole and
    the record's detail."""
    app = make_app(clerk_archive())

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("slash")
        quiet(pilot)
        await pilot.press(*"提案征集", "enter")
        await search_settle(pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


# ---------------------------------------------------------------- forms and dialogs


def test_edit_form_80x24(clerk_archive, snap_compare) -> None:
    """The edit form at 80×24 for A-1·2019-D30-0001: 目录, 题名, 日期, 年度 2019, 保管期限 定期30年,
    页数, 文号, 责任者, 标签, 评分项, 备注, all inside the dialog, buttons 保存(^S) 取消(Esc)."""
    app = make_app(clerk_archive())

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await go_to(pilot, Selection(code="A-1", kind="entry"))
        await pilot.press("tab", "e")
        await settle(pilot)
        quiet(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_bulk_edit_80x24(clerk_archive, snap_compare) -> None:
    """批量修改 at 80×24 over C-2 with all three records marked: "批量修改标记的 3 件记录", the note
    that empty fields change nothing, 目录 （不改）, 年度, 加标签, 去标签, 加评分项, 去评分项."""
    app = make_app(clerk_archive())

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await go_to(pilot, Selection(code="C-2", kind="entry"))
        await pilot.press("tab", "ctrl+a", "e")
        await settle(pilot)
        quiet(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


# ---------------------------------------------------------------- log


def test_log_80x24(clerk_archive, snap_compare) -> None:
    """修改日志 at 80×24: "修改日志（最近的在前）", a table 时间 / 操作人 / 操作 / 档号 of the ten
    filings by 测试员, the newest's lines in Chinese below (题名：…, 日期：…, 文件：…), and the status
    "共 11 条，第 1–11 条"."""
    app = make_app(clerk_archive())

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_history_120x40(clerk_archive, snap_compare) -> None:
    """One record's history at 120×40 after a title change: its filing and its 修改 by 测试员, the
    修改 highlighted with "题名：第五届教代会筹备工作方案 → 教代会筹备方案" below."""
    arch = clerk_archive()
    filing.edit_record(arch, "B-1·2021-Y-0001", title="教代会筹备方案")
    app = make_app(arch)

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await go_to(pilot, Selection(code="B-1", year=2021, kind="year"))
        await pilot.press("tab", "h")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


# ---------------------------------------------------------------- photo problems


@pytest.fixture
def photo_archive(tmp_path: Path, new_archive):
    def fill(arch):
        for i, (name, taken) in enumerate([("IMG_0871.jpg", None), ("运动会照片3.jpg", None),
                                           ("2021-06-25 合唱比赛颁奖.jpg", datetime(2021, 6, 25, 16, 35))]):
            src = make_jpeg(tmp_path / "照片" / name, taken=taken, color=(40 * i, 120, 90))
            filing.file_document(arch, [src], Draft(code="D-5", date=date(2021, 6, 25 + i)))
        from jiaarchive.photos.records import check_archive_photos

        check_archive_photos(arch)
    return new_archive(fill)


def test_photo_problems_80x24(photo_archive, snap_compare) -> None:
    """照片问题 at 80×24: each row a mark (! yellow), the whole 档号 (D-5·2021-D10-000n), the photo's
    name cut to a third of the width, and 问题 as a few words without the name repeated
    (时间仅来自文件名；尺寸过小); below, the highlighted photo's path and its findings in full."""
    app = make_app(photo_archive)

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_photo_problems_120x40(photo_archive, snap_compare) -> None:
    """照片问题 at 120×40: the same rows with the names whole and more of each problem shown."""
    app = make_app(photo_archive)

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)
