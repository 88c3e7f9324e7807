"""Finding an archive and reading its settings file.

An archive is a folder holding ``jiaarchive.toml`` (its settings) and ``.jiaarchive/`` (database,
index, journal).  Commands find it as git finds a repository: ``--archive PATH``, else the
environment variable ``JIAARCHIVE``, else this folder or the nearest parent that has the file.

The settings file travels with the archive (USB sticks from other units), so nothing in it is
trusted: ``read`` checks every value.  The database in particular: the file may only name a
SQLite file inside the archive's ``.jiaarchive/`` folder.  A database anywhere else (a shared
PostgreSQL server, issue 14) is the deliberate choice of the person running the program, so
it is only taken from the command line (``--db``) or the environment (``JIAARCHIVE_DB``); the
file may say ``shared_database = true`` so that opening without one explains what is needed.
An archive from elsewhere can therefore never make this machine create, migrate or write a
database outside the folder the clerk opened, nor connect to a server.

So that a clerk need not type the address every time, ``jiaarchive init --db`` and
``jiaarchive connect PATH --db URL`` remember it on this computer (``userconfig``), keyed by
the archive folder's path *and* the archive's id: a folder that claims another archive's id
is not given its database, and the database itself holds the id (``archive_info``), checked
on every open (``archive.check_identity``).  Passwords go to the user's PostgreSQL password
file (pgpass), never into the archive folder nor into the settings files a clerk opens.
"""

from __future__ import annotations

import os
import re
import string
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import ArchiveNotFound, BadSettings, BadValue

SETTINGS_NAME = "jiaarchive.toml"
DATA_DIR = ".jiaarchive"
TRASH_DIR = "回收站"
# Reports, catalogues and sheets the program writes for printing: not files of record, so
# `verify` does not list them as unregistered.
EXPORT_DIR = "导出"
DEFAULT_PATTERN = "{code}·{year}-{retention}-{seq:04d}"
DB_ENV = "JIAARCHIVE_DB"
DB_NAME = "archive.db"
# archive_no_pattern: the fields a 档号 is made of, and how wide one may be padded
PATTERN_FIELDS = ("code", "year", "retention", "seq")
REQUIRED_FIELDS = ("code", "year", "seq")  # without them two records would get one 档号
MAX_FIELD_WIDTH = 8
MAX_ARCHIVE_NO = 80  # the column's width
MAX_SETTINGS_BYTES = 256 * 1024
_SPEC = re.compile(r"(?:[^{}]?[<>=^])?0?(?P<width>\d{1,3})?(?P<type>[ds])?")
_CODE = re.compile(r"[A-Z](?:-\d{1,2}){1,2}")
_ARCHIVE_ID = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Settings:
    """The contents of ``jiaarchive.toml``."""

    unit: str
    unit_type: str
    level: str = "之家"
    database_url: str = ""  # empty: SQLite in .jiaarchive/archive.db (see the module docstring)
    archive_no_pattern: str = DEFAULT_PATTERN
    retention: dict[str, str] = field(default_factory=dict)  # code -> 保管期限, overrides catalog
    catalogue_add: tuple[dict[str, Any], ...] = ()  # note 1 of the catalogue: added entries
    catalogue_remove: tuple[str, ...] = ()
    created: str = ""
    shared_database: bool = False  # the database is elsewhere: give it with --db or JIAARCHIVE_DB
    archive_id: str = ""  # set at init: the shared database holds it too (a folder and its database must agree)
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
    """The settings of the archive at ``root``, every value checked (BadSettings names the bad one)."""
    path = root / SETTINGS_NAME
    try:
        if path.stat().st_size > MAX_SETTINGS_BYTES:
            raise BadSettings(f"档案设置文件“{path}”过大（超过 {MAX_SETTINGS_BYTES // 1024} KB），不是正常的设置文件。")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise BadValue(f"档案设置文件“{path}”无法读取：{exc}") from exc
    unit = _table(data, "unit", path)
    archive = _table(data, "archive", path)
    catalogue = _table(data, "catalogue", path)
    known = {"unit", "archive", "catalogue", "retention"}
    try:
        settings = Settings(
            unit=_text(unit["name"], "[unit] name（单位名称）", path, 100, required=True),
            unit_type=_text(unit["type"], "[unit] type（单位类型）", path, 20, required=True),
            level=_text(unit.get("level", "之家"), "[unit] level（层级）", path, 10, required=True),
            database_url=_database(root, archive.get("database_url", "")),
            archive_no_pattern=check_pattern(str(archive.get("archive_no_pattern", DEFAULT_PATTERN))),
            created=_text(archive.get("created", ""), "[archive] created", path, 40),
            shared_database=bool(archive.get("shared_database", False)),
            archive_id=_archive_id(archive.get("id", ""), path),
            retention=_retention(_table(data, "retention", path), path),
            catalogue_add=_additions(catalogue.get("add", []), path),
            catalogue_remove=tuple(_code(x, "[catalogue] remove", path) for x in _list(catalogue.get("remove", []), path)),
            extra={k: v for k, v in data.items() if k not in known},
        )
    except KeyError as exc:
        raise BadValue(f"档案设置文件“{path}”缺少必填项 {exc}。") from exc
    return settings


def _table(data: dict, key: str, path: Path) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise BadSettings(f"档案设置文件“{path}”中的 [{key}] 应是一节设置，而不是单个值。")
    return value


def _list(value: Any, path: Path) -> list:
    if not isinstance(value, list) or len(value) > 200:
        raise BadSettings(f"档案设置文件“{path}”中的目录增删应是不超过 200 项的列表。")
    return value


def _text(value: Any, what: str, path: Path, limit: int, *, required: bool = False) -> str:
    from .storage import has_control

    text = str(value).strip() if isinstance(value, (str, int, float)) else None
    if text is None or (required and not text) or len(text) > limit or has_control(text):
        raise BadSettings(f"档案设置文件“{path}”中的 {what} 无效（应为不超过 {limit} 字、不含控制字符的文字）。")
    return text


def _code(value: Any, what: str, path: Path) -> str:
    code = str(value).strip().upper()
    if not _CODE.fullmatch(code):
        raise BadSettings(f"档案设置文件“{path}”中的 {what} 有无效的目录编号“{value}”（应形如 A-1 或 B-1-1）。")
    return code


def _retention(table: dict, path: Path) -> dict[str, str]:
    return {_code(k, "[retention]", path): _text(v, f"[retention] {k}", path, 20, required=True) for k, v in table.items()}


def _additions(items: Any, path: Path) -> tuple[dict[str, Any], ...]:
    out = []
    for x in _list(items, path):
        if not isinstance(x, dict) or "code" not in x:
            raise BadSettings(f"档案设置文件“{path}”中的 [catalogue] add 每项应写成 {{code = \"B-1-1\", title = \"…\"}}。")
        entry = {str(k): (_text(v, f"[catalogue] add 的 {k}", path, 200) if isinstance(v, str) else v) for k, v in x.items()}
        entry["code"] = _code(x["code"], "[catalogue] add", path)
        out.append(entry)
    return tuple(out)


def _archive_id(value: Any, path: Path) -> str:
    text = str(value).strip().lower() if isinstance(value, str) else None
    if text is None or (text and not _ARCHIVE_ID.fullmatch(text)):
        raise BadSettings(f"档案设置文件“{path}”中的 [archive] id（档案标识）无效（应为 32 位十六进制数字，由程序生成，请勿修改）。")
    return text


def new_archive_id() -> str:
    import uuid

    return uuid.uuid4().hex


def _database(root: Path, value: Any) -> str:
    text = str(value).strip()
    check_database_url(root, text)
    return text  # kept as written: a relative path keeps working when the archive moves


def check_pattern(pattern: str) -> str:
    """An ``archive_no_pattern`` made only of known fields with bounded widths, or BadSettings.

    A pattern is the archive's own text and may come from elsewhere: ``{seq:>300000000}`` would
    make every 档号 300 MB long, and ``{seq.__class__}`` reaches into Python objects.
    """
    from .storage import has_control

    allowed = "、".join(f"{{{f}}}" for f in PATTERN_FIELDS)
    bad = f"档号格式“{pattern[:60]}”无效"
    if len(pattern) > MAX_ARCHIVE_NO or has_control(pattern) or "/" in pattern or "\\" in pattern:
        raise BadSettings(f"{bad}：最多 {MAX_ARCHIVE_NO} 个字符，不能含控制字符或“/”“\\”。")
    try:
        parts = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise BadSettings(f"{bad}（花括号不配对）。可用字段：{allowed}。") from exc
    seen = set()
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in PATTERN_FIELDS:
            raise BadSettings(f"{bad}：不认识的字段“{{{name}}}”。可用字段：{allowed}。")
        m = _SPEC.fullmatch(spec or "")
        if conversion or m is None or int(m["width"] or 0) > MAX_FIELD_WIDTH:
            raise BadSettings(f"{bad}：“{{{name}:{spec}}}”的宽度或写法不允许（宽度最多 {MAX_FIELD_WIDTH}，如 {{seq:04d}}）。")
        seen.add(name)
    missing = [f"{{{f}}}" for f in REQUIRED_FIELDS if f not in seen]
    if missing:
        raise BadSettings(f"{bad}：必须包含 {'、'.join(missing)}，否则不同记录会得到相同的档号。")
    try:
        longest = pattern.format(code="X-99-99", year=9999, retention="D30", seq=99999999)
    except (ValueError, TypeError) as exc:
        raise BadSettings(f"{bad}（{exc}）。可用字段：{allowed}，件号可写 {{seq:04d}}。") from exc
    if len(longest) > MAX_ARCHIVE_NO:
        raise BadSettings(f"{bad}：生成的档号可能超过 {MAX_ARCHIVE_NO} 个字符。")
    return pattern


def check_database_url(root: Path, url: str) -> str:
    """The database the settings file may name: empty (the default) or a SQLite file inside ``.jiaarchive/``.

    Returned as an absolute URL (a relative SQLite path would otherwise depend on the folder
    the program was started in).  Anything else raises BadSettings saying how to give it.
    """
    url = url.strip()
    if not url:
        return ""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    refused = (
        f"档案设置文件中的数据库地址“{url[:80]}”不在档案文件夹内，为安全起见不予使用。"
        f"设置文件只能指定 {DATA_DIR}/ 中的 SQLite 数据库；共享数据库（如 PostgreSQL）请在命令行用 --db "
        f"或环境变量 {DB_ENV} 指定。"
    )
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise BadSettings(refused) from exc
    if not parsed.drivername.startswith("sqlite") or not parsed.database or parsed.query or parsed.database == ":memory:":
        raise BadSettings(refused)
    path = Path(parsed.database)
    path = (root / path if not path.is_absolute() else path).resolve()
    try:
        path.relative_to((root / DATA_DIR).resolve())
    except ValueError:
        raise BadSettings(refused) from None
    return f"sqlite:///{path}"


def normalize_url(url: str) -> str:
    """A database URL as SQLAlchemy opens it with the installed driver: ``postgresql://`` and
    ``postgres://`` mean psycopg (version 3, a dependency), not SQLAlchemy's default psycopg2."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    url = url.strip()
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url.removeprefix(prefix)
    try:
        make_url(url)
    except ArgumentError as exc:
        raise BadValue(f"数据库地址“{shown_url(url)}”无效，应形如 postgresql://用户名@服务器/数据库名。") from exc
    return url


def shown_url(url: str) -> str:
    """A database URL fit to print: its password replaced by ***."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return re.sub(r"//([^:/@]*):[^@]*@", r"//\1:***@", url)[:120]


def database_url(root: Path, settings: Settings, given: str | None = None) -> tuple[str, bool]:
    """The database to open and whether it lies outside the archive.

    In this order: ``given`` (--db), $JIAARCHIVE_DB, what this computer remembers for this
    archive folder (``jiaarchive init --db`` / ``connect``), the settings file (SQLite inside
    the archive only)."""
    given = (given or os.environ.get(DB_ENV, "")).strip()
    if given:
        try:
            return check_database_url(root, given), False
        except BadSettings:
            return normalize_url(given), True  # the person running the program chose it
    from . import userconfig

    # only for a folder that says its records are elsewhere, and is the archive that was connected
    remembered = userconfig.database_for(root) if settings.shared_database else None
    if remembered is not None:
        if not settings.archive_id or remembered.archive_id != settings.archive_id:
            from .errors import DatabaseMissing

            raise DatabaseMissing(
                f"本机为“{root}”记住的共享数据库属于另一个档案（档案标识不同），为安全起见不予连接。"
                f"请核对档案文件夹；确认无误后用 jiaarchive connect “{root}” --db 数据库地址 重新连接。")
        return remembered.url, True
    if settings.shared_database and not settings.database_url:
        from .errors import DatabaseMissing

        raise DatabaseMissing(
            f"本档案的记录保存在共享数据库（如单位的 PostgreSQL 服务器）中，本机还没有连接过。"
            f"请向单位的信息管理员要数据库地址，运行一次 jiaarchive connect “{root}” --db 数据库地址，"
            f"以后即可直接打开；也可每次用 --db 或环境变量 {DB_ENV} 指定。")
    return check_database_url(root, settings.database_url) or f"sqlite:///{root / DATA_DIR / DB_NAME}", False


HEADER = """\
# 建家档案设置文件（jiaarchive）。可用记事本修改，保存为 UTF-8。
# [unit]       单位名称、单位类型（公有制企业/非公有制企业/事业单位/机关单位）、层级（之家/小家）
# [archive]    档号格式：{code} 目录编号，{year} 年度，{retention} 保管期限代码（Y/D30/D10），{seq} 件号
#              database_url 留空表示使用 .jiaarchive/archive.db（SQLite）；只能指定 .jiaarchive/ 中的 SQLite 文件，
#              共享数据库（PostgreSQL）请用命令行 --db 或环境变量 JIAARCHIVE_DB 指定，或在每台电脑上运行一次
#              jiaarchive connect 档案文件夹 --db 数据库地址；id 是档案标识，由程序生成，请勿修改
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
            **({"shared_database": True} if settings.shared_database else {}),
            **({"id": settings.archive_id} if settings.archive_id else {}),
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
