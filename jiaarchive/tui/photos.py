"""照片: the photos of a record (preview, check findings, label edited in place) and the list of
all photos with problems (照片问题).

The preview is drawn with half blocks: every cell is '▀' whose foreground is the upper pixel and
background the lower one, so a cell shows two pixels. Pixels are read (EXIF orientation applied)
and downscaled in a worker; the strips for a given widget size are cached.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from PIL import Image
from rich.cells import cell_len
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Header, Input, Label, Static
from textual.worker import get_current_worker

from .. import filing
from ..errors import BadValue, JiaError
from ..photos import records
from ..photos.label import PhotoLabel
from ..photos.records import PhotoInfo
from .dialogs import ReportsWorkerErrors
from .keys import SCREEN_BINDINGS, TABLE_BINDINGS, JiaInput
from .progress import ProgressEvent, progress_text, reporter

if TYPE_CHECKING:
    from .app import JiaApp

# Largest picture kept for the preview (pixels); a terminal shows far fewer cells than this.
PREVIEW_BOX = (320, 240)


def load_preview(path) -> Image.Image:  # noqa: ANN001
    """The photo upright (EXIF orientation honoured), as small RGB for the half-block preview."""
    from ..photos.inspect import open_oriented

    im = open_oriented(path)
    try:
        small = im.convert("RGB")
        small.thumbnail(PREVIEW_BOX, Image.Resampling.BOX)
        return small
    finally:
        im.close()


def half_block_strips(image: Image.Image, width: int, height: int) -> list[Strip]:
    """``height`` lines of ``width`` cells showing ``image`` centred, aspect kept (2 pixels per cell)."""
    if width <= 0 or height <= 0:
        return []
    scale = min(width / image.width, 2 * height / image.height)
    w = max(1, min(width, round(image.width * scale)))
    h = max(2, min(2 * height, round(image.height * scale)))
    h += h % 2
    px = image.resize((w, h), Image.Resampling.BOX).load()
    left = (width - w) // 2
    top = (height - h // 2) // 2
    blank = Strip.blank(width)
    strips = [blank] * top
    for row in range(h // 2):
        segments = [Segment(" " * left)] if left else []
        for x in range(w):
            up, down = px[x, 2 * row], px[x, 2 * row + 1]
            style = Style(color=Color.from_rgb(*up[:3]), bgcolor=Color.from_rgb(*down[:3]))
            segments.append(Segment("▀", style))
        if width - left - w:
            segments.append(Segment(" " * (width - left - w)))
        strips.append(Strip(segments, width).simplify())
    strips.extend([blank] * (height - len(strips)))
    return strips


class PhotoPreview(Widget):
    """A photo drawn with half blocks; ``show`` takes an already loaded small image or a message."""

    DEFAULT_CSS = """
    PhotoPreview { width: 1fr; height: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.image: Image.Image | None = None
        self.message = ""
        self._cache: tuple[tuple[int, int], list[Strip]] | None = None

    def show(self, image: Image.Image | None, message: str = "") -> None:
        self.image = image
        self.message = message
        self._cache = None
        self.refresh()

    def _strips(self) -> list[Strip]:
        key = (self.size.width, self.size.height)
        if self._cache is None or self._cache[0] != key:
            if self.image is None:
                text = Text(self.message or "（无预览）", style="dim")
                strips = [Strip(list(text.render(self.app.console)), self.size.width)]
            else:
                strips = half_block_strips(self.image, *key)
            self._cache = (key, strips)
        return self._cache[1]

    def render_line(self, y: int) -> Strip:
        strips = self._strips()
        return strips[y] if y < len(strips) else Strip.blank(self.size.width)


def _findings(p: PhotoInfo) -> Text:
    text = Text()
    when = f"{p.taken_at:%Y-%m-%d %H:%M}（来源：{records.source_label(p.taken_at_source)}）" if p.taken_at else "无"
    size = f"{p.width}×{p.height} {p.format or ''}" if p.width else (p.format or "")
    text.append(f"{p.path}\n", style="bold")
    text.append(f"拍摄时间：{when}　{size}\n")
    if p.original_sha256:
        text.append(f"原件 SHA-256：{p.original_sha256[:16]}…（已保存）\n", style="dim")
    if p.checked_at is None:
        text.append("尚未检查。\n", style="dim")
    for e in p.errors:
        text.append(f"✗ {e}\n", style="bold red")
    for w in p.warnings:
        text.append(f"! {w}\n", style="yellow")
    if p.checked_at is not None and not p.errors and not p.warnings:
        text.append("✓ 检查通过。\n", style="green")
    return text


LABEL_FIELDS = (
    ("subject", "事由", "内容说明，如 教职工运动会开幕式"),
    ("time", "时间", "如 2021-05-01 09:30，只知日期写 2021-05-01"),
    ("place", "地点", ""),
    ("people", "人物", "用顿号分隔"),
    ("photographer", "摄影者", ""),
)


class PhotoScreen(ReportsWorkerErrors, Screen[bool]):
    """照片: the photos of one record; dismisses with True when a label was saved."""

    DEFAULT_CSS = """
    #photo-body { height: 1fr; }
    #photo-preview-box { width: 1fr; height: 1fr; border-right: vkey $foreground 20%; }
    #photo-side { width: 56; max-width: 60%; height: 1fr; padding: 0 1; }
    #photo-heading { height: 1; text-style: bold; }
    #photo-findings { height: 1fr; min-height: 4; overflow-y: auto; }
    #photo-fields { grid-size: 2; grid-columns: 8 1fr; grid-rows: 1; height: auto; }
    #photo-status { height: auto; min-height: 1; color: $text-muted; }
    #photo-status.-error { color: $error; text-style: bold; }
    """

    BINDINGS = SCREEN_BINDINGS + [
        Binding("ctrl+s", "save_label", "保存说明", id="photo_save"),
        Binding("ctrl+n", "apply_name", "按规则命名", id="photo_name"),
        Binding("ctrl+t", "time_from_record", "时间取自记录", id="photo_record_time"),
        Binding("pagedown", "next_photo", "下一张", id="photo_next"),
        Binding("pageup", "prev_photo", "上一张", id="photo_prev"),
        Binding("escape", "back", "返回", id="photo_back"),
    ]
    PALETTE = (
        ("照片: 保存说明", "把事由、时间等写入照片（像素不变）", "save_label"),
        ("照片: 按规则命名", "保存说明并把照片改名为“YYYY-MM-DD 内容说明”", "apply_name"),
        ("照片: 时间取自记录", "用记录的形成日期作为拍摄日期（保存时确认）", "time_from_record"),
        ("照片: 下一张", "本记录的下一张照片", "next_photo"),
        ("照片: 上一张", "本记录的上一张照片", "prev_photo"),
        ("照片: 返回", "回到上一屏", "back"),
    )

    class Loaded(Message):
        def __init__(self, record: filing.RecordView, photos: list[PhotoInfo]) -> None:
            super().__init__()
            self.record = record
            self.photos = photos

    class PreviewLoaded(Message):
        def __init__(self, file_id: int, image: Image.Image | None, message: str) -> None:
            super().__init__()
            self.file_id = file_id
            self.image = image
            self.message = message

    class Saved(Message):
        def __init__(self, file_id: int) -> None:
            super().__init__()
            self.file_id = file_id

    app: "JiaApp"

    def __init__(self, record_id: int, *, file_id: int | None = None) -> None:
        super().__init__(id="photos")
        self.record_id = record_id
        self.want_file = file_id
        self.record: filing.RecordView | None = None
        self.photos: list[PhotoInfo] = []
        self.index = 0
        self.saved = False
        self._busy = False
        self._previews: dict[tuple[int, str], Image.Image | None] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="photo-body"):
            with Vertical(id="photo-preview-box"):
                yield PhotoPreview(id="photo-preview")
            with Vertical(id="photo-side"):
                yield Label("正在读取照片……", id="photo-heading")
                yield Static("", id="photo-findings")
                with Grid(id="photo-fields"):
                    for key, label, placeholder in LABEL_FIELDS:
                        yield Label(label, classes="field-label")
                        yield JiaInput(placeholder=placeholder, id=f"photo-{key}", compact=True, disabled=self.read_only)
                yield Static("", id="photo-status")
        yield Footer()

    @property
    def read_only(self) -> bool:
        return self.app.archive.read_only

    @property
    def current(self) -> PhotoInfo | None:
        return self.photos[self.index] if 0 <= self.index < len(self.photos) else None

    def on_mount(self) -> None:
        self.load()

    # ------------------------------------------------------------------ loading
    @work(thread=True, exclusive=True, group="photo-load", exit_on_error=False)
    def load(self) -> None:
        arch = self.app.archive
        record = filing.get_record(arch, self.record_id)
        photos = records.record_photos(arch, self.record_id)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(record, photos))

    def on_photo_screen_loaded(self, event: Loaded) -> None:
        self.record, self.photos = event.record, event.photos
        if self.want_file is not None:
            self.index = next((i for i, p in enumerate(self.photos) if p.file_id == self.want_file), self.index)
            self.want_file = None
        self.index = min(self.index, max(0, len(self.photos) - 1))
        self._show()

    def _show(self) -> None:
        p = self.current
        heading = self.query_one("#photo-heading", Label)
        if p is None:
            heading.update(f"{self.record.archive_no if self.record else ''} 中没有照片。")
            self.query_one(PhotoPreview).show(None, "（没有照片）")
            return
        heading.update(f"{p.archive_no}　照片 {self.index + 1}/{len(self.photos)}")
        self.query_one("#photo-findings", Static).update(_findings(p))
        values = {
            "subject": p.subject,
            "time": (p.taken_at.strftime("%Y-%m-%d") if p.taken_at.time() == datetime.min.time() else p.taken_at.strftime("%Y-%m-%d %H:%M")) if p.taken_at else "",
            "place": p.place,
            "people": p.people,
            "photographer": p.photographer,
        }
        for key, value in values.items():
            self.query_one(f"#photo-{key}", Input).value = value
        if not self.read_only:
            self.query_one("#photo-subject", Input).focus()
        key = (p.file_id, p.sha256)
        if key in self._previews:
            self.query_one(PhotoPreview).show(self._previews[key], "（无法显示预览）")
        else:
            self.query_one(PhotoPreview).show(None, "正在生成预览……")
            self.load_preview(p)
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="photo-preview", exit_on_error=False)
    def load_preview(self, p: PhotoInfo) -> None:
        try:
            image, message = load_preview(self.app.archive.root / p.path), ""
        except JiaError as exc:
            image, message = None, str(exc)
        if not get_current_worker().is_cancelled:
            self._previews[(p.file_id, p.sha256)] = image
            self.post_message(self.PreviewLoaded(p.file_id, image, message))

    def on_photo_screen_preview_loaded(self, event: PreviewLoaded) -> None:
        if self.current is not None and self.current.file_id == event.file_id:
            self.query_one(PhotoPreview).show(event.image, event.message)

    # ------------------------------------------------------------------ what applies
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("save_label", "apply_name", "time_from_record"):
            return not self.read_only and self.current is not None
        if action == "next_photo":
            return self.index + 1 < len(self.photos)
        if action == "prev_photo":
            return self.index > 0
        return True

    # ------------------------------------------------------------------ actions
    def action_next_photo(self) -> None:
        if self.index + 1 < len(self.photos):
            self.index += 1
            self._show()

    def action_prev_photo(self) -> None:
        if self.index > 0:
            self.index -= 1
            self._show()

    def action_back(self) -> None:
        self.dismiss(self.saved)

    def action_time_from_record(self) -> None:
        if self.record is None or not self.check_action("time_from_record", ()):
            return
        if self.record.date is None:
            self._status(f"记录 {self.record.archive_no} 没有形成日期，请直接填写拍摄时间。", error=True)
            return
        self.query_one("#photo-time", Input).value = self.record.date.isoformat()
        self._status("已填入记录的形成日期，核对无误后按 Ctrl+S 保存。")

    def action_save_label(self) -> None:
        self._save(apply_name=False)

    def action_apply_name(self) -> None:
        self._save(apply_name=True)

    def _value(self, key: str) -> str:
        return self.query_one(f"#photo-{key}", Input).value.strip()

    def _save(self, *, apply_name: bool) -> None:
        p = self.current
        if p is None or self._busy or self.read_only:
            return
        try:
            label = self._label()
        except JiaError as exc:
            self._status(str(exc), error=True)
            return
        self._busy = True
        self._status("正在保存……")
        self.save(p.file_id, label, apply_name)

    def _label(self) -> PhotoLabel:
        from ..photos import meta

        subject = self._value("subject")
        if not subject:
            raise BadValue("请填写事由（内容说明）。")
        text = self._value("time")
        when = meta.parse_exif_datetime(text) if text else None
        if text and when is None:
            raise BadValue(f"拍摄时间“{text}”无法识别，请写成 2021-05-01 或 2021-05-01 09:30。")
        return PhotoLabel(when, subject, self._value("place") or None, self._value("people") or None,
                          self._value("photographer") or None)

    @work(thread=True, exclusive=True, group="photo-save", exit_on_error=False)
    def save(self, file_id: int, label: PhotoLabel, apply_name: bool) -> None:
        try:
            records.label_photo(self.app.archive, file_id, label, apply_name=apply_name)
        finally:
            self.app.call_from_thread(self._done)
        self.post_message(self.Saved(file_id))

    def _done(self) -> None:
        self._busy = False
        self._status("")

    def on_photo_screen_saved(self, event: Saved) -> None:
        self.saved = True
        self.want_file = event.file_id
        self.app.notify("照片说明已保存。", title="完成")
        self.load()

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#photo-status", Static)
        status.update(text)
        status.set_class(error, "-error")


class ProblemTable(DataTable):
    BINDINGS = TABLE_BINDINGS


_NAMED = re.compile(r"(照片|文件)?“[^”]*”")
# The photo checks' sentences, as a few words for a table cell (the whole sentences are below it);
# the first phrase found in a sentence gives its label.
SHORT_LABELS = (
    ("晚于当前时间", "拍摄时间晚于现在"),
    ("拍摄时间“", "拍摄时间无效"),
    ("仅来自 XMP", "时间仅来自 XMP"),
    ("只有 EXIF 修改时间", "只有修改时间"),
    ("仅来自文件名", "时间仅来自文件名"),
    ("没有拍摄时间", "无拍摄时间"),
    ("既没有日期也没有内容说明", "名称无日期和说明"),
    ("文件名缺少日期", "名称缺日期"),
    ("缺少内容说明", "名称缺内容说明"),
    ("空文件", "空文件"),
    ("解压炸弹", "像素过多，已拒绝"),
    ("不是可识别的图片", "不是图片"),
    ("文件头已损坏", "文件头已损坏"),
    ("不在允许的照片格式", "格式不允许"),
    ("被截断", "文件不完整"),
    ("已损坏，无法解码", "图像已损坏"),
    ("扩展名", "扩展名不符"),
    ("EXIF 元数据已损坏", "元数据损坏"),
    ("尺寸过小", "尺寸过小"),
    ("内容完全相同", "重复照片"),
    ("画面几乎相同", "疑似重复"),
    ("不存在或无法读取", "无法读取"),
)


def short_label(sentence: str) -> str:
    for phrase, label in SHORT_LABELS:
        if phrase in sentence:
            return label
    return _NAMED.sub("", sentence, count=1).lstrip("，、：:的") or sentence


def problem_summary(p: PhotoInfo) -> str:
    """Every problem of a photo in a few words (the 照片 column names it, the pane below explains)."""
    labels = list(dict.fromkeys(short_label(t) for t in (*p.errors, *p.warnings)))
    return "；".join(labels)


class PhotoProblemsScreen(ReportsWorkerErrors, Screen[None]):
    """照片问题: every photo with an error or a warning; Enter opens its record's photos."""

    DEFAULT_CSS = """
    #problems-table { height: 1fr; }
    #problems-detail { height: 6; border-top: hkey $foreground 20%; padding: 0 1; overflow-y: auto; }
    #problems-status { height: 1; padding: 0 1; background: $boost; color: $text-muted; }
    """

    BINDINGS = SCREEN_BINDINGS + [
        Binding("enter", "open_photo", "查看照片", id="problems_open"),
        Binding("r", "refresh", "重新检查", id="problems_refresh"),
        Binding("escape", "back", "返回", id="problems_back"),
    ]
    PALETTE = (
        ("照片问题: 查看选中的照片", "打开照片，补充事由和拍摄时间", "open_photo"),
        ("照片问题: 重新检查全部照片", "重新检查档案中的每张照片", "refresh"),
        ("照片问题: 返回", "回到上一屏", "back"),
    )

    class Loaded(Message):
        def __init__(self, photos: list[PhotoInfo]) -> None:
            super().__init__()
            self.photos = photos

    app: "JiaApp"

    def __init__(self) -> None:
        super().__init__(id="photo-problems")
        self.photos: list[PhotoInfo] = []
        self._built_width = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield ProblemTable(id="problems-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="problems-detail")
        yield Static("正在检查照片……", id="problems-status")
        yield Footer()

    def on_mount(self) -> None:
        self._build_columns()
        self.query_one(DataTable).focus()
        self.load(recheck=False)

    def _build_columns(self) -> None:
        """档号 and 照片 as wide as they need (the name cut to a third), 问题 takes the rest."""
        table = self.query_one(DataTable)
        width = table.size.width or self.app.size.width
        no_w = max([4] + [cell_len(p.archive_no) for p in self.photos])
        name_w = min(max([4] + [cell_len(p.name) for p in self.photos]), max(12, width // 3))
        left = width - (1 + no_w + name_w) - 2 * 4 - 1
        table.clear(columns=True)
        table.add_column("", key="mark", width=1)
        table.add_column("档号", key="archive_no", width=no_w)
        table.add_column("照片", key="name", width=name_w)
        table.add_column("问题", key="problem", width=max(10, left))
        self._built_width = width

    def on_resize(self) -> None:
        if self.photos and self.query_one(DataTable).size.width != self._built_width:
            self._fill()

    @work(thread=True, exclusive=True, group="problems", exit_on_error=False)
    def load(self, recheck: bool) -> None:
        arch = self.app.archive
        if recheck and not arch.read_only:
            records.check_archive_photos(arch, progress=reporter(self))
        photos = records.photo_problems(arch)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(photos))

    def on_photo_problems_screen_loaded(self, event: Loaded) -> None:
        self.photos = event.photos
        self._fill()
        n_err = sum(1 for p in self.photos if p.errors)
        self.query_one("#problems-status", Static).update(
            f"共 {len(self.photos)} 张照片需要处理（{n_err} 张有错误）。Enter 查看，r 重新检查。" if self.photos else "档案中的照片都没有问题。"
        )
        self._detail()
        self.refresh_bindings()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        self._build_columns()
        table.add_rows(
            (Text("✗", style="bold red") if p.errors else Text("!", style="yellow"), p.archive_no, p.name,
             problem_summary(p)) for p in self.photos
        )
        if self.photos:
            table.move_cursor(row=min(max(row, 0), len(self.photos) - 1))

    def on_progress_event(self, event: ProgressEvent) -> None:
        self.query_one("#problems-status", Static).update(progress_text(event.progress))

    @property
    def current(self) -> PhotoInfo | None:
        row = self.query_one(DataTable).cursor_row
        return self.photos[row] if 0 <= row < len(self.photos) else None

    @on(DataTable.RowHighlighted)
    def _detail(self) -> None:
        p = self.current
        text = Text()
        if p is not None:
            text.append(f"{p.path}\n", style="bold")
            for e in p.errors:
                text.append(f"✗ {e}\n", style="bold red")
            for w in p.warnings:
                text.append(f"! {w}\n", style="yellow")
        self.query_one("#problems-detail", Static).update(text)

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_open_photo()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_photo":
            return self.current is not None
        return True

    def action_open_photo(self) -> None:
        p = self.current
        if p is not None:
            self.app.push_screen(PhotoScreen(p.record_id, file_id=p.file_id), lambda saved: self.load(False) if saved else None)

    def action_refresh(self) -> None:
        self.query_one("#problems-status", Static).update("正在重新检查全部照片……")
        self.load(recheck=True)

    def action_back(self) -> None:
        self.dismiss(None)
