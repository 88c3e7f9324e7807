"""The Textual application: one archive, the browse screen, the command palette, the error handler.

Later screens (search ``/``, photos, log, scoring dashboard) are pushed from here; each screen
lists its palette commands in a ``PALETTE`` tuple of (name, help, action) and hides what does not
apply through ``check_action``.  Everything a clerk reads is Chinese: the palette (its "no
matches" line and the theme picker, ``palette.py``), the key help on F1 (``help.py``), the keys
in the footer (``keys.key_display``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.css.query import NoMatches
from textual.screen import ModalScreen, Screen

from .. import audit, userconfig
from ..archive import Archive
from ..errors import JiaError, explain
from .browse import BrowseScreen
from .dialogs import ErrorModal, NameModal
from .help import KeysHelp
from .keys import key_display
from .palette import JiaCommandPalette, ThemeCommands

log = logging.getLogger(__name__)


class JiaApp(App[None]):
    """建家档案 TUI over one opened archive (read-only when the archive is: inspector mode)."""

    CSS_PATH = "jia.tcss"
    TITLE = "建家档案"
    BINDINGS = [
        Binding("ctrl+q", "quit", "退出", show=False, priority=True, id="quit_app"),
        Binding("ctrl+p", "command_palette", "命令", show=False, priority=True, id="palette"),
        Binding("f1", "toggle_help", "帮助", id="help"),
        Binding("escape", "close_help", "关闭帮助", show=False, priority=True, id="close_help"),
        Binding("slash", "open_search", "检索", id="search"),
    ]

    def __init__(self, archive: Archive, *, ask_name: bool | None = None) -> None:
        super().__init__()
        self.archive = archive
        self.ask_name = needs_name() if ask_name is None else ask_name
        self._set_sub_title()
        theme = userconfig.get("tui", "theme")
        if theme in self.available_themes:
            self.theme = theme

    def _set_sub_title(self) -> None:
        mode = "（只读介质）" if self.archive.media_read_only else "（检查组只读）" if self.archive.read_only else ""
        self.sub_title = f"{self.archive.settings.unit}{mode} · 操作人：{audit.current_user()}"

    def get_default_screen(self) -> Screen:
        return BrowseScreen()

    def on_mount(self) -> None:
        self.show_notices()
        if self.ask_name:
            self.call_after_refresh(self.action_set_name)

    def get_key_display(self, binding: Binding) -> str:
        return key_display(binding)

    # ------------------------------------------------------------------ errors
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

    def action_help_quit(self) -> None:
        """Ctrl+C: the clerk probably wants to quit; say how (Textual says it in English)."""
        self.notify("按 Ctrl+Q（或在主界面按 q）退出。", title="要退出吗？")

    # ------------------------------------------------------------------ who is working
    def action_set_name(self) -> None:
        """Ask the clerk's name once on this computer; it goes into every log entry."""

        def answered(name: str | None) -> None:
            if name:
                try:
                    userconfig.set_user_name(name)
                except (JiaError, OSError) as exc:
                    self.notify(f"姓名未能保存：{exc}", severity="error")
                    return
                self._set_sub_title()
                self.notify(f"操作人：{audit.current_user()}。以后的修改日志都会记下这个姓名。", title="已设置")

        self.push_screen(NameModal(userconfig.user_name() or ""), answered)

    # ------------------------------------------------------------------ search
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_search":
            return not isinstance(self.screen, ModalScreen)  # not over a form or a question
        if action == "close_help":
            return bool(self.screen.query(KeysHelp))
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

    # ------------------------------------------------------------------ key help
    def action_toggle_help(self) -> None:
        try:
            self.screen.query_one(KeysHelp).remove()
        except NoMatches:
            self._mount_help()

    def _mount_help(self) -> None:
        """Beside the content and above the footer, so neither the table nor the keys are hidden."""
        from textual.widgets import Footer

        footers = self.screen.query(Footer)
        self.screen.mount(KeysHelp(), before=footers.first() if footers else None)

    def action_close_help(self) -> None:
        self.screen.query(KeysHelp).remove()

    # the palette's 显示/隐藏按键帮助 (Textual's names for them)
    def action_show_help_panel(self) -> None:
        if not self.screen.query(KeysHelp):
            self._mount_help()

    def action_hide_help_panel(self) -> None:
        self.action_close_help()

    # ------------------------------------------------------------------ command palette
    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(JiaCommandPalette(placeholder="输入命令名称搜索……", id="--command-palette"))

    def action_change_theme(self) -> None:
        self.push_screen(JiaCommandPalette(providers=[ThemeCommands], placeholder="选择界面配色……"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for name, help_text, action in getattr(screen, "PALETTE", ()):
            if screen.check_action(action, ()):
                yield SystemCommand(name, help_text, getattr(screen, f"action_{action}"))
        if not isinstance(screen, ModalScreen):
            yield SystemCommand("检索: 全文检索", "在题名、文号、责任者和文件正文中查找（/）", self.action_open_search)
        yield SystemCommand("界面: 切换配色", "选择界面主题（深色、浅色……）", self.action_change_theme)
        if screen.query(KeysHelp):
            yield SystemCommand("界面: 隐藏按键帮助", "关闭按键说明（F1）", self.action_hide_help_panel)
        else:
            yield SystemCommand("界面: 显示按键帮助", "列出本屏所有按键（F1）", self.action_show_help_panel)
        yield SystemCommand("设置: 操作人姓名", f"现为“{audit.current_user()}”，记入每条修改日志", self.action_set_name)
        yield SystemCommand("退出", "关闭建家档案", self.action_quit)


def needs_name() -> bool:
    """Whether to ask the clerk's name: none given for this run, in the environment or on this computer."""
    return not audit.name_is_set()
