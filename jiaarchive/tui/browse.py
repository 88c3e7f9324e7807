"""The main screen: catalogue tree, the records of the selection, and the detail of one record.

Every query runs in a thread worker with its own database session (``filing``/``selection`` open
one per call) and posts its answer back; answers for a selection the clerk has left are dropped.
A record to show after a change (a search hit, a saved record, an undo) is remembered per
selection (``_want``), so whichever load for that selection lands last puts the cursor on it,
however the tree's highlight wanders while it expands.

Marks (空格) select several records for bulk edit, bulk delete and export; their count is shown
at the end of the footer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header
from textual.worker import get_current_worker

from .. import audit, extract, filing, userconfig
from ..errors import JiaError
from ..filing import RecordView
from ..indexing import FileProblem
from .dialogs import ConfirmModal, ReportsWorkerErrors
from .forms import RecordForm
from .keys import SCREEN_BINDINGS, JiaScroll
from .progress import ProgressEvent, ProgressLine, reporter
from .widgets import CatalogueTree, JiaFooter, Preview, RecordDetail, RecordTable, Selection

if TYPE_CHECKING:
    from ..undo import UndoStep
    from .app import JiaApp

# ``extract`` is imported here, on the UI thread: the record and preview workers both reach it,
# and two threads importing one package for the first time can deadlock on Python's import locks.
_LOADED_BEFORE_WORKERS = (extract,)

PAGE_SIZE = 200  # rows per page; a selection with more is paged in SQL
READ_ONLY = "检查组只读：不能归档、修改或删除台账记录。"


class BrowseScreen(ReportsWorkerErrors, Screen[None]):
    """浏览: the tree on the left, the table and the detail pane on the right."""

    BINDINGS = SCREEN_BINDINGS + [
        Binding("a", "file_document", "归档", id="file"),
        Binding("i", "show_inbox", "收件箱", show=False, id="inbox"),
        Binding("e", "edit_record", "修改", id="edit"),
        Binding("d,delete", "delete_record", "删除", id="delete"),
        Binding("space", "toggle_mark", "标记", id="mark"),
        Binding("o", "open_file", "打开文件", show=False, id="open_file"),
        Binding("u", "undo", "撤销", id="undo"),
        # the same keys in inspector mode: say why nothing happens
        Binding("a,i,e,d,delete,u", "read_only_note", "检查组只读", show=False, id="read_only"),
        # an inspector's footer shows what an inspector does instead
        Binding("o", "inspector_open", "打开文件", id="inspector_open"),
        Binding("x", "inspector_export", "导出", id="inspector_export"),
        Binding("c", "inspector_dashboard", "自查评分", id="inspector_dashboard"),
        Binding("ctrl+a", "mark_page", "全选本页", show=False, id="mark_page"),
        Binding("escape", "clear_marks", "取消选择", show=False, id="clear_marks"),
        Binding("x", "export", "导出", show=False, id="export"),
        Binding("v", "toggle_preview", "放大详情", show=False, id="preview"),
        Binding("g", "go_to_number", "按档号查找", show=False, id="go_to_number"),
        Binding("l", "show_log", "修改日志", show=False, id="log"),
        Binding("h", "show_history", "本件历史", show=False, id="history"),
        Binding("t", "show_trash", "回收站", show=False, id="trash"),
        Binding("c", "show_dashboard", "自查", show=False, id="dashboard"),
        Binding("p", "show_photos", "照片", show=False, id="photos"),
        Binding("P", "show_photo_problems", "照片问题", show=False, id="photo_problems"),
        Binding("r", "refresh", "刷新", show=False, id="refresh"),
        Binding("left_square_bracket", "prev_page", "上页", show=False, id="prev_page"),
        Binding("right_square_bracket", "next_page", "下页", show=False, id="next_page"),
        Binding("q", "app.quit", "退出", show=False, id="quit"),
    ]

    # (command palette name, help, action): every feature of the screen, in Chinese
    PALETTE = (
        ("归档: 归档文件", "把文件归入当前目录条目（a）", "file_document"),
        ("归档: 收件箱（整理一堆文件）", "文件夹或压缩包中的文件逐个建议目录、题名、日期，确认后归档（i）", "show_inbox"),
        ("记录: 修改选中的记录", "修改题名、日期、目录等；有标记时批量修改（e）", "edit_record"),
        ("记录: 删除选中的记录", "移入回收站，可恢复；有标记时批量删除（d）", "delete_record"),
        ("选择: 标记/取消标记", "标记多件记录，用于批量修改、删除和导出（空格）", "toggle_mark"),
        ("选择: 全选本页", "标记表格中的全部记录（Ctrl+A）", "mark_page"),
        ("选择: 取消全部标记", "（Esc）", "clear_marks"),
        ("文件: 用系统程序打开", "用本机默认程序打开记录的文件（o）", "open_file"),
        ("查找: 按档号查找", "输入档号（可简写，如 C-2 2021 3）直接找到那件记录（g）", "go_to_number"),
        ("撤销: 撤销上一次改动", "撤销本人最近一次归档、修改、删除或恢复（u）", "undo"),
        ("导出: 导出目录和文件", "把标记的记录（或当前选择）导出为归档文件目录 Excel 和压缩包（x）", "export"),
        ("日志: 修改日志", "谁在何时改了什么（l）", "show_log"),
        ("日志: 本件记录的历史", "选中记录的全部修改（h）", "show_history"),
        ("回收站: 查看并恢复", "已删除的记录（t）", "show_trash"),
        ("报告: 迎检自查仪表盘", "对照评分表看证明材料、缺口、否决条件，录入自查分（c）", "show_dashboard"),
        ("照片: 查看选中记录的照片", "预览、检查结果，补充事由和拍摄时间，按规则命名（p）", "show_photos"),
        ("照片: 照片问题", "档案中有错误或提示的全部照片，逐张处理（P）", "show_photo_problems"),
        ("视图: 放大/还原详情", "详情和正文预览占半屏（v）", "toggle_preview"),
        ("视图: 刷新", "重新读取目录计数和记录（r）", "refresh"),
        ("视图: 下一页", "当前选择的下一页记录（]）", "next_page"),
        ("视图: 上一页", "当前选择的上一页记录（[）", "prev_page"),
        ("检索: 删除选中的常用检索", "从目录树中去掉这条常用检索", "delete_saved_search"),
        ("简况: 修改单位简况", "职工数、会员数、换届、测评票等否决条件依据的事实", "edit_profile"),
    )

    class CountsLoaded(Message):
        def __init__(self, counts: dict[tuple[str, int], int], tags: dict[str, int], searches: list,
                     reveal: Selection | None, focus_id: int | None) -> None:
            super().__init__()
            self.counts = counts
            self.tags = tags
            self.searches = searches
            self.reveal = reveal
            self.focus_id = focus_id

    class RecordsLoaded(Message):
        def __init__(self, selection: Selection, page: int, records: list[RecordView], more: bool, total: int | None,
                     problems: dict[int, list[FileProblem]], focus_id: int | None) -> None:
            super().__init__()
            self.selection = selection
            self.page = page
            self.records = records
            self.more = more
            self.total = total
            self.problems = problems
            self.focus_id = focus_id

    class Previewed(Message):
        def __init__(self, preview: Preview) -> None:
            super().__init__()
            self.preview = preview

    class Done(Message):
        """A change in a worker finished: say ``text``, then show ``records`` (the first revealed)."""

        def __init__(self, text: str, records: tuple[RecordView, ...] = (), *, title: str = "完成",
                     severity: str = "information") -> None:
            super().__init__()
            self.text = text
            self.records = records
            self.title = title
            self.severity = severity

    class NumberFound(Message):
        def __init__(self, record: RecordView | None, error: str) -> None:
            super().__init__()
            self.record = record
            self.error = error

    class UndoFound(Message):
        def __init__(self, step: "UndoStep | None") -> None:
            super().__init__()
            self.step = step

    app: "JiaApp"

    def __init__(self) -> None:
        super().__init__(id="browse")
        self.selection = Selection()
        self.page = 0
        self.more = False
        self.marked: set[int] = set()
        self.words: tuple[str, ...] = ()  # searched words to highlight in the preview
        self._want: dict[Selection, int] = {}  # record to put the cursor on when this selection loads
        self._keep_row: int | None = None
        self._problems: dict[int, list[FileProblem]] = {}
        self._preview: Preview | None = None
        self._busy = False  # a change is running in a worker
        self._pending: tuple[Selection | None, int | None] | None = None  # a reload's reveal not yet done

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
                yield ProgressLine("正在读取……", id="status")
        yield JiaFooter()

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

    @property
    def writable(self) -> bool:
        return not self.app.archive.read_only

    # ------------------------------------------------------------------ loading
    def reload(self, *, reveal: Selection | None = None, focus_id: int | None = None) -> None:
        """Counts for the tree, then the records of the selection (or of ``reveal``).

        A reload asked while another one waits keeps the record that one was to show."""
        if reveal is None and self._pending is not None:
            reveal, focus_id = self._pending
        self._pending = (reveal, focus_id) if reveal is not None else None
        self._status("正在读取……")
        self.load_counts(reveal, focus_id)

    def on_screen_resume(self) -> None:
        # back from another screen: the tree's counts, tags and saved searches may have changed
        if self.is_mounted and self.table.is_mounted:
            self.reload(focus_id=self.current.id if self.current else None)

    @work(thread=True, exclusive=True, group="counts", exit_on_error=False)
    def load_counts(self, reveal: Selection | None, focus_id: int | None) -> None:
        arch = self.app.archive
        counts = filing.counts(arch)
        tags = filing.tag_counts(arch)
        searches = userconfig.saved_searches()
        if not get_current_worker().is_cancelled:
            self.post_message(self.CountsLoaded(counts, tags, searches, reveal, focus_id))

    def on_browse_screen_counts_loaded(self, event: CountsLoaded) -> None:
        self._pending = None
        tree = self.query_one(CatalogueTree)
        tree.update_counts(event.counts, event.tags, event.searches)
        target = self.selection
        if event.reveal is not None:
            reached = tree.find(event.reveal)
            if reached is not None and reached.data is not None:
                target = reached.data
        if event.focus_id is not None:
            self._want[target] = event.focus_id
        if target != self.selection:
            self.selection = target  # set first, so the highlight the move causes is not a new load
            self.page = 0
        if event.reveal is not None or tree.cursor_node is None:
            tree.go_to(tree.find(target))
        self.load_records(self.selection, self.page)

    @work(thread=True, exclusive=True, group="records", exit_on_error=False)
    def load_records(self, selection: Selection, page: int) -> None:
        from ..indexing import file_problems
        from ..selection import count_records, select_records

        arch = self.app.archive
        total = None
        if not selection.lists_records:
            rows: list[RecordView] = []
        else:
            query = selection.to_query()
            rows = select_records(arch, query, limit=PAGE_SIZE + 1, offset=page * PAGE_SIZE)
            if selection.kind in ("tag", "search"):  # the tree knows the others' counts
                total = len(rows) if len(rows) <= PAGE_SIZE and not page else count_records(arch, query)
        problems = file_problems(arch, [r.id for r in rows[:PAGE_SIZE]])
        if not get_current_worker().is_cancelled:
            self.post_message(self.RecordsLoaded(selection, page, rows[:PAGE_SIZE], len(rows) > PAGE_SIZE, total,
                                                 problems, self._want.get(selection)))

    def on_browse_screen_records_loaded(self, event: RecordsLoaded) -> None:
        if event.selection != self.selection or event.page != self.page:
            return  # the clerk has moved on
        self.more = event.more
        focus = self._want.pop(event.selection, None) or event.focus_id
        keep, self._keep_row = self._keep_row, None
        self._problems = event.problems
        self.table.marked = set(self.marked)
        self.table.show(event.records, focus_id=focus, focus_row=keep, problems=event.problems)
        self._show_detail()
        sel = self.selection
        if sel.kind in ("tags", "searches"):
            self._status(f"{sel.describe()}：在左边选一项，列出它的记录。")
        else:
            total = event.total if event.total is not None else self.query_one(CatalogueTree).count(sel)
            text = f"{self._where()}：共 {total} 件"
            if self.page or self.more:
                first = self.page * PAGE_SIZE + 1
                text += f"，第 {first}–{first + len(event.records) - 1} 件（[ ] 翻页）"
            self._status(text)
        self.refresh_bindings()

    def _where(self) -> str:
        """The selection with its entry's title: ``B-1 职代会制度成套文件及落实情况资料``."""
        sel = self.selection
        if sel.kind == "entry":
            entry = next((e for e in self.app.archive.entries() if e.code == sel.code), None)
            return f"{sel.code} {entry.title}" if entry else sel.describe()
        return sel.describe()

    def show_record(self, record: RecordView, *, words: tuple[str, ...] = ()) -> None:
        """Reveal ``record``'s entry and year in the tree and put the table's cursor (and focus) on it."""
        self.words = words
        self.reload(reveal=Selection(code=record.code, year=record.year, kind="year"), focus_id=record.id)
        self.table.focus()

    def on_catalogue_tree_selection_changed(self, event: CatalogueTree.SelectionChanged) -> None:
        if event.selection == self.selection:
            return
        self.selection = event.selection
        self.page = 0
        if event.selection.kind == "search":
            from ..search.query import parse_query

            try:
                self.words = tuple(parse_query(event.selection.query or "").highlight_words())
            except JiaError:
                self.words = ()
        self._status(f"正在读取 {event.selection.describe()} 的记录……")
        self.load_records(self.selection, 0)

    def on_record_table_highlighted(self, event: RecordTable.Highlighted) -> None:
        self._show_detail()
        self.refresh_bindings()

    def _show_detail(self) -> None:
        """The detail pane follows the table's cursor at once; the file's text comes later."""
        r = self.current
        empty = "（此处还没有记录。按 a 归档文件。）" if self.writable else "（此处没有记录。）"
        if self.selection.kind in ("tags", "searches"):
            empty = "（在左边选择一项。）"
        preview = self._preview if r is not None and self._preview and self._preview.record_id == r.id else None
        self.query_one(RecordDetail).show(r, empty=empty, problems=self._problems.get(r.id, ()) if r else (),
                                          preview=preview)
        if r is not None and preview is None:
            self.load_preview(r, self.words)

    @work(thread=True, exclusive=True, group="preview", exit_on_error=False)
    def load_preview(self, r: RecordView, words: tuple[str, ...]) -> None:
        from ..indexing import file_text

        preview = Preview(r.id, note="（没有文件）", words=words)
        docs = [f for f in r.files if f.kind not in ("jpeg", "png", "gif", "tiff", "webp", "heic", "bmp")]
        if not docs and r.files:
            preview = Preview(r.id, note="照片：按 p 查看照片、检查结果和说明。", words=words)
        elif docs:
            f = docs[0]
            try:
                text, status, reason = file_text(self.app.archive, f.sha256, f.path, f.kind)
            except (OSError, JiaError) as exc:
                text, status, reason = "", "error", f"无法读取文件：{exc}"
            note = reason if status not in ("ok", "empty") else ("（文件中没有文字）" if not text.strip() else "")
            preview = Preview(r.id, f.name, text.strip(), note, words)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Previewed(preview))

    def on_browse_screen_previewed(self, event: Previewed) -> None:
        self._preview = event.preview
        if self.current is not None and self.current.id == event.preview.record_id:
            self._show_detail()

    def _status(self, text: str) -> None:
        self.query_one("#status", ProgressLine).update(text)

    def on_progress_event(self, event: ProgressEvent) -> None:
        self.query_one("#status", ProgressLine).show(event.progress)

    # ------------------------------------------------------------------ what applies
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("file_document", "show_inbox", "edit_record", "delete_record", "undo"):
            if not self.writable or self._busy:
                return False
            if action in ("edit_record", "delete_record"):
                return self.current is not None or bool(self.marked)
            return True
        if action == "read_only_note":
            return not self.writable
        if action.startswith("inspector_"):
            return not self.writable and (action != "inspector_open" or self.current is not None)
        if action == "toggle_mark":
            return self.current is not None and self.table.has_focus
        if action == "mark_page":
            return bool(self.table.records)
        if action == "clear_marks":
            return bool(self.marked)
        if action in ("open_file", "show_history"):
            return self.current is not None
        if action == "export":
            return not self._busy
        if action == "show_photos":
            from ..photos.records import view_has_photos

            return self.current is not None and view_has_photos(self.current)
        if action == "delete_saved_search":
            return self.selection.kind == "search"
        if action == "next_page":
            return self.more
        if action == "prev_page":
            return self.page > 0
        return True

    # ------------------------------------------------------------------ actions
    def action_read_only_note(self) -> None:
        self.app.notify(READ_ONLY, title="检查组只读", severity="warning")

    def action_inspector_open(self) -> None:
        self.action_open_file()

    def action_inspector_export(self) -> None:
        self.action_export()

    def action_inspector_dashboard(self) -> None:
        self.action_show_dashboard()

    def action_refresh(self) -> None:
        self._preview = None
        self.reload(focus_id=self.current.id if self.current else None)

    def action_next_page(self) -> None:
        if self.more:
            self.page += 1
            self.load_records(self.selection, self.page)

    def action_prev_page(self) -> None:
        if self.page:
            self.page -= 1
            self.load_records(self.selection, self.page)

    def action_toggle_preview(self) -> None:
        self.toggle_class("-big-detail")

    # -- filing and editing
    def action_file_document(self, path: str = "") -> None:
        if not self.check_action("file_document", ()):
            return
        self.app.push_screen(RecordForm(code=self.selection.entry_code, path=path), self._saved)

    def action_edit_record(self) -> None:
        if not self.check_action("edit_record", ()):
            return
        if self.marked:
            from .bulk import BulkEditModal

            self.app.push_screen(BulkEditModal(len(self.marked)), self._bulk_edit)
        elif self.current is not None:
            self.app.push_screen(RecordForm(record=self.current), self._saved)

    def _saved(self, records: tuple[RecordView, ...] | None) -> None:
        if not records:
            return
        self.app.notify(filed_summary(records), title="完成")
        self._reveal(records[0])

    def _reveal(self, record: RecordView) -> None:
        self._preview = None
        if record.trashed:
            self.reload(focus_id=None)
        else:
            self.reload(reveal=Selection(code=record.code, year=record.year, kind="year"), focus_id=record.id)

    def on_browse_screen_done(self, event: Done) -> None:
        self._busy = False
        self.app.notify(event.text, title=event.title, severity=event.severity, timeout=10)  # type: ignore[arg-type]
        if event.records:
            self._reveal(event.records[0])
        else:
            self.reload(focus_id=self.current.id if self.current else None)
        self.refresh_bindings()

    def on_worker_state_changed(self, event) -> None:  # noqa: ANN001
        # (Textual also calls ReportsWorkerErrors' handler, which reports the error)
        from textual.worker import WorkerState

        if event.worker.group == "change" and event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            self._busy = False
            self.reload(focus_id=self.current.id if self.current else None)
            self.refresh_bindings()

    # -- marks
    def _set_marks(self, marked: set[int]) -> None:
        self.marked = marked
        self.table.set_marked(marked)
        self.query_one(JiaFooter).marked = len(marked)
        self.refresh_bindings()

    def action_toggle_mark(self) -> None:
        r = self.current
        if r is None:
            return
        self._set_marks(self.marked ^ {r.id})
        if self.table.cursor_row + 1 < len(self.table.records):
            self.table.move_cursor(row=self.table.cursor_row + 1)

    def action_mark_page(self) -> None:
        self._set_marks(self.marked | {r.id for r in self.table.records})

    def action_clear_marks(self) -> None:
        self._set_marks(set())

    # -- delete
    def action_delete_record(self) -> None:
        if not self.check_action("delete_record", ()):
            return
        if self.marked:
            ids = sorted(self.marked)
            question = f"删除标记的 {len(ids)} 件记录？\n它们的文件将移入回收站，可在回收站中恢复，也可按 u 一次撤销。"

            def answered_many(yes: bool | None) -> None:
                if yes:
                    self._busy = True
                    self.trash_many(ids)

            self.app.push_screen(ConfirmModal(question, yes="删除", title="批量删除"), answered_many)
            return
        r = self.current
        if r is None:
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
        self.post_message(self.Done(f"已删除 {view.archive_no}，可在回收站（t）中恢复，或按 u 撤销。", title="已移入回收站"))

    @work(thread=True, exclusive=True, group="change", exit_on_error=False)
    def trash_many(self, ids: list[int]) -> None:
        from ..bulk import trash_records

        outcome = trash_records(self.app.archive, ids, progress=reporter(self))
        self.app.call_from_thread(self._after_bulk, outcome.failed)
        self.post_message(self.Done(outcome.summary("删除") + "可按 u 一次撤销。" + _failures(outcome.failed),
                                    title="批量删除", severity="warning" if outcome.failed else "information"))

    def _after_bulk(self, failed: tuple[tuple[str, str], ...]) -> None:
        """Marks go once their change is done; those that failed stay marked to look at."""
        failed_numbers = {n for n, _ in failed}
        keep = {r.id for r in self.table.records if r.archive_no in failed_numbers}
        self._set_marks(keep)

    # -- bulk edit
    def _bulk_edit(self, change) -> None:  # noqa: ANN001
        if change is not None:
            self._busy = True
            self.edit_many(sorted(self.marked), change)

    @work(thread=True, exclusive=True, group="change", exit_on_error=False)
    def edit_many(self, ids: list[int], change) -> None:  # noqa: ANN001
        from ..bulk import edit_records

        outcome = edit_records(self.app.archive, ids, change, progress=reporter(self))
        self.app.call_from_thread(self._after_bulk, outcome.failed)
        self.post_message(self.Done(outcome.summary("修改") + (" 可按 u 一次撤销。" if outcome.changed else "")
                                    + _failures(outcome.failed), outcome.changed[:1], title="批量修改",
                                    severity="warning" if outcome.failed else "information"))

    # -- export
    def action_export(self) -> None:
        from ..selection import RecordQuery
        from .bulk import ExportModal

        if self.marked:
            query, what = RecordQuery(ids=tuple(sorted(self.marked))), f"标记的 {len(self.marked)} 件记录"
        else:
            query, what = self.selection.to_query(), self._where()
        self.app.push_screen(ExportModal(query, what))

    # -- undo
    def action_undo(self) -> None:
        if self.check_action("undo", ()):
            self.find_undo()

    @work(thread=True, exclusive=True, group="undo-find", exit_on_error=False)
    def find_undo(self) -> None:
        from ..undo import last_step

        self.post_message(self.UndoFound(last_step(self.app.archive)))

    def on_browse_screen_undo_found(self, event: UndoFound) -> None:
        step = event.step
        if step is None:
            self.app.notify(f"没有可以撤销的改动（只能撤销{audit.current_user()}本人的归档、修改、删除和恢复）。",
                            title="撤销", severity="warning")
            return
        note = "撤销归档会把记录移入回收站（文件不会丢失）。" if step.entries[0].action == "file" else ""

        def answered(yes: bool | None) -> None:
            if yes:
                self._busy = True
                self.undo(step)

        self.app.push_screen(ConfirmModal(f"撤销：{step.describe()}？\n{note}", yes="撤销", title="撤销上一次改动"), answered)

    @work(thread=True, exclusive=True, group="change", exit_on_error=False)
    def undo(self, step: "UndoStep") -> None:
        from ..undo import undo

        views = undo(self.app.archive, step, progress=reporter(self))
        self.post_message(self.Done(f"已撤销：{step.describe()}", tuple(views), title="已撤销"))

    # -- find by 档号
    def action_go_to_number(self) -> None:
        from .dialogs import NameModal

        def typed(text: str | None) -> None:
            if text:
                self.find_number(text)

        self.app.push_screen(NameModal("", title="按档号查找", cancel="取消", placeholder="如 C-2·2021-D30-0003 或 C-2 2021 3",
                                       prompt="档号可以照常输入，也可以简写：用空格或点代替“·”，件号不必补零，"
                                              "不写保管期限；只写开头时须只对应一件记录。"), typed)

    @work(thread=True, exclusive=True, group="find-number", exit_on_error=False)
    def find_number(self, text: str) -> None:
        try:
            record, error = filing.get_record(self.app.archive, text), ""
        except JiaError as exc:
            record, error = None, str(exc)
        self.post_message(self.NumberFound(record, error))

    def on_browse_screen_number_found(self, event: NumberFound) -> None:
        if event.record is None:
            self.app.notify(event.error, title="按档号查找", severity="warning", timeout=10)
        elif event.record.trashed:
            self.app.notify(f"{event.record.archive_no} 在回收站中，可按 t 查看并恢复。", title="按档号查找")
        else:
            self.show_record(event.record)

    # -- other screens
    def action_open_file(self) -> None:
        if self.current is not None:
            open_record_file(self.app, self.current)

    def action_show_log(self) -> None:
        from .log import LogScreen

        self.app.push_screen(LogScreen())

    def action_show_history(self) -> None:
        from .log import LogScreen

        if self.current is not None:
            self.app.push_screen(LogScreen(record=self.current))

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

    def action_delete_saved_search(self) -> None:
        sel = self.selection
        if sel.kind != "search" or not sel.name:
            return
        try:
            userconfig.delete_search(sel.name)
        except OSError as exc:
            self.app.notify(f"未能删除：{exc}", severity="error")
            return
        self.app.notify(f"已删除常用检索“{sel.name}”。", title="常用检索")
        self.selection = Selection()
        self.reload(reveal=Selection())


def _failures(failed: tuple[tuple[str, str], ...]) -> str:
    if not failed:
        return ""
    shown = "；".join(f"{n}：{why}" for n, why in failed[:3])
    return f"\n未能完成的：{shown}" + (f" 等 {len(failed)} 件" if len(failed) > 3 else "")


def filed_summary(records: tuple[RecordView, ...]) -> str:
    """What was filed, true to where each record went: ranges per entry and year.

    ``已归档 10 件：D-5 2026 年 8 件（D-5·2026-D10-0021 至 D-5·2026-D10-0028），D-5 2001 年 1 件（…）``
    """
    if len(records) == 1:
        r = records[0]
        return f"已保存：{r.archive_no}《{r.title}》"
    groups: dict[tuple[str, int], list[RecordView]] = {}
    for r in records:
        groups.setdefault((r.code, r.year), []).append(r)
    parts = []
    for (code, year), rs in groups.items():
        numbers = sorted(rs, key=lambda r: r.seq)
        span = numbers[0].archive_no if len(numbers) == 1 else f"{numbers[0].archive_no} 至 {numbers[-1].archive_no}"
        parts.append(f"{code} {year} 年 {len(rs)} 件（{span}）" if len(groups) > 1 else span)
    return f"已归档 {len(records)} 件：" + "，".join(parts)


def open_record_file(app: "JiaApp", record: RecordView, file_id: int | None = None) -> None:
    """Open one of ``record``'s files with the system's viewer (in a thread: the system's opener
    is waited for briefly), saying clearly when there is no program to open it."""
    from functools import partial

    if not record.files:
        app.notify(f"{record.archive_no} 没有文件。", severity="warning")
        return
    f = next((x for x in record.files if x.id == file_id), record.files[0])
    app.notify(f"正在用系统程序打开：{f.name}", title="打开文件", markup=False, timeout=3)
    app.run_worker(partial(_open_in_thread, app, app.archive.root / f.path), thread=True, group="open-file",
                   exit_on_error=False)


def _open_in_thread(app: "JiaApp", path) -> None:  # noqa: ANN001
    from .. import opener
    from .dialogs import ErrorModal

    try:
        opened = opener.open_file(path)
    except opener.NoViewer as exc:
        app.call_from_thread(app.push_screen, ErrorModal(
            f"{exc}\n\n可以在“文件资源管理器”中找到这个文件，用别的程序打开。", title="没有可用的查看程序"))
        return
    except JiaError as exc:
        app.call_from_thread(app.push_screen, ErrorModal(str(exc), title="无法打开文件"))
        return
    app.call_from_thread(app.notify, f"已用系统程序打开：{opened.name}", title="打开文件", markup=False)
