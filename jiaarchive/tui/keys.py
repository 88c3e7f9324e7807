"""Chinese labels for the key bindings Textual's own widgets bring (shown in the F1 key panel).

The keys and actions stay Textual's; only the descriptions change, so the key panel reads in
Chinese like the footer.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Input, Select, Tree

LABELS = {
    # screens
    "app.focus_next": "下一栏",
    "app.focus_previous": "上一栏",
    "screen.copy_text": "复制选中的文字",
    # moving
    "cursor_up": "上移",
    "cursor_down": "下移",
    "cursor_left": "左移",
    "cursor_right": "右移",
    "cursor_parent": "到上级",
    "cursor_parent_next_sibling": "到上级的下一项",
    "cursor_previous_sibling": "到上一个同级",
    "cursor_next_sibling": "到下一个同级",
    "page_up": "上翻一页",
    "page_down": "下翻一页",
    "page_left": "左翻一页",
    "page_right": "右翻一页",
    "scroll_up": "向上滚动",
    "scroll_down": "向下滚动",
    "scroll_left": "向左滚动",
    "scroll_right": "向右滚动",
    "scroll_top": "到最前",
    "scroll_bottom": "到最后",
    "scroll_home": "到开头",
    "scroll_end": "到末尾",
    "select_cursor": "选择",
    "toggle_node": "展开/收起",
    "toggle_expand_all": "全部展开/收起",
    # text input
    "cursor_left(True)": "左移并选择",
    "cursor_left_word": "左移一个词",
    "cursor_left_word(True)": "左移一个词并选择",
    "cursor_right_word": "右移一个词",
    "cursor_right_word(True)": "右移一个词并选择",
    "cursor_right(True)": "右移并选择",
    "delete_left": "删除左边一个字",
    "delete_right": "删除右边一个字",
    "select_all": "全选",
    "home": "到行首",
    "end": "到行尾",
    "home(True)": "选择到行首",
    "end(True)": "选择到行尾",
    "submit": "确认",
    "delete_left_word": "删除左边一个词",
    "delete_left_all": "删除左边全部",
    "delete_right_word": "删除右边一个词",
    "delete_right_all": "删除右边全部",
    "cut": "剪切",
    "copy": "复制",
    "paste": "粘贴",
    "show_overlay": "打开列表",
    "press": "按下按钮",
}
# an Input's right arrow also accepts the path completion
INPUT_LABELS = {**LABELS, "cursor_right": "右移或接受补全"}


def translated(bindings: list[BindingType], labels: dict[str, str] = LABELS) -> list[BindingType]:
    """The same bindings with Chinese descriptions."""
    out: list[BindingType] = []
    for b in bindings:
        if isinstance(b, Binding):
            out.append(replace(b, description=labels.get(b.action, b.description)))
        else:
            out.append(b)
    return out


SCREEN_BINDINGS = translated(Screen.BINDINGS)


class JiaInput(Input):
    BINDINGS = translated(Input.BINDINGS, INPUT_LABELS)


class JiaSelect(Select):
    BINDINGS = translated(Select.BINDINGS)


class JiaButton(Button):
    BINDINGS = translated(Button.BINDINGS)


class JiaScroll(VerticalScroll):
    BINDINGS = translated(VerticalScroll.BINDINGS)


TREE_BINDINGS = translated(Tree.BINDINGS)
TABLE_BINDINGS = translated(DataTable.BINDINGS)


# ---------------------------------------------------------------- how keys are written

KEY_NAMES = {
    "escape": "Esc", "enter": "Enter", "tab": "Tab", "space": "空格", "delete": "Del", "backspace": "退格",
    "pageup": "PgUp", "pagedown": "PgDn", "home": "Home", "end": "End", "insert": "Ins",
    "up": "↑", "down": "↓", "left": "←", "right": "→",
    "slash": "/", "left_square_bracket": "[", "right_square_bracket": "]", "question_mark": "?",
    "plus": "+", "minus": "-", "full_stop": ".", "comma": ",",
}
MODIFIER_NAMES = {"ctrl": "Ctrl", "shift": "Shift", "alt": "Alt", "meta": "Alt", "super": "Win"}


def key_display(binding: Binding) -> str:
    """A key as printed on the keyboard: ``Ctrl+S``, ``Esc``, ``PgDn``, ``空格``, ``a``."""
    if binding.key_display:
        return binding.key_display
    modifiers, key = binding.parse_key()
    name = KEY_NAMES.get(key)
    if name is None:
        name = key.upper() if (modifiers or len(key) > 1) else key
    return "+".join([MODIFIER_NAMES.get(m, m) for m in modifiers] + [name])


def description(binding: Binding) -> str:
    """The binding's description in Chinese ('' when there is none to show)."""
    text = LABELS.get(binding.action, binding.description)
    return text if any("\u4e00" <= ch <= "\u9fff" for ch in text) else ""
