"""选择文件: a file picker for the filing form (Textual's ``DirectoryTree``).

It opens at the folder used last on this computer (kept in the user's settings, never in an
archive), else the home folder.  Enter picks a file; 空格 marks several; Ctrl+S takes the marked
files, or the highlighted file or folder; Backspace goes up one folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DirectoryTree, Label, Static
from textual.widgets.tree import TreeNode

from .. import userconfig
from .keys import SCREEN_BINDINGS, JiaButton, translated

MARK = "✓ "
HINT = "Enter 选定文件或展开文件夹；空格 标记多个文件；Ctrl+S 选定标记的文件（或光标处的文件夹）；退格 上级文件夹"


def start_folder() -> Path:
    """The folder the picker opened at last on this computer, else the home folder."""
    last = userconfig.get("files", "last_folder")
    if last and Path(last).is_dir():
        return Path(last)
    return Path.home()


def remember_folder(folder: Path) -> None:
    try:
        userconfig.put("files", "last_folder", str(folder))
    except OSError:
        pass  # a read-only home folder: the picker opens at home next time


class FileTree(DirectoryTree):
    """A directory tree without hidden files, showing the marked files with ✓."""

    # 空格 marks a file (Tree's own 空格 would fold the folder; Enter does that here)
    BINDINGS = [b for b in translated(DirectoryTree.BINDINGS) if getattr(b, "key", "") != "space"] + [
        Binding("space", "screen.mark", "标记", id="picker_tree_mark"),
    ]

    def __init__(self, path: Path, **kwargs) -> None:
        super().__init__(path, **kwargs)
        self.marked: set[Path] = set()

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [p for p in paths if not p.name.startswith((".", "~$")) and p.name.lower() not in ("thumbs.db", "desktop.ini")]

    def render_label(self, node: TreeNode, base_style: Style, style: Style) -> Text:
        label = super().render_label(node, base_style, style)
        if node.data is not None and node.data.path in self.marked:
            return Text.assemble((MARK, "bold"), label)
        return label


class FilePicker(ModalScreen[list[Path] | None]):
    """Dismisses with the chosen paths (files, or one folder), or None."""

    DEFAULT_CSS = """
    FilePicker #picker { width: 90%; max-width: 110; height: 90%; }
    FilePicker #picker-tree { height: 1fr; border: none; }
    FilePicker #picker-where { height: 1; color: $text-muted; }
    FilePicker #picker-status { height: auto; color: $text-muted; }
    """

    BINDINGS = SCREEN_BINDINGS + [
        Binding("ctrl+s", "choose", "选定", id="picker_choose"),
        Binding("backspace", "up", "上级文件夹", id="picker_up"),
        Binding("escape", "cancel", "取消", id="picker_cancel"),
    ]

    def __init__(self, start: Path | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.start = start or start_folder()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="picker"):
            yield Label("选择要归档的文件", classes="dialog-title")
            yield Static(str(self.start), id="picker-where", markup=False)
            yield FileTree(self.start, id="picker-tree")
            yield Static(HINT, id="picker-status")
            with Horizontal(classes="dialog-buttons"):
                yield JiaButton("上级文件夹(退格)", id="up", compact=True)
                yield JiaButton("选定(^S)", variant="primary", id="choose", compact=True)
                yield JiaButton("取消(Esc)", id="cancel", compact=True)

    @property
    def tree(self) -> FileTree:
        return self.query_one(FileTree)

    def on_mount(self) -> None:
        self.tree.focus()

    def _highlighted(self) -> Path | None:
        node = self.tree.cursor_node
        return node.data.path if node is not None and node.data is not None else None

    def _done(self, paths: list[Path]) -> None:
        folder = paths[0] if len(paths) == 1 and paths[0].is_dir() else paths[0].parent
        remember_folder(folder)
        self.dismiss(paths)

    @on(DirectoryTree.FileSelected)
    def _file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        marked = sorted(self.tree.marked)
        self._done(marked if marked else [event.path])

    def action_mark(self) -> None:
        path = self._highlighted()
        if path is None or path.is_dir():
            return
        self.tree.marked ^= {path}
        self.tree.refresh()
        n = len(self.tree.marked)
        self.query_one("#picker-status", Static).update(f"已标记 {n} 个文件，Ctrl+S 选定。" if n else HINT)
        self.tree.action_cursor_down()

    @on(Button.Pressed, "#choose")
    def action_choose(self) -> None:
        marked = sorted(self.tree.marked)
        if marked:
            self._done(marked)
            return
        path = self._highlighted()
        if path is not None:
            self._done([path])

    @on(Button.Pressed, "#up")
    def action_up(self) -> None:
        current = Path(self.tree.path)
        parent = current.parent
        if parent != current and os.access(parent, os.R_OK):
            self.tree.path = parent
            self.query_one("#picker-where", Static).update(str(parent))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
