"""The TUI's side of the intake run (``filing.intake``): its questions as a modal, its outcomes as a list.

The run is checked in one thread worker (``intake.check_paths``); when it has findings the
form shows ``ChoiceModal`` (跳过重复 / 跳过有问题的文件 / 仍然归档 / 取消) and files with the
clerk's answer in a second worker (``intake.file``), so no worker ever waits on the screen.  ``OutcomeModal`` lists what happened to every file — filed
(档号), skipped as a duplicate of 档号 X, not filed with the reason — the same list the CLI
prints at the end of ``jiaarchive add``.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from ..filing.intake import (BAD_PHOTO, DUPLICATE_FOUND, FILE_ANYWAY, SKIP_DUPLICATES, SKIP_PROBLEMS, Answer,
                             Finding, Result)
from .keys import SCREEN_BINDINGS, JiaButton


SHOWN = 12  # findings listed in the question; the rest are counted


class ChoiceModal(ModalScreen[Answer | None]):
    """What to do with duplicates and photos with errors; Esc cancels the run (nothing filed)."""

    BINDINGS = SCREEN_BINDINGS + [
        Binding("d", "choose('skip_duplicates')", "跳过重复", id="skip_duplicates"),
        Binding("s", "choose('skip_problems')", "跳过有问题的文件", id="skip_problems"),
        Binding("f", "choose('file_anyway')", "仍然归档", id="file_anyway"),
        Binding("escape", "choose('cancel')", "取消", id="cancel_run"),
    ]
    ANSWERS = {"skip_duplicates": SKIP_DUPLICATES, "skip_problems": SKIP_PROBLEMS, "file_anyway": FILE_ANYWAY}

    def __init__(self, findings: Sequence[Finding]) -> None:
        super().__init__(classes="dialog-screen")
        self.findings = tuple(findings)
        kinds = {f.kind for f in self.findings}
        self.has_duplicates = DUPLICATE_FOUND in kinds
        self.has_bad = BAD_PHOTO in kinds

    @property
    def message(self) -> str:
        lines = [f"{'重复' if f.kind == DUPLICATE_FOUND else '照片有错误'}：{f.reason}" for f in self.findings[:SHOWN]]
        if len(self.findings) > SHOWN:
            lines.append(f"……另有 {len(self.findings) - SHOWN} 个")
        ask = []
        if self.has_duplicates:
            ask.append("重复的文件已在档案中")
        if self.has_bad:
            ask.append("有错误的照片不能作为证据")
        return "\n".join(lines) + f"\n\n{'；'.join(ask)}。其余文件照常归档。如何处理以上 {len(self.findings)} 个文件？"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="choice-dialog"):
            yield Label("有文件需要您决定", classes="dialog-title")
            with VerticalScroll(id="choice-list"):
                yield Static(self.message, id="choice-message", classes="dialog-body", markup=False)
            with Horizontal(classes="dialog-buttons"):
                if self.has_duplicates:
                    yield JiaButton("跳过重复(D)", variant="primary", id="skip_duplicates", compact=True)
                if self.has_bad:
                    yield JiaButton("跳过有问题的文件(S)", variant="primary", id="skip_problems", compact=True)
                yield JiaButton("仍然归档(F)", variant="warning", id="file_anyway", compact=True)
                yield JiaButton("取消(Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        # Enter never files a photo the check found errors in: then the focus is on skipping the problems
        (self.query_one("#skip_problems", Button) if self.has_bad else self.query(Button).first()).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and parameters:
            return {"skip_duplicates": self.has_duplicates, "skip_problems": self.has_bad}.get(str(parameters[0]), True)
        return True

    def action_choose(self, key: str) -> None:
        self.dismiss(self.ANSWERS.get(key))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(self.ANSWERS.get(event.button.id or ""))


class OutcomeModal(ModalScreen[None]):
    """Every file of a run and what happened to it; Enter or Esc closes it."""

    BINDINGS = SCREEN_BINDINGS + [
        Binding("escape", "dismiss", "关闭", id="close_outcomes"),
        Binding("enter", "dismiss", "关闭", show=False),
    ]

    def __init__(self, result: Result, *, title: str = "归档结果") -> None:
        super().__init__(classes="dialog-screen")
        self.result = result
        self.title_text = title

    @property
    def lines(self) -> list[str]:
        order = sorted(self.result.outcomes, key=lambda o: o.filed)  # what needs the clerk first
        return [o.line() for o in order]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="outcome-dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.result.summary(), id="outcome-summary", classes="dialog-body", markup=False)
            with VerticalScroll(id="outcome-list"):
                yield Static("\n".join(self.lines), id="outcome-lines", classes="dialog-body", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield JiaButton("确定", variant="primary", id="ok", compact=True)

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.dismiss(None)
