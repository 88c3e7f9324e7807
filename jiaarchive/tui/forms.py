"""The record form: filing a document from a path (归档) and editing a record (修改).

Quick checks (title, date, item numbers) run on the UI thread as the clerk submits; the
filing or edit itself runs in a thread worker, and the form stays open until it succeeds, so a
refused file (duplicate, unreadable) can be corrected without typing everything again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static
from textual.worker import get_current_worker

from .. import filing
from ..derive import DATE_SOURCES, Proposal, propose
from ..errors import BadValue, JiaError
from ..filing import RecordView
from .dialogs import ReportsWorkerErrors
from .keys import SCREEN_BINDINGS, JiaButton, JiaInput, JiaSelect
from .widgets import PathSuggester, as_path, parse_numbers, parse_tags

if TYPE_CHECKING:
    from .app import JiaApp


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    placeholder: str = ""


FILE_FIELDS = (
    Field("path", "文件", "要归档的文件路径（→ 键补全）"),
    Field("code", "目录"),
    Field("title", "题名", "默认取自文件"),
    Field("date", "日期", "如 2021-05-01，默认取自文件"),
    Field("doc_no", "文号"),
    Field("responsible", "责任者"),
    Field("tags", "标签", "用空格或顿号分隔"),
    Field("items", "评分项", "评分表项号，如 3、5"),
)
EDIT_FIELDS = (
    Field("code", "目录"),
    Field("title", "题名"),
    Field("date", "日期", "如 2021-05-01"),
    Field("doc_no", "文号"),
    Field("responsible", "责任者"),
    Field("tags", "标签", "用空格或顿号分隔"),
    Field("items", "评分项", "评分表项号，如 3、5"),
    Field("remarks", "备注"),
)


class RecordForm(ReportsWorkerErrors, ModalScreen[RecordView | None]):
    """File a new record (``record is None``) or edit ``record``; dismisses with the saved view."""

    BINDINGS = SCREEN_BINDINGS + [
        Binding("ctrl+s", "save", "保存", id="save"),
        Binding("escape", "cancel", "取消", id="cancel"),
    ]

    class Proposed(Message):
        """Title and date read from the file at ``path``."""

        def __init__(self, path: str, proposal: Proposal) -> None:
            super().__init__()
            self.path = path
            self.proposal = proposal

    class Saved(Message):
        def __init__(self, record: RecordView) -> None:
            super().__init__()
            self.record = record

    app: "JiaApp"

    def __init__(self, *, code: str | None = None, record: RecordView | None = None, path: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self.record = record
        self.initial_code = record.code if record else code
        self.initial_path = path
        self._auto: dict[str, str] = {}  # values we filled in ourselves; replaced when the file changes
        self._saving = False
        self._force = False  # file a photo even though its check found errors (the clerk confirmed)

    @property
    def editing(self) -> bool:
        return self.record is not None

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        r = self.record
        fields = EDIT_FIELDS if r else FILE_FIELDS
        values: dict[str, str] = {}
        if r:
            values = {
                "title": r.title,
                "date": r.date.isoformat() if r.date else "",
                "doc_no": r.doc_no,
                "responsible": r.responsible,
                "tags": "、".join(r.tags),
                "items": "、".join(str(i) for i in r.items),
                "remarks": r.remarks,
            }
        else:
            values["path"] = self.initial_path
        with Vertical(classes="dialog", id="form"):
            yield Label(f"修改记录 {r.archive_no}" if r else "归档文件", classes="dialog-title")
            with Grid(id="form-fields"):
                for f in fields:
                    yield Label(f.label, classes="field-label")
                    if f.key == "code":
                        options = [(f"{e.code} {e.title}", e.code) for e in self.app.archive.entries()]
                        codes = {c for _, c in options}
                        yield JiaSelect(
                            options,
                            prompt="请选择目录条目",
                            value=self.initial_code if self.initial_code in codes else Select.NULL,
                            id="code",
                            compact=True,
                        )
                    else:
                        yield JiaInput(
                            values.get(f.key, ""),
                            placeholder=f.placeholder,
                            id=f.key,
                            compact=True,
                            suggester=PathSuggester() if f.key == "path" else None,
                        )
            yield Static("", id="form-status")
            with Horizontal(classes="dialog-buttons"):
                yield JiaButton("保存(^S)" if r else "归档(^S)", variant="primary", id="save", compact=True)
                yield JiaButton("取消(Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#title" if self.editing else "#path", Input).focus()
        if self.initial_path:
            self.propose_from(self.initial_path)

    # ------------------------------------------------------------------ prefill from the file
    @on(Input.Changed, "#path")
    def _path_changed(self, event: Input.Changed) -> None:
        self._force = False  # a confirmation was for the previous file
        self.propose_from(event.value)

    @work(thread=True, exclusive=True, group="propose", exit_on_error=False)
    def propose_from(self, text: str) -> None:
        path = as_path(text) if text.strip() else None
        if path is None or not path.is_file():
            return
        proposal = propose(path)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Proposed(text, proposal))

    def on_record_form_proposed(self, event: Proposed) -> None:
        if event.path != self.query_one("#path", Input).value:
            return  # the clerk typed on since
        p = event.proposal
        fill = {"title": p.title, "date": p.date.isoformat() if p.date else ""}
        for key, value in fill.items():
            box = self.query_one(f"#{key}", Input)
            if not box.value or box.value == self._auto.get(key):
                box.value = value
                self._auto[key] = value
        source = DATE_SOURCES.get(p.date_source, "无") if p.date else "无"
        self._status(f"{p.label}；题名取自{ {'properties': '文档属性', 'filename': '文件名'}.get(p.title_source, '默认值') }，日期取自{source}。")

    # ------------------------------------------------------------------ saving
    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#form-status", Static)
        status.update(text)
        status.set_class(error, "-error")

    def _value(self, key: str) -> str:
        return self.query_one(f"#{key}", Input).value.strip()

    def _collect(self) -> tuple[list[Path], dict[str, Any]]:
        """The form's values, checked; BadValue names the first field that is wrong."""
        code = self.query_one("#code", Select).value
        if code is Select.NULL:
            raise BadValue("请选择目录条目。")
        fields: dict[str, Any] = {"code": code}
        title = self._value("title")
        fields["title"] = filing.check_title(title) if title else None
        text = self._value("date")
        fields["date"] = filing.parse_date(text, "日期") if text else None
        if not self.editing:
            # values read from the file are left to the core, which records where they came from
            for key in ("title", "date"):
                if self._value(key) == self._auto.get(key):
                    fields[key] = None
        fields["doc_no"] = self._value("doc_no")
        fields["responsible"] = self._value("responsible")
        fields["tags"] = parse_tags(self._value("tags"))
        fields["items"] = parse_numbers(self._value("items"))
        if self.editing:
            if not title:
                raise BadValue("题名不能为空。")
            fields["remarks"] = self._value("remarks")
            return [], fields
        text = self._value("path")
        if not text:
            raise BadValue("请填写要归档的文件路径。")
        return [as_path(text)], fields

    def action_save(self) -> None:
        if self._saving:
            return
        try:
            paths, fields = self._collect()
        except JiaError as exc:
            self._status(str(exc), error=True)
            return
        self._saving = True
        self.query_one("#save", Button).disabled = True
        self._status("正在归档，请稍候……" if not self.editing else "正在保存……")
        self.save(paths, fields)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def save(self, paths: list[Path], fields: dict[str, Any]) -> None:
        arch = self.app.archive
        try:
            if self.record is None:
                from ..photos.records import check_incoming, note_filed

                reports = check_incoming(arch, paths)  # photo checks at filing time
                errors = [e for r in reports for e in r.errors]
                if errors and not self._force:
                    self.post_message(self.PhotoErrors(errors))
                    return
                draft = filing.Draft(**{k: v for k, v in fields.items()})
                view = filing.file_document(arch, paths, draft)
                if reports:
                    note_filed(arch, [view], reports)
                    for w in (w for r in reports for w in r.warnings):
                        self.app.call_from_thread(self.app.notify, w, title="照片提示", severity="warning", timeout=8)
            else:
                view = filing.edit_record(arch, self.record.id, **_changes(self.record, fields))
        finally:
            self.app.call_from_thread(self._done_saving)
        self.post_message(self.Saved(view))

    def _done_saving(self) -> None:
        self._saving = False
        self.query_one("#save", Button).disabled = False
        self._status("")

    def on_record_form_saved(self, event: Saved) -> None:
        self.dismiss(event.record)

    class PhotoErrors(Message):
        """The photo to file has errors: it cannot serve as evidence unless the clerk insists."""

        def __init__(self, errors: list[str]) -> None:
            super().__init__()
            self.errors = errors

    def on_record_form_photo_errors(self, event: PhotoErrors) -> None:
        from .dialogs import ConfirmModal

        def answered(yes: bool | None) -> None:
            if yes:
                self._force = True
                self.action_save()

        question = "\n".join(event.errors) + "\n这张照片不能作为证据，仍然归档吗？"
        self.app.push_screen(ConfirmModal(question, yes="仍然归档", title="照片有错误"), answered)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if not self._saving:
            self.dismiss(None)


def _changes(r: RecordView, fields: dict[str, Any]) -> dict[str, Any]:
    """Only the fields the clerk changed, so an untouched record is not re-filed or renamed."""
    current: dict[str, Any] = {
        "code": r.code,
        "title": r.title,
        "date": r.date,
        "doc_no": r.doc_no,
        "responsible": r.responsible,
        "tags": tuple(r.tags),
        "items": tuple(r.items),
        "remarks": r.remarks,
    }
    out = {}
    for key, value in fields.items():
        if key == "date" and value is None:
            continue  # a date cannot be removed, only changed
        if key == "items":
            value = tuple(sorted(set(value)))
        if value != current[key]:
            out[key] = value
    return out

