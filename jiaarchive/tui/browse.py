"""The main screen: catalogue tree, the records of the selection, and the detail of one record."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker

from .. import filing
from ..filing import RecordView
from .dialogs import ConfirmModal, ReportsWorkerErrors
from .forms import RecordForm
from .keys import SCREEN_BINDINGS, JiaScroll
from .widgets import CatalogueTree, RecordDetail, RecordTable, Selection

if TYPE_CHECKING:
    from .app import JiaApp

PAGE_SIZE = 200  # rows per page; a selection with more is paged in SQL


class BrowseScreen(ReportsWorkerErrors, Screen[None]):
    """浏览: the tree on the left, the table and the detail pane on the right."""

    BINDINGS = SCREEN_BINDINGS + [
        Binding("a", "file_document", "归档", id="file"),
        Binding("i", "show_inbox", "收件箱", show=False, id="inbox"),
        Binding("e", "edit_record", "修改", id="edit"),
        Binding("d,delete", "delete_record", "删除", id="delete"),
        Binding("t", "show_trash", "回收站", id="trash"),
        Binding("c", "show_dashboard", "自查", id="dashboard"),
        Binding("p", "show_photos", "照片", id="photos"),
        Binding("P", "show_photo_problems", "照片问题", show=False, id="photo_problems"),
        Binding("r", "refresh", "刷新", id="refresh"),
        Binding("left_square_bracket", "prev_page", "上页", id="prev_page"),
        Binding("right_square_bracket", "next_page", "下页", id="next_page"),
        Binding("q", "app.quit", "退出", id="quit"),
    ]

    # (command palette name, help, action): every feature of the screen, in Chinese
    PALETTE = (
        ("归档: 归档文件", "把一个文件归入当前目录条目", "file_document"),
        ("归档: 收件箱（整理一堆文件）", "文件夹或压缩包中的文件逐个建议目录、题名、日期，确认后归档（i）", "show_inbox"),
        ("记录: 修改选中的记录", "修改题名、日期、目录等", "edit_record"),
        ("记录: 删除选中的记录", "移入回收站，可恢复", "delete_record"),
        ("回收站: 查看并恢复", "已删除的记录", "show_trash"),
        ("报告: 迎检自查仪表盘", "对照评分表看证明材料、缺口、否决条件，录入自查分", "show_dashboard"),
        ("照片: 查看选中记录的照片", "预览、检查结果，补充事由和拍摄时间，按规则命名", "show_photos"),
        ("照片: 照片问题", "档案中有错误或提示的全部照片，逐张处理", "show_photo_problems"),
        ("视图: 刷新", "重新读取目录计数和记录", "refresh"),
        ("视图: 下一页", "当前选择的下一页记录", "next_page"),
        ("视图: 上一页", "当前选择的上一页记录", "prev_page"),
        ("简况: 修改单位简况", "职工数、会员数、换届、测评票等否决条件依据的事实", "edit_profile"),
    )

    class CountsLoaded(Message):
        def __init__(self, counts: dict[tuple[str, int], int], reveal: Selection | None, focus_id: int | None) -> None:
            super().__init__()
            self.counts = counts
            self.reveal = reveal
            self.focus_id = focus_id

    class RecordsLoaded(Message):
        def __init__(self, selection: Selection, page: int, records: list[RecordView], more: bool, focus_id: int | None) -> None:
            super().__init__()
            self.selection = selection
            self.page = page
            self.records = records
            self.more = more
            self.focus_id = focus_id

    class Changed(Message):
        """A record was trashed by this screen."""

        def __init__(self, record: RecordView) -> None:
            super().__init__()
            self.record = record

    app: "JiaApp"

    def __init__(self) -> None:
        super().__init__(id="browse")
        self.selection = Selection()
        self.page = 0
        self.more = False
        self._keep_row: int | None = None

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        arch = self.app.archive
        yield Header()
        with Horizontal(id="browse-body"):
            yield CatalogueTree(arch.catalogue.volumes, arch.entries(), id="tree")
            with Vertical(id="browse-right"):
                yield RecordTable(id="records")
                with JiaScroll(id="detail-box"):
                    yield RecordDetail(id="detail")
                yield Static("正在读取……", id="status")
        yield Footer()

    def on_mount(self) -> None:
        tree = self.query_one(CatalogueTree)
        tree.focus()
        self.query_one(RecordDetail).show(None)
        self.reload()

    @property
    def table(self) -> RecordTable:
        return self.query_one(RecordTable)

    @property
    def current(self) -> RecordView | None:
        return self.table.current

    # ------------------------------------------------------------------ loading
    def reload(self, *, reveal: Selection | None = None, focus_id: int | None = None) -> None:
        """Counts for the tree, then the records of the selection (or of ``reveal``)."""
        self._status("正在读取……")
        self.load_counts(reveal, focus_id)

    @work(thread=True, exclusive=True, group="counts", exit_on_error=False)
    def load_counts(self, reveal: Selection | None, focus_id: int | None) -> None:
        counts = filing.counts(self.app.archive)
        if not get_current_worker().is_cancelled:
            self.post_message(self.CountsLoaded(counts, reveal, focus_id))

    def on_browse_screen_counts_loaded(self, event: CountsLoaded) -> None:
        tree = self.query_one(CatalogueTree)
        tree.update_counts(event.counts)
        if event.reveal is not None:
            reached = tree.find(event.reveal)
            if reached is not None and reached.data is not None:
                self.selection = reached.data  # set first, so the highlight it causes is not a new load
                self.page = 0
                tree.go_to(reached)
        elif tree.cursor_node is None:
            tree.go_to(tree.find(self.selection))
        self.load_records(self.selection, self.page, event.focus_id)

    @work(thread=True, exclusive=True, group="records", exit_on_error=False)
    def load_records(self, selection: Selection, page: int, focus_id: int | None = None) -> None:
        rows = filing.list_records(
            self.app.archive, code=selection.code, year=selection.year, limit=PAGE_SIZE + 1, offset=page * PAGE_SIZE
        )
        if not get_current_worker().is_cancelled:
            self.post_message(self.RecordsLoaded(selection, page, rows[:PAGE_SIZE], len(rows) > PAGE_SIZE, focus_id))

    def on_browse_screen_records_loaded(self, event: RecordsLoaded) -> None:
        if event.selection != self.selection or event.page != self.page:
            return  # the clerk has moved on
        self.more = event.more
        keep, self._keep_row = self._keep_row, None
        self.table.show(event.records, focus_id=event.focus_id, focus_row=keep)
        total = self.query_one(CatalogueTree).count(self.selection)
        text = f"{self.selection.describe()}：共 {total} 件"
        if self.page or self.more:
            first = self.page * PAGE_SIZE + 1
            text += f"，第 {first}–{first + len(event.records) - 1} 件（[ ] 翻页）"
        self._status(text)
        self.refresh_bindings()

    def show_record(self, record: RecordView) -> None:
        """Reveal ``record``'s entry and year in the tree and put the table's cursor (and focus) on it."""
        self.reload(reveal=Selection(code=record.code, year=record.year, kind="year"), focus_id=record.id)
        self.table.focus()

    def on_catalogue_tree_selection_changed(self, event: CatalogueTree.SelectionChanged) -> None:
        if event.selection == self.selection:
            return
        self.selection = event.selection
        self.page = 0
        self._status(f"正在读取 {event.selection.describe()} 的记录……")
        self.load_records(self.selection, 0)

    def on_record_table_highlighted(self, event: RecordTable.Highlighted) -> None:
        empty = "（此处还没有记录。按 a 归档文件。）" if not self.app.archive.read_only else "（此处没有记录。）"
        self.query_one(RecordDetail).show(event.record, empty=empty)
        self.refresh_bindings()

    def _status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    # ------------------------------------------------------------------ what applies
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        writable = not self.app.archive.read_only
        if action in ("file_document", "show_inbox"):
            return writable
        if action in ("edit_record", "delete_record"):
            return writable and self.current is not None
        if action == "show_photos":
            from ..photos.records import view_has_photos

            return self.current is not None and view_has_photos(self.current)
        if action == "next_page":
            return self.more
        if action == "prev_page":
            return self.page > 0
        return True

    # ------------------------------------------------------------------ actions
    def action_refresh(self) -> None:
        self.reload(focus_id=self.current.id if self.current else None)

    def action_next_page(self) -> None:
        if self.more:
            self.page += 1
            self.load_records(self.selection, self.page)

    def action_prev_page(self) -> None:
        if self.page:
            self.page -= 1
            self.load_records(self.selection, self.page)

    def action_file_document(self, path: str = "") -> None:
        if not self.check_action("file_document", ()):
            return
        self.app.push_screen(RecordForm(code=self.selection.entry_code, path=path), self._saved)

    def action_edit_record(self) -> None:
        if self.check_action("edit_record", ()) and self.current is not None:
            self.app.push_screen(RecordForm(record=self.current), self._saved)

    def _saved(self, records: tuple[RecordView, ...] | None) -> None:
        if not records:
            return
        record = records[0]
        if len(records) == 1:
            self.app.notify(f"已保存：{record.archive_no}《{record.title}》", title="完成")
        else:
            self.app.notify(f"已归档 {len(records)} 件：{record.archive_no} 至 {records[-1].archive_no}", title="完成")
        self.reload(reveal=Selection(code=record.code, year=record.year, kind="year"), focus_id=record.id)

    def action_delete_record(self) -> None:
        r = self.current
        if r is None or not self.check_action("delete_record", ()):
            return
        question = f"删除记录 {r.archive_no}《{r.title}》？\n它的 {len(r.files)} 个文件将移入回收站，可在回收站中恢复。"

        def answered(yes: bool | None) -> None:
            if yes:
                self._keep_row = self.table.cursor_row
                self.trash(r.id)

        self.app.push_screen(ConfirmModal(question, yes="删除", title="删除记录"), answered)

    @work(thread=True, exclusive=True, group="change", exit_on_error=False)
    def trash(self, record_id: int) -> None:
        view = filing.trash_record(self.app.archive, record_id)
        self.post_message(self.Changed(view))

    def on_browse_screen_changed(self, event: Changed) -> None:
        self.app.notify(f"已删除 {event.record.archive_no}，可在回收站（t）中恢复。", title="已移入回收站")
        self.reload()

    def action_show_inbox(self) -> None:
        if self.check_action("show_inbox", ()):
            from .inbox import InboxScreen

            self.app.push_screen(InboxScreen(), lambda filed: self.reload() if filed else None)

    def action_show_trash(self) -> None:
        from .trash import TrashScreen

        self.app.push_screen(TrashScreen(), lambda restored: self.reload() if restored else None)

    def action_show_dashboard(self) -> None:
        from .dashboard import DashboardScreen

        self.app.push_screen(DashboardScreen(self.app.archive, inspector=self.app.archive.read_only))

    def action_show_photos(self) -> None:
        r = self.current
        if r is None or not self.check_action("show_photos", ()):
            return
        from .photos import PhotoScreen

        self.app.push_screen(PhotoScreen(r.id), lambda saved: self.reload(focus_id=r.id) if saved else None)

    def action_show_photo_problems(self) -> None:
        from .photos import PhotoProblemsScreen

        self.app.push_screen(PhotoProblemsScreen(), lambda _: self.reload(focus_id=self.current.id if self.current else None))

    def action_edit_profile(self) -> None:
        from .profile import ProfileScreen

        self.app.push_screen(ProfileScreen(self.app.archive))
