"""Small modal dialogs (error, confirmation) and the one place worker errors are reported."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static
from textual.worker import Worker, WorkerState

from .keys import SCREEN_BINDINGS, JiaButton


class ReportsWorkerErrors:
    """Mixin for screens and widgets that start workers.

    ``Worker.StateChanged`` does not bubble, so each node that starts workers forwards failures
    to the app, which owns the single error handler (``JiaApp.report_error``).
    """

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.app.report_error(event.worker.error)  # type: ignore[attr-defined]


class ErrorModal(ModalScreen[None]):
    """A Chinese sentence saying what went wrong; any of Enter/Esc closes it."""

    BINDINGS = SCREEN_BINDINGS + [
        Binding("escape", "dismiss", "关闭", id="close"),
        Binding("enter", "dismiss", "关闭", show=False),
    ]

    def __init__(self, message: str, *, title: str = "出错了") -> None:
        super().__init__(classes="dialog-screen error-screen")
        self.message = message
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.message, id="error-message", classes="dialog-body", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield JiaButton("确定", variant="error", id="ok", compact=True)

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.dismiss(None)


class ConfirmModal(ModalScreen[bool]):
    """A yes/no question; dismisses with True only on the confirming button or key."""

    BINDINGS = SCREEN_BINDINGS + [
        Binding("y", "answer(True)", "确认", id="yes"),
        Binding("n,escape", "answer(False)", "取消", id="no"),
    ]

    def __init__(self, question: str, *, yes: str = "确认", title: str = "请确认") -> None:
        super().__init__(classes="dialog-screen")
        self.question = question
        self.yes = yes
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.question, id="question", classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield JiaButton(f"{self.yes}(Y)", variant="error", id="yes", compact=True)
                yield JiaButton("取消(N)", id="no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class NameModal(ModalScreen[str | None]):
    """Asks for a short name: the clerk's (操作人, recorded in every log entry) by default, or any
    other (a saved search's); Esc answers None."""

    BINDINGS = SCREEN_BINDINGS + [Binding("escape", "cancel", "取消", id="name_later")]

    ASK_CLERK = ("请填写您的姓名。每次归档、修改、删除都会在修改日志中记下操作人；"
                 "姓名只保存在这台电脑上，以后不再询问（可在命令面板“设置: 操作人姓名”中修改）。")

    def __init__(self, current: str = "", *, title: str = "操作人姓名", prompt: str = ASK_CLERK,
                 placeholder: str = "如 张明", cancel: str = "以后再说") -> None:
        super().__init__(classes="dialog-screen")
        self.current = current
        self.title_text = title
        self.prompt = prompt
        self.placeholder = placeholder
        self.cancel_text = cancel

    def compose(self) -> ComposeResult:
        from .keys import JiaInput

        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.prompt, classes="dialog-body")
            yield JiaInput(self.current, placeholder=self.placeholder, id="name-input", compact=True)
            yield Static("", id="name-status", classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield JiaButton("确定(Enter)", variant="primary", id="ok", compact=True)
                yield JiaButton(f"{self.cancel_text}(Esc)", id="later", compact=True)

    def on_mount(self) -> None:
        self.query_one("#name-input").focus()

    def _submit(self) -> None:
        from textual.widgets import Input

        from ..errors import JiaError
        from ..userconfig import check_name

        try:
            name = check_name(self.query_one("#name-input", Input).value)
        except JiaError as exc:
            self.query_one("#name-status", Static).update(str(exc))
            return
        self.dismiss(name)

    def on_input_submitted(self) -> None:
        self._submit()

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self._submit()

    @on(Button.Pressed, "#later")
    def action_cancel(self) -> None:
        self.dismiss(None)


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line of text; dismisses with it (stripped, maybe "") on Enter, None on Esc."""

    BINDINGS = SCREEN_BINDINGS + [Binding("escape", "cancel", "取消", id="cancel_prompt")]

    def __init__(self, prompt: str, *, value: str = "", placeholder: str = "", suggester=None) -> None:  # noqa: ANN001
        super().__init__(classes="dialog-screen")
        self.prompt, self.value, self.placeholder, self.suggester = prompt, value, placeholder, suggester

    def compose(self) -> ComposeResult:
        from .keys import JiaInput

        with Vertical(classes="dialog"):
            yield Static(self.prompt, classes="dialog-body")
            yield JiaInput(value=self.value, placeholder=self.placeholder, suggester=self.suggester, id="prompt-value")

    def on_input_submitted(self, event) -> None:  # noqa: ANN001 - Input.Submitted
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
