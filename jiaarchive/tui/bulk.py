"""Dialogs for several records at once: bulk edit (目录、年度、标签、评分项) and export (目录 Excel, 压缩包).

Both only collect what the clerk wants; the work runs in a thread worker with a progress line
(``bulk.edit_records`` from the browse screen, ``export`` here).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from ..bulk import BulkChange
from ..errors import BadValue, JiaError
from ..selection import RecordQuery
from .dialogs import ReportsWorkerErrors
from .keys import SCREEN_BINDINGS, JiaButton, JiaInput, JiaSelect
from .progress import ProgressEvent, ProgressLine, reporter
from .widgets import parse_numbers, parse_tags

if TYPE_CHECKING:
    from .app import JiaApp


class BulkEditModal(ModalScreen[BulkChange | None]):
    """批量修改: what to change on every marked record (empty fields change nothing)."""

    BINDINGS = SCREEN_BINDINGS + [
        Binding("ctrl+s", "save", "修改", id="bulk_save"),
        Binding("escape", "cancel", "取消", id="bulk_cancel"),
    ]

    app: "JiaApp"

    def __init__(self, count: int) -> None:
        super().__init__(classes="dialog-screen")
        self.count = count

    def compose(self) -> ComposeResult:
        options = [(f"{e.code} {e.title}", e.code) for e in self.app.archive.entries()]
        with Vertical(classes="dialog", id="bulk-form"):
            yield Label(f"批量修改标记的 {self.count} 件记录", classes="dialog-title")
            yield Static("只填要改的项，空着的项各件保持原样。改目录或年度即改档（档号更新，文件移动）。",
                         classes="dialog-body")
            with Grid(id="form-fields"):
                yield Label("目录", classes="field-label")
                yield JiaSelect(options, prompt="（不改）", id="bulk-code", compact=True)
                yield Label("年度", classes="field-label")
                yield JiaInput(placeholder="（不改）如 2021", id="bulk-year", compact=True)
                yield Label("加标签", classes="field-label")
                yield JiaInput(placeholder="用空格或顿号分隔", id="bulk-add-tags", compact=True)
                yield Label("去标签", classes="field-label")
                yield JiaInput(placeholder="用空格或顿号分隔", id="bulk-remove-tags", compact=True)
                yield Label("加评分项", classes="field-label")
                yield JiaInput(placeholder="评分表项号，如 3、5", id="bulk-add-items", compact=True)
                yield Label("去评分项", classes="field-label")
                yield JiaInput(placeholder="评分表项号", id="bulk-remove-items", compact=True)
            yield Static("", id="form-status")
            with Horizontal(classes="dialog-buttons"):
                yield JiaButton("修改(^S)", variant="primary", id="save", compact=True)
                yield JiaButton("取消(Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#bulk-code").focus()

    def _text(self, key: str) -> str:
        return self.query_one(f"#bulk-{key}", Input).value.strip()

    def change(self) -> BulkChange:
        code = self.query_one("#bulk-code", Select).value
        year_text = self._text("year")
        if year_text and not year_text.isdigit():
            raise BadValue(f"年度“{year_text}”应为四位数字，如 2021。")
        return BulkChange(
            code=None if code is Select.NULL else str(code),
            year=int(year_text) if year_text else None,
            add_tags=parse_tags(self._text("add-tags")),
            remove_tags=parse_tags(self._text("remove-tags")),
            add_items=parse_numbers(self._text("add-items")),
            remove_items=parse_numbers(self._text("remove-items")),
        )

    def action_save(self) -> None:
        status = self.query_one("#form-status", Static)
        try:
            change = self.change()
        except JiaError as exc:
            status.update(str(exc))
            status.add_class("-error")
            return
        if change.empty:
            status.update("没有要修改的内容。")
            status.add_class("-error")
            return
        self.dismiss(change)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def default_export_folder(app: "JiaApp") -> Path:
    """The archive's 导出 folder (not files of record), or the home folder for a read-only archive."""
    from ..settings import EXPORT_DIR

    if not app.archive.read_only:
        return app.archive.root / EXPORT_DIR
    return Path.home()


class ExportModal(ReportsWorkerErrors, ModalScreen[None]):
    """导出: the 归档文件目录 (XLSX) and/or a zip of the files of a selection; runs here with progress."""

    BINDINGS = SCREEN_BINDINGS + [
        Binding("ctrl+s", "export", "导出", id="export_go"),
        Binding("escape", "cancel", "关闭", id="export_cancel"),
    ]

    class Exported(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    app: "JiaApp"

    def __init__(self, query: RecordQuery, what: str) -> None:
        super().__init__(classes="dialog-screen")
        self.query_spec = query
        self.what = what
        self._exporting = False

    def compose(self) -> ComposeResult:
        from ..storage import safe_name

        stamp = self.app.archive.now().strftime("%Y%m%d-%H%M")
        named = safe_name(self.what.replace("“", "").replace("”", ""), 40)
        with Vertical(classes="dialog", id="export-form"):
            yield Label(f"导出：{self.what}", classes="dialog-title")
            with Grid(id="form-fields"):
                yield Label("文件夹", classes="field-label")
                yield JiaInput(str(default_export_folder(self.app)), id="export-folder", compact=True)
                yield Label("文件名", classes="field-label")
                yield JiaInput(f"{named}-{stamp}", id="export-name", compact=True)
            yield Checkbox("归档文件目录（Excel，.xlsx）", value=True, id="export-xlsx", compact=True)
            yield Checkbox("文件压缩包（.zip，内含归档文件目录）", value=True, id="export-zip", compact=True)
            yield ProgressLine("", id="form-status")
            with Horizontal(classes="dialog-buttons"):
                yield JiaButton("导出(^S)", variant="primary", id="export", compact=True)
                yield JiaButton("关闭(Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#export-name").focus()

    def targets(self) -> tuple[Path | None, Path | None]:
        folder = Path(self.query_one("#export-folder", Input).value.strip()).expanduser()
        name = self.query_one("#export-name", Input).value.strip()
        if not name:
            raise BadValue("请填写文件名。")
        if any(ch in name for ch in '/\\:*?"<>|'):
            raise BadValue(f"文件名“{name}”含有不能用于文件名的字符（/ \\ : * ? \" < > |）。")
        xlsx = folder / f"{name}.xlsx" if self.query_one("#export-xlsx", Checkbox).value else None
        zip_path = folder / f"{name}.zip" if self.query_one("#export-zip", Checkbox).value else None
        if not xlsx and not zip_path:
            raise BadValue("请至少选择一种导出内容。")
        return xlsx, zip_path

    def action_export(self) -> None:
        if self._exporting:
            return
        status = self.query_one("#form-status", ProgressLine)
        try:
            xlsx, zip_path = self.targets()
        except JiaError as exc:
            status.update(str(exc))
            status.add_class("-error")
            return
        status.remove_class("-error")
        status.update("正在导出……")
        self._exporting = True
        self.query_one("#export", Button).disabled = True
        self.run_export(xlsx, zip_path)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def run_export(self, xlsx: Path | None, zip_path: Path | None) -> None:
        from ..export import write_list, write_zip
        from ..selection import select_records

        arch = self.app.archive
        try:
            records = select_records(arch, self.query_spec)
            if not records:
                raise BadValue("没有要导出的记录。")
            done = []
            if xlsx:
                done.append(f"归档文件目录 {write_list(arch, records, xlsx)}")
            if zip_path:
                summary = write_zip(arch, records, zip_path, described=self.what, progress=reporter(self))
                text = f"压缩包 {summary.path}（{summary.files} 个文件）"
                if summary.missing:
                    text += f"；{len(summary.missing)} 个文件缺失未导出，见压缩包中的说明.txt"
                done.append(text)
        finally:
            self.app.call_from_thread(self._stopped)
        self.post_message(self.Exported(f"已导出 {len(records)} 件：" + "；".join(done)))

    def _stopped(self) -> None:
        self._exporting = False
        self.query_one("#export", Button).disabled = False

    def on_progress_event(self, event: ProgressEvent) -> None:
        self.query_one("#form-status", ProgressLine).show(event.progress)

    def on_export_modal_exported(self, event: Exported) -> None:
        self.app.notify(event.text, title="导出完成", timeout=15, markup=False)
        self.dismiss(None)

    @on(Button.Pressed, "#export")
    def _export_pressed(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if not self._exporting:
            self.dismiss(None)
