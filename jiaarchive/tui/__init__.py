"""The terminal user interface (Textual): browse the catalogue, file, edit, delete and restore.

``run(root)`` opens the archive at ``root`` and runs the app; ``inspector=True`` opens it
read-only (检查组只读), hiding every action that would change records.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..archive import Archive, open_archive


def make_app(archive: Archive):
    """The app over an already opened archive (tests and later screens build it this way)."""
    from .app import JiaApp

    return JiaApp(archive)


def run(root: Path, *, inspector: bool = False, database_url: str | None = None) -> None:
    """Open the archive at ``root`` and run the TUI until the clerk quits."""
    arch = open_archive(root, read_only=inspector, database_url=database_url)
    # Textual draws on stderr; when a clerk (or a script) sends stderr to a log file the
    # screen would stay blank, so draw on the terminal that stdout still points at.
    saved = sys.__stderr__
    if not _isatty(sys.__stderr__) and _isatty(sys.__stdout__):
        sys.__stderr__ = sys.__stdout__
    try:
        arch.entries()  # load the standards before the first paint
        make_app(arch).run()
    finally:
        sys.__stderr__ = saved
        arch.close()


def _isatty(stream: object) -> bool:
    try:
        return bool(stream) and stream.isatty()  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        return False


__all__ = ["make_app", "run"]
