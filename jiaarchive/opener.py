"""Opening a filed file with the system's own viewer (xdg-open on Linux, open on macOS,
``os.startfile`` on Windows), without waiting for the viewer to close.

``open_file(path)`` is the one entry point; ``launcher()`` picks the platform's way and is
the seam tests replace.  No viewer is a user-visible condition, not a crash: it raises
``NoViewer`` whose sentence says where the file is, so the clerk can open it by hand.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from .errors import JiaError

Launcher = Callable[[Path], None]


class NoViewer(JiaError):
    """The system has no program to open files with (or it failed to start)."""


class FileMissing(JiaError):
    """The file to open is not where the catalogue says it is."""


def _command_name() -> str:
    return "open" if sys.platform == "darwin" else "xdg-open"


def launcher() -> Launcher | None:
    """The platform's way to hand a file to its default viewer, or None when there is none."""
    if sys.platform.startswith("win"):
        startfile = getattr(os, "startfile", None)
        return startfile  # type: ignore[return-value]
    exe = shutil.which(_command_name())
    if exe is None:
        return None

    def launch(path: Path) -> None:
        # A new session and no inherited terminal: the viewer must not draw over the TUI
        # or die with it; nobody waits for it.
        subprocess.Popen(
            [exe, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    return launch


def open_file(path: str | os.PathLike[str]) -> Path:
    """Open ``path`` with the system's viewer and return its absolute path.

    Raises FileMissing when the file does not exist and NoViewer when no viewer can be started;
    both messages name the absolute path.
    """
    target = Path(path).resolve()
    if not target.is_file():
        raise FileMissing(f"文件 {target} 不存在，可能已被移动或删除；可运行 jiaarchive verify 检查。")
    launch = launcher()
    if launch is None:
        raise NoViewer(f"本机没有可用的文件查看程序（{_command_name()}），请手工打开文件：{target}")
    try:
        launch(target)
    except OSError as exc:
        raise NoViewer(f"无法启动查看程序（{exc.strerror or exc}），请手工打开文件：{target}") from exc
    return target
