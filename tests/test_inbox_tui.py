"""The TUI's inbox screen: proposals in a worker, accept / change / skip / set aside, and resuming."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from jiaarchive import filing
from jiaarchive.inbox import queue as queue_mod
from jiaarchive.tui import make_app
from jiaarchive.tui.browse import BrowseScreen
from jiaarchive.tui.inbox import InboxScreen, TextModal

from .helpers import make_docx, make_jpeg, make_text
from .test_tui import run_async, settle

pytestmark = pytest.mark.usefixtures("fixed_clock")


def _pile(root: Path) -> Path:
    make_docx(root / "2021职代会" / "文档1.docx", "关于召开第三届职工代表大会第二次会议的通知\n各代表团：\n会议审议提案。\n工会\n2021年3月2日")
    make_text(root / "新建文件夹" / "a.txt", "2021年“安全生产月”活动方案\n开展安全知识竞赛。\n2021年5月25日")
    make_text(root / "新建文件夹" / "b.txt", "工会经费收支预算表\n会费收入 拨缴经费\n2021年1月20日")
    make_jpeg(root / "微信文件" / "IMG_0001.jpg")
    return root


async def _open_inbox(pilot, pile: Path) -> InboxScreen:
    app = pilot.app
    await settle(pilot)
    await pilot.press("i")
    await settle(pilot)
    assert isinstance(app.screen, TextModal)  # a new queue: where is the pile?
    app.screen.query_one(Input).value = str(pile)
    await pilot.press("enter")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, InboxScreen)
    return screen


def _entry(screen: InboxScreen, rel: str) -> int:
    return next(i for i, e in enumerate(screen.queue.entries) if e.rel == rel)


@run_async
async def test_inbox_queue_accept_change_skip_and_resume(new_archive, tmp_path: Path) -> None:
    """The clerk opens the inbox (i), analyses a folder, files one file as proposed, changes
    another's code and files it, skips the photo, leaves; reopening resumes the same queue."""
    arch = new_archive()
    pile = _pile(tmp_path / "一堆")
    app = make_app(arch)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_inbox(pilot, pile)
        q = screen.queue
        assert q is not None and len(q.entries) == 4
        meeting = _entry(screen, "2021职代会/文档1.docx")
        assert q.entries[meeting].code == "B-1"
        assert q.entries[meeting].title == "关于召开第三届职工代表大会第二次会议的通知"

        screen.table.move_cursor(row=meeting)
        await pilot.press("enter")  # accept as proposed
        await settle(pilot)
        e = screen.queue.entries[meeting]
        assert e.state == queue_mod.FILED and e.archive_no.startswith("B-1·2021")

        budget = _entry(screen, "新建文件夹/b.txt")
        screen.table.move_cursor(row=budget)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, TextModal)
        app.screen.query_one(Input).value = ""
        await pilot.press("工", "会", "会")  # the start of an entry's name completes to it
        await settle(pilot)
        assert app.screen.query_one(Input)._suggestion == "工会会议纪要、信息、简报（F-6）"
        await pilot.press("right", "enter")
        await settle(pilot)
        assert screen.queue.entries[budget].code == "F-6"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.queue.entries[budget].state == queue_mod.FILED

        photo = _entry(screen, "微信文件/IMG_0001.jpg")
        screen.table.move_cursor(row=photo)
        await pilot.press("s")
        await settle(pilot)
        assert screen.queue.entries[photo].state == queue_mod.SKIPPED
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)

    records = filing.list_records(arch)
    assert {r.code for r in records} == {"B-1", "F-6"}

    app = make_app(arch)  # later: the queue is still there
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InboxScreen) and screen.queue is not None
        states = {e.rel: e.state for e in screen.queue.entries}
        assert states["2021职代会/文档1.docx"] == queue_mod.FILED
        assert states["微信文件/IMG_0001.jpg"] == queue_mod.SKIPPED
        assert states["新建文件夹/a.txt"] == queue_mod.PENDING
        assert screen.table.cursor_row == _entry(screen, "新建文件夹/a.txt")  # resumes at the first file still to do
        await pilot.press("x")  # not to be filed
        await settle(pilot)
        assert screen.queue.entries[_entry(screen, "新建文件夹/a.txt")].state == queue_mod.NOT_FILED_STATE
    saved = queue_mod.load(arch)
    assert saved is not None
    assert {e.rel: e.state for e in saved.entries}["新建文件夹/a.txt"] == queue_mod.NOT_FILED_STATE


@run_async
async def test_inbox_damaged_queue_is_set_aside(new_archive, tmp_path: Path) -> None:
    """A queue file that is not valid (edited, truncated) is reported, kept aside, and a new pile asked for."""
    arch = new_archive()
    path = queue_mod.path_for(arch)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"schema": "jiaarchive-inbox-queue-1", "source": ', encoding="utf-8")
    app = make_app(arch)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("y")  # 重新开始
        await settle(pilot)
        assert isinstance(app.screen, TextModal)
    assert not path.exists()
    assert list(path.parent.glob("queue.damaged-*.json"))


@run_async
async def test_proposals_run_in_a_worker_with_progress_and_the_screen_stays_usable(new_archive, tmp_path: Path,
                                                                                  monkeypatch) -> None:
    """While the proposals are computed the status line shows n / N and the file, keys still work
    (Esc leaves at once), and nothing half-done is saved."""
    import threading

    from jiaarchive import inbox
    from jiaarchive.inbox.progress import Step

    release = threading.Event()
    started = threading.Event()

    def slow_propose(archive, source, staging, *, report, cancelled, **_kw):  # noqa: ANN001, ANN202
        report(Step(1, 5, "微信文件/通知.docx", "提取文字", 0.0))
        started.set()
        while not release.wait(0.01):
            if cancelled():
                break
        return inbox.Pile(source)

    monkeypatch.setattr(inbox, "propose_pile", slow_propose)
    arch = new_archive()
    pile = _pile(tmp_path / "一堆")
    app = make_app(arch)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        app.screen.query_one(Input).value = str(pile)
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause()
            if started.is_set():
                break
        await pilot.pause(0.2)
        screen = app.screen
        assert isinstance(screen, InboxScreen) and screen.busy
        status = str(screen.query_one("#inbox-status").render())
        assert "1/5" in status and "微信文件/通知.docx" in status
        await pilot.press("escape")  # the UI answers while the worker is still busy
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        release.set()
        await settle(pilot)
    assert queue_mod.load(arch) is None
