"""Progress of long inbox work (进度): n / N, the current file and the time left.

A minimal protocol, kept behind ``Step`` and ``bar`` so that it can give way to a shared core
progress module: the work calls ``report(Step(...))``; the CLI prints ``bar(step)`` on one
line, the TUI shows the same text in its status line.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    done: int
    total: int
    current: str = ""  # the file being worked on
    phase: str = ""  # 读取 / 提取文字 / 分析 / 归档
    started: float = 0.0  # time.monotonic() when the phase began

    def seconds_left(self) -> float | None:
        if not self.started or self.done <= 0 or self.total <= self.done:
            return None
        spent = time.monotonic() - self.started
        return spent / self.done * (self.total - self.done)


Report = Callable[[Step], None]


def silent(_step: Step) -> None:
    """A ``Report`` that shows nothing."""


def bar(step: Step, width: int = 24) -> str:
    """``提取文字 [#######.......] 120/500  约 35 秒  微信文件/通知.docx``."""
    total = max(step.total, 1)
    filled = int(width * min(step.done, total) / total)
    left = step.seconds_left()
    eta = "" if left is None else (f"  约 {left:.0f} 秒" if left < 90 else f"  约 {left / 60:.0f} 分钟")
    current = step.current if len(step.current) <= 40 else "…" + step.current[-39:]
    return f"{step.phase} [{'#' * filled}{'.' * (width - filled)}] {step.done}/{step.total}{eta}  {current}".rstrip()
