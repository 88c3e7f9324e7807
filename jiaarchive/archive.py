"""An opened archive: its root folder, settings, database, and the unit's own catalogue.

``init_archive`` creates one; ``open_archive`` finds and opens one (finishing or undoing any
change a crash interrupted, and upgrading the schema).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit, settings as settings_mod, storage
from .db import session as db_session
from .db.models import File
from .errors import ArchiveExists, BadValue, ReadOnly
from .settings import DATA_DIR, TRASH_DIR, Settings

if TYPE_CHECKING:
    from .standards import Catalogue, Entry, Scoresheet, Standards

# Tests and the sample-archive build replace this to get reproducible dates.
clock: Callable[[], datetime] = lambda: datetime.now().replace(microsecond=0)  # noqa: E731


class Archive:
    """An archive on disk. Use as a context manager or call ``close()``."""

    def __init__(self, root: Path, settings: Settings, *, read_only: bool = False) -> None:
        self.root = root
        self.settings = settings
        self.read_only = read_only
        self.data_dir = root / DATA_DIR
        self.trash_dir = root / TRASH_DIR
        self.journal = storage.Journal(root, self.data_dir)
        url = settings.database_url or f"sqlite:///{self.data_dir / 'archive.db'}"
        self.engine = db_session.make_engine(url)
        self._sessions = db_session.session_factory(self.engine)

    # ------------------------------------------------------------------ standards
    @cached_property
    def standards(self) -> "Standards":
        from . import standards

        return standards.load()

    @cached_property
    def catalogue(self) -> "Catalogue":
        """The official catalogue with this archive's additions and removals (note 1)."""
        return self.standards.catalogue.customised(self.settings.catalogue_add, self.settings.catalogue_remove)

    @property
    def unit_type(self) -> str:
        return self.settings.unit_type

    @property
    def level(self) -> str:
        return self.settings.level

    def entries(self) -> tuple["Entry", ...]:
        """The entries this unit keeps (those that do not apply are left out, note 2)."""
        return self.catalogue.applicable(self.unit_type, self.level)

    def entry(self, code: str) -> "Entry":
        return self.catalogue.require_applicable(code, self.unit_type, self.level)

    @cached_property
    def scoresheet(self) -> "Scoresheet | None":
        return self.standards.sheet_for(self.unit_type, self.level)

    def retention_for(self, code: str) -> str:
        return self.settings.retention.get(code) or self.catalogue.entry(code).default_retention

    # ------------------------------------------------------------------ folders
    def entry_folder(self, code: str) -> str:
        """Relative folder of an entry: ``A 效益（绩效）之家/A-1 劳动竞赛、技术革新资料``."""
        entry = self.catalogue.entry(code)
        volume = next(v for v in self.catalogue.volumes if v.letter == entry.volume)
        parts = [storage.safe_name(volume.folder_name)]
        if entry.parent:
            parts.append(storage.safe_name(self.catalogue.entry(entry.parent).folder_name))
        parts.append(storage.safe_name(entry.folder_name))
        return "/".join(parts)

    def year_folder(self, code: str, year: int) -> str:
        return f"{self.entry_folder(code)}/{year}"

    def make_folders(self) -> None:
        for entry in self.entries():
            (self.root / self.entry_folder(entry.code)).mkdir(parents=True, exist_ok=True)

    # ------------------------------------------------------------------ database
    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as s:
            yield s

    def require_writable(self) -> None:
        if self.read_only:
            raise ReadOnly("档案以只读（检查组）方式打开，不能修改台账记录或文件。")

    def now(self) -> datetime:
        return clock()

    def close(self) -> None:
        search_index = getattr(self, "_search_index", None)
        if search_index is not None:
            search_index.close()
            self._search_index = None
        self.engine.dispose()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ recovery
    def recover(self) -> list[str]:
        """Finish or undo changes a crash interrupted; return what was done, in Chinese."""
        done: list[str] = []
        pending = self.journal.pending()
        with self.session() as s:
            for journal_path, moves in pending:
                for m in moves:
                    src, dst = self.root / m.src, self.root / m.dst
                    if m.file_id is not None and m.dst.startswith(f"{DATA_DIR}/"):
                        # a superseded version leaving its place (photo labelling): finish it when
                        # the row already holds the new content, else the old file stays put
                        row = s.get(File, m.file_id)
                        if row is not None and row.sha256 == m.sha256 and os.path.lexists(src) and not os.path.lexists(dst):
                            storage.move_noclobber(src, dst)
                            done.append(f"已完成中断的照片旧版本保存：{m.src}")
                        continue
                    if m.file_id is None:
                        row = s.scalar(select(File).where(File.path == m.dst, File.sha256 == m.sha256))
                    else:
                        row = s.get(File, m.file_id)
                        row = row if row is not None and row.path == m.dst else None
                    if row is not None:  # the database committed: finish the move
                        if os.path.lexists(src) and not os.path.lexists(dst):
                            storage.move_noclobber(src, dst)
                            storage.prune_empty_dirs(src.parent, self.root)
                            done.append(f"已完成中断的文件移动：{m.dst}")
                    elif m.file_id is None and os.path.lexists(src):  # never committed: drop the copy
                        storage.remove_quietly(src)
                        done.append(f"已清理未完成归档留下的临时文件（{m.dst}）")
                self.journal.done(journal_path)
        if self.journal.tmp.is_dir():  # temporary copies without a journal are never referenced
            for p in self.journal.tmp.iterdir():
                storage.remove_quietly(p)
        if done:
            with self.session() as s, s.begin():
                audit.log(s, "recover", at=self.now(), detail="；".join(done))
        return done


def open_archive(
    explicit: str | os.PathLike[str] | None = None,
    *,
    start: Path | None = None,
    read_only: bool = False,
) -> Archive:
    """Find the archive (``--archive``, ``$JIAARCHIVE``, this folder or a parent) and open it."""
    root = settings_mod.find_root(explicit, start)
    arch = Archive(root, settings_mod.read(root), read_only=read_only)
    # the schema is brought up to date even for inspectors: it changes no record or file
    db_session.upgrade(arch.engine)
    if not read_only:
        arch.recover()
        # git and some copy tools drop empty folders: put back the entry folders a clerk expects
        arch.make_folders()
        arch.trash_dir.mkdir(exist_ok=True)
    return arch


def init_archive(
    path: Path,
    *,
    unit: str,
    unit_type: str,
    level: str = "之家",
    database_url: str = "",
) -> Archive:
    """Create an archive: settings file, database, and a folder for every applicable entry."""
    from . import standards

    std = standards.load()
    unit = unit.strip()
    if not unit or storage.has_control(unit):
        raise BadValue("单位名称不能为空，也不能包含控制字符。")
    if unit_type not in std.unit_types:
        raise BadValue(f"单位类型“{unit_type}”无效，可选：{'、'.join(std.unit_types)}。")
    if level not in std.levels:
        raise BadValue(f"层级“{level}”无效，可选：{'、'.join(std.levels)}。")
    root = Path(path).expanduser().resolve()
    if (root / settings_mod.SETTINGS_NAME).exists():
        raise ArchiveExists(f"“{root}”已经是建家档案，不能重复建立。")
    if root.exists() and not root.is_dir():
        raise BadValue(f"“{root}”是一个文件，不能在这里建立档案。")
    root.mkdir(parents=True, exist_ok=True)
    (root / DATA_DIR).mkdir(exist_ok=True)
    now = clock()
    settings = Settings(unit=unit, unit_type=unit_type, level=level, database_url=database_url, created=now.isoformat())
    arch = Archive(root, settings)
    db_session.upgrade(arch.engine)
    arch.make_folders()
    (root / TRASH_DIR).mkdir(exist_ok=True)
    settings_mod.write(root, settings)
    with arch.session() as s, s.begin():
        audit.log(s, "init", at=now, after={"unit": unit, "unit_type": unit_type, "level": level})
    from . import indexing

    indexing.rebuild(arch)  # an empty index, so the first filings are indexed as they happen
    return arch
