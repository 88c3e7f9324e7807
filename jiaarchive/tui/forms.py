"""The record form: filing documents from a path (归档) and editing a record (修改).

The 文件 field takes one file, a folder (its files and its sub-folders', in name order), a zip
or several paths separated by “;”; with more than one file the clerk chooses 每个文件各为一件 (as
``jiaarchive add`` does by default) or 所有文件合为一件 (``--together``), and the title
and date come from each file unless typed.

Quick checks (title, date, item numbers) run on the UI thread as the clerk submits; the
filing runs the one intake run (``filing.intake``) in a thread worker: its questions about
duplicates and bad photos come up as a modal (``outcomes.ChoiceModal``) and, when any file was
not filed, every file's outcome is listed (``outcomes.OutcomeModal``).  When nothing was filed
the form stays open, so a refused file can be corrected without typing everything again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select
from textual.worker import get_current_worker

from .. import filing
from ..derive import DATE_SOURCES, Proposal, propose
from ..errors import BadValue, JiaError
from ..filing import RecordView
from ..inbox.walk import skip_reason
from .dialogs import ReportsWorkerErrors
from .keys import SCREEN_BINDINGS, JiaButton, JiaInput, JiaSelect
from .progress import ProgressEvent, ProgressLine, reporter
from .widgets import PathSuggester, as_path, parse_numbers, parse_tags

if TYPE_CHECKING:
    from .app import JiaApp


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    placeholder: str = ""


FILE_FIELDS = (
    Field("path", "文件", "文件或文件夹路径，多个用 ; 分隔（→ 键补全）"),
    Field("mode", "方式"),
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
    Field("year", "年度", "如 2021；改年度即改档"),
    Field("retention", "保管期限"),
    Field("pages", "页数", "如 3"),
    Field("doc_no", "文号"),
    Field("responsible", "责任者"),
    Field("tags", "标签", "用空格或顿号分隔"),
    Field("items", "评分项", "评分表项号，如 3、5"),
    Field("remarks", "备注"),
)


MODES = [("每个文件各为一件", "each"), ("所有文件合为一件", "together")]


class RecordForm(ReportsWorkerErrors, ModalScreen[tuple[RecordView, ...] | None]):
    """File new records (``record is None``) or edit ``record``; dismisses with the saved views."""

    BINDINGS = SCREEN_BINDINGS + [
        Binding("ctrl+s", "save", "保存", id="save"),
        Binding("ctrl+o", "browse", "选择文件", id="browse"),
        Binding("escape", "cancel", "取消", id="cancel"),
    ]

    class Proposed(Message):
        """Title and date read from the file at ``path``."""

        def __init__(self, path: str, proposal: Proposal) -> None:
            super().__init__()
            self.path = path
            self.proposal = proposal

    class Saved(Message):
        def __init__(self, records: tuple[RecordView, ...]) -> None:
            super().__init__()
            self.records = records

    class Listed(Message):
        """The files the 文件 field names (several, or a folder's)."""

        def __init__(self, text: str, paths: list[Path]) -> None:
            super().__init__()
            self.text = text
            self.paths = paths

    app: "JiaApp"

    def __init__(self, *, code: str | None = None, record: RecordView | None = None, path: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self.record = record
        self.initial_code = record.code if record else code
        self.initial_path = path
        self._auto: dict[str, str] = {}  # values we filled in ourselves; replaced when the file changes
        self._saving = False
        self._listed = False  # the status line describes several files

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
                "year": str(r.year),
                "pages": str(r.pages) if r.pages is not None else "",
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
                    yield Label(f.label, classes="field-label", id=f"label-{f.key}")
                    if f.key == "mode":
                        yield JiaSelect(MODES, value="each", allow_blank=False, id="mode", compact=True)
                    elif f.key == "retention":
                        names = [p.name for p in self.app.archive.standards.retention_periods]
                        yield JiaSelect([(n, n) for n in names], value=r.retention if r and r.retention in names else Select.NULL,
                                        allow_blank=False, id="retention", compact=True)
                    elif f.key == "path":
                        with Horizontal(id="path-row"):
                            yield JiaInput(values.get("path", ""), placeholder=f.placeholder, id="path", compact=True,
                                           suggester=PathSuggester())
                            yield JiaButton("选择…(^O)", id="browse", compact=True)
                    elif f.key == "code":
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
                        yield JiaInput(values.get(f.key, ""), placeholder=f.placeholder, id=f.key, compact=True)
            yield ProgressLine("", id="form-status")
            with Horizontal(classes="dialog-buttons"):
                yield JiaButton("保存(^S)" if r else "归档(^S)", variant="primary", id="save", compact=True)
                yield JiaButton("取消(Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#title" if self.editing else "#path", Input).focus()
        if not self.editing:
            self._show_mode(False)
        if self.initial_path:
            self.propose_from(self.initial_path)

    def _show_mode(self, show: bool) -> None:
        """The 方式 row is only there when there are several files to file."""
        for w in (self.query_one("#label-mode"), self.query_one("#mode")):
            w.display = show

    # ------------------------------------------------------------------ prefill from the file
    @on(Input.Changed, "#path")
    def _path_changed(self, event: Input.Changed) -> None:
        self.propose_from(event.value)

    @work(thread=True, exclusive=True, group="propose", exit_on_error=False)
    def propose_from(self, text: str) -> None:
        paths = source_paths(text) if text.strip() else []
        if get_current_worker().is_cancelled:
            return
        self.post_message(self.Listed(text, paths))
        if len(paths) != 1 or not paths[0].is_file():
            return
        proposal = propose(paths[0])
        if not get_current_worker().is_cancelled:
            self.post_message(self.Proposed(text, proposal))

    def on_record_form_listed(self, event: Listed) -> None:
        if event.text != self.query_one("#path", Input).value:
            return
        many = len(event.paths) > 1
        self._show_mode(many)
        if not many:
            if not event.paths and as_path(event.text).is_dir():
                self._status("这个文件夹里没有可归档的文件。", error=True)
            elif self._listed:
                self._status("")  # the note about several files no longer applies
            self._listed = False
            return
        self._listed = True
        for key in ("title", "date"):  # each file gives its own, unless the clerk typed one
            box = self.query_one(f"#{key}", Input)
            if box.value and box.value == self._auto.get(key):
                box.value = ""
            self._auto[key] = ""
        self._status(f"共 {len(event.paths)} 个文件（{event.paths[0].name} 等）；"
                     f"题名、日期不填时分别取自各文件。")

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
        status = self.query_one("#form-status", ProgressLine)
        status.update(text)
        status.set_class(error, "-error")

    def on_progress_event(self, event: ProgressEvent) -> None:
        self.query_one("#form-status", ProgressLine).show(event.progress)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "browse":
            return not self.editing
        return True

    def action_browse(self) -> None:
        """The file picker; what it gives goes into the 文件 field (several as quoted paths)."""
        from .picker import FilePicker

        def picked(paths: list[Path] | None) -> None:
            if paths:
                box = self.query_one("#path", Input)
                box.value = str(paths[0]) if len(paths) == 1 else "; ".join(f'"{p}"' for p in paths)
                box.focus()

        self.app.push_screen(FilePicker(), picked)

    @on(Button.Pressed, "#browse")
    def _browse_pressed(self) -> None:
        self.action_browse()

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
            year = self._value("year")
            if not year.isdigit():
                raise BadValue(f"年度“{year}”应为四位数字，如 2021。")
            fields["year"] = int(year)
            fields["retention"] = self.query_one("#retention", Select).value
            pages = self._value("pages")
            if pages and not pages.isdigit():
                raise BadValue(f"页数“{pages}”应为整数。")
            fields["pages"] = int(pages) if pages else None
            return [], fields
        text = self._value("path")
        if not text:
            raise BadValue("请填写要归档的文件路径。")
        files = source_paths(text)
        if not files:
            raise BadValue(f"文件夹“{text}”里没有可归档的文件。" if as_path(text).is_dir()
                           else f"“{text}”没有写出文件路径。")
        fields["together"] = len(files) > 1 and self.query_one("#mode", Select).value == "together"
        return source_parts(text), fields  # folders as they are: the intake run walks them

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
        self._status("正在归档……" if not self.editing else "正在保存……")
        self.save(paths, fields)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def save(self, paths: list[Path], fields: dict[str, Any]) -> None:
        arch = self.app.archive
        try:
            if self.record is None:
                from ..filing.intake import check_paths, file

                together = fields.pop("together", False)
                draft = filing.Draft(**{k: v for k, v in fields.items()})
                # the one intake run: walks folders and zips, checks each file and photo …
                checked = check_paths(arch, paths, draft, together=together, progress=reporter(self))
                if checked.findings:  # … asks about duplicates and bad photos (a modal) …
                    self.post_message(self.Ask(checked))
                    return
                self._after_filing(file(arch, checked, progress=reporter(self)))  # … files, says what happened
                return
            # base: a field someone else changed since this form opened is not silently undone
            views = (filing.edit_record(arch, self.record.id, base=self.record, **_changes(self.record, fields)),)
        finally:
            self.app.call_from_thread(self._done_saving)
        self.post_message(self.Saved(views))

    class Ask(Message):
        """The checked run has files the clerk must decide about (duplicates, photos with errors)."""

        def __init__(self, checked: Any) -> None:
            super().__init__()
            self.checked = checked

    def on_record_form_ask(self, event: Ask) -> None:
        from .outcomes import ChoiceModal

        def answered(answer: Any) -> None:
            if answer is None:
                event.checked.close()
                self._status("已取消，未作任何改动。")
                return
            self._saving = True
            self.query_one("#save", Button).disabled = True
            self._status("正在归档……")
            self.file_checked(event.checked, answer)

        self.app.push_screen(ChoiceModal(event.checked.findings), answered)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def file_checked(self, checked: Any, answer: Any) -> None:
        from ..filing.intake import file

        try:
            self._after_filing(file(self.app.archive, checked, answer, progress=reporter(self)))
        finally:
            self.app.call_from_thread(self._done_saving)

    def _after_filing(self, result: Any) -> None:
        """From the worker: the notes on what was filed, then the outcome list or the saved records."""
        views = tuple(result.records)
        self._warn_photos(views)
        self._warn_unreadable(views)
        for note in (n for v in views for n in v.notes):  # a link followed, a name partly unreadable
            self.app.call_from_thread(self.app.notify, note, title="提示", severity="warning", timeout=12)
        if result.not_filed or not result.outcomes:
            self.post_message(self.Outcomes(result))
            return
        if result.skipped:  # hidden files, Thumbs.db, ~$ lock files: said once, not listed
            self.app.call_from_thread(self.app.notify, result.skipped_text(), title="归档", timeout=8)
        self.post_message(self.Saved(views))

    class Outcomes(Message):
        """Some files were not filed (or none found): the clerk sees every file's outcome first."""

        def __init__(self, result: Any) -> None:
            super().__init__()
            self.result = result

    def on_record_form_outcomes(self, event: Outcomes) -> None:
        from .outcomes import OutcomeModal

        result = event.result
        if not result.outcomes:
            self._status("没有可归档的文件。" + result.skipped_text(), error=True)
            return

        def closed(_: None) -> None:
            if result.records:
                self.dismiss(tuple(result.records))  # what was filed shows in the tree and table
            else:
                self._status(result.summary(), error=True)  # nothing filed: the form stays as typed

        self.app.push_screen(OutcomeModal(result), closed)

    def _warn_photos(self, views: tuple[RecordView, ...]) -> None:
        """What the photo check found on the photos just filed (from the worker)."""
        from ..photos.records import list_photos

        ids = [f.id for v in views for f in v.files]
        warnings = [w for p in list_photos(self.app.archive, file_ids=ids) for w in p.warnings] if ids else []
        for w in warnings[:5]:
            self.app.call_from_thread(self.app.notify, w, title="照片提示", severity="warning", timeout=8)
        if len(warnings) > 5:
            self.app.call_from_thread(
                self.app.notify, f"另有 {len(warnings) - 5} 条照片提示，可按 P 查看照片问题。",
                title="照片提示", severity="warning", timeout=8)

    def _warn_unreadable(self, views: tuple[RecordView, ...]) -> None:
        """Encrypted, damaged or scanned files are filed, but the clerk is told (from the worker)."""
        from ..indexing import file_problems

        problems = [p for ps in file_problems(self.app.archive, [v.id for v in views], extract=True).values() for p in ps]
        for p in problems[:5]:
            self.app.call_from_thread(self.app.notify, f"{p.reason}已照常归档，但正文无法检索。",
                                      title=f"文件{p.status_label}", severity="warning", timeout=15)
        if len(problems) > 5:
            self.app.call_from_thread(self.app.notify, f"另有 {len(problems) - 5} 个文件读不出文字，表格中以 ⚠ 标出。",
                                      title="文件读不出文字", severity="warning", timeout=15)

    def _done_saving(self) -> None:
        self._saving = False
        self.query_one("#save", Button).disabled = False
        self._status("")

    def on_record_form_saved(self, event: Saved) -> None:
        self.dismiss(event.records)

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
        "year": r.year,
        "retention": r.retention,
        "pages": r.pages,
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



# Quoted pieces stay whole (no backslash escapes: Windows and network paths keep theirs);
# unquoted pieces end at “;”, “；” or a line break.
_PIECE = re.compile(r'"([^"]*)"|\'([^\']*)\'|([^;；\r\n"\']+)')


def source_parts(text: str) -> list[Path]:
    """The paths the 文件 field names, folders not opened: one path, or several.

    Several paths are separated by “;” (or “；”, or a line break) or each put in quotes,
    as file managers copy them; a text that names an existing path as a whole is that one
    path, even with a “;” in its name.
    """
    text = text.strip()
    whole = as_path(text)
    if text and whole.exists():
        parts = [text]
    else:
        parts = [next(g for g in m.groups() if g is not None) for m in _PIECE.finditer(text)]
        parts = [x for x in parts if x.strip()]
    return list(dict.fromkeys(as_path(p) for p in parts))


def source_paths(text: str) -> list[Path]:
    """The files the 文件 field names (to say how many): a folder gives its files and those of
    its sub-folders, in name order, without hidden files, Office lock files (``~$…``) or
    ``Thumbs.db``/``desktop.ini`` — what the intake run will file."""
    out: list[Path] = []
    for path in source_parts(text):
        if path.is_dir():
            out += _files_in(path)
        else:
            out.append(path)
    return list(dict.fromkeys(out))


def _files_in(folder: Path) -> list[Path]:
    try:
        children = sorted(folder.iterdir(), key=lambda c: c.name)
    except OSError:
        return []
    out: list[Path] = []
    for c in children:
        if _skipped(c) or c.is_symlink():
            continue
        if c.is_dir():
            out += _files_in(c)
        elif c.is_file():
            out.append(c)
    return out


def _skipped(path: Path) -> bool:
    if skip_reason(path.name):
        return True
    try:  # Windows: the hidden attribute
        return bool(path.stat().st_file_attributes & 2)  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return False
