"""The command palette in Chinese: its "no matches" line and the colour theme picker."""

from __future__ import annotations

from functools import partial

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.widgets.option_list import Option

NO_MATCHES = "没有找到匹配的命令"

# The themes offered, with names a clerk can read; the first is the default.
THEMES = (
    ("深色（默认）", "textual-dark"),
    ("浅色", "textual-light"),
    ("暖色护眼", "gruvbox"),
    ("冷色", "nord"),
    ("终端自带颜色", "textual-ansi"),
)


class JiaCommandPalette(CommandPalette):
    """Textual's palette, saying "no matches" in Chinese."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(NO_MATCHES, style="not bold")), disabled=True, id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


class ThemeCommands(Provider):
    """界面配色: a few themes with Chinese names; the choice is remembered on this computer."""

    def _choose(self, name: str) -> None:
        from .. import userconfig

        self.app.theme = name
        try:
            userconfig.put("tui", "theme", name)
        except OSError:
            pass  # a read-only home folder: the theme holds for this session

    def _commands(self) -> list[tuple[str, str]]:
        available = self.app.available_themes
        return [(label, name) for label, name in THEMES if name in available]

    async def discover(self) -> Hits:
        for label, name in self._commands():
            yield DiscoveryHit(label, partial(self._choose, name), help="当前配色" if name == self.app.theme else None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, name in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(self._choose, name))
