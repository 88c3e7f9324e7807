"""The Textual application: one archive, the browse screen, the command palette, the error handler.

Later screens (search ``/``, photos, scoring dashboard) are pushed from here; each screen lists
its palette commands in a ``PALETTE`` tuple of (name, help, action) and hides what does not
apply through ``check_action``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import ModalScreen, Screen

from ..archive import Archive
from ..errors import explain
from .browse import BrowseScreen
from .dialogs import ErrorModal

log = logging.getLogger(__name__)


class JiaApp(App[None]):
    """建家档案 TUI over one opened archive (read-only when the archive is: inspector mode)."""

    CSS_PATH = "jia.tcss"
    TITLE = "建家档案"
    BINDINGS = [
        Binding("ctrl+q", "quit", "退出", show=False, priority=True, id="quit_app"),
        Binding("ctrl+p", "command_palette", "命令", show=False, priority=True, id="palette"),
        Binding("f1", "show_help_panel", "按键帮助", show=False, id="help"),
        Binding("slash", "open_search", "检索", id="search"),
    ]

    def __init__(self, archive: Archive) -> None:
        super().__init__()
        self.archive = archive
        mode = "（只读介质）" if archive.media_read_only else "（检查组只读）" if archive.read_only else ""
        self.sub_title = f"{archive.settings.unit}{mode}"

    def get_default_screen(self) -> Screen:
        return BrowseScreen()

    # ------------------------------------------------------------------ errors
    def on_mount(self) -> None:
        self.show_notices()

    def show_notices(self) -> None:
        """What opening the archive (or a change since) has to say: read-only media, recovery …"""
        while self.archive.notices:
            self.notify(self.archive.notices.pop(0), title="提示", timeout=15)

    def report_error(self, exc: BaseException) -> None:
        """The one place worker failures reach the clerk: a JiaError's own sentence (also for a full
        disk, a damaged database, no permission: ``errors.explain``), else a short note."""
        error = explain(exc, self.archive.root)
        if error is not None:
            message = str(error)
        else:
            log.error("unexpected error in a worker", exc_info=exc)
            message = f"程序内部错误（{type(exc).__name__}: {exc}）。档案未被改动的部分不受影响，请把此信息告诉维护人员。"
        self.push_screen(ErrorModal(message))

    # ------------------------------------------------------------------ search
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_search":
            return not isinstance(self.screen, ModalScreen)  # not over a form or a question
        return True

    def action_open_search(self) -> None:
        """``/`` from anywhere: the one search screen, with its last query and results."""
        from .search import SearchScreen

        if isinstance(self.screen, SearchScreen):
            self.screen.focus_query()
            return
        if isinstance(self.screen, ModalScreen):
            return
        if not self.is_screen_installed("search"):
            self.install_screen(SearchScreen(), "search")
        self.push_screen("search")

    # ------------------------------------------------------------------ command palette
    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder="输入命令名称搜索……", id="--command-palette"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for name, help_text, action in getattr(screen, "PALETTE", ()):
            if screen.check_action(action, ()):
                yield SystemCommand(name, help_text, getattr(screen, f"action_{action}"))
        if not isinstance(screen, ModalScreen):
            yield SystemCommand("检索: 全文检索", "在题名、文号、责任者和文件正文中查找（/）", self.action_open_search)
        yield SystemCommand("界面: 切换配色", "选择界面主题", self.action_change_theme)
        if screen.query("HelpPanel"):
            yield SystemCommand("界面: 隐藏按键帮助", "关闭右侧的按键说明", self.action_hide_help_panel)
        else:
            yield SystemCommand("界面: 显示按键帮助", "在右侧列出所有按键", self.action_show_help_panel)
        yield SystemCommand("退出", "关闭建家档案", self.action_quit)
