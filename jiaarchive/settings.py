"""Finding an archive and reading its settings file.

An archive is a folder holding ``jiaarchive.toml`` (its settings) and ``.jiaarchive/`` (database,
index, journal).  Commands find it as git finds a repository: ``--archive PATH``, else the
environment variable ``JIAARCHIVE``, else this folder or the nearest parent that has the file.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import ArchiveNotFound, BadValue

SETTINGS_NAME = "jiaarchive.toml"
DATA_DIR = ".jiaarchive"
TRASH_DIR = "回收站"
# Reports, catalogues and sheets the program writes for printing: not files of record, so
# `verify` does not list them as unregistered.
EXPORT_DIR = "导出"
DEFAULT_PATTERN = "{code}·{year}-{retention}-{seq:04d}"


@dataclass(frozen=True)
class Settings:
    """The contents of ``jiaarchive.toml``."""

    unit: str
    unit_type: str
    level: str = "之家"
    database_url: str = ""  # empty: SQLite in .jiaarchive/archive.db
    archive_no_pattern: str = DEFAULT_PATTERN
    retention: dict[str, str] = field(default_factory=dict)  # code -> 保管期限, overrides catalog
    catalogue_add: tuple[dict[str, Any], ...] = ()  # note 1 of the catalogue: added entries
    catalogue_remove: tuple[str, ...] = ()
    created: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # sections other modules own

    def with_(self, **changes: Any) -> "Settings":
        return replace(self, **changes)


def find_root(explicit: str | os.PathLike[str] | None = None, start: Path | None = None) -> Path:
    """The archive root: explicit path, then $JIAARCHIVE, then this folder or a parent."""
    if explicit:
        root = Path(explicit).expanduser().resolve()
        if not (root / SETTINGS_NAME).is_file():
            raise ArchiveNotFound(f"“{root}”不是建家档案（找不到 {SETTINGS_NAME}）。请先用 jiaarchive init 建立档案。")
        return root
    env = os.environ.get("JIAARCHIVE")
    if env:
        root = Path(env).expanduser().resolve()
        if not (root / SETTINGS_NAME).is_file():
            raise ArchiveNotFound(f"环境变量 JIAARCHIVE 指向的“{root}”不是建家档案（找不到 {SETTINGS_NAME}）。")
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / SETTINGS_NAME).is_file():
            return folder
    raise ArchiveNotFound(
        f"当前文件夹“{here}”及其上级都不是建家档案。请进入档案文件夹，或用 --archive 指定，或先用 jiaarchive init 建立档案。"
    )


def read(root: Path) -> Settings:
    path = root / SETTINGS_NAME
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise BadValue(f"档案设置文件“{path}”无法读取：{exc}") from exc
    unit = data.get("unit", {})
    archive = data.get("archive", {})
    catalogue = data.get("catalogue", {})
    known = {"unit", "archive", "catalogue", "retention"}
    try:
        return Settings(
            unit=str(unit["name"]),
            unit_type=str(unit["type"]),
            level=str(unit.get("level", "之家")),
            database_url=str(archive.get("database_url", "")),
            archive_no_pattern=str(archive.get("archive_no_pattern", DEFAULT_PATTERN)),
            created=str(archive.get("created", "")),
            retention={str(k): str(v) for k, v in data.get("retention", {}).items()},
            catalogue_add=tuple(dict(x) for x in catalogue.get("add", [])),
            catalogue_remove=tuple(str(x) for x in catalogue.get("remove", [])),
            extra={k: v for k, v in data.items() if k not in known},
        )
    except KeyError as exc:
        raise BadValue(f"档案设置文件“{path}”缺少必填项 {exc}。") from exc


HEADER = """\
# 建家档案设置文件（jiaarchive）。可用记事本修改，保存为 UTF-8。
# [unit]       单位名称、单位类型（公有制企业/非公有制企业/事业单位/机关单位）、层级（之家/小家）
# [archive]    档号格式：{code} 目录编号，{year} 年度，{retention} 保管期限代码（Y/D30/D10），{seq} 件号
#              database_url 留空表示使用 .jiaarchive/archive.db（SQLite）
# [retention]  按目录编号覆盖默认保管期限，例如 "A-1" = "永久"
# [catalogue]  目录增删（目录注1）：add = [{code = "B-1-1", title = "教代会提案资料"}]，remove = ["B-6"]
"""


def write(root: Path, settings: Settings) -> None:
    """Write the settings file atomically (temp file, fsync, rename)."""
    import tomli_w

    data: dict[str, Any] = {
        "unit": {"name": settings.unit, "type": settings.unit_type, "level": settings.level},
        "archive": {
            "archive_no_pattern": settings.archive_no_pattern,
            "database_url": settings.database_url,
            "created": settings.created,
        },
        "retention": dict(settings.retention),
        "catalogue": {"add": [dict(x) for x in settings.catalogue_add], "remove": list(settings.catalogue_remove)},
    }
    data.update(settings.extra)
    text = HEADER + "\n" + tomli_w.dumps(data)
    path = root / SETTINGS_NAME
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
