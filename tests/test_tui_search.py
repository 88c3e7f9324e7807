"""The TUI search screen: results as one types (debounced, in a worker), highlighted matches,
filters by volume and year, Enter to the record and back, ``o`` to the system viewer.

The app is built over a small archive filed here (text and docx files with Chinese content),
with a fixed clock; tests wait on the debounce timer, workers and ``pilot.pause()``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select

from jiaarchive import filing, indexing, opener
from jiaarchive.filing import Draft
from jiaarchive.search.index import SearchIndex
from jiaarchive.tui import make_app
from jiaarchive.tui import search as search_mod
from jiaarchive.tui.browse import BrowseScreen
from jiaarchive.tui.dialogs import ErrorModal
from jiaarchive.tui.search import MATCH_STYLE, SearchScreen
from jiaarchive.tui.widgets import RecordDetail, RecordTable, Selection

from .helpers import TUI_UNIT, make_docx, make_text, wait_workers
from .test_tui import run_async

UNIT = TUI_UNIT

# (code, date, title, doc_no, body, as docx)
RECORDS = [
    ("B-1", date(2023, 1, 10), "第五届教职工代表大会第三次会议决议", "",
     "会议审议通过了学校集体合同草案和工会工作报告。\n与会代表一致同意。", True),
    ("B-1", date(2022, 2, 20), "关于召开第五届教代会第二次会议的通知", "示工〔2022〕2号",
     "定于2022年3月召开会议，审议集体合同履行情况报告。", False),
    ("A-1", date(2023, 3, 15), "关于开展2023年度劳动竞赛活动的通知", "示工〔2023〕5号",
     "在全校教职工中开展劳动竞赛，比技能、比贡献。", False),
    ("F-2", date(2021, 5, 10), "工会会员花名册（2021年5月）", "",
     "会员名单：张三 李四 王五", False),
    ("D-5", date(2023, 5, 1), "教职工春季趣味运动会活动报道", "",
     "运动会设拔河等集体项目，增强团队意识。", False),
]


pytestmark = pytest.mark.usefixtures("fixed_clock")


@pytest.fixture
def make_archive(tmp_path: Path, new_archive):
    """Factory: the archive of RECORDS; ``trashed`` adds one more 集体合同 record, in the trash."""

    def make(*, read_only: bool = False, trashed: bool = False, no_index: bool = False):
        rows = list(RECORDS)
        if trashed:
            rows.append(("B-1", date(2021, 6, 1), "2021年集体合同（旧稿）", "", "集体合同旧稿，已作废。", False))

        def fill(arch):
            for i, (code, when, title, doc_no, body, docx) in enumerate(rows):
                name = tmp_path / "来源" / f"{i:03d}.{'docx' if docx else 'txt'}"
                src = make_docx(name, body) if docx else make_text(name, body)
                view = filing.file_document(arch, [src], Draft(code=code, title=title, date=when, doc_no=doc_no))
                if "旧稿" in title:
                    filing.trash_record(arch, view.id)
            if no_index:
                indexing.close(arch)
                shutil.rmtree(indexing.index_dir(arch))
        return new_archive(fill, read_only=read_only)

    return make


async def settle(pilot: Pilot) -> None:
    """Wait for the debounce timer, then until no worker runs and their messages are handled."""
    app = pilot.app
    for _ in range(400):
        screen = app.screen
        if isinstance(screen, SearchScreen) and screen.debouncing:
            await pilot.pause(0.02)  # the timer needs real time to pass; poll until it fired
            continue
        await pilot.pause()
        await wait_workers(app)
        await pilot.pause()
        if not any(w.is_running for w in app.workers) and not (isinstance(app.screen, SearchScreen) and app.screen.debouncing):
            return


async def open_search(pilot: Pilot, text: str = "") -> SearchScreen:
    await settle(pilot)
    await pilot.press("slash")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    if text:
        await pilot.press(*text)
        await settle(pilot)
    return screen


def titles(screen: SearchScreen) -> list[str]:
    return [h.title for h in screen.hits]


def marked(content, style: str = MATCH_STYLE) -> list[str]:
    """The pieces of a rendered prompt that carry ``style``."""
    plain = content.plain
    return [plain[s.start : s.end] for s in content.spans if str(s.style) == style]


# ---------------------------------------------------------------- typing and results


@run_async
async def test_typing_shows_hits_with_matched_words_highlighted(make_archive) -> None:
    app = make_app(make_archive())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_search(pilot, "集体合同")
        assert app.screen.query_one("#query", Input).has_focus
        assert sorted(titles(screen)) == ["关于召开第五届教代会第二次会议的通知", "第五届教职工代表大会第三次会议决议"]
        summary = str(screen.query_one("#search-summary").render())
        assert "检索：集体合同" in summary and "共 2 件" in summary
        assert "卷 B 2" in summary and "2023 1" in summary and "2022 1" in summary
        prompt = screen.hit_list.get_option_at_index(0).prompt
        assert marked(prompt) == ["集体合同"]
        hit = screen.hits[0]
        assert hit.archive_no in prompt.plain and hit.date in prompt.plain
        # the preview: the whole passage marked, and the record's fields from the database
        await settle(pilot)
        detail = screen.query_one("#search-detail", RecordDetail)
        assert detail.record is not None and detail.record.id == hit.record_id
        assert "集体合同" in str(screen.query_one("#hit-passage").render())


@run_async
async def test_typing_fires_one_search_after_the_pause(make_archive, monkeypatch) -> None:
    calls: list[str] = []
    real = SearchIndex.search

    def counting(self, query, **kw):
        calls.append(str(query))
        return real(self, query, **kw)

    monkeypatch.setattr(SearchIndex, "search", counting)
    monkeypatch.setattr(search_mod, "DEBOUNCE", 0.6)  # wider than four key presses on a busy machine
    app = make_app(make_archive())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_search(pilot)
        await pilot.press(*"劳动竞赛")
        assert screen.debouncing and calls == []  # nothing searched while typing
        await settle(pilot)
        assert calls == ["劳动竞赛"]
        assert titles(screen) == ["关于开展2023年度劳动竞赛活动的通知"]
        await pilot.press("backspace", "backspace", "backspace", "backspace")
        await settle(pilot)
        assert calls == ["劳动竞赛"]  # the empty box asks nothing and clears the list
        assert screen.hits == [] and screen.hit_list.option_count == 0


@run_async
async def test_answers_to_older_queries_are_dropped(make_archive) -> None:
    arch = make_archive()
    app = make_app(arch)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_search(pilot, "集体合同")
        shown = titles(screen)
        old = indexing.open_index(arch).search("会员")
        screen.post_message(SearchScreen.Searched(screen._seq - 1, screen.request, old, 0.0))
        await settle(pilot)
        assert titles(screen) == shown


@run_async
async def test_fresh_clone_builds_the_index_in_the_worker(make_archive) -> None:
    app = make_app(make_archive(no_index=True))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_search(pilot, "花名册")
        assert titles(screen) == ["工会会员花名册（2021年5月）"]
        assert "已重建（5 件）" in str(screen.query_one("#search-status").render())
        assert indexing.index_dir(app.archive).is_dir()


# ---------------------------------------------------------------- filters


@run_async
async def test_volume_and_year_filters_narrow_the_results(make_archive) -> None:
    app = make_app(make_archive(trashed=True))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_search(pilot, "集体")  # 集体合同 ×2 (B) and 集体项目 (D)
        assert len(screen.hits) == 3
        screen.query_one("#filter-year", Select).value = 2023
        await settle(pilot)
        assert sorted(titles(screen)) == ["教职工春季趣味运动会活动报道", "第五届教职工代表大会第三次会议决议"]
        assert "2023 年" in str(screen.query_one("#search-summary").render())
        screen.query_one("#filter-volume", Select).value = "D"
        await settle(pilot)
        assert titles(screen) == ["教职工春季趣味运动会活动报道"]
        screen.query_one("#filter-volume", Select).value = "A"
        await settle(pilot)
        assert screen.hits == []
        assert "没有找到" in str(screen.query_one("#search-status").render())
        # x clears the filters (from the list or a filter, not while typing), ctrl+t adds the trash
        screen.query_one("#filter-volume", Select).focus()
        await pilot.press("x")
        await settle(pilot)
        assert len(screen.hits) == 3
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert len(screen.hits) == 4
        old = next(h for h in screen.hits if h.trashed)
        assert old.title == "2021年集体合同（旧稿）"
        assert "（回收站）" in screen.hit_list.get_option_at_index(screen.hits.index(old)).prompt.plain


@run_async
async def test_last_row_shows_more_hits(make_archive, monkeypatch) -> None:
    monkeypatch.setattr(search_mod, "PAGE", 2)
    app = make_app(make_archive())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_search(pilot, "集体")
        assert len(screen.hits) == 2 and screen.hit_list.option_count == 3
        assert "共 3 件，显示前 2 件" in str(screen.query_one("#search-summary").render())
        await pilot.press("enter", "end")  # to the list, to its last row
        assert screen.current is None and "open_file" not in {
            b.action for (_, b, enabled, _) in screen.active_bindings.values() if enabled
        }
        await pilot.press("enter")
        await settle(pilot)
        assert len(screen.hits) == 3 and screen.hit_list.option_count == 3
        assert screen.current is screen.hits[2]  # the cursor on the first new hit


# ---------------------------------------------------------------- to the record and back


@run_async
async def test_enter_opens_the_record_and_slash_returns_to_the_results(make_archive) -> None:
    app = make_app(make_archive())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_search(pilot)
        await pilot.press(*"劳动竞赛", "space", *"通知", "enter")  # Enter: search now, then to the list
        await settle(pilot)
        assert screen.hit_list.has_focus
        hit = screen.current
        assert hit is not None and hit.title == "关于开展2023年度劳动竞赛活动的通知"
        await pilot.press("enter")
        await settle(pilot)
        browse = app.screen
        assert isinstance(browse, BrowseScreen)
        assert browse.selection == Selection(code="A-1", year=2023, kind="year")
        table = browse.query_one(RecordTable)
        assert table.current is not None and table.current.id == hit.record_id
        assert table.has_focus
        await pilot.press("slash")
        await settle(pilot)
        assert app.screen is screen  # the same screen: query, results and cursor kept
        assert screen.query_one("#query", Input).value == "劳动竞赛 通知"
        assert screen.current is not None and screen.current.record_id == hit.record_id
        assert screen.hit_list.has_focus
        await pilot.press("slash")  # on the search screen: back to the box, text selected
        assert screen.query_one("#query", Input).has_focus
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)


@run_async
async def test_inspector_searches_and_opens_records(make_archive) -> None:
    app = make_app(make_archive(read_only=True, no_index=True))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_search(pilot)
        screen.query_one("#query", Input).value = "示工〔2022〕2号"  # pasted: Pilot has no keys for 〔〕
        await settle(pilot)
        assert titles(screen) == ["关于召开第五届教代会第二次会议的通知"]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)
        assert app.screen.query_one(RecordTable).current.title == "关于召开第五届教代会第二次会议的通知"


@run_async
async def test_slash_palette_and_footer_from_the_browse_screen(make_archive) -> None:
    app = make_app(make_archive())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = {b.action: (b.key, b.description) for (_, b, enabled, _) in app.screen.active_bindings.values() if enabled and b.show}
        assert shown["open_search"] == ("slash", "检索")
        names = [c.title for c in app.get_system_commands(app.screen)]
        assert "检索: 全文检索" in names
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"全文检索")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)


# ---------------------------------------------------------------- opening the file


@run_async
async def test_o_opens_the_matched_file_with_the_system_viewer(make_archive, monkeypatch) -> None:
    arch = make_archive()
    launched: list[Path] = []
    monkeypatch.setattr(opener, "launcher", lambda: launched.append)
    app = make_app(arch)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_search(pilot, "拔河")
        await pilot.press("o")  # typed into the box: a letter, not the key
        await settle(pilot)
        assert launched == []
        await pilot.press("backspace")
        await settle(pilot)
        await pilot.press("down")  # from the box to the list
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        record = filing.get_record(arch, screen.current.record_id)
        assert launched == [(arch.root / record.files[0].path).resolve()]
        assert launched[0].is_absolute() and launched[0].is_file()

        monkeypatch.setattr(opener, "launcher", lambda: None)  # no viewer on this machine
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, ErrorModal)
        assert str(launched[0]) in app.screen.message and "没有可用的文件查看程序" in app.screen.message


class FakeOpener:
    """xdg-open as started: still running after the short wait (a viewer opened), or done with ``code``."""

    def __init__(self, code: int | None) -> None:
        self.code = code

    def wait(self, timeout: float) -> int:
        if self.code is None:
            raise subprocess.TimeoutExpired("xdg-open", timeout)
        return self.code


def test_opener_uses_xdg_open_without_waiting_for_the_viewer(tmp_path: Path, monkeypatch) -> None:
    target = make_text(tmp_path / "文件 一.txt", "x")
    started = []
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(subprocess, "Popen", lambda args, **kw: started.append((args, kw)) or FakeOpener(None))
    assert opener.open_file(tmp_path / "." / "文件 一.txt") == target.resolve()
    [(args, kw)] = started
    assert args == ["/usr/bin/xdg-open", str(target.resolve())]
    assert kw["start_new_session"] and kw["stdout"] == subprocess.DEVNULL

    monkeypatch.setattr(sys, "platform", "darwin")
    opener.open_file(target)
    assert started[-1][0][0] == "/usr/bin/open"

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(opener.os, "startfile", lambda p: started.append(("startfile", p)), raising=False)
    opener.open_file(target)
    assert started[-1] == ("startfile", target.resolve())


def test_opener_says_when_no_program_can_open_the_file(tmp_path: Path, monkeypatch) -> None:
    target = make_text(tmp_path / "纪要.txt", "x")
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(subprocess, "Popen", lambda args, **kw: FakeOpener(3))  # xdg-open: no method available
    with pytest.raises(opener.NoViewer, match="没有能打开这种文件的程序"):
        opener.open_file(target)


def test_opener_says_where_the_file_is_when_it_cannot_open_it(tmp_path: Path, monkeypatch) -> None:
    target = make_text(tmp_path / "纪要.txt", "x")
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(opener.NoViewer, match="xdg-open") as info:
        opener.open_file(target)
    assert str(target.resolve()) in str(info.value)
    with pytest.raises(opener.FileMissing, match="不存在"):
        opener.open_file(tmp_path / "无此文件.txt")


# ---------------------------------------------------------------- snapshot
