"""按键帮助 (F1): the keys of the screen and of the focused part, in Chinese.

Shown beside the content, never over it: on a wide terminal as a column on the right, at 80
columns as a band above the footer, so the table stays in view.  F1 or Esc closes it.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import events
from textual.containers import VerticalScroll
from textual.widgets import Static

from .keys import description, key_display

WIDE = 110  # columns from which the help is a column on the right
TITLE = "按键帮助（F1 或 Esc 关闭）"


class KeysHelp(VerticalScroll, can_focus=False):
    """The active bindings of the current screen, grouped by key, with Chinese descriptions."""

    DEFAULT_CSS = """
    KeysHelp {
        dock: right;
        width: 40;
        height: 1fr;
        border-left: vkey $foreground 30%;
        background: $surface;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    KeysHelp.-narrow {
        dock: bottom;
        width: 1fr;
        height: 9;
        border-left: none;
        border-top: hkey $foreground 30%;
    }
    KeysHelp #keys-help-title { text-style: bold; color: $text-accent; }
    """

    def compose(self):  # noqa: ANN201
        yield Static(TITLE, id="keys-help-title")
        yield Static(id="keys-help-table")

    def on_mount(self) -> None:
        self.screen.add_class("-keys-help")  # a screen may make room for it (jia.tcss)
        self._layout_for(self.app.size.width)
        self.watch(self.screen, "focused", lambda _w: self.refresh_keys())
        self.screen.bindings_updated_signal.subscribe(self, lambda _s: self.refresh_keys())
        self.refresh_keys()

    def on_unmount(self) -> None:
        self.screen.remove_class("-keys-help")
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _layout_for(self, width: int) -> None:
        self.set_class(width < WIDE, "-narrow")

    def on_resize(self, event: events.Resize) -> None:
        self._layout_for(self.app.size.width)
        self.refresh_keys()

    def entries(self) -> list[tuple[str, str]]:
        """(keys, description) for every binding that does something here, once per action."""
        from textual.app import App
        from textual.screen import Screen

        seen: dict[str, list[str]] = {}
        order: list[str] = []
        # the screen's own keys first, then the app's, then moving about in the focused part
        rank = {Screen: 0, App: 1}
        actives = sorted(self.screen.active_bindings.values(),
                         key=lambda a: next((r for cls, r in rank.items() if isinstance(a.node, cls)), 2))
        for active in actives:
            b = active.binding
            text = description(b)
            if not text or not active.enabled or b.key.startswith("super+"):
                continue
            if text not in seen:
                seen[text] = []
                order.append(text)
            shown = key_display(b)
            if shown not in seen[text]:
                seen[text].append(shown)
        return [(" ".join(seen[t]), t) for t in order]

    def refresh_keys(self) -> None:
        entries = self.entries()
        narrow = self.has_class("-narrow")
        per_row = max(1, (self.app.size.width - 2) // 26) if narrow else 1
        grid = Table.grid(padding=(0, 1), expand=False)
        for _ in range(per_row):
            grid.add_column(justify="right", style="bold", no_wrap=True)
            grid.add_column(no_wrap=True, overflow="ellipsis")
        for i in range(0, len(entries), per_row):
            row: list[Text | str] = []
            for keys, text in entries[i:i + per_row]:
                row += [Text(keys), Text(text)]
            row += [""] * (2 * per_row - len(row))
            grid.add_row(*row)
        try:
            self.query_one("#keys-help-table", Static).update(grid)
        except Exception:  # noqa: BLE001 - not composed yet
            pass
