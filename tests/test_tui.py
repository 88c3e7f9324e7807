"""The TUI: the real app over a temporary archive, driven with Pilot; a few snapshots.

Every test builds the app through ``make_app`` over an archive made here, with a fixed clock
and unit name; tests wait on workers and ``pilot.pause()``, never on time.
"""

from __future__ import annotations

import asyncio
import functools
from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select

from jiaarchive import filing
from jiaarchive.filing import Draft
from jiaarchive.tui import make_app
from jiaarchive.tui import browse as browse_mod
from jiaarchive.tui.dialogs import ConfirmModal
from jiaarchive.tui.forms import RecordForm
from jiaarchive.tui.outcomes import ChoiceModal, OutcomeModal
from jiaarchive.tui.trash import TrashScreen
from jiaarchive.tui.widgets import CatalogueTree, PathSuggester, RecordDetail, RecordTable, Selection

from .helpers import TUI_UNIT, make_docx, make_text, wait_workers

UNIT = TUI_UNIT

# (code, date, title, doc_no, responsible, tags): a small archive with Chinese-heavy content
SAMPLE = [
    ("A-1", date(2023, 3, 15), "关于开展2023年度劳动竞赛活动的通知", "示工〔2023〕5号", "校工会", ("劳动竞赛",)),
    ("A-1", date(2023, 11, 20), "劳动竞赛总结表彰大会会议纪要", "", "校工会", ()),
    ("A-1", date(2022, 4, 8), "2022年教职工岗位技能比武实施方案", "示工〔2022〕3号", "校工会", ()),
    ("B-1", date(2023, 1, 10), "第五届教职工代表大会第三次会议决议", "", "教代会主席团", ("教代会", "决议")),
    ("D-5", date(2023, 5, 1), "教职工春季趣味运动会活动照片及报道", "", "文体委员会", ()),
]


def run_async(test):
    """Run an async test on its own event loop (no pytest-asyncio needed)."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return wrapper


pytestmark = pytest.mark.usefixtures("fixed_clock")


@pytest.fixture
def make_archive(tmp_path: Path, new_archive):
    """Factory: an archive with ``records`` (default: SAMPLE) filed from small generated files."""

    def make(records=SAMPLE, *, read_only: bool = False):
        def fill(arch):
            for i, (code, when, title, doc_no, who, tags) in enumerate(records):
                src = make_text(tmp_path / "来源" / f"{i:03d}.txt", f"{title}\n第 {i} 件")
                filing.file_document(arch, [src], Draft(code=code, title=title, date=when, doc_no=doc_no,
                                                        responsible=who, tags=tags))
        return new_archive(fill, read_only=read_only)

    return make


async def settle(pilot: Pilot) -> None:
    """Wait until no worker runs and the messages they posted are handled (workers start workers)."""
    app = pilot.app
    for _ in range(20):
        await pilot.pause()
        await wait_workers(app)
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            return


def tree_labels(app) -> dict[Selection, str]:
    tree = app.screen.query_one(CatalogueTree)
    out: dict[Selection, str] = {}

    def walk(node) -> None:
        for child in node.children:
            out[child.data] = str(child.label)
            walk(child)

    walk(tree.root)
    return out


def footer_actions(app) -> set[str]:
    return {b.action for (_, b, enabled, _) in app.screen.active_bindings.values() if enabled}


async def go_to(pilot: Pilot, sel: Selection) -> None:
    screen = pilot.app.screen
    tree = screen.query_one(CatalogueTree)
    tree.go_to(tree.find(sel))
    await settle(pilot)
    assert screen.selection == sel


# ---------------------------------------------------------------- browsing


@run_async
async def test_main_screen_shows_counts_records_and_detail(make_archive) -> None:
    app = make_app(make_archive())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        labels = tree_labels(app)
        assert labels[Selection()] == "全部档案 5件"
        assert labels[Selection(code="A", kind="volume")] == "A 3 效益（绩效）之家"
        assert labels[Selection(code="C", kind="volume")] == "C 温暖之家"  # nothing filed: no count
        table = app.screen.query_one(RecordTable)
        assert [r.archive_no for r in table.records][:2] == ["A-1·2022-D30-0001", "A-1·2023-D30-0001"]
        assert [str(c.label) for c in table.columns.values()] == ["档号", "日期", "题名", "文件"]
        assert list(table.columns) == ["archive_no", "date", "title", "files"]
        detail = app.screen.query_one(RecordDetail).record
        assert detail is not None and detail.title == "2022年教职工岗位技能比武实施方案"
        assert "全部档案：共 5 件" in str(app.screen.query_one("#status").render())


@run_async
async def test_tree_loads_children_on_expand_and_table_follows(make_archive) -> None:
    app = make_app(make_archive())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(CatalogueTree)
        volume_a = next(n for n in tree.root.children if n.data == Selection(code="A", kind="volume"))
        assert len(volume_a.children) == 0  # not loaded until expanded
        await pilot.press("down", "space")
        await settle(pilot)
        assert [c.data.code for c in volume_a.children] == ["A-1", "A-2", "A-3", "A-4", "A-5"]
        await pilot.press("down", "space")  # A-1, expanded: its years, newest first
        await settle(pilot)
        assert [str(c.label) for c in volume_a.children[0].children] == ["2023 2件", "2022 1件"]
        await pilot.press("down")
        await settle(pilot)
        table = app.screen.query_one(RecordTable)
        assert [r.title for r in table.records] == ["关于开展2023年度劳动竞赛活动的通知", "劳动竞赛总结表彰大会会议纪要"]
        assert app.screen.selection == Selection(code="A-1", year=2023, kind="year")


@run_async
async def test_pages_are_loaded_in_sql(make_archive, monkeypatch) -> None:
    monkeypatch.setattr(browse_mod, "PAGE_SIZE", 2)
    app = make_app(make_archive())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(RecordTable)
        assert len(table.records) == 2
        assert "next_page" in footer_actions(app) and "prev_page" not in footer_actions(app)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert [r.archive_no for r in table.records] == ["A-1·2023-D30-0002", "B-1·2023-Y-0001"]
        assert "第 3–4 件" in str(app.screen.query_one("#status").render())
        assert "prev_page" in footer_actions(app)


# ---------------------------------------------------------------- filing through the form


async def open_file_form(pilot: Pilot, code: str) -> RecordForm:
    """The 归档文件 form opened with ``a`` on catalogue entry ``code``."""
    await settle(pilot)
    await go_to(pilot, Selection(code=code, kind="entry"))
    await pilot.press("a")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, RecordForm)
    return form


@run_async
async def test_file_a_document_and_find_it_in_tree_and_table(make_archive, tmp_path: Path) -> None:
    arch = make_archive()
    src = make_docx(tmp_path / "收件" / "2023年6月1日 教职工安全知识培训签到表.docx", "签到表")
    app = make_app(arch)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_file_form(pilot, "E-1")
        assert isinstance(form, RecordForm)
        assert form.query_one("#code", Select).value == "E-1"  # preselected from the tree
        form.query_one("#path", Input).value = str(src)
        await settle(pilot)
        # title and date prefilled from the file name
        assert form.query_one("#title", Input).value == "教职工安全知识培训签到表"
        assert form.query_one("#date", Input).value == "2023-06-01"
        assert "取自文件名" in str(form.query_one("#form-status").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, RecordForm)
        # found in the tree (a new year under E-1, the cursor on it) and in the table
        labels = tree_labels(app)
        assert labels[Selection(code="E-1", year=2023, kind="year")] == "2023 1件"
        assert labels[Selection(code="E", kind="volume")] == "E 1 安全之家"
        assert labels[Selection()] == "全部档案 6件"
        assert app.screen.selection == Selection(code="E-1", year=2023, kind="year")
        table = app.screen.query_one(RecordTable)
        assert table.current is not None and table.current.archive_no == "E-1·2023-D30-0001"
        assert table.current.date_source == "filename"  # the prefill did not turn into a manual date
    rec = filing.get_record(arch, "E-1·2023-D30-0001")
    assert rec.title == "教职工安全知识培训签到表"
    assert (arch.root / rec.files[0].path).read_bytes() == src.read_bytes()


@run_async
async def test_file_a_folder_each_file_its_own_record_or_all_together(make_archive, tmp_path: Path) -> None:
    arch = make_archive()
    folder = tmp_path / "2023-05-04 青年教师座谈会"
    make_text(folder / "2023-05-04 座谈会通知.txt", "通知")
    make_text(folder / "2023-05-04 座谈会记录.txt", "记录")
    make_docx(folder / "2023-05-06 座谈会简报.docx", "简报")
    make_text(folder / ".hidden.txt", "x")
    make_text(folder / "~$座谈会简报.docx", "lock")
    app = make_app(arch)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_file_form(pilot, "D-3")
        assert not form.query_one("#mode").display  # one file: no choice to make
        form.query_one("#path", Input).value = str(folder)
        await settle(pilot)
        assert form.query_one("#mode").display and form.query_one("#mode", Select).value == "each"
        assert "共 3 个文件" in str(form.query_one("#form-status").render())
        assert form.query_one("#title", Input).value == ""  # each file gives its own
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, RecordForm)
        table = app.screen.query_one(RecordTable)
        assert table.current is not None and table.current.code == "D-3"
    views = filing.list_records(arch, code="D-3")
    assert sorted(v.title for v in views) == ["座谈会简报", "座谈会记录", "座谈会通知"]
    assert {v.date for v in views} == {date(2023, 5, 4), date(2023, 5, 6)}

    # Several paths as one record.
    other = tmp_path / "另一批"
    make_text(other / "签到表.txt", "签到")
    make_text(other / "照片说明.txt", "说明")
    app = make_app(arch)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_file_form(pilot, "D-3")
        form.query_one("#path", Input).value = f"{other / '签到表.txt'}；{other / '照片说明.txt'}"
        await settle(pilot)
        form.query_one("#mode", Select).value = "together"
        form.query_one("#title", Input).value = "青年教师座谈会签到及说明"
        form.query_one("#date", Input).value = "2023-05-04"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, RecordForm)
    together = [v for v in filing.list_records(arch, code="D-3") if v.title == "青年教师座谈会签到及说明"]
    assert len(together) == 1 and len(together[0].files) == 2


def test_source_paths_one_file_a_folder_or_several(tmp_path: Path) -> None:
    from jiaarchive.tui.forms import source_paths

    a = make_text(tmp_path / "甲 文件.txt", "a")
    b = make_text(tmp_path / "乙.txt", "b")
    d = tmp_path / "夹"
    c = make_text(d / "丙.txt", "c")
    make_text(d / ".隐藏", "h")
    assert source_paths(str(a)) == [a]  # a space in the name is not a separator
    assert source_paths(f"{a}; {b}") == [a, b] and source_paths(f"{a}；{b}；{a}") == [a, b]
    assert source_paths(f"'{a}' '{b}'") == [a, b] and source_paths(f'"{a}";"{b}"') == [a, b]
    assert source_paths(str(d)) == [c] and source_paths(f"{d}/") == [c]
    assert source_paths(f"{d};{b}") == [c, b]
    semi = make_text(tmp_path / "会议;纪要.txt", "s")  # a name with “;” is still one file
    assert source_paths(str(semi)) == [semi] and source_paths(f'"{semi}" "{a}"') == [semi, a]
    make_text(d / "Thumbs.db", "t")
    make_text(d / "desktop.ini", "t")
    make_text(d / "~$丙.docx", "t")
    assert source_paths(str(d)) == [c]
    # Windows and network paths keep their backslashes
    assert source_paths('"C:\\档案\\甲.pdf" "\\\\server\\share\\乙.pdf"') == [
        Path("C:\\档案\\甲.pdf"), Path("\\\\server\\share\\乙.pdf")]
    assert source_paths(";") == []


@run_async
async def test_form_checks_values_before_filing(make_archive, tmp_path: Path) -> None:
    arch = make_archive([])
    src = make_text(tmp_path / "x.txt", "内容")
    app = make_app(arch)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        form.query_one("#path", Input).value = str(src)
        await settle(pilot)
        await pilot.press("ctrl+s")  # no entry chosen (the tree is on 全部档案)
        await settle(pilot)
        assert "请选择目录条目" in str(form.query_one("#form-status").render())
        form.query_one("#code", Select).value = "F-6"
        form.query_one("#date", Input).value = "2023-13-45"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "不存在" in str(form.query_one("#form-status").render())
        assert app.screen is form
    assert filing.counts(arch) == {}


@run_async
async def test_duplicate_asks_and_lists_the_outcome_and_keeps_the_form(make_archive, tmp_path: Path) -> None:
    """A duplicate is a question (跳过重复 / 仍然归档), never a hint to add a command-line flag;
    nothing filed: the outcome is listed and the form stays as typed."""
    arch = make_archive()
    again = tmp_path / "来源" / "000.txt"  # already filed as A-1·2023-D30-0001
    app = make_app(arch)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, Selection(code="A-2", kind="entry"))
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#path", Input).value = str(again)
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceModal)
        assert "已经归档过" in app.screen.message and "A-1·2023-D30-0001" in app.screen.message
        assert "--allow-duplicate" not in app.screen.message
        assert app.screen.query("#skip_duplicates") and not app.screen.query("#skip_problems")
        await pilot.press("d")  # 跳过重复
        await settle(pilot)
        assert isinstance(app.screen, OutcomeModal)
        text = "\n".join(app.screen.lines)
        assert "重复，未归档" in text and "A-1·2023-D30-0001" in text and "--allow-duplicate" not in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordForm)  # nothing typed is lost
        assert app.screen.query_one("#path", Input).value == str(again)
    assert sum(filing.counts(arch).values()) == 5


@run_async
async def test_folder_with_problems_files_the_good_ones_and_lists_every_outcome(make_archive, tmp_path: Path) -> None:
    """A folder (with a sub-folder, an empty file, a duplicate and junk): the choice modal, then
    every file's outcome; the good files are filed whatever the others are."""
    arch = make_archive()
    folder = tmp_path / "新建文件夹"
    make_text(folder / "2023-05-04 通知.txt", "座谈会通知")
    make_text(folder / "记录" / "2023-05-05 记录.txt", "座谈会记录")
    (folder / "空.txt").write_bytes(b"")
    (folder / "副本.txt").write_bytes((tmp_path / "来源" / "000.txt").read_bytes())
    make_text(folder / "Thumbs.db", "x")
    app = make_app(arch)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_file_form(pilot, "D-3")
        form.query_one("#path", Input).value = str(folder)
        await settle(pilot)
        assert "共 4 个文件" in str(form.query_one("#form-status").render())  # sub-folder counted, junk not
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceModal) and "副本.txt" in app.screen.message
        await pilot.click("#skip_duplicates")
        await settle(pilot)
        assert isinstance(app.screen, OutcomeModal)
        text = "\n".join(app.screen.lines)
        assert "空文件" in text and "重复，未归档" in text and "D-3·2023" in text
        assert "已归档 2 个文件" in app.screen.result.summary() and "系统文件" in app.screen.result.summary()
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, RecordForm)  # two were filed: they show in the tree
    assert sorted(v.title for v in filing.list_records(arch, code="D-3")) == ["记录", "通知"]


@run_async
async def test_enter_at_the_choice_never_files_a_bad_photo(make_archive, tmp_path: Path) -> None:
    """Review 11: with a duplicate and a damaged photo the focused choice was 跳过重复, so Enter
    filed the damaged photo; now the focus is on 跳过有问题的文件."""
    from .helpers import make_jpeg

    arch = make_archive()
    folder = tmp_path / "现场"
    (folder).mkdir()
    (folder / "副本.txt").write_bytes((tmp_path / "来源" / "000.txt").read_bytes())
    good = make_jpeg(tmp_path / "_good.jpg").read_bytes()
    (folder / "坏.jpg").write_bytes(good[: len(good) // 2])
    make_text(folder / "2023-05-04 通知.txt", "座谈会通知")
    app = make_app(arch)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_file_form(pilot, "D-3")
        form.query_one("#path", Input).value = str(folder)
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceModal) and app.screen.focused.id == "skip_problems"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OutcomeModal)
    assert [v.title for v in filing.list_records(arch, code="D-3")] == ["通知"]


# ---------------------------------------------------------------- edit, delete, restore


@run_async
async def test_edit_a_record(make_archive) -> None:
    arch = make_archive()
    app = make_app(arch)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, Selection(code="B-1", kind="entry"))
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        assert form.query_one("#title", Input).value == "第五届教职工代表大会第三次会议决议"
        form.query_one("#title", Input).value = "第五届教代会第三次会议决议"
        form.query_one("#remarks", Input).value = "原件存党政办"
        await pilot.press("ctrl+s")
        await settle(pilot)
        table = app.screen.query_one(RecordTable)
        assert table.current is not None and table.current.title == "第五届教代会第三次会议决议"
    rec = filing.get_record(arch, "B-1·2023-Y-0001")
    assert rec.remarks == "原件存党政办" and rec.tags == ("决议", "教代会")


@run_async
async def test_delete_asks_first_and_trash_restores(make_archive) -> None:
    arch = make_archive()
    app = make_app(arch)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, Selection(code="D-5", kind="entry"))
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert "D-5·2023-D10-0001" in app.screen.question
        await pilot.press("n")
        await settle(pilot)
        assert sum(filing.counts(arch).values()) == 5
        await pilot.press("d", "y")
        await settle(pilot)
        assert tree_labels(app)[Selection()] == "全部档案 4件"
        assert app.screen.query_one(RecordTable).records == []
        assert "edit_record" not in footer_actions(app)  # nothing selected: no edit or delete
        assert "delete_record" not in footer_actions(app)

        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TrashScreen)
        trash_table = app.screen.query_one(RecordTable)
        assert [r.archive_no for r in trash_table.records] == ["D-5·2023-D10-0001"]
        await pilot.press("u")
        await settle(pilot)
        assert trash_table.records == []
        await pilot.press("escape")
        await settle(pilot)
        assert tree_labels(app)[Selection()] == "全部档案 5件"
    assert filing.get_record(arch, "D-5·2023-D10-0001").status == "active"


# ---------------------------------------------------------------- inspector mode, palette


@run_async
async def test_inspector_mode_hides_every_change(make_archive) -> None:
    app = make_app(make_archive(read_only=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "检查组只读" in app.sub_title
        actions = footer_actions(app)
        assert {"file_document", "edit_record", "delete_record"}.isdisjoint(actions)
        assert "show_trash" in actions
        await pilot.press("a", "e", "d")
        await settle(pilot)
        assert app.screen.id == "browse"
        names = [c.title for c in app.get_system_commands(app.screen)]
        assert not any(n.startswith(("归档", "记录")) for n in names)
        await pilot.press("t")
        await settle(pilot)
        assert "restore_record" not in footer_actions(app)


@run_async
async def test_palette_commands_are_chinese(make_archive) -> None:
    app = make_app(make_archive())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        names = [c.title for c in app.get_system_commands(app.screen)]
        assert "归档: 归档文件" in names and "回收站: 查看并恢复" in names
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in n) for n in names)
        bindings = [b for (_, b, _, _) in app.screen.active_bindings.values() if b.show]
        assert all(b.id for b in bindings)
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in b.description) for b in bindings)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"归档文件")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordForm)


def test_run_opens_the_archive_read_only_for_inspectors(make_archive, monkeypatch) -> None:
    from jiaarchive.tui import run
    from jiaarchive.tui.app import JiaApp

    root = make_archive().root
    seen = []
    monkeypatch.setattr(JiaApp, "run", lambda self: seen.append((self.archive.read_only, self.sub_title)))
    run(root)
    run(root, inspector=True)
    assert seen == [(False, f"{UNIT} · 操作人：测试员"), (True, f"{UNIT}（检查组只读） · 操作人：测试员")]


@run_async
async def test_path_suggester_completes_files_and_folders(tmp_path: Path) -> None:
    (tmp_path / "会议纪要").mkdir()
    (tmp_path / "会议纪要" / "2023年职代会.docx").write_bytes(b"x")
    (tmp_path / "照片.jpg").write_bytes(b"x")
    s = PathSuggester()
    assert await s.get_suggestion(f"{tmp_path}/会") == f"{tmp_path}/会议纪要/"
    assert await s.get_suggestion(f"{tmp_path}/会议纪要/2") == f"{tmp_path}/会议纪要/2023年职代会.docx"
    assert await s.get_suggestion(f"{tmp_path}/照片.jpg") is None
    assert await s.get_suggestion(f"{tmp_path}/无此文件") is None


# ---------------------------------------------------------------- snapshots


def test_snapshot_file_form_80x24(make_archive, snap_compare, tmp_path: Path, monkeypatch) -> None:
    """The 归档文件 form at 80×24 over the main screen: 文件 with a relative path and the picker
    button 选择…(^O) beside it, 目录 preselected
    as "B-1 职代会制度成套文件及落实情况资料", 题名 and 日期 prefilled from the file name
    (职代会提案征集通知, 2023-02-20), the note "文本；题名取自文件名，日期取自文件名。", and the
    buttons 归档(^S) 取消(Esc)."""
    monkeypatch.chdir(tmp_path)
    make_text(tmp_path / "收件" / "2023-02-20 职代会提案征集通知.txt", "提案征集")
    app = make_app(make_archive())

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await go_to(pilot, Selection(code="B-1", kind="entry"))
        await pilot.press("a")
        await settle(pilot)
        for box in pilot.app.screen.query(Input):
            box.cursor_blink = False
        await pilot.press(*"收件/2023-02-20 职代会提案征集通知.txt")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
