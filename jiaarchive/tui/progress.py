"""The TUI's face of ``jiaarchive.progress``: a bar and a sentence, fed from a worker thread.

A worker passes ``reporter(self)`` to the core as its ``progress``; every event is posted to the
screen as a ``ProgressEvent`` message (at most ten a second, always for a new item and the end),
and the screen shows it in a ``ProgressLine``, so nothing touches a widget from the thread.
"""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.message_pump import MessagePump
from textual.widgets import Static

from ..progress import Progress, Reporter, throttled

BAR = 16


class ProgressEvent(Message):
    """Where a long job in a worker stands."""

    def __init__(self, progress: Progress) -> None:
        super().__init__()
        self.progress = progress


def reporter(target: MessagePump) -> Reporter:
    """A reporter for a worker of ``target`` (a screen or widget): events become messages."""
    return throttled(lambda p: target.post_message(ProgressEvent(p)))


def progress_text(p: Progress) -> Text:
    """``████░░░░ 3/10 正在归档：会议纪要.docx，约剩 12 秒``"""
    text = Text()
    frac = p.fraction
    if frac is not None and not p.finished:
        full = int(frac * BAR)
        text.append("█" * full, style="bold")
        text.append("░" * (BAR - full), style="dim")
        text.append(" ")
    text.append(p.describe())
    return text


class ProgressLine(Static):
    """One line showing a job's progress (or any other status text)."""

    def show(self, p: Progress) -> None:
        self.update(progress_text(p))
