"""回收站: deleted records, and restoring them to their folders."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker

from .. import filing
from ..db.models import TRASHED
from ..filing import RecordView
from .dialogs import ReportsWorkerErrors
from .keys import SCREEN_BINDINGS, JiaScroll
from .widgets import RecordDetail, RecordTable

if TYPE_CHECKING:
    from .app import JiaApp

LIMIT = 500


class TrashScreen(ReportsWorkerErrors, Screen[bool]):
    """The records in the trash; dismisses with True when something was restored."""

    BINDINGS = SCREEN_BINDINGS + [
        Binding("u", "restore_record", "恢复", id="restore"),
        Binding("r", "refresh", "刷新", id="trash_refresh"),
        Binding("escape,t", "back", "返回", id="back"),
    ]
    PALETTE = (
        ("回收站: 恢复选中的记录", "把记录和文件放回原来的目录", "restore_record"),
        ("回收站: 刷新", "重新读取回收站", "refresh"),
        ("回收站: 返回浏览", "回到目录浏览", "back"),
    )

    class Loaded(Message):
        def __init__(self, records: list[RecordView], focus_row: int | None) -> None:
            super().__init__()
            self.records = records
            self.focus_row = focus_row

    class Restored(Message):
        def __init__(self, record: RecordView) -> None:
            super().__init__()
            self.record = record

    app: "JiaApp"

    def __init__(self) -> None:
        super().__init__(id="trash")
        self.restored = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="trash-body"):
            yield Static("回收站：已删除的记录。按 u 恢复到原来的目录。", id="trash-title")
            yield RecordTable(id="trash-records")
            with JiaScroll(id="trash-detail-box"):
                yield RecordDetail(id="trash-detail")
            yield Static("正在读取……", id="trash-status")
        yield Footer()

    def on_mount(self) -> None:
        self.table.focus()
        self.load()

    @property
    def table(self) -> RecordTable:
        return self.query_one(RecordTable)

    @work(thread=True, exclusive=True, group="trash", exit_on_error=False)
    def load(self, focus_row: int | None = None) -> None:
        rows = filing.list_records(self.app.archive, status=TRASHED, limit=LIMIT)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(rows, focus_row))

    def on_trash_screen_loaded(self, event: Loaded) -> None:
        self.table.show(event.records, focus_row=event.focus_row)
        n = len(event.records)
        text = f"回收站中有 {n} 件记录" + ("（仅显示前 500 件）" if n >= LIMIT else "") if n else "回收站是空的。"
        self.query_one("#trash-status", Static).update(text)
        self.refresh_bindings()

    def on_record_table_highlighted(self, event: RecordTable.Highlighted) -> None:
        self.query_one(RecordDetail).show(event.record, empty="（回收站是空的。）")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "restore_record":
            return not self.app.archive.read_only and self.table.current is not None
        return True

    def action_restore_record(self) -> None:
        r = self.table.current
        if r is not None and self.check_action("restore_record", ()):
            self.query_one("#trash-status", Static).update(f"正在恢复 {r.archive_no}……")
            self.restore(r.id, self.table.cursor_row)

    @work(thread=True, exclusive=True, group="trash-change", exit_on_error=False)
    def restore(self, record_id: int, row: int) -> None:
        view = filing.restore_record(self.app.archive, record_id)
        self.post_message(self.Restored(view))
        self.load(row)

    def on_trash_screen_restored(self, event: Restored) -> None:
        self.restored = True
        r = event.record
        self.app.notify(f"已恢复 {r.archive_no}《{r.title}》", title="已恢复")

    def action_refresh(self) -> None:
        self.load(self.table.cursor_row)

    def action_back(self) -> None:
        self.dismiss(self.restored)
