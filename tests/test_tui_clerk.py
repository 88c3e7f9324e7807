"""A clerk's day in the TUI (issue 13): each defect a clerk met, and what a records system should do.

The real app over a small archive made here, driven with Pilot at 80×24 unless a test says
otherwise; a fixed clock and clerk name (conftest); tests wait on workers and ``pilot.pause()``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, DataTable, Input, Select

from jiaarchive import audit, filing, opener, userconfig
from jiaarchive.filing import Draft
from jiaarchive.tui import make_app
from jiaarchive.tui.browse import BrowseScreen, filed_summary
from jiaarchive.tui.bulk import BulkEditModal, ExportModal
from jiaarchive.tui.dialogs import ConfirmModal, ErrorModal, NameModal
from jiaarchive.tui.forms import RecordForm
from jiaarchive.tui.help import KeysHelp
from jiaarchive.tui.log import LogScreen
from jiaarchive.tui.palette import NO_MATCHES
from jiaarchive.tui.picker import FilePicker, FileTree
from jiaarchive.tui.search import SearchScreen
from jiaarchive.tui.widgets import CatalogueTree, JiaFooter, RecordDetail, RecordTable, Selection

from .helpers import make_docx, make_pdf, make_text, wait_workers
from .test_tui import go_to, run_async, tree_labels

pytestmark = pytest.mark.usefixtures("fixed_clock")

async def settle(pilot: Pilot) -> None:
    """Wait until no worker runs (but a directory tree's loader, which waits for work forever)."""
    app = pilot.app

    def busy():
        return [w for w in app.workers if w.is_running and w.group != "_loader"]

    for _ in range(50):
        await pilot.pause()
        if busy():
            await wait_workers(app, busy())
        await pilot.pause()
        if not busy():
            return


async def search_settle(pilot: Pilot) -> None:
    for _ in range(200):
        await settle(pilot)
        screen = pilot.app.screen
        if not (isinstance(screen, SearchScreen) and screen.debouncing):
            return
        await pilot.pause(0.05)


def detail_record(app):
    return app.screen.query_one(RecordDetail).record


def text_of(widget) -> str:
    """What a Static shows, as plain text (tables and styles flattened)."""
    import io

    from rich.console import Console

    console = Console(width=max(widget.size.width, 60), file=io.StringIO(), record=True, color_system=None)
    console.print(widget.content)
    return console.export_text()


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


# ---------------------------------------------------------------- 1. a search hit opens that record


@run_async
async def test_1_search_hit_opens_the_hit_not_the_first_row(clerk_archive) -> None:
    arch = clerk_archive()
    hit = filing.get_record(arch, "B-1·2021-Y-0006")
    app = make_app(arch)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # the tree's cursor on F: revealing B-1 · 2021 expands B above it, and the lines shift under it
        await pilot.press(*["down"] * 6)
        await settle(pilot)
        assert app.screen.selection == Selection(code="F", kind="volume")
        await pilot.press("slash", *"提案征集")
        await search_settle(pilot)
        await pilot.press("down")
        await search_settle(pilot)
        assert app.screen.current.archive_no == hit.archive_no
        await pilot.press("enter")
        await search_settle(pilot)
        assert isinstance(app.screen, BrowseScreen)
        assert app.screen.selection == Selection(code="B-1", year=2021, kind="year")
        assert app.screen.table.current.archive_no == hit.archive_no
        assert detail_record(app).archive_no == hit.archive_no


@run_async
async def test_1_reveal_survives_the_tree_highlight_wandering(clerk_archive) -> None:
    """While the tree expands, its cursor passes other nodes; the wanted record still wins."""
    arch = clerk_archive()
    target = filing.get_record(arch, "B-1·2021-Y-0005")
    app = make_app(arch)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        browse = app.screen
        tree = browse.query_one(CatalogueTree)
        browse.show_record(target)
        # the highlight passes the volume, then its entry, before it lands on the year
        tree.post_message(CatalogueTree.SelectionChanged(Selection(code="B", kind="volume")))
        tree.post_message(CatalogueTree.SelectionChanged(Selection(code="B-1", kind="entry")))
        await settle(pilot)
        tree.go_to(tree.find(Selection(code="B-1", year=2021, kind="year")))
        await settle(pilot)
        assert browse.table.current.id == target.id
        assert detail_record(app).id == target.id


# ---------------------------------------------------------------- 2. the detail follows a change


@run_async
async def test_2_after_edit_of_the_code_the_cursor_is_on_the_edited_record(clerk_archive) -> None:
    arch = clerk_archive()
    app = make_app(arch)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, Selection(code="B-1", year=2021, kind="year"))
        await pilot.press("tab", "down", "down")  # the third B-1 record
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        # moved to A-2: volume A opens above the tree's cursor, whose line then shows another node
        form.query_one("#code", Select).value = "A-2"
        await pilot.press("ctrl+s")
        await settle(pilot)
        browse = app.screen
        moved = filing.get_record(arch, "B-1·2021-Y-0003")  # the former number still finds it
        assert moved.archive_no == "A-2·2021-Y-0001"
        assert browse.selection == Selection(code="A-2", year=2021, kind="year")
        assert browse.table.current.id == moved.id
        assert detail_record(app).id == moved.id


@run_async
async def test_2_after_filing_the_detail_shows_the_new_record_at_once(clerk_archive, tmp_path: Path, monkeypatch) -> None:
    arch = clerk_archive()
    src = make_docx(tmp_path / "收件" / "2021-06-01 安全培训签到表.docx", "签到")
    app = make_app(arch)
    seen = []
    original = BrowseScreen.on_browse_screen_records_loaded

    def watched(screen, event) -> None:
        original(screen, event)
        # the moment the table changes, the detail pane shows its cursor's record
        current, shown = screen.table.current, screen.query_one(RecordDetail).record
        seen.append((current and current.id, shown and shown.id))

    monkeypatch.setattr(BrowseScreen, "on_browse_screen_records_loaded", watched)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        browse = app.screen
        await go_to(pilot, Selection(code="E-1", kind="entry"))
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#path", Input).value = str(src)
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        new = filing.get_record(arch, "E-1·2021-D30-0001")
        assert browse.table.current.id == new.id and detail_record(app).id == new.id
    assert seen and all(t == d for t, d in seen)


# ---------------------------------------------------------------- 3, 4. Chinese everywhere; F1


@run_async
async def test_3_palette_no_matches_and_theme_picker_are_chinese(clerk_archive) -> None:
    app = make_app(clerk_archive())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"qqqq")
        await pilot.pause(0.8)
        await settle(pilot)
        shown = str(app.screen.query_one("CommandList").get_option_at_index(0).prompt.renderable)
        assert NO_MATCHES in shown and "No matches" not in shown
        await pilot.press("escape")
        await settle(pilot)
        app.action_change_theme()
        await settle(pilot)
        await pilot.press(*"浅色")
        await pilot.pause(0.5)
        await settle(pilot)
        palette = app.screen
        assert "选择界面配色" in palette.query_one(Input).placeholder
        await pilot.press("enter")
        await settle(pilot)
        assert app.theme == "textual-light"
    assert userconfig.get("tui", "theme") == "textual-light"  # remembered on this computer


@run_async
async def test_3_4_f1_key_help_is_chinese_closes_with_f1_and_esc_and_leaves_the_table(clerk_archive) -> None:
    app = make_app(clerk_archive())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("tab")  # the table focused: its own keys are listed too
        table = app.screen.query_one(RecordTable)
        width_before = table.region.width
        await pilot.press("f1")
        await settle(pilot)
        help_panel = app.screen.query_one(KeysHelp)
        entries = help_panel.entries()
        texts = " ".join(f"{k} {d}" for k, d in entries)
        assert "左翻一页" in texts and "归档" in texts
        for english in ("Page Left", "super", "^pgup", "Copy"):
            assert english not in texts
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in d) for _, d in entries)
        # at 80 columns the help is a band above the footer: the table keeps its width and rows
        assert table.region.width == width_before
        assert not help_panel.region.overlaps(table.region)
        assert table.region.height >= 3
        await pilot.press("f1")
        await settle(pilot)
        assert not app.screen.query(KeysHelp)
        await pilot.press("f1")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not app.screen.query(KeysHelp)
        assert isinstance(app.screen, BrowseScreen)  # Esc closed the help, nothing else


@run_async
async def test_3_footer_keys_read_as_on_the_keyboard(clerk_archive) -> None:
    app = make_app(clerk_archive())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        keys = [str(k.key_display) for k in app.screen.query("FooterKey")]
        assert "Ctrl+P" in keys and "^p" not in keys


# ---------------------------------------------------------------- 5. photo problems at 80×24


@run_async
async def test_5_photo_problems_readable_at_80_columns(tmp_path: Path, new_archive) -> None:
    from .helpers import make_jpeg

    def fill(arch):
        src = make_jpeg(tmp_path / "IMG_0871.jpg")  # no capture time, no description
        filing.file_document(arch, [src], Draft(code="D-5", date=date(2021, 6, 30)))

    app = make_app(new_archive(fill))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        photo = app.screen.photos[0]
        widths = {c.key.value: c.width for c in table.columns.values()}
        assert widths["archive_no"] >= len(photo.archive_no)  # 档号 whole, not "D-5·"
        problem = str(table.get_row_at(0)[3])
        assert photo.name not in problem  # the 问题 column does not repeat the name
        assert problem == "时间仅来自文件名；尺寸过小；名称缺内容说明"  # every problem, in a few words


@run_async
async def test_6_go_to_a_typed_archive_number(clerk_archive) -> None:
    app = make_app(clerk_archive())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g", *"c-2 2020 2", "enter")
        await settle(pilot)
        assert app.screen.table.current.archive_no == "C-2·2020-D30-0002"
        await pilot.press("g", *"b-1 2021", "enter")
        await settle(pilot)
        assert any("对应多件记录" in m for m in notifications(app))


# ---------------------------------------------------------------- 8. unreadable files are said


@run_async
async def test_8_encrypted_file_is_said_at_filing_in_the_table_and_the_detail(clerk_archive, tmp_path: Path) -> None:
    arch = clerk_archive([])
    locked = make_pdf(tmp_path / "收件" / "2021-05-06 工会经费审计报告.pdf", ["审计报告"], password="123")
    app = make_app(arch)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, Selection(code="F-5", kind="entry"))
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#path", Input).value = str(locked)
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("已加密" in m for m in notifications(app))
        table = app.screen.query_one(RecordTable)
        assert str(table.get_row_at(0)[3]).startswith("⚠")
        assert "已加密" in text_of(app.screen.query_one(RecordDetail))


# ---------------------------------------------------------------- 9, 10. true message, progress


def test_9_filed_summary_names_every_year_it_went_to() -> None:
    from dataclasses import replace

    from jiaarchive.filing import RecordView

    base = RecordView(1, "", "D-5", 2026, 1, "定期10年", "照片", "", "", None, "", FIXED, FIXED, None, "", "", "active",
                      (), (), (), ())
    views = tuple(replace(base, id=i, seq=s, year=y, archive_no=f"D-5·{y}-D10-{s:04d}")
                  for i, (y, s) in enumerate([(2026, 21), (2026, 22), (2001, 1), (2026, 23), (2003, 1)]))
    text = filed_summary(views)
    assert text.startswith("已归档 5 件：")
    assert "2026 年 3 件（D-5·2026-D10-0021 至 D-5·2026-D10-0023）" in text
    assert "2001 年 1 件（D-5·2001-D10-0001）" in text and "2003 年 1 件" in text


FIXED = __import__("datetime").datetime(2024, 5, 6, 9, 30)


@run_async
async def test_9_10_filing_a_folder_shows_progress_and_a_true_message(clerk_archive, tmp_path: Path, monkeypatch) -> None:
    arch = clerk_archive([])
    folder = tmp_path / "一批"
    for i, d in enumerate(["2021-03-01", "2021-04-01", "2019-05-01"]):
        make_text(folder / f"{d} 材料{i}.txt", f"材料{i}")
    app = make_app(arch)
    shown: list[str] = []
    original = RecordForm.on_progress_event

    def watched(form, event) -> None:
        original(form, event)
        shown.append(str(form.query_one("#form-status").render()))

    monkeypatch.setattr(RecordForm, "on_progress_event", watched)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, Selection(code="F-6", kind="entry"))
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        form.query_one("#path", Input).value = str(folder)
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        message = next(m for m in notifications(app) if m.startswith("已归档"))
    assert any("正在归档 1/3" in s for s in shown) and any("3/3" in s for s in shown)
    assert any("材料" in s for s in shown)  # the file being filed is named
    assert "2021 年 2 件" in message and "2019 年 1 件" in message


# ---------------------------------------------------------------- 11. the log pages


@run_async
async def test_11_log_screen_says_how_many_and_pages(clerk_archive, monkeypatch) -> None:
    from jiaarchive.tui import log as log_mod

    monkeypatch.setattr(log_mod, "PAGE", 4)
    app = make_app(clerk_archive())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LogScreen)
        status = str(screen.query_one("#log-status").render())
        assert "共 11 条" in status and "第 1–4 条" in status and "更早" in status
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert "第 5–8 条" in str(screen.query_one("#log-status").render())
        detail = str(screen.query_one("#log-detail").render())
        assert "测试员" in detail and "题名：" in detail and "title" not in detail


# ---------------------------------------------------------------- 12. inspector keys


@run_async
async def test_12_inspector_keys_say_read_only(clerk_archive) -> None:
    app = make_app(clerk_archive(read_only=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("tab")
        for key in ("a", "e", "d", "u"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, BrowseScreen)
        assert sum("检查组只读" in m for m in notifications(app)) == 4


# ---------------------------------------------------------------- 13. layout at 80×24


@run_async
async def test_13_code_list_stays_inside_the_form(clerk_archive) -> None:
    app = make_app(clerk_archive())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        select = form.query_one("#code", Select)
        select.focus()
        await pilot.press("enter")
        await settle(pilot)
        overlay = form.find_widget(select.query_one("SelectOverlay")).region
        dialog = form.query_one("#form").region
        assert select.expanded and overlay.height > 3
        assert overlay.bottom <= dialog.bottom - 1  # inside the border


@run_async
async def test_13_tree_shows_whole_volume_titles_at_80_columns(clerk_archive) -> None:
    app = make_app(clerk_archive())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(CatalogueTree)
        label = tree_labels(app)[Selection(code="A", kind="volume")]
        assert label == "A 1 效益（绩效）之家"
        from rich.cells import cell_len

        assert cell_len(label) + 2 <= tree.content_region.width  # "▶ " and the label fit


@run_async
async def test_13_search_shows_five_hits_at_24_rows(clerk_archive) -> None:
    records = [("B-1", date(2021, 1, i + 1), f"教代会材料第{i + 1}号", "教代会") for i in range(8)]
    app = make_app(clerk_archive(records))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"教代会")
        await search_settle(pilot)
        hits = app.screen.query_one("#hits")
        assert hits.content_region.height >= 10  # two lines a hit: five hits in view


@run_async
async def test_13_edit_form_has_year_retention_and_pages(clerk_archive) -> None:
    arch = clerk_archive()
    app = make_app(arch)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, Selection(code="A-1", kind="entry"))
        await pilot.press("tab", "e")
        await settle(pilot)
        form = app.screen
        assert form.query_one("#year", Input).value == "2019"
        assert form.query_one("#retention", Select).value == "定期30年"
        form.query_one("#pages", Input).value = "4"
        form.query_one("#retention", Select).value = "永久"
        assert form.query_one("#form").region.bottom <= 24
        await pilot.press("ctrl+s")
        await settle(pilot)
    rec = filing.get_record(arch, "A-1·2019-D30-0001")
    # a new 保管期限 is a re-filing: the next 件号 of the entry and year (numbers are never reused)
    assert rec.pages == 4 and rec.retention == "永久" and rec.archive_no == "A-1·2019-Y-0002"


# ---------------------------------------------------------------- 14. who


@run_async
async def test_14_the_clerk_is_asked_once_and_recorded(clerk_archive, monkeypatch) -> None:
    monkeypatch.delenv("JIAARCHIVE_USER")
    arch = clerk_archive([])
    app = make_app(arch)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, NameModal)
        await pilot.press(*"周明华", "enter")
        await settle(pilot)
        assert "操作人：周明华" in app.sub_title
    assert userconfig.user_name() == "周明华"
    assert audit.current_user() == "周明华"
    app = make_app(arch)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)  # not asked again on this computer


# ---------------------------------------------------------------- beyond: picker, preview, open


@run_async
async def test_file_picker_starts_at_home_and_remembers_the_folder(clerk_archive, tmp_path: Path) -> None:
    home = Path.home()
    folder = home / "桌面"
    src = make_text(folder / "2021-05-01 会议纪要.txt", "纪要")
    arch = clerk_archive([])
    app = make_app(arch)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, Selection(code="F-6", kind="entry"))
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, FilePicker)
        assert Path(picker.query_one(FileTree).path) == home
        picker.query_one(FileTree).path = folder
        await settle(pilot)
        await pilot.pause(0.2)
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordForm)
        assert app.screen.query_one("#path", Input).value == str(src)
    assert userconfig.get("files", "last_folder") == str(folder)
    assert not (tmp_path / "档案" / "jiaarchive.toml").read_text(encoding="utf-8").count("last_folder")
    app = make_app(arch)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert Path(app.screen.query_one(FileTree).path) == folder


@run_async
async def test_preview_shows_the_text_with_search_words_marked(clerk_archive, tmp_path: Path) -> None:
    app = make_app(clerk_archive())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"提案征集")
        await search_settle(pilot)
        await pilot.press("down", "enter")
        await search_settle(pilot)
        detail = app.screen.query_one(RecordDetail)
        assert "共收到提案十二件" in text_of(detail)
        body = detail.content.columns[1]._cells[-1]  # the preview: the last value of the grid
        assert {str(body)[s.start:s.end] for s in body.spans} & {"提案征集", "提案"}


@run_async
async def test_o_says_clearly_when_there_is_no_viewer(clerk_archive, monkeypatch) -> None:
    monkeypatch.setattr(opener, "launcher", lambda: None)
    app = make_app(clerk_archive())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("tab", "o")
        await settle(pilot)
        assert isinstance(app.screen, ErrorModal)
        assert "没有可用的文件查看程序" in app.screen.message and "请手工打开文件" in app.screen.message


# ---------------------------------------------------------------- beyond: marks, bulk, export


@run_async
async def test_marks_count_in_footer_bulk_edit_and_undo(clerk_archive) -> None:
    arch = clerk_archive()
    app = make_app(arch)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await go_to(pilot, Selection(code="C-2", kind="entry"))
        await pilot.press("tab", "space", "space")
        await settle(pilot)
        footer = app.screen.query_one(JiaFooter)
        assert footer.marked == 2
        assert "已选 2 件" in str(footer.query_one(".footer-marks").render())
        await pilot.press("e")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, BulkEditModal)
        modal.query_one("#bulk-add-tags", Input).value = "关爱、女职工"
        modal.query_one("#bulk-year", Input).value = "2021"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.marked == set()
    views = filing.list_records(arch, code="C-2")
    moved = [v for v in views if v.year == 2021]
    assert len(moved) == 2 and all(v.tags == ("关爱", "女职工") for v in moved)
    app = make_app(arch)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal) and "批量" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
    assert sorted(v.archive_no for v in filing.list_records(arch, code="C-2")) == [
        "C-2·2020-D30-0001", "C-2·2020-D30-0002", "C-2·2020-D30-0003"]  # each its own number back
    assert all(v.tags == () for v in filing.list_records(arch, code="C-2"))


@run_async
async def test_bulk_delete_to_trash_and_undo_restores(clerk_archive) -> None:
    arch = clerk_archive()
    app = make_app(arch)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, Selection(code="C-2", kind="entry"))
        await pilot.press("tab", "ctrl+a")
        await pilot.press("d")
        await settle(pilot)
        assert "3 件" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        assert filing.counts(arch).get(("C-2", 2020)) is None
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert filing.counts(arch)[("C-2", 2020)] == 3


@run_async
async def test_export_marked_records_as_list_and_zip(clerk_archive, tmp_path: Path) -> None:
    import zipfile

    arch = clerk_archive()
    app = make_app(arch)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, Selection(code="B-1", kind="entry"))
        await pilot.press("tab", "space", "space", "x")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ExportModal)
        assert modal.query_one("#export-folder", Input).value == str(arch.root / "导出")
        modal.query_one("#export-folder", Input).value = str(tmp_path / "给检查组")
        modal.query_one("#export-name", Input).value = "教代会"
        assert modal.query_one("#export-zip", Checkbox).value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ExportModal), text_of(modal.query_one("#form-status"))
    names = zipfile.ZipFile(tmp_path / "给检查组" / "教代会.zip").namelist()
    assert "归档文件目录.xlsx" in names and "说明.txt" in names
    assert len([n for n in names if n.startswith("B 民主之家/")]) == 2
    assert (tmp_path / "给检查组" / "教代会.xlsx").is_file()


# ---------------------------------------------------------------- beyond: saved searches, tags


@run_async
async def test_saved_search_and_tag_filter_in_the_tree(clerk_archive) -> None:
    app = make_app(clerk_archive())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"提案")
        await search_settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NameModal)
        await pilot.press("ctrl+u", *"提案办理", "enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        labels = tree_labels(app)
        assert Selection(kind="tags") in labels and Selection(kind="searches") in labels
        saved = Selection(kind="search", name="提案办理", query="提案")
        await go_to(pilot, saved)
        assert [r.archive_no for r in app.screen.table.records] == ["B-1·2021-Y-0006"]
        assert "常用检索“提案办理”：共 1 件" in str(app.screen.query_one("#status").render())
        await go_to(pilot, Selection(kind="tag", tag="教代会"))
        assert len(app.screen.table.records) == 6
    assert [s.name for s in userconfig.saved_searches()] == ["提案办理"]


# ---------------------------------------------------------------- undo of filing and editing


@run_async
async def test_undo_of_an_edit_and_of_a_filing(clerk_archive, tmp_path: Path) -> None:
    arch = clerk_archive()
    app = make_app(arch)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, Selection(code="A-1", kind="entry"))
        await pilot.press("tab", "e")
        await settle(pilot)
        app.screen.query_one("#title", Input).value = "改过的题名"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert filing.get_record(arch, "A-1·2019-D30-0001").title == "改过的题名"
        await pilot.press("u")
        await settle(pilot)
        assert "改过的题名" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        assert filing.get_record(arch, "A-1·2019-D30-0001").title == "青年教师课堂教学大赛通知"
        # the next undo goes one step further back: the filing itself (to the trash, nothing lost)
        await pilot.press("u")
        await settle(pilot)
        assert "归档" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
    assert filing.get_record(arch, "A-1·2019-D30-0001").trashed
