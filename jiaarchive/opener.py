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
CHECK_SECONDS = 2.0  # how long to wait for the system's opener to say it found no program


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
        # or die with it.  xdg-open answers at once when no program can open the file (exit
        # code 3 or 4), so it is waited for briefly; a viewer that opens is left running.
        proc = subprocess.Popen(
            [exe, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            code = proc.wait(timeout=CHECK_SECONDS)
        except subprocess.TimeoutExpired:
            return
        if code != 0:
            raise NoViewer(f"本机没有能打开这种文件的程序（{_command_name()} 未找到可用的查看程序），"
                           f"请把文件复制到装有相应软件的电脑上打开：{path}")

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
    except NoViewer:
        raise
    except OSError as exc:
        raise NoViewer(f"无法启动查看程序（{exc.strerror or exc}），请手工打开文件：{target}") from exc
    return target
