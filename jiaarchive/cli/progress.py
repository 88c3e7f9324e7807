"""The CLI's face of ``jiaarchive.progress``: one progress line on stderr.

On a terminal the line is redrawn in place (``\\r``), cut to the terminal's width, at most ten
times a second; a job shorter than ``SHOW_AFTER`` never draws.  When stderr is not a terminal
(a log file, a script) a plain line is written at most every ``PLAIN_EVERY`` seconds, so a long
batch still shows it is alive without filling the log.
"""

from __future__ import annotations

import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import TextIO

import click

from .. import textfmt
from ..progress import SHOW_AFTER, Progress, Reporter, duration

PLAIN_EVERY = 5.0
REDRAW_EVERY = 0.1
BAR = 20


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def bar(p: Progress, width: int = BAR) -> str:
    frac = p.fraction
    if frac is None:
        return ""
    full = int(frac * width)
    return "█" * full + "░" * (width - full)


def line(p: Progress, width: int) -> str:
    """``正在归档 ██████░░░░ 3/10：会议纪要.docx，约剩 12 秒`` cut to ``width`` cells."""
    head = f"{p.what} {bar(p)} {p.counter()}".replace("  ", " ")
    tail = f"：{p.item}" if p.item else ""
    if p.remaining is not None:
        tail += f"，约剩 {duration(p.remaining)}"
    return textfmt.clip(head + tail, max(10, width - 1))


def now() -> float:
    return time.monotonic()


def progress_line(stream: TextIO | None = None, *, clock: Callable[[], float] | None = None) -> Reporter:
    """A reporter drawing on ``stream`` (stderr by default)."""
    out = stream or sys.stderr
    clock = clock or now
    tty = is_terminal(out)
    state = {"drawn": 0, "last": -1e9}

    def report(p: Progress) -> None:
        at = clock()
        if p.elapsed < SHOW_AFTER and not (p.finished and state["drawn"]):
            return
        if tty:
            if not p.finished and at - state["last"] < REDRAW_EVERY:
                return
            width = shutil.get_terminal_size((80, 24)).columns
            text = p.describe() if p.finished else line(p, width)
            pad = max(0, state["drawn"] - textfmt.width(text))
            out.write("\r" + text + " " * pad + ("\n" if p.finished else ""))
            state["drawn"] = 0 if p.finished else textfmt.width(text)
        else:
            if not p.finished and at - state["last"] < PLAIN_EVERY:
                return
            out.write(p.describe() + "\n")
            state["drawn"] = 1
        state["last"] = at
        out.flush()

    return report


class CtrlC:
    """Ctrl-C while files are being filed one by one: the file in hand is finished and the rest
    left, so the list at the end says what was filed.  Before filing starts, or pressed a second
    time, it stops at once (as before: nothing of a file is half-filed either way)."""

    def __init__(self) -> None:
        self.filing = False
        self.pressed = False
        self._old = None

    def __enter__(self) -> "CtrlC":
        if threading.current_thread() is threading.main_thread():
            self._old = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._old is not None:
            signal.signal(signal.SIGINT, self._old)

    def _handle(self, signum, frame) -> None:  # noqa: ANN001
        if self.pressed or not self.filing:
            raise KeyboardInterrupt
        self.pressed = True
        click.echo("\n正在归档的文件完成后停止（再按一次 Ctrl-C 立即停止）……", err=True)

    def __call__(self) -> bool:
        """The run asks before each file: from then on a Ctrl-C stops between files."""
        self.filing = True
        return self.pressed
