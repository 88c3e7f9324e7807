"""修改日志: who changed what and when, newest first, a page at a time; or one record's history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static
from textual.worker import get_current_worker

from .. import audit
from ..audit import AuditView
from ..filing import RecordView
from .dialogs import ReportsWorkerErrors
from .keys import SCREEN_BINDINGS, TABLE_BINDINGS, JiaScroll
from .widgets import JiaFooter

if TYPE_CHECKING:
    from .app import JiaApp

PAGE = 100


class LogTable(DataTable):
    BINDINGS = TABLE_BINDINGS


class LogScreen(ReportsWorkerErrors, Screen[None]):
    """The audit log (``record`` given: that record's history), paged with [ and ]."""

    DEFAULT_CSS = """
    LogScreen #log-title { height: 1; padding: 0 1; text-style: bold; }
    LogScreen #log-table { height: 1fr; }
    LogScreen #log-detail-box { height: 9; border-top: hkey $foreground 20%; padding: 0 1; }
    LogScreen #log-status { height: 1; padding: 0 1; background: $boost; color: $text-muted; }
    """

    BINDINGS = SCREEN_BINDINGS + [
        Binding("right_square_bracket", "older", "更早", id="log_older"),
        Binding("left_square_bracket", "newer", "更近", id="log_newer"),
        Binding("r", "refresh", "刷新", id="log_refresh"),
        Binding("escape,l", "back", "返回", id="log_back"),
    ]
    PALETTE = (
        ("日志: 更早的一页", "（]）", "older"),
        ("日志: 更近的一页", "（[）", "newer"),
        ("日志: 刷新", "重新读取日志", "refresh"),
        ("日志: 返回", "回到上一屏", "back"),
    )

    class Loaded(Message):
        def __init__(self, page: int, entries: list[AuditView], total: int) -> None:
            super().__init__()
            self.page = page
            self.entries = entries
            self.total = total

    app: "JiaApp"

    def __init__(self, *, record: RecordView | None = None) -> None:
        super().__init__(id="log")
        self.record = record
        self.page = 0
        self.total = 0
        self.entries: list[AuditView] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            what = f"记录 {self.record.archive_no}《{self.record.title}》的历史" if self.record else "修改日志（最近的在前）"
            yield Static(what, id="log-title", markup=False)
            yield LogTable(id="log-table", cursor_type="row", zebra_stripes=True)
            with JiaScroll(id="log-detail-box"):
                yield Static("", id="log-detail")
            yield Static("正在读取日志……", id="log-status")
        yield JiaFooter()

    def on_mount(self) -> None:
        table = self.query_one(LogTable)
        table.add_column("时间", key="at", width=16)
        table.add_column("操作人", key="who")
        table.add_column("操作", key="action")
        table.add_column("档号", key="archive_no")
        table.focus()
        self.load(0)

    @work(thread=True, exclusive=True, group="log", exit_on_error=False)
    def load(self, page: int) -> None:
        where = {"record_id": self.record.id, "archive_no": self.record.archive_no} if self.record else {}
        with self.app.archive.session() as s:
            total = audit.count(s, **where)
            entries = audit.read(s, limit=PAGE, offset=page * PAGE, **where)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(page, entries, total))

    def on_log_screen_loaded(self, event: Loaded) -> None:
        self.page, self.entries, self.total = event.page, event.entries, event.total
        table = self.query_one(LogTable)
        table.clear()
        table.add_rows(
            (f"{e.at:%Y-%m-%d %H:%M}", e.who, e.action_label + ("（撤销）" if e.undoes is not None else ""), e.archive_no)
            for e in self.entries
        )
        if self.entries:
            first = self.page * PAGE + 1
            text = f"共 {self.total} 条，第 {first}–{first + len(self.entries) - 1} 条"
            if self.total > PAGE:
                text += "（] 更早，[ 更近）"
        else:
            text = "没有日志。"
        self.query_one("#log-status", Static).update(text)
        self._detail()
        self.refresh_bindings()

    @on(DataTable.RowHighlighted)
    def _detail(self) -> None:
        row = self.query_one(LogTable).cursor_row
        detail = self.query_one("#log-detail", Static)
        if not (0 <= row < len(self.entries)):
            detail.update("")
            return
        e = self.entries[row]
        text = Text(audit.head(e) + "\n", style="bold")
        lines = audit.render(e, self.app.archive.standards)
        text.append("\n".join(lines) if lines else "（没有字段变化）")
        detail.update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "older":
            return (self.page + 1) * PAGE < self.total
        if action == "newer":
            return self.page > 0
        return True

    def action_older(self) -> None:
        if self.check_action("older", ()):
            self.load(self.page + 1)

    def action_newer(self) -> None:
        if self.page:
            self.load(self.page - 1)

    def action_refresh(self) -> None:
        self.load(self.page)

    def action_back(self) -> None:
        self.dismiss(None)
